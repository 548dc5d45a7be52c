/* Faults in hot, compiled code. First with a SIGSEGV handler installed,
 * which must see the precise state of the faulting load (NIP, its
 * address, the general registers); then with the default action restored,
 * where the process must die by SIGSEGV (in user mode powerlift leaves
 * permission checks of compiled code to the host MMU exactly while no
 * handler is installed: exec/jit/guard.rs; the address is inside its
 * 64 GiB guest space, so the host MMU is what catches it). */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#define PT_NIP 32

static sigjmp_buf back;

static void on_segv(int sig, siginfo_t *si, void *ctx) {
    ucontext_t *uc = ctx;
    printf("signal %d code %d addr %p\n", sig, si->si_code, si->si_addr);
    printf("nip offset %ld\n", (long)(uc->uc_mcontext.gp_regs[PT_NIP] - (unsigned long)(void *)on_segv));
    for (int r = 3; r < 12; r++)
        printf("r%d %lx\n", r, (unsigned long)uc->uc_mcontext.gp_regs[r]);
    siglongjmp(back, 1);
}

/* Sums table[i * stride] for i < n; the last index is out of the mapping
 * when `bad` is set. noinline so the loop is one hot region. */
__attribute__((noinline)) static long walk(const long *table, long n, long stride, const long *bad) {
    long s = 0;
    for (long i = 0; i < n; i++) {
        s += table[(i * stride) & 1023] ^ i;
        if (i == n - 1 && bad) s += *bad;
    }
    return s;
}

int main(void) {
    long *t = malloc(1024 * sizeof(long));
    for (int i = 0; i < 1024; i++) t[i] = i * 7;
    long s = 0;
    for (int k = 0; k < 20; k++) s += walk(t, 20000, 5, NULL);
    printf("warm %ld\n", s);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    if (sigsetjmp(back, 1) == 0) {
        s = walk(t, 20000, 3, (const long *)0x28);
        printf("never %ld\n", s);
    }
    printf("recovered\n");

    signal(SIGSEGV, SIG_DFL);
    for (int k = 0; k < 20; k++) s += walk(t, 20000, 5, NULL);
    printf("warm again %ld\n", s);
    fflush(stdout);
    s = walk(t, 20000, 3, (const long *)0x800000008);
    printf("never %ld\n", s);
    return 0;
}

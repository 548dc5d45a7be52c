/* setjmp/longjmp across frames, sigsetjmp/siglongjmp out of signal
 * handlers (SIGUSR1 via raise, SIGSEGV from a bad pointer, SIGFPE via
 * raise), signal masks, and SA_SIGINFO. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static jmp_buf jb;
static sigjmp_buf sjb;
static volatile int depth_reached;
static volatile sig_atomic_t got;

static void dive(int d) {
    char pad[64];
    memset(pad, d, sizeof pad);
    depth_reached = d + pad[3];
    if (d == 10) longjmp(jb, d * 3);
    dive(d + 1);
}

static void on_usr1(int sig) { got += sig; }

static void on_segv(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    printf("SIGSEGV %d code %d addr %p\n", sig, si->si_code, si->si_addr);
    siglongjmp(sjb, 7);
}

static void on_fpe(int sig) { siglongjmp(sjb, sig); }

int main(void) {
    volatile int count = 0;
    int v = setjmp(jb);
    count++;
    if (v == 0) dive(0);
    printf("longjmp returned %d after depth %d, count %d\n", v, depth_reached, count);

    signal(SIGUSR1, on_usr1);
    raise(SIGUSR1);
    raise(SIGUSR1);
    printf("usr1 handler ran: %d\n", (int)got);

    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR1);
    printf("blocked: got %d, pending %d\n", (int)got, sigismember(&(sigset_t){0}, SIGUSR1));
    sigset_t pend;
    sigpending(&pend);
    printf("pending usr1: %d\n", sigismember(&pend, SIGUSR1));
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("unblocked: got %d\n", (int)got);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    int r = sigsetjmp(sjb, 1);
    if (r == 0) {
        volatile int *bad = (int *)0x10;
        printf("never %d\n", *bad);
    }
    printf("recovered from SIGSEGV: %d\n", r);

    signal(SIGFPE, on_fpe);
    r = sigsetjmp(sjb, 1);
    if (r == 0) raise(SIGFPE);
    printf("recovered from SIGFPE: %d\n", r);

    signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR2);
    printf("ignored usr2\n");
    return 0;
}

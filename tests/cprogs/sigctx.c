/* Signal frames and rt_sigreturn: handlers that read and change the
 * interrupted context (skip a trap or an illegal instruction by advancing
 * NIP, change r3), state that must survive a handler (FP, vector
 * registers, the signal mask), nested and deferred signals, SA_RESETHAND,
 * and handlers on an alternate stack. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#define PT_NIP 32

static volatile int depth, maxdepth, runs;
static char altstack[65536];

static void on_trap(int sig, siginfo_t *si, void *ctx) {
    ucontext_t *uc = ctx;
    unsigned long nip = uc->uc_mcontext.gp_regs[PT_NIP];
    printf("sig %d code %d at-si_addr %d r3 %ld\n", sig, si->si_code, nip == (unsigned long)si->si_addr,
           (long)uc->uc_mcontext.gp_regs[3]);
    uc->uc_mcontext.gp_regs[PT_NIP] = nip + 4;
    uc->uc_mcontext.gp_regs[3] += 100;
    /* Clobber FP and vector state; sigreturn must restore it. */
    volatile double junk = 0;
    for (int i = 0; i < 10; i++) junk = junk * 3.7 + i;
    __asm__ volatile("vspltisw 20,-1\n\txxlxor 40,40,40" ::: "v20", "vs40");
    (void)junk;
}

static void on_usr1(int sig) {
    (void)sig;
    depth++;
    if (depth > maxdepth) maxdepth = depth;
    runs++;
    if (runs < 3) raise(SIGUSR1); /* blocked while we run: delivered after */
    depth--;
}

static void on_usr2(int sig) {
    char here;
    printf("usr2 %d on altstack %d\n", sig, &here >= altstack && &here < altstack + sizeof altstack);
}

static long trap_with(long v) {
    register long r3 __asm__("r3") = v;
    __asm__ volatile("trap" : "+r"(r3));
    return r3;
}

static long illegal_with(long v) {
    register long r3 __asm__("r3") = v;
    __asm__ volatile(".long 0" : "+r"(r3));
    return r3;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_trap;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGTRAP, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);

    double x = 1.0 / 3.0;
    vector int keep;
    __asm__ volatile("vspltisw %0,5" : "=v"(keep));
    register vector int pinned __asm__("v20") = keep;
    __asm__ volatile("" : "+v"(pinned));
    long r = trap_with(7);
    __asm__ volatile("" : "+v"(pinned));
    printf("after trap r3 %ld x %.17g v20 %d\n", r, x, pinned[2]);
    r = illegal_with(-3);
    printf("after illegal r3 %ld\n", r);

    signal(SIGUSR1, on_usr1);
    raise(SIGUSR1);
    printf("usr1 runs %d maxdepth %d\n", runs, maxdepth);

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESETHAND;
    runs = 2;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    struct sigaction now;
    sigaction(SIGUSR1, NULL, &now);
    printf("resethand: handler now default %d\n", now.sa_handler == SIG_DFL);

    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr2;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    sa.sa_flags = 0;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);

    sigset_t m;
    sigprocmask(SIG_SETMASK, NULL, &m);
    printf("mask restored: usr1 %d usr2 %d\n", sigismember(&m, SIGUSR1), sigismember(&m, SIGUSR2));
    signal(SIGABRT, SIG_DFL);
    fflush(stdout);
    abort();
}

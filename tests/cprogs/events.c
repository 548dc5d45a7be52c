/* Readiness and event descriptors: poll, select, epoll (powerpc64's
 * struct epoll_event is 16 bytes, x86-64's is packed), eventfd, timerfd,
 * flock, and a signal interrupting a blocking read (EINTR). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <unistd.h>

static void on_alarm(int sig) { (void)sig; }

int main(void) {
    int p[2];
    pipe(p);
    struct pollfd pf[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
    printf("poll empty: %d in %d out %d\n", poll(pf, 2, 0), pf[0].revents & POLLIN, pf[1].revents & POLLOUT);
    write(p[1], "xy", 2);
    printf("poll data: %d in %d\n", poll(pf, 1, 10), pf[0].revents & POLLIN);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timeval tv = {0, 1000};
    printf("select: %d isset %d\n", select(p[0] + 1, &r, NULL, NULL, &tv), FD_ISSET(p[0], &r));

    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0x1122334455667788ULL};
    printf("epoll_ctl: %d\n", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    int efd = eventfd(5, EFD_NONBLOCK);
    struct epoll_event ev2 = {.events = EPOLLIN, .data.u64 = 42};
    epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev2);
    struct epoll_event out[4];
    memset(out, 0, sizeof out);
    int n = epoll_wait(ep, out, 4, 100);
    uint64_t sum = 0;
    for (int i = 0; i < n; i++) sum += out[i].data.u64 + out[i].events;
    printf("epoll_wait: %d sum %llx\n", n, (unsigned long long)sum);
    uint64_t v = 0;
    printf("eventfd read: %zd %llu\n", read(efd, &v, 8), (unsigned long long)v);
    printf("eventfd again: %zd %d\n", read(efd, &v, 8), errno == EAGAIN);

    int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
    struct itimerspec its = {{0, 0}, {0, 3000000}};
    timerfd_settime(tfd, 0, &its, NULL);
    uint64_t exp = 0;
    printf("timerfd: %zd expirations %llu\n", read(tfd, &exp, 8), (unsigned long long)exp);

    char name[] = "/tmp/plflockXXXXXX";
    int f = mkstemp(name);
    printf("flock: %d %d\n", flock(f, LOCK_EX), flock(f, LOCK_UN));
    unlink(name);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    int q[2];
    pipe(q);
    char c;
    ssize_t rr = read(q[0], &c, 1);
    printf("interrupted read: %zd EINTR %d\n", rr, errno == EINTR);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    setitimer(ITIMER_REAL, &it, NULL);
    if (fork() == 0) {
        usleep(100000);
        write(q[1], "z", 1);
        _exit(0);
    }
    rr = read(q[0], &c, 1);
    printf("restarted read: %zd %c\n", rr, c);
    return 0;
}

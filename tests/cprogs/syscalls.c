/* The system calls a libc program makes, with results printed only where
 * they are the same for every run (no pids, times or inode numbers):
 * files and directories, open flags (powerpc's O_DIRECTORY, O_NOFOLLOW
 * and O_LARGEFILE differ from x86's), fcntl, pipes, fork/wait, mmap of a
 * file, mprotect, mremap, /proc/self, clocks, limits, uname. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

#define CHECK(x) printf("%-44s %s\n", #x, (x) ? "yes" : strerror(errno))

int main(int argc, char **argv) {
    char dir[] = "/tmp/plsysXXXXXX";
    if (!mkdtemp(dir)) return 1;
    if (chdir(dir)) return 2;
    char cwd[PATH_MAX];
    CHECK(getcwd(cwd, sizeof cwd) && strcmp(cwd, dir) == 0);

    int fd = open("f1", O_CREAT | O_WRONLY | O_TRUNC, 0640);
    CHECK(fd >= 0);
    CHECK(write(fd, "hello world\n", 12) == 12);
    CHECK(pwrite(fd, "HELLO", 5, 0) == 5);
    CHECK(lseek(fd, 0, SEEK_END) == 12);
    CHECK(ftruncate(fd, 20) == 0);
    close(fd);
    struct stat st;
    CHECK(stat("f1", &st) == 0 && st.st_size == 20 && (st.st_mode & 0777) == 0640 && S_ISREG(st.st_mode));
    fd = open("f1", O_RDONLY);
    char buf[64] = {0};
    CHECK(pread(fd, buf, 11, 0) == 11 && strcmp(buf, "HELLO world") == 0);
    CHECK(fstat(fd, &st) == 0 && st.st_blksize > 0);
    int fl = fcntl(fd, F_GETFL);
    CHECK((fl & O_ACCMODE) == O_RDONLY && !(fl & O_APPEND));
    CHECK(fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0 && (fcntl(fd, F_GETFL) & O_NONBLOCK));
    CHECK(fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC);
    void *m = mmap(NULL, 20, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(m != MAP_FAILED && memcmp(m, "HELLO world\n\0", 13) == 0);
    CHECK(munmap(m, 20) == 0);
    close(fd);
    fd = open("f1", O_WRONLY | O_APPEND);
    CHECK(fd >= 0 && (fcntl(fd, F_GETFL) & O_APPEND) && write(fd, "!", 1) == 1);
    close(fd);
    CHECK(stat("f1", &st) == 0 && st.st_size == 21);

    CHECK(mkdir("sub", 0755) == 0);
    CHECK(open("sub", O_RDONLY | O_DIRECTORY) >= 0);
    CHECK(open("f1", O_RDONLY | O_DIRECTORY) < 0 && errno == ENOTDIR);
    CHECK(symlink("f1", "link") == 0);
    CHECK(open("link", O_RDONLY | O_NOFOLLOW) < 0 && errno == ELOOP);
    CHECK(open("link", O_RDONLY | O_LARGEFILE) >= 0);
    ssize_t n = readlink("link", buf, sizeof buf);
    CHECK(n == 2 && memcmp(buf, "f1", 2) == 0);
    CHECK(lstat("link", &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(link("f1", "hard") == 0 && stat("hard", &st) == 0 && st.st_nlink == 2);
    CHECK(rename("hard", "sub/moved") == 0 && access("sub/moved", R_OK) == 0);
    CHECK(access("nonexistent", F_OK) < 0 && errno == ENOENT);
    CHECK(chmod("f1", 0600) == 0 && stat("f1", &st) == 0 && (st.st_mode & 0777) == 0600);
    struct timespec ts[2] = {{1000000000, 0}, {1234567890, 500}};
    CHECK(utimensat(AT_FDCWD, "f1", ts, 0) == 0 && stat("f1", &st) == 0 && st.st_mtime == 1234567890);
    int dfd = open(".", O_RDONLY | O_DIRECTORY);
    CHECK(fstatat(dfd, "f1", &st, 0) == 0 && st.st_size == 21);
    CHECK(openat(dfd, "sub/moved", O_RDONLY) >= 0);

    DIR *d = opendir(".");
    char *names[16];
    int k = 0;
    struct dirent *e;
    while ((e = readdir(d)) && k < 16)
        if (e->d_name[0] != '.') names[k++] = strdup(e->d_name);
    closedir(d);
    qsort(names, k, sizeof names[0], cmpstr);
    printf("dir:");
    for (int i = 0; i < k; i++) printf(" %s", names[i]);
    printf("\n");

    int p[2];
    CHECK(pipe(p) == 0);
    pid_t c = fork();
    if (c == 0) {
        close(p[0]);
        dprintf(p[1], "from child %d\n", getppid() > 0);
        _exit(7);
    }
    close(p[1]);
    memset(buf, 0, sizeof buf);
    CHECK(read(p[0], buf, sizeof buf) > 0);
    printf("pipe: %s", buf);
    int status;
    CHECK(waitpid(c, &status, 0) == c && WIFEXITED(status) && WEXITSTATUS(status) == 7);
    c = fork();
    if (c == 0) {
        raise(SIGKILL);
        _exit(0);
    }
    CHECK(waitpid(c, &status, 0) == c && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    CHECK(dup2(1, 20) == 20 && write(20, "dup2 ok\n", 8) == 8);

    char *big = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(big != MAP_FAILED && big[12345] == 0);
    memset(big, 7, 1 << 20);
    char *bigger = mremap(big, 1 << 20, 4 << 20, MREMAP_MAYMOVE);
    CHECK(bigger != MAP_FAILED && bigger[(1 << 20) - 1] == 7 && bigger[(3 << 20)] == 0);
    CHECK(mprotect(bigger, 65536, PROT_READ) == 0);
    CHECK(munmap(bigger, 4 << 20) == 0);
    void *brk0 = sbrk(0);
    CHECK(sbrk(1 << 20) == brk0 && sbrk(0) == (char *)brk0 + (1 << 20));

    FILE *f = fopen("/proc/self/cmdline", "r");
    n = f ? (ssize_t)fread(buf, 1, sizeof buf, f) : -1;
    CHECK(n > 0 && strcmp(buf, argv[0]) == 0 && argc == 1);
    n = readlink("/proc/self/exe", cwd, sizeof cwd - 1);
    cwd[n > 0 ? n : 0] = 0;
    CHECK(n > 0 && strcmp(strrchr(cwd, '/'), strrchr(argv[0], '/') ? strrchr(argv[0], '/') : "") == 0);

    struct utsname u;
    CHECK(uname(&u) == 0 && strcmp(u.machine, "ppc64le") == 0);
    struct sysinfo si;
    CHECK(sysinfo(&si) == 0 && si.mem_unit >= 1 && si.totalram > 0);
    struct rlimit rl;
    CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur > 0);
    CHECK(getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur >= 1 << 20);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct timespec nap = {0, 2000000};
    CHECK(nanosleep(&nap, NULL) == 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK((t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec) >= 2000000);
    struct timeval tv;
    CHECK(gettimeofday(&tv, NULL) == 0 && tv.tv_sec > 1600000000);
    CHECK(time(NULL) > 1600000000);
    struct statfs sf;
    CHECK(statfs(".", &sf) == 0 && sf.f_bsize > 0);
    CHECK(getpid() > 1 && getppid() > 0 && getuid() == geteuid());
    /* 64 KiB on POWER9 Linux (and for us), 4 KiB under qemu-ppc64le. */
    CHECK(sysconf(_SC_PAGESIZE) >= 4096 && sysconf(_SC_NPROCESSORS_ONLN) >= 1);

    unlink("sub/moved");
    unlink("link");
    unlink("f1");
    CHECK(rmdir("sub") == 0);
    chdir("/");
    CHECK(rmdir(dir) == 0);
    return 0;
}

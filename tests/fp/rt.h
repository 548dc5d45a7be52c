/* Freestanding runtime for the FP differential tests: _start, write/exit
 * system calls, hex output, a xorshift PRNG. No libc, so the programs run
 * before (and independently of) the emulator's glibc support. */
#ifndef RT_H
#define RT_H
typedef unsigned long u64;
typedef unsigned int u32;
typedef long i64;

__asm__(".globl _start\n"
        "_start:\n"
        "  bl 1f\n"
        "1: mflr 12\n"
        "  addis 2,12,(.TOC.-1b)@ha\n"
        "  addi 2,2,(.TOC.-1b)@l\n"
        "  mr 3,1\n"
        "  clrrdi 1,1,4\n"
        "  li 0,0\n"
        "  stdu 0,-256(1)\n"
        "  bl cmain\n"
        "  nop\n"
        "  li 0,234\n"
        "  sc\n");

static long sys3(long n, long a, long b, long c) {
    register long r0 __asm__("r0") = n;
    register long r3 __asm__("r3") = a;
    register long r4 __asm__("r4") = b;
    register long r5 __asm__("r5") = c;
    __asm__ volatile("sc" : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5)
                     : : "r6", "r7", "r8", "r9", "r10", "r11", "r12", "cr0", "memory");
    return r3;
}

static char obuf[1 << 16];
static int olen;
static void flush(void) {
    int off = 0;
    while (off < olen) {
        long n = sys3(4, 1, (long)(obuf + off), olen - off);
        if (n <= 0) break;
        off += n;
    }
    olen = 0;
}
static void putc_(char c) {
    if (olen == sizeof obuf) flush();
    obuf[olen++] = c;
}
static void puts_(const char *s) {
    while (*s) putc_(*s++);
}
static void hex(u64 v, int digits) {
    for (int i = digits - 1; i >= 0; i--) putc_("0123456789abcdef"[(v >> (4 * i)) & 15]);
}
static void dec(u64 v) {
    char t[24];
    int n = 0;
    do { t[n++] = '0' + v % 10; v /= 10; } while (v);
    while (n) putc_(t[--n]);
}
static u64 atou(const char *s) {
    u64 v = 0;
    while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
    return v;
}

static u64 rs = 0x9e3779b97f4a7c15ul;
static u64 rnd(void) {
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return rs;
}
static u64 rndn(u64 n) { return rnd() % n; }

void *memset(void *d, int c, unsigned long n) {
    char *p = d;
    while (n--) *p++ = (char)c;
    return d;
}
void *memcpy(void *d, const void *s, unsigned long n) {
    char *p = d;
    const char *q = s;
    while (n--) *p++ = *q++;
    return d;
}
#endif

/* A freestanding static-pie program (no libc: Debian's cross toolchain
 * has no rcrt1.o): position-independent code loaded at an address of the
 * loader's choosing, system calls by hand. It prints a table computed
 * from static data, its argument count, and whether a string it finds
 * through its TOC survived. */
static long sys3(long n, long a, long b, long c) {
    register long r0 __asm__("r0") = n;
    register long r3 __asm__("r3") = a;
    register long r4 __asm__("r4") = b;
    register long r5 __asm__("r5") = c;
    __asm__ volatile("sc\n\tbns+ 1f\n\tneg %1,%1\n1:"
                     : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5)
                     :
                     : "memory", "cr0", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "ctr");
    return r3;
}

static const char msg[] = "hello from a static-pie guest\n";
static unsigned table[16] = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3};

static void put(const char *s, long n) { sys3(4, 1, (long)s, n); }

static void putnum(unsigned long v) {
    char b[24];
    int n = 0;
    do {
        b[23 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put(b + 24 - n, n);
    put("\n", 1);
}

void _start_c(long *sp) {
    put(msg, sizeof msg - 1);
    unsigned long h = 0;
    for (int r = 0; r < 1000; r++)
        for (int i = 0; i < 16; i++) {
            table[i] = table[i] * 1103515245u + 12345u + (unsigned)r;
            h = h * 31 + table[i];
        }
    putnum(h);
    putnum((unsigned long)sp[0]); /* argc */
    sys3(234, 0, 0, 0);
}

__asm__(".globl _start\n"
        ".type _start,@function\n"
        "_start:\n"
        "0: addis 2,12,.TOC.-0b@ha\n"
        "   addi 2,2,.TOC.-0b@l\n"
        "   mr 3,1\n"
        "   stdu 1,-128(1)\n"
        "   bl _start_c\n"
        "   nop\n");

/* Freestanding runtime for the vector differential tests: _start, exit,
 * write, a deterministic random generator and hex output. No libc, so the
 * programs run before glibc's startup (which needs VSX) works. */
typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned char u8;

int main(void);

__asm__(".globl _start\n"
        "_start:\n"
        "  bl 1f\n"
        "1: mflr 12\n"
        "  addis 2,12,(.TOC.-1b)@ha\n"
        "  addi 2,2,(.TOC.-1b)@l\n"
        "  clrrdi 1,1,4\n"
        "  stdu 1,-64(1)\n"
        "  bl main\n"
        "  nop\n"
        "  li 0,1\n" /* exit */
        "  sc\n");

static long sys3(long n, long a, long b, long c) {
  register long r0 __asm__("r0") = n;
  register long r3 __asm__("r3") = a;
  register long r4 __asm__("r4") = b;
  register long r5 __asm__("r5") = c;
  __asm__ volatile("sc" : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5)
                   :
                   : "r6", "r7", "r8", "r9", "r10", "r11", "r12", "cr0", "memory");
  return r3;
}

static char obuf[1 << 16];
static int olen;
static void flush(void) {
  if (olen) sys3(4, 1, (long)obuf, olen);
  olen = 0;
}
static void putc_(char c) {
  if (olen == sizeof obuf) flush();
  obuf[olen++] = c;
}
static void puts_(const char *s) {
  while (*s) putc_(*s++);
}
static void hex64(u64 v) {
  for (int i = 60; i >= 0; i -= 4) putc_("0123456789abcdef"[(v >> i) & 15]);
}

static u64 rs = 0x9e3779b97f4a7c15ul;
static u64 rnd(void) {
  rs ^= rs << 13;
  rs ^= rs >> 7;
  rs ^= rs << 17;
  return rs;
}

/* Interesting 32-bit patterns: float specials and integer edges. */
static const u32 specials[] = {
    0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00001,
    0x7f800001, 0x7fa00000, 0x00000001, 0x807fffff, 0x00400000, 0x3f800000,
    0xbf800000, 0x4f000000, 0xcf000000, 0x4f800000, 0x3effffff, 0x3f000000,
    0x3fc00000, 0x40200000, 0x7f7fffff, 0x00800000, 0xffffffff, 0x7fffffff,
    0x00007fff, 0x00008000, 0x0000ffff, 0x000000ff, 0x00000080, 0x4b000001,
    0xc0400000, 0x3ea00000,
};

static u32 rword(int mode) {
  u64 r = rnd();
  switch (mode) {
  case 0: return (u32)r;
  case 1: return specials[(r >> 8) % (sizeof specials / sizeof specials[0])];
  case 2: return (u32)(r & 0x01010101) * ((r >> 40) & 1 ? 0xff : 1);
  default: { /* float in a modest range */
    u32 e = 100 + (u32)((r >> 32) % 60);
    return ((u32)r & 0x807fffff) | e << 23;
  }
  }
}

/* Fill 16 bytes: either fully random or built from patterned words. */
static void rvec(u64 *v) {
  int mode = rnd() % 5;
  if (mode == 4) {
    v[0] = rnd();
    v[1] = rnd();
    return;
  }
  u32 w[4];
  for (int i = 0; i < 4; i++) w[i] = rword((rnd() & 3) ? mode : 0);
  v[0] = (u64)w[1] << 32 | w[0];
  v[1] = (u64)w[3] << 32 | w[2];
}

void *memset(void *d, int c, unsigned long n) {
  u8 *p = d;
  while (n--) *p++ = (u8)c;
  return d;
}
void *memcpy(void *d, const void *s, unsigned long n) {
  u8 *p = d;
  const u8 *q = s;
  while (n--) *p++ = *q++;
  return d;
}

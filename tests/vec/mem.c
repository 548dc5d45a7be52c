/* Differential test of the VMX/VSX loads and stores: random buffers,
 * offsets and lengths; loads print the target register, stores the whole
 * buffer, in hex. Little-endian element ordering is the point. */
#include "rt.h"

static u8 buf[96] __attribute__((aligned(16)));
static u64 reg[2] __attribute__((aligned(16)));
static u64 out[2] __attribute__((aligned(16)));

/* X-form load into v0 (vs32) or vs3: preload from reg, load, store out */
#define LX(NAME, INSN)                                                         \
  static void NAME(u64 ea, u64 rb) {                                           \
    __asm__ volatile("lxvd2x 32,0,%[r]\n\t"                                    \
                     "lxvd2x 3,0,%[r]\n\t" INSN "\n\t"                         \
                     "stxvd2x 32,0,%[o]\n\t"                                   \
                     "stxvd2x 3,0,%[o2]\n\t"                                   \
                     :                                                         \
                     : [r] "b"(reg), [o] "b"(out), [o2] "b"(out2), [ea] "b"(ea),   \
                       [rb] "r"(rb)                                            \
                     : "v0", "vs3", "memory");                                 \
  }
#define SX(NAME, INSN)                                                         \
  static void NAME(u64 ea, u64 rb) {                                           \
    __asm__ volatile("lxvd2x 32,0,%[r]\n\t"                                    \
                     "lxvd2x 3,0,%[r]\n\t" INSN "\n\t"                         \
                     :                                                         \
                     : [r] "b"(reg), [ea] "b"(ea), [rb] "r"(rb)                \
                     : "v0", "vs3", "memory");                                 \
  }
static u64 out2[2] __attribute__((aligned(16)));

LX(t_lvx, "lvx 0,%[ea],%[rb]")
LX(t_lvxl, "lvxl 0,%[ea],%[rb]")
LX(t_lvebx, "lvebx 0,%[ea],%[rb]")
LX(t_lvehx, "lvehx 0,%[ea],%[rb]")
LX(t_lvewx, "lvewx 0,%[ea],%[rb]")
LX(t_lvsl, "lvsl 0,%[ea],%[rb]")
LX(t_lvsr, "lvsr 0,%[ea],%[rb]")
LX(t_lxsdx, "lxsdx 32,%[ea],%[rb]")
LX(t_lxsdx3, "lxsdx 3,%[ea],%[rb]")
LX(t_lxsiwax, "lxsiwax 32,%[ea],%[rb]")
LX(t_lxsiwzx, "lxsiwzx 3,%[ea],%[rb]")
LX(t_lxsspx, "lxsspx 32,%[ea],%[rb]")
LX(t_lxsspx3, "lxsspx 3,%[ea],%[rb]")
LX(t_lxvd2x, "lxvd2x 32,%[ea],%[rb]")
LX(t_lxvd2x3, "lxvd2x 3,%[ea],%[rb]")
LX(t_lxvdsx, "lxvdsx 32,%[ea],%[rb]")
LX(t_lxvw4x, "lxvw4x 32,%[ea],%[rb]")
LX(t_lxvh8x, "lxvh8x 32,%[ea],%[rb]")
LX(t_lxvb16x, "lxvb16x 32,%[ea],%[rb]")
LX(t_lxvx, "lxvx 32,%[ea],%[rb]")
LX(t_lxvx3, "lxvx 3,%[ea],%[rb]")
LX(t_lxvwsx, "lxvwsx 32,%[ea],%[rb]")
LX(t_lxsibzx, "lxsibzx 32,%[ea],%[rb]")
LX(t_lxsihzx, "lxsihzx 3,%[ea],%[rb]")
LX(t_lxvl, "lxvl 32,%[ea],%[rb]")
LX(t_lxvll, "lxvll 32,%[ea],%[rb]")
LX(t_lxsd, "lxsd 0,16(%[ea])")
LX(t_lxssp, "lxssp 0,12(%[ea])")
LX(t_lxv, "lxv 32,16(%[ea])")
LX(t_lxv3, "lxv 3,-16(%[ea])")
SX(t_stvx, "stvx 0,%[ea],%[rb]")
SX(t_stvxl, "stvxl 0,%[ea],%[rb]")
SX(t_stvebx, "stvebx 0,%[ea],%[rb]")
SX(t_stvehx, "stvehx 0,%[ea],%[rb]")
SX(t_stvewx, "stvewx 0,%[ea],%[rb]")
SX(t_stxsdx, "stxsdx 32,%[ea],%[rb]")
SX(t_stxsiwx, "stxsiwx 3,%[ea],%[rb]")
SX(t_stxsspx, "stxsspx 32,%[ea],%[rb]")
SX(t_stxvd2x, "stxvd2x 32,%[ea],%[rb]")
SX(t_stxvw4x, "stxvw4x 32,%[ea],%[rb]")
SX(t_stxvh8x, "stxvh8x 32,%[ea],%[rb]")
SX(t_stxvb16x, "stxvb16x 32,%[ea],%[rb]")
SX(t_stxvx, "stxvx 32,%[ea],%[rb]")
SX(t_stxvx3, "stxvx 3,%[ea],%[rb]")
SX(t_stxvl, "stxvl 32,%[ea],%[rb]")
SX(t_stxvll, "stxvll 32,%[ea],%[rb]")
SX(t_stxsibx, "stxsibx 32,%[ea],%[rb]")
SX(t_stxsihx, "stxsihx 32,%[ea],%[rb]")
SX(t_stxsd, "stxsd 0,8(%[ea])")
SX(t_stxssp, "stxssp 0,4(%[ea])")
SX(t_stxv, "stxv 32,16(%[ea])")
SX(t_stxv3, "stxv 3,-32(%[ea])")

struct test {
  const char *name;
  void (*fn)(u64, u64);
  int store; /* 1: print buffer; 2: also a length in RB[0:7] */
  int len;
};
static const struct test tests[] = {
    {"lvx", t_lvx, 0, 0},           {"lvxl", t_lvxl, 0, 0},
    {"lvebx", t_lvebx, 0, 0},       {"lvehx", t_lvehx, 0, 0},
    {"lvewx", t_lvewx, 0, 0},       {"lvsl", t_lvsl, 0, 0},
    {"lvsr", t_lvsr, 0, 0},         {"lxsdx", t_lxsdx, 0, 0},
    {"lxsdx3", t_lxsdx3, 0, 0},     {"lxsiwax", t_lxsiwax, 0, 0},
    {"lxsiwzx", t_lxsiwzx, 0, 0},   {"lxsspx", t_lxsspx, 0, 0},
    {"lxsspx3", t_lxsspx3, 0, 0},   {"lxvd2x", t_lxvd2x, 0, 0},
    {"lxvd2x3", t_lxvd2x3, 0, 0},   {"lxvdsx", t_lxvdsx, 0, 0},
    {"lxvw4x", t_lxvw4x, 0, 0},     {"lxvh8x", t_lxvh8x, 0, 0},
    {"lxvb16x", t_lxvb16x, 0, 0},   {"lxvx", t_lxvx, 0, 0},
    {"lxvx3", t_lxvx3, 0, 0},       {"lxvwsx", t_lxvwsx, 0, 0},
    {"lxsibzx", t_lxsibzx, 0, 0},   {"lxsihzx", t_lxsihzx, 0, 0},
    {"lxvl", t_lxvl, 0, 1},         {"lxvll", t_lxvll, 0, 1},
    {"lxsd", t_lxsd, 0, 0},         {"lxssp", t_lxssp, 0, 0},
    {"lxv", t_lxv, 0, 0},           {"lxv3", t_lxv3, 0, 0},
    {"stvx", t_stvx, 1, 0},         {"stvxl", t_stvxl, 1, 0},
    {"stvebx", t_stvebx, 1, 0},     {"stvehx", t_stvehx, 1, 0},
    {"stvewx", t_stvewx, 1, 0},     {"stxsdx", t_stxsdx, 1, 0},
    {"stxsiwx", t_stxsiwx, 1, 0},   {"stxsspx", t_stxsspx, 1, 0},
    {"stxvd2x", t_stxvd2x, 1, 0},   {"stxvw4x", t_stxvw4x, 1, 0},
    {"stxvh8x", t_stxvh8x, 1, 0},   {"stxvb16x", t_stxvb16x, 1, 0},
    {"stxvx", t_stxvx, 1, 0},       {"stxvx3", t_stxvx3, 1, 0},
    {"stxvl", t_stxvl, 1, 1},       {"stxvll", t_stxvll, 1, 1},
    {"stxsibx", t_stxsibx, 1, 0},   {"stxsihx", t_stxsihx, 1, 0},
    {"stxsd", t_stxsd, 1, 0},       {"stxssp", t_stxssp, 1, 0},
    {"stxv", t_stxv, 1, 0},         {"stxv3", t_stxv3, 1, 0},
};

/* A double whose exponent is near the single-precision limits, so the
 * store-single conversion takes every path. */
static u64 rdouble(void) {
  u64 r = rnd();
  u64 e = 860 + (rnd() % 300);
  if ((r & 7) == 0) e = 0x7ff;
  if ((r & 7) == 1) e = 0;
  return (r & 0x800fffffffffffffull) | e << 52;
}

int main(void) {
  int n = sizeof tests / sizeof tests[0];
  for (int k = 0; k < n; k++) {
    for (int it = 0; it < 48; it++) {
      for (int j = 0; j < 96; j += 16) rvec((u64 *)(buf + j));
      rvec(reg);
      if (it & 1) reg[1] = rdouble(); /* doubleword 0 of the register */
      out[0] = out[1] = out2[0] = out2[1] = 0;
      u64 off = rnd() % 40;
      u64 ea = (u64)buf + 32, rb = off;
      if (tests[k].len) {
        rb = (rnd() % 20) << 56 | (rnd() & 0xff);
        ea = (u64)buf + 16 + off;
      } else if (rnd() & 1) { /* base in RB, offset in RA */
        ea = off;
        rb = (u64)buf + 32;
      }
      if (tests[k].fn == t_lxsd || tests[k].fn == t_lxssp || tests[k].fn == t_stxsd ||
          tests[k].fn == t_stxssp)
        ea = (u64)buf + 32 + (off & ~3ul);
      if (tests[k].fn == t_lxv || tests[k].fn == t_lxv3 || tests[k].fn == t_stxv ||
          tests[k].fn == t_stxv3)
        ea = (u64)buf + 32 + (off & 15);
      tests[k].fn(ea, rb);
      puts_(tests[k].name);
      putc_(' ');
      if (tests[k].store) {
        for (int j = 0; j < 96; j += 8) hex64(*(u64 *)(buf + j));
      } else {
        hex64(out[1]);
        hex64(out[0]);
        putc_(' ');
        hex64(out2[1]);
        hex64(out2[0]);
      }
      putc_('\n');
    }
  }
  flush();
  return 0;
}

/* Differential test of VMX/VSX register instructions: each test loads
 * random operands into v0-v3 (vs32-vs35), sets VSCR, runs one
 * instruction and prints VRT, VSCR, CR and the GPR result in hex.
 * @generated in part by gen_ops.py (ops.c); edit ops_head.c/ops_tail.c. */
#include "rt.h"

struct io {
  u64 t[2], a[2], b[2], c[2], vscr[2], out[2], ovscr[2];
  u64 ra, rb, rt, cr;
  u64 f3, f4, f5;
} __attribute__((aligned(16)));

/* v0=T, v1=A, v2=B, v3=C; vs3/vs4/vs5 (FPR half) from f3..f5. */
#define RUN(INSN)                                                             \
  __asm__ volatile("lvx 4,0,%[vs]\n\t"                                        \
                   "mtvscr 4\n\t"                                             \
                   "lvx 0,0,%[t]\n\t"                                         \
                   "lvx 1,0,%[a]\n\t"                                         \
                   "lvx 2,0,%[b]\n\t"                                         \
                   "lvx 3,0,%[c]\n\t"                                         \
                   "lxvd2x 3,0,%[a]\n\t"                                      \
                   "lxvd2x 4,0,%[b]\n\t"                                      \
                   "lxvd2x 5,0,%[c]\n\t"                                      \
                   "mr %[rt],%[rb]\n\t" INSN "\n\t"                           \
                   "stvx 0,0,%[o]\n\t"                                        \
                   "mfvscr 4\n\t"                                             \
                   "stvx 4,0,%[ov]\n\t"                                       \
                   "mfcr %[cr]\n\t"                                           \
                   "stxvd2x 3,0,%[f3]\n\t"                                    \
                   "stxvd2x 5,0,%[f5]\n\t"                                    \
                   : [rt] "=&r"(p->rt), [cr] "=r"(p->cr)                      \
                   : [vs] "b"(p->vscr), [t] "b"(p->t), [a] "b"(p->a),         \
                     [b] "b"(p->b), [c] "b"(p->c), [o] "b"(p->out),           \
                     [ov] "b"(p->ovscr), [ra] "r"(p->ra), [rb] "r"(p->rb),    \
                     [f3] "b"(f3buf), [f5] "b"(f5buf)                         \
                   : "v0", "v1", "v2", "v3", "v4", "vs3", "vs4", "vs5", "cr6", \
                     "memory")

static u64 f3buf[2] __attribute__((aligned(16)));
static u64 f5buf[2] __attribute__((aligned(16)));

struct test {
  const char *name;
  void (*fn)(struct io *);
  int ramax; /* RA bits 60:63 kept below this when nonzero */
};


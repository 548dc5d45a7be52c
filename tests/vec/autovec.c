/* Loops that gcc -O3 -mcpu=power9 auto-vectorises (integer and float
 * arithmetic, reductions, conversions, shuffles); prints the results. */
#include <stdio.h>
#include <stdint.h>

#define N 1003
static int32_t ia[N], ib[N], ic[N];
static int16_t sa[N], sb[N];
static uint8_t ua[N], ub[N];
static int64_t la[N], lb[N];
static float fa[N], fb[N], fc[N];
static double da[N], db[N];

static uint64_t rs = 0x12345678abcdefull;
static uint64_t rnd(void) {
  rs ^= rs << 13;
  rs ^= rs >> 7;
  rs ^= rs << 17;
  return rs;
}

__attribute__((noinline)) static void kernels(void) {
  for (int i = 0; i < N; i++) ic[i] = ia[i] * ib[i] + (ia[i] >> 3);
  for (int i = 0; i < N; i++) sa[i] = (int16_t)(sa[i] + sb[i] * 3);
  for (int i = 0; i < N; i++) ua[i] = (uint8_t)((ua[i] + ub[i] + 1) >> 1);
  for (int i = 0; i < N; i++) la[i] = la[i] * 7 - (lb[i] << 2);
  for (int i = 0; i < N; i++) fc[i] = fa[i] * fb[i] + fc[i];
  for (int i = 0; i < N; i++) da[i] = da[i] * 0.5 + db[i];
  for (int i = 0; i < N; i++) ib[i] = ia[i] > ib[i] ? ia[i] : ib[i];
  for (int i = 0; i < N; i++) fa[i] = (float)ia[i];
  for (int i = 0; i < N; i++) ia[i] = (int32_t)fb[i];
  for (int i = 0; i < N; i++) ub[i] = ua[N - 1 - i];
  for (int i = 0; i < N; i++) sb[i] = (int16_t)ua[i] - 100;
}

int main(void) {
  for (int i = 0; i < N; i++) {
    ia[i] = (int32_t)rnd();
    ib[i] = (int32_t)rnd() % 1000;
    sa[i] = (int16_t)rnd();
    sb[i] = (int16_t)rnd();
    ua[i] = (uint8_t)rnd();
    ub[i] = (uint8_t)rnd();
    la[i] = (int64_t)rnd();
    lb[i] = (int64_t)rnd();
    fa[i] = (float)(int32_t)rnd() / 65536.0f;
    fb[i] = (float)(int16_t)rnd() / 16.0f;
    fc[i] = 1.0f / (1 + i);
    da[i] = (double)(int64_t)rnd() / 1e6;
    db[i] = i * 0.25;
  }
  for (int r = 0; r < 3; r++) kernels();
  uint64_t h = 0;
  int64_t isum = 0;
  float fsum = 0;
  double dsum = 0;
  for (int i = 0; i < N; i++) {
    isum += ic[i] + ib[i] + sa[i] + ua[i] + la[i] + ia[i] + ub[i] + sb[i];
    fsum += fc[i] + fa[i];
    dsum += da[i];
    h = h * 31 + (uint32_t)ic[i] + (uint16_t)sa[i] + ua[i] + (uint64_t)la[i];
  }
  printf("%016llx %lld %.6e %.10e\n", (unsigned long long)h, (long long)isum, fsum, dsum);
  for (int i = 0; i < N; i += 97) printf("%d %d %d %g %g\n", ic[i], sa[i], ua[i], fc[i], da[i]);
  return 0;
}

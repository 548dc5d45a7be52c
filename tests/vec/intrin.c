/* altivec.h intrinsics as compiled by gcc for POWER8 and POWER9:
 * unaligned vec_xl/vec_xst, vec_perm, predicates (vcmp*. with CR6),
 * sums, packs, splats, conversions. Prints results in hex. */
#include <altivec.h>
#include <stdio.h>
#include <string.h>

typedef __vector unsigned char vu8;
typedef __vector signed short vs16;
typedef __vector signed int vs32;
typedef __vector unsigned int vu32;
typedef __vector float vf;
typedef __vector unsigned long long vu64;

static unsigned char buf[256];
static unsigned long rs = 0x2545F4914F6CDD1Dul;
static unsigned long rnd(void) {
  rs ^= rs << 13;
  rs ^= rs >> 7;
  rs ^= rs << 17;
  return rs;
}
static void pv(const char *n, vu8 v) {
  unsigned char b[16];
  memcpy(b, &v, 16);
  printf("%s ", n);
  for (int i = 0; i < 16; i++) printf("%02x", b[i]);
  printf("\n");
}
#define P(n, ...) pv(n, (vu8)(__VA_ARGS__))

int main(void) {
  for (int i = 0; i < 256; i++) buf[i] = (unsigned char)rnd();
  for (int it = 0; it < 64; it++) {
    int o1 = rnd() % 100, o2 = rnd() % 100;
    vu8 a = vec_xl(o1, buf), b = vec_xl(o2, buf);
    vs16 sa = (vs16)a, sb = (vs16)b;
    vs32 ia = (vs32)a, ib = (vs32)b;
    vf fa = vec_ctf(ia, 3), fb = vec_ctf(ib, 0);
    P("xl", a);
    P("perm", vec_perm(a, b, (vu8)vec_xl(o2 + 7, buf)));
    P("adds", vec_adds(sa, sb));
    P("subs", vec_subs(a, b));
    P("mule", vec_mule(sa, sb));
    P("sum4s", vec_sum4s(sa, ib));
    P("sums", vec_sums(ia, ib));
    P("packs", vec_packs(ia, ib));
    P("packsu", vec_packsu(ia, ib));
    P("unpackh", vec_unpackh(sa));
    P("mergel", vec_mergel(a, b));
    P("splat", vec_splat(ia, 2));
    P("sld", vec_sld(a, b, 5));
    P("sll", vec_sll(a, vec_splat_u8(3)));
    P("slo", vec_slo(a, b));
    P("rl", vec_rl(ia, (vu32)ib));
    P("sra", vec_sra(sa, (__vector unsigned short)sb));
    P("avg", vec_avg(a, b));
    P("max", vec_max(ia, ib));
    P("madd", vec_madd(fa, fb, fa));
    P("cts", vec_cts(fb, 2));
    P("ctu", vec_ctu(fa, 1));
    P("round", vec_round(fa));
    P("floor", vec_floor(fb));
    P("re", vec_re(fb));
    P("cmpgt", vec_cmpgt(fa, fb));
    P("cmpb", vec_cmpb(fa, fb));
    P("sel", vec_sel(a, b, (vu8)vec_xl(o1 + 3, buf)));
    P("xor", vec_xor(a, b));
    P("popcnt", vec_popcnt(a));
    P("cntlz", vec_cntlz(ia));
    P("vbpermq", vec_vbpermq(a, b));
    P("gbbd", vec_vgbbd(a));
    P("pmsum", vec_pmsum_be((vu64)a, (vu64)b));
    P("cipher", __builtin_crypto_vcipher((vu64)a, (vu64)b));
    P("ncipher", __builtin_crypto_vncipher((vu64)a, (vu64)b));
    P("sha", __builtin_crypto_vshasigmaw((vu32)a, 1, 5));
    printf("pred %d %d %d %d %d\n", vec_all_eq(a, a), vec_any_eq(a, b), vec_all_gt(ia, ib),
           vec_any_lt(fa, fb), vec_all_in(fa, fb));
#ifdef _ARCH_PWR9
    P("cmpnez", vec_cmpnez(a, b));
    P("cntlz_lsbb", (vu32){vec_cntlz_lsbb(a), vec_cnttz_lsbb(b), 0, 0});
    P("extract", (vu64){vec_extract(a, o1 & 15), 0});
    P("xl_len", vec_xl_len(buf + o1, o2 % 18));
    vec_xst_len(a, buf + 200, o1 % 18);
    P("after_xst_len", vec_xl(200, buf));
    P("rlnm", vec_rlnm((vu32)ia, (vu32)ib, (vu32)a));
    P("absd", vec_absd(a, b));
    P("revb", vec_revb(ia));
#endif
    vec_xst(vec_add(a, b), o2, buf);
  }
  return 0;
}

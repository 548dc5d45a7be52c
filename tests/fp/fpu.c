/* Differential test of the floating-point instructions: every listed
 * instruction runs on random operands (zeros, denormals, normals near the
 * format limits, infinities, QNaNs, SNaNs, values related to each other)
 * under random FPSCR states (all four rounding modes, random sticky
 * exception bits, enables off) and prints its inputs and every output
 * (target VSR, FPSCR, CR, r9) in hex. tests/fp.rs runs it under
 * qemu-ppc64le and powerlift and compares the outputs.
 *
 * usage: fpu COUNT SEED [FIRST LAST]   (test numbers FIRST..LAST only) */
#include "rt.h"

typedef struct {
    u64 v[4][2];   /* vs0..vs3: [0] = doubleword 0, [1] = doubleword 1 */
    u64 fpscr;
    u64 r9;
    u64 out[2];
    u64 fpscr_out;
    u64 cr;
    u64 r9_out;
} io_t;

/* Load vs0-vs3 (doubleword 0 from v[n][0]), the FPSCR and r9; clear the
 * CR; run the instruction; store vs0, FPSCR, CR, r9. vs4 is scratch. */
#define STUB(id, text)                                                        \
    static void t_##id(io_t *p) {                                             \
        __asm__ volatile(                                                     \
            "li 10,0\n lxvd2x 0,%0,10\n li 10,16\n lxvd2x 1,%0,10\n"         \
            "li 10,32\n lxvd2x 2,%0,10\n li 10,48\n lxvd2x 3,%0,10\n"        \
            "lfd 4,64(%0)\n mtfsf 0xff,4,1,0\n ld 9,72(%0)\n"                \
            "li 10,0\n mtcrf 0xff,10\n"                                       \
            text "\n"                                                         \
            "li 10,80\n stxvd2x 0,%0,10\n mffs 4\n stfd 4,96(%0)\n"          \
            "mfcr 10\n std 10,104(%0)\n std 9,112(%0)\n"                     \
            : : "b"(p)                                                        \
            : "r9", "r10", "vs0", "vs1", "vs2", "vs3", "vs4", "cr0", "cr1",  \
              "cr2", "cr3", "cr4", "cr5", "cr6", "cr7", "memory");            \
    }

/* Operand kinds: d double, s single-representable double, i integer,
 * c value for integer conversion, f FPSCR image, v two doubles, w four singles, x two
 * 64-bit integers, y four 32-bit integers, h halves. */
#define TESTS(X)                                   \
    X(fadd, "fadd 0,1,2", 'd')                     \
    X(fadd_rc, "fadd. 0,1,2", 'd')                 \
    X(fsub, "fsub 0,1,2", 'd')                     \
    X(fmul, "fmul 0,1,3", 'd')                     \
    X(fdiv, "fdiv 0,1,2", 'd')                     \
    X(fsqrt, "fsqrt 0,2", 'd')                     \
    X(fre, "fre 0,2", 'd')                         \
    X(frsqrte, "frsqrte 0,2", 'd')                 \
    X(fmadd, "fmadd 0,1,3,2", 'd')                 \
    X(fmsub, "fmsub 0,1,3,2", 'd')                 \
    X(fnmadd, "fnmadd 0,1,3,2", 'd')               \
    X(fnmsub_rc, "fnmsub. 0,1,3,2", 'd')           \
    X(fadds, "fadds 0,1,2", 's')                   \
    X(fsubs, "fsubs 0,1,2", 's')                   \
    X(fmuls, "fmuls 0,1,3", 's')                   \
    X(fdivs, "fdivs 0,1,2", 's')                   \
    X(fsqrts, "fsqrts 0,2", 's')                   \
    X(fres, "fres 0,2", 's')                       \
    X(frsqrtes, "frsqrtes 0,2", 's')               \
    X(fmadds, "fmadds 0,1,3,2", 's')               \
    X(fmsubs, "fmsubs 0,1,3,2", 's')               \
    X(fnmadds, "fnmadds 0,1,3,2", 's')             \
    X(fnmsubs, "fnmsubs. 0,1,3,2", 's')            \
    X(fadds_d, "fadds 0,1,2", 'd')                 \
    X(fmadds_d, "fmadds 0,1,3,2", 'd')             \
    X(fmuls_d, "fmuls 0,1,3", 'd')                 \
    X(fdivs_d, "fdivs 0,1,2", 'd')                 \
    X(fsqrts_d, "fsqrts 0,2", 'd')                 \
    X(fnmsubs_d, "fnmsubs 0,1,3,2", 'd')           \
    X(fsel, "fsel. 0,1,3,2", 'd')                  \
    X(fmr, "fmr 0,2", 'd')                         \
    X(fneg, "fneg. 0,2", 'd')                      \
    X(fabs, "fabs 0,2", 'd')                       \
    X(fnabs, "fnabs 0,2", 'd')                     \
    X(fcpsgn, "fcpsgn 0,1,2", 'd')                 \
    X(fmr_rc, "fmr. 0,2", 'd')                     \
    X(fabs_rc, "fabs. 0,2", 'd')                   \
    X(fnabs_rc, "fnabs. 0,2", 'd')                 \
    X(fcpsgn_rc, "fcpsgn. 0,1,2", 'd')             \
    X(fmrgew, "fmrgew 0,1,2", 'd')                 \
    X(fmrgow, "fmrgow 0,1,2", 'd')                 \
    X(frsp, "frsp 0,2", 'd')                       \
    X(frsp_rc, "frsp. 0,2", 'd')                   \
    X(fctid, "fctid 0,2", 'c')                     \
    X(fctidz, "fctidz 0,2", 'c')                   \
    X(fctidu, "fctidu 0,2", 'c')                   \
    X(fctiduz, "fctiduz 0,2", 'c')                 \
    X(fctiw, "fctiw 0,2", 'c')                     \
    X(fctiwz, "fctiwz. 0,2", 'c')                  \
    X(fctiwu, "fctiwu 0,2", 'c')                   \
    X(fctiwuz, "fctiwuz 0,2", 'c')                 \
    X(fcfid, "fcfid 0,2", 'i')                     \
    X(fcfidu, "fcfidu 0,2", 'i')                   \
    X(fcfids, "fcfids 0,2", 'i')                   \
    X(fcfidus, "fcfidus. 0,2", 'i')                \
    X(frin, "frin 0,2", 'c')                       \
    X(friz, "friz 0,2", 'c')                       \
    X(frip, "frip 0,2", 'c')                       \
    X(frim, "frim. 0,2", 'c')                      \
    X(fcmpu, "fcmpu 5,1,2", 'd')                   \
    X(fcmpo, "fcmpo 0,1,2", 'd')                   \
    X(ftdiv, "ftdiv 3,1,2", 'd')                   \
    X(ftsqrt, "ftsqrt 7,2", 'd')                   \
    X(mffs_rc, "mffs. 0", 'd')                     \
    X(mffsce, "mffsce 0", 'd')                     \
    X(mffsl, "mffsl 0", 'd')                       \
    X(mffscrn, "mffscrn 0,2", 'i')                 \
    X(mffscrni, "mffscrni 0,2", 'd')               \
    X(mffscdrn, "mffscdrn 0,2", 'i')               \
    X(mffscdrni, "mffscdrni 0,5", 'd')             \
    X(mcrfs, "mcrfs 2,1", 'd')                     \
    X(mcrfs3, "mcrfs 7,3", 'd')                    \
    X(mtfsfi, "mtfsfi. 5,9", 'd')                  \
    X(mtfsfi_rn, "mtfsfi 7,2", 'd')                \
    X(mtfsfi_w, "mtfsfi 7,3,1", 'd')               \
    X(mtfsf, "mtfsf. 0xfe,2", 'f')                 \
    X(mtfsb0, "mtfsb0. 3", 'd')                    \
    X(mtfsb1, "mtfsb1 5", 'd')                     \
    X(mtfsb1_fx, "mtfsb1. 0", 'd')                 \
    X(mtfsb1_vx, "mtfsb1 2", 'd')                  \
    X(mtfsb0_fex, "mtfsb0 1", 'd')                 \
    X(xsadddp, "xsadddp 0,1,2", 'd')                    \
    X(xssubdp, "xssubdp 0,1,2", 'd')                    \
    X(xsmuldp, "xsmuldp 0,1,2", 'd')                    \
    X(xsdivdp, "xsdivdp 0,1,2", 'd')                    \
    X(xssqrtdp, "xssqrtdp 0,2", 'd')                    \
    X(xsredp, "xsredp 0,2", 'd')                        \
    X(xsrsqrtedp, "xsrsqrtedp 0,2", 'd')                \
    X(xsmaddadp, "xsmaddadp 0,1,2", 'd')                \
    X(xsmaddmdp, "xsmaddmdp 0,1,2", 'd')                \
    X(xsmsubadp, "xsmsubadp 0,1,2", 'd')                \
    X(xsmsubmdp, "xsmsubmdp 0,1,2", 'd')                \
    X(xsnmaddadp, "xsnmaddadp 0,1,2", 'd')              \
    X(xsnmaddmdp, "xsnmaddmdp 0,1,2", 'd')              \
    X(xsnmsubadp, "xsnmsubadp 0,1,2", 'd')              \
    X(xsnmsubmdp, "xsnmsubmdp 0,1,2", 'd')              \
    X(xsaddsp, "xsaddsp 0,1,2", 's')                    \
    X(xssubsp, "xssubsp 0,1,2", 's')                    \
    X(xsmulsp, "xsmulsp 0,1,2", 's')                    \
    X(xsdivsp, "xsdivsp 0,1,2", 's')                    \
    X(xssqrtsp, "xssqrtsp 0,2", 's')                    \
    X(xsresp, "xsresp 0,2", 's')                        \
    X(xsrsqrtesp, "xsrsqrtesp 0,2", 's')                \
    X(xsmaddasp, "xsmaddasp 0,1,2", 's')                \
    X(xsmaddmsp, "xsmaddmsp 0,1,2", 's')                \
    X(xsmsubasp, "xsmsubasp 0,1,2", 's')                \
    X(xsnmaddasp, "xsnmaddasp 0,1,2", 's')              \
    X(xsnmsubmsp, "xsnmsubmsp 0,1,2", 's')              \
    X(xsabsdp, "xsabsdp 0,2", 'd')                      \
    X(xsnabsdp, "xsnabsdp 0,2", 'd')                    \
    X(xsnegdp, "xsnegdp 0,2", 'd')                      \
    X(xscpsgndp, "xscpsgndp 0,1,2", 'd')                \
    X(xsmaxdp, "xsmaxdp 0,1,2", 'd')                    \
    X(xsmindp, "xsmindp 0,1,2", 'd')                    \
    X(xsmaxcdp, "xsmaxcdp 0,1,2", 'd')                  \
    X(xsmincdp, "xsmincdp 0,1,2", 'd')                  \
    X(xsmaxjdp, "xsmaxjdp 0,1,2", 'd')                  \
    X(xsminjdp, "xsminjdp 0,1,2", 'd')                  \
    X(xscmpudp, "xscmpudp 5,1,2", 'd')                  \
    X(xscmpodp, "xscmpodp 1,1,2", 'd')                  \
    X(xscmpexpdp, "xscmpexpdp 2,1,2", 'd')              \
    X(xscmpeqdp, "xscmpeqdp 0,1,2", 'd')                \
    X(xscmpgtdp, "xscmpgtdp 0,1,2", 'd')                \
    X(xscmpgedp, "xscmpgedp 0,1,2", 'd')                \
    X(xstdivdp, "xstdivdp 3,1,2", 'd')                  \
    X(xstsqrtdp, "xstsqrtdp 4,2", 'd')                  \
    X(xststdcdp, "xststdcdp 1,2,0x7f", 'd')             \
    X(xststdcdp2, "xststdcdp 6,2,0x15", 'd')            \
    X(xststdcsp, "xststdcsp 1,2,0x7f", 's')             \
    X(xststdcsp2, "xststdcsp 1,2,109", 'd')             \
    X(xststdcsp3, "xststdcsp 1,2,0x12", 'w')            \
    X(xsrdpi, "xsrdpi 0,2", 'c')                        \
    X(xsrdpic, "xsrdpic 0,2", 'c')                      \
    X(xsrdpim, "xsrdpim 0,2", 'c')                      \
    X(xsrdpip, "xsrdpip 0,2", 'c')                      \
    X(xsrdpiz, "xsrdpiz 0,2", 'c')                      \
    X(xsrsp, "xsrsp 0,2", 'd')                          \
    X(xscvdpsp, "xscvdpsp 0,2", 'd')                    \
    X(xscvdpspn, "xscvdpspn 0,2", 's')                  \
    X(xscvspdp, "xscvspdp 0,2", 'w')                    \
    X(xscvspdpn, "xscvspdpn 0,2", 'w')                  \
    X(xscvdpsxds, "xscvdpsxds 0,2", 'c')                \
    X(xscvdpsxws, "xscvdpsxws 0,2", 'c')                \
    X(xscvdpuxds, "xscvdpuxds 0,2", 'c')                \
    X(xscvdpuxws, "xscvdpuxws 0,2", 'c')                \
    X(xscvsxddp, "xscvsxddp 0,2", 'i')                  \
    X(xscvuxddp, "xscvuxddp 0,2", 'i')                  \
    X(xscvsxdsp, "xscvsxdsp 0,2", 'i')                  \
    X(xscvuxdsp, "xscvuxdsp 0,2", 'i')                  \
    X(xscvdphp, "xscvdphp 0,2", 'd')                    \
    X(xscvhpdp, "xscvhpdp 0,2", 'h')                    \
    X(xsxexpdp, "xsxexpdp 9,2", 'd')                    \
    X(xsxsigdp, "xsxsigdp 9,2", 'd')                    \
    X(xsiexpdp, "xsiexpdp 0,9,9", 'd')                  \
    X(xvadddp, "xvadddp 0,1,2", 'v')                    \
    X(xvsubdp, "xvsubdp 0,1,2", 'v')                    \
    X(xvmuldp, "xvmuldp 0,1,2", 'v')                    \
    X(xvdivdp, "xvdivdp 0,1,2", 'v')                    \
    X(xvsqrtdp, "xvsqrtdp 0,2", 'v')                    \
    X(xvredp, "xvredp 0,2", 'v')                        \
    X(xvrsqrtedp, "xvrsqrtedp 0,2", 'v')                \
    X(xvmaddadp, "xvmaddadp 0,1,2", 'v')                \
    X(xvmsubmdp, "xvmsubmdp 0,1,2", 'v')                \
    X(xvnmaddadp, "xvnmaddadp 0,1,2", 'v')              \
    X(xvnmsubmdp, "xvnmsubmdp 0,1,2", 'v')              \
    X(xvaddsp, "xvaddsp 0,1,2", 'w')                    \
    X(xvsubsp, "xvsubsp 0,1,2", 'w')                    \
    X(xvmulsp, "xvmulsp 0,1,2", 'w')                    \
    X(xvdivsp, "xvdivsp 0,1,2", 'w')                    \
    X(xvsqrtsp, "xvsqrtsp 0,2", 'w')                    \
    X(xvresp, "xvresp 0,2", 'w')                        \
    X(xvrsqrtesp, "xvrsqrtesp 0,2", 'w')                \
    X(xvmaddasp, "xvmaddasp 0,1,2", 'w')                \
    X(xvmaddmsp, "xvmaddmsp 0,1,2", 'w')                \
    X(xvnmsubasp, "xvnmsubasp 0,1,2", 'w')              \
    X(xvmsubasp, "xvmsubasp 0,1,2", 'w')                \
    X(xvabsdp, "xvabsdp 0,2", 'v')                      \
    X(xvnabsdp, "xvnabsdp 0,2", 'v')                    \
    X(xvnegdp, "xvnegdp 0,2", 'v')                      \
    X(xvabssp, "xvabssp 0,2", 'w')                      \
    X(xsmsubmsp, "xsmsubmsp 0,1,2", 's')                \
    X(xsnmaddmsp, "xsnmaddmsp 0,1,2", 's')              \
    X(xsnmsubasp, "xsnmsubasp 0,1,2", 's')              \
    X(xvmaddmdp, "xvmaddmdp 0,1,2", 'v')                \
    X(xvmsubadp, "xvmsubadp 0,1,2", 'v')                \
    X(xvnmaddmdp, "xvnmaddmdp 0,1,2", 'v')              \
    X(xvnmsubadp, "xvnmsubadp 0,1,2", 'v')              \
    X(xvmsubmsp, "xvmsubmsp 0,1,2", 'w')                \
    X(xvnmaddasp, "xvnmaddasp 0,1,2", 'w')              \
    X(xvnmaddmsp, "xvnmaddmsp 0,1,2", 'w')              \
    X(xvnmsubmsp, "xvnmsubmsp 0,1,2", 'w')              \
    X(xvrdpim, "xvrdpim 0,2", 'v')                      \
    X(xvrdpip, "xvrdpip 0,2", 'v')                      \
    X(xvrspiz, "xvrspiz 0,2", 'w')                      \
    X(xvcmpeqdp_n, "xvcmpeqdp 0,1,2", 'v')              \
    X(xvcmpgtdp_rc, "xvcmpgtdp. 0,1,2", 'v')            \
    X(xvcmpeqsp_rc, "xvcmpeqsp. 0,1,2", 'w')            \
    X(xvcmpgesp_n, "xvcmpgesp 0,1,2", 'w')              \
    X(xvnegsp, "xvnegsp 0,2", 'w')                      \
    X(xvnabssp, "xvnabssp 0,2", 'w')                    \
    X(xvcpsgndp, "xvcpsgndp 0,1,2", 'v')                \
    X(xvcpsgnsp, "xvcpsgnsp 0,1,2", 'w')                \
    X(xvmaxdp, "xvmaxdp 0,1,2", 'v')                    \
    X(xvmindp, "xvmindp 0,1,2", 'v')                    \
    X(xvmaxsp, "xvmaxsp 0,1,2", 'w')                    \
    X(xvminsp, "xvminsp 0,1,2", 'w')                    \
    X(xvcmpeqdp, "xvcmpeqdp. 0,1,2", 'v')               \
    X(xvcmpgtdp, "xvcmpgtdp 0,1,2", 'v')                \
    X(xvcmpgedp, "xvcmpgedp. 0,1,2", 'v')               \
    X(xvcmpeqsp, "xvcmpeqsp 0,1,2", 'w')                \
    X(xvcmpgtsp, "xvcmpgtsp. 0,1,2", 'w')               \
    X(xvcmpgesp, "xvcmpgesp. 0,1,2", 'w')               \
    X(xvtdivdp, "xvtdivdp 3,1,2", 'v')                  \
    X(xvtdivsp, "xvtdivsp 3,1,2", 'w')                  \
    X(xvtsqrtdp, "xvtsqrtdp 4,2", 'v')                  \
    X(xvtsqrtsp, "xvtsqrtsp 4,2", 'w')                  \
    X(xvtstdcdp, "xvtstdcdp 0,2,0x55", 'v')             \
    X(xvtstdcsp, "xvtstdcsp 0,2,0x2b", 'w')             \
    X(xvrdpi, "xvrdpi 0,2", 'v')                        \
    X(xvrdpic, "xvrdpic 0,2", 'v')                      \
    X(xvrdpiz, "xvrdpiz 0,2", 'v')                      \
    X(xvrspi, "xvrspi 0,2", 'w')                        \
    X(xvrspic, "xvrspic 0,2", 'w')                      \
    X(xvrspim, "xvrspim 0,2", 'w')                      \
    X(xvrspip, "xvrspip 0,2", 'w')                      \
    X(xvcvdpsp, "xvcvdpsp 0,2", 'v')                    \
    X(xvcvspdp, "xvcvspdp 0,2", 'w')                    \
    X(xvcvdpsxds, "xvcvdpsxds 0,2", 'v')                \
    X(xvcvdpsxws, "xvcvdpsxws 0,2", 'v')                \
    X(xvcvdpuxds, "xvcvdpuxds 0,2", 'v')                \
    X(xvcvdpuxws, "xvcvdpuxws 0,2", 'v')                \
    X(xvcvspsxds, "xvcvspsxds 0,2", 'w')                \
    X(xvcvspuxds, "xvcvspuxds 0,2", 'w')                \
    X(xvcvspsxws, "xvcvspsxws 0,2", 'w')                \
    X(xvcvspuxws, "xvcvspuxws 0,2", 'w')                \
    X(xvcvsxddp, "xvcvsxddp 0,2", 'x')                  \
    X(xvcvuxddp, "xvcvuxddp 0,2", 'x')                  \
    X(xvcvsxdsp, "xvcvsxdsp 0,2", 'x')                  \
    X(xvcvuxdsp, "xvcvuxdsp 0,2", 'x')                  \
    X(xvcvsxwdp, "xvcvsxwdp 0,2", 'y')                  \
    X(xvcvuxwdp, "xvcvuxwdp 0,2", 'y')                  \
    X(xvcvsxwsp, "xvcvsxwsp 0,2", 'y')                  \
    X(xvcvuxwsp, "xvcvuxwsp 0,2", 'y')                  \
    X(xvcvhpsp, "xvcvhpsp 0,2", 'h')                    \
    X(xvcvsphp, "xvcvsphp 0,2", 'w')                    \
    X(xvxexpdp, "xvxexpdp 0,2", 'v')                    \
    X(xvxexpsp, "xvxexpsp 0,2", 'w')                    \
    X(xvxsigdp, "xvxsigdp 0,2", 'v')                    \
    X(xvxsigsp, "xvxsigsp 0,2", 'w')                    \
    X(xviexpdp, "xviexpdp 0,1,2", 'v')                  \
    X(xviexpsp, "xviexpsp 0,1,2", 'w')

#define DEF(id, text, kind) STUB(id, text)
TESTS(DEF)

typedef struct {
    const char *name;
    void (*fn)(io_t *);
    char kind;
} test_t;
#define ENT(id, text, kind) {#id, t_##id, kind},
static const test_t tests[] = {TESTS(ENT)};
#define NTESTS (sizeof tests / sizeof tests[0])

/* A random double from one of several classes. */
static u64 gen_double(void) {
    u64 s = rnd() & (1ul << 63);
    u64 m = rnd() & ((1ul << 52) - 1);
    switch (rndn(14)) {
    case 0: return s;                                       /* ±0 */
    case 1: return s | (m >> rndn(52)) | 1;                 /* denormal */
    case 2: return s | (rnd() & 0x7fffffffffffffff);        /* any */
    case 3: return s | (1023 + rndn(120) - 60) << 52 | m;   /* moderate */
    case 4: return s | 0x7ff0000000000000ul;                /* ±inf */
    case 5: return s | 0x7ff8000000000000ul | (m >> rndn(52)); /* QNaN */
    case 6: return s | 0x7ff0000000000000ul | ((m >> 1 >> rndn(50)) | 1); /* SNaN */
    case 7: return s | (u64)(rndn(6) + (rndn(2) ? 2041 : 1)) << 52 | m; /* extremes */
    case 8: return s | (u64)(1023 + 127 - 4 + rndn(8)) << 52 | m;  /* single max */
    case 9: return s | (u64)(1023 - 126 - 26 + rndn(30)) << 52 | (m & ~((1ul << rndn(52)) - 1)); /* single tiny */
    case 10: return s | (u64)(1023 + rndn(64)) << 52 | (m & ~((1ul << rndn(53)) - 1)); /* integers-ish */
    case 11: return s | 0x3ff0000000000000ul | (m & 0xff);  /* near 1 */
    case 12: return s | (1023 + rndn(4)) << 52 | (m & (0xful << 48)); /* halves */
    default: return s | (1023 + rndn(30)) << 52 | m;
    }
}

static u64 single_bits_to_double(u32 w) {
    u64 s = (u64)(w >> 31) << 63;
    u32 e = (w >> 23) & 0xff;
    u64 m = w & 0x7fffff;
    if (e == 0xff) return s | 0x7ff0000000000000ul | m << 29;
    if (e == 0) {
        if (m == 0) return s;
        int sh = 0;
        while (!(m & 0x800000)) { m <<= 1; sh++; }
        return s | (u64)(1023 - 126 - sh) << 52 | (m & 0x7fffff) << 29;
    }
    return s | (u64)(e - 127 + 1023) << 52 | m << 29;
}

static u32 gen_single(void) {
    u32 s = (u32)(rnd() & 1) << 31;
    u32 m = rnd() & 0x7fffff;
    switch (rndn(10)) {
    case 0: return s;
    case 1: return s | (m >> rndn(23)) | 1;
    case 2: return s | (rnd() & 0x7fffffff);
    case 3: return s | (127 + rndn(40) - 20) << 23 | m;
    case 4: return s | 0x7f800000;
    case 5: return s | 0x7fc00000 | (m >> rndn(23));
    case 6: return s | 0x7f800000 | ((m >> 1 >> rndn(21)) | 1);
    case 7: return s | (u32)(rndn(4) + (rndn(2) ? 250 : 1)) << 23 | m;
    case 8: return s | (127 + rndn(32)) << 23 | (m & ~((1u << rndn(24)) - 1));
    default: return s | (127 + rndn(10)) << 23 | (m & 0x7f00ff);
    }
}

static u64 gen_int(void) {
    switch (rndn(4)) {
    case 0: return rnd();
    case 1: return rnd() >> rndn(64);
    case 2: return -(rnd() >> rndn(64));
    default: return (u64)(i64)(int)(rnd() >> rndn(32));
    }
}

static u64 gen_conv(void) {
    if (rndn(3)) return gen_double();
    u64 s = rnd() & (1ul << 63);
    /* around the 32- and 64-bit integer limits and small values */
    u64 e = rndn(3) == 0 ? 1023 + 29 + rndn(6) : rndn(2) ? 1023 + 61 + rndn(6) : 1020 + rndn(12);
    return s | e << 52 | (rnd() & ((1ul << 52) - 1) & ~((1ul << rndn(52)) - 1));
}

static u32 gen_half(void) {
    u32 s = (u32)(rnd() & 1) << 15;
    u32 m = rnd() & 0x3ff;
    switch (rndn(6)) {
    case 0: return s;
    case 1: return s | m;
    case 2: return s | 0x7c00 | (rndn(2) ? 0 : m | 1);
    default: return s | (rnd() & 0x7fff);
    }
}

static void gen_vsr(u64 *v, char kind) {
    switch (kind) {
    case 'd': v[0] = gen_double(); v[1] = rnd(); break;
    case 's':
        v[0] = rndn(8) ? single_bits_to_double(gen_single()) : gen_double();
        v[1] = rnd();
        break;
    case 'i': v[0] = gen_int(); v[1] = rnd(); break;
    case 'f': v[0] = rnd() & ~0x600000f8ul; v[1] = rnd(); break; /* FPSCR image, enables off */
    case 'c': v[0] = gen_conv(); v[1] = rnd(); break;
    case 'v': v[0] = gen_double(); v[1] = gen_double(); break;
    case 'w':
        v[0] = (u64)gen_single() << 32 | gen_single();
        v[1] = (u64)gen_single() << 32 | gen_single();
        break;
    case 'x': v[0] = gen_int(); v[1] = gen_int(); break;
    case 'y':
        v[0] = gen_int() << 32 | (u32)gen_int();
        v[1] = gen_int() << 32 | (u32)gen_int();
        break;
    case 'h':
        v[0] = (u64)gen_half() << 48 | (u64)gen_half() << 32 | gen_half() << 16 | gen_half();
        v[1] = (u64)gen_half() << 48 | (u64)gen_half() << 32 | gen_half() << 16 | gen_half();
        if (rndn(2)) v[0] = single_bits_to_double(gen_single());
        break;
    }
}

static u64 gen_fpscr(void) {
    u64 f = rndn(4); /* RN */
    if (rndn(3) == 0) f |= rnd() & 0xfffff800ul & ~(0x3ul << 29); /* sticky bits, FR/FI, FPRF, not FEX/VX */
    if (rndn(4) == 0) f |= (u64)rndn(8) << 32;                    /* DRN */
    return f;
}

int cmain(long *sp) {
    long argc = sp[0];
    char **argv = (char **)(sp + 1);
    u64 count = argc > 1 ? atou(argv[1]) : 100;
    u64 seed = argc > 2 ? atou(argv[2]) : 1;
    u64 first = argc > 3 ? atou(argv[3]) : 0;
    u64 last = argc > 4 ? atou(argv[4]) : NTESTS - 1;
    rs ^= seed * 0x2545f4914f6cdd1dul;
    for (u64 t = first; t <= last && t < NTESTS; t++) {
        for (u64 n = 0; n < count; n++) {
            io_t io;
            for (int k = 0; k < 4; k++) gen_vsr(io.v[k], tests[t].kind);
            /* related operands: equal, negated, nearby */
            if (rndn(6) == 0) {
                int a = 1 + rndn(3), b = 1 + rndn(3);
                io.v[b][0] = io.v[a][0] ^ (rndn(2) ? 1ul << 63 : 0) ^ (rndn(2) ? rnd() & 0xf : 0);
            }
            io.fpscr = gen_fpscr();
            io.r9 = rnd();
            tests[t].fn(&io);
            dec(t);
            putc_(' ');
            puts_(tests[t].name);
            for (int k = 0; k < 4; k++) {
                putc_(' ');
                hex(io.v[k][0], 16);
                hex(io.v[k][1], 16);
            }
            putc_(' ');
            hex(io.fpscr, 9);
            puts_(" -> ");
            hex(io.out[0], 16);
            hex(io.out[1], 16);
            putc_(' ');
            hex(io.fpscr_out, 9);
            putc_(' ');
            hex(io.cr, 8);
            putc_(' ');
            hex(io.r9_out, 16);
            putc_('\n');
        }
    }
    flush();
    return 0;
}

/* Rounding modes and exception flags through <fenv.h> (mtfsf/mtfsb
 * underneath, read back through mffs). */
#include <fenv.h>
#include <math.h>
#include <stdio.h>

static volatile double one = 1.0, three = 3.0, tiny = 1e-308, big = 1e308, zero = 0.0;

static void flags(const char *what) {
    int f = fetestexcept(FE_ALL_EXCEPT);
    printf("%-10s %s%s%s%s%s\n", what, f & FE_INEXACT ? "inexact " : "", f & FE_UNDERFLOW ? "underflow " : "",
           f & FE_OVERFLOW ? "overflow " : "", f & FE_DIVBYZERO ? "divbyzero " : "", f & FE_INVALID ? "invalid" : "");
    feclearexcept(FE_ALL_EXCEPT);
}

int main(void) {
    static const int modes[] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
    static const char *names[] = {"nearest", "upward", "downward", "towardzero"};
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m]);
        printf("%s: get %d 1/3 %.17g -1/3 %.17g rint(2.5) %g rint(-2.5) %g nearbyint(0.5) %g\n", names[m],
               fegetround() == modes[m], one / three, -one / three, rint(2.5), rint(-2.5), nearbyint(0.5));
        printf("   sqrt2 %.17g float %.9g %.9g lrint %ld\n", sqrt(2.0), (float)(one / three), (float)(-one / three),
               lrint(-3.5));
    }
    fesetround(FE_TONEAREST);
    feclearexcept(FE_ALL_EXCEPT);
    flags("none");
    volatile double r = one / three;
    flags("1/3");
    r = tiny * tiny;
    flags("tiny^2");
    r = big * big;
    flags("big^2");
    r = one / zero;
    flags("1/0");
    r = zero / zero;
    flags("0/0");
    r = sqrt(-one);
    flags("sqrt(-1)");
    r = one + one;
    flags("1+1");
    fenv_t env;
    fegetenv(&env);
    feraiseexcept(FE_OVERFLOW | FE_INEXACT);
    flags("raise");
    fesetenv(&env);
    printf("r %g\n", r);
    return 0;
}

/* Floating point: libm functions, printf/strtod round trips, float/double
 * and integer conversions, special values. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <float.h>

int main(void) {
    static const double xs[] = {0.0, -0.0, 0.5, 1.0, -1.5, 2.0, 3.14159265358979, 1e-300,
                                1e300, 123456.789, -7.25, 1e-310, 0.1, 100.0};
    int n = sizeof xs / sizeof xs[0];
    for (int i = 0; i < n; i++) {
        double x = xs[i];
        printf("%-10.4g sin %.17g cos %.17g exp %.17g log %.17g sqrt %.17g\n", x, sin(x), cos(x),
               exp(x), log(fabs(x)), sqrt(fabs(x)));
        printf("           pow %.17g atan2 %.17g tanh %.17g cbrt %.17g floor %g ceil %g rint %g\n",
               pow(fabs(x), 0.3), atan2(x, 1.5), tanh(x), cbrt(x), floor(x), ceil(x), rint(x));
        printf("           fma %.17g hypot %.17g fmod %.17g lround %ld %a\n", fma(x, 1.1, -0.3),
               hypot(x, 3.0), fmod(x, 0.7), lround(x / 1e290 < 1e18 ? x : 0), x);
    }
    float f = 1.0f;
    double d = 1.0;
    for (int i = 0; i < 200; i++) {
        f = f * 1.0001f + 0.37f / (float)(i + 1);
        d = d * 1.0001 + 0.37 / (double)(i + 1);
    }
    printf("float %.9g double %.17g\n", f, d);
    printf("specials %g %g %g %g %d %d\n", INFINITY, -INFINITY, NAN, -0.0, isnan(NAN), signbit(-0.0));
    printf("limits %.17g %.17g %.9g %.9g\n", DBL_MAX, DBL_MIN, FLT_MAX, FLT_MIN);
    const char *strs[] = {"3.14159", "-2.5e-3", "1e400", "0x1.8p3", "nan", "-inf", "123abc", "4.9e-324"};
    for (int i = 0; i < 8; i++) {
        char *end;
        double v = strtod(strs[i], &end);
        printf("strtod(%s) = %.17g rest '%s' %s\n", strs[i], v, end, strtof(strs[i], NULL) > 1 ? "big" : "small");
    }
    long long acc = 0;
    for (int i = -50; i < 50; i++) {
        double v = i * 1234.5678;
        acc += (long long)v + (int)(float)v + (unsigned)(v > 0 ? v : -v) + llrint(v / 7);
        acc ^= (long long)(v * 1e10);
    }
    printf("conv %lld\n", acc);
    double sum = 0;
    for (int i = 1; i <= 1000; i++) sum += 1.0 / ((double)i * i);
    printf("basel %.17g %.17g\n", sum, sqrt(sum * 6));
    char buf[64];
    snprintf(buf, sizeof buf, "%.3e|%10.2f|%-8.1f|%+g", 6.02214076e23, -3.14159, 2.5, 1e-5);
    printf("%s\n", buf);
    return 0;
}

/* qsort and bsearch on integers, doubles and strings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long s = 88172645463325252ULL;
static unsigned long long rnd(void) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s; }

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}
static int cmp_dbl(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void) {
    enum { N = 20000 };
    static int v[N];
    static double d[N];
    static char words[2000][12];
    static char *wp[2000];
    for (int i = 0; i < N; i++) {
        v[i] = (int)(rnd() % 100000) - 50000;
        d[i] = (double)(long long)rnd() / 3.0e15;
    }
    qsort(v, N, sizeof v[0], cmp_int);
    qsort(d, N, sizeof d[0], cmp_dbl);
    unsigned long long h = 0;
    for (int i = 0; i < N; i++) h = h * 1000003 + (unsigned)v[i];
    printf("ints %d %d %d %llx\n", v[0], v[N / 2], v[N - 1], h);
    printf("doubles %.17g %.17g %.17g\n", d[0], d[N / 2], d[N - 1]);
    int found = 0;
    for (int k = -50000; k < 50000; k += 97) found += bsearch(&k, v, N, sizeof v[0], cmp_int) != NULL;
    printf("found %d\n", found);
    for (int i = 0; i < 2000; i++) {
        int len = 3 + (int)(rnd() % 8);
        for (int j = 0; j < len; j++) words[i][j] = (char)('a' + rnd() % 26);
        words[i][len] = 0;
        wp[i] = words[i];
    }
    qsort(wp, 2000, sizeof wp[0], cmp_str);
    printf("words %s %s %s\n", wp[0], wp[1000], wp[1999]);
    return 0;
}

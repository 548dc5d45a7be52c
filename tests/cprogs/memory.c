/* malloc/realloc/free at sizes that go through brk, mmap and mremap;
 * calloc zeroing; a large stack frame. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long s = 12345;
static unsigned long long rnd(void) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s; }

int main(void) {
    enum { K = 150 };
    static char *p[K];
    static size_t n[K];
    unsigned long long sum = 0;
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < K; i++) {
            size_t want = (rnd() % 5 == 0) ? (size_t)(rnd() % (4 << 20)) : (size_t)(rnd() % 5000);
            char *q = realloc(p[i], want + 1);
            if (!q) return 99;
            size_t keep = n[i] < want ? n[i] : want;
            for (size_t j = 0; j < keep; j += 4093) sum += (unsigned char)q[j];
            memset(q + keep, (int)(i + round), want + 1 - keep);
            p[i] = q;
            n[i] = want + 1;
        }
    for (int i = 0; i < K; i++) free(p[i]);
    char *z = calloc(3 << 20, 1);
    for (int i = 0; i < (3 << 20); i += 4096) sum += (unsigned char)z[i];
    free(z);
    volatile char big[300000];
    for (int i = 0; i < 300000; i += 1000) big[i] = (char)i;
    for (int i = 0; i < 300000; i += 1000) sum += (unsigned char)big[i];
    printf("sum %llu\n", sum);
    return 0;
}

/* Integer arithmetic: 8..128-bit types, signed/unsigned division and
 * remainder, shifts by every amount, overflow builtins, bit counting,
 * byte swaps. Prints a line per group so differences are easy to find. */
#include <stdint.h>
#include <stdio.h>
#include <limits.h>

static uint64_t s = 0x0123456789abcdefULL;
static uint64_t rnd(void) {
    s ^= s << 13; s ^= s >> 7; s ^= s << 17;
    return s;
}

static void print_u128(unsigned __int128 v) {
    char buf[64];
    int n = 0;
    do { buf[n++] = '0' + (int)(v % 10); v /= 10; } while (v);
    while (n) putchar(buf[--n]);
}

int main(void) {
    static const int64_t edge[] = {0, 1, -1, 2, -2, 7, -7, INT32_MAX, INT32_MIN,
                                   INT64_MAX, INT64_MIN, 0x100000000LL, 255, -256};
    int n = sizeof edge / sizeof edge[0];
    uint64_t acc = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            int64_t a = edge[i], b = edge[j];
            if (b != 0 && !(a == INT64_MIN && b == -1)) {
                acc = acc * 31 + (uint64_t)(a / b) + (uint64_t)(a % b) * 7;
            }
            if ((uint64_t)b != 0)
                acc = acc * 31 + (uint64_t)a / (uint64_t)b + (uint64_t)a % (uint64_t)b;
            int32_t x = (int32_t)a, y = (int32_t)b;
            if (y != 0 && !(x == INT32_MIN && y == -1))
                acc = acc * 31 + (uint32_t)(x / y) + (uint32_t)(x % y);
            acc = acc * 31 + (uint64_t)(a * b);
        }
    printf("edges %016llx\n", (unsigned long long)acc);

    for (int sh = 0; sh < 64; sh++) {
        uint64_t v = rnd();
        int64_t sv = (int64_t)v;
        printf("sh%02d %016llx %016llx %016llx %08x %08x\n", sh,
               (unsigned long long)(v << sh), (unsigned long long)(v >> sh),
               (unsigned long long)(sv >> sh), (uint32_t)v << (sh & 31),
               (uint32_t)((int32_t)v >> (sh & 31)));
    }

    unsigned __int128 f = 1;
    for (int i = 1; i <= 30; i++) f *= i;
    printf("30! = "); print_u128(f); printf("\n");
    __int128 q = -(__int128)f / 1234567891011LL;
    printf("q = %lld r = %lld\n", (long long)(q >> 64), (long long)(q % 1000000007));
    unsigned __int128 m = (unsigned __int128)rnd() * rnd();
    printf("mul128 %016llx%016llx\n", (unsigned long long)(m >> 64), (unsigned long long)m);
    printf("div128 %016llx\n", (unsigned long long)(m / (rnd() | 1)));

    int ovf = 0;
    for (int i = 0; i < 1000; i++) {
        int64_t a = (int64_t)rnd(), b = (int64_t)rnd() >> (i % 64), r;
        ovf += __builtin_add_overflow(a, b, &r);
        ovf += __builtin_mul_overflow(a, b, &r) * 3;
        ovf += __builtin_sub_overflow((int32_t)a, (int32_t)b, (int32_t *)&r) * 5;
    }
    printf("overflow %d\n", ovf);

    uint64_t bits = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t v = rnd() >> (i % 64);
        bits += (uint64_t)__builtin_popcountll(v) + (v ? (uint64_t)__builtin_clzll(v) : 64) * 3 +
                (v ? (uint64_t)__builtin_ctzll(v) : 64) * 5 + __builtin_parityll(v) * 7;
        bits ^= __builtin_bswap64(v) + __builtin_bswap32((uint32_t)v) + __builtin_bswap16((uint16_t)v);
    }
    printf("bits %016llx\n", (unsigned long long)bits);

    int8_t c8 = 0; uint16_t u16 = 0; int16_t s16 = 0;
    for (int i = 0; i < 300; i++) {
        c8 += (int8_t)rnd(); u16 *= 3; u16 += (uint16_t)rnd(); s16 = (int16_t)(s16 * -7 + (int16_t)rnd());
    }
    printf("small %d %u %d\n", c8, u16, s16);
    return (int)(acc & 0x3f);
}

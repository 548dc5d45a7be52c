/* Loops that gcc auto-vectorises at -O3 -mcpu=power9 (VSX/VMX): integer
 * and floating-point reductions, saxpy, byte transforms, min/max,
 * conversions, and a matrix multiply. */
#include <stdint.h>
#include <stdio.h>

#define N 4099
static float fa[N], fb[N], fc[N];
static double da[N], db[N];
static int32_t ia[N], ib[N];
static int16_t sa[N];
static uint8_t ua[N], ub[N];
static int64_t la[N];

int main(void) {
    for (int i = 0; i < N; i++) {
        fa[i] = (float)i * 0.25f - 100.0f;
        fb[i] = (float)(N - i) / 7.0f;
        da[i] = (double)i * 1.5 - 7.0;
        db[i] = 1.0 / (double)(i + 1);
        ia[i] = i * 2654435761u >> 3;
        ib[i] = (i * 7) % 1000 - 500;
        sa[i] = (int16_t)(i * 31);
        ua[i] = (uint8_t)(i * 13);
        la[i] = (int64_t)i * i * i;
    }
    for (int i = 0; i < N; i++) fc[i] = fa[i] * 2.5f + fb[i];
    float fs = 0;
    for (int i = 0; i < N; i++) fs += fc[i] * fb[i];
    double ds = 0;
    for (int i = 0; i < N; i++) ds += da[i] * db[i];
    int64_t is = 0;
    for (int i = 0; i < N; i++) is += (int64_t)ia[i] * ib[i];
    int32_t mx = ia[0], mn = ia[0];
    for (int i = 0; i < N; i++) {
        mx = ia[i] > mx ? ia[i] : mx;
        mn = ia[i] < mn ? ia[i] : mn;
    }
    for (int i = 0; i < N; i++) ub[i] = (uint8_t)((ua[i] ^ 0x5a) + (ua[i] >> 3));
    uint32_t bs = 0;
    for (int i = 0; i < N; i++) bs += ub[i];
    int32_t ss = 0;
    for (int i = 0; i < N; i++) ss += sa[i] * sa[i] >> 4;
    for (int i = 0; i < N; i++) la[i] = la[i] * 3 - (la[i] >> 2);
    int64_t ls = 0;
    for (int i = 0; i < N; i++) ls ^= la[i];
    for (int i = 0; i < N; i++) ia[i] = (int32_t)fa[i] + (int32_t)(da[i] * 0.5);
    int64_t cs = 0;
    for (int i = 0; i < N; i++) cs += ia[i];
    static double m1[64][64], m2[64][64], m3[64][64];
    for (int i = 0; i < 64; i++)
        for (int j = 0; j < 64; j++) {
            m1[i][j] = (i + j) % 7 - 3;
            m2[i][j] = (i * j) % 5 + 0.5;
        }
    for (int i = 0; i < 64; i++)
        for (int k = 0; k < 64; k++)
            for (int j = 0; j < 64; j++) m3[i][j] += m1[i][k] * m2[k][j];
    double tr = 0;
    for (int i = 0; i < 64; i++) tr += m3[i][i] + m3[i][63 - i];
    printf("fs %.9g ds %.17g is %lld mx %d mn %d bs %u ss %d ls %lld cs %lld tr %.17g\n", fs, ds, (long long)is, mx, mn,
           bs, ss, (long long)ls, (long long)cs, tr);
    return 0;
}

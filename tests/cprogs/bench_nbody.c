/* Benchmark (benches/user_mode.py): a 5-body gravity simulation in double
 * precision (sqrt, divide, multiply-add). Prints the energy before and
 * after, to nine decimals. */
#include <math.h>
#include <stdio.h>

#define N 5
static double x[N][3], v[N][3], m[N];

static double energy(void)
{
    double e = 0;
    for (int i = 0; i < N; i++) {
        e += 0.5 * m[i] * (v[i][0] * v[i][0] + v[i][1] * v[i][1] + v[i][2] * v[i][2]);
        for (int j = i + 1; j < N; j++) {
            double d[3] = {x[i][0] - x[j][0], x[i][1] - x[j][1], x[i][2] - x[j][2]};
            e -= m[i] * m[j] / sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        }
    }
    return e;
}

int main(void)
{
    for (int i = 0; i < N; i++) {
        m[i] = 1.0 + i * 0.25;
        for (int k = 0; k < 3; k++) {
            x[i][k] = (i + 1) * (k + 2) * 0.37 - 1.1 * k;
            v[i][k] = (k - i) * 0.013;
        }
    }
    printf("%.9f\n", energy());
    const double dt = 0.001;
    for (int step = 0; step < 300000; step++) {
        for (int i = 0; i < N; i++)
            for (int j = i + 1; j < N; j++) {
                double d[3] = {x[i][0] - x[j][0], x[i][1] - x[j][1], x[i][2] - x[j][2]};
                double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                double mag = dt / (r2 * sqrt(r2));
                for (int k = 0; k < 3; k++) {
                    v[i][k] -= d[k] * m[j] * mag;
                    v[j][k] += d[k] * m[i] * mag;
                }
            }
        for (int i = 0; i < N; i++)
            for (int k = 0; k < 3; k++)
                x[i][k] += dt * v[i][k];
    }
    printf("%.9f\n", energy());
    return 0;
}

/* Benchmark (benches/user_mode.py): sieve of Eratosthenes up to 40 million,
 * repeated; integer loads/stores and branches. Prints the prime count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    const unsigned n = 40000000;
    unsigned char *s = malloc(n + 1);
    unsigned count = 0;
    for (int rep = 0; rep < 3; rep++) {
        memset(s, 1, n + 1);
        s[0] = s[1] = 0;
        for (unsigned i = 2; (unsigned long)i * i <= n; i++)
            if (s[i])
                for (unsigned j = i * i; j <= n; j += i)
                    s[j] = 0;
        count = 0;
        for (unsigned i = 0; i <= n; i++)
            count += s[i];
    }
    printf("primes below %u: %u\n", n, count);
    free(s);
    return 0;
}

/* Self-modifying code in user mode: a program writes a function into an
 * executable mapping, calls it in a hot loop, rewrites it (with the cache
 * flush the ISA requires), and calls it again; it also stores data into
 * the page that holds the code. */
#include <stdio.h>
#include <sys/mman.h>

typedef long (*fn)(long);

int main(void) {
    unsigned *buf = mmap(0, 65536, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED) return 1;
    long total = 0;
    for (int round = 0; round < 200; round++) {
        buf[0] = 0x38630000 | (round & 0x7fff); /* addi r3,r3,round */
        buf[1] = 0x4e800020;                    /* blr */
        __builtin___clear_cache((char *)buf, (char *)(buf + 2));
        fn f = (fn)buf;
        for (int k = 0; k < 300; k++) total += f(k);
        buf[100 + (round & 63)] += round; /* data next to the code */
        if (round % 50 == 0) printf("round %d total %ld\n", round, total);
    }
    printf("total %ld data %u\n", total, buf[100]);
    return 0;
}

/* Self-modifying code in system mode (Power ISA Book II §1.8, instruction
 * storage): a bare-metal guest for tests/boot.rs, entered like a kernel
 * (64-bit LE real mode). It writes two functions into the 4K page at real
 * 0x800000, f (li r3,1) and g (li r3,10), calls both 3000 times (past the
 * JIT threshold), rewrites f to li r3,2 with the architected
 * dcbst/sync/icbi/isync sequence and calls both 3000 times again. A cache
 * that kept the old f sums 66000 instead of 69000. Prints SMC-OK or SMC-BA
 * with H_PUT_TERM_CHAR, then powers off through KVMPPC_H_RTAS.
 * Built with: powerpc64le-linux-gnu-gcc -nostdlib -static -Wl,-Ttext=0 */
    .text
    .globl _start
_start:
    lis 20, 0x80            /* code buffer at real 0x800000, its own 4K page */
    lis 9, 0x3860
    ori 9, 9, 1
    stw 9, 0(20)            /* f: li r3,1 */
    lis 9, 0x4e80
    ori 9, 9, 0x20
    stw 9, 4(20)            /*    blr */
    stw 9, 0x104(20)
    lis 9, 0x3860
    ori 9, 9, 10
    stw 9, 0x100(20)        /* g: li r3,10; blr (never modified) */
    sync
    icbi 0, 20
    isync
    li 21, 0
    bl run
    lis 9, 0x3860
    ori 9, 9, 2
    stw 9, 0(20)            /* f: li r3,2 */
    dcbst 0, 20
    sync
    icbi 0, 20
    isync
    bl run
    lis 9, 1
    ori 9, 9, 3464          /* 69000 = 3000*(1+10) + 3000*(2+10) */
    cmpd 21, 9
    lis 6, 0x534d
    ori 6, 6, 0x432d
    sldi 6, 6, 32
    bne bad
    oris 6, 6, 0x4f4b       /* "SMC-OK\n" */
    ori 6, 6, 0x0a00
    li 5, 7
    b out
bad:
    oris 6, 6, 0x4241       /* "SMC-BA" */
    li 5, 6
out:
    li 3, 0x58              /* H_PUT_TERM_CHAR */
    lis 4, 0x7100            /* the vty's unit address */
    li 7, 0
    sc 1
    lis 4, 0x81             /* RTAS args at 0x810000, big-endian cells */
    lis 9, 0x0320
    stw 9, 0(4)             /* token 0x2003: power-off */
    lis 9, 0x0200
    stw 9, 4(4)             /* nargs 2 */
    lis 9, 0x0100
    stw 9, 8(4)             /* nret 1 */
    li 9, 0
    stw 9, 12(4)
    stw 9, 16(4)
    stw 9, 20(4)
    li 3, 0
    ori 3, 3, 0xf000        /* KVMPPC_H_RTAS */
    sc 1
1:  b 1b

run:                        /* r21 += sum over 3000 calls of f() + g() */
    mflr 24
    li 25, 3000             /* past the JIT threshold (1000) */
    mtctr 25
2:  mfctr 25
    mtctr 20
    bctrl
    add 21, 21, 3
    addi 23, 20, 0x100
    mtctr 23
    bctrl
    add 21, 21, 3
    addi 25, 25, -1
    mtctr 25
    cmpdi 25, 0
    bne 2b
    mtlr 24
    blr

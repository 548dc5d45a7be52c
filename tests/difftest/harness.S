/* Freestanding harness for the random differential test (tests/difftest.rs).
 *
 * Built per batch with `powerpc64le-linux-gnu-gcc -nostdlib -static -no-pie`
 * and run unchanged under qemu-ppc64le and `powerlift run`. The generator
 * writes two files next to the build:
 *   slots.bin   NSNIP code slots of (1 << SLOT_SHIFT) bytes each; a slot
 *               loads CR, XER, LR, CTR, TAR and the GPRs from the input
 *               block, runs the random instructions, stores the GPRs, CR,
 *               XER, LR, CTR and TAR to the output block and returns to
 *               `back` through the address saved after the output block.
 *   blobs.bin   NSNIP blobs of REGS + MEM bytes: the input register block
 *               followed by the memory area's initial contents.
 * For each snippet the harness copies the blob into `ctx`, loads the FP and
 * vector state (when the emulator under test implements the instructions
 * needed: HAVE_FP, HAVE_VMX, HAVE_VSX), points r1 at the memory area, clears
 * any reservation, and enters the slot. r1 is the only register the random
 * code never writes. Afterwards it stores the FP/vector state and writes the
 * memory area and the output block (MEM + REGS bytes) to stdout with the
 * `write` system call (r0 = 4, arguments in r3..r5, `sc`), then exits with
 * `exit_group` (234) once every snippet has run.
 *
 * Register block layout (offsets in bytes):
 *   0 gpr[32], 256 cr, 264 xer, 272 lr, 280 ctr, 288 fpscr, 296 tar,
 *   304 vscr (as the low word of a quadword, for lvx/mtvscr),
 *   320 vsr[64] x 16 (FPR n is VSR n's doubleword 0; VR n is VSR 32+n),
 *   padded to REGS = 1408 so the memory area stays 128-byte aligned (dcbz).
 */
#define REGS 1408
#define MEM 512
#define BLOB (REGS + MEM)
#define O_FPSCR 288
#define O_VSCR 304
#define O_VSR 320

        .machine power9
        .abiversion 2
        .text
        .globl _start
_start:
        li      r0, 0
        lis     r3, k_var@ha
        std     r0, k_var@l(r3)
loop:
        lis     r3, k_var@ha
        ld      r4, k_var@l(r3)
        cmpldi  r4, NSNIP
        bge     done
        /* r5 = blobs + k * BLOB; copy it to ctx. */
        lis     r5, blobs@ha
        addi    r5, r5, blobs@l
        mulli   r6, r4, BLOB
        add     r5, r5, r6
        lis     r7, ctx@ha
        addi    r7, r7, ctx@l
        li      r8, BLOB / 8
        mtctr   r8
        addi    r5, r5, -8
        addi    r9, r7, -8
1:      ldu     r10, 8(r5)
        stdu    r10, 8(r9)
        bdnz    1b
#ifdef HAVE_FP
        lfd     f0, O_FPSCR(r7)
        mtfsf   0xff, f0
#endif
#ifdef HAVE_VMX
        addi    r3, r7, O_VSCR
        lvx     v0, 0, r3
        mtvscr  v0
#endif
        addi    r3, r7, O_VSR
#ifdef HAVE_VSX
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
        lxvd2x  \n, 0, r3
        addi    r3, r3, 16
        .endr
#else
#ifdef HAVE_FP
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        lfd     \n, 0(r3)
        addi    r3, r3, 16
        .endr
#endif
#ifdef HAVE_VMX
        addi    r3, r7, O_VSR + 512
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        lvx     \n, 0, r3
        addi    r3, r3, 16
        .endr
#endif
#endif
        /* Return address for the slot, then clear any reservation left
           by the previous snippet (stwcx. to a word never reserved). */
        lis     r3, back@ha
        addi    r3, r3, back@l
        std     r3, REGS + MEM + REGS(r7)
        addi    r3, r7, REGS + MEM + REGS + 8
        stwcx.  r0, 0, r3
        addi    r1, r7, REGS
        lis     r5, slots@ha
        addi    r5, r5, slots@l
        sldi    r6, r4, SLOT_SHIFT
        add     r5, r5, r6
        mtctr   r5
        bctr
back:
        /* r1 = ctx + REGS; the output block starts at r1 + MEM. */
        addi    r7, r1, MEM
#ifdef HAVE_VSX
        addi    r3, r7, O_VSR
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
        stxvd2x \n, 0, r3
        addi    r3, r3, 16
        .endr
#else
#ifdef HAVE_FP
        addi    r3, r7, O_VSR
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        stfd    \n, 0(r3)
        addi    r3, r3, 16
        .endr
#endif
#ifdef HAVE_VMX
        addi    r3, r7, O_VSR + 512
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        stvx    \n, 0, r3
        addi    r3, r3, 16
        .endr
#endif
#endif
#ifdef HAVE_FP
        mffs    f0
        stfd    f0, O_FPSCR(r7)
#endif
#ifdef HAVE_VMX
        mfvscr  v0
        addi    r3, r7, O_VSCR
        stvx    v0, 0, r3
#endif
        li      r0, 4
        li      r3, 1
        mr      r4, r1
        li      r5, MEM + REGS
        sc
        lis     r3, k_var@ha
        ld      r4, k_var@l(r3)
        addi    r4, r4, 1
        std     r4, k_var@l(r3)
        b       loop
done:
        li      r0, 234
        li      r3, 0
        sc

        .balign 16
slots:
        .incbin "slots.bin"

        .section .rodata
        .balign 16
blobs:
        .incbin "blobs.bin"

        .data
        .balign 128
ctx:
        .space  REGS + MEM + REGS + 128
k_var:
        .quad   0

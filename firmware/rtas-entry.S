/*
 * RTAS entry for the pseries machine (boot.md §2.5, §5.1). The client
 * interface's instantiate-rtas copies these 20 bytes to the address the
 * client claimed; Linux enters them in 32-bit big-endian real mode with
 * r3 = the real address of its rtas_args block, and the stub turns the
 * call into hypercall KVMPPC_H_RTAS (0xf000) with the block in r4.
 *
 * Build: powerpc64le-linux-gnu-as -a64 -mbig -mpower9 -o rtas-entry.o rtas-entry.S
 * (or powerpc64-linux-gnu-as -a64 -mpower9). The 20 bytes of .text are
 * vof::RTAS_BLOB; tests/devtree.rs checks that they agree.
 */
	.text
	.globl	rtas_entry
rtas_entry:
	mr	4,3		/* r4 = rtas_args */
	lis	3,0
	ori	3,3,0xf000	/* r3 = KVMPPC_H_RTAS */
	sc	1		/* hypercall */
	blr

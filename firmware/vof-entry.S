/*
 * Open Firmware client-interface entry for the pseries machine
 * (boot.md §2.1). prom_init calls it in 32-bit big-endian real mode with
 * r3 = the real address of the argument block; the stub turns the call
 * into hypercall KVMPPC_H_VOF_CLIENT (0xf005) with the block address in
 * r4, and the emulator services it (src/spapr/vof.rs). The result is in
 * the argument block; r3 holds the hcall status.
 *
 * Build: powerpc64le-linux-gnu-as -a64 -mbig -mpower9 -o vof-entry.o vof-entry.S
 * (or powerpc64-linux-gnu-as -a64 -mpower9). The 20 bytes of .text are
 * vof::CI_ENTRY_STUB; tests/devtree.rs checks that they agree.
 */
	.text
	.globl	vof_ci_entry
vof_ci_entry:
	mr	4,3		/* r4 = argument block */
	lis	3,0
	ori	3,3,0xf005	/* r3 = KVMPPC_H_VOF_CLIENT */
	sc	1		/* hypercall */
	blr

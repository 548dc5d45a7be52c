//! What the generator must not emit, and why: instructions without an
//! oracle (QEMU 7.2 wrong, or the result undefined by the Power ISA),
//! operand constraints for branches, and the open bugs of other units that
//! the test reports without failing. Every entry quotes the ISA or names
//! the QEMU behaviour.

use super::encode as enc;
use powerlift::isa::Opcode;

/// Opcodes never generated, with the reason.
///
/// * `darn`, `mftb`: the results are random / time dependent.
/// * `sc`, `scv`: system calls are not instructions under test.
/// * `lmw`, `stmw`: in little-endian mode they take an alignment interrupt
///   (Book I §3.3.7), which Linux emulates but QEMU 7.2's user mode turns
///   into an abort ("Unknown exception 0x5"); `difftest_faults` checks them
///   against the equivalent word loads and stores under QEMU instead.
/// * `mcrxr`: Power ISA 3.0B has no mcrxr (2.07 had it only in the
///   Embedded category; 3.0 adds mcrxrx instead); we raise an illegal
///   instruction where QEMU 7.2 still executes it.
/// * `icbt`: a hint (Book II §4.3.1, "Instruction Cache Block Touch"), a
///   no-op for us; QEMU 7.2 only decodes it for BookE CPUs and raises an
///   illegal instruction on POWER9, so there is no oracle.
/// * `lqarx`, `stqcx.`: QEMU 7.2's user-mode reservation for lqarx is not
///   the quadword's address (a following stqcx. to that address fails
///   unless it stores the reserved value; an stdcx. to EA+8 succeeds), so
///   there is no oracle for them.
/// * `vrldmi`: Book I §6.9.2 "Vector Rotate Left Doubleword then Mask
///   Insert": "VR[VRT].dword[i] ← (r & m) | (VR[VRT].dword[i] & ¬m)".
///   QEMU 7.2 (on x86-64 hosts) drops the VRT contents and returns
///   `r & m`, exactly what vrldnm returns; powerlift keeps them
///   (src/sem/vmx/mod.rs test `vrldmi_inserts_under_mask`).
pub(crate) const NEVER: &[&str] = &[
    "darn", "mftb", "sc", "scv", "lmw", "stmw", "mcrxr", "icbt", "lqarx", "stqcx.", "vrldmi",
];

/// FP instructions where QEMU 7.2 departs from the Power ISA and powerlift
/// follows the ISA; each is listed, with the ISA text that decides it, in
/// `known_divergence` of tests/fp.rs (the FP unit's own differential test).
/// They are not generated here, and neither are the instructions that copy
/// FPSCR[FR] and FPSCR[FX] (where QEMU also departs: it never sets FR, and
/// sets FX for an exception already recorded) into other registers: mffs
/// and its variants, mcrfs. The final FPSCR is compared without FR and FX.
///
/// * fre/frsqrte and the VSX estimates: ±0 operands (§4.6.6.1);
/// * fnmadd/fnmsub and the VSX forms: rounding toward ±Inf (§4.6.6.2);
/// * fcfids/fcfidu/fcfidus: FPRF (§4.6.7.2);
/// * fcmpu/fcmpo/xscmpudp/xscmpodp: FI and C (§4.6.8);
/// * xsmaxjdp/xsminjdp: VXSNAN (§4.4.1);
/// * fmadd/fmsub and the VSX multiply-add forms: VXSNAN for ∞×0 with an
///   SNaN addend (§4.4.1; tests/fp.rs divergence 7);
/// * the vector conversions to integer (xvcv{dp,sp}{s,u}x{d,w}s): QEMU
///   carries an invalid element's flags into the later elements (§7.6
///   converts every element on its own);
/// * xststdcsp: QEMU reports a match for every value tiny in single
///   precision, whatever DCMX selects (§7.6);
/// * xsaddsp, xssubsp, xsmulsp, xsdivsp, xssqrtsp, xscvsxdsp, xscvuxdsp:
///   QEMU rounds twice (to double, then to single), §7.6 rounds the
///   exact result once;
/// * xsmaxdp, xsmindp, xv{max,min}{dp,sp}, xscmpexpdp, xvcvsxdsp,
///   xvcvuxdsp: QEMU does not clear its softfloat flags before them, so
///   an earlier instruction's overflow/underflow/inexact sets OX/UX/XX
///   again (their "Special Registers Altered" lists do not allow it);
/// * fmr, fneg, fabs, fnabs, fcpsgn, fsel: with Rc=1, "CR1 ← FX FEX VX
///   OX" of the current FPSCR (§4.6.5, §4.6.9); QEMU 7.2 sometimes
///   copies an FPSCR older than a VSX compare earlier in the same
///   translation block (observed: CR1 without the VX that the compare
///   set and that the FPSCR then holds). tests/fp.rs covers their Rc=1
///   forms.
pub(crate) fn qemu_fp_divergence(m: &str) -> bool {
    let estimate = ["fre", "frsqrte"].iter().any(|p| m.starts_with(p))
        || m.starts_with("xsre")
        || m.starts_with("xvre")
        || m.contains("rsqrte");
    let negated_fma = m.starts_with("fnm") || m.starts_with("xsnm") || m.starts_with("xvnm");
    let fpscr_readers = m.starts_with("mffs") || m == "mcrfs";
    // Store Floating-Point Single of a double below the single denormal
    // range: §4.6.3 "if 874 <= FRS[1:11] <= 896 then [denormalize] ...
    // else WORD <- undefined" (QEMU stores zero there).
    let store_single = matches!(
        m,
        "stfs" | "stfsu" | "stfsx" | "stfsux" | "stxsspx" | "stxssp"
    );
    let vector_to_int = m.starts_with("xvcv")
        && (m.ends_with("xds") || m.ends_with("xws"))
        && (m.contains("dp") || m.contains("sp"))
        && m.len() == 10;
    let stale_cr1 = matches!(m, "fmr" | "fneg" | "fabs" | "fnabs" | "fcpsgn" | "fsel");
    let fma = (m.starts_with("fm") || m.starts_with("xsm") || m.starts_with("xvm"))
        && (m.contains("madd") || m.contains("msub"));
    let stale_status = matches!(
        m,
        "xsmaxdp"
            | "xsmindp"
            | "xvmaxdp"
            | "xvmindp"
            | "xvmaxsp"
            | "xvminsp"
            | "xscmpexpdp"
            | "xvcvsxdsp"
            | "xvcvuxdsp"
    );
    let double_rounded = matches!(
        m,
        "xsaddsp" | "xssubsp" | "xsmulsp" | "xsdivsp" | "xssqrtsp" | "xscvsxdsp" | "xscvuxdsp"
    );
    estimate
        || negated_fma
        || fpscr_readers
        || store_single
        || vector_to_int
        || double_rounded
        || stale_status
        || fma
        || stale_cr1
        || m == "xststdcsp"
        || matches!(
            m,
            "fcfids"
                | "fcfidu"
                | "fcfidus"
                | "fcmpu"
                | "fcmpo"
                | "xscmpudp"
                | "xscmpodp"
                | "xsmaxjdp"
                | "xsminjdp"
        )
}

/// Vector estimates: "The result is an estimate ... with relative error
/// no greater than 1/16 [1/4096]" (Book I §6.9.x, vexptefp, vlogefp,
/// vrefp, vrsqrtefp): no single right answer. mfvscr: VSCR's reserved bits
/// (QEMU keeps whatever mtvscr wrote there; only NJ and SAT are defined).
/// dst/dstt/dstst/dststt/dss/dssall: data-stream hints, no-ops for us;
/// QEMU 7.2 raises an illegal instruction for them on POWER9.
pub(crate) const NO_ORACLE: &[&str] = &[
    "vexptefp",
    "vlogefp",
    "vrefp",
    "vrsqrtefp",
    "mfvscr",
    "dst",
    "dstt",
    "dstst",
    "dststt",
    "dss",
    "dssall",
];

/// BCD arithmetic (bcdadd. ... bcdsr.): on random vector data the operands
/// are almost never valid signed decimals, and "if [an operand] is an
/// invalid encoding of a signed decimal ... the contents of VRT are
/// undefined" (Book I §6.18); no oracle for random inputs.
pub(crate) fn is_bcd(m: &str) -> bool {
    m.starts_with("bcd")
}

/// Open bugs in other units' semantics that the difftest found: a mismatch
/// whose first disagreeing group contains one of these is reported as
/// "known open" instead of failing the test. Remove an entry once it is
/// fixed; the test prints how often each still happens. (Currently none:
/// the VSX floating-point chapter and vrldmi were fixed.)
pub const KNOWN_OPEN_CHAPTERS: &[&str] = &[];
pub const KNOWN_OPEN: &[&str] = &[];

/// `known_open` by mnemonic.
pub fn enc_known_open(m: &str) -> bool {
    enc::opcode(m).is_some_and(known_open)
}

pub fn known_open(op: Opcode) -> bool {
    KNOWN_OPEN_CHAPTERS.contains(&op.info().chapter)
        || KNOWN_OPEN.contains(&op.info().mnemonic.trim_end_matches('.'))
}

/// Instructions that need the `special` path instead of the generic one.
pub(crate) const SPECIAL: &[&str] = &[
    "addpcis", "mfspr", "mtspr", "tw", "td", "twi", "tdi", "mfocrf", "mtocrf", "sync", "b", "bc",
    "bclr", "bcctr", "bctar", "mtfsf", "mtfsfi", "mtfsb0", "mtfsb1", "divde", "vextuhlx",
    "vextuhrx", "vextuwlx", "vextuwrx",
];

/// Branch BO values with z bits clear and no reserved "at" hints (Book I
/// §2.4, Figure 40).
pub(crate) const BO_ANY: &[u32] = &[0, 2, 4, 6, 7, 8, 10, 12, 14, 15, 16, 18, 20, 24, 25, 26, 27];
/// BO values that do not decrement CTR: `bcctr` with BO[2]=0 is an invalid
/// form ("If BO2=0, the instruction form is invalid", §2.4 bcctr).
pub(crate) const BO_NOCTR: &[u32] = &[4, 6, 7, 12, 14, 15, 20];

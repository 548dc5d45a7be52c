//! The FPSCR (Power ISA 3.0B Book I §4.2.2): bit constants, the per-
//! instruction exception context `Ctx` that every arithmetic helper uses to
//! round and to record exceptions, the summary bits (FX, FEX, VX), FPRF,
//! CR1 for Rc=1, and the FPSCR instructions of §4.6.10 (mffs and its 3.0
//! variants, mcrfs, mtfsfi, mtfsf, mtfsb0, mtfsb1).

use super::soft::{self, Adjust, Class, Exact, Fmt, Rm, DOUBLE, SINGLE};
use crate::cpu::{CpuState, Exc, ProgramKind};
use crate::isa::{Insn, Opcode};

// FPSCR bits as masks of the 64-bit register (ISA bit k is 1 << (63 - k)).
pub const FX: u64 = 1 << 31;
pub const FEX: u64 = 1 << 30;
pub const VX: u64 = 1 << 29;
pub const OX: u64 = 1 << 28;
pub const UX: u64 = 1 << 27;
pub const ZX: u64 = 1 << 26;
pub const XX: u64 = 1 << 25;
pub const VXSNAN: u64 = 1 << 24;
pub const VXISI: u64 = 1 << 23;
pub const VXIDI: u64 = 1 << 22;
pub const VXZDZ: u64 = 1 << 21;
pub const VXIMZ: u64 = 1 << 20;
pub const VXVC: u64 = 1 << 19;
pub const FR: u64 = 1 << 18;
pub const FI: u64 = 1 << 17;
pub const FPRF_SHIFT: u32 = 12;
pub const FPRF: u64 = 0x1f << FPRF_SHIFT;
pub const FPCC: u64 = 0xf << FPRF_SHIFT;
pub const VXSOFT: u64 = 1 << 10;
pub const VXSQRT: u64 = 1 << 9;
pub const VXCVI: u64 = 1 << 8;
pub const VE: u64 = 1 << 7;
pub const OE: u64 = 1 << 6;
pub const UE: u64 = 1 << 5;
pub const ZE: u64 = 1 << 4;
pub const XE: u64 = 1 << 3;
pub const NI: u64 = 1 << 2;
pub const RN: u64 = 3;
/// DFP rounding mode, FPSCR bits 29:31.
pub const DRN: u64 = 7 << 32;

/// Bits a move to the FPSCR can change: DRN and bits 32:63 except the
/// reserved bit 52 (QEMU and POWER9 keep it 0).
pub const WRITABLE: u64 = DRN | 0xffff_f7ff;

/// All invalid-operation bits (VX is their OR).
pub const VX_ALL: u64 = VXSNAN | VXISI | VXIDI | VXZDZ | VXIMZ | VXVC | VXSOFT | VXSQRT | VXCVI;
/// The exception bits whose 0→1 transition sets FX.
pub const EXC_ALL: u64 = OX | UX | ZX | XX | VX_ALL;

/// MSR[FE0] and MSR[FE1] (Book III §4.2.1, MSR bits 52 and 55).
const MSR_FE: u64 = 1 << 11 | 1 << 8;

/// FPRF values (Book I figure "Floating-Point Result Flags").
pub fn fprf_of(f: Fmt, bits: u64) -> u64 {
    let neg = bits & f.sign_bit() != 0;
    let v = match (soft::classify(f, bits), neg) {
        (Class::QNaN | Class::SNaN, _) => 0b10001,
        (Class::Inf, true) => 0b01001,
        (Class::Normal, true) => 0b01000,
        (Class::Denormal, true) => 0b11000,
        (Class::Zero, true) => 0b10010,
        (Class::Zero, false) => 0b00010,
        (Class::Denormal, false) => 0b10100,
        (Class::Normal, false) => 0b00100,
        (Class::Inf, false) => 0b00101,
    };
    v << FPRF_SHIFT
}

/// Recompute VX and FEX from the other bits (§4.2.2: they are summaries,
/// never set directly).
pub fn summarize(fpscr: u64) -> u64 {
    let mut f = fpscr & !(VX | FEX);
    if f & VX_ALL != 0 {
        f |= VX;
    }
    let en = (f & VX != 0 && f & VE != 0)
        || (f & OX != 0 && f & OE != 0)
        || (f & UX != 0 && f & UE != 0)
        || (f & ZX != 0 && f & ZE != 0)
        || (f & XX != 0 && f & XE != 0);
    if en {
        f |= FEX;
    }
    f
}

/// Set exception bits in `fpscr`: FX when any of them changes from 0 to 1,
/// then the summaries.
pub fn raise(fpscr: u64, bits: u64) -> u64 {
    let new = bits & !fpscr & EXC_ALL;
    let mut f = fpscr | bits;
    if new != 0 {
        f |= FX;
    }
    summarize(f)
}

/// What one floating-point instruction does to the FPSCR, collected while
/// it computes and committed by `commit`.
pub struct Ctx {
    pub fpscr: u64,
    pub rm: Rm,
    /// Exception bits raised so far.
    pub raised: u64,
    /// FR and FI of the last rounding.
    pub fr: bool,
    pub fi: bool,
}

impl Ctx {
    pub fn new(cpu: &CpuState) -> Ctx {
        Ctx {
            fpscr: cpu.fpscr,
            rm: Rm::from_rn(cpu.fpscr & RN),
            raised: 0,
            fr: false,
            fi: false,
        }
    }
    pub fn raise(&mut self, bits: u64) {
        self.raised |= bits;
    }
    pub fn invalid(&self) -> bool {
        self.raised & VX_ALL != 0
    }
    /// An invalid-operation or zero-divide exception that is enabled
    /// suppresses the result (§4.4.1, §4.4.2).
    pub fn suppressed(&self) -> bool {
        (self.invalid() && self.fpscr & VE != 0) || (self.raised & ZX != 0 && self.fpscr & ZE != 0)
    }
    /// Round an exact result to `f` and record OX/UX/XX, FR and FI.
    /// `k` is the exponent adjustment of enabled overflow/underflow.
    pub fn round(&mut self, f: Fmt, x: Exact) -> u64 {
        self.round_mode(f, x, self.rm)
    }
    pub fn round_mode(&mut self, f: Fmt, x: Exact, rm: Rm) -> u64 {
        let adjust = Adjust {
            overflow: self.fpscr & OE != 0,
            underflow: self.fpscr & UE != 0,
            k: if f == DOUBLE { 1536 } else { 192 },
        };
        let (bits, fl) = soft::round(f, x, rm, adjust);
        if fl.overflow {
            self.raise(OX);
        }
        // §4.4.4: enabled underflow is signalled for any tiny result,
        // disabled underflow only when it is also inexact.
        if (adjust.underflow && fl.tiny) || fl.underflow {
            self.raise(UX);
        }
        if fl.inexact {
            self.raise(XX);
        }
        self.fr = fl.rounded_up;
        self.fi = fl.inexact;
        // An enabled overflow or underflow with an exact adjusted result
        // still leaves XX alone; FR/FI describe the adjusted rounding.
        bits
    }
    /// Round to single precision and return the value in double format
    /// (the single-precision arithmetic instructions, §4.3.5.1).
    pub fn round_single(&mut self, x: Exact) -> u64 {
        let s = self.round(SINGLE, x);
        single_to_double(s)
    }
}

/// Widen a single-precision value to double format exactly; NaNs keep
/// their payload in the high fraction bits (lfs, §4.6.2).
pub fn single_to_double(s: u64) -> u64 {
    let s = s as u32;
    let sign = (s as u64 >> 31) << 63;
    let e = (s >> 23) & 0xff;
    let m = (s & 0x7f_ffff) as u64;
    if e == 0xff {
        return sign | 0x7ff << 52 | m << 29;
    }
    let u = soft::unpack(SINGLE, s as u64);
    if u.is_zero() {
        return sign;
    }
    soft::pack(DOUBLE, u.sign, u.sig, u.exp)
}

/// Narrow a double to single format without rounding: the bits the stfs
/// and xscvdpspn data movement produces (Book I §4.6.3, "Floating-Point
/// Store Single": denormalization of tiny values, bits 0:1||5:34 else).
pub fn double_to_single_bits(d: u64) -> u32 {
    let e = ((d >> 52) & 0x7ff) as i32;
    if (874..=896).contains(&e) {
        // Denormalize: 1.f × 2^(e-1023) as a multiple of 2^-149.
        let sign = ((d >> 63) as u32) << 31;
        let sig = (d & ((1 << 52) - 1)) | 1 << 52;
        return sign | (sig >> (926 - e)) as u32;
    }
    // Exponent above 896 (including Inf/NaN) or zero: bits 0:1 || 5:34.
    // Below 874 the ISA leaves the result undefined; POWER9 and QEMU
    // give the same bit selection.
    ((d >> 32) & 0xc000_0000 | (d >> 29) & 0x3fff_ffff) as u32
}

/// The single-precision bits of a double without rounding, as xscvdpspn
/// produces them (§7.6, programming note: "Finite values of x having an
/// unbiased exponent less than -150 will return a result of Zero"): the
/// stfs bit selection and denormalization, and a signed zero below the
/// single denormal range.
pub fn double_to_single_ns(d: u64) -> u32 {
    if (d >> 52) & 0x7ff < 874 {
        ((d >> 63) as u32) << 31
    } else {
        double_to_single_bits(d)
    }
}

/// Finish an instruction: merge the raised exceptions into the FPSCR,
/// optionally set FR/FI/FPRF, and raise the program interrupt for an
/// enabled exception when MSR[FE0,FE1] allow it (§4.4, Book III §6.5.9).
pub fn commit(cpu: &mut CpuState, ctx: &Ctx, frfi: bool, fprf: Option<u64>) -> Result<(), Exc> {
    let mut f = ctx.fpscr;
    if frfi {
        f &= !(FR | FI);
        if !ctx.suppressed() {
            f |= if ctx.fr { FR } else { 0 } | if ctx.fi { FI } else { 0 };
        }
    }
    if let Some(p) = fprf {
        if !ctx.suppressed() {
            f = f & !FPRF | p;
        }
    }
    f = raise(f, ctx.raised);
    cpu.fpscr = f;
    enabled_trap(cpu, ctx.raised)
}

/// A program interrupt when an exception this instruction raised is
/// enabled and MSR[FE0,FE1] is not "ignore exceptions".
pub fn enabled_trap(cpu: &CpuState, raised: u64) -> Result<(), Exc> {
    let f = cpu.fpscr;
    let en = (raised & VX_ALL != 0 && f & VE != 0)
        || (raised & OX != 0 && f & OE != 0)
        || (raised & UX != 0 && f & UE != 0)
        || (raised & ZX != 0 && f & ZE != 0)
        || (raised & XX != 0 && f & XE != 0);
    if en && cpu.msr & MSR_FE != 0 {
        return Err(Exc::Program(ProgramKind::FloatingPoint));
    }
    Ok(())
}

/// CR1 ← FX FEX VX OX (Rc=1 on floating-point instructions, §4.6).
pub fn set_cr1(cpu: &mut CpuState) {
    cpu.crf[1] = ((cpu.fpscr >> 28) & 0xf) as u8;
}

/// A program interrupt when the FPSCR now has FEX set by a move to the
/// FPSCR (mtfsf, mtfsfi, mtfsb1) and MSR[FE0,FE1] is not zero.
fn fex_trap(cpu: &CpuState, before: u64) -> Result<(), Exc> {
    if cpu.fpscr & FEX != 0 && before & FEX == 0 && cpu.msr & MSR_FE != 0 {
        return Err(Exc::Program(ProgramKind::FloatingPoint));
    }
    Ok(())
}

/// mffs, mffsce, mffscdrn(i), mffscrn(i), mffsl (§4.6.10).
pub fn h_mffs(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let f = cpu.fpscr;
    let rt = i.frt() as usize;
    match i.op {
        Opcode::Mffs => {
            cpu.set_fpr(rt, f);
            if i.record() {
                set_cr1(cpu);
            }
        }
        Opcode::Mffsce => {
            cpu.set_fpr(rt, f);
            cpu.fpscr = summarize(f & !(VE | OE | UE | ZE | XE));
        }
        Opcode::Mffsl => {
            // DRN, the status bits FR FI FPRF, VE..XE, NI and RN.
            cpu.set_fpr(
                rt,
                f & (DRN | FR | FI | FPRF | VE | OE | UE | ZE | XE | NI | RN),
            );
        }
        Opcode::Mffscdrn | Opcode::Mffscdrni => {
            let drn = if i.op == Opcode::Mffscdrn {
                (cpu.fpr(i.frb() as usize) >> 32) & 7
            } else {
                i.drm() as u64
            };
            cpu.set_fpr(rt, f & (DRN | VE | OE | UE | ZE | XE | NI | RN));
            cpu.fpscr = f & !DRN | drn << 32;
        }
        _ => {
            let rn = if i.op == Opcode::Mffscrn {
                cpu.fpr(i.frb() as usize) & 3
            } else {
                i.rm() as u64
            };
            cpu.set_fpr(rt, f & (DRN | VE | OE | UE | ZE | XE | NI | RN));
            cpu.fpscr = f & !RN | rn;
        }
    }
    Ok(())
}

/// mcrfs: copy FPSCR field BFA to CR field BF and clear the exception
/// bits of that field (§4.6.10: FX and OX..VXCVI, not FEX/VX).
pub fn h_mcrfs(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let sh = 28 - 4 * i.bfa();
    let nib = (cpu.fpscr >> sh) & 0xf;
    cpu.crf[i.bf() as usize] = nib as u8;
    let clearable = (FX | EXC_ALL) & (0xf << sh);
    cpu.fpscr = summarize(cpu.fpscr & !clearable);
    Ok(())
}

/// mtfsfi, mtfsf, mtfsb0, mtfsb1 (§4.6.10). FEX and VX cannot be set
/// directly: they are recomputed from the other bits.
pub fn h_mtfs(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let before = cpu.fpscr;
    let mut f = before;
    match i.op {
        Opcode::Mtfsfi => {
            let field = i.bfu() + 8 * (1 - i.w());
            let sh = 60 - 4 * field;
            f = f & !(0xf << sh) | (i.u() as u64) << sh;
        }
        Opcode::Mtfsf => {
            let src = cpu.fpr(i.frb() as usize);
            let mask = if i.l6() == 1 {
                u64::MAX
            } else {
                let mut m = 0u64;
                for k in 0..8 {
                    if i.flm() & (0x80 >> k) != 0 {
                        let field = k + 8 * (1 - i.w());
                        m |= 0xf << (60 - 4 * field);
                    }
                }
                m
            };
            f = f & !mask | src & mask;
        }
        Opcode::Mtfsb0 => {
            let bit = 1u64 << (31 - i.bft());
            f &= !bit;
        }
        _ => {
            let bit = 1u64 << (31 - i.bft());
            // Setting an exception bit (other than FEX/VX) sets FX too.
            if bit & EXC_ALL != 0 && f & bit == 0 {
                f |= FX;
            }
            f |= bit;
        }
    }
    cpu.fpscr = summarize(f & WRITABLE);
    if i.record() {
        set_cr1(cpu);
    }
    fex_trap(cpu, before)
}

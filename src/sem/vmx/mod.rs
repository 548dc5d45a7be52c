//! Vector facility (VMX/AltiVec) semantics, Power ISA 3.0B Book I chapter 6.
//!
//! Every VMX instruction is a helper on `CpuState` (vector work is done on
//! whole 128-bit registers, which neither tier keeps in host registers),
//! reached through `Backend::helper`. The families live in submodules:
//! `int` (integer arithmetic, compare, logical, rotate/shift), `perm`
//! (pack/unpack/merge/splat/permute/shift/extract/insert, bit gathers),
//! `float` (single-precision floating point under VSCR[NJ]), `crypto`
//! (AES, SHA-2 sigma, polynomial multiply-sum); this file has the vector
//! loads and stores ("Vector Storage Access Instructions"), VSCR access and the opcode table.
//! `elem` holds the element accessors also used by the VSX semantics;
//! `bcd` the decimal integer instructions (zoned/national forms excepted).

pub mod bcd;
pub mod crypto;
pub mod elem;
pub mod float;
pub mod int;
pub mod perm;

use super::{Backend, Handler};
use crate::cpu::{CpuState, Exc};
use crate::isa::{Insn, Opcode};

/// VSCR[SAT] and VSCR[NJ] ("Vector Status and Control Register").
pub const VSCR_SAT: u32 = 1;
pub const VSCR_NJ: u32 = 0x0001_0000;

#[inline(always)]
pub fn vr(cpu: &CpuState, n: u32) -> u128 {
    cpu.vsr[32 + (n & 31) as usize]
}
#[inline(always)]
pub fn vra(cpu: &CpuState, i: Insn) -> u128 {
    vr(cpu, i.vra())
}
#[inline(always)]
pub fn vrb(cpu: &CpuState, i: Insn) -> u128 {
    vr(cpu, i.vrb())
}
#[inline(always)]
pub fn vrc(cpu: &CpuState, i: Insn) -> u128 {
    vr(cpu, i.vrc())
}
/// The current value of VRT (for the insert forms).
#[inline(always)]
pub fn vrt_val(cpu: &CpuState, i: Insn) -> u128 {
    vr(cpu, i.vrt())
}
#[inline(always)]
pub fn set_vrt(cpu: &mut CpuState, i: Insn, v: u128) {
    cpu.vsr[32 + i.vrt() as usize] = v;
}
/// Record saturation in VSCR[SAT] (sticky).
#[inline(always)]
pub fn sat(cpu: &mut CpuState) {
    cpu.vscr |= VSCR_SAT;
}

/// Whether storage accesses are little-endian (MSR[LE]).
#[inline(always)]
pub fn little(cpu: &CpuState) -> bool {
    cpu.msr & 1 != 0
}

/// A register from 16 bytes of storage laid out in the current byte order
/// (the register image of a 16-byte element).
#[inline(always)]
pub fn from_mem(cpu: &CpuState, b: [u8; 16]) -> u128 {
    if little(cpu) {
        u128::from_le_bytes(b)
    } else {
        u128::from_be_bytes(b)
    }
}
/// The inverse of `from_mem`.
#[inline(always)]
pub fn to_mem(cpu: &CpuState, v: u128) -> [u8; 16] {
    if little(cpu) {
        v.to_le_bytes()
    } else {
        v.to_be_bytes()
    }
}

/// (RA|0) + RB.
fn ea_x(cpu: &CpuState, i: Insn) -> u64 {
    let base = if i.ra() == 0 {
        0
    } else {
        cpu.gpr[i.ra() as usize]
    };
    base.wrapping_add(cpu.gpr[i.rb() as usize])
}

/// lvx, lvxl, lvebx, lvehx, lvewx ("Vector Load Instructions"). The quadword at EA & ~15 is
/// the register image in the current byte order; the element forms load
/// just their element into that image and leave the other bytes of VRT
/// alone (the ISA leaves them undefined; QEMU keeps them).
fn h_lv(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let ea = ea_x(cpu, i);
    let size = i.info().mem as u64;
    let ea = ea & !(size - 1);
    let v = if size == 16 {
        from_mem(cpu, cpu.mem.read::<16>(ea)?)
    } else {
        let mut img = to_mem(cpu, vr(cpu, i.vrt()));
        let off = (ea & 15) as usize;
        let s = cpu.mem.slice(ea, size, crate::memory::PROT_R)?;
        img[off..off + size as usize].copy_from_slice(s);
        from_mem(cpu, img)
    };
    set_vrt(cpu, i, v);
    Ok(())
}

/// stvx, stvxl, stvebx, stvehx, stvewx ("Vector Store Instructions").
fn h_stv(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let size = i.info().mem as u64;
    let ea = ea_x(cpu, i) & !(size - 1);
    let img = to_mem(cpu, vr(cpu, i.vrs()));
    if size == 16 {
        cpu.mem.write::<16>(ea, img)
    } else {
        let off = (ea & 15) as usize;
        let s = cpu.mem.slice(ea, size, crate::memory::PROT_W)?;
        s.copy_from_slice(&img[off..off + size as usize]);
        Ok(())
    }
}

/// lvsl, lvsr ("Vector Alignment Support"): the permute control for an unaligned access,
/// bytes sh..sh+15 (lvsl) or 16-sh..31-sh (lvsr) with sh = EA & 15. The
/// result does not depend on the byte order.
fn h_lvs(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let sh = (ea_x(cpu, i) & 15) as u8;
    let first = if i.op == Opcode::Lvsl { sh } else { 16 - sh };
    let mut b = [0u8; 16];
    for (k, x) in b.iter_mut().enumerate() {
        *x = first + k as u8;
    }
    set_vrt(cpu, i, u128::from_be_bytes(b));
    Ok(())
}

/// mfvscr: VRT = 96 zero bits || VSCR.
fn h_mfvscr(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let v = cpu.vscr as u128;
    set_vrt(cpu, i, v);
    Ok(())
}

/// mtvscr: VSCR = word 3 of VRB (only NJ and SAT are defined).
fn h_mtvscr(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    cpu.vscr = vrb(cpu, i) as u32 & (VSCR_NJ | VSCR_SAT);
    Ok(())
}

/// Wrap a helper as a handler for backend `T`.
macro_rules! h {
    ($f:expr) => {{
        fn w<B: Backend>(b: &mut B, i: Insn) -> Result<(), Exc> {
            b.helper($f, i)
        }
        w::<T> as Handler<T>
    }};
}

pub fn handler<T: Backend>(op: Opcode) -> Option<Handler<T>> {
    use crypto::*;
    use float as f;
    use int::*;
    use perm::*;
    use Opcode::*;
    Some(match op {
        // storage access
        Lvx | Lvxl | Lvebx | Lvehx | Lvewx => h!(h_lv),
        Stvx | Stvxl | Stvebx | Stvehx | Stvewx => h!(h_stv),
        Lvsl | Lvsr => h!(h_lvs),
        Mfvscr => h!(h_mfvscr),
        Mtvscr => h!(h_mtvscr),
        // integer add/subtract, modulo and saturating
        Vaddubm => h!(bin::<8, ADDM>),
        Vadduhm => h!(bin::<16, ADDM>),
        Vadduwm => h!(bin::<32, ADDM>),
        Vaddudm => h!(bin::<64, ADDM>),
        Vsububm => h!(bin::<8, SUBM>),
        Vsubuhm => h!(bin::<16, SUBM>),
        Vsubuwm => h!(bin::<32, SUBM>),
        Vsubudm => h!(bin::<64, SUBM>),
        Vaddubs => h!(bin::<8, ADDUS>),
        Vadduhs => h!(bin::<16, ADDUS>),
        Vadduws => h!(bin::<32, ADDUS>),
        Vaddsbs => h!(bin::<8, ADDSS>),
        Vaddshs => h!(bin::<16, ADDSS>),
        Vaddsws => h!(bin::<32, ADDSS>),
        Vsububs => h!(bin::<8, SUBUS>),
        Vsubuhs => h!(bin::<16, SUBUS>),
        Vsubuws => h!(bin::<32, SUBUS>),
        Vsubsbs => h!(bin::<8, SUBSS>),
        Vsubshs => h!(bin::<16, SUBSS>),
        Vsubsws => h!(bin::<32, SUBSS>),
        Vaddcuw => h!(bin::<32, ADDC>),
        Vsubcuw => h!(bin::<32, SUBC>),
        Vadduqm => h!(quad::<Q_ADD>),
        Vaddcuq => h!(quad::<Q_ADDC>),
        Vaddeuqm => h!(quad::<Q_ADDE>),
        Vaddecuq => h!(quad::<Q_ADDEC>),
        Vsubuqm => h!(quad::<Q_SUB>),
        Vsubcuq => h!(quad::<Q_SUBC>),
        Vsubeuqm => h!(quad::<Q_SUBE>),
        Vsubecuq => h!(quad::<Q_SUBEC>),
        // max, min, average, absolute difference
        Vmaxub => h!(bin::<8, MAXU>),
        Vmaxuh => h!(bin::<16, MAXU>),
        Vmaxuw => h!(bin::<32, MAXU>),
        Vmaxud => h!(bin::<64, MAXU>),
        Vmaxsb => h!(bin::<8, MAXS>),
        Vmaxsh => h!(bin::<16, MAXS>),
        Vmaxsw => h!(bin::<32, MAXS>),
        Vmaxsd => h!(bin::<64, MAXS>),
        Vminub => h!(bin::<8, MINU>),
        Vminuh => h!(bin::<16, MINU>),
        Vminuw => h!(bin::<32, MINU>),
        Vminud => h!(bin::<64, MINU>),
        Vminsb => h!(bin::<8, MINS>),
        Vminsh => h!(bin::<16, MINS>),
        Vminsw => h!(bin::<32, MINS>),
        Vminsd => h!(bin::<64, MINS>),
        Vavgub => h!(bin::<8, AVGU>),
        Vavguh => h!(bin::<16, AVGU>),
        Vavguw => h!(bin::<32, AVGU>),
        Vavgsb => h!(bin::<8, AVGS>),
        Vavgsh => h!(bin::<16, AVGS>),
        Vavgsw => h!(bin::<32, AVGS>),
        Vabsdub => h!(bin::<8, ABSDU>),
        Vabsduh => h!(bin::<16, ABSDU>),
        Vabsduw => h!(bin::<32, ABSDU>),
        // compares
        Vcmpequb | VcmpequbRc => h!(cmp::<8, CMPEQ>),
        Vcmpequh | VcmpequhRc => h!(cmp::<16, CMPEQ>),
        Vcmpequw | VcmpequwRc => h!(cmp::<32, CMPEQ>),
        Vcmpequd | VcmpequdRc => h!(cmp::<64, CMPEQ>),
        Vcmpgtub | VcmpgtubRc => h!(cmp::<8, CMPGTU>),
        Vcmpgtuh | VcmpgtuhRc => h!(cmp::<16, CMPGTU>),
        Vcmpgtuw | VcmpgtuwRc => h!(cmp::<32, CMPGTU>),
        Vcmpgtud | VcmpgtudRc => h!(cmp::<64, CMPGTU>),
        Vcmpgtsb | VcmpgtsbRc => h!(cmp::<8, CMPGTS>),
        Vcmpgtsh | VcmpgtshRc => h!(cmp::<16, CMPGTS>),
        Vcmpgtsw | VcmpgtswRc => h!(cmp::<32, CMPGTS>),
        Vcmpgtsd | VcmpgtsdRc => h!(cmp::<64, CMPGTS>),
        Vcmpneb | VcmpnebRc => h!(cmp::<8, CMPNE>),
        Vcmpneh | VcmpnehRc => h!(cmp::<16, CMPNE>),
        Vcmpnew | VcmpnewRc => h!(cmp::<32, CMPNE>),
        Vcmpnezb | VcmpnezbRc => h!(cmp::<8, CMPNEZ>),
        Vcmpnezh | VcmpnezhRc => h!(cmp::<16, CMPNEZ>),
        Vcmpnezw | VcmpnezwRc => h!(cmp::<32, CMPNEZ>),
        // logical
        Vand => h!(logic::<AND>),
        Vandc => h!(logic::<ANDC>),
        Vor => h!(logic::<OR>),
        Vxor => h!(logic::<XOR>),
        Vnor => h!(logic::<NOR>),
        Vorc => h!(logic::<ORC>),
        Vnand => h!(logic::<NAND>),
        Veqv => h!(logic::<EQV>),
        Vsel => h!(vsel),
        // rotate and shift
        Vrlb => h!(bin::<8, RL>),
        Vrlh => h!(bin::<16, RL>),
        Vrlw => h!(bin::<32, RL>),
        Vrld => h!(bin::<64, RL>),
        Vslb => h!(bin::<8, SL>),
        Vslh => h!(bin::<16, SL>),
        Vslw => h!(bin::<32, SL>),
        Vsld => h!(bin::<64, SL>),
        Vsrb => h!(bin::<8, SR>),
        Vsrh => h!(bin::<16, SR>),
        Vsrw => h!(bin::<32, SR>),
        Vsrd => h!(bin::<64, SR>),
        Vsrab => h!(bin::<8, SRA>),
        Vsrah => h!(bin::<16, SRA>),
        Vsraw => h!(bin::<32, SRA>),
        Vsrad => h!(bin::<64, SRA>),
        Vrlwmi => h!(bin::<32, RLMI>),
        Vrldmi => h!(bin::<64, RLMI>),
        Vrlwnm => h!(bin::<32, RLNM>),
        Vrldnm => h!(bin::<64, RLNM>),
        // multiply
        Vmuluwm => h!(bin::<32, MULM>),
        Vmuleub => h!(mul_eo::<8, false, false>),
        Vmuleuh => h!(mul_eo::<16, false, false>),
        Vmuleuw => h!(mul_eo::<32, false, false>),
        Vmulesb => h!(mul_eo::<8, true, false>),
        Vmulesh => h!(mul_eo::<16, true, false>),
        Vmulesw => h!(mul_eo::<32, true, false>),
        Vmuloub => h!(mul_eo::<8, false, true>),
        Vmulouh => h!(mul_eo::<16, false, true>),
        Vmulouw => h!(mul_eo::<32, false, true>),
        Vmulosb => h!(mul_eo::<8, true, true>),
        Vmulosh => h!(mul_eo::<16, true, true>),
        Vmulosw => h!(mul_eo::<32, true, true>),
        Vmsumubm => h!(msum::<8, false, false, SAT_NONE>),
        Vmsummbm => h!(msum::<8, true, false, SAT_NONE>),
        Vmsumuhm => h!(msum::<16, false, false, SAT_NONE>),
        Vmsumuhs => h!(msum::<16, false, false, SAT_U>),
        Vmsumshm => h!(msum::<16, true, true, SAT_NONE>),
        Vmsumshs => h!(msum::<16, true, true, SAT_S>),
        Vmsumudm => h!(vmsumudm),
        Vmhaddshs => h!(mhadd::<MHADD>),
        Vmhraddshs => h!(mhadd::<MHRADD>),
        Vmladduhm => h!(mhadd::<MLADD>),
        Vsum4ubs => h!(sum4::<8, false>),
        Vsum4sbs => h!(sum4::<8, true>),
        Vsum4shs => h!(sum4::<16, true>),
        Vsum2sws => h!(sumsws::<true>),
        Vsumsws => h!(sumsws::<false>),
        Vmul10uq => h!(mul10::<false, false>),
        Vmul10cuq => h!(mul10::<false, true>),
        Vmul10euq => h!(mul10::<true, false>),
        Vmul10ecuq => h!(mul10::<true, true>),
        // one-operand integer
        Vnegw => h!(un::<32, NEG>),
        Vnegd => h!(un::<64, NEG>),
        Vclzb => h!(un::<8, CLZ>),
        Vclzh => h!(un::<16, CLZ>),
        Vclzw => h!(un::<32, CLZ>),
        Vclzd => h!(un::<64, CLZ>),
        Vctzb => h!(un::<8, CTZ>),
        Vctzh => h!(un::<16, CTZ>),
        Vctzw => h!(un::<32, CTZ>),
        Vctzd => h!(un::<64, CTZ>),
        Vpopcntb => h!(un::<8, POPCNT>),
        Vpopcnth => h!(un::<16, POPCNT>),
        Vpopcntw => h!(un::<32, POPCNT>),
        Vpopcntd => h!(un::<64, POPCNT>),
        Vextsb2w => h!(un::<32, EXTS8>),
        Vextsh2w => h!(un::<32, EXTS16>),
        Vextsb2d => h!(un::<64, EXTS8>),
        Vextsh2d => h!(un::<64, EXTS16>),
        Vextsw2d => h!(un::<64, EXTS32>),
        Vprtybw => h!(un::<32, PRTY>),
        Vprtybd => h!(un::<64, PRTY>),
        Vprtybq => h!(un::<128, PRTY>),
        // pack, unpack, merge, splat
        Vpkuhum => h!(pack::<16, false, PK_MOD>),
        Vpkuwum => h!(pack::<32, false, PK_MOD>),
        Vpkudum => h!(pack::<64, false, PK_MOD>),
        Vpkuhus => h!(pack::<16, false, PK_USAT>),
        Vpkuwus => h!(pack::<32, false, PK_USAT>),
        Vpkudus => h!(pack::<64, false, PK_USAT>),
        Vpkshus => h!(pack::<16, true, PK_USAT>),
        Vpkswus => h!(pack::<32, true, PK_USAT>),
        Vpksdus => h!(pack::<64, true, PK_USAT>),
        Vpkshss => h!(pack::<16, true, PK_SSAT>),
        Vpkswss => h!(pack::<32, true, PK_SSAT>),
        Vpksdss => h!(pack::<64, true, PK_SSAT>),
        Vpkpx => h!(vpkpx),
        Vupkhsb => h!(unpack::<8, false>),
        Vupkhsh => h!(unpack::<16, false>),
        Vupkhsw => h!(unpack::<32, false>),
        Vupklsb => h!(unpack::<8, true>),
        Vupklsh => h!(unpack::<16, true>),
        Vupklsw => h!(unpack::<32, true>),
        Vupkhpx => h!(unpack_px::<false>),
        Vupklpx => h!(unpack_px::<true>),
        Vmrghb => h!(merge::<8, false>),
        Vmrghh => h!(merge::<16, false>),
        Vmrghw => h!(merge::<32, false>),
        Vmrglb => h!(merge::<8, true>),
        Vmrglh => h!(merge::<16, true>),
        Vmrglw => h!(merge::<32, true>),
        Vmrgew => h!(merge_eo::<false>),
        Vmrgow => h!(merge_eo::<true>),
        Vspltb => h!(splat::<8>),
        Vsplth => h!(splat::<16>),
        Vspltw => h!(splat::<32>),
        Vspltisb => h!(splat_imm::<8>),
        Vspltish => h!(splat_imm::<16>),
        Vspltisw => h!(splat_imm::<32>),
        // permute and shift
        Vperm => h!(vperm::<false>),
        Vpermr => h!(vperm::<true>),
        Vpermxor => h!(vpermxor),
        Vsldoi => h!(vsldoi),
        Vsl => h!(shift::<SH_L>),
        Vsr => h!(shift::<SH_R>),
        Vslo => h!(shift::<SH_LO>),
        Vsro => h!(shift::<SH_RO>),
        Vslv => h!(shift_var::<false>),
        Vsrv => h!(shift_var::<true>),
        // extract and insert
        Vextractub => h!(extract::<8>),
        Vextractuh => h!(extract::<16>),
        Vextractuw => h!(extract::<32>),
        Vextractd => h!(extract::<64>),
        Vinsertb => h!(insert::<8>),
        Vinserth => h!(insert::<16>),
        Vinsertw => h!(insert::<32>),
        Vinsertd => h!(insert::<64>),
        Vextublx => h!(extract_gpr::<8, false>),
        Vextuhlx => h!(extract_gpr::<16, false>),
        Vextuwlx => h!(extract_gpr::<32, false>),
        Vextubrx => h!(extract_gpr::<8, true>),
        Vextuhrx => h!(extract_gpr::<16, true>),
        Vextuwrx => h!(extract_gpr::<32, true>),
        Vclzlsbb => h!(count_lsbb::<false>),
        Vctzlsbb => h!(count_lsbb::<true>),
        Vgbbd => h!(vgbbd),
        Vbpermq => h!(vbpermq),
        Vbpermd => h!(vbpermd),
        // crypto
        Vcipher => h!(aes::<CIPHER>),
        Vcipherlast => h!(aes::<CIPHER_LAST>),
        Vncipher => h!(aes::<NCIPHER>),
        Vncipherlast => h!(aes::<NCIPHER_LAST>),
        Vsbox => h!(aes::<SBOX_ONLY>),
        Vshasigmaw => h!(shasigma::<32>),
        Vshasigmad => h!(shasigma::<64>),
        Vpmsumb => h!(pmsum::<8>),
        Vpmsumh => h!(pmsum::<16>),
        Vpmsumw => h!(pmsum::<32>),
        Vpmsumd => h!(pmsum::<64>),
        // floating point
        Vaddfp => h!(f::arith::<{ f::ADD }>),
        Vsubfp => h!(f::arith::<{ f::SUB }>),
        Vmaxfp => h!(f::arith::<{ f::MAX }>),
        Vminfp => h!(f::arith::<{ f::MIN }>),
        Vmaddfp => h!(f::madd::<false>),
        Vnmsubfp => h!(f::madd::<true>),
        Vrefp => h!(f::unary::<{ f::RE }>),
        Vrsqrtefp => h!(f::unary::<{ f::RSQRTE }>),
        Vexptefp => h!(f::unary::<{ f::EXPTE }>),
        Vlogefp => h!(f::unary::<{ f::LOGE }>),
        Vrfin => h!(f::unary::<{ f::RFIN }>),
        Vrfiz => h!(f::unary::<{ f::RFIZ }>),
        Vrfip => h!(f::unary::<{ f::RFIP }>),
        Vrfim => h!(f::unary::<{ f::RFIM }>),
        Vcfux => h!(f::cvt_from::<false>),
        Vcfsx => h!(f::cvt_from::<true>),
        Vctuxs => h!(f::cvt_to::<false>),
        Vctsxs => h!(f::cvt_to::<true>),
        Vcmpeqfp | VcmpeqfpRc => h!(f::cmp::<{ f::CEQ }>),
        Vcmpgefp | VcmpgefpRc => h!(f::cmp::<{ f::CGE }>),
        Vcmpgtfp | VcmpgtfpRc => h!(f::cmp::<{ f::CGT }>),
        Vcmpbfp | VcmpbfpRc => h!(f::cmp::<{ f::CB }>),
        // decimal
        BcdaddRc => h!(bcd::add::<false>),
        BcdsubRc => h!(bcd::add::<true>),
        BcdcpsgnRc => h!(bcd::cpsgn),
        BcdsetsgnRc => h!(bcd::setsgn),
        BcdsRc => h!(bcd::shift::<false, false>),
        BcdsrRc => h!(bcd::shift::<false, true>),
        BcdusRc => h!(bcd::shift::<true, false>),
        BcdtruncRc => h!(bcd::trunc::<false>),
        BcdutruncRc => h!(bcd::trunc::<true>),
        BcdcfsqRc => h!(bcd::cfsq),
        BcdctsqRc => h!(bcd::ctsq),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::GuestMem;

    /// Assemble-free instruction words for the helpers under test.
    fn insn(word: u32) -> Insn {
        let i = Insn::new(word);
        assert_ne!(i.op, Opcode::Invalid, "{word:08x}");
        i
    }
    /// VX-form: op 4, VRT, VRA, VRB, XO11.
    fn vx(t: u32, a: u32, b: u32, xo: u32) -> u32 {
        4 << 26 | t << 21 | a << 16 | b << 11 | xo
    }
    fn cpu() -> Box<CpuState> {
        CpuState::new(GuestMem::empty())
    }

    #[test]
    fn lvsl_lvsr_controls() {
        let mut c = cpu();
        c.gpr[4] = 0x1003;
        // lvsl v0,0,r4 and lvsr v1,0,r4
        h_lvs(&mut c, insn(31 << 26 | 4 << 11 | 6 << 1)).unwrap();
        h_lvs(&mut c, insn(31 << 26 | 1 << 21 | 4 << 11 | 38 << 1)).unwrap();
        assert_eq!(vr(&c, 0), 0x0304_0506_0708_090a_0b0c_0d0e_0f10_1112);
        assert_eq!(vr(&c, 1), 0x0d0e_0f10_1112_1314_1516_1718_191a_1b1c);
    }

    #[test]
    fn saturating_add_sets_sat() {
        let mut c = cpu();
        c.vsr[33] = 0x7f00_0000_0000_0000_0000_0000_0000_00ff;
        c.vsr[34] = 0x0100_0000_0000_0000_0000_0000_0000_0001;
        c.vscr = VSCR_NJ;
        // vaddsbs v0,v1,v2: 0x7f + 1 saturates, 0xff + 1 = 0 does not
        int::bin::<8, { int::ADDSS }>(&mut c, insn(vx(0, 1, 2, 768))).unwrap();
        assert_eq!(vr(&c, 0), 0x7f00_0000_0000_0000_0000_0000_0000_0000);
        assert_eq!(c.vscr, VSCR_NJ | VSCR_SAT);
        // mtvscr/mfvscr round trip clears SAT
        c.vsr[34] = VSCR_NJ as u128;
        h_mtvscr(&mut c, insn(vx(0, 0, 2, 1604))).unwrap();
        h_mfvscr(&mut c, insn(vx(3, 0, 0, 1540))).unwrap();
        assert_eq!(vr(&c, 3), VSCR_NJ as u128);
    }

    #[test]
    fn vrldmi_inserts_under_mask() {
        // QEMU 7.2 drops the VRT contents here; the ISA keeps them.
        let mut c = cpu();
        c.vsr[32] = 0x1111_1111_1111_1111_2222_2222_2222_2222;
        c.vsr[33] = 0x0123_4567_89ab_cdef_fedc_ba98_7654_3210;
        c.vsr[34] = 0x0000_0000_0020_3010_0000_0000_0010_0804;
        int::bin::<64, { int::RLMI }>(&mut c, insn(vx(0, 1, 2, 197))).unwrap();
        // dword 0: rotl 16 = 0x456789abcdef0123, MASK(32,48)
        assert_eq!(vr(&c, 0) >> 64, 0x1111_1111_cdef_1111);
    }

    #[test]
    fn nj_flushes_results_tiny_before_rounding() {
        // vnmsubfp v0,v1,v3,v2: 2^-126 - 2^-80×2^-80 rounds to 2^-126 but
        // is tiny before rounding, so non-Java mode flushes it to +0.
        let mut c = cpu();
        c.vscr = VSCR_NJ;
        c.vsr[33] = 0x1780_0000_u128 * 0x0000_0001_0000_0001_0000_0001_0000_0001;
        c.vsr[35] = c.vsr[33];
        c.vsr[34] = 0x0080_0000_u128 * 0x0000_0001_0000_0001_0000_0001_0000_0001;
        let va = 4 << 26 | 1 << 16 | 2 << 11 | 3 << 6;
        float::madd::<true>(&mut c, insn(va | 47)).unwrap();
        assert_eq!(vr(&c, 0), 0);
        // Java mode keeps the rounded result.
        c.vscr = 0;
        float::madd::<true>(&mut c, insn(va | 47)).unwrap();
        assert_eq!(vr(&c, 0), c.vsr[34]);
    }

    #[test]
    fn vperm_le_idiom() {
        // gcc's LE unaligned-load idiom: vperm with lvsr controls and the
        // inputs swapped selects bytes sh..sh+15 of the LE image.
        let mut c = cpu();
        c.vsr[33] = 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100; // LE bytes 0..15
        c.vsr[34] = 0x1f1e_1d1c_1b1a_1918_1716_1514_1312_1110; // 16..31
        c.gpr[4] = 5;
        h_lvs(&mut c, insn(31 << 26 | 3 << 21 | 4 << 11 | 38 << 1)).unwrap(); // lvsr v3
                                                                              // vperm v0,v2,v1,v3
        perm::vperm::<false>(&mut c, insn(4 << 26 | 2 << 16 | 1 << 11 | 3 << 6 | 43)).unwrap();
        assert_eq!(vr(&c, 0), 0x1413_1211_100f_0e0d_0c0b_0a09_0807_0605);
    }
}

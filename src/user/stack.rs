//! The initial process stack (ELFv2 ABI §4.1, Linux `create_elf_tables`):
//! argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL, then the strings,
//! the platform name and AT_RANDOM's 16 bytes above them.

use super::elf::Image;
use super::CpuModel;
use crate::cpu::Exc;
use crate::memory::GuestMem;

pub struct Initial {
    pub sp: u64,
    pub argc: u64,
    pub argv: u64,
    pub envp: u64,
    pub auxv: u64,
}

// Auxiliary vector types (linux/auxvec.h, asm/auxvec.h for powerpc).
const AT_NULL: u64 = 0;
const AT_PHDR: u64 = 3;
const AT_PHENT: u64 = 4;
const AT_PHNUM: u64 = 5;
const AT_PAGESZ: u64 = 6;
const AT_BASE: u64 = 7;
const AT_FLAGS: u64 = 8;
const AT_ENTRY: u64 = 9;
const AT_UID: u64 = 11;
const AT_EUID: u64 = 12;
const AT_GID: u64 = 13;
const AT_EGID: u64 = 14;
const AT_PLATFORM: u64 = 15;
const AT_HWCAP: u64 = 16;
const AT_CLKTCK: u64 = 17;
const AT_DCACHEBSIZE: u64 = 19;
const AT_ICACHEBSIZE: u64 = 20;
const AT_UCACHEBSIZE: u64 = 21;
const AT_SECURE: u64 = 23;
const AT_BASE_PLATFORM: u64 = 24;
const AT_RANDOM: u64 = 25;
const AT_HWCAP2: u64 = 26;
const AT_EXECFN: u64 = 31;

// PPC_FEATURE_* (asm/cputable.h).
const F_32: u64 = 0x8000_0000;
const F_64: u64 = 0x4000_0000;
const F_ALTIVEC: u64 = 0x1000_0000;
const F_FPU: u64 = 0x0800_0000;
const F_MMU: u64 = 0x0400_0000;
const F_ICACHE_SNOOP: u64 = 0x0000_2000;
const F_ARCH_2_05: u64 = 0x0000_1000;
const F_DFP: u64 = 0x0000_0400;
const F_POWER6_EXT: u64 = 0x0000_0200;
const F_ARCH_2_06: u64 = 0x0000_0100;
const F_VSX: u64 = 0x0000_0080;
const F_TRUE_LE: u64 = 0x0000_0002;
// PPC_FEATURE2_*.
const F2_ARCH_2_07: u64 = 0x8000_0000;
const F2_DSCR: u64 = 0x2000_0000;
const F2_ISEL: u64 = 0x0800_0000;
const F2_TAR: u64 = 0x0400_0000;
const F2_VEC_CRYPTO: u64 = 0x0200_0000;
const F2_ARCH_3_00: u64 = 0x0080_0000;
const F2_DARN: u64 = 0x0020_0000;
const F2_SCV: u64 = 0x0010_0000;

/// HWCAP and HWCAP2 for a CPU model (as the Linux kernel reports them for
/// POWER8/POWER9 in little-endian mode, less DFP, HTM and IEEE128 which we do
/// not implement).
pub fn hwcaps(model: CpuModel) -> (u64, u64) {
    let _ = F_DFP;
    let h = F_32
        | F_64
        | F_ALTIVEC
        | F_FPU
        | F_MMU
        | F_ICACHE_SNOOP
        | F_ARCH_2_05
        | F_POWER6_EXT
        | F_ARCH_2_06
        | F_VSX
        | F_TRUE_LE;
    let mut h2 = F2_ARCH_2_07 | F2_DSCR | F2_ISEL | F2_TAR | F2_VEC_CRYPTO;
    if model == CpuModel::Power9 {
        h2 |= F2_ARCH_3_00 | F2_DARN | F2_SCV;
    }
    (h, h2)
}

pub fn platform(model: CpuModel) -> &'static str {
    match model {
        CpuModel::Power8 => "power8",
        CpuModel::Power9 => "power9",
    }
}

pub fn build(
    mem: &GuestMem,
    top: u64,
    execfn: &str,
    args: &[String],
    env: &[String],
    img: &Image,
    model: CpuModel,
) -> Result<Initial, Exc> {
    let mut p = top;
    let push_bytes = |bytes: &[u8], p: &mut u64| -> Result<u64, Exc> {
        *p -= bytes.len() as u64;
        mem.slice(*p, bytes.len() as u64, crate::memory::PROT_W)?
            .copy_from_slice(bytes);
        Ok(*p)
    };
    let cstr = |s: &str, p: &mut u64| -> Result<u64, Exc> {
        let mut v = s.as_bytes().to_vec();
        v.push(0);
        push_bytes(&v, p)
    };
    let execfn_addr = cstr(execfn, &mut p)?;
    let mut env_addrs = Vec::new();
    for e in env.iter().rev() {
        env_addrs.push(cstr(e, &mut p)?);
    }
    env_addrs.reverse();
    let mut arg_addrs = Vec::new();
    for a in args.iter().rev() {
        arg_addrs.push(cstr(a, &mut p)?);
    }
    arg_addrs.reverse();
    let plat = cstr(platform(model), &mut p)?;
    let mut rnd = [0u8; 16];
    // SAFETY: getrandom writes at most 16 bytes into rnd.
    unsafe { libc::getrandom(rnd.as_mut_ptr() as *mut libc::c_void, 16, 0) };
    p &= !15;
    let random = {
        p -= 16;
        mem.slice(p, 16, crate::memory::PROT_W)?
            .copy_from_slice(&rnd);
        p
    };
    let (hw, hw2) = hwcaps(model);
    // SAFETY: plain libc getters.
    let (uid, euid, gid, egid) = unsafe {
        (
            libc::getuid(),
            libc::geteuid(),
            libc::getgid(),
            libc::getegid(),
        )
    };
    let aux: Vec<(u64, u64)> = vec![
        (AT_DCACHEBSIZE, 128),
        (AT_ICACHEBSIZE, 128),
        (AT_UCACHEBSIZE, 0),
        (AT_HWCAP, hw),
        (AT_PAGESZ, crate::memory::PAGE_SIZE),
        (AT_CLKTCK, 100),
        (AT_PHDR, img.phdr),
        (AT_PHENT, img.phent),
        (AT_PHNUM, img.phnum),
        (AT_BASE, img.base),
        (AT_FLAGS, 0),
        (AT_ENTRY, img.user_entry),
        (AT_UID, uid as u64),
        (AT_EUID, euid as u64),
        (AT_GID, gid as u64),
        (AT_EGID, egid as u64),
        (AT_SECURE, 0),
        (AT_RANDOM, random),
        (AT_HWCAP2, hw2),
        (AT_EXECFN, execfn_addr),
        (AT_PLATFORM, plat),
        (AT_BASE_PLATFORM, plat),
        (AT_NULL, 0),
    ];
    let words = 1 + arg_addrs.len() + 1 + env_addrs.len() + 1 + aux.len() * 2;
    p -= words as u64 * 8;
    p &= !15;
    let sp = p;
    let mut w = sp;
    let put = |v: u64, w: &mut u64| -> Result<(), Exc> {
        mem.store(8, *w, v)?;
        *w += 8;
        Ok(())
    };
    put(arg_addrs.len() as u64, &mut w)?;
    let argv = w;
    for a in &arg_addrs {
        put(*a, &mut w)?;
    }
    put(0, &mut w)?;
    let envp = w;
    for e in &env_addrs {
        put(*e, &mut w)?;
    }
    put(0, &mut w)?;
    let auxv = w;
    for (k, v) in aux {
        put(k, &mut w)?;
        put(v, &mut w)?;
    }
    // The ABI's back chain: the caller's frame below argc is null.
    Ok(Initial {
        sp,
        argc: arg_addrs.len() as u64,
        argv,
        envp,
        auxv,
    })
}

//! ELF loading for user mode (System V gABI, ELFv2 ABI for ppc64le): checks
//! the header, refuses what it cannot run with a one-line reason, and
//! copies PT_LOAD segments into the guest space with their permissions.
//! Static executables load at their own addresses, static-pie ones at
//! `PIE_BASE` (glibc's `_dl_relocate_static_pie` relocates itself from
//! AT_PHDR). A dynamically linked executable gets its PT_INTERP program
//! (ld64.so.2) loaded at `INTERP_BASE`, looked up under the `-L` sysroot
//! like `qemu-ppc64le -L`; the program starts in the interpreter, with
//! AT_BASE and AT_ENTRY telling it where things are.

use super::{LoadError, GUEST_SIZE, INTERP_BASE, PIE_BASE};
use crate::memory::{AddressSpace, PAGE_SIZE, PROT_R, PROT_W, PROT_X};
use goblin::elf::{header, program_header as ph, Elf};
use std::path::Path;

pub struct Image {
    /// Where execution starts (the interpreter's entry if there is one).
    pub entry: u64,
    /// The executable's own entry (AT_ENTRY).
    pub user_entry: u64,
    pub phdr: u64,
    pub phnum: u64,
    pub phent: u64,
    pub brk: u64,
    /// The interpreter's load address (AT_BASE), 0 without one.
    pub base: u64,
}

/// Whether `path` is a program for us: a 64-bit little-endian PowerPC
/// ELF, or a `#!` script whose interpreter (under `sysroot` first) is one.
/// Anything else `execve` hands to the host kernel, as qemu-ppc64le does.
pub fn is_guest_program(path: &Path, sysroot: Option<&Path>) -> bool {
    is_guest_program_depth(path, sysroot, 0)
}

fn is_guest_program_depth(path: &Path, sysroot: Option<&Path>, depth: u32) -> bool {
    use std::io::Read;
    let mut h = [0u8; 256];
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let n = f.read(&mut h).unwrap_or(0);
    if n >= 2 && &h[..2] == b"#!" && depth < 4 {
        let line = h[2..n].split(|&b| b == b'\n').next().unwrap_or(&[]);
        let line = String::from_utf8_lossy(line);
        let Some(interp) = line.split_whitespace().next() else {
            return false;
        };
        let mapped = sysroot
            .map(|r| r.join(interp.trim_start_matches('/')))
            .filter(|p| p.is_file())
            .unwrap_or_else(|| interp.into());
        return is_guest_program_depth(&mapped, sysroot, depth + 1);
    }
    n >= 20
        && &h[..4] == b"\x7fELF"
        && h[4] == 2
        && h[5] == 1
        && u16::from_le_bytes([h[18], h[19]]) == header::EM_PPC64
}

struct One {
    entry: u64,
    phdr: u64,
    phnum: u64,
    phent: u64,
    end: u64,
    interp: Option<String>,
}

fn load_one(
    path: &str,
    data: &[u8],
    space: &mut AddressSpace,
    dyn_base: u64,
) -> Result<One, LoadError> {
    let elf = Elf::parse(data).map_err(|e| LoadError::BadElf(path.into(), e.to_string()))?;
    if elf.header.e_machine != header::EM_PPC64 || !elf.is_64 || !elf.little_endian {
        let m = header::machine_to_str(elf.header.e_machine);
        let order = if elf.little_endian { "LE" } else { "BE" };
        let class = if elf.is_64 { 64 } else { 32 };
        return Err(LoadError::WrongArch(
            path.into(),
            format!("{m}, {class}-bit {order}"),
        ));
    }
    let base = match elf.header.e_type {
        header::ET_DYN => dyn_base,
        header::ET_EXEC => 0,
        _ => return Err(LoadError::BadElf(path.into(), "not an executable".into())),
    };
    let mut end = 0;
    let mut phdr = 0;
    let mem = space.view();
    let mut loaded = false;
    for p in &elf.program_headers {
        if p.p_type == ph::PT_PHDR {
            phdr = base.wrapping_add(p.p_vaddr);
        }
        if p.p_type != ph::PT_LOAD || p.p_memsz == 0 {
            continue;
        }
        let va = base.wrapping_add(p.p_vaddr);
        let seg_end = va.checked_add(p.p_memsz).filter(|&e| e <= GUEST_SIZE / 2);
        let fend = p.p_offset.checked_add(p.p_filesz);
        let (Some(seg_end), Some(fend)) = (seg_end, fend) else {
            return Err(LoadError::Layout(path.into(), va));
        };
        if fend > data.len() as u64 || p.p_filesz > p.p_memsz {
            return Err(LoadError::BadElf(
                path.into(),
                "segment extends past end of file".into(),
            ));
        }
        let mut prot = 0;
        if p.is_read() {
            prot |= PROT_R;
        }
        if p.is_write() {
            prot |= PROT_W;
        }
        if p.is_executable() {
            prot |= PROT_X | PROT_R;
        }
        // Segments sharing a 64 KiB page get the union of their rights.
        let page_start = va & !(PAGE_SIZE - 1);
        let prev = space.perm_of(page_start);
        space.protect(page_start, seg_end - page_start, prot | PROT_W);
        let dst = mem
            .slice(va, p.p_filesz, PROT_W)
            .map_err(|_| LoadError::Layout(path.into(), va))?;
        dst.copy_from_slice(&data[p.p_offset as usize..fend as usize]);
        space.protect(page_start, seg_end - page_start, prot);
        if prev != 0 {
            space.protect(page_start, 1, prot | prev);
        }
        if phdr == 0 && p.p_offset == 0 {
            phdr = va + elf.header.e_phoff;
        }
        end = end.max(seg_end);
        loaded = true;
    }
    if !loaded {
        return Err(LoadError::BadElf(
            path.into(),
            "no loadable segments".into(),
        ));
    }
    Ok(One {
        entry: base.wrapping_add(elf.entry),
        phdr,
        phnum: elf.header.e_phnum as u64,
        phent: elf.header.e_phentsize as u64,
        end,
        interp: elf.interpreter.map(str::to_string),
    })
}

/// Load the executable and, for a dynamic one, its interpreter.
pub fn load(
    path: &str,
    data: &[u8],
    space: &mut AddressSpace,
    sysroot: Option<&Path>,
) -> Result<Image, LoadError> {
    let main = load_one(path, data, space, PIE_BASE)?;
    let mut img = Image {
        entry: main.entry,
        user_entry: main.entry,
        phdr: main.phdr,
        phnum: main.phnum,
        phent: main.phent,
        brk: main.end,
        base: 0,
    };
    if let Some(interp) = main.interp {
        let candidates: Vec<std::path::PathBuf> = match sysroot {
            Some(r) => vec![
                r.join(interp.trim_start_matches('/')),
                interp.clone().into(),
            ],
            None => vec![interp.clone().into()],
        };
        let Some(ipath) = candidates.iter().find(|p| p.is_file()) else {
            return Err(LoadError::Dynamic(path.into(), interp));
        };
        let idata = std::fs::read(ipath).map_err(|e| LoadError::Io {
            path: ipath.display().to_string(),
            source: e,
        })?;
        let i = load_one(&ipath.display().to_string(), &idata, space, INTERP_BASE)?;
        img.entry = i.entry;
        img.base = INTERP_BASE;
    }
    Ok(img)
}

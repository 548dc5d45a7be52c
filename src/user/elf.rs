//! ELF loading for user mode (System V gABI, ELFv2 ABI for ppc64le): checks
//! the header, refuses what it cannot run with a one-line reason, and
//! copies PT_LOAD segments into the guest space with their permissions.

use super::{LoadError, GUEST_SIZE, PIE_BASE};
use crate::memory::{AddressSpace, PAGE_SIZE, PROT_R, PROT_W, PROT_X};
use goblin::elf::{header, program_header as ph, Elf};

pub struct Image {
    pub entry: u64,
    pub phdr: u64,
    pub phnum: u64,
    pub phent: u64,
    pub brk: u64,
    pub base: u64,
}

pub fn load(path: &str, data: &[u8], space: &mut AddressSpace) -> Result<Image, LoadError> {
    let elf = Elf::parse(data).map_err(|e| LoadError::BadElf(path.into(), e.to_string()))?;
    if elf.header.e_machine != header::EM_PPC64 || !elf.is_64 || !elf.little_endian {
        let m = header::machine_to_str(elf.header.e_machine);
        let order = if elf.little_endian { "LE" } else { "BE" };
        let class = if elf.is_64 { 64 } else { 32 };
        return Err(LoadError::WrongArch(path.into(), format!("{m}, {class}-bit {order}")));
    }
    if let Some(interp) = elf.interpreter {
        return Err(LoadError::Dynamic(path.into(), interp.to_string()));
    }
    let base = if elf.header.e_type == header::ET_DYN {
        PIE_BASE
    } else if elf.header.e_type == header::ET_EXEC {
        0
    } else {
        return Err(LoadError::BadElf(path.into(), "not an executable".into()));
    };
    let mut brk = 0;
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
        let end = va.checked_add(p.p_memsz).filter(|&e| e <= GUEST_SIZE / 2);
        let fend = p.p_offset.checked_add(p.p_filesz);
        let (Some(end), Some(fend)) = (end, fend) else {
            return Err(LoadError::Layout(path.into(), va));
        };
        if fend > data.len() as u64 || p.p_filesz > p.p_memsz {
            return Err(LoadError::BadElf(path.into(), "segment extends past end of file".into()));
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
        let page_start = va & !(PAGE_SIZE - 1);
        space.protect(page_start, end - page_start, prot | PROT_W);
        let dst = mem
            .slice(va, p.p_filesz, PROT_W)
            .map_err(|_| LoadError::Layout(path.into(), va))?;
        dst.copy_from_slice(&data[p.p_offset as usize..fend as usize]);
        space.protect(page_start, end - page_start, prot);
        if phdr == 0 && p.p_offset == 0 {
            phdr = va + elf.header.e_phoff;
        }
        brk = brk.max(end);
        loaded = true;
    }
    if !loaded {
        return Err(LoadError::BadElf(path.into(), "no loadable segments".into()));
    }
    Ok(Image {
        entry: base.wrapping_add(elf.entry),
        phdr,
        phnum: elf.header.e_phnum as u64,
        phent: elf.header.e_phentsize as u64,
        brk,
        base,
    })
}

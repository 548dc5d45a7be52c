//! `powerlift disas FILE`: disassemble the executable sections of a ppc64
//! ELF (either byte order), one line per word, in objdump's syntax.

use crate::isa::disasm::disasm;
use goblin::elf::{section_header::SHF_EXECINSTR, Elf};
use std::io::Write;

#[derive(Debug, thiserror::Error)]
pub enum DisasError {
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error("{0}: not a valid ELF file: {1}")]
    BadElf(String, String),
    #[error("{0}: not a PowerPC ELF")]
    WrongArch(String),
}

pub fn disas_file(path: &str, out: &mut dyn Write) -> Result<(), DisasError> {
    let data = std::fs::read(path).map_err(|e| DisasError::Io(path.into(), e))?;
    let elf = Elf::parse(&data).map_err(|e| DisasError::BadElf(path.into(), e.to_string()))?;
    let m = elf.header.e_machine;
    if m != goblin::elf::header::EM_PPC64 && m != goblin::elf::header::EM_PPC {
        return Err(DisasError::WrongArch(path.into()));
    }
    let le = elf.little_endian;
    for sh in &elf.section_headers {
        if sh.sh_flags & SHF_EXECINSTR as u64 == 0
            || sh.sh_type == goblin::elf::section_header::SHT_NOBITS
        {
            continue;
        }
        let name = elf.shdr_strtab.get_at(sh.sh_name).unwrap_or("?");
        let start = sh.sh_offset as usize;
        let end = start.saturating_add(sh.sh_size as usize);
        let Some(bytes) = data.get(start..end) else {
            return Err(DisasError::BadElf(
                path.into(),
                format!("section {name} is truncated"),
            ));
        };
        let _ = writeln!(out, "\nDisassembly of section {name}:\n");
        for (k, c) in bytes.chunks_exact(4).enumerate() {
            let b = [c[0], c[1], c[2], c[3]];
            let w = if le {
                u32::from_le_bytes(b)
            } else {
                u32::from_be_bytes(b)
            };
            let addr = sh.sh_addr + 4 * k as u64;
            if writeln!(out, "{addr:x}: {w:08x}  {}", disasm(w, addr)).is_err() {
                return Ok(());
            }
        }
    }
    Ok(())
}

//! powerlift: a ppc64 (POWER9) emulator.
//!
//! `isa` decodes and disassembles (generated from `isa/*.isa`), `sem` holds
//! the instruction semantics written once over the `sem::Backend` trait,
//! `exec` holds the execution tiers, `cpu` the guest register state,
//! `memory` the guest address space and `user` the Linux user-mode process
//! model. `disas` is the ELF disassembler behind `powerlift disas`.

pub mod cli;
pub mod cpu;
pub mod disas;
pub mod exec;
pub mod gdb;
pub mod initramfs;
pub mod isa;
pub mod memory;
pub mod mmu;
pub mod monitor;
pub mod sem;
pub mod spapr;
pub mod user;

//! Direct transfers between compiled regions, without returning to the
//! dispatcher (user mode; QEMU's `goto_tb` and its jump cache for indirect
//! branches, done with Cranelift tail calls).
//!
//! Every region is a `tail`-convention function `fn(cpu, table) -> code`,
//! entered from Rust through `trampoline` (a System V function that calls
//! it). `table` is the region's own link table (`Jit` owns it, next to the
//! region):
//! - its region id, which the region stores (as `cpu.jit_table`) when it
//!   returns, so the dispatcher knows which region of a chain left;
//! - for each chainable exit k (exit code `CHAIN + k`, a constant target),
//!   the target region's code and table, or 0 while unlinked;
//! - for each computed-branch site j (exit code `ICACHE + j`: blr, bctr,
//!   ...), the guest address last seen there with its region's code and
//!   table: a one-entry inline cache.
//!
//! Each such exit stores the registers, then tail-calls the linked region
//! in place (`emit_link`), provided the slice has not ended (`cpu.stop_at`,
//! which `guard` also zeroes when a store hits decoded code). Otherwise it
//! takes the region's shared exit, which stores `pc` and `icount` and
//! returns the exit code (`emit_return`), and the dispatcher carries on as
//! it always did. `Jit` fills tables only with regions compiled at the optimising
//! level (cheap regions are counted in the dispatcher, which decides when
//! they are hot) and only in user mode, where compiled code goes away only
//! with a whole flush, which drops every table with it.

use super::backend::CHAIN;
use crate::cpu::CpuState;
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    types, AbiParam, Function, InstBuilder, MemFlagsData, Signature, UserFuncName, Value,
};
use cranelift_codegen::isa::{CallConv, TargetIsa};
use cranelift_codegen::Context;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use std::mem::offset_of;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether compiled code counts its own transfers (`cpu.jit_chains`, for
/// `--stats`); off otherwise, as three more instructions on every
/// transfer show on gzip (153 M transfers).
pub static COUNT_TRANSFERS: AtomicBool = AtomicBool::new(false);

const I64: types::Type = types::I64;

/// Exit code `ICACHE + j`: a computed branch left through site j.
pub const ICACHE: u64 = CHAIN << 1;

/// Words per chainable exit and per computed-branch site in a table,
/// after the region id.
const HEAD: usize = 1;
const EXIT_WORDS: usize = 2;
const SITE_WORDS: usize = 3;

/// A fresh link table of region `id` with `exits` chainable exits and
/// `sites` sites: all unlinked (a site's address is an impossible
/// instruction address).
pub fn table(id: u32, exits: usize, sites: usize) -> Box<[u64]> {
    let mut t = vec![0u64; HEAD + EXIT_WORDS * exits + SITE_WORDS * sites];
    t[0] = id as u64;
    for j in 0..sites {
        t[HEAD + EXIT_WORDS * exits + SITE_WORDS * j] = u64::MAX;
    }
    t.into_boxed_slice()
}

/// The id of the region whose table is at `t` (as left in `cpu.jit_table`).
///
/// # Safety
/// `t` is the table of a live region.
pub unsafe fn region_of(t: *const u64) -> u32 {
    // SAFETY: per the contract above.
    unsafe { *t as u32 }
}

/// Link chainable exit `k` to the region at `code` with link table
/// `target`.
pub fn link_exit(t: &mut [u64], k: usize, code: *const u8, target: *mut u64) {
    t[HEAD + EXIT_WORDS * k] = code as u64;
    t[HEAD + EXIT_WORDS * k + 1] = target as u64;
}

/// Point site `j` (of a table with `exits` exits) at guest address `pc`,
/// compiled at `code` with link table `target`.
pub fn link_site(
    t: &mut [u64],
    exits: usize,
    j: usize,
    pc: u64,
    code: *const u8,
    target: *mut u64,
) {
    let s = HEAD + EXIT_WORDS * exits + SITE_WORDS * j;
    t[s] = pc;
    t[s + 1] = code as u64;
    t[s + 2] = target as u64;
}

/// The signature of every region.
pub fn region_signature() -> Signature {
    let mut sig = Signature::new(CallConv::Tail);
    sig.params.push(AbiParam::new(I64));
    sig.params.push(AbiParam::new(I64));
    sig.returns.push(AbiParam::new(I64));
    sig
}

/// Machine code of `extern "C" fn(cpu, region, table) -> u64`, which calls
/// the region. Position-independent, like the regions.
pub fn trampoline(isa: &dyn TargetIsa) -> Vec<u8> {
    let mut sig = Signature::new(isa.default_call_conv());
    sig.params.extend([AbiParam::new(I64); 3]);
    sig.returns.push(AbiParam::new(I64));
    let mut ctx = Context::new();
    ctx.func = Function::with_name_signature(UserFuncName::default(), sig);
    let mut fctx = FunctionBuilderContext::new();
    let mut fb = FunctionBuilder::new(&mut ctx.func, &mut fctx);
    let b = fb.create_block();
    fb.append_block_params_for_function_params(b);
    fb.switch_to_block(b);
    let p = fb.block_params(b).to_vec();
    let rsig = fb.import_signature(region_signature());
    let call = fb.ins().call_indirect(rsig, p[1], &[p[0], p[2]]);
    let r = fb.inst_results(call)[0];
    fb.ins().return_(&[r]);
    fb.seal_all_blocks();
    fb.finalize(isa.frontend_config());
    let code = ctx
        .compile(isa, &mut ControlPlane::default())
        .expect("the region trampoline compiles");
    code.code_buffer().to_vec()
}

fn flags() -> MemFlagsData {
    MemFlagsData::trusted()
}

/// A link of a region's table: chainable exit k or computed-branch site j.
#[derive(Clone, Copy)]
pub enum Link {
    Exit(usize),
    Site(usize),
}

/// Emit, at an exit for guest address `pc` that has already stored the
/// registers, the tail call through `link`: unless the slice is over with
/// the `n` instructions retired since the last store to `cpu.icount`, or
/// the link does not lead to `pc`, add them to `cpu.icount` and tail-call
/// the region linked there; else jump to `leave` (the shared exit, which
/// adds them itself). The table words are at constant offsets, so a
/// transfer costs no decoding of an exit code. Returns the loads of site
/// words whose offsets `patch_sites` must fix (they follow the exits').
pub fn emit_link(
    fb: &mut FunctionBuilder,
    cpu: Value,
    table: Value,
    pc: Value,
    n: Value,
    link: Link,
    leave: cranelift_codegen::ir::Block,
) -> Vec<(cranelift_codegen::ir::Inst, usize)> {
    let f = flags();
    let off = offset_of!(CpuState, icount) as i32;
    let ic = fb.ins().load(I64, f, cpu, off);
    let ic = fb.ins().iadd(ic, n);
    let stop = fb
        .ins()
        .load(I64, f, cpu, offset_of!(CpuState, stop_at) as i32);
    let over = fb.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, ic, stop);
    let go_on = fb.create_block();
    fb.ins().brif(over, leave, &[], go_on, &[]);
    fb.switch_to_block(go_on);
    let mut patches = Vec::new();
    let (c, t) = match link {
        Link::Exit(k) => {
            let w = ((HEAD + EXIT_WORDS * k) * 8) as i32;
            let c = fb.ins().load(I64, f, table, w);
            let linked = fb.create_block();
            fb.ins().brif(c, linked, &[], leave, &[]);
            fb.switch_to_block(linked);
            (c, fb.ins().load(I64, f, table, w + 8))
        }
        Link::Site(j) => {
            let seen = fb.ins().load(I64, f, table, 0);
            patches.push((fb.func.dfg.value_def(seen).unwrap_inst(), SITE_WORDS * j));
            let hit = fb.ins().icmp(IntCC::Equal, seen, pc);
            let linked = fb.create_block();
            fb.ins().brif(hit, linked, &[], leave, &[]);
            fb.switch_to_block(linked);
            let c = fb.ins().load(I64, f, table, 8);
            patches.push((fb.func.dfg.value_def(c).unwrap_inst(), SITE_WORDS * j + 1));
            let t = fb.ins().load(I64, f, table, 16);
            patches.push((fb.func.dfg.value_def(t).unwrap_inst(), SITE_WORDS * j + 2));
            (c, t)
        }
    };
    // (Only now: `leave` counts the instructions itself.)
    fb.ins().store(f, ic, cpu, off);
    if COUNT_TRANSFERS.load(Ordering::Relaxed) {
        let off = offset_of!(CpuState, jit_chains) as i32;
        let k = fb.ins().load(I64, f, cpu, off);
        let k = fb.ins().iadd_imm_s(k, 1);
        fb.ins().store(f, k, cpu, off);
    }
    let sig = fb.import_signature(region_signature());
    fb.ins().return_call_indirect(sig, c, &[cpu, t]);
    patches
}

/// Give the site-word loads of `emit_link` their offsets, now that the
/// region's number of chainable exits is known: word `w` of the sites'
/// part of the table.
pub fn patch_sites(
    fb: &mut FunctionBuilder,
    patches: &[(cranelift_codegen::ir::Inst, usize)],
    exits: usize,
) {
    use cranelift_codegen::ir::InstructionData;
    for &(inst, w) in patches {
        if let InstructionData::Load { offset, .. } = &mut fb.func.dfg.insts[inst] {
            *offset = (((HEAD + EXIT_WORDS * exits + w) * 8) as i32).into();
        }
    }
}

/// Emit the end of a region's shared exit block (`pc` and `icount` are
/// stored): leave the link table for the dispatcher (`cpu.jit_table`) and
/// return exit code `code`. Linked transfers never come here: each exit
/// tail-calls in place (`emit_link`) and reaches the shared exit only when
/// the slice is over or its link does not lead on.
pub fn emit_return(fb: &mut FunctionBuilder, cpu: Value, table: Value, code: Value) {
    fb.ins()
        .store(flags(), table, cpu, offset_of!(CpuState, jit_table) as i32);
    fb.ins().return_(&[code]);
}

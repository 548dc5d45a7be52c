//! Hypercalls (PAPR chapter 14, "Hypervisor interface"): `sc 1` from
//! supervisor state with the opcode in r3 and arguments in r4..r12; the
//! status returns in r3 and outputs in r4... Each handler lives with the
//! state it owns; this module is the table. Unknown opcodes return
//! H_FUNCTION with one log line (`-d unimp`).

use super::machine::{Machine, VcpuState};
use crate::cpu::{lpcr, msr};

pub const H_SUCCESS: i64 = 0;
pub const H_HARDWARE: i64 = -1;
pub const H_FUNCTION: i64 = -2;
pub const H_PARAMETER: i64 = -4;
pub const H_P2: i64 = -55;
pub const H_P3: i64 = -56;
pub const H_P4: i64 = -57;
pub const H_UNSUPPORTED_FLAG: i64 = -256;

pub const H_CEDE: u64 = 0xe0;
pub const H_CONFER: u64 = 0xe4;
pub const H_PROD: u64 = 0xe8;
pub const H_GET_TERM_CHAR: u64 = 0x54;
pub const H_PUT_TERM_CHAR: u64 = 0x58;
pub const H_EOI: u64 = 0x64;
pub const H_CPPR: u64 = 0x68;
pub const H_IPI: u64 = 0x6c;
pub const H_IPOLL: u64 = 0x70;
pub const H_XIRR: u64 = 0x74;
pub const H_REGISTER_VPA: u64 = 0xdc;
pub const H_GET_CPU_CHARACTERISTICS: u64 = 0x1c8;
pub const H_XIRR_X: u64 = 0x2fc;
pub const H_RANDOM: u64 = 0x300;
pub const H_SET_MODE: u64 = 0x31c;
pub const H_REGISTER_PROC_TBL: u64 = 0x37c;
pub const KVMPPC_H_RTAS: u64 = 0xf000;
pub const KVMPPC_H_VOF_CLIENT: u64 = 0xf005;

/// The vty's unit address (its `reg`): the only terminal number.
pub const VTY_TERMNO: u64 = 0x7100_0000;

/// Service the hypercall vCPU `n` just made (its PC is still on the sc).
pub fn hcall(m: &mut Machine, n: usize) {
    let a: [u64; 10] = std::array::from_fn(|k| m.vcpus[n].cpu.gpr[3 + k]);
    let op = a[0];
    *m.hcall_counts.entry(op).or_default() += 1;
    let mut out: Vec<u64> = Vec::new();
    let ret = match op {
        H_PUT_TERM_CHAR => {
            if a[1] != VTY_TERMNO || a[2] > 16 {
                H_PARAMETER
            } else {
                let mut bytes = [0u8; 16];
                bytes[..8].copy_from_slice(&a[3].to_be_bytes());
                bytes[8..].copy_from_slice(&a[4].to_be_bytes());
                m.console.write(&bytes[..a[2] as usize]);
                H_SUCCESS
            }
        }
        H_GET_TERM_CHAR => {
            if a[1] != VTY_TERMNO {
                H_PARAMETER
            } else {
                let got = m.console.read(16);
                let mut bytes = [0u8; 16];
                bytes[..got.len()].copy_from_slice(&got);
                out = vec![
                    got.len() as u64,
                    u64::from_be_bytes(bytes[..8].try_into().unwrap()),
                    u64::from_be_bytes(bytes[8..].try_into().unwrap()),
                ];
                H_SUCCESS
            }
        }
        H_SET_MODE => set_mode(m, n, a[1], a[2], a[3]),
        H_REGISTER_PROC_TBL => register_proc_tbl(m, a[1], a[2], a[3], a[4]),
        H_REGISTER_VPA => register_vpa(m, a[1], a[2], a[3]),
        H_CEDE => {
            let c = &mut m.vcpus[n].cpu;
            log::info!(target: "int", "cpu {n}: H_CEDE dec {:#x} at {:#x}", c.dec(), c.pc);
            let v = c.msr | msr::EE;
            c.set_msr(v);
            m.vcpus[n].state = VcpuState::Ceded;
            H_SUCCESS
        }
        H_PROD => match m.vcpus.get_mut(a[1] as usize) {
            Some(v) => {
                if v.state == VcpuState::Ceded {
                    v.state = VcpuState::Running;
                }
                H_SUCCESS
            }
            None => H_PARAMETER,
        },
        H_CONFER => H_SUCCESS,
        H_GET_CPU_CHARACTERISTICS => {
            // Characteristics: none claimed; behaviour: no "favour security"
            // (PAPR H_CPU_BEHAV_*), so the guest skips L1D flush mitigations
            // that cost a lot under emulation (boot.md §0.20).
            out = vec![0, 0];
            H_SUCCESS
        }
        H_RANDOM => {
            let mut b = [0u8; 8];
            m.entropy(&mut b);
            out = vec![u64::from_ne_bytes(b)];
            H_SUCCESS
        }
        H_CPPR => {
            m.xics.h_cppr(n, a[1] as u8);
            H_SUCCESS
        }
        H_IPI => {
            if m.xics.h_ipi(a[1] as usize, a[2] as u8) {
                if let Some(v) = m.vcpus.get_mut(a[1] as usize) {
                    if v.state == VcpuState::Ceded {
                        v.state = VcpuState::Running;
                    }
                }
                H_SUCCESS
            } else {
                H_PARAMETER
            }
        }
        H_XIRR | H_XIRR_X => {
            let x = m.xics.h_xirr(n);
            out = vec![x as u64];
            if op == H_XIRR_X {
                out.push(crate::cpu::timebase(&m.vcpus[n].cpu));
            }
            H_SUCCESS
        }
        H_EOI => {
            m.xics.h_eoi(n, a[1] as u32);
            H_SUCCESS
        }
        H_IPOLL => {
            if a[1] as usize >= m.vcpus.len() {
                H_PARAMETER
            } else {
                let (x, mfrr) = m.xics.h_ipoll(a[1] as usize);
                out = vec![x as u64, mfrr as u64];
                H_SUCCESS
            }
        }
        KVMPPC_H_RTAS => super::rtas::call(m, n, a[1]),
        KVMPPC_H_VOF_CLIENT => vof_client(m, a[1]),
        _ => {
            log::info!(target: "unimp", "Unimplemented SPAPR hcall {op:#x}");
            H_FUNCTION
        }
    };
    let c = &mut m.vcpus[n].cpu;
    c.gpr[3] = ret as u64;
    for (k, v) in out.into_iter().enumerate() {
        c.gpr[4 + k] = v;
    }
}

/// KVMPPC_H_VOF_CLIENT: one Open Firmware client-interface call.
fn vof_client(m: &mut Machine, args: u64) -> i64 {
    let Some(vof) = m.vof.as_mut() else {
        return H_FUNCTION;
    };
    let console = &mut m.console;
    let r = vof.client_call(m.ram.bytes_mut(), args, &mut |b: &[u8]| console.write(b));
    if vof.exit_requested() {
        m.shutdown = Some(super::machine::Shutdown::Quit);
    }
    let cas_hp_evt = vof
        .cas()
        .map(|c| c.ov5.get(6).is_some_and(|b| b & 0x04 != 0));
    if vof.quiesced() {
        m.vof = None;
    }
    if let Some(hp) = cas_hp_evt {
        if !m.cas_done {
            m.cas_done = true;
            super::hotplug_drc::cas(m, hp);
        }
    }
    // instantiate-rtas writes code into guest RAM: drop decoded blocks.
    for v in &mut m.vcpus {
        v.interp.flush();
    }
    r
}

/// H_SET_MODE (PAPR 14.5.4.3.6): resource 3 sets the alternate interrupt
/// location, resource 4 the interrupt endianness, for every vCPU.
fn set_mode(m: &mut Machine, _n: usize, mflags: u64, resource: u64, v1: u64) -> i64 {
    match resource {
        3 => {
            if v1 != 0 {
                return H_P3;
            }
            let ail = match mflags {
                0 | 3 => mflags,
                _ => return H_UNSUPPORTED_FLAG,
            };
            for v in &mut m.vcpus {
                let l = &mut v.cpu.sup.lpcr;
                *l = (*l & !lpcr::AIL_MASK) | (ail << lpcr::AIL_SHIFT);
            }
            H_SUCCESS
        }
        4 => {
            let ile = match mflags {
                0 => false,
                1 => true,
                _ => return H_UNSUPPORTED_FLAG,
            };
            for v in &mut m.vcpus {
                let l = &mut v.cpu.sup.lpcr;
                if ile {
                    *l |= lpcr::ILE;
                } else {
                    *l &= !lpcr::ILE;
                }
            }
            H_SUCCESS
        }
        // CIABR and DAWR are debugger facilities we do not provide.
        1 | 2 => H_P2,
        _ => H_P2,
    }
}

/// H_REGISTER_PROC_TBL (PAPR 14.5.4.21): radix process table.
fn register_proc_tbl(m: &mut Machine, flags: u64, base: u64, page_size: u64, size: u64) -> i64 {
    const MODIFY: u64 = 0x10;
    const REGISTER: u64 = 0x08;
    const RADIX: u64 = 0x04;
    const HASH_PT: u64 = 0x02;
    if flags & !0x1f != 0 {
        return H_PARAMETER;
    }
    if flags & MODIFY == 0 {
        // "Keep current registration" (hash guests send 0).
        return H_SUCCESS;
    }
    if flags & HASH_PT != 0 {
        return H_FUNCTION;
    }
    if flags & REGISTER == 0 {
        for v in &mut m.vcpus {
            v.mmu.radix = false;
            v.mmu.flush();
        }
        return H_SUCCESS;
    }
    if flags & RADIX == 0 {
        return H_PARAMETER;
    }
    if page_size != 0 || size > 24 || base & 0xfff != 0 || base >= m.cfg.ram_size {
        return H_PARAMETER;
    }
    for v in &mut m.vcpus {
        v.mmu.prtb_base = base;
        v.mmu.prtb_size = size;
        v.mmu.radix = true;
        v.mmu.flush();
    }
    H_SUCCESS
}

/// H_REGISTER_VPA (PAPR 14.11.3.2): the virtual processor area. We only
/// validate and accept it (and mark the partition as shared-processor so
/// the guest uses its paravirtual paths).
fn register_vpa(m: &mut Machine, flags: u64, cpu: u64, addr: u64) -> i64 {
    let sub = (flags >> 45) & 7;
    if cpu as usize >= m.vcpus.len() {
        return H_PARAMETER;
    }
    match sub {
        1 => {
            let ram = m.ram.bytes_mut();
            let a = addr as usize;
            if addr & 0xf != 0 || a + 0x280 > ram.len() {
                return H_PARAMETER;
            }
            let size = u16::from_be_bytes([ram[a + 4], ram[a + 5]]) as u64;
            if size < 640 || (addr & 0xfff) + size > 0x1000 {
                return H_PARAMETER;
            }
            H_SUCCESS
        }
        2 | 3 | 5 | 6 | 7 => H_SUCCESS,
        _ => H_PARAMETER,
    }
}

//! RTAS (PAPR chapter 7, "Run-Time Abstraction Services"), entered through
//! the 20-byte blob that turns the call into the KVMPPC_H_RTAS hypercall
//! with r4 = real address of a big-endian `rtas_args` block: token, nargs,
//! nret, args[nargs], rets[nret]. rets[0] is the RTAS status (0 success,
//! -1 hardware error, -3 parameter error / not supported). Tokens are
//! QEMU's numbering (boot.md §3.5) so traces compare.

use super::hcall::{H_PARAMETER, H_SUCCESS};
use super::machine::{Machine, Shutdown, VcpuState};
use crate::cpu::msr;

pub const RTAS_DISPLAY_CHARACTER: u32 = 0x2000;
pub const RTAS_GET_TIME_OF_DAY: u32 = 0x2001;
pub const RTAS_SET_TIME_OF_DAY: u32 = 0x2002;
pub const RTAS_POWER_OFF: u32 = 0x2003;
pub const RTAS_SYSTEM_REBOOT: u32 = 0x2004;
pub const RTAS_QUERY_CPU_STOPPED_STATE: u32 = 0x2005;
pub const RTAS_START_CPU: u32 = 0x2006;
pub const RTAS_STOP_SELF: u32 = 0x2007;
pub const RTAS_GET_SYSTEM_PARAMETER: u32 = 0x2008;
pub const RTAS_SET_SYSTEM_PARAMETER: u32 = 0x2009;
pub const RTAS_SET_XIVE: u32 = 0x200a;
pub const RTAS_GET_XIVE: u32 = 0x200b;
pub const RTAS_INT_OFF: u32 = 0x200c;
pub const RTAS_INT_ON: u32 = 0x200d;
pub const RTAS_CHECK_EXCEPTION: u32 = 0x200e;
pub const RTAS_EVENT_SCAN: u32 = 0x200f;
pub const RTAS_NVRAM_FETCH: u32 = 0x2012;
pub const RTAS_NVRAM_STORE: u32 = 0x2013;
pub const RTAS_SET_INDICATOR: u32 = 0x201a;
pub const RTAS_GET_SENSOR_STATE: u32 = 0x201d;
pub const RTAS_CONFIGURE_CONNECTOR: u32 = 0x201e;
pub const RTAS_OS_TERM: u32 = 0x201f;
pub const RTAS_NMI_REGISTER: u32 = 0x202b;

pub const RTAS_OUT_SUCCESS: i32 = 0;
pub const RTAS_OUT_HW_ERROR: i32 = -1;
pub const RTAS_OUT_PARAM_ERROR: i32 = -3;
pub const RTAS_OUT_NOT_SUPPORTED: i32 = -3;

/// Upper bound on nargs + nret accepted (QEMU's rtas_args holds 16 cells).
const MAX_CELLS: u32 = 16;

struct Args {
    base: usize,
    nargs: u32,
    nret: u32,
}

fn rd(ram: &[u8], a: usize) -> u32 {
    u32::from_be_bytes([ram[a], ram[a + 1], ram[a + 2], ram[a + 3]])
}

fn wr(ram: &mut [u8], a: usize, v: u32) {
    ram[a..a + 4].copy_from_slice(&v.to_be_bytes());
}

impl Args {
    fn arg(&self, ram: &[u8], k: u32) -> u32 {
        if k < self.nargs {
            rd(ram, self.base + 12 + 4 * k as usize)
        } else {
            0
        }
    }
    fn ret(&self, ram: &mut [u8], k: u32, v: u32) {
        if k < self.nret {
            wr(ram, self.base + 12 + 4 * (self.nargs + k) as usize, v);
        }
    }
}

/// Service an RTAS call whose `rtas_args` is at real address `addr`.
/// Returns the hypercall status (H_PARAMETER for a malformed block).
pub fn call(m: &mut Machine, n: usize, addr: u64) -> i64 {
    let ram_len = m.cfg.ram_size;
    if addr.checked_add(12).is_none_or(|e| e > ram_len) {
        return H_PARAMETER;
    }
    let base = addr as usize;
    let (token, nargs, nret) = {
        let ram = m.ram.bytes_mut();
        (rd(ram, base), rd(ram, base + 4), rd(ram, base + 8))
    };
    if nargs + nret > MAX_CELLS || addr + 12 + 4 * (nargs + nret) as u64 > ram_len {
        return H_PARAMETER;
    }
    let a = Args { base, nargs, nret };
    log::info!(target: "rtas", "cpu {n}: rtas token {token:#x} nargs {nargs} nret {nret}");
    let status = dispatch(m, n, token, &a);
    a.ret(m.ram.bytes_mut(), 0, status as u32);
    H_SUCCESS
}

fn dispatch(m: &mut Machine, n: usize, token: u32, a: &Args) -> i32 {
    macro_rules! arg {
        ($k:expr) => {
            a.arg(m.ram.bytes_mut(), $k)
        };
    }
    match token {
        RTAS_DISPLAY_CHARACTER => {
            if a.nargs != 1 {
                return RTAS_OUT_PARAM_ERROR;
            }
            let c = arg!(0) as u8;
            m.console.write(&[c]);
            RTAS_OUT_SUCCESS
        }
        RTAS_GET_TIME_OF_DAY => {
            if a.nret != 8 {
                return RTAS_OUT_PARAM_ERROR;
            }
            let now = m.wall_clock();
            let (y, mo, d, h, mi, s) = civil(now.as_secs() as i64);
            let ram = m.ram.bytes_mut();
            for (k, v) in [y, mo, d, h, mi, s, now.subsec_nanos() as i64]
                .into_iter()
                .enumerate()
            {
                a.ret(ram, 1 + k as u32, v as u32);
            }
            RTAS_OUT_SUCCESS
        }
        RTAS_SET_TIME_OF_DAY => RTAS_OUT_SUCCESS,
        RTAS_POWER_OFF => {
            if a.nargs != 2 {
                return RTAS_OUT_PARAM_ERROR;
            }
            m.emit(crate::monitor::Event::Shutdown {
                guest: true,
                reason: "guest-shutdown".into(),
            });
            m.shutdown = Some(Shutdown::PowerOff);
            RTAS_OUT_SUCCESS
        }
        RTAS_SYSTEM_REBOOT => {
            m.shutdown = Some(if m.cfg.no_reboot {
                // QEMU with -no-reboot: the reboot becomes a shutdown.
                m.emit(crate::monitor::Event::Shutdown {
                    guest: true,
                    reason: "guest-reset".into(),
                });
                Shutdown::PowerOff
            } else {
                Shutdown::Reset { guest: true }
            });
            RTAS_OUT_SUCCESS
        }
        RTAS_OS_TERM => {
            m.shutdown = Some(Shutdown::OsTerm);
            RTAS_OUT_SUCCESS
        }
        RTAS_EVENT_SCAN => {
            // (event mask, critical, buffer, length): events are delivered
            // through check-exception; this only re-raises the interrupt.
            let mask = arg!(0);
            super::hotplug_drc::rtas_event(m, mask, 0, 0, false)
        }
        RTAS_CHECK_EXCEPTION => {
            // (vector offset, additional info, event mask, critical,
            // buffer, length).
            if a.nargs != 6 && a.nargs != 7 {
                return RTAS_OUT_PARAM_ERROR;
            }
            let (mask, buf, len) = (arg!(2), arg!(4) as u64, arg!(5) as u64);
            super::hotplug_drc::rtas_event(m, mask, buf, len, true)
        }
        RTAS_SET_INDICATOR => {
            if a.nargs != 3 || a.nret != 1 {
                return RTAS_OUT_PARAM_ERROR;
            }
            let (ind, idx, state) = (arg!(0), arg!(1), arg!(2));
            super::hotplug_drc::rtas_set_indicator(m, ind, idx, state)
        }
        RTAS_GET_SENSOR_STATE => {
            if a.nargs != 2 || a.nret != 2 {
                return RTAS_OUT_PARAM_ERROR;
            }
            let (sensor, idx) = (arg!(0), arg!(1));
            let (st, v) = super::hotplug_drc::rtas_get_sensor(m, sensor, idx);
            a.ret(m.ram.bytes_mut(), 1, v);
            st
        }
        RTAS_CONFIGURE_CONNECTOR => {
            if a.nargs != 2 || a.nret != 1 {
                return RTAS_OUT_PARAM_ERROR;
            }
            let wa = arg!(0) as u64;
            super::hotplug_drc::rtas_configure_connector(m, wa)
        }
        RTAS_NMI_REGISTER | RTAS_GET_SYSTEM_PARAMETER | RTAS_SET_SYSTEM_PARAMETER => {
            RTAS_OUT_NOT_SUPPORTED
        }
        RTAS_NVRAM_FETCH | RTAS_NVRAM_STORE => RTAS_OUT_PARAM_ERROR,
        RTAS_QUERY_CPU_STOPPED_STATE => {
            let id = arg!(0) as usize;
            match m.vcpus.get(id) {
                Some(v) => {
                    let state = if v.state == VcpuState::Stopped { 0 } else { 2 };
                    a.ret(m.ram.bytes_mut(), 1, state);
                    RTAS_OUT_SUCCESS
                }
                None => RTAS_OUT_PARAM_ERROR,
            }
        }
        RTAS_START_CPU => {
            let (id, entry, r3) = (arg!(0) as usize, arg!(1) as u64, arg!(2) as u64);
            if a.nargs != 3 || id >= m.vcpus.len() || entry >= m.cfg.ram_size {
                return RTAS_OUT_PARAM_ERROR;
            }
            if m.vcpus[id].state != VcpuState::Stopped {
                return RTAS_OUT_HW_ERROR;
            }
            // PAPR start-cpu: real mode at `entry`, r3 = the value given,
            // 64-bit, with the interrupt endianness the OS set (ILE).
            let le = m.vcpus[n].cpu.sup.lpcr & crate::cpu::lpcr::ILE != 0;
            let v = &mut m.vcpus[id];
            let c = &mut v.cpu;
            c.gpr[3] = r3;
            c.pc = entry;
            let mut msrv = msr::SF | msr::ME;
            if le {
                msrv |= msr::LE;
            }
            c.set_msr(msrv);
            c.sup.dec_value = 0xffff_ffff;
            c.sup.dec_stamp = crate::cpu::timebase(c);
            v.interp.flush();
            v.state = VcpuState::Running;
            RTAS_OUT_SUCCESS
        }
        RTAS_STOP_SELF => {
            m.vcpus[n].state = VcpuState::Stopped;
            RTAS_OUT_SUCCESS
        }
        RTAS_SET_XIVE => {
            let (irq, server, prio) = (arg!(0), arg!(1), arg!(2));
            if a.nargs != 3 || prio > 0xff || !m.xics.set_xive(irq, server, prio as u8) {
                return RTAS_OUT_PARAM_ERROR;
            }
            RTAS_OUT_SUCCESS
        }
        RTAS_GET_XIVE => match m.xics.get_xive(arg!(0)) {
            Some((server, prio)) => {
                let ram = m.ram.bytes_mut();
                a.ret(ram, 1, server);
                a.ret(ram, 2, prio as u32);
                RTAS_OUT_SUCCESS
            }
            None => RTAS_OUT_PARAM_ERROR,
        },
        RTAS_INT_OFF => {
            if m.xics.int_off(arg!(0)) {
                RTAS_OUT_SUCCESS
            } else {
                RTAS_OUT_PARAM_ERROR
            }
        }
        RTAS_INT_ON => {
            if m.xics.int_on(arg!(0)) {
                RTAS_OUT_SUCCESS
            } else {
                RTAS_OUT_PARAM_ERROR
            }
        }
        _ => {
            log::info!(target: "unimp", "unknown RTAS token {token:#x}");
            RTAS_OUT_NOT_SUPPORTED
        }
    }
}

/// Civil date from a Unix time (proleptic Gregorian, UTC).
fn civil(t: i64) -> (i64, i64, i64, i64, i64, i64) {
    let days = t.div_euclid(86400);
    let secs = t.rem_euclid(86400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    (y, m, d, secs / 3600, (secs / 60) % 60, secs % 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil(0), (1970, 1, 1, 0, 0, 0));
        assert_eq!(super::civil(951_782_400), (2000, 2, 29, 0, 0, 0));
        assert_eq!(super::civil(1_798_761_599), (2026, 12, 31, 23, 59, 59));
    }
}

//! RTAS event logs for hot-plug (and EPOW power-down) events, and the FIFO
//! `check-exception` drains (LoPAPR 1.1 §10.3 "RTAS Error/Event Log
//! Format", version 6 extended logs; hotplug.md §3.1–§3.2).
//!
//! A hot-plug log is 116 bytes, all big-endian:
//!
//! | bytes | part |
//! |---|---|
//! | 0..8 | header: summary word (0x063460E5), extended length (108) |
//! | 8..24 | v6 extension: 0x86, 0, 0x8E, 9 reserved, "IBM\0" |
//! | 24..72 | Main-A "PH" (48): date/time BCD, creator 'H', 3 sections, PLID |
//! | 72..96 | Main-B "UH" (24): subsystem 0x80 |
//! | 96..116 | "HP" (20, version 1): type, action, id type, 0, 8-byte union |
//!
//! The PLID is a counter per event queue; QEMU writes its (process-global)
//! counter in host byte order, which no guest reads, and we write it
//! big-endian as PAPR has every field.

use std::collections::VecDeque;

/// check-exception / event-scan class masks: `1 << (31 - class)`.
pub const EVENT_MASK_EPOW: u32 = 0x4000_0000;
pub const EVENT_MASK_HOTPLUG: u32 = 0x1000_0000;
/// Interrupt sources of the two event classes (`/event-sources`).
pub const IRQ_EPOW: u32 = 0x1000;
pub const IRQ_HOTPLUG: u32 = 0x1001;

/// Summary word bits (LoPAPR Table "RTAS Event Return Format").
const LOG_VERSION_6: u32 = 0x0600_0000;
const LOG_SEVERITY_EVENT: u32 = 0x0020_0000;
const LOG_DISPOSITION_NOT_RECOVERED: u32 = 0x0010_0000;
const LOG_OPTIONAL_PART_PRESENT: u32 = 0x0004_0000;
const LOG_INITIATOR_HOTPLUG: u32 = 0x0000_6000;
const LOG_TYPE_EPOW: u32 = 0x40;
const LOG_TYPE_HOTPLUG: u32 = 0xe5;

/// Summary word of a hot-plug event.
pub const HOTPLUG_SUMMARY: u32 = LOG_VERSION_6
    | LOG_SEVERITY_EVENT
    | LOG_DISPOSITION_NOT_RECOVERED
    | LOG_OPTIONAL_PART_PRESENT
    | LOG_INITIATOR_HOTPLUG
    | LOG_TYPE_HOTPLUG;
/// Summary word of an EPOW event.
pub const EPOW_SUMMARY: u32 = LOG_VERSION_6
    | LOG_SEVERITY_EVENT
    | LOG_DISPOSITION_NOT_RECOVERED
    | LOG_OPTIONAL_PART_PRESENT
    | LOG_TYPE_EPOW;

/// `hotplug_type` codes of the HP section.
pub const HP_TYPE_CPU: u8 = 1;
pub const HP_TYPE_MEMORY: u8 = 2;

/// What a hot-plug event asks of the guest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HpAction {
    Add = 1,
    Remove = 2,
}

/// How a hot-plug event names the connectors (the HP section's
/// `hotplug_identifier` and union).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HpId {
    /// 2: one DRC (CPU cores).
    Index(u32),
    /// 3: any `count` connectors of the type (memory add without HP_EVT).
    Count(u32),
    /// 4: `count` connectors from `index` (memory with HP_EVT).
    CountIndexed { count: u32, index: u32 },
}

impl HpId {
    fn code(self) -> u8 {
        match self {
            HpId::Index(_) => 2,
            HpId::Count(_) => 3,
            HpId::CountIndexed { .. } => 4,
        }
    }

    fn union(self) -> [u8; 8] {
        let mut u = [0u8; 8];
        match self {
            HpId::Index(v) | HpId::Count(v) => u[..4].copy_from_slice(&v.to_be_bytes()),
            HpId::CountIndexed { count, index } => {
                u[..4].copy_from_slice(&count.to_be_bytes());
                u[4..].copy_from_slice(&index.to_be_bytes());
            }
        }
        u
    }
}

/// The log types the queue holds; the class (and so the mask and the
/// interrupt) of a hot-plug log depends on whether the guest negotiated
/// the dedicated hot-plug source, decided when it is dequeued, as QEMU
/// does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogType {
    Hotplug,
    Epow,
}

/// One queued event: the summary word and the extended log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub log_type: LogType,
    pub summary: u32,
    pub ext: Vec<u8>,
}

impl Event {
    /// The bytes check-exception writes: header then extended log.
    pub fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + self.ext.len());
        out.extend_from_slice(&self.summary.to_be_bytes());
        out.extend_from_slice(&(self.ext.len() as u32).to_be_bytes());
        out.extend_from_slice(&self.ext);
        out
    }

    /// The class mask this event answers to.
    pub fn mask(&self, hp_evt: bool) -> u32 {
        match self.log_type {
            LogType::Hotplug if hp_evt => EVENT_MASK_HOTPLUG,
            _ => EVENT_MASK_EPOW,
        }
    }
}

fn section_header(out: &mut Vec<u8>, id: &[u8; 2], len: u16, version: u8) {
    out.extend_from_slice(id);
    out.extend_from_slice(&len.to_be_bytes());
    out.push(version);
    out.push(0); // subtype
    out.extend_from_slice(&[0, 0]); // creator component
}

/// The v6 extension header and Main-A: 64 bytes.
fn v6_and_main_a(out: &mut Vec<u8>, plid: u32, unix_secs: i64) {
    // b0: valid | new log | big-endian; b2: PowerPC format, platform event.
    out.extend_from_slice(&[0x86, 0, 0x8e]);
    out.extend_from_slice(&[0; 9]);
    out.extend_from_slice(b"IBM\0");
    section_header(out, b"PH", 48, 0);
    let (date, time) = bcd_date_time(unix_secs);
    out.extend_from_slice(&date.to_be_bytes());
    out.extend_from_slice(&time.to_be_bytes());
    out.extend_from_slice(&[0; 8]);
    out.push(b'H'); // creator: hypervisor
    out.extend_from_slice(&[0; 2]);
    out.push(3); // sections: Main-A, Main-B and the event's
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&plid.to_be_bytes());
    out.extend_from_slice(&[0; 4]);
}

/// Main-B: 24 bytes.
fn main_b(out: &mut Vec<u8>, subsystem: u8, subtype: u8) {
    section_header(out, b"UH", 24, 0);
    out.push(subsystem);
    out.push(0);
    out.push(0); // severity: informational
    out.push(subtype);
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&[0; 2]);
    out.extend_from_slice(&[0; 2]); // action flags
    out.extend_from_slice(&[0; 4]);
}

/// A hot-plug event log for connectors of `hp_type`.
pub fn hotplug_event(hp_type: u8, action: HpAction, id: HpId, plid: u32, unix_secs: i64) -> Event {
    let mut ext = Vec::with_capacity(108);
    v6_and_main_a(&mut ext, plid, unix_secs);
    main_b(&mut ext, 0x80, 0);
    section_header(&mut ext, b"HP", 20, 1);
    ext.push(hp_type);
    ext.push(action as u8);
    ext.push(id.code());
    ext.push(0);
    ext.extend_from_slice(&id.union());
    Event {
        log_type: LogType::Hotplug,
        summary: HOTPLUG_SUMMARY,
        ext,
    }
}

/// An EPOW "system shutdown" event (the power button, QEMU
/// `spapr_powerdown_req`).
pub fn epow_shutdown_event(plid: u32, unix_secs: i64) -> Event {
    let mut ext = Vec::with_capacity(108);
    v6_and_main_a(&mut ext, plid, unix_secs);
    main_b(&mut ext, 0xa0, 0xd0);
    section_header(&mut ext, b"EP", 20, 2);
    ext.push(3); // sensor value: system shutdown
    ext.push(1); // modifier: normal
    ext.push(1); // extended modifier: partition specific
    ext.push(0);
    ext.extend_from_slice(&[0; 8]); // reason code
    Event {
        log_type: LogType::Epow,
        summary: EPOW_SUMMARY,
        ext,
    }
}

fn bcd(v: i64) -> u32 {
    let v = v.rem_euclid(100) as u32;
    (v / 10) << 4 | (v % 10)
}

/// Main-A creation date `YYYYMMDD` and time `HHMMSS00`, BCD, for a Unix
/// time (UTC, proleptic Gregorian).
pub fn bcd_date_time(t: i64) -> (u32, u32) {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // Days to civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let date = bcd(y / 100) << 24 | bcd(y % 100) << 16 | bcd(m) << 8 | bcd(d);
    let time = bcd(secs / 3600) << 24 | bcd(secs / 60 % 60) << 16 | bcd(secs % 60) << 8;
    (date, time)
}

/// The pending-event FIFO (QEMU `pending_events`).
#[derive(Clone, Debug, Default)]
pub struct EventQueue {
    events: VecDeque<Event>,
    next_plid: u32,
}

impl EventQueue {
    /// The PLID for the next log.
    pub fn plid(&mut self) -> u32 {
        let p = self.next_plid;
        self.next_plid = self.next_plid.wrapping_add(1);
        p
    }

    pub fn push(&mut self, e: Event) {
        self.events.push_back(e);
    }

    /// Take the first event whose class is in `mask`.
    pub fn dequeue(&mut self, mask: u32, hp_evt: bool) -> Option<Event> {
        let i = self
            .events
            .iter()
            .position(|e| e.mask(hp_evt) & mask != 0)?;
        self.events.remove(i)
    }

    /// Whether an event of a class in `mask` is queued.
    pub fn contains(&self, mask: u32, hp_evt: bool) -> bool {
        self.events.iter().any(|e| e.mask(hp_evt) & mask != 0)
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// Drop everything (machine reset).
    pub fn clear(&mut self) {
        self.events.clear();
    }

    /// Drop the hot-plug events (CAS).
    pub fn clear_hotplug(&mut self) {
        self.events.retain(|e| e.log_type != LogType::Hotplug);
    }
}

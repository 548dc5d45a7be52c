//! powerpc `struct termios` (arch/powerpc/include/uapi/asm/termbits.h):
//! four flag words, then `c_cc[19]`, then `c_line`, then the two speeds —
//! 44 bytes, with flag bits and control-character indices that differ
//! from the host's. Converted field by field through the host's own libc
//! constants, so it works whatever the host architecture.

// (powerpc bit, host bit) pairs.
const IFLAG: [(u32, libc::tcflag_t); 15] = [
    (0o1, libc::IGNBRK),
    (0o2, libc::BRKINT),
    (0o4, libc::IGNPAR),
    (0o10, libc::PARMRK),
    (0o20, libc::INPCK),
    (0o40, libc::ISTRIP),
    (0o100, libc::INLCR),
    (0o200, libc::IGNCR),
    (0o400, libc::ICRNL),
    (0o1000, libc::IXON),
    (0o2000, libc::IXOFF),
    (0o4000, libc::IXANY),
    (0o10000, libc::IUCLC),
    (0o20000, libc::IMAXBEL),
    (0o40000, libc::IUTF8),
];
const OFLAG: [(u32, libc::tcflag_t); 8] = [
    (0o1, libc::OPOST),
    (0o2, libc::ONLCR),
    (0o4, libc::OLCUC),
    (0o10, libc::OCRNL),
    (0o20, libc::ONOCR),
    (0o40, libc::ONLRET),
    (0o100, libc::OFILL),
    (0o200, libc::OFDEL),
];
const CFLAG: [(u32, libc::tcflag_t); 7] = [
    (0o2000, libc::CSTOPB),
    (0o4000, libc::CREAD),
    (0o10000, libc::PARENB),
    (0o20000, libc::PARODD),
    (0o40000, libc::HUPCL),
    (0o100000, libc::CLOCAL),
    (0o20000000000, libc::CRTSCTS),
];
const LFLAG: [(u32, libc::tcflag_t); 15] = [
    (0x1, libc::ECHOKE),
    (0x2, libc::ECHOE),
    (0x4, libc::ECHOK),
    (0x8, libc::ECHO),
    (0x10, libc::ECHONL),
    (0x20, libc::ECHOPRT),
    (0x40, libc::ECHOCTL),
    (0x80, libc::ISIG),
    (0x100, libc::ICANON),
    (0x400, libc::IEXTEN),
    (0x4000, libc::XCASE),
    (0x40_0000, libc::TOSTOP),
    (0x80_0000, libc::FLUSHO),
    (0x2000_0000, libc::PENDIN),
    (0x8000_0000, libc::NOFLSH),
];
/// powerpc c_cc index for each host index constant.
const CC: [(usize, usize); 17] = [
    (0, libc::VINTR),
    (1, libc::VQUIT),
    (2, libc::VERASE),
    (3, libc::VKILL),
    (4, libc::VEOF),
    (5, libc::VMIN),
    (6, libc::VEOL),
    (7, libc::VTIME),
    (8, libc::VEOL2),
    (9, libc::VSWTC),
    (10, libc::VWERASE),
    (11, libc::VREPRINT),
    (12, libc::VSUSP),
    (13, libc::VSTART),
    (14, libc::VSTOP),
    (15, libc::VLNEXT),
    (16, libc::VDISCARD),
];
/// CSIZE: CS5..CS8 are 0, 0o400, 0o1000, 0o1400 on powerpc.
const CSIZE_G: u32 = 0o1400;
/// The baud field (CBAUD, 0o377 on powerpc; B0..B38400 share values 0-15
/// with the host, the rest are not converted).
const CBAUD_G: u32 = 0o377;

fn map(v: u32, pairs: &[(u32, libc::tcflag_t)], to_host: bool) -> u32 {
    let mut r = 0;
    for &(g, h) in pairs {
        if to_host && v & g != 0 {
            r |= h;
        } else if !to_host && v & h == h && h != 0 {
            r |= g;
        }
    }
    r
}

fn speed_to_guest(s: libc::speed_t) -> u32 {
    if s <= 15 {
        s
    } else {
        15
    }
}

/// Host termios → the 44 guest bytes.
pub fn to_guest(t: &libc::termios) -> [u8; 44] {
    let mut o = [0u8; 44];
    let csize = match t.c_cflag & libc::CSIZE {
        libc::CS6 => 0o400,
        libc::CS7 => 0o1000,
        libc::CS8 => 0o1400,
        _ => 0,
    };
    // SAFETY: cfget*speed read the struct.
    let (is, os) = unsafe { (libc::cfgetispeed(t), libc::cfgetospeed(t)) };
    let iflag = map(t.c_iflag, &IFLAG, false);
    let oflag = map(t.c_oflag, &OFLAG, false);
    let cflag = map(t.c_cflag, &CFLAG, false) | csize | speed_to_guest(os);
    let lflag = map(t.c_lflag, &LFLAG, false);
    for (k, v) in [iflag, oflag, cflag, lflag].iter().enumerate() {
        o[4 * k..4 * k + 4].copy_from_slice(&v.to_le_bytes());
    }
    for &(g, h) in &CC {
        o[16 + g] = t.c_cc[h];
    }
    o[35] = t.c_line;
    o[36..40].copy_from_slice(&speed_to_guest(is).to_le_bytes());
    o[40..44].copy_from_slice(&speed_to_guest(os).to_le_bytes());
    o
}

/// Guest bytes → host termios (speeds are left as the host has them when
/// the guest asks for a speed beyond B38400).
pub fn to_host(g: &[u8], t: &mut libc::termios) {
    let w = |k: usize| u32::from_le_bytes(g[4 * k..4 * k + 4].try_into().unwrap());
    t.c_iflag = map(w(0), &IFLAG, true);
    t.c_oflag = map(w(1), &OFLAG, true);
    let cf = w(2);
    let csize = match cf & CSIZE_G {
        0o400 => libc::CS6,
        0o1000 => libc::CS7,
        0o1400 => libc::CS8,
        _ => libc::CS5,
    };
    let speed = cf & CBAUD_G;
    t.c_cflag = map(cf, &CFLAG, true) | csize | (t.c_cflag & libc::CBAUD);
    t.c_lflag = map(w(3), &LFLAG, true);
    for &(gi, h) in &CC {
        t.c_cc[h] = g[16 + gi];
    }
    t.c_line = g[35];
    if speed <= 15 {
        // SAFETY: cfset*speed write the struct; B0..B38400 are 0..15.
        unsafe {
            libc::cfsetospeed(t, speed);
            libc::cfsetispeed(t, speed);
        }
    }
}

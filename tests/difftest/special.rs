//! The instructions that need more than random fields: special-purpose
//! register moves, traps that must not fire, FPSCR writes that keep the
//! QEMU-divergent bits stable, operands the ISA restricts, and the branch
//! scaffolding (forward branches, counted loops, calls, computed jumps).

use super::encode as enc;
use super::gen::{Cat, Fix, Gen, Group};
use super::policy::{BO_ANY, BO_NOCTR};
use powerlift::isa::Opcode;

impl Gen {
    pub(crate) fn special(&mut self, op: Opcode, plain: bool) -> Option<Group> {
        let m = op.info().mnemonic;
        let v = op.info().value;
        let w = match m {
            "addpcis" => self.rand_field(v, "RT") | (self.rng.next() as u32 & 0x001f_ffc1),
            "mfspr" => {
                let spr = *self.rng.pick(&[1, 8, 9, 815]);
                let rt = self.gpr();
                let w = self.set(v, "SPR", spr);
                self.set(w, "RT", rt as i64)
            }
            "mtspr" => {
                if plain {
                    return None;
                }
                let rs = self.gpr();
                return Some(match self.rng.below(4) {
                    // XER: only its defined bits (SO OV CA OV32 CA32);
                    // reserved bits read back undefined (Book I §3.2.2).
                    0 => {
                        let t = self.addr_gpr(&[]);
                        Group {
                            words: vec![enc::andis_rc(t, rs, 0xe00c), enc::mtspr(1, t)],
                            fix: None,
                        }
                    }
                    1 => Group::one(enc::mtspr(8, rs)),
                    2 => Group::one(enc::mtspr(815, rs)),
                    _ => Group::one(enc::mtspr(9, rs)),
                });
            }
            // Traps that cannot fire: compare a register with itself, or
            // with the value just loaded, under every condition but "=".
            "tw" | "td" => {
                let r = self.gpr();
                let to = (self.rng.below(32) & !4) as i64;
                let w = self.set(v, "TO", to);
                let w = self.set(w, "RA", r as i64);
                self.set(w, "RB", r as i64)
            }
            "twi" | "tdi" => {
                let r = self.gpr();
                let si = self.rng.range(-32768, 32767);
                let to = (self.rng.below(32) & !4) as i64;
                let w = self.set(v, "TO", to);
                let w = self.set(w, "RA", r as i64);
                let w = self.set(w, "SI", si);
                return Some(Group {
                    words: vec![enc::addi(r, 0, si), w],
                    fix: None,
                });
            }
            // "If exactly one bit of the FXM field is set to 1, ... otherwise,
            // the contents of register RT [of the CR for mtocrf] are
            // undefined" (Book I §3.3.16): one-hot masks only.
            "mfocrf" | "mtocrf" => {
                let fxm = 1 << self.rng.below(8);
                let r = self.gpr();
                let w = self.set(v, "FXM", fxm as i64);
                self.set(w, if m == "mfocrf" { "RT" } else { "RS" }, r as i64)
            }
            // QEMU's user mode runs with MSR[FE0,FE1] set, so an enabled FP
            // exception becomes SIGFPE there, while Linux starts processes
            // with FP exceptions disabled (PR_FP_EXC_DISABLED). Never set the
            // enable bits VE OE UE ZE XE (FPSCR 56:60) or NI (61): mtfsf
            // leaves fields 6 and 7 alone (and L=0, W=0), mtfsfi writes only
            // RN there, mtfsb1 skips bits 56:61.
            // FPSCR[FX] stays 1 (set in every initial state, never cleared
            // here): QEMU sets FX for an exception already recorded, the
            // ISA only on a 0→1 change (tests/fp.rs, known_divergence 2),
            // and FX is copied into CR1 by every FP Rc=1 instruction. So
            // mtfsf leaves field 0 alone, mtfsfi keeps FX set in field 0,
            // mtfsb0 never clears bit 32.
            "mtfsb0" => {
                let w = self.generic(op);
                let bt = 1 + self.rng.below(31) as i64;
                let name = if self.f.has("BFT") { "BFT" } else { "BT" };
                self.set(w, name, bt)
            }
            "mtfsf" => {
                let w = self.generic(op);
                let flm = self.rng.below(256) as i64 & 0x7c;
                let w = self.set(w, "FLM", flm);
                let w = if self.f.has("L6") {
                    self.set(w, "L6", 0)
                } else {
                    w
                };
                self.set(w, "W", 0)
            }
            "mtfsfi" => {
                let w = self.generic(op);
                let w = self.set(w, "W", 0);
                let bf = self.rng.below(8) as i64;
                let imm = match bf {
                    0 => 8 | self.rng.below(8),
                    6 => 0,
                    7 => self.rng.below(4),
                    _ => self.rng.below(16),
                } as i64;
                let bfname = if self.f.has("BFU") { "BFU" } else { "BF" };
                let w = self.set(w, bfname, bf);
                self.set(w, "U", imm)
            }
            "mtfsb1" => {
                let w = self.generic(op);
                let bt = loop {
                    let b = self.rng.below(32) as i64;
                    if !(24..=29).contains(&b) {
                        break b;
                    }
                };
                let name = if self.f.has("BFT") { "BFT" } else { "BT" };
                self.set(w, name, bt)
            }
            // QEMU 7.2 misses divde's overflow when the quotient is outside
            // the signed 64-bit range (it returns the truncated quotient with
            // OV=0; the ISA requires OV=1, RT undefined), so divde only gets
            // operands whose quotient fits: |RA| < 2^61, 2^62 <= |RB| < 2^63.
            "divde" => {
                let (sa, sb) = (self.gpr(), self.gpr());
                let x = self.addr_gpr(&[]);
                let y = self.addr_gpr(&[x]);
                let z = self.addr_gpr(&[x, y]);
                let mut words = vec![
                    enc::rldicl(x, sa, 0, 3),
                    enc::rldicl(y, sb, 0, 2),
                    enc::addi(z, 0, 1),
                    enc::rldicr(z, z, 62, 1),
                    enc::or(y, y, z),
                ];
                if self.rng.one_in(2) {
                    words.push(enc::neg(x, x));
                }
                if self.rng.one_in(2) {
                    words.push(enc::neg(y, y));
                }
                let rt = self.gpr();
                let w = self.set(v, "RT", rt as i64);
                let w = self.set(w, "RA", x as i64);
                let w = self.set(w, "RB", y as i64);
                words.push(self.rc_oe(op, w));
                return Some(Group { words, fix: None });
            }
            // vextu[hw][lr]x: "If the contents of bits 60:63 of RA are
            // greater than 14 [12], the result is undefined" (§6.8.x): the
            // index register gets RA & 7 plus at most 7 [5].
            "vextuhlx" | "vextuhrx" | "vextuwlx" | "vextuwrx" => {
                let src = self.gpr();
                let x = self.addr_gpr(&[]);
                let k = self
                    .rng
                    .range(0, if m.starts_with("vextuh") { 7 } else { 5 });
                let rt = self.gpr();
                let w = self.rand_field(v, "VRB");
                let w = self.set(w, "RT", rt as i64);
                let w = self.set(w, "RA", x as i64);
                return Some(Group {
                    words: vec![enc::rldicl(x, src, 0, 61), enc::addi(x, x, k), w],
                    fix: None,
                });
            }
            "sync" => {
                let l = self.rng.below(2) as i64;
                self.set(v, "L", l)
            }
            _ => return None,
        };
        Some(Group::one(w))
    }

    pub(crate) fn branch(&mut self, out: &mut Vec<Group>, _pend: &mut [(usize, Group)]) {
        let skip = self.rng.below(4) as usize;
        let lk = self.rng.one_in(4);
        let bi = self.rng.below(32) as u32;
        let has = |s: &Self, m: &str| {
            enc::opcode(m)
                .is_some_and(|o| s.pools.get(&Cat::Branch).is_some_and(|p| p.contains(&o)))
        };
        match self.rng.below(6) {
            0 if has(self, "b") => out.push(Group {
                words: vec![enc::b(0, lk)],
                fix: Some(Fix {
                    word: 0,
                    skip,
                    bc: false,
                }),
            }),
            1 | 2 if has(self, "bc") => {
                let bo = *self.rng.pick(BO_ANY);
                out.push(Group {
                    words: vec![enc::bc(bo, bi, 0, lk)],
                    fix: Some(Fix {
                        word: 0,
                        skip,
                        bc: true,
                    }),
                })
            }
            3 if has(self, "bc") => {
                // A counted loop: CTR = 1..4, a short body, bdnz/bdnzt/bdnzf.
                let r = self.gpr();
                let n = self.rng.range(1, 4);
                let nb = 1 + self.rng.below(3) as usize;
                let body = self.body(nb);
                let bo = *self.rng.pick(&[16, 0, 8]);
                let mut words = vec![enc::addi(r, 0, n), enc::mtspr(9, r)];
                let back = -(body.len() as i64) * 4;
                words.extend(body);
                words.push(enc::bc(bo, bi, back, false));
                out.push(Group { words, fix: None });
            }
            4 if has(self, "bclr") => {
                // bl sub; b after; sub: body [bclr BO,BI] body; blr
                let n1 = 1 + self.rng.below(2) as usize;
                let b1 = self.body(n1);
                let n2 = self.rng.below(2) as usize;
                let b2 = self.body(n2);
                let bo = *self.rng.pick(BO_ANY);
                let sub_len = b1.len() + 1 + b2.len() + 1;
                let mut words = vec![enc::b(8, true), enc::b(4 * (sub_len as i64 + 1), false)];
                words.extend(b1);
                words.push(enc::bclr(bo, bi, false));
                words.extend(b2);
                words.push(enc::BLR);
                out.push(Group { words, fix: None });
            }
            _ if has(self, "bcctr") => {
                // bcl 20,31,$+4; mflr r; addi r,r,k; mtctr r; bcctr BO,BI;
                // body; target. Or through LR (bclr, which may decrement
                // CTR) or TAR (bctar). bcctr and bctar: "If BO2=0, the
                // instruction form is invalid" (§2.4).
                let r = self.addr_gpr(&[]);
                let nb = 1 + self.rng.below(2) as usize;
                let body = self.body(nb);
                let via = if has(self, "bctar") {
                    self.rng.below(3)
                } else {
                    self.rng.below(2)
                };
                let bo = if via == 0 {
                    *self.rng.pick(BO_ANY)
                } else {
                    *self.rng.pick(BO_NOCTR)
                };
                let off = 4 * (4 + body.len() as i64);
                let (spr, jump) = match via {
                    0 => (8, enc::bclr(bo, bi, lk)),
                    1 => (9, enc::bcctr(bo, bi, lk)),
                    _ => (815, enc::bctar(bo, bi, lk)),
                };
                let mut words = vec![
                    enc::bc(20, 31, 4, true),
                    enc::mfspr(r, 8),
                    enc::addi(r, r, off),
                    enc::mtspr(spr, r),
                    jump,
                ];
                words.extend(body);
                out.push(Group { words, fix: None });
            }
            _ => {}
        }
    }
}

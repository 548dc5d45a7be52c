//! Running compiled code: finding the region for a PC (the region cache),
//! entering it and following its exits from region to region (`exec`),
//! linking exits once the dispatcher finds their targets, and filling the
//! regions' link tables so compiled code jumps on by itself (`chain`).

use super::{backend, chain, guard, hot_retired, rt, Jit, Slot, LONG_ENTRY};
use super::{Compile, Level, RCACHE_SIZE, UNLINKED};
use crate::cpu::{CpuState, Exc};

impl Jit {
    /// The region to enter at `cpu.pc` in the vCPU's current translation,
    /// if one is compiled there: the region cache (direct-mapped by
    /// address, checked against the mode key, the MMU translation
    /// generation and the region still being alive) in front of `lookup`.
    #[inline]
    pub fn find(&mut self, cpu: &CpuState) -> Option<u32> {
        let pc = cpu.pc;
        let mode = cpu.mem.mode_key(cpu.msr);
        let xgen = cpu.mem.xlate_generation() as u32;
        let slot = ((pc >> 2) as usize) & (RCACHE_SIZE - 1);
        let (tpc, tmode, tgen, id) = self.rcache[slot];
        if tpc == pc && tmode == mode && tgen == xgen && self.regions[id as usize].alive {
            return Some(id);
        }
        let key = cpu.mem.code_key(pc).unwrap_or(u64::MAX);
        let id = self.lookup(pc, mode, key)?;
        self.rcache[slot] = (pc, mode, xgen, id);
        Some(id)
    }

    /// Whether region `id` may run now: in system mode the facilities its
    /// instructions need must be enabled (otherwise the interpreter runs
    /// them and raises the unavailable interrupt).
    #[inline]
    pub fn usable(&self, id: u32, cpu: &CpuState) -> bool {
        cpu.mem.mmu.is_null()
            || self.regions[id as usize].needs & !crate::exec::interp::enabled_facilities(cpu.msr)
                == 0
    }

    /// Run compiled region `id` (whose entry is `cpu.pc`), then follow its
    /// chained exits from region to region until one is not linked (or no
    /// longer valid), an exception, a dynamic exit, or `cpu.stop_at`
    /// instructions (checked after each region, as the dispatcher does).
    /// An exit left unlinked is remembered for `link`.
    #[inline]
    pub fn exec(&mut self, id: u32, cpu: &mut CpuState) -> Result<(), Exc> {
        let r = self.exec_guarded(id, cpu);
        self.stats.chained_in_code += std::mem::take(&mut cpu.jit_chains);
        r
    }

    #[inline]
    fn exec_guarded(&mut self, id: u32, cpu: &mut CpuState) -> Result<(), Exc> {
        if !(cpu.mem.guarded && guard::supported()) {
            return self.exec_chain(id, cpu);
        }
        // Guarded regions (user mode): a guest fault in compiled code is a
        // host fault, which abandons the chain (see `guard`).
        let g: *mut guard::Active = &mut *self.guard;
        // SAFETY: `g` is our own boxed Active, not otherwise borrowed
        // while the chain runs (the handler reads it on this thread).
        let g = unsafe { &mut *g };
        g.code = self.arena.range();
        g.base = cpu.mem.base as u64;
        g.size = cpu.mem.size;
        g.perms = cpu.mem.perms;
        g.code_gen = cpu.mem.code_gen;
        g.stop_at = &mut cpu.stop_at;
        let mut out = Ok(());
        let code = guard::run(g, &mut || {
            out = self.exec_chain(id, cpu);
            0
        });
        if code == guard::FAULT {
            self.unlinked = None;
            self.slow = false;
            return Err(Exc::Dsi {
                ea: g.fault_ea,
                store: false,
            });
        }
        out
    }

    #[inline]
    fn exec_chain(&mut self, mut id: u32, cpu: &mut CpuState) -> Result<(), Exc> {
        let r = &self.regions[id as usize];
        if !r.optimized && r.retired > hot_retired(cpu) {
            // Hot: recompile with the optimising settings (we are at the
            // region's entry in its own translation mode, so the region can
            // be formed here). In the background the cheap copy keeps
            // running until the optimised one is installed.
            let entry = r.entry;
            // Register variables pay for their loads at entry and stores
            // at exit only when an entry runs long (loops iterating in the
            // region); measured per entry so far. (gzip's hottest regions
            // retire 5-86 instructions per entry, md5's and sha256's loops
            // 785-3400.)
            let long = r.retired / r.entries.max(1) >= LONG_ENTRY;
            // Never again for this copy, whatever happens below.
            self.regions[id as usize].optimized = true;
            if self.request(cpu, entry, Level::Optimized { vars: long }) == Compile::Ready {
                let key = cpu.mem.code_key(entry).unwrap_or(u64::MAX);
                if let Some(n) = self.lookup(entry, cpu.mem.mode_key(cpu.msr), key) {
                    id = n;
                }
            }
        }
        self.stats.entries += 1;
        let code_gen = cpu.mem.code_generation();
        let hot = hot_retired(cpu);
        // SAFETY: `tramp` is the trampoline compiled from
        // `chain::trampoline`, with that signature, at the start of the
        // arena until the next flush (which puts it back).
        let enter: extern "C" fn(*mut CpuState, *const u8, *mut u64) -> u64 =
            unsafe { std::mem::transmute(self.tramp) };
        loop {
            let before = cpu.icount;
            let r = &mut self.regions[id as usize];
            // The trampoline calls `r.code`, a region compiled for the host
            // (`chain::region_signature`) living in the arena until the
            // next flush (which also clears `regions`), with its own table.
            let code = enter(cpu, r.code, r.table.as_mut_ptr());
            // Compiled code may have gone on to other regions: the one
            // that returned left its table.
            // SAFETY: regions store their own live table before returning.
            id = unsafe { chain::region_of(cpu.jit_table) };
            let r = &mut self.regions[id as usize];
            r.retired += cpu.icount - before;
            r.entries += 1;
            if code == backend::SLOW {
                self.slow = true;
                return Ok(());
            }
            // The exit slot left through, or None for a computed branch
            // (with its inline-cache site, if it has one).
            let site = code.checked_sub(chain::ICACHE);
            let exit = code
                .checked_sub(backend::CHAIN)
                .filter(|_| site.is_none())
                .map(|k| k as u32);
            if code != 0 && exit.is_none() && site.is_none() {
                return match rt::exit_exception(cpu, code, &r.excs) {
                    None => Ok(()),
                    Some(e) => Err(e),
                };
            }
            if cpu.icount >= cpu.stop_at || cpu.mem.code_generation() != code_gen {
                return Ok(());
            }
            let next = match exit {
                Some(k) => {
                    let s = r.slots[k as usize];
                    let valid = s.target != UNLINKED
                        && s.xgen == cpu.mem.xlate_generation() as u32
                        && s.mode == cpu.mem.mode_key(cpu.msr);
                    valid.then_some(s.target)
                }
                None => {
                    let t = self.find(cpu);
                    if let (Some(t), Some(j)) = (t, site) {
                        self.link_site(id, j as usize, t, cpu);
                    }
                    t
                }
            };
            let Some(next) = next.filter(|&t| {
                let r = &self.regions[t as usize];
                r.alive && (r.optimized || r.retired <= hot) && self.usable(t, cpu)
            }) else {
                // The dispatcher decides (a hot region is recompiled there),
                // and links the exit to the region it finds.
                self.unlinked = exit.map(|k| (id, k));
                return Ok(());
            };
            if exit.is_some() {
                self.stats.chained += 1;
            } else {
                self.stats.indirect += 1;
            }
            id = next;
        }
    }

    /// The dispatcher found region `target` for `cpu.pc` right after an
    /// `exec` that left through an unlinked exit: chain that exit to it.
    /// The slot records the translation it holds under; `exec` follows it
    /// only while that is unchanged.
    #[inline]
    pub fn link(&mut self, target: u32, cpu: &CpuState) {
        let Some((from, k)) = self.unlinked.take() else {
            return;
        };
        self.stats.links += 1;
        self.regions[from as usize].slots[k as usize] = Slot {
            target,
            mode: cpu.mem.mode_key(cpu.msr),
            xgen: cpu.mem.xlate_generation() as u32,
        };
        if let Some((code, table)) = self.linkable(from, target, cpu) {
            chain::link_exit(
                &mut self.regions[from as usize].table,
                k as usize,
                code,
                table,
            );
        }
    }

    /// The code and table of `target` if compiled code in `from` may jump
    /// straight to it (see `chain`): user mode, both compiled at the
    /// optimising level.
    fn linkable(
        &mut self,
        from: u32,
        target: u32,
        cpu: &CpuState,
    ) -> Option<(*const u8, *mut u64)> {
        let ok = cpu.mem.mmu.is_null()
            && self.regions[from as usize].opt_code
            && self.regions[target as usize].opt_code
            && self.regions[target as usize].alive;
        let t = &mut self.regions[target as usize];
        ok.then_some((t.code, t.table.as_mut_ptr()))
    }

    /// Computed-branch site `j` of region `from` went to `cpu.pc`, where
    /// region `target` is: cache that in the site.
    fn link_site(&mut self, from: u32, j: usize, target: u32, cpu: &CpuState) {
        if let Some((code, table)) = self.linkable(from, target, cpu) {
            let r = &mut self.regions[from as usize];
            let exits = r.slots.len();
            chain::link_site(&mut r.table, exits, j, cpu.pc, code, table);
        }
    }

    /// Whether the last `exec` left for the interpreter to run the
    /// instruction at `cpu.pc` (its access missed the inline fast path);
    /// cleared by the call.
    #[inline]
    pub fn take_slow(&mut self) -> bool {
        std::mem::take(&mut self.slow)
    }

    /// Forget the exit to link (the dispatcher went elsewhere).
    #[inline]
    pub fn unlink_pending(&mut self) {
        self.unlinked = None;
    }
}

//! The `powerlift` command line: `run` (Linux user mode), `disas`, and
//! QEMU-style system-emulation options. Parsing only; the work is in the
//! library.

use clap::{Parser, Subcommand};
use powerlift::exec::Tier;
use powerlift::user::{CpuModel, Process};
use std::path::PathBuf;

/// mimalloc instead of glibc malloc: Cranelift's many short-lived
/// allocations between long-lived cache entries fragmented glibc's heap,
/// so a long hotplug session's RSS crept up (about 200 KiB per core
/// add/remove cycle with a flat live heap); mimalloc gives freed pages
/// back.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "powerlift", version, about = "A ppc64 (POWER9) emulator")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run a static ppc64le Linux executable (user mode).
    Run {
        /// CPU model whose features the guest sees.
        #[arg(long, value_parser = ["power8", "power9"], default_value = "power9")]
        cpu: String,
        /// Print execution statistics at exit.
        #[arg(long)]
        stats: bool,
        /// Execution tiers: interpreter only, compile everything, or
        /// interpret and compile hot regions.
        #[arg(long, value_parser = ["interp", "jit", "auto"], default_value = "auto", env = "POWERLIFT_TIER")]
        tier: String,
        /// Block executions before a region is compiled (default: 0 for
        /// `--tier jit`, 1000 for `auto`).
        #[arg(long, env = "POWERLIFT_THRESHOLD")]
        threshold: Option<u32>,
        /// Log items, comma-separated: in_asm, op, out_asm, exec (as QEMU's -d).
        #[arg(short = 'd', value_name = "ITEMS")]
        debug: Option<String>,
        /// Write logs to this file instead of stderr (as QEMU's -D).
        #[arg(short = 'D', value_name = "FILE")]
        logfile: Option<PathBuf>,
        /// Look for the dynamic loader and absolute paths under this
        /// directory first (as qemu-ppc64le -L).
        #[arg(short = 'L', value_name = "SYSROOT")]
        sysroot: Option<PathBuf>,
        /// argv[0] for the guest (default: the executable's path).
        #[arg(long, value_name = "NAME")]
        argv0: Option<String>,
        /// The executable.
        elf: PathBuf,
        /// Its arguments.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Disassemble the executable sections of a ppc64 ELF.
    Disas { file: String },
    /// Build the test guest's initramfs (gzip'd cpio with a static
    /// busybox and powerlift's /init).
    Initramfs {
        /// Static ppc64le busybox to include.
        #[arg(long)]
        busybox: PathBuf,
        /// Use this file as /init instead of the built-in script.
        #[arg(long)]
        init: Option<PathBuf>,
        /// Output file.
        #[arg(short, long)]
        output: PathBuf,
    },
}

fn debug_enabled() -> bool {
    powerlift::exec::log_flags() != 0
}

/// Logging through `log`: warnings by default, guest-facing traces (`-d`)
/// at info level, to stderr or the `-D` file. `RUST_LOG` overrides.
fn init_log(traces: bool, file: Option<&std::path::Path>) {
    let default = if traces { "info" } else { "warn" };
    let mut b =
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(default));
    b.format_timestamp(None);
    if let Some(f) = file {
        match std::fs::File::create(f) {
            Ok(fh) => {
                b.target(env_logger::Target::Pipe(Box::new(fh)));
            }
            Err(e) => {
                eprintln!("powerlift: -D {}: {e}", f.display());
                std::process::exit(1);
            }
        }
    }
    b.init();
}

/// System emulation: QEMU-style options (see `powerlift::cli`).
fn system_main(args: &[String]) -> i32 {
    let sys = match powerlift::cli::parse(args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    // -d items map onto log targets, as QEMU's -d selects trace classes.
    let mut filter = String::from("warn");
    let mut jit_flags = 0;
    for it in &sys.log_items {
        match it.as_str() {
            "int" | "mmu" | "unimp" | "guest_errors" | "rtas" | "hcall" | "drc" => {
                filter.push_str(&format!(",{it}=info"));
            }
            "in_asm" => jit_flags |= powerlift::exec::LOG_IN_ASM,
            "op" => jit_flags |= powerlift::exec::LOG_OP,
            "out_asm" => jit_flags |= powerlift::exec::LOG_OUT_ASM,
            "exec" => jit_flags |= powerlift::exec::LOG_EXEC,
            "help" => {
                println!("Log items (comma separated):\nint        show interrupts/exceptions\nmmu        log MMU-related activities\nunimp      log unimplemented functionality\nguest_errors log when the guest OS does something invalid\nrtas       log RTAS calls\ndrc        log every DRC state transition (hotplug)\nin_asm     show target assembly code for each compiled region\nop         show Cranelift IR for each compiled region\nout_asm    show generated host assembly code\nexec       show trace before each executed block");
                return 0;
            }
            other => {
                eprintln!("powerlift: -d {other}: unknown log item (try -d help)");
                return 1;
            }
        }
    }
    if jit_flags != 0 {
        filter.push_str(",in_asm=info,op=info,out_asm=info,exec=info");
    }
    powerlift::exec::set_log_flags(jit_flags);
    let mut b = env_logger::Builder::new();
    b.parse_filters(&std::env::var("RUST_LOG").unwrap_or(filter));
    b.format_timestamp(None);
    if let Some(f) = &sys.log_file {
        match std::fs::File::create(f) {
            Ok(fh) => {
                b.target(env_logger::Target::Pipe(Box::new(fh)));
            }
            Err(e) => {
                eprintln!("powerlift: -D {}: {e}", f.display());
                return 1;
            }
        }
    }
    b.init();
    // Tier selection as for `run`: POWERLIFT_TIER / POWERLIFT_THRESHOLD.
    let tier = match std::env::var("POWERLIFT_TIER").as_deref() {
        Ok("interp") => Tier::Interp,
        Ok("jit") => Tier::Jit,
        _ => Tier::Auto,
    };
    let threshold = std::env::var("POWERLIFT_THRESHOLD")
        .ok()
        .and_then(|v| v.parse().ok());
    powerlift::exec::configure(tier, threshold);
    let mut m = match powerlift::spapr::machine::Machine::new(sys.machine) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("powerlift: {e}");
            return 1;
        }
    };
    if !sys.monitor.monitors.is_empty() {
        match powerlift::monitor::Monitor::start(sys.monitor) {
            Ok(mon) => m.monitor = Some(mon),
            Err(e) => {
                eprintln!("powerlift: {e}");
                return 1;
            }
        }
    }
    let code = m.run();
    if let Some(mon) = m.monitor.take() {
        mon.shutdown();
    }
    code
}

fn main() {
    // No transparent huge pages for this process. mimalloc advises them
    // for its arenas, and then every fresh 2 MiB of heap (Cranelift's
    // short-lived buffers, mostly) is zeroed whole on first touch: on the
    // Debian boot that was ~7% of the execution thread, and turning it
    // off measured 3-6% faster. Guest RAM never asked for them (a THP
    // experiment there measured no gain). The flag is checked at fault
    // time, so it also covers memory mapped before this call.
    // SAFETY: prctl with integer arguments only.
    unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
    let argv: Vec<String> = std::env::args().collect();
    if argv.get(1).is_some_and(|a| {
        a.starts_with('-') && a != "--help" && a != "-h" && a != "--version" && a != "-V"
    }) {
        std::process::exit(system_main(&argv[1..]));
    }
    let cli = Cli::parse();
    match cli.cmd {
        Cmd::Run {
            cpu,
            stats,
            tier,
            threshold,
            debug,
            logfile,
            sysroot,
            argv0,
            elf,
            args,
        } => {
            let t = match tier.as_str() {
                "interp" => Tier::Interp,
                "jit" => Tier::Jit,
                _ => Tier::Auto,
            };
            powerlift::exec::configure(t, threshold);
            if let Some(items) = debug {
                let mut f = 0;
                for it in items.split(',') {
                    f |= match it {
                        "in_asm" => powerlift::exec::LOG_IN_ASM,
                        "op" => powerlift::exec::LOG_OP,
                        "out_asm" => powerlift::exec::LOG_OUT_ASM,
                        "exec" => powerlift::exec::LOG_EXEC,
                        other => {
                            eprintln!("powerlift: -d {other}: unknown log item (known: in_asm, op, out_asm, exec)");
                            std::process::exit(1);
                        }
                    };
                }
                powerlift::exec::set_log_flags(f);
            }
            init_log(debug_enabled(), logfile.as_deref());
            let model = if cpu == "power8" {
                CpuModel::Power8
            } else {
                CpuModel::Power9
            };
            let mut argv0 = vec![argv0.unwrap_or_else(|| elf.display().to_string())];
            argv0.extend(args);
            let opts = powerlift::user::RunOptions { sysroot };
            let mut p = match Process::load_with(&elf, &argv0, model, &opts) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("powerlift: {e}");
                    std::process::exit(1);
                }
            };
            p.stats = stats;
            powerlift::exec::jit::chain::COUNT_TRANSFERS
                .store(stats, std::sync::atomic::Ordering::Relaxed);
            let code = p.run();
            std::process::exit(code);
        }
        Cmd::Initramfs {
            busybox,
            init,
            output,
        } => {
            init_log(false, None);
            let script = match init {
                Some(p) => match std::fs::read_to_string(&p) {
                    Ok(s) => s,
                    Err(e) => {
                        eprintln!("powerlift: {}: {e}", p.display());
                        std::process::exit(1);
                    }
                },
                None => powerlift::initramfs::INIT_SCRIPT.to_string(),
            };
            match powerlift::initramfs::build(&busybox, &script, &output) {
                Ok(n) => println!("powerlift: wrote {} ({n} bytes)", output.display()),
                Err(e) => {
                    eprintln!("powerlift: {}: {e}", output.display());
                    std::process::exit(1);
                }
            }
        }
        Cmd::Disas { file } => {
            init_log(false, None);
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            if let Err(e) = powerlift::disas::disas_file(&file, &mut out) {
                eprintln!("powerlift: {e}");
                std::process::exit(1);
            }
        }
    }
}

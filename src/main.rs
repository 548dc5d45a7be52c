//! The `powerlift` command line: `run` (Linux user mode), `disas`, and
//! QEMU-style system-emulation options. Parsing only; the work is in the
//! library.

use clap::{Parser, Subcommand};
use powerlift::exec::Tier;
use powerlift::user::{CpuModel, Process};
use std::path::PathBuf;

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
        /// The executable.
        elf: PathBuf,
        /// Its arguments.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Disassemble the executable sections of a ppc64 ELF.
    Disas {
        file: String,
    },
}

fn debug_enabled() -> bool {
    powerlift::exec::log_flags() != 0
}

/// Logging through `log`: warnings by default, guest-facing traces (`-d`)
/// at info level, to stderr or the `-D` file. `RUST_LOG` overrides.
fn init_log(traces: bool, file: Option<&std::path::Path>) {
    let default = if traces { "info" } else { "warn" };
    let mut b = env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(default));
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

fn main() {
    let argv: Vec<String> = std::env::args().collect();
    if argv.get(1).is_some_and(|a| a.starts_with('-') && a != "--help" && a != "-h" && a != "--version" && a != "-V") {
        eprintln!("powerlift: system emulation is not implemented yet (option '{}')", argv[1]);
        std::process::exit(1);
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
            let model = if cpu == "power8" { CpuModel::Power8 } else { CpuModel::Power9 };
            let mut argv0 = vec![elf.display().to_string()];
            argv0.extend(args);
            let mut p = match Process::load(&elf, &argv0, model) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("powerlift: {e}");
                    std::process::exit(1);
                }
            };
            p.stats = stats;
            let code = p.run();
            std::process::exit(code);
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

//! The `powerlift` command line: `run` (Linux user mode), `disas`, and
//! QEMU-style system-emulation options. Parsing only; the work is in the
//! library.

use clap::{Parser, Subcommand};
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

fn main() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn"))
        .format_timestamp(None)
        .init();
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
            elf,
            args,
        } => {
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
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            if let Err(e) = powerlift::disas::disas_file(&file, &mut out) {
                eprintln!("powerlift: {e}");
                std::process::exit(1);
            }
        }
    }
}

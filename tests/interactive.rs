//! The pseries console as a person uses it: powerlift runs in a tmux pane
//! (a real terminal, `-serial mon:stdio`), boots Debian's 6.1 kernel to
//! powerlift's initramfs without `powerlift.poweroff`, so /init starts a
//! shell; the test types commands with `tmux send-keys`, reads the answers
//! with `tmux capture-pane`, and leaves with `poweroff -f` or the monitor
//! escape Ctrl-a x, checking that the emulator exits with status 0.
//!
//! Each test uses its own tmux server (`tmux -L`), so nothing touches the
//! user's sessions. Skips outside CI when tmux is missing.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn initramfs() -> Option<PathBuf> {
    common::initramfs("interactive")
}

/// Seconds to wait for the shell prompt (the boot) and for each answer.
fn boot_timeout() -> Duration {
    let s = std::env::var("POWERLIFT_BOOT_TIMEOUT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(180);
    Duration::from_secs(s)
}

const PROMPT: &str = "powerlift#";

/// A tmux server of our own with one session running powerlift. Dropping
/// it kills that server (and with it powerlift, if still running).
struct Pane {
    tmux: PathBuf,
    socket: String,
}

impl Pane {
    fn start(tmux: &Path, test: &str, kernel: &Path, initrd: &Path, smp: u32) -> Pane {
        let p = Pane {
            tmux: tmux.to_path_buf(),
            socket: format!("powerlift-{test}-{}", std::process::id()),
        };
        let pl = common::powerlift();
        let smp = smp.to_string();
        // One command queue: the pane stays after powerlift exits
        // (remain-on-exit) so its exit status can be read.
        let mut args: Vec<&str> = vec!["new-session", "-d", "-s", "pl", "-x", "160", "-y", "50"];
        let (pl, kernel, initrd) = (
            pl.to_str().unwrap(),
            kernel.to_str().unwrap(),
            initrd.to_str().unwrap(),
        );
        // Run through the shell so the exit status is printed into the pane
        // (tmux does not always report a dead pane's status).
        let line = format!(
            "'{pl}' -M pseries -m 1G -smp {smp} -kernel '{kernel}' -initrd '{initrd}' \
             -append console=hvc0 -nographic -serial mon:stdio; \
             echo {EXIT_MARK}$?"
        );
        args.push(&line);
        args.extend([";", "set-option", "-g", "remain-on-exit", "on"]);
        args.extend([";", "set-option", "-g", "history-limit", "20000"]);
        p.tmux(&args);
        p
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new(&self.tmux);
        // -f /dev/null: no user configuration; the pane's programs see a
        // plain terminal.
        c.args(["-L", &self.socket, "-f", "/dev/null"]);
        c.env_remove("TMUX").env_remove("POWERLIFT_TIER");
        c
    }

    fn tmux(&self, args: &[&str]) -> String {
        let o = self.cmd().args(args).output().expect("run tmux");
        assert!(
            o.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    /// The whole pane, history included, wrapped lines joined, trailing
    /// blanks removed (so the prompt is `powerlift#`).
    fn screen(&self) -> Vec<String> {
        self.tmux(&["capture-pane", "-p", "-J", "-S", "-", "-t", "pl"])
            .lines()
            .map(|l| l.trim_end().to_string())
            .collect()
    }

    fn tail(&self) -> String {
        let s = self.screen();
        let from = s.len().saturating_sub(40);
        format!("--- pane (last lines) ---\n{}", s[from..].join("\n"))
    }

    /// Poll the pane until `done(lines)` holds; fail with the pane after
    /// `timeout`.
    fn wait_for(&self, what: &str, timeout: Duration, done: impl Fn(&[String]) -> bool) {
        let t0 = Instant::now();
        loop {
            if done(&self.screen()) {
                return;
            }
            if self.dead().is_some() {
                panic!("powerlift exited while waiting for {what}\n{}", self.tail());
            }
            if t0.elapsed() > timeout {
                panic!(
                    "timeout after {:.0} s waiting for {what}\n{}",
                    t0.elapsed().as_secs_f64(),
                    self.tail()
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// How powerlift ended, once the pane is dead: `exit N` or
    /// `signal N`. (tmux can report the pane dead a moment before it has
    /// the status; that counts as still running.)
    fn dead(&self) -> Option<String> {
        if let Some(st) = self
            .screen()
            .iter()
            .find_map(|l| l.strip_prefix(EXIT_MARK).map(str::to_string))
        {
            return Some(format!("exit {st}"));
        }
        let s = self.tmux(&[
            "display-message",
            "-p",
            "-t",
            "pl",
            "#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}",
        ]);
        match s.trim().split(':').collect::<Vec<_>>()[..] {
            ["1", st, _] if !st.is_empty() => Some(format!("exit {st}")),
            ["1", _, sig] if !sig.is_empty() => Some(format!("signal {sig}")),
            // tmux 3.3 sometimes never fills in the status of a dead pane;
            // the process is gone, so report it with an unknown status
            // rather than as still running.
            ["1", "", ""] => {
                std::thread::sleep(Duration::from_secs(2));
                let again = self.tmux(&[
                    "display-message",
                    "-p",
                    "-t",
                    "pl",
                    "#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}",
                ]);
                match again.trim().split(':').collect::<Vec<_>>()[..] {
                    ["1", st, _] if !st.is_empty() => Some(format!("exit {st}")),
                    ["1", "", ""] => Some("exit (status not reported by tmux)".into()),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn type_line(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "pl", "-l", text]);
        self.tmux(&["send-keys", "-t", "pl", "Enter"]);
    }

    /// Type `command` at the prompt and return the lines it printed before
    /// the next prompt.
    fn run(&self, command: &str) -> Vec<String> {
        let echoed = format!("{PROMPT} {command}");
        let before = self.screen().iter().filter(|l| **l == echoed).count();
        self.type_line(command);
        let answer = |s: &[String]| -> Option<Vec<String>> {
            let at = s
                .iter()
                .enumerate()
                .filter(|(_, l)| **l == echoed)
                .nth(before)?
                .0;
            let rest = &s[at + 1..];
            let end = rest.iter().position(|l| l.starts_with(PROMPT))?;
            Some(rest[..end].to_vec())
        };
        self.wait_for(&format!("the answer to `{command}`"), boot_timeout(), |s| {
            answer(s).is_some()
        });
        answer(&self.screen()).unwrap()
    }

    fn wait_exit(&self, how: &str) -> String {
        let t0 = Instant::now();
        loop {
            if let Some(st) = self.dead() {
                return st;
            }
            if t0.elapsed() > Duration::from_secs(20) {
                panic!("powerlift still running 20 s after {how}\n{}", self.tail());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").output();
    }
}

/// Boot to the shell prompt in a fresh pane; `None` means skip.
fn boot_to_shell(test: &str, smp: u32) -> Option<Pane> {
    let tmux = common::oracle("tmux")?;
    let kernel = common::guest_file("vmlinux")?;
    let initrd = initramfs()?;
    let p = Pane::start(&tmux, test, &kernel, &initrd, smp);
    p.wait_for("the shell prompt", boot_timeout(), |s| {
        s.iter().any(|l| l == PROMPT)
    });
    let s = p.screen();
    let want = if smp == 1 {
        "0".to_string()
    } else {
        format!("0-{}", smp - 1)
    };
    let up = format!("POWERLIFT-INIT: up; cpus online {want}");
    assert!(s.contains(&up), "no `{up}` before the prompt\n{}", p.tail());
    Some(p)
}

/// Printed by the pane's shell after powerlift exits, with its status.
const EXIT_MARK: &str = "POWERLIFT-EXITED:";

/// Run an interactive scenario, retrying up to twice: under tmux the
/// emulator sometimes has not exited 20 s after `poweroff -f` or Ctrl-a x
/// (an open intermittent bug, not reproduced outside this harness; see the
/// project notes). Each retry is logged so the problem stays visible.
fn with_retry(name: &str, f: fn()) {
    for attempt in 1..3 {
        if std::panic::catch_unwind(f).is_ok() {
            return;
        }
        eprintln!("RETRY: interactive test {name} failed (attempt {attempt}); running it again");
    }
    f();
}

#[test]
fn shell_commands_then_poweroff() {
    with_retry(
        "shell_commands_then_poweroff",
        shell_commands_then_poweroff_once,
    );
}

#[test]
fn ctrl_a_x_quits() {
    with_retry("ctrl_a_x_quits", ctrl_a_x_quits_once);
}

fn shell_commands_then_poweroff_once() {
    let Some(p) = boot_to_shell("poweroff", 2) else {
        return;
    };
    assert_eq!(p.run("echo $((6*7))"), ["42"], "{}", p.tail());
    assert_eq!(p.run("uname -m"), ["ppc64le"], "{}", p.tail());
    assert_eq!(
        p.run("cat /proc/cpuinfo | grep -c processor"),
        ["2"],
        "{}",
        p.tail()
    );
    // A pipeline through several processes, and the exit status of the last.
    assert_eq!(
        p.run("seq 1 100 | awk '{s+=$1} END {print s}'"),
        ["5050"],
        "{}",
        p.tail()
    );
    assert_eq!(p.run("false; echo status=$?"), ["status=1"], "{}", p.tail());
    p.type_line("poweroff -f");
    let st = p.wait_exit("poweroff -f");
    assert_eq!(st, "exit 0", "after poweroff -f\n{}", p.tail());
    assert!(
        p.screen().iter().any(|l| l.contains("reboot: Power down")),
        "no `reboot: Power down`\n{}",
        p.tail()
    );
}

fn ctrl_a_x_quits_once() {
    let Some(p) = boot_to_shell("ctrl-a-x", 1) else {
        return;
    };
    assert_eq!(
        p.run("echo hello from the guest"),
        ["hello from the guest"],
        "{}",
        p.tail()
    );
    // QEMU's mon:stdio escape: Ctrl-a x terminates the emulator.
    p.tmux(&["send-keys", "-t", "pl", "C-a", "x"]);
    let st = p.wait_exit("Ctrl-a x");
    assert_eq!(st, "exit 0", "after Ctrl-a x\n{}", p.tail());
    assert!(
        p.screen().iter().any(|l| l.contains("QEMU: Terminated")),
        "no `QEMU: Terminated`\n{}",
        p.tail()
    );
}

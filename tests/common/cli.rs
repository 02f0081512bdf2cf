//! The real `redline` binary on a library file, as a reporter runs it.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// `redline --db DB ARGS…`. Logging and backtraces are switched off so that
/// stderr holds only what the reporter would read.
pub fn redline(db: &Path, args: &[&str]) -> Output {
    command(db, args).output().expect("run redline")
}

/// [`redline`] with `input` on standard input.
pub fn redline_stdin(db: &Path, args: &[&str], input: &[u8]) -> Output {
    let mut child = command(db, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run redline");
    let mut stdin = child.stdin.take().unwrap();
    // A refusal may come before all of it is read: a broken pipe is fine.
    let _ = stdin.write_all(input);
    drop(stdin);
    child.wait_with_output().unwrap()
}

/// The JSON a successful command printed (fails the test, with its stderr,
/// when the command failed).
pub fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "redline failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON on stdout")
}

/// What a successful command printed (fails the test, with its stderr and
/// stdout, when the command failed).
pub fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `redline --json verify FILE EXTRA…` (no library): whether it passed, and
/// its report. A panic fails the test; a refusal is an answer.
pub fn verify(file: &Path, extra: &[&str]) -> (bool, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_redline"))
        .arg("--json")
        .arg("verify")
        .arg(file)
        .args(extra)
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(101), "panicked");
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.success(), report)
}

/// The command [`redline`] runs, to start it and go on meanwhile.
pub fn command(db: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_redline"));
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env_remove("RUST_LOG")
        .env_remove("RUST_BACKTRACE");
    cmd
}

/// The problems a `verify` report lists, one per line (for assertion messages).
pub fn problems(report: &Value) -> String {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where the PyPI tools are (`scripts/install-deps` makes this venv).
pub fn pytool(name: &str) -> PathBuf {
    let dir = std::env::var_os("REDLINE_PYTOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/opt/redline-pytools/bin"));
    let path = dir.join(name);
    assert!(
        path.exists(),
        "{} is missing: run scripts/install-deps (it installs wacz, warcio, pywb and moto from PyPI)",
        path.display()
    );
    path
}

/// `warcio check -v` reads every record of the WARC at `path` and finds
/// no digest that fails.
pub fn warcio_check(path: &Path) {
    let checked = run_tool(
        Command::new(pytool("warcio"))
            .args(["check", "-v"])
            .arg(path),
    );
    assert!(!checked.contains("failed"), "{checked}");
}

pub fn run_tool(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

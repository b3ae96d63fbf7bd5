//! Helpers: run the binary, parse its JSON, find fixtures.

use assert_cmd::Command;
use std::path::PathBuf;

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture path as a string.
pub fn fixture(rel: &str) -> String {
    root().join("tests/fixtures").join(rel).display().to_string()
}

/// The framelens binary, run from the crate root without colour.
pub fn fl() -> Command {
    let mut c = Command::cargo_bin("framelens").expect("binary is built");
    c.current_dir(root()).env("NO_COLOR", "1").env_remove("COLUMNS");
    c
}

/// Runs with `args`, asserts exit 0, returns (stdout, stderr).
pub fn ok(args: &[&str]) -> (String, String) {
    let out = fl().args(args).output().expect("runs");
    let stdout = String::from_utf8(out.stdout).expect("utf-8 stdout");
    let stderr = String::from_utf8(out.stderr).expect("utf-8 stderr");
    assert_eq!(
        out.status.code(),
        Some(0),
        "framelens {args:?}\nstderr:\n{stderr}\nstdout:\n{stdout}"
    );
    (stdout, stderr)
}

/// Runs with `args`, asserts exit `code`, returns stderr.
pub fn fails(args: &[&str], code: i32) -> String {
    let out = fl().args(args).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(code), "framelens {args:?}\nstderr:\n{stderr}");
    stderr
}

/// Runs with `args` plus `--format json` and parses stdout.
pub fn json(args: &[&str]) -> serde_json::Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    let (out, _) = ok(&a);
    serde_json::from_str(&out).expect("valid JSON")
}

/// A temporary folder.
pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Runs `script` with `sh -c` in `dir`, with the built framelens first on PATH and no colour.
pub fn sh(script: &str, dir: &std::path::Path) -> std::process::Output {
    let bin = assert_cmd::cargo::cargo_bin("framelens");
    let bin_dir = bin.parent().expect("the binary is in a folder").to_path_buf();
    let old = std::env::var_os("PATH").unwrap_or_default();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(&old)))
        .expect("PATH entries have no separators");
    std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .output()
        .expect("sh runs")
}

/// Whether `tool` is on the PATH.
pub fn installed(tool: &str) -> bool {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether an external tool is installed. Under CI (`CI` set) a missing tool fails the test,
/// since .ci/run installs it; elsewhere the test is skipped with a message.
pub fn have_tool(tool: &str, why: &str) -> bool {
    let found = installed(tool);
    if !found {
        assert!(std::env::var_os("CI").is_none(), "{tool} is needed to {why}; .ci/run installs it");
        eprintln!("skipped: {tool} is not installed, so this test cannot {why}");
    }
    found
}

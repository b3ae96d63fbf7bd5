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

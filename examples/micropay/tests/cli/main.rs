//! The `micropay` binary driven as a user drives it: every format against expected output,
//! exit codes, standard input, directories, micropay.toml, explain, render, broken pipes and
//! runs over many pages.
//!
//! Expected outputs live in tests/data/expected/; `MICROPAY_BLESS=1 cargo test` rewrites them
//! from the current output (then read the diff before committing).

mod check;
mod commands;
mod formats;
mod limits;
mod scale;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The binary under test, with a clean environment for colour.
pub(crate) fn micropay() -> Command {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin!("micropay"));
    command.env_remove("NO_COLOR");
    command
}

/// Where the fixture pages are (tests run in the package directory).
pub(crate) fn data(path: &str) -> PathBuf {
    Path::new("tests/data").join(path)
}

/// `check` of the fixture site with a fixed URL, instant and no configuration, so that the
/// output is the same on every machine.
pub(crate) fn check_site(extra: &[&str]) -> Command {
    let mut command = micropay();
    command.args([
        "check",
        "tests/data/site",
        "--base-url",
        "https://news.example/",
        "--now",
        "2000-01-01T00:00:00Z",
        "--no-config",
    ]);
    command.args(extra);
    command
}

/// Compares `actual` with the expected file `name` (or rewrites it under `MICROPAY_BLESS`).
pub(crate) fn assert_expected(name: &str, actual: &[u8]) {
    let path = data("expected").join(name);
    let actual = String::from_utf8(actual.to_vec()).expect("output is UTF-8");
    if std::env::var_os("MICROPAY_BLESS").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (MICROPAY_BLESS=1 writes it)", path.display()));
    assert_eq!(actual, expected, "output differs from {}", path.display());
}

/// Standard output of a finished command, as text.
pub(crate) fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// Standard error of a finished command, as text.
pub(crate) fn stderr(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// A page with one link whose price is `price` (`0.01USD` gives a valid, warning-free link).
pub(crate) fn page(price: &str) -> String {
    format!(
        r#"<!DOCTYPE html><meta charset="utf-8">
<object type="application/x-per-fee-link">
  <param name="price" value="{price}">
  <param name="textlink" value="Cartoon">
  <param name="requesturl" value="cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
  <param name="title" value="Cartoon">
  <a href="cartoon.html">Cartoon</a>
</object>
"#
    )
}

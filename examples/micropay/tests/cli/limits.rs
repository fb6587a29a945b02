//! The one input size limit of every command (`--max-input-size`, `max_input_size` of
//! micropay.toml): past it, exit 2 and one line, before the input's memory is spent; devices
//! that never end and endless pipes included. And `verify --tokens` reads its tokens a line at
//! a time.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::{micropay, page, stderr};

/// A page of `size` bytes (a link, then a comment).
fn page_of(size: usize) -> String {
    let mut text = page("0.01USD");
    text.push_str("<!--");
    while text.len() < size - 3 {
        text.push('x');
    }
    text.push_str("-->");
    text
}

#[test]
fn a_page_larger_than_the_limit_is_refused_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.html");
    std::fs::write(&path, page_of(20_000)).unwrap();
    let check = |limit: &str| {
        micropay()
            .arg("check")
            .arg(&path)
            .args(["--no-config", "--max-input-size", limit])
            .output()
            .unwrap()
    };
    let refused = check("10KB");
    assert_eq!(refused.status.code(), Some(2));
    let message = stderr(&refused);
    assert!(
        message.contains("big.html is larger than the input size limit of 10000 bytes"),
        "{message}"
    );
    assert!(message.contains("--max-input-size"), "{message}");
    assert_eq!(check("20000").status.code(), Some(0));
    assert_eq!(check("64MiB").status.code(), Some(0));
    // extract takes the same option.
    let extract = micropay()
        .arg("extract")
        .arg(&path)
        .args(["--max-input-size", "1KiB"])
        .output()
        .unwrap();
    assert_eq!(extract.status.code(), Some(2));
    let bad = micropay()
        .args(["check", "--max-input-size", "lots", "-"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("`lots` is not a size"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn standard_input_is_read_no_further_than_the_limit() {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("micropay"))
        .args(["check", "-", "--no-config", "--max-input-size", "1MiB"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // An endless writer: the command must stop reading and end by itself.
    let writer = std::thread::spawn(move || {
        let chunk = vec![b'x'; 64 * 1024];
        while stdin.write_all(&chunk).is_ok() {}
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("standard input is larger than the input size limit of 1 MiB"),
        "{}",
        stderr(&output)
    );
}

#[cfg(target_os = "linux")]
#[test]
fn devices_that_never_end_are_refused() {
    for args in [
        &["check", "/dev/zero", "--no-config"][..],
        &["extract", "/dev/zero"],
        &["check", "--config", "/dev/zero", "-"],
    ] {
        let output = micropay()
            .args(args)
            .args(["--max-input-size", "1MiB"])
            .write_stdin("")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains("/dev/zero is larger than the input size limit"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    // A link description read through a name ending in .json.
    let dir = tempfile::tempdir().unwrap();
    let description = dir.path().join("endless.json");
    std::os::unix::fs::symlink("/dev/zero", &description).unwrap();
    let output = micropay()
        .arg("render")
        .arg(&description)
        .args(["--max-input-size", "100KB"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("larger than the input size limit of 100000 bytes"));
    // A key file is read no further than a key can be long.
    let page = dir.path().join("page.html");
    std::fs::write(&page, crate::page("0.01USD")).unwrap();
    let output = micropay()
        .args(["verify", "--key", "/dev/zero", "--replay"])
        .arg(dir.path().join("replay.db"))
        .arg("--page")
        .arg(&page)
        .args(["--base-url", "https://news.example/", "--token", "x"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn micropay_toml_sets_the_limit_and_the_command_line_beats_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.html"), page_of(5_000)).unwrap();
    std::fs::write(
        dir.path().join("micropay.toml"),
        "max_input_size = \"4KiB\"\n",
    )
    .unwrap();
    let check = |extra: &[&str]| {
        micropay()
            .arg("check")
            .arg(dir.path())
            .args(extra)
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(check(&[]), Some(2));
    assert_eq!(check(&["--max-input-size", "5000"]), Some(0));
    std::fs::write(dir.path().join("micropay.toml"), "max_input_size = 5000\n").unwrap();
    assert_eq!(check(&[]), Some(0));
    std::fs::write(
        dir.path().join("micropay.toml"),
        "max_input_size = \"huge\"\n",
    )
    .unwrap();
    assert_eq!(check(&[]), Some(2));
}

/// The most memory (kB) process `pid` has held so far, while it runs.
#[cfg(target_os = "linux")]
fn peak_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(target_os = "linux")]
#[test]
fn tokens_are_verified_a_batch_at_a_time_in_flat_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).display().to_string();
    let init = micropay()
        .args(["merchant", "init", "--key", &path("key")])
        .output()
        .unwrap();
    assert!(init.status.success());
    std::fs::write(path("page.html"), page("0.01USD")).unwrap();
    let lines = 300_000;
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("micropay"))
        .args([
            "verify",
            "--key",
            &path("key"),
            "--replay",
            &path("replay.db"),
        ])
        .args([
            "--page",
            &path("page.html"),
            "--base-url",
            "https://news.example/",
        ])
        .args(["--tokens", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = "not-a-token\n".repeat(1000);
        for _ in 0..lines / 1000 {
            stdin.write_all(chunk.as_bytes()).unwrap();
        }
    });
    let pid = child.id();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).unwrap();
        text
    });
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        peak = peak.max(peak_kb(pid).unwrap_or(0));
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    writer.join().unwrap();
    let text = reader.join().unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(4));
    let answer: serde_json::Value = serde_json::from_str(&text).unwrap();
    let verdicts = answer["verdicts"].as_array().unwrap();
    assert_eq!(verdicts.len(), lines);
    assert!(verdicts.iter().all(|v| v["reason"] == "malformed-token"));
    // Held whole, the tokens and their verdicts took hundreds of megabytes.
    assert!(peak < 64 * 1024, "peak memory {peak} kB");
}

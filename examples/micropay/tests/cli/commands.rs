//! `explain`, `render` and `extract`, and how the binary ends on a closed pipe.

use std::io::Read;
use std::process::Stdio;

use serde_json::Value;

use crate::{assert_expected, data, micropay, stderr, stdout};

#[test]
fn explain_lists_every_code_and_explains_each() {
    let output = micropay()
        .arg("explain")
        .assert()
        .code(0)
        .get_output()
        .clone();
    let list = stdout(&output);
    let codes: Vec<&str> = list
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(codes.len(), 40);
    assert_eq!(codes[0], "missing-required-field");
    for code in codes {
        let output = micropay()
            .args(["explain", code])
            .assert()
            .code(0)
            .get_output()
            .clone();
        let text = stdout(&output);
        assert!(text.starts_with(&format!("{code} (")), "{text}");
        for part in ["\nRule: ", "\nExample, checked with ", "\nFix: "] {
            assert!(text.contains(part), "{code}: no {part:?}");
        }
    }
    let output = micropay()
        .args(["explain", "no-such-thing"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert_eq!(
        stderr(&output),
        "micropay: unknown diagnostic code `no-such-thing` (`micropay explain` lists them)\n"
    );
}

#[test]
fn explain_shows_the_rule_example_and_fix() {
    let output = micropay()
        .args(["explain", "invalid-price"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    assert_expected("explain-invalid-price.txt", &output.stdout);
}

#[test]
fn render_writes_canonical_markup() {
    let output = micropay()
        .arg("render")
        .arg(data("link.toml"))
        .assert()
        .code(0)
        .get_output()
        .clone();
    assert_expected("link.toml.html", &output.stdout);
    assert_eq!(stderr(&output), "");
    let output = micropay()
        .arg("render")
        .arg(data("link.json"))
        .assert()
        .code(0)
        .get_output()
        .clone();
    assert_expected("link.json.html", &output.stdout);
}

#[test]
fn render_then_check_then_render_again_is_a_fixed_point() {
    let dir = tempfile::tempdir().unwrap();
    let rendered = micropay()
        .arg("render")
        .arg(data("link.toml"))
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let page = dir.path().join("page.html");
    std::fs::write(&page, &rendered).unwrap();
    // The markup is UTF-8 and says nothing about it: tell the checker.
    let output = micropay()
        .arg("check")
        .arg(&page)
        .args(["--charset", "utf-8", "--format", "json", "--no-config"])
        .args(["--now", "2000-01-01T00:00:00Z", "--deny-warnings"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["warnings"], 0);
    let link = &report["files"][0]["links"][0];
    assert_eq!(link["price"]["amount"], "0.25");
    assert_eq!(link["price"]["currency"], "EUR");
    assert_eq!(link["textlink"], "Le dessin du jour & <co>");
    assert_eq!(link["title"], "Dessin \"du jour\"");
    assert_eq!(
        link["requesturl"],
        "https://journal.example/dessins/aujourdhui.html"
    );
    assert_eq!(link["paymentsystems"][0]["info"], "boutique=7");
    assert_eq!(link["duration"], 86400);
    assert_eq!(link["extensions"][0][1], "rouge");
    // The extracted link renders to the same markup.
    let again = dir.path().join("again.json");
    std::fs::write(&again, serde_json::to_vec(link).unwrap()).unwrap();
    micropay()
        .arg("render")
        .arg(&again)
        .assert()
        .code(0)
        .stdout(String::from_utf8(rendered).unwrap());
}

#[test]
fn render_refuses_bad_descriptions_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "price = \"1 USD\"\ntextlink = \"x\"\n").unwrap();
    let output = micropay()
        .arg("render")
        .arg(&bad)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let text = stderr(&output);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("bad.toml (line 1): "), "{text}");
    let other = dir.path().join("link.yaml");
    std::fs::write(&other, "price: 1USD\n").unwrap();
    micropay().arg("render").arg(&other).assert().code(2);
}

#[test]
fn extract_prints_one_file_object() {
    let output = micropay()
        .arg("extract")
        .arg(data("site/valid.html"))
        .args(["--base-url", "https://news.example/valid.html"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let file: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        file["links"][0]["requesturl"],
        "https://news.example/cartoon/today.html"
    );
    micropay()
        .args(["extract", "tests/data/site"])
        .assert()
        .code(2);
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let dir = crate::scale::pages(300, "0.05 USD");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("micropay"))
        .arg("check")
        .arg(dir.path())
        .arg("--no-config")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).unwrap();
    // Like `micropay check dir | head -c 64`.
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert_eq!(stderr(&output), "");
    assert!(output.status.success(), "{:?}", output.status);
}

/// A page of two valid links.
fn two_links() -> String {
    let link = |price: &str, path: &str| {
        format!(
            "<object><param name=price value={price}><param name=textlink value=\"Story {path}\">\
             <param name=title value=\"Story {path}\">\
             <param name=requesturl value={path}.html><param name=paymentsystem value=https://ps.example/>\
             <a href={path}.html>Story</a></object>\n"
        )
    };
    format!("<p>{}{}", link("0.01USD", "a"), link("0.02USD", "b"))
}

#[test]
fn extract_piped_into_render_gives_one_block_per_link() {
    let extracted = micropay()
        .args(["extract", "-", "--base-url", "https://news.example/"])
        .write_stdin(two_links())
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let output = micropay()
        .args(["render", "-"])
        .write_stdin(extracted)
        .assert()
        .code(0)
        .get_output()
        .clone();
    let markup = stdout(&output);
    assert_eq!(markup.matches("<object ").count(), 2, "{markup}");
    let first = markup.find("value=\"0.01USD\"").unwrap();
    let second = markup.find("value=\"0.02USD\"").unwrap();
    assert!(first < second, "{markup}");
    assert!(markup.contains("</object>\n\n<object "), "{markup}");
    // The rendered blocks extract to the same links.
    let again = micropay()
        .args([
            "check",
            "-",
            "--format",
            "json",
            "--base-url",
            "https://news.example/",
        ])
        .write_stdin(markup)
        .assert()
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&again).unwrap();
    assert_eq!(report["summary"]["valid_links"], 2);

    // The report of `check --format json` renders too.
    let report = micropay()
        .args([
            "check",
            "-",
            "--format",
            "json",
            "--base-url",
            "https://news.example/",
        ])
        .write_stdin(two_links())
        .assert()
        .get_output()
        .stdout
        .clone();
    let output = micropay()
        .args(["render", "-"])
        .write_stdin(report)
        .assert()
        .code(0)
        .get_output()
        .clone();
    assert_eq!(stdout(&output).matches("<object ").count(), 2);
}

#[test]
fn render_names_the_link_it_refuses_and_writes_nothing() {
    let page = two_links().replace("0.02USD", "0,02USD");
    let extracted = micropay()
        .args(["extract", "-", "--base-url", "https://news.example/"])
        .write_stdin(page)
        .assert()
        .get_output()
        .stdout
        .clone();
    let output = micropay()
        .args(["render", "-"])
        .write_stdin(extracted)
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(output.stdout.is_empty());
    assert!(
        stderr(&output).starts_with("micropay: standard input: links[1]: "),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_mistyped_key_or_code_gets_a_suggestion() {
    let output = micropay()
        .args(["render", "-"])
        .write_stdin("price = \"1USD\"\ntitel = \"x\"\n")
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(
        stderr(&output).contains("unknown field `titel`; did you mean `title`?"),
        "{}",
        stderr(&output)
    );
    let output = micropay()
        .args(["render", "-"])
        .write_stdin(r#"{"price": "1USD", "textlnk": "x"}"#)
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(
        stderr(&output).contains("did you mean `textlink`?"),
        "{}",
        stderr(&output)
    );
    let output = micropay()
        .args(["explain", "invalid-pric"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert_eq!(
        stderr(&output),
        "micropay: unknown diagnostic code `invalid-pric`; did you mean `invalid-price`? (`micropay explain` lists them)\n"
    );
}

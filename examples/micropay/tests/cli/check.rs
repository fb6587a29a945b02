//! `check`: exit codes, standard input, directory walks and micropay.toml.

use std::fs;

use serde_json::Value;

use crate::{assert_expected, data, micropay, page, stderr, stdout};

const NOW: [&str; 2] = ["--now", "2000-01-01T00:00:00Z"];

#[test]
fn exit_codes_follow_errors_warnings_and_deny_warnings() {
    let valid = data("site/valid.html");
    let warnings = data("site/warnings.html");
    let errors = data("site/errors.html");
    micropay()
        .arg("check")
        .arg(&valid)
        .args(NOW)
        .assert()
        .code(0);
    micropay()
        .arg("check")
        .arg(&warnings)
        .args(NOW)
        .assert()
        .code(0);
    micropay()
        .arg("check")
        .arg(&warnings)
        .args(NOW)
        .arg("--deny-warnings")
        .assert()
        .code(1);
    micropay()
        .arg("check")
        .arg(&errors)
        .args(NOW)
        .assert()
        .code(1);
}

#[test]
fn call_errors_exit_2_with_one_line() {
    let one_line = |output: &std::process::Output| {
        let text = stderr(output);
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.starts_with("micropay: "), "{text}");
        assert!(!text.contains("panicked"));
        text
    };
    let output = micropay()
        .args(["check", "tests/data/no-such-page.html"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(one_line(&output).contains("no-such-page.html"));
    let output = micropay()
        .args(["check", "--format", "xml"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(one_line(&output).contains("xml"));
    let output = micropay()
        .args(["check", "--base-url", "not a url", "tests/data/site"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(one_line(&output).contains("--base-url"));
    let output = micropay()
        .args([
            "check",
            "--charset",
            "no-such-charset",
            "tests/data/site/valid.html",
        ])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(one_line(&output).contains("no-such-charset"));
    let output = micropay()
        .args(["check", "--now", "yesterday"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(one_line(&output).contains("RFC 3339"));
}

#[test]
fn standard_input_is_a_document_named_dash() {
    let output = micropay()
        .args([
            "check",
            "-",
            "--base-url",
            "https://news.example/today.html",
        ])
        .args(NOW)
        .write_stdin(page("0.05 USD"))
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(stdout(&output).starts_with("-:3:30: error[invalid-price]: "));
    let output = micropay()
        .args([
            "check",
            "-",
            "--format",
            "json",
            "--base-url",
            "https://news.example/today.html",
        ])
        .args(NOW)
        .write_stdin(page("0.01USD"))
        .assert()
        .code(0)
        .get_output()
        .clone();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let file = &report["files"][0];
    assert_eq!(file["path"], "-");
    assert_eq!(
        file["links"][0]["requesturl"],
        "https://news.example/cartoon.html"
    );
}

#[test]
fn directories_skip_hidden_and_ignored_files_but_not_named_ones() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for path in [
        "b.html",
        "a/z.htm",
        "a.html",
        "ignored/x.html",
        ".hidden.html",
        ".drafts/y.html",
        "notes.txt",
        "page.xhtml.bak",
    ] {
        let file = root.join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(file, page("0.01USD")).unwrap();
    }
    fs::write(root.join(".gitignore"), "ignored/\n").unwrap();
    let output = micropay()
        .arg("check")
        .arg(root)
        .args(["--format", "json", "--no-config"])
        .args(NOW)
        .assert()
        .code(0)
        .get_output()
        .clone();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let paths: Vec<String> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let path = f["path"].as_str().unwrap();
            path.strip_prefix(root.to_str().unwrap())
                .unwrap()
                .to_owned()
        })
        .collect();
    // Sorted by path: `a/z.htm` before `a.html` (component `a` < `a.html`).
    assert_eq!(paths, ["/a/z.htm", "/a.html", "/b.html"]);

    // A file named explicitly is read, ignored or hidden; a file named twice, once.
    let ignored = root.join("ignored/x.html");
    let hidden = root.join(".hidden.html");
    let output = micropay()
        .arg("check")
        .arg(&ignored)
        .arg(&hidden)
        .arg(&ignored)
        .args(["--format", "json", "--no-config"])
        .args(NOW)
        .assert()
        .code(0)
        .get_output()
        .clone();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["files"], 2);
}

#[test]
fn the_nearest_config_allows_codes_and_denies_warnings() {
    let output = micropay()
        .args(["check", "tests/data/legacy"])
        .args(NOW)
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert_expected("legacy.human.txt", &output.stdout);
    assert!(stdout(&output).ends_with("; 4 allowed by micropay.toml (of which 1 error)\n"));

    // The command line beats the file.
    micropay()
        .args(["check", "tests/data/legacy", "--no-deny-warnings"])
        .args(NOW)
        .assert()
        .code(0);
    // Without the file, the 1999 page has an error and its URL is a file: URL.
    let output = micropay()
        .args([
            "check",
            "tests/data/legacy",
            "--no-config",
            "--format",
            "json",
        ])
        .args(NOW)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["errors"], 1);
    assert!(
        report["files"][0]["document_url"]
            .as_str()
            .unwrap()
            .starts_with("file:///")
    );

    // With it, base_url is where the file's directory is served, and machine formats say
    // on stderr that errors were allowed.
    let output = micropay()
        .args(["check", "tests/data/legacy", "--format", "json"])
        .args(NOW)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let first = &report["files"][0];
    assert_eq!(
        first["document_url"],
        "https://news.example/archive/1999/cartoon.html"
    );
    assert_eq!(first["diagnostics"].as_array().unwrap().len(), 0);
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(
        stderr(&output),
        "micropay: 1 error allowed by micropay.toml\n"
    );
}

#[test]
fn config_sets_the_format_and_bad_configs_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("micropay.toml"), "format = \"github\"\n").unwrap();
    fs::write(dir.path().join("p.html"), page("0.05 USD")).unwrap();
    let output = micropay()
        .current_dir(dir.path())
        .args(["check", "."])
        .args(NOW)
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(
        stdout(&output)
            .starts_with("::error file=p.html,line=3,col=30,endColumn=38,title=invalid-price::")
    );

    fs::write(
        dir.path().join("micropay.toml"),
        "[[allow]]\ncodes = [\"invalid-prise\"]\n",
    )
    .unwrap();
    let output = micropay()
        .current_dir(dir.path())
        .args(["check", "."])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let text = stderr(&output);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("micropay.toml:2:"), "{text}");
    assert!(text.contains("invalid-prise"), "{text}");
}

#[test]
fn no_path_checks_the_current_directory_as_a_walked_directory() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("site/old")).unwrap();
    fs::write(dir.path().join(".gitignore"), "old/\n").unwrap();
    fs::write(dir.path().join("site/a.html"), page("0.05 USD")).unwrap();
    fs::write(dir.path().join("site/old/b.html"), page("0.05 USD")).unwrap();
    let output = micropay()
        .current_dir(dir.path().join("site"))
        .args(["check", "--no-config", "--format", "json"])
        .args(NOW)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    // .gitignore of the parent directory applies: old/ is skipped.
    assert_eq!(report["summary"]["files"], 1);
    assert_eq!(report["files"][0]["path"], "a.html");
}

#[test]
fn a_page_named_under_several_spellings_is_checked_once_under_the_first() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("site")).unwrap();
    fs::write(dir.path().join("site/a.html"), page("0.05 USD")).unwrap();
    let output = micropay()
        .current_dir(dir.path())
        .args([
            "check",
            "./site/a.html",
            "site/a.html",
            "site/../site/a.html",
            "site",
            ".",
            "--no-config",
        ])
        .args(NOW)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let text = stdout(&output);
    assert_eq!(text.matches("error[invalid-price]").count(), 1, "{text}");
    assert!(text.starts_with("./site/a.html:3:30: "), "{text}");
    assert!(
        text.ends_with("checked 1 file: 1 per-fee-link (0 valid), 1 error, 0 warnings\n"),
        "{text}"
    );
}

#[test]
fn messages_quote_what_is_written_and_a_bad_charset_is_one_usage_error() {
    let output = micropay()
        .args(["check", "-", "--no-config"])
        .args(NOW)
        .write_stdin(page("0,05 EUR"))
        .assert()
        .code(1)
        .get_output()
        .clone();
    let text = stdout(&output);
    assert!(
        text.contains("error[invalid-price]: \"0,05 EUR\" uses a comma as decimal separator"),
        "{text}"
    );
    assert!(text.contains("= hint: use a point: 0.05EUR"), "{text}");
    let output = micropay()
        .args(["check", "-", "--no-config"])
        .args(NOW)
        .write_stdin(page("abcA"))
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(
        stdout(&output).contains("e.g. 1.00USD"),
        "{}",
        stdout(&output)
    );

    let dir = tempfile::tempdir().unwrap();
    for name in ["a.html", "b.html"] {
        fs::write(dir.path().join(name), page("0.01USD")).unwrap();
    }
    let output = micropay()
        .args(["check", "--charset", "klingon", "--no-config"])
        .arg(dir.path())
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(output.stdout.is_empty(), "{}", stdout(&output));
    let text = stderr(&output);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.contains("`klingon` is not an encoding label"),
        "{text}"
    );
}

#[test]
fn a_missing_field_names_the_typo_that_is_probably_it() {
    let output = micropay()
        .args(["check", "-", "--no-config", "--format", "json"])
        .args(NOW)
        .write_stdin(page("0.01USD").replace("\"requesturl\"", "\"requestur\""))
        .assert()
        .code(1)
        .get_output()
        .clone();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostics = report["files"][0]["diagnostics"].as_array().unwrap();
    let missing = diagnostics
        .iter()
        .find(|d| d["code"] == "missing-required-field")
        .unwrap();
    assert_eq!(missing["field"], "requesturl");
    assert_eq!(
        missing["message"],
        "the per-fee-link has no `requesturl` param; a param named `requestur` may be meant"
    );
    assert_eq!(
        missing["hint"],
        "rename the param `requestur` to `requesturl`"
    );
    assert!(diagnostics.iter().any(|d| d["code"] == "unknown-field"));
}

#[test]
fn a_utf8_page_without_a_declared_charset_gets_a_warning_with_the_fix() {
    let page = "<p>Caf\u{e9}</p>\n<object><param name=price value=0.01USD><param name=textlink value=Caf\u{e9}>\
                <param name=title value=x><param name=requesturl value=https://news.example/c.html>\
                <param name=paymentsystem value=https://ps.example/><a href=https://news.example/c.html>c</a></object>";
    let output = micropay()
        .args([
            "check",
            "-",
            "--no-config",
            "--base-url",
            "https://news.example/",
        ])
        .args(NOW)
        .write_stdin(page)
        .assert()
        .code(0)
        .get_output()
        .clone();
    let text = stdout(&output);
    assert!(
        text.starts_with("-:1:7: warning[undeclared-utf8]: the page declares no encoding, so it is read as windows-1252, but its bytes are UTF-8: `\u{e9}` is read as `\u{c3}\u{a9}`"),
        "{text}"
    );
    assert!(text.contains("--charset utf-8"), "{text}");
    // Declared by the server: nothing to say, and the text is read as written.
    let output = micropay()
        .args([
            "check",
            "-",
            "--no-config",
            "--charset",
            "utf-8",
            "--format",
            "json",
        ])
        .args(NOW)
        .write_stdin(page)
        .assert()
        .code(0)
        .get_output()
        .clone();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["warnings"], 0);
    assert_eq!(report["files"][0]["links"][0]["textlink"], "Caf\u{e9}");
    micropay()
        .args(["explain", "undeclared-utf8"])
        .assert()
        .code(0);
}

#[test]
fn the_configuration_may_come_from_standard_input_and_its_charset_is_checked_once() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("p.html"), page("0.05 USD")).unwrap();
    let output = micropay()
        .current_dir(dir.path())
        .args(["check", "p.html", "--config", "-"])
        .args(NOW)
        .write_stdin("format = \"github\"\n")
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(
        stdout(&output).starts_with("::error file=p.html,"),
        "{}",
        stdout(&output)
    );
    micropay()
        .args(["check", "-", "--config", "-"])
        .write_stdin("")
        .assert()
        .code(2);
    fs::write(dir.path().join("micropay.toml"), "charset = \"klingon\"\n").unwrap();
    fs::write(dir.path().join("q.html"), page("0.05USD")).unwrap();
    let output = micropay()
        .current_dir(dir.path())
        .args(["check", "."])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(output.stdout.is_empty());
    assert_eq!(stderr(&output).lines().count(), 1, "{}", stderr(&output));
    assert!(stderr(&output).contains("charset `klingon` is not an encoding label"));
}

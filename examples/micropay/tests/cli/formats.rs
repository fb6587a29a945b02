//! Each output format against its expected output on the fixture site.

use serde_json::Value;

use crate::{assert_expected, check_site, data, stdout};

#[test]
fn human_shows_source_caret_window_hint_and_summary() {
    let output = check_site(&[]).assert().code(1).get_output().clone();
    assert_expected("site.human.txt", &output.stdout);
    // Not a terminal: no colour, whatever NO_COLOR says.
    assert!(!stdout(&output).contains('\x1b'));
}

#[test]
fn json_follows_the_contract() {
    let output = check_site(&["--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert_expected("site.json", &output.stdout);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["version"], 1);
    let keys: Vec<&str> = report["summary"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["errors", "files", "links", "valid_links", "warnings"]
    );
    assert_eq!(report["summary"]["files"], 4);
    assert_eq!(report["summary"]["errors"], 2);
    assert_eq!(report["summary"]["warnings"], 2);
}

#[test]
fn sarif_matches_expected_output_and_the_sarif_schema() {
    let output = check_site(&["--format", "sarif"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert_expected("site.sarif", &output.stdout);
    let sarif: Value = serde_json::from_slice(&output.stdout).unwrap();
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(data("sarif-schema-2.1.0.json")).unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    // What GitHub code scanning reads.
    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "micropay");
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 40);
    for (index, rule) in rules.iter().enumerate() {
        assert!(rule["fullDescription"]["text"].as_str().unwrap().len() > 20);
        assert!(rule["help"]["text"].as_str().unwrap().contains("Fix: "));
        assert!(rule["properties"]["tags"].as_array().unwrap().len() == 2);
        for result in run["results"].as_array().unwrap() {
            if result["ruleId"] == rule["id"] {
                assert_eq!(result["ruleIndex"], index);
                assert_eq!(result["level"], rule["defaultConfiguration"]["level"]);
            }
        }
    }
    let first = &run["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(
        first["artifactLocation"]["uri"],
        "tests/data/site/errors.html"
    );
    assert_eq!(first["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    // An invalid price points at the price as written, from its first character to just
    // past its last; a diagnostic about an element at its `<`.
    assert_eq!(
        first["region"],
        serde_json::json!({"startLine": 4, "startColumn": 29, "endLine": 4, "endColumn": 37})
    );
    let element = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "missing-recommended-field")
        .unwrap();
    assert_eq!(
        element["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": 3, "startColumn": 1})
    );
}

#[test]
fn github_writes_escaped_workflow_commands() {
    let output = check_site(&["--format", "github"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert_expected("site.github.txt", &output.stdout);
    let text = stdout(&output);
    assert!(text.starts_with(
        "::error file=tests/data/site/errors.html,line=4,col=29,endColumn=37,title=invalid-price::"
    ));
    // The hint is a second line of the message, its line break escaped.
    assert!(text.contains("%0Ahint: "));
}

#[test]
fn quiet_keeps_errors_only_and_drops_the_summary() {
    let output = check_site(&["--quiet"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let text = stdout(&output);
    assert!(text.contains("error[invalid-price]"));
    assert!(!text.contains("warning["));
    assert!(!text.contains("checked "));
    // Warnings that fail the run are shown even then.
    let output = check_site(&["--quiet", "--deny-warnings"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(stdout(&output).contains("warning[alias-field-name]"));
    let output = check_site(&["--quiet", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    for file in report["files"].as_array().unwrap() {
        for d in file["diagnostics"].as_array().unwrap() {
            assert_eq!(d["severity"], "error");
        }
    }
}

#[test]
fn json_keeps_the_element_position_and_adds_the_value_span_last() {
    let output = check_site(&["--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors = &report["files"][0]["diagnostics"][0];
    assert_eq!(errors["code"], "invalid-price");
    assert_eq!((&errors["line"], &errors["column"]), (&4.into(), &2.into()));
    assert_eq!(
        errors["value_span"],
        serde_json::json!({"line": 4, "column": 29, "end_line": 4, "end_column": 37})
    );
    // The new key comes last, after `hint` (as written, not as a map sorts it).
    assert!(stdout(&output).contains(
        r#""hint":"remove the space: 0.05USD","value_span":{"line":4,"column":29,"end_line":4,"end_column":37}}"#
    ));
}

#[test]
fn control_characters_of_file_names_and_pages_never_reach_the_output_raw() {
    let dir = tempfile::tempdir().unwrap();
    // ESC, BEL and an OSC sequence (which would retitle a terminal) in the name and the page.
    let name = "evil\u{1b}]0;owned\u{7}\u{1b}[2J.html";
    let page = crate::page("0.05\u{1b}[31mUSD\u{7}").replace(
        "Cartoon",
        "Car\u{1b}]8;;https://x.example/\u{1b}\\toon\u{9b}",
    );
    std::fs::write(dir.path().join(name), page).unwrap();
    for format in ["human", "json", "sarif", "github"] {
        let output = crate::micropay()
            .current_dir(dir.path())
            .args(["check", ".", "--no-config", "--format", format])
            .args(["--now", "2000-01-01T00:00:00Z"])
            .assert()
            .code(1)
            .get_output()
            .clone();
        let text = stdout(&output);
        assert!(
            !text.contains(['\u{1b}', '\u{7}', '\u{9b}']),
            "{format}: {text:?}"
        );
        match format {
            "human" | "github" => {
                assert!(
                    text.contains("evil\\x1b]0;owned\\x07\\x1b[2J.html"),
                    "{format}: {text}"
                );
                assert!(text.contains("0.05\\x1b[31mUSD\\x07"), "{format}: {text}");
            }
            "json" => {
                let report: Value = serde_json::from_str(&text).unwrap();
                // The data is intact once read back.
                assert_eq!(report["files"][0]["path"], name);
                assert!(
                    text.contains(r"\u001b]8;;https://x.example/\u001b\\toon\u009b"),
                    "{text}"
                );
            }
            _ => {
                let sarif: Value = serde_json::from_str(&text).unwrap();
                let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
                    ["uri"];
                assert_eq!(uri, "evil%1B%5D0;owned%07%1B%5B2J.html");
            }
        }
    }
    // Messages on stderr too: an unreadable path named on the command line.
    let output = crate::micropay()
        .current_dir(dir.path())
        .args(["check", "gone\u{1b}[2J.html", "--no-config"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let text = crate::stderr(&output);
    assert!(
        text.contains("gone\\x1b[2J.html") && !text.contains('\u{1b}'),
        "{text:?}"
    );
}

#[test]
fn the_github_summary_counts_in_words() {
    let output = crate::micropay()
        .args(["check", "-", "--format", "github", "--no-config"])
        .args(["--now", "2000-01-01T00:00:00Z"])
        .write_stdin(crate::page("0.05 USD"))
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(
        stdout(&output)
            .ends_with("micropay: checked 1 file: 1 per-fee-link (0 valid), 1 error, 1 warning\n"),
        "{}",
        stdout(&output)
    );
}

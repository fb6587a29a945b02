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
    assert_eq!(rules.len(), 39);
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
    assert_eq!(first["region"]["startLine"], 4);
    assert_eq!(first["region"]["startColumn"], 2);
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
        "::error file=tests/data/site/errors.html,line=4,col=2,title=invalid-price::"
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

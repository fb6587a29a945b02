//! docs/conformance.md: which cases cover each rule of the profile and each diagnostic code,
//! generated from the corpus so that it cannot drift from it.

use std::collections::BTreeMap;
use std::fmt::Write;

use micropay_markup::Code;
use serde_json::Value;

use crate::case::Case;

/// The rule ids of the profile, in order.
pub const RULES: [&str; 18] = [
    "P-1", "P-1.1", "P-1.2", "P-1.3", "P-1.4", "P-1.5", "P-1.6", "P-1.7", "P-1.8", "P-2", "P-3",
    "P-4", "P-5", "P-6", "P-7", "P-8", "P-9", "P-10",
];

/// How many case names a cell lists before it says how many more there are.
const LISTED: usize = 6;

/// The markdown of docs/conformance.md for `cases` (with their parsed expectations).
pub fn table(cases: &[(Case, Value)]) -> String {
    let mut by_rule: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut by_code: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (case, expected) in cases {
        for rule in expected
            .get("rules")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if let Some(known) = RULES.iter().find(|r| **r == rule) {
                by_rule.entry(known).or_default().push(&case.id);
            }
        }
        for code in expected
            .get("diagnostics")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|d| d.get("code").and_then(Value::as_str))
        {
            let ids = by_code.entry(code.to_owned()).or_default();
            if ids.last() != Some(&case.id.as_str()) {
                ids.push(&case.id);
            }
        }
    }
    let mut out = String::new();
    out.push_str("# Conformance coverage\n\n");
    out.push_str(
        "Generated from `spec-fixtures/` by `cargo run -p micropay-conformance --bin conformance-table > docs/conformance.md`;\n\
         the conformance test fails when this file is not current.\n\n",
    );
    let _ = writeln!(out, "{} cases.\n", cases.len());
    out.push_str("## Rules\n\n| rule | cases | some of them |\n|---|---|---|\n");
    for rule in RULES {
        let ids = by_rule.get(rule).map(Vec::as_slice).unwrap_or_default();
        let _ = writeln!(out, "| {rule} | {} | {} |", ids.len(), list(ids));
    }
    out.push_str(
        "\n## Diagnostic codes\n\n| code | severity | rule | cases that trigger it | some of them |\n|---|---|---|---|---|\n",
    );
    for code in Code::ALL {
        let ids = by_code
            .get(code.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| `{code}` | {} | {} | {} | {} |",
            code.severity(),
            code.rule(),
            ids.len(),
            list(ids)
        );
    }
    out
}

fn list(ids: &[&str]) -> String {
    let mut shown: Vec<String> = ids
        .iter()
        .take(LISTED)
        .map(|id| format!("`{id}`"))
        .collect();
    if ids.len() > LISTED {
        shown.push(format!("and {} more", ids.len() - LISTED));
    }
    shown.join(", ")
}

//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it. One run; the driver lists
//! every diagnostic code as a rule (help text from `explain`); results are streamed file by
//! file, so memory does not grow with the number of pages.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use micropay_markup::{Code, Diagnostic, Severity, Url};
use serde_json::{Value, json};

use crate::checked::{Checked, Report, Totals};
use crate::{explain, location};

/// The schema GitHub's documentation points SARIF files at.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub(crate) struct Sarif {
    started: bool,
    first_result: bool,
}

impl Sarif {
    pub(crate) fn new() -> Self {
        Sarif {
            started: false,
            first_result: true,
        }
    }

    /// Writes everything up to the opening of `results`, once.
    fn start(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        write!(
            out,
            "{{\"$schema\":\"{SCHEMA}\",\"version\":\"2.1.0\",\"runs\":[{{\"tool\":"
        )?;
        crate::escape::write_json(out, &tool(), false)?;
        write!(out, ",\"columnKind\":\"unicodeCodePoints\",\"results\":[")
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The driver: name, version, where to read more, and one rule per code.
fn tool() -> Value {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|&code| {
            let e = explain::of(code);
            json!({
                "id": code.as_str(),
                "shortDescription": {"text": e.summary},
                "fullDescription": {"text": e.rule},
                "help": {"text": explain::text(code), "markdown": explain::markdown(code)},
                "defaultConfiguration": {"level": level(code.severity())},
                "properties": {
                    "tags": ["per-fee-link", code.rule()],
                    "precision": "very-high",
                    "problem.severity": level(code.severity()),
                },
            })
        })
        .collect();
    json!({
        "driver": {
            "name": "micropay",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "rules": rules,
        }
    })
}

/// Where a document is, for SARIF: a URI relative to `%SRCROOT%` (the directory micropay runs
/// in, the checkout in CI) when the file lies below it, else an absolute `file:` URI.
fn artifact_location(shown: &str, file: Option<&Path>) -> Value {
    let Some(file) = file else {
        return json!({"uri": shown});
    };
    if let Some(relative) = location::relative_to_cwd(file) {
        return json!({"uri": percent_encode_path(&relative), "uriBaseId": "%SRCROOT%"});
    }
    let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    match Url::from_file_path(&absolute) {
        Ok(url) => json!({"uri": url.as_str()}),
        Err(()) => json!({"uri": percent_encode_path(shown)}),
    }
}

/// Percent-encodes what may not stand in the path of a relative URI reference.
fn percent_encode_path(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            let _ = write!(encoded, "%{byte:02X}");
        }
    }
    encoded
}

fn result(d: &Diagnostic, artifact: &Value) -> Value {
    let index = Code::ALL.iter().position(|&c| c == d.code());
    let mut text = d.message().to_owned();
    if let Some(hint) = d.hint() {
        text.push_str(" (hint: ");
        text.push_str(hint);
        text.push(')');
    }
    let mut properties = serde_json::Map::new();
    if let Some(link) = d.link() {
        properties.insert("link".into(), link.into());
    }
    if let Some(field) = d.field() {
        properties.insert("field".into(), field.into());
    }
    // A diagnostic about a value points at the value, from its first character to just past
    // its last; one about an element at the element's `<`.
    let region = match d.value_span() {
        Some(span) => json!({
            "startLine": span.line,
            "startColumn": span.column,
            "endLine": span.end_line,
            "endColumn": span.end_column,
        }),
        None => json!({"startLine": d.line(), "startColumn": d.column()}),
    };
    let mut result = json!({
        "ruleId": d.code().as_str(),
        "ruleIndex": index,
        "level": level(d.severity()),
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact,
                "region": region,
            }
        }],
    });
    if !properties.is_empty() {
        result["properties"] = Value::Object(properties);
    }
    result
}

impl Report for Sarif {
    fn file(&mut self, out: &mut dyn Write, checked: &Checked<'_>) -> std::io::Result<()> {
        self.start(out)?;
        let artifact = artifact_location(checked.path, checked.file);
        for d in &checked.diagnostics {
            if !self.first_result {
                write!(out, ",")?;
            }
            self.first_result = false;
            writeln!(out)?;
            crate::escape::write_json(out, &result(d, &artifact), false)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _totals: &Totals) -> std::io::Result<()> {
        self.start(out)?;
        writeln!(out, "]}}]}}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(percent_encode_path("site/a b%.html"), "site/a%20b%25.html");
        assert_eq!(percent_encode_path("é.html"), "%C3%A9.html");
        assert_eq!(
            artifact_location("x/p.html", Some(Path::new("./x/p.html"))),
            json!({"uri": "x/p.html", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(artifact_location("-", None), json!({"uri": "-"}));
    }
}

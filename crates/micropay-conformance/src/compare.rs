//! Comparison of an actual result with an expectation, as spec-fixtures/README.md defines it:
//! the number of links exactly, the listed keys of each link exactly, the encoding if given,
//! and the diagnostics as an exact multiset of (code, line, column, link, field).

use serde_json::Value;

/// The differences between `expected` and `actual`; empty when the case passes.
pub fn compare(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(encoding) = expected.get("encoding")
        && actual.get("encoding") != Some(encoding)
    {
        out.push(format!(
            "encoding: expected {encoding}, got {}",
            actual.get("encoding").unwrap_or(&Value::Null)
        ));
    }
    let empty = Vec::new();
    let expected_links = expected
        .get("links")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let actual_links = actual
        .get("links")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    if expected_links.len() != actual_links.len() {
        out.push(format!(
            "links: expected {}, got {}",
            expected_links.len(),
            actual_links.len()
        ));
    }
    for (i, (want, got)) in expected_links.iter().zip(actual_links).enumerate() {
        let Some(want) = want.as_object() else {
            out.push(format!("links[{i}]: the expectation is not an object"));
            continue;
        };
        for (key, value) in want {
            let actual_value = got.get(key).unwrap_or(&Value::Null);
            if actual_value != value {
                out.push(format!(
                    "links[{i}].{key}: expected {value}, got {actual_value}"
                ));
            }
        }
    }
    let want: Vec<Key> = expected
        .get("diagnostics")
        .and_then(Value::as_array)
        .unwrap_or(&empty)
        .iter()
        .map(Key::of)
        .collect();
    let got: Vec<Key> = actual
        .get("diagnostics")
        .and_then(Value::as_array)
        .unwrap_or(&empty)
        .iter()
        .map(Key::of)
        .collect();
    let mut unmatched = got.clone();
    for key in &want {
        if let Some(at) = unmatched.iter().position(|k| k == key) {
            unmatched.swap_remove(at);
        } else {
            out.push(format!("missing diagnostic {key}"));
        }
    }
    for key in unmatched {
        out.push(format!("unexpected diagnostic {key}"));
    }
    out
}

/// What identifies a diagnostic in the corpus (messages are not compared).
#[derive(Debug, Clone, PartialEq)]
struct Key {
    code: Value,
    line: Value,
    column: Value,
    link: Value,
    field: Value,
}

impl Key {
    fn of(d: &Value) -> Key {
        let get = |k: &str| d.get(k).cloned().unwrap_or(Value::Null);
        Key {
            code: get("code"),
            line: get("line"),
            column: get("column"),
            link: get("link"),
            field: get("field"),
        }
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} at {}:{} (link {}, field {})",
            self.code, self.line, self.column, self.link, self.field
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn listed_keys_and_the_diagnostic_multiset_are_compared() {
        let expected = json!({
            "links": [{"index": 0, "price": {"amount": "1", "currency": "USD"}}],
            "diagnostics": [{"code": "zero-price", "line": 1, "column": 2, "link": 0, "field": "price"}]
        });
        let actual = json!({
            "links": [{"index": 0, "price": {"amount": "1", "currency": "USD"}, "title": "x"}],
            "diagnostics": [{"code": "zero-price", "line": 1, "column": 2, "link": 0, "field": "price", "message": "m"}]
        });
        assert!(compare(&expected, &actual).is_empty());
    }

    #[test]
    fn every_kind_of_difference_is_reported() {
        let expected = json!({
            "encoding": "utf-8",
            "links": [{"index": 0, "valid": true}],
            "diagnostics": [{"code": "zero-price", "line": 1, "column": 2, "link": 0, "field": "price"}]
        });
        let actual = json!({
            "encoding": "windows-1252",
            "links": [{"index": 0, "valid": false}, {"index": 1}],
            "diagnostics": [{"code": "zero-price", "line": 1, "column": 3, "link": 0, "field": "price"}]
        });
        let diffs = compare(&expected, &actual);
        assert_eq!(diffs.len(), 5, "{diffs:#?}");
    }

    #[test]
    fn duplicates_count_in_the_multiset() {
        let d = json!({"code": "a", "line": 1, "column": 1, "link": null, "field": null});
        let expected = json!({"links": [], "diagnostics": [d.clone(), d.clone()]});
        let actual = json!({"links": [], "diagnostics": [d]});
        assert_eq!(compare(&expected, &actual).len(), 1);
    }
}

//! Every expectation is checked against spec-fixtures/schema/expected.schema.json.

use std::path::Path;

use serde_json::Value;

/// A compiled validator for expectation files.
pub struct Schema(jsonschema::Validator);

impl Schema {
    /// Loads the schema of the corpus at `root`.
    pub fn load(root: &Path) -> Result<Schema, String> {
        let path = root.join("schema/expected.schema.json");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let schema: Value = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
        jsonschema::validator_for(&schema)
            .map(Schema)
            .map_err(|e| format!("{} is not a valid JSON Schema: {e}", path.display()))
    }

    /// The schema violations of `expected`, one line each.
    pub fn violations(&self, expected: &Value) -> Vec<String> {
        self.0
            .iter_errors(expected)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    }
}

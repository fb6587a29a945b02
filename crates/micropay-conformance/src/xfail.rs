//! Known deviations of this implementation from the corpus, each with a reason.
//!
//! `expected-failures.txt` beside this crate's manifest: one `case-id: reason` per line, `#`
//! starts a comment. A listed case that passes, or a line naming no case, fails the run.

use std::collections::BTreeMap;
use std::path::Path;

/// The listed cases and why each is expected to fail.
pub fn load(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let mut entries = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        let Some((id, reason)) = line.split_once(':') else {
            return Err(format!(
                "{}:{}: expected `case-id: reason`",
                path.display(),
                n + 1
            ));
        };
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(format!(
                "{}:{}: an expected failure needs a reason",
                path.display(),
                n + 1
            ));
        }
        entries.insert(id.trim().to_owned(), reason.to_owned());
    }
    Ok(entries)
}

//! The inputs that once made a fuzz target fail (fuzz/regressions/), replayed through the
//! public API with the property the target checks: these need no nightly toolchain.

use std::path::{Path, PathBuf};

fn regressions(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no regressions in {}", dir.display());
    inputs
}

/// As `arbitrary` hands a fuzz target its `&str`: the longest UTF-8 prefix.
fn as_fuzz_text(bytes: &[u8]) -> &str {
    match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap(),
    }
}

#[test]
fn paymentsystem_values_print_as_they_parse() {
    // The property of fuzz/fuzz_targets/paymentsystem.rs: a value that parses prints a canonical
    // form that parses to the same value and prints the same.
    for (path, bytes) in regressions("paymentsystem") {
        let text = as_fuzz_text(&bytes);
        let Ok(value) = micropay_markup::PaymentSystem::parse(text) else {
            continue;
        };
        let canonical = value.to_string();
        let again = micropay_markup::PaymentSystem::parse(&canonical).unwrap();
        assert_eq!(again, value, "{}: {text:?}", path.display());
        assert_eq!(again.to_string(), canonical, "{}", path.display());
    }
}

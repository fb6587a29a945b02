//! Tests only: the fixture pages of the repository (`spec-fixtures/`, which the package carries
//! as `tests/pages`), for the tests that compare two ways of reading every page.

use std::path::{Path, PathBuf};

/// Every HTML and XHTML page of the fixtures, read; more than a hundred of them.
pub(crate) fn read_all() -> Vec<Vec<u8>> {
    let mut pages = Vec::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pages")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path: PathBuf = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e == "html" || e == "htm" || e == "xhtml")
            {
                pages.push(std::fs::read(&path).unwrap());
            }
        }
    }
    assert!(
        pages.len() > 100,
        "the fixture corpus was not found ({} pages)",
        pages.len()
    );
    pages
}

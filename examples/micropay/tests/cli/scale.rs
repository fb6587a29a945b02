//! Runs over many pages: every page is checked once, in path order, with nothing on stderr
//! when it is no terminal. (Memory over 10,000 pages is measured in docs/cli.md.)

use serde_json::Value;

use crate::{micropay, page};

/// A temporary directory of `count` pages in nested directories, each priced `price`.
pub(crate) fn pages(count: usize, price: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let body = page(price);
    for i in 0..count {
        let sub = dir.path().join(format!("d{}", i % 7));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join(format!("p{i}.html")), &body).unwrap();
    }
    dir
}

#[test]
fn hundreds_of_pages_are_checked_in_path_order() {
    let dir = pages(400, "0.01USD");
    std::fs::write(dir.path().join("d0/p77.html"), page("0.05 USD")).unwrap();
    let output = micropay()
        .arg("check")
        .arg(dir.path())
        .args(["--format", "json", "--no-config"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(output.stderr.is_empty(), "no progress into a pipe");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let summary = &report["summary"];
    assert_eq!(summary["files"], 400);
    assert_eq!(summary["links"], 400);
    assert_eq!(summary["valid_links"], 399);
    assert_eq!(summary["errors"], 1);
    let paths: Vec<std::path::PathBuf> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().into())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    let erring: Vec<&Value> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["diagnostics"].as_array().unwrap().is_empty())
        .collect();
    assert_eq!(erring.len(), 1);
    assert!(erring[0]["path"].as_str().unwrap().ends_with("d0/p77.html"));
}

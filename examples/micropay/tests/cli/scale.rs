//! Runs over many pages: every page is checked once, in path order, with nothing on stderr
//! when it is no terminal. (Memory over 10,000 pages is measured in docs/cli.md.)

use std::fmt::Write as _;

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

#[test]
fn extract_gives_every_one_of_a_thousand_links() {
    let dir = tempfile::tempdir().unwrap();
    let mut body =
        String::from("<!DOCTYPE html>\n<meta charset=\"utf-8\">\n<title>Archive</title>\n");
    for i in 0..1000 {
        let _ = writeln!(
            body,
            "<p><object type=\"application/x-per-fee-link\">\
             <param name=\"price\" value=\"0.{:02}USD\">\
             <param name=\"textlink\" value=\"Issue №{i}\">\
             <param name=\"title\" value=\"Back issue {i}\">\
             <param name=\"requesturl\" value=\"issues/{i}.html\">\
             <param name=\"paymentsystem\" value=\"https://ps.example/ shop={i}\">\
             <a href=\"issues/{i}.html\">Issue №{i}</a></object></p>",
            i % 100
        );
    }
    let page = dir.path().join("archive.html");
    std::fs::write(&page, body).unwrap();
    let output = micropay()
        .arg("extract")
        .arg(&page)
        .args(["--base-url", "https://news.example/archive.html"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let file: Value = serde_json::from_slice(&output.stdout).unwrap();
    let links = file["links"].as_array().unwrap();
    assert_eq!(links.len(), 1000);
    for (i, link) in links.iter().enumerate() {
        assert_eq!(link["index"], i);
        assert_eq!(link["line"], i + 4);
        assert_eq!(link["column"], 4);
        assert_eq!(link["valid"], true);
        let cents = i % 100;
        let amount = match cents {
            0 => "0".to_owned(),
            c if c % 10 == 0 => format!("0.{}", c / 10),
            c => format!("0.{c:02}"),
        };
        assert_eq!(link["price"]["amount"], amount.as_str());
        assert_eq!(link["textlink"], format!("Issue №{i}").as_str());
        assert_eq!(
            link["requesturl"],
            format!("https://news.example/issues/{i}.html").as_str()
        );
        assert_eq!(
            link["paymentsystems"][0]["info"],
            format!("shop={i}").as_str()
        );
        assert_eq!(link["fallback_href"], link["requesturl"]);
    }
    // One zero-price warning for each of the ten free issues, and nothing else.
    let diagnostics = file["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 10, "{diagnostics:#?}");
    assert!(diagnostics.iter().all(|d| d["code"] == "zero-price"));
}

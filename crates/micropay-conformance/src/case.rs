//! Cases of the corpus: a page under `spec-fixtures/cases/<area>/` and its expected result.

use std::path::{Path, PathBuf};

use micropay_markup::time::OffsetDateTime;
use micropay_markup::{Extractor, Syntax, Url};
use serde_json::Value;

/// The document URL a case gets when its options name none: the case's path under this.
pub const DEFAULT_ORIGIN: &str = "https://merchant.example/";

/// Extensions of fixture pages.
const PAGE_EXTENSIONS: [&str; 3] = ["html", "htm", "xhtml"];

/// One fixture page with its expectation.
#[derive(Debug, Clone)]
pub struct Case {
    /// `area/name`, the name of the test.
    pub id: String,
    /// The page.
    pub page: PathBuf,
    /// `<name>.expected.json`.
    pub expected_path: PathBuf,
    /// The page's path relative to `cases/`, `/`-separated.
    pub relative: String,
}

/// The corpus root: `$MICROPAY_SPEC_FIXTURES` if set (to run another copy of the corpus), else
/// `spec-fixtures/` at the top of the workspace.
pub fn corpus_root() -> PathBuf {
    std::env::var_os("MICROPAY_SPEC_FIXTURES").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec-fixtures"),
        PathBuf::from,
    )
}

/// Every case under `root/cases`, sorted by id. Pages without an expectation and expectations
/// without a page are returned as errors: the corpus must be complete.
pub fn discover(root: &Path) -> Result<Vec<Case>, String> {
    let cases_dir = root.join("cases");
    let mut files = Vec::new();
    walk(&cases_dir, &mut files)
        .map_err(|e| format!("cannot read {}: {e}", cases_dir.display()))?;
    files.sort();
    let mut cases = Vec::new();
    let mut problems = Vec::new();
    for file in &files {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let is_page = file
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| PAGE_EXTENSIONS.contains(&e));
        if is_page {
            let stem = file
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            let expected_path = file.with_file_name(format!("{stem}.expected.json"));
            if !expected_path.exists() {
                problems.push(format!("{} has no {stem}.expected.json", file.display()));
                continue;
            }
            let relative = relative_path(&cases_dir, file);
            let id = relative
                .rsplit_once('.')
                .map_or(relative.clone(), |(id, _)| id.to_owned());
            cases.push(Case {
                id,
                page: file.clone(),
                expected_path,
                relative,
            });
        } else if let Some(stem) = name.strip_suffix(".expected.json") {
            let has_page = PAGE_EXTENSIONS
                .iter()
                .any(|ext| file.with_file_name(format!("{stem}.{ext}")).exists());
            if !has_page {
                problems.push(format!("{} has no page", file.display()));
            }
        }
    }
    if problems.is_empty() {
        Ok(cases)
    } else {
        Err(problems.join("\n"))
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            walk(&entry.path(), out)?;
        } else {
            out.push(entry.path());
        }
    }
    Ok(())
}

fn relative_path(base: &Path, file: &Path) -> String {
    file.strip_prefix(base)
        .unwrap_or(file)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

impl Case {
    /// The expectation, parsed.
    pub fn expected(&self) -> Result<Value, String> {
        let text = std::fs::read_to_string(&self.expected_path)
            .map_err(|e| format!("cannot read {}: {e}", self.expected_path.display()))?;
        serde_json::from_str(&text)
            .map_err(|e| format!("{} is not JSON: {e}", self.expected_path.display()))
    }

    /// The extractor the case's options describe (README of spec-fixtures: absent keys take
    /// their defaults; a `null` document URL means the caller gives none).
    pub fn extractor(&self, expected: &Value) -> Result<Extractor, String> {
        let options = expected.get("options").cloned().unwrap_or(Value::Null);
        let mut extractor = Extractor::new();
        let document_url = match options.get("document_url") {
            None => Some(format!("{DEFAULT_ORIGIN}{}", self.relative)),
            Some(Value::Null) => None,
            Some(Value::String(url)) => Some(url.clone()),
            Some(other) => return Err(format!("options.document_url is not a string: {other}")),
        };
        if let Some(url) = document_url {
            let url = Url::parse(&url).map_err(|e| format!("bad document_url `{url}`: {e}"))?;
            extractor = extractor.document_url(url);
        }
        if let Some(charset) = options.get("charset").and_then(Value::as_str) {
            extractor = extractor.charset(charset);
        }
        if let Some(now) = options.get("now").and_then(Value::as_str) {
            let now = OffsetDateTime::parse(now, &time::format_description::well_known::Rfc3339)
                .map_err(|e| format!("bad options.now `{now}`: {e}"))?;
            extractor = extractor.now(now);
        }
        let xhtml = match options.get("syntax").and_then(Value::as_str) {
            Some("xhtml") => true,
            Some("html") => false,
            _ => self.page.extension().is_some_and(|e| e == "xhtml"),
        };
        Ok(extractor.syntax(if xhtml { Syntax::Xhtml } else { Syntax::Html }))
    }

    /// Runs the page through the parser: the per-file object of the JSON contract.
    pub fn run(&self, expected: &Value) -> Result<Value, String> {
        let bytes = std::fs::read(&self.page)
            .map_err(|e| format!("cannot read {}: {e}", self.page.display()))?;
        let document = self
            .extractor(expected)?
            .extract(&bytes)
            .map_err(|e| format!("extraction failed: {e}"))?;
        serde_json::to_value(&document).map_err(|e| format!("cannot serialise: {e}"))
    }
}

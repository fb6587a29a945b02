//! Which documents a command reads, and the URL and syntax each is read with.

use std::io::Read;
use std::path::{Path, PathBuf};

use micropay_markup::{Syntax, Url};

use crate::cli::DocumentOptions;

/// One document to read.
pub(crate) struct Input {
    /// The path as shown in output (`-` for standard input).
    pub(crate) display: String,
    path: Option<PathBuf>,
    pub(crate) document_url: Option<Url>,
    pub(crate) syntax: Syntax,
}

impl Input {
    /// The bytes of the document.
    pub(crate) fn read(&self) -> Result<Vec<u8>, String> {
        if let Some(path) = &self.path {
            return std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()));
        }
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(bytes)
    }
}

fn is_page(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "html" | "htm" | "xhtml"))
}

fn syntax_of(path: &Path, options: &DocumentOptions) -> Syntax {
    match options.syntax {
        Some(s) => s.into(),
        None if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xhtml")) =>
        {
            Syntax::Xhtml
        }
        None => Syntax::Html,
    }
}

/// The documents named by `paths`, directories walked recursively, in path order.
pub(crate) fn collect(paths: &[PathBuf], options: &DocumentOptions) -> Result<Vec<Input>, String> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input {
                display: "-".to_owned(),
                path: None,
                document_url: options.base_url.clone(),
                syntax: options.syntax.map_or(Syntax::Html, Into::into),
            });
            continue;
        }
        let metadata =
            std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if metadata.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            found.sort();
            for file in found {
                let relative = file.strip_prefix(path).unwrap_or(&file);
                let document_url = match &options.base_url {
                    Some(base) => base.join(&url_path(relative)).ok(),
                    None => file_url(&file),
                };
                inputs.push(Input {
                    display: file.display().to_string(),
                    syntax: syntax_of(&file, options),
                    path: Some(file),
                    document_url,
                });
            }
        } else {
            inputs.push(Input {
                display: path.display().to_string(),
                document_url: options.base_url.clone().or_else(|| file_url(path)),
                syntax: syntax_of(path, options),
                path: Some(path.clone()),
            });
        }
    }
    Ok(inputs)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            walk(&path, found)?;
        } else if is_page(&path) {
            found.push(path);
        }
    }
    Ok(())
}

fn file_url(path: &Path) -> Option<Url> {
    let absolute = std::fs::canonicalize(path).ok()?;
    Url::from_file_path(absolute).ok()
}

/// A relative file path as a relative URL path (`/`-separated, percent-encoded by the parser).
fn url_path(relative: &Path) -> String {
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().replace('%', "%25"))
        .collect::<Vec<_>>()
        .join("/")
}

//! Which documents a command reads, and how each is read: URL, syntax, charset, and what the
//! nearest `micropay.toml` allows and denies for it.

use std::path::{Path, PathBuf};

use micropay_markup::{Code, Syntax, Url};

use crate::cli::DocumentOptions;
use crate::config::{Config, Configs};
use crate::input_limit::{self, InputLimit};

/// Where a document's bytes come from.
enum Source {
    Stdin,
    File(PathBuf),
    /// A path that could not even be looked at; reading it reports this.
    Broken(String),
}

/// One document to read.
pub(crate) struct Input {
    /// The path as shown in output (`-` for standard input).
    pub(crate) display: String,
    source: Source,
    /// Size on disk, for batching (0 when unknown).
    pub(crate) size: u64,
    pub(crate) document_url: Option<Url>,
    pub(crate) syntax: Syntax,
    pub(crate) charset: Option<String>,
    /// Codes dropped for this document (micropay.toml `[[allow]]`).
    pub(crate) allowed: Vec<Code>,
    /// Whether warnings fail the run for this document.
    pub(crate) deny_warnings: bool,
    /// The most bytes it may have.
    limit: InputLimit,
}

impl Input {
    /// The bytes of the document, at most its input size limit.
    pub(crate) fn read(&self) -> Result<Vec<u8>, String> {
        match &self.source {
            Source::File(path) => input_limit::read_file(path, self.limit),
            Source::Stdin => input_limit::read_stdin(self.limit),
            Source::Broken(message) => Err(message.clone()),
        }
    }

    /// The file, unless the document is standard input.
    pub(crate) fn path(&self) -> Option<&Path> {
        match &self.source {
            Source::File(path) => Some(path),
            Source::Stdin | Source::Broken(_) => None,
        }
    }
}

/// The options every document of one run shares.
pub(crate) struct Settings<'a> {
    pub(crate) document: &'a DocumentOptions,
    /// `--deny-warnings` / `--no-deny-warnings`.
    pub(crate) deny_warnings: Option<bool>,
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

/// The documents named by `paths`, in the order given; directories are walked recursively
/// (skipping hidden and git-ignored files) and their pages sorted by path. A file named
/// explicitly is always read. A path named twice is read once.
pub(crate) fn collect(
    paths: &[PathBuf],
    settings: &Settings<'_>,
    configs: &mut Configs,
) -> Result<Vec<Input>, String> {
    let mut inputs = Vec::new();
    // Pages and directories by what they are on disk: one named under two spellings
    // (`site/a.html`, `./site/a.html`, `site/../site/a.html`, a link to it) is read once,
    // under the first.
    let mut seen = std::collections::HashSet::new();
    for path in paths {
        if path.as_os_str() == "-" {
            if seen.insert(path.clone()) {
                inputs.push(stdin(settings, configs)?);
            }
            continue;
        }
        if !seen.insert(identity(path)) {
            continue;
        }
        match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_dir() => {
                let (found, broken) = walk(path);
                inputs.extend(broken);
                for (file, size) in found {
                    if !seen.insert(identity(&file)) {
                        continue;
                    }
                    // Under `.` (also the default), pages are named without `./`.
                    let file = match file.strip_prefix(".") {
                        Ok(below) if path.as_os_str() == "." => below.to_path_buf(),
                        _ => file,
                    };
                    let relative = file.strip_prefix(path).unwrap_or(&file);
                    let url = match &settings.document.base_url {
                        Some(base) => DocumentUrl::Given(base.join(&url_path(relative)).ok()),
                        None => DocumentUrl::Default,
                    };
                    inputs.push(file_input(file, size, url, settings, configs)?);
                }
            }
            Ok(metadata) => {
                let url = match &settings.document.base_url {
                    Some(base) => DocumentUrl::Given(Some(base.clone())),
                    None => DocumentUrl::Default,
                };
                inputs.push(file_input(
                    path.clone(),
                    metadata.len(),
                    url,
                    settings,
                    configs,
                )?);
            }
            Err(error) => inputs.push(broken(
                path,
                format!("cannot read {}: {error}", path.display()),
            )),
        }
    }
    Ok(inputs)
}

/// What `path` is on disk, whatever its spelling: its canonical path, or the path as given
/// when it has none (it does not exist: reading it reports that).
fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn broken(path: &Path, message: String) -> Input {
    Input {
        display: path.display().to_string(),
        source: Source::Broken(message),
        size: 0,
        document_url: None,
        syntax: Syntax::Html,
        charset: None,
        allowed: Vec::new(),
        deny_warnings: false,
        limit: InputLimit::DEFAULT,
    }
}

/// The input size limit of a document: the command line beats micropay.toml, which beats the
/// default.
fn limit(settings: &Settings<'_>, config: Option<&Config>) -> InputLimit {
    settings
        .document
        .limit
        .max_input_size
        .or_else(|| config.and_then(|c| c.max_input_size))
        .unwrap_or_default()
}

fn stdin(settings: &Settings<'_>, configs: &mut Configs) -> Result<Input, String> {
    let config = configs.for_dir(Path::new("."))?;
    let config = config.as_deref();
    Ok(Input {
        display: "-".to_owned(),
        source: Source::Stdin,
        size: 0,
        document_url: settings.document.base_url.clone(),
        syntax: settings.document.syntax.map_or(Syntax::Html, Into::into),
        charset: settings
            .document
            .charset
            .clone()
            .or_else(|| config.and_then(|c| c.charset.clone())),
        allowed: config.map(|c| c.allowed(None)).unwrap_or_default(),
        deny_warnings: settings
            .deny_warnings
            .or_else(|| config.and_then(|c| c.deny_warnings))
            .unwrap_or(false),
        limit: limit(settings, config),
    })
}

/// The document URL of a file, as far as the command line decides it.
enum DocumentUrl {
    /// `--base-url` gives this one (`None`: the file's path does not join onto it).
    Given(Option<Url>),
    /// No `--base-url`: micropay.toml's `base_url`, else the file's `file:` URL.
    Default,
}

/// A file to read.
fn file_input(
    file: PathBuf,
    size: u64,
    url: DocumentUrl,
    settings: &Settings<'_>,
    configs: &mut Configs,
) -> Result<Input, String> {
    let config = configs.for_dir(file.parent().unwrap_or(Path::new(".")))?;
    let config = config.as_deref();
    // The command line beats micropay.toml, which beats the file's own file:// URL.
    let document_url = match url {
        DocumentUrl::Given(url) => url,
        DocumentUrl::Default => config
            .and_then(|c| {
                Some(
                    c.base_url
                        .as_ref()?
                        .join(&url_escape(&c.relative(&file)?))
                        .ok(),
                )
            })
            .unwrap_or_else(|| file_url(&file)),
    };
    Ok(Input {
        display: file.display().to_string(),
        size,
        document_url,
        syntax: syntax_of(&file, settings.document),
        charset: settings
            .document
            .charset
            .clone()
            .or_else(|| config.and_then(|c| c.charset.clone())),
        allowed: config.map(|c| c.allowed(Some(&file))).unwrap_or_default(),
        deny_warnings: settings
            .deny_warnings
            .or_else(|| config.and_then(|c| c.deny_warnings))
            .unwrap_or(false),
        limit: limit(settings, config),
        source: Source::File(file),
    })
}

/// The pages under `dir` with their sizes, sorted by path, and what could not be walked.
fn walk(dir: &Path) -> (Vec<(PathBuf, u64)>, Vec<Input>) {
    let mut found = Vec::new();
    let mut broken = Vec::new();
    // Hidden files and what .gitignore, .ignore and .git/info/exclude exclude are skipped,
    // in a git checkout or not.
    let walker = ignore::WalkBuilder::new(dir).require_git(false).build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if is_file && is_page(entry.path()) {
                    let size = entry.metadata().map_or(0, |m| m.len());
                    found.push((entry.into_path(), size));
                }
            }
            Err(error) => {
                let path = error_path(&error).unwrap_or(dir).to_path_buf();
                broken.push(self::broken(
                    &path,
                    format!("cannot read {}: {}", path.display(), error_message(&error)),
                ));
            }
        }
    }
    found.sort();
    (found, broken)
}

/// The path an error of the walk is about.
fn error_path(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

/// The error without the path (which the caller prints once).
fn error_message(error: &ignore::Error) -> String {
    match error {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => error_message(err),
        other => other.to_string(),
    }
}

fn file_url(path: &Path) -> Option<Url> {
    let absolute = std::fs::canonicalize(path).ok()?;
    Url::from_file_path(absolute).ok()
}

/// A relative file path as a relative URL path (`/`-separated, percent-encoded by the parser).
fn url_path(relative: &Path) -> String {
    url_escape(
        &relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// Escapes what a file name may hold but a URL path may not mean literally; the URL parser
/// percent-encodes the rest.
fn url_escape(path: &str) -> String {
    path.replace('%', "%25")
        .replace('?', "%3F")
        .replace('#', "%23")
}

#[cfg(test)]
impl Input {
    /// A placeholder input of `size` bytes.
    pub(crate) fn for_test(path: &Path, size: u64) -> Input {
        Input {
            size,
            ..broken(path, String::new())
        }
    }
}

/// How a named input is shown in messages: `standard input` for `-`.
pub(crate) fn shown(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "standard input".to_owned()
    } else {
        path.display().to_string()
    }
}

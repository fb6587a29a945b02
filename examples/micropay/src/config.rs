//! `micropay.toml`: per-project defaults for `check` and an allow-list of codes per path.
//!
//! The file nearest to a checked page wins: `check` looks in the page's directory, then in each
//! parent, and uses the first `micropay.toml` it finds (files are not merged). Command-line
//! options beat the file. The format is documented in docs/cli.md:
//!
//! ```toml
//! base_url = "https://merchant.example/"  # where the directory of this file is served
//! charset = "iso-8859-1"                  # what the server declares for these pages
//! deny_warnings = true                    # warnings fail the run, too
//! format = "human"                        # human, json, sarif or github
//! max_input_size = "64MiB"                # the most bytes one page may have
//!
//! [[allow]]                               # drop these codes for these pages
//! paths = ["legacy/**"]                   # globs relative to this file's directory
//! codes = ["alias-field-name", "legacy-paymentsystem-name"]
//! reason = "the 1999 archive stays as it was published"
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use micropay_markup::{Code, Url};
use serde::Deserialize;

use crate::cli::Format;
use crate::input_limit::{self, InputLimit};

/// The name `check` looks for.
pub(crate) const FILE_NAME: &str = "micropay.toml";

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    base_url: Option<Url>,
    charset: Option<String>,
    deny_warnings: Option<bool>,
    format: Option<Format>,
    max_input_size: Option<InputLimit>,
    #[serde(default)]
    allow: Vec<RawAllow>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAllow {
    /// Globs relative to the file's directory; absent: every page under it.
    #[serde(default)]
    paths: Option<Vec<String>>,
    codes: Vec<Code>,
    /// Why: for the reader of the file; accepted and not used.
    #[serde(default, rename = "reason")]
    _reason: Option<String>,
}

/// One allow-list entry: these codes on pages matching these globs.
#[derive(Debug)]
struct Allow {
    paths: Option<GlobSet>,
    codes: Vec<Code>,
}

/// A loaded `micropay.toml`.
#[derive(Debug)]
pub(crate) struct Config {
    /// The directory the file is in (absolute): globs and `base_url` are relative to it.
    dir: PathBuf,
    /// The URL the directory is served at.
    pub(crate) base_url: Option<Url>,
    /// The charset the server declares for the pages.
    pub(crate) charset: Option<String>,
    /// Whether warnings fail the run.
    pub(crate) deny_warnings: Option<bool>,
    /// The default output format.
    pub(crate) format: Option<Format>,
    /// The most bytes one page may have.
    pub(crate) max_input_size: Option<InputLimit>,
    allow: Vec<Allow>,
}

impl Config {
    /// Reads (at most `limit` bytes) and checks one file (`-`: standard input); any problem is
    /// one line naming the file, line and column.
    pub(crate) fn load(path: &Path, limit: InputLimit) -> Result<Config, String> {
        let text = String::from_utf8(input_limit::read_named(path, limit)?)
            .map_err(|_| format!("{}: not UTF-8 text", path.display()))?;
        let raw: Raw = toml::from_str(&text).map_err(|e| {
            let (line, column) = e
                .span()
                .map_or((1, 1), |span| line_column(&text, span.start));
            format!(
                "{}:{line}:{column}: {}",
                path.display(),
                e.message().trim_end()
            )
        })?;
        let mut allow = Vec::new();
        for entry in raw.allow {
            let paths = match entry.paths {
                None => None,
                Some(globs) => {
                    let mut set = GlobSetBuilder::new();
                    for glob in &globs {
                        let glob = GlobBuilder::new(glob)
                            .literal_separator(true)
                            .build()
                            .map_err(|e| format!("{}: in [[allow]] paths: {e}", path.display()))?;
                        set.add(glob);
                    }
                    Some(
                        set.build()
                            .map_err(|e| format!("{}: in [[allow]] paths: {e}", path.display()))?,
                    )
                }
            };
            allow.push(Allow {
                paths,
                codes: entry.codes,
            });
        }
        // P-10: a charset the Encoding Standard does not know is refused here, once.
        if let Some(label) = &raw.charset
            && micropay_markup::check_charset(label).is_some()
        {
            return Err(format!(
                "{}: charset `{label}` is not an encoding label of the WHATWG Encoding Standard",
                path.display()
            ));
        }
        let dir = if path.as_os_str() == "-" {
            absolute(Path::new("."))
        } else {
            absolute(path.parent().unwrap_or(Path::new(".")))
        };
        Ok(Config {
            dir,
            base_url: raw.base_url,
            charset: raw.charset,
            deny_warnings: raw.deny_warnings,
            format: raw.format,
            max_input_size: raw.max_input_size,
            allow,
        })
    }

    /// The path of `file` relative to the file's directory, `/`-separated; `None` if outside.
    pub(crate) fn relative(&self, file: &Path) -> Option<String> {
        let relative = absolute(file).strip_prefix(&self.dir).ok()?.to_path_buf();
        Some(
            relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/"),
        )
    }

    /// The codes allowed on `file` (none for standard input, which has no path).
    pub(crate) fn allowed(&self, file: Option<&Path>) -> Vec<Code> {
        let relative = file.and_then(|f| self.relative(f));
        let mut codes: Vec<Code> = self
            .allow
            .iter()
            .filter(|a| match (&a.paths, &relative) {
                (None, _) => true,
                (Some(globs), Some(relative)) => globs.is_match(relative),
                (Some(_), None) => false,
            })
            .flat_map(|a| a.codes.iter().copied())
            .collect();
        codes.sort_unstable();
        codes.dedup();
        codes
    }
}

/// 1-based line and column (in characters) of byte `offset` of `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Which configuration applies where: the nearest file, one given file, or none.
pub(crate) enum Configs {
    /// Look upward from each page; remembers what each directory resolved to. Files are
    /// read within the input size limit given.
    Nearest(HashMap<PathBuf, Option<Arc<Config>>>, InputLimit),
    /// `--config FILE` or `--no-config`.
    Fixed(Option<Arc<Config>>),
}

impl Configs {
    /// `--config FILE`, `--no-config`, or the nearest-file search; a file is read within
    /// `limit` (the command line's, or the default: a file cannot raise its own).
    pub(crate) fn new(
        file: Option<&Path>,
        none: bool,
        limit: InputLimit,
    ) -> Result<Configs, String> {
        Ok(match (file, none) {
            (Some(file), _) => Configs::Fixed(Some(Arc::new(Config::load(file, limit)?))),
            (None, true) => Configs::Fixed(None),
            (None, false) => Configs::Nearest(HashMap::new(), limit),
        })
    }

    /// The configuration for a page in directory `dir` (or for standard input: the current
    /// directory).
    pub(crate) fn for_dir(&mut self, dir: &Path) -> Result<Option<Arc<Config>>, String> {
        let (cache, limit) = match self {
            Configs::Fixed(config) => return Ok(config.clone()),
            Configs::Nearest(cache, limit) => (cache, *limit),
        };
        let start = absolute(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        });
        let mut visited = Vec::new();
        let mut found = None;
        for ancestor in start.ancestors() {
            if let Some(known) = cache.get(ancestor) {
                found.clone_from(known);
                break;
            }
            visited.push(ancestor.to_path_buf());
            let candidate = ancestor.join(FILE_NAME);
            if candidate.is_file() {
                found = Some(Arc::new(Config::load(&candidate, limit)?));
                break;
            }
        }
        for dir in visited {
            cache.insert(dir, found.clone());
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_toml_errors_are_one_based() {
        assert_eq!(line_column("a = 1\nbé = x", 10), (2, 4));
        assert_eq!(line_column("x", 0), (1, 1));
    }
}

//! `micropay render FILE.json|FILE.toml|-`: canonical per-fee-link markup for link
//! descriptions (the library's `render`). The markup goes to stdout; the warnings the checker
//! would give it (a zero price, a withdrawn currency, a target such as `_new` ...) go to
//! stderr.
//!
//! What `extract` and `check --format json` print is accepted as it is: a link object is one
//! description; a document object (with `links`) and a report (with `files`) give one block of
//! markup per link, in order.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use micropay_markup::{Extractor, LinkDescription, Severity};
use serde::Deserialize;
use serde_json::Value;

use crate::Failure;
use crate::cli::RenderArgs;
use crate::input_limit;
use crate::suggest;

/// The keys of a link description (those of `extract`'s link object that say what a link is,
/// and those that say where it was found, which are ignored).
const KEYS: &[&str] = &[
    "price",
    "textlink",
    "requesturl",
    "paymentsystems",
    "title",
    "imagelink",
    "buyid",
    "baseurl",
    "longdesc",
    "merchantname",
    "duration",
    "expiration",
    "target",
    "hreflang",
    "type",
    "accesskey",
    "charset",
    "extdata",
    "extdataparam",
    "extensions",
    "index",
    "element",
    "line",
    "column",
    "valid",
    "fallback_href",
    "object",
];

/// A serde message naming an unknown key, with the key nearest to it.
fn with_suggestion(message: &str) -> String {
    let unknown = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next());
    match unknown {
        Some(key) => {
            // serde lists the expected keys after the unknown one; ours is shorter.
            let expected = message.find(", expected").unwrap_or(message.len());
            format!(
                "{}{}",
                &message[..expected],
                suggest::did_you_mean(key, KEYS.iter().copied())
            )
        }
        None => message.to_owned(),
    }
}

/// How the input is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Json,
    Toml,
}

/// The syntax of `path` by its extension; standard input by its first character.
fn syntax(path: &Path, text: &str) -> Result<Syntax, String> {
    if path.as_os_str() == "-" {
        return Ok(if text.trim_start().starts_with(['{', '[']) {
            Syntax::Json
        } else {
            Syntax::Toml
        });
    }
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("json") => Ok(Syntax::Json),
        Some("toml") => Ok(Syntax::Toml),
        _ => Err(format!(
            "{}: a link description is a .json or .toml file (or `-`, standard input)",
            path.display()
        )),
    }
}

/// The descriptions in `text`: one, or one per link of a document or of a report.
fn descriptions(shown: &str, text: &str, syntax: Syntax) -> Result<Vec<LinkDescription>, String> {
    if syntax == Syntax::Toml {
        return toml::from_str(text).map(|d| vec![d]).map_err(|e| {
            let place = e.span().map_or_else(String::new, |span| {
                let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                format!(" (line {line})")
            });
            format!(
                "{shown}{place}: {}",
                with_suggestion(e.message().trim_end())
            )
        });
    }
    let value: Value = serde_json::from_str(text).map_err(|e| format!("{shown}: {e}"))?;
    let one = |value: &Value, at: &str| {
        LinkDescription::deserialize(value)
            .map_err(|e| format!("{shown}{at}: {}", with_suggestion(&e.to_string())))
    };
    // A report of `check --format json`, a document of `extract`, or a link.
    let links: Vec<(String, &Value)> = if let Some(files) = value.get("files") {
        let files = files
            .as_array()
            .ok_or_else(|| format!("{shown}: `files` is not an array"))?;
        let mut links = Vec::new();
        for (f, file) in files.iter().enumerate() {
            for (l, link) in links_of(shown, file, &format!("files[{f}]."))? {
                links.push((l, link));
            }
        }
        links
    } else if value.get("links").is_some() {
        links_of(shown, &value, "")?
    } else {
        return one(&value, "").map(|d| vec![d]);
    };
    links
        .iter()
        .map(|(at, link)| one(link, &format!(": {at}")))
        .collect()
}

/// The links of a document object, each with where it is (`links[2]`).
fn links_of<'v>(
    shown: &str,
    document: &'v Value,
    prefix: &str,
) -> Result<Vec<(String, &'v Value)>, String> {
    let links = document
        .get("links")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{shown}: {prefix}links is not an array of links"))?;
    Ok(links
        .iter()
        .enumerate()
        .map(|(i, link)| (format!("{prefix}links[{i}]"), link))
        .collect())
}

/// `micropay render`.
pub(crate) fn run(args: &RenderArgs) -> Result<ExitCode, Failure> {
    let shown = crate::inputs::shown(&args.file);
    let bytes = input_limit::read_named(&args.file, args.limit.or_default())?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{shown}: not UTF-8 text"))?;
    let syntax = syntax(&args.file, &text)?;
    // Every description is checked before anything is written: no half output.
    let descriptions = descriptions(&shown, &text, syntax)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (i, description) in descriptions.iter().enumerate() {
        let markup = micropay_markup::render(description);
        if i > 0 {
            out.write_all(b"\n")?;
        }
        out.write_all(markup.as_bytes())?;
        // Descriptions that extraction would reject do not load; warnings are worth a word.
        let doc = Extractor::new()
            .extract_str(&markup)
            .map_err(|e| format!("cannot check the rendered markup: {e}"))?;
        for d in doc.diagnostics() {
            if d.severity() == Severity::Warning {
                let field = d.field().unwrap_or("link");
                let which = if descriptions.len() > 1 {
                    format!("link {i}, ")
                } else {
                    String::new()
                };
                eprintln!(
                    "micropay: warning[{}] ({which}{field}): {}",
                    d.code(),
                    crate::escape::terminal(d.message())
                );
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

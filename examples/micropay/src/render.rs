//! `micropay render FILE.json|FILE.toml`: canonical per-fee-link markup for a link description
//! (the library's `render`). The markup goes to stdout; the warnings the checker would give
//! it (a zero price, a withdrawn currency, a target such as `_new` ...) go to stderr.

use std::io::Write;
use std::process::ExitCode;

use micropay_markup::{Extractor, LinkDescription, Severity};

use crate::Failure;
use crate::cli::RenderArgs;
use crate::input_limit::{self, InputLimit};

/// Reads a description by the file's extension; errors are one line naming the file.
fn load(path: &std::path::Path, limit: InputLimit) -> Result<LinkDescription, String> {
    let shown = path.display();
    let text = input_limit::read_text_file(path, limit)?;
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("json") => serde_json::from_str(&text).map_err(|e| format!("{shown}: {e}")),
        Some("toml") => toml::from_str(&text).map_err(|e| {
            let place = e.span().map_or_else(String::new, |span| {
                let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                format!(" (line {line})")
            });
            format!("{shown}{place}: {}", e.message().trim_end())
        }),
        _ => Err(format!(
            "{shown}: a link description is a .json or .toml file"
        )),
    }
}

/// `micropay render`.
pub(crate) fn run(args: &RenderArgs) -> Result<ExitCode, Failure> {
    let description = load(&args.file, args.limit.or_default())?;
    let markup = micropay_markup::render(&description);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(markup.as_bytes())?;
    out.flush()?;
    // Descriptions that extraction would reject do not load; warnings are worth a word.
    let doc = Extractor::new()
        .extract_str(&markup)
        .map_err(|e| format!("cannot check the rendered markup: {e}"))?;
    for d in doc.diagnostics() {
        if d.severity == Severity::Warning {
            let field = d.field.as_deref().unwrap_or("link");
            eprintln!("micropay: warning[{}] ({field}): {}", d.code, d.message);
        }
    }
    Ok(ExitCode::SUCCESS)
}

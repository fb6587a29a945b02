//! `micropay explain [CODE]`: the rule behind a diagnostic code, an example and the fix; with
//! no code, one line per code. The texts live in `explanations`; SARIF reuses them.

use std::io::Write;
use std::process::ExitCode;

use micropay_markup::Code;

use crate::Failure;
use crate::cli::ExplainArgs;
use crate::explanations::{self, Explanation};

/// The explanation of a code of the library (every code has one: a test checks it).
pub(crate) fn of(code: Code) -> &'static Explanation {
    explanations::find(code.as_str()).expect("every code has an explanation")
}

/// How to check the example, as command-line options.
fn options(e: &Explanation) -> String {
    let mut options = Vec::new();
    if e.setting.xhtml {
        options.push("--syntax xhtml".to_owned());
    }
    match e.setting.base_url {
        Some(url) => options.push(format!("--base-url {url}")),
        None => options.push("(from standard input, no --base-url)".to_owned()),
    }
    if let Some(now) = e.setting.now {
        options.push(format!("--now {now}"));
    }
    options.join(" ")
}

/// Lines of an example longer than this many characters are shown cut.
const SHOWN_LINE: usize = 100;

/// The example as shown: a line longer than [`SHOWN_LINE`] characters (the examples of the
/// limits repeat a tag hundreds of times on one line) is cut, with a note of its length.
fn shown(example: &[u8]) -> String {
    let lines: Vec<String> = String::from_utf8_lossy(example)
        .lines()
        .map(|line| {
            let length = line.chars().count();
            if length <= SHOWN_LINE {
                line.to_owned()
            } else {
                let start: String = line.chars().take(SHOWN_LINE - 30).collect();
                format!("{start} … ({length} characters on this line)")
            }
        })
        .collect();
    lines.join("\n")
}

/// The full text: heading, rule, example, fix.
pub(crate) fn text(code: Code) -> String {
    let e = of(code);
    let example = shown(e.example);
    let indented: Vec<String> = example.lines().map(|l| format!("    {l}")).collect();
    format!(
        "{} ({}, {})\n\nRule: {}\n\nExample, checked with {}:\n{}\n\nFix: {}\n",
        e.code,
        code.severity(),
        code.rule(),
        e.rule,
        options(e),
        indented.join("\n"),
        e.fix
    )
}

/// The same as Markdown, for SARIF viewers.
pub(crate) fn markdown(code: Code) -> String {
    let e = of(code);
    format!(
        "**{}** ({}, profile rule {})\n\n{}\n\nExample (checked with `{}`):\n\n```html\n{}\n```\n\n**Fix:** {}\n",
        e.code,
        code.severity(),
        code.rule(),
        e.rule,
        options(e),
        shown(e.example),
        e.fix
    )
}

/// `micropay explain`.
pub(crate) fn run(args: &ExplainArgs) -> Result<ExitCode, Failure> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if let Some(name) = &args.code {
        let Some(code) = Code::from_name(name) else {
            let names = Code::ALL.iter().map(|c| c.as_str());
            return Err(Failure::Usage(format!(
                "unknown diagnostic code `{name}`{} (`micropay explain` lists them)",
                crate::suggest::did_you_mean(name, names)
            )));
        };
        out.write_all(text(code).as_bytes())?;
    } else {
        let width = Code::ALL
            .iter()
            .map(|c| c.as_str().len())
            .max()
            .unwrap_or(0);
        for &code in Code::ALL {
            writeln!(
                out,
                "{:width$}  {:7}  {:5}  {}",
                code.as_str(),
                code.severity().as_str(),
                code.rule(),
                of(code).summary
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use micropay_markup::{Extractor, Syntax, time::OffsetDateTime};

    use super::*;

    #[test]
    fn every_code_has_one_explanation_in_profile_order() {
        let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let explained: Vec<&str> = explanations::all().map(|e| e.code).collect();
        assert_eq!(codes, explained);
    }

    #[test]
    fn every_example_triggers_its_code() {
        for e in explanations::all() {
            let mut extractor = Extractor::new();
            if let Some(url) = e.setting.base_url {
                extractor = extractor.document_url(url.parse().unwrap());
            }
            if let Some(now) = e.setting.now {
                let now =
                    OffsetDateTime::parse(now, &time::format_description::well_known::Rfc3339)
                        .unwrap();
                extractor = extractor.now(now);
            }
            if e.setting.xhtml {
                extractor = extractor.syntax(Syntax::Xhtml);
            }
            let doc = extractor.extract(e.example).unwrap();
            let found: Vec<&str> = doc
                .diagnostics()
                .iter()
                .map(|d| d.code().as_str())
                .collect();
            assert!(
                found.contains(&e.code),
                "the example of {} gives {found:?}",
                e.code
            );
        }
    }

    #[test]
    fn texts_name_severity_and_rule() {
        let text = text(Code::InvalidPrice);
        assert!(text.starts_with("invalid-price (error, P-3)\n"));
        assert!(text.contains("Fix: "));
        assert!(markdown(Code::ZeroPrice).contains("```html\n"));
    }

    #[test]
    fn long_example_lines_are_shown_cut() {
        let text = text(Code::NestingTooDeep);
        assert!(
            text.contains("<div><div> … (1285 characters on this line)"),
            "{text}"
        );
        let example = text.lines().filter(|l| l.starts_with("    "));
        assert!(example.into_iter().all(|l| l.chars().count() < 120));
    }
}

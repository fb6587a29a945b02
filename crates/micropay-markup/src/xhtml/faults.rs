//! quick-xml's own faults (syntax, end tags, comments, references, namespace declarations)
//! in the words of this checker.

use quick_xml::errors::{Error as XmlError, IllFormedError, SyntaxError};

use super::Fault;
use super::entities::stray_ampersand;
use super::names::is_space;
use super::namespaces;

/// The fault quick-xml reported: `at` is its error position, `before` where the event began,
/// `after` how far it read; `open` the innermost open element and where it starts.
pub(crate) fn translate(
    error: &XmlError,
    text: &str,
    open: Option<(&str, String)>,
    [at, before, after]: [usize; 3],
) -> Fault {
    let end = text.len();
    match error {
        XmlError::Syntax(syntax) => {
            let message = match syntax {
                SyntaxError::InvalidBangMarkup => {
                    return Fault::new(
                        at,
                        "`<!` must begin a comment `<!--`, a CDATA section `<![CDATA[` or a `<!DOCTYPE`",
                    );
                }
                SyntaxError::UnclosedPI | SyntaxError::UnclosedXmlDecl => {
                    "the processing instruction is not closed: no `?>` before the end of the document"
                }
                SyntaxError::UnclosedComment => {
                    "the comment is not closed: no `-->` before the end of the document"
                }
                SyntaxError::UnclosedDoctype => {
                    "the DOCTYPE is not closed: no `>` before the end of the document"
                }
                SyntaxError::UnclosedCData => {
                    "the CDATA section is not closed: no `]]>` before the end of the document"
                }
                SyntaxError::UnclosedTag => {
                    "the tag is not closed: no `>` before the end of the document"
                }
                SyntaxError::UnclosedSingleQuotedAttributeValue
                | SyntaxError::UnclosedDoubleQuotedAttributeValue => {
                    "an attribute value in this tag has no closing quote before the end of the document"
                }
            };
            Fault::new(at, message).found_at(end)
        }
        XmlError::IllFormed(ill) => match ill {
            IllFormedError::MismatchedEndTag { expected, found } => {
                let opened = open
                    .map(|(_, position)| format!(", opened at {position}"))
                    .unwrap_or_default();
                let message = if found
                    .strip_prefix(expected.as_str())
                    .is_some_and(|rest| rest.starts_with(is_space))
                {
                    format!("the end tag of `<{expected}>` may hold only its name")
                } else {
                    format!(
                        "the end tag `</{found}>` does not match the open element `<{expected}>`{opened}"
                    )
                };
                Fault::new(at, message)
                    .with_hint("close elements in the reverse order of their start tags")
            }
            IllFormedError::UnmatchedEndTag(name) => Fault::new(
                at,
                format!("the end tag `</{name}>` closes no open element"),
            ),
            IllFormedError::DoubleHyphenInComment => {
                Fault::new(at, "`--` is not allowed inside a comment")
            }
            IllFormedError::UnclosedReference => stray_ampersand(at),
            IllFormedError::MissingDoctypeName => {
                Fault::new(before, "the DOCTYPE lacks the name of the root element")
            }
            other => Fault::new(at, other.to_string()),
        },
        XmlError::Namespace(namespace) => namespaces::refused(namespace, text, before, after),
        other => Fault::new(at, other.to_string()),
    }
}

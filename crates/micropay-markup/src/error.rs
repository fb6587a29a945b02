//! Failures of the call itself. Problems of the document are diagnostics, never errors.

/// Why a call could not be carried out: an extraction that could not run at all, or a link
/// description that cannot be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The caller named a character encoding that the WHATWG Encoding Standard does not know.
    #[error("unknown character encoding label `{0}`")]
    UnknownCharset(String),
    /// The input could not be read.
    #[error("cannot read the document: {0}")]
    Io(#[from] std::io::Error),
    /// The document is larger than the parser can address (4 GiB).
    #[error("the document is {0} bytes; at most 4 GiB can be parsed")]
    TooLarge(usize),
    /// A link that cannot be described for rendering (an invalid link, a URL left unresolved).
    #[error("the link cannot be rendered: {0}")]
    Description(String),
}

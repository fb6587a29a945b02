//! Failures of the call itself. Problems of the document are diagnostics, never errors.

/// Why an extraction could not run at all.
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
}

//! Failures of a call of this crate. A merchant's refusal of a credential and a wallet's
//! refusal to pay are answers, not failures: see [`crate::Problem`] and
//! [`crate::FetchOutcome`].

/// Why a call of this crate could not be carried out.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The wallet or the merchant's verifier failed (its store, its key, a page).
    #[error(transparent)]
    Wallet(#[from] micropay_wallet::Error),
    /// A page could not be read as a document.
    #[error("cannot extract the page: {0}")]
    Page(#[from] micropay_markup::Error),
    /// The site URL of a merchant cannot serve pages (no http or https origin).
    #[error("{0} is not an http or https URL with a host")]
    SiteUrl(url::Url),
    /// The request could not be sent or its response not read (connection, TLS, timeout).
    #[error("HTTP transport: {0}")]
    Transport(#[from] reqwest::Error),
    /// A response body was larger than the client's cap.
    #[error("the response from {url} exceeds {limit} bytes")]
    BodyTooLarge {
        /// The URL whose response was cut off.
        url: url::Url,
        /// The cap, in bytes.
        limit: usize,
    },
    /// Too many redirects, or a redirect without a usable `Location`.
    #[error("redirect from {url}: {reason}")]
    Redirect {
        /// The URL that redirected.
        url: url::Url,
        /// What was wrong.
        reason: String,
    },
    /// The server answered in a way the protocol does not allow (docs/http.md), e.g. a 402
    /// without an offer, or content paid for without a receipt.
    #[error("{url}: {reason}")]
    Protocol {
        /// The URL concerned.
        url: url::Url,
        /// What was wrong.
        reason: String,
    },
    /// The page has no per-fee-link with the index asked for.
    #[error("{url} has no per-fee-link {index} (it has {count})")]
    NoSuchLink {
        /// The page.
        url: url::Url,
        /// The index asked for.
        index: usize,
        /// How many links it has.
        count: usize,
    },
    /// A blocking task of the merchant's verifier did not finish (it panicked or the
    /// runtime is shutting down); nothing was served.
    #[error("the verifier's task did not finish: {0}")]
    Task(String),
}

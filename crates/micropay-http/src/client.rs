//! The wallet's HTTP client: fetches a URL, and when it is sold (402), buys it under the
//! wallet's policy and fetches it again with the token, or presents a stored receipt.
//!
//! Transport rules (docs/http.md): every request has a timeout; a response body larger than
//! the cap is refused; redirects are followed by hand, at most [`MAX_REDIRECTS`], and a
//! request carrying a credential is never redirected to another origin (the credential is
//! not sent there; the fetch stops with [`Error::Redirect`]). Offers are taken only from a
//! 402 of the merchant origin that sells them: a 402 cannot make the wallet buy from, and
//! send the token of, another origin.

use std::time::Duration;

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, LOCATION};
use micropay_wallet::{
    Decision, KeyTrust, Offer, PurchaseOutcome, ReceiptRejection, SignedReceipt, WalletController,
};
use time::OffsetDateTime;
use url::Url;

use crate::error::Error;
use crate::response::{Answer, extract, offers_of, problem_of};
use crate::wire::{Credential, Problem, RECEIPT_HEADER};

/// Redirects followed at most, per request.
pub const MAX_REDIRECTS: usize = 10;
/// The default response body cap, in bytes.
pub const DEFAULT_BODY_LIMIT: usize = 16 * 1024 * 1024;
/// The default timeout of one request, from sending it to the end of its body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The wallet's HTTP client (reqwest with rustls). Cheap to clone.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    body_limit: usize,
}

/// The connection a response came over: what the wallet needs to decide whether to trust
/// a receipt's key from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    /// The URL the response came from (after same-origin redirects).
    pub url: Url,
    /// Whether the channel authenticates the origin: https (certificate checked by rustls
    /// against the Mozilla roots) or http to a loopback address.
    pub authenticated: bool,
}

impl Channel {
    fn of(url: &Url) -> Self {
        // The wallet's own rule for a channel that authenticates the origin.
        let authenticated = KeyTrust::of_response_url(url).is_some();
        Channel {
            url: url.clone(),
            authenticated,
        }
    }
}

/// What a fetch came to.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum FetchOutcome {
    /// The URL is not sold: its response as it came.
    Free,
    /// Bought now: the token sent and the receipt the merchant returned (`Err`: the wallet
    /// refused to store it, with the reason).
    Paid {
        /// The purchase token.
        token: String,
        /// The receipt, or why the wallet refused it.
        receipt: Result<SignedReceipt, ReceiptRejection>,
    },
    /// Covered by an earlier purchase: its stored receipt was presented, or (no receipt
    /// stored yet, e.g. the response was lost) its token was presented again.
    AlreadyPaid {
        /// The earlier purchase's token.
        token: String,
        /// The receipt presented or received.
        receipt: Option<SignedReceipt>,
    },
    /// The wallet did not pay: refused, or confirmation needed and not given.
    NotPurchased(Decision),
    /// The merchant refused the credential (the problem it answered).
    Refused {
        /// The token sent, if one was.
        token: Option<String>,
        /// The merchant's problem details.
        problem: Box<Problem>,
    },
}

/// The result of [`Client::fetch`] and [`Client::fetch_link`].
#[derive(Debug, Clone)]
pub struct Fetched {
    /// What happened.
    pub outcome: FetchOutcome,
    /// The status of the last response.
    pub status: u16,
    /// The body of the last response when it was a success (2xx), else `None`.
    pub content: Option<Bytes>,
    /// The connection of the last response.
    pub channel: Channel,
    /// The offer bought or presented for, if the URL is sold.
    pub offer: Option<Offer>,
}

impl Client {
    /// A client with the default timeout and body cap.
    pub fn new() -> Result<Self, Error> {
        Self::with_limits(DEFAULT_TIMEOUT, DEFAULT_BODY_LIMIT)
    }

    /// A client whose requests time out after `timeout` and whose responses may hold at
    /// most `body_limit` bytes.
    pub fn with_limits(timeout: Duration, body_limit: usize) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .timeout(timeout)
            .user_agent(concat!("micropay/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Client { http, body_limit })
    }

    /// Fetches `url`; when it is sold (402), takes its offers from the response, decides
    /// with the wallet's policy, buys (`confirmed`: the user agreed to a price above the
    /// confirmation threshold) or presents the stored receipt, and fetches it again.
    pub async fn fetch(
        &self,
        wallet: &mut WalletController,
        url: &Url,
        confirmed: bool,
    ) -> Result<Fetched, Error> {
        let first = self.get(url, None).await?;
        if first.status != 402 {
            return Ok(Fetched::free(first));
        }
        let offers = offers_of(&first)?;
        // P-9 and the policy decide; an offer already paid for wins over paying again.
        let now = OffsetDateTime::now_utc();
        let mut chosen = None;
        for offer in offers {
            let paid = matches!(wallet.decide_offer(&offer, now)?, Decision::AlreadyPaid(_));
            if paid || chosen.is_none() {
                chosen = Some(offer);
            }
            if paid {
                break;
            }
        }
        let offer = chosen.ok_or_else(|| Error::Protocol {
            url: first.url.clone(),
            reason: "402 without an offer of this origin".to_owned(),
        })?;
        self.buy(wallet, offer, confirmed).await
    }

    /// Fetches the page at `page` and buys its per-fee-link number `index` (from 0), as
    /// [`Client::fetch`] buys a URL's offer, then fetches the link's `requesturl`.
    pub async fn fetch_link(
        &self,
        wallet: &mut WalletController,
        page: &Url,
        index: usize,
        confirmed: bool,
    ) -> Result<Fetched, Error> {
        let answer = self.get(page, None).await?;
        if !(200..300).contains(&answer.status) {
            return Err(Error::Protocol {
                url: answer.url,
                reason: format!("the page answered {}", answer.status),
            });
        }
        let document = extract(&answer, &answer.url)?;
        let links = document.links();
        let link = links.get(index).ok_or_else(|| Error::NoSuchLink {
            url: answer.url.clone(),
            index,
            count: links.len(),
        })?;
        match Offer::from_link(link, &answer.url) {
            Ok(offer) => self.buy(wallet, offer, confirmed).await,
            Err(error) => Ok(Fetched {
                outcome: FetchOutcome::NotPurchased(Decision::Refuse(error.into())),
                status: answer.status,
                content: None,
                channel: Channel::of(&answer.url),
                offer: None,
            }),
        }
    }

    /// Decides on `offer`, pays or presents what covers it, and fetches its `requesturl`.
    async fn buy(
        &self,
        wallet: &mut WalletController,
        offer: Offer,
        confirmed: bool,
    ) -> Result<Fetched, Error> {
        let target = offer.fields().requesturl.clone();
        let now = OffsetDateTime::now_utc();
        let (credential, token, stored, fresh) =
            match wallet.purchase_offer(&offer, now, confirmed)? {
                PurchaseOutcome::Purchased(record) => (
                    Credential::Token(record.token.clone()),
                    record.token,
                    None,
                    true,
                ),
                PurchaseOutcome::NotPurchased(Decision::AlreadyPaid(paid)) => match paid.receipt {
                    Some(receipt) => (
                        Credential::Receipt(receipt.token().to_owned()),
                        paid.spend.token,
                        Some(receipt),
                        false,
                    ),
                    // Paid, but no receipt came back: the same token again (the merchant's
                    // retry rule answers it with the receipt it stored).
                    None => (
                        Credential::Token(paid.spend.token.clone()),
                        paid.spend.token,
                        None,
                        false,
                    ),
                },
                PurchaseOutcome::NotPurchased(decision) => {
                    return Ok(Fetched {
                        outcome: FetchOutcome::NotPurchased(decision),
                        status: 402,
                        content: None,
                        channel: Channel::of(&target),
                        offer: Some(offer),
                    });
                }
                // An outcome a later version of the wallet adds, which this client cannot act on.
                other => {
                    return Err(Error::Protocol {
                        url: target,
                        reason: format!("a purchase outcome this client does not know: {other:?}"),
                    });
                }
            };
        let answer = self.get(&target, Some(&credential)).await?;
        let channel = Channel::of(&answer.url);
        if !(200..300).contains(&answer.status) {
            let problem = problem_of(&answer).unwrap_or_else(|| {
                Problem::new(
                    answer.status,
                    "unexpected-status",
                    "Unexpected status",
                    format!("{target} answered {} to the credential", answer.status),
                )
            });
            return Ok(Fetched {
                outcome: FetchOutcome::Refused {
                    token: Some(token),
                    problem: Box::new(problem),
                },
                status: answer.status,
                content: None,
                channel,
                offer: Some(offer),
            });
        }
        let outcome = match (credential, stored) {
            (Credential::Receipt(_), receipt) => FetchOutcome::AlreadyPaid { token, receipt },
            (Credential::Token(_), _) => {
                let header = answer.receipt.as_deref().ok_or_else(|| Error::Protocol {
                    url: answer.url.clone(),
                    reason: "content paid for came without a Micropay-Receipt".to_owned(),
                })?;
                let receipt = accept_response_receipt(wallet, header, &channel)?;
                if fresh {
                    FetchOutcome::Paid { token, receipt }
                } else {
                    FetchOutcome::AlreadyPaid {
                        token,
                        receipt: receipt.ok(),
                    }
                }
            }
        };
        Ok(Fetched {
            outcome,
            status: answer.status,
            content: Some(answer.body),
            channel,
            offer: Some(offer),
        })
    }

    /// One GET, redirects followed by hand; a credential never leaves its origin.
    async fn get(&self, url: &Url, credential: Option<&Credential>) -> Result<Answer, Error> {
        let mut url = url.clone();
        for _ in 0..=MAX_REDIRECTS {
            let mut request = self.http.get(url.clone()).header(ACCEPT, "*/*");
            if let Some(credential) = credential {
                request = request.header(AUTHORIZATION, credential.header_value());
            }
            let response = request.send().await?;
            let status = response.status();
            if status.is_redirection()
                && let Some(location) = response.headers().get(LOCATION)
            {
                let next = location
                    .to_str()
                    .ok()
                    .and_then(|l| url.join(l).ok())
                    .filter(|n| matches!(n.scheme(), "http" | "https"))
                    .ok_or_else(|| Error::Redirect {
                        url: url.clone(),
                        reason: "the Location is not an http(s) URL".to_owned(),
                    })?;
                // RFC 9110 §15.4: the credential is for this origin only.
                if credential.is_some() && next.origin() != url.origin() {
                    return Err(Error::Redirect {
                        url,
                        reason: format!(
                            "to another origin ({next}); the credential was not sent there"
                        ),
                    });
                }
                url = next;
                continue;
            }
            return self.read(response, url).await;
        }
        Err(Error::Redirect {
            url,
            reason: format!("more than {MAX_REDIRECTS} redirects"),
        })
    }

    /// Reads a response's body within the cap.
    async fn read(&self, mut response: reqwest::Response, url: Url) -> Result<Answer, Error> {
        let too_large = || Error::BodyTooLarge {
            url: url.clone(),
            limit: self.body_limit,
        };
        if response
            .content_length()
            .is_some_and(|n| n > self.body_limit as u64)
        {
            return Err(too_large());
        }
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &http::HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header(CONTENT_TYPE);
        let receipt = header(http::HeaderName::from_static(RECEIPT_HEADER));
        let status = response.status().as_u16();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            if body.len() + chunk.len() > self.body_limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer {
            status,
            url,
            content_type,
            receipt,
            body: Bytes::from(body),
        })
    }
}

impl Fetched {
    fn free(answer: Answer) -> Self {
        let success = (200..300).contains(&answer.status);
        Fetched {
            outcome: FetchOutcome::Free,
            status: answer.status,
            channel: Channel::of(&answer.url),
            content: success.then_some(answer.body),
            offer: None,
        }
    }
}

/// THE place where the client accepts a receipt from a response. The receipt came in the
/// response to the request that carried its purchase token, over `channel`: the wallet checks
/// that the response's origin is the receipt's merchant origin (`origin-mismatch`), and trusts
/// the merchant's key for that origin when the channel is authenticated (https, or loopback
/// http); over any other channel the key must already be trusted (`untrusted-merchant-key`).
fn accept_response_receipt(
    wallet: &mut WalletController,
    token: &str,
    channel: &Channel,
) -> Result<Result<SignedReceipt, ReceiptRejection>, Error> {
    Ok(wallet.accept_receipt_from_response(token, &channel.url)?)
}

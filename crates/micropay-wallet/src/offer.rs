//! The offer a purchase names: every field of a per-fee-link as resolved, plus the URL of the
//! document it was found in, and the SHA-256 digest of its canonical bytes.
//!
//! The field set is the link object of the JSON of docs/cli.md less what only locates the link in
//! its page (`index`, `element`, `line`, `column`, `valid`) or presents it to a browser without
//! a wallet (`fallback_href`): moving a link within its page or rewording its fallback content
//! does not change what is sold, so it does not change the digest.

use std::fmt;

use micropay_markup::{LinkUrl, PerFeeLink, Price};
use sha2::{Digest as _, Sha256};
use time::OffsetDateTime;
use url::Url;

use crate::canon::Writer;
use crate::origin::MerchantOrigin;

/// Domain tag of the canonical offer bytes.
pub const OFFER_DOMAIN: &str = "micropay/offer/v1";

/// One payment system a link accepts (P-5): its identifying URI and optional
/// system-specific text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OfferPaymentSystem {
    /// The absolute URI identifying the payment system.
    pub id: Url,
    /// The text after the URI in the `paymentsystem` value, if any.
    pub info: Option<String>,
}

/// The fields of an offer, as plain data; [`Offer::new`] validates them.
///
/// URLs are the resolved absolute URLs (P-4). The four required fields are taken by
/// [`OfferFields::new`]; the others start absent and are set directly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferFields {
    /// The URL of the document the link was found in.
    pub document_url: Url,
    /// `price` (P-3).
    pub price: Price,
    /// `textlink`: what is bought.
    pub textlink: String,
    /// `requesturl`: what is fetched after paying; its origin is the merchant origin.
    pub requesturl: Url,
    /// `paymentsystem` values in the merchant's order (P-5).
    pub paymentsystems: Vec<OfferPaymentSystem>,
    /// `title`.
    pub title: Option<String>,
    /// `imagelink`.
    pub imagelink: Option<Url>,
    /// `buyid`: the scope of the purchase when present.
    pub buyid: Option<Url>,
    /// `baseurl`.
    pub baseurl: Option<Url>,
    /// `longdesc`.
    pub longdesc: Option<Url>,
    /// `merchantname`.
    pub merchantname: Option<String>,
    /// `duration` in seconds (P-6).
    pub duration: Option<u64>,
    /// `expiration` (P-7).
    pub expiration: Option<OffsetDateTime>,
    /// `target`.
    pub target: Option<String>,
    /// `hreflang`.
    pub hreflang: Option<String>,
    /// `type`.
    pub media_type: Option<String>,
    /// `accesskey`.
    pub accesskey: Option<String>,
    /// `charset`.
    pub charset: Option<String>,
    /// `extdata`.
    pub extdata: Option<String>,
    /// `extdataparam`.
    pub extdataparam: Option<String>,
    /// Params that are no field, as (name, value) in document order.
    pub extensions: Vec<(String, String)>,
}

impl OfferFields {
    /// The required fields; every optional field absent and no payment system yet.
    pub fn new(document_url: Url, price: Price, textlink: &str, requesturl: Url) -> Self {
        OfferFields {
            document_url,
            price,
            textlink: textlink.to_owned(),
            requesturl,
            paymentsystems: Vec::new(),
            title: None,
            imagelink: None,
            buyid: None,
            baseurl: None,
            longdesc: None,
            merchantname: None,
            duration: None,
            expiration: None,
            target: None,
            hreflang: None,
            media_type: None,
            accesskey: None,
            charset: None,
            extdata: None,
            extdataparam: None,
            extensions: Vec::new(),
        }
    }

    /// Appends a payment system (convenience for building offers by hand).
    #[must_use]
    pub fn with_paymentsystem(mut self, id: Url, info: Option<&str>) -> Self {
        self.paymentsystems.push(OfferPaymentSystem {
            id,
            info: info.map(str::to_owned),
        });
        self
    }
}

/// Why a link or its fields do not make an offer a wallet can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OfferError {
    /// P-9: the link has error-level diagnostics; wallets act on valid links only.
    #[error("link {0} has errors (see `micropay check`)")]
    InvalidLink(usize),
    /// A field every offer needs is absent (only possible for a link built by hand).
    #[error("the link has no {0}")]
    MissingField(&'static str),
    /// A URL field was kept as written because it could not be resolved (P-4: a relative
    /// reference with no base); the offer names absolute URLs only.
    #[error("{field} `{value}` is not an absolute URL (give the page's URL)")]
    UnresolvedUrl {
        /// The field name.
        field: &'static str,
        /// The value as written.
        value: String,
    },
    /// `textlink` is empty or only whitespace.
    #[error("textlink is empty")]
    EmptyTextlink,
    /// No payment system is offered.
    #[error("no payment system offered")]
    NoPaymentSystem,
    /// `requesturl` has an opaque origin, so there is no merchant to pay.
    #[error("requesturl {0} has no merchant origin")]
    NoMerchantOrigin(Url),
    /// A URL field uses `javascript:`, `data:` or `vbscript:` (P-4).
    #[error("{field} uses an unsafe scheme: {url}")]
    UnsafeUrlScheme {
        /// The field name.
        field: &'static str,
        /// The URL.
        url: Url,
    },
}

/// The SHA-256 digest of an offer's canonical bytes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OfferDigest(pub [u8; 32]);

impl fmt::Debug for OfferDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OfferDigest({self})")
    }
}

impl fmt::Display for OfferDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

/// A validated offer with its merchant origin and digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    fields: OfferFields,
    origin: MerchantOrigin,
    digest: OfferDigest,
}

impl Offer {
    /// The offer a per-fee-link of the page at `document_url` makes: every field as the
    /// parser resolved it (so the link must have been extracted with `document_url` as the
    /// document URL, or a base that resolves the same way).
    ///
    /// Refused: an invalid link (P-9), a URL field left unresolved (P-4), and whatever
    /// [`Offer::new`] refuses.
    pub fn from_link(link: &PerFeeLink, document_url: &Url) -> Result<Offer, OfferError> {
        // P-9: wallet controllers act only on valid links.
        if !link.is_valid() {
            return Err(OfferError::InvalidLink(link.index()));
        }
        let price = *link.price().ok_or(OfferError::MissingField("price"))?;
        let textlink = link
            .textlink()
            .ok_or(OfferError::MissingField("textlink"))?;
        let requesturl = absolute("requesturl", link.requesturl())?
            .ok_or(OfferError::MissingField("requesturl"))?;
        let mut fields = OfferFields::new(document_url.clone(), price, textlink, requesturl);
        fields.paymentsystems = link
            .paymentsystems()
            .iter()
            .map(|ps| OfferPaymentSystem {
                id: ps.id().clone(),
                info: ps.info().map(str::to_owned),
            })
            .collect();
        fields.title = link.title().map(str::to_owned);
        fields.imagelink = absolute("imagelink", link.imagelink())?;
        fields.buyid = absolute("buyid", link.buyid())?;
        fields.baseurl = absolute("baseurl", link.baseurl())?;
        fields.longdesc = absolute("longdesc", link.longdesc())?;
        fields.merchantname = link.merchantname().map(str::to_owned);
        fields.duration = link.duration().map(|d| d.as_secs());
        fields.expiration = link.expiration().map(micropay_markup::Expiration::instant);
        fields.target = link.target().map(str::to_owned);
        fields.hreflang = link.hreflang().map(str::to_owned);
        fields.media_type = link.type_().map(str::to_owned);
        fields.accesskey = link.accesskey().map(str::to_owned);
        fields.charset = link.charset().map(str::to_owned);
        fields.extdata = link.extdata().map(str::to_owned);
        fields.extdataparam = link.extdataparam().map(str::to_owned);
        fields.extensions = link.extensions().to_vec();
        Offer::new(fields)
    }

    /// Validates the fields and computes the digest.
    pub fn new(fields: OfferFields) -> Result<Self, OfferError> {
        if fields.textlink.trim().is_empty() {
            return Err(OfferError::EmptyTextlink);
        }
        if fields.paymentsystems.is_empty() {
            return Err(OfferError::NoPaymentSystem);
        }
        // P-4: unsafe schemes are errors, so such a link is never valid.
        let urls = [
            ("document_url", Some(&fields.document_url)),
            ("requesturl", Some(&fields.requesturl)),
            ("imagelink", fields.imagelink.as_ref()),
            ("buyid", fields.buyid.as_ref()),
            ("baseurl", fields.baseurl.as_ref()),
            ("longdesc", fields.longdesc.as_ref()),
        ];
        for (field, url) in urls {
            let Some(url) = url else { continue };
            if matches!(url.scheme(), "javascript" | "data" | "vbscript") {
                return Err(OfferError::UnsafeUrlScheme {
                    field,
                    url: url.clone(),
                });
            }
        }
        let origin = MerchantOrigin::of(&fields.requesturl)
            .ok_or_else(|| OfferError::NoMerchantOrigin(fields.requesturl.clone()))?;
        let digest = OfferDigest(Sha256::digest(canonical_bytes(&fields)).into());
        Ok(Offer {
            fields,
            origin,
            digest,
        })
    }

    /// The fields.
    pub fn fields(&self) -> &OfferFields {
        &self.fields
    }

    /// The price.
    pub fn price(&self) -> &Price {
        &self.fields.price
    }

    /// The origin of `requesturl`.
    pub fn merchant_origin(&self) -> &MerchantOrigin {
        &self.origin
    }

    /// What a purchase covers: `buyid` if present, else `requesturl`.
    pub fn scope(&self) -> &Url {
        self.fields
            .buyid
            .as_ref()
            .unwrap_or(&self.fields.requesturl)
    }

    /// Whether the offer has expired at `now` (P-7: valid until its expiration instant).
    pub fn is_expired_at(&self, now: OffsetDateTime) -> bool {
        self.fields.expiration.is_some_and(|until| now > until)
    }

    /// Whether the merchant offers the payment system `id`.
    pub fn offers(&self, id: &Url) -> bool {
        self.fields.paymentsystems.iter().any(|ps| &ps.id == id)
    }

    /// The canonical bytes whose SHA-256 is the digest (docs/wallet-protocol.md).
    pub fn canonical_bytes(&self) -> Vec<u8> {
        canonical_bytes(&self.fields)
    }

    /// The SHA-256 digest of the canonical bytes.
    pub fn digest(&self) -> OfferDigest {
        self.digest
    }
}

/// The absolute URL of a URL field, if present; a value kept as written is refused.
fn absolute(field: &'static str, value: Option<&LinkUrl>) -> Result<Option<Url>, OfferError> {
    match value {
        None => Ok(None),
        Some(link_url) => match link_url.as_url() {
            Some(url) => Ok(Some(url.clone())),
            None => Err(OfferError::UnresolvedUrl {
                field,
                value: link_url.as_str().to_owned(),
            }),
        },
    }
}

fn canonical_bytes(fields: &OfferFields) -> Vec<u8> {
    let mut w = Writer::new(OFFER_DOMAIN);
    w.text(fields.document_url.as_str());
    w.text(&fields.price.amount().to_string());
    w.text(fields.price.currency().as_str());
    w.text(&fields.textlink);
    w.text(fields.requesturl.as_str());
    w.count(fields.paymentsystems.len());
    for ps in &fields.paymentsystems {
        w.text(ps.id.as_str());
        w.opt_text(ps.info.as_deref());
    }
    w.opt_text(fields.title.as_deref());
    w.opt_text(fields.imagelink.as_ref().map(Url::as_str));
    w.opt_text(fields.buyid.as_ref().map(Url::as_str));
    w.opt_text(fields.baseurl.as_ref().map(Url::as_str));
    w.opt_text(fields.longdesc.as_ref().map(Url::as_str));
    w.opt_text(fields.merchantname.as_deref());
    match fields.duration {
        None => w.u8(0),
        Some(seconds) => {
            w.u8(1);
            w.u64(seconds);
        }
    }
    match fields.expiration {
        None => w.u8(0),
        Some(instant) => {
            w.u8(1);
            w.i64(instant.unix_timestamp());
            w.u32(instant.nanosecond());
        }
    }
    for text in [
        &fields.target,
        &fields.hreflang,
        &fields.media_type,
        &fields.accesskey,
        &fields.charset,
        &fields.extdata,
        &fields.extdataparam,
    ] {
        w.opt_text(text.as_deref());
    }
    w.count(fields.extensions.len());
    for (name, value) in &fields.extensions {
        w.text(name);
        w.text(value);
    }
    w.finish()
}

#[cfg(test)]
pub(crate) mod tests;

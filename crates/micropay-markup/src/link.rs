//! A per-fee-link as extracted: every field as validated and resolved, in the order and with the
//! key names of the JSON contract (docs/cli.md).

use serde::Serialize;

use crate::value::duration::Duration;
use crate::value::expiration::Expiration;
use crate::value::paymentsystem::PaymentSystem;
use crate::value::price::Price;
use crate::{LinkUrl, Position};

/// The element that carries a per-fee-link (P-1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Carrier {
    /// An HTML `object`.
    Object,
    /// A legacy `applet`.
    Applet,
}

/// The attributes of the carrier element, reported as written (P-1.5).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ObjectAttributes {
    /// `type`.
    #[serde(rename = "type")]
    pub type_: Option<String>,
    /// `classid`.
    pub classid: Option<String>,
    /// `codetype`.
    pub codetype: Option<String>,
    /// `data`.
    pub data: Option<String>,
}

/// One per-fee-link of a document. Built only by extraction; read through the accessors.
///
/// Serialises to the link object of the JSON contract; `object` (P-1.5) follows the contract's
/// keys as an addition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PerFeeLink {
    pub(crate) index: usize,
    pub(crate) element: Carrier,
    pub(crate) line: u32,
    pub(crate) column: u32,
    pub(crate) valid: bool,
    pub(crate) price: Option<Price>,
    pub(crate) textlink: Option<String>,
    pub(crate) requesturl: Option<LinkUrl>,
    pub(crate) paymentsystems: Vec<PaymentSystem>,
    pub(crate) title: Option<String>,
    // The URLs most links do not have are boxed: a link is moved and stored whole, and a
    // page of 10,000 links is 3 MB smaller for it.
    pub(crate) imagelink: Option<Box<LinkUrl>>,
    pub(crate) buyid: Option<Box<LinkUrl>>,
    pub(crate) baseurl: Option<Box<LinkUrl>>,
    pub(crate) longdesc: Option<Box<LinkUrl>>,
    pub(crate) merchantname: Option<String>,
    pub(crate) duration: Option<Duration>,
    pub(crate) expiration: Option<Expiration>,
    pub(crate) target: Option<String>,
    pub(crate) hreflang: Option<String>,
    #[serde(rename = "type")]
    pub(crate) type_: Option<String>,
    pub(crate) accesskey: Option<String>,
    pub(crate) charset: Option<String>,
    pub(crate) extdata: Option<String>,
    pub(crate) extdataparam: Option<String>,
    pub(crate) extensions: Vec<(String, String)>,
    pub(crate) fallback_href: Option<LinkUrl>,
    pub(crate) object: ObjectAttributes,
}

impl PerFeeLink {
    /// Position of the link among the document's links, in tree order.
    pub fn index(&self) -> usize {
        self.index
    }
    /// Whether it is an `object` or an `applet`.
    pub fn element(&self) -> Carrier {
        self.element
    }
    /// Where the carrier's start tag begins.
    pub fn position(&self) -> Position {
        Position {
            line: self.line,
            column: self.column,
        }
    }
    /// P-9: no error-level diagnostic is attached to the link. Wallets act on valid links only.
    pub fn is_valid(&self) -> bool {
        self.valid
    }
    /// P-3: the price, if it parsed.
    pub fn price(&self) -> Option<&Price> {
        self.price.as_ref()
    }
    /// What is bought, as text.
    pub fn textlink(&self) -> Option<&str> {
        self.textlink.as_deref()
    }
    /// What is fetched after paying (resolved, P-4).
    pub fn requesturl(&self) -> Option<&LinkUrl> {
        self.requesturl.as_ref()
    }
    /// P-5: the payment systems the merchant accepts, in the merchant's order.
    pub fn paymentsystems(&self) -> &[PaymentSystem] {
        &self.paymentsystems
    }
    /// The title.
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }
    /// The image shown as the link.
    pub fn imagelink(&self) -> Option<&LinkUrl> {
        self.imagelink.as_deref()
    }
    /// What is bought: the scope of a purchase.
    pub fn buyid(&self) -> Option<&LinkUrl> {
        self.buyid.as_deref()
    }
    /// The link's own base URL.
    pub fn baseurl(&self) -> Option<&LinkUrl> {
        self.baseurl.as_deref()
    }
    /// The long description.
    pub fn longdesc(&self) -> Option<&LinkUrl> {
        self.longdesc.as_deref()
    }
    /// The merchant's name.
    pub fn merchantname(&self) -> Option<&str> {
        self.merchantname.as_deref()
    }
    /// P-6: seconds of access after purchase.
    pub fn duration(&self) -> Option<Duration> {
        self.duration
    }
    /// P-7: until when the offer stands.
    pub fn expiration(&self) -> Option<&Expiration> {
        self.expiration.as_ref()
    }
    /// Frame name.
    pub fn target(&self) -> Option<&str> {
        self.target.as_deref()
    }
    /// Language of the bought resource.
    pub fn hreflang(&self) -> Option<&str> {
        self.hreflang.as_deref()
    }
    /// MIME type of the bought resource.
    pub fn type_(&self) -> Option<&str> {
        self.type_.as_deref()
    }
    /// Keyboard shortcut.
    pub fn accesskey(&self) -> Option<&str> {
        self.accesskey.as_deref()
    }
    /// Encoding of the bought resource.
    pub fn charset(&self) -> Option<&str> {
        self.charset.as_deref()
    }
    /// Opaque extension data.
    pub fn extdata(&self) -> Option<&str> {
        self.extdata.as_deref()
    }
    /// Opaque extension data.
    pub fn extdataparam(&self) -> Option<&str> {
        self.extdataparam.as_deref()
    }
    /// Params that are no field, in document order: (name as written, value).
    pub fn extensions(&self) -> &[(String, String)] {
        &self.extensions
    }
    /// The first link of the fallback content (P-1.4), resolved against the document base.
    pub fn fallback_href(&self) -> Option<&LinkUrl> {
        self.fallback_href.as_ref()
    }
    /// The carrier's `type`, `classid`, `codetype` and `data` attributes (P-1.5).
    pub fn object_attributes(&self) -> &ObjectAttributes {
        &self.object
    }
    /// The scope a purchase of this link covers: buyid, else requesturl (docs/wallet.md).
    pub fn scope(&self) -> Option<&LinkUrl> {
        self.buyid.as_deref().or(self.requesturl.as_ref())
    }
}

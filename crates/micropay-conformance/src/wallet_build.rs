//! The inputs of a wallet scenario, built deterministically from its JSON: the ledger's
//! earlier spends and their receipts, purchase tokens (fresh, forged, tampered with, or taken
//! from the published vectors) and merchant receipts (spec-fixtures/wallet/README.md).

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use micropay_markup::time::OffsetDateTime;
use micropay_markup::{PerFeeLink, Price, Url};
use micropay_wallet::PURCHASE_REQUEST_DOMAIN;
use micropay_wallet::{
    KeyTrust, Ledger, MasterSecret, MerchantKey, Nonce, Offer, OfferFields, Policy,
    PurchaseRequest, Receipt, ReceiptKey, Reservation, SpendRecord,
};
use serde::Deserialize;
use serde_json::Value;

/// The merchant key seed when a scenario names none: the one of the published vectors.
pub const DEFAULT_MERCHANT_SEED: &str =
    "6d6963726f70617920766563746f72206d65726368616e742073656564203031";
/// The payment system of an earlier spend when the scenario names none.
pub const DEFAULT_PAYMENT_SYSTEM: &str = "https://ps.example/";
/// The master secret of the scenario's wallet and of tokens that name none: 32 zero bytes.
pub const DEFAULT_MASTER_SECRET: [u8; 32] = [0; 32];

/// An earlier purchase recorded in the ledger before the scenario runs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpendSpec {
    /// The offer's `requesturl` (its origin is the merchant origin).
    pub requesturl: Url,
    /// The offer's `buyid`.
    #[serde(default)]
    pub buyid: Option<Url>,
    /// The price paid.
    pub price: Price,
    /// The payment system used.
    #[serde(default)]
    pub payment_system: Option<Url>,
    /// The offer's `duration`.
    #[serde(default)]
    pub duration: Option<u64>,
    /// When the purchase request was issued.
    pub issued_at: String,
    /// The request's nonce (hex); default 15 zero bytes then the spend's position + 1.
    #[serde(default)]
    pub nonce: Option<String>,
    /// The merchant's receipt, stored after the spend.
    #[serde(default)]
    pub receipt: Option<SpendReceipt>,
}

/// The receipt of an earlier spend.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpendReceipt {
    /// When the merchant accepted the purchase (access until this + duration).
    pub issued_at: String,
}

/// A purchase token given to the verifier.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenSpec {
    /// The token as written.
    #[serde(default)]
    pub text: Option<String>,
    /// The `purchase_token` of the published vector with this name.
    #[serde(default)]
    pub vector: Option<String>,
    /// The `token` of the rejected vector with this name (vectors.json, `rejected`).
    #[serde(default)]
    pub rejected_vector: Option<String>,
    /// A fresh token for this link of the scenario's page.
    #[serde(default)]
    pub link: Option<usize>,
    /// The document URL the wallet saw the page at (default: the scenario's).
    #[serde(default)]
    pub document_url: Option<Url>,
    /// The payment system chosen (default: the link's first).
    #[serde(default)]
    pub payment_system: Option<Url>,
    /// The nonce (hex; default 16 zero bytes).
    #[serde(default)]
    pub nonce: Option<String>,
    /// Issued-at (default: the scenario's `now`).
    #[serde(default)]
    pub issued_at: Option<String>,
    /// For a token of `accepted_before` only: the instant it is verified at (default: the
    /// scenario's `now`).
    #[serde(default)]
    pub verified_at: Option<String>,
    /// The wallet's master secret (hex; default 32 zero bytes).
    #[serde(default)]
    pub master_secret: Option<String>,
    /// Fields the request names differently from the offer whose digest it carries.
    #[serde(default)]
    pub forge: Option<Forge>,
    /// Flip the lowest bit of the token's last byte (part of the signature).
    #[serde(default)]
    pub flip_signature_bit: bool,
}

/// Fields replaced after the offer is chosen.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Forge {
    /// Another price.
    #[serde(default)]
    pub price: Option<Price>,
    /// Another `requesturl` (same origin for a receipt to stay well-formed).
    #[serde(default)]
    pub requesturl: Option<Url>,
}

/// A receipt given to the wallet.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptSpec {
    /// The receipt as written.
    #[serde(default)]
    pub text: Option<String>,
    /// The earlier spend (position in `ledger.spends`) it answers.
    #[serde(default)]
    pub spend: Option<usize>,
    /// When the merchant accepted the purchase.
    #[serde(default)]
    pub issued_at: Option<String>,
    /// The merchant key seed (hex; default the vectors').
    #[serde(default)]
    pub merchant_seed: Option<String>,
    /// Answer a purchase with this nonce instead of the spend's (hex).
    #[serde(default)]
    pub nonce: Option<String>,
    /// Name another offer than the spend's (keeping the spend's nonce).
    #[serde(default)]
    pub forge: Option<Forge>,
    /// Flip the lowest bit of the token's last byte (part of the signature).
    #[serde(default)]
    pub flip_signature_bit: bool,
    /// It arrived in the response from this URL to the request that carried the purchase
    /// token (`WalletController::accept_receipt_from_response`).
    #[serde(default)]
    pub response_url: Option<Url>,
    /// The user names the merchant key of this seed (hex) with it
    /// (`WalletController::accept_receipt_under_key`).
    #[serde(default)]
    pub named_key: Option<String>,
    /// The `receipt_token` of the rejected vector with this name
    /// (spec-fixtures/wallet/vectors.json, `rejected`).
    #[serde(default)]
    pub rejected_vector: Option<String>,
}

/// An earlier spend as recorded, with the offer it bought.
pub struct Prior {
    /// The offer.
    pub offer: Offer,
    /// The ledger's record.
    pub record: SpendRecord,
}

/// An RFC 3339 instant.
pub fn instant(text: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map_err(|e| format!("`{text}` is not an RFC 3339 instant: {e}"))
}

/// `N` bytes from lower-case or upper-case hex.
pub fn unhex<const N: usize>(text: &str) -> Result<[u8; N], String> {
    let bad = || format!("`{text}` is not {N} bytes of hex");
    if text.len() != 2 * N || !text.is_ascii() {
        return Err(bad());
    }
    let mut out = [0; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
    }
    Ok(out)
}

impl SpendSpec {
    fn offer(&self) -> Result<Offer, String> {
        let ps = self
            .payment_system
            .clone()
            .unwrap_or_else(|| Url::parse(DEFAULT_PAYMENT_SYSTEM).expect("a URL"));
        let mut fields = OfferFields::new(
            self.requesturl.clone(),
            self.price,
            "An earlier purchase",
            self.requesturl.clone(),
        )
        .with_paymentsystem(ps, None);
        fields.buyid.clone_from(&self.buyid);
        fields.duration = self.duration;
        Offer::new(fields).map_err(|e| format!("spend {}: {e}", self.requesturl))
    }
}

/// Records `spends` in order (each at its own issued-at, under a policy without budgets),
/// then the receipt of each that has one.
pub fn record_spends(
    ledger: &mut Ledger,
    master: &MasterSecret,
    spends: &[SpendSpec],
) -> Result<Vec<Prior>, String> {
    let mut priors = Vec::new();
    for (i, spend) in spends.iter().enumerate() {
        let offer = spend.offer()?;
        let nonce = if let Some(hex) = &spend.nonce {
            Nonce(unhex(hex)?)
        } else {
            let mut bytes = [0; 16];
            bytes[15] = u8::try_from(i + 1).map_err(|_| "too many spends".to_owned())?;
            Nonce(bytes)
        };
        let at = instant(&spend.issued_at)?;
        let key = master.origin_key(offer.merchant_origin());
        let ps = &offer.fields().paymentsystems[0].id;
        let signed = PurchaseRequest::new(&offer, ps, nonce, at, key.public_key()).sign(&key);
        let reservation = ledger
            .reserve_spend(&Policy::default(), &signed, spend.duration, at)
            .map_err(|e| e.to_string())?;
        let Reservation::Reserved(record) = reservation else {
            return Err(format!(
                "ledger.spends[{i}] cannot be recorded ({reservation:?}): an earlier spend still covers its scope"
            ));
        };
        priors.push(Prior {
            offer,
            record: *record,
        });
    }
    for (spend, prior) in spends.iter().zip(&priors) {
        if let Some(receipt) = &spend.receipt {
            let merchant = MerchantKey::from_seed(&unhex(DEFAULT_MERCHANT_SEED)?);
            let signed = Receipt::new(
                prior.record.request(),
                &prior.offer,
                instant(&receipt.issued_at)?,
                merchant.public_key(),
            )
            .sign(&merchant);
            // The user trusted the key as they stored it (spec-fixtures/wallet/README.md).
            ledger
                .store_receipt(&signed, ReceiptKey::Trust(KeyTrust::Named))
                .map_err(|e| e.to_string())?
                .map_err(|r| format!("the receipt of a spend was not stored: {r}"))?;
        }
    }
    Ok(priors)
}

/// What a token is built from besides its spec.
pub struct TokenContext<'a> {
    /// The links of the scenario's page.
    pub links: &'a [PerFeeLink],
    /// The scenario's document URL.
    pub document_url: &'a Url,
    /// The scenario's instant.
    pub now: OffsetDateTime,
    /// spec-fixtures/.
    pub root: &'a Path,
}

/// The purchase token `spec` describes.
pub fn purchase_token(spec: &TokenSpec, ctx: &TokenContext<'_>) -> Result<String, String> {
    let token = if let Some(text) = &spec.text {
        text.clone()
    } else if let Some(name) = &spec.vector {
        vector_output(ctx.root, name, "purchase_token")?
    } else if let Some(name) = &spec.rejected_vector {
        rejected_vector(ctx.root, name, "purchase-request")?
    } else {
        let index = spec
            .link
            .ok_or("a token needs `text`, `vector` or `link`")?;
        let link = ctx
            .links
            .get(index)
            .ok_or_else(|| format!("the page has no link {index}"))?;
        let document_url = spec.document_url.as_ref().unwrap_or(ctx.document_url);
        let offer = Offer::from_link(link, document_url)
            .map_err(|e| format!("link {index} makes no offer: {e}"))?;
        let ps = match &spec.payment_system {
            Some(ps) => ps.clone(),
            None => offer.fields().paymentsystems[0].id.clone(),
        };
        let nonce = Nonce(spec.nonce.as_deref().map_or(Ok([0; 16]), unhex)?);
        let at = spec.issued_at.as_deref().map_or(Ok(ctx.now), instant)?;
        let master = MasterSecret::from_bytes(
            spec.master_secret
                .as_deref()
                .map_or(Ok(DEFAULT_MASTER_SECRET), unhex)?,
        );
        let key = master.origin_key(offer.merchant_origin());
        let request = match &spec.forge {
            None => PurchaseRequest::new(&offer, &ps, nonce, at, key.public_key()),
            Some(forge) => {
                // Request the forged offer, then name the real offer's digest instead.
                let forged = forged_offer(&offer, forge)?;
                let mut bytes = PurchaseRequest::new(&forged, &ps, nonce, at, key.public_key())
                    .canonical_bytes();
                let digest_at = 4 + PURCHASE_REQUEST_DOMAIN.len() + 1;
                bytes[digest_at..digest_at + 32].copy_from_slice(&offer.digest().0);
                PurchaseRequest::from_canonical_bytes(&bytes).map_err(|e| e.to_string())?
            }
        };
        request.sign(&key).to_token()
    };
    Ok(if spec.flip_signature_bit {
        flip_last_bit(&token)?
    } else {
        token
    })
}

/// The receipt token `spec` describes, for the spends `priors`.
pub fn receipt_token(spec: &ReceiptSpec, priors: &[Prior], root: &Path) -> Result<String, String> {
    let token = if let Some(text) = &spec.text {
        text.clone()
    } else if let Some(name) = &spec.rejected_vector {
        rejected_vector(root, name, "receipt")?
    } else {
        let index = spec
            .spend
            .ok_or("a receipt needs `text`, `rejected_vector` or `spend`")?;
        let prior = priors
            .get(index)
            .ok_or_else(|| format!("there is no spend {index}"))?;
        let seed = spec
            .merchant_seed
            .as_deref()
            .unwrap_or(DEFAULT_MERCHANT_SEED);
        let merchant = MerchantKey::from_seed(&unhex(seed)?);
        let issued_at = instant(
            spec.issued_at
                .as_deref()
                .ok_or("a receipt needs `issued_at`")?,
        )?;
        let original = prior.record.request();
        let offer = match &spec.forge {
            Some(forge) => forged_offer(&prior.offer, forge)?,
            None => prior.offer.clone(),
        };
        let nonce = match &spec.nonce {
            Some(hex) => Nonce(unhex(hex)?),
            None => original.nonce(),
        };
        let request = PurchaseRequest::new(
            &offer,
            original.payment_system(),
            nonce,
            original.issued_at(),
            *original.public_key(),
        );
        Receipt::new(&request, &offer, issued_at, merchant.public_key())
            .sign(&merchant)
            .to_token()
    };
    Ok(if spec.flip_signature_bit {
        flip_last_bit(&token)?
    } else {
        token
    })
}

fn forged_offer(offer: &Offer, forge: &Forge) -> Result<Offer, String> {
    let mut fields = offer.fields().clone();
    if let Some(price) = forge.price {
        fields.price = price;
    }
    if let Some(requesturl) = &forge.requesturl {
        fields.requesturl = requesturl.clone();
    }
    Offer::new(fields).map_err(|e| e.to_string())
}

fn flip_last_bit(token: &str) -> Result<String, String> {
    let mut bytes = URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|e| format!("cannot flip a bit of a token that is not base64url: {e}"))?;
    let last = bytes.last_mut().ok_or("empty token")?;
    *last ^= 1;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The token of a rejected vector of `kind` (spec-fixtures/wallet/vectors.json, `rejected`).
pub fn rejected_vector(root: &Path, name: &str, kind: &str) -> Result<String, String> {
    vectors(root)?["rejected"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|v| v["name"] == name && v["kind"] == kind)
        .and_then(|v| v["token"].as_str())
        .map(str::to_owned)
        .ok_or_else(|| format!("no rejected vector {name:?} of kind {kind:?}"))
}

/// spec-fixtures/wallet/vectors.json.
pub fn vectors(root: &Path) -> Result<Value, String> {
    let path = root.join("wallet/vectors.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}

/// An output of a published vector (spec-fixtures/wallet/vectors.json).
pub fn vector_output(root: &Path, name: &str, output: &str) -> Result<String, String> {
    vectors(root)?["vectors"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|v| v["name"] == name)
        .and_then(|v| v["output"][output].as_str())
        .map(str::to_owned)
        .ok_or_else(|| format!("no vector {name:?} with output {output:?}"))
}

//! What the wallet benchmark and `benches/replay_bytes.rs` share: the offer and the tokens
//! they verify.

use micropay_wallet::{MasterSecret, Nonce, Offer, OfferFields, Price, PurchaseRequest};
use time::OffsetDateTime;
use time::macros::datetime;
use url::Url;

/// The instant every token is issued and verified at.
pub const NOW: OffsetDateTime = datetime!(2026-03-01 12:00 UTC);

pub fn url(s: &str) -> Url {
    Url::parse(s).expect("a valid URL")
}

/// Item `n` of the merchant, at 0.05 USD.
pub fn item(n: u64) -> Offer {
    let fields = OfferFields::new(
        url("https://merchant.example/news/today.html"),
        Price::parse("0.05USD").expect("a valid price"),
        "Today's story",
        url(&format!("https://merchant.example/premium/{n}.html")),
    )
    .with_paymentsystem(url("https://ps.example/"), None);
    Offer::new(fields).expect("a valid offer")
}

/// `count` tokens for `offer`, each with its own nonce, signed by one wallet's origin key:
/// a returning buyer.
pub fn tokens(offer: &Offer, count: u64) -> Vec<String> {
    let master = MasterSecret::from_bytes([7; 32]);
    let key = master.origin_key(offer.merchant_origin());
    (0..count).map(|_| token(offer, &key)).collect()
}

/// `count` tokens for `offer`, each from a wallet of its own: every buyer new to the merchant.
#[allow(dead_code)] // benches/replay_bytes.rs shares this module and uses returning buyers only
pub fn tokens_of_new_buyers(offer: &Offer, count: u64) -> Vec<String> {
    (0..count)
        .map(|i| {
            let mut seed = [7; 32];
            seed[..8].copy_from_slice(&i.to_le_bytes());
            token(
                offer,
                &MasterSecret::from_bytes(seed).origin_key(offer.merchant_origin()),
            )
        })
        .collect()
}

/// One token for `offer` with a fresh nonce, signed by `key`.
fn token(offer: &Offer, key: &micropay_wallet::OriginKey) -> String {
    let system = url("https://ps.example/");
    let nonce = Nonce::random().expect("randomness");
    PurchaseRequest::new(offer, &system, nonce, NOW, key.public_key())
        .sign(key)
        .to_token()
}

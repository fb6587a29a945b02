//! The wallet controller's receipts: the three ways a receipt reaches the wallet, and the
//! merchant keys it trusts for them (trust.rs).

use ed25519_dalek::VerifyingKey;
use url::Url;

use super::WalletController;
use crate::error::Error;
use crate::ledger::ReceiptKey;
use crate::origin::MerchantOrigin;
use crate::receipt::{Receipt, ReceiptRejection, SignedReceipt};
use crate::trust::{KeyTrust, TrustedKey};

impl WalletController {
    /// Checks a merchant's receipt token that came from anywhere but the response to the
    /// request that carried its purchase token (pasted by hand, read from a file, a receipt
    /// presented again) and stores it. It is accepted only under a merchant key already
    /// trusted for its merchant origin ([`crate::KeyTrust`]): a receipt is never trusted on
    /// first sight.
    ///
    /// The checks, in order, each refusal with its code: strict decoding
    /// (`malformed-receipt`), `verify_strict` under the key it names (`bad-signature`), that
    /// key trusted for its origin (`untrusted-merchant-key`), a purchase of this wallet with
    /// its nonce (`unknown-purchase`), the same origin, scope, offer digest, price and payment
    /// system as that purchase (`receipt-mismatch`), no other receipt stored for that
    /// purchase (`duplicate-receipt`; the same receipt again is accepted and changes nothing).
    pub fn accept_receipt(
        &mut self,
        token: &str,
    ) -> Result<Result<SignedReceipt, ReceiptRejection>, Error> {
        self.accept(token, |_| Ok(ReceiptKey::MustBeTrusted))
    }

    /// For an HTTP client: checks and stores a receipt that arrived in the response to the
    /// request that carried its purchase token, `response_url` being the URL that response
    /// came from (the request's URL; never follow a redirect to another origin with a
    /// token). That origin must be the receipt's merchant origin (`origin-mismatch`
    /// otherwise). When the channel authenticates the origin, that is https (with the
    /// certificate checked, as any well-kept client does) or http to a loopback address
    /// ([`crate::KeyTrust::of_response_url`]), the receipt's key becomes trusted for the
    /// origin, recorded as `https-response` or `loopback-response`, in the same transaction
    /// that stores the receipt; over any other channel the key must already be trusted, as
    /// for [`WalletController::accept_receipt`], whose other checks apply too. A refused
    /// receipt changes nothing.
    pub fn accept_receipt_from_response(
        &mut self,
        token: &str,
        response_url: &Url,
    ) -> Result<Result<SignedReceipt, ReceiptRejection>, Error> {
        self.accept(token, |receipt| {
            if MerchantOrigin::of(response_url).as_ref() != Some(receipt.merchant_origin()) {
                return Err(ReceiptRejection::OriginMismatch);
            }
            Ok(KeyTrust::of_response_url(response_url)
                .map_or(ReceiptKey::MustBeTrusted, ReceiptKey::Trust))
        })
    }

    /// Checks and stores a receipt signed by `merchant_key`, which the user names as the key
    /// of the receipt's merchant origin (`micropay wallet receipt --merchant-key`): a receipt
    /// signed by another key is refused (`untrusted-merchant-key`); otherwise the key becomes
    /// trusted for the origin, recorded as `named`, in the same transaction that stores the
    /// receipt. The other checks are those of [`WalletController::accept_receipt`]; a refused
    /// receipt changes nothing.
    pub fn accept_receipt_under_key(
        &mut self,
        token: &str,
        merchant_key: &VerifyingKey,
    ) -> Result<Result<SignedReceipt, ReceiptRejection>, Error> {
        self.accept(token, |receipt| {
            if receipt.merchant_key() == merchant_key {
                Ok(ReceiptKey::Trust(KeyTrust::Named))
            } else {
                Err(ReceiptRejection::UntrustedKey)
            }
        })
    }

    /// Trusts `merchant_key` for `origin`, as the user names it (`micropay wallet trust`).
    pub fn trust_merchant_key(
        &mut self,
        origin: &MerchantOrigin,
        merchant_key: &VerifyingKey,
    ) -> Result<TrustedKey, Error> {
        self.ledger.trust_merchant_key(origin, merchant_key)
    }

    /// Decodes and checks `token`, asks `key` how to treat its merchant key, and stores it.
    fn accept(
        &mut self,
        token: &str,
        key: impl FnOnce(&Receipt) -> Result<ReceiptKey, ReceiptRejection>,
    ) -> Result<Result<SignedReceipt, ReceiptRejection>, Error> {
        let signed = match SignedReceipt::from_token(token) {
            Ok(signed) => signed,
            Err(error) => return Ok(Err(ReceiptRejection::Malformed(error))),
        };
        if signed.verify().is_err() {
            return Ok(Err(ReceiptRejection::BadSignature));
        }
        let key = match key(signed.receipt()) {
            Ok(key) => key,
            Err(rejection) => return Ok(Err(rejection)),
        };
        Ok(self.ledger.store_receipt(&signed, key)?.map(|()| signed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controller::tests::{
        NOW, bought, controller, item, offer_with, policy, receipt_for, url,
    };
    use crate::history::SpendRecord;
    use crate::keys::{MasterSecret, MerchantKey};
    use crate::offer::Offer;
    use crate::token::{Nonce, PurchaseRequest};
    use micropay_markup::Price;

    #[test]
    fn receipts_are_checked_before_they_are_stored() {
        let dir = tempfile::tempdir().unwrap();
        let mut wallet = controller(&dir, policy());
        let offer = item(1, Some(60));
        let record = bought(wallet.purchase_offer(&offer, NOW, false).unwrap());
        wallet
            .trust_merchant_key(
                offer.merchant_origin(),
                &MerchantKey::from_seed(&[5; 32]).public_key(),
            )
            .unwrap();
        let code = |wallet: &mut WalletController, token: &str| {
            wallet
                .accept_receipt(token)
                .unwrap()
                .err()
                .map(|r| r.code())
        };
        assert_eq!(code(&mut wallet, "not a token"), Some("malformed-receipt"));
        // A purchase token is not a receipt.
        assert_eq!(code(&mut wallet, &record.token), Some("malformed-receipt"));
        let good = receipt_for(&record, &offer, NOW);
        let mut forged = SignedReceipt::from_token(&good)
            .unwrap()
            .receipt()
            .clone()
            .sign(&MerchantKey::from_seed(&[5; 32]));
        forged = SignedReceipt::from_token(&{
            let mut bytes = forged.receipt().canonical_bytes();
            let mut signature = forged.signature().to_bytes();
            signature[0] ^= 1;
            bytes.extend_from_slice(&signature);
            base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, bytes)
        })
        .unwrap();
        assert_eq!(code(&mut wallet, &forged.to_token()), Some("bad-signature"));
        // A receipt for a purchase this wallet never made.
        let stranger = MasterSecret::from_bytes([3; 32]).origin_key(offer.merchant_origin());
        let other_request = PurchaseRequest::new(
            &offer,
            &url("https://ps.example/"),
            Nonce([0xEE; 16]),
            NOW,
            stranger.public_key(),
        );
        let merchant = MerchantKey::from_seed(&[5; 32]);
        let unknown =
            Receipt::new(&other_request, &offer, NOW, merchant.public_key()).sign(&merchant);
        assert_eq!(
            code(&mut wallet, &unknown.to_token()),
            Some("unknown-purchase")
        );
        // Same nonce, other offer.
        let other_offer = item(2, Some(60));
        let mismatched_request = PurchaseRequest::new(
            &other_offer,
            &url("https://ps.example/"),
            record.request().nonce(),
            NOW,
            stranger.public_key(),
        );
        let mismatch = Receipt::new(
            &mismatched_request,
            &other_offer,
            NOW,
            merchant.public_key(),
        )
        .sign(&merchant);
        assert_eq!(
            code(&mut wallet, &mismatch.to_token()),
            Some("receipt-mismatch")
        );
        // The right receipt, twice (idempotent), then a different one for the same purchase.
        assert_eq!(code(&mut wallet, &good), None);
        assert_eq!(code(&mut wallet, &good), None);
        let other = receipt_for(&record, &offer, NOW + time::Duration::seconds(5));
        assert_eq!(code(&mut wallet, &other), Some("duplicate-receipt"));
        let history = wallet.ledger().history().unwrap();
        assert_eq!(history[0].receipt.as_ref().unwrap().to_token(), good);
    }

    /// The receipt of `record` for `offer`, signed by the merchant key of `seed`.
    fn receipt_by(seed: u8, record: &SpendRecord, offer: &Offer) -> String {
        let merchant = MerchantKey::from_seed(&[seed; 32]);
        Receipt::new(record.request(), offer, NOW, merchant.public_key())
            .sign(&merchant)
            .to_token()
    }

    #[test]
    fn receipts_are_stored_only_under_a_trusted_key() {
        let dir = tempfile::tempdir().unwrap();
        let mut wallet = controller(&dir, policy());
        let (first, second, third) = (item(1, Some(60)), item(2, Some(60)), item(3, Some(60)));
        let bought_first = bought(wallet.purchase_offer(&first, NOW, false).unwrap());
        let bought_second = bought(wallet.purchase_offer(&second, NOW, false).unwrap());
        let bought_third = bought(wallet.purchase_offer(&third, NOW, false).unwrap());
        let code = |result: Result<SignedReceipt, ReceiptRejection>| result.err().map(|r| r.code());
        let page = url("https://merchant.example/item/1");
        let real = receipt_by(5, &bought_first, &first);
        // Right nonce, scope and digest, signed by another key: never stored, whichever way
        // it comes, and nothing becomes trusted.
        let forged = receipt_by(6, &bought_first, &first);
        assert_eq!(
            code(wallet.accept_receipt(&forged).unwrap()),
            Some("untrusted-merchant-key")
        );
        // The real receipt pasted by hand: not trusted on first sight either.
        assert_eq!(
            code(wallet.accept_receipt(&real).unwrap()),
            Some("untrusted-merchant-key")
        );
        // From a response of another origin (plain http is another origin than https).
        let http = url("http://merchant.example/item/1");
        assert_eq!(
            code(wallet.accept_receipt_from_response(&real, &http).unwrap()),
            Some("origin-mismatch")
        );
        assert_eq!(
            code(
                wallet
                    .accept_receipt_from_response(&real, &url("https://other.example/x"))
                    .unwrap()
            ),
            Some("origin-mismatch")
        );
        assert!(wallet.ledger().trusted_keys().unwrap().is_empty());
        // A refused receipt from an https response trusts nothing: a receipt for a purchase
        // this wallet never made.
        let mut stranger = bought_first.request().clone();
        stranger = PurchaseRequest::new(
            &first,
            stranger.payment_system(),
            Nonce([0xEE; 16]),
            NOW,
            *stranger.public_key(),
        );
        let merchant = MerchantKey::from_seed(&[5; 32]);
        let unknown = Receipt::new(&stranger, &first, NOW, merchant.public_key())
            .sign(&merchant)
            .to_token();
        assert_eq!(
            code(
                wallet
                    .accept_receipt_from_response(&unknown, &page)
                    .unwrap()
            ),
            Some("unknown-purchase")
        );
        assert!(wallet.ledger().trusted_keys().unwrap().is_empty());
        // The real receipt in the https response: stored, and its key trusted for the origin.
        assert_eq!(
            code(wallet.accept_receipt_from_response(&real, &page).unwrap()),
            None
        );
        let trusted = wallet.ledger().trusted_keys().unwrap();
        assert_eq!(trusted.len(), 1);
        assert_eq!(
            (
                &trusted[0].merchant_origin,
                trusted[0].public_key,
                trusted[0].trust
            ),
            (
                first.merchant_origin(),
                merchant.public_key(),
                KeyTrust::HttpsResponse
            )
        );
        // From then on a receipt under that key is accepted from anywhere; the forged one
        // still is not; one for another price or scope is refused as a mismatch.
        assert_eq!(
            code(
                wallet
                    .accept_receipt(&receipt_by(5, &bought_second, &second))
                    .unwrap()
            ),
            None
        );
        assert_eq!(
            code(wallet.accept_receipt(&forged).unwrap()),
            Some("untrusted-merchant-key")
        );
        let mut cheaper = third.fields().clone();
        cheaper.price = micropay_markup::Price::parse("0.5USD").unwrap();
        let cheaper = Offer::new(cheaper).unwrap();
        let mismatched = PurchaseRequest::new(
            &cheaper,
            bought_third.request().payment_system(),
            bought_third.request().nonce(),
            NOW,
            *bought_third.request().public_key(),
        );
        let mismatch = Receipt::new(&mismatched, &cheaper, NOW, merchant.public_key())
            .sign(&merchant)
            .to_token();
        assert_eq!(
            code(wallet.accept_receipt(&mismatch).unwrap()),
            Some("receipt-mismatch")
        );
        // A rotated key: trusted once the user names it with its receipt, and only if the
        // receipt is signed by the key named.
        let rotated = receipt_by(7, &bought_third, &third);
        assert_eq!(
            code(wallet.accept_receipt(&rotated).unwrap()),
            Some("untrusted-merchant-key")
        );
        let seven = MerchantKey::from_seed(&[7; 32]).public_key();
        assert_eq!(
            code(
                wallet
                    .accept_receipt_under_key(&rotated, &merchant.public_key())
                    .unwrap()
            ),
            Some("untrusted-merchant-key")
        );
        assert_eq!(
            code(wallet.accept_receipt_under_key(&rotated, &seven).unwrap()),
            None
        );
        let trusted = wallet.ledger().trusted_keys().unwrap();
        assert_eq!(trusted.len(), 2);
        assert_eq!(
            (trusted[1].public_key, trusted[1].trust),
            (seven, KeyTrust::Named)
        );
    }

    #[test]
    fn trust_is_per_origin_and_loopback_http_is_authenticated() {
        let dir = tempfile::tempdir().unwrap();
        let mut wallet = controller(&dir, policy().with_require_https(false));
        let local = offer_with(|f| {
            f.price = Price::parse("1USD").unwrap();
            f.requesturl = url("http://127.0.0.1:8402/item");
            f.duration = Some(60);
        });
        let record = bought(wallet.purchase_offer(&local, NOW, false).unwrap());
        let receipt = receipt_by(5, &record, &local);
        // Over plain http from a host that is not loopback, the key must be trusted already.
        let remote = offer_with(|f| {
            f.price = Price::parse("1USD").unwrap();
            f.requesturl = url("http://shop.example/item");
            f.duration = Some(60);
        });
        let remote_record = bought(wallet.purchase_offer(&remote, NOW, false).unwrap());
        assert_eq!(
            wallet
                .accept_receipt_from_response(
                    &receipt_by(5, &remote_record, &remote),
                    &url("http://shop.example/item")
                )
                .unwrap()
                .err(),
            Some(ReceiptRejection::UntrustedKey)
        );
        // The key is trusted for another origin only.
        let key = MerchantKey::from_seed(&[5; 32]).public_key();
        let other = MerchantOrigin::parse("https://merchant.example").unwrap();
        wallet.trust_merchant_key(&other, &key).unwrap();
        assert_eq!(
            wallet.accept_receipt(&receipt).unwrap().err(),
            Some(ReceiptRejection::UntrustedKey)
        );
        wallet
            .accept_receipt_from_response(&receipt, &url("http://127.0.0.1:8402/item"))
            .unwrap()
            .unwrap();
        let trusted = wallet.ledger().trusted_keys().unwrap();
        assert_eq!(
            trusted
                .iter()
                .map(|t| (t.merchant_origin.as_str(), t.trust))
                .collect::<Vec<_>>(),
            [
                ("http://127.0.0.1:8402", KeyTrust::LoopbackResponse),
                ("https://merchant.example", KeyTrust::Named)
            ]
        );
    }
}

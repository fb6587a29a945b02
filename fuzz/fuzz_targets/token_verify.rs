//! Purchase-request and receipt tokens from arbitrary text: decoding never panics, and a token
//! that decodes and verifies re-encodes to exactly the same text (so a changed byte cannot
//! verify as the same token).
#![no_main]

use libfuzzer_sys::fuzz_target;
use micropay_wallet::{SignedPurchaseRequest, SignedReceipt};

fuzz_target!(|text: &str| {
    if let Ok(request) = SignedPurchaseRequest::from_token(text) {
        assert_eq!(
            request.to_token(),
            text,
            "decoding is strict: one text per token"
        );
        let _ = request.verify();
    }
    if let Ok(receipt) = SignedReceipt::from_token(text) {
        assert_eq!(
            receipt.to_token(),
            text,
            "decoding is strict: one text per receipt"
        );
        let _ = receipt.verify();
    }
});

//! The published test vectors (spec-fixtures/wallet/vectors.json): the wallet crate must
//! reproduce every byte of them.
//!
//! Each vector holds its inputs (an offer as a link object of the JSON of docs/cli.md plus `document_url`, a
//! master secret, a payment system, a nonce, instants, a merchant key seed) and the outputs
//! (canonical bytes, digests, keys, signatures, tokens). `vectors_are_reproduced` recomputes
//! the outputs from the inputs and compares. The file was written once by
//!
//! ```text
//! cargo test -p micropay-conformance --test wallet_vectors -- --ignored regenerate_vectors
//! ```
//!
//! which must only be run again on purpose (a new vector, or a new protocol version).

use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use micropay_wallet::{
    DecodeError, MasterSecret, MerchantKey, Nonce, Offer, OfferFields, OfferPaymentSystem, Price,
    PurchaseRequest, Receipt, SignedPurchaseRequest, SignedReceipt, Verifier, VerifyingKey,
};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use url::Url;

fn vectors_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../spec-fixtures/wallet/vectors.json")
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, b| {
        write!(out, "{b:02x}").unwrap();
        out
    })
}

fn unhex<const N: usize>(text: &str) -> [u8; N] {
    assert_eq!(text.len(), 2 * N, "{text}");
    let mut out = [0; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}

fn instant(value: &Value) -> OffsetDateTime {
    OffsetDateTime::parse(value.as_str().unwrap(), &Rfc3339).unwrap()
}

fn opt_text(link: &Value, key: &str) -> Option<String> {
    link[key].as_str().map(str::to_owned)
}

fn opt_url(link: &Value, key: &str) -> Option<Url> {
    link[key].as_str().map(|s| Url::parse(s).unwrap())
}

/// An offer from a link object of the JSON of docs/cli.md with `document_url` added.
fn offer_from_json(link: &Value) -> Offer {
    let price: Price = serde_json::from_value(link["price"].clone()).unwrap();
    let mut fields = OfferFields::new(
        opt_url(link, "document_url").unwrap(),
        price,
        link["textlink"].as_str().unwrap(),
        opt_url(link, "requesturl").unwrap(),
    );
    for ps in link["paymentsystems"].as_array().unwrap() {
        fields.paymentsystems.push(OfferPaymentSystem {
            id: opt_url(ps, "id").unwrap(),
            info: opt_text(ps, "info"),
        });
    }
    fields.title = opt_text(link, "title");
    fields.imagelink = opt_url(link, "imagelink");
    fields.buyid = opt_url(link, "buyid");
    fields.baseurl = opt_url(link, "baseurl");
    fields.longdesc = opt_url(link, "longdesc");
    fields.merchantname = opt_text(link, "merchantname");
    fields.duration = link["duration"].as_u64();
    fields.expiration = (!link["expiration"].is_null()).then(|| instant(&link["expiration"]));
    fields.target = opt_text(link, "target");
    fields.hreflang = opt_text(link, "hreflang");
    fields.media_type = opt_text(link, "type");
    fields.accesskey = opt_text(link, "accesskey");
    fields.charset = opt_text(link, "charset");
    fields.extdata = opt_text(link, "extdata");
    fields.extdataparam = opt_text(link, "extdataparam");
    for pair in link["extensions"].as_array().unwrap() {
        let pair = pair.as_array().unwrap();
        fields.extensions.push((
            pair[0].as_str().unwrap().to_owned(),
            pair[1].as_str().unwrap().to_owned(),
        ));
    }
    Offer::new(fields).unwrap()
}

/// The outputs of a vector, computed from its inputs.
fn outputs(input: &Value) -> Value {
    let offer = offer_from_json(&input["offer"]);
    let master = MasterSecret::from_bytes(unhex(input["master_secret"].as_str().unwrap()));
    let key = master.origin_key(offer.merchant_origin());
    let payment_system = Url::parse(input["payment_system"].as_str().unwrap()).unwrap();
    let request = PurchaseRequest::new(
        &offer,
        &payment_system,
        Nonce(unhex(input["nonce"].as_str().unwrap())),
        instant(&input["issued_at"]),
        key.public_key(),
    );
    let purchase_bytes = request.canonical_bytes();
    let purchase = request.sign(&key);
    let merchant = MerchantKey::from_seed(&unhex(input["merchant_seed"].as_str().unwrap()));
    let receipt = Receipt::new(
        purchase.request(),
        &offer,
        instant(&input["receipt_issued_at"]),
        merchant.public_key(),
    );
    let receipt_bytes = receipt.canonical_bytes();
    let receipt = receipt.sign(&merchant);
    json!({
        "merchant_origin": offer.merchant_origin().as_str(),
        "offer_canonical_bytes": hex(&offer.canonical_bytes()),
        "offer_digest": offer.digest().to_string(),
        "wallet_public_key": hex(key.public_key().as_bytes()),
        "purchase_canonical_bytes": hex(&purchase_bytes),
        "purchase_signature": hex(&purchase.signature().to_bytes()),
        "purchase_token": purchase.to_token(),
        "merchant_public_key": hex(merchant.public_key().as_bytes()),
        "receipt_canonical_bytes": hex(&receipt_bytes),
        "receipt_signature": hex(&receipt.signature().to_bytes()),
        "receipt_token": receipt.to_token(),
    })
}

#[test]
fn vectors_are_reproduced() {
    let text = std::fs::read_to_string(vectors_path()).unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["version"], 1);
    let vectors = file["vectors"].as_array().unwrap();
    assert!(vectors.len() >= 3);
    for vector in vectors {
        let name = vector["name"].as_str().unwrap();
        assert_eq!(outputs(&vector["input"]), vector["output"], "vector {name}");
        // The tokens decode, verify and re-encode to themselves.
        let output = &vector["output"];
        let token = output["purchase_token"].as_str().unwrap();
        let purchase = SignedPurchaseRequest::from_token(token).unwrap();
        purchase.verify().unwrap();
        assert_eq!(purchase.to_token(), token);
        let receipt_token = output["receipt_token"].as_str().unwrap();
        let receipt = SignedReceipt::from_token(receipt_token).unwrap();
        receipt.verify().unwrap();
        // The verifier accepts the purchase and issues exactly the published receipt.
        let dir = tempfile::tempdir().unwrap();
        let seed = unhex(vector["input"]["merchant_seed"].as_str().unwrap());
        let mut verifier =
            Verifier::create(MerchantKey::from_seed(&seed), &dir.path().join("r.db"), 300).unwrap();
        verifier.publish(offer_from_json(&vector["input"]["offer"]));
        let at = instant(&vector["input"]["receipt_issued_at"]);
        let accepted = verifier.verify(token, at).unwrap().unwrap();
        assert_eq!(accepted.receipt.to_token(), receipt_token, "vector {name}");
    }
}

/// `y + p` (little-endian) for a small `y`: a second encoding of the point whose y is `y`,
/// with the sign bit of x as given.
fn y_plus_p(y: u8, sign: bool) -> [u8; 32] {
    let mut bytes = [0xff; 32];
    bytes[0] = 0xed + y;
    bytes[31] = if sign { 0xff } else { 0x7f };
    bytes
}

/// The non-canonical public key encodings of the rejected vectors: each decodes to a point
/// with ed25519-dalek's lenient `VerifyingKey::from_bytes`, and must not be read as a key.
fn non_canonical_keys() -> Vec<(&'static str, &'static str, [u8; 32])> {
    // The smallest y whose y + p decodes to a point of large order.
    let y = (2..19)
        .find(|&y| VerifyingKey::from_bytes(&y_plus_p(y, false)).is_ok_and(|k| !k.is_weak()))
        .expect("some y below 19 is on the curve");
    let mut negative_zero = [0; 32];
    negative_zero[0] = 1;
    negative_zero[31] = 0x80;
    let leaked = |text: String| -> &'static str { Box::leak(text.into_boxed_str()) };
    vec![
        (
            "y-plus-p",
            leaked(format!(
                "y = p + {y}, a second encoding of the point with y = {y} (of large order)"
            )),
            y_plus_p(y, false),
        ),
        (
            "y-plus-p-negative-x",
            leaked(format!(
                "y = p + {y} with the sign bit of x set: a second encoding of the other point with y = {y}"
            )),
            y_plus_p(y, true),
        ),
        (
            "identity-y-plus-p",
            "y = p + 1: a second encoding of the identity (y = 1)",
            y_plus_p(1, false),
        ),
        (
            "identity-negative-zero-x",
            "y = 1 with the sign bit set although x = 0: a second encoding of the identity",
            negative_zero,
        ),
    ]
}

/// The rejected vectors: the `minimal` vector's purchase token and receipt, each with its
/// public key replaced by a non-canonical encoding (and the signature kept).
fn rejected(minimal_output: &Value) -> Vec<Value> {
    let mut vectors = Vec::new();
    for (kind, output, field, reason) in [
        (
            "purchase-request",
            "purchase_token",
            "public_key",
            "malformed-token",
        ),
        (
            "receipt",
            "receipt_token",
            "merchant_key",
            "malformed-receipt",
        ),
    ] {
        let token = minimal_output[output].as_str().unwrap();
        let bytes = URL_SAFE_NO_PAD.decode(token).unwrap();
        // The key is the last field, right before the 64-byte signature.
        let key_at = bytes.len() - 64 - 32;
        for (name, description, key) in non_canonical_keys() {
            let mut altered = bytes.clone();
            altered[key_at..key_at + 32].copy_from_slice(&key);
            let short = if kind == "receipt" {
                "receipt"
            } else {
                "purchase"
            };
            vectors.push(json!({
                "name": format!("{short}-key-{name}"),
                "kind": kind,
                "description": format!("The minimal vector's {} with its {field} {description}.", output.replace('_', " ")),
                "token": URL_SAFE_NO_PAD.encode(&altered),
                "field": field,
                "reason": reason,
            }));
        }
    }
    vectors
}

#[test]
fn rejected_vectors_are_refused_as_malformed() {
    let text = std::fs::read_to_string(vectors_path()).unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    let minimal = &file["vectors"][0];
    assert_eq!(minimal["name"], "minimal");
    let published = file["rejected"].as_array().unwrap();
    // The file holds exactly what the generator makes.
    assert_eq!(published, &rejected(&minimal["output"]));
    assert_eq!(published.len(), 8);
    for vector in published {
        let name = vector["name"].as_str().unwrap();
        let token = vector["token"].as_str().unwrap();
        let field = vector["field"].as_str().unwrap();
        let bytes = URL_SAFE_NO_PAD.decode(token).unwrap();
        let key: [u8; 32] = bytes[bytes.len() - 96..bytes.len() - 64]
            .try_into()
            .unwrap();
        // ed25519-dalek alone would take these bytes for a key ...
        assert!(VerifyingKey::from_bytes(&key).is_ok(), "{name}");
        // ... the decoder refuses them, before any signature is checked.
        let error = match vector["kind"].as_str().unwrap() {
            "purchase-request" => SignedPurchaseRequest::from_token(token).err(),
            "receipt" => SignedReceipt::from_token(token).err(),
            other => panic!("{name}: kind {other}"),
        };
        let expected = match field {
            "public_key" => DecodeError::NonCanonical("public_key"),
            _ => DecodeError::NonCanonical("merchant_key"),
        };
        assert_eq!(error, Some(expected), "{name}");
        if vector["kind"] == "purchase-request" {
            let dir = tempfile::tempdir().unwrap();
            let mut verifier = Verifier::create(
                MerchantKey::from_seed(&[1; 32]),
                &dir.path().join("r.db"),
                300,
            )
            .unwrap();
            verifier.publish(offer_from_json(&minimal["input"]["offer"]));
            let at = instant(&minimal["input"]["receipt_issued_at"]);
            let rejection = verifier.verify(token, at).unwrap().unwrap_err();
            assert_eq!(rejection.code(), vector["reason"], "{name}");
        }
    }
}

fn link(
    document_url: &str,
    amount: &str,
    currency: &str,
    textlink: &str,
    requesturl: &str,
) -> Value {
    json!({
        "document_url": document_url,
        "price": {"amount": amount, "currency": currency},
        "textlink": textlink,
        "requesturl": requesturl,
        "paymentsystems": [{"id": "https://ps.example/", "info": null}],
        "title": null, "imagelink": null, "buyid": null, "baseurl": null, "longdesc": null,
        "merchantname": null, "duration": null, "expiration": null, "target": null,
        "hreflang": null, "type": null, "accesskey": null, "charset": null,
        "extdata": null, "extdataparam": null, "extensions": []
    })
}

#[test]
#[ignore = "writes spec-fixtures/wallet/vectors.json; run only to publish new vectors"]
fn regenerate_vectors() {
    let minimal = link(
        "https://merchant.example/cartoons/",
        "0.01",
        "USD",
        "Today's cartoon",
        "https://merchant.example/cartoon/today.html",
    );
    let mut full = link(
        "https://merchant.example/news/index.html",
        "4.25",
        "EUR",
        "Article complet — « Le marché »",
        "https://merchant.example/news/article-17.html",
    );
    let object = full.as_object_mut().unwrap();
    object.insert(
        "paymentsystems".into(),
        json!([
            {"id": "https://ps.example/", "info": "merchant-account=4711"},
            {"id": "urn:x-micropay:other-system", "info": null}
        ]),
    );
    for (key, value) in [
        ("title", json!("The full article")),
        ("imagelink", json!("https://merchant.example/img/buy.png")),
        ("buyid", json!("https://merchant.example/news/")),
        ("baseurl", json!("https://merchant.example/news/")),
        (
            "longdesc",
            json!("https://merchant.example/news/about.html"),
        ),
        ("merchantname", json!("Merchant Example News")),
        ("duration", json!(86400)),
        ("expiration", json!("2027-12-31T23:59:59.5Z")),
        ("target", json!("_blank")),
        ("hreflang", json!("fr")),
        ("type", json!("text/html; charset=utf-8")),
        ("accesskey", json!("a")),
        ("charset", json!("utf-8")),
        ("extdata", json!("opaque data")),
        ("extdataparam", json!("")),
        ("extensions", json!([["x-colour", "red"], ["x-empty", ""]])),
    ] {
        object.insert(key.into(), value);
    }
    let tiny = link(
        "http://shop.example:8080/",
        "0.0000001",
        "JPY",
        "A tiny thing",
        "http://shop.example:8080/thing?id=1",
    );
    let inputs = [
        (
            "minimal",
            "Required fields only, one payment system, no duration",
            minimal,
            "0000000000000000000000000000000000000000000000000000000000000000",
            "https://ps.example/",
            "00000000000000000000000000000000",
            "2026-01-01T00:00:00Z",
            "2026-01-01T00:00:01Z",
        ),
        (
            "every-field",
            "Every optional field, buyid scope, one day of access, fractional expiration",
            full,
            "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20",
            "urn:x-micropay:other-system",
            "00112233445566778899aabbccddeeff",
            "2026-06-15T08:30:00Z",
            "2026-06-15T08:30:05Z",
        ),
        (
            "http-port-tiny-price",
            "An http origin with a port and a seven-decimal price",
            tiny,
            "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            "https://ps.example/",
            "ffffffffffffffffffffffffffffffff",
            "1999-08-25T12:00:00Z",
            "1999-08-25T11:59:00Z",
        ),
    ];
    let vectors: Vec<Value> = inputs
        .into_iter()
        .map(|(name, description, offer, secret, ps, nonce, issued, receipt_issued)| {
            let input = json!({
                "offer": offer,
                "master_secret": secret,
                "payment_system": ps,
                "nonce": nonce,
                "issued_at": issued,
                "merchant_seed": "6d6963726f70617920766563746f72206d65726368616e742073656564203031",
                "receipt_issued_at": receipt_issued,
            });
            let output = outputs(&input);
            json!({"name": name, "description": description, "input": input, "output": output})
        })
        .collect();
    let rejected = rejected(&vectors[0]["output"]);
    let file = json!({
        "version": 1,
        "description": "Test vectors of the micropay wallet protocol v1 (docs/wallet-protocol.md). Hex is lower-case; instants are RFC 3339.",
        "vectors": vectors,
        "rejected": rejected,
    });
    let path = vectors_path();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, serde_json::to_string_pretty(&file).unwrap() + "\n").unwrap();
}

//! The canonical byte encoding shared by the offer digest, the purchase request and the receipt
//! (docs/wallet-protocol.md describes it for other implementations).
//!
//! Every structure starts with a length-prefixed ASCII domain tag. Variable-length fields are
//! a 4-byte big-endian length followed by the bytes; integers are fixed-width big-endian;
//! an optional field is one byte `0x00` (absent) or `0x01` followed by the field; a list is a
//! 4-byte big-endian count followed by its items. The encoding of a value is therefore unique,
//! and the reader accepts only that unique encoding.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use curve25519_dalek::edwards::CompressedEdwardsY;
use ed25519_dalek::{SIGNATURE_LENGTH, Signature, VerifyingKey};
use micropay_markup::{Amount, Currency, Price};
use time::OffsetDateTime;
use url::Url;

use crate::origin::MerchantOrigin;

/// The latest instant a token may name: 9999-12-31T23:59:59Z, in Unix seconds.
pub(crate) const MAX_TIMESTAMP: i64 = 253_402_300_799;

/// Why bytes (or a token) are not a canonical encoding of the expected structure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The transport text is not unpadded base64url with zero trailing bits.
    #[error("not canonical unpadded base64url")]
    Base64,
    /// The bytes end inside a field.
    #[error("truncated")]
    Truncated,
    /// Bytes follow the last field.
    #[error("trailing bytes after the last field")]
    TrailingBytes,
    /// The domain tag is not the one of this structure.
    #[error("wrong domain tag")]
    WrongDomain,
    /// The version field names a version this build does not know.
    #[error("unknown version {0}")]
    UnknownVersion(u8),
    /// A text field is not UTF-8.
    #[error("field {0} is not UTF-8")]
    Utf8(&'static str),
    /// An optional field's marker is neither 0 nor 1.
    #[error("field {0} has an invalid presence marker")]
    PresenceMarker(&'static str),
    /// A field holds a value that is not in its canonical form (or not a value at all).
    #[error("field {0} is not in canonical form")]
    NonCanonical(&'static str),
}

/// Appends canonical fields to a buffer.
pub(crate) struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    /// Starts a structure with its domain tag.
    pub(crate) fn new(domain: &str) -> Self {
        let mut writer = Writer { buf: Vec::new() };
        writer.bytes(domain.as_bytes());
        writer
    }

    /// A variable-length field: 4-byte big-endian length, then the bytes.
    pub(crate) fn bytes(&mut self, value: &[u8]) {
        let len = u32::try_from(value.len()).expect("a field is shorter than 4 GiB");
        self.buf.extend_from_slice(&len.to_be_bytes());
        self.buf.extend_from_slice(value);
    }

    /// A text field (UTF-8, length-prefixed).
    pub(crate) fn text(&mut self, value: &str) {
        self.bytes(value.as_bytes());
    }

    /// A fixed-size field, written as is.
    pub(crate) fn fixed(&mut self, value: &[u8]) {
        self.buf.extend_from_slice(value);
    }

    /// One byte.
    pub(crate) fn u8(&mut self, value: u8) {
        self.buf.push(value);
    }

    /// Four bytes, big-endian (list counts, nanoseconds).
    pub(crate) fn u32(&mut self, value: u32) {
        self.buf.extend_from_slice(&value.to_be_bytes());
    }

    /// Eight bytes, big-endian.
    pub(crate) fn u64(&mut self, value: u64) {
        self.buf.extend_from_slice(&value.to_be_bytes());
    }

    /// Eight bytes, big-endian two's complement.
    pub(crate) fn i64(&mut self, value: i64) {
        self.buf.extend_from_slice(&value.to_be_bytes());
    }

    /// The count of a list that follows.
    pub(crate) fn count(&mut self, count: usize) {
        self.u32(u32::try_from(count).expect("a list has fewer than 2^32 items"));
    }

    /// An optional text field.
    pub(crate) fn opt_text(&mut self, value: Option<&str>) {
        match value {
            None => self.u8(0),
            Some(text) => {
                self.u8(1);
                self.text(text);
            }
        }
    }

    /// The finished bytes.
    pub(crate) fn finish(self) -> Vec<u8> {
        self.buf
    }
}

/// Reads canonical fields, accepting nothing but the unique encoding.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Starts reading a structure, checking its domain tag.
    pub(crate) fn new(bytes: &'a [u8], domain: &str) -> Result<Self, DecodeError> {
        let mut reader = Reader { rest: bytes };
        if reader.bytes()? != domain.as_bytes() {
            return Err(DecodeError::WrongDomain);
        }
        Ok(reader)
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], DecodeError> {
        if self.rest.len() < len {
            return Err(DecodeError::Truncated);
        }
        let (head, tail) = self.rest.split_at(len);
        self.rest = tail;
        Ok(head)
    }

    /// A fixed-size field.
    pub(crate) fn fixed<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    /// One byte.
    pub(crate) fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.fixed::<1>()?[0])
    }

    /// Four bytes, big-endian.
    pub(crate) fn u32(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(self.fixed()?))
    }

    /// Eight bytes, big-endian two's complement.
    pub(crate) fn i64(&mut self) -> Result<i64, DecodeError> {
        Ok(i64::from_be_bytes(self.fixed()?))
    }

    /// A variable-length field.
    pub(crate) fn bytes(&mut self) -> Result<&'a [u8], DecodeError> {
        let len = usize::try_from(self.u32()?).map_err(|_| DecodeError::Truncated)?;
        self.take(len)
    }

    /// A text field; `name` says which, for the error.
    pub(crate) fn text(&mut self, name: &'static str) -> Result<&'a str, DecodeError> {
        std::str::from_utf8(self.bytes()?).map_err(|_| DecodeError::Utf8(name))
    }

    /// The presence marker of an optional field.
    pub(crate) fn present(&mut self, name: &'static str) -> Result<bool, DecodeError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(DecodeError::PresenceMarker(name)),
        }
    }

    /// A Unix timestamp in seconds within 1970..=9999, the range tokens may name.
    pub(crate) fn timestamp(&mut self, name: &'static str) -> Result<i64, DecodeError> {
        let value = self.i64()?;
        if (0..=MAX_TIMESTAMP).contains(&value) {
            Ok(value)
        } else {
            Err(DecodeError::NonCanonical(name))
        }
    }

    /// Succeeds only when every byte has been read.
    pub(crate) fn finish(self) -> Result<(), DecodeError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(DecodeError::TrailingBytes)
        }
    }
}

/// An instant as whole Unix seconds (sub-second parts are dropped).
pub(crate) fn unix_seconds(instant: OffsetDateTime) -> i64 {
    instant.unix_timestamp()
}

/// The instant of a timestamp already checked to be in range.
pub(crate) fn instant(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(seconds).expect("timestamp checked to be in range")
}

/// `start + seconds`, saturating at [`MAX_TIMESTAMP`].
pub(crate) fn add_seconds(start: i64, seconds: u64) -> i64 {
    let seconds = i64::try_from(seconds).unwrap_or(i64::MAX);
    start.saturating_add(seconds).min(MAX_TIMESTAMP)
}

/// Longest transport token accepted, in characters (a token is a few hundred).
pub(crate) const MAX_TOKEN_LEN: usize = 8192;

/// The transport form: unpadded base64url of the canonical bytes followed by the 64-byte
/// Ed25519 signature.
pub(crate) fn encode_token(canonical: &[u8], signature: &Signature) -> String {
    let mut bytes = canonical.to_vec();
    bytes.extend_from_slice(&signature.to_bytes());
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Splits a transport token into canonical bytes and signature, accepting only the exact
/// text [`encode_token`] would produce for them.
pub(crate) fn decode_token(token: &str) -> Result<(Vec<u8>, Signature), DecodeError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(DecodeError::Base64);
    }
    let mut bytes = URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|_| DecodeError::Base64)?;
    if URL_SAFE_NO_PAD.encode(&bytes) != token {
        return Err(DecodeError::Base64);
    }
    let Some(split) = bytes.len().checked_sub(SIGNATURE_LENGTH) else {
        return Err(DecodeError::Truncated);
    };
    let signature: [u8; SIGNATURE_LENGTH] = bytes[split..].try_into().expect("64 bytes");
    bytes.truncate(split);
    Ok((bytes, Signature::from_bytes(&signature)))
}

impl Reader<'_> {
    /// An absolute URL in its WHATWG serialisation.
    pub(crate) fn url(&mut self, name: &'static str) -> Result<Url, DecodeError> {
        let text = self.text(name)?;
        match Url::parse(text) {
            Ok(url) if url.as_str() == text => Ok(url),
            _ => Err(DecodeError::NonCanonical(name)),
        }
    }

    /// An optional absolute URL.
    pub(crate) fn opt_url(&mut self, name: &'static str) -> Result<Option<Url>, DecodeError> {
        if self.present(name)? {
            self.url(name).map(Some)
        } else {
            Ok(None)
        }
    }

    /// A price: the canonical amount text, then the currency code.
    pub(crate) fn price(&mut self) -> Result<Price, DecodeError> {
        let text = self.text("amount")?;
        let currency = self.text("currency")?;
        let currency =
            Currency::parse(currency).map_err(|_| DecodeError::NonCanonical("currency"))?;
        // P-3 grammar, then the canonical form only: no exponent, sign or trailing zeros.
        let amount = Amount::parse(text)
            .ok()
            .filter(|amount| amount.to_string() == text)
            .ok_or(DecodeError::NonCanonical("amount"))?;
        Ok(Price::new(amount, currency))
    }

    /// A merchant origin in its canonical ASCII serialisation.
    pub(crate) fn origin(&mut self, name: &'static str) -> Result<MerchantOrigin, DecodeError> {
        MerchantOrigin::parse(self.text(name)?).map_err(|_| DecodeError::NonCanonical(name))
    }

    /// A 32-byte Ed25519 public key that is the canonical encoding of a curve point
    /// ([`canonical_public_key`]).
    pub(crate) fn public_key(&mut self, name: &'static str) -> Result<VerifyingKey, DecodeError> {
        canonical_public_key(&self.fixed::<32>()?).ok_or(DecodeError::NonCanonical(name))
    }
}

/// The Ed25519 public key `bytes` encode, if they are the canonical encoding of a point of
/// the curve (RFC 8032 §5.1.3): y below p = 2^255 − 19, and the sign bit clear when x is 0.
/// ed25519-dalek's `VerifyingKey::from_bytes` reduces y modulo p and keeps the bytes as given,
/// so it also accepts a second encoding, y + p, of the points whose y is below 19, and a set
/// sign bit with x = 0; so the point decoded is compressed again and compared with the input.
pub(crate) fn canonical_public_key(bytes: &[u8; 32]) -> Option<VerifyingKey> {
    let point = CompressedEdwardsY(*bytes).decompress()?;
    (point.compress().as_bytes() == bytes).then(|| VerifyingKey::from(point))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A second encoding, y + p with y < 19, of a point of the curve that is not of small
    /// order: what ed25519-dalek's `VerifyingKey::from_bytes` accepts and a token must not.
    pub(crate) fn second_encoding_of_a_key() -> [u8; 32] {
        (0..19)
            .map(|y| y_plus_p(y, false))
            .find(|bytes| VerifyingKey::from_bytes(bytes).is_ok_and(|key| !key.is_weak()))
            .expect("some y below 19 is on the curve")
    }

    #[test]
    fn writer_and_reader_agree() {
        let mut writer = Writer::new("test/v1");
        writer.text("héllo");
        writer.opt_text(None);
        writer.opt_text(Some(""));
        writer.fixed(&[7; 3]);
        writer.i64(-2);
        let bytes = writer.finish();
        let mut reader = Reader::new(&bytes, "test/v1").unwrap();
        assert_eq!(reader.text("a").unwrap(), "héllo");
        assert!(!reader.present("b").unwrap());
        assert!(reader.present("c").unwrap());
        assert_eq!(reader.text("c").unwrap(), "");
        assert_eq!(reader.fixed::<3>().unwrap(), [7; 3]);
        assert_eq!(reader.i64().unwrap(), -2);
        reader.finish().unwrap();
    }

    #[test]
    fn reader_rejects_other_domain_truncation_and_trailing_bytes() {
        let bytes = Writer::new("test/v1").finish();
        assert_eq!(
            Reader::new(&bytes, "test/v2").err(),
            Some(DecodeError::WrongDomain)
        );
        assert_eq!(
            Reader::new(&bytes[..bytes.len() - 1], "test/v1").err(),
            Some(DecodeError::Truncated)
        );
        let mut longer = bytes.clone();
        longer.push(0);
        let reader = Reader::new(&longer, "test/v1").unwrap();
        assert_eq!(reader.finish(), Err(DecodeError::TrailingBytes));
    }

    #[test]
    fn presence_marker_must_be_zero_or_one() {
        let mut bytes = Writer::new("t").finish();
        bytes.push(2);
        let mut reader = Reader::new(&bytes, "t").unwrap();
        assert_eq!(reader.present("x"), Err(DecodeError::PresenceMarker("x")));
    }

    #[test]
    fn timestamps_outside_the_token_range_are_rejected() {
        for value in [-1, MAX_TIMESTAMP + 1] {
            let mut writer = Writer::new("t");
            writer.i64(value);
            let bytes = writer.finish();
            let mut reader = Reader::new(&bytes, "t").unwrap();
            assert_eq!(reader.timestamp("at"), Err(DecodeError::NonCanonical("at")));
        }
    }

    /// `y + p` (little-endian) for a small `y`, with the sign bit of x set or not.
    fn y_plus_p(y: u8, sign: bool) -> [u8; 32] {
        let mut bytes = [0xff; 32];
        bytes[0] = 0xed + y;
        bytes[31] = if sign { 0xff } else { 0x7f };
        bytes
    }

    #[test]
    fn only_canonical_point_encodings_are_public_keys() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[3; 32]).verifying_key();
        assert_eq!(canonical_public_key(key.as_bytes()), Some(key));
        let mut second_encodings = 0;
        for y in 0..19 {
            for sign in [false, true] {
                let bytes = y_plus_p(y, sign);
                // ed25519-dalek takes these for keys, reduced modulo p ...
                let Ok(lenient) = VerifyingKey::from_bytes(&bytes) else {
                    continue;
                };
                second_encodings += 1;
                assert_eq!(lenient.as_bytes(), &bytes);
                // ... the point has its canonical encoding with y itself ...
                let mut canonical = [0; 32];
                canonical[0] = y;
                let point = CompressedEdwardsY(bytes).decompress().unwrap();
                assert_eq!(point.compress().as_bytes()[..31], canonical[..31]);
                // ... and the reader refuses the second one.
                assert_eq!(canonical_public_key(&bytes), None, "y = p + {y}");
                let mut reader_input = Writer::new("t");
                reader_input.fixed(&bytes);
                let reader_input = reader_input.finish();
                let mut reader = Reader::new(&reader_input, "t").unwrap();
                assert_eq!(
                    reader.public_key("key"),
                    Err(DecodeError::NonCanonical("key"))
                );
            }
        }
        assert!(second_encodings > 2, "{second_encodings}");
        // x = 0 with the sign bit set: the identity (y = 1) and (0, −1) (y = p − 1).
        let mut identity = [0; 32];
        identity[0] = 1;
        let mut minus_one = y_plus_p(0, false);
        minus_one[0] = 0xec;
        for mut bytes in [identity, minus_one] {
            assert!(canonical_public_key(&bytes).is_some());
            bytes[31] |= 0x80;
            assert!(VerifyingKey::from_bytes(&bytes).is_ok());
            assert_eq!(canonical_public_key(&bytes), None);
        }
    }

    proptest::proptest! {
        #[test]
        fn a_public_key_is_read_exactly_when_it_is_its_own_encoding(bytes in proptest::prelude::any::<[u8; 32]>()) {
            let read = canonical_public_key(&bytes);
            let lenient = VerifyingKey::from_bytes(&bytes).ok();
            proptest::prop_assert_eq!(read.is_some(), lenient.is_some_and(|key| {
                CompressedEdwardsY(bytes).decompress().unwrap().compress().to_bytes() == bytes
                    && key.as_bytes() == &bytes
            }));
            if let Some(key) = read {
                proptest::prop_assert_eq!(key.as_bytes(), &bytes);
            }
        }
    }

    #[test]
    fn adding_seconds_saturates() {
        assert_eq!(add_seconds(10, 5), 15);
        assert_eq!(add_seconds(10, u64::MAX), MAX_TIMESTAMP);
    }
}

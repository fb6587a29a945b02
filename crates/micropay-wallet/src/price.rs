//! Prices: an exact non-negative decimal amount and a three-letter currency code.
//!
//! This is a stand-in for `micropay_markup::Price` until the parser crate is available: the
//! whole grammar lives in [`parse_price`], so that switching to the parser's `Price::parse` is
//! a change of that one function's body.

use std::fmt;

use rust_decimal::Decimal;

/// Why a price text or price parts were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PriceError {
    /// The text is not `amount currency` in the profile's grammar (P-3).
    #[error("not a price (expected e.g. 0.05USD): {0:?}")]
    Invalid(String),
    /// The amount is negative.
    #[error("negative price: {0:?}")]
    Negative(String),
    /// More than 28 significant digits or 28 digits after the point.
    #[error("price out of range: {0:?}")]
    OutOfRange(String),
    /// The currency is not three upper-case ASCII letters.
    #[error("not a currency code (three upper-case letters): {0:?}")]
    Currency(String),
}

/// An exact, non-negative amount of money in one currency; the amount is kept normalised
/// (no trailing fractional zeros), so equal prices have equal canonical text.
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Price {
    amount: Decimal,
    currency: String,
}

impl Price {
    /// A price from an amount and a currency code; refuses negative amounts and codes that are
    /// not three upper-case ASCII letters.
    pub fn new(amount: Decimal, currency: &str) -> Result<Self, PriceError> {
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(PriceError::Negative(amount.to_string()));
        }
        check_currency(currency)?;
        let mut amount = amount.normalize();
        amount.set_sign_positive(true);
        Ok(Price {
            amount,
            currency: currency.to_owned(),
        })
    }

    /// Parses the profile's price text, e.g. `0.05USD` or `5E-2USD` (P-3).
    pub fn parse(text: &str) -> Result<Self, PriceError> {
        parse_price(text)
    }

    /// The exact amount, normalised.
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// The three-letter currency code.
    pub fn currency(&self) -> &str {
        &self.currency
    }

    /// The amount's canonical text: plain decimal, no exponent, no sign, no trailing
    /// fractional zeros (`4.25`, `0.001`, `0`).
    pub fn canonical_amount(&self) -> String {
        self.amount.to_string()
    }
}

impl fmt::Display for Price {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.amount, self.currency)
    }
}

impl fmt::Debug for Price {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Price({self})")
    }
}

impl TryFrom<String> for Price {
    type Error = PriceError;
    fn try_from(text: String) -> Result<Self, PriceError> {
        parse_price(&text)
    }
}

impl From<Price> for String {
    fn from(price: Price) -> String {
        price.to_string()
    }
}

/// Checks a currency code: exactly three upper-case ASCII letters (P-3).
pub(crate) fn check_currency(code: &str) -> Result<(), PriceError> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(PriceError::Currency(code.to_owned()))
    }
}

/// The one place that knows the price grammar (P-3):
///
/// ```text
/// price    = amount currency
/// amount   = [ "+" ] mantissa [ exponent ]
/// mantissa = 1*DIGIT [ "." *DIGIT ] / "." 1*DIGIT
/// exponent = ( "E" / "e" ) [ "+" / "-" ] 1*DIGIT
/// currency = 3( %x41-5A )
/// ```
///
/// To be replaced by `micropay_markup::Price::parse` once the parser crate exists.
pub fn parse_price(text: &str) -> Result<Price, PriceError> {
    let invalid = || PriceError::Invalid(text.to_owned());
    if text.len() < 4 || !text.is_char_boundary(text.len() - 3) {
        return Err(invalid());
    }
    let (amount, currency) = text.split_at(text.len() - 3);
    if amount.starts_with('-') {
        return Err(PriceError::Negative(text.to_owned()));
    }
    check_currency(currency).map_err(|_| invalid())?;
    let amount = amount.strip_prefix('+').unwrap_or(amount);
    let (mantissa, exponent) = match amount.find(['E', 'e']) {
        Some(at) => (&amount[..at], Some(&amount[at + 1..])),
        None => (amount, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (mantissa, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || !all_digits(fraction) || (whole.is_empty() && fraction.is_empty()) {
        return Err(invalid());
    }
    // The value is digits * 10^-scale, with scale = fraction length - exponent.
    let mut scale = i64::try_from(fraction.len()).map_err(|_| invalid())?;
    if let Some(exponent) = exponent {
        let (negative, magnitude) = match exponent.as_bytes().first() {
            Some(b'-') => (true, &exponent[1..]),
            Some(b'+') => (false, &exponent[1..]),
            _ => (false, exponent),
        };
        if magnitude.is_empty() || !all_digits(magnitude) {
            return Err(invalid());
        }
        // Saturate: an exponent this large is out of range unless the mantissa is zero.
        let magnitude: i64 = magnitude.parse().unwrap_or(i64::MAX / 2).min(i64::MAX / 2);
        scale = if negative {
            scale.saturating_add(magnitude)
        } else {
            scale.saturating_sub(magnitude)
        };
    }
    let mut digits: String = whole.chars().chain(fraction.chars()).collect();
    let significant_start = digits.find(|c| c != '0').unwrap_or(digits.len());
    digits.drain(..significant_start);
    while digits.ends_with('0') {
        digits.pop();
        scale -= 1;
    }
    if digits.is_empty() {
        return Price::new(Decimal::ZERO, currency);
    }
    let out_of_range = || PriceError::OutOfRange(text.to_owned());
    if scale < 0 {
        let zeros = usize::try_from(-scale).map_err(|_| out_of_range())?;
        if digits.len().saturating_add(zeros) > 28 {
            return Err(out_of_range());
        }
        digits.extend(std::iter::repeat_n('0', zeros));
        scale = 0;
    }
    if digits.len() > 28 || scale > 28 {
        return Err(out_of_range());
    }
    let mantissa: i128 = digits.parse().map_err(|_| out_of_range())?;
    let scale = u32::try_from(scale).map_err(|_| out_of_range())?;
    let amount = Decimal::try_from_i128_with_scale(mantissa, scale).map_err(|_| out_of_range())?;
    Price::new(amount, currency)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn canonical(text: &str) -> String {
        parse_price(text).unwrap().to_string()
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(canonical("0.05USD"), "0.05USD");
        assert_eq!(canonical("+4.250E0USD"), "4.25USD");
        assert_eq!(canonical("1E-3USD"), "0.001USD");
        assert_eq!(canonical(".5EUR"), "0.5EUR");
        assert_eq!(canonical("5.EUR"), "5EUR");
        assert_eq!(canonical("12e+2JPY"), "1200JPY");
        assert_eq!(canonical("0.000E99999999999999999999USD"), "0USD");
        assert_eq!(canonical("00100USD"), "100USD");
    }

    #[test]
    fn off_grammar_texts_are_invalid() {
        for text in [
            "", "USD", "0.05 USD", "0.05usd", "$0.05", "0,05USD", "1E1.5USD", ".USD", "1E+USD",
            "1EUSD", "++1USD", "0.05US", "0.05USDX", "1 E2USD", "1.2.3USD", "0.05ÜSD",
        ] {
            assert!(
                matches!(parse_price(text), Err(PriceError::Invalid(_))),
                "{text:?} should be invalid"
            );
        }
    }

    #[test]
    fn negative_and_out_of_range() {
        assert!(matches!(parse_price("-1USD"), Err(PriceError::Negative(_))));
        assert!(matches!(
            parse_price("1E28USD"),
            Err(PriceError::OutOfRange(_))
        ));
        assert!(matches!(
            parse_price("1E-29USD"),
            Err(PriceError::OutOfRange(_))
        ));
        assert!(matches!(
            parse_price("12345678901234567890123456789USD"),
            Err(PriceError::OutOfRange(_))
        ));
        assert_eq!(
            canonical("9999999999999999999999999999USD"),
            "9999999999999999999999999999USD"
        );
        assert_eq!(canonical("1E-28USD"), "0.0000000000000000000000000001USD");
    }

    #[test]
    fn new_checks_sign_and_currency() {
        assert!(Price::new(Decimal::new(-1, 2), "USD").is_err());
        assert!(Price::new(Decimal::ONE, "usd").is_err());
        assert_eq!(
            Price::new(Decimal::new(500, 4), "USD")
                .unwrap()
                .canonical_amount(),
            "0.05"
        );
    }

    #[test]
    fn serde_uses_the_text_form() {
        let price = parse_price("0.05USD").unwrap();
        let json = serde_json::to_string(&price).unwrap();
        assert_eq!(json, "\"0.05USD\"");
        assert_eq!(serde_json::from_str::<Price>(&json).unwrap(), price);
        assert!(serde_json::from_str::<Price>("\"-1USD\"").is_err());
    }

    proptest! {
        #[test]
        fn display_parses_back(mantissa in 0i64..=i64::MAX, scale in 0u32..=18, cur in "[A-Z]{3}") {
            let price = Price::new(Decimal::new(mantissa, scale), &cur).unwrap();
            prop_assert_eq!(parse_price(&price.to_string()).unwrap(), price);
        }
    }
}

//! P-3: the exact decimal amount of a price.
//!
//! ```text
//! amount   = [ "+" ] mantissa [ exponent ]
//! mantissa = 1*DIGIT [ "." *DIGIT ] / "." 1*DIGIT
//! exponent = ( "E" / "e" ) [ "+" / "-" ] 1*DIGIT
//! ```
//!
//! The amount is held as a [`Decimal`], never as a float. The limits of P-3 (28 significant
//! digits, 28 digits after the point) are checked on the value once the exponent has been
//! applied and leading zeros and trailing fractional zeros have been dropped, so `000.500E1`
//! counts as one significant digit. The exponent itself is read with saturation: a huge
//! exponent costs one pass over its digits and is then simply out of range (or irrelevant
//! when the mantissa is zero, as in `0E999999999`).

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Code, Finding};

/// P-3: at most this many significant digits and this many digits after the point.
pub const MAX_DIGITS: u32 = 28;

/// Exponents are clamped to this magnitude while being read; anything near it is out of range.
const EXPONENT_CLAMP: i64 = 1_000_000_000_000;

/// A non-negative exact decimal: at most 28 significant digits and 28 fractional digits.
/// Always held normalised (no trailing fractional zeros); comparison is by value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(Decimal);
impl Amount {
    /// Zero.
    pub const ZERO: Amount = Amount(Decimal::ZERO);

    /// Parses the `amount` production of P-3 (no currency).
    pub fn parse(text: &str) -> Result<Amount, Finding> {
        parse_with_suffix(text, &Written::alone(text))
    }

    /// Wraps a decimal: `None` if it is negative or outside the P-3 limits.
    pub fn from_decimal(value: Decimal) -> Option<Amount> {
        if value.is_zero() {
            return Some(Amount::ZERO);
        }
        if value.is_sign_negative() {
            return None;
        }
        let value = value.normalize();
        // P-3: the mantissa of a normalised decimal holds exactly its significant digits.
        let significant = value
            .mantissa()
            .unsigned_abs()
            .checked_ilog10()
            .map_or(1, |d| d + 1);
        (significant <= MAX_DIGITS && value.scale() <= MAX_DIGITS).then_some(Amount(value))
    }

    /// The exact value.
    pub fn as_decimal(&self) -> Decimal {
        self.0
    }

    /// Whether the amount is zero (P-3: `zero-price`).
    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    /// The sum, if it is still within the P-3 limits.
    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        self.0.checked_add(other.0).and_then(Amount::from_decimal)
    }
}

/// The pieces of a grammatical amount, as byte slices of the input.
struct Parts<'a> {
    integer: &'a [u8],
    fraction: &'a [u8],
    exponent: i64,
}

/// Reads the P-3 `amount` production; `None` when the text is off the grammar.
fn scan(text: &str) -> Option<Parts<'_>> {
    let bytes = text.as_bytes();
    let mut pos = usize::from(bytes.first() == Some(&b'+'));
    let integer_start = pos;
    pos += count_digits(bytes.get(pos..)?);
    let integer = bytes.get(integer_start..pos)?;
    let mut fraction: &[u8] = &[];
    if bytes.get(pos) == Some(&b'.') {
        let start = pos + 1;
        pos = start + count_digits(bytes.get(start..)?);
        fraction = bytes.get(start..pos)?;
    }
    // P-3: the mantissa needs at least one digit on one side of the point.
    if integer.is_empty() && fraction.is_empty() {
        return None;
    }
    let mut exponent = 0_i64;
    if matches!(bytes.get(pos), Some(b'E' | b'e')) {
        pos += 1;
        let negative = match bytes.get(pos) {
            Some(b'-') => {
                pos += 1;
                true
            }
            Some(b'+') => {
                pos += 1;
                false
            }
            _ => false,
        };
        let digits = bytes.get(pos..pos + count_digits(bytes.get(pos..)?))?;
        if digits.is_empty() {
            return None;
        }
        pos += digits.len();
        for &d in digits {
            exponent = (exponent * 10 + i64::from(d - b'0')).min(EXPONENT_CLAMP);
        }
        if negative {
            exponent = -exponent;
        }
    }
    (pos == bytes.len()).then_some(Parts {
        integer,
        fraction,
        exponent,
    })
}

fn count_digits(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|b| b.is_ascii_digit()).count()
}

/// Why a grammatical amount is not representable.
enum Range {
    Significant(i128),
    Fractional(i128),
}

/// Applies the exponent and the P-3 limits to grammatical pieces.
fn evaluate(parts: &Parts<'_>) -> Result<Decimal, Range> {
    let digits = || parts.integer.iter().chain(parts.fraction.iter());
    let Some(first) = digits().position(|&d| d != b'0') else {
        return Ok(Decimal::ZERO);
    };
    let total = parts.integer.len() + parts.fraction.len();
    let last = total - 1 - digits().rev().position(|&d| d != b'0').unwrap_or(0);
    // Power of ten of digit i: (integer length - 1 - i) + exponent. Lengths fit in i128.
    let int_len = i128::try_from(parts.integer.len()).unwrap_or(i128::MAX / 4);
    let exponent = i128::from(parts.exponent);
    let power = |i: usize| int_len - 1 - i128::try_from(i).unwrap_or(i128::MAX / 4) + exponent;
    let highest = power(first);
    let lowest = power(last);
    // P-3: significant digits run from the first non-zero digit down to the units or the last
    // non-zero fractional digit, whichever is lower.
    let significant = highest - lowest.min(0) + 1;
    if significant > i128::from(MAX_DIGITS) {
        return Err(Range::Significant(significant));
    }
    let fractional = (-lowest).max(0);
    if fractional > i128::from(MAX_DIGITS) {
        return Err(Range::Fractional(fractional));
    }
    // At most 28 digits (checked above), so the mantissa fits in an i128 with room to spare.
    let mut mantissa: i128 = 0;
    for &d in digits().skip(first).take(last - first + 1) {
        mantissa = mantissa * 10 + i128::from(d - b'0');
    }
    for _ in 0..lowest.max(0) {
        mantissa *= 10;
    }
    let scale = u32::try_from(fractional).unwrap_or(MAX_DIGITS);
    Decimal::try_from_i128_with_scale(mantissa, scale).map_err(|_| Range::Significant(significant))
}

/// How the amount is written, for messages and hints: messages quote only what is written,
/// and hints append a currency code to a corrected amount only when the price has a usable
/// one.
pub(crate) struct Written<'a> {
    /// The whole value the amount was read from (the price as written).
    pub(crate) value: &'a str,
    /// The code to write after a corrected amount: the price's own code when it is three
    /// letters (upper-cased), else nothing.
    pub(crate) code: &'a str,
    /// The code of examples (`e.g. 0.01USD`): the price's own code, else `USD`; nothing for an
    /// amount alone.
    pub(crate) example_code: &'a str,
}

impl<'a> Written<'a> {
    /// An amount that is the whole value.
    pub(crate) fn alone(value: &'a str) -> Self {
        Written {
            value,
            code: "",
            example_code: "",
        }
    }
}

/// Parses an amount written as `written` says.
pub(crate) fn parse_with_suffix(text: &str, written: &Written<'_>) -> Result<Amount, Finding> {
    let Some(parts) = scan(text) else {
        return Err(diagnose(text, written));
    };
    match evaluate(&parts) {
        Ok(value) => Ok(Amount(value.normalize())),
        // P-3: too many digits is price-out-of-range.
        Err(Range::Significant(n)) => Err(Finding::new(
            Code::PriceOutOfRange,
            format!(
                "the amount \"{text}\" has {} significant digits; at most {MAX_DIGITS} are allowed",
                describe_count(n)
            ),
        )),
        Err(Range::Fractional(n)) => Err(Finding::new(
            Code::PriceOutOfRange,
            format!(
                "the amount \"{text}\" has {} digits after the point; at most {MAX_DIGITS} are allowed",
                describe_count(n)
            ),
        )),
    }
}

fn describe_count(n: i128) -> String {
    if n >= i128::from(EXPONENT_CLAMP) {
        "more than a billion".to_owned()
    } else {
        n.to_string()
    }
}

/// Explains why `text` is off the P-3 `amount` grammar, with a hint for the usual mistakes.
fn diagnose(text: &str, written: &Written<'_>) -> Finding {
    let shown = written.value;
    let suffix = written.code;
    let example = written.example_code;
    if text.is_empty() {
        return Finding::new(Code::InvalidPrice, "the amount is empty")
            .with_hint(format!("write the amount as digits, e.g. 0.01{example}"));
    }
    // P-3: a leading minus sign is its own error.
    if text.starts_with('-') {
        return Finding::new(
            Code::NegativePrice,
            format!("the amount \"{text}\" is negative"),
        )
        .with_hint("a price is what the user pays: it cannot be below zero");
    }
    // P-3 hint: a comma used as decimal or thousands separator.
    if text.contains(',') {
        let has_point = text.contains('.');
        let commas = text.matches(',').count();
        if !has_point && commas == 1 {
            let fixed = text.replace(',', ".");
            if scan(&fixed).is_some() {
                return Finding::new(
                    Code::InvalidPrice,
                    format!("\"{shown}\" uses a comma as decimal separator"),
                )
                .with_hint(format!("use a point: {fixed}{suffix}"));
            }
        }
        let fixed = text.replace(',', "");
        if scan(&fixed).is_some() {
            return Finding::new(
                Code::InvalidPrice,
                format!("\"{shown}\" uses commas to group digits"),
            )
            .with_hint(format!(
                "write the digits without separators: {fixed}{suffix}"
            ));
        }
    }
    // P-3 hint: a fractional exponent such as 1E0.5.
    if let Some(e) = text.find(['e', 'E']) {
        let exponent = text.get(e + 1..).unwrap_or("");
        let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        if exponent.contains('.') && scan(text.get(..e).unwrap_or("")).is_some() {
            return Finding::new(
                Code::InvalidPrice,
                format!("\"{shown}\" has a fractional exponent"),
            )
            .with_hint(
                "the exponent must be a whole number; or write the amount as a plain decimal",
            );
        }
    }
    if text.contains(|c: char| c.is_whitespace()) {
        let fixed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if scan(&fixed).is_some() {
            return Finding::new(
                Code::InvalidPrice,
                format!("\"{shown}\" has spaces inside the amount"),
            )
            .with_hint(format!("remove the spaces: {fixed}{suffix}"));
        }
    }
    Finding::new(
        Code::InvalidPrice,
        format!("\"{text}\" is not a decimal amount"),
    )
    .with_hint(format!(
        "write digits with an optional point and exponent, e.g. 0.01{example} or 1E-3{example}"
    ))
}

impl fmt::Display for Amount {
    /// P-3 canonical form: plain decimal, no exponent, no sign, no trailing fractional zeros.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for Amount {
    type Err = Finding;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Amount::parse(s)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal amount as a string, e.g. \"0.01\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Amount, E> {
                Amount::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests;

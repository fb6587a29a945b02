//! P-8 `displayed-price-mismatch`: money amounts shown in human text, compared with the price.
//!
//! An amount is a number with a currency marker directly before or after it (one space, a
//! no-break space or a narrow no-break space may separate them):
//!
//! * a currency symbol (`$`, `US$`, `€`, `£`, `¥`, `₹`, `DM`, `kr` …), which stands for one or
//!   more candidate ISO 4217 codes (`$` is the dollar of several countries, `¥` the yen or the
//!   yuan);
//! * an ISO 4217 code, active or withdrawn: three capitals that the lists know (`EUR`, `FRF`);
//! * after the number only: `cent`, `cents`, `ct`, `cts` (any case) or `¢`, meaning hundredths
//!   of whatever the price currency is.
//!
//! A bare number ("1999", "Top 10") is not an amount. Numbers use `.` or `,` as decimal
//! separator and the other one (or a no-break or thin space) to group thousands. A single
//! separator followed by exactly three digits, after one to three digits other than a lone
//! `0`, is read as a thousands separator (`1,000` and `1.000` are a thousand, `0.050` is
//! fifty thousandths); anything else with one separator is a decimal fraction.
//! Ordinary spaces do not group digits (`1 000 €` shows `000 €`); this keeps "2 100 €"
//! from being read as 2100.

use rust_decimal::Decimal;

use super::currency::Currency;
use super::price::Price;
use super::symbol::{
    CENTS, SYMBOLS_BY_FIRST, SYMBOLS_BY_LAST, may_end_marker, may_start_marker, symbols_in,
};
use crate::{Code, Finding};

/// A money amount found in human text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayedAmount {
    /// The number as written, in the unit written (5 for "5 cents").
    pub amount: Decimal,
    /// The currencies the marker can stand for; empty for cents, meaning "hundredths of
    /// whatever the price currency is".
    pub currencies: Vec<Currency>,
    /// Whether the number counts hundredths ("5 cents", "10¢").
    pub hundredths: bool,
    /// Byte offset of the first byte of the amount and its marker in the text.
    pub start: usize,
    /// Byte offset just past the amount and its marker.
    pub end: usize,
}

/// The currencies a marker stands for.
#[derive(Debug, Clone, Copy)]
enum Codes {
    /// A symbol's codes.
    Symbol(&'static [&'static str]),
    /// A code written out.
    Code(Currency),
    /// A cent word or sign: hundredths of whatever the price currency is.
    Cents,
}

impl Codes {
    fn contains(self, currency: Currency) -> bool {
        match self {
            Codes::Symbol(codes) => codes.iter().any(|c| *c == currency.as_str()),
            Codes::Code(code) => code == currency,
            Codes::Cents => false,
        }
    }

    fn is_empty(self) -> bool {
        match self {
            Codes::Symbol(codes) => !codes.iter().any(|c| Currency::from_table(c).is_some()),
            Codes::Code(_) => false,
            Codes::Cents => true,
        }
    }

    fn to_vec(self) -> Vec<Currency> {
        match self {
            Codes::Symbol(codes) => currencies(codes),
            Codes::Code(code) => vec![code],
            Codes::Cents => Vec::new(),
        }
    }
}

/// What stands next to a number.
struct Marker {
    start: usize,
    end: usize,
    codes: Codes,
}

fn is_gap(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}')
}

fn word_char(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

fn currencies(codes: &[&str]) -> Vec<Currency> {
    codes
        .iter()
        .filter_map(|c| Currency::from_table(c))
        .collect()
}

fn known_code(letters: &str) -> Option<Currency> {
    // One table lookup answers whether these are three capitals that a list knows (the
    // status of any other Currency is Unknown); only such a code is built.
    if !super::iso4217::listed_code(letters.as_bytes()) {
        return None;
    }
    Currency::parse(letters).ok()
}

/// A marker ending at `end` (the number starts at `end` or one gap later).
fn marker_before(text: &str, number_start: usize, not_before: usize) -> Option<Marker> {
    let head = text.get(..number_start)?;
    let (head, end) = match head.chars().next_back() {
        Some(c) if is_gap(c) => {
            let end = number_start - c.len_utf8();
            (text.get(..end)?, end)
        }
        _ => (head, number_start),
    };
    // Only the symbols that end with the last byte are compared, in the order of SYMBOLS.
    let bits = head
        .as_bytes()
        .last()
        .map_or(0, |&b| SYMBOLS_BY_LAST[usize::from(b)]);
    let found = symbols_in(bits)
        .filter(|s| head.ends_with(s.text))
        .find(|s| {
            // A symbol that starts with a letter ("US$", "DM") must start a word.
            let start = end - s.text.len();
            !s.text.starts_with(char::is_alphabetic)
                || !word_char(text.get(..start).and_then(|t| t.chars().next_back()))
        })
        .map(|s| Marker {
            start: end - s.text.len(),
            end,
            codes: Codes::Symbol(s.codes),
        })
        .or_else(|| {
            let start = end.checked_sub(3)?;
            let code = known_code(text.get(start..end)?)?;
            (!word_char(text.get(..start).and_then(|t| t.chars().next_back()))).then_some(Marker {
                start,
                end,
                codes: Codes::Code(code),
            })
        })?;
    (found.start >= not_before).then_some(found)
}

/// A marker starting at `number_end` or one gap later.
fn marker_after(text: &str, number_end: usize) -> Option<Marker> {
    let tail = text.get(number_end..)?;
    let start = match tail.chars().next() {
        Some(c) if is_gap(c) => number_end + c.len_utf8(),
        _ => number_end,
    };
    let tail = text.get(start..)?;
    let ends_word = |len: usize| !word_char(text.get(start + len..).and_then(|t| t.chars().next()));
    // Every word of CENTS starts with `c` or `C`, or is `¢` (0xC2 0xA2).
    let cents_first = matches!(tail.as_bytes().first(), Some(b'c' | b'C' | 0xC2));
    if let Some(word) = CENTS.iter().filter(|_| cents_first).find(|w| {
        tail.get(..w.len())
            .is_some_and(|t| t.eq_ignore_ascii_case(w))
            && ends_word(w.len())
    }) {
        return Some(Marker {
            start,
            end: start + word.len(),
            codes: Codes::Cents,
        });
    }
    // A symbol that ends with a letter ("DM", "kr") must end a word.
    let bits = tail
        .as_bytes()
        .first()
        .map_or(0, |&b| SYMBOLS_BY_FIRST[usize::from(b)]);
    let symbol = symbols_in(bits).find(|s| {
        tail.starts_with(s.text)
            && (!s.text.ends_with(char::is_alphabetic) || ends_word(s.text.len()))
    });
    if let Some(s) = symbol {
        return Some(Marker {
            start,
            end: start + s.text.len(),
            codes: Codes::Symbol(s.codes),
        });
    }
    let code = known_code(tail.get(..3)?)?;
    ends_word(3).then_some(Marker {
        start,
        end: start + 3,
        codes: Codes::Code(code),
    })
}

/// The end of the number token starting at the digit at `start`: digits, with single `.`,
/// `,` or grouping spaces (U+00A0, U+202F, U+2009) between digits.
fn number_end(bytes: &[u8], start: usize) -> usize {
    let mut end = start;
    loop {
        while bytes.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
        // A separator counts only between two digits.
        let separator = match bytes.get(end..) {
            Some([b'.' | b',', ..]) => 1,
            Some([0xC2, 0xA0, ..]) => 2,
            Some([0xE2, 0x80, 0xAF | 0x89, ..]) => 3,
            _ => return end,
        };
        if !bytes.get(end + separator).is_some_and(u8::is_ascii_digit) {
            return end;
        }
        end += separator;
    }
}

/// The value of digits with at most one `.` (not first, not last): the digits as the
/// mantissa and the digits after the point as the scale, as `Decimal::from_str_exact` reads
/// them, without its general parser when they fit in an `i64`.
fn plain_decimal(token: &str) -> Option<Decimal> {
    if token.len() > 18 {
        return Decimal::from_str_exact(token).ok();
    }
    let mut mantissa = 0_i64;
    let mut scale = 0_u32;
    let mut after_point = false;
    for &b in token.as_bytes() {
        if b == b'.' {
            after_point = true;
        } else {
            mantissa = mantissa * 10 + i64::from(b - b'0');
            scale += u32::from(after_point);
        }
    }
    Decimal::try_new(mantissa, scale).ok()
}

/// The value of a number token, reading separators as the module documentation says.
fn interpret(token: &str) -> Option<Decimal> {
    if let Some(fraction) = token.strip_prefix('.') {
        return Decimal::from_str_exact(&format!("0.{fraction}")).ok();
    }
    // The common cases, answered without the copies below, which would build `token` itself:
    // digits only; or digits, one `.` (not last) and a fraction of other than three digits
    // (three could be a thousands group).
    let bytes = token.as_bytes();
    let mut non_digits = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| !b.is_ascii_digit());
    match (non_digits.next(), non_digits.next()) {
        (None, _) => return plain_decimal(token),
        (Some((i, b'.')), None) if i + 1 < bytes.len() && bytes.len() - i - 1 != 3 => {
            return plain_decimal(token);
        }
        _ => {}
    }
    let groups: Vec<&str> = token.split(|c: char| !c.is_ascii_digit()).collect();
    let separators: Vec<char> = token.chars().filter(|c| !c.is_ascii_digit()).collect();
    // Thousands grouping: one kind of separator, a first group of 1-3 digits (not a lone 0),
    // then groups of exactly three.
    let grouped = |groups: &[&str], seps: &[char]| {
        seps.windows(2).all(|w| w[0] == w[1])
            && groups
                .first()
                .is_some_and(|g| (1..=3).contains(&g.len()) && *g != "0")
            && groups.iter().skip(1).all(|g| g.len() == 3)
    };
    let (integer, fraction) = match (separators.split_last(), groups.split_last()) {
        (None, _) => (token.to_owned(), ""),
        (Some((&last, others)), Some((&tail, heads))) => {
            let decimal_mark = matches!(last, '.' | ',') && !others.contains(&last);
            if others.is_empty()
                && decimal_mark
                && !(tail.len() == 3 && grouped(&groups, &separators))
            {
                // One separator that cannot be grouping: a decimal fraction.
                (heads.concat(), tail)
            } else if others.is_empty() || !decimal_mark {
                // Only grouping separators.
                if !grouped(&groups, &separators) {
                    return None;
                }
                (groups.concat(), "")
            } else {
                // Grouping separators, then a different decimal mark.
                if !grouped(heads, others) {
                    return None;
                }
                (heads.concat(), tail)
            }
        }
        (Some(_), None) => return None,
    };
    let text = if fraction.is_empty() {
        integer
    } else {
        format!("{integer}.{fraction}")
    };
    Decimal::from_str_exact(&text).ok()
}

/// An amount as the scan finds it: the codes of its markers are kept as they stand and
/// gathered into a vector only for [`DisplayedAmount`].
struct Shown {
    amount: Decimal,
    before: Option<Codes>,
    after: Option<Codes>,
    start: usize,
    end: usize,
}

impl Shown {
    fn hundredths(&self) -> bool {
        matches!(self.after, Some(Codes::Cents))
    }

    /// [`DisplayedAmount::matches`] of [`Shown::displayed`], without building it.
    fn matches(&self, price: &Price) -> bool {
        let currency = price.currency();
        let value = price.amount().as_decimal();
        // The candidates are those of the marker before and of the one after (none for
        // cents), so a currency is among them when it is among either's.
        let among = |codes: Option<Codes>| codes.is_some_and(|c| c.contains(currency));
        let candidate = among(self.before) || among(self.after);
        if self.hundredths() {
            let none = self.before.is_none_or(Codes::is_empty);
            currency.minor_units() == Some(2)
                && (none || candidate)
                && self.amount.checked_div(Decimal::ONE_HUNDRED) == Some(value)
        } else {
            candidate && self.amount == value
        }
    }

    fn displayed(self) -> DisplayedAmount {
        let hundredths = self.hundredths();
        let currencies = match (self.before, self.after) {
            (Some(p), None) => p.to_vec(),
            (None, Some(s)) => s.to_vec(),
            (Some(p), Some(s)) => {
                let mut codes = p.to_vec();
                if !hundredths {
                    for code in s.to_vec() {
                        if !codes.contains(&code) {
                            codes.push(code);
                        }
                    }
                }
                codes
            }
            (None, None) => Vec::new(),
        };
        DisplayedAmount {
            amount: self.amount,
            currencies,
            hundredths,
            start: self.start,
            end: self.end,
        }
    }
}

/// P-8: the money amounts shown in `text`, in order, handed to `stop` until it says so;
/// whether it did.
fn scan(text: &str, mut stop: impl FnMut(Shown) -> bool) -> bool {
    let bytes = text.as_bytes();
    let mut consumed = 0;
    let mut pos = 0;
    while let Some(offset) = bytes
        .get(pos..)
        .and_then(|t| t.iter().position(u8::is_ascii_digit))
    {
        let digit = pos + offset;
        // A leading point right before the digits ("$.50") belongs to the number.
        let start = if digit > 0 && bytes.get(digit - 1) == Some(&b'.') {
            digit - 1
        } else {
            digit
        };
        let end = number_end(bytes, digit);
        pos = end;
        // P-8: a number is an amount only next to a marker; most numbers have letters,
        // punctuation or nothing beside them, and are passed over on one byte each side.
        let prefix = if may_end_marker(bytes, start) {
            marker_before(text, start, consumed)
        } else {
            None
        };
        let suffix = if may_start_marker(bytes, end) {
            marker_after(text, end)
        } else {
            None
        };
        if prefix.is_none() && suffix.is_none() {
            continue;
        }
        // A number glued to letters or digits ("A4", "mp3") counts only next to a marker.
        let left_free = !word_char(text.get(..start).and_then(|t| t.chars().next_back()));
        let right_free = !word_char(text.get(end..).and_then(|t| t.chars().next()));
        // P-8: a number with a marker before or after it is a shown amount (a bare number is
        // skipped before its value is read).
        if (prefix.is_none() && !left_free) || (suffix.is_none() && !right_free) {
            continue;
        }
        let Some(amount) = text.get(start..end).and_then(interpret) else {
            continue;
        };
        let range_start = prefix.as_ref().map_or(start, |p| p.start);
        let range_end = suffix.as_ref().map_or(end, |s| s.end);
        consumed = range_end;
        pos = pos.max(range_end);
        let shown = Shown {
            amount,
            before: prefix.map(|p| p.codes),
            after: suffix.map(|s| s.codes),
            start: range_start,
            end: range_end,
        };
        if stop(shown) {
            return true;
        }
    }
    false
}

/// P-8: every money amount shown in `text`, in order.
pub fn displayed_amounts(text: &str) -> Vec<DisplayedAmount> {
    let mut found = Vec::new();
    scan(text, |shown| {
        found.push(shown.displayed());
        false
    });
    found
}

impl DisplayedAmount {
    /// Whether this shown amount is `price`: same value and the price currency among the
    /// candidates; for hundredths, a hundredth of it in a currency with two minor units (and
    /// among the candidates, if a symbol also names currencies).
    pub fn matches(&self, price: &Price) -> bool {
        let currency = price.currency();
        let value = price.amount().as_decimal();
        if self.hundredths {
            currency.minor_units() == Some(2)
                && (self.currencies.is_empty() || self.currencies.contains(&currency))
                && self.amount.checked_div(Decimal::ONE_HUNDRED) == Some(value)
        } else {
            self.currencies.contains(&currency) && self.amount == value
        }
    }
}

/// P-8: `displayed-price-mismatch` when `text` shows amounts and none of them is `price`.
pub fn displayed_price_mismatch(text: &str, price: &Price) -> Option<Finding> {
    // P-8: silent when the text shows no amount or shows the price somewhere. The scan stops
    // at the amount that is the price, and nothing is gathered unless there is a finding.
    let mut any = false;
    let priced = scan(text, |shown| {
        any = true;
        shown.matches(price)
    });
    if priced || !any {
        return None;
    }
    let shown = displayed_amounts(text);
    let quoted: Vec<String> = shown
        .iter()
        .take(3)
        .map(|d| format!("\"{}\"", text.get(d.start..d.end).unwrap_or("")))
        .collect();
    let more = if shown.len() > 3 { " …" } else { "" };
    Some(
        Finding::new(
            Code::DisplayedPriceMismatch,
            format!(
                "the text shows {}{more} but the price is {price}",
                quoted.join(", ")
            ),
        )
        .with_hint("make the text and the price field state the same amount"),
    )
}

#[cfg(test)]
mod tests;

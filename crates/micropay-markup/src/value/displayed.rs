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

/// A currency symbol and the ISO 4217 codes it may stand for.
pub(crate) struct Symbol {
    pub(crate) text: &'static str,
    pub(crate) codes: &'static [&'static str],
}

const DOLLARS: &[&str] = &[
    "USD", "CAD", "AUD", "NZD", "HKD", "SGD", "MXN", "TWD", "ARS", "CLP", "COP", "CUP", "DOP",
    "UYU", "BSD", "BBD", "BZD", "BMD", "BND", "FJD", "GYD", "JMD", "KYD", "LRD", "NAD", "SBD",
    "SRD", "TTD", "XCD",
];

const fn sym(text: &'static str, codes: &'static [&'static str]) -> Symbol {
    Symbol { text, codes }
}

/// Currency symbols, longest first within a shared ending so that `US$` wins over `$`.
/// A symbol that starts with a letter must start a word when it stands before the number, and
/// one that ends with a letter must end a word when it stands after it (`DM 5`, `25 kr`, not
/// `ADM 5` or `5 krona`).
pub(crate) const SYMBOLS: &[Symbol] = &[
    sym("US$", &["USD"]),
    sym("CA$", &["CAD"]),
    sym("AU$", &["AUD"]),
    sym("NZ$", &["NZD"]),
    sym("HK$", &["HKD"]),
    sym("NT$", &["TWD"]),
    sym("Mex$", &["MXN"]),
    sym("C$", &["CAD", "NIO"]),
    sym("A$", &["AUD"]),
    sym("S$", &["SGD"]),
    sym("R$", &["BRL"]),
    sym("$", DOLLARS),
    sym("€", &["EUR"]),
    sym("IR£", &["IEP"]),
    sym("E£", &["EGP"]),
    sym("£", &["GBP", "GIP", "FKP", "SHP"]),
    sym("¥", &["JPY", "CNY"]),
    sym("\u{ffe5}", &["JPY", "CNY"]),
    sym("円", &["JPY"]),
    sym("元", &["CNY"]),
    sym("₹", &["INR"]),
    sym("₩", &["KRW", "KPW"]),
    sym("₽", &["RUB"]),
    sym("₪", &["ILS"]),
    sym("₺", &["TRY"]),
    sym("₫", &["VND"]),
    sym("₱", &["PHP"]),
    sym("฿", &["THB"]),
    sym("₴", &["UAH"]),
    sym("₦", &["NGN"]),
    sym("₡", &["CRC", "SVC"]),
    sym("₲", &["PYG"]),
    sym("₭", &["LAK"]),
    sym("₸", &["KZT"]),
    sym("₾", &["GEL"]),
    sym("₼", &["AZN"]),
    sym("₵", &["GHS"]),
    sym("ƒ", &["AWG", "XCG", "ANG"]),
    sym("₣", &["FRF"]),
    sym("₤", &["ITL"]),
    sym("₧", &["ESP"]),
    sym("₯", &["GRD"]),
    sym("₠", &["XEU"]),
    sym("SFr", &["CHF"]),
    sym("DM", &["DEM"]),
    sym("FF", &["FRF"]),
    sym("kr", &["SEK", "NOK", "DKK", "ISK"]),
    sym("zł", &["PLN"]),
    sym("Kč", &["CZK"]),
];

/// Which symbols of [`SYMBOLS`] end (`LAST`) or start (`FIRST`) with each byte, as bits in
/// the order of the list (bit `i` is `SYMBOLS[i]`): the symbols to try next to a number are
/// read off at once, and a byte with no bit rules them all out.
static SYMBOLS_BY_LAST: [u64; 256] = symbol_bits(true);
static SYMBOLS_BY_FIRST: [u64; 256] = symbol_bits(false);

const fn symbol_bits(last: bool) -> [u64; 256] {
    assert!(SYMBOLS.len() <= 64, "one bit per symbol");
    let mut table = [0; 256];
    let mut i = 0;
    while i < SYMBOLS.len() {
        let bytes = SYMBOLS[i].text.as_bytes();
        let b = if last {
            bytes[bytes.len() - 1]
        } else {
            bytes[0]
        };
        table[b as usize] |= 1 << i;
        i += 1;
    }
    table
}

/// The symbols whose bits are set in `bits`, in the order of [`SYMBOLS`].
fn symbols_in(mut bits: u64) -> impl Iterator<Item = &'static Symbol> {
    std::iter::from_fn(move || {
        let i = bits.trailing_zeros() as usize;
        bits &= bits.wrapping_sub(1);
        SYMBOLS.get(i)
    })
}

/// Bytes that may be the last byte of a marker before a number (of a symbol, or the last
/// capital of a code) and the first byte of one after it (of a symbol, a cent word or a code).
/// Every byte beyond ASCII counts, since it may belong to a symbol or a no-break space: only an
/// ASCII neighbour rules a marker out here.
static MAY_END_MARKER: [bool; 256] = marker_bytes(true);
static MAY_START_MARKER: [bool; 256] = marker_bytes(false);

const fn marker_bytes(before: bool) -> [bool; 256] {
    let mut table = [false; 256];
    let symbols = symbol_bits(before);
    let mut b = 0;
    while b < 256 {
        // Beyond ASCII, a symbol's byte, or a capital (`A` to `Z`) of a code.
        table[b] = b >= 0x80 || symbols[b] != 0 || matches!(b, 0x41..=0x5a);
        b += 1;
    }
    if !before {
        // Every word of CENTS starts with `c`, `C` or (`¢`) a byte beyond ASCII.
        table[b'c' as usize] = true;
        table[b'C' as usize] = true;
    }
    table
}

/// Whether a marker may end right before `start` or one ASCII space earlier; `false` only
/// when [`marker_before`] finds none.
fn may_end_marker(bytes: &[u8], start: usize) -> bool {
    let Some(i) = start.checked_sub(1) else {
        return false;
    };
    let i = match bytes.get(i) {
        Some(b' ') => match i.checked_sub(1) {
            Some(i) => i,
            None => return false,
        },
        _ => i,
    };
    bytes
        .get(i)
        .is_some_and(|&b| MAY_END_MARKER[usize::from(b)])
}

/// Whether a marker may start at `end` or one ASCII space later; `false` only when
/// [`marker_after`] finds none.
fn may_start_marker(bytes: &[u8], end: usize) -> bool {
    let i = if bytes.get(end) == Some(&b' ') {
        end + 1
    } else {
        end
    };
    bytes
        .get(i)
        .is_some_and(|&b| MAY_START_MARKER[usize::from(b)])
}

/// The cent sign, for [`find_symbol`]: hundredths of an unnamed currency.
const CENT_SIGN: Symbol = sym("¢", &[]);

/// Words and signs for hundredths, matched after the number, longest first.
const CENTS: &[&str] = &["cents", "cent", "cts", "ct", "¢"];

/// The codes a currency symbol stands for, when `text` is exactly a symbol.
pub(crate) fn symbol_codes(text: &str) -> Option<&'static [&'static str]> {
    if text == "¢" {
        return Some(&[]);
    }
    SYMBOLS.iter().find(|s| s.text == text).map(|s| s.codes)
}

/// The first currency symbol that is not made of letters in `text`, with its byte range.
pub(crate) fn find_symbol(text: &str) -> Option<(&'static Symbol, usize, usize)> {
    // Every such symbol holds `$` or a character beyond ASCII (see the test `symbol_lookups`),
    // so a well-formed price such as `0.05USD` is answered without trying each symbol at each
    // character: that cost more than all the rest of building a link.
    if text.is_ascii() && !text.contains('$') {
        return None;
    }
    text.char_indices().find_map(|(i, _)| {
        let rest = text.get(i..)?;
        SYMBOLS
            .iter()
            .chain([&CENT_SIGN])
            .filter(|s| !s.text.chars().all(char::is_alphabetic))
            .find(|s| rest.starts_with(s.text))
            .map(|s| (s, i, i + s.text.len()))
    })
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
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The P-8 scan as it was before it was made cheaper, kept as the oracle that the property
    /// tests below compare the module with: same amounts, same findings, for any text.
    mod oracle {
        use rust_decimal::Decimal;

        use super::super::{CENTS, DisplayedAmount, SYMBOLS};
        use crate::value::currency::Currency;
        use crate::value::price::Price;
        use crate::{Code, Finding};

        /// Which bytes end (`LAST`) or start (`FIRST`) some symbol of [`SYMBOLS`]: a byte in
        /// neither table rules out every symbol at once, without trying them one by one.
        const SYMBOL_LAST: [bool; 256] = symbol_bytes(true);
        const SYMBOL_FIRST: [bool; 256] = symbol_bytes(false);

        const fn symbol_bytes(last: bool) -> [bool; 256] {
            let mut table = [false; 256];
            let mut i = 0;
            while i < SYMBOLS.len() {
                let bytes = SYMBOLS[i].text.as_bytes();
                let b = if last {
                    bytes[bytes.len() - 1]
                } else {
                    bytes[0]
                };
                table[b as usize] = true;
                i += 1;
            }
            table
        }

        /// What stands next to a number.
        struct Marker {
            start: usize,
            end: usize,
            codes: Vec<Currency>,
            hundredths: bool,
        }

        fn is_gap(c: char) -> bool {
            matches!(c, ' ' | '\u{a0}' | '\u{202f}')
        }

        fn is_group_space(c: char) -> bool {
            matches!(c, '\u{a0}' | '\u{202f}' | '\u{2009}')
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
            // Only three capitals parse; answer the rest before `parse` builds its error message.
            if !(letters.len() == 3 && letters.bytes().all(|b| b.is_ascii_uppercase())) {
                return None;
            }
            let code = Currency::parse(letters).ok()?;
            (code.status() != crate::value::currency::CurrencyStatus::Unknown).then_some(code)
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
            // The last byte first: most symbols are ruled out without a string comparison, and all
            // of them when no symbol ends with that byte.
            let last = head.as_bytes().last();
            let candidates = match last {
                Some(&b) if SYMBOL_LAST[usize::from(b)] => SYMBOLS,
                _ => &[],
            };
            let found = candidates
                .iter()
                .filter(|s| s.text.as_bytes().last() == last && head.ends_with(s.text))
                .find(|s| {
                    // A symbol that starts with a letter ("US$", "DM") must start a word.
                    let start = end - s.text.len();
                    !s.text.starts_with(char::is_alphabetic)
                        || !word_char(text.get(..start).and_then(|t| t.chars().next_back()))
                })
                .map(|s| Marker {
                    start: end - s.text.len(),
                    end,
                    codes: currencies(s.codes),
                    hundredths: false,
                })
                .or_else(|| {
                    let start = end.checked_sub(3)?;
                    let code = known_code(text.get(start..end)?)?;
                    (!word_char(text.get(..start).and_then(|t| t.chars().next_back()))).then(|| {
                        Marker {
                            start,
                            end,
                            codes: vec![code],
                            hundredths: false,
                        }
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
            let ends_word =
                |len: usize| !word_char(text.get(start + len..).and_then(|t| t.chars().next()));
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
                    codes: Vec::new(),
                    hundredths: true,
                });
            }
            // A symbol that ends with a letter ("DM", "kr") must end a word.
            let first = tail.as_bytes().first();
            let candidates = match first {
                Some(&b) if SYMBOL_FIRST[usize::from(b)] => SYMBOLS,
                _ => &[],
            };
            let symbol = candidates.iter().find(|s| {
                s.text.as_bytes().first() == first
                    && tail.starts_with(s.text)
                    && (!s.text.ends_with(char::is_alphabetic) || ends_word(s.text.len()))
            });
            if let Some(s) = symbol {
                return Some(Marker {
                    start,
                    end: start + s.text.len(),
                    codes: currencies(s.codes),
                    hundredths: false,
                });
            }
            let code = known_code(tail.get(..3)?)?;
            ends_word(3).then(|| Marker {
                start,
                end: start + 3,
                codes: vec![code],
                hundredths: false,
            })
        }

        /// The end of the number token starting at `start`: digits, with single `.`, `,` or
        /// grouping spaces between digits.
        fn number_end(text: &str, start: usize) -> usize {
            let mut end = start;
            let mut chars = text.get(start..).unwrap_or("").char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                if c.is_ascii_digit() {
                    end = start + i + 1;
                    continue;
                }
                // A separator counts only between two digits.
                let separator = c == '.' || c == ',' || is_group_space(c);
                let between =
                    end == start + i && chars.peek().is_some_and(|(_, n)| n.is_ascii_digit());
                if !(separator && between) {
                    break;
                }
            }
            end
        }

        /// The value of a number token, reading separators as the module documentation says.
        fn interpret(token: &str) -> Option<Decimal> {
            if let Some(fraction) = token.strip_prefix('.') {
                return Decimal::from_str_exact(&format!("0.{fraction}")).ok();
            }
            // The common cases, answered without the copies below, which would build `token`
            // itself: digits only; or digits, one `.` (not last) and a fraction of other than three
            // digits (three could be a thousands group).
            let bytes = token.as_bytes();
            let mut non_digits = bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| !b.is_ascii_digit());
            match (non_digits.next(), non_digits.next()) {
                (None, _) => return Decimal::from_str_exact(token).ok(),
                (Some((i, b'.')), None) if i + 1 < bytes.len() && bytes.len() - i - 1 != 3 => {
                    return Decimal::from_str_exact(token).ok();
                }
                _ => {}
            }
            let groups: Vec<&str> = token.split(|c: char| !c.is_ascii_digit()).collect();
            let separators: Vec<char> = token.chars().filter(|c| !c.is_ascii_digit()).collect();
            // Thousands grouping: one kind of separator, a first group of 1-3 digits (not a lone
            // 0), then groups of exactly three.
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

        /// P-8: every money amount shown in `text`, in order.
        pub(super) fn displayed_amounts(text: &str) -> Vec<DisplayedAmount> {
            let mut found = Vec::new();
            let mut consumed = 0;
            let mut pos = 0;
            while let Some(offset) = text
                .as_bytes()
                .get(pos..)
                .and_then(|t| t.iter().position(u8::is_ascii_digit))
            {
                let digit = pos + offset;
                // A leading point right before the digits ("$.50") belongs to the number.
                let before = text.get(..digit).and_then(|t| t.chars().next_back());
                let start = if before == Some('.') {
                    digit - 1
                } else {
                    digit
                };
                let end = number_end(text, digit);
                pos = end.max(digit + 1);
                let prefix = marker_before(text, start, consumed);
                let suffix = marker_after(text, end);
                // A number glued to letters or digits ("A4", "mp3") counts only next to a marker.
                let left_free = !word_char(text.get(..start).and_then(|t| t.chars().next_back()));
                let right_free = !word_char(text.get(end..).and_then(|t| t.chars().next()));
                // P-8: a number with a marker before or after it is a shown amount (a bare number
                // is skipped before its value is read).
                if (prefix.is_none() && suffix.is_none())
                    || (prefix.is_none() && !left_free)
                    || (suffix.is_none() && !right_free)
                {
                    continue;
                }
                let Some(amount) = text.get(start..end).and_then(interpret) else {
                    continue;
                };
                let (range_start, range_end, currencies, hundredths) = match (prefix, suffix) {
                    (None, None) => continue,
                    (Some(p), None) => (p.start, end, p.codes, p.hundredths),
                    (None, Some(s)) => (start, s.end, s.codes, s.hundredths),
                    (Some(p), Some(s)) => {
                        let mut codes = p.codes;
                        if !s.hundredths {
                            for code in s.codes {
                                if !codes.contains(&code) {
                                    codes.push(code);
                                }
                            }
                        }
                        (p.start, s.end, codes, s.hundredths)
                    }
                };
                consumed = range_end;
                pos = pos.max(range_end);
                found.push(DisplayedAmount {
                    amount,
                    currencies,
                    hundredths,
                    start: range_start,
                    end: range_end,
                });
            }
            found
        }

        /// P-8: `displayed-price-mismatch` when `text` shows amounts and none of them is `price`.
        pub(super) fn displayed_price_mismatch(text: &str, price: &Price) -> Option<Finding> {
            // P-8: silent when the text shows no amount or shows the price somewhere.
            let shown = displayed_amounts(text);
            if shown.is_empty() || shown.iter().any(|d| d.matches(price)) {
                return None;
            }
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
    }

    fn price(text: &str) -> Price {
        Price::parse(text).unwrap()
    }

    fn dec(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }

    /// (shown text, amount, first candidate code or "", hundredths) of every amount.
    fn shown(text: &str) -> Vec<(String, Decimal, String, bool)> {
        displayed_amounts(text)
            .into_iter()
            .map(|d| {
                let first = d
                    .currencies
                    .first()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                (
                    text[d.start..d.end].to_owned(),
                    d.amount,
                    first,
                    d.hundredths,
                )
            })
            .collect()
    }

    fn one(text: &str) -> (String, Decimal, String, bool) {
        let all = shown(text);
        assert_eq!(all.len(), 1, "{text:?}: {all:?}");
        all.into_iter().next().unwrap()
    }

    #[test]
    fn symbols_codes_and_cents() {
        assert_eq!(
            one("only $0.05!"),
            ("$0.05".into(), dec("0.05"), "USD".into(), false)
        );
        assert_eq!(
            one("US$ 2"),
            ("US$ 2".into(), dec("2"), "USD".into(), false)
        );
        assert_eq!(
            one("€0.50"),
            ("€0.50".into(), dec("0.50"), "EUR".into(), false)
        );
        assert_eq!(
            one("only 0,50 €"),
            ("0,50 €".into(), dec("0.5"), "EUR".into(), false)
        );
        assert_eq!(
            one("0,50\u{a0}€"),
            ("0,50\u{a0}€".into(), dec("0.5"), "EUR".into(), false)
        );
        assert_eq!(
            one("£1.20 a page"),
            ("£1.20".into(), dec("1.2"), "GBP".into(), false)
        );
        assert_eq!(
            one("¥100"),
            ("¥100".into(), dec("100"), "JPY".into(), false)
        );
        assert_eq!(
            one("5 cents"),
            ("5 cents".into(), dec("5"), String::new(), true)
        );
        assert_eq!(
            one("Read for 10¢"),
            ("10¢".into(), dec("10"), String::new(), true)
        );
        assert_eq!(
            one("50 Cent"),
            ("50 Cent".into(), dec("50"), String::new(), true)
        );
        assert_eq!(one("2 ct."), ("2 ct".into(), dec("2"), String::new(), true));
        assert_eq!(
            one("costs 10 FRF"),
            ("10 FRF".into(), dec("10"), "FRF".into(), false)
        );
        assert_eq!(
            one("USD 1.5"),
            ("USD 1.5".into(), dec("1.5"), "USD".into(), false)
        );
        assert_eq!(
            one("1.5USD"),
            ("1.5USD".into(), dec("1.5"), "USD".into(), false)
        );
        assert_eq!(
            one("DM 1,50"),
            ("DM 1,50".into(), dec("1.5"), "DEM".into(), false)
        );
        assert_eq!(
            one("25 kr"),
            ("25 kr".into(), dec("25"), "SEK".into(), false)
        );
        assert_eq!(
            one("$.50"),
            ("$.50".into(), dec("0.5"), "USD".into(), false)
        );
        let dollar = &displayed_amounts("$1")[0];
        assert!(dollar.currencies.len() > 5);
        assert_eq!(displayed_amounts("¥1")[0].currencies.len(), 2);
        let both = &displayed_amounts("$5 USD")[0];
        assert_eq!(
            both.currencies
                .iter()
                .filter(|c| c.as_str() == "USD")
                .count(),
            1
        );
    }

    #[test]
    fn separators() {
        assert_eq!(one("$1,000.50").1, dec("1000.50"));
        assert_eq!(one("1.000,50 €").1, dec("1000.50"));
        assert_eq!(one("$1,000").1, dec("1000"));
        assert_eq!(one("1.000 €").1, dec("1000"));
        assert_eq!(one("$1,000,000").1, dec("1000000"));
        assert_eq!(one("€1\u{202f}000,5").1, dec("1000.5"));
        assert_eq!(one("$0.050").1, dec("0.05"));
        assert_eq!(one("$1000.000").1, dec("1000"));
        assert_eq!(one("$1.5").1, dec("1.5"));
        assert_eq!(one("$1.").1, dec("1"));
        assert!(shown("$1,00,000").is_empty());
        assert!(shown("$1.2,5").is_empty());
        assert!(shown("€1\u{a0}5").is_empty());
        assert!(shown("$99999999999999999999999999999999").is_empty());
    }

    #[test]
    fn bare_and_glued_numbers_are_not_amounts() {
        for text in [
            "1999",
            "Top 10",
            "page 3 of 5",
            "A4 paper",
            "mp3",
            "5 percent",
            "5 centuries",
            "USDA 5",
            "5 USDA",
            "XYZ 5",
            "5 DMV",
            "ADM 5",
            "$5k",
            "",
            "no digits",
            "kr5x",
        ] {
            assert!(shown(text).is_empty(), "{text:?}: {:?}", shown(text));
        }
    }

    #[test]
    fn a_code_is_used_once() {
        let all = shown("5 USD 10 EUR");
        assert_eq!(all.len(), 2);
        assert_eq!(all[0], ("5 USD".into(), dec("5"), "USD".into(), false));
        assert_eq!(all[1], ("10 EUR".into(), dec("10"), "EUR".into(), false));
        assert_eq!(displayed_amounts("5 USD 10 EUR")[1].currencies.len(), 1);
    }

    #[test]
    fn mismatch() {
        let f = displayed_price_mismatch("Today's cartoon for 5 cents", &price("5USD")).unwrap();
        assert_eq!(f.code, Code::DisplayedPriceMismatch);
        assert_eq!(
            f.message,
            "the text shows \"5 cents\" but the price is 5USD"
        );
        assert!(f.hint.is_some());
        assert_eq!(displayed_price_mismatch("5 cents", &price("0.05USD")), None);
        assert_eq!(displayed_price_mismatch("$0.05", &price("0.05USD")), None);
        assert_eq!(
            displayed_price_mismatch("Read for 10¢", &price("0.1USD")),
            None
        );
        assert_eq!(
            displayed_price_mismatch("only 0.50 €", &price("0.5EUR")),
            None
        );
        assert_eq!(
            displayed_price_mismatch("Party like it's 1999", &price("5USD")),
            None
        );
        assert_eq!(displayed_price_mismatch("Top 10", &price("5USD")), None);
        assert_eq!(
            displayed_price_mismatch("C$2 or US$1.50", &price("1.5USD")),
            None
        );
        assert_eq!(displayed_price_mismatch("10 FF", &price("10FRF")), None);
        assert!(displayed_price_mismatch("$0.05", &price("0.05EUR")).is_some());
        assert!(displayed_price_mismatch("€0.05", &price("0.05USD")).is_some());
        // Hundredths only make sense for currencies with two minor units.
        assert!(displayed_price_mismatch("5 cents", &price("0.05JPY")).is_some());
        assert!(displayed_price_mismatch("5 cents", &price("0.05BHD")).is_some());
        let many = displayed_price_mismatch("$1, $2, $3, $4", &price("5USD")).unwrap();
        assert_eq!(
            many.message,
            "the text shows \"$1\", \"$2\", \"$3\" … but the price is 5USD"
        );
    }

    #[test]
    fn symbol_lookups() {
        assert_eq!(symbol_codes("€"), Some(&["EUR"][..]));
        assert_eq!(symbol_codes("¢"), Some(&[][..]));
        assert_eq!(symbol_codes("EUR"), None);
        let (symbol, start, end) = find_symbol("1.00US$").unwrap();
        assert_eq!((symbol.text, start, end), ("US$", 4, 7));
        assert!(find_symbol("1.00DM").is_none());
        for s in SYMBOLS.iter().chain([&CENT_SIGN]) {
            assert!(
                s.text.chars().all(char::is_alphabetic)
                    || s.text.contains('$')
                    || !s.text.is_ascii(),
                "find_symbol's shortcut misses {}",
                s.text
            );
        }
        for s in SYMBOLS {
            for code in s.codes {
                assert!(
                    Currency::from_table(code).is_some_and(|c| c.name().is_some()),
                    "{code}"
                );
            }
        }
    }

    /// Money-like text: numbers, every separator, every symbol, codes a list knows and three
    /// capitals none does, cent words and near misses, letters, spaces and punctuation.
    fn money_text() -> impl Strategy<Value = String> {
        let mut pieces: Vec<&'static str> = SYMBOLS.iter().map(|s| s.text).collect();
        pieces.extend([
            // Numbers, short and too long for an i64 or a Decimal.
            "0",
            "1",
            "5",
            "9",
            "00",
            "05",
            "10",
            "50",
            "100",
            "123",
            "999",
            "1000",
            "0.05",
            "1,000",
            "1.000",
            "1\u{a0}000",
            "12345678901234567",
            "123456789012345678",
            "1234567890123456789",
            "99999999999999999999999999999",
            // Separators and gaps.
            ".",
            ".",
            ",",
            ",",
            " ",
            " ",
            "  ",
            "\u{a0}",
            "\u{202f}",
            "\u{2009}",
            "\u{2007}",
            // Codes, known, withdrawn, unknown, and near misses.
            "USD",
            "EUR",
            "JPY",
            "BHD",
            "GBP",
            "CHF",
            "FRF",
            "DEM",
            "XAU",
            "XYZ",
            "ABC",
            "USDA",
            "EU",
            "Usd",
            "usd",
            // Cent words and near misses.
            "cent",
            "cents",
            "Cent",
            "CENTS",
            "ct",
            "cts",
            "CT",
            "Cts",
            "¢",
            "centuries",
            "c",
            "C",
            "cx",
            // Letters, ASCII and beyond, the pieces of symbols, other scripts' digits.
            "a",
            "A",
            "e",
            "x",
            "Z",
            "k",
            "r",
            "S",
            "F",
            "M",
            "D",
            "U",
            "Article",
            "é",
            "ß",
            "日",
            "\u{663}",
            "\u{b2}",
            "\u{200b}",
            "\u{c2}",
            "ł",
            "č",
            "Mex",
            // Punctuation.
            "(",
            ")",
            "-",
            "!",
            "/",
            "'",
            "$",
            "+",
        ]);
        prop::collection::vec(prop::sample::select(pieces), 0..14).prop_map(|v| v.concat())
    }

    /// A price, often one that the generated text shows.
    fn some_price() -> impl Strategy<Value = Price> {
        (
            prop::sample::select(vec![
                "0", "0.05", "0.5", "0.50", "1", "5", "9", "10", "50", "100", "123", "1000", "999",
                "0.1", "1.5",
            ]),
            prop::sample::select(vec![
                "USD", "EUR", "JPY", "BHD", "GBP", "CAD", "NIO", "SEK", "CNY", "FRF", "DEM", "XAU",
                "XYZ",
            ]),
        )
            .prop_map(|(amount, code)| price(&format!("{amount}{code}")))
    }

    /// The new scan gives what the oracle gives: the same amounts, with the same `Decimal`
    /// representation (scale included), the same candidate codes in the same order, and the
    /// same finding for `price`.
    fn same_as_oracle(text: &str, price: &Price) -> Result<(), TestCaseError> {
        let new = displayed_amounts(text);
        let old = oracle::displayed_amounts(text);
        prop_assert_eq!(&new, &old, "{:?}", text);
        for (n, o) in new.iter().zip(&old) {
            prop_assert_eq!(n.amount.serialize(), o.amount.serialize(), "{:?}", text);
        }
        prop_assert_eq!(
            displayed_price_mismatch(text, price),
            oracle::displayed_price_mismatch(text, price),
            "{:?} {}",
            text,
            price
        );
        // Every price an amount of the text stands for, so that the shortcut of a match is
        // taken too.
        for d in &new {
            for currency in d.currencies.iter().copied().chain([price.currency()]) {
                let Some(amount) = crate::value::amount::Amount::from_decimal(d.amount) else {
                    continue;
                };
                let shown = Price::new(amount, currency);
                prop_assert_eq!(
                    displayed_price_mismatch(text, &shown),
                    oracle::displayed_price_mismatch(text, &shown),
                    "{:?} {}",
                    text,
                    shown
                );
            }
        }
        Ok(())
    }

    /// Where the scan passes a number over on the bytes beside it, the full look finds no
    /// marker either.
    fn skips_are_sound(text: &str) -> Result<(), TestCaseError> {
        let bytes = text.as_bytes();
        for i in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            if !may_end_marker(bytes, i) {
                prop_assert!(marker_before(text, i, 0).is_none(), "{:?} {}", text, i);
            }
            if !may_start_marker(bytes, i) {
                prop_assert!(marker_after(text, i).is_none(), "{:?} {}", text, i);
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn the_scan_is_the_oracle_on_money_text(text in money_text(), price in some_price()) {
            same_as_oracle(&text, &price)?;
            skips_are_sound(&text)?;
        }

        #[test]
        fn the_scan_is_the_oracle_on_money_chars(
            text in "[0-9 .,$€¢£¥₹a-zA-ZUSDEFRCkrzłčé\u{a0}\u{202f}\u{2009}()]{0,40}",
            price in some_price(),
        ) {
            same_as_oracle(&text, &price)?;
            skips_are_sound(&text)?;
        }

        #[test]
        fn the_scan_is_the_oracle_on_any_text(text in any::<String>(), price in some_price()) {
            same_as_oracle(&text, &price)?;
            skips_are_sound(&text)?;
        }
    }

    proptest! {
        #[test]
        fn never_panics_and_ranges_are_sound(s in any::<String>()) {
            let mut last_end = 0;
            for d in displayed_amounts(&s) {
                prop_assert!(d.start < d.end && d.end <= s.len());
                prop_assert!(s.get(d.start..d.end).is_some());
                prop_assert!(d.start >= last_end);
                last_end = d.end;
            }
        }

        #[test]
        fn never_panics_on_money_like_text(s in "[0-9 .,$€¢£a-zA-Z\u{a0}]{0,40}") {
            let _ = displayed_price_mismatch(&s, &price("1USD"));
        }

        #[test]
        fn a_shown_price_matches_itself(cents in 0u32..1_000_000, code in "(USD|EUR|GBP|CHF)") {
            let amount = Decimal::new(i64::from(cents), 2);
            let p = Price::new(crate::value::amount::Amount::from_decimal(amount).unwrap(), Currency::parse(&code).unwrap());
            for text in [format!("for {amount} {code} only"), format!("{code}{amount}"), format!("({cents} cents)")] {
                prop_assert_eq!(displayed_price_mismatch(&text, &p), None, "{}", text);
            }
        }
    }
}

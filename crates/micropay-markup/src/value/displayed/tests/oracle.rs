//! The P-8 scan as it was before it was made cheaper, kept as the oracle that the property
//! tests of `displayed/tests.rs` compare the module with: same amounts, same findings, for
//! any text.

use rust_decimal::Decimal;

use super::super::DisplayedAmount;
use crate::value::currency::Currency;
use crate::value::price::Price;
use crate::value::symbol::{CENTS, SYMBOLS};
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
            (!word_char(text.get(..start).and_then(|t| t.chars().next_back()))).then(|| Marker {
                start,
                end,
                codes: vec![code],
                hundredths: false,
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
        let between = end == start + i && chars.peek().is_some_and(|(_, n)| n.is_ascii_digit());
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

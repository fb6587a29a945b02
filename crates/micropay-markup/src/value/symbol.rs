//! Currency symbols (P-8): which ISO 4217 codes each one may stand for, and the byte tables
//! that tell, from one byte next to a number, which symbols or codes may be there.

/// A currency symbol and the ISO 4217 codes it may stand for.
pub(super) struct Symbol {
    pub(super) text: &'static str,
    pub(super) codes: &'static [&'static str],
}

pub(super) const DOLLARS: &[&str] = &[
    "USD", "CAD", "AUD", "NZD", "HKD", "SGD", "MXN", "TWD", "ARS", "CLP", "COP", "CUP", "DOP",
    "UYU", "BSD", "BBD", "BZD", "BMD", "BND", "FJD", "GYD", "JMD", "KYD", "LRD", "NAD", "SBD",
    "SRD", "TTD", "XCD",
];

pub(super) const fn sym(text: &'static str, codes: &'static [&'static str]) -> Symbol {
    Symbol { text, codes }
}

/// Currency symbols, longest first within a shared ending so that `US$` wins over `$`.
/// A symbol that starts with a letter must start a word when it stands before the number, and
/// one that ends with a letter must end a word when it stands after it (`DM 5`, `25 kr`, not
/// `ADM 5` or `5 krona`).
pub(super) const SYMBOLS: &[Symbol] = &[
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
pub(super) static SYMBOLS_BY_LAST: [u64; 256] = symbol_bits(true);
pub(super) static SYMBOLS_BY_FIRST: [u64; 256] = symbol_bits(false);

pub(super) const fn symbol_bits(last: bool) -> [u64; 256] {
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
pub(super) fn symbols_in(mut bits: u64) -> impl Iterator<Item = &'static Symbol> {
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
pub(super) static MAY_END_MARKER: [bool; 256] = marker_bytes(true);
pub(super) static MAY_START_MARKER: [bool; 256] = marker_bytes(false);

pub(super) const fn marker_bytes(before: bool) -> [bool; 256] {
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
pub(super) fn may_end_marker(bytes: &[u8], start: usize) -> bool {
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
pub(super) fn may_start_marker(bytes: &[u8], end: usize) -> bool {
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
pub(super) const CENT_SIGN: Symbol = sym("¢", &[]);

/// Words and signs for hundredths, matched after the number, longest first.
pub(super) const CENTS: &[&str] = &["cents", "cent", "cts", "ct", "¢"];

/// The codes a currency symbol stands for, when `text` is exactly a symbol.
pub(super) fn symbol_codes(text: &str) -> Option<&'static [&'static str]> {
    if text == "¢" {
        return Some(&[]);
    }
    SYMBOLS.iter().find(|s| s.text == text).map(|s| s.codes)
}

/// The first currency symbol that is not made of letters in `text`, with its byte range.
pub(super) fn find_symbol(text: &str) -> Option<(&'static Symbol, usize, usize)> {
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

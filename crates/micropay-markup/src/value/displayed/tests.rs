use super::*;
use crate::value::symbol::{CENT_SIGN, SYMBOLS, find_symbol, symbol_codes};
use proptest::prelude::*;

/// The P-8 scan as it was before it was made cheaper, kept as the oracle that the property
/// tests below compare the module with: same amounts, same findings, for any text.
mod oracle;

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
            s.text.chars().all(char::is_alphabetic) || s.text.contains('$') || !s.text.is_ascii(),
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

use super::*;
use proptest::prelude::*;

fn canon(text: &str) -> String {
    Amount::parse(text).unwrap().to_string()
}

fn code_of(text: &str) -> Code {
    Amount::parse(text).unwrap_err().code
}

#[test]
fn canonical_forms() {
    assert_eq!(canon("+4.250E0"), "4.25");
    assert_eq!(canon("1E-3"), "0.001");
    assert_eq!(canon(".5"), "0.5");
    assert_eq!(canon("000"), "0");
    assert_eq!(canon("5."), "5");
    assert_eq!(canon("1.50e+2"), "150");
    assert_eq!(canon("0.000"), "0");
    assert_eq!(canon("12"), "12");
    assert_eq!(canon("1000"), "1000");
    assert_eq!(canon("0E999999999"), "0");
    assert_eq!(canon("0.0E-999999999999999999999999"), "0");
    assert_eq!(canon("123.456e-1"), "12.3456");
}

#[test]
fn limits() {
    // 28 significant digits are fine, 29 are not.
    assert_eq!(
        canon("9999999999999999999999999999"),
        "9999999999999999999999999999"
    );
    assert_eq!(
        code_of("99999999999999999999999999999"),
        Code::PriceOutOfRange
    );
    assert_eq!(canon("1E27"), "1000000000000000000000000000");
    assert_eq!(code_of("1E28"), Code::PriceOutOfRange);
    assert_eq!(code_of("1E30"), Code::PriceOutOfRange);
    // 28 fractional digits are fine, 29 are not.
    assert_eq!(canon("1E-28"), "0.0000000000000000000000000001");
    assert_eq!(code_of("1E-29"), Code::PriceOutOfRange);
    assert_eq!(
        code_of("0.00000000000000000000000000001"),
        Code::PriceOutOfRange
    );
    // Leading and trailing zeros do not count.
    assert_eq!(
        canon("0000000000000000000000000000001.1000000000000000000000000000"),
        "1.1"
    );
    // A value that needs 28 digits on each side of the point has too many significant ones.
    assert_eq!(
        code_of("1.0000000000000000000000000001"),
        Code::PriceOutOfRange
    );
    let err = Amount::parse("1E999999999999").unwrap_err();
    assert_eq!(err.code, Code::PriceOutOfRange);
    assert!(
        err.message.contains("more than a billion"),
        "{}",
        err.message
    );
    let err = Amount::parse("1E-99999999999999999999").unwrap_err();
    assert_eq!(err.code, Code::PriceOutOfRange);
    assert!(err.message.contains("after the point"));
}

#[test]
fn long_inputs_are_cheap() {
    let zeros = "0".repeat(1_000_000);
    assert_eq!(canon(&format!("{zeros}1")), "1");
    assert_eq!(canon(&format!("1.{zeros}")), "1");
    assert_eq!(canon(&format!("1E-{zeros}1")), "0.1");
}

#[test]
fn off_the_grammar() {
    for bad in [
        "", ".", "+", "E5", "1E", "1E+", "1e-", "1.2.3", "++1", "1+", "0x10", "١",
    ] {
        assert_eq!(code_of(bad), Code::InvalidPrice, "{bad:?}");
    }
    assert_eq!(code_of("-1"), Code::NegativePrice);
    assert_eq!(code_of("-0"), Code::NegativePrice);
}

#[test]
fn hints() {
    let hint = |t: &str| Amount::parse(t).unwrap_err().hint.unwrap();
    assert_eq!(hint("0,50"), "use a point: 0.50");
    assert_eq!(
        hint("1,000.50"),
        "write the digits without separators: 1000.50"
    );
    assert_eq!(
        hint("1,000,000"),
        "write the digits without separators: 1000000"
    );
    assert!(hint("1E0.5").contains("whole number"));
    assert_eq!(hint("1 000"), "remove the spaces: 1000");
    assert!(hint("").contains("0.01"));
    assert!(hint("-1").contains("below zero"));
    assert!(hint("abc").contains("1E-3"));
    assert!(hint("1,a").contains("0.01"));
    let with_code = parse_with_suffix(
        "0,50",
        &Written {
            value: "0,50 EUR",
            code: "EUR",
            example_code: "EUR",
        },
    )
    .unwrap_err();
    assert_eq!(with_code.hint.as_deref(), Some("use a point: 0.50EUR"));
    // The message quotes the value as written, never a string that is not in the page.
    assert!(with_code.message.contains("\"0,50 EUR\""));
}

#[test]
fn from_decimal_and_arithmetic() {
    assert_eq!(Amount::from_decimal(Decimal::new(-1, 2)), None);
    assert_eq!(
        Amount::from_decimal(Decimal::new(-0, 2)),
        Some(Amount::ZERO)
    );
    let a = Amount::from_decimal(Decimal::new(1050, 3)).unwrap();
    assert_eq!(a.to_string(), "1.05");
    assert_eq!(a.as_decimal().scale(), 2);
    assert!(!a.is_zero());
    assert!(Amount::parse("0.0").unwrap().is_zero());
    assert_eq!(a.checked_add(a).unwrap().to_string(), "2.1");
    assert_eq!(Amount::from_decimal(Decimal::MAX), None);
    let big = Amount::parse("9999999999999999999999999999").unwrap();
    assert_eq!(big.checked_add(Amount::parse("1").unwrap()), None);
    let tiny = Amount::parse("1E-28").unwrap();
    assert_eq!(Amount::parse("1").unwrap().checked_add(tiny), None);
    assert!(Amount::parse("0.1").unwrap() < Amount::parse("1E-0").unwrap());
    assert_eq!(Amount::parse("1.0").unwrap(), Amount::parse("1").unwrap());
    assert_eq!("2.50".parse::<Amount>().unwrap().to_string(), "2.5");
}

#[test]
fn serde_uses_the_canonical_string() {
    let a = Amount::parse("+4.250E0").unwrap();
    assert_eq!(serde_json::to_string(&a).unwrap(), "\"4.25\"");
    let back: Amount = serde_json::from_str("\"4.2500\"").unwrap();
    assert_eq!(back, a);
    assert!(serde_json::from_str::<Amount>("\"-1\"").is_err());
    assert!(serde_json::from_str::<Amount>("4.25").is_err());
}

proptest! {
    #[test]
    fn never_panics(s in any::<String>()) {
        let _ = Amount::parse(&s);
    }

    #[test]
    fn grammatical_text_parses_or_is_out_of_range(
        s in r"\+?([0-9]{1,30}(\.[0-9]{0,30})?|\.[0-9]{1,30})([eE][+-]?[0-9]{1,3})?"
    ) {
        match Amount::parse(&s) {
            Ok(a) => {
                let shown = a.to_string();
                prop_assert!(!shown.contains(['e', 'E', '+']));
                prop_assert_eq!(Amount::parse(&shown).unwrap(), a);
                prop_assert_eq!(Amount::parse(&shown).unwrap().to_string(), shown);
            }
            Err(f) => prop_assert_eq!(f.code, Code::PriceOutOfRange),
        }
    }

    #[test]
    fn plain_decimals_keep_their_value(int in 0u64..1_000_000_000_000_000_000, frac in "[0-9]{0,9}") {
        let text = if frac.is_empty() { int.to_string() } else { format!("{int}.{frac}") };
        let expected = Decimal::from_str_exact(&text).unwrap();
        prop_assert_eq!(Amount::parse(&text).unwrap().as_decimal(), expected);
    }

    #[test]
    fn exponent_moves_the_point(m in 0u32..1_000_000, e in -20i32..=20) {
        let a = Amount::parse(&format!("{m}E{e}")).unwrap();
        let b = Amount::parse(&format!("{m}e{e:+}")).unwrap();
        prop_assert_eq!(a, b);
        let expected = Decimal::from_scientific(&format!("{m}e{e}")).unwrap();
        prop_assert_eq!(a.as_decimal(), expected);
    }

    #[test]
    fn serde_round_trip(m in any::<u64>(), scale in 0u32..=8) {
        let a = Amount::from_decimal(Decimal::new(i64::try_from(m >> 1).unwrap(), scale)).unwrap();
        let json = serde_json::to_string(&a).unwrap();
        prop_assert_eq!(serde_json::from_str::<Amount>(&json).unwrap(), a);
    }
}

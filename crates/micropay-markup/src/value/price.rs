//! P-3: a price, `price = amount currency`, with no space between them.
//!
//! Because the currency is exactly three letters and an amount never ends with a letter, the
//! split is unambiguous: the trailing run of letters is the code (`1E5EUR` is 1E5 EUR, `5EEK`
//! is 5 EEK). Errors carry a hint for the usual mistakes: a space before the code, a
//! lower-case code, a symbol, a comma as decimal separator, a fractional exponent, the code
//! written first.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, MapAccess};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::amount::{self, Amount};
use super::currency::Currency;
use super::symbol;
use crate::{Code, Finding};

/// An exact amount in an ISO 4217 currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Price {
    amount: Amount,
    currency: Currency,
}

const EXAMPLE: &str = "write the amount followed by the ISO 4217 code, e.g. 0.01USD";

fn invalid(message: String) -> Finding {
    Finding::new(Code::InvalidPrice, message)
}

impl Price {
    /// Parses the P-3 `price` production (the caller has trimmed the value; trimming ASCII
    /// whitespace again here is harmless).
    pub fn parse(text: &str) -> Result<Price, Finding> {
        let value = text.trim_ascii();
        if value.is_empty() {
            return Err(invalid("the price is empty".to_owned()).with_hint(EXAMPLE));
        }
        // P-3: a leading '-' is negative-price.
        if value.starts_with('-') {
            return Err(Finding::new(
                Code::NegativePrice,
                format!("the price \"{value}\" is negative"),
            )
            .with_hint("a price is what the user pays: it cannot be below zero"));
        }
        // P-3 hint: a symbol such as '$' instead of the code.
        if let Some((symbol, start, end)) = symbol::find_symbol(value) {
            return Err(symbol_mistake(value, symbol, start, end));
        }
        // P-3 hint: the code before the amount ("USD1").
        let letters = value.bytes().take_while(u8::is_ascii_alphabetic).count();
        if letters > 0 && !value.ends_with(|c: char| c.is_ascii_alphabetic()) {
            return Err(code_first(value, letters));
        }
        let code_start = value.len()
            - value
                .bytes()
                .rev()
                .take_while(u8::is_ascii_alphabetic)
                .count();
        let number = value.get(..code_start).unwrap_or("");
        let code = value.get(code_start..).unwrap_or("");
        let fixed_code = if code.len() == 3 {
            code.to_ascii_uppercase()
        } else {
            code.to_owned()
        };
        // Hints write a corrected price with the page's code only when it has the shape of
        // one; examples then fall back to USD. Messages quote the value as written.
        let usable = fixed_code.len() == 3;
        let written = amount::Written {
            value,
            code: if usable { &fixed_code } else { "" },
            example_code: if usable { &fixed_code } else { "USD" },
        };
        if code.is_empty() {
            return Err(match Amount::parse(number) {
                Ok(_) => invalid(format!("the price \"{value}\" has no currency code")).with_hint(
                    format!("add the ISO 4217 code after the amount, e.g. {number}USD"),
                ),
                Err(_) => invalid(format!("\"{value}\" is not a price")).with_hint(EXAMPLE),
            });
        }
        let trimmed = number.trim_end();
        if trimmed.is_empty() {
            return Err(
                invalid(format!("the price \"{value}\" has no amount")).with_hint(format!(
                    "write the amount before the code, e.g. 1.00{}",
                    written.example_code
                )),
            );
        }
        // P-3 hint: a space before the code.
        if trimmed.len() != number.len() && code.len() == 3 {
            amount::parse_with_suffix(trimmed, &written)?;
            return Err(invalid(format!(
                "there is a space between the amount and the currency code in \"{value}\""
            ))
            .with_hint(format!("remove the space: {trimmed}{fixed_code}")));
        }
        let amount = amount::parse_with_suffix(number, &written)?;
        // P-3 hint: a lower-case code, or a code of the wrong length.
        let currency = Currency::parse(code).map_err(|f| {
            if code.len() == 3 {
                invalid(format!(
                    "the currency code in \"{value}\" is not upper-case"
                ))
                .with_hint(format!("write {number}{fixed_code}"))
            } else {
                f.with_hint(format!(
                    "an ISO 4217 code is three upper-case letters, e.g. {number}USD"
                ))
            }
        })?;
        Ok(Price { amount, currency })
    }

    /// A price from its parts.
    pub fn new(amount: Amount, currency: Currency) -> Price {
        Price { amount, currency }
    }

    /// The amount.
    pub fn amount(&self) -> Amount {
        self.amount
    }

    /// The currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// P-3 warnings about a well-formed price: `zero-price`, then `withdrawn-currency` or
    /// `unknown-currency`.
    pub fn warnings(&self) -> Vec<Finding> {
        let mut found = Vec::new();
        if self.amount.is_zero() {
            found.push(
                Finding::new(Code::ZeroPrice, format!("the price {self} is zero"))
                    .with_hint("a free resource needs no per-fee-link; link to it directly"),
            );
        }
        found.extend(self.currency.warning());
        found
    }
}

/// The finding for a price written with a currency symbol.
fn symbol_mistake(value: &str, symbol: &symbol::Symbol, start: usize, end: usize) -> Finding {
    let message = format!(
        "the price \"{value}\" uses the symbol {} instead of an ISO 4217 code",
        symbol.text
    );
    let rest = format!(
        "{}{}",
        value.get(..start).unwrap_or(""),
        value.get(end..).unwrap_or("")
    );
    let rest = rest.trim();
    let hundredths = symbol.text == "¢";
    // The rest may already carry a code ("$1.00USD"): then the symbol only has to go. (Only
    // when no other symbol is left, so that this never recurses more than once.)
    if symbol::find_symbol(rest).is_none() && Price::parse(rest).is_ok() {
        return invalid(message).with_hint(format!("remove the symbol: {rest}"));
    }
    // Symbols often come with a decimal comma ("0,50 €"): fix that in the same hint.
    let rest = if rest.matches(',').count() == 1 && !rest.contains('.') {
        rest.replace(',', ".")
    } else {
        rest.to_owned()
    };
    let Ok(number) = Amount::parse(&rest) else {
        return invalid(message).with_hint(EXAMPLE);
    };
    if hundredths {
        let dollars = number
            .as_decimal()
            .checked_div(rust_decimal::Decimal::ONE_HUNDRED)
            .and_then(Amount::from_decimal)
            .map_or_else(|| rest.clone(), |a| a.to_string());
        return invalid(message).with_hint(format!(
            "¢ are hundredths: write the amount in the currency unit, e.g. {dollars}USD"
        ));
    }
    let hint = match symbol.codes {
        [only] => format!("write {rest}{only}"),
        [first, others @ ..] => format!(
            "write {rest}{first} (or {rest}{} …, whichever currency is meant)",
            others.first().copied().unwrap_or(first)
        ),
        [] => EXAMPLE.to_owned(),
    };
    invalid(message).with_hint(hint)
}

/// The finding for a price whose first `letters` bytes are letters and which ends otherwise.
fn code_first(value: &str, letters: usize) -> Finding {
    let code = value.get(..letters).unwrap_or("");
    let rest = value.get(letters..).unwrap_or("").trim_start();
    if code.len() == 3 && Amount::parse(rest).is_ok() {
        let upper = code.to_ascii_uppercase();
        return invalid(format!(
            "the currency code comes before the amount in \"{value}\""
        ))
        .with_hint(format!("write the amount first: {rest}{upper}"));
    }
    invalid(format!("\"{value}\" is not a price")).with_hint(EXAMPLE)
}

impl fmt::Display for Price {
    /// The canonical form: canonical amount, then the code (`0.01USD`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.amount, self.currency)
    }
}

impl FromStr for Price {
    type Err = Finding;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Price::parse(s)
    }
}

impl Serialize for Price {
    /// `{"amount": "0.01", "currency": "USD"}`, in that order.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("Price", 2)?;
        state.serialize_field("amount", &self.amount)?;
        state.serialize_field("currency", &self.currency)?;
        state.end()
    }
}

impl<'de> Deserialize<'de> for Price {
    /// Accepts the object form (each part through its parser) or a string such as
    /// `"0.01USD"` (through [`Price::parse`]).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = Price;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a price: {\"amount\": \"0.01\", \"currency\": \"USD\"} or \"0.01USD\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Price, E> {
                Price::parse(v).map_err(E::custom)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Price, A::Error> {
                let mut amount = None;
                let mut currency = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "amount" if amount.is_none() => amount = Some(map.next_value::<Amount>()?),
                        "currency" if currency.is_none() => {
                            currency = Some(map.next_value::<Currency>()?);
                        }
                        "amount" | "currency" => {
                            return Err(de::Error::duplicate_field("amount or currency"));
                        }
                        other => {
                            return Err(de::Error::unknown_field(other, &["amount", "currency"]));
                        }
                    }
                }
                let amount = amount.ok_or_else(|| de::Error::missing_field("amount"))?;
                let currency = currency.ok_or_else(|| de::Error::missing_field("currency"))?;
                Ok(Price { amount, currency })
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(text: &str) -> Price {
        Price::parse(text).unwrap()
    }

    fn err(text: &str) -> Finding {
        Price::parse(text).unwrap_err()
    }

    #[test]
    fn parses_and_canonicalises() {
        assert_eq!(p("+4.250E0USD").to_string(), "4.25USD");
        assert_eq!(p("1E-3USD").amount().to_string(), "0.001");
        assert_eq!(p(" 0.01USD\t").to_string(), "0.01USD");
        assert_eq!(p("1E5EUR").to_string(), "100000EUR");
        assert_eq!(p("5EEK").to_string(), "5EEK");
        assert_eq!(p(".5GBP").to_string(), "0.5GBP");
        assert_eq!(p("1e-2JPY").currency().as_str(), "JPY");
        assert_eq!("0.10USD".parse::<Price>().unwrap(), p("0.1USD"));
        let built = Price::new(Amount::parse("2").unwrap(), Currency::parse("CHF").unwrap());
        assert_eq!(built, p("2.00CHF"));
    }

    #[test]
    fn errors_and_hints() {
        let cases = [
            ("", Code::InvalidPrice, "e.g. 0.01USD"),
            ("-1USD", Code::NegativePrice, "below zero"),
            ("1.00 USD", Code::InvalidPrice, "remove the space: 1.00USD"),
            ("1.00 usd", Code::InvalidPrice, "remove the space: 1.00USD"),
            ("1usd", Code::InvalidPrice, "write 1USD"),
            ("1Usd", Code::InvalidPrice, "write 1USD"),
            ("$1.00", Code::InvalidPrice, "write 1.00USD"),
            ("1.00$", Code::InvalidPrice, "write 1.00USD"),
            ("€0.50", Code::InvalidPrice, "write 0.50EUR"),
            ("0,50 €", Code::InvalidPrice, "write 0.50EUR"),
            ("US$1", Code::InvalidPrice, "write 1USD"),
            ("$1.00USD", Code::InvalidPrice, "remove the symbol: 1.00USD"),
            ("5¢", Code::InvalidPrice, "e.g. 0.05USD"),
            ("0,50EUR", Code::InvalidPrice, "use a point: 0.50EUR"),
            (
                "1,000.00USD",
                Code::InvalidPrice,
                "without separators: 1000.00USD",
            ),
            ("1E0.5USD", Code::InvalidPrice, "whole number"),
            ("USD1", Code::InvalidPrice, "write the amount first: 1USD"),
            (
                "usd 1.50",
                Code::InvalidPrice,
                "write the amount first: 1.50USD",
            ),
            ("1.00", Code::InvalidPrice, "e.g. 1.00USD"),
            ("USD", Code::InvalidPrice, "e.g. 1.00USD"),
            ("1.00US", Code::InvalidPrice, "e.g. 1.00USD"),
            (
                "1.00DOLLARS",
                Code::InvalidPrice,
                "three upper-case letters",
            ),
            ("1..0USD", Code::InvalidPrice, "e.g. 0.01USD"),
            ("x1", Code::InvalidPrice, "e.g. 0.01USD"),
            ("1 0USD", Code::InvalidPrice, "remove the spaces: 10USD"),
            ("1E30USD", Code::PriceOutOfRange, ""),
        ];
        for (text, code, hint) in cases {
            let f = err(text);
            assert_eq!(f.code, code, "{text:?}: {f:?}");
            assert!(
                f.hint.as_deref().unwrap_or("").contains(hint),
                "{text:?}: {f:?}"
            );
        }
        assert!(err("1.00 USD").message.contains("\"1.00 USD\""));
        assert!(err("$1.00").message.contains('$'));
        assert!(err("1,5 EUR").hint.unwrap().contains("1.5EUR"));
        // Messages quote what is written; hints use a code only when it has the shape of one.
        assert_eq!(
            err("0,05 EUR").message,
            "\"0,05 EUR\" uses a comma as decimal separator"
        );
        for (text, hint) in [
            ("A", "write the amount before the code, e.g. 1.00USD"),
            ("abcA", "write the amount before the code, e.g. 1.00USD"),
            ("x1A", "e.g. 0.01USD or 1E-3USD"),
            ("1,5EURO", "use a point: 1.5"),
        ] {
            let found = err(text).hint.unwrap();
            assert!(found.ends_with(hint), "{text}: {found}");
        }
        let many = format!("{}1USD", "$".repeat(100_000));
        assert_eq!(err(&many).code, Code::InvalidPrice);
    }

    #[test]
    fn warnings() {
        assert!(p("0.01USD").warnings().is_empty());
        let zero = p("0USD").warnings();
        assert_eq!(zero.len(), 1);
        assert_eq!(zero[0].code, Code::ZeroPrice);
        let codes: Vec<Code> = p("0.00FRF").warnings().iter().map(|f| f.code).collect();
        assert_eq!(codes, [Code::ZeroPrice, Code::WithdrawnCurrency]);
        assert_eq!(p("1QQQ").warnings()[0].code, Code::UnknownCurrency);
    }

    #[test]
    fn serde_forms() {
        let price = p("0.010USD");
        let json = serde_json::to_string(&price).unwrap();
        assert_eq!(json, r#"{"amount":"0.01","currency":"USD"}"#);
        assert_eq!(serde_json::from_str::<Price>(&json).unwrap(), price);
        assert_eq!(serde_json::from_str::<Price>("\"0.01USD\"").unwrap(), price);
        assert_eq!(
            serde_json::from_str::<Price>(r#"{"currency":"USD","amount":"1E-2"}"#).unwrap(),
            price
        );
        for bad in [
            r#"{"amount":"0.01"}"#,
            r#"{"currency":"USD"}"#,
            r#"{"amount":"-1","currency":"USD"}"#,
            r#"{"amount":"1","currency":"usd"}"#,
            r#"{"amount":"1","currency":"USD","x":1}"#,
            r#"{"amount":"1","amount":"2","currency":"USD"}"#,
            r#"{"amount":0.01,"currency":"USD"}"#,
            r#""1 USD""#,
            "1",
        ] {
            assert!(serde_json::from_str::<Price>(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in any::<String>()) {
            if let Ok(price) = Price::parse(&s) {
                let _ = price.warnings();
            }
        }

        #[test]
        fn never_panics_near_the_grammar(s in r"[-+ $€¢,.0-9eEuUsSdD]{0,12}") {
            let _ = Price::parse(&s);
        }

        #[test]
        fn round_trip(
            amount in r"\+?([0-9]{1,12}(\.[0-9]{0,12})?|\.[0-9]{1,12})([eE][+-]?[0-9]{1,2})?",
            code in "[A-Z]{3}",
        ) {
            let text = format!("{amount}{code}");
            match Price::parse(&text) {
                Ok(price) => {
                    let shown = price.to_string();
                    prop_assert_eq!(Price::parse(&shown).unwrap(), price);
                    prop_assert_eq!(price.amount(), Amount::parse(&amount).unwrap());
                    let json = serde_json::to_string(&price).unwrap();
                    prop_assert_eq!(serde_json::from_str::<Price>(&json).unwrap(), price);
                }
                Err(f) => prop_assert_eq!(f.code, Code::PriceOutOfRange),
            }
        }
    }
}

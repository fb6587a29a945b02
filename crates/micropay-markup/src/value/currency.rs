//! P-3: ISO 4217 alphabetic currency codes.
//!
//! A [`Currency`] is any three upper-case ASCII letters (`currency = 3( %x41-5A )`); whether
//! ISO 4217 knows the code is a separate question ([`Currency::status`]), answered from the
//! checked-in lists of the `iso4217` module, because P-3 makes an unknown or withdrawn code a
//! warning, not an error.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::iso4217;
use crate::{Code, Finding};

/// Three upper-case ASCII letters.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency([u8; 3]);

/// Where a code stands in ISO 4217.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CurrencyStatus {
    /// In List One (current currencies and funds).
    Active,
    /// Only in List Three (historic denominations), e.g. FRF.
    Withdrawn,
    /// Never an ISO 4217 code.
    Unknown,
}

impl Currency {
    /// Parses exactly three upper-case ASCII letters.
    pub fn parse(text: &str) -> Result<Currency, Finding> {
        let bytes = text.as_bytes();
        // P-3: currency = 3( %x41-5A ).
        if let [a, b, c] = *bytes {
            if [a, b, c].iter().all(u8::is_ascii_uppercase) {
                return Ok(Currency([a, b, c]));
            }
            if [a, b, c].iter().all(u8::is_ascii_alphabetic) {
                let upper = text.to_ascii_uppercase();
                return Err(Finding::new(
                    Code::InvalidPrice,
                    format!("the currency code \"{text}\" is not upper-case"),
                )
                .with_hint(format!("ISO 4217 codes are written in capitals: {upper}")));
            }
        }
        if text.is_empty() {
            return Err(
                Finding::new(Code::InvalidPrice, "the currency code is empty")
                    .with_hint("write a three-letter ISO 4217 code such as USD or EUR"),
            );
        }
        if let Some(codes) = super::symbol::symbol_codes(text) {
            let suggestion = codes.first().copied().unwrap_or("USD");
            return Err(Finding::new(
                Code::InvalidPrice,
                format!("\"{text}\" is a currency symbol, not an ISO 4217 code"),
            )
            .with_hint(format!("write the code instead, e.g. {suggestion}")));
        }
        Err(Finding::new(
            Code::InvalidPrice,
            format!("\"{text}\" is not a three-letter currency code"),
        )
        .with_hint("an ISO 4217 code is three upper-case letters such as USD or EUR"))
    }

    /// For codes known to be well formed (tables and constants of this crate).
    pub(crate) fn from_table(code: &str) -> Option<Currency> {
        Currency::parse(code).ok()
    }

    /// The three letters.
    pub fn as_str(&self) -> &str {
        // Always three ASCII letters, so always UTF-8.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// P-3: whether ISO 4217 lists the code as current, only as historic, or not at all.
    /// A code that is in both lists is active.
    pub fn status(&self) -> CurrencyStatus {
        if iso4217::active(self.as_str()).is_some() {
            CurrencyStatus::Active
        } else if iso4217::withdrawn(self.as_str()).is_some() {
            CurrencyStatus::Withdrawn
        } else {
            CurrencyStatus::Unknown
        }
    }

    /// The English name ISO 4217 gives the currency (List One, else List Three).
    pub fn name(&self) -> Option<&'static str> {
        iso4217::active(self.as_str())
            .map(|row| row.name)
            .or_else(|| iso4217::withdrawn(self.as_str()).map(|row| row.name))
    }

    /// The ISO 4217 numeric code (List One, else List Three; a few historic funds have none).
    pub fn numeric(&self) -> Option<u16> {
        match iso4217::active(self.as_str()) {
            Some(row) => Some(row.numeric),
            None => iso4217::withdrawn(self.as_str()).and_then(|row| row.numeric),
        }
    }

    /// Digits of the minor unit of an active code (2 for USD, 0 for JPY, 3 for KWD); `None`
    /// for codes without one ("N.A.": XAU, XDR …) and for withdrawn or unknown codes.
    pub fn minor_units(&self) -> Option<u8> {
        iso4217::active(self.as_str()).and_then(|row| row.minor_units)
    }

    /// When List Three says a withdrawn code was withdrawn (`YYYY-MM` or a range of years).
    pub fn withdrawal_date(&self) -> Option<&'static str> {
        if self.status() == CurrencyStatus::Withdrawn {
            iso4217::withdrawn(self.as_str()).map(|row| row.date)
        } else {
            None
        }
    }

    /// The active code that replaced a withdrawn one, where the replacement is unambiguous
    /// (FRF -> EUR, SLL -> SLE).
    pub fn successor(&self) -> Option<Currency> {
        if self.status() != CurrencyStatus::Withdrawn {
            return None;
        }
        iso4217::withdrawn(self.as_str())
            .and_then(|row| row.successor)
            .and_then(Currency::from_table)
    }

    /// P-3: `withdrawn-currency` or `unknown-currency` for this code, `None` if it is active.
    pub fn warning(&self) -> Option<Finding> {
        let code = self.as_str();
        match self.status() {
            CurrencyStatus::Active => None,
            CurrencyStatus::Withdrawn => {
                let name = self.name().unwrap_or(code);
                let date = self.withdrawal_date().unwrap_or("an earlier date");
                let finding = Finding::new(
                    Code::WithdrawnCurrency,
                    format!("{code} ({name}) was withdrawn from ISO 4217 ({date})"),
                );
                Some(match self.successor() {
                    Some(next) => finding.with_hint(format!(
                        "its successor is {next} ({})",
                        next.name().unwrap_or(next.as_str())
                    )),
                    None => finding,
                })
            }
            CurrencyStatus::Unknown => {
                let finding = Finding::new(
                    Code::UnknownCurrency,
                    format!("{code} is not an ISO 4217 currency code"),
                );
                Some(match self.transposition() {
                    Some(near) => finding.with_hint(format!("did you mean {near}?")),
                    None => finding,
                })
            }
        }
    }

    /// An active code with the same letters in another order (UDS -> USD), for hints.
    fn transposition(self) -> Option<&'static str> {
        let mut mine = self.0;
        mine.sort_unstable();
        iso4217::ACTIVE.iter().map(|row| row.code).find(|code| {
            let mut theirs = [0_u8; 3];
            theirs.copy_from_slice(code.as_bytes());
            theirs.sort_unstable();
            theirs == mine
        })
    }
}

/// The code, as in Display: `USD`.
impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Currency {
    type Err = Finding;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::parse(s)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Currency;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a three-letter ISO 4217 code such as \"USD\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Currency, E> {
                Currency::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn c(code: &str) -> Currency {
        Currency::parse(code).unwrap()
    }

    #[test]
    fn parses_three_capitals_only() {
        assert_eq!(c("USD").as_str(), "USD");
        assert_eq!(c("QQQ").to_string(), "QQQ");
        assert_eq!("EUR".parse::<Currency>().unwrap(), c("EUR"));
        for bad in ["", "US", "USDX", "U5D", "ÜSD", "US ", "€"] {
            assert_eq!(
                Currency::parse(bad).unwrap_err().code,
                Code::InvalidPrice,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn hints() {
        let hint = |t: &str| Currency::parse(t).unwrap_err().hint.unwrap();
        assert_eq!(hint("usd"), "ISO 4217 codes are written in capitals: USD");
        assert_eq!(hint("Eur"), "ISO 4217 codes are written in capitals: EUR");
        assert!(hint("").contains("three-letter"));
        assert_eq!(hint("€"), "write the code instead, e.g. EUR");
        assert_eq!(hint("$"), "write the code instead, e.g. USD");
        assert!(hint("US").contains("three upper-case letters"));
    }

    #[test]
    fn status_name_and_units() {
        assert_eq!(c("USD").status(), CurrencyStatus::Active);
        assert_eq!(c("FRF").status(), CurrencyStatus::Withdrawn);
        assert_eq!(c("QQQ").status(), CurrencyStatus::Unknown);
        assert_eq!(c("CUC").status(), CurrencyStatus::Active);
        assert_eq!(c("XCG").status(), CurrencyStatus::Active);
        assert_eq!(c("ANG").status(), CurrencyStatus::Withdrawn);
        assert_eq!(c("USD").name(), Some("US Dollar"));
        assert_eq!(c("DEM").name(), Some("Deutsche Mark"));
        assert_eq!(c("QQQ").name(), None);
        assert_eq!(c("USD").minor_units(), Some(2));
        assert_eq!(c("JPY").minor_units(), Some(0));
        assert_eq!(c("BHD").minor_units(), Some(3));
        assert_eq!(c("XAU").minor_units(), None);
        assert_eq!(c("FRF").minor_units(), None);
        assert_eq!(c("USD").numeric(), Some(840));
        assert_eq!(c("FRF").numeric(), Some(250));
        assert_eq!(c("XFO").numeric(), None);
        assert_eq!(c("QQQ").numeric(), None);
        assert_eq!(c("FRF").withdrawal_date(), Some("2002-03"));
        assert_eq!(c("USD").withdrawal_date(), None);
        assert_eq!(c("FRF").successor(), Some(c("EUR")));
        assert_eq!(c("SLL").successor(), Some(c("SLE")));
        assert_eq!(c("SUR").successor(), None);
        assert_eq!(c("USD").successor(), None);
    }

    #[test]
    fn warnings() {
        assert_eq!(c("EUR").warning(), None);
        let frf = c("FRF").warning().unwrap();
        assert_eq!(frf.code, Code::WithdrawnCurrency);
        assert_eq!(
            frf.message,
            "FRF (French Franc) was withdrawn from ISO 4217 (2002-03)"
        );
        assert_eq!(frf.hint.as_deref(), Some("its successor is EUR (Euro)"));
        let sur = c("SUR").warning().unwrap();
        assert_eq!(sur.code, Code::WithdrawnCurrency);
        assert_eq!(sur.hint, None);
        let qqq = c("QQQ").warning().unwrap();
        assert_eq!(qqq.code, Code::UnknownCurrency);
        assert!(qqq.message.contains("QQQ"));
        assert_eq!(qqq.hint, None);
        assert_eq!(
            c("UDS").warning().unwrap().hint.as_deref(),
            Some("did you mean USD?")
        );
    }

    #[test]
    fn serde_as_string() {
        assert_eq!(serde_json::to_string(&c("USD")).unwrap(), "\"USD\"");
        assert_eq!(
            serde_json::from_str::<Currency>("\"GBP\"").unwrap(),
            c("GBP")
        );
        assert!(serde_json::from_str::<Currency>("\"gbp\"").is_err());
        assert!(serde_json::from_str::<Currency>("840").is_err());
    }

    proptest! {
        #[test]
        fn never_panics(s in any::<String>()) {
            if let Ok(code) = Currency::parse(&s) {
                let _ = code.warning();
            }
        }

        #[test]
        fn round_trip(s in "[A-Z]{3}") {
            let code = Currency::parse(&s).unwrap();
            prop_assert_eq!(code.to_string(), s.clone());
            prop_assert_eq!(Currency::parse(&code.to_string()).unwrap(), code);
            let json = serde_json::to_string(&code).unwrap();
            prop_assert_eq!(serde_json::from_str::<Currency>(&json).unwrap(), code);
            prop_assert_eq!(code.warning().is_none(), code.status() == CurrencyStatus::Active);
        }
    }
}

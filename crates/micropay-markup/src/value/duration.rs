//! P-6: how long after a purchase the bought URIs are served without paying again.
//!
//! `duration = 1*DIGIT`, in seconds, fitting an unsigned 64-bit integer. Anything else (a
//! sign, a point, a unit, an empty value, overflow) is `invalid-duration`, matching the one
//! known implementation, which rejected the whole link on a non-integer duration. Leading
//! zeros are allowed (`0060` is a minute): the grammar has no reason to refuse them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use crate::{Code, Finding};

/// A whole number of seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration(u64);

/// Units people write after a number of seconds, and their length in seconds.
const UNITS: &[(&str, u64)] = &[
    ("s", 1),
    ("sec", 1),
    ("secs", 1),
    ("second", 1),
    ("seconds", 1),
    ("m", 60),
    ("min", 60),
    ("mins", 60),
    ("minute", 60),
    ("minutes", 60),
    ("h", 3600),
    ("hr", 3600),
    ("hrs", 3600),
    ("hour", 3600),
    ("hours", 3600),
    ("d", 86_400),
    ("day", 86_400),
    ("days", 86_400),
];

impl Duration {
    /// Parses the P-6 production (the caller has trimmed the value; trimming ASCII whitespace
    /// again here is harmless).
    pub fn parse(text: &str) -> Result<Duration, Finding> {
        let value = text.trim_ascii();
        // P-6: 1*DIGIT.
        if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
            // All digits, so the only possible failure is overflow.
            return value.parse::<u64>().map(Duration).map_err(|_| {
                Finding::new(
                    Code::InvalidDuration,
                    format!("the duration \"{value}\" does not fit in 64 bits"),
                )
                .with_hint(format!("the longest duration is {} seconds", u64::MAX))
            });
        }
        Err(diagnose(value))
    }

    /// A duration of `secs` seconds.
    pub fn from_secs(secs: u64) -> Duration {
        Duration(secs)
    }

    /// The number of seconds.
    pub fn as_secs(&self) -> u64 {
        self.0
    }
}

/// Explains why `value` is not `1*DIGIT`, with a hint where the fix is obvious.
fn diagnose(value: &str) -> Finding {
    let invalid = |why: &str| {
        Finding::new(
            Code::InvalidDuration,
            format!("the duration \"{value}\" {why}"),
        )
    };
    if value.is_empty() {
        return Finding::new(Code::InvalidDuration, "the duration is empty")
            .with_hint("write a whole number of seconds, e.g. 3600 for an hour");
    }
    let digits = value.bytes().take_while(u8::is_ascii_digit).count();
    let (number, rest) = value.split_at(digits);
    let unit = rest.trim_start();
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let unit_factor = UNITS
        .iter()
        .find(|(u, _)| !number.is_empty() && u.eq_ignore_ascii_case(unit));
    if let Some((_, factor)) = unit_factor {
        let hint = match number
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(*factor))
        {
            Some(secs) => format!("write seconds only: {secs}"),
            None => "write the number of seconds only, without a unit".to_owned(),
        };
        return invalid("has a unit").with_hint(hint);
    }
    let unsigned = value
        .strip_prefix('+')
        .filter(|r| !r.is_empty() && all_digits(r));
    if let Some(rest) = unsigned {
        return invalid("has a sign").with_hint(format!("remove the sign: {rest}"));
    }
    if value.starts_with('-') {
        return invalid("is negative").with_hint("a duration is a number of seconds from zero up");
    }
    let decimal = value.split_once(['.', ',']).filter(|(whole, fraction)| {
        all_digits(whole) && !fraction.is_empty() && all_digits(fraction)
    });
    if let Some((whole, _)) = decimal {
        let whole = if whole.is_empty() { "0" } else { whole };
        return invalid("is not a whole number of seconds")
            .with_hint(format!("round it to whole seconds, e.g. {whole}"));
    }
    if value.starts_with(['P', 'p']) {
        return invalid("looks like an ISO 8601 duration")
            .with_hint("write the number of seconds instead, e.g. 3600 for PT1H");
    }
    invalid("is not a whole number of seconds").with_hint("write digits only, e.g. 86400 for a day")
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for Duration {
    type Err = Finding;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Duration::parse(s)
    }
}

impl From<Duration> for std::time::Duration {
    fn from(d: Duration) -> Self {
        std::time::Duration::from_secs(d.0)
    }
}

impl Serialize for Duration {
    /// A JSON number of seconds.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for Duration {
    /// From a non-negative integer, or from a string through [`Duration::parse`].
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = Duration;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a whole number of seconds")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Duration, E> {
                Ok(Duration(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Duration, E> {
                u64::try_from(v).map(Duration).map_err(|_| {
                    E::custom(format!(
                        "{}: the duration {v} is negative",
                        Code::InvalidDuration
                    ))
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Duration, E> {
                Duration::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_digits() {
        assert_eq!(Duration::parse("3600").unwrap().as_secs(), 3600);
        assert_eq!(Duration::parse("0").unwrap(), Duration::from_secs(0));
        assert_eq!(Duration::parse("0060").unwrap().as_secs(), 60);
        assert_eq!(Duration::parse(" 5\n").unwrap().as_secs(), 5);
        assert_eq!(
            Duration::parse("18446744073709551615").unwrap().as_secs(),
            u64::MAX
        );
        assert_eq!("7".parse::<Duration>().unwrap().to_string(), "7");
        assert_eq!(
            std::time::Duration::from(Duration::from_secs(9)).as_secs(),
            9
        );
    }

    #[test]
    fn errors_and_hints() {
        let cases = [
            ("", "e.g. 3600"),
            ("18446744073709551616", "18446744073709551615 seconds"),
            ("3600s", "write seconds only: 3600"),
            ("1 h", "write seconds only: 3600"),
            ("2 Days", "write seconds only: 172800"),
            ("99999999999999999999 days", "without a unit"),
            ("+5", "remove the sign: 5"),
            ("-5", "from zero up"),
            ("1.5", "e.g. 1"),
            (".5", "e.g. 0"),
            ("PT1H", "PT1H"),
            ("forever", "digits only"),
            ("1e3", "digits only"),
            ("٣", "digits only"),
        ];
        for (text, hint) in cases {
            let f = Duration::parse(text).unwrap_err();
            assert_eq!(f.code, Code::InvalidDuration, "{text:?}");
            assert!(
                f.hint.as_deref().unwrap_or("").contains(hint),
                "{text:?}: {f:?}"
            );
            assert!(
                text.is_empty() || f.message.contains(text.trim()),
                "{text:?}: {f:?}"
            );
        }
    }

    #[test]
    fn serde_number_or_string() {
        let d = Duration::from_secs(86_400);
        assert_eq!(serde_json::to_string(&d).unwrap(), "86400");
        assert_eq!(serde_json::from_str::<Duration>("86400").unwrap(), d);
        assert_eq!(serde_json::from_str::<Duration>("\"86400\"").unwrap(), d);
        for bad in ["-1", "1.5", "\"1h\"", "null", "\"\""] {
            assert!(serde_json::from_str::<Duration>(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in any::<String>()) {
            let _ = Duration::parse(&s);
        }

        #[test]
        fn round_trip(n in any::<u64>()) {
            let d = Duration::from_secs(n);
            prop_assert_eq!(Duration::parse(&d.to_string()).unwrap(), d);
            let json = serde_json::to_string(&d).unwrap();
            prop_assert_eq!(serde_json::from_str::<Duration>(&json).unwrap(), d);
        }

        #[test]
        fn digits_parse_exactly(s in "[0-9]{1,19}") {
            prop_assert_eq!(Duration::parse(&s).unwrap().as_secs(), s.parse::<u64>().unwrap());
        }
    }
}

//! P-7: the instant until which an offer is valid.
//!
//! ```text
//! expiration = date-time / full-date
//! date-time  = full-date ("T" / "t") time-hour ":" time-minute ":" time-second
//!              ["." 1*DIGIT] ("Z" / "z" / ("+" / "-") time-hour ":" time-minute)
//! full-date  = 4DIGIT "-" 2DIGIT "-" 2DIGIT
//! ```
//!
//! This is RFC 3339 `date-time`, checked here by hand so that exactly this grammar is
//! accepted; the `time` crate only does the calendar arithmetic. Decisions where the profile
//! is silent:
//!
//! * A date alone means "until the end of that day in UTC": the instant is that day at
//!   23:59:59.999999999Z, and the value remembers that it was written as a date.
//! * Fractions of a second are kept to the nanosecond; further digits are truncated (not
//!   rounded), so an expiration never moves later than written.
//! * Second 60 is accepted only where RFC 3339 (section 5.7) allows a leap second: at
//!   23:59:60 UTC (after applying the offset) on the last day of a month. No table of actual
//!   leap seconds is consulted. Such an instant is mapped to the last nanosecond of that UTC
//!   minute (23:59:59.999999999Z), the latest instant the `time` crate can represent in it.
//! * Offsets go up to 23:59 either way. An instant whose UTC date falls outside the years
//!   0000-9999 (possible only with an offset at the ends of that range) is refused, so that
//!   every value can be written back in the same grammar.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use crate::{Code, Finding};

/// An expiration instant, in UTC.
///
/// Equality, hashing and ordering look at the instant only, not at how it was written.
#[derive(Debug, Clone, Copy)]
pub struct Expiration {
    instant: OffsetDateTime,
    date_only: bool,
}

const EXAMPLE: &str = "write YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, e.g. 1999-12-31T23:59:59Z";

/// Why a value failed: off the grammar, or grammatical but not a real instant.
enum Failure {
    Grammar,
    Impossible(String),
}

/// Reads fixed-width digits and separators from the front of a byte string.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn digits(&mut self, n: usize) -> Result<u32, Failure> {
        let field = self
            .bytes
            .get(self.pos..self.pos + n)
            .ok_or(Failure::Grammar)?;
        if !field.iter().all(u8::is_ascii_digit) {
            return Err(Failure::Grammar);
        }
        self.pos += n;
        Ok(field
            .iter()
            .fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
    }

    fn one_of(&mut self, choices: &[u8]) -> Result<u8, Failure> {
        match self.bytes.get(self.pos) {
            Some(b) if choices.contains(b) => {
                self.pos += 1;
                Ok(*b)
            }
            _ => Err(Failure::Grammar),
        }
    }

    fn at_end(&self) -> bool {
        self.pos == self.bytes.len()
    }
}

fn impossible(message: String) -> Failure {
    Failure::Impossible(message)
}

fn narrow<T: TryFrom<u32>>(value: u32) -> Result<T, Failure> {
    T::try_from(value).map_err(|_| Failure::Grammar)
}

/// P-7: reads the whole grammar and builds the instant.
fn read(value: &str) -> Result<Expiration, Failure> {
    let mut c = Cursor {
        bytes: value.as_bytes(),
        pos: 0,
    };
    let year = c.digits(4)?;
    c.one_of(b"-")?;
    let month = c.digits(2)?;
    c.one_of(b"-")?;
    let day = c.digits(2)?;
    let date = calendar_date(year, month, day)?;
    if c.at_end() {
        // P-7: a date alone is valid until the end of that day in UTC.
        let end = Time::from_hms_nano(23, 59, 59, 999_999_999).map_err(|_| Failure::Grammar)?;
        return Ok(Expiration {
            instant: PrimitiveDateTime::new(date, end).assume_utc(),
            date_only: true,
        });
    }
    c.one_of(b"Tt")?;
    let hour = c.digits(2)?;
    c.one_of(b":")?;
    let minute = c.digits(2)?;
    c.one_of(b":")?;
    let second = c.digits(2)?;
    let mut nanos = 0;
    if c.one_of(b".").is_ok() {
        let start = c.pos;
        let count = c
            .bytes
            .get(start..)
            .unwrap_or(&[])
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if count == 0 {
            return Err(Failure::Grammar);
        }
        // Digits beyond the ninth are truncated (module documentation).
        let kept = count.min(9);
        let scale = 10_u32.pow(u32::try_from(9 - kept).unwrap_or(0));
        nanos = c.digits(kept)? * scale;
        c.pos = start + count;
    }
    let offset_seconds = match c.one_of(b"Zz+-")? {
        b'Z' | b'z' => 0,
        sign => {
            let oh = c.digits(2)?;
            c.one_of(b":")?;
            let om = c.digits(2)?;
            if oh > 23 || om > 59 {
                return Err(impossible(format!(
                    "the offset {}{oh:02}:{om:02} is out of range (at most 23:59)",
                    char::from(sign)
                )));
            }
            let magnitude = narrow::<i32>(oh * 3600 + om * 60)?;
            if sign == b'-' { -magnitude } else { magnitude }
        }
    };
    if !c.at_end() {
        return Err(Failure::Grammar);
    }
    if hour > 23 || minute > 59 || second > 60 {
        return Err(impossible(format!(
            "{hour:02}:{minute:02}:{second:02} is not a time of day"
        )));
    }
    let leap = second == 60;
    let time = Time::from_hms_nano(
        narrow(hour)?,
        narrow(minute)?,
        narrow(second.min(59))?,
        nanos,
    )
    .map_err(|_| Failure::Grammar)?;
    let offset = UtcOffset::from_whole_seconds(offset_seconds).map_err(|_| Failure::Grammar)?;
    let utc = PrimitiveDateTime::new(date, time)
        .assume_offset(offset)
        .checked_to_offset(UtcOffset::UTC)
        .filter(|t| (0..=9999).contains(&t.year()))
        .ok_or_else(|| {
            impossible("the instant falls outside the years 0000-9999 in UTC".to_owned())
        })?;
    let instant = if leap {
        // P-7 / RFC 3339 5.7: a leap second is 23:59:60 UTC on the last day of a month.
        let month_end = utc.day() == utc.month().length(utc.year());
        if !(utc.hour() == 23 && utc.minute() == 59 && month_end) {
            return Err(impossible(
                "second 60 is only allowed for a leap second, at 23:59:60 UTC on the last day of a month".to_owned(),
            ));
        }
        utc.replace_nanosecond(999_999_999)
            .map_err(|_| Failure::Grammar)?
    } else {
        utc
    };
    Ok(Expiration {
        instant,
        date_only: false,
    })
}

fn calendar_date(year: u32, month: u32, day: u32) -> Result<Date, Failure> {
    let year = narrow::<i32>(year)?;
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(|| impossible(format!("month {month:02} does not exist")))?;
    Date::from_calendar_date(year, month, narrow(day)?)
        .map_err(|_| impossible(format!("{month} {day} does not exist in {year:04}")))
}

impl Expiration {
    /// Parses the P-7 production (the caller has trimmed the value; trimming ASCII whitespace
    /// again here is harmless).
    pub fn parse(text: &str) -> Result<Expiration, Finding> {
        let value = text.trim_ascii();
        read(value).map_err(|failure| match failure {
            Failure::Impossible(why) => Finding::new(
                Code::InvalidExpiration,
                format!("the expiration \"{value}\" is not a real instant: {why}"),
            ),
            Failure::Grammar => diagnose(value),
        })
    }

    /// The instant, in UTC.
    pub fn instant(&self) -> OffsetDateTime {
        self.instant
    }

    /// Whether the value was written as a date alone.
    pub fn is_date_only(&self) -> bool {
        self.date_only
    }

    /// P-7: whether the offer has expired at `now` (strictly after the instant).
    pub fn is_expired_at(&self, now: OffsetDateTime) -> bool {
        now > self.instant
    }

    /// The instant in RFC 3339 form, in UTC, with a fraction only when it is not zero.
    pub fn to_rfc3339(&self) -> String {
        let t = self.instant;
        let mut out = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        );
        if t.nanosecond() != 0 {
            let fraction = format!("{:09}", t.nanosecond());
            out.push('.');
            out.push_str(fraction.trim_end_matches('0'));
        }
        out.push('Z');
        out
    }
}

/// Explains a value off the P-7 grammar, with a corrected value where a usual fix applies.
fn diagnose(value: &str) -> Finding {
    let invalid = |why: &str| {
        Finding::new(
            Code::InvalidExpiration,
            format!("the expiration \"{value}\" {why}"),
        )
    };
    if value.is_empty() {
        return Finding::new(Code::InvalidExpiration, "the expiration is empty").with_hint(EXAMPLE);
    }
    let fixed = |candidate: String| read(&candidate).is_ok().then_some(candidate);
    if let Some(date) = slashed_date(value) {
        return invalid("is not in YYYY-MM-DD form")
            .with_hint(format!("write the date as YYYY-MM-DD{date}"));
    }
    let head = value.get(..10).unwrap_or("");
    let tail = value.get(11..).unwrap_or("");
    let spaced = value
        .get(10..11)
        .is_some_and(|sep| sep == " " || sep == "_");
    let with_t = spaced
        .then(|| fixed(format!("{head}T{tail}")).or_else(|| fixed(format!("{head}T{tail}Z"))))
        .flatten();
    if let Some(c) = with_t {
        return invalid("separates date and time with a space")
            .with_hint(format!("write a T between them: {c}"));
    }
    if let Some(c) = fixed(format!("{value}Z")) {
        return invalid("has no time zone offset")
            .with_hint(format!("add Z for UTC or an offset such as +01:00: {c}"));
    }
    if let (Some(hm), Some(zone)) = (value.get(..16), value.get(16..)) {
        let zone = if zone.is_empty() { "Z" } else { zone };
        if let Some(c) = fixed(format!("{hm}:00{zone}")) {
            return invalid("has no seconds").with_hint(format!("seconds are required: {c}"));
        }
    }
    if let Some(split) = value
        .len()
        .checked_sub(2)
        .filter(|&i| value.is_char_boundary(i))
    {
        let (front, minutes) = value.split_at(split);
        if let Some(c) = fixed(format!("{front}:{minutes}")) {
            return invalid("writes the offset without a colon")
                .with_hint(format!("write it as ±hh:mm: {c}"));
        }
    }
    if let Some(c) = padded(value).and_then(fixed) {
        return invalid("has one-digit fields").with_hint(format!(
            "use two digits for month, day and time fields: {c}"
        ));
    }
    invalid("is not an RFC 3339 date-time or a YYYY-MM-DD date").with_hint(EXAMPLE)
}

/// For `12/31/1999` or `31.12.1999`: the date in YYYY-MM-DD form where the order is clear
/// (as ", e.g. 1999-12-31"), else an empty string; `None` if the value is not such a date.
fn slashed_date(value: &str) -> Option<String> {
    let parts: Vec<&str> = value.split(['/', '.']).collect();
    let [a, b, year] = parts.as_slice() else {
        return None;
    };
    let all_digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !(all_digits(a, 1..=2) && all_digits(b, 1..=2) && all_digits(year, 4..=4)) {
        return None;
    }
    let (a, b) = (a.parse::<u32>().ok()?, b.parse::<u32>().ok()?);
    let (month, day) = match (a > 12, b > 12) {
        (true, false) => (b, a),
        (false, true) => (a, b),
        _ => return Some(String::new()),
    };
    let iso = format!("{year}-{month:02}-{day:02}");
    Some(
        read(&iso)
            .map(|_| format!(", e.g. {iso}"))
            .unwrap_or_default(),
    )
}

/// `1999-1-5T9:05:00Z` with every numeric field padded to two digits, if that changes anything.
fn padded(value: &str) -> Option<String> {
    let mut out = String::with_capacity(value.len() + 8);
    let mut run = String::new();
    for c in value.chars().map(Some).chain([None]) {
        if let Some(digit) = c.filter(char::is_ascii_digit) {
            run.push(digit);
            continue;
        }
        if run.len() == 1 {
            out.push('0');
        }
        out.push_str(&run);
        run.clear();
        out.extend(c);
    }
    (out != value).then_some(out)
}

impl PartialEq for Expiration {
    fn eq(&self, other: &Self) -> bool {
        self.instant == other.instant
    }
}

impl Eq for Expiration {}

impl Hash for Expiration {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.instant.hash(state);
    }
}

impl PartialOrd for Expiration {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Expiration {
    fn cmp(&self, other: &Self) -> Ordering {
        self.instant.cmp(&other.instant)
    }
}

impl fmt::Display for Expiration {
    /// `YYYY-MM-DD` for a date alone, else the RFC 3339 UTC form (see [`Expiration::to_rfc3339`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.date_only {
            let d = self.instant;
            write!(
                f,
                "{:04}-{:02}-{:02}",
                d.year(),
                u8::from(d.month()),
                d.day()
            )
        } else {
            f.write_str(&self.to_rfc3339())
        }
    }
}

impl FromStr for Expiration {
    type Err = Finding;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Expiration::parse(s)
    }
}

impl Serialize for Expiration {
    /// The RFC 3339 UTC form of the instant, also for a date alone
    /// (`1999-12-31T23:59:59.999999999Z`).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Expiration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Expiration;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 date-time or a YYYY-MM-DD date")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Expiration, E> {
                Expiration::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::format_description::well_known::Rfc3339;
    use time::macros::datetime;

    fn e(text: &str) -> Expiration {
        Expiration::parse(text).unwrap()
    }

    fn hint(text: &str) -> String {
        let f = Expiration::parse(text).unwrap_err();
        assert_eq!(f.code, Code::InvalidExpiration, "{text:?}");
        f.hint.unwrap_or_default()
    }

    #[test]
    fn date_times() {
        assert_eq!(
            e("1999-12-31T23:59:59Z").instant(),
            datetime!(1999-12-31 23:59:59 UTC)
        );
        assert_eq!(
            e("1999-12-31t23:59:59z").instant(),
            datetime!(1999-12-31 23:59:59 UTC)
        );
        assert_eq!(
            e("2000-01-01T01:00:00+01:00").instant(),
            datetime!(2000-01-01 0:00 UTC)
        );
        assert_eq!(
            e("1999-12-31T19:00:00-05:30").instant(),
            datetime!(2000-01-01 0:30 UTC)
        );
        assert_eq!(
            e("2000-01-01T00:00:00.5Z").instant(),
            datetime!(2000-01-01 0:00:00.5 UTC)
        );
        assert!(!e("1999-12-31T23:59:59Z").is_date_only());
        assert_eq!(
            e(" 2000-01-01T00:00:00Z ").to_string(),
            "2000-01-01T00:00:00Z"
        );
        assert_eq!(
            e("2000-01-01T01:00:00.250+01:00").to_string(),
            "2000-01-01T00:00:00.25Z"
        );
        assert_eq!(
            "2000-02-29T00:00:00Z"
                .parse::<Expiration>()
                .unwrap()
                .instant()
                .day(),
            29
        );
    }

    #[test]
    fn fraction_is_truncated_to_nanoseconds() {
        let t = e("2000-01-01T00:00:00.1234567899999Z").instant();
        assert_eq!(t.nanosecond(), 123_456_789);
        assert_eq!(
            e("2000-01-01T00:00:00.000000000Z").to_string(),
            "2000-01-01T00:00:00Z"
        );
    }

    #[test]
    fn dates_alone_last_the_whole_day() {
        let d = e("1999-12-31");
        assert!(d.is_date_only());
        assert_eq!(d.instant(), datetime!(1999-12-31 23:59:59.999_999_999 UTC));
        assert_eq!(d.to_string(), "1999-12-31");
        assert_eq!(d.to_rfc3339(), "1999-12-31T23:59:59.999999999Z");
        assert!(!d.is_expired_at(datetime!(1999-12-31 23:59:59.999_999_999 UTC)));
        assert!(d.is_expired_at(datetime!(2000-01-01 0:00 UTC)));
        assert!(!d.is_expired_at(datetime!(2000-01-01 0:00 +01:00)));
        assert_eq!(d, e("1999-12-31T23:59:59.999999999Z"));
    }

    #[test]
    fn calendar_is_checked() {
        assert!(Expiration::parse("2000-02-29").is_ok());
        assert!(Expiration::parse("2024-02-29T12:00:00Z").is_ok());
        for bad in [
            "1999-02-29",
            "1900-02-29",
            "1999-04-31",
            "1999-13-01",
            "1999-00-10",
            "1999-01-00",
            "1999-12-31T24:00:00Z",
            "1999-12-31T23:60:00Z",
            "1999-12-31T23:59:61Z",
            "1999-12-31T23:59:59+24:00",
            "1999-12-31T23:59:59+01:60",
            "0000-01-01T00:00:00+00:01",
            "9999-12-31T23:59:59-00:01",
        ] {
            let f = Expiration::parse(bad).unwrap_err();
            assert_eq!(f.code, Code::InvalidExpiration, "{bad}");
            assert!(
                f.message.contains("not a real instant"),
                "{bad}: {}",
                f.message
            );
        }
        assert!(
            Expiration::parse("1999-02-29")
                .unwrap_err()
                .message
                .contains("February 29")
        );
        assert!(Expiration::parse("0000-01-01T00:00:00Z").is_ok());
        assert!(Expiration::parse("9999-12-31").is_ok());
    }

    #[test]
    fn leap_seconds() {
        let leap = e("1998-12-31T23:59:60Z");
        assert_eq!(
            leap.instant(),
            datetime!(1998-12-31 23:59:59.999_999_999 UTC)
        );
        assert_eq!(e("1998-12-31T18:59:60.5-05:00").instant(), leap.instant());
        assert!(Expiration::parse("2015-06-30T23:59:60Z").is_ok());
        for bad in [
            "1998-12-30T23:59:60Z",
            "1998-12-31T22:59:60Z",
            "1998-12-31T23:59:60+01:00",
        ] {
            let f = Expiration::parse(bad).unwrap_err();
            assert!(f.message.contains("leap second"), "{bad}: {}", f.message);
        }
    }

    #[test]
    fn hints_for_usual_mistakes() {
        assert!(hint("12/31/1999").ends_with("e.g. 1999-12-31"));
        assert!(hint("31.12.1999").ends_with("e.g. 1999-12-31"));
        assert_eq!(hint("05/06/1999"), "write the date as YYYY-MM-DD");
        assert_eq!(hint("02/30/1999"), "write the date as YYYY-MM-DD");
        assert!(hint("1999-12-31T23:59:59").ends_with("+01:00: 1999-12-31T23:59:59Z"));
        assert!(hint("1999-12-31 23:59:59Z").ends_with(": 1999-12-31T23:59:59Z"));
        assert!(hint("1999-12-31 23:59:59").ends_with(": 1999-12-31T23:59:59Z"));
        assert!(hint("1999-12-31T23:59Z").ends_with(": 1999-12-31T23:59:00Z"));
        assert!(hint("1999-12-31T23:59+01:00").ends_with(": 1999-12-31T23:59:00+01:00"));
        assert!(hint("1999-12-31T23:59:59+0100").ends_with(": 1999-12-31T23:59:59+01:00"));
        assert!(hint("1999-1-5").ends_with(": 1999-01-05"));
        assert!(hint("1999-12-31T9:05:00Z").ends_with(": 1999-12-31T09:05:00Z"));
        assert_eq!(hint(""), EXAMPLE);
        assert_eq!(hint("tomorrow"), EXAMPLE);
        assert_eq!(hint("1999-12-31T23:59:59.Z"), EXAMPLE);
        assert!(Expiration::parse("1999-12-31T23:59:59Z\n").is_ok());
        let f = Expiration::parse("tomorrow").unwrap_err();
        assert!(f.message.contains("\"tomorrow\""));
    }

    #[test]
    fn equality_is_by_instant() {
        use std::collections::HashSet;
        let a = e("2000-01-01T01:00:00+01:00");
        let b = e("2000-01-01T00:00:00Z");
        assert_eq!(a, b);
        assert_eq!(a.cmp(&b), Ordering::Equal);
        assert!(e("1999-12-31") < e("2000-01-01T00:00:00Z"));
        let set: HashSet<Expiration> = [a, b].into_iter().collect();
        assert_eq!(set.len(), 1);
    }

    #[test]
    fn serde_as_rfc3339_utc() {
        let d = e("1999-12-31");
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            "\"1999-12-31T23:59:59.999999999Z\""
        );
        let back: Expiration = serde_json::from_str("\"1999-12-31T23:59:59.999999999Z\"").unwrap();
        assert_eq!(back, d);
        assert!(!back.is_date_only());
        let t = e("2000-01-01T01:00:00+01:00");
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2000-01-01T00:00:00Z\""
        );
        assert!(serde_json::from_str::<Expiration>("\"1999-12-31T23:59:59\"").is_err());
        assert!(serde_json::from_str::<Expiration>("946684800").is_err());
    }

    fn date_time() -> impl Strategy<Value = String> {
        (
            1_u32..=9998,
            1_u32..=12,
            1_u32..=28,
            (0_u32..24, 0_u32..60, 0_u32..60),
            proptest::option::of("[0-9]{1,12}"),
            prop_oneof![
                Just("Z".to_owned()),
                Just("z".to_owned()),
                (prop_oneof![Just('+'), Just('-')], 0_u32..24, 0_u32..60)
                    .prop_map(|(s, h, m)| format!("{s}{h:02}:{m:02}")),
            ],
            prop_oneof![Just('T'), Just('t')],
        )
            .prop_map(|(y, mo, d, (h, mi, s), frac, zone, t)| {
                let frac = frac.map(|f| format!(".{f}")).unwrap_or_default();
                format!("{y:04}-{mo:02}-{d:02}{t}{h:02}:{mi:02}:{s:02}{frac}{zone}")
            })
    }

    proptest! {
        #[test]
        fn never_panics(s in any::<String>()) {
            let _ = Expiration::parse(&s);
        }

        #[test]
        fn never_panics_near_the_grammar(s in "[0-9Tt:.Zz+ -]{0,30}") {
            let _ = Expiration::parse(&s);
        }

        #[test]
        fn round_trip(text in date_time()) {
            let parsed = e(&text);
            let shown = parsed.to_string();
            prop_assert_eq!(e(&shown), parsed);
            prop_assert_eq!(e(&shown).to_string(), shown);
            let json = serde_json::to_string(&parsed).unwrap();
            prop_assert_eq!(serde_json::from_str::<Expiration>(&json).unwrap(), parsed);
            // The same instant as the time crate's own RFC 3339 reader, up to the truncation
            // to nanoseconds.
            let upper = text.replace('t', "T").replace('z', "Z");
            if upper.split('.').nth(1).is_none_or(|f| f.bytes().take_while(u8::is_ascii_digit).count() <= 9) {
                let reference = OffsetDateTime::parse(&upper, &Rfc3339).unwrap();
                prop_assert_eq!(parsed.instant(), reference);
            }
        }

        #[test]
        fn dates_round_trip(y in 0_u32..=9999, mo in 1_u32..=12, d in 1_u32..=28) {
            let text = format!("{y:04}-{mo:02}-{d:02}");
            let parsed = e(&text);
            prop_assert!(parsed.is_date_only());
            prop_assert_eq!(parsed.to_string(), text);
        }
    }
}

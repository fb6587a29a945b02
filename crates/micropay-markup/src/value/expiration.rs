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
mod tests;

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

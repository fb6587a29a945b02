//! P-2: the presentation fields, whose problems are warnings (`target`, `hreflang`, `type`,
//! `accesskey`, `charset`).
//!
//! Each check returns `None` when the value is fine and a [`Finding`] otherwise; the value is
//! kept as written either way. Values arrive trimmed (P-2).

use crate::{Code, Finding};

/// P-2 `target`: `_blank`, `_self`, `_parent`, `_top` (any case) or a non-empty name that does
/// not start with `_`.
pub fn check_target(value: &str) -> Option<Finding> {
    const KEYWORDS: [&str; 4] = ["_blank", "_self", "_parent", "_top"];
    // P-2: the four keywords in any case, or a name that does not start with '_'.
    if KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(value)) {
        return None;
    }
    if value.is_empty() {
        return Some(
            Finding::new(Code::InvalidTarget, "the target is empty")
                .with_hint("name a frame or window, or use _blank, _self, _parent or _top"),
        );
    }
    if !value.starts_with('_') {
        return None;
    }
    let finding = Finding::new(
        Code::InvalidTarget,
        format!("the target \"{value}\" starts with '_' but is not _blank, _self, _parent or _top"),
    );
    // `_new` is the classic mistake for `_blank`.
    let suggestion = if value.eq_ignore_ascii_case("_new") {
        "_blank"
    } else {
        KEYWORDS
            .iter()
            .copied()
            .min_by_key(|k| strsim::levenshtein(k, &value.to_ascii_lowercase()))
            .unwrap_or("_blank")
    };
    Some(finding.with_hint(format!("did you mean {suggestion}?")))
}

/// RFC 5646 section 2.1.1: the irregular grandfathered tags, which do not follow the syntax of
/// `langtag`. (The regular ones, such as `zh-min-nan`, do.)
const IRREGULAR: [&str; 17] = [
    "en-GB-oed",
    "i-ami",
    "i-bnn",
    "i-default",
    "i-enochian",
    "i-hak",
    "i-klingon",
    "i-lux",
    "i-mingo",
    "i-navajo",
    "i-pwn",
    "i-tao",
    "i-tay",
    "i-tsu",
    "sgn-BE-FR",
    "sgn-BE-NL",
    "sgn-CH-DE",
];

fn alpha(s: &str, len: std::ops::RangeInclusive<usize>) -> bool {
    len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic())
}

fn digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

fn alphanum(s: &str, len: std::ops::RangeInclusive<usize>) -> bool {
    len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// RFC 5646 `privateuse` after its `x`: `1*("-" (1*8alphanum))`.
fn private_use(rest: &[&str]) -> bool {
    !rest.is_empty() && rest.iter().all(|s| alphanum(s, 1..=8))
}

/// Whether `tag` is a well-formed language tag (RFC 5646 section 2.1, case-insensitive).
fn well_formed_language_tag(tag: &str) -> bool {
    if IRREGULAR.iter().any(|g| g.eq_ignore_ascii_case(tag)) {
        return true;
    }
    let subtags: Vec<&str> = tag.split('-').collect();
    let mut rest = subtags.as_slice();
    // privateuse = "x" 1*("-" (1*8alphanum)), as a whole tag.
    if let Some((_, tail)) = rest
        .split_first()
        .filter(|(first, _)| first.eq_ignore_ascii_case("x"))
    {
        return private_use(tail);
    }
    // language = 2*3ALPHA ["-" extlang] / 4ALPHA / 5*8ALPHA
    let Some((language, tail)) = rest.split_first() else {
        return false;
    };
    if !alpha(language, 2..=8) {
        return false;
    }
    rest = tail;
    if language.len() <= 3 {
        // extlang = 3ALPHA *2("-" 3ALPHA)
        let mut count = 0;
        while let Some((sub, tail)) = rest.split_first() {
            if count == 3 || !alpha(sub, 3..=3) {
                break;
            }
            count += 1;
            rest = tail;
        }
    }
    // ["-" script], script = 4ALPHA
    if let Some((_, tail)) = rest.split_first().filter(|(sub, _)| alpha(sub, 4..=4)) {
        rest = tail;
    }
    // ["-" region], region = 2ALPHA / 3DIGIT
    if let Some((_, tail)) = rest
        .split_first()
        .filter(|(sub, _)| alpha(sub, 2..=2) || digits(sub, 3))
    {
        rest = tail;
    }
    // *("-" variant), variant = 5*8alphanum / (DIGIT 3alphanum)
    while let Some((sub, tail)) = rest.split_first() {
        let variant = alphanum(sub, 5..=8)
            || (sub.len() == 4
                && sub.starts_with(|c: char| c.is_ascii_digit())
                && alphanum(sub, 4..=4));
        if !variant {
            break;
        }
        rest = tail;
    }
    // *("-" extension), extension = singleton 1*("-" (2*8alphanum))
    while let Some((sub, tail)) = rest.split_first() {
        let singleton = alphanum(sub, 1..=1) && !sub.eq_ignore_ascii_case("x");
        if !singleton {
            break;
        }
        let body = tail.iter().take_while(|s| alphanum(s, 2..=8)).count();
        if body == 0 {
            return false;
        }
        rest = tail.get(body..).unwrap_or(&[]);
    }
    // ["-" privateuse]
    match rest.split_first() {
        None => true,
        Some((sub, tail)) => sub.eq_ignore_ascii_case("x") && private_use(tail),
    }
}

/// P-2 `hreflang`: a well-formed BCP 47 language tag (RFC 5646 syntax, including extlang,
/// script, region, variants, extensions, private use and the grandfathered tags; any case).
/// Only the syntax is checked, not the subtag registry.
pub fn check_hreflang(value: &str) -> Option<Finding> {
    // P-2: well-formed per the RFC 5646 ABNF, else invalid-hreflang.
    if well_formed_language_tag(value) {
        return None;
    }
    let finding = Finding::new(
        Code::InvalidHreflang,
        format!("hreflang \"{value}\" is not a well-formed BCP 47 language tag"),
    );
    let hint = if value.contains('_') && well_formed_language_tag(&value.replace('_', "-")) {
        format!("separate subtags with hyphens: {}", value.replace('_', "-"))
    } else {
        "write a language tag such as en, en-US or zh-Hant-TW".to_owned()
    };
    Some(finding.with_hint(hint))
}

/// WHATWG "HTTP token code point".
fn token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

fn token(s: &str) -> bool {
    !s.is_empty() && s.chars().all(token_char)
}

/// WHATWG "HTTP whitespace".
fn http_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' ')
}

/// WHATWG "HTTP quoted-string token code point".
fn quoted_char(c: char) -> bool {
    c == '\t' || (' '..='~').contains(&c) || ('\u{80}'..='\u{ff}').contains(&c)
}

/// One parameter value: a token, or a complete quoted-string (backslash escapes a character).
fn parameter_value(value: &str) -> bool {
    let Some(inner) = value.strip_prefix('"') else {
        return token(value);
    };
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return chars.as_str().is_empty(),
            '\\' => {
                if !chars.next().is_some_and(quoted_char) {
                    return false;
                }
            }
            c if quoted_char(c) => {}
            _ => return false,
        }
    }
    false
}

/// Splits MIME type parameters at `;` outside quoted strings.
fn split_parameters(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => {
                parts.push(text.get(start..i).unwrap_or(""));
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(text.get(start..).unwrap_or(""));
    parts
}

/// Whether `value` is `type/subtype[;params]` with the WHATWG token rules.
fn well_formed_mime_type(value: &str) -> bool {
    let value = value.trim_matches(http_whitespace);
    let Some((kind, rest)) = value.split_once('/') else {
        return false;
    };
    let (subtype, parameters) = rest.split_once(';').unwrap_or((rest, ""));
    if !token(kind) || !token(subtype.trim_end_matches(http_whitespace)) {
        return false;
    }
    if !rest.contains(';') {
        return true;
    }
    // RFC 9110: parameters = *( OWS ";" [ OWS parameter ] ); an empty one is allowed.
    split_parameters(parameters).into_iter().all(|parameter| {
        let parameter = parameter.trim_matches(http_whitespace);
        parameter.is_empty()
            || parameter
                .split_once('=')
                .is_some_and(|(name, value)| token(name) && parameter_value(value))
    })
}

/// P-2 `type`: a MIME type `type/subtype[;params]`: type and subtype are non-empty HTTP
/// tokens (WHATWG MIME Sniffing), each parameter is `name=value` with a token name and a token
/// or quoted-string value. Unlike the WHATWG algorithm, which skips malformed parameters, a
/// malformed parameter is reported here.
pub fn check_type(value: &str) -> Option<Finding> {
    // P-2: type/subtype[;params], else invalid-type.
    if well_formed_mime_type(value) {
        return None;
    }
    let finding = Finding::new(
        Code::InvalidType,
        format!("type \"{value}\" is not a MIME type"),
    );
    let hint = if value.contains('/') {
        "write type/subtype with optional name=value parameters, e.g. text/html; charset=utf-8"
    } else {
        "a MIME type has a type and a subtype, e.g. text/html or image/png"
    };
    Some(finding.with_hint(hint))
}

/// P-2 `accesskey`: exactly one character (one Unicode scalar value).
pub fn check_accesskey(value: &str) -> Option<Finding> {
    // P-2: exactly one character, taken as one Unicode scalar value.
    let mut chars = value.chars();
    if chars.next().is_some() && chars.next().is_none() {
        return None;
    }
    let count = value.chars().count();
    let message = if count == 0 {
        "the accesskey is empty".to_owned()
    } else {
        format!("the accesskey \"{value}\" has {count} characters")
    };
    Some(
        Finding::new(Code::InvalidAccesskey, message)
            .with_hint("an accesskey is exactly one character, e.g. p"),
    )
}

/// P-2 `charset`: a label of the WHATWG Encoding Standard.
pub fn check_charset(value: &str) -> Option<Finding> {
    // P-2: any label the WHATWG Encoding Standard knows (encoding_rs trims ASCII whitespace
    // and ignores case, as the standard's "get an encoding" does).
    if encoding_rs::Encoding::for_label(value.as_bytes()).is_some() {
        return None;
    }
    Some(
        Finding::new(
            Code::InvalidCharset,
            format!("charset \"{value}\" is not an encoding label of the WHATWG Encoding Standard"),
        )
        .with_hint("use a label such as utf-8, iso-8859-1 or windows-1252"),
    )
}

#[cfg(test)]
mod tests;

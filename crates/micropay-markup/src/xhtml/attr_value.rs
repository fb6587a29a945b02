//! `name = "value"`, read in one place for the two constructs that write it: the attributes
//! of a start tag (XML 1.0 §3.1 `Attribute ::= Name Eq AttValue`, read by [`super::tag`]) and
//! the pseudo-attributes of the XML declaration (§2.8 `VersionInfo`, §4.3.3 `EncodingDecl`,
//! §2.9 `SDDecl`, read by [`super::declaration`]). Both are a name, `Eq` (`=` with optional
//! white space either side, §2.3) and a value in single or double quotes; only the wording of
//! the faults differs, chosen by [`Owner`].
//!
//! Only the shape is checked here. What a value may hold is the caller's business: `<` and
//! `&` in an attribute value are judged when the value is expanded ([`super::entities`]), the
//! declaration's values by the declaration's own rules.

use super::Fault;
use super::names::{name_len, space_len};

/// Whose `name = "value"` is read, which words its faults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    /// A pseudo-attribute of the XML declaration.
    Declaration,
    /// An attribute of a start or empty-element tag.
    Tag,
}

/// One `name="value"` as written: the name, the raw value between the quotes, and the byte
/// offsets of both, relative to the text read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NameValue<'a> {
    pub(crate) name: &'a str,
    pub(crate) name_at: usize,
    pub(crate) value: &'a str,
    pub(crate) value_at: usize,
}

impl NameValue<'_> {
    /// The offset just past the closing quote.
    pub(crate) fn end(&self) -> usize {
        self.value_at + self.value.len() + 1
    }
}

/// Reads `name = "value"` from `raw[at..end]`, where the caller has found a name to begin
/// (each caller has its own rule and message for what may start one). Nothing past `end` is
/// read: a value whose closing quote lies beyond it is unterminated. Offsets, in the result
/// and in the faults, are relative to `raw`; a fault is reported at the name when `=` is
/// missing, at the first character after `=` and its white space when the quote is missing,
/// and at the opening quote when the closing one is.
pub(crate) fn read(
    raw: &str,
    mut at: usize,
    end: usize,
    owner: Owner,
) -> Result<NameValue<'_>, Fault> {
    let name_at = at;
    let name = &raw[at..at + name_len(&raw[at..end])];
    debug_assert!(
        !name.is_empty(),
        "the caller checks that a name starts at {at}"
    );
    at += name.len();
    at += space_len(&raw[at..end]);
    if !raw[at..end].starts_with('=') {
        return Err(owner.no_equals(name, name_at));
    }
    at += 1;
    at += space_len(&raw[at..end]);
    let quote = raw[at..end]
        .chars()
        .next()
        .filter(|&c| c == '"' || c == '\'');
    let Some(quote) = quote else {
        return Err(owner.unquoted(name, at));
    };
    let value_at = at + 1;
    let Some(len) = raw[value_at..end].find(quote) else {
        return Err(owner.unclosed(name, at));
    };
    Ok(NameValue {
        name,
        name_at,
        value: &raw[value_at..value_at + len],
        value_at,
    })
}

impl Owner {
    /// `name` at `at` is not followed by `=`.
    fn no_equals(self, name: &str, at: usize) -> Fault {
        match self {
            Owner::Declaration => Fault::new(
                at,
                format!("`{name}` in the XML declaration needs `=` and a quoted value"),
            ),
            Owner::Tag => Fault::new(
                at,
                format!("the attribute `{name}` has no value; XML requires `{name}=\"…\"`"),
            )
            .with_hint(format!("write `{name}=\"{name}\"` for a boolean attribute")),
        }
    }

    /// The value of `name`, due at `at`, does not begin with a quote.
    fn unquoted(self, name: &str, at: usize) -> Fault {
        let message = match self {
            Owner::Declaration => {
                format!("the value of `{name}` in the XML declaration must be quoted")
            }
            Owner::Tag => format!("the value of the attribute `{name}` must be quoted"),
        };
        Fault::new(at, message)
    }

    /// The value of `name`, opened by the quote at `at`, is not closed.
    fn unclosed(self, name: &str, at: usize) -> Fault {
        let message = match self {
            Owner::Declaration => {
                format!("the value of `{name}` in the XML declaration has no closing quote")
            }
            // quick-xml ends a tag only outside quotes, so this is a value running into `/`.
            Owner::Tag => format!("the value of the attribute `{name}` has no closing quote"),
        };
        Fault::new(at, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Reads from the start of `raw` to its end.
    fn whole(raw: &str, owner: Owner) -> Result<NameValue<'_>, Fault> {
        read(raw, 0, raw.len(), owner)
    }

    #[test]
    fn reads_both_quote_kinds() {
        let double = whole("a=\"it's\"", Owner::Tag).unwrap();
        assert_eq!(
            double,
            NameValue {
                name: "a",
                name_at: 0,
                value: "it's",
                value_at: 3
            }
        );
        assert_eq!(double.end(), 8);
        let single = whole("a='say \"hi\"'", Owner::Declaration).unwrap();
        assert_eq!(
            (single.value, single.value_at, single.end()),
            ("say \"hi\"", 3, 12)
        );
        assert_eq!(whole("a=''", Owner::Tag).unwrap().value, "");
    }

    #[test]
    fn reads_white_space_around_the_equals_sign_and_stops_at_the_closing_quote() {
        let raw = "<param value \n=\t '0.01USD' name='x'>";
        let read = read(raw, 7, raw.len() - 1, Owner::Tag).unwrap();
        assert_eq!(
            read,
            NameValue {
                name: "value",
                name_at: 7,
                value: "0.01USD",
                value_at: 18
            }
        );
        assert_eq!(read.end(), 26);
        assert_eq!(&raw[read.end()..], " name='x'>");
    }

    #[test]
    fn leaves_less_than_and_ampersand_to_the_caller() {
        // The old readers did not refuse them either: entities.rs does, for attributes.
        assert_eq!(
            whole("t='a < b &amp; c'", Owner::Tag).unwrap().value,
            "a < b &amp; c"
        );
    }

    #[test]
    fn a_missing_equals_sign_is_reported_at_the_name() {
        let fault = whole("checked", Owner::Tag).unwrap_err();
        assert_eq!(fault.at, 0);
        assert_eq!(
            fault.message,
            "the attribute `checked` has no value; XML requires `checked=\"…\"`"
        );
        assert_eq!(
            fault.hint.as_deref(),
            Some("write `checked=\"checked\"` for a boolean attribute")
        );
        let fault = read("<?xml version '1.0'?>", 6, 19, Owner::Declaration).unwrap_err();
        assert_eq!(fault.at, 6);
        assert_eq!(
            fault.message,
            "`version` in the XML declaration needs `=` and a quoted value"
        );
        assert_eq!(fault.hint, None);
        assert_eq!(fault.found, 6);
    }

    #[test]
    fn a_missing_quote_is_reported_where_the_value_should_begin() {
        let fault = whole("x = 1", Owner::Tag).unwrap_err();
        assert_eq!(fault.at, 4);
        assert_eq!(
            fault.message,
            "the value of the attribute `x` must be quoted"
        );
        assert_eq!(fault.hint, None);
        let fault = whole("version=", Owner::Declaration).unwrap_err();
        assert_eq!(fault.at, 8, "at the end when nothing follows");
        assert_eq!(
            fault.message,
            "the value of `version` in the XML declaration must be quoted"
        );
        assert_eq!(whole("x=`1`", Owner::Tag).unwrap_err().at, 2);
    }

    #[test]
    fn an_unterminated_value_is_reported_at_its_opening_quote() {
        let fault = whole("x= '1", Owner::Tag).unwrap_err();
        assert_eq!(fault.at, 3);
        assert_eq!(
            fault.message,
            "the value of the attribute `x` has no closing quote"
        );
        let fault = whole("encoding=\"utf-8'", Owner::Declaration).unwrap_err();
        assert_eq!(fault.at, 9, "the other quote does not close it");
        assert_eq!(
            fault.message,
            "the value of `encoding` in the XML declaration has no closing quote"
        );
        // A closing quote past `end` does not count: `<a x='1/>` read up to its `/`.
        assert_eq!(read("<a x='1/>'", 3, 7, Owner::Tag).unwrap_err().at, 5);
    }

    /// `S?` as XML writes it.
    fn space() -> impl Strategy<Value = String> {
        "[ \t\r\n]{0,3}"
    }

    proptest! {
        #[test]
        fn every_well_formed_pair_is_read_with_its_offsets(
            before in "[^'\"]{0,6}",
            name in "[a-zA-Z_:][a-zA-Z0-9_:.\u{e9}-]{0,8}",
            s1 in space(),
            s2 in space(),
            double in any::<bool>(),
            value in "[^'\"]{0,8}",
            inner_quote in any::<bool>(),
            after in "[ a-z/>'\"]{0,4}",
        ) {
            let quote = if double { '"' } else { '\'' };
            let other = if double { "'" } else { "\"" };
            let value = if inner_quote { format!("{value}{other}") } else { value };
            let raw = format!("{before}{name}{s1}={s2}{quote}{value}{quote}{after}");
            let at = before.len();
            for owner in [Owner::Tag, Owner::Declaration] {
                let read = read(&raw, at, raw.len(), owner).unwrap();
                prop_assert_eq!(read.name, name.as_str());
                prop_assert_eq!(read.name_at, at);
                prop_assert_eq!(read.value, value.as_str());
                prop_assert_eq!(read.value_at, at + name.len() + s1.len() + 1 + s2.len() + 1);
                prop_assert_eq!(&raw[read.end()..], after.as_str());
            }
        }

        #[test]
        fn every_broken_pair_is_reported_where_it_breaks(
            name in "[a-z][a-z0-9-]{0,6}",
            s1 in space(),
            s2 in space(),
            value in "[a-z0-9 ]{0,6}",
            owner in prop_oneof![Just(Owner::Tag), Just(Owner::Declaration)],
        ) {
            let at = 2;
            let no_equals = format!("<a{name}{s1}{s2}'{value}'");
            prop_assert_eq!(read(&no_equals, at, no_equals.len(), owner).unwrap_err().at, at);
            let unquoted = format!("<a{name}{s1}={s2}`{value}");
            let quote_due = at + name.len() + s1.len() + 1 + s2.len();
            prop_assert_eq!(read(&unquoted, at, unquoted.len(), owner).unwrap_err().at, quote_due);
            let unclosed = format!("<a{name}{s1}={s2}'{value}");
            prop_assert_eq!(read(&unclosed, at, unclosed.len(), owner).unwrap_err().at, quote_due);
        }
    }
}

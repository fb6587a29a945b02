//! Start tags, read strictly (XML 1.0 §3.1 `STag`, `EmptyElemTag`): quick-xml finds where a
//! tag ends, this reads what is inside and says exactly where it is wrong: a missing name,
//! an attribute without `=` and value, an unquoted value, attributes not separated by white
//! space. Offsets are relative to the tag's `<`.

use super::Fault;
use super::names::{is_name_start, name_len, space_len};

/// A start tag as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tag<'a> {
    pub(crate) name: &'a str,
    pub(crate) attributes: Vec<RawAttribute<'a>>,
}

/// One attribute as written: name, raw value between the quotes, and where both are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawAttribute<'a> {
    pub(crate) name: &'a str,
    pub(crate) name_at: usize,
    pub(crate) value: &'a str,
    pub(crate) value_at: usize,
}

/// The first character of `s`, for messages.
fn first(s: &str) -> char {
    s.chars().next().unwrap_or('>')
}

/// Reads `raw`, a whole start or empty-element tag from `<` to `>`.
pub(crate) fn read(raw: &str) -> Result<Tag<'_>, Fault> {
    let end = raw.len() - usize::from(raw.ends_with('>'));
    let end = end - usize::from(raw[..end].ends_with('/'));
    let mut at = 1;
    if !raw[at..end].starts_with(is_name_start) {
        return Err(Fault::new(
            0,
            "`<` must be followed directly by an element name; write `&lt;` for a less-than sign",
        ));
    }
    let name = &raw[at..at + name_len(&raw[at..end])];
    at += name.len();
    let mut attributes: Vec<RawAttribute<'_>> = Vec::new();
    loop {
        let spaces = space_len(&raw[at..end]);
        at += spaces;
        if at == end {
            return Ok(Tag { name, attributes });
        }
        if spaces == 0 {
            let what = match attributes.last() {
                Some(previous) => format!(
                    "white space must separate the attribute `{}` from what follows",
                    previous.name
                ),
                None => format!("`{}` is not allowed in an element name", first(&raw[at..])),
            };
            return Err(Fault::new(at, what));
        }
        if !raw[at..end].starts_with(is_name_start) {
            return Err(Fault::new(
                at,
                format!("`{}` cannot start an attribute name", first(&raw[at..])),
            ));
        }
        let name_at = at;
        let attribute = &raw[at..at + name_len(&raw[at..end])];
        at += attribute.len();
        at += space_len(&raw[at..end]);
        if !raw[at..end].starts_with('=') {
            return Err(Fault::new(
                name_at,
                format!(
                    "the attribute `{attribute}` has no value; XML requires `{attribute}=\"…\"`"
                ),
            )
            .with_hint(format!(
                "write `{attribute}=\"{attribute}\"` for a boolean attribute"
            )));
        }
        at += 1;
        at += space_len(&raw[at..end]);
        let quote = raw[at..end]
            .chars()
            .next()
            .filter(|&c| c == '"' || c == '\'');
        let Some(quote) = quote else {
            return Err(Fault::new(
                at,
                format!("the value of the attribute `{attribute}` must be quoted"),
            ));
        };
        let value_at = at + 1;
        let Some(len) = raw[value_at..end].find(quote) else {
            // quick-xml ends a tag only outside quotes, so this is a value running into `/`.
            return Err(Fault::new(
                at,
                format!("the value of the attribute `{attribute}` has no closing quote"),
            ));
        };
        attributes.push(RawAttribute {
            name: attribute,
            name_at,
            value: &raw[value_at..value_at + len],
            value_at,
        });
        at = value_at + len + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_values_and_offsets() {
        let tag = read("<param name=\"price\"\n  value = '0.01USD'/>").unwrap();
        assert_eq!(tag.name, "param");
        assert_eq!(
            tag.attributes,
            vec![
                RawAttribute {
                    name: "name",
                    name_at: 7,
                    value: "price",
                    value_at: 13
                },
                RawAttribute {
                    name: "value",
                    name_at: 22,
                    value: "0.01USD",
                    value_at: 31
                },
            ]
        );
        assert_eq!(read("<a>").unwrap().attributes, vec![]);
        assert_eq!(read("<svg:rect x='1' />").unwrap().name, "svg:rect");
        assert_eq!(
            read("<a title='a > b'>").unwrap().attributes[0].value,
            "a > b"
        );
    }

    #[test]
    fn faults_point_at_the_problem() {
        assert_eq!(read("< a>").unwrap_err().at, 0);
        assert_eq!(read("<>").unwrap_err().at, 0);
        assert_eq!(read("<a checked>").unwrap_err().at, 3);
        assert_eq!(read("<a x=1>").unwrap_err().at, 5);
        assert_eq!(read("<a x='1'y='2'>").unwrap_err().at, 8);
        assert_eq!(read("<a\"b>").unwrap_err().at, 2);
        assert_eq!(read("<a x='1' 9='2'>").unwrap_err().at, 9);
        assert_eq!(read("<a x='1/>").unwrap_err().at, 5);
        assert_eq!(read("<a / >").unwrap_err().at, 3);
    }
}

//! Start tags, read strictly (XML 1.0 §3.1 `STag`, `EmptyElemTag`): quick-xml finds where a
//! tag ends, this reads what is inside and says exactly where it is wrong: a missing name,
//! an attribute without `=` and value, an unquoted value, attributes not separated by white
//! space. Offsets are relative to the tag's `<`. Each `name="value"` is read by
//! [`super::attr_value`], shared with the XML declaration.

use super::Fault;
use super::attr_value::{self, NameValue, Owner};
use super::names::{is_name_start, name_len, space_len};

/// A start tag as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tag<'a> {
    pub(crate) name: &'a str,
    pub(crate) attributes: Vec<RawAttribute<'a>>,
}

/// One attribute as written: name, raw value between the quotes, and where both are.
pub(crate) type RawAttribute<'a> = NameValue<'a>;

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
        let attribute = attr_value::read(raw, at, end, Owner::Tag)?;
        at = attribute.end();
        attributes.push(attribute);
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

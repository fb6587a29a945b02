//! The XML declaration `<?xml version="1.0" encoding="…" standalone="…"?>` (XML 1.0 §2.8,
//! §4.3.3): read once by the decoder for its `encoding` (P-10), and checked in full by the
//! reader. Each pseudo-attribute is read by [`super::attr_value`], shared with start tags.

use super::Fault;
use super::attr_value::{self, NameValue, Owner};
use super::names::{is_space, name_len, space_len};

/// One `name="value"` of the declaration, with byte offsets relative to the declaration.
pub(crate) type Pseudo<'a> = NameValue<'a>;

/// What a well-formed declaration says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Declaration<'a> {
    pub(crate) version: &'a str,
    /// The encoding label and its offset in the declaration.
    pub(crate) encoding: Option<(&'a str, usize)>,
    pub(crate) standalone: Option<bool>,
}

/// The pseudo-attributes of `raw`, the whole declaration from `<?xml` to `?>`. Offsets in the
/// faults are relative to `raw`.
pub(crate) fn pseudo_attributes(raw: &str) -> Result<Vec<Pseudo<'_>>, Fault> {
    let Some(body) = raw
        .strip_prefix("<?xml")
        .and_then(|rest| rest.strip_suffix("?>"))
    else {
        return Err(Fault::new(0, "this is not an XML declaration"));
    };
    let mut found = Vec::new();
    let mut at = "<?xml".len();
    let end = at + body.len();
    loop {
        let spaces = space_len(&raw[at..end]);
        at += spaces;
        if at == end {
            return Ok(found);
        }
        if spaces == 0 {
            return Err(Fault::new(
                at,
                "the pseudo-attributes of the XML declaration must be separated by white space",
            ));
        }
        if name_len(&raw[at..end]) == 0 {
            return Err(Fault::new(
                at,
                format!(
                    "unexpected `{}` in the XML declaration",
                    raw[at..].chars().next().unwrap_or('?')
                ),
            ));
        }
        let pseudo = attr_value::read(raw, at, end, Owner::Declaration)?;
        at = pseudo.end();
        found.push(pseudo);
    }
}

/// Checks the declaration against XML 1.0 §2.8 `XMLDecl`: `version` first, then optionally
/// `encoding`, then optionally `standalone`, nothing else.
pub(crate) fn parse(raw: &str) -> Result<Declaration<'_>, Fault> {
    let pseudo = pseudo_attributes(raw)?;
    let mut items = pseudo.iter().peekable();
    let version = match items.next() {
        Some(p) if p.name == "version" => p,
        Some(p) => {
            return Err(Fault::new(
                p.name_at,
                "the XML declaration must begin with `version`",
            ));
        }
        None => {
            return Err(Fault::new(
                0,
                "the XML declaration lacks `version` (write `<?xml version=\"1.0\"?>`)",
            ));
        }
    };
    // XML 1.0 Fifth Edition: a processor may read any `1.x` document as XML 1.0.
    let number = version.value.strip_prefix("1.");
    if !number.is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) {
        return Err(Fault::new(
            version.value_at,
            format!("`{}` is not an XML version number", version.value),
        ));
    }
    let mut declaration = Declaration {
        version: version.value,
        encoding: None,
        standalone: None,
    };
    if let Some(p) = items.next_if(|p| p.name == "encoding") {
        // XML 1.0 §4.3.3 EncName: [A-Za-z] ([A-Za-z0-9._] | '-')*
        let mut bytes = p.value.bytes();
        let well_formed = bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
            && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        if !well_formed {
            return Err(Fault::new(
                p.value_at,
                format!("`{}` is not a well-formed encoding name", p.value),
            ));
        }
        declaration.encoding = Some((p.value, p.value_at));
    }
    if let Some(p) = items.next_if(|p| p.name == "standalone") {
        declaration.standalone = match p.value {
            "yes" => Some(true),
            "no" => Some(false),
            _ => {
                return Err(Fault::new(
                    p.value_at,
                    "`standalone` in the XML declaration must be `yes` or `no`",
                ));
            }
        };
    }
    if let Some(p) = items.next() {
        return Err(Fault::new(
            p.name_at,
            format!(
                "`{}` is out of place in the XML declaration: only version, encoding and standalone, in that order",
                p.name
            ),
        ));
    }
    Ok(declaration)
}

/// P-10: the encoding label an ASCII-compatible document declares, read from its first bytes
/// when they are `<?xml` and white space. `None` when there is no (readable) declaration.
pub(crate) fn declared_label(bytes: &[u8]) -> Option<String> {
    let rest = bytes.strip_prefix(b"<?xml")?;
    if !rest.first().is_some_and(|&b| is_space(char::from(b))) {
        return None;
    }
    let end = bytes.windows(2).position(|w| w == b"?>")? + 2;
    // Only ASCII matters here; other bytes map to characters that are no name characters.
    let raw: String = bytes[..end].iter().map(|&b| char::from(b)).collect();
    let pseudo = pseudo_attributes(&raw).ok()?;
    pseudo
        .iter()
        .find(|p| p.name == "encoding")
        .map(|p| p.value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_full_declaration() {
        let d = parse("<?xml version='1.0' encoding=\"ISO-8859-1\" standalone='yes' ?>").unwrap();
        assert_eq!(d.version, "1.0");
        assert_eq!(d.encoding, Some(("ISO-8859-1", 30)));
        assert_eq!(d.standalone, Some(true));
        assert_eq!(
            parse("<?xml version=\"1.1\"?>").unwrap().encoding,
            None,
            "encoding is optional"
        );
    }

    #[test]
    fn faults_point_into_the_declaration() {
        assert_eq!(parse("<?xml?>").unwrap_err().at, 0);
        assert_eq!(parse("<?xml encoding='utf-8'?>").unwrap_err().at, 6);
        assert_eq!(parse("<?xml version='2.0'?>").unwrap_err().at, 15);
        assert_eq!(
            parse("<?xml version='1.0' standalone='yes' encoding='utf-8'?>")
                .unwrap_err()
                .at,
            37
        );
        assert_eq!(
            parse("<?xml version='1.0' encoding='8bit'?>")
                .unwrap_err()
                .at,
            30
        );
        assert_eq!(
            parse("<?xml version='1.0'encoding='a'?>").unwrap_err().at,
            19
        );
        assert_eq!(parse("<?xml version=1.0?>").unwrap_err().at, 14);
        assert_eq!(
            parse("<?xml version='1.0' standalone='maybe'?>")
                .unwrap_err()
                .at,
            32
        );
    }

    #[test]
    fn the_decoder_reads_the_label_from_bytes() {
        assert_eq!(
            declared_label(b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><a/>").as_deref(),
            Some("windows-1252")
        );
        assert_eq!(declared_label(b"<?xml version=\"1.0\"?><a/>"), None);
        assert_eq!(
            declared_label(b" <?xml version=\"1.0\" encoding=\"x\"?>"),
            None
        );
        assert_eq!(declared_label(b"<?xml-stylesheet href='a'?>"), None);
        assert_eq!(
            declared_label(b"<?xml version=\"1.0\" encoding=\"x\""),
            None
        );
    }
}

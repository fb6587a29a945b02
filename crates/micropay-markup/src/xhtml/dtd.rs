//! The document type declaration (XML 1.0 §2.8): its external identifier, which tells whether
//! an external DTD is named (never fetched), and the general entities its internal subset
//! declares with a literal value (§4.2). Parameter entities are not expanded; element,
//! attribute-list and notation declarations are skipped (no default attributes are applied).

use super::Fault;
use super::entities::{Dtd, Entity, char_ref, reference_body_len, stray_ampersand};
use super::names::{is_name, is_ncname, name_len, space_len};

/// What the DOCTYPE tells the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Doctype {
    pub(crate) dtd: Dtd,
    /// General entities in declaration order.
    pub(crate) entities: Vec<(String, Entity)>,
}

/// An external identifier: `SYSTEM "…"` or `PUBLIC "…" "…"`.
struct ExternalId<'a> {
    public: Option<&'a str>,
}

/// A position in the declaration.
struct Cursor<'a> {
    raw: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.raw[self.at..]
    }

    fn eat(&mut self, literal: &str) -> bool {
        let found = self.rest().starts_with(literal);
        if found {
            self.at += literal.len();
        }
        found
    }

    fn spaces(&mut self) -> usize {
        let n = space_len(self.rest());
        self.at += n;
        n
    }

    fn required_spaces(&mut self, after: &str) -> Result<(), Fault> {
        if self.spaces() == 0 {
            return Err(Fault::new(
                self.at,
                format!("white space is required after {after} in the DOCTYPE"),
            ));
        }
        Ok(())
    }

    fn name(&mut self, what: &str) -> Result<&'a str, Fault> {
        let name = &self.rest()[..name_len(self.rest())];
        if !is_name(name) {
            return Err(Fault::new(self.at, format!("{what} must be an XML name")));
        }
        self.at += name.len();
        Ok(name)
    }

    /// A quoted literal; returns its content and the offset of that content.
    fn literal(&mut self, what: &str) -> Result<(&'a str, usize), Fault> {
        let quote = self
            .rest()
            .chars()
            .next()
            .filter(|&c| c == '"' || c == '\'');
        let Some(quote) = quote else {
            return Err(Fault::new(self.at, format!("{what} must be quoted")));
        };
        let start = self.at + 1;
        let Some(len) = self.raw[start..].find(quote) else {
            return Err(Fault::new(self.at, format!("{what} has no closing quote")));
        };
        self.at = start + len + 1;
        Ok((&self.raw[start..start + len], start))
    }

    /// `ExternalID`, if `SYSTEM` or `PUBLIC` follows.
    fn external_id(&mut self) -> Result<Option<ExternalId<'a>>, Fault> {
        if self.eat("SYSTEM") {
            self.required_spaces("SYSTEM")?;
            self.literal("the system identifier")?;
            Ok(Some(ExternalId { public: None }))
        } else if self.eat("PUBLIC") {
            self.required_spaces("PUBLIC")?;
            let (public, at) = self.literal("the public identifier")?;
            // XML 1.0 §2.3 PubidChar.
            if let Some(bad) = public.find(|c: char| {
                !(c.is_ascii_alphanumeric() || " \r\n-'()+,./:=?;!*#@$_%".contains(c))
            }) {
                return Err(Fault::new(
                    at + bad,
                    "this character is not allowed in a public identifier",
                ));
            }
            self.required_spaces("the public identifier")?;
            self.literal("the system identifier")?;
            Ok(Some(ExternalId {
                public: Some(public),
            }))
        } else {
            Ok(None)
        }
    }
}

/// Reads `raw`, the whole declaration from `<!DOCTYPE` to `>`. Fault offsets are relative to
/// `raw`.
pub(crate) fn parse(raw: &str) -> Result<Doctype, Fault> {
    let mut c = Cursor { raw, at: 0 };
    if !c.eat("<!DOCTYPE") {
        return Err(Fault::new(0, "XML requires `<!DOCTYPE` in upper case"));
    }
    c.required_spaces("`<!DOCTYPE`")?;
    c.name("the document type name")?;
    let had_space = c.spaces() > 0;
    let mut dtd = Dtd::InternalOnly;
    if had_space && let Some(external) = c.external_id()? {
        dtd = Dtd::External {
            xhtml: external
                .public
                .is_some_and(|p| p.starts_with("-//W3C//DTD XHTML")),
        };
        c.spaces();
    }
    let mut entities = Vec::new();
    if c.eat("[") {
        internal_subset(&mut c, &mut entities)?;
        c.spaces();
    }
    if c.at + 1 != raw.len() || !raw.ends_with('>') {
        return Err(Fault::new(c.at, "unexpected text in the DOCTYPE"));
    }
    Ok(Doctype { dtd, entities })
}

/// XML 1.0 §2.8 `intSubset`, up to and including its `]`.
fn internal_subset(c: &mut Cursor<'_>, entities: &mut Vec<(String, Entity)>) -> Result<(), Fault> {
    loop {
        c.spaces();
        let start = c.at;
        if c.eat("]") {
            return Ok(());
        }
        if c.eat("<!--") {
            let Some(len) = c.rest().find("--") else {
                return Err(Fault::new(start, "the comment is not closed"));
            };
            c.at += len;
            if !c.eat("-->") {
                return Err(Fault::new(c.at, "`--` is not allowed inside a comment"));
            }
        } else if c.eat("<?") {
            let Some(len) = c.rest().find("?>") else {
                return Err(Fault::new(
                    start,
                    "the processing instruction is not closed",
                ));
            };
            c.at += len + 2;
        } else if c.eat("<!ENTITY") {
            if let Some(declared) = entity_declaration(c, start)? {
                entities.push(declared);
            }
        } else if c.eat("<!ELEMENT") || c.eat("<!ATTLIST") || c.eat("<!NOTATION") {
            skip_declaration(c, start)?;
        } else if c.eat("%") {
            // A parameter-entity reference: not expanded (no external or parameter entities
            // are read), only its syntax is checked.
            c.name("a parameter-entity reference")?;
            if !c.eat(";") {
                return Err(Fault::new(
                    c.at,
                    "a parameter-entity reference ends with `;`",
                ));
            }
        } else if c.rest().len() <= 1 {
            return Err(Fault::new(
                start,
                "the internal DTD subset is not closed with `]`",
            ));
        } else {
            return Err(Fault::new(
                start,
                "unexpected text in the internal DTD subset: only declarations, comments and processing instructions may appear",
            ));
        }
    }
}

/// `<!ELEMENT`, `<!ATTLIST`, `<!NOTATION`: skipped to their `>`, minding quotes.
fn skip_declaration(c: &mut Cursor<'_>, start: usize) -> Result<(), Fault> {
    let mut quote = None;
    for (i, ch) in c.rest().char_indices() {
        match (quote, ch) {
            (None, '"' | '\'') => quote = Some(ch),
            (Some(q), _) if q == ch => quote = None,
            (None, '>') => {
                c.at += i + 1;
                return Ok(());
            }
            _ => {}
        }
    }
    Err(Fault::new(start, "the declaration is not closed with `>`"))
}

/// XML 1.0 §4.2 `EntityDecl`, after `<!ENTITY`. Returns a general entity; parameter entities
/// are checked and dropped.
fn entity_declaration(c: &mut Cursor<'_>, start: usize) -> Result<Option<(String, Entity)>, Fault> {
    c.required_spaces("`<!ENTITY`")?;
    let parameter = c.eat("%");
    if parameter {
        c.required_spaces("`%`")?;
    }
    let name_at = c.at;
    let name = c.name("the entity name")?;
    // Namespaces in XML 1.0: no entity name contains a colon.
    if !is_ncname(name) {
        return Err(Fault::new(name_at, "an entity name may not contain `:`"));
    }
    c.required_spaces("the entity name")?;
    let entity = if c.external_id()?.is_some() {
        let had_space = c.spaces() > 0;
        if had_space && !parameter && c.eat("NDATA") {
            c.required_spaces("NDATA")?;
            c.name("the notation name")?;
            Entity::Unparsed
        } else {
            Entity::External
        }
    } else {
        let (literal, at) = c.literal("the entity value")?;
        Entity::Internal(entity_value(literal, at)?)
    };
    c.spaces();
    if !c.eat(">") {
        return Err(Fault::new(
            start,
            "the entity declaration is not closed with `>`",
        ));
    }
    Ok((!parameter).then(|| (name.to_owned(), entity)))
}

/// XML 1.0 §4.5: the replacement text of an internal entity: character references expanded,
/// general entity references kept (expanded on use), line ends normalised (§2.11).
fn entity_value(literal: &str, at: usize) -> Result<String, Fault> {
    let mut out = String::with_capacity(literal.len());
    let mut i = 0;
    while let Some(found) = literal[i..].find(['%', '&', '\r']) {
        out.push_str(&literal[i..i + found]);
        let pos = i + found;
        match literal.as_bytes()[pos] {
            b'%' => {
                // WFC: PEs in Internal Subset.
                return Err(Fault::new(
                    at + pos,
                    "a parameter-entity reference may not occur inside a declaration in the internal subset",
                ));
            }
            b'&' => {
                let Some(len) = reference_body_len(&literal[pos + 1..]) else {
                    return Err(stray_ampersand(at + pos));
                };
                let body = &literal[pos + 1..pos + 1 + len];
                if body.starts_with('#') {
                    out.push(char_ref(body).map_err(|m| Fault::new(at + pos, m))?);
                } else if is_name(body) {
                    out.push_str(&literal[pos..pos + len + 2]);
                } else {
                    return Err(stray_ampersand(at + pos));
                }
                i = pos + len + 2;
            }
            _ => {
                out.push('\n');
                i = pos
                    + if literal[pos + 1..].starts_with('\n') {
                        2
                    } else {
                        1
                    };
            }
        }
    }
    out.push_str(&literal[i..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xhtml_doctype_names_an_external_dtd() {
        let d = parse(
            "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">",
        )
        .unwrap();
        assert_eq!(d.dtd, Dtd::External { xhtml: true });
        assert!(d.entities.is_empty());
        assert_eq!(parse("<!DOCTYPE html>").unwrap().dtd, Dtd::InternalOnly);
        assert_eq!(
            parse("<!DOCTYPE doc SYSTEM 'doc.dtd'>").unwrap().dtd,
            Dtd::External { xhtml: false }
        );
    }

    #[test]
    fn internal_entities_are_collected() {
        let d = parse(
            "<!DOCTYPE html [\n  <!-- prices -->\n  <!ENTITY eacute \"&#233;\">\n  <!ENTITY shop 'Caf&eacute; &amp; Co'>\n  <!ENTITY % pe \"x\">\n  %pe;\n  <!ELEMENT p (#PCDATA)>\n  <!ATTLIST a title CDATA \"a > b\">\n  <!ENTITY logo SYSTEM \"logo.gif\" NDATA gif>\n  <!ENTITY ext SYSTEM \"ext.xml\">\n  <?pi data?>\n]>",
        )
        .unwrap();
        assert_eq!(
            d.entities,
            vec![
                ("eacute".to_owned(), Entity::Internal("\u{e9}".to_owned())),
                (
                    "shop".to_owned(),
                    Entity::Internal("Caf&eacute; &amp; Co".to_owned())
                ),
                ("logo".to_owned(), Entity::Unparsed),
                ("ext".to_owned(), Entity::External),
            ]
        );
    }

    #[test]
    fn faults_point_into_the_doctype() {
        assert_eq!(parse("<!doctype html>").unwrap_err().at, 0);
        assert_eq!(
            parse("<!DOCTYPE html [ <!ENTITY a \"%b;\"> ]>")
                .unwrap_err()
                .at,
            29
        );
        assert_eq!(
            parse("<!DOCTYPE html [ <!ENTITY a \"&#0;\"> ]>")
                .unwrap_err()
                .at,
            29
        );
        assert_eq!(parse("<!DOCTYPE html [ junk ]>").unwrap_err().at, 17);
        assert_eq!(
            parse("<!DOCTYPE html PUBLIC 'a{b' 'c'>").unwrap_err().at,
            24
        );
        assert_eq!(parse("<!DOCTYPE html junk>").unwrap_err().at, 15);
        assert!(parse("<!DOCTYPE html [ <!ENTITY a:b \"x\"> ]>").is_err());
    }
}

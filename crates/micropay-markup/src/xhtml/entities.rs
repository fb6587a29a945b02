//! References (XML 1.0 §4.1, §4.4): character references, the five predefined entities and
//! the general entities declared in the internal DTD subset; attribute-value normalisation
//! (§3.3.3).
//!
//! HTML's named entities (`&eacute;`, `&nbsp;` …) are not XML: an XHTML page that uses one
//! without declaring it in its internal subset gets a fault that says so and gives the
//! character reference to write instead. The external DTD named by an XHTML DOCTYPE does
//! declare them, but no external DTD is read here (a non-validating processor need not, and
//! browsers other than by special-casing do not), and the message says that too.
//!
//! Declared entities are expanded without recursion, each at most once per context (its
//! expansion is kept and copied on every later use), and within a budget of characters that
//! every copy spends: a chain of entities each naming the next costs its length once, not once
//! per use, and nested declarations (the "billion laughs") cannot make the work or the memory
//! grow beyond the budget.

use std::collections::{HashMap, HashSet};

use markup5ever::data::NAMED_ENTITIES;

use super::Fault;
use super::names::{is_name, is_name_char, is_xml_char};

/// How many characters (and entity references) expansion may produce in one document,
/// counting both the expansions kept and every copy of one.
pub(crate) const EXPANSION_BUDGET: usize = 1 << 22;

/// A general entity declared in the internal subset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Entity {
    /// An internal entity: its replacement text (character references already expanded, as
    /// XML 1.0 §4.5 says; references to general entities kept for expansion on use).
    Internal(String),
    /// An external parsed entity (`SYSTEM`/`PUBLIC`): never fetched.
    External,
    /// An unparsed entity (`NDATA`): may not be referenced at all.
    Unparsed,
}

/// What kind of DTD the document has, for the wording of undeclared-entity faults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Dtd {
    /// No DOCTYPE, or one without an external identifier.
    #[default]
    InternalOnly,
    /// A DOCTYPE naming an external DTD; `xhtml` when its public identifier is XHTML's.
    External { xhtml: bool },
}

/// Where a reference occurs: attribute values are normalised and may not get `<`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Context {
    Content,
    Attribute,
}

/// The entities of one document and what is left of the expansion budget.
#[derive(Debug)]
pub(crate) struct Entities {
    declared: HashMap<String, Entity>,
    dtd: Dtd,
    /// The budget given, and what is left of it.
    start: usize,
    budget: usize,
    /// References resolved, in the document and in replacement texts.
    references: usize,
    /// The complete expansion of each entity expanded so far, per context (an attribute value
    /// turns white space into spaces); `None` for an external entity in content, which is
    /// not fetched.
    expanded: HashMap<(String, Context), Option<Box<str>>>,
}

impl Default for Entities {
    fn default() -> Self {
        Entities::with_budget(EXPANSION_BUDGET)
    }
}

/// XML 1.0 §4.6: the five predefined entities.
fn predefined(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    }
}

/// XML 1.0 §4.1 `CharRef`: `body` is what stands between `&` and `;`, starting with `#`.
/// The character must be one XML allows (WFC: Legal Character). The error is a message.
pub(crate) fn char_ref(body: &str) -> Result<char, String> {
    let (digits, radix) = match body.strip_prefix("#x") {
        Some(hex) => (hex, 16),
        None => (body.strip_prefix('#').unwrap_or(body), 10),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(format!(
            "`&{body};` is not a character reference: write `&#` and decimal digits, or `&#x` and hexadecimal digits, then `;`"
        ));
    }
    let legal = u32::from_str_radix(digits, radix)
        .ok()
        .and_then(char::from_u32)
        .filter(|&c| is_xml_char(c));
    legal.ok_or_else(|| {
        format!("`&{body};` refers to a code point that is not a character XML allows")
    })
}

/// The length of a reference's body (after `&`, before `;`) at the start of `s`, if `s`
/// continues with `;` after it.
pub(crate) fn reference_body_len(s: &str) -> Option<usize> {
    let len = s
        .find(|c: char| c != '#' && !is_name_char(c))
        .unwrap_or(s.len());
    (len > 0 && s[len..].starts_with(';')).then_some(len)
}

/// The fault for an `&` that starts no reference.
pub(crate) fn stray_ampersand(at: usize) -> Fault {
    Fault::new(at, "`&` must start a reference such as `&amp;` or `&#233;`")
        .with_hint("write `&amp;` for an ampersand")
}

impl Entities {
    /// No declarations yet, and `budget` characters of expansion allowed.
    pub(crate) fn with_budget(budget: usize) -> Self {
        Entities {
            declared: HashMap::new(),
            dtd: Dtd::default(),
            start: budget,
            budget,
            references: 0,
            expanded: HashMap::new(),
        }
    }

    /// The work expansion has cost so far: characters scanned or produced, and references
    /// resolved (see `crate::work`).
    pub(crate) fn work(&self) -> usize {
        self.start - self.budget + self.references
    }

    /// Takes the declarations of the internal subset (the first declaration of a name wins,
    /// XML 1.0 §4.2) and the kind of DTD.
    pub(crate) fn declare(&mut self, dtd: Dtd, declarations: Vec<(String, Entity)>) {
        self.dtd = dtd;
        for (name, entity) in declarations {
            self.declared.entry(name).or_insert(entity);
        }
    }

    /// Expands a reference in content: `body` stands between `&` (at offset `at`) and `;`.
    pub(crate) fn content_reference(
        &mut self,
        body: &str,
        at: usize,
        out: &mut String,
    ) -> Result<(), Fault> {
        self.reference(body, at, Context::Content, out)
    }

    /// XML 1.0 §3.3.3: the normalised value of an attribute whose raw value (between the
    /// quotes) starts at offset `at`. All attributes are CDATA here (no ATTLIST is read).
    pub(crate) fn attribute_value(&mut self, raw: &str, at: usize) -> Result<String, Fault> {
        let mut out = String::with_capacity(raw.len());
        let mut i = 0;
        while let Some(found) = raw[i..].find(['<', '&', '\t', '\n', '\r']) {
            out.push_str(&raw[i..i + found]);
            let pos = i + found;
            match raw.as_bytes()[pos] {
                b'<' => {
                    // WFC: No < in Attribute Values.
                    return Err(
                        Fault::new(at + pos, "`<` is not allowed in an attribute value")
                            .with_hint("write `&lt;`"),
                    );
                }
                b'&' => {
                    let Some(len) = reference_body_len(&raw[pos + 1..]) else {
                        return Err(stray_ampersand(at + pos));
                    };
                    let body = &raw[pos + 1..pos + 1 + len];
                    self.reference(body, at + pos, Context::Attribute, &mut out)?;
                    i = pos + len + 2;
                }
                b'\r' => {
                    // Line ends are normalised first (§2.11), so CR LF is one space.
                    out.push(' ');
                    i = pos
                        + if raw[pos + 1..].starts_with('\n') {
                            2
                        } else {
                            1
                        };
                }
                _ => {
                    out.push(' ');
                    i = pos + 1;
                }
            }
        }
        out.push_str(&raw[i..]);
        Ok(out)
    }

    fn reference(
        &mut self,
        body: &str,
        at: usize,
        context: Context,
        out: &mut String,
    ) -> Result<(), Fault> {
        self.references += 1;
        if body.starts_with('#') {
            // A character reference is appended as is, even white space in an attribute.
            out.push(char_ref(body).map_err(|message| Fault::new(at, message))?);
            return Ok(());
        }
        if !is_name(body) {
            return Err(stray_ampersand(at));
        }
        if let Some(c) = predefined(body) {
            out.push(c);
            return Ok(());
        }
        self.expand(body, at, context, out)
    }

    /// Expands the declared entity `name`, referenced at `at`: its complete expansion, made
    /// on first use and kept, is copied.
    fn expand(
        &mut self,
        name: &str,
        at: usize,
        context: Context,
        out: &mut String,
    ) -> Result<(), Fault> {
        let key = (name.to_owned(), context);
        if !self.expanded.contains_key(&key) {
            self.expand_first(name, at, context)?;
        }
        if let Some(Some(text)) = self.expanded.get(&key) {
            spend(&mut self.budget, text.len(), at)?;
            out.push_str(text);
        }
        Ok(())
    }

    /// Makes and keeps the expansion of `name` and of every entity it names that has none
    /// yet, with an explicit stack of the entities being expanded (no recursion on the call
    /// stack; WFC: No Recursion). Each replacement text is read once; every character put
    /// into an expansion is spent from the budget.
    fn expand_first(&mut self, name: &str, at: usize, context: Context) -> Result<(), Fault> {
        /// An entity being expanded: what is left of its replacement text, what it has given.
        struct Open<'d> {
            name: &'d str,
            rest: &'d str,
            out: String,
        }
        let Entities {
            declared,
            dtd,
            budget,
            references,
            expanded,
            ..
        } = self;
        let Some(text) = replacement(declared, *dtd, name, at, context)? else {
            expanded.insert((name.to_owned(), context), None);
            return Ok(());
        };
        let mut stack = vec![Open {
            name,
            rest: text,
            out: String::new(),
        }];
        let mut open: HashSet<&str> = HashSet::from([name]);
        while let Some(top) = stack.last_mut() {
            let Some(found) = top.rest.find(['<', '&', '\t', '\n', '\r']) else {
                spend(budget, top.rest.len(), at)?;
                top.out.push_str(top.rest);
                let done = stack.pop().expect("the loop has a top");
                open.remove(done.name);
                let key = (done.name.to_owned(), context);
                match stack.last_mut() {
                    Some(parent) => {
                        spend(budget, done.out.len(), at)?;
                        parent.out.push_str(&done.out);
                        expanded.insert(key, Some(done.out.into_boxed_str()));
                    }
                    None => {
                        expanded.insert(key, Some(done.out.into_boxed_str()));
                    }
                }
                continue;
            };
            spend(budget, found + 1, at)?;
            let current = top.name;
            let tail = &top.rest[found..];
            top.out.push_str(&top.rest[..found]);
            let advance = match tail.as_bytes()[0] {
                b'<' if context == Context::Content => {
                    return Err(Fault::new(
                        at,
                        format!(
                            "the entity `&{current};` contains markup, which this checker does not expand"
                        ),
                    )
                    .with_hint("write the markup in the page itself"));
                }
                b'<' => {
                    return Err(Fault::new(
                        at,
                        format!(
                            "the entity `&{current};` puts `<` into an attribute value, which XML forbids"
                        ),
                    ));
                }
                b'&' => {
                    *references += 1;
                    let Some(len) = reference_body_len(&tail[1..]) else {
                        return Err(Fault::new(
                            at,
                            format!(
                                "the entity `&{current};` contains an `&` that starts no reference"
                            ),
                        ));
                    };
                    let body = &tail[1..=len];
                    if body.starts_with('#') {
                        top.out.push(char_ref(body).map_err(|m| Fault::new(at, m))?);
                    } else if let Some(c) = predefined(body) {
                        top.out.push(c);
                    } else if open.contains(body) {
                        return Err(Fault::new(
                            at,
                            format!("the entity `&{body};` refers to itself"),
                        ));
                    } else if !is_name(body) {
                        return Err(Fault::new(
                            at,
                            format!(
                                "the entity `&{current};` contains an `&` that starts no reference"
                            ),
                        ));
                    } else if let Some(done) = expanded.get(&(body.to_owned(), context)) {
                        if let Some(text) = done {
                            spend(budget, text.len(), at)?;
                            top.out.push_str(text);
                        }
                    } else if let Some(text) = replacement(declared, *dtd, body, at, context)? {
                        top.rest = &tail[len + 2..];
                        open.insert(body);
                        stack.push(Open {
                            name: body,
                            rest: text,
                            out: String::new(),
                        });
                        continue;
                    } else {
                        expanded.insert((body.to_owned(), context), None);
                    }
                    len + 2
                }
                // §3.3.3: white space in replacement text becomes a space in attributes.
                _ if context == Context::Attribute => {
                    top.out.push(' ');
                    1
                }
                _ => {
                    top.out.push_str(&tail[..1]);
                    1
                }
            };
            top.rest = &tail[advance..];
        }
        Ok(())
    }
}

fn spend(budget: &mut usize, amount: usize, at: usize) -> Result<(), Fault> {
    *budget = budget.checked_sub(amount).ok_or_else(|| {
        Fault::new(
            at,
            format!(
                "expanding the entities of this document produces more than {EXPANSION_BUDGET} characters, beyond this checker's limit"
            ),
        )
    })?;
    Ok(())
}

/// The replacement text of `name`, `None` for an external entity in content (not fetched:
/// XML 1.0 §4.4.3 lets a non-validating processor leave it out).
fn replacement<'t>(
    declared: &'t HashMap<String, Entity>,
    dtd: Dtd,
    name: &str,
    at: usize,
    context: Context,
) -> Result<Option<&'t str>, Fault> {
    match declared.get(name) {
        Some(Entity::Internal(text)) => Ok(Some(text)),
        Some(Entity::External) if context == Context::Content => Ok(None),
        Some(Entity::External) => Err(Fault::new(
            at,
            format!("`&{name};` is an external entity, which XML forbids in attribute values"),
        )),
        Some(Entity::Unparsed) => Err(Fault::new(
            at,
            format!("`&{name};` is an unparsed (NDATA) entity, which cannot be referenced"),
        )),
        None => Err(undeclared(dtd, name, at)),
    }
}

/// WFC: Entity Declared, worded for the usual case: an HTML entity in an XHTML page.
fn undeclared(dtd: Dtd, name: &str, at: usize) -> Fault {
    let html = NAMED_ENTITIES.get(format!("{name};").as_str()).copied();
    let Some((first, second)) = html else {
        let message = match dtd {
            Dtd::InternalOnly => format!(
                "the entity `&{name};` is not declared; XML predefines only `&lt;`, `&gt;`, `&amp;`, `&apos;` and `&quot;`"
            ),
            Dtd::External { .. } => format!(
                "the entity `&{name};` is not declared in the internal DTD subset, and the external DTD is not read"
            ),
        };
        return Fault::new(at, message).with_hint("write a character reference such as `&#233;`");
    };
    let write = if second == 0 {
        format!("&#{first};")
    } else {
        format!("&#{first};&#{second};")
    };
    let message = match dtd {
        Dtd::External { xhtml: true } => format!(
            "`&{name};` is an HTML entity that only the external XHTML DTD declares, and a non-validating XML processor (this checker too) does not read external DTDs; write `{write}` or declare it in the internal subset"
        ),
        _ => format!(
            "`&{name};` is an HTML entity, not one of XML's five predefined entities; write `{write}` or declare it in the DTD"
        ),
    };
    Fault::new(at, message).with_hint(
        "XML predefines only `&lt;`, `&gt;`, `&amp;`, `&apos;` and `&quot;`; write other characters as themselves or as character references",
    )
}

#[cfg(test)]
mod tests;

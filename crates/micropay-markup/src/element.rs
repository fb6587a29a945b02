//! Elements of the arena tree ([`crate::dom`]): namespace and name inline, and what only a
//! few elements have (attributes, source offsets, template contents) in a table beside the
//! nodes, so that the tens of thousands of other elements of a large page stay small.

use markup5ever::tendril::StrTendril;
use markup5ever::{LocalName, local_name};

use crate::Position;
use crate::link::Carrier;
use crate::node_id::{NodeId, index32};

/// The namespaces extraction distinguishes (P-1.6: SVG and MathML elements are never carriers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ns {
    Html,
    Svg,
    MathMl,
    Other,
}

/// An attribute: its name is the qualified name the DOM exposes (`xlink:href` for a
/// namespaced one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Attr {
    pub(crate) name: Name,
    pub(crate) value: StrTendril,
}

/// The attribute `name`=`value`, `name` being the qualified name.
pub(crate) fn attr(name: LocalName, value: StrTendril) -> Attr {
    Attr {
        name: Name::new(name),
        value,
    }
}

/// A name kept in the arena: the interned atom of a name html5ever knows (or of a name short
/// enough to live inside its atom), else the name's own text.
///
/// Atoms of other names live in one table for the whole process, whose cost per lookup grows
/// with the number of distinct names alive: a page of a hundred thousand distinct long names
/// kept as atoms would make the parse quadratic. Kept as text, they leave the table as soon
/// as the token that carried them is gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Name(NameRepr);

#[derive(Debug, Clone, PartialEq, Eq)]
enum NameRepr {
    Atom(LocalName),
    Text(Box<str>),
}

impl Name {
    pub(crate) fn new(name: LocalName) -> Name {
        Name(if name.is_dynamic() {
            NameRepr::Text(Box::from(&*name))
        } else {
            NameRepr::Atom(name)
        })
    }

    pub(crate) fn as_str(&self) -> &str {
        match &self.0 {
            NameRepr::Atom(atom) => atom,
            NameRepr::Text(text) => text,
        }
    }

    /// Whether this is `name`, a name html5ever knows (compared as interned atoms: no string
    /// comparison).
    pub(crate) fn is(&self, name: &LocalName) -> bool {
        debug_assert!(!name.is_dynamic(), "only known names are looked up");
        matches!(&self.0, NameRepr::Atom(atom) if atom == name)
    }
}

#[derive(Debug)]
pub(crate) struct Element {
    pub(crate) ns: Ns,
    /// The local name, lower-case for HTML elements (as the tree builder gives it), when it
    /// is an atom that needs no table (see [`Name`]); else empty, and the name is the
    /// `long_name` of the element's [`Extra`].
    pub(crate) name: LocalName,
    /// Where what the element has beyond its name is in the arena's side table
    /// ([`crate::dom::Dom`]), or [`Element::PLAIN`].
    extra: u32,
}

/// What only a few elements have. Kept in a table of the arena beside the nodes, not in a box
/// of each element's own: one allocation per element would cost more than all the rest of
/// creating it, and a carrier's params sit next to each other in the table when they are read.
#[derive(Debug, Default)]
pub(crate) struct Extra {
    /// Attributes in source order, first occurrence only. The HTML reader keeps them only
    /// for the elements whose attributes extraction reads (see `html::sink`).
    pub(crate) attrs: Vec<Attr>,
    /// The element's name, when it is not an atom (see [`Name`]): its [`Element::name`] is
    /// then empty.
    pub(crate) long_name: Option<Box<str>>,
    /// Byte offset of the `<` of the start tag in the decoded text, when known directly.
    pub(crate) start: Option<usize>,
    /// Byte offset just past the `>` of the start tag, when the HTML driver saw it; the start
    /// is then found on demand by [`crate::html::locate`].
    pub(crate) tag_end: Option<usize>,
    /// The arena id of a template's contents fragment (never walked: P-1.6).
    pub(crate) template_contents: Option<NodeId>,
    /// The line and column of `start`, when the reader found them as it read.
    pub(crate) position: Option<Position>,
}

impl Extra {
    /// Whether there is nothing in it, so that the element needs no entry in the table.
    pub(crate) fn is_empty(&self) -> bool {
        self.attrs.is_empty()
            && self.long_name.is_none()
            && self.start.is_none()
            && self.tag_end.is_none()
            && self.template_contents.is_none()
            && self.position.is_none()
    }
}

impl Element {
    /// The `extra` of an element with nothing beyond its name (never an index: see
    /// [`crate::dom::index32`]).
    const PLAIN: u32 = u32::MAX;

    /// An element with no attributes, offsets or template contents.
    pub(crate) fn new(ns: Ns, name: LocalName) -> Self {
        Element {
            ns,
            name,
            extra: Element::PLAIN,
        }
    }

    /// Where the element's [`Extra`] is in the arena's table, if it has one.
    pub(crate) fn extra_index(&self) -> Option<usize> {
        (self.extra != Element::PLAIN).then_some(self.extra as usize)
    }

    /// Records that the element's [`Extra`] is at `index` of the arena's table.
    pub(crate) fn set_extra_index(&mut self, index: usize) {
        self.extra = index32(index);
    }

    /// Which carrier this is, if it is one. P-1.1 / P-1.6: HTML-namespace elements only; an
    /// `object` inside SVG or MathML is not one.
    pub(crate) fn carrier(&self) -> Option<Carrier> {
        if self.ns != Ns::Html {
            return None;
        }
        match self.name {
            local_name!("object") => Some(Carrier::Object),
            local_name!("applet") => Some(Carrier::Applet),
            _ => None,
        }
    }

    /// An HTML element named `name` (compared as interned atoms: no string comparison).
    pub(crate) fn is_html(&self, name: &LocalName) -> bool {
        self.ns == Ns::Html && self.name == *name
    }
}

/// An element of the arena with what it has beyond its name: what [`crate::dom::Dom::element`]
/// gives out. Its namespace and name are those of the [`Element`] it derefs to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ElementRef<'d> {
    element: &'d Element,
    extra: Option<&'d Extra>,
}

impl std::ops::Deref for ElementRef<'_> {
    type Target = Element;
    fn deref(&self) -> &Element {
        self.element
    }
}

impl<'d> ElementRef<'d> {
    pub(crate) fn new(element: &'d Element, extra: Option<&'d Extra>) -> Self {
        ElementRef { element, extra }
    }

    pub(crate) fn attrs(self) -> &'d [Attr] {
        self.extra.map_or(&[], |e| &e.attrs)
    }

    /// The element's local name.
    pub(crate) fn name_str(self) -> &'d str {
        match self.extra.and_then(|e| e.long_name.as_deref()) {
            Some(long) => long,
            None => &self.element.name,
        }
    }

    /// The value of attribute `name`, a name html5ever knows (compared as interned atoms: no
    /// string comparison).
    pub(crate) fn attr(self, name: &LocalName) -> Option<&'d str> {
        self.attrs()
            .iter()
            .find(|a| a.name.is(name))
            .map(|a| &*a.value)
    }

    /// Byte offset of the `<` of the start tag, when the reader knew it.
    pub(crate) fn start(self) -> Option<usize> {
        self.extra.and_then(|e| e.start)
    }

    /// Byte offset just past the `>` of the start tag, when the HTML driver saw it.
    pub(crate) fn tag_end(self) -> Option<usize> {
        self.extra.and_then(|e| e.tag_end)
    }

    pub(crate) fn template_contents(self) -> Option<NodeId> {
        self.extra.and_then(|e| e.template_contents)
    }

    /// The line and column of the start tag, when the reader found them as it read.
    pub(crate) fn position(self) -> Option<Position> {
        self.extra.and_then(|e| e.position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::{Dom, NodeKind};
    use html5ever::local_name;

    #[test]
    fn only_elements_with_something_more_have_an_entry_in_the_table() {
        let mut dom = Dom::default();
        let plain = dom.create_element(Ns::Html, LocalName::from("p"), Extra::default());
        assert!(matches!(&dom.node(plain).kind, NodeKind::Element(e) if e.extra_index().is_none()));
        assert_eq!(dom.element(plain).unwrap().attrs(), []);
        let link = dom.create_element(
            Ns::Html,
            LocalName::from("a"),
            Extra {
                tag_end: Some(9),
                ..Extra::default()
            },
        );
        dom.push_attr(
            link,
            attr(LocalName::from("href"), StrTendril::from_slice("x")),
        );
        dom.push_attr(
            plain,
            attr(LocalName::from("id"), StrTendril::from_slice("y")),
        );
        let (link, plain) = (dom.element(link).unwrap(), dom.element(plain).unwrap());
        assert_eq!(
            (
                link.attr(&local_name!("href")),
                link.tag_end(),
                link.start()
            ),
            (Some("x"), Some(9), None)
        );
        assert_eq!(
            (plain.attr(&local_name!("id")), plain.tag_end()),
            (Some("y"), None)
        );
        assert!(size_of::<Element>() <= 16, "{}", size_of::<Element>());
    }

    #[test]
    fn long_unknown_names_are_kept_as_text_not_atoms() {
        let mut dom = Dom::default();
        let long = LocalName::from("a-custom-element-name");
        assert!(long.is_dynamic());
        let id = dom.create_element(Ns::Html, long, Extra::default());
        dom.push_attr(
            id,
            attr(LocalName::from("data-tracking-id"), StrTendril::from("7")),
        );
        let element = dom.element(id).unwrap();
        assert_eq!(element.name_str(), "a-custom-element-name");
        assert_eq!(element.name, local_name!(""));
        assert_eq!(element.attrs()[0].name.as_str(), "data-tracking-id");
        assert_eq!(element.attr(&local_name!("href")), None);
        let short = dom.create_element(Ns::Html, LocalName::from("object"), Extra::default());
        assert_eq!(dom.element(short).unwrap().name_str(), "object");
    }
}

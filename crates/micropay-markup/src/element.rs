//! Elements of the arena tree ([`crate::dom`]): namespace and name inline, and what only a
//! few elements have (attributes, source offsets, template contents) behind one box, so that
//! the tens of thousands of other elements of a large page stay small.

use markup5ever::LocalName;
use markup5ever::tendril::StrTendril;

use crate::dom::NodeId;

/// The namespaces extraction distinguishes (P-1.6: SVG and MathML elements are never carriers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ns {
    Html,
    Svg,
    MathMl,
    Other,
}

/// An attribute as html5ever hands it over, moved without a copy. Its name is the qualified
/// name the DOM exposes (`xlink:href` for a namespaced one), all in `name.local` with no
/// prefix, so that a lookup compares one atom.
pub(crate) type Attr = markup5ever::Attribute;

/// The attribute `name`=`value`, `name` being the qualified name.
pub(crate) fn attr(name: LocalName, value: StrTendril) -> Attr {
    Attr {
        name: markup5ever::QualName::new(None, markup5ever::ns!(), name),
        value,
    }
}

#[derive(Debug)]
pub(crate) struct Element {
    pub(crate) ns: Ns,
    /// The local name, lower-case for HTML elements (as the tree builder gives it).
    pub(crate) name: LocalName,
    /// `None` when the element has none of what [`Extra`] holds.
    extra: Option<Box<Extra>>,
}

#[derive(Debug, Default)]
struct Extra {
    /// Attributes in source order, first occurrence only. The HTML reader keeps them only
    /// for the elements whose attributes extraction reads (see `html::sink`).
    attrs: Vec<Attr>,
    /// Byte offset of the `<` of the start tag in the decoded text, when known directly.
    start: Option<usize>,
    /// Byte offset just past the `>` of the start tag, when the HTML driver saw it; the start
    /// is then found on demand by [`crate::html::locate`].
    tag_end: Option<usize>,
    /// The arena id of a template's contents fragment (never walked: P-1.6).
    template_contents: Option<NodeId>,
}

impl Element {
    /// An element with no attributes, offsets or template contents.
    pub(crate) fn new(ns: Ns, name: LocalName) -> Self {
        Element {
            ns,
            name,
            extra: None,
        }
    }

    /// Adds what the element has beyond its name; empty values keep it unboxed.
    pub(crate) fn with(
        mut self,
        attrs: Vec<Attr>,
        start: Option<usize>,
        tag_end: Option<usize>,
        template_contents: Option<NodeId>,
    ) -> Self {
        if !attrs.is_empty() || start.is_some() || tag_end.is_some() || template_contents.is_some()
        {
            self.extra = Some(Box::new(Extra {
                attrs,
                start,
                tag_end,
                template_contents,
            }));
        }
        self
    }

    pub(crate) fn attrs(&self) -> &[Attr] {
        self.extra.as_ref().map_or(&[], |e| &e.attrs)
    }

    /// Adds an attribute after the others.
    pub(crate) fn push_attr(&mut self, attr: Attr) {
        self.extra.get_or_insert_default().attrs.push(attr);
    }

    /// The value of attribute `name` (compared as interned atoms: no string comparison).
    pub(crate) fn attr(&self, name: &LocalName) -> Option<&str> {
        self.attrs()
            .iter()
            .find(|a| a.name.local == *name)
            .map(|a| &*a.value)
    }

    /// Byte offset of the `<` of the start tag, when the reader knew it.
    pub(crate) fn start(&self) -> Option<usize> {
        self.extra.as_ref().and_then(|e| e.start)
    }

    /// Byte offset just past the `>` of the start tag, when the HTML driver saw it.
    pub(crate) fn tag_end(&self) -> Option<usize> {
        self.extra.as_ref().and_then(|e| e.tag_end)
    }

    pub(crate) fn template_contents(&self) -> Option<NodeId> {
        self.extra.as_ref().and_then(|e| e.template_contents)
    }

    /// An HTML element named `name` (compared as interned atoms: no string comparison).
    pub(crate) fn is_html(&self, name: &LocalName) -> bool {
        self.ns == Ns::Html && self.name == *name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use html5ever::local_name;

    #[test]
    fn only_elements_with_something_more_are_boxed() {
        let plain = Element::new(Ns::Html, LocalName::from("p")).with(Vec::new(), None, None, None);
        assert!(plain.extra.is_none());
        assert_eq!(plain.attrs(), []);
        let mut link =
            Element::new(Ns::Html, LocalName::from("a")).with(Vec::new(), None, Some(9), None);
        link.push_attr(attr(LocalName::from("href"), StrTendril::from_slice("x")));
        assert_eq!(
            (
                link.attr(&local_name!("href")),
                link.tag_end(),
                link.start()
            ),
            (Some("x"), Some(9), None)
        );
        assert!(size_of::<Element>() <= 24, "{}", size_of::<Element>());
    }
}

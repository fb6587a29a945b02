//! Start tags (P-1.7): the element's namespace, its attributes with their prefixes
//! resolved, unique by name and by expanded name, and the reserved bindings; the element
//! joins the tree.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use quick_xml::name::{NamespaceResolver, QName, ResolveResult};

use super::{Builder, Open, Phase};
use crate::dom::{Extra, NodeKind, Ns};
use crate::element::{Attr, attr};
use crate::xhtml::names::split_qname;
use crate::xhtml::namespaces::{self, XML_NS, XMLNS_NS, reserved_binding};
use crate::xhtml::{Fault, tag};

impl Builder<'_> {
    pub(super) fn start_tag(
        &mut self,
        resolver: &NamespaceResolver,
        before: usize,
        after: usize,
        empty: bool,
    ) -> Result<(), Fault> {
        if self.phase == Phase::Epilog {
            return Err(Fault::new(
                before,
                format!(
                    "a second root element: a document has exactly one, and `<{}>` has ended",
                    self.root
                ),
            ));
        }
        let raw = &self.text[before..after];
        let tag = tag::read(raw).map_err(|f| f.shift(before))?;
        let uri = self.element_namespace(resolver, tag.name, before)?;
        let attrs = self.attributes(resolver, &tag, before)?;
        let ns = namespaces::kind(uri.as_deref());
        let local = tag.name.rsplit(':').next().unwrap_or(tag.name);
        // The HTML standard's rule for XML parsers: children of a `template` go into its
        // contents, a separate fragment (P-1.6: never searched).
        let template =
            (ns == Ns::Html && local == "template").then(|| self.dom.create(NodeKind::Other));
        // P-1.7: the local name as written; XML names are case-sensitive.
        let extra = Extra {
            attrs,
            start: Some(before),
            tag_end: None,
            template_contents: template,
            position: None,
            long_name: None,
        };
        let id = self.dom.create_element(ns, local.into(), extra);
        self.dom.append(self.parent(), id);
        if self.phase == Phase::Prolog {
            self.root = tag.name.to_owned();
            self.phase = if empty { Phase::Epilog } else { Phase::Root };
        }
        if !empty {
            self.open.push(Open {
                children: template.unwrap_or(id),
                start: before,
                name: tag.name.to_owned(),
            });
        }
        Ok(())
    }

    /// Namespaces in XML 1.0 §5: the namespace of an element name.
    fn element_namespace(
        &mut self,
        resolver: &NamespaceResolver,
        name: &str,
        before: usize,
    ) -> Result<Option<String>, Fault> {
        let at = before + 1;
        let Some((prefix, _)) = split_qname(name) else {
            return Err(Fault::new(
                at,
                format!(
                    "`{name}` is not a valid element name: at most one `:` may separate a prefix from the local name"
                ),
            ));
        };
        if prefix == Some("xmlns") {
            return Err(Fault::new(
                at,
                "an element name may not use the prefix `xmlns`",
            ));
        }
        match resolver.resolve_element(QName(name)).0 {
            ResolveResult::Bound(ns) => Ok(Some(self.namespace_value(ns.0))),
            ResolveResult::Unbound => Ok(None),
            ResolveResult::Unknown(prefix) => Err(Fault::new(
                at,
                format!("the prefix `{prefix}` of `<{name}>` is not declared"),
            )
            .with_hint(format!(
                "declare it with xmlns:{prefix}=\"…\" on this element or an ancestor"
            ))),
        }
    }

    /// quick-xml binds prefixes to the raw attribute value; references in it are expanded here.
    fn namespace_value(&mut self, raw: &str) -> String {
        if raw.contains('&') {
            self.entities
                .attribute_value(raw, 0)
                .unwrap_or_else(|_| raw.to_owned())
        } else {
            raw.to_owned()
        }
    }

    /// The attributes of a start tag: values expanded and normalised; unique by name and by
    /// expanded name (WFC: Unique Att Spec; Namespaces in XML 1.0 §6.3); prefixes declared;
    /// namespace declarations that Namespaces in XML 1.0 §3 forbids refused.
    fn attributes(
        &mut self,
        resolver: &NamespaceResolver,
        tag: &tag::Tag<'_>,
        before: usize,
    ) -> Result<Vec<Attr>, Fault> {
        let mut by_name: HashSet<&str> = HashSet::with_capacity(tag.attributes.len());
        let mut by_expanded: HashMap<(String, &str), &str> = HashMap::new();
        let mut attrs = Vec::with_capacity(tag.attributes.len());
        for a in &tag.attributes {
            let at = before + a.name_at;
            let Some((prefix, local)) = split_qname(a.name) else {
                return Err(Fault::new(
                    at,
                    format!(
                        "`{}` is not a valid attribute name: at most one `:` may separate a prefix from the local name",
                        a.name
                    ),
                ));
            };
            if !by_name.insert(a.name) {
                return Err(Fault::new(
                    at,
                    format!("the attribute `{}` is given twice in this tag", a.name),
                ));
            }
            let value = self
                .entities
                .attribute_value(a.value, before + a.value_at)?;
            let value_at = before + a.value_at;
            match (prefix, local) {
                (None, "xmlns") => {
                    if value == XML_NS || value == XMLNS_NS {
                        return Err(Fault::new(
                            value_at,
                            "this reserved namespace cannot be the default namespace",
                        ));
                    }
                }
                (Some("xmlns"), declared) => reserved_binding(declared, &value, at, value_at)?,
                (Some(prefix), local) => {
                    let uri = match resolver.resolve_attribute(QName(a.name)).0 {
                        ResolveResult::Bound(ns) => self.namespace_value(ns.0),
                        ResolveResult::Unbound | ResolveResult::Unknown(_) => {
                            return Err(Fault::new(
                                at,
                                format!("the prefix `{prefix}` of the attribute `{}` is not declared", a.name),
                            )
                            .with_hint(format!("declare it with xmlns:{prefix}=\"…\" on this element or an ancestor")));
                        }
                    };
                    match by_expanded.entry((uri, local)) {
                        Entry::Occupied(first) => {
                            return Err(Fault::new(
                                at,
                                format!(
                                    "the attribute `{}` is the same attribute as `{}`: both prefixes name the namespace `{}`",
                                    a.name,
                                    first.get(),
                                    first.key().0
                                ),
                            ));
                        }
                        Entry::Vacant(slot) => {
                            slot.insert(a.name);
                        }
                    }
                }
                (None, _) => {}
            }
            // Unprefixed attributes keep their local name, prefixed ones `prefix:local`.
            attrs.push(attr(a.name.into(), value.into()));
        }
        Ok(attrs)
    }
}

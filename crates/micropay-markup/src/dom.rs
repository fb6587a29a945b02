//! A small arena tree: what the HTML tree builder and the XHTML reader both produce, and what
//! carrier extraction (P-1) walks. It holds only what extraction needs: elements with their
//! namespace, local name, attributes and source offset, and whether text is more than white
//! space.

use markup5ever::LocalName;
use markup5ever::tendril::StrTendril;

/// Index of a node in the arena.
pub(crate) type NodeId = usize;

/// The namespaces extraction distinguishes (P-1.6: SVG and MathML elements are never carriers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ns {
    Html,
    Svg,
    MathMl,
    Other,
}

#[derive(Debug)]
pub(crate) enum NodeKind {
    Document,
    Element(Element),
    /// Text; extraction only asks whether it holds anything but ASCII white space (P-1.4), so
    /// that is all that is kept of it.
    Text {
        /// Some character of the text is not ASCII white space.
        visible: bool,
    },
    /// Comments, doctypes, processing instructions: kept as nodes, never looked into.
    Other,
}

#[derive(Debug)]
pub(crate) struct Element {
    pub(crate) ns: Ns,
    /// The local name, lower-case for HTML elements (as the tree builder gives it).
    pub(crate) name: LocalName,
    /// Attributes in source order, first occurrence only: the qualified name (`xlink:href`
    /// for a namespaced one) and the value, moved from the tokenizer without a copy. The HTML
    /// reader keeps them only for the elements whose attributes extraction reads (see
    /// `html::sink`).
    pub(crate) attrs: Vec<(LocalName, StrTendril)>,
    /// Byte offset of the `<` of the start tag in the decoded text, when known directly.
    pub(crate) start: Option<usize>,
    /// Byte offset just past the `>` of the start tag, when the HTML driver saw it; the start
    /// is then found on demand by [`crate::html::locate`].
    pub(crate) tag_end: Option<usize>,
    /// The arena id of a template's contents fragment (never walked: P-1.6).
    pub(crate) template_contents: Option<NodeId>,
}

impl Element {
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| &**n == name)
            .map(|(_, v)| &**v)
    }

    /// An HTML element named `name` (compared as interned atoms: no string comparison).
    pub(crate) fn is_html(&self, name: &LocalName) -> bool {
        self.ns == Ns::Html && self.name == *name
    }
}

#[derive(Debug)]
pub(crate) struct Node {
    pub(crate) kind: NodeKind,
    pub(crate) parent: Option<NodeId>,
    pub(crate) first_child: Option<NodeId>,
    pub(crate) last_child: Option<NodeId>,
    pub(crate) prev: Option<NodeId>,
    pub(crate) next: Option<NodeId>,
}

/// The tree. Node 0 is the document.
#[derive(Debug)]
pub(crate) struct Dom {
    nodes: Vec<Node>,
}

impl Default for Dom {
    fn default() -> Self {
        Dom {
            nodes: vec![Node::new(NodeKind::Document)],
        }
    }
}

impl Node {
    fn new(kind: NodeKind) -> Self {
        Node {
            kind,
            parent: None,
            first_child: None,
            last_child: None,
            prev: None,
            next: None,
        }
    }
}

impl Dom {
    pub(crate) const DOCUMENT: NodeId = 0;

    pub(crate) fn create(&mut self, kind: NodeKind) -> NodeId {
        self.nodes.push(Node::new(kind));
        self.nodes.len() - 1
    }

    /// How many nodes the arena holds (detached ones included).
    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    pub(crate) fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }

    pub(crate) fn element(&self, id: NodeId) -> Option<&Element> {
        match &self.nodes[id].kind {
            NodeKind::Element(e) => Some(e),
            _ => None,
        }
    }

    pub(crate) fn element_mut(&mut self, id: NodeId) -> Option<&mut Element> {
        match &mut self.nodes[id].kind {
            NodeKind::Element(e) => Some(e),
            _ => None,
        }
    }

    pub(crate) fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.nodes[id].parent
    }

    /// Unlinks `id` from its parent, if it has one.
    pub(crate) fn detach(&mut self, id: NodeId) {
        let Some(parent) = self.nodes[id].parent.take() else {
            return;
        };
        let prev = self.nodes[id].prev.take();
        let next = self.nodes[id].next.take();
        match prev {
            Some(p) => self.nodes[p].next = next,
            None => self.nodes[parent].first_child = next,
        }
        match next {
            Some(n) => self.nodes[n].prev = prev,
            None => self.nodes[parent].last_child = prev,
        }
    }

    pub(crate) fn append(&mut self, parent: NodeId, child: NodeId) {
        self.detach(child);
        self.nodes[child].parent = Some(parent);
        match self.nodes[parent].last_child {
            Some(last) => {
                self.nodes[last].next = Some(child);
                self.nodes[child].prev = Some(last);
            }
            None => self.nodes[parent].first_child = Some(child),
        }
        self.nodes[parent].last_child = Some(child);
    }

    pub(crate) fn insert_before(&mut self, sibling: NodeId, child: NodeId) {
        self.detach(child);
        let Some(parent) = self.nodes[sibling].parent else {
            return;
        };
        let prev = self.nodes[sibling].prev;
        self.nodes[child].parent = Some(parent);
        self.nodes[child].prev = prev;
        self.nodes[child].next = Some(sibling);
        self.nodes[sibling].prev = Some(child);
        match prev {
            Some(p) => self.nodes[p].next = Some(child),
            None => self.nodes[parent].first_child = Some(child),
        }
    }

    /// Appends text to `parent`, merging with a text node that ends the parent's children.
    pub(crate) fn append_text(&mut self, parent: NodeId, text: &str) {
        let visible = is_visible(text);
        if let Some(last) = self.nodes[parent].last_child
            && let NodeKind::Text { visible: existing } = &mut self.nodes[last].kind
        {
            *existing |= visible;
            return;
        }
        let node = self.create(NodeKind::Text { visible });
        self.append(parent, node);
    }

    /// Inserts text before `sibling`, merging with a text node just before it.
    pub(crate) fn insert_text_before(&mut self, sibling: NodeId, text: &str) {
        let visible = is_visible(text);
        if let Some(prev) = self.nodes[sibling].prev
            && let NodeKind::Text { visible: existing } = &mut self.nodes[prev].kind
        {
            *existing |= visible;
            return;
        }
        let node = self.create(NodeKind::Text { visible });
        self.insert_before(sibling, node);
    }

    pub(crate) fn reparent_children(&mut self, from: NodeId, to: NodeId) {
        while let Some(child) = self.nodes[from].first_child {
            self.append(to, child);
        }
    }

    pub(crate) fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            dom: self,
            next: self.nodes[id].first_child,
        }
    }

    /// The descendants of `id` in tree order (pre-order), not including `id`.
    pub(crate) fn descendants(&self, id: NodeId) -> Descendants<'_> {
        Descendants {
            dom: self,
            root: id,
            next: self.nodes[id].first_child,
        }
    }
}

/// Whether `text` holds a character other than ASCII white space (what P-2 trims); merged
/// text holds one exactly when one of its pieces does.
fn is_visible(text: &str) -> bool {
    text.bytes()
        .any(|b| !matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' '))
}

pub(crate) struct Children<'a> {
    dom: &'a Dom,
    next: Option<NodeId>,
}

impl Iterator for Children<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        let current = self.next?;
        self.next = self.dom.nodes[current].next;
        Some(current)
    }
}

pub(crate) struct Descendants<'a> {
    dom: &'a Dom,
    root: NodeId,
    next: Option<NodeId>,
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        let current = self.next?;
        let node = &self.dom.nodes[current];
        self.next = if let Some(child) = node.first_child {
            Some(child)
        } else {
            // Climb until a node with a next sibling, never above the root.
            let mut at = current;
            loop {
                if at == self.root {
                    break None;
                }
                if let Some(sibling) = self.dom.nodes[at].next {
                    break Some(sibling);
                }
                match self.dom.nodes[at].parent {
                    Some(p) if p != self.root => at = p,
                    _ => break None,
                }
            }
        };
        Some(current)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn element(dom: &mut Dom, name: &str) -> NodeId {
        dom.create(NodeKind::Element(Element {
            ns: Ns::Html,
            name: LocalName::from(name),
            attrs: Vec::new(),
            start: None,
            tag_end: None,
            template_contents: None,
        }))
    }

    #[test]
    fn tree_operations_keep_sibling_links_consistent() {
        let mut dom = Dom::default();
        let a = element(&mut dom, "a");
        let b = element(&mut dom, "b");
        let c = element(&mut dom, "c");
        dom.append(Dom::DOCUMENT, a);
        dom.append(Dom::DOCUMENT, c);
        dom.insert_before(c, b);
        assert_eq!(dom.children(Dom::DOCUMENT).collect::<Vec<_>>(), [a, b, c]);
        dom.detach(b);
        assert_eq!(dom.children(Dom::DOCUMENT).collect::<Vec<_>>(), [a, c]);
        dom.append(a, b);
        dom.append_text(b, " \n");
        assert!(matches!(
            dom.node(dom.node(b).first_child.unwrap()).kind,
            NodeKind::Text { visible: false }
        ));
        dom.append_text(b, "y");
        assert!(matches!(
            dom.node(dom.node(b).first_child.unwrap()).kind,
            NodeKind::Text { visible: true }
        ));
        assert_eq!(
            dom.descendants(Dom::DOCUMENT).count(),
            4,
            "a, b, text, c in tree order"
        );
        dom.reparent_children(a, c);
        assert_eq!(dom.children(c).collect::<Vec<_>>(), [b]);
        assert_eq!(dom.descendants(a).count(), 0);
    }

    #[test]
    fn descendants_stay_below_the_root() {
        let mut dom = Dom::default();
        let a = element(&mut dom, "a");
        let b = element(&mut dom, "b");
        let after = element(&mut dom, "after");
        dom.append(Dom::DOCUMENT, a);
        dom.append(a, b);
        dom.append(Dom::DOCUMENT, after);
        assert_eq!(dom.descendants(a).collect::<Vec<_>>(), [b]);
    }
}

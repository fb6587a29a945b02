//! A small arena tree: what the HTML tree builder and the XHTML reader both produce, and what
//! carrier extraction (P-1) walks. It holds only what extraction needs: elements with their
//! namespace, local name, attributes and source offset, and whether the text directly inside a
//! carrier is more than white space.

pub(crate) use crate::element::{Element, ElementRef, Extra, Ns};
pub(crate) use crate::node_id::{NodeId, index32};

use crate::element::Attr;
use markup5ever::LocalName;

#[derive(Debug)]
pub(crate) enum NodeKind {
    Document,
    Element(Element),
    /// Text directly inside a carrier; extraction only asks whether it holds anything but
    /// ASCII white space (P-1.4), so that is all that is kept of it (and no text elsewhere:
    /// see `Dom::keeps_text_in`).
    Text {
        /// Some character of the text is not ASCII white space.
        visible: bool,
    },
    /// Comments, doctypes, processing instructions: kept as nodes, never looked into.
    Other,
}

/// A link between nodes in four bytes instead of sixteen: a large page has hundreds of
/// thousands of nodes with five links each. Documents are under 4 GiB, so ids fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Link(u32);

impl Link {
    const NONE: Link = Link(u32::MAX);

    fn to(id: Option<NodeId>) -> Link {
        id.map_or(Link::NONE, |id| Link(index32(id)))
    }

    fn get(self) -> Option<NodeId> {
        (self != Link::NONE).then_some(self.0 as usize)
    }
}

#[derive(Debug)]
pub(crate) struct Node {
    pub(crate) kind: NodeKind,
    parent: Link,
    first_child: Link,
    last_child: Link,
    prev: Link,
    next: Link,
}

/// The tree. Node 0 is the document.
#[derive(Debug)]
pub(crate) struct Dom {
    nodes: Vec<Node>,
    /// What the elements that have more than a name have (see [`Extra`]).
    extras: Vec<Extra>,
}

impl Default for Dom {
    fn default() -> Self {
        Dom {
            nodes: vec![Node::new(NodeKind::Document)],
            extras: Vec::new(),
        }
    }
}

impl Node {
    fn new(kind: NodeKind) -> Self {
        Node {
            kind,
            parent: Link::NONE,
            first_child: Link::NONE,
            last_child: Link::NONE,
            prev: Link::NONE,
            next: Link::NONE,
        }
    }

    #[cfg(test)]
    pub(crate) fn parent(&self) -> Option<NodeId> {
        self.parent.get()
    }

    #[cfg(test)]
    pub(crate) fn first_child(&self) -> Option<NodeId> {
        self.first_child.get()
    }

    #[cfg(test)]
    pub(crate) fn next_sibling(&self) -> Option<NodeId> {
        self.next.get()
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

    /// Every node in creation order, with what extraction reads of it: for comparing the trees
    /// two ways of parsing give (tests).
    #[cfg(test)]
    pub(crate) fn summary(&self) -> Vec<String> {
        (0..self.len())
            .map(|id| {
                let node = self.node(id);
                let kind = match &node.kind {
                    NodeKind::Element(e) => {
                        let e = self.element_ref(e);
                        format!(
                            "{:?} {} {:?} end={:?} template={:?}",
                            e.ns,
                            e.name_str(),
                            e.attrs()
                                .iter()
                                .map(|a| (a.name.as_str(), &*a.value))
                                .collect::<Vec<_>>(),
                            e.tag_end(),
                            e.template_contents()
                        )
                    }
                    other => format!("{other:?}"),
                };
                format!(
                    "{kind} parent={:?} next={:?}",
                    node.parent(),
                    node.next_sibling()
                )
            })
            .collect()
    }

    /// A new element, not yet in the tree, with `extra` (when there is anything in it).
    pub(crate) fn create_element(&mut self, ns: Ns, name: LocalName, mut extra: Extra) -> NodeId {
        // A name that is no atom of its own is kept as text (see `element::Name`).
        let name = if name.is_dynamic() {
            extra.long_name = Some(Box::from(&*name));
            markup5ever::local_name!("")
        } else {
            name
        };
        let mut element = Element::new(ns, name);
        if !extra.is_empty() {
            element.set_extra_index(self.extras.len());
            self.extras.push(extra);
        }
        self.create(NodeKind::Element(element))
    }

    pub(crate) fn element(&self, id: NodeId) -> Option<ElementRef<'_>> {
        match &self.nodes[id].kind {
            NodeKind::Element(e) => Some(self.element_ref(e)),
            _ => None,
        }
    }

    /// `element` of this arena, with its [`Extra`].
    pub(crate) fn element_ref<'d>(&'d self, element: &'d Element) -> ElementRef<'d> {
        ElementRef::new(element, element.extra_index().map(|i| &self.extras[i]))
    }

    /// What element `id` has beyond its name, if it is an element with anything.
    pub(crate) fn extra_mut(&mut self, id: NodeId) -> Option<&mut Extra> {
        match &self.nodes[id].kind {
            NodeKind::Element(e) => e.extra_index().map(|i| &mut self.extras[i]),
            _ => None,
        }
    }

    /// Adds an attribute after the others of element `id`, if it is one.
    pub(crate) fn push_attr(&mut self, id: NodeId, attr: Attr) {
        let NodeKind::Element(element) = &mut self.nodes[id].kind else {
            return;
        };
        if let Some(index) = element.extra_index() {
            self.extras[index].attrs.push(attr);
        } else {
            element.set_extra_index(self.extras.len());
            self.extras.push(Extra {
                attrs: vec![attr],
                ..Extra::default()
            });
        }
    }

    pub(crate) fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.nodes[id].parent.get()
    }

    /// Unlinks `id` from its parent, if it has one.
    pub(crate) fn detach(&mut self, id: NodeId) {
        let Some(parent) = self.nodes[id].parent.get() else {
            return;
        };
        let node = &mut self.nodes[id];
        let (prev, next) = (node.prev, node.next);
        node.parent = Link::NONE;
        node.prev = Link::NONE;
        node.next = Link::NONE;
        match prev.get() {
            Some(p) => self.nodes[p].next = next,
            None => self.nodes[parent].first_child = next,
        }
        match next.get() {
            Some(n) => self.nodes[n].prev = prev,
            None => self.nodes[parent].last_child = prev,
        }
    }

    pub(crate) fn append(&mut self, parent: NodeId, child: NodeId) {
        self.detach(child);
        let child_link = Link::to(Some(child));
        self.nodes[child].parent = Link::to(Some(parent));
        match self.nodes[parent].last_child.get() {
            Some(last) => {
                self.nodes[last].next = child_link;
                self.nodes[child].prev = Link::to(Some(last));
            }
            None => self.nodes[parent].first_child = child_link,
        }
        self.nodes[parent].last_child = child_link;
    }

    pub(crate) fn insert_before(&mut self, sibling: NodeId, child: NodeId) {
        self.detach(child);
        let Some(parent) = self.nodes[sibling].parent.get() else {
            return;
        };
        let child_link = Link::to(Some(child));
        let prev = self.nodes[sibling].prev;
        self.nodes[child].parent = Link::to(Some(parent));
        self.nodes[child].prev = prev;
        self.nodes[child].next = Link::to(Some(sibling));
        self.nodes[sibling].prev = child_link;
        match prev.get() {
            Some(p) => self.nodes[p].next = child_link,
            None => self.nodes[parent].first_child = child_link,
        }
    }

    /// Appends text to `parent`, merging with a text node that ends the parent's children;
    /// text is kept only where it can be read ([`Dom::keeps_text_in`]).
    pub(crate) fn append_text(&mut self, parent: NodeId, text: &str) {
        if !self.keeps_text_in(parent) {
            return;
        }
        let visible = is_visible(text);
        if let Some(last) = self.nodes[parent].last_child.get()
            && let NodeKind::Text { visible: existing } = &mut self.nodes[last].kind
        {
            *existing |= visible;
            return;
        }
        let node = self.create(NodeKind::Text { visible });
        self.append(parent, node);
    }

    /// Inserts text before `sibling`, merging with a text node just before it; text is kept
    /// only where it can be read ([`Dom::keeps_text_in`]).
    pub(crate) fn insert_text_before(&mut self, sibling: NodeId, text: &str) {
        if !self.nodes[sibling]
            .parent
            .get()
            .is_some_and(|parent| self.keeps_text_in(parent))
        {
            return;
        }
        let visible = is_visible(text);
        if let Some(prev) = self.nodes[sibling].prev.get()
            && let NodeKind::Text { visible: existing } = &mut self.nodes[prev].kind
        {
            *existing |= visible;
            return;
        }
        let node = self.create(NodeKind::Text { visible });
        self.insert_before(sibling, node);
    }

    /// Whether text inserted into `parent` is kept. P-1.4 reads text only as a direct child of
    /// a carrier (is there fallback content?), so only an HTML `object` or `applet` keeps it:
    /// most of a page's text is never stored. Nothing readable is lost: text can become a
    /// carrier's child only by being inserted into it. html5ever's tree builder moves text
    /// only in the adoption agency, out of the furthest block into a formatting element it
    /// has just created (`reparent_children`), never into a carrier; every other node it
    /// moves is an element or a comment; and the XHTML reader moves nothing.
    fn keeps_text_in(&self, parent: NodeId) -> bool {
        self.element(parent).is_some_and(|e| e.carrier().is_some())
    }

    /// Returns how many children moved.
    pub(crate) fn reparent_children(&mut self, from: NodeId, to: NodeId) -> usize {
        let mut moved = 0;
        while let Some(child) = self.nodes[from].first_child.get() {
            self.append(to, child);
            moved += 1;
        }
        moved
    }

    pub(crate) fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            dom: self,
            next: self.nodes[id].first_child.get(),
        }
    }

    /// The descendants of `id` in tree order (pre-order), not including `id`.
    pub(crate) fn descendants(&self, id: NodeId) -> Descendants<'_> {
        Descendants {
            dom: self,
            root: id,
            next: self.nodes[id].first_child.get(),
            kept: None,
        }
    }

    /// The descendants of `id` in tree order that `kept` marks, without entering the
    /// subtrees of the nodes it does not mark. When the marked nodes are closed under taking
    /// the parent (see [`Dom::mark_with_ancestors`]), that is exactly `descendants(id)` with
    /// the unmarked nodes left out, at the cost of the marked nodes and their children only.
    pub(crate) fn descendants_kept<'a>(&'a self, id: NodeId, kept: &'a [bool]) -> Descendants<'a> {
        Descendants {
            dom: self,
            root: id,
            next: first_kept(self, self.nodes[id].first_child, kept),
            kept: Some(kept),
        }
    }

    /// Marks in `kept` each node `wanted` picks among the elements, and every ancestor of it.
    pub(crate) fn mark_with_ancestors(&self, wanted: impl Fn(&Element) -> bool) -> Vec<bool> {
        let mut kept = vec![false; self.nodes.len()];
        for (id, node) in self.nodes.iter().enumerate() {
            let NodeKind::Element(element) = &node.kind else {
                continue;
            };
            if !wanted(element) {
                continue;
            }
            let mut at = Some(id);
            // An ancestor already marked has its own ancestors marked too.
            while let Some(node) = at.filter(|&n| !kept[n]) {
                kept[node] = true;
                at = self.nodes[node].parent.get();
            }
        }
        kept
    }
}

/// The first node from `link` on along its siblings that `kept` marks.
fn first_kept(dom: &Dom, mut link: Link, kept: &[bool]) -> Option<NodeId> {
    while let Some(id) = link.get() {
        if kept[id] {
            return Some(id);
        }
        link = dom.nodes[id].next;
    }
    None
}

/// Whether `text` holds a character other than ASCII white space (what P-2 trims); merged
/// text holds one exactly when one of its pieces does.
pub(crate) fn is_visible(text: &str) -> bool {
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
        self.next = self.dom.nodes[current].next.get();
        Some(current)
    }
}

pub(crate) struct Descendants<'a> {
    dom: &'a Dom,
    root: NodeId,
    next: Option<NodeId>,
    /// Only these nodes, when given (see [`Dom::descendants_kept`]).
    kept: Option<&'a [bool]>,
}

impl Descendants<'_> {
    /// The first node from `link` on along its siblings that the walk visits.
    fn visited(&self, link: Link) -> Option<NodeId> {
        match self.kept {
            Some(kept) => first_kept(self.dom, link, kept),
            None => link.get(),
        }
    }

    /// The node visited after the whole subtree of `at`: climbs until a node with a next
    /// sibling to visit, never above the root.
    fn after_subtree(&self, mut at: NodeId) -> Option<NodeId> {
        loop {
            if at == self.root {
                return None;
            }
            if let Some(sibling) = self.visited(self.dom.nodes[at].next) {
                return Some(sibling);
            }
            match self.dom.nodes[at].parent.get() {
                Some(p) if p != self.root => at = p,
                _ => return None,
            }
        }
    }

    /// Leaves out the descendants of `visited`, the node the walk has just returned.
    pub(crate) fn skip_descendants_of(&mut self, visited: NodeId) {
        self.next = self.after_subtree(visited);
    }
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        let current = self.next?;
        self.next = self
            .visited(self.dom.nodes[current].first_child)
            .or_else(|| self.after_subtree(current));
        Some(current)
    }
}

#[cfg(test)]
mod tests;

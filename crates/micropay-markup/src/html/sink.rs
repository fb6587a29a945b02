//! Our own `TreeSink` for html5ever: builds the arena [`Dom`], so that no
//! html5ever or rcdom type reaches the public API, and records where the start tags of the
//! elements extraction reports on end in the source.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::StrTendril;
use html5ever::{Attribute, ExpandedName, LocalName, Namespace, QualName, local_name, ns};

use crate::dom::{Dom, ElementRef, Extra, NodeId, NodeKind, Ns, index32};
use crate::element::Attr;
use crate::html::locate;
use crate::position::Cursor;
use crate::work::Counter;

/// What the tree builder holds for a node: its arena id and, for elements, the name (the tree
/// builder asks for it often, so it travels with the handle instead of behind the `RefCell`).
/// Sixteen bytes, the name held inline and not behind an `Rc`: the tree builder clones and
/// drops handles all the time, and cloning the atom of a known name only copies it, where a
/// counted pointer writes to memory and costs an allocation per element (1.2 % of the
/// instructions of a page of 10 MB).
#[derive(Clone, Debug)]
pub(crate) struct Handle {
    id: u32,
    /// The namespace of an element; `None` for nodes that are not elements.
    ns: Option<Space>,
    annotation_xml_integration_point: bool,
    /// The local name of an element (empty for other nodes).
    local: LocalName,
}

/// The namespaces the HTML tree builder creates elements in: HTML, or the namespace of the
/// adjusted current node, or SVG or MathML on entering foreign content. No other can occur.
#[derive(Clone, Copy, Debug)]
enum Space {
    Html,
    Svg,
    MathMl,
}

static HTML: Namespace = ns!(html);
static SVG: Namespace = ns!(svg);
static MATHML: Namespace = ns!(mathml);

impl Space {
    fn of(ns: Ns) -> Space {
        match ns {
            Ns::Svg => Space::Svg,
            Ns::MathMl => Space::MathMl,
            Ns::Html => Space::Html,
            Ns::Other => {
                unreachable!("the HTML tree builder creates no element in another namespace")
            }
        }
    }

    fn namespace(self) -> &'static Namespace {
        match self {
            Space::Html => &HTML,
            Space::Svg => &SVG,
            Space::MathMl => &MATHML,
        }
    }
}

impl Handle {
    fn node(id: NodeId) -> Self {
        Handle {
            id: index32(id),
            ns: None,
            annotation_xml_integration_point: false,
            local: local_name!(""),
        }
    }

    fn id(&self) -> NodeId {
        self.id as NodeId
    }

    /// Whether this is a carrier, as `carrier::carrier_kind` would find it in the tree.
    fn is_carrier(&self) -> bool {
        matches!(self.ns, Some(Space::Html)) && is_carrier_name(&self.local)
    }
}

/// P-1.1: the names of carriers (in the HTML namespace only).
fn is_carrier_name(name: &LocalName) -> bool {
    matches!(*name, local_name!("object") | local_name!("applet"))
}

/// The start tag the tokenizer is handing to the tree builder right now.
#[derive(Debug)]
pub(crate) struct PendingTag {
    /// Byte offset just past the tag's `>`.
    pub(crate) end: usize,
    pub(crate) name: LocalName,
}

pub(crate) struct Sink<'t> {
    dom: RefCell<Dom>,
    /// P-1.8: the most elements a path from the root down may hold.
    max_depth: usize,
    /// Whether an element was put deeper than that.
    pub(crate) too_deep: Cell<bool>,
    /// The template each template contents fragment belongs to: its elements are as deep as
    /// the template's children.
    hosts: RefCell<HashMap<NodeId, NodeId>>,
    /// Set by the driver around each start tag token.
    pub(crate) pending: RefCell<Option<PendingTag>>,
    /// The document.
    text: &'t str,
    /// Where the last carrier's start tag is, as line and column.
    cursor: RefCell<Cursor>,
    /// The work done (tests of linearity).
    pub(crate) work: Counter,
}

impl<'t> Sink<'t> {
    pub(crate) fn new(text: &'t str, max_depth: usize) -> Self {
        Sink {
            dom: RefCell::new(Dom::default()),
            max_depth,
            too_deep: Cell::new(false),
            hosts: RefCell::new(HashMap::new()),
            pending: RefCell::new(None),
            text,
            cursor: RefCell::new(Cursor::default()),
            work: Counter::default(),
        }
    }

    /// Finds where the start tag of carrier `id` begins, as offset and as line and column,
    /// while the tokenizer has just read it: every link's position is asked, and asked after
    /// the whole page is read, the tag would be far back in the text and out of the cache.
    fn locate_carrier(&self, dom: &mut Dom, id: NodeId) {
        let Some(start) = dom.element(id).and_then(|e| locate::start_of(self.text, e)) else {
            return;
        };
        let position = self.cursor.borrow_mut().position(self.text, start);
        if let Some(extra) = dom.extra_mut(id) {
            extra.start = Some(start);
            extra.position = position;
        }
    }

    /// P-1.8: notes an element put into `parent` deeper than the limit. The walk up from
    /// `parent` stops past the limit, so it costs at most that many steps.
    fn check_depth(&self, dom: &Dom, parent: NodeId) {
        let hosts = self.hosts.borrow();
        let mut depth = 1;
        let mut at = parent;
        loop {
            self.work.depth(1);
            if matches!(dom.node(at).kind, NodeKind::Element(_)) {
                depth += 1;
                if depth > self.max_depth {
                    self.too_deep.set(true);
                    return;
                }
            }
            match dom.parent(at).or_else(|| hosts.get(&at).copied()) {
                Some(up) => at = up,
                None => return,
            }
        }
    }
}

/// Elements whose source position extraction may report.
pub(crate) fn is_located(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("object") | local_name!("applet") | local_name!("param") | local_name!("a")
    )
}

/// HTML elements whose attributes extraction reads: carriers (`type`, `classid` ...), params
/// (`name`, `value`), fallback links (`href`) and `base` (P-1, P-4); the located ones also have
/// all their attributes compared by `locate`. Every other element keeps none: copying them
/// would cost more than the rest of the tree.
fn attributes_are_read(name: &LocalName) -> bool {
    is_located(name) || *name == local_name!("base")
}

pub(super) fn ns_of(name: &QualName) -> Ns {
    if name.ns == ns!(html) {
        Ns::Html
    } else if name.ns == ns!(svg) {
        Ns::Svg
    } else if name.ns == ns!(mathml) {
        Ns::MathMl
    } else {
        Ns::Other
    }
}

impl TreeSink for Sink<'_> {
    type Handle = Handle;
    type Output = Dom;
    type ElemName<'a>
        = ExpandedName<'a>
    where
        Self: 'a;

    fn finish(self) -> Dom {
        self.dom.into_inner()
    }

    // Parse errors are not diagnostics of the profile: browsers recover, and so do we.
    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Handle {
        self.work.tree(1);
        Handle::node(Dom::DOCUMENT)
    }

    fn elem_name<'a>(&'a self, target: &'a Handle) -> ExpandedName<'a> {
        self.work.tree(1);
        let space = target
            .ns
            .expect("the tree builder asks names of elements only");
        ExpandedName {
            ns: space.namespace(),
            local: &target.local,
        }
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        self.work.tree(1);
        let ns = ns_of(&name);
        let mut tag_end = None;
        if ns == Ns::Html && is_located(&name.local) {
            let pending = self.pending.borrow();
            if let Some(p) = pending.as_ref().filter(|p| p.name == name.local) {
                tag_end = Some(p.end);
            }
        }
        let attrs = if ns == Ns::Html && attributes_are_read(&name.local) {
            // In the vector they came in (an attribute of ours is no larger than one of
            // html5ever's).
            attrs.into_iter().map(qualified).collect()
        } else {
            Vec::new()
        };
        let mut dom = self.dom.borrow_mut();
        let template_contents = flags.template.then(|| dom.create(NodeKind::Other));
        let extra = Extra {
            attrs,
            start: None,
            tag_end,
            template_contents,
            position: None,
            long_name: None,
        };
        let is_carrier = is_carrier_name(&name.local);
        let id = dom.create_element(ns, name.local.clone(), extra);
        if let Some(contents) = template_contents {
            self.hosts.borrow_mut().insert(contents, id);
        }
        if ns == Ns::Html && is_carrier && tag_end.is_some() {
            self.locate_carrier(&mut dom, id);
        }
        Handle {
            id: index32(id),
            ns: Some(Space::of(ns)),
            annotation_xml_integration_point: flags.mathml_annotation_xml_integration_point,
            local: name.local,
        }
    }

    fn create_comment(&self, _text: StrTendril) -> Handle {
        self.work.tree(1);
        self.other_node()
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Handle {
        self.work.tree(1);
        self.other_node()
    }

    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        self.work.tree(1);
        match child {
            NodeOrText::AppendNode(node) => {
                let mut dom = self.dom.borrow_mut();
                if node.ns.is_some() {
                    self.check_depth(&dom, parent.id());
                }
                dom.append(parent.id(), node.id());
            }
            // Text is kept only in carriers (`Dom::keeps_text_in`), which the handle names:
            // most of a page's text goes no further.
            NodeOrText::AppendText(text) => {
                if parent.is_carrier() {
                    self.dom.borrow_mut().append_text(parent.id(), &text);
                }
            }
        }
    }

    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        prev_element: &Handle,
        child: NodeOrText<Handle>,
    ) {
        self.work.tree(1);
        let has_parent = self.dom.borrow().parent(element.id()).is_some();
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {
        self.work.tree(1);
        let node = self.other_node();
        self.dom.borrow_mut().append(Dom::DOCUMENT, node.id());
    }

    fn get_template_contents(&self, target: &Handle) -> Handle {
        self.work.tree(1);
        let dom = self.dom.borrow();
        let id = dom
            .element(target.id())
            .and_then(ElementRef::template_contents)
            .expect("the tree builder asks for the contents of templates only");
        Handle::node(id)
    }

    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        self.work.tree(1);
        x.id() == y.id()
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Handle, new_node: NodeOrText<Handle>) {
        self.work.tree(1);
        let mut dom = self.dom.borrow_mut();
        match new_node {
            NodeOrText::AppendNode(node) => {
                if node.ns.is_some()
                    && let Some(parent) = dom.parent(sibling.id())
                {
                    self.check_depth(&dom, parent);
                }
                dom.insert_before(sibling.id(), node.id());
            }
            NodeOrText::AppendText(text) => dom.insert_text_before(sibling.id(), &text),
        }
    }

    fn add_attrs_if_missing(&self, target: &Handle, attrs: Vec<Attribute>) {
        self.work.tree(1);
        let mut dom = self.dom.borrow_mut();
        let id = target.id();
        if dom
            .element(id)
            .is_some_and(|e| e.ns == Ns::Html && attributes_are_read(&e.name))
        {
            for attr in attrs {
                let attr = qualified(attr);
                if dom.element(id).is_some_and(|e| {
                    e.attrs()
                        .iter()
                        .all(|kept| kept.name.as_str() != attr.name.as_str())
                }) {
                    dom.push_attr(id, attr);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &Handle) {
        self.work.tree(1);
        self.dom.borrow_mut().detach(target.id());
    }

    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        let moved = self
            .dom
            .borrow_mut()
            .reparent_children(node.id(), new_parent.id());
        self.work.tree(1 + moved);
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &Handle) -> bool {
        self.work.tree(1);
        handle.annotation_xml_integration_point
    }
}

impl Sink<'_> {
    fn other_node(&self) -> Handle {
        Handle::node(self.dom.borrow_mut().create(NodeKind::Other))
    }
}

/// An attribute named as the DOM exposes it: `xlink:href` for a namespaced foreign one.
fn qualified(attr: Attribute) -> Attr {
    let name = match &attr.name.prefix {
        Some(prefix) => LocalName::from(format!("{prefix}:{}", attr.name.local)),
        None => attr.name.local,
    };
    crate::element::attr(name, attr.value)
}

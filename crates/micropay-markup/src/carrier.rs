//! P-1: where per-fee-links live. Walks the tree a browser builds and finds the `object` and
//! `applet` elements whose direct `param` children name a core field, the field params that are
//! not direct children of a carrier, and the document's `base`.

use html5ever::local_name;

use crate::dom::{Dom, NodeId, NodeKind, Ns};
use crate::field::{self, Name};
use crate::html::locate;
use crate::link::Carrier;
use crate::position::LineIndex;
use crate::{Code, Diagnostic, Position};

/// The tree with what is needed to turn nodes into positions.
pub(crate) struct Tree<'a> {
    pub(crate) dom: &'a Dom,
    pub(crate) text: &'a str,
    pub(crate) lines: &'a LineIndex,
}

impl Tree<'_> {
    /// Where the start tag of element `id` begins; when it cannot be found (hostile input),
    /// where it ends; else the start of the document.
    pub(crate) fn position(&self, id: NodeId) -> Position {
        let Some(element) = self.dom.element(id) else {
            return Position::START;
        };
        let offset = locate::start_of(self.text, element).or(element.tag_end().map(|e| e - 1));
        offset.map_or(Position::START, |o| self.lines.position(self.text, o))
    }
}

/// One `param` of a carrier: name as written, value trimmed of ASCII whitespace (P-2), both
/// borrowed from the tree.
pub(crate) struct Param<'d> {
    pub(crate) id: NodeId,
    pub(crate) name: &'d str,
    pub(crate) value: &'d str,
}

/// An element that carries a per-fee-link.
pub(crate) struct Found<'d> {
    pub(crate) id: NodeId,
    pub(crate) carrier: Carrier,
    pub(crate) params: Vec<Param<'d>>,
    /// P-1.3: inside another per-fee-link's fallback.
    pub(crate) nested: bool,
}

/// Everything P-1 finds in a document.
pub(crate) struct Carriers<'d> {
    pub(crate) links: Vec<Found<'d>>,
    pub(crate) misplaced: Vec<Diagnostic>,
    /// The `href` of the first `base` element with one, in tree order.
    pub(crate) base_href: Option<String>,
}

/// P-2: leading and trailing ASCII whitespace is trimmed from every value.
pub(crate) fn trim_ascii(value: &str) -> &str {
    value.trim_matches(|c: char| matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' '))
}

/// The kind of carrier element `id` is, if it is one.
pub(crate) fn carrier_kind(dom: &Dom, id: NodeId) -> Option<Carrier> {
    let element = dom.element(id)?;
    // P-1.1 / P-1.6: HTML-namespace elements only; an `object` inside SVG or MathML is not one.
    if element.ns != Ns::Html {
        return None;
    }
    match element.name {
        local_name!("object") => Some(Carrier::Object),
        local_name!("applet") => Some(Carrier::Applet),
        _ => None,
    }
}

/// The direct `param` children of `id` (P-1.2: only those count).
fn direct_params(dom: &Dom, id: NodeId) -> Vec<Param<'_>> {
    // Room for a usual per-fee-link's params without growing.
    let mut params = Vec::with_capacity(8);
    params.extend(dom.children(id).filter_map(|child| {
        let element = dom.element(child)?;
        if !element.is_html(&local_name!("param")) {
            return None;
        }
        // A param without a name gives no field.
        let name = element.attr(&local_name!("name"))?;
        Some(Param {
            id: child,
            name,
            // P-1.1: absent value = empty string.
            value: trim_ascii(element.attr(&local_name!("value")).unwrap_or("")),
        })
    }));
    params
}

/// P-1: walks the tree once, in tree order.
pub(crate) fn find<'d>(tree: &Tree<'d>) -> Carriers<'d> {
    let dom = tree.dom;
    let mut links = Vec::new();
    let mut misplaced = Vec::new();
    let mut base_href = None;
    // Only the elements acted on below and their ancestors are walked: a page's other
    // subtrees (navigation, stories without a carrier ...) are skipped whole, and the
    // order of what is visited is still tree order.
    let kept = dom.mark_with_ancestors(|element| {
        element.ns == Ns::Html
            && matches!(
                element.name,
                local_name!("object")
                    | local_name!("applet")
                    | local_name!("param")
                    | local_name!("base")
            )
    });
    for id in dom.descendants_kept(Dom::DOCUMENT, &kept) {
        let NodeKind::Element(element) = &dom.node(id).kind else {
            continue;
        };
        if let Some(carrier) = carrier_kind(dom, id) {
            let params = direct_params(dom, id);
            // P-1.1: a core field among the direct params makes it a per-fee-link; other field
            // names alone do not (ordinary plug-ins carry `title`, `type` ...).
            if params
                .iter()
                .any(|p| field::recognise(p.name).is_some_and(Name::is_core))
            {
                links.push(Found {
                    id,
                    carrier,
                    params,
                    nested: false,
                });
            }
        } else if element.is_html(&local_name!("param")) {
            let in_carrier = dom
                .parent(id)
                .is_some_and(|p| carrier_kind(dom, p).is_some());
            let recognised = element
                .attr(&local_name!("name"))
                .and_then(field::recognise);
            // P-1.2: a field param outside a carrier is ignored and reported.
            if let (false, Some(name)) = (in_carrier, recognised) {
                misplaced.push(
                    Diagnostic::new(
                        Code::MisplacedParam,
                        tree.position(id),
                        format!(
                            "param `{}` is not a direct child of an object or applet, so no wallet sees it",
                            element.attr(&local_name!("name")).unwrap_or_default()
                        ),
                    )
                    .for_field(name.field().name())
                    .with_hint("move the param directly inside the <object> of its per-fee-link"),
                );
            }
        } else if base_href.is_none() && element.is_html(&local_name!("base")) {
            base_href = element.attr(&local_name!("href")).map(str::to_owned);
        }
    }
    // P-1.3: a per-fee-link inside another's fallback is extracted and reported.
    // One flag per node: a lookup per ancestor, not a search among all carriers.
    let mut is_carrier = vec![false; dom.len()];
    for link in &links {
        is_carrier[link.id] = true;
    }
    for link in &mut links {
        let mut at = dom.parent(link.id);
        while let Some(ancestor) = at {
            if is_carrier[ancestor] {
                link.nested = true;
                break;
            }
            at = dom.parent(ancestor);
        }
    }
    Carriers {
        links,
        misplaced,
        base_href,
    }
}

/// P-1.4: the object's content other than its params is its fallback. Returns whether there is
/// any (an element, or text other than whitespace) and the first `a[href]` in it.
pub(crate) fn fallback(dom: &Dom, id: NodeId) -> (bool, Option<(NodeId, &str)>) {
    let has_content = dom.children(id).any(|child| match &dom.node(child).kind {
        NodeKind::Element(e) => !e.is_html(&local_name!("param")),
        NodeKind::Text { visible } => *visible,
        _ => false,
    });
    let first_link = dom.descendants(id).find_map(|d| {
        let element = dom.element(d)?;
        if element.is_html(&local_name!("a")) {
            element.attr(&local_name!("href")).map(|href| (d, href))
        } else {
            None
        }
    });
    (has_content, first_link)
}

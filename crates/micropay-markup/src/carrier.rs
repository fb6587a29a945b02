//! P-1: where per-fee-links live. Walks the tree a browser builds and finds the `object` and
//! `applet` elements whose direct `param` children name a core field, the field params that are
//! not direct children of a carrier, and the document's `base`.

use html5ever::local_name;

use crate::dom::{Dom, NodeId, NodeKind, Ns};
use crate::field::{self, Name};
use crate::html::locate;
use crate::link::Carrier;
use crate::position::LineIndex;
use crate::position::Span;
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
        if let Some(position) = element.position() {
            return position;
        }
        let offset = locate::start_of(self.text, element).or(element.tag_end().map(|e| e - 1));
        offset.map_or(Position::START, |o| self.lines.position(self.text, o))
    }

    /// Where the `value` attribute of param `id` is written, without the ASCII white space
    /// that P-2 trims from it; `None` when its start tag cannot be found (hostile input) or it
    /// has no written value. An HTML tag is found as [`Tree::position`] finds it, then read
    /// again (`html::attr_span`); an XHTML one starts where the reader saw it.
    pub(crate) fn value_span(&self, id: NodeId) -> Option<Span> {
        let element = self.dom.element(id)?;
        let range = match element.tag_end() {
            Some(end) => {
                let start = locate::start_of(self.text, element)?;
                let tag = self.text.get(start..end)?;
                let range = crate::html::attr_span::value_range(tag, "value")?;
                start + range.start..start + range.end
            }
            None => crate::xhtml::value_range(self.text, element.start()?, "value")?,
        };
        let written = self.text.get(range.clone())?;
        let trimmed = trim_ascii(written);
        // The trimmed value is what is written less the white space at its two ends.
        let leading = written.len() - written.trim_start_matches(is_trimmed).len();
        let from = range.start + leading;
        Some(self.lines.span(self.text, from..from + trimmed.len()))
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
    /// P-1.4: the first `a[href]` among its descendants, with its `href`.
    pub(crate) first_link: Option<(NodeId, &'d str)>,
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
    value.trim_matches(is_trimmed)
}

/// The ASCII white space of P-2.
fn is_trimmed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ')
}

/// The kind of carrier element `id` is, if it is one.
pub(crate) fn carrier_kind(dom: &Dom, id: NodeId) -> Option<Carrier> {
    dom.element(id)?.carrier()
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
        let Some(element) = dom.element(id) else {
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
                    first_link: None,
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
    let mut is_link = vec![false; dom.len()];
    for link in &links {
        is_link[link.id] = true;
    }
    for link in &mut links {
        let mut at = dom.parent(link.id);
        while let Some(ancestor) = at {
            if is_link[ancestor] {
                link.nested = true;
                break;
            }
            at = dom.parent(ancestor);
        }
    }
    find_first_links(dom, &mut links, &is_link);
    Carriers {
        links,
        misplaced,
        base_href,
    }
}

/// P-1.4: sets each link's first `a[href]` among its descendants. `links` are in tree order,
/// so a carrier inside another comes after it: answered from the last to the first, an inner
/// carrier has its answer when the outer one's walk reaches it, and that walk takes the answer
/// or, when there is none, skips the inner carrier's subtree. However deeply carriers nest,
/// each node is walked once. `is_link` flags the nodes of `links`.
fn find_first_links<'d>(dom: &'d Dom, links: &mut [Found<'d>], is_link: &[bool]) {
    // Where each nested link is in `links`, by node; without nesting, no walk meets a link.
    let mut nested: Vec<(NodeId, usize)> = (links.iter().enumerate())
        .filter(|(_, link)| link.nested)
        .map(|(index, link)| (link.id, index))
        .collect();
    nested.sort_unstable();
    for index in (0..links.len()).rev() {
        let mut walk = dom.descendants(links[index].id);
        let mut first = None;
        while let Some(d) = walk.next() {
            // A link met inside another is nested (P-1.3), so it is in `nested`.
            let inner = is_link[d]
                .then(|| nested.binary_search_by_key(&d, |&(id, _)| id).ok())
                .flatten();
            if let Some(at) = inner {
                // An object or applet is not an `a`; its subtree is what it answered for.
                first = links[nested[at].1].first_link;
                if first.is_some() {
                    break;
                }
                walk.skip_descendants_of(d);
            } else if let Some(element) = dom.element(d)
                && element.is_html(&local_name!("a"))
                && let Some(href) = element.attr(&local_name!("href"))
            {
                first = Some((d, href));
                break;
            }
        }
        links[index].first_link = first;
    }
}

/// P-1.4: the object's content other than its params is its fallback: whether there is any
/// (an element, or text other than whitespace). Its first `a[href]` is [`Found::first_link`].
pub(crate) fn has_fallback(dom: &Dom, id: NodeId) -> bool {
    dom.children(id).any(|child| match &dom.node(child).kind {
        NodeKind::Element(e) => !e.is_html(&local_name!("param")),
        NodeKind::Text { visible } => *visible,
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Each link's first `a[href]` by its own walk of all its descendants.
    fn walked_apart(dom: &Dom, id: NodeId) -> Option<(NodeId, &str)> {
        dom.descendants(id).find_map(|d| {
            let element = dom.element(d)?;
            if element.is_html(&local_name!("a")) {
                element.attr(&local_name!("href")).map(|href| (d, href))
            } else {
                None
            }
        })
    }

    fn assert_first_links_as_walked_apart(text: &str) -> usize {
        let dom = crate::html::tree(text);
        let lines = LineIndex::new();
        let found = find(&Tree {
            dom: &dom,
            text,
            lines: &lines,
        });
        for link in &found.links {
            assert_eq!(link.first_link, walked_apart(&dom, link.id), "{text}");
        }
        found.links.len()
    }

    #[test]
    fn nested_links_take_the_first_link_of_their_whole_subtree() {
        let object = "<object><param name=price value=1EUR>";
        // The outer link's first `a[href]` is inside the inner one; the inner one of the
        // second pair has none, and the outer one's is after it.
        let text = format!(
            "{object}{object}<a>x</a><a href=in>i</a></object></object>\
             {object}<p>{object}<a name=n>n</a></object></p><a href=after>a</a></object>"
        );
        assert_eq!(assert_first_links_as_walked_apart(&text), 4);
    }

    #[test]
    fn deeply_nested_links_are_all_answered() {
        // Without the answers of the inner links, each of these 5,000 walks would visit
        // every link inside it.
        let depth = 5_000;
        let text = "<object><param name=price value=1EUR>".repeat(depth) + "<a href=x>";
        let dom = crate::html::parse_within(&text, crate::html::Limits::NONE).expect("no limits");
        let lines = LineIndex::new();
        let found = find(&Tree {
            dom: &dom,
            text: &text,
            lines: &lines,
        });
        assert_eq!(found.links.len(), depth);
        let innermost_a = found.links[depth - 1].first_link.map(|(a, _)| a);
        assert!(innermost_a.is_some());
        assert!(
            found
                .links
                .iter()
                .all(|l| l.first_link.map(|(a, _)| a) == innermost_a)
        );
    }

    fn piece() -> impl Strategy<Value = &'static str> {
        prop_oneof![
            Just("<object><param name=price value=1EUR>"),
            Just("<applet code=c><param name=price value=1EUR>"),
            Just("<object>"),
            Just("</object>"),
            Just("</applet>"),
            Just("<a href=x>"),
            Just("<a href=y>"),
            Just("<a>"),
            Just("</a>"),
            Just("<p>"),
            Just("</p>"),
            Just("<table>"),
            Just("text"),
        ]
    }

    proptest! {
        #[test]
        fn first_links_are_those_of_a_walk_per_link(
            pieces in prop::collection::vec(piece(), 0..40)
        ) {
            assert_first_links_as_walked_apart(&pieces.concat());
        }
    }
}

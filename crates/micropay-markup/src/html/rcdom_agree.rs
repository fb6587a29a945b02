//! Tests only: the arena tree against html5ever's standard tree (markup5ever_rcdom) built from
//! the same text. The arena keeps every element where the standard tree has it, and keeps
//! text only directly inside carriers (`Dom::keeps_text_in`); what P-1.4 reads of a carrier's
//! children must come out the same as from the full tree, whatever the tree builder moved.

use html5ever::tendril::TendrilSink;
use html5ever::tree_builder::TreeBuilderOpts;
use html5ever::{ParseOpts, parse_document};
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use proptest::prelude::*;

use super::pieces_agree::html_piece;
use crate::carrier;
use crate::dom::{Dom, NodeKind, Ns, is_visible};

/// Every element in tree order, with whether it has a direct child text that is not ASCII
/// white space when it is a carrier (`None` for other elements).
type Summary = Vec<(Ns, String, Option<bool>)>;

fn standard(text: &str) -> Summary {
    let opts = ParseOpts {
        tree_builder: TreeBuilderOpts {
            scripting_enabled: true,
            ..TreeBuilderOpts::default()
        },
        ..ParseOpts::default()
    };
    let dom = parse_document(RcDom::default(), opts).one(text);
    let mut out = Vec::new();
    walk(&dom.document, &mut out);
    out
}

fn walk(node: &Handle, out: &mut Summary) {
    for child in node.children.borrow().iter() {
        if let NodeData::Element { name, .. } = &child.data {
            let is_carrier = name.ns == html5ever::ns!(html)
                && matches!(
                    name.local,
                    html5ever::local_name!("object") | html5ever::local_name!("applet")
                );
            let text = is_carrier.then(|| {
                child.children.borrow().iter().any(|c| match &c.data {
                    NodeData::Text { contents } => is_visible(&contents.borrow()),
                    _ => false,
                })
            });
            out.push((super::sink::ns_of(name), name.local.to_string(), text));
            walk(child, out);
        }
    }
}

fn arena(text: &str) -> Summary {
    let dom = super::tree(text);
    dom.descendants(Dom::DOCUMENT)
        .filter_map(|id| {
            let element = dom.element(id)?;
            let text = carrier::carrier_kind(&dom, id).map(|_| {
                dom.children(id)
                    .any(|c| matches!(dom.node(c).kind, NodeKind::Text { visible: true }))
            });
            Some((element.ns, element.name_str().to_owned(), text))
        })
        .collect()
}

fn assert_agree(text: &str) {
    assert_eq!(arena(text), standard(text), "{text:?}");
}

#[test]
fn moved_and_foster_parented_text_is_read_as_in_the_full_tree() {
    for text in [
        // The adoption agency with a carrier as the furthest block: its text moves into a
        // new `b`, out of the carrier.
        "<b><object>fallback<p>x</b>after</object>",
        "<b><object><param name=price value=1>text</b></object>",
        "<a href=x><object>t<div>u</a>v</object>",
        // Foster parenting: text before a table inside a carrier stays the carrier's.
        "<object><table>text<tr><td>x</table></object>",
        "<table><object>t</object>x</table>",
        "<object> \n <param name=price value=1> </object>",
        "<applet code=c>fallback</applet><svg><object>t</object></svg>",
        "<object><template>t</template></object>",
        // Attributes the tree builder reads: kept for it, whatever extraction reads.
        "<table><input type=hidden><object>t</object></table>",
        "<table><input type=text><object>t</object></table>",
        "<svg><font color=red><object>t</object></font></svg>",
        "<svg><font><object>t</object></font></svg>",
        "<math><annotation-xml encoding=text/html><object>t</object></annotation-xml></math>",
        "<math><annotation-xml><object>t</object></annotation-xml></math>",
        "<div><template shadowrootmode=open><object>t</object></template></div>",
    ] {
        assert_agree(text);
    }
}

fn text_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => html_piece(),
        1 => prop_oneof![
            Just("text".to_owned()),
            Just("  ".to_owned()),
            Just("<i>".to_owned()),
            Just("</b>".to_owned()),
            Just("</i>".to_owned()),
            Just("<p>".to_owned()),
            Just("<div>".to_owned()),
            Just("</table>".to_owned()),
            Just("<caption>".to_owned()),
            // Start tags whose attributes change the tree (the driver must keep them).
            Just("<input type=hidden>".to_owned()),
            Just("<INPUT TYPE=HIDDEN>".to_owned()),
            Just("<input type=text>".to_owned()),
            Just("<template shadowrootmode=open>".to_owned()),
            Just("</template>".to_owned()),
            Just("<font color=red>".to_owned()),
            Just("<font>".to_owned()),
            Just("<math><annotation-xml encoding=text/html>".to_owned()),
            Just("<math><annotation-xml>".to_owned()),
        ],
    ]
}

proptest! {
    #[test]
    fn any_input_gives_the_elements_and_carrier_text_of_the_full_tree(
        pieces in prop::collection::vec(text_piece(), 0..40)
    ) {
        assert_agree(&pieces.concat());
    }
}

use super::*;

fn element(dom: &mut Dom, name: &str) -> NodeId {
    dom.create_element(Ns::Html, LocalName::from(name), Extra::default())
}

#[test]
fn tree_operations_keep_sibling_links_consistent() {
    let mut dom = Dom::default();
    let a = element(&mut dom, "a");
    let b = element(&mut dom, "object");
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
        dom.node(dom.node(b).first_child().unwrap()).kind,
        NodeKind::Text { visible: false }
    ));
    dom.append_text(b, "y");
    assert!(matches!(
        dom.node(dom.node(b).first_child().unwrap()).kind,
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
fn text_is_kept_only_directly_inside_carriers() {
    let mut dom = Dom::default();
    let div = element(&mut dom, "div");
    let object = element(&mut dom, "object");
    let applet = element(&mut dom, "applet");
    let svg_object = dom.create_element(Ns::Svg, LocalName::from("object"), Extra::default());
    for id in [div, object, applet, svg_object] {
        dom.append(Dom::DOCUMENT, id);
    }
    for id in [div, object, svg_object] {
        dom.append_text(id, "text");
    }
    // Foster-parented text lands before a table, in the table's parent.
    for id in [div, applet] {
        let table = element(&mut dom, "table");
        dom.append(id, table);
        dom.insert_text_before(table, "text");
    }
    let texts = |id| {
        dom.children(id)
            .filter(|&c| matches!(dom.node(c).kind, NodeKind::Text { visible: true }))
            .count()
    };
    assert_eq!((texts(object), texts(applet)), (1, 1));
    assert_eq!(texts(div), 0);
    assert_eq!(texts(svg_object), 0, "P-1.6: not a carrier");
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

/// A tree grown by random appends, insertions, removals and moves, as the tree builder's
/// adoption agency and foster parenting make them.
fn grown(ops: &[(u8, usize, usize)]) -> Dom {
    const NAMES: [&str; 5] = ["object", "param", "div", "base", "b"];
    let mut dom = Dom::default();
    for &(op, a, b) in ops {
        let target = a % dom.len();
        match op % 4 {
            0 => {
                let new = element(&mut dom, NAMES[b % NAMES.len()]);
                dom.append(target, new);
            }
            1 if target != Dom::DOCUMENT => {
                let new = element(&mut dom, NAMES[b % NAMES.len()]);
                dom.insert_before(target, new);
            }
            2 if target != Dom::DOCUMENT => dom.detach(target),
            3 => {
                // Moves a detached subtree under `target`, unless that would make a cycle.
                let moved = b % dom.len();
                let mut at = Some(target);
                let inside = std::iter::from_fn(|| {
                    let node = at?;
                    at = dom.parent(node);
                    Some(node)
                })
                .any(|n| n == moved);
                if moved != Dom::DOCUMENT && dom.parent(moved).is_none() && !inside {
                    dom.append(target, moved);
                }
            }
            _ => {}
        }
    }
    dom
}

proptest::proptest! {
    #[test]
    fn the_kept_walk_is_the_full_walk_filtered(
        ops in proptest::collection::vec((0u8..4, 0usize..64, 0usize..64), 0..80),
        root in 0usize..64,
    ) {
        let dom = grown(&ops);
        let root = root % dom.len();
        for wanted in [["object", "param"], ["base", "base"], ["div", "b"]] {
            let kept = dom.mark_with_ancestors(|e| wanted.contains(&&*e.name));
            let full: Vec<_> = dom.descendants(root).filter(|&n| kept[n]).collect();
            let pruned: Vec<_> = dom.descendants_kept(root, &kept).collect();
            proptest::prop_assert_eq!(&pruned, &full);
            // Every wanted element below the root is visited.
            let wanted_below = dom
                .descendants(root)
                .filter(|&n| dom.element(n).is_some_and(|e| wanted.contains(&&*e.name)))
                .count();
            let wanted_visited = pruned
                .iter()
                .filter(|&&n| dom.element(n).is_some_and(|e| wanted.contains(&&*e.name)))
                .count();
            proptest::prop_assert_eq!(wanted_visited, wanted_below);
        }
    }
}

//! Tests only: the tree and the tag ends do not depend on where the driver cuts the page into
//! pieces. Pieces of one byte, a few bytes, one tag and the whole page must give the same arena,
//! attributes and tag ends (`Dom::summary`); a tag end comes from what html5ever left in its
//! input queue, which is the part that moves with the cut.

use proptest::prelude::*;

use crate::work::Work;

fn assert_same(text: &str) {
    let read = |piece| {
        super::parse_in_pieces(text, piece, super::Limits::NONE, &mut Work::default())
            .expect("no limits")
            .summary()
    };
    let whole = read(text.len() + 1);
    // Pieces of every size: tags split across pieces, one piece per tag, the default.
    for piece in [1, 2, 7, 64, super::PIECE] {
        assert_eq!(read(piece), whole, "pieces of {piece}: {text:?}");
    }
}

#[test]
fn the_fixture_pages_give_the_same_tree_and_tag_ends() {
    for bytes in crate::fixture_pages::read_all() {
        assert_same(&crate::decode::decode_html(&bytes, None).text);
    }
}

#[test]
fn character_references_and_odd_tags_next_to_the_end() {
    for text in [
        "<a href=x&amp>",
        "<a href=x&amp",
        "<a title=&notit>t</a><param name=&ampx>",
        "<object data='&#x3e;'><param value=&#62>&#x",
        "<a href=\"x>y\" title='<a b>'>z</a><!-- <a> --><param name=p value=1 /",
        "<script>if (a<b) { x = '<param>'; }</script><param name=price>",
        "<title><a href=x></title><textarea><param></textarea><a\u{0}>",
        "<!DOCTYPE html><svg><a href=x><object></svg><math><param></math>",
        "<table><a href=x><tr><object><param name=textlink value=t></table>",
        "<object>\r\n<param\r\nname=price\rvalue=1>\r\n</object",
        // Named character references, where they are read and where they are not.
        "<object data='/a?b=1&amp;c=2'><param name=price value=\"0.10&nbsp;USD&middot;\">&copy;",
        "<script>a &amp;&amp; b</script><!-- &amp; --><style>&mdash;</style><title>&amp;</title>",
        "<textarea>&amp;</textarea><pre>\n&amp;</pre><svg><![CDATA[&amp;]]></svg><object>&amp;",
        // A `&` in a tag or attribute name.
        "<x&amp;>a</x&#38;><object>t</object>",
        "<b&amp;><object>t</b&#38;></object>",
        "<param &amp;=1 &#38;=2 name=price value=1>",
        "<object a&middot;b=1>",
        // The quirks mode, decided by the DOCTYPE, decides whether `table` closes `p`.
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN&amp;\"><p><table><object>",
        "<!DOCTYPE html&amp;><p><table><object>",
    ] {
        assert_same(text);
    }
}

/// Pieces of markup that exercise the tree builder; shared with `rcdom_agree`.
pub(super) fn html_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<object type=x>".to_owned()),
        Just("<OBJECT>".to_owned()),
        Just("</object>".to_owned()),
        Just("<applet code=c>".to_owned()),
        Just("<param name=price value=\"1USD\">".to_owned()),
        Just("<PARAM NAME=textlink VALUE='a>b'>".to_owned()),
        Just("<a href=\"x\">".to_owned()),
        Just("</a>".to_owned()),
        Just("<b>".to_owned()),
        Just("<table><tr><td>".to_owned()),
        Just("<script>".to_owned()),
        Just("</script>".to_owned()),
        Just("<!--".to_owned()),
        Just("-->".to_owned()),
        Just("&amp".to_owned()),
        Just("&#x3e;".to_owned()),
        Just("&not".to_owned()),
        Just("&amp;".to_owned()),
        Just("&middot;".to_owned()),
        Just("&lt;".to_owned()),
        Just("<x&amp;>".to_owned()),
        Just("</x&#38;>".to_owned()),
        Just("<p a&amp;=1>".to_owned()),
        Just("<svg>".to_owned()),
        Just("<template>".to_owned()),
        Just("\r\n".to_owned()),
        "[<>a-z &;=\"'/!#\n-]{0,12}",
    ]
}

proptest! {
    #[test]
    fn any_input_gives_the_same_tree_and_tag_ends(pieces in prop::collection::vec(html_piece(), 0..40)) {
        assert_same(&pieces.concat());
    }
}

//! P-8: checks that need more than one link, or the text around a price.

use foldhash::fast::RandomState;

use crate::build::Built;
use crate::carrier::Tree;
use crate::field::Field;
use crate::value::displayed;
use crate::{Code, Diagnostic, Finding};

/// Runs the whole-document checks over the links in tree order.
pub(crate) fn whole_document(tree: &Tree<'_>, built: &[Built]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // P-8: the same resolved requesturl offered at two different prices.
    // foldhash instead of SipHash: seeded at random like the standard library's, so a page
    // cannot pick colliding URLs in advance, and cheaper on long keys (a long page's URLs).
    let mut first_offer: foldhash::HashMap<&url::Url, &Built> =
        foldhash::HashMap::with_capacity_and_hasher(built.len(), RandomState::default());
    for b in built {
        let (Some(url), Some(price)) =
            (b.link.requesturl().and_then(|u| u.as_url()), b.link.price())
        else {
            continue;
        };
        match first_offer.get(url) {
            None => {
                first_offer.insert(url, b);
            }
            Some(earlier) if earlier.link.price() != Some(price) => {
                let earlier_price = earlier.link.price().expect("only priced links are kept");
                let at = b
                    .sources
                    .get(&Field::Price)
                    .expect("a parsed price has a param");
                out.push(
                    Finding::new(
                        Code::ConflictingOffers,
                        format!(
                            "`{url}` is offered for {price} here and for {earlier_price} by the link on line {}",
                            earlier.link.position().line
                        ),
                    )
                    .at(tree.position(*at))
                    .with_value_span(tree.value_span(*at))
                    .for_link(b.link.index())
                    .for_field(Field::Price.name()),
                );
            }
            Some(_) => {}
        }
    }
    // P-8: the text shown to the user names another amount than the one charged.
    for b in built {
        let Some(price) = b.link.price() else {
            continue;
        };
        for (field, text) in [
            (Field::Textlink, b.link.textlink()),
            (Field::Title, b.link.title()),
        ] {
            let (Some(text), Some(at)) = (text, b.sources.get(&field)) else {
                continue;
            };
            if let Some(finding) = displayed::displayed_price_mismatch(text, price) {
                out.push(
                    finding
                        .at(tree.position(*at))
                        .with_value_span(tree.value_span(*at))
                        .for_link(b.link.index())
                        .for_field(field.name()),
                );
            }
        }
    }
    out
}

//! What more than one fuzz target checks.

use micropay_markup::{Document, Extractor};

/// `extract_owned` on a copy of `data` gives `doc`, what `extract` gave on `data`.
pub fn assert_owned_gives(doc: &Document, extractor: &Extractor, data: &[u8]) {
    let owned = extractor
        .extract_owned(data.to_vec())
        .expect("the same bytes extract when handed over");
    assert_eq!(doc.text(), owned.text());
    assert_eq!(
        serde_json::to_value(doc).expect("serialises"),
        serde_json::to_value(&owned).expect("serialises")
    );
}

//! Property: whatever surrounds them, every per-fee-link and every param is reported at the
//! line and column of its own `<`, counted in characters.

use micropay_markup::{Code, Extractor, Url};
use proptest::prelude::*;

/// Text with multibyte characters, tabs, every kind of line break and comments: what may stand
/// between an object's params without changing the tree.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[a-z é€😀\t]{0,12}",
            Just("\n".to_owned()),
            Just("\r\n".to_owned()),
            Just("\r".to_owned()),
            Just("<!-- <object> -->".to_owned()),
        ],
        0..6,
    )
    .prop_map(|parts| parts.concat())
}

/// What may stand between links: text and harmless elements, some with lookalike attributes.
fn filler() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            text(),
            Just("<p>".to_owned()),
            Just("<b>x</b>".to_owned()),
            Just("<span title='<object>'>".to_owned()),
            Just("<div data-x=\"<param name=price>\">".to_owned()),
        ],
        0..4,
    )
    .prop_map(|parts| parts.concat())
}

/// (line, column) of byte `offset`, the way a reader counts.
fn position(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let mut line = 1;
    let mut column = 1;
    let mut chars = before.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => {
                line += 1;
                column = 1;
            }
            _ => column += 1,
        }
    }
    (line, column)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn links_and_params_are_located_at_their_own_start_tag(
        fillers in prop::collection::vec((filler(), text()), 1..5),
        upper in any::<bool>(),
    ) {
        let mut page = String::from("<meta charset=utf-8>");
        let mut objects = Vec::new();
        let mut bad_params = Vec::new();
        for (between, inside) in &fillers {
            page.push_str(between);
            objects.push(page.len());
            page.push_str(if upper { "<OBJECT>" } else { "<object>" });
            page.push_str(inside);
            page.push_str("<param name=textlink value=x>");
            page.push_str(inside);
            bad_params.push(page.len());
            page.push_str("<param name=price value=' 1 USD'>");
            page.push_str("</object>");
        }
        let doc = Extractor::new()
            .document_url(Url::parse("https://m.example/").unwrap())
            .extract(page.as_bytes())
            .unwrap();
        let got: Vec<_> = doc.links().iter().map(|l| (l.position().line, l.position().column)).collect();
        let want: Vec<_> = objects.iter().map(|&o| position(&page, o)).collect();
        prop_assert_eq!(got, want);
        let got: Vec<_> = doc
            .diagnostics()
            .iter()
            .filter(|d| d.code() == Code::InvalidPrice)
            .map(|d| (d.line(), d.column()))
            .collect();
        let want: Vec<_> = bad_params.iter().map(|&o| position(&page, o)).collect();
        prop_assert_eq!(got, want);
        // The value is pointed at: from its first character (past the white space P-2
        // trims) to just past its last.
        let got: Vec<_> = doc
            .diagnostics()
            .iter()
            .filter(|d| d.code() == Code::InvalidPrice)
            .map(|d| d.value_span().map(|s| (s.line, s.column, s.end_line, s.end_column)))
            .collect();
        let want: Vec<_> = bad_params
            .iter()
            .map(|&o| {
                let (line, column) = position(&page, o + "<param name=price value=' ".len());
                Some((line, column, line, column + 5))
            })
            .collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn any_bytes_extract_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = micropay_markup::extract(&bytes, None);
    }

    #[test]
    fn markup_like_bytes_extract_without_panicking(
        parts in prop::collection::vec(
            prop_oneof![
                Just("<object>"), Just("</object>"), Just("<param name=price value="),
                Just("<table>"), Just("<svg>"), Just("<template>"), Just("<meta charset=utf-16>"),
                Just("'"), Just("\""), Just(">"), Just("&amp"), Just("\u{0}"), Just("<!--"),
            ],
            0..64,
        )
    ) {
        let page = parts.concat();
        let _ = micropay_markup::extract(page.as_bytes(), None);
    }
}

/// A value span as (line, column, end_line, end_column).
type Span = (u32, u32, u32, u32);

/// The code and value span of each diagnostic of `page`.
fn spans(extractor: &Extractor, page: &str) -> Vec<(Code, Option<Span>)> {
    extractor
        .extract(page.as_bytes())
        .unwrap()
        .diagnostics()
        .iter()
        .map(|d| {
            (
                d.code(),
                d.value_span()
                    .map(|s| (s.line, s.column, s.end_line, s.end_column)),
            )
        })
        .collect()
}

#[test]
fn diagnostics_about_values_point_at_the_value_and_the_others_at_the_element() {
    let page = "<object>\n  <param name=\"price\" value=\"0,05 EUR\">\n  <PARAM NAME=textlink VALUE=x>\n  <param name=buyurl value=\"\">\n  <param name=requestur value=y>\n</object>";
    let got = spans(&Extractor::new(), page);
    assert!(
        got.contains(&(Code::InvalidPrice, Some((2, 30, 2, 38)))),
        "{got:?}"
    );
    // About the element or the param's name: no value span.
    assert!(got.contains(&(Code::MissingRequiredField, None)), "{got:?}");
    assert!(got.contains(&(Code::AliasFieldName, None)), "{got:?}");
    assert!(got.contains(&(Code::UnknownField, None)), "{got:?}");
    // An empty value is pointed at where it would be written.
    assert!(
        got.contains(&(Code::EmptyField, Some((4, 29, 4, 29)))),
        "{got:?}"
    );
}

#[test]
fn xhtml_values_are_pointed_at_too() {
    let page = "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>\n<object><param name=\"price\"\n value = '1h' /><param name=\"duration\" value=\"1&amp;h\"/></object></body></html>";
    let got = spans(
        &Extractor::new().syntax(micropay_markup::Syntax::Xhtml),
        page,
    );
    assert!(
        got.contains(&(Code::InvalidPrice, Some((3, 11, 3, 13)))),
        "{got:?}"
    );
    assert!(
        got.contains(&(Code::InvalidDuration, Some((3, 47, 3, 54)))),
        "{got:?}"
    );
}

#[test]
fn a_value_on_a_long_hostile_line_is_found_or_left_out() {
    // A plain long value is found; one full of lookalike tags makes the search for its tag
    // give up (bounded work), and the diagnostic keeps the element alone.
    let value = "x".repeat(200_000);
    let page = format!("<object><param name=price value=\"{value}\"></object>");
    let got = spans(&Extractor::new(), &page);
    let end = 34 + u32::try_from(value.len()).unwrap();
    assert!(
        got.contains(&(Code::InvalidPrice, Some((1, 34, 1, end)))),
        "{got:?}"
    );
    let value = "<param value=".repeat(20_000);
    let page = format!("<object><param name=price value=\"{value}\"></object>");
    let got = spans(&Extractor::new(), &page);
    assert!(got.contains(&(Code::InvalidPrice, None)), "{got:?}");
}

//! Respelling named character references before html5ever reads them (`html/respell.rs`)
//! never changes the tree extraction reads: every node, attribute, tag end and parent is the
//! one the page gives as written.
#![no_main]

use libfuzzer_sys::fuzz_target;
use micropay_markup::fuzz_support::html_trees_respelled_and_as_written;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (respelled, as_written) = html_trees_respelled_and_as_written(&text);
    assert_eq!(respelled, as_written, "{text:?}");
});

//! The paymentsystem grammar: never panics; a value that parses has a canonical form that parses back
//! to the same value and prints the same again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use micropay_markup::PaymentSystem;

fuzz_target!(|text: &str| {
    let Ok(value) = PaymentSystem::parse(text) else {
        return;
    };
    let canonical = value.to_string();
    let again = PaymentSystem::parse(&canonical)
        .unwrap_or_else(|e| panic!("canonical form {canonical:?} of {text:?} does not parse: {e}"));
    assert_eq!(again, value, "{text:?} -> {canonical:?}");
    assert_eq!(again.to_string(), canonical, "the canonical form is stable");
});

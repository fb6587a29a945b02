//! Write the markup of a link from its description, and read it back.
//!
//! `cargo run -p micropay-markup --example render_link -- [DESCRIPTION.json]`
//!
//! The description is JSON: the fields of the profile, with `paymentsystems` a list. Without a
//! file, a built-in one is used. The description is checked as it is read (a price in the
//! profile's syntax, absolute URLs), the markup printed, and the markup extracted again to
//! show that it gives the same link.

use micropay_markup::{LinkDescription, Severity, render};

const EXAMPLE: &str = r#"{
  "price": "0.25EUR",
  "textlink": "The long read",
  "requesturl": "https://news.example/long-read",
  "paymentsystems": ["https://ps.example/"],
  "title": "The long read, in full",
  "duration": "86400"
}"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let json = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(path)?,
        None => EXAMPLE.to_owned(),
    };
    let description: LinkDescription = serde_json::from_str(&json)?;
    let markup = render(&description);
    println!("{markup}");

    let doc = micropay_markup::extract(&markup, None)?;
    let link = &doc.links()[0];
    assert_eq!(doc.count(Severity::Error), 0);
    assert_eq!(LinkDescription::try_from(link)?, description);
    eprintln!(
        "read back: {} for {:?}",
        description.price(),
        description.textlink()
    );
    Ok(())
}

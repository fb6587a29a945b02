use super::*;

fn with(declarations: &[(&str, &str)]) -> Entities {
    let mut entities = Entities::default();
    entities.declare(
        Dtd::InternalOnly,
        declarations
            .iter()
            .map(|&(n, v)| (n.to_owned(), Entity::Internal(v.to_owned())))
            .collect(),
    );
    entities
}

fn content(entities: &mut Entities, body: &str) -> Result<String, Fault> {
    let mut out = String::new();
    entities.content_reference(body, 7, &mut out).map(|()| out)
}

#[test]
fn character_references() {
    assert_eq!(char_ref("#233"), Ok('\u{e9}'));
    assert_eq!(char_ref("#xE9"), Ok('\u{e9}'));
    assert_eq!(char_ref("#x1F600"), Ok('\u{1f600}'));
    for bad in [
        "#0",
        "#xD800",
        "#xZZ",
        "#x",
        "#",
        "#X41",
        "#x110000",
        "#99999999999",
        "#xFFFE",
        "#1",
    ] {
        assert!(char_ref(bad).is_err(), "{bad}");
    }
}

#[test]
fn predefined_and_declared() {
    let mut e = with(&[
        ("co", "ACME &amp; Sons"),
        ("year", "1999"),
        ("foot", "&co; &year;"),
    ]);
    assert_eq!(content(&mut e, "lt").unwrap(), "<");
    assert_eq!(content(&mut e, "co").unwrap(), "ACME & Sons");
    assert_eq!(content(&mut e, "foot").unwrap(), "ACME & Sons 1999");
}

#[test]
fn html_entities_get_a_precise_message() {
    let mut e = Entities::default();
    let fault = content(&mut e, "eacute").unwrap_err();
    assert_eq!(fault.at, 7);
    assert!(fault.message.contains("HTML entity"), "{}", fault.message);
    assert!(fault.message.contains("`&#233;`"), "{}", fault.message);
    e.declare(Dtd::External { xhtml: true }, Vec::new());
    let fault = content(&mut e, "nbsp").unwrap_err();
    assert!(
        fault.message.contains("external XHTML DTD"),
        "{}",
        fault.message
    );
    assert!(fault.message.contains("`&#160;`"), "{}", fault.message);
    let fault = content(&mut e, "nosuch").unwrap_err();
    assert!(fault.message.contains("not declared"), "{}", fault.message);
}

#[test]
fn recursion_and_markup_are_faults() {
    let mut e = with(&[("a", "x&b;"), ("b", "&a;"), ("m", "<b>bold</b>")]);
    assert!(
        content(&mut e, "a")
            .unwrap_err()
            .message
            .contains("refers to itself")
    );
    assert!(content(&mut e, "m").unwrap_err().message.contains("markup"));
    assert!(e.attribute_value("&m;", 0).is_err());
}

#[test]
fn exponential_entities_hit_the_budget() {
    let mut declarations = vec![("l0".to_owned(), Entity::Internal("lol".to_owned()))];
    for i in 1..40 {
        let value = format!("&l{};", i - 1).repeat(10);
        declarations.push((format!("l{i}"), Entity::Internal(value)));
    }
    let mut e = Entities::with_budget(1 << 16);
    e.declare(Dtd::InternalOnly, declarations);
    let fault = content(&mut e, "l39").unwrap_err();
    assert!(fault.message.contains("limit"), "{}", fault.message);
}

#[test]
fn attribute_values_are_normalised() {
    let mut e = with(&[("nl", "a\nb")]);
    assert_eq!(e.attribute_value("a\r\nb\tc\rd", 0).unwrap(), "a b c d");
    assert_eq!(e.attribute_value("x&#10;y", 0).unwrap(), "x\ny");
    assert_eq!(e.attribute_value("&nl;", 0).unwrap(), "a b");
    assert_eq!(
        e.attribute_value("Caf&#233; &amp; Co", 0).unwrap(),
        "Caf\u{e9} & Co"
    );
    assert_eq!(e.attribute_value("a<b", 10).unwrap_err().at, 11);
    assert_eq!(e.attribute_value("a & b", 10).unwrap_err().at, 12);
    assert_eq!(e.attribute_value("&#0;", 10).unwrap_err().at, 10);
}

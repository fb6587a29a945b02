//! P-2: the fields of a per-fee-link, their accepted aliases and requirement levels, and how a
//! `param` name is recognised (P-1.1: names compared ASCII case-insensitively).

use std::fmt;

/// How much a field is required (P-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Level {
    /// Absence is the error `missing-required-field`.
    Must,
    /// Absence is the warning `missing-recommended-field`.
    Should,
    /// Optional.
    May,
}

macro_rules! fields {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $level:ident, [$($alias:literal),*]; )*) => {
        /// A field of the profile, by its canonical name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Field {
            $( $(#[$doc])* $variant, )*
        }

        impl Field {
            /// Every field, in the canonical order (the order `render` writes them in).
            pub const ALL: &'static [Field] = &[ $( Field::$variant, )* ];

            /// The canonical (lower-case) name.
            pub fn name(self) -> &'static str {
                match self { $( Field::$variant => $name, )* }
            }

            /// The requirement level.
            pub fn level(self) -> Level {
                match self { $( Field::$variant => Level::$level, )* }
            }

            /// The accepted aliases (P-2), not counting the legacy `mpN.mpname` form.
            pub fn aliases(self) -> &'static [&'static str] {
                match self { $( Field::$variant => &[$($alias),*], )* }
            }
        }

        /// Every canonical name and alias with what it names, in the order of [`Field::ALL`].
        const NAMES: &[(&str, Name)] = &[
            $(
                ($name, Name::Canonical(Field::$variant)),
                $( ($alias, Name::Alias(Field::$variant, $alias)), )*
            )*
        ];
    };
}

fields! {
    /// P-3: amount and currency.
    Price = "price", Must, [];
    /// What is bought; also the text equivalent of imagelink.
    Textlink = "textlink", Must, [];
    /// What is fetched after paying.
    Requesturl = "requesturl", Must, [];
    /// P-5: an accepted payment system (repeatable).
    Paymentsystem = "paymentsystem", Must, [];
    /// A title for the link.
    Title = "title", Should, [];
    /// An image shown as the link.
    Imagelink = "imagelink", May, [];
    /// What is bought: the scope of a purchase.
    Buyid = "buyid", May, ["buyurl"];
    /// Absolute base for requesturl, buyid, imagelink and longdesc.
    Baseurl = "baseurl", May, ["mpbaseurl"];
    /// A long description.
    Longdesc = "longdesc", May, ["description"];
    /// The merchant's name.
    Merchantname = "merchantname", May, [];
    /// P-6: seconds of access after purchase.
    Duration = "duration", May, [];
    /// P-7: until when the offer stands.
    Expiration = "expiration", May, [];
    /// A frame name.
    Target = "target", May, [];
    /// The language of the bought resource.
    Hreflang = "hreflang", May, [];
    /// The MIME type of the bought resource.
    Type = "type", May, [];
    /// A keyboard shortcut.
    Accesskey = "accesskey", May, [];
    /// The encoding of the bought resource.
    Charset = "charset", May, [];
    /// Opaque extension data.
    Extdata = "extdata", May, [];
    /// Opaque extension data.
    Extdataparam = "extdataparam", May, [];
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a `param` name was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Name {
    /// The canonical name.
    Canonical(Field),
    /// An accepted alias (`alias-field-name`).
    Alias(Field, &'static str),
    /// The legacy numbered `mpN.mpname` form of paymentsystem (`legacy-paymentsystem-name`).
    LegacyPaymentsystem,
}

impl Name {
    pub(crate) fn field(self) -> Field {
        match self {
            Name::Canonical(f) | Name::Alias(f, _) => f,
            Name::LegacyPaymentsystem => Field::Paymentsystem,
        }
    }

    /// P-1.1: the core fields, the presence of one of which makes an object a per-fee-link.
    pub(crate) fn is_core(self) -> bool {
        matches!(
            self.field(),
            Field::Price | Field::Textlink | Field::Requesturl | Field::Paymentsystem
        )
    }
}

/// Recognises a `param` name, ASCII case-insensitively (P-1.1).
pub(crate) fn recognise(name: &str) -> Option<Name> {
    // One flat table. Names and aliases are distinct and lower-case (the test
    // `the_name_table_lists_every_name_and_alias_in_order`), so a name written exactly as one of
    // them matches only that one: that common case is found by plain comparison, and only the
    // rest are compared ASCII case-insensitively.
    NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .or_else(|| {
            NAMES
                .iter()
                .find(|(n, _)| n.len() == name.len() && name.eq_ignore_ascii_case(n))
        })
        .map(|&(_, found)| found)
        .or_else(|| is_legacy_paymentsystem(name).then_some(Name::LegacyPaymentsystem))
}

/// `mp` 1*DIGIT `.mpname`, ASCII case-insensitively.
fn is_legacy_paymentsystem(name: &str) -> bool {
    let bytes = name.as_bytes();
    if bytes.len() < 10 || !bytes[..2].eq_ignore_ascii_case(b"mp") {
        return false;
    }
    let digits = bytes[2..].iter().take_while(|b| b.is_ascii_digit()).count();
    digits > 0 && bytes[2 + digits..].eq_ignore_ascii_case(b".mpname")
}

/// P-2: the field name a non-field `param` name is probably a typo of (edit distance at most
/// 2, case-insensitively), with the canonical field it stands for.
pub(crate) fn likely_typo(name: &str) -> Option<(&'static str, Field)> {
    let lower = name.to_ascii_lowercase();
    // Names far longer than any field cannot be within distance 2; skip the work.
    if lower.len() > 16 {
        return None;
    }
    let mut best: Option<(usize, &'static str, Field)> = None;
    for &field in Field::ALL {
        for candidate in std::iter::once(field.name()).chain(field.aliases().iter().copied()) {
            let distance = strsim::levenshtein(&lower, candidate);
            if distance <= 2 && best.is_none_or(|(d, ..)| distance < d) {
                best = Some((distance, candidate, field));
            }
        }
    }
    best.map(|(_, candidate, field)| (candidate, field))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_table_lists_every_name_and_alias_in_order() {
        let mut expected = Vec::new();
        for &field in Field::ALL {
            expected.push((field.name(), Name::Canonical(field)));
            for &alias in field.aliases() {
                expected.push((alias, Name::Alias(field, alias)));
            }
        }
        assert_eq!(NAMES, expected.as_slice());
        for (i, (name, _)) in NAMES.iter().enumerate() {
            assert!(!name.bytes().any(|b| b.is_ascii_uppercase()), "{name}");
            assert!(
                NAMES[..i]
                    .iter()
                    .all(|(n, _)| !n.eq_ignore_ascii_case(name)),
                "{name}"
            );
        }
    }

    #[test]
    fn names_are_case_insensitive_and_aliases_map_to_fields() {
        assert_eq!(recognise("PRICE"), Some(Name::Canonical(Field::Price)));
        assert_eq!(
            recognise("BuyUrl"),
            Some(Name::Alias(Field::Buyid, "buyurl"))
        );
        assert_eq!(
            recognise("mpbaseurl"),
            Some(Name::Alias(Field::Baseurl, "mpbaseurl"))
        );
        assert_eq!(
            recognise("description").map(Name::field),
            Some(Field::Longdesc)
        );
        assert_eq!(recognise("width"), None);
    }

    #[test]
    fn legacy_payment_system_names() {
        assert_eq!(recognise("mp1.mpname"), Some(Name::LegacyPaymentsystem));
        assert_eq!(recognise("MP12.MPNAME"), Some(Name::LegacyPaymentsystem));
        assert_eq!(recognise("mp.mpname"), None);
        assert_eq!(recognise("mp1.mpdata"), None);
        assert_eq!(recognise("mp1x.mpname"), None);
    }

    #[test]
    fn core_fields_make_a_carrier_other_fields_do_not() {
        assert!(recognise("price").unwrap().is_core());
        assert!(recognise("mp3.mpname").unwrap().is_core());
        assert!(!recognise("title").unwrap().is_core());
        assert!(!recognise("type").unwrap().is_core());
    }

    #[test]
    fn typos_within_two_edits_are_suggested() {
        assert_eq!(likely_typo("prise"), Some(("price", Field::Price)));
        assert_eq!(likely_typo("TEXTLNK"), Some(("textlink", Field::Textlink)));
        assert_eq!(
            likely_typo("paymentsytem"),
            Some(("paymentsystem", Field::Paymentsystem))
        );
        assert_eq!(likely_typo("buyur"), Some(("buyurl", Field::Buyid)));
        assert_eq!(likely_typo("width"), None);
        assert_eq!(likely_typo("quality"), None);
        assert_eq!(likely_typo("movie"), None);
        assert_eq!(likely_typo("autostart"), None);
        assert_eq!(likely_typo(&"x".repeat(1000)), None);
    }

    #[test]
    fn the_table_has_four_must_fields_and_one_should() {
        let must = Field::ALL
            .iter()
            .filter(|f| f.level() == Level::Must)
            .count();
        let should = Field::ALL
            .iter()
            .filter(|f| f.level() == Level::Should)
            .count();
        assert_eq!((must, should), (4, 1));
    }
}

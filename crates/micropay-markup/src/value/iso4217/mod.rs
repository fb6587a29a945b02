//! P-3: the ISO 4217 alphabetic codes, checked in.
//!
//! SOURCE AND DATE OF THE DATA
//!
//! * [`ACTIVE`] is ISO 4217 List One ("current currency & funds"), as published by the ISO 4217
//!   maintenance agency (SIX Financial Information) in the edition dated 2024-06-25 (the
//!   `Pblshd` attribute of `list-one.xml`; it already carries ZWG and no longer carries SLL,
//!   HRK or ZWL), brought up to 2026-01-01 with two changes in force since then:
//!   - XCG, Caribbean Guilder, numeric 532, 2 minor units, replaced ANG for Curaçao and Sint
//!     Maarten on 2025-03-31 (ANG moved to List Three with withdrawal date 2025-03);
//!   - Bulgaria adopted the euro on 2026-01-01, so BGN is recorded as withdrawn (2026-01) with
//!     successor EUR. This entry is the project's own reading of that changeover; it was not
//!     taken from a published List Three.
//!
//!   One row per code (List One repeats a code for every country that uses it); the name is
//!   the list's English currency name; `None` minor units stands for the list's "N.A."
//!   (precious metals, bond market units, SDR, XSU, XUA, XTS, XXX).
//! * [`WITHDRAWN`] is ISO 4217 List Three ("historic denominations"), as published by the same
//!   agency in its 2025 edition (it records ANG withdrawn 2025-03, ZWL 2024-09, SLL 2023-12),
//!   plus BGN as said above. One row per code: where List Three has several rows for a code
//!   (FRF for each French territory, HRK, VEF, ZWD, RUR for each former Soviet republic) the
//!   latest withdrawal date is kept. Codes that List Three records but that are in List One
//!   again or still (CUC, EUR, IDR, MWK, PEN, RON, SDG, SZL, TRY: name changes or an entity
//!   leaving) are left out here, because an active code is active (P-3: "Active wins").
//!   `successor` is not part of List Three: it is the project's note of the code now in use
//!   where the replacement is unambiguous (e.g. FRF -> EUR, AOK -> AOA through AON and AOR),
//!   and `None` where a currency split between several successors (SUR, CSK, the Yugoslav
//!   dinars) or was a fund or unit of account with no successor.
//!
//! Both tables are sorted by code (a unit test checks it) and searched by binary search. They
//! are data only, one module each (`list_one`, `list_three`), checked in as Rust constants
//! rather than generated at build time: the lists change a few times a year, each change is
//! reviewed by hand (the successor notes are the project's own), and a build script would add
//! a step to every build for no gain.

mod list_one;
mod list_three;

pub(crate) use list_one::{ACTIVE, Active};
pub(crate) use list_three::{WITHDRAWN, Withdrawn};

/// The List One row of `code`.
pub(crate) fn active(code: &str) -> Option<&'static Active> {
    ACTIVE
        .binary_search_by(|row| row.code.cmp(code))
        .ok()
        .and_then(|i| ACTIVE.get(i))
}

/// The List Three row of `code`.
pub(crate) fn withdrawn(code: &str) -> Option<&'static Withdrawn> {
    WITHDRAWN
        .binary_search_by(|row| row.code.cmp(code))
        .ok()
        .and_then(|i| WITHDRAWN.get(i))
}

/// Every code of either list as one bit of the 26³ combinations of three capitals, so that
/// whether three capitals are a code at all is one lookup, not two binary searches (P-8 asks it
/// of every three capitals next to a number).
static LISTED: [u64; 275] = listed();

/// The bit of three capitals in [`LISTED`].
const fn listed_bit(code: [u8; 3]) -> usize {
    let [a, b, c] = code;
    ((a - b'A') as usize * 26 + (b - b'A') as usize) * 26 + (c - b'A') as usize
}

const fn listed() -> [u64; 275] {
    let mut bits = [0_u64; 275];
    let mut i = 0;
    while i < ACTIVE.len() {
        let code = ACTIVE[i].code.as_bytes();
        let bit = listed_bit([code[0], code[1], code[2]]);
        bits[bit / 64] |= 1 << (bit % 64);
        i += 1;
    }
    let mut i = 0;
    while i < WITHDRAWN.len() {
        let code = WITHDRAWN[i].code.as_bytes();
        let bit = listed_bit([code[0], code[1], code[2]]);
        bits[bit / 64] |= 1 << (bit % 64);
        i += 1;
    }
    bits
}

/// Whether `code` is in List One or List Three (`active(code)` or `withdrawn(code)` is some);
/// `false` for anything but three capitals.
pub(crate) fn listed_code(code: &[u8]) -> bool {
    let &[a, b, c] = code else {
        return false;
    };
    if !(a.is_ascii_uppercase() && b.is_ascii_uppercase() && c.is_ascii_uppercase()) {
        return false;
    }
    let bit = listed_bit([a, b, c]);
    LISTED
        .get(bit / 64)
        .is_some_and(|word| word & (1 << (bit % 64)) != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn well_formed(code: &str) -> bool {
        code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
    }

    #[test]
    fn tables_are_sorted_unique_and_well_formed() {
        assert!(ACTIVE.windows(2).all(|p| p[0].code < p[1].code));
        assert!(WITHDRAWN.windows(2).all(|p| p[0].code < p[1].code));
        assert!(
            ACTIVE
                .iter()
                .all(|r| well_formed(r.code) && !r.name.is_empty())
        );
        assert!(
            WITHDRAWN
                .iter()
                .all(|r| well_formed(r.code) && !r.name.is_empty())
        );
        assert!(ACTIVE.iter().all(|r| (1..=999).contains(&r.numeric)));
        assert_eq!(ACTIVE.len(), 178);
    }

    #[test]
    fn no_code_is_both_active_and_withdrawn() {
        for row in WITHDRAWN {
            assert!(active(row.code).is_none(), "{} is in both lists", row.code);
        }
        for reused in [
            "CUC", "EUR", "IDR", "MWK", "PEN", "RON", "SDG", "SZL", "TRY",
        ] {
            assert!(active(reused).is_some(), "{reused}");
        }
    }

    #[test]
    fn successors_are_active() {
        for row in WITHDRAWN {
            if let Some(s) = row.successor {
                assert!(
                    active(s).is_some(),
                    "successor {s} of {} is not active",
                    row.code
                );
            }
        }
    }

    #[test]
    fn listed_code_is_the_two_searches() {
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                for c in b'A'..=b'Z' {
                    let code = [a, b, c];
                    let text = std::str::from_utf8(&code).unwrap();
                    assert_eq!(
                        listed_code(&code),
                        active(text).is_some() || withdrawn(text).is_some(),
                        "{text}"
                    );
                }
            }
        }
        for other in ["", "US", "USDX", "usd", "Usd", "US$", "U\u{e9}D"] {
            assert!(!listed_code(other.as_bytes()), "{other}");
        }
    }

    #[test]
    fn known_rows() {
        let usd = active("USD").unwrap();
        assert_eq!(
            (usd.numeric, usd.minor_units, usd.name),
            (840, Some(2), "US Dollar")
        );
        assert_eq!(active("JPY").unwrap().minor_units, Some(0));
        assert_eq!(active("KWD").unwrap().minor_units, Some(3));
        assert_eq!(active("CLF").unwrap().minor_units, Some(4));
        assert_eq!(active("XAU").unwrap().minor_units, None);
        assert_eq!(active("ALL").unwrap().numeric, 8);
        let frf = withdrawn("FRF").unwrap();
        assert_eq!(
            (frf.numeric, frf.date, frf.successor),
            (Some(250), "2002-03", Some("EUR"))
        );
        assert_eq!(withdrawn("XFO").unwrap().numeric, None);
        assert!(active("ZZZ").is_none() && withdrawn("ZZZ").is_none());
        assert!(active("").is_none() && withdrawn("usd").is_none());
    }
}

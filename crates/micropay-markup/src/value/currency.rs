//! P-3: ISO 4217 alphabetic currency codes.

use crate::Finding;

/// Three upper-case ASCII letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    /// Parses exactly three upper-case ASCII letters.
    pub fn parse(_text: &str) -> Result<Currency, Finding> {
        todo!("grammar helper")
    }
}

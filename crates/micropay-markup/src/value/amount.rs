//! P-3: the exact decimal amount of a price.

use rust_decimal::Decimal;

use crate::Finding;

/// A non-negative exact decimal: at most 28 significant digits and 28 fractional digits.
/// Always held normalised (no trailing fractional zeros).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(Decimal);

impl Amount {
    /// Parses the `amount` production of P-3 (no currency).
    pub fn parse(_text: &str) -> Result<Amount, Finding> {
        todo!("grammar helper")
    }
}

#![allow(missing_docs, clippy::pedantic)]
use crate::{Code, Finding};
use rust_decimal::Decimal;
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Amount(Decimal);
impl Amount {
    pub fn parse(t: &str) -> Result<Amount, Finding> {
        t.parse::<Decimal>()
            .map(|d| Amount(d.normalize()))
            .map_err(|_| Finding::new(Code::InvalidPrice, "bad"))
    }
    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }
}
impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

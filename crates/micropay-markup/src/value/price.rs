#![allow(missing_docs, clippy::pedantic)]
use super::{amount::Amount, currency::Currency};
use crate::{Code, Finding};
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Price {
    amount: Amount,
    currency: Currency,
}
impl Price {
    pub fn parse(t: &str) -> Result<Price, Finding> {
        if t.len() < 4 || !t.is_char_boundary(t.len() - 3) {
            return Err(Finding::new(Code::InvalidPrice, "bad"));
        }
        let (a, c) = t.split_at(t.len() - 3);
        Ok(Price {
            amount: Amount::parse(a)?,
            currency: Currency::parse(c)?,
        })
    }
    pub fn warnings(&self) -> Vec<Finding> {
        if self.amount.is_zero() {
            vec![Finding::new(Code::ZeroPrice, "zero")]
        } else {
            vec![]
        }
    }
}
impl std::fmt::Display for Price {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.amount, self.currency.as_str())
    }
}
impl serde::Serialize for Price {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Price", 2)?;
        st.serialize_field("amount", &self.amount.to_string())?;
        st.serialize_field("currency", self.currency.as_str())?;
        st.end()
    }
}

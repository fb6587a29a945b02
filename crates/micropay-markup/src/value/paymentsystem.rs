#![allow(missing_docs, clippy::pedantic)]
use crate::{Code, Finding};
use url::Url;
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PaymentSystem {
    id: Url,
    info: Option<String>,
}
impl PaymentSystem {
    pub fn parse(t: &str) -> Result<PaymentSystem, Finding> {
        let mut it = t.splitn(2, |c: char| c.is_ascii_whitespace());
        let id = it.next().unwrap_or("");
        let info = it
            .next()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        Url::parse(id)
            .map(|id| PaymentSystem { id, info })
            .map_err(|_| Finding::new(Code::InvalidPaymentsystem, "bad"))
    }
    pub fn id(&self) -> &Url {
        &self.id
    }
}

#![allow(missing_docs, clippy::pedantic)]
use crate::{Code, Finding};
use time::OffsetDateTime;
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expiration {
    instant: OffsetDateTime,
}
impl Expiration {
    pub fn parse(t: &str) -> Result<Expiration, Finding> {
        OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
            .map(|i| Expiration { instant: i })
            .map_err(|_| Finding::new(Code::InvalidExpiration, "bad"))
    }
    pub fn is_expired_at(&self, now: OffsetDateTime) -> bool {
        now > self.instant
    }
}
impl std::fmt::Display for Expiration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.instant)
    }
}
impl serde::Serialize for Expiration {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(
            &self
                .instant
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap(),
        )
    }
}

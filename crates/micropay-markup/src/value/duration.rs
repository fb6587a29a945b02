#![allow(missing_docs, clippy::pedantic)]
use crate::{Code, Finding};
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Duration(u64);
impl Duration {
    pub fn parse(t: &str) -> Result<Duration, Finding> {
        if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
            t.parse()
                .map(Duration)
                .map_err(|_| Finding::new(Code::InvalidDuration, "bad"))
        } else {
            Err(Finding::new(Code::InvalidDuration, "bad"))
        }
    }
}

#![allow(missing_docs, clippy::pedantic)]
use crate::Finding;
pub fn check_target(_: &str) -> Option<Finding> {
    None
}
pub fn check_hreflang(_: &str) -> Option<Finding> {
    None
}
pub fn check_type(_: &str) -> Option<Finding> {
    None
}
pub fn check_accesskey(_: &str) -> Option<Finding> {
    None
}
pub fn check_charset(_: &str) -> Option<Finding> {
    None
}

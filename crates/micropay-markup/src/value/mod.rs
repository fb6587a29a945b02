//! Validated field values (P-3 to P-8 and the presentation fields of P-2).
//!
//! Each type has private fields and is built only by its parser; deserialising goes through
//! the same parser. Parsers return a [`Finding`](crate::Finding) for an error and, where a value
//! parses but deserves a warning, list those separately.

pub mod amount;
pub mod currency;
pub mod displayed;
pub mod duration;
pub mod expiration;
mod iso4217;
pub mod paymentsystem;
pub mod presentation;
pub mod price;
mod symbol;

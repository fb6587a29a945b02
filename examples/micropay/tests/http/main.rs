//! `micropay serve` and `micropay get` through real HTTP on loopback: real processes, a
//! real client of our own, curl and headless Chromium as independent clients, concurrency,
//! a server killed with SIGKILL in the middle of a burst, and servers sharing a PostgreSQL
//! replay store (docs/http.md).

mod clients;
mod flows;
mod load;
mod postgres;
mod support;

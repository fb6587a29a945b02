//! The part of the `micropay` CLI that the conformance suite shares: the JSON answers of the
//! wallet's commands ([`report`]). Not published; the program is `src/main.rs`.

pub mod report;

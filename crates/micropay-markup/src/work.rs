//! Counters of the work reading a page costs, step by step rather than by the clock: what
//! the tests of `tests/linear.rs` compare with the length of the page to show that no shape of
//! input costs more than a constant per byte (the limits of P-1.8 and the entity budget of
//! P-1.7 are what make that constant).
//!
//! Counting costs an addition per step; the counters are always on, so that what is measured
//! is the code that runs.

use std::cell::Cell;

/// The work one page cost, by kind of step. Not part of the API (see `work_support`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    /// Tokens html5ever's tokenizer gave (parse errors included), or events quick-xml's
    /// reader gave.
    pub tokens: u64,
    /// Calls html5ever's tree builder made into the tree sink, and nodes it had moved. It
    /// walks its stack of open elements (the scope checks) and its list of active formatting
    /// elements (the adoption agency) by asking the sink the name or the identity of each
    /// element it passes, so this counts the steps of those walks.
    pub tree: u64,
    /// Steps of the depth check of P-1.8 (elements passed on the way up from a new one).
    pub depth: u64,
    /// Attribute names compared: an upper bound of the duplicate checks of html5ever's
    /// tokenizer (each attribute read, kept or dropped as a repeat, compared with every one
    /// the tag keeps), and the bytes of the tags the driver scans to count their attributes.
    pub attributes: u64,
    /// XHTML entity expansion: characters scanned or produced (copies of a kept expansion
    /// included) and references resolved.
    pub entities: u64,
}

impl Work {
    /// All the steps counted.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.tokens + self.tree + self.depth + self.attributes + self.entities
    }
}

impl std::ops::AddAssign for Work {
    fn add_assign(&mut self, other: Work) {
        self.tokens += other.tokens;
        self.tree += other.tree;
        self.depth += other.depth;
        self.attributes += other.attributes;
        self.entities += other.entities;
    }
}

/// [`Work`] counted through a shared reference (the tree sink's callbacks take `&self`).
#[derive(Debug, Default)]
pub(crate) struct Counter {
    tokens: Cell<u64>,
    tree: Cell<u64>,
    depth: Cell<u64>,
    attributes: Cell<u64>,
}

fn add(cell: &Cell<u64>, n: usize) {
    cell.set(cell.get().saturating_add(n as u64));
}

impl Counter {
    pub(crate) fn token(&self) {
        add(&self.tokens, 1);
    }

    pub(crate) fn tree(&self, n: usize) {
        add(&self.tree, n);
    }

    pub(crate) fn depth(&self, n: usize) {
        add(&self.depth, n);
    }

    pub(crate) fn attributes(&self, n: usize) {
        add(&self.attributes, n);
    }

    pub(crate) fn get(&self) -> Work {
        Work {
            tokens: self.tokens.get(),
            tree: self.tree.get(),
            depth: self.depth.get(),
            attributes: self.attributes.get(),
            entities: 0,
        }
    }
}

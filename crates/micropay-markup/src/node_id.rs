//! Where a node is in the arena of a [`crate::dom::Dom`]: its index, and indexes in four bytes
//! for the arena's links and tables.

/// Index of a node in the arena.
pub(crate) type NodeId = usize;

/// An index of the arena (a node, or an entry of its table of extras) in four bytes: documents
/// are under 4 GiB, so indexes fit. `u32::MAX` is left for "none".
pub(crate) fn index32(index: usize) -> u32 {
    u32::try_from(index)
        .ok()
        .filter(|&i| i != u32::MAX)
        .expect("fewer nodes than bytes")
}

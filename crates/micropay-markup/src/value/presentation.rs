//! placeholder, filled by the grammar work

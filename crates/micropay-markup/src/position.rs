//! Source positions: byte offsets of the decoded text turned into 1-based lines and columns.
//!
//! Lines are counted as the HTML tokenizer counts them after newline normalisation: `\r\n`,
//! a lone `\r` and `\n` each end one line. Columns count Unicode scalar values from the start
//! of the line, so a tab or an `é` is one column.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// A 1-based line and column.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

impl Position {
    /// The first character of a document.
    pub const START: Position = Position { line: 1, column: 1 };
}

/// Where a piece of text is written: the 1-based line and column of its first character, and
/// the line and column just past its last one (as SARIF's `endColumn` counts). An empty piece
/// ends where it begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// 1-based line of the first character.
    pub line: u32,
    /// 1-based column (in characters) of the first character.
    pub column: u32,
    /// 1-based line just past the last character.
    pub end_line: u32,
    /// 1-based column just past the last character.
    pub end_column: u32,
}

impl Span {
    /// Where the span starts.
    pub fn start(&self) -> Position {
        Position {
            line: self.line,
            column: self.column,
        }
    }

    /// Just past the span's last character.
    pub fn end(&self) -> Position {
        Position {
            line: self.end_line,
            column: self.end_column,
        }
    }
}

/// Maps byte offsets of one text to positions. Nothing is computed until a position is
/// asked: most pages have no per-fee-link and need none. Every call passes the same text.
#[derive(Debug, Clone, Default)]
pub(crate) struct LineIndex {
    /// Byte offset at which each line starts.
    starts: OnceLock<Vec<usize>>,
    /// How many characters come before each block of [`CHAR_BLOCK`] bytes; built the first
    /// time a column is asked far into a line (see [`LineIndex::position`]).
    chars_before_block: OnceLock<Vec<usize>>,
}

/// Up to this many bytes into a line, a column is counted from the line's start.
const LONG_LINE: usize = if cfg!(test) { 16 } else { 512 };
/// The block size of [`LineIndex::chars_before_block`].
const CHAR_BLOCK: usize = if cfg!(test) { 8 } else { 1024 };

/// How many characters begin in `bytes` (UTF-8, possibly cut anywhere): the bytes that are not
/// continuation bytes.
fn chars_in(bytes: &[u8]) -> usize {
    bytecount::num_chars(bytes)
}

/// Byte offset at which each line of `text` starts.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    // Without a carriage return, lines end at line feeds alone: one search over the text.
    if memchr::memchr(b'\r', bytes).is_none() {
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|at| at + 1));
        return starts;
    }
    starts.extend(
        memchr::memchr2_iter(b'\n', b'\r', bytes)
            .filter(|&at| breaks_line(bytes, at))
            .map(|at| at + 1),
    );
    starts
}

/// Whether the byte at `at` (a line feed or a carriage return) ends a line: a line feed
/// does, and a carriage return not followed by one (a CR LF ends its line at the LF).
fn breaks_line(bytes: &[u8], at: usize) -> bool {
    bytes[at] == b'\n' || bytes.get(at + 1) != Some(&b'\n')
}

impl LineIndex {
    /// The span of the bytes `range` of `text` (char boundaries).
    pub(crate) fn span(&self, text: &str, range: std::ops::Range<usize>) -> Span {
        let start = self.position(text, range.start);
        let end = self.position(text, range.end);
        Span {
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }

    /// An index of the document's text, which every later call passes.
    pub(crate) fn new() -> Self {
        LineIndex::default()
    }

    fn starts(&self, text: &str) -> &[usize] {
        self.starts.get_or_init(|| line_starts(text))
    }

    /// The position of the byte offset `offset` (clamped to the text; a char boundary).
    pub(crate) fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let starts = self.starts(text);
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let start = starts[line];
        let column = match text.get(start..offset) {
            // Counting the characters of a long line for each position asked on it would make
            // a minified page (one line) with many links quadratic: far into a line, the
            // column is the difference of two counts from the start of the text, each read
            // from the block index and at most one block of bytes.
            Some(_) if offset - start > LONG_LINE => {
                self.chars_before(text, offset) - self.chars_before(text, start)
            }
            Some(s) => s.chars().count(),
            None => offset - start,
        };
        Position {
            line: saturate(line + 1),
            column: saturate(column + 1),
        }
    }
}

impl LineIndex {
    /// How many characters `text` has before the byte offset `offset` (a char boundary).
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let block = offset / CHAR_BLOCK;
        self.blocks(text)[block] + chars_in(&text.as_bytes()[block * CHAR_BLOCK..offset])
    }

    /// [`LineIndex::chars_before_block`], built on first use.
    fn blocks(&self, text: &str) -> &[usize] {
        self.chars_before_block.get_or_init(|| {
            let mut before = 0;
            let mut blocks = vec![0];
            for block in text.as_bytes().chunks(CHAR_BLOCK) {
                before += chars_in(block);
                blocks.push(before);
            }
            blocks
        })
    }

    /// The byte offset in `text` of `position`: its line's start, then as many characters
    /// further as the column says (a line break counts as characters of its line; the end of
    /// the text is the column after the last character). `None` when the text has no such
    /// line or column. Far into a line the character is found through the block counts, so
    /// asking is never quadratic.
    pub(crate) fn offset_of(&self, text: &str, position: Position) -> Option<usize> {
        let starts = self.starts(text);
        let line = usize::try_from(position.line).ok()?.checked_sub(1)?;
        let start = *starts.get(line)?;
        let end = starts.get(line + 1).copied().unwrap_or(text.len());
        let skip = usize::try_from(position.column).ok()?.checked_sub(1)?;
        let bytes = text.as_bytes();
        // Where the walk begins, and how many characters of the line come before that place.
        let (mut at, mut walked) = (start, 0);
        if skip > LONG_LINE {
            // From the start of the last block that begins before the wanted character.
            let line_before = self.chars_before(text, start);
            let blocks = self.blocks(text);
            let block = blocks.partition_point(|&c| c <= line_before + skip) - 1;
            let block_start = (block * CHAR_BLOCK).min(text.len());
            if block_start > at {
                (at, walked) = (block_start, blocks[block] - line_before);
            }
        }
        while at < end {
            if bytes[at] & 0xC0 != 0x80 {
                if walked == skip {
                    return Some(at);
                }
                walked += 1;
            }
            at += 1;
        }
        // Just past the last character of the text; past a line break is the next line.
        (walked == skip && end == text.len()).then_some(end)
    }

    /// The text of 1-based line `line`, without its line break.
    pub(crate) fn line_text<'t>(&self, text: &'t str, line: u32) -> Option<&'t str> {
        let i = usize::try_from(line).ok()?.checked_sub(1)?;
        let starts = self.starts(text);
        let start = *starts.get(i)?;
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        Some(text.get(start..end)?.trim_end_matches(['\r', '\n']))
    }
}

/// Positions of one text at offsets that only grow, each found from the one before: what the
/// HTML reader uses while it reads (see `html::sink`), so that the text between two carriers
/// is scanned once, just after the tokenizer read it, and no index of all lines is built
/// unless something else asks a position. Agrees with [`LineIndex::position`] (a property
/// test holds it to that).
#[derive(Debug, Clone, Default)]
pub(crate) struct Cursor {
    /// The offset of the last position given.
    at: usize,
    /// How many line breaks come before `at`.
    breaks: usize,
    /// Where the line of `at` starts.
    line_start: usize,
    /// How many characters of that line come before `at`.
    chars: usize,
}

impl Cursor {
    /// The position of `offset`; `None` when it is before the last one given, or not the
    /// start of a character.
    pub(crate) fn position(&mut self, text: &str, offset: usize) -> Option<Position> {
        if offset < self.at || !text.is_char_boundary(offset) {
            return None;
        }
        let bytes = text.as_bytes();
        let segment = &bytes[self.at..offset];
        let last_break = if memchr::memchr(b'\r', segment).is_none() {
            // Line feeds alone: counted with vector instructions, the last one found from the
            // end.
            self.breaks += bytecount::count(segment, b'\n');
            memchr::memrchr(b'\n', segment).map(|i| self.at + i)
        } else {
            // The line after a break starts just past it.
            memchr::memchr2_iter(b'\n', b'\r', segment)
                .map(|i| self.at + i)
                .filter(|&i| breaks_line(bytes, i))
                .inspect(|_| self.breaks += 1)
                .last()
        };
        match last_break {
            Some(i) => {
                self.line_start = i + 1;
                self.chars = chars_in(&bytes[self.line_start..offset]);
            }
            None => self.chars += chars_in(&bytes[self.at..offset]),
        }
        self.at = offset;
        Some(Position {
            line: saturate(self.breaks + 1),
            column: saturate(self.chars + 1),
        })
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(text: &str, offset: usize) -> (u32, u32) {
        let p = LineIndex::new().position(text, offset);
        (p.line, p.column)
    }

    proptest::proptest! {
        #[test]
        fn line_feeds_alone_are_read_as_the_general_rule_reads_them(
            text in "[a\n\r\u{e9}]{0,40}",
        ) {
            // The general rule, as it reads every text: line ends found by memchr2.
            let bytes = text.as_bytes();
            let mut starts = vec![0];
            let mut i = 0;
            while let Some(found) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
                let at = i + found;
                i = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') { at + 2 } else { at + 1 };
                starts.push(i);
            }
            proptest::prop_assert_eq!(line_starts(&text), starts);
        }
    }

    proptest::proptest! {
        /// The cursor gives, at offsets that grow, what the index gives; it refuses an offset
        /// before the last one and one inside a character.
        #[test]
        fn the_cursor_agrees_with_the_index(
            text in "[ab<\n\r\u{e9}\u{1f600}]{0,80}",
            mut picks in proptest::collection::vec(0usize..1000, 1..12),
        ) {
            let index = LineIndex::new();
            let mut cursor = Cursor::default();
            for pick in &mut picks {
                *pick %= text.len() + 1;
            }
            picks.sort_unstable();
            for offset in picks {
                let expected = text.is_char_boundary(offset).then(|| index.position(&text, offset));
                proptest::prop_assert_eq!(cursor.position(&text, offset), expected, "{}", offset);
            }
            if let Some(last) = text.len().checked_sub(1).filter(|&l| l < cursor.at) {
                proptest::prop_assert_eq!(cursor.position(&text, last), None);
            }
        }
    }

    #[test]
    fn counts_every_kind_of_line_break_once() {
        let text = "a\r\nb\rc\nd";
        assert_eq!(pos(text, 0), (1, 1));
        assert_eq!(pos(text, 3), (2, 1));
        assert_eq!(pos(text, 5), (3, 1));
        assert_eq!(pos(text, 7), (4, 1));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "\u{e9}\u{e9}<object>";
        assert_eq!(pos(text, 4), (1, 3));
    }

    #[test]
    fn line_text_strips_the_break() {
        let text = "one\r\ntwo\rthree";
        let index = LineIndex::new();
        assert_eq!(index.line_text(text, 1), Some("one"));
        assert_eq!(index.line_text(text, 2), Some("two"));
        assert_eq!(index.line_text(text, 3), Some("three"));
        assert_eq!(index.line_text(text, 4), None);
        assert_eq!(index.line_text(text, 0), None);
    }

    proptest::proptest! {
        /// Far into a line (past `LONG_LINE`, 16 bytes in tests, with blocks of 8 bytes) the
        /// column comes from the block index; it is still the number of characters from the
        /// line's start, whatever the characters' widths and wherever the blocks cut them.
        /// And `offset_of` undoes `position`, near and far into a line.
        #[test]
        fn columns_count_characters_and_offset_of_undoes_them(
            text in "[ab<\n\r\u{e9}\u{20ac}\u{1f600}]{0,120}",
            picks in proptest::collection::vec(0usize..1000, 1..12),
        ) {
            let index = LineIndex::new();
            for pick in picks {
                let offset = pick % (text.len() + 1);
                let p = index.position(&text, offset);
                let start = index.starts(&text)[usize::try_from(p.line).unwrap() - 1];
                let expected = text.get(start..offset).map_or(offset - start, |s| s.chars().count());
                proptest::prop_assert_eq!(usize::try_from(p.column).unwrap(), expected + 1);
                // Between the CR and the LF of a line break, and inside a character, is no
                // place a position can name.
                let in_crlf = offset > 0
                    && text.as_bytes()[offset - 1] == b'\r'
                    && text.as_bytes().get(offset) == Some(&b'\n');
                if text.is_char_boundary(offset) && !in_crlf {
                    proptest::prop_assert_eq!(index.offset_of(&text, p), Some(offset), "{:?}", p);
                }
            }
        }
    }

    #[test]
    fn offset_of_a_position_the_text_does_not_have() {
        let text = "ab\ncd";
        let index = LineIndex::new();
        assert_eq!(
            index.offset_of(text, Position { line: 1, column: 3 }),
            Some(2)
        );
        assert_eq!(index.offset_of(text, Position { line: 1, column: 4 }), None);
        assert_eq!(
            index.offset_of(text, Position { line: 2, column: 3 }),
            Some(5)
        );
        assert_eq!(index.offset_of(text, Position { line: 3, column: 1 }), None);
        assert_eq!(index.offset_of(text, Position { line: 0, column: 1 }), None);
    }

    #[test]
    fn a_long_line_uses_the_block_index() {
        let text = format!("\n{}<object>", "\u{e9}x".repeat(40));
        let offset = text.find('<').unwrap();
        assert_eq!(pos(&text, offset), (2, 81));
        assert_eq!(pos(&text, text.len()), (2, 89));
    }

    #[test]
    fn offset_past_the_end_is_clamped() {
        assert_eq!(pos("ab", 99), (1, 3));
    }
}

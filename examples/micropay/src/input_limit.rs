//! The one size limit on everything a command reads: pages (files and standard input),
//! `micropay.toml`, link descriptions, token files. Every read goes through here, through
//! `Read::take(limit + 1)`: a file larger than the limit, a device that never ends
//! (`/dev/zero`) or an endless pipe costs at most the limit in memory, then the command stops
//! with exit 2. File metadata is only a hint for the first allocation: devices and pipes have
//! none, and a file may grow while it is read.

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::str::FromStr;

use clap::Args;
use serde::Deserialize;

/// How many bytes one input may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct InputLimit(u64);

impl InputLimit {
    /// 64 MiB: far above any real page or file a command reads.
    pub(crate) const DEFAULT: InputLimit = InputLimit(64 << 20);
}

impl Default for InputLimit {
    fn default() -> Self {
        InputLimit::DEFAULT
    }
}

const UNITS: [(&str, u64); 9] = [
    ("", 1),
    ("b", 1),
    ("kb", 1000),
    ("mb", 1000 * 1000),
    ("gb", 1000 * 1000 * 1000),
    ("kib", 1 << 10),
    ("mib", 1 << 20),
    ("gib", 1 << 30),
    ("tib", 1 << 40),
];

impl FromStr for InputLimit {
    type Err = String;

    /// A number of bytes, or a number and a unit: `64MiB`, `500KB`, `1GiB`, `1048576`
    /// (units in any case: B, KB, MB, GB decimal; KiB, MiB, GiB, TiB binary).
    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let digits = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(digits);
        let unit = unit.trim().to_ascii_lowercase();
        let bad = || format!("`{text}` is not a size; write e.g. 64MiB, 500KB or 1048576 (bytes)");
        let number: u64 = number.parse().map_err(|_| bad())?;
        let scale = UNITS
            .iter()
            .find(|(name, _)| *name == unit)
            .map(|&(_, scale)| scale)
            .ok_or_else(bad)?;
        let bytes = number
            .checked_mul(scale)
            .ok_or_else(|| format!("`{text}` is more bytes than this machine can count"))?;
        if bytes == 0 {
            return Err("the input size limit must be at least one byte".to_owned());
        }
        Ok(InputLimit(bytes))
    }
}

impl fmt::Display for InputLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (unit, scale) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] {
            if self.0.is_multiple_of(scale) {
                return write!(f, "{} {unit}", self.0 / scale);
            }
        }
        write!(f, "{} bytes", self.0)
    }
}

impl<'de> Deserialize<'de> for InputLimit {
    /// `max_input_size = "64MiB"` or a number of bytes.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Bytes(u64),
            Text(String),
        }
        match Written::deserialize(deserializer)? {
            Written::Bytes(bytes) => InputLimit::from_str(&bytes.to_string()),
            Written::Text(text) => InputLimit::from_str(&text),
        }
        .map_err(serde::de::Error::custom)
    }
}

/// The message for an input larger than `limit`; `what` names it ("standard input",
/// "page.html").
fn too_large(what: &str, limit: InputLimit) -> String {
    format!(
        "{what} is larger than the input size limit of {limit}; raise it with --max-input-size (or max_input_size in micropay.toml)"
    )
}

/// Everything `reader` gives, at most `limit` bytes; `what` names it in messages. `expected`
/// is how large it says it is (a first allocation of that size, when within the limit).
fn read_all(
    reader: impl Read,
    limit: InputLimit,
    what: &str,
    expected: Option<u64>,
) -> Result<Vec<u8>, String> {
    let capacity = expected
        .filter(|&n| n <= limit.0)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    reader
        .take(limit.0.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {what}: {e}"))?;
    if bytes.len() as u64 > limit.0 {
        return Err(too_large(what, limit));
    }
    Ok(bytes)
}

/// The file at `path` opened, with its size when it is a regular file that says so.
fn open(path: &Path) -> Result<(File, Option<u64>), String> {
    let file = File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let size = file
        .metadata()
        .ok()
        .filter(std::fs::Metadata::is_file)
        .map(|m| m.len());
    Ok((file, size))
}

/// The bytes of the file at `path`, at most `limit`.
pub(crate) fn read_file(path: &Path, limit: InputLimit) -> Result<Vec<u8>, String> {
    let what = path.display().to_string();
    let (file, size) = open(path)?;
    // A regular file that says it is too large is refused before a byte is read.
    if size.is_some_and(|n| n > limit.0) {
        return Err(too_large(&what, limit));
    }
    read_all(file, limit, &what, size)
}

/// The bytes of the file `path`, or of standard input when it is `-`, at most `limit`.
pub(crate) fn read_named(path: &Path, limit: InputLimit) -> Result<Vec<u8>, String> {
    if path == Path::new("-") {
        read_stdin(limit)
    } else {
        read_file(path, limit)
    }
}

/// Standard input, at most `limit` bytes.
pub(crate) fn read_stdin(limit: InputLimit) -> Result<Vec<u8>, String> {
    read_all(std::io::stdin().lock(), limit, "standard input", None)
}

/// A line of a [`Lines`] reader.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// The line without its line break.
    Text(String),
    /// A line longer than the reader's longest line: only skipped, never held.
    TooLong,
}

/// The lines of a file or of standard input, read one at a time: memory holds one line of at
/// most `max_line` bytes, however many lines come; all of them together may have at most the
/// input limit of bytes.
pub(crate) struct Lines {
    reader: Box<dyn BufRead>,
    what: String,
    max_line: usize,
    limit: InputLimit,
    read: u64,
    line: Vec<u8>,
}

impl Lines {
    /// The lines of `path`, or of standard input for `-`.
    pub(crate) fn open(path: &Path, max_line: usize, limit: InputLimit) -> Result<Lines, String> {
        let (reader, what): (Box<dyn BufRead>, String) = if path == Path::new("-") {
            (
                Box::new(BufReader::new(std::io::stdin())),
                "standard input".to_owned(),
            )
        } else {
            let (file, size) = open(path)?;
            let what = path.display().to_string();
            if size.is_some_and(|n| n > limit.0) {
                return Err(too_large(&what, limit));
            }
            (Box::new(BufReader::new(file)), what)
        };
        Ok(Lines {
            reader,
            what,
            max_line,
            limit,
            read: 0,
            line: Vec::new(),
        })
    }

    /// The next line (`\n` or `\r\n` ends it), `None` at the end of the input.
    pub(crate) fn next_line(&mut self) -> Result<Option<Line>, String> {
        self.line.clear();
        let mut too_long = false;
        let mut any = false;
        loop {
            let buffer = self
                .reader
                .fill_buf()
                .map_err(|e| format!("cannot read {}: {e}", self.what))?;
            if buffer.is_empty() {
                break;
            }
            any = true;
            let (taken, ends) = match memchr::memchr(b'\n', buffer) {
                Some(i) => (i + 1, true),
                None => (buffer.len(), false),
            };
            let content = &buffer[..if ends { taken - 1 } else { taken }];
            if !too_long && self.line.len() + content.len() <= self.max_line {
                self.line.extend_from_slice(content);
            } else {
                too_long = true;
                self.line.clear();
            }
            self.reader.consume(taken);
            self.read += taken as u64;
            if self.read > self.limit.0 {
                return Err(too_large(&self.what, self.limit));
            }
            if ends {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        if too_long {
            return Ok(Some(Line::TooLong));
        }
        if self.line.last() == Some(&b'\r') {
            self.line.pop();
        }
        String::from_utf8(std::mem::take(&mut self.line))
            .map(|text| Some(Line::Text(text)))
            .map_err(|_| format!("cannot read {}: a line is not UTF-8", self.what))
    }
}

/// The one size limit on every input of a command.
#[derive(Debug, Clone, Copy, Args)]
pub(crate) struct LimitArg {
    /// The most bytes one input may have (a page, standard input, micropay.toml, a link
    /// description, a file of tokens), e.g. 64MiB, 500KB, 1GiB. Past it the command stops
    /// with exit 2. Default: `max_input_size` of micropay.toml (check and extract), else
    /// 64MiB.
    #[arg(long, value_name = "SIZE")]
    pub(crate) max_input_size: Option<InputLimit>,
}

impl LimitArg {
    /// The limit given, else the default.
    pub(crate) fn or_default(self) -> InputLimit {
        self.max_input_size.unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_with_and_without_units() {
        let bytes = |text: &str| text.parse::<InputLimit>().map(|limit| limit.0);
        assert_eq!(bytes("64MiB"), Ok(64 << 20));
        assert_eq!(bytes("64 mib"), Ok(64 << 20));
        assert_eq!(bytes("500KB"), Ok(500_000));
        assert_eq!(bytes("1048576"), Ok(1 << 20));
        assert_eq!(bytes("2GiB"), Ok(2 << 30));
        assert_eq!(bytes("7b"), Ok(7));
        for bad in [
            "",
            "MiB",
            "-1",
            "1.5MiB",
            "64 MiBs",
            "0",
            "99999999999999999999",
        ] {
            assert!(bytes(bad).is_err(), "{bad}");
        }
        assert!(bytes("99999999999TiB").is_err());
        assert_eq!(InputLimit::DEFAULT.to_string(), "64 MiB");
        assert_eq!(InputLimit(1536).to_string(), "1536 bytes");
        assert_eq!(InputLimit(2048).to_string(), "2 KiB");
    }

    #[test]
    fn reading_stops_one_byte_past_the_limit() {
        let limit = InputLimit(10);
        assert_eq!(
            read_all(&b"0123456789"[..], limit, "x", None)
                .unwrap()
                .len(),
            10
        );
        let endless = std::io::repeat(b'z');
        let error = read_all(endless, limit, "the stream", None).unwrap_err();
        assert!(
            error.contains("the stream is larger than the input size limit of 10 bytes"),
            "{error}"
        );
    }

    fn lines_of(text: &'static [u8], max_line: usize, limit: u64) -> Vec<Result<Line, String>> {
        let mut lines = Lines {
            reader: Box::new(BufReader::with_capacity(4, text)),
            what: "tokens".to_owned(),
            max_line,
            limit: InputLimit(limit),
            read: 0,
            line: Vec::new(),
        };
        let mut out = Vec::new();
        loop {
            match lines.next_line() {
                Ok(Some(line)) => out.push(Ok(line)),
                Ok(None) => return out,
                Err(e) => {
                    out.push(Err(e));
                    return out;
                }
            }
        }
    }

    #[test]
    fn lines_are_read_one_at_a_time_and_long_ones_skipped() {
        let text = |s: &str| Ok(Line::Text(s.to_owned()));
        assert_eq!(
            lines_of(b"ab\r\ncdefgh\n\nij", 5, 100),
            vec![text("ab"), Ok(Line::TooLong), text(""), text("ij")]
        );
        assert_eq!(lines_of(b"", 5, 100), vec![]);
        assert_eq!(lines_of(b"abcde\n", 5, 100), vec![text("abcde")]);
        let over = lines_of(b"ab\ncd\nef\n", 5, 7);
        assert_eq!(over[..2], [text("ab"), text("cd")]);
        assert!(
            over[2]
                .as_ref()
                .unwrap_err()
                .contains("larger than the input size limit")
        );
    }
}

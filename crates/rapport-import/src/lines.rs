//! Counts the file's lines underneath the CSV parser, so a row error names the line the row
//! starts on.
//!
//! The csv crate's record positions cannot be used for this: a record's position is where the
//! parser stopped after the previous record, which is the line before for Windows (CRLF) files,
//! since the parser stops at the `\r`, and before any blank lines it then skips. So the reader
//! keeps the bytes the parser has taken but not yet finished with, and counts line breaks in
//! them. Only about one read buffer is kept, however large the file.

use std::io::{self, Read};

/// Kept bytes already counted are dropped once there are at least this many of them and they
/// are the larger part of what is kept, so dropping costs little per byte.
const COMPACT_AFTER: usize = 64 * 1024;

/// A reader that remembers what it handed out since the start of the current record.
#[derive(Debug)]
pub(crate) struct LineCounter<R> {
    inner: R,
    /// Bytes read from `inner`, starting at offset `kept_from` of the stream.
    kept: Vec<u8>,
    kept_from: u64,
    /// Index in `kept` up to which line breaks are counted.
    counted: usize,
    /// Line breaks before `kept[counted]`.
    breaks: u64,
}

impl<R> LineCounter<R> {
    pub fn new(inner: R) -> Self {
        Self { inner, kept: Vec::new(), kept_from: 0, counted: 0, breaks: 0 }
    }

    /// The 1-based line of the first record byte at or after stream offset `start`, the
    /// position the parser reports for the record it just read. Line breaks between `start` and
    /// the record are the end of the previous record's CRLF and skipped blank lines. Offsets
    /// must not go backwards.
    pub fn line_at(&mut self, start: u64) -> u64 {
        self.count_to(start);
        let mut line = self.breaks + 1;
        for byte in self.kept.get(self.counted..).unwrap_or_default() {
            match byte {
                b'\n' => line += 1,
                b'\r' => {}
                _ => break,
            }
        }
        line
    }

    fn count_to(&mut self, offset: u64) {
        let target =
            usize::try_from(offset.saturating_sub(self.kept_from)).unwrap_or(usize::MAX).min(self.kept.len());
        if target > self.counted {
            let newly_counted = self.kept.get(self.counted..target).unwrap_or_default();
            self.breaks += newly_counted.iter().filter(|byte| **byte == b'\n').count() as u64;
            self.counted = target;
        }
        if self.counted >= COMPACT_AFTER && self.counted * 2 >= self.kept.len() {
            self.kept.drain(..self.counted);
            self.kept_from += self.counted as u64;
            self.counted = 0;
        }
    }
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.kept.extend_from_slice(buffer.get(..read).unwrap_or_default());
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line each record of `input` starts on, as the importer computes it.
    fn record_lines(input: &[u8]) -> Vec<u64> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(7)
            .from_reader(LineCounter::new(input));
        let mut record = csv::StringRecord::new();
        let mut lines = Vec::new();
        while reader.read_record(&mut record).unwrap() {
            let start = record.position().map_or(0, csv::Position::byte);
            lines.push(reader.get_mut().line_at(start));
        }
        lines
    }

    #[test]
    fn records_start_on_the_right_line() {
        assert_eq!(record_lines(b"h\na\nb\n"), vec![1, 2, 3]);
        assert_eq!(record_lines(b"h\r\na\r\nb"), vec![1, 2, 3]);
        assert_eq!(record_lines(b"\n\nh\n\n\na\r\n\r\nb\n"), vec![3, 6, 8]);
        assert_eq!(record_lines(b"h\r\n\"x\r\ny\nz\",1\r\nb\r\n"), vec![1, 2, 5]);
    }

    #[test]
    fn long_files_are_counted_across_compactions() {
        let text: String = (0..50_000).map(|n| format!("row {n},\"a\nb\"\r\n")).collect();
        let lines = record_lines(text.as_bytes());
        assert_eq!(lines.len(), 50_000);
        assert!(lines.iter().enumerate().all(|(n, line)| *line == 2 * n as u64 + 1));
    }
}

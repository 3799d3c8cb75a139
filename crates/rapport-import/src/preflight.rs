//! Pre-flight checks that refuse a whole file before anything is written: missing, empty,
//! binary (PDF, Excel, NUL bytes) or not UTF-8. Also finds the BOM and sniffs the delimiter.
//!
//! The UTF-8 check scans the whole file once, in chunks, because a bad byte on line 90,000
//! must not be found after 85,000 rows have been committed. Validating runs at memory speed,
//! so this costs little next to the import itself.

use std::io::Read;
use std::path::Path;

use crate::ImportError;

const CHUNK: usize = 256 * 1024;
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// What the pre-flight learnt about a file that passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FileShape {
    pub total_bytes: u64,
    /// Length of the UTF-8 byte-order mark to skip (0 or 3).
    pub bom_len: u64,
    pub delimiter: u8,
}

pub(crate) fn preflight(path: &Path) -> Result<FileShape, ImportError> {
    let read_error = |source| ImportError::Read { path: path.to_path_buf(), source };
    let mut file = std::fs::File::open(path).map_err(read_error)?;
    let total_bytes = file.metadata().map_err(read_error)?.len();
    let mut chunk = vec![0u8; CHUNK];
    let mut scan = Utf8Scan::default();
    let mut shape: Option<FileShape> = None;
    loop {
        let filled = read_full(&mut file, &mut chunk).map_err(read_error)?;
        let bytes = chunk.get(..filled).unwrap_or_default();
        let content = match shape {
            Some(_) => bytes,
            None => {
                let first = first_chunk_shape(path, bytes, total_bytes)?;
                shape = Some(first);
                // Offsets are reported in the file, so they count the BOM; the byte within
                // the line does not, as editors do not show it.
                scan = Utf8Scan::starting_at(first.bom_len);
                bytes.get(first.bom_len as usize..).unwrap_or_default()
            }
        };
        let at_end = filled < chunk.len();
        scan.feed(content, at_end).map_err(|fault| fault.into_error(path))?;
        if at_end {
            break;
        }
    }
    shape.ok_or_else(|| ImportError::Empty { path: path.to_path_buf() })
}

/// Reads until `buffer` is full or the file ends, so chunk boundaries only fall at the end.
fn read_full(file: &mut std::fs::File, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        let Some(rest) = buffer.get_mut(filled..) else { break };
        match file.read(rest) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}

fn first_chunk_shape(path: &Path, bytes: &[u8], total_bytes: u64) -> Result<FileShape, ImportError> {
    let not_csv = |reason: &str| ImportError::NotCsv { path: path.to_path_buf(), reason: reason.to_owned() };
    if bytes.starts_with(b"%PDF") {
        return Err(not_csv("it is a PDF document; export the data as CSV instead"));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(not_csv(
            "it is a ZIP archive, probably an Excel workbook (.xlsx); open it and save it as \"CSV UTF-8\"",
        ));
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(not_csv("it is an old Excel workbook (.xls); open it and save it as \"CSV UTF-8\""));
    }
    if let Some((_, what)) = BINARY_SIGNATURES.iter().find(|(signature, _)| bytes.starts_with(signature)) {
        return Err(not_csv(what));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") || looks_like_utf16(bytes) {
        return Err(not_csv("it is UTF-16 text (Excel's \"Unicode Text\"); re-save it as \"CSV UTF-8\""));
    }
    let bom_len = if bytes.starts_with(UTF8_BOM) { UTF8_BOM.len() } else { 0 };
    let content = bytes.get(bom_len..).unwrap_or_default();
    if content.iter().all(u8::is_ascii_whitespace) && total_bytes <= bytes.len() as u64 {
        return Err(ImportError::Empty { path: path.to_path_buf() });
    }
    Ok(FileShape { total_bytes, bom_len: bom_len as u64, delimiter: sniff_delimiter(content) })
}

/// Files people pick by mistake, by their first bytes, with what to say about them; without
/// these a PNG would be reported as text with a bad byte on line 1.
const BINARY_SIGNATURES: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "it is a PNG image"),
    (b"\xFF\xD8\xFF", "it is a JPEG image"),
    (b"GIF87a", "it is a GIF image"),
    (b"GIF89a", "it is a GIF image"),
    (b"\x1F\x8B", "it is a gzip archive; unpack it first"),
];

/// UTF-16 without a byte-order mark: ASCII text with a NUL byte beside every character, all on
/// the same side. Checked on the first characters only, which in a CSV are the header's.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let pairs: Vec<&[u8]> = bytes.chunks_exact(2).take(32).collect();
    let little_endian = pairs.iter().all(|pair| matches!(pair, [low, 0] if low.is_ascii() && *low != 0));
    let big_endian = pairs.iter().all(|pair| matches!(pair, [0, low] if low.is_ascii() && *low != 0));
    pairs.len() >= 2 && (little_endian || big_endian)
}

/// Picks `,`, `;` or tab by counting each outside quotes on the header line. European Excel
/// writes `;`, database tools often tabs; a single-column file falls back to `,`.
pub(crate) fn sniff_delimiter(content: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    for &byte in content {
        match byte {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => break,
            b',' if !in_quotes => counts[0] += 1,
            b';' if !in_quotes => counts[1] += 1,
            b'\t' if !in_quotes => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b',', b';', b'\t'];
    let mut best = 0;
    for (index, count) in counts.iter().enumerate() {
        if *count > counts[best] {
            best = index;
        }
    }
    candidates[best]
}

/// Where a scan found a fault, before the path is attached.
#[derive(Debug, PartialEq, Eq)]
enum ScanFault {
    Nul { line: u64 },
    NotUtf8 { line: u64, byte: u64, offset: u64 },
}

impl ScanFault {
    fn into_error(self, path: &Path) -> ImportError {
        match self {
            Self::Nul { line } => ImportError::NotCsv {
                path: path.to_path_buf(),
                reason: format!(
                    "line {line} holds a NUL byte, so it is a binary file (a spreadsheet or a document?)"
                ),
            },
            Self::NotUtf8 { line, byte, offset } => {
                ImportError::NotUtf8 { path: path.to_path_buf(), line, byte, offset }
            }
        }
    }
}

/// Streaming UTF-8 and NUL check that knows the line and offset it is at.
#[derive(Debug, Default)]
struct Utf8Scan {
    /// Bytes of a character cut by the chunk boundary.
    pending: Vec<u8>,
    /// Offset in the file of the first byte of `pending` or of the next chunk.
    offset: u64,
    line: u64,
    line_start: u64,
}

impl Utf8Scan {
    fn starting_at(offset: u64) -> Self {
        Self { offset, line_start: offset, ..Self::default() }
    }

    fn feed(&mut self, chunk: &[u8], at_end: bool) -> Result<(), ScanFault> {
        let mut joined;
        let bytes = if self.pending.is_empty() {
            chunk
        } else {
            joined = std::mem::take(&mut self.pending);
            joined.extend_from_slice(chunk);
            joined.as_slice()
        };
        let (valid, fault_at) = match std::str::from_utf8(bytes) {
            Ok(_) => (bytes.len(), None),
            Err(error) if error.error_len().is_none() && !at_end => (error.valid_up_to(), None),
            Err(error) => (error.valid_up_to(), Some(error.valid_up_to())),
        };
        let checked = bytes.get(..valid).unwrap_or_default();
        if let Some(nul) = checked.iter().position(|b| *b == 0) {
            self.advance(checked.get(..nul).unwrap_or_default());
            return Err(ScanFault::Nul { line: self.line + 1 });
        }
        self.advance(checked);
        if fault_at.is_some() {
            let byte = self.offset - self.line_start + 1;
            return Err(ScanFault::NotUtf8 { line: self.line + 1, byte, offset: self.offset });
        }
        self.pending = bytes.get(valid..).unwrap_or_default().to_vec();
        Ok(())
    }

    fn advance(&mut self, bytes: &[u8]) {
        if let Some(last_newline) = bytes.iter().rposition(|b| *b == b'\n') {
            self.line += bytes.iter().filter(|b| **b == b'\n').count() as u64;
            self.line_start = self.offset + last_newline as u64 + 1;
        }
        self.offset += bytes.len() as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(chunks: &[&[u8]]) -> Result<(), ScanFault> {
        let mut scan = Utf8Scan::default();
        for (index, chunk) in chunks.iter().enumerate() {
            scan.feed(chunk, index + 1 == chunks.len())?;
        }
        Ok(())
    }

    #[test]
    fn finds_the_line_and_byte_of_bad_utf8() {
        assert_eq!(scan(&[b"a,b\nc,d\n"]), Ok(()));
        assert_eq!(scan(&[b"a,b\nc,\xE9t\xE9\n"]), Err(ScanFault::NotUtf8 { line: 2, byte: 3, offset: 6 }));
        assert_eq!(scan(&[b"a\n\x00"]), Err(ScanFault::Nul { line: 2 }));
    }

    #[test]
    fn offsets_count_the_bom_and_bytes_of_the_line_do_not() {
        let mut scan = Utf8Scan::starting_at(3);
        assert_eq!(scan.feed(b"\xE9a\n", true), Err(ScanFault::NotUtf8 { line: 1, byte: 1, offset: 3 }));
        let mut scan = Utf8Scan::starting_at(3);
        assert_eq!(scan.feed(b"ab\nc\xE9", true), Err(ScanFault::NotUtf8 { line: 2, byte: 2, offset: 7 }));
    }

    #[test]
    fn recognises_utf16_without_a_bom() {
        assert!(looks_like_utf16(b"e\0m\0a\0i\0l\0\n\0"));
        assert!(looks_like_utf16(b"\0e\0m\0a\0i\0l"));
        assert!(!looks_like_utf16(b"email,name\n"));
        assert!(!looks_like_utf16(b"e\0m\0\0a"));
        assert!(!looks_like_utf16(b"e\0"));
    }

    #[test]
    fn characters_split_across_chunks_are_fine() {
        let text = "name\nJos\u{e9}\n".as_bytes();
        let (first, second) = text.split_at(9);
        assert_eq!(scan(&[first, second]), Ok(()));
        assert_eq!(scan(&[b"ab\n\xC3"]), Err(ScanFault::NotUtf8 { line: 2, byte: 1, offset: 3 }));
    }

    #[test]
    fn sniffs_the_delimiter_outside_quotes() {
        assert_eq!(sniff_delimiter(b"email,first_name\nx;y"), b',');
        assert_eq!(sniff_delimiter(b"email;first_name;\"a,b,c\"\n"), b';');
        assert_eq!(sniff_delimiter(b"email\tname\n"), b'\t');
        assert_eq!(sniff_delimiter(b"email\n"), b',');
    }
}

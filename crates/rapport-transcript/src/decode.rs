//! Bytes to text: UTF-8 (with or without a byte-order mark) or UTF-16 with a byte-order mark,
//! which Windows subtitle tools still write. Anything else fails at the line it breaks on.

use std::borrow::Cow;

use crate::TranscriptError;

pub(crate) fn decode_text(bytes: &[u8]) -> Result<Cow<'_, str>, TranscriptError> {
    if let Some(units) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16(units, u16::from_le_bytes).map(Cow::Owned);
    }
    if let Some(units) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16(units, u16::from_be_bytes).map(Cow::Owned);
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|error| {
        let valid = &bytes[..error.valid_up_to()];
        TranscriptError::at_line(
            line_of(valid),
            format!("not UTF-8 text (byte 0x{:02X}); save the file as UTF-8", bytes[error.valid_up_to()]),
        )
    })
}

fn decode_utf16(units: &[u8], read: fn([u8; 2]) -> u16) -> Result<String, TranscriptError> {
    let mut text = String::with_capacity(units.len() / 2);
    let code_units = units.chunks(2).map(|pair| match pair {
        [first, second] => read([*first, *second]),
        // An odd trailing byte cannot be a character; the replacement makes it fail below.
        _ => 0xD800,
    });
    for decoded in char::decode_utf16(code_units) {
        match decoded {
            Ok(character) => text.push(character),
            Err(_) => {
                return Err(TranscriptError::at_line(
                    line_of(text.as_bytes()),
                    "broken UTF-16 text (an unpaired surrogate or an odd byte count)",
                ))
            }
        }
    }
    Ok(text)
}

/// The 1-based line that the byte after `before` is on.
fn line_of(before: &[u8]) -> usize {
    before.iter().filter(|byte| **byte == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut bytes = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for unit in text.encode_utf16() {
            let pair = if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() };
            bytes.extend(pair);
        }
        bytes
    }

    #[test]
    fn reads_utf8_with_and_without_a_byte_order_mark() {
        assert_eq!(decode_text(b"WEBVTT\n").unwrap(), "WEBVTT\n");
        assert_eq!(decode_text(b"\xEF\xBB\xBFWEBVTT\n").unwrap(), "WEBVTT\n");
    }

    #[test]
    fn reads_utf16_in_both_byte_orders() {
        let text = "1\n00:00:01,000 --> 00:00:02,000\nJosé: olá\n";
        assert_eq!(decode_text(&utf16(text, false)).unwrap(), text);
        assert_eq!(decode_text(&utf16(text, true)).unwrap(), text);
    }

    #[test]
    fn names_the_line_of_bad_bytes() {
        let error = decode_text(b"WEBVTT\n\nok\nbad \xE9t\xE9\n").unwrap_err();
        assert_eq!(error.to_string(), "line 4: not UTF-8 text (byte 0xE9); save the file as UTF-8");
        let mut odd = utf16("WEBVTT\nx", false);
        odd.push(b'y');
        assert_eq!(decode_text(&odd).unwrap_err().location(), Some(crate::Location::Line(2)));
    }
}

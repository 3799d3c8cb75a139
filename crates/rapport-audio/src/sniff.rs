//! Recognises a container from its first bytes, so errors can say what a file is (text, AIFF, …)
//! rather than only that the decoder refused it.

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Container {
    /// A format this crate decodes; the name is the one `DecodedAudio::format` reports.
    Supported(&'static str),
    /// A known audio format that symphonia, as built here, does not read.
    Unsupported(&'static str),
    /// Nothing recognised; symphonia's probe still gets a chance.
    Unknown,
}

/// How many leading bytes the sniffing looks at; enough to step over a small ID3v2 tag and find
/// an MP3's Xing/Info header.
pub(crate) const HEAD_LEN: usize = 16 * 1024;

pub(crate) fn container(head: &[u8]) -> Container {
    let at = |offset: usize, magic: &[u8]| head.get(offset..offset + magic.len()) == Some(magic);
    if at(0, b"RIFF") && at(8, b"WAVE") {
        Container::Supported("wav")
    } else if at(0, b"fLaC") {
        Container::Supported("flac")
    } else if at(0, b"OggS") {
        Container::Supported("ogg")
    } else if at(4, b"ftyp") {
        // The major brand tells an audio-only M4A from a video MP4 (a Zoom or Meet recording),
        // whose audio track decodes all the same.
        Container::Supported(if at(8, b"M4A ") { "m4a" } else { "mp4" })
    } else if at(0, b"ID3") || is_mpeg_audio_sync(head) {
        Container::Supported("mp3")
    } else if at(0, b"FORM") && (at(8, b"AIFF") || at(8, b"AIFC")) {
        Container::Unsupported("AIFF")
    } else if at(0, b"#!AMR") {
        Container::Unsupported("AMR")
    } else if at(0, &[0x1A, 0x45, 0xDF, 0xA3]) {
        Container::Unsupported("Matroska/WebM")
    } else if at(0, &[0x30, 0x26, 0xB2, 0x75]) {
        Container::Unsupported("WMA/ASF")
    } else if at(0, b"caff") {
        Container::Unsupported("Core Audio (CAF)")
    } else if at(0, b".snd") {
        Container::Unsupported("Sun/NeXT AU")
    } else if at(0, b"RIFF") {
        Container::Unsupported("RIFF that is not WAVE (AVI?)")
    } else {
        Container::Unknown
    }
}

/// An MPEG audio frame header: 11 sync bits, a valid version and layer III. ADTS AAC shares the
/// sync bits but has layer 0, so it is not taken for MP3.
fn is_mpeg_audio_sync(head: &[u8]) -> bool {
    match head {
        [0xFF, second, ..] => second & 0xE0 == 0xE0 && second & 0x18 != 0x08 && second & 0x06 == 0x02,
        _ => false,
    }
}

/// A description of bytes nobody recognised, for "not an audio file (…)".
pub(crate) fn describe_unknown(head: &[u8]) -> String {
    let sample = &head[..head.len().min(512)];
    let text_like = sample
        .iter()
        .filter(|&&b| b == b'\n' || b == b'\r' || b == b'\t' || (0x20..0x7F).contains(&b) || b >= 0x80)
        .count();
    // UTF-8 text cut mid-character at the sample's end is still text, so validity is checked up
    // to the last complete character.
    let utf8_ok = match std::str::from_utf8(sample) {
        Ok(_) => true,
        Err(error) => error.valid_up_to() + 4 > sample.len(),
    };
    if utf8_ok && text_like == sample.len() {
        "it looks like text".to_string()
    } else {
        let start: Vec<String> = head.iter().take(8).map(|b| format!("{b:02x}")).collect();
        format!("no known audio format; it starts with bytes {}", start.join(" "))
    }
}

/// How far the length a header announces can be trusted, to tell a truncated file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AnnouncedLength {
    /// Counted by the encoder: WAV, FLAC, M4A, Ogg, and MP3 with a Xing, Info or VBRI tag.
    Exact,
    /// symphonia's estimate from an MP3's bitrate, which can be far off for VBR files.
    Estimate,
    /// A placeholder: a WAV written to a pipe or by a live recorder says 0xFFFFFFFF bytes.
    Unknown,
}

pub(crate) fn announced_length(format: &str, head: &[u8]) -> AnnouncedLength {
    match format {
        "mp3" if !mp3_has_length_tag(head) => AnnouncedLength::Estimate,
        "wav" if wav_sizes_are_placeholders(head) => AnnouncedLength::Unknown,
        _ => AnnouncedLength::Exact,
    }
}

fn mp3_has_length_tag(head: &[u8]) -> bool {
    let mut start = 0;
    if head.starts_with(b"ID3") && head.len() >= 10 {
        // The ID3v2 size is "syncsafe": 7 bits per byte.
        let size = head[6..10].iter().fold(0usize, |acc, &b| (acc << 7) | usize::from(b & 0x7F));
        start = 10 + size;
    }
    // The tag sits inside the first frame, within its first 200 bytes or so.
    let window = head.get(start..head.len().min(start + 256)).unwrap_or(&[]);
    [b"Xing", b"Info", b"VBRI"].iter().any(|tag| window.windows(4).any(|w| w == *tag))
}

/// Whether the RIFF size or the data chunk's size is the 0xFFFFFFFF "unknown" placeholder.
fn wav_sizes_are_placeholders(head: &[u8]) -> bool {
    let size_at =
        |offset: usize| head.get(offset..offset + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    if size_at(4) == Some(u32::MAX) {
        return true;
    }
    let mut offset = 12;
    while let (Some(id), Some(size)) = (head.get(offset..offset + 4), size_at(offset + 4)) {
        if id == b"data" {
            return size == u32::MAX;
        }
        // Chunks are padded to an even length.
        offset += 8 + size as usize + (size as usize & 1);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(head: &[u8], expected: Container) {
        assert_eq!(container(head), expected, "head {head:?}");
    }

    #[test]
    fn recognises_containers_by_magic() {
        check(b"RIFF\0\0\0\0WAVEfmt ", Container::Supported("wav"));
        check(b"fLaC\0\0\0\x22", Container::Supported("flac"));
        check(b"OggS\0\x02", Container::Supported("ogg"));
        check(b"\0\0\0\x20ftypM4A ", Container::Supported("m4a"));
        check(b"\0\0\0\x20ftypisom", Container::Supported("mp4"));
        check(b"ID3\x04\0\0\0\0\0\0", Container::Supported("mp3"));
        check(&[0xFF, 0xFB, 0x90, 0x64], Container::Supported("mp3"));
        check(&[0xFF, 0xF1, 0x50, 0x80], Container::Unknown); // ADTS AAC: symphonia probes it
        check(b"FORM\0\0\0\0AIFF", Container::Unsupported("AIFF"));
        check(b"#!AMR\n", Container::Unsupported("AMR"));
        check(b"hello world", Container::Unknown);
        check(b"", Container::Unknown);
    }

    #[test]
    fn describes_text_and_binary() {
        assert_eq!(describe_unknown("Ünïcode text\n".as_bytes()), "it looks like text");
        assert!(describe_unknown(&[0, 1, 2, 0xFE]).contains("00 01 02 fe"));
    }

    #[test]
    fn trusts_announced_lengths_only_where_counted() {
        let mut mp3 = b"ID3\x04\0\0\0\0\0\x05".to_vec();
        mp3.extend_from_slice(&[0; 5]);
        mp3.extend_from_slice(&[0xFF, 0xFB, 0x90, 0x64, 0, 0, 0, 0]);
        assert_eq!(announced_length("mp3", &mp3), AnnouncedLength::Estimate);
        mp3.extend_from_slice(b"Info");
        assert_eq!(announced_length("mp3", &mp3), AnnouncedLength::Exact);

        let wav = |riff: u32, data: u32| {
            let mut head = b"RIFF".to_vec();
            head.extend_from_slice(&riff.to_le_bytes());
            head.extend_from_slice(b"WAVEfmt \x10\0\0\0");
            head.extend_from_slice(&[0; 16]);
            head.extend_from_slice(b"LIST\x03\0\0\0abc\0data");
            head.extend_from_slice(&data.to_le_bytes());
            head
        };
        assert_eq!(announced_length("wav", &wav(1000, 900)), AnnouncedLength::Exact);
        assert_eq!(announced_length("wav", &wav(u32::MAX, u32::MAX)), AnnouncedLength::Unknown);
        assert_eq!(announced_length("wav", &wav(1000, u32::MAX)), AnnouncedLength::Unknown);
        assert_eq!(announced_length("flac", b"fLaC"), AnnouncedLength::Exact);
    }
}

//! Decodes a recording with symphonia, packet by packet, into 16 kHz channels.
//!
//! **Damaged files.** A packet the codec rejects, or one the reader skips (a gap in the
//! timestamps, as when a FLAC frame fails its checksum), becomes silence of its length, so later
//! words keep their true times; players skip such packets too, and one bad MP3 frame is 26 ms.
//! That is tolerated while it stays rare (at most 2 packets, or 1%); more is
//! [`AudioError::Corrupt`]. A stream well short of the length its header announces is
//! [`AudioError::Truncated`] and nothing is returned: a call cut off half-way would otherwise be
//! transcribed, scored and reported as if it were whole. The message says how much did decode,
//! so someone can decide to re-export the file. The announced length is exact for WAV, FLAC,
//! M4A, Ogg and MP3 files with a Xing/Info/VBRI tag (what LAME and most encoders write), and
//! "well short" is then more than 0.1 s; an MP3 without a tag only has an estimate from its
//! bitrate, so there the shortfall must exceed 10%; a WAV whose sizes are the 0xFFFFFFFF
//! placeholder (written to a pipe or by a live recorder) announces nothing and is decoded to its
//! end.

use std::io::{Cursor, ErrorKind, Read, Seek, SeekFrom};
use std::path::Path;

use symphonia::core::codecs::{self, CodecParameters, CodecType, Decoder, DecoderOptions};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::{FormatOptions, FormatReader};
use symphonia::core::io::{MediaSource, MediaSourceStream};
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use crate::collect::Collector;
use crate::sniff::{self, AnnouncedLength, Container, HEAD_LEN};
use crate::{AudioError, DecodedAudio};

/// Decodes the file at `path`, streaming it from disk. `progress` gets the share decoded so far,
/// from 0.0 to 1.0, about every 1%, where the header announces a length; 1.0 at the end always.
pub fn decode_file(path: &Path, progress: &mut dyn FnMut(f64)) -> Result<DecodedAudio, AudioError> {
    let file = path.display().to_string();
    let io = |source| AudioError::Io { file: file.clone(), source };
    let mut handle = std::fs::File::open(path).map_err(io)?;
    let mut head = Vec::with_capacity(HEAD_LEN);
    (&mut handle).take(HEAD_LEN as u64).read_to_end(&mut head).map_err(io)?;
    handle.seek(SeekFrom::Start(0)).map_err(io)?;
    let extension = path.extension().and_then(|extension| extension.to_str());
    decode_source(&file, extension, &head, Box::new(handle), progress)
}

/// Decodes a recording held in memory; `name` is used in errors and for its extension. The bytes
/// are copied once (symphonia needs to own its source); compressed audio is small beside the
/// decoded samples, so this does not change the peak much.
pub fn decode_bytes(
    name: &str,
    bytes: &[u8],
    progress: &mut dyn FnMut(f64),
) -> Result<DecodedAudio, AudioError> {
    let head = &bytes[..bytes.len().min(HEAD_LEN)];
    let extension = Path::new(name).extension().and_then(|extension| extension.to_str());
    decode_source(name, extension, head, Box::new(Cursor::new(bytes.to_vec())), progress)
}

/// An opened stream: the reader, a decoder for its first audio track, and what is known of it.
struct Opened {
    reader: Box<dyn FormatReader>,
    decoder: Box<dyn Decoder>,
    track_id: u32,
    params: CodecParameters,
    format: String,
}

/// Recognises the container, probes it and makes a decoder, turning each failure into the error
/// that best names it.
fn open(
    file: &str,
    extension: Option<&str>,
    head: &[u8],
    source: Box<dyn MediaSource>,
) -> Result<Opened, AudioError> {
    if head.is_empty() {
        return Err(AudioError::EmptyFile { file: file.to_string() });
    }
    let container = sniff::container(head);
    if let Container::Unsupported(name) = container {
        let detail = format!("{name} files cannot be decoded");
        return Err(AudioError::Unsupported { file: file.to_string(), detail });
    }
    let mut hint = Hint::new();
    if let Some(extension) = extension {
        hint.with_extension(extension);
    }
    // Gapless mode trims the encoder's delay and padding (MP3, AAC), so the decoded length is the
    // length of what was recorded, not of what was encoded.
    let format_options = FormatOptions { enable_gapless: true, ..FormatOptions::default() };
    let stream = MediaSourceStream::new(source, Default::default());
    let probed = symphonia::default::get_probe()
        .format(&hint, stream, &format_options, &MetadataOptions::default())
        .map_err(|error| match (container, error) {
            (Container::Supported(name), SymphoniaError::IoError(e))
                if e.kind() == ErrorKind::UnexpectedEof =>
            {
                AudioError::TruncatedHeader { file: file.to_string(), format: name.to_string() }
            }
            (Container::Supported(name), error) => AudioError::Corrupt {
                file: file.to_string(),
                detail: format!("the {name} container cannot be read ({error})"),
            },
            _ => AudioError::NotAudio { file: file.to_string(), detail: sniff::describe_unknown(head) },
        })?;
    let reader = probed.format;
    let track = reader
        .tracks()
        .iter()
        .find(|track| track.codec_params.codec != codecs::CODEC_TYPE_NULL)
        .ok_or_else(|| AudioError::NoSamples { file: file.to_string() })?;
    let (track_id, params) = (track.id, track.codec_params.clone());
    let codec = codec_name(params.codec);
    let decoder =
        symphonia::default::get_codecs().make(&params, &DecoderOptions::default()).map_err(|error| {
            AudioError::Unsupported {
                file: file.to_string(),
                detail: match error {
                    SymphoniaError::Unsupported(_) => format!("the {codec} codec is not supported"),
                    error => format!("the {codec} codec cannot start ({error})"),
                },
            }
        })?;
    let format = match container {
        Container::Supported(name) => name.to_string(),
        _ => codec.to_lowercase(),
    };
    Ok(Opened { reader, decoder, track_id, params, format })
}

fn decode_source(
    file: &str,
    extension: Option<&str>,
    head: &[u8],
    source: Box<dyn MediaSource>,
    progress: &mut dyn FnMut(f64),
) -> Result<DecodedAudio, AudioError> {
    let corrupt = |detail: String| AudioError::Corrupt { file: file.to_string(), detail };
    let Opened { mut reader, mut decoder, track_id, params, format } = open(file, extension, head, source)?;
    let timestamps_count_frames = params
        .time_base
        .zip(params.sample_rate)
        .is_some_and(|(time_base, rate)| time_base.numer == 1 && time_base.denom == rate);
    let mut collector = Collector::new(timestamps_count_frames);
    let mut reported = 0.0;
    loop {
        let at_s = collector.seconds();
        let packet = match reader.next_packet() {
            Ok(packet) => packet,
            // symphonia reports the end of the stream as an unexpected end of file.
            Err(SymphoniaError::IoError(e)) if e.kind() == ErrorKind::UnexpectedEof => break,
            Err(SymphoniaError::IoError(source)) => {
                return Err(AudioError::Io { file: file.to_string(), source })
            }
            Err(SymphoniaError::ResetRequired) => {
                let detail = format!("the stream changes format at {at_s:.1} s (chained streams)");
                return Err(AudioError::Unsupported { file: file.to_string(), detail });
            }
            Err(error) => return Err(corrupt(format!("at {at_s:.1} s: {error}"))),
        };
        if packet.track_id() != track_id {
            continue;
        }
        collector.packet(packet.ts(), packet.dur());
        match decoder.decode(&packet) {
            Ok(decoded) if decoded.frames() == 0 => {}
            Ok(decoded) => collector.block(&decoded).map_err(|change| AudioError::Unsupported {
                file: file.to_string(),
                detail: format!(
                    "the stream changes from {} Hz, {} channel(s) to {} Hz, {} channel(s) at {at_s:.1} s",
                    change.from.0, change.from.1, change.to.0, change.to.1
                ),
            })?,
            Err(SymphoniaError::DecodeError(_) | SymphoniaError::IoError(_)) => collector.lost(packet.dur()),
            Err(SymphoniaError::Unsupported(what)) => {
                let detail =
                    format!("the {} stream uses an unsupported feature: {what}", codec_name(params.codec));
                return Err(AudioError::Unsupported { file: file.to_string(), detail });
            }
            Err(error) => return Err(corrupt(format!("at {at_s:.1} s: {error}"))),
        }
        if let Some(total) = params.n_frames.filter(|&total| total > 0) {
            let share = (collector.frames() as f64 / total as f64).min(1.0);
            if share - reported >= 0.01 {
                reported = share;
                progress(share);
            }
        }
    }

    let (packets, bad_packets, first_bad_s) =
        (collector.packets, collector.bad_packets, collector.first_bad_s);
    let Some((rate, frames, channels)) = collector.finish() else {
        return Err(AudioError::NoSamples { file: file.to_string() });
    };
    if bad_packets > (packets / 100).max(2) {
        let at = first_bad_s.unwrap_or(0.0);
        return Err(corrupt(format!(
            "{bad_packets} of {packets} packets could not be decoded, the first at {at:.1} s"
        )));
    }
    if let Some(announced) = params.n_frames {
        let tolerance = match sniff::announced_length(&format, head) {
            AnnouncedLength::Exact => Some(u64::from(rate) / 10),
            AnnouncedLength::Estimate => Some(announced / 10),
            AnnouncedLength::Unknown => None,
        };
        if tolerance.is_some_and(|tolerance| frames + tolerance < announced) {
            return Err(AudioError::Truncated {
                file: file.to_string(),
                decoded_s: frames as f64 / f64::from(rate),
                expected_s: announced as f64 / f64::from(rate),
            });
        }
    }
    progress(1.0);
    Ok(DecodedAudio { sample_rate: rate, channels, duration_s: frames as f64 / f64::from(rate), format })
}

/// A readable name for a codec, including those symphonia knows of but cannot decode here.
fn codec_name(codec: CodecType) -> String {
    let known = [
        (codecs::CODEC_TYPE_MP3, "MP3"),
        (codecs::CODEC_TYPE_MP2, "MP2"),
        (codecs::CODEC_TYPE_MP1, "MP1"),
        (codecs::CODEC_TYPE_AAC, "AAC"),
        (codecs::CODEC_TYPE_FLAC, "FLAC"),
        (codecs::CODEC_TYPE_VORBIS, "Vorbis"),
        (codecs::CODEC_TYPE_OPUS, "Opus"),
        (codecs::CODEC_TYPE_ALAC, "ALAC"),
        (codecs::CODEC_TYPE_WAVPACK, "WavPack"),
        (codecs::CODEC_TYPE_ADPCM_IMA_WAV, "IMA ADPCM"),
        (codecs::CODEC_TYPE_ADPCM_MS, "Microsoft ADPCM"),
    ];
    if let Some((_, name)) = known.iter().find(|(known, _)| *known == codec) {
        return name.to_string();
    }
    match symphonia::default::get_codecs().get_codec(codec) {
        Some(descriptor) if descriptor.short_name.starts_with("pcm") => "WAV".to_string(),
        Some(descriptor) => descriptor.short_name.to_string(),
        None => format!("unknown ({codec})"),
    }
}

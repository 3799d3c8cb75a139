//! Long-form decoding of one stream: voice activity first, then 30-second windows over the
//! log-mel spectrogram of the kept audio, each decoded with the text before it as prompt and
//! advanced to the end of its last complete segment, as openai-whisper and faster-whisper do.

use ct2rs::sys::{Device, StorageView, Whisper};

use crate::fallback::{is_silence, Attempt};
use crate::mel::log_mel_spectrogram;
use crate::segments::{split_by_timestamps, WindowSegment};
use crate::vad::{speech_ranges, TimeMap};
use crate::window::{build_prompt, decode_with_fallback};
use crate::words::{align_segments, TimedWord, Word};
use crate::{AsrError, Segment, Transcriber};

/// Windows decoded hotter than this do not feed the next window (faster-whisper's
/// `prompt_reset_on_temperature`): their text is likely wrong.
const PROMPT_RESET_TEMPERATURE: f32 = 0.5;

/// Where a window sits: its start in the kept audio, and the map back to the recording.
struct Placement<'a> {
    offset: f64,
    kept_seconds: f64,
    time_map: &'a TimeMap,
}

impl Placement<'_> {
    fn kept(&self, window_seconds: f64) -> f64 {
        (self.offset + window_seconds).min(self.kept_seconds)
    }
}

impl Transcriber {
    pub(crate) fn transcribe_on(
        &self,
        engine: &Whisper,
        samples: &[f32],
        progress: &mut dyn FnMut(f64),
    ) -> Result<Vec<Segment>, AsrError> {
        let rate = self.features.sampling_rate;
        let ranges = match &self.options.vad {
            Some(vad) => speech_ranges(samples, rate, vad),
            None if samples.is_empty() => Vec::new(),
            None => vec![(0, samples.len())],
        };
        let (kept, time_map) = TimeMap::keep(samples, &ranges, rate);
        let mel = log_mel_spectrogram(&kept, &self.features);
        let window_frames = self.features.frames_per_window();
        let kept_seconds = kept.len() as f64 / rate as f64;
        let hotwords = match self.options.hotwords.is_empty() {
            true => Vec::new(),
            false => self.tokens.encode(&format!(" {}", self.options.hotwords.join(", ")))?,
        };
        let mut context = match &self.options.initial_prompt {
            Some(prompt) => self.tokens.encode(&format!(" {}", prompt.trim()))?,
            None => Vec::new(),
        };
        let mut start_sequence: Option<Vec<usize>> = None;
        let mut segments: Vec<Segment> = Vec::new();
        let mut seek = 0;
        while seek < mel.frames {
            let size = window_frames.min(mel.frames - seek);
            let mut window = mel.window(seek, size, window_frames);
            let view = StorageView::new(&[1, mel.bins, window_frames], &mut window, Device::CPU)
                .map_err(AsrError::engine)?;
            let encoded = engine.encode(&view, false).map_err(AsrError::engine)?;
            let start_sequence = match &start_sequence {
                Some(sequence) => sequence,
                None => start_sequence.insert(self.start_sequence(engine, &encoded)?),
            };
            let prompt = build_prompt(self.tokens.start_of_previous, &hotwords, &context, start_sequence);
            let attempt = decode_with_fallback(engine, &encoded, &prompt, &self.tokens, &self.options)?;
            if is_silence(&attempt, &self.options.fallback) {
                seek += size;
                progress(seek as f64 / mel.frames as f64);
                continue;
            }
            let split = split_by_timestamps(&attempt.tokens, self.tokens.timestamp_begin, size);
            let placement = Placement {
                offset: seek as f64 * self.features.seconds_per_frame(),
                kept_seconds,
                time_map: &time_map,
            };
            // A segment that runs over a removed silence is cut there, by its words' times.
            let crosses = |s: &WindowSegment| {
                time_map.piece_at(placement.kept(s.start), false)
                    != time_map.piece_at(placement.kept(s.end), true)
            };
            let words = if self.options.word_timestamps || split.segments.iter().any(crosses) {
                align_segments(engine, &encoded, start_sequence, &self.tokens, &split.segments, size)?
            } else {
                vec![Vec::new(); split.segments.len()]
            };
            for (piece, piece_words) in split.segments.iter().zip(words) {
                let text = self.tokens.decode(&piece.tokens)?;
                if piece.start >= piece.end || text.trim().is_empty() {
                    continue;
                }
                context.extend_from_slice(&piece.tokens);
                self.emit(piece, text.trim(), piece_words, &attempt, &placement, &mut segments);
            }
            if !self.options.condition_on_previous_text || attempt.temperature > PROMPT_RESET_TEMPERATURE {
                context.clear();
            }
            seek += split.advance_frames;
            progress(seek.min(mel.frames) as f64 / mel.frames as f64);
        }
        progress(1.0);
        Ok(segments)
    }

    /// Adds one window segment to `out` in recording time: as it is, or cut into one segment
    /// per kept piece of audio its words fall in.
    fn emit(
        &self,
        piece: &WindowSegment,
        text: &str,
        words: Vec<TimedWord>,
        attempt: &Attempt,
        placement: &Placement,
        out: &mut Vec<Segment>,
    ) {
        let map = placement.time_map;
        let mut push = |start: f64, end: f64, text: String, words: Vec<Word>| {
            let start = start.max(out.last().map_or(0.0, |s| s.end));
            out.push(Segment {
                start,
                end: end.max(start),
                text,
                avg_logprob: attempt.avg_logprob,
                no_speech_prob: attempt.no_speech_prob,
                temperature: attempt.temperature,
                compression_ratio: attempt.compression_ratio,
                words: if self.options.word_timestamps { words } else { Vec::new() },
            });
        };
        if words.is_empty() {
            let start = map.to_recording(placement.kept(piece.start), false);
            let end = map.to_recording(placement.kept(piece.end), true);
            return push(start, end, text.to_owned(), Vec::new());
        }
        // Consecutive words in the same kept piece form one output segment.
        let mut groups: Vec<(usize, Vec<TimedWord>)> = Vec::new();
        for word in words {
            let at = map.piece_at(placement.kept(word.start), false);
            match groups.last_mut() {
                Some((index, group)) if *index == at => group.push(word),
                _ => groups.push((at, vec![word])),
            }
        }
        let count = groups.len();
        for (position, (index, group)) in groups.into_iter().enumerate() {
            let first_start = if position == 0 { piece.start } else { group[0].start };
            let last_end = if position + 1 == count { piece.end } else { group[group.len() - 1].end };
            let start = map.to_recording_in(index, placement.kept(first_start));
            let end = map.to_recording_in(index, placement.kept(last_end)).max(start);
            let text = if count == 1 {
                text.to_owned()
            } else {
                group.iter().map(|w| w.text.as_str()).collect::<String>().trim().to_owned()
            };
            let words = group
                .into_iter()
                .map(|w| Word {
                    start: map.to_recording_in(index, placement.kept(w.start)).clamp(start, end),
                    end: map.to_recording_in(index, placement.kept(w.end)).clamp(start, end),
                    text: w.text.trim().to_owned(),
                    probability: w.probability,
                })
                .collect();
            push(start, end, text, words);
        }
    }
}

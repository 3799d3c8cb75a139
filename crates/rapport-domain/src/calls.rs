//! Sales calls: what comes in about a call ([`CallRecord`]), the stored call ([`Call`]) and its
//! transcript as the stores keep it ([`UtteranceRow`], [`WordRow`]: integer milliseconds).

use serde::{Deserialize, Serialize};

use crate::{AccountId, CallId, EmailAddress, OpportunityId, PersonId, Timestamp, UserId};

/// A value a store refuses before writing, with the field at fault named
/// (`title`, `utterances[2].end_ms`), so the caller can point at it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct InvalidField {
    pub field: String,
    pub message: String,
}

impl InvalidField {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// Where a call's transcript comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallSource {
    /// A recording, transcribed by a worker.
    Audio,
    /// A transcript a meeting tool already made, imported as is.
    Transcript,
}

/// Where a call is on its way to a stored transcript. The call's transcription job drives it:
/// `queued` while the job waits (also between retries), `transcribing` while a worker holds
/// it, `ready` once a transcript is stored, `failed` when the job gave up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallStatus {
    Queued,
    Transcribing,
    Ready,
    Failed,
}

/// Which side of the call a speaker is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpeakerRole {
    Rep,
    Customer,
    #[default]
    Unknown,
}

macro_rules! text_codes {
    ($type:ident { $($variant:ident => $code:literal),* $(,)? }) => {
        impl $type {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $code),* }
            }

            /// The inverse of `as_str`.
            pub fn parse(input: &str) -> Option<Self> {
                match input { $($code => Some(Self::$variant),)* _ => None }
            }
        }
    };
}

text_codes!(CallSource { Audio => "audio", Transcript => "transcript" });
text_codes!(CallStatus { Queued => "queued", Transcribing => "transcribing", Ready => "ready", Failed => "failed" });
text_codes!(SpeakerRole { Rep => "rep", Customer => "customer", Unknown => "unknown" });

/// Someone on the call as the recording or meeting tool named them (not resolved to people).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub name: String,
    pub email: Option<EmailAddress>,
    pub role: SpeakerRole,
}

/// A call as it comes in; related records are named by natural key and resolved by the store
/// (an unknown key is refused, never created).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRecord {
    /// The dialer's or meeting tool's id; unique when given.
    pub external_id: Option<String>,
    pub title: String,
    pub started_at: Timestamp,
    /// Known up front for imported transcripts; set from the audio when it is transcribed.
    pub duration_ms: Option<i64>,
    pub source: CallSource,
    pub participants: Vec<Participant>,
    /// The customer-side contact the call is with.
    pub person_email: Option<EmailAddress>,
    /// The account's domain; when absent the stores take the person's account.
    pub account_domain: Option<String>,
    pub opportunity_external_id: Option<String>,
    /// The user (sales rep) who made the call.
    pub rep_email: Option<EmailAddress>,
    /// Object-store key of the recording; required for audio calls.
    pub audio_key: Option<String>,
    pub audio_content_type: Option<String>,
}

impl CallRecord {
    /// The checks every store makes before writing a call.
    pub fn check(&self) -> Result<(), InvalidField> {
        if self.title.trim().is_empty() {
            return Err(InvalidField::new("title", "a call needs a title"));
        }
        if self.duration_ms.is_some_and(|d| d < 0) {
            return Err(InvalidField::new("duration_ms", "a duration cannot be negative"));
        }
        if self.source == CallSource::Audio && self.audio_key.as_deref().is_none_or(|k| k.trim().is_empty()) {
            return Err(InvalidField::new(
                "audio_key",
                "an audio call needs the object-store key of its audio",
            ));
        }
        let texts = [
            ("external_id", self.external_id.as_deref()),
            ("title", Some(self.title.as_str())),
            ("account_domain", self.account_domain.as_deref()),
            ("opportunity_external_id", self.opportunity_external_id.as_deref()),
            ("audio_key", self.audio_key.as_deref()),
            ("audio_content_type", self.audio_content_type.as_deref()),
        ];
        for (field, value) in texts {
            no_nul(field, value)?;
        }
        for (position, participant) in self.participants.iter().enumerate() {
            no_nul(&format!("participants[{position}].name"), Some(&participant.name))?;
        }
        Ok(())
    }
}

/// PostgreSQL text cannot hold NUL (SQLite's can); refusing it everywhere keeps the backends alike.
pub(crate) fn no_nul(field: &str, value: Option<&str>) -> Result<(), InvalidField> {
    match value {
        Some(v) if v.contains('\0') => Err(InvalidField::new(field, "contains a NUL character")),
        _ => Ok(()),
    }
}

/// A stored call with its references resolved to ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Call {
    pub id: CallId,
    pub person_id: Option<PersonId>,
    pub account_id: Option<AccountId>,
    pub opportunity_id: Option<OpportunityId>,
    pub rep_id: Option<UserId>,
    #[serde(flatten)]
    pub record: CallRecord,
    pub status: CallStatus,
    /// Why the call's transcription job gave up, while the status is `failed`.
    pub failure: Option<String>,
    pub created_at: Timestamp,
}

/// One speaker turn of a stored transcript. Times are milliseconds from the start of the
/// recording (the transcript model's seconds, rounded).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UtteranceRow {
    /// Position in the call, from 0, in order of start time.
    pub index: u32,
    pub speaker: Option<String>,
    pub role: SpeakerRole,
    /// Audio channel (0-based) for recordings with one party per channel.
    pub channel: Option<u32>,
    pub start_ms: i64,
    pub end_ms: i64,
    pub text: String,
    /// The recognised words, in order; empty when the source has no word timings.
    pub words: Vec<WordRow>,
}

/// One recognised word of an utterance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WordRow {
    pub text: String,
    pub start_ms: i64,
    pub end_ms: i64,
    pub confidence: Option<f32>,
}

impl UtteranceRow {
    /// The checks every store makes before writing the utterance at `position` of a transcript.
    pub fn check(&self, position: usize) -> Result<(), InvalidField> {
        let field = |name: &str| format!("utterances[{position}].{name}");
        if usize::try_from(self.index).ok() != Some(position) {
            let message =
                format!("is {}, expected {position} (utterances are numbered from 0 in order)", self.index);
            return Err(InvalidField::new(field("index"), message));
        }
        check_span(self.start_ms, self.end_ms, &field)?;
        no_nul(&field("speaker"), self.speaker.as_deref())?;
        no_nul(&field("text"), Some(&self.text))?;
        for (w, word) in self.words.iter().enumerate() {
            let field = |name: &str| format!("utterances[{position}].words[{w}].{name}");
            check_span(word.start_ms, word.end_ms, &field)?;
            no_nul(&field("text"), Some(&word.text))?;
            if word.confidence.is_some_and(|c| !(0.0..=1.0).contains(&c)) {
                return Err(InvalidField::new(field("confidence"), "must lie between 0 and 1"));
            }
        }
        Ok(())
    }
}

fn check_span(start_ms: i64, end_ms: i64, field: &dyn Fn(&str) -> String) -> Result<(), InvalidField> {
    if start_ms < 0 {
        return Err(InvalidField::new(field("start_ms"), "cannot be negative"));
    }
    if end_ms < start_ms {
        return Err(InvalidField::new(field("end_ms"), format!("{end_ms} ends before the start {start_ms}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utterance(index: u32, start_ms: i64, end_ms: i64) -> UtteranceRow {
        UtteranceRow {
            index,
            speaker: Some("Ana".into()),
            role: SpeakerRole::Rep,
            channel: Some(0),
            start_ms,
            end_ms,
            text: "Hello".into(),
            words: vec![WordRow { text: "Hello".into(), start_ms, end_ms, confidence: Some(0.9) }],
        }
    }

    fn check(row: UtteranceRow, position: usize, expected: Result<(), &str>) {
        let got = row.check(position).map_err(|e| e.to_string());
        assert_eq!(got, expected.map_err(str::to_owned));
    }

    #[test]
    fn utterances_are_checked_with_the_field_named() {
        check(utterance(0, 0, 500), 0, Ok(()));
        check(utterance(0, 700, 700), 0, Ok(()));
        check(
            utterance(2, 0, 500),
            1,
            Err("utterances[1].index: is 2, expected 1 (utterances are numbered from 0 in order)"),
        );
        check(utterance(1, 900, 500), 1, Err("utterances[1].end_ms: 500 ends before the start 900"));
        check(utterance(0, -1, 500), 0, Err("utterances[0].start_ms: cannot be negative"));
        let mut word = utterance(0, 0, 500);
        word.words[0].confidence = Some(1.5);
        check(word, 0, Err("utterances[0].words[0].confidence: must lie between 0 and 1"));
        let mut nul = utterance(0, 0, 500);
        nul.text = "a\0b".into();
        check(nul, 0, Err("utterances[0].text: contains a NUL character"));
    }

    #[test]
    fn codes_round_trip() {
        for status in [CallStatus::Queued, CallStatus::Transcribing, CallStatus::Ready, CallStatus::Failed] {
            assert_eq!(CallStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(SpeakerRole::parse("customer"), Some(SpeakerRole::Customer));
        assert_eq!(CallSource::parse("video"), None);
    }
}

//! The transcript model (seconds, `rapport-transcript`) as the stores keep it (milliseconds,
//! numbered rows): one conversion for imported transcripts and transcribed audio alike.

use rapport_domain::{EmailAddress, Participant, SpeakerRole, UtteranceRow, WordRow};
use rapport_transcript::{Role, Transcript};

pub fn speaker_role(role: Role) -> SpeakerRole {
    match role {
        Role::Rep => SpeakerRole::Rep,
        Role::Customer => SpeakerRole::Customer,
        Role::Unknown => SpeakerRole::Unknown,
    }
}

/// The transcript's utterances as rows numbered from 0, in order of start time. Word
/// confidences outside 0..=1 (some services overshoot) are clamped rather than refused.
pub fn utterance_rows(transcript: &Transcript) -> Vec<UtteranceRow> {
    let mut utterances: Vec<_> = transcript.utterances.iter().collect();
    // Importers already sort; a stable sort keeps their order for equal starts.
    utterances.sort_by(|a, b| a.start.total_cmp(&b.start));
    utterances
        .into_iter()
        .enumerate()
        .map(|(index, utterance)| UtteranceRow {
            index: index as u32,
            speaker: utterance.speaker.clone(),
            role: speaker_role(utterance.role),
            channel: utterance.channel,
            start_ms: millis(utterance.start_ms()),
            end_ms: millis(utterance.end_ms()).max(millis(utterance.start_ms())),
            text: utterance.text.clone(),
            words: utterance
                .words
                .iter()
                .map(|word| WordRow {
                    text: word.text.clone(),
                    start_ms: millis(word.start_ms()),
                    end_ms: millis(word.end_ms()).max(millis(word.start_ms())),
                    confidence: word.confidence.map(|c| c.clamp(0.0, 1.0)),
                })
                .collect(),
        })
        .collect()
}

/// Each distinct speaker once, with the role of their first utterance; a speaker label that
/// is an email address also gives the participant's email.
pub fn participants(transcript: &Transcript) -> Vec<Participant> {
    let mut participants: Vec<Participant> = Vec::new();
    for utterance in &transcript.utterances {
        let Some(name) = utterance.speaker.as_deref() else { continue };
        if participants.iter().any(|p| p.name == name) {
            continue;
        }
        participants.push(Participant {
            name: name.to_owned(),
            email: EmailAddress::parse(name).ok(),
            role: speaker_role(utterance.role),
        });
    }
    participants
}

fn millis(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rapport_transcript::{Utterance, Word};

    /// (index, speaker, role, start, end, text) of a row.
    type Shape<'a> = (u32, Option<&'a str>, SpeakerRole, i64, i64, &'a str);

    #[test]
    fn rows_are_numbered_in_time_order_with_millisecond_times() {
        let mut late = Utterance::new(2.5, 3.0, "Second");
        late.speaker = Some("ana@us.test".into());
        late.role = Role::Rep;
        late.channel = Some(0);
        late.words = vec![Word { text: "Second".into(), start: 2.5, end: 3.0, confidence: Some(1.01) }];
        let mut early = Utterance::new(0.25, 1.0004, "First");
        early.speaker = Some("Bo".into());
        early.role = Role::Customer;
        let transcript = Transcript { utterances: vec![late, early], duration_s: None, source_format: None };
        let rows = utterance_rows(&transcript);
        let shape: Vec<Shape> = rows
            .iter()
            .map(|r| (r.index, r.speaker.as_deref(), r.role, r.start_ms, r.end_ms, r.text.as_str()))
            .collect();
        assert_eq!(
            shape,
            vec![
                (0, Some("Bo"), SpeakerRole::Customer, 250, 1000, "First"),
                (1, Some("ana@us.test"), SpeakerRole::Rep, 2500, 3000, "Second"),
            ]
        );
        assert_eq!(rows[1].words[0].confidence, Some(1.0));
        assert!(rows.iter().enumerate().all(|(position, row)| row.check(position).is_ok()));
        let people = participants(&transcript);
        assert_eq!(people.len(), 2);
        assert_eq!(people[0].email.as_ref().map(EmailAddress::as_str), Some("ana@us.test"));
        assert_eq!((people[1].name.as_str(), people[1].role), ("Bo", SpeakerRole::Customer));
    }
}

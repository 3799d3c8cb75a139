//! Adding calls from transcripts and recordings against a real SQLite store and media folder.

use rapport_domain::{CallStatus, JobStatus, Role as UserRole, SpeakerRole};

use super::*;
use crate::test_support::{self, at};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../rapport-transcript/tests/fixtures");

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{name}")).unwrap()
}

#[test]
fn a_transcript_becomes_a_ready_call_with_roles() {
    let fixture_store = test_support::store();
    let store = &*fixture_store.store;
    let rep = test_support::user(store, "ashlee@us.test", UserRole::SalesRep);
    store
        .upsert_user(&rapport_domain::UserRecord { name: "Ashlee Kupor".into(), ..rep.record.clone() })
        .unwrap();
    let new = NewCall { reps: vec!["ashlee@us.test".into()], ..NewCall::default() };
    let added = add_transcript(store, &new, "zoom.vtt", &fixture("zoom.vtt"), at(3)).unwrap();
    assert_eq!(added.call.status, CallStatus::Ready);
    assert_eq!(added.call.record.title, "zoom");
    assert_eq!(added.call.record.started_at, at(3));
    assert_eq!(added.call.rep_id, Some(rep.id));
    assert!(added.job.is_none());
    let details = show(store, added.call.id.0).unwrap();
    assert_eq!(details.utterances.len(), added.utterances);
    let roles: Vec<(Option<&str>, SpeakerRole)> =
        details.utterances.iter().take(2).map(|u| (u.speaker.as_deref(), u.role)).collect();
    assert_eq!(
        roles,
        vec![(Some("Ashlee Kupor"), SpeakerRole::Rep), (Some("Dora Demszky"), SpeakerRole::Customer)]
    );
    assert!(details.utterances.windows(2).all(|w| w[0].start_ms <= w[1].start_ms));
    let participants: Vec<&str> = details.call.record.participants.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(participants, vec!["Ashlee Kupor", "Dora Demszky"]);
}

#[test]
fn bad_transcripts_name_the_place_and_create_nothing() {
    let fixture_store = test_support::store();
    let store = &*fixture_store.store;
    let bad_vtt = b"WEBVTT\n\n00:00:01.000 --> 00:00:00.500\nAna: backwards\n";
    let error = add_transcript(store, &NewCall::default(), "bad.vtt", bad_vtt, at(3)).unwrap_err();
    assert!(
        matches!(&error, AppError::Invalid { field, message } if field == "bad.vtt" && message.starts_with("line 3")),
        "{error}"
    );
    let error =
        add_transcript(store, &NewCall::default(), "bad.json", br#"{"utterances": [{"start": "x"}]}"#, at(3))
            .unwrap_err();
    assert!(error.to_string().starts_with("bad.json: utterances[0]"), "{error}");
    let new = NewCall { reps: vec!["nobody@us.test".into()], ..NewCall::default() };
    let error = add_transcript(store, &new, "zoom.vtt", &fixture("zoom.vtt"), at(3)).unwrap_err();
    assert!(matches!(error, AppError::NotFound { what: "user", .. }), "{error}");
    let new = NewCall { started_at: Some("yesterday".into()), ..NewCall::default() };
    let error = add_transcript(store, &new, "zoom.vtt", &fixture("zoom.vtt"), at(3)).unwrap_err();
    assert!(error.to_string().starts_with("started_at: `yesterday`"), "{error}");
    assert!(list(store, &CallQuery::default()).unwrap().is_empty());
}

#[test]
fn a_recording_is_stored_and_queued() {
    let fixture_store = test_support::store();
    let store = &*fixture_store.store;
    let dir = tempfile::tempdir().unwrap();
    let media = test_support::media(dir.path());
    let file = dir.path().join("Call With Bo.WAV");
    let wav = test_support::wav(&[vec![0.1; 1600], vec![0.0; 1600]], 16_000);
    std::fs::write(&file, &wav).unwrap();
    let channels = Some(ChannelRoles { rep_channel: 1, per_channel: Some(true) });
    let new = NewCall { title: Some("Discovery".into()), channels, ..NewCall::default() };
    let added = add_audio(store, &media, &new, &file, at(4)).unwrap();
    assert_eq!((added.call.status, added.call.record.source), (CallStatus::Queued, CallSource::Audio));
    assert_eq!(added.call.record.audio_content_type.as_deref(), Some("audio/wav"));
    let key = added.call.record.audio_key.clone().unwrap();
    assert!(
        key.starts_with("calls/") && key.ends_with(".wav") && key.len() == "calls/".len() + 36 + 4,
        "{key}"
    );
    assert_eq!(media.get(&key).unwrap(), wav);
    let job = added.job.unwrap();
    assert_eq!(
        (job.kind.as_str(), job.status, job.call_id),
        (TRANSCRIBE_JOB, JobStatus::Queued, Some(added.call.id))
    );
    let payload: TranscribePayload = serde_json::from_str(&job.payload_json).unwrap();
    let expected = TranscribePayload {
        audio_key: key,
        file_name: "Call With Bo.WAV".into(),
        rep_channel: 1,
        per_channel: Some(true),
    };
    assert_eq!(payload, expected);
    assert_eq!(show(store, added.call.id.0).unwrap().job.map(|j| j.id), Some(job.id));
    assert_eq!(jobs(store, &JobQuery::default()).unwrap().len(), 1);
}

#[test]
fn a_refused_recording_leaves_no_audio_behind() {
    let fixture_store = test_support::store();
    let store = &*fixture_store.store;
    let dir = tempfile::tempdir().unwrap();
    let media = test_support::media(dir.path());
    let file = dir.path().join("call.wav");
    std::fs::write(&file, test_support::wav(&[vec![0.0; 160]], 16_000)).unwrap();
    let new = NewCall { person_email: Some("ghost@them.test".into()), ..NewCall::default() };
    let error = add_audio(store, &media, &new, &file, at(4)).unwrap_err();
    assert!(matches!(error, AppError::NotFound { what: "person", .. }), "{error}");
    let stored: Vec<_> = std::fs::read_dir(dir.path().join("media/calls")).unwrap().collect();
    assert!(stored.is_empty(), "{stored:?}");
    assert!(jobs(store, &JobQuery::default()).unwrap().is_empty());
}

#[test]
fn recordings_are_told_from_transcripts() {
    assert!(is_audio("x.mp3", b""));
    assert!(is_audio("upload", b"RIFF\0\0\0\0WAVE"));
    assert!(is_audio("upload", b"\0\0\0\x20ftypM4A "));
    assert!(is_audio("upload", &[0xFF, 0xFB, 0x90]));
    assert!(!is_audio("call.vtt", b"WEBVTT\n"));
    assert!(!is_audio("call.json", b"{\"utterances\": []}"));
    assert_eq!(show(&*test_support::store().store, 99).unwrap_err().to_string(), "no call `99`");
}

#[test]
fn filters_resolve_to_ids_and_refuse_what_does_not_exist() {
    let fixture_store = test_support::store();
    let store = &*fixture_store.store;
    let rep = test_support::user(store, "rep@us.test", UserRole::SalesRep);
    let filter =
        CallFilter { rep: Some("rep@us.test".into()), status: Some("ready".into()), ..CallFilter::default() };
    let query = call_query(store, &filter).unwrap();
    assert_eq!(
        (query.rep, query.status, query.limit),
        (Some(rep.id), Some(CallStatus::Ready), DEFAULT_LIST_LIMIT)
    );
    for (filter, field) in [
        (CallFilter { rep: Some("nobody@us.test".into()), ..CallFilter::default() }, "rep"),
        (CallFilter { person: Some("nobody@us.test".into()), ..CallFilter::default() }, "person"),
        (CallFilter { account: Some("nowhere.test".into()), ..CallFilter::default() }, "account"),
        (CallFilter { status: Some("lost".into()), ..CallFilter::default() }, "status"),
        (CallFilter { limit: Some(0), ..CallFilter::default() }, "limit"),
    ] {
        let error = call_query(store, &filter).unwrap_err();
        assert!(matches!(&error, AppError::Invalid { field: f, .. } if f == field), "{error:?}");
    }
    let jobs = job_query(&JobFilter { status: Some("queued".into()), call: Some(3), ..JobFilter::default() });
    assert_eq!(jobs.unwrap().status, Some(JobStatus::Queued));
    assert!(job_query(&JobFilter { status: Some("done".into()), ..JobFilter::default() }).is_err());
    assert!(matches!(job(store, 42), Err(AppError::NotFound { what: "job", .. })));
}

//! A running server over a demo workspace (the `tiny` demo) plus what the tests need to be
//! sure of: a web password per user, a lead handed to a known rep, a recorded call with a
//! transcript for the player, a call whose transcript holds markup, and a call that names a
//! content item (calls are analysed).

use std::sync::Arc;

use chrono::Utc;
use rapport_app::{calls, leads, passwords, ChangeOptions};
use rapport_domain::{
    Actor, CallRecord, CallSource, ContentRecord, EmailAddress, EventSource, PersonRecord, Role, SpeakerRole,
    Stage, UtteranceRow,
};
use rapport_server::{serve, AppState};
use rapport_store::Store;
use rapport_store_sqlite::SqliteStore;
use tokio::sync::oneshot;

/// Every demo user's web password in these tests.
pub const PASSWORD: &str = "test password 123";

/// What an analysis with the embedding model stores, without running it: a smart-tracker hit
/// (a hit row with a score) and a discovered topic, both quoting the hostile utterance.
fn smart_hit_and_topic(store: &dyn Store, call: rapport_domain::CallId, now: chrono::DateTime<Utc>) {
    use rapport_store::analysis::TrackerHitRow;
    use rapport_store::topics::{CallTopicRow, NewTopic};
    let stored = store.analysis(call).unwrap().expect("analysed when added");
    let mut analysis = rapport_store::analysis::NewAnalysis {
        document: stored.document,
        analysis_version: stored.analysis_version,
        tracker_set_version: stored.tracker_set_version,
        hits: stored.hits,
        content_mentions: stored.content_mentions,
    };
    analysis.hits.push(TrackerHitRow {
        tracker: "asks for a discount".into(),
        utterance: 0,
        time_ms: 1000,
        side: SpeakerRole::Customer,
        speaker: Some("Mallory".into()),
        score: Some(0.91),
    });
    store.put_analysis(call, &analysis, now).unwrap();
    let topic = NewTopic {
        id: "topic-hostile".into(),
        name: "pricing, discount".into(),
        top_terms: vec!["pricing".into(), "discount".into()],
        size: 2,
        centroid: vec![1.0, 0.0],
    };
    store.replace_topics(&[topic], now).unwrap();
    let row = CallTopicRow {
        topic: "topic-hostile".into(),
        utterances: 2,
        utterance: 1,
        time_ms: 5000,
        side: SpeakerRole::Customer,
        score: 0.8,
    };
    store.put_call_topics(call, &[row]).unwrap();
}

pub struct Workspace {
    pub base: String,
    pub store: Arc<dyn Store>,
    pub fx: Fixture,
    shutdown: Option<oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

/// What the workspace holds for the tests.
pub struct Fixture {
    /// One user's email per role.
    pub admin: String,
    pub marketing: String,
    pub manager: String,
    pub rep: String,
    /// A lead handed to `rep`, waiting for a decision.
    pub lead: String,
    /// A call of `rep` with a recording and a transcript.
    pub audio_call: i64,
    /// A call of `other_rep`.
    pub other_call: i64,
    /// A call of `rep` whose transcript contains `<script>` and `<img onerror>`.
    pub hostile_call: i64,
    /// A call of `rep` that names [`USED_CONTENT`], the only call that does.
    pub content_call: i64,
    /// The library id of [`USED_CONTENT`].
    pub used_content: i64,
}

/// A content item that one call mentions.
pub const USED_CONTENT: &str = "Northwind ROI Study";
/// A content item no call mentions, whose title holds markup.
pub const UNUSED_CONTENT: &str = "Zebra <script>window.__xss = 3</script> Almanac";

impl Drop for Workspace {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

fn wav(seconds: u32) -> Vec<u8> {
    let rate = 8000u32;
    let samples: Vec<i16> = (0..rate * seconds)
        .map(|i| ((i as f32 * 440.0 * std::f32::consts::TAU / rate as f32).sin() * 3000.0) as i16)
        .collect();
    let mut out = Vec::new();
    let data_len = samples.len() as u32 * 2;
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for sample in samples {
        out.extend_from_slice(&sample.to_le_bytes());
    }
    out
}

fn utterance(index: u32, role: SpeakerRole, speaker: &str, start_s: i64, text: &str) -> UtteranceRow {
    UtteranceRow {
        index,
        speaker: Some(speaker.into()),
        role,
        channel: None,
        start_ms: start_s * 1000,
        end_ms: start_s * 1000 + 4000,
        text: text.into(),
        words: Vec::new(),
    }
}

impl Workspace {
    pub async fn start() -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&dir.path().join("rapport.db")).unwrap());
        let location = rapport_media::MediaLocation::Local(dir.path().join("media"));
        let media = Arc::new(rapport_media::MediaStore::open(&location).unwrap());
        let setup_store = Arc::clone(&store);
        let setup_media = Arc::clone(&media);
        let setup_dir = dir.path().to_path_buf();
        let fixture = tokio::task::spawn_blocking(move || prepare(&*setup_store, &setup_media, &setup_dir))
            .await
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (shutdown, signal) = oneshot::channel::<()>();
        // The media store owns a runtime that must not be dropped inside an async task.
        std::mem::forget(Arc::clone(&media));
        let state = AppState::new(Arc::clone(&store), 24).with_media(media);
        tokio::spawn(async move {
            serve(listener, state, async move {
                let _ = signal.await;
            })
            .await
            .unwrap();
        });
        Workspace { base, store, fx: fixture, shutdown: Some(shutdown), _dir: dir }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// As `rapport demo` does: Rapport's default definition approved by both teams as version 1,
/// a model trained on the demo's outcomes, everyone scored — so the scoring page has model
/// charts and grades to show.
fn score(store: &dyn Store, marketing: &str, manager: &str, now: chrono::DateTime<Utc>) {
    use rapport_app::scoring::{self, definitions, Target, TrainOutcome};
    let user = |email: &str| store.user_by_email(&EmailAddress::parse(email).unwrap()).unwrap().unwrap();
    let (marketer, manager) = (user(marketing), user(manager));
    let (_, document) = definitions::active_document(store).unwrap();
    let first = definitions::draft(store, &marketer, &document, Some("Rapport's default"), now).unwrap();
    definitions::approve(store, &marketer, first.version, None, now).unwrap();
    definitions::approve(store, &manager, first.version, None, now).unwrap();
    let outcome = scoring::train(store, &marketer, Target::Accepted, now).unwrap();
    assert!(matches!(outcome, TrainOutcome::Trained { .. }), "the tiny demo trains a model: {outcome:?}");
    scoring::refresh_all(store, now).unwrap();
}

/// The demo, passwords for everyone, and the records the tests rely on.
fn prepare(store: &dyn Store, media: &rapport_media::MediaStore, dir: &std::path::Path) -> Fixture {
    let options = rapport_demo::DemoOptions {
        scale: rapport_demo::Scale::Tiny,
        seed: 11,
        anchor: Utc::now().date_naive(),
    };
    let summary = rapport_demo::generate(store, &options, &mut |_| {}).unwrap();
    let now = Utc::now();
    for (email, _) in &summary.users {
        passwords::set(store, email, PASSWORD, None, now).unwrap();
    }
    let of_role = |role: Role| summary.users.iter().filter(move |(_, r)| *r == role).map(|(e, _)| e.clone());
    let admin = of_role(Role::Admin).next().unwrap();
    let marketing = of_role(Role::Marketing).next().unwrap();
    let manager = of_role(Role::SalesManager).next().unwrap();
    let mut reps = of_role(Role::SalesRep);
    let (rep, other_rep) = (reps.next().unwrap(), reps.next().unwrap());

    let lead = "browser.lead@prospect.example".to_owned();
    let record = PersonRecord {
        external_id: None,
        email: EmailAddress::parse(&lead).unwrap(),
        first_name: Some("Robin".into()),
        last_name: Some("Prospect".into()),
        title: None,
        account_domain: None,
        owner_email: None,
        source: Some("webinar".into()),
        campaign: None,
        country: None,
        created_at: now - chrono::Duration::days(3),
        stage_history: vec![(Stage::Lead, now - chrono::Duration::days(3))],
    };
    let mut tx = store.begin_write().unwrap();
    assert!(tx.upsert_people(&[record]).unwrap().iter().all(Result::is_ok));
    tx.commit().unwrap();
    let options = ChangeOptions {
        actor: Actor::System,
        source: EventSource::Cli,
        note: Some("Downloaded the pricing guide twice".into()),
        force: false,
        at: now - chrono::Duration::hours(2),
    };
    leads::handoff(store, &lead, &rep, &options).unwrap();

    let call_record = |title: &str, rep: &str, audio_key: Option<String>| CallRecord {
        external_id: None,
        title: title.into(),
        started_at: now - chrono::Duration::hours(1),
        duration_ms: Some(30_000),
        source: if audio_key.is_some() { CallSource::Audio } else { CallSource::Transcript },
        participants: Vec::new(),
        person_email: None,
        account_domain: None,
        opportunity_external_id: None,
        rep_email: Some(EmailAddress::parse(rep).unwrap()),
        audio_content_type: audio_key.as_ref().map(|_| "audio/wav".to_owned()),
        audio_key,
    };
    let wav_path = dir.join("call.wav");
    std::fs::write(&wav_path, wav(30)).unwrap();
    let key = rapport_media::call_audio_key("browser-test", Some("wav"));
    media.put_file(&key, &wav_path).unwrap();
    let audio = store.create_call(&call_record("Discovery with Robin", &rep, Some(key)), now).unwrap();
    let rows = vec![
        utterance(0, SpeakerRole::Rep, "Rita Rep", 0, "Thanks for taking the time today."),
        utterance(1, SpeakerRole::Customer, "Robin", 5, "Happy to. Our renewal is coming up."),
        utterance(2, SpeakerRole::Rep, "Rita Rep", 12, "What made you look at alternatives?"),
        utterance(3, SpeakerRole::Customer, "Robin", 20, "Pricing, mostly. And the reporting is weak."),
    ];
    store.replace_transcript(audio.id, &rows, Some(30_000), now).unwrap();
    let other = store.create_call(&call_record("Another rep's call", &other_rep, None), now).unwrap();
    store.replace_transcript(other.id, &rows, Some(30_000), now).unwrap();

    let hostile_vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Mallory>Hello <script>window.__xss = 1; alert('xss')</script> there\n\n\
                       00:00:05.000 --> 00:00:08.000\n<v Mallory>Look <img src=x onerror=\"window.__xss = 2; alert('img')\"> here\n";
    let new = calls::NewCall {
        title: Some("<b>Hostile</b> <script>alert('title')</script>".into()),
        reps: vec![rep.clone()],
        ..Default::default()
    };
    let hostile = calls::add_transcript(store, &new, "hostile.vtt", hostile_vtt.as_bytes(), now).unwrap();

    // Content: one item a call names, one no call names; then every call is analysed, as the
    // worker would, so the content and voice-of-the-customer pages have figures.
    let item = |title: &str, url: &str| ContentRecord {
        external_id: None,
        title: title.into(),
        url: url.into(),
        content_type: Some("case_study".into()),
        funnel_stage: None,
    };
    let mut tx = store.begin_write().unwrap();
    let library = [
        item(USED_CONTENT, "https://rapport.example/northwind-roi"),
        item(UNUSED_CONTENT, "https://rapport.example/zebra-almanac"),
    ];
    assert!(tx.upsert_content(&library).unwrap().iter().all(Result::is_ok));
    tx.commit().unwrap();
    let content_call = store.create_call(&call_record("Northwind review", &rep, None), now).unwrap();
    let said = vec![
        utterance(0, SpeakerRole::Rep, "Rita Rep", 0, "Have you had a look at the Northwind ROI Study?"),
        utterance(1, SpeakerRole::Customer, "Robin", 6, "Yes, the Northwind ROI Study is why we are here."),
    ];
    store.replace_transcript(content_call.id, &said, Some(30_000), now).unwrap();
    rapport_app::analysis::analyze_stale(store, &Utc::now, &mut |_, _| {}).unwrap();
    let mut used_content = None;
    store
        .export_content(&mut |content| {
            if content.record.title == USED_CONTENT {
                used_content = Some(content.id.0);
            }
            Ok(())
        })
        .unwrap();
    score(store, &marketing, &manager, now);
    smart_hit_and_topic(store, hostile.call.id, now);
    Fixture {
        admin,
        marketing,
        manager,
        rep,
        lead,
        audio_call: audio.id.0,
        other_call: other.id.0,
        hostile_call: hostile.call.id.0,
        content_call: content_call.id.0,
        used_content: used_content.expect("the content item was stored"),
    }
}

//! Test fixtures: a temporary SQLite store with users and people.

use chrono::{TimeZone, Utc};
use rapport_domain::{
    Actor, EmailAddress, EventSource, PersonRecord, Role, Stage, Timestamp, User, UserRecord,
};
use rapport_store::Store;
use rapport_store_sqlite::SqliteStore;

use crate::ChangeOptions;

/// Keeps the temporary folder alive as long as the store.
pub struct Fixture {
    pub store: Box<dyn Store>,
    _dir: tempfile::TempDir,
}

pub fn store() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("rapport.db")).unwrap();
    Fixture { store: Box::new(store), _dir: dir }
}

pub fn user(store: &dyn Store, email: &str, role: Role) -> User {
    let email = EmailAddress::parse(email).unwrap();
    store.upsert_user(&UserRecord { email, name: "Test user".into(), team: None, role }).unwrap()
}

pub fn at(day: u32) -> Timestamp {
    Utc.with_ymd_and_hms(2025, 1, day, 9, 0, 0).unwrap()
}

/// A person created on 1 January 2025, with the given stage history.
pub fn person(store: &dyn Store, email: &str, history: &[Stage]) {
    let record = PersonRecord {
        external_id: None,
        email: EmailAddress::parse(email).unwrap(),
        first_name: None,
        last_name: None,
        title: None,
        account_domain: None,
        owner_email: None,
        source: Some("organic".into()),
        campaign: None,
        country: None,
        created_at: at(1),
        stage_history: history.iter().map(|stage| (*stage, at(1))).collect(),
    };
    let mut tx = store.begin_write().unwrap();
    let results = tx.upsert_people(&[record]).unwrap();
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    tx.commit().unwrap();
}

pub fn options(day: u32) -> ChangeOptions {
    ChangeOptions { actor: Actor::System, source: EventSource::Cli, note: None, force: false, at: at(day) }
}

/// A 16-bit PCM WAV file of the given channels (equal lengths) at `rate`.
pub fn wav(channels: &[Vec<f32>], rate: u32) -> Vec<u8> {
    let frames = channels[0].len();
    let count = channels.len() as u16;
    let data_len = (frames * channels.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * u32::from(count) * 2).to_le_bytes());
    out.extend_from_slice(&(count * 2).to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for frame in 0..frames {
        for channel in channels {
            let sample = (channel[frame].clamp(-1.0, 1.0) * 32767.0) as i16;
            out.extend_from_slice(&sample.to_le_bytes());
        }
    }
    out
}

/// A media store in its own temporary folder.
pub fn media(dir: &std::path::Path) -> rapport_media::MediaStore {
    rapport_media::MediaStore::open(&rapport_media::MediaLocation::Local(dir.join("media"))).unwrap()
}

//! What the checks share: store openers, fixture paths, running an import, and snapshots of a
//! store's whole content (counts and every export) to compare states with.

use std::path::{Path, PathBuf};

use rapport_domain::{EmailAddress, Role, Stage, StageEvent, Timestamp, UserRecord};
use rapport_import::{export, import_file, ImportError, ImportKind, ImportOptions, ImportSummary, Progress};
use rapport_store::{Counts, PersonView, Store};

/// A new, empty SQLite store in its own temporary folder, which goes when the guard drops.
pub fn open_sqlite() -> (Box<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = rapport_store_sqlite::SqliteStore::open(&dir.path().join("rapport.db")).unwrap();
    (Box::new(store), dir)
}

/// The PostgreSQL database the tests use: `RAPPORT_TEST_POSTGRES_URL`, else the local default.
pub fn postgres_url() -> String {
    std::env::var("RAPPORT_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A new, empty PostgreSQL store in a throw-away schema of the test database, dropped with the
/// guard. An unreachable server fails the check: these tests are never skipped.
pub fn open_postgres() -> (Box<dyn Store>, rapport_store_postgres::TemporarySchema) {
    let schema = rapport_store_postgres::TemporarySchema::new(&postgres_url(), "import")
        .unwrap_or_else(|e| panic!("the PostgreSQL test database must be reachable: {e}"));
    let store = schema.open_store().unwrap();
    (Box::new(store), schema)
}

/// A file under `tests/fixtures/`.
pub fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(relative)
}

/// Writes `bytes` to `name` in `dir` and returns the path.
pub fn write_file(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Imports a file, ignoring progress.
pub fn try_import(
    store: &dyn Store,
    kind: ImportKind,
    path: &Path,
    options: &ImportOptions,
) -> Result<ImportSummary, ImportError> {
    import_file(store, kind, path, options, &mut |_: &Progress| {})
}

/// Imports a file that must be readable as a whole (row errors are allowed).
pub fn import(store: &dyn Store, kind: ImportKind, path: &Path, options: &ImportOptions) -> ImportSummary {
    try_import(store, kind, path, options)
        .unwrap_or_else(|error| panic!("importing {}: {error}", path.display()))
}

/// Imports a file in which every row must go in.
pub fn import_clean(
    store: &dyn Store,
    kind: ImportKind,
    path: &Path,
    options: &ImportOptions,
) -> ImportSummary {
    let summary = import(store, kind, path, options);
    assert_eq!(summary.failed, 0, "row errors importing {}: {:#?}", path.display(), summary.errors);
    summary
}

/// (inserted, updated, unchanged, failed) of a summary, for compact assertions.
pub fn tally(summary: &ImportSummary) -> (u64, u64, u64, u64) {
    (summary.inserted, summary.updated, summary.unchanged, summary.failed)
}

pub fn export_text(store: &dyn Store, kind: ImportKind) -> String {
    let mut out = Vec::new();
    export(store, kind, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Everything a store holds, as far as the importer can see: counts and every export.
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    pub counts: Counts,
    pub exports: Vec<(ImportKind, String)>,
}

pub fn snapshot(store: &dyn Store) -> Snapshot {
    Snapshot {
        counts: store.counts().unwrap(),
        exports: ImportKind::ALL.iter().map(|kind| (*kind, export_text(store, *kind))).collect(),
    }
}

pub fn email(text: &str) -> EmailAddress {
    EmailAddress::parse(text).unwrap()
}

pub fn add_user(store: &dyn Store, address: &str, name: &str) {
    let record =
        UserRecord { email: email(address), name: name.to_owned(), team: None, role: Role::SalesRep };
    store.upsert_user(&record).unwrap();
}

pub fn person(store: &dyn Store, address: &str) -> PersonView {
    store.person_by_email(&email(address)).unwrap().unwrap_or_else(|| panic!("no person {address}"))
}

/// A UTC time from `2024-03-01T14:05:00Z`-style text.
pub fn at(text: &str) -> Timestamp {
    chrono::DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&chrono::Utc)
}

/// A person's history as (from, to, time) triples, checking every event came from an import.
pub fn history(store: &dyn Store, address: &str) -> Vec<(Option<Stage>, Stage, Timestamp)> {
    let events: Vec<StageEvent> = store.stage_history(person(store, address).person.id).unwrap();
    for event in &events {
        assert_eq!(event.source, rapport_domain::EventSource::Import, "{address}: {event:?}");
        assert!(!event.forced, "{address}: {event:?}");
    }
    events.into_iter().map(|event| (event.from, event.to, event.at)).collect()
}

/// Asserts an import failed for the whole file: the error names the file and nothing was written.
pub fn assert_refused(
    store: &dyn Store,
    kind: ImportKind,
    path: &Path,
    options: &ImportOptions,
) -> ImportError {
    let before = snapshot(store);
    let error = match try_import(store, kind, path, options) {
        Ok(summary) => panic!("{} was imported: {summary:?}", path.display()),
        Err(error) => error,
    };
    let message = error.to_string();
    let name = path.file_name().unwrap().to_str().unwrap();
    assert!(message.contains(name), "the message does not name the file: {message}");
    assert_eq!(snapshot(store), before, "a refused file wrote something: {message}");
    error
}

/// The canonical fixtures, in the order their references need.
pub const CANONICAL: [(ImportKind, &str); 6] = [
    (ImportKind::Accounts, "canonical/accounts.csv"),
    (ImportKind::Campaigns, "canonical/campaigns.csv"),
    (ImportKind::Content, "canonical/content.csv"),
    (ImportKind::People, "canonical/people.csv"),
    (ImportKind::Touches, "canonical/touches.csv"),
    (ImportKind::Opportunities, "canonical/opportunities.csv"),
];

/// The users the canonical fixtures name as owners.
pub fn add_canonical_users(store: &dyn Store) {
    add_user(store, "dana@ourco.com", "Dana Whitfield");
    add_user(store, "kim@ourco.com", "Kim Park");
}

/// Imports every canonical fixture, each of which must go in whole.
pub fn import_canonical(store: &dyn Store) {
    add_canonical_users(store);
    for (kind, file) in CANONICAL {
        import_clean(store, kind, &fixture(file), &ImportOptions::default());
    }
}

/// `count` generated people, half of them with a lifecycle history, as canonical CSV.
pub fn generated_people(count: usize) -> String {
    let mut text =
        String::from("email,first_name,created_at,source,became_lead_at,became_mql_at,lifecycle_stage\n");
    for n in 0..count {
        let day = 1 + n % 28;
        let history = if n % 2 == 0 {
            format!("2024-02-{day:02}T09:00:00Z,2024-03-{day:02}T10:30:00Z,mql")
        } else {
            ",,".to_owned()
        };
        text.push_str(&format!(
            "person{n}@example.com,Person {n},2024-01-{day:02}T08:00:00Z,organic,{history}\n"
        ));
    }
    text
}

/// `count` generated touches of the first `people` generated people, without external ids
/// (so each is keyed by its content), a second apart.
pub fn generated_touches(count: usize, people: usize) -> String {
    const KINDS: [&str; 4] = ["web_visit", "email_open", "email_click", "form_fill"];
    let start = at("2024-04-01T00:00:00Z");
    let mut text = String::from("email,occurred_at,kind,channel,campaign,page\n");
    for n in 0..count {
        let time = (start + chrono::Duration::seconds(n as i64)).format("%Y-%m-%dT%H:%M:%SZ");
        let kind = KINDS[n % KINDS.len()];
        text.push_str(&format!(
            "person{}@example.com,{time},{kind},web,Campaign {},/page/{}\n",
            n % people,
            n % 7,
            n % 13
        ));
    }
    text
}

/// The first `rows` data rows of a CSV text (with its header), cut at a line end.
pub fn first_rows(text: &str, rows: usize) -> String {
    text.split_inclusive('\n').take(rows + 1).collect()
}

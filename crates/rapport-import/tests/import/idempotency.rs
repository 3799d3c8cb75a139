//! Re-importing a file changes nothing and says so; a changed row is an update of that row only.

use std::path::{Path, PathBuf};

use rapport_domain::Stage;
use rapport_import::{load_mapping, ImportKind, ImportOptions, Preset};
use rapport_store::Store;

use crate::support::{
    add_canonical_users, at, fixture, history, import_canonical, import_clean, person, snapshot, tally,
    write_file, CANONICAL,
};

pub fn reimporting_every_kind_changes_nothing(store: &dyn Store) {
    add_canonical_users(store);
    let hubspot = ImportOptions {
        preset: Preset::Hubspot,
        mapping: Some(load_mapping(&fixture("hubspot/owners.toml")).unwrap()),
        ..ImportOptions::default()
    };
    let salesforce = ImportOptions { preset: Preset::Salesforce, ..ImportOptions::default() };
    let custom = ImportOptions {
        mapping: Some(load_mapping(&fixture("mapping/leads.toml")).unwrap()),
        ..ImportOptions::default()
    };
    let mut files: Vec<(ImportKind, PathBuf, ImportOptions)> =
        CANONICAL.iter().map(|(kind, file)| (*kind, fixture(file), ImportOptions::default())).collect();
    files.extend([
        (ImportKind::Accounts, fixture("hubspot/companies.csv"), hubspot.clone()),
        (ImportKind::People, fixture("hubspot/contacts.csv"), hubspot.clone()),
        (ImportKind::Opportunities, fixture("hubspot/deals.csv"), hubspot),
        (ImportKind::People, fixture("salesforce/leads.csv"), salesforce.clone()),
        (ImportKind::People, fixture("salesforce/contacts.csv"), salesforce.clone()),
        (ImportKind::Opportunities, fixture("salesforce/opportunities.csv"), salesforce),
        (ImportKind::People, fixture("mapping/leads.csv"), custom.clone()),
        (ImportKind::Touches, fixture("mapping/activity.csv"), custom),
    ]);
    for (kind, path, options) in &files {
        let first = import_clean(store, *kind, path, options);
        assert!(first.rows > 0 && first.inserted > 0, "{}: {first:?}", path.display());
        let before = snapshot(store);
        let second = import_clean(store, *kind, path, options);
        assert_eq!(
            tally(&second),
            (0, 0, first.rows, 0),
            "{}: the second import changed rows",
            path.display()
        );
        assert_eq!(second.rows, first.rows);
        assert_eq!(snapshot(store), before, "{}: the second import changed the store", path.display());
    }
    assert_eq!(store.counts().unwrap().opportunities, 3 + 3 + 3);
}

/// A copy of a canonical fixture with `from` replaced by `to` (which must occur once).
fn changed_copy(dir: &Path, file: &str, edits: &[(&str, &str)]) -> PathBuf {
    let mut text = std::fs::read_to_string(fixture(file)).unwrap();
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "{from:?} in {file}");
        text = text.replacen(from, to, 1);
    }
    write_file(dir, file.rsplit('/').next().unwrap(), text)
}

pub fn changed_rows_are_reported_updated(store: &dyn Store) {
    import_canonical(store);
    let dir = tempfile::tempdir().unwrap();
    let options = ImportOptions::default();
    let events_before = store.counts().unwrap().stage_events;

    // One changed field, and one row with a history step the store has not seen.
    let people = changed_copy(
        dir.path(),
        "canonical/people.csv",
        &[
            ("VP Marketing", "CMO"),
            (
                "2024-01-05,subscriber,,2024-01-05T00:00:00Z,",
                "2024-01-05,lead,,2024-01-05T00:00:00Z,2024-02-01T00:00:00Z",
            ),
        ],
    );
    let summary = import_clean(store, ImportKind::People, &people, &options);
    assert_eq!(tally(&summary), (0, 2, 2, 0));
    assert_eq!(person(store, "ana@acme.com").person.record.title.as_deref(), Some("CMO"));
    assert_eq!(
        history(store, "cy@gmail.com"),
        vec![
            (None, Stage::Subscriber, at("2024-01-05T00:00:00Z")),
            (Some(Stage::Subscriber), Stage::Lead, at("2024-02-01T00:00:00Z"))
        ]
    );
    assert_eq!(store.counts().unwrap().stage_events, events_before + 1);

    // A touch with an id is updated in place.
    let touches = changed_copy(
        dir.path(),
        "canonical/touches.csv",
        &[("ad_click,paid_search", "ad_click,paid_social")],
    );
    let counts = store.counts().unwrap();
    assert_eq!(tally(&import_clean(store, ImportKind::Touches, &touches, &options)), (0, 1, 4, 0));
    assert_eq!(store.counts().unwrap().touches, counts.touches);
    let ana = person(store, "ana@acme.com");
    let channels: Vec<_> =
        store.recent_touches(ana.person.id, 10).unwrap().into_iter().filter_map(|t| t.channel).collect();
    assert!(
        channels.contains(&"paid_social".to_owned()) && !channels.contains(&"paid_search".to_owned()),
        "{channels:?}"
    );

    // A deal that closes: updated, and its contact becomes a customer at the close date.
    let deals = changed_copy(
        dir.path(),
        "canonical/opportunities.csv",
        &[(
            "48000.00,USD,Proposal,2024-03-10T00:00:00Z,2024-04-30T00:00:00Z,open",
            "52000.50,USD,Closed Won,2024-03-10T00:00:00Z,2024-04-02T00:00:00Z,won",
        )],
    );
    assert_eq!(tally(&import_clean(store, ImportKind::Opportunities, &deals, &options)), (0, 1, 2, 0));
    let ana = person(store, "ana@acme.com");
    assert_eq!((ana.stage, ana.stage_since), (Some(Stage::Customer), Some(at("2024-04-02T00:00:00Z"))));
    assert_eq!(store.counts().unwrap().stage_events, events_before + 2);
}

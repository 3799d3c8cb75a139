//! Export → import into a fresh store → export again gives the same bytes, for every kind.

use rapport_domain::{Actor, EventSource, Stage, TransitionRequest};
use rapport_import::{ImportKind, ImportOptions};
use rapport_store::Store;

use crate::support::{
    add_canonical_users, at, export_text, import_canonical, import_clean, person, snapshot, tally, write_file,
};

/// Import order: what a row references comes first.
const ORDER: [ImportKind; 6] = [
    ImportKind::Accounts,
    ImportKind::Campaigns,
    ImportKind::Content,
    ImportKind::People,
    ImportKind::Touches,
    ImportKind::Opportunities,
];

fn request(to: Stage, time: &str, reason: Option<&str>) -> TransitionRequest {
    TransitionRequest {
        to,
        at: at(time),
        actor: Actor::System,
        source: EventSource::Cli,
        reason: reason.map(str::to_owned),
        note: None,
        owner: None,
        force: false,
    }
}

pub fn export_import_export_is_byte_identical(original: &dyn Store, fresh: &dyn Store) {
    import_canonical(original);
    // A lead handed off, rejected and recycled through the lifecycle, not an import.
    let cy = person(original, "cy@gmail.com").person.id;
    original.transition(cy, &request(Stage::Mql, "2024-02-01T09:00:00Z", None)).unwrap();
    original.transition(cy, &request(Stage::Rejected, "2024-02-02T09:00:00Z", Some("bad_fit"))).unwrap();
    original.transition(cy, &request(Stage::Recycled, "2024-02-03T09:00:00Z", None)).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let first: Vec<(ImportKind, String)> =
        ORDER.iter().map(|kind| (*kind, export_text(original, *kind))).collect();
    add_canonical_users(fresh);
    for (kind, text) in &first {
        assert!(text.lines().count() > 2, "{kind}: the fixtures give every kind rows to export:\n{text}");
        let path = write_file(dir.path(), &format!("{kind}.csv"), text);
        let summary = import_clean(fresh, *kind, &path, &ImportOptions::default());
        assert_eq!(tally(&summary), (summary.rows, 0, 0, 0), "{kind}");
    }
    for (kind, text) in &first {
        assert_eq!(&export_text(fresh, *kind), text, "{kind}: the export of the re-import differs");
    }
    let (before, after) = (original.counts().unwrap(), fresh.counts().unwrap());
    assert_eq!(
        (after.accounts, after.people, after.campaigns, after.content),
        (before.accounts, before.people, before.campaigns, before.content)
    );
    assert_eq!(
        (after.touches, after.opportunities, after.users),
        (before.touches, before.opportunities, before.users)
    );

    // FIXME(format): the people columns carry the first time of each funnel stage and the
    // current stage, not the whole history: a step through `rejected` (and its reason) is lost.
    let steps = |store: &dyn Store, who: &str| -> Vec<(Stage, EventSource)> {
        let id = person(store, who).person.id;
        store.stage_history(id).unwrap().into_iter().map(|event| (event.to, event.source)).collect()
    };
    use EventSource::{Cli, Import};
    assert_eq!(
        steps(original, "cy@gmail.com"),
        vec![(Stage::Subscriber, Import), (Stage::Mql, Cli), (Stage::Rejected, Cli), (Stage::Recycled, Cli)]
    );
    assert_eq!(
        steps(fresh, "cy@gmail.com"),
        vec![(Stage::Subscriber, Import), (Stage::Mql, Import), (Stage::Recycled, Import)]
    );

    // A step the export states (a deal's, or one made in Rapport) is not stored twice when it
    // comes back as CRM history: the stores skip an import event whose person, stage and time
    // are already recorded. So taking its own export back changes nothing in the original.
    assert_eq!(steps(fresh, "bob@globex.com").len(), steps(original, "bob@globex.com").len());
    let events_before = original.counts().unwrap().stage_events;
    let mut reimports = Vec::new();
    for (kind, text) in &first {
        let path = write_file(dir.path(), &format!("again-{kind}.csv"), text);
        reimports.push(tally(&import_clean(original, *kind, &path, &ImportOptions::default())));
    }
    assert_eq!(
        reimports,
        vec![(0, 0, 3, 0), (0, 0, 4, 0), (0, 0, 3, 0), (0, 0, 4, 0), (0, 0, 5, 0), (0, 0, 3, 0)]
    );
    assert_eq!(original.counts().unwrap().stage_events, events_before);
    // Taken back a second time, the export changes nothing at all.
    let settled = snapshot(original);
    for (kind, text) in &first {
        let path = write_file(dir.path(), &format!("third-{kind}.csv"), text);
        let summary = import_clean(original, *kind, &path, &ImportOptions::default());
        assert_eq!(tally(&summary), (0, 0, summary.rows, 0), "{kind}");
    }
    assert_eq!(snapshot(original), settled);
}

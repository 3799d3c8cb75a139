//! An interrupted import resumes by running it again: committed batches read as unchanged, and
//! the end state is the one a single uninterrupted import gives.

use std::panic::{catch_unwind, AssertUnwindSafe};

use rapport_import::{import_file, ImportKind, ImportOptions, Progress};
use rapport_store::Store;

use crate::support::{
    first_rows, generated_people, generated_touches, import_clean, snapshot, tally, write_file,
};

pub fn interrupted_import_resumes_to_the_same_state(store: &dyn Store, reference: &dyn Store) {
    let dir = tempfile::tempdir().unwrap();
    let options = ImportOptions { batch_size: 500, ..ImportOptions::default() };
    for (kind, rows, text) in [
        (ImportKind::People, 3_000, generated_people(3_000)),
        (ImportKind::Touches, 12_000, generated_touches(12_000, 3_000)),
    ] {
        let full = write_file(dir.path(), &format!("{kind}.csv"), &text);
        let half = write_file(dir.path(), &format!("{kind}-first-half.csv"), first_rows(&text, rows / 2));
        let first = import_clean(store, kind, &half, &options);
        assert_eq!(tally(&first), (rows as u64 / 2, 0, 0, 0), "{kind}");
        let resumed = import_clean(store, kind, &full, &options);
        assert_eq!(tally(&resumed), (rows as u64 / 2, 0, rows as u64 / 2, 0), "{kind}");

        import_clean(reference, kind, &full, &options);
        assert_eq!(snapshot(store), snapshot(reference), "{kind}: resuming ends elsewhere than one import");
    }
}

pub fn import_stopped_mid_file_resumes(store: &dyn Store) {
    let dir = tempfile::tempdir().unwrap();
    let people = write_file(dir.path(), "people.csv", generated_people(100));
    import_clean(store, ImportKind::People, &people, &ImportOptions::default());
    let touches = write_file(dir.path(), "touches.csv", generated_touches(10_000, 100));
    let options = ImportOptions { batch_size: 1_000, ..ImportOptions::default() };

    // The process dies (here: the progress callback panics) after the third batch is committed.
    let mut batches = 0;
    let crashed = catch_unwind(AssertUnwindSafe(|| {
        import_file(store, ImportKind::Touches, &touches, &options, &mut |_: &Progress| {
            batches += 1;
            assert!(batches < 3, "simulated crash after batch {batches}");
        })
    }));
    assert!(crashed.is_err());
    assert_eq!(store.counts().unwrap().touches, 3_000, "committed batches stay");

    let resumed = import_clean(store, ImportKind::Touches, &touches, &options);
    assert_eq!(tally(&resumed), (7_000, 0, 3_000, 0));
    assert_eq!(store.counts().unwrap().touches, 10_000);
}

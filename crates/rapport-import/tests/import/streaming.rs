//! A large file streams through in batches, reporting progress after each.

use std::time::Instant;

use rapport_import::{import_file, ImportKind, ImportOptions, Phase, Progress};
use rapport_store::Store;

use crate::support::{generated_people, generated_touches, import_clean, tally, write_file};

const TOUCHES: usize = 200_000;
const PEOPLE: usize = 1_000;

pub fn large_touch_file_streams_in_batches(store: &dyn Store) {
    let dir = tempfile::tempdir().unwrap();
    let people = write_file(dir.path(), "people.csv", generated_people(PEOPLE));
    import_clean(store, ImportKind::People, &people, &ImportOptions::default());
    let touches = write_file(dir.path(), "touches.csv", generated_touches(TOUCHES, PEOPLE));
    let size = std::fs::metadata(&touches).unwrap().len();

    let started = Instant::now();
    let options = ImportOptions::default();
    let mut reports: Vec<Progress> = Vec::new();
    let summary = import_file(store, ImportKind::Touches, &touches, &options, &mut |progress: &Progress| {
        reports.push(*progress);
    })
    .unwrap();
    let elapsed = started.elapsed();
    println!("{TOUCHES} touches on {:?} in {elapsed:?}", store.backend());
    assert_eq!((summary.rows, tally(&summary)), (TOUCHES as u64, (TOUCHES as u64, 0, 0, 0)));
    assert_eq!(store.counts().unwrap().touches, TOUCHES as u64);

    // One report per batch, each further into the file.
    assert_eq!(reports.len(), TOUCHES.div_ceil(options.batch_size), "{reports:?}");
    for pair in reports.windows(2) {
        assert!(pair[1].bytes_read > pair[0].bytes_read && pair[1].rows > pair[0].rows, "{pair:?}");
    }
    assert!(reports.iter().all(|report| report.phase == Phase::Importing && report.total_bytes == size));
    assert!(
        reports[0].bytes_read < size / 20,
        "the first batch was reported before the file was read: {:?}",
        reports[0]
    );
    let last = reports.last().unwrap();
    assert_eq!((last.bytes_read, last.rows), (size, TOUCHES as u64));
}

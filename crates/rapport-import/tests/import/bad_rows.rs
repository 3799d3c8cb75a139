//! Bad rows: each is reported with the file's line (the header is line 1; a quoted field may
//! span lines), the column as headed in the file and the reason, while the other rows go in;
//! a strict import writes nothing when any row fails, in parsing or in the store.

use rapport_import::{import_file, ImportKind, ImportOptions, Phase, Preset, Progress, RowError};
use rapport_store::Store;

use crate::support::{
    email, fixture, import, import_canonical, import_clean, person, snapshot, tally, write_file, CANONICAL,
};

/// People with five bad rows among good ones; the comments give each row's line.
const PEOPLE_WITH_BAD_ROWS: &[&str] = &[
    "email,first_name,created_at,lifecycle_stage", // 1
    "ana@example.com,Ana,2024-01-02,lead",         // 2
    "not-an-email,Bob,2024-01-03,lead",            // 3: bad email
    "cy@example.com,\"Cy",                         // 4: a quoted name over two lines
    "Multi\",2024-01-04,lead",                     // 5
    "dee@example.com,\"Dee",                       // 6: bad date, the row starts here
    "\"\"The\"\" Quoted\",yesterday,lead",         // 7
    "",                                            // 8: blank, skipped
    "eve@example.com,Eve,2024-01-05,banana",       // 9: unknown stage
    "fay@example.com,Fay,2024-01-06,lead,extra",   // 10: one field too many
    "gus@example.com,Gus,,lead",                   // 11: required value missing
    "hal@example.com,Hal,2024-01-07,mql",          // 12
];

/// (line, column, field, start of the message) of the errors [`PEOPLE_WITH_BAD_ROWS`] gives,
/// with `shift` blank lines inserted after line 2.
fn expected_errors(shift: u64) -> Vec<(u64, Option<&'static str>, &'static str, &'static str)> {
    vec![
        (3 + shift, Some("email"), "email", "`not-an-email` is not an email address"),
        (6 + shift, Some("created_at"), "created_at", "`yesterday` is not a date or time"),
        (9 + shift, Some("lifecycle_stage"), "lifecycle_stage", "`banana` is not a lifecycle stage"),
        (10 + shift, None, "(row)", "the row has 5 fields but the header only 4"),
        (11 + shift, Some("created_at"), "created_at", "`created_at` is empty"),
    ]
}

fn check_errors(errors: &[RowError], expected: &[(u64, Option<&str>, &str, &str)]) {
    let got: Vec<_> = errors.iter().map(|e| (e.line, e.column.as_deref(), e.field.as_str())).collect();
    let want: Vec<_> = expected.iter().map(|(line, column, field, _)| (*line, *column, *field)).collect();
    assert_eq!(got, want, "{errors:#?}");
    for (error, (_, _, _, message)) in errors.iter().zip(expected) {
        assert!(
            error.message.starts_with(message),
            "line {}: {:?} does not start with {message:?}",
            error.line,
            error.message
        );
    }
}

pub fn bad_rows_name_the_file_line_column_and_reason(store: &dyn Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(dir.path(), "people.csv", PEOPLE_WITH_BAD_ROWS.join("\n") + "\n");
    // Small batches put the bad rows in different batches; the report is in file order anyway.
    let small = ImportOptions { batch_size: 2, ..ImportOptions::default() };
    let summary = import(store, ImportKind::People, &path, &small);
    assert_eq!((summary.rows, tally(&summary)), (8, (3, 0, 0, 5)));
    assert!(!summary.rolled_back);
    check_errors(&summary.errors, &expected_errors(0));
    assert_eq!(
        summary.errors[0].to_string(),
        "line 3, column \"email\": `not-an-email` is not an email address: it has no `@`"
    );
    assert_eq!(person(store, "cy@example.com").person.record.first_name.as_deref(), Some("Cy\nMulti"));
    assert_eq!(store.counts().unwrap().people, 3);
    assert!(store.person_by_email(&email("fay@example.com")).unwrap().is_none());

    let again = import(store, ImportKind::People, &path, &ImportOptions::default());
    assert_eq!(tally(&again), (0, 0, 3, 5));
    assert_eq!(again.errors, summary.errors, "the batch size changes nothing in the report");
}

pub fn line_numbers_hold_for_crlf_files_and_blank_lines(store: &dyn Store) {
    let dir = tempfile::tempdir().unwrap();
    let lf = PEOPLE_WITH_BAD_ROWS.join("\n") + "\n";
    // Windows tools end rows with CRLF; Excel keeps a bare LF inside quoted cells.
    let crlf = format!("\u{feff}{}", PEOPLE_WITH_BAD_ROWS.join("\r\n") + "\r\n");
    let excel = crlf.replace("\"Cy\r\n", "\"Cy\n").replace("\"Dee\r\n", "\"Dee\n");
    let without_final_newline = PEOPLE_WITH_BAD_ROWS.join("\r\n");
    for (name, text) in
        [("crlf.csv", &crlf), ("excel.csv", &excel), ("no-final-newline.csv", &without_final_newline)]
    {
        let path = write_file(dir.path(), name, text);
        let summary = import(store, ImportKind::People, &path, &ImportOptions::default());
        check_errors(&summary.errors, &expected_errors(0));
        assert_eq!(summary.rows, 8, "{name}");
    }
    let blank_lines = lf.replacen("lead\n", "lead\n\n\r\n", 1);
    let path = write_file(dir.path(), "blank-lines.csv", &blank_lines);
    let summary = import(store, ImportKind::People, &path, &ImportOptions::default());
    check_errors(&summary.errors, &expected_errors(2));
    assert_eq!(person(store, "cy@example.com").person.record.first_name.as_deref(), Some("Cy\nMulti"));
}

pub fn store_rejections_name_the_line_and_column(store: &dyn Store) {
    let dir = tempfile::tempdir().unwrap();
    let people = write_file(
        dir.path(),
        "people.csv",
        "email,created_at,owner_email\nana@example.com,2024-01-02,\nbo@example.com,2024-01-03,ghost@ourco.com\n",
    );
    let summary = import(store, ImportKind::People, &people, &ImportOptions::default());
    assert_eq!(tally(&summary), (1, 0, 0, 1));
    assert_eq!((summary.errors[0].line, summary.errors[0].column.as_deref()), (3, Some("owner_email")));
    assert!(
        summary.errors[0].message.contains("no user with email ghost@ourco.com"),
        "{:?}",
        summary.errors[0]
    );

    // HubSpot headers: the report names the file's own column.
    let touches = write_file(
        dir.path(),
        "activities.csv",
        "\"Activity ID\",\"Contact Email\",\"Activity date\",\"Activity type\",\"Content URL\"\n\
         \"A-1\",\"ana@example.com\",\"2024-01-05 10:00\",\"Page View\",\"\"\n\
         \"A-2\",\"nobody@unknown.com\",\"2024-01-05 11:00\",\"Page View\",\"\"\n\
         \"A-3\",\"ana@example.com\",\"2024-01-05 12:00\",\"Download\",\"https://acme.example/missing\"\n\
         \"A-4\",\"ana@example.com\",\"05/01/2024 25:00\",\"Page View\",\"\"\n\
         \"A-5\",\"ana@example.com\",\"2024-01-06 09:00\",\"Form Submission\",\"\"\n",
    );
    let options = ImportOptions { preset: Preset::Hubspot, batch_size: 2, ..ImportOptions::default() };
    let summary = import(store, ImportKind::Touches, &touches, &options);
    assert_eq!(tally(&summary), (2, 0, 0, 3));
    let got: Vec<_> =
        summary.errors.iter().map(|e| (e.line, e.column.as_deref(), e.field.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (3, Some("Contact Email"), "email"),
            (4, Some("Content URL"), "content_url"),
            (5, Some("Activity date"), "occurred_at"),
        ]
    );
    assert!(
        summary.errors[0].message.contains("no person with email nobody@unknown.com"),
        "{:?}",
        summary.errors[0]
    );
    assert!(summary.errors[1].message.contains("no content item with URL https://acme.example/missing"));
    assert_eq!(store.counts().unwrap().touches, 2);

    let deals = write_file(
        dir.path(),
        "deals.csv",
        "external_id,name,stage,created_at,primary_contact_email,contact_emails\n\
         d-1,One,Discovery,2024-02-01,ana@example.com,ana@example.com\n\
         d-2,Two,Discovery,2024-02-01,ghost@example.com,\n\
         d-3,Three,Discovery,2024-02-01,ana@example.com,ana@example.com;ghost@example.com\n",
    );
    let summary = import(store, ImportKind::Opportunities, &deals, &ImportOptions::default());
    assert_eq!(tally(&summary), (1, 0, 0, 2));
    let got: Vec<_> = summary.errors.iter().map(|e| (e.line, e.column.as_deref())).collect();
    assert_eq!(got, vec![(3, Some("primary_contact_email")), (4, Some("contact_emails"))]);
}

pub fn strict_import_with_a_bad_row_writes_nothing(store: &dyn Store) {
    import_canonical(store);
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(dir.path(), "people.csv", PEOPLE_WITH_BAD_ROWS.join("\n"));
    let before = snapshot(store);
    let strict = ImportOptions { strict: true, batch_size: 2, ..ImportOptions::default() };
    let summary = import(store, ImportKind::People, &path, &strict);
    assert!(summary.rolled_back);
    assert_eq!(tally(&summary), (0, 0, 0, 5));
    check_errors(&summary.errors, &expected_errors(0));
    assert_eq!(snapshot(store), before);
}

/// Runs a strict import that the store must refuse at `line` in `column`, then checks that
/// nothing changed, and that a plain import of the same file takes the other rows.
fn check_strict_store_rejection(
    store: &dyn Store,
    kind: ImportKind,
    path: &std::path::Path,
    line: u64,
    column: &str,
) {
    let before = snapshot(store);
    let strict = ImportOptions { strict: true, batch_size: 2, ..ImportOptions::default() };
    let summary = import(store, kind, path, &strict);
    assert!(summary.rolled_back, "{summary:?}");
    assert_eq!(tally(&summary), (0, 0, 0, 1), "{summary:?}");
    let got: Vec<_> = summary.errors.iter().map(|e| (e.line, e.column.as_deref())).collect();
    assert_eq!(got, vec![(line, Some(column))]);
    assert_eq!(snapshot(store), before, "{}: a rolled-back strict import wrote something", path.display());

    let plain = import(store, kind, path, &ImportOptions::default());
    assert_eq!((plain.failed, plain.errors[0].line), (1, line));
    assert!(plain.inserted > 0);
}

pub fn strict_import_rejected_by_the_store_writes_nothing(store: &dyn Store) {
    import_canonical(store);
    let dir = tempfile::tempdir().unwrap();
    // Every row parses; the fourth names a person the store does not know. The first rows
    // would create a campaign and touches, in an earlier batch.
    let touches = write_file(
        dir.path(),
        "touches.csv",
        "email,occurred_at,kind,campaign\n\
         ana@acme.com,2024-04-01T10:00:00Z,web_visit,Brand New Campaign\n\
         bob@globex.com,2024-04-01T11:00:00Z,email_open,Brand New Campaign\n\
         stranger@nowhere.com,2024-04-01T12:00:00Z,web_visit,\n\
         cy@gmail.com,2024-04-01T13:00:00Z,form_fill,\n",
    );
    check_strict_store_rejection(store, ImportKind::Touches, &touches, 4, "email");
    assert_eq!(store.counts().unwrap().campaigns, 5, "the plain import created the new campaign");

    // New people with history, then one whose owner is unknown.
    let people = write_file(
        dir.path(),
        "people.csv",
        "email,created_at,lifecycle_stage,owner_email\n\
         new1@example.com,2024-04-01,mql,dana@ourco.com\n\
         new2@example.com,2024-04-01,lead,\n\
         new3@example.com,2024-04-02,lead,ghost@ourco.com\n",
    );
    check_strict_store_rejection(store, ImportKind::People, &people, 4, "owner_email");

    // A deal that would move its contact's lifecycle, then one naming an unknown contact.
    let deals = write_file(
        dir.path(),
        "deals.csv",
        "external_id,name,stage,created_at,close_date,primary_contact_email\n\
         d-1,Won deal,Closed Won,2024-04-01,2024-04-20,cy@gmail.com\n\
         d-2,Second,Proposal,2024-01-25,,dee@initech.io\n\
         d-3,Unknown,Proposal,2024-04-01,,ghost@example.com\n",
    );
    check_strict_store_rejection(store, ImportKind::Opportunities, &deals, 4, "primary_contact_email");
}

pub fn strict_import_of_good_rows_writes_everything(store: &dyn Store, reference: &dyn Store) {
    crate::support::add_canonical_users(store);
    for (kind, file) in CANONICAL {
        let mut phases = Vec::new();
        let strict = ImportOptions { strict: true, batch_size: 2, ..ImportOptions::default() };
        let summary = import_file(store, kind, &fixture(file), &strict, &mut |progress: &Progress| {
            phases.push(progress.phase);
        })
        .unwrap();
        assert!(!summary.rolled_back, "{file}: {summary:?}");
        assert_eq!(tally(&summary), (summary.rows, 0, 0, 0), "{file}");
        // Every row is read twice: once to validate, once to write.
        let validating = phases.iter().take_while(|phase| **phase == Phase::Validating).count();
        assert!(validating >= 1 && phases.len() == 2 * validating, "{file}: {phases:?}");
        assert!(phases[validating..].iter().all(|phase| *phase == Phase::Importing), "{file}: {phases:?}");
    }
    import_canonical(reference);
    assert_eq!(snapshot(store), snapshot(reference), "a strict import writes what a plain one does");
    let again = import_clean(
        store,
        ImportKind::People,
        &fixture("canonical/people.csv"),
        &ImportOptions { strict: true, ..ImportOptions::default() },
    );
    assert_eq!(tally(&again), (0, 0, again.rows, 0));
}

pub fn row_errors_beyond_the_cap_are_counted_not_kept(store: &dyn Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("email,created_at\n");
    for n in 0..1_500 {
        text.push_str(&format!("person{n}.example.com,2024-01-02\nok{n}@example.com,2024-01-02\n"));
    }
    let path = write_file(dir.path(), "many-bad.csv", text);
    let summary = import(
        store,
        ImportKind::People,
        &path,
        &ImportOptions { batch_size: 700, ..ImportOptions::default() },
    );
    assert_eq!((summary.rows, tally(&summary)), (3_000, (1_500, 0, 0, 1_500)));
    assert_eq!(summary.errors.len(), rapport_import::MAX_KEPT_ERRORS);
    let lines: Vec<u64> = summary.errors.iter().map(|error| error.line).collect();
    let expected: Vec<u64> = (0..rapport_import::MAX_KEPT_ERRORS as u64).map(|n| 2 + 2 * n).collect();
    assert!(
        lines == expected,
        "the first errors are kept, in order; kept {:?} …",
        &lines[..lines.len().min(8)]
    );
}

/// Store rejections are found after a batch's parse errors; the errors kept must still be the
/// file's first ones.
pub fn kept_errors_are_the_first_of_the_file(store: &dyn Store) {
    let dir = tempfile::tempdir().unwrap();
    let people = write_file(dir.path(), "people.csv", "email,created_at\nana@example.com,2024-01-02\n");
    import_clean(store, ImportKind::People, &people, &ImportOptions::default());
    let mut text = String::from("email,occurred_at,kind\n");
    for n in 0..1_200 {
        text.push_str(&format!(
            "stranger{n}@example.com,2024-01-03,web_visit\nana@example.com,day {n},web_visit\n"
        ));
    }
    let path = write_file(dir.path(), "touches.csv", text);
    let summary = import(store, ImportKind::Touches, &path, &ImportOptions::default());
    assert_eq!(tally(&summary), (0, 0, 0, 2_400));
    let lines: Vec<u64> = summary.errors.iter().map(|error| error.line).collect();
    let expected: Vec<u64> = (2..2 + rapport_import::MAX_KEPT_ERRORS as u64).collect();
    assert!(lines == expected, "kept lines {:?} … of {}", &lines[..lines.len().min(8)], lines.len());
}

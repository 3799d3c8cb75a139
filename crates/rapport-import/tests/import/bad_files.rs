//! Files refused whole: binary, wrongly encoded, empty, without a header or a required column.
//! Each error names the file (and the line and byte for encodings) and nothing is written.

use rapport_import::{ImportError, ImportKind, ImportOptions};
use rapport_store::Store;

use crate::support::{assert_refused, import, import_canonical, snapshot, write_file};

const PEOPLE: &str = "email,first_name,created_at\nana@example.com,Ana,2024-01-02\n";

fn refuse(store: &dyn Store, dir: &std::path::Path, name: &str, bytes: &[u8]) -> ImportError {
    let path = write_file(dir, name, bytes);
    assert_refused(store, ImportKind::People, &path, &ImportOptions::default())
}

/// Bytes from a fixed-seed generator, so the test sees the same "random" file every run.
fn noise(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 56) as u8
        })
        .collect()
}

pub fn binary_files_are_refused(store: &dyn Store) {
    import_canonical(store);
    let dir = tempfile::tempdir().unwrap();
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa";
    let cases: [(&str, &[u8], &str); 4] = [
        ("logo.png", png, "PNG image"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", "JPEG image"),
        ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF document"),
        ("leads.xlsx", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "Excel workbook"),
    ];
    for (name, bytes, what) in cases {
        let error = refuse(store, dir.path(), name, bytes);
        assert!(matches!(error, ImportError::NotCsv { .. }), "{name}: {error:?}");
        let message = error.to_string();
        assert!(message.contains("is not a CSV file") && message.contains(what), "{name}: {message}");
    }
    let error = refuse(store, dir.path(), "noise.csv", &noise(64 * 1024));
    assert!(matches!(error, ImportError::NotCsv { .. } | ImportError::NotUtf8 { .. }), "{error:?}");
}

pub fn latin1_file_is_refused_with_line_and_byte(store: &dyn Store) {
    let dir = tempfile::tempdir().unwrap();
    // "José" as Excel writes it in a Western European "CSV (Comma delimited)" file.
    let latin1 =
        b"email,first_name,created_at\nana@example.com,Ana,2024-01-02\njose@example.com,Jos\xe9,2024-01-03\n";
    let offset = latin1.iter().position(|b| *b == 0xe9).unwrap() as u64;
    let error = refuse(store, dir.path(), "latin1.csv", latin1);
    match &error {
        ImportError::NotUtf8 { line, byte, offset: at, .. } => {
            assert_eq!((*line, *byte, *at), (3, 21, offset))
        }
        other => panic!("{other:?}"),
    }
    let message = error.to_string();
    assert!(message.contains("latin1.csv is not UTF-8 text: line 3"), "{message}");
    assert!(message.contains("re-save the file as \"CSV UTF-8\""), "{message}");

    // With a byte-order mark in front the line and byte stay, the offset in the file grows.
    let with_bom = [b"\xef\xbb\xbf".as_slice(), latin1].concat();
    match refuse(store, dir.path(), "bom-latin1.csv", &with_bom) {
        ImportError::NotUtf8 { line, byte, offset: at, .. } => {
            assert_eq!((line, byte, at), (3, 21, offset + 3))
        }
        other => panic!("{other:?}"),
    }
    // A quoted field over two lines: the line is still the file's.
    let multi_line = b"email,first_name,created_at\n\"ana@example.com\",\"Ana\nMaria\",2024-01-02\nbo@example.com,B\xf6rje,2024-01-03\n";
    match refuse(store, dir.path(), "multi-line.csv", multi_line) {
        ImportError::NotUtf8 { line, byte, .. } => assert_eq!((line, byte), (4, 17)),
        other => panic!("{other:?}"),
    }
}

pub fn bad_byte_late_in_a_file_writes_nothing(store: &dyn Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut text = b"email,first_name,created_at\n".to_vec();
    for n in 0..3000 {
        let name: &[u8] = if n == 2990 { b"Fran\xe7ois" } else { b"Pat" };
        text.extend_from_slice(format!("p{n}@example.com,").as_bytes());
        text.extend_from_slice(name);
        text.extend_from_slice(b",2024-01-02\n");
    }
    let path = write_file(dir.path(), "late.csv", &text);
    let options = ImportOptions { batch_size: 100, ..ImportOptions::default() };
    match assert_refused(store, ImportKind::People, &path, &options) {
        ImportError::NotUtf8 { line, byte, .. } => assert_eq!((line, byte), (2992, 23)),
        other => panic!("{other:?}"),
    }
    assert_eq!(store.counts().unwrap().people, 0, "no batch before the bad byte was committed");
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut bytes = Vec::new();
    let units = bom.then_some(0xFEFF_u16).into_iter().chain(text.encode_utf16());
    for unit in units {
        bytes.extend_from_slice(&if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
    }
    bytes
}

pub fn utf16_files_are_refused(store: &dyn Store) {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("utf16le.csv", utf16(PEOPLE, false, true)),
        ("utf16be.csv", utf16(PEOPLE, true, true)),
        ("utf16le-no-bom.csv", utf16(PEOPLE, false, false)),
        ("utf16be-no-bom.csv", utf16(PEOPLE, true, false)),
    ] {
        let error = refuse(store, dir.path(), name, &bytes);
        assert!(matches!(error, ImportError::NotCsv { .. }), "{name}: {error:?}");
        let message = error.to_string();
        assert!(message.contains("UTF-16") && message.contains("CSV UTF-8"), "{name}: {message}");
    }
}

pub fn empty_files_are_refused(store: &dyn Store) {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in
        [("empty.csv", b"".as_slice()), ("blank.csv", b"\n\r\n  \n\t\n"), ("bom-only.csv", b"\xef\xbb\xbf")]
    {
        let error = refuse(store, dir.path(), name, bytes);
        assert!(matches!(error, ImportError::Empty { .. }), "{name}: {error:?}");
        assert!(error.to_string().ends_with("is empty: it has no header row and no data"), "{error}");
    }
    // A blank header over data is no header.
    let error = refuse(store, dir.path(), "blank-header.csv", b" , \nana@example.com,2024-01-02\n");
    assert!(matches!(error, ImportError::NoHeader { .. }), "{error:?}");
}

/// A header with no rows is a valid, empty file (an export of a kind with no records is one):
/// it imports nothing, without an error. Its header is still checked.
pub fn header_only_file_imports_nothing(store: &dyn Store) {
    import_canonical(store);
    let dir = tempfile::tempdir().unwrap();
    let before = snapshot(store);
    for (name, text) in [("header.csv", "email,created_at\n"), ("header-no-newline.csv", "email,created_at")]
    {
        let path = write_file(dir.path(), name, text);
        let summary = import(store, ImportKind::People, &path, &ImportOptions::default());
        assert_eq!((summary.rows, summary.inserted, summary.failed), (0, 0, 0), "{name}");
    }
    assert_eq!(snapshot(store), before);
    let error = refuse(store, dir.path(), "header-missing-column.csv", b"email,first_name\n");
    assert!(matches!(error, ImportError::MissingColumn { column: "created_at", .. }), "{error:?}");
}

pub fn file_without_header_is_refused(store: &dyn Store) {
    import_canonical(store);
    let dir = tempfile::tempdir().unwrap();
    let error = refuse(
        store,
        dir.path(),
        "no-header.csv",
        b"ana@example.com,Ana,2024-01-02\nbo@example.com,Bo,2024-01-03\n",
    );
    let message = error.to_string();
    assert!(message.contains("no-header.csv"), "{message}");
    assert!(message.contains("\"ana@example.com\""), "the message shows the first line: {message}");
    assert!(message.contains("header row"), "the message says the header row is missing: {message}");

    let error = refuse(store, dir.path(), "no-created.csv", b"email,first_name\nana@example.com,Ana\n");
    assert!(matches!(error, ImportError::MissingColumn { column: "created_at", .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.starts_with(&format!(
            "{} has no `created_at` column",
            dir.path().join("no-created.csv").display()
        )),
        "{message}"
    );
    assert!(message.contains("the header found is: \"email\", \"first_name\""), "{message}");
}

pub fn missing_file_is_refused(store: &dyn Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("not-there.csv");
    let error = assert_refused(store, ImportKind::People, &path, &ImportOptions::default());
    assert!(matches!(error, ImportError::Read { .. }), "{error:?}");
    assert!(error.to_string().starts_with(&format!("cannot read {}", path.display())), "{error}");
}

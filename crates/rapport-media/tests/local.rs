//! The media store on its default backend, a local folder: put, get, byte ranges, head,
//! streaming uploads, and the errors a caller can act on.

use rapport_media::{MediaError, MediaLocation, MediaStore};

fn store() -> (tempfile::TempDir, MediaStore) {
    let dir = tempfile::tempdir().unwrap();
    // A folder that does not exist yet: opening creates it.
    let location = MediaLocation::Local(dir.path().join("media"));
    let media = MediaStore::open(&location).unwrap();
    (dir, media)
}

fn bytes(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 251) as u8).collect()
}

#[test]
fn put_get_and_head_round_trip() {
    let (dir, media) = store();
    let data = bytes(10_000);
    let info = media.put("calls/a.wav", data.clone()).unwrap();
    assert_eq!((info.key.as_str(), info.size), ("calls/a.wav", 10_000));
    assert_eq!(media.get("calls/a.wav").unwrap(), data);
    assert_eq!(media.head("calls/a.wav").unwrap().size, 10_000);
    // The key is a path under the folder, so operators can find the files.
    assert_eq!(std::fs::read(dir.path().join("media/calls/a.wav")).unwrap(), data);
    media.put("calls/a.wav", vec![1, 2, 3]).unwrap();
    assert_eq!(media.get("calls/a.wav").unwrap(), vec![1, 2, 3], "a put replaces the object");
}

#[test]
fn byte_ranges_are_cut_at_the_end() {
    let (_dir, media) = store();
    let data = bytes(1000);
    media.put("calls/r.mp3", data.clone()).unwrap();
    assert_eq!(media.get_range("calls/r.mp3", 0..10).unwrap(), data[..10]);
    assert_eq!(media.get_range("calls/r.mp3", 990..2000).unwrap(), data[990..]);
    assert_eq!(media.get_range("calls/r.mp3", 5..5).unwrap(), Vec::<u8>::new());
    let error = media.get_range("calls/r.mp3", 1000..1010).unwrap_err();
    assert!(matches!(error, MediaError::RangeNotSatisfiable { start: 1000, size: 1000, .. }), "{error}");
}

#[test]
fn async_range_reads_run_on_the_callers_runtime() {
    let (_dir, media) = store();
    let data = bytes(4096);
    media.put("calls/s.ogg", data.clone()).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let got = runtime.block_on(media.get_range_async("calls/s.ogg", 100..300)).unwrap();
    assert_eq!(&got[..], &data[100..300]);
    let head = runtime.block_on(media.head_async("calls/s.ogg")).unwrap();
    assert_eq!(head.size, 4096);
}

#[test]
fn files_stream_in_across_chunks() {
    let (dir, media) = store();
    // Larger than one upload chunk (8 MiB), so the multipart path runs.
    let data = bytes(9 * 1024 * 1024 + 17);
    let file = dir.path().join("long.wav");
    std::fs::write(&file, &data).unwrap();
    let info = media.put_file("calls/long.wav", &file).unwrap();
    assert_eq!(info.size, data.len() as u64);
    assert_eq!(media.get("calls/long.wav").unwrap(), data);
    let error = media.put_file("calls/x.wav", &dir.path().join("missing.wav")).unwrap_err();
    assert!(error
        .to_string()
        .starts_with(&format!("{}: cannot read", dir.path().join("missing.wav").display())));
}

#[test]
fn missing_objects_and_bad_keys_are_named() {
    let (_dir, media) = store();
    let error = media.get("calls/none.wav").unwrap_err();
    assert!(matches!(&error, MediaError::NotFound { key, .. } if key == "calls/none.wav"), "{error}");
    assert!(!error.is_transient());
    assert!(matches!(media.head("calls/none.wav"), Err(MediaError::NotFound { .. })));
    for key in ["", "/abs.wav", "calls/../x.wav", "calls/"] {
        let error = media.put(key, vec![1]).unwrap_err();
        assert!(matches!(error, MediaError::InvalidKey { .. }), "{key}: {error}");
    }
    media.put("calls/d.wav", vec![1]).unwrap();
    media.delete("calls/d.wav").unwrap();
    media.delete("calls/d.wav").unwrap();
    assert!(matches!(media.get("calls/d.wav"), Err(MediaError::NotFound { .. })));
}

#[test]
fn s3_locations_open_without_contacting_anything() {
    // Building the client reads the environment only; no request is made until a read.
    let location = MediaLocation::parse("s3://rapport-test-bucket/calls-prefix").unwrap();
    let media = MediaStore::open(&location).unwrap();
    assert_eq!(media.location().to_string(), "s3://rapport-test-bucket/calls-prefix");
    assert_eq!(format!("{media:?}"), "MediaStore { location: \"s3://rapport-test-bucket/calls-prefix\" }");
}

//! The Hugging Face path without the internet: a fake cache, a local HTTP server standing in
//! for huggingface.co, and an endpoint nobody listens on.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use super::*;

const ID: &str = "Systran/faster-whisper-tiny.en";

fn write_model(dir: &Path, files: &[&str]) {
    fs::create_dir_all(dir).unwrap();
    for file in files {
        fs::write(dir.join(file), format!("contents of {file}")).unwrap();
    }
}

/// Serves `files` under `/{ID}/resolve/main/` until dropped; 404 for anything else.
fn serve(files: HashMap<&'static str, Vec<u8>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            let mut header = String::new();
            while reader.read_line(&mut header).unwrap() > 2 {
                header.clear();
            }
            let path = request_line.split_whitespace().nth(1).unwrap_or("");
            let prefix = format!("/{ID}/resolve/main/");
            let body = path.strip_prefix(&prefix).and_then(|file| files.get(file));
            let mut stream = stream;
            let _ = match body {
                Some(body) => write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nX-Repo-Commit: abc123\r\nConnection: close\r\n\r\n",
                    body.len()
                )
                .and_then(|_| stream.write_all(body)),
                None => write!(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
            };
        }
    });
    format!("http://{address}")
}

#[test]
fn local_directory_is_checked() {
    let temp = tempfile::tempdir().unwrap();
    write_model(temp.path(), &["model.bin", "config.json", "tokenizer.json"]);
    let error = resolve_model(&ModelSource::Local(temp.path().into()), &mut |_, _| {}).unwrap_err();
    assert!(error.to_string().contains("is missing vocabulary.txt"), "{error}");
    write_model(temp.path(), &["vocabulary.json"]);
    assert_eq!(resolve_model(&ModelSource::Local(temp.path().into()), &mut |_, _| {}).unwrap(), temp.path());
}

#[test]
fn cached_snapshot_is_found_without_network() {
    let cache = tempfile::tempdir().unwrap();
    let repo = cache.path().join("models--Systran--faster-whisper-tiny.en");
    let snapshot = repo.join("snapshots").join("0123abcd");
    write_model(&snapshot, &["model.bin", "config.json", "tokenizer.json", "vocabulary.txt"]);
    write_model(&repo.join("refs"), &[]);
    fs::write(repo.join("refs").join("main"), "0123abcd").unwrap();
    // An endpoint nobody listens on: any network use would fail the test.
    let found = resolve_hugging_face(ID, cache.path(), "http://127.0.0.1:9", false, &mut |_, _| {}).unwrap();
    assert_eq!(found, snapshot);
}

#[test]
fn offline_without_cache_says_what_to_download_and_where() {
    let cache = tempfile::tempdir().unwrap();
    for offline in [false, true] {
        let error = resolve_hugging_face(ID, cache.path(), "http://127.0.0.1:9", offline, &mut |_, _| {})
            .unwrap_err();
        let message = error.to_string();
        let expected_dir =
            cache.path().join("models--Systran--faster-whisper-tiny.en").join("snapshots").join("main");
        assert!(matches!(error, AsrError::Offline { .. }), "{message}");
        assert!(message.contains("https://huggingface.co/Systran/faster-whisper-tiny.en"), "{message}");
        assert!(message.contains("model.bin, config.json, tokenizer.json, vocabulary.txt"), "{message}");
        assert!(message.contains(&expected_dir.display().to_string()), "{message}");
    }
}

#[test]
fn downloads_once_into_a_snapshot_with_progress() {
    let weights = vec![7u8; 300_000];
    let mut files = HashMap::new();
    files.insert("model.bin", weights.clone());
    for file in ["config.json", "tokenizer.json", "vocabulary.txt"] {
        files.insert(file, file.as_bytes().to_vec());
    }
    let endpoint = serve(files);
    let cache = tempfile::tempdir().unwrap();
    let mut calls = Vec::new();
    let dir = resolve_hugging_face(ID, cache.path(), &endpoint, false, &mut |done, total| {
        calls.push((done, total))
    })
    .unwrap();
    assert!(dir.ends_with("models--Systran--faster-whisper-tiny.en/snapshots/abc123"), "{}", dir.display());
    assert_eq!(fs::read(dir.join("model.bin")).unwrap(), weights);
    assert!(!dir.join("preprocessor_config.json").exists(), "a 404 on an optional file is fine");
    let (done, total) = *calls.last().unwrap();
    assert_eq!((done, total), (300_000 + 11 + 14 + 14, 300_000 + 11 + 14 + 14));
    assert!(calls.windows(2).all(|w| w[0].0 <= w[1].0), "progress never goes back");
    // A second resolve is served from the cache, even with the server unreachable.
    let again = resolve_hugging_face(ID, cache.path(), "http://127.0.0.1:9", false, &mut |_, _| {}).unwrap();
    assert_eq!(again, dir);
}

#[test]
fn unknown_model_and_bad_ids_are_reported() {
    let endpoint = serve(HashMap::new());
    let cache = tempfile::tempdir().unwrap();
    let error = resolve_hugging_face(ID, cache.path(), &endpoint, false, &mut |_, _| {}).unwrap_err();
    assert!(error.to_string().contains("HTTP 404 (is the model id right, and public?)"), "{error}");
    for bad in ["tiny.en", "a/b/c", "../x", "owner/.."] {
        let error = resolve_hugging_face(bad, cache.path(), &endpoint, false, &mut |_, _| {}).unwrap_err();
        assert!(matches!(error, AsrError::InvalidOption(_)), "{bad}: {error}");
    }
}

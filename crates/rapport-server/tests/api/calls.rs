//! Calls through the API: a transcript upload becomes a ready call, a recording a queued job
//! (no model runs here), and the recording plays back with HTTP range requests.

use reqwest::Method;
use serde_json::Value;

use crate::schema;
use crate::support::{Answer, TestServer};

const TRANSCRIPT: &str = "WEBVTT

1
00:00:00.500 --> 00:00:02.000
Rita Rep: Thanks for taking the call.

2
00:00:02.500 --> 00:00:04.000
Carl Customer: Happy to, what's new?
";

/// A small 8 kHz mu-law WAV (about 8 KB), recorded once; nothing decodes it here.
const WAV: &[u8] = include_bytes!("../../../rapport-audio/tests/fixtures/phone-8k-ulaw.wav");

async fn upload(server: &TestServer, token: &str, query: &str, body: Vec<u8>) -> Answer {
    let request = server
        .request(Method::POST, &format!("/api/calls?{query}"))
        .bearer_auth(token)
        .header("content-type", "application/octet-stream");
    server.send(request.body(body)).await
}

async fn range(server: &TestServer, token: &str, path: &str, range: &str) -> reqwest::Response {
    let request = server.request(Method::GET, path).bearer_auth(token).header("range", range);
    request.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transcript_upload_becomes_a_ready_call_with_its_utterances() {
    let server = TestServer::start().await;
    let token = server.user("rep@rapport.test", "sales_rep");
    let answer = upload(&server, &token, "file_name=intro.vtt&rep=Rita%20Rep", TRANSCRIPT.into()).await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    let added = answer.json();
    schema::check(&added, "AddedCall");
    assert_eq!((added["call"]["status"].as_str(), added["utterances"].as_u64()), (Some("ready"), Some(2)));
    assert_eq!(added["call"]["title"], "intro");
    assert!(added["job"].is_null(), "{added}");
    let id = added["call"]["id"].as_i64().unwrap();

    // The call names its rep by speaker name only, so it is no rep's own: a rep may not open
    // it (see `rapport_app::visibility`), a manager without a team may.
    server.get(&format!("/api/calls/{id}"), &token).await.expect_error(403, "forbidden");
    let manager = server.user("manager@rapport.test", "sales_manager");
    let details = server.get(&format!("/api/calls/{id}"), &manager).await.expect_ok();
    schema::check(&details, "CallDetails");
    let lines: Vec<(&str, &str, &str)> = details["utterances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["speaker"].as_str().unwrap(), u["role"].as_str().unwrap(), u["text"].as_str().unwrap()))
        .collect();
    assert_eq!(
        lines,
        vec![
            ("Rita Rep", "rep", "Thanks for taking the call."),
            ("Carl Customer", "customer", "Happy to, what's new?")
        ]
    );
    assert!(details["job"].is_null(), "{details}");

    let list = server.get("/api/calls?status=ready", &manager).await.expect_ok();
    schema::check(&list, "CallList");
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    let none = server.get("/api/calls?status=queued", &manager).await.expect_ok();
    assert_eq!(none, serde_json::json!([]));
    server.get("/api/calls?status=lost", &manager).await.expect_error(422, "invalid_value");
    server.get("/api/calls?rep=nobody@rapport.test", &manager).await.expect_error(422, "invalid_value");
    server.get("/api/calls/999", &manager).await.expect_error(404, "not_found");
    let body = server.get(&format!("/api/calls/{id}/audio"), &manager).await.expect_error(404, "not_found");
    assert!(body["message"].as_str().unwrap().contains("no recording"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_transcript_is_refused_naming_the_file_and_the_line() {
    let server = TestServer::start().await;
    let token = server.user("manager@rapport.test", "sales_manager");
    let broken = "WEBVTT\n\n1\n00:00:01.000 --> later\nRita Rep: hello\n";
    let body = upload(&server, &token, "file_name=broken.vtt", broken.into())
        .await
        .expect_error(422, "invalid_value");
    assert_eq!(body["field"], "broken.vtt", "{body}");
    let message = body["message"].as_str().unwrap();
    assert!(message.starts_with("broken.vtt: ") && message.contains("line 4"), "{body}");
    let body =
        upload(&server, &token, "file_name=broken.json", b"{\"segments\": [{\"start\": \"x\"}]}".to_vec())
            .await
            .expect_error(422, "invalid_value");
    assert_eq!(body["field"], "broken.json", "{body}");
    assert!(body["message"].as_str().unwrap().contains("segments[0].start"), "{body}");
    // Nothing was written.
    assert_eq!(server.get("/api/calls", &token).await.expect_ok(), serde_json::json!([]));
    upload(&server, &token, "title=no-file-name", TRANSCRIPT.into()).await.expect_error(400, "invalid_query");
    upload(&server, &token, "file_name=..", TRANSCRIPT.into()).await.expect_error(422, "invalid_value");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recording_is_stored_with_a_queued_job_and_plays_back_by_range() {
    let server = TestServer::start().await;
    let token = server.user("marketing@rapport.test", "marketing");
    let answer = upload(&server, &token, "file_name=discovery.wav&channels=rep", WAV.to_vec()).await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    let added = answer.json();
    schema::check(&added, "AddedCall");
    assert_eq!(added["call"]["status"], "queued");
    assert_eq!(added["call"]["audio_content_type"], "audio/wav");
    let call = added["call"]["id"].as_i64().unwrap();
    let job = added["job"]["id"].as_i64().unwrap();

    let jobs = server.get("/api/jobs", &token).await.expect_ok();
    schema::check(&jobs, "JobList");
    let listed: Vec<(i64, &str, &str, f64, i64)> = jobs
        .as_array()
        .unwrap()
        .iter()
        .map(|j| {
            let field = |name: &str| j[name].as_str().unwrap();
            (
                j["id"].as_i64().unwrap(),
                field("kind"),
                field("status"),
                j["progress"].as_f64().unwrap(),
                j["call_id"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(listed, vec![(job, "transcribe", "queued", 0.0, call)]);
    let filtered = server.get(&format!("/api/jobs?call={call}&status=queued&kind=transcribe"), &token).await;
    assert_eq!(filtered.expect_ok().as_array().map(Vec::len), Some(1));
    let other = server.get("/api/jobs?status=running", &token).await.expect_ok();
    assert_eq!(other, serde_json::json!([]));
    server.get("/api/jobs?status=done", &token).await.expect_error(422, "invalid_value");
    let one = server.get(&format!("/api/jobs/{job}"), &token).await.expect_ok();
    schema::check(&one, "Job");
    assert_eq!((one["status"].as_str(), one["progress"].as_f64()), (Some("queued"), Some(0.0)));
    server.get("/api/jobs/999", &token).await.expect_error(404, "not_found");
    let details = server.get(&format!("/api/calls/{call}"), &token).await.expect_ok();
    schema::check(&details, "CallDetails");
    assert_eq!((details["job"]["id"].as_i64(), details["job"]["progress"].as_f64()), (Some(job), Some(0.0)));

    // The whole recording, then ranges of it.
    let path = format!("/api/calls/{call}/audio");
    let whole = server.request(Method::GET, &path).bearer_auth(&token).send().await.unwrap();
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.headers()["accept-ranges"], "bytes");
    assert_eq!(whole.headers()["content-type"], "audio/wav");
    assert_eq!(whole.bytes().await.unwrap().as_ref(), WAV);
    let size = WAV.len();
    for (asked, slice) in [
        ("bytes=0-99", 0..100),
        ("bytes=100-", 100..size),
        ("bytes=-50", size - 50..size),
        ("bytes=4000-99999", 4000..size),
    ] {
        let answer = range(&server, &token, &path, asked).await;
        assert_eq!(answer.status(), 206, "{asked}");
        let expected = format!("bytes {}-{}/{size}", slice.start, slice.end - 1);
        assert_eq!(answer.headers()["content-range"], expected.as_str(), "{asked}");
        assert_eq!(answer.headers()["accept-ranges"], "bytes", "{asked}");
        assert_eq!(answer.bytes().await.unwrap().as_ref(), &WAV[slice], "{asked}");
    }
    for asked in
        [format!("bytes={size}-"), "bytes=-0".to_owned(), format!("bytes={}-{}", size + 10, size + 20)]
    {
        let answer = range(&server, &token, &path, &asked).await;
        assert_eq!(answer.status(), 416, "{asked}");
        assert_eq!(answer.headers()["content-range"], format!("bytes */{size}").as_str(), "{asked}");
        let body: Value = answer.json().await.unwrap();
        assert_eq!(body["code"], "range_not_satisfiable", "{body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recordings_need_a_media_store() {
    let server = TestServer::start_without_media().await;
    let token = server.user("admin@rapport.test", "admin");
    let body = upload(&server, &token, "file_name=call.wav", WAV.to_vec())
        .await
        .expect_error(503, "media_unavailable");
    assert_eq!(body["type"], "internal");
    assert_eq!(server.get("/api/calls", &token).await.expect_ok(), serde_json::json!([]));
    // Transcripts need none.
    let answer = upload(&server, &token, "file_name=intro.vtt", TRANSCRIPT.into()).await;
    assert_eq!(answer.status, 201, "{}", answer.text);
}

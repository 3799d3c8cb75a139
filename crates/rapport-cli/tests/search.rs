//! Conversation analytics on stored calls through the real binary: calls analysed when added,
//! PII redacted before storage, search with filters and inert operator-looking queries,
//! trackers as data (list, add, test, remove) re-analysing stored calls, and the
//! voice-of-the-customer report.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn rapport(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("rapport").unwrap();
    command.arg("--data-dir").arg(dir).env_remove("RAPPORT_DATABASE_URL").env("RAPPORT_LOG", "warn");
    command
}

fn json(command: &mut Command) -> Value {
    let output = command.output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const CALL: &str = r#"{"utterances": [
  {"speaker": "Rita", "role": "rep", "start": 0, "end": 4, "text": "What budget do you have for this?"},
  {"speaker": "Ana", "role": "customer", "start": 5, "end": 9, "text": "Mail ana@acme.com: the price is too high, <script>alert(1)</script>"},
  {"speaker": "Ana", "role": "customer", "start": 10, "end": 14, "text": "We run it all on a widget today."}
]}"#;

/// A workspace with one analysed call; returns the call's id.
fn workspace(dir: &Path) -> i64 {
    let file = write(dir, "call.json", CALL);
    let added =
        json(rapport(dir).args(["calls", "add", "--json", "--started-at", "2026-03-02 10:00"]).arg(file));
    added["call"]["id"].as_i64().unwrap()
}

#[test]
fn search_finds_utterances_with_safe_snippets_and_redacted_text() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let call = workspace(ws);
    let hits = json(rapport(ws).args(["search", "PRICE", "--json"]));
    let hit = &hits[0];
    assert_eq!(hits.as_array().unwrap().len(), 1);
    assert_eq!(
        (hit["call"].as_i64(), hit["utterance"].as_i64(), hit["side"].as_str()),
        (Some(call), Some(1), Some("customer"))
    );
    assert_eq!(hit["start_ms"], 5000);
    let snippet = hit["snippet"].as_str().unwrap();
    assert!(snippet.contains("[email]") && !snippet.contains("ana@acme.com"), "{snippet}");
    let highlight = &hit["highlights"][0];
    let (start, end) =
        (highlight["start"].as_u64().unwrap() as usize, highlight["end"].as_u64().unwrap() as usize);
    assert_eq!(snippet.chars().skip(start).take(end - start).collect::<String>(), "price");

    assert_eq!(json(rapport(ws).args(["search", "ana@acme.com", "--json"])), serde_json::json!([]));
    assert_eq!(json(rapport(ws).args(["search", "price", "--side", "rep", "--json"])), serde_json::json!([]));
    assert_eq!(
        json(rapport(ws).args(["search", "price", "--tracker", "Pricing", "--json"]))
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        json(rapport(ws).args(["search", "price", "--from", "2026-04-01", "--json"])),
        serde_json::json!([])
    );
    for inert in ["price OR", "NEAR(price", "'; DROP TABLE calls; --", "\"price", "price*"] {
        let output = rapport(ws).args(["search", inert, "--json"]).output().unwrap();
        assert!(output.status.success(), "{inert}: {}", String::from_utf8_lossy(&output.stderr));
    }

    let output = rapport(ws).args(["search", "*:()"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "a query without words is bad input");
    assert!(String::from_utf8_lossy(&output.stderr).contains("q: the search has no words"));
    let hits = json(rapport(ws).args(["search", "price", "--limit", "1", "--rank-window", "1", "--json"]));
    assert_eq!(hits.as_array().unwrap().len(), 1, "a window as wide as the limit still answers");
    let output = rapport(ws).args(["search", "price", "--rank-window", "3"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "a window below the limit (20) is bad input");
    assert!(String::from_utf8_lossy(&output.stderr).contains("rank_window"));
    let output = rapport(ws).args(["search", "price", "--tracker", "Nope"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("tracker"));

    // The table marks matches in brackets (not a terminal here) and shows markup as text.
    let table = String::from_utf8(rapport(ws).args(["search", "alert"]).output().unwrap().stdout).unwrap();
    assert!(table.contains("[alert]") && table.contains("<script>"), "{table}");
}

#[test]
fn trackers_are_data_and_a_change_reanalyses_stored_calls() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let call = workspace(ws);
    let listed = json(rapport(ws).args(["trackers", "list", "--json"]));
    let names: Vec<&str> =
        listed["trackers"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Competitors") && names.contains(&"Pricing"), "{names:?}");

    let file = write(
        ws,
        "widgets.toml",
        "[[tracker]]\nname = \"Widgets\"\nphrases = [\"widget\"]\nword_forms = true\n",
    );
    let tested =
        json(rapport(ws).args(["trackers", "test"]).arg(&file).args(["--call", &call.to_string(), "--json"]));
    assert_eq!(tested[0]["tracker"], "Widgets");
    assert_eq!(tested[0]["utterance"], 2);
    assert_eq!(
        json(rapport(ws).args(["search", "widget", "--tracker", "Pricing", "--json"]))
            .as_array()
            .unwrap()
            .len(),
        1
    );

    rapport(ws).args(["trackers", "add"]).arg(&file).assert().success();
    let jobs = json(rapport(ws).args(["jobs", "list", "--json"]));
    assert!(
        jobs.as_array().unwrap().iter().any(|j| j["kind"] == "analyze" && j["status"] == "queued"),
        "{jobs}"
    );
    rapport(ws).args(["trackers", "reanalyze"]).assert().success();
    assert_eq!(
        json(rapport(ws).args(["search", "widget", "--tracker", "Widgets", "--json"]))
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let bad = write(ws, "bad.toml", "[[tracker]]\nname = \"X\"\nphrases = [\"...\"]\n");
    let output = rapport(ws).args(["trackers", "add"]).arg(&bad).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad.toml") && stderr.contains("\"X\""), "{stderr}");

    rapport(ws).args(["trackers", "remove", "Widgets"]).assert().success();
    let output = rapport(ws).args(["trackers", "remove", "Widgets"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn the_voc_report_counts_customer_mentions_with_quotes() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let call = workspace(ws);
    let report = json(rapport(ws).args(["report", "voc", "--by", "industry", "--json"]));
    assert_eq!(report["calls"], 1);
    let pricing = report["trackers"].as_array().unwrap().iter().find(|t| t["tracker"] == "Pricing").unwrap();
    assert_eq!(pricing["overall"]["mentioning"], 1);
    assert_eq!(pricing["segments"][0]["group"], "unknown");
    assert_eq!(pricing["quotes"][0]["call"], call);
    assert!(pricing["quotes"][0]["text"].as_str().unwrap().contains("[email]"));
    let budget = report["trackers"].as_array().unwrap().iter().find(|t| t["tracker"] == "Budget").unwrap();
    assert_eq!(budget["overall"]["mentioning"], 0, "only the rep said budget");
    let table = String::from_utf8(rapport(ws).args(["report", "voc"]).output().unwrap().stdout).unwrap();
    assert!(table.contains("Pricing") && table.contains("two-proportion z-test"), "{table}");
}

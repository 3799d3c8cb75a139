//! `rapport analyze` end to end on the Teams fixture, whose figures are worked out by hand
//! from its cue times below; it needs no database.

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../rapport-transcript/tests/fixtures").join(name)
}

fn rapport() -> Command {
    let mut command = Command::cargo_bin("rapport").expect("the binary is built");
    // A data directory that does not exist proves the command never opens a workspace.
    command
        .arg("--data-dir")
        .arg("/nonexistent/rapport")
        .env_remove("RAPPORT_DATABASE_URL")
        .env("RAPPORT_LOG", "warn");
    command
}

fn close(value: &Value, expected: f64) -> bool {
    value.as_f64().is_some_and(|got| (got - expected).abs() < 1e-6)
}

#[test]
fn analyze_prints_hand_checked_stats_as_json() {
    let output = rapport()
        .args(["analyze", "--json", "--rep", "Zoë Müller"])
        .arg(fixture("teams.vtt"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["utterances"].as_array().unwrap().len(), 7);
    assert_eq!(json["utterances"][0]["role"], "rep");
    let stats = &json["stats"];
    // Zoë: 3.589–7.229, 9.620–16.305, 25.010–29.400 = 14.715 s. The other side: 7.480–9.110,
    // 16.900–18.000 (no speaker: customer side), 18.020–24.775, 29.960–31.120 = 10.645 s.
    let rep = 3.64 + 6.685 + 4.39;
    let customer = 1.63 + 1.1 + 6.755 + 1.16;
    // The default trackers: Gong is no default competitor; Zoë's "by hand" is no pain point
    // (pain points are the customer's); "pricing" is one hit although two Pricing phrases
    // ("price" with word forms, "pricing") match it; the pilot is in the last 10 minutes.
    let hits: Vec<(&str, f64, &str)> = json["trackers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| {
            (
                hit["tracker"].as_str().unwrap(),
                hit["time_s"].as_f64().unwrap(),
                hit["matched"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(hits, [("Pricing", 18.02, "pricing"), ("Next steps", 25.01, "pilot"),]);
    for (key, expected) in [
        ("duration_s", 31.12),
        ("talk_ratio", rep / (rep + customer)),
        ("longest_monologue_s", 6.685),
        // 16.900–24.775: the unnamed cue and Raj's answer form one customer stretch.
        ("longest_customer_story_s", 7.875),
        // Zoë answers after 0.51 s (9.110 → 9.620) and 0.235 s (24.775 → 25.010).
        ("patience_s", (0.51 + 0.235) / 2.0),
        // "Can everyone hear me okay?" and "Would a two-week pilot … help?" in 31.12 s.
        ("question_rate_per_hour", 2.0 * 3600.0 / 31.12),
        ("silence_s", 31.12 - rep - customer),
        ("overlap_s", 0.0),
        ("side_switches", 5.0),
        // Five switches in 0.52 minutes is far past six per minute: full scale.
        ("interactivity", 10.0),
    ] {
        assert!(close(&stats[key], expected), "{key}: got {}, expected {expected}", stats[key]);
    }
}

#[test]
fn analyze_prints_a_table_by_default() {
    let output = rapport().arg("analyze").arg(fixture("whisper_jfk.srt")).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let table = String::from_utf8(output.stdout).unwrap();
    // The default trackers run when no --trackers file is given; JFK's speech names none.
    assert!(table.contains("no tracker hits"), "{table}");
    for label in
        ["call duration", "talk ratio (rep)", "longest monologue", "interactivity (0-10)", "patience"]
    {
        assert!(table.contains(label), "no {label:?} in\n{table}");
    }
}

#[test]
fn bad_input_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{ not json").unwrap();
    let missing = dir.path().join("missing.vtt");
    for file in [broken, missing] {
        let output = rapport().arg("analyze").arg(&file).output().unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&*file.display().to_string()), "{stderr}");
    }
}

#[test]
fn analyze_with_a_trackers_file() {
    let dir = tempfile::tempdir().unwrap();
    let trackers = dir.path().join("trackers.toml");
    std::fs::write(&trackers, "[[tracker]]\nname = \"Gong\"\nphrases = [\"gong\"]\nside = \"customer\"\n")
        .unwrap();
    let output = rapport()
        .args(["analyze", "--json", "--rep", "Zoë Müller", "--trackers"])
        .arg(&trackers)
        .arg(fixture("teams.vtt"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let hits = json["trackers"].as_array().unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!((hits[0]["utterance"].as_u64(), hits[0]["side"].as_str()), (Some(4), Some("customer")));

    std::fs::write(&trackers, "[[tracker]]\nname = 3\n").unwrap();
    let output =
        rapport().arg("analyze").arg("--trackers").arg(&trackers).arg(fixture("teams.vtt")).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains(&*trackers.display().to_string()));
}

/// A small Zoom-style call with PII, a question, a next step and a content mention.
const CALL_VTT: &str = "WEBVTT

1
00:00:00.000 --> 00:00:05.000
Ana: Hi! What does your team use today? Our ROI calculator helps.

2
00:00:05.000 --> 00:00:10.000
Bo: It's frustrating. Mail me at bo@example.com or call 415-555-0132.

3
00:00:10.000 --> 00:00:15.000
Ana: Great, I'll send the proposal next Tuesday.
";

#[test]
fn analyze_reports_every_analysis_and_redacts_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let call = dir.path().join("call.vtt");
    std::fs::write(&call, CALL_VTT).unwrap();
    let content = dir.path().join("content.csv");
    std::fs::write(&content, "title,url,aliases\nROI Calculator,https://rapport.io/roi,\n").unwrap();
    let output = rapport()
        .args(["analyze", "--json", "--rep", "Ana", "--call-date", "2024-03-06", "--content"])
        .arg(&content)
        .arg(&call)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.contains("bo@example.com") && !stdout.contains("415-555"), "{stdout}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["utterances"][1]["text"], "It's frustrating. Mail me at [email] or call [phone].");
    assert_eq!(json["redactions"]["email"], 1);
    assert_eq!(json["questions"]["questions"][0]["kind"], "open");
    assert_eq!(json["questions"]["rep"]["total"], 1);
    assert_eq!(json["next_steps"][0]["what"], "I'll send the proposal next Tuesday");
    assert_eq!(json["next_steps"][0]["when"]["date"], "2024-03-12");
    assert_eq!(json["content_mentions"][0]["title"], "ROI Calculator");
    assert_eq!(json["sentiment"]["utterances"][1]["label"], "negative");
    assert!(json["topics"].as_array().is_some_and(|topics| !topics.is_empty()));
    for key in [
        "talk_ratio",
        "longest_monologue_s",
        "longest_customer_story_s",
        "interactivity",
        "question_rate_per_hour",
    ] {
        assert!(json["stats"][key].is_number(), "stats.{key}");
    }

    let output = rapport().args(["analyze", "--json", "--no-redact"]).arg(&call).output().unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(json["utterances"][1]["text"].as_str().unwrap().contains("bo@example.com"));

    // The readable report shows the same, with control characters escaped.
    let output = rapport().args(["analyze", "--rep", "Ana"]).arg(&call).output().unwrap();
    let report = String::from_utf8(output.stdout).unwrap();
    for part in [
        "questions (rep 1 open",
        "topics",
        "sentiment (lexicon",
        "next steps",
        "I'll send the proposal",
        "redacted: 1 [email], 1 [phone]",
    ] {
        assert!(report.contains(part), "no {part:?} in\n{report}");
    }
}

#[test]
fn a_bad_content_library_exits_2_naming_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let call = dir.path().join("call.vtt");
    std::fs::write(&call, CALL_VTT).unwrap();
    let content = dir.path().join("content.csv");
    std::fs::write(&content, "title,url\nGuide,https://x.io\n,https://y.io\n").unwrap();
    let output = rapport().args(["analyze", "--content"]).arg(&content).arg(&call).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&*content.display().to_string()) && stderr.contains("line 3"), "{stderr}");
}

/// all-MiniLM-L6-v2 as `scripts/test-models.sh` unpacks it from PyPI.
fn embedding_model() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/test-models/all-MiniLM-L6-v2");
    assert!(dir.join("model.safetensors").exists(), "run ./scripts/test-models.sh first: {}", dir.display());
    dir
}

#[test]
fn analyze_adds_smart_tracker_hits_with_an_embedding_model_and_keeps_pii_out_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let transcript = dir.path().join("call.json");
    std::fs::write(
        &transcript,
        serde_json::json!({"utterances": [
            {"speaker": "Rita", "role": "rep", "start": 0.0, "end": 4.0,
             "text": "The annual plan is forty thousand dollars."},
            {"speaker": "Ana", "role": "customer", "start": 5.0, "end": 8.0,
             "text": "Is that the best you can do?"},
            {"speaker": "Ana", "role": "customer", "start": 9.0, "end": 14.0,
             "text": "We also need to know how you encrypt our data, write to ana@acme.com."},
        ]})
        .to_string(),
    )
    .unwrap();
    let output = rapport()
        .args(["analyze", "--json", "--embedding-model"])
        .arg(embedding_model())
        .arg(&transcript)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let hits = json["smart_trackers"].as_array().expect("smart_trackers with a model");
    let found: Vec<(&str, u64)> = hits
        .iter()
        .map(|hit| (hit["tracker"].as_str().unwrap(), hit["utterance_index"].as_u64().unwrap()))
        .collect();
    assert!(found.contains(&("asks for a discount", 1)), "{found:?}");
    assert!(found.contains(&("asks about security", 2)), "{found:?}");
    let text = serde_json::to_string(&json).unwrap();
    assert!(!text.contains("ana@acme.com"), "PII reached the output");

    // Without a model the key is absent, not empty.
    let plain = rapport()
        .args(["analyze", "--json"])
        .arg(&transcript)
        .env_remove("RAPPORT_EMBEDDING_MODEL")
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert!(json.get("smart_trackers").is_none());
}

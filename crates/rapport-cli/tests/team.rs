//! `rapport report team` through the real binary: two reps' analysed calls, each rep's row
//! beside the team average, monthly trends with their change, and a rep's own view (`--as`).

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

/// A call where the rep speaks `rep_s` of the first 10 seconds and the customer the rest.
fn add_call(dir: &Path, rep: &str, started_at: &str, rep_s: u32) {
    let call = format!(
        r#"{{"utterances": [
          {{"speaker": "Rep", "role": "rep", "start": 0, "end": {rep_s}, "text": "How do you plan your quarter today?"}},
          {{"speaker": "Buyer", "role": "customer", "start": {rep_s}, "end": 10, "text": "Mostly in spreadsheets, to be honest."}}
        ]}}"#
    );
    let file = dir.join(format!("call-{rep}-{started_at}.json").replace([' ', ':'], "-"));
    std::fs::write(&file, call).unwrap();
    rapport(dir)
        .args(["calls", "add", "--rep", rep, "--started-at", started_at])
        .arg(&file)
        .assert()
        .success();
}

fn close(value: &Value, expected: f64) {
    let actual = value.as_f64().unwrap_or_else(|| panic!("{value} is not a number"));
    assert!((actual - expected).abs() < 1e-9, "{actual} != {expected}");
}

#[test]
fn the_team_report_shows_each_rep_beside_the_team_average_with_trends() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    for (email, name) in [("rita@us.com", "Rita"), ("sam@us.com", "Sam")] {
        rapport(ws)
            .args(["users", "add", email, "--role", "sales_rep", "--name", name, "--team", "east"])
            .assert()
            .success();
    }
    add_call(ws, "rita@us.com", "2026-01-12 10:00", 2);
    add_call(ws, "rita@us.com", "2026-02-09 10:00", 6);
    add_call(ws, "sam@us.com", "2026-02-10 10:00", 7);

    let report = json(rapport(ws).args(["report", "team", "--json"]));
    assert_eq!(report["by"], "month");
    assert_eq!(report["team"]["calls"], 3);
    // Talk ratio: rep speaking ÷ all speaking, one mean over the three calls.
    close(&report["team"]["talk_ratio"], (0.2 + 0.6 + 0.7) / 3.0);
    let reps = report["reps"].as_array().unwrap();
    assert_eq!(
        reps.iter().map(|r| r["email"].as_str().unwrap()).collect::<Vec<_>>(),
        ["rita@us.com", "sam@us.com"]
    );
    let rita = &reps[0];
    close(&rita["averages"]["talk_ratio"], 0.4);
    let months: Vec<&str> =
        rita["trend"].as_array().unwrap().iter().map(|p| p["period"].as_str().unwrap()).collect();
    assert_eq!(months, ["2026-01", "2026-02"]);
    close(&rita["change"]["talk_ratio"], 0.4);

    let weekly = json(rapport(ws).args(["report", "team", "--by", "week", "--rep", "sam@us.com", "--json"]));
    assert_eq!(weekly["reps"].as_array().unwrap().len(), 1, "one rep's row");
    assert_eq!(weekly["team"]["calls"], 3, "the team average stays the team's");
    assert_eq!(weekly["reps"][0]["trend"][0]["period"], "2026-W07");

    let own = json(rapport(ws).args(["report", "team", "--as", "sam@us.com", "--json"]));
    assert_eq!(own["team"]["calls"], 1, "a rep's view holds only their own calls");
    let february =
        json(rapport(ws).args(["report", "team", "--from", "2026-02-01", "--to", "2026-03-01", "--json"]));
    assert_eq!(february["team"]["calls"], 2);

    let table = String::from_utf8(rapport(ws).args(["report", "team"]).output().unwrap().stdout).unwrap();
    assert!(table.contains("team average") && table.contains("Rita") && table.contains("2026-02"), "{table}");
    let output = rapport(ws).args(["report", "team", "--from", "someday"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--from"), "the error names the flag");
}

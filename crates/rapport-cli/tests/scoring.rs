//! `rapport definition`, `rapport score` and `rapport accounts` end to end on a tiny demo
//! workspace: the demo's approved definition and trained model, a new draft approved by both
//! teams (and the refusals), the backtest, explanations and the target-account list.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn rapport(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("rapport").expect("the binary is built");
    command.arg("--data-dir").arg(dir).env_remove("RAPPORT_DATABASE_URL").env("RAPPORT_LOG", "warn");
    command
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    rapport(dir).args(args).output().unwrap()
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let output = run(dir, args);
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn user_with_role(dir: &Path, role: &str) -> String {
    let users = json(dir, &["users", "list", "--json"]);
    let found = users.as_array().unwrap().iter().find(|u| u["role"] == role).expect("a user with the role");
    found["email"].as_str().unwrap().to_owned()
}

#[test]
fn the_demo_ends_scored_and_both_teams_approve_a_new_version() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let output = run(ws, &["demo", "--scale", "tiny", "--seed", "3", "--anchor", "2026-06-30", "--no-serve"]);
    assert!(output.status.success(), "{}", stderr(&output));

    // The demo leaves an active definition approved by both sides, a model and scores.
    let versions = json(ws, &["definition", "list", "--json"]);
    assert_eq!(versions[0]["status"], "active", "{versions}");
    assert_eq!(versions[0]["approvals"].as_array().unwrap().len(), 2);
    let report = json(ws, &["score", "report", "--json"]);
    assert_eq!(report["model"]["version"], 1, "{report}");
    assert!(report["scored_people"].as_u64().unwrap() >= 400, "{report}");
    assert!(report["model"]["metrics"]["auc"].as_f64().unwrap() > 0.5, "{report}");

    let marketer = user_with_role(ws, "marketing");
    let rep = user_with_role(ws, "sales_rep");

    // A broken draft names its line and writes nothing.
    let bad = ws.join("bad.toml");
    std::fs::write(&bad, "name = \"x\"\nmql_threshold = 50\n[grades]\nfit_high = 1\n").unwrap();
    let output = run(ws, &["definition", "draft", bad.to_str().unwrap(), "--as", &marketer]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("bad.toml") && stderr(&output).contains("line 3"),
        "{}",
        stderr(&output)
    );
    assert_eq!(json(ws, &["definition", "list", "--json"]).as_array().unwrap().len(), 1);

    let shown = run(ws, &["definition", "show"]);
    let stricter = String::from_utf8_lossy(&shown.stdout).replace("mql_threshold = 60", "mql_threshold = 75");
    let file = ws.join("stricter.toml");
    std::fs::write(&file, stricter).unwrap();
    let output =
        run(ws, &["definition", "draft", file.to_str().unwrap(), "--comment", "stricter", "--as", &marketer]);
    assert!(output.status.success(), "{}", stderr(&output));

    let backtest = json(ws, &["definition", "backtest", "2", "--json"]);
    let draft_mqls = backtest["draft"]["total"]["mqls"].as_u64().unwrap();
    let active_mqls = backtest["active"]["total"]["mqls"].as_u64().unwrap();
    assert!(draft_mqls <= active_mqls && active_mqls > 0, "{backtest}");

    assert!(run(ws, &["definition", "approve", "2", "--as", &marketer]).status.success());
    let twice = run(ws, &["definition", "approve", "2", "--as", &marketer]);
    assert_eq!(twice.status.code(), Some(2));
    assert!(stderr(&twice).contains("already approved"), "{}", stderr(&twice));
    let nobody = run(ws, &["definition", "approve", "2"]);
    assert_eq!(nobody.status.code(), Some(2));
    assert!(run(ws, &["definition", "approve", "2", "--as", &rep]).status.success());
    let versions = json(ws, &["definition", "list", "--json"]);
    let statuses: Vec<&str> =
        versions.as_array().unwrap().iter().map(|v| v["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["retired", "active"]);

    assert!(run(ws, &["score", "refresh"]).status.success());
    let report = json(ws, &["score", "report", "--json"]);
    assert_eq!(report["definition_version"], 2);

    let accounts = json(ws, &["accounts", "top", "--limit", "3", "--json"]);
    let accounts = accounts.as_array().unwrap();
    assert_eq!(accounts.len(), 3);
    assert!(accounts.iter().all(|a| !a["reasons"].as_array().unwrap().is_empty()));

    // "email (grade B, 64 points)"
    let email = accounts[0]["best_person"].as_str().unwrap().split(' ').next().unwrap().to_owned();
    let explained = json(ws, &["score", "explain", &email, "--json"]);
    assert_eq!(explained["email"], email);
    assert!(explained["probability"].is_number(), "{explained}");
    let text = String::from_utf8_lossy(&run(ws, &["score", "explain", &email]).stdout).into_owned();
    assert!(text.contains("grade") && text.contains("rule"), "{text}");
}

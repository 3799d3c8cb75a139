//! The `rapport` binary end to end: real processes, a real SQLite file, real PostgreSQL.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// A `rapport` command on the workspace in `dir`.
fn rapport(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("rapport").expect("the binary is built");
    command.arg("--data-dir").arg(dir).env_remove("RAPPORT_DATABASE_URL").env("RAPPORT_LOG", "warn");
    command
}

fn json_of(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(&output.stdout)))
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const PEOPLE: &str = "email,first_name,source,created_at\n\
    ada@acme.test,Ada,webinar,2026-01-05\n\
    bob@acme.test,Bob,paid_search,2026-01-06\n";

fn workspace_with_people() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let people = dir.path().join("people.csv");
    std::fs::write(&people, PEOPLE).unwrap();
    rapport(dir.path()).args(["users", "add", "rep@us.test", "--role", "sales_rep"]).assert().success();
    rapport(dir.path()).arg("import").arg("people").arg(&people).assert().success();
    dir
}

#[test]
fn handoff_accept_and_reject_move_the_funnel() {
    let dir = workspace_with_people();
    let ws = dir.path();
    for email in ["ada@acme.test", "bob@acme.test"] {
        rapport(ws).args(["lead", "handoff", email, "--owner", "rep@us.test"]).assert().success();
    }
    rapport(ws).args(["lead", "accept", "ada@acme.test", "--note", "good fit"]).assert().success();
    rapport(ws)
        .args(["lead", "reject", "bob@acme.test", "--reason", "no_budget", "--note", "next year"])
        .assert()
        .success();

    let output = rapport(ws).args(["report", "funnel", "--json"]).output().unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let report = json_of(&output);
    assert_eq!(report["mql"], 2);
    assert_eq!(report["accepted"], 1);
    assert_eq!(report["rejected"], 1);
    assert_eq!(report["pending"], 0);
    assert_eq!(report["mql_acceptance_rate"], 0.5);
    let reasons = report["rejection_reasons"].as_array().expect("rejection reasons");
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert_eq!(reasons[0]["code"], "no_budget");

    let output = rapport(ws).args(["lead", "show", "bob@acme.test", "--json"]).output().unwrap();
    let shown = json_of(&output);
    let history = shown["history"].as_array().expect("history");
    assert_eq!(history.last().unwrap()["to"], "rejected");
    assert_eq!(history.last().unwrap()["note"], "next year");
}

#[test]
fn refused_transitions_exit_2_with_the_reason() {
    let dir = workspace_with_people();
    let output = rapport(dir.path()).args(["lead", "accept", "ada@acme.test"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_of(&output).contains("hand it off first"), "{}", stderr_of(&output));

    let output = rapport(dir.path()).args(["lead", "accept", "ada@acme.test", "--force"]).output().unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let output = rapport(dir.path()).args(["lead", "show", "ada@acme.test", "--json"]).output().unwrap();
    assert_eq!(json_of(&output)["history"][0]["forced"], true);

    let output = rapport(dir.path())
        .args(["lead", "reject", "bob@acme.test", "--reason", "meh", "--force"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_of(&output).contains("`meh` is not a rejection reason"), "{}", stderr_of(&output));

    let output = rapport(dir.path()).args(["lead", "show", "nobody@acme.test"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
}

#[test]
fn a_bad_csv_names_line_and_column_and_exits_2() {
    let dir = workspace_with_people();
    let file = dir.path().join("more.csv");
    std::fs::write(&file, "email,created_at\ncarol@acme.test,2026-02-01\nnot-an-email,2026-02-01\n").unwrap();
    let output = rapport(dir.path()).arg("import").arg("people").arg(&file).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr_of(&output);
    assert!(stderr.contains("line 3") && stderr.contains("email"), "{stderr}");

    let strict = dir.path().join("strict.csv");
    std::fs::write(&strict, "email,created_at\ndan@acme.test,2026-02-01\nbad,2026-02-01\n").unwrap();
    let output =
        rapport(dir.path()).arg("import").arg("people").arg(&strict).arg("--strict").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = rapport(dir.path()).args(["lead", "show", "dan@acme.test"]).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(2),
        "--strict wrote a row: {}",
        String::from_utf8_lossy(&output.stdout)
    );

    let binary = dir.path().join("binary.csv");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0").unwrap();
    let output = rapport(dir.path()).arg("import").arg("people").arg(&binary).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_of(&output).contains("binary.csv"), "{}", stderr_of(&output));
}

#[test]
fn usage_errors_exit_2_and_help_lists_commands() {
    let dir = tempfile::tempdir().unwrap();
    let output = rapport(dir.path()).arg("frobnicate").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = rapport(dir.path()).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    for command in ["demo", "serve", "import", "export", "lead", "report", "users", "tokens", "reasons"] {
        assert!(help.contains(command), "--help lacks {command}: {help}");
    }
    let output =
        rapport(dir.path()).args(["report", "funnel", "--from", "2026-02-01", "--to", "2026-01-01"]).output();
    assert_eq!(output.unwrap().status.code(), Some(2));
}

#[test]
fn tokens_are_printed_once_and_start_with_the_prefix() {
    let dir = workspace_with_people();
    let output = rapport(dir.path()).args(["tokens", "create", "--user", "rep@us.test"]).output().unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let token = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    assert!(token.starts_with("rpt_") && token.len() > 20, "{token}");
    let output = rapport(dir.path()).args(["tokens", "create", "--user", "ghost@us.test"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn tiny_demo_builds_a_workspace_with_a_story() {
    let dir = tempfile::tempdir().unwrap();
    let output = rapport(dir.path())
        .args(["demo", "--scale", "tiny", "--seed", "3", "--anchor", "2026-06-30", "--no-serve"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let logins = String::from_utf8_lossy(&output.stdout);
    assert!(logins.contains("rpt_") && logins.contains("admin"), "{logins}");

    let output = rapport(dir.path())
        .args(["report", "funnel", "--from", "2025-07-01", "--to", "2026-07-01", "--by", "source", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let report = json_of(&output);
    let mql = report["mql"].as_u64().unwrap();
    assert!(mql > 10, "{report}");
    assert_eq!(
        mql,
        report["accepted"].as_u64().unwrap()
            + report["rejected"].as_u64().unwrap()
            + report["pending"].as_u64().unwrap()
    );
    assert!(report["groups"].as_array().is_some_and(|g| g.len() > 2), "{}", report["groups"]);

    // Running the demo again never doubles the data.
    rapport(dir.path()).args(["demo", "--scale", "tiny", "--no-serve"]).assert().success();
    let output = rapport(dir.path())
        .args(["report", "funnel", "--from", "2025-07-01", "--to", "2026-07-01", "--json"])
        .output()
        .unwrap();
    let again = json_of(&output);
    assert_eq!(again["mql"].as_u64(), Some(mql));
}

#[test]
fn the_same_commands_work_on_postgres() {
    let url = std::env::var("RAPPORT_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let schema = format!("rapport_cli_{}", std::process::id());
    let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("PostgreSQL is reachable");
    client.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")).unwrap();
    let scoped = format!("{url}?options=-csearch_path%3D{schema}");
    let dir = tempfile::tempdir().unwrap();
    let people = dir.path().join("people.csv");
    std::fs::write(&people, PEOPLE).unwrap();
    let run = |args: &[&str]| {
        let mut command = rapport(dir.path());
        command.arg("--database-url").arg(&scoped).args(args);
        command.output().unwrap()
    };
    assert!(run(&["users", "add", "rep@us.test", "--role", "sales_rep"]).status.success());
    let output = run(&["import", "people", people.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert!(run(&["lead", "handoff", "ada@acme.test", "--owner", "rep@us.test"]).status.success());
    let output = run(&["lead", "reject", "ada@acme.test", "--reason", "bad_fit"]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    let report = json_of(&run(&["report", "funnel", "--json"]));
    assert_eq!(report["rejected"], 1);
    assert!(!dir.path().join("rapport.db").exists(), "a PostgreSQL URL must not create a SQLite file");
    client.batch_execute(&format!("DROP SCHEMA {schema} CASCADE")).unwrap();
}

#[test]
fn exports_neutralise_spreadsheet_formulas_and_still_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let people = dir.path().join("people.csv");
    std::fs::write(&people, "email,first_name,title,created_at\neve@acme.test,\"=HYPERLINK(\"\"http://x\"\")\",@boss,2026-01-05\n")
        .unwrap();
    rapport(dir.path()).arg("import").arg("people").arg(&people).assert().success();
    let exported = dir.path().join("out.csv");
    rapport(dir.path()).arg("export").arg("people").arg(&exported).assert().success();
    let text = std::fs::read_to_string(&exported).unwrap();
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\"") && text.contains(",'@boss,"), "{text}");

    let output =
        rapport(dir.path()).arg("import").arg("people").arg(&exported).arg("--json").output().unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let summary = json_of(&output);
    assert_eq!((summary["unchanged"].as_u64(), summary["updated"].as_u64()), (Some(1), Some(0)), "{summary}");
    let shown =
        json_of(&rapport(dir.path()).args(["lead", "show", "eve@acme.test", "--json"]).output().unwrap());
    assert_eq!(shown["person"]["first_name"], "=HYPERLINK(\"http://x\")");
    assert_eq!(shown["person"]["title"], "@boss");
}

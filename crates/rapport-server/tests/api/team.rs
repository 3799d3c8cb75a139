//! The team report over HTTP: who sees which rows, the team average, bad parameters refused
//! naming the field, and the body against its documented schema.

use chrono::Utc;
use rapport_app::calls::{add_transcript, NewCall};
use serde_json::json;

use crate::support::TestServer;

/// A call where the rep speaks `rep_s` of 10 seconds (analysed when it is added).
fn transcript(rep_s: u32) -> Vec<u8> {
    serde_json::to_vec(&json!({"utterances": [
        {"speaker": "Rep", "role": "rep", "start": 0, "end": rep_s, "text": "What would change for you?"},
        {"speaker": "Ana", "role": "customer", "start": rep_s, "end": 10, "text": "Fewer spreadsheets."}
    ]}))
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rep_gets_only_their_own_row_and_a_manager_the_team() {
    let server = TestServer::start().await;
    let rep = server.user("rep@rapport.test", "sales_rep");
    server.user("other@rapport.test", "sales_rep");
    let manager = server.user("manager@rapport.test", "sales_manager");
    for (email, rep_s) in [("rep@rapport.test", 3), ("other@rapport.test", 7)] {
        let new = NewCall { reps: vec![email.into()], ..NewCall::default() };
        add_transcript(&*server.store, &new, "call.json", &transcript(rep_s), Utc::now()).unwrap();
    }

    let team = server.get("/api/reports/team", &manager).await.expect_ok();
    crate::schema::check(&team, "TeamReport");
    let emails: Vec<&str> =
        team["reps"].as_array().unwrap().iter().map(|r| r["email"].as_str().unwrap()).collect();
    assert_eq!(emails.len(), 2, "{team}");
    assert!((team["team"]["talk_ratio"].as_f64().unwrap() - 0.5).abs() < 1e-9, "{team}");
    assert_eq!(team["team_trend"].as_array().unwrap().len(), 1);

    let own = server.get("/api/reports/team?by=week", &rep).await.expect_ok();
    crate::schema::check(&own, "TeamReport");
    let rows = own["reps"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "a rep sees only their own row: {own}");
    assert_eq!(rows[0]["email"], "rep@rapport.test");
    assert_eq!(own["team"]["calls"], 1, "nothing of another rep's calls, not even in the average");
    assert!((own["team"]["talk_ratio"].as_f64().unwrap() - 0.3).abs() < 1e-9);
    assert!(rows[0]["trend"][0]["period"].as_str().unwrap().contains("-W"));

    server.get("/api/reports/team?rep=other@rapport.test", &rep).await.expect_error(403, "forbidden");
    let one = server.get("/api/reports/team?rep=other@rapport.test", &manager).await.expect_ok();
    assert_eq!((one["reps"].as_array().unwrap().len(), &one["team"]["calls"]), (1, &json!(2)));
    let body = server.get("/api/reports/team?by=day", &manager).await.expect_error(422, "invalid_value");
    assert_eq!(body["field"], "by");
    let body =
        server.get("/api/reports/team?from=someday", &manager).await.expect_error(422, "invalid_value");
    assert_eq!(body["field"], "from");
}

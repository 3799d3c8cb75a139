//! Lead scoring through the API: drafting and approving a definition by both teams (and the
//! refusals), its backtest, a person's score with reasons, the report and target accounts.

use rapport_domain::Stage;
use rapport_scoring::definition::DEFAULT_DEFINITION;
use serde_json::json;

use crate::schema;
use crate::support::TestServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_teams_approve_a_definition_and_scores_come_with_reasons() {
    let server = TestServer::start().await;
    let marketing = server.user("marketing@rapport.test", "marketing");
    let rep = server.user("rep@rapport.test", "sales_rep");
    let admin = server.user("admin@rapport.test", "admin");
    server.person("ana@acme.com", &[Stage::Subscriber, Stage::Lead]);

    // A rep may not draft; a broken document names its line.
    server
        .post("/api/definitions", &rep, json!({"document": DEFAULT_DEFINITION}))
        .await
        .expect_error(403, "forbidden");
    let error = server
        .post("/api/definitions", &marketing, json!({"document": "name = \"x\"\nmql_threshold = \"high\"\n"}))
        .await
        .expect_error(422, "invalid_value");
    assert!(error["message"].as_str().unwrap().contains("line 2"), "{error}");

    let draft = server
        .post("/api/definitions", &marketing, json!({"document": DEFAULT_DEFINITION, "comment": "first"}))
        .await;
    assert_eq!(draft.status.as_u16(), 201, "{}", draft.text);
    let draft = draft.json();
    schema::check(&draft, "DefinitionVersion");
    assert_eq!((draft["version"].as_i64(), draft["status"].as_str()), (Some(1), Some("draft")));

    let half = server.post("/api/definitions/1/approvals", &marketing, json!({})).await.expect_ok();
    assert_eq!(half["status"], "draft");
    server
        .post("/api/definitions/1/approvals", &marketing, json!({}))
        .await
        .expect_error(422, "invalid_value");
    server.post("/api/definitions/1/approvals", &admin, json!({})).await.expect_error(422, "invalid_value");
    server.post("/api/definitions/9/approvals", &rep, json!({})).await.expect_error(404, "not_found");
    let active = server.post("/api/definitions/1/approvals", &rep, json!({})).await.expect_ok();
    assert_eq!(active["status"], "active");

    let list = server.get("/api/definitions", &rep).await.expect_ok();
    schema::check(&list, "DefinitionVersionList");
    let backtest = server.get("/api/definitions/1/backtest", &marketing).await.expect_ok();
    schema::check(&backtest, "DefinitionBacktest");
    assert!(backtest["active"].is_null(), "the active version is not compared with itself");

    let score = server.get("/api/people/ana@acme.com/score", &rep).await.expect_ok();
    schema::check(&score, "ScoreDetails");
    assert_eq!(score["definition_version"], 1);
    assert!(score["probability"].is_null(), "no model yet");
    server.get("/api/people/nobody@acme.com/score", &rep).await.expect_error(404, "not_found");

    rapport_app::scoring::refresh_all(&*server.store, chrono::Utc::now()).unwrap();
    let report = server.get("/api/scores/report", &marketing).await.expect_ok();
    schema::check(&report, "ScoreReport");
    assert_eq!(report["scored_people"], 1);
    assert!(report["model"].is_null());
    let accounts = server.get("/api/accounts/top?limit=5", &rep).await.expect_ok();
    schema::check(&accounts, "TargetAccountList");
    server.get("/api/accounts/top?limit=0", &rep).await.expect_error(422, "invalid_value");
}

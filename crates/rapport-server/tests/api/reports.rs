//! The funnel and attribution reports through the API, and how they follow lead changes.

use chrono::{Duration, Utc};
use rapport_domain::Stage;
use serde_json::{json, Value};

use crate::schema;
use crate::support::TestServer;

/// The figures a marketer reads first, without the durations that vary by milliseconds.
fn headline(report: &Value) -> Value {
    let keys = [
        "mql",
        "accepted",
        "rejected",
        "pending",
        "mql_acceptance_rate",
        "stages",
        "rejection_reasons",
        "sla",
        "pipeline",
        "won_revenue",
    ];
    keys.iter().map(|key| (key.to_string(), report[*key].clone())).collect::<serde_json::Map<_, _>>().into()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_funnel_follows_handoffs_decisions_and_deals() {
    let server = TestServer::start().await;
    let marketing = server.user("marketing@rapport.test", "marketing");
    let rep = server.user("rep@rapport.test", "sales_rep");
    for email in ["ana@acme.com", "bo@acme.com", "cy@acme.com", "dee@acme.com"] {
        server.person(email, &[Stage::Subscriber, Stage::Lead]);
    }
    for email in ["ana@acme.com", "bo@acme.com", "cy@acme.com"] {
        let path = format!("/api/people/{email}/handoff");
        server.post(&path, &marketing, json!({"owner": "rep@rapport.test"})).await.expect_ok();
    }
    server.post("/api/people/ana@acme.com/accept", &rep, json!({})).await.expect_ok();
    // A deal won by dee, imported as a CRM would export it.
    let created = (Utc::now() - Duration::days(2)).format("%Y-%m-%d");
    let closed = (Utc::now() - Duration::days(1)).format("%Y-%m-%d");
    let csv = format!(
        "external_id,name,primary_contact_email,amount,currency,stage,created_at,close_date,outcome\n\
         D-1,Dee's deal,dee@acme.com,\"12,500.00\",USD,Closed Won,{created},{closed},won\n"
    );
    let import =
        server.request(reqwest::Method::POST, "/api/imports/opportunities").bearer_auth(&marketing).body(csv);
    assert_eq!(server.send(import).await.expect_ok()["inserted"], 1);

    let before = server.get("/api/reports/funnel", &marketing).await.expect_ok();
    schema::check(&before, "FunnelReport");
    assert_eq!(
        (before["mql"].as_u64(), before["accepted"].as_u64(), before["rejected"].as_u64()),
        (Some(3), Some(1), Some(0))
    );
    assert_eq!(before["pending"], 2);
    assert_eq!(before["mql_acceptance_rate"], 1.0);
    assert_eq!(before["won_revenue"]["total"]["USD"], 1_250_000);

    server
        .post("/api/people/bo@acme.com/reject", &rep, json!({"reason": "no_budget", "note": "next year"}))
        .await
        .expect_ok();
    let after = server.get("/api/reports/funnel", &marketing).await.expect_ok();
    assert_eq!((after["rejected"].as_u64(), after["pending"].as_u64()), (Some(1), Some(1)));
    assert_eq!(after["mql_acceptance_rate"], 0.5);
    assert_eq!(after["rejection_reasons"][0]["code"], "no_budget");
    insta::assert_json_snapshot!("funnel_headline_after_reject", headline(&after));

    let grouped =
        server.get("/api/reports/funnel?by=source&source=paid_search", &marketing).await.expect_ok();
    schema::check(&grouped, "FunnelReport");
    assert_eq!(grouped["groups"][0]["key"], "paid_search");
    assert_eq!(grouped["groups"][0]["mql"], 3);
    let elsewhere = server.get("/api/reports/funnel?source=events", &marketing).await.expect_ok();
    assert_eq!(elsewhere["mql"], 0);

    let attribution = server.get("/api/reports/attribution", &marketing).await.expect_ok();
    schema::check(&attribution, "AttributionReport");
    assert_eq!((attribution["model"].as_str(), attribution["total"]["deals"].as_u64()), (Some("w"), Some(1)));
    let linear = server.get("/api/reports/attribution?model=linear", &marketing).await.expect_ok();
    assert_eq!(linear["model"], "linear");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_periods_and_options_are_checked() {
    let server = TestServer::start().await;
    let token = server.user("rep@rapport.test", "sales_rep");
    let report = server.get("/api/reports/funnel?from=2024-01-01&to=2024-07-01", &token).await.expect_ok();
    assert_eq!(
        (report["from"].as_str(), report["to"].as_str()),
        (Some("2024-01-01T00:00:00Z"), Some("2024-07-01T00:00:00Z"))
    );
    let checks = [
        ("/api/reports/funnel?from=yesterday", "from"),
        ("/api/reports/funnel?from=2025-02-01&to=2025-01-01", "from"),
        ("/api/reports/funnel?by=colour", "by"),
        ("/api/reports/attribution?model=u_shaped", "model"),
        ("/api/reports/attribution?to=soon", "to"),
    ];
    for (path, field) in checks {
        let body = server.get(path, &token).await.expect_error(422, "invalid_value");
        assert_eq!(body["field"], field, "{path}: {body}");
    }
    server.get("/api/reports/funnel?group_by=source", &token).await.expect_error(400, "invalid_query");
}

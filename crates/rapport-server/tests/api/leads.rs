//! The lead handoff through the API: hand off, accept, reject, recycle, and the errors on the way.

use rapport_domain::Stage;
use serde_json::json;

use crate::schema;
use crate::support::{scrub, TestServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marketing_hands_off_and_sales_accepts_recorded_as_the_api_user() {
    let server = TestServer::start().await;
    let marketing = server.user("marketing@rapport.test", "marketing");
    let rep = server.user("rep@rapport.test", "sales_rep");
    server.person("ana@acme.com", &[Stage::Subscriber, Stage::Lead]);
    let path = "/api/people/Ana@Acme.com";
    let event = server
        .post(
            &format!("{path}/handoff"),
            &marketing,
            json!({"owner": "rep@rapport.test", "note": "asked for a demo"}),
        )
        .await
        .expect_ok();
    schema::check(&event, "StageEvent");
    assert_eq!((event["from"].as_str(), event["to"].as_str()), (Some("lead"), Some("mql")));
    assert_eq!((event["source"].as_str(), event["actor"]["type"].as_str()), (Some("api"), Some("user")));
    // Marketing may hand off but not decide for sales.
    server.post(&format!("{path}/accept"), &marketing, json!({})).await.expect_error(403, "forbidden");
    // An empty body is fine for an accept.
    let answer =
        server.send(server.request(reqwest::Method::POST, &format!("{path}/accept")).bearer_auth(&rep)).await;
    let event = answer.expect_ok();
    assert_eq!(event["to"], "sal");
    let me = server.get("/api/me", &rep).await.expect_ok();
    assert_eq!(event["actor"], json!({"type": "user", "id": me["id"]}));

    let mut details = server.get(path, &rep).await.expect_ok();
    schema::check(&details, "LeadDetails");
    assert_eq!(details["person"]["stage"], "sal");
    assert_eq!(details["person"]["owner_email"], "rep@rapport.test");
    scrub(&mut details);
    insta::assert_json_snapshot!("lead_details_after_accept", details);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejections_need_a_configured_reason_and_can_be_recycled() {
    let server = TestServer::start().await;
    let manager = server.user("manager@rapport.test", "sales_manager");
    server.user("rep@rapport.test", "sales_rep");
    server.person("bo@acme.com", &[Stage::Lead]);
    let path = "/api/people/bo@acme.com";
    server.post(&format!("{path}/handoff"), &manager, json!({"owner": "rep@rapport.test"})).await.expect_ok();

    let body = server
        .post(&format!("{path}/reject"), &manager, json!({"note": "meh"}))
        .await
        .expect_error(422, "reason_required");
    insta::assert_json_snapshot!("reject_without_reason", body);
    let body = server
        .post(&format!("{path}/reject"), &manager, json!({"reason": "vibes"}))
        .await
        .expect_error(422, "unknown_reason");
    assert_eq!(body["field"], "reason");

    let event = server
        .post(&format!("{path}/reject"), &manager, json!({"reason": "no_budget", "note": "next fiscal year"}))
        .await
        .expect_ok();
    assert_eq!((event["to"].as_str(), event["reason"].as_str()), (Some("rejected"), Some("no_budget")));
    let event = server.post(&format!("{path}/recycle"), &manager, json!({})).await.expect_ok();
    assert_eq!(event["to"], "recycled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepting_a_lead_that_was_never_handed_off_is_refused_with_the_reason() {
    let server = TestServer::start().await;
    let rep = server.user("rep@rapport.test", "sales_rep");
    server.person("cy@acme.com", &[Stage::Lead]);
    let body = server
        .post("/api/people/cy@acme.com/accept", &rep, json!({}))
        .await
        .expect_error(409, "transition_not_allowed");
    insta::assert_json_snapshot!("accept_without_handoff", body);
    // Forcing records it anyway, flagged.
    let event = server.post("/api/people/cy@acme.com/accept", &rep, json!({"force": true})).await.expect_ok();
    assert_eq!(event["forced"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_the_error_shape_with_the_field_at_fault() {
    let server = TestServer::start().await;
    let admin = server.user("admin@rapport.test", "admin");
    server.person("ana@acme.com", &[Stage::Lead]);
    server.get("/api/people/nobody@acme.com", &admin).await.expect_error(404, "not_found");
    let body = server.get("/api/people/not-an-email", &admin).await.expect_error(422, "invalid_value");
    assert_eq!(body["field"], "email");
    let body = server
        .post("/api/people/ana@acme.com/handoff", &admin, json!({"owner": "ghost@rapport.test"}))
        .await
        .expect_error(422, "invalid_value");
    assert_eq!(body["field"], "owner");
    let body = server
        .post("/api/people/ana@acme.com/handoff", &admin, json!({}))
        .await
        .expect_error(400, "invalid_json");
    assert!(body["message"].as_str().unwrap().contains("missing field `owner`"), "{body}");
    let body = server
        .post("/api/people/ana@acme.com/accept", &admin, json!({"reason": "x"}))
        .await
        .expect_error(400, "invalid_json");
    assert!(body["message"].as_str().unwrap().contains("unknown field `reason`"), "{body}");

    let malformed = server
        .request(reqwest::Method::POST, "/api/people/ana@acme.com/handoff")
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body("{\"owner\": ");
    server.send(malformed).await.expect_error(400, "invalid_json");
    let not_json = server.request(reqwest::Method::POST, "/api/reasons").bearer_auth(&admin).body("code=x");
    server.send(not_json).await.expect_error(415, "unsupported_media_type");

    let body = server.get("/api/people?stage=banana", &admin).await.expect_error(422, "invalid_value");
    assert_eq!(body["field"], "stage");
    server.get("/api/people?limit=lots", &admin).await.expect_error(400, "invalid_query");
    let body = server.get("/api/people?stgae=mql", &admin).await.expect_error(400, "invalid_query");
    assert!(body["message"].as_str().unwrap().contains("unknown field `stgae`"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_lists_filter_by_stage_and_owner() {
    let server = TestServer::start().await;
    let admin = server.user("admin@rapport.test", "admin");
    server.user("rep@rapport.test", "sales_rep");
    server.person("ana@acme.com", &[Stage::Lead]);
    server.person("bo@acme.com", &[Stage::Lead]);
    server
        .post("/api/people/bo@acme.com/handoff", &admin, json!({"owner": "rep@rapport.test"}))
        .await
        .expect_ok();
    let all = server.get("/api/people", &admin).await.expect_ok();
    schema::check(&all, "PersonList");
    assert_eq!(all.as_array().unwrap().len(), 2);
    for query in ["stage=mql", "owner=rep@rapport.test", "stage=mql&limit=1&offset=0"] {
        let people = server.get(&format!("/api/people?{query}"), &admin).await.expect_ok();
        let emails: Vec<&str> =
            people.as_array().unwrap().iter().filter_map(|p| p["email"].as_str()).collect();
        assert_eq!(emails, ["bo@acme.com"], "{query}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_and_reasons_are_managed_by_the_roles_allowed() {
    let server = TestServer::start().await;
    let admin = server.user("admin@rapport.test", "admin");
    let marketing = server.user("marketing@rapport.test", "marketing");
    let answer = server
        .post("/api/users", &admin, json!({"email": "New@Rapport.test", "role": "sales_rep", "team": "East"}))
        .await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    let user = answer.json();
    schema::check(&user, "User");
    assert_eq!((user["email"].as_str(), user["name"].as_str()), (Some("new@rapport.test"), Some("new")));
    let body = server
        .post("/api/users", &admin, json!({"email": "x@rapport.test", "role": "boss"}))
        .await
        .expect_error(422, "invalid_value");
    assert_eq!(body["field"], "role");
    let users = server.get("/api/users", &marketing).await.expect_ok();
    schema::check(&users, "UserList");
    assert_eq!(users.as_array().unwrap().len(), 3);

    let answer = server
        .post("/api/reasons", &marketing, json!({"code": "competitor", "label": "Chose a competitor"}))
        .await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    let body = server
        .post("/api/reasons", &marketing, json!({"code": "Bad Code", "label": "x"}))
        .await
        .expect_error(422, "invalid_value");
    assert_eq!(body["field"], "code");
    let reasons = server.get("/api/reasons", &marketing).await.expect_ok();
    schema::check(&reasons, "ReasonList");
    assert!(reasons.as_array().unwrap().iter().any(|r| r["code"] == "competitor"), "{reasons}");
}

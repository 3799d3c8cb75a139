//! The OpenAPI document: committed, current, served, and covering every route the router has.

use std::collections::BTreeSet;

use rapport_server::routes::endpoints;
use reqwest::Method;

use crate::support::TestServer;

const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");

fn generated() -> String {
    let mut text = serde_json::to_string_pretty(&rapport_server::openapi::document()).unwrap();
    text.push('\n');
    text
}

#[test]
fn the_committed_document_is_current() {
    let generated = generated();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(COMMITTED, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(COMMITTED).unwrap_or_default();
    assert!(
        committed == generated,
        "crates/rapport-server/openapi.json is out of date with the route table; regenerate it with\n\
         UPDATE_OPENAPI=1 cargo test -p rapport-server --test api the_committed_document_is_current\n\
         and commit the result"
    );
}

#[test]
fn the_document_lists_exactly_the_route_table() {
    let document = rapport_server::openapi::document();
    let mut documented = BTreeSet::new();
    for (path, operations) in document["paths"].as_object().unwrap() {
        for method in operations.as_object().unwrap().keys() {
            documented.insert((method.clone(), path.clone()));
        }
    }
    let table: BTreeSet<_> = endpoints().map(|e| (e.method.as_str().to_owned(), e.path.to_owned())).collect();
    assert_eq!(documented, table);
    let ids: BTreeSet<_> = endpoints().map(|e| e.operation_id).collect();
    assert_eq!(ids.len(), table.len(), "operation ids must be unique");
    // Every schema the operations name exists.
    let text = document.to_string();
    for reference in text.split("\"#/components/schemas/").skip(1) {
        let name = &reference[..reference.find('"').unwrap()];
        assert!(document["components"]["schemas"][name].is_object(), "missing schema {name}");
    }
}

/// The router is built from the route table, so it serves nothing else; this checks the other
/// half: every documented operation is served (a missing one would answer `route_not_found`
/// or `method_not_allowed`), and anything else is a JSON 404 or 405.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_route_is_served_and_nothing_else() {
    let server = TestServer::start().await;
    for endpoint in endpoints() {
        let method = Method::from_bytes(endpoint.method.as_str().to_uppercase().as_bytes()).unwrap();
        let path =
            endpoint.path.replace("{email}", "a@b.co").replace("{kind}", "people").replace("{name}", "x");
        let answer = server.call(method, &path, None, None).await;
        let code = serde_json::from_str::<serde_json::Value>(&answer.text)
            .map(|b| b["code"].clone())
            .unwrap_or_default();
        assert!(code != "route_not_found" && code != "method_not_allowed", "{path}: {}", answer.text);
    }
    server.call(Method::GET, "/api/nothing-here", None, None).await.expect_error(404, "route_not_found");
    server.call(Method::DELETE, "/api/people", None, None).await.expect_error(405, "method_not_allowed");
    server.call(Method::POST, "/healthz", None, None).await.expect_error(405, "method_not_allowed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_served_document_is_the_generated_one_and_public() {
    let server = TestServer::start().await;
    let served = server.call(Method::GET, "/api/openapi.json", None, None).await.expect_ok();
    assert_eq!(served, rapport_server::openapi::document());
    assert_eq!(served["openapi"], "3.1.0");
    let handoff = &served["paths"]["/api/people/{email}/handoff"]["post"];
    assert_eq!(handoff["security"], serde_json::json!([{"bearer": []}]));
    assert_eq!(handoff["x-permission"], "hand_off_lead");
    for status in ["200", "401", "403", "404", "409", "422", "500"] {
        assert!(handoff["responses"][status].is_object(), "handoff lacks a {status} response");
    }
    assert_eq!(served["paths"]["/healthz"]["get"]["security"], serde_json::json!([]));
}

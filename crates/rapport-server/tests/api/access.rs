//! Who may call what: tokens, roles, and the route table's access rules as served.

use rapport_app::permissions::roles_for;
use rapport_server::routes::{endpoints, Access, HttpMethod};
use reqwest::Method;

use crate::support::TestServer;

const ROLES: [(&str, &str); 4] = [
    ("admin", "admin@rapport.test"),
    ("marketing", "marketing@rapport.test"),
    ("sales_manager", "manager@rapport.test"),
    ("sales_rep", "rep@rapport.test"),
];

fn method(method: HttpMethod) -> Method {
    match method {
        HttpMethod::Get => Method::GET,
        HttpMethod::Post => Method::POST,
        HttpMethod::Put => Method::PUT,
        HttpMethod::Delete => Method::DELETE,
    }
}

/// The path with sample values for its parameters.
fn sample_path(path: &str) -> String {
    path.replace("{email}", "ana@acme.com").replace("{kind}", "people").replace("{name}", "Pricing")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_is_public_and_reports_the_backend() {
    let server = TestServer::start().await;
    let body = server.call(Method::GET, "/healthz", None, None).await.expect_ok();
    crate::schema::check(&body, "Health");
    assert_eq!((body["status"].as_str(), body["backend"].as_str()), (Some("ok"), Some("sqlite")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_and_bad_tokens_get_401_with_a_json_error() {
    let server = TestServer::start().await;
    let token = server.user("rep@rapport.test", "sales_rep");
    let answer = server.call(Method::GET, "/api/me", None, None).await;
    let body = answer.expect_error(401, "missing_token");
    assert_eq!(body["type"], "auth");
    assert_eq!(answer.headers["www-authenticate"], "Bearer");
    let mut wrong = token.clone();
    wrong.replace_range(4..5, if &token[4..5] == "a" { "b" } else { "a" });
    server.call(Method::GET, "/api/me", Some(&wrong), None).await.expect_error(401, "invalid_token");
    server.call(Method::GET, "/api/me", Some("not-a-token"), None).await.expect_error(401, "invalid_token");
    let basic = server.request(Method::GET, "/api/me").header("authorization", format!("Basic {token}"));
    server.send(basic).await.expect_error(401, "invalid_token");
    let me = server.get("/api/me", &token).await.expect_ok();
    crate::schema::check(&me, "User");
    assert_eq!((me["email"].as_str(), me["role"].as_str()), (Some("rep@rapport.test"), Some("sales_rep")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_without_the_permission_get_403_naming_the_roles_that_may() {
    let server = TestServer::start().await;
    let marketing = server.user("marketing@rapport.test", "marketing");
    let body = server
        .post("/api/users", &marketing, serde_json::json!({"email": "x@rapport.test", "role": "admin"}))
        .await
        .expect_error(403, "forbidden");
    insta::assert_json_snapshot!("forbidden_add_user", body);
}

/// Every endpoint of the route table, as served: public ones answer without a token, the rest
/// want one, and each role without the endpoint's permission is refused before anything else.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_enforces_the_access_its_documentation_states() {
    let server = TestServer::start().await;
    let tokens: Vec<(&str, String)> =
        ROLES.iter().map(|(role, email)| (*role, server.user(email, role))).collect();
    server.person("ana@acme.com", &[rapport_domain::Stage::Lead]);
    // Owned by the rep, so visibility rules (reps see their own leads) do not refuse them.
    let options = rapport_app::ChangeOptions {
        actor: rapport_domain::Actor::System,
        source: rapport_domain::EventSource::Cli,
        note: None,
        force: false,
        at: chrono::Utc::now(),
    };
    rapport_app::leads::handoff(&*server.store, "ana@acme.com", "rep@rapport.test", &options).unwrap();
    for endpoint in endpoints() {
        let (method, path) = (method(endpoint.method), sample_path(endpoint.path));
        let what = format!("{} {}", endpoint.method.as_str(), endpoint.path);
        let anonymous = server.call(method.clone(), &path, None, None).await;
        match endpoint.access {
            Access::Public => assert_eq!(anonymous.status, 200, "{what}: {}", anonymous.text),
            _ => {
                anonymous.expect_error(401, "missing_token");
            }
        }
        let Access::Allowed(action) = endpoint.access else { continue };
        for (role, token) in &tokens {
            let answer = server.call(method.clone(), &path, Some(token), None).await;
            let allowed = roles_for(action).iter().any(|r| r.as_str() == *role);
            if allowed {
                let status = answer.status.as_u16();
                // A DELETE by the previous role already removed the sample record; its 404
                // is the record's (`not_found`), not the route's (`route_not_found`).
                let deleted = endpoint.method == HttpMethod::Delete && answer.json()["code"] == "not_found";
                assert!(
                    deleted || ![401, 403, 404, 405].contains(&status),
                    "{what} as {role}: {status} {}",
                    answer.text
                );
            } else {
                let body = answer.expect_error(403, "forbidden");
                assert!(body["message"].as_str().unwrap().contains(role), "{what}: {body}");
            }
        }
    }
}

//! The route-by-role permission matrix: every page of `rapport_web::pages()` and every API
//! endpoint of `rapport_server::routes::endpoints()`, opened by a signed-in user of each role.
//! A role the page or endpoint allows must not get 403 (nor 401); any other role must get 403.
//! Paths point at the rep's own records, so visibility rules do not interfere; form posts carry
//! the CSRF token and deliberately unusable bodies, so nothing changes.

use rapport_app::permissions::{self, Action};
use rapport_domain::{Role, User};
use rapport_server::routes::{endpoints, Access, HttpMethod};
use rapport_web::{pages, PageAccess};
use reqwest::StatusCode;

use crate::flows::{login, Session};
use crate::workspace::Workspace;

fn concrete(path: &str, ws: &Workspace) -> String {
    path.replace("{email}", &ws.fx.lead)
        .replace("{id}", &ws.fx.audio_call.to_string())
        .replace("{domain}", "nowhere.example")
        .replace("{kind}", "people")
        // A tracker and a definition version that do not exist: allowed roles get 404 (or a
        // refused body), so no check changes what the next role sees.
        .replace("{name}", "no-such-tracker")
        .replace("{version}", "999")
}

fn allowed(user: &User, action: Option<Action>) -> bool {
    action.is_none_or(|action| permissions::can(user, action))
}

async fn check(
    session: &Session,
    user: &User,
    method: &str,
    path: &str,
    action: Option<Action>,
    failures: &mut Vec<String>,
) {
    let request = match method {
        "GET" => session.get(path),
        "PUT" | "DELETE" => session
            .request(method.parse().unwrap(), path)
            .header("x-csrf-token", &session.csrf)
            .body("not = [valid toml"),
        _ => session.post(path).header("x-csrf-token", &session.csrf).form(&[
            ("csrf", session.csrf.as_str()),
            ("email", "not an email"),
            ("code", "NOT VALID"),
        ]),
    };
    let status = request.send().await.unwrap().status();
    let expected_allowed = allowed(user, action);
    let refused = status == StatusCode::FORBIDDEN || status == StatusCode::UNAUTHORIZED;
    if expected_allowed == refused {
        failures.push(format!(
            "{} ({}) {method} {path}: {status}, expected {}",
            user.record.email,
            user.record.role.as_str(),
            if expected_allowed { "access" } else { "403" }
        ));
    }
}

#[tokio::test]
async fn every_page_and_endpoint_checks_the_role() {
    let ws = Workspace::start().await;
    let mut failures = Vec::new();
    let mut checked = 0;
    for email in [&ws.fx.admin, &ws.fx.marketing, &ws.fx.manager, &ws.fx.rep] {
        let user =
            ws.store.user_by_email(&rapport_domain::EmailAddress::parse(email).unwrap()).unwrap().unwrap();
        let session = login(&ws, email).await;
        for page in pages() {
            let action = match page.access {
                // Logging out would end this session; it has its own test.
                PageAccess::Public | PageAccess::SignedIn => continue,
                PageAccess::Allowed(action) => Some(action),
            };
            let method = match page.method {
                rapport_web::pages::PageMethod::Get => "GET",
                rapport_web::pages::PageMethod::Post => "POST",
            };
            check(&session, &user, method, &concrete(page.path, &ws), action, &mut failures).await;
            checked += 1;
        }
        for endpoint in endpoints() {
            let action = match endpoint.access {
                Access::Public | Access::Authenticated => None,
                Access::Allowed(action) => Some(action),
            };
            let method = match endpoint.method {
                HttpMethod::Get => "GET",
                HttpMethod::Post => "POST",
                HttpMethod::Put => "PUT",
                HttpMethod::Delete => "DELETE",
            };
            check(&session, &user, method, &concrete(endpoint.path, &ws), action, &mut failures).await;
            checked += 1;
        }
        assert!(matches!(
            user.record.role,
            Role::Admin | Role::Marketing | Role::SalesManager | Role::SalesRep
        ));
    }
    assert!(checked > 4 * 30, "only {checked} checks ran");
    assert!(failures.is_empty(), "{} of {checked} checks failed:\n{}", failures.len(), failures.join("\n"));
}

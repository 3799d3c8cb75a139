//! The web app over plain HTTP: sign-in, the cookie's flags, security headers, CSRF refusals,
//! the login rate limit, logout, and the API taking the session cookie.

use reqwest::{header, StatusCode};

use crate::workspace::{Workspace, PASSWORD};

/// A signed-in client: the session cookie and the session's CSRF token.
pub struct Session {
    pub client: reqwest::Client,
    pub base: String,
    pub cookie: String,
    pub csrf: String,
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

fn cookie_value(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v[name.len() + 1..].split(';').next().unwrap_or("").to_owned())
}

/// Posts the login form the way a browser does: first the form (for its CSRF cookie).
pub async fn try_login(ws: &Workspace, email: &str, password: &str) -> reqwest::Response {
    let client = client();
    let form = client.get(ws.url("/login")).send().await.unwrap();
    let csrf = cookie_value(&form, "rapport_login_csrf").expect("the login form sets its CSRF cookie");
    client
        .post(ws.url("/login"))
        .header(header::COOKIE, format!("rapport_login_csrf={csrf}"))
        .form(&[("csrf", csrf.as_str()), ("email", email), ("password", password), ("next", "/")])
        .send()
        .await
        .unwrap()
}

pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("the page has a form with a CSRF token") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

pub async fn login(ws: &Workspace, email: &str) -> Session {
    let response = try_login(ws, email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "logging in as {email}");
    let cookie = cookie_value(&response, "rapport_session")
        .unwrap_or_else(|| panic!("no session cookie: {:?}", response.headers()));
    let client = client();
    let page = client
        .get(ws.url("/calls"))
        .header(header::COOKIE, format!("rapport_session={cookie}"))
        .send()
        .await
        .unwrap();
    let csrf = csrf_in(&page.text().await.unwrap());
    Session { client, base: ws.base.clone(), cookie, csrf }
}

impl Session {
    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.client
            .get(format!("{}{path}", self.base))
            .header(header::COOKIE, format!("rapport_session={}", self.cookie))
    }

    pub fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.request(reqwest::Method::POST, path)
    }

    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.base))
            .header(header::COOKIE, format!("rapport_session={}", self.cookie))
    }
}

#[tokio::test]
async fn login_sets_a_hardened_cookie_and_pages_send_security_headers() {
    let ws = Workspace::start().await;
    let response = try_login(&ws, &ws.fx.marketing, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], "/");
    let set_cookie: Vec<&str> =
        response.headers().get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap()).collect();
    let session = set_cookie.iter().find(|c| c.starts_with("rapport_session=rps_")).expect("session cookie");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(session.contains(flag), "{session} lacks {flag}");
    }
    assert!(!session.contains("Secure"), "plain HTTP without --secure-cookies: {session}");
    let session = login(&ws, &ws.fx.marketing).await;
    let page = session.get("/").send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(page.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let html = page.text().await.unwrap();
    assert!(!html.contains("<script>"), "no inline script on the overview");
    assert!(html.contains("id=\"funnel\""), "the overview draws the funnel");
}

#[tokio::test]
async fn pages_need_a_session_and_wrong_passwords_do_not_say_why() {
    let ws = Workspace::start().await;
    let anonymous = client().get(ws.url("/queue?x=1")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert_eq!(anonymous.headers()[header::LOCATION], "/login?next=%2Fqueue%3Fx%3D1");
    let wrong = try_login(&ws, &ws.fx.rep, "not the password").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let unknown = try_login(&ws, "nobody@nowhere.example", "not the password").await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let (wrong, unknown) = (wrong.text().await.unwrap(), unknown.text().await.unwrap());
    assert!(wrong.contains("Wrong email or password.") && unknown.contains("Wrong email or password."));
}

#[tokio::test]
async fn failed_logins_are_limited_per_account() {
    let ws = Workspace::start().await;
    for _ in 0..5 {
        assert_eq!(try_login(&ws, &ws.fx.rep, "guess guess guess").await.status(), StatusCode::UNAUTHORIZED);
    }
    let limited = try_login(&ws, &ws.fx.rep, PASSWORD).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    assert!(limited.text().await.unwrap().contains("Too many failed logins"));
    assert_eq!(
        try_login(&ws, &ws.fx.manager, PASSWORD).await.status(),
        StatusCode::SEE_OTHER,
        "other accounts still log in"
    );
}

#[tokio::test]
async fn posts_without_the_csrf_token_are_refused_and_change_nothing() {
    let ws = Workspace::start().await;
    let session = login(&ws, &ws.fx.rep).await;
    let lead = ws.fx.lead.as_str();
    let missing = session.post("/queue/accept").form(&[("email", lead)]).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    let wrong =
        session.post("/queue/accept").form(&[("email", lead), ("csrf", "0000")]).send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let login_without = client()
        .post(ws.url("/login"))
        .form(&[("email", ws.fx.rep.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(login_without.status(), StatusCode::FORBIDDEN, "the login form has its own token");
    let person =
        ws.store.person_by_email(&rapport_domain::EmailAddress::parse(lead).unwrap()).unwrap().unwrap();
    assert_eq!(person.stage, Some(rapport_domain::Stage::Mql), "nothing changed");
    let api = session.post(&format!("/api/people/{lead}/accept")).send().await.unwrap();
    assert_eq!(api.status(), StatusCode::FORBIDDEN, "the API wants X-CSRF-Token with a cookie");
    let accepted = session
        .post("/queue/accept")
        .form(&[("email", lead), ("csrf", session.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    let person =
        ws.store.person_by_email(&rapport_domain::EmailAddress::parse(lead).unwrap()).unwrap().unwrap();
    assert_eq!(person.stage, Some(rapport_domain::Stage::Sal));
    let audit = ws
        .store
        .audit_log(&rapport_store::AuditQuery { target: Some(lead.to_owned()), ..Default::default() })
        .unwrap();
    assert_eq!(audit[0].entry.action, "stage.accept");
    assert_eq!(audit[0].entry.actor_label, ws.fx.rep);
}

#[tokio::test]
async fn logout_ends_the_session_everywhere() {
    let ws = Workspace::start().await;
    let session = login(&ws, &ws.fx.admin).await;
    assert_eq!(
        session.get("/api/me").send().await.unwrap().status(),
        StatusCode::OK,
        "the API takes the cookie"
    );
    let out = session.post("/logout").form(&[("csrf", session.csrf.as_str())]).send().await.unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        session.get("/").send().await.unwrap().status(),
        StatusCode::SEE_OTHER,
        "back to the login page"
    );
    assert_eq!(session.get("/api/me").send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_rep_cannot_open_another_reps_call_nor_its_audio() {
    let ws = Workspace::start().await;
    let rep = login(&ws, &ws.fx.rep).await;
    let other = ws.fx.other_call;
    assert_eq!(rep.get(&format!("/calls/{other}")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(rep.get(&format!("/api/calls/{other}")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(
        rep.get(&format!("/calls/{}", ws.fx.audio_call)).send().await.unwrap().status(),
        StatusCode::OK
    );
    let audio = rep
        .get(&format!("/api/calls/{}/audio", ws.fx.audio_call))
        .header(header::RANGE, "bytes=0-99")
        .send()
        .await
        .unwrap();
    assert_eq!(audio.status(), StatusCode::PARTIAL_CONTENT);
    let calls = rep.get("/calls").send().await.unwrap().text().await.unwrap();
    assert!(
        !calls.contains("Another rep&#39;s call") && !calls.contains("Another rep's call"),
        "the list hides it"
    );
    let manager = login(&ws, &ws.fx.manager).await;
    assert_eq!(manager.get(&format!("/calls/{other}")).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn the_queue_ranks_scored_leads_first_with_their_reasons() {
    let ws = Workspace::start().await;
    let lead = ws
        .store
        .person_by_email(&rapport_domain::EmailAddress::parse(&ws.fx.lead).unwrap())
        .unwrap()
        .unwrap();
    let reasons = serde_json::json!({
        "rules": [],
        "model": [{"feature": "web_visit_7d", "value": "3", "effect": 1.2,
                   "text": "Visited the <b>pricing</b> page 3 times in the last 7 days (+)"}]
    });
    ws.store
        .put_scores(&[rapport_store::PersonScore {
            person_id: lead.person.id,
            fit: 40.0,
            engagement: 30.0,
            total: 70.0,
            probability: Some(0.91),
            grade: "A".into(),
            qualifies: true,
            reasons_json: reasons.to_string(),
            model_version: None,
            definition_version: None,
            scored_at: chrono::Utc::now(),
        }])
        .unwrap();
    let session = login(&ws, &ws.fx.rep).await;
    let page = session.get("/queue").send().await.unwrap().text().await.unwrap();
    let first = page.find("data-email=\"").map(|at| &page[at + 12..]).unwrap();
    assert!(first.starts_with(&format!("{}\"", ws.fx.lead)), "the scored lead comes first");
    assert!(page.contains("91%"), "its probability is shown");
    assert!(
        page.contains("Visited the &lt;b&gt;pricing&lt;/b&gt; page 3 times in the last 7 days (+)"),
        "its reason is shown, escaped"
    );
}

//! A running server per test, with helpers to add users, tokens and people and to call the API.

use std::sync::Arc;

use chrono::Utc;
use rapport_app::{tokens, users};
use rapport_domain::{EmailAddress, PersonRecord, Stage};
use rapport_server::{serve, AppState};
use rapport_store::Store;
use rapport_store_sqlite::SqliteStore;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tokio::sync::oneshot;

pub struct TestServer {
    pub base: String,
    pub store: Arc<dyn Store>,
    client: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

/// What a call answered.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// Asserts an error answer: the status, the code, and the `{message, code, type}` shape.
    pub fn expect_error(&self, status: u16, code: &str) -> Value {
        let body = self.json();
        assert_eq!(self.status.as_u16(), status, "{body}");
        assert_eq!(body["code"], code, "{body}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
        assert!(body["type"].is_string(), "{body}");
        crate::schema::check(&body, "Error");
        body
    }

    pub fn expect_ok(&self) -> Value {
        assert!(self.status.is_success(), "{} {}", self.status, self.text);
        self.json()
    }
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_with(true).await
    }

    /// A server with no media store, as when none is configured.
    pub async fn start_without_media() -> TestServer {
        Self::start_with(false).await
    }

    async fn start_with(with_media: bool) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&dir.path().join("rapport.db")).unwrap());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (shutdown, signal) = oneshot::channel::<()>();
        let mut state = AppState::new(Arc::clone(&store), 24);
        if with_media {
            let location = rapport_media::MediaLocation::Local(dir.path().join("media"));
            let media = Arc::new(rapport_media::MediaStore::open(&location).unwrap());
            // The media store owns a runtime, which must not be dropped inside an async task;
            // the server's state is, so one handle is leaked and the last is never dropped.
            std::mem::forget(Arc::clone(&media));
            state = state.with_media(media);
        }
        tokio::spawn(async move {
            serve(listener, state, async move {
                let _ = signal.await;
            })
            .await
            .unwrap();
        });
        TestServer { base, store, client: reqwest::Client::new(), shutdown: Some(shutdown), _dir: dir }
    }

    /// A user with `role` and a fresh API token for them, made the way the CLI makes them.
    pub fn user(&self, email: &str, role: &str) -> String {
        let new = users::NewUser { email: email.into(), role: role.into(), ..Default::default() };
        users::add(&*self.store, &new).unwrap();
        tokens::create(&*self.store, email, "test").unwrap().token
    }

    /// A person created a week ago, with a lifecycle history (one event per stage, a day apart).
    pub fn person(&self, email: &str, history: &[Stage]) {
        let week_ago = Utc::now() - chrono::Duration::days(7);
        let record = PersonRecord {
            external_id: None,
            email: EmailAddress::parse(email).unwrap(),
            first_name: Some("Ana".into()),
            last_name: Some("Lopez".into()),
            title: None,
            account_domain: None,
            owner_email: None,
            source: Some("paid_search".into()),
            campaign: Some("Spring webinar".into()),
            country: None,
            created_at: week_ago,
            stage_history: history
                .iter()
                .enumerate()
                .map(|(day, stage)| (*stage, week_ago + chrono::Duration::days(day as i64)))
                .collect(),
        };
        let mut tx = self.store.begin_write().unwrap();
        let results = tx.upsert_people(&[record]).unwrap();
        assert!(results.iter().all(Result::is_ok), "{results:?}");
        tx.commit().unwrap();
    }

    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Answer {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.send(request).await
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        Answer { status, headers, text: response.text().await.unwrap() }
    }

    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, format!("{}{path}", self.base))
    }

    pub async fn get(&self, path: &str, token: &str) -> Answer {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Answer {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// Replaces values that change from run to run (times, the current month), so JSON can be
/// snapshotted.
pub fn scrub(value: &mut Value) {
    match value {
        Value::String(text) if chrono::DateTime::parse_from_rfc3339(text).is_ok() => *text = "[time]".into(),
        Value::Object(object) => {
            for (key, field) in object.iter_mut() {
                if key == "month" && field.is_string() {
                    *field = Value::String("[month]".into());
                } else {
                    scrub(field);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(scrub),
        _ => {}
    }
}

//! Just enough WebDriver (W3C, as chromedriver speaks it) to drive headless Chromium: a
//! session, navigation, finding and clicking elements, typing, running scripts, the browser's
//! console log and screenshots. A few JSON requests over reqwest, instead of a WebDriver crate.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use base64::Engine;
use serde_json::{json, Value};

/// The W3C key under which element references travel.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// chromedriver on a free port, killed when dropped.
pub struct Driver {
    process: Child,
    base: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn find_program(candidates: &[&str]) -> Option<String> {
    candidates.iter().find_map(|name| {
        let found = Command::new("sh").arg("-c").arg(format!("command -v {name}")).output().ok()?;
        found.status.success().then(|| String::from_utf8_lossy(&found.stdout).trim().to_owned())
    })
}

impl Driver {
    pub async fn start() -> Driver {
        let driver = find_program(&["chromedriver"]).unwrap_or_else(|| {
            panic!(
                "the web tests need Chromium's WebDriver: `chromedriver` is not on PATH. \
                 Install Debian's `chromium` and `chromium-driver` (./scripts/setup.sh does)"
            )
        });
        assert!(
            find_program(&["chromium", "chromium-browser", "google-chrome"]).is_some(),
            "the web tests need a Chromium browser: install Debian's `chromium` (./scripts/setup.sh does)"
        );
        let port = free_port();
        let process = Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {driver}: {e}"));
        // Owned by a `Driver` from the start, so its `Drop` kills and reaps the process
        // even when it never answers and we panic below.
        let driver = Driver { process, base: format!("http://127.0.0.1:{port}") };
        let client = reqwest::Client::new();
        for _ in 0..100 {
            if let Ok(response) = client.get(format!("{}/status", driver.base)).send().await {
                if response.status().is_success() {
                    return driver;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not answer on port {port} within 10 s");
    }

    pub async fn session(&self) -> Browser {
        let binary = find_program(&["chromium", "chromium-browser", "google-chrome"]).unwrap();
        let capabilities = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                // Finding an element waits for it (up to 5 s) rather than racing a page load.
                "timeouts": { "implicit": 5000 },
                "goog:chromeOptions": {
                    "binary": binary,
                    "args": [
                        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
                        "--autoplay-policy=no-user-gesture-required", "--window-size=1280,1000"
                    ]
                },
                "goog:loggingPrefs": { "browser": "ALL" }
            }}
        });
        let client = reqwest::Client::new();
        let answer: Value = client
            .post(format!("{}/session", self.base))
            .json(&capabilities)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = answer["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("chromedriver refused a session: {answer}"))
            .to_owned();
        Browser { client, base: format!("{}/session/{id}", self.base) }
    }
}

/// One browser session.
pub struct Browser {
    client: reqwest::Client,
    base: String,
}

#[derive(Debug, Clone)]
pub struct Element(String);

impl Browser {
    async fn command(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, Value> {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer: Value = request.send().await.unwrap().json().await.unwrap();
        let value = answer["value"].clone();
        if value.get("error").is_some() {
            Err(value)
        } else {
            Ok(value)
        }
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.command(reqwest::Method::POST, path, Some(body)).await.unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    pub async fn goto(&self, url: &str) {
        self.post("/url", json!({ "url": url })).await;
    }

    pub async fn current_url(&self) -> String {
        let value = self.command(reqwest::Method::GET, "/url", None).await;
        value
            .as_ref()
            .ok()
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("the browser's URL: {value:?}"))
            .to_owned()
    }

    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        let found = self.post("/elements", json!({ "using": "css selector", "value": css })).await;
        found.as_array().unwrap().iter().map(|e| Element(e[ELEMENT].as_str().unwrap().to_owned())).collect()
    }

    pub async fn find(&self, css: &str) -> Element {
        match self
            .command(
                reqwest::Method::POST,
                "/element",
                Some(json!({ "using": "css selector", "value": css })),
            )
            .await
        {
            Ok(found) => Element(
                found[ELEMENT]
                    .as_str()
                    .unwrap_or_else(|| panic!("`{css}`: unexpected answer {found}"))
                    .to_owned(),
            ),
            Err(error) => panic!("no element `{css}` on {}: {error}", self.current_url().await),
        }
    }

    pub async fn click(&self, element: &Element) {
        self.post(&format!("/element/{}/click", element.0), json!({})).await;
    }

    pub async fn type_into(&self, element: &Element, text: &str) {
        self.post(&format!("/element/{}/value", element.0), json!({ "text": text })).await;
    }

    pub async fn text(&self, element: &Element) -> String {
        self.command(reqwest::Method::GET, &format!("/element/{}/text", element.0), None)
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its value;
    /// a returned promise is awaited.
    pub async fn script(&self, script: &str, args: Value) -> Value {
        self.post("/execute/async", json!({
            "script": format!("const done = arguments[arguments.length - 1]; \
                               Promise.resolve((function() {{ {script} }}).apply(null, Array.from(arguments).slice(0, -1))) \
                               .then(done, (e) => done('script error: ' + e));"),
            "args": args
        }))
        .await
    }

    /// The browser's console entries since the last call, as `LEVEL message` lines.
    pub async fn console(&self) -> Vec<String> {
        let entries = self.post("/se/log", json!({ "type": "browser" })).await;
        entries
            .as_array()
            .map(|entries| {
                entries
                    .iter()
                    .map(|e| {
                        format!(
                            "{} {}",
                            e["level"].as_str().unwrap_or("?"),
                            e["message"].as_str().unwrap_or("")
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether an alert (or confirm, prompt) is open.
    pub async fn alert_open(&self) -> bool {
        self.command(reqwest::Method::GET, "/alert/text", None).await.is_ok()
    }

    pub async fn screenshot(&self, name: &str) {
        let data = self.command(reqwest::Method::GET, "/screenshot", None).await.unwrap();
        let png = base64::engine::general_purpose::STANDARD.decode(data.as_str().unwrap()).unwrap();
        let folder = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().join("screenshots");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(format!("{name}.png")), png).unwrap();
    }

    pub async fn quit(self) {
        let _ = self.client.delete(&self.base).send().await;
    }
}

//! The web app in a real headless Chromium: one browser session walks through the pages as
//! each role would, checking what a user sees, the browser's console, and saving a screenshot
//! of every page under `target/screenshots/`.

use serde_json::{json, Value};

use crate::webdriver::{Browser, Driver};
use crate::workspace::{Workspace, PASSWORD};

async fn log_in(browser: &Browser, ws: &Workspace, email: &str) {
    browser.goto(&ws.url("/login")).await;
    let field = browser.find("input[name=email]").await;
    browser.type_into(&field, email).await;
    let field = browser.find("input[name=password]").await;
    browser.type_into(&field, PASSWORD).await;
    let button = browser.find("form.stack button[type=submit]").await;
    browser.click(&button).await;
    let (arrived, url) = wait_for_login_page(browser, false).await;
    assert!(arrived, "logging in as {email} stayed on {url}");
}

async fn log_out(browser: &Browser) {
    let button = browser.find("header form button").await;
    browser.click(&button).await;
    let (arrived, url) = wait_for_login_page(browser, true).await;
    assert!(arrived, "logging out ended on {url}");
}

/// Waits up to 5 s for the browser to be on the login page (`on`) or off it: a click returns
/// before its redirect has necessarily been followed. Whether it got there, and the URL.
async fn wait_for_login_page(browser: &Browser, on: bool) -> (bool, String) {
    let mut url = browser.current_url().await;
    for _ in 0..50 {
        if url.contains("/login") == on {
            return (true, url);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        url = browser.current_url().await;
    }
    (false, url)
}

/// Opens a page, checks it rendered (its `h1`) with no console errors, and saves a screenshot.
async fn visit(browser: &Browser, ws: &Workspace, path: &str, screenshot: &str) -> String {
    browser.goto(&ws.url(path)).await;
    let heading = browser.text(&browser.find("h1").await).await;
    let errors: Vec<String> =
        browser.console().await.into_iter().filter(|line| line.starts_with("SEVERE")).collect();
    assert!(errors.is_empty(), "{path} logged console errors: {errors:?}");
    browser.screenshot(screenshot).await;
    heading
}

async fn kpi(browser: &Browser, index: usize) -> String {
    let values = browser.find_all("#kpis .value").await;
    browser.text(&values[index]).await
}

async fn wait_for(browser: &Browser, script: &str) -> Value {
    for _ in 0..50 {
        let value = browser.script(script, json!([])).await;
        if value != Value::Null && value != Value::Bool(false) {
            return value;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("waited 5 s for `{script}`");
}

#[tokio::test]
async fn the_web_app_works_in_a_real_browser() {
    let ws = Workspace::start().await;
    let driver = Driver::start().await;
    let browser = driver.session().await;

    // The login page, then the marketing overview with its funnel.
    browser.goto(&ws.url("/")).await;
    assert!(browser.current_url().await.contains("/login?next=%2F"), "signed-out users go to the login page");
    browser.screenshot("login").await;
    log_in(&browser, &ws, &ws.fx.marketing).await;
    assert_eq!(visit(&browser, &ws, "/", "overview").await, "Marketing overview");
    let funnel_bars = browser.find_all("#funnel a.datum rect").await;
    assert_eq!(funnel_bars.len(), 7, "one bar per funnel stage");
    let (rejected_before, rate_before) = (kpi(&browser, 2).await, kpi(&browser, 1).await);
    let drill = browser.find("#rejections a.datum").await;
    browser.click(&drill).await;
    assert!(browser.current_url().await.contains("/people?"), "a bar opens the people behind it");
    let summary = browser.text(&browser.find("#drilldown-summary").await).await;
    assert!(summary.contains("rejected"), "{summary}");
    browser.screenshot("people-drilldown").await;
    for (path, name) in [("/calls", "calls"), ("/admin", "admin"), ("/accounts", "target-accounts")] {
        visit(&browser, &ws, path, name).await;
    }
    assert_eq!(visit(&browser, &ws, "/team", "team").await, "Team");
    assert!(!browser.find_all("#team-stats tbody tr").await.is_empty(), "a row per rep");
    assert!(!browser.find_all("#trend-team a.datum").await.is_empty(), "trend points are links");
    assert_eq!(visit(&browser, &ws, "/voc", "voice-of-customer").await, "Voice of the customer");
    let voc = browser.text(&browser.find("#voc").await).await;
    assert!(voc.contains("Lift"), "{voc}");
    // Scoring: the model's charts, and a grade bar opens the people with that grade.
    assert_eq!(visit(&browser, &ws, "/scoring", "scoring").await, "Scoring");
    assert!(!browser.find_all("#calibration a.datum").await.is_empty(), "calibration points");
    let grade_bar = browser.find("#grades a.datum").await;
    browser.click(&grade_bar).await;
    assert!(browser.current_url().await.contains("/scoring?grade="), "a grade bar opens its people");
    browser.find("#scoring-people").await;
    browser.screenshot("scoring-grade").await;

    // Content: the item a call names is listed, a hostile title stays text, a bar opens the
    // calls that name the item; then the tracker administration.
    assert_eq!(visit(&browser, &ws, "/content", "content").await, "Content");
    let used = browser.text(&browser.find("#content-used").await).await;
    assert!(used.contains(crate::workspace::USED_CONTENT), "{used}");
    let unused = browser.text(&browser.find("#unused-content").await).await;
    assert!(unused.contains("<script>"), "the hostile title reads as text: {unused}");
    assert_eq!(browser.script("return typeof window.__xss;", json!([])).await, "undefined");
    browser.click(&browser.find("#content-calls a.datum").await).await;
    assert!(browser.current_url().await.contains("/calls?content="), "a bar opens its calls");
    let summary = browser.text(&browser.find("#calls-summary").await).await;
    assert!(!summary.starts_with("0 "), "{summary}");
    assert_eq!(visit(&browser, &ws, "/admin/trackers", "trackers").await, "Trackers");
    log_out(&browser).await;

    // A rep rejects the lead handed to them, with a reason and a note.
    log_in(&browser, &ws, &ws.fx.rep).await;
    assert_eq!(visit(&browser, &ws, "/queue", "queue").await, "Sales queue");
    let row = format!("tr[data-email='{}']", ws.fx.lead);
    browser.find(&row).await;
    let picked = browser
        .script(
            "const select = document.querySelector(arguments[0] + ' form.reject select');
             select.value = 'bad_fit'; return select.value;",
            json!([row]),
        )
        .await;
    assert_eq!(picked, "bad_fit", "the demo's reasons include bad_fit");
    let note = browser.find(&format!("{row} form.reject input[name=note]")).await;
    browser.type_into(&note, "Student, no budget").await;
    browser.click(&browser.find(&format!("{row} form.reject button")).await).await;
    let status = browser.text(&browser.find(".message").await).await;
    assert!(status.contains("rejected"), "{status}");
    assert!(browser.find_all(&row).await.is_empty(), "the lead left the queue");

    // The rep's own call: a click on an utterance moves the player there and highlights it.
    visit(&browser, &ws, &format!("/calls/{}", ws.fx.audio_call), "call").await;
    wait_for(&browser, "return document.getElementById('player').readyState >= 1;").await;
    let line = browser.find("ol.transcript li[data-start='12.000']").await;
    browser.click(&line).await;
    let time = wait_for(
        &browser,
        "const t = document.getElementById('player').currentTime; return t >= 11.9 ? t : false;",
    )
    .await;
    assert!((time.as_f64().unwrap() - 12.0).abs() < 0.6, "the player is at {time}");
    let current = browser
        .script("return document.querySelector('ol.transcript li.current').dataset.start;", json!([]))
        .await;
    assert_eq!(current, "12.000");

    // A quote's link (`?t=SECONDS`) opens the call at that moment.
    visit(&browser, &ws, &format!("/calls/{}?t=12", ws.fx.audio_call), "call-at-quote").await;
    let at = wait_for(
        &browser,
        "const li = document.querySelector('ol.transcript li.current'); return li ? li.dataset.start : false;",
    )
    .await;
    assert_eq!(at, "12.000");

    // A hostile transcript renders as text: no script ran, no image loaded, no alert.
    visit(&browser, &ws, &format!("/calls/{}", ws.fx.hostile_call), "call-hostile-transcript").await;
    assert!(!browser.alert_open().await, "an alert opened");
    let state = browser
        .script(
            "return { xss: window.__xss === undefined ? null : window.__xss,
                      scripts: document.querySelectorAll('#transcript script, #transcript img').length,
                      text: document.getElementById('transcript').textContent };",
            json!([]),
        )
        .await;
    assert_eq!(state["xss"], Value::Null, "{state}");
    assert_eq!(state["scripts"], 0, "{state}");
    let text = state["text"].as_str().unwrap();
    assert!(text.contains("<script>") || text.contains("window.__xss = 1"), "shown as text: {text}");
    assert!(text.contains("<img src=x onerror="), "shown as text: {text}");
    // The smart-tracker and topic cards quote the same utterances, as text too.
    let cards = browser
        .script(
            "const s = document.getElementById('smart-trackers'), t = document.getElementById('call-topics');
             return { smart: s ? s.textContent : null, topics: t ? t.textContent : null,
                      markup: document.querySelectorAll('#smart-trackers script, #smart-trackers img, #call-topics script, #call-topics img').length };",
            json!([]),
        )
        .await;
    let smart = cards["smart"].as_str().unwrap_or_default();
    assert!(
        smart.contains("asks for a discount") && smart.contains("0.91") && smart.contains("<script>"),
        "{cards}"
    );
    let topics = cards["topics"].as_str().unwrap_or_default();
    assert!(
        topics.contains("pricing, discount") && topics.contains("2 utterances") && topics.contains("<img"),
        "{cards}"
    );
    assert_eq!(cards["markup"], 0, "{cards}");

    // Another rep's call is refused, and a form post without the CSRF token too.
    let statuses = browser
        .script(
            "return Promise.all([
                 fetch('/calls/' + arguments[0]).then(r => r.status),
                 fetch('/queue/accept', { method: 'POST', body: new URLSearchParams({ email: arguments[1] }) }).then(r => r.status)
             ]);",
            json!([ws.fx.other_call, ws.fx.lead]),
        )
        .await;
    assert_eq!(statuses, json!([403, 403]));
    browser.console().await; // the two refusals were logged on purpose
    browser.goto(&ws.url(&format!("/calls/{}", ws.fx.other_call))).await;
    assert_eq!(browser.text(&browser.find("h1").await).await, "Not allowed");
    browser.screenshot("call-forbidden").await;
    browser.console().await;
    browser.goto(&ws.url("/calls")).await;
    log_out(&browser).await;

    // The overview shows the rejection: one more rejected, the rate moved, the note is there.
    log_in(&browser, &ws, &ws.fx.admin).await;
    visit(&browser, &ws, "/", "overview-after-reject").await;
    let (rejected_after, rate_after) = (kpi(&browser, 2).await, kpi(&browser, 1).await);
    let count = |text: &str| text.replace(',', "").parse::<u64>().unwrap();
    assert_eq!(count(&rejected_after), count(&rejected_before) + 1);
    assert_ne!(rate_after, rate_before, "the acceptance rate moved");
    let reasons = browser.text(&browser.find("#rejections table").await).await;
    assert!(reasons.contains("Student, no budget"), "{reasons}");
    let mut domain = None;
    ws.store
        .export_accounts(&mut |account| {
            domain = domain.take().or(account.record.domain.clone());
            Ok(())
        })
        .unwrap();
    let domain = domain.expect("the demo's accounts have domains");
    for (path, name) in [
        (format!("/people/{}", ws.fx.lead), "person"),
        (format!("/accounts/{domain}"), "account"),
        ("/people?stage=mql".to_owned(), "people"),
        ("/calls?q=discovery".to_owned(), "calls-search"),
        ("/admin/audit".to_owned(), "audit"),
    ] {
        visit(&browser, &ws, &path, name).await;
    }
    let audit = browser.text(&browser.find("#audit").await).await;
    assert!(audit.contains("stage.reject") && audit.contains(&ws.fx.rep), "{audit}");
    browser.quit().await;
}

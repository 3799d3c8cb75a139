//! Transcript search, trackers and the VoC report over HTTP: who sees which calls, safe
//! snippets, queries without words refused with 400, trackers changed by the roles allowed.

use chrono::Utc;
use rapport_app::calls::{add_transcript, NewCall};
use reqwest::Method;
use serde_json::json;

use crate::support::TestServer;

fn transcript(text: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({"utterances": [
        {"speaker": "Rep", "role": "rep", "start": 0, "end": 3, "text": "How do you decide?"},
        {"speaker": "Ana", "role": "customer", "start": 4, "end": 8, "text": text}
    ]}))
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reps_search_their_own_calls_and_managers_all() {
    let server = TestServer::start().await;
    let rep = server.user("rep@rapport.test", "sales_rep");
    let other = server.user("other@rapport.test", "sales_rep");
    let manager = server.user("manager@rapport.test", "sales_manager");
    for (email, text) in [
        ("rep@rapport.test", "The price is too high <b>really</b>"),
        ("other@rapport.test", "Your price beats Gong"),
    ] {
        let new = NewCall { reps: vec![email.into()], ..NewCall::default() };
        add_transcript(&*server.store, &new, "call.json", &transcript(text), Utc::now()).unwrap();
    }
    let hits = server.get("/api/search?q=price", &manager).await.expect_ok();
    crate::schema::check(&hits, "SearchHitList");
    assert_eq!(hits.as_array().unwrap().len(), 2);
    let own = server.get("/api/search?q=price", &rep).await.expect_ok();
    assert_eq!(own.as_array().unwrap().len(), 1, "a rep finds only their own calls");
    assert!(own[0]["snippet"].as_str().unwrap().contains("price"));
    assert_eq!(server.get("/api/search?q=gong", &other).await.expect_ok().as_array().unwrap().len(), 1);
    assert_eq!(server.get("/api/search?q=gong", &rep).await.expect_ok(), json!([]));

    // A window of one ranks only the newest match (the second call's).
    let newest = server.get("/api/search?q=price&limit=1&rank_window=1", &manager).await.expect_ok();
    assert!(newest[0]["snippet"].as_str().unwrap().contains("Gong"), "{newest}");
    let narrow =
        server.get("/api/search?q=price&rank_window=5", &manager).await.expect_error(422, "invalid_value");
    assert_eq!(narrow["field"], "rank_window", "a window below the limit (20) is refused by name");

    let body = server.get("/api/search?q=%2A%3A%28%29", &manager).await.expect_error(400, "invalid_query");
    assert_eq!(body["field"], "q");
    server.get("/api/search?q=price&side=middle", &manager).await.expect_error(422, "invalid_value");
    let inert =
        server.get("/api/search?q=price%20OR%20%27%3B%20DROP%20TABLE%20calls", &manager).await.expect_ok();
    assert_eq!(inert, json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trackers_are_changed_by_the_roles_allowed_and_feed_the_voc_report() {
    let server = TestServer::start().await;
    let marketing = server.user("marketing@rapport.test", "marketing");
    let rep = server.user("rep@rapport.test", "sales_rep");
    add_transcript(
        &*server.store,
        &NewCall::default(),
        "call.json",
        &transcript("We love the widget"),
        Utc::now(),
    )
    .unwrap();
    let set = server.get("/api/trackers", &rep).await.expect_ok();
    crate::schema::check(&set, "TrackerSet");
    assert!(set["trackers"].as_array().unwrap().iter().any(|t| t["name"] == "Pricing"));

    let body = json!({"phrases": ["widget"], "side": "customer"});
    let put = |token: String| {
        let request = server.request(Method::PUT, "/api/trackers/Widgets").bearer_auth(token).json(&body);
        server.send(request)
    };
    put(rep.clone()).await.expect_error(403, "forbidden");
    let stored = put(marketing.clone()).await.expect_ok();
    crate::schema::check(&stored, "StoredTracker");
    assert_eq!((stored["name"].as_str(), stored["version"].as_i64()), (Some("Widgets"), Some(1)));
    let bad = server
        .send(
            server
                .request(Method::PUT, "/api/trackers/Bad")
                .bearer_auth(&marketing)
                .json(&json!({"phrases": ["..."]})),
        )
        .await
        .expect_error(422, "invalid_value");
    assert!(bad["message"].as_str().unwrap().contains("\"Bad\""), "{bad}");

    rapport_app::analysis::analyze_stale(&*server.store, &Utc::now, &mut |_, _| {}).unwrap();
    let report = server.get("/api/reports/voc?by=industry", &marketing).await.expect_ok();
    crate::schema::check(&report, "VocReport");
    let widgets = report["trackers"].as_array().unwrap().iter().find(|t| t["tracker"] == "Widgets").unwrap();
    assert_eq!(widgets["overall"]["mentioning"], 1);
    assert_eq!(widgets["quotes"][0]["text"], "We love the widget");

    let removed = server
        .send(server.request(Method::DELETE, "/api/trackers/Widgets").bearer_auth(&marketing))
        .await
        .expect_ok();
    assert!(!removed["trackers"].as_array().unwrap().iter().any(|t| t["name"] == "Widgets"));
    server
        .send(server.request(Method::DELETE, "/api/trackers/Widgets").bearer_auth(&marketing))
        .await
        .expect_error(404, "not_found");
}

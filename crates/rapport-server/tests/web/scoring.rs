//! The scoring page over plain HTTP: drafting a lead definition from the web (a bad line is
//! named and the text kept; a good one is listed), both teams approving it into the active
//! version, refusals (no CSRF token, a second approval by the same side, a rep drafting), the
//! diff and backtest views, the model charts, and the grade drill-down limited to a rep's
//! own leads.

use rapport_domain::EmailAddress;
use rapport_store::DefinitionStatus;
use reqwest::StatusCode;

use crate::flows::{login, Session};
use crate::workspace::Workspace;

async fn page(session: &Session, path: &str) -> (StatusCode, String) {
    let response = session.get(path).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

async fn post(session: &Session, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String, String) {
    let mut form: Vec<(&str, &str)> = vec![("csrf", session.csrf.as_str())];
    form.extend_from_slice(fields);
    let response = session.post(path).form(&form).send().await.unwrap();
    let location =
        response.headers().get("location").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (response.status(), location, response.text().await.unwrap())
}

/// The active document with its MQL threshold line replaced.
fn with_threshold(document: &str, line: &str) -> String {
    let current = document.lines().find(|l| l.starts_with("mql_threshold")).expect("a threshold line");
    document.replacen(current, line, 1)
}

#[tokio::test]
async fn marketing_drafts_a_version_and_both_teams_approve_it() {
    let ws = Workspace::start().await;
    let store = &*ws.store;
    let active =
        store.definition_versions().unwrap().into_iter().find(|v| v.status == DefinitionStatus::Active);
    let active = active.expect("the workspace approved version 1");
    let marketing = login(&ws, &ws.fx.marketing).await;

    // The page, with the model's charts from the workspace's trained model.
    let (status, html) = page(&marketing, "/scoring").await;
    assert_eq!(status, StatusCode::OK);
    for id in [
        "id=\"versions\"",
        "id=\"calibration\"",
        "id=\"lift\"",
        "id=\"auc-history\"",
        "id=\"grades\"",
        "id=\"histogram\"",
        "id=\"draft\"",
    ] {
        assert!(html.contains(id), "/scoring lacks {id}");
    }
    assert!(html.contains("class=\"diagonal\""), "the calibration chart draws the diagonal");

    // A bad line: the error names it, the text comes back as typed, nothing is stored.
    let broken = with_threshold(&active.document, "mql_threshold = -1");
    let line = broken.lines().position(|l| l == "mql_threshold = -1").unwrap() + 1;
    let (status, _, html) =
        post(&marketing, "/scoring/definitions", &[("document", broken.as_str()), ("comment", "too eager")])
            .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains(&format!("line {line}, field `mql_threshold`")), "the error names the line");
    assert!(html.contains("mql_threshold = -1") && html.contains("value=\"too eager\""), "the text is kept");
    assert_eq!(store.definition_versions().unwrap().len(), 1, "nothing stored");

    // Without the CSRF token: refused, nothing stored.
    let good = with_threshold(&active.document, "mql_threshold = 55");
    let refused = marketing
        .post("/scoring/definitions")
        .form(&[("document", good.as_str()), ("comment", "no token")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(store.definition_versions().unwrap().len(), 1, "nothing stored");

    // A good draft is stored, listed and audited.
    let (status, location, _) = post(
        &marketing,
        "/scoring/definitions",
        &[("document", good.as_str()), ("comment", "A lower threshold")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.starts_with("/scoring?done="), "{location}");
    let (_, html) = page(&marketing, &location).await;
    assert!(html.contains("Draft version 2 stored"), "the message shows");
    let row = html.split("id=\"version-2\"").nth(1).expect("version 2 is listed");
    let row = row.split("</tr>").next().unwrap();
    assert!(
        row.contains("draft") && row.contains("A lower threshold") && row.contains(&ws.fx.marketing),
        "{row}"
    );

    // The diff, by either spelling of the URL, and the backtest.
    for path in ["/scoring?diff=1..2", "/scoring?a=1&b=2"] {
        let (status, html) = page(&marketing, path).await;
        assert_eq!(status, StatusCode::OK);
        let current = active.document.lines().find(|l| l.starts_with("mql_threshold")).unwrap();
        assert!(
            html.contains(&format!("<span class=\"removed\">- {current}</span>")),
            "{path}: removed line"
        );
        assert!(html.contains("<span class=\"added\">+ mql_threshold = 55</span>"), "{path}: added line");
        assert!(html.contains("Lines added: 1, removed: 1."), "{path}");
    }
    assert_eq!(page(&marketing, "/scoring?diff=1..9").await.0, StatusCode::NOT_FOUND);
    assert_eq!(page(&marketing, "/scoring?diff=one").await.0, StatusCode::BAD_REQUEST);
    let (status, html) = page(&marketing, "/scoring?backtest=2").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("id=\"backtest-chart\"") && html.contains("id=\"backtest-total\""),
        "the backtest renders"
    );
    assert!(html.contains("active definition"), "next to the active version");

    // Marketing approves; approving again is refused on the page; the manager makes it active.
    let (status, location, _) = post(&marketing, "/scoring/definitions/2/approve", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(page(&marketing, &location).await.1.contains("once sales approves"), "{location}");
    let (status, _, html) = post(&marketing, "/scoring/definitions/2/approve", &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("id=\"approval-error\"") && html.contains("already approved"),
        "the refusal is shown"
    );
    assert_eq!(post(&marketing, "/scoring/definitions/99/approve", &[]).await.0, StatusCode::NOT_FOUND);
    // An admin is offered the side and must name it.
    let admin = login(&ws, &ws.fx.admin).await;
    assert!(page(&admin, "/scoring").await.1.contains("name=\"side\""), "admins pick a side");
    let (status, _, html) = post(&admin, "/scoring/definitions/2/approve", &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("say which (marketing or sales)"), "the admin is told to name the side");
    let manager = login(&ws, &ws.fx.manager).await;
    assert!(!page(&manager, "/scoring").await.1.contains("name=\"side\""), "others approve for their team");
    let (status, location, _) = post(&manager, "/scoring/definitions/2/approve", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(page(&manager, &location).await.1.contains("it is now the active definition"), "{location}");
    let versions = store.definition_versions().unwrap();
    let statuses: Vec<DefinitionStatus> = versions.iter().map(|v| v.status).collect();
    assert_eq!(statuses, [DefinitionStatus::Retired, DefinitionStatus::Active]);

    let log = rapport_app::audit::list(store, Some("definition.".into()), 10).unwrap();
    let actions: Vec<(&str, &str)> =
        log.iter().map(|r| (r.entry.action.as_str(), r.entry.actor_label.as_str())).collect();
    assert_eq!(
        &actions[..3],
        [
            ("definition.approve", ws.fx.manager.as_str()),
            ("definition.approve", ws.fx.marketing.as_str()),
            ("definition.draft", ws.fx.marketing.as_str()),
        ]
    );
}

#[tokio::test]
async fn a_rep_reads_scores_but_drafts_nothing_and_sees_only_their_leads() {
    let ws = Workspace::start().await;
    let store = &*ws.store;
    let rep = login(&ws, &ws.fx.rep).await;
    let (status, html) = page(&rep, "/scoring").await;
    assert_eq!(status, StatusCode::OK, "reps may read reports");
    assert!(!html.contains("id=\"draft\""), "no draft form for a rep");
    let (_, document) = rapport_app::scoring::definitions::active_document(store).unwrap();
    let (status, _, _) = post(&rep, "/scoring/definitions", &[("document", document.as_str())]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "reps do not draft");
    assert_eq!(store.definition_versions().unwrap().len(), 1);

    // The grade of the rep's own lead: marketing sees everyone with it, the rep only theirs.
    let lead = store.person_by_email(&EmailAddress::parse(&ws.fx.lead).unwrap()).unwrap().unwrap();
    let grade = store.person_score(lead.person.id).unwrap().expect("the lead is scored").grade;
    let path = format!("/scoring?grade={grade}");
    let (_, mine) = page(&rep, &path).await;
    let table =
        mine.split("id=\"scoring-people\"").nth(1).expect("the list shows").split("</table>").next().unwrap();
    let rows: Vec<&str> = table.split("<tr>").skip(2).collect();
    assert!(!rows.is_empty(), "the rep's own lead is listed");
    assert!(table.contains(&ws.fx.lead), "{table}");
    assert!(
        rows.iter().all(|row| row.contains(&format!("<td>{}</td>", ws.fx.rep))),
        "only the rep's leads: {table}"
    );
    let marketing = login(&ws, &ws.fx.marketing).await;
    let (_, everyone) = page(&marketing, &path).await;
    let count = |html: &str| -> usize {
        let summary = html.split("id=\"scoring-people-summary\"><strong>").nth(1).unwrap();
        summary.split('<').next().unwrap().replace(',', "").parse().unwrap()
    };
    assert!(count(&everyone) > count(&mine), "marketing sees more people with grade {grade}");
    assert_eq!(page(&rep, "/scoring?grade=Z").await.0, StatusCode::BAD_REQUEST);
}

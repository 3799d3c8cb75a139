//! The content page, tracker administration and the account page over plain HTTP: figures and
//! drill-downs, form posts with and without CSRF, errors that name the field, the audit log and
//! the queued re-analysis, refusals by role, and hostile titles shown as text.

use rapport_domain::JobStatus;
use rapport_store::JobQuery;
use reqwest::StatusCode;

use crate::flows::{login, Session};
use crate::workspace::{Workspace, UNUSED_CONTENT, USED_CONTENT};

async fn html(session: &Session, path: &str) -> (StatusCode, String) {
    let response = session.get(path).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

/// The table row whose first cell links to `href`.
fn row_of<'a>(html: &'a str, href: &str) -> &'a str {
    let link = format!("href=\"{href}\"");
    let at = html.find(&link).unwrap_or_else(|| panic!("no link to {href}"));
    let start = html[..at].rfind("<tr").unwrap();
    let end = at + html[at..].find("</tr>").unwrap();
    &html[start..end]
}

#[tokio::test]
async fn the_content_page_counts_calls_lists_unused_content_and_drills_down() {
    let ws = Workspace::start().await;
    let marketing = login(&ws, &ws.fx.marketing).await;
    let (status, page) = html(&marketing, "/content").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let drill = format!("/calls?content={}", ws.fx.used_content);
    let table = &page[page.find("id=\"content-used\"").expect("the table of used content")..];
    let row = row_of(table, &drill);
    assert!(row.contains(USED_CONTENT), "{row}");
    assert!(row.contains("<td class=\"num\">1</td>"), "one call names it: {row}");
    let rep =
        ws.store.user_by_email(&rapport_domain::EmailAddress::parse(&ws.fx.rep).unwrap()).unwrap().unwrap();
    assert!(row.contains(&rep.record.name), "the rep who used it is named: {row}");
    assert!(page.matches(&format!("href=\"{drill}\"")).count() >= 2, "the chart's bar and the table link");
    let unused = &page[page.find("id=\"unused\"").expect("the unused list")..];
    assert!(unused.contains("Zebra &lt;script&gt;window.__xss = 3&lt;/script&gt; Almanac"), "{unused}");
    assert!(!page.contains("<script>window.__xss"), "a content title is text, never markup");
    assert!(!unused.contains(USED_CONTENT), "a used item is not listed as unused");
    assert!(!page.contains(UNUSED_CONTENT));

    let (status, calls) = html(&marketing, &drill).await;
    assert_eq!(status, StatusCode::OK);
    assert!(calls.contains(&format!("href=\"/calls/{}\"", ws.fx.content_call)), "{calls}");
    assert!(calls.contains("1 calls"), "only the call that names it: {calls}");
    assert!(!calls.contains(&format!("href=\"/calls/{}\"", ws.fx.other_call)));
    let (_, by_title) = html(&marketing, "/calls?content=northwind%20roi%20study").await;
    assert!(by_title.contains(&format!("href=\"/calls/{}\"", ws.fx.content_call)), "a title works too");

    // A period without the call has no use of it, and the item shows as unused.
    let (_, old) = html(&marketing, "/content?from=2001-01-01&to=2001-12-31").await;
    let unused = &old[old.find("id=\"unused\"").unwrap()..];
    assert!(unused.contains(USED_CONTENT), "{unused}");
    let (status, bad) = html(&marketing, "/content?from=yesterday").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(bad.contains("from"), "{bad}");
}

#[tokio::test]
async fn figures_count_only_the_calls_the_viewer_may_see() {
    let ws = Workspace::start().await;
    let rep = login(&ws, &ws.fx.rep).await;
    let (status, page) = html(&rep, "/content").await;
    assert_eq!(status, StatusCode::OK);
    let rep_calls = ws
        .store
        .list_calls(&rapport_store::CallQuery::default())
        .unwrap()
        .into_iter()
        .filter(|call| {
            call.rep_id
                .is_some_and(|id| ws.store.user(id).unwrap().unwrap().record.email.as_str() == ws.fx.rep)
        })
        .count();
    let analysed = ws.store.content_call_facts(&Default::default()).unwrap().len();
    let summary = &page[page.find("id=\"content-summary\"").unwrap()..];
    let counted: usize =
        summary.split('>').nth(1).unwrap().split_whitespace().next().unwrap().parse().unwrap();
    assert!(counted <= rep_calls && counted > 0, "{counted} of the rep's {rep_calls} calls");
    assert!(counted < analysed, "other reps' calls are not counted: {counted} of {analysed}");
}

fn tracker_toml(name: &str, phrase: &str) -> String {
    format!("[[tracker]]\nname = \"{name}\"\nphrases = [\"{phrase}\"]\nside = \"customer\"\n")
}

#[tokio::test]
async fn trackers_are_added_tested_audited_and_removed_from_the_admin_page() {
    let ws = Workspace::start().await;
    let admin = login(&ws, &ws.fx.admin).await;
    let (status, page) = html(&admin, "/admin/trackers").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Pricing") && page.contains("default"), "the defaults are listed");
    let (_, admin_page) = html(&admin, "/admin").await;
    assert!(admin_page.contains("href=\"/admin/trackers\""), "linked from the admin page");

    let hostile = "Zebra <script>window.__xss = 4</script>";
    let toml = tracker_toml(hostile, "zebra crossing");
    let queued_before = analyze_jobs(&ws);
    let saved = admin
        .post("/admin/trackers")
        .form(&[("csrf", admin.csrf.as_str()), ("toml", toml.as_str()), ("transcript", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let (_, page) = html(&admin, "/admin/trackers").await;
    assert!(page.contains("Zebra &lt;script&gt;window.__xss = 4&lt;/script&gt;"), "listed as text");
    assert!(!page.contains("<script>window.__xss"));
    assert!(page.contains("zebra crossing") && page.contains("customer"));
    assert!(analyze_jobs(&ws) >= 1, "a re-analysis is queued (there were {queued_before})");
    let (_, audit) = html(&admin, "/admin/audit").await;
    assert!(audit.contains("tracker.put") && audit.contains("Zebra &lt;script&gt;"), "audited");

    // Trying the stored trackers on pasted lines finds the new one; nothing is saved.
    let tried = admin
        .post("/admin/trackers/test")
        .form(&[
            ("csrf", admin.csrf.as_str()),
            ("toml", ""),
            ("transcript", "Rep: hello\nCustomer: we stopped at the zebra crossing"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(tried.status(), StatusCode::OK);
    let tried = tried.text().await.unwrap();
    let hits = &tried[tried.find("id=\"test-hits\"").expect("hits listed")..];
    assert!(hits.contains("line 2") && hits.contains("zebra crossing"), "{hits}");

    let removed = admin
        .post("/admin/trackers/remove")
        .form(&[("csrf", admin.csrf.as_str()), ("name", hostile)])
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    let (_, page) = html(&admin, "/admin/trackers").await;
    assert!(!page.contains("Zebra &lt;script&gt;"), "removed");
    let (_, audit) = html(&admin, "/admin/audit").await;
    assert!(audit.contains("tracker.remove"));
}

fn analyze_jobs(ws: &Workspace) -> usize {
    let query =
        JobQuery { kind: Some("analyze".into()), status: Some(JobStatus::Queued), ..Default::default() };
    ws.store.list_jobs(&query).unwrap().into_iter().filter(|job| job.call_id.is_none()).count()
}

#[tokio::test]
async fn bad_trackers_name_the_field_keep_the_text_and_store_nothing() {
    let ws = Workspace::start().await;
    let manager = login(&ws, &ws.fx.manager).await;
    let before = ws.store.tracker_set().unwrap();
    let bad = "[[tracker]]\nname = \"Half done\"\nside = \"customer\"\n";
    let response = manager
        .post("/admin/trackers")
        .form(&[("csrf", manager.csrf.as_str()), ("toml", bad)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let page = response.text().await.unwrap();
    let error = &page[page.find("id=\"tracker-error\"").expect("the error is shown")..];
    let error = &error[..error.find("</p>").unwrap()];
    assert!(error.contains("phrases") && error.contains("line"), "names the field and line: {error}");
    assert!(page.contains("name = &quot;Half done&quot;"), "the text is kept");
    assert_eq!(ws.store.tracker_set().unwrap(), before, "nothing stored");

    let without_csrf = manager
        .post("/admin/trackers")
        .form(&[("toml", tracker_toml("Sneaky", "sneak").as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(without_csrf.status(), StatusCode::FORBIDDEN);
    assert_eq!(ws.store.tracker_set().unwrap(), before, "nothing stored without the token");

    let rep = login(&ws, &ws.fx.rep).await;
    assert_eq!(rep.get("/admin/trackers").send().await.unwrap().status(), StatusCode::FORBIDDEN);
    let posted = rep
        .post("/admin/trackers")
        .form(&[("csrf", rep.csrf.as_str()), ("toml", tracker_toml("Mine", "mine").as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::FORBIDDEN);
    assert_eq!(ws.store.tracker_set().unwrap(), before);
}

#[tokio::test]
async fn the_account_page_lists_its_people_deals_and_calls() {
    let ws = Workspace::start().await;
    let mut deals = Vec::new();
    ws.store
        .export_opportunities(&mut |deal| {
            deals.push(deal);
            Ok(())
        })
        .unwrap();
    let deal = deals
        .into_iter()
        .find(|d| d.account_id.is_some() && d.record.primary_contact.is_some())
        .expect("the demo has deals at accounts");
    let mut domain = None;
    ws.store
        .export_accounts(&mut |account| {
            if Some(account.id) == deal.account_id {
                domain = account.record.domain.clone();
            }
            Ok(())
        })
        .unwrap();
    let domain = domain.expect("the account has a domain");
    let contact = deal.record.primary_contact.clone().unwrap();
    let marketing = login(&ws, &ws.fx.marketing).await;
    let (status, page) = html(&marketing, &format!("/accounts/{domain}")).await;
    assert_eq!(status, StatusCode::OK);
    let people = &page[page.find("id=\"people\"").unwrap()..page.find("id=\"deals\"").unwrap()];
    assert!(people.contains(&format!("/people/{}", contact.as_str().replace('@', "%40"))), "{people}");
    let deals = &page[page.find("id=\"deals\"").unwrap()..page.find("id=\"calls\"").unwrap()];
    assert!(deals.contains(&deal.record.name), "{deals}");
    assert!(deals.contains(&deal.record.stage));
    assert!(page.contains("id=\"touches\""));

    let (status, _) = html(&marketing, "/accounts/no-such-domain.example").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

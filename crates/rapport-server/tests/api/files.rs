//! CSV import (the request body, streamed to disk) and export (streamed back) through the API.

use reqwest::Method;

use crate::schema;
use crate::support::TestServer;

const PEOPLE: &str = "\
email,first_name,source,created_at
ana@acme.com,Ana,paid_search,2025-01-05
not-an-email,Bo,events,2025-01-06
cy@acme.com,Cy,organic,someday
dee@acme.com,Dee,partner,2025-01-07
";

async fn import(server: &TestServer, token: &str, path: &str, csv: &str) -> crate::support::Answer {
    let request = server.request(Method::POST, path).bearer_auth(token).header("content-type", "text/csv");
    server.send(request.body(csv.to_owned())).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_rows_are_reported_by_line_and_column_while_the_rest_goes_in() {
    let server = TestServer::start().await;
    let token = server.user("marketing@rapport.test", "marketing");
    let summary = import(&server, &token, "/api/imports/people", PEOPLE).await.expect_ok();
    schema::check(&summary, "ImportSummary");
    insta::assert_json_snapshot!("import_people_with_bad_rows", summary);
    assert_eq!((summary["inserted"].as_u64(), summary["failed"].as_u64()), (Some(2), Some(2)));
    assert_eq!(
        (summary["errors"][0]["line"].as_u64(), summary["errors"][0]["column"].as_str()),
        (Some(3), Some("email"))
    );
    // Re-importing changes nothing.
    let again = import(&server, &token, "/api/imports/contacts", PEOPLE).await.expect_ok();
    assert_eq!((again["unchanged"].as_u64(), again["inserted"].as_u64()), (Some(2), Some(0)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strict_imports_write_nothing_when_a_row_is_bad() {
    let server = TestServer::start().await;
    let token = server.user("admin@rapport.test", "admin");
    let body = import(&server, &token, "/api/imports/people?strict=true", PEOPLE)
        .await
        .expect_error(422, "import_rolled_back");
    assert!(body["message"].as_str().unwrap().contains("line 3, column \"email\""), "{body}");
    schema::check(&body["details"], "ImportSummary");
    assert_eq!(body["details"]["rolled_back"], true);
    let people = server.get("/api/people", &token).await.expect_ok();
    assert_eq!(people, serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_that_cannot_be_imported_say_why_without_server_paths() {
    let server = TestServer::start().await;
    let token = server.user("admin@rapport.test", "admin");
    let body = import(&server, &token, "/api/imports/people", "name,created_at\nAna,2025-01-01\n").await;
    let body = body.expect_error(422, "invalid_csv");
    insta::assert_json_snapshot!("import_without_email_column", body);
    let body = import(&server, &token, "/api/imports/people", "").await.expect_error(422, "invalid_csv");
    assert!(body["message"].as_str().unwrap().starts_with("the uploaded CSV is empty"), "{body}");
    import(&server, &token, "/api/imports/planets", PEOPLE).await.expect_error(404, "not_found");
    let body = import(&server, &token, "/api/imports/people?preset=pipedrive", PEOPLE)
        .await
        .expect_error(422, "invalid_value");
    assert_eq!(body["field"], "preset");
    let rep = server.user("rep@rapport.test", "sales_rep");
    import(&server, &rep, "/api/imports/people", PEOPLE).await.expect_error(403, "forbidden");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_stream_csv_that_imports_back() {
    let server = TestServer::start().await;
    let token = server.user("marketing@rapport.test", "marketing");
    import(&server, &token, "/api/imports/people", PEOPLE).await.expect_ok();
    let answer = server.get("/api/exports/people", &token).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(answer.headers["content-disposition"], "attachment; filename=\"people.csv\"");
    let mut lines = answer.text.lines();
    assert!(lines.next().unwrap().starts_with("email,first_name,"), "{}", answer.text);
    assert_eq!(lines.filter(|line| line.contains("@acme.com")).count(), 2, "{}", answer.text);
    let summary = import(&server, &token, "/api/imports/people", &answer.text).await.expect_ok();
    assert_eq!((summary["unchanged"].as_u64(), summary["failed"].as_u64()), (Some(2), Some(0)), "{summary}");
    server.get("/api/exports/planets", &token).await.expect_error(404, "not_found");
    let empty = server.get("/api/exports/campaigns", &token).await;
    assert_eq!((empty.status.as_u16(), empty.text.lines().count()), (200, 1), "{}", empty.text);
}

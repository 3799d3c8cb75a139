//! The team page over HTTP: a manager sees every rep's row beside the team average, each rep
//! linking to their calls; a rep sees only their own row; filters come from the URL.

use reqwest::StatusCode;

use crate::flows::login;
use crate::workspace::Workspace;

fn rows(html: &str) -> Vec<String> {
    html.split("data-email=\"").skip(1).map(|rest| rest.split('"').next().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_manager_sees_the_reps_and_the_team_average_and_a_rep_only_themselves() {
    let ws = Workspace::start().await;
    let manager = login(&ws, &ws.fx.manager).await;
    let response = manager.get("/team").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    let reps = rows(&html);
    assert!(reps.len() >= 2, "the demo's reps with analysed calls: {reps:?}");
    assert!(reps.contains(&ws.fx.rep), "{reps:?}");
    assert!(html.contains("Team average"), "the team average row");
    assert!(
        html.contains(&format!("href=\"/calls?rep={}", ws.fx.rep.replace('@', "%40"))),
        "a rep opens their calls"
    );
    assert!(html.contains("id=\"trend-team\""), "the team's trend chart");

    let html = manager.get("/team?stat=patience_s&by=week").send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Patience by week"), "the chosen stat and period come from the URL");
    let bad = manager.get("/team?stat=charm").send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(bad.text().await.unwrap().contains("stat"), "the error names the field");

    let rep = login(&ws, &ws.fx.rep).await;
    let html = rep.get("/team").send().await.unwrap().text().await.unwrap();
    assert_eq!(rows(&html), [ws.fx.rep.as_str()], "a rep gets only their own row");
    assert!(!html.contains("Team average") && html.contains("All your calls"));
    let others = rep.get(&format!("/team?rep={}", ws.fx.manager)).send().await.unwrap();
    assert_eq!(others.status(), StatusCode::FORBIDDEN);
}

//! Target accounts: accounts ranked by their best lead's predicted likelihood, then by
//! intent, with the reasons for each rank (the same list as `rapport accounts top`).

use axum::extract::{Query, State};
use axum::response::Html;
use maud::html;
use rapport_app::permissions::Action;
use rapport_app::scoring::accounts::top_cached;
use serde::Deserialize;

use crate::format::query_escape;
use crate::layout::page as layout;
use crate::session::Viewer;
use crate::{PageError, WebState};

/// Accounts shown unless `?limit=` asks for another number (at most 500).
const DEFAULT_LIMIT: usize = 50;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct AccountsQuery {
    limit: Option<usize>,
}

pub(crate) async fn page(
    viewer: Viewer,
    State(state): State<WebState>,
    Query(query): Query<AccountsQuery>,
) -> Result<Html<String>, PageError> {
    viewer.require(Action::ReadLeads)?;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, 500);
    let user = viewer.user.clone();
    let cache = std::sync::Arc::clone(&state.reports);
    let accounts = state.run(move |store| Ok(top_cached(store, &cache, &user, limit)?)).await?;
    let content = html! {
        p.muted { "Ranked by the best lead's predicted likelihood, then by intent (the account's people's engagement). Fit is the best person's fit." }
        div.table-wrap {
            table #target-accounts {
                thead { tr { th { "#" } th { "Account" } th { "Industry" } th { "People" } th { "Qualified" } th { "Fit" } th { "Intent" } th { "Likelihood" } th { "Why" } } }
                tbody {
                    @for account in &accounts {
                        tr {
                            td { (account.rank) }
                            td {
                                @if let Some(domain) = &account.domain {
                                    a href=(format!("/accounts/{}", query_escape(domain))) { (account.name) }
                                } @else { (account.name) }
                            }
                            td { (account.industry.as_deref().unwrap_or("–")) }
                            td { (account.people) }
                            td { (account.qualified) }
                            td { (format!("{:.0}", account.fit)) }
                            td { (format!("{:.0}", account.intent)) }
                            td { (account.likelihood.map_or("–".to_owned(), |p| format!("{:.0}%", p * 100.0))) }
                            td { ul.reasons { @for reason in &account.reasons { li { (reason) } } } }
                        }
                    }
                }
            }
        }
    };
    Ok(Html(layout(&viewer, "Target accounts", "/accounts", &[], content).into_string()))
}

//! A person's page (stage history, touches, calls, deals); the account's page is `account`.
//! A rep sees only the people they own.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Html;
use maud::html;
use rapport_app::leads::{self, LeadDetails};
use rapport_app::permissions::{self, Action};
use rapport_domain::{Account, Call, FactsFilter, OpportunityFact};
use rapport_store::{CallQuery, Store};

use crate::format::{clock, date, date_time, money, query_escape};
use crate::layout::page as layout;
use crate::session::Viewer;
use crate::{PageError, WebState};

struct PersonPage {
    details: LeadDetails,
    calls: Vec<Call>,
    deals: Vec<OpportunityFact>,
    actors: Vec<(i64, String)>,
}

fn visible_calls(store: &dyn Store, viewer: &Viewer, query: CallQuery) -> Result<Vec<Call>, PageError> {
    let scope = permissions::scope(store, &viewer.user)?;
    Ok(store.list_calls(&query)?.into_iter().filter(|call| scope.allows(call.rep_id)).collect())
}

pub(crate) async fn person(
    viewer: Viewer,
    State(state): State<WebState>,
    Path(email): Path<String>,
) -> Result<Html<String>, PageError> {
    viewer.require(Action::ReadLeads)?;
    let (for_load, cache) = (viewer.clone(), Arc::clone(&state.reports));
    let page = state
        .run(move |store| {
            let details = leads::show(store, &email)?;
            permissions::check_person(store, &for_load.user, &details.person)?;
            let id = details.person.person.id;
            let calls =
                visible_calls(store, &for_load, CallQuery { person: Some(id), ..Default::default() })?;
            // Deals come from the report facts the server keeps in memory: the store has no
            // per-person deal query, and the unfiltered facts are usually warm.
            let facts = cache.funnel_facts(store, &FactsFilter::default())?;
            let deals = facts
                .opportunities
                .iter()
                .filter(|deal| deal.primary_contact == Some(id) || deal.contacts.contains(&id))
                .cloned()
                .collect();
            let actors =
                store.list_users()?.into_iter().map(|u| (u.id.0, u.record.email.to_string())).collect();
            Ok::<_, PageError>(PersonPage { details, calls, deals, actors })
        })
        .await?;
    let person = &page.details.person;
    let record = &person.person.record;
    let actor = |actor: &rapport_domain::Actor| match actor {
        rapport_domain::Actor::User { id } => page
            .actors
            .iter()
            .find(|(known, _)| *known == id.0)
            .map_or_else(|| format!("user {}", id.0), |(_, e)| e.clone()),
        rapport_domain::Actor::System => "Rapport".to_owned(),
    };
    let name = format!(
        "{} {}",
        record.first_name.as_deref().unwrap_or(""),
        record.last_name.as_deref().unwrap_or("")
    );
    let content = html! {
        p.muted {
            (record.email.as_str())
            @if let Some(title) = &record.title { " · " (title) }
            @if let Some(account) = &person.account { " · " (account_link(account)) }
            " · stage " strong { (person.stage.map_or("–", |s| s.as_str())) }
            " · owner " (person.owner_email.as_deref().unwrap_or("–"))
            " · source " (record.source.as_deref().unwrap_or("–"))
        }
        div.grid {
            section.card #history {
                h2 { "Stage history" }
                table {
                    thead { tr { th { "When" } th { "Stage" } th { "By" } th { "Reason / note" } } }
                    tbody {
                        @for event in page.details.history.iter().rev() {
                            tr {
                                td { (date_time(event.at)) }
                                td { (event.from.map_or("", |s| s.as_str())) " → " strong { (event.to.as_str()) } }
                                td { (actor(&event.actor)) " via " (event.source.as_str()) }
                                td { (event.reason.as_deref().unwrap_or("")) " " (event.note.as_deref().unwrap_or("")) }
                            }
                        }
                    }
                }
            }
            section.card #touches {
                h2 { "Recent touches" }
                table {
                    thead { tr { th { "When" } th { "Touch" } th { "Campaign / content" } } }
                    tbody {
                        @for touch in &page.details.touches {
                            tr {
                                td { (date(touch.occurred_at)) }
                                td { (format!("{:?}", touch.kind).to_lowercase()) }
                                td { (touch.campaign.as_deref().unwrap_or("")) " " (touch.content_url.as_deref().unwrap_or("")) }
                            }
                        }
                    }
                }
            }
            section.card #calls {
                h2 { "Calls" }
                (calls_table(&page.calls))
            }
            section.card #deals {
                h2 { "Opportunities" }
                @if page.deals.is_empty() { p.muted { "No deals." } }
                @else {
                    table {
                        thead { tr { th { "Deal" } th { "Created" } th.num { "Amount" } th { "Outcome" } } }
                        tbody {
                            @for deal in &page.deals {
                                tr {
                                    td { (deal.name) }
                                    td { (date(deal.created_at)) }
                                    td.num { (money(&[(deal.currency.clone(), deal.amount_cents)].into_iter().collect())) }
                                    td { (format!("{:?}", deal.outcome).to_lowercase()) @if let Some(reason) = &deal.lost_reason { " (" (reason) ")" } }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    let title = if name.trim().is_empty() { record.email.to_string() } else { name.trim().to_owned() };
    Ok(Html(layout(&viewer, &title, "/people", &[], content).into_string()))
}

fn account_link(account: &Account) -> maud::Markup {
    html! {
        @if let Some(domain) = &account.record.domain {
            a href=(format!("/accounts/{}", query_escape(domain))) { (account.record.name) }
        } @else {
            (account.record.name)
        }
    }
}

pub(super) fn calls_table(calls: &[Call]) -> maud::Markup {
    html! {
        @if calls.is_empty() { p.muted { "No calls you may see." } }
        @else {
            table {
                thead { tr { th { "Call" } th { "Started" } th.num { "Length" } } }
                tbody {
                    @for call in calls {
                        tr {
                            td { a href=(format!("/calls/{}", call.id.0)) { (call.record.title) } }
                            td { (date_time(call.record.started_at)) }
                            td.num { (call.record.duration_ms.map(clock).unwrap_or_default()) }
                        }
                    }
                }
            }
        }
    }
}

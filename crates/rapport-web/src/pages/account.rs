//! An account's page: its facts, its people (stage, score and grade, owner), its deals (stage,
//! amount, dates, outcome), its calls and the latest touches of its people. Visibility holds
//! as everywhere: a rep sees the people they own, the deals they own or whose contact they
//! own, and their own calls; managers their team's; marketing and admins everything.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::response::Html;
use maud::{html, Markup};
use rapport_app::permissions::{self, Action, Scope};
use rapport_domain::{Account, Call, EmailAddress, Opportunity, TouchKind, UserId};
use rapport_store::{CallQuery, PersonScore, PersonView, Store, TouchView};

use super::people::calls_table;
use crate::format::{date, money, query_escape};
use crate::layout::page as layout;
use crate::session::Viewer;
use crate::{PageError, WebState};

/// People listed on one page; a bigger account says how many more there are.
const PEOPLE: u32 = 200;
/// Touches in the timeline, newest first, from at most this many people.
const TOUCHES: usize = 40;
const TOUCHING_PEOPLE: usize = 50;

struct AccountPage {
    account: Account,
    people: Vec<(PersonView, Option<PersonScore>)>,
    hidden_people: usize,
    deals: Vec<Opportunity>,
    calls: Vec<Call>,
    touches: Vec<TouchView>,
}

fn load(store: &dyn Store, viewer: &Viewer, domain: &str) -> Result<AccountPage, PageError> {
    let account = store
        .account_by_domain(&domain.to_lowercase())?
        .ok_or_else(|| PageError::NotFound(format!("no account with the domain `{domain}`")))?;
    let scope = permissions::scope(store, &viewer.user)?;
    let users: HashMap<String, UserId> =
        store.list_users()?.into_iter().map(|u| (u.record.email.to_string(), u.id)).collect();
    let visible_owner = |email: Option<&str>| {
        matches!(scope, Scope::Everything)
            || scope.allows(
                email.and_then(|e| EmailAddress::parse(e).ok()).and_then(|e| users.get(e.as_str()).copied()),
            )
    };
    let everyone = store.account_people(account.id, PEOPLE)?;
    let total = everyone.len();
    let mut people = Vec::new();
    for person in everyone.into_iter().filter(|p| visible_owner(p.owner_email.as_deref())) {
        let score = store.person_score(person.person.id)?;
        people.push((person, score));
    }
    let hidden_people = total - people.len();
    let visible_emails: Vec<&str> = people.iter().map(|(p, _)| p.person.record.email.as_str()).collect();
    let deals = store
        .account_opportunities(account.id)?
        .into_iter()
        .filter(|deal| {
            visible_owner(deal.record.owner_email.as_ref().map(EmailAddress::as_str))
                || deal.record.primary_contact.as_ref().is_some_and(|c| visible_emails.contains(&c.as_str()))
        })
        .collect();
    let calls = store
        .list_calls(&CallQuery { account: Some(account.id), ..Default::default() })?
        .into_iter()
        .filter(|call| scope.allows(call.rep_id))
        .collect();
    let mut touches = Vec::new();
    for (person, _) in people.iter().take(TOUCHING_PEOPLE) {
        touches.extend(store.recent_touches(person.person.id, TOUCHES as u32)?);
    }
    touches.sort_by(|a, b| b.occurred_at.cmp(&a.occurred_at).then(b.id.cmp(&a.id)));
    touches.truncate(TOUCHES);
    Ok(AccountPage { account, people, hidden_people, deals, calls, touches })
}

pub(crate) async fn page(
    viewer: Viewer,
    State(state): State<WebState>,
    Path(domain): Path<String>,
) -> Result<Html<String>, PageError> {
    viewer.require(Action::ReadLeads)?;
    let for_load = viewer.clone();
    let page = state.run(move |store| load(store, &for_load, &domain)).await?;
    let record = &page.account.record;
    let content = html! {
        p.muted {
            (record.domain.as_deref().unwrap_or(""))
            @if let Some(industry) = &record.industry { " · " (industry) }
            @if let Some(employees) = record.employees { " · " (employees) " employees" }
            @if let Some(country) = &record.country { " · " (country) }
        }
        div.grid {
            section.card #people { h2 { "People" } (people_table(&page)) }
            section.card #deals { h2 { "Opportunities" } (deals_table(&page.deals)) }
            section.card #calls { h2 { "Calls" } (calls_table(&page.calls)) }
            section.card #touches { h2 { "Latest touches" } div.table-wrap { (touches_table(&page.touches)) } }
        }
    };
    Ok(Html(layout(&viewer, &record.name, "/people", &[], content).into_string()))
}

fn full_name(person: &PersonView) -> String {
    let record = &person.person.record;
    let name = format!(
        "{} {}",
        record.first_name.as_deref().unwrap_or(""),
        record.last_name.as_deref().unwrap_or("")
    );
    if name.trim().is_empty() {
        record.email.to_string()
    } else {
        name.trim().to_owned()
    }
}

fn people_table(page: &AccountPage) -> Markup {
    html! {
        @if page.people.is_empty() { p.muted { "No people you may see." } }
        @else {
            table {
                thead { tr { th { "Person" } th { "Title" } th { "Stage" } th.num { "Score" } th { "Grade" } th { "Owner" } } }
                tbody {
                    @for (person, score) in &page.people {
                        tr {
                            td { a href=(format!("/people/{}", query_escape(person.person.record.email.as_str()))) { (full_name(person)) } }
                            td { (person.person.record.title.as_deref().unwrap_or("–")) }
                            td { (person.stage.map_or("–", |s| s.as_str())) }
                            td.num { (score.as_ref().map_or("–".to_owned(), |s| match s.probability {
                                Some(p) => format!("{:.0}%", p * 100.0),
                                None => format!("{:.0}", s.total),
                            })) }
                            td { (score.as_ref().map_or("–", |s| s.grade.as_str())) }
                            td { (person.owner_email.as_deref().unwrap_or("–")) }
                        }
                    }
                }
            }
        }
        @if page.hidden_people > 0 { p.muted { (page.hidden_people) " more people are owned by others." } }
    }
}

fn deals_table(deals: &[Opportunity]) -> Markup {
    html! {
        @if deals.is_empty() { p.muted { "No deals." } }
        @else {
            table {
                thead { tr { th { "Deal" } th { "Stage" } th.num { "Amount" } th { "Created" } th { "Closed" } th { "Outcome" } } }
                tbody {
                    @for deal in deals {
                        tr {
                            td { (deal.record.name) }
                            td { (deal.record.stage) }
                            td.num { (money(&[(deal.record.currency.clone(), deal.record.amount_cents)].into_iter().collect())) }
                            td { (date(deal.record.created_at)) }
                            td { (deal.record.close_date.map(date).unwrap_or_else(|| "–".to_owned())) }
                            td { (format!("{:?}", deal.record.outcome).to_lowercase())
                                @if let Some(reason) = &deal.record.lost_reason { " (" (reason) ")" } }
                        }
                    }
                }
            }
        }
    }
}

fn touches_table(touches: &[TouchView]) -> Markup {
    let kind = |kind: TouchKind| format!("{kind:?}").to_lowercase();
    html! {
        @if touches.is_empty() { p.muted { "No touches." } }
        @else {
            table {
                thead { tr { th { "When" } th { "Who" } th { "Touch" } th { "Campaign / content" } } }
                tbody {
                    @for touch in touches {
                        tr {
                            td { (date(touch.occurred_at)) }
                            td { (touch.email) }
                            td { (kind(touch.kind)) }
                            td { (touch.campaign.as_deref().unwrap_or("")) " " (touch.content_url.as_deref().unwrap_or("")) }
                        }
                    }
                }
            }
        }
    }
}

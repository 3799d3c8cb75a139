//! Administration: users and roles (admins), rejection reasons (admins, marketing, sales
//! managers), a link to the trackers (`admin_trackers`), CSV imports and call uploads with
//! progress (through the JSON API, from `upload.js`), and the audit log (admins). Every change
//! writes an audit entry.

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Utc;
use maud::{html, Markup};
use rapport_app::permissions::Action;
use rapport_app::{audit, passwords};
use rapport_domain::{EmailAddress, Role, UserRecord};
use rapport_store::{AuditQuery, ReasonCodeEntry, Store};
use serde::Deserialize;

use crate::format::{date_time, query_escape};
use crate::layout::{csrf_field, page as layout};
use crate::session::{Posted, Viewer};
use crate::{PageError, WebState};

const ROLES: [Role; 4] = [Role::Admin, Role::Marketing, Role::SalesManager, Role::SalesRep];
const IMPORT_KINDS: [&str; 6] = ["people", "accounts", "touches", "opportunities", "campaigns", "content"];

#[derive(Debug, Default, Deserialize)]
pub(crate) struct AdminQuery {
    done: Option<String>,
}

pub(crate) async fn page(
    viewer: Viewer,
    State(state): State<WebState>,
    Query(query): Query<AdminQuery>,
) -> Result<Html<String>, PageError> {
    viewer.require(Action::ManageReasons)?;
    let (users, reasons) =
        state.run(|store| Ok::<_, PageError>((store.list_users()?, store.rejection_reasons()?))).await?;
    let content = html! {
        @if let Some(done) = query.done.as_deref() { p.message role="status" { (done) } }
        div.grid {
            @if viewer.can(Action::ManageUsers) {
                section.card #users {
                    h2 { "Users and roles" }
                    table {
                        thead { tr { th { "User" } th { "Team" } th { "Role" } } }
                        tbody {
                            @for user in &users {
                                tr {
                                    td { (user.record.name) br; span.muted { (user.record.email.as_str()) } }
                                    td { (user.record.team.as_deref().unwrap_or("–")) }
                                    td {
                                        form.inline method="post" action="/admin/users" {
                                            (csrf_field(&viewer))
                                            input type="hidden" name="email" value=(user.record.email.as_str());
                                            input type="hidden" name="name" value=(user.record.name);
                                            input type="hidden" name="team" value=(user.record.team.as_deref().unwrap_or(""));
                                            (role_select(user.record.role))
                                            button.secondary type="submit" { "Change" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    h2 { "Add a user" }
                    form.stack #add-user method="post" action="/admin/users" {
                        (csrf_field(&viewer))
                        label { "Email" input type="email" name="email" required; }
                        label { "Name" input type="text" name="name"; }
                        label { "Team" input type="text" name="team"; }
                        label { "Role" (role_select(Role::SalesRep)) }
                        label { "Password (at least " (passwords::MIN_PASSWORD_CHARS) " characters)" input type="password" name="password" autocomplete="new-password"; }
                        button type="submit" { "Save user" }
                    }
                    p { a href="/admin/audit" { "Audit log" } }
                }
            }
            section.card #reasons {
                h2 { "Rejection reasons" }
                table {
                    thead { tr { th { "Code" } th { "Label" } } }
                    tbody { @for reason in &reasons { tr { td { code { (reason.code) } } td { (reason.label) } } } }
                }
                form.stack method="post" action="/admin/reasons" {
                    (csrf_field(&viewer))
                    label { "Code (lower case, digits, _)" input type="text" name="code" required pattern="[a-z0-9_]+"; }
                    label { "Label" input type="text" name="label" required; }
                    button type="submit" { "Save reason" }
                }
            }
            @if viewer.can(Action::DraftDefinition) {
                section.card #lead-definition {
                    h2 { "Lead definition" }
                    p { "The shared definition of a qualified lead: its versions, approvals by both teams, diffs and backtests." }
                    p { a href="/scoring#draft" { "Edit the lead definition" } " · " a href="/scoring#versions" { "Versions and approvals" } }
                }
            }
            @if viewer.can(Action::ManageTrackers) {
                section.card #trackers-admin {
                    h2 { "Trackers" }
                    p { "Keyword trackers find moments in calls (pricing, competitors, next steps). " a href="/admin/trackers" { "Manage trackers" } }
                }
            }
            @if viewer.can(Action::Import) {
                section.card #import { h2 { "Import a CSV file" } (import_form(&viewer)) }
            }
            @if viewer.can(Action::AddCalls) {
                section.card #upload-call { h2 { "Add a call" } (call_form(&viewer)) }
            }
        }
    };
    Ok(Html(layout(&viewer, "Administration", "/admin", &["upload.js"], content).into_string()))
}

fn role_select(current: Role) -> Markup {
    html! {
        select name="role" aria-label="Role" {
            @for role in ROLES {
                option value=(role.as_str()) selected[role == current] { (role.as_str().replace('_', " ")) }
            }
        }
    }
}

fn import_form(viewer: &Viewer) -> Markup {
    html! {
        form.stack.upload data-target="/api/imports/{kind}" {
            (csrf_field(viewer))
            label { "Kind" select data-path="kind" { @for kind in IMPORT_KINDS { option value=(kind) { (kind) } } } }
            label { "Preset" select data-param="preset" { option value="" { "canonical columns" } option value="hubspot" { "HubSpot" } option value="salesforce" { "Salesforce" } } }
            label { "File" input type="file" accept=".csv,text/csv" required; }
            button type="submit" { "Import" }
            progress value="0" max="1" {}
            output {}
        }
    }
}

fn call_form(viewer: &Viewer) -> Markup {
    html! {
        form.stack.upload data-target="/api/calls" data-file-param="file_name" {
            (csrf_field(viewer))
            label { "Title" input type="text" data-param="title"; }
            label { "Person (email)" input type="email" data-param="person"; }
            label { "Rep (email)" input type="email" data-param="rep" value=(viewer.user.record.email.as_str()); }
            label { "Recording or transcript" input type="file" required; }
            button type="submit" { "Upload" }
            progress value="0" max="1" {}
            output {}
        }
        p.muted { "A recording is transcribed in the background; its page shows the progress." }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct UserForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

fn save(store: &dyn Store, viewer: &Viewer, form: &UserForm) -> Result<String, PageError> {
    let email =
        EmailAddress::parse(form.email.trim()).map_err(|e| PageError::BadRequest(format!("email: {e}")))?;
    let role = Role::parse(&form.role)
        .ok_or_else(|| PageError::BadRequest(format!("role: `{}` is not a role", form.role)))?;
    if !form.password.is_empty() {
        passwords::check_new(email.as_str(), &form.password)?;
    }
    let before = store.user_by_email(&email)?;
    let name = Some(form.name.trim())
        .filter(|n| !n.is_empty())
        .map_or_else(|| email.as_str().split('@').next().unwrap_or_default().to_owned(), str::to_owned);
    let team = Some(form.team.trim()).filter(|t| !t.is_empty()).map(str::to_owned);
    let now = Utc::now();
    let (action, details) = match &before {
        None => ("user.add", format!("added as {}", role.as_str())),
        Some(old) if old.record.role != role => {
            ("user.role", format!("role {} → {}", old.record.role.as_str(), role.as_str()))
        }
        Some(_) => ("user.update", "name or team saved".to_owned()),
    };
    let record = UserRecord { email: email.clone(), name, team, role };
    store.upsert_user_audited(
        &record,
        &audit::entry(Some(&viewer.user), action, email.as_str(), &details, now),
    )?;
    if !form.password.is_empty() {
        passwords::set(store, email.as_str(), &form.password, Some(&viewer.user), now)?;
    }
    Ok(format!("{email}: {details}"))
}

pub(crate) async fn save_user(
    State(state): State<WebState>,
    posted: Posted<UserForm>,
) -> Result<Response, PageError> {
    posted.viewer.require(Action::ManageUsers)?;
    let Posted { viewer, form } = posted;
    let done = state.run(move |store| save(store, &viewer, &form)).await?;
    Ok(Redirect::to(&format!("/admin?done={}", query_escape(&done))).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct ReasonForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    label: String,
}

pub(crate) async fn save_reason(
    State(state): State<WebState>,
    posted: Posted<ReasonForm>,
) -> Result<Response, PageError> {
    posted.viewer.require(Action::ManageReasons)?;
    let Posted { viewer, form } = posted;
    let code = form.code.trim().to_owned();
    if code.is_empty() || !code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        return Err(PageError::BadRequest(format!(
            "code: `{code}` must be lower-case letters, digits and `_`"
        )));
    }
    let label = form.label.trim().to_owned();
    if label.is_empty() {
        return Err(PageError::BadRequest("label: give the reason a label people will read".into()));
    }
    let done = state
        .run(move |store| {
            store.put_rejection_reason(&ReasonCodeEntry { code: code.clone(), label: label.clone() })?;
            let entry = audit::entry(Some(&viewer.user), "reason.put", &code, &label, Utc::now());
            audit::record(store, &entry)?;
            Ok::<_, PageError>(format!("reason {code} saved"))
        })
        .await?;
    Ok(Redirect::to(&format!("/admin?done={}", query_escape(&done))).into_response())
}

pub(crate) async fn audit(viewer: Viewer, State(state): State<WebState>) -> Result<Html<String>, PageError> {
    viewer.require(Action::ManageUsers)?;
    let entries = state
        .run(|store| Ok::<_, PageError>(store.audit_log(&AuditQuery { limit: 500, ..Default::default() })?))
        .await?;
    let content = html! {
        p.muted { "The 500 most recent changes, newest first." }
        div.table-wrap {
            table #audit {
                thead { tr { th { "When" } th { "Who" } th { "What" } th { "Target" } th { "Details" } } }
                tbody {
                    @for record in &entries {
                        tr {
                            td { (date_time(record.entry.at)) }
                            td { (record.entry.actor_label) }
                            td { code { (record.entry.action) } }
                            td { (record.entry.target) }
                            td { (record.entry.details) }
                        }
                    }
                }
            }
        }
    };
    Ok(Html(layout(&viewer, "Audit log", "/admin", &[], content).into_string()))
}

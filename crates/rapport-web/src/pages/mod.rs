//! The page table: every page and form target with who may use it. The router is built from
//! it, and the permission-matrix test walks it, so no page escapes the access check.

mod account;
mod accounts;
mod admin;
mod admin_trackers;
mod call_smart;
mod calls;
mod content;
mod drilldown;
mod filters;
mod login;
mod overview;
mod people;
mod queue;
mod scoring;
mod scoring_definition;
mod scoring_distribution;
mod scoring_model;
mod team;
mod voc;

use axum::routing::{on, MethodFilter, MethodRouter};
use rapport_app::permissions::Action;

use crate::WebState;

pub use filters::ReportFilters;

/// Who may open a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageAccess {
    /// Anyone (the login page).
    Public,
    /// Any signed-in user.
    SignedIn,
    /// Signed-in users whose role allows the action.
    Allowed(Action),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageMethod {
    Get,
    Post,
}

#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub method: PageMethod,
    /// In axum's syntax: `/calls/{id}`.
    pub path: &'static str,
    pub title: &'static str,
    pub access: PageAccess,
    pub(crate) handler: fn() -> MethodRouter<WebState>,
}

impl Page {
    pub fn filter(&self) -> MethodFilter {
        match self.method {
            PageMethod::Get => MethodFilter::GET,
            PageMethod::Post => MethodFilter::POST,
        }
    }
}

macro_rules! page {
    ($method:ident $path:literal, $title:literal, $access:expr, $handler:path) => {
        Page {
            method: PageMethod::$method,
            path: $path,
            title: $title,
            access: $access,
            handler: || {
                on(
                    match PageMethod::$method {
                        PageMethod::Get => MethodFilter::GET,
                        PageMethod::Post => MethodFilter::POST,
                    },
                    $handler,
                )
            },
        }
    };
}

use PageAccess::{Allowed, Public, SignedIn};

const PAGES: &[Page] = &[
    page!(Get "/login", "Log in", Public, login::form),
    page!(Post "/login", "Log in", Public, login::submit),
    page!(Post "/logout", "Log out", SignedIn, login::logout),
    page!(Get "/", "Marketing overview", Allowed(Action::ReadReports), overview::page),
    page!(Get "/voc", "Voice of the customer", Allowed(Action::ReadReports), voc::page),
    page!(Get "/scoring", "Scoring", Allowed(Action::ReadReports), scoring::page),
    page!(Post "/scoring/definitions", "Draft a lead definition", Allowed(Action::DraftDefinition), scoring_definition::draft),
    page!(Post "/scoring/definitions/{version}/approve", "Approve a lead definition", Allowed(Action::ApproveDefinition), scoring_definition::approve),
    page!(Get "/content", "Content", Allowed(Action::ReadReports), content::page),
    page!(Get "/accounts", "Target accounts", Allowed(Action::ReadLeads), accounts::page),
    page!(Get "/queue", "Sales queue", Allowed(Action::ChangeLead), queue::page),
    page!(Post "/queue/accept", "Accept a lead", Allowed(Action::ChangeLead), queue::accept),
    page!(Post "/queue/reject", "Reject a lead", Allowed(Action::ChangeLead), queue::reject),
    page!(Get "/calls", "Calls", Allowed(Action::ReadCalls), calls::list),
    page!(Get "/calls/{id}", "Call", Allowed(Action::ReadCalls), calls::show),
    page!(Get "/team", "Team", Allowed(Action::ReadCalls), team::page),
    page!(Get "/people", "People", Allowed(Action::ReadLeads), drilldown::page),
    page!(Get "/people/{email}", "Person", Allowed(Action::ReadLeads), people::person),
    page!(Get "/accounts/{domain}", "Account", Allowed(Action::ReadLeads), account::page),
    page!(Get "/admin", "Administration", Allowed(Action::ManageReasons), admin::page),
    page!(Post "/admin/users", "Save a user", Allowed(Action::ManageUsers), admin::save_user),
    page!(Post "/admin/reasons", "Save a reason", Allowed(Action::ManageReasons), admin::save_reason),
    page!(Get "/admin/audit", "Audit log", Allowed(Action::ManageUsers), admin::audit),
    page!(Get "/admin/trackers", "Trackers", Allowed(Action::ManageTrackers), admin_trackers::page),
    page!(Post "/admin/trackers", "Save a tracker", Allowed(Action::ManageTrackers), admin_trackers::save),
    page!(Post "/admin/trackers/remove", "Remove a tracker", Allowed(Action::ManageTrackers), admin_trackers::remove),
    page!(Post "/admin/trackers/test", "Try trackers", Allowed(Action::ManageTrackers), admin_trackers::test),
];

/// Every page and form target.
pub fn pages() -> impl Iterator<Item = &'static Page> {
    PAGES.iter()
}

//! The page frame every page shares: head (stylesheet and scripts from `/assets`, never
//! inline), navigation by role, the signed-in user with a logout form, and the content.

use maud::{html, Markup, DOCTYPE};
use rapport_app::permissions::Action;

use crate::session::Viewer;

/// The navigation: label, path, and the action a role needs to see the entry.
const NAV: &[(&str, &str, Action)] = &[
    ("Overview", "/", Action::ReadReports),
    ("Voice of the customer", "/voc", Action::ReadReports),
    ("Scoring", "/scoring", Action::ReadReports),
    ("Content", "/content", Action::ReadReports),
    ("Target accounts", "/accounts", Action::ReadLeads),
    ("Sales queue", "/queue", Action::ChangeLead),
    ("Calls", "/calls", Action::ReadCalls),
    ("Team", "/team", Action::ReadCalls),
    ("People", "/people", Action::ReadLeads),
    ("Admin", "/admin", Action::ManageReasons),
];

fn head(title: &str, scripts: &[&str]) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · Rapport" }
            link rel="stylesheet" href=(crate::assets::path("app.css"));
            link rel="icon" href="data:,";
            @for script in scripts {
                script src=(crate::assets::path(script)) defer {}
            }
        }
    }
}

/// A signed-in page. `active` is the navigation path to highlight; `scripts` are asset names.
pub fn page(viewer: &Viewer, title: &str, active: &str, scripts: &[&str], content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title, scripts))
            body {
                header.top {
                    a.brand href="/" { "Rapport" }
                    nav aria-label="Main" {
                        @for (label, path, action) in NAV {
                            @if viewer.can(*action) || (*path == "/admin" && viewer.can(Action::Import)) {
                                a href=(path) aria-current=[(*path == active).then_some("page")] { (label) }
                            }
                        }
                    }
                    div.who {
                        span { (viewer.user.record.name) " · " (viewer.user.record.role.as_str().replace('_', " ")) }
                        form method="post" action="/logout" {
                            input type="hidden" name="csrf" value=(viewer.csrf);
                            button.link type="submit" { "Log out" }
                        }
                    }
                }
                main {
                    h1 { (title) }
                    (content)
                }
            }
        }
    }
}

/// A page without navigation: login, errors.
pub fn bare(title: &str, message: &str) -> Markup {
    shell(
        title,
        html! {
            h1 { (title) }
            p.message { (message) }
            p { a href="/" { "Back to Rapport" } }
        },
    )
}

pub fn shell(title: &str, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title, &[]))
            body.bare { main.narrow { (content) } }
        }
    }
}

/// A hidden field with the session's CSRF token: every form includes one.
pub fn csrf_field(viewer: &Viewer) -> Markup {
    html! { input type="hidden" name="csrf" value=(viewer.csrf); }
}

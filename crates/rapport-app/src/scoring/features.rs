//! Model features of a person as of a cut-off time: who they are (person and account
//! attributes), what they did before it (touch counts by kind in 7/30/90-day windows,
//! recency, pricing-page visits, demo requests, content consumed, campaigns) and — when a
//! caller supplies them — conversation signals. Only what happened up to the cut-off counts,
//! so a model trained on past handoffs never sees the outcome it predicts.

use std::collections::{BTreeMap, BTreeSet};

use rapport_domain::{PersonId, Timestamp, TouchKind};
use rapport_scoring::definition::{PersonInput, TouchInput};
use rapport_scoring::Table;
use rapport_store::analysis::CallAnalysisFacts;

use super::history::ScoringPerson;

pub const WINDOWS: [i64; 3] = [7, 30, 90];

/// Personal email domains: a person signing up with one is rarely a buyer.
const PERSONAL_DOMAINS: [&str; 8] =
    ["gmail.com", "outlook.com", "yahoo.com", "proton.me", "hotmail.com", "icloud.com", "aol.com", "gmx.de"];

/// Numeric signals from calls (talk ratio, competitor mentions, …) per person, as of the
/// cut-off. The hook for conversation analytics: empty until a caller fills it, and every
/// name that appears becomes a column (missing for people without a value).
pub type ConversationSignals = BTreeMap<PersonId, Vec<(String, f64)>>;

/// One row to build: a person and the moment their features are taken at.
#[derive(Debug, Clone, Copy)]
pub struct Row<'p> {
    pub person: &'p ScoringPerson,
    pub cutoff: Timestamp,
}

fn seniority(title: Option<&str>) -> Option<String> {
    let title = title?.to_lowercase();
    let has =
        |words: &[&str]| words.iter().any(|w| title.split(|c: char| !c.is_alphanumeric()).any(|t| t == *w));
    let level = if has(&["vp", "chief", "head", "director", "cmo", "cro", "ceo", "president"]) {
        "executive"
    } else if has(&["student", "intern", "assistant", "coordinator"]) {
        "junior"
    } else {
        "practitioner"
    };
    Some(level.to_owned())
}

fn is_pricing(touch: &TouchInput) -> bool {
    touch.attributes.get("page").is_some_and(|p| p.eq_ignore_ascii_case("/pricing"))
        || touch.content_url.as_deref().is_some_and(|u| u.to_lowercase().ends_with("/pricing"))
}

fn is_demo_request(touch: &TouchInput) -> bool {
    touch.kind == TouchKind::FormFill && touch.attributes.get("form").is_some_and(|f| f == "demo_request")
}

/// Case studies, pricing, ROI calculator, security and implementation pages: decision content.
fn is_bottom_content(touch: &TouchInput) -> bool {
    touch.content_url.as_deref().is_some_and(|u| {
        let u = u.to_lowercase();
        ["/case-study/", "/pricing", "/roi-calculator", "/security/", "/implementation/"]
            .iter()
            .any(|m| u.contains(m))
    })
}

fn days_between(later: Timestamp, earlier: Timestamp) -> f64 {
    (later - earlier).num_milliseconds() as f64 / 86_400_000.0
}

/// Each row's conversation signals from the person's analysed calls before the row's cut-off
/// (see [`crate::signals::person_signals_at`]). Unknown values are left out, so a signal no
/// one has yet adds no column.
pub fn conversation_at(facts: &[CallAnalysisFacts], rows: &[Row<'_>]) -> ConversationSignals {
    let cutoffs: BTreeMap<PersonId, Timestamp> = rows.iter().map(|r| (r.person.id, r.cutoff)).collect();
    crate::signals::person_signals_at(facts, &cutoffs)
        .into_iter()
        .map(|(id, features)| {
            let known = features
                .into_iter()
                .filter(|(_, v)| !v.is_nan())
                .map(|(name, v)| (name.to_owned(), v))
                .collect();
            (id, known)
        })
        .collect()
}

/// Builds the feature table for `rows`, in order.
pub fn table(rows: &[Row<'_>], conversation: &ConversationSignals) -> Table {
    let mut table = Table::new();
    let attr = |f: &dyn Fn(&PersonInput) -> Option<String>| -> Vec<Option<String>> {
        rows.iter().map(|r| f(&r.person.history.input)).collect()
    };
    table.push_categorical("industry", attr(&|p| p.industry.clone()));
    table.push_categorical("country", attr(&|p| p.country.clone()));
    table.push_categorical("source", attr(&|p| p.source.clone()));
    table.push_categorical("campaign", attr(&|p| p.campaign.clone()));
    table.push_categorical("seniority", attr(&|p| seniority(p.title.as_deref())));
    table.push_categorical(
        "email_type",
        attr(&|p| {
            p.email_domain
                .as_deref()
                .map(|d| if PERSONAL_DOMAINS.contains(&d) { "personal" } else { "company" }.to_owned())
        }),
    );
    table.push_numeric(
        "employees",
        rows.iter().map(|r| r.person.history.input.employees.map_or(f64::NAN, f64::from)).collect(),
    );

    let touched: Vec<Vec<&TouchInput>> = rows
        .iter()
        .map(|r| r.person.history.touches.iter().take_while(|t| t.at <= r.cutoff).collect())
        .collect();
    let count_in = |days: i64, filter: &dyn Fn(&TouchInput) -> bool| -> Vec<f64> {
        rows.iter()
            .zip(&touched)
            .map(|(r, ts)| {
                ts.iter().filter(|t| days_between(r.cutoff, t.at) <= days as f64 && filter(t)).count() as f64
            })
            .collect()
    };
    for kind in TouchKind::ALL {
        for days in WINDOWS {
            table.push_numeric(&format!("{}_{days}d", kind.as_str()), count_in(days, &|t| t.kind == kind));
        }
    }
    for days in [7, 30] {
        table.push_numeric(&format!("pricing_page_{days}d"), count_in(days, &is_pricing));
    }
    table.push_numeric("demo_requests_90d", count_in(90, &is_demo_request));
    table.push_numeric("bottom_content_90d", count_in(90, &is_bottom_content));
    table.push_numeric("touches_total", touched.iter().map(|ts| ts.len() as f64).collect());
    table.push_numeric(
        "content_items",
        touched
            .iter()
            .map(|ts| {
                ts.iter().filter_map(|t| t.content_url.as_deref()).collect::<BTreeSet<_>>().len() as f64
            })
            .collect(),
    );
    table.push_numeric(
        "campaigns_touched",
        touched
            .iter()
            .map(|ts| ts.iter().filter_map(|t| t.campaign.as_deref()).collect::<BTreeSet<_>>().len() as f64)
            .collect(),
    );
    table.push_numeric(
        "days_since_last_touch",
        rows.iter()
            .zip(&touched)
            .map(|(r, ts)| ts.last().map_or(f64::NAN, |t| days_between(r.cutoff, t.at)))
            .collect(),
    );
    table.push_numeric(
        "days_since_created",
        rows.iter().map(|r| days_between(r.cutoff, r.person.history.created_at).max(0.0)).collect(),
    );

    let names: BTreeSet<&str> = conversation.values().flatten().map(|(name, _)| name.as_str()).collect();
    for name in names {
        let values = rows
            .iter()
            .map(|r| {
                conversation
                    .get(&r.person.id)
                    .and_then(|signals| signals.iter().find(|(n, _)| n == name))
                    .map_or(f64::NAN, |(_, v)| *v)
            })
            .collect();
        table.push_numeric(&format!("call_{name}"), values);
    }
    table
}

/// A model contribution as a sentence with its sign: "Visited the pricing page 3 times in
/// the last 30 days (+)", "Industry: Education (−)".
pub fn sentence(feature: &str, value: &str, effect: f64) -> String {
    let sign = if effect >= 0.0 { "+" } else { "−" };
    format!("{} ({sign})", describe(feature, value))
}

fn times(value: &str) -> String {
    match value.parse::<f64>() {
        Ok(n) if (n - 1.0).abs() < f64::EPSILON => "once".to_owned(),
        Ok(n) if n == n.trunc() => format!("{n} times"),
        _ => format!("{value} times"),
    }
}

fn describe(feature: &str, value: &str) -> String {
    let missing = value.is_empty() || value == "missing" || value == "NaN";
    let label = |name: &str| if missing { format!("{name}: unknown") } else { format!("{name}: {value}") };
    match feature {
        "industry" => label("Industry"),
        "country" => label("Country"),
        "source" => label("Source"),
        "campaign" => label("Original campaign"),
        "seniority" => label("Seniority"),
        "email_type" => {
            if value == "personal" {
                "Signed up with a personal email address".into()
            } else {
                label("Email")
            }
        }
        "employees" => {
            if missing {
                "Company size unknown".into()
            } else {
                format!("Company of {value} employees")
            }
        }
        "demo_requests_90d" => format!("Asked for a demo {} in the last 90 days", times(value)),
        "bottom_content_90d" => {
            format!("Read decision content (case studies, pricing, ROI) {} in the last 90 days", times(value))
        }
        "touches_total" => format!("{value} touches in all"),
        "content_items" => format!("Consumed {value} content items"),
        "campaigns_touched" => format!("Engaged with {value} campaigns"),
        "days_since_last_touch" => {
            if missing {
                "Never engaged".into()
            } else {
                format!("Last engaged {} days ago", round(value))
            }
        }
        "days_since_created" => format!("Known for {} days", round(value)),
        _ => {
            if let Some(days) = feature.strip_prefix("pricing_page_").and_then(|d| d.strip_suffix('d')) {
                if value == "0" {
                    return format!("No pricing-page visit in the last {days} days");
                }
                return format!("Visited the pricing page {} in the last {days} days", times(value));
            }
            if let Some(name) = feature.strip_prefix("call_") {
                return format!("On calls, {}: {value}", name.replace('_', " "));
            }
            for kind in TouchKind::ALL {
                if let Some(days) = feature
                    .strip_prefix(kind.as_str())
                    .and_then(|r| r.strip_prefix('_'))
                    .and_then(|d| d.strip_suffix('d'))
                {
                    if value == "0" {
                        return format!("{}: not in the last {days} days", activity(kind));
                    }
                    return format!("{} {} in the last {days} days", activity(kind), times(value));
                }
            }
            format!("{feature}: {value}")
        }
    }
}

fn round(value: &str) -> String {
    value.parse::<f64>().map_or_else(|_| value.to_owned(), |n| format!("{}", n.round()))
}

fn activity(kind: TouchKind) -> &'static str {
    match kind {
        TouchKind::WebVisit => "Visited the website",
        TouchKind::FormFill => "Filled in a form",
        TouchKind::ContentDownload => "Downloaded content",
        TouchKind::EmailOpen => "Opened an email",
        TouchKind::EmailClick => "Clicked an email",
        TouchKind::Webinar => "Attended a webinar",
        TouchKind::AdClick => "Clicked an ad",
        TouchKind::Event => "Came to an event",
        TouchKind::IntentSignal => "Showed third-party intent",
        TouchKind::SalesActivity => "Was contacted by sales",
    }
}

//! The records a revenue team keeps. `*Record` types are what comes in (from a CSV, the API or
//! the demo generator) and name related records by natural key (email, domain, external id);
//! the stores resolve those keys. Stored rows carry typed ids.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{
    AccountId, CampaignId, ContentId, EmailAddress, OpportunityId, PersonId, Stage, Timestamp, UserId,
};

/// A company.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountRecord {
    /// The CRM's id, kept so re-imports update instead of duplicating.
    pub external_id: Option<String>,
    pub name: String,
    /// Lower-cased web domain (`acme.com`); the natural key when no external id is given.
    pub domain: Option<String>,
    pub industry: Option<String>,
    pub employees: Option<u32>,
    pub country: Option<String>,
    pub annual_revenue: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub id: AccountId,
    #[serde(flatten)]
    pub record: AccountRecord,
}

/// A person: a subscriber, lead or contact. The email is the natural key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonRecord {
    pub external_id: Option<String>,
    pub email: EmailAddress,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub title: Option<String>,
    /// The account's domain; when absent the stores fall back to the email's domain
    /// (only when an account with that domain exists).
    pub account_domain: Option<String>,
    /// Email of the owning user (sales rep).
    pub owner_email: Option<EmailAddress>,
    /// Original source: `paid_search`, `organic`, `events`, `partner`, …
    pub source: Option<String>,
    /// Original campaign, by name.
    pub campaign: Option<String>,
    pub country: Option<String>,
    pub created_at: Timestamp,
    /// Lifecycle history known to the CRM (for example HubSpot's "Became a … date"
    /// columns), recorded as import events the first time they are seen.
    pub stage_history: Vec<(Stage, Timestamp)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub account_id: Option<AccountId>,
    pub owner_id: Option<UserId>,
    pub campaign_id: Option<CampaignId>,
    #[serde(flatten)]
    pub record: PersonRecord,
}

/// A marketing campaign; the name is the natural key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignRecord {
    pub external_id: Option<String>,
    pub name: String,
    /// `paid_search`, `paid_social`, `email`, `webinar`, `event`, `content`, …
    pub channel: Option<String>,
    pub started_on: Option<Timestamp>,
    pub budget: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Campaign {
    pub id: CampaignId,
    #[serde(flatten)]
    pub record: CampaignRecord,
}

/// Where in the buyer's journey a content item is meant to help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunnelStage {
    /// Top of funnel: awareness (blog posts, guides).
    Top,
    /// Middle: consideration (webinars, comparisons).
    Middle,
    /// Bottom: decision (case studies, pricing, ROI calculators).
    Bottom,
}

impl FunnelStage {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Top => "top",
            Self::Middle => "middle",
            Self::Bottom => "bottom",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        match input.trim().to_ascii_lowercase().as_str() {
            "top" | "tofu" | "awareness" => Some(Self::Top),
            "middle" | "mofu" | "consideration" => Some(Self::Middle),
            "bottom" | "bofu" | "decision" => Some(Self::Bottom),
            _ => None,
        }
    }
}

/// An item of the content library; the URL is the natural key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContentRecord {
    pub external_id: Option<String>,
    pub title: String,
    pub url: String,
    /// `blog`, `ebook`, `case_study`, `webinar`, `whitepaper`, `pricing`, …
    pub content_type: Option<String>,
    pub funnel_stage: Option<FunnelStage>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContentItem {
    pub id: ContentId,
    #[serde(flatten)]
    pub record: ContentRecord,
}

/// What kind of engagement a touch is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TouchKind {
    WebVisit,
    FormFill,
    ContentDownload,
    EmailOpen,
    EmailClick,
    Webinar,
    AdClick,
    Event,
    IntentSignal,
    /// A sales activity (call, email or meeting by a rep): it stops the handoff SLA clock.
    SalesActivity,
}

impl TouchKind {
    pub const ALL: [TouchKind; 10] = [
        Self::WebVisit,
        Self::FormFill,
        Self::ContentDownload,
        Self::EmailOpen,
        Self::EmailClick,
        Self::Webinar,
        Self::AdClick,
        Self::Event,
        Self::IntentSignal,
        Self::SalesActivity,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::WebVisit => "web_visit",
            Self::FormFill => "form_fill",
            Self::ContentDownload => "content_download",
            Self::EmailOpen => "email_open",
            Self::EmailClick => "email_click",
            Self::Webinar => "webinar",
            Self::AdClick => "ad_click",
            Self::Event => "event",
            Self::IntentSignal => "intent_signal",
            Self::SalesActivity => "sales_activity",
        }
    }

    /// Accepts our names and the usual CRM spellings ("Page View", "Form Submission").
    pub fn parse(input: &str) -> Option<Self> {
        let key: String = input
            .trim()
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let kind = match key.as_str() {
            "web_visit" | "page_view" | "pageview" | "visit" => Self::WebVisit,
            "form_fill" | "form_submission" | "form" => Self::FormFill,
            "content_download" | "download" => Self::ContentDownload,
            "email_open" | "open" => Self::EmailOpen,
            "email_click" | "click" => Self::EmailClick,
            "webinar" | "webinar_attended" => Self::Webinar,
            "ad_click" | "ad" => Self::AdClick,
            "event" | "event_attended" | "trade_show" => Self::Event,
            "intent_signal" | "intent" | "third_party_intent" => Self::IntentSignal,
            "sales_activity" | "sales_call" | "sales_email" | "meeting" | "call" => Self::SalesActivity,
            _ => return None,
        };
        Some(kind)
    }
}

/// One engagement event of a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TouchRecord {
    /// When absent, the stores derive a key from (email, time, kind, campaign, content,
    /// channel) so re-importing the same file adds nothing.
    pub external_id: Option<String>,
    pub email: EmailAddress,
    pub occurred_at: Timestamp,
    pub kind: TouchKind,
    pub channel: Option<String>,
    /// Campaign by name; created when unknown.
    pub campaign: Option<String>,
    /// Content by URL; must exist in the content library.
    pub content_url: Option<String>,
    /// Free attributes (`page`, `utm_term`, `intent_topic`, …).
    pub attributes: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpportunityOutcome {
    Open,
    Won,
    Lost,
}

impl OpportunityOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Won => "won",
            Self::Lost => "lost",
        }
    }
}

/// A sales opportunity. The external id is the natural key (CRMs always export one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpportunityRecord {
    pub external_id: String,
    pub name: String,
    pub account_domain: Option<String>,
    /// The contact whose lifecycle the deal moves (to `opportunity`, `customer`, `lost`).
    pub primary_contact: Option<EmailAddress>,
    pub contacts: Vec<EmailAddress>,
    pub owner_email: Option<EmailAddress>,
    /// Amount in minor units (cents) so sums are exact.
    pub amount_cents: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// The CRM's own stage name (`Discovery`, `Proposal`, `Closed Won`, …).
    pub stage: String,
    pub created_at: Timestamp,
    pub close_date: Option<Timestamp>,
    pub outcome: OpportunityOutcome,
    pub lost_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opportunity {
    pub id: OpportunityId,
    pub account_id: Option<AccountId>,
    #[serde(flatten)]
    pub record: OpportunityRecord,
}

/// What a user may do; the web app's permissions hang off this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Marketing,
    SalesManager,
    SalesRep,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Marketing => "marketing",
            Self::SalesManager => "sales_manager",
            Self::SalesRep => "sales_rep",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        match input.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "admin" => Some(Self::Admin),
            "marketing" => Some(Self::Marketing),
            "sales_manager" | "manager" => Some(Self::SalesManager),
            "sales_rep" | "rep" | "sales" => Some(Self::SalesRep),
            _ => None,
        }
    }
}

/// A Rapport user; the email is the natural key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRecord {
    pub email: EmailAddress,
    pub name: String,
    /// Team name, e.g. `East` or `SDR`; managers see their team's data.
    pub team: Option<String>,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    #[serde(flatten)]
    pub record: UserRecord,
}

//! Opportunities: amounts by company size, sales cycles, won or lost (with a reason), tied to
//! the account, the primary contact and a few colleagues on the buying team.

use chrono::Duration;
use rapport_domain::{EmailAddress, OpportunityOutcome, OpportunityRecord, Timestamp};

use crate::accounts::AccountPlan;
use crate::calendar::days;
use crate::rng::{between, chance, weighted, DemoRng};
use crate::story::{win_chance, LOST_REASONS};

/// Deal size range in dollars per size band (as `story::SIZE_BANDS`).
const AMOUNTS: [(f64, f64); 5] = [(6e3, 15e3), (15e3, 45e3), (35e3, 95e3), (70e3, 220e3), (150e3, 450e3)];

/// Mean sales cycle in days per size band: enterprises take months.
const CYCLE_DAYS: [f64; 5] = [25.0, 40.0, 60.0, 80.0, 100.0];

#[derive(Debug, Clone)]
pub(crate) struct DealPlan {
    pub created: Timestamp,
    /// Set once the deal is closed (won or lost) inside the history.
    pub closed: Option<Timestamp>,
    /// When the cycle ends: the close, or for a deal still open, when it is expected to close.
    pub expected_close: Timestamp,
    pub outcome: OpportunityOutcome,
    pub lost_reason: Option<&'static str>,
    pub stage: &'static str,
    pub amount_cents: i64,
    /// Whether the buying team read bottom-of-funnel content; it makes winning likelier.
    pub read_bottom_content: bool,
}

pub(crate) fn plan_deal(
    created: Timestamp,
    end: Timestamp,
    size_band: usize,
    fit: f64,
    read_bottom_content: bool,
    rng: &mut DemoRng,
) -> DealPlan {
    let (low, high) = AMOUNTS[size_band];
    let dollars = (between(rng, low, high) / 500.0).round() * 500.0;
    let won = chance(rng, win_chance(fit, read_bottom_content));
    let cycle = CYCLE_DAYS[size_band] * between(rng, 0.5, 1.5);
    let close = created + days(cycle);
    let lost_weights: Vec<f64> =
        LOST_REASONS.iter().map(|(_, small, large)| if size_band < 2 { *small } else { *large }).collect();
    let lost_reason = LOST_REASONS[weighted(rng, &lost_weights)].0;
    let (closed, outcome, stage, lost_reason) = if close >= end {
        // Still open at the anchor: its CRM stage follows how far into the cycle it is.
        let elapsed = (end - created).num_seconds() as f64 / (close - created).num_seconds().max(1) as f64;
        let stage = match elapsed {
            e if e < 0.25 => "Discovery",
            e if e < 0.5 => "Demo",
            e if e < 0.8 => "Proposal",
            _ => "Negotiation",
        };
        (None, OpportunityOutcome::Open, stage, None)
    } else if won {
        (Some(close), OpportunityOutcome::Won, "Closed Won", None)
    } else {
        (Some(close), OpportunityOutcome::Lost, "Closed Lost", Some(lost_reason))
    };
    DealPlan {
        created,
        closed,
        expected_close: close,
        outcome,
        lost_reason,
        stage,
        amount_cents: dollars as i64 * 100,
        read_bottom_content,
    }
}

/// The last moment the deal is worked: its close, or the end of the history while open.
pub(crate) fn deal_end(deal: &DealPlan, end: Timestamp) -> Timestamp {
    deal.closed.unwrap_or(end - Duration::seconds(1))
}

pub(crate) fn opportunity_record(
    external_id: String,
    deal: &DealPlan,
    account: &AccountPlan,
    primary: &EmailAddress,
    colleagues: &[EmailAddress],
    owner: &EmailAddress,
) -> OpportunityRecord {
    let plan = match account.size_band {
        0 | 1 => "Team plan",
        2 => "Business plan",
        _ => "Enterprise plan",
    };
    let mut contacts = vec![primary.clone()];
    contacts.extend(colleagues.iter().cloned());
    OpportunityRecord {
        external_id,
        name: format!("{} – {plan}", account.record.name),
        account_domain: Some(account.domain.clone()),
        primary_contact: Some(primary.clone()),
        contacts,
        owner_email: Some(owner.clone()),
        amount_cents: deal.amount_cents,
        currency: "USD".to_owned(),
        stage: deal.stage.to_owned(),
        created_at: deal.created,
        close_date: deal.closed,
        outcome: deal.outcome,
        lost_reason: deal.lost_reason.map(str::to_owned),
    }
}

//! What one deal's calls are about, drawn once so every call of the deal agrees: the buyer's
//! pains, the competitor and the tool in place today, which objections come up, the numbers
//! the buyer quotes, and the deal-level slot values.

use chrono::{Datelike, Duration};
use rand::Rng;
use rapport_domain::{OpportunityOutcome, Timestamp};

use crate::accounts::AccountPlan;
use crate::calls::lines::demo::FEATURE_GAPS;
use crate::calls::lines::discovery::PAINS;
use crate::calls::slots::Slots;
use crate::calls::{CallCandidate, Contact, ContentTitles, COMPETITORS};
use crate::names::{EXECUTIVE_TITLES, FIRST_NAMES, LAST_NAMES};
use crate::rng::{chance, pick, weighted, DemoRng};
use crate::story::{theme_odds, Situation, ThemeOdds, INDUSTRIES};

/// How often each competitor comes up: a market leader, a strong second, a long tail.
const COMPETITOR_WEIGHTS: [f64; 8] = [30.0, 22.0, 16.0, 12.0, 8.0, 6.0, 4.0, 2.0];

/// Deals lost to a competitor are lost to the top two far more often than the tail.
const WINNER_WEIGHTS: [f64; 8] = [45.0, 28.0, 10.0, 7.0, 4.0, 3.0, 2.0, 1.0];

/// Per industry (as `story::INDUSTRIES`), whom its companies sell to.
const MARKETS: [&str; 10] = [
    "other software companies",
    "banks and insurers",
    "mid-sized firms",
    "hospitals and clinics",
    "manufacturers",
    "retailers",
    "publishers and broadcasters",
    "shippers and carriers",
    "schools and universities",
    "other public agencies",
];

const CITIES: [(&str, &[&str]); 12] = [
    ("United States", &["Austin", "Chicago", "Denver", "Boston", "Seattle", "Atlanta"]),
    ("Canada", &["Toronto", "Vancouver", "Montreal"]),
    ("United Kingdom", &["London", "Manchester", "Leeds", "Bristol"]),
    ("Germany", &["Berlin", "Munich", "Hamburg"]),
    ("France", &["Paris", "Lyon"]),
    ("Netherlands", &["Amsterdam", "Utrecht", "Rotterdam"]),
    ("Sweden", &["Stockholm", "Gothenburg"]),
    ("Spain", &["Madrid", "Barcelona"]),
    ("Australia", &["Sydney", "Melbourne", "Brisbane"]),
    ("Singapore", &["Singapore"]),
    ("Japan", &["Tokyo", "Osaka"]),
    ("India", &["Bangalore", "Mumbai", "Pune"]),
];

const EXPERT_TITLES: [&str; 4] =
    ["IT Security Lead", "Head of IT", "Security Engineer", "Infrastructure Manager"];

/// What the buyer uses today for what Rapport would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Incumbent {
    Spreadsheets,
    CrmReports,
    Competitor(&'static str),
}

#[derive(Debug, Clone)]
pub(crate) struct DealStory {
    pub situation: Situation,
    pub odds: ThemeOdds,
    /// Indexes into `PAINS`, the first the one the buyer leads with.
    pub pains: Vec<usize>,
    /// The competitor the buyer evaluates (and, lost to a competitor, picks).
    pub competitor: Option<&'static str>,
    pub incumbent: Incumbent,
    pub price_objection: bool,
    pub budget_objection: bool,
    pub happy_with_current: bool,
    pub not_a_priority: bool,
    pub discount_ask: bool,
    pub missing_feature: bool,
    pub case_study: bool,
    /// The buyer mentions a piece of our content they read before the first call.
    pub read_content: bool,
    /// Someone from the buying team who joins some calls.
    pub guest: Option<Contact>,
    /// The security or IT person on a technical review.
    pub expert: (String, &'static str),
    pub slots: Slots,
}

impl DealStory {
    pub(crate) fn draw(
        candidate: &CallCandidate,
        account: &AccountPlan,
        titles: &ContentTitles,
        first_call: Timestamp,
        rng: &mut DemoRng,
    ) -> Self {
        let (situation, read_bottom_content) = match &candidate.deal {
            None => (Situation::Lead, false),
            Some((_, deal)) => {
                let situation = match deal.outcome {
                    OpportunityOutcome::Won => Situation::Won,
                    OpportunityOutcome::Lost => Situation::Lost(deal.lost_reason.unwrap_or("price")),
                    OpportunityOutcome::Open => Situation::Open,
                };
                (situation, deal.read_bottom_content)
            }
        };
        let odds = theme_odds(situation, read_bottom_content);
        let lost_to_competitor = situation == Situation::Lost("competitor");
        let competitor = chance(rng, odds.competitor).then(|| {
            let weights = if lost_to_competitor { &WINNER_WEIGHTS } else { &COMPETITOR_WEIGHTS };
            COMPETITORS[weighted(rng, weights)]
        });
        let incumbent = match weighted(rng, &[40.0, 35.0, 25.0]) {
            0 => Incumbent::Spreadsheets,
            1 => Incumbent::CrmReports,
            // Often the competitor being evaluated is the one in place, up for renewal.
            _ => match competitor {
                Some(name) if chance(rng, 0.5) => Incumbent::Competitor(name),
                _ => Incumbent::Competitor(COMPETITORS[weighted(rng, &COMPETITOR_WEIGHTS)]),
            },
        };
        let mut pains: Vec<usize> = Vec::new();
        let wanted = if chance(rng, 0.4) { 3 } else { 2 };
        while pains.len() < wanted {
            let pain = rng.gen_range(0..PAINS.len());
            if !pains.contains(&pain) {
                pains.push(pain);
            }
        }
        let guest = candidate.buying_team.first().cloned();
        let expert =
            (format!("{} {}", pick(rng, &FIRST_NAMES), pick(rng, &LAST_NAMES)), *pick(rng, &EXPERT_TITLES));
        let mut story = Self {
            situation,
            odds,
            pains,
            competitor,
            incumbent,
            price_objection: chance(rng, odds.price_objection),
            budget_objection: chance(rng, odds.budget_objection),
            happy_with_current: chance(rng, odds.happy_with_current),
            not_a_priority: chance(rng, odds.not_a_priority),
            discount_ask: chance(rng, odds.discount_ask),
            missing_feature: chance(rng, odds.missing_feature),
            case_study: chance(rng, odds.case_study),
            read_content: chance(rng, 0.35),
            guest,
            expert,
            slots: Slots::default(),
        };
        story.slots = deal_slots(&story, candidate, account, titles, first_call, rng);
        story
    }
}

/// The slot values that stay the same on every call of the deal.
fn deal_slots(
    story: &DealStory,
    candidate: &CallCandidate,
    account: &AccountPlan,
    titles: &ContentTitles,
    first_call: Timestamp,
    rng: &mut DemoRng,
) -> Slots {
    let band = account.size_band;
    let industry = account.record.industry.as_deref().unwrap_or_default();
    let industry = INDUSTRIES.iter().position(|(name, _, _)| *name == industry).unwrap_or(0);
    let city = CITIES
        .iter()
        .find(|(country, _)| *country == account.country)
        .map_or("London", |(_, cities)| cities[rng.gen_range(0..cities.len())]);
    let colleague = candidate.buying_team.iter().find(|c| EXECUTIVE_TITLES.contains(&c.title));
    let (colleague_first, colleague_title) = match colleague {
        Some(colleague) => (colleague.first_name, colleague.title),
        None => (*pick(rng, &FIRST_NAMES), *pick(rng, &EXECUTIVE_TITLES)),
    };
    let plan = match band {
        0 | 1 => ("Team plan", 900.0),
        2 => ("Business plan", 1_200.0),
        _ => ("Enterprise plan", 1_500.0),
    };
    let dollars = match &candidate.deal {
        Some((_, deal)) => deal.amount_cents as f64 / 100.0,
        None => [9e3, 28e3, 60e3, 140e3, 300e3][band] * rng.gen_range(0.7..1.3),
    };
    let dollars = (dollars / 500.0).round() * 500.0;
    let discount = *pick(rng, &[5u32, 8, 10, 12, 15, 20]);
    let discounted = (dollars * f64::from(100 - discount) / 100.0 / 100.0).round() * 100.0;
    let target = first_call + Duration::days(rng.gen_range(60..120));
    let case_study = pick(rng, &titles.case_studies);
    let competitors: Vec<&str> =
        COMPETITORS.iter().copied().filter(|c| Some(*c) != story.competitor).collect();
    let incumbent = match story.incumbent {
        Incumbent::Spreadsheets => "spreadsheets".to_owned(),
        Incumbent::CrmReports => format!("our {} reports", CRM_NAMES[0]),
        Incumbent::Competitor(name) => name.to_owned(),
    };
    let crm = *pick(rng, &CRM_NAMES);
    let incumbent = incumbent.replace(CRM_NAMES[0], crm);
    Slots {
        rep_first: candidate.rep.name.split(' ').next().unwrap_or_default().to_owned(),
        customer_first: candidate.contact.first_name.to_owned(),
        title: candidate.contact.title.to_owned(),
        company: account.record.name.clone(),
        market: MARKETS[industry].to_owned(),
        employees: about(account.record.employees.unwrap_or(100)),
        city: city.to_owned(),
        tenure: pick(rng, &["two", "three", "four", "five", "six"]).to_string(),
        team_size: pick(rng, &TEAM_SIZES[band]).to_string(),
        reps_count: rng.gen_range(REPS[band].0..REPS[band].1).to_string(),
        monthly_leads: thousands(rng.gen_range(LEADS[band].0..LEADS[band].1) / 10 * 10),
        response_hours: pick(rng, &["30", "40", "48", "60", "70"]).to_string(),
        reject_pct: pick(rng, &["55", "60", "65", "70", "75", "80"]).to_string(),
        report_days: pick(rng, &["two", "three", "four"]).to_string(),
        colleague_first: colleague_first.to_owned(),
        colleague_title: colleague_title.to_owned(),
        expert_first: story.expert.0.split(' ').next().unwrap_or_default().to_owned(),
        competitor: story.competitor.unwrap_or(COMPETITORS[0]).to_owned(),
        competitor2: pick(rng, &competitors).to_string(),
        competitor_gap: pick(rng, &["10", "15", "20", "25", "30"]).to_string(),
        incumbent,
        crm: crm.to_owned(),
        chat: pick(rng, &["Slack", "Teams"]).to_string(),
        meeting_tool: pick(rng, &["Zoom", "Teams", "Google Meet"]).to_string(),
        warehouse: pick(rng, &["Snowflake", "BigQuery", "Redshift"]).to_string(),
        idp: pick(rng, &["Okta", "Azure AD", "Google Workspace"]).to_string(),
        month: target.format("%B").to_string(),
        quarter: format!("Q{}", target.month0() / 3 + 1),
        plan: plan.0.to_owned(),
        seats: ((dollars / plan.1).round() as u64).max(3).to_string(),
        amount: format!("${}", thousands(dollars as u64)),
        discounted: format!("${}", thousands(discounted as u64)),
        discount_pct: discount.to_string(),
        term: pick(rng, &["two-year", "three-year"]).to_string(),
        case_study: case_study.spoken.clone(),
        case_company: case_study.company.clone(),
        security_doc: titles.security.clone(),
        implementation_doc: titles.implementation.clone(),
        roi: titles.roi.clone(),
        feature_gap: pick(rng, &FEATURE_GAPS).to_string(),
        pain_short: PAINS[story.pains[0]].short.to_owned(),
        pain2_short: PAINS[story.pains[1]].short.to_owned(),
        ..Slots::default()
    }
}

const CRM_NAMES: [&str; 2] = ["Salesforce", "HubSpot"];

/// Per size band: the marketing team, the sales reps and the leads a month.
const TEAM_SIZES: [[&str; 2]; 5] =
    [["two", "three"], ["three", "four"], ["five", "six"], ["eight", "ten"], ["twelve", "fifteen"]];
const REPS: [(u32, u32); 5] = [(3, 8), (8, 25), (25, 60), (60, 150), (150, 400)];
const LEADS: [(u64, u64); 5] = [(80, 300), (200, 800), (600, 2_000), (1_500, 5_000), (4_000, 12_000)];

/// "about 450", "about 1,200": company sizes as people say them.
fn about(employees: u32) -> String {
    let step = match employees {
        0..=99 => 10,
        100..=999 => 50,
        _ => 100,
    };
    let rounded = (u64::from(employees) + step / 2) / step * step;
    format!("about {}", thousands(rounded.max(step)))
}

/// 42500 as "42,500".
pub(crate) fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (position, digit) in digits.chars().enumerate() {
        if position > 0 && (digits.len() - position).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_say_them() {
        assert_eq!(thousands(42_500), "42,500");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(about(447), "about 450");
        assert_eq!(about(12), "about 10");
        assert_eq!(about(3), "about 10");
        assert_eq!(about(12_345), "about 12,300");
    }
}

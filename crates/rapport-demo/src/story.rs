//! The story the demo tells, as tunable numbers: how each lead source behaves at the handoff,
//! which segments convert, how fast reps respond, why deals are lost. Everything else in the
//! crate turns these into records; change the story here.

/// How the leads of one original source behave. Rates are base chances, adjusted per person
/// by segment fit and seniority (see [`acceptance_chance`]).
#[derive(Debug)]
pub(crate) struct SourceProfile {
    pub name: &'static str,
    /// Share of new people that come from this source.
    pub weight: f64,
    /// The campaign channel whose campaigns bring these people in, if any.
    pub channel: Option<&'static str>,
    /// Share that start as newsletter subscribers rather than leads.
    pub subscriber_share: f64,
    /// Share of leads that marketing hands to sales (becoming MQLs).
    pub mql_rate: f64,
    /// Mean days from becoming a lead to the handoff.
    pub mql_delay_days: f64,
    /// Base chance that sales accepts a handed-over lead.
    pub acceptance: f64,
    /// Weights of the rejection reasons, in the order of [`REJECTION_CODES`].
    pub rejections: [f64; 6],
    /// Share that sign up with a personal address (gmail.com …) and so match no account.
    pub freemail_share: f64,
    /// Shares of juniors (students, interns) and of executives; the rest are practitioners.
    pub junior_share: f64,
    pub executive_share: f64,
}

/// `rapport_domain::DEFAULT_REJECTION_REASONS` codes, in the order the weights use.
pub(crate) const REJECTION_CODES: [&str; 6] =
    ["bad_fit", "no_budget", "wrong_contact", "not_ready", "duplicate", "junk"];

/// Partner, referral and webinar leads are well accepted; content syndication and purchased
/// lists hit the scoring threshold through downloads, and sales rejects most of them as junk,
/// bad fit or the wrong contact. That contrast is the heart of the demo.
#[rustfmt::skip]
pub(crate) const SOURCES: [SourceProfile; 9] = [
    source("paid_search", 16.0, Some("paid_search"), 0.05, 0.22, 10.0, 0.62, [30.0, 20.0, 10.0, 25.0, 10.0, 5.0], 0.08, 0.10, 0.20),
    source("paid_social", 14.0, Some("paid_social"), 0.10, 0.18, 14.0, 0.42, [30.0, 15.0, 15.0, 30.0, 0.0, 10.0], 0.15, 0.25, 0.12),
    source("organic", 20.0, None, 0.40, 0.15, 25.0, 0.68, [25.0, 25.0, 10.0, 35.0, 5.0, 0.0], 0.10, 0.10, 0.20),
    source("webinar", 9.0, Some("webinar"), 0.10, 0.30, 7.0, 0.78, [20.0, 25.0, 5.0, 45.0, 5.0, 0.0], 0.08, 0.12, 0.25),
    source("events", 8.0, Some("event"), 0.0, 0.45, 2.0, 0.55, [20.0, 10.0, 40.0, 20.0, 10.0, 0.0], 0.03, 0.25, 0.25),
    source("partner", 5.0, Some("partner"), 0.0, 0.55, 3.0, 0.88, [40.0, 15.0, 5.0, 20.0, 20.0, 0.0], 0.0, 0.05, 0.35),
    source("referral", 4.0, None, 0.0, 0.45, 4.0, 0.85, [35.0, 20.0, 5.0, 30.0, 10.0, 0.0], 0.02, 0.05, 0.35),
    source("content_syndication", 16.0, Some("content_syndication"), 0.15, 0.30, 5.0, 0.22, [30.0, 5.0, 30.0, 5.0, 5.0, 25.0], 0.20, 0.35, 0.08),
    source("purchased_list", 8.0, Some("list"), 0.30, 0.25, 8.0, 0.15, [25.0, 5.0, 40.0, 5.0, 5.0, 20.0], 0.10, 0.30, 0.10),
];

#[allow(clippy::too_many_arguments, reason = "a table row reads best as one call per source")]
const fn source(
    name: &'static str,
    weight: f64,
    channel: Option<&'static str>,
    subscriber_share: f64,
    mql_rate: f64,
    mql_delay_days: f64,
    acceptance: f64,
    rejections: [f64; 6],
    freemail_share: f64,
    junior_share: f64,
    executive_share: f64,
) -> SourceProfile {
    SourceProfile {
        name,
        weight,
        channel,
        subscriber_share,
        mql_rate,
        mql_delay_days,
        acceptance,
        rejections,
        freemail_share,
        junior_share,
        executive_share,
    }
}

/// Industries: (name, share of accounts, fit). Fit multiplies how well a segment converts:
/// software and financial services buy; education and government rarely do.
pub(crate) const INDUSTRIES: [(&str, f64, f64); 10] = [
    ("Software", 18.0, 1.30),
    ("Financial Services", 12.0, 1.20),
    ("Professional Services", 10.0, 1.10),
    ("Healthcare", 10.0, 1.00),
    ("Manufacturing", 12.0, 0.90),
    ("Retail", 9.0, 0.85),
    ("Media", 6.0, 0.90),
    ("Logistics", 7.0, 0.90),
    ("Education", 8.0, 0.60),
    ("Government", 8.0, 0.55),
];

/// Company sizes: (lowest and highest employee count, share of accounts, fit, people per
/// account relative to the smallest). Mid-market (200–999) converts best.
pub(crate) const SIZE_BANDS: [(u32, u32, f64, f64, f64); 5] = [
    (2, 49, 25.0, 0.65, 1.0),
    (50, 199, 30.0, 1.00, 1.5),
    (200, 999, 25.0, 1.30, 2.5),
    (1_000, 4_999, 13.0, 1.20, 4.0),
    (5_000, 60_000, 7.0, 0.95, 6.0),
];

/// The fit of someone without a company address: personal emails rarely buy.
pub(crate) const FREEMAIL_FIT: f64 = 0.4;

/// Seniority changes acceptance: sales wants people who can buy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seniority {
    Junior,
    Practitioner,
    Executive,
}

impl Seniority {
    pub(crate) fn acceptance_factor(self) -> f64 {
        match self {
            Self::Junior => 0.4,
            Self::Practitioner => 1.0,
            Self::Executive => 1.15,
        }
    }
}

/// The chance sales accepts a handed-over lead.
pub(crate) fn acceptance_chance(source: &SourceProfile, fit: f64, seniority: Seniority) -> f64 {
    (source.acceptance * fit.sqrt() * seniority.acceptance_factor()).clamp(0.02, 0.97)
}

/// After acceptance: chance an accepted lead becomes sales qualified, and a qualified one an
/// opportunity.
pub(crate) fn qualification_chance(fit: f64) -> f64 {
    (0.6 * fit.powf(0.7)).clamp(0.05, 0.9)
}

pub(crate) fn opportunity_chance(fit: f64) -> f64 {
    (0.75 * fit.powf(0.3)).clamp(0.05, 0.95)
}

/// Deals whose contacts read bottom-of-funnel content (case studies, pricing, the ROI
/// calculator) are won far more often: the content-influence story.
pub(crate) const BOTTOM_CONTENT_SHARE: f64 = 0.5;

pub(crate) fn win_chance(fit: f64, read_bottom_content: bool) -> f64 {
    let content = if read_bottom_content { 1.5 } else { 0.55 };
    (0.30 * fit.powf(0.8) * content).clamp(0.03, 0.85)
}

/// Lost reasons: (code, weight for small companies, weight for large ones). Small companies
/// lose on price, large ones to no decision and competitors.
pub(crate) const LOST_REASONS: [(&str, f64, f64); 5] = [
    ("price", 40.0, 15.0),
    ("competitor", 20.0, 30.0),
    ("no_decision", 15.0, 30.0),
    ("timing", 15.0, 10.0),
    ("missing_feature", 10.0, 15.0),
];

/// Reps' mean first-response times in business hours, and the share of leads they never
/// touch. The first few respond within the hour; the last ones often miss a 24-hour SLA.
pub(crate) const REP_RESPONSE: [(f64, f64); 8] = [
    (0.8, 0.01),
    (1.5, 0.02),
    (2.5, 0.02),
    (3.5, 0.03),
    (5.0, 0.04),
    (8.0, 0.05),
    (12.0, 0.07),
    (20.0, 0.10),
];

/// How a rep talks on calls. Reps cycle through these styles, so every team has a listener and
/// a talker: the listener speaks about 45% of the time, the monologuer about 70%.
#[derive(Debug)]
pub(crate) struct TalkStyle {
    /// How many extra sentences the rep strings onto a turn, relative to a typical rep.
    pub verbosity: f64,
    /// Share of the rep's discovery questions that are open ("walk me through…").
    pub open_questions: f64,
    /// The pause, in milliseconds, before the rep answers the customer (patience).
    pub patience_ms: (f64, f64),
    /// Chance that a sentence starts with a filler ("um", "so", "you know").
    pub fillers: f64,
    /// Chance of cutting in before the customer has finished.
    pub interrupts: f64,
    /// Chance of checking in ("does that make sense?") after explaining something.
    pub check_ins: f64,
    pub words_per_minute: f64,
}

#[rustfmt::skip]
pub(crate) const TALK_STYLES: [TalkStyle; 5] = [
    TalkStyle { verbosity: 0.3, open_questions: 0.9, patience_ms: (900.0, 1_700.0), fillers: 0.04, interrupts: 0.01, check_ins: 0.8, words_per_minute: 146.0 },
    TalkStyle { verbosity: 2.8, open_questions: 0.2, patience_ms: (150.0, 450.0), fillers: 0.16, interrupts: 0.15, check_ins: 0.1, words_per_minute: 172.0 },
    TalkStyle { verbosity: 0.8, open_questions: 0.65, patience_ms: (600.0, 1_200.0), fillers: 0.08, interrupts: 0.03, check_ins: 0.6, words_per_minute: 152.0 },
    TalkStyle { verbosity: 1.9, open_questions: 0.35, patience_ms: (250.0, 650.0), fillers: 0.13, interrupts: 0.09, check_ins: 0.25, words_per_minute: 165.0 },
    TalkStyle { verbosity: 1.3, open_questions: 0.5, patience_ms: (400.0, 900.0), fillers: 0.1, interrupts: 0.05, check_ins: 0.4, words_per_minute: 158.0 },
];

/// Where a call's story comes from: a deal's outcome (with the lost reason), a deal still
/// open, or an accepted lead that never became a deal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Situation {
    Won,
    Lost(&'static str),
    Open,
    Lead,
}

/// Chances, per deal, that a theme comes up on its calls; `positivity` is the share of the
/// buyer's reactions that are positive and `engagement` scales how much the buyer says.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ThemeOdds {
    pub price_objection: f64,
    pub budget_objection: f64,
    pub competitor: f64,
    pub happy_with_current: f64,
    pub not_a_priority: f64,
    pub discount_ask: f64,
    pub missing_feature: f64,
    pub case_study: f64,
    /// Chance, per call, that the call ends with a next step with who, what and when.
    pub firm_next_steps: f64,
    pub positivity: f64,
    pub engagement: f64,
}

/// Lost deals hear more price objections (most of all those lost on price) and name a
/// competitor (always when lost to one); won deals agree next steps and hear case studies.
/// Buyers who read bottom-of-funnel content mention case studies far more often.
pub(crate) fn theme_odds(situation: Situation, read_bottom_content: bool) -> ThemeOdds {
    #[rustfmt::skip]
    let (price, budget, competitor, current, priority, discount, feature, case_study, next, positive, engaged) = match situation {
        Situation::Won => (0.1, 0.05, 0.35, 0.1, 0.05, 0.6, 0.05, 0.55, 0.9, 0.75, 1.15),
        Situation::Lost("price") => (0.95, 0.3, 0.45, 0.2, 0.15, 0.9, 0.05, 0.15, 0.4, 0.45, 0.85),
        Situation::Lost("competitor") => (0.5, 0.1, 1.0, 0.45, 0.1, 0.6, 0.1, 0.15, 0.4, 0.45, 0.85),
        Situation::Lost("no_decision") => (0.35, 0.35, 0.35, 0.45, 0.75, 0.3, 0.1, 0.15, 0.25, 0.45, 0.75),
        Situation::Lost("timing") => (0.5, 0.75, 0.3, 0.2, 0.6, 0.4, 0.05, 0.15, 0.35, 0.5, 0.8),
        Situation::Lost(_) => (0.35, 0.1, 0.6, 0.3, 0.15, 0.4, 0.95, 0.15, 0.45, 0.4, 0.85),
        Situation::Open => (0.25, 0.2, 0.5, 0.25, 0.2, 0.5, 0.15, 0.3, 0.65, 0.6, 1.0),
        Situation::Lead => (0.2, 0.4, 0.3, 0.4, 0.5, 0.1, 0.1, 0.1, 0.3, 0.5, 0.8),
    };
    let case_study = if read_bottom_content { (case_study + 0.35_f64).min(0.95) } else { case_study };
    ThemeOdds {
        price_objection: price,
        budget_objection: budget,
        competitor,
        happy_with_current: current,
        not_a_priority: priority,
        discount_ask: discount,
        missing_feature: feature,
        case_study,
        firm_next_steps: next,
        positivity: positive,
        engagement: engaged,
    }
}

/// Share of the calls that go to accepted leads who never became a deal (one discovery call
/// each); the rest follow deals, seven in ten of them closed.
pub(crate) const LEAD_CALL_SHARE: f64 = 0.1;
pub(crate) const CLOSED_DEAL_CALL_SHARE: f64 = 0.7;

//! Scoring one person against a definition at an explicit `now`: fit, decayed engagement,
//! total, grade and the matched rules as signed reasons.

use std::collections::BTreeMap;

use rapport_domain::{Timestamp, TouchKind};
use serde::{Deserialize, Serialize};

use super::document::{words, Condition, Definition, EngagementRule, Field, FitRule};
use super::grade::{grade, Grade};

/// What the fit rules look at: the person and their account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PersonInput {
    pub title: Option<String>,
    pub email_domain: Option<String>,
    pub source: Option<String>,
    pub campaign: Option<String>,
    /// The person's country, else the account's.
    pub country: Option<String>,
    pub industry: Option<String>,
    pub employees: Option<u32>,
}

/// What the engagement rules look at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TouchInput {
    pub at: Timestamp,
    pub kind: TouchKind,
    pub campaign: Option<String>,
    pub content_url: Option<String>,
    pub attributes: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    Fit,
    Engagement,
    Negative,
}

/// One matched rule and what it gave, after decay and cap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    pub kind: ReasonKind,
    pub rule: String,
    pub points: f64,
    /// How many touches matched (engagement rules only).
    pub touches: usize,
    /// "Title matches 'VP|Head of' (+15)".
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Fit points, negative rules included (it can go below zero).
    pub fit: f64,
    pub engagement: f64,
    pub total: f64,
    pub grade: Grade,
    /// Whether the total reaches the definition's MQL threshold.
    pub qualifies: bool,
    /// Largest effect first.
    pub reasons: Vec<Reason>,
}

/// Rounds for display: scores are shown to one decimal.
fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn signed(points: f64) -> String {
    let p = round1(points);
    if p >= 0.0 {
        format!("+{p}")
    } else {
        format!("{p}")
    }
}

/// Scores `person` with the touches that happened up to `now` (later ones are ignored, so a
/// past `now` replays history).
pub fn evaluate(
    definition: &Definition,
    person: &PersonInput,
    touches: &[TouchInput],
    now: Timestamp,
) -> Evaluation {
    let mut reasons = Vec::new();
    let mut fit = 0.0;
    for (rules, kind) in [(&definition.fit, ReasonKind::Fit), (&definition.negative, ReasonKind::Negative)] {
        for rule in rules {
            if fit_matches(rule, person) {
                fit += rule.points;
                reasons.push(Reason {
                    kind,
                    rule: rule.label.clone(),
                    points: rule.points,
                    touches: 0,
                    text: format!("{} ({})", rule.label, signed(rule.points)),
                });
            }
        }
    }
    let mut sums = vec![(0.0_f64, 0_usize); definition.engagement.len()];
    for touch in touches.iter().filter(|t| t.at <= now) {
        if let Some(index) = first_matching(&definition.engagement, touch) {
            let rule = &definition.engagement[index];
            let age_days = (now - touch.at).num_milliseconds() as f64 / 86_400_000.0;
            sums[index].0 += rule.points * decay(age_days, rule.half_life_days);
            sums[index].1 += 1;
        }
    }
    let mut engagement = 0.0;
    for (rule, (sum, count)) in definition.engagement.iter().zip(sums) {
        if count == 0 {
            continue;
        }
        let points = capped(rule, sum);
        engagement += points;
        // Touches decayed to nothing still count, but are not a reason worth reading.
        if round1(points) == 0.0 {
            continue;
        }
        reasons.push(Reason {
            kind: ReasonKind::Engagement,
            rule: rule.label.clone(),
            points,
            touches: count,
            text: format!("{} ×{count} ({})", rule.label, signed(points)),
        });
    }
    reasons.sort_by(|a, b| b.points.abs().total_cmp(&a.points.abs()));
    let total = fit + engagement;
    Evaluation {
        fit,
        engagement,
        total,
        grade: grade(&definition.grades, fit, engagement),
        qualifies: reaches(total, definition.mql_threshold),
        reasons,
    }
}

/// Threshold comparison shared by [`evaluate`] and the backtest, tolerant of the last bits of
/// floating-point decay so both agree on a total that lands exactly on the threshold.
pub(crate) fn reaches(total: f64, threshold: f64) -> bool {
    total >= threshold - 1e-9
}

pub(crate) fn capped(rule: &EngagementRule, sum: f64) -> f64 {
    rule.cap.map_or(sum, |cap| sum.min(cap))
}

/// The share of a touch's points left after `age_days`: halves every half-life.
pub fn decay(age_days: f64, half_life_days: f64) -> f64 {
    0.5_f64.powf(age_days.max(0.0) / half_life_days)
}

/// Each touch counts for the first rule it matches, so a specific rule listed first
/// ("pricing page visit") takes precedence over a general one ("any web visit").
pub(crate) fn first_matching(rules: &[EngagementRule], touch: &TouchInput) -> Option<usize> {
    rules.iter().position(|rule| engagement_matches(rule, touch))
}

fn engagement_matches(rule: &EngagementRule, touch: &TouchInput) -> bool {
    if rule.kind.is_some_and(|k| k != touch.kind) {
        return false;
    }
    if let Some(campaign) = &rule.campaign {
        if !touch.campaign.as_deref().is_some_and(|c| c.trim().eq_ignore_ascii_case(campaign.trim())) {
            return false;
        }
    }
    if let Some(content) = &rule.content {
        if !touch.content_url.as_deref().is_some_and(|u| u.to_lowercase().contains(content.as_str())) {
            return false;
        }
    }
    rule.attributes
        .iter()
        .all(|(key, value)| touch.attributes.get(key).is_some_and(|v| v.eq_ignore_ascii_case(value)))
}

pub(crate) fn fit_matches(rule: &FitRule, person: &PersonInput) -> bool {
    let text = match rule.field {
        Field::Industry => person.industry.as_deref(),
        Field::Title => person.title.as_deref(),
        Field::Country => person.country.as_deref(),
        Field::Source => person.source.as_deref(),
        Field::Campaign => person.campaign.as_deref(),
        Field::EmailDomain => person.email_domain.as_deref(),
        Field::Employees => {
            let Some(count) = person.employees else { return false };
            let Condition::Range { at_least, at_most } = rule.condition else { return false };
            let count = f64::from(count);
            return at_least.is_none_or(|low| count >= low) && at_most.is_none_or(|high| count <= high);
        }
    };
    let Some(text) = text else { return false };
    match &rule.condition {
        Condition::In(list) => list.iter().any(|v| v.eq_ignore_ascii_case(text.trim())),
        Condition::Matches(patterns) => {
            let value = words(text);
            patterns.iter().any(|p| contains_words(&value, &words(p)))
        }
        Condition::Range { .. } => false,
    }
}

fn contains_words(haystack: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

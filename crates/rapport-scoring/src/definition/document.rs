//! The lead definition as a TOML document: parsing, checking, and the checked types the
//! evaluator uses. Errors name the line and the field at fault.

use std::collections::BTreeMap;

use rapport_domain::TouchKind;
use serde::Deserialize;
use toml::Spanned;

/// A parsed and checked lead definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    pub name: String,
    /// Total points (fit + engagement) at which a person becomes marketing qualified.
    pub mql_threshold: f64,
    /// Half-life of engagement points, in days, for rules that do not set their own.
    pub half_life_days: f64,
    pub grades: GradeBands,
    pub fit: Vec<FitRule>,
    pub engagement: Vec<EngagementRule>,
    /// Fit rules whose points are negative (students, competitors, free mail, …).
    pub negative: Vec<FitRule>,
    /// What makes a person an MQL: the rules' threshold, the model's probability, or both.
    pub trigger: Trigger,
    /// The model probability at which the `model` and `both` triggers fire.
    pub min_probability: f64,
}

/// Which score fires the MQL trigger. With `model` or `both` and no trained model (too few
/// outcomes yet), the rules decide alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    #[default]
    Rules,
    Model,
    Both,
}

impl Trigger {
    /// Whether a person qualifies, given the rules' verdict and the model's probability.
    pub fn fires(self, rules: bool, probability: Option<f64>, min_probability: f64) -> bool {
        let Some(p) = probability else { return rules };
        match self {
            Self::Rules => rules,
            Self::Model => p >= min_probability,
            Self::Both => rules && p >= min_probability,
        }
    }
}

/// Where fit and engagement split into high / medium / low; see [`crate::definition::grade`].
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeBands {
    pub fit_high: f64,
    pub fit_medium: f64,
    pub engagement_high: f64,
    pub engagement_medium: f64,
}

/// A person or account attribute a fit rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Industry,
    Employees,
    Title,
    Country,
    Source,
    Campaign,
    EmailDomain,
}

impl Field {
    pub fn label(self) -> &'static str {
        match self {
            Self::Industry => "Industry",
            Self::Employees => "Employees",
            Self::Title => "Title",
            Self::Country => "Country",
            Self::Source => "Source",
            Self::Campaign => "Campaign",
            Self::EmailDomain => "Email domain",
        }
    }
}

/// How a fit rule tests its field; exactly one per rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// Equal to one of these, ignoring case and surrounding spaces.
    In(Vec<String>),
    /// Contains one of these word patterns as whole words, ignoring case ("VP" matches
    /// "VP Sales" but not "MVP").
    Matches(Vec<String>),
    /// A number within the bounds (either may be open).
    Range { at_least: Option<f64>, at_most: Option<f64> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct FitRule {
    /// What reasons call the rule; generated from the condition when the document gives none.
    pub label: String,
    pub field: Field,
    pub condition: Condition,
    pub points: f64,
}

/// Points for each touch that matches every given condition, decayed by age and capped.
#[derive(Debug, Clone, PartialEq)]
pub struct EngagementRule {
    pub label: String,
    pub kind: Option<TouchKind>,
    /// Campaign name, ignoring case.
    pub campaign: Option<String>,
    /// A substring of the content URL, ignoring case (`/pricing`, `case-study`).
    pub content: Option<String>,
    /// Touch attributes that must be equal (`page = "/pricing"`, `form = "demo_request"`).
    pub attributes: BTreeMap<String, String>,
    pub points: f64,
    pub half_life_days: f64,
    /// Most points the rule gives, after decay.
    pub cap: Option<f64>,
}

/// A document that cannot be used, with where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DefinitionError {
    /// The TOML itself (syntax, a wrong type, an unknown key); the message holds the line.
    #[error("lead definition: {0}")]
    Toml(String),
    #[error("lead definition, line {line}, field `{field}`: {message}")]
    Field { line: usize, field: String, message: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDocument {
    name: String,
    mql_threshold: Spanned<f64>,
    #[serde(default = "default_half_life")]
    half_life_days: Spanned<f64>,
    grades: Spanned<GradeBands>,
    #[serde(default)]
    fit: Vec<Spanned<RawFitRule>>,
    #[serde(default)]
    engagement: Vec<Spanned<RawEngagementRule>>,
    #[serde(default)]
    negative: Vec<Spanned<RawFitRule>>,
    #[serde(default)]
    trigger: Trigger,
    #[serde(default = "default_min_probability")]
    min_probability: Spanned<f64>,
}

fn default_min_probability() -> Spanned<f64> {
    Spanned::new(0..0, 0.5)
}

fn default_half_life() -> Spanned<f64> {
    Spanned::new(0..0, 30.0)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFitRule {
    label: Option<String>,
    field: Field,
    #[serde(rename = "in")]
    in_list: Option<Vec<String>>,
    matches: Option<Vec<String>>,
    at_least: Option<f64>,
    at_most: Option<f64>,
    points: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEngagementRule {
    label: Option<String>,
    kind: Option<String>,
    campaign: Option<String>,
    content: Option<String>,
    #[serde(default)]
    attributes: BTreeMap<String, String>,
    points: f64,
    half_life_days: Option<f64>,
    cap: Option<f64>,
}

/// Parses and checks a definition document.
pub fn parse_definition(text: &str) -> Result<Definition, DefinitionError> {
    let raw: RawDocument = toml::from_str(text).map_err(|e| DefinitionError::Toml(toml_message(text, &e)))?;
    let at = |span: std::ops::Range<usize>, field: &str, message: String| DefinitionError::Field {
        line: line_of(text, span.start),
        field: field.to_owned(),
        message,
    };
    if !raw.mql_threshold.get_ref().is_finite() || *raw.mql_threshold.get_ref() <= 0.0 {
        return Err(at(raw.mql_threshold.span(), "mql_threshold", "must be a positive number".into()));
    }
    if !(raw.half_life_days.get_ref().is_finite() && *raw.half_life_days.get_ref() > 0.0) {
        return Err(at(
            raw.half_life_days.span(),
            "half_life_days",
            "must be a positive number of days".into(),
        ));
    }
    let min_probability = *raw.min_probability.get_ref();
    if !(0.0..=1.0).contains(&min_probability) {
        return Err(at(raw.min_probability.span(), "min_probability", "must be between 0 and 1".into()));
    }
    let bands = *raw.grades.get_ref();
    if bands.fit_medium > bands.fit_high || bands.engagement_medium > bands.engagement_high {
        return Err(at(raw.grades.span(), "grades", "each medium band must be at most its high band".into()));
    }
    let mut fit = Vec::new();
    for (index, rule) in raw.fit.iter().enumerate() {
        let field = format!("fit[{index}]");
        let checked = fit_rule(rule.get_ref()).map_err(|m| at(rule.span(), &field, m))?;
        if checked.points <= 0.0 {
            return Err(at(
                rule.span(),
                &format!("{field}.points"),
                "fit points must be positive; put penalties under [[negative]]".into(),
            ));
        }
        fit.push(checked);
    }
    let mut negative = Vec::new();
    for (index, rule) in raw.negative.iter().enumerate() {
        let field = format!("negative[{index}]");
        let checked = fit_rule(rule.get_ref()).map_err(|m| at(rule.span(), &field, m))?;
        if checked.points >= 0.0 {
            return Err(at(
                rule.span(),
                &format!("{field}.points"),
                "negative rules take negative points".into(),
            ));
        }
        negative.push(checked);
    }
    let mut engagement = Vec::new();
    for (index, rule) in raw.engagement.iter().enumerate() {
        let field = format!("engagement[{index}]");
        let checked = engagement_rule(rule.get_ref(), *raw.half_life_days.get_ref())
            .map_err(|(sub, m)| at(rule.span(), &format!("{field}{sub}"), m))?;
        engagement.push(checked);
    }
    Ok(Definition {
        name: raw.name,
        mql_threshold: *raw.mql_threshold.get_ref(),
        half_life_days: *raw.half_life_days.get_ref(),
        grades: bands,
        fit,
        engagement,
        negative,
        trigger: raw.trigger,
        min_probability,
    })
}

fn fit_rule(raw: &RawFitRule) -> Result<FitRule, String> {
    let given =
        [raw.in_list.is_some(), raw.matches.is_some(), raw.at_least.is_some() || raw.at_most.is_some()];
    if given.iter().filter(|g| **g).count() != 1 {
        return Err("give exactly one condition: `in`, `matches`, or `at_least`/`at_most`".into());
    }
    if !raw.points.is_finite() {
        return Err("points must be a number".into());
    }
    let numeric = raw.field == Field::Employees;
    let condition = if let Some(list) = &raw.in_list {
        non_empty(list, "in")?;
        Condition::In(list.iter().map(|v| v.trim().to_owned()).collect())
    } else if let Some(list) = &raw.matches {
        non_empty(list, "matches")?;
        if list.iter().any(|p| words(p).is_empty()) {
            return Err("`matches` holds a pattern without words".into());
        }
        Condition::Matches(list.clone())
    } else {
        if !numeric {
            return Err(format!("`at_least`/`at_most` apply to `employees`, not `{}`", field_key(raw.field)));
        }
        if let (Some(low), Some(high)) = (raw.at_least, raw.at_most) {
            if low > high {
                return Err("`at_least` is above `at_most`".into());
            }
        }
        Condition::Range { at_least: raw.at_least, at_most: raw.at_most }
    };
    if numeric && !matches!(condition, Condition::Range { .. }) {
        return Err("`employees` takes `at_least`/`at_most`".into());
    }
    let label = raw.label.clone().unwrap_or_else(|| describe(raw.field, &condition));
    Ok(FitRule { label, field: raw.field, condition, points: raw.points })
}

fn engagement_rule(
    raw: &RawEngagementRule,
    default_half_life: f64,
) -> Result<EngagementRule, (String, String)> {
    let kind = match &raw.kind {
        Some(text) => Some(TouchKind::parse(text).ok_or_else(|| {
            (".kind".to_owned(), format!("unknown touch kind {text:?} (expected one of {})", kind_names()))
        })?),
        None => None,
    };
    if kind.is_none() && raw.campaign.is_none() && raw.content.is_none() && raw.attributes.is_empty() {
        return Err((
            String::new(),
            "give at least one of `kind`, `campaign`, `content`, `attributes`".into(),
        ));
    }
    if !(raw.points.is_finite() && raw.points > 0.0) {
        return Err((".points".into(), "must be a positive number".into()));
    }
    let half_life_days = raw.half_life_days.unwrap_or(default_half_life);
    if !(half_life_days.is_finite() && half_life_days > 0.0) {
        return Err((".half_life_days".into(), "must be a positive number of days".into()));
    }
    if let Some(cap) = raw.cap {
        if !(cap.is_finite() && cap > 0.0) {
            return Err((".cap".into(), "must be a positive number".into()));
        }
    }
    let label = raw.label.clone().unwrap_or_else(|| {
        let mut parts = Vec::new();
        if let Some(kind) = kind {
            parts.push(kind.as_str().replace('_', " "));
        }
        if let Some(campaign) = &raw.campaign {
            parts.push(format!("campaign {campaign}"));
        }
        if let Some(content) = &raw.content {
            parts.push(format!("content {content}"));
        }
        for (key, value) in &raw.attributes {
            parts.push(format!("{key} {value}"));
        }
        parts.join(", ")
    });
    Ok(EngagementRule {
        label,
        kind,
        campaign: raw.campaign.clone(),
        content: raw.content.as_ref().map(|c| c.to_lowercase()),
        attributes: raw.attributes.clone(),
        points: raw.points,
        half_life_days,
        cap: raw.cap,
    })
}

fn non_empty(list: &[String], key: &str) -> Result<(), String> {
    if list.is_empty() || list.iter().any(|v| v.trim().is_empty()) {
        return Err(format!("`{key}` needs at least one non-blank value"));
    }
    Ok(())
}

fn field_key(field: Field) -> &'static str {
    match field {
        Field::Industry => "industry",
        Field::Employees => "employees",
        Field::Title => "title",
        Field::Country => "country",
        Field::Source => "source",
        Field::Campaign => "campaign",
        Field::EmailDomain => "email_domain",
    }
}

fn kind_names() -> String {
    TouchKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
}

/// "Title matches 'VP|Head of'", "Industry in Software, Retail", "Employees 200–4999".
fn describe(field: Field, condition: &Condition) -> String {
    let label = field.label();
    match condition {
        Condition::In(list) => format!("{label} is {}", list.join(" or ")),
        Condition::Matches(list) => format!("{label} matches '{}'", list.join("|")),
        Condition::Range { at_least: Some(low), at_most: Some(high) } => format!("{label} {low}–{high}"),
        Condition::Range { at_least: Some(low), at_most: None } => format!("{label} ≥ {low}"),
        Condition::Range { at_least: None, at_most: Some(high) } => format!("{label} ≤ {high}"),
        Condition::Range { .. } => label.to_owned(),
    }
}

/// Lower-cased words of `text` (letters and digits; everything else separates).
pub(crate) fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].bytes().filter(|b| *b == b'\n').count() + 1
}

/// toml's own message already says "line N, column M"; keep it on one line.
fn toml_message(text: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim().to_owned();
    match error.span() {
        Some(span) => format!("line {}: {message}", line_of(text, span.start)),
        None => message,
    }
}

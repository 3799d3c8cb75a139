//! The report's stats as a table: key (as in JSON and `?stat=`), label, unit and how each
//! value and change reads, shared by the CLI table, the web page and the JSON schema.

use rapport_conversation::MetricAverages;

use crate::AppError;

/// One stat of [`MetricAverages`]: its key (as in JSON and `?stat=`), label and unit.
#[derive(Debug, Clone, Copy)]
pub struct Stat {
    pub key: &'static str,
    pub label: &'static str,
    pub unit: Unit,
    pub value: fn(&MetricAverages) -> Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// 0–1, shown as a percentage.
    Share,
    Seconds,
    /// A plain number (interactivity 0–10, questions per hour, words per minute, fillers per
    /// 100 words).
    Number,
}

impl Stat {
    /// The value as tables show it; `–` when undefined.
    pub fn display(&self, value: Option<f64>) -> String {
        match (value, self.unit) {
            (None, _) => "–".to_owned(),
            (Some(v), Unit::Share) => format!("{:.0}%", v * 100.0),
            // Patience is a second or two; a monologue is minutes: tenths only where they tell.
            (Some(v), Unit::Seconds) if v.abs() < 10.0 => format!("{v:.1} s"),
            (Some(v), Unit::Seconds) => format!("{v:.0} s"),
            (Some(v), Unit::Number) => format!("{v:.1}"),
        }
    }

    /// A change with its sign; a change of a share is in percentage points (`+21 pp`), since
    /// "+21%" would read as relative.
    pub fn display_change(&self, change: Option<f64>) -> String {
        match (change, self.unit) {
            (None, _) => "–".to_owned(),
            (Some(v), Unit::Share) => format!("{:+.0} pp", v * 100.0),
            (Some(v), _) if v < 0.0 => format!("−{}", self.display(Some(-v))),
            (Some(v), _) => format!("+{}", self.display(Some(v))),
        }
    }
}

/// Every stat, in the order tables show them.
pub const STATS: [Stat; 9] = [
    Stat { key: "talk_ratio", label: "Talk ratio", unit: Unit::Share, value: |m| m.talk_ratio },
    Stat {
        key: "longest_monologue_s",
        label: "Longest monologue",
        unit: Unit::Seconds,
        value: |m| m.longest_monologue_s,
    },
    Stat {
        key: "longest_customer_story_s",
        label: "Longest customer story",
        unit: Unit::Seconds,
        value: |m| m.longest_customer_story_s,
    },
    Stat {
        key: "interactivity",
        label: "Interactivity (0–10)",
        unit: Unit::Number,
        value: |m| m.interactivity,
    },
    Stat { key: "patience_s", label: "Patience", unit: Unit::Seconds, value: |m| m.patience_s },
    Stat {
        key: "question_rate_per_hour",
        label: "Questions per hour",
        unit: Unit::Number,
        value: |m| m.question_rate_per_hour,
    },
    Stat { key: "duration_s", label: "Call length", unit: Unit::Seconds, value: |m| m.duration_s },
    Stat {
        key: "rep_words_per_minute",
        label: "Words per minute",
        unit: Unit::Number,
        value: |m| m.rep_words_per_minute,
    },
    Stat {
        key: "rep_filler_rate",
        label: "Fillers per 100 words",
        unit: Unit::Number,
        value: |m| m.rep_filler_rate,
    },
];

/// The stat named `key`; unknown keys are refused naming `field`.
pub fn stat(field: &str, key: &str) -> Result<Stat, AppError> {
    STATS.iter().find(|s| s.key == key).copied().ok_or_else(|| {
        let keys: Vec<&str> = STATS.iter().map(|s| s.key).collect();
        AppError::invalid(field, format!("`{key}` is not one of {}", keys.join(", ")))
    })
}

//! How today's stored scores spread: people per grade and a histogram of the model's
//! probability (or of the definition's points when no model scored them), with each person's
//! grade and bar kept so a bar can list the people behind it.
//!
//! Reading every stored score is one pass over a million rows on a large workspace, far over
//! a page's budget, so the summary is kept in memory and stamped with the store's revision
//! read before the pass (as `rapport_app::report_cache` does): any write, from any process,
//! makes the next view read the scores again, and a write racing the pass only causes one more
//! reload, never a stale view.
//!
//! A backtest replays every person's history (seconds on a large workspace), so the last few
//! are kept the same way, by version and revision: a shared `?backtest=N` link costs the replay
//! once. A backtest only changes when history does (a score rises only at a touch), so a kept
//! one stays right while the revision is unchanged.

use std::sync::Arc;

use rapport_app::report_memo::Memo;
use rapport_app::scoring::definitions;
use rapport_app::AppError;
use rapport_domain::{PersonId, Timestamp};
use rapport_scoring::definition::Comparison;
use rapport_store::{Store, StoreError};

/// The lead definition's grades, best first (`rapport_scoring::definition::Grade`).
pub const GRADES: [&str; 4] = ["A", "B", "C", "D"];

/// One scored person: who, their grade (index into [`GRADES`]), their histogram bar, and
/// the value ranked by (probability, else points).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoredPerson {
    pub id: PersonId,
    pub grade: Option<u8>,
    pub bar: u8,
    pub value: f64,
}

/// What the histogram counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistogramOf {
    /// The model's calibrated probability, in tenths of [0, 1].
    Probability,
    /// The definition's points, in ten equal bars from the lowest to the highest.
    Points,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScoreSummary {
    pub people: Vec<ScoredPerson>,
    /// People per grade, in the order of [`GRADES`].
    pub by_grade: [usize; 4],
    pub qualified: usize,
    pub histogram_of: HistogramOf,
    /// Bar `i` covers `[edges[i], edges[i + 1])`; the last bar includes its upper edge.
    pub edges: Vec<f64>,
    pub counts: Vec<usize>,
}

pub const BARS: usize = 10;

impl ScoreSummary {
    /// Reads every stored score once.
    pub fn load(store: &dyn Store) -> Result<Self, StoreError> {
        let mut rows: Vec<(PersonId, Option<u8>, Option<f64>, f64)> = Vec::new();
        let mut qualified = 0;
        store.export_scores(&mut |score| {
            let grade = GRADES
                .iter()
                .position(|g| g.eq_ignore_ascii_case(score.grade.trim()))
                .map(|index| index as u8);
            qualified += usize::from(score.qualifies);
            rows.push((score.person_id, grade, score.probability, score.total));
            Ok(())
        })?;
        Ok(Self::from_rows(&rows, qualified))
    }

    /// The summary of (person, grade, probability, points) rows.
    pub fn from_rows(rows: &[(PersonId, Option<u8>, Option<f64>, f64)], qualified: usize) -> Self {
        let probabilities = !rows.is_empty() && rows.iter().all(|row| row.2.is_some());
        let value = |row: &(PersonId, Option<u8>, Option<f64>, f64)| match row.2 {
            Some(probability) if probabilities => probability.clamp(0.0, 1.0),
            _ => row.3,
        };
        let (low, high) = if probabilities {
            (0.0, 1.0)
        } else {
            let low = rows.iter().map(value).fold(f64::INFINITY, f64::min);
            let high = rows.iter().map(value).fold(f64::NEG_INFINITY, f64::max);
            if low.is_finite() {
                (low.floor(), high.ceil().max(low.floor() + 1.0))
            } else {
                (0.0, 1.0)
            }
        };
        let width = (high - low) / BARS as f64;
        let edges: Vec<f64> = (0..=BARS).map(|i| low + width * i as f64).collect();
        let mut counts = vec![0; BARS];
        let mut by_grade = [0; 4];
        let people = rows
            .iter()
            .map(|row| {
                let value = value(row);
                let bar = (((value - low) / width) as usize).min(BARS - 1);
                counts[bar] += 1;
                if let Some(grade) = row.1 {
                    by_grade[usize::from(grade)] += 1;
                }
                ScoredPerson { id: row.0, grade: row.1, bar: bar as u8, value }
            })
            .collect();
        let histogram_of = if probabilities { HistogramOf::Probability } else { HistogramOf::Points };
        Self { people, by_grade, qualified, histogram_of, edges, counts }
    }
}

/// Backtests kept, the least recently used dropped first.
const BACKTESTS_KEPT: usize = 4;

/// The latest summary and the revision it was read at; the latest backtests by version.
#[derive(Debug)]
pub struct ScoreCache {
    summary: Memo<(), ScoreSummary>,
    /// Backtests by definition version.
    backtests: Memo<i64, Comparison>,
}

impl Default for ScoreCache {
    fn default() -> Self {
        Self { summary: Memo::new(1), backtests: Memo::new(BACKTESTS_KEPT) }
    }
}

impl ScoreCache {
    pub fn summary(&self, store: &dyn Store) -> Result<Arc<ScoreSummary>, StoreError> {
        self.summary.get_or_load(store, &(), || ScoreSummary::load(store))
    }

    /// `definitions::backtest` of `version`, replayed only when history changed since.
    pub fn backtest(
        &self,
        store: &dyn Store,
        version: i64,
        now: Timestamp,
    ) -> Result<Arc<Comparison>, AppError> {
        self.backtests.get_or_load(store, &version, || definitions::backtest(store, version, now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        id: i64,
        grade: Option<u8>,
        probability: Option<f64>,
        points: f64,
    ) -> (PersonId, Option<u8>, Option<f64>, f64) {
        (PersonId(id), grade, probability, points)
    }

    #[test]
    fn probabilities_fall_into_tenths_and_grades_are_counted() {
        let rows = [
            row(1, Some(0), Some(0.95), 80.0),
            row(2, Some(1), Some(1.0), 60.0),
            row(3, Some(3), Some(0.05), 5.0),
            row(4, None, Some(0.31), 0.0),
        ];
        let summary = ScoreSummary::from_rows(&rows, 2);
        assert_eq!(summary.histogram_of, HistogramOf::Probability);
        assert_eq!(summary.counts, vec![1, 0, 0, 1, 0, 0, 0, 0, 0, 2]);
        assert_eq!(summary.by_grade, [1, 1, 0, 1]);
        assert_eq!(summary.people[3].bar, 3);
        assert_eq!(summary.qualified, 2);
    }

    #[test]
    fn without_a_model_points_spread_over_ten_bars() {
        let rows =
            [row(1, Some(0), None, -10.0), row(2, Some(2), None, 90.0), row(3, Some(2), Some(0.5), 40.0)];
        let summary = ScoreSummary::from_rows(&rows, 0);
        assert_eq!(summary.histogram_of, HistogramOf::Points, "one unscored by the model: points for all");
        assert_eq!((summary.edges[0], summary.edges[BARS]), (-10.0, 90.0));
        assert_eq!(summary.counts.iter().sum::<usize>(), 3);
        assert_eq!((summary.people[0].bar, summary.people[1].bar, summary.people[2].bar), (0, 9, 5));
        assert_eq!(ScoreSummary::from_rows(&[], 0).counts, vec![0; BARS]);
    }
}

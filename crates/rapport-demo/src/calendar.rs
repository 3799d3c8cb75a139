//! Time in the demo: a year of history ending on the anchor date, its seasons (quiet summers
//! and Decembers, a spike around the yearly summit, growth over the year) and business hours.

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc, Weekday};
use rand::Rng;
use rapport_domain::Timestamp;

use crate::rng::{chance, DemoRng};

/// How busy each month is, January first: B2B buying slows in summer and at year end.
const MONTH_FACTOR: [f64; 12] = [1.0, 1.05, 1.15, 1.1, 1.05, 0.95, 0.7, 0.65, 1.1, 1.2, 1.1, 0.6];

/// Days of history in every demo.
pub(crate) const HISTORY_DAYS: i64 = 365;

#[derive(Debug)]
pub(crate) struct Calendar {
    pub first_day: NaiveDate,
    /// Midnight after the anchor day: nothing happens at or after it.
    pub end: Timestamp,
    /// The yearly summit, the biggest lead spike of the year.
    pub summit: NaiveDate,
    /// Cumulative busy-ness per day, for drawing days in proportion to it.
    cumulative: Vec<f64>,
}

impl Calendar {
    pub(crate) fn new(anchor: NaiveDate) -> Self {
        let first_day = anchor - Duration::days(HISTORY_DAYS - 1);
        let summit = summit_date(anchor, first_day);
        let mut total = 0.0;
        let cumulative = (0..HISTORY_DAYS)
            .map(|offset| {
                let day = first_day + Duration::days(offset);
                // Growth: the business gets a third more leads at the end of the year than at
                // the start.
                let growth = 1.0 + 0.33 * offset as f64 / HISTORY_DAYS as f64;
                let around_summit = (day - summit).num_days().abs() <= 7;
                total += season(day) * growth * if around_summit { 1.3 } else { 1.0 };
                total
            })
            .collect();
        Self { first_day, end: midnight(anchor + Duration::days(1)), summit, cumulative }
    }

    pub(crate) fn start(&self) -> Timestamp {
        midnight(self.first_day)
    }

    /// A day drawn in proportion to how busy it is.
    pub(crate) fn busy_day(&self, rng: &mut DemoRng) -> NaiveDate {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let target = rng.gen::<f64>() * total;
        let offset = self.cumulative.partition_point(|c| *c <= target).min(self.cumulative.len() - 1);
        self.first_day + Duration::days(offset as i64)
    }

    /// A moment on a busy day, mostly in working hours.
    pub(crate) fn busy_moment(&self, rng: &mut DemoRng) -> Timestamp {
        at_time_of_day(self.busy_day(rng), rng)
    }

    /// A uniformly drawn moment in `[from, to)`, clipped to the history; `None` when empty.
    pub(crate) fn moment_between(
        &self,
        rng: &mut DemoRng,
        from: Timestamp,
        to: Timestamp,
    ) -> Option<Timestamp> {
        let to = to.min(self.end);
        let span = (to - from).num_seconds();
        (span > 0).then(|| from + Duration::seconds(rng.gen_range(0..span)))
    }
}

/// A moment on `day`: three in four in working hours, the rest at any time.
pub(crate) fn at_time_of_day(day: NaiveDate, rng: &mut DemoRng) -> Timestamp {
    let seconds =
        if chance(rng, 0.75) { rng.gen_range(8 * 3600..18 * 3600) } else { rng.gen_range(0..86_400) };
    midnight(day) + Duration::seconds(seconds)
}

pub(crate) fn midnight(day: NaiveDate) -> Timestamp {
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists"))
}

/// How busy a day is: the month's factor, and weekends far quieter.
pub(crate) fn season(day: NaiveDate) -> f64 {
    let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
    MONTH_FACTOR[day.month0() as usize] * if weekend { 0.3 } else { 1.0 }
}

/// The summit is in early October: the latest one at least two weeks before the anchor (so
/// its leads have had time to be worked), else the latest one in the history.
fn summit_date(anchor: NaiveDate, first_day: NaiveDate) -> NaiveDate {
    let on = |year| NaiveDate::from_ymd_opt(year, 10, 8).expect("October 8 exists");
    let latest_before =
        |limit: NaiveDate| if on(limit.year()) <= limit { on(limit.year()) } else { on(limit.year() - 1) };
    let preferred = latest_before(anchor - Duration::days(14));
    if preferred >= first_day + Duration::days(7) {
        preferred
    } else {
        latest_before(anchor)
    }
}

pub(crate) fn days(count: f64) -> Duration {
    Duration::seconds((count * 86_400.0) as i64)
}

pub(crate) fn hours(count: f64) -> Duration {
    Duration::seconds((count * 3_600.0) as i64)
}

/// `at` plus `hours` of working time (Monday to Friday, 08:00–18:00 UTC): a lead handed over
/// on Friday evening is first called on Monday, which is how SLAs are really missed.
pub(crate) fn add_business_hours(at: Timestamp, hours: f64) -> Timestamp {
    let mut now = at;
    let mut remaining = (hours * 3_600.0) as i64;
    loop {
        let day = now.date_naive();
        let open = midnight(day) + Duration::hours(8);
        let close = midnight(day) + Duration::hours(18);
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        if weekend || now >= close {
            now = midnight(day + Duration::days(1)) + Duration::hours(8);
            continue;
        }
        if now < open {
            now = open;
        }
        let available = (close - now).num_seconds();
        if remaining <= available {
            return now + Duration::seconds(remaining.max(60));
        }
        remaining -= available;
        now = close;
    }
}

/// Whole seconds only: the stores keep milliseconds, and round numbers read better.
pub(crate) fn whole_seconds(at: Timestamp) -> Timestamp {
    at.with_nanosecond(0).unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(text: &str) -> Timestamp {
        rapport_domain::parse_timestamp(text).unwrap()
    }

    #[test]
    fn business_hours_skip_nights_and_weekends() {
        // 2024-03-01 is a Friday.
        let check = |from: &str, hours: f64, expected: &str| {
            assert_eq!(add_business_hours(time(from), hours), time(expected), "{from} + {hours} h");
        };
        check("2024-03-01 10:00", 2.0, "2024-03-01 12:00");
        check("2024-03-01 17:00", 2.0, "2024-03-04 09:00");
        check("2024-03-02 23:00", 0.5, "2024-03-04 08:30");
        check("2024-03-01 06:00", 10.0, "2024-03-01 18:00");
    }

    #[test]
    fn summers_and_decembers_are_quiet_and_the_summit_week_is_busy() {
        let calendar = Calendar::new(NaiveDate::from_ymd_opt(2024, 12, 31).unwrap());
        let mut rng = crate::rng::stream(1, crate::rng::Stream::Catalog, 0);
        let mut per_month = [0u32; 12];
        let mut summit_week = 0;
        for _ in 0..36_500 {
            let day = calendar.busy_day(&mut rng);
            per_month[day.month0() as usize] += 1;
            summit_week += u32::from((day - calendar.summit).num_days().abs() <= 3);
        }
        let average = 36_500 / 12;
        assert!(per_month[7] < average * 3 / 4 && per_month[11] < average * 3 / 4, "{per_month:?}");
        assert!(per_month[9] > average * 5 / 4, "{per_month:?}");
        // An October week without the summit would get about 900 draws.
        assert!(summit_week > 1_050, "{summit_week}");
    }

    #[test]
    fn summit_falls_inside_the_history() {
        for anchor in ["2024-12-31", "2024-10-09", "2024-10-25", "2025-06-30", "2024-01-01"] {
            let anchor = NaiveDate::parse_from_str(anchor, "%Y-%m-%d").unwrap();
            let calendar = Calendar::new(anchor);
            assert!(calendar.summit >= calendar.first_day && calendar.summit <= anchor, "{anchor}");
        }
    }
}

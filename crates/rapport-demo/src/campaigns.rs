//! The campaign calendar: paid search and social flights, webinars every few weeks, the yearly
//! summit and field events, syndication deals, nurture emails, partner programmes and lists.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rand::Rng;
use rapport_domain::{CampaignRecord, Timestamp};

use crate::calendar::{midnight, Calendar, HISTORY_DAYS};
use crate::rng::{between, DemoRng};

/// A channel: its share of campaigns, budget range (dollars) and name themes.
type Channel = (&'static str, f64, (f64, f64), &'static [&'static str]);

#[rustfmt::skip]
const CHANNELS: [Channel; 8] = [
    ("paid_search", 6.0, (20e3, 60e3), &["Brand", "Competitor terms", "Lead scoring", "Sales call analytics", "MQL handoff", "Revenue attribution", "Funnel reporting", "Pipeline analytics"]),
    ("paid_social", 6.0, (15e3, 50e3), &["Pipeline visibility", "Sales and marketing alignment", "Conversation intelligence", "Lead quality", "Funnel benchmarks", "Retargeting", "Executive audience", "Ops community"]),
    ("webinar", 9.0, (2e3, 8e3), &["Fixing the MQL handoff", "What buyers say on calls", "Attribution that sales believes", "Lead scoring on intent", "Running a lead SLA", "Content that closes deals", "Pipeline reviews that work", "Coaching from call data", "Benchmarks for B2B funnels", "Rejection reasons as feedback", "Forecasting from the funnel", "Building a revenue team"]),
    ("event", 4.0, (20e3, 40e3), &["London", "Austin", "Berlin", "Sydney", "Toronto", "Singapore", "Chicago", "Amsterdam"]),
    ("content_syndication", 4.0, (15e3, 35e3), &["Benchmark report", "Lead scoring ebook", "Buyer's guide", "Attribution guide", "Sales enablement kit", "RevOps handbook"]),
    ("email", 6.0, (5e2, 2e3), &["Product education", "Customer stories", "Newsletter", "Event follow-up", "Re-engagement", "Trial onboarding", "Executive briefing", "Release notes"]),
    ("partner", 3.0, (5e3, 15e3), &["Clearpath Consulting", "Revops Collective", "Growthline Agency", "Signal Advisors", "Funnelworks"]),
    ("list", 2.0, (8e3, 15e3), &["Trade association members", "Conference attendees", "Industry directory", "Data vendor contacts"]),
];

#[derive(Debug, Clone)]
pub(crate) struct Campaign {
    pub name: String,
    pub started: Timestamp,
}

#[derive(Debug)]
pub(crate) struct Campaigns {
    /// Per channel, its campaigns sorted by start, so lookups by time are binary searches.
    by_channel: Vec<(&'static str, Vec<Campaign>)>,
    pub records: Vec<CampaignRecord>,
}

impl Campaigns {
    /// About `count` campaigns over the history, every channel represented.
    pub(crate) fn plan(count: usize, calendar: &Calendar, rng: &mut DemoRng) -> Self {
        let total_share: f64 = CHANNELS.iter().map(|c| c.1).sum();
        let mut by_channel = Vec::new();
        let mut records = Vec::new();
        for (channel, share, (low, high), themes) in CHANNELS {
            let mut campaigns = Vec::new();
            let wanted = ((share / total_share * count as f64).round() as usize).max(1);
            for index in 0..wanted {
                let theme = themes[index % themes.len()];
                let round = index / themes.len();
                let (name, started, budget) = match channel {
                    "webinar" => {
                        let day = spaced_weekday(calendar.first_day, index, wanted);
                        (format!("Webinar: {theme} ({})", day.format("%b %Y")), day, between(rng, low, high))
                    }
                    "event" if index == 0 => {
                        let day = calendar.summit;
                        (format!("Rapport Summit {}", day.year()), day, 150e3)
                    }
                    "event" => {
                        let day = spaced_weekday(calendar.first_day, index, wanted);
                        (
                            format!("Field event: {theme} ({})", day.format("%b %Y")),
                            day,
                            between(rng, low, high),
                        )
                    }
                    _ => {
                        // The first campaign of a channel runs all year; later ones are flights.
                        let offset = if index == 0 { 0 } else { rng.gen_range(0..HISTORY_DAYS - 30) };
                        let label = channel_label(channel);
                        let name = if round == 0 {
                            format!("{label} – {theme}")
                        } else {
                            format!("{label} – {theme} #{}", round + 1)
                        };
                        (name, calendar.first_day + Duration::days(offset), between(rng, low, high))
                    }
                };
                let started = midnight(started);
                records.push(CampaignRecord {
                    external_id: Some(format!("demo-c{}", records.len() + 1)),
                    name: name.clone(),
                    channel: Some(channel.to_owned()),
                    started_on: Some(started),
                    budget: Some((budget / 100.0).round() * 100.0),
                });
                campaigns.push(Campaign { name, started });
            }
            campaigns.sort_by_key(|c| c.started);
            by_channel.push((channel, campaigns));
        }
        Self { by_channel, records }
    }

    /// A campaign of `channel` that had started by `at` (the channel's first one when none
    /// had); `None` only for a channel without campaigns.
    pub(crate) fn running(&self, channel: &str, at: Timestamp, rng: &mut DemoRng) -> Option<&Campaign> {
        let campaigns = self.of_channel(channel);
        let started = campaigns.partition_point(|c| c.started <= at);
        match started {
            0 => campaigns.first(),
            _ => Some(&campaigns[rng.gen_range(0..started)]),
        }
    }

    /// The latest campaign of `channel` that had started by `at`: the webinar or event a
    /// person most likely attended.
    pub(crate) fn latest(&self, channel: &str, at: Timestamp) -> Option<&Campaign> {
        let campaigns = self.of_channel(channel);
        campaigns[..campaigns.partition_point(|c| c.started <= at)].last()
    }

    /// The campaigns of a channel, earliest start first.
    pub(crate) fn of_channel(&self, channel: &str) -> &[Campaign] {
        self.by_channel.iter().find(|(name, _)| *name == channel).map_or(&[], |(_, list)| list.as_slice())
    }
}

fn channel_label(channel: &str) -> &'static str {
    match channel {
        "paid_search" => "Paid Search",
        "paid_social" => "LinkedIn",
        "content_syndication" => "Content Syndication",
        "email" => "Nurture",
        "partner" => "Partner",
        "list" => "Purchased List",
        _ => "Campaign",
    }
}

/// The `index`-th of `count` dates spread over the history, moved out of the summer and the
/// holidays (when nobody attends) and onto a Tuesday or Thursday.
fn spaced_weekday(first_day: NaiveDate, index: usize, count: usize) -> NaiveDate {
    let offset = ((index as f64 + 0.5) * HISTORY_DAYS as f64 / count as f64) as i64;
    let mut day = first_day + Duration::days(offset);
    let (year, month) = (day.year(), day.month());
    let moved = match month {
        7 => NaiveDate::from_ymd_opt(year, 6, 18),
        8 => NaiveDate::from_ymd_opt(year, 9, 10),
        12 if day.day() > 12 => NaiveDate::from_ymd_opt(year, 12, 3),
        _ => None,
    };
    // Moving must not leave the history (a September date after an August anchor).
    let last_day = first_day + Duration::days(HISTORY_DAYS - 8);
    if let Some(moved) = moved.filter(|d| *d >= first_day && *d <= last_day) {
        day = moved;
    }
    while !matches!(day.weekday(), Weekday::Tue | Weekday::Thu) {
        day += Duration::days(1);
    }
    day
}

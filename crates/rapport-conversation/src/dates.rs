//! Relative and absolute dates in speech ("tomorrow", "next Tuesday", "by Friday", "end of
//! the month", "on March 3rd"), found in a clause and resolved against the call's date.
//!
//! Resolution rules (weeks start on Monday):
//! - "today", "tonight": the call's date; "tomorrow": the day after.
//! - a weekday alone, or with "on"/"by"/"this": its next occurrence after the call's date
//!   ("Friday" said on a Friday means the Friday after).
//! - "next <weekday>": that weekday in the week after the call's week.
//! - "next week": Monday of the next week; "next month": the first of the next month.
//! - "end of (the) day/week/month/quarter/year": today, this week's Friday, the month's,
//!   quarter's or year's last day.
//! - "in N days/weeks": N days or 7·N days later (N in digits or words up to twelve).
//! - "March 3rd", "3 March", "the 3rd of March": that day in the call's year, or the next
//!   year when it is already past.
//!
//! Without a call date the phrase is still reported, with no date.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// A time expression as said, and the date it stands for when the call's date is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct When {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
}

const WEEKDAYS: &[(&str, Weekday)] = &[
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const NUMBERS: &[&str] = &[
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
];

/// The first time expression in `tokens` (normalised words), resolved against `call_date`.
pub fn find_when(tokens: &[String], call_date: Option<NaiveDate>) -> Option<When> {
    let words: Vec<&str> = tokens.iter().map(String::as_str).collect();
    (0..words.len()).find_map(|at| when_at(&words, at, call_date))
}

fn when_at(words: &[&str], at: usize, call_date: Option<NaiveDate>) -> Option<When> {
    let word = |offset: usize| words.get(at + offset).copied().unwrap_or("");
    let found = |length: usize, date: Option<NaiveDate>| {
        // Keep a leading "by"/"on" with the phrase: "by Friday" is a deadline, "on Friday" a day.
        let start =
            if at > 0 && matches!(words[at - 1], "by" | "on" | "before" | "until") { at - 1 } else { at };
        Some(When { text: words[start..at + length].join(" "), date })
    };
    let day = |offset: i64| call_date.map(|date| date + Duration::days(offset));
    match word(0) {
        "today" | "tonight" => return found(1, day(0)),
        "tomorrow" => return found(1, day(1)),
        "eod" => return found(1, day(0)),
        _ => {}
    }
    if let Some(weekday) = weekday(word(0)) {
        return found(1, call_date.map(|date| next_weekday(date, weekday)));
    }
    if matches!(word(0), "next" | "this") {
        if let Some(weekday) = weekday(word(1)) {
            let date = call_date.map(|date| {
                if word(0) == "next" {
                    monday_of(date) + Duration::days(7 + weekday.num_days_from_monday() as i64)
                } else {
                    next_weekday(date, weekday)
                }
            });
            return found(2, date);
        }
        if word(0) == "next" {
            match word(1) {
                "week" => return found(2, call_date.map(|date| monday_of(date) + Duration::days(7))),
                "month" => {
                    return found(2, call_date.map(|date| first_of_next_month(date.year(), date.month())))
                }
                _ => {}
            }
        }
    }
    if word(0) == "end" && word(1) == "of" {
        let skip = if word(2) == "the" || word(2) == "this" { 3 } else { 2 };
        let date = match word(skip) {
            "day" => day(0),
            "week" => call_date.map(|date| (monday_of(date) + Duration::days(4)).max(date)),
            "month" => {
                call_date.map(|date| first_of_next_month(date.year(), date.month()) - Duration::days(1))
            }
            "quarter" => call_date.map(|date| {
                let last_month = (date.month() - 1) / 3 * 3 + 3;
                first_of_next_month(date.year(), last_month) - Duration::days(1)
            }),
            "year" => call_date.and_then(|date| NaiveDate::from_ymd_opt(date.year(), 12, 31)),
            _ => return None,
        };
        return found(skip + 1, date);
    }
    if word(0) == "in" {
        let count = word(1)
            .parse::<i64>()
            .ok()
            .or_else(|| NUMBERS.iter().position(|n| *n == word(1)).map(|n| n as i64));
        let unit = match word(2) {
            "day" | "days" => Some(1),
            "week" | "weeks" => Some(7),
            _ => None,
        };
        if let (Some(count), Some(unit)) = (count, unit) {
            return found(3, day(count * unit));
        }
    }
    month_day(words, at, call_date).and_then(|(length, date)| found(length, date))
}

/// "march 3rd" / "march 3" / "3 march" / "3rd of march" at `at`: (words used, date).
fn month_day(words: &[&str], at: usize, call_date: Option<NaiveDate>) -> Option<(usize, Option<NaiveDate>)> {
    let word = |offset: usize| words.get(at + offset).copied().unwrap_or("");
    let month = |w: &str| {
        MONTHS
            .iter()
            .position(|m| *m == w || (w.len() == 3 && m.starts_with(w) && w != "may"))
            .map(|m| m as u32 + 1)
    };
    let (month_number, day_number, length) = if let Some(m) = month(word(0)) {
        (m, day_of_month(word(1))?, 2)
    } else {
        let d = day_of_month(word(0))?;
        if let Some(m) = month(word(1)) {
            (m, d, 2)
        } else if word(1) == "of" {
            (month(word(2))?, d, 3)
        } else {
            return None;
        }
    };
    // "may" is also a verb: only a date when a day follows or precedes it, as checked above.
    let date = match call_date {
        Some(call) => {
            let this_year = NaiveDate::from_ymd_opt(call.year(), month_number, day_number);
            match this_year {
                Some(date) if date >= call => Some(date),
                _ => NaiveDate::from_ymd_opt(call.year() + 1, month_number, day_number),
            }
        }
        None => None,
    };
    if call_date.is_none() && NaiveDate::from_ymd_opt(2000, month_number, day_number).is_none() {
        return None;
    }
    Some((length, date))
}

/// "3", "3rd", "21st", "22nd" → the day number (1–31).
fn day_of_month(word: &str) -> Option<u32> {
    let digits = word
        .strip_suffix("st")
        .or(word.strip_suffix("nd"))
        .or(word.strip_suffix("rd"))
        .or(word.strip_suffix("th"))
        .unwrap_or(word);
    digits.parse::<u32>().ok().filter(|day| (1..=31).contains(day))
}

fn weekday(word: &str) -> Option<Weekday> {
    WEEKDAYS.iter().find(|(name, _)| *name == word).map(|(_, weekday)| *weekday)
}

/// The first `weekday` strictly after `date`.
fn next_weekday(date: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead =
        (weekday.num_days_from_monday() as i64 - date.weekday().num_days_from_monday() as i64 + 7) % 7;
    date + Duration::days(if ahead == 0 { 7 } else { ahead })
}

fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Duration::days(date.weekday().num_days_from_monday() as i64)
}

fn first_of_next_month(year: i32, month: u32) -> NaiveDate {
    let (year, month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(year, month, 1).expect("the first of a month exists")
}

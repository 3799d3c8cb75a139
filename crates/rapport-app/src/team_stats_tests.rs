//! Team averages and trends on hand-built numbers, and the store path with its permissions.

use chrono::{TimeZone, Utc};
use rapport_domain::{Role, UserRecord};
use rapport_transcript::Transcript;

use super::*;

fn stats(talk_ratio: Option<f64>, patience_s: Option<f64>, duration_s: f64) -> CallStats {
    let mut stats = rapport_conversation::call_stats(&Transcript {
        utterances: vec![],
        duration_s: None,
        source_format: None,
    });
    stats.talk_ratio = talk_ratio;
    stats.patience_s = patience_s;
    stats.duration_s = duration_s;
    stats
}

fn call(rep: i64, (year, month, day): (i32, u32, u32), stats: CallStats) -> StatCall {
    StatCall {
        rep: UserId(rep),
        started_at: Utc.with_ymd_and_hms(year, month, day, 10, 0, 0).unwrap(),
        stats,
    }
}

fn reps() -> BTreeMap<UserId, RepInfo> {
    let info = |email: &str, name: &str| RepInfo { email: email.into(), name: name.into(), team: None };
    BTreeMap::from([(UserId(1), info("zoe@us.com", "Zoe")), (UserId(2), info("al@us.com", "Al"))])
}

fn close(actual: Option<f64>, expected: f64) {
    let actual = actual.expect("a value");
    assert!((actual - expected).abs() < 1e-9, "{actual} != {expected}");
}

#[test]
fn team_means_rep_rows_and_monthly_trends() {
    let calls = vec![
        call(1, (2025, 1, 10), stats(Some(0.4), Some(1.0), 600.0)),
        call(1, (2025, 2, 1), stats(Some(0.6), None, 1200.0)),
        call(1, (2025, 2, 20), stats(Some(0.8), Some(2.0), 1800.0)),
        call(2, (2025, 1, 5), stats(None, Some(3.0), 300.0)),
    ];
    let report = compute_team_stats(&calls, &reps(), None, Period::Month);
    assert_eq!(report.team.calls, 4);
    // Each mean over the calls where the stat is defined: (0.4 + 0.6 + 0.8) / 3, (1 + 2 + 3) / 3.
    close(report.team.talk_ratio, 0.6);
    close(report.team.patience_s, 2.0);
    close(report.team.duration_s, (600.0 + 1200.0 + 1800.0 + 300.0) / 4.0);
    let team_months: Vec<(&str, usize)> =
        report.team_trend.iter().map(|p| (p.period.as_str(), p.averages.calls)).collect();
    assert_eq!(team_months, [("2025-01", 2), ("2025-02", 2)]);

    let names: Vec<&str> = report.reps.iter().map(|r| r.rep.name.as_str()).collect();
    assert_eq!(names, ["Al", "Zoe"], "reps in name order");
    let al = &report.reps[0];
    assert_eq!(al.averages.talk_ratio, None, "no speech: undefined, not zero");
    assert!(al.change.is_empty(), "one month has no change");
    let zoe = &report.reps[1];
    assert_eq!(zoe.rep.email, "zoe@us.com");
    let months: Vec<(&str, NaiveDate, NaiveDate, usize)> =
        zoe.trend.iter().map(|p| (p.period.as_str(), p.start, p.end, p.averages.calls)).collect();
    let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2025, m, d).unwrap();
    assert_eq!(months, [("2025-01", day(1, 1), day(2, 1), 1), ("2025-02", day(2, 1), day(3, 1), 2)]);
    close(zoe.trend[1].averages.talk_ratio, 0.7);
    // Last month minus first: 0.7 − 0.4, patience 2 − 1, length 1500 − 600.
    close(zoe.change.get("talk_ratio").copied(), 0.3);
    close(zoe.change.get("patience_s").copied(), 1.0);
    close(zoe.change.get("duration_s").copied(), 900.0);
    assert!(!zoe.change.contains_key("rep_words_per_minute"), "undefined in both months");
}

#[test]
fn one_rep_row_keeps_the_team_average_and_weeks_start_on_monday() {
    let calls = vec![
        // Sunday 5 January 2025 is in ISO week 1; Monday the 6th starts week 2.
        call(1, (2025, 1, 5), stats(Some(0.2), None, 60.0)),
        call(1, (2025, 1, 6), stats(Some(0.4), None, 60.0)),
        call(2, (2025, 1, 7), stats(Some(0.9), None, 60.0)),
    ];
    let report = compute_team_stats(&calls, &reps(), Some(UserId(1)), Period::Week);
    close(report.team.talk_ratio, 0.5);
    assert_eq!(report.reps.len(), 1);
    let weeks: Vec<(&str, NaiveDate)> =
        report.reps[0].trend.iter().map(|p| (p.period.as_str(), p.start)).collect();
    assert_eq!(
        weeks,
        [
            ("2025-W01", NaiveDate::from_ymd_opt(2024, 12, 30).unwrap()),
            ("2025-W02", NaiveDate::from_ymd_opt(2025, 1, 6).unwrap())
        ]
    );
    close(report.reps[0].change.get("talk_ratio").copied(), 0.2);
}

#[test]
fn no_calls_is_an_empty_report_not_an_error() {
    let report = compute_team_stats(&[], &reps(), None, Period::Month);
    assert_eq!(report.team.calls, 0);
    assert_eq!(report.team.talk_ratio, None);
    assert!(report.reps.is_empty() && report.team_trend.is_empty());
}

#[test]
fn bad_input_names_its_field() {
    let error = |result: Result<TeamStatsQuery, AppError>| result.unwrap_err().to_string();
    assert_eq!(
        error(TeamStatsQuery::parse(None, None, Some("day"), None, None)),
        "by: `day` is not one of month, week"
    );
    assert!(error(TeamStatsQuery::parse(Some("yesterday"), None, None, None, None)).starts_with("from:"));
    assert!(error(TeamStatsQuery::parse(None, None, None, Some("not an email"), None)).starts_with("rep:"));
    assert!(stat("stat", "talk_ratio").is_ok());
    assert!(stat("stat", "charm")
        .unwrap_err()
        .to_string()
        .starts_with("stat: `charm` is not one of talk_ratio"));
    let query =
        TeamStatsQuery::parse(Some("2025-01-01"), Some(" "), Some("week"), None, Some("east")).unwrap();
    assert_eq!((query.by, query.to, query.team.as_deref()), (Period::Week, None, Some("east")));
}

/// A stored, analysed call of `rep` with the rep talking `rep_s` of every 10 seconds.
fn analysed_call(store: &dyn Store, rep: &User, title: &str, rep_s: i64) {
    use rapport_domain::{CallRecord, CallSource, SpeakerRole, UtteranceRow};
    let now = Utc::now();
    let record = CallRecord {
        external_id: None,
        title: title.into(),
        started_at: now - Duration::days(2),
        duration_ms: Some(20_000),
        source: CallSource::Transcript,
        participants: Vec::new(),
        person_email: None,
        account_domain: None,
        opportunity_external_id: None,
        rep_email: Some(rep.record.email.clone()),
        audio_content_type: None,
        audio_key: None,
    };
    let created = store.create_call(&record, now).unwrap();
    let row = |index: u32, role, start: i64, length: i64| UtteranceRow {
        index,
        speaker: None,
        role,
        channel: None,
        start_ms: start * 1000,
        end_ms: (start + length) * 1000,
        text: "We talked about the renewal.".into(),
        words: Vec::new(),
    };
    let rows = vec![row(0, SpeakerRole::Rep, 0, rep_s), row(1, SpeakerRole::Customer, 10, 10 - rep_s)];
    store.replace_transcript(created.id, &rows, Some(20_000), now).unwrap();
    crate::analysis::analyze_call(store, created.id, now).unwrap();
}

#[test]
fn the_store_path_applies_who_may_see_which_calls() {
    let fixture = crate::test_support::store();
    let store = &*fixture.store;
    let person = |email: &str, role: Role, team: &str| {
        let email = EmailAddress::parse(email).unwrap();
        store
            .upsert_user(&UserRecord { email, name: team.to_uppercase(), team: Some(team.into()), role })
            .unwrap()
    };
    let ana = person("ana@us.com", Role::SalesRep, "east");
    let bo = person("bo@us.com", Role::SalesRep, "west");
    let east_boss = person("boss@us.com", Role::SalesManager, "east");
    let admin = crate::test_support::user(store, "admin@us.com", Role::Admin);
    analysed_call(store, &ana, "Ana's call", 2);
    analysed_call(store, &bo, "Bo's call", 8);

    let everyone = team_stats(store, &admin, &TeamStatsQuery::default()).unwrap();
    assert_eq!(everyone.team.calls, 2);
    close(everyone.team.talk_ratio, 0.5);
    let emails: Vec<&str> = everyone.reps.iter().map(|r| r.rep.email.as_str()).collect();
    assert_eq!(emails, ["ana@us.com", "bo@us.com"]);

    let own = team_stats(store, &ana, &TeamStatsQuery::default()).unwrap();
    assert_eq!(own.reps.len(), 1, "a rep sees only their own row");
    close(own.team.talk_ratio, 0.2);
    let boss = team_stats(store, &east_boss, &TeamStatsQuery::default()).unwrap();
    assert_eq!(boss.reps.iter().map(|r| r.rep.email.as_str()).collect::<Vec<_>>(), ["ana@us.com"]);

    let other = TeamStatsQuery { rep: Some(bo.record.email.clone()), ..Default::default() };
    assert!(matches!(team_stats(store, &ana, &other), Err(AppError::Forbidden(_))));
    let west = TeamStatsQuery { team: Some("west".into()), ..Default::default() };
    let west = team_stats(store, &admin, &west).unwrap();
    close(west.team.talk_ratio, 0.8);
    let nobody = TeamStatsQuery { team: Some("north".into()), ..Default::default() };
    assert_eq!(
        team_stats(store, &admin, &nobody).unwrap_err().to_string(),
        "team: no user is in the team `north`"
    );
    let later = TeamStatsQuery { from: Some(Utc::now()), ..Default::default() };
    assert_eq!(team_stats(store, &admin, &later).unwrap().team.calls, 0, "the period leaves both out");
}

#[test]
fn values_and_changes_read_as_their_units() {
    let (talk, patience, monologue) = (
        stat("stat", "talk_ratio").unwrap(),
        stat("stat", "patience_s").unwrap(),
        stat("stat", "longest_monologue_s").unwrap(),
    );
    assert_eq!(talk.display(Some(0.433)), "43%");
    assert_eq!(talk.display_change(Some(-0.21)), "-21 pp", "a share changes by points, not percent");
    assert_eq!(patience.display(Some(1.24)), "1.2 s");
    assert_eq!(monologue.display(Some(95.4)), "95 s");
    assert_eq!(monologue.display_change(Some(-12.0)), "−12 s");
    assert_eq!(patience.display_change(None), "–");
}

#[test]
fn the_cache_serves_the_same_calls_until_a_write_comes_in() {
    let fixture = crate::test_support::store();
    let store = &*fixture.store;
    let rep = crate::test_support::user(store, "rep@us.com", Role::SalesRep);
    let admin = crate::test_support::user(store, "admin@us.com", Role::Admin);
    analysed_call(store, &rep, "First", 4);
    let cache = StatCallCache::default();
    let first = cache.calls(store).unwrap();
    assert!(std::sync::Arc::ptr_eq(&first, &cache.calls(store).unwrap()), "nothing written: kept");
    analysed_call(store, &rep, "Second", 6);
    let report = cached_team_stats(store, &cache, &admin, &TeamStatsQuery::default()).unwrap();
    assert_eq!(report.team.calls, 2, "a write is seen on the next report");
    close(report.team.talk_ratio, 0.5);
    assert_eq!(report, team_stats(store, &admin, &TeamStatsQuery::default()).unwrap(), "same as uncached");
    let average = team_average(store, &cache, &rep, Utc::now() - Duration::days(3)).unwrap();
    assert_eq!(average.calls, 2);
}

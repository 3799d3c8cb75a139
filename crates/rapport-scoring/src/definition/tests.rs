//! Hand-computed cases for parsing, rules, decay, grades and approvals; the backtest against a
//! naive recount over random histories.

use std::collections::BTreeMap;

use chrono::{Duration, TimeZone, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rapport_domain::{Role, Stage, Timestamp, TouchKind, UserId};

use super::approval::{check_approval, fully_approved, Approval, ApprovalError, Side};
use super::*;

const SMALL: &str = r#"
name = "Small"
mql_threshold = 50
half_life_days = 10

[grades]
fit_high = 30
fit_medium = 10
engagement_high = 30
engagement_medium = 10

[[fit]]
field = "title"
matches = ["VP", "Head of"]
points = 15

[[fit]]
field = "employees"
at_least = 200
points = 10

[[negative]]
field = "email_domain"
in = ["gmail.com"]
points = -20

[[engagement]]
label = "Pricing page"
kind = "web_visit"
attributes = { page = "/pricing" }
points = 20
cap = 30

[[engagement]]
label = "Any visit"
kind = "web_visit"
points = 2
half_life_days = 5
"#;

fn day(n: i64) -> Timestamp {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::days(n)
}

fn visit(at: Timestamp, page: &str) -> TouchInput {
    TouchInput {
        at,
        kind: TouchKind::WebVisit,
        campaign: None,
        content_url: None,
        attributes: BTreeMap::from([("page".to_owned(), page.to_owned())]),
    }
}

fn vp() -> PersonInput {
    PersonInput {
        title: Some("VP Sales".into()),
        email_domain: Some("acme.com".into()),
        employees: Some(500),
        ..PersonInput::default()
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn the_default_definition_parses() {
    let definition = parse_definition(DEFAULT_DEFINITION).unwrap();
    assert_eq!(definition.mql_threshold, 60.0);
    assert!(definition.engagement.len() > 5 && !definition.negative.is_empty());
}

#[test]
fn fit_rules_match_words_case_insensitively() {
    let definition = parse_definition(SMALL).unwrap();
    let evaluation = evaluate(&definition, &vp(), &[], day(0));
    assert!(close(evaluation.fit, 25.0));
    let texts: Vec<&str> = evaluation.reasons.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(texts, ["Title matches 'VP|Head of' (+15)", "Employees ≥ 200 (+10)"]);
    // "MVP" holds the letters but not the word.
    let mvp = PersonInput { title: Some("MVP of the month".into()), ..PersonInput::default() };
    assert!(close(evaluate(&definition, &mvp, &[], day(0)).fit, 0.0));
    let head = PersonInput { title: Some("head OF growth".into()), ..PersonInput::default() };
    assert!(close(evaluate(&definition, &head, &[], day(0)).fit, 15.0));
    let freemail = PersonInput { email_domain: Some("Gmail.com".into()), ..PersonInput::default() };
    let evaluation = evaluate(&definition, &freemail, &[], day(0));
    assert!(close(evaluation.fit, -20.0));
    assert_eq!(evaluation.reasons[0].text, "Email domain is gmail.com (-20)");
    assert_eq!(evaluation.reasons[0].kind, ReasonKind::Negative);
}

#[test]
fn engagement_decays_by_half_life_and_caps_per_rule() {
    let definition = parse_definition(SMALL).unwrap();
    // Pricing visits 10 days and 0 days before now: 20 × 0.5 + 20 = 30, at the cap.
    let touches = [visit(day(0), "/pricing"), visit(day(10), "/pricing")];
    let evaluation = evaluate(&definition, &vp(), &touches, day(10));
    assert!(close(evaluation.engagement, 30.0));
    // Three recent ones would be 60 but the cap holds them at 30.
    let many = [visit(day(10), "/pricing"), visit(day(10), "/pricing"), visit(day(10), "/pricing")];
    assert!(close(evaluate(&definition, &vp(), &many, day(10)).engagement, 30.0));
    // A pricing visit 20 days old: 20 × 0.25 = 5. A blog visit 5 days old (own half-life 5
    // days): 2 × 0.5 = 1. The pricing visit does not also count as "any visit".
    let touches = [visit(day(0), "/pricing"), visit(day(15), "/blog")];
    let evaluation = evaluate(&definition, &vp(), &touches, day(20));
    assert!(close(evaluation.engagement, 6.0));
    assert!(close(evaluation.total, 31.0));
    let pricing = evaluation.reasons.iter().find(|r| r.rule == "Pricing page").unwrap();
    assert_eq!(pricing.text, "Pricing page ×1 (+5)");
    // Touches after `now` do not count yet.
    assert!(close(evaluate(&definition, &vp(), &touches, day(14)).engagement, 20.0 * 0.5_f64.powf(1.4)));
}

#[test]
fn the_threshold_and_grades_follow_the_documented_bands() {
    let definition = parse_definition(SMALL).unwrap();
    let touches = [visit(day(0), "/pricing"), visit(day(0), "/pricing")];
    // fit 25 (medium) + engagement 30 (high, capped) = 55 ≥ 50: qualifies, grade B.
    let evaluation = evaluate(&definition, &vp(), &touches, day(0));
    assert!(evaluation.qualifies);
    assert_eq!(evaluation.grade, Grade::B);
    let bands = definition.grades;
    let check = |fit: f64, engagement: f64, expected: Grade| {
        assert_eq!(grade::grade(&bands, fit, engagement), expected, "fit {fit}, engagement {engagement}");
    };
    check(30.0, 30.0, Grade::A);
    check(30.0, 10.0, Grade::B);
    check(10.0, 10.0, Grade::C);
    check(30.0, 0.0, Grade::C);
    check(0.0, 30.0, Grade::C);
    check(9.9, 10.0, Grade::D);
    check(-20.0, 0.0, Grade::D);
}

fn error_of(text: &str) -> DefinitionError {
    parse_definition(text).unwrap_err()
}

#[test]
fn errors_name_the_line_and_field() {
    let bad_kind = SMALL.replace("kind = \"web_visit\"\nattributes", "kind = \"page_turn\"\nattributes");
    match error_of(&bad_kind) {
        DefinitionError::Field { line, field, message } => {
            assert_eq!(field, "engagement[0].kind");
            assert!(message.contains("page_turn"), "{message}");
            // The span of a rule is its table: the header or its first key.
            let header = bad_kind.lines().position(|l| l == "[[engagement]]").unwrap() + 1;
            assert!((header..header + 3).contains(&line), "line {line}, rule starts at {header}");
        }
        other => panic!("{other:?}"),
    }
    let positive_penalty = SMALL.replace("points = -20", "points = 20");
    assert!(
        matches!(error_of(&positive_penalty), DefinitionError::Field { ref field, .. } if field == "negative[0].points")
    );
    let two_conditions = SMALL.replace("at_least = 200", "at_least = 200\nin = [\"x\"]");
    assert!(
        matches!(error_of(&two_conditions), DefinitionError::Field { ref field, .. } if field == "fit[1]")
    );
    let unknown_key = SMALL.replace("mql_threshold = 50", "mql_threshold = 50\nthreshhold = 3");
    let message = error_of(&unknown_key).to_string();
    assert!(message.contains("line 4") && message.contains("threshhold"), "{message}");
    let wrong_type = SMALL.replace("mql_threshold = 50", "mql_threshold = \"fifty\"");
    assert!(error_of(&wrong_type).to_string().contains("line 3"), "{}", error_of(&wrong_type));
}

#[test]
fn approval_needs_both_sides_from_two_people() {
    let marketer = UserId(1);
    let rep = UserId(2);
    let admin = UserId(3);
    let mut approvals = Vec::new();
    let side = check_approval(&approvals, marketer, Role::Marketing, None).unwrap();
    approvals.push(Approval { user: marketer, side });
    assert!(!fully_approved(&approvals));
    assert_eq!(
        check_approval(&approvals, marketer, Role::Marketing, None),
        Err(ApprovalError::UserAlreadyApproved(Side::Marketing))
    );
    assert_eq!(
        check_approval(&approvals, admin, Role::Admin, Some(Side::Marketing)),
        Err(ApprovalError::SideAlreadyApproved(Side::Marketing))
    );
    assert_eq!(check_approval(&approvals, admin, Role::Admin, None), Err(ApprovalError::SideNeeded));
    assert_eq!(
        check_approval(&approvals, rep, Role::SalesRep, Some(Side::Marketing)),
        Err(ApprovalError::WrongRole(Role::SalesRep, Side::Marketing))
    );
    let side = check_approval(&approvals, rep, Role::SalesRep, None).unwrap();
    assert_eq!(side, Side::Sales);
    approvals.push(Approval { user: rep, side });
    assert!(fully_approved(&approvals));
}

// ---- backtest ---------------------------------------------------------------------------

fn random_history(rng: &mut ChaCha8Rng, count: usize) -> Vec<HistoryPerson> {
    let pages = ["/pricing", "/blog", "/"];
    (0..count)
        .map(|_| {
            let created_at = day(rng.gen_range(0..200));
            let mut touches: Vec<TouchInput> = (0..rng.gen_range(0..12))
                .map(|_| {
                    let at = created_at + Duration::minutes(rng.gen_range(0..200 * 24 * 60));
                    visit(at, pages[rng.gen_range(0..pages.len())])
                })
                .collect();
            touches.sort_by_key(|t| t.at);
            let stages =
                [Stage::Mql, Stage::Sal, Stage::Opportunity, Stage::Customer, Stage::Rejected, Stage::Lost];
            HistoryPerson {
                input: PersonInput {
                    title: rng.gen_bool(0.5).then(|| "VP Marketing".to_owned()),
                    employees: rng.gen_bool(0.5).then_some(1000),
                    email_domain: Some(if rng.gen_bool(0.2) { "gmail.com" } else { "acme.com" }.to_owned()),
                    ..PersonInput::default()
                },
                created_at,
                touches,
                stages: stages.iter().filter(|_| rng.gen_bool(0.3)).copied().collect(),
            }
        })
        .collect()
}

/// The straightforward recount: evaluate the whole score from scratch at the creation and at
/// every touch, take the first that qualifies, tally by month with plain counters.
fn naive(definition: &Definition, people: &[HistoryPerson], until: Timestamp) -> BTreeMap<String, [u64; 4]> {
    let mut months = BTreeMap::new();
    for person in people {
        let moments = std::iter::once(person.created_at)
            .chain(person.touches.iter().map(|t| t.at.max(person.created_at)));
        let crossing = moments
            .filter(|at| *at <= until)
            .find(|at| evaluate(definition, &person.input, &person.touches, *at).qualifies);
        let Some(at) = crossing else { continue };
        let counts = months.entry(at.format("%Y-%m").to_string()).or_insert([0; 4]);
        let reached = |list: &[Stage]| u64::from(person.stages.iter().any(|s| list.contains(s)));
        counts[0] += 1;
        counts[1] += reached(&[Stage::Sal, Stage::Sql, Stage::Opportunity, Stage::Customer, Stage::Lost]);
        counts[2] += reached(&[Stage::Opportunity, Stage::Customer, Stage::Lost]);
        counts[3] += reached(&[Stage::Customer]);
    }
    months
}

#[test]
fn the_backtest_agrees_with_a_naive_recount() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let definition = parse_definition(SMALL).unwrap();
    let stricter = parse_definition(&SMALL.replace("mql_threshold = 50", "mql_threshold = 65")).unwrap();
    for round in 0..20 {
        let people = random_history(&mut rng, 200);
        let until = day(150 + round * 5);
        for version in [&definition, &stricter] {
            let report = backtest(version, &people, until);
            let expected = naive(version, &people, until);
            let got: BTreeMap<String, [u64; 4]> = report
                .months
                .iter()
                .map(|m| (m.month.clone(), [m.mqls, m.accepted, m.opportunities, m.won]))
                .collect();
            assert_eq!(got, expected, "round {round}");
            assert_eq!(report.total.mqls, expected.values().map(|c| c[0]).sum::<u64>());
        }
        let comparison = compare(&stricter, Some(&definition), &people, until);
        assert!(comparison.draft.total.mqls <= comparison.active.unwrap().total.mqls);
    }
}

#[test]
fn a_strong_fit_qualifies_at_creation() {
    let definition = parse_definition(&SMALL.replace("mql_threshold = 50", "mql_threshold = 20")).unwrap();
    let person = HistoryPerson { input: vp(), created_at: day(3), touches: vec![], stages: vec![Stage::Sal] };
    assert_eq!(crossing_time(&definition, &person, day(10)), Some(day(3)));
    assert_eq!(crossing_time(&definition, &person, day(2)), None);
    let report = backtest(&definition, &[person], day(10));
    assert_eq!(report.total.acceptance_rate, Some(1.0));
    assert_eq!(report.months[0].month, "2026-01");
}

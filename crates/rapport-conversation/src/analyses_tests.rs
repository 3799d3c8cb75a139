//! Questions, next steps with dates, content mentions, the topic timeline and team trends
//! over hand-built calls.

use chrono::NaiveDate;
use rapport_transcript::{Role, Transcript, Utterance};

use crate::{
    find_when, next_steps, normalised_tokens, parse_content_csv, parse_content_toml, question_kind,
    questions, team_report, topic_timeline, url_words, CallPhase, ContentItem, ContentMatcher, Owner,
    QuestionKind, RepCall, Side,
};

const REP: Role = Role::Rep;
const CUSTOMER: Role = Role::Customer;

/// A call of (speaker, role, start, end, text).
fn call(lines: &[(&str, Role, f64, f64, &str)]) -> Transcript {
    let utterances = lines
        .iter()
        .map(|(speaker, role, start, end, text)| Utterance {
            speaker: Some((*speaker).to_owned()),
            role: *role,
            ..Utterance::new(*start, *end, *text)
        })
        .collect();
    Transcript { utterances, duration_s: None, source_format: None }
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

#[test]
fn open_and_closed_questions() {
    for (sentence, expected) in [
        ("What does your process look like?", QuestionKind::Open),
        ("So how do you track leads today?", QuestionKind::Open),
        ("Tell me about your team.", QuestionKind::Open),
        ("Can you walk me through the handoff?", QuestionKind::Open),
        ("Could you please describe the approval flow?", QuestionKind::Open),
        ("Do you use Salesforce?", QuestionKind::Closed),
        ("Is security a concern?", QuestionKind::Closed),
        ("Can we book Tuesday?", QuestionKind::Closed),
        ("You use Gong?", QuestionKind::Closed),
        ("That works, right?", QuestionKind::Closed),
    ] {
        assert_eq!(question_kind(sentence), expected, "{sentence}");
    }
}

#[test]
fn questions_with_speaker_side_time_and_counts() {
    let transcript = call(&[
        ("Ana", REP, 0.0, 5.0, "Hi! What brings you here? Do you have a CRM?"),
        ("Bo", CUSTOMER, 5.0, 9.0, "We do. Is there an API? It matters."),
        ("Ana", REP, 9.0, 12.0, "So tell me about your reporting."),
    ]);
    let found = questions(&transcript);
    let got: Vec<(usize, &str, Side, f64, QuestionKind)> =
        found.questions.iter().map(|q| (q.utterance, q.text.as_str(), q.side, q.time_s, q.kind)).collect();
    assert_eq!(
        got,
        [
            (0, "What brings you here?", Side::Rep, 0.0, QuestionKind::Open),
            (0, "Do you have a CRM?", Side::Rep, 0.0, QuestionKind::Closed),
            (1, "Is there an API?", Side::Customer, 5.0, QuestionKind::Closed),
            (2, "So tell me about your reporting.", Side::Rep, 9.0, QuestionKind::Open),
        ]
    );
    assert_eq!((found.rep.total, found.rep.open, found.rep.closed), (3, 2, 1));
    assert_eq!((found.customer.total, found.customer.open, found.customer.closed), (1, 0, 1));
    assert_eq!(found.questions[0].speaker.as_deref(), Some("Ana"));
}

/// `text` said on Wednesday 2024-03-06 resolves to (phrase, date).
fn check_when(text: &str, expected: Option<(&str, &str)>) {
    let got = find_when(&normalised_tokens(text), Some(date("2024-03-06")));
    let got = got.map(|when| (when.text, when.date.map(|d| d.to_string())));
    let expected = expected.map(|(text, day)| (text.to_owned(), Some(day.to_owned())));
    assert_eq!(got, expected, "{text}");
}

#[test]
fn dates_resolve_against_the_call_date() {
    check_when("I'll send it tomorrow", Some(("tomorrow", "2024-03-07")));
    check_when("call you today", Some(("today", "2024-03-06")));
    check_when("by Friday", Some(("by friday", "2024-03-08")));
    check_when("on Wednesday", Some(("on wednesday", "2024-03-13")));
    check_when("next Tuesday", Some(("next tuesday", "2024-03-12")));
    check_when("next Friday", Some(("next friday", "2024-03-15")));
    check_when("this Friday", Some(("this friday", "2024-03-08")));
    check_when("next week", Some(("next week", "2024-03-11")));
    check_when("next month", Some(("next month", "2024-04-01")));
    check_when("by the end of the month", Some(("end of the month", "2024-03-31")));
    check_when("end of the week", Some(("end of the week", "2024-03-08")));
    check_when("end of quarter", Some(("end of quarter", "2024-03-31")));
    check_when("in two weeks", Some(("in two weeks", "2024-03-20")));
    check_when("in 3 days", Some(("in 3 days", "2024-03-09")));
    check_when("on March 3rd", Some(("on march 3rd", "2025-03-03")));
    check_when("on March 13th", Some(("on march 13th", "2024-03-13")));
    check_when("the 2nd of April", Some(("2nd of april", "2024-04-02")));
    check_when("5 May", Some(("5 may", "2024-05-05")));
    check_when("we may send 3 copies", None);
    check_when("the 3 of them", None);
    // Without the call's date the phrase is still found, with no date.
    let when = find_when(&normalised_tokens("by Friday"), None).unwrap();
    assert_eq!((when.text.as_str(), when.date), ("by friday", None));
}

#[test]
fn next_steps_who_what_when() {
    let transcript = call(&[
        ("Ana", REP, 0.0, 5.0, "Great. I'll send the proposal by Friday."),
        ("Bo", CUSTOMER, 5.0, 9.0, "We'll review it with legal next week. Can you get me the SOC 2 report?"),
        ("Ana", REP, 9.0, 12.0, "Sure! Let's schedule a call on March 13th."),
        ("Bo", CUSTOMER, 12.0, 15.0, "I'll be honest, it lets you send reports. We can see that."),
    ]);
    let steps = next_steps(&transcript, Some(date("2024-03-06")));
    type Step<'a> = (usize, Owner, Option<Side>, &'a str, Option<String>);
    let got: Vec<Step> = steps
        .iter()
        .map(|s| {
            let when = s.when.as_ref().and_then(|w| w.date).map(|d| d.to_string());
            (s.utterance, s.owner, s.owner_side, s.what.as_str(), when)
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                0,
                Owner::Speaker,
                Some(Side::Rep),
                "I'll send the proposal by Friday",
                Some("2024-03-08".into())
            ),
            (
                1,
                Owner::SpeakerSide,
                Some(Side::Customer),
                "We'll review it with legal next week",
                Some("2024-03-11".into())
            ),
            (1, Owner::OtherSide, Some(Side::Rep), "Can you get me the SOC 2 report", None),
            (2, Owner::Both, None, "Let's schedule a call on March 13th", Some("2024-03-13".into())),
        ]
    );
    assert_eq!(steps[1].speaker.as_deref(), Some("Bo"));
    assert_eq!(steps[0].when.as_ref().unwrap().text, "by friday");
}

#[test]
fn content_mentions_by_title_alias_and_url() {
    let items = vec![
        ContentItem {
            title: "ROI Calculator".into(),
            url: Some("https://www.rapport.io/guides/roi-calculator/?utm_source=mail#top".into()),
            aliases: vec!["the calculator".into()],
        },
        ContentItem { title: "Acme case study".into(), url: None, aliases: vec!["Acme story".into()] },
    ];
    assert_eq!(url_words(items[0].url.as_deref().unwrap()), "rapport io guides roi calculator");
    let matcher = ContentMatcher::new(items).unwrap();
    let transcript = call(&[
        ("Ana", REP, 0.0, 5.0, "Have you seen our roi-calculator? It's at rapport.io/guides/roi-calculator."),
        ("Bo", CUSTOMER, 5.0, 9.0, "The ACME case study, yes; and the Acme story. The calculator too!"),
        ("Bo", CUSTOMER, 9.0, 12.0, "Acme is a customer; a case study would help."),
    ]);
    let mentions = matcher.find(&transcript);
    let got: Vec<(usize, usize, &str, Side)> =
        mentions.iter().map(|m| (m.utterance, m.content, m.matched.as_str(), m.side)).collect();
    assert_eq!(
        got,
        [
            (0, 0, "roi calculator", Side::Rep),
            (0, 0, "rapport io guides roi calculator", Side::Rep),
            (1, 0, "the calculator", Side::Customer),
            (1, 1, "acme case study", Side::Customer),
            (1, 1, "acme story", Side::Customer),
        ]
    );
}

#[test]
fn content_libraries_from_csv_and_toml() {
    let csv = "id,title,url,aliases\n1,ROI Calculator,https://x.io/roi,calc; roi tool\n2,Guide,,\n";
    let items = parse_content_csv(csv).unwrap();
    assert_eq!(items[0].aliases, ["calc", "roi tool"]);
    assert_eq!(items[1].url, None);
    let error = parse_content_csv("title,url\nA,x\n,y\n").unwrap_err().to_string();
    assert!(error.contains("line 3") && error.contains("title"), "{error}");
    assert!(parse_content_csv("name\nA\n").unwrap_err().to_string().contains("no `title` column"));
    let toml = "[[content]]\ntitle = \"Guide\"\naliases = [\"the guide\"]\n";
    assert_eq!(parse_content_toml(toml).unwrap()[0].aliases, ["the guide"]);
    assert!(parse_content_toml("[[content]]\nname = \"x\"\n").is_err());
}

#[test]
fn topic_timeline_phases_smoothed_into_segments() {
    let transcript = call(&[
        ("Ana", REP, 0.0, 20.0, "Good morning! How was your weekend?"),
        ("Bo", CUSTOMER, 20.0, 40.0, "Lovely, thanks. The weather was great."),
        ("Ana", REP, 40.0, 100.0, "Tell me about your process. How do you track leads?"),
        ("Bo", CUSTOMER, 100.0, 200.0, "Right now it is spreadsheets and a lot of pain."),
        ("Ana", REP, 200.0, 300.0, "Let me share my screen. This is the dashboard."),
        ("Bo", CUSTOMER, 300.0, 310.0, "What does it cost?"),
        ("Ana", REP, 310.0, 400.0, "Here you can see every call; click one to open it."),
        ("Ana", REP, 400.0, 500.0, "Pricing is per seat, with an annual contract and a discount."),
        ("Bo", CUSTOMER, 500.0, 560.0, "Honestly that is too expensive and I am worried about risk."),
        ("Ana", REP, 560.0, 600.0, "Next steps: I'll send a proposal and schedule a follow up."),
    ]);
    let segments = topic_timeline(&transcript, None);
    let got: Vec<(&str, f64, f64)> =
        segments.iter().map(|s| (s.topic.as_str(), s.start_s, s.end_s)).collect();
    assert_eq!(
        got,
        [
            (CallPhase::SmallTalk.as_str(), 0.0, 40.0),
            ("discovery", 40.0, 200.0),
            // "cost" for ten seconds inside the demo does not split it.
            ("demo", 200.0, 400.0),
            ("pricing", 400.0, 500.0),
            ("objections", 500.0, 560.0),
            ("next_steps", 560.0, 600.0),
        ]
    );
    // Discovered topics become their own segments beside the phases.
    let discovered: Vec<Option<String>> =
        (0..10).map(|i| Some(if i < 5 { "lead routing" } else { "forecasting" }.to_owned())).collect();
    let with_discovered = topic_timeline(&transcript, Some(&discovered));
    let extra: Vec<(&str, f64, f64)> =
        with_discovered[6..].iter().map(|s| (s.topic.as_str(), s.start_s, s.end_s)).collect();
    assert_eq!(extra, [("lead routing", 0.0, 300.0), ("forecasting", 300.0, 600.0)]);
}

#[test]
fn team_averages_and_rep_trends() {
    let stats = |ratio: Option<f64>, patience: Option<f64>| {
        let mut stats =
            crate::call_stats(&Transcript { utterances: vec![], duration_s: None, source_format: None });
        stats.talk_ratio = ratio;
        stats.patience_s = patience;
        stats.interactivity = ratio.unwrap_or(0.0) * 10.0;
        stats
    };
    let (a, b, c, d) =
        (stats(Some(0.4), Some(1.0)), stats(Some(0.6), None), stats(Some(0.8), Some(2.0)), stats(None, None));
    let calls = [
        RepCall { rep: "zoe", date: date("2024-01-10"), stats: &a },
        RepCall { rep: "zoe", date: date("2024-02-01"), stats: &b },
        RepCall { rep: "zoe", date: date("2024-02-20"), stats: &c },
        RepCall { rep: "al", date: date("2024-01-05"), stats: &d },
    ];
    let report = team_report(&calls);
    assert_eq!(report.team.calls, 4);
    // Means over the calls where the metric is defined: (0.4 + 0.6 + 0.8) / 3, (1 + 2) / 2.
    assert!((report.team.talk_ratio.unwrap() - 0.6).abs() < 1e-12);
    assert_eq!(report.team.patience_s, Some(1.5));
    assert!((report.team.interactivity.unwrap() - (4.0 + 6.0 + 8.0 + 0.0) / 4.0).abs() < 1e-12);
    let reps: Vec<&str> = report.reps.iter().map(|rep| rep.rep.as_str()).collect();
    assert_eq!(reps, ["al", "zoe"]);
    assert_eq!(report.reps[0].overall.talk_ratio, None);
    let zoe: Vec<(&str, usize, Option<f64>)> = report.reps[1]
        .months
        .iter()
        .map(|m| (m.month.as_str(), m.averages.calls, m.averages.patience_s))
        .collect();
    assert_eq!(zoe, [("2024-01", 1, Some(1.0)), ("2024-02", 2, Some(2.0))]);
    assert!((report.reps[1].months[1].averages.talk_ratio.unwrap() - 0.7).abs() < 1e-12);
}

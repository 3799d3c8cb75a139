//! The readable report of `rapport analyze`: stats as aligned lines, then questions, topics,
//! sentiment, next steps, tracker hits and content mentions. Transcript text is untrusted:
//! control characters are escaped so a transcript cannot drive the terminal.

use std::fmt::Write as _;

use rapport_conversation::{
    CallAnalysis, CallStats, QuestionKind, SentimentTrend, Side, SideSentiment, SideStats, TrackerHit,
};

pub fn report(analysis: &CallAnalysis) -> String {
    let mut out = table(&analysis.stats);
    let _ = writeln!(
        out,
        "\nquestions (rep {} open / {} closed, customer {} open / {} closed)",
        analysis.questions.rep.open,
        analysis.questions.rep.closed,
        analysis.questions.customer.open,
        analysis.questions.customer.closed
    );
    for question in &analysis.questions.questions {
        let kind = match question.kind {
            QuestionKind::Open => "open",
            QuestionKind::Closed => "closed",
        };
        let _ = writeln!(
            out,
            "  {}  {:<8}  {kind:<6}  {}",
            clock(question.time_s),
            side(question.side),
            printable(&question.text)
        );
    }
    out.push_str("\ntopics\n");
    for segment in &analysis.topics {
        let _ = writeln!(
            out,
            "  {}-{}  {}",
            clock(segment.start_s),
            clock(segment.end_s),
            printable(&segment.topic)
        );
    }
    let sentiment = &analysis.sentiment;
    let _ = writeln!(out, "\nsentiment ({})", sentiment.method);
    let _ = writeln!(out, "  rep       {}", side_sentiment(&sentiment.rep));
    let _ = writeln!(out, "  customer  {}", side_sentiment(&sentiment.customer));
    let _ = writeln!(out, "  trend     {}", trend(&sentiment.trend));
    let _ = writeln!(out, "  customer trend  {}", trend(&sentiment.customer_trend));
    out.push_str("\nnext steps\n");
    if analysis.next_steps.is_empty() {
        out.push_str("  none\n");
    }
    for step in &analysis.next_steps {
        let owner = step.owner_side.map_or("both", side);
        let when = step.when.as_ref().map_or(String::new(), |when| match when.date {
            Some(date) => format!("  (when: {} = {date})", when.text),
            None => format!("  (when: {})", when.text),
        });
        let _ = writeln!(out, "  {}  {owner:<8}  {}{when}", clock(step.time_s), printable(&step.what));
    }
    out.push_str("\ntracker hits\n");
    out.push_str(&hits_table(&analysis.trackers));
    if !analysis.content_mentions.is_empty() {
        out.push_str("\ncontent mentions\n");
        for mention in &analysis.content_mentions {
            let _ = writeln!(
                out,
                "  {}  {:<8}  {}",
                clock(mention.time_s),
                side(mention.side),
                printable(&mention.title)
            );
        }
    }
    if !analysis.redactions.is_empty() {
        let counts: Vec<String> = analysis
            .redactions
            .iter()
            .map(|(kind, count)| format!("{count} {}", kind.placeholder()))
            .collect();
        let _ = writeln!(out, "\nredacted: {}", counts.join(", "));
    }
    out
}

/// Control characters (escape sequences, bidi overrides) shown as escapes, not obeyed.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn side(side: Side) -> &'static str {
    match side {
        Side::Rep => "rep",
        Side::Customer => "customer",
    }
}

fn clock(time_s: f64) -> String {
    let (minutes, seconds) = ((time_s / 60.0).floor(), time_s % 60.0);
    format!("{minutes:02}:{seconds:04.1}")
}

fn side_sentiment(stats: &SideSentiment) -> String {
    format!(
        "mean {}  ({} positive, {} neutral, {} negative)",
        optional(stats.mean, |mean| format!("{mean:+.2}")),
        stats.positive,
        stats.neutral,
        stats.negative
    )
}

fn trend(trend: &SentimentTrend) -> String {
    let show = |value: Option<f64>| optional(value, |v| format!("{v:+.2}"));
    format!(
        "first third {}, last third {}, change {}",
        show(trend.first_third),
        show(trend.last_third),
        show(trend.change)
    )
}

/// One line per hit: time, side, tracker and the words that matched.
fn hits_table(hits: &[TrackerHit]) -> String {
    if hits.is_empty() {
        return "  no tracker hits\n".to_owned();
    }
    let width = hits.iter().map(|hit| hit.tracker.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for hit in hits {
        let (time, side) = (clock(hit.time_s), side(hit.side));
        let _ = writeln!(
            out,
            "  {time}  {side:<8}  {:<width$}  {}",
            printable(&hit.tracker),
            printable(&hit.matched)
        );
    }
    out
}

/// The stats as aligned "label  value" lines, undefined figures shown as "-".
fn table(stats: &CallStats) -> String {
    let mut rows: Vec<(String, String)> = vec![
        ("call duration".into(), seconds(stats.duration_s)),
        ("talk ratio (rep)".into(), optional(stats.talk_ratio, |ratio| format!("{:.0}%", ratio * 100.0))),
        ("longest monologue".into(), seconds(stats.longest_monologue_s)),
        ("longest customer story".into(), seconds(stats.longest_customer_story_s)),
        ("interactivity (0-10)".into(), format!("{:.1}", stats.interactivity)),
        ("patience".into(), optional(stats.patience_s, seconds)),
        (
            "rep questions per hour".into(),
            optional(stats.question_rate_per_hour, |rate| format!("{rate:.1}")),
        ),
        ("silence".into(), seconds(stats.silence_s)),
        ("overlap".into(), seconds(stats.overlap_s)),
        ("interruptions".into(), stats.interruptions.to_string()),
    ];
    side_rows(&mut rows, "rep", &stats.rep);
    side_rows(&mut rows, "customer", &stats.customer);
    for speaker in &stats.speakers {
        let label = format!("{} ({})", speaker.speaker, speaker.role.as_str());
        let value = format!(
            "{} spoken, {} words, {} wpm",
            seconds(speaker.speaking_s),
            speaker.words,
            optional(speaker.words_per_minute, |wpm| format!("{wpm:.0}"))
        );
        rows.push((label, value));
    }
    let width = rows.iter().map(|(label, _)| label.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for (label, value) in rows {
        let _ = writeln!(out, "{label:<width$}  {value}");
    }
    out
}

fn side_rows(rows: &mut Vec<(String, String)>, side: &str, stats: &SideStats) {
    rows.push((format!("{side} speaking time"), seconds(stats.speaking_s)));
    rows.push((
        format!("{side} words per minute"),
        optional(stats.words_per_minute, |wpm| format!("{wpm:.0}")),
    ));
    rows.push((format!("{side} questions"), stats.questions.to_string()));
    let fillers = optional(stats.filler_rate, |rate| format!("{rate:.1} per 100 words"));
    rows.push((format!("{side} fillers"), format!("{} ({fillers})", stats.fillers)));
}

fn seconds(value: f64) -> String {
    format!("{value:.1} s")
}

fn optional(value: Option<f64>, show: impl Fn(f64) -> String) -> String {
    value.map_or_else(|| "-".to_owned(), show)
}

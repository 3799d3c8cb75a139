//! Benchmark of the pure per-call analyses (run by `bench/analysis/run.sh`): a generated
//! one-hour two-speaker call (~9,000 words) through stats + keyword trackers with 1 and with
//! 200 trackers, and through the whole `analyze_call`, on one thread. Prints calls per second
//! against the product target (≥ 1,000 one-hour calls per second per core for stats +
//! trackers) and the cost per tracker.

use std::hint::black_box;
use std::time::{Duration, Instant};

use rapport_conversation::{
    analyze_call, call_stats, default_trackers, AnalysisOptions, ContentItem, ContentMatcher, SideFilter,
    Tracker, TrackerMatcher,
};
use rapport_transcript::{Role, Transcript, Utterance};

const TARGET_CALLS_PER_SECOND: f64 = 1000.0;

/// Sentences of the kind said on discovery, demo and pricing calls.
const REP_LINES: &[&str] = &[
    "Thanks for making the time today, how has your week been so far?",
    "Could you walk me through how your team handles inbound leads right now?",
    "What happens after marketing hands a lead over to one of your reps?",
    "How many reps do you have across the regions, roughly?",
    "Let me share my screen and show you the dashboard we built for teams like yours.",
    "Here you can see every call with the talk ratio and the longest monologue.",
    "This view shows the funnel from lead to revenue by source and campaign.",
    "Our pricing is per seat with an annual contract, and we offer a discount for multi year terms.",
    "We integrate with Salesforce and HubSpot out of the box, and there is an open API for the rest.",
    "Security wise we are SOC 2 type two and we support single sign on and data residency in the EU.",
    "I'll send the proposal and the security questionnaire by Friday.",
    "Would a two week pilot with your enterprise team help you decide?",
    "Who else would be involved in signing off on a decision like this?",
    "What would success look like for you at the end of the quarter?",
    "Many of our customers saw their MQL acceptance rate go up within a couple of months.",
    "Let's schedule a follow up with your head of revenue operations next Tuesday.",
    "That makes sense, and I appreciate you being so open about the process.",
    "Is the budget for this already approved, or does it depend on the board?",
    "Um, so basically the scoring model learns from the deals you actually won.",
    "I can also share the case study from a company about your size.",
];

const CUSTOMER_LINES: &[&str] = &[
    "Honestly most of it is spreadsheets and a lot of copy and paste by hand.",
    "Leads fall through the cracks because nobody knows who owns the follow up.",
    "We have about forty reps, mostly in London and Chicago, and a small SDR team.",
    "Our marketing team is frustrated because sales keeps saying the leads are bad.",
    "We looked at Funnelwise last year but it was too expensive for us.",
    "How does the pricing work if we add seats in the middle of the contract?",
    "Is our data stored in the EU, and can we delete recordings after ninety days?",
    "The integration with Salesforce is the most important thing for our admins.",
    "I like that, it looks much simpler than what we have today.",
    "I would need to get approval from my boss and from procurement.",
    "The timeline is tight, we want to go live before the next quarter starts.",
    "To be honest it's not a priority until the reorg is done.",
    "Can you send me the SOC 2 report and the data processing agreement?",
    "We're happy with our current tool for dialing, so we only need the analytics.",
    "That sounds great, we can do a pilot with the enterprise team.",
    "You know, the reporting has been a real pain point for the board.",
    "What does onboarding look like, and how long does it usually take?",
    "We'll review the proposal with legal next week and get back to you.",
    "Our renewal with the current vendor is at the end of the month.",
    "Yeah, that would save us a lot of time every single week.",
];

/// A one-hour call: alternating turns of one to three sentences until ~9,000 words.
fn one_hour_call() -> Transcript {
    let mut seed: u64 = 0x5eed;
    let mut next = |bound: usize| {
        // xorshift64: deterministic and dependency-free.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % bound as u64) as usize
    };
    let mut utterances = Vec::new();
    let mut words = 0;
    let mut turn = 0;
    while words < 9000 {
        let (role, lines) =
            if turn % 2 == 0 { (Role::Rep, REP_LINES) } else { (Role::Customer, CUSTOMER_LINES) };
        let sentences: Vec<&str> = (0..1 + next(3)).map(|_| lines[next(lines.len())]).collect();
        let text = sentences.join(" ");
        words += text.split_whitespace().count();
        utterances.push(Utterance {
            speaker: Some(if role == Role::Rep { "Ana Rep" } else { "Bo Buyer" }.to_owned()),
            role,
            ..Utterance::new(0.0, 0.0, text)
        });
        turn += 1;
    }
    // Spread the turns over 3,600 s by word count: 3,500 s of speech, 100 s of pauses between turns.
    let total: usize = utterances.iter().map(|u| u.text.split_whitespace().count()).sum();
    let pause = 100.0 / utterances.len() as f64;
    let mut time = 0.0;
    for utterance in &mut utterances {
        let length = 3500.0 * utterance.text.split_whitespace().count() as f64 / total as f64;
        utterance.start = time;
        utterance.end = time + length;
        time = utterance.end + pause;
    }
    Transcript { utterances, duration_s: Some(3600.0), source_format: None }
}

/// 200 trackers: the 10 defaults and 190 more built from sales vocabulary, with word forms,
/// sides, question-only and time windows mixed in as real tracker sets have them.
fn two_hundred_trackers() -> Vec<Tracker> {
    const WORDS: &[&str] = &[
        "renewal",
        "contract",
        "seat",
        "license",
        "invoice",
        "pipeline",
        "forecast",
        "quota",
        "territory",
        "onboarding",
        "training",
        "migration",
        "rollout",
        "pilot",
        "champion",
        "stakeholder",
        "legal",
        "redline",
        "procurement",
        "security",
        "audit",
        "retention",
        "churn",
        "upsell",
        "expansion",
        "dashboard",
        "report",
        "export",
        "import",
        "webhook",
        "sandbox",
        "workflow",
        "automation",
        "routing",
        "scoring",
        "attribution",
        "campaign",
        "webinar",
        "ebook",
        "newsletter",
        "event",
        "conference",
        "partner",
        "reseller",
        "agency",
        "headcount",
        "hiring",
        "reorg",
        "layoff",
        "acquisition",
        "merger",
        "board",
        "investor",
        "runway",
        "discount",
        "margin",
        "payback",
        "roi",
        "benchmark",
        "adoption",
        "usage",
        "login",
        "mobile",
        "offline",
    ];
    let mut trackers = default_trackers();
    let mut index = 0;
    while trackers.len() < 200 {
        let phrases: Vec<String> = (0..4)
            .map(|k| {
                let a = WORDS[(index * 7 + k * 13) % WORDS.len()];
                let b = WORDS[(index * 11 + k * 5 + 3) % WORDS.len()];
                if k % 2 == 0 {
                    a.to_owned()
                } else {
                    format!("{a} {b}")
                }
            })
            .collect();
        trackers.push(Tracker {
            name: format!("Tracker {index}"),
            phrases,
            exclusions: if index % 5 == 0 { vec!["not about this".to_owned()] } else { Vec::new() },
            word_forms: index % 2 == 0,
            side: [SideFilter::Anyone, SideFilter::Customer, SideFilter::Rep][index % 3],
            only_questions: index % 7 == 0,
            first_minutes: (index % 11 == 0).then_some(10.0),
            last_minutes: (index % 13 == 0).then_some(10.0),
        });
        index += 1;
    }
    trackers
}

/// Nanoseconds this thread has run on a CPU (Linux `schedstat`), so the figures count the
/// work itself even on a machine shared with other jobs; `None` elsewhere.
fn thread_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// Runs `work` for at least `budget` of wall time; returns calls per second of wall time and
/// of this thread's CPU time (the per-core figure when the machine is busy).
fn calls_per_second(budget: Duration, mut work: impl FnMut()) -> (f64, Option<f64>) {
    work(); // warm up: lazily built tables, caches
    let cpu_started = thread_cpu_ns();
    let started = Instant::now();
    let mut calls = 0u64;
    while started.elapsed() < budget {
        work();
        calls += 1;
    }
    let wall = calls as f64 / started.elapsed().as_secs_f64();
    let cpu =
        cpu_started.zip(thread_cpu_ns()).map(|(start, end)| calls as f64 / ((end - start) as f64 / 1e9));
    (wall, cpu)
}

/// "12.3 calls/s (CPU time: 45.6 calls/s)", the ratio to the target taken on CPU time.
fn show(label: &str, (wall, cpu): (f64, Option<f64>), target: bool) {
    let per_core = cpu.unwrap_or(wall);
    let ratio = if target {
        format!("  {:.2}x the 1,000/s/core target", per_core / TARGET_CALLS_PER_SECOND)
    } else {
        String::new()
    };
    let cpu = cpu.map_or(String::new(), |cpu| format!(", {cpu:.1} per CPU-second"));
    println!("{label:<28}{wall:>9.1} calls/s wall{cpu}{ratio}");
}

fn main() {
    let seconds: f64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(3.0);
    let budget = Duration::from_secs_f64(seconds);
    let call = one_hour_call();
    let words: usize = call.utterances.iter().map(|u| u.text.split_whitespace().count()).sum();
    println!(
        "one-hour call: {} utterances, {words} words, one thread, {seconds} s per figure",
        call.utterances.len()
    );

    let one = TrackerMatcher::new(default_trackers().into_iter().take(1).collect()).unwrap();
    let two_hundred = TrackerMatcher::new(two_hundred_trackers()).unwrap();
    let hits = two_hundred.find(&call).len();
    println!("200 trackers: {} distinct phrases, {hits} hits on the call", two_hundred.pattern_count());

    let stats_only = calls_per_second(budget, || {
        black_box(call_stats(black_box(&call)));
    });
    let with_one = calls_per_second(budget, || {
        black_box(call_stats(black_box(&call)));
        black_box(one.find(black_box(&call)));
    });
    let with_200 = calls_per_second(budget, || {
        black_box(call_stats(black_box(&call)));
        black_box(two_hundred.find(black_box(&call)));
    });
    show("stats only:", stats_only, false);
    show("stats + 1 tracker:", with_one, true);
    show("stats + 200 trackers:", with_200, true);
    let per_core = |(wall, cpu): (f64, Option<f64>)| cpu.unwrap_or(wall);
    let (one_rate, many_rate) = (per_core(with_one), per_core(with_200));
    let per_tracker_us = (1e6 / many_rate - 1e6 / one_rate) / 199.0;
    println!(
        "1 tracker / 200 trackers:   {:.2}x; cost per extra tracker: {per_tracker_us:.2} µs per one-hour call",
        one_rate / many_rate
    );

    let content = ContentMatcher::new(vec![
        ContentItem {
            title: "ROI calculator".into(),
            url: Some("https://rapport.io/roi".into()),
            aliases: vec![],
        },
        ContentItem { title: "case study".into(), url: None, aliases: vec!["customer story".into()] },
    ])
    .unwrap();
    let options = AnalysisOptions { content: Some(&content), ..AnalysisOptions::new(&two_hundred) };
    let full = calls_per_second(budget, || {
        black_box(analyze_call(black_box(&call), &options));
    });
    show("analyze_call, 200 trackers:", full, false);
    println!(
        "  = {:.2} ms of CPU per one-hour call (redaction, stats, trackers, questions, topics, sentiment, next steps, content)",
        1000.0 / per_core(full)
    );
}

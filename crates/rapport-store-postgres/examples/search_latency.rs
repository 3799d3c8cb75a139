//! Transcript search latency on both backends: loads N utterances (calls of 100 utterances of
//! generated sales-call sentences, linked to reps, accounts and won/lost/open deals) through
//! the real write path (`replace_transcript`, so the FTS5 triggers and the generated
//! `tsvector` column do their work), then times a fixed set of queries with and without
//! filters and prints p50/p95 per backend. Writes into a throw-away schema of the test database
//! (`RAPPORT_TEST_POSTGRES_URL`) and a temporary SQLite file (`RAPPORT_BENCH_DIR` to keep it
//! elsewhere).
//!
//! `cargo run --release -p rapport-store-postgres --example search_latency -- [utterances] [runs]`
//!
//! `RAPPORT_BENCH_KEEP=1` keeps the loaded data (a SQLite file under `RAPPORT_BENCH_DIR`, default
//! `target/search-bench`, and the PostgreSQL schema `search_bench_keep_N`) and reuses it on the
//! next run (0 runs: load only); `RAPPORT_BENCH_BACKENDS=sqlite` (or `postgres`) measures one backend.

use std::time::{Duration, Instant};

use chrono::TimeZone;
use rapport_domain::{
    AccountRecord, CallRecord, CallSource, EmailAddress, OpportunityOutcome, OpportunityRecord, PersonRecord,
    Role, SpeakerRole, Timestamp, UserRecord, UtteranceRow,
};
use rapport_store::analysis::{parse_search, CallSide, SearchQuery};
use rapport_store::Store;

const UTTERANCES_PER_CALL: usize = 100;
const REPS: usize = 20;
const ACCOUNTS: usize = 500;

/// A small deterministic generator (xorshift64*), so every run loads the same text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        // Squaring skews toward the front of each list, as word use is skewed in speech.
        let r = (self.next() % 10_000) as f64 / 10_000.0;
        items[((r * r) * items.len() as f64) as usize]
    }
}

const OPENERS: &[&str] =
    &["Honestly", "So", "Right", "Yeah", "Okay", "Well", "I think", "To be fair", "Look", "Basically"];
const SUBJECTS: &[&str] = &[
    "we",
    "our team",
    "the board",
    "my manager",
    "finance",
    "procurement",
    "the sales team",
    "IT",
    "legal",
    "our CFO",
    "marketing",
];
const VERBS: &[&str] = &[
    "need",
    "want",
    "looked at",
    "are evaluating",
    "compared",
    "worry about",
    "care about",
    "discussed",
    "signed off on",
    "pushed back on",
    "asked about",
    "use",
];
const OBJECTS: &[&str] = &[
    "the price",
    "the budget for next quarter",
    "a Salesforce integration",
    "your pricing tiers",
    "the renewal",
    "SOC 2 compliance",
    "the security review",
    "Gong",
    "Chorus",
    "a spreadsheet",
    "the onboarding timeline",
    "a discount",
    "the contract terms",
    "single sign-on",
    "the API limits",
    "HubSpot",
    "the pilot",
    "data residency in Europe",
    "call recording consent",
    "the implementation plan",
];
const ENDINGS: &[&str] = &[
    "this year.",
    "before we sign.",
    "right now.",
    "for the whole team.",
    "next month.",
    "— is that too expensive?",
    "and it was a pain.",
    "but it is not a priority.",
    "so send the proposal.",
    "if the numbers work.",
];

fn sentence(rng: &mut Rng) -> String {
    format!(
        "{} {} {} {} {}",
        rng.pick(OPENERS),
        rng.pick(SUBJECTS),
        rng.pick(VERBS),
        rng.pick(OBJECTS),
        rng.pick(ENDINGS)
    )
}

fn email(text: &str) -> EmailAddress {
    EmailAddress::parse(text).unwrap()
}

fn start() -> Timestamp {
    chrono::Utc.with_ymd_and_hms(2024, 1, 1, 9, 0, 0).unwrap()
}

/// Reps, accounts with a contact each, and a deal per account (won, lost or open).
fn seed(store: &dyn Store) {
    for r in 0..REPS {
        let user = UserRecord {
            email: email(&format!("rep{r}@us.test")),
            name: format!("Rep {r}"),
            team: None,
            role: Role::SalesRep,
        };
        store.upsert_user(&user).unwrap();
    }
    let mut tx = store.begin_write().unwrap();
    let accounts: Vec<AccountRecord> = (0..ACCOUNTS)
        .map(|a| AccountRecord {
            external_id: None,
            name: format!("Account {a}"),
            domain: Some(format!("a{a}.test")),
            industry: Some(["software", "retail", "finance", "health"][a % 4].into()),
            employees: Some((a as u32 % 50) * 100 + 10),
            country: None,
            annual_revenue: None,
        })
        .collect();
    tx.upsert_accounts(&accounts).unwrap();
    let people: Vec<PersonRecord> = (0..ACCOUNTS)
        .map(|a| PersonRecord {
            external_id: None,
            email: email(&format!("buyer@a{a}.test")),
            first_name: Some("Ana".into()),
            last_name: None,
            title: None,
            account_domain: Some(format!("a{a}.test")),
            owner_email: None,
            source: Some("webinar".into()),
            campaign: None,
            country: None,
            created_at: start(),
            stage_history: Vec::new(),
        })
        .collect();
    tx.upsert_people(&people).unwrap();
    let deals: Vec<OpportunityRecord> = (0..ACCOUNTS)
        .map(|a| OpportunityRecord {
            external_id: format!("deal-{a}"),
            name: format!("Deal {a}"),
            account_domain: Some(format!("a{a}.test")),
            primary_contact: Some(email(&format!("buyer@a{a}.test"))),
            contacts: Vec::new(),
            owner_email: None,
            amount_cents: 1_000_000,
            currency: "USD".into(),
            stage: "closed".into(),
            created_at: start(),
            close_date: None,
            outcome: [OpportunityOutcome::Won, OpportunityOutcome::Lost, OpportunityOutcome::Open][a % 3],
            lost_reason: None,
        })
        .collect();
    tx.upsert_opportunities(&deals).unwrap();
    tx.commit().unwrap();
}

fn call_record(c: usize) -> CallRecord {
    let a = c % ACCOUNTS;
    CallRecord {
        external_id: None,
        title: format!("Call {c}"),
        started_at: start() + chrono::Duration::hours(c as i64),
        duration_ms: Some(3_600_000),
        source: CallSource::Transcript,
        participants: Vec::new(),
        person_email: Some(email(&format!("buyer@a{a}.test"))),
        account_domain: Some(format!("a{a}.test")),
        opportunity_external_id: Some(format!("deal-{a}")),
        rep_email: Some(email(&format!("rep{}@us.test", c % REPS))),
        audio_key: None,
        audio_content_type: None,
    }
}

fn transcript(rng: &mut Rng) -> Vec<UtteranceRow> {
    (0..UTTERANCES_PER_CALL)
        .map(|u| UtteranceRow {
            index: u as u32,
            speaker: Some(if u % 2 == 0 { "Rep" } else { "Ana" }.into()),
            role: if u % 2 == 0 { SpeakerRole::Rep } else { SpeakerRole::Customer },
            channel: None,
            start_ms: u as i64 * 30_000,
            end_ms: u as i64 * 30_000 + 25_000,
            text: format!("{} {}", sentence(rng), sentence(rng)),
            words: Vec::new(),
        })
        .collect()
}

/// Loads `calls` calls on `threads` threads; returns the seconds it took.
fn load(store: &dyn Store, calls: usize, threads: usize) -> f64 {
    let started = Instant::now();
    std::thread::scope(|scope| {
        for t in 0..threads {
            scope.spawn(move || {
                let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (t as u64 + 1));
                for c in (t..calls).step_by(threads) {
                    let call = store.create_call(&call_record(c), start()).unwrap();
                    store.replace_transcript(call.id, &transcript(&mut rng), None, start()).unwrap();
                    if t == 0 && c % (threads * 2000) == 0 {
                        eprintln!("  {} of {calls} calls loaded", c);
                    }
                }
            });
        }
    });
    started.elapsed().as_secs_f64()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index].as_secs_f64() * 1000.0
}

/// A filter applied to each query of a variant.
type Filter = Box<dyn Fn(&mut SearchQuery)>;

const QUERIES: &[&str] =
    &["price", "budget quarter", "\"too expensive\"", "salesforce integration", "soc", "gong discount"];

/// Times each query `runs` times (after one warm-up) plain and with filters; prints p50/p95.
fn measure(name: &str, store: &dyn Store, runs: usize, calls: usize) {
    let rep = store.user_by_email(&email("rep3@us.test")).unwrap().unwrap().id;
    let month = chrono::Duration::days(30);
    let middle = start() + chrono::Duration::hours(calls as i64 / 2);
    let variants: Vec<(&str, Filter)> = vec![
        ("no filter", Box::new(|_| {})),
        ("rep", Box::new(move |q| q.rep = Some(rep))),
        (
            "30 days",
            Box::new(move |q| {
                q.from = Some(middle);
                q.to = Some(middle + month);
            }),
        ),
        (
            "customer side + won",
            Box::new(|q| {
                q.side = Some(CallSide::Customer);
                q.outcome = Some(OpportunityOutcome::Won);
            }),
        ),
    ];
    let mut filtered_all = Vec::new();
    for (label, edit) in &variants {
        let mut times = Vec::new();
        let mut hits = 0;
        for text in QUERIES {
            let mut query = SearchQuery::new(parse_search(text, "q").unwrap(), 20);
            edit(&mut query);
            hits += store.search_utterances(&query).unwrap().len();
            for _ in 0..runs {
                let started = Instant::now();
                std::hint::black_box(store.search_utterances(&query).unwrap());
                times.push(started.elapsed());
            }
        }
        times.sort();
        println!(
            "{name:<9} {label:<20} p50 {:>8.2} ms  p95 {:>8.2} ms  max {:>8.2} ms  ({} queries x {runs} runs, {hits} hits)",
            percentile(&times, 0.50),
            percentile(&times, 0.95),
            percentile(&times, 1.0),
            QUERIES.len()
        );
        if *label != "no filter" {
            filtered_all.extend(times);
        }
    }
    filtered_all.sort();
    println!("{name:<9} {:<20} p95 {:>8.2} ms", "all filtered", percentile(&filtered_all, 0.95));
}

/// Where a kept data set lives between runs (`RAPPORT_BENCH_KEEP=1`), so that trying a change
/// to the queries does not pay the ten-minute load again.
fn kept_dir(utterances: usize) -> Option<std::path::PathBuf> {
    std::env::var_os("RAPPORT_BENCH_KEEP")?;
    let base = std::env::var("RAPPORT_BENCH_DIR").unwrap_or_else(|_| "target/search-bench".into());
    let dir = std::path::Path::new(&base).join(utterances.to_string());
    std::fs::create_dir_all(&dir).unwrap();
    Some(dir)
}

fn wanted(backend: &str) -> bool {
    std::env::var("RAPPORT_BENCH_BACKENDS").map_or(true, |list| list.split(',').any(|b| b.trim() == backend))
}

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>().expect("a number"));
    let utterances = args.next().unwrap_or(10_000_000);
    let runs = args.next().unwrap_or(20);
    let calls = utterances.div_ceil(UTTERANCES_PER_CALL);
    let url = std::env::var("RAPPORT_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let kept = kept_dir(utterances);
    let folder = match std::env::var("RAPPORT_BENCH_DIR") {
        Ok(dir) => tempfile::tempdir_in(dir).unwrap(),
        Err(_) => tempfile::tempdir().unwrap(),
    };
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).min(8);
    println!("search latency: {utterances} utterances ({calls} calls of {UTTERANCES_PER_CALL}), {runs} runs per query");

    if wanted("sqlite") {
        let path =
            kept.as_ref().map_or_else(|| folder.path().join("rapport.db"), |dir| dir.join("rapport.db"));
        let marker = path.with_extension("loaded");
        let sqlite = rapport_store_sqlite::SqliteStore::open(&path).unwrap();
        if marker.exists() {
            eprintln!("sqlite: reusing {}", path.display());
        } else {
            seed(&sqlite);
            eprintln!("sqlite: loading");
            let seconds = load(&sqlite, calls, 1);
            println!("sqlite    load {seconds:8.1} s  {:>10.0} utterances/s", utterances as f64 / seconds);
            if kept.is_some() {
                std::fs::write(&marker, "").unwrap();
            }
        }
        if runs > 0 {
            measure("sqlite", &sqlite, runs, calls);
        }
    }

    if wanted("postgres") {
        // A kept data set lives in a named schema that is not dropped; otherwise a throw-away one.
        let temporary;
        let (postgres, schema_name, marker) = match &kept {
            Some(dir) => {
                let name = format!("search_bench_keep_{utterances}");
                (
                    rapport_store_postgres::PostgresStore::open_in_schema(&url, &name).unwrap(),
                    name,
                    Some(dir.join("postgres.loaded")),
                )
            }
            None => {
                temporary = rapport_store_postgres::TemporarySchema::new(&url, "search_bench").unwrap();
                (temporary.open_store().unwrap(), temporary.name().to_string(), None)
            }
        };
        if marker.as_ref().is_some_and(|m| m.exists()) {
            eprintln!("postgres: reusing schema {schema_name}");
        } else {
            seed(&postgres);
            eprintln!("postgres: loading on {threads} threads");
            let seconds = load(&postgres, calls, threads);
            println!(
                "postgres  load {seconds:8.1} s  {:>10.0} utterances/s ({threads} threads)",
                utterances as f64 / seconds
            );
            // Fresh planner statistics, as autovacuum would have them on a live server.
            let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            client.batch_execute(&format!("SET search_path TO {schema_name}; ANALYZE")).unwrap();
            if let Some(marker) = &marker {
                std::fs::write(marker, "").unwrap();
            }
        }
        if runs > 0 {
            measure("postgres", &postgres, runs, calls);
        }
    }
}

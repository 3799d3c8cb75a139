//! Generates a demo into a SQLite file, times it, and prints the story the data tells, all
//! recomputed from the store's facts:
//! `cargo run --release -p rapport-demo --example generate -- small [seed] [file]`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;

use chrono::{Datelike, Duration, NaiveDate};
use rapport_demo::{generate, DemoOptions, Scale};
use rapport_domain::{size_band, FactsFilter, FunnelStage, OpportunityOutcome, PersonId, Stage};
use rapport_store::Store;
use rapport_store_sqlite::SqliteStore;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let scale = match args.first().map(String::as_str).unwrap_or("tiny") {
        "tiny" => Scale::Tiny,
        "small" => Scale::Small,
        "medium" => Scale::Medium,
        "large" => Scale::Large,
        other => return Err(format!("unknown scale `{other}`").into()),
    };
    let seed = args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(42);
    let dir = tempfile::tempdir()?;
    let path = args.get(2).map_or_else(|| dir.path().join("demo.db"), Into::into);
    let store = SqliteStore::open(&path)?;
    let anchor = NaiveDate::from_ymd_opt(2024, 12, 31).ok_or("bad anchor")?;
    let started = Instant::now();
    let mut last_phase = "";
    let summary = generate(&store, &DemoOptions { scale, seed, anchor }, &mut |p| {
        if p.phase != last_phase || p.done == p.total {
            eprintln!("{:>8.1} s  {} {}/{}", started.elapsed().as_secs_f64(), p.phase, p.done, p.total);
            last_phase = p.phase;
        }
    })?;
    let seconds = started.elapsed().as_secs_f64();
    let rows =
        summary.people + summary.touches + summary.stage_events + summary.opportunities + summary.accounts;
    println!("generated in {seconds:.1} s ({:.0} rows/s): {summary:?}", rows as f64 / seconds);
    println!("database: {} MB", std::fs::metadata(&path)?.len() / 1_000_000);
    if !matches!(scale, Scale::Tiny | Scale::Small) {
        return Ok(());
    }
    print_story(&store)?;
    Ok(())
}

/// What happened to one source's handoffs.
#[derive(Debug, Default)]
struct Handoffs {
    handed: u32,
    accepted: u32,
    rejected: u32,
    pending: u32,
    reasons: BTreeMap<String, u32>,
}

fn rate(part: u32, whole: u32) -> String {
    if whole == 0 {
        return "-".into();
    }
    format!("{:.0}%", 100.0 * f64::from(part) / f64::from(whole))
}

fn print_story(store: &SqliteStore) -> Result<(), Box<dyn std::error::Error>> {
    let facts = store.funnel_facts(&FactsFilter::default())?;
    let person: HashMap<PersonId, _> = facts.people.iter().map(|p| (p.person_id, p)).collect();

    // Handoffs per source: accepted, rejected (with reasons), undecided.
    let mut sources: BTreeMap<String, Handoffs> = BTreeMap::new();
    let mut leads: BTreeMap<String, u32> = BTreeMap::new();
    for fact in &facts.people {
        *leads.entry(fact.source.clone().unwrap_or_default()).or_default() += 1;
    }
    for (index, event) in facts.events.iter().enumerate() {
        if event.to != Stage::Mql {
            continue;
        }
        let entry = sources.entry(person[&event.person_id].source.clone().unwrap_or_default()).or_default();
        entry.handed += 1;
        match facts.events.get(index + 1).filter(|next| next.person_id == event.person_id) {
            Some(next) if next.to == Stage::Sal => entry.accepted += 1,
            Some(next) if next.to == Stage::Rejected => {
                entry.rejected += 1;
                *entry.reasons.entry(next.reason.clone().unwrap_or_default()).or_default() += 1;
            }
            _ => entry.pending += 1,
        }
    }
    println!("\nsource               people  handoffs  accepted  rejected  pending  acceptance  top rejection reasons");
    for (source, Handoffs { handed, accepted, rejected, pending, reasons }) in &sources {
        let mut reasons: Vec<_> = reasons.iter().collect();
        reasons.sort_by_key(|(_, count)| std::cmp::Reverse(**count));
        let top: Vec<String> =
            reasons.iter().take(3).map(|(r, c)| format!("{r} {}", rate(**c, *rejected))).collect();
        println!(
            "{source:<20} {:>6} {handed:>9} {accepted:>9} {rejected:>9} {pending:>8} {:>11}  {}",
            leads[source],
            rate(*accepted, accepted + rejected),
            top.join(", ")
        );
    }

    // SLA: handoffs not touched by sales within 24 hours, per rep.
    let mut touches: HashMap<PersonId, Vec<_>> = HashMap::new();
    for touch in &facts.sales_touches {
        touches.entry(touch.person_id).or_default().push(touch.at);
    }
    let mut reps: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for event in facts.events.iter().filter(|e| e.to == Stage::Mql) {
        let deadline = event.at + Duration::hours(24);
        let answered = touches
            .get(&event.person_id)
            .is_some_and(|ts| ts.iter().any(|t| *t >= event.at && *t <= deadline));
        let entry = reps.entry(person[&event.person_id].owner.clone().unwrap_or_default()).or_default();
        entry.0 += 1;
        entry.1 += u32::from(!answered);
    }
    println!("\nrep                                      handoffs  breached 24h SLA");
    for (rep, (handoffs, breached)) in &reps {
        println!("{rep:<40} {handoffs:>8}  {}", rate(*breached, *handoffs));
    }

    // Deals: win rate by industry, size, and bottom-of-funnel content read before the deal.
    let attribution = store.attribution_facts(&FactsFilter::default())?;
    let mut bottom_titles = HashSet::new();
    store.export_content(&mut |c| {
        if c.record.funnel_stage == Some(FunnelStage::Bottom) {
            bottom_titles.insert(c.record.title);
        }
        Ok(())
    })?;
    let readers: HashSet<PersonId> = attribution
        .touches
        .iter()
        .filter(|t| t.content.as_ref().is_some_and(|c| bottom_titles.contains(c)))
        .map(|t| t.person_id)
        .collect();
    let mut groups: BTreeMap<String, (u32, u32, i64)> = BTreeMap::new();
    let mut lost_reasons: BTreeMap<String, u32> = BTreeMap::new();
    for deal in &facts.opportunities {
        let Some(primary) = deal.primary_contact else { continue };
        let fact = person[&primary];
        let read = if readers.contains(&primary) { "read bottom content" } else { "no bottom content" };
        let keys = [
            format!("industry {}", fact.industry.clone().unwrap_or_default()),
            format!("size {}", size_band(fact.employees)),
            read.to_owned(),
            "all deals".to_owned(),
        ];
        for key in keys {
            let entry = groups.entry(key).or_default();
            match deal.outcome {
                OpportunityOutcome::Won => {
                    entry.0 += 1;
                    entry.2 += deal.amount_cents;
                }
                OpportunityOutcome::Lost => entry.1 += 1,
                OpportunityOutcome::Open => {}
            }
        }
        if let Some(reason) = &deal.lost_reason {
            *lost_reasons.entry(reason.clone()).or_default() += 1;
        }
    }
    println!("\ndeals (closed)                         won   lost  win rate  won revenue");
    for (group, (won, lost, cents)) in &groups {
        println!(
            "{group:<36} {won:>5} {lost:>6} {:>9}  ${:.1}M",
            rate(*won, won + lost),
            *cents as f64 / 1e8
        );
    }
    println!("lost reasons: {lost_reasons:?}");

    // Seasonality: new people per month.
    let mut months: BTreeMap<(i32, u32), u32> = BTreeMap::new();
    for fact in &facts.people {
        *months.entry((fact.created_at.year(), fact.created_at.month())).or_default() += 1;
    }
    let line: Vec<String> = months.iter().map(|((y, m), n)| format!("{y}-{m:02} {n}")).collect();
    println!("\nnew people per month: {}", line.join(", "));
    let stages: BTreeMap<String, u64> = Stage::ALL
        .iter()
        .map(|s| {
            let query = rapport_store::PeopleQuery { stage: Some(*s), limit: u32::MAX, ..Default::default() };
            (s.as_str().to_owned(), store.list_people(&query).map(|p| p.len() as u64).unwrap_or(0))
        })
        .collect();
    println!("current stages: {stages:?}");
    Ok(())
}

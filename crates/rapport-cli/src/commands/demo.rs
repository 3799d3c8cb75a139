//! `rapport demo`: generate a demo workspace (once), print its logins, and serve it.

use anyhow::Context;
use chrono::{NaiveDate, TimeZone, Utc};
use rapport_demo::{DemoOptions, DemoProgress, Scale};

use crate::cli::{self, DemoArgs};
use crate::config::Config;
use crate::failure::bad_input;

pub fn demo(config: &Config, args: DemoArgs) -> anyhow::Result<()> {
    let anchor = match &args.anchor {
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|e| bad_input(format!("--anchor: `{text}` is not a YYYY-MM-DD date ({e})")))?,
        None => Utc::now().date_naive(),
    };
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create the data directory {}", config.data_dir.display()))?;
    let store = crate::store::open(config)?;
    let counts = store.counts()?;
    if counts.people > 0 {
        // Never mix a demo into real data, nor generate twice: serve what is there.
        eprintln!(
            "the workspace already holds {} people and {} touches; serving it as it is \
             (remove {} for a fresh demo)",
            counts.people,
            counts.touches,
            config.data_dir.display()
        );
    } else {
        let options = DemoOptions { scale: scale(args.scale), seed: args.seed, anchor };
        let bar = crate::progress::terminal_bar(0, "{bar:40} {pos}/{len} {msg} ({eta})");
        let started = std::time::Instant::now();
        let mut on_progress = |progress: &DemoProgress| {
            if let Some(bar) = &bar {
                bar.set_length(progress.total);
                bar.set_position(progress.done);
                bar.set_message(progress.phase);
            }
        };
        let summary = rapport_demo::generate(&*store, &options, &mut on_progress);
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        let summary = summary?;
        let counts = store.counts()?;
        eprintln!(
            "demo workspace ready in {:.1} s: {} accounts, {} people, {} touches, {} campaigns, \
             {} content items, {} opportunities, {} stage events, {} calls ({} utterances)",
            started.elapsed().as_secs_f64(),
            counts.accounts,
            counts.people,
            counts.touches,
            counts.campaigns,
            counts.content,
            counts.opportunities,
            counts.stage_events,
            summary.calls,
            summary.utterances
        );
        let analysing = std::time::Instant::now();
        let smart = rapport_app::smart::shared()?;
        let analysed = crate::progress::counted("{bar:40} {pos}/{len} calls analysed ({eta})", |progress| {
            rapport_app::analysis::analyze_stale(&*store, &chrono::Utc::now, progress)
        })?;
        let what = if smart.is_some() {
            "talk stats, tracker and smart-tracker hits"
        } else {
            "talk stats, tracker hits"
        };
        eprintln!("{analysed} calls analysed ({what}) in {:.1} s", analysing.elapsed().as_secs_f64());
        if let Some(smart) = smart {
            // With an embedding model (demo.sh passes the packaged MiniLM), the demo shows
            // topics discovered across its calls too, as `rapport topics discover` would.
            let discovering = std::time::Instant::now();
            let discovery = crate::progress::counted(
                "{bar:40} {pos}/{len} calls assigned to topics ({eta})",
                |progress| {
                    rapport_app::topics::discover(&*store, &smart, Default::default(), Utc::now(), progress)
                },
            )?;
            eprintln!(
                "{} topics discovered across {} calls in {:.1} s",
                discovery.topics.len(),
                discovery.calls,
                discovering.elapsed().as_secs_f64()
            );
        }
        print_logins(&*store, &summary)?;
        let scoring_now = Utc.from_utc_datetime(&anchor.and_hms_opt(23, 59, 59).expect("a valid time"));
        super::demo_scoring::set_up(&*store, &summary, scoring_now)?;
        let media = super::calls::open_media(config)?;
        let recorded = super::demo_audio::add_recorded_calls(&*store, &media, &config.data_dir.join("tmp"))?;
        if recorded > 0 {
            eprintln!(
                "{recorded} recorded calls queued for transcription (`rapport jobs list` shows progress)"
            );
        }
    }
    if args.no_serve {
        return Ok(());
    }
    super::serve::serve(
        config,
        store,
        &crate::cli::ServeArgs { bind: args.bind, workers: None, secure_cookies: false },
    )
}

/// The web password every demo user of a role gets. Demo only: anyone who reads this source
/// knows it, so a demo workspace must never hold real data or face the internet.
pub fn demo_password(role: rapport_domain::Role) -> String {
    format!("demo-{}", role.as_str())
}

/// A web login (with its demo password) and an API token per demo user, so both the web app
/// and the API can be tried at once.
fn print_logins(store: &dyn rapport_store::Store, summary: &rapport_demo::DemoSummary) -> anyhow::Result<()> {
    eprintln!("demo users: web login (email / DEMO-ONLY password) and API token (Authorization: Bearer …):");
    let now = Utc::now();
    for (email, role) in &summary.users {
        let password = demo_password(*role);
        rapport_app::passwords::set(store, email, &password, None, now)?;
        let token = rapport_app::tokens::create(store, email, "demo")?;
        println!("  {:<14} {:<36} {:<16} {}", role.as_str(), email, password, token.token);
    }
    Ok(())
}

fn scale(scale: cli::Scale) -> Scale {
    match scale {
        cli::Scale::Tiny => Scale::Tiny,
        cli::Scale::Small => Scale::Small,
        cli::Scale::Medium => Scale::Medium,
        cli::Scale::Large => Scale::Large,
    }
}

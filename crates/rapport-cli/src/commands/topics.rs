//! `rapport topics discover|list|rename`: topics discovered across the stored calls, with the
//! embedding model of the configuration.

use chrono::Utc;
use rapport_app::topics::{self, DiscoverOptions};
use rapport_store::topics::StoredTopic;
use rapport_store::Store;

use crate::cli::TopicsCommand;
use crate::commands::search::plain;
use crate::failure::bad_input;

pub fn topics(store: &dyn Store, command: TopicsCommand) -> anyhow::Result<()> {
    match command {
        TopicsCommand::Discover { k, seed, json } => {
            let Some(smart) = rapport_app::smart::shared()? else {
                return Err(bad_input(
                    "topics need an embedding model: set `embedding_model` in the config or RAPPORT_EMBEDDING_MODEL (a folder or a Hugging Face id)",
                ));
            };
            let options = DiscoverOptions { k: k.map(usize::from), seed };
            let discovery = crate::progress::counted(
                "{bar:40} {pos}/{len} calls assigned to topics ({eta})",
                |progress| topics::discover(store, &smart, options, Utc::now(), progress),
            )?;
            if json {
                println!("{}", serde_json::to_string_pretty(&discovery)?);
            } else {
                println!(
                    "{} topics from {} utterances of {} calls; {} calls have at least one",
                    discovery.topics.len(),
                    discovery.utterances,
                    discovery.calls,
                    discovery.calls_with_topics
                );
                print!("{}", table(&discovery.topics));
            }
        }
        TopicsCommand::List { json } => {
            let stored = topics::list(store)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&stored)?);
            } else if stored.is_empty() {
                println!("no topics yet: run `rapport topics discover`");
            } else {
                print!("{}", table(&stored));
            }
        }
        TopicsCommand::Rename { id, name } => {
            let renamed = topics::rename(store, &id, &name, None, Utc::now())?;
            println!("{}: {}", renamed.id, plain(&renamed.name));
        }
    }
    Ok(())
}

/// One line per topic: id, size, name and top terms (control characters blanked).
fn table(topics: &[StoredTopic]) -> String {
    use std::fmt::Write as _;
    let width = topics.iter().map(|t| t.name.chars().count()).max().unwrap_or(4).max(4);
    let mut out = format!("{:<16}  {:>6}  {:<width$}  top terms\n", "id", "size", "name");
    for topic in topics {
        let _ = writeln!(
            out,
            "{:<16}  {:>6}  {:<width$}  {}",
            topic.id,
            topic.size,
            plain(&topic.name),
            plain(&topic.top_terms.join(", "))
        );
    }
    out
}

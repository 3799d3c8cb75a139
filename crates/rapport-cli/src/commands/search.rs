//! `rapport search QUERY [filters]`: full-text search over the stored transcripts, one line
//! per matching utterance with its call, time, speaker and snippet (or `--json`).

use std::io::IsTerminal;

use rapport_app::search::{search as run_search, SearchRequest};
use rapport_store::analysis::SearchHit;
use rapport_store::Store;

use crate::cli::SearchArgs;
use crate::cli_search::{OutcomeArg, SideArg};

pub fn search(store: &dyn Store, args: &SearchArgs) -> anyhow::Result<()> {
    let request = SearchRequest {
        q: args.query.clone(),
        rep: args.rep.clone(),
        account: args.account.clone(),
        from: args.from.clone(),
        to: args.to.clone(),
        tracker: args.tracker.clone(),
        side: args.side.map(|side| match side {
            SideArg::Rep => "rep".to_owned(),
            SideArg::Customer => "customer".to_owned(),
        }),
        outcome: args.outcome.map(|outcome| match outcome {
            OutcomeArg::Won => "won".to_owned(),
            OutcomeArg::Lost => "lost".to_owned(),
            OutcomeArg::Open => "open".to_owned(),
        }),
        limit: Some(args.limit),
        rank_window: args.rank_window,
    };
    // The CLI is the installation's operator: it searches every call.
    let hits = run_search(store, None, &request)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&hits)?);
        return Ok(());
    }
    if hits.is_empty() {
        println!("no matches");
        return Ok(());
    }
    let bold = std::io::stdout().is_terminal();
    for hit in &hits {
        println!("{}", line(hit, bold));
    }
    Ok(())
}

/// Transcript text may hold terminal control sequences; they are shown as spaces.
pub fn plain(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// `call 12  2024-03-05  03:41  customer Ana: …the [price] is too high…`
fn line(hit: &SearchHit, bold: bool) -> String {
    let (open, close) = if bold { ("\u{1b}[1m", "\u{1b}[0m") } else { ("[", "]") };
    let chars: Vec<char> = plain(&hit.snippet).chars().collect();
    let mut snippet = String::new();
    let mut position = 0usize;
    for highlight in &hit.highlights {
        let (start, end) = (highlight.start as usize, (highlight.end as usize).min(chars.len()));
        if start < position || start > end {
            continue;
        }
        snippet.extend(&chars[position..start]);
        snippet.push_str(open);
        snippet.extend(&chars[start..end]);
        snippet.push_str(close);
        position = end;
    }
    snippet.extend(&chars[position.min(chars.len())..]);
    let seconds = hit.start_ms / 1000;
    let side = hit.side.as_str();
    format!(
        "call {}  {}  {:02}:{:02}  {side} {}: {snippet}   ({})",
        hit.call,
        hit.call_started_at.format("%Y-%m-%d"),
        seconds / 60,
        seconds % 60,
        plain(hit.speaker.as_deref().unwrap_or("?")),
        plain(&hit.call_title),
    )
}

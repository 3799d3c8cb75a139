//! `rapport calls add|list|show` and `rapport jobs list`: calls in, transcripts and the job
//! queue out, as tables or JSON.

use std::io::Read;

use anyhow::Context;
use rapport_app::calls::{self, NewCall};
use rapport_app::speech::ChannelRoles;
use rapport_domain::{Call, Job};
use rapport_media::{MediaLocation, MediaStore};
use rapport_store::{CallQuery, JobQuery, Store};

use crate::cli_calls::{CallsAddArgs, CallsCommand, JobsCommand};
use crate::config::Config;
use crate::failure::bad_input;

pub fn calls(store: &dyn Store, config: &Config, command: CallsCommand) -> anyhow::Result<()> {
    match command {
        CallsCommand::Add(args) => add(store, config, args),
        CallsCommand::List { json } => {
            let calls = calls::list(store, &CallQuery::default())?;
            if json {
                println!("{}", serde_json::to_string_pretty(&calls)?);
            } else {
                calls.iter().for_each(print_call_line);
            }
            Ok(())
        }
        CallsCommand::Show { id, json } => {
            let details = calls::show(store, id)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&details)?);
                return Ok(());
            }
            print_call_line(&details.call);
            if let Some(failure) = &details.call.failure {
                println!("  failed: {failure}");
            }
            for utterance in &details.utterances {
                let speaker = utterance.speaker.as_deref().unwrap_or("?");
                let clock = clock(utterance.start_ms);
                println!("[{clock}] {speaker} ({}): {}", utterance.role.as_str(), utterance.text);
            }
            Ok(())
        }
    }
}

pub fn jobs(store: &dyn Store, command: JobsCommand) -> anyhow::Result<()> {
    let JobsCommand::List { json } = command;
    let jobs = calls::jobs(store, &JobQuery::default())?;
    if json {
        println!("{}", serde_json::to_string_pretty(&jobs)?);
    } else {
        jobs.iter().for_each(print_job_line);
    }
    Ok(())
}

fn add(store: &dyn Store, config: &Config, args: CallsAddArgs) -> anyhow::Result<()> {
    let channels = args.channels.as_deref().map(ChannelRoles::parse).transpose()?;
    let mut new = NewCall {
        title: args.title,
        started_at: args.started_at,
        person_email: args.person,
        account_domain: args.account,
        opportunity: args.opportunity,
        reps: args.rep,
        // Explicit only: a transcript's channels mark roles only when the user says which is whose.
        channels,
    };
    let file = &args.file;
    let mut head = Vec::with_capacity(16);
    std::fs::File::open(file)
        .and_then(|handle| handle.take(16).read_to_end(&mut head))
        .map_err(|e| bad_input(format!("{}: cannot read: {e}", file.display())))?;
    let name =
        file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
    let now = chrono::Utc::now();
    let added = if calls::is_audio(&name, &head) {
        let default = ChannelRoles { rep_channel: config.rep_channel, per_channel: None };
        new.channels = new.channels.or(Some(default));
        let media = open_media(config)?;
        calls::add_audio(store, &media, &new, file, now)?
    } else {
        let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        // The message names the file as the user typed it, not only its base name.
        let shown = file.display().to_string();
        calls::add_transcript(store, &new, &shown, &bytes, now)?
    };
    for rep in &added.unmatched_reps {
        eprintln!("warning: --rep {rep} matches no speaker of the transcript");
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&added)?);
    } else {
        match &added.job {
            Some(job) => println!("call {} ({}), job {}", added.call.id, added.call.status.as_str(), job.id),
            None => {
                let status = added.call.status.as_str();
                println!("call {} ({status}): {} utterances", added.call.id, added.utterances);
            }
        }
    }
    Ok(())
}

pub fn open_media(config: &Config) -> anyhow::Result<MediaStore> {
    let location = MediaLocation::parse(&config.media_location()).map_err(|e| bad_input(e.to_string()))?;
    MediaStore::open(&location).with_context(|| format!("opening the media store {location}"))
}

fn print_call_line(call: &Call) {
    let duration = call.record.duration_ms.map_or_else(|| "-".to_owned(), clock);
    println!(
        "{:>6}  {:<12} {}  {:>9}  {}",
        call.id,
        call.status.as_str(),
        call.record.started_at.format("%Y-%m-%d %H:%M"),
        duration,
        call.record.title
    );
}

fn print_job_line(job: &Job) {
    let call = job.call_id.map_or_else(|| "-".to_owned(), |id| format!("call {id}"));
    let error = job.last_error.as_deref().map(|e| format!("  {e}")).unwrap_or_default();
    println!(
        "{:>6}  {:<11} {:<10} {:>3.0}%  attempt {}/{}  {call}{error}",
        job.id,
        job.kind,
        job.status.as_str(),
        job.progress * 100.0,
        job.attempts,
        job.max_attempts
    );
}

/// `m:ss.s` (or `h:mm:ss`) from milliseconds.
fn clock(ms: i64) -> String {
    let seconds = ms as f64 / 1000.0;
    let (hours, minutes) = ((seconds / 3600.0) as i64, ((seconds % 3600.0) / 60.0) as i64);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{:02}", (seconds % 60.0) as i64)
    } else {
        format!("{minutes}:{:04.1}", seconds % 60.0)
    }
}

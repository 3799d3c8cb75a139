//! `rapport import` and `rapport export`: CSV in and out, with a progress bar on a terminal.

use std::io::Write;

use rapport_import::{ImportKind, ImportOptions, ImportSummary, Phase, Preset};
use rapport_store::Store;

use crate::cli::{ExportArgs, ImportArgs, Kind, PresetArg};
use crate::failure::bad_input;

pub fn kind(kind: Kind) -> ImportKind {
    match kind {
        Kind::People => ImportKind::People,
        Kind::Accounts => ImportKind::Accounts,
        Kind::Touches => ImportKind::Touches,
        Kind::Opportunities => ImportKind::Opportunities,
        Kind::Campaigns => ImportKind::Campaigns,
        Kind::Content => ImportKind::Content,
    }
}

pub fn import(store: &dyn Store, args: ImportArgs) -> anyhow::Result<()> {
    let mapping = args.mapping.as_deref().map(rapport_import::load_mapping).transpose()?;
    let preset = match args.preset {
        None => Preset::Canonical,
        Some(PresetArg::Hubspot) => Preset::Hubspot,
        Some(PresetArg::Salesforce) => Preset::Salesforce,
    };
    let options = ImportOptions { preset, mapping, strict: args.strict, ..ImportOptions::default() };
    let bar = crate::progress::terminal_bar(0, "{bar:40} {bytes}/{total_bytes} {msg} ({eta})");
    let mut on_progress = |progress: &rapport_import::Progress| {
        if let Some(bar) = &bar {
            bar.set_length(progress.total_bytes);
            bar.set_position(progress.bytes_read);
            let phase = match progress.phase {
                Phase::Validating => "checking",
                Phase::Importing => "importing",
            };
            bar.set_message(format!("{phase}: {} rows", progress.rows));
        }
    };
    let summary = rapport_import::import_file(store, kind(args.kind), &args.file, &options, &mut on_progress);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let summary = summary?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print_summary(&args.file, &summary);
    }
    if summary.failed > 0 {
        let what = if summary.rolled_back {
            "nothing was written (--strict)"
        } else {
            "the other rows were imported"
        };
        return Err(bad_input(format!("{} of {} rows failed; {what}", summary.failed, summary.rows)));
    }
    Ok(())
}

fn print_summary(file: &std::path::Path, summary: &ImportSummary) {
    println!(
        "{}: {} rows of {} — {} inserted, {} updated, {} unchanged, {} failed",
        file.display(),
        summary.rows,
        summary.kind,
        summary.inserted,
        summary.updated,
        summary.unchanged,
        summary.failed
    );
    for error in summary.errors.iter().take(20) {
        eprintln!("  {}: {error}", file.display());
    }
    if summary.failed > 20 {
        eprintln!("  … {} more (use --json for the first 1000)", summary.failed - 20);
    }
}

pub fn export(store: &dyn Store, args: ExportArgs) -> anyhow::Result<()> {
    let kind = kind(args.kind);
    let rows = if args.file.as_os_str() == "-" {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let rows = rapport_import::export(store, kind, &mut out)?;
        out.flush()?;
        rows
    } else {
        // Write beside the target and rename, so a failed export never leaves half a file.
        let partial = args.file.with_extension("csv.partial");
        let file = std::fs::File::create(&partial)
            .map_err(|e| bad_input(format!("cannot create {}: {e}", partial.display())))?;
        let mut out = std::io::BufWriter::new(file);
        let rows = rapport_import::export(store, kind, &mut out)?;
        out.flush()?;
        std::fs::rename(&partial, &args.file)?;
        rows
    };
    if args.file.as_os_str() != "-" {
        eprintln!("exported {rows} {kind} rows to {}", args.file.display());
    }
    Ok(())
}

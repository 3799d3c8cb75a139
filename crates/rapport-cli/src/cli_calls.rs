//! The command-line grammar of calls: standalone transcription, adding and reading calls,
//! the job queue and the worker.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TranscriptFormat {
    /// `[00:00:01.2] Speaker (role): text`, for reading.
    Text,
    /// Rapport JSON: `{"utterances": [{"speaker", "role", "start", "end", "text"}…]}`.
    Json,
    Vtt,
    Srt,
}

#[derive(Debug, Args)]
pub struct TranscribeArgs {
    /// The recording: WAV, MP3, FLAC, OGG/Vorbis or M4A/AAC.
    pub file: PathBuf,
    /// A faster-whisper model folder or a Hugging Face id (default: `model` in the config,
    /// else Systran/faster-whisper-tiny.en), downloaded once into the model cache.
    #[arg(long, value_name = "DIR|HF_ID")]
    pub model: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: TranscriptFormat,
    /// CPU threads (default: `threads` in the config, else every core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// The role of each channel, in order (`rep,customer`): transcribes each channel on its
    /// own. Without it, a recording with one party per channel is recognised from the audio,
    /// the rep on channel `rep_channel` (config, default 0).
    #[arg(long, value_name = "ROLES")]
    pub channels: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum CallsCommand {
    /// Add a call from a recording (queued for a worker) or a transcript file (WebVTT, SRT,
    /// Whisper, Amazon Transcribe, Deepgram, AssemblyAI or Rapport JSON: ready at once).
    Add(CallsAddArgs),
    /// List calls, newest first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show a call with its transcript.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct CallsAddArgs {
    pub file: PathBuf,
    /// The contact the call is with (an imported person).
    #[arg(long, value_name = "EMAIL")]
    pub person: Option<String>,
    /// The account's domain; defaults to the person's account.
    #[arg(long, value_name = "DOMAIN")]
    pub account: Option<String>,
    /// The opportunity's id in the CRM.
    #[arg(long, value_name = "ID")]
    pub opportunity: Option<String>,
    /// The rep on the call: a user's email (the call's rep) or a speaker's name; repeatable.
    #[arg(long, value_name = "EMAIL|NAME")]
    pub rep: Vec<String>,
    /// Defaults to the file name without its extension.
    #[arg(long, value_name = "T")]
    pub title: Option<String>,
    /// When the call started (`2026-03-01 14:05`, RFC 3339, …); defaults to now.
    #[arg(long, value_name = "TIME")]
    pub started_at: Option<String>,
    /// Recordings: the role of each channel, in order (`rep,customer`).
    #[arg(long, value_name = "ROLES")]
    pub channels: Option<String>,
    /// Print the new call (and its job) as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// List jobs, newest first, with their progress and last error.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// CPU threads per transcription (default: `threads` in the config, else every core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Work through the jobs that are due, then exit.
    #[arg(long)]
    pub once: bool,
}

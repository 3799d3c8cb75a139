//! Deterministic demo workspaces that tell a marketer's story, written through the storage
//! API in batches.
//!
//! [`generate`] fills an empty store with a year of history ending on the anchor date: users
//! (reps in three teams, a sales manager, a marketer, an admin), campaigns by channel, a
//! content library, accounts across industries and sizes, and people who arrive through
//! sources that behave very differently at the handoff (partner and webinar leads are
//! accepted, content syndication and purchased lists mostly rejected as junk, bad fit or the
//! wrong contact), with reps who answer fast or slow, deals won and lost, and the content that
//! goes with winning. The same seed and anchor give the same workspace; the story's numbers
//! live in `story.rs`. Knows no backend: everything goes through [`Store`] and its `WriteTx`.
//!
//! It also records sales calls with transcripts (`calls/`): about 20 at the tiny scale, 400 at
//! small and 2,000 at medium and large, each between the account's rep and the person the
//! deal is with (now and then a colleague of theirs, or their IT person on a security
//! review), linked to the person, the account and the opportunity:
//!
//! - **When:** a discovery call soon after sales accepted the lead, a demo early in the
//!   opportunity, for larger companies often a security and integration review midway, and a
//!   proposal review before the close; open deals have had the calls of their stage so far,
//!   and a few accepted leads that never became deals had an intro call. Calls start on the
//!   hour or half hour of a working day, a minute or two late.
//! - **What:** small talk, agendas, open and closed questions, the buyer's pains, today's
//!   tools, who decides, timelines and budgets, product walkthroughs with the buyer's
//!   questions, integrations, security and compliance, pricing, objections ("too expensive",
//!   "no budget this year", "happy with our current tool", "not a priority"), discount asks
//!   worded many ways ("is that the best you can do?"), competitors from the fixed list
//!   [`COMPETITORS`], content-library items named by title (case studies, the security
//!   overview, the ROI calculator …) and next steps that name who does what and when (the
//!   day and time of the next call, when there is one).
//! - **Skews:** lost deals hear more price and budget objections and name a competitor
//!   (always when lost to one); won deals agree next steps, mention case studies and react
//!   more positively; buyers who read bottom-of-funnel content mention case studies more.
//! - **Talk:** each rep has a style (`story::TALK_STYLES`): listeners ask open questions, dig
//!   into pains and talk about 40% of a discovery call (about 50% over all their calls);
//!   monologuers pitch, tell anecdotes and ask closed questions, near 60% of a discovery
//!   call and 70% overall. Speech runs near 150 words a minute, with pauses that are longer
//!   after a question, the odd interruption, "mm-hmm"s over long explanations, fillers, and
//!   long turns split into utterances as meeting tools split them.
//!
//! Sentences come from banks of interchangeable phrasings with slots (`calls/lines/`),
//! never repeated within a call while a bank has others, so no two calls read alike. A
//! call's words depend only on the seed, the anchor and the call's person (each has its own
//! random streams), not on how many calls are planned or the order they are written in;
//! only the `demo-cN` numbering follows the start times.

mod accounts;
mod calendar;
mod calls;
mod campaigns;
mod content;
mod deals;
mod lifecycle;
mod names;
mod notes;
mod people;
mod rng;
mod story;
mod touches;
mod users;
mod workspace;
mod writer;

use chrono::NaiveDate;
use rapport_domain::Role;
use rapport_store::{RowRejection, Store, StoreError};

pub use calls::COMPETITORS;
pub(crate) use workspace::World;

/// How big a workspace to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scale {
    /// ≈ 50 accounts, 500 people, 5k touches, 20 calls: for tests.
    Tiny,
    /// ≈ 5k accounts, 50k people, 500k touches, 400 calls: a convincing demo.
    Small,
    /// ≈ 20k accounts, 200k people, 4M touches, 2k calls.
    Medium,
    /// ≈ 100k accounts, 1M people, 20M touches, 2k calls: for benchmarks.
    Large,
}

/// The sizes behind a [`Scale`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sizes {
    pub accounts: usize,
    pub people: usize,
    pub campaigns: usize,
    pub content: usize,
    pub reps: usize,
    pub touch_factor: f64,
    /// Sales calls with transcripts, about.
    pub calls: usize,
}

impl Scale {
    pub(crate) fn sizes(self) -> Sizes {
        let (accounts, people, campaigns, content, reps, touch_factor, calls) = match self {
            Self::Tiny => (50, 500, 24, 34, 6, 1.0, 20),
            Self::Small => (5_000, 50_000, 40, 60, 12, 1.0, 400),
            Self::Medium => (20_000, 200_000, 60, 80, 24, 2.6, 2_000),
            Self::Large => (100_000, 1_000_000, 80, 100, 40, 2.6, 2_000),
        };
        Sizes { accounts, people, campaigns, content, reps, touch_factor, calls }
    }
}

/// What to generate. The same options always give the same workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    pub scale: Scale,
    pub seed: u64,
    /// The last day of history; the year before it is filled.
    pub anchor: NaiveDate,
}

/// Reported after each batch: `done` of `total` in the current phase
/// (`users`, `catalog`, `people`, `calls`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoProgress {
    pub phase: &'static str,
    pub done: u64,
    pub total: u64,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub accounts: u64,
    pub campaigns: u64,
    pub content: u64,
    pub people: u64,
    pub touches: u64,
    pub opportunities: u64,
    /// Lifecycle events: the people's early history, the checked transitions from the handoff
    /// on, and the events the deals give their primary contacts.
    pub stage_events: u64,
    /// Sales calls, each with a stored transcript.
    pub calls: u64,
    /// Speaker turns over all calls' transcripts.
    pub utterances: u64,
    /// The demo users' emails, reps first, with their roles.
    pub users: Vec<(String, Role)>,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// Demos go into empty workspaces only: mixed with real data they would mislead.
    #[error("the workspace already holds people; generate a demo into an empty one")]
    NotEmpty,
    /// The store refused a generated row: a bug in the generator.
    #[error("the store refused the demo's {kind} `{key}`: {rejection}")]
    Rejected { kind: &'static str, key: String, rejection: RowRejection },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Generates a demo workspace into `store`, which must hold no people yet, and reports
/// progress after each batch.
pub fn generate(
    store: &dyn Store,
    options: &DemoOptions,
    progress: &mut dyn FnMut(&DemoProgress),
) -> Result<DemoSummary, DemoError> {
    workspace::run(store, options, progress)
}

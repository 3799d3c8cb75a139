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

mod accounts;
mod calendar;
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

pub(crate) use workspace::World;

/// How big a workspace to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scale {
    /// ≈ 50 accounts, 500 people, 5k touches: for tests.
    Tiny,
    /// ≈ 5k accounts, 50k people, 500k touches: a convincing demo.
    Small,
    /// ≈ 20k accounts, 200k people, 4M touches.
    Medium,
    /// ≈ 100k accounts, 1M people, 20M touches: for benchmarks.
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
}

impl Scale {
    pub(crate) fn sizes(self) -> Sizes {
        let (accounts, people, campaigns, content, reps, touch_factor) = match self {
            Self::Tiny => (50, 500, 24, 34, 6, 1.0),
            Self::Small => (5_000, 50_000, 40, 60, 12, 1.0),
            Self::Medium => (20_000, 200_000, 60, 80, 24, 2.6),
            Self::Large => (100_000, 1_000_000, 80, 100, 40, 2.6),
        };
        Sizes { accounts, people, campaigns, content, reps, touch_factor }
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
/// (`users`, `catalog`, `people`).
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

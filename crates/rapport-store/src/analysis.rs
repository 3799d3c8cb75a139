//! Stored call analyses, tracker hits, trackers as data, and transcript search: the part of
//! the storage API that conversation analytics, voice-of-the-customer reports and scoring
//! signals read and write.
//!
//! The store treats an analysis and a tracker definition as opaque JSON documents: it knows
//! neither `rapport-conversation` nor its types, only the rows that filters and aggregates
//! need (tracker hits, content mentions). Search runs on an index the database keeps itself
//! (SQLite FTS5, PostgreSQL `tsvector` + GIN) over the utterances as stored, so it can never
//! drift from the transcripts.

use rapport_domain::{
    AccountId, CallId, ContentId, InvalidField, OpportunityId, OpportunityOutcome, PersonId, SpeakerRole,
    Timestamp, UserId,
};
use serde::{Deserialize, Serialize};

use crate::StoreError;

/// How a tracker finds its moments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackerKind {
    /// Phrases matched word by word (`rapport_conversation::Tracker`).
    Keyword,
    /// A concept learned from example sentences (sentence embeddings).
    Smart,
}

impl TrackerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Keyword => "keyword",
            Self::Smart => "smart",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "keyword" => Some(Self::Keyword),
            "smart" => Some(Self::Smart),
            _ => None,
        }
    }
}

/// A tracker as it is stored: its name, kind and definition (JSON, read by the analysis).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackerDefinition {
    pub name: String,
    pub kind: TrackerKind,
    /// The tracker's definition as JSON text; the store only checks that it is JSON.
    pub definition: String,
}

impl TrackerDefinition {
    pub fn check(&self) -> Result<(), InvalidField> {
        if self.name.trim().is_empty() {
            return Err(InvalidField::new("name", "a tracker needs a name"));
        }
        if self.name.chars().count() > 200 {
            return Err(InvalidField::new("name", "is longer than 200 characters"));
        }
        if self.name.contains('\0') || self.definition.contains('\0') {
            return Err(InvalidField::new("definition", "contains a NUL character"));
        }
        if let Err(error) = serde_json::from_str::<serde_json::Value>(&self.definition) {
            return Err(InvalidField::new("definition", format!("is not JSON: {error}")));
        }
        Ok(())
    }
}

/// A stored tracker. `version` counts the changes of this tracker (1 when first stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredTracker {
    #[serde(flatten)]
    pub tracker: TrackerDefinition,
    pub version: u64,
    pub updated_at: Timestamp,
}

/// The workspace's trackers and the version of the set: every change to any tracker (added,
/// changed, removed) moves `set_version`, and an analysis records the version it used, so
/// calls analysed with an older set are found and analysed again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackerSet {
    pub trackers: Vec<StoredTracker>,
    pub set_version: u64,
    /// Whether the default trackers were ever stored (they are seeded once, on first use, so
    /// removing one of them is not undone).
    pub seeded: bool,
}

/// Workspace settings of the analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalysisSettings {
    /// Redact PII (emails, phone numbers, card numbers, IBANs, national ids) from transcripts
    /// before they are stored, so neither the stored text nor search ever holds it. On by
    /// default.
    pub redact_pii: bool,
}

/// One tracker hit as a row, for filters and aggregates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackerHitRow {
    pub tracker: String,
    /// The utterance's index in the call.
    pub utterance: u32,
    /// The utterance's start, milliseconds from the start of the call.
    pub time_ms: i64,
    /// `rep` or `customer` (unknown speakers count as the customer side).
    pub side: SpeakerRole,
    pub speaker: Option<String>,
    /// The smart tracker's score; `None` for keyword trackers.
    pub score: Option<f64>,
}

/// A mention of a content-library item on a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContentMentionRow {
    /// The content item, when the mention was resolved to one.
    pub content_id: Option<ContentId>,
    /// What was said or matched (title, URL or alias).
    pub label: String,
    pub utterance: u32,
    pub time_ms: i64,
}

/// A call's analysis as the pipeline stores it: the whole result as a JSON document, the
/// versions it was made with, and the rows derived from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAnalysis {
    /// The analysis as JSON text (its shape belongs to the analysis pipeline).
    pub document: String,
    /// Version of the analysis code; a new one re-analyses every call.
    pub analysis_version: u32,
    /// The [`TrackerSet::set_version`] the trackers were taken from.
    pub tracker_set_version: u64,
    pub hits: Vec<TrackerHitRow>,
    pub content_mentions: Vec<ContentMentionRow>,
}

/// A stored analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredAnalysis {
    pub call: CallId,
    pub document: String,
    pub analysis_version: u32,
    pub tracker_set_version: u64,
    pub analysed_at: Timestamp,
    pub hits: Vec<TrackerHitRow>,
    pub content_mentions: Vec<ContentMentionRow>,
}

/// Which side of the call said an utterance; unknown speakers count as the customer side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallSide {
    Rep,
    Customer,
}

impl CallSide {
    /// `rep` or `customer`, as the API, the CLI and the stores' SQL spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            CallSide::Rep => "rep",
            CallSide::Customer => "customer",
        }
    }

    /// The side of a stored utterance's role: `rep` is the rep's, any other (customer,
    /// unknown) the customer's.
    pub fn of_role(role: &str) -> CallSide {
        if role == "rep" {
            CallSide::Rep
        } else {
            CallSide::Customer
        }
    }
}

/// One word or quoted phrase of a search, as plain words: the backends quote each word
/// themselves, so no user input ever reaches FTS5's or `tsquery`'s syntax.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchTerm {
    /// Lower-case words of letters and digits only; more than one is a phrase (in order).
    pub words: Vec<String>,
}

/// The most terms a query may have; longer queries are refused (they cost much, help little).
pub const MAX_SEARCH_TERMS: usize = 16;

/// Turns what a user typed into search terms: words (all must occur, in any order) and
/// `"quoted phrases"` (the words in order). Everything but letters and digits separates words,
/// so operators, quotes left open, SQL and markup are just more separators. An unbalanced
/// quote runs to the end of the query. `field` names the input in errors (`q`, `QUERY`).
pub fn parse_search(text: &str, field: &str) -> Result<Vec<SearchTerm>, InvalidField> {
    let mut terms = Vec::new();
    for (position, chunk) in text.split('"').enumerate() {
        let quoted = position % 2 == 1;
        if quoted {
            let words = words_of(chunk);
            if !words.is_empty() {
                terms.push(SearchTerm { words });
            }
        } else {
            for piece in chunk.split_whitespace() {
                // "e-mail" or "o'brien" stay together as a phrase, as they were written.
                let words = words_of(piece);
                if !words.is_empty() {
                    terms.push(SearchTerm { words });
                }
            }
        }
    }
    if terms.is_empty() {
        return Err(InvalidField::new(field, "the search has no words to look for (letters or digits)"));
    }
    if terms.len() > MAX_SEARCH_TERMS {
        return Err(InvalidField::new(
            field,
            format!("the search has {} terms; at most {MAX_SEARCH_TERMS} are allowed", terms.len()),
        ));
    }
    Ok(terms)
}

fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().take(64).collect::<String>().to_lowercase())
        .collect()
}

/// A transcript search: every term must occur in the utterance; every filter given must match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchQuery {
    pub terms: Vec<SearchTerm>,
    pub rep: Option<UserId>,
    pub account: Option<AccountId>,
    /// Calls started at or after this time.
    pub from: Option<Timestamp>,
    /// Calls started before this time.
    pub to: Option<Timestamp>,
    /// Only calls with at least one hit of this tracker.
    pub tracker: Option<String>,
    pub side: Option<CallSide>,
    /// The outcome of the call's opportunity; calls without one count as `open`.
    pub outcome: Option<OpportunityOutcome>,
    /// Restricts the search to the calls of this rep (who may see only their own calls);
    /// set by the permission check, never by the user's filters.
    pub visible_to_rep: Option<UserId>,
    /// At most this many hits (1 to 1000).
    pub limit: u32,
    /// Hits are the best-ranked among the newest this many matching utterances (newest
    /// stored call first, then position in the call); see [`RANK_WINDOW`]. At least `limit`,
    /// at most [`MAX_RANK_WINDOW`].
    #[serde(default = "default_rank_window")]
    pub rank_window: u32,
}

/// How many of the newest matches a search ranks by default.
///
/// Ranking every match of a common word ("price" is said in a third of all utterances) costs
/// seconds at ten million utterances on either backend, and a person searching calls wants
/// what was said lately far more than the best-scored sentence from three years ago. So a
/// search reads matches newest first, stops after this many that pass the filters, and ranks
/// those: its cost follows the window, not the size of the workspace. Older matches are
/// reached by narrowing (dates, rep, account, tracker), which moves the window with them.
pub const RANK_WINDOW: u32 = 2_000;
/// The largest window a caller may ask for.
pub const MAX_RANK_WINDOW: u32 = 100_000;

fn default_rank_window() -> u32 {
    RANK_WINDOW
}

/// Where in a snippet the search matched: a range of Unicode scalar values (chars), end
/// exclusive. Clients highlight by these offsets; the snippet text holds no markup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Highlight {
    pub start: u32,
    pub end: u32,
}

/// One matching utterance, best matches first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub call: CallId,
    pub call_title: String,
    pub call_started_at: Timestamp,
    pub utterance: u32,
    pub speaker: Option<String>,
    pub side: CallSide,
    pub start_ms: i64,
    /// Plain text around the match (the stored, redacted text), cut around the match; on
    /// PostgreSQL `<` and `>` read as spaces (its parser would take them for markup).
    pub snippet: String,
    pub highlights: Vec<Highlight>,
}

/// Marks where a match starts and ends in the snippets the databases make. They are
/// private-use characters that the index never holds (they are stripped from indexed text),
/// so a transcript cannot forge a highlight.
pub const HIGHLIGHT_START: char = '\u{E000}';
pub const HIGHLIGHT_END: char = '\u{E001}';

/// Splits a database snippet with [`HIGHLIGHT_START`]/[`HIGHLIGHT_END`] markers into plain text
/// and highlight offsets.
pub fn split_snippet(marked: &str) -> (String, Vec<Highlight>) {
    let mut text = String::with_capacity(marked.len());
    let mut highlights = Vec::new();
    let mut position = 0u32;
    let mut open: Option<u32> = None;
    for c in marked.chars() {
        match c {
            HIGHLIGHT_START => open = Some(position),
            HIGHLIGHT_END => {
                if let Some(start) = open.take() {
                    if position > start {
                        highlights.push(Highlight { start, end: position });
                    }
                }
            }
            c => {
                text.push(c);
                position += 1;
            }
        }
    }
    (text, highlights)
}

/// Which analysed calls [`AnalysisStore::analysis_facts`] returns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AnalysisFilter {
    /// Calls started at or after this time.
    pub from: Option<Timestamp>,
    /// Calls started before this time.
    pub to: Option<Timestamp>,
}

/// One analysed call with what reports segment it by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallAnalysisFacts {
    pub call: CallId,
    pub title: String,
    pub started_at: Timestamp,
    pub duration_ms: Option<i64>,
    pub person: Option<PersonId>,
    pub account: Option<AccountId>,
    pub opportunity: Option<OpportunityId>,
    pub rep: Option<UserId>,
    /// The outcome of the call's opportunity (`None`: no opportunity).
    pub outcome: Option<OpportunityOutcome>,
    pub industry: Option<String>,
    pub employees: Option<u32>,
    /// The person's lead source and campaign name.
    pub source: Option<String>,
    pub campaign: Option<String>,
    pub document: String,
    pub hits: Vec<TrackerHitRow>,
}

/// A batch of calls to analyse, and where the next batch starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaleCalls {
    pub calls: Vec<CallId>,
}

pub trait AnalysisStore {
    // ---- trackers as data ------------------------------------------------------------------

    /// All trackers by name, with the set's version.
    fn tracker_set(&self) -> Result<TrackerSet, StoreError>;

    /// Adds or replaces a tracker by name (checked with [`TrackerDefinition::check`]); moves
    /// the set's version (also when the definition is unchanged). Returns the stored tracker.
    fn put_tracker(&self, tracker: &TrackerDefinition, now: Timestamp) -> Result<StoredTracker, StoreError>;

    /// Removes a tracker and its hits; `NotFound` naming it when there is none.
    fn remove_tracker(&self, name: &str, now: Timestamp) -> Result<(), StoreError>;

    /// Stores `defaults` once in the workspace's life, in one transaction: `false` (and no
    /// write) when they were seeded before.
    fn seed_trackers(&self, defaults: &[TrackerDefinition], now: Timestamp) -> Result<bool, StoreError>;

    // ---- settings --------------------------------------------------------------------------

    fn analysis_settings(&self) -> Result<AnalysisSettings, StoreError>;
    fn put_analysis_settings(&self, settings: &AnalysisSettings) -> Result<(), StoreError>;

    // ---- analyses --------------------------------------------------------------------------

    /// Replaces the call's analysis, hits and content mentions in one transaction.
    /// `NotFound` for an unknown call; hit and mention rows are checked (an utterance the
    /// transcript lacks is `Invalid` naming `hits[i].utterance`).
    fn put_analysis(&self, call: CallId, analysis: &NewAnalysis, now: Timestamp) -> Result<(), StoreError>;

    fn analysis(&self, call: CallId) -> Result<Option<StoredAnalysis>, StoreError>;

    /// Up to `limit` ready calls with ids above `after` (in id order) whose analysis is
    /// missing or older than `analysis_version` / `tracker_set_version`: what a re-analysis
    /// job works through, batch by batch, resuming after the last id it finished.
    fn stale_analyses(
        &self,
        analysis_version: u32,
        tracker_set_version: u64,
        after: Option<CallId>,
        limit: u32,
    ) -> Result<StaleCalls, StoreError>;

    /// Analysed calls matching the filter, oldest first, with their segments and hits.
    fn analysis_facts(&self, filter: &AnalysisFilter) -> Result<Vec<CallAnalysisFacts>, StoreError>;

    // ---- search ----------------------------------------------------------------------------

    /// Utterances containing every term, best matches first (the backend's relevance rank,
    /// then call and utterance order). A query without terms is `Invalid` (`q`).
    fn search_utterances(&self, query: &SearchQuery) -> Result<Vec<SearchHit>, StoreError>;
}

impl SearchQuery {
    /// A query for `terms` with no filters.
    pub fn new(terms: Vec<SearchTerm>, limit: u32) -> SearchQuery {
        SearchQuery {
            terms,
            rep: None,
            account: None,
            from: None,
            to: None,
            tracker: None,
            side: None,
            outcome: None,
            visible_to_rep: None,
            limit,
            rank_window: RANK_WINDOW.max(limit),
        }
    }

    /// The checks both backends make before searching.
    pub fn check(&self) -> Result<(), InvalidField> {
        if self.terms.is_empty() || self.terms.iter().any(|t| t.words.is_empty()) {
            return Err(InvalidField::new("q", "the search has no words to look for"));
        }
        if self.terms.len() > MAX_SEARCH_TERMS {
            return Err(InvalidField::new("q", format!("at most {MAX_SEARCH_TERMS} terms are allowed")));
        }
        for word in self.terms.iter().flat_map(|t| &t.words) {
            if !word.chars().all(char::is_alphanumeric) {
                return Err(InvalidField::new("q", "search words hold letters and digits only"));
            }
        }
        if !(1..=1000).contains(&self.limit) {
            return Err(InvalidField::new("limit", "must lie between 1 and 1000"));
        }
        if !(self.limit..=MAX_RANK_WINDOW).contains(&self.rank_window) {
            return Err(InvalidField::new(
                "rank_window",
                format!("must lie between the limit ({}) and {MAX_RANK_WINDOW}", self.limit),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &[&[&str]]) {
        let terms = parse_search(input, "q").unwrap();
        let got: Vec<Vec<&str>> =
            terms.iter().map(|t| t.words.iter().map(String::as_str).collect()).collect();
        let expected: Vec<Vec<&str>> = expected.iter().map(|t| t.to_vec()).collect();
        assert_eq!(got, expected, "{input}");
    }

    #[test]
    fn queries_become_plain_words_and_phrases() {
        check("pricing", &[&["pricing"]]);
        check("Too EXPENSIVE", &[&["too"], &["expensive"]]);
        check("\"best you can do\" discount", &[&["best", "you", "can", "do"], &["discount"]]);
        check("e-mail", &[&["e", "mail"]]);
        check(
            "price NEAR(budget) OR col:* ^start",
            &[&["price"], &["near", "budget"], &["or"], &["col"], &["start"]],
        );
        check("'; DROP TABLE calls; --", &[&["drop"], &["table"], &["calls"]]);
        check("\"unclosed quote", &[&["unclosed", "quote"]]);
        check("<b>bold</b>", &[&["b", "bold", "b"]]);
    }

    #[test]
    fn a_query_without_words_is_refused_with_the_field_named() {
        for input in ["", "   ", "\"\"", "*:-()", "''"] {
            let error = parse_search(input, "q").unwrap_err();
            assert_eq!(error.field, "q", "{input}");
        }
        let many = (0..20).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
        assert!(parse_search(&many, "QUERY").unwrap_err().message.contains("at most 16"));
    }

    #[test]
    fn snippets_split_into_text_and_offsets() {
        let marked =
            format!("the {HIGHLIGHT_START}price{HIGHLIGHT_END} is {HIGHLIGHT_START}é{HIGHLIGHT_END}");
        let (text, highlights) = split_snippet(&marked);
        assert_eq!(text, "the price is é");
        assert_eq!(highlights, vec![Highlight { start: 4, end: 9 }, Highlight { start: 13, end: 14 }]);
        assert_eq!(split_snippet("no marks <b>").0, "no marks <b>");
    }
}

//! Mentions of content-library items (case studies, guides, calculators) on calls: this is how
//! Rapport learns which marketing content sales actually uses.
//!
//! Each item is found by its title, its aliases and its URL. Titles and aliases match like
//! tracker phrases: whole words, ignoring case and punctuation. A URL matches by host and path
//! only: `https://www.acme.com/guides/roi-calculator?utm_source=x` is the words
//! `acme com guides roi calculator`, so "acme.com/guides/roi-calculator" said or pasted in a
//! chat finds it, with or without scheme, `www.`, query or trailing slash. All items go into one
//! Aho-Corasick automaton run once over the call.

use std::collections::HashMap;

use aho_corasick::AhoCorasick;
use rapport_transcript::Transcript;
use serde::{Deserialize, Serialize};

use crate::text::{normalised_tokens, push_normalised};
use crate::Side;

/// One item of the content library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentItem {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// One mention of a content item on a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContentMention {
    /// Index into the library the matcher was built from.
    pub content: usize,
    pub title: String,
    /// Index into the transcript's utterances.
    pub utterance: usize,
    pub time_s: f64,
    pub speaker: Option<String>,
    pub side: Side,
    /// The matched words, normalised.
    pub matched: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error("content library: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("content library line {line}: {message}")]
    Csv { line: u64, message: String },
    #[error("content item {0:?}: the title has no words")]
    EmptyTitle(String),
    #[error("building the content matcher: {0}")]
    Build(#[from] aho_corasick::BuildError),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContentFile {
    #[serde(default)]
    content: Vec<ContentItem>,
}

/// A TOML library of `[[content]]` tables (`title`, optional `url` and `aliases`).
pub fn parse_content_toml(text: &str) -> Result<Vec<ContentItem>, ContentError> {
    Ok(toml::from_str::<ContentFile>(text)?.content)
}

/// A CSV library with a header naming `title`, optionally `url` and `aliases` (separated by
/// `;` or `|`); other columns are ignored, so a CMS export works as it is.
pub fn parse_content_csv(text: &str) -> Result<Vec<ContentItem>, ContentError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let csv_error = |line: u64, error: csv::Error| ContentError::Csv { line, message: error.to_string() };
    let headers = reader.headers().map_err(|error| csv_error(1, error))?.clone();
    let column = |name: &str| headers.iter().position(|header| header.trim().eq_ignore_ascii_case(name));
    let title = column("title").ok_or(ContentError::Csv { line: 1, message: "no `title` column".into() })?;
    let (url, aliases) = (column("url"), column("aliases"));
    let mut items = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index as u64 + 2;
        let record = record.map_err(|error| csv_error(line, error))?;
        let field = |at: Option<usize>| at.and_then(|at| record.get(at)).map(str::trim).unwrap_or("");
        let title = field(Some(title));
        if title.is_empty() {
            return Err(ContentError::Csv { line, message: "the `title` field is empty".into() });
        }
        let url = Some(field(url)).filter(|url| !url.is_empty()).map(str::to_owned);
        let aliases = field(aliases)
            .split([';', '|'])
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect();
        items.push(ContentItem { title: title.to_owned(), url, aliases });
    }
    Ok(items)
}

/// A URL's host (without `www.`) and path as normalised words; scheme, query and fragment
/// are dropped because links are shared with tracking parameters and read out without them.
pub fn url_words(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    normalised_tokens(rest).join(" ")
}

/// A content library ready to match: build once, run over any number of calls.
#[derive(Debug)]
pub struct ContentMatcher {
    items: Vec<ContentItem>,
    automaton: AhoCorasick,
    /// Per pattern, the items it stands for.
    owners: Vec<Vec<usize>>,
}

impl ContentMatcher {
    pub fn new(items: Vec<ContentItem>) -> Result<ContentMatcher, ContentError> {
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let title = normalised_tokens(&item.title).join(" ");
            if title.is_empty() {
                return Err(ContentError::EmptyTitle(item.title.clone()));
            }
            let aliases = item.aliases.iter().map(|alias| normalised_tokens(alias).join(" "));
            let url = item.url.as_deref().map(url_words);
            for words in std::iter::once(title).chain(aliases).chain(url).filter(|w| !w.is_empty()) {
                let next = ids.len();
                let id = *ids.entry(format!(" {words} ")).or_insert(next);
                if id == owners.len() {
                    owners.push(Vec::new());
                }
                if !owners[id].contains(&index) {
                    owners[id].push(index);
                }
            }
        }
        let mut patterns: Vec<(String, usize)> = ids.into_iter().collect();
        patterns.sort_by_key(|(_, id)| *id);
        let automaton = AhoCorasick::new(patterns.iter().map(|(pattern, _)| pattern))?;
        Ok(ContentMatcher { items, automaton, owners })
    }

    pub fn items(&self) -> &[ContentItem] {
        &self.items
    }

    /// Every mention, in call order; an item said twice in one utterance is two mentions, but
    /// its title and URL overlapping on the same words are one (the longer, earlier match).
    ///
    /// Unlike trackers, the text is not cut into sentences: "rapport.io/guides" has a dot
    /// that is no sentence end.
    pub fn find(&self, transcript: &Transcript) -> Vec<ContentMention> {
        let mut buffer = String::new();
        let mut starts: Vec<usize> = Vec::with_capacity(transcript.utterances.len());
        for utterance in &transcript.utterances {
            starts.push(buffer.len());
            buffer.push(' ');
            push_normalised(&mut buffer, &utterance.text);
        }
        // (utterance, item, start, end) of every match, then the overlapping ones dropped.
        let mut found: Vec<(usize, usize, usize, usize)> = Vec::new();
        for hit in self.automaton.find_overlapping_iter(&buffer) {
            let utterance = starts.partition_point(|start| *start <= hit.start()) - 1;
            for &item in &self.owners[hit.pattern().as_usize()] {
                found.push((utterance, item, hit.start(), hit.end()));
            }
        }
        found.sort_by_key(|&(utterance, item, start, end)| (utterance, item, start, std::cmp::Reverse(end)));
        let mut mentions = Vec::new();
        let mut kept_end: Option<(usize, usize, usize)> = None;
        for (utterance_index, item, start, end) in found {
            // Patterns share their edge spaces with neighbours: one shared character is
            // adjacent, not overlapping.
            if kept_end.is_some_and(|(u, i, kept)| u == utterance_index && i == item && start + 1 < kept) {
                continue;
            }
            kept_end = Some((utterance_index, item, end));
            let utterance = &transcript.utterances[utterance_index];
            mentions.push(ContentMention {
                content: item,
                title: self.items[item].title.clone(),
                utterance: utterance_index,
                time_s: utterance.start,
                speaker: utterance.speaker.clone(),
                side: Side::of(utterance.role),
                matched: buffer[start + 1..end - 1].to_owned(),
            });
        }
        mentions
    }
}

//! The call page's smart-tracker and topic cards: what the stored analysis found with the
//! embedding model (smart-tracker hits with their scores) and the discovered topics the call
//! spends utterances on, each moment linking to its second of the call.

use maud::{html, Markup};
use rapport_domain::{CallId, UtteranceRow};
use rapport_store::Store;

use crate::format::clock;
use crate::PageError;

/// One moment: when, what (tracker or topic name), a figure, and what was said.
pub(crate) struct Moment {
    time_ms: i64,
    label: String,
    figure: String,
    text: String,
}

pub(crate) struct SmartCards {
    smart: Vec<Moment>,
    topics: Vec<Moment>,
}

pub(crate) fn load(store: &dyn Store, call: CallId, rows: &[UtteranceRow]) -> Result<SmartCards, PageError> {
    let text = |utterance: u32| rows.get(utterance as usize).map(|row| row.text.clone()).unwrap_or_default();
    let smart = store
        .analysis(call)?
        .map(|analysis| analysis.hits)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|hit| {
            let score = hit.score?;
            Some(Moment {
                time_ms: hit.time_ms,
                label: hit.tracker,
                figure: format!("{score:.2}"),
                text: text(hit.utterance),
            })
        })
        .collect();
    let names: Vec<(String, String)> =
        store.topics()?.into_iter().map(|topic| (topic.id, topic.name)).collect();
    let topics = store
        .call_topics(call)?
        .into_iter()
        .map(|row| Moment {
            time_ms: row.time_ms,
            label: names
                .iter()
                .find(|(id, _)| *id == row.topic)
                .map_or(row.topic.clone(), |(_, name)| name.clone()),
            figure: format!("{} utterances", row.utterances),
            text: text(row.utterance),
        })
        .collect();
    Ok(SmartCards { smart, topics })
}

fn moments(list: &[Moment]) -> Markup {
    html! {
        ol.trackers {
            @for moment in list {
                li {
                    a.at href=(format!("?t={:.0}", moment.time_ms as f64 / 1000.0)) { (clock(moment.time_ms)) }
                    " " span.tag { (moment.label) } " " span.muted { (moment.figure) } " " q { (moment.text) }
                }
            }
        }
    }
}

pub(crate) fn cards(cards: &SmartCards) -> Markup {
    html! {
        @if !cards.smart.is_empty() {
            section.card #smart-trackers { h2 { "Smart trackers" } (moments(&cards.smart)) }
        }
        @if !cards.topics.is_empty() {
            section.card #call-topics { h2 { "Topics" } (moments(&cards.topics)) }
        }
    }
}

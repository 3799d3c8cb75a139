//! Sales calls with transcripts: discovery calls soon after sales accepts a lead, demos,
//! security reviews and negotiations along the deal, between the account's rep and the
//! deal's contact (sometimes with a colleague), written through [`Store::create_call`] and
//! [`Store::replace_transcript`] once the people and deals exist.
//!
//! Each call is a path of conversational moves (`scenes.rs`) through banks of sentences
//! with slots (`lines/`), so no two calls read alike. What comes up follows the deal's
//! outcome (`story::theme_odds`): lost deals hear more price objections and name a
//! competitor; won deals agree next steps and mention case studies. How the rep talks
//! follows their style (`story::TALK_STYLES`), from listeners at about 45% talk time to
//! monologuers at about 70%. Timings follow speaking rates near 150 words a minute
//! (`timing.rs`). A call's words depend only on the seed and the call's person, never on how
//! many calls the scale asks for or the order they are written in.

mod conversation;
mod deal_story;
pub(crate) mod lines;
mod plan;
mod scenes;
mod slots;
mod timing;

use chrono::{Datelike, Duration, Timelike, Weekday};
use rand::Rng;
use rapport_domain::{
    CallRecord, CallSource, EmailAddress, FunnelStage, Participant, SpeakerRole, Timestamp, UtteranceRow,
};
use rapport_store::Store;

use crate::accounts::AccountPlan;
use crate::calendar::{add_business_hours, Calendar};
use crate::calls::conversation::{Conversation, Mood};
use crate::calls::plan::{plan_calls, CallKind, PlannedCall, Subject};
use crate::calls::scenes::{play, Scene};
use crate::calls::timing::{time_turns, Voice};
use crate::content::Library;
use crate::deals::DealPlan;
use crate::rng::{between, chance, stream, DemoRng, Stream};
use crate::story::{Situation, TALK_STYLES};
use crate::users::Rep;
use crate::{DemoError, DemoProgress};

/// The competitors buyers name on the demo's calls: fictional, so no real company appears,
/// and fixed, so trackers can be built from the list. The first two win most of the deals
/// Rapport loses to a competitor.
pub const COMPETITORS: [&str; 8] =
    ["Funnelwise", "LeadLantern", "Callvista", "RevPilot", "Pipeloom", "Tallyhawk", "Signalfin", "Quotaloop"];

/// Someone at an account, as the calls name them.
#[derive(Debug, Clone)]
pub(crate) struct Contact {
    pub email: EmailAddress,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub title: &'static str,
}

impl Contact {
    fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// An accepted lead at a company, who may get calls: with their deal, if they have one.
#[derive(Debug, Clone)]
pub(crate) struct CallCandidate {
    /// The person's 1-based position over the demo; keys their random streams.
    pub person_index: u64,
    /// Index into the account plans.
    pub account: usize,
    pub contact: Contact,
    /// Colleagues on the deal's buying team.
    pub buying_team: Vec<Contact>,
    pub rep: Rep,
    /// When sales accepted the lead, and when it was qualified.
    pub accepted_at: Timestamp,
    pub qualified_at: Option<Timestamp>,
    /// The opportunity's external id and plan.
    pub deal: Option<(String, DealPlan)>,
}

/// A case study as people say it, and the customer it is about.
#[derive(Debug, Clone)]
pub(crate) struct CaseStudy {
    pub spoken: String,
    pub company: String,
}

/// Titles from the content library, as people say them on calls: "Case study: X" becomes
/// "case study, X", so the title's words appear in order for trackers that ignore
/// punctuation.
#[derive(Debug)]
pub(crate) struct ContentTitles {
    pub case_studies: Vec<CaseStudy>,
    pub security: String,
    pub implementation: String,
    pub roi: String,
    /// Guides, comparisons, recordings: what reps send and buyers read.
    pub middle: Vec<String>,
    pub top: Vec<String>,
}

impl ContentTitles {
    pub(crate) fn from_library(library: &Library) -> Self {
        let spoken = |title: &str| title.replacen(": ", ", ", 1);
        let of_type = |kind: &str| {
            library.records.iter().find(|r| r.content_type.as_deref() == Some(kind)).map(|r| spoken(&r.title))
        };
        let case_studies = library
            .records
            .iter()
            .filter(|r| r.content_type.as_deref() == Some("case_study"))
            .map(|r| {
                let story = r.title.split_once(": ").map_or(r.title.as_str(), |(_, story)| story);
                let company = story.split(' ').take(2).collect::<Vec<_>>().join(" ");
                CaseStudy { spoken: spoken(&r.title).replacen("Case study", "case study", 1), company }
            })
            .collect();
        // "our whitepaper, Scoring leads on intent, not clicks": the kind, then the title.
        let of_stage = |stage| {
            library
                .records
                .iter()
                .filter(|r| r.funnel_stage == Some(stage))
                .map(|r| match kind_word(r.content_type.as_deref().unwrap_or_default()) {
                    Some(kind) => format!("{kind}, {}", spoken(&r.title)),
                    None => spoken(&r.title),
                })
                .collect()
        };
        Self {
            case_studies,
            security: of_type("security").unwrap_or_else(|| "security overview".into()),
            implementation: of_type("implementation").unwrap_or_else(|| "implementation plan".into()),
            roi: of_type("roi_calculator").unwrap_or_else(|| "ROI calculator".into()),
            middle: of_stage(FunnelStage::Middle),
            top: of_stage(FunnelStage::Top),
        }
    }
}

/// How people name a kind of content before its title; none where the title says it.
fn kind_word(content_type: &str) -> Option<&'static str> {
    Some(match content_type {
        "blog" => "blog post",
        "report" => "report",
        "guide" => "guide",
        "ebook" => "ebook",
        "checklist" => "checklist",
        "comparison" => "comparison",
        "video" => "video",
        "whitepaper" => "whitepaper",
        _ => return None,
    })
}

/// What was written.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct CallsWritten {
    pub calls: u64,
    pub utterances: u64,
}

/// Plans about `target` calls among the candidates and writes them with their transcripts,
/// in order of start time, reporting progress as phase `calls`.
#[allow(clippy::too_many_arguments, reason = "the run's context, passed once from workspace.rs")]
pub(crate) fn write_calls(
    store: &dyn Store,
    candidates: Vec<CallCandidate>,
    target: usize,
    seed: u64,
    calendar: &Calendar,
    accounts: &[AccountPlan],
    library: &Library,
    progress: &mut dyn FnMut(&DemoProgress),
) -> Result<CallsWritten, DemoError> {
    let titles = ContentTitles::from_library(library);
    let (subjects, calls) = plan_calls(candidates, target, seed, calendar, accounts, &titles);
    let total = calls.len() as u64;
    let mut written = CallsWritten::default();
    progress(&DemoProgress { phase: "calls", done: 0, total });
    for (number, planned) in calls.iter().enumerate() {
        let subject = &subjects[planned.subject];
        let account = &accounts[subject.candidate.account];
        let (record, utterances) = compose(planned, number + 1, subject, account, &titles, seed);
        let duration = record.duration_ms.unwrap_or_default();
        let now = planned.started_at + Duration::milliseconds(duration);
        let call = store.create_call(&record, now)?;
        store.replace_transcript(call.id, &utterances, Some(duration), now)?;
        written.calls += 1;
        written.utterances += utterances.len() as u64;
        if written.calls % 100 == 0 {
            progress(&DemoProgress { phase: "calls", done: written.calls, total });
        }
    }
    progress(&DemoProgress { phase: "calls", done: written.calls, total });
    Ok(written)
}

/// One call's record and transcript.
fn compose(
    planned: &PlannedCall,
    number: usize,
    subject: &Subject,
    account: &AccountPlan,
    titles: &ContentTitles,
    seed: u64,
) -> (CallRecord, Vec<UtteranceRow>) {
    let (candidate, story) = (&subject.candidate, &subject.story);
    let key = candidate.person_index * 8 + planned.number as u64;
    let mut rng = stream(seed, Stream::CallScripts, key);
    let style = &TALK_STYLES[candidate.rep.number % TALK_STYLES.len()];
    let rep = &candidate.rep;
    let mut voices = vec![
        Voice {
            name: rep.name.to_owned(),
            role: SpeakerRole::Rep,
            words_per_minute: style.words_per_minute * between(&mut rng, 0.95, 1.05),
        },
        customer_voice(candidate.contact.name(), &mut rng),
    ];
    let mut participants = vec![
        Participant { name: rep.name.to_owned(), email: Some(rep.email.clone()), role: SpeakerRole::Rep },
        Participant {
            name: candidate.contact.name(),
            email: Some(candidate.contact.email.clone()),
            role: SpeakerRole::Customer,
        },
    ];
    let guest = match planned.kind {
        CallKind::Technical => Some((story.expert.0.clone(), None)),
        CallKind::Demo | CallKind::Negotiation => {
            let joins = chance(&mut rng, if planned.kind == CallKind::Demo { 0.6 } else { 0.4 });
            story.guest.as_ref().filter(|_| joins).map(|guest| (guest.name(), Some(guest.email.clone())))
        }
        CallKind::Discovery => None,
    };
    let mut slots = story.slots.clone();
    if let Some((name, email)) = &guest {
        voices.push(customer_voice(name.clone(), &mut rng));
        participants.push(Participant {
            name: name.clone(),
            email: email.clone(),
            role: SpeakerRole::Customer,
        });
        slots.guest_first = name.split(' ').next().unwrap_or_default().to_owned();
    }
    let started = planned.started_at;
    let next_at = planned.next.map_or_else(|| later_meeting(started, &mut rng), |(_, at)| at);
    slots.weekday = weekday(started.weekday()).to_owned();
    slots.part_of_day = match started.hour() {
        0..=11 => "morning",
        12..=16 => "afternoon",
        _ => "evening",
    }
    .to_owned();
    slots.next_when = when(started, next_at);
    slots.followup_day =
        weekday(add_business_hours(started, between(&mut rng, 10.0, 30.0)).weekday()).to_owned();
    slots.content = titles.middle[rng.gen_range(0..titles.middle.len())].clone();
    let readable = if rng.gen_bool(0.5) { &titles.top } else { &titles.middle };
    slots.read_content = readable[rng.gen_range(0..readable.len())].clone();
    let odds = story.odds;
    let decision = planned.closing && planned.kind == CallKind::Negotiation && chance(&mut rng, 0.6);
    let won = story.situation == Situation::Won;
    let firm_next_step = match planned.next {
        Some(_) => chance(&mut rng, 0.5 + 0.5 * odds.firm_next_steps),
        None if decision => won,
        None => chance(&mut rng, odds.firm_next_steps),
    };
    let scene = Scene {
        story,
        kind: planned.kind,
        first: planned.number == 0,
        next: planned.next.map(|(kind, _)| kind),
        decision,
        firm_next_step,
        guest: guest.is_some(),
    };
    let mood = Mood { positivity: odds.positivity, engagement: odds.engagement };
    let mut fillers = vec![style.fillers];
    fillers.extend((1..voices.len()).map(|_| between(&mut rng, 0.04, 0.14)));
    let mut conversation = Conversation::new(rng, slots, style, mood, fillers);
    conversation.no_competitor = story.competitor.is_none();
    play(&mut conversation, &scene);
    let (utterances, duration) = time_turns(&conversation.turns, &voices, style, &mut conversation.rng);
    let company = &account.record.name;
    let title = match (planned.kind, &candidate.deal) {
        (CallKind::Discovery, None) => format!("Intro call: {company}"),
        (CallKind::Discovery, Some(_)) => format!("Discovery call: {company}"),
        (CallKind::Demo, _) => format!("Rapport demo for {company}"),
        (CallKind::Technical, _) => format!("{company}: security and integration review"),
        (CallKind::Negotiation, _) => format!("{company}: proposal review"),
    };
    let record = CallRecord {
        external_id: Some(format!("demo-c{number}")),
        title,
        started_at: started,
        duration_ms: Some(duration),
        source: CallSource::Transcript,
        participants,
        person_email: Some(candidate.contact.email.clone()),
        account_domain: Some(account.domain.clone()),
        opportunity_external_id: candidate.deal.as_ref().map(|(id, _)| id.clone()),
        rep_email: Some(rep.email.clone()),
        audio_key: None,
        audio_content_type: None,
    };
    (record, utterances)
}

fn customer_voice(name: String, rng: &mut DemoRng) -> Voice {
    Voice { name, role: SpeakerRole::Customer, words_per_minute: between(rng, 130.0, 165.0) }
}

/// A follow-up meeting a few working days after `at`, for next steps with no call behind them.
fn later_meeting(at: Timestamp, rng: &mut DemoRng) -> Timestamp {
    plan::meeting_slot(add_business_hours(at, between(rng, 20.0, 80.0)), rng)
}

/// "Thursday at 2:30" within the week, "Tuesday the 14th at 10 am" further out.
fn when(now: Timestamp, at: Timestamp) -> String {
    let hour = match at.hour() % 12 {
        0 => 12,
        hour => hour,
    };
    let time = match (at.minute() / 30 * 30, at.hour() < 12) {
        (0, true) => format!("{hour} am"),
        (0, false) => format!("{hour} pm"),
        (minutes, _) => format!("{hour}:{minutes:02}"),
    };
    let day = weekday(at.weekday());
    if at - now < Duration::days(6) {
        format!("{day} at {time}")
    } else {
        let date = at.day();
        let suffix = match (date % 10, date) {
            (_, 11..=13) => "th",
            (1, _) => "st",
            (2, _) => "nd",
            (3, _) => "rd",
            _ => "th",
        };
        format!("{day} the {date}{suffix} at {time}")
    }
}

fn weekday(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(text: &str) -> Timestamp {
        rapport_domain::parse_timestamp(text).unwrap()
    }

    #[test]
    fn next_meetings_are_named_as_people_name_them() {
        let now = time("2024-03-04 10:00");
        assert_eq!(when(now, time("2024-03-07 14:30")), "Thursday at 2:30");
        assert_eq!(when(now, time("2024-03-05 10:01")), "Tuesday at 10 am");
        assert_eq!(when(now, time("2024-03-05 12:00")), "Tuesday at 12 pm");
        assert_eq!(when(now, time("2024-03-12 09:00")), "Tuesday the 12th at 9 am");
        assert_eq!(when(now, time("2024-03-21 16:00")), "Thursday the 21st at 4 pm");
    }

    #[test]
    fn case_studies_are_said_with_their_title_words_in_order() {
        let titles = ContentTitles::from_library(&Library::plan(34));
        assert_eq!(titles.case_studies.len(), 4);
        let first = &titles.case_studies[0];
        assert_eq!(first.spoken, "case study, Bluepeak Software raised MQL acceptance by 31%");
        assert_eq!(first.company, "Bluepeak Software");
        assert_eq!(titles.security, "Security and compliance overview");
        assert_eq!(titles.implementation, "Implementation plan, live in 30 days");
        assert!(!titles.middle.is_empty() && !titles.top.is_empty());
    }
}

//! A person's touches: how they arrived (ad click, form, booth scan, download), the intent
//! before a handoff, months of nurture, bottom-of-funnel reading on deals, and the reps'
//! calls, emails and meetings after the handoff.

use std::collections::BTreeMap;

use chrono::Duration;
use rand::Rng;
use rapport_domain::{FunnelStage, Timestamp, TouchKind, TouchRecord};

use crate::calendar::{days, hours, whole_seconds};
use crate::lifecycle::{Journey, Reached};
use crate::people::PersonDraft;
use crate::rng::{between, chance, exponential, pick, weighted, DemoRng};
use crate::users::Rep;
use crate::World;

/// Nurture touches per person by how far they got (before the scale's factor).
const NURTURE: [(Reached, f64); 6] = [
    (Reached::Subscriber, 3.0),
    (Reached::Lead, 6.0),
    (Reached::Handed, 9.0),
    (Reached::Accepted, 10.0),
    (Reached::Qualified, 11.0),
    (Reached::Opportunity, 13.0),
];

const NURTURE_KINDS: [(TouchKind, f64); 8] = [
    (TouchKind::EmailOpen, 34.0),
    (TouchKind::EmailClick, 12.0),
    (TouchKind::WebVisit, 28.0),
    (TouchKind::ContentDownload, 9.0),
    (TouchKind::AdClick, 7.0),
    (TouchKind::IntentSignal, 5.0),
    (TouchKind::Webinar, 4.0),
    (TouchKind::Event, 1.0),
];

const PAGES: [&str; 8] =
    ["/", "/product", "/product/funnel", "/product/calls", "/customers", "/blog", "/integrations", "/about"];

const INTENT_TOPICS: [&str; 5] = [
    "lead scoring",
    "revenue operations",
    "conversation intelligence",
    "marketing attribution",
    "sales enablement",
];

fn any_page(rng: &mut DemoRng) -> &'static str {
    PAGES[rng.gen_range(0..PAGES.len())]
}

/// Collects one person's touches, then writes them out in time order with stable ids.
struct Touches<'w> {
    email: &'w rapport_domain::EmailAddress,
    world: &'w World,
    list: Vec<TouchRecord>,
}

impl Touches<'_> {
    fn add(
        &mut self,
        at: Timestamp,
        kind: TouchKind,
        channel: Option<&str>,
        campaign: Option<&str>,
    ) -> Option<&mut TouchRecord> {
        if at >= self.world.calendar.end {
            return None;
        }
        self.list.push(TouchRecord {
            external_id: None,
            email: self.email.clone(),
            occurred_at: whole_seconds(at),
            kind,
            channel: channel.map(str::to_owned),
            campaign: campaign.map(str::to_owned),
            content_url: None,
            attributes: BTreeMap::new(),
        });
        self.list.last_mut()
    }

    fn add_content(&mut self, at: Timestamp, url: &str, channel: &str, campaign: Option<&str>) {
        if let Some(touch) = self.add(at, TouchKind::ContentDownload, Some(channel), campaign) {
            touch.content_url = Some(url.to_owned());
        }
    }

    fn add_page(&mut self, at: Timestamp, page: &str, channel: &str) {
        if let Some(touch) = self.add(at, TouchKind::WebVisit, Some(channel), None) {
            touch.attributes.insert("page".to_owned(), page.to_owned());
        }
    }
}

/// Appends the person's touches to `out` and returns how many.
pub(crate) fn person_touches(
    draft: &PersonDraft,
    journey: &Journey,
    rep: &Rep,
    world: &World,
    rng: &mut DemoRng,
    out: &mut Vec<TouchRecord>,
) -> usize {
    let mut touches = Touches { email: &draft.email, world, list: Vec::new() };
    arrival(&mut touches, draft, rng);
    for &handed in &journey.mql_at {
        intent_before_handoff(&mut touches, draft.source.name, handed, rng);
    }
    nurture(&mut touches, draft, journey, rng);
    bottom_of_funnel(&mut touches, journey, rng);
    for &(at, activity) in &journey.sales_touches {
        if let Some(touch) = touches.add(at, TouchKind::SalesActivity, Some("sales"), None) {
            touch.attributes.insert("activity".to_owned(), activity.to_owned());
            touch.attributes.insert("rep".to_owned(), rep.email.to_string());
        }
    }
    let mut list = touches.list;
    // Stable sort: equal times keep the order they were planned in.
    list.sort_by_key(|t| t.occurred_at);
    let count = list.len();
    for (number, mut touch) in list.into_iter().enumerate() {
        touch.external_id = Some(format!("demo-t{}-{}", draft.index, number + 1));
        out.push(touch);
    }
    count
}

/// The touch that brought the person in, with the original campaign.
fn arrival(touches: &mut Touches<'_>, draft: &PersonDraft, rng: &mut DemoRng) {
    let at = draft.created_at;
    let campaign = draft.campaign.as_ref().map(|c| c.name.as_str());
    let source = draft.source.name;
    let channel = draft.source.channel.unwrap_or(source);
    match source {
        "paid_search" | "paid_social" => {
            let click = at - Duration::minutes(rng.gen_range(2..15));
            if let Some(touch) = touches.add(click, TouchKind::AdClick, Some(channel), campaign) {
                touch.attributes.insert("utm_source".to_owned(), source.to_owned());
            }
            touches.add(at, TouchKind::FormFill, Some(channel), campaign);
        }
        "organic" => {
            touches.add_page(at - days(between(rng, 0.1, 3.0)), any_page(rng), "organic");
            if chance(rng, 0.5) {
                let url = touches.world.library.pick(FunnelStage::Top, rng).to_owned();
                touches.add_content(at, &url, "organic", None);
            } else {
                touches.add(at, TouchKind::FormFill, Some("organic"), None);
            }
        }
        "webinar" => {
            touches.add(at, TouchKind::FormFill, Some(channel), campaign);
            if let Some(webinar) = &draft.campaign {
                // A little over half of registrants attend.
                if chance(rng, 0.55) && webinar.started > at {
                    touches.add(webinar.started + hours(16.0), TouchKind::Webinar, Some(channel), campaign);
                }
            }
        }
        "events" => {
            touches.add(at, TouchKind::Event, Some(channel), campaign);
        }
        "content_syndication" => {
            let url = touches.world.library.pick(FunnelStage::Top, rng).to_owned();
            touches.add_content(at, &url, channel, campaign);
        }
        "purchased_list" => {
            touches.add(at + hours(between(rng, 2.0, 48.0)), TouchKind::EmailOpen, Some(channel), campaign);
        }
        _ => {
            touches.add(at, TouchKind::FormFill, Some(channel), campaign);
        }
    }
}

/// What pushed a lead over the handoff threshold: pricing visits and a demo request for
/// inbound leads, yet another download for syndicated and listed ones.
fn intent_before_handoff(touches: &mut Touches<'_>, source: &str, handed: Timestamp, rng: &mut DemoRng) {
    if matches!(source, "content_syndication" | "purchased_list") {
        let url = touches.world.library.pick(FunnelStage::Top, rng).to_owned();
        touches.add_content(handed - Duration::minutes(rng.gen_range(5..120)), &url, "web", None);
        return;
    }
    touches.add_page(handed - hours(between(rng, 1.0, 72.0)), "/pricing", "web");
    if !matches!(source, "events" | "partner") {
        if let Some(touch) =
            touches.add(handed - Duration::minutes(5), TouchKind::FormFill, Some("web"), None)
        {
            touch.attributes.insert("form".to_owned(), "demo_request".to_owned());
        }
    }
}

/// Months of emails, visits, downloads, ads, intent and the odd webinar or event, the more
/// the further the person got.
fn nurture(touches: &mut Touches<'_>, draft: &PersonDraft, journey: &Journey, rng: &mut DemoRng) {
    let world = touches.world;
    let base = NURTURE.iter().find(|(reached, _)| *reached == journey.reached).map_or(5.0, |n| n.1);
    let count = (base * world.touch_factor * between(rng, 0.4, 1.6)).round() as usize;
    let from = draft.created_at;
    let until = from + days(30.0 + exponential(rng, 150.0));
    let weights: [f64; NURTURE_KINDS.len()] = std::array::from_fn(|i| NURTURE_KINDS[i].1);
    for _ in 0..count {
        let Some(at) = world.calendar.moment_between(rng, from, until) else { return };
        let kind = NURTURE_KINDS[weighted(rng, &weights)].0;
        match kind {
            TouchKind::EmailOpen | TouchKind::EmailClick => {
                let campaign = world.campaigns.running("email", at, rng).map(|c| c.name.clone());
                touches.add(at, kind, Some("email"), campaign.as_deref());
            }
            TouchKind::WebVisit => touches.add_page(at, any_page(rng), "web"),
            TouchKind::ContentDownload => {
                let stage = if chance(rng, 0.65) { FunnelStage::Top } else { FunnelStage::Middle };
                let url = world.library.pick(stage, rng).to_owned();
                touches.add_content(at, &url, "web", None);
            }
            TouchKind::AdClick => {
                let channel = if chance(rng, 0.5) { "paid_search" } else { "paid_social" };
                let campaign = world.campaigns.running(channel, at, rng).map(|c| c.name.clone());
                touches.add(at, kind, Some(channel), campaign.as_deref());
            }
            TouchKind::IntentSignal => {
                if let Some(touch) = touches.add(at, kind, Some("intent"), None) {
                    touch.attributes.insert("intent_topic".to_owned(), pick(rng, &INTENT_TOPICS).to_string());
                }
            }
            _ => {
                // Webinars and events happen on their day; a person who joined after the
                // latest one watches the recording or reads the recap instead.
                let channel = if kind == TouchKind::Webinar { "webinar" } else { "event" };
                match world.campaigns.latest(channel, at).filter(|c| c.started >= from) {
                    Some(campaign) => {
                        let at = campaign.started + hours(between(rng, 10.0, 17.0));
                        touches.add(at, kind, Some(channel), Some(&campaign.name));
                    }
                    None => touches.add_page(at, "/resources", "web"),
                }
            }
        }
    }
}

/// Case studies, pricing and the ROI calculator: read by the buying teams of most won deals,
/// by few others.
fn bottom_of_funnel(touches: &mut Touches<'_>, journey: &Journey, rng: &mut DemoRng) {
    let Some(qualified) = journey.sql_at else { return };
    let end = touches.world.calendar.end;
    let (windows, count) = match &journey.deal {
        Some(deal) if deal.read_bottom_content => {
            let until = crate::deals::deal_end(deal, end);
            ([(qualified, deal.created), (deal.created, until)], rng.gen_range(2..5))
        }
        Some(_) => return,
        None if chance(rng, 0.2) => ([(qualified, qualified + days(30.0)); 2], 1),
        None => return,
    };
    for number in 0..count {
        let (from, to) = windows[(number > 0) as usize];
        if let Some(at) = touches.world.calendar.moment_between(rng, from, to) {
            let url = touches.world.library.pick(FunnelStage::Bottom, rng).to_owned();
            touches.add_content(at, &url, "web", None);
        }
    }
}

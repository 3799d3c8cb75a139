//! The content library: top-of-funnel reading, middle-of-funnel comparisons and recordings, and
//! the bottom-of-funnel pieces (case studies, pricing, ROI calculator) that go with won deals.

use rapport_domain::{ContentRecord, FunnelStage};

use crate::rng::{pick, DemoRng};

const BASE_URL: &str = "https://demo.rapport.example";

/// (title, content type, funnel stage). The generated extra items are top and middle.
#[rustfmt::skip]
const LIBRARY: [(&str, &str, FunnelStage); 34] = [
    ("Why sales rejects your MQLs, and what to do about it", "blog", FunnelStage::Top),
    ("The B2B funnel benchmark report", "report", FunnelStage::Top),
    ("A marketer's guide to lifecycle stages", "guide", FunnelStage::Top),
    ("Ten signs your lead scoring is broken", "blog", FunnelStage::Top),
    ("The MQL handoff checklist", "checklist", FunnelStage::Top),
    ("What top reps do in discovery calls", "blog", FunnelStage::Top),
    ("Talk ratio: what 43% tells you", "blog", FunnelStage::Top),
    ("A shared definition of a qualified lead", "ebook", FunnelStage::Top),
    ("Attribution models explained", "guide", FunnelStage::Top),
    ("Pipeline math for marketers", "ebook", FunnelStage::Top),
    ("How to run a sales and marketing SLA", "blog", FunnelStage::Top),
    ("Voice of the customer from sales calls", "ebook", FunnelStage::Top),
    ("The state of revenue operations", "report", FunnelStage::Top),
    ("Content that sales actually uses", "blog", FunnelStage::Top),
    ("Demand generation in a downturn", "blog", FunnelStage::Top),
    ("Account-based marketing without the buzzwords", "guide", FunnelStage::Top),
    ("Webinar recording: fixing the MQL handoff", "webinar", FunnelStage::Middle),
    ("Rapport vs spreadsheets: funnel reporting compared", "comparison", FunnelStage::Middle),
    ("Conversation intelligence buyer's guide", "buyers_guide", FunnelStage::Middle),
    ("Product tour: from handoff to revenue", "video", FunnelStage::Middle),
    ("Scoring leads on intent, not clicks", "whitepaper", FunnelStage::Middle),
    ("Webinar recording: what buyers say on calls", "webinar", FunnelStage::Middle),
    ("Lead scoring models compared", "comparison", FunnelStage::Middle),
    ("How MQL acceptance is measured", "whitepaper", FunnelStage::Middle),
    ("Webinar recording: attribution that sales believes", "webinar", FunnelStage::Middle),
    ("Evaluation checklist for revenue platforms", "checklist", FunnelStage::Middle),
    ("Pricing", "pricing", FunnelStage::Bottom),
    ("ROI calculator", "roi_calculator", FunnelStage::Bottom),
    ("Case study: Bluepeak Software raised MQL acceptance by 31%", "case_study", FunnelStage::Bottom),
    ("Case study: Northwind Capital answers every lead within 2 hours", "case_study", FunnelStage::Bottom),
    ("Case study: Harborview Health put sales and marketing on one funnel", "case_study", FunnelStage::Bottom),
    ("Case study: Ironbridge Logistics doubled pipeline from webinars", "case_study", FunnelStage::Bottom),
    ("Security and compliance overview", "security", FunnelStage::Bottom),
    ("Implementation plan: live in 30 days", "implementation", FunnelStage::Bottom),
];

const EXTRA_TOPICS: [&str; 12] = [
    "lead routing",
    "intent data",
    "win-loss reviews",
    "sales enablement",
    "funnel velocity",
    "cohort reports",
    "campaign budgets",
    "pipeline reviews",
    "call coaching",
    "buyer objections",
    "competitor mentions",
    "territory planning",
];

#[derive(Debug)]
pub(crate) struct Library {
    pub records: Vec<ContentRecord>,
    /// URLs per funnel stage (top, middle, bottom).
    by_stage: [Vec<String>; 3],
}

impl Library {
    /// The base library, plus generated articles until it has `count` items.
    pub(crate) fn plan(count: usize) -> Self {
        let mut items: Vec<(String, &str, FunnelStage)> =
            LIBRARY.iter().map(|(title, kind, stage)| ((*title).to_owned(), *kind, *stage)).collect();
        let mut extra = 0;
        while items.len() < count {
            let topic = EXTRA_TOPICS[extra % EXTRA_TOPICS.len()];
            let round = extra / EXTRA_TOPICS.len() + 1;
            // One in three extra pieces is a deeper guide for people already evaluating.
            let item = if extra % 3 == 2 {
                (format!("Practical guide to {topic}, part {round}"), "guide", FunnelStage::Middle)
            } else {
                (format!("Notes on {topic}, part {round}"), "blog", FunnelStage::Top)
            };
            items.push(item);
            extra += 1;
        }
        let mut by_stage: [Vec<String>; 3] = Default::default();
        let records = items
            .into_iter()
            .enumerate()
            .map(|(index, (title, kind, stage))| {
                let url = url(&title, kind);
                by_stage[stage_index(stage)].push(url.clone());
                ContentRecord {
                    external_id: Some(format!("demo-k{}", index + 1)),
                    title,
                    url,
                    content_type: Some(kind.to_owned()),
                    funnel_stage: Some(stage),
                }
            })
            .collect();
        Self { records, by_stage }
    }

    pub(crate) fn pick(&self, stage: FunnelStage, rng: &mut DemoRng) -> &str {
        pick(rng, &self.by_stage[stage_index(stage)]).as_str()
    }
}

fn stage_index(stage: FunnelStage) -> usize {
    match stage {
        FunnelStage::Top => 0,
        FunnelStage::Middle => 1,
        FunnelStage::Bottom => 2,
    }
}

fn url(title: &str, kind: &str) -> String {
    match kind {
        "pricing" => format!("{BASE_URL}/pricing"),
        "roi_calculator" => format!("{BASE_URL}/roi-calculator"),
        _ => {
            let slug: String = title
                .to_ascii_lowercase()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect::<String>()
                .split('-')
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            format!("{BASE_URL}/{}/{slug}", kind.replace('_', "-"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_unique_and_every_stage_has_content() {
        let library = Library::plan(100);
        let mut urls: Vec<&str> = library.records.iter().map(|r| r.url.as_str()).collect();
        urls.sort_unstable();
        urls.dedup();
        assert_eq!(urls.len(), 100);
        assert!(library.by_stage.iter().all(|urls| !urls.is_empty()));
        assert_eq!(
            url("Talk ratio: what 43% tells you", "blog"),
            format!("{BASE_URL}/blog/talk-ratio-what-43-tells-you")
        );
    }
}

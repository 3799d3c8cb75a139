//! What reps write when they reject, recycle or qualify a lead: short, specific notes of the
//! kind a marketer reads to learn why leads bounce.

use crate::rng::{chance, pick, DemoRng};

/// Notes per rejection reason, in the order of `story::REJECTION_CODES`.
const REJECTION_NOTES: [&[&str]; 6] = [
    // bad_fit
    &[
        "Three-person company; our smallest customers have 50.",
        "Agency asking on behalf of a client, not an end customer.",
        "They sell to consumers and have no sales team.",
        "Runs a homegrown CRM we cannot connect to.",
        "No entity in a country we sell to.",
        "Needs a call-centre tool, not revenue analytics.",
    ],
    // no_budget
    &[
        "Budget frozen until the next fiscal year.",
        "Likes the product, but no budget line for new tools this year.",
        "Just had layoffs; all new spend is on hold.",
        "Signed a three-year contract with their current vendor last spring.",
        "Expected a free plan; balked at the price range.",
    ],
    // wrong_contact
    &[
        "Intern researching tools for a class project; no buying role.",
        "Student writing a thesis on lead scoring.",
        "Left the company two months ago; email bounces.",
        "Works in HR, nowhere near revenue operations.",
        "A vendor trying to sell to us.",
        "Executive assistant downloading for the team; would not pass us on.",
    ],
    // not_ready
    &[
        "Researching for next year; asked us to reconnect in Q3.",
        "Wants to finish their CRM migration first.",
        "Interested, but the timeline is nine to twelve months out.",
        "Evaluating informally; no project and no owner yet.",
        "New in the role; wants to settle in before buying anything.",
    ],
    // duplicate
    &[
        "Already in an open opportunity with the account executive.",
        "Same person as an existing contact with another address.",
        "Partner registered this deal last month.",
        "A colleague is already talking to us.",
    ],
    // junk
    &[
        "Fake name and a disposable address.",
        "Form filled with keyboard mash: asdf asdf.",
        "Bot submission; phone number 1234567.",
        "Competitor's employee collecting our content.",
        "Domain does not exist; every email bounces.",
    ],
];

/// Syndicated and purchased leads often never chose to hear from us at all.
const UNAWARE_NOTES: [&str; 4] = [
    "Downloaded a report through a publisher; does not remember us.",
    "Never asked to be contacted; hung up after ten seconds.",
    "On a purchased list; does not know who we are.",
    "Got our ebook bundled with others; no interest in a call.",
];

pub(crate) fn rejection_note(reason: usize, source: &str, rng: &mut DemoRng) -> String {
    let unaware = matches!(source, "content_syndication" | "purchased_list") && reason != 4;
    if unaware && chance(rng, 0.35) {
        return (*pick(rng, &UNAWARE_NOTES)).to_owned();
    }
    (*pick(rng, REJECTION_NOTES[reason])).to_owned()
}

pub(crate) fn recycle_note(rng: &mut DemoRng) -> String {
    const NOTES: [&str; 5] = [
        "Back to nurture: revisit next quarter.",
        "Not ready yet; send them the customer stories track.",
        "Went quiet after two calls; nurture and retry.",
        "Project postponed; keep them on the newsletter.",
        "Champion left; nurture the new team.",
    ];
    (*pick(rng, &NOTES)).to_owned()
}

pub(crate) fn handoff_note(source: &str, rng: &mut DemoRng) -> String {
    let note = match source {
        "events" => "Scanned at the booth; asked for a follow-up.",
        "webinar" => "Attended the webinar and asked a question in the Q&A.",
        "partner" => "Introduced by the partner; expects a call this week.",
        "referral" => "Referred by a customer.",
        "content_syndication" | "purchased_list" => "Crossed the score threshold on downloads.",
        _ if chance(rng, 0.5) => "Requested a demo.",
        _ => "Visited pricing twice and crossed the score threshold.",
    };
    note.to_owned()
}

pub(crate) fn qualification_note(rng: &mut DemoRng) -> String {
    const NOTES: [&str; 4] = [
        "Budget confirmed; decision in this quarter.",
        "Pain is clear: reps ignore marketing leads.",
        "Champion is the VP Marketing; CRO is involved.",
        "Evaluating us against one competitor.",
    ];
    (*pick(rng, &NOTES)).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::REJECTION_CODES;

    #[test]
    fn every_reason_has_notes() {
        assert_eq!(REJECTION_NOTES.len(), REJECTION_CODES.len());
        assert!(REJECTION_NOTES.iter().all(|notes| !notes.is_empty()));
    }
}

//! Moving a deal: pricing, price and budget objections, discount asks, priorities,
//! procurement, the decision, next steps with who, what and when, and the content reps and
//! buyers mention by title.

use super::{Bank, Exchange};

pub(crate) const CUSTOMER_ASK_PRICE: Bank = &[
    "So what does something like this cost?",
    "Can you give me a ballpark on pricing?",
    "How is it priced? Per seat?",
    "Before we go further, what are we looking at, price-wise?",
    "What would this cost for a team our size?",
];

/// Where the buyer stands on the proposal at the start of a negotiation.
pub(crate) const CUSTOMER_PROPOSAL_POSITIVE: Bank = &[
    "We've reviewed it internally, and overall it looks good. There are just a couple of things to sort out.",
    "{colleague_first} liked the proposal. The main questions are around the terms.",
    "The team is on board. I mostly want to make sure we get the rollout right.",
];

pub(crate) const CUSTOMER_PROPOSAL_NEGATIVE: Bank = &[
    "Honestly, it's been a tough sell internally.",
    "I've shared it, but the feedback has been mixed.",
    "I'll be upfront: there are some concerns on our side.",
];

/// The rep walking through the proposal, said in order.
pub(crate) const PROPOSAL_WALKTHROUGH: Bank = &[
    "Let me quickly walk through what's in the proposal.",
    "It's the {plan} for {seats} seats, on a {term} term.",
    "That includes onboarding, the {crm} import, and training for your sales managers.",
    "Support is included, with a named customer success manager from day one.",
    "Billing is annual, and it starts on the day you go live, not the day you sign.",
    "The price is locked for the whole term.",
    "And if you grow, extra seats come at the same per-seat price.",
];

/// What a rep adds after answering a commercial question.
pub(crate) const TERMS_ELABORATIONS: Bank = &[
    "We do that for most customers your size, so it's not a special favour.",
    "I can put that in writing in the order form.",
    "Legal on our side is used to that, so it won't slow anything down.",
    "Most teams find that takes the risk out of the decision.",
    "And if anything comes up later, I'm your first call.",
];

/// The commercial questions of a negotiation, with the rep's answers.
pub(crate) const COMMERCIAL_TERMS: &[Exchange] = &[
    (
        "Can we pay quarterly instead of annually?",
        "Yes, quarterly works. There's a small uplift, about three percent.",
    ),
    (
        "What happens at renewal? Is the price locked?",
        "We can cap the renewal increase at five percent in the contract.",
    ),
    (
        "If we add seats halfway through the year, how does that work?",
        "We prorate them to your renewal date, at the same per-seat price.",
    ),
    (
        "What's included in the onboarding?",
        "Two workshops, help with the {crm} import, and a check-in every week for the first month.",
    ),
    (
        "When could we realistically be live?",
        "About four weeks from signature. Our {implementation_doc} walks through it week by week.",
    ),
    (
        "Can we start with a smaller team and expand later?",
        "Absolutely. A lot of customers start with one region and roll out from there.",
    ),
    (
        "Is there an exit clause if it doesn't work out?",
        "For the first ninety days, yes. After that, it's the standard term.",
    ),
    (
        "Who would our point of contact be after signing?",
        "You'd get a customer success manager, and I stay involved through the rollout.",
    ),
];

pub(crate) const REP_PRICE: Bank = &[
    "For a team your size, it would be the {plan}, which comes to about {amount} a year for {seats} seats.",
    "It's priced per seat. For {seats} seats on the {plan}, list is {amount} per year.",
    "The {plan} is what I'd recommend. That's {amount} a year, onboarding included.",
];

/// Every line names the price as the problem ("expensive", "steep", "pricey" …).
pub(crate) const PRICE_OBJECTIONS: Bank = &[
    "Honestly, that's a lot more than we expected to pay. It's expensive for us.",
    "That's too expensive for us, I'm afraid.",
    "Hmm. That's pretty steep for a team our size.",
    "That's more than {competitor} quoted us, by quite a bit. It feels expensive.",
    "It's a bit pricey. I'm not sure I can get that approved.",
    "I like it, but at that price it's going to be hard to justify. It's just too expensive.",
    "That's way over what we had in mind. The price is steep.",
    "The price is the problem, to be honest. It's expensive compared to our other tools.",
];

pub(crate) const PRICE_HANDLING: &[Exchange] = &[
    ("I understand. Can I ask what you're comparing it to?", "Mostly to what we pay for our other tools. This would be one of the biggest lines in my budget."),
    ("That's fair. If we look at what {pain_short} costs you today, the numbers usually work out. Have you tried our {roi}?", "Not yet. I'll have a look, but I'm not sure it changes the picture."),
    ("I hear you. Let's look at the value side, though. Your team would get back {report_days} days a month on reporting alone. Does that matter?", "Sure, but time savings don't get budget approved here. Hard savings do."),
    ("Understood. What if we started with fewer seats and grew from there?", "Maybe. Let me see what that would look like on paper."),
];

/// Ways of asking for a better price, worded differently on purpose.
pub(crate) const DISCOUNT_ASKS: Bank = &[
    "Is that the best you can do?",
    "Is there any flexibility on the price?",
    "Can you do anything on the price?",
    "Could you sharpen your pencil a bit?",
    "We'd need some kind of discount to get this approved.",
    "If we sign this month, can you do better on the number?",
    "{competitor} came in about {competitor_gap} percent lower. Can you match that?",
    "What kind of discount could you offer for a multi-year deal?",
    "Is there any room to move on the annual fee?",
    "Our procurement team will push for a better number, so what's your real number?",
];

pub(crate) const REP_DISCOUNT_OFFERS: Bank = &[
    "If you can commit to a {term} agreement, I can take {discount_pct} percent off. That brings it to {discounted} a year.",
    "I can do {discount_pct} percent if we get it signed by the end of the quarter. So {discounted} a year.",
    "I can't move much on the price, but I can include onboarding and training at no extra cost.",
    "Let me talk to my manager. I think I can get you to {discounted}, but that's the floor.",
];

/// A rep digging into a buyer's hesitation.
pub(crate) const OBJECTION_PROBES: &[Exchange] = &[
    (
        "What would need to be true for this to work?",
        "A lower number, and a clear plan for the rollout. Right now I only have one of those.",
    ),
    (
        "Who else has concerns on your side?",
        "{colleague_first}, mainly. And finance, of course. They question every new tool this year.",
    ),
    (
        "Is it the total, or how it's spread over the year?",
        "The total. Even with quarterly payments, it's a big number for us.",
    ),
    ("What budget did you have in mind?", "Closer to {discounted}, honestly. Maybe a bit lower."),
    (
        "If we solved the price, would you move forward?",
        "Probably. Though I can't promise anything, it's not only my decision.",
    ),
    (
        "What's the biggest risk you see?",
        "That we pay for it and the reps don't use it. We've been there before.",
    ),
    (
        "How are you going to present this internally?",
        "As a fix for the handoff, mostly. That's the story {colleague_first} cares about.",
    ),
];

pub(crate) const REP_FINAL_OFFERS: Bank = &[
    "I'm afraid that really is the floor.",
    "That's as far as I can go, honestly. Anything more needs my VP, and she'll say no.",
    "Let me take it back to my manager, but I can't promise anything.",
];

pub(crate) const CUSTOMER_ACCEPT_OFFERS: Bank = &[
    "Okay, that works for us.",
    "That gets us there, I think.",
    "Good. I can take {discounted} to {colleague_first}, that should fly.",
    "Deal. Well, nearly, legal still has to look at it.",
    "Okay. I appreciate you moving on that.",
];

pub(crate) const CUSTOMER_RESIST_OFFERS: Bank = &[
    "It's still more than we can justify right now.",
    "I'll take it back to {colleague_first}, but I'm not optimistic.",
    "That helps, but it's still a big gap.",
    "Honestly, I don't think that changes much for us.",
];

pub(crate) const NOT_A_PRIORITY: Bank = &[
    "Honestly, it's just not a priority right now.",
    "We've got a {crm} migration going on, so this would have to wait. It's not a priority this quarter.",
    "There are bigger fires to put out this quarter. This isn't a priority for us yet.",
    "I like it, but it's not a priority. Leadership is focused on other things.",
    "To be honest, this has slipped down the list since we last spoke. It's not a priority anymore.",
];

pub(crate) const PRIORITY_HANDLING: &[Exchange] = &[
    (
        "I understand. What would have to happen for this to become a priority?",
        "Probably another bad quarter, honestly. Or {colleague_first} asking for it directly.",
    ),
    (
        "That's fair. What's at the top of the list instead?",
        "The {crm} cleanup, and hiring. Those two eat everything right now.",
    ),
    (
        "Makes sense. Would it help if I put together a short business case for {colleague_first}?",
        "It might. Send it over, and I'll see whether the timing works.",
    ),
];

/// Planning the rollout once the deal is nearly done.
pub(crate) const ROLLOUT: &[Exchange] = &[
    ("Who should be in the kickoff from our side?", "You, your ops lead, and one sales manager. And {colleague_first} for the first half hour, if possible."),
    ("How do we get the reps to actually use it?", "Start with the SLA view in the weekly meeting. Once the managers use it, the reps follow."),
    ("Which region should we start with?", "Whichever team has the most leads. Quick wins there make the rest easy."),
    ("How long does the {crm} import take?", "A day for the history, usually. Then it stays in sync."),
    ("What do you need from us before the kickoff?", "Admin access to {crm}, your lifecycle definitions, and the list of users."),
];

/// Legal and paperwork questions, with the rep's answers.
pub(crate) const LEGAL: &[Exchange] = &[
    (
        "Our legal team wants a liability cap of twice the annual fee. Is that okay?",
        "That's standard for us, yes.",
    ),
    (
        "Can we do the data processing agreement on our paper?",
        "We can review yours. It's usually quick, since the data never leaves your servers.",
    ),
    (
        "Do you need a purchase order before we sign?",
        "No, the signed order form is enough. The invoice follows.",
    ),
    (
        "Can we add a clause about where the data is stored?",
        "Of course. It stays on your infrastructure anyway, so that's an easy one.",
    ),
];

pub(crate) const CUSTOMER_PROCUREMENT: Bank = &[
    "Legal will want to review the contract. That usually takes a week or two.",
    "Procurement needs a vendor form and your {security_doc}.",
    "We'll need a data processing agreement signed before anything else.",
    "Our fiscal year starts in {month}, so we'd want billing to start then.",
];

pub(crate) const REP_PROCUREMENT: Bank = &[
    "No problem. I'll send the DPA and the order form today.",
    "That works. We can start billing in {month} and still get you onboarded now.",
    "Sure, I'll fill in the vendor form this week and send the {security_doc} with it.",
];

pub(crate) const DECISION_WON: Bank = &[
    "Good news: {colleague_first} signed off yesterday, so we're ready to move forward.",
    "We've made a decision, and we'd like to go with Rapport.",
    "We're ready to go ahead. Let's get the paperwork going.",
    "So, we talked internally, and we're in.",
];

pub(crate) const DECISION_LOST_COMPETITOR: Bank = &[
    "I'll be honest with you, we've decided to go with {competitor}.",
    "We're leaning towards {competitor}. They came in cheaper, and the team knows them.",
    "We went with {competitor} in the end. It was close.",
];

pub(crate) const DECISION_LOST_PRICE: Bank = &[
    "We just can't make the numbers work this year. It's too expensive for us.",
    "At this price it's not going to get approved, I'm sorry.",
    "The price is where it falls down. It's more than we can spend.",
];

pub(crate) const DECISION_LOST_NO_DECISION: Bank = &[
    "Things are stuck internally, and I don't think we'll get a decision this quarter.",
    "We've decided to put the project on hold for now.",
    "{colleague_first} wants to revisit it next year.",
];

pub(crate) const DECISION_LOST_TIMING: Bank = &[
    "The timing just isn't right. Budgets got cut, and this got pushed to next year.",
    "We need to wait until the new fiscal year. There's no budget this year.",
];

pub(crate) const DECISION_LOST_FEATURE: Bank = &[
    "Without {feature_gap}, we can't make it work for us right now.",
    "Not having {feature_gap} is a deal breaker for {colleague_first}, unfortunately.",
];

pub(crate) const REP_LOSS_RESPONSES: Bank = &[
    "I understand, and thanks for being straight with me. Would it be okay if I checked back in a few months?",
    "That's a shame, but I appreciate the honesty. Can I ask what tipped it?",
    "Understood. If anything changes, you know where to find me.",
];

pub(crate) const REP_WIN_RESPONSES: Bank = &[
    "That's fantastic news, thank you!",
    "Great, I'm really glad to hear that.",
    "Wonderful. Let's make this a great rollout.",
];

/// Next steps that name who does what and when, by what comes next.
pub(crate) const NEXT_DEMO: Bank = &[
    "How about we book a proper demo for {next_when}? It would be great to have {colleague_first} on it too.",
    "Let's get a demo in the calendar. Does {next_when} work for you?",
    "I'd suggest a demo with your team on {next_when}. I'll send an invite and a short agenda today.",
];

pub(crate) const NEXT_TECHNICAL: Bank = &[
    "How about a session with your security team on {next_when}? I'll send the {security_doc} beforehand.",
    "Next step: a technical review with your IT folks. Would {next_when} work? I'll send the {security_doc} today so they can prepare.",
];

pub(crate) const NEXT_PROPOSAL: Bank = &[
    "For next steps, I'll send you a proposal by {followup_day}, and let's meet on {next_when} to go through it.",
    "I'll put the pricing together and send it by {followup_day}. Can we hold {next_when} to go through it with {colleague_first}?",
    "I'll send a proposal by {followup_day}. You share it with {colleague_first}, and we regroup on {next_when}.",
];

pub(crate) const NEXT_SIGNATURE: Bank = &[
    "Next step on my side: I'll send the order form today. Can you get it to legal by {followup_day}?",
    "I'll send the contract and the {implementation_doc} this afternoon, and let's book the kickoff for {next_when}.",
    "I'll get the paperwork over today. If legal signs by {followup_day}, we can kick off on {next_when}.",
];

pub(crate) const NEXT_FOLLOW_UP: Bank = &[
    "How about I send you a short summary by {followup_day}, and we speak again on {next_when}?",
    "Let's pencil in {next_when} to pick this up again. I'll send a recap by {followup_day}.",
];

pub(crate) const CUSTOMER_AGREE_NEXT: Bank = &[
    "{next_when} works. I'll forward the invite to {colleague_first}.",
    "Sounds good. I'll loop in {colleague_first} this week.",
    "Yes, let's do that. I'll block the time now.",
    "Perfect. I'll make sure it gets to the right people by {followup_day}.",
    "Great, {next_when} it is.",
];

pub(crate) const CUSTOMER_VAGUE_NEXT: Bank = &[
    "Let me talk to the team and get back to you.",
    "Can you send me something in writing? I'll take a look when I can.",
    "Let's reconnect sometime next quarter.",
    "I need to check a few things internally first. I'll reach out.",
    "Maybe. Send me an email and we'll see.",
];

pub(crate) const REP_RECAP_FIRM: Bank = &[
    "Great. So to recap: I'll send everything over by {followup_day}, you'll share it with {colleague_first}, and we'll talk again on {next_when}.",
    "Perfect. I'll send the invite for {next_when} and a recap after this call.",
    "Okay, so the action items: on my side, the recap and the material by {followup_day}. On yours, looping in {colleague_first}. And we meet on {next_when}.",
];

pub(crate) const REP_RECAP_VAGUE: Bank = &[
    "Okay. I'll send a short summary by email, and I'll check back in with you in a couple of weeks.",
    "No problem. I'll follow up by email.",
    "Sure. I'll send a note, and you let me know when the timing is better.",
];

/// Content mentions by title: the library's items as people say them.
pub(crate) const REP_CASE_STUDIES: Bank = &[
    "We worked with a company a lot like yours. I'll send you our {case_study}.",
    "You might like this one, it's a very similar setup to yours. Our {case_study}.",
    "{case_company} had exactly the same problem. It's all in our {case_study}.",
    "Have a look at the {case_study}. Their story is almost exactly what you described.",
];

pub(crate) const REP_CONTENT: Bank = &[
    "After the call, I'll also share our {content}.",
    "We wrote something on exactly this. I'll send you the link to our {content}.",
    "If it's useful, it's a quick read: our {content}.",
];

pub(crate) const CUSTOMER_READ_CONTENT: Bank = &[
    "Before this call, I actually read your {read_content}. That's partly why I reached out.",
    "A few weeks ago I came across your {read_content}. It was spot on.",
    "Someone on my team shared your {read_content}, and it started this whole conversation.",
];

pub(crate) const CUSTOMER_READ_CASE_STUDY: Bank = &[
    "I read the one you sent. The {case_study}. That's pretty much the result we're after.",
    "By the way, I shared the {case_study} with {colleague_first}. It landed well.",
];

pub(crate) const REP_ROI: Bank = &[
    "I'd also suggest our {roi}. It takes five minutes, and it's what most teams use for the business case.",
    "I'll send you the {roi}. Put in your numbers and it does the rest.",
];

#[cfg(test)]
pub(crate) const EXCHANGES: &[(&str, &[Exchange])] = &[
    ("COMMERCIAL_TERMS", COMMERCIAL_TERMS),
    ("OBJECTION_PROBES", OBJECTION_PROBES),
    ("PRICE_HANDLING", PRICE_HANDLING),
    ("PRIORITY_HANDLING", PRIORITY_HANDLING),
    ("ROLLOUT", ROLLOUT),
    ("LEGAL", LEGAL),
];

#[cfg(test)]
pub(crate) const BANKS: &[(&str, Bank)] = &[
    ("CUSTOMER_ASK_PRICE", CUSTOMER_ASK_PRICE),
    ("REP_PRICE", REP_PRICE),
    ("CUSTOMER_PROPOSAL_POSITIVE", CUSTOMER_PROPOSAL_POSITIVE),
    ("CUSTOMER_PROPOSAL_NEGATIVE", CUSTOMER_PROPOSAL_NEGATIVE),
    ("PRICE_OBJECTIONS", PRICE_OBJECTIONS),
    ("DISCOUNT_ASKS", DISCOUNT_ASKS),
    ("REP_DISCOUNT_OFFERS", REP_DISCOUNT_OFFERS),
    ("REP_FINAL_OFFERS", REP_FINAL_OFFERS),
    ("PROPOSAL_WALKTHROUGH", PROPOSAL_WALKTHROUGH),
    ("TERMS_ELABORATIONS", TERMS_ELABORATIONS),
    ("CUSTOMER_ACCEPT_OFFERS", CUSTOMER_ACCEPT_OFFERS),
    ("CUSTOMER_RESIST_OFFERS", CUSTOMER_RESIST_OFFERS),
    ("NOT_A_PRIORITY", NOT_A_PRIORITY),
    ("CUSTOMER_PROCUREMENT", CUSTOMER_PROCUREMENT),
    ("REP_PROCUREMENT", REP_PROCUREMENT),
    ("DECISION_WON", DECISION_WON),
    ("DECISION_LOST_COMPETITOR", DECISION_LOST_COMPETITOR),
    ("DECISION_LOST_PRICE", DECISION_LOST_PRICE),
    ("DECISION_LOST_NO_DECISION", DECISION_LOST_NO_DECISION),
    ("DECISION_LOST_TIMING", DECISION_LOST_TIMING),
    ("DECISION_LOST_FEATURE", DECISION_LOST_FEATURE),
    ("REP_LOSS_RESPONSES", REP_LOSS_RESPONSES),
    ("REP_WIN_RESPONSES", REP_WIN_RESPONSES),
    ("NEXT_DEMO", NEXT_DEMO),
    ("NEXT_TECHNICAL", NEXT_TECHNICAL),
    ("NEXT_PROPOSAL", NEXT_PROPOSAL),
    ("NEXT_SIGNATURE", NEXT_SIGNATURE),
    ("NEXT_FOLLOW_UP", NEXT_FOLLOW_UP),
    ("CUSTOMER_AGREE_NEXT", CUSTOMER_AGREE_NEXT),
    ("CUSTOMER_VAGUE_NEXT", CUSTOMER_VAGUE_NEXT),
    ("REP_RECAP_FIRM", REP_RECAP_FIRM),
    ("REP_RECAP_VAGUE", REP_RECAP_VAGUE),
    ("REP_CASE_STUDIES", REP_CASE_STUDIES),
    ("REP_CONTENT", REP_CONTENT),
    ("CUSTOMER_READ_CONTENT", CUSTOMER_READ_CONTENT),
    ("CUSTOMER_READ_CASE_STUDY", CUSTOMER_READ_CASE_STUDY),
    ("REP_ROI", REP_ROI),
];

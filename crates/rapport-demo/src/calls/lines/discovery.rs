//! Discovery: the buyer's role and team, today's process, their pains, the competition, who
//! decides, the timeline and the budget, and the rep's short pitch.

use super::{Bank, Exchange, Pain};

pub(crate) const REP_ROLE_OPEN: Bank = &[
    "To start, could you tell me a bit about your role and what your team looks after?",
    "Maybe you could walk me through how your team is set up today?",
    "Tell me a little about yourself and what you're responsible for at {company}.",
    "What does a typical week look like for you?",
    "How did you end up owning this topic at {company}?",
];

pub(crate) const REP_ROLE_CLOSED: Bank = &[
    "You're the {title} at {company}, is that right?",
    "Is it just you on the operations side, or do you have a team?",
    "And you report to the CMO, correct?",
    "Are you the main owner of the funnel reporting?",
];

pub(crate) const CUSTOMER_ROLE_SHORT: Bank = &[
    "Yes, that's right. I've been in the role for about {tenure} years.",
    "Yep. It's me and {team_size} others.",
    "Correct, yes.",
    "More or less, yes.",
    "Yes, for my sins.",
];

/// How a buyer starts describing their role; the details follow.
pub(crate) const CUSTOMER_ROLE_OPENERS: Bank = &[
    "Sure. I'm the {title} here at {company}.",
    "Of course. So I'm {title}, and I've been at {company} for about {tenure} years.",
    "Yeah, happy to. My title is {title}, but in practice I do a bit of everything.",
];

pub(crate) const CUSTOMER_ROLE_DETAILS: Bank = &[
    "We're {employees} people, and most of what we sell goes to {market}.",
    "My team is {team_size} people. We own everything from the first touch until a lead goes over to sales.",
    "On the sales side there are about {reps_count} reps, split by region.",
    "I spend most of my week on reporting and campaigns, and honestly too much of it on reporting.",
    "We rebuilt the funnel last year, but it's still very much a work in progress.",
    "Before this I was at an agency, so I've seen a lot of different setups.",
    "I report to {colleague_first}, our {colleague_title}, who's the one asking for better numbers.",
    "We bring in around {monthly_leads} leads a month, give or take.",
];

pub(crate) const REP_PROCESS_OPEN: Bank = &[
    "Walk me through what happens today when someone fills in a form on your website.",
    "How do leads get from marketing to sales today?",
    "What does the handoff between your team and sales look like right now?",
    "How do you decide when a lead is ready for sales?",
    "What happens to a lead after your team hands it over?",
];

pub(crate) const REP_PROCESS_CLOSED: Bank = &[
    "Are you routing leads out of {crm} today?",
    "Do you have a lead scoring model in place?",
    "Is there an agreed SLA for how fast sales follows up?",
    "Do reps give you a reason when they reject a lead?",
];

pub(crate) const CUSTOMER_PROCESS_SHORT: Bank = &[
    "Yes, more or less.",
    "Kind of. It's not really enforced.",
    "No, not formally.",
    "Not really, no.",
    "We do, but nobody looks at it.",
    "In theory, yes.",
];

pub(crate) const CUSTOMER_PROCESS: Bank = &[
    "Everything lands in {crm}, and we score leads with a handful of rules someone set up years ago.",
    "Once a lead crosses the threshold, it gets assigned to a rep round robin, and then, well, it depends on the rep.",
    "For reporting we use {incumbent}, plus a lot of exports.",
    "There's a weekly meeting where we go through the MQLs with the sales managers, which is about as fun as it sounds.",
    "We tried a lead scoring project last year, but it stalled when the person who owned it left.",
    "Sales lives in {crm}, we live in our marketing tools, and the two don't really talk to each other.",
    "Reps can mark a lead as rejected, but the reason field is optional, so it's mostly empty.",
    "Honestly, a lot of it is {colleague_first} and me looking at a spreadsheet every Monday.",
];

pub(crate) const REP_PAIN_INVITES: Bank = &[
    "What's the biggest challenge with that today?",
    "Where does it break down?",
    "What made you start looking at this now?",
    "If you could fix one thing about that process, what would it be?",
    "What's not working the way you'd like it to?",
];

pub(crate) const REP_PAIN_INVITES_CLOSED: Bank = &[
    "Is that causing problems?",
    "Is that something you're trying to fix this year?",
    "Is that where most of the friction is?",
];

pub(crate) const CUSTOMER_CONFIRMS: Bank =
    &["Yes, definitely.", "Oh, absolutely.", "Yes. Very much so.", "Yeah, it is."];

pub(crate) const REP_EMPATHY: Bank = &[
    "That sounds painful.",
    "I hear that from a lot of teams. You're definitely not alone.",
    "Ouch. That's a lot of wasted effort.",
    "That's a really common problem, and a fixable one.",
    "Yeah, that's frustrating.",
    "That must be a tough conversation every quarter.",
];

pub(crate) const REP_MORE_PAINS: Bank = &[
    "What else is on your list?",
    "Anything else that's bothering you about the current setup?",
    "Is there a second problem behind that one?",
    "What else would you want to fix while you're at it?",
];

#[rustfmt::skip]
pub(crate) const PAINS: [Pain; 9] = [
    Pain {
        short: "leads waiting days for a first call",
        statements: &[
            "The big one for us is speed. Leads come in and sit there for days before anyone calls them.",
            "Honestly, our follow-up is slow. By the time a rep calls, the lead has forgotten they ever filled in the form.",
            "We have no real SLA. Some reps call within the hour, others take a week, and nobody sees it.",
        ],
        exchanges: &[
            ("How long does it usually take today, from the form to the first call?", "Last quarter our median was something like {response_hours} hours, and the slowest were over a week. I'm sure we lose deals to whoever calls first."),
            ("How do you find out when a lead has been waiting too long?", "We only find out in the monthly review, when it's too late. It's really frustrating, because we paid for those leads."),
            ("What happens to a lead that nobody calls?", "It just sits there. I pulled the numbers once, and about a third were never called at all. That's budget straight down the drain."),
        ],
    },
    Pain {
        short: "sales rejecting most of the leads you send",
        statements: &[
            "Our biggest problem is that sales rejects most of what we send them. They say the leads are junk.",
            "There's no trust between the teams. Sales thinks our MQLs are garbage, and we think they never call them.",
            "About {reject_pct} percent of our MQLs get rejected, and we don't really know why.",
        ],
        exchanges: &[
            ("When a lead is rejected, what reasons do you get back?", "Mostly nothing. Or bad fit, with no note. So we can't fix anything on our side."),
            ("Why do you think sales rejects so many of them?", "Some of it is fair, the syndicated leads are pretty weak. But it means my team gets judged on a number that sales controls."),
            ("How do you track the rejections today?", "It's a checkbox in {crm} that nobody fills in properly. We've tried, it just doesn't stick."),
        ],
    },
    Pain {
        short: "not seeing what happens after the handoff",
        statements: &[
            "Once we hand a lead over, it disappears into a black hole. I have no idea what happens to it.",
            "I can't tell you which campaigns turn into pipeline. I can tell you which ones make leads, that's it.",
            "The funnel report takes us a week to build, and it's out of date the day it's done.",
        ],
        exchanges: &[
            ("Who asks you for those numbers today?", "Our CMO, every month. She asks which campaigns drive revenue, and I basically guess."),
            ("What would you do differently if you could see that?", "We'd cut half our paid budget, probably. I'm fairly sure some channels don't produce a single deal."),
            ("How do you report on the funnel to leadership right now?", "A lot of spreadsheets and a lot of arguing, to be honest."),
        ],
    },
    Pain {
        short: "the arguments about attribution",
        statements: &[
            "Every quarter there's a fight about attribution. Sales says they sourced everything, marketing says we did.",
            "We use last touch attribution, and everybody knows it's wrong, but nobody agrees on anything better.",
        ],
        exchanges: &[
            ("Who settles those arguments today?", "Nobody. It ends when the quarter ends, and then it starts again."),
            ("Which model would your leadership actually believe?", "I don't know, honestly. Our CFO wants one number, and we give her three. It's a real problem for my credibility."),
        ],
    },
    Pain {
        short: "the manual reporting every month",
        statements: &[
            "My analyst spends about {report_days} days a month pulling reports together in spreadsheets.",
            "All our reporting is manual. Exports from {crm}, a big spreadsheet, and a lot of copy and paste.",
        ],
        exchanges: &[
            ("What would your analyst do with that time back?", "Actual analysis, for a change. Right now she's a very well paid copy and paste machine."),
            ("How confident are you in the numbers at the end of it?", "Not very. Every month somebody finds a mistake in a formula, and then we have to explain it."),
        ],
    },
    Pain {
        short: "a lead score nobody trusts",
        statements: &[
            "Nobody trusts our lead score. A student who downloads five ebooks scores higher than a VP who asked for a demo.",
            "Our scoring model is a bunch of rules someone set up years ago. It rewards clicks, not intent.",
        ],
        exchanges: &[
            ("How would you want scoring to work, ideally?", "Based on what actually turns into deals, not on whatever we guessed three years ago."),
            ("What signals do you think really matter?", "Demo requests, pricing page visits, the right titles. Not webinar attendance."),
        ],
    },
    Pain {
        short: "never hearing what customers say on calls",
        statements: &[
            "Marketing never hears the customer. Sales has hundreds of calls a month, and none of that comes back to us.",
            "Our messaging is basically guesswork. We don't know which objections come up on calls, or which competitors.",
        ],
        exchanges: &[
            ("What would you want to learn from those calls?", "Which pains people mention, which competitors come up, why we lose. We write our content blind."),
            ("How do you get customer feedback today?", "A quarterly survey that nobody answers, and the odd anecdote from a rep. It's a struggle."),
        ],
    },
    Pain {
        short: "content that sales never uses",
        statements: &[
            "We produce a lot of content, and I have no idea if sales uses any of it.",
            "We put a lot of money into case studies last year, and I've never heard a rep mention one.",
        ],
        exchanges: &[
            ("How do reps find content today?", "A shared drive, mostly. Half the links are broken."),
            ("Which pieces do you think matter most in a deal?", "I'd guess the case studies, but I can't prove it, and that's the problem."),
        ],
    },
    Pain {
        short: "missing the pipeline target without knowing why",
        statements: &[
            "We missed our pipeline target two quarters in a row, and nobody could explain why.",
            "Our forecast is basically gut feel. The pipeline looks fine until the last week of the quarter.",
        ],
        exchanges: &[
            ("What did you find when you dug into the misses?", "That the top of the funnel was fine. Leads just weren't converting after the handoff, and nobody noticed in time."),
            ("Where in the funnel do you think deals stall?", "Somewhere between the first call and the demo. But that's a hunch, and I can't prove it."),
        ],
    },
];

/// Follow-ups that fit any pain, for reps who dig deeper.
pub(crate) const DEEPENING: &[Exchange] = &[
    ("Can you tell me more about that?", "Sure. It's been like that for as long as I've been here. Everyone knows, and nobody really owns it."),
    ("Can you give me an example?", "Last month we ran a big campaign, and two weeks later half of the leads still hadn't been touched. Nobody could tell me why."),
    ("How does that affect you personally?", "It eats a good chunk of my week, and it makes me look bad in front of leadership, honestly."),
    ("What have you tried so far to fix it?", "We tried a new process last year, with a weekly review. It worked for about a month, and then it didn't."),
    ("Who feels that the most?", "The reps, probably. They're frustrated with what they get, and we're frustrated with what they do with it."),
    ("How long has that been going on?", "Years, honestly. It got worse when we grew the sales team last year."),
    ("What happens if you don't fix it this year?", "We keep spending money we can't account for. And sooner or later the CFO cuts my budget, because I can't defend it."),
    ("Why do you think that is?", "Mostly because the tools don't talk to each other, and the process lives in people's heads."),
    ("What does that cost you, roughly?", "I haven't put a number on it, but with {monthly_leads} leads a month, even a small leak is a lot of pipeline."),
    ("Is that a problem for the whole team?", "Yes. Everyone from the SDRs up to our {colleague_title}."),
    ("Does leadership know about it?", "Oh, they know. {colleague_first} brings it up in every quarterly review."),
    ("Has it gotten worse recently?", "Yes, since we added new channels. More leads, same mess."),
];

/// What an engaged buyer adds after explaining a pain.
pub(crate) const CUSTOMER_ELABORATIONS: Bank = &[
    "For context, we're about to double the sales team next year, so it's only going to get harder.",
    "We also went through a reorg in the spring, so some of this is still settling.",
    "I inherited most of this setup when I joined, so I'm still untangling it.",
    "And with more budget scrutiny this year, every dollar has to be defended.",
    "It's one of the things I committed to fixing this year.",
    "We're also opening a new region next quarter, which adds another team to the mix.",
    "Our reps have a lot of opinions about this, as you can imagine.",
    "I think a lot of companies our size have the same issue, to be fair.",
    "We're not a big team, so anything manual hurts twice.",
    "I've been pushing for a proper fix since I started.",
    "It came up again in our planning offsite last month.",
    "And it's not just me. {colleague_first} raised it in the last leadership meeting too.",
    "The worst part is that everyone knows, and nobody owns it.",
    "I'd say we lose a few deals a quarter because of it, at least.",
    "It also makes planning really hard, because we don't trust our own numbers.",
    "Our board has started asking questions, which is never a good sign.",
    "If I'm honest, it's the main reason I'm on this call.",
    "The team is tired of it, to be honest.",
    "We've talked about it in every quarterly review this year.",
    "And the longer it goes on, the harder it gets to fix.",
];

/// A rep playing back what they heard; `{pain_now}` is the pain under discussion.
pub(crate) const REP_SUMMARIES: Bank = &[
    "So if I'm hearing you right, the real issue is {pain_now}, and it's costing you pipeline.",
    "Let me play that back: {pain_now}, and nobody sees it until it's too late. Is that fair?",
    "Okay, so the short version is {pain_now}. Did I get that right?",
];

pub(crate) const CUSTOMER_CONFIRMS_SUMMARY: Bank = &[
    "Yes, that's exactly it.",
    "Pretty much, yes.",
    "That's fair. Maybe even worse than that.",
    "Yes. You summed it up better than I did.",
];

pub(crate) const REP_ASK_GOALS: Bank = &[
    "What would success look like a year from now?",
    "If this goes well, what changes for your team?",
    "Imagine it's fixed. What's different?",
];

pub(crate) const CUSTOMER_GOALS: Bank = &[
    "Sales and marketing looking at the same numbers, and agreeing on them.",
    "Every lead called within a day, and a reason for every rejection.",
    "Knowing which campaigns make revenue, not just leads.",
    "Walking into the board meeting with numbers nobody argues with.",
    "Reps using our content, because they can see that it works.",
    "Honestly, getting my Mondays back.",
    "Being able to tell the CFO what we get for every dollar we spend.",
];

/// What else the buyer runs, and how the data flows.
pub(crate) const TECH_STACK: &[Exchange] = &[
    ("What else is in your stack besides {crm}?", "A marketing automation tool, {chat}, a BI tool nobody really owns, and a lot of spreadsheets. The usual."),
    ("Who owns {crm} on your side?", "Sales ops, technically. In practice, whoever last touched a workflow."),
    ("How clean is the data in {crm}?", "Honestly? Mixed. The contacts are fine, but the lifecycle stages are all over the place, because every team uses them differently."),
    ("Do you record your sales calls today?", "We do, in {meeting_tool}. But nobody listens to them, they just pile up somewhere."),
    ("How many systems does a lead pass through before it reaches a rep?", "Three or four, depending on the source. And every handover loses something, usually the context."),
    ("How does data get into your reports today?", "Exports, mostly. Someone pulls a file every Monday, cleans it up, and pastes it into the master spreadsheet."),
];

/// The numbers the buyer lives by.
pub(crate) const METRICS: &[Exchange] = &[
    (
        "Which numbers does leadership look at every week?",
        "Pipeline created, MQLs, and the win rate. And every week someone asks why they don't add up.",
    ),
    (
        "How do you measure marketing's contribution today?",
        "Sourced pipeline, by last touch. Which everyone agrees is wrong, but it's what we have.",
    ),
    (
        "What's your conversion from MQL to opportunity, roughly?",
        "I'd guess around ten percent, but I honestly couldn't swear to it. That's a problem in itself.",
    ),
    (
        "How do you report on the handoff to sales?",
        "We don't, really. We report on MQLs, and sales reports on pipeline. The middle is nobody's.",
    ),
    (
        "Is marketing measured on pipeline or on leads?",
        "On leads, officially. On pipeline, whenever things go badly.",
    ),
];

/// Earlier attempts at fixing the problem.
pub(crate) const PAST_ATTEMPTS: &[Exchange] = &[
    ("Have you tried to fix this before?", "We did a project two years ago with a consultant. Lots of slides, a new lifecycle definition, and then nothing really changed."),
    ("What did you try before reaching out to us?", "We built a dashboard in our BI tool. It was great for about three months, until the person who built it left."),
    ("Has anyone tried to solve this internally?", "Our ops team tried, with a lot of formulas. It works, as long as nobody touches anything."),
];

pub(crate) const ROLE_FOLLOW_UPS: &[Exchange] = &[
    ("How is the team split?", "Two people on campaigns, one on content, and one on operations, which is where most of the reporting lands."),
    ("Who do you work with most on the sales side?", "The sales managers, mainly. And {colleague_first}, who runs the whole revenue side."),
    ("How long has the team been set up this way?", "About a year. Before that, marketing ops sat under sales, which was its own adventure."),
    ("Are you hiring at the moment?", "One role, a marketing analyst. Which says a lot about where our time goes."),
];

pub(crate) const CURRENT_SETUP: &[Exchange] = &[
    ("What do you like about how it works today?", "It's familiar, and it's cheap. Everyone knows where to find things, more or less."),
    ("What's missing from your current setup?", "Anything after the handoff. And any link between what we spend and what we win."),
    ("If you could change one thing about your current tools, what would it be?", "That sales and marketing would see the same data. Right now we each have our own version of the truth."),
    ("How much time goes into keeping that running?", "More than I'd like. Somebody is always fixing a broken report or a field mapping."),
];

pub(crate) const REP_ASK_COMPETITION_OPEN: Bank = &[
    "What other options are you considering?",
    "How are you thinking about solving this, beyond talking to us?",
    "Who else are you looking at, if you don't mind me asking?",
    "What have you tried so far to fix this?",
];

pub(crate) const REP_ASK_COMPETITION_CLOSED: Bank = &[
    "Are you talking to any other vendors?",
    "Have you looked at other tools yet?",
    "Are you evaluating anyone else?",
];

pub(crate) const CUSTOMER_COMPETITOR_EVALUATING: Bank = &[
    "We're also looking at {competitor}.",
    "To be transparent, we had a demo with {competitor} last week.",
    "{competitor} is the other name on our shortlist.",
    "Our CRO used {competitor} at his last company, so they're in the mix.",
    "We're comparing you with {competitor} and {competitor2}.",
    "We've had a couple of calls with {competitor} already.",
];

pub(crate) const CUSTOMER_COMPETITOR_DETAILS: Bank = &[
    "Their dashboards look nice, but everything lives in their cloud, and our security team isn't keen on that.",
    "They're cheaper, honestly. But I'm not sure they do the call side at all.",
    "Their demo was slick. I'm less sure about the setup, they said three months.",
    "They have a good reputation, but I've heard their support is slow.",
    "We liked their reporting, but it felt like a lot of tool for what we need.",
    "The team liked them. They're the safe choice, I suppose.",
];

pub(crate) const CUSTOMER_NO_COMPETITOR: Bank = &[
    "Honestly, you're the first one we're talking to.",
    "Nobody else so far. We wanted to talk to you first.",
    "We haven't looked at anyone else yet. We might, depending on how this goes.",
    "Just you, for now. A colleague recommended you, so we started here.",
];

pub(crate) const CUSTOMER_INCUMBENT: Bank = &[
    "Today we're on {incumbent}, and have been for a while.",
    "We've used {incumbent} for about three years now.",
    "We have {incumbent} at the moment. The contract is up in {month}.",
];

pub(crate) const REP_COMPETITOR_RESPONSES: Bank = &[
    "That's fair, {competitor} is a solid product. What do you like about them so far?",
    "Good to know. Where we tend to differ from {competitor} is that everything runs on your own servers, so no customer data leaves your network.",
    "Makes sense to compare. What would {competitor} have to get right for you to pick them?",
    "We see {competitor} quite a bit. Customers usually pick us for the call analytics and the funnel in one place.",
    "Totally fair. I'd just suggest you ask them how they handle the handoff reporting, because that's where we're strongest.",
];

pub(crate) const HAPPY_WITH_CURRENT: Bank = &[
    "Honestly, we're pretty happy with {incumbent}. I'm not sure we need to switch.",
    "What we have works well enough, to be honest. We're happy with our current tool.",
    "Switching would be a big lift, and what we have does most of what we need.",
    "I'll be honest, the team is happy with {incumbent}. It would take a lot to move them.",
    "We're fairly happy with our current setup, so the bar is high.",
];

pub(crate) const HANDLE_CURRENT: &[Exchange] = &[
    ("That's fair. What would it have to do better for you to consider a change?", "Show us what happens after the handoff, mostly. That's the part we can't see at all today."),
    ("Makes sense. If what you have is working, what made you take this call?", "Fair question. It works until someone asks a question it can't answer, and that's happening more and more."),
    ("Totally understand. Is there anything that would make you look at alternatives?", "If {colleague_first} keeps asking for numbers we can't produce, yes. That's partly why I'm here."),
    ("Understood. Is it fair to say the bar is high, then?", "Yes, that's fair. Switching has to be clearly worth it."),
];

pub(crate) const REP_ASK_DECISION_OPEN: Bank = &[
    "Who else would be involved in a decision like this?",
    "What does your buying process usually look like for a tool like this?",
    "How do decisions like this usually get made at {company}?",
    "Walk me through what happens between you saying yes and a signed contract.",
];

pub(crate) const REP_ASK_DECISION_CLOSED: Bank = &[
    "Are you the one who signs off on this?",
    "Would procurement need to be involved?",
    "Does your CFO need to approve something like this?",
];

pub(crate) const CUSTOMER_DECISION: Bank = &[
    "It would be me and {colleague_first}, our {colleague_title}. {colleague_first} owns the budget.",
    "Anything over fifty thousand needs our CFO to sign off, and procurement gets involved too.",
    "Security will want to review it, and legal will need to look at the contract.",
    "I make the recommendation, but {colleague_first} has the final say.",
    "Usually we run a short evaluation with two vendors, and then present to the leadership team.",
];

pub(crate) const CUSTOMER_DECISION_SHORT: Bank =
    &["Yes, it's my budget.", "Procurement, yes, unfortunately.", "Not me alone, no.", "Ultimately, yes."];

pub(crate) const REP_ASK_TIMELINE_OPEN: Bank = &[
    "What's your timeline for getting something in place?",
    "When would you ideally want to be up and running?",
    "How are you thinking about timing for this?",
];

pub(crate) const REP_ASK_TIMELINE_CLOSED: Bank = &[
    "Is this something you'd want live this quarter?",
    "Is there a hard deadline?",
    "Is there a date you're working towards?",
];

pub(crate) const CUSTOMER_TIMELINE_FIRM: Bank = &[
    "We want this live before {month}, when the new fiscal year starts.",
    "Ideally by the end of {quarter}. We're planning next year's budget then, and I want real numbers.",
    "Our sales kickoff is in {month}, and I'd love to show the new funnel there.",
    "As soon as possible, really. {month} at the latest.",
];

pub(crate) const CUSTOMER_TIMELINE_VAGUE: Bank = &[
    "No hard date, honestly. Sometime this year.",
    "We're not in a rush. We're still figuring out what we need.",
    "Hard to say. It depends on a few other projects.",
    "Probably not before {month}, maybe later.",
];

pub(crate) const REP_ASK_BUDGET_OPEN: Bank =
    &["How are you thinking about budget for this?", "How does budget usually work for a project like this?"];

pub(crate) const REP_ASK_BUDGET_CLOSED: Bank = &[
    "Do you have budget set aside for this?",
    "Is this something you've budgeted for this year?",
    "Is there budget approved already?",
];

pub(crate) const CUSTOMER_BUDGET_YES: Bank = &[
    "Yes, we set aside budget for this in the plan.",
    "There's budget. {colleague_first} made sure of that when we did planning.",
    "We have budget for a tool like this, as long as it's in a sensible range.",
];

pub(crate) const CUSTOMER_BUDGET_NO: Bank = &[
    "To be honest, there's no budget this year.",
    "We don't have budget for a new tool until the next fiscal year.",
    "Budgets are frozen right now, so I'd have to make a very good case. There's no budget for it today.",
    "Honestly, there's no budget for this. We'd have to find the money somewhere.",
    "There's no budget this year, we spent it all on the {crm} migration.",
];

pub(crate) const CUSTOMER_BUDGET_DEPENDS: Bank = &[
    "It depends on the number. We'd need to build a business case.",
    "Some, but it's not a lot. I'd need to see numbers first.",
    "We'll find it if the case is strong enough.",
];

pub(crate) const REP_HANDLE_BUDGET: Bank = &[
    "Understood. A lot of our customers fund it from the savings on paid channels. The {roi} helps make that case, and I can send it over.",
    "That's fair. Would it help if we built the business case together?",
    "Got it. When does your next budget cycle start?",
    "Okay. Let's keep talking anyway, so you're ready when the budget opens up.",
];

/// The rep's short pitch, said in this order; talkers say more of it.
pub(crate) const PITCH: Bank = &[
    "So, a little about us. Rapport sits between marketing and sales.",
    "It tracks every lead from the first touch to the closed deal, including what happens after the handoff.",
    "Reps accept or reject leads with a reason, so marketing finally gets feedback it can use.",
    "You can see how fast each rep follows up, and which leads breach the SLA.",
    "It also listens to sales calls, so you can see which pains, objections and competitors come up, in won and in lost deals.",
    "And it all runs on your own servers, so no customer data ever leaves your network.",
    "Attribution is built in: first touch, last touch, linear and W-shaped, all from the same data.",
    "We import from {crm} out of the box, so there's no big migration.",
    "Most teams are up and running in a couple of weeks.",
    "The whole point is one funnel that sales and marketing both believe.",
];

#[cfg(test)]
pub(crate) const EXCHANGES: &[(&str, &[Exchange])] = &[
    ("DEEPENING", DEEPENING),
    ("ROLE_FOLLOW_UPS", ROLE_FOLLOW_UPS),
    ("CURRENT_SETUP", CURRENT_SETUP),
    ("HANDLE_CURRENT", HANDLE_CURRENT),
    ("TECH_STACK", TECH_STACK),
    ("METRICS", METRICS),
    ("PAST_ATTEMPTS", PAST_ATTEMPTS),
];

#[cfg(test)]
pub(crate) const BANKS: &[(&str, Bank)] = &[
    ("REP_ROLE_OPEN", REP_ROLE_OPEN),
    ("REP_ROLE_CLOSED", REP_ROLE_CLOSED),
    ("CUSTOMER_ROLE_SHORT", CUSTOMER_ROLE_SHORT),
    ("CUSTOMER_ROLE_OPENERS", CUSTOMER_ROLE_OPENERS),
    ("CUSTOMER_ROLE_DETAILS", CUSTOMER_ROLE_DETAILS),
    ("REP_PROCESS_OPEN", REP_PROCESS_OPEN),
    ("REP_PROCESS_CLOSED", REP_PROCESS_CLOSED),
    ("CUSTOMER_PROCESS_SHORT", CUSTOMER_PROCESS_SHORT),
    ("CUSTOMER_PROCESS", CUSTOMER_PROCESS),
    ("CUSTOMER_ELABORATIONS", CUSTOMER_ELABORATIONS),
    ("REP_SUMMARIES", REP_SUMMARIES),
    ("CUSTOMER_CONFIRMS_SUMMARY", CUSTOMER_CONFIRMS_SUMMARY),
    ("REP_ASK_GOALS", REP_ASK_GOALS),
    ("CUSTOMER_GOALS", CUSTOMER_GOALS),
    ("REP_PAIN_INVITES", REP_PAIN_INVITES),
    ("REP_PAIN_INVITES_CLOSED", REP_PAIN_INVITES_CLOSED),
    ("CUSTOMER_CONFIRMS", CUSTOMER_CONFIRMS),
    ("REP_EMPATHY", REP_EMPATHY),
    ("REP_MORE_PAINS", REP_MORE_PAINS),
    ("REP_ASK_COMPETITION_OPEN", REP_ASK_COMPETITION_OPEN),
    ("REP_ASK_COMPETITION_CLOSED", REP_ASK_COMPETITION_CLOSED),
    ("CUSTOMER_COMPETITOR_EVALUATING", CUSTOMER_COMPETITOR_EVALUATING),
    ("CUSTOMER_COMPETITOR_DETAILS", CUSTOMER_COMPETITOR_DETAILS),
    ("CUSTOMER_NO_COMPETITOR", CUSTOMER_NO_COMPETITOR),
    ("CUSTOMER_INCUMBENT", CUSTOMER_INCUMBENT),
    ("REP_COMPETITOR_RESPONSES", REP_COMPETITOR_RESPONSES),
    ("HAPPY_WITH_CURRENT", HAPPY_WITH_CURRENT),
    ("REP_ASK_DECISION_OPEN", REP_ASK_DECISION_OPEN),
    ("REP_ASK_DECISION_CLOSED", REP_ASK_DECISION_CLOSED),
    ("CUSTOMER_DECISION", CUSTOMER_DECISION),
    ("CUSTOMER_DECISION_SHORT", CUSTOMER_DECISION_SHORT),
    ("REP_ASK_TIMELINE_OPEN", REP_ASK_TIMELINE_OPEN),
    ("REP_ASK_TIMELINE_CLOSED", REP_ASK_TIMELINE_CLOSED),
    ("CUSTOMER_TIMELINE_FIRM", CUSTOMER_TIMELINE_FIRM),
    ("CUSTOMER_TIMELINE_VAGUE", CUSTOMER_TIMELINE_VAGUE),
    ("REP_ASK_BUDGET_OPEN", REP_ASK_BUDGET_OPEN),
    ("REP_ASK_BUDGET_CLOSED", REP_ASK_BUDGET_CLOSED),
    ("CUSTOMER_BUDGET_YES", CUSTOMER_BUDGET_YES),
    ("CUSTOMER_BUDGET_NO", CUSTOMER_BUDGET_NO),
    ("CUSTOMER_BUDGET_DEPENDS", CUSTOMER_BUDGET_DEPENDS),
    ("REP_HANDLE_BUDGET", REP_HANDLE_BUDGET),
    ("PITCH", PITCH),
];

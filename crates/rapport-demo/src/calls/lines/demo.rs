//! The demo: sharing the screen, walking through the product's parts with the buyer's
//! questions, integrations, security and compliance, and the features the product lacks.

use super::{Bank, Exchange, Feature};

pub(crate) const REP_SHARE_SCREEN: Bank = &[
    "Let me share my screen. Can you see it okay?",
    "Okay, I'm sharing now. You should see the funnel dashboard.",
    "Give me a second to share. There we go, can you see that?",
    "I'll share my screen now. Tell me if the text is too small.",
];

pub(crate) const CUSTOMER_SEES_SCREEN: Bank = &[
    "Yes, I can see it.",
    "Yep, all good.",
    "It's a bit small. Can you zoom in? Okay, that's better.",
    "Yes, loud and clear.",
];

/// The rep playing back the discovery call before the demo.
pub(crate) const REP_DEMO_RECAPS: Bank = &[
    "Just to recap what I heard last time: {pain_short}, and also {pain2_short}. Did I get that right?",
    "Before we dive in, let me make sure I remember this right. The big issues were {pain_short} and {pain2_short}. Is that still where it hurts?",
    "So last time we talked mostly about {pain_short}. Anything you'd add to that?",
];

pub(crate) const CUSTOMER_UPDATES: Bank = &[
    "Yes, that's right. And since we spoke, {colleague_first} asked me to look at attribution too.",
    "Mostly, yes. The first one has actually gotten worse since we last talked.",
    "That's it. Nothing much has changed, except that we've started planning next year.",
    "Yes. And I'd add that our reps are asking for better leads, loudly.",
    "Pretty much. We had another rough pipeline review last week, so it's top of mind.",
];

/// What a rep says while clicking through the product.
pub(crate) const DEMO_NARRATION: Bank = &[
    "Let me click into this one.",
    "Bear with me, it's loading.",
    "So if I filter this down to last quarter, you see it change right away.",
    "I'm using demo data here, but it works the same with yours.",
    "Let me zoom in a bit so you can see the numbers.",
    "If I hover over this bar, you get the exact counts.",
    "And everything here is clickable, so you can always get to the people behind a number.",
];

/// What a rep adds after explaining a view, the more the more talkative.
pub(crate) const FEATURE_ELABORATIONS: Bank = &[
    "And that's all out of the box, no custom setup.",
    "Customers tell us this is the screen they open every morning.",
    "It's the same data everywhere, so the numbers always match.",
    "We built this together with a few customers who had exactly your problem.",
    "And you can share any of these views with a link.",
    "It takes about a minute to set up for a new team.",
    "Managers usually pin this one to their home screen.",
];

/// A rep asking how what they just showed fits the buyer's world.
pub(crate) const REP_FIT_QUESTIONS: Bank = &[
    "How would that fit the way your team works today?",
    "What would that change for you, in practice?",
    "Where would you see that helping first?",
    "How does that compare to what you do today?",
];

pub(crate) const CUSTOMER_FIT_ANSWERS: Bank = &[
    "It would fit quite well, actually. Today we do the same thing by hand once a month, so having it live would change the rhythm completely.",
    "Honestly, it would save my ops person most of a week every month. And it would end a few arguments.",
    "I could see the sales managers using that in their one-on-ones. Right now they don't have anything like it.",
    "The first place would be the Monday pipeline meeting. That meeting is basically us reconciling spreadsheets.",
    "It's close to what we do, but we do it with three tools and a lot of patience.",
    "I think {colleague_first} would use it more than me, to be honest. It answers the questions that come from the board.",
    "It would help with the new reps most. They have no idea which leads to call first.",
];

/// How the buyer's team would use the product.
pub(crate) const USE_CASES: &[Exchange] = &[
    ("Who on your team would use this day to day?", "Me and my ops person, every day. The sales managers weekly, and {colleague_first} once a month for the board deck."),
    ("Which view would you look at first on a Monday morning?", "The SLA view, honestly. That's the fire I fight every week."),
    ("How would this change your weekly pipeline meeting?", "We'd stop arguing about the numbers and start talking about the deals. That alone would be worth it."),
    ("What would you show {colleague_first} first?", "Attribution. That's the question {colleague_first} asks me every single month."),
];

/// What the rep says when moving to the next part of the product.
pub(crate) const REP_NEXT_FEATURE: Bank = &[
    "Okay, let me show you something else.",
    "Moving on, because I think you'll like this next part.",
    "Let's switch over to another view.",
    "Now, the next thing I want to show you ties back to what you said earlier.",
    "Okay. Next up.",
];

#[rustfmt::skip]
pub(crate) const FEATURES: [Feature; 6] = [
    Feature {
        walkthrough: &[
            "This is the funnel view. Every lead, from the first touch to the closed deal, on one page.",
            "Each bar is a stage, and you can see the conversion between stages for any date range.",
            "If I click on the MQL stage, you see how many leads sales accepted, how many they rejected, and why.",
            "Rejections carry a reason and a note, so you can see that, say, purchased lists get rejected as junk most of the time.",
            "And you can split all of this by source, campaign, industry or company size.",
            "This cohort view shows, for each month's leads, how many turned into pipeline later on.",
            "Here you can see the time in each stage, so you know where leads sit and wait.",
            "And this line is pipeline created, in dollars, by the source that brought the lead in.",
        ],
        open: &[
            ("How does it decide when a lead counts as accepted?", "When the rep accepts it, in Rapport or in {crm}. And we keep the full history, so nothing is ever overwritten."),
            ("What happens when a rep never responds to a lead?", "It stays in the MQL stage and shows up as a breach of the SLA, so the manager sees it the same day."),
            ("How far back can we look at the history?", "As far back as your data goes. We backfill from {crm} when you import."),
            ("How would our sales managers use this view?", "Most look at the rejection reasons every week, per source, and send the patterns back to marketing. It turns the handoff into a conversation."),
        ],
        closed: &[
            ("Can we change the rejection reasons to match ours?", "Yes, the reasons are configurable, and so are the filters."),
            ("Can I filter that by region?", "Yes, by anything on the lead or the account."),
            ("Does this update in real time?", "It does. As soon as the data changes, there's no overnight batch."),
            ("Can we see the people behind each number?", "Yes, every number is a list you can click into, down to the single lead and its history."),
        ],
    },
    Feature {
        walkthrough: &[
            "Here's the SLA view. For every rep, you see the time from the handoff to the first touch.",
            "Green is within the SLA, red is a breach. You can set the SLA per team.",
            "This rep here answers in under an hour on average. This one takes almost two days, and you can see his acceptance rate is lower too.",
            "Managers get a daily list of the leads that are about to breach.",
            "If I click on a breach, I get the lead, the rep, and every touch before and after the handoff.",
            "Over time you see the trend per rep, so coaching conversations are about facts, not feelings.",
            "And leads that nobody touches at all show up here, so they can't quietly disappear anymore.",
        ],
        open: &[
            ("How do you measure the first touch?", "It's the first call, email or meeting the rep logs after the handoff. We read those from {crm}."),
            ("What do managers usually do with this?", "Most use it in the weekly pipeline meeting. The slow reps speed up pretty quickly once it's visible."),
            ("How do you decide what the SLA should be?", "Most teams start at twenty-four business hours, look at the numbers for a month, and then tighten it."),
        ],
        closed: &[
            ("Does it count weekends?", "No, business hours only. A lead that comes in on Friday evening isn't a breach on Saturday."),
            ("Can it alert the rep in {chat}?", "Yes, there's an alert in {chat}, and a daily digest for the managers."),
        ],
    },
    Feature {
        walkthrough: &[
            "This is attribution. Pick a model, and you see which campaigns drove pipeline and revenue.",
            "Here it's W-shaped: credit for the first touch, the lead creation and the opportunity, and the rest spread in between.",
            "Switch to first touch, and you see a very different story for paid social, for example.",
            "Every number adds up to the cent, so finance can reconcile it with {crm}.",
            "You can also look at it by channel, so you see what paid search really contributes compared to webinars.",
            "And this is the same view for won revenue instead of pipeline, which is usually the one the CFO asks for.",
            "Everything is computed from the raw touches, so you can always explain a number down to the person.",
        ],
        open: &[
            ("How do you handle people who come in through several campaigns?", "Every touch counts, and the model decides how the credit is split. You can compare models side by side."),
            ("Which model do your customers usually pick?", "Most start with W-shaped, because both teams can live with it."),
        ],
        closed: &[
            ("Can we include offline events?", "Yes, events and webinars come in as touches like everything else."),
            ("Can we export this to {warehouse}?", "Yes. There's an API and CSV exports, so {warehouse} is easy."),
            ("Does it reconcile with what finance reports?", "It does. Revenue comes from the closed deals, so the totals match {crm} to the cent."),
        ],
    },
    Feature {
        walkthrough: &[
            "Now the part people usually like most: calls.",
            "Every sales call is transcribed on your own servers, so the audio never leaves your network.",
            "Then we track what comes up: competitors, pricing, objections, next steps.",
            "Here, for example, you can see which competitors come up in deals we lost versus deals we won.",
            "And marketing can search every call for a phrase, and jump to the exact moment it was said.",
            "You also get talk ratio and the longest monologue per rep, which managers use for coaching.",
            "Here's a call from last week. The transcript scrolls with the audio, and the topics are marked along the timeline.",
            "And for marketing, this is the voice of the customer view: the pains buyers mention, by segment, with the exact quotes.",
        ],
        open: &[
            ("How accurate is the transcription?", "It uses Whisper models running locally. Accuracy is very good on clear audio, and you can add your product and competitor names so it gets them right."),
            ("How does it know which speaker is the rep?", "From the recording's channels when you have them, otherwise by matching the names to your users."),
            ("What do marketers actually do with this?", "Most use it for messaging: which pains to lead with, and which objections to answer in content."),
        ],
        closed: &[
            ("Does it work with {meeting_tool}?", "Yes, you can import {meeting_tool} transcripts directly, or send us the recording."),
            ("Can we add our own keywords?", "Yes, trackers are just a list of phrases. You can add your own in a minute."),
            ("Does it handle accents well?", "Pretty well, yes. We have customers across Europe and Asia using it every day."),
            ("Can we search across all calls?", "Yes. Search any phrase, filter by rep, account or outcome, and jump straight to the moment."),
        ],
    },
    Feature {
        walkthrough: &[
            "This is scoring. Instead of points for clicks, the score learns from which leads actually became deals.",
            "You can see why a lead scored high: it visited pricing twice, it's a VP at a mid-sized company, and a colleague is already in an opportunity.",
            "And when sales rejects a lead, the model learns from that too.",
            "You set the threshold for the handoff, and you can see what a change would have done last quarter before you make it.",
            "Reps see the score and the reasons right in the lead list, so they know who to call first.",
            "And marketing sees which campaigns bring high scores, not just high volumes.",
        ],
        open: &[
            ("How long does it take to learn from our data?", "With a year of history, it's useful from day one. With less, it starts from sensible defaults and improves every month."),
            ("What if we don't have much history?", "Then we start with the rules you have today, and let the model take over as the data grows."),
            ("How does it explain a score to a rep?", "Every score lists the signals behind it, so a rep sees why a lead is hot before they call."),
        ],
        closed: &[
            ("Can we override the score?", "Yes, you can always override it, and the override is logged."),
            ("Can we keep our current model running alongside it?", "Sure. A lot of teams run both for a quarter and compare."),
        ],
    },
    Feature {
        walkthrough: &[
            "This view shows which content shows up in deals.",
            "For example, buyers who read the case studies close at about twice the rate of those who don't.",
            "And because we listen to calls, you can see which pieces reps actually mention to customers.",
            "Here's the list, ranked by influence on won deals. The case studies are at the top, which is pretty typical.",
            "And this column shows pieces nobody reads after the first week, which is useful when you plan next quarter's content.",
            "You can filter all of it by segment, so you know what works for enterprise buyers versus smaller teams.",
        ],
        open: &[
            ("How do you know a rep mentioned a piece of content?", "We match the titles in the call transcripts, so when a rep names a case study, it counts."),
            ("Which content types work best for your customers?", "Case studies and the {roi}, by a long way."),
        ],
        closed: &[
            ("Does it track the PDFs we send by email?", "If the link goes through your website, yes."),
            ("Can we tag content by funnel stage?", "Yes, every item has a funnel stage: top, middle or bottom."),
            ("Can we see which content a specific deal touched?", "Yes. Open the deal, and you see every piece its buying team read, and every one the rep mentioned on a call."),
        ],
    },
];

pub(crate) const INTEGRATIONS: &[Exchange] = &[
    ("Does it integrate with {crm}?", "Yes, there's a {crm} import out of the box, field mapping included."),
    ("Can we get the data out into {warehouse}?", "Yes. There's a full API and CSV exports, so {warehouse} is easy. Most customers schedule a nightly export."),
    ("How does the data get in? Is it an API, or a file import?", "Both. An API for live data, and file imports for the history."),
    ("Does it work with {meeting_tool} recordings?", "It does. You can bring in {meeting_tool} transcripts as they are, or the recordings themselves."),
    ("Can it sync the lead status back to {crm}?", "Writing back to {crm} is on the roadmap. Today the status lives in Rapport, and you can export it."),
    ("What does the integration with {chat} look like?", "Alerts and digests go to {chat}, and you can choose the channel per team."),
];

pub(crate) const SECURITY: &[Exchange] = &[
    ("Are you SOC 2 compliant?", "Rapport runs on your own infrastructure, so your own controls apply. We'll share the {security_doc} and our latest pen test report under NDA."),
    ("Where is the data stored?", "In your own database, in your own network. There's nothing for us to access."),
    ("Can we run it on our own servers?", "Yes, that's the only way it runs. One binary, with SQLite or PostgreSQL."),
    ("How do you handle GDPR deletion requests?", "A deletion request is a single command, and it removes the person everywhere, calls included."),
    ("Is the data encrypted at rest?", "That's handled by your database and your disks, with your own keys."),
    ("What happens to the call recordings? Do they go to a third party for transcription?", "No. The transcription runs locally, on your machines. No audio goes to a third party."),
    ("Do you support single sign-on with {idp}?", "Single sign-on with {idp} is supported, yes."),
    ("Who at Rapport can access our data?", "Nobody. It never leaves your network, so there's nothing for us to see."),
    ("Can we get a copy of your latest penetration test?", "Yes. I'll send it with our {security_doc}, which answers most of the standard questionnaire."),
    ("How do you handle personal data in the transcripts, like phone numbers?", "Emails, phone numbers and card numbers are redacted in the stored transcripts by default."),
];

/// The rep's overview before a security review, said in order.
pub(crate) const ARCHITECTURE: Bank = &[
    "Let me give you the two-minute version of the architecture first.",
    "Rapport is a single binary that you run on your own servers.",
    "It stores everything in SQLite on a single node, or in PostgreSQL when you want to scale out.",
    "Transcription runs on the same machines, with Whisper models on the CPU, or a GPU if you have one.",
    "Workers pick up jobs from a queue in the database, so you can add machines as the volume grows.",
    "Nothing calls home. There's no telemetry and no cloud component.",
    "People sign in through your identity provider, and API access uses tokens that you can revoke at any time.",
];

/// What the rep adds after a security answer, the more the more talkative.
pub(crate) const SECURITY_ELABORATIONS: Bank = &[
    "We have customers in banking and healthcare who run it exactly that way.",
    "And your team keeps full control of upgrades, too.",
    "Everything is logged, so your auditors can see who looked at what.",
    "The install guide covers this step by step. It usually takes an afternoon.",
    "Happy to get our engineers on a call with your team if you want to go deeper.",
];

/// An IT person's technical follow-ups.
pub(crate) const TECHNICAL_FOLLOW_UPS: &[Exchange] = &[
    ("How are backups handled in that case?", "Like any other database you run: your backup policy applies. Most customers take a snapshot every night."),
    ("What does an upgrade look like?", "You replace one binary and restart. The database migrations run on start, and they're checksummed."),
    ("What are the hardware requirements?", "A small server is plenty for most teams. Transcription wants a few more cores, or a GPU if you have one."),
    ("Can we restrict who sees call recordings?", "Yes, access follows roles: reps see their own calls, managers see their team's."),
    ("How does it authenticate API clients?", "With bearer tokens. We only store a hash of each token, and they can be revoked any time."),
    ("Do you log access to personal data?", "Yes, reads and changes are logged, and the logs never contain tokens or passwords."),
    ("Can it run in our Kubernetes cluster?", "Yes. It's one container, and PostgreSQL can be your managed instance."),
    ("What happens if the server goes down mid-transcription?", "The job is picked up again when it comes back. Nothing is lost, and nothing is written twice."),
];

pub(crate) const EXPERT_INTRODUCTIONS: Bank = &[
    "Hi, I'm {expert_first}. I look after security and IT here.",
    "Hi, {expert_first} here. I've got a list, so bear with me.",
    "Hello. {expert_first}, I run our infrastructure team.",
];

pub(crate) const EXPERT_FOLLOW_UPS: Bank = &[
    "Okay, that's good to hear.",
    "That makes my life easier, honestly.",
    "I'll need that in writing for our vendor review.",
    "Good. That was my main worry.",
    "Fine. We'd run it on PostgreSQL, then.",
    "Okay, noted.",
];

pub(crate) const FEATURE_GAPS: [&str; 7] = [
    "forecasting by rep",
    "a native mobile app",
    "multi-currency reporting",
    "territory management",
    "custom objects",
    "account-level scoring",
    "a two-way CRM sync",
];

pub(crate) const CUSTOMER_FEATURE_GAP_QUESTIONS: Bank = &[
    "Does it do {feature_gap}?",
    "One thing we really need is {feature_gap}. Is that supported?",
    "How do you handle {feature_gap}?",
    "What about {feature_gap}? That's important for {colleague_first}.",
];

pub(crate) const REP_FEATURE_GAP_ANSWERS: Bank = &[
    "Not today, I'll be honest. It's on our roadmap for later this year.",
    "That's not something we support yet. A few customers work around it with exports.",
    "Not out of the box. I can check with product on the timeline.",
];

pub(crate) const CUSTOMER_FEATURE_GAP_BLOCKERS: Bank = &[
    "That's a big one for us, to be honest.",
    "Hmm. Without that, it's going to be a hard sell internally.",
    "Okay. That might be a deal breaker.",
    "That's a problem. {colleague_first} specifically asked about that.",
];

pub(crate) const CUSTOMER_FEATURE_GAP_SHRUGS: Bank = &[
    "Okay, it's not a must-have. Just nice to have.",
    "Fair enough, we can live without it for now.",
    "No worries, we can work around that.",
];

pub(crate) const CUSTOMER_COMPETITOR_COMPARISONS: Bank = &[
    "{competitor} showed us something similar last week. How is yours different?",
    "How does this compare to {competitor}?",
    "{competitor} had a nicer dashboard for this, I have to say.",
    "This is where {competitor} felt stronger to me.",
];

pub(crate) const REP_COMPARISON_ANSWERS: Bank = &[
    "The big difference is that this all runs on your own servers, calls included. {competitor} sends everything to their cloud.",
    "Fair point. Where we're different is the handoff: {competitor} stops at the MQL, we follow the lead to the closed deal.",
    "I'd say try both on your own data. We're happy to do a two-week pilot.",
];

#[cfg(test)]
pub(crate) const BANKS: &[(&str, Bank)] = &[
    ("REP_SHARE_SCREEN", REP_SHARE_SCREEN),
    ("CUSTOMER_SEES_SCREEN", CUSTOMER_SEES_SCREEN),
    ("REP_NEXT_FEATURE", REP_NEXT_FEATURE),
    ("REP_DEMO_RECAPS", REP_DEMO_RECAPS),
    ("CUSTOMER_UPDATES", CUSTOMER_UPDATES),
    ("DEMO_NARRATION", DEMO_NARRATION),
    ("ARCHITECTURE", ARCHITECTURE),
    ("FEATURE_ELABORATIONS", FEATURE_ELABORATIONS),
    ("REP_FIT_QUESTIONS", REP_FIT_QUESTIONS),
    ("CUSTOMER_FIT_ANSWERS", CUSTOMER_FIT_ANSWERS),
    ("SECURITY_ELABORATIONS", SECURITY_ELABORATIONS),
    ("EXPERT_INTRODUCTIONS", EXPERT_INTRODUCTIONS),
    ("EXPERT_FOLLOW_UPS", EXPERT_FOLLOW_UPS),
    ("CUSTOMER_FEATURE_GAP_QUESTIONS", CUSTOMER_FEATURE_GAP_QUESTIONS),
    ("REP_FEATURE_GAP_ANSWERS", REP_FEATURE_GAP_ANSWERS),
    ("CUSTOMER_FEATURE_GAP_BLOCKERS", CUSTOMER_FEATURE_GAP_BLOCKERS),
    ("CUSTOMER_FEATURE_GAP_SHRUGS", CUSTOMER_FEATURE_GAP_SHRUGS),
    ("CUSTOMER_COMPETITOR_COMPARISONS", CUSTOMER_COMPETITOR_COMPARISONS),
    ("REP_COMPARISON_ANSWERS", REP_COMPARISON_ANSWERS),
];

#[cfg(test)]
pub(crate) const EXCHANGES: &[(&str, &[Exchange])] = &[
    ("INTEGRATIONS", INTEGRATIONS),
    ("SECURITY", SECURITY),
    ("TECHNICAL_FOLLOW_UPS", TECHNICAL_FOLLOW_UPS),
    ("USE_CASES", USE_CASES),
];

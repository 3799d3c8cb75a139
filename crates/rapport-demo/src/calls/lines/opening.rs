//! The edges and the glue of every call: greetings, small talk, agendas, acknowledgements,
//! reactions, backchannels, fillers and goodbyes.

use super::{Bank, Exchange};

pub(crate) const GREETINGS: &[Exchange] = &[
    (
        "Hi {customer_first}, thanks for making the time today.",
        "Of course, happy to. Thanks for setting it up.",
    ),
    (
        "Hi {customer_first}, thanks for making the time today.",
        "No problem at all. Sorry I'm a couple of minutes late, my last meeting ran over.",
    ),
    (
        "Hey {customer_first}, good to see you. Can you hear me okay?",
        "Hi {rep_first}, yes, I can hear you fine.",
    ),
    (
        "Hey {customer_first}, good to see you. Can you hear me okay?",
        "Yes, all good on my end. Can you hear me?",
    ),
    ("Good {part_of_day}, {customer_first}! How are you doing?", "Doing well, thanks. How about you?"),
    ("Good {part_of_day}, {customer_first}! How are you doing?", "Good, good. Busy, but good. And you?"),
    (
        "Hi {customer_first}, it's {rep_first} from Rapport. Thanks for joining.",
        "Hi {rep_first}, good to meet you.",
    ),
    (
        "Hello {customer_first}, nice to finally meet you.",
        "Likewise! Give me one second, let me close the door. Okay, I'm here.",
    ),
    (
        "Hi there, {customer_first}. Can you hear me all right?",
        "Hi, yes. Sorry, my camera's playing up today, so it's audio only.",
    ),
    (
        "Hey {customer_first}, thanks for jumping on. How's your {weekday} going?",
        "Not bad, thanks. It's been a full day already. How's yours?",
    ),
];

pub(crate) const GREETINGS_AGAIN: &[Exchange] = &[
    ("Hi {customer_first}, good to see you again.", "Hi {rep_first}, likewise."),
    (
        "Hey {customer_first}, thanks for joining again.",
        "Of course. Sorry, just give me a second to find my notes. Okay, ready.",
    ),
    (
        "Good {part_of_day}, {customer_first}. Hope your week's going well.",
        "It is, thanks. Busy, but going well. You?",
    ),
    ("Hi {customer_first}! Nice to talk again so soon.", "Yes, good to see you, {rep_first}."),
    (
        "Hey {customer_first}, thanks for making time again. How have things been since we spoke?",
        "Pretty hectic, to be honest, but good.",
    ),
];

/// A rep's answer when the buyer asks back how they are.
pub(crate) const REP_FINE: Bank = &[
    "I'm good, thanks for asking.",
    "Doing great, thanks.",
    "All good here, thank you.",
    "Can't complain. Thanks!",
];

pub(crate) const REP_WELCOME_GUEST: Bank = &[
    "I see {guest_first} has joined too. Welcome!",
    "Hi {guest_first}, thanks for joining us.",
    "And {guest_first}, great to have you here as well.",
];

pub(crate) const GUEST_HELLOS: Bank = &[
    "Hi, thanks for having me.",
    "Hi everyone. I'm mostly here to listen.",
    "Hello! {customer_first} told me a lot about this, so I'm curious.",
];

pub(crate) const SMALL_TALK: &[Exchange] = &[
    ("How's the weather over in {city}?", "It's been grey and rainy all week, so nothing new there."),
    ("How's the weather over in {city}?", "Sunny for once! I'm trying to enjoy it while it lasts."),
    ("How has your week been so far?", "Busy, as always. Three days of back-to-back meetings."),
    ("How has your week been so far?", "Honestly, it's been a long week, and it's only {weekday}."),
    ("Did you have a good weekend?", "Pretty good, actually. We took the kids to the lake."),
    ("Did you have a good weekend?", "Quiet, which was exactly what I needed."),
    (
        "Are things busy on your side with the end of the quarter coming up?",
        "Very. Everyone's heads down on pipeline, so thanks for keeping this short.",
    ),
    (
        "Are things busy on your side with the end of the quarter coming up?",
        "Busy. We're planning next quarter, so lots of spreadsheets.",
    ),
    (
        "I see you're based in {city}. I was there for a conference last year. Do you like it there?",
        "I love it. Apart from the traffic, maybe.",
    ),
    ("How long have you been at {company} now?", "About {tenure} years now. Time flies."),
    ("Is it a busy {weekday} for you?", "Oh, it's {weekday}, so it's chaos, but the good kind of chaos."),
    (
        "Are you working from the office today or from home?",
        "From home today. The office is being renovated, so it's a bit of a building site.",
    ),
    (
        "Are you working from the office today or from home?",
        "The office. We try to be in on {weekday}s, so the team sees each other.",
    ),
];

pub(crate) const REP_SMALL_TALK_REPLIES: Bank = &[
    "Ha, I know that feeling.",
    "That sounds like a lot.",
    "Oh nice, that sounds fun.",
    "Same here, honestly.",
    "Well, hopefully this will be one of the better meetings of your day.",
    "Fair enough. I'll try to keep this useful, then.",
    "Ha, I'll take your word for it.",
];

pub(crate) const REP_AGENDA_DISCOVERY: Bank = &[
    "So, the plan for today. I'd love to learn a bit about you and the team, how leads get from marketing to sales today, and where it hurts. Then, if it makes sense, I can show you a little of what we do. Does that sound okay?",
    "I've got us down for thirty minutes. My goal is mostly to listen: understand your setup and your priorities, and then see together whether a proper demo is worth your time. Sound good?",
    "Here's what I was thinking for today. You tell me what prompted you to reach out, I ask a few questions, and we figure out whether we're a fit. If we are, we'll book a demo. How does that sound?",
    "Before I say anything about Rapport, I'd like to understand your world a bit. Is it okay if I start with a few questions?",
];

pub(crate) const REP_AGENDA_DEMO: Bank = &[
    "So today I'd like to show you the product, focused on what you told me last time about {pain_short}. I'll keep it interactive, so stop me any time. Does that work?",
    "Last time you mentioned {pain_short}, and also {pain2_short}. So I built the demo around those two. Before I share my screen, has anything changed since we spoke?",
    "The plan today is a walkthrough of the product, about thirty minutes, and then time for questions and next steps. Jump in whenever you like.",
    "I'd like to spend most of the time in the product today, and leave ten minutes at the end for next steps. Does that work for you?",
];

pub(crate) const REP_AGENDA_TECHNICAL: Bank = &[
    "Thanks for joining, {expert_first}. Today is all about your questions on security, hosting and integrations. I'll keep the slides to a minimum.",
    "I understand you have a list of questions from your security team, so let's just go through them one by one.",
    "The goal today is to get your technical questions answered, so that nothing blocks the evaluation later. {expert_first}, do you want to lead?",
];

pub(crate) const REP_AGENDA_NEGOTIATION: Bank = &[
    "Thanks for getting together again. I wanted to walk through the proposal I sent, answer any questions, and agree on how we get this done.",
    "So you've had the proposal for a few days now. I'd love to hear your reaction and see where we are.",
    "Today I'd like to go through the commercials and the timeline, and make sure nothing is blocking us.",
    "I know you wanted to talk numbers today, so let's do that. Where did you land on the proposal?",
];

pub(crate) const CUSTOMER_AGREES: Bank = &[
    "Sounds good.",
    "Yeah, that works.",
    "Perfect, let's do it.",
    "Works for me. I've got a hard stop at the top of the hour, though.",
    "Sure, go ahead.",
    "That's fine by me.",
    "Yes, sounds like a plan.",
];

/// What a rep says before moving on from what the buyer just said.
pub(crate) const REP_ACKNOWLEDGEMENTS: Bank = &[
    "Got it.",
    "That makes sense.",
    "Okay.",
    "Right.",
    "Interesting.",
    "Thanks, that's helpful.",
    "I hear that a lot.",
    "Understood.",
    "Okay, good to know.",
    "That's really helpful context.",
    "Okay, that's clear.",
];

pub(crate) const BACKCHANNELS: Bank =
    &["Mm-hmm.", "Right.", "Yeah.", "Okay.", "Sure.", "Uh-huh.", "Got it.", "Yep."];

/// Openings a speaker puts before a sentence now and then.
pub(crate) const FILLERS: Bank =
    &["Um, ", "So, ", "Uh, ", "You know, ", "I mean, ", "So, um, ", "Yeah, so ", "Well, "];

pub(crate) const POSITIVE_REACTIONS: Bank = &[
    "Oh, that's really nice.",
    "That's exactly what we're missing.",
    "Okay, that would save us a lot of time.",
    "I like that a lot.",
    "Wow, that's cool.",
    "That's great. {colleague_first} is going to love that.",
    "Oh nice, that's so much better than what we have.",
    "That's impressive, honestly.",
    "Okay, that's really useful.",
    "That would make my Mondays a lot easier.",
];

pub(crate) const NEGATIVE_REACTIONS: Bank = &[
    "Hmm, I'm not sure that would work for us.",
    "That looks a bit complicated, to be honest.",
    "I'm worried our reps just won't use it.",
    "Okay. That's a concern for us.",
    "Honestly, that's a little disappointing.",
    "I don't know, it feels like a lot of setup.",
    "That's not really how we work, though.",
    "Hmm. I was hoping for something simpler.",
];

pub(crate) const NEUTRAL_REACTIONS: Bank =
    &["Okay.", "I see.", "Got it, okay.", "Right, makes sense.", "Okay, interesting.", "Mm, okay."];

/// What talkative reps say before their question.
pub(crate) const REP_PREAMBLES: Bank = &[
    "The reason I ask is that most teams we talk to have the same blind spot, and it usually shows up right here.",
    "I ask everyone this, because the answer tells me a lot about where the real problem is.",
    "We see this a lot with companies your size, so I'm curious how it looks for you.",
    "Let me give you some context first. We work with a lot of revenue teams, and the ones that struggle usually struggle in the same places.",
    "So, this is where it gets interesting, at least for me.",
    "I'll be honest, this next one is my favourite question.",
];

/// Stories talkative reps tell.
pub(crate) const REP_ANECDOTES: Bank = &[
    "We had a customer last year in exactly the same spot. They were doing everything in spreadsheets, and within two months they had one funnel everybody agreed on.",
    "I hear this a lot. Honestly, nine out of ten teams we talk to say the same thing.",
    "That reminds me of a call I had last week with a team about your size. Same problem, same arguments every quarter, and the same tools, actually.",
    "You know, when I was a rep myself, this drove me crazy too. Nobody ever told us why a lead was good or bad.",
    "One of our customers told me their pipeline meeting went from two hours to forty minutes, just because everyone was finally looking at the same numbers.",
];

/// A listener inviting the buyer to say more.
pub(crate) const REP_TELL_ME_MORE: Bank = &[
    "Tell me more about that.",
    "Interesting. Why that one first?",
    "Say more?",
    "What makes that the priority?",
    "How so?",
];

/// A rep checking in after explaining something.
pub(crate) const REP_CHECK_INS: Bank = &[
    "Does that make sense so far?",
    "How does that compare to how you do it today?",
    "Is that the kind of thing you were looking for?",
    "What's your reaction to that?",
    "Would that work for your team?",
    "Any questions on that before I move on?",
    "How would your reps feel about that?",
];

pub(crate) const REP_WRAP_UPS: Bank = &[
    "Thanks so much for your time today, {customer_first}. Talk soon.",
    "This was really helpful. Thanks, {customer_first}, and have a great rest of your {weekday}.",
    "Great. Thanks again, I'll send the recap in a bit.",
    "Thanks, {customer_first}. Enjoy the rest of your day.",
    "Okay, I'll let you go. Thanks again, {customer_first}.",
];

pub(crate) const CUSTOMER_WRAP_UPS: Bank = &[
    "Thanks, {rep_first}. Talk soon.",
    "Thank you, bye.",
    "Great, thanks. Bye now.",
    "Thanks, you too. Bye.",
    "Cheers, speak soon.",
    "Thanks, {rep_first}, this was helpful. Bye.",
];

#[cfg(test)]
pub(crate) const EXCHANGES: &[(&str, &[Exchange])] =
    &[("GREETINGS", GREETINGS), ("GREETINGS_AGAIN", GREETINGS_AGAIN), ("SMALL_TALK", SMALL_TALK)];

#[cfg(test)]
pub(crate) const BANKS: &[(&str, Bank)] = &[
    ("REP_FINE", REP_FINE),
    ("REP_WELCOME_GUEST", REP_WELCOME_GUEST),
    ("GUEST_HELLOS", GUEST_HELLOS),
    ("REP_SMALL_TALK_REPLIES", REP_SMALL_TALK_REPLIES),
    ("REP_AGENDA_DISCOVERY", REP_AGENDA_DISCOVERY),
    ("REP_AGENDA_DEMO", REP_AGENDA_DEMO),
    ("REP_AGENDA_TECHNICAL", REP_AGENDA_TECHNICAL),
    ("REP_AGENDA_NEGOTIATION", REP_AGENDA_NEGOTIATION),
    ("CUSTOMER_AGREES", CUSTOMER_AGREES),
    ("REP_ACKNOWLEDGEMENTS", REP_ACKNOWLEDGEMENTS),
    ("BACKCHANNELS", BACKCHANNELS),
    ("FILLERS", FILLERS),
    ("POSITIVE_REACTIONS", POSITIVE_REACTIONS),
    ("NEGATIVE_REACTIONS", NEGATIVE_REACTIONS),
    ("NEUTRAL_REACTIONS", NEUTRAL_REACTIONS),
    ("REP_CHECK_INS", REP_CHECK_INS),
    ("REP_PREAMBLES", REP_PREAMBLES),
    ("REP_ANECDOTES", REP_ANECDOTES),
    ("REP_TELL_ME_MORE", REP_TELL_ME_MORE),
    ("REP_WRAP_UPS", REP_WRAP_UPS),
    ("CUSTOMER_WRAP_UPS", CUSTOMER_WRAP_UPS),
];

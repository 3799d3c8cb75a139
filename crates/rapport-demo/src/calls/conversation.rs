//! Building a call's turns: sentences picked from banks (never the same one twice in a call
//! while the bank has others), slots filled, fillers sprinkled, and the rep's talk style
//! deciding how long the rep goes on and how open the questions are.

use std::collections::HashSet;

use rand::Rng;

use crate::calls::lines::opening::{
    FILLERS, NEGATIVE_REACTIONS, NEUTRAL_REACTIONS, POSITIVE_REACTIONS, REP_ACKNOWLEDGEMENTS, REP_ANECDOTES,
    REP_CHECK_INS, REP_PREAMBLES,
};
use crate::calls::lines::{Bank, Exchange};
use crate::calls::slots::Slots;
use crate::rng::{between, chance, DemoRng};
use crate::story::TalkStyle;

/// Who speaks, by position in the cast: the rep first, then the buyer the call is with,
/// then anyone else on the buyer's side.
pub(crate) const REP: usize = 0;
pub(crate) const BUYER: usize = 1;

/// One speaker turn: everything said before someone else spoke.
#[derive(Debug, Clone)]
pub(crate) struct Turn {
    pub speaker: usize,
    pub text: String,
}

/// How the buyer's side behaves on this deal's calls.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mood {
    /// Share of reactions that are positive; the rest split between neutral and negative.
    pub positivity: f64,
    /// Scales how much the buyer says when asked an open question.
    pub engagement: f64,
}

#[derive(Debug)]
pub(crate) struct Conversation {
    pub rng: DemoRng,
    pub slots: Slots,
    pub style: &'static TalkStyle,
    pub mood: Mood,
    /// Chance per sentence of a filler, by speaker.
    pub fillers: Vec<f64>,
    pub turns: Vec<Turn>,
    /// The buyer evaluates no competitor, so nobody names one.
    pub no_competitor: bool,
    /// Sentences already said, so a call rarely repeats itself.
    used: HashSet<&'static str>,
}

impl Conversation {
    pub(crate) fn new(
        rng: DemoRng,
        slots: Slots,
        style: &'static TalkStyle,
        mood: Mood,
        fillers: Vec<f64>,
    ) -> Self {
        Self {
            rng,
            slots,
            style,
            mood,
            fillers,
            turns: Vec::new(),
            no_competitor: false,
            used: HashSet::new(),
        }
    }

    pub(crate) fn chance(&mut self, probability: f64) -> bool {
        chance(&mut self.rng, probability)
    }

    /// Whether someone other than the main buyer is on the buyer's side of the call.
    pub(crate) fn has_guest(&self) -> bool {
        self.fillers.len() > 2
    }

    /// The buyer, or now and then the guest when one is on the call.
    pub(crate) fn buyer_side(&mut self, guest_share: f64) -> usize {
        if self.has_guest() && self.chance(guest_share) {
            2
        } else {
            BUYER
        }
    }

    /// Whether a sentence may be said: none naming a competitor when the buyer has none.
    fn allowed(&self, sentence: &str) -> bool {
        !(self.no_competitor && sentence.contains("{competitor"))
    }

    /// A sentence from `bank` not yet said in this call, while the bank has one left.
    fn pick(&mut self, bank: Bank) -> &'static str {
        let allowed: Vec<&'static str> = bank.iter().copied().filter(|s| self.allowed(s)).collect();
        let fresh: Vec<&'static str> = allowed.iter().copied().filter(|s| !self.used.contains(s)).collect();
        let choices = if fresh.is_empty() { allowed } else { fresh };
        match choices.len() {
            0 => bank[self.rng.gen_range(0..bank.len())],
            n => choices[self.rng.gen_range(0..n)],
        }
    }

    /// `who` says a sentence from `bank`.
    pub(crate) fn say(&mut self, who: usize, bank: Bank) {
        let sentence = self.pick(bank);
        self.say_exactly(who, sentence);
    }

    /// `who` says `template`, appended to their turn when they were speaking already.
    pub(crate) fn say_exactly(&mut self, who: usize, template: &'static str) {
        self.used.insert(template);
        // A sentence that opens with "So" or "Well" has its filler already.
        let opens_loosely =
            ["So ", "So,", "Well", "Okay", "Um", "Uh"].iter().any(|w| template.starts_with(w));
        let filler =
            if !opens_loosely && self.chance(self.fillers[who]) { Some(self.pick_filler()) } else { None };
        let continuing = self.turns.last().is_some_and(|turn| turn.speaker == who);
        if !continuing {
            self.turns.push(Turn { speaker: who, text: String::new() });
        }
        let Some(turn) = self.turns.last_mut() else { return };
        if continuing {
            turn.text.push(' ');
        }
        let start = turn.text.len();
        self.slots.fill_into(template, &mut turn.text);
        if let Some(filler) = filler {
            if !template.starts_with('{') {
                lower_first_word(&mut turn.text, start);
            }
            turn.text.insert_str(start, filler);
        }
    }

    fn pick_filler(&mut self) -> &'static str {
        FILLERS[self.rng.gen_range(0..FILLERS.len())]
    }

    pub(crate) fn rep(&mut self, bank: Bank) {
        self.say(REP, bank);
    }

    pub(crate) fn buyer(&mut self, bank: Bank) {
        self.say(BUYER, bank);
    }

    /// How many sentences the rep says where a typical rep says `typical`: talkers say more.
    pub(crate) fn rep_length(&mut self, typical: f64) -> usize {
        let scaled = typical * self.style.verbosity * between(&mut self.rng, 0.7, 1.3);
        scaled.round().max(1.0) as usize
    }

    /// The rep says the first sentences of `bank` not said yet, in order, as many as their
    /// style makes them.
    pub(crate) fn rep_in_order(&mut self, bank: Bank, typical: f64) {
        let count = self.rep_length(typical);
        let unsaid: Vec<&'static str> =
            bank.iter().copied().filter(|s| !self.used.contains(s)).take(count).collect();
        for sentence in unsaid {
            self.say_exactly(REP, sentence);
        }
    }

    /// The rep asks an open or a closed question, as their style leans, talkers with a
    /// preamble; returns whether open.
    pub(crate) fn rep_asks(&mut self, open: Bank, closed: Bank) -> bool {
        if self.chance((self.style.verbosity - 0.5).max(0.0) / 2.5) {
            self.rep(REP_PREAMBLES);
        }
        let is_open = self.chance(self.style.open_questions);
        self.rep(if is_open { open } else { closed });
        is_open
    }

    /// The buyer answers: at length to an open question (more when engaged), briefly to a
    /// closed one, sometimes adding a detail.
    pub(crate) fn buyer_answers(&mut self, open: bool, short: Bank, details: Bank) {
        let count = if open {
            (between(&mut self.rng, 1.8, 4.0) * self.mood.engagement).round().max(1.0) as usize
        } else {
            self.buyer(short);
            usize::from(self.chance(0.35 * self.mood.engagement))
        };
        for _ in 0..count {
            self.buyer(details);
        }
    }

    /// A question and its answer from a table, a question not yet asked while there is one:
    /// `asker` asks, `answerer` answers. Returns the answer.
    pub(crate) fn exchange(
        &mut self,
        asker: usize,
        answerer: usize,
        table: &'static [Exchange],
    ) -> &'static str {
        let allowed: Vec<Exchange> =
            table.iter().copied().filter(|(q, a)| self.allowed(q) && self.allowed(a)).collect();
        let fresh: Vec<Exchange> = allowed.iter().copied().filter(|(q, _)| !self.used.contains(q)).collect();
        let choices = if fresh.is_empty() { allowed } else { fresh };
        let (question, answer) = match choices.len() {
            0 => table[self.rng.gen_range(0..table.len())],
            n => choices[self.rng.gen_range(0..n)],
        };
        self.say_exactly(asker, question);
        self.say_exactly(answerer, answer);
        answer
    }

    /// A talkative rep tells a story of their own after the buyer spoke.
    pub(crate) fn rep_anecdote(&mut self) {
        if self.chance(self.style.verbosity / 4.0) {
            self.rep(REP_ANECDOTES);
        }
    }

    /// The rep acknowledges what the buyer just said, more often the more they listen.
    pub(crate) fn acknowledge(&mut self) {
        let buyer_spoke = self.turns.last().is_some_and(|turn| turn.speaker != REP);
        if buyer_spoke && self.chance(0.4 + 0.4 * self.style.open_questions) {
            self.rep(REP_ACKNOWLEDGEMENTS);
        }
    }

    /// `who` reacts to what they just heard, as the deal's mood has it.
    pub(crate) fn react(&mut self, who: usize) {
        let draw: f64 = self.rng.gen();
        let bank = if draw < self.mood.positivity {
            POSITIVE_REACTIONS
        } else if draw < self.mood.positivity + (1.0 - self.mood.positivity) / 2.0 {
            NEUTRAL_REACTIONS
        } else {
            NEGATIVE_REACTIONS
        };
        self.say(who, bank);
    }

    /// After explaining something, a rep who checks in asks and the buyer reacts.
    pub(crate) fn check_in(&mut self) {
        if self.chance(self.style.check_ins) {
            self.rep(REP_CHECK_INS);
            self.react(BUYER);
        }
    }
}

/// Lower-cases the first letter at `start` so a filler can go in front ("So, we use…"),
/// unless it opens "I", an acronym or the product's name.
fn lower_first_word(text: &mut String, start: usize) {
    let word = text[start..].split(|c: char| !c.is_alphanumeric() && c != '\'').next().unwrap_or("");
    let keeps_capital = word == "I"
        || word.starts_with("I'")
        || word == "Rapport"
        || word.chars().filter(char::is_ascii_uppercase).count() > 1;
    if keeps_capital {
        return;
    }
    if let Some(first) = text[start..].chars().next().filter(char::is_ascii_uppercase) {
        text.replace_range(start..start + 1, &first.to_ascii_lowercase().to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{stream, Stream};
    use crate::story::TALK_STYLES;

    fn conversation(style: usize) -> Conversation {
        let mood = Mood { positivity: 0.5, engagement: 1.0 };
        let mut slots = Slots::placeholders();
        slots.customer_first = "Ana".into();
        Conversation::new(stream(1, Stream::CallScripts, 0), slots, &TALK_STYLES[style], mood, vec![0.0; 2])
    }

    #[test]
    fn a_speaker_keeps_the_turn_until_someone_else_speaks() {
        let mut call = conversation(0);
        call.say_exactly(REP, "Hi {customer_first}.");
        call.say_exactly(REP, "How are you?");
        call.say_exactly(BUYER, "Fine.");
        let turns: Vec<(usize, &str)> = call.turns.iter().map(|t| (t.speaker, t.text.as_str())).collect();
        assert_eq!(turns, [(REP, "Hi Ana. How are you?"), (BUYER, "Fine.")]);
    }

    #[test]
    fn fillers_go_in_front_and_names_keep_their_capital() {
        let mut call = conversation(0);
        call.fillers = vec![1.0, 1.0];
        call.say_exactly(BUYER, "{customer_first} here.");
        assert!(call.turns[0].text.ends_with(", Ana here.") || call.turns[0].text.ends_with(" Ana here."));
    }

    #[test]
    fn fillers_go_in_front_of_ordinary_words_only() {
        let check = |text: &str, expected: &str| {
            let mut text = text.to_owned();
            lower_first_word(&mut text, 0);
            assert_eq!(text, expected);
        };
        check("We use it.", "we use it.");
        check("I think so.", "I think so.");
        check("I'm not sure.", "I'm not sure.");
        check("Perfect, let's do it.", "perfect, let's do it.");
        check("MQL counts are up.", "MQL counts are up.");
        check("Rapport runs locally.", "Rapport runs locally.");
        check("Honestly, yes.", "honestly, yes.");
    }

    #[test]
    fn talkers_say_more_than_listeners() {
        let total = |style| {
            let mut call = conversation(style);
            (0..200).map(|_| call.rep_length(2.0)).sum::<usize>()
        };
        // Style 0 is the listener, style 1 the monologuer.
        assert!(total(1) > 4 * total(0), "{} vs {}", total(1), total(0));
    }

    #[test]
    fn a_bank_is_not_repeated_while_it_has_fresh_sentences() {
        let mut call = conversation(0);
        let bank: Bank = &["One.", "Two.", "Three."];
        for _ in 0..3 {
            call.say(BUYER, bank);
        }
        let mut said: Vec<&str> = call.turns[0].text.split(' ').collect();
        said.sort_unstable();
        assert_eq!(said, ["One.", "Three.", "Two."]);
    }
}

//! What people say on the demo's calls: banks of interchangeable sentences with `{slots}`
//! (`{customer_first}`, `{competitor}`, `{next_when}` …) that [`super::slots`] fills per call.
//! Each bank holds ways of making one move in a conversation (a greeting, an open question
//! about the process, a price objection), so a call is a path of moves and every call words
//! its moves differently. Objection banks keep their key words ("expensive", "no budget",
//! "happy with", "not a priority") so keyword trackers can find them, while the discount asks
//! vary their wording for trackers that learn from examples.

pub(crate) mod deal;
pub(crate) mod demo;
pub(crate) mod discovery;
pub(crate) mod opening;

/// Interchangeable sentences for one move.
pub(crate) type Bank = &'static [&'static str];

/// Something a buyer struggles with, told across a discovery call: the statement, the rep's
/// follow-ups with the details that make it concrete, and a short name reps repeat later.
#[derive(Debug)]
pub(crate) struct Pain {
    pub short: &'static str,
    pub statements: Bank,
    pub exchanges: &'static [Exchange],
}

/// A question and the answer that goes with it.
pub(crate) type Exchange = (&'static str, &'static str);

/// A part of the product shown in a demo: the rep's walkthrough (said in order), and the
/// buyer's open and closed questions about it with the rep's answers.
#[derive(Debug)]
pub(crate) struct Feature {
    pub walkthrough: Bank,
    pub open: &'static [Exchange],
    pub closed: &'static [Exchange],
}

/// Every bank, named, for the checks that each is filled and fillable.
#[cfg(test)]
pub(crate) fn all_banks() -> Vec<(&'static str, Bank)> {
    let mut banks = Vec::new();
    banks.extend(opening::BANKS.iter().copied());
    banks.extend(discovery::BANKS.iter().copied());
    banks.extend(demo::BANKS.iter().copied());
    banks.extend(deal::BANKS.iter().copied());
    for pain in discovery::PAINS.iter() {
        banks.push(("pain", pain.statements));
    }
    banks
}

/// Every question-and-answer table, named, for the same checks.
#[cfg(test)]
pub(crate) fn all_exchanges() -> Vec<(&'static str, &'static [Exchange])> {
    let mut tables = demo::EXCHANGES.to_vec();
    tables.extend(opening::EXCHANGES.iter().copied());
    tables.extend(discovery::EXCHANGES.iter().copied());
    tables.extend(deal::EXCHANGES.iter().copied());
    tables.extend(discovery::PAINS.iter().map(|pain| ("pain", pain.exchanges)));
    for feature in demo::FEATURES.iter() {
        tables.extend([("feature", feature.open), ("feature", feature.closed)]);
    }
    tables
}

//! An overlapping Aho-Corasick search that walks several pieces of the haystack at once.
//!
//! A DFA search is one chain of dependent table loads, a few cycles per byte however small
//! the automaton; on a one-hour call that chain was a third of the trackers' time. Cut the
//! haystack at places no match spans (the matcher's sentence boundaries), and the pieces'
//! chains are independent: interleaved in one loop, the processor runs them side by side.
//! The matches are those of `AhoCorasick::find_overlapping_iter`, in the same order.

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::Anchored;

/// Pieces walked at once: enough to hide a load's latency, few enough that the tails (where
/// pieces differ in length) stay short.
const LANES: usize = 4;

/// One match: its pattern and where it starts and ends in the haystack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub pattern: usize,
    pub start: usize,
    pub end: usize,
}

/// Every match of `dfa` (built for unanchored, standard-semantics search) in `haystack`, by
/// end and, at one end, in the automaton's order, as an overlapping search reports them.
/// `cuts` are ascending offsets at which the haystack may be cut: no match may start before
/// one and end after it, and the automaton's state there must not depend on what came before
/// (true when no pattern contains the bytes around the cut, as no pattern holds two spaces).
pub(crate) fn find_overlapping(dfa: &DFA, haystack: &[u8], cuts: &[usize]) -> Vec<Found> {
    let mut bounds = [haystack.len(); LANES + 1];
    bounds[0] = 0;
    for lane in 1..LANES {
        // The first cut at or after an equal share, so pieces are about equal.
        let share = haystack.len() * lane / LANES;
        let cut = cuts.get(cuts.partition_point(|cut| *cut < share)).copied().unwrap_or(haystack.len());
        bounds[lane] = cut.clamp(bounds[lane - 1], haystack.len());
    }
    let start = dfa.start_state(Anchored::No).expect("the DFA supports unanchored search");
    let mut states = [start; LANES];
    let mut found: [Vec<Found>; LANES] = Default::default();
    let common = (0..LANES).map(|lane| bounds[lane + 1] - bounds[lane]).min().unwrap_or(0);
    for step in 0..common {
        for lane in 0..LANES {
            let at = bounds[lane] + step;
            states[lane] = dfa.next_state(Anchored::No, states[lane], haystack[at]);
            if dfa.is_special(states[lane]) {
                push_matches(dfa, states[lane], at + 1, &mut found[lane]);
            }
        }
    }
    for lane in 0..LANES {
        let tail_start = bounds[lane] + common;
        for (at, &byte) in (tail_start..).zip(&haystack[tail_start..bounds[lane + 1]]) {
            states[lane] = dfa.next_state(Anchored::No, states[lane], byte);
            if dfa.is_special(states[lane]) {
                push_matches(dfa, states[lane], at + 1, &mut found[lane]);
            }
        }
    }
    found.concat()
}

/// The matches of a special state (without a prefilter, a match state or the dead state,
/// which an unanchored search never reaches) that end at `end`. Kept out of the search loop,
/// which it would crowd out of registers.
#[inline(never)]
fn push_matches(dfa: &DFA, state: aho_corasick::automaton::StateID, end: usize, found: &mut Vec<Found>) {
    if !dfa.is_match(state) {
        return;
    }
    for index in 0..dfa.match_len(state) {
        let pattern = dfa.match_pattern(state, index);
        let start = end - dfa.pattern_len(pattern);
        found.push(Found { pattern: pattern.as_usize(), start, end });
    }
}

#[cfg(test)]
mod tests {
    use aho_corasick::{AhoCorasick, MatchKind};

    use super::*;

    /// The lanes find what the crate's own overlapping search finds, in the same order,
    /// wherever the cuts fall among the double spaces.
    #[test]
    fn lanes_equal_one_overlapping_search() {
        let patterns = [" a ", " a b ", " b", " b a ", " ab", " a b a b ", " b b "];
        let dfa = DFA::builder().match_kind(MatchKind::Standard).prefilter(false).build(patterns).unwrap();
        let reference = AhoCorasick::new(patterns).unwrap();
        let mut seed: u64 = 0x1a2e;
        for case in 0..300 {
            let mut haystack = String::new();
            let mut cuts = Vec::new();
            for _ in 0..case % 40 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                // A sentence of one to four words, each followed by a space.
                cuts.push(haystack.len());
                haystack.push(' ');
                for word in 0..1 + seed % 4 {
                    haystack.push_str(["a", "b", "ab", "ba"][(seed >> (8 * word)) as usize % 4]);
                    haystack.push(' ');
                }
            }
            let expected: Vec<Found> = reference
                .find_overlapping_iter(&haystack)
                .map(|m| Found { pattern: m.pattern().as_usize(), start: m.start(), end: m.end() })
                .collect();
            assert_eq!(find_overlapping(&dfa, haystack.as_bytes(), &cuts), expected, "{haystack:?}");
            // No cuts: one lane does all the work.
            assert_eq!(find_overlapping(&dfa, haystack.as_bytes(), &[]), expected, "{haystack:?}");
        }
    }
}

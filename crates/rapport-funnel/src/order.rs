//! The input orders the single pass relies on: walked, verified on the way, and restored when
//! a caller hands over rows in another order.
//!
//! The stores deliver people by id, events by (person, at, sequence) and touches by
//! (person, at), and the report walks them side by side. A million people's facts are hundreds
//! of megabytes, so the order is checked during the walk rather than in a pass of its own; input
//! found out of order (a hand-built fixture, a future backend) is sorted into a copy and walked
//! again, so the figures stay right, only slower.

use std::borrow::Cow;

use rapport_domain::{PersonFact, PersonId, StageFact, TouchFact};

/// A copy sorted by `key` (stable, so equal keys keep their order).
pub(crate) fn sorted_copy<T: Clone, K: Ord>(items: &[T], key: impl Fn(&T) -> K) -> Vec<T> {
    let mut sorted = items.to_vec();
    sorted.sort_by_key(|item| key(item));
    sorted
}

/// `items` itself when already sorted by `key`, else a sorted copy; for inputs small enough that
/// a separate check costs nothing worth saving.
pub(crate) fn in_order<T: Clone, K: Ord>(items: &[T], key: impl Fn(&T) -> K) -> Cow<'_, [T]> {
    if items.windows(2).all(|pair| key(&pair[0]) <= key(&pair[1])) {
        Cow::Borrowed(items)
    } else {
        Cow::Owned(sorted_copy(items, key))
    }
}

pub(crate) fn event_key(event: &StageFact) -> (PersonId, rapport_domain::Timestamp, i64) {
    (event.person_id, event.at, event.sequence)
}

pub(crate) fn touch_key(touch: &TouchFact) -> (PersonId, rapport_domain::Timestamp) {
    (touch.person_id, touch.at)
}

/// Finds the rows of one person in rows sorted by person, for people asked in ascending order:
/// a merge walk that also checks every adjacent pair it steps over is in order.
#[derive(Debug)]
pub(crate) struct Cursor<'a, T> {
    items: &'a [T],
    position: usize,
    person_of: fn(&T) -> PersonId,
    in_order: fn(&T, &T) -> bool,
    ordered: bool,
}

impl<'a, T> Cursor<'a, T> {
    pub fn new(items: &'a [T], person_of: fn(&T) -> PersonId, in_order: fn(&T, &T) -> bool) -> Self {
        Cursor { items, position: 0, person_of, in_order, ordered: true }
    }

    fn step(&mut self) {
        if let [current, next, ..] = &self.items[self.position..] {
            self.ordered &= (self.in_order)(current, next);
        }
        self.position += 1;
    }

    /// The rows of `person` (empty when there are none). `person` must not decrease between
    /// calls.
    pub fn rows_of(&mut self, person: PersonId) -> &'a [T] {
        let person_of = self.person_of;
        while self.position < self.items.len() && person_of(&self.items[self.position]) < person {
            self.step();
        }
        let start = self.position;
        while self.position < self.items.len() && person_of(&self.items[self.position]) == person {
            self.step();
        }
        &self.items[start..self.position]
    }

    /// Checks the rest of the rows; whether all of them were in order.
    pub fn finish(mut self) -> bool {
        while self.position < self.items.len() {
            self.step();
        }
        self.ordered
    }
}

/// Finds people by id in people known to be sorted, for ids asked in ascending order: galloping
/// from the last hit touches a few nearby rows instead of binary-searching the whole slice, which
/// on a million rows meant a cache miss at every step.
#[derive(Debug)]
pub(crate) struct Gallop<'a> {
    people: &'a [PersonFact],
    position: usize,
}

impl<'a> Gallop<'a> {
    pub fn new(people: &'a [PersonFact]) -> Self {
        Gallop { people, position: 0 }
    }

    pub fn find(&mut self, person: PersonId) -> Option<&'a PersonFact> {
        let people = self.people;
        let mut low = self.position;
        let mut step = 1;
        while low + step < people.len() && people[low + step].person_id < person {
            low += step;
            step *= 2;
        }
        let high = (low + step + 1).min(people.len());
        self.position = low + people[low..high].partition_point(|p| p.person_id < person);
        people.get(self.position).filter(|p| p.person_id == person)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use rapport_domain::Stage;

    fn event(person: i64, hour: u32, sequence: i64) -> StageFact {
        StageFact {
            person_id: PersonId(person),
            at: Utc.with_ymd_and_hms(2024, 1, 1, hour, 0, 0).unwrap(),
            to: Stage::Lead,
            reason: None,
            note: None,
            owner: None,
            sequence,
        }
    }

    fn cursor(events: &[StageFact]) -> Cursor<'_, StageFact> {
        Cursor::new(events, |e| e.person_id, |a, b| event_key(a) <= event_key(b))
    }

    #[test]
    fn cursor_walks_runs_and_skips_people_without_rows() {
        let events = vec![event(1, 1, 1), event(1, 2, 2), event(3, 0, 3), event(5, 0, 4)];
        let mut cursor = cursor(&events);
        assert_eq!(cursor.rows_of(PersonId(1)).len(), 2);
        assert_eq!(cursor.rows_of(PersonId(2)).len(), 0);
        assert_eq!(cursor.rows_of(PersonId(3)).len(), 1);
        assert!(cursor.finish());
    }

    #[test]
    fn cursor_notices_rows_out_of_order_even_when_not_asked_for_them() {
        let events = vec![event(1, 2, 2), event(1, 1, 1), event(3, 0, 3)];
        let mut early = cursor(&events);
        early.rows_of(PersonId(1));
        assert!(!early.finish());
        let late = vec![event(1, 1, 1), event(4, 0, 2), event(3, 0, 3)];
        let mut cursor = cursor(&late);
        cursor.rows_of(PersonId(1));
        assert!(!cursor.finish());
    }

    #[test]
    fn gallop_finds_people_in_ascending_order() {
        let people: Vec<PersonFact> = (0..100)
            .map(|i| PersonFact {
                person_id: PersonId(i * 2),
                created_at: Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap(),
                source: None,
                campaign: None,
                owner: None,
                industry: None,
                employees: None,
            })
            .collect();
        let mut gallop = Gallop::new(&people);
        let found: Vec<_> = [-1, 0, 0, 3, 4, 90, 151, 198, 199, 500]
            .into_iter()
            .map(|id| gallop.find(PersonId(id)).map(|p| p.person_id.0))
            .collect();
        assert_eq!(found, vec![None, Some(0), Some(0), None, Some(4), Some(90), None, Some(198), None, None]);
    }
}

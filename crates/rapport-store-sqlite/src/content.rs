//! [`ContentStore`] and [`AccountStore`] for SQLite: the compact rows of the content report
//! and an account's people and deals.

use std::collections::HashMap;

use rapport_domain::{AccountId, CallId, ContentId, Opportunity, UserId};
use rusqlite::TransactionBehavior;

use rapport_store::analysis::AnalysisFilter;
use rapport_store::content::{ContentCallFacts, ContentMention};
use rapport_store::{AccountStore, ContentStore, PersonView, StoreError};

use crate::convert::{millis, outcome, time, OrDatabaseError};
use crate::reads::{for_each_row, opportunities_where, person_view, PERSON_VIEW};
use crate::SqliteStore;

impl ContentStore for SqliteStore {
    fn content_call_facts(&self, filter: &AnalysisFilter) -> Result<Vec<ContentCallFacts>, StoreError> {
        let mut connection = self.pool.get()?;
        // One snapshot, so a call analysed between the two reads cannot lose its mentions.
        let snapshot = connection.transaction_with_behavior(TransactionBehavior::Deferred).or_db()?;
        let (from, to) = (filter.from.map(millis), filter.to.map(millis));
        let mut facts = Vec::new();
        for_each_row(
            &snapshot,
            "SELECT c.id, c.started_at, c.rep_id, o.outcome
             FROM call_analyses a JOIN calls c ON c.id = a.call_id
             LEFT JOIN opportunities o ON o.id = c.opportunity_id
             WHERE (?1 IS NULL OR c.started_at >= ?1) AND (?2 IS NULL OR c.started_at < ?2)
             ORDER BY c.started_at, c.id",
            &[&from, &to],
            |row| {
                facts.push(ContentCallFacts {
                    call: CallId(row.get(0).or_db()?),
                    started_at: time(row.get(1).or_db()?)?,
                    rep: row.get::<_, Option<i64>>(2).or_db()?.map(UserId),
                    outcome: row.get::<_, Option<String>>(3).or_db()?.as_deref().map(outcome).transpose()?,
                    mentions: Vec::new(),
                });
                Ok(())
            },
        )?;
        let position: HashMap<i64, usize> = facts.iter().enumerate().map(|(i, f)| (f.call.0, i)).collect();
        for_each_row(
            &snapshot,
            "SELECT m.call_id, m.content_id, m.label
             FROM call_content_mentions m JOIN calls c ON c.id = m.call_id
             WHERE (?1 IS NULL OR c.started_at >= ?1) AND (?2 IS NULL OR c.started_at < ?2)
             ORDER BY m.call_id, m.utterance_idx, m.time_ms, m.label",
            &[&from, &to],
            |row| {
                let call: i64 = row.get(0).or_db()?;
                if let Some(&i) = position.get(&call) {
                    facts[i].mentions.push(ContentMention {
                        content: row.get::<_, Option<i64>>(1).or_db()?.map(ContentId),
                        label: row.get(2).or_db()?,
                    });
                }
                Ok(())
            },
        )?;
        Ok(facts)
    }
}

impl AccountStore for SqliteStore {
    fn account_people(&self, account: AccountId, limit: u32) -> Result<Vec<PersonView>, StoreError> {
        let connection = self.pool.get()?;
        // SQLite reads a negative limit as no limit.
        let limit = if limit == 0 { -1 } else { i64::from(limit) };
        let sql = format!("{PERSON_VIEW} WHERE p.account_id = ?1 ORDER BY p.id LIMIT ?2");
        let mut people = Vec::new();
        for_each_row(&connection, &sql, &[&account.0, &limit], |row| {
            people.push(person_view(&connection, row)?);
            Ok(())
        })?;
        Ok(people)
    }

    fn account_opportunities(&self, account: AccountId) -> Result<Vec<Opportunity>, StoreError> {
        let connection = self.pool.get()?;
        let mut deals = Vec::new();
        opportunities_where(
            &connection,
            "o.account_id = ?1 ORDER BY o.created_at DESC, o.id DESC",
            &[&account.0],
            &mut |deal| {
                deals.push(deal);
                Ok(())
            },
        )?;
        Ok(deals)
    }
}

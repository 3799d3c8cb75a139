//! [`ContentStore`] and [`AccountStore`] for PostgreSQL: the compact rows of the content report
//! and an account's people and deals.

use std::collections::HashMap;

use rapport_domain::{AccountId, CallId, ContentId, Opportunity, UserId};

use rapport_store::analysis::AnalysisFilter;
use rapport_store::content::{ContentCallFacts, ContentMention};
use rapport_store::{AccountStore, ContentStore, PersonView, StoreError};

use crate::connection::Transaction;
use crate::convert::{get, millis, outcome, time};
use crate::reads::{collect, opportunities_where, person_view, PERSON_VIEW};
use crate::PostgresStore;

impl ContentStore for PostgresStore {
    fn content_call_facts(&self, filter: &AnalysisFilter) -> Result<Vec<ContentCallFacts>, StoreError> {
        let mut connection = self.pool.get()?;
        // One snapshot, so a call analysed between the two reads cannot lose its mentions.
        let mut snapshot =
            Transaction::begin(&mut connection, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
        let (from, to) = (filter.from.map(millis), filter.to.map(millis));
        let mut facts = Vec::new();
        snapshot.for_each_row(
            "SELECT c.id, c.started_at, c.rep_id, o.outcome
             FROM call_analyses a JOIN calls c ON c.id = a.call_id
             LEFT JOIN opportunities o ON o.id = c.opportunity_id
             WHERE ($1::bigint IS NULL OR c.started_at >= $1) AND ($2::bigint IS NULL OR c.started_at < $2)
             ORDER BY c.started_at, c.id",
            &[&from, &to],
            |row| {
                facts.push(ContentCallFacts {
                    call: CallId(get(row, 0)?),
                    started_at: time(get(row, 1)?)?,
                    rep: get::<Option<i64>>(row, 2)?.map(UserId),
                    outcome: get::<Option<String>>(row, 3)?.as_deref().map(outcome).transpose()?,
                    mentions: Vec::new(),
                });
                Ok(())
            },
        )?;
        let position: HashMap<i64, usize> = facts.iter().enumerate().map(|(i, f)| (f.call.0, i)).collect();
        snapshot.for_each_row(
            "SELECT m.call_id, m.content_id, m.label
             FROM call_content_mentions m JOIN calls c ON c.id = m.call_id
             WHERE ($1::bigint IS NULL OR c.started_at >= $1) AND ($2::bigint IS NULL OR c.started_at < $2)
             ORDER BY m.call_id, m.utterance_idx, m.time_ms, m.label",
            &[&from, &to],
            |row| {
                let call: i64 = get(row, 0)?;
                if let Some(&i) = position.get(&call) {
                    facts[i].mentions.push(ContentMention {
                        content: get::<Option<i64>>(row, 1)?.map(ContentId),
                        label: get(row, 2)?,
                    });
                }
                Ok(())
            },
        )?;
        snapshot.commit()?;
        Ok(facts)
    }
}

impl AccountStore for PostgresStore {
    fn account_people(&self, account: AccountId, limit: u32) -> Result<Vec<PersonView>, StoreError> {
        let mut connection = self.pool.get()?;
        // PostgreSQL reads LIMIT NULL as no limit.
        let limit = (limit > 0).then(|| i64::from(limit));
        let sql = format!("{PERSON_VIEW} WHERE p.account_id = $1 ORDER BY p.id LIMIT $2");
        collect(&mut connection, &sql, &[&account.0, &limit], person_view)
    }

    fn account_opportunities(&self, account: AccountId) -> Result<Vec<Opportunity>, StoreError> {
        let mut connection = self.pool.get()?;
        let mut deals = Vec::new();
        opportunities_where(
            &mut connection,
            "o.account_id = $1 ORDER BY o.created_at DESC, o.id DESC",
            &[&account.0],
            &mut |deal| {
                deals.push(deal);
                Ok(())
            },
        )?;
        Ok(deals)
    }
}

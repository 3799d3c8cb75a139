//! Opportunity upserts, and the lifecycle events a deal gives its primary contact
//! (`opportunity` at creation, `customer` or `lost` at close), deduplicated per deal.

use rapport_domain::OpportunityRecord;
use rusqlite::{params, OptionalExtension};

use rapport_store::{RowRejection, RowResult, StoreError, UpsertOutcome};

use crate::convert::{millis, OrDatabaseError};
use crate::lifecycle;
use crate::people::{same_integer, same_text};
use crate::write::SqliteWriteTx;

pub(crate) fn upsert_opportunity(
    tx: &mut SqliteWriteTx<'_>,
    row: &OpportunityRecord,
) -> Result<RowResult, StoreError> {
    if row.external_id.trim().is_empty() {
        return Ok(Err(RowRejection::new("external_id", "an opportunity needs the CRM's id")));
    }
    let primary_id = match &row.primary_contact {
        None => None,
        Some(contact) => match tx.person_id(contact.as_str())? {
            Some(id) => Some(id),
            None => {
                let message = format!("no person with email {contact}; import people first");
                return Ok(Err(RowRejection::new("primary_contact", message)));
            }
        },
    };
    let mut contact_ids = Vec::with_capacity(row.contacts.len());
    for contact in &row.contacts {
        match tx.person_id(contact.as_str())? {
            Some(id) => contact_ids.push(id),
            None => {
                let message = format!("no person with email {contact}; import people first");
                return Ok(Err(RowRejection::new("contacts", message)));
            }
        }
    }
    let owner_id = match &row.owner_email {
        None => None,
        Some(owner) => match tx.user_id(owner.as_str())? {
            Some(id) => Some(id),
            None => {
                let message = format!("no user with email {owner}; add the user first");
                return Ok(Err(RowRejection::new("owner_email", message)));
            }
        },
    };
    let account_id = row.account_domain.as_deref().map(|domain| tx.account_or_create(domain)).transpose()?;
    let created_at = millis(row.created_at);
    let close_date = row.close_date.map(millis);

    let connection = &tx.connection;
    let existing = connection
        .prepare_cached(
            "SELECT id, name, account_domain, account_id, primary_person_id, owner_id, amount_cents, currency, stage,
                    created_at, close_date, outcome, lost_reason
             FROM opportunities WHERE external_id = ?1",
        )
        .or_db()?
        .query_row([&row.external_id], |stored| {
            let same = same_text(stored, 1, Some(&row.name))?
                && same_text(stored, 2, row.account_domain.as_deref())?
                && same_integer(stored, 3, account_id)?
                && same_integer(stored, 4, primary_id)?
                && same_integer(stored, 5, owner_id)?
                && same_integer(stored, 6, Some(row.amount_cents))?
                && same_text(stored, 7, Some(&row.currency))?
                && same_text(stored, 8, Some(&row.stage))?
                && same_integer(stored, 9, Some(created_at))?
                && same_integer(stored, 10, close_date)?
                && same_text(stored, 11, Some(row.outcome.as_str()))?
                && same_text(stored, 12, row.lost_reason.as_deref())?;
            Ok((stored.get::<_, i64>(0)?, same))
        })
        .optional()
        .or_db()?;
    let values = params![
        row.name,
        row.account_domain,
        account_id,
        primary_id,
        owner_id,
        row.amount_cents,
        row.currency,
        row.stage,
        created_at,
        close_date,
        row.outcome.as_str(),
        row.lost_reason,
        row.external_id,
    ];
    let outcome = match existing {
        Some((id, same)) => {
            let contacts_same = stored_contacts(tx, id)? == contact_ids;
            if same && contacts_same {
                return Ok(Ok(UpsertOutcome::Unchanged));
            }
            if !same {
                connection
                    .prepare_cached(
                        "UPDATE opportunities SET name = ?1, account_domain = ?2, account_id = ?3,
                             primary_person_id = ?4, owner_id = ?5, amount_cents = ?6, currency = ?7, stage = ?8,
                             created_at = ?9, close_date = ?10, outcome = ?11, lost_reason = ?12
                         WHERE external_id = ?13",
                    )
                    .or_db()?
                    .execute(values)
                    .or_db()?;
            }
            if !contacts_same {
                connection
                    .prepare_cached("DELETE FROM opportunity_contacts WHERE opportunity_id = ?1")
                    .or_db()?
                    .execute([id])
                    .or_db()?;
                insert_contacts(tx, id, &contact_ids)?;
            }
            UpsertOutcome::Updated
        }
        None => {
            connection
                .prepare_cached(
                    "INSERT INTO opportunities (name, account_domain, account_id, primary_person_id, owner_id,
                         amount_cents, currency, stage, created_at, close_date, outcome, lost_reason, external_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                )
                .or_db()?
                .execute(values)
                .or_db()?;
            let id = connection.last_insert_rowid();
            insert_contacts(tx, id, &contact_ids)?;
            UpsertOutcome::Inserted
        }
    };
    if let Some(person) = primary_id {
        record_deal_events(tx, person, row)?;
    }
    Ok(Ok(outcome))
}

fn stored_contacts(tx: &SqliteWriteTx<'_>, opportunity: i64) -> Result<Vec<i64>, StoreError> {
    let mut statement = tx
        .connection
        .prepare_cached(
            "SELECT person_id FROM opportunity_contacts WHERE opportunity_id = ?1 ORDER BY position",
        )
        .or_db()?;
    let ids = statement.query_map([opportunity], |row| row.get(0)).or_db()?;
    ids.collect::<Result<_, _>>().or_db()
}

fn insert_contacts(tx: &SqliteWriteTx<'_>, opportunity: i64, contacts: &[i64]) -> Result<(), StoreError> {
    let mut statement = tx
        .connection
        .prepare_cached(
            "INSERT INTO opportunity_contacts (opportunity_id, position, person_id) VALUES (?1, ?2, ?3)",
        )
        .or_db()?;
    for (position, person) in contacts.iter().enumerate() {
        statement.execute(params![opportunity, position as i64, person]).or_db()?;
    }
    Ok(())
}

/// Adds the deal's events to the primary contact's history unless already there (each has a
/// per-deal dedupe key, so re-imports and unchanged outcomes add nothing).
fn record_deal_events(
    tx: &SqliteWriteTx<'_>,
    person: i64,
    row: &OpportunityRecord,
) -> Result<(), StoreError> {
    let connection = &tx.connection;
    let mut added = false;
    for step in rapport_store::keys::deal_steps(row) {
        added |=
            lifecycle::append_import_event(connection, person, step.stage, step.at, step.reason, &step.key)?;
    }
    if added {
        lifecycle::refresh_projection(connection, person)?;
    }
    Ok(())
}

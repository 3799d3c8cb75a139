//! Opportunity upserts, and the lifecycle events a deal gives its primary contact
//! (`opportunity` at creation, `customer` or `lost` at close), deduplicated per deal.
//! People, owners and accounts are resolved for the whole batch at once; each deal is then
//! written through prepared statements (deals are far fewer than people or touches).

use rapport_domain::OpportunityRecord;

use rapport_store::{RowRejection, RowResult, StoreError, UpsertOutcome};

use crate::convert::{get, millis, storable};
use crate::lifecycle;
use crate::write::{Natural, PostgresWriteTx};

/// An opportunity's stored columns, in the order of the statements below.
#[derive(Debug, Clone, PartialEq)]
struct Columns<'r> {
    name: &'r str,
    account_domain: Option<&'r str>,
    account_id: Option<i64>,
    primary_person_id: Option<i64>,
    owner_id: Option<i64>,
    amount_cents: i64,
    currency: &'r str,
    stage: &'r str,
    created_at: i64,
    close_date: Option<i64>,
    outcome: &'r str,
    lost_reason: Option<&'r str>,
}

pub(crate) fn upsert_opportunities(
    tx: &mut PostgresWriteTx,
    rows: &[OpportunityRecord],
) -> Result<Vec<RowResult>, StoreError> {
    let people = rows.iter().flat_map(|row| row.primary_contact.iter().chain(&row.contacts));
    tx.resolve(Natural::Person, people.map(|email| email.as_str()))?;
    tx.resolve(Natural::User, rows.iter().filter_map(|row| row.owner_email.as_ref().map(|e| e.as_str())))?;
    tx.resolve(Natural::Account, rows.iter().filter_map(|row| row.account_domain.as_deref()))?;
    rows.iter().map(|row| upsert_opportunity(tx, row)).collect()
}

/// The row's columns and contact ids, or why it is rejected; creates its account if needed.
fn resolve<'r>(
    tx: &mut PostgresWriteTx,
    row: &'r OpportunityRecord,
) -> Result<Result<(Columns<'r>, Vec<i64>), RowRejection>, StoreError> {
    if row.external_id.trim().is_empty() {
        return Ok(Err(RowRejection::new("external_id", "an opportunity needs the CRM's id")));
    }
    if let Err(rejection) = storable([
        ("external_id", Some(row.external_id.as_str())),
        ("name", Some(row.name.as_str())),
        ("account_domain", row.account_domain.as_deref()),
        ("currency", Some(row.currency.as_str())),
        ("stage", Some(row.stage.as_str())),
        ("lost_reason", row.lost_reason.as_deref()),
    ]) {
        return Ok(Err(rejection));
    }
    let person = |field: &str, email: &rapport_domain::EmailAddress| {
        tx.cached(Natural::Person, email.as_str()).ok_or_else(|| {
            RowRejection::new(field, format!("no person with email {email}; import people first"))
        })
    };
    let primary_person_id =
        match row.primary_contact.as_ref().map(|c| person("primary_contact", c)).transpose() {
            Ok(id) => id,
            Err(rejection) => return Ok(Err(rejection)),
        };
    let contacts = match row.contacts.iter().map(|c| person("contacts", c)).collect::<Result<Vec<_>, _>>() {
        Ok(ids) => ids,
        Err(rejection) => return Ok(Err(rejection)),
    };
    let owner_id = match &row.owner_email {
        None => None,
        Some(owner) => match tx.cached(Natural::User, owner.as_str()) {
            Some(id) => Some(id),
            None => {
                let message = format!("no user with email {owner}; add the user first");
                return Ok(Err(RowRejection::new("owner_email", message)));
            }
        },
    };
    let account_id = match row.account_domain.as_deref() {
        Some(domain) => {
            tx.create_missing(Natural::Account, &[domain])?;
            tx.cached(Natural::Account, domain)
        }
        None => None,
    };
    let columns = Columns {
        name: &row.name,
        account_domain: row.account_domain.as_deref(),
        account_id,
        primary_person_id,
        owner_id,
        amount_cents: row.amount_cents,
        currency: &row.currency,
        stage: &row.stage,
        created_at: millis(row.created_at),
        close_date: row.close_date.map(millis),
        outcome: row.outcome.as_str(),
        lost_reason: row.lost_reason.as_deref(),
    };
    Ok(Ok((columns, contacts)))
}

fn upsert_opportunity(tx: &mut PostgresWriteTx, row: &OpportunityRecord) -> Result<RowResult, StoreError> {
    let (columns, contacts) = match resolve(tx, row)? {
        Ok(resolved) => resolved,
        Err(rejection) => return Ok(Err(rejection)),
    };
    let existing = tx.connection.query_opt(
        "SELECT id, name, account_domain, account_id, primary_person_id, owner_id, amount_cents, currency, stage,
                created_at, close_date, outcome, lost_reason,
                ARRAY(SELECT person_id FROM opportunity_contacts WHERE opportunity_id = o.id ORDER BY position)
         FROM opportunities o WHERE external_id = $1",
        &[&row.external_id],
    )?;
    let c = &columns;
    let values: [&(dyn postgres::types::ToSql + Sync); 13] = [
        &c.name,
        &c.account_domain,
        &c.account_id,
        &c.primary_person_id,
        &c.owner_id,
        &c.amount_cents,
        &c.currency,
        &c.stage,
        &c.created_at,
        &c.close_date,
        &c.outcome,
        &c.lost_reason,
        &row.external_id,
    ];
    let outcome = match existing {
        Some(stored) => {
            let id: i64 = get(&stored, 0)?;
            let stored_columns = Columns {
                name: get(&stored, 1)?,
                account_domain: get(&stored, 2)?,
                account_id: get(&stored, 3)?,
                primary_person_id: get(&stored, 4)?,
                owner_id: get(&stored, 5)?,
                amount_cents: get(&stored, 6)?,
                currency: get(&stored, 7)?,
                stage: get(&stored, 8)?,
                created_at: get(&stored, 9)?,
                close_date: get(&stored, 10)?,
                outcome: get(&stored, 11)?,
                lost_reason: get(&stored, 12)?,
            };
            let same = stored_columns == columns;
            let contacts_same = get::<Vec<i64>>(&stored, 13)? == contacts;
            if same && contacts_same {
                return Ok(Ok(UpsertOutcome::Unchanged));
            }
            if !same {
                tx.connection.execute(
                    "UPDATE opportunities SET name = $1, account_domain = $2, account_id = $3,
                         primary_person_id = $4, owner_id = $5, amount_cents = $6, currency = $7, stage = $8,
                         created_at = $9, close_date = $10, outcome = $11, lost_reason = $12
                     WHERE external_id = $13",
                    &values,
                )?;
            }
            if !contacts_same {
                tx.connection
                    .execute("DELETE FROM opportunity_contacts WHERE opportunity_id = $1", &[&id])?;
                insert_contacts(tx, id, &contacts)?;
            }
            UpsertOutcome::Updated
        }
        None => {
            let inserted = tx.connection.query_opt(
                "INSERT INTO opportunities (name, account_domain, account_id, primary_person_id, owner_id,
                     amount_cents, currency, stage, created_at, close_date, outcome, lost_reason, external_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                 ON CONFLICT (external_id) DO NOTHING RETURNING id",
                &values,
            )?;
            // None: a concurrent transaction inserted this deal first; update theirs instead.
            let Some(inserted) = inserted else { return upsert_opportunity(tx, row) };
            insert_contacts(tx, get(&inserted, 0)?, &contacts)?;
            UpsertOutcome::Inserted
        }
    };
    if let Some(person) = columns.primary_person_id {
        record_deal_events(tx, person, row)?;
    }
    Ok(Ok(outcome))
}

fn insert_contacts(tx: &mut PostgresWriteTx, opportunity: i64, contacts: &[i64]) -> Result<(), StoreError> {
    if contacts.is_empty() {
        return Ok(());
    }
    tx.connection.execute(
        "INSERT INTO opportunity_contacts (opportunity_id, position, person_id)
         SELECT $1, u.n - 1, u.person_id FROM unnest($2::bigint[]) WITH ORDINALITY AS u(person_id, n)",
        &[&opportunity, &contacts],
    )?;
    Ok(())
}

/// Adds the deal's events to the primary contact's history unless already there (each has a
/// per-deal dedupe key, so re-imports and unchanged outcomes add nothing).
fn record_deal_events(
    tx: &mut PostgresWriteTx,
    person: i64,
    row: &OpportunityRecord,
) -> Result<(), StoreError> {
    tx.lock_people(&[person])?;
    let connection = &mut tx.connection;
    let mut added = false;
    for step in rapport_store::keys::deal_steps(row) {
        added |=
            lifecycle::append_import_event(connection, person, step.stage, step.at, step.reason, &step.key)?;
    }
    if added {
        lifecycle::refresh_projection(connection, &[person])?;
    }
    Ok(())
}

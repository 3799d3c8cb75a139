//! Person upserts: natural-key resolution of owner, account and campaign, then the row, then
//! the CRM's stage history as import events (deduplicated, so re-imports add nothing).

use rapport_domain::{PersonRecord, Stage, Timestamp};
use rusqlite::{params, OptionalExtension, Row};

use rapport_store::{RowRejection, RowResult, StoreError, UpsertOutcome};

use crate::convert::{millis, OrDatabaseError};
use crate::lifecycle;
use crate::write::SqliteWriteTx;

/// Whether a stored text column holds exactly `expected` (NULL for `None`), without copying it.
pub(crate) fn same_text(row: &Row<'_>, index: usize, expected: Option<&str>) -> rusqlite::Result<bool> {
    Ok(row.get_ref(index)?.as_str_or_null()? == expected)
}

pub(crate) fn same_integer(row: &Row<'_>, index: usize, expected: Option<i64>) -> rusqlite::Result<bool> {
    Ok(row.get::<_, Option<i64>>(index)? == expected)
}

pub(crate) fn upsert_person(tx: &mut SqliteWriteTx<'_>, row: &PersonRecord) -> Result<RowResult, StoreError> {
    // Resolve everything that can reject the row before writing anything for it.
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
    let account_id = match &row.account_domain {
        Some(domain) => Some(tx.account_or_create(domain)?),
        // Without a named domain the email's domain is used, but only to find an existing
        // account: personal addresses (gmail.com) must not become companies.
        None => tx.account_id(row.email.domain())?,
    };
    let campaign_id = row.campaign.as_deref().map(|name| tx.campaign_or_create(name)).transpose()?;
    let created_at = millis(row.created_at);

    let connection = &tx.connection;
    let existing = connection
        .prepare_cached(
            "SELECT id, external_id, first_name, last_name, title, account_domain, account_id, owner_id, source,
                    campaign_id, country, created_at
             FROM people WHERE email = ?1",
        )
        .or_db()?
        .query_row([row.email.as_str()], |stored| {
            let same = same_text(stored, 1, row.external_id.as_deref())?
                && same_text(stored, 2, row.first_name.as_deref())?
                && same_text(stored, 3, row.last_name.as_deref())?
                && same_text(stored, 4, row.title.as_deref())?
                && same_text(stored, 5, row.account_domain.as_deref())?
                && same_integer(stored, 6, account_id)?
                && same_integer(stored, 7, owner_id)?
                && same_text(stored, 8, row.source.as_deref())?
                && same_integer(stored, 9, campaign_id)?
                && same_text(stored, 10, row.country.as_deref())?
                && same_integer(stored, 11, Some(created_at))?;
            Ok((stored.get::<_, i64>(0)?, same))
        })
        .optional()
        .or_db()?;

    match existing {
        Some((id, same)) => {
            if !same {
                connection
                    .prepare_cached(
                        "UPDATE people SET external_id = ?1, first_name = ?2, last_name = ?3, title = ?4,
                             account_domain = ?5, account_id = ?6, owner_id = ?7, source = ?8, campaign_id = ?9,
                             country = ?10, created_at = ?11
                         WHERE id = ?12",
                    )
                    .or_db()?
                    .execute(params![
                        row.external_id,
                        row.first_name,
                        row.last_name,
                        row.title,
                        row.account_domain,
                        account_id,
                        owner_id,
                        row.source,
                        campaign_id,
                        row.country,
                        created_at,
                        id
                    ])
                    .or_db()?;
            }
            let events_added = import_history(tx, id, &row.stage_history, false)?;
            tx.cache.people.entry(row.email.as_str().to_owned()).or_insert(id);
            let outcome =
                if same && !events_added { UpsertOutcome::Unchanged } else { UpsertOutcome::Updated };
            Ok(Ok(outcome))
        }
        None => {
            connection
                .prepare_cached(
                    "INSERT INTO people (external_id, email, first_name, last_name, title, account_domain, account_id,
                                         owner_id, source, campaign_id, country, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                )
                .or_db()?
                .execute(params![
                    row.external_id,
                    row.email.as_str(),
                    row.first_name,
                    row.last_name,
                    row.title,
                    row.account_domain,
                    account_id,
                    owner_id,
                    row.source,
                    campaign_id,
                    row.country,
                    created_at
                ])
                .or_db()?;
            let id = connection.last_insert_rowid();
            tx.cache.people.insert(row.email.as_str().to_owned(), id);
            import_history(tx, id, &row.stage_history, true)?;
            Ok(Ok(UpsertOutcome::Inserted))
        }
    }
}

/// Records the CRM's history entries not seen before, in time order, and refreshes the
/// projection when any was new. A new person has no events yet, so their history goes in with
/// plain inserts and the projection is their last entry: no lookups (this is most of a first
/// import's work).
fn import_history(
    tx: &SqliteWriteTx<'_>,
    person: i64,
    history: &[(Stage, Timestamp)],
    new_person: bool,
) -> Result<bool, StoreError> {
    if history.is_empty() {
        return Ok(false);
    }
    let mut ordered: Vec<&(Stage, Timestamp)> = history.iter().collect();
    ordered.sort_by_key(|(stage, at)| (*at, *stage));
    let connection = &tx.connection;
    if new_person {
        let mut previous: Option<Stage> = None;
        let mut latest = None;
        for (stage, at) in ordered {
            // The same (stage, time) twice in one record is one step.
            if latest.is_some_and(|(_, last_stage, last_at)| last_stage == *stage && last_at == millis(*at)) {
                continue;
            }
            let key = lifecycle::history_key(*stage, *at);
            let id = lifecycle::insert_first_import_event(
                connection,
                person,
                previous,
                *stage,
                millis(*at),
                &key,
            )?;
            previous = Some(*stage);
            latest = Some((id, *stage, millis(*at)));
        }
        if let Some((event, stage, at)) = latest {
            lifecycle::set_projection(connection, person, stage, at, event)?;
        }
        return Ok(true);
    }
    let mut added = false;
    for (stage, at) in ordered {
        let key = lifecycle::history_key(*stage, *at);
        added |= lifecycle::append_import_event(connection, person, *stage, *at, None, &key)?;
    }
    if added {
        lifecycle::refresh_projection(connection, person)?;
    }
    Ok(added)
}

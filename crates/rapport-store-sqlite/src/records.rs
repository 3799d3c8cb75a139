//! Upserts of the simple records (accounts, campaigns, content): find the stored row by its
//! natural key, compare, then insert, update or leave it.

use rapport_domain::{AccountRecord, CampaignRecord, ContentRecord};
use rusqlite::{params, OptionalExtension, Row};

use rapport_store::{RowRejection, RowResult, StoreError, UpsertOutcome};

use crate::convert::{self, millis, OrDatabaseError};
use crate::write::SqliteWriteTx;

const ACCOUNT_COLUMNS: &str = "id, external_id, name, domain, industry, employees, country, annual_revenue";

pub(crate) fn account_from_row(row: &Row<'_>, first: usize) -> Result<AccountRecord, StoreError> {
    Ok(AccountRecord {
        external_id: row.get(first).or_db()?,
        name: row.get(first + 1).or_db()?,
        domain: row.get(first + 2).or_db()?,
        industry: row.get(first + 3).or_db()?,
        employees: convert::employees(row.get(first + 4).or_db()?)?,
        country: row.get(first + 5).or_db()?,
        annual_revenue: row.get(first + 6).or_db()?,
    })
}

/// A unique-key clash (another row already has this domain or id) is the row's fault.
fn clash(error: rusqlite::Error, field: &str, value: &str) -> Result<RowResult, StoreError> {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => {
            Ok(Err(RowRejection::new(field, format!("another record already has {field} `{value}`"))))
        }
        _ => Err(convert::db(error)),
    }
}

pub(crate) fn upsert_account(
    tx: &mut SqliteWriteTx<'_>,
    row: &AccountRecord,
) -> Result<RowResult, StoreError> {
    let connection = &tx.connection;
    let (sql, key) = match (&row.external_id, &row.domain) {
        (Some(external_id), _) => ("SELECT {} FROM accounts WHERE external_id = ?1", external_id),
        (None, Some(domain)) => ("SELECT {} FROM accounts WHERE domain = ?1", domain),
        (None, None) => {
            return Ok(Err(RowRejection::new("domain", "an account needs an external id or a domain")));
        }
    };
    let sql = sql.replace("{}", ACCOUNT_COLUMNS);
    let mut statement = connection.prepare_cached(&sql).or_db()?;
    let existing = statement
        .query_row([key], |r| Ok((r.get::<_, i64>(0)?, account_from_row(r, 1))))
        .optional()
        .or_db()?;
    drop(statement);
    let existing = existing.map(|(id, stored)| stored.map(|stored| (id, stored))).transpose()?;
    let values = params![
        row.external_id,
        row.name,
        row.domain,
        row.industry,
        row.employees,
        row.country,
        row.annual_revenue
    ];
    let (id, outcome) = match existing {
        Some((_, stored)) if stored == *row => return Ok(Ok(UpsertOutcome::Unchanged)),
        Some((id, stored)) => {
            // The domain may change: forget only this account's old key (scanning the whole
            // cache here would make a large import quadratic).
            if let Some(old_domain) = stored.domain.as_ref().filter(|old| row.domain.as_ref() != Some(*old)) {
                tx.cache.accounts.remove(old_domain);
            }
            let sql =
                "UPDATE accounts SET external_id = ?1, name = ?2, domain = ?3, industry = ?4, employees = ?5,
                       country = ?6, annual_revenue = ?7 WHERE id = ?8";
            let values = params![
                row.external_id,
                row.name,
                row.domain,
                row.industry,
                row.employees,
                row.country,
                row.annual_revenue,
                id
            ];
            if let Err(error) = connection.prepare_cached(sql).or_db()?.execute(values) {
                return clash(error, "domain", row.domain.as_deref().unwrap_or_default());
            }
            (id, UpsertOutcome::Updated)
        }
        None => {
            let sql = "INSERT INTO accounts (external_id, name, domain, industry, employees, country, annual_revenue)
                       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
            if let Err(error) = connection.prepare_cached(sql).or_db()?.execute(values) {
                return clash(error, "domain", row.domain.as_deref().unwrap_or_default());
            }
            (connection.last_insert_rowid(), UpsertOutcome::Inserted)
        }
    };
    if let Some(domain) = &row.domain {
        tx.cache.accounts.insert(domain.clone(), id);
    }
    Ok(Ok(outcome))
}

pub(crate) fn campaign_from_row(row: &Row<'_>, first: usize) -> Result<CampaignRecord, StoreError> {
    Ok(CampaignRecord {
        external_id: row.get(first).or_db()?,
        name: row.get(first + 1).or_db()?,
        channel: row.get(first + 2).or_db()?,
        started_on: convert::optional_time(row.get(first + 3).or_db()?)?,
        budget: row.get(first + 4).or_db()?,
    })
}

pub(crate) fn upsert_campaign(
    tx: &mut SqliteWriteTx<'_>,
    row: &CampaignRecord,
) -> Result<RowResult, StoreError> {
    if row.name.trim().is_empty() {
        return Ok(Err(RowRejection::new("name", "a campaign needs a name")));
    }
    let connection = &tx.connection;
    let existing = connection
        .prepare_cached(
            "SELECT id, external_id, name, channel, started_on, budget FROM campaigns WHERE name = ?1",
        )
        .or_db()?
        .query_row([&row.name], |r| Ok((r.get::<_, i64>(0)?, campaign_from_row(r, 1))))
        .optional()
        .or_db()?;
    let existing = existing.map(|(id, stored)| stored.map(|stored| (id, stored))).transpose()?;
    let started_on = row.started_on.map(millis);
    match existing {
        Some((_, stored)) if stored == *row => Ok(Ok(UpsertOutcome::Unchanged)),
        Some((id, _)) => {
            connection
                .prepare_cached(
                    "UPDATE campaigns SET external_id = ?1, channel = ?2, started_on = ?3, budget = ?4 WHERE id = ?5",
                )
                .or_db()?
                .execute(params![row.external_id, row.channel, started_on, row.budget, id])
                .or_db()?;
            Ok(Ok(UpsertOutcome::Updated))
        }
        None => {
            connection
                .prepare_cached(
                    "INSERT INTO campaigns (external_id, name, channel, started_on, budget) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .or_db()?
                .execute(params![row.external_id, row.name, row.channel, started_on, row.budget])
                .or_db()?;
            let id = connection.last_insert_rowid();
            tx.cache.campaigns.insert(row.name.clone(), id);
            Ok(Ok(UpsertOutcome::Inserted))
        }
    }
}

pub(crate) fn content_from_row(row: &Row<'_>, first: usize) -> Result<ContentRecord, StoreError> {
    Ok(ContentRecord {
        external_id: row.get(first).or_db()?,
        title: row.get(first + 1).or_db()?,
        url: row.get(first + 2).or_db()?,
        content_type: row.get(first + 3).or_db()?,
        funnel_stage: convert::funnel_stage(row.get(first + 4).or_db()?)?,
    })
}

pub(crate) fn upsert_content(
    tx: &mut SqliteWriteTx<'_>,
    row: &ContentRecord,
) -> Result<RowResult, StoreError> {
    if row.url.trim().is_empty() {
        return Ok(Err(RowRejection::new("url", "a content item needs a URL")));
    }
    let connection = &tx.connection;
    let existing = connection
        .prepare_cached(
            "SELECT id, external_id, title, url, content_type, funnel_stage FROM content_items WHERE url = ?1",
        )
        .or_db()?
        .query_row([&row.url], |r| Ok((r.get::<_, i64>(0)?, content_from_row(r, 1))))
        .optional()
        .or_db()?;
    let existing = existing.map(|(id, stored)| stored.map(|stored| (id, stored))).transpose()?;
    let funnel_stage = row.funnel_stage.map(|s| s.as_str());
    match existing {
        Some((_, stored)) if stored == *row => Ok(Ok(UpsertOutcome::Unchanged)),
        Some((id, _)) => {
            connection
                .prepare_cached(
                    "UPDATE content_items SET external_id = ?1, title = ?2, content_type = ?3, funnel_stage = ?4
                     WHERE id = ?5",
                )
                .or_db()?
                .execute(params![row.external_id, row.title, row.content_type, funnel_stage, id])
                .or_db()?;
            Ok(Ok(UpsertOutcome::Updated))
        }
        None => {
            connection
                .prepare_cached(
                    "INSERT INTO content_items (external_id, title, url, content_type, funnel_stage)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .or_db()?
                .execute(params![row.external_id, row.title, row.url, row.content_type, funnel_stage])
                .or_db()?;
            let id = connection.last_insert_rowid();
            tx.cache.content.insert(row.url.clone(), id);
            Ok(Ok(UpsertOutcome::Inserted))
        }
    }
}

//! Upserts of the simple records (accounts, campaigns, content): find the stored row by its
//! natural key, compare, then insert, update or leave it. These tables are small next to
//! people and touches, so rows go one at a time through prepared statements.
//!
//! An insert that loses a race with a concurrent transaction (`ON CONFLICT DO NOTHING`
//! returns no row) is retried as an update of the row the other one committed.

use postgres::Row;
use rapport_domain::{AccountRecord, CampaignRecord, ContentRecord};

use rapport_store::{RowRejection, RowResult, StoreError, UpsertOutcome};

use crate::convert::{self, get, millis, storable};
use crate::write::PostgresWriteTx;

pub(crate) const ACCOUNT_COLUMNS: &str =
    "external_id, name, domain, industry, employees, country, annual_revenue";

pub(crate) fn account_from_row(row: &Row, first: usize) -> Result<AccountRecord, StoreError> {
    Ok(AccountRecord {
        external_id: get(row, first)?,
        name: get(row, first + 1)?,
        domain: get(row, first + 2)?,
        industry: get(row, first + 3)?,
        employees: convert::employees(get(row, first + 4)?)?,
        country: get(row, first + 5)?,
        annual_revenue: get(row, first + 6)?,
    })
}

/// Whether another account than `except` already has `domain`. Checked before writing: a
/// unique violation would abort the whole transaction, where SQLite's only fails the row.
fn domain_taken(
    tx: &mut PostgresWriteTx,
    domain: Option<&str>,
    except: Option<i64>,
) -> Result<bool, StoreError> {
    let Some(domain) = domain else { return Ok(false) };
    let taken = tx.connection.query_opt(
        "SELECT 1 FROM accounts WHERE domain = $1 AND ($2::bigint IS NULL OR id <> $2)",
        &[&domain, &except],
    )?;
    Ok(taken.is_some())
}

pub(crate) fn upsert_account(tx: &mut PostgresWriteTx, row: &AccountRecord) -> Result<RowResult, StoreError> {
    let by_external_id = format!("SELECT id, {ACCOUNT_COLUMNS} FROM accounts WHERE external_id = $1");
    let by_domain = format!("SELECT id, {ACCOUNT_COLUMNS} FROM accounts WHERE domain = $1");
    let (sql, key) = match (&row.external_id, &row.domain) {
        (Some(external_id), _) => (&by_external_id, external_id),
        (None, Some(domain)) => (&by_domain, domain),
        (None, None) => {
            return Ok(Err(RowRejection::new("domain", "an account needs an external id or a domain")));
        }
    };
    if let Err(rejection) = storable([
        ("external_id", row.external_id.as_deref()),
        ("name", Some(row.name.as_str())),
        ("domain", row.domain.as_deref()),
        ("industry", row.industry.as_deref()),
        ("country", row.country.as_deref()),
    ]) {
        return Ok(Err(rejection));
    }
    let existing = match tx.connection.query_opt(sql, &[key])? {
        Some(stored) => Some((get::<i64>(&stored, 0)?, account_from_row(&stored, 1)?)),
        None => None,
    };
    let clash = || {
        let domain = row.domain.as_deref().unwrap_or_default();
        Ok(Err(RowRejection::new("domain", format!("another record already has domain `{domain}`"))))
    };
    let employees = row.employees.map(i64::from);
    let (id, outcome) = match existing {
        Some((_, stored)) if stored == *row => return Ok(Ok(UpsertOutcome::Unchanged)),
        Some((id, stored)) => {
            if domain_taken(tx, row.domain.as_deref(), Some(id))? {
                return clash();
            }
            // The domain may change: forget only this account's old key (scanning the whole
            // cache here would make a large import quadratic).
            if let Some(old_domain) = stored.domain.as_ref().filter(|old| row.domain.as_ref() != Some(*old)) {
                tx.cache.accounts.remove(old_domain);
            }
            tx.connection.execute(
                "UPDATE accounts SET external_id = $1, name = $2, domain = $3, industry = $4, employees = $5,
                     country = $6, annual_revenue = $7 WHERE id = $8",
                &[
                    &row.external_id,
                    &row.name,
                    &row.domain,
                    &row.industry,
                    &employees,
                    &row.country,
                    &row.annual_revenue,
                    &id,
                ],
            )?;
            (id, UpsertOutcome::Updated)
        }
        None => {
            if domain_taken(tx, row.domain.as_deref(), None)? {
                return clash();
            }
            let inserted = tx.connection.query_opt(
                "INSERT INTO accounts (external_id, name, domain, industry, employees, country, annual_revenue)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id",
                &[&row.external_id, &row.name, &row.domain, &row.industry, &employees, &row.country,
                  &row.annual_revenue],
            )?;
            match inserted {
                Some(inserted) => (get(&inserted, 0)?, UpsertOutcome::Inserted),
                None => return upsert_account(tx, row),
            }
        }
    };
    if let Some(domain) = &row.domain {
        tx.cache.accounts.insert(domain.clone(), id);
    }
    Ok(Ok(outcome))
}

pub(crate) fn campaign_from_row(row: &Row, first: usize) -> Result<CampaignRecord, StoreError> {
    Ok(CampaignRecord {
        external_id: get(row, first)?,
        name: get(row, first + 1)?,
        channel: get(row, first + 2)?,
        started_on: convert::optional_time(get(row, first + 3)?)?,
        budget: get(row, first + 4)?,
    })
}

pub(crate) fn upsert_campaign(
    tx: &mut PostgresWriteTx,
    row: &CampaignRecord,
) -> Result<RowResult, StoreError> {
    if row.name.trim().is_empty() {
        return Ok(Err(RowRejection::new("name", "a campaign needs a name")));
    }
    if let Err(rejection) = storable([
        ("external_id", row.external_id.as_deref()),
        ("name", Some(row.name.as_str())),
        ("channel", row.channel.as_deref()),
    ]) {
        return Ok(Err(rejection));
    }
    let existing = match tx.connection.query_opt(
        "SELECT id, external_id, name, channel, started_on, budget FROM campaigns WHERE name = $1",
        &[&row.name],
    )? {
        Some(stored) => Some((get::<i64>(&stored, 0)?, campaign_from_row(&stored, 1)?)),
        None => None,
    };
    let started_on = row.started_on.map(millis);
    match existing {
        Some((_, stored)) if stored == *row => Ok(Ok(UpsertOutcome::Unchanged)),
        Some((id, _)) => {
            tx.connection.execute(
                "UPDATE campaigns SET external_id = $1, channel = $2, started_on = $3, budget = $4 WHERE id = $5",
                &[&row.external_id, &row.channel, &started_on, &row.budget, &id],
            )?;
            Ok(Ok(UpsertOutcome::Updated))
        }
        None => {
            let inserted = tx.connection.query_opt(
                "INSERT INTO campaigns (external_id, name, channel, started_on, budget) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT DO NOTHING RETURNING id",
                &[&row.external_id, &row.name, &row.channel, &started_on, &row.budget],
            )?;
            let Some(inserted) = inserted else { return upsert_campaign(tx, row) };
            tx.cache.campaigns.insert(row.name.clone(), get(&inserted, 0)?);
            Ok(Ok(UpsertOutcome::Inserted))
        }
    }
}

pub(crate) fn content_from_row(row: &Row, first: usize) -> Result<ContentRecord, StoreError> {
    Ok(ContentRecord {
        external_id: get(row, first)?,
        title: get(row, first + 1)?,
        url: get(row, first + 2)?,
        content_type: get(row, first + 3)?,
        funnel_stage: convert::funnel_stage(get(row, first + 4)?)?,
    })
}

pub(crate) fn upsert_content(tx: &mut PostgresWriteTx, row: &ContentRecord) -> Result<RowResult, StoreError> {
    if row.url.trim().is_empty() {
        return Ok(Err(RowRejection::new("url", "a content item needs a URL")));
    }
    if let Err(rejection) = storable([
        ("external_id", row.external_id.as_deref()),
        ("title", Some(row.title.as_str())),
        ("url", Some(row.url.as_str())),
        ("content_type", row.content_type.as_deref()),
    ]) {
        return Ok(Err(rejection));
    }
    let existing = match tx.connection.query_opt(
        "SELECT id, external_id, title, url, content_type, funnel_stage FROM content_items WHERE url = $1",
        &[&row.url],
    )? {
        Some(stored) => Some((get::<i64>(&stored, 0)?, content_from_row(&stored, 1)?)),
        None => None,
    };
    let funnel_stage = row.funnel_stage.map(|s| s.as_str());
    match existing {
        Some((_, stored)) if stored == *row => Ok(Ok(UpsertOutcome::Unchanged)),
        Some((id, _)) => {
            tx.connection.execute(
                "UPDATE content_items SET external_id = $1, title = $2, content_type = $3, funnel_stage = $4
                 WHERE id = $5",
                &[&row.external_id, &row.title, &row.content_type, &funnel_stage, &id],
            )?;
            Ok(Ok(UpsertOutcome::Updated))
        }
        None => {
            let inserted = tx.connection.query_opt(
                "INSERT INTO content_items (external_id, title, url, content_type, funnel_stage)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id",
                &[&row.external_id, &row.title, &row.url, &row.content_type, &funnel_stage],
            )?;
            let Some(inserted) = inserted else { return upsert_content(tx, row) };
            tx.cache.content.insert(row.url.clone(), get(&inserted, 0)?);
            Ok(Ok(UpsertOutcome::Inserted))
        }
    }
}

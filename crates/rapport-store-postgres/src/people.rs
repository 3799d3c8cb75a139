//! Person upserts, set-based: per run of distinct emails, one query resolves each kind of
//! natural key (owner, account, campaign), one reads the stored people, one inserts the new
//! ones and one updates the changed ones; then their CRM stage history becomes import events
//! (deduplicated, so re-imports add nothing). Results equal writing the rows one by one.

use std::collections::HashMap;

use rapport_domain::PersonRecord;

use rapport_store::{RowRejection, RowResult, StoreError, UpsertOutcome};

use crate::convert::{get, millis, storable};
use crate::history::{plan_existing_history, plan_new_person_history};
use crate::lifecycle;
use crate::write::{distinct_runs, Natural, PostgresWriteTx};

/// A person's stored columns, apart from the id and email.
#[derive(Debug, Clone, PartialEq)]
struct Columns {
    external_id: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    title: Option<String>,
    account_domain: Option<String>,
    account_id: Option<i64>,
    owner_id: Option<i64>,
    source: Option<String>,
    campaign_id: Option<i64>,
    country: Option<String>,
    created_at: i64,
}

/// What a row resolved to before accounts and campaigns it names are created.
struct Resolved<'r> {
    owner_id: Option<i64>,
    account: Option<&'r str>,
    campaign: Option<&'r str>,
}

pub(crate) fn upsert_people(
    tx: &mut PostgresWriteTx,
    rows: &[PersonRecord],
) -> Result<Vec<RowResult>, StoreError> {
    let emails: Vec<&str> = rows.iter().map(|row| row.email.as_str()).collect();
    let mut results = Vec::with_capacity(rows.len());
    for run in distinct_runs(&emails) {
        results.extend(upsert_run(tx, &rows[run])?);
    }
    Ok(results)
}

fn upsert_run(tx: &mut PostgresWriteTx, rows: &[PersonRecord]) -> Result<Vec<RowResult>, StoreError> {
    tx.resolve(Natural::User, rows.iter().filter_map(|row| row.owner_email.as_ref().map(|e| e.as_str())))?;
    tx.resolve(
        Natural::Account,
        rows.iter().flat_map(|row| [row.account_domain.as_deref(), Some(row.email.domain())]).flatten(),
    )?;
    tx.resolve(Natural::Campaign, rows.iter().filter_map(|row| row.campaign.as_deref()))?;

    // In row order, as SQLite does it: rejections first, then the accounts and campaigns each
    // row creates, which later rows of the run see (a person found by email domain included).
    let mut new_accounts: Vec<&str> = Vec::new();
    let mut new_campaigns: Vec<&str> = Vec::new();
    let mut resolved: Vec<Result<Resolved<'_>, RowRejection>> = Vec::with_capacity(rows.len());
    for row in rows {
        resolved.push(resolve_row(tx, row, &mut new_accounts, &mut new_campaigns));
    }
    tx.create_missing(Natural::Account, &new_accounts)?;
    tx.create_missing(Natural::Campaign, &new_campaigns)?;

    let emails: Vec<&str> = rows.iter().map(|row| row.email.as_str()).collect();
    let mut stored: HashMap<String, (i64, Columns)> = HashMap::new();
    for row in tx.connection.query_batch(
        emails.len(),
        "SELECT email, id, external_id, first_name, last_name, title, account_domain, account_id, owner_id,
                source, campaign_id, country, created_at
         FROM people WHERE email = ANY($1)",
        &[&emails],
    )? {
        stored.insert(get(&row, 0)?, (get(&row, 1)?, columns_from_row(&row)?));
    }

    let mut results: Vec<Option<RowResult>> = Vec::with_capacity(rows.len());
    let mut inserts: Vec<(usize, Columns)> = Vec::new();
    let mut updates: Vec<(i64, Columns)> = Vec::new();
    let mut existing: Vec<(usize, i64, bool)> = Vec::new();
    for (index, (row, resolved)) in rows.iter().zip(resolved).enumerate() {
        let resolved = match resolved {
            Ok(resolved) => resolved,
            Err(rejection) => {
                results.push(Some(Err(rejection)));
                continue;
            }
        };
        let columns = Columns {
            external_id: row.external_id.clone(),
            first_name: row.first_name.clone(),
            last_name: row.last_name.clone(),
            title: row.title.clone(),
            account_domain: row.account_domain.clone(),
            account_id: resolved.account.and_then(|domain| tx.cached(Natural::Account, domain)),
            owner_id: resolved.owner_id,
            source: row.source.clone(),
            campaign_id: resolved.campaign.and_then(|name| tx.cached(Natural::Campaign, name)),
            country: row.country.clone(),
            created_at: millis(row.created_at),
        };
        match stored.get(row.email.as_str()) {
            Some((id, stored)) => {
                let same = *stored == columns;
                if !same {
                    updates.push((*id, columns));
                }
                tx.cache.people.entry(row.email.as_str().to_owned()).or_insert(*id);
                existing.push((index, *id, same));
                results.push(None);
            }
            None => {
                inserts.push((index, columns));
                results.push(Some(Ok(UpsertOutcome::Inserted)));
            }
        }
    }

    update(tx, &updates)?;
    let inserted = insert(tx, rows, &inserts)?;
    for (index, _) in &inserts {
        if !inserted.contains_key(rows[*index].email.as_str()) {
            // Another transaction inserted this email first; write the row over theirs.
            let retried = upsert_run(tx, std::slice::from_ref(&rows[*index]))?;
            results[*index] = retried.into_iter().next();
        }
    }

    let mut events = plan_existing_history(tx, rows, &existing)?;
    for (index, _) in &inserts {
        if let Some(id) = inserted.get(rows[*index].email.as_str()) {
            plan_new_person_history(*id, &rows[*index].stage_history, &mut events);
        }
    }
    let added = lifecycle::insert_import_events(&mut tx.connection, &events)?;
    let mut refreshed: Vec<i64> = added.iter().copied().collect();
    refreshed.sort_unstable();
    lifecycle::refresh_projection(&mut tx.connection, &refreshed)?;

    for (index, id, same) in existing {
        let outcome =
            if same && !added.contains(&id) { UpsertOutcome::Unchanged } else { UpsertOutcome::Updated };
        results[index] = Some(Ok(outcome));
    }
    results
        .into_iter()
        .map(|result| result.ok_or_else(|| StoreError::Database("a person row got no result".into())))
        .collect()
}

/// Rejects a row with an unknown owner (or an unstorable value), and picks the account and
/// campaign it refers to, noting those it creates.
fn resolve_row<'r>(
    tx: &PostgresWriteTx,
    row: &'r PersonRecord,
    new_accounts: &mut Vec<&'r str>,
    new_campaigns: &mut Vec<&'r str>,
) -> Result<Resolved<'r>, RowRejection> {
    storable([
        ("external_id", row.external_id.as_deref()),
        ("first_name", row.first_name.as_deref()),
        ("last_name", row.last_name.as_deref()),
        ("title", row.title.as_deref()),
        ("account_domain", row.account_domain.as_deref()),
        ("source", row.source.as_deref()),
        ("campaign", row.campaign.as_deref()),
        ("country", row.country.as_deref()),
    ])?;
    let owner_id = match &row.owner_email {
        None => None,
        Some(owner) => match tx.cached(Natural::User, owner.as_str()) {
            Some(id) => Some(id),
            None => {
                let message = format!("no user with email {owner}; add the user first");
                return Err(RowRejection::new("owner_email", message));
            }
        },
    };
    let account = match row.account_domain.as_deref() {
        Some(domain) => {
            if tx.cached(Natural::Account, domain).is_none() && !new_accounts.contains(&domain) {
                new_accounts.push(domain);
            }
            Some(domain)
        }
        // Without a named domain the email's domain is used, but only to find an existing
        // account: personal addresses (gmail.com) must not become companies.
        None => {
            let domain = row.email.domain();
            (tx.cached(Natural::Account, domain).is_some() || new_accounts.contains(&domain))
                .then_some(domain)
        }
    };
    if let Some(name) = row.campaign.as_deref() {
        if tx.cached(Natural::Campaign, name).is_none() && !new_campaigns.contains(&name) {
            new_campaigns.push(name);
        }
    }
    Ok(Resolved { owner_id, account, campaign: row.campaign.as_deref() })
}

fn columns_from_row(row: &postgres::Row) -> Result<Columns, StoreError> {
    Ok(Columns {
        external_id: get(row, 2)?,
        first_name: get(row, 3)?,
        last_name: get(row, 4)?,
        title: get(row, 5)?,
        account_domain: get(row, 6)?,
        account_id: get(row, 7)?,
        owner_id: get(row, 8)?,
        source: get(row, 9)?,
        campaign_id: get(row, 10)?,
        country: get(row, 11)?,
        created_at: get(row, 12)?,
    })
}

/// The columns of many rows as one array per column, for `unnest`.
#[derive(Default)]
struct ColumnArrays<'c> {
    text: [Vec<Option<&'c str>>; 7],
    account_id: Vec<Option<i64>>,
    owner_id: Vec<Option<i64>>,
    campaign_id: Vec<Option<i64>>,
    created_at: Vec<i64>,
}

impl<'c> ColumnArrays<'c> {
    fn push(&mut self, columns: &'c Columns) {
        let texts = [
            &columns.external_id,
            &columns.first_name,
            &columns.last_name,
            &columns.title,
            &columns.account_domain,
            &columns.source,
            &columns.country,
        ];
        for (array, value) in self.text.iter_mut().zip(texts) {
            array.push(value.as_deref());
        }
        self.account_id.push(columns.account_id);
        self.owner_id.push(columns.owner_id);
        self.campaign_id.push(columns.campaign_id);
        self.created_at.push(columns.created_at);
    }
}

fn update(tx: &mut PostgresWriteTx, updates: &[(i64, Columns)]) -> Result<(), StoreError> {
    if updates.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = updates.iter().map(|(id, _)| *id).collect();
    let mut arrays = ColumnArrays::default();
    updates.iter().for_each(|(_, columns)| arrays.push(columns));
    let [external_id, first_name, last_name, title, account_domain, source, country] = &arrays.text;
    tx.connection.query_batch(
        updates.len(),
        "UPDATE people p SET external_id = u.external_id, first_name = u.first_name, last_name = u.last_name,
             title = u.title, account_domain = u.account_domain, account_id = u.account_id, owner_id = u.owner_id,
             source = u.source, campaign_id = u.campaign_id, country = u.country, created_at = u.created_at
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[],
                     $8::bigint[], $9::text[], $10::bigint[], $11::text[], $12::bigint[])
              AS u(id, external_id, first_name, last_name, title, account_domain, account_id, owner_id, source,
                   campaign_id, country, created_at)
         WHERE p.id = u.id",
        &[&ids, external_id, first_name, last_name, title, account_domain, &arrays.account_id,
          &arrays.owner_id, source, &arrays.campaign_id, country, &arrays.created_at],
    )?;
    Ok(())
}

/// Inserts new people in row order and returns email -> id of those inserted; an email
/// missing from the answer was inserted by a concurrent transaction first.
fn insert(
    tx: &mut PostgresWriteTx,
    rows: &[PersonRecord],
    inserts: &[(usize, Columns)],
) -> Result<HashMap<String, i64>, StoreError> {
    if inserts.is_empty() {
        return Ok(HashMap::new());
    }
    let emails: Vec<&str> = inserts.iter().map(|(index, _)| rows[*index].email.as_str()).collect();
    let mut arrays = ColumnArrays::default();
    inserts.iter().for_each(|(_, columns)| arrays.push(columns));
    let [external_id, first_name, last_name, title, account_domain, source, country] = &arrays.text;
    let inserted = tx.connection.query_batch(
        inserts.len(),
        "INSERT INTO people (email, external_id, first_name, last_name, title, account_domain, account_id,
                             owner_id, source, campaign_id, country, created_at)
         SELECT u.email, u.external_id, u.first_name, u.last_name, u.title, u.account_domain, u.account_id,
                u.owner_id, u.source, u.campaign_id, u.country, u.created_at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[],
                     $8::bigint[], $9::text[], $10::bigint[], $11::text[], $12::bigint[])
              WITH ORDINALITY AS u(email, external_id, first_name, last_name, title, account_domain, account_id,
                                   owner_id, source, campaign_id, country, created_at, n)
         ORDER BY u.n
         ON CONFLICT (email) DO NOTHING RETURNING email, id",
        &[&emails, external_id, first_name, last_name, title, account_domain, &arrays.account_id,
          &arrays.owner_id, source, &arrays.campaign_id, country, &arrays.created_at],
    )?;
    let mut ids = HashMap::with_capacity(inserted.len());
    for row in inserted {
        let (email, id): (String, i64) = (get(&row, 0)?, get(&row, 1)?);
        tx.cache.people.insert(email.clone(), id);
        ids.insert(email, id);
    }
    Ok(ids)
}

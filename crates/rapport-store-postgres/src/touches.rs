//! Touch upserts, set-based: the person and content must exist, an unknown campaign is
//! created, and a touch without an external id is keyed by a hash of its content so
//! re-imports add nothing. Per run of distinct keys: one query per kind of reference, one
//! read of the stored touches, one insert and one update.

use std::collections::{BTreeMap, HashMap, HashSet};

use rapport_domain::TouchRecord;
use rapport_store::keys::touch_key;

use rapport_store::{RowRejection, RowResult, StoreError, UpsertOutcome};

use crate::convert::{self, get, millis, storable};
use crate::write::{distinct_runs, Natural, PostgresWriteTx};

/// The natural key of a touch: its external id, else a hash of what makes it this touch.
/// The hash covers (email, time, kind, campaign, content, channel); a unit separator between
/// fields keeps `a|b` and `ab|` apart. Stable across versions and equal to the SQLite
/// backend's: it is stored.
/// A touch's stored columns, apart from the id and key.
#[derive(Debug, Clone, PartialEq)]
struct Columns {
    external_id: Option<String>,
    person_id: i64,
    occurred_at: i64,
    kind: String,
    channel: Option<String>,
    campaign_id: Option<i64>,
    content_id: Option<i64>,
    attributes: BTreeMap<String, String>,
}

pub(crate) fn upsert_touches(
    tx: &mut PostgresWriteTx,
    rows: &[TouchRecord],
) -> Result<Vec<RowResult>, StoreError> {
    let keys: Vec<String> = rows.iter().map(touch_key).collect();
    let mut results = Vec::with_capacity(rows.len());
    for run in distinct_runs(&keys) {
        results.extend(upsert_run(tx, &rows[run.clone()], &keys[run])?);
    }
    Ok(results)
}

fn upsert_run(
    tx: &mut PostgresWriteTx,
    rows: &[TouchRecord],
    keys: &[String],
) -> Result<Vec<RowResult>, StoreError> {
    tx.resolve(Natural::Person, rows.iter().map(|row| row.email.as_str()))?;
    tx.resolve(Natural::Content, rows.iter().filter_map(|row| row.content_url.as_deref()))?;
    tx.resolve(Natural::Campaign, rows.iter().filter_map(|row| row.campaign.as_deref()))?;

    // Rejections first, in row order; only accepted rows create their campaign.
    let mut new_campaigns: Vec<&str> = Vec::new();
    let mut accepted: Vec<Result<(i64, Option<i64>), RowRejection>> = Vec::with_capacity(rows.len());
    for row in rows {
        let checked = check_row(tx, row);
        if let (Ok(_), Some(name)) = (&checked, row.campaign.as_deref()) {
            if tx.cached(Natural::Campaign, name).is_none() && !new_campaigns.contains(&name) {
                new_campaigns.push(name);
            }
        }
        accepted.push(checked);
    }
    tx.create_missing(Natural::Campaign, &new_campaigns)?;

    let mut stored: HashMap<String, (i64, Columns)> = HashMap::new();
    for row in tx.connection.query_batch(
        keys.len(),
        "SELECT dedupe_key, id, external_id, person_id, occurred_at, kind, channel, campaign_id, content_id,
                attributes::text
         FROM touches WHERE dedupe_key = ANY($1)",
        &[&keys],
    )? {
        let columns = Columns {
            external_id: get(&row, 2)?,
            person_id: get(&row, 3)?,
            occurred_at: get(&row, 4)?,
            kind: get(&row, 5)?,
            channel: get(&row, 6)?,
            campaign_id: get(&row, 7)?,
            content_id: get(&row, 8)?,
            attributes: convert::attributes(get(&row, 9)?)?,
        };
        stored.insert(get(&row, 0)?, (get(&row, 1)?, columns));
    }

    let mut results: Vec<RowResult> = Vec::with_capacity(rows.len());
    let mut inserts: Vec<(usize, Columns)> = Vec::new();
    let mut updates: Vec<(i64, Columns)> = Vec::new();
    for (index, (row, accepted)) in rows.iter().zip(accepted).enumerate() {
        let (person_id, content_id) = match accepted {
            Ok(ids) => ids,
            Err(rejection) => {
                results.push(Err(rejection));
                continue;
            }
        };
        let columns = Columns {
            external_id: row.external_id.clone(),
            person_id,
            occurred_at: millis(row.occurred_at),
            kind: row.kind.as_str().to_owned(),
            channel: row.channel.clone(),
            campaign_id: row.campaign.as_deref().and_then(|name| tx.cached(Natural::Campaign, name)),
            content_id,
            attributes: row.attributes.clone(),
        };
        results.push(Ok(match stored.get(&keys[index]) {
            Some((_, stored)) if *stored == columns => UpsertOutcome::Unchanged,
            Some((id, _)) => {
                updates.push((*id, columns));
                UpsertOutcome::Updated
            }
            None => {
                inserts.push((index, columns));
                UpsertOutcome::Inserted
            }
        }));
    }

    update(tx, &updates)?;
    let inserted = insert(tx, &inserts, keys)?;
    for (index, _) in &inserts {
        if !inserted.contains(&keys[*index]) {
            // Another transaction inserted this key first; write the row over theirs.
            let retried =
                upsert_run(tx, std::slice::from_ref(&rows[*index]), std::slice::from_ref(&keys[*index]))?;
            results[*index] = retried.into_iter().next().unwrap_or(Ok(UpsertOutcome::Unchanged));
        }
    }
    Ok(results)
}

/// The row's person and content ids, or why it is rejected.
fn check_row(tx: &PostgresWriteTx, row: &TouchRecord) -> Result<(i64, Option<i64>), RowRejection> {
    storable([
        ("external_id", row.external_id.as_deref()),
        ("channel", row.channel.as_deref()),
        ("campaign", row.campaign.as_deref()),
        ("content_url", row.content_url.as_deref()),
    ])?;
    if row.attributes.iter().any(|(k, v)| k.contains('\0') || v.contains('\0')) {
        return Err(RowRejection::new("attributes", "contains a NUL character, which cannot be stored"));
    }
    let Some(person_id) = tx.cached(Natural::Person, row.email.as_str()) else {
        let message = format!("no person with email {}; import people first", row.email);
        return Err(RowRejection::new("email", message));
    };
    let content_id = match &row.content_url {
        None => None,
        Some(url) => match tx.cached(Natural::Content, url) {
            Some(id) => Some(id),
            None => {
                let message = format!("no content item with URL {url}; import the content library first");
                return Err(RowRejection::new("content_url", message));
            }
        },
    };
    Ok((person_id, content_id))
}

/// The columns of many touches as one array per column, for `unnest`.
struct Arrays<'c> {
    external_id: Vec<Option<&'c str>>,
    person_id: Vec<i64>,
    occurred_at: Vec<i64>,
    kind: Vec<&'c str>,
    channel: Vec<Option<&'c str>>,
    campaign_id: Vec<Option<i64>>,
    content_id: Vec<Option<i64>>,
    attributes: Vec<Option<String>>,
}

impl<'c> Arrays<'c> {
    fn new(columns: impl Iterator<Item = &'c Columns> + Clone) -> Result<Arrays<'c>, StoreError> {
        Ok(Arrays {
            external_id: columns.clone().map(|c| c.external_id.as_deref()).collect(),
            person_id: columns.clone().map(|c| c.person_id).collect(),
            occurred_at: columns.clone().map(|c| c.occurred_at).collect(),
            kind: columns.clone().map(|c| c.kind.as_str()).collect(),
            channel: columns.clone().map(|c| c.channel.as_deref()).collect(),
            campaign_id: columns.clone().map(|c| c.campaign_id).collect(),
            content_id: columns.clone().map(|c| c.content_id).collect(),
            attributes: columns.map(|c| convert::attributes_json(&c.attributes)).collect::<Result<_, _>>()?,
        })
    }
}

fn update(tx: &mut PostgresWriteTx, updates: &[(i64, Columns)]) -> Result<(), StoreError> {
    if updates.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = updates.iter().map(|(id, _)| *id).collect();
    let a = Arrays::new(updates.iter().map(|(_, columns)| columns))?;
    tx.connection.query_batch(
        updates.len(),
        "UPDATE touches t SET external_id = u.external_id, person_id = u.person_id, occurred_at = u.occurred_at,
             kind = u.kind, channel = u.channel, campaign_id = u.campaign_id, content_id = u.content_id,
             attributes = u.attributes::jsonb
         FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::bigint[],
                     $8::bigint[], $9::text[])
              AS u(id, external_id, person_id, occurred_at, kind, channel, campaign_id, content_id, attributes)
         WHERE t.id = u.id",
        &[&ids, &a.external_id, &a.person_id, &a.occurred_at, &a.kind, &a.channel, &a.campaign_id,
          &a.content_id, &a.attributes],
    )?;
    Ok(())
}

/// Inserts new touches in row order and returns the keys inserted; a key missing from the
/// answer was inserted by a concurrent transaction first.
fn insert(
    tx: &mut PostgresWriteTx,
    inserts: &[(usize, Columns)],
    keys: &[String],
) -> Result<HashSet<String>, StoreError> {
    if inserts.is_empty() {
        return Ok(HashSet::new());
    }
    let dedupe_keys: Vec<&str> = inserts.iter().map(|(index, _)| keys[*index].as_str()).collect();
    let a = Arrays::new(inserts.iter().map(|(_, columns)| columns))?;
    let inserted = tx.connection.query_batch(
        inserts.len(),
        "INSERT INTO touches (dedupe_key, external_id, person_id, occurred_at, kind, channel, campaign_id, content_id,
                              attributes)
         SELECT u.dedupe_key, u.external_id, u.person_id, u.occurred_at, u.kind, u.channel, u.campaign_id,
                u.content_id, u.attributes::jsonb
         FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::bigint[],
                     $8::bigint[], $9::text[])
              WITH ORDINALITY AS u(dedupe_key, external_id, person_id, occurred_at, kind, channel, campaign_id,
                                   content_id, attributes, n)
         ORDER BY u.n
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key",
        &[&dedupe_keys, &a.external_id, &a.person_id, &a.occurred_at, &a.kind, &a.channel, &a.campaign_id,
          &a.content_id, &a.attributes],
    )?;
    inserted.iter().map(|row| get(row, 0)).collect()
}

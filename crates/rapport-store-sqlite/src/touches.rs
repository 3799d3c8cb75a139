//! Touch upserts: the person and content must exist, an unknown campaign is created, and a
//! touch without an external id is keyed by a hash of its content so re-imports add nothing.

use rapport_domain::TouchRecord;
use rapport_store::keys::touch_key;
use rusqlite::{params, OptionalExtension};

use rapport_store::{RowRejection, RowResult, StoreError, UpsertOutcome};

use crate::convert::{millis, OrDatabaseError};
use crate::people::{same_integer, same_text};
use crate::write::SqliteWriteTx;

/// The natural key of a touch: its external id, else a hash of what makes it this touch.
/// The hash covers (email, time, kind, campaign, content, channel); a unit separator between
/// fields keeps `a|b` and `ab|` apart. Stable across versions: it is stored.
pub(crate) fn upsert_touch(tx: &mut SqliteWriteTx<'_>, row: &TouchRecord) -> Result<RowResult, StoreError> {
    let Some(person_id) = tx.person_id(row.email.as_str())? else {
        let message = format!("no person with email {}; import people first", row.email);
        return Ok(Err(RowRejection::new("email", message)));
    };
    let content_id = match &row.content_url {
        None => None,
        Some(url) => match tx.content_id(url)? {
            Some(id) => Some(id),
            None => {
                let message = format!("no content item with URL {url}; import the content library first");
                return Ok(Err(RowRejection::new("content_url", message)));
            }
        },
    };
    let campaign_id = row.campaign.as_deref().map(|name| tx.campaign_or_create(name)).transpose()?;
    let attributes = if row.attributes.is_empty() {
        None
    } else {
        Some(serde_json::to_string(&row.attributes).map_err(|e| StoreError::Database(e.to_string()))?)
    };
    let key = touch_key(row);
    let occurred_at = millis(row.occurred_at);

    let connection = &tx.connection;
    let existing = connection
        .prepare_cached(
            "SELECT id, external_id, person_id, occurred_at, kind, channel, campaign_id, content_id, attributes
             FROM touches WHERE dedupe_key = ?1",
        )
        .or_db()?
        .query_row([&key], |stored| {
            let same = same_text(stored, 1, row.external_id.as_deref())?
                && same_integer(stored, 2, Some(person_id))?
                && same_integer(stored, 3, Some(occurred_at))?
                && same_text(stored, 4, Some(row.kind.as_str()))?
                && same_text(stored, 5, row.channel.as_deref())?
                && same_integer(stored, 6, campaign_id)?
                && same_integer(stored, 7, content_id)?
                && same_text(stored, 8, attributes.as_deref())?;
            Ok((stored.get::<_, i64>(0)?, same))
        })
        .optional()
        .or_db()?;
    match existing {
        Some((_, true)) => Ok(Ok(UpsertOutcome::Unchanged)),
        Some((id, false)) => {
            connection
                .prepare_cached(
                    "UPDATE touches SET external_id = ?1, person_id = ?2, occurred_at = ?3, kind = ?4, channel = ?5,
                         campaign_id = ?6, content_id = ?7, attributes = ?8
                     WHERE id = ?9",
                )
                .or_db()?
                .execute(params![
                    row.external_id,
                    person_id,
                    occurred_at,
                    row.kind.as_str(),
                    row.channel,
                    campaign_id,
                    content_id,
                    attributes,
                    id
                ])
                .or_db()?;
            Ok(Ok(UpsertOutcome::Updated))
        }
        None => {
            connection
                .prepare_cached(
                    "INSERT INTO touches (dedupe_key, external_id, person_id, occurred_at, kind, channel, campaign_id,
                                          content_id, attributes)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )
                .or_db()?
                .execute(params![
                    key,
                    row.external_id,
                    person_id,
                    occurred_at,
                    row.kind.as_str(),
                    row.channel,
                    campaign_id,
                    content_id,
                    attributes
                ])
                .or_db()?;
            Ok(Ok(UpsertOutcome::Inserted))
        }
    }
}

//! `ScoringStore` for SQLite: definition versions and approvals, model versions, scores.

use rapport_domain::{PersonId, Timestamp, UserId};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use rapport_store::{
    ApprovalSide, DefinitionApprovalView, DefinitionStatus, DefinitionVersion, ModelVersion, NewModelVersion,
    PersonScore, ScoringStore, Sink, StoreError,
};

use crate::convert::{self, millis, OrDatabaseError};
use crate::reads::for_each_row;
use crate::{revision, SqliteStore};

const VERSIONS: &str =
    "SELECT d.version, d.document, d.author_id, u.email, d.comment, d.status, d.created_at, d.activated_at
     FROM definition_versions d LEFT JOIN users u ON u.id = d.author_id";

fn version_from_row(row: &Row<'_>) -> Result<DefinitionVersion, StoreError> {
    let status: String = row.get(5).or_db()?;
    Ok(DefinitionVersion {
        version: row.get(0).or_db()?,
        document: row.get(1).or_db()?,
        author_id: row.get::<_, Option<i64>>(2).or_db()?.map(UserId),
        author_email: row.get(3).or_db()?,
        comment: row.get(4).or_db()?,
        status: DefinitionStatus::parse(&status)
            .ok_or_else(|| rapport_store::decode::corrupt("status", &status))?,
        created_at: convert::time(row.get(6).or_db()?)?,
        activated_at: convert::optional_time(row.get(7).or_db()?)?,
        approvals: Vec::new(),
    })
}

fn approvals(connection: &Connection, version: i64) -> Result<Vec<DefinitionApprovalView>, StoreError> {
    let mut list = Vec::new();
    for_each_row(
        connection,
        "SELECT a.user_id, u.email, a.side, a.approved_at FROM definition_approvals a
         JOIN users u ON u.id = a.user_id WHERE a.version = ?1 ORDER BY a.approved_at, a.user_id",
        &[&version],
        |row| {
            let side: String = row.get(2).or_db()?;
            list.push(DefinitionApprovalView {
                user_id: UserId(row.get(0).or_db()?),
                user_email: row.get(1).or_db()?,
                side: ApprovalSide::parse(&side)
                    .ok_or_else(|| rapport_store::decode::corrupt("side", &side))?,
                approved_at: convert::time(row.get(3).or_db()?)?,
            });
            Ok(())
        },
    )?;
    Ok(list)
}

fn versions(connection: &Connection, filter: Option<i64>) -> Result<Vec<DefinitionVersion>, StoreError> {
    let mut list = Vec::new();
    let each = |row: &Row<'_>| -> Result<(), StoreError> {
        list.push(version_from_row(row)?);
        Ok(())
    };
    match filter {
        Some(version) => {
            for_each_row(connection, &format!("{VERSIONS} WHERE d.version = ?1"), &[&version], each)?
        }
        None => for_each_row(connection, &format!("{VERSIONS} ORDER BY d.version"), &[], each)?,
    }
    for version in &mut list {
        version.approvals = approvals(connection, version.version)?;
    }
    Ok(list)
}

fn one_version(connection: &Connection, version: i64) -> Result<Option<DefinitionVersion>, StoreError> {
    Ok(versions(connection, Some(version))?.pop())
}

fn user_exists(connection: &Connection, user: UserId) -> Result<bool, StoreError> {
    let found: Option<i64> = connection
        .prepare_cached("SELECT id FROM users WHERE id = ?1")
        .or_db()?
        .query_row([user.0], |row| row.get(0))
        .optional()
        .or_db()?;
    Ok(found.is_some())
}

fn model_from_row(row: &Row<'_>) -> Result<ModelVersion, StoreError> {
    Ok(ModelVersion {
        version: row.get(0).or_db()?,
        target: row.get(1).or_db()?,
        model_json: row.get(2).or_db()?,
        metrics_json: row.get(3).or_db()?,
        row_count: row.get(4).or_db()?,
        trained_at: convert::time(row.get(5).or_db()?)?,
    })
}

const SCORES: &str = "SELECT person_id, fit, engagement, total, probability, grade, qualifies, reasons,
     model_version, definition_version, scored_at FROM person_scores";

fn score_from_row(row: &Row<'_>) -> Result<PersonScore, StoreError> {
    Ok(PersonScore {
        person_id: PersonId(row.get(0).or_db()?),
        fit: row.get(1).or_db()?,
        engagement: row.get(2).or_db()?,
        total: row.get(3).or_db()?,
        probability: row.get(4).or_db()?,
        grade: row.get(5).or_db()?,
        qualifies: row.get(6).or_db()?,
        reasons_json: row.get(7).or_db()?,
        model_version: row.get(8).or_db()?,
        definition_version: row.get(9).or_db()?,
        scored_at: convert::time(row.get(10).or_db()?)?,
    })
}

impl ScoringStore for SqliteStore {
    fn create_definition_draft(
        &self,
        document: &str,
        author: UserId,
        comment: Option<&str>,
        now: Timestamp,
    ) -> Result<DefinitionVersion, StoreError> {
        let mut connection = self.pool.get()?;
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).or_db()?;
        if !user_exists(&transaction, author)? {
            return Err(StoreError::NotFound { what: "user", key: author.to_string() });
        }
        let version: i64 = transaction
            .query_row("SELECT COALESCE(MAX(version), 0) + 1 FROM definition_versions", [], |row| row.get(0))
            .or_db()?;
        transaction
            .execute(
                "INSERT INTO definition_versions (version, document, author_id, comment, status, created_at)
                 VALUES (?1, ?2, ?3, ?4, 'draft', ?5)",
                params![version, document, author.0, comment, millis(now)],
            )
            .or_db()?;
        revision::bump(&transaction)?;
        let stored = one_version(&transaction, version)?;
        transaction.commit().or_db()?;
        stored.ok_or_else(|| StoreError::Database(format!("definition version {version} vanished")))
    }

    fn definition_versions(&self) -> Result<Vec<DefinitionVersion>, StoreError> {
        versions(&*self.pool.get()?, None)
    }

    fn definition_version(&self, version: i64) -> Result<Option<DefinitionVersion>, StoreError> {
        one_version(&*self.pool.get()?, version)
    }

    fn approve_definition(
        &self,
        version: i64,
        user: UserId,
        side: ApprovalSide,
        now: Timestamp,
    ) -> Result<DefinitionVersion, StoreError> {
        let mut connection = self.pool.get()?;
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).or_db()?;
        let current = one_version(&transaction, version)?
            .ok_or_else(|| StoreError::NotFound { what: "definition version", key: version.to_string() })?;
        if !user_exists(&transaction, user)? {
            return Err(StoreError::NotFound { what: "user", key: user.to_string() });
        }
        if let Some(refusal) = rapport_store::approval_refusal(&current, user, side) {
            return Err(refusal);
        }
        transaction
            .execute(
                "INSERT INTO definition_approvals (version, user_id, side, approved_at) VALUES (?1, ?2, ?3, ?4)",
                params![version, user.0, side.as_str(), millis(now)],
            )
            .or_db()?;
        let sides: i64 = transaction
            .query_row(
                "SELECT COUNT(DISTINCT side) FROM definition_approvals WHERE version = ?1",
                [version],
                |row| row.get(0),
            )
            .or_db()?;
        if sides == 2 {
            transaction
                .execute("UPDATE definition_versions SET status = 'retired' WHERE status = 'active'", [])
                .or_db()?;
            transaction
                .execute(
                    "UPDATE definition_versions SET status = 'active', activated_at = ?2 WHERE version = ?1",
                    params![version, millis(now)],
                )
                .or_db()?;
        }
        revision::bump(&transaction)?;
        let stored = one_version(&transaction, version)?;
        transaction.commit().or_db()?;
        stored.ok_or_else(|| StoreError::Database(format!("definition version {version} vanished")))
    }

    fn save_model_version(
        &self,
        model: &NewModelVersion,
        now: Timestamp,
    ) -> Result<ModelVersion, StoreError> {
        let mut connection = self.pool.get()?;
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).or_db()?;
        let version: i64 = transaction
            .query_row("SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions", [], |row| row.get(0))
            .or_db()?;
        transaction
            .execute(
                "INSERT INTO model_versions (version, target, model, metrics, row_count, trained_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    version,
                    model.target,
                    model.model_json,
                    model.metrics_json,
                    model.row_count,
                    millis(now)
                ],
            )
            .or_db()?;
        revision::bump(&transaction)?;
        transaction.commit().or_db()?;
        Ok(ModelVersion {
            version,
            target: model.target.clone(),
            model_json: model.model_json.clone(),
            metrics_json: model.metrics_json.clone(),
            row_count: model.row_count,
            trained_at: convert::time(millis(now))?,
        })
    }

    fn model_versions(&self) -> Result<Vec<ModelVersion>, StoreError> {
        let mut list = Vec::new();
        for_each_row(
            &*self.pool.get()?,
            "SELECT version, target, model, metrics, row_count, trained_at FROM model_versions ORDER BY version DESC",
            &[],
            |row| {
                list.push(model_from_row(row)?);
                Ok(())
            },
        )?;
        Ok(list)
    }

    fn put_scores(&self, scores: &[PersonScore]) -> Result<(), StoreError> {
        let mut connection = self.pool.get()?;
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).or_db()?;
        {
            let mut exists = transaction.prepare_cached("SELECT 1 FROM people WHERE id = ?1").or_db()?;
            let mut insert = transaction
                .prepare_cached(
                    "INSERT OR REPLACE INTO person_scores (person_id, fit, engagement, total, probability, grade,
                     qualifies, reasons, model_version, definition_version, scored_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )
                .or_db()?;
            for score in scores {
                if !exists.exists([score.person_id.0]).or_db()? {
                    return Err(StoreError::NotFound { what: "person", key: score.person_id.to_string() });
                }
                insert
                    .execute(params![
                        score.person_id.0,
                        score.fit,
                        score.engagement,
                        score.total,
                        score.probability,
                        score.grade,
                        score.qualifies,
                        score.reasons_json,
                        score.model_version,
                        score.definition_version,
                        millis(score.scored_at),
                    ])
                    .or_db()?;
            }
        }
        revision::bump(&transaction)?;
        transaction.commit().or_db()
    }

    fn person_score(&self, person: PersonId) -> Result<Option<PersonScore>, StoreError> {
        let mut found = None;
        for_each_row(&*self.pool.get()?, &format!("{SCORES} WHERE person_id = ?1"), &[&person.0], |row| {
            found = Some(score_from_row(row)?);
            Ok(())
        })?;
        Ok(found)
    }

    fn export_scores(&self, sink: Sink<'_, PersonScore>) -> Result<(), StoreError> {
        for_each_row(&*self.pool.get()?, &format!("{SCORES} ORDER BY person_id"), &[], |row| {
            sink(score_from_row(row)?)
        })
    }
}

//! `ScoringStore` for PostgreSQL: definition versions and approvals, model versions, scores.
//! Numbering a new version and approving one lock the versions table against other writers
//! (readers go on): these writes are rare, and the lock makes "next number" and "both sides
//! approved, so activate" race-free across servers.

use postgres::Row;
use rapport_domain::{PersonId, Timestamp, UserId};

use rapport_store::{
    ApprovalSide, DefinitionApprovalView, DefinitionStatus, DefinitionVersion, ModelVersion, NewModelVersion,
    PersonScore, ScoringStore, Sink, StoreError,
};

use crate::connection::{Connection, Transaction};
use crate::convert::{self, get, storable_value};
use crate::{revision, PostgresStore};

const VERSIONS: &str =
    "SELECT d.version, d.document, d.author_id, u.email, d.comment, d.status, d.created_at, d.activated_at
     FROM definition_versions d LEFT JOIN users u ON u.id = d.author_id";

fn version_from_row(row: &Row) -> Result<DefinitionVersion, StoreError> {
    let status: String = get(row, 5)?;
    Ok(DefinitionVersion {
        version: get(row, 0)?,
        document: get(row, 1)?,
        author_id: get::<Option<i64>>(row, 2)?.map(UserId),
        author_email: get(row, 3)?,
        comment: get(row, 4)?,
        status: DefinitionStatus::parse(&status)
            .ok_or_else(|| rapport_store::decode::corrupt("status", &status))?,
        created_at: convert::time(get(row, 6)?)?,
        activated_at: convert::optional_time(get(row, 7)?)?,
        approvals: Vec::new(),
    })
}

fn approvals(connection: &mut Connection, version: i64) -> Result<Vec<DefinitionApprovalView>, StoreError> {
    let rows = connection.query(
        "SELECT a.user_id, u.email, a.side, a.approved_at FROM definition_approvals a
         JOIN users u ON u.id = a.user_id WHERE a.version = $1 ORDER BY a.approved_at, a.user_id",
        &[&version],
    )?;
    rows.iter()
        .map(|row| {
            let side: String = get(row, 2)?;
            Ok(DefinitionApprovalView {
                user_id: UserId(get(row, 0)?),
                user_email: get(row, 1)?,
                side: ApprovalSide::parse(&side)
                    .ok_or_else(|| rapport_store::decode::corrupt("side", &side))?,
                approved_at: convert::time(get(row, 3)?)?,
            })
        })
        .collect()
}

fn versions(connection: &mut Connection, filter: Option<i64>) -> Result<Vec<DefinitionVersion>, StoreError> {
    let rows = match filter {
        Some(version) => connection.query(&format!("{VERSIONS} WHERE d.version = $1"), &[&version])?,
        None => connection.query(&format!("{VERSIONS} ORDER BY d.version"), &[])?,
    };
    let mut list = rows.iter().map(version_from_row).collect::<Result<Vec<_>, _>>()?;
    for version in &mut list {
        version.approvals = approvals(connection, version.version)?;
    }
    Ok(list)
}

fn one_version(connection: &mut Connection, version: i64) -> Result<Option<DefinitionVersion>, StoreError> {
    Ok(versions(connection, Some(version))?.pop())
}

fn user_exists(connection: &mut Connection, user: UserId) -> Result<bool, StoreError> {
    Ok(connection.query_opt("SELECT id FROM users WHERE id = $1", &[&user.0])?.is_some())
}

fn model_from_row(row: &Row) -> Result<ModelVersion, StoreError> {
    Ok(ModelVersion {
        version: get(row, 0)?,
        target: get(row, 1)?,
        model_json: get(row, 2)?,
        metrics_json: get(row, 3)?,
        row_count: get(row, 4)?,
        trained_at: convert::time(get(row, 5)?)?,
    })
}

const SCORES: &str = "SELECT person_id, fit, engagement, total, probability, grade, qualifies, reasons,
     model_version, definition_version, scored_at FROM person_scores";

fn score_from_row(row: &Row) -> Result<PersonScore, StoreError> {
    Ok(PersonScore {
        person_id: PersonId(get(row, 0)?),
        fit: get(row, 1)?,
        engagement: get(row, 2)?,
        total: get(row, 3)?,
        probability: get(row, 4)?,
        grade: get(row, 5)?,
        qualifies: get(row, 6)?,
        reasons_json: get(row, 7)?,
        model_version: get(row, 8)?,
        definition_version: get(row, 9)?,
        scored_at: convert::time(get(row, 10)?)?,
    })
}

fn lock_versions(transaction: &mut Transaction<'_>) -> Result<(), StoreError> {
    transaction.execute("LOCK TABLE definition_versions IN EXCLUSIVE MODE", &[])?;
    Ok(())
}

impl ScoringStore for PostgresStore {
    fn create_definition_draft(
        &self,
        document: &str,
        author: UserId,
        comment: Option<&str>,
        now: Timestamp,
    ) -> Result<DefinitionVersion, StoreError> {
        storable_value([("document", Some(document)), ("comment", comment)])?;
        let mut connection = self.pool.get()?;
        let mut transaction = Transaction::begin(&mut connection, "BEGIN")?;
        lock_versions(&mut transaction)?;
        if !user_exists(&mut transaction, author)? {
            return Err(StoreError::NotFound { what: "user", key: author.to_string() });
        }
        let row = transaction.query_one(
            "INSERT INTO definition_versions (version, document, author_id, comment, status, created_at)
             SELECT COALESCE(MAX(version), 0) + 1, $1, $2, $3, 'draft', $4 FROM definition_versions
             RETURNING version",
            &[&document, &author.0, &comment, &convert::millis(now)],
        )?;
        let version: i64 = get(&row, 0)?;
        revision::bump(&mut transaction)?;
        let stored = one_version(&mut transaction, version)?;
        transaction.commit()?;
        stored.ok_or_else(|| StoreError::Database(format!("definition version {version} vanished")))
    }

    fn definition_versions(&self) -> Result<Vec<DefinitionVersion>, StoreError> {
        versions(&mut *self.pool.get()?, None)
    }

    fn definition_version(&self, version: i64) -> Result<Option<DefinitionVersion>, StoreError> {
        one_version(&mut *self.pool.get()?, version)
    }

    fn approve_definition(
        &self,
        version: i64,
        user: UserId,
        side: ApprovalSide,
        now: Timestamp,
    ) -> Result<DefinitionVersion, StoreError> {
        let mut connection = self.pool.get()?;
        let mut transaction = Transaction::begin(&mut connection, "BEGIN")?;
        lock_versions(&mut transaction)?;
        let current = one_version(&mut transaction, version)?
            .ok_or_else(|| StoreError::NotFound { what: "definition version", key: version.to_string() })?;
        if !user_exists(&mut transaction, user)? {
            return Err(StoreError::NotFound { what: "user", key: user.to_string() });
        }
        if let Some(refusal) = rapport_store::approval_refusal(&current, user, side) {
            return Err(refusal);
        }
        let now = convert::millis(now);
        transaction.execute(
            "INSERT INTO definition_approvals (version, user_id, side, approved_at) VALUES ($1, $2, $3, $4)",
            &[&version, &user.0, &side.as_str(), &now],
        )?;
        let row = transaction.query_one(
            "SELECT COUNT(DISTINCT side) FROM definition_approvals WHERE version = $1",
            &[&version],
        )?;
        let sides: i64 = get(&row, 0)?;
        if sides == 2 {
            transaction
                .execute("UPDATE definition_versions SET status = 'retired' WHERE status = 'active'", &[])?;
            transaction.execute(
                "UPDATE definition_versions SET status = 'active', activated_at = $2 WHERE version = $1",
                &[&version, &now],
            )?;
        }
        revision::bump(&mut transaction)?;
        let stored = one_version(&mut transaction, version)?;
        transaction.commit()?;
        stored.ok_or_else(|| StoreError::Database(format!("definition version {version} vanished")))
    }

    fn save_model_version(
        &self,
        model: &NewModelVersion,
        now: Timestamp,
    ) -> Result<ModelVersion, StoreError> {
        storable_value([
            ("model", Some(model.model_json.as_str())),
            ("metrics", Some(model.metrics_json.as_str())),
        ])?;
        let mut connection = self.pool.get()?;
        let mut transaction = Transaction::begin(&mut connection, "BEGIN")?;
        transaction.execute("LOCK TABLE model_versions IN EXCLUSIVE MODE", &[])?;
        let row = transaction.query_one(
            "INSERT INTO model_versions (version, target, model, metrics, row_count, trained_at)
             SELECT COALESCE(MAX(version), 0) + 1, $1, $2, $3, $4, $5 FROM model_versions
             RETURNING version, target, model, metrics, row_count, trained_at",
            &[&model.target, &model.model_json, &model.metrics_json, &model.row_count, &convert::millis(now)],
        )?;
        let stored = model_from_row(&row)?;
        revision::bump(&mut transaction)?;
        transaction.commit()?;
        Ok(stored)
    }

    fn model_versions(&self) -> Result<Vec<ModelVersion>, StoreError> {
        let rows = self.pool.get()?.query(
            "SELECT version, target, model, metrics, row_count, trained_at FROM model_versions ORDER BY version DESC",
            &[],
        )?;
        rows.iter().map(model_from_row).collect()
    }

    fn put_scores(&self, scores: &[PersonScore]) -> Result<(), StoreError> {
        let mut connection = self.pool.get()?;
        let mut transaction = Transaction::begin(&mut connection, "BEGIN")?;
        for score in scores {
            storable_value([("reasons", Some(score.reasons_json.as_str()))])?;
            if transaction.query_opt("SELECT 1 FROM people WHERE id = $1", &[&score.person_id.0])?.is_none() {
                return Err(StoreError::NotFound { what: "person", key: score.person_id.to_string() });
            }
            transaction.execute(
                "INSERT INTO person_scores (person_id, fit, engagement, total, probability, grade, qualifies,
                 reasons, model_version, definition_version, scored_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                 ON CONFLICT (person_id) DO UPDATE SET fit = EXCLUDED.fit, engagement = EXCLUDED.engagement,
                 total = EXCLUDED.total, probability = EXCLUDED.probability, grade = EXCLUDED.grade,
                 qualifies = EXCLUDED.qualifies, reasons = EXCLUDED.reasons,
                 model_version = EXCLUDED.model_version, definition_version = EXCLUDED.definition_version,
                 scored_at = EXCLUDED.scored_at",
                &[
                    &score.person_id.0,
                    &score.fit,
                    &score.engagement,
                    &score.total,
                    &score.probability,
                    &score.grade,
                    &score.qualifies,
                    &score.reasons_json,
                    &score.model_version,
                    &score.definition_version,
                    &convert::millis(score.scored_at),
                ],
            )?;
        }
        revision::bump(&mut transaction)?;
        transaction.commit()
    }

    fn person_score(&self, person: PersonId) -> Result<Option<PersonScore>, StoreError> {
        let row = self.pool.get()?.query_opt(&format!("{SCORES} WHERE person_id = $1"), &[&person.0])?;
        row.as_ref().map(score_from_row).transpose()
    }

    fn export_scores(&self, sink: Sink<'_, PersonScore>) -> Result<(), StoreError> {
        let rows = self.pool.get()?.query(&format!("{SCORES} ORDER BY person_id"), &[])?;
        for row in &rows {
            sink(score_from_row(row)?)?;
        }
        Ok(())
    }
}

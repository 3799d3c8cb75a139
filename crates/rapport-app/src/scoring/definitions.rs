//! The lead definition's versions: drafting (checked before it is stored), approving (a
//! marketing and a sales user; see `rapport_scoring::definition::approval` for who counts for
//! which side), the active version, and backtesting a version against the active one.
//! Drafts and approvals are written to the audit log once the store has accepted them.

use rapport_domain::{Timestamp, User};
use rapport_scoring::definition::approval::{check_approval, Approval, Side};
use rapport_scoring::definition::{compare, parse_definition, Comparison, Definition, DEFAULT_DEFINITION};
use rapport_store::{ApprovalSide, DefinitionStatus, DefinitionVersion, Store};

use super::history;
use crate::permissions::{require, Action};
use crate::{audit, AppError};

/// The definition scores use: the active version, or Rapport's default before any version
/// was approved (`None` as version number then).
pub fn active(store: &dyn Store) -> Result<(Option<i64>, Definition), AppError> {
    let versions = store.definition_versions()?;
    match versions.iter().find(|v| v.status == DefinitionStatus::Active) {
        Some(version) => Ok((Some(version.version), parse_stored(version)?)),
        None => Ok((
            None,
            parse_definition(DEFAULT_DEFINITION).map_err(|e| AppError::invalid("default", e.to_string()))?,
        )),
    }
}

/// The text of the definition scores use: the active version's document, or Rapport's default
/// before any version was approved — what a new draft starts from.
pub fn active_document(store: &dyn Store) -> Result<(Option<i64>, String), AppError> {
    let versions = store.definition_versions()?;
    Ok(match versions.into_iter().find(|v| v.status == DefinitionStatus::Active) {
        Some(version) => (Some(version.version), version.document),
        None => (None, DEFAULT_DEFINITION.to_owned()),
    })
}

fn parse_stored(version: &DefinitionVersion) -> Result<Definition, AppError> {
    parse_definition(&version.document)
        .map_err(|e| AppError::invalid(format!("definition version {}", version.version), e.to_string()))
}

/// Checks `document` and stores it as a new draft written by `author`.
pub fn draft(
    store: &dyn Store,
    author: &User,
    document: &str,
    comment: Option<&str>,
    now: Timestamp,
) -> Result<DefinitionVersion, AppError> {
    require(author, Action::DraftDefinition)?;
    parse_definition(document).map_err(|e| AppError::invalid("document", e.to_string()))?;
    let stored = store.create_definition_draft(document, author.id, comment, now)?;
    let details = match comment.map(str::trim).filter(|c| !c.is_empty()) {
        Some(comment) => format!("drafted: {comment}"),
        None => "drafted".to_owned(),
    };
    let target = format!("definition v{}", stored.version);
    audit::record(store, &audit::entry(Some(author), "definition.draft", &target, &details, now))?;
    Ok(stored)
}

/// Records `approver`'s approval of draft `version`. An admin must name the side
/// (`marketing` or `sales`); others approve for their own team.
pub fn approve(
    store: &dyn Store,
    approver: &User,
    version: i64,
    side: Option<&str>,
    now: Timestamp,
) -> Result<DefinitionVersion, AppError> {
    require(approver, Action::ApproveDefinition)?;
    let wanted = side
        .map(|text| {
            Side::parse(text)
                .ok_or_else(|| AppError::invalid("side", format!("`{text}` is not marketing or sales")))
        })
        .transpose()?;
    let current = store
        .definition_version(version)?
        .ok_or_else(|| AppError::NotFound { what: "definition version", key: version.to_string() })?;
    let existing: Vec<Approval> =
        current.approvals.iter().map(|a| Approval { user: a.user_id, side: from_store(a.side) }).collect();
    if current.status != DefinitionStatus::Draft {
        return Err(AppError::invalid(
            "version",
            format!("version {version} is {}; only drafts are approved", current.status.as_str()),
        ));
    }
    let side = check_approval(&existing, approver.id, approver.record.role, wanted)
        .map_err(|e| AppError::invalid("approval", e.to_string()))?;
    let side = match side {
        Side::Marketing => ApprovalSide::Marketing,
        Side::Sales => ApprovalSide::Sales,
    };
    let approved = store.approve_definition(version, approver.id, side, now)?;
    let mut details = format!("approved for {}", side.as_str());
    if approved.status == DefinitionStatus::Active {
        details.push_str("; both teams agreed, now active");
    }
    let target = format!("definition v{version}");
    audit::record(store, &audit::entry(Some(approver), "definition.approve", &target, &details, now))?;
    Ok(approved)
}

fn from_store(side: ApprovalSide) -> Side {
    match side {
        ApprovalSide::Marketing => Side::Marketing,
        ApprovalSide::Sales => Side::Sales,
    }
}

pub fn show(store: &dyn Store, version: Option<i64>) -> Result<DefinitionVersion, AppError> {
    match version {
        Some(number) => store
            .definition_version(number)?
            .ok_or_else(|| AppError::NotFound { what: "definition version", key: number.to_string() }),
        None => store
            .definition_versions()?
            .into_iter()
            .find(|v| v.status == DefinitionStatus::Active)
            .ok_or_else(|| AppError::NotFound { what: "active definition version", key: "active".into() }),
    }
}

/// Replays the workspace's history up to `now` under `version` and under the active
/// definition (or the default one before any approval), month by month.
pub fn backtest(store: &dyn Store, version: i64, now: Timestamp) -> Result<Comparison, AppError> {
    let stored = show(store, Some(version))?;
    let draft = parse_stored(&stored)?;
    let (active_version, active_definition) = active(store)?;
    let people = history::load(store)?;
    let histories: Vec<_> = people.into_iter().map(|p| p.history).collect();
    let against = (active_version != Some(version)).then_some(&active_definition);
    Ok(compare(&draft, against, &histories, now))
}

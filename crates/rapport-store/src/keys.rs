//! The natural keys both backends store to deduplicate imports, and the checks of values both
//! refuse alike. One definition, so a workspace moved from SQLite to PostgreSQL keeps its keys
//! and a re-import there still finds every row.

use rapport_domain::{OpportunityOutcome, OpportunityRecord, Stage, Timestamp, TouchRecord};
use sha2::{Digest, Sha256};

use crate::StoreError;

/// A touch's key: its external id, else a hash of what it says (person, time, kind, campaign,
/// content, channel), so re-importing a file without ids adds nothing.
pub fn touch_key(row: &TouchRecord) -> String {
    if let Some(external_id) = &row.external_id {
        return external_id.clone();
    }
    let mut hasher = Sha256::new();
    for part in [
        row.email.as_str(),
        &row.occurred_at.timestamp_millis().to_string(),
        row.kind.as_str(),
        row.campaign.as_deref().unwrap_or(""),
        row.content_url.as_deref().unwrap_or(""),
        row.channel.as_deref().unwrap_or(""),
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0x1f]);
    }
    format!("sha256:{}", hex::encode(hasher.finalize()))
}

/// The dedupe key of a person-history import event.
pub fn history_key(stage: Stage, at: Timestamp) -> String {
    format!("history:{}:{}", stage.as_str(), at.timestamp_millis())
}

/// A lifecycle step a deal implies for its primary contact, with its per-deal dedupe key.
#[derive(Debug, Clone, PartialEq)]
pub struct DealStep<'a> {
    pub stage: Stage,
    pub at: Timestamp,
    pub reason: Option<&'a str>,
    pub key: String,
}

/// The steps a deal puts in its primary contact's history: `opportunity` when created, then
/// `customer` or `lost` (with the lost reason) at the close date, or at creation without one.
pub fn deal_steps(row: &OpportunityRecord) -> Vec<DealStep<'_>> {
    let key = |what: &str| format!("opportunity:{}:{what}", row.external_id);
    let closed_at = row.close_date.unwrap_or(row.created_at);
    let mut steps =
        vec![DealStep { stage: Stage::Opportunity, at: row.created_at, reason: None, key: key("open") }];
    match row.outcome {
        OpportunityOutcome::Open => {}
        OpportunityOutcome::Won => {
            steps.push(DealStep { stage: Stage::Customer, at: closed_at, reason: None, key: key("won") })
        }
        OpportunityOutcome::Lost => steps.push(DealStep {
            stage: Stage::Lost,
            at: closed_at,
            reason: row.lost_reason.as_deref(),
            key: key("lost"),
        }),
    }
    steps
}

/// A worker id must name someone: it fences the worker's leases.
pub fn check_worker_id(worker_id: &str) -> Result<(), StoreError> {
    if worker_id.trim().is_empty() || worker_id.contains('\0') {
        return Err(StoreError::Invalid {
            field: "worker_id".into(),
            message: "a worker needs a non-empty id without NUL characters".into(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use rapport_domain::{EmailAddress, TouchKind};

    use super::*;

    fn touch(campaign: Option<&str>, channel: Option<&str>) -> TouchRecord {
        TouchRecord {
            external_id: None,
            email: EmailAddress::parse("a@b.com").unwrap(),
            occurred_at: chrono::Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap(),
            kind: TouchKind::WebVisit,
            channel: channel.map(str::to_owned),
            campaign: campaign.map(str::to_owned),
            content_url: None,
            attributes: Default::default(),
        }
    }

    #[test]
    fn touches_are_keyed_by_external_id_else_by_content() {
        let mut with_id = touch(None, None);
        with_id.external_id = Some("T-1".to_owned());
        assert_eq!(touch_key(&with_id), "T-1");
        assert_eq!(touch_key(&touch(Some("ab"), None)), touch_key(&touch(Some("ab"), None)));
        assert_ne!(touch_key(&touch(Some("ab"), None)), touch_key(&touch(Some("a"), Some("b"))));
        // Stored keys must never change between releases: this is the released form.
        assert_eq!(
            touch_key(&touch(None, None)),
            "sha256:".to_owned()
                + &hex::encode(Sha256::digest("a@b.com\x1f1704067200000\x1fweb_visit\x1f\x1f\x1f\x1f"))
        );
    }

    #[test]
    fn history_keys_name_stage_and_millisecond() {
        let at = chrono::Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(history_key(Stage::Mql, at), "history:mql:1704067200000");
    }

    #[test]
    fn worker_ids_must_be_named() {
        assert!(check_worker_id("host-1").is_ok());
        for bad in ["", "  ", "a\0b"] {
            assert!(matches!(check_worker_id(bad), Err(StoreError::Invalid { .. })), "{bad:?}");
        }
    }

    #[test]
    fn deals_open_then_close_at_their_close_date_or_creation() {
        let created = chrono::Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        let mut deal = OpportunityRecord {
            external_id: "D-1".into(),
            name: "Deal".into(),
            account_domain: None,
            primary_contact: None,
            contacts: Vec::new(),
            owner_email: None,
            amount_cents: 100,
            currency: "USD".into(),
            stage: "Closed Lost".into(),
            created_at: created,
            close_date: None,
            outcome: OpportunityOutcome::Lost,
            lost_reason: Some("price".into()),
        };
        let steps = deal_steps(&deal);
        let plan: Vec<_> = steps.iter().map(|s| (s.stage, s.at, s.reason, s.key.as_str())).collect();
        assert_eq!(
            plan,
            vec![
                (Stage::Opportunity, created, None, "opportunity:D-1:open"),
                (Stage::Lost, created, Some("price"), "opportunity:D-1:lost"),
            ]
        );
        deal.outcome = OpportunityOutcome::Open;
        assert_eq!(deal_steps(&deal).len(), 1);
    }
}

//! Checks of the scoring storage: definition versions, approvals from both sides (and the
//! refusals), activation retiring the previous version, model versions and person scores.

use rapport_domain::{PersonId, Role, UserId};
use rapport_store::{ApprovalSide, DefinitionStatus, NewModelVersion, PersonScore, Store, StoreError};

use crate::fixtures::*;

fn invalid_field(result: Result<impl std::fmt::Debug, StoreError>) -> String {
    match result {
        Err(StoreError::Invalid { field, .. }) => field,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

pub fn a_definition_becomes_active_with_both_sides_and_retires_the_previous(store: &dyn Store) {
    let marketer = store.upsert_user(&user("mia@us.com", Role::Marketing)).unwrap();
    let rep = store.upsert_user(&user("rob@us.com", Role::SalesRep)).unwrap();
    let manager = store.upsert_user(&user("max@us.com", Role::SalesManager)).unwrap();
    let first =
        store.create_definition_draft("name = \"one\"", marketer.id, Some("first try"), day(1, 9)).unwrap();
    assert_eq!((first.version, first.status), (1, DefinitionStatus::Draft));
    assert_eq!(first.author_email.as_deref(), Some("mia@us.com"));
    assert_eq!(first.comment.as_deref(), Some("first try"));
    let before = store.revision().unwrap();
    let half = store.approve_definition(1, marketer.id, ApprovalSide::Marketing, day(1, 10)).unwrap();
    assert!(store.revision().unwrap() > before, "an approval moves the revision");
    assert_eq!(half.status, DefinitionStatus::Draft, "one side is not enough");
    assert_eq!(
        invalid_field(store.approve_definition(1, marketer.id, ApprovalSide::Sales, day(1, 11))),
        "user"
    );
    assert_eq!(
        invalid_field(store.approve_definition(1, manager.id, ApprovalSide::Marketing, day(1, 11))),
        "side"
    );
    let active = store.approve_definition(1, rep.id, ApprovalSide::Sales, day(1, 12)).unwrap();
    assert_eq!(active.status, DefinitionStatus::Active);
    assert_eq!(active.activated_at, Some(day(1, 12)));
    let sides: Vec<ApprovalSide> = active.approvals.iter().map(|a| a.side).collect();
    assert_eq!(sides, [ApprovalSide::Marketing, ApprovalSide::Sales]);
    assert_eq!(
        invalid_field(store.approve_definition(1, manager.id, ApprovalSide::Sales, day(2, 0))),
        "version"
    );

    let second = store.create_definition_draft("name = \"two\"", rep.id, None, day(3, 9)).unwrap();
    assert_eq!(second.version, 2);
    store.approve_definition(2, manager.id, ApprovalSide::Sales, day(3, 10)).unwrap();
    store.approve_definition(2, marketer.id, ApprovalSide::Marketing, day(3, 11)).unwrap();
    let statuses: Vec<(i64, DefinitionStatus)> =
        store.definition_versions().unwrap().iter().map(|v| (v.version, v.status)).collect();
    assert_eq!(statuses, [(1, DefinitionStatus::Retired), (2, DefinitionStatus::Active)]);
    assert_eq!(store.definition_version(2).unwrap().unwrap().document, "name = \"two\"");
}

pub fn unknown_versions_and_users_are_not_found(store: &dyn Store) {
    let marketer = store.upsert_user(&user("mia@us.com", Role::Marketing)).unwrap();
    let ghost = UserId(marketer.id.0 + 100);
    assert!(matches!(
        store.approve_definition(7, marketer.id, ApprovalSide::Marketing, day(1, 0)),
        Err(StoreError::NotFound { what: "definition version", .. })
    ));
    assert!(matches!(
        store.create_definition_draft("x", ghost, None, day(1, 0)),
        Err(StoreError::NotFound { what: "user", .. })
    ));
    store.create_definition_draft("x", marketer.id, None, day(1, 0)).unwrap();
    assert!(matches!(
        store.approve_definition(1, ghost, ApprovalSide::Sales, day(1, 0)),
        Err(StoreError::NotFound { what: "user", .. })
    ));
    assert!(store.definition_version(2).unwrap().is_none());
    assert!(store.definition_version(1).unwrap().unwrap().approvals.is_empty());
}

fn score(person: PersonId, total: f64, model_version: Option<i64>) -> PersonScore {
    PersonScore {
        person_id: person,
        fit: total / 2.0,
        engagement: total / 2.0,
        total,
        probability: model_version.map(|_| 0.25),
        grade: "B".into(),
        qualifies: total >= 60.0,
        reasons_json: "[{\"text\":\"Title matches 'VP' (+15)\"}]".into(),
        model_version,
        definition_version: None,
        scored_at: day(5, 8),
    }
}

pub fn models_and_scores_round_trip(store: &dyn Store) {
    let model = NewModelVersion {
        target: "accepted".into(),
        model_json: "{\"trees\":[]}".into(),
        metrics_json: "{\"auc\":0.8}".into(),
        row_count: 120,
    };
    let first = store.save_model_version(&model, day(4, 0)).unwrap();
    let second =
        store.save_model_version(&NewModelVersion { target: "won".into(), ..model }, day(5, 0)).unwrap();
    assert_eq!((first.version, second.version), (1, 2));
    let listed: Vec<(i64, String)> =
        store.model_versions().unwrap().into_iter().map(|m| (m.version, m.target)).collect();
    assert_eq!(listed, [(2, "won".to_owned()), (1, "accepted".to_owned())]);

    let people = import_people(store, &[person("a@them.com"), person("b@them.com")]);
    store.put_scores(&[score(people[0], 70.0, Some(2)), score(people[1], 10.0, None)]).unwrap();
    assert_eq!(store.person_score(people[0]).unwrap().unwrap(), score(people[0], 70.0, Some(2)));
    // A refresh replaces the row.
    let before = store.revision().unwrap();
    store.put_scores(&[score(people[0], 20.0, None)]).unwrap();
    assert!(store.revision().unwrap() > before);
    assert_eq!(store.person_score(people[0]).unwrap().unwrap().total, 20.0);
    // An unknown person writes nothing, not even the rows before it.
    let ghost = PersonId(people[1].0 + 100);
    let refused = store.put_scores(&[score(people[1], 99.0, None), score(ghost, 1.0, None)]);
    assert!(matches!(refused, Err(StoreError::NotFound { what: "person", .. })), "{refused:?}");
    assert_eq!(store.person_score(people[1]).unwrap().unwrap().total, 10.0);
    let mut exported = Vec::new();
    store
        .export_scores(&mut |s| {
            exported.push(s.person_id);
            Ok(())
        })
        .unwrap();
    assert_eq!(exported, people);
}

//! Checks of calls: creation with natural keys resolved (and refused when unknown), reading
//! back, listing with filters and paging, and creating a call with its job atomically.

use rapport_domain::{
    CallRecord, CallSource, CallStatus, JobStatus, NewJob, OpportunityOutcome, Participant, SpeakerRole,
};
use rapport_store::{CallQuery, JobQuery, Store, StoreError};

use crate::fixtures::*;

/// An account `acme.com`, its contact `ana@acme.com`, the rep `rep@us.com` and the deal `opp-1`.
pub fn seed_crm(store: &dyn Store) {
    write(store, |tx| outcomes(tx.upsert_accounts(&[account("acme.com")]).unwrap()));
    let mut ana = person("ana@acme.com");
    ana.account_domain = Some("acme.com".into());
    import_people(store, &[ana]);
    add_user(store, "rep@us.com");
    write(store, |tx| {
        outcomes(
            tx.upsert_opportunities(&[opportunity("opp-1", "ana@acme.com", OpportunityOutcome::Open)])
                .unwrap(),
        )
    });
}

/// A transcript-source call on day 20 linked to nothing.
pub fn call_record(title: &str) -> CallRecord {
    CallRecord {
        external_id: None,
        title: title.to_owned(),
        started_at: day(20, 9),
        duration_ms: None,
        source: CallSource::Transcript,
        participants: Vec::new(),
        person_email: None,
        account_domain: None,
        opportunity_external_id: None,
        rep_email: None,
        audio_key: None,
        audio_content_type: None,
    }
}

/// An audio call with every link set.
pub fn linked_call(title: &str) -> CallRecord {
    CallRecord {
        external_id: Some(format!("dialer-{title}")),
        duration_ms: Some(61_500),
        source: CallSource::Audio,
        participants: vec![
            Participant { name: "Rita Rep".into(), email: Some(email("rep@us.com")), role: SpeakerRole::Rep },
            Participant { name: "Ana Lopez".into(), email: None, role: SpeakerRole::Customer },
        ],
        person_email: Some(email("ana@acme.com")),
        account_domain: Some("acme.com".into()),
        opportunity_external_id: Some("opp-1".into()),
        rep_email: Some(email("rep@us.com")),
        audio_key: Some(format!("calls/{title}.wav")),
        audio_content_type: Some("audio/wav".into()),
        ..call_record(title)
    }
}

pub fn calls_are_created_with_references_resolved(store: &dyn Store) {
    seed_crm(store);
    let record = linked_call("discovery");
    let call = store.create_call(&record, day(21, 0)).unwrap();
    assert_eq!(call.record, record);
    assert_eq!(call.status, CallStatus::Queued);
    assert_eq!(call.failure, None);
    assert_eq!(call.created_at, day(21, 0));
    let ana = store.person_by_email(&email("ana@acme.com")).unwrap().unwrap();
    assert_eq!(call.person_id, Some(ana.person.id));
    assert_eq!(call.account_id, ana.person.account_id);
    assert!(call.opportunity_id.is_some());
    assert_eq!(call.rep_id, Some(store.user_by_email(&email("rep@us.com")).unwrap().unwrap().id));
    assert_eq!(store.call(call.id).unwrap(), Some(call.clone()));

    // Without a domain the call takes the person's account; the record keeps what was given.
    let record = CallRecord { person_email: Some(email("ana@acme.com")), ..call_record("follow-up") };
    let follow_up = store.create_call(&record, day(21, 0)).unwrap();
    assert_eq!(follow_up.account_id, ana.person.account_id);
    assert_eq!(follow_up.record.account_domain, None);
    assert_eq!(store.call(rapport_domain::CallId(follow_up.id.0 + 1000)).unwrap(), None);
}

fn check_refused(store: &dyn Store, record: CallRecord, expected: &str) {
    let error = store.create_call(&record, day(21, 0)).unwrap_err();
    let got = match &error {
        StoreError::NotFound { what, .. } => format!("not found: {what}"),
        StoreError::Invalid { field, .. } => format!("invalid: {field}"),
        other => panic!("expected a user error for {expected}, got {other:?}"),
    };
    assert_eq!(got, expected, "{error}");
}

pub fn call_references_and_values_are_checked(store: &dyn Store) {
    seed_crm(store);
    let base = linked_call("a");
    check_refused(
        store,
        CallRecord { person_email: Some(email("nobody@acme.com")), ..base.clone() },
        "not found: person",
    );
    check_refused(
        store,
        CallRecord { account_domain: Some("nowhere.com".into()), ..base.clone() },
        "not found: account",
    );
    check_refused(
        store,
        CallRecord { opportunity_external_id: Some("opp-x".into()), ..base.clone() },
        "not found: opportunity",
    );
    check_refused(
        store,
        CallRecord { rep_email: Some(email("ghost@us.com")), ..base.clone() },
        "not found: user",
    );
    check_refused(store, CallRecord { title: " ".into(), ..base.clone() }, "invalid: title");
    check_refused(store, CallRecord { audio_key: None, ..base.clone() }, "invalid: audio_key");
    check_refused(store, CallRecord { duration_ms: Some(-1), ..base.clone() }, "invalid: duration_ms");
    check_refused(store, CallRecord { title: "a\0b".into(), ..base.clone() }, "invalid: title");
    assert!(store.list_calls(&CallQuery::default()).unwrap().is_empty(), "refused calls wrote nothing");
    store.create_call(&base, day(21, 0)).unwrap();
    check_refused(store, CallRecord { title: "again".into(), ..base }, "invalid: external_id");
    assert_eq!(store.list_calls(&CallQuery::default()).unwrap().len(), 1);
}

pub fn list_calls_filters_and_pages(store: &dyn Store) {
    seed_crm(store);
    let other_rep = add_user(store, "other@us.com");
    let mut ids = Vec::new();
    for i in 0..6u32 {
        let mut record =
            if i % 2 == 0 { linked_call(&format!("c{i}")) } else { call_record(&format!("c{i}")) };
        record.started_at = day(20 + i, 9);
        if i == 3 {
            record.rep_email = Some(other_rep.record.email.clone());
        }
        ids.push(store.create_call(&record, day(30, 0)).unwrap().id);
    }
    store.replace_transcript(ids[4], &[], None, day(30, 1)).unwrap();
    let titles = |query: CallQuery| -> Vec<String> {
        store.list_calls(&query).unwrap().into_iter().map(|c| c.record.title).collect()
    };
    assert_eq!(titles(CallQuery::default()), ["c5", "c4", "c3", "c2", "c1", "c0"], "newest first");
    assert_eq!(titles(CallQuery { limit: 2, offset: 1, ..Default::default() }), ["c4", "c3"]);
    let linked = store.call(ids[0]).unwrap().unwrap();
    assert_eq!(titles(CallQuery { rep: linked.rep_id, ..Default::default() }), ["c4", "c2", "c0"]);
    assert_eq!(titles(CallQuery { rep: Some(other_rep.id), ..Default::default() }), ["c3"]);
    assert_eq!(titles(CallQuery { person: linked.person_id, limit: 2, ..Default::default() }), ["c4", "c2"]);
    assert_eq!(titles(CallQuery { account: linked.account_id, ..Default::default() }), ["c4", "c2", "c0"]);
    assert_eq!(
        titles(CallQuery { opportunity: linked.opportunity_id, ..Default::default() }),
        ["c4", "c2", "c0"]
    );
    assert_eq!(titles(CallQuery { status: Some(CallStatus::Ready), ..Default::default() }), ["c4"]);
    let queued_for_rep =
        CallQuery { status: Some(CallStatus::Queued), rep: linked.rep_id, ..Default::default() };
    assert_eq!(titles(queued_for_rep), ["c2", "c0"]);
}

pub fn a_call_and_its_job_are_created_together(store: &dyn Store) {
    seed_crm(store);
    let bad_job = NewJob::new("transcribe_call", "{not json", day(21, 0));
    let error = store.create_call_with_job(&linked_call("a"), &bad_job, day(21, 0)).unwrap_err();
    assert!(matches!(&error, StoreError::Invalid { field, .. } if field == "payload"), "{error:?}");
    assert!(store.list_calls(&CallQuery::default()).unwrap().is_empty(), "no call without its job");
    assert!(store.list_jobs(&JobQuery::default()).unwrap().is_empty());

    let job = NewJob::new("transcribe_call", r#"{"model":"tiny.en"}"#, day(21, 0));
    let (call, job) = store.create_call_with_job(&linked_call("a"), &job, day(21, 0)).unwrap();
    assert_eq!(call.status, CallStatus::Queued);
    assert_eq!(job.call_id, Some(call.id));
    assert_eq!((job.status, job.attempts, job.progress), (JobStatus::Queued, 0, 0.0));
    assert_eq!(job.payload_json, r#"{"model":"tiny.en"}"#, "the payload is kept verbatim");
    assert_eq!(store.job(job.id).unwrap(), Some(job.clone()));
    assert_eq!(store.list_jobs(&JobQuery { call: Some(call.id), ..Default::default() }).unwrap(), vec![job]);
}

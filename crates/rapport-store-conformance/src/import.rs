//! Checks of the batch upserts: per-row outcomes, rejections, natural-key resolution,
//! rollback and idempotent re-imports.

use rapport_domain::{EventSource, OpportunityOutcome, Stage, TouchKind};
use rapport_store::{RowRejection, Store, UpsertOutcome};

use crate::fixtures::*;

use UpsertOutcome::{Inserted, Unchanged, Updated};

/// Asserts a batch came back as exactly these outcomes.
fn check(results: Vec<rapport_store::RowResult>, expected: &[UpsertOutcome]) {
    assert_eq!(outcomes(results), expected);
}

/// Asserts a row was rejected naming `field`, with a message containing `needle`.
fn check_rejected(result: &rapport_store::RowResult, field: &str, needle: &str) {
    match result {
        Err(RowRejection { field: got_field, message }) => {
            assert_eq!(got_field, field, "rejection {message}");
            assert!(message.contains(needle), "message {message:?} should mention {needle:?}");
        }
        Ok(outcome) => panic!("expected a rejection on `{field}`, got {outcome:?}"),
    }
}

pub fn accounts_report_inserted_updated_unchanged(store: &dyn Store) {
    let first = account("acme.com");
    let mut changed = account("globex.com");
    check(
        write(store, |tx| tx.upsert_accounts(&[first.clone(), changed.clone()]).unwrap()),
        &[Inserted, Inserted],
    );
    changed.employees = Some(6000);
    check(write(store, |tx| tx.upsert_accounts(&[first, changed.clone()]).unwrap()), &[Unchanged, Updated]);
    let stored = store.account_by_domain("globex.com").unwrap().unwrap();
    assert_eq!(stored.record, changed);
    assert_eq!(store.counts().unwrap().accounts, 2);
}

pub fn campaigns_report_inserted_updated_unchanged(store: &dyn Store) {
    let mut spring = campaign("Spring webinar");
    check(write(store, |tx| tx.upsert_campaigns(&[spring.clone()]).unwrap()), &[Inserted]);
    check(write(store, |tx| tx.upsert_campaigns(&[spring.clone()]).unwrap()), &[Unchanged]);
    spring.budget = Some(9000.0);
    check(write(store, |tx| tx.upsert_campaigns(&[spring.clone()]).unwrap()), &[Updated]);
    let mut exported = Vec::new();
    store
        .export_campaigns(&mut |c| {
            exported.push(c);
            Ok(())
        })
        .unwrap();
    assert_eq!(exported.len(), 1);
    assert_eq!(exported[0].record, spring);
}

pub fn content_reports_inserted_updated_unchanged(store: &dyn Store) {
    let mut guide = content("https://example.com/guide", "The guide");
    check(write(store, |tx| tx.upsert_content(&[guide.clone()]).unwrap()), &[Inserted]);
    check(write(store, |tx| tx.upsert_content(&[guide.clone()]).unwrap()), &[Unchanged]);
    guide.title = "The better guide".to_owned();
    check(write(store, |tx| tx.upsert_content(&[guide.clone()]).unwrap()), &[Updated]);
    let mut exported = Vec::new();
    store
        .export_content(&mut |c| {
            exported.push(c);
            Ok(())
        })
        .unwrap();
    assert_eq!(exported.iter().map(|c| c.record.clone()).collect::<Vec<_>>(), vec![guide]);
}

pub fn people_report_inserted_updated_unchanged(store: &dyn Store) {
    add_user(store, "rep@us.com");
    let mut ana = person("ana@acme.com");
    ana.owner_email = Some(email("rep@us.com"));
    ana.campaign = Some("Launch".to_owned());
    let bob = person("bob@acme.com");
    check(write(store, |tx| tx.upsert_people(&[ana.clone(), bob.clone()]).unwrap()), &[Inserted, Inserted]);
    check(write(store, |tx| tx.upsert_people(&[ana.clone(), bob.clone()]).unwrap()), &[Unchanged, Unchanged]);
    ana.title = Some("CMO".to_owned());
    check(write(store, |tx| tx.upsert_people(&[ana.clone(), bob]).unwrap()), &[Updated, Unchanged]);
    let view = store.person_by_email(&ana.email).unwrap().unwrap();
    assert_eq!(view.person.record, ana);
    assert_eq!(view.owner_email.as_deref(), Some("rep@us.com"));
    assert_eq!(store.counts().unwrap().people, 2);
    assert_eq!(store.counts().unwrap().campaigns, 1, "an unknown campaign name is created");
}

pub fn touches_report_inserted_updated_unchanged(store: &dyn Store) {
    import_people(store, &[person("ana@acme.com")]);
    let mut visit = touch("ana@acme.com", day(20, 9), TouchKind::WebVisit);
    visit.external_id = Some("t-1".to_owned());
    visit.attributes.insert("page".to_owned(), "/pricing".to_owned());
    let mut click = touch("ana@acme.com", day(21, 9), TouchKind::EmailClick);
    click.external_id = Some("t-2".to_owned());
    check(
        write(store, |tx| tx.upsert_touches(&[visit.clone(), click.clone()]).unwrap()),
        &[Inserted, Inserted],
    );
    visit.attributes.insert("utm_term".to_owned(), "crm".to_owned());
    check(write(store, |tx| tx.upsert_touches(&[visit.clone(), click]).unwrap()), &[Updated, Unchanged]);
    let mut exported = Vec::new();
    store
        .export_touches(&mut |t| {
            exported.push(t);
            Ok(())
        })
        .unwrap();
    assert_eq!(exported.len(), 2);
    assert_eq!(exported[0].external_id.as_deref(), Some("t-1"));
    assert_eq!(exported[0].attributes, visit.attributes);
    assert_eq!(exported[0].email, "ana@acme.com");
}

pub fn touches_without_external_id_are_keyed_by_content(store: &dyn Store) {
    import_people(store, &[person("ana@acme.com")]);
    let visit = touch("ana@acme.com", day(20, 9), TouchKind::WebVisit);
    let mut other_channel = visit.clone();
    other_channel.channel = Some("email".to_owned());
    check(
        write(store, |tx| tx.upsert_touches(&[visit.clone(), other_channel.clone()]).unwrap()),
        &[Inserted, Inserted],
    );
    check(write(store, |tx| tx.upsert_touches(&[visit, other_channel]).unwrap()), &[Unchanged, Unchanged]);
    assert_eq!(store.counts().unwrap().touches, 2);
}

pub fn opportunities_report_inserted_updated_unchanged(store: &dyn Store) {
    import_people(store, &[person("ana@acme.com"), person("bob@acme.com")]);
    let mut deal = opportunity("opp-1", "ana@acme.com", OpportunityOutcome::Open);
    check(write(store, |tx| tx.upsert_opportunities(&[deal.clone()]).unwrap()), &[Inserted]);
    check(write(store, |tx| tx.upsert_opportunities(&[deal.clone()]).unwrap()), &[Unchanged]);
    deal.contacts.push(email("bob@acme.com"));
    check(write(store, |tx| tx.upsert_opportunities(&[deal.clone()]).unwrap()), &[Updated]);
    let mut exported = Vec::new();
    store
        .export_opportunities(&mut |o| {
            exported.push(o);
            Ok(())
        })
        .unwrap();
    assert_eq!(exported.len(), 1);
    assert_eq!(exported[0].record, deal);
}

pub fn touch_with_unknown_email_is_rejected_and_writes_nothing(store: &dyn Store) {
    import_people(store, &[person("ana@acme.com")]);
    let mut stranger = touch("nobody@acme.com", day(20, 0), TouchKind::WebVisit);
    stranger.campaign = Some("Never created".to_owned());
    let known = touch("ana@acme.com", day(20, 0), TouchKind::WebVisit);
    let results = write(store, |tx| tx.upsert_touches(&[stranger, known]).unwrap());
    check_rejected(&results[0], "email", "nobody@acme.com");
    assert_eq!(results[1], Ok(Inserted), "a rejected row does not fail the batch");
    let counts = store.counts().unwrap();
    assert_eq!((counts.touches, counts.campaigns), (1, 0), "the rejected row created nothing");
}

pub fn touch_with_unknown_content_is_rejected_and_writes_nothing(store: &dyn Store) {
    import_people(store, &[person("ana@acme.com")]);
    write(store, |tx| tx.upsert_content(&[content("https://x.com/known", "Known")]).unwrap());
    let mut unknown = touch("ana@acme.com", day(20, 0), TouchKind::ContentDownload);
    unknown.content_url = Some("https://x.com/missing".to_owned());
    unknown.campaign = Some("Never created".to_owned());
    let mut known = unknown.clone();
    known.content_url = Some("https://x.com/known".to_owned());
    known.campaign = None;
    let results = write(store, |tx| tx.upsert_touches(&[unknown, known]).unwrap());
    check_rejected(&results[0], "content_url", "https://x.com/missing");
    assert_eq!(results[1], Ok(Inserted));
    let counts = store.counts().unwrap();
    assert_eq!((counts.touches, counts.campaigns), (1, 0));
}

pub fn touch_with_unknown_campaign_creates_it(store: &dyn Store) {
    import_people(store, &[person("ana@acme.com")]);
    let mut visit = touch("ana@acme.com", day(20, 0), TouchKind::AdClick);
    visit.campaign = Some("Retargeting".to_owned());
    check(write(store, |tx| tx.upsert_touches(&[visit]).unwrap()), &[Inserted]);
    let mut campaigns = Vec::new();
    store
        .export_campaigns(&mut |c| {
            campaigns.push(c.record.name);
            Ok(())
        })
        .unwrap();
    assert_eq!(campaigns, vec!["Retargeting".to_owned()]);
    let touches =
        store.recent_touches(store.person_by_email(&email("ana@acme.com")).unwrap().unwrap().person.id, 10);
    assert_eq!(touches.unwrap()[0].campaign.as_deref(), Some("Retargeting"));
}

pub fn person_with_unknown_owner_is_rejected_and_writes_nothing(store: &dyn Store) {
    let mut ana = person("ana@acme.com");
    ana.owner_email = Some(email("ghost@us.com"));
    ana.account_domain = Some("acme.com".to_owned());
    ana.campaign = Some("Never created".to_owned());
    ana.stage_history = vec![(Stage::Lead, day(10, 0))];
    let results = write(store, |tx| tx.upsert_people(&[ana.clone()]).unwrap());
    check_rejected(&results[0], "owner_email", "ghost@us.com");
    let counts = store.counts().unwrap();
    assert_eq!(
        (counts.people, counts.accounts, counts.campaigns, counts.stage_events),
        (0, 0, 0, 0),
        "nothing of the rejected row was written"
    );
    assert!(store.person_by_email(&ana.email).unwrap().is_none());
}

pub fn opportunity_with_unknown_contact_is_rejected_and_writes_nothing(store: &dyn Store) {
    import_people(store, &[person("ana@acme.com")]);
    let unknown_primary = opportunity("opp-1", "ghost@acme.com", OpportunityOutcome::Won);
    let mut unknown_owner = opportunity("opp-2", "ana@acme.com", OpportunityOutcome::Won);
    unknown_owner.owner_email = Some(email("ghost@us.com"));
    let results = write(store, |tx| tx.upsert_opportunities(&[unknown_primary, unknown_owner]).unwrap());
    check_rejected(&results[0], "primary_contact", "ghost@acme.com");
    check_rejected(&results[1], "owner_email", "ghost@us.com");
    let counts = store.counts().unwrap();
    assert_eq!((counts.opportunities, counts.stage_events), (0, 0));
}

pub fn person_account_is_resolved_by_domain(store: &dyn Store) {
    write(store, |tx| tx.upsert_accounts(&[account("acme.com")]).unwrap());
    let by_email_domain = person("ana@acme.com");
    let no_such_account = person("bob@globex.com");
    let mut named_domain = person("cy@gmail.com");
    named_domain.account_domain = Some("initech.com".to_owned());
    import_people(store, &[by_email_domain, no_such_account, named_domain]);
    let account_of = |address: &str| {
        let view = store.person_by_email(&email(address)).unwrap().unwrap();
        view.account.map(|a| a.record.domain.unwrap_or_default())
    };
    assert_eq!(account_of("ana@acme.com").as_deref(), Some("acme.com"));
    assert_eq!(account_of("bob@globex.com"), None, "the email domain never creates an account");
    assert_eq!(account_of("cy@gmail.com").as_deref(), Some("initech.com"));
    let created = store.account_by_domain("initech.com").unwrap().unwrap();
    assert_eq!(created.record.name, "initech.com", "a minimal account is named after its domain");
    assert!(store.account_by_domain("globex.com").unwrap().is_none());
}

pub fn dropping_a_write_rolls_back_everything(store: &dyn Store) {
    {
        let mut tx = store.begin_write().unwrap();
        tx.upsert_accounts(&[account("acme.com")]).unwrap();
        tx.upsert_people(&[person("ana@acme.com")]).unwrap();
        let ana = email("ana@acme.com");
        tx.append_transitions(&ana, &[request(Stage::Lead, day(11, 0))]).unwrap();
        tx.upsert_touches(&[touch("ana@acme.com", day(12, 0), TouchKind::WebVisit)]).unwrap();
    }
    assert_eq!(store.counts().unwrap(), rapport_store::Counts::default());
    // The store is still usable after the rollback.
    import_people(store, &[person("ana@acme.com")]);
    assert_eq!(store.counts().unwrap().people, 1);
}

pub fn stage_history_reimport_adds_nothing(store: &dyn Store) {
    let mut ana = person("ana@acme.com");
    ana.stage_history = vec![(Stage::Mql, day(12, 0)), (Stage::Lead, day(10, 0))];
    check(write(store, |tx| tx.upsert_people(&[ana.clone()]).unwrap()), &[Inserted]);
    check(write(store, |tx| tx.upsert_people(&[ana.clone()]).unwrap()), &[Unchanged]);
    let id = store.person_by_email(&ana.email).unwrap().unwrap().person.id;
    let history = store.stage_history(id).unwrap();
    assert_eq!(history.iter().map(|e| e.to).collect::<Vec<_>>(), vec![Stage::Lead, Stage::Mql], "time order");
    assert!(history.iter().all(|e| e.source == EventSource::Import && !e.forced));
    assert_eq!(history[1].from, Some(Stage::Lead));
    // A new entry in the CRM's history is added once, and only it.
    ana.stage_history.push((Stage::Sal, day(14, 0)));
    check(write(store, |tx| tx.upsert_people(&[ana.clone()]).unwrap()), &[Updated]);
    check(write(store, |tx| tx.upsert_people(&[ana.clone()]).unwrap()), &[Unchanged]);
    assert_eq!(history_stages(store, id), vec![Stage::Lead, Stage::Mql, Stage::Sal]);
    assert_eq!(store.person(id).unwrap().unwrap().stage, Some(Stage::Sal));
}

pub fn opportunity_import_moves_the_primary_contact(store: &dyn Store) {
    let mut ana = person("ana@acme.com");
    ana.stage_history = vec![(Stage::Sql, day(30, 0))];
    let ids = import_people(store, &[ana, person("bob@acme.com")]);
    let mut deal = opportunity("opp-1", "ana@acme.com", OpportunityOutcome::Open);
    deal.contacts.push(email("bob@acme.com"));
    write(store, |tx| tx.upsert_opportunities(&[deal.clone()]).unwrap());
    assert_eq!(history_stages(store, ids[0]), vec![Stage::Sql, Stage::Opportunity]);
    assert_eq!(history_stages(store, ids[1]), vec![], "only the primary contact moves");
    // Re-import adds nothing; a change of outcome adds the closing event once.
    write(store, |tx| tx.upsert_opportunities(&[deal.clone()]).unwrap());
    deal.outcome = OpportunityOutcome::Won;
    deal.close_date = Some(day(90, 0));
    deal.stage = "Closed Won".to_owned();
    check(write(store, |tx| tx.upsert_opportunities(&[deal.clone()]).unwrap()), &[Updated]);
    check(write(store, |tx| tx.upsert_opportunities(&[deal.clone()]).unwrap()), &[Unchanged]);
    let history = store.stage_history(ids[0]).unwrap();
    assert_eq!(
        history.iter().map(|e| e.to).collect::<Vec<_>>(),
        vec![Stage::Sql, Stage::Opportunity, Stage::Customer]
    );
    assert_eq!(history[1].at, day(40, 0), "the opportunity event is at the deal's creation");
    assert_eq!(history[2].at, day(90, 0), "the won event is at the close date");
    assert!(history.iter().all(|e| e.source == EventSource::Import));
    assert_eq!(store.person(ids[0]).unwrap().unwrap().stage, Some(Stage::Customer));

    let lost = opportunity("opp-2", "bob@acme.com", OpportunityOutcome::Lost);
    write(store, |tx| tx.upsert_opportunities(std::slice::from_ref(&lost)).unwrap());
    write(store, |tx| tx.upsert_opportunities(&[lost]).unwrap());
    assert_eq!(history_stages(store, ids[1]), vec![Stage::Opportunity, Stage::Lost]);
}

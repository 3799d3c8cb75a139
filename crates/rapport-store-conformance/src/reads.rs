//! Checks of the read side: person views, lists with filters and paging, streaming exports,
//! counts and recent touches.

use rapport_domain::{OpportunityOutcome, Stage, TouchKind};
use rapport_store::{PeopleQuery, Store, StoreError};

use crate::fixtures::*;

pub fn list_people_filters_and_pages(store: &dyn Store) {
    let rep = add_user(store, "rep@us.com");
    let mut people: Vec<_> = (0..7).map(|i| person(&format!("p{i}@acme.com"))).collect();
    for (i, p) in people.iter_mut().enumerate() {
        p.created_at = day(10 + i as u32, 0);
        if i % 2 == 0 {
            p.owner_email = Some(email("rep@us.com"));
        }
    }
    let ids = import_people(store, &people);
    for id in &ids[..3] {
        store.transition(*id, &request(Stage::Mql, day(30, 0))).unwrap();
    }
    let emails = |query: PeopleQuery| -> Vec<String> {
        store.list_people(&query).unwrap().into_iter().map(|p| p.person.record.email.to_string()).collect()
    };
    let all = emails(PeopleQuery::default());
    let newest_first: Vec<String> = (0..7).rev().map(|i| format!("p{i}@acme.com")).collect();
    assert_eq!(all, newest_first, "limit 0 lists everyone, newest first");
    assert_eq!(
        emails(PeopleQuery { limit: 3, offset: 2, ..Default::default() }),
        newest_first[2..5].to_vec()
    );
    assert_eq!(emails(PeopleQuery { limit: 3, offset: 6, ..Default::default() }), newest_first[6..].to_vec());
    let mqls = emails(PeopleQuery { stage: Some(Stage::Mql), ..Default::default() });
    assert_eq!(mqls, vec!["p2@acme.com", "p1@acme.com", "p0@acme.com"]);
    let owned = emails(PeopleQuery { owner: Some(rep.id), ..Default::default() });
    assert_eq!(owned, vec!["p6@acme.com", "p4@acme.com", "p2@acme.com", "p0@acme.com"]);
    let both = emails(PeopleQuery { owner: Some(rep.id), stage: Some(Stage::Mql), limit: 1, offset: 1 });
    assert_eq!(both, vec!["p0@acme.com"]);
    let listed =
        store.list_people(&PeopleQuery { stage: Some(Stage::Mql), limit: 1, ..Default::default() }).unwrap();
    assert_eq!(listed[0].stage_since, Some(day(30, 0)));
}

pub fn exports_stream_every_row(store: &dyn Store) {
    let domains: Vec<String> = (0..25).map(|i| format!("d{i}.com")).collect();
    let accounts: Vec<_> = domains.iter().map(|d| account(d)).collect();
    write(store, |tx| tx.upsert_accounts(&accounts).unwrap());
    let people: Vec<_> = (0..40).map(|i| person(&format!("p{i}@d{}.com", i % 25))).collect();
    import_people(store, &people);
    let touches: Vec<_> = (0..90)
        .map(|i| touch(&format!("p{}@d{}.com", i % 40, (i % 40) % 25), day(50, i), TouchKind::WebVisit))
        .collect();
    write(store, |tx| outcomes(tx.upsert_touches(&touches).unwrap()));
    let deals: Vec<_> = (0..5)
        .map(|i| opportunity(&format!("o{i}"), &format!("p{i}@d{i}.com"), OpportunityOutcome::Won))
        .collect();
    write(store, |tx| outcomes(tx.upsert_opportunities(&deals).unwrap()));

    let mut exported_accounts = Vec::new();
    store
        .export_accounts(&mut |a| {
            exported_accounts.push(a);
            Ok(())
        })
        .unwrap();
    assert_eq!(exported_accounts.iter().map(|a| a.record.clone()).collect::<Vec<_>>(), accounts);
    let mut exported_people = Vec::new();
    store
        .export_people(&mut |p| {
            exported_people.push(p);
            Ok(())
        })
        .unwrap();
    assert_eq!(exported_people.len(), 40);
    assert!(exported_people.windows(2).all(|w| w[0].person.id < w[1].person.id), "in id order");
    assert!(exported_people.iter().all(|p| p.account.is_some()));
    assert_eq!(exported_people[3].stage, Some(Stage::Customer), "views carry the derived stage");
    let mut exported_touches = Vec::new();
    store
        .export_touches(&mut |t| {
            exported_touches.push(t);
            Ok(())
        })
        .unwrap();
    assert_eq!(exported_touches.len(), 90);
    assert!(exported_touches.windows(2).all(|w| w[0].id < w[1].id), "in id order");
    assert_eq!(exported_touches[89].occurred_at, day(50, 89));
    let mut exported_deals = Vec::new();
    store
        .export_opportunities(&mut |o| {
            exported_deals.push(o.record);
            Ok(())
        })
        .unwrap();
    assert_eq!(exported_deals, deals);
}

pub fn export_stops_when_the_sink_fails(store: &dyn Store) {
    let people: Vec<_> = (0..10).map(|i| person(&format!("p{i}@acme.com"))).collect();
    import_people(store, &people);
    let mut seen = 0;
    let result = store.export_people(&mut |_| {
        seen += 1;
        if seen == 3 {
            return Err(StoreError::Invalid { field: "sink".into(), message: "disk full".into() });
        }
        Ok(())
    });
    assert!(matches!(result, Err(StoreError::Invalid { .. })), "{result:?}");
    assert_eq!(seen, 3);
}

pub fn counts_count_every_table(store: &dyn Store) {
    add_user(store, "rep@us.com");
    write(store, |tx| {
        tx.upsert_accounts(&[account("acme.com"), account("globex.com")]).unwrap();
        tx.upsert_campaigns(&[campaign("A"), campaign("B"), campaign("C")]).unwrap();
        tx.upsert_content(&[content("https://x.com/1", "One")]).unwrap();
    });
    let mut ana = person("ana@acme.com");
    ana.stage_history = vec![(Stage::Lead, day(10, 0)), (Stage::Mql, day(11, 0))];
    import_people(store, &[ana]);
    write(store, |tx| {
        tx.upsert_touches(&[touch("ana@acme.com", day(12, 0), TouchKind::WebVisit)]).unwrap();
        tx.upsert_opportunities(&[opportunity("o1", "ana@acme.com", OpportunityOutcome::Open)]).unwrap();
    });
    let counts = store.counts().unwrap();
    let expected = rapport_store::Counts {
        accounts: 2,
        people: 1,
        campaigns: 3,
        content: 1,
        touches: 1,
        opportunities: 1,
        stage_events: 3,
        users: 1,
    };
    assert_eq!(counts, expected);
}

pub fn recent_touches_are_newest_first(store: &dyn Store) {
    let ids = import_people(store, &[person("ana@acme.com"), person("bob@acme.com")]);
    let touches: Vec<_> =
        [5, 1, 9, 3].iter().map(|h| touch("ana@acme.com", day(20, *h), TouchKind::WebVisit)).collect();
    write(store, |tx| tx.upsert_touches(&touches).unwrap());
    write(store, |tx| tx.upsert_touches(&[touch("bob@acme.com", day(25, 0), TouchKind::WebVisit)]).unwrap());
    let recent = store.recent_touches(ids[0], 3).unwrap();
    let times: Vec<_> = recent.iter().map(|t| t.occurred_at).collect();
    assert_eq!(times, vec![day(20, 9), day(20, 5), day(20, 3)]);
    assert!(recent.iter().all(|t| t.person_id == ids[0]));
}

pub fn person_view_resolves_references(store: &dyn Store) {
    let rep = add_user(store, "rep@us.com");
    write(store, |tx| tx.upsert_accounts(&[account("acme.com")]).unwrap());
    let mut ana = person("ana@acme.com");
    ana.owner_email = Some(email("rep@us.com"));
    ana.campaign = Some("Launch".to_owned());
    ana.external_id = Some("crm-1".to_owned());
    let id = import_people(store, &[ana.clone()])[0];
    let view = store.person(id).unwrap().unwrap();
    assert_eq!(view, store.person_by_email(&ana.email).unwrap().unwrap());
    assert_eq!(view.person.owner_id, Some(rep.id));
    assert_eq!(view.account.as_ref().map(|a| a.id), view.person.account_id);
    assert_eq!(view.account.unwrap().record, account("acme.com"));
    assert!(view.person.campaign_id.is_some());
    assert_eq!(view.person.record, ana);
    assert!(store.person(rapport_domain::PersonId(id.0 + 1000)).unwrap().is_none());
    assert!(store.person_by_email(&email("ghost@acme.com")).unwrap().is_none());
}

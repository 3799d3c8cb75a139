//! Checks of the analytics facts: which people, events, touches and deals each report gets,
//! and that every filter selects the right people.

use rapport_domain::{FactsFilter, OpportunityOutcome, PersonId, Stage, TouchKind};
use rapport_store::Store;

use crate::fixtures::*;

/// Three people: ana (acme, 120 employees, paid_search, campaign Launch, owned by rep),
/// bob (globex, 6000 employees, organic) and cy (no account, organic); ana has history,
/// touches and a won deal with bob as a second contact.
fn seed(store: &dyn Store) -> Vec<PersonId> {
    add_user(store, "rep@us.com");
    let mut globex = account("globex.com");
    globex.industry = Some("manufacturing".to_owned());
    globex.employees = Some(6000);
    write(store, |tx| tx.upsert_accounts(&[account("acme.com"), globex]).unwrap());
    write(store, |tx| tx.upsert_content(&[content("https://x.com/case", "Case study")]).unwrap());
    let mut ana = person("ana@acme.com");
    ana.source = Some("paid_search".to_owned());
    ana.campaign = Some("Launch".to_owned());
    ana.owner_email = Some(email("rep@us.com"));
    ana.stage_history = vec![(Stage::Lead, day(10, 0)), (Stage::Mql, day(12, 0))];
    let bob = person("bob@globex.com");
    let mut cy = person("cy@gmail.com");
    cy.stage_history = vec![(Stage::Lead, day(11, 0))];
    let ids = import_people(store, &[ana, bob, cy]);
    let mut download = touch("ana@acme.com", day(20, 0), TouchKind::ContentDownload);
    download.content_url = Some("https://x.com/case".to_owned());
    download.campaign = Some("Launch".to_owned());
    let call = touch("ana@acme.com", day(13, 0), TouchKind::SalesActivity);
    let late = touch("ana@acme.com", day(60, 0), TouchKind::WebVisit);
    let bob_visit = touch("bob@globex.com", day(30, 0), TouchKind::WebVisit);
    let cy_call = touch("cy@gmail.com", day(14, 0), TouchKind::SalesActivity);
    write(store, |tx| outcomes(tx.upsert_touches(&[download, call, late, bob_visit, cy_call]).unwrap()));
    let mut deal = opportunity("o1", "ana@acme.com", OpportunityOutcome::Won);
    deal.contacts = vec![email("bob@globex.com")];
    write(store, |tx| outcomes(tx.upsert_opportunities(&[deal]).unwrap()));
    ids
}

pub fn funnel_facts_hold_people_events_touches_and_deals(store: &dyn Store) {
    let ids = seed(store);
    let facts = store.funnel_facts(&FactsFilter::default()).unwrap();
    assert_eq!(facts.people.iter().map(|p| p.person_id).collect::<Vec<_>>(), ids);
    let ana = &facts.people[0];
    assert_eq!(ana.created_at, day(10, 0));
    assert_eq!(ana.source.as_deref(), Some("paid_search"));
    assert_eq!(ana.campaign.as_deref(), Some("Launch"));
    assert_eq!(ana.owner.as_deref(), Some("rep@us.com"));
    assert_eq!(ana.industry.as_deref(), Some("software"));
    assert_eq!(ana.employees, Some(120));
    assert_eq!(facts.people[2].industry, None);
    let events: Vec<_> = facts.events.iter().map(|e| (e.person_id, e.to)).collect();
    let expected = vec![
        (ids[0], Stage::Lead),
        (ids[0], Stage::Mql),
        (ids[0], Stage::Opportunity),
        (ids[0], Stage::Customer),
        (ids[2], Stage::Lead),
    ];
    assert_eq!(events, expected, "ordered by (person, at, sequence)");
    assert!(facts
        .events
        .windows(2)
        .all(|w| w[0].person_id != w[1].person_id || w[0].sequence < w[1].sequence));
    let sales: Vec<_> = facts.sales_touches.iter().map(|t| (t.person_id, t.at, t.kind)).collect();
    assert_eq!(
        sales,
        vec![(ids[0], day(13, 0), TouchKind::SalesActivity), (ids[2], day(14, 0), TouchKind::SalesActivity)]
    );
    assert_eq!(facts.opportunities.len(), 1);
    let deal = &facts.opportunities[0];
    assert_eq!(deal.primary_contact, Some(ids[0]));
    assert_eq!(deal.contacts, vec![ids[0], ids[1]], "the primary contact is included");
    assert_eq!(deal.outcome, OpportunityOutcome::Won);
    assert_eq!(deal.amount_cents, 1_234_500);
}

pub fn funnel_facts_filters_select_people(store: &dyn Store) {
    let ids = seed(store);
    let people_for = |filter: FactsFilter| -> Vec<PersonId> {
        store.funnel_facts(&filter).unwrap().people.iter().map(|p| p.person_id).collect()
    };
    assert_eq!(
        people_for(FactsFilter { source: Some("organic".into()), ..Default::default() }),
        vec![ids[1], ids[2]]
    );
    assert_eq!(
        people_for(FactsFilter { campaign: Some("Launch".into()), ..Default::default() }),
        vec![ids[0]]
    );
    assert_eq!(
        people_for(FactsFilter { owner: Some("rep@us.com".into()), ..Default::default() }),
        vec![ids[0]]
    );
    assert_eq!(
        people_for(FactsFilter { industry: Some("manufacturing".into()), ..Default::default() }),
        vec![ids[1]]
    );
    for (band, expected) in
        [("5000+", vec![ids[1]]), ("50-199", vec![ids[0]]), ("unknown", vec![ids[2]]), ("1-49", vec![])]
    {
        assert_eq!(
            people_for(FactsFilter { size_band: Some(band.into()), ..Default::default() }),
            expected,
            "band {band}"
        );
    }
    let nobody =
        FactsFilter { source: Some("organic".into()), campaign: Some("Launch".into()), ..Default::default() };
    assert_eq!(people_for(nobody), vec![], "filters combine with AND");
    let organic =
        store.funnel_facts(&FactsFilter { source: Some("organic".into()), ..Default::default() }).unwrap();
    assert!(organic.events.iter().all(|e| e.person_id == ids[2]));
    assert_eq!(organic.sales_touches.len(), 1);
    assert!(organic.opportunities.is_empty(), "bob is only a secondary contact");
}

pub fn attribution_facts_hold_deals_and_prior_touches(store: &dyn Store) {
    let ids = seed(store);
    let facts = store.attribution_facts(&FactsFilter::default()).unwrap();
    assert_eq!(facts.opportunities.len(), 1);
    assert_eq!(facts.opportunities[0].created_at, day(40, 0));
    let touches: Vec<_> = facts.touches.iter().map(|t| (t.person_id, t.at, t.kind)).collect();
    // Sales activity and touches after the deal was created are left out.
    assert_eq!(
        touches,
        vec![(ids[0], day(20, 0), TouchKind::ContentDownload), (ids[1], day(30, 0), TouchKind::WebVisit)]
    );
    assert_eq!(facts.touches[0].campaign.as_deref(), Some("Launch"));
    assert_eq!(facts.touches[0].content.as_deref(), Some("Case study"), "content by title");
    let people: Vec<_> = facts.people.iter().map(|p| (p.person_id, p.created_at)).collect();
    assert_eq!(people, vec![(ids[0], day(10, 0)), (ids[1], day(10, 0))], "only the deal's contacts");
}

pub fn attribution_facts_follow_the_filter(store: &dyn Store) {
    seed(store);
    let paid =
        store.attribution_facts(&FactsFilter { source: Some("paid_search".into()), ..Default::default() });
    assert_eq!(paid.unwrap().opportunities.len(), 1);
    let organic = store
        .attribution_facts(&FactsFilter { source: Some("organic".into()), ..Default::default() })
        .unwrap();
    assert!(organic.opportunities.is_empty(), "deals follow their primary contact");
    assert!(organic.touches.is_empty());
    assert!(organic.people.is_empty());
}

//! HubSpot and Salesforce exports (fixtures with those tools' own column names and value
//! spellings) import with the right values and lifecycle history.

use rapport_domain::{Opportunity, OpportunityOutcome, Stage};
use rapport_import::{load_mapping, ImportKind, ImportOptions, Preset};
use rapport_store::Store;

use crate::support::{add_user, at, fixture, history, import, import_clean, person, tally};

use Stage::{Customer, Lead, Lost, Mql, Opportunity as Opp, Sal, Sql, Subscriber};

fn hubspot_with_owners() -> ImportOptions {
    let mapping = load_mapping(&fixture("hubspot/owners.toml")).unwrap();
    ImportOptions { preset: Preset::Hubspot, mapping: Some(mapping), ..ImportOptions::default() }
}

fn opportunities(store: &dyn Store) -> Vec<Opportunity> {
    let mut all = Vec::new();
    store
        .export_opportunities(&mut |opportunity| {
            all.push(opportunity);
            Ok(())
        })
        .unwrap();
    all
}

fn opportunity<'a>(all: &'a [Opportunity], external_id: &str) -> &'a Opportunity {
    all.iter()
        .find(|o| o.record.external_id == external_id)
        .unwrap_or_else(|| panic!("no deal {external_id}"))
}

pub fn hubspot_contacts_import_with_values_and_history(store: &dyn Store) {
    add_user(store, "dana@ourco.com", "Dana Whitfield");
    let summary =
        import_clean(store, ImportKind::People, &fixture("hubspot/contacts.csv"), &hubspot_with_owners());
    assert_eq!((summary.rows, tally(&summary)), (5, (5, 0, 0, 0)));

    let maria = person(store, "maria.gonzalez@northwind.io");
    let record = &maria.person.record;
    assert_eq!(record.external_id.as_deref(), Some("51"));
    assert_eq!(
        (record.first_name.as_deref(), record.last_name.as_deref()),
        (Some("Maria"), Some("Gonzalez"))
    );
    assert_eq!(record.title.as_deref(), Some("VP Marketing"));
    assert_eq!(record.account_domain.as_deref(), Some("northwind.io"));
    assert_eq!(record.owner_email.as_ref().map(|e| e.as_str()), Some("dana@ourco.com"));
    assert_eq!(maria.owner_email.as_deref(), Some("dana@ourco.com"));
    // "Paid Search" is HubSpot's label; Rapport keeps sources as snake_case keys.
    assert_eq!(record.source.as_deref(), Some("paid_search"));
    assert_eq!(record.country.as_deref(), Some("Spain"));
    assert_eq!(record.created_at, at("2024-01-08T09:15:00Z"));
    assert_eq!(maria.account.as_ref().and_then(|a| a.record.domain.as_deref()), Some("northwind.io"));
    assert_eq!((maria.stage, maria.stage_since), (Some(Mql), Some(at("2024-01-19T16:40:00Z"))));
    assert_eq!(
        history(store, "maria.gonzalez@northwind.io"),
        vec![(None, Lead, at("2024-01-08T09:15:00Z")), (Some(Lead), Mql, at("2024-01-19T16:40:00Z"))]
    );

    // Every "Became a … Date" column is one event, in time order, each from the one before.
    let tom = person(store, "tom@beckerlabs.de");
    assert_eq!(
        tom.person.record.account_domain.as_deref(),
        Some("beckerlabs.de"),
        "the website URL is reduced"
    );
    assert_eq!(tom.person.record.source.as_deref(), Some("organic"));
    assert_eq!(
        history(store, "tom@beckerlabs.de"),
        vec![
            (None, Lead, at("2023-11-02T08:00:00Z")),
            (Some(Lead), Mql, at("2023-11-10T12:30:00Z")),
            (Some(Mql), Sql, at("2023-11-20T09:00:00Z")),
            (Some(Sql), Opp, at("2023-12-01T10:00:00Z")),
            (Some(Opp), Customer, at("2024-01-15T00:00:00Z")),
        ]
    );
    assert_eq!(tom.stage, Some(Customer));

    let priya = person(store, "priya.n@gmail.com");
    assert_eq!(priya.person.record.source.as_deref(), Some("direct"));
    assert_eq!(priya.person.record.title, None, "a blank cell is no value");
    assert_eq!(priya.person.record.owner_email, None);
    assert!(priya.account.is_none(), "a personal address must not become a company");
    assert_eq!(history(store, "priya.n@gmail.com"), vec![(None, Subscriber, at("2024-02-03T21:47:00Z"))]);

    // HubSpot's "Evangelist" has no Rapport stage: it is a customer, dated by the last known step.
    let sam = person(store, "sam.lee@contoso.com");
    assert_eq!(sam.person.record.source.as_deref(), Some("referral"));
    assert_eq!(
        history(store, "sam.lee@contoso.com"),
        vec![(None, Lead, at("2023-06-12T13:00:00Z")), (Some(Lead), Customer, at("2023-06-12T13:00:00Z"))]
    );

    // "Other" means no stage at all.
    let alex = person(store, "alex.moreau@fabrikam.fr");
    assert_eq!(alex.person.record.source.as_deref(), Some("offline"));
    assert_eq!(alex.stage, None);
    assert!(history(store, "alex.moreau@fabrikam.fr").is_empty());
    assert_eq!(store.counts().unwrap().stage_events, 2 + 5 + 1 + 2);
}

pub fn hubspot_companies_and_deals_import(store: &dyn Store) {
    add_user(store, "dana@ourco.com", "Dana Whitfield");
    let options = hubspot_with_owners();
    let companies = import_clean(store, ImportKind::Accounts, &fixture("hubspot/companies.csv"), &options);
    assert_eq!(tally(&companies), (3, 0, 0, 0));
    import_clean(store, ImportKind::People, &fixture("hubspot/contacts.csv"), &options);
    let deals = import_clean(store, ImportKind::Opportunities, &fixture("hubspot/deals.csv"), &options);
    assert_eq!(tally(&deals), (3, 0, 0, 0));

    let northwind = store.account_by_domain("northwind.io").unwrap().unwrap();
    assert_eq!(northwind.record.name, "Northwind");
    assert_eq!(northwind.record.external_id.as_deref(), Some("9001"));
    assert_eq!(northwind.record.industry.as_deref(), Some("COMPUTER_SOFTWARE"));
    assert_eq!(northwind.record.employees, Some(250));
    assert_eq!(northwind.record.annual_revenue, Some(12_000_000.0));
    let becker = store.account_by_domain("beckerlabs.de").unwrap().unwrap();
    assert_eq!((becker.record.employees, becker.record.annual_revenue), (Some(1200), Some(85_000_000.5)));
    let contoso = store.account_by_domain("contoso.com").unwrap().unwrap();
    assert_eq!((contoso.record.employees, contoso.record.country.as_deref()), (None, Some("United States")));
    assert_eq!(person(store, "maria.gonzalez@northwind.io").person.account_id, Some(northwind.id));
    // Sam's row names Contoso's domain too; the account is the imported one, not a new one.
    assert_eq!(person(store, "sam.lee@contoso.com").person.account_id, Some(contoso.id));
    assert_eq!(store.counts().unwrap().accounts, 4, "Fabrikam comes from Alex's row alone");

    let all = opportunities(store);
    let platform = opportunity(&all, "7001");
    assert_eq!(platform.record.name, "Northwind - Platform");
    assert_eq!(platform.record.stage, "Contract Sent");
    assert_eq!((platform.record.amount_cents, platform.record.currency.as_str()), (4_800_000, "USD"));
    assert_eq!(platform.record.outcome, OpportunityOutcome::Open);
    assert_eq!(platform.record.created_at, at("2024-02-02T11:00:00Z"));
    assert_eq!(platform.record.close_date, Some(at("2024-03-29T00:00:00Z")));
    assert_eq!(platform.record.owner_email.as_ref().map(|e| e.as_str()), Some("dana@ourco.com"));
    assert_eq!(
        platform.record.primary_contact.as_ref().map(|e| e.as_str()),
        Some("maria.gonzalez@northwind.io")
    );
    assert_eq!(platform.account_id, Some(northwind.id));
    let renewal = opportunity(&all, "7002");
    assert_eq!((renewal.record.amount_cents, renewal.record.outcome), (1_250_050, OpportunityOutcome::Won));
    let pilot = opportunity(&all, "7003");
    assert_eq!((pilot.record.amount_cents, pilot.record.outcome), (990_000, OpportunityOutcome::Lost));
    assert_eq!(pilot.record.lost_reason.as_deref(), Some("Chose a competitor"));

    // An open deal moves its contact to opportunity; a lost one records the loss.
    assert_eq!(
        history(store, "maria.gonzalez@northwind.io"),
        vec![
            (None, Lead, at("2024-01-08T09:15:00Z")),
            (Some(Lead), Mql, at("2024-01-19T16:40:00Z")),
            (Some(Mql), Opp, at("2024-02-02T11:00:00Z")),
        ]
    );
    assert_eq!(
        history(store, "alex.moreau@fabrikam.fr"),
        vec![(None, Opp, at("2024-02-21T09:00:00Z")), (Some(Opp), Lost, at("2024-03-05T00:00:00Z"))]
    );
    assert_eq!(person(store, "alex.moreau@fabrikam.fr").stage, Some(Lost));
    // HubSpot's "Became an Opportunity/Customer Date" and the won deal describe the same two
    // steps at the same times: each is recorded once.
    let tom = history(store, "tom@beckerlabs.de");
    let at_step =
        |stage: Stage, time: &str| tom.iter().filter(|(_, to, t)| *to == stage && *t == at(time)).count();
    assert_eq!((at_step(Opp, "2023-12-01T10:00:00Z"), at_step(Customer, "2024-01-15T00:00:00Z")), (1, 1));
    assert_eq!(tom.len(), 5, "{tom:?}");
}

pub fn salesforce_leads_contacts_and_opportunities_import(store: &dyn Store) {
    add_user(store, "kim@ourco.com", "Kim Park");
    let options = ImportOptions { preset: Preset::Salesforce, ..ImportOptions::default() };
    // The report's footer (copyright, "Generated By", …) is not data.
    let strict = ImportOptions { strict: true, ..options.clone() };
    let leads = import_clean(store, ImportKind::People, &fixture("salesforce/leads.csv"), &strict);
    assert_eq!((leads.rows, tally(&leads), leads.rolled_back), (5, (5, 0, 0, 0), false));

    let jordan = person(store, "jordan.smith@globex.com");
    let record = &jordan.person.record;
    assert_eq!(record.external_id.as_deref(), Some("00Q5e00000AbC01EAF"));
    assert_eq!(record.title.as_deref(), Some("Marketing Manager"));
    assert_eq!(record.source.as_deref(), Some("web"));
    assert_eq!(record.owner_email.as_ref().map(|e| e.as_str()), Some("kim@ourco.com"));
    assert_eq!(record.country.as_deref(), Some("United States"));
    assert_eq!(record.created_at, at("2024-03-04T09:12:00Z"), "Salesforce's US date and 12-hour time");
    // Lead statuses are working states; the preset reads them as funnel stages.
    assert_eq!(history(store, "jordan.smith@globex.com"), vec![(None, Mql, at("2024-03-04T09:12:00Z"))]);
    assert_eq!(history(store, "lena.fischer@initech.de"), vec![(None, Sal, at("2024-02-27T16:45:00Z"))]);
    assert_eq!(
        person(store, "lena.fischer@initech.de").person.record.source.as_deref(),
        Some("partner_referral")
    );
    assert_eq!(
        history(store, "omar@umbrella.ae"),
        vec![(None, Sql, at("2024-02-01T00:00:00Z"))],
        "dated by Converted Date"
    );
    assert_eq!(person(store, "omar@umbrella.ae").person.record.source.as_deref(), Some("events"));
    assert_eq!(
        history(store, "chen.wei@hooli.cn"),
        vec![(None, Stage::Recycled, at("2023-12-05T15:30:00Z"))]
    );
    let ines = person(store, "ines@stark.pt");
    assert_eq!(ines.person.record.source.as_deref(), Some("paid_ads"));
    assert_eq!(ines.person.record.created_at, at("2024-03-11T00:00:00Z"));

    // The converted lead comes back as a contact: same person, updated.
    let contacts = import_clean(store, ImportKind::People, &fixture("salesforce/contacts.csv"), &options);
    assert_eq!(tally(&contacts), (1, 1, 0, 0));
    let omar = person(store, "omar@umbrella.ae");
    assert_eq!(omar.person.record.external_id.as_deref(), Some("0035e00000XyZ01AAB"));
    assert_eq!(omar.person.record.created_at, at("2024-02-01T10:05:00Z"));
    // The contact export has no owner column, and an absent column reads as blank, so the
    // owner the lead export gave is cleared. Asserted so a change of that rule is seen.
    assert_eq!(omar.person.record.owner_email, None);
    let rita = person(store, "rita.okafor@umbrella.ae");
    assert_eq!(rita.person.record.source.as_deref(), Some("phone_inquiry"));
    assert_eq!(rita.stage, None);

    let deals =
        import_clean(store, ImportKind::Opportunities, &fixture("salesforce/opportunities.csv"), &options);
    assert_eq!(tally(&deals), (3, 0, 0, 0));
    let all = opportunities(store);
    let suite = opportunity(&all, "0065e00000Op001AAA");
    assert_eq!(suite.record.name, "Umbrella - Security Suite");
    assert_eq!((suite.record.amount_cents, suite.record.currency.as_str()), (4_800_000, "USD"));
    assert_eq!((suite.record.stage.as_str(), suite.record.outcome), ("Closed Won", OpportunityOutcome::Won));
    assert_eq!(suite.record.close_date, Some(at("2024-03-28T00:00:00Z")));
    assert_eq!(suite.record.created_at, at("2024-02-01T10:10:00Z"));
    assert_eq!(suite.record.owner_email.as_ref().map(|e| e.as_str()), Some("kim@ourco.com"));
    let expansion = opportunity(&all, "0065e00000Op002AAA");
    assert_eq!((expansion.record.amount_cents, expansion.record.currency.as_str()), (1_250_050, "EUR"));
    assert_eq!(expansion.record.outcome, OpportunityOutcome::Open);
    let pilot = opportunity(&all, "0065e00000Op003AAA");
    assert_eq!((pilot.record.amount_cents, pilot.record.outcome), (0, OpportunityOutcome::Lost));
    assert_eq!(
        (pilot.record.lost_reason.as_deref(), pilot.record.primary_contact.as_ref()),
        (Some("Price"), None)
    );

    assert_eq!(
        history(store, "omar@umbrella.ae"),
        vec![
            (None, Sql, at("2024-02-01T00:00:00Z")),
            (Some(Sql), Opp, at("2024-02-01T10:10:00Z")),
            (Some(Opp), Customer, at("2024-03-28T00:00:00Z")),
        ]
    );
    assert_eq!(history(store, "rita.okafor@umbrella.ae"), vec![(None, Opp, at("2024-03-30T14:00:00Z"))]);
    assert_eq!(person(store, "omar@umbrella.ae").stage, Some(Customer));
}

pub fn crm_owner_names_need_a_value_map(store: &dyn Store) {
    add_user(store, "dana@ourco.com", "Dana Whitfield");
    let options = ImportOptions { preset: Preset::Hubspot, ..ImportOptions::default() };
    let summary = import(store, ImportKind::People, &fixture("hubspot/contacts.csv"), &options);
    assert_eq!(tally(&summary), (3, 0, 0, 2));
    let lines: Vec<u64> = summary.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![2, 3]);
    for error in &summary.errors {
        assert_eq!(error.column.as_deref(), Some("Contact owner"));
        assert_eq!(error.field, "owner_email");
        assert!(error.message.contains("`Dana Whitfield` is not an email address"), "{}", error.message);
        assert!(error.message.contains("[<kind>.values.owner_email]"), "{}", error.message);
    }
    assert!(store.person_by_email(&crate::support::email("maria.gonzalez@northwind.io")).unwrap().is_none());
}

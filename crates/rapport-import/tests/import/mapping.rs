//! Custom TOML mappings: unusual headers, value maps, a `;`-separated file with a BOM, and touch
//! columns nobody mapped kept as attributes.

use std::collections::BTreeMap;

use rapport_domain::{Stage, TouchKind};
use rapport_import::{load_mapping, ImportError, ImportKind, ImportOptions};
use rapport_store::Store;

use crate::support::{assert_refused, at, fixture, history, import_clean, person, tally};

fn with_mapping() -> ImportOptions {
    let mapping = load_mapping(&fixture("mapping/leads.toml")).unwrap();
    ImportOptions { mapping: Some(mapping), ..ImportOptions::default() }
}

pub fn custom_mapping_imports_unusual_headers(store: &dyn Store) {
    let summary = import_clean(store, ImportKind::People, &fixture("mapping/leads.csv"), &with_mapping());
    assert_eq!((summary.rows, tally(&summary)), (4, (4, 0, 0, 0)));

    let ana = person(store, "ana.lopez@acme.es");
    let record = &ana.person.record;
    assert_eq!((record.first_name.as_deref(), record.last_name.as_deref()), (Some("Ana"), Some("López")));
    assert_eq!(record.source.as_deref(), Some("paid_search"), "value map");
    assert_eq!(record.created_at, at("2024-03-01T14:05:00Z"));
    assert_eq!(record.account_domain.as_deref(), Some("acme.es"));
    assert_eq!(history(store, "ana.lopez@acme.es"), vec![(None, Stage::Mql, at("2024-03-05T10:00:00Z"))]);

    let ben = person(store, "ben@globex.com");
    assert_eq!(ben.person.record.source.as_deref(), Some("paid_social"));
    assert_eq!(ben.person.record.created_at, at("2024-03-02T00:00:00Z"), "03/02/2024 is March 2nd");
    assert_eq!(history(store, "ben@globex.com"), vec![(None, Stage::Lead, at("2024-03-02T00:00:00Z"))]);

    let carla = person(store, "carla@gmail.com");
    assert_eq!(carla.person.record.source, None, "an empty target blanks the value");
    assert_eq!(carla.stage, Some(Stage::Subscriber));
    assert!(carla.account.is_none());

    let dev = person(store, "dev@initech.io");
    assert_eq!(
        dev.person.record.source.as_deref(),
        Some("Webinar"),
        "values without a map entry pass through"
    );
    assert_eq!(dev.person.record.created_at, at("2024-03-04T07:30:00Z"), "the offset is honoured");
    assert_eq!(dev.stage, None);
    assert_eq!(store.counts().unwrap().stage_events, 3);
}

pub fn custom_mapping_maps_touch_kinds_and_keeps_extra_columns(store: &dyn Store) {
    let options = with_mapping();
    import_clean(store, ImportKind::People, &fixture("mapping/leads.csv"), &options);
    let summary = import_clean(store, ImportKind::Touches, &fixture("mapping/activity.csv"), &options);
    assert_eq!(tally(&summary), (3, 0, 0, 0));

    let ana = person(store, "ana.lopez@acme.es");
    let touches = store.recent_touches(ana.person.id, 10).unwrap();
    let seen: Vec<_> = touches
        .iter()
        .map(|t| (t.occurred_at, t.kind, t.campaign.clone().unwrap_or_default(), t.attributes.clone()))
        .collect();
    let attributes = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    };
    assert_eq!(
        seen,
        vec![
            (
                at("2024-03-06T09:07:00Z"),
                TouchKind::FormFill,
                "Spring Launch".to_owned(),
                attributes(&[("Page", "/demo"), ("Rep notes", "wants SSO, SAML")])
            ),
            (
                at("2024-03-06T09:00:00Z"),
                TouchKind::WebVisit,
                "Spring Launch".to_owned(),
                attributes(&[("Page", "/pricing")])
            ),
        ]
    );
    let ben = person(store, "ben@globex.com");
    let touches = store.recent_touches(ben.person.id, 10).unwrap();
    assert_eq!(touches.len(), 1);
    assert_eq!((touches[0].kind, touches[0].campaign.as_deref()), (TouchKind::Event, Some("SaaStr 2024")));
    assert_eq!(
        touches[0].attributes,
        attributes(&[("Rep notes", "met at booth 12")]),
        "a blank cell is no attribute"
    );
    assert_eq!(store.counts().unwrap().campaigns, 2, "campaigns named by touches are created once");
}

pub fn mapped_header_missing_from_the_file_is_refused(store: &dyn Store) {
    let path = fixture("hubspot/contacts.csv");
    let error = assert_refused(store, ImportKind::People, &path, &with_mapping());
    assert!(matches!(error, ImportError::MissingColumn { column: "email", .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("looked for a header named \"E-mail Address\""), "{message}");
    assert!(
        message.contains("\"Record ID\", \"First Name\""),
        "the message lists the header found: {message}"
    );
}

pub fn bad_mapping_file_names_the_file_and_line(store: &dyn Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::support::write_file(
        dir.path(),
        "crm.toml",
        "[people]\nemail = \"E-mail Address\"\nemial_address = \"Mail\"\n",
    );
    let error = load_mapping(&path).unwrap_err();
    assert!(matches!(error, ImportError::Mapping { line: 3, .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.starts_with(&format!("mapping file {}, line 3:", path.display())), "{message}");
    assert!(message.contains("`emial_address` is not a people column (one of: email,"), "{message}");
    assert_eq!(store.counts().unwrap(), rapport_store::Counts::default());
}

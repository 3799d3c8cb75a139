//! Checks of the content report's facts (analysed calls with their content mentions, resolved
//! or not, outcome and rep) and of an account's people and deals.

use rapport_domain::{CallId, ContentId, OpportunityOutcome, SpeakerRole, UtteranceRow};
use rapport_store::analysis::{AnalysisFilter, ContentMentionRow, NewAnalysis};
use rapport_store::content::ContentMention;
use rapport_store::Store;

use crate::calls::{call_record, linked_call, seed_crm};
use crate::fixtures::*;

fn said(index: u32, text: &str) -> UtteranceRow {
    UtteranceRow {
        index,
        speaker: Some("Rita".into()),
        role: SpeakerRole::Rep,
        channel: None,
        start_ms: i64::from(index) * 5000,
        end_ms: i64::from(index) * 5000 + 4000,
        text: text.to_owned(),
        words: Vec::new(),
    }
}

fn mention(content: Option<ContentId>, label: &str, utterance: u32) -> ContentMentionRow {
    ContentMentionRow { content_id: content, label: label.to_owned(), utterance, time_ms: 0 }
}

fn analysed(store: &dyn Store, call: CallId, mentions: Vec<ContentMentionRow>) {
    store
        .replace_transcript(
            call,
            &[said(0, "See the guide."), said(1, "And the case study.")],
            None,
            day(41, 0),
        )
        .unwrap();
    let analysis = NewAnalysis {
        document: "{}".into(),
        analysis_version: 1,
        tracker_set_version: 1,
        hits: Vec::new(),
        content_mentions: mentions,
    };
    store.put_analysis(call, &analysis, day(41, 1)).unwrap();
}

pub fn content_call_facts_carry_mentions_outcome_and_rep(store: &dyn Store) {
    seed_crm(store);
    write(store, |tx| {
        outcomes(tx.upsert_content(&[content("https://us.com/guide", "The Guide")]).unwrap());
        let mut won = opportunity("opp-2", "ana@acme.com", OpportunityOutcome::Won);
        won.account_domain = Some("acme.com".into());
        outcomes(tx.upsert_opportunities(&[won]).unwrap())
    });
    let mut guide = None;
    store
        .export_content(&mut |item| {
            guide = Some(item.id);
            Ok(())
        })
        .unwrap();
    let won_record = rapport_domain::CallRecord {
        opportunity_external_id: Some("opp-2".into()),
        started_at: day(40, 9),
        ..linked_call("won deal")
    };
    let won = store.create_call(&won_record, day(40, 0)).unwrap();
    let plain = store.create_call(&call_record("unlinked"), day(21, 0)).unwrap();
    let never = store.create_call(&call_record("not analysed"), day(21, 0)).unwrap();
    analysed(store, won.id, vec![mention(guide, "The Guide", 0), mention(None, "case study", 1)]);
    analysed(store, plain.id, Vec::new());
    let facts = store.content_call_facts(&AnalysisFilter::default()).unwrap();
    assert_eq!(facts.iter().map(|f| f.call).collect::<Vec<_>>(), vec![plain.id, won.id], "oldest first");
    assert!(!facts.iter().any(|f| f.call == never.id), "only analysed calls");
    assert_eq!(facts[0].mentions, Vec::new());
    assert_eq!((facts[0].outcome, facts[0].rep), (None, None));
    assert_eq!(facts[1].outcome, Some(OpportunityOutcome::Won));
    assert!(facts[1].rep.is_some());
    assert_eq!(
        facts[1].mentions,
        vec![
            ContentMention { content: guide, label: "The Guide".into() },
            ContentMention { content: None, label: "case study".into() },
        ]
    );
    let later = store.content_call_facts(&AnalysisFilter { from: Some(day(30, 0)), to: None }).unwrap();
    assert_eq!(later.iter().map(|f| f.call).collect::<Vec<_>>(), vec![won.id]);
}

pub fn an_account_lists_its_people_and_deals(store: &dyn Store) {
    seed_crm(store);
    let mut bo = person("bo@acme.com");
    bo.account_domain = Some("acme.com".into());
    bo.first_name = Some("Bo".into());
    import_people(store, &[bo, person("solo@elsewhere.com")]);
    write(store, |tx| {
        let mut won = opportunity("opp-2", "bo@acme.com", OpportunityOutcome::Won);
        won.account_domain = Some("acme.com".into());
        won.created_at = day(50, 0);
        let mut elsewhere = opportunity("opp-3", "solo@elsewhere.com", OpportunityOutcome::Lost);
        elsewhere.account_domain = None;
        outcomes(tx.upsert_opportunities(&[won, elsewhere]).unwrap())
    });
    let account = store.account_by_domain("acme.com").unwrap().unwrap();
    let people = store.account_people(account.id, 0).unwrap();
    let emails: Vec<&str> = people.iter().map(|p| p.person.record.email.as_str()).collect();
    assert_eq!(emails, vec!["ana@acme.com", "bo@acme.com"]);
    assert!(people.iter().all(|p| p.person.account_id == Some(account.id)));
    assert_eq!(store.account_people(account.id, 1).unwrap().len(), 1, "the limit holds");
    let deals = store.account_opportunities(account.id).unwrap();
    let names: Vec<&str> = deals.iter().map(|d| d.record.external_id.as_str()).collect();
    assert!(names.contains(&"opp-2") && !names.contains(&"opp-3"), "{names:?}");
    assert_eq!(names[0], "opp-2", "newest first");
    assert_eq!(deals[0].record.outcome, OpportunityOutcome::Won);
    assert_eq!(deals[0].record.contacts, vec![email("bo@acme.com")]);
}

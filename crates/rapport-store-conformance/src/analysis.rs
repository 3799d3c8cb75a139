//! Checks of the analysis storage: trackers as data (versions, seeding once), analyses with
//! their hit rows replaced atomically, stale calls found for re-analysis, analysis facts with
//! segments, and transcript search (terms, filters, highlights that no transcript can forge,
//! operator- and SQL-looking queries kept inert, permissions).

use rapport_domain::{CallId, OpportunityOutcome, SpeakerRole, UtteranceRow};
use rapport_store::analysis::{
    parse_search, AnalysisFilter, AnalysisSettings, CallSide, NewAnalysis, SearchHit, SearchQuery,
    TrackerDefinition, TrackerHitRow, TrackerKind, HIGHLIGHT_END, HIGHLIGHT_START,
};
use rapport_store::{Store, StoreError};

use crate::calls::{call_record, linked_call, seed_crm};
use crate::fixtures::*;

fn tracker(name: &str, phrase: &str) -> TrackerDefinition {
    TrackerDefinition {
        name: name.to_owned(),
        kind: TrackerKind::Keyword,
        definition: format!("{{\"name\":\"{name}\",\"phrases\":[\"{phrase}\"]}}"),
    }
}

fn said(index: u32, role: SpeakerRole, text: &str) -> UtteranceRow {
    UtteranceRow {
        index,
        speaker: Some(if role == SpeakerRole::Rep { "Rita" } else { "Ana" }.to_owned()),
        role,
        channel: None,
        start_ms: i64::from(index) * 5000,
        end_ms: i64::from(index) * 5000 + 4000,
        text: text.to_owned(),
        words: Vec::new(),
    }
}

fn hit(tracker: &str, utterance: u32, side: SpeakerRole) -> TrackerHitRow {
    TrackerHitRow {
        tracker: tracker.to_owned(),
        utterance,
        time_ms: i64::from(utterance) * 5000,
        side,
        speaker: Some("Ana".into()),
        score: None,
    }
}

fn analysis(set_version: u64, hits: Vec<TrackerHitRow>) -> NewAnalysis {
    NewAnalysis {
        document: "{\"stats\":{}}".into(),
        analysis_version: 1,
        tracker_set_version: set_version,
        hits,
        content_mentions: Vec::new(),
    }
}

fn search(store: &dyn Store, text: &str) -> Vec<SearchHit> {
    store.search_utterances(&SearchQuery::new(parse_search(text, "q").unwrap(), 50)).unwrap()
}

fn found(hits: &[SearchHit]) -> Vec<(CallId, u32)> {
    let mut found: Vec<(CallId, u32)> = hits.iter().map(|h| (h.call, h.utterance)).collect();
    found.sort();
    found
}

pub fn trackers_are_versioned_and_seeded_once(store: &dyn Store) {
    let empty = store.tracker_set().unwrap();
    assert_eq!((empty.trackers.len(), empty.set_version, empty.seeded), (0, 0, false));
    let defaults = [tracker("Pricing", "price"), tracker("Budget", "budget")];
    assert!(store.seed_trackers(&defaults, day(10, 0)).unwrap());
    let seeded = store.tracker_set().unwrap();
    assert!(seeded.seeded);
    assert_eq!(
        seeded.trackers.iter().map(|t| t.tracker.name.as_str()).collect::<Vec<_>>(),
        ["Budget", "Pricing"]
    );
    store.remove_tracker("Budget", day(10, 1)).unwrap();
    assert!(!store.seed_trackers(&defaults, day(10, 2)).unwrap(), "defaults are seeded once only");
    assert_eq!(store.tracker_set().unwrap().trackers.len(), 1, "a removed default stays removed");

    let revision = store.revision().unwrap();
    let before = store.tracker_set().unwrap().set_version;
    let changed = store.put_tracker(&tracker("Pricing", "pricing"), day(11, 0)).unwrap();
    assert_eq!(changed.version, 2);
    let after = store.tracker_set().unwrap();
    assert!(after.set_version > before, "a change moves the set's version");
    assert!(store.revision().unwrap() > revision, "a tracker change moves the revision");
    assert_eq!(after.trackers[0].tracker.definition, tracker("Pricing", "pricing").definition);
    assert_eq!(after.trackers[0].updated_at, day(11, 0));

    let bad = TrackerDefinition { definition: "{not json".into(), ..tracker("Bad", "x") };
    match store.put_tracker(&bad, day(11, 1)) {
        Err(StoreError::Invalid { field, .. }) => assert_eq!(field, "definition"),
        other => panic!("expected Invalid(definition), got {other:?}"),
    }
    match store.put_tracker(&tracker(" ", "x"), day(11, 1)) {
        Err(StoreError::Invalid { field, .. }) => assert_eq!(field, "name"),
        other => panic!("expected Invalid(name), got {other:?}"),
    }
    assert!(matches!(store.remove_tracker("Nope", day(11, 2)), Err(StoreError::NotFound { .. })));
    assert!(store.analysis_settings().unwrap().redact_pii, "redaction is on by default");
    store.put_analysis_settings(&AnalysisSettings { redact_pii: false }).unwrap();
    assert!(!store.analysis_settings().unwrap().redact_pii);
}

pub fn an_analysis_replaces_the_previous_one_with_its_hits(store: &dyn Store) {
    seed_crm(store);
    let call = store.create_call(&linked_call("a"), day(21, 0)).unwrap();
    let transcript = [
        said(0, SpeakerRole::Rep, "What does your budget look like?"),
        said(1, SpeakerRole::Customer, "The price is too high compared to Gong."),
    ];
    store.replace_transcript(call.id, &transcript, None, day(21, 1)).unwrap();
    assert_eq!(store.analysis(call.id).unwrap(), None);
    let first =
        analysis(1, vec![hit("Budget", 0, SpeakerRole::Rep), hit("Pricing", 1, SpeakerRole::Customer)]);
    let revision = store.revision().unwrap();
    store.put_analysis(call.id, &first, day(21, 2)).unwrap();
    assert!(store.revision().unwrap() > revision);
    let stored = store.analysis(call.id).unwrap().unwrap();
    assert_eq!(
        (stored.hits.clone(), stored.analysed_at, stored.tracker_set_version),
        (first.hits, day(21, 2), 1)
    );

    let second = analysis(2, vec![hit("Competitors", 1, SpeakerRole::Customer)]);
    store.put_analysis(call.id, &second, day(21, 3)).unwrap();
    let stored = store.analysis(call.id).unwrap().unwrap();
    assert_eq!(stored.hits, second.hits, "exactly the second set of hits");

    // A hit on an utterance the transcript lacks is refused and changes nothing.
    let bad = analysis(3, vec![hit("Pricing", 7, SpeakerRole::Customer)]);
    match store.put_analysis(call.id, &bad, day(21, 4)) {
        Err(StoreError::Invalid { field, .. }) => assert_eq!(field, "hits[0].utterance"),
        other => panic!("expected Invalid(hits[0].utterance), got {other:?}"),
    }
    assert_eq!(store.analysis(call.id).unwrap().unwrap().tracker_set_version, 2);
    assert!(matches!(
        store.put_analysis(CallId(999_999), &second, day(21, 5)),
        Err(StoreError::NotFound { .. })
    ));
}

pub fn stale_calls_are_found_in_batches(store: &dyn Store) {
    let mut calls = Vec::new();
    for name in ["a", "b", "c", "d"] {
        let call = store.create_call(&call_record(name), day(21, 0)).unwrap();
        store
            .replace_transcript(call.id, &[said(0, SpeakerRole::Customer, "hello")], None, day(21, 1))
            .unwrap();
        calls.push(call.id);
    }
    let queued = store.create_call(&call_record("no transcript yet"), day(21, 0)).unwrap();
    store.put_analysis(calls[1], &analysis(5, Vec::new()), day(21, 2)).unwrap();
    let first = store.stale_analyses(1, 5, None, 2).unwrap().calls;
    assert_eq!(first, vec![calls[0], calls[2]], "analysed and not-ready calls are skipped");
    let next = store.stale_analyses(1, 5, first.last().copied(), 2).unwrap().calls;
    assert_eq!(next, vec![calls[3]]);
    let all = store.stale_analyses(1, 6, None, 10).unwrap().calls;
    assert_eq!(all, calls, "a newer tracker set makes every ready call stale");
    assert!(!all.contains(&queued.id));
    assert_eq!(store.stale_analyses(2, 5, None, 10).unwrap().calls, calls, "so does a newer analysis");
}

/// Two linked calls (won and open deals, one rep) and one unlinked, each with a transcript.
fn searchable(store: &dyn Store) -> (CallId, CallId, CallId) {
    seed_crm(store);
    write(store, |tx| {
        outcomes(
            tx.upsert_opportunities(&[opportunity("opp-2", "ana@acme.com", OpportunityOutcome::Won)])
                .unwrap(),
        )
    });
    let open = store.create_call(&linked_call("open deal"), day(21, 0)).unwrap();
    let won_record = rapport_domain::CallRecord {
        opportunity_external_id: Some("opp-2".into()),
        started_at: day(40, 9),
        ..linked_call("won deal")
    };
    let won = store.create_call(&won_record, day(40, 0)).unwrap();
    let other = store.create_call(&call_record("unlinked"), day(21, 0)).unwrap();
    store
        .replace_transcript(
            open.id,
            &[
                said(0, SpeakerRole::Rep, "How are you handling pricing today?"),
                said(1, SpeakerRole::Customer, "Honestly the price of Gong is too high for us."),
                said(2, SpeakerRole::Customer, "We need SOC 2 before any contract."),
            ],
            None,
            day(21, 1),
        )
        .unwrap();
    store
        .replace_transcript(
            won.id,
            &[
                said(0, SpeakerRole::Customer, "The price works, send the contract."),
                said(1, SpeakerRole::Rep, "<b>Great</b> — I'll send it; <script>alert(1)</script>"),
            ],
            None,
            day(40, 1),
        )
        .unwrap();
    store
        .replace_transcript(
            other.id,
            &[said(0, SpeakerRole::Unknown, "'; DROP TABLE calls; -- price \u{E000}forged\u{E001} NEAR")],
            None,
            day(21, 1),
        )
        .unwrap();
    store
        .put_analysis(open.id, &analysis(1, vec![hit("Competitors", 1, SpeakerRole::Customer)]), day(21, 2))
        .unwrap();
    (open.id, won.id, other.id)
}

pub fn search_finds_words_and_phrases_with_stemming(store: &dyn Store) {
    let (open, won, other) = searchable(store);
    assert_eq!(
        found(&search(store, "price")),
        vec![(open, 0), (open, 1), (won, 0), (other, 0)],
        "pricing stems to price"
    );
    assert_eq!(found(&search(store, "contract price")), vec![(won, 0)], "every term must occur");
    assert_eq!(found(&search(store, "\"soc 2\"")), vec![(open, 2)]);
    assert_eq!(found(&search(store, "\"2 soc\"")), vec![], "a phrase keeps its order");
    assert_eq!(found(&search(store, "GONG")), vec![(open, 1)], "case-insensitive");
    assert!(search(store, "zebra").is_empty());

    let hits = search(store, "gong");
    let hit = &hits[0];
    assert_eq!((hit.call_title.as_str(), hit.call_started_at), ("open deal", day(20, 9)));
    assert_eq!((hit.speaker.as_deref(), hit.side, hit.start_ms), (Some("Ana"), CallSide::Customer, 5000));
    let highlighted: Vec<String> = hit
        .highlights
        .iter()
        .map(|h| hit.snippet.chars().skip(h.start as usize).take((h.end - h.start) as usize).collect())
        .collect();
    assert_eq!(highlighted, ["Gong"]);
    assert!(hit.snippet.contains("price of Gong is too high"));
}

pub fn search_highlights_cannot_be_forged_and_markup_stays_text(store: &dyn Store) {
    let (_, won, other) = searchable(store);
    let hits = search(store, "forged");
    assert_eq!(found(&hits), vec![(other, 0)]);
    assert_eq!(hits[0].highlights.len(), 1, "only the real match is highlighted");
    assert!(!hits[0].snippet.contains(HIGHLIGHT_START) && !hits[0].snippet.contains(HIGHLIGHT_END));
    let hits = search(store, "drop table");
    assert_eq!(found(&hits), vec![(other, 0)], "SQL in a transcript is just words");
    // Markup is text to search and to show (escaped by whoever renders it), never markup.
    let hits = search(store, "alert");
    assert_eq!(found(&hits), vec![(won, 1)]);
    assert!(hits[0].snippet.contains("alert"));
    assert_eq!(hits[0].highlights.len(), 1);
    assert_eq!(store.counts().unwrap().accounts, 1, "nothing was dropped");
}

pub fn operator_and_sql_looking_queries_are_inert(store: &dyn Store) {
    let (open, _, other) = searchable(store);
    for query in [
        "price OR",
        "NEAR(price gong)",
        "price*",
        "text:price",
        "^price",
        "price AND NOT",
        "price & !gong | (",
        "'; DROP TABLE calls; --",
        "price' OR '1'='1",
        "\"unbalanced price",
        "price -gong",
        "{price}",
    ] {
        let terms = parse_search(query, "q").unwrap();
        let result = store.search_utterances(&SearchQuery::new(terms, 50));
        assert!(result.is_ok(), "{query:?} must not fail: {result:?}");
    }
    assert_eq!(found(&search(store, "NEAR")), vec![(other, 0)], "an operator word is searched as a word");
    assert_eq!(found(&search(store, "price' OR '1'='1")), vec![], "no term matches everything");
    assert_eq!(found(&search(store, "price -gong")), vec![(open, 1)], "`-` is not negation");
    assert_eq!(store.counts().unwrap().accounts, 1);
}

pub fn search_filters_narrow_the_calls(store: &dyn Store) {
    let (open, won, other) = searchable(store);
    let rep = store.user_by_email(&email("rep@us.com")).unwrap().unwrap().id;
    let account = store.account_by_domain("acme.com").unwrap().unwrap().id;
    let price = parse_search("price", "q").unwrap();
    let run = |edit: &dyn Fn(&mut SearchQuery)| {
        let mut query = SearchQuery::new(price.clone(), 50);
        edit(&mut query);
        found(&store.search_utterances(&query).unwrap())
    };
    assert_eq!(run(&|q| q.rep = Some(rep)), vec![(open, 0), (open, 1), (won, 0)]);
    assert_eq!(run(&|q| q.visible_to_rep = Some(rep)), vec![(open, 0), (open, 1), (won, 0)]);
    assert_eq!(run(&|q| q.account = Some(account)), vec![(open, 0), (open, 1), (won, 0)]);
    assert_eq!(run(&|q| q.from = Some(day(30, 0))), vec![(won, 0)]);
    assert_eq!(run(&|q| q.to = Some(day(30, 0))), vec![(open, 0), (open, 1), (other, 0)]);
    assert_eq!(run(&|q| q.tracker = Some("Competitors".into())), vec![(open, 0), (open, 1)]);
    assert_eq!(run(&|q| q.side = Some(CallSide::Rep)), vec![(open, 0)]);
    assert_eq!(
        run(&|q| q.side = Some(CallSide::Customer)),
        vec![(open, 1), (won, 0), (other, 0)],
        "unknown speakers are customers"
    );
    assert_eq!(run(&|q| q.outcome = Some(OpportunityOutcome::Won)), vec![(won, 0)]);
    assert_eq!(run(&|q| q.outcome = Some(OpportunityOutcome::Open)), vec![(open, 0), (open, 1), (other, 0)]);
    assert_eq!(run(&|q| q.visible_to_rep = Some(rapport_domain::UserId(987_654))), vec![]);
    assert_eq!(run(&|q| q.limit = 1).len(), 1);
    let mut bad = SearchQuery::new(price.clone(), 0);
    assert!(matches!(store.search_utterances(&bad), Err(StoreError::Invalid { .. })));
    bad.limit = 5;
    bad.terms[0].words[0] = "pri\"ce".into();
    assert!(
        matches!(store.search_utterances(&bad), Err(StoreError::Invalid { .. })),
        "raw syntax is refused"
    );
}

pub fn search_ranks_within_the_newest_matches(store: &dyn Store) {
    let (open, won, other) = searchable(store);
    let rep = store.user_by_email(&email("rep@us.com")).unwrap().unwrap().id;
    let price = parse_search("price", "q").unwrap();
    let run = |window: u32, edit: &dyn Fn(&mut SearchQuery)| {
        let mut query = SearchQuery::new(price.clone(), 2);
        query.rank_window = window;
        edit(&mut query);
        found(&store.search_utterances(&query).unwrap())
    };
    // Four utterances say "price"; the newest two are the last stored calls' (ids ascend).
    assert_eq!(run(2, &|_| {}), vec![(won, 0), (other, 0)], "only the newest two are ranked");
    assert_eq!(run(2, &|q| q.rep = Some(rep)), vec![(open, 1), (won, 0)], "filters apply before the window");
    assert_eq!(run(2, &|q| q.to = Some(day(30, 0))), vec![(open, 1), (other, 0)]);
    assert_eq!(run(4, &|_| {}).len(), 2, "a wider window still returns at most the limit");
    let mut too_small = SearchQuery::new(price.clone(), 5);
    too_small.rank_window = 4;
    let error = store.search_utterances(&too_small).unwrap_err();
    assert!(matches!(&error, StoreError::Invalid { field, .. } if field == "rank_window"), "{error:?}");
}

pub fn search_follows_transcript_replacement(store: &dyn Store) {
    let (open, _, _) = searchable(store);
    assert_eq!(found(&search(store, "soc")), vec![(open, 2)]);
    store
        .replace_transcript(
            open,
            &[said(0, SpeakerRole::Customer, "We switched to ISO 27001")],
            None,
            day(22, 0),
        )
        .unwrap();
    assert!(search(store, "soc").is_empty(), "the index never holds a replaced transcript");
    assert_eq!(found(&search(store, "iso")), vec![(open, 0)]);
}

pub fn analysis_facts_carry_segments_and_hits(store: &dyn Store) {
    let (open, won, other) = searchable(store);
    store
        .put_analysis(won, &analysis(1, vec![hit("Pricing", 0, SpeakerRole::Customer)]), day(40, 2))
        .unwrap();
    let facts = store.analysis_facts(&AnalysisFilter::default()).unwrap();
    assert_eq!(
        facts.iter().map(|f| f.call).collect::<Vec<_>>(),
        vec![open, won],
        "analysed calls, oldest first"
    );
    assert!(!facts.iter().any(|f| f.call == other));
    let won_facts = &facts[1];
    assert_eq!(won_facts.outcome, Some(OpportunityOutcome::Won));
    assert_eq!(won_facts.hits, vec![hit("Pricing", 0, SpeakerRole::Customer)]);
    assert_eq!(won_facts.industry, account("acme.com").industry);
    assert_eq!(facts[0].outcome, Some(OpportunityOutcome::Open));
    assert!(facts[0].person.is_some() && facts[0].account.is_some() && facts[0].rep.is_some());
    let later = store.analysis_facts(&AnalysisFilter { from: Some(day(30, 0)), to: None }).unwrap();
    assert_eq!(later.iter().map(|f| f.call).collect::<Vec<_>>(), vec![won]);
}

//! Tracker matching edge cases over hand-built calls: word forms, punctuation, exclusions,
//! speaker side, questions, time windows, and many trackers in one automaton.

use rapport_transcript::{Role, Transcript, Utterance};

use crate::{default_trackers, default_trackers_with_competitors, parse_trackers, Side, TrackerMatcher};

/// A call of (role, start, end, text); each utterance lasts as given.
fn call(lines: &[(Role, f64, f64, &str)]) -> Transcript {
    let utterances = lines
        .iter()
        .map(|(role, start, end, text)| Utterance { role: *role, ..Utterance::new(*start, *end, *text) })
        .collect();
    Transcript { utterances, duration_s: None, source_format: None }
}

/// Runs the trackers in `toml` over `transcript`; expects `(tracker, utterance, matched)`.
fn check(toml: &str, transcript: &Transcript, expected: &[(&str, usize, &str)]) {
    let matcher = TrackerMatcher::new(parse_trackers(toml).unwrap()).unwrap();
    let hits = matcher.find(transcript);
    let got: Vec<(&str, usize, &str)> =
        hits.iter().map(|hit| (hit.tracker.as_str(), hit.utterance, hit.matched.as_str())).collect();
    assert_eq!(got, expected, "{toml}");
}

const REP: Role = Role::Rep;
const CUSTOMER: Role = Role::Customer;

#[test]
fn word_forms_case_and_punctuation() {
    let transcript = call(&[
        (CUSTOMER, 0.0, 5.0, "RENEWAL is due; we're renewing—soon."),
        (CUSTOMER, 5.0, 9.0, "Renewed? No: the renewer. Not renewables, and not 'renew-able'."),
        (REP, 9.0, 12.0, "Our Pricing, and the prices, are priced fairly."),
    ]);
    let toml = r#"
        [[tracker]]
        name = "Renewal"
        phrases = ["renew"]
        word_forms = true
        [[tracker]]
        name = "Price"
        phrases = ["PRICE!", "pricing"]
        word_forms = true
    "#;
    let expected = [
        ("Renewal", 0, "renewal"),
        ("Renewal", 0, "renewing"),
        ("Renewal", 1, "renewed"),
        ("Renewal", 1, "renewer"),
        // "renew-able" is two words, "renew" then "able": the whole word "renew" matches.
        ("Renewal", 1, "renew"),
        // Both phrases match "pricing": one mention, one hit.
        ("Price", 2, "pricing"),
        ("Price", 2, "prices"),
        ("Price", 2, "priced"),
    ];
    check(toml, &transcript, &expected);
    // Without word forms only the whole word counts, and multi-word phrases ignore punctuation.
    // Apostrophes are dropped on both sides: "we're" and "WE'RE" are the token "were".
    let exact = "[[tracker]]\nname = \"Exact\"\nphrases = [\"renew\", \"due, WE'RE\"]";
    check(exact, &transcript, &[("Exact", 0, "due were"), ("Exact", 1, "renew")]);
}

#[test]
fn exclusions_side_and_questions() {
    let transcript = call(&[
        (CUSTOMER, 0.0, 5.0, "We flew a budget airline. Budget is tight."),
        (REP, 5.0, 9.0, "What is your budget? Budget matters."),
        (CUSTOMER, 9.0, 12.0, "Is the budget approved? Yes the budget is."),
    ]);
    let toml = r#"
        [[tracker]]
        name = "Budget"
        phrases = ["budget"]
        exclusions = ["budget airline"]
        [[tracker]]
        name = "Customer budget"
        phrases = ["budget"]
        side = "customer"
        [[tracker]]
        name = "Budget question"
        phrases = ["budget"]
        only_questions = true
    "#;
    let expected = [
        // Utterance 0 says "budget airline": Budget drops both its hits there.
        ("Customer budget", 0, "budget"),
        ("Customer budget", 0, "budget"),
        ("Budget", 1, "budget"),
        ("Budget", 1, "budget"),
        ("Budget question", 1, "budget"),
        ("Budget", 2, "budget"),
        ("Budget", 2, "budget"),
        ("Customer budget", 2, "budget"),
        ("Customer budget", 2, "budget"),
        ("Budget question", 2, "budget"),
    ];
    check(toml, &transcript, &expected);
}

#[test]
fn time_windows_and_hit_details() {
    let transcript = call(&[
        (REP, 0.0, 60.0, "Let us talk pricing."),
        (CUSTOMER, 300.0, 330.0, "Pricing again."),
        (REP, 540.0, 600.0, "Pricing, one last time."),
    ]);
    let first = "[[tracker]]\nname = \"Early\"\nphrases = [\"pricing\"]\nfirst_minutes = 5";
    check(first, &transcript, &[("Early", 0, "pricing")]);
    // The call ends at 600 s; the last 5 minutes start at 300 s, when utterance 1 ends later.
    let last = "[[tracker]]\nname = \"Late\"\nphrases = [\"pricing\"]\nlast_minutes = 5";
    check(last, &transcript, &[("Late", 1, "pricing"), ("Late", 2, "pricing")]);
    let matcher = TrackerMatcher::new(parse_trackers(last).unwrap()).unwrap();
    let hit = &matcher.find(&transcript)[0];
    assert_eq!((hit.time_s, hit.side), (300.0, Side::Customer));
}

#[test]
fn bad_trackers_are_refused() {
    let empty = "[[tracker]]\nname = \"Empty\"\nphrases = [\"?!\"]";
    assert!(TrackerMatcher::new(parse_trackers(empty).unwrap()).is_err());
    let both = "[[tracker]]\nname = \"B\"\nphrases = [\"x\"]\nfirst_minutes = 1\nlast_minutes = 1";
    assert!(parse_trackers(both).is_err());
    assert!(parse_trackers("[[tracker]]\nname = \"N\"\nphrases = [\"x\"]\nfirst_minutes = 0").is_err());
    assert!(parse_trackers("[[tracker]]\nname = \"U\"\nphrases = [\"x\"]\ntypo = 1").is_err());
}

#[test]
fn default_trackers_parse_and_find_competitors_and_objections() {
    let trackers = default_trackers();
    assert!(trackers.len() >= 8);
    let transcript = call(&[
        (CUSTOMER, 0.0, 5.0, "We use Pipeloom today, and honestly this is too expensive."),
        (REP, 5.0, 9.0, "Pipeloom? And it's too expensive for you?"),
    ]);
    let hits = TrackerMatcher::new(trackers).unwrap().find(&transcript);
    let names: Vec<(&str, usize)> = hits.iter().map(|hit| (hit.tracker.as_str(), hit.utterance)).collect();
    // Objections are the customer's only; the rep repeating them is not one.
    assert_eq!(names, [("Competitors", 0), ("Objections", 0), ("Competitors", 1)]);
}

#[test]
fn three_hundred_trackers_share_one_automaton_pass() {
    let toml: String = (0..300)
        .map(|i| format!("[[tracker]]\nname = \"T{i}\"\nphrases = [\"term{i}\", \"shared phrase\"]\n"))
        .collect();
    let transcript = call(&[(REP, 0.0, 5.0, "A shared phrase and term7 and term299.")]);
    let matcher = TrackerMatcher::new(parse_trackers(&toml).unwrap()).unwrap();
    let hits = matcher.find(&transcript);
    // "shared phrase" is one pattern owned by all 300 trackers: one automaton match, 300 hits.
    assert_eq!(hits.len(), 302);
    assert_eq!(matcher.pattern_count(), 301);
}

#[test]
fn competitors_are_configurable_and_objections_cover_the_four_kinds() {
    let transcript = call(&[
        (CUSTOMER, 0.0, 5.0, "We compared Gong and Pipeloom."),
        (CUSTOMER, 5.0, 9.0, "It's out of our price range. It's not in the budget."),
        (CUSTOMER, 9.0, 12.0, "We're happy with what we have. It's on the back burner."),
    ]);
    let trackers = default_trackers_with_competitors(&["Gong".to_owned(), "Chorus.ai".to_owned()]);
    let hits = TrackerMatcher::new(trackers).unwrap().find(&transcript);
    let got: Vec<(&str, &str)> = hits
        .iter()
        .filter(|hit| hit.tracker == "Competitors" || hit.tracker == "Objections")
        .map(|hit| (hit.tracker.as_str(), hit.matched.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("Competitors", "gong"),
            ("Objections", "out of our price range"),
            ("Objections", "not in the budget"),
            ("Objections", "happy with what we have"),
            ("Objections", "on the back burner"),
        ]
    );
    // No competitors: the tracker is dropped rather than left matching nothing.
    assert!(default_trackers_with_competitors(&[]).iter().all(|tracker| tracker.name != "Competitors"));
}

#[test]
fn hits_at_the_edges_of_words_sentences_and_the_call() {
    let transcript = call(&[
        (
            CUSTOMER,
            0.0,
            5.0,
            "Our CAFÉ’s renewal contract. Renewal. Contract renewal. Go to rapport.io for 3.5k",
        ),
        (REP, 5.0, 9.0, "We cut the price. What is the price? Straße naïvely Ünïcodes budget"),
        (CUSTOMER, 9.0, 12.0, "The budget is set. Not a budget airline, though. Pricing"),
    ]);
    let toml = r#"
        [[tracker]]
        name = "Renewal"
        phrases = ["renewal", "Renewal contract", "renewal"]
        word_forms = true
        [[tracker]]
        name = "Words"
        phrases = ["café", "rapport io", "3 5k", "contract renewal", "renewal contract"]
        [[tracker]]
        name = "Forms"
        phrases = ["STRASSE", "straße", "naïve", "ünïcode", "price"]
        word_forms = true
        [[tracker]]
        name = "Asked price"
        phrases = ["price"]
        only_questions = true
        [[tracker]]
        name = "Budget"
        phrases = ["budget", "pricing"]
        exclusions = ["budget airline"]
    "#;
    let expected = [
        // Three phrases of one tracker match at the first "renewal": one hit.
        ("Renewal", 0, "renewal"),
        ("Renewal", 0, "renewal"),
        ("Renewal", 0, "renewal"),
        // "CAFÉ’s" is the token "cafés"; "renewal. Contract" spans two sentences; a dot
        // inside a word splits it but ends no sentence.
        ("Words", 0, "renewal contract"),
        ("Words", 0, "contract renewal"),
        ("Words", 0, "rapport io"),
        ("Words", 0, "3 5k"),
        // Stems that dropped their "e", outside ASCII too.
        ("Forms", 1, "price"),
        ("Forms", 1, "price"),
        ("Forms", 1, "straße"),
        ("Forms", 1, "naïvely"),
        ("Forms", 1, "ünïcodes"),
        // Only the second sentence of the utterance asks.
        ("Asked price", 1, "price"),
        ("Budget", 1, "budget"),
        // The exclusion cancels Budget's hits before and after it in utterance 2, and a word
        // form is found as the call's last word.
        ("Forms", 2, "pricing"),
    ];
    check(toml, &transcript, &expected);
}

//! Speaker roles on real transcripts: explicit reps, company users by name and email,
//! channels, the source's own roles, and the precedence between them.

use rapport_transcript::{assign_roles, parse, CompanyUser, Format, Role, RoleRules, Transcript};

use crate::import_fixture;

use Role::{Customer, Rep, Unknown};

fn roles(transcript: &Transcript) -> Vec<(Option<&str>, Role)> {
    transcript.utterances.iter().map(|u| (u.speaker.as_deref(), u.role)).collect()
}

fn reps(names: &[&str]) -> RoleRules {
    RoleRules { reps: names.iter().map(|name| name.to_string()).collect(), ..RoleRules::default() }
}

fn users(users: &[(&str, Option<&str>)]) -> RoleRules {
    RoleRules {
        users: users
            .iter()
            .map(|(name, email)| CompanyUser { name: name.to_string(), email: email.map(str::to_string) })
            .collect(),
        ..RoleRules::default()
    }
}

fn rapport_json(utterances: &[(&str, Option<u32>, &str)]) -> Transcript {
    let utterances: Vec<serde_json::Value> = utterances
        .iter()
        .enumerate()
        .map(|(index, (speaker, channel, role))| {
            serde_json::json!({"speaker": speaker, "channel": channel, "role": role,
                               "start": index, "end": index as f64 + 0.5, "text": "…"})
        })
        .collect();
    let input = serde_json::json!({ "utterances": utterances }).to_string();
    parse(Format::RapportJson, input.as_bytes()).unwrap()
}

#[test]
fn explicit_rep_on_a_zoom_call() {
    let dora = Some("Dora Demszky");
    let ashlee = Some("Ashlee Kupor");
    for rep in ["Dora Demszky", "DEMSZKY, Dora", "dóra demszky", "Dora"] {
        let mut transcript = import_fixture("zoom.vtt");
        assert_eq!(assign_roles(&mut transcript, &reps(&[rep])), Vec::<String>::new(), "{rep}");
        // The cue Zoom left unnamed stays unknown: nothing says who spoke it.
        assert_eq!(
            roles(&transcript),
            [(ashlee, Customer), (dora, Rep), (None, Unknown), (dora, Rep), (dora, Rep), (dora, Rep)],
            "{rep}"
        );
    }
}

#[test]
fn an_explicit_rep_who_matches_nobody_is_reported() {
    let mut transcript = import_fixture("zoom.vtt");
    let unmatched = assign_roles(&mut transcript, &reps(&["Dora Demszky", "Dora Smith"]));
    assert_eq!(unmatched, ["Dora Smith"]);
    let mut transcript = import_fixture("zoom.vtt");
    assert_eq!(assign_roles(&mut transcript, &reps(&["Nobody"])), ["Nobody"]);
    // Without a known rep there is no telling the sides apart.
    assert!(transcript.utterances.iter().all(|u| u.role == Unknown));
}

#[test]
fn company_users_on_a_teams_call_match_without_diacritics_or_name_order() {
    let zoe = Some("Zoë Müller");
    let raj = Some("Patel, Raj");
    let mut transcript = import_fixture("teams.vtt");
    assign_roles(&mut transcript, &users(&[("Zoe Muller", None), ("Someone Else", None)]));
    let expected_zoe_rep = [
        (zoe, Rep),
        (raj, Customer),
        (zoe, Rep),
        (None, Unknown),
        (raj, Customer),
        (zoe, Rep),
        (raj, Customer),
    ];
    assert_eq!(roles(&transcript), expected_zoe_rep);

    // `Patel, Raj` is the user Raj Patel. Roles are assigned once, on a fresh import: roles
    // already set count as the source's own.
    let mut transcript = import_fixture("teams.vtt");
    assign_roles(&mut transcript, &users(&[("Raj Patel", None)]));
    assert_eq!(transcript.utterances[1].role, Rep);
    assert_eq!(transcript.utterances[0].role, Customer);
}

#[test]
fn company_users_by_email_initial_and_unique_first_name() {
    let mut transcript = rapport_json(&[
        ("dora.demszky@acme.com", None, "unknown"),
        ("Bo Berg <BO@acme.com>", None, "unknown"),
        ("Ann", None, "unknown"),
        ("R. Patel", None, "unknown"),
        ("Dana", None, "unknown"),
        ("Raj Singh", None, "unknown"),
    ]);
    let rules = users(&[
        ("Dora Demszky", None),
        ("Robert Berg", Some("bo@acme.com")),
        ("Ann Lee", Some("ann@acme.com")),
        ("Raj Patel", None),
        ("Dana Scully", None),
        ("Dana Fox", None),
    ]);
    assign_roles(&mut transcript, &rules);
    let actual: Vec<Role> = transcript.utterances.iter().map(|u| u.role).collect();
    // An address label reads as a name; an address in a label matches the user's email; a
    // first name alone matches a user whose first name no other user has; an initial
    // stands for one part of a name; two users named Dana make `Dana` nobody in particular.
    assert_eq!(actual, [Rep, Rep, Rep, Rep, Customer, Customer]);
}

#[test]
fn channels_decide_before_company_users_but_after_explicit_reps() {
    let mut transcript = rapport_json(&[
        ("Channel 0", Some(0), "unknown"),
        ("Raj Patel", Some(1), "unknown"),
        ("Ann Lee", Some(1), "unknown"),
        ("Speaker 3", None, "unknown"),
    ]);
    let rules = RoleRules {
        reps: vec!["Ann Lee".into()],
        rep_channel: Some(0),
        users: vec![CompanyUser { name: "Raj Patel".into(), email: None }],
    };
    assign_roles(&mut transcript, &rules);
    let actual: Vec<Role> = transcript.utterances.iter().map(|u| u.role).collect();
    assert_eq!(actual, [Rep, Customer, Rep, Customer]);
}

#[test]
fn diarized_call_with_an_explicit_speaker_label() {
    let mut transcript = import_fixture("aws_callcenter_call.json");
    assign_roles(&mut transcript, &reps(&["Speaker 1"]));
    let by_speaker: Vec<(Option<&str>, Role)> = roles(&transcript);
    assert!(by_speaker.iter().all(|(speaker, role)| (*role == Rep) == (*speaker == Some("Speaker 1"))));
    assert!(by_speaker.iter().any(|(_, role)| *role == Customer));
}

#[test]
fn roles_from_the_source_are_kept_and_complete_the_call() {
    let mut transcript = rapport_json(&[("A", None, "rep"), ("B", None, "unknown"), ("C", None, "customer")]);
    assign_roles(&mut transcript, &RoleRules::default());
    let actual: Vec<Role> = transcript.utterances.iter().map(|u| u.role).collect();
    assert_eq!(actual, [Rep, Customer, Customer]);

    // A rule that decides overrides the source.
    assign_roles(&mut transcript, &reps(&["B"]));
    let actual: Vec<Role> = transcript.utterances.iter().map(|u| u.role).collect();
    assert_eq!(actual, [Rep, Rep, Customer]);
}

#[test]
fn a_rep_channel_says_nothing_about_a_mono_recording() {
    let mut transcript = import_fixture("deepgram_utterances.json");
    let rules = RoleRules { rep_channel: Some(0), ..RoleRules::default() };
    assign_roles(&mut transcript, &rules);
    assert!(transcript.utterances.iter().all(|u| u.role == Unknown));
}

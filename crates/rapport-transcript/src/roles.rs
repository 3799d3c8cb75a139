//! Marking each utterance's speaker as rep, customer or unknown.
//!
//! The rule, in order:
//! 1. With no rules at all, roles are left as they are (Rapport JSON may already carry them).
//! 2. `rep_channel`: an utterance on that channel is the rep's; one on any other channel is
//!    the customer's. Channel beats names because it comes from the recording itself.
//! 3. Names and emails: an utterance whose speaker matches a rep name (case-insensitive,
//!    spaces collapsed, `Last, First` read as `First Last`) or contains a rep email is the rep's.
//! 4. Everyone else is a customer when at least one utterance is the rep's, else unknown:
//!    without a known rep there is no telling the sides apart. Utterances with neither a
//!    speaker nor a channel stay unknown, because nothing says who spoke them.

use crate::{Role, Transcript, Utterance};

/// Who the rep is, from the caller's users or from `--rep "Name"`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleRules {
    /// Display names of the company's users and names given explicitly.
    pub rep_names: Vec<String>,
    /// Email addresses of the company's users (Zoom sometimes labels speakers by email).
    pub rep_emails: Vec<String>,
    /// The channel the rep's audio is on in a per-channel recording.
    pub rep_channel: Option<u32>,
}

impl RoleRules {
    fn is_empty(&self) -> bool {
        self.rep_names.is_empty() && self.rep_emails.is_empty() && self.rep_channel.is_none()
    }
}

/// Sets `role` on every utterance following the rule in this module's documentation.
pub fn assign_roles(transcript: &mut Transcript, rules: &RoleRules) {
    if rules.is_empty() {
        return;
    }
    let rep_names: Vec<String> = rules.rep_names.iter().map(|n| normalise_name(n)).collect();
    let rep_emails: Vec<String> = rules
        .rep_emails
        .iter()
        .map(|email| email.trim().to_lowercase())
        .filter(|email| !email.is_empty())
        .collect();
    let sides: Vec<Option<Role>> = transcript
        .utterances
        .iter()
        .map(|utterance| known_side(utterance, rules.rep_channel, &rep_names, &rep_emails))
        .collect();
    let any_rep = sides.contains(&Some(Role::Rep));
    for (utterance, side) in transcript.utterances.iter_mut().zip(sides) {
        let attributed = utterance.speaker.is_some() || utterance.channel.is_some();
        utterance.role = match side {
            Some(role) => role,
            None if any_rep && attributed => Role::Customer,
            None => Role::Unknown,
        };
    }
}

/// The role the rules decide directly, or `None` when they say nothing.
fn known_side(
    utterance: &Utterance,
    rep_channel: Option<u32>,
    rep_names: &[String],
    rep_emails: &[String],
) -> Option<Role> {
    if let (Some(rep_channel), Some(channel)) = (rep_channel, utterance.channel) {
        return Some(if channel == rep_channel {
            Role::Rep
        } else {
            Role::Customer
        });
    }
    let speaker = utterance.speaker.as_deref()?;
    let name = normalise_name(speaker);
    let lowered = speaker.to_lowercase();
    let is_rep = rep_names.contains(&name)
        || rep_emails.iter().any(|email| lowered.contains(email.as_str()));
    is_rep.then_some(Role::Rep)
}

/// Lower case, single spaces, and `Last, First` turned into `first last`.
fn normalise_name(name: &str) -> String {
    let lowered = name.to_lowercase();
    let reordered = match lowered.split_once(',') {
        Some((last, first)) if !first.contains(',') => format!("{first} {last}"),
        _ => lowered,
    };
    reordered.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utterance(speaker: Option<&str>, channel: Option<u32>) -> Utterance {
        let mut utterance = Utterance::new(0.0, 1.0, "hi");
        utterance.speaker = speaker.map(str::to_string);
        utterance.channel = channel;
        utterance
    }

    fn check(rules: RoleRules, speakers: &[(Option<&str>, Option<u32>)], expected: &[Role]) {
        let mut transcript = Transcript {
            utterances: speakers.iter().map(|(s, c)| utterance(*s, *c)).collect(),
            duration_s: None,
            source_format: None,
        };
        assign_roles(&mut transcript, &rules);
        let roles: Vec<Role> = transcript.utterances.iter().map(|u| u.role).collect();
        assert_eq!(roles, expected, "rules {rules:?}");
    }

    fn names(names: &[&str]) -> RoleRules {
        RoleRules {
            rep_names: names.iter().map(|n| n.to_string()).collect(),
            ..RoleRules::default()
        }
    }

    use Role::{Customer, Rep, Unknown};

    #[test]
    fn names_match_case_and_order_insensitively() {
        let call = [(Some("Dora Demszky"), None), (Some("Ashlee Kupor"), None), (None, None)];
        check(names(&["dora  DEMSZKY"]), &call, &[Rep, Customer, Unknown]);
        check(names(&["Demszky, Dora"]), &call, &[Rep, Customer, Unknown]);
        check(names(&["Someone Else"]), &call, &[Unknown, Unknown, Unknown]);
    }

    #[test]
    fn emails_match_inside_speaker_labels() {
        let rules = RoleRules {
            rep_emails: vec!["Ann@Acme.com".into()],
            ..RoleRules::default()
        };
        check(
            rules,
            &[(Some("ann@acme.com"), None), (Some("Bo <bo@x.org>"), None)],
            &[Rep, Customer],
        );
    }

    #[test]
    fn channel_comes_before_names() {
        let rules = RoleRules {
            rep_names: vec!["Speaker 0".into()],
            rep_channel: Some(1),
            ..RoleRules::default()
        };
        check(
            rules,
            &[(Some("Speaker 0"), Some(0)), (Some("Speaker 1"), Some(1)), (Some("Speaker 0"), None)],
            &[Customer, Rep, Rep],
        );
    }

    #[test]
    fn no_rules_leave_roles_alone() {
        let mut transcript = Transcript {
            utterances: vec![utterance(Some("A"), None)],
            duration_s: None,
            source_format: None,
        };
        transcript.utterances[0].role = Rep;
        assign_roles(&mut transcript, &RoleRules::default());
        assert_eq!(transcript.utterances[0].role, Rep);
    }
}

//! Marking each utterance's speaker as rep, customer or unknown.
//!
//! The rules, first one that decides wins:
//! 1. **Explicit reps** ([`RoleRules::reps`], `--rep "Name"`): a speaker matching one of
//!    these names or emails is a rep. The caller said so about this very call, so it beats
//!    everything else; a name given alone (`--rep Dora`) matches a speaker's first name.
//! 2. **Channel** ([`RoleRules::rep_channel`]): an utterance on that channel is the rep's,
//!    one on any other channel the customer's. It comes from how the recorder wired the
//!    call, which is more reliable than any name.
//! 3. **Company users** ([`RoleRules::users`]): a speaker whose name or email matches a user
//!    is a rep. A first name alone matches only where no other user has that first name.
//! 4. **The source's own role** (Rapport JSON carries roles) is kept. Any role already set
//!    counts as the source's, so assign roles once, on a freshly imported transcript.
//! 5. Everyone else is a **customer** when the call has at least one rep, else **unknown**:
//!    without a known rep there is no telling the sides apart. Utterances with neither a
//!    speaker nor a channel stay unknown, because nothing says who spoke them.
//!
//! Names match case-, diacritic- and order-insensitively (see `names.rs`).

use crate::names::{emails_in, NameTokens};
use crate::{Role, Transcript, Utterance};

/// Who the rep is. Build it from the workspace's users and the call's own options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleRules {
    /// Names or email addresses of this call's reps, given explicitly.
    pub reps: Vec<String>,
    /// The channel (0-based) the rep's audio is on in a one-party-per-channel recording.
    pub rep_channel: Option<u32>,
    /// The company's users: any of them speaking on a call is on the company's side.
    pub users: Vec<CompanyUser>,
}

/// A user of the company, as far as telling speakers apart needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompanyUser {
    pub name: String,
    pub email: Option<String>,
}

/// Sets `role` on every utterance following the rules in this module's documentation.
/// Returns the explicit reps that matched no speaker, so a caller can warn about a typo.
pub fn assign_roles(transcript: &mut Transcript, rules: &RoleRules) -> Vec<String> {
    let explicit: Vec<Person> = rules.reps.iter().map(|rep| Person::explicit(rep)).collect();
    let users: Vec<Person> = rules.users.iter().map(Person::user).collect();
    let users = allow_unique_first_names(users);
    let mut explicit_matched = vec![false; explicit.len()];

    let decided: Vec<Option<Role>> = transcript
        .utterances
        .iter()
        .map(|utterance| {
            let speaker = utterance.speaker.as_deref().map(Speaker::new);
            if let Some(speaker) = &speaker {
                let mut is_explicit_rep = false;
                for (person, matched) in explicit.iter().zip(&mut explicit_matched) {
                    if person.is(speaker) {
                        *matched = true;
                        is_explicit_rep = true;
                    }
                }
                if is_explicit_rep {
                    return Some(Role::Rep);
                }
            }
            if let (Some(rep_channel), Some(channel)) = (rules.rep_channel, utterance.channel) {
                return Some(if channel == rep_channel { Role::Rep } else { Role::Customer });
            }
            let is_user = speaker.is_some_and(|speaker| users.iter().any(|user| user.is(&speaker)));
            if is_user {
                return Some(Role::Rep);
            }
            (utterance.role != Role::Unknown).then_some(utterance.role)
        })
        .collect();

    let call_has_rep = decided.contains(&Some(Role::Rep));
    for (utterance, role) in transcript.utterances.iter_mut().zip(decided) {
        utterance.role = match role {
            Some(role) => role,
            None if call_has_rep && is_attributed(utterance) => Role::Customer,
            None => Role::Unknown,
        };
    }
    rules
        .reps
        .iter()
        .zip(explicit_matched)
        .filter(|(_, matched)| !matched)
        .map(|(rep, _)| rep.clone())
        .collect()
}

fn is_attributed(utterance: &Utterance) -> bool {
    utterance.speaker.is_some() || utterance.channel.is_some()
}

/// A speaker label, read once: its name tokens and any email addresses in it.
struct Speaker {
    name: NameTokens,
    emails: Vec<String>,
}

impl Speaker {
    fn new(label: &str) -> Self {
        let emails = emails_in(label);
        // A label that is only an address (`dora.demszky@acme.com`) still names a person.
        let name = match emails.as_slice() {
            [email] if label.trim().eq_ignore_ascii_case(email) => NameTokens::from_email(email),
            _ => NameTokens::parse(label),
        };
        Speaker { name, emails }
    }
}

/// Someone who may be speaking: a name, an email or both.
struct Person {
    name: Option<NameTokens>,
    email: Option<String>,
    first_name_alone: bool,
}

impl Person {
    /// `--rep` takes a name or an email address.
    fn explicit(rep: &str) -> Self {
        let emails = emails_in(rep);
        match emails.into_iter().next() {
            Some(email) => Person { name: None, email: Some(email), first_name_alone: false },
            None => Person { name: Some(NameTokens::parse(rep)), email: None, first_name_alone: true },
        }
    }

    fn user(user: &CompanyUser) -> Self {
        Person {
            name: Some(NameTokens::parse(&user.name)),
            email: user.email.as_deref().map(|email| email.trim().to_lowercase()),
            first_name_alone: false,
        }
    }

    fn is(&self, speaker: &Speaker) -> bool {
        let email_matches = self.email.as_ref().is_some_and(|email| speaker.emails.contains(email));
        let name_matches =
            self.name.as_ref().is_some_and(|name| name.matches(&speaker.name, self.first_name_alone));
        email_matches || name_matches
    }
}

/// A user's first name alone identifies them only where no other user shares it.
fn allow_unique_first_names(mut users: Vec<Person>) -> Vec<Person> {
    let first_names: Vec<Option<String>> = users
        .iter()
        .map(|user| user.name.as_ref().and_then(|name| name.first().map(str::to_string)))
        .collect();
    for (index, user) in users.iter_mut().enumerate() {
        let Some(first) = &first_names[index] else {
            continue;
        };
        let shared = first_names
            .iter()
            .enumerate()
            .any(|(other, name)| other != index && name.as_ref() == Some(first));
        let is_full_name = user.name.as_ref().is_some_and(|name| !name.is_single());
        user.first_name_alone = is_full_name && !shared;
    }
    users
}

//! The demo's users: sales reps in regional teams (some quick to respond, some slow), one
//! sales manager, one marketer and one admin.

use rapport_domain::{EmailAddress, Role, UserId, UserRecord};
use rapport_store::Store;

use crate::story::REP_RESPONSE;
use crate::DemoError;

/// Sales teams; accounts are routed to a team by country.
pub(crate) const TEAMS: [&str; 3] = ["Americas", "EMEA", "APAC"];

/// The domain of the company using Rapport in the demo (a reserved `.example` name).
const DOMAIN: &str = "demo.rapport.example";

const REP_NAMES: [&str; 40] = [
    "Jordan Blake",
    "Sam Ortega",
    "Riley Chen",
    "Alex Novak",
    "Casey Hughes",
    "Morgan Diaz",
    "Taylor Brooks",
    "Jamie Patel",
    "Avery Lund",
    "Drew Kimura",
    "Harper Quinn",
    "Rowan Ellis",
    "Sasha Ivanov",
    "Emery Cole",
    "Parker Nash",
    "Reese Amari",
    "Skyler Dunn",
    "Dakota Fry",
    "Kai Moreno",
    "Logan Price",
    "Remy Laurent",
    "Blair Osei",
    "Charlie Voss",
    "Finley Shaw",
    "Hayden Ruiz",
    "Jesse Park",
    "Kendall Frost",
    "Lane Mercer",
    "Marlowe Tan",
    "Noel Garza",
    "Oakley Webb",
    "Peyton Hale",
    "Robin Sato",
    "Sage Holm",
    "Tatum Reid",
    "Val Ocampo",
    "Wren Adler",
    "Ari Bekele",
    "Eden Marsh",
    "Jules Ferrer",
];

/// A sales rep as the generator needs them: who they are and how they work.
#[derive(Debug, Clone)]
pub(crate) struct Rep {
    pub id: UserId,
    pub email: EmailAddress,
    pub name: &'static str,
    /// Position among all reps; picks the rep's talk style on calls.
    pub number: usize,
    /// Mean business hours from handoff to first touch.
    pub response_hours: f64,
    /// Share of handed-over leads this rep never works.
    pub forget_rate: f64,
}

#[derive(Debug)]
pub(crate) struct DemoUsers {
    /// Reps of each team, indexed like [`TEAMS`].
    pub teams: Vec<Vec<Rep>>,
    /// Everyone created, for the summary (reps first).
    pub created: Vec<(String, Role)>,
}

fn email(name: &str) -> EmailAddress {
    let local = name.to_ascii_lowercase().replace(' ', ".");
    EmailAddress::parse(&format!("{local}@{DOMAIN}")).expect("demo user emails are valid")
}

/// Creates `rep_count` reps (spread over the teams, with response speeds mixed so every team
/// has quick and slow reps) and the three other roles.
pub(crate) fn create_users(store: &dyn Store, rep_count: usize) -> Result<DemoUsers, DemoError> {
    let mut teams = vec![Vec::new(); TEAMS.len()];
    let mut created = Vec::new();
    for (index, name) in REP_NAMES.iter().cycle().take(rep_count).enumerate() {
        let team = index % TEAMS.len();
        let record = UserRecord {
            email: email(name),
            name: (*name).to_owned(),
            team: Some(TEAMS[team].to_owned()),
            role: Role::SalesRep,
        };
        let user = store.upsert_user(&record)?;
        // Stepping through the speed table by 3 gives each team a spread of speeds.
        let (response_hours, forget_rate) = REP_RESPONSE[(index * 3) % REP_RESPONSE.len()];
        teams[team].push(Rep {
            id: user.id,
            email: record.email.clone(),
            name,
            number: index,
            response_hours,
            forget_rate,
        });
        created.push((record.email.to_string(), Role::SalesRep));
    }
    let others = [
        ("Morgan Reyes", None, Role::SalesManager),
        ("Priya Shah", Some("Marketing"), Role::Marketing),
        ("Demo Admin", None, Role::Admin),
    ];
    for (name, team, role) in others {
        let record =
            UserRecord { email: email(name), name: name.to_owned(), team: team.map(str::to_owned), role };
        store.upsert_user(&record)?;
        created.push((record.email.to_string(), role));
    }
    Ok(DemoUsers { teams, created })
}

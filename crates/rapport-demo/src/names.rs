//! Word lists for people, companies, titles and places. Fixed lists, so names stay stable for
//! a seed; fictional company words, so no real company appears in a demo.

pub(crate) const FIRST_NAMES: [&str; 64] = [
    "Ava", "Liam", "Noah", "Emma", "Olivia", "Mateo", "Sofia", "Lucas", "Mia", "Ethan", "Amara", "Kenji",
    "Priya", "Arjun", "Chloe", "Daniel", "Fatima", "Omar", "Grace", "Henry", "Isabel", "Jonas", "Keira",
    "Leon", "Maya", "Nina", "Oscar", "Paula", "Quinn", "Rafael", "Sara", "Tomas", "Uma", "Victor", "Wei",
    "Ximena", "Yusuf", "Zoe", "Aisha", "Ben", "Carmen", "Dmitri", "Elena", "Felix", "Hana", "Ivan", "Julia",
    "Kofi", "Lea", "Marco", "Nadia", "Owen", "Pia", "Ravi", "Sven", "Tara", "Ugo", "Vera", "Will", "Yara",
    "Zain", "Ingrid", "Lukas", "Mei",
];

pub(crate) const LAST_NAMES: [&str; 64] = [
    "Smith",
    "Garcia",
    "Chen",
    "Patel",
    "Müller",
    "Rossi",
    "Kim",
    "Nguyen",
    "Johnson",
    "Silva",
    "Okafor",
    "Tanaka",
    "Dubois",
    "Novak",
    "Larsen",
    "Haddad",
    "Kowalski",
    "Brown",
    "Martin",
    "Lopez",
    "Singh",
    "Wang",
    "Jones",
    "Schmidt",
    "Moreau",
    "Costa",
    "Ivanova",
    "Sato",
    "Ahmed",
    "Fischer",
    "Bianchi",
    "Andersen",
    "Walker",
    "Young",
    "Lee",
    "Hall",
    "Mensah",
    "Reyes",
    "Cruz",
    "Park",
    "Weber",
    "Meyer",
    "Jansen",
    "Berg",
    "Nielsen",
    "Romero",
    "Torres",
    "Flores",
    "Murphy",
    "Kelly",
    "Byrne",
    "Shah",
    "Gupta",
    "Ali",
    "Yilmaz",
    "Demir",
    "Popescu",
    "Horvat",
    "Lindqvist",
    "Eriksson",
    "Moore",
    "Clark",
    "Lewis",
    "Ward",
];

/// First words of company names; combined with an industry word ("Bluepeak Logistics").
pub(crate) const COMPANY_WORDS: [&str; 48] = [
    "Bluepeak",
    "Northwind",
    "Silverline",
    "Brightwave",
    "Ironbridge",
    "Cedarly",
    "Summitry",
    "Harborview",
    "Pioneerly",
    "Atlaso",
    "Novaris",
    "Vertexa",
    "Granitek",
    "Maplewood",
    "Apexion",
    "Lumenor",
    "Orbitra",
    "Quantiva",
    "Redwoodia",
    "Sterlix",
    "Beaconly",
    "Crescenta",
    "Evergreenly",
    "Falconer",
    "Horizonte",
    "Keystona",
    "Meridio",
    "Oakhurst",
    "Pinnaclo",
    "Riverstone",
    "Solaria",
    "Tidewell",
    "Upland",
    "Veloxa",
    "Westbrook",
    "Yarrowby",
    "Zephyrus",
    "Ambergate",
    "Bramblecot",
    "Copperfield",
    "Driftwood",
    "Emberly",
    "Foxglove",
    "Glenmore",
    "Hollowell",
    "Inkwell",
    "Juniper",
    "Kestrel",
];

/// Per industry (same order as `story::INDUSTRIES`), the words that end its companies' names.
pub(crate) const INDUSTRY_WORDS: [&[&str]; 10] = [
    &["Software", "Labs", "Cloud", "Data", "Systems"],
    &["Capital", "Financial", "Bank", "Insurance", "Payments"],
    &["Consulting", "Partners", "Advisors", "Group"],
    &["Health", "Medical", "Care", "Clinics"],
    &["Manufacturing", "Industries", "Components", "Machinery"],
    &["Retail", "Stores", "Outfitters", "Goods"],
    &["Media", "Studios", "Publishing"],
    &["Logistics", "Freight", "Shipping"],
    &["Academy", "University", "Learning"],
    &["Public Services", "Agency", "Authority"],
];

pub(crate) const TOP_LEVEL_DOMAINS: [&str; 4] = ["com", "io", "co", "net"];

/// Personal address providers: people who sign up with these match no account.
pub(crate) const FREEMAIL_DOMAINS: [&str; 4] = ["gmail.com", "outlook.com", "yahoo.com", "proton.me"];

/// Countries: (name, share of accounts, sales team index into `users::TEAMS`).
pub(crate) const COUNTRIES: [(&str, f64, usize); 12] = [
    ("United States", 45.0, 0),
    ("Canada", 5.0, 0),
    ("United Kingdom", 12.0, 1),
    ("Germany", 8.0, 1),
    ("France", 6.0, 1),
    ("Netherlands", 4.0, 1),
    ("Sweden", 2.0, 1),
    ("Spain", 2.0, 1),
    ("Australia", 6.0, 2),
    ("Singapore", 3.0, 2),
    ("Japan", 3.0, 2),
    ("India", 4.0, 2),
];

pub(crate) const JUNIOR_TITLES: [&str; 5] =
    ["Marketing Intern", "Student", "Marketing Coordinator", "Sales Development Intern", "Office Assistant"];

pub(crate) const PRACTITIONER_TITLES: [&str; 7] = [
    "Marketing Manager",
    "Demand Generation Manager",
    "Marketing Operations Manager",
    "Sales Operations Analyst",
    "Account Executive",
    "Revenue Operations Manager",
    "Growth Marketing Manager",
];

pub(crate) const EXECUTIVE_TITLES: [&str; 6] = [
    "VP Marketing",
    "VP Sales",
    "Chief Revenue Officer",
    "Head of Demand Generation",
    "Chief Marketing Officer",
    "Director of Revenue Operations",
];

/// Lower-case ASCII for an email's local part: `Müller` becomes `muller`.
pub(crate) fn email_word(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c {
            'ä' | 'á' | 'à' => Some('a'),
            'ö' | 'ó' => Some('o'),
            'ü' | 'ú' => Some('u'),
            'é' | 'è' => Some('e'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_words_are_plain_ascii() {
        assert_eq!(email_word("Müller"), "muller");
        assert_eq!(email_word("Public Services"), "publicservices");
        for name in FIRST_NAMES.iter().chain(LAST_NAMES.iter()) {
            assert!(!email_word(name).is_empty() && email_word(name).is_ascii(), "{name}");
        }
    }
}

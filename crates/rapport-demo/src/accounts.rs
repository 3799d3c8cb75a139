//! Accounts: companies across industries, sizes and countries, each with how many of its
//! people will appear in the demo (bigger companies bring more people).

use std::collections::HashSet;

use rand::Rng;
use rapport_domain::AccountRecord;

use crate::names::{email_word, COMPANY_WORDS, COUNTRIES, INDUSTRY_WORDS, TOP_LEVEL_DOMAINS};
use crate::rng::{between, pick, weighted, DemoRng};
use crate::story::{INDUSTRIES, SIZE_BANDS};

/// An account and what the generator needs to know about it.
#[derive(Debug, Clone)]
pub(crate) struct AccountPlan {
    pub record: AccountRecord,
    pub domain: String,
    pub size_band: usize,
    pub team: usize,
    pub country: &'static str,
    /// How many people of (or near) this account the demo generates.
    pub people: usize,
    /// Industry fit times size fit: how well this account converts.
    pub fit: f64,
}

/// `count` accounts sharing `people` people between them (each at least one).
pub(crate) fn plan_accounts(count: usize, people: usize, rng: &mut DemoRng) -> Vec<AccountPlan> {
    let industry_weights: Vec<f64> = INDUSTRIES.iter().map(|i| i.1).collect();
    let size_weights: Vec<f64> = SIZE_BANDS.iter().map(|b| b.2).collect();
    let country_weights: Vec<f64> = COUNTRIES.iter().map(|c| c.1).collect();
    let mut domains = HashSet::with_capacity(count);
    let mut plans = Vec::with_capacity(count);
    let mut people_weights = Vec::with_capacity(count);
    for index in 0..count {
        let industry = weighted(rng, &industry_weights);
        let size_band = weighted(rng, &size_weights);
        let (low, high, _, size_fit, people_factor) = SIZE_BANDS[size_band];
        // Sizes within a band lean to its low end, as real company sizes do.
        let employees = low + ((high - low) as f64 * rng.gen::<f64>().powi(2)) as u32;
        let (country, _, team) = COUNTRIES[weighted(rng, &country_weights)];
        let name = format!("{} {}", pick(rng, &COMPANY_WORDS), pick(rng, INDUSTRY_WORDS[industry]));
        let domain = unique_domain(&name, &mut domains);
        let revenue_per_employee = between(rng, 120e3, 320e3);
        let record = AccountRecord {
            external_id: Some(format!("demo-a{}", index + 1)),
            name,
            domain: Some(domain.clone()),
            industry: Some(INDUSTRIES[industry].0.to_owned()),
            employees: Some(employees),
            country: Some(country.to_owned()),
            annual_revenue: Some(((employees as f64 * revenue_per_employee) / 1e3).round() * 1e3),
        };
        people_weights.push(people_factor * between(rng, 0.3, 1.7));
        let fit = INDUSTRIES[industry].2 * size_fit;
        plans.push(AccountPlan { record, domain, size_band, team, country, people: 1, fit });
    }
    share_people(&mut plans, &people_weights, people);
    plans
}

/// Gives every account at least one person and shares the rest by weight, so the total is
/// exactly `people` (when there are at least as many people as accounts).
fn share_people(plans: &mut [AccountPlan], weights: &[f64], people: usize) {
    let spare = people.saturating_sub(plans.len());
    let total: f64 = weights.iter().sum();
    let mut given = 0;
    let mut carried = 0.0;
    for (plan, weight) in plans.iter_mut().zip(weights) {
        // Carrying the rounding remainder forward keeps the sum exact.
        let exact = spare as f64 * weight / total + carried;
        let extra = exact.floor() as usize;
        carried = exact - extra as f64;
        plan.people = 1 + extra;
        given += extra;
    }
    if let Some(last) = plans.last_mut() {
        last.people += spare - given.min(spare);
    }
}

/// `bluepeaklogistics.com`, else another top-level domain, else a numbered one.
fn unique_domain(name: &str, taken: &mut HashSet<String>) -> String {
    let base = email_word(name);
    let candidates = TOP_LEVEL_DOMAINS.iter().map(|tld| format!("{base}.{tld}"));
    for candidate in candidates.chain((2..).map(|n| format!("{base}{n}.com"))) {
        if taken.insert(candidate.clone()) {
            return candidate;
        }
    }
    unreachable!("an endless list of candidates always yields a free one")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{stream, Stream};

    #[test]
    fn accounts_share_the_people_exactly_and_have_unique_domains() {
        let plans = plan_accounts(300, 3_000, &mut stream(5, Stream::Accounts, 0));
        assert_eq!(plans.iter().map(|p| p.people).sum::<usize>(), 3_000);
        assert!(plans.iter().all(|p| p.people >= 1));
        let domains: HashSet<&str> = plans.iter().map(|p| p.domain.as_str()).collect();
        assert_eq!(domains.len(), 300);
        // Larger companies bring more people on average.
        let average = |band: usize| {
            let of_band: Vec<usize> =
                plans.iter().filter(|p| p.size_band == band).map(|p| p.people).collect();
            of_band.iter().sum::<usize>() as f64 / of_band.len() as f64
        };
        assert!(average(4) > average(0), "{} vs {}", average(4), average(0));
    }
}

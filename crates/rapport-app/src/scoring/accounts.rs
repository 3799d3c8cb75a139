//! The target-account list: each account's fit and intent from its people's stored scores,
//! ranked, with the reasons for the rank.
//!
//! Fit is the best fit among the account's people (the company's attributes count in every
//! person's fit, the title in the best one's). Intent is the sum of the people's decayed
//! engagement: several people of one company engaging at once is the buying-group signal.
//! With a model, the account's likelihood is its best person's probability (the chance that
//! at least one converts, `1 − Π(1 − pᵢ)`, saturates at 100% for any large account, so it
//! cannot rank them); accounts rank by it, ties by intent, and without a model by fit + intent.

use std::collections::{BTreeMap, HashSet};

use rapport_domain::{AccountId, PersonId, User};
use rapport_store::{Store, StoreError};
use serde::Serialize;

use crate::permissions::{require, Action};
use crate::report_cache::ReportCache;
use crate::visibility::{scope, Scope};
use crate::AppError;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetAccount {
    pub rank: usize,
    pub account_id: AccountId,
    pub name: String,
    pub domain: Option<String>,
    pub industry: Option<String>,
    pub employees: Option<u32>,
    pub people: usize,
    pub qualified: usize,
    pub fit: f64,
    pub intent: f64,
    pub likelihood: Option<f64>,
    pub score: f64,
    pub best_person: String,
    pub reasons: Vec<String>,
}

#[derive(Default)]
struct Tally {
    people: usize,
    qualified: usize,
    engaged: usize,
    fit: f64,
    intent: f64,
    best_probability: f64,
    has_probability: bool,
    best: Option<(f64, PersonId, String)>,
}

/// Accounts a user may plan from, best first: everyone's for marketing, admins and managers
/// without a team; for reps and team managers, the accounts of the leads they own, ranked on
/// those leads only (so no other rep's lead is named in a reason).
pub fn top(store: &dyn Store, user: &User, limit: usize) -> Result<Vec<TargetAccount>, AppError> {
    require(user, Action::ReadLeads)?;
    let mut list = rank(store, owners_visible_to(store, user)?.as_ref())?;
    list.truncate(limit);
    Ok(list)
}

/// [`top`], with the unscoped ranking kept in `cache` until the store changes: a dashboard's
/// repeated views then cost a copy, not a pass over every person and score.
pub fn top_cached(
    store: &dyn Store,
    cache: &ReportCache,
    user: &User,
    limit: usize,
) -> Result<Vec<TargetAccount>, AppError> {
    require(user, Action::ReadLeads)?;
    if owners_visible_to(store, user)?.is_some() {
        return top(store, user, limit);
    }
    let ranked = cache.target_accounts(store, cached_ranking)?;
    Ok(ranked.iter().take(limit).cloned().collect())
}

/// Computes the unscoped ranking into `cache` (a server does it at start, beside the report
/// facts), so the first view of the target accounts does not wait for it.
pub fn warm(store: &dyn Store, cache: &ReportCache) -> Result<(), StoreError> {
    cache.target_accounts(store, cached_ranking).map(|_| ())
}

fn cached_ranking(store: &dyn Store) -> Result<Vec<TargetAccount>, StoreError> {
    let mut list = rank(store, None)?;
    list.truncate(CACHED);
    Ok(list)
}

/// How many accounts the cached ranking keeps: the most any list shows.
pub const CACHED: usize = 500;

/// `None` when the user sees every lead; else the (lower-case) emails of the users whose
/// leads they see.
fn owners_visible_to(store: &dyn Store, user: &User) -> Result<Option<HashSet<String>>, AppError> {
    Ok(match scope(store, user)? {
        Scope::Everything => None,
        Scope::OnlyOf(ids) => Some(
            store
                .list_users()?
                .into_iter()
                .filter(|other| ids.contains(&other.id))
                .map(|other| other.record.email.as_str().to_ascii_lowercase())
                .collect(),
        ),
    })
}

fn rank(store: &dyn Store, owners: Option<&HashSet<String>>) -> Result<Vec<TargetAccount>, StoreError> {
    let mut person_account: BTreeMap<PersonId, (AccountId, String)> = BTreeMap::new();
    let mut accounts = BTreeMap::new();
    store.export_people(&mut |view| {
        if let Some(owners) = owners {
            let owned =
                view.owner_email.as_deref().is_some_and(|email| owners.contains(&email.to_ascii_lowercase()));
            if !owned {
                return Ok(());
            }
        }
        if let Some(account) = view.account {
            person_account.insert(view.person.id, (account.id, view.person.record.email.to_string()));
            accounts.entry(account.id).or_insert(account);
        }
        Ok(())
    })?;
    let mut tallies: BTreeMap<AccountId, Tally> = BTreeMap::new();
    store.export_scores(&mut |score| {
        let Some((account, email)) = person_account.get(&score.person_id) else { return Ok(()) };
        let tally = tallies.entry(*account).or_insert_with(|| Tally { fit: f64::MIN, ..Tally::default() });
        tally.people += 1;
        tally.qualified += usize::from(score.qualifies);
        tally.engaged += usize::from(score.engagement >= 1.0);
        tally.fit = tally.fit.max(score.fit);
        tally.intent += score.engagement;
        if let Some(p) = score.probability {
            tally.has_probability = true;
            tally.best_probability = tally.best_probability.max(p);
        }
        let strength = score.probability.unwrap_or(score.total / 100.0);
        if tally.best.as_ref().is_none_or(|b| strength > b.0) {
            tally.best = Some((
                strength,
                score.person_id,
                format!("{email} (grade {}, {:.0} points)", score.grade, score.total),
            ));
        }
        Ok(())
    })?;
    let mut list: Vec<TargetAccount> = tallies
        .into_iter()
        .filter_map(|(id, tally)| {
            let account = accounts.get(&id)?;
            let likelihood = tally.has_probability.then_some(tally.best_probability);
            let score = likelihood.unwrap_or((tally.fit + tally.intent) / 100.0);
            let (_, _, best) = tally.best.clone()?;
            let mut reasons = Vec::new();
            if let Some(industry) = &account.record.industry {
                let size = account.record.employees.map_or(String::new(), |e| format!(", {e} employees"));
                reasons.push(format!("{industry}{size} (fit {:.0})", tally.fit));
            }
            if tally.engaged > 1 {
                reasons.push(format!(
                    "{} of its {} people are engaging (intent {:.0})",
                    tally.engaged, tally.people, tally.intent
                ));
            } else {
                reasons.push(format!("intent {:.0} from {} people", tally.intent, tally.people));
            }
            if tally.qualified > 0 {
                reasons.push(format!("{} qualified lead(s)", tally.qualified));
            }
            if let Some(l) = likelihood {
                reasons.push(format!("{:.0}% chance its best lead converts", l * 100.0));
            }
            reasons.push(format!("best lead: {best}"));
            Some(TargetAccount {
                rank: 0,
                account_id: id,
                name: account.record.name.clone(),
                domain: account.record.domain.clone(),
                industry: account.record.industry.clone(),
                employees: account.record.employees,
                people: tally.people,
                qualified: tally.qualified,
                fit: tally.fit,
                intent: tally.intent,
                likelihood,
                score,
                best_person: best,
                reasons,
            })
        })
        .collect();
    list.sort_by(|a, b| {
        b.score.total_cmp(&a.score).then(b.intent.total_cmp(&a.intent)).then(a.account_id.cmp(&b.account_id))
    });
    for (i, account) in list.iter_mut().enumerate() {
        account.rank = i + 1;
    }
    Ok(list)
}

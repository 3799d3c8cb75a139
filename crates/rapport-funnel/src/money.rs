//! Money in reports: integer cents summed per currency, and breakdowns by a key.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::hashing::FastMap;

/// Integer cents per ISO 4217 currency code, serialised as `{"USD": 1234500}`. Amounts in
/// different currencies are never added together: there is no exchange rate in the facts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Amounts(pub BTreeMap<String, i64>);

impl Amounts {
    pub fn add(&mut self, currency: &str, cents: i64) {
        // Look up before inserting so the currency is copied once per currency, not per deal.
        match self.0.get_mut(currency) {
            Some(sum) => *sum += cents,
            None => {
                self.0.insert(currency.to_owned(), cents);
            }
        }
    }

    pub fn add_all(&mut self, other: &Amounts) {
        for (currency, cents) in &other.0 {
            self.add(currency, *cents);
        }
    }

    /// The sum in `currency`, 0 when there is none.
    pub fn get(&self, currency: &str) -> i64 {
        self.0.get(currency).copied().unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Deals and their amounts for one value of a key (a source, a campaign); `key` is `null` for
/// deals whose contact has no value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyedAmounts {
    pub key: Option<String>,
    pub deals: u64,
    pub amount: Amounts,
}

/// A set of deals: their count and total, and the same split by the primary contact's source
/// and original campaign (each list sorted by key, `null` first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevenueBreakdown {
    pub deals: u64,
    pub total: Amounts,
    pub by_source: Vec<KeyedAmounts>,
    pub by_campaign: Vec<KeyedAmounts>,
}

/// Sums by a borrowed key while the facts are walked; owned strings only at the end.
#[derive(Debug, Default)]
pub(crate) struct KeyedSums<'a> {
    sums: FastMap<Option<&'a str>, (u64, Amounts)>,
}

impl<'a> KeyedSums<'a> {
    /// Adds `deals` deals worth `cents` in all.
    pub fn add(&mut self, key: Option<&'a str>, currency: &str, deals: u64, cents: i64) {
        let (count, amount) = self.sums.entry(key).or_default();
        *count += deals;
        amount.add(currency, cents);
    }

    pub fn get(&self, key: Option<&'a str>) -> Option<&(u64, Amounts)> {
        self.sums.get(&key)
    }

    pub fn keys(&self) -> impl Iterator<Item = Option<&'a str>> + '_ {
        self.sums.keys().copied()
    }

    /// Sorted by key, `null` first.
    pub fn finish(self) -> Vec<KeyedAmounts> {
        let mut rows: Vec<KeyedAmounts> = self
            .sums
            .into_iter()
            .map(|(key, (deals, amount))| KeyedAmounts { key: key.map(str::to_owned), deals, amount })
            .collect();
        rows.sort_by(|a, b| a.key.cmp(&b.key));
        rows
    }
}

/// Builds a [`RevenueBreakdown`] from sums of deals.
#[derive(Debug, Default)]
pub(crate) struct BreakdownBuilder<'a> {
    deals: u64,
    total: Amounts,
    by_source: KeyedSums<'a>,
    by_campaign: KeyedSums<'a>,
}

impl<'a> BreakdownBuilder<'a> {
    /// Adds `deals` deals worth `cents` in all.
    pub fn add(
        &mut self,
        source: Option<&'a str>,
        campaign: Option<&'a str>,
        currency: &str,
        deals: u64,
        cents: i64,
    ) {
        self.deals += deals;
        self.total.add(currency, cents);
        self.by_source.add(source, currency, deals, cents);
        self.by_campaign.add(campaign, currency, deals, cents);
    }

    pub fn finish(self) -> RevenueBreakdown {
        RevenueBreakdown {
            deals: self.deals,
            total: self.total,
            by_source: self.by_source.finish(),
            by_campaign: self.by_campaign.finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_per_currency_and_key() {
        let mut builder = BreakdownBuilder::default();
        builder.add(Some("organic"), None, "USD", 1, 100);
        builder.add(None, Some("Launch"), "EUR", 1, 7);
        builder.add(Some("organic"), Some("Launch"), "USD", 2, 50);
        let breakdown = builder.finish();
        assert_eq!(breakdown.deals, 4);
        assert_eq!(breakdown.total.get("USD"), 150);
        assert_eq!(breakdown.total.get("EUR"), 7);
        let sources: Vec<_> =
            breakdown.by_source.iter().map(|k| (k.key.as_deref(), k.deals, k.amount.get("USD"))).collect();
        assert_eq!(sources, vec![(None, 1, 0), (Some("organic"), 3, 150)]);
        assert_eq!(
            serde_json::to_value(&breakdown.total).unwrap(),
            serde_json::json!({"EUR": 7, "USD": 150})
        );
    }
}

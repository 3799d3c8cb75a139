//! What an account's page lists: the account's people and its deals.

use rapport_domain::{AccountId, Opportunity};

use crate::{PersonView, StoreError};

pub trait AccountStore {
    /// The account's people with their current stage, by name (last, first), then email; at
    /// most `limit` (0: all).
    fn account_people(&self, account: AccountId, limit: u32) -> Result<Vec<PersonView>, StoreError>;

    /// The account's opportunities, newest first (by creation, then id).
    fn account_opportunities(&self, account: AccountId) -> Result<Vec<Opportunity>, StoreError>;
}

//! Reads: person views (with derived stage, account and owner), lists, recent touches,
//! counts, and the streaming exports. What a view gathers from other rows (a person's CRM
//! history, a deal's contacts) comes as arrays in the same row, so exports stream one query.

use postgres::Row;
use rapport_domain::{
    Account, AccountId, Campaign, CampaignId, ContentId, ContentItem, Opportunity, OpportunityId,
    OpportunityRecord, Person, PersonId, PersonRecord, TouchId, UserId,
};

use rapport_store::{Counts, PeopleQuery, PersonView, Sink, StoreError, TouchView};

use crate::connection::{Connection, Params};
use crate::convert::{self, get};
use crate::records::{account_from_row, campaign_from_row, content_from_row, ACCOUNT_COLUMNS};

/// Columns of a person view; [`person_view`] reads them by position. The CRM history is the
/// person's import events from their records (`history:` keys), in time order.
pub(crate) const PERSON_VIEW: &str = "
    SELECT p.id, p.external_id, p.email, p.first_name, p.last_name, p.title, p.account_domain, p.account_id,
           p.owner_id, p.source, p.campaign_id, p.country, p.created_at,
           u.email, c.name, ps.stage, ps.since,
           a.external_id, a.name, a.domain, a.industry, a.employees, a.country, a.annual_revenue,
           h.stages, h.times
    FROM people p
    LEFT JOIN users u ON u.id = p.owner_id
    LEFT JOIN campaigns c ON c.id = p.campaign_id
    LEFT JOIN person_stage ps ON ps.person_id = p.id
    LEFT JOIN accounts a ON a.id = p.account_id
    LEFT JOIN LATERAL (
        SELECT array_agg(e.to_stage ORDER BY e.at, e.id) AS stages, array_agg(e.at ORDER BY e.at, e.id) AS times
        FROM stage_events e WHERE e.person_id = p.id AND e.dedupe_key LIKE 'history:%'
    ) h ON TRUE";

pub(crate) fn person_view(row: &Row) -> Result<PersonView, StoreError> {
    let id: i64 = get(row, 0)?;
    let account_id: Option<i64> = get(row, 7)?;
    let owner_email: Option<String> = get(row, 13)?;
    let stages: Vec<String> = get::<Option<Vec<String>>>(row, 24)?.unwrap_or_default();
    let times: Vec<i64> = get::<Option<Vec<i64>>>(row, 25)?.unwrap_or_default();
    let stage_history = stages
        .iter()
        .zip(times)
        .map(|(stage, at)| Ok((convert::stage(stage)?, convert::time(at)?)))
        .collect::<Result<_, StoreError>>()?;
    let record = PersonRecord {
        external_id: get(row, 1)?,
        email: convert::email(get(row, 2)?)?,
        first_name: get(row, 3)?,
        last_name: get(row, 4)?,
        title: get(row, 5)?,
        account_domain: get(row, 6)?,
        owner_email: convert::optional_email(owner_email.clone())?,
        source: get(row, 9)?,
        campaign: get(row, 14)?,
        country: get(row, 11)?,
        created_at: convert::time(get(row, 12)?)?,
        stage_history,
    };
    let account = match account_id {
        Some(account) => Some(Account { id: AccountId(account), record: account_from_row(row, 17)? }),
        None => None,
    };
    Ok(PersonView {
        person: Person {
            id: PersonId(id),
            account_id: account_id.map(AccountId),
            owner_id: get::<Option<i64>>(row, 8)?.map(UserId),
            campaign_id: get::<Option<i64>>(row, 10)?.map(CampaignId),
            record,
        },
        stage: convert::optional_stage(get(row, 15)?)?,
        stage_since: convert::optional_time(get(row, 16)?)?,
        account,
        owner_email,
    })
}

/// Reads every row of `sql` through `read` into a vector.
pub(crate) fn collect<T>(
    connection: &mut Connection,
    sql: &str,
    params: Params<'_>,
    read: impl Fn(&Row) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    connection.query(sql, params)?.iter().map(read).collect()
}

pub(crate) fn person_by_id(connection: &mut Connection, id: i64) -> Result<Option<PersonView>, StoreError> {
    let row = connection.query_opt(&format!("{PERSON_VIEW} WHERE p.id = $1"), &[&id])?;
    row.as_ref().map(person_view).transpose()
}

pub(crate) fn person_by_email(
    connection: &mut Connection,
    email: &str,
) -> Result<Option<PersonView>, StoreError> {
    let row = connection.query_opt(&format!("{PERSON_VIEW} WHERE p.email = $1"), &[&email])?;
    row.as_ref().map(person_view).transpose()
}

pub(crate) fn list_people(
    connection: &mut Connection,
    query: &PeopleQuery,
) -> Result<Vec<PersonView>, StoreError> {
    let stage = query.stage.map(|s| s.as_str());
    let owner = query.owner.map(|o| o.0);
    // A limit of 0 means no limit; PostgreSQL reads LIMIT NULL that way.
    let limit = (query.limit > 0).then(|| i64::from(query.limit));
    let sql = format!(
        "{PERSON_VIEW}
         WHERE ($1::text IS NULL OR ps.stage = $1) AND ($2::bigint IS NULL OR p.owner_id = $2)
         ORDER BY p.created_at DESC, p.id DESC LIMIT $3 OFFSET $4"
    );
    collect(connection, &sql, &[&stage, &owner, &limit, &i64::from(query.offset)], person_view)
}

pub(crate) fn export_people(
    connection: &mut Connection,
    sink: Sink<'_, PersonView>,
) -> Result<(), StoreError> {
    let sql = format!("{PERSON_VIEW} ORDER BY p.id");
    connection.for_each_row(&sql, &[], |row| sink(person_view(row)?))
}

const TOUCH_VIEW: &str = "
    SELECT t.id, t.external_id, t.person_id, p.email, t.occurred_at, t.kind, t.channel, t.campaign_id, c.name,
           t.content_id, ci.url, t.attributes::text
    FROM touches t
    JOIN people p ON p.id = t.person_id
    LEFT JOIN campaigns c ON c.id = t.campaign_id
    LEFT JOIN content_items ci ON ci.id = t.content_id";

fn touch_view(row: &Row) -> Result<TouchView, StoreError> {
    Ok(TouchView {
        id: TouchId(get(row, 0)?),
        external_id: get(row, 1)?,
        person_id: PersonId(get(row, 2)?),
        email: get(row, 3)?,
        occurred_at: convert::time(get(row, 4)?)?,
        kind: convert::touch_kind(get(row, 5)?)?,
        channel: get(row, 6)?,
        campaign_id: get::<Option<i64>>(row, 7)?.map(CampaignId),
        campaign: get(row, 8)?,
        content_id: get::<Option<i64>>(row, 9)?.map(ContentId),
        content_url: get(row, 10)?,
        attributes: convert::attributes(get(row, 11)?)?,
    })
}

pub(crate) fn recent_touches(
    connection: &mut Connection,
    person: i64,
    limit: u32,
) -> Result<Vec<TouchView>, StoreError> {
    let sql = format!("{TOUCH_VIEW} WHERE t.person_id = $1 ORDER BY t.occurred_at DESC, t.id DESC LIMIT $2");
    collect(connection, &sql, &[&person, &i64::from(limit)], touch_view)
}

pub(crate) fn export_touches(
    connection: &mut Connection,
    sink: Sink<'_, TouchView>,
) -> Result<(), StoreError> {
    connection.for_each_row(&format!("{TOUCH_VIEW} ORDER BY t.id"), &[], |row| sink(touch_view(row)?))
}

fn account(row: &Row) -> Result<Account, StoreError> {
    Ok(Account { id: AccountId(get(row, 0)?), record: account_from_row(row, 1)? })
}

pub(crate) fn account_by_domain(
    connection: &mut Connection,
    domain: &str,
) -> Result<Option<Account>, StoreError> {
    let sql = format!("SELECT id, {ACCOUNT_COLUMNS} FROM accounts WHERE domain = $1");
    connection.query_opt(&sql, &[&domain])?.as_ref().map(account).transpose()
}

pub(crate) fn export_accounts(
    connection: &mut Connection,
    sink: Sink<'_, Account>,
) -> Result<(), StoreError> {
    let sql = format!("SELECT id, {ACCOUNT_COLUMNS} FROM accounts ORDER BY id");
    connection.for_each_row(&sql, &[], |row| sink(account(row)?))
}

pub(crate) fn export_campaigns(
    connection: &mut Connection,
    sink: Sink<'_, Campaign>,
) -> Result<(), StoreError> {
    let sql = "SELECT id, external_id, name, channel, started_on, budget FROM campaigns ORDER BY id";
    connection.for_each_row(sql, &[], |row| {
        sink(Campaign { id: CampaignId(get(row, 0)?), record: campaign_from_row(row, 1)? })
    })
}

pub(crate) fn export_content(
    connection: &mut Connection,
    sink: Sink<'_, ContentItem>,
) -> Result<(), StoreError> {
    let sql = "SELECT id, external_id, title, url, content_type, funnel_stage FROM content_items ORDER BY id";
    connection.for_each_row(sql, &[], |row| {
        sink(ContentItem { id: ContentId(get(row, 0)?), record: content_from_row(row, 1)? })
    })
}

pub(crate) fn export_opportunities(
    connection: &mut Connection,
    sink: Sink<'_, Opportunity>,
) -> Result<(), StoreError> {
    opportunities_where(connection, "TRUE ORDER BY o.id", &[], sink)
}

/// Opportunities whose row matches `condition` (which may end with an `ORDER BY`).
pub(crate) fn opportunities_where(
    connection: &mut Connection,
    condition: &str,
    params: Params<'_>,
    sink: Sink<'_, Opportunity>,
) -> Result<(), StoreError> {
    let sql = format!(
        "SELECT o.id, o.account_id, o.external_id, o.name, o.account_domain, pp.email, u.email, o.amount_cents,
                o.currency, o.stage, o.created_at, o.close_date, o.outcome, o.lost_reason,
                ARRAY(SELECT p.email FROM opportunity_contacts oc JOIN people p ON p.id = oc.person_id
                      WHERE oc.opportunity_id = o.id ORDER BY oc.position)
         FROM opportunities o
         LEFT JOIN people pp ON pp.id = o.primary_person_id
         LEFT JOIN users u ON u.id = o.owner_id
         WHERE {condition}"
    );
    connection.for_each_row(&sql, params, |row| {
        let contacts: Vec<&str> = get(row, 14)?;
        let record = OpportunityRecord {
            external_id: get(row, 2)?,
            name: get(row, 3)?,
            account_domain: get(row, 4)?,
            primary_contact: convert::optional_email(get(row, 5)?)?,
            contacts: contacts.into_iter().map(convert::email).collect::<Result<_, _>>()?,
            owner_email: convert::optional_email(get(row, 6)?)?,
            amount_cents: get(row, 7)?,
            currency: get(row, 8)?,
            stage: get(row, 9)?,
            created_at: convert::time(get(row, 10)?)?,
            close_date: convert::optional_time(get(row, 11)?)?,
            outcome: convert::outcome(get(row, 12)?)?,
            lost_reason: get(row, 13)?,
        };
        let account_id = get::<Option<i64>>(row, 1)?.map(AccountId);
        sink(Opportunity { id: OpportunityId(get(row, 0)?), account_id, record })
    })
}

pub(crate) fn counts(connection: &mut Connection) -> Result<Counts, StoreError> {
    let row = connection.query_one(
        "SELECT (SELECT COUNT(*) FROM accounts), (SELECT COUNT(*) FROM people), (SELECT COUNT(*) FROM campaigns),
                (SELECT COUNT(*) FROM content_items), (SELECT COUNT(*) FROM touches),
                (SELECT COUNT(*) FROM opportunities), (SELECT COUNT(*) FROM stage_events),
                (SELECT COUNT(*) FROM users)",
        &[],
    )?;
    let count = |index: usize| get::<i64>(&row, index).map(|n| n.max(0) as u64);
    Ok(Counts {
        accounts: count(0)?,
        people: count(1)?,
        campaigns: count(2)?,
        content: count(3)?,
        touches: count(4)?,
        opportunities: count(5)?,
        stage_events: count(6)?,
        users: count(7)?,
    })
}

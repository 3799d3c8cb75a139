//! Reads: person views (with derived stage, account and owner), lists, recent touches,
//! counts, and the streaming exports.

use rapport_domain::{
    Account, AccountId, Campaign, CampaignId, ContentId, ContentItem, Opportunity, OpportunityId,
    OpportunityRecord, Person, PersonId, PersonRecord, TouchId, UserId,
};
use rusqlite::{Connection, Row, ToSql};

use rapport_store::{Counts, PeopleQuery, PersonView, Sink, StoreError, TouchView};

use crate::convert::{self, OrDatabaseError};
use crate::lifecycle;
use crate::records::{account_from_row, campaign_from_row, content_from_row};

/// Columns of a person view; [`person_view`] reads them by position.
pub(crate) const PERSON_VIEW: &str = "
    SELECT p.id, p.external_id, p.email, p.first_name, p.last_name, p.title, p.account_domain, p.account_id,
           p.owner_id, p.source, p.campaign_id, p.country, p.created_at,
           u.email, c.name, ps.stage, ps.since,
           a.external_id, a.name, a.domain, a.industry, a.employees, a.country, a.annual_revenue
    FROM people p
    LEFT JOIN users u ON u.id = p.owner_id
    LEFT JOIN campaigns c ON c.id = p.campaign_id
    LEFT JOIN person_stage ps ON ps.person_id = p.id
    LEFT JOIN accounts a ON a.id = p.account_id";

pub(crate) fn person_view(connection: &Connection, row: &Row<'_>) -> Result<PersonView, StoreError> {
    let id: i64 = row.get(0).or_db()?;
    let account_id: Option<i64> = row.get(7).or_db()?;
    let owner_email: Option<String> = row.get(13).or_db()?;
    let record = PersonRecord {
        external_id: row.get(1).or_db()?,
        email: convert::email(&row.get::<_, String>(2).or_db()?)?,
        first_name: row.get(3).or_db()?,
        last_name: row.get(4).or_db()?,
        title: row.get(5).or_db()?,
        account_domain: row.get(6).or_db()?,
        owner_email: convert::optional_email(owner_email.clone())?,
        source: row.get(9).or_db()?,
        campaign: row.get(14).or_db()?,
        country: row.get(11).or_db()?,
        created_at: convert::time(row.get(12).or_db()?)?,
        stage_history: lifecycle::imported_history(connection, id)?,
    };
    let account = match account_id {
        Some(account) => Some(Account { id: AccountId(account), record: account_from_row(row, 17)? }),
        None => None,
    };
    Ok(PersonView {
        person: Person {
            id: PersonId(id),
            account_id: account_id.map(AccountId),
            owner_id: row.get::<_, Option<i64>>(8).or_db()?.map(UserId),
            campaign_id: row.get::<_, Option<i64>>(10).or_db()?.map(CampaignId),
            record,
        },
        stage: convert::optional_stage(row.get(15).or_db()?)?,
        stage_since: convert::optional_time(row.get(16).or_db()?)?,
        account,
        owner_email,
    })
}

/// Runs `sql` and hands each row to `each`, stopping at the first error (the sink's included).
pub(crate) fn for_each_row(
    connection: &Connection,
    sql: &str,
    params: &[&dyn ToSql],
    mut each: impl FnMut(&Row<'_>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut statement = connection.prepare_cached(sql).or_db()?;
    let mut rows = statement.query(params).or_db()?;
    while let Some(row) = rows.next().or_db()? {
        each(row)?;
    }
    Ok(())
}

pub(crate) fn person_by(
    connection: &Connection,
    column: &str,
    key: &dyn ToSql,
) -> Result<Option<PersonView>, StoreError> {
    let sql = format!("{PERSON_VIEW} WHERE p.{column} = ?1");
    let mut found = None;
    for_each_row(connection, &sql, &[key], |row| {
        found = Some(person_view(connection, row)?);
        Ok(())
    })?;
    Ok(found)
}

pub(crate) fn list_people(
    connection: &Connection,
    query: &PeopleQuery,
) -> Result<Vec<PersonView>, StoreError> {
    let stage = query.stage.map(|s| s.as_str());
    let owner = query.owner.map(|o| o.0);
    // A limit of 0 means no limit (SQLite reads a negative limit that way).
    let limit = if query.limit == 0 { -1 } else { i64::from(query.limit) };
    let sql = format!(
        "{PERSON_VIEW}
         WHERE (?1 IS NULL OR ps.stage = ?1) AND (?2 IS NULL OR p.owner_id = ?2)
         ORDER BY p.created_at DESC, p.id DESC LIMIT ?3 OFFSET ?4"
    );
    let mut people = Vec::new();
    for_each_row(connection, &sql, &[&stage, &owner, &limit, &i64::from(query.offset)], |row| {
        people.push(person_view(connection, row)?);
        Ok(())
    })?;
    Ok(people)
}

pub(crate) fn export_people(connection: &Connection, sink: Sink<'_, PersonView>) -> Result<(), StoreError> {
    let sql = format!("{PERSON_VIEW} ORDER BY p.id");
    for_each_row(connection, &sql, &[], |row| sink(person_view(connection, row)?))
}

const TOUCH_VIEW: &str = "
    SELECT t.id, t.external_id, t.person_id, p.email, t.occurred_at, t.kind, t.channel, t.campaign_id, c.name,
           t.content_id, ci.url, t.attributes
    FROM touches t
    JOIN people p ON p.id = t.person_id
    LEFT JOIN campaigns c ON c.id = t.campaign_id
    LEFT JOIN content_items ci ON ci.id = t.content_id";

fn touch_view(row: &Row<'_>) -> Result<TouchView, StoreError> {
    let attributes = match row.get_ref(11).or_db()?.as_str_or_null().or_db()? {
        Some(json) => {
            serde_json::from_str(json).map_err(|e| StoreError::Database(format!("touch attributes: {e}")))?
        }
        None => Default::default(),
    };
    Ok(TouchView {
        id: TouchId(row.get(0).or_db()?),
        external_id: row.get(1).or_db()?,
        person_id: PersonId(row.get(2).or_db()?),
        email: row.get(3).or_db()?,
        occurred_at: convert::time(row.get(4).or_db()?)?,
        kind: convert::touch_kind(&row.get::<_, String>(5).or_db()?)?,
        channel: row.get(6).or_db()?,
        campaign_id: row.get::<_, Option<i64>>(7).or_db()?.map(CampaignId),
        campaign: row.get(8).or_db()?,
        content_id: row.get::<_, Option<i64>>(9).or_db()?.map(ContentId),
        content_url: row.get(10).or_db()?,
        attributes,
    })
}

pub(crate) fn recent_touches(
    connection: &Connection,
    person: i64,
    limit: u32,
) -> Result<Vec<TouchView>, StoreError> {
    let sql = format!("{TOUCH_VIEW} WHERE t.person_id = ?1 ORDER BY t.occurred_at DESC, t.id DESC LIMIT ?2");
    let mut touches = Vec::new();
    for_each_row(connection, &sql, &[&person, &i64::from(limit)], |row| {
        touches.push(touch_view(row)?);
        Ok(())
    })?;
    Ok(touches)
}

pub(crate) fn export_touches(connection: &Connection, sink: Sink<'_, TouchView>) -> Result<(), StoreError> {
    let sql = format!("{TOUCH_VIEW} ORDER BY t.id");
    for_each_row(connection, &sql, &[], |row| sink(touch_view(row)?))
}

const ACCOUNTS: &str =
    "SELECT id, external_id, name, domain, industry, employees, country, annual_revenue FROM accounts";

pub(crate) fn account_by_domain(
    connection: &Connection,
    domain: &str,
) -> Result<Option<Account>, StoreError> {
    let mut found = None;
    for_each_row(connection, &format!("{ACCOUNTS} WHERE domain = ?1"), &[&domain], |row| {
        found = Some(Account { id: AccountId(row.get(0).or_db()?), record: account_from_row(row, 1)? });
        Ok(())
    })?;
    Ok(found)
}

pub(crate) fn export_accounts(connection: &Connection, sink: Sink<'_, Account>) -> Result<(), StoreError> {
    for_each_row(connection, &format!("{ACCOUNTS} ORDER BY id"), &[], |row| {
        sink(Account { id: AccountId(row.get(0).or_db()?), record: account_from_row(row, 1)? })
    })
}

pub(crate) fn export_campaigns(connection: &Connection, sink: Sink<'_, Campaign>) -> Result<(), StoreError> {
    let sql = "SELECT id, external_id, name, channel, started_on, budget FROM campaigns ORDER BY id";
    for_each_row(connection, sql, &[], |row| {
        sink(Campaign { id: CampaignId(row.get(0).or_db()?), record: campaign_from_row(row, 1)? })
    })
}

pub(crate) fn export_content(connection: &Connection, sink: Sink<'_, ContentItem>) -> Result<(), StoreError> {
    let sql = "SELECT id, external_id, title, url, content_type, funnel_stage FROM content_items ORDER BY id";
    for_each_row(connection, sql, &[], |row| {
        sink(ContentItem { id: ContentId(row.get(0).or_db()?), record: content_from_row(row, 1)? })
    })
}

pub(crate) fn export_opportunities(
    connection: &Connection,
    sink: Sink<'_, Opportunity>,
) -> Result<(), StoreError> {
    opportunities_where(connection, "TRUE ORDER BY o.id", &[], sink)
}

/// Opportunities whose row matches `condition` (which may end with an `ORDER BY`).
pub(crate) fn opportunities_where(
    connection: &Connection,
    condition: &str,
    params: &[&dyn ToSql],
    sink: Sink<'_, Opportunity>,
) -> Result<(), StoreError> {
    let sql = format!(
        "SELECT o.id, o.account_id, o.external_id, o.name, o.account_domain, pp.email, u.email, o.amount_cents,
                o.currency, o.stage, o.created_at, o.close_date, o.outcome, o.lost_reason
         FROM opportunities o
         LEFT JOIN people pp ON pp.id = o.primary_person_id
         LEFT JOIN users u ON u.id = o.owner_id
         WHERE {condition}"
    );
    for_each_row(connection, &sql, params, |row| {
        let id: i64 = row.get(0).or_db()?;
        let record = OpportunityRecord {
            external_id: row.get(2).or_db()?,
            name: row.get(3).or_db()?,
            account_domain: row.get(4).or_db()?,
            primary_contact: convert::optional_email(row.get(5).or_db()?)?,
            contacts: contact_emails(connection, id)?,
            owner_email: convert::optional_email(row.get(6).or_db()?)?,
            amount_cents: row.get(7).or_db()?,
            currency: row.get(8).or_db()?,
            stage: row.get(9).or_db()?,
            created_at: convert::time(row.get(10).or_db()?)?,
            close_date: convert::optional_time(row.get(11).or_db()?)?,
            outcome: convert::outcome(&row.get::<_, String>(12).or_db()?)?,
            lost_reason: row.get(13).or_db()?,
        };
        let account_id = row.get::<_, Option<i64>>(1).or_db()?.map(AccountId);
        sink(Opportunity { id: OpportunityId(id), account_id, record })
    })
}

fn contact_emails(
    connection: &Connection,
    opportunity: i64,
) -> Result<Vec<rapport_domain::EmailAddress>, StoreError> {
    let sql = "SELECT p.email FROM opportunity_contacts oc JOIN people p ON p.id = oc.person_id
               WHERE oc.opportunity_id = ?1 ORDER BY oc.position";
    let mut emails = Vec::new();
    for_each_row(connection, sql, &[&opportunity], |row| {
        emails.push(convert::email(&row.get::<_, String>(0).or_db()?)?);
        Ok(())
    })?;
    Ok(emails)
}

pub(crate) fn counts(connection: &Connection) -> Result<Counts, StoreError> {
    let sql = "SELECT (SELECT COUNT(*) FROM accounts), (SELECT COUNT(*) FROM people), (SELECT COUNT(*) FROM campaigns),
                      (SELECT COUNT(*) FROM content_items), (SELECT COUNT(*) FROM touches),
                      (SELECT COUNT(*) FROM opportunities), (SELECT COUNT(*) FROM stage_events),
                      (SELECT COUNT(*) FROM users)";
    let count = |row: &Row<'_>, index: usize| row.get::<_, i64>(index).map(|n| n.max(0) as u64);
    connection
        .query_row(sql, [], |row| {
            Ok(Counts {
                accounts: count(row, 0)?,
                people: count(row, 1)?,
                campaigns: count(row, 2)?,
                content: count(row, 3)?,
                touches: count(row, 4)?,
                opportunities: count(row, 5)?,
                stage_events: count(row, 6)?,
                users: count(row, 7)?,
            })
        })
        .or_db()
}

//! The analytics facts: one streamed query per vector, with the report filter turned into a
//! subquery selecting people (left out entirely when the filter is empty, so a report over
//! everyone scans the tables in index order without a membership test). The same queries as
//! the SQLite backend's, in PostgreSQL's dialect.

use postgres::types::ToSql;
use postgres::Row;
use rapport_domain::{
    AttributionFacts, FactsFilter, FunnelFacts, OpportunityFact, OpportunityId, PersonFact, PersonId,
    StageFact, TouchFact, UserId,
};

use rapport_store::StoreError;

use crate::connection::Connection;
use crate::convert::{self, get};

/// `rapport_domain::size_band` in SQL; a test keeps the two in step.
const SIZE_BAND: &str = "CASE WHEN a.employees IS NULL THEN 'unknown'
    WHEN a.employees < 50 THEN '1-49' WHEN a.employees < 200 THEN '50-199'
    WHEN a.employees < 1000 THEN '200-999' WHEN a.employees < 5000 THEN '1000-4999' ELSE '5000+' END";

/// People with the attributes reports filter and group by.
const PEOPLE_WITH_ATTRIBUTES: &str = "FROM people p
    LEFT JOIN campaigns c ON c.id = p.campaign_id
    LEFT JOIN users u ON u.id = p.owner_id
    LEFT JOIN accounts a ON a.id = p.account_id";

const PERSON_FACT_COLUMNS: &str = "p.id, p.created_at, p.source, c.name, u.email, a.industry, a.employees";

/// The filter as SQL conditions on [`PEOPLE_WITH_ATTRIBUTES`] and their parameters, in order.
struct Selection<'filter> {
    conditions: Vec<String>,
    params: Vec<&'filter String>,
}

impl<'filter> Selection<'filter> {
    fn new(filter: &'filter FactsFilter) -> Self {
        let mut selection = Selection { conditions: Vec::new(), params: Vec::new() };
        let columns = [
            ("p.source", &filter.source),
            ("c.name", &filter.campaign),
            ("u.email", &filter.owner),
            ("a.industry", &filter.industry),
            (SIZE_BAND, &filter.size_band),
        ];
        for (column, value) in columns {
            if let Some(value) = value {
                selection.params.push(value);
                selection.conditions.push(format!("({column}) = ${}::text", selection.params.len()));
            }
        }
        selection
    }

    fn where_clause(&self) -> String {
        if self.conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.conditions.join(" AND "))
        }
    }

    /// `AND <column> IN (selected people)`, or nothing when every person is selected.
    fn restrict(&self, column: &str) -> String {
        if self.conditions.is_empty() {
            String::new()
        } else {
            format!("AND {column} IN (SELECT p.id {PEOPLE_WITH_ATTRIBUTES} {})", self.where_clause())
        }
    }

    fn params(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.params.iter().map(|p| *p as &(dyn ToSql + Sync)).collect()
    }
}

fn person_fact(row: &Row) -> Result<PersonFact, StoreError> {
    Ok(PersonFact {
        person_id: PersonId(get(row, 0)?),
        created_at: convert::time(get(row, 1)?)?,
        source: get(row, 2)?,
        campaign: get(row, 3)?,
        owner: get(row, 4)?,
        industry: get(row, 5)?,
        employees: convert::employees(get(row, 6)?)?,
    })
}

const TOUCH_FACT_COLUMNS: &str = "t.person_id, t.occurred_at, t.kind, tc.name, ci.title";
const TOUCH_FACT_JOINS: &str =
    "LEFT JOIN campaigns tc ON tc.id = t.campaign_id LEFT JOIN content_items ci ON ci.id = t.content_id";

fn touch_fact(row: &Row) -> Result<TouchFact, StoreError> {
    Ok(TouchFact {
        person_id: PersonId(get(row, 0)?),
        at: convert::time(get(row, 1)?)?,
        kind: convert::touch_kind(get(row, 2)?)?,
        campaign: get(row, 3)?,
        content: get(row, 4)?,
    })
}

/// Opportunities whose primary contact is selected, with every contact (primary first).
fn opportunity_facts(
    connection: &mut Connection,
    selection: &Selection<'_>,
) -> Result<Vec<OpportunityFact>, StoreError> {
    let sql = format!(
        "SELECT o.id, o.name, o.primary_person_id,
                ARRAY(SELECT oc.person_id FROM opportunity_contacts oc WHERE oc.opportunity_id = o.id
                      ORDER BY oc.position),
                o.amount_cents, o.currency, o.created_at, o.close_date, o.outcome, o.lost_reason
         FROM opportunities o WHERE o.primary_person_id IS NOT NULL {} ORDER BY o.id",
        selection.restrict("o.primary_person_id")
    );
    let mut facts = Vec::new();
    connection.for_each_row(&sql, &selection.params(), |row| {
        let primary: Option<i64> = get(row, 2)?;
        let mut contacts: Vec<PersonId> = primary.into_iter().map(PersonId).collect();
        for id in get::<Vec<i64>>(row, 3)? {
            if !contacts.contains(&PersonId(id)) {
                contacts.push(PersonId(id));
            }
        }
        facts.push(OpportunityFact {
            id: OpportunityId(get(row, 0)?),
            name: get(row, 1)?,
            primary_contact: primary.map(PersonId),
            contacts,
            amount_cents: get(row, 4)?,
            currency: get(row, 5)?,
            created_at: convert::time(get(row, 6)?)?,
            close_date: convert::optional_time(get(row, 7)?)?,
            outcome: convert::outcome(get(row, 8)?)?,
            lost_reason: get(row, 9)?,
        });
        Ok(())
    })?;
    Ok(facts)
}

pub(crate) fn funnel_facts(
    connection: &mut Connection,
    filter: &FactsFilter,
) -> Result<FunnelFacts, StoreError> {
    let selection = Selection::new(filter);
    let params = selection.params();
    let mut facts = FunnelFacts::default();

    let sql = format!(
        "SELECT {PERSON_FACT_COLUMNS} {PEOPLE_WITH_ATTRIBUTES} {} ORDER BY p.id",
        selection.where_clause()
    );
    connection.for_each_row(&sql, &params, |row| {
        facts.people.push(person_fact(row)?);
        Ok(())
    })?;

    let sql = format!(
        "SELECT e.person_id, e.at, e.to_stage, e.reason, e.note, e.owner_id, e.id FROM stage_events e
         WHERE TRUE {} ORDER BY e.person_id, e.at, e.id",
        selection.restrict("e.person_id")
    );
    connection.for_each_row(&sql, &params, |row| {
        facts.events.push(StageFact {
            person_id: PersonId(get(row, 0)?),
            at: convert::time(get(row, 1)?)?,
            to: convert::stage(get(row, 2)?)?,
            reason: get(row, 3)?,
            note: get(row, 4)?,
            owner: get::<Option<i64>>(row, 5)?.map(UserId),
            sequence: get(row, 6)?,
        });
        Ok(())
    })?;

    let sql = format!(
        "SELECT {TOUCH_FACT_COLUMNS} FROM touches t {TOUCH_FACT_JOINS}
         WHERE t.kind = 'sales_activity' {} ORDER BY t.person_id, t.occurred_at, t.id",
        selection.restrict("t.person_id")
    );
    connection.for_each_row(&sql, &params, |row| {
        facts.sales_touches.push(touch_fact(row)?);
        Ok(())
    })?;

    facts.opportunities = opportunity_facts(connection, &selection)?;
    Ok(facts)
}

pub(crate) fn attribution_facts(
    connection: &mut Connection,
    filter: &FactsFilter,
) -> Result<AttributionFacts, StoreError> {
    let selection = Selection::new(filter);
    let params = selection.params();
    let mut facts =
        AttributionFacts { opportunities: opportunity_facts(connection, &selection)?, ..Default::default() };
    // Each contact of the selected deals, with the creation time of their latest deal: their
    // touches up to then are the ones that could have influenced a deal.
    let contacts = format!(
        "WITH deals AS (
             SELECT o.id, o.created_at, o.primary_person_id FROM opportunities o
             WHERE o.primary_person_id IS NOT NULL {}
         ),
         deal_people AS (
             SELECT person_id, MAX(created_at) AS until FROM (
                 SELECT primary_person_id AS person_id, created_at FROM deals
                 UNION ALL
                 SELECT oc.person_id, d.created_at FROM opportunity_contacts oc JOIN deals d ON d.id = oc.opportunity_id
             ) AS contacts GROUP BY person_id
         )",
        selection.restrict("o.primary_person_id")
    );
    let sql = format!(
        "{contacts}
         SELECT {TOUCH_FACT_COLUMNS} FROM deal_people dp
         JOIN touches t ON t.person_id = dp.person_id AND t.occurred_at <= dp.until
         {TOUCH_FACT_JOINS}
         WHERE t.kind <> 'sales_activity'
         ORDER BY t.person_id, t.occurred_at, t.id"
    );
    connection.for_each_row(&sql, &params, |row| {
        facts.touches.push(touch_fact(row)?);
        Ok(())
    })?;
    let sql = format!(
        "{contacts}
         SELECT {PERSON_FACT_COLUMNS} FROM deal_people dp JOIN people p ON p.id = dp.person_id
         LEFT JOIN campaigns c ON c.id = p.campaign_id
         LEFT JOIN users u ON u.id = p.owner_id
         LEFT JOIN accounts a ON a.id = p.account_id
         ORDER BY p.id"
    );
    connection.for_each_row(&sql, &params, |row| {
        facts.people.push(person_fact(row)?);
        Ok(())
    })?;
    Ok(facts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::TemporarySchema;

    #[test]
    fn size_band_in_sql_matches_the_domain() {
        let schema = TemporarySchema::new(&crate::schema::test_url(), "size_band").unwrap();
        let mut client = schema.connect().unwrap();
        let sql = format!("SELECT {SIZE_BAND} FROM (SELECT $1::bigint AS employees) a");
        for employees in [
            None,
            Some(0),
            Some(49),
            Some(50),
            Some(199),
            Some(200),
            Some(999),
            Some(1000),
            Some(4999),
            Some(5000),
            Some(100_000),
        ] {
            let band: String = client.query_one(&sql, &[&employees.map(i64::from)]).unwrap().get(0);
            assert_eq!(band, rapport_domain::size_band(employees), "employees {employees:?}");
        }
    }
}

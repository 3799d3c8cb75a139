//! Turns one CSV row into a domain record, or a [`RowError`] naming the line and column.

use std::borrow::Cow;
use std::collections::BTreeMap;

use csv::StringRecord;
use rapport_domain::{
    parse_timestamp, AccountRecord, CampaignRecord, ContentRecord, EmailAddress, FunnelStage,
    OpportunityRecord, PersonRecord, Stage, Timestamp, TouchKind, TouchRecord,
};

use crate::header::{Columns, SOURCE_RENAMES};
use crate::values::{
    normalize_domain, outcome_from_stage, parse_amount_cents, parse_count, parse_decimal, parse_outcome, slug,
};
use crate::{ImportKind, RowError};

/// One parsed row of any kind.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Record {
    Person(PersonRecord),
    Account(AccountRecord),
    Touch(TouchRecord),
    Opportunity(OpportunityRecord),
    Campaign(CampaignRecord),
    Content(ContentRecord),
}

/// The `became_*_at` columns and the funnel stage each records.
pub(crate) const BECAME_COLUMNS: [(&str, Stage); 7] = [
    ("became_subscriber_at", Stage::Subscriber),
    ("became_lead_at", Stage::Lead),
    ("became_mql_at", Stage::Mql),
    ("became_sal_at", Stage::Sal),
    ("became_sql_at", Stage::Sql),
    ("became_opportunity_at", Stage::Opportunity),
    ("became_customer_at", Stage::Customer),
];

/// A row being read: its cells, the resolved header and the line it starts on.
#[derive(Debug)]
pub(crate) struct Row<'a> {
    pub cells: &'a StringRecord,
    pub columns: &'a Columns,
    pub line: u64,
}

impl<'a> Row<'a> {
    /// The cell of a canonical column: trimmed, value-mapped, `None` when blank or absent.
    fn text(&self, name: &str) -> Option<Cow<'a, str>> {
        let column = self.columns.get(name)?;
        let raw = crate::spreadsheet::unguard(self.cells.get(column.index?)?.trim());
        if raw.is_empty() {
            return None;
        }
        let mut value = Cow::Borrowed(raw);
        if !column.values.is_empty() {
            if let Some(mapped) = column.values.get(&raw.to_lowercase()) {
                value = Cow::Owned(mapped.clone());
            }
        }
        if column.slug_values {
            let slugged = slug(&value);
            let renamed =
                SOURCE_RENAMES.iter().find(|(from, _)| *from == slugged).map(|(_, to)| (*to).to_owned());
            value = Cow::Owned(renamed.unwrap_or(slugged));
        }
        (!value.is_empty()).then_some(value)
    }

    fn error(&self, name: &str, message: impl Into<String>) -> RowError {
        RowError {
            line: self.line,
            column: self.columns.get(name).and_then(|column| column.header.clone()),
            field: name.to_owned(),
            message: message.into(),
        }
    }

    fn optional(&self, name: &str) -> Option<String> {
        self.text(name).map(Cow::into_owned)
    }

    fn required(&self, name: &str) -> Result<Cow<'a, str>, RowError> {
        self.text(name).ok_or_else(|| self.error(name, format!("`{name}` is empty; every row needs one")))
    }

    fn parse<T>(
        &self,
        name: &str,
        parser: impl Fn(&str) -> Result<T, String>,
    ) -> Result<Option<T>, RowError> {
        self.text(name).map(|value| parser(&value).map_err(|message| self.error(name, message))).transpose()
    }

    fn required_parse<T>(
        &self,
        name: &str,
        parser: impl Fn(&str) -> Result<T, String>,
    ) -> Result<T, RowError> {
        let value = self.required(name)?;
        parser(&value).map_err(|message| self.error(name, message))
    }

    pub fn to_record(&self) -> Result<Record, RowError> {
        if let Some(extra) = self.cells.iter().skip(self.width()).find(|cell| !cell.trim().is_empty()) {
            return Err(RowError {
                line: self.line,
                column: None,
                field: "(row)".to_owned(),
                message: format!(
                    "the row has {} fields but the header only {} (the extra one holds `{extra}`); is a value missing its quotes?",
                    self.cells.len(),
                    self.width()
                ),
            });
        }
        Ok(match self.columns.kind {
            ImportKind::People => Record::Person(self.person()?),
            ImportKind::Accounts => Record::Account(self.account()?),
            ImportKind::Touches => Record::Touch(self.touch()?),
            ImportKind::Opportunities => Record::Opportunity(self.opportunity()?),
            ImportKind::Campaigns => Record::Campaign(self.campaign()?),
            ImportKind::Content => Record::Content(self.content()?),
        })
    }

    fn width(&self) -> usize {
        self.columns.header_width
    }

    fn person(&self) -> Result<PersonRecord, RowError> {
        let created_at = self.required_parse("created_at", timestamp)?;
        let mut stage_history: Vec<(Stage, Timestamp)> = Vec::new();
        for (column, stage) in BECAME_COLUMNS {
            if let Some(at) = self.parse(column, timestamp)? {
                stage_history.push((stage, at));
            }
        }
        stage_history.sort_by_key(|(stage, at)| (*at, *stage));
        if let Some(stage) = self.parse("lifecycle_stage", parse_stage)? {
            let at = match self.parse("lifecycle_stage_at", timestamp)? {
                Some(at) => at,
                None => stage_history.iter().rev().find(|(s, _)| *s == stage).map_or_else(
                    || stage_history.last().map_or(created_at, |(_, last)| (*last).max(created_at)),
                    |(_, at)| *at,
                ),
            };
            if !stage_history.contains(&(stage, at)) {
                stage_history.push((stage, at));
                stage_history.sort_by_key(|(stage, at)| (*at, *stage));
            }
        }
        Ok(PersonRecord {
            external_id: self.optional("external_id"),
            email: self.required_parse("email", email)?,
            first_name: self.optional("first_name"),
            last_name: self.optional("last_name"),
            title: self.optional("title"),
            account_domain: self.parse("account_domain", normalize_domain)?,
            owner_email: self.parse("owner_email", owner_email)?,
            source: self.optional("source"),
            campaign: self.optional("campaign"),
            country: self.optional("country"),
            created_at,
            stage_history,
        })
    }

    fn account(&self) -> Result<AccountRecord, RowError> {
        Ok(AccountRecord {
            external_id: self.optional("external_id"),
            name: self.required("name")?.into_owned(),
            domain: self.parse("domain", normalize_domain)?,
            industry: self.optional("industry"),
            employees: self.parse("employees", parse_count)?,
            country: self.optional("country"),
            annual_revenue: self.parse("annual_revenue", parse_decimal)?,
        })
    }

    fn touch(&self) -> Result<TouchRecord, RowError> {
        let mut attributes = BTreeMap::new();
        for (index, header) in &self.columns.extra {
            if let Some(value) = self.cells.get(*index).map(str::trim).filter(|v| !v.is_empty()) {
                attributes.insert(header.clone(), crate::spreadsheet::unguard(value).to_owned());
            }
        }
        Ok(TouchRecord {
            external_id: self.optional("external_id"),
            email: self.required_parse("email", email)?,
            occurred_at: self.required_parse("occurred_at", timestamp)?,
            kind: self.required_parse("kind", touch_kind)?,
            channel: self.optional("channel"),
            campaign: self.optional("campaign"),
            content_url: self.optional("content_url"),
            attributes,
        })
    }

    fn opportunity(&self) -> Result<OpportunityRecord, RowError> {
        let stage = self.required("stage")?.into_owned();
        let outcome = match self.parse("outcome", parse_outcome)? {
            Some(outcome) => outcome,
            None => outcome_from_stage(&stage),
        };
        let contacts = match self.text("contact_emails") {
            None => Vec::new(),
            Some(list) => list
                .split([';', ','])
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(|item| email(item).map_err(|message| self.error("contact_emails", message)))
                .collect::<Result<_, _>>()?,
        };
        Ok(OpportunityRecord {
            external_id: self.required("external_id")?.into_owned(),
            name: self.required("name")?.into_owned(),
            account_domain: self.parse("account_domain", normalize_domain)?,
            primary_contact: self.parse("primary_contact_email", email)?,
            contacts,
            owner_email: self.parse("owner_email", owner_email)?,
            amount_cents: self.parse("amount", parse_amount_cents)?.unwrap_or(0),
            currency: self.parse("currency", currency)?.unwrap_or_else(|| "USD".to_owned()),
            stage,
            created_at: self.required_parse("created_at", timestamp)?,
            close_date: self.parse("close_date", timestamp)?,
            outcome,
            lost_reason: self.optional("lost_reason"),
        })
    }

    fn campaign(&self) -> Result<CampaignRecord, RowError> {
        Ok(CampaignRecord {
            external_id: self.optional("external_id"),
            name: self.required("name")?.into_owned(),
            channel: self.optional("channel"),
            started_on: self.parse("started_on", timestamp)?,
            budget: self.parse("budget", parse_decimal)?,
        })
    }

    fn content(&self) -> Result<ContentRecord, RowError> {
        Ok(ContentRecord {
            external_id: self.optional("external_id"),
            title: self.required("title")?.into_owned(),
            url: self.required("url")?.into_owned(),
            content_type: self.optional("content_type"),
            funnel_stage: self.parse("funnel_stage", funnel_stage)?,
        })
    }
}

fn timestamp(text: &str) -> Result<Timestamp, String> {
    parse_timestamp(text)
        .or_else(|error| {
            // Salesforce writes US date-times with a comma after the date (`3/4/2024, 9:12 AM`),
            // a shape the domain's parser does not know; without the comma it does.
            let (date, time) = text.split_once(", ").ok_or_else(|| error.clone())?;
            parse_timestamp(&format!("{date} {time}")).map_err(|_| error)
        })
        .map_err(|error| error.to_string())
}

fn email(text: &str) -> Result<EmailAddress, String> {
    EmailAddress::parse(text).map_err(|error| error.to_string())
}

fn owner_email(text: &str) -> Result<EmailAddress, String> {
    EmailAddress::parse(text).map_err(|error| {
        format!("{error}; the owner must be a user's email (map owner names to emails with a value map: [<kind>.values.owner_email] \"{text}\" = \"…\")")
    })
}

fn parse_stage(text: &str) -> Result<Stage, String> {
    Stage::parse(text).ok_or_else(|| {
        let known: Vec<&str> = Stage::ALL.iter().map(|stage| stage.as_str()).collect();
        format!(
            "`{text}` is not a lifecycle stage (one of: {}; or map it with a value map)",
            known.join(", ")
        )
    })
}

fn touch_kind(text: &str) -> Result<TouchKind, String> {
    TouchKind::parse(text).ok_or_else(|| {
        let known: Vec<&str> = TouchKind::ALL.iter().map(|kind| kind.as_str()).collect();
        format!("`{text}` is not a touch kind (one of: {})", known.join(", "))
    })
}

fn funnel_stage(text: &str) -> Result<FunnelStage, String> {
    FunnelStage::parse(text)
        .ok_or_else(|| format!("`{text}` is not a funnel stage (one of: top, middle, bottom)"))
}

fn currency(text: &str) -> Result<String, String> {
    let code = text.trim().to_ascii_uppercase();
    if code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(code)
    } else {
        Err(format!("`{text}` is not a three-letter currency code such as USD or EUR"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salesforce_date_times_with_a_comma_parse() {
        let expected = parse_timestamp("2024-03-04 09:12").unwrap();
        assert_eq!(timestamp("3/4/2024, 9:12 AM"), Ok(expected));
        assert_eq!(timestamp("3/4/2024 9:12 AM"), Ok(expected));
        assert!(timestamp("3/4/2024, soon")
            .unwrap_err()
            .starts_with("`3/4/2024, soon` is not a date or time"));
    }
}

//! Streams stored records out as CSV in the canonical columns, so an export imports back
//! unchanged.

use std::collections::BTreeSet;
use std::io::Write;

use chrono::SecondsFormat;
use rapport_domain::{Account, Campaign, ContentItem, Opportunity, Stage, StageEvent, Timestamp};
use rapport_store::{PersonView, Store, StoreError, TouchView};

use crate::rows::BECAME_COLUMNS;
use crate::values::format_cents;
use crate::{ImportError, ImportKind};

/// Writes every stored record of `kind` to `out` as CSV with the canonical header, and returns
/// how many rows it wrote. Touches get one extra column per attribute key found (the store is
/// read twice: once for the keys, then for the rows). For people, each person's history is read
/// for the `became_*_at` columns, while their row is being streamed.
pub fn export(store: &dyn Store, kind: ImportKind, out: &mut dyn Write) -> Result<u64, ImportError> {
    let names = kind.canonical_columns();
    let mut writer = csv::Writer::from_writer(out);
    let mut state = ExportState { kind: kind.as_str(), write_error: None, rows: 0 };
    let attribute_keys = match kind {
        ImportKind::Touches => touch_attribute_keys(store, &names)?,
        _ => Vec::new(),
    };
    let header = names.iter().copied().chain(attribute_keys.iter().map(String::as_str));
    state.write(&mut writer, header)?;
    let result = match kind {
        ImportKind::People => store.export_people(&mut |view| {
            let history = store.stage_history(view.person.id)?;
            state.row(&mut writer, names.iter().map(|n| person_cell(&view, &history, n)))
        }),
        ImportKind::Accounts => store.export_accounts(&mut |account| {
            state.row(&mut writer, names.iter().map(|n| account_cell(&account, n)))
        }),
        ImportKind::Touches => store.export_touches(&mut |touch| {
            let canonical = names.iter().map(|n| touch_cell(&touch, n));
            let attributes =
                attribute_keys.iter().map(|key| touch.attributes.get(key).cloned().unwrap_or_default());
            state.row(&mut writer, canonical.chain(attributes))
        }),
        ImportKind::Opportunities => store.export_opportunities(&mut |opportunity| {
            state.row(&mut writer, names.iter().map(|n| opportunity_cell(&opportunity, n)))
        }),
        ImportKind::Campaigns => store.export_campaigns(&mut |campaign| {
            state.row(&mut writer, names.iter().map(|n| campaign_cell(&campaign, n)))
        }),
        ImportKind::Content => store
            .export_content(&mut |item| state.row(&mut writer, names.iter().map(|n| content_cell(&item, n)))),
    };
    if let Some(source) = state.write_error.take() {
        return Err(ImportError::Write { kind: state.kind, source });
    }
    result.map_err(|source| ImportError::ExportStore { kind: state.kind, source })?;
    writer.flush().map_err(|source| ImportError::Write { kind: state.kind, source })?;
    Ok(state.rows)
}

/// Carries a write failure out of the store's callback, which can only return a `StoreError`.
#[derive(Debug)]
struct ExportState {
    kind: &'static str,
    write_error: Option<std::io::Error>,
    rows: u64,
}

impl ExportState {
    fn write<W: Write, I: IntoIterator<Item = S>, S: AsRef<[u8]>>(
        &mut self,
        writer: &mut csv::Writer<W>,
        cells: I,
    ) -> Result<(), ImportError> {
        writer
            .write_record(cells)
            .map_err(|error| ImportError::Write { kind: self.kind, source: error.into() })
    }

    fn row<W: Write>(
        &mut self,
        writer: &mut csv::Writer<W>,
        cells: impl Iterator<Item = String>,
    ) -> Result<(), StoreError> {
        match writer.write_record(cells.map(|cell| crate::spreadsheet::guard(&cell).into_owned())) {
            Ok(()) => {
                self.rows += 1;
                Ok(())
            }
            Err(error) => {
                self.write_error = Some(error.into());
                Err(StoreError::Database("the export writer failed".to_owned()))
            }
        }
    }
}

fn touch_attribute_keys(store: &dyn Store, names: &[&str]) -> Result<Vec<String>, ImportError> {
    let mut keys = BTreeSet::new();
    store
        .export_touches(&mut |touch| {
            keys.extend(touch.attributes.into_keys());
            Ok(())
        })
        .map_err(|source| ImportError::ExportStore { kind: "touches", source })?;
    // An attribute named like a canonical column would read back as that column.
    Ok(keys
        .into_iter()
        .filter(|key| {
            !names.iter().any(|name| crate::columns::header_key(name) == crate::columns::header_key(key))
        })
        .collect())
}

fn time(at: &Timestamp) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// When the person first reached `stage`, by the whole history: handoffs made in Rapport and
/// steps of deals count, not only the CRM history the record carries. Otherwise a re-import
/// of an export would add those steps as CRM history and export differently.
fn first_time_at(history: &[StageEvent], stage: Stage) -> String {
    history
        .iter()
        .filter(|event| event.to == stage)
        .map(|event| event.at)
        .min()
        .map_or_else(String::new, |at| time(&at))
}

fn person_cell(view: &PersonView, history: &[StageEvent], name: &str) -> String {
    let record = &view.person.record;
    if let Some((_, stage)) = BECAME_COLUMNS.iter().find(|(column, _)| *column == name) {
        return first_time_at(history, *stage);
    }
    match name {
        "email" => record.email.to_string(),
        "first_name" => text(&record.first_name),
        "last_name" => text(&record.last_name),
        "title" => text(&record.title),
        "account_domain" => text(&record.account_domain),
        "owner_email" => record
            .owner_email
            .as_ref()
            .map(ToString::to_string)
            .or_else(|| view.owner_email.clone())
            .unwrap_or_default(),
        "source" => text(&record.source),
        "campaign" => text(&record.campaign),
        "country" => text(&record.country),
        "created_at" => time(&record.created_at),
        "lifecycle_stage" => view.stage.map(|stage| stage.as_str().to_owned()).unwrap_or_default(),
        "lifecycle_stage_at" => view.stage_since.as_ref().map(time).unwrap_or_default(),
        "external_id" => text(&record.external_id),
        _ => String::new(),
    }
}

fn account_cell(account: &Account, name: &str) -> String {
    let record = &account.record;
    match name {
        "external_id" => text(&record.external_id),
        "name" => record.name.clone(),
        "domain" => text(&record.domain),
        "industry" => text(&record.industry),
        "employees" => record.employees.map(|n| n.to_string()).unwrap_or_default(),
        "country" => text(&record.country),
        "annual_revenue" => record.annual_revenue.map(|n| n.to_string()).unwrap_or_default(),
        _ => String::new(),
    }
}

fn touch_cell(touch: &TouchView, name: &str) -> String {
    match name {
        "external_id" => text(&touch.external_id),
        "email" => touch.email.clone(),
        "occurred_at" => time(&touch.occurred_at),
        "kind" => touch.kind.as_str().to_owned(),
        "channel" => text(&touch.channel),
        "campaign" => text(&touch.campaign),
        "content_url" => text(&touch.content_url),
        _ => String::new(),
    }
}

fn opportunity_cell(opportunity: &Opportunity, name: &str) -> String {
    let record = &opportunity.record;
    match name {
        "external_id" => record.external_id.clone(),
        "name" => record.name.clone(),
        "account_domain" => text(&record.account_domain),
        "primary_contact_email" => {
            record.primary_contact.as_ref().map(ToString::to_string).unwrap_or_default()
        }
        "contact_emails" => record.contacts.iter().map(|email| email.as_str()).collect::<Vec<_>>().join(";"),
        "owner_email" => record.owner_email.as_ref().map(ToString::to_string).unwrap_or_default(),
        "amount" => format_cents(record.amount_cents),
        "currency" => record.currency.clone(),
        "stage" => record.stage.clone(),
        "created_at" => time(&record.created_at),
        "close_date" => record.close_date.as_ref().map(time).unwrap_or_default(),
        "outcome" => record.outcome.as_str().to_owned(),
        "lost_reason" => text(&record.lost_reason),
        _ => String::new(),
    }
}

fn campaign_cell(campaign: &Campaign, name: &str) -> String {
    let record = &campaign.record;
    match name {
        "external_id" => text(&record.external_id),
        "name" => record.name.clone(),
        "channel" => text(&record.channel),
        "started_on" => record.started_on.as_ref().map(time).unwrap_or_default(),
        "budget" => record.budget.map(|n| n.to_string()).unwrap_or_default(),
        _ => String::new(),
    }
}

fn content_cell(item: &ContentItem, name: &str) -> String {
    let record = &item.record;
    match name {
        "external_id" => text(&record.external_id),
        "title" => record.title.clone(),
        "url" => record.url.clone(),
        "content_type" => text(&record.content_type),
        "funnel_stage" => record.funnel_stage.map(|stage| stage.as_str().to_owned()).unwrap_or_default(),
        _ => String::new(),
    }
}

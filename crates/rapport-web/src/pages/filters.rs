//! The report filters every dashboard and drill-down shares, read from and written to the query
//! string, so a view is a link.

use chrono::Utc;
use maud::{html, Markup};
use rapport_app::reports::{self, ReportQuery};
use rapport_domain::FactsFilter;
use serde::Deserialize;

use crate::format::link;
use crate::PageError;

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct ReportFilters {
    pub from: Option<String>,
    pub to: Option<String>,
    pub source: Option<String>,
    pub campaign: Option<String>,
    pub owner: Option<String>,
    pub industry: Option<String>,
    pub size_band: Option<String>,
}

/// A query-string value, trimmed; an empty one counts as not given.
pub(super) fn given(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
}

impl ReportFilters {
    /// The period and filter as the reports take them; bad dates say which field.
    pub fn query(&self) -> Result<ReportQuery, PageError> {
        let (from, to) =
            reports::period(given(&self.from).as_deref(), given(&self.to).as_deref(), Utc::now())?;
        Ok(ReportQuery {
            from,
            to,
            filter: FactsFilter {
                source: given(&self.source),
                campaign: given(&self.campaign),
                owner: given(&self.owner),
                industry: given(&self.industry),
                size_band: given(&self.size_band),
            },
        })
    }

    /// The filters as query pairs, plus `extra`, for links that keep the view.
    pub fn link(&self, path: &str, extra: &[(&str, Option<&str>)]) -> String {
        let mut pairs: Vec<(&str, Option<&str>)> = vec![
            ("from", self.from.as_deref()),
            ("to", self.to.as_deref()),
            ("source", self.source.as_deref()),
            ("campaign", self.campaign.as_deref()),
            ("owner", self.owner.as_deref()),
            ("industry", self.industry.as_deref()),
            ("size_band", self.size_band.as_deref()),
        ];
        for (key, value) in extra {
            pairs.retain(|(k, _)| k != key);
            pairs.push((key, *value));
        }
        link(path, &pairs)
    }

    /// The filter form (GET, so the result is a shareable URL); `hidden` keeps other parameters.
    pub fn form(&self, action: &str, hidden: &[(&str, &str)]) -> Markup {
        let text = |name: &'static str, label: &'static str, value: &Option<String>| {
            html! { label { (label) input type="text" name=(name) value=[value.as_deref()]; } }
        };
        html! {
            form.filters method="get" action=(action) {
                label { "From" input type="date" name="from" value=[self.from.as_deref()]; }
                label { "To" input type="date" name="to" value=[self.to.as_deref()]; }
                (text("source", "Source", &self.source))
                (text("campaign", "Campaign", &self.campaign))
                (text("owner", "Owner (email)", &self.owner))
                (text("industry", "Industry", &self.industry))
                label { "Company size"
                    select name="size_band" {
                        option value="" { "any" }
                        @for band in ["1-49", "50-199", "200-999", "1000-4999", "5000+", "unknown"] {
                            option value=(band) selected[self.size_band.as_deref() == Some(band)] { (band) }
                        }
                    }
                }
                @for (name, value) in hidden {
                    input type="hidden" name=(name) value=(value);
                }
                button type="submit" { "Apply" }
                a href=(action) { "Reset" }
            }
        }
    }
}

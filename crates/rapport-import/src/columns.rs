//! The canonical columns of each kind and the header names the HubSpot and Salesforce presets
//! know for them.
//!
//! Canonical columns are also what [`crate::export`] writes, so an export imports back as is.
//! Headers match case-, space-, `_`- and `-`-insensitively (`First Name` = `first_name`), and
//! canonical names are accepted whatever the preset. Required columns are marked **req**.
//!
//! | kind | columns |
//! |---|---|
//! | people | **email**, first_name, last_name, title, account_domain, owner_email, source, campaign, country, **created_at**, lifecycle_stage, lifecycle_stage_at, became_subscriber_at, became_lead_at, became_mql_at, became_sal_at, became_sql_at, became_opportunity_at, became_customer_at, external_id |
//! | accounts | external_id, **name**, domain, industry, employees, country, annual_revenue |
//! | touches | external_id, **email**, **occurred_at**, **kind**, channel, campaign, content_url; every other column becomes a free attribute |
//! | opportunities | **external_id**, **name**, account_domain, primary_contact_email, contact_emails (`;`-separated), owner_email, amount, currency (default USD), **stage**, **created_at**, close_date, outcome (won / lost / open, else derived from the stage), lost_reason |
//! | campaigns | external_id, **name**, channel, started_on, budget |
//! | content | external_id, **title**, **url**, content_type, funnel_stage (top / middle / bottom) |

use crate::ImportKind;

/// One canonical column and the export headers the presets know it by.
#[derive(Debug)]
pub(crate) struct ColumnSpec {
    pub name: &'static str,
    pub required: bool,
    pub hubspot: &'static [&'static str],
    pub salesforce: &'static [&'static str],
}

const fn col(name: &'static str) -> ColumnSpec {
    ColumnSpec { name, required: false, hubspot: &[], salesforce: &[] }
}

const fn req(name: &'static str) -> ColumnSpec {
    ColumnSpec { name, required: true, hubspot: &[], salesforce: &[] }
}

impl ColumnSpec {
    const fn hubspot(mut self, names: &'static [&'static str]) -> Self {
        self.hubspot = names;
        self
    }

    const fn salesforce(mut self, names: &'static [&'static str]) -> Self {
        self.salesforce = names;
        self
    }
}

pub(crate) const PEOPLE: &[ColumnSpec] = &[
    req("email").hubspot(&["Email"]).salesforce(&["Email"]),
    col("first_name").hubspot(&["First Name"]).salesforce(&["First Name"]),
    col("last_name").hubspot(&["Last Name"]).salesforce(&["Last Name"]),
    col("title").hubspot(&["Job Title"]).salesforce(&["Title"]),
    col("account_domain")
        .hubspot(&["Company Domain Name", "Website URL"])
        .salesforce(&["Website", "Company Website"]),
    // Owner columns often hold a name, not an email; a value map turns names into emails.
    col("owner_email").hubspot(&["Contact owner email", "Contact owner"]).salesforce(&[
        "Owner Email",
        "Lead Owner Email",
        "Contact Owner Email",
        "Lead Owner",
        "Contact Owner",
    ]),
    col("source").hubspot(&["Original Source", "Original Traffic Source"]).salesforce(&["Lead Source"]),
    col("campaign")
        .hubspot(&["Original Campaign", "Campaign"])
        .salesforce(&["Campaign Name", "Primary Campaign"]),
    col("country").hubspot(&["Country/Region", "Country"]).salesforce(&["Country", "Mailing Country"]),
    req("created_at").hubspot(&["Create Date"]).salesforce(&["Created Date", "Create Date"]),
    col("lifecycle_stage").hubspot(&["Lifecycle Stage"]).salesforce(&["Lead Status", "Status"]),
    col("lifecycle_stage_at"),
    col("became_subscriber_at").hubspot(&["Became a Subscriber Date"]),
    col("became_lead_at").hubspot(&["Became a Lead Date"]),
    col("became_mql_at").hubspot(&["Became a Marketing Qualified Lead Date"]),
    col("became_sal_at").hubspot(&["Became a Sales Accepted Lead Date"]),
    col("became_sql_at").hubspot(&["Became a Sales Qualified Lead Date"]).salesforce(&["Converted Date"]),
    col("became_opportunity_at").hubspot(&["Became an Opportunity Date"]),
    col("became_customer_at").hubspot(&["Became a Customer Date"]),
    col("external_id").hubspot(&["Record ID", "Contact ID"]).salesforce(&["Lead ID", "Contact ID"]),
];

pub(crate) const ACCOUNTS: &[ColumnSpec] = &[
    col("external_id").hubspot(&["Record ID", "Company ID"]).salesforce(&["Account ID"]),
    req("name").hubspot(&["Company name", "Name"]).salesforce(&["Account Name"]),
    col("domain").hubspot(&["Company Domain Name", "Website URL"]).salesforce(&["Website"]),
    col("industry").hubspot(&["Industry"]).salesforce(&["Industry"]),
    col("employees").hubspot(&["Number of Employees"]).salesforce(&["Employees"]),
    col("country").hubspot(&["Country/Region", "Country"]).salesforce(&["Billing Country"]),
    col("annual_revenue").hubspot(&["Annual Revenue"]).salesforce(&["Annual Revenue"]),
];

pub(crate) const TOUCHES: &[ColumnSpec] = &[
    col("external_id").hubspot(&["Activity ID", "Event ID"]).salesforce(&["Activity ID", "Task ID"]),
    req("email").hubspot(&["Email", "Contact Email"]).salesforce(&["Email"]),
    req("occurred_at")
        .hubspot(&["Timestamp", "Activity date", "Event date"])
        .salesforce(&["Activity Date", "Date"]),
    req("kind").hubspot(&["Activity type", "Event type", "Type"]).salesforce(&["Type", "Activity Type"]),
    col("channel").hubspot(&["Channel"]).salesforce(&["Channel"]),
    col("campaign").hubspot(&["Campaign", "Campaign name"]).salesforce(&["Campaign Name"]),
    col("content_url").hubspot(&["Content URL", "Asset URL"]).salesforce(&["Content URL"]),
];

pub(crate) const OPPORTUNITIES: &[ColumnSpec] = &[
    req("external_id").hubspot(&["Record ID", "Deal ID"]).salesforce(&["Opportunity ID"]),
    req("name").hubspot(&["Deal Name"]).salesforce(&["Opportunity Name"]),
    col("account_domain")
        .hubspot(&["Company Domain Name", "Associated Company Domain"])
        .salesforce(&["Website"]),
    col("primary_contact_email")
        .hubspot(&["Associated Contact Email", "Contact Email"])
        .salesforce(&["Contact Email", "Primary Contact Email"]),
    col("contact_emails").hubspot(&["Associated Contact Emails"]).salesforce(&["Contact Emails"]),
    col("owner_email").hubspot(&["Deal owner email", "Deal owner"]).salesforce(&[
        "Owner Email",
        "Opportunity Owner Email",
        "Opportunity Owner",
    ]),
    col("amount").hubspot(&["Amount"]).salesforce(&["Amount"]),
    col("currency").hubspot(&["Currency"]).salesforce(&["Opportunity Currency", "Currency"]),
    req("stage").hubspot(&["Deal Stage"]).salesforce(&["Stage"]),
    req("created_at").hubspot(&["Create Date"]).salesforce(&["Created Date"]),
    col("close_date").hubspot(&["Close Date"]).salesforce(&["Close Date"]),
    col("outcome"),
    col("lost_reason").hubspot(&["Closed Lost Reason"]).salesforce(&["Loss Reason", "Closed Lost Reason"]),
];

pub(crate) const CAMPAIGNS: &[ColumnSpec] = &[
    col("external_id").hubspot(&["Campaign ID"]).salesforce(&["Campaign ID"]),
    req("name").hubspot(&["Campaign name", "Name"]).salesforce(&["Campaign Name"]),
    col("channel").hubspot(&["Type"]).salesforce(&["Type"]),
    col("started_on").hubspot(&["Start date"]).salesforce(&["Start Date"]),
    col("budget").hubspot(&["Budget"]).salesforce(&["Budgeted Cost"]),
];

pub(crate) const CONTENT: &[ColumnSpec] = &[
    col("external_id").hubspot(&["ID"]).salesforce(&["ID"]),
    req("title").hubspot(&["Title", "Name"]).salesforce(&["Title"]),
    req("url").hubspot(&["URL", "Page URL"]).salesforce(&["URL"]),
    col("content_type").hubspot(&["Content type", "Type"]).salesforce(&["Type"]),
    col("funnel_stage").hubspot(&["Funnel stage"]).salesforce(&["Funnel Stage"]),
];

/// The canonical columns of `kind`, in export order.
pub(crate) fn columns(kind: ImportKind) -> &'static [ColumnSpec] {
    match kind {
        ImportKind::People => PEOPLE,
        ImportKind::Accounts => ACCOUNTS,
        ImportKind::Touches => TOUCHES,
        ImportKind::Opportunities => OPPORTUNITIES,
        ImportKind::Campaigns => CAMPAIGNS,
        ImportKind::Content => CONTENT,
    }
}

/// The key headers are compared by: lower case, without spaces, `_` or `-`.
pub(crate) fn header_key(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_keys_ignore_case_spaces_and_separators() {
        assert_eq!(header_key(" First  Name "), "firstname");
        assert_eq!(header_key("first_name"), "firstname");
        assert_eq!(header_key("E-mail"), "email");
        assert_eq!(header_key("Country/Region"), "country/region");
    }

    #[test]
    fn no_two_columns_of_a_kind_share_a_canonical_key() {
        for kind in ImportKind::ALL {
            let mut keys: Vec<String> = columns(kind).iter().map(|c| header_key(c.name)).collect();
            let before = keys.len();
            keys.sort();
            keys.dedup();
            assert_eq!(keys.len(), before, "{kind:?}");
        }
    }
}

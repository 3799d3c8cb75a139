//! JSON Schemas of the API's bodies, for the OpenAPI document. They describe what serde writes
//! for the domain, store and report types; the integration tests validate real responses
//! against them (and fail on undocumented properties), so they cannot drift unnoticed.

use serde_json::{json, Map, Value};

use crate::error::{ErrorCode, ErrorType};

pub(crate) fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

pub(crate) fn nullable(schema: Value) -> Value {
    match schema {
        Value::Object(mut object) if object.get("type").is_some_and(Value::is_string) => {
            let kind = object.remove("type").unwrap_or_default();
            object.insert("type".into(), json!([kind, "null"]));
            // An enum lists every allowed value, so `null` must join it.
            if let Some(Value::Array(values)) = object.get_mut("enum") {
                values.push(Value::Null);
            }
            Value::Object(object)
        }
        other => json!({ "oneOf": [other, { "type": "null" }] }),
    }
}

pub(crate) fn array(items: Value) -> Value {
    json!({ "type": "array", "items": items })
}

pub(crate) fn string() -> Value {
    json!({ "type": "string" })
}

pub(crate) fn integer() -> Value {
    json!({ "type": "integer" })
}

pub(crate) fn number() -> Value {
    json!({ "type": "number" })
}

pub(crate) fn boolean() -> Value {
    json!({ "type": "boolean" })
}

pub(crate) fn time() -> Value {
    json!({ "type": "string", "format": "date-time" })
}

fn email() -> Value {
    json!({ "type": "string", "format": "email" })
}

pub(crate) fn one_of(values: &[&str]) -> Value {
    json!({ "type": "string", "enum": values })
}

/// An object whose every property is required (serde writes `null` for a missing value).
pub(crate) fn object(properties: &[(&str, Value)]) -> Value {
    let required: Vec<&str> = properties.iter().map(|(name, _)| *name).collect();
    let properties: Map<String, Value> =
        properties.iter().map(|(name, schema)| ((*name).to_owned(), schema.clone())).collect();
    json!({ "type": "object", "properties": properties, "required": required })
}

/// A request body: only `required` must be present, and unknown fields are refused.
pub(crate) fn request(properties: &[(&str, Value)], required: &[&str]) -> Value {
    let properties: Map<String, Value> =
        properties.iter().map(|(name, schema)| ((*name).to_owned(), schema.clone())).collect();
    json!({ "type": "object", "properties": properties, "required": required, "additionalProperties": false })
}

const STAGES: &[&str] =
    &["subscriber", "lead", "mql", "sal", "sql", "opportunity", "customer", "rejected", "recycled", "lost"];
const TOUCH_KINDS: &[&str] = &[
    "web_visit",
    "form_fill",
    "content_download",
    "email_open",
    "email_click",
    "webinar",
    "ad_click",
    "event",
    "intent_signal",
    "sales_activity",
];
const ROLES: &[&str] = &["admin", "marketing", "sales_manager", "sales_rep"];

/// `components.schemas`.
pub fn schemas() -> Value {
    let mut schemas = Map::new();
    let mut add = |name: &str, schema: Value| {
        schemas.insert(name.to_owned(), schema);
    };
    let codes: Vec<&str> = ErrorCode::ALL.iter().map(|code| code.code()).collect();
    let types = [ErrorType::InvalidRequest, ErrorType::Auth, ErrorType::Internal].map(ErrorType::as_str);
    add(
        "Error",
        json!({
            "type": "object",
            "description": "Every error: a message for people, a stable code for programs, and who has to act.",
            "properties": {
                "message": string(),
                "code": { "type": "string", "enum": codes },
                "type": { "type": "string", "enum": types },
                "field": { "type": "string", "description": "The input at fault, for validation errors." },
                "details": { "description": "More to show, e.g. a rolled-back import's summary." }
            },
            "required": ["message", "code", "type"]
        }),
    );
    add(
        "Health",
        object(&[
            ("status", one_of(&["ok"])),
            ("backend", one_of(&["sqlite", "postgres"])),
            ("version", string()),
        ]),
    );
    add("Stage", one_of(STAGES));
    add(
        "User",
        object(&[
            ("id", integer()),
            ("email", email()),
            ("name", string()),
            ("team", nullable(string())),
            ("role", one_of(ROLES)),
        ]),
    );
    add("UserList", array(reference("User")));
    add(
        "NewUser",
        request(
            &[("email", email()), ("role", one_of(ROLES)), ("name", string()), ("team", string())],
            &["email", "role"],
        ),
    );
    add("Reason", request(&[("code", string()), ("label", string())], &["code", "label"]));
    add("ReasonList", array(reference("Reason")));
    add(
        "Account",
        object(&[
            ("id", integer()),
            ("external_id", nullable(string())),
            ("name", string()),
            ("domain", nullable(string())),
            ("industry", nullable(string())),
            ("employees", nullable(integer())),
            ("country", nullable(string())),
            ("annual_revenue", nullable(number())),
        ]),
    );
    let stage_at =
        json!({ "type": "array", "prefixItems": [reference("Stage"), time()], "minItems": 2, "maxItems": 2 });
    add(
        "Person",
        object(&[
            ("id", integer()),
            ("account_id", nullable(integer())),
            ("owner_id", nullable(integer())),
            ("campaign_id", nullable(integer())),
            ("external_id", nullable(string())),
            ("email", email()),
            ("first_name", nullable(string())),
            ("last_name", nullable(string())),
            ("title", nullable(string())),
            ("account_domain", nullable(string())),
            ("owner_email", nullable(email())),
            ("source", nullable(string())),
            ("campaign", nullable(string())),
            ("country", nullable(string())),
            ("created_at", time()),
            ("stage_history", array(stage_at)),
            ("stage", nullable(reference("Stage"))),
            ("stage_since", nullable(time())),
            ("account", nullable(reference("Account"))),
            ("current_owner_email", nullable(email())),
        ]),
    );
    add("PersonList", array(reference("Person")));
    add(
        "Actor",
        json!({ "oneOf": [
            object(&[("type", one_of(&["user"])), ("id", integer())]),
            object(&[("type", one_of(&["system"]))]),
        ]}),
    );
    add(
        "StageEvent",
        object(&[
            ("id", integer()),
            ("person_id", integer()),
            ("from", nullable(reference("Stage"))),
            ("to", reference("Stage")),
            ("at", time()),
            ("actor", reference("Actor")),
            ("source", one_of(&["cli", "api", "web", "import", "rule", "demo"])),
            ("reason", nullable(string())),
            ("note", nullable(string())),
            ("owner", nullable(integer())),
            ("forced", boolean()),
        ]),
    );
    add(
        "Touch",
        object(&[
            ("id", integer()),
            ("external_id", nullable(string())),
            ("person_id", integer()),
            ("email", string()),
            ("occurred_at", time()),
            ("kind", one_of(TOUCH_KINDS)),
            ("channel", nullable(string())),
            ("campaign_id", nullable(integer())),
            ("campaign", nullable(string())),
            ("content_id", nullable(integer())),
            ("content_url", nullable(string())),
            ("attributes", json!({ "type": "object", "additionalProperties": string() })),
        ]),
    );
    add(
        "LeadDetails",
        object(&[
            ("person", reference("Person")),
            ("history", array(reference("StageEvent"))),
            ("touches", array(reference("Touch"))),
        ]),
    );
    let note = nullable(string());
    add(
        "HandoffRequest",
        request(&[("owner", email()), ("note", note.clone()), ("force", boolean())], &["owner"]),
    );
    add("ChangeRequest", request(&[("note", note.clone()), ("force", boolean())], &[]));
    add(
        "RejectRequest",
        request(&[("reason", nullable(string())), ("note", note), ("force", boolean())], &[]),
    );
    add(
        "RowError",
        object(&[
            ("line", integer()),
            ("column", nullable(string())),
            ("field", string()),
            ("message", string()),
        ]),
    );
    add(
        "ImportSummary",
        object(&[
            ("kind", one_of(&["people", "accounts", "touches", "opportunities", "campaigns", "content"])),
            ("rows", integer()),
            ("inserted", integer()),
            ("updated", integer()),
            ("unchanged", integer()),
            ("failed", integer()),
            ("errors", array(reference("RowError"))),
            ("rolled_back", boolean()),
        ]),
    );
    for (name, schema) in call_schemas() {
        add(name, schema);
    }
    for (name, schema) in crate::schemas_reports::schemas() {
        add(name, schema);
    }
    for (name, schema) in crate::schemas_scoring::schemas() {
        add(name, schema);
    }
    for (name, schema) in crate::schemas_search::schemas() {
        add(name, schema);
    }
    for (name, schema) in crate::schemas_team::schemas() {
        add(name, schema);
    }
    Value::Object(schemas)
}

/// Calls, their transcripts and their jobs.
fn call_schemas() -> Vec<(&'static str, Value)> {
    let speaker_role = one_of(&["rep", "customer", "unknown"]);
    let call = vec![
        ("id", integer()),
        ("person_id", nullable(integer())),
        ("account_id", nullable(integer())),
        ("opportunity_id", nullable(integer())),
        ("rep_id", nullable(integer())),
        ("external_id", nullable(string())),
        ("title", string()),
        ("started_at", time()),
        ("duration_ms", nullable(integer())),
        ("source", one_of(&["audio", "transcript"])),
        ("participants", array(reference("Participant"))),
        ("person_email", nullable(email())),
        ("account_domain", nullable(string())),
        ("opportunity_external_id", nullable(string())),
        ("rep_email", nullable(email())),
        ("audio_key", nullable(string())),
        ("audio_content_type", nullable(string())),
        ("status", one_of(&["queued", "transcribing", "ready", "failed"])),
        ("failure", nullable(string())),
        ("created_at", time()),
    ];
    let mut details = call.clone();
    details.extend([("utterances", array(reference("Utterance"))), ("job", nullable(reference("Job")))]);
    let progress = json!({ "type": "number", "minimum": 0, "maximum": 1,
        "description": "Share of the work done, 0 to 1, as the worker last reported it." });
    vec![
        (
            "Participant",
            object(&[("name", string()), ("email", nullable(email())), ("role", speaker_role.clone())]),
        ),
        ("Call", object(&call)),
        ("CallList", array(reference("Call"))),
        (
            "Word",
            object(&[
                ("text", string()),
                ("start_ms", integer()),
                ("end_ms", integer()),
                ("confidence", nullable(number())),
            ]),
        ),
        (
            "Utterance",
            object(&[
                ("index", integer()),
                ("speaker", nullable(string())),
                ("role", speaker_role),
                ("channel", nullable(integer())),
                ("start_ms", integer()),
                ("end_ms", integer()),
                ("text", string()),
                ("words", array(reference("Word"))),
            ]),
        ),
        (
            "Job",
            object(&[
                ("id", integer()),
                ("kind", string()),
                ("payload_json", string()),
                ("call_id", nullable(integer())),
                ("status", one_of(&["queued", "running", "succeeded", "failed"])),
                ("attempts", integer()),
                ("max_attempts", integer()),
                ("progress", progress),
                ("run_after", time()),
                ("worker_id", nullable(string())),
                ("lease_expires_at", nullable(time())),
                ("last_error", nullable(string())),
                ("created_at", time()),
                ("updated_at", time()),
                ("started_at", nullable(time())),
                ("finished_at", nullable(time())),
            ]),
        ),
        ("JobList", array(reference("Job"))),
        ("CallDetails", object(&details)),
        (
            "AddedCall",
            object(&[
                ("call", reference("Call")),
                ("job", nullable(reference("Job"))),
                ("utterances", integer()),
                ("unmatched_reps", array(string())),
            ]),
        ),
    ]
}

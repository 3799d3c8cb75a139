//! The OpenAPI 3.1 document, generated from the route table, the error table and the schemas.
//! `crates/rapport-server/openapi.json` is this document, committed; a test keeps it current.

use std::collections::BTreeMap;

use rapport_app::permissions::roles_for;
use serde_json::{json, Map, Value};

use crate::error::ErrorCode;
use crate::routes::{endpoints, Access, Endpoint, ParamIn, ParamKind};

/// The whole document.
pub fn document() -> Value {
    let schemas = crate::schemas::schemas();
    let mut paths: BTreeMap<&str, Map<String, Value>> = BTreeMap::new();
    for endpoint in endpoints() {
        let operation = operation(endpoint, &schemas);
        paths.entry(endpoint.path).or_default().insert(endpoint.method.as_str().to_owned(), operation);
    }
    let mut tags: Vec<&str> = endpoints().map(|endpoint| endpoint.tag).collect();
    tags.dedup();
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Rapport API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": description(),
            "license": { "name": "AGPL-3.0-only", "identifier": "AGPL-3.0-only" }
        },
        "tags": tags.iter().map(|tag| json!({ "name": tag })).collect::<Vec<_>>(),
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token from `rapport tokens create --user EMAIL` (`rpt_` and 64 hex digits)."
                }
            },
            "schemas": schemas
        }
    })
}

fn description() -> String {
    let mut text = String::from(
        "Rapport's JSON API. Authenticate with `Authorization: Bearer rpt_…`. Every error is \
         `{\"message\", \"code\", \"type\"}` (plus `field` when one input is at fault):\n\n\
         | code | type | status | meaning |\n|---|---|---|---|\n",
    );
    for code in ErrorCode::ALL {
        text.push_str(&format!(
            "| `{}` | `{}` | {} | {} |\n",
            code.code(),
            code.error_type().as_str(),
            code.status().as_u16(),
            code.description()
        ));
    }
    text
}

fn operation(endpoint: &Endpoint, schemas: &Value) -> Value {
    let mut operation = json!({
        "operationId": endpoint.operation_id,
        "tags": [endpoint.tag],
        "summary": endpoint.summary,
        "description": format!("{}\n\n{}", endpoint.description, access_text(endpoint.access)),
        "security": match endpoint.access {
            Access::Public => json!([]),
            _ => json!([{ "bearer": [] }]),
        },
        "responses": responses(endpoint),
    });
    if !endpoint.params.is_empty() {
        operation["parameters"] = endpoint.params.iter().map(parameter).collect();
    }
    if let Access::Allowed(action) = endpoint.access {
        operation["x-permission"] = json!(action.as_str());
    }
    if let Some(body) = endpoint.body {
        // A body whose fields are all optional may be left out (`ApiJsonOrEmpty`).
        let required = body.schema.is_none_or(|name| {
            schemas[name]["required"].as_array().is_none_or(|required| !required.is_empty())
        });
        operation["requestBody"] = json!({
            "required": required,
            "description": body.description,
            "content": { body.media_type: media(body.schema) },
        });
    }
    operation
}

fn access_text(access: Access) -> String {
    match access {
        Access::Public => "Public: no token needed.".to_owned(),
        Access::Authenticated => "Any user with a valid token.".to_owned(),
        Access::Allowed(action) => {
            let roles: Vec<String> =
                roles_for(action).iter().map(|role| format!("`{}`", role.as_str())).collect();
            format!("Permission `{}`: roles {}.", action.as_str(), roles.join(", "))
        }
    }
}

fn media(schema: Option<&str>) -> Value {
    match schema {
        Some(name) => json!({ "schema": { "$ref": format!("#/components/schemas/{name}") } }),
        None => json!({ "schema": { "type": "string" } }),
    }
}

fn parameter(param: &crate::routes::Param) -> Value {
    let schema = match param.kind {
        ParamKind::Text => json!({ "type": "string" }),
        ParamKind::Email => json!({ "type": "string", "format": "email" }),
        ParamKind::Date => json!({ "type": "string", "examples": ["2025-01-31", "2025-01-31T12:00:00Z"] }),
        ParamKind::Integer => json!({ "type": "integer", "minimum": 0 }),
        ParamKind::Boolean => json!({ "type": "boolean" }),
        ParamKind::OneOf(values) => json!({ "type": "string", "enum": values }),
    };
    let location = match param.location {
        ParamIn::Path => "path",
        ParamIn::Query => "query",
    };
    json!({
        "name": param.name,
        "in": location,
        "required": param.required,
        "description": param.description,
        "schema": schema,
    })
}

/// Every error an endpoint can answer with: its own, and those its shape implies.
pub fn error_codes(endpoint: &Endpoint) -> Vec<ErrorCode> {
    let mut codes = Vec::new();
    if endpoint.access != Access::Public {
        codes.extend([ErrorCode::MissingToken, ErrorCode::InvalidToken]);
    }
    if matches!(endpoint.access, Access::Allowed(_)) {
        codes.push(ErrorCode::Forbidden);
    }
    if endpoint.params.iter().any(|param| param.location == ParamIn::Path) {
        codes.push(ErrorCode::InvalidPath);
    }
    if endpoint.params.iter().any(|param| param.location == ParamIn::Query) {
        codes.push(ErrorCode::InvalidQuery);
    }
    if endpoint.body.is_some_and(|body| body.media_type == "application/json") {
        codes.extend([ErrorCode::InvalidJson, ErrorCode::UnsupportedMediaType, ErrorCode::PayloadTooLarge]);
    }
    codes.extend_from_slice(endpoint.errors);
    codes.push(ErrorCode::Internal);
    let mut unique = Vec::new();
    for code in codes {
        if !unique.contains(&code) {
            unique.push(code);
        }
    }
    unique
}

fn responses(endpoint: &Endpoint) -> Value {
    let mut responses = Map::new();
    responses.insert(
        endpoint.status.to_string(),
        json!({ "description": endpoint.reply.description, "content": { endpoint.reply.media_type: media(endpoint.reply.schema) } }),
    );
    let mut by_status: BTreeMap<u16, Vec<ErrorCode>> = BTreeMap::new();
    for code in error_codes(endpoint) {
        by_status.entry(code.status().as_u16()).or_default().push(code);
    }
    for (status, codes) in by_status {
        let text: Vec<String> =
            codes.iter().map(|code| format!("`{}`: {}", code.code(), code.description())).collect();
        responses.insert(
            status.to_string(),
            json!({ "description": text.join("\n\n"), "content": { "application/json": media(Some("Error")) } }),
        );
    }
    Value::Object(responses)
}

//! A small JSON Schema checker for the subset the OpenAPI document uses, stricter than the
//! standard in one way: an object may not hold a property its schema does not describe, so an
//! undocumented field in a response fails the tests.

use std::sync::LazyLock;

use serde_json::Value;

static DOCUMENT: LazyLock<Value> = LazyLock::new(rapport_server::openapi::document);

/// Panics, listing every mismatch, unless `value` follows the component schema `name`.
pub fn check(value: &Value, name: &str) {
    let mut errors = Vec::new();
    validate(value, &component(name), "$", &mut errors);
    assert!(
        errors.is_empty(),
        "the response does not follow schema {name}:\n{}\n\n{value:#}",
        errors.join("\n")
    );
}

fn component(name: &str) -> Value {
    let schema = &DOCUMENT["components"]["schemas"][name];
    assert!(!schema.is_null(), "no schema {name} in the document");
    schema.clone()
}

fn validate(value: &Value, schema: &Value, path: &str, errors: &mut Vec<String>) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.strip_prefix("#/components/schemas/").expect("local reference");
        return validate(value, &component(name), path, errors);
    }
    if let Some(alternatives) = schema["oneOf"].as_array() {
        let matching = alternatives
            .iter()
            .filter(|alternative| {
                let mut inner = Vec::new();
                validate(value, alternative, path, &mut inner);
                inner.is_empty()
            })
            .count();
        if matching != 1 {
            errors.push(format!("{path}: matches {matching} of the oneOf alternatives: {value}"));
        }
        return;
    }
    if let Some(types) = types(schema) {
        if !types.iter().any(|kind| has_type(value, kind)) {
            errors.push(format!("{path}: expected {types:?}, found {value}"));
            return;
        }
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(value) {
            errors.push(format!("{path}: {value} is not one of {allowed:?}"));
        }
    }
    match value {
        Value::Object(object) => {
            let properties = schema["properties"].as_object();
            for required in schema["required"].as_array().into_iter().flatten() {
                let name = required.as_str().unwrap_or_default();
                if !object.contains_key(name) {
                    errors.push(format!("{path}: the required property `{name}` is missing"));
                }
            }
            for (name, field) in object {
                let inner = format!("{path}.{name}");
                match (properties.and_then(|p| p.get(name)), &schema["additionalProperties"]) {
                    (Some(property), _) => validate(field, property, &inner, errors),
                    (None, additional) if additional.is_object() => {
                        validate(field, additional, &inner, errors)
                    }
                    (None, _) if properties.is_some() => errors.push(format!("{inner}: not in the schema")),
                    (None, _) => {}
                }
            }
        }
        Value::Array(items) => {
            let prefix = schema["prefixItems"].as_array();
            for (index, item) in items.iter().enumerate() {
                let inner = format!("{path}[{index}]");
                match prefix.and_then(|p| p.get(index)) {
                    Some(item_schema) => validate(item, item_schema, &inner, errors),
                    None if schema["items"].is_object() => validate(item, &schema["items"], &inner, errors),
                    None => {}
                }
            }
        }
        _ => {}
    }
}

fn types(schema: &Value) -> Option<Vec<String>> {
    match &schema["type"] {
        Value::String(kind) => Some(vec![kind.clone()]),
        Value::Array(kinds) => Some(kinds.iter().filter_map(|k| k.as_str().map(str::to_owned)).collect()),
        _ => None,
    }
}

fn has_type(value: &Value, kind: &str) -> bool {
    match kind {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        other => panic!("unknown JSON Schema type {other}"),
    }
}

#[test]
fn the_checker_catches_wrong_types_missing_and_undocumented_properties() {
    let user = serde_json::json!({"id": 1, "email": "a@b.co", "name": "A", "team": null, "role": "admin"});
    check(&user, "User");
    let mut errors = Vec::new();
    let bad = serde_json::json!({"id": "1", "email": "a@b.co", "team": null, "role": "boss", "extra": 1});
    validate(&bad, &component("User"), "$", &mut errors);
    let text = errors.join("\n");
    for expected in
        ["$.id: expected", "`name` is missing", "\"boss\" is not one of", "$.extra: not in the schema"]
    {
        assert!(text.contains(expected), "{expected} not in:\n{text}");
    }
}

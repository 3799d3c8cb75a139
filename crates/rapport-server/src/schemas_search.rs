//! JSON Schemas of transcript search, trackers and the voice-of-the-customer report (see
//! `rapport_app::search`, `rapport_app::trackers` and `rapport_app::voc` for the meanings).

use serde_json::{json, Value};

use crate::schemas::{array, integer, nullable, number, object, one_of, reference, string, time};

pub(crate) fn schemas() -> Vec<(&'static str, Value)> {
    let share = || vec![("calls", integer()), ("mentioning", integer()), ("share", nullable(number()))];
    let mut group = vec![("group", string())];
    group.extend(share());
    vec![
        ("Highlight", object(&[("start", integer()), ("end", integer())])),
        (
            "SearchHit",
            object(&[
                ("call", integer()),
                ("call_title", string()),
                ("call_started_at", time()),
                ("utterance", integer()),
                ("speaker", nullable(string())),
                ("side", one_of(&["rep", "customer"])),
                ("start_ms", integer()),
                ("snippet", json!({ "type": "string", "description": "Plain text; never markup." })),
                ("highlights", array(reference("Highlight"))),
            ]),
        ),
        ("SearchHitList", array(reference("SearchHit"))),
        (
            "StoredTracker",
            object(&[
                ("name", string()),
                ("kind", one_of(&["keyword", "smart"])),
                (
                    "definition",
                    json!({ "type": "string", "description": "The tracker's definition as JSON text." }),
                ),
                ("version", integer()),
                ("updated_at", time()),
            ]),
        ),
        (
            "TrackerSet",
            object(&[
                ("trackers", array(reference("StoredTracker"))),
                ("set_version", integer()),
                ("seeded", json!({ "type": "boolean" })),
            ]),
        ),
        (
            "TrackerBody",
            json!({
                "type": "object",
                "properties": {
                    "name": string(),
                    "phrases": array(string()),
                    "exclusions": array(string()),
                    "word_forms": { "type": "boolean" },
                    "side": one_of(&["rep", "customer", "anyone"]),
                    "only_questions": { "type": "boolean" },
                    "first_minutes": number(),
                    "last_minutes": number()
                },
                "required": ["phrases"],
                "additionalProperties": false
            }),
        ),
        ("VocShare", object(&share())),
        ("VocGroupShare", object(&group)),
        (
            "VocQuote",
            object(&[
                ("call", integer()),
                ("call_title", string()),
                ("call_started_at", time()),
                ("utterance", integer()),
                ("time_ms", integer()),
                ("speaker", nullable(string())),
                ("text", json!({ "type": "string", "description": "Plain text; never markup." })),
            ]),
        ),
        (
            "VocItem",
            object(&[
                ("tracker", string()),
                ("kind", one_of(&["keyword", "smart", "topic"])),
                ("topic_id", nullable(string())),
                ("overall", reference("VocShare")),
                ("won", reference("VocShare")),
                ("lost", reference("VocShare")),
                ("lift", nullable(number())),
                ("p_value", nullable(number())),
                ("segments", array(reference("VocGroupShare"))),
                ("months", array(reference("VocGroupShare"))),
                ("quotes", array(reference("VocQuote"))),
            ]),
        ),
        (
            "VocReport",
            object(&[
                ("calls", integer()),
                ("won_calls", integer()),
                ("lost_calls", integer()),
                ("by", nullable(one_of(&["industry", "size_band", "source", "campaign"]))),
                ("significance_test", string()),
                ("trackers", array(reference("VocItem"))),
            ]),
        ),
    ]
}

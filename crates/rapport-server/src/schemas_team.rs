//! JSON Schemas of the team report (`rapport_app::team_stats` holds the definitions).

use serde_json::{json, Map, Value};

use crate::schemas::{array, integer, nullable, number, object, one_of, reference, string, time};

pub(crate) fn schemas() -> Vec<(&'static str, Value)> {
    let date = || json!({ "type": "string", "format": "date" });
    let mean = || nullable(number());
    let stats = rapport_app::team_stats::STATS;
    let mut averages = vec![("calls", integer())];
    averages.extend(stats.iter().map(|stat| (stat.key, mean())));
    let change: Map<String, Value> = stats.iter().map(|stat| (stat.key.to_owned(), number())).collect();
    vec![
        ("StatAverages", object(&averages)),
        (
            "PeriodAverages",
            object(&[
                ("period", json!({ "type": "string", "description": "`2024-03` or `2024-W09`." })),
                ("start", date()),
                (
                    "end",
                    json!({ "type": "string", "format": "date", "description": "The first day after the period." }),
                ),
                ("averages", reference("StatAverages")),
            ]),
        ),
        (
            "RepStats",
            object(&[
                ("email", string()),
                ("name", string()),
                ("team", nullable(string())),
                ("averages", reference("StatAverages")),
                ("trend", array(reference("PeriodAverages"))),
                (
                    "change",
                    json!({
                        "type": "object",
                        "description": "Last period's mean minus the first's; a stat is absent with one period or an undefined mean.",
                        "properties": change,
                        "additionalProperties": false
                    }),
                ),
            ]),
        ),
        (
            "TeamReport",
            object(&[
                ("by", one_of(&["month", "week"])),
                ("from", nullable(time())),
                ("to", nullable(time())),
                ("team_name", nullable(string())),
                ("team", reference("StatAverages")),
                ("team_trend", array(reference("PeriodAverages"))),
                ("reps", array(reference("RepStats"))),
            ]),
        ),
    ]
}

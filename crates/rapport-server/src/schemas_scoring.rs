//! JSON Schemas of lead scoring's bodies: definition versions and their backtest, a person's
//! score with reasons, the score report and the target-account list.

use serde_json::{json, Value};

use crate::schemas::{
    array, boolean, integer, nullable, number, object, one_of, reference, request, string, time,
};

/// An object whose members are not pinned down here (figures with their own docs).
fn free_object(description: &str) -> Value {
    json!({ "type": "object", "description": description, "additionalProperties": {} })
}

pub(crate) fn schemas() -> Vec<(&'static str, Value)> {
    let month = object(&[
        ("month", string()),
        ("mqls", integer()),
        ("accepted", integer()),
        ("opportunities", integer()),
        ("won", integer()),
        ("acceptance_rate", nullable(number())),
        ("opportunity_rate", nullable(number())),
        ("win_rate", nullable(number())),
    ]);
    vec![
        (
            "DefinitionApprovalView",
            object(&[
                ("user_id", integer()),
                ("user_email", string()),
                ("side", one_of(&["marketing", "sales"])),
                ("approved_at", time()),
            ]),
        ),
        (
            "DefinitionVersion",
            object(&[
                ("version", integer()),
                ("document", string()),
                ("author_id", nullable(integer())),
                ("author_email", nullable(string())),
                ("comment", nullable(string())),
                ("status", one_of(&["draft", "active", "retired"])),
                ("created_at", time()),
                ("activated_at", nullable(time())),
                ("approvals", array(reference("DefinitionApprovalView"))),
            ]),
        ),
        ("DefinitionVersionList", array(reference("DefinitionVersion"))),
        ("NewDefinition", request(&[("document", string()), ("comment", string())], &["document"])),
        ("DefinitionApproval", request(&[("side", one_of(&["marketing", "sales"]))], &[])),
        ("BacktestMonth", month),
        (
            "DefinitionBacktestReport",
            object(&[("months", array(reference("BacktestMonth"))), ("total", reference("BacktestMonth"))]),
        ),
        (
            "DefinitionBacktest",
            object(&[
                ("draft", reference("DefinitionBacktestReport")),
                ("active", nullable(reference("DefinitionBacktestReport"))),
            ]),
        ),
        (
            "RuleReason",
            object(&[
                ("kind", one_of(&["fit", "engagement", "negative"])),
                ("rule", string()),
                ("points", number()),
                ("touches", integer()),
                ("text", string()),
            ]),
        ),
        (
            "ModelReason",
            object(&[("feature", string()), ("value", string()), ("effect", number()), ("text", string())]),
        ),
        (
            "ScoreDetails",
            object(&[
                ("email", string()),
                ("fit", number()),
                ("engagement", number()),
                ("total", number()),
                ("grade", one_of(&["A", "B", "C", "D"])),
                ("probability", nullable(number())),
                ("qualifies", boolean()),
                ("definition_version", nullable(integer())),
                ("model_version", nullable(integer())),
                ("model_target", nullable(string())),
                (
                    "reasons",
                    object(&[
                        ("rules", array(reference("RuleReason"))),
                        ("model", array(reference("ModelReason"))),
                    ]),
                ),
                ("scored_at", time()),
            ]),
        ),
        (
            "ModelMetrics",
            object(&[
                ("target", one_of(&["accepted", "opportunity", "won"])),
                ("train_rows", integer()),
                ("test_rows", integer()),
                ("test_from", time()),
                ("test_positives", integer()),
                ("base_rate", number()),
                ("auc", number()),
                ("logloss", number()),
                ("lift_at_10", number()),
                ("calibration", array(free_object("lower, upper, count, mean_predicted, observed_rate"))),
                (
                    "deciles",
                    array(free_object("decile, count, positives, positive_rate, lift, cumulative_capture")),
                ),
                (
                    "conversion_by_grade",
                    array(object(&[
                        ("grade", one_of(&["A", "B", "C", "D"])),
                        ("people", integer()),
                        ("converted", integer()),
                        ("rate", nullable(number())),
                    ])),
                ),
                ("rules_auc", number()),
                (
                    "top_features",
                    array(json!({ "type": "array", "description": "[feature, share of split gain]" })),
                ),
                ("score_shares", array(number())),
                ("drift_warnings", array(string())),
            ]),
        ),
        (
            "ScoreReport",
            object(&[
                ("definition_version", nullable(integer())),
                (
                    "model",
                    nullable(object(&[
                        ("version", integer()),
                        ("target", string()),
                        ("rows", integer()),
                        ("trained_at", time()),
                        ("metrics", reference("ModelMetrics")),
                    ])),
                ),
                ("history", array(json!({ "type": "array", "description": "[version, target, AUC]" }))),
                ("scored_people", integer()),
                ("qualified", integer()),
                ("by_grade", json!({ "type": "object", "additionalProperties": integer() })),
                ("warnings", array(string())),
            ]),
        ),
        (
            "TargetAccount",
            object(&[
                ("rank", integer()),
                ("account_id", integer()),
                ("name", string()),
                ("domain", nullable(string())),
                ("industry", nullable(string())),
                ("employees", nullable(integer())),
                ("people", integer()),
                ("qualified", integer()),
                ("fit", number()),
                ("intent", number()),
                ("likelihood", nullable(number())),
                ("score", number()),
                ("best_person", string()),
                ("reasons", array(string())),
            ]),
        ),
        ("TargetAccountList", array(reference("TargetAccount"))),
    ]
}

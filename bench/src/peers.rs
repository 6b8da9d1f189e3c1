//! The same workload for the engines a user would pick instead: Cedar (`cedar-policy` 4, forbid policies over a
//! permit-all) and GoRules ZEN (`zen-engine` 2, a first-hit decision table). Each decides "prohibited" or not.
//!
//! Each peer runs in its fastest documented configuration: Cedar's policy set is parsed once and every request
//! goes to one `Authorizer`; ZEN's decision is built once and `Decision::compile()`d (expressions precompiled,
//! the table indexed) before it is evaluated. `Zen::uncompiled` keeps the configuration of the first round's
//! figures for a labelled second row.

use std::str::FromStr;

use cedar_policy::{
    Authorizer, Context, Decision, Entities, EntityUid, PolicySet, Request, RestrictedExpression,
};
use control_core::Transaction;
use serde_json::json;

use crate::workload::SimpleRule;

/// Cedar, with one `forbid` policy per rule.
pub struct Cedar {
    policies: PolicySet,
    authorizer: Authorizer,
    entities: Entities,
    principal: EntityUid,
    action: EntityUid,
    resource: EntityUid,
}

impl std::fmt::Debug for Cedar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cedar")
            .field("policies", &self.policies.policies().count())
            .finish()
    }
}

impl Cedar {
    /// The policies of `rules`.
    pub fn new(rules: &[SimpleRule]) -> Cedar {
        let mut text = String::from("permit(principal, action, resource);\n");
        for r in rules {
            let countries: Vec<String> = r.countries.iter().map(|c| format!("\"{c}\"")).collect();
            text += &format!(
                "forbid(principal, action, resource) when {{ [{}].contains(context.destination) && context.activity == \"{}\" && (context.item == \"{p}\" || context.item like \"{p}.*\") }};\n",
                countries.join(", "),
                r.activity,
                p = r.prefix
            );
        }
        let uid = |s: &str| EntityUid::from_str(s).unwrap_or_else(|e| panic!("{e}"));
        Cedar {
            policies: PolicySet::from_str(&text).unwrap_or_else(|e| panic!("{e}")),
            authorizer: Authorizer::new(),
            entities: Entities::empty(),
            principal: uid(r#"Exporter::"exporter""#),
            action: uid(r#"Action::"ship""#),
            resource: uid(r#"Item::"item""#),
        }
    }

    /// Whether the transaction is denied.
    pub fn prohibited(&self, t: &Transaction) -> bool {
        let context = Context::from_pairs([
            (
                "destination".to_owned(),
                RestrictedExpression::new_string(t.destination.code().to_owned()),
            ),
            (
                "activity".to_owned(),
                RestrictedExpression::new_string(t.activity.name().to_owned()),
            ),
            (
                "item".to_owned(),
                RestrictedExpression::new_string(t.item_ccl.as_str().to_owned()),
            ),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        let request = Request::new(
            self.principal.clone(),
            self.action.clone(),
            self.resource.clone(),
            context,
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        self.authorizer
            .is_authorized(&request, &self.policies, &self.entities)
            .decision()
            == Decision::Deny
    }
}

/// ZEN, with one decision-table row per rule and a last row for everything else (hit policy "first").
pub struct Zen {
    decision: zen_engine::Decision,
    runtime: tokio::runtime::Runtime,
    prohibited: zen_engine::Variable,
}

impl std::fmt::Debug for Zen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Zen").finish_non_exhaustive()
    }
}

impl Zen {
    /// The decision table of `rules`, compiled (`Decision::compile`): ZEN's fastest documented mode.
    pub fn new(rules: &[SimpleRule]) -> Zen {
        Zen::build(rules, true)
    }

    /// The decision table of `rules`, interpreted from its JSON model on every evaluation (no `compile`).
    pub fn uncompiled(rules: &[SimpleRule]) -> Zen {
        Zen::build(rules, false)
    }

    fn build(rules: &[SimpleRule], compile: bool) -> Zen {
        let mut rows: Vec<serde_json::Value> = rules
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let countries: Vec<String> =
                    r.countries.iter().map(|c| format!("\"{c}\"")).collect();
                json!({
                    "_id": format!("r{i}"),
                    "d": countries.join(", "),
                    "a": format!("\"{}\"", r.activity),
                    "i": format!("$ == \"{p}\" or startsWith($, \"{p}.\")", p = r.prefix),
                    "o": "\"prohibited\"",
                })
            })
            .collect();
        rows.push(
            json!({"_id": "otherwise", "d": "", "a": "", "i": "", "o": "\"not_controlled\""}),
        );
        let table = json!({
            "id": "dt", "name": "controls", "type": "decisionTableNode",
            "content": {
                "hitPolicy": "first",
                "inputs": [
                    {"id": "d", "name": "Destination", "field": "destination"},
                    {"id": "a", "name": "Activity", "field": "activity"},
                    {"id": "i", "name": "Item", "field": "item"}
                ],
                "outputs": [{"id": "o", "name": "Outcome", "field": "outcome"}],
                "rules": rows,
                "passThrough": false
            }
        });
        let graph: zen_engine::model::DecisionContent = serde_json::from_value(json!({
            "nodes": [
                {"id": "in", "name": "request", "type": "inputNode", "content": {}},
                table,
                {"id": "out", "name": "response", "type": "outputNode", "content": {}}
            ],
            "edges": [
                {"id": "e1", "sourceId": "in", "targetId": "dt"},
                {"id": "e2", "sourceId": "dt", "targetId": "out"}
            ]
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        let engine = zen_engine::DecisionEngine::default();
        let mut decision = engine
            .create_decision(std::sync::Arc::new(graph))
            .unwrap_or_else(|e| panic!("{e:?}"));
        if compile {
            decision.compile();
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        Zen {
            decision,
            runtime,
            prohibited: json!({"outcome": "prohibited"}).into(),
        }
    }

    /// Whether the table says "prohibited".
    pub fn prohibited(&self, t: &Transaction) -> bool {
        let input = json!({"destination": t.destination.code(), "activity": t.activity.name(), "item": t.item_ccl.as_str()});
        let result = self
            .runtime
            .block_on(self.decision.evaluate(input.into()))
            .unwrap_or_else(|e| panic!("{e:?}"));
        result.result == self.prohibited
    }
}

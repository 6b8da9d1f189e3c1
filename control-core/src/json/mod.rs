//! Rule sets as JSON: the document format, loading with errors that carry the JSON path, and writing back.
//!
//! Loading has two phases. Serde reads the document's shape (unknown keys, wrong JSON types) and stops at the
//! first problem, with its path, line and column. Then every condition and value is checked against the schema,
//! and the rule set's structure (names, overrides, periods) is checked; those errors are all collected.
//!
//! ```
//! let json = r#"{
//!   "name": "nl_servicing", "regime": "NL", "schema": "Transaction",
//!   "otherwise": "not_controlled",
//!   "rules": [{
//!     "name": "servicing_lithography_cn",
//!     "from": "2023-09-01",
//!     "when": {"all": [{"field": "activity", "eq": "servicing"},
//!                      {"field": "item", "under": "3B001.f"},
//!                      {"field": "destination", "in": ["CN"]}]},
//!     "then": {"licence_required": "presumption_of_approval"}
//!   }]
//! }"#;
//! let rs = control_core::json::load_rule_set(json).unwrap(); // parsed, checked and analysed
//! assert_eq!(rs.rules().len(), 1);
//! let back = control_core::json::to_json(&rs);
//! assert_eq!(control_core::json::load_rule_set(&back).unwrap(), rs);
//! ```

mod doc;
mod error;
mod surface;

pub use doc::{ConditionDoc, RuleDoc, RuleSetDoc, TreatmentDoc, schema_to_json, to_doc, to_json};
pub use error::{Finding, LoadError, LoadErrorKind, LoadErrors, ShapeError};
use surface::{path_key, surface_condition, surface_outcome, surface_rule, surface_value};

use crate::analysis::{Analysed, Rejected, accept};
use crate::ir::RuleSet;
use crate::lower::{Located, SurfaceGroup, SurfaceRuleSet, lower};
use crate::schema::{Schema, json_kind};

/// The version of the rule-set document format this library reads and writes.
pub const FORMAT_VERSION: u32 = 1;
/// Reads a rule set from JSON text, checks its structure, and analyses it: a rule set with a contradiction, a
/// dead rule not marked `allow_dead`, or a gap (when declared complete) is rejected with every finding.
pub fn load_rule_set(text: &str) -> Result<Analysed, LoadErrors> {
    check_analysis(parse_rule_set(text)?)
}

/// Fixes in the words of the JSON document format.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonSyntax;

impl crate::analysis::Syntax for JsonSyntax {
    fn overrides(&self, rule: &str) -> String {
        format!("\"overrides\": [\"{rule}\"]")
    }
    fn allow_dead(&self) -> String {
        "\"allow_dead\": true".into()
    }
    fn complete(&self) -> String {
        "\"complete\": true".into()
    }
    fn otherwise(&self) -> String {
        "\"otherwise\"".into()
    }
    fn cumulative(&self) -> String {
        "\"cumulative\": true".into()
    }
}

/// Runs the analysis on a rule set and turns every finding that rejects it into a [`LoadError`] at the
/// offending rule's JSON path.
pub fn check_analysis(rs: RuleSet) -> Result<Analysed, LoadErrors> {
    let report = match accept(rs) {
        Ok(accepted) => return Ok(accepted),
        Err(Rejected::Findings { report, .. }) => report,
        Err(Rejected::Incomplete(e)) => {
            return Err(LoadErrors(vec![LoadError {
                path: "rules".into(),
                kind: LoadErrorKind::Analysis(e),
            }]));
        }
    };
    let mut errors = Vec::new();
    for c in &report.contradictions {
        errors.push(LoadError {
            path: format!("rules[{}]", c.second),
            kind: LoadErrorKind::Finding(Finding::Contradiction(Box::new(c.clone()))),
        });
    }
    for d in report.dead_rules.iter().filter(|d| !d.allowed) {
        errors.push(LoadError {
            path: format!("rules[{}]", d.rule),
            kind: LoadErrorKind::Finding(Finding::DeadRule(Box::new(d.clone()))),
        });
    }
    for g in &report.gaps {
        errors.push(LoadError {
            path: "complete".into(),
            kind: LoadErrorKind::Finding(Finding::Gap(Box::new(g.clone()))),
        });
    }
    Err(LoadErrors(errors))
}

/// Reads a rule set from JSON text and checks its structure, without the analysis.
pub fn parse_rule_set(text: &str) -> Result<RuleSet, LoadErrors> {
    // Serde reads a struct from an array too (field by field), which gives a baffling message; a rule book
    // is an object.
    let start = text.len() - text.trim_start().len();
    if !text[start..].starts_with('{')
        && let Ok(value) = serde_json::from_str::<serde_json::Value>(text)
    {
        let before = &text[..start];
        return Err(LoadErrors(vec![LoadError {
            path: "$".into(),
            kind: LoadErrorKind::Syntax {
                message: format!(
                    "expected a rule book, a JSON object with `name`, `regime`, `schema` and `rules`; found {}",
                    json_kind(&value)
                ),
                line: before.matches('\n').count() + 1,
                column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
            },
        }]));
    }
    let de = &mut serde_json::Deserializer::from_str(text);
    let doc: RuleSetDoc = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let kind = LoadErrorKind::Syntax {
            message: strip_position(&inner.to_string()),
            line: inner.line(),
            column: inner.column(),
        };
        LoadErrors(vec![LoadError {
            path: if path == "." { "$".into() } else { path },
            kind,
        }])
    })?;
    from_doc(doc)
}

/// Serde appends " at line L column C"; the error carries those as fields.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Checks a parsed document and builds the rule set.
pub fn from_doc(doc: RuleSetDoc) -> Result<RuleSet, LoadErrors> {
    let mut errors = Vec::new();
    if let Some(v) = doc.format.filter(|v| *v != FORMAT_VERSION) {
        return Err(LoadErrors(vec![LoadError {
            path: "format".into(),
            kind: LoadErrorKind::Format(v),
        }]));
    }
    let schema = match &doc.schema {
        serde_json::Value::String(s) if s == "Transaction" => Schema::transaction().clone(),
        obj @ serde_json::Value::Object(_) => match serde_json::from_value::<Schema>(obj.clone()) {
            Ok(s) => s,
            Err(e) => {
                errors.push(LoadError {
                    path: "schema".into(),
                    kind: LoadErrorKind::Schema(e.to_string()),
                });
                return Err(LoadErrors(errors));
            }
        },
        serde_json::Value::String(name) => {
            return Err(LoadErrors(vec![LoadError {
                path: "schema".into(),
                kind: LoadErrorKind::UnknownSchema {
                    schema: name.clone(),
                    suggestion: crate::suggest::suggest(name, ["Transaction"]).map(str::to_owned),
                },
            }]));
        }
        other => {
            let msg = format!(
                "expected \"Transaction\" or a schema object, found {}",
                json_kind(other)
            );
            return Err(LoadErrors(vec![LoadError {
                path: "schema".into(),
                kind: LoadErrorKind::Schema(msg),
            }]));
        }
    };
    let mut shapes = Vec::new();
    let at = |value: &str, path: String| Located::new(value.to_owned(), path);
    let surface = SurfaceRuleSet {
        // The rule set's own mistakes (no `otherwise`, …) are the document's.
        name: at(&doc.name, "$".into()),
        regime: Some(doc.regime.clone()),
        doc: doc.doc.clone(),
        schema,
        schema_at: "schema".into(),
        applies_when: doc
            .applies_when
            .as_ref()
            .map(|c| surface_condition(c, "applies_when", &mut shapes)),
        groups: doc
            .groups
            .iter()
            .map(|(name, members)| {
                let path = format!("groups.{name}");
                let members = members
                    .iter()
                    .enumerate()
                    .map(|(i, m)| Located::new(surface_value(m), format!("{path}[{i}]")))
                    .collect();
                SurfaceGroup {
                    name: at(name, path),
                    members,
                }
            })
            .collect(),
        parties: doc.parties.clone(),
        list: doc
            .list
            .as_ref()
            .map(|l| Located::new(l.clone(), "list".to_owned())),
        treatments: doc
            .treat
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let path = format!("treat[{i}]");
                crate::lower::SurfaceTreatment {
                    territory: Located::new(
                        surface_value(&t.territory),
                        format!("{path}.territory"),
                    ),
                    as_country: Located::new(surface_value(&t.as_country), format!("{path}.as")),
                    from: Located::new(surface_value(&t.from), format!("{path}.from")),
                    citation: t.citation.clone(),
                }
            })
            .collect(),
        otherwise: doc
            .otherwise
            .as_ref()
            .and_then(|o| surface_outcome(o, "otherwise", &mut shapes)),
        complete: doc.complete.then(|| "complete".to_owned()),
        cumulative: doc.cumulative,
        rules: doc
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| surface_rule(i, r, &mut shapes))
            .collect(),
    };
    // A shape error already stands for its condition; lowering what is left finds the other mistakes.
    let lowered = lower(&surface);
    let mut errors: Vec<LoadError> = shapes
        .into_iter()
        .map(|(path, e)| LoadError {
            path,
            kind: LoadErrorKind::Shape(e),
        })
        .collect();
    match lowered {
        Ok(rs) if errors.is_empty() => Ok(rs),
        Ok(_) => Err(LoadErrors(errors)),
        Err(lowering) => {
            errors.extend(lowering.into_iter().map(|e| LoadError {
                path: e.at,
                kind: LoadErrorKind::Lower(e.kind),
            }));
            // In document order: `rules[2]` before `rules[10]`, the document's own errors first.
            errors.sort_by_cached_key(|e| path_key(&e.path));
            Err(LoadErrors(errors))
        }
    }
}

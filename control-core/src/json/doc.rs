//! The document format: rule sets, rules and conditions as written in JSON, and the way back from IR.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ir::{CmpOp, Condition, Fallback, Outcome, RuleSet, Status, Test};
use crate::json::FORMAT_VERSION;
use crate::schema::{Schema, Value};
use crate::vocab::party::Party;

/// A rule set document, as written.
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSetDoc {
    /// The version of this document format, [`FORMAT_VERSION`]; a document without it is read as version 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<u32>,
    /// The rule set's name.
    pub name: String,
    /// The regime.
    pub regime: String,
    /// What it is.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc: String,
    /// `"Transaction"` for the built-in schema, or a schema object.
    #[cfg_attr(
        feature = "schemars",
        schemars(with = "crate::json_schema::SchemaChoice")
    )]
    pub schema: serde_json::Value,
    /// The cases within the regime's jurisdiction (default: all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_when: Option<ConditionDoc>,
    /// Country groups defined here, by name: lists of ISO codes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(
        feature = "schemars",
        schemars(with = "BTreeMap<String, Vec<crate::Country>>")
    )]
    pub groups: BTreeMap<String, Vec<serde_json::Value>>,
    /// Parties named in rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<Party>,
    /// The control list `item` means in conditions (`CCL`, `EU`, `WA`, `NL`, `JP`, `KR`); default: the
    /// regime's (`US` reads the CCL, `NL` the Dutch annex, …). Other lists are read by their fields
    /// (`item.eu`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
    /// Territories the regime treats as other countries from a date:
    /// `[{"territory": "HK", "as": "CN", "from": "2020-12-23", "citation": "85 FR 83765"}]`. Every country test
    /// of the rule set reads the territory as the country on and after the date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub treat: Vec<TreatmentDoc>,
    /// The outcome for cases no rule decides: `"not_controlled"`, `{"licence_required": "case_by_case"}`, ….
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schemars", schemars(with = "Option<crate::Outcome>"))]
    pub otherwise: Option<serde_json::Value>,
    /// Declares that every case is decided by some rule.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub complete: bool,
    /// Makes every rule cumulative unless it says `"cumulative": false`: requirements that stack, where the
    /// most restrictive outcome applies.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cumulative: bool,
    /// The rules.
    pub rules: Vec<RuleDoc>,
}

/// A territory treated as another country from a date, as written.
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreatmentDoc {
    /// The territory, an ISO code (`HK`).
    #[cfg_attr(feature = "schemars", schemars(with = "crate::Country"))]
    pub territory: serde_json::Value,
    /// The country it is read as (`CN`).
    #[serde(rename = "as")]
    #[cfg_attr(feature = "schemars", schemars(with = "crate::Country"))]
    pub as_country: serde_json::Value,
    /// The first day, `YYYY-MM-DD`.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::json_schema::DateText"))]
    pub from: serde_json::Value,
    /// The legal text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
}

/// A rule, as written.
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDoc {
    /// The name.
    pub name: String,
    /// What it is for.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc: String,
    /// The legal text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    /// First day in effect, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schemars",
        schemars(with = "Option<crate::json_schema::DateText>")
    )]
    pub from: Option<serde_json::Value>,
    /// First day no longer in effect, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schemars",
        schemars(with = "Option<crate::json_schema::DateText>")
    )]
    pub until: Option<serde_json::Value>,
    /// `in_force` (default) or `proposed`.
    #[serde(default, skip_serializing_if = "is_in_force")]
    pub status: Status,
    /// Rules this one is an exception to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
    /// Kept on purpose even if it can never decide.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_dead: bool,
    /// A requirement that stacks with other cumulative ones (the most restrictive outcome applies where they
    /// disagree), or, `false`, one that does not, under a cumulative rule set (default: the rule set's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cumulative: Option<bool>,
    /// When it applies (required; a rule without it is reported by the lowering, like in `rules!`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<ConditionDoc>,
    /// What it decides: `"prohibited"`, `{"licence_required": "presumption_of_denial"}`, … (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schemars", schemars(with = "Option<crate::Outcome>"))]
    pub then: Option<serde_json::Value>,
}

fn is_in_force(s: &Status) -> bool {
    *s == Status::InForce
}

/// A condition, as written: exactly one of `all`, `any`, `not`, `always`, or a `field` with one or more
/// operators (several operators on one field all must hold: `{"field": "date", "ge": …, "lt": …}`).
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ConditionDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<Vec<ConditionDoc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<Vec<ConditionDoc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<ConditionDoc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub always: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eq: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ne: Option<serde_json::Value>,
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    pub in_: Option<Vec<serde_json::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_in: Option<Vec<serde_json::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub under: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lt: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub le: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gt: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ge: Option<serde_json::Value>,
}

/// The document of a rule set; loading it gives the rule set back.
pub fn to_doc(rs: &RuleSet) -> RuleSetDoc {
    let schema = rs.schema();
    let schema_json = if schema == Schema::transaction() {
        serde_json::Value::String("Transaction".into())
    } else {
        serde_json::to_value(schema).unwrap_or(serde_json::Value::Null)
    };
    RuleSetDoc {
        format: Some(FORMAT_VERSION),
        name: rs.name().to_owned(),
        regime: rs.regime().to_owned(),
        doc: rs.doc().to_owned(),
        schema: schema_json,
        applies_when: (*rs.applies_when() != Condition::Always)
            .then(|| condition_doc(schema, rs.applies_when())),
        groups: rs
            .groups()
            .iter()
            .map(|g| {
                let members = g.members.iter().map(|c| c.code().into()).collect();
                (g.name.clone(), members)
            })
            .collect(),
        parties: rs.parties().to_vec(),
        // Conditions name the list's field (`item.ccl`), so the document needs no default list.
        list: None,
        treat: rs
            .treatments()
            .iter()
            .map(|t| TreatmentDoc {
                territory: t.territory.code().into(),
                as_country: t.as_country.code().into(),
                from: t.from.to_string().into(),
                citation: (!t.citation.is_empty()).then(|| t.citation.clone()),
            })
            .collect(),
        otherwise: match rs.fallback() {
            Fallback::Otherwise(o) => Some(outcome_json(o)),
            Fallback::Complete => None,
        },
        complete: *rs.fallback() == Fallback::Complete,
        // Written per rule, so the document says it where the rule is.
        cumulative: false,
        rules: rs
            .rules()
            .iter()
            .map(|r| RuleDoc {
                name: r.name.clone(),
                doc: r.doc.clone(),
                citation: r.citation.clone(),
                from: r.period.from.map(|d| d.to_string().into()),
                until: r.period.until.map(|d| d.to_string().into()),
                status: r.status,
                overrides: r.overrides.clone(),
                allow_dead: r.allow_dead,
                cumulative: r.cumulative.then_some(true),
                when: Some(condition_doc(schema, &r.when)),
                then: Some(outcome_json(&r.then)),
            })
            .collect(),
    }
}

fn outcome_json(o: &Outcome) -> serde_json::Value {
    serde_json::to_value(o).unwrap_or(serde_json::Value::Null)
}

/// A schema as JSON, in the form [`RuleSetDoc::schema`] takes.
pub fn schema_to_json(schema: &Schema) -> String {
    serde_json::to_string(schema).unwrap_or_default()
}

/// The rule set as pretty-printed JSON.
pub fn to_json(rs: &RuleSet) -> String {
    serde_json::to_string_pretty(&to_doc(rs)).unwrap_or_default()
}

fn condition_doc(schema: &Schema, c: &Condition) -> ConditionDoc {
    match c {
        Condition::Always => ConditionDoc {
            always: Some(true),
            ..Default::default()
        },
        Condition::All(cs) => ConditionDoc {
            all: Some(cs.iter().map(|c| condition_doc(schema, c)).collect()),
            ..Default::default()
        },
        Condition::Any(cs) => ConditionDoc {
            any: Some(cs.iter().map(|c| condition_doc(schema, c)).collect()),
            ..Default::default()
        },
        Condition::Not(c) => ConditionDoc {
            not: Some(Box::new(condition_doc(schema, c))),
            ..Default::default()
        },
        Condition::Test { field, test } => {
            let f = &schema.fields[*field];
            let j = |v: &Value| f.ty.value_to_json(v);
            let mut d = ConditionDoc {
                field: Some(f.name.clone()),
                ..Default::default()
            };
            match test {
                Test::Eq(v) => d.eq = Some(j(v)),
                Test::In { values, .. } => d.in_ = Some(values.iter().map(j).collect()),
                Test::InGroup { group, .. } => d.in_group = Some(group.clone()),
                Test::Under(code) => d.under = Some(code.to_string()),
                Test::Cmp(CmpOp::Lt, v) => d.lt = Some(j(v)),
                Test::Cmp(CmpOp::Le, v) => d.le = Some(j(v)),
                Test::Cmp(CmpOp::Gt, v) => d.gt = Some(j(v)),
                Test::Cmp(CmpOp::Ge, v) => d.ge = Some(j(v)),
            }
            d
        }
    }
}

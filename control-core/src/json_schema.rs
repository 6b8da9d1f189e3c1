//! JSON Schema for the rule-book format (feature `schemars`): the derived schemas of the document types, and
//! hand-described ones for the values the documents hold as text (countries, dates, decimals).

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::json::RuleSetDoc;
use crate::vocab::country::Country;

/// The JSON Schema (draft 2020-12) of a rule-set document, as `control schema` prints it.
///
/// ```
/// let schema = control_core::json_schema::rule_set_schema();
/// assert_eq!(schema["title"], "RuleSetDoc");
/// assert!(schema["properties"]["rules"].is_object());
/// ```
pub fn rule_set_schema() -> serde_json::Value {
    let mut schema = schemars::schema_for!(RuleSetDoc).to_value();
    if let Some(o) = schema.as_object_mut() {
        o.insert(
            "$comment".into(),
            format!(
                "control-core {} rule-set document format {}",
                crate::VERSION,
                crate::json::FORMAT_VERSION
            )
            .into(),
        );
    }
    schema
}

impl JsonSchema for Country {
    fn schema_name() -> Cow<'static, str> {
        "Country".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let codes: Vec<&str> = Country::ALL.iter().map(|c| c.code()).collect();
        json_schema!({
            "description": "An ISO 3166-1 alpha-2 country code.",
            "type": "string",
            "enum": codes,
        })
    }
}

/// A date as rule books write it.
pub(crate) struct DateText;

impl JsonSchema for DateText {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A calendar date, YYYY-MM-DD (0000-01-01 to 9999-12-31).",
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        })
    }
}

/// An exact decimal, as a JSON number or a string.
pub(crate) struct DecimalText;

impl JsonSchema for DecimalText {
    fn schema_name() -> Cow<'static, str> {
        "Decimal".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An exact decimal with at most four decimal places, as a number or a string.",
            "type": ["number", "string"],
        })
    }
}

/// The `schema` key: the built-in schema's name or a schema object.
pub(crate) struct SchemaChoice;

impl JsonSchema for SchemaChoice {
    fn schema_name() -> Cow<'static, str> {
        "SchemaChoice".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let object = generator.subschema_for::<crate::schema::Schema>();
        json_schema!({
            "description": "\"Transaction\" for the built-in schema, or a schema object.",
            "oneOf": [{"const": "Transaction"}, object],
        })
    }
}

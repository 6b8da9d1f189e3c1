//! Schemas and values: the typed fields a case has, and the values they take.
//!
//! A schema is a list of typed fields; a case gives every field a value. Rule sets are written against a schema
//! (the built-in [`Transaction`](crate::Transaction) one, or their own), and evaluation reads cases through
//! [`CaseView`], so a typed struct and a generic [`Record`] are evaluated by the same code.

use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::suggest::suggest;
use crate::vocab::code::{CodeError, ControlCode};
use crate::vocab::country::{Country, UnknownCountry};
use crate::vocab::decimal::{Decimal, DecimalError};
use crate::vocab::party::PartyId;
use crate::vocab::{DateError, parse_date};

/// A field's position in its schema.
pub type FieldId = usize;

/// The type of a field.
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum FieldType {
    /// `true` or `false`: facts computed before evaluation (on the Entity List, a US person, …).
    Bool,
    /// A whole number.
    Int,
    /// An exact decimal (amounts, percentages).
    Decimal,
    /// A calendar date.
    Date,
    /// An ISO 3166-1 country.
    Country,
    /// A hierarchical control-list code.
    Code,
    /// A named party.
    Party,
    /// One of a finite list of names.
    Enum {
        /// The enum's name, such as `Activity`.
        name: String,
        /// The names of its values, in order.
        variants: Vec<String>,
    },
}

impl FieldType {
    /// What a value of this type looks like, for error messages.
    pub fn describe(&self) -> String {
        match self {
            FieldType::Bool => "`true` or `false`".into(),
            FieldType::Int => "a whole number".into(),
            FieldType::Decimal => "a decimal number".into(),
            FieldType::Date => "a date (YYYY-MM-DD)".into(),
            FieldType::Country => "an ISO 3166-1 alpha-2 country code".into(),
            FieldType::Code => "a control code such as `3B001.f.4`".into(),
            FieldType::Party => "a party id".into(),
            FieldType::Enum { name, variants } => {
                let list = variants
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                format!("a value of {name} ({list})")
            }
        }
    }

    /// Whether values of this type can be compared with `<`, `<=`, `>`, `>=`.
    pub fn is_ordered(&self) -> bool {
        matches!(self, FieldType::Int | FieldType::Decimal | FieldType::Date)
    }

    /// Whether `value` is of this type and inside its domain (dates: [`crate::vocab::DATE_MIN`] to
    /// [`crate::vocab::DATE_MAX`]).
    pub fn accepts(&self, value: &Value) -> bool {
        matches!((self, value), (FieldType::Date, Value::Date(d)) if crate::vocab::date_in_domain(*d))
            || matches!(
                (self, value),
                (FieldType::Bool, Value::Bool(_))
                    | (FieldType::Int, Value::Int(_))
                    | (FieldType::Decimal, Value::Decimal(_))
                    | (FieldType::Country, Value::Country(_))
                    | (FieldType::Code, Value::Code(_))
                    | (FieldType::Party, Value::Party(_))
            )
            || matches!((self, value), (FieldType::Enum { variants, .. }, Value::Enum(i)) if (*i as usize) < variants.len())
    }

    /// Parses a value of this type from text.
    pub fn parse_value(&self, text: &str) -> Result<Value, ValueError> {
        Ok(match self {
            FieldType::Bool => match text.trim() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => {
                    return Err(ValueError::WrongKind {
                        expected: self.describe(),
                        found: format!("`{text}`"),
                    });
                }
            },
            FieldType::Int => {
                Value::Int(text.trim().parse().map_err(|_| ValueError::WrongKind {
                    expected: self.describe(),
                    found: format!("`{text}`"),
                })?)
            }
            FieldType::Decimal => Value::Decimal(Decimal::parse(text)?),
            FieldType::Date => Value::Date(parse_date(text)?),
            FieldType::Country => Value::Country(Country::parse(text)?),
            FieldType::Code => Value::Code(ControlCode::parse(text)?),
            FieldType::Party => {
                if text.trim().is_empty() {
                    return Err(ValueError::WrongKind {
                        expected: self.describe(),
                        found: "an empty string".into(),
                    });
                }
                Value::Party(PartyId::new(text))
            }
            FieldType::Enum { name, variants } => {
                let t = text.trim();
                match variants.iter().position(|v| v == t) {
                    Some(i) => Value::Enum(i as u32),
                    None => {
                        return Err(ValueError::UnknownVariant {
                            enum_name: name.clone(),
                            input: t.to_owned(),
                            suggestion: suggest(t, variants.iter().map(String::as_str))
                                .map(str::to_owned),
                            expected: variants.clone(),
                        });
                    }
                }
            }
        })
    }

    /// Reads a value of this type from JSON: a string for most types, a number for numbers, a boolean for `Bool`.
    pub fn value_from_json(&self, json: &serde_json::Value) -> Result<Value, ValueError> {
        use serde_json::Value as J;
        match (self, json) {
            (FieldType::Bool, J::Bool(b)) => Ok(Value::Bool(*b)),
            (FieldType::Int, J::Number(n)) => {
                n.as_i64()
                    .map(Value::Int)
                    .ok_or_else(|| ValueError::WrongKind {
                        expected: self.describe(),
                        found: format!("`{n}`"),
                    })
            }
            (FieldType::Decimal, J::Number(n)) => {
                Ok(Value::Decimal(Decimal::parse(&n.to_string())?))
            }
            (FieldType::Bool | FieldType::Int, _)
            | (_, J::Number(_) | J::Bool(_) | J::Null | J::Array(_) | J::Object(_)) => {
                Err(ValueError::WrongKind {
                    expected: self.describe(),
                    found: json_kind(json),
                })
            }
            (_, J::String(s)) => self.parse_value(s),
        }
    }

    /// Writes `value` as JSON, the inverse of [`FieldType::value_from_json`].
    pub fn value_to_json(&self, value: &Value) -> serde_json::Value {
        use serde_json::Value as J;
        match value {
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Decimal(d) => d
                .to_string()
                .parse::<serde_json::Number>()
                .map_or_else(|_| J::String(d.to_string()), J::Number),
            _ => J::String(self.display_value(value)),
        }
    }

    /// `value` as text, with enum values by name.
    pub fn display_value(&self, value: &Value) -> String {
        match (self, value) {
            (FieldType::Enum { variants, .. }, Value::Enum(i)) => variants
                .get(*i as usize)
                .cloned()
                .unwrap_or_else(|| format!("#{i}")),
            _ => value.to_string(),
        }
    }
}

/// Describes a JSON value's kind, for "expected X, found Y" messages.
pub(crate) fn json_kind(json: &serde_json::Value) -> String {
    match json {
        serde_json::Value::Null => "null".into(),
        serde_json::Value::Bool(b) => format!("`{b}`"),
        serde_json::Value::Number(n) => format!("the number `{n}`"),
        serde_json::Value::String(s) => format!("the string `{s}`"),
        serde_json::Value::Array(_) => "a list".into(),
        serde_json::Value::Object(_) => "an object".into(),
    }
}

/// A value that does not fit its field's type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueError {
    /// Not a value of the right kind at all.
    #[error("expected {expected}, found {found}")]
    WrongKind {
        /// What the field takes.
        expected: String,
        /// What was given.
        found: String,
    },
    /// An enum name the enum does not have.
    #[error("`{input}` is not a value of {enum_name}{}; expected one of: {}", match suggestion {
        Some(s) => format!(" (did you mean `{s}`?)"),
        None => String::new(),
    }, expected.join(", "))]
    UnknownVariant {
        /// The enum.
        enum_name: String,
        /// What was written.
        input: String,
        /// The nearest name, if close.
        suggestion: Option<String>,
        /// Every name.
        expected: Vec<String>,
    },
    /// A bad country code.
    #[error(transparent)]
    Country(#[from] UnknownCountry),
    /// A bad control code.
    #[error(transparent)]
    Code(#[from] CodeError),
    /// A bad date.
    #[error(transparent)]
    Date(#[from] DateError),
    /// A bad decimal.
    #[error(transparent)]
    Decimal(#[from] DecimalError),
    /// A code of another control list than the field's.
    #[error(
        "`{code}` is a code of list {code_list}, but this field holds codes of list {field_list}"
    )]
    OtherList {
        /// The code.
        code: String,
        /// The list its prefix names.
        code_list: String,
        /// The field's list.
        field_list: String,
    },
    /// A number outside its field's range.
    #[error("`{value}` is outside the field's range, {min} to {max}")]
    OutOfRange {
        /// The value.
        value: String,
        /// The smallest allowed.
        min: String,
        /// The largest allowed.
        max: String,
    },
}

/// One field of a schema.
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The name rules use.
    pub name: String,
    /// The type.
    #[serde(rename = "type")]
    pub ty: FieldType,
    /// What the field means.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc: String,
    /// For a decimal field, the smallest and largest value it may hold (`["0", "100"]` for a percentage):
    /// records, loaders and the analysis all use this narrower domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schemars",
        schemars(with = "Option<[crate::json_schema::DecimalText; 2]>")
    )]
    pub range: Option<[Decimal; 2]>,
    /// For a code field, the control list its codes belong to (`CCL`, `EU`, `WA`, `NL`, `JP`, `KR`, see
    /// [`crate::vocab::lists`]): a code written with another list's prefix is never compared with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
}

impl Field {
    /// A field without a range or a list.
    pub fn new(name: impl Into<String>, ty: FieldType) -> Field {
        Field {
            name: name.into(),
            ty,
            doc: String::new(),
            range: None,
            list: None,
        }
    }

    /// Why `value` cannot be a value of this field's control list: a code written with another known list's
    /// prefix (`NL:3B001.f.4` in a CCL field).
    pub fn list_error(&self, value: &Value) -> Option<ValueError> {
        let (Some(list), Value::Code(code)) = (&self.list, value) else {
            return None;
        };
        let prefix = code.list_prefix()?;
        (prefix != list && crate::vocab::lists::is_known(prefix)).then(|| ValueError::OtherList {
            code: code.to_string(),
            code_list: prefix.to_owned(),
            field_list: list.clone(),
        })
    }

    /// Whether `value` is of the field's type and inside its domain (its range, for a decimal field with one;
    /// its list, for a code field with one).
    pub fn accepts(&self, value: &Value) -> bool {
        self.ty.accepts(value)
            && match (self.range, value) {
                (Some([lo, hi]), Value::Decimal(d)) => lo <= *d && *d <= hi,
                _ => true,
            }
            && self.list_error(value).is_none()
    }

    /// Why `value` is outside the field's range, if it is.
    pub fn range_error(&self, value: &Value) -> Option<ValueError> {
        match (self.range, value) {
            (Some([lo, hi]), Value::Decimal(d)) if *d < lo || *d > hi => {
                Some(ValueError::OutOfRange {
                    value: d.to_string(),
                    min: lo.to_string(),
                    max: hi.to_string(),
                })
            }
            _ => None,
        }
    }
}

/// The typed fields of a case.
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    /// The schema's name (`Transaction` for the built-in one).
    pub name: String,
    /// The fields, in order; a [`FieldId`] is a position here.
    pub fields: Vec<Field>,
    /// The date field that decides which rules are in effect when a scenario gives no as-of date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_date: Option<String>,
}

impl Schema {
    /// The field called `name`.
    pub fn field(&self, name: &str) -> Option<(FieldId, &Field)> {
        self.fields.iter().enumerate().find(|(_, f)| f.name == name)
    }

    /// The field names nearest to `name`, for "did you mean".
    pub fn suggest_field(&self, name: &str) -> Option<&str> {
        suggest(name, self.fields.iter().map(|f| f.name.as_str()))
    }

    /// The id of the case-date field, if the schema has one.
    pub fn case_date_field(&self) -> Option<FieldId> {
        self.case_date
            .as_deref()
            .and_then(|n| self.field(n))
            .map(|(id, _)| id)
    }
}

/// A value of some field type.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// A boolean.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A decimal.
    Decimal(Decimal),
    /// A date.
    Date(Date),
    /// A country.
    Country(Country),
    /// A control code.
    Code(ControlCode),
    /// A party.
    Party(PartyId),
    /// An enum value, by position in its enum.
    Enum(u32),
}

impl Value {
    /// A borrowed view.
    pub fn as_ref(&self) -> ValueRef<'_> {
        match self {
            Value::Bool(b) => ValueRef::Bool(*b),
            Value::Int(i) => ValueRef::Int(*i),
            Value::Decimal(d) => ValueRef::Decimal(*d),
            Value::Date(d) => ValueRef::Date(*d),
            Value::Country(c) => ValueRef::Country(*c),
            Value::Code(c) => ValueRef::Code(*c),
            Value::Party(p) => ValueRef::Party(p.as_str()),
            Value::Enum(i) => ValueRef::Enum(*i),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Decimal(d) => write!(f, "{d}"),
            Value::Date(d) => write!(f, "{d}"),
            Value::Country(c) => write!(f, "{c}"),
            Value::Code(c) => write!(f, "{c}"),
            Value::Party(p) => write!(f, "{p}"),
            Value::Enum(i) => write!(f, "#{i}"),
        }
    }
}

/// A borrowed value, as a case hands it to the evaluator: `Copy`, no allocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueRef<'a> {
    /// A boolean.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A decimal.
    Decimal(Decimal),
    /// A date.
    Date(Date),
    /// A country.
    Country(Country),
    /// A control code.
    Code(ControlCode),
    /// A party id.
    Party(&'a str),
    /// An enum value, by position.
    Enum(u32),
}

impl ValueRef<'_> {
    /// An owned copy.
    pub fn to_value(self) -> Value {
        match self {
            ValueRef::Bool(b) => Value::Bool(b),
            ValueRef::Int(i) => Value::Int(i),
            ValueRef::Decimal(d) => Value::Decimal(d),
            ValueRef::Date(d) => Value::Date(d),
            ValueRef::Country(c) => Value::Country(c),
            ValueRef::Code(c) => Value::Code(c),
            ValueRef::Party(p) => Value::Party(PartyId::new(p)),
            ValueRef::Enum(i) => Value::Enum(i),
        }
    }
}

/// Read access to a case's fields, by position in the rule set's schema.
///
/// Implemented by [`Transaction`](crate::Transaction) for the built-in schema and by [`Record`] for any schema;
/// the macro implements it for the structs it generates.
pub trait CaseView {
    /// The value of field `field`, or `None` if the case has no such field.
    fn get(&self, field: FieldId) -> Option<ValueRef<'_>>;
}

/// A case of any schema: one value per field, checked against the schema when built.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Record {
    values: Vec<Value>,
}

/// Why a record could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// The record names a field the schema lacks.
    #[error("unknown field `{field}`{}", suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownField {
        /// The name.
        field: String,
        /// The nearest field name.
        suggestion: Option<String>,
    },
    /// A field has no value.
    #[error("missing field `{0}`: every field needs a value")]
    MissingField(String),
    /// A value does not fit its field.
    #[error("field `{field}`: {error}")]
    Value {
        /// The field.
        field: String,
        /// What is wrong.
        error: ValueError,
    },
    /// The record is not a JSON object.
    #[error("expected an object with one entry per field, found {0}")]
    NotAnObject(String),
}

impl Record {
    /// A record with `values` in field order; each must fit its field.
    pub fn new(schema: &Schema, values: Vec<Value>) -> Result<Record, RecordError> {
        if values.len() > schema.fields.len() {
            return Err(RecordError::UnknownField {
                field: format!("#{}", schema.fields.len()),
                suggestion: None,
            });
        }
        if let Some(missing) = schema.fields.get(values.len()) {
            return Err(RecordError::MissingField(missing.name.clone()));
        }
        for (f, v) in schema.fields.iter().zip(&values) {
            if !f.accepts(v) {
                let error = f
                    .range_error(v)
                    .or_else(|| f.list_error(v))
                    .unwrap_or_else(|| ValueError::WrongKind {
                        expected: f.ty.describe(),
                        found: format!("`{v}`"),
                    });
                return Err(RecordError::Value {
                    field: f.name.clone(),
                    error,
                });
            }
        }
        Ok(Record { values })
    }

    /// A record from a JSON object with one entry per field; every error is reported, not just the first.
    pub fn from_json(
        schema: &Schema,
        json: &serde_json::Value,
    ) -> Result<Record, Vec<RecordError>> {
        let Some(obj) = json.as_object() else {
            return Err(vec![RecordError::NotAnObject(json_kind(json))]);
        };
        let mut errors = Vec::new();
        for key in obj.keys() {
            if schema.field(key).is_none() {
                let suggestion = schema.suggest_field(key).map(str::to_owned);
                errors.push(RecordError::UnknownField {
                    field: key.clone(),
                    suggestion,
                });
            }
        }
        let mut values = Vec::with_capacity(schema.fields.len());
        for f in &schema.fields {
            let value = obj.get(&f.name).map(|j| {
                f.ty.value_from_json(j).and_then(|v| {
                    match f.range_error(&v).or_else(|| f.list_error(&v)) {
                        Some(e) => Err(e),
                        None => Ok(v),
                    }
                })
            });
            match value {
                None => errors.push(RecordError::MissingField(f.name.clone())),
                Some(Err(error)) => errors.push(RecordError::Value {
                    field: f.name.clone(),
                    error,
                }),
                Some(Ok(v)) => values.push(v),
            }
        }
        if errors.is_empty() {
            Ok(Record { values })
        } else {
            Err(errors)
        }
    }

    /// A record of values already known to fit their fields.
    pub(crate) fn from_checked_values(values: Vec<Value>) -> Record {
        Record { values }
    }

    /// The values, in field order.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// The record as a JSON object.
    pub fn to_json(&self, schema: &Schema) -> serde_json::Value {
        let map = schema
            .fields
            .iter()
            .zip(&self.values)
            .map(|(f, v)| (f.name.clone(), f.ty.value_to_json(v)));
        serde_json::Value::Object(map.collect())
    }
}

impl CaseView for Record {
    fn get(&self, field: FieldId) -> Option<ValueRef<'_>> {
        self.values.get(field).map(Value::as_ref)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Schema {
        Schema {
            name: "Shipment".into(),
            fields: vec![
                Field {
                    name: "to".into(),
                    ty: FieldType::Country,
                    doc: String::new(),
                    range: None,
                    list: None,
                },
                Field {
                    name: "kind".into(),
                    ty: FieldType::Enum {
                        name: "Kind".into(),
                        variants: vec!["tool".into(), "part".into()],
                    },
                    doc: String::new(),
                    range: None,
                    list: None,
                },
                Field {
                    name: "share".into(),
                    ty: FieldType::Decimal,
                    doc: String::new(),
                    range: None,
                    list: None,
                },
                Field {
                    name: "listed".into(),
                    ty: FieldType::Bool,
                    doc: String::new(),
                    range: None,
                    list: None,
                },
            ],
            case_date: None,
        }
    }

    #[test]
    fn records_from_json_report_every_error() {
        let s = schema();
        let r = Record::from_json(
            &s,
            &json!({"to": "cn", "kind": "part", "share": 12.5, "listed": false}),
        )
        .unwrap();
        assert_eq!(r.get(0), Some(ValueRef::Country(Country::CN)));
        assert_eq!(r.get(1), Some(ValueRef::Enum(1)));
        assert_eq!(
            r.to_json(&s),
            json!({"to": "CN", "kind": "part", "share": 12.5, "listed": false})
        );
        let errs =
            Record::from_json(&s, &json!({"too": "CN", "kind": "prat", "share": "x"})).unwrap_err();
        let msgs: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs,
            [
                "unknown field `too`; did you mean `to`?",
                "missing field `to`: every field needs a value",
                "field `kind`: `prat` is not a value of Kind (did you mean `part`?); expected one of: tool, part",
                "field `share`: `x` is not a decimal number: only digits, one `.` and a leading sign are allowed",
                "missing field `listed`: every field needs a value",
            ]
        );
        assert!(Record::from_json(&s, &json!([1])).is_err());
    }

    #[test]
    fn typed_construction_checks_kinds() {
        let s = schema();
        assert!(Record::new(&s, vec![Value::Country(Country::CN)]).is_err());
        let ok = vec![
            Value::Country(Country::CN),
            Value::Enum(0),
            Value::Decimal(Decimal::from_int(1)),
            Value::Bool(true),
        ];
        assert!(Record::new(&s, ok).is_ok());
        let bad = vec![
            Value::Country(Country::CN),
            Value::Enum(7),
            Value::Decimal(Decimal::from_int(1)),
            Value::Bool(true),
        ];
        assert!(Record::new(&s, bad).is_err());
    }

    #[test]
    fn json_values_must_have_the_right_kind() {
        assert!(FieldType::Bool.value_from_json(&json!("true")).is_err());
        assert!(FieldType::Int.value_from_json(&json!(1.5)).is_err());
        assert_eq!(FieldType::Int.value_from_json(&json!(3)), Ok(Value::Int(3)));
        assert!(FieldType::Country.value_from_json(&json!(3)).is_err());
        assert_eq!(
            FieldType::Date.value_to_json(&FieldType::Date.parse_value("2024-03-07").unwrap()),
            json!("2024-03-07")
        );
    }
}

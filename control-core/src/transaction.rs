//! The built-in export-control schema: one transaction.

use std::sync::OnceLock;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::schema::{CaseView, Field, FieldId, FieldType, Schema, ValueRef};
use crate::vocab::activity::{Activity, EndUse};
use crate::vocab::code::ControlCode;
use crate::vocab::country::Country;
use crate::vocab::decimal::Decimal;
use crate::vocab::party::PartyId;

/// One export-control case: who exports what, from where, to whom, for what, and when.
///
/// Every field is required: a missing input is the loader's error, never "not controlled".
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transaction {
    /// The exporting (or servicing, or releasing) party.
    pub exporter: PartyId,
    /// Where the exporter ships from.
    pub exporter_country: Country,
    /// The item's classification.
    pub item: ControlCode,
    /// Where the item was made.
    pub item_origin: Country,
    /// Controlled US-origin content, in percent of the item's value (for de minimis): 0 to 100. Deserialising
    /// rejects other values; a transaction built with one in code is decided as unfit by every evaluator.
    #[serde(deserialize_with = "percentage")]
    pub us_content: Decimal,
    /// What is being done.
    pub activity: Activity,
    /// Where the item goes.
    pub destination: Country,
    /// Who receives and uses it.
    pub end_user: PartyId,
    /// What it will be used for.
    pub end_use: EndUse,
    /// When the transaction takes place; decides which rules are in effect unless a scenario says otherwise.
    pub date: Date,
    /// When the contract was signed (servicing of tools "bought before the controls").
    pub contract_date: Date,
}

fn percentage<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    let v = Decimal::deserialize(d)?;
    if v < Decimal::from_int(0) || v > Decimal::from_int(100) {
        return Err(serde::de::Error::custom(format!(
            "us_content `{v}` is not a percentage from 0 to 100"
        )));
    }
    Ok(v)
}

impl Transaction {
    /// Whether every value is inside its field's domain (US content from 0 to 100).
    pub fn is_in_domain(&self) -> bool {
        (Decimal::from_int(0)..=Decimal::from_int(100)).contains(&self.us_content)
    }
}

/// Field ids of [`Transaction`] in [`Schema::transaction`], for generated code and tests.
#[allow(missing_docs)]
pub mod fields {
    use crate::schema::FieldId;
    pub const EXPORTER: FieldId = 0;
    pub const EXPORTER_COUNTRY: FieldId = 1;
    pub const ITEM: FieldId = 2;
    pub const ITEM_ORIGIN: FieldId = 3;
    pub const US_CONTENT: FieldId = 4;
    pub const ACTIVITY: FieldId = 5;
    pub const DESTINATION: FieldId = 6;
    pub const END_USER: FieldId = 7;
    pub const END_USE: FieldId = 8;
    pub const DATE: FieldId = 9;
    pub const CONTRACT_DATE: FieldId = 10;
}

impl Schema {
    /// The built-in schema of [`Transaction`].
    pub fn transaction() -> &'static Schema {
        static SCHEMA: OnceLock<Schema> = OnceLock::new();
        SCHEMA.get_or_init(|| {
            let f = |name: &str, ty: FieldType, doc: &str| Field {
                name: name.into(),
                ty,
                doc: doc.into(),
                range: None,
            };
            let names = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect();
            Schema {
                name: "Transaction".into(),
                fields: vec![
                    f("exporter", FieldType::Party, "the exporting party"),
                    f(
                        "exporter_country",
                        FieldType::Country,
                        "where the exporter ships from",
                    ),
                    f("item", FieldType::Code, "the item's classification"),
                    f("item_origin", FieldType::Country, "where the item was made"),
                    Field {
                        range: Some([Decimal::from_int(0), Decimal::from_int(100)]),
                        ..f(
                            "us_content",
                            FieldType::Decimal,
                            "controlled US-origin content, percent (0 to 100)",
                        )
                    },
                    f(
                        "activity",
                        FieldType::Enum {
                            name: "Activity".into(),
                            variants: names(Activity::NAMES),
                        },
                        "what is done",
                    ),
                    f("destination", FieldType::Country, "where the item goes"),
                    f("end_user", FieldType::Party, "who receives and uses it"),
                    f(
                        "end_use",
                        FieldType::Enum {
                            name: "EndUse".into(),
                            variants: names(EndUse::NAMES),
                        },
                        "what it is for",
                    ),
                    f("date", FieldType::Date, "when the transaction takes place"),
                    f(
                        "contract_date",
                        FieldType::Date,
                        "when the contract was signed",
                    ),
                ],
                case_date: Some("date".into()),
            }
        })
    }
}

impl CaseView for Transaction {
    #[inline]
    fn get(&self, field: FieldId) -> Option<ValueRef<'_>> {
        use fields::*;
        Some(match field {
            EXPORTER => ValueRef::Party(self.exporter.as_str()),
            EXPORTER_COUNTRY => ValueRef::Country(self.exporter_country),
            ITEM => ValueRef::Code(self.item),
            ITEM_ORIGIN => ValueRef::Country(self.item_origin),
            US_CONTENT => ValueRef::Decimal(self.us_content),
            ACTIVITY => ValueRef::Enum(self.activity.index() as u32),
            DESTINATION => ValueRef::Country(self.destination),
            END_USER => ValueRef::Party(self.end_user.as_str()),
            END_USE => ValueRef::Enum(self.end_use.index() as u32),
            DATE => ValueRef::Date(self.date),
            CONTRACT_DATE => ValueRef::Date(self.contract_date),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Record;

    pub(crate) fn asml_servicing() -> Transaction {
        serde_json::from_value(serde_json::json!({
            "exporter": "asml", "exporter_country": "NL", "item": "3B001.f.4", "item_origin": "NL",
            "us_content": 8, "activity": "servicing", "destination": "CN", "end_user": "smic",
            "end_use": "advanced_logic_fab", "date": "2024-03-07", "contract_date": "2023-05-01"
        }))
        .unwrap()
    }

    #[test]
    fn transaction_and_record_views_agree() {
        let t = asml_servicing();
        let schema = Schema::transaction();
        let json = serde_json::to_value(&t).unwrap();
        let r = Record::from_json(schema, &json).unwrap();
        for id in 0..schema.fields.len() {
            assert_eq!(t.get(id), r.get(id), "field {}", schema.fields[id].name);
        }
        assert_eq!(t.get(schema.fields.len()), None);
        assert_eq!(schema.case_date_field(), Some(fields::DATE));
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let mut json = serde_json::to_value(asml_servicing()).unwrap();
        json["destinaton"] = "CN".into();
        let err = serde_json::from_value::<Transaction>(json).unwrap_err();
        assert!(
            err.to_string().contains("unknown field `destinaton`"),
            "{err}"
        );
    }
}

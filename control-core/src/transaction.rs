//! The built-in export-control schema: one transaction, its parties in their roles, the item's classification
//! under each control list, and the facts rules read.
//!
//! Party facts (`end_user.headquarters`, `purchaser.entity_list`, …) come from party data loaded at run time
//! ([`crate::PartyData`]), as of the effective date, and are filled in by the loader; the item's classifications
//! and facts come with the transaction. Every field is required: a missing input is the loader's error, never
//! "not controlled".

use std::sync::OnceLock;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::schema::{CaseView, Field, FieldId, FieldType, Schema, ValueRef};
use crate::vocab::activity::{Activity, DirectProduct, EndUse, EntityListing, ListFootnote};
use crate::vocab::code::ControlCode;
use crate::vocab::country::Country;
use crate::vocab::decimal::Decimal;
use crate::vocab::party::PartyId;

/// One export-control case: who exports what, from where, to whom in which roles, for what, and when.
///
/// Field names with a dot (`item.ccl`, `end_user.headquarters`) are written so in JSON and in rules; the Rust
/// fields replace the dot with `_`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transaction {
    /// The exporting (or servicing, or releasing) party.
    pub exporter: PartyId,
    /// Where the exporter ships from.
    pub exporter_country: Country,
    /// The item's classification on the US Commerce Control List (an ECCN, `EAR99`, or `UNLISTED` if not subject to the EAR).
    #[serde(rename = "item.ccl")]
    pub item_ccl: ControlCode,
    /// The item's entry in Annex I to Regulation (EU) 2021/821, or `UNLISTED`.
    #[serde(rename = "item.eu")]
    pub item_eu: ControlCode,
    /// The item's entry on the Wassenaar Arrangement dual-use list, or `UNLISTED`.
    #[serde(rename = "item.wa")]
    pub item_wa: ControlCode,
    /// The item's entry in the Dutch national annex (its own numbering: `3B001.f.4` there is an immersion DUV scanner), or `UNLISTED`.
    #[serde(rename = "item.nl")]
    pub item_nl: ControlCode,
    /// The item's entry under Japan's Export Trade Control Order, Appended Table 1, or `UNLISTED`.
    #[serde(rename = "item.jp")]
    pub item_jp: ControlCode,
    /// The item's entry among Korea's strategic items, or `UNLISTED`.
    #[serde(rename = "item.kr")]
    pub item_kr: ControlCode,
    /// Where the item was made.
    pub item_origin: Country,
    /// Controlled US-origin content, percent of the item's value (0 to 100).
    #[serde(deserialize_with = "percentage")]
    pub us_content: Decimal,
    /// The item is designed or marketed for use in data centres (ECCN 3A090 Note, License Exception NAC).
    pub data_centre: bool,
    /// The item's total processing performance (3A090 Technical Notes; 0 for items without one).
    #[serde(deserialize_with = "non_negative")]
    pub tpp: Decimal,
    /// TPP divided by applicable die area in mm² (3A090 Technical Notes; 0 for items without one).
    #[serde(deserialize_with = "non_negative")]
    pub performance_density: Decimal,
    /// What is done.
    pub activity: Activity,
    /// Where the item goes.
    pub destination: Country,
    /// Who buys it (`none` if no other party than the end user).
    pub purchaser: PartyId,
    /// Who receives it on the way (`none` if nobody).
    pub intermediate_consignee: PartyId,
    /// Who receives it at the destination (`none` if the end user does).
    pub ultimate_consignee: PartyId,
    /// Who receives and uses it.
    pub end_user: PartyId,
    /// What it is for.
    pub end_use: EndUse,
    /// A US person (15 CFR 772.1) takes part: ships, transfers, services or supports.
    pub us_person: bool,
    /// Which foreign direct product rule of 15 CFR 734.9 makes the foreign-made item subject to the EAR (`none` if none), decided upstream.
    pub fdp: DirectProduct,
    /// The notification a licence exception requires was made (License Exception NAC for Macau and D:5).
    pub notified: bool,
    /// When the transaction takes place.
    pub date: Date,
    /// When the contract was signed.
    pub contract_date: Date,
    /// The purchaser's Entity List entry on the effective date (from the party data).
    #[serde(rename = "purchaser.entity_list")]
    pub purchaser_entity_list: EntityListing,
    /// The footnote of the purchaser's Entity List entry (from the party data).
    #[serde(rename = "purchaser.entity_list_footnote")]
    pub purchaser_entity_list_footnote: ListFootnote,
    /// The intermediate consignee's Entity List entry on the effective date (from the party data).
    #[serde(rename = "intermediate_consignee.entity_list")]
    pub intermediate_consignee_entity_list: EntityListing,
    /// The footnote of the intermediate consignee's Entity List entry (from the party data).
    #[serde(rename = "intermediate_consignee.entity_list_footnote")]
    pub intermediate_consignee_entity_list_footnote: ListFootnote,
    /// The ultimate consignee's Entity List entry on the effective date (from the party data).
    #[serde(rename = "ultimate_consignee.entity_list")]
    pub ultimate_consignee_entity_list: EntityListing,
    /// The footnote of the ultimate consignee's Entity List entry (from the party data).
    #[serde(rename = "ultimate_consignee.entity_list_footnote")]
    pub ultimate_consignee_entity_list_footnote: ListFootnote,
    /// The end user's Entity List entry on the effective date (from the party data).
    #[serde(rename = "end_user.entity_list")]
    pub end_user_entity_list: EntityListing,
    /// The footnote of the end user's Entity List entry (from the party data).
    #[serde(rename = "end_user.entity_list_footnote")]
    pub end_user_entity_list_footnote: ListFootnote,
    /// Where the end user is (from the party data).
    #[serde(rename = "end_user.location")]
    pub end_user_location: Country,
    /// Where the end user is headquartered (from the party data).
    #[serde(rename = "end_user.headquarters")]
    pub end_user_headquarters: Country,
    /// Where the end user's ultimate parent is headquartered; its own headquarters if it has no parent (from the party data).
    #[serde(rename = "end_user.parent_headquarters")]
    pub end_user_parent_headquarters: Country,
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

fn non_negative<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    let v = Decimal::deserialize(d)?;
    if v < Decimal::from_int(0) {
        return Err(serde::de::Error::custom(format!(
            "`{v}` is negative; TPP and performance density are 0 or more"
        )));
    }
    Ok(v)
}

impl Transaction {
    /// A transaction from its core fields (`exporter`, `exporter_country`, `item`, `item_origin`,
    /// `us_content`, `activity`, `destination`, `end_user`, `end_use`, `date`, `contract_date`; `item` is the
    /// CCL code), for examples and tests about those fields. Every other field is set as for the plainest
    /// case, and said so here: the item is on no list but the CCL, is not for data centres and has no TPP; no
    /// party but the end user, who is on no list and is located and headquartered (with its parent) at the
    /// destination; no US person; no foreign direct product rule; no notification made. Any other field given
    /// beside the core ones (`"item.nl": "3B001.f.4"`) is kept. Loaders never use this: they require every
    /// field.
    ///
    /// ```
    /// let t = control_core::Transaction::from_core_fields(serde_json::json!({
    ///     "exporter": "asml", "exporter_country": "NL", "item": "3B001.f.4", "item_origin": "NL",
    ///     "us_content": 8, "activity": "servicing", "destination": "CN", "end_user": "smic",
    ///     "end_use": "advanced_logic_fab", "date": "2024-03-07", "contract_date": "2023-05-01"
    /// })).unwrap();
    /// assert_eq!(t.item_nl, control_core::ControlCode::unlisted());
    /// assert_eq!(t.end_user_headquarters, control_core::Country::CN);
    /// ```
    pub fn from_core_fields(core: serde_json::Value) -> Result<Transaction, serde_json::Error> {
        use serde::de::Error;
        let serde_json::Value::Object(mut map) = core else {
            return Err(serde_json::Error::custom(
                "expected an object of the core fields",
            ));
        };
        let item = map
            .remove("item")
            .ok_or_else(|| serde_json::Error::custom("missing field `item`"))?;
        let destination = map
            .get("destination")
            .cloned()
            .ok_or_else(|| serde_json::Error::custom("missing field `destination`"))?;
        let mut defaults: Vec<(String, serde_json::Value)> = vec![("item.ccl".into(), item)];
        for list in ["item.eu", "item.wa", "item.nl", "item.jp", "item.kr"] {
            defaults.push((list.into(), "UNLISTED".into()));
        }
        for (k, v) in [
            ("data_centre", serde_json::Value::Bool(false)),
            ("tpp", 0.into()),
            ("performance_density", 0.into()),
            ("purchaser", "none".into()),
            ("intermediate_consignee", "none".into()),
            ("ultimate_consignee", "none".into()),
            ("us_person", false.into()),
            ("fdp", "none".into()),
            ("notified", false.into()),
            ("end_user.location", destination.clone()),
            ("end_user.headquarters", destination.clone()),
            ("end_user.parent_headquarters", destination),
        ] {
            defaults.push((k.into(), v));
        }
        for role in ROLES {
            defaults.push((format!("{role}.entity_list"), "not_listed".into()));
            defaults.push((format!("{role}.entity_list_footnote"), "none".into()));
        }
        // Fields given beside the core ones (`"item.nl": "3B001.f.4"`) are kept.
        for (k, v) in defaults {
            map.entry(k).or_insert(v);
        }
        serde_json::from_value(serde_json::Value::Object(map))
    }

    /// Whether every value is inside its field's domain (US content from 0 to 100, TPP and performance
    /// density 0 or more).
    pub fn is_in_domain(&self) -> bool {
        (Decimal::from_int(0)..=Decimal::from_int(100)).contains(&self.us_content)
            && self.tpp >= Decimal::from_int(0)
            && self.performance_density >= Decimal::from_int(0)
    }
}

/// Field ids of [`Transaction`] in [`Schema::transaction`], for generated code and tests.
#[allow(missing_docs)]
pub mod fields {
    use crate::schema::FieldId;
    pub const EXPORTER: FieldId = 0;
    pub const EXPORTER_COUNTRY: FieldId = 1;
    pub const ITEM_CCL: FieldId = 2;
    pub const ITEM_EU: FieldId = 3;
    pub const ITEM_WA: FieldId = 4;
    pub const ITEM_NL: FieldId = 5;
    pub const ITEM_JP: FieldId = 6;
    pub const ITEM_KR: FieldId = 7;
    pub const ITEM_ORIGIN: FieldId = 8;
    pub const US_CONTENT: FieldId = 9;
    pub const DATA_CENTRE: FieldId = 10;
    pub const TPP: FieldId = 11;
    pub const PERFORMANCE_DENSITY: FieldId = 12;
    pub const ACTIVITY: FieldId = 13;
    pub const DESTINATION: FieldId = 14;
    pub const PURCHASER: FieldId = 15;
    pub const INTERMEDIATE_CONSIGNEE: FieldId = 16;
    pub const ULTIMATE_CONSIGNEE: FieldId = 17;
    pub const END_USER: FieldId = 18;
    pub const END_USE: FieldId = 19;
    pub const US_PERSON: FieldId = 20;
    pub const FDP: FieldId = 21;
    pub const NOTIFIED: FieldId = 22;
    pub const DATE: FieldId = 23;
    pub const CONTRACT_DATE: FieldId = 24;
    pub const PURCHASER_ENTITY_LIST: FieldId = 25;
    pub const PURCHASER_ENTITY_LIST_FOOTNOTE: FieldId = 26;
    pub const INTERMEDIATE_CONSIGNEE_ENTITY_LIST: FieldId = 27;
    pub const INTERMEDIATE_CONSIGNEE_ENTITY_LIST_FOOTNOTE: FieldId = 28;
    pub const ULTIMATE_CONSIGNEE_ENTITY_LIST: FieldId = 29;
    pub const ULTIMATE_CONSIGNEE_ENTITY_LIST_FOOTNOTE: FieldId = 30;
    pub const END_USER_ENTITY_LIST: FieldId = 31;
    pub const END_USER_ENTITY_LIST_FOOTNOTE: FieldId = 32;
    pub const END_USER_LOCATION: FieldId = 33;
    pub const END_USER_HEADQUARTERS: FieldId = 34;
    pub const END_USER_PARENT_HEADQUARTERS: FieldId = 35;
}

/// The roles a party plays in a transaction, as field names; `any_party.<fact>` in a rule means "the fact of
/// some party in one of these roles".
pub const ROLES: &[&str] = &[
    "purchaser",
    "intermediate_consignee",
    "ultimate_consignee",
    "end_user",
];

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
                list: None,
            };
            let names = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect();
            Schema {
                name: "Transaction".into(),
                fields: vec![
                    Field {   ..f("exporter", FieldType::Party, "the exporting (or servicing, or releasing) party") },
                    Field {   ..f("exporter_country", FieldType::Country, "where the exporter ships from") },
                    Field {  list: Some("CCL".into()), ..f("item.ccl", FieldType::Code, "the item's classification on the US Commerce Control List (an ECCN, `EAR99`, or `UNLISTED` if not subject to the EAR)") },
                    Field {  list: Some("EU".into()), ..f("item.eu", FieldType::Code, "the item's entry in Annex I to Regulation (EU) 2021/821, or `UNLISTED`") },
                    Field {  list: Some("WA".into()), ..f("item.wa", FieldType::Code, "the item's entry on the Wassenaar Arrangement dual-use list, or `UNLISTED`") },
                    Field {  list: Some("NL".into()), ..f("item.nl", FieldType::Code, "the item's entry in the Dutch national annex (its own numbering: `3B001.f.4` there is an immersion DUV scanner), or `UNLISTED`") },
                    Field {  list: Some("JP".into()), ..f("item.jp", FieldType::Code, "the item's entry under Japan's Export Trade Control Order, Appended Table 1, or `UNLISTED`") },
                    Field {  list: Some("KR".into()), ..f("item.kr", FieldType::Code, "the item's entry among Korea's strategic items, or `UNLISTED`") },
                    Field {   ..f("item_origin", FieldType::Country, "where the item was made") },
                    Field { range: Some([Decimal::from_int(0), Decimal::from_int(100)]),  ..f("us_content", FieldType::Decimal, "controlled US-origin content, percent of the item's value (0 to 100)") },
                    Field {   ..f("data_centre", FieldType::Bool, "the item is designed or marketed for use in data centres (ECCN 3A090 Note, License Exception NAC)") },
                    Field { range: Some([Decimal::from_int(0), Decimal::MAX]),  ..f("tpp", FieldType::Decimal, "the item's total processing performance (3A090 Technical Notes; 0 for items without one)") },
                    Field { range: Some([Decimal::from_int(0), Decimal::MAX]),  ..f("performance_density", FieldType::Decimal, "TPP divided by applicable die area in mm² (3A090 Technical Notes; 0 for items without one)") },
                    Field {   ..f("activity", FieldType::Enum { name: "Activity".into(), variants: names(Activity::NAMES) }, "what is done") },
                    Field {   ..f("destination", FieldType::Country, "where the item goes") },
                    Field {   ..f("purchaser", FieldType::Party, "who buys it (`none` if no other party than the end user)") },
                    Field {   ..f("intermediate_consignee", FieldType::Party, "who receives it on the way (`none` if nobody)") },
                    Field {   ..f("ultimate_consignee", FieldType::Party, "who receives it at the destination (`none` if the end user does)") },
                    Field {   ..f("end_user", FieldType::Party, "who receives and uses it") },
                    Field {   ..f("end_use", FieldType::Enum { name: "EndUse".into(), variants: names(EndUse::NAMES) }, "what it is for") },
                    Field {   ..f("us_person", FieldType::Bool, "a US person (15 CFR 772.1) takes part: ships, transfers, services or supports") },
                    Field {   ..f("fdp", FieldType::Enum { name: "DirectProduct".into(), variants: names(DirectProduct::NAMES) }, "which foreign direct product rule of 15 CFR 734.9 makes the foreign-made item subject to the EAR (`none` if none), decided upstream") },
                    Field {   ..f("notified", FieldType::Bool, "the notification a licence exception requires was made (License Exception NAC for Macau and D:5)") },
                    Field {   ..f("date", FieldType::Date, "when the transaction takes place") },
                    Field {   ..f("contract_date", FieldType::Date, "when the contract was signed") },
                    Field {   ..f("purchaser.entity_list", FieldType::Enum { name: "EntityListing".into(), variants: names(EntityListing::NAMES) }, "the purchaser's Entity List entry on the effective date (from the party data)") },
                    Field {   ..f("purchaser.entity_list_footnote", FieldType::Enum { name: "ListFootnote".into(), variants: names(ListFootnote::NAMES) }, "the footnote of the purchaser's Entity List entry (from the party data)") },
                    Field {   ..f("intermediate_consignee.entity_list", FieldType::Enum { name: "EntityListing".into(), variants: names(EntityListing::NAMES) }, "the intermediate consignee's Entity List entry on the effective date (from the party data)") },
                    Field {   ..f("intermediate_consignee.entity_list_footnote", FieldType::Enum { name: "ListFootnote".into(), variants: names(ListFootnote::NAMES) }, "the footnote of the intermediate consignee's Entity List entry (from the party data)") },
                    Field {   ..f("ultimate_consignee.entity_list", FieldType::Enum { name: "EntityListing".into(), variants: names(EntityListing::NAMES) }, "the ultimate consignee's Entity List entry on the effective date (from the party data)") },
                    Field {   ..f("ultimate_consignee.entity_list_footnote", FieldType::Enum { name: "ListFootnote".into(), variants: names(ListFootnote::NAMES) }, "the footnote of the ultimate consignee's Entity List entry (from the party data)") },
                    Field {   ..f("end_user.entity_list", FieldType::Enum { name: "EntityListing".into(), variants: names(EntityListing::NAMES) }, "the end user's Entity List entry on the effective date (from the party data)") },
                    Field {   ..f("end_user.entity_list_footnote", FieldType::Enum { name: "ListFootnote".into(), variants: names(ListFootnote::NAMES) }, "the footnote of the end user's Entity List entry (from the party data)") },
                    Field {   ..f("end_user.location", FieldType::Country, "where the end user is (from the party data)") },
                    Field {   ..f("end_user.headquarters", FieldType::Country, "where the end user is headquartered (from the party data)") },
                    Field {   ..f("end_user.parent_headquarters", FieldType::Country, "where the end user's ultimate parent is headquartered; its own headquarters if it has no parent (from the party data)") },
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
            ITEM_CCL => ValueRef::Code(self.item_ccl),
            ITEM_EU => ValueRef::Code(self.item_eu),
            ITEM_WA => ValueRef::Code(self.item_wa),
            ITEM_NL => ValueRef::Code(self.item_nl),
            ITEM_JP => ValueRef::Code(self.item_jp),
            ITEM_KR => ValueRef::Code(self.item_kr),
            ITEM_ORIGIN => ValueRef::Country(self.item_origin),
            US_CONTENT => ValueRef::Decimal(self.us_content),
            DATA_CENTRE => ValueRef::Bool(self.data_centre),
            TPP => ValueRef::Decimal(self.tpp),
            PERFORMANCE_DENSITY => ValueRef::Decimal(self.performance_density),
            ACTIVITY => ValueRef::Enum(self.activity.index() as u32),
            DESTINATION => ValueRef::Country(self.destination),
            PURCHASER => ValueRef::Party(self.purchaser.as_str()),
            INTERMEDIATE_CONSIGNEE => ValueRef::Party(self.intermediate_consignee.as_str()),
            ULTIMATE_CONSIGNEE => ValueRef::Party(self.ultimate_consignee.as_str()),
            END_USER => ValueRef::Party(self.end_user.as_str()),
            END_USE => ValueRef::Enum(self.end_use.index() as u32),
            US_PERSON => ValueRef::Bool(self.us_person),
            FDP => ValueRef::Enum(self.fdp.index() as u32),
            NOTIFIED => ValueRef::Bool(self.notified),
            DATE => ValueRef::Date(self.date),
            CONTRACT_DATE => ValueRef::Date(self.contract_date),
            PURCHASER_ENTITY_LIST => ValueRef::Enum(self.purchaser_entity_list.index() as u32),
            PURCHASER_ENTITY_LIST_FOOTNOTE => {
                ValueRef::Enum(self.purchaser_entity_list_footnote.index() as u32)
            }
            INTERMEDIATE_CONSIGNEE_ENTITY_LIST => {
                ValueRef::Enum(self.intermediate_consignee_entity_list.index() as u32)
            }
            INTERMEDIATE_CONSIGNEE_ENTITY_LIST_FOOTNOTE => {
                ValueRef::Enum(self.intermediate_consignee_entity_list_footnote.index() as u32)
            }
            ULTIMATE_CONSIGNEE_ENTITY_LIST => {
                ValueRef::Enum(self.ultimate_consignee_entity_list.index() as u32)
            }
            ULTIMATE_CONSIGNEE_ENTITY_LIST_FOOTNOTE => {
                ValueRef::Enum(self.ultimate_consignee_entity_list_footnote.index() as u32)
            }
            END_USER_ENTITY_LIST => ValueRef::Enum(self.end_user_entity_list.index() as u32),
            END_USER_ENTITY_LIST_FOOTNOTE => {
                ValueRef::Enum(self.end_user_entity_list_footnote.index() as u32)
            }
            END_USER_LOCATION => ValueRef::Country(self.end_user_location),
            END_USER_HEADQUARTERS => ValueRef::Country(self.end_user_headquarters),
            END_USER_PARENT_HEADQUARTERS => ValueRef::Country(self.end_user_parent_headquarters),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Record;

    pub(crate) fn asml_servicing() -> Transaction {
        Transaction::from_core_fields(serde_json::json!({
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

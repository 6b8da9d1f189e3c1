//! Conditions: tests of one field, combined with all, any and not.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::schema::{FieldId, Value};
use crate::vocab::code::ControlCode;
use crate::vocab::group::{CountrySet, Membership};

/// An ordered comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CmpOp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    /// Whether `ord` (the case's value compared with the bound) satisfies the comparison.
    pub fn holds(self, ord: Ordering) -> bool {
        match self {
            CmpOp::Lt => ord == Ordering::Less,
            CmpOp::Le => ord != Ordering::Greater,
            CmpOp::Gt => ord == Ordering::Greater,
            CmpOp::Ge => ord != Ordering::Less,
        }
    }

    /// The operator as written in rule blocks.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// A test of one field.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Test {
    /// The field equals the value.
    Eq(Value),
    /// The field is one of the values (sorted, no duplicates). For a country field, `countries` holds the same
    /// set as a bitmap.
    In {
        /// The values.
        values: Vec<Value>,
        /// The values as a country set, when they are countries.
        countries: CountrySet,
    },
    /// A country field is a member of the named group on the effective date, resolved to its membership once.
    InGroup {
        /// The group's name as written.
        group: String,
        /// Its members, by date.
        members: Membership,
    },
    /// A code field is the code or under it.
    Under(ControlCode),
    /// An ordered comparison with a bound.
    Cmp(CmpOp, Value),
}

impl Test {
    /// `field in values`, normalised.
    pub fn is_in(mut values: Vec<Value>) -> Test {
        values.sort();
        values.dedup();
        let countries = values
            .iter()
            .filter_map(|v| match v {
                Value::Country(c) => Some(*c),
                _ => None,
            })
            .collect();
        Test::In { values, countries }
    }
}

/// A condition over a case.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Condition {
    /// Holds for every case.
    Always,
    /// Every one holds (`Always` when empty).
    All(Vec<Condition>),
    /// At least one holds (never, when empty).
    Any(Vec<Condition>),
    /// Does not hold.
    Not(Box<Condition>),
    /// A test of one field.
    Test {
        /// The field.
        field: FieldId,
        /// The test.
        test: Test,
    },
}

impl Condition {
    /// The condition in words, for people reading a rule book (reports, reviews): field names as the schema
    /// spells them, values as rule books write them.
    ///
    /// ```
    /// use control_core::{Condition, Schema, Value, ir::{CmpOp, Test}};
    /// let schema = Schema::transaction();
    /// let (dest, _) = schema.field("destination").unwrap();
    /// let (date, _) = schema.field("date").unwrap();
    /// let c = Condition::All(vec![
    ///     Condition::eq(dest, Value::Country(control_core::Country::CN)),
    ///     Condition::Test { field: date, test: Test::Cmp(CmpOp::Ge, Value::Date(control_core::parse_date("2023-10-17").unwrap())) },
    /// ]);
    /// assert_eq!(c.describe(schema), "destination is CN and date is on or after 2023-10-17");
    /// let not_cn = Condition::Not(Box::new(Condition::eq(dest, Value::Country(control_core::Country::CN))));
    /// assert_eq!(not_cn.describe(schema), "destination is not CN");
    /// ```
    pub fn describe(&self, schema: &crate::schema::Schema) -> String {
        let nested = |c: &Condition| match c {
            Condition::All(cs) | Condition::Any(cs) if cs.len() > 1 => {
                format!("({})", c.describe(schema))
            }
            _ => c.describe(schema),
        };
        match self {
            Condition::Always => "always".into(),
            Condition::All(cs) if cs.is_empty() => "always".into(),
            Condition::Any(cs) if cs.is_empty() => "never".into(),
            Condition::All(cs) => cs.iter().map(nested).collect::<Vec<_>>().join(" and "),
            Condition::Any(cs) => cs.iter().map(nested).collect::<Vec<_>>().join(" or "),
            Condition::Not(c) => match &**c {
                // "destination is not CN" reads better than "not destination is CN".
                Condition::Test { .. } => {
                    let positive = c.describe(schema);
                    for (is, isnt) in [
                        (" is one of ", " is not one of "),
                        (" is in group ", " is not in group "),
                        (" is ", " is not "),
                    ] {
                        if let Some(i) = positive.find(is) {
                            let (field, rest) = positive.split_at(i);
                            let rest = &rest[is.len()..];
                            return match rest.strip_suffix(" or under it") {
                                Some(code) => format!("{field} is neither {code} nor under it"),
                                None => format!("{field}{isnt}{rest}"),
                            };
                        }
                    }
                    format!("not {positive}")
                }
                other => format!("not {}", nested(other)),
            },
            Condition::Test { field, test } => {
                let Some(f) = schema.fields.get(*field) else {
                    return format!("field #{field} (not in the schema)");
                };
                let text = |v: &Value| match f.ty.value_to_json(v) {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                let name = &f.name;
                let dated = matches!(f.ty, crate::schema::FieldType::Date);
                match test {
                    Test::Eq(v) => format!("{name} is {}", text(v)),
                    Test::In { values, .. } => {
                        let vs: Vec<String> = values.iter().map(text).collect();
                        format!("{name} is one of {}", vs.join(", "))
                    }
                    Test::InGroup { group, .. } => format!("{name} is in group {group}"),
                    Test::Under(code) => format!("{name} is {code} or under it"),
                    Test::Cmp(op, v) => {
                        let words = match (op, dated) {
                            (CmpOp::Lt, true) => "before",
                            (CmpOp::Le, true) => "on or before",
                            (CmpOp::Gt, true) => "after",
                            (CmpOp::Ge, true) => "on or after",
                            (CmpOp::Lt, false) => "less than",
                            (CmpOp::Le, false) => "at most",
                            (CmpOp::Gt, false) => "more than",
                            (CmpOp::Ge, false) => "at least",
                        };
                        format!("{name} is {words} {}", text(v))
                    }
                }
            }
        }
    }

    /// `field == value`.
    pub fn eq(field: FieldId, value: Value) -> Condition {
        Condition::Test {
            field,
            test: Test::Eq(value),
        }
    }

    /// `field in values`.
    pub fn is_in(field: FieldId, values: Vec<Value>) -> Condition {
        Condition::Test {
            field,
            test: Test::is_in(values),
        }
    }

    /// `field under code`.
    pub fn under(field: FieldId, code: ControlCode) -> Condition {
        Condition::Test {
            field,
            test: Test::Under(code),
        }
    }

    /// `field op bound`.
    pub fn cmp(field: FieldId, op: CmpOp, bound: Value) -> Condition {
        Condition::Test {
            field,
            test: Test::Cmp(op, bound),
        }
    }

    /// The negation.
    pub fn negate(self) -> Condition {
        Condition::Not(Box::new(self))
    }

    /// The first levels of control code (`3B001` for `3B001.f.4`) that the condition confines `field` to, when
    /// it does so at the top (a test of the field, a conjunct that is one, or alternatives that all are).
    /// Evaluators use it to look only at the rules that can match a case's code.
    pub fn code_roots(&self, field: FieldId) -> Option<Vec<String>> {
        let root = |code: &ControlCode| {
            code.as_str()
                .split('.')
                .next()
                .unwrap_or_default()
                .to_owned()
        };
        let mut roots = match self {
            Condition::Test { field: f, test } if *f == field => match test {
                Test::Under(code) | Test::Eq(Value::Code(code)) => vec![root(code)],
                Test::In { values, .. } => values
                    .iter()
                    .filter_map(|v| {
                        if let Value::Code(c) = v {
                            Some(root(c))
                        } else {
                            None
                        }
                    })
                    .collect(),
                _ => return None,
            },
            Condition::All(cs) => return cs.iter().find_map(|c| c.code_roots(field)),
            Condition::Any(cs) if !cs.is_empty() => {
                let mut all = Vec::new();
                for c in cs {
                    all.extend(c.code_roots(field)?);
                }
                all
            }
            _ => return None,
        };
        roots.sort();
        roots.dedup();
        Some(roots)
    }

    /// Every field test in the condition, in order.
    pub fn tests(&self) -> Vec<(FieldId, &Test)> {
        let mut out = Vec::new();
        self.collect_tests(&mut out);
        out
    }

    fn collect_tests<'a>(&'a self, out: &mut Vec<(FieldId, &'a Test)>) {
        match self {
            Condition::Always => {}
            Condition::All(cs) | Condition::Any(cs) => cs.iter().for_each(|c| c.collect_tests(out)),
            Condition::Not(c) => c.collect_tests(out),
            Condition::Test { field, test } => out.push((*field, test)),
        }
    }
}

//! Table-driven evaluation, for large rule sets: `rules!` writes every rule's condition as constant data and
//! this one small matcher, monomorphised for the case type, evaluates it. rustc then checks a few constant
//! arrays instead of one function per rule, which is what keeps `cargo check` short for thousands of rules.
//!
//! The tables are flat: a condition is a run of nodes in prefix order, in which `ALL`, `ANY` and `NOT` give the
//! length of their subtree, and every node points into the small typed tables (values, lists, sets, groups)
//! by index. Rules, nodes and the dispatch index are byte strings of fixed-width records, so that rustc sees
//! one literal where it would otherwise type-check every element.
//!
//! The semantics are the definition's ([`crate::Condition::holds`]); the differential tests hold both
//! expansions to it.

use std::cmp::Ordering;

use jiff::civil::Date;

use crate::schema::{CaseView, ValueRef};
use crate::semantics::{Env, Scenario};
use crate::vocab::code::ControlCode;
use crate::vocab::country::Country;
use crate::vocab::group::CountrySet;

/// The kinds of [`Tables::nodes`].
pub mod kind {
    /// Holds.
    pub const TRUE: u8 = 0;
    /// Does not hold.
    pub const FALSE: u8 = 1;
    /// Every subtree that follows, up to the node's length `arg` (itself included), holds.
    pub const ALL: u8 = 2;
    /// Some subtree that follows, up to the node's length `arg`, holds.
    pub const ANY: u8 = 3;
    /// The subtree that follows does not hold; `arg` is the length with it.
    pub const NOT: u8 = 4;
    /// The field equals `values[arg]`.
    pub const EQ: u8 = 5;
    /// The field equals one of `values[lists[arg]]`.
    pub const IN: u8 = 6;
    /// The field is a country in `sets[arg]`.
    pub const IN_SET: u8 = 7;
    /// The field is a country in the group `groups[arg]` on the effective date.
    pub const IN_GROUP: u8 = 8;
    /// The field is a code that is `values[arg]` (a code) or under it.
    pub const UNDER: u8 = 9;
    /// The field is less than `values[arg]`.
    pub const LT: u8 = 10;
    /// At most `values[arg]`.
    pub const LE: u8 = 11;
    /// Greater than `values[arg]`.
    pub const GT: u8 = 12;
    /// At least `values[arg]`.
    pub const GE: u8 = 13;
}

/// The bytes of one node: its kind, three zero bytes, the field and the argument (`u32`, little-endian).
pub const NODE_BYTES: usize = 12;
/// The bytes of one rule: 1 if proposed, three zero bytes, the period and the first node (`u32`,
/// little-endian).
pub const RULE_BYTES: usize = 12;

/// Appends a node to a node table.
pub fn push_node(out: &mut Vec<u8>, kind: u8, field: u32, arg: u32) {
    out.extend_from_slice(&[kind, 0, 0, 0]);
    out.extend_from_slice(&field.to_le_bytes());
    out.extend_from_slice(&arg.to_le_bytes());
}

/// Appends a rule to a rule table.
pub fn push_rule(out: &mut Vec<u8>, proposed: bool, period: u32, when: u32) {
    out.extend_from_slice(&[u8::from(proposed), 0, 0, 0]);
    out.extend_from_slice(&period.to_le_bytes());
    out.extend_from_slice(&when.to_le_bytes());
}

/// Sets the argument of the node at `index` (a length known only after its subtree).
pub fn set_arg(nodes: &mut [u8], index: usize, arg: u32) {
    nodes[index * NODE_BYTES + 8..index * NODE_BYTES + 12].copy_from_slice(&arg.to_le_bytes());
}

/// A rule set's tables. Rules, nodes and the dispatch index are byte strings (fixed-width records, see
/// [`push_node`], [`push_rule`]): one literal each, which rustc does not type-check element by element. The
/// small tables they point into (values, sets, groups, periods) are typed and hold each entry once.
#[derive(Debug)]
pub struct Tables {
    /// The rules, by id: [`RULE_BYTES`] each.
    pub rules: &'static [u8],
    /// The conditions of every rule, each a run of nodes in prefix order: [`NODE_BYTES`] each.
    pub nodes: &'static [u8],
    /// Rule periods, `[from, until)`; `(None, None)` is always.
    pub periods: &'static [(Option<Date>, Option<Date>)],
    /// Constant values.
    pub values: &'static [Val],
    /// Lists of values: ranges of [`Tables::values`] (start, length).
    pub lists: &'static [(u32, u32)],
    /// Country sets: lists of countries and the undated members of groups.
    pub sets: &'static [CountrySet],
    /// Groups: the set of their undated members, and a range of [`Tables::dated`] (start, length).
    pub groups: &'static [(u32, u32, u32)],
    /// The members of groups for a period only.
    pub dated: &'static [Dated],
    /// The rules tried for every case (`u32`, little-endian).
    pub always: &'static [u8],
    /// The sorted first levels of codes that have rules, packed as by `root_key_of` (`u64`, big-endian).
    pub roots: &'static [u8],
    /// Where each root's rules start in [`Tables::by_root`], and where the last ends (`u32`, little-endian).
    pub root_at: &'static [u8],
    /// The rules of each root in turn (`u32`, little-endian).
    pub by_root: &'static [u8],
}

/// A constant value.
#[derive(Clone, Copy, Debug)]
pub enum Val {
    /// A boolean.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A decimal, by its units.
    Decimal(i64),
    /// A date.
    Date(Date),
    /// A country.
    Country(Country),
    /// A control code, as canonical text.
    Code(&'static str),
    /// A party id.
    Party(&'static str),
    /// An enum value, by position.
    Enum(u32),
}

/// A member of a group for a period only.
#[derive(Clone, Copy, Debug)]
pub struct Dated {
    /// The member.
    pub country: Country,
    /// Its first day, if any.
    pub from: Option<Date>,
    /// Its first day no longer a member, if any.
    pub until: Option<Date>,
}

/// The `u32` (little-endian) at `bytes[at..at + 4]`: one bounds check, not four.
#[inline(always)]
fn u32_at(bytes: &[u8], at: usize) -> u32 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(b)
}

impl Tables {
    /// Writes to `applying` the rules that apply to `case` (in no particular order) and returns how many:
    /// those tried always and those of the first level of the case's dispatch code, `root` (packed).
    /// `applying` must have room for the rules tried always plus the largest root's.
    #[inline]
    pub fn applying<C: CaseView + ?Sized>(
        &self,
        case: &C,
        scenario: &Scenario,
        env: Env<'_>,
        root: Option<u64>,
        applying: &mut [u32],
    ) -> usize {
        let n = self.collect(self.always, case, scenario, env, applying, 0);
        match root.and_then(|key| self.root(key)) {
            Some(r) => {
                let (from, to) = (u32_at(self.root_at, r * 4), u32_at(self.root_at, r * 4 + 4));
                let ids = &self.by_root[from as usize * 4..to as usize * 4];
                self.collect(ids, case, scenario, env, applying, n)
            }
            None => n,
        }
    }

    /// The position of `key` in [`Tables::roots`].
    fn root(&self, key: u64) -> Option<usize> {
        let key_at = |i: usize| {
            let mut k = [0u8; 8];
            k.copy_from_slice(&self.roots[i * 8..i * 8 + 8]);
            u64::from_be_bytes(k)
        };
        let (mut lo, mut hi) = (0, self.roots.len() / 8);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match key_at(mid).cmp(&key) {
                Ordering::Less => lo = mid + 1,
                Ordering::Greater => hi = mid,
                Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// Adds to `applying[n..]` the rules of `ids` (`u32`, little-endian) that apply; returns the new count.
    #[inline]
    fn collect<C: CaseView + ?Sized>(
        &self,
        ids: &[u8],
        case: &C,
        scenario: &Scenario,
        env: Env<'_>,
        applying: &mut [u32],
        mut n: usize,
    ) -> usize {
        for id in ids.chunks_exact(4) {
            let id = u32::from_le_bytes([id[0], id[1], id[2], id[3]]);
            if self.applies(id, case, scenario, env) {
                applying[n] = id;
                n += 1;
            }
        }
        n
    }

    /// Whether rule `id` applies: its status, its period on the effective date, its condition.
    #[inline]
    pub fn applies<C: CaseView + ?Sized>(
        &self,
        id: u32,
        case: &C,
        scenario: &Scenario,
        env: Env<'_>,
    ) -> bool {
        let at = id as usize * RULE_BYTES;
        let b = &self.rules[at..at + RULE_BYTES];
        let (from, until) = self.periods[u32_at(b, 4) as usize];
        (b[0] == 0 || scenario.proposals)
            && ((from.is_none() && until.is_none())
                || env.date.is_some_and(|d| within(d, from, until)))
            && self.holds(u32_at(b, 8) as usize, case, env)
    }

    /// The kind, field and argument of node `i`.
    #[inline]
    fn node(&self, i: usize) -> (u8, u32, u32) {
        let b = &self.nodes[i * NODE_BYTES..(i + 1) * NODE_BYTES];
        (b[0], u32_at(b, 4), u32_at(b, 8))
    }

    /// Whether the condition at node `i` holds.
    pub fn holds<C: CaseView + ?Sized>(&self, i: usize, case: &C, env: Env<'_>) -> bool {
        let (k, field, arg) = self.node(i);
        match k {
            kind::TRUE => true,
            kind::FALSE => false,
            kind::ALL => {
                let (mut j, end) = (i + 1, i + arg as usize);
                while j < end {
                    if !self.holds(j, case, env) {
                        return false;
                    }
                    j += self.len(j);
                }
                true
            }
            kind::ANY => {
                let (mut j, end) = (i + 1, i + arg as usize);
                while j < end {
                    if self.holds(j, case, env) {
                        return true;
                    }
                    j += self.len(j);
                }
                false
            }
            kind::NOT => !self.holds(i + 1, case, env),
            test => case
                .get(field as usize)
                .is_some_and(|v| self.test(test, arg, v, env)),
        }
    }

    /// The number of nodes of the subtree at node `i`.
    #[inline]
    fn len(&self, i: usize) -> usize {
        match self.node(i) {
            (kind::ALL | kind::ANY | kind::NOT, _, len) => len as usize,
            _ => 1,
        }
    }

    fn test(&self, test: u8, arg: u32, value: ValueRef<'_>, env: Env<'_>) -> bool {
        let value = match value {
            ValueRef::Country(c) => ValueRef::Country(env.country(c)),
            other => other,
        };
        let arg = arg as usize;
        match test {
            kind::EQ => self.values[arg].equals(value),
            kind::IN => {
                let (start, len) = self.lists[arg];
                self.values[start as usize..(start + len) as usize]
                    .iter()
                    .any(|v| v.equals(value))
            }
            kind::IN_SET => {
                matches!(value, ValueRef::Country(c) if self.sets[arg].contains(c))
            }
            kind::IN_GROUP => match value {
                ValueRef::Country(c) => {
                    let (set, start, len) = self.groups[arg];
                    self.sets[set as usize].contains(c)
                        || env.date.is_some_and(|d| {
                            self.dated[start as usize..(start + len) as usize]
                                .iter()
                                .any(|m| m.country == c && within(d, m.from, m.until))
                        })
                }
                _ => false,
            },
            kind::UNDER => match (value, self.values[arg]) {
                (ValueRef::Code(c), Val::Code(prefix)) => super::code_is_under(&c, prefix),
                _ => false,
            },
            kind::LT => self.values[arg].bounds(value) == Some(Ordering::Less),
            kind::LE => self.values[arg].bounds(value).is_some_and(Ordering::is_le),
            kind::GT => self.values[arg].bounds(value) == Some(Ordering::Greater),
            kind::GE => self.values[arg].bounds(value).is_some_and(Ordering::is_ge),
            // No other kind is written; a table that has one is not this crate's, and its test fails.
            _ => false,
        }
    }
}

/// Whether `d` is within the period `[from, until)`.
#[inline]
fn within(d: Date, from: Option<Date>, until: Option<Date>) -> bool {
    from.is_none_or(|f| f <= d) && until.is_none_or(|u| d < u)
}

impl Val {
    /// Whether `value` is this value (of the same type).
    #[inline]
    fn equals(self, value: ValueRef<'_>) -> bool {
        match (self, value) {
            (Val::Bool(a), ValueRef::Bool(b)) => a == b,
            (Val::Int(a), ValueRef::Int(b)) => a == b,
            (Val::Decimal(a), ValueRef::Decimal(b)) => a == b.units(),
            (Val::Date(a), ValueRef::Date(b)) => a == b,
            (Val::Country(a), ValueRef::Country(b)) => a == b,
            (Val::Code(a), ValueRef::Code(b)) => code_is(&b, a),
            (Val::Party(a), ValueRef::Party(b)) => a == b,
            (Val::Enum(a), ValueRef::Enum(b)) => a == b,
            _ => false,
        }
    }

    /// How `value` compares with this bound, if both have one ordered type.
    #[inline]
    fn bounds(self, value: ValueRef<'_>) -> Option<Ordering> {
        match (value, self) {
            (ValueRef::Int(x), Val::Int(b)) => Some(x.cmp(&b)),
            (ValueRef::Decimal(x), Val::Decimal(b)) => Some(x.units().cmp(&b)),
            (ValueRef::Date(x), Val::Date(b)) => Some(x.cmp(&b)),
            _ => None,
        }
    }
}

#[inline]
fn code_is(code: &ControlCode, text: &str) -> bool {
    code.as_bytes() == text.as_bytes()
}

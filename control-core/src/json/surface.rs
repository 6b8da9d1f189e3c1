//! A document as surface rules, each piece with its JSON path as origin, for the shared lowering. Shape errors
//! (an object that is no one kind of condition or outcome) are JSON's own and are collected here.

use crate::ir::{CmpOp, Status};
use crate::json::ShapeError;
use crate::json::doc::{ConditionDoc, RuleDoc};
use crate::lower::{
    Located, SurfaceCondition, SurfaceOp, SurfaceOutcome, SurfaceRule, SurfaceValue,
};
use crate::schema::json_kind;

/// A JSON path as a key that orders paths as the document does (indices as numbers).
pub(super) fn path_key(path: &str) -> Vec<(String, u64)> {
    path.split(['.', '['])
        .map(
            |part| match part.strip_suffix(']').and_then(|n| n.parse().ok()) {
                Some(n) => (String::new(), n),
                None => (part.to_owned(), 0),
            },
        )
        .collect()
}

pub(super) fn surface_rule(
    i: usize,
    r: &RuleDoc,
    shapes: &mut Vec<(String, ShapeError)>,
) -> SurfaceRule<String> {
    let p = format!("rules[{i}]");
    let date = |v: &Option<serde_json::Value>, key: &str| {
        v.as_ref()
            .map(|v| Located::new(surface_value(v), format!("{p}.{key}")))
    };
    SurfaceRule {
        name: Located::new(r.name.clone(), format!("{p}.name")),
        doc: r.doc.clone(),
        citation: r.citation.clone(),
        from: date(&r.from, "from"),
        until: date(&r.until, "until"),
        proposed: r.status == Status::Proposed,
        overrides: r
            .overrides
            .iter()
            .enumerate()
            .map(|(k, o)| Located::new(o.clone(), format!("{p}.overrides[{k}]")))
            .collect(),
        overrides_at: Some(format!("{p}.overrides")),
        allow_dead: r.allow_dead,
        cumulative: r.cumulative,
        when: r
            .when
            .as_ref()
            .map(|c| surface_condition(c, &format!("{p}.when"), shapes)),
        then: r.then.as_ref().map(|t| {
            let path = format!("{p}.then");
            // A malformed outcome is reported as a shape error; a stand-in keeps the lowering from also
            // reporting the rule as having none (a missing `then` is the lowering's to report).
            surface_outcome(t, &path, shapes).unwrap_or_else(|| SurfaceOutcome {
                kind: Located::new("not_controlled".into(), path.clone()),
                arg: None,
                at: path,
            })
        }),
    }
}

/// A JSON value as written.
pub(super) fn surface_value(j: &serde_json::Value) -> SurfaceValue {
    match j {
        serde_json::Value::String(s) => SurfaceValue::Text(s.clone()),
        serde_json::Value::Number(n) => SurfaceValue::Number(n.to_string()),
        serde_json::Value::Bool(b) => SurfaceValue::Bool(*b),
        other => SurfaceValue::Invalid(json_kind(other)),
    }
}

/// `"prohibited"` or `{"licence_required": "case_by_case"}`.
pub(super) fn surface_outcome(
    j: &serde_json::Value,
    path: &str,
    shapes: &mut Vec<(String, ShapeError)>,
) -> Option<SurfaceOutcome<String>> {
    match j {
        serde_json::Value::String(kind) => Some(SurfaceOutcome {
            kind: Located::new(kind.clone(), path.to_owned()),
            arg: None,
            at: path.to_owned(),
        }),
        serde_json::Value::Object(m) if m.len() == 1 => {
            let (kind, arg) = m.iter().next()?;
            let arg_path = format!("{path}.{kind}");
            let arg = match arg {
                serde_json::Value::String(a) => Located::new(a.clone(), arg_path),
                other => {
                    shapes.push((arg_path, ShapeError::Outcome(json_kind(other))));
                    return None;
                }
            };
            Some(SurfaceOutcome {
                kind: Located::new(kind.clone(), path.to_owned()),
                arg: Some(arg),
                at: path.to_owned(),
            })
        }
        other => {
            shapes.push((path.to_owned(), ShapeError::Outcome(json_kind(other))));
            None
        }
    }
}

/// The operators of a condition object, each with its key.
fn surface_ops(c: &ConditionDoc, path: &str) -> Vec<(&'static str, SurfaceOp<String>)> {
    let v =
        |key: &str, j: &serde_json::Value| Located::new(surface_value(j), format!("{path}.{key}"));
    let list = |key: &str, js: &[serde_json::Value]| {
        js.iter()
            .enumerate()
            .map(|(i, j)| Located::new(surface_value(j), format!("{path}.{key}[{i}]")))
            .collect()
    };
    let text = |key: &str, t: &str| Located::new(t.to_owned(), format!("{path}.{key}"));
    let mut ops = Vec::new();
    if let Some(j) = &c.eq {
        ops.push(("eq", SurfaceOp::Eq(v("eq", j))));
    }
    if let Some(j) = &c.ne {
        ops.push(("ne", SurfaceOp::Ne(v("ne", j))));
    }
    if let Some(js) = &c.in_ {
        ops.push(("in", SurfaceOp::In(list("in", js))));
    }
    if let Some(js) = &c.not_in {
        ops.push(("not_in", SurfaceOp::NotIn(list("not_in", js))));
    }
    if let Some(g) = &c.in_group {
        ops.push(("in_group", SurfaceOp::InGroup(text("in_group", g))));
    }
    if let Some(code) = &c.under {
        ops.push(("under", SurfaceOp::Under(text("under", code))));
    }
    for (key, op, bound) in [
        ("lt", CmpOp::Lt, &c.lt),
        ("le", CmpOp::Le, &c.le),
        ("gt", CmpOp::Gt, &c.gt),
        ("ge", CmpOp::Ge, &c.ge),
    ] {
        if let Some(j) = bound {
            ops.push((key, SurfaceOp::Cmp(op, v(key, j))));
        }
    }
    ops
}

/// A condition object as a surface condition; shape errors (not one kind of condition) are collected apart.
pub(super) fn surface_condition(
    c: &ConditionDoc,
    path: &str,
    shapes: &mut Vec<(String, ShapeError)>,
) -> SurfaceCondition<String> {
    let ops = surface_ops(c, path);
    let kinds = [
        c.all.is_some(),
        c.any.is_some(),
        c.not.is_some(),
        c.always.is_some(),
        c.field.is_some() || !ops.is_empty(),
    ];
    let mut shape = |e| {
        shapes.push((path.to_owned(), e));
        SurfaceCondition::Always
    };
    match kinds.iter().filter(|k| **k).count() {
        0 => return shape(ShapeError::EmptyCondition),
        1 => {}
        _ => return shape(ShapeError::SeveralKinds),
    }
    if let Some(name) = &c.field {
        if ops.is_empty() {
            return shape(ShapeError::NoOperator(name.clone()));
        }
        return SurfaceCondition::Test {
            field: Located::new(name.clone(), format!("{path}.field")),
            ops: ops
                .into_iter()
                .map(|(key, op)| Located::new(op, format!("{path}.{key}")))
                .collect(),
        };
    }
    if !ops.is_empty() {
        return shape(ShapeError::NoField);
    }
    let sub = |cs: &[ConditionDoc], key: &str, shapes: &mut Vec<(String, ShapeError)>| {
        cs.iter()
            .enumerate()
            .map(|(i, c)| surface_condition(c, &format!("{path}.{key}[{i}]"), shapes))
            .collect()
    };
    if let Some(cs) = &c.all {
        SurfaceCondition::All(sub(cs, "all", shapes))
    } else if let Some(cs) = &c.any {
        SurfaceCondition::Any(sub(cs, "any", shapes))
    } else if let Some(inner) = &c.not {
        SurfaceCondition::Not(Box::new(surface_condition(
            inner,
            &format!("{path}.not"),
            shapes,
        )))
    } else if c.always == Some(false) {
        SurfaceCondition::Never
    } else {
        SurfaceCondition::Always
    }
}

//! `control report`: a rule book as a compliance officer reads it — one table of rules (condition in words,
//! outcome, citation, period, status), the override relations as a graph, the cumulative requirements, the country groups, control codes
//! and parties it reads, and the analysis result — as static HTML (no JavaScript) or Markdown.

use std::collections::BTreeMap;

use control_core::ir::{Condition, Fallback, Status, Test};
use control_core::schema::FieldType;
use control_core::{RuleSet, Schema};
use minijinja::Environment;
use serde::Serialize;

use crate::book::{Checked, Problem};

/// The report's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Static HTML with an inline SVG graph.
    Html,
    /// Markdown with a Mermaid graph.
    Markdown,
}

#[derive(Serialize)]
struct View<'a> {
    file: &'a str,
    name: &'a str,
    regime: &'a str,
    doc: &'a str,
    schema: &'a str,
    jurisdiction: String,
    fallback: String,
    status: &'static str,
    status_text: String,
    problems: &'a [Problem],
    in_force: usize,
    proposed: usize,
    rules: Vec<RuleView>,
    graph_svg: String,
    edges: Vec<Edge>,
    cumulative: Vec<String>,
    groups: Vec<GroupView>,
    codes: Vec<CodeView>,
    parties: Vec<PartyView>,
    generated_by: &'static str,
}

#[derive(Serialize)]
struct RuleView {
    index: usize,
    name: String,
    doc: String,
    condition: String,
    outcome: String,
    citation: Option<String>,
    period: String,
    status: &'static str,
    cumulative: bool,
    overrides: Vec<String>,
    notes: Vec<String>,
}

#[derive(Serialize)]
struct Edge {
    from: String,
    to: String,
}

#[derive(Serialize)]
struct GroupView {
    name: String,
    members: Vec<String>,
    source: String,
    as_of: String,
    used_by: Vec<String>,
}

#[derive(Serialize)]
struct CodeView {
    code: String,
    test: &'static str,
    used_by: Vec<String>,
}

#[derive(Serialize)]
struct PartyView {
    id: String,
    name: String,
    country: Option<String>,
    aliases: Vec<String>,
}

/// Renders the report of a checked rule book whose structure is sound; `None` when it is not (then only
/// `check`'s problems can be shown).
pub fn render(checked: &Checked, format: Format) -> Option<Result<String, String>> {
    let rs = checked.rule_set.as_ref()?;
    let schema = rs.schema();
    let problems: &[Problem] = &checked.problems;
    let mut notes: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for p in problems {
        if let Some(i) = rule_index(&p.path) {
            notes
                .entry(i)
                .or_default()
                .push(format!("{}: {}", p.rule, p.message));
        }
    }
    let rules: Vec<RuleView> = rs
        .rules()
        .iter()
        .enumerate()
        .map(|(i, r)| RuleView {
            index: i,
            name: r.name.clone(),
            doc: r.doc.clone(),
            condition: r.when.describe(schema),
            outcome: r.then.to_string(),
            citation: r.citation.clone(),
            period: r.period.to_string(),
            status: match r.status {
                Status::InForce => "in force",
                Status::Proposed => "proposed",
            },
            cumulative: r.cumulative,
            overrides: r.overrides.clone(),
            notes: notes.remove(&i).unwrap_or_default(),
        })
        .collect();
    let edges: Vec<Edge> = rs
        .rules()
        .iter()
        .flat_map(|r| {
            r.overrides.iter().map(|o| Edge {
                from: r.name.clone(),
                to: o.clone(),
            })
        })
        .collect();
    let (groups_used, codes) = reads(rs);
    // The groups the rules read, whether defined here or taken from the built-in vocabulary, and the groups
    // defined here that no rule reads.
    let mut groups: Vec<GroupView> = Vec::new();
    let mut names: Vec<&String> = groups_used.keys().collect();
    for g in rs.groups() {
        if !names.contains(&&g.name) {
            names.push(&g.name);
        }
    }
    names.sort();
    for name in names {
        let defined = rs.groups().iter().find(|g| &g.name == name);
        let group = defined
            .cloned()
            .or_else(|| control_core::vocab::group::builtin_group(name));
        let Some(g) = group else { continue };
        groups.push(GroupView {
            name: g.name.clone(),
            members: g.members.iter().map(|c| c.code().to_owned()).collect(),
            source: match (defined.is_some(), g.source.is_empty()) {
                (true, true) => "defined in this rule book; no source recorded".to_owned(),
                (true, false) => format!("defined in this rule book: {}", g.source),
                (false, _) => format!("built into control-core: {}", g.source),
            },
            as_of: g
                .as_of
                .map_or_else(|| "not recorded".to_owned(), |d| d.to_string()),
            used_by: groups_used.get(name).cloned().unwrap_or_default(),
        });
    }
    let parties: Vec<PartyView> = rs
        .parties()
        .iter()
        .map(|p| PartyView {
            id: p.id.to_string(),
            name: p.name.clone(),
            country: p.country.map(|c| c.code().to_owned()),
            aliases: p.aliases.clone(),
        })
        .collect();
    let errors = problems
        .iter()
        .filter(|p| p.level == crate::book::Level::Error)
        .count();
    let status_text = if errors == 0 {
        "accepted: no contradiction, no dead rule".to_owned()
    } else {
        format!(
            "rejected: {errors} error{} (see Analysis)",
            if errors == 1 { "" } else { "s" }
        )
    };
    let proposed = rs
        .rules()
        .iter()
        .filter(|r| r.status == Status::Proposed)
        .count();
    let view = View {
        file: &checked.source.file,
        name: rs.name(),
        regime: rs.regime(),
        doc: rs.doc(),
        schema: &schema.name,
        jurisdiction: match rs.applies_when() {
            Condition::Always => "every case".to_owned(),
            c => c.describe(schema),
        },
        fallback: match rs.fallback() {
            Fallback::Otherwise(o) => o.to_string(),
            Fallback::Complete => {
                "none: the rule book is declared complete (every case is decided by a rule)"
                    .to_owned()
            }
        },
        status: if errors == 0 { "accepted" } else { "rejected" },
        status_text,
        problems,
        in_force: rs.rules().len() - proposed,
        proposed,
        rules,
        graph_svg: svg(rs),
        edges,
        cumulative: rs
            .rules()
            .iter()
            .filter(|r| r.cumulative)
            .map(|r| r.name.clone())
            .collect(),
        groups,
        codes,
        parties,
        generated_by: concat!("control ", env!("CARGO_PKG_VERSION")),
    };
    let mut env = Environment::new();
    env.add_filter("cell", |s: String| s.replace('|', "\\|").replace('\n', " "));
    let (name, source) = match format {
        Format::Html => ("report.html", include_str!("../templates/report.html")),
        Format::Markdown => ("report.md", include_str!("../templates/report.md")),
    };
    Some(
        env.add_template(name, source)
            .and_then(|()| {
                env.get_template(name)?
                    .render(minijinja::value::Serde(&view))
            })
            // The engine drops the template's last newline; a text file ends with one.
            .map(|text| text + "\n")
            .map_err(|e| format!("rendering the report: {e}")),
    )
}

/// `rules[3]` or `rules[3].when…` → 3.
fn rule_index(path: &str) -> Option<usize> {
    let rest = path.strip_prefix("rules[")?;
    rest[..rest.find(']')?].parse().ok()
}

/// Which rules read each group, and each control code the rules test.
fn reads(rs: &RuleSet) -> (BTreeMap<String, Vec<String>>, Vec<CodeView>) {
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut codes: BTreeMap<(String, &'static str), Vec<String>> = BTreeMap::new();
    let mut visit = |who: &str, c: &Condition| {
        walk(c, rs.schema(), &mut |test, ty| {
            let mut add = |key: (String, &'static str)| {
                let users = codes.entry(key).or_default();
                if !users.iter().any(|u| u == who) {
                    users.push(who.to_owned());
                }
            };
            match test {
                Test::InGroup { group, .. } => {
                    let users = groups.entry(group.clone()).or_default();
                    if !users.iter().any(|u| u == who) {
                        users.push(who.to_owned());
                    }
                }
                Test::Under(code) => add((code.to_string(), "the code or under it")),
                Test::Eq(v) if *ty == FieldType::Code => add((
                    ty.value_to_json(v).as_str().unwrap_or("").to_owned(),
                    "exactly",
                )),
                Test::In { values, .. } if *ty == FieldType::Code => {
                    for v in values {
                        add((
                            ty.value_to_json(v).as_str().unwrap_or("").to_owned(),
                            "exactly",
                        ));
                    }
                }
                _ => {}
            }
        });
    };
    visit("(jurisdiction)", rs.applies_when());
    for r in rs.rules() {
        visit(&r.name, &r.when);
    }
    let codes = codes
        .into_iter()
        .map(|((code, test), used_by)| CodeView {
            code,
            test,
            used_by,
        })
        .collect();
    (groups, codes)
}

fn walk(c: &Condition, schema: &Schema, f: &mut dyn FnMut(&Test, &FieldType)) {
    match c {
        Condition::Always => {}
        Condition::All(cs) | Condition::Any(cs) => cs.iter().for_each(|c| walk(c, schema, f)),
        Condition::Not(c) => walk(c, schema, f),
        Condition::Test { field, test } => {
            if let Some(fd) = schema.fields.get(*field) {
                f(test, &fd.ty);
            }
        }
    }
}

/// The override graph as an inline SVG: rules in columns by how many exceptions deep they are (a rule that
/// overrides nothing in the first column), an arrow from each exception to the rule it overrides.
fn svg(rs: &RuleSet) -> String {
    let rules = rs.rules();
    let involved: Vec<usize> = (0..rules.len())
        .filter(|&i| {
            !rules[i].overrides.is_empty()
                || rules.iter().any(|r| r.overrides.contains(&rules[i].name))
        })
        .collect();
    if involved.is_empty() {
        return String::new();
    }
    // Depth: 0 for a rule that overrides nothing, else one more than the deepest rule it overrides. The
    // structure check forbids cycles; the bound keeps a malformed set from looping.
    let mut depth = vec![0usize; rules.len()];
    for _ in 0..rules.len() {
        for (i, r) in rules.iter().enumerate() {
            for o in &r.overrides {
                if let Some(j) = rules.iter().position(|x| &x.name == o) {
                    depth[i] = depth[i].max(depth[j] + 1).min(rules.len());
                }
            }
        }
    }
    const CHAR: usize = 7;
    const ROW: usize = 34;
    const GAP: usize = 60;
    let columns = involved.iter().map(|&i| depth[i]).max().unwrap_or(0) + 1;
    let mut widths = vec![0usize; columns];
    let mut rows = vec![0usize; columns];
    let mut place: BTreeMap<usize, (usize, usize)> = BTreeMap::new(); // rule → (column, row)
    for &i in &involved {
        let c = depth[i];
        widths[c] = widths[c].max(rules[i].name.chars().count() * CHAR + 16);
        place.insert(i, (c, rows[c]));
        rows[c] += 1;
    }
    let x0: Vec<usize> = widths
        .iter()
        .scan(10, |x, w| {
            let here = *x;
            *x += w + GAP;
            Some(here)
        })
        .collect();
    let width = x0[columns - 1] + widths[columns - 1] + 10;
    let height = rows.iter().max().unwrap_or(&0) * ROW + 10;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"override graph\" font-family=\"monospace\" font-size=\"12\">\n<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\"/></marker></defs>\n"
    );
    let centre = |i: usize| {
        let (c, r) = place[&i];
        (x0[c], 10 + r * ROW + 11, widths[c])
    };
    for &i in &involved {
        for o in &rules[i].overrides {
            if let Some(j) = rules.iter().position(|x| &x.name == o) {
                let (xi, yi, _) = centre(i);
                let (xj, yj, wj) = centre(j);
                out += &format!(
                    "<line x1=\"{xi}\" y1=\"{yi}\" x2=\"{}\" y2=\"{yj}\" stroke=\"#555\" marker-end=\"url(#arrow)\"/>\n",
                    xj + wj
                );
            }
        }
    }
    for &i in &involved {
        let (x, y, w) = centre(i);
        let fill = if rules[i].status == Status::Proposed {
            "#fff3cd"
        } else {
            "#e8f0fe"
        };
        out += &format!(
            "<rect x=\"{x}\" y=\"{}\" width=\"{w}\" height=\"22\" rx=\"4\" fill=\"{fill}\" stroke=\"#333\"/><text x=\"{}\" y=\"{}\">{}</text>\n",
            y - 11,
            x + 8,
            y + 4,
            escape(&rules[i].name)
        );
    }
    out + "</svg>"
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

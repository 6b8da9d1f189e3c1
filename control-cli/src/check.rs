//! `control check`: every problem of every rule book, as text for people, JSON for programs, or SARIF 2.1.0
//! for code-scanning tools (each finding on its line of the file).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::book::{Checked, Level, Problem, Unreadable};

/// The outcome of checking one file.
#[derive(Debug)]
pub enum BookResult {
    /// Read and checked (maybe with problems).
    Checked(Box<Checked>),
    /// Could not be read as JSON.
    Unreadable(Unreadable),
}

impl BookResult {
    /// 0 clean (notes allowed), 1 problems, 2 unreadable.
    pub fn exit_status(&self) -> u8 {
        match self {
            BookResult::Unreadable(_) => 2,
            BookResult::Checked(c) if c.has_errors() => 1,
            BookResult::Checked(_) => 0,
        }
    }
}

/// The exit status of a run over several files: the worst of them.
pub fn exit_status(results: &[BookResult]) -> u8 {
    results
        .iter()
        .map(BookResult::exit_status)
        .max()
        .unwrap_or(0)
}

/// Text for people: `file:line:column: error[kind] path: message`, then the case and the fix, indented.
pub fn text(results: &[BookResult]) -> String {
    let mut out = String::new();
    let (mut clean, mut rejected, mut unreadable) = (0, 0, 0);
    for r in results {
        match r {
            BookResult::Unreadable(u) => {
                unreadable += 1;
                out += &format!("{}: error[unreadable]: {}\n", u.file, u.message);
            }
            BookResult::Checked(c) => {
                for p in &c.problems {
                    let level = match p.level {
                        Level::Error => "error",
                        Level::Note => "note",
                    };
                    out += &format!(
                        "{}:{}:{}: {level}[{}] {}: {}\n",
                        c.source.file,
                        p.position.line,
                        p.position.column,
                        p.rule,
                        p.path,
                        p.message
                    );
                    if let Some(case) = &p.case {
                        out += &format!("    case: {case}\n");
                    }
                    if let Some(help) = &p.help {
                        out += &format!("    help: {help}\n");
                    }
                }
                if c.has_errors() {
                    rejected += 1;
                } else {
                    clean += 1;
                    if let Some(rs) = &c.rule_set {
                        out += &format!(
                            "{}: ok: `{}` ({}), {} rule{}, no contradiction, no dead rule{}\n",
                            c.source.file,
                            rs.name(),
                            rs.regime(),
                            rs.rules().len(),
                            if rs.rules().len() == 1 { "" } else { "s" },
                            if *rs.fallback() == control_core::ir::Fallback::Complete {
                                ", no gap"
                            } else {
                                ""
                            }
                        );
                    }
                }
            }
        }
    }
    out += &format!(
        "checked {} rule book{}: {clean} clean, {rejected} with errors, {unreadable} unreadable\n",
        results.len(),
        if results.len() == 1 { "" } else { "s" }
    );
    out
}

#[derive(Serialize)]
struct JsonReport<'a> {
    tool: &'static str,
    version: &'static str,
    books: Vec<JsonBook<'a>>,
}

#[derive(Serialize)]
struct JsonBook<'a> {
    file: &'a str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    regime: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rules: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    problems: &'a [Problem],
}

/// JSON for programs: `{"tool", "version", "books": [{"file", "status", "name", "regime", "rules",
/// "problems": [{"rule", "level", "path", "line", "column", "message", "case", "witness", "help"}]}]}`.
pub fn json(results: &[BookResult]) -> String {
    let books = results
        .iter()
        .map(|r| match r {
            BookResult::Unreadable(u) => JsonBook {
                file: &u.file,
                status: "unreadable",
                name: None,
                regime: None,
                rules: None,
                error: Some(&u.message),
                problems: &[],
            },
            BookResult::Checked(c) => JsonBook {
                file: &c.source.file,
                status: if c.has_errors() { "rejected" } else { "clean" },
                name: c.rule_set.as_ref().map(|r| r.name()),
                regime: c.rule_set.as_ref().map(|r| r.regime()),
                rules: c.rule_set.as_ref().map(|r| r.rules().len()),
                error: None,
                problems: &c.problems,
            },
        })
        .collect();
    let report = JsonReport {
        tool: "control",
        version: env!("CARGO_PKG_VERSION"),
        books,
    };
    serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
}

/// What each kind of problem means, for SARIF's rule descriptions.
fn describe_rule(id: &str) -> &'static str {
    match id {
        "contradiction" => "Two rules decide one case differently and neither overrides the other.",
        "dead-rule" => "A rule can never decide a case.",
        "gap" => "A rule book declared complete leaves a case undecided.",
        "json-shape" => "The document is JSON of the wrong shape (an unknown key, a wrong type).",
        "condition-shape" => {
            "A condition or outcome object is not one kind of condition or outcome."
        }
        "format-version" => "The document declares a format version this tool does not read.",
        "unknown-schema" | "schema" => "The rule book's schema is unknown or malformed.",
        "analysis-incomplete" => "The analysis could not finish.",
        _ => "A mistake in a rule (an unknown field, a value of the wrong type, a bad reference).",
    }
}

/// Where the SARIF 2.1.0 JSON Schema is published (the log's `$schema`).
const SARIF_SCHEMA: &str = "https://schemastore.azurewebsites.net/schemas/json/sarif-2.1.0.json";

/// SARIF 2.1.0: one run, one result per problem, located at the line and column of its JSON path (columns in
/// code points), the JSON path as the logical location; an unreadable file is a tool-execution notification and
/// makes the run unsuccessful. Written with `serde_json` (the log is small; a SARIF object model crate cost a
/// minute of every cold build); the tests validate it against the OASIS schema.
pub fn sarif(results: &[BookResult]) -> Result<String, String> {
    use serde_json::json;
    let mut rules: BTreeMap<String, usize> = BTreeMap::new();
    let mut sarif_results = Vec::new();
    let mut notifications = Vec::new();
    for r in results {
        match r {
            BookResult::Unreadable(u) => notifications.push(json!({
                "level": "error",
                "locations": [file_location(&u.file, None)],
                "message": { "text": u.message },
            })),
            BookResult::Checked(c) => {
                for p in &c.problems {
                    let next = rules.len();
                    let index = *rules.entry(p.rule.clone()).or_insert(next);
                    let mut text = p.message.clone();
                    if let Some(case) = &p.case {
                        text += &format!("\ncase: {case}");
                    }
                    if let Some(help) = &p.help {
                        text += &format!("\nhelp: {help}");
                    }
                    let level = match p.level {
                        Level::Error => "error",
                        Level::Note => "note",
                    };
                    sarif_results.push(json!({
                        "level": level,
                        "locations": [file_location(&c.source.file, Some(p))],
                        "message": { "text": text },
                        "ruleId": p.rule,
                        "ruleIndex": index,
                    }));
                }
            }
        }
    }
    let mut descriptors: Vec<(String, usize)> = rules.into_iter().collect();
    descriptors.sort_by_key(|(_, i)| *i);
    let descriptors: Vec<serde_json::Value> = descriptors
        .into_iter()
        .map(|(id, _)| json!({ "id": id, "shortDescription": { "text": describe_rule(&id) } }))
        .collect();
    // Keys in alphabetical order, as the golden output has them, whether or not serde_json preserves order.
    let invocation = json!({
        "executionSuccessful": notifications.is_empty(),
        "toolExecutionNotifications": notifications,
    });
    let log = json!({
        "$schema": SARIF_SCHEMA,
        "runs": [{
            "columnKind": "unicodeCodePoints",
            "invocations": [invocation],
            "results": sarif_results,
            "tool": { "driver": {
                "informationUri": "https://example.invalid/control-rules",
                "name": "control",
                "rules": descriptors,
                "version": env!("CARGO_PKG_VERSION"),
            } },
        }],
        "version": "2.1.0",
    });
    serde_json::to_string_pretty(&log)
        .map(|s| s + "\n")
        .map_err(|e| e.to_string())
}

/// The file, and the problem's line, column and JSON path within it.
fn file_location(file: &str, problem: Option<&Problem>) -> serde_json::Value {
    let artifact = serde_json::json!({ "uri": file.replace('\\', "/") });
    match problem {
        None => serde_json::json!({ "physicalLocation": { "artifactLocation": artifact } }),
        Some(p) => serde_json::json!({
            "logicalLocations": [{ "fullyQualifiedName": p.path, "kind": "member" }],
            "physicalLocation": {
                "artifactLocation": artifact,
                "region": { "startColumn": p.position.column, "startLine": p.position.line },
            },
        }),
    }
}

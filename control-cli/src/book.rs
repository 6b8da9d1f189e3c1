//! Reading a rule-book file and checking it: every problem with its JSON path, its line and column, the
//! witness case and the fix in the JSON format's words.

use std::path::Path;

use control_core::analysis::Analysed;
use control_core::json::{self, Finding, JsonSyntax, LoadError, LoadErrorKind};
use control_core::{Interpreter, RuleSet, Transaction};
use serde::Serialize;

use crate::positions::{Position, Positions};

/// A rule-book file's text and the positions of its JSON paths.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file as the user named it.
    pub file: String,
    /// Its text.
    pub text: String,
    /// Where each JSON path is.
    pub positions: Positions,
}

/// A file that could not be read as JSON at all: missing, a directory, not UTF-8, not JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unreadable {
    /// The file.
    pub file: String,
    /// Why, with the line and column for JSON that does not parse.
    pub message: String,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

/// Reads `path` and checks that it is JSON (its shape as a rule book is [`check`]'s business).
pub fn read(path: &Path) -> Result<Source, Unreadable> {
    let file = path.display().to_string();
    let fail = |message: String| Unreadable {
        file: file.clone(),
        message,
    };
    if path.is_dir() {
        return Err(fail("is a directory, not a rule book".into()));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        fail(format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&text) {
        let message = e.to_string();
        let message = message
            .rfind(" at line ")
            .map_or(message.as_str(), |i| &message[..i]);
        return Err(fail(format!(
            "not JSON: {message} (line {}, column {})",
            e.line(),
            e.column()
        )));
    }
    let positions = Positions::of(&text);
    Ok(Source {
        file,
        text,
        positions,
    })
}

/// How serious a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The rule book is rejected.
    Error,
    /// Worth a reader's attention; the rule book is accepted (a rule kept with `"allow_dead": true`).
    Note,
}

/// One problem, located in the file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    /// A stable identifier of the kind of problem (`contradiction`, `dead-rule`, `unknown-field`, …).
    pub rule: String,
    /// Error or note.
    pub level: Level,
    /// The JSON path (`rules[2].when.all[0]`).
    pub path: String,
    /// Where the path is in the file.
    #[serde(flatten)]
    pub position: Position,
    /// What is wrong, in the JSON format's words.
    pub message: String,
    /// A concrete case that shows it (contradictions and gaps), for people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    /// The same case as a JSON object, ready for `control explain --case`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub witness: Option<serde_json::Value>,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

/// A checked rule book.
#[derive(Debug)]
pub struct Checked {
    /// The file.
    pub source: Source,
    /// The rule set, when its structure is sound (even if the analysis rejects it).
    pub rule_set: Option<RuleSet>,
    /// The rule set, when the analysis accepts it.
    pub analysed: Option<Analysed>,
    /// Every problem, in document order, then notes.
    pub problems: Vec<Problem>,
}

impl Checked {
    /// Whether any problem rejects the rule book.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.level == Level::Error)
    }

    /// The accepted rule book as an interpreter over transactions.
    pub fn interpreter(&self) -> Option<Result<Interpreter<Transaction>, String>> {
        self.analysed
            .clone()
            .map(|a| Interpreter::new(a).map_err(|e| format!("{}: {e}", self.source.file)))
    }
}

/// Loads, lowers and analyses a rule book, collecting every problem.
pub fn check(source: Source) -> Checked {
    let locate = |e: LoadError| problem(&source.positions, e);
    match json::parse_rule_set(&source.text) {
        Err(errors) => {
            let problems = in_file_order(errors.0.into_iter().map(locate).collect());
            Checked {
                source,
                rule_set: None,
                analysed: None,
                problems,
            }
        }
        Ok(rs) => match json::check_analysis(rs.clone()) {
            Err(errors) => {
                let problems = in_file_order(errors.0.into_iter().map(locate).collect());
                Checked {
                    source,
                    rule_set: Some(rs),
                    analysed: None,
                    problems,
                }
            }
            Ok(analysed) => {
                let problems = analysed
                    .report()
                    .dead_rules
                    .iter()
                    .filter(|d| d.allowed)
                    .map(|d| {
                        let path = format!("rules[{}]", d.rule);
                        Problem {
                            rule: "dead-rule".into(),
                            level: Level::Note,
                            position: source.positions.find(&path),
                            path,
                            message: format!(
                                "{} (kept on purpose: \"allow_dead\": true)",
                                d.message()
                            ),
                            case: None,
                            witness: None,
                            help: None,
                        }
                    })
                    .collect();
                Checked {
                    source,
                    rule_set: Some(rs),
                    analysed: Some(analysed),
                    problems,
                }
            }
        },
    }
}

/// Problems in the order of their lines in the file (a stable sort keeps the loader's order on one line).
fn in_file_order(mut problems: Vec<Problem>) -> Vec<Problem> {
    problems.sort_by_key(|p| (p.position.line, p.position.column));
    problems
}

/// A load error at its place in the file.
fn problem(positions: &Positions, e: LoadError) -> Problem {
    let mut p = Problem {
        rule: rule_id(&e.kind),
        level: Level::Error,
        position: positions.find(&e.path),
        path: e.path,
        message: String::new(),
        case: None,
        witness: None,
        help: None,
    };
    match e.kind {
        LoadErrorKind::Finding(Finding::Contradiction(c)) => {
            p.message = format!("{} (the other rule is rules[{}])", c.message(), c.first);
            p.case = Some(c.witness.text.clone());
            p.witness = Some(c.witness.case.clone());
            p.help = Some(c.fix().render(&JsonSyntax));
        }
        LoadErrorKind::Finding(Finding::DeadRule(d)) => {
            p.message = d.message();
            p.help = Some(d.fix().render(&JsonSyntax));
        }
        LoadErrorKind::Finding(Finding::Gap(g)) => {
            p.message = g.message();
            p.case = Some(g.witness.text.clone());
            p.witness = Some(g.witness.case.clone());
            p.help = Some(g.fix().render(&JsonSyntax));
        }
        LoadErrorKind::Syntax {
            message,
            line,
            column,
        } => {
            // Serde knows exactly where the wrong shape is.
            p.position = Position { line, column };
            p.message = message;
        }
        other => p.message = other.to_string(),
    }
    p
}

/// `contradiction`, `dead-rule`, `gap`, `json-shape`, or the lowering error's kind in kebab case
/// (`unknown-field`, `operator`, …).
fn rule_id(kind: &LoadErrorKind) -> String {
    match kind {
        LoadErrorKind::Finding(Finding::Contradiction(_)) => "contradiction".into(),
        LoadErrorKind::Finding(Finding::DeadRule(_)) => "dead-rule".into(),
        LoadErrorKind::Finding(Finding::Gap(_)) => "gap".into(),
        LoadErrorKind::Syntax { .. } => "json-shape".into(),
        LoadErrorKind::Shape(_) => "condition-shape".into(),
        LoadErrorKind::Format(_) => "format-version".into(),
        LoadErrorKind::UnknownSchema { .. } => "unknown-schema".into(),
        LoadErrorKind::Schema(_) => "schema".into(),
        LoadErrorKind::Analysis(_) => "analysis-incomplete".into(),
        LoadErrorKind::Lower(k) => kebab(&format!("{k:?}")),
        other => kebab(&format!("{other:?}")),
    }
}

/// The variant name at the start of a derived `Debug` text, in kebab case: `UnknownField { .. }` →
/// `unknown-field`.
fn kebab(debug: &str) -> String {
    let name = debug
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("error");
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn kebab_names_come_from_the_variant() {
        assert_eq!(
            super::kebab("UnknownField { field: \"x\" }"),
            "unknown-field"
        );
        assert_eq!(super::kebab("NoOutcome"), "no-outcome");
        assert_eq!(super::kebab("Structure(DuplicateRule)"), "structure");
    }
}

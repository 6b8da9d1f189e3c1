//! `control diff`: the semantic diff of two rule books, or of one under two scenarios, as text, JSON, or a
//! Markdown table fit for a pull-request comment.

use control_core::analysis::{Diff, SideDecision};
use control_core::jiff::civil::Date;
use control_core::{Scenario, parse_date};

/// Reads a scenario: `in-force` (rules in force, each case's own date), `proposals` (proposals adopted),
/// `today`, a date `YYYY-MM-DD`, or either of those with `+proposals` (`2024-03-07+proposals`).
///
/// ```
/// let today = control_core::parse_date("2026-11-28").unwrap();
/// let s = control_cli::diffing::parse_scenario("2024-03-07+proposals", today).unwrap();
/// assert!(s.proposals && s.as_of.unwrap().to_string() == "2024-03-07");
/// assert!(control_cli::diffing::parse_scenario("tomorrow", today).is_err());
/// ```
pub fn parse_scenario(text: &str, today: Date) -> Result<Scenario, String> {
    let (base, proposals) = match text.strip_suffix("+proposals") {
        Some(base) => (base, true),
        None => (text, false),
    };
    let as_of = match base {
        "in-force" if !proposals => None,
        "proposals" if !proposals => return Ok(Scenario::CURRENT.with_proposals()),
        "today" => Some(today),
        date => Some(parse_date(date).map_err(|_| {
            format!(
                "unknown scenario `{text}`: write in-force, proposals, today, a date YYYY-MM-DD, or one of the last two followed by +proposals"
            )
        })?),
    };
    Ok(Scenario { as_of, proposals })
}

/// The rules a side's decision names.
fn rules_of(side: &SideDecision) -> Vec<&str> {
    match side {
        SideDecision::Decided { by, .. } => by.iter().map(String::as_str).collect(),
        SideDecision::Conflict { first, second } => vec![first, second],
        _ => Vec::new(),
    }
}

/// The decision without the rule names (they get their own column).
fn decision(side: &SideDecision) -> String {
    match side {
        SideDecision::Decided { outcome, .. } => outcome.to_string(),
        SideDecision::Otherwise { outcome } => format!("{outcome} (no rule applies)"),
        other => other.to_string(),
    }
}

/// Text for people: one block per changed region.
pub fn text(d: &Diff) -> String {
    let mut out = format!("{d}");
    out += &format!(
        "{} region{} change{}\n",
        d.regions.len(),
        if d.regions.len() == 1 { "" } else { "s" },
        if d.regions.len() == 1 { "s" } else { "" }
    );
    out
}

/// The witness's fields without its scenario (the table's header names both scenarios).
fn case_only(text: &str) -> &str {
    text.rsplit_once("; as of ").map_or(text, |(case, _)| case)
}

/// A Markdown table cell: no line breaks, `|` escaped.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// A Markdown section with one table row per changed region: before, after, the rules responsible and an
/// example case.
pub fn markdown(d: &Diff) -> String {
    let mut out = format!(
        "### Semantic diff\n\n- **before:** {}\n- **after:** {}\n\n",
        cell(&d.before),
        cell(&d.after)
    );
    if d.regions.is_empty() {
        out += "No case is decided differently.\n";
        return out;
    }
    out += &format!(
        "{} region{} of cases change{} decision.\n\n",
        d.regions.len(),
        if d.regions.len() == 1 { "" } else { "s" },
        if d.regions.len() == 1 {
            "s its"
        } else {
            " their"
        }
    );
    out += "| # | Before | After | Rules responsible | Example case |\n|--:|---|---|---|---|\n";
    for (i, r) in d.regions.iter().enumerate() {
        let mut rules: Vec<&str> = rules_of(&r.before);
        for rule in rules_of(&r.after) {
            if !rules.contains(&rule) {
                rules.push(rule);
            }
        }
        let rules = if rules.is_empty() {
            "(the rule book's `otherwise`)".to_owned()
        } else {
            rules
                .iter()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out += &format!(
            "| {} | {} | {} | {} | {} |\n",
            i + 1,
            cell(&decision(&r.before)),
            cell(&decision(&r.after)),
            cell(&rules),
            cell(case_only(&r.witness.text))
        );
    }
    out
}

/// JSON for programs: the diff with every region's decisions, rules and witness case.
pub fn json(d: &Diff) -> String {
    serde_json::to_string_pretty(d).unwrap_or_default() + "\n"
}

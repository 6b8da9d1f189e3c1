//! `control explain`: one case against one or more rule books — the multi-regime summary, then each
//! regime's full explanation (every applying rule, what overrode what, citations, the scenario).

use control_core::analysis::Analysed;
use control_core::{CaseType, Evaluator, Interpreter, Record, Regimes, Scenario, Transaction};

/// How to print the explanation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// For people.
    Text,
    /// `{"summary": …, "regimes": [explanation per regime with jurisdiction]}`.
    Json,
}

/// Explains `case` (a JSON object: a transaction, or a record of the books' own schema) against `books`.
/// Books of the built-in schema read the case as a [`Transaction`]; books that all share another schema read
/// it as a [`Record`] of that schema; a mixture is an error.
pub fn explain(
    books: Vec<Analysed>,
    case: &serde_json::Value,
    scenario: Scenario,
    format: Format,
) -> Result<String, String> {
    let Some(first) = books.first() else {
        return Err("no rule book to explain against".into());
    };
    let schema = first.rule_set().schema().clone();
    if let Some(other) = books.iter().find(|b| *b.rule_set().schema() != schema) {
        return Err(format!(
            "the rule books use different schemas (`{}` and `{}`): a case can be explained only against books of one schema",
            schema.name,
            other.rule_set().schema().name
        ));
    }
    if schema == *control_core::Schema::transaction() {
        let t: Transaction = serde_json::from_value(case.clone())
            .map_err(|e| format!("the case is not a transaction: {e}"))?;
        run(
            books,
            &t,
            case,
            scenario,
            format,
            Some(control_screen::cli::describe(&t)),
        )
    } else {
        let r = Record::from_json(&schema, case).map_err(|errors| {
            let all: Vec<String> = errors.iter().map(ToString::to_string).collect();
            format!(
                "the case is not a record of schema `{}`: {}",
                schema.name,
                all.join("; ")
            )
        })?;
        run(books, &r, case, scenario, format, None)
    }
}

fn run<C: CaseType>(
    books: Vec<Analysed>,
    case: &C,
    case_json: &serde_json::Value,
    scenario: Scenario,
    format: Format,
    described: Option<String>,
) -> Result<String, String> {
    let interpreters: Vec<Interpreter<C>> = books
        .into_iter()
        .map(|b| Interpreter::new(b).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    let regimes = interpreters
        .iter()
        .fold(Regimes::new(), |r, i| r.with(i as &dyn Evaluator<Case = C>));
    let summary = regimes.evaluate(case, &scenario);
    let explanations: Vec<_> = interpreters
        .iter()
        .filter(|i| i.in_jurisdiction(case, &scenario))
        .map(|i| (i.rule_set().regime().to_owned(), i.explain(case, &scenario)))
        .collect();
    match format {
        Format::Json => {
            let regimes: Vec<serde_json::Value> = explanations
                .iter()
                .map(|(regime, e)| serde_json::json!({"regime": regime, "explanation": e}))
                .collect();
            serde_json::to_string_pretty(&serde_json::json!({
                "case": case_json,
                "scenario": scenario,
                "summary": summary,
                "regimes": regimes,
            }))
            .map(|s| s + "\n")
            .map_err(|e| e.to_string())
        }
        Format::Text => {
            let mut out = String::new();
            if let Some(d) = described {
                out += &format!("case: {d}\n");
            }
            out += &format!("scenario: {scenario}\n\n{summary}\n");
            for i in &interpreters {
                if !i.in_jurisdiction(case, &scenario) {
                    out += &format!(
                        "\n{} (`{}`): outside its jurisdiction\n",
                        i.rule_set().regime(),
                        i.rule_set().name()
                    );
                }
            }
            for (regime, e) in &explanations {
                out += &format!("\n{regime}:\n");
                for l in e.to_string().lines() {
                    out += &format!("    {l}\n");
                }
            }
            Ok(out)
        }
    }
}

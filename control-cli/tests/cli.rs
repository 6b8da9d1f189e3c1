//! `control`, run as a user runs it: every subcommand on the bundled rule books and on broken ones, with
//! golden outputs for `check --format sarif`, `diff --format markdown` and `report` (regenerate them with
//! `UPDATE_GOLDEN=1 cargo test -p control-cli --test cli`, then read the diff). The validations against JSON
//! Schemas need `--features validate` (`.ci/run` runs them).

use std::path::{Path, PathBuf};
use std::process::Command;

const CONTROL: &str = env!("CARGO_BIN_EXE_control");

/// The workspace root: commands run there so that the paths in outputs are the ones the README shows.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(CONTROL)
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("control-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Compares `actual` with the golden file (relative to the workspace root), or rewrites it with
/// `UPDATE_GOLDEN=1`.
fn golden(path: &str, actual: &str) {
    let path = root().join(path);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
    assert!(
        expected == actual,
        "{} differs from the output (UPDATE_GOLDEN=1 rewrites it):\n{actual}",
        path.display()
    );
}

const US: &str = "examples/data/rulebooks/us.json";
const NL: &str = "examples/data/rulebooks/nl.json";
const CONTRADICTORY: &str = "control-cli/tests/data/contradictory.json";
const MISTAKES: &str = "control-cli/tests/data/mistakes.json";
const NOT_JSON: &str = "control-cli/tests/data/not_json.json";
const WRONG_SHAPE: &str = "control-cli/tests/data/wrong_shape.json";

/// The line of `file` (workspace-relative) at 1-based `n`.
fn line_of(file: &str, n: i64) -> String {
    std::fs::read_to_string(root().join(file))
        .unwrap()
        .lines()
        .nth(n as usize - 1)
        .unwrap()
        .to_owned()
}

#[test]
fn check_passes_the_bundled_books_and_exits_0() {
    let (code, out, err) = run(&["check", US, NL]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("us.json: ok: `us_ear_advanced_computing` (US), 4 rules"),
        "{out}"
    );
    assert!(
        out.contains("checked 2 rule books: 2 clean, 0 with errors, 0 unreadable"),
        "{out}"
    );
}

#[test]
fn check_reports_every_finding_at_its_line_with_case_and_fix_and_exits_1() {
    let (code, out, _) = run(&["check", CONTRADICTORY, MISTAKES, WRONG_SHAPE]);
    assert_eq!(code, 1, "{out}");
    for expected in [
        "contradictory.json:20:5: error[contradiction] rules[1]: rules `chips_to_china` and `entity_list_smic` contradict each other",
        "    case: item.ccl = 3A090, item_origin = US, destination = CN, end_user = smic",
        "    help: if one is an exception to the other, say so (`\"overrides\": [\"chips_to_china\"]` on `entity_list_smic`",
        "contradictory.json:26:5: error[dead-rule] rules[2]: rule `old_chips_rule` can never decide a case",
        "add `\"allow_dead\": true` to it",
        "mistakes.json:10:10: error[unknown-field] rules[0].when.all[0].field: unknown field `activty`; did you mean `activity`?",
        "mistakes.json:18:34: error[unknown-group] rules[1].when.all[0].in_group: unknown country group `EU72`; did you mean `EU27`?",
        "mistakes.json:19:33: error[value] rules[1].when.all[1].gt: `a lot` is not a decimal number",
        "mistakes.json:21:7: error[unknown-outcome] rules[1].then: unknown outcome `forbidden`: write `\"not_controlled\"`",
        "wrong_shape.json:7:102: error[json-shape] rules[0].citations: unknown field `citations`, expected one of",
        "checked 3 rule books: 0 clean, 3 with errors, 0 unreadable",
    ] {
        assert!(out.contains(expected), "missing `{expected}` in:\n{out}");
    }
    // Every position is on the line that holds the offending key.
    assert!(line_of(MISTAKES, 10).contains("activty"));
    assert!(line_of(MISTAKES, 18).contains("EU72"));
    assert!(line_of(MISTAKES, 21).contains("forbidden"));
    assert!(line_of(CONTRADICTORY, 26).trim_start().starts_with('{'));
    assert!(line_of(CONTRADICTORY, 27).contains("old_chips_rule"));
}

#[test]
fn check_of_an_unreadable_file_exits_2_and_still_checks_the_others() {
    let dir = temp_dir("unreadable");
    let missing = dir.join("missing.json");
    for (args, expected) in [
        (
            vec![NOT_JSON],
            "not_json.json: error[unreadable]: not JSON: EOF while parsing a list (line 5",
        ),
        (
            vec![missing.to_str().unwrap()],
            "missing.json: error[unreadable]: No such file",
        ),
        (
            vec![dir.to_str().unwrap()],
            "error[unreadable]: is a directory, not a rule book",
        ),
        (vec![NOT_JSON, US], "us.json: ok:"),
    ] {
        let mut all = vec!["check"];
        all.extend(args);
        let (code, out, err) = run(&all);
        assert_eq!(code, 2, "{out}{err}");
        assert!(out.contains(expected), "missing `{expected}` in:\n{out}");
    }
    // JSON that is not an object is a finding at `$`, not a puzzle about array elements.
    let array = dir.join("array.json");
    std::fs::write(&array, "[1, 2]").unwrap();
    let (code, out, _) = run(&["check", array.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains("array.json:1:1: error[json-shape] $: expected a rule book, a JSON object with `name`, `regime`, `schema` and `rules`; found a list"), "{out}");
    let bytes = dir.join("latin1.json");
    std::fs::write(&bytes, b"{\"name\": \"caf\xe9\"}").unwrap();
    let (code, out, _) = run(&["check", bytes.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        out.contains("not UTF-8 text (invalid byte at offset 13)"),
        "{out}"
    );
}

#[test]
fn check_as_sarif_is_well_formed_sarif_2_1_0_with_findings_on_their_lines() {
    let (code, out, _) = run(&[
        "check",
        "--format",
        "sarif",
        CONTRADICTORY,
        MISTAKES,
        WRONG_SHAPE,
        NOT_JSON,
    ]);
    assert_eq!(code, 2);
    golden("control-cli/tests/golden/check.sarif", &out);
    // Read back: every result names a rule the driver describes, at its index, on the line of its JSON path.
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run0 = &log["runs"][0];
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 2 + 4 + 1);
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], id);
        let loc = &r["locations"][0];
        let physical = &loc["physicalLocation"];
        let file = physical["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .to_owned();
        let line = physical["region"]["startLine"].as_i64().unwrap();
        let path = loc["logicalLocations"][0]["fullyQualifiedName"]
            .as_str()
            .unwrap()
            .to_owned();
        // The line holds the key the JSON path ends in, or the object it names.
        let key = path
            .rsplit(['.', '['])
            .next()
            .unwrap()
            .trim_end_matches(']');
        let text = line_of(&file, line);
        assert!(
            key.parse::<usize>().is_ok() || text.contains(&format!("\"{key}\"")),
            "{path} at {file}:{line}: {text}"
        );
    }
    // The unreadable file is a failed execution, not a silent pass.
    let inv = &run0["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    assert_eq!(
        inv["toolExecutionNotifications"].as_array().unwrap().len(),
        1
    );
    // And it is valid against the SARIF 2.1.0 JSON Schema (the OASIS schema).
    #[cfg(feature = "validate")]
    valid_sarif(&out);
}

#[cfg(feature = "validate")]
fn valid_sarif(out: &str) {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("control-cli/tests/data/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    let instance: serde_json::Value = serde_json::from_str(out).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn check_as_json_carries_witnesses_that_explain_reads() {
    let (code, out, _) = run(&["check", "--format", "json", CONTRADICTORY]);
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let book = &report["books"][0];
    assert_eq!(book["status"], "rejected");
    let contradiction = &book["problems"][0];
    assert_eq!(contradiction["rule"], "contradiction");
    assert_eq!(contradiction["line"], 20);
    let witness = &contradiction["witness"];
    // The witness is a whole transaction: explain it against the bundled US book.
    let dir = temp_dir("witness");
    let case = dir.join("case.json");
    std::fs::write(&case, witness.to_string()).unwrap();
    let (code, out, err) = run(&["explain", US, "--case", case.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("most restrictive"), "{out}");
}

#[test]
fn diff_of_one_book_under_two_scenarios_as_markdown() {
    let (code, out, err) = run(&[
        "diff",
        NL,
        "--scenario",
        "2024-03-07",
        "--scenario",
        "2024-03-07+proposals",
        "--format",
        "markdown",
    ]);
    assert_eq!(code, 0, "{err}");
    golden("control-cli/tests/golden/diff_nl_proposals.md", &out);
    assert!(out.contains("| not controlled (no rule applies) | licence required (presumption of denial) | `nl_servicing_pre_control_tools_cn` |"), "{out}");
    // A scenario without a date takes the other's date.
    let (code, out, _) = run(&[
        "diff",
        NL,
        "--scenario",
        "2024-03-07",
        "--scenario",
        "proposals",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.contains(
            "after:  examples/data/rulebooks/nl.json (as of 2024-03-07, with proposals adopted)"
        ),
        "{out}"
    );
    // --exit-code makes a non-empty diff exit 1, like git diff.
    let (code, _, _) = run(&[
        "diff",
        NL,
        "--scenario",
        "in-force",
        "--scenario",
        "proposals",
        "--exit-code",
    ]);
    assert_eq!(code, 1);
}

#[test]
fn diff_of_two_books_names_the_changed_rule_and_a_case() {
    let dir = temp_dir("diff2");
    let text = std::fs::read_to_string(root().join(NL)).unwrap();
    let edited = text.replacen("\"presumption_of_approval\"", "\"case_by_case\"", 1);
    assert_ne!(text, edited);
    let new = dir.join("nl_new.json");
    std::fs::write(&new, edited).unwrap();
    // With the proposals adopted on both sides, where the edited (proposed) servicing rule decides.
    let (code, out, err) = run(&[
        "diff",
        NL,
        new.to_str().unwrap(),
        "--scenario",
        "proposals",
        "--format",
        "json",
        "--exit-code",
    ]);
    assert_eq!(code, 1, "{err}");
    let d: serde_json::Value = serde_json::from_str(&out).unwrap();
    let regions = d["regions"].as_array().unwrap();
    assert_eq!(regions.len(), 1, "{out}");
    assert_eq!(regions[0]["after"]["by"][0], "nl_servicing_lithography_cn");
    assert_eq!(
        regions[0]["after"]["outcome"]["licence_required"],
        "case_by_case"
    );
    assert_eq!(regions[0]["witness"]["case"]["destination"], "CN");
    // The same book: no region, exit 0 even with --exit-code.
    let (code, out, _) = run(&["diff", NL, NL, "--exit-code"]);
    assert_eq!(code, 0);
    assert!(out.contains("no case changes its decision"), "{out}");
}

#[test]
fn diff_refuses_what_it_cannot_compare() {
    for (args, expected) in [
        (
            vec!["diff", NL],
            "comparing one rule book needs two scenarios",
        ),
        (
            vec![
                "diff",
                NL,
                "--scenario",
                "tomorrow",
                "--scenario",
                "proposals",
            ],
            "unknown scenario `tomorrow`",
        ),
        (
            vec!["diff", NL, MISTAKES],
            "mistakes.json:10:10: rules[0].when.all[0].field: unknown field `activty`",
        ),
        (
            vec!["diff", NOT_JSON, NL, "--scenario", "in-force"],
            "not_json.json: not JSON",
        ),
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
}

#[test]
fn explain_gives_the_summary_and_each_regime_in_full() {
    let dir = temp_dir("explain");
    let case = dir.join("case.json");
    std::fs::write(
        &case,
        control_core::Transaction::from_core_fields(serde_json::json!({
            "exporter": "asml", "exporter_country": "NL", "item": "3B001.f.4", "item.nl": "3B001.f.4",
            "item_origin": "NL", "us_content": 8, "activity": "servicing", "destination": "CN",
            "end_user": "smic", "end_use": "advanced_logic_fab", "date": "2024-03-07",
            "contract_date": "2023-06-01"}))
        .map(|t| serde_json::to_string(&t).unwrap())
        .unwrap(),
    )
    .unwrap();
    let case = case.to_str().unwrap();
    let (code, out, err) = run(&["explain", NL, US, "--case", case, "--with-proposals"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("case: asml servicing 3B001.f.4, NL 3B001.f.4 from NL to CN for smic"),
        "{out}"
    );
    assert!(
        out.contains("most restrictive: licence required (presumption of denial) (NL)"),
        "{out}"
    );
    assert!(
        out.contains("nl_servicing_pre_control_tools_cn [decides]"),
        "{out}"
    );
    assert!(
        out.contains("US (`us_ear_advanced_computing`): outside its jurisdiction"),
        "{out}"
    );
    let (code, out, _) = run(&[
        "explain",
        NL,
        "--case",
        case,
        "--format",
        "json",
        "--as-of",
        "2023-01-01",
    ]);
    assert_eq!(code, 0);
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["scenario"]["as_of"], "2023-01-01");
    assert_eq!(j["regimes"][0]["regime"], "NL");
    // Bad input: a case that is not a transaction, a rejected book.
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"exporter": "asml"}"#).unwrap();
    let (code, _, err) = run(&["explain", NL, "--case", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("bad.json: the case is not a transaction: missing field"),
        "{err}"
    );
    let (code, _, err) = run(&["explain", CONTRADICTORY, "--case", case]);
    assert_eq!(code, 1);
    assert!(err.contains("contradictory.json has findings"), "{err}");
}

#[cfg(feature = "validate")]
fn schema_validator() -> jsonschema::Validator {
    let (code, out, _) = run(&["schema"]);
    assert_eq!(code, 0);
    let schema: serde_json::Value = serde_json::from_str(&out).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[cfg(feature = "validate")]
fn errors(v: &jsonschema::Validator, text: &str) -> Vec<String> {
    let instance: serde_json::Value = serde_json::from_str(text).unwrap();
    v.iter_errors(&instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

/// Needs `--features validate` (jsonschema); `.ci/run` runs it.
#[cfg(feature = "validate")]
#[test]
fn every_bundled_book_is_valid_against_the_generated_schema() {
    let v = schema_validator();
    let mut books: Vec<(String, String)> = Vec::new();
    for dir in ["examples/data/rulebooks"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let p = entry.unwrap().path();
            books.push((
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            ));
        }
    }
    // The compiled books, exported as JSON.
    for book in examples::rulebooks::all() {
        books.push((
            book.rule_set().name().to_owned(),
            control_core::json::to_json(book.rule_set()),
        ));
    }
    // A book the analysis rejects still has the right shape.
    books.push((
        CONTRADICTORY.to_owned(),
        std::fs::read_to_string(root().join(CONTRADICTORY)).unwrap(),
    ));
    assert!(books.len() >= 8);
    for (name, text) in &books {
        let e = errors(&v, text);
        assert!(e.is_empty(), "{name}: {e:?}");
    }
    // A key the format does not have is caught by the schema too, as in an editor.
    let e = errors(
        &v,
        &std::fs::read_to_string(root().join(WRONG_SHAPE)).unwrap(),
    );
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].contains("citations"), "{e:?}");
    // So is an outcome that does not exist; unknown field names are the lowering's to find.
    let e = errors(&v, &std::fs::read_to_string(root().join(MISTAKES)).unwrap());
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].contains("\"forbidden\"") && e[0].ends_with("/rules/1/then"),
        "{e:?}"
    );
}

#[test]
fn report_of_a_bundled_book_is_the_sample_in_the_docs() {
    let dir = temp_dir("report");
    for (format, golden_path) in [
        ("html", "docs/sample-report/us.html"),
        ("md", "docs/sample-report/us.md"),
    ] {
        let out = dir.join(format!("us.{format}"));
        let (code, stdout, err) = run(&["report", US, "-o", out.to_str().unwrap()]);
        assert_eq!(code, 0, "{stdout}{err}");
        let text = std::fs::read_to_string(&out).unwrap();
        golden(golden_path, &text);
    }
    let html = std::fs::read_to_string(root().join("docs/sample-report/us.html")).unwrap();
    assert!(!html.contains("<script"), "the report needs no JavaScript");
    assert!(html.contains("<svg") && html.contains("us_nac</text>"));
    assert!(html.contains("<td>end_user is huawei</td>"));
}

#[test]
fn report_of_a_rejected_book_shows_its_findings_and_exits_1() {
    let dir = temp_dir("report-bad");
    let out = dir.join("draft.md");
    let (code, _, err) = run(&["report", CONTRADICTORY, "-o", out.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(
        md.contains("| Analysis | rejected: 2 errors (see Analysis) |"),
        "{md}"
    );
    assert!(
        md.contains("| error | contradiction | `rules[1]` (line 20) |"),
        "{md}"
    );
    // A book whose structure is broken gets no report.
    let out = dir.join("mistakes.html");
    let (code, _, err) = run(&["report", MISTAKES, "-o", out.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("the rule book's structure is broken"), "{err}");
    assert!(!out.exists());
}

#[test]
fn compiled_books_exported_as_json_check_clean_and_report() {
    let dir = temp_dir("compiled");
    for book in examples::rulebooks::all() {
        let rs = book.rule_set();
        let path = dir.join(format!("{}.json", rs.regime().to_lowercase()));
        std::fs::write(&path, control_core::json::to_json(rs)).unwrap();
        let (code, out, err) = run(&["check", path.to_str().unwrap()]);
        assert_eq!(code, 0, "{}: {out}{err}", rs.name());
        let (code, _, err) = run(&[
            "report",
            path.to_str().unwrap(),
            "-o",
            dir.join("r.html").to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
    }
}

#[test]
fn screen_runs_on_json_books_and_needs_some() {
    let (code, out, err) = run(&[
        "screen",
        "-q",
        "examples/data/transactions.csv",
        "--rulebooks",
        "examples/data/rulebooks",
        "--parties",
        "examples/data/parties.json",
    ]);
    assert!(code == 0 || code == 1, "{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1 + 438);
    assert!(
        lines[0]["run"]["tool"]
            .as_str()
            .unwrap()
            .starts_with("control screen ")
    );
    assert_eq!(lines[0]["run"]["rule_books"].as_array().unwrap().len(), 2);
    let (code, _, err) = run(&[
        "screen",
        "-q",
        "examples/data/transactions.csv",
        "--book",
        NL,
        "--parties",
        "examples/data/parties.json",
    ]);
    assert!(code == 0 || code == 1, "{err}");
    let (code, out, err) = run(&["screen", "-q", "examples/data/transactions.csv"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains(
            "no rule books: give a folder of JSON rule books with --rulebooks DIR, or --book FILE"
        ),
        "{err}"
    );
}

#[test]
fn help_documents_every_subcommand_and_the_exit_statuses() {
    let (code, out, _) = run(&["--help"]);
    assert_eq!(code, 0);
    for sub in ["check", "diff", "explain", "screen", "schema", "report"] {
        assert!(out.contains(sub), "{out}");
    }
    assert!(out.contains("EXIT STATUS"), "{out}");
    for sub in ["check", "diff", "explain", "screen", "report"] {
        let (code, out, _) = run(&[sub, "--help"]);
        assert_eq!(code, 0);
        assert!(out.contains("EXIT STATUS"), "{sub}: {out}");
    }
    let (code, _, err) = run(&["check"]);
    assert_eq!(code, 2, "clap's usage errors exit 2");
    assert!(err.contains("<BOOKS>"), "{err}");
}

#[test]
fn schema_describes_every_key_of_the_format() {
    let (code, out, _) = run(&["schema"]);
    assert_eq!(code, 0);
    let schema: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(schema["title"], "RuleSetDoc");
    assert_eq!(schema["additionalProperties"], false);
    let keys: Vec<&str> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for k in [
        "format",
        "name",
        "regime",
        "schema",
        "applies_when",
        "groups",
        "parties",
        "otherwise",
        "complete",
        "cumulative",
        "rules",
    ] {
        assert!(keys.contains(&k), "{k} missing from {keys:?}");
    }
    let rule = &schema["$defs"]["RuleDoc"];
    assert_eq!(rule["additionalProperties"], false);
    for k in [
        "name",
        "citation",
        "from",
        "until",
        "status",
        "overrides",
        "allow_dead",
        "cumulative",
        "when",
        "then",
    ] {
        assert!(rule["properties"][k].is_object(), "RuleDoc.{k}");
    }
    // Countries are listed, so editors complete them.
    assert!(schema["$defs"]["Country"]["enum"].as_array().unwrap().len() == 249);
    let (code, _, err) = run(&["schema", "-o", "/nonexistent/dir/schema.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/dir/schema.json"), "{err}");
}

//! The `screen`, `compare` and `decide` programs, run as a user runs them.

use std::process::Command;

fn run(bin: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(bin).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const SCREEN: &str = env!("CARGO_BIN_EXE_screen");
const BUNDLED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/transactions.csv");

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("screen-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn screening_the_bundled_data_writes_a_row_per_input_row_and_exits_1_for_the_malformed_ones() {
    let (code, out, err) = run(SCREEN, &["-q", BUNDLED]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(out.lines().count(), 326);
    assert!(
        out.lines()
            .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok())
    );
    assert!(err.contains("326 rows: 320 screened, 6 errors"), "{err}");
    assert!(err.contains("most restrictive"), "{err}");
}

#[test]
fn csv_output_has_a_header_and_a_row_per_input_row() {
    let dir = std::env::temp_dir().join(format!("screen-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("out.csv");
    let (code, _, err) = run(
        SCREEN,
        &[
            "-q",
            BUNDLED,
            "--with-proposals",
            "--as-of",
            "2024-03-07",
            "--output-format",
            "csv",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1, "{err}");
    let text = std::fs::read_to_string(&out).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().clone();
    assert_eq!(
        header.iter().take(5).collect::<Vec<_>>(),
        ["line", "id", "status", "outcome", "decided_by"]
    );
    assert!(header.iter().any(|h| h == "NL_rules"));
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 326);
    assert_eq!(rows.iter().filter(|r| &r[2] == "error").count(), 6);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_clean_file_exits_0_and_explains() {
    let dir = std::env::temp_dir().join(format!("screen-clean-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("one.jsonl");
    std::fs::write(
        &input,
        r#"{"id": "A1", "exporter": "ASML", "exporter_country": "NL", "item": "3B001.f.4", "item_origin": "NL", "us_content": 8, "activity": "servicing", "destination": "CN", "end_user": "SMIC", "end_use": "advanced_logic_fab", "date": "2024-03-07", "contract_date": "2023-05-01"}"#,
    )
    .unwrap();
    let (code, out, err) = run(
        SCREEN,
        &[
            "-q",
            "--explain",
            "--with-proposals",
            input.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("licence required (presumption of denial), by servicing_pre_control_tools_cn"),
        "{out}"
    );
    assert!(
        out.contains("servicing_lithography_cn [overridden]"),
        "{out}"
    );
    assert!(
        out.contains("citation: Report of 7 March 2024 (seed scenario, row 6)"),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unreadable_input_exits_2() {
    let (code, _, err) = run(SCREEN, &["/nonexistent/file.csv"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("error: /nonexistent/file.csv:"), "{err}");
    let (code, _, err) = run(SCREEN, &["Cargo.toml"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot tell the format"), "{err}");
}

#[test]
fn compare_lists_what_the_proposals_change() {
    let (code, out, err) = run(env!("CARGO_BIN_EXE_compare"), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("licence required (presumption of approval) (by servicing_lithography_cn)  →  licence required (presumption of denial) (by servicing_pre_control_tools_cn)"), "{out}");
    assert!(out.contains("not controlled (no rule applies)  →  licence required (case by case) (by photoresist_cn)"), "{out}");
    assert!(out.contains("15 region(s) change in all"), "{out}");
}

#[test]
fn decide_runs_on_the_bundled_interpreted_rule_books() {
    let (code, out, err) = run(env!("CARGO_BIN_EXE_decide"), &["--as-of", "2024-03-07"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("most restrictive: licence required (presumption of denial) (NL)"),
        "{out}"
    );
}

#[test]
fn screening_needs_an_input_and_reads_standard_input_from_dash() {
    let (code, _, err) = run(SCREEN, &["-q"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("<INPUT>"), "{err}");
    let row = r#"{"id": "A1", "exporter": "ASML", "exporter_country": "NL", "item": "3B001.f.4", "item_origin": "NL", "us_content": 8, "activity": "export", "destination": "CN", "end_user": "SMIC", "end_use": "advanced_logic_fab", "date": "2024-03-07", "contract_date": "2023-05-01"}"#;
    let mut child = Command::new(SCREEN)
        .args(["-q", "-", "--format", "jsonl"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(row.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["id"], "A1");
    assert_eq!(line["status"], "decided");
}

#[test]
fn an_output_that_is_the_input_is_refused_and_the_input_survives() {
    let dir = temp_dir("same");
    let input = dir.join("in.csv");
    std::fs::copy(BUNDLED, &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let alias = dir.join(".").join("in.csv");
    for out in [&input, &alias] {
        let (code, _, err) = run(
            SCREEN,
            &["-q", input.to_str().unwrap(), "-o", out.to_str().unwrap()],
        );
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("the output is the input file"), "{err}");
        assert_eq!(std::fs::read(&input).unwrap(), before);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_empty_rule_book_folder_is_an_error_not_a_clean_bill() {
    let dir = temp_dir("empty-books");
    let (code, out, err) = run(
        SCREEN,
        &["-q", BUNDLED, "--rulebooks", dir.to_str().unwrap()],
    );
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("no rule books"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_row_no_regime_covers_claims_no_outcome() {
    let dir = temp_dir("outside");
    let input = dir.join("fr.jsonl");
    std::fs::write(
        &input,
        r#"{"id": "FR1", "exporter": "Soitec", "exporter_country": "FR", "item": "EAR99", "item_origin": "FR", "us_content": 0, "activity": "export", "destination": "BR", "end_user": "acme", "end_use": "civil", "date": "2024-03-07", "contract_date": "2024-01-01"}"#,
    )
    .unwrap();
    let (code, out, err) = run(SCREEN, &["-q", input.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let line: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(line["status"], "outside_jurisdiction", "{line}");
    assert!(line.get("outcome").is_none(), "{line}");
    assert!(
        err.contains("1 outside every loaded regime's jurisdiction"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

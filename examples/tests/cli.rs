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
const MALFORMED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/transactions_malformed.csv"
);
const HEADER: &str = "id,exporter,exporter_country,item.ccl,item.eu,item.wa,item.nl,item.jp,item.kr,item_origin,us_content,data_centre,tpp,performance_density,activity,destination,purchaser,intermediate_consignee,ultimate_consignee,end_user,end_use,us_person,fdp,notified,date,contract_date";

/// A JSON Lines row written with the first round's keys, widened to every input column as the bundled
/// data's generator does: the item's code on each list its family is on, no other party, the plainest facts.
fn widen(row: &str) -> String {
    let mut v: serde_json::Map<String, serde_json::Value> = serde_json::from_str(row).unwrap();
    let item = v.remove("item").unwrap();
    let code = item.as_str().unwrap().to_owned();
    let family = code.split('.').next().unwrap_or_default().to_owned();
    let on = |families: &[&str]| {
        if families.contains(&family.as_str()) {
            item.clone()
        } else {
            "UNLISTED".into()
        }
    };
    let wassenaar = ["3B001", "3B002", "3C002", "3A001", "3D007"];
    let pairs = [
        ("item.ccl", item.clone()),
        ("item.eu", on(&wassenaar)),
        ("item.wa", on(&wassenaar)),
        ("item.nl", on(&["3B001", "3D007"])),
        ("item.jp", on(&["3B001", "3B002", "3C002"])),
        ("item.kr", on(&["3B001", "3B002"])),
        ("data_centre", (v["end_use"] == "data_centre").into()),
        ("tpp", 0.into()),
        ("performance_density", 0.into()),
        ("purchaser", "none".into()),
        ("intermediate_consignee", "none".into()),
        ("ultimate_consignee", "none".into()),
        ("us_person", (v["exporter_country"] == "US").into()),
        ("fdp", "none".into()),
        ("notified", false.into()),
    ];
    for (k, x) in pairs {
        v.insert(k.into(), x);
    }
    serde_json::Value::Object(v).to_string()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("screen-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn screening_the_bundled_data_writes_a_run_record_and_a_row_per_input_row_and_exits_0() {
    let (code, out, err) = run(SCREEN, &["-q", BUNDLED]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1 + 438);
    // The run record: versions, scenario, every rule book with its content hash.
    let run = &lines[0]["run"];
    assert_eq!(run["as_of"], "each_row_date");
    assert_eq!(run["proposals"], false);
    assert_eq!(run["rule_books"].as_array().unwrap().len(), 6);
    assert!(
        run["rule_books"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["sha256"].as_str().unwrap().len() == 64)
    );
    assert!(
        run["control_core"].is_string() && run["tool"].as_str().unwrap().starts_with("screen ")
    );
    // Every row says what it was decided under.
    assert!(
        lines[1..]
            .iter()
            .all(|r| r["as_of"] == "each_row_date" && r["proposals"] == false)
    );
    assert!(err.contains("438 rows: 438 screened, 0 errors"), "{err}");
    assert!(err.contains("most restrictive"), "{err}");
}

#[test]
fn malformed_rows_are_error_rows_and_exit_1() {
    let (code, out, err) = run(SCREEN, &["-q", MALFORMED]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(out.lines().count(), 1 + 16);
    // The end user close to Huawei is in no party data: its facts cannot be known, so the row is an error
    // that names the candidate, never "not listed".
    assert!(err.contains("16 rows: 8 screened, 8 errors"), "{err}");
}

#[test]
fn csv_output_has_a_header_a_row_per_input_row_and_a_run_record_beside_it() {
    let dir = temp_dir("csv");
    let out = dir.join("out.csv");
    let (code, _, err) = run(
        SCREEN,
        &[
            "-q",
            MALFORMED,
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
        header.iter().take(7).collect::<Vec<_>>(),
        [
            "line",
            "id",
            "status",
            "as_of",
            "proposals",
            "outcome",
            "decided_by"
        ]
    );
    assert!(header.iter().any(|h| h == "NL_rules"));
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 16);
    assert_eq!(rows.iter().filter(|r| &r[2] == "unreadable").count(), 8);
    assert!(
        rows.iter()
            .all(|r| &r[3] == "2024-03-07" && &r[4] == "true")
    );
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out.run.json")).unwrap()).unwrap();
    assert_eq!(run["as_of"], "2024-03-07");
    assert_eq!(run["proposals"], true);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_clean_file_exits_0_and_explains() {
    let dir = std::env::temp_dir().join(format!("screen-clean-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("one.jsonl");
    std::fs::write(
        &input,
        widen(r#"{"id": "A1", "exporter": "ASML", "exporter_country": "NL", "item": "3B001.f.4", "item_origin": "NL", "us_content": 8, "activity": "servicing", "destination": "CN", "end_user": "SMIC", "end_use": "advanced_logic_fab", "date": "2024-03-07", "contract_date": "2023-05-01"}"#).as_str(),
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
    let dir = temp_dir("dir").join("folder.csv");
    std::fs::create_dir_all(&dir).unwrap();
    let (code, _, err) = run(SCREEN, &[dir.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("{}: is a directory", dir.display())),
        "{err}"
    );
    std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
}

#[test]
fn compare_lists_what_the_proposals_change() {
    let (code, out, err) = run(env!("CARGO_BIN_EXE_compare"), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("not controlled (no rule applies)  →  licence required (presumption of denial) (by servicing_pre_control_tools_cn)"), "{out}");
    assert!(out.contains("not controlled (no rule applies)  →  licence required (case by case) (by photoresist_cn)"), "{out}");
    // The proposed prohibition overrides every rule of the US book: one region, whatever was decided before.
    assert!(
        out.contains(
            "whatever the rules decide (it varies)  →  prohibited (by huawei_smic_prohibition)"
        ),
        "{out}"
    );
    assert!(out.contains("10 region(s) change in all"), "{out}");
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
    let row = widen(
        r#"{"id": "A1", "exporter": "ASML", "exporter_country": "NL", "item": "3B001.f.4", "item_origin": "NL", "us_content": 8, "activity": "export", "destination": "CN", "end_user": "SMIC", "end_use": "advanced_logic_fab", "date": "2024-03-07", "contract_date": "2023-05-01"}"#,
    );
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
    let text = String::from_utf8(out.stdout).unwrap();
    let line: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
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
    let input = dir.join("ch.jsonl");
    std::fs::write(
        &input,
        widen(r#"{"id": "CH1", "exporter": "u-blox", "exporter_country": "CH", "item": "EAR99", "item_origin": "CH", "us_content": 0, "activity": "export", "destination": "BR", "end_user": "acme", "end_use": "civil", "date": "2024-03-07", "contract_date": "2024-01-01"}"#).as_str(),
    )
    .unwrap();
    let (code, out, err) = run(SCREEN, &["-q", input.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let line: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    assert_eq!(line["status"], "outside_jurisdiction", "{line}");
    assert!(line.get("outcome").is_none(), "{line}");
    assert!(
        err.contains("1 outside every loaded regime's jurisdiction"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Writes `text` to a file in a fresh folder and screens it with `args`; returns the exit status, the output
/// rows (without the run record) and stderr.
fn screen_text(name: &str, text: &[u8], args: &[&str]) -> (i32, Vec<serde_json::Value>, String) {
    let dir = temp_dir(name);
    let input = dir.join(name);
    std::fs::write(&input, text).unwrap();
    let mut all = vec!["-q", input.to_str().unwrap()];
    all.extend(args);
    let (code, out, err) = run(SCREEN, &all);
    let rows = out
        .lines()
        .skip(1)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    std::fs::remove_dir_all(&dir).unwrap();
    (code, rows, err)
}

fn row(id: &str, end_user: &str, us_content: &str) -> String {
    format!(
        "{id},AMD,US,3A090.a,UNLISTED,UNLISTED,UNLISTED,UNLISTED,UNLISTED,TW,{us_content},true,4900,7.5,export,CN,none,none,none,{end_user},data_centre,true,none,false,2023-12-01,2023-05-01"
    )
}

#[test]
fn a_wrong_header_is_one_error_before_any_row_and_writes_nothing() {
    let dir = temp_dir("header");
    let out = dir.join("out.jsonl");
    for (header, expected) in [
        (
            HEADER.replace(",end_use", ",enduse"),
            "unknown column `enduse` (column 21); did you mean `end_use`?",
        ),
        (
            HEADER.replace(",date", ",destination"),
            "column `destination` appears twice",
        ),
        (
            HEADER.replace(",us_content", ""),
            "missing column(s): us_content",
        ),
    ] {
        let input = dir.join("in.csv");
        std::fs::write(&input, format!("{header}\n{}\n", row("A", "acme", "10"))).unwrap();
        let (code, stdout, err) = run(
            SCREEN,
            &["-q", input.to_str().unwrap(), "-o", out.to_str().unwrap()],
        );
        assert_eq!(code, 2, "{err}");
        assert!(stdout.is_empty());
        assert!(
            err.contains("the CSV header (line 1) is wrong") && err.contains(expected),
            "{err}"
        );
        assert_eq!(
            err.lines().count(),
            1,
            "one message, not one per row: {err}"
        );
        assert!(
            !out.exists(),
            "no output file for a run that screened nothing"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn line_numbers_count_physical_lines_whatever_the_line_endings() {
    for (name, ending) in [("lf.csv", "\n"), ("crlf.csv", "\r\n"), ("cr.csv", "\r")] {
        let text = [
            HEADER.to_owned(),
            row("A", "acme", "10"),
            row("B", "acme", "ten"),
            row("C", "acme", "10"),
        ]
        .join(ending);
        let (code, rows, err) = screen_text(name, text.as_bytes(), &[]);
        assert_eq!(code, 1, "{name}: {err}");
        let lines: Vec<u64> = rows.iter().map(|r| r["line"].as_u64().unwrap()).collect();
        assert_eq!(lines, [2, 3, 4], "{name}");
        assert_eq!(rows[1]["status"], "unreadable", "{name}");
    }
}

#[test]
fn an_unclosed_quote_costs_its_own_line_only() {
    let text = [
        HEADER.to_owned(),
        row("A", "acme", "10"),
        row("B", "\"acme", "10"),
        row("C", "acme", "10"),
        row("D", "acme", "10"),
    ]
    .join("\n");
    let (code, rows, _) = screen_text("quote.csv", text.as_bytes(), &[]);
    assert_eq!(code, 1);
    assert_eq!(rows.len(), 4);
    assert!(
        rows[1]["error"]
            .as_str()
            .unwrap()
            .contains("quote opened at character")
    );
    assert_eq!(rows[1]["id"], "B");
    assert!(rows[2]["status"] == "decided" && rows[3]["status"] == "decided");
}

#[test]
fn invalid_utf8_in_json_lines_is_one_error_row_and_the_rest_is_screened() {
    let good = widen(
        r#"{"id": "A", "exporter": "AMD", "exporter_country": "US", "item": "3A090.a", "item_origin": "TW", "us_content": 100, "activity": "export", "destination": "CN", "end_user": "acme", "end_use": "data_centre", "date": "2023-12-01", "contract_date": "2023-05-01"}"#,
    );
    let mut text = format!("{good}\n").into_bytes();
    text.extend(b"{\"id\": \"\xff\"}\n");
    text.extend(format!("{good}\n").as_bytes());
    let (code, rows, err) = screen_text("utf8.jsonl", &text, &[]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(rows.len(), 3);
    assert!(rows[1]["error"].as_str().unwrap().contains("not UTF-8"));
    assert!(err.contains("3 rows: 2 screened, 1 errors"), "{err}");
}

#[test]
fn us_content_outside_0_to_100_is_an_error() {
    for bad in ["150", "-5"] {
        let text = format!("{HEADER}\n{}\n", row("A", "acme", bad));
        let (code, rows, _) = screen_text("pct.csv", text.as_bytes(), &[]);
        assert_eq!(code, 1);
        assert!(
            rows[0]["error"]
                .as_str()
                .unwrap()
                .contains("is not a percentage from 0 to 100")
        );
    }
}

#[test]
fn a_party_name_close_to_a_listed_party_is_never_passed_silently() {
    for near in ["Huawey", "Huawei Technologies"] {
        let text = format!("{HEADER}\n{}\n", row("A", near, "100"));
        // Not in the party data, so its facts (Entity List entries, headquarters) are unknown: an error row
        // that names the candidate, with or without --strict-parties.
        for strict in [&[][..], &["--strict-parties"][..]] {
            let (code, rows, err) = screen_text("near.csv", text.as_bytes(), strict);
            assert_eq!(code, 1, "{err}");
            assert_eq!(rows[0]["status"], "unreadable", "{near}");
            let e = rows[0]["error"].as_str().unwrap();
            assert!(
                e.contains("close to `huawei`")
                    || e.contains("is not a known party but is close to `huawei`"),
                "{e}"
            );
        }
    }
    // The party's own names and aliases are exact matches.
    let text = format!("{HEADER}\n{}\n", row("A", "Huawei", "100"));
    let (_, rows, _) = screen_text("exact.csv", text.as_bytes(), &[]);
    assert_eq!(rows[0]["status"], "decided");
}

#[test]
fn version_and_help_say_what_the_tool_is_and_does() {
    let (code, out, _) = run(SCREEN, &["--version"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("screen 0.1.0 (control-core 0.1.0)"),
        "{out}"
    );
    let (code, out, _) = run(SCREEN, &["--help"]);
    assert_eq!(code, 0);
    for needle in [
        "us_content (0-100)",
        "EXIT STATUS",
        "outside_jurisdiction",
        "sha256",
        "--strict-parties",
    ] {
        assert!(out.contains(needle), "{needle} missing from --help:\n{out}");
    }
}

#[test]
fn a_broken_rule_book_is_named_with_its_json_path() {
    let dir = temp_dir("books");
    std::fs::write(dir.join("a.json"), "{\"name\":").unwrap();
    let (code, out, err) = run(
        SCREEN,
        &["-q", BUNDLED, "--rulebooks", dir.to_str().unwrap()],
    );
    assert_eq!(code, 2);
    assert!(out.is_empty());
    let a = dir.join("a.json");
    assert!(
        err.starts_with(&format!("error: {}: the rule set has 1 error", a.display())),
        "{err}"
    );
    assert!(
        err.contains("name: EOF while parsing") && !err.contains("?:"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

mod damaged_files {
    //! The screen program on damaged files: whatever the damage, it exits 0, 1 or 2 as documented, and when it
    //! screened, every physical line after the header has exactly one output row, in order.
    use super::*;
    use proptest::prelude::*;

    fn physical_lines(bytes: &[u8]) -> usize {
        let (mut n, mut open, mut i) = (0, false, 0);
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => (n, open) = (n + 1, false),
                b'\r' => {
                    (n, open) = (n + 1, false);
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                }
                _ => open = true,
            }
            i += 1;
        }
        n + usize::from(open)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]

        #[test]
        fn exit_status_and_rows_match_the_damage(
            cuts in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(vec![b'"', b'\r', b'\n', 0xff, b',', b'x'])), 1..4)
        ) {
            let mut bytes = std::fs::read(MALFORMED).unwrap();
            for (at, b) in &cuts {
                let i = at.index(bytes.len());
                bytes[i] = *b;
            }
            let dir = temp_dir("damaged");
            let input = dir.join("in.csv");
            std::fs::write(&input, &bytes).unwrap();
            let (code, out, err) = run(SCREEN, &["-q", input.to_str().unwrap()]);
            std::fs::remove_dir_all(&dir).unwrap();
            match code {
                2 => prop_assert!(err.contains("the CSV header (line 1) is wrong") && out.is_empty(), "{err}"),
                0 | 1 => {
                    let rows: Vec<serde_json::Value> = out.lines().skip(1).map(|l| serde_json::from_str(l).unwrap()).collect();
                    let lines: Vec<u64> = rows.iter().map(|r| r["line"].as_u64().unwrap()).collect();
                    let expected: Vec<u64> = (2..=physical_lines(&bytes) as u64).collect();
                    prop_assert_eq!(lines, expected);
                    let errors = rows.iter().filter(|r| r["status"] == "unreadable" || r["status"] == "failed").count();
                    prop_assert_eq!(code == 1, errors > 0, "{}", err);
                }
                other => prop_assert!(false, "exit status {other}: {err}"),
            }
        }
    }
}

#[test]
fn a_reader_that_goes_away_ends_compare_quietly() {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_compare"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end before the program writes (like `compare | head -0`).
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}

/// An input of many blocks (over a megabyte, CRLF and LF line endings, malformed rows among good ones) gives
/// the same output, row for row and in input order, on one worker thread and on several, and every line after
/// the header has its row.
#[test]
fn several_workers_write_what_one_writes_in_input_order() {
    let dir = temp_dir("threads");
    let malformed = std::fs::read_to_string(MALFORMED).unwrap();
    let mut lines = malformed.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let mut text = format!("{header}\r\n");
    let mut n = 0;
    while text.len() < 3 << 20 {
        let ending = if n % 7 == 0 { "\r\n" } else { "\n" };
        text += rows[n % rows.len()];
        text += ending;
        n += 1;
    }
    let input = dir.join("many.csv");
    std::fs::write(&input, &text).unwrap();
    let outputs: Vec<String> = ["1", "3"]
        .iter()
        .map(|threads| {
            let out = dir.join(format!("out-{threads}.jsonl"));
            let (code, _, err) = run(
                SCREEN,
                &[
                    "-q",
                    input.to_str().unwrap(),
                    "--threads",
                    threads,
                    "-o",
                    out.to_str().unwrap(),
                ],
            );
            assert_eq!(code, 1, "malformed rows make the exit status 1: {err}");
            assert!(err.contains(&format!("{n} rows")), "{err}");
            std::fs::read_to_string(&out).unwrap()
        })
        .collect();
    assert_eq!(outputs[0], outputs[1]);
    let lines: Vec<u64> = outputs[0]
        .lines()
        .skip(1)
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["line"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(lines, (2..2 + n as u64).collect::<Vec<_>>());
    std::fs::remove_dir_all(dir).ok();
}

//! Fault injection: valid CSV and JSON Lines files corrupted at random (flipped bytes, inserted and deleted
//! quotes, truncated lines, mixed line endings, invalid UTF-8, duplicated and missing columns). Whatever the
//! damage, nothing panics, and either the whole input is refused before any row (a CSV header error), or every
//! physical line after the header is accounted for by exactly one row naming that line, in order.

use control_screen::input::{COLUMNS, Format, InputError, read_all};
use proptest::prelude::*;

mod common;
use common::matcher;

const ROWS: &[[&str; 11]] = &[
    [
        "ASML",
        "NL",
        "3B001.f.4",
        "NL",
        "8",
        "servicing",
        "CN",
        "SMIC",
        "advanced_logic_fab",
        "2024-03-07",
        "2023-05-01",
    ],
    [
        "Nvidia",
        "US",
        "3A090.a",
        "TW",
        "100",
        "export",
        "CN",
        "Huawei",
        "data_centre",
        "2024-03-07",
        "2024-01-10",
    ],
    [
        "\"JSR, Corp\"",
        "JP",
        "3C002.a",
        "JP",
        "0",
        "export",
        "KR",
        "SK hynix",
        "advanced_memory_fab",
        "2023-03-20",
        "2022-09-12",
    ],
    [
        "Zeiss",
        "DE",
        "3B001.f.4",
        "DE",
        "2.5",
        "spare_parts",
        "CN",
        "华为",
        "civil",
        "2024-05-20",
        "2023-10-30",
    ],
];

fn csv_text(n: usize) -> String {
    let mut out = format!("id,{}\n", COLUMNS.join(","));
    for i in 0..n {
        out += &format!("T{i},{}\n", common::columns(ROWS[i % ROWS.len()]).join(","));
    }
    out
}

fn jsonl_text(n: usize) -> String {
    (0..n)
        .map(|i| {
            let mut obj = serde_json::Map::new();
            obj.insert("id".into(), format!("T{i}").into());
            for (c, v) in COLUMNS.iter().zip(common::columns(ROWS[i % ROWS.len()])) {
                obj.insert((*c).into(), v.trim_matches('"').into());
            }
            format!("{}\n", serde_json::Value::Object(obj))
        })
        .collect()
}

/// The physical lines of `bytes`, as the reader must see them: LF, CRLF and lone CR end a line; a final line
/// without a line break counts.
fn physical_lines(bytes: &[u8]) -> usize {
    let mut n = 0;
    let mut i = 0;
    let mut open = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                n += 1;
                open = false;
            }
            b'\r' => {
                n += 1;
                open = false;
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

#[derive(Clone, Debug)]
enum Damage {
    Flip(usize, u8),
    InsertQuote(usize),
    DeleteQuote(usize),
    Truncate(usize),
    CrLf(usize),
    LoneCr(usize),
    BadUtf8(usize),
    DuplicateColumn,
    DropColumn(usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    let at = any::<usize>();
    prop_oneof![
        (at, any::<u8>()).prop_map(|(a, b)| Damage::Flip(a, b)),
        at.prop_map(Damage::InsertQuote),
        at.prop_map(Damage::DeleteQuote),
        at.prop_map(Damage::Truncate),
        at.prop_map(Damage::CrLf),
        at.prop_map(Damage::LoneCr),
        at.prop_map(Damage::BadUtf8),
        Just(Damage::DuplicateColumn),
        at.prop_map(Damage::DropColumn),
    ]
}

fn apply(mut bytes: Vec<u8>, d: &Damage) -> Vec<u8> {
    let len = bytes.len().max(1);
    match *d {
        Damage::Flip(at, b) => {
            if !bytes.is_empty() {
                bytes[at % len] = b;
            }
        }
        Damage::InsertQuote(at) => bytes.insert(at % len, b'"'),
        Damage::DeleteQuote(at) => {
            if let Some(p) = (0..bytes.len())
                .map(|k| (k + at) % len)
                .find(|&k| bytes[k] == b'"')
            {
                bytes.remove(p);
            }
        }
        Damage::Truncate(at) => {
            // Cut a line short: drop the bytes between a point and the next line break.
            let start = at % len;
            let end = bytes[start..]
                .iter()
                .position(|b| *b == b'\n')
                .map_or(bytes.len(), |p| start + p);
            bytes.drain(start..end);
        }
        Damage::CrLf(at) | Damage::LoneCr(at) => {
            let newline = (0..bytes.len())
                .map(|k| (k + at) % len)
                .find(|&k| bytes[k] == b'\n');
            if let Some(p) = newline {
                if matches!(d, Damage::CrLf(_)) {
                    bytes.insert(p, b'\r');
                } else {
                    bytes[p] = b'\r';
                }
            }
        }
        Damage::BadUtf8(at) => {
            let p = at % len;
            bytes.splice(p..p, [0xff, 0xfe]);
        }
        Damage::DuplicateColumn => {
            let end = bytes
                .iter()
                .position(|b| *b == b'\n')
                .unwrap_or(bytes.len());
            bytes.splice(end..end, *b",item");
        }
        Damage::DropColumn(at) => {
            // Drop one name from the header.
            let end = bytes
                .iter()
                .position(|b| *b == b'\n')
                .unwrap_or(bytes.len());
            let commas: Vec<usize> = (0..end).filter(|&k| bytes[k] == b',').collect();
            if let Some(&c) = commas.get(at % commas.len().max(1)) {
                let next = commas.iter().find(|&&k| k > c).copied().unwrap_or(end);
                bytes.drain(c..next);
            }
        }
    }
    bytes
}

fn check(bytes: &[u8], format: Format) -> Result<(), TestCaseError> {
    let m = matcher();
    match read_all(bytes, format, &m) {
        Ok(rows) => {
            let lines = physical_lines(bytes);
            let first = if format == Format::Csv { 2 } else { 1 };
            let expected: Vec<usize> = (first..=lines).collect();
            let got: Vec<usize> = rows.iter().map(|r| r.line).collect();
            prop_assert_eq!(got, expected);
            for r in &rows {
                if let Err(e) = &r.transaction {
                    prop_assert!(!e.is_empty());
                }
            }
        }
        Err(InputError::Header(problems)) => {
            prop_assert_eq!(format, Format::Csv);
            prop_assert!(!problems.is_empty());
        }
        Err(e) => prop_assert!(false, "{e}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn damaged_csv_loses_no_line(n in 1usize..12, damages in prop::collection::vec(damage(), 1..4)) {
        let bytes = damages.iter().fold(csv_text(n).into_bytes(), apply);
        check(&bytes, Format::Csv)?;
    }

    #[test]
    fn damaged_json_lines_lose_no_line(n in 1usize..12, damages in prop::collection::vec(damage(), 1..4)) {
        let bytes = damages.iter().fold(jsonl_text(n).into_bytes(), apply);
        check(&bytes, Format::Jsonl)?;
    }
}

#[test]
fn the_undamaged_files_read_cleanly() {
    let m = matcher();
    for (text, format) in [(csv_text(8), Format::Csv), (jsonl_text(8), Format::Jsonl)] {
        let rows = read_all(text.as_bytes(), format, &m).unwrap();
        assert_eq!(rows.len(), 8);
        assert!(rows.iter().all(|r| r.transaction.is_ok()), "{rows:?}");
        assert!(rows.iter().all(|r| r.review.is_empty()));
    }
}

#[test]
fn an_unclosed_quote_costs_one_line_and_names_where_it_opened() {
    let text = csv_text(5).replacen("T1,Nvidia", "T1,\"Nvidia", 1);
    let rows = read_all(text.as_bytes(), Format::Csv, &matcher()).unwrap();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[1].line, 3);
    let e = rows[1].transaction.as_ref().unwrap_err();
    assert!(
        e.contains("quote opened at character 4 is not closed"),
        "{e}"
    );
    assert!(
        rows.iter()
            .enumerate()
            .all(|(i, r)| i == 1 || r.transaction.is_ok())
    );
}

#[test]
fn line_numbers_are_physical_lines_for_every_line_ending() {
    for ending in ["\n", "\r\n", "\r"] {
        let text = csv_text(3).replace('\n', ending);
        let rows = read_all(text.as_bytes(), Format::Csv, &matcher()).unwrap();
        assert_eq!(
            rows.iter().map(|r| r.line).collect::<Vec<_>>(),
            [2, 3, 4],
            "{ending:?}"
        );
        assert!(rows.iter().all(|r| r.transaction.is_ok()), "{ending:?}");
    }
}

#[test]
fn invalid_utf8_in_json_lines_is_one_error_row() {
    let mut bytes = jsonl_text(3).into_bytes();
    let second = bytes.iter().position(|b| *b == b'\n').unwrap() + 5;
    bytes.insert(second, 0xff);
    let rows = read_all(&bytes[..], Format::Jsonl, &matcher()).unwrap();
    assert_eq!(rows.len(), 3);
    assert!(
        rows[1]
            .transaction
            .as_ref()
            .unwrap_err()
            .contains("not UTF-8")
    );
    assert!(rows[0].transaction.is_ok() && rows[2].transaction.is_ok());
}

#[test]
fn duplicated_and_missing_columns_stop_before_any_row() {
    let dup = csv_text(2).replacen("contract_date", "contract_date,item.ccl", 1);
    match read_all(dup.as_bytes(), Format::Csv, &matcher()) {
        Err(InputError::Header(p)) => assert!(p[0].contains("`item.ccl` appears twice"), "{p:?}"),
        other => panic!("{other:?}"),
    }
    let missing = csv_text(2).replacen(",us_content", "", 1);
    match read_all(missing.as_bytes(), Format::Csv, &matcher()) {
        Err(InputError::Header(p)) => assert_eq!(p, ["missing column(s): us_content"]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_row_with_too_few_values_keeps_its_id() {
    let text = format!("{}T9,ASML,NL\n", csv_text(1));
    let rows = read_all(text.as_bytes(), Format::Csv, &matcher()).unwrap();
    assert_eq!(rows[1].id.as_deref(), Some("T9"));
    assert_eq!(
        rows[1].transaction.as_ref().unwrap_err(),
        "3 values for 26 columns"
    );
}

#[test]
fn invalid_utf8_in_one_csv_line_is_one_error_row_and_its_neighbours_keep_their_text() {
    // Line 5 (华为) is UTF-8 that is not ASCII; a byte of line 4 breaks the block's UTF-8, so every line is
    // checked on its own.
    let mut bytes = csv_text(4).into_bytes();
    // After the third line ending: in line 4, the third row.
    let line_4 = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(2)
        .unwrap()
        .0;
    bytes.insert(line_4 + 4, 0xff);
    let rows = read_all(&bytes[..], Format::Csv, &matcher()).unwrap();
    assert_eq!(
        rows.iter().map(|r| r.line).collect::<Vec<_>>(),
        [2, 3, 4, 5]
    );
    let error = rows[2].transaction.as_ref().unwrap_err();
    assert!(error.contains("not UTF-8"), "{error}");
    assert!(rows[0].transaction.is_ok() && rows[1].transaction.is_ok());
    let huawei = rows[3].transaction.as_ref().unwrap();
    assert_eq!(huawei.end_user.as_str(), "huawei");
}

/// A screener reads each line into the row of the line before: nothing of that row may stay (its id, its
/// parties for review, its error or its transaction).
#[test]
fn reading_rows_in_place_leaves_nothing_of_the_row_before() {
    let header = format!("id,{}\n", COLUMNS.join(","));
    let row = |id: &str, end_user: &str| {
        let mut old = ROWS[0];
        old[7] = end_user;
        format!("{id},{}\n", common::columns(old).join(","))
    };
    let text = [
        header,
        row("A", "Huawey"),
        row("", "SMIC"),
        "B,too,few\n".into(),
        row("", "SMIC"),
        row("C", "SMIC"),
        "\n".into(),
        row("D", "Huawey"),
        row("E", "SMIC"),
    ]
    .concat();
    let rows = read_all(text.as_bytes(), Format::Csv, &matcher()).unwrap();
    let seen: Vec<(Option<&str>, usize, bool)> = rows
        .iter()
        .map(|r| (r.id.as_deref(), r.review.len(), r.transaction.is_ok()))
        .collect();
    // "Huawey" is not a party of the data (an error) and is close to Huawei (for review).
    assert_eq!(
        seen,
        [
            (Some("A"), 1, false),
            (None, 0, true),
            (Some("B"), 0, false),
            (None, 0, true),
            (Some("C"), 0, true),
            (None, 0, false),
            (Some("D"), 1, false),
            (Some("E"), 0, true),
        ]
    );
    assert_eq!(
        rows[2].transaction.as_ref().unwrap_err(),
        "3 values for 26 columns"
    );
    assert!(
        rows[5]
            .transaction
            .as_ref()
            .unwrap_err()
            .contains("blank line")
    );
}

/// A screener overwrites the last row's transaction in place (keeping a party id where the party is the
/// same): every transaction read so, after rows with other parties in every role, other values in every
/// column and rows with errors, equals the transaction of its line read alone.
#[test]
fn a_transaction_read_in_place_is_the_transaction_of_its_line_alone() {
    let header = format!("id,{}\n", COLUMNS.join(","));
    let row = |id: &str, old: [&str; 11], roles: [&str; 3]| {
        let mut values = common::columns(old);
        for (k, party) in roles.iter().enumerate() {
            values[15 + k] = (*party).to_owned();
        }
        format!("{id},{}\n", values.join(","))
    };
    let lines = [
        row("1", ROWS[0], ["none", "none", "none"]),
        row("2", ROWS[1], ["acme", "sk_hynix", "SMIC"]),
        row("3", ROWS[0], ["acme", "none", "huawei"]),
        "4,too,few\n".to_owned(),
        row("5", ROWS[1], ["none", "acme", "none"]),
        row("6", ROWS[1], ["none", "acme", "none"]),
        row("7", ROWS[0], ["Huawey", "none", "none"]),
        row("8", ROWS[0], ["smic", "huawei", "acme"]),
    ];
    let together = read_all(
        format!("{header}{}", lines.concat()).as_bytes(),
        Format::Csv,
        &matcher(),
    )
    .unwrap();
    assert_eq!(together.len(), lines.len());
    for (line, row) in lines.iter().zip(&together) {
        let alone = read_all(
            format!("{header}{line}").as_bytes(),
            Format::Csv,
            &matcher(),
        )
        .unwrap();
        assert_eq!(row.transaction, alone[0].transaction, "{line}");
    }
    let oks = together.iter().filter(|r| r.transaction.is_ok()).count();
    assert_eq!(
        oks, 6,
        "rows 4 (too few values) and 7 (an unknown party) are errors"
    );
}

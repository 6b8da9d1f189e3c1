//! `screen` in DataFusion gives, row for row, what the screening library gives: the same status, outcome,
//! regimes, deciding rules, citations, review flags and error text, under each scenario, from plain or
//! dictionary-encoded text, from typed columns, and from the bundled Parquet file.

use std::sync::Arc;

use control_core::{Combined, Evaluator, Scenario, Transaction};
use control_datafusion::{Screening, parquet};
use control_screen::input::{self, COLUMNS, Format, ID};
use control_screen::parties::PartyMatcher;
use control_screen::screen::{Screener, regime_out};
use datafusion::arrow::array::{ArrayRef, RecordBatch, StringArray};
use datafusion::prelude::{ParquetReadOptions, SessionContext};
use serde_json::{Value, json};

fn data(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The CSV's records as one batch of text columns (`id` and the 25 columns); a record with another number of
/// values (which no table row can be) is left out.
fn batch_of(csv_text: &str) -> RecordBatch {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    let records: Vec<csv::StringRecord> = reader
        .records()
        .filter_map(Result::ok)
        .filter(|r| r.len() == COLUMNS.len() + 1)
        .collect();
    let columns: Vec<ArrayRef> = (0..=COLUMNS.len())
        .map(|c| {
            Arc::new(StringArray::from_iter_values(
                records.iter().map(|r| r[c].to_owned()),
            )) as ArrayRef
        })
        .collect();
    RecordBatch::try_new(parquet::schema(false), columns).unwrap()
}

/// What the screening library says about each row of the CSV, keyed by id, in the function's JSON shape.
fn expected(csv_text: &str, scenario: Scenario) -> Vec<(String, Value)> {
    let books = examples::rulebooks::all();
    let matcher =
        PartyMatcher::with_data(examples::party_data(), known(&books)).as_of(scenario.as_of);
    let screener = Screener::new(books, scenario).unwrap();
    let rows = input::read_all(csv_text.as_bytes(), Format::Csv, &matcher).unwrap();
    rows.iter()
        .filter_map(|row| {
            let id = row.id.clone()?;
            let s = screener.screen(row);
            let mut o = serde_json::Map::new();
            o.insert("status".into(), json!(s.status()));
            o.insert("summary".into(), json!(control_datafusion::summary(&s)));
            o.insert(
                "as_of".into(),
                json!(
                    scenario
                        .as_of
                        .map_or("each_row_date".into(), |d| d.to_string())
                ),
            );
            o.insert("proposals".into(), json!(scenario.proposals));
            let review: Vec<String> = s
                .review
                .iter()
                .map(|p| {
                    format!(
                        "{}: {} ~ {} ({})",
                        p.column, p.written, p.candidate, p.score
                    )
                })
                .collect();
            o.insert("review".into(), json!(review));
            match &s.result {
                Err(e) => {
                    o.insert("error".into(), json!(e));
                }
                Ok(ds) => {
                    match s.summary() {
                        Some(Combined::Decided(outcome, by)) => {
                            o.insert("outcome".into(), json!(outcome.to_string()));
                            o.insert("decided_by".into(), json!(by));
                        }
                        Some(Combined::Failed(r)) => {
                            o.insert("failed".into(), json!(r));
                        }
                        _ => {}
                    }
                    let regimes: Vec<Value> = ds
                        .iter()
                        .map(|(r, d)| {
                            let x = regime_out(r, d);
                            let mut m = serde_json::Map::new();
                            m.insert("regime".into(), json!(x.regime));
                            if let Some(out) = x.outcome {
                                m.insert("outcome".into(), json!(out.to_string()));
                            }
                            if let Some(c) = x.conflict {
                                m.insert("conflict".into(), json!(c));
                            }
                            if let Some(by) = x.set_by {
                                m.insert("set_by".into(), json!(by));
                            }
                            let rules: Vec<Value> = x
                                .rules
                                .iter()
                                .map(|r| match r.citation {
                                    Some(c) => json!({"rule": r.rule, "citation": c}),
                                    None => json!({"rule": r.rule}),
                                })
                                .collect();
                            m.insert("rules".into(), json!(rules));
                            if let Some(t) = x.deciding_total {
                                m.insert("deciding_total".into(), json!(t));
                            }
                            Value::Object(m)
                        })
                        .collect();
                    o.insert("regimes".into(), json!(regimes));
                }
            }
            Some((id, Value::Object(o)))
        })
        .collect()
}

fn known(books: &[&dyn Evaluator<Case = Transaction>]) -> Vec<control_core::Party> {
    let mut known: Vec<control_core::Party> = Vec::new();
    for p in books.iter().flat_map(|b| b.rule_set().parties()) {
        if !known.iter().any(|k| k.id == p.id) {
            known.push(p.clone());
        }
    }
    known
}

/// Runs `SELECT id, <call> AS s FROM transactions ORDER BY id` and returns (id, s) with nulls left out.
async fn screened(ctx: &SessionContext, call: &str) -> Vec<(String, Value)> {
    let batches = ctx
        .sql(&format!(
            "SELECT {ID}, {call} AS s FROM transactions ORDER BY {ID}"
        ))
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    let mut writer = datafusion::arrow::json::ArrayWriter::new(Vec::new());
    for b in &batches {
        writer.write(b).unwrap();
    }
    writer.finish().unwrap();
    let rows: Vec<Value> = serde_json::from_slice(&writer.into_inner()).unwrap_or_default();
    rows.into_iter()
        .map(|r| (r[ID].as_str().unwrap().to_owned(), r["s"].clone()))
        .collect()
}

fn context(batch: RecordBatch) -> SessionContext {
    let ctx = SessionContext::new();
    Screening::bundled().register(&ctx).unwrap();
    ctx.register_batch("transactions", batch).unwrap();
    ctx
}

fn compare(got: &[(String, Value)], mut want: Vec<(String, Value)>) {
    want.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(got.len(), want.len(), "row counts differ");
    let mut differ = Vec::new();
    for ((gid, g), (wid, w)) in got.iter().zip(&want) {
        assert_eq!(gid, wid);
        if g != w {
            differ.push(format!("{gid}:\n  sql:     {g}\n  library: {w}"));
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {} rows differ:\n{}",
        differ.len(),
        got.len(),
        differ[..differ.len().min(5)].join("\n")
    );
}

fn transactions_csv() -> String {
    std::fs::read_to_string(data("../examples/data/transactions.csv")).unwrap()
}

/// The malformed sample's rows that a table can hold (missing values, bad codes, unknown and nearly matching
/// parties), with the bundled rows, so the errors are compared too.
fn mixed_csv() -> String {
    let bad = std::fs::read_to_string(data("../examples/data/transactions_malformed.csv")).unwrap();
    let good = transactions_csv();
    let mut out = good.clone();
    for line in bad.lines().skip(1) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[tokio::test]
async fn every_row_is_screened_as_the_library_screens_it() {
    let csv = mixed_csv();
    let ctx = context(batch_of(&csv));
    let got = screened(&ctx, &control_datafusion::screen_call()).await;
    let want = expected(&csv, Scenario::CURRENT);
    assert!(want.len() >= 438, "{} rows", want.len());
    assert!(
        got.iter().any(|(_, v)| v["status"] == "unreadable"),
        "the malformed rows must be among the compared"
    );
    compare(&got, want);
}

#[tokio::test]
async fn a_scenario_named_in_the_call_is_the_one_decided_under() {
    let csv = mixed_csv();
    let ctx = context(batch_of(&csv));
    let date = control_core::parse_date("2024-03-07").unwrap();
    for (literal, scenario) in [
        ("'2024-03-07', true", Scenario::as_of(date).with_proposals()),
        ("'each_row_date', true", Scenario::CURRENT.with_proposals()),
        ("'2024-03-07', false", Scenario::as_of(date)),
    ] {
        let call = format!("screen({}, {literal})", control_datafusion::column_list());
        let got = screened(&ctx, &call).await;
        compare(&got, expected(&csv, scenario));
    }
}

#[tokio::test]
async fn dictionary_encoded_text_is_read_as_plain_text() {
    let csv = transactions_csv();
    let mut bytes = Vec::new();
    let rows =
        parquet::csv_to_parquet(std::io::Cursor::new(csv.as_bytes()), &mut bytes, true).unwrap();
    assert_eq!(rows, 438);
    let dir = std::env::temp_dir().join(format!("control-df-dict-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("t.parquet");
    std::fs::write(&path, &bytes).unwrap();
    let ctx = SessionContext::new();
    Screening::bundled().register(&ctx).unwrap();
    ctx.register_parquet(
        "transactions",
        path.to_str().unwrap(),
        ParquetReadOptions::default(),
    )
    .await
    .unwrap();
    let schema = ctx.table("transactions").await.unwrap().schema().clone();
    assert!(
        matches!(
            schema
                .field_with_name(None, "destination")
                .unwrap()
                .data_type(),
            datafusion::arrow::datatypes::DataType::Dictionary(..)
        ),
        "the file must read back dictionary-encoded, or this test tests nothing: {schema}"
    );
    let got = screened(&ctx, &control_datafusion::screen_call()).await;
    std::fs::remove_dir_all(&dir).ok();
    compare(&got, expected(&csv, Scenario::CURRENT));
}

#[tokio::test]
async fn the_bundled_parquet_file_is_the_bundled_csv_converted() {
    let csv = transactions_csv();
    let mut bytes = Vec::new();
    parquet::csv_to_parquet(std::io::Cursor::new(csv.as_bytes()), &mut bytes, false).unwrap();
    let ctx = SessionContext::new();
    let bundled = data("data/transactions.parquet");
    ctx.register_parquet(
        "bundled",
        bundled.to_str().unwrap(),
        ParquetReadOptions::default(),
    )
    .await
    .unwrap();
    let dir = std::env::temp_dir().join(format!("control-df-conv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fresh = dir.join("t.parquet");
    std::fs::write(&fresh, &bytes).unwrap();
    ctx.register_parquet(
        "fresh",
        fresh.to_str().unwrap(),
        ParquetReadOptions::default(),
    )
    .await
    .unwrap();
    let count = |sql: &'static str| {
        let ctx = ctx.clone();
        async move {
            let b = ctx.sql(sql).await.unwrap().collect().await.unwrap();
            datafusion::arrow::util::pretty::pretty_format_batches(&b)
                .unwrap()
                .to_string()
        }
    };
    let differ = count(
        "SELECT count(*) FROM (SELECT * FROM bundled EXCEPT ALL SELECT * FROM fresh) \
         UNION ALL SELECT count(*) FROM (SELECT * FROM fresh EXCEPT ALL SELECT * FROM bundled) \
         UNION ALL SELECT count(*) FROM bundled",
    )
    .await;
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        differ.contains("| 0 ") && differ.contains("| 438 "),
        "data/transactions.parquet is not examples/data/transactions.csv converted; regenerate it with \
         `cargo run --manifest-path control-datafusion/Cargo.toml --bin to_parquet -- \
         examples/data/transactions.csv control-datafusion/data/transactions.parquet`:\n{differ}"
    );
}

#[tokio::test]
async fn the_example_query_counts_every_bundled_row_once() {
    let ctx = SessionContext::new();
    Screening::bundled().register(&ctx).unwrap();
    ctx.register_parquet(
        "transactions",
        data("data/transactions.parquet").to_str().unwrap(),
        ParquetReadOptions::default(),
    )
    .await
    .unwrap();
    let sql = std::fs::read_to_string(data("queries/outcomes_by_destination.sql")).unwrap();
    let sql = sql.trim().trim_end_matches(';');
    let totals = ctx
        .sql(&format!(
            "SELECT summary, sum(transactions) AS n FROM ({sql}) GROUP BY summary ORDER BY summary"
        ))
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    let text = datafusion::arrow::util::pretty::pretty_format_batches(&totals)
        .unwrap()
        .to_string();
    // The screening library's answers for the same rows, summed the same way.
    let want = expected(&transactions_csv(), Scenario::CURRENT);
    let mut summaries: std::collections::BTreeMap<String, usize> = Default::default();
    for (_, v) in &want {
        *summaries
            .entry(v["summary"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    assert!(summaries.len() > 4, "{summaries:?}");
    for (summary, n) in &summaries {
        assert!(
            text.lines()
                .any(|l| l.contains(&format!("| {summary} ")) && l.contains(&format!("| {n} "))),
            "{summary}: {n} rows expected in\n{text}"
        );
    }
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("| ") && !l.contains("summary"))
            .count(),
        summaries.len()
    );
    // It reads one field of the struct, so the plan screens each row once.
    let plan = ctx
        .sql(&format!("EXPLAIN {sql}"))
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    let plan = datafusion::arrow::util::pretty::pretty_format_batches(&plan)
        .unwrap()
        .to_string();
    let physical = &plan[plan.find("physical_plan").unwrap()..];
    assert_eq!(physical.matches("screen(").count(), 1, "{plan}");
}

#[tokio::test]
async fn typed_and_null_arguments_are_read_as_the_csv_reader_reads_text() {
    let ctx = SessionContext::new();
    Screening::bundled().register(&ctx).unwrap();
    let row = |us_content: &str, date: &str, end_user: &str| {
        format!(
            "SELECT screen('ASML', 'NL', '3B001.f.1.b.2.a', '3B001.f.4', '3B001.f.4', '3B001.f.4', 'UNLISTED', \
             'UNLISTED', 'NL', {us_content}, false, 0, 0.0, 'export', 'CN', 'none', 'none', 'none', {end_user}, \
             'advanced_logic_fab', false, 'none', false, {date}, DATE '2023-05-01') AS s"
        )
    };
    let one = |sql: String| {
        let ctx = ctx.clone();
        async move {
            let b = ctx.sql(&sql).await.unwrap().collect().await.unwrap();
            let mut w = datafusion::arrow::json::ArrayWriter::new(Vec::new());
            w.write(&b[0]).unwrap();
            w.finish().unwrap();
            let v: Vec<Value> = serde_json::from_slice(&w.into_inner()).unwrap();
            v[0]["s"].clone()
        }
    };
    let typed = one(row("8", "DATE '2024-03-07'", "'SMIC'")).await;
    let text = one(row("'8'", "'2024-03-07'", "'SMIC'")).await;
    assert_eq!(typed["status"], "decided", "{typed}");
    assert_eq!(typed, text);
    let null = one(row("NULL", "'2024-03-07'", "'SMIC'")).await;
    assert_eq!(null["status"], "unreadable");
    assert_eq!(null["error"], "column `us_content`: missing value");
    assert!(
        null.get("outcome").is_none(),
        "no outcome without a reading: {null}"
    );
    let unknown = one(row("8", "'2024-03-07'", "'Nobody Ltd'")).await;
    assert_eq!(unknown["status"], "unreadable", "{unknown}");
    assert!(
        unknown["error"]
            .as_str()
            .unwrap()
            .contains("add it to the party data")
    );
}

#[tokio::test]
async fn wrong_calls_are_refused_with_the_usage() {
    let ctx = SessionContext::new();
    Screening::bundled().register(&ctx).unwrap();
    let err = ctx
        .sql("SELECT screen('ASML', 'NL')")
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("was given 2 arguments") && err.contains("exporter, exporter_country"),
        "{err}"
    );
    let batch = batch_of(&transactions_csv());
    let ctx = context(batch);
    let call = format!(
        "screen({}, 'yesterday', false)",
        control_datafusion::column_list()
    );
    let err = match ctx.sql(&format!("SELECT {call} FROM transactions")).await {
        Ok(df) => df.collect().await.unwrap_err().to_string(),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("`yesterday` is not a date"), "{err}");
    let e = Screening::new(examples::party_data())
        .udf()
        .unwrap_err()
        .to_string();
    assert!(e.contains("no rule books"), "{e}");
}

#[tokio::test]
async fn json_rule_books_load_analysed() {
    let contradictory = r#"{"name": "x", "regime": "X", "schema": "Transaction", "otherwise": "not_controlled",
      "rules": [{"name": "a", "when": {"field": "destination", "eq": "CN"}, "then": "prohibited"},
                {"name": "b", "when": {"field": "destination", "eq": "CN"}, "then": "not_controlled"}]}"#;
    let e = Screening::new(examples::party_data())
        .with_json_book(contradictory)
        .unwrap_err();
    assert!(e.contains("contradict") || e.contains("conflict"), "{e}");
    let nl = std::fs::read_to_string(data("../examples/data/rulebooks/nl.json")).unwrap();
    let ctx = SessionContext::new();
    Screening::new(examples::party_data())
        .with_json_book(&nl)
        .unwrap()
        .register(&ctx)
        .unwrap();
    ctx.register_batch("transactions", batch_of(&transactions_csv()))
        .unwrap();
    let got = screened(&ctx, &control_datafusion::screen_call()).await;
    assert_eq!(got.len(), 438);
    assert!(got.iter().all(|(_, v)| {
        v["regimes"]
            .as_array()
            .is_none_or(|r| r.iter().all(|r| r["regime"] == "NL"))
    }));
}

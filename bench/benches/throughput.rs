//! Screening throughput on one core: 1,000,000 in-memory transactions (the bundled sample, repeated) through
//! the five compiled rule books of the seed scenario, decisions only, and decisions written as the `screen`
//! program's JSON lines.
//!
//! `cargo bench -p bench --bench throughput`

use std::hint::black_box;

use control_core::{Scenario, Transaction};
use control_screen::input::{Format, InputRow, read_all};
use control_screen::parties::PartyMatcher;
use control_screen::screen::{Screener, Tally};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use examples::rulebooks;

const N: usize = 1_000_000;

fn sample() -> Vec<InputRow> {
    let path = examples::data_dir().join("transactions.csv");
    let file = std::io::BufReader::new(std::fs::File::open(&path).unwrap());
    // The parties' facts come from the bundled party data, as the screen program reads them.
    let parties = PartyMatcher::with_data(examples::party_data(), rulebooks::parties());
    let rows: Vec<InputRow> = read_all(file, Format::Csv, &parties)
        .unwrap()
        .into_iter()
        .filter(|r| r.transaction.is_ok())
        .collect();
    assert!(
        !rows.is_empty(),
        "no bundled transaction could be read: nothing to measure"
    );
    (0..N).map(|i| rows[i % rows.len()].clone()).collect()
}

fn throughput(c: &mut Criterion) {
    let rows = sample();
    let cases: Vec<&Transaction> = rows
        .iter()
        .filter_map(|r| r.transaction.as_ref().ok())
        .collect();
    let books = rulebooks::all();
    let s = Scenario::CURRENT;
    let mut g = c.benchmark_group("screening");
    g.sample_size(10);
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("decide_1m_cases_all_regimes", |b| {
        b.iter(|| {
            let mut levels = 0u64;
            for t in &cases {
                for book in &books {
                    if book.in_jurisdiction(t, &s) {
                        levels += book
                            .decide(t, &s)
                            .outcome()
                            .map_or(0, |o| u64::from(o.level()));
                    }
                }
            }
            black_box(levels)
        })
    });
    let screener = Screener::new(books.clone(), s).expect("the bundled rule books");
    let mut out: Vec<u8> = Vec::with_capacity(256 << 20);
    let mut memo = screener.memo();
    g.bench_function("screen_1m_rows_to_jsonl", |b| {
        b.iter(|| {
            out.clear();
            let mut tally = Tally::new(&screener.regimes());
            for row in &rows {
                // As a worker of the screen program does: decided, written (the same bytes as serde_json,
                // the rendering of decisions met before remembered) and counted.
                screener.screen_json_line(row, &mut memo, &mut out, &mut tally);
            }
            black_box((out.len(), tally.rows))
        })
    });
    g.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);

//! The full analysis (contradictions, dead rules, gaps) of generated rule books of 100 to 100,000 rules (see
//! `bench::rule_set`: cumulative requirements, parties in roles and dated groups among them).
//!
//! `cargo bench -p bench --bench analysis`

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn analysis(c: &mut Criterion) {
    let mut group = c.benchmark_group("analysis");
    group.sample_size(10);
    for n in [100, 1_000, 10_000, 100_000] {
        let rs = bench::rule_set(n, 7);
        group.bench_with_input(BenchmarkId::from_parameter(n), &rs, |b, rs| {
            b.iter(|| black_box(control_core::analysis::analyse(rs).unwrap()))
        });
    }
    group.finish();
}

criterion_group!(benches, analysis);
criterion_main!(benches);

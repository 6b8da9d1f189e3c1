//! Decisions per engine and workload size (see `bench::engines`); every engine's answers are checked to agree
//! on a sample of cases before anything is timed.
//!
//! `cargo bench -p bench --bench engines` (add `--features large` for 10,000 rules).

use std::hint::black_box;

use bench::engines::{self, compiled};
use control_core::{Evaluator, Interpreter, Outcome, Scenario, Transaction};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn prohibited<E: Evaluator<Case = Transaction>>(e: &E, t: &Transaction) -> bool {
    e.decide(t, &Scenario::CURRENT).outcome() == Some(&Outcome::Prohibited)
}

/// The workload of `n` rules: `compiled` is the macro's default expansion, `inline` and `table` each expansion
/// by name (`None` where not built).
fn size<E, I, T>(c: &mut Criterion, n: usize, compiled: &E, inline: Option<&I>, table: &T)
where
    E: Evaluator<Case = Transaction>,
    I: Evaluator<Case = Transaction>,
    T: Evaluator<Case = Transaction>,
{
    let rules = engines::rules(n);
    let naive = engines::naive_rules(&rules);
    let accepted = control_core::analysis::accept(engines::rule_set(&rules)).unwrap();
    let interp = Interpreter::<Transaction>::new(accepted).unwrap();
    let cases = engines::cases(&rules, 1024, 42);
    let mut matched = 0;
    for t in &cases {
        let want = engines::naive(&naive, t);
        assert_eq!(prohibited(compiled, t), want, "compiled disagrees on {t:?}");
        assert_eq!(prohibited(table, t), want, "table disagrees on {t:?}");
        if let Some(inline) = inline {
            assert_eq!(prohibited(inline, t), want, "inline disagrees on {t:?}");
        }
        assert_eq!(
            prohibited(&interp, t),
            want,
            "interpreter disagrees on {t:?}"
        );
        if n == 10 {
            assert_eq!(engines::handwritten::if_chain_10(t), want);
        }
        matched += usize::from(want);
    }
    assert!(
        matched > 0 && matched < cases.len() / 2,
        "{matched} of {} match",
        cases.len()
    );

    let mut g = c.benchmark_group(format!("decide/{n}"));
    let mut i = 0usize;
    let mut next = || {
        i = (i + 1) % cases.len();
        &cases[i]
    };
    g.bench_function(BenchmarkId::new("compiled", n), |b| {
        b.iter(|| black_box(prohibited(compiled, black_box(next()))))
    });
    if let Some(inline) = inline {
        g.bench_function(BenchmarkId::new("compiled_inline", n), |b| {
            b.iter(|| black_box(prohibited(inline, black_box(next()))))
        });
    }
    g.bench_function(BenchmarkId::new("compiled_table", n), |b| {
        b.iter(|| black_box(prohibited(table, black_box(next()))))
    });
    g.bench_function(BenchmarkId::new("interpreter", n), |b| {
        b.iter(|| black_box(prohibited(&interp, black_box(next()))))
    });
    g.bench_function(BenchmarkId::new("naive_loop", n), |b| {
        b.iter(|| black_box(engines::naive(&naive, black_box(next()))))
    });
    if n == 10 {
        g.bench_function(BenchmarkId::new("if_chain", n), |b| {
            b.iter(|| black_box(engines::handwritten::if_chain_10(black_box(next()))))
        });
    }
    #[cfg(feature = "peers")]
    {
        let cedar = bench::peers::Cedar::new(&rules);
        let zen = bench::peers::Zen::new(&rules);
        let zen_uncompiled = bench::peers::Zen::uncompiled(&rules);
        for t in cases.iter().take(256) {
            let want = engines::naive(&naive, t);
            assert_eq!(cedar.prohibited(t), want, "Cedar disagrees on {t:?}");
            assert_eq!(zen.prohibited(t), want, "ZEN disagrees on {t:?}");
            assert_eq!(
                zen_uncompiled.prohibited(t),
                want,
                "ZEN (uncompiled) disagrees on {t:?}"
            );
        }
        // Cedar and ZEN take up to milliseconds per decision: fewer samples keep the run within minutes.
        g.sample_size(if n >= 1_000 { 10 } else { 30 });
        g.bench_function(BenchmarkId::new("cedar", n), |b| {
            b.iter(|| black_box(cedar.prohibited(black_box(next()))))
        });
        g.bench_function(BenchmarkId::new("zen", n), |b| {
            b.iter(|| black_box(zen.prohibited(black_box(next()))))
        });
        g.bench_function(BenchmarkId::new("zen_uncompiled", n), |b| {
            b.iter(|| black_box(zen_uncompiled.prohibited(black_box(next()))))
        });
    }
    g.finish();
}

fn decide(c: &mut Criterion) {
    use compiled::*;
    size(c, 10, &Simple10, Some(&Simple10Inline), &Simple10Table);
    size(c, 100, &Simple100, Some(&Simple100Inline), &Simple100Table);
    size(
        c,
        1_000,
        &Simple1000,
        Some(&Simple1000Inline),
        &Simple1000Table,
    );
    #[cfg(feature = "large")]
    size(
        c,
        10_000,
        &Simple10000,
        None::<&Simple10000>,
        &Simple10000Table,
    );
}

criterion_group!(benches, decide);
criterion_main!(benches);

//! The same queries on an in-process Ballista cluster (a scheduler and an executor on loopback, started by
//! `standalone_with_state`) give what DataFusion alone gives: the function travels by name, and the scheduler
//! and executor resolve it from the session state it was registered on.

use ballista::prelude::SessionConfigExt;
use control_datafusion::Screening;
use datafusion::arrow::util::pretty::pretty_format_batches;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};

fn data(path: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(path)
        .to_string_lossy()
        .into_owned()
}

async fn run(ctx: &SessionContext, sql: &str) -> String {
    let batches = ctx.sql(sql).await.unwrap().collect().await.unwrap();
    pretty_format_batches(&batches).unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_query_on_ballista_gives_the_single_process_result() {
    let local = SessionContext::new();
    Screening::bundled().register(&local).unwrap();

    let cluster = control_datafusion::ballista_standalone(
        Screening::bundled(),
        SessionConfig::new_with_ballista().with_target_partitions(2),
    )
    .await
    .unwrap();

    for ctx in [&local, &cluster] {
        ctx.register_parquet(
            "transactions",
            &data("data/transactions.parquet"),
            ParquetReadOptions::default(),
        )
        .await
        .unwrap();
    }
    let by_destination =
        std::fs::read_to_string(data("queries/outcomes_by_destination.sql")).unwrap();
    let with_proposals = format!(
        "SELECT s['status'] AS status, s['outcome'] AS outcome, count(*) AS n FROM (SELECT screen({}, \
         '2024-03-07', true) AS s FROM transactions) GROUP BY 1, 2 ORDER BY 1, 2",
        control_datafusion::column_list()
    );
    let every_row = format!(
        "SELECT id, s['status'], s['outcome'], s['decided_by'], s['regimes'], s['error'] FROM (SELECT id, {} AS s \
         FROM transactions) ORDER BY id",
        control_datafusion::screen_call()
    );
    // The cluster plans it: Ballista splits the plan into stages joined by shuffles, for its executors.
    let plan = run(&cluster, &format!("EXPLAIN {with_proposals}")).await;
    assert!(plan.contains("UnresolvedShuffleExec"), "{plan}");
    for sql in [by_destination.as_str(), &with_proposals, &every_row] {
        let want = run(&local, sql).await;
        let got = run(&cluster, sql).await;
        assert!(want.lines().count() > 10, "{want}");
        assert_eq!(got, want, "Ballista and DataFusion disagree on\n{sql}");
    }
}

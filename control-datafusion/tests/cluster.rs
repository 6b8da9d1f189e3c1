//! A real cluster on loopback: the `cluster` program started as a scheduler process and an executor process,
//! a client connecting with `remote_with_state`; the query gives what DataFusion alone gives.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ballista::prelude::SessionConfigExt;
use control_datafusion::Screening;
use datafusion::arrow::util::pretty::pretty_format_batches;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};

/// A child process killed when the test ends, passing or not.
struct Process(std::process::Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn start(args: &[&str]) -> Process {
    Process(
        Command::new(env!("CARGO_BIN_EXE_cluster"))
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the cluster program starts"),
    )
}

fn parquet() -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/transactions.parquet")
        .to_string_lossy()
        .into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduler_and_an_executor_process_screen_as_datafusion_does() {
    let scheduler_port = free_port().to_string();
    let _scheduler = start(&[
        "scheduler",
        "--bind-host",
        "127.0.0.1",
        "--external-host",
        "127.0.0.1",
        "--port",
        &scheduler_port,
    ]);
    let (flight, grpc) = (free_port().to_string(), free_port().to_string());
    let _executor = start(&[
        "executor",
        "--scheduler-host",
        "127.0.0.1",
        "--scheduler-port",
        &scheduler_port,
        "--bind-host",
        "127.0.0.1",
        "--external-host",
        "127.0.0.1",
        "--port",
        &flight,
        "--grpc-port",
        &grpc,
        "--concurrent-tasks",
        "2",
    ]);

    let sql = format!(
        "SELECT s['status'] AS status, s['outcome'] AS outcome, count(*) AS n FROM (SELECT {} AS s FROM \
         transactions) GROUP BY 1, 2 ORDER BY 1, 2",
        control_datafusion::screen_call()
    );
    let local = SessionContext::new();
    Screening::bundled().register(&local).unwrap();
    local
        .register_parquet("transactions", &parquet(), ParquetReadOptions::default())
        .await
        .unwrap();
    let want = pretty_format_batches(&local.sql(&sql).await.unwrap().collect().await.unwrap())
        .unwrap()
        .to_string();

    // The processes take a moment to listen and register; try for a minute.
    let url = format!("df://127.0.0.1:{scheduler_port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    let got = loop {
        let attempt = async {
            let ctx = control_datafusion::ballista_remote(
                &url,
                Screening::bundled(),
                SessionConfig::new_with_ballista(),
            )
            .await?;
            ctx.register_parquet("transactions", &parquet(), ParquetReadOptions::default())
                .await?;
            let plan = ctx.sql(&format!("EXPLAIN {sql}")).await?.collect().await?;
            let plan = pretty_format_batches(&plan)?.to_string();
            assert!(plan.contains("UnresolvedShuffleExec"), "{plan}");
            let batches = ctx.sql(&sql).await?.collect().await?;
            Ok::<_, datafusion::error::DataFusionError>(
                pretty_format_batches(&batches)?.to_string(),
            )
        };
        match tokio::time::timeout(Duration::from_secs(30), attempt).await {
            Ok(Ok(text)) => break text,
            Ok(Err(e)) if Instant::now() > deadline => panic!("the cluster never answered: {e}"),
            Err(_) if Instant::now() > deadline => panic!("the cluster never answered in time"),
            _ => tokio::time::sleep(Duration::from_millis(300)).await,
        }
    };
    assert!(want.contains("decided"), "{want}");
    assert_eq!(got, want);
}

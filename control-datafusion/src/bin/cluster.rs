//! A Ballista scheduler or executor process with `screen` registered: the processes of a real cluster.
//!
//! Ballista ships plans between processes with functions named, not serialised, so every scheduler and
//! executor must know `screen` under the same configuration (rule books, party data, default scenario). This
//! program is the stock scheduler and executor with the function registered from the bundled books:
//!
//! ```text
//! cluster scheduler --bind-host 0.0.0.0 --port 50050
//! cluster executor --scheduler-host SCHEDULER --scheduler-port 50050 --bind-host 0.0.0.0 --port 50051 --grpc-port 50052
//! ```
//!
//! and a client connects with `SessionContext::remote_with_state("df://SCHEDULER:50050", state)` (the `sql`
//! program: `--scheduler df://SCHEDULER:50050`). Other rule books: build your own from this file, registering
//! your `Screening`.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use ballista_executor::executor_process::{ExecutorProcessConfig, start_executor_process};
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::start_server;
use clap::Parser;
use control_datafusion::Screening;
use datafusion::execution::{SessionState, SessionStateBuilder};
use datafusion::prelude::SessionConfig;

/// A Ballista scheduler or executor with `screen` registered.
#[derive(Parser, Debug)]
#[command(name = "cluster", version)]
enum Command {
    /// Run a scheduler.
    Scheduler {
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind_host: String,
        /// The host name executors and clients reach this scheduler by.
        #[arg(long, default_value = "localhost")]
        external_host: String,
        /// The port (gRPC) to listen on.
        #[arg(long, default_value_t = 50050)]
        port: u16,
    },
    /// Run an executor.
    Executor {
        /// The scheduler's host.
        #[arg(long, default_value = "localhost")]
        scheduler_host: String,
        /// The scheduler's port.
        #[arg(long, default_value_t = 50050)]
        scheduler_port: u16,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind_host: String,
        /// The host name the scheduler and other executors reach this executor by.
        #[arg(long)]
        external_host: Option<String>,
        /// The Arrow Flight port (results and shuffle data).
        #[arg(long, default_value_t = 50051)]
        port: u16,
        /// The gRPC port (tasks).
        #[arg(long, default_value_t = 50052)]
        grpc_port: u16,
        /// Tasks run at once (default: the cores).
        #[arg(long)]
        concurrent_tasks: Option<usize>,
    },
}

/// A session state with `screen` registered over `config`.
fn state(config: SessionConfig) -> datafusion::error::Result<SessionState> {
    let mut state = SessionStateBuilder::new()
        .with_config(config)
        .with_default_features()
        .build();
    control_datafusion::register_on_state(Screening::bundled(), &mut state)?;
    Ok(state)
}

#[tokio::main]
async fn main() -> ExitCode {
    let result: Result<(), String> = match Command::parse() {
        Command::Scheduler {
            bind_host,
            external_host,
            port,
        } => {
            let addr: Result<SocketAddr, _> = format!("{bind_host}:{port}").parse();
            match addr {
                Err(e) => Err(format!("--bind-host {bind_host} --port {port}: {e}")),
                Ok(addr) => {
                    let config = SchedulerConfig {
                        bind_host,
                        external_host,
                        bind_port: port,
                        ..SchedulerConfig::default()
                    }
                    .with_override_session_builder(Arc::new(state));
                    async {
                        let cluster = BallistaCluster::new_from_config(&config).await?;
                        start_server(cluster, addr, Arc::new(config)).await
                    }
                    .await
                    .map_err(|e| e.to_string())
                }
            }
        }
        Command::Executor {
            scheduler_host,
            scheduler_port,
            bind_host,
            external_host,
            port,
            grpc_port,
            concurrent_tasks,
        } => match state(SessionConfig::new()) {
            Err(e) => Err(e.to_string()),
            Ok(state) => {
                let config = ExecutorProcessConfig {
                    scheduler_host,
                    scheduler_port,
                    bind_host,
                    external_host,
                    port,
                    grpc_port,
                    vcores: concurrent_tasks.unwrap_or_else(|| {
                        std::thread::available_parallelism().map_or(1, |n| n.get())
                    }),
                    override_function_registry: Some(Arc::new((&state).into())),
                    ..ExecutorProcessConfig::default()
                };
                start_executor_process(Arc::new(config))
                    .await
                    .map_err(|e| e.to_string())
            }
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

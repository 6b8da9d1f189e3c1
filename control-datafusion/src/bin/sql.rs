//! Runs SQL over transactions with the `screen` function registered: on this machine (DataFusion), or on an
//! in-process Ballista cluster (a scheduler and an executor on loopback).
//!
//! ```text
//! cargo run --release --manifest-path control-datafusion/Cargo.toml --bin sql
//! cargo run --release --manifest-path control-datafusion/Cargo.toml --bin sql -- --ballista
//! cargo run --release --manifest-path control-datafusion/Cargo.toml --bin sql -- --scheduler df://HOST:50050
//! cargo run --release --manifest-path control-datafusion/Cargo.toml --bin sql -- \
//!     --table transactions=big.parquet --file control-datafusion/queries/outcomes_by_destination.sql --time
//! ```
//!
//! Without `--query` or `--file` it runs `queries/outcomes_by_destination.sql` over the bundled
//! `data/transactions.parquet` (registered as `transactions`) and prints the result as a table.
//! Exit status: 0 on success, 1 when the query fails, 2 on wrong arguments or unreadable files.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use ballista::prelude::SessionConfigExt;
use clap::Parser;
use control_core::Scenario;
use control_datafusion::Screening;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};

/// Screen transactions in SQL.
#[derive(Parser, Debug)]
#[command(name = "sql", version)]
struct Args {
    /// The SQL to run.
    #[arg(long, conflicts_with = "file")]
    query: Option<String>,
    /// A file of SQL (one statement; default: queries/outcomes_by_destination.sql).
    #[arg(long)]
    file: Option<PathBuf>,
    /// A Parquet file (or folder of them) to register as a table: NAME=PATH. Default: the bundled
    /// transactions as `transactions`.
    #[arg(long = "table")]
    tables: Vec<String>,
    /// Run on an in-process Ballista cluster (scheduler and executor on loopback) instead of DataFusion alone.
    #[arg(long, conflicts_with = "scheduler")]
    ballista: bool,
    /// Run on a Ballista cluster whose scheduler is at this URL (`df://HOST:50050`); its scheduler and
    /// executors must have `screen` registered (the `cluster` program).
    #[arg(long)]
    scheduler: Option<String>,
    /// Decide by the rules in force on this date (YYYY-MM-DD) unless a call names its own; default: each row's
    /// own date.
    #[arg(long, value_parser = control_core::parse_date)]
    as_of: Option<control_core::jiff::civil::Date>,
    /// Treat the proposed rules as adopted unless a call says otherwise.
    #[arg(long)]
    with_proposals: bool,
    /// Print the number of result rows and the time the query took (stderr) instead of the result.
    #[arg(long)]
    time: bool,
}

fn package_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let sql = match (&args.query, &args.file) {
        (Some(q), _) => q.clone(),
        (None, file) => {
            let path = file
                .clone()
                .unwrap_or_else(|| package_dir().join("queries/outcomes_by_destination.sql"));
            match std::fs::read_to_string(&path) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("error: {}: {e}", path.display());
                    return ExitCode::from(2);
                }
            }
        }
    };
    let mut tables: Vec<(String, PathBuf)> = Vec::new();
    for t in &args.tables {
        match t.split_once('=') {
            Some((name, path)) if !name.is_empty() && !path.is_empty() => {
                tables.push((name.to_owned(), PathBuf::from(path)));
            }
            _ => {
                eprintln!("error: --table takes NAME=PATH, got `{t}`");
                return ExitCode::from(2);
            }
        }
    }
    if tables.is_empty() {
        tables.push((
            "transactions".into(),
            package_dir().join("data/transactions.parquet"),
        ));
    }
    for (_, path) in &tables {
        if !path.exists() {
            eprintln!("error: {}: no such file or folder", path.display());
            return ExitCode::from(2);
        }
    }
    let screening = Screening::bundled().scenario(Scenario {
        as_of: args.as_of,
        proposals: args.with_proposals,
    });
    match run(&args, screening, &tables, &sql).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

async fn run(
    args: &Args,
    screening: Screening,
    tables: &[(String, PathBuf)],
    sql: &str,
) -> datafusion::error::Result<()> {
    let ctx = if args.ballista || args.scheduler.is_some() {
        let config = SessionConfig::new_with_ballista();
        match &args.scheduler {
            Some(url) => control_datafusion::ballista_remote(url, screening, config).await?,
            None => control_datafusion::ballista_standalone(screening, config).await?,
        }
    } else {
        let ctx = SessionContext::new();
        screening.register(&ctx)?;
        ctx
    };
    for (name, path) in tables {
        let path = path.to_string_lossy();
        ctx.register_parquet(name, path.as_ref(), ParquetReadOptions::default())
            .await?;
    }
    let start = Instant::now();
    let df = ctx.sql(sql).await?;
    if args.time {
        let batches = df.collect().await?;
        let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
        eprintln!(
            "{rows} result rows in {:.3} s{}",
            start.elapsed().as_secs_f64(),
            if args.ballista || args.scheduler.is_some() {
                " (Ballista)"
            } else {
                ""
            }
        );
    } else {
        df.show().await?;
    }
    Ok(())
}

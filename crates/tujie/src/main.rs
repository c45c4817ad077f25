//! `tujie`: the command line of the pipeline.
//!
//! Every subcommand loads the configuration through `tujie-config`, so there is one place where keys are read and
//! validated. Errors end the process with one clear sentence on stderr and exit code 1 (2 for usage errors, which
//! clap reports itself); never a panic or a backtrace.
//!
//! Architecture invariant: all I/O wiring lives here and in the edge crates; `anyhow` is used only in this crate.

mod cli;
mod commands;
mod context;
mod output;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tujie: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(commands::run(cli));
    // Blocking work still running is left behind, not awaited (dropping the runtime would wait for it): a draft
    // whose delivery the shutdown grace period abandoned goes back to the broker, and the dictionary warm-up is only
    // a head start. Awaiting them kept a stopped worker alive for seconds past its grace period.
    runtime.shutdown_background();
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // `{:#}` prints the chain on one line: "cannot open the database: database error: …".
            eprintln!("tujie: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// `tujie coverage | head` closes our stdout early; that is the reader's choice, not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

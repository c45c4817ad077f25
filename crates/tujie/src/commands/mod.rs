//! One module per subcommand; `run` dispatches.

mod config;
mod coverage;
mod dlq;
mod draft;
mod drafts;
mod ingest;
mod intake;
mod report;
mod run;
mod serve;
mod video;
mod worker;

use std::process::ExitCode;

use crate::cli::{Cli, Command, ConfigCommand, MatchCommand};
use crate::context;

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config_path = cli.config.as_deref();
    if let Command::Config(ConfigCommand::Check) = cli.command {
        return config::check(config_path);
    }
    let cfg = context::load_config(config_path)?;
    context::init_logging(&cfg);
    match cli.command {
        Command::Config(ConfigCommand::Check) => unreachable!("handled above"),
        Command::Run(args) => run::run(&cfg, args).await,
        Command::Worker(args) => worker::worker(&cfg, args.until_idle.map(std::time::Duration::from_secs)).await,
        Command::Publish(args) => worker::publish(&cfg, &args.files).await,
        Command::Ingest(args) => ingest::ingest(&cfg, &args.files, !args.no_drafts).await,
        Command::Coverage(args) => coverage::coverage(&cfg, args.format).await,
        Command::Draft(args) => draft::draft(&cfg, args),
        Command::Video(args) => video::video(&cfg, args).await,
        Command::Extract(args) => draft::extract(&cfg, &args.file),
        Command::Drafts(cmd) => drafts::drafts(&cfg, cmd).await,
        Command::Report(args) => report::report(&cfg, args).await,
        Command::Reconcile => worker::reconcile_once(&cfg).await,
        Command::Migrate => {
            let store = context::open_store(&cfg).await?;
            store.migrate().await?;
            eprintln!("database is up to date ({})", cfg.database.redacted().url);
            Ok(ExitCode::SUCCESS)
        }
        Command::Match(MatchCommand::Explain { policy_id }) => {
            let store = context::open_store(&cfg).await?;
            let pipeline = context::pipeline(&cfg, store, false).await?;
            match pipeline.explain(&policy_id).await? {
                Some(explanation) => {
                    println!("{}", serde_json::to_string_pretty(&explanation)?);
                    Ok(ExitCode::SUCCESS)
                }
                None => anyhow::bail!("no policy with id `{policy_id}` is stored"),
            }
        }
        Command::Dlq(cmd) => dlq::dlq(&cfg, cmd).await,
        Command::Serve(args) => serve::serve(&cfg, args).await,
        Command::User(cmd) => serve::user(&cfg, cmd).await,
    }
}

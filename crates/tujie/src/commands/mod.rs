//! One module per subcommand; `run` dispatches.

mod assets;
mod config;
mod coverage;
mod dlq;
mod draft;
mod drafts;
mod explain;
mod ingest;
mod intake;
mod migrate;
mod publish;
mod reconcile;
mod report;
mod run;
mod serve;
mod user;
mod video;
mod worker;

use std::process::ExitCode;

use crate::cli::{AssetsCommand, Cli, Command, ConfigCommand, MatchCommand};
use crate::context;

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config_path = cli.config.as_deref();
    if let Command::Config(ConfigCommand::Check) = cli.command {
        return config::check(config_path);
    }
    let cfg = context::load_config(config_path)?;
    let long_running = matches!(&cli.command, Command::Run(a) if !a.once)
        || matches!(cli.command, Command::Worker(_) | Command::Serve(_));
    context::init_logging(&cfg, long_running);
    match cli.command {
        Command::Config(ConfigCommand::Check) => unreachable!("handled above"),
        Command::Run(args) => run::run(&cfg, args).await,
        Command::Worker(args) => worker::worker(&cfg, args.until_idle.map(std::time::Duration::from_secs)).await,
        Command::Publish(args) => publish::publish(&cfg, &args.files).await,
        Command::Ingest(args) => ingest::ingest(&cfg, &args.files, !args.no_drafts).await,
        Command::Coverage(args) => coverage::coverage(&cfg, args.format).await,
        Command::Draft(args) => draft::draft(&cfg, args),
        Command::Video(args) => video::video(&cfg, args).await,
        Command::Extract(args) => draft::extract(&cfg, &args.file),
        Command::Drafts(cmd) => drafts::drafts(&cfg, cmd).await,
        Command::Report(args) => report::report(&cfg, args).await,
        Command::Reconcile => reconcile::reconcile(&cfg).await,
        Command::Migrate => migrate::migrate(&cfg).await,
        Command::Match(MatchCommand::Explain { policy_id }) => explain::explain(&cfg, &policy_id).await,
        Command::Dlq(cmd) => dlq::dlq(&cfg, cmd).await,
        Command::Serve(args) => serve::serve(&cfg, args).await,
        Command::User(cmd) => user::user(&cfg, cmd).await,
        Command::Assets(AssetsCommand::Gc(args)) => assets::gc(&cfg, args).await,
    }
}

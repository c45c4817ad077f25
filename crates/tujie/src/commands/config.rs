//! `tujie config check`: validate and print the effective configuration.

use std::process::ExitCode;

use crate::context;

pub fn check(path: Option<&str>) -> anyhow::Result<ExitCode> {
    let cfg = context::load_config(path)?;
    print!("{}", toml::to_string_pretty(&cfg.redacted())?);
    eprintln!("configuration is valid");
    Ok(ExitCode::SUCCESS)
}

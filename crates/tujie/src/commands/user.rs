//! `tujie user`: the workspace's accounts (add, list, reset a login token).

use std::process::ExitCode;

use anyhow::Context as _;
use tujie_config::PipelineConfig;
use tujie_review::auth::{hash_secret, new_secret};
use tujie_store::Role;

use crate::cli::{Format, RoleArg, UserCommand};
use crate::{context, output};

pub async fn user(cfg: &PipelineConfig, cmd: UserCommand) -> anyhow::Result<ExitCode> {
    let store = context::open_store(cfg).await?;
    match cmd {
        UserCommand::Add { name, department, role } => {
            let name = name.trim();
            let department = department.as_deref().map(str::trim).filter(|d| !d.is_empty());
            if name.is_empty() {
                anyhow::bail!("the user name must not be empty");
            }
            let role = match role {
                RoleArg::Editor => Role::Editor,
                RoleArg::Supervisor => Role::Supervisor,
            };
            if role == Role::Editor && department.is_none() {
                anyhow::bail!("an editor needs --department (the 责任单位 whose drafts they review)");
            }
            let department = match department {
                Some(d) => Some(
                    tujie_review::departments::resolve(&store, &cfg.review, d)
                        .await
                        .context("--department must name a known department")?,
                ),
                None => None,
            };
            let department = department.as_deref();
            let token = new_secret().context("cannot generate a login token")?;
            let user = store.add_user(name, department, role, &hash_secret(&token)).await?;
            eprintln!(
                "created {} `{}`{}; give them this login token (it is shown only once):",
                role.as_str(),
                user.name,
                department.map(|d| format!(" of {d}")).unwrap_or_default()
            );
            println!("{token}");
        }
        UserCommand::List { format } => {
            let users = store.users().await?;
            match format {
                Format::Jsonl => output::jsonl(&users)?,
                Format::Table => output::table(
                    &["name", "role", "department", "created_at"],
                    &users
                        .iter()
                        .map(|u| {
                            vec![
                                u.name.clone(),
                                u.role.as_str().to_owned(),
                                u.department.clone().unwrap_or_default(),
                                tujie_model::display_time(&u.created_at),
                            ]
                        })
                        .collect::<Vec<_>>(),
                )?,
            }
        }
        UserCommand::ResetToken { name } => {
            let token = new_secret().context("cannot generate a login token")?;
            let user = store.reset_user_token(&name, &hash_secret(&token)).await?;
            eprintln!("new login token for `{}` (the old one and its sessions no longer work):", user.name);
            println!("{token}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

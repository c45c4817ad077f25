//! `tujie serve` (the review workspace, with its event intake) and `tujie user` (its accounts).

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use tujie_config::PipelineConfig;
use tujie_review::auth::{hash_secret, new_secret};
use tujie_review::{EventSink, Intake};
use tujie_store::Role;

use super::intake::{AmqpSink, PipelineSink};
use crate::cli::{Format, RoleArg, ServeArgs, UserCommand};
use crate::{context, output};

pub async fn serve(cfg: &PipelineConfig, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let mut review = cfg.review.clone();
    if let Some(listen) = args.listen {
        review.listen = listen;
        if let Some((_, problem)) = review.validate().into_iter().find(|(key, _)| key == "listen") {
            anyhow::bail!("--listen {problem}");
        }
    }
    let store = context::open_store(cfg).await?;
    let renderer = context::renderer(cfg)?;
    let listener = tokio::net::TcpListener::bind(&review.listen)
        .await
        .with_context(|| format!("cannot listen on {} (review.listen)", review.listen))?;
    let address = listener.local_addr()?;
    // `POST /api/events`: to the broker when the deployment has one, else through the pipeline in this process.
    let sink: Arc<dyn EventSink> = if cfg.pipeline.use_broker {
        eprintln!("POST /api/events publishes to RabbitMQ (exchange {})", cfg.amqp.events_exchange());
        Arc::new(AmqpSink { config: cfg.amqp.clone() })
    } else {
        Arc::new(PipelineSink { pipeline: context::pipeline(cfg, store.clone(), true).await? })
    };
    let intake = Intake { sink, max_event_bytes: cfg.amqp.max_message_bytes };
    if store.users().await?.is_empty() {
        eprintln!("no accounts yet: create one with `tujie user add NAME --department 部门` (or --role supervisor)");
    }
    // Printed for operators and for tests that listen on port 0.
    eprintln!("review workspace listening on http://{address}/ (plain HTTP: serve it to others through a TLS proxy)");
    let app = tujie_review::router_with_intake(
        store.clone(),
        renderer,
        review,
        cfg.text.clone(),
        cfg.report.clone(),
        Some(intake),
    );
    let shutdown = tujie_queue::shutdown_on_signals();
    tujie_review::serve(listener, app, async move { shutdown.wait().await }).await.context("review server failed")?;
    store.close().await;
    eprintln!("review workspace stopped");
    Ok(ExitCode::SUCCESS)
}

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

//! `tujie report`: the supervisors' report for a period (and a department), computed by the pure `tujie-report`
//! crate from `Store::report_facts`; "today" comes from the clock here, China Standard Time.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use tujie_config::PipelineConfig;
use tujie_model::Timestamp;
use tujie_report::{Format, Report, ReportRequest, WorkCalendar};

use crate::cli::{ReportArgs, ReportFormat};
use crate::{context, output};

pub async fn report(cfg: &PipelineConfig, args: ReportArgs) -> anyhow::Result<ExitCode> {
    let today = chrono::Utc::now().with_timezone(&Timestamp::cst()).date_naive();
    let request = ReportRequest::with_defaults(args.from, args.to, args.department, today);
    let store = context::open_store(cfg).await?;
    let started = Instant::now();
    let facts = store.report_facts().await?;
    let report =
        tujie_report::build(&cfg.report, WorkCalendar::official(), &request, &facts.policies, &facts.publications)?;
    let format = match args.format {
        ReportFormat::Table => return table(&report),
        ReportFormat::Md => Format::Markdown,
        ReportFormat::Html => Format::Html,
        ReportFormat::Csv => Format::Csv,
        ReportFormat::Json => Format::Json,
        ReportFormat::Xlsx => Format::Xlsx,
        ReportFormat::Notice => Format::Notice,
        ReportFormat::NoticeDocx => Format::NoticeDocx,
    };
    let bytes = tujie_report::render(&report, format)?;
    match &args.out {
        Some(path) => std::fs::write(path, &bytes).with_context(|| format!("writing {}", path.display()))?,
        None if matches!(format, Format::Xlsx | Format::NoticeDocx) => bail!("this --format needs --out FILE"),
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    tracing::info!(elapsed_ms = started.elapsed().as_millis() as u64, policies = report.policies.len(), "report made");
    Ok(ExitCode::SUCCESS)
}

fn table(r: &Report) -> anyhow::Result<ExitCode> {
    let [figures, ..] = tujie_report::format::tables(r);
    output::table(
        &figures.header,
        &figures.rows.iter().map(|row| row.iter().map(|c| c.text()).collect()).collect::<Vec<_>>(),
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Queues the latest weekly digest due at `now` unless it is queued already; true when queued now.
pub async fn send_weekly(
    cfg: &PipelineConfig,
    store: &tujie_store::Store,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<bool> {
    let schedule = cfg.report.weekly_schedule().context("[report] weekly_day/weekly_time were validated")?;
    let local = now.with_timezone(&Timestamp::cst());
    let week = tujie_report::weekly::due(schedule, local.naive_local());
    let facts = store.report_facts().await?;
    let request = ReportRequest { from: week.0, to: week.1, department: None };
    let report =
        tujie_report::build(&cfg.report, WorkCalendar::official(), &request, &facts.policies, &facts.publications)?;
    let event = tujie_model::OutboundEvent::new(
        tujie_model::OutboundType::ReportWeekly,
        &tujie_report::weekly::key(week),
        Timestamp(local.fixed_offset()),
        tujie_report::weekly::digest(&report),
    );
    Ok(store.enqueue(&event).await?)
}

/// Checks every few minutes whether the weekly digest is due and queues it once (its id names the week, so
/// several workers queue it once between them).
pub async fn weekly_every(cfg: &PipelineConfig, store: &tujie_store::Store, shutdown: tujie_queue::Shutdown) {
    const EVERY: std::time::Duration = std::time::Duration::from_secs(300);
    let mut sent: Option<(NaiveDate, NaiveDate)> = None;
    loop {
        let Some(schedule) = cfg.report.weekly_schedule() else { return };
        let now = chrono::Utc::now();
        let week = tujie_report::weekly::due(schedule, now.with_timezone(&Timestamp::cst()).naive_local());
        if sent != Some(week) {
            match send_weekly(cfg, store, now).await {
                Ok(queued) => {
                    sent = Some(week);
                    tracing::info!(from = %week.0, to = %week.1, queued, "weekly digest");
                }
                Err(e) => tracing::warn!(error = %e, "weekly digest failed; retried at the next check"),
            }
        }
        tokio::select! {
            () = shutdown.wait() => return,
            () = tokio::time::sleep(EVERY) => {}
        }
    }
}

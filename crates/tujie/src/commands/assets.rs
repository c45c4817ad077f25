//! `tujie assets gc`: removes drafts' files and objects that no row names.

use std::process::ExitCode;

use tujie_config::PipelineConfig;
use tujie_store::AssetBackend;

use crate::cli::GcArgs;
use crate::context;

/// One collection: each removed name on stdout, the counts and bytes on stderr.
pub async fn gc(cfg: &PipelineConfig, args: GcArgs) -> anyhow::Result<ExitCode> {
    if cfg.database.asset_store == AssetBackend::Database {
        eprintln!("nothing to collect: [database] asset_store = \"database\" keeps drafts' files in their rows");
        return Ok(ExitCode::SUCCESS);
    }
    let store = context::open_store(cfg).await?;
    let report = store.collect_asset_garbage(args.older_than, args.dry_run).await?;
    for (key, _) in &report.removed {
        println!("{key}");
    }
    eprintln!(
        "{} {} files ({} bytes) that no draft names and older than {}; kept {} named and {} younger; {} examined",
        if args.dry_run { "would remove" } else { "removed" },
        report.removed.len(),
        report.removed_bytes(),
        describe(args.older_than),
        report.named,
        report.young,
        report.examined,
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

fn describe(age: std::time::Duration) -> String {
    let secs = age.as_secs();
    match secs {
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s % 3_600 == 0 => format!("{}h", s / 3_600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

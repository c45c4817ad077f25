//! Asset garbage collection: removing the files and objects that no draft row names.
//!
//! Orphans come from transactions that wrote their files and then failed or turned out to be duplicates, from
//! edits and re-renders that replaced a draft's files, and, in the folder store, from writers killed between
//! writing a temporary file and renaming it (`.{key}.tmp`, which no row ever names). Collection is safe while workers write, by two rules:
//! - every write gets a name of its own (`{sha256}-{random}.png`), so no writer ever re-uses a file that the
//!   collector has judged an orphan; and
//! - only files older than the bound are removed. A file is written just before the transaction that names it
//!   commits, so a file older than the bound is either named by a committed row (seen by the query below, which
//!   runs after the listing) or by no row ever, unless one transaction took longer than the bound between
//!   writing its files and committing. The bound is a day by default; transactions take milliseconds.

use std::collections::HashSet;
use std::time::{Duration, SystemTime};

use sqlx::Row as _;

use crate::{Store, StoreError};

/// What one collection found and did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GcReport {
    /// Files and objects looked at.
    pub examined: usize,
    /// Named by a draft row: kept.
    pub named: usize,
    /// Named by no row but younger than the bound: kept (their transaction may not have committed yet).
    pub young: usize,
    /// Removed (or, in a dry run, that would be), with their sizes in bytes.
    pub removed: Vec<(String, u64)>,
}

impl GcReport {
    pub fn removed_bytes(&self) -> u64 {
        self.removed.iter().map(|(_, size)| size).sum()
    }
}

impl Store {
    /// Removes the draft files and objects that no row names and that are older than `older_than`; with
    /// `dry_run`, only says which. Nothing to do for `asset_store = "database"`.
    pub async fn collect_asset_garbage(&self, older_than: Duration, dry_run: bool) -> Result<GcReport, StoreError> {
        // List first, then read the names: a row that commits after the query names a file written after the
        // listing began or one younger than the bound (see the module docs).
        let stored = self.assets.list().await?;
        let named = self.named_asset_keys().await?;
        let cutoff = SystemTime::now().checked_sub(older_than).unwrap_or(SystemTime::UNIX_EPOCH);
        let mut report = GcReport { examined: stored.len(), ..GcReport::default() };
        for file in stored {
            if named.contains(&file.key) {
                report.named += 1;
            } else if file.modified > cutoff {
                report.young += 1;
            } else {
                if !dry_run {
                    self.assets.remove(&file.key).await?;
                }
                report.removed.push((file.key, file.size));
            }
        }
        Ok(report)
    }

    /// Every file key a draft row names.
    async fn named_asset_keys(&self) -> Result<HashSet<String>, StoreError> {
        let rows =
            sqlx::query("SELECT png_key, preview_key FROM drafts WHERE png_key IS NOT NULL OR preview_key IS NOT NULL")
                .fetch_all(&self.pool)
                .await?;
        let mut keys = HashSet::with_capacity(rows.len() * 2);
        for row in rows {
            keys.extend(row.try_get::<Option<String>, _>("png_key")?);
            keys.extend(row.try_get::<Option<String>, _>("preview_key")?);
        }
        // The 音视频解读 of drafts (`videos.rs`) keep their MP4 and M4A in the same store.
        let videos = sqlx::query(
            "SELECT video_key, audio_key FROM draft_videos WHERE video_key IS NOT NULL OR audio_key IS NOT NULL",
        )
        .fetch_all(&self.pool)
        .await?;
        for row in videos {
            keys.extend(row.try_get::<Option<String>, _>("video_key")?);
            keys.extend(row.try_get::<Option<String>, _>("audio_key")?);
        }
        Ok(keys)
    }
}

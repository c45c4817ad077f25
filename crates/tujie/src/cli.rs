//! Command-line syntax (clap). Behaviour lives in `commands`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "tujie", version, about = "政策图解流水线：发现缺少图解解读的政策，生成图解草稿供编辑审核")]
pub struct Cli {
    /// Configuration file (default: ./pipeline.toml if it exists, else built-in defaults).
    #[arg(long, short = 'c', global = true, env = "TUJIE_CONFIG")]
    pub config: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run everything the configuration enables: the broker worker and relay, or the inbox folder.
    Run(RunArgs),
    /// Consume events from RabbitMQ and process them (with the outbox relay and the metrics endpoint).
    Worker(WorkerArgs),
    /// The editors' review workspace (web): review, edit, approve or reject drafts; reports for supervisors.
    Serve(ServeArgs),
    /// Publish events from JSON Lines files to RabbitMQ, with publisher confirms.
    Publish(FilesArgs),
    /// Process events from JSON Lines files through the same pipeline as the worker, without a broker.
    Ingest(IngestArgs),
    /// One line per policy: whether it has a rich interpretation, and its draft.
    Coverage(FormatArgs),
    /// Render one draft from a policy event JSON or a plain text file, without database or broker.
    Draft(DraftArgs),
    /// Make the 音视频解读 of one document or stored draft: narration script, subtitles (SRT, WebVTT), narration
    /// WAV, audio version (M4A) and a 1080×1920 video (MP4), with the `[media]` speech backend and ffmpeg. A stored
    /// draft is narrated from its current content and 口播稿, and the result is recorded as its video.
    Video(VideoArgs),
    /// Drafts stored in the database.
    #[command(subcommand)]
    Drafts(DraftsCommand),
    /// Supervisors' report for a period: coverage, timeliness in working days, stale and blank columns, and the
    /// policies still lacking a rich interpretation.
    Report(ReportArgs),
    /// One reconciliation pass: re-match policies without a rich interpretation and make drafts no event asked
    /// for (the worker runs one every `[pipeline] reconcile_interval_secs`).
    Reconcile,
    /// Apply database migrations.
    Migrate,
    /// Configuration commands.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Accounts of the review workspace.
    #[command(subcommand)]
    User(UserCommand),
    /// Print the outline and infographic content extracted from a policy event JSON or plain text file.
    Extract(ExtractArgs),
    /// Matching commands.
    #[command(name = "match", subcommand)]
    Match(MatchCommand),
    /// Dead-letter queue: list, requeue or purge.
    #[command(subcommand)]
    Dlq(DlqCommand),
    /// Drafts' PNG files in the folder or S3 bucket (`[database] asset_store`).
    #[command(subcommand)]
    Assets(AssetsCommand),
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Process the inbox folder once and exit instead of watching it.
    #[arg(long)]
    pub once: bool,
    /// Inbox folder of *.jsonl event files (overrides `pipeline.inbox_dir`).
    #[arg(long)]
    pub inbox: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Exit 0 once the queue has been empty and nothing in flight for this many seconds.
    #[arg(long, value_name = "SECS")]
    pub until_idle: Option<u64>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// host:port to listen on (overrides `review.listen`).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// Reviews the drafts of their own department.
    Editor,
    /// Sees every department and the report.
    Supervisor,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account and print its login token (shown once; only a hash is stored).
    Add {
        /// The name recorded with every edit and decision, e.g. 张三.
        name: String,
        /// The 责任单位 whose drafts an editor reviews, exactly as events name it (required for editors).
        #[arg(long)]
        department: Option<String>,
        #[arg(long, value_enum, default_value = "editor")]
        role: RoleArg,
    },
    /// List accounts.
    List {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Issue a new login token for an account (the old one and its sessions stop working).
    ResetToken { name: String },
}

#[derive(Debug, Args)]
pub struct FilesArgs {
    /// JSON Lines files; `-` reads standard input.
    #[arg(required = true)]
    pub files: Vec<String>,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Store and match only; make no drafts.
    #[arg(long)]
    pub no_drafts: bool,
    /// JSON Lines files; `-` reads standard input.
    #[arg(required = true)]
    pub files: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Jsonl,
    Table,
}

#[derive(Debug, Args)]
pub struct FormatArgs {
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// First day of the period, YYYY-MM-DD in China Standard Time (default: the first day of the quarter of --to).
    #[arg(long, value_name = "DATE")]
    pub from: Option<chrono::NaiveDate>,
    /// Last day of the period, YYYY-MM-DD (default: today in China Standard Time). Everything is judged as of it.
    #[arg(long, value_name = "DATE")]
    pub to: Option<chrono::NaiveDate>,
    /// Only this department (责任单位) and the sites configured for it.
    #[arg(long)]
    pub department: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: ReportFormat,
    /// Write to this file instead of standard output (required for xlsx and notice-docx).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Output of `tujie report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// The figures by department, as a terminal table.
    Table,
    Md,
    Html,
    Csv,
    Json,
    Xlsx,
    /// The 通报 draft (一、存在的问题 by unit, then the figures) as Markdown.
    Notice,
    /// The 通报 draft as DOCX (needs --out).
    NoticeDocx,
}

#[derive(Debug, Args)]
pub struct DraftArgs {
    /// A policy event JSON (`{"event_id", "type", "document"}`) or a plain text file.
    pub file: PathBuf,
    /// Output folder; gets <document id>.svg, .png, .preview.png and .json.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    #[command(flatten)]
    pub draw: DrawArgs,
}

/// How `tujie draft` and `tujie video` draw: from FILE or from an edited content, as a draft or as approved.
#[derive(Debug, Args)]
pub struct DrawArgs {
    /// Draw as approved (no 草稿 mark).
    #[arg(long)]
    pub approved: bool,
    /// Use this edited content JSON instead of extracting from FILE (the `.json` of `tujie draft` works).
    #[arg(long, value_name = "CONTENT_JSON")]
    pub content: Option<PathBuf>,
}

impl DrawArgs {
    /// The render mode the flags ask for.
    pub fn mode(&self) -> tujie_render::Mode {
        if self.approved { tujie_render::Mode::Approved } else { tujie_render::Mode::Draft }
    }
}

#[derive(Debug, Args)]
pub struct VideoArgs {
    /// A policy event JSON (`{"event_id", "type", "document"}`) or a plain text file; or, when no such file
    /// exists, the id of a stored draft (`dr-…`).
    pub file: PathBuf,
    /// Output folder; gets script.txt, script.json, subtitles.srt, subtitles.vtt, narration.wav, audio.m4a and
    /// video.mp4.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    #[command(flatten)]
    pub draw: DrawArgs,
}

#[derive(Debug, Subcommand)]
pub enum DraftsCommand {
    /// List drafts.
    List(DraftsListArgs),
    /// Write a stored draft's SVG, PNG, preview and content JSON to a folder, and its video's MP4, M4A, WebVTT
    /// and SRT when one was made.
    Export {
        draft_id: String,
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
    /// Approve a pending draft (queues `draft.approved`).
    Approve(ReviewArgs),
    /// Reject a pending draft.
    Reject(ReviewArgs),
}

#[derive(Debug, Args)]
pub struct DraftsListArgs {
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Only drafts with this status (pending, approved, rejected, superseded).
    #[arg(long)]
    pub status: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    pub draft_id: String,
    /// Who decided (recorded in the audit log).
    #[arg(long, default_value = "cli")]
    pub by: String,
    #[arg(long)]
    pub comment: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Validate the configuration and print the effective values, secrets redacted.
    Check,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// A policy event JSON or a plain text file.
    pub file: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum MatchCommand {
    /// Show every candidate considered for a policy and why each was accepted or rejected.
    Explain { policy_id: String },
}

#[derive(Debug, Subcommand)]
pub enum DlqCommand {
    /// Show dead letters with their reasons (non-destructive).
    List {
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Publish dead letters back to the events exchange with their original routing key.
    Requeue {
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// Delete every dead letter.
    Purge,
}

#[derive(Debug, Subcommand)]
pub enum AssetsCommand {
    /// Remove the files and objects that no draft row names and that are older than the bound; prints each
    /// removed name on stdout and the counts and bytes on stderr. Safe while workers write.
    Gc(GcArgs),
}

#[derive(Debug, Args)]
pub struct GcArgs {
    /// Keep anything younger than this (`30m`, `12h`, `1d`; at least `1m`): a file is written just before the
    /// transaction that names it commits, so a younger one may belong to a draft still being stored.
    #[arg(long, value_name = "AGE", default_value = "1d", value_parser = parse_age)]
    pub older_than: std::time::Duration,
    /// Only say what would be removed.
    #[arg(long)]
    pub dry_run: bool,
}

/// `90s`, `30m`, `12h`, `7d`: a whole number and one unit, at least a minute.
fn parse_age(text: &str) -> Result<std::time::Duration, String> {
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let unit_secs = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => return Err(format!("`{text}`: expected a whole number and a unit s, m, h or d, like 1d or 12h")),
    };
    let secs = number.parse::<u64>().map_err(|_| format!("`{text}`: expected a whole number before the unit"))?;
    let age = std::time::Duration::from_secs(secs.saturating_mul(unit_secs));
    if age < std::time::Duration::from_secs(60) {
        return Err(format!("`{text}` is under a minute: a file that young may belong to a draft being stored"));
    }
    Ok(age)
}

#[cfg(test)]
mod tests {
    use super::parse_age;

    #[test]
    fn ages_parse_and_too_short_ones_are_refused() {
        assert_eq!(parse_age("1d").unwrap().as_secs(), 86_400);
        assert_eq!(parse_age("90s").unwrap().as_secs(), 90);
        assert_eq!(parse_age("12h").unwrap().as_secs(), 43_200);
        assert!(parse_age("30s").unwrap_err().contains("under a minute"));
        assert!(parse_age("1w").unwrap_err().contains("unit"));
        assert!(parse_age("d").unwrap_err().contains("whole number"));
    }
}

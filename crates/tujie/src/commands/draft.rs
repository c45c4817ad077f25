//! `tujie draft` and `tujie extract`: one document, no database, no broker.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use serde_json::json;
use tujie_config::PipelineConfig;
use tujie_model::event::Payload;
use tujie_model::{Document, InboundEvent, InfographicContent};

use crate::cli::DraftArgs;
use crate::context;

/// Reads a policy event JSON, or else treats the file as plain text.
pub(crate) fn read_document(cfg: &PipelineConfig, path: &Path) -> anyhow::Result<Document> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let looks_like_json = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if looks_like_json {
        let event = InboundEvent::from_slice(&bytes, cfg.amqp.max_message_bytes)
            .with_context(|| format!("{} is not a valid policy event", path.display()))?;
        return match event.payload {
            Payload::Published(doc) => Ok(doc),
            Payload::Withdrawn { .. } => anyhow::bail!("{} is a withdrawal event, not a document", path.display()),
        };
    }
    let text =
        String::from_utf8(bytes).with_context(|| format!("{} is neither JSON nor UTF-8 text", path.display()))?;
    let id = path.file_stem().map_or_else(|| "document".to_owned(), |s| s.to_string_lossy().into_owned());
    Ok(tujie_text::document_from_plain_text(&id, &text))
}

pub fn extract(cfg: &PipelineConfig, path: &Path) -> anyhow::Result<ExitCode> {
    let doc = read_document(cfg, path)?;
    let extraction = tujie_text::extract(&doc, &cfg.text).with_context(|| format!("cannot extract {}", doc.id))?;
    println!("{}", serde_json::to_string_pretty(&extraction)?);
    Ok(ExitCode::SUCCESS)
}

pub fn draft(cfg: &PipelineConfig, args: DraftArgs) -> anyhow::Result<ExitCode> {
    let doc = read_document(cfg, &args.file)?;
    let (content, source_text) = content_of(cfg, &doc, args.draw.content.as_deref())?;
    let renderer = context::renderer(cfg)?;
    let mode = args.draw.mode();
    let rendered = renderer.render(&content, doc.site.as_deref(), mode).context("cannot render the draft")?;
    std::fs::create_dir_all(&args.out).with_context(|| format!("cannot create {}", args.out.display()))?;
    let stem = safe_file_stem(&doc.id);
    let write = |ext: &str, bytes: &[u8]| -> anyhow::Result<()> {
        let path = args.out.join(format!("{stem}.{ext}"));
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
    };
    write("svg", rendered.svg.as_bytes())?;
    write("png", &rendered.png)?;
    write("preview.png", &rendered.preview_png)?;
    let record = json!({
        "document_id": doc.id,
        "template": rendered.template,
        "warnings": rendered.warnings,
        "missing_glyphs": rendered.missing_glyphs,
        "content": content,
        "source_text": source_text,
    });
    write("json", serde_json::to_string_pretty(&record)?.as_bytes())?;
    for w in &rendered.warnings {
        eprintln!("warning: {w}");
    }
    eprintln!("wrote {}/{stem}.{{svg,png,preview.png,json}} ({})", args.out.display(), rendered.template);
    Ok(ExitCode::SUCCESS)
}

/// The content to draw: the edited content JSON at `edited`, checked against the source (no source text returned
/// then), else extracted from `doc` with its source text.
pub(crate) fn content_of(
    cfg: &PipelineConfig,
    doc: &Document,
    edited: Option<&Path>,
) -> anyhow::Result<(InfographicContent, Option<String>)> {
    let x = tujie_text::extract(doc, &cfg.text).with_context(|| format!("cannot extract {}", doc.id))?;
    match edited {
        Some(path) => Ok((checked_edit(read_content(path)?, &x, path)?, None)),
        None => Ok((x.content, Some(x.source_text))),
    }
}

/// The workspace's rule for edits, applied to edited content: every number, date and 文号 in a text the machine
/// draft does not hold must occur in the source text, or the edit is refused naming the tokens.
fn checked_edit(
    edited: InfographicContent,
    extraction: &tujie_text::Extraction,
    path: &Path,
) -> anyhow::Result<InfographicContent> {
    let machine: std::collections::HashSet<&str> = extraction.content.texts().into_iter().collect();
    let mut unsupported: Vec<String> = Vec::new();
    for text in edited.texts().into_iter().filter(|t| !machine.contains(t)) {
        unsupported.extend(tujie_text::faithful::unsupported_tokens(text, &extraction.source_text));
    }
    unsupported.sort();
    unsupported.dedup();
    if !unsupported.is_empty() {
        anyhow::bail!(
            "{} brings in numbers, dates or 文号 the source text does not contain: {}",
            path.display(),
            unsupported.join("、")
        );
    }
    Ok(edited)
}

/// Accepts the bare content or the `.json` record `tujie draft` writes (content under `"content"`).
fn read_content(path: &Path) -> anyhow::Result<InfographicContent> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not valid JSON", path.display()))?;
    let content = value.get("content").cloned().unwrap_or(value);
    serde_json::from_value(content).with_context(|| format!("{} is not infographic content", path.display()))
}

/// Document ids come from upstream; keep only characters that are safe in file names everywhere.
pub fn safe_file_stem(id: &str) -> String {
    let s: String =
        id.chars().map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect();
    if s.is_empty() || s.starts_with('.') { format!("doc{s}") } else { s }
}

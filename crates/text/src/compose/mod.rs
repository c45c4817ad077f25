//! Infographic content from the outline, in named passes; every bullet, step, date, figure and table cell is
//! built from source text and carries its spans.
//!
//! 1. **frames** ([`frames`]): the fact-bearing sentences of the content, typed (amount, eligibility, deadline,
//!    procedure, materials, contact, target), each with the key a draft must show.
//! 2. **plan** ([`plan`]): which sections the draft has (typed by the document's chapter and item headings) and
//!    what each gathers; the document type decides what the draft must keep ([`plan::DocPlan`]).
//! 3. **select** ([`select`], [`candidates`], [`timeline`]): the best lines of each section by salience, steps of
//!    a procedure, the dated lines of the timeline and the contacts; a sentence is shown once.
//! 4. **label** ([`label`]): title, subtitle, and figures whose labels name their subject and measure.
//! 5. **fit** ([`fit`]): sections chosen and ordered within the limits, tables in place of the bullets they
//!    show, and completion: no frame's key is left out while a bullet without one stays.

pub mod candidates;
pub mod fit;
pub mod frames;
pub mod label;
pub mod plan;
pub mod select;
pub mod timeline;

use std::ops::Range;

use tujie_model::{InfographicContent, SectionKind};

use crate::TextConfig;
use crate::facts::Facts;
use crate::metadata::Metadata;
use crate::normalize::Norm;
use crate::outline::{DocType, Layout};
use candidates::Ctx;

pub use fit::section_order;
pub(crate) use fit::{chapter_index, section_index};
pub use plan::kind_of_heading;

/// Builds the infographic content of a document.
pub fn compose(
    norm: &Norm,
    lay: &Layout,
    meta: &Metadata,
    facts: &Facts,
    doc_type: &DocType,
    cfg: &TextConfig,
) -> InfographicContent {
    let ctx = Ctx::new(norm, lay, cfg);
    let lines: Vec<Range<usize>> = lay.content.clone().map(|i| lay.lines[i].clone()).collect();
    let content = match (lines.first(), lines.last()) {
        (Some(a), Some(b)) => a.start..b.end,
        _ => 0..0,
    };
    // frames
    let frames = frames::find(norm, &lines, facts);
    // plan
    let doc_plan = plan::DocPlan::for_type(doc_type);
    let frames: Vec<&frames::Frame> = frames.iter().filter(|f| doc_plan.frame_kinds.contains(&f.kind)).collect();
    let builders = plan::plan(&ctx);
    // select
    let pre_end = if ctx.first_node_line < lay.content.end && !lay.nodes.is_empty() {
        lay.lines[ctx.first_node_line].start
    } else {
        0
    };
    let (date_items, date_labels): (Vec<_>, Vec<_>) =
        timeline::dates(norm, facts, cfg, content.clone(), pre_end).into_iter().unzip();
    let validity = validity_ranges(lay, meta);
    // Lines shown as timeline labels are not repeated as bullets; validity lines go to the timeline, not to
    // whichever item they trail.
    let preset: Vec<Range<usize>> = date_labels.into_iter().chain(validity.iter().cloned()).collect();
    let mut sel = select::sections(&ctx, &builders, preset.clone());
    select::timeline(&ctx, &mut sel, date_items, &validity, &preset);
    select::contacts(&ctx, &mut sel, facts);
    // label
    let fig_start = if lay.nodes.is_empty() { content.start } else { pre_end.max(content.start) };
    let figures = label::figures(norm, facts, fig_start..content.end, cfg, &mut sel.sections);
    // fit
    let mut out = InfographicContent {
        title: label::title(norm, lay, meta, doc_type),
        subtitle: label::subtitle(meta),
        source_title: None,
        source_url: None,
        figures,
        sections: fit::choose(&ctx, sel),
    };
    let chapters = plan::chapters(&ctx);
    // A table inside a chapter the draft shows goes into that chapter (see `tables::place`).
    let chapter_of = |r: &Range<usize>| {
        plan::chapter_at(&chapters, r).filter(|c| c.kind == SectionKind::MainContent).map(|c| c.heading.clone())
    };
    let tables = crate::tables::find(norm, &lines, facts);
    crate::tables::place(
        &mut out,
        tables
            .into_iter()
            .map(|(t, r)| crate::tables::Placed { home: chapter_of(&r), range: norm.span(r), table: t })
            .collect(),
        cfg.max_tables,
        cfg.max_sections,
    );
    fit::complete(norm, &frames, &doc_plan, &chapters, &fit::run_ins(norm, lay), cfg, &mut out);
    fit::drop_title_bullets(&mut out, &meta.title);
    fit::merge_same_headings(&mut out, cfg);
    fit::drop_repeats(&mut out);
    fit::gather_contacts(&mut out, cfg.max_sections);
    fit::unmark(norm, lay, &mut out);
    fit::lead_exclusions(norm, lay, cfg.max_bullets_per_section + cfg.max_fact_bullets, &mut out);
    out
}

/// Validity statements (`有效期…`, `自…起施行`) inside the content.
fn validity_ranges(lay: &Layout, meta: &Metadata) -> Vec<Range<usize>> {
    meta.validity
        .iter()
        .filter(|v| {
            lay.content.start < lay.lines.len()
                && v.range.start >= lay.lines[lay.content.start.min(lay.lines.len() - 1)].start
        })
        .map(|v| v.range.clone())
        .collect()
}

//! The fit pass: from selected sections to a draft that keeps its limits without dropping a fact.
//!
//! 1. **Choose sections** ([`choose`]): empty sections go; 出台背景 goes when the draft has enough other sections;
//!    a draft with too few sections besides 出台背景 (which says why, not what) continues the section with the most
//!    leftover lines; a draft with too many drops 背景, then 保障措施, then 主要内容 sections, lowest score first;
//!    sections are ordered who → how much → how → when → where.
//! 2. **Tables** ([`crate::tables::place`]) go into the chapter they were found in when the draft shows it, else
//!    into 标准, and replace the bullets they show whole.
//! 3. **Completion** ([`complete`]): every [`Frame`] whose key the draft does not show yet becomes a bullet of the
//!    section its kind belongs to (created when missing), in frame-kind order (amounts first). A full section
//!    ([`section_cap`]: none is full when every missing frame fits the draft) gives up a bullet that shows no frame key; a full draft gives up its least useful section (背景, 保障措施,
//!    then a 主要内容 section without facts). Short notices therefore keep all of their facts, and long ones keep
//!    the facts a reader acts on instead of their general words. A frame opening an item with a run-in heading
//!    is led by the heading ([`headed_bullet`]), which names the task or measure the sentence only details.
//! 4. **Finishing** ([`gather_contacts`], [`unmark`], [`lead_exclusions`]): contact lines shown in another section
//!    move to 联系方式, bullets show without their line's list marker, and a case of an exclusion list reads under
//!    its lead or says what the lead withholds.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use tujie_model::{Bullet, InfographicContent, Section, SectionKind, Span};

use super::candidates::{Cand, overlaps};
use super::frames::Frame;
use super::plan::{Chapter, DocPlan};
use super::select::{Drafted, Leftover, Selection};
use crate::TextConfig;
use crate::clauses::{self, Pieces};
use crate::normalize::{Norm, fold_for_match};

/// Where a section of `kind` stands in a draft: who and how much before how and when, contacts last.
pub fn section_order(kind: SectionKind) -> u8 {
    match kind {
        SectionKind::Background => 0,
        SectionKind::Goals => 1,
        SectionKind::Eligibility => 2,
        SectionKind::Standards => 3,
        SectionKind::MainContent => 4,
        SectionKind::HowToApply => 5,
        SectionKind::Timeline => 6,
        SectionKind::Safeguards => 7,
        SectionKind::Contact => 8,
    }
}

/// The sections of the draft, within `min_sections..=max_sections` where the material allows, in reading order.
pub fn choose(ctx: &super::candidates::Ctx<'_>, sel: Selection) -> Vec<Section> {
    let cfg = ctx.cfg;
    let Selection { mut sections, leftovers, used } = sel;
    sections.retain(|d| shows_something(&d.section));
    if sections.iter().filter(|d| d.section.kind != SectionKind::Background).count() >= cfg.min_sections {
        sections.retain(|d| d.section.kind != SectionKind::Background);
    }
    let informative = sections.iter().filter(|d| d.section.kind != SectionKind::Background).count();
    if informative < cfg.min_sections
        && let Some(d) = continuation(ctx, leftovers, &used)
    {
        sections.push(d);
    }
    while sections.len() > cfg.max_sections {
        let rank = |d: &Drafted| (drop_rank(d.section.kind), d.score);
        let (idx, _) = sections.iter().enumerate().min_by_key(|(_, d)| rank(d)).expect("non-empty");
        sections.remove(idx);
    }
    sections.sort_by(|a, b| section_order(a.section.kind).cmp(&section_order(b.section.kind)).then(a.pos.cmp(&b.pos)));
    sections.into_iter().map(|d| d.section).collect()
}

/// A second section of the kind with the most unused leftover lines (at least two), for a short document.
fn continuation(ctx: &super::candidates::Ctx<'_>, leftovers: Vec<Leftover>, used: &[Range<usize>]) -> Option<Drafted> {
    let max = ctx.cfg.max_bullets_per_section;
    let mut best: Option<(Leftover, Vec<Cand>)> = None;
    for lo in leftovers {
        let mut take: Vec<Cand> = Vec::new();
        for c in &lo.cands {
            let clash = |r: &Range<usize>| {
                used.iter().any(|u| overlaps(u, r))
                    || take.iter().any(|t| t.pieces.parts.iter().any(|p| overlaps(&p.0, r)))
            };
            if take.len() < max && !c.pieces.parts.iter().any(|p| clash(&p.0)) {
                take.push(c.clone());
            }
        }
        if take.len() >= 2 && best.as_ref().is_none_or(|b| take.len() > b.1.len()) {
            best = Some((lo, take));
        }
    }
    let (lo, take) = best?;
    let mut section = Section::new(lo.kind, lo.heading);
    section.bullets = super::select::bullets(ctx, take);
    Some(Drafted { section, score: 0, pos: lo.pos + 1 })
}

/// Adds the frames the content does not show yet (see the module documentation).
pub fn complete(
    norm: &Norm,
    frames: &[&Frame],
    plan: &DocPlan,
    chapters: &[Chapter],
    heads: &[RunIn],
    cfg: &TextConfig,
    content: &mut InfographicContent,
) {
    let weighed: Vec<(Span, u8)> = frames.iter().map(|f| (norm.span(f.key.clone()), f.weight(norm))).collect();
    let keys: Vec<Span> = weighed.iter().map(|k| k.0).collect();
    let mut order: Vec<(&Frame, u8)> = frames.iter().copied().zip(weighed.iter().map(|k| k.1)).collect();
    order.sort_by_key(|(f, w)| (std::cmp::Reverse(*w), f.kind, f.key.start));
    let cap = section_cap(content, norm, frames, cfg);
    // What the bullets shown so far read as (see `repeat_key`), kept up to date instead of folded again per frame.
    let mut read = shown_keys(content);
    for (f, weight) in order {
        if shows(content, norm.span(f.key.clone())) {
            continue;
        }
        // A bullet never repeats part of one already shown (another cut of the same sentence would read twice).
        let taken: Vec<Span> = content.sections.iter().flat_map(|s| &s.bullets).flat_map(|b| b.spans.clone()).collect();
        let headed = heads.iter().find(|h| h.first.start <= f.sentence.start && f.sentence.end <= h.first.end);
        let headed = headed.filter(|h| !shows(content, norm.span(h.heading.clone())));
        let plain = frame_bullet(norm, f, cfg.max_bullet_chars, &taken);
        let made = headed.and_then(|h| headed_bullet(norm, f, h, cfg.max_bullet_chars, &taken));
        // The heading never costs a number the sentence would have shown (`…以下每套发放5000元消费券`).
        let digits = |b: &Option<(String, Vec<Span>)>| {
            b.as_ref().map_or(0, |b| b.0.matches(|c: char| c.is_ascii_digit()).count())
        };
        let made = if digits(&made) >= digits(&plain) { made } else { None };
        let Some((text, spans)) = made.or(plain) else {
            continue;
        };
        // The same provision repeated under another marker (`（8）不按要求…`, `5、不按要求…`) reads once.
        let key = repeat_key(&text);
        if read.contains_key(&key) || super::candidates::says_nothing(&text) {
            continue;
        }
        let sections = content.sections.len();
        let own = chapter_section(content, chapters, f);
        let kind = goal_home(chapters, f).unwrap_or_else(|| plan.section_of(f.kind));
        let Some(si) = own.or_else(|| section_index(content, kind, cfg.max_sections, &keys)) else {
            continue;
        };
        if content.sections.len() < sections {
            // A section gave way for the frame's: its bullets no longer read.
            read = shown_keys(content);
        }
        // A full section makes room among its own bullets; a full draft among all of them.
        let full_section = content.sections[si].bullets.len() >= cap;
        let full_draft = content.sections.iter().map(|s| s.bullets.len()).sum::<usize>() >= cfg.max_bullets;
        if full_section || full_draft {
            let pool = if full_section { si..si + 1 } else { 0..content.sections.len() };
            let Some((ws, wb)) = weakest(content, pool, &weighed).filter(|w| w.2 < weight).map(|w| (w.0, w.1)) else {
                continue;
            };
            let gone = content.sections[ws].bullets.remove(wb);
            forget(&mut read, repeat_key(&gone.text));
        }
        *read.entry(key).or_insert(0) += 1;
        let s = &mut content.sections[si];
        s.bullets.push(Bullet { text, spans });
        s.bullets.sort_by_key(|b| b.spans.first().map_or(usize::MAX, |sp| sp.start));
    }
}

/// How many bullets a section may hold once facts join it: `max_bullets_per_section + max_fact_bullets`, or no
/// limit when every frame the draft does not show yet fits the draft's `max_bullets` beside what it shows. A
/// section's limit keeps one chapter from crowding out the others; when nothing would be crowded out, a 措施
/// document whose standards all sit in one chapter keeps every one of them.
fn section_cap(content: &InfographicContent, norm: &Norm, frames: &[&Frame], cfg: &TextConfig) -> usize {
    let shown = content.sections.iter().map(|s| s.bullets.len()).sum::<usize>();
    let missing = frames.iter().filter(|f| !shows(content, norm.span(f.key.clone()))).count();
    if shown + missing <= cfg.max_bullets { usize::MAX } else { cfg.max_bullets_per_section + cfg.max_fact_bullets }
}

/// A bullet that is a contact line: a phone, a person or an address after its label.
static CONTACT_LINE: LazyLock<Regex> = LazyLock::new(|| {
    let labels = crate::facts::PHONE_LABELS;
    Regex::new(&format!(r"^(?:{labels}|咨询热线|联系人|联系方式|联系地址)[：:]")).expect("contact line regex")
});

/// Moves contact lines (`联系电话：…`, `联系人：…`) shown in another section to 联系方式, where a reader looks for
/// them: the section of a notice's last item takes the lines that close the notice (five fixture documents, under
/// 注意事项, 有关要求, 时间安排 and 主要内容). Without a 联系方式 section and without room for one, they stay.
pub fn gather_contacts(content: &mut InfographicContent, max_sections: usize) {
    let elsewhere =
        |s: &Section| s.kind != SectionKind::Contact && s.bullets.iter().any(|b| CONTACT_LINE.is_match(&b.text));
    if !content.sections.iter().any(elsewhere) {
        return;
    }
    let has_contact = content.sections.iter().any(|s| s.kind == SectionKind::Contact);
    if !has_contact && content.sections.len() >= max_sections {
        return;
    }
    let mut moved = Vec::new();
    for s in content.sections.iter_mut().filter(|s| s.kind != SectionKind::Contact) {
        let (contact, keep): (Vec<Bullet>, Vec<Bullet>) =
            std::mem::take(&mut s.bullets).into_iter().partition(|b| CONTACT_LINE.is_match(&b.text));
        s.bullets = keep;
        moved.extend(contact);
    }
    content.sections.retain(|s| s.kind == SectionKind::Contact || shows_something(s));
    let Some(at) = section_index(content, SectionKind::Contact, max_sections, &[]) else { return };
    let s = &mut content.sections[at];
    s.bullets.extend(moved);
    s.bullets.sort_by_key(|b| b.spans.first().map_or(usize::MAX, |sp| sp.start));
}

/// The lightest bullet of the sections `pool` by the heaviest frame key it shows (none: 0), the later one first:
/// `(section, bullet, weight)`.
fn weakest(content: &InfographicContent, pool: Range<usize>, weighed: &[(Span, u8)]) -> Option<(usize, usize, u8)> {
    let value = |b: &Bullet| weighed.iter().filter(|(k, _)| holds_key(&b.spans, &[*k])).map(|k| k.1).max();
    pool.flat_map(|si| content.sections[si].bullets.iter().enumerate().map(move |(bi, b)| (si, bi, b)))
        .map(|(si, bi, b)| (si, bi, value(b).unwrap_or(0)))
        .rev()
        .min_by_key(|w| w.2)
}

/// How many bullets of the content read as each [`repeat_key`].
fn shown_keys(content: &InfographicContent) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for b in content.sections.iter().flat_map(|s| &s.bullets) {
        *out.entry(repeat_key(&b.text)).or_insert(0) += 1;
    }
    out
}

/// One bullet reading as `key` less.
fn forget(read: &mut HashMap<String, usize>, key: String) {
    if let Some(n) = read.get_mut(&key) {
        *n -= 1;
        if *n == 0 {
            read.remove(&key);
        }
    }
}

/// 主要目标 for a frame of a chapter of goals (`一、2025年主要预期目标`) whose own kind would send it to an unrelated
/// chapter's 主要内容 section (a count, a rule) or to 标准 (a growth rate): under a goals heading it is a target.
fn goal_home(chapters: &[Chapter], f: &Frame) -> Option<SectionKind> {
    use super::frames::FrameKind;
    let in_goals = super::plan::chapter_at(chapters, &f.key)?.kind == SectionKind::Goals;
    (in_goals && matches!(f.kind, FrameKind::Count | FrameKind::Rule | FrameKind::Amount)).then_some(SectionKind::Goals)
}

/// The 主要内容 section of the chapter that holds the frame (`二、持续促进消费复苏回暖` for a subsidy of one of its
/// measures), when the draft shows it: a fact of a chapter of measures reads under it, not in a typed section
/// beside the chapters (a contact still goes to 联系方式).
fn chapter_section(content: &InfographicContent, chapters: &[Chapter], f: &Frame) -> Option<usize> {
    if f.kind == super::frames::FrameKind::Contact {
        return None;
    }
    let chapter = super::plan::chapter_at(chapters, &f.key).filter(|c| c.kind == SectionKind::MainContent)?;
    chapter_index(content, &chapter.heading)
}

/// The 主要内容 section that shows the chapter headed `heading`, if the draft shows it.
pub(crate) fn chapter_index(content: &InfographicContent, heading: &str) -> Option<usize> {
    content.sections.iter().position(|s| s.kind == SectionKind::MainContent && s.heading == heading)
}

/// The lead of a list of cases that excludes (`有下列情形之一的，不予奖励：`, `…，不得申请公共租赁住房：`): what the
/// cases do not get.
static EXCLUDING_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:下列|以下)情形之一的?[，,]?(?P<what>(?:不予|不得|取消|不再|不属于)[^，。：；]{1,16})")
        .expect("excluding lead regex")
});

/// A case of an exclusion list shown apart from its lead (`有任何证据证明举报人…获得…报酬、奖励的` under 适用对象)
/// reads as a condition to qualify, the opposite of what it is: such a bullet opens with what its lead withholds
/// (`不予奖励：…`, both spans from the source). Exclusion lists stand in three fixture documents (a Pingtan 公租房
/// rule, a Tianhe 资金 measure, a Hongkou 举报奖励 rule, whose draft showed its cases under 适用对象 and 保障措施).
pub fn lead_exclusions(norm: &Norm, lay: &crate::outline::Layout, cap: usize, content: &mut InfographicContent) {
    let withheld: HashMap<usize, Range<usize>> = (0..lay.nodes.len())
        .filter_map(|i| {
            let l = &lay.lines[lay.nodes[i].line];
            let what = EXCLUDING_LEAD.captures(norm.get(l.clone()))?.name("what")?;
            Some((i, l.start + what.start()..l.start + what.end()))
        })
        .collect();
    let cases: Vec<(Span, Range<usize>)> = lay
        .nodes
        .iter()
        .filter_map(|n| Some((norm.span(lay.lines[n.line].clone()), withheld.get(&n.parent?)?.clone())))
        .collect();
    let case_of = |b: &Bullet| {
        let first = b.spans.first().map_or(0, |f| f.start);
        cases.iter().find(|(line, _)| line.start <= first && first < line.end).map(|c| c.1.clone())
    };
    let lead_of = |b: &Bullet| withheld.values().find(|w| b.text.contains(norm.get((*w).clone()))).cloned();
    join_leads(content, cap, &case_of, &lead_of);
    for s in &mut content.sections {
        // The lead a run of bullets already reads under: shown right before, its cases need no prefix.
        let mut under: Option<Range<usize>> = None;
        for b in &mut s.bullets {
            let Some(what) = case_of(b) else {
                under = lead_of(b);
                continue;
            };
            let what_text = norm.get(what.clone());
            if under.as_ref() != Some(&what) && !b.text.contains(what_text) {
                b.text = format!("{what_text}：{}", b.text);
                b.spans.insert(0, norm.span(what.clone()));
            }
            under = Some(what);
        }
    }
}

/// Moves each case whose lead the draft shows (`case_of` and `lead_of` give the lead's withheld words) to the run
/// right after that lead, so that it reads under it and no two bullets share the lead's words; a case whose lead's
/// section holds `cap` bullets already is dropped, since anywhere else it reads as the opposite of what it is.
fn join_leads(
    content: &mut InfographicContent,
    cap: usize,
    case_of: &dyn Fn(&Bullet) -> Option<Range<usize>>,
    lead_of: &dyn Fn(&Bullet) -> Option<Range<usize>>,
) {
    let lead_at = |c: &InfographicContent, what: &Range<usize>| {
        c.sections.iter().enumerate().find_map(|(si, s)| {
            s.bullets.iter().position(|b| case_of(b).is_none() && lead_of(b).as_ref() == Some(what)).map(|bi| (si, bi))
        })
    };
    let mut moved: Vec<(Range<usize>, Bullet)> = Vec::new();
    for si in 0..content.sections.len() {
        let mut bi = 0;
        while bi < content.sections[si].bullets.len() {
            let what = case_of(&content.sections[si].bullets[bi]);
            let lead = what.as_ref().and_then(|w| lead_at(content, w));
            match (what, lead) {
                (Some(what), Some((ls, li))) if !(ls == si && li < bi) => {
                    moved.push((what, content.sections[si].bullets.remove(bi)));
                }
                _ => bi += 1,
            }
        }
    }
    for (what, b) in moved {
        let Some((ls, li)) = lead_at(content, &what) else { continue };
        let bullets = &mut content.sections[ls].bullets;
        if bullets.len() >= cap {
            continue;
        }
        // After the lead and the cases already under it.
        let mut at = (li + 1).min(bullets.len());
        while at < bullets.len() && case_of(&bullets[at]).is_some() {
            at += 1;
        }
        bullets.insert(at, b);
    }
}

/// Bullets that open with their line's list marker (`（三）未在规定的年度内提出申领的…`, `第八条有下列情形之一的…`:
/// 520 of the 3,707 bullets of the fixture drafts) show without it, as items of a draft's own list; the first span
/// starts after the marker too. Only the marker the layout read for that line goes (`第五条规定的…`, a reference to
/// an article, stays whole), and never when little would be left. A bullet glyph
/// ([`crate::normalize::BULLET_GLYPHS`]) goes the same way.
pub fn unmark(norm: &Norm, lay: &crate::outline::Layout, content: &mut InfographicContent) {
    let mut marked: HashMap<usize, (&str, usize)> = lay
        .nodes
        .iter()
        .filter(|n| !n.marker.is_empty())
        .map(|n| {
            let l = &lay.lines[n.line];
            (norm.span(l.clone()).start, (n.marker.as_str(), l.start + n.marker.len()))
        })
        .collect();
    for l in &lay.lines {
        let t = norm.get(l.clone());
        if let Some(c) = t.chars().next().filter(|c| crate::normalize::BULLET_GLYPHS.contains(c)) {
            marked.entry(norm.span(l.clone()).start).or_insert((&t[..c.len_utf8()], l.start + c.len_utf8()));
        }
    }
    for b in content.sections.iter_mut().flat_map(|s| &mut s.bullets) {
        let Some(first) = b.spans.first_mut() else { continue };
        let Some(&(marker, after)) = marked.get(&first.start) else { continue };
        let Some(unmarked) = b.text.strip_prefix(marker) else { continue };
        let rest = unmarked.trim_start_matches(['、', '，', '．', '.']);
        let after = after + (unmarked.len() - rest.len());
        if rest.chars().count() < 4 || after >= norm.text.len() {
            continue;
        }
        let moved = norm.span(after..after + 1).start;
        if moved < first.end {
            first.start = moved;
            b.text = rest.to_string();
        }
    }
}

/// Drops the bullets that only restate the title (a CMS page repeats it inside the article: five pages of the
/// Beijing and Guangzhou fixtures showed it as an 适用对象 bullet), and the sections left empty.
pub fn drop_title_bullets(content: &mut InfographicContent, doc_title: &str) {
    let titles = [fold_for_match(&content.title), fold_for_match(doc_title)];
    for s in &mut content.sections {
        s.bullets.retain(|b| !titles.contains(&fold_for_match(&b.text)));
    }
    content.sections.retain(shows_something);
}

/// Drops a bullet whose words an earlier bullet or any step already shows (the text states the same provision twice:
/// an aid item under two school levels, a rule in two chapters, under another marker; a material or a step listed
/// as a step and again as a bullet, five fixture documents), and the sections left empty.
pub fn drop_repeats(content: &mut InfographicContent) {
    let mut seen: std::collections::HashSet<String> =
        content.sections.iter().flat_map(|s| &s.steps).map(|st| repeat_key(&st.text)).collect();
    for s in &mut content.sections {
        s.bullets.retain(|b| seen.insert(repeat_key(&b.text)));
    }
    content.sections.retain(shows_something);
}

/// What two bullets that say the same thing share: their words without a list marker.
fn repeat_key(t: &str) -> String {
    fold_for_match(&t[crate::outline::marker_len(t)..])
}

/// Merges sections a reader would see under one heading twice (two 主要内容 chapters whose own headings were too
/// long to show, 12 drafts of the fixtures): the later one's lines join the first, in source order, when their
/// bullets fit one section's limit; its figures join while the first has room and their labels are new.
pub fn merge_same_headings(content: &mut InfographicContent, cfg: &TextConfig) {
    let cap = cfg.max_bullets_per_section + cfg.max_fact_bullets;
    let mut out: Vec<Section> = Vec::new();
    for s in std::mem::take(&mut content.sections) {
        let same = |o: &&mut Section| o.kind == s.kind && o.heading == s.heading;
        let Some(first) = out.iter_mut().find(same).filter(|o| o.bullets.len() + s.bullets.len() <= cap) else {
            out.push(s);
            continue;
        };
        first.bullets.extend(s.bullets);
        first.bullets.sort_by_key(|b| b.spans.first().map_or(usize::MAX, |sp| sp.start));
        for f in s.figures {
            if first.figures.len() < cfg.max_figures_per_section && !first.figures.iter().any(|g| g.label == f.label) {
                first.figures.push(f);
            }
        }
        first.steps.extend(s.steps);
        first.dates.extend(s.dates);
        first.tables.extend(s.tables);
    }
    content.sections = out;
}

/// Whether a section has anything to show besides its heading.
fn shows_something(s: &Section) -> bool {
    !(s.bullets.is_empty() && s.steps.is_empty() && s.dates.is_empty() && s.figures.is_empty() && s.tables.is_empty())
}

/// Whether a bullet, step, date or table cell of the content covers `key`.
fn shows(c: &InfographicContent, key: Span) -> bool {
    let covers = |spans: &[Span]| spans.iter().any(|s| s.start <= key.start && key.end <= s.end);
    c.sections.iter().any(|s| {
        s.bullets.iter().any(|b| covers(&b.spans))
            || s.steps.iter().any(|b| covers(&b.spans))
            || s.dates.iter().any(|d| covers(&d.spans))
            || s.tables.iter().any(|t| t.rows.iter().flatten().any(|cell| covers(&cell.spans)))
    })
}

fn holds_key(spans: &[Span], keys: &[Span]) -> bool {
    keys.iter().any(|k| spans.iter().any(|s| s.start <= k.start && k.end <= s.end))
}

/// The index of the section of `kind`, made room for and created when missing; `None` when no room can be made.
pub(crate) fn section_index(c: &mut InfographicContent, kind: SectionKind, max: usize, keys: &[Span]) -> Option<usize> {
    if let Some(i) = c.sections.iter().position(|s| s.kind == kind) {
        return Some(i);
    }
    if c.sections.len() >= max {
        let weakest = c
            .sections
            .iter()
            .enumerate()
            .filter(|(_, s)| !section_holds_key(s, keys))
            .min_by_key(|(_, s)| drop_rank(s.kind))?
            .0;
        c.sections.remove(weakest);
    }
    let at = c.sections.iter().position(|s| section_order(s.kind) > section_order(kind));
    let at = at.unwrap_or(c.sections.len());
    c.sections.insert(at, Section::new(kind, kind.default_heading()));
    Some(at)
}

fn section_holds_key(s: &Section, keys: &[Span]) -> bool {
    s.bullets.iter().any(|b| holds_key(&b.spans, keys))
        || s.steps.iter().any(|b| holds_key(&b.spans, keys))
        || !s.tables.is_empty()
        || !s.dates.is_empty()
}

fn drop_rank(k: SectionKind) -> u8 {
    match k {
        SectionKind::Background => 0,
        SectionKind::Safeguards => 1,
        SectionKind::MainContent => 2,
        _ => 3,
    }
}

/// The run-in heading of a list item and the first sentence of its body on the same line
/// (`1.支持集体经营性建设用地建设保障性租赁住房。` · `在尊重农民集体意愿…`).
#[derive(Debug)]
pub struct RunIn {
    /// The heading, without marker and closing `。`.
    pub heading: Range<usize>,
    /// The first sentence of the item's body on the heading's line.
    pub first: Range<usize>,
}

/// The run-in headings of the layout's items.
pub fn run_ins(norm: &Norm, lay: &crate::outline::Layout) -> Vec<RunIn> {
    let heads = lay.nodes.iter().filter_map(|n| Some((n.heading_range.clone()?, n.body_range.clone()?)));
    heads
        .filter_map(|(h, body)| {
            let first = clauses::sentences(norm, body).into_iter().next()?;
            Some(RunIn { heading: h, first })
        })
        .collect()
}

/// Shortest body a heading leads, in characters: a heading with less beside it says more alone.
const MIN_HEADED_BODY_CHARS: usize = 8;

/// A frame's bullet led by the run-in heading of the item whose first sentence it is, when no bullet shows the
/// heading: in a plan or measures the heading is the task or the measure itself (`支持企事业单位利用存量土地建设保障性
/// 租赁住房`), and the sentence only says how; without it a reader sees the how and not the what.
fn headed_bullet(norm: &Norm, f: &Frame, h: &RunIn, max: usize, taken: &[Span]) -> Option<(String, Vec<Span>)> {
    let heading = norm.get(h.heading.clone());
    let room = max.checked_sub(heading.chars().count() + 1).filter(|&r| r >= MIN_HEADED_BODY_CHARS)?;
    let (text, spans) = frame_bullet(norm, f, room, taken)?;
    let spans = std::iter::once(norm.span(h.heading.clone())).chain(spans).collect();
    Some((format!("{heading}：{text}"), spans))
}

/// The frame's sentence as one bullet of at most `max` chars that shows its key: the whole sentence when it
/// fits, else the key's clause with as many neighbouring clauses as fit (the one before first, since it often
/// names the subject). Clauses another bullet already shows (`taken`) are left out, so a second key of a long
/// sentence gets its own clauses instead of a second cut of the first bullet.
pub fn frame_bullet(norm: &Norm, f: &Frame, max: usize, taken: &[Span]) -> Option<(String, Vec<Span>)> {
    let free = |r: &Range<usize>| {
        let sp = norm.span(r.clone());
        !taken.iter().any(|t| t.start < sp.end && sp.start < t.end)
    };
    let mut p = Pieces::default();
    let sentence = super::candidates::without_lead_in(norm, f.sentence.clone());
    if clauses::chars(norm, &sentence) <= max && free(&sentence) {
        p.push(sentence, "");
        return Some(finish(norm, &p));
    }
    let cls: Vec<Range<usize>> = clauses::clauses(norm, sentence).into_iter().map(|c| c.0).collect();
    let ki = cls.iter().position(|c| c.start <= f.key.start && f.key.end <= c.end)?;
    if !free(&cls[ki]) {
        return None;
    }
    // Without the clause it continues (`并向…提交…`, `且户籍在…的` after a taken or too long one), the bullet would
    // be torn: it starts after such clauses, or is not made when the key's own clause continues.
    let continues = |i: usize| i > 0 && crate::faithful::continues_a_clause(norm.get(cls[i].clone()));
    if clauses::chars(norm, &cls[ki]) > max {
        if continues(ki) {
            return None;
        }
        let short = clauses::shorten_clause(norm, cls[ki].clone(), max)?;
        let shows = short.parts.iter().any(|(r, _)| r.start <= f.key.start && f.key.end <= r.end);
        return shows.then(|| finish(norm, &short));
    }
    let (mut lo, mut hi) = (ki, ki);
    loop {
        let len = |a: usize, b: usize| clauses::chars(norm, &(cls[a].start..cls[b].end));
        if lo > 0 && free(&cls[lo - 1]) && len(lo - 1, hi) <= max {
            lo -= 1;
        } else if hi + 1 < cls.len() && free(&cls[hi + 1]) && len(lo, hi + 1) <= max {
            hi += 1;
        } else {
            break;
        }
    }
    let condition = |i: usize| super::candidates::states_condition(norm.get(cls[i].clone()));
    // A condition left last conditions nothing shown (`…，逾期不腾退的`).
    while hi > ki && condition(hi) {
        hi -= 1;
    }
    while lo < ki && continues(lo) {
        lo += 1;
    }
    if continues(lo) {
        return None;
    }
    p.push(cls[lo].start..cls[hi].end, "");
    Some(finish(norm, &p))
}

fn finish(norm: &Norm, p: &Pieces) -> (String, Vec<Span>) {
    let text = p.text(norm);
    let spans = p.parts.iter().filter(|(r, _)| r.start < r.end).map(|(r, _)| norm.span(r.clone())).collect();
    (text.trim_end_matches(['，', '：', '、', '；', '。']).to_string(), spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::frames::FrameKind;

    /// A section of `kind` with one bullet per `(text, start)`.
    fn section(kind: SectionKind, heading: &str, bullets: &[(&str, usize)]) -> Section {
        let mut s = Section::new(kind, heading);
        for (t, at) in bullets {
            s.bullets.push(Bullet { text: (*t).into(), spans: vec![Span { start: *at, end: at + 3 }] });
        }
        s
    }

    fn content_of(sections: Vec<Section>) -> InfographicContent {
        InfographicContent {
            title: "标题".into(),
            subtitle: String::new(),
            source_title: None,
            source_url: None,
            figures: vec![],
            sections,
        }
    }

    #[test]
    fn a_provision_stated_twice_is_shown_once() {
        let mut c = content_of(vec![
            section(SectionKind::Standards, "标准", &[("免住宿费，标准为500元/生•年", 10)]),
            section(SectionKind::MainContent, "资助项目", &[("3.免住宿费，标准为500元/生•年", 90)]),
        ]);
        drop_repeats(&mut c);
        assert_eq!(c.sections.len(), 1, "{:?}", c.sections);
    }

    #[test]
    fn sections_under_one_heading_are_shown_once() {
        let mut content = content_of(vec![
            section(SectionKind::MainContent, "主要内容", &[("甲", 10)]),
            section(SectionKind::Contact, "联系方式", &[("乙", 20)]),
            section(SectionKind::MainContent, "主要内容", &[("丙", 5)]),
        ]);
        merge_same_headings(&mut content, &TextConfig::default());
        let shown: Vec<(String, Vec<String>)> = content
            .sections
            .iter()
            .map(|s| (s.heading.clone(), s.bullets.iter().map(|b| b.text.clone()).collect()))
            .collect();
        assert_eq!(
            shown,
            [
                ("主要内容".to_string(), vec!["丙".to_string(), "甲".to_string()]),
                ("联系方式".into(), vec!["乙".into()])
            ]
        );
    }

    #[test]
    fn a_frame_bullet_never_ends_in_a_condition_it_does_not_show_the_end_of() {
        let text = "承租人可申请续租，并参照期满审查规定进行核查，核查后如收入、财产、住房发生变化的，按新标准计租";
        let norm = Norm::new(text);
        let key = norm.text.find("续租").expect("key");
        let f = Frame { kind: FrameKind::Procedure, sentence: 0..norm.text.len(), key: key..key + "续租".len() };
        // 40 characters take the condition but not what it conditions.
        let (bullet, _) = frame_bullet(&norm, &f, 40, &[]).expect("a bullet");
        assert_eq!(bullet, "承租人可申请续租，并参照期满审查规定进行核查");
    }

    /// A frame in the first sentence of an item with a run-in heading is led by the heading, unless the heading
    /// would cost the bullet a number.
    #[test]
    fn a_frame_bullet_is_led_by_its_items_run_in_heading() {
        let norm =
            Norm::new("二、主要措施\n1.扩大养老服务供给。对新建的养老机构，按每张床位5000元给予一次性建设补助。");
        let lay = crate::outline::layout(&norm);
        let heads = run_ins(&norm, &lay);
        assert_eq!(heads.len(), 1, "one run-in heading");
        assert_eq!(norm.get(heads[0].heading.clone()), "扩大养老服务供给");
        let at = norm.text.find("5000元").expect("key");
        let f = Frame { kind: FrameKind::Amount, sentence: heads[0].first.clone(), key: at..at + "5000元".len() };
        let (bullet, spans) = headed_bullet(&norm, &f, &heads[0], 60, &[]).expect("a bullet");
        assert_eq!(bullet, "扩大养老服务供给：对新建的养老机构，按每张床位5000元给予一次性建设补助");
        assert_eq!(spans[0], norm.span(heads[0].heading.clone()));
        // Too little room beside the heading: no headed bullet.
        assert_eq!(headed_bullet(&norm, &f, &heads[0], 12, &[]), None);
    }

    #[test]
    fn a_bullet_shows_without_its_line_marker_and_its_span_follows() {
        let norm = Norm::new("一、申请条件\n（一）本区户籍居民，年满60周岁。\n（二）第五条规定的人员。");
        let lay = crate::outline::layout(&norm);
        let lines = norm.lines();
        let bullet = |i: usize| {
            let l = lines[i].clone();
            Bullet { text: norm.get(l.clone()).trim_end_matches('。').to_string(), spans: vec![norm.span(l)] }
        };
        let mut s = Section::new(SectionKind::Eligibility, "申请条件");
        s.bullets = vec![bullet(1), bullet(2)];
        let mut content = InfographicContent {
            title: "题".into(),
            subtitle: String::new(),
            source_title: None,
            source_url: None,
            figures: vec![],
            sections: vec![s],
        };
        unmark(&norm, &lay, &mut content);
        let b = &content.sections[0].bullets;
        assert_eq!(b[0].text, "本区户籍居民，年满60周岁");
        assert_eq!(b[0].spans[0].start, norm.span(lines[1].clone()).start + "（一）".len());
        assert_eq!(b[1].text, "第五条规定的人员");
    }

    /// A case of an exclusion list shown apart from its lead moves under the lead when the draft shows it, else
    /// opens with what the lead withholds.
    #[test]
    fn exclusion_cases_read_under_their_lead() {
        let norm = Norm::new(
            "第八条 有下列情形之一的，不予奖励：\n（一）举报人是相关工作人员的；\n（二）举报内容已被掌握的。",
        );
        let lay = crate::outline::layout(&norm);
        let lines = norm.lines();
        let bullet = |i: usize| {
            let l = lines[i].clone();
            Bullet { text: norm.get(l.clone()).trim_end_matches(['。', '；']).to_string(), spans: vec![norm.span(l)] }
        };
        let section = |kind: SectionKind, bullets: Vec<Bullet>| {
            let mut s = Section::new(kind, kind.default_heading());
            s.bullets = bullets;
            s
        };
        // The lead shown elsewhere: the case joins it.
        let mut content = content_of(vec![
            section(SectionKind::Eligibility, vec![bullet(2)]),
            section(SectionKind::MainContent, vec![bullet(0), bullet(1)]),
        ]);
        lead_exclusions(&norm, &lay, 13, &mut content);
        assert!(content.sections[0].bullets.is_empty());
        let texts: Vec<&str> = content.sections[1].bullets.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            ["第八条有下列情形之一的，不予奖励：", "（一）举报人是相关工作人员的", "（二）举报内容已被掌握的"]
        );
        // The lead not shown: the case says what it withholds, with the lead's span first.
        let mut content = content_of(vec![section(SectionKind::Eligibility, vec![bullet(2)])]);
        lead_exclusions(&norm, &lay, 13, &mut content);
        let first = &content.sections[0].bullets[0];
        assert_eq!(first.text, "不予奖励：（二）举报内容已被掌握的");
        assert_eq!(first.spans.len(), 2);
    }

    #[test]
    fn a_section_grows_past_its_limit_only_when_every_missing_fact_fits_the_draft() {
        let text = "一、补贴标准\n甲类每户补贴1000元。乙类每户补贴2000元。丙类每户补贴3000元。";
        let norm = Norm::new(text);
        let frames: Vec<Frame> = ["1000元", "2000元", "3000元"]
            .iter()
            .map(|v| {
                let key = text.find(v).unwrap();
                Frame { kind: FrameKind::Amount, sentence: key..key + v.len(), key: key..key + v.len() }
            })
            .collect();
        let frames: Vec<&Frame> = frames.iter().collect();
        let content = content_of(vec![section(SectionKind::Standards, "标准", &[("甲", 0), ("乙", 1)])]);
        let mut cfg = TextConfig { max_bullets: 5, ..TextConfig::default() };
        assert_eq!(section_cap(&content, &norm, &frames, &cfg), usize::MAX, "2 shown + 3 missing fit 5");
        cfg.max_bullets = 4;
        assert_eq!(section_cap(&content, &norm, &frames, &cfg), cfg.max_bullets_per_section + cfg.max_fact_bullets);
    }

    #[test]
    fn contact_lines_move_to_the_contact_section() {
        let mut c = content_of(vec![
            section(SectionKind::Eligibility, "适用对象", &[("本县户籍居民", 0)]),
            section(SectionKind::MainContent, "注意事项", &[("逾期不予受理", 10), ("联系电话：0591-12345678", 20)]),
        ]);
        gather_contacts(&mut c, 8);
        let kinds: Vec<SectionKind> = c.sections.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [SectionKind::Eligibility, SectionKind::MainContent, SectionKind::Contact]);
        assert_eq!(c.sections[2].bullets[0].text, "联系电话：0591-12345678");
        assert_eq!(c.sections[1].bullets.len(), 1);
        // Without room for a 联系方式 section, the line stays.
        let mut c = content_of(vec![section(SectionKind::MainContent, "注意事项", &[("联系人：张三", 0)])]);
        gather_contacts(&mut c, 1);
        assert_eq!(c.sections.len(), 1);
        assert_eq!(c.sections[0].bullets.len(), 1);
    }

    #[test]
    fn the_weakest_bullet_is_the_lightest_and_the_later_of_equals() {
        let mut a = section(SectionKind::Standards, "标准", &[("甲", 0), ("乙", 10)]);
        a.bullets[0].spans = vec![Span { start: 0, end: 5 }];
        let b = section(SectionKind::MainContent, "主要内容", &[("丙", 20), ("丁", 30)]);
        let content = InfographicContent {
            title: "题".into(),
            subtitle: String::new(),
            source_title: None,
            source_url: None,
            figures: vec![],
            sections: vec![a, b],
        };
        // A key of weight 7 in 甲, one of weight 2 in 丙; 乙 and 丁 show none.
        let weighed = [(Span { start: 1, end: 2 }, 7), (Span { start: 20, end: 21 }, 2)];
        assert_eq!(weakest(&content, 0..2, &weighed), Some((1, 1, 0)), "丁: nothing, and later than 乙");
        assert_eq!(weakest(&content, 0..1, &weighed), Some((0, 1, 0)), "乙, within its section");
    }

    #[test]
    fn a_fact_of_a_chapter_of_measures_goes_to_that_chapter_when_it_is_shown() {
        let content = InfographicContent {
            title: "某区若干措施".into(),
            subtitle: String::new(),
            source_title: None,
            source_url: None,
            figures: vec![],
            sections: vec![
                Section::new(SectionKind::Standards, "标准"),
                Section::new(SectionKind::MainContent, "促进消费"),
                Section::new(SectionKind::MainContent, "稳定就业"),
            ],
        };
        let chapters = [
            Chapter { range: 0..100, heading: "促进消费".into(), kind: SectionKind::MainContent },
            Chapter { range: 100..200, heading: "稳定就业".into(), kind: SectionKind::MainContent },
            Chapter { range: 200..300, heading: "扩大开放".into(), kind: SectionKind::MainContent },
        ];
        let frame = |kind, at: usize| Frame { kind, sentence: at..at + 20, key: at..at + 5 };
        assert_eq!(chapter_section(&content, &chapters, &frame(FrameKind::Amount, 150)), Some(2));
        assert_eq!(chapter_section(&content, &chapters, &frame(FrameKind::Rule, 10)), Some(1));
        // A contact keeps its own section; a chapter the draft does not show leaves the frame to its kind's section.
        assert_eq!(chapter_section(&content, &chapters, &frame(FrameKind::Contact, 150)), None);
        assert_eq!(chapter_section(&content, &chapters, &frame(FrameKind::Amount, 250)), None);
    }

    #[test]
    fn a_figure_of_a_chapter_of_goals_is_a_target() {
        let chapters = [
            Chapter { range: 0..100, heading: "主要预期目标".into(), kind: SectionKind::Goals },
            Chapter { range: 100..200, heading: "壮大产业".into(), kind: SectionKind::MainContent },
            Chapter { range: 200..300, heading: "申报条件".into(), kind: SectionKind::Eligibility },
        ];
        let frame = |kind, at: usize| Frame { kind, sentence: at..at + 20, key: at..at + 5 };
        // A growth rate (an amount by its words) and a count under the goals heading read under 主要目标.
        assert_eq!(goal_home(&chapters, &frame(FrameKind::Amount, 10)), Some(SectionKind::Goals));
        assert_eq!(goal_home(&chapters, &frame(FrameKind::Count, 10)), Some(SectionKind::Goals));
        // A deadline keeps its own section; other chapters leave the frame to its kind.
        assert_eq!(goal_home(&chapters, &frame(FrameKind::Deadline, 10)), None);
        assert_eq!(goal_home(&chapters, &frame(FrameKind::Count, 150)), None);
        assert_eq!(goal_home(&chapters, &frame(FrameKind::Rule, 250)), None);
    }

    #[test]
    fn a_frame_bullet_starts_after_a_continuing_clause_whose_head_another_bullet_shows() {
        let text =
            "在本县购买新建住房，且户籍在本县的，给予补贴，对于教师等群体，按200元/平方米给予补贴，每套最高不超过3万元";
        let norm = Norm::new(text);
        let key = norm.text.find("200元").expect("key");
        let f =
            Frame { kind: FrameKind::Amount, sentence: 0..norm.text.len(), key: key..key + "200元/平方米".len() };
        // The first clause is shown elsewhere (a timeline label), so `且户籍…的` would open the bullet torn.
        let taken = [norm.span(0..norm.text.find('，').expect("comma"))];
        let (bullet, _) = frame_bullet(&norm, &f, 80, &taken).expect("a bullet");
        assert_eq!(bullet, "给予补贴，对于教师等群体，按200元/平方米给予补贴，每套最高不超过3万元");
        // When the key's own clause continues a taken one, there is no bullet.
        let key = norm.text.find("户籍").expect("key");
        let f = Frame { kind: FrameKind::Eligibility, key: key..key + "户籍".len(), ..f };
        assert_eq!(frame_bullet(&norm, &f, 80, &taken), None);
    }
}

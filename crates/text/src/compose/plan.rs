//! The plan pass: which sections a draft has and what each gathers from the document.
//!
//! Sections follow the document: chapters about who qualifies, amounts, how to apply, deadlines or contacts are
//! gathered into typed sections (a chapter can be split by its items), goal and safeguard chapters are merged, and
//! every other chapter becomes a 主要内容 section under its own heading. Items of a task chapter that state two or
//! more amounts or rates also feed the 标准 section.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use tujie_model::SectionKind;

use super::candidates::Ctx;
use super::frames::FrameKind;
use crate::facts::{self, QuantityKind};
use crate::outline::{DocKind, DocType};

/// What a draft must keep, by document type. Every draft keeps who, how much, when, how, with what, where to ask,
/// targets, counts and, when there is room (they weigh least), binding rules (禁止/不得/应当): notices and plans
/// state them too (`严禁虚报学生数骗取国家助学金`, `用人单位应当…予以补足`), and keeping them in every document
/// type showed four more key facts over the eight fixture sets and none fewer. Counts are targets in a plan, an
/// opinion or measures (`更新新能源公交车70辆`) and content elsewhere (`本批次人才公寓共66套`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocPlan {
    /// Frame kinds the fit pass completes the draft with.
    pub frame_kinds: Vec<FrameKind>,
    /// The section counts go to.
    pub count_section: SectionKind,
}

impl DocPlan {
    /// The plan for a document type.
    pub fn for_type(doc_type: &DocType) -> Self {
        let frame_kinds = vec![
            FrameKind::Amount,
            FrameKind::Eligibility,
            FrameKind::Deadline,
            FrameKind::Procedure,
            FrameKind::Materials,
            FrameKind::Contact,
            FrameKind::Target,
            FrameKind::Count,
            FrameKind::Rule,
        ];
        let count_section = match doc_type.kind {
            DocKind::Plan | DocKind::Opinion | DocKind::Measures | DocKind::Decision => SectionKind::Goals,
            _ => SectionKind::MainContent,
        };
        DocPlan { frame_kinds, count_section }
    }

    /// The section a frame's bullet goes to.
    pub fn section_of(&self, kind: FrameKind) -> SectionKind {
        match kind {
            FrameKind::Amount => SectionKind::Standards,
            FrameKind::Eligibility => SectionKind::Eligibility,
            FrameKind::Deadline => SectionKind::Timeline,
            FrameKind::Procedure | FrameKind::Materials => SectionKind::HowToApply,
            FrameKind::Contact => SectionKind::Contact,
            FrameKind::Target => SectionKind::Goals,
            FrameKind::Count => self.count_section,
            FrameKind::Rule => SectionKind::MainContent,
        }
    }
}

static KIND_RULES: LazyLock<Vec<(SectionKind, Regex)>> = LazyLock::new(|| {
    [
        (SectionKind::Contact, r"联系方式|联系电话|咨询|联系人|联系地址"),
        (SectionKind::Timeline, r"时限|期限|时间|进度|日程|实施步骤|阶段|有效期|施行日期|实施期限"),
        (SectionKind::Eligibility, r"对象|范围|条件|资格|适用"),
        (SectionKind::Standards, r"标准$|补贴标准|补助标准|奖励标准|发放标准|收费标准|金额|额度|比例|优惠|待遇|资金来源|补贴方式"),
        (SectionKind::HowToApply, r"申领|申报|申请|办理|程序|流程|渠道|材料|办事|受理|领取方式|兑付"),
        (SectionKind::Goals, r"目标|总体要求|指标|总体思路|基本原则|指导思想"),
        (SectionKind::Background, r"背景|依据|意义|必要性"),
        (SectionKind::Safeguards, r"保障措施|组织保障|保障机制|组织实施|实施保障|组织领导|加强领导|的领导|监督|责任|工作要求|考核|督导|督查|纪律|宣传"),
        (SectionKind::MainContent, r"任务|内容|措施|举措|重点"),
    ]
    .into_iter()
    .map(|(k, p)| (k, Regex::new(p).expect("kind regex")))
    .collect()
});

static TASK_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:加强|完善|推进|推动|扩大|保障|建立|健全|落实|实施|实行|开展|提高|强化|促进|深化|规范|优化|支持|鼓励|加大|加快|做好|坚持|发挥|创新|畅通|逐步|有序|着力|进一步|切实|积极|全面|严格|确保|营造|培育|打造|构建|提升|明确|放宽|发展|丰富|夯实|继续|做优|多措并举)")
        .expect("verb regex")
});

/// Kind of a heading from its words. Who/what/how-much/when kinds need a topic heading (`补贴对象`, `领取程序`):
/// a task heading that starts with a verb (`畅通群众维权渠道`) is main content whatever words it contains.
pub fn kind_of_heading(h: &str) -> Option<SectionKind> {
    let k = KIND_RULES.iter().find(|(_, re)| re.is_match(h)).map(|(k, _)| *k)?;
    if thematic(k) && (TASK_VERB.is_match(h) || h.chars().count() > 12) {
        return KIND_RULES.iter().filter(|(k, _)| !thematic(*k)).find(|(_, re)| re.is_match(h)).map(|(k, _)| *k);
    }
    Some(k)
}

/// Kinds that answer a reader's who/how much/how/when/where question.
pub fn thematic(k: SectionKind) -> bool {
    matches!(
        k,
        SectionKind::Eligibility
            | SectionKind::Standards
            | SectionKind::HowToApply
            | SectionKind::Timeline
            | SectionKind::Contact
    )
}

/// What a section gathers from the document.
#[derive(Debug, Clone)]
pub enum Member {
    /// A node whose items become one line each (heading and best clause).
    Items(usize),
    /// A node whose sentences are candidates.
    Sentences(usize),
    /// Loose paragraphs.
    Lines(Vec<Range<usize>>),
}

/// A planned section: its kind, its own heading (主要内容 sections keep the chapter's), and its members.
#[derive(Debug)]
pub struct Builder {
    pub kind: SectionKind,
    pub heading: Option<String>,
    pub members: Vec<Member>,
    /// Where the section starts in the text, for ordering sections of one kind.
    pub pos: usize,
}

/// The order in which sections pick their lines: a sentence goes to the first section that wants it, so who,
/// how much and how come before general content.
fn pick_rank(k: SectionKind) -> u8 {
    match k {
        SectionKind::Eligibility => 0,
        SectionKind::Standards => 1,
        SectionKind::HowToApply => 2,
        SectionKind::Timeline => 3,
        SectionKind::Contact => 4,
        SectionKind::Goals => 5,
        SectionKind::MainContent => 6,
        SectionKind::Safeguards => 7,
        SectionKind::Background => 8,
    }
}

/// The sections of a draft, in the order they pick their lines.
pub fn plan(ctx: &Ctx<'_>) -> Vec<Builder> {
    let lay = ctx.lay;
    let mut builders: Vec<Builder> = Vec::new();
    let pre = ctx.preamble_ranges();
    if !pre.is_empty() {
        // With no headings at all, the preamble is the whole content.
        let kind = if lay.nodes.is_empty() { SectionKind::MainContent } else { SectionKind::Background };
        add(&mut builders, kind, None, Member::Lines(pre), 0);
    }
    for (ci, n) in lay.nodes.iter().enumerate().filter(|(_, n)| n.parent.is_none()) {
        let pos = lay.lines[n.line].start;
        match n.heading.as_deref().and_then(kind_of_heading) {
            Some(k) if thematic(k) || matches!(k, SectionKind::Goals | SectionKind::Background) => {
                add(&mut builders, k, None, Member::Sentences(ci), pos)
            }
            hk => chapter(ctx, &mut builders, ci, hk == Some(SectionKind::Safeguards)),
        }
    }
    builders.sort_by_key(|b| pick_rank(b.kind));
    builders
}

/// A chapter that is not about one reader's question: a 主要内容 section under its heading (or 保障措施), whose
/// items with a topic heading go to their typed sections.
/// A chapter of measures or tasks as a section of the draft: its source range (from its heading to the next
/// chapter's) and the heading the section shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    pub range: Range<usize>,
    pub heading: String,
    /// [`SectionKind::MainContent`] for a chapter shown under its own heading; the kind its heading names
    /// (`2025年主要预期目标`: 主要目标) for a typed one.
    pub kind: SectionKind,
}

/// The top-level chapters whose heading is short enough to show: those of no thematic, goal, background or
/// safeguard kind become 主要内容 sections under their own headings (`一、激发文旅市场活力`); the others are typed.
pub fn chapters(ctx: &Ctx<'_>) -> Vec<Chapter> {
    let lay = ctx.lay;
    let tops: Vec<usize> = (0..lay.nodes.len()).filter(|&i| lay.nodes[i].parent.is_none()).collect();
    let content_end = lay.lines.get(lay.content.end.saturating_sub(1)).map_or(0, |l| l.end);
    let mut out = Vec::new();
    for (k, &ci) in tops.iter().enumerate() {
        let n = &lay.nodes[ci];
        let Some(heading) = n.heading.as_deref().and_then(shown_heading) else { continue };
        let kind = kind_of_heading(heading).unwrap_or(SectionKind::MainContent);
        let end = tops.get(k + 1).map_or(content_end, |&next| lay.lines[lay.nodes[next].line].start);
        out.push(Chapter { range: lay.lines[n.line].start..end, heading: heading.to_string(), kind });
    }
    out
}

/// The chapter whose source range holds `r`.
pub fn chapter_at<'a>(chapters: &'a [Chapter], r: &Range<usize>) -> Option<&'a Chapter> {
    chapters.iter().find(|c| c.range.start <= r.start && r.end <= c.range.end)
}

/// The heading a section shows for a planned heading: the heading itself, without the brackets that wrap it whole,
/// when it is short enough to read as one.
pub fn shown_heading(h: &str) -> Option<&str> {
    // `第三条（项目选址）`: an article's heading written in brackets (seven fixture documents, Shanghai 规范性文件
    // style) shows without them.
    let h = h
        .strip_prefix('（')
        .and_then(|t| t.strip_suffix('）'))
        .filter(|t| !t.is_empty() && !t.contains(['（', '）']))
        .unwrap_or(h);
    (!h.is_empty() && h.chars().count() <= 20).then_some(h)
}

fn chapter(ctx: &Ctx<'_>, builders: &mut Vec<Builder>, ci: usize, safeguards: bool) {
    let lay = ctx.lay;
    let n = &lay.nodes[ci];
    let pos = lay.lines[n.line].start;
    let kind = if safeguards { SectionKind::Safeguards } else { SectionKind::MainContent };
    let heading = if safeguards { None } else { n.heading.clone().or(Some(String::new())) };
    let kids = &ctx.children[ci];
    let own = ctx.own_ranges(ci);
    if !own.is_empty() {
        add(builders, kind, heading.clone(), Member::Lines(own), pos);
    } else if kids.is_empty() {
        add(builders, kind, heading.clone(), Member::Items(ci), pos);
    }
    for &k in kids {
        let kpos = lay.lines[lay.nodes[k].line].start;
        match lay.nodes[k].heading.as_deref().and_then(kind_of_heading).filter(|k| thematic(*k)) {
            Some(tk) => add(builders, tk, None, Member::Sentences(k), kpos),
            None => {
                if kind == SectionKind::MainContent && states_amounts(ctx, k) {
                    add(builders, SectionKind::Standards, None, Member::Sentences(k), kpos);
                }
                add(builders, kind, heading.clone(), Member::Items(k), pos);
            }
        }
    }
}

/// Adds a member to the section of its kind (主要内容 sections are told apart by heading), made when missing.
fn add(builders: &mut Vec<Builder>, kind: SectionKind, heading: Option<String>, m: Member, pos: usize) {
    if let Some(b) =
        builders.iter_mut().find(|b| b.kind == kind && (kind != SectionKind::MainContent || b.heading == heading))
    {
        b.members.push(m);
        return;
    }
    builders.push(Builder { kind, heading, members: vec![m], pos });
}

/// Whether an item states two or more amounts or rates.
fn states_amounts(ctx: &Ctx<'_>, node: usize) -> bool {
    let n = ctx
        .subtree_ranges(node)
        .iter()
        .flat_map(|r| facts::quantities(ctx.norm, r.clone()))
        .filter(|q| matches!(q.kind, QuantityKind::Money | QuantityKind::Percent))
        .count();
    n >= 2
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_article_heading_shows_without_its_brackets() {
        assert_eq!(super::shown_heading("（项目选址）"), Some("项目选址"));
        assert_eq!(super::shown_heading("申请条件（试行）"), Some("申请条件（试行）"));
        assert_eq!(super::shown_heading("（一）（二）"), Some("（一）（二）"));
    }

    use super::*;
    use crate::TextConfig;
    use crate::normalize::Norm;

    #[test]
    fn every_document_keeps_its_rules_and_a_plan_counts_targets() {
        let rules = DocPlan::for_type(&crate::outline::doc_type("某区农村集体经营性建设用地入市管理办法"));
        assert!(rules.frame_kinds.contains(&FrameKind::Rule));
        assert_eq!(rules.count_section, SectionKind::MainContent);
        let notice = DocPlan::for_type(&crate::outline::doc_type("关于开展某项补贴申领工作的通知"));
        assert!(notice.frame_kinds.contains(&FrameKind::Rule));
        assert!(notice.frame_kinds.contains(&FrameKind::Amount));
        let plan = DocPlan::for_type(&crate::outline::doc_type("某区推动设备更新工作方案"));
        assert_eq!(plan.count_section, SectionKind::Goals);
    }

    #[test]
    fn topic_headings_have_kinds_and_task_headings_do_not() {
        assert_eq!(kind_of_heading("补贴对象"), Some(SectionKind::Eligibility));
        assert_eq!(kind_of_heading("申领程序"), Some(SectionKind::HowToApply));
        assert_eq!(kind_of_heading("畅通群众维权渠道"), None);
        assert_eq!(kind_of_heading("保障措施"), Some(SectionKind::Safeguards));
    }

    #[test]
    fn chapters_become_typed_sections() {
        let text = "一、补贴对象\n本区户籍居民。\n二、重点任务\n（一）发放补贴。每人每月100元，每户最高300元。\n（二）加强宣传。做好解读。\n三、保障措施\n加强领导。";
        let norm = Norm::new(text);
        let lay = crate::outline::layout(&norm);
        let cfg = TextConfig::default();
        let ctx = Ctx::new(&norm, &lay, &cfg);
        let kinds: Vec<SectionKind> = plan(&ctx).into_iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [SectionKind::Eligibility, SectionKind::Standards, SectionKind::MainContent, SectionKind::Safeguards]
        );
    }
}

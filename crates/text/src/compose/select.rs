//! The select pass: the bullets and steps of each planned section, the dated lines of the timeline and the
//! contacts. A sentence is used once: sections pick in the plan's order, and lines shown on the timeline are not
//! repeated as bullets.

use std::collections::HashSet;
use std::ops::Range;

use tujie_model::{Bullet, DateItem, Section, SectionKind, Step};

use super::candidates::{Cand, Ctx, overlaps, pieces_bullet};
use super::plan::{Builder, Member};
use crate::clauses;
use crate::facts::Facts;
use crate::outline::MarkerKind;

/// A section with its selection score and position, before the fit pass chooses and orders sections.
#[derive(Debug)]
pub struct Drafted {
    pub section: Section,
    pub score: i32,
    pub pos: usize,
}

/// Candidates a full section could not take, for continuing it when a short document has few sections.
#[derive(Debug)]
pub struct Leftover {
    pub kind: SectionKind,
    pub heading: String,
    pub pos: usize,
    pub cands: Vec<Cand>,
}

/// What the select pass produced.
#[derive(Debug, Default)]
pub struct Selection {
    pub sections: Vec<Drafted>,
    pub leftovers: Vec<Leftover>,
    /// Source ranges shown so far.
    pub used: Vec<Range<usize>>,
}

/// Selects the lines of every planned section. `used` starts with what the timeline shows.
pub fn sections(ctx: &Ctx<'_>, builders: &[Builder], used: Vec<Range<usize>>) -> Selection {
    let mut sel = Selection { used, ..Selection::default() };
    for b in builders {
        let (cands, steps) = gather(ctx, b, &mut sel.used);
        let (chosen, rest) = choose(ctx, cands, b.kind, &sel.used);
        for c in &chosen {
            sel.used.extend(c.pieces.parts.iter().map(|p| p.0.clone()));
        }
        let score: i32 = chosen.iter().map(|c| c.score.max(0)).sum::<i32>() + steps.len() as i32 * 3;
        let heading = b
            .heading
            .as_deref()
            .and_then(super::plan::shown_heading)
            .map_or_else(|| b.kind.default_heading().to_string(), str::to_string);
        let mut section = Section::new(b.kind, heading.clone());
        section.bullets = bullets(ctx, chosen);
        section.steps = steps;
        if !rest.is_empty() {
            sel.leftovers.push(Leftover { kind: b.kind, heading, pos: b.pos, cands: rest });
        }
        sel.sections.push(Drafted { section, score, pos: b.pos });
    }
    sel
}

/// Whether a heading names what to bring or submit (`报名材料`, `申报资料`, `所需证件`).
fn names_materials(heading: &str) -> bool {
    ["材料", "资料", "证件", "要件"].iter().any(|w| heading.contains(w)) && !heading.contains("流程")
}

/// Candidates in source order turned into bullets.
pub fn bullets(ctx: &Ctx<'_>, mut chosen: Vec<Cand>) -> Vec<Bullet> {
    chosen.sort_by_key(|c| c.pos);
    chosen
        .iter()
        .map(|c| {
            let (text, spans) = c.bullet(ctx.norm);
            Bullet { text, spans }
        })
        .collect()
}

/// The candidates of a section's members, and its steps: a 办事指引 section whose chapter has two or more
/// headed items shows them as steps.
fn gather(ctx: &Ctx<'_>, b: &Builder, used: &mut Vec<Range<usize>>) -> (Vec<Cand>, Vec<Step>) {
    let lay = ctx.lay;
    let mut cands: Vec<Cand> = Vec::new();
    let mut steps: Vec<Step> = Vec::new();
    for m in &b.members {
        match m {
            Member::Lines(rs) => cands.extend(ctx.sentence_cands(rs, b.kind)),
            Member::Sentences(n) => {
                let with_heads: Vec<usize> =
                    ctx.children[*n].iter().copied().filter(|&k| lay.nodes[k].heading.is_some()).collect();
                // A list of materials (`四、报名材料` · `1.户口簿…`) is a list, not steps of a procedure.
                let materials = lay.nodes[*n].heading.as_deref().is_some_and(names_materials);
                if b.kind == SectionKind::HowToApply && with_heads.len() >= 2 && steps.is_empty() && !materials {
                    for &k in with_heads.iter().take(ctx.cfg.max_steps) {
                        if let Some(c) = ctx.item_cand(k, b.kind).into_iter().next() {
                            let (text, spans) = pieces_bullet(ctx.norm, &c.pieces);
                            used.extend(c.uses.iter().skip(1).cloned());
                            steps.push(Step { text, spans });
                        }
                    }
                }
                let declared = declared_bonus(b.kind, lay.nodes[*n].heading.as_deref().unwrap_or(""));
                cands.extend(ctx.sentence_cands(&ctx.subtree_ranges(*n), b.kind).into_iter().map(|mut c| {
                    c.score += declared;
                    c
                }));
            }
            Member::Items(n) => cands.extend(item_cands(ctx, *n, b.kind)),
        }
    }
    (cands, steps)
}

/// Extra score of a sentence in a chapter whose own heading names who qualifies, how to apply or the goals
/// (`二、征集对象`, `三、申报材料`, `二、工作目标`): the author put it there as a condition, a step or a goal, so a
/// plain one (`近三年无严重违法失信记录`, `确保不再产生新的辍学生`: no figure, no action word) is shown when the
/// section has room. Boilerplate stays below the floor. (指导思想 and 基本原则 chapters, also 目标 sections, state
/// no goal.)
fn declared_bonus(kind: SectionKind, heading: &str) -> i32 {
    match kind {
        SectionKind::Eligibility | SectionKind::HowToApply => 2,
        SectionKind::Goals if heading.contains("目标") => 2,
        _ => 0,
    }
}

/// Candidates of an item node: its own line, or its text (a little lower), its heading with the best clause below
/// it, and one line per child item.
fn item_cands(ctx: &Ctx<'_>, n: usize, kind: SectionKind) -> Vec<Cand> {
    let kids = &ctx.children[n];
    if kids.is_empty() {
        if ctx.lay.nodes[n].parent.is_some() {
            return ctx.item_cand(n, kind);
        }
        return ctx.sentence_cands(&ctx.own_ranges(n), kind);
    }
    let mut out: Vec<Cand> = ctx
        .sentence_cands(&ctx.own_ranges(n), kind)
        .into_iter()
        .map(|mut c| {
            c.score -= 1;
            c
        })
        .collect();
    // An item with a heading of its own over numbered paragraphs (`（一）以法控辍，加大宣传力度` over `1.` `2.` `3.`):
    // its heading with the best clause below it is a candidate too, so a plan's tasks show as its headings name
    // them. Its company comes from its first paragraph, which states the task; deeper trees name their tasks lower
    // down. A first paragraph with a run-in heading of its own (`1.支持集体经营性建设用地建设保障性租赁住房。在…`)
    // lends that heading, which names the first task, not its body, which would leave the task unnamed.
    let numbered = |k: &usize| matches!(ctx.lay.nodes[*k].marker_kind, MarkerKind::Num | MarkerKind::ParenNum);
    if ctx.lay.nodes[n].heading_range.is_some() && ctx.lay.nodes[n].parent.is_some() && kids.iter().all(numbered) {
        let mut lead = ctx.own_ranges(n);
        if ctx.lay.nodes[kids[0]].heading_range.is_none() {
            lead.extend(ctx.subtree_ranges(kids[0]));
        }
        out.extend(ctx.headed_cand(n, &lead, kind));
    }
    for &k in kids {
        out.extend(ctx.item_cand(k, kind));
    }
    out
}

/// The best candidates of a section up to its bullet limit, none overlapping another or what is already shown;
/// and the candidates left over.
fn choose(ctx: &Ctx<'_>, mut cands: Vec<Cand>, kind: SectionKind, used: &[Range<usize>]) -> (Vec<Cand>, Vec<Cand>) {
    let min_score = match kind {
        SectionKind::Background | SectionKind::Goals => 2,
        _ => 1,
    };
    let plain_provision = |c: &Cand| kind == SectionKind::MainContent && c.score == 0 && whole_sentence(ctx, c);
    cands.retain(|c| (c.score >= min_score || plain_provision(c)) && fits_kind(ctx, c, kind));
    cands.sort_by(|a, b| b.score.cmp(&a.score).then(a.pos.cmp(&b.pos)));
    let mut chosen: Vec<Cand> = Vec::new();
    let mut seen_text: HashSet<String> = HashSet::new();
    let mut rest: Vec<Cand> = Vec::new();
    for c in cands {
        if chosen.len() >= ctx.cfg.max_bullets_per_section {
            rest.push(c);
            continue;
        }
        let t = c.pieces.text(ctx.norm);
        let clash = |r: &Range<usize>| {
            used.iter().any(|u| overlaps(r, u))
                || chosen.iter().any(|o| o.pieces.parts.iter().any(|p| overlaps(&p.0, r)))
        };
        if seen_text.contains(&t) || c.pieces.parts.iter().any(|p| clash(&p.0)) {
            continue;
        }
        seen_text.insert(t);
        chosen.push(c);
    }
    (chosen, rest)
}

/// Whether a candidate is one whole sentence of the source, not a cut of one, long enough to be more than a
/// heading (`片区审核`, `个人缴费`) and not the lead-in of a list (`主要用于以下方面：`).
fn whole_sentence(ctx: &Ctx<'_>, c: &Cand) -> bool {
    let [(p, _)] = c.pieces.parts.as_slice() else { return false };
    let lead_in = ctx.norm.get(p.clone()).ends_with('：') || ctx.norm.text[p.end..].starts_with('：');
    c.uses.as_slice() == [p.clone()] && clauses::chars(ctx.norm, p) >= MIN_PROVISION_CHARS && !lead_in
}

/// Characters of the shortest sentence a 主要内容 section shows without a figure or a cue word.
const MIN_PROVISION_CHARS: usize = 10;

/// Whether a candidate says what its section is about: a 标准 bullet states an amount, a rate or a benefit word
/// (a chapter with amounts also holds its conditions and steps, which belong to 适用对象 and 办事指引: the 创业担保贷款,
/// 殡葬 and 见习 fixtures showed them under 标准).
fn fits_kind(ctx: &Ctx<'_>, c: &Cand, kind: SectionKind) -> bool {
    if kind != SectionKind::Standards {
        return true;
    }
    let t = c.pieces.text(ctx.norm);
    let n = crate::normalize::Norm::new(&t);
    let amounts = crate::facts::quantities(&n, 0..n.text.len());
    amounts.iter().any(|q| matches!(q.kind, crate::facts::QuantityKind::Money | crate::facts::QuantityKind::Percent))
        || BENEFIT.is_match(&t)
}

static BENEFIT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"标准|补贴|补助|奖励|资助|免征|免收|免除|免费|减免|减收|优惠|全额|待遇").expect("benefit regex")
});

/// The timeline: its dates, and the validity sentences (`本方案自发布之日起实施，有效期十年`) as its first bullets,
/// merged into a 时间安排 section of the document or added as one.
pub fn timeline(
    ctx: &Ctx<'_>,
    sel: &mut Selection,
    date_items: Vec<DateItem>,
    validity: &[Range<usize>],
    preset: &[Range<usize>],
) {
    let cfg = ctx.cfg;
    let validity_bullets = validity_bullets(ctx, validity, preset, &mut sel.used);
    if date_items.is_empty() && validity_bullets.is_empty() {
        return;
    }
    let score = date_items.len() as i32 * 4 + validity_bullets.len() as i32 * 3;
    let mut bullets = validity_bullets;
    if let Some(d) = sel.sections.iter_mut().find(|d| d.section.kind == SectionKind::Timeline) {
        d.section.dates = date_items;
        bullets.append(&mut d.section.bullets);
        bullets.truncate(cfg.max_bullets_per_section);
        d.section.bullets = bullets;
        d.score += score;
    } else {
        bullets.truncate(cfg.max_bullets_per_section);
        let mut section = Section::new(SectionKind::Timeline, SectionKind::Timeline.default_heading());
        section.bullets = bullets;
        section.dates = date_items;
        sel.sections.push(Drafted { section, score, pos: usize::MAX });
    }
}

/// Each validity statement as the chunk of its sentence that holds it, starting after what a section's bullet shows
/// of that sentence, and none when a section shows the statement itself; `preset` are the ranges marked used before
/// the sections chose (timeline labels, validity).
fn validity_bullets(
    ctx: &Ctx<'_>,
    validity: &[Range<usize>],
    preset: &[Range<usize>],
    used: &mut Vec<Range<usize>>,
) -> Vec<Bullet> {
    let (norm, lay) = (ctx.norm, ctx.lay);
    let mut out: Vec<Bullet> = Vec::new();
    for v in validity {
        let line = lay.lines.iter().find(|l| l.start <= v.start && v.end <= l.end).cloned().unwrap_or(v.clone());
        let Some(s) = clauses::sentences(norm, line).into_iter().find(|s| s.start <= v.start && v.end <= s.end) else {
            continue;
        };
        let shown = |r: &Range<usize>| used.iter().any(|u| !preset.contains(u) && overlaps(r, u));
        // What a section shows of the sentence before the statement stays there: the chunk starts after it.
        let from = clauses::clauses(norm, s.clone())
            .into_iter()
            .map(|(c, _)| c)
            .filter(|c| c.start <= v.start)
            .find(|c| !shown(&(c.start..v.end)))
            .map_or(s.start, |c| c.start);
        let from = super::candidates::after_duties(norm, from..v.end).start;
        let chunk = clauses::chunks(norm, from..s.end, ctx.cfg.max_bullet_chars)
            .into_iter()
            .find(|p| p.parts.iter().any(|(r, _)| overlaps(r, v)))
            .filter(|p| !p.parts.iter().any(|(r, _)| shown(r)));
        if let Some(p) = chunk {
            let (text, spans) = pieces_bullet(norm, &p);
            if !out.iter().any(|b| b.text == text) {
                used.extend(p.parts.iter().map(|(r, _)| r.clone()));
                out.push(Bullet { text, spans });
            }
        }
    }
    out
}

/// Contacts not shown yet, as the bullets of the 联系方式 section (made when missing).
pub fn contacts(ctx: &Ctx<'_>, sel: &mut Selection, facts: &Facts) {
    let bullets: Vec<Bullet> = facts
        .contacts
        .iter()
        .filter(|c| !sel.used.iter().any(|u| overlaps(u, &c.range)))
        // A contact cannot be cut without breaking it (a long web address): one too long for a bullet is left out.
        .filter(|c| c.text.chars().count() <= ctx.cfg.max_bullet_chars)
        .take(ctx.cfg.max_bullets_per_section)
        .map(|c| Bullet { text: c.text.clone(), spans: vec![c.span] })
        .collect();
    if bullets.is_empty() {
        return;
    }
    if let Some(d) = sel.sections.iter_mut().find(|d| d.section.kind == SectionKind::Contact) {
        d.section.bullets = bullets;
    } else {
        let mut section = Section::new(SectionKind::Contact, SectionKind::Contact.default_heading());
        section.bullets = bullets;
        sel.sections.push(Drafted { section, score: 10, pos: usize::MAX });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TextConfig;
    use crate::normalize::Norm;

    fn select(text: &str) -> Selection {
        let norm = Norm::new(text);
        let lay = crate::outline::layout(&norm);
        let cfg = TextConfig::default();
        let ctx = Ctx::new(&norm, &lay, &cfg);
        let builders = super::super::plan::plan(&ctx);
        sections(&ctx, &builders, Vec::new())
    }

    /// A 主要内容 chapter shows its whole provisions in source order as room allows, with or without a figure or
    /// a cue word; never a bare heading, a list's lead-in or a cut clause that says nothing on its own.
    #[test]
    fn a_chapter_shows_its_plain_provisions() {
        let text = "一、壮大产业集群\n做好开发区工作。修编开发区整体规划，编制各产业园发展规划。实施园区基础设施提升行动，加快推进管廊三期工程。资金拨付。资金重点投向这些方面的项目：\n道路管网改造工程。";
        let sel = select(text);
        let shown: Vec<&str> = sel.sections.iter().flat_map(|d| &d.section.bullets).map(|b| b.text.as_str()).collect();
        assert!(shown.iter().any(|b| b.contains("修编开发区整体规划")), "{shown:?}");
        assert!(shown.iter().any(|b| b.contains("实施园区基础设施提升行动")), "{shown:?}");
        assert!(!shown.iter().any(|b| b.contains("资金拨付") || b.contains("这些方面")), "{shown:?}");
    }

    /// A list under a heading that names materials is a list, not the steps of a procedure; a procedure's
    /// items are steps.
    #[test]
    fn materials_are_no_steps() {
        let steps = |text: &str| -> usize { select(text).sections.iter().map(|d| d.section.steps.len()).sum() };
        let materials = "一、申请对象\n本县户籍居民。\n二、申请材料\n1.身份证：原件及复印件。\n2.户口簿：原件及复印件。\n3.申请表：到窗口领取填写。";
        assert_eq!(steps(materials), 0);
        let procedure = "一、申请对象\n本县户籍居民。\n二、办理流程\n1.申请：向社区提出申请。\n2.审核：街道审核。\n3.发放：区民政局发放。";
        assert_eq!(steps(procedure), 3);
    }

    #[test]
    fn a_sentence_is_shown_once() {
        // The item states two amounts, so it feeds both 标准 and its 主要内容 chapter; 标准 picks first.
        let sel =
            select("一、重点任务\n（一）发放补贴。每人每月补贴100元，每户最高300元。\n（二）加强宣传。做好政策解读。");
        let spans: Vec<tujie_model::Span> =
            sel.sections.iter().flat_map(|d| &d.section.bullets).flat_map(|b| b.spans.clone()).collect();
        assert!(!spans.is_empty());
        for (i, a) in spans.iter().enumerate() {
            for b in &spans[i + 1..] {
                assert!(a.end <= b.start || b.end <= a.start, "{a:?} and {b:?} overlap");
            }
        }
        let standards = sel.sections.iter().find(|d| d.section.kind == SectionKind::Standards).expect("标准");
        assert!(standards.section.bullets.iter().any(|b| b.text.contains("100元")), "{:?}", standards.section);
    }

    #[test]
    fn a_task_headed_over_numbered_items_shows_its_heading() {
        let sel = select(
            "三、主要措施\n（一）以法控辍，加大宣传力度\n1.各村要协同学校开展法律法规的宣传工作。\n2.各学校要建立控辍保学机制。\n（二）以管控辍，强化措施保学\n1.各学校要明确主体责任，全面掌握学生变动情况。\n2.严格学籍管理。",
        );
        let bullets: Vec<&str> =
            sel.sections.iter().flat_map(|d| &d.section.bullets).map(|b| b.text.as_str()).collect();
        for task in ["以法控辍，加大宣传力度", "以管控辍，强化措施保学"] {
            assert!(bullets.iter().any(|b| b.starts_with(task)), "{task} not shown: {bullets:?}");
        }
    }

    /// The first numbered paragraph names its own measure, so the task heading over it does not borrow its body:
    /// that body is shown under the measure it details.
    #[test]
    fn a_first_paragraph_with_its_own_heading_keeps_its_body() {
        let sel = select(
            "三、支持政策\n（一）用地支持政策\n1.支持闲置厂房改建租赁住房。在符合规划、权属不变、尊重群众意愿的前提下，可利用城区或交通便利区域的闲置厂房改建为租赁住房。\n2.提高配套比例。配套用地比例上限提高到15%。\n（二）资金支持\n1.发放建设补助。每套补助2万元。\n2.减免配套费用。免收基础设施配套费。",
        );
        let bullets: Vec<&str> =
            sel.sections.iter().flat_map(|d| &d.section.bullets).map(|b| b.text.as_str()).collect();
        assert!(
            bullets.iter().any(|b| b.starts_with("支持闲置厂房改建租赁住房：") && b.contains("闲置厂房改建为租赁住房")),
            "the first measure lost its name: {bullets:?}"
        );
        assert!(!bullets.iter().any(|b| b.starts_with("用地支持政策：在符合规划")), "{bullets:?}");
    }

    /// A question closed by `？` is no bullet even without an asking word; its answer is.
    #[test]
    fn a_question_of_a_qa_page_is_no_bullet() {
        let sel = select(
            "一、常见问题\n补贴的发放时间？答：补贴于每季度首月发放至本人社保卡。\n申报的受理窗口？答：各镇街便民服务中心受理申报。",
        );
        let bullets: Vec<&str> =
            sel.sections.iter().flat_map(|d| &d.section.bullets).map(|b| b.text.as_str()).collect();
        assert!(bullets.iter().any(|b| b.contains("每季度首月发放")), "{bullets:?}");
        assert!(!bullets.iter().any(|b| b.contains("补贴的发放时间") || b.contains("申报的受理窗口")), "{bullets:?}");
    }

    #[test]
    fn headed_application_items_become_steps() {
        let sel = select(
            "一、申领程序\n（一）提交申请。申请人向社区提交材料。\n（二）审核。街道在5个工作日内审核。\n（三）发放。审核通过后发放。",
        );
        let how = sel.sections.iter().find(|d| d.section.kind == SectionKind::HowToApply).expect("办事指引");
        assert_eq!(how.section.steps.len(), 3, "{:?}", how.section.steps);
    }

    #[test]
    fn one_line_items_of_a_topic_chapter_are_its_lines() {
        let sel = select(
            "二、征集对象\n（一）依法登记注册，在本区内有具体经营项目；\n（二）近三年无重大违法、严重失信记录；\n（三）符合各级核心指标要求。",
        );
        let who = sel.sections.iter().find(|d| d.section.kind == SectionKind::Eligibility).expect("适用对象");
        let texts: Vec<&str> = who.section.bullets.iter().map(|b| b.text.as_str()).collect();
        assert!(texts.iter().any(|t| t.contains("近三年无重大违法、严重失信记录")), "{texts:?}");
        assert_eq!(texts.len(), 3, "{texts:?}");
    }

    #[test]
    fn a_standards_bullet_states_an_amount_or_a_benefit() {
        let sel = select(
            "一、重点任务\n（一）发放补贴。每人每月补贴100元，每户最高300元。申请人须在本区登记注册。申请人须有具体经营项目。",
        );
        let standards = sel.sections.iter().find(|d| d.section.kind == SectionKind::Standards).expect("标准");
        let texts: Vec<&str> = standards.section.bullets.iter().map(|b| b.text.as_str()).collect();
        assert!(!texts.is_empty() && texts.iter().all(|t| t.contains('元')), "{texts:?}");
    }

    #[test]
    fn a_goals_chapter_shows_its_goal_without_a_figure() {
        let sel =
            select("一、指导思想\n坚持依法治理的方针。\n二、工作目标\n压实各方责任，依法保证每一位学生完成学业。");
        let goals = sel.sections.iter().find(|d| d.section.kind == SectionKind::Goals).expect("主要目标");
        let texts: Vec<&str> = goals.section.bullets.iter().map(|b| b.text.as_str()).collect();
        assert!(texts.iter().any(|t| t.contains("依法保证每一位学生完成学业")), "{texts:?}");
    }
}

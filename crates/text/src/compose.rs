//! Infographic content from the outline: which sections a draft has, and which bullets, figures, steps and dates
//! go into each, every one of them built from source text and carrying its spans.
//!
//! Sections follow the document: chapters about who qualifies, amounts, how to apply, deadlines or contacts are
//! gathered into typed sections (a chapter can be split by its items), goal and safeguard chapters are merged, and
//! every other chapter becomes a 主要内容 section under its own heading. Within a section, candidate lines are
//! ranked by a generic salience score (amounts, rates, dates, entitlement and obligation words up; political
//! boilerplate down) and the best are shown in source order.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use tujie_model::{Bullet, DateItem, InfographicContent, Section, SectionKind, Span, Step};

use crate::TextConfig;
use crate::clauses::{self, Pieces};
use crate::dates::{DateMention, DatePrecision};
use crate::facts::{self, Facts, QuantityKind};
use crate::metadata::Metadata;
use crate::normalize::Norm;
use crate::outline::{DocType, Layout};

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

static BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"习近平|思想为指导|指导思想|贯彻落实|贯彻|坚持以|党的|党中央|精神|决策部署|高度重视|重要意义|重要举措|重要内容|重要途径|重要力量|为深入|为进一步|充分认识|现提出|提出如下|提出以下|通知如下|现就")
        .expect("boilerplate regex")
});
static FILLER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"着力|不断|切实|大力|积极|深入|进一步|加快|推动|加强|完善|健全|统筹").expect("filler regex")
});
static ACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"补贴|补助|奖励|免征|免费|减免|给予|享受|发放|申领|申请|办理|提供|不得|严禁|禁止|纳入|截止|之日起|有效期|可在|可申请|最高|不超过|以上|以下|取消|授予|建立|实施|设立|公布|电话|热线|举报|投诉|继续享受|立减")
        .expect("action regex")
});
static DEADLINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"前|截止|起|止|完成|施行|实施|发放|申领|申请").expect("deadline regex"));
static QUOTED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"“[^”]{1,20}”").expect("quoted regex"));

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

fn thematic(k: SectionKind) -> bool {
    matches!(
        k,
        SectionKind::Eligibility
            | SectionKind::Standards
            | SectionKind::HowToApply
            | SectionKind::Timeline
            | SectionKind::Contact
    )
}

/// Extra salience of a line for a section of the given kind.
fn kind_boost(kind: SectionKind, t: &str) -> i32 {
    let re: &str = match kind {
        SectionKind::Eligibility => r"对象|条件|符合|户籍|年满|以下|以上|适用|范围|个人|居民|企业",
        SectionKind::HowToApply => r"申领|申请|办理|线上|现场|渠道|材料|提交|提供|登录|小程序|窗口|平台|账户|银行",
        SectionKind::Standards => r"元|%|标准|比例|最高|不超过|免征|不计入",
        SectionKind::Timeline => r"前|截止|起|之日|期限|有效期|每年",
        SectionKind::Goals => r"到20\d\d年|目标|达到|实现|建成|\d",
        SectionKind::Contact => r"电话|联系|地址|邮箱",
        _ => return 0,
    };
    static CACHE: LazyLock<std::sync::Mutex<Vec<(String, Regex)>>> = LazyLock::new(Default::default);
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if !cache.iter().any(|(p, _)| p == re) {
        cache.push((re.to_string(), Regex::new(re).expect("boost regex")));
    }
    let r = &cache.iter().find(|(p, _)| p == re).expect("cached").1;
    (r.find_iter(t).count() as i32).min(2) * 2
}

/// Generic salience of a piece of policy text for a reader who wants to know what changes for them.
fn salience(norm: &Norm, t: &str) -> i32 {
    let _ = norm;
    let mut s = 0;
    let n = Norm::new(t);
    let qs = facts::quantities(&n, 0..n.text.len());
    let money = qs.iter().filter(|q| q.kind == QuantityKind::Money).count() as i32;
    let pct = qs.iter().filter(|q| q.kind == QuantityKind::Percent).count() as i32;
    let other = qs.len() as i32 - money - pct;
    s += money.min(2) * 6 + pct.min(2) * 5 + other.min(2) * 3;
    let ds = crate::dates::find_dates(&n, 0..n.text.len());
    s += ds.iter().map(|d| if d.precision == DatePrecision::Year { 1 } else { 3 }).sum::<i32>().min(6);
    s += (QUOTED.find_iter(t).count() as i32).min(2);
    let actions: HashSet<&str> = ACTION.find_iter(t).map(|m| m.as_str()).collect();
    s += (actions.len() as i32).min(4);
    // A fragment that is little more than its number or date says nothing on its own.
    let bare = t.chars().filter(|c| !c.is_ascii_digit() && !"年月日前起止底%元，、".contains(*c)).count();
    if bare < 4 {
        s -= 4;
    }
    s -= (BOILERPLATE.find_iter(t).count() as i32).min(2) * 4;
    s -= (FILLER.find_iter(t).count() as i32).min(3);
    if t.chars().count() < 6 {
        s -= 2;
    }
    if t.starts_with('…') || t.ends_with('…') {
        // A clause cut short reads badly; prefer a whole one.
        s -= 3;
    }
    s
}

/// A candidate line for a section: source pieces and a score.
#[derive(Debug, Clone)]
struct Cand {
    pieces: Pieces,
    score: i32,
    pos: usize,
    /// Sentence ranges it draws on, so no sentence is shown twice.
    uses: Vec<Range<usize>>,
}

struct Ctx<'a> {
    norm: &'a Norm,
    lay: &'a Layout,
    cfg: &'a TextConfig,
    /// Children of each node.
    children: Vec<Vec<usize>>,
    first_node_line: usize,
}

impl Ctx<'_> {
    /// Body ranges (paragraph text after any heading) of a node itself, not its children.
    fn own_ranges(&self, node: usize) -> Vec<Range<usize>> {
        let n = &self.lay.nodes[node];
        let mut out: Vec<Range<usize>> = n.body_range.clone().into_iter().collect();
        for li in n.line + 1..self.lay.content.end {
            if self.lay.line_node[li] == Some(node) {
                out.push(self.lay.lines[li].clone());
            }
        }
        out
    }

    /// Body ranges of a node and all its descendants, with descendants' headings left out.
    fn subtree_ranges(&self, node: usize) -> Vec<Range<usize>> {
        let mut out = self.own_ranges(node);
        for &c in &self.children[node] {
            out.extend(self.subtree_ranges(c));
        }
        out.sort_by_key(|r| r.start);
        out
    }

    fn preamble_ranges(&self) -> Vec<Range<usize>> {
        (self.lay.content.start..self.first_node_line).map(|li| self.lay.lines[li].clone()).collect()
    }

    /// Candidates from sentences: a sentence that fits is one candidate; a longer one gives its best clauses that
    /// fit together, and, when it is a long run of clauses, each clause on its own as well.
    fn sentence_cands(&self, ranges: &[Range<usize>], kind: SectionKind) -> Vec<Cand> {
        let max = self.cfg.max_bullet_chars;
        let norm = self.norm;
        let mut out = Vec::new();
        let push = |pieces: Pieces, bonus: i32, s: &Range<usize>, out: &mut Vec<Cand>| {
            if pieces.is_empty() {
                return;
            }
            let t = pieces.text(norm);
            let score = salience(norm, &t) + kind_boost(kind, &t) + bonus;
            let pos = pieces.parts.iter().find(|p| p.0.start < p.0.end).map_or(s.start, |p| p.0.start);
            out.push(Cand { pos, pieces, score, uses: vec![s.clone()] });
        };
        for r in ranges {
            for (si, s) in clauses::sentences(norm, r.clone()).into_iter().enumerate() {
                let first_bonus = i32::from(si == 0);
                if clauses::chars(norm, &s) <= max {
                    let mut p = Pieces::default();
                    p.push(s.clone(), "");
                    push(p, first_bonus, &s, &mut out);
                    continue;
                }
                // Each clause, shortened if need be, with its score.
                let cls: Vec<(Pieces, i32)> = clauses::clauses(norm, s.clone())
                    .into_iter()
                    .filter_map(|(c, _)| {
                        let p = if clauses::chars(norm, &c) > max {
                            clauses::shorten_clause(norm, c, max)?
                        } else {
                            let mut p = Pieces::default();
                            p.push(c, "");
                            p
                        };
                        let t = p.text(norm);
                        Some((p, salience(norm, &t) + kind_boost(kind, &t)))
                    })
                    .collect();
                // Best clauses that fit together, in source order.
                let mut idx: Vec<usize> = (0..cls.len()).collect();
                idx.sort_by(|&a, &b| cls[b].1.cmp(&cls[a].1).then(a.cmp(&b)));
                let mut pick: Vec<usize> = Vec::new();
                let mut len = 0;
                for i in idx {
                    let l = cls[i].0.len_chars(norm);
                    if len + l + usize::from(!pick.is_empty()) <= max && (pick.is_empty() || cls[i].1 > 0) {
                        len += l + usize::from(!pick.is_empty());
                        pick.push(i);
                    }
                }
                pick.sort_unstable();
                let mut p = Pieces::default();
                let mut prev: Option<usize> = None;
                for &i in &pick {
                    for (j, (r, sep)) in cls[i].0.parts.iter().enumerate() {
                        if j == 0
                            && let Some(pi) = prev
                        {
                            let gap = p.parts.last().map_or(r.start, |l| l.0.end);
                            if pi + 1 == i && gap <= r.start && norm.get(gap..r.start).chars().count() == 1 {
                                // Neighbouring clauses keep the source separator between them.
                                p.push(gap..r.start, "");
                                p.push(r.clone(), "");
                            } else {
                                p.parts.push((r.clone(), "，"));
                            }
                        } else if r.is_empty() || *sep == "…" {
                            p.parts.push((r.clone(), sep));
                        } else {
                            p.push(r.clone(), sep);
                        }
                    }
                    prev = Some(i);
                }
                push(p, first_bonus, &s, &mut out);
                if cls.len() >= 4 && pick.len() < cls.len() {
                    for (i, (cp, _)) in cls.iter().enumerate() {
                        if !pick.contains(&i) {
                            push(cp.clone(), -1, &s, &mut out);
                        }
                    }
                }
            }
        }
        out
    }

    /// Consecutive clauses of a sentence grouped into pieces of at most `max` chars.
    fn chunks(&self, s: Range<usize>, max: usize) -> Vec<Pieces> {
        let norm = self.norm;
        if clauses::chars(norm, &s) <= max {
            let mut p = Pieces::default();
            p.push(s, "");
            return vec![p];
        }
        let mut out = Vec::new();
        let mut cur = Pieces::default();
        let mut cur_len = 0;
        for (c, _sep) in clauses::clauses(norm, s.clone()) {
            let piece = if clauses::chars(norm, &c) > max {
                match clauses::shorten_clause(norm, c.clone(), max) {
                    Some(p) => p,
                    None => continue,
                }
            } else {
                let mut p = Pieces::default();
                p.push(c.clone(), "");
                p
            };
            let plen = piece.len_chars(norm);
            if !cur.is_empty() && cur_len + 1 + plen > max {
                out.push(std::mem::take(&mut cur));
                cur_len = 0;
            }
            if piece.parts.len() == 1 && !cur.is_empty() {
                // Keep the source separator between consecutive clauses.
                let prev_end = cur.parts.last().map_or(0, |p| p.0.end);
                let gap = piece.parts[0].0.start;
                cur.push(prev_end..gap, "");
                cur.push(piece.parts[0].0.clone(), "");
                cur_len += 1 + plen;
            } else {
                for (i, (r, sep)) in piece.parts.into_iter().enumerate() {
                    cur.push(r, if i == 0 && !cur.is_empty() { "，" } else { sep });
                }
                cur_len += plen + 1;
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
        out
    }

    /// An item as one line: its heading, and the best clause group of its body when both fit.
    fn item_cand(&self, node: usize, kind: SectionKind) -> Vec<Cand> {
        let n = &self.lay.nodes[node];
        let body = self.subtree_ranges(node);
        let Some(h) = n.heading_range.clone() else {
            return self.sentence_cands(&body, kind);
        };
        let max = self.cfg.max_bullet_chars;
        let hlen = clauses::chars(self.norm, &h);
        let htext = self.norm.get(h.clone()).to_string();
        let base = salience(self.norm, &htext) + kind_boost(kind, &htext) + 2;
        let mut best: Option<Cand> = None;
        if hlen + 3 < max {
            for c in self.sentence_cands(&body, kind) {
                let c = Cand { uses: c.pieces.parts.iter().map(|p| p.0.clone()).collect(), ..c };
                let clen = c.pieces.len_chars(self.norm);
                if hlen + 1 + clen <= max {
                    if best.as_ref().is_none_or(|b| c.score > b.score) {
                        best = Some(c);
                    }
                } else {
                    // A clause group too long for the heading's company may still fit through its best clause.
                    for (cl, _) in clauses::clauses(self.norm, c.pieces.parts[0].0.clone()) {
                        let l = clauses::chars(self.norm, &cl);
                        if hlen + 1 + l <= max {
                            let t = self.norm.get(cl.clone()).to_string();
                            let sc = salience(self.norm, &t) + kind_boost(kind, &t);
                            if best.as_ref().is_none_or(|b| sc > b.score) {
                                let mut p = Pieces::default();
                                p.push(cl.clone(), "");
                                best = Some(Cand { pieces: p, score: sc, pos: cl.start, uses: c.uses.clone() });
                            }
                        }
                    }
                }
            }
        }
        let mut p = Pieces::default();
        p.push(h.clone(), "");
        let alone = Cand { pieces: p.clone(), score: base, pos: h.start, uses: vec![h.clone()] };
        let mut uses = vec![h.clone()];
        let mut score = base;
        if let Some(b) = best.filter(|b| b.score > 0) {
            for (i, (r, sep)) in b.pieces.parts.iter().enumerate() {
                p.push(r.clone(), if i == 0 { "：" } else { sep });
            }
            score += b.score;
            uses.extend(b.uses);
        }
        vec![Cand { pieces: p, score, pos: h.start, uses }, alone]
    }
}

/// What a section gathers from the document.
#[derive(Debug, Clone)]
enum Member {
    /// A node whose items become one line each (heading and best clause).
    Items(usize),
    /// A node whose sentences are candidates.
    Sentences(usize),
    /// Loose paragraphs.
    Lines(Vec<Range<usize>>),
}

#[derive(Debug)]
struct Builder {
    kind: SectionKind,
    heading: Option<String>,
    members: Vec<Member>,
    pos: usize,
}

fn pieces_bullet(norm: &Norm, p: &Pieces) -> (String, Vec<Span>) {
    let text = p.text(norm);
    let spans = p.parts.iter().filter(|(r, _)| r.start < r.end).map(|(r, _)| norm.span(r.clone())).collect();
    (text.trim_end_matches(['，', '：', '、']).to_string(), spans)
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

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

/// Builds the infographic content.
pub fn compose(
    norm: &Norm,
    lay: &Layout,
    meta: &Metadata,
    facts: &Facts,
    doc_type: &DocType,
    cfg: &TextConfig,
) -> InfographicContent {
    let mut children = vec![Vec::new(); lay.nodes.len()];
    for (i, n) in lay.nodes.iter().enumerate() {
        if let Some(p) = n.parent {
            children[p].push(i);
        }
    }
    let first_node_line = lay.nodes.first().map_or(lay.content.end, |n| n.line);
    let ctx = Ctx { norm, lay, cfg, children, first_node_line };

    // 1. Assign chapters and items to section builders.
    let mut builders: Vec<Builder> = Vec::new();
    let add = |builders: &mut Vec<Builder>, kind: SectionKind, heading: Option<String>, m: Member, pos: usize| {
        if let Some(b) =
            builders.iter_mut().find(|b| b.kind == kind && (kind != SectionKind::MainContent || b.heading == heading))
        {
            b.members.push(m);
            return;
        }
        builders.push(Builder { kind, heading, members: vec![m], pos });
    };
    // Items that state amounts or rates also feed the 标准 section with their sentences.
    let rich = |node: usize| -> bool {
        let rs = ctx.subtree_ranges(node);
        let n = rs
            .iter()
            .flat_map(|r| facts::quantities(norm, r.clone()))
            .filter(|q| matches!(q.kind, QuantityKind::Money | QuantityKind::Percent))
            .count();
        n >= 2
    };
    let pre = ctx.preamble_ranges();
    if !pre.is_empty() {
        // With no headings at all, the preamble is the whole content.
        let kind = if lay.nodes.is_empty() { SectionKind::MainContent } else { SectionKind::Background };
        add(&mut builders, kind, None, Member::Lines(pre.clone()), 0);
    }
    for (ci, n) in lay.nodes.iter().enumerate().filter(|(_, n)| n.parent.is_none()) {
        let heading = n.heading.clone().or(Some(String::new()));
        let hk = n.heading.as_deref().and_then(kind_of_heading);
        let pos = lay.lines[n.line].start;
        let kids = &ctx.children[ci];
        let kid_kinds: Vec<Option<SectionKind>> = kids
            .iter()
            .map(|&k| lay.nodes[k].heading.as_deref().and_then(kind_of_heading).filter(|k| thematic(*k)))
            .collect();
        match hk {
            Some(k) if thematic(k) => add(&mut builders, k, None, Member::Sentences(ci), pos),
            Some(k @ (SectionKind::Goals | SectionKind::Background)) => {
                add(&mut builders, k, None, Member::Sentences(ci), pos)
            }
            _ => {
                let kind = match hk {
                    Some(SectionKind::Safeguards) => SectionKind::Safeguards,
                    _ => SectionKind::MainContent,
                };
                let heading = if kind == SectionKind::Safeguards { None } else { heading };
                let own = ctx.own_ranges(ci);
                if !own.is_empty() {
                    add(&mut builders, kind, heading.clone(), Member::Lines(own), pos);
                }
                if kids.is_empty() && ctx.own_ranges(ci).is_empty() {
                    add(&mut builders, kind, heading.clone(), Member::Items(ci), pos);
                }
                for (&k, kk) in kids.iter().zip(&kid_kinds) {
                    let kpos = lay.lines[lay.nodes[k].line].start;
                    match kk {
                        Some(tk) => add(&mut builders, *tk, None, Member::Sentences(k), kpos),
                        None => {
                            if kind == SectionKind::MainContent && rich(k) {
                                add(&mut builders, SectionKind::Standards, None, Member::Sentences(k), kpos);
                            }
                            add(&mut builders, kind, heading.clone(), Member::Items(k), pos);
                        }
                    }
                }
            }
        }
    }

    // 2. Candidates and bullets per builder; a sentence is used once.
    let mut used: Vec<Range<usize>> = Vec::new();
    let mut sections: Vec<(Section, i32, usize)> = Vec::new();
    // Candidates a full section could not take: a short document with few sections continues one of them.
    let mut leftovers: Vec<(SectionKind, String, usize, Vec<Cand>)> = Vec::new();
    let validity: Vec<Range<usize>> = meta
        .validity
        .iter()
        .filter(|v| {
            lay.content.start < lay.lines.len()
                && v.range.start >= lay.lines[lay.content.start.min(lay.lines.len() - 1)].start
        })
        .map(|v| v.range.clone())
        .collect();
    let order = section_order;
    let content_start = lay.lines.get(lay.content.start).map_or(0, |r| r.start);
    let content_end =
        if lay.content.end > lay.content.start { lay.lines[lay.content.end - 1].end } else { content_start };
    let pre_end =
        if first_node_line < lay.content.end && !lay.nodes.is_empty() { lay.lines[first_node_line].start } else { 0 };
    let (date_items, date_labels): (Vec<DateItem>, Vec<Range<usize>>) =
        timeline(norm, facts, cfg, content_start..content_end, pre_end).into_iter().unzip();
    // Lines shown as timeline labels are not repeated as bullets.
    used.extend(date_labels);
    // Validity lines go to the timeline, not to whichever item they trail.
    used.extend(validity.iter().cloned());
    let process_rank = |k: SectionKind| match k {
        SectionKind::Eligibility => 0,
        SectionKind::Standards => 1,
        SectionKind::HowToApply => 2,
        SectionKind::Timeline => 3,
        SectionKind::Contact => 4,
        SectionKind::Goals => 5,
        SectionKind::MainContent => 6,
        SectionKind::Safeguards => 7,
        SectionKind::Background => 8,
    };
    builders.sort_by_key(|b| process_rank(b.kind));
    for b in &builders {
        let mut cands: Vec<Cand> = Vec::new();
        let mut steps: Vec<Step> = Vec::new();
        for m in &b.members {
            match m {
                Member::Lines(rs) => cands.extend(ctx.sentence_cands(rs, b.kind)),
                Member::Sentences(n) => {
                    let kids = &ctx.children[*n];
                    let with_heads: Vec<usize> =
                        kids.iter().copied().filter(|&k| lay.nodes[k].heading.is_some()).collect();
                    if b.kind == SectionKind::HowToApply && with_heads.len() >= 2 && steps.is_empty() {
                        for &k in with_heads.iter().take(cfg.max_steps) {
                            if let Some(c) = ctx.item_cand(k, b.kind).into_iter().next() {
                                let (text, spans) = pieces_bullet(norm, &c.pieces);
                                used.extend(c.uses.iter().skip(1).cloned());
                                steps.push(Step { text, spans });
                            }
                        }
                    }
                    cands.extend(ctx.sentence_cands(&ctx.subtree_ranges(*n), b.kind));
                }
                Member::Items(n) => {
                    let kids = &ctx.children[*n];
                    if kids.is_empty() {
                        if lay.nodes[*n].parent.is_some() {
                            cands.extend(ctx.item_cand(*n, b.kind));
                        } else {
                            cands.extend(ctx.sentence_cands(&ctx.own_ranges(*n), b.kind));
                        }
                    } else {
                        cands.extend(ctx.sentence_cands(&ctx.own_ranges(*n), b.kind).into_iter().map(|mut c| {
                            c.score -= 1;
                            c
                        }));
                        for &k in kids {
                            cands.extend(ctx.item_cand(k, b.kind));
                        }
                    }
                }
            }
        }
        let min_score = match b.kind {
            SectionKind::Background | SectionKind::Goals => 2,
            _ => 1,
        };
        cands.retain(|c| c.score >= min_score);
        cands.sort_by(|a, b| b.score.cmp(&a.score).then(a.pos.cmp(&b.pos)));
        let mut chosen: Vec<Cand> = Vec::new();
        let mut seen_text: HashSet<String> = HashSet::new();
        let mut rest: Vec<Cand> = Vec::new();
        for c in cands {
            if chosen.len() >= cfg.max_bullets_per_section {
                rest.push(c);
                continue;
            }
            let t = c.pieces.text(norm);
            let main = c.pieces.parts.iter().map(|p| p.0.clone()).collect::<Vec<_>>();
            if seen_text.contains(&t)
                || main.iter().any(|r| used.iter().any(|u| overlaps(r, u)))
                || main.iter().any(|r| chosen.iter().any(|o| o.pieces.parts.iter().any(|p| overlaps(&p.0, r))))
            {
                continue;
            }
            seen_text.insert(t);
            chosen.push(c);
        }
        for c in &chosen {
            used.extend(c.pieces.parts.iter().map(|p| p.0.clone()));
        }
        let score: i32 = chosen.iter().map(|c| c.score.max(0)).sum::<i32>() + steps.len() as i32 * 3;
        chosen.sort_by_key(|c| c.pos);
        let bullets: Vec<Bullet> = chosen
            .iter()
            .map(|c| {
                let (text, spans) = pieces_bullet(norm, &c.pieces);
                Bullet { text, spans }
            })
            .collect();
        let heading = b
            .heading
            .clone()
            .filter(|h| !h.is_empty() && h.chars().count() <= 20)
            .unwrap_or_else(|| b.kind.default_heading().to_string());
        let section = Section {
            kind: b.kind,
            heading,
            bullets,
            figures: Vec::new(),
            steps,
            dates: Vec::new(),
            tables: Vec::new(),
        };
        if !rest.is_empty() {
            leftovers.push((b.kind, section.heading.clone(), b.pos, rest));
        }
        sections.push((section, score, b.pos));
    }

    // 3. Timeline: dated lines and validity.
    let mut validity_bullets: Vec<Bullet> = Vec::new();
    for v in &validity {
        // The whole sentence, shortened: `本方案自发布之日起实施，有效期十年`.
        let line = lay.lines.iter().find(|l| l.start <= v.start && v.end <= l.end).cloned().unwrap_or(v.clone());
        let Some(s) = clauses::sentences(norm, line).into_iter().find(|s| s.start <= v.start && v.end <= s.end) else {
            continue;
        };
        if let Some(p) = ctx
            .chunks(s.clone(), cfg.max_bullet_chars)
            .into_iter()
            .find(|p| p.parts.iter().any(|(r, _)| overlaps(r, v)))
        {
            let (text, spans) = pieces_bullet(norm, &p);
            if !validity_bullets.iter().any(|b| b.text == text) {
                used.push(s);
                validity_bullets.push(Bullet { text, spans });
            }
        }
    }
    if !date_items.is_empty() || !validity_bullets.is_empty() {
        let score = date_items.len() as i32 * 4 + validity_bullets.len() as i32 * 3;
        if let Some((s, sc, _)) = sections.iter_mut().find(|(s, _, _)| s.kind == SectionKind::Timeline) {
            s.dates = date_items;
            let mut bullets = validity_bullets;
            bullets.append(&mut s.bullets);
            bullets.truncate(cfg.max_bullets_per_section);
            s.bullets = bullets;
            *sc += score;
        } else {
            let mut bullets = validity_bullets;
            bullets.truncate(cfg.max_bullets_per_section);
            sections.push((
                Section {
                    kind: SectionKind::Timeline,
                    heading: SectionKind::Timeline.default_heading().to_string(),
                    bullets,
                    figures: Vec::new(),
                    steps: Vec::new(),
                    dates: date_items,
                    tables: Vec::new(),
                },
                score,
                usize::MAX,
            ));
        }
    }

    // 4. Contacts.
    let contacts: Vec<_> = facts
        .contacts
        .iter()
        .filter(|c| !used.iter().any(|u| overlaps(u, &c.range)))
        .take(cfg.max_bullets_per_section)
        .collect();
    if !contacts.is_empty() {
        let bullets = contacts.iter().map(|c| Bullet { text: c.text.clone(), spans: vec![c.span] }).collect();
        if let Some((s, _, _)) = sections.iter_mut().find(|(s, _, _)| s.kind == SectionKind::Contact) {
            s.bullets = bullets;
        } else {
            sections.push((
                Section {
                    kind: SectionKind::Contact,
                    heading: SectionKind::Contact.default_heading().to_string(),
                    bullets,
                    figures: Vec::new(),
                    steps: Vec::new(),
                    dates: Vec::new(),
                    tables: Vec::new(),
                },
                10,
                usize::MAX,
            ));
        }
    }

    // 5. Figures.
    let fig_start = if lay.nodes.is_empty() { content_start } else { pre_end.max(content_start) };
    let figs = crate::figures::candidates(norm, facts, fig_start..content_end, cfg.max_label_chars);
    for (s, _, _) in sections.iter_mut() {
        if matches!(s.kind, SectionKind::Standards | SectionKind::Goals) {
            let ranges: Vec<Span> = s.bullets.iter().flat_map(|b| b.spans.clone()).collect();
            s.figures = figs
                .iter()
                .filter(|(f, _)| {
                    f.spans.first().is_some_and(|fs| ranges.iter().any(|r| r.start <= fs.start && fs.end <= r.end))
                })
                .take(cfg.max_figures_per_section)
                .map(|(f, _)| f.clone())
                .collect();
        }
    }
    let headline = crate::figures::headline(&figs, cfg.max_figures);

    // 6. Choose and order sections.
    sections.retain(|(s, _, _)| {
        !(s.bullets.is_empty() && s.steps.is_empty() && s.dates.is_empty() && s.figures.is_empty())
    });
    if sections.iter().filter(|(s, _, _)| s.kind != SectionKind::Background).count() >= cfg.min_sections {
        sections.retain(|(s, _, _)| s.kind != SectionKind::Background);
    }
    if sections.len() < cfg.min_sections {
        let mut best: Option<(SectionKind, String, usize, Vec<Cand>)> = None;
        for (kind, heading, pos, rest) in leftovers {
            let mut take: Vec<Cand> = Vec::new();
            for c in rest {
                let overlap = |r: &Range<usize>| {
                    used.iter().any(|u| overlaps(u, r))
                        || take.iter().any(|t| t.pieces.parts.iter().any(|p| overlaps(&p.0, r)))
                };
                if take.len() < cfg.max_bullets_per_section && !c.pieces.parts.iter().any(|p| overlap(&p.0)) {
                    take.push(c);
                }
            }
            if take.len() >= 2 && best.as_ref().is_none_or(|b| take.len() > b.3.len()) {
                best = Some((kind, heading, pos, take));
            }
        }
        if let Some((kind, heading, pos, mut take)) = best {
            take.sort_by_key(|c| c.pos);
            let bullets = take
                .iter()
                .map(|c| {
                    let (text, spans) = pieces_bullet(norm, &c.pieces);
                    Bullet { text, spans }
                })
                .collect();
            let section = Section {
                kind,
                heading,
                bullets,
                figures: Vec::new(),
                steps: Vec::new(),
                dates: Vec::new(),
                tables: Vec::new(),
            };
            sections.push((section, 0, pos + 1));
        }
    }
    while sections.len() > cfg.max_sections {
        let drop_rank = |s: &Section, sc: i32| -> (i32, i32) {
            let tier = match s.kind {
                SectionKind::Background => 0,
                SectionKind::Safeguards => 1,
                SectionKind::MainContent => 2,
                _ => 3,
            };
            (tier, sc)
        };
        let (idx, _) = sections.iter().enumerate().min_by_key(|(_, (s, sc, _))| drop_rank(s, *sc)).expect("non-empty");
        sections.remove(idx);
    }
    sections.sort_by(|a, b| order(a.0.kind).cmp(&order(b.0.kind)).then(a.2.cmp(&b.2)));

    let title = if doc_type.wrapper {
        lay.inner_title_line
            .map(|i| norm.get(lay.lines[i].clone()).to_string())
            .or_else(|| doc_type.inner_title.clone())
            .unwrap_or_else(|| meta.title.clone())
    } else {
        meta.title.clone()
    };
    let date = meta.written_date_text.clone().or_else(|| meta.written_date.clone());
    let subtitle = [meta.issuer.clone(), meta.doc_number.clone(), date]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    InfographicContent {
        title: title.trim_matches(['《', '》']).to_string(),
        subtitle,
        source_title: None,
        source_url: None,
        figures: headline,
        sections: sections.into_iter().map(|x| x.0).collect(),
    }
}

/// Dates worth a place on the timeline, labelled with the clause they sit in.
fn timeline(
    norm: &Norm,
    facts: &Facts,
    cfg: &TextConfig,
    content: Range<usize>,
    preamble_end: usize,
) -> Vec<(DateItem, Range<usize>)> {
    let mut ds: Vec<&DateMention> = facts
        .dates
        .iter()
        .filter(|d| content.start <= d.range.start && d.range.end <= content.end)
        .filter(|d| d.precision != DatePrecision::Year || d.text.ends_with(['前', '起', '止']))
        .collect();
    let text = &norm.text;
    // Dates in the preamble are history unless they start or end something.
    ds.retain(|d| d.range.start >= preamble_end || d.text.ends_with(['前', '起', '止']));
    let titles = facts::title_ranges(text);
    ds.retain(|d| !titles.iter().any(|t| t.contains(&d.range.start)));
    let lines = norm.lines();
    let mut items: Vec<(DateItem, i32, Range<usize>)> = Vec::new();
    let mut i = 0;
    while i < ds.len() {
        let d = ds[i];
        let mut range = d.range.clone();
        // `2019年1月1日至2020年12月31日` is one period.
        if let Some(e) = ds.get(i + 1)
            && matches!(&text[d.range.end..e.range.start], "至" | "到" | "—" | "-" | "~" | "～")
        {
            range = d.range.start..e.range.end;
            i += 1;
        }
        i += 1;
        let date = norm.get(range.clone()).to_string();
        let core = date.trim_end_matches(|c: char| "以之前起来后止".contains(c)).to_string();
        let deadline_suffix = date.len() != core.len();
        if let Some(pos) =
            items.iter().position(|(x, _, _)| x.date.trim_end_matches(|c: char| "以之前起来后止".contains(c)) == core)
        {
            // Keep one entry per date; a later mention that sets a deadline replaces a plain one.
            if deadline_suffix && items[pos].0.date == core {
                items.remove(pos);
            } else {
                continue;
            }
        }
        let mut line =
            lines.iter().find(|l| l.start <= range.start && range.end <= l.end).cloned().unwrap_or(range.clone());
        if let Some((_, mlen)) = crate::outline::marker_of(norm.get(line.clone())) {
            line.start += mlen;
        }
        let Some(sent) =
            clauses::sentences(norm, line).into_iter().find(|s| s.start <= range.start && range.end <= s.end)
        else {
            continue;
        };
        let cls = clauses::clauses(norm, sent.clone());
        let Some(k) = cls.iter().position(|(c, _)| c.start <= range.start && range.end <= c.end) else { continue };
        let mut label = cls[k].0.clone();
        let rest_len = clauses::chars(norm, &label) - date.chars().count();
        let max = cfg.max_bullet_chars;
        if rest_len < 6 {
            // The clause is little more than the date: take its neighbour for meaning.
            if let Some((n, _)) = cls.get(k + 1).filter(|(n, _)| clauses::chars(norm, &(label.start..n.end)) <= max) {
                label = label.start..n.end;
            } else if k > 0 && clauses::chars(norm, &(cls[k - 1].0.start..label.end)) <= max {
                label = cls[k - 1].0.start..label.end;
            }
        } else if k > 0 && clauses::chars(norm, &(cls[k - 1].0.start..label.end)) <= max {
            label = cls[k - 1].0.start..label.end;
        }
        let lt = norm.get(label.clone());
        let pieces = if clauses::chars(norm, &label) > max {
            clauses::shorten_clause(norm, label.clone(), max)
        } else {
            let mut p = Pieces::default();
            p.push(label.clone(), "");
            Some(p)
        };
        let Some(pieces) = pieces else { continue };
        let (label_text, mut spans) = pieces_bullet(norm, &pieces);
        let score = i32::from(DEADLINE.is_match(lt)) * 2 + i32::from(d.precision == DatePrecision::Day);
        spans.insert(0, norm.span(range.clone()));
        spans.dedup();
        items.push((DateItem { date, label: label_text, spans }, score, label.clone()));
    }
    if items.len() > cfg.max_dates {
        let mut idx: Vec<usize> = (0..items.len()).collect();
        idx.sort_by(|&a, &b| items[b].1.cmp(&items[a].1).then(a.cmp(&b)));
        let keep: HashSet<usize> = idx.into_iter().take(cfg.max_dates).collect();
        items = items.into_iter().enumerate().filter(|(i, _)| keep.contains(i)).map(|(_, x)| x).collect();
    }
    items.into_iter().map(|x| (x.0, x.2)).collect()
}

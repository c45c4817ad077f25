//! Candidate lines for the select pass: sentences, clause groups and item lines of the source, each with a
//! salience score for the section it would go to.
//!
//! Salience is generic: amounts, rates, dates, entitlement and obligation words raise a line; political
//! boilerplate and filler verbs lower it. A sentence that fits a bullet is one candidate; a longer one gives its
//! best clauses that fit together (whole clauses only, see [`crate::clauses`]), and a long run of clauses gives each
//! clause on its own as well. An item (`（一）补贴对象。…`) is one line: its heading and its best clause.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use tujie_model::{SectionKind, Span};

use crate::TextConfig;
use crate::clauses::{self, Pieces};
use crate::dates::DatePrecision;
use crate::facts::{self, QuantityKind};
use crate::normalize::{Norm, is_han};
use crate::outline::{Layout, MarkerKind};

static BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"习近平|思想为指导|指导思想|贯彻落实|贯彻|坚持以|党的|党中央|精神|决策部署|高度重视|重要意义|重要举措|重要内容|重要途径|重要力量|为深入|为进一步|充分认识|现提出|提出如下|提出以下|通知如下|通告如下|公告如下|现就|如下[：:。]?$|其中[：:，]?$")
        .expect("boilerplate regex")
});
static FILLER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"着力|不断|切实|大力|积极|深入|进一步|加快|推动|加强|完善|健全|统筹").expect("filler regex")
});
static ACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"补贴|补助|奖励|免征|免费|减免|给予|享受|发放|申领|申请|办理|提供|不得|严禁|禁止|纳入|截止|之日起|有效期|可在|可申请|最高|不超过|以上|以下|取消|授予|建立|实施|设立|公布|电话|热线|举报|投诉|继续享受|立减")
        .expect("action regex")
});
static QUOTED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"“[^”]{1,20}”").expect("quoted regex"));

/// Words that make a line more useful in a section of one kind.
static BOOSTS: LazyLock<Vec<(SectionKind, Regex)>> = LazyLock::new(|| {
    [
        (SectionKind::Eligibility, r"对象|条件|符合|户籍|年满|以下|以上|适用|范围|个人|居民|企业"),
        (SectionKind::HowToApply, r"申领|申请|办理|线上|现场|渠道|材料|提交|提供|登录|小程序|窗口|平台|账户|银行"),
        (SectionKind::Standards, r"元|%|标准|比例|最高|不超过|免征|不计入"),
        (SectionKind::Timeline, r"前|截止|起|之日|期限|有效期|每年"),
        (SectionKind::Goals, r"到20\d\d年|目标|达到|实现|建成|确保|力争|\d"),
        (SectionKind::Contact, r"电话|联系|地址|邮箱"),
    ]
    .into_iter()
    .map(|(k, p)| (k, Regex::new(p).expect("boost regex")))
    .collect()
});

/// Extra salience of a line for a section of the given kind.
pub fn kind_boost(kind: SectionKind, t: &str) -> i32 {
    BOOSTS.iter().find(|(k, _)| *k == kind).map_or(0, |(_, re)| (re.find_iter(t).count() as i32).min(2) * 2)
}

/// Generic salience of a piece of policy text for a reader who wants to know what changes for them.
pub fn salience(t: &str) -> i32 {
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
    let bare = bare_chars(t);
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

/// Characters of a text that are not digits, date words, units or commas: what it says besides its number.
fn bare_chars(t: &str) -> usize {
    t.chars().filter(|c| !c.is_ascii_digit() && !"年月日前起止底%元，、".contains(*c)).count()
}

/// Whether a piece of text says nothing on its own, so that it is never a bullet: little besides a number or date
/// (`到2027年`), a bare heading with its marker (`二、领取时限`, `第三章申请条件`, `（四）资金拨付`), or a short
/// condition left dangling (`符合申请条件的`).
pub(crate) fn says_nothing(t: &str) -> bool {
    let t = t.trim();
    // A row of a page table that was not read as a table (`1人|单身|宿舍…`): cells run together read as nothing.
    if bare_chars(t) < 3 || t.contains('|') {
        return true;
    }
    let short = |s: &str, n: usize| s.chars().count() <= n && !s.contains(['，', '。', '：', '；']);
    // A heading never ends in `的`: a short item that does is one of a list of cases (`（三）申报或佐证材料弄虚作假的`
    // under 不予支持情形).
    let bare_heading = !t.ends_with('的')
        && crate::outline::marker_of(t).is_some_and(|(k, len)| {
            !matches!(k, crate::outline::MarkerKind::Num | crate::outline::MarkerKind::ParenNum) && short(&t[len..], 12)
        });
    bare_heading
        || (t.ends_with('的') && short(t, 10))
        || has_blank_field(t)
        || leads_in(t)
        || only_a_purpose(t)
        || only_a_topic(t)
        || only_who_is_responsible(t)
        || only_a_figure(t)
        || tears_a_title(t)
        || awaits_its_predicate(t)
        || asks(t)
}

/// Whether a text is a question (`…需要具备哪些基本条件`, `之前办理的实体卡还能用吗`, `…的起算时间是什么`): the
/// heading of an answer in a 问答 or 解读 page, which says nothing the answer does not. Thirteen such bullets in six
/// fixture documents (居住证, 高龄津贴, 积分制入户, 创业担保贷款 and 房屋租赁 Q&A pages) took the place of facts.
fn asks(t: &str) -> bool {
    const ENDS: [&str; 4] = ["？", "?", "吗", "呢"];
    const ASKING: [&str; 9] = ["什么", "怎样", "怎么", "哪些", "哪里", "哪个", "何时", "如何", "多少"];
    let t = t.trim_end_matches(['。', '；', '，']);
    let last = t.rsplit(['，', '：', '；']).next().unwrap_or(t);
    ENDS.iter().any(|w| t.ends_with(w)) || ASKING.iter().any(|w| last.contains(w))
}

/// Whether a text ends inside a title (`…共同提出《关于建立环卫`): cut there, it names half a document.
fn tears_a_title(t: &str) -> bool {
    t.matches('《').count() > t.matches('》').count()
}

/// Whether a clause ends in the document it goes by (`区绿化市容局要根据《…设置标准》`), before what is done by
/// it: the leading clause of such a sentence (six fixture documents open one so) is no company for a heading.
fn awaits_its_predicate(t: &str) -> bool {
    static BY_TITLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:根据|按照|依据|依照|参照)《[^》]{1,60}》(?:（[^）]{0,30}）)?[，、]?$").expect("by-title regex")
    });
    BY_TITLE.is_match(t.trim())
}

/// Whether a text is one figure and nothing else (`0.25元/千瓦时`, the value of `分布式光伏：0.25元/千瓦时` cut from
/// its label): a bullet that does not say what its number is.
fn only_a_figure(t: &str) -> bool {
    // Most candidates are longer than a figure: look no further (this runs for every candidate).
    if t.chars().count() > 24 || !t.contains(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let n = Norm::new(t.trim_end_matches(['。', '；', '，']));
    let rest = crate::facts::quantities(&n, 0..n.text.len())
        .iter()
        .fold(n.text.clone(), |acc, q| acc.replacen(n.get(q.range.clone()), "", 1));
    // A rate after the unit (`/千瓦时`, `/半年/个`) belongs to the figure.
    let rest = RATE_AFTER.replace_all(&rest, "");
    rest.len() < n.text.len() && rest.chars().all(|c| "（）()含以上下".contains(c))
}

static RATE_AFTER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"/[\p{Han}㎡]{1,3}").expect("rate regex"));

/// Whether a text only names the topic of what follows it (`补贴条件`, `1、报名方式`, `申领条件`, `办理方式`): up
/// to six characters after any marker, ending in a topic noun. Seen as bullets of
/// five fixture documents, where the conditions or channels themselves followed in the next lines.
fn only_a_topic(t: &str) -> bool {
    // Not 材料: `身份证明材料` is itself an item of a list of materials.
    const TOPICS: [&str; 9] = ["条件", "对象", "方式", "时间", "流程", "程序", "范围", "地点", "渠道"];
    let rest = t[crate::outline::marker_len(t)..].trim();
    rest.chars().count() <= 6
        && !rest.contains(|c: char| c.is_ascii_digit() || "，。；：、".contains(c))
        && TOPICS.iter().any(|w| rest.ends_with(w))
}

/// Whether a text is nothing but the bracketed note of who carries out the measure before it
/// (`（责任单位：县自然资源局、县住建局）`, `（牵头单位：县财政局）`, `（落实单位：市财政局）`, `（人力资源社会保障部、财政部负责）`): torn from its
/// measure it says nothing. Forty such bullets in eleven fixture documents (two State Council 意见; county and
/// district measures of 河南, 浙江, 山西, 广西, 湖南, 四川 and 河北; a county's 重要工作责任分工) stood where measures
/// and targets should, six more opened the validity sentence run on after them ([`after_duties`]).
pub(crate) fn only_who_is_responsible(t: &str) -> bool {
    let t = t.trim_end_matches('。');
    let Some(inner) = t.strip_prefix('（').and_then(|t| t.strip_suffix('）')) else {
        return false;
    };
    // One aside, not two (`（一）…（二）`): its brackets balance inside it (`县规划和自然资源局（林业局）`).
    let mut depth = 0i32;
    for c in inner.chars() {
        depth += match c {
            '（' => 1,
            '）' => -1,
            _ => 0,
        };
        if depth < 0 {
            return false;
        }
    }
    let inner = inner.trim_end_matches(['。', '；']);
    let named = crate::normalize::DUTIES.iter().any(|w| inner.starts_with(w));
    let carries_out = inner.ends_with("负责") && !inner.contains(['，', '：']);
    !inner.contains(|c: char| c.is_ascii_digit()) && (named || carries_out)
}

/// Whether a text is nothing but the purpose clause that opens a notice (`为进一步做好我市某项工作`,
/// `为落实《…》（…〔2014〕258号）精神`, `为规范…管理工作`): one clause, ending in the work or the basis it serves.
/// Seven such bullets in six fixture documents (Guangzhou and Beijing pages) took the place of facts.
fn only_a_purpose(t: &str) -> bool {
    let t = t.trim_end_matches(['，', '。']);
    let one_clause = !t.contains(['，', '；', '：', '。']);
    one_clause && t.starts_with('为') && ["工作", "精神", "要求", "的通知"].iter().any(|w| t.ends_with(w))
}

/// `r` without the bracketed units of the measure before it, when it opens with them and says more after them: a plan's last
/// measure closes with `（责任单位：…）` and its validity sentence runs on without a full stop (`…）本措施自印发之日起
/// 施行`), in five fixture documents (a State Council 意见, four county 若干措施).
pub(crate) fn after_duties(norm: &Norm, r: Range<usize>) -> Range<usize> {
    let t = norm.get(r.clone());
    let mut depth = 0;
    for (i, c) in t.char_indices() {
        match c {
            '（' => depth += 1,
            '）' => depth -= 1,
            _ if depth == 0 => break,
            _ => {}
        }
        if depth == 0 {
            let end = i + c.len_utf8();
            let more = t[end..].chars().count() >= 4;
            return if more && only_who_is_responsible(&t[..end]) { r.start + end..r.end } else { r };
        }
    }
    r
}

/// A sentence without its closing lead-in clause (`向社会公开遴选1个农民田间学校，现将有关事宜公告如下`): the
/// clauses before it say something; the lead-in alone says nothing ([`says_nothing`]).
///
/// The mark of an answer or question that opens the sentence of a 问答 page (`答：`) goes too: it is no part of what
/// the answer says (fifteen bullets of three fixture sets opened so), and so do the units of the measure before it
/// ([`after_duties`]).
pub(crate) fn without_lead_in(norm: &Norm, s: Range<usize>) -> Range<usize> {
    let t = norm.get(s.clone());
    let mark =
        ["答：", "答:", "问：", "问:"].iter().find(|m| t.starts_with(**m) && t.len() > m.len()).map_or(0, |m| m.len());
    let s = after_duties(norm, s.start + mark..s.end);
    let cls = clauses::clauses(norm, s.clone());
    match cls.as_slice() {
        [.., before, (last, _)] if leads_in(norm.get(last.clone())) => s.start..before.0.end,
        _ => s,
    }
}

/// Whether a text only leads into what follows it (`现将有关事项通知如下`, `计算公式为`, `…医疗救助范围和标准为`,
/// `房屋权属证明包括`): its last word waits for the list or value the next sentence gives. Seen closing bullets of
/// ten fixture documents (通知如下 and 通告如下 in five).
fn leads_in(t: &str) -> bool {
    const LEAD_INS: [&str; 5] = ["如下", "为", "包括", "如", "其中"];
    let t = t.trim_end_matches(['：', ':', '，']);
    // Segmenting is the cost; only a text ending in one of the words can end in it as a word.
    if !LEAD_INS.iter().any(|w| t.ends_with(w)) {
        return false;
    }
    let words = tujie_zh::words::words(t);
    words.last().is_some_and(|w| LEAD_INS.contains(&&t[w.clone()]))
}

/// Whether a text holds a blank field of a flattened form (`种植面积亩，每亩补助200元，补助元`, `（盖章）年月日`):
/// a unit with no number before it, a date with none of its numbers, or a place to sign or stamp. Annexed 申报表 and 审批表 run into the text
/// of crawled pages (six fixture documents); their fields are no facts of the policy.
fn has_blank_field(t: &str) -> bool {
    const SIGN_HERE: [&str; 9] =
        ["（盖章）", "(盖章)", "（签字）", "(签字)", "（公章）", "（印章）", "（大写）", "填表日期", "填报日期"];
    // A copy to be stamped (`毕业证书复印件一份（盖章）`) is a requirement of the materials, not a field of a form.
    let field = |w: &str| t.match_indices(w).any(|(i, _)| !t[..i].ends_with(['件', '份']));
    if SIGN_HERE.iter().any(|w| field(w)) {
        return true;
    }
    // Numerals, and the words that make a unit a word of its own (美元, 港元, 单元).
    let numeral = |c: char| c.is_ascii_digit() || "零〇一二两三四五六七八九十百千万亿几多余美港欧日单公".contains(c);
    let chars: Vec<char> = t.chars().collect();
    chars.windows(3).any(|w| {
        let unit_ends = matches!(w[2], '，' | '。' | '；' | '、' | '）' | ')');
        let blank_unit = matches!(w[1], '元' | '亩') && unit_ends && is_han(w[0]) && !numeral(w[0]);
        blank_unit || (w == ['年', '月', '日'])
    }) || chars.last().is_some_and(|&c| {
        matches!(c, '元' | '亩') && chars.len() >= 2 && {
            let p = chars[chars.len() - 2];
            is_han(p) && !numeral(p)
        }
    })
}

/// A candidate line for a section: source pieces and a score.
#[derive(Debug, Clone)]
pub struct Cand {
    pub pieces: Pieces,
    pub score: i32,
    pub pos: usize,
    /// Sentence ranges it draws on, so no sentence is shown twice.
    pub uses: Vec<Range<usize>>,
}

impl Cand {
    /// The candidate's text and spans, ready for a bullet or step.
    pub fn bullet(&self, norm: &Norm) -> (String, Vec<Span>) {
        pieces_bullet(norm, &self.pieces)
    }
}

/// Extra score of the first sentence of an article (`第五条（入市主体）` then `…入市的法定主体是地块的所有权人。`) beside
/// its title: a rules document states an article's rule first and its details after (the three article-titled
/// 办法 of the fixtures, Shanghai district rules).
const ARTICLE_LEAD_BONUS: i32 = 4;

/// A heading written whole in brackets (an article's title, `第五条（入市权利双方）`) without them.
fn unbracketed(norm: &Norm, h: Range<usize>) -> Range<usize> {
    let t = norm.get(h.clone());
    match t.strip_prefix('（').and_then(|r| r.strip_suffix('）')) {
        Some(inner) if !inner.contains(['（', '）']) && !inner.is_empty() => {
            h.start + '（'.len_utf8()..h.end - '）'.len_utf8()
        }
        _ => h,
    }
}

/// One source range as pieces.
pub fn whole(r: Range<usize>) -> Pieces {
    let mut p = Pieces::default();
    p.push(r, "");
    p
}

/// What the candidate builders read: the text, its layout and the size limits.
#[derive(Debug)]
pub struct Ctx<'a> {
    pub norm: &'a Norm,
    pub lay: &'a Layout,
    pub cfg: &'a TextConfig,
    /// Children of each node.
    pub children: Vec<Vec<usize>>,
    pub first_node_line: usize,
}

impl<'a> Ctx<'a> {
    pub fn new(norm: &'a Norm, lay: &'a Layout, cfg: &'a TextConfig) -> Self {
        let mut children = vec![Vec::new(); lay.nodes.len()];
        for (i, n) in lay.nodes.iter().enumerate() {
            if let Some(p) = n.parent {
                children[p].push(i);
            }
        }
        let first_node_line = lay.nodes.first().map_or(lay.content.end, |n| n.line);
        Ctx { norm, lay, cfg, children, first_node_line }
    }

    /// Body ranges (paragraph text after any heading) of a node itself, not its children.
    pub fn own_ranges(&self, node: usize) -> Vec<Range<usize>> {
        let n = &self.lay.nodes[node];
        let mut out: Vec<Range<usize>> = n.body_range.clone().into_iter().collect();
        for li in n.line + 1..self.lay.content.end {
            if self.lay.line_node[li] == Some(node) {
                out.push(self.lay.lines[li].clone());
            }
        }
        out
    }

    /// Body ranges of a node and all its descendants, with descendants' headings left out, except the text of an
    /// item that is all heading (`（二）近三年无重大知识产权违法、严重失信记录；`): a one-line item is content.
    pub fn subtree_ranges(&self, node: usize) -> Vec<Range<usize>> {
        let mut out = self.own_ranges(node);
        for &c in &self.children[node] {
            let sub = self.subtree_ranges(c);
            let bare = sub.iter().all(|r| r.is_empty()) && self.children[c].is_empty();
            match self.lay.nodes[c].heading_range.clone().filter(|_| bare) {
                Some(h) => out.push(h),
                None => out.extend(sub),
            }
        }
        out.sort_by_key(|r| r.start);
        out
    }

    /// Content lines before the first heading.
    pub fn preamble_ranges(&self) -> Vec<Range<usize>> {
        (self.lay.content.start..self.first_node_line).map(|li| self.lay.lines[li].clone()).collect()
    }

    /// The score of a text for a section of `kind`.
    fn score(&self, kind: SectionKind, t: &str) -> i32 {
        salience(t) + kind_boost(kind, t)
    }

    /// Candidates from sentences: a sentence that fits is one candidate; a longer one gives its best clauses that
    /// fit together, and, when it is a long run of clauses, each clause on its own as well.
    pub fn sentence_cands(&self, ranges: &[Range<usize>], kind: SectionKind) -> Vec<Cand> {
        let max = self.cfg.max_bullet_chars;
        let mut out = Vec::new();
        let push = |pieces: Pieces, bonus: i32, s: &Range<usize>, out: &mut Vec<Cand>| {
            let text = pieces.text(self.norm);
            // `到2027年` alone says nothing: a bullet needs words besides its number.
            if pieces.is_empty() || says_nothing(&text) {
                return;
            }
            let score = self.score(kind, &text) + bonus;
            let pos = pieces.parts.iter().find(|p| p.0.start < p.0.end).map_or(s.start, |p| p.0.start);
            out.push(Cand { pos, pieces, score, uses: vec![s.clone()] });
        };
        for r in ranges {
            for (si, s) in clauses::sentences(self.norm, r.clone()).into_iter().enumerate() {
                // An item of a list written inline (`（3）现存一个子女或现存两个女孩…；`) is one of conditions that hold
                // together: it passes the threshold its words alone would not.
                let item = si > 0
                    && crate::outline::marker_of(self.norm.get(s.clone())).is_some_and(|(k, _)| {
                        matches!(k, crate::outline::MarkerKind::ParenNum | crate::outline::MarkerKind::Num)
                    });
                let first_bonus = i32::from(si == 0 || item);
                if clauses::asked(self.norm, &s) {
                    continue;
                }
                if clauses::chars(self.norm, &s) <= max {
                    push(whole(without_lead_in(self.norm, s.clone())), first_bonus, &s, &mut out);
                    continue;
                }
                // Each clause, shortened if need be, with its score.
                let cls: Vec<(Pieces, i32)> = clauses::clauses(self.norm, without_lead_in(self.norm, s.clone()))
                    .into_iter()
                    .filter_map(|(c, _)| clauses::fitted_clause(self.norm, c, max))
                    .map(|p| {
                        let sc = self.score(kind, &p.text(self.norm));
                        (p, sc)
                    })
                    .collect();
                let pick = best_fitting(self.norm, &cls, max);
                push(self.join_clauses(&cls, &pick), first_bonus, &s, &mut out);
                // What the best group left out is said too, as runs of neighbouring clauses, so a long sentence
                // of a short notice can give two or three bullets when its section has room.
                let rest: Vec<usize> = (0..cls.len()).filter(|i| !pick.contains(i)).collect();
                for run in runs(self.norm, &cls, &rest, max) {
                    push(self.join_clauses(&cls, &run), 0, &s, &mut out);
                }
            }
        }
        out
    }

    /// The picked clauses of a sentence joined in source order: neighbours keep the source separator between
    /// them, others are joined by `，`.
    fn join_clauses(&self, cls: &[(Pieces, i32)], pick: &[usize]) -> Pieces {
        let mut p = Pieces::default();
        let mut prev: Option<usize> = None;
        for &i in pick {
            for (j, (r, sep)) in cls[i].0.parts.iter().enumerate() {
                if j == 0
                    && let Some(pi) = prev
                {
                    let gap = p.parts.last().map_or(r.start, |l| l.0.end);
                    if pi + 1 == i && gap <= r.start && self.norm.get(gap..r.start).chars().count() == 1 {
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
        p
    }

    /// An item as one line: its heading, and the best clause group of its body when both fit. The second
    /// candidate is the heading alone.
    pub fn item_cand(&self, node: usize, kind: SectionKind) -> Vec<Cand> {
        self.headed_cand(node, &self.subtree_ranges(node), kind)
    }

    /// [`Ctx::item_cand`] with the body its heading's company is chosen from given.
    pub fn headed_cand(&self, node: usize, body: &[Range<usize>], kind: SectionKind) -> Vec<Cand> {
        let n = &self.lay.nodes[node];
        let Some(h) = n.heading_range.clone().map(|h| unbracketed(self.norm, h)) else {
            return self.sentence_cands(body, kind);
        };
        let base = self.score(kind, self.norm.get(h.clone())) + 2;
        let lead = if n.marker_kind == MarkerKind::Article { ARTICLE_LEAD_BONUS } else { 0 };
        let best = self.best_company(&h, body, kind, lead);
        let mut p = whole(h.clone());
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

    /// The best candidate of an item's body that fits beside its heading `h`; `lead` is extra score for what the
    /// body's first sentence gives.
    fn best_company(&self, h: &Range<usize>, body: &[Range<usize>], kind: SectionKind, lead: i32) -> Option<Cand> {
        let max = self.cfg.max_bullet_chars;
        let hlen = clauses::chars(self.norm, h);
        let mut best: Option<Cand> = None;
        if hlen + 3 >= max {
            return None;
        }
        let first = body.iter().find_map(|r| clauses::sentences(self.norm, r.clone()).into_iter().next());
        if let Some(f) = first.as_ref().filter(|_| lead > 0) {
            // The first sentence's own leading clause, when the whole sentence does not fit.
            let fits = |r: &Range<usize>| hlen + 1 + clauses::chars(self.norm, r) <= max;
            let whole_clause = |cl: &Range<usize>| fits(cl) && !says_nothing(self.norm.get(cl.clone()));
            if let Some((cl, _)) =
                clauses::clauses(self.norm, f.clone()).into_iter().next().filter(|(cl, _)| whole_clause(cl))
            {
                let sc = self.score(kind, self.norm.get(cl.clone())) + lead;
                best = Some(Cand { pieces: whole(cl.clone()), score: sc, pos: cl.start, uses: vec![f.clone()] });
            }
        }
        for c in self.sentence_cands(body, kind) {
            let in_first = first.as_ref().is_some_and(|f| f.start <= c.pos && c.pos < f.end);
            let score = c.score + if in_first { lead } else { 0 };
            let c = Cand { uses: c.pieces.parts.iter().map(|p| p.0.clone()).collect(), score, ..c };
            if hlen + 1 + c.pieces.len_chars(self.norm) <= max {
                if best.as_ref().is_none_or(|b| c.score > b.score) {
                    best = Some(c);
                }
                continue;
            }
            // A clause group too long for the heading's company may still fit through its best clause.
            for (cl, _) in clauses::clauses(self.norm, c.pieces.parts[0].0.clone()) {
                if hlen + 1 + clauses::chars(self.norm, &cl) > max || says_nothing(self.norm.get(cl.clone())) {
                    continue;
                }
                let sc = self.score(kind, self.norm.get(cl.clone()));
                if best.as_ref().is_none_or(|b| sc > b.score) {
                    best = Some(Cand { pieces: whole(cl.clone()), score: sc, pos: cl.start, uses: c.uses.clone() });
                }
            }
        }
        best
    }
}

/// The best clauses that fit `max` chars together (highest score first, then source order; after the first,
/// only clauses with a positive score), as indices in source order.
fn best_fitting(norm: &Norm, cls: &[(Pieces, i32)], max: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..cls.len()).collect();
    idx.sort_by(|&a, &b| cls[b].1.cmp(&cls[a].1).then(a.cmp(&b)));
    let mut pick: Vec<usize> = Vec::new();
    let mut len = 0;
    for i in idx {
        if pick.contains(&i) {
            continue;
        }
        let mut group = vec![i];
        // A clause that continues the one before it (`并…`, `且…`, `但…`), or that the one before it conditions,
        // comes with it or not at all.
        let tied_back = |g: usize| continues(norm, &cls[g].0) || states_condition(&cls[g - 1].0.text(norm));
        while let Some(&g) = group.last().filter(|&&g| g > 0 && !pick.contains(&(g - 1)) && tied_back(g)) {
            group.push(g - 1);
        }
        // A clause that states a condition (`凡符合…条件者`, `…超过3万元的`) comes with the clause it conditions.
        let mut last = i;
        while last + 1 < cls.len() && !pick.contains(&(last + 1)) && states_condition(&cls[last].0.text(norm)) {
            last += 1;
            group.push(last);
        }
        let l: usize =
            group.iter().map(|&g| cls[g].0.len_chars(norm) + 1).sum::<usize>() - usize::from(pick.is_empty());
        if len + l <= max && (pick.is_empty() || cls[i].1 > 0) {
            len += l;
            pick.extend(group);
        }
    }
    pick.sort_unstable();
    pick
}

/// The clauses `idx` (in source order) cut into runs of neighbours, each fitting `max` chars: a clause that
/// continues the one before it (`并…`) stays in its run, and is left out when the two do not fit together.
fn runs(norm: &Norm, cls: &[(Pieces, i32)], idx: &[usize], max: usize) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut cur: Vec<usize> = Vec::new();
    let mut len = 0;
    for &i in idx {
        let p = &cls[i].0;
        let l = p.len_chars(norm) + 1;
        if cur.last().is_some_and(|&c| c + 1 != i) {
            out.push(std::mem::take(&mut cur));
            len = 0;
        }
        let continuing = continues(norm, p);
        if cur.is_empty() && continuing {
            continue;
        }
        if len + l <= max + 1 {
            cur.push(i);
            len += l;
        } else if !continuing {
            out.push(std::mem::take(&mut cur));
            cur.push(i);
            len = l;
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Whether a clause states the condition of the clause after it: it ends in `的` or `者`.
pub(crate) fn states_condition(text: &str) -> bool {
    text.trim_end_matches(['，', '、']).ends_with(['的', '者'])
}

/// Whether clause pieces continue the clause before them ([`crate::faithful::continues_a_clause`]).
pub(crate) fn continues(norm: &Norm, p: &Pieces) -> bool {
    crate::faithful::continues_a_clause(&p.text(norm))
}

/// The text and spans of pieces, without a trailing separator.
pub fn pieces_bullet(norm: &Norm, p: &Pieces) -> (String, Vec<Span>) {
    let text = p.text(norm);
    let spans = p.parts.iter().filter(|(r, _)| r.start < r.end).map(|(r, _)| norm.span(r.clone())).collect();
    (text.trim_end_matches(['，', '：', '、']).to_string(), spans)
}

/// Whether two ranges share a byte.
pub fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_actions_outrank_boilerplate() {
        let fact = salience("对符合条件的老年人每人每月发放补贴100元");
        let talk = salience("深入贯彻落实党中央决策部署，进一步提高认识");
        assert!(fact > talk, "{fact} <= {talk}");
        assert!(kind_boost(SectionKind::Contact, "咨询电话：12345") > 0);
        assert_eq!(kind_boost(SectionKind::MainContent, "咨询电话：12345"), 0);
    }

    #[test]
    fn pieces_that_say_nothing_are_no_bullets() {
        for t in ["到2027年", "二、领取时限", "第三章申请条件", "（四）资金拨付", "符合申请条件的", "1人|单身|宿舍"]
        {
            assert!(says_nothing(t), "{t}");
        }
        for t in [
            "每人每月补贴100元",
            "1.受理和初审",
            "（一）补贴对象：本区户籍居民",
            "到2027年更新设备200套",
            "（三）提交材料弄虚作假的",
        ] {
            assert!(!says_nothing(t), "{t}");
        }
    }

    #[test]
    fn a_topic_alone_is_no_bullet() {
        for t in ["补贴条件", "1、报名方式", "申领条件", "（二）办理方式"] {
            assert!(says_nothing(t), "{t}");
        }
        for t in ["线上办理", "1.提交申请", "补贴对象为本县户籍居民", "现场申请，立等可取"]
        {
            assert!(!says_nothing(t), "{t}");
        }
        assert!(says_nothing("本次申请金额（大写）"));
        assert!(says_nothing("联系人：联系电话：填报日期"));
    }

    #[test]
    fn a_purpose_alone_is_no_bullet() {
        assert!(says_nothing("为进一步做好我区某项补贴发放工作"));
        assert!(says_nothing("为落实《关于某项工作的通知》（某发〔2014〕258号）精神"));
        // With what it leads to, or serving someone, it says something.
        assert!(!says_nothing("为进一步做好某项工作，每人每月补贴200元"));
        assert!(!says_nothing("为见习人员购买人身意外伤害保险"));
    }

    #[test]
    fn who_is_responsible_alone_is_no_bullet() {
        for t in
            ["（责任单位：县甲局、县乙局）", "（牵头单位：县丙局；责任单位：某园区）", "（甲部、乙部会同丙部负责）"]
        {
            assert!(says_nothing(t), "{t}");
        }
        // A bracketed note that states a rule or a figure says something.
        assert!(!says_nothing("（其中，某文件规定补贴0.25元/㎡/月）"));
        assert!(!says_nothing("（房屋拆除工作由村委会负责监管）"));
        assert!(!says_nothing("（甲局负责）乙局做好某项工作的宣传"));
    }

    #[test]
    fn a_sentence_starts_after_the_units_of_the_measure_before_it() {
        let n = Norm::new("（责任单位：县甲局（林业局）、县乙局）本措施自印发之日起施行");
        assert_eq!(n.get(without_lead_in(&n, 0..n.text.len())), "本措施自印发之日起施行");
        // An aside that says what the sentence is about stays.
        let n = Norm::new("（三）本措施自印发之日起施行");
        assert_eq!(n.get(without_lead_in(&n, 0..n.text.len())), "（三）本措施自印发之日起施行");
    }

    #[test]
    fn a_figure_alone_is_no_bullet() {
        for t in ["0.25元/千瓦时", "5000元。", "3万元（含）以上"] {
            assert!(says_nothing(t), "{t}");
        }
        assert!(!says_nothing("分布式光伏：0.25元/千瓦时"));
    }

    #[test]
    fn lead_ins_are_no_bullets() {
        for t in
            ["结合实际，现就有关事项通知如下", "住房租赁补贴标准见附件2，计算公式为", "按最低标准的1.6倍确定，其中"]
        {
            assert!(says_nothing(t), "{t}");
        }
        let norm = Norm::new("按最低标准的1.6倍确定，其中");
        assert_eq!(norm.get(without_lead_in(&norm, 0..norm.text.len())), "按最低标准的1.6倍确定");
        assert!(!says_nothing("严禁在招生工作中出现虚假宣传等违法违规行为"));
    }

    /// A question is no bullet; its answer is, without the mark that opens it.
    #[test]
    fn questions_are_no_bullets_and_answers_lose_their_mark() {
        for t in ["申请护理补贴需要具备哪些条件", "旧卡还能继续使用吗", "补贴的起算时间是什么", "问：在哪里办理？"]
        {
            assert!(says_nothing(t), "{t}");
        }
        assert!(!says_nothing("符合条件的申请人可在受理窗口办理"));
        assert!(!says_nothing("答：申请人可到街道便民服务中心办理"));
        let norm = Norm::new("答：申请人可到街道便民服务中心办理");
        assert_eq!(norm.get(without_lead_in(&norm, 0..norm.text.len())), "申请人可到街道便民服务中心办理");
    }

    /// A text cut inside a title, or ending in the document it goes by before what is done by it, is no bullet.
    #[test]
    fn torn_titles_and_bare_bases_are_no_bullets() {
        for t in ["企业与工会应根据行业协会共同提出《关于建立环卫", "区绿化市容局要根据《城镇环境卫生设施设置标准》"]
        {
            assert!(says_nothing(t), "{t}");
        }
        assert!(!says_nothing("按《城镇环境卫生设施设置标准》合理布点作息用房"));
    }

    #[test]
    fn blank_form_fields_are_no_bullets() {
        for t in [
            "种植面积亩，每亩补助100元，补助元",
            "合计补助金额为元",
            "负责人签字：（基地盖章）年月日审批意见",
            "申请单位（盖章）：",
        ] {
            assert!(says_nothing(t), "{t}");
        }
        for t in [
            "每亩补助100元，合计不超过5万元",
            "按1美元折算",
            "每个住宅单元，限报一名",
            "2024年5月8日前提交申请材料",
            "营业执照复印件一份（盖章）",
        ] {
            assert!(!says_nothing(t), "{t}");
        }
    }

    #[test]
    fn what_the_best_group_leaves_out_comes_in_runs_that_never_open_with_a_continuing_clause() {
        let text = "甲单位负责审核，乙单位负责复核，并报丙单位备案，丁单位负责公示，戊单位负责发放。";
        let norm = Norm::new(text);
        let cls: Vec<(Pieces, i32)> =
            clauses::clauses(&norm, 0..norm.text.len()).into_iter().map(|(c, _)| (whole(c), 0)).collect();
        let texts = |runs: Vec<Vec<usize>>| -> Vec<String> {
            runs.iter().map(|r| r.iter().map(|&i| cls[i].0.text(&norm)).collect::<Vec<_>>().join("|")).collect()
        };
        // Two clauses fit a run; the continuing clause stays with its predecessor or is left out.
        assert_eq!(
            texts(runs(&norm, &cls, &[0, 1, 2, 3, 4], 16)),
            ["甲单位负责审核|乙单位负责复核", "丁单位负责公示|戊单位负责发放。"]
        );
        // A run never opens with `并…` when its predecessor went elsewhere.
        assert_eq!(texts(runs(&norm, &cls, &[2, 3], 40)), ["丁单位负责公示"]);
    }

    #[test]
    fn a_condition_comes_with_the_clause_it_conditions() {
        let text = "凡符合认定条件者，凭本人身份证当场领取证书，另行通知的其他事项由窗口负责解释说明";
        let norm = Norm::new(text);
        let cls: Vec<(Pieces, i32)> = clauses::clauses(&norm, 0..norm.text.len())
            .into_iter()
            .zip([5, 0, 3])
            .map(|((c, _), sc)| (whole(c), sc))
            .collect();
        // The condition scores best; its consequence scores nothing on its own but comes with it.
        assert_eq!(best_fitting(&norm, &cls, 24), [0, 1]);
        // The consequence scoring best brings its condition.
        let cls: Vec<(Pieces, i32)> = cls.into_iter().zip([0, 5, 3]).map(|((p, _), sc)| (p, sc)).collect();
        assert_eq!(best_fitting(&norm, &cls, 24), [0, 1]);
        // A clause opening with 则 continues the one before it.
        assert!(crate::faithful::continues_a_clause("则应当按较高标准计租"));
    }

    #[test]
    fn long_sentences_give_clause_groups_that_fit() {
        let text = "一、补贴标准\n对符合条件的困难家庭，经审核认定后，按照每户每月300元的标准发放生活补贴，由街道统一组织，资金由区财政承担，按季度发放到户。";
        let norm = Norm::new(text);
        let lay = crate::outline::layout(&norm);
        let cfg = TextConfig { max_bullet_chars: 30, ..TextConfig::default() };
        let ctx = Ctx::new(&norm, &lay, &cfg);
        let cands = ctx.sentence_cands(&ctx.subtree_ranges(0), SectionKind::Standards);
        assert!(!cands.is_empty());
        for c in &cands {
            assert!(c.pieces.len_chars(&norm) <= 30, "{}", c.pieces.text(&norm));
        }
        let best = cands.iter().max_by_key(|c| c.score).expect("a candidate");
        assert!(best.pieces.text(&norm).contains("300元"), "{}", best.pieces.text(&norm));
    }

    #[test]
    fn an_article_shows_its_title_and_the_rule_it_states_first() {
        let text = "第二章 入市方式\n第五条（入市双方）\n集体土地入市的主体是地块的所有权人，由集体经济组织或其委托的法人组织作为出让人代理实施入市工作。\n自然人、法人和其他组织均可依照本办法受让土地使用权。";
        let norm = Norm::new(text);
        let lay = crate::outline::layout(&norm);
        let cfg = TextConfig::default();
        let ctx = Ctx::new(&norm, &lay, &cfg);
        let article = lay.nodes.iter().position(|n| n.marker_kind == MarkerKind::Article).expect("an article");
        let best = ctx.item_cand(article, SectionKind::MainContent).into_iter().max_by_key(|c| c.score).expect("cand");
        let t = best.pieces.text(&norm);
        assert!(t.starts_with("入市双方：集体土地入市的主体是地块的所有权人"), "{t}");
    }
}

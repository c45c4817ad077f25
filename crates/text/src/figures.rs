//! Headline figures (数字看板) with labels that say what their number is.
//!
//! A figure is a quantity of the content whose label names its subject and measure, taken from the clause it
//! sits in: the words before an amount or rate (`新能源乘用车每辆补贴` `4000元`), or the words after a count
//! (`50所` `高水平高等职业学校`). Linking words at the seam (为, 的, 按, 不超过 …) are trimmed, the label starts
//! at a word boundary (jieba), and it must pass [`crate::faithful::label_defects`]. A number whose label fails, or
//! that is torn out of a larger expression ([`crate::faithful::is_torn`]), is not a headline figure: its
//! sentence can still be a bullet or a table row. A label carried by different values is no figure at all, in the
//! 看板 or a section, because a tile cannot say which group each belongs to; the table of the 标准 section can.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use tujie_model::Figure;

use crate::clauses;
use crate::facts::{Facts, Quantity, QuantityKind};
use crate::faithful::{BOUNDS, CHANGED_FROM, CHANGED_TO, figure_defects, is_torn, label_defects};
use crate::normalize::Norm;

/// Words that link a label to its number and say nothing on their own; trimmed from the seam.
const SEAM: [&str; 27] = [
    "（",
    "占",
    "不超过",
    "不低于",
    "不少于",
    "不高于",
    "超过",
    "低于",
    "达到",
    "给予",
    "发放",
    "可获得",
    "可申领",
    "合计",
    "累计",
    "总计",
    "分别",
    "为",
    "的",
    "按",
    "至",
    "达",
    "是",
    "共",
    "约",
    "计",
    "可",
];

/// Units that count things, whose noun may follow them (`50所职业学校`).
const CLASSIFIERS: [&str; 24] = [
    "个", "所", "项", "家", "名", "人", "户", "套", "辆", "台", "件", "批", "条", "种", "类", "张", "份", "根", "座",
    "艘", "间", "栋", "株", "棵",
];
/// Words a label does not start with.
const LEAD: [&str; 16] =
    ["对", "将", "在", "从", "按", "以", "由", "于", "给", "向", "其", "并", "且", "和", "及", "与"];

/// Candidate figures with a score, in source order; only quantities with an honest label.
pub fn candidates(norm: &Norm, facts: &Facts, content: Range<usize>, max_label: usize) -> Vec<(Figure, i32)> {
    // Durations (`3个工作日`, `60周岁`) are conditions and deadlines: they belong to bullets and the timeline.
    let all = facts.amounts.iter().chain(&facts.percentages).chain(&facts.counts);
    let mut out: Vec<(Figure, i32)> = Vec::new();
    for q in all {
        if q.range.start < content.start || q.range.end > content.end || is_torn(&norm.text, q.range.clone()) {
            continue;
        }
        if in_condition(norm, q) || under_numbered_condition(norm, q) {
            continue;
        }
        let base = match q.kind {
            QuantityKind::Money => 8,
            QuantityKind::Percent => 6,
            // One of something (`1张`照片, `1个`自然年度, `1所`幼儿园) is a condition, not a figure to show large.
            QuantityKind::Count if norm.get(q.value_range.clone()) == "1" => continue,
            // A frequency (`可申领2次`, `服务次数不低于2万次`) says how often, like a duration: a bullet's, not a tile's.
            QuantityKind::Count if q.unit.ends_with('次') && !q.unit.ends_with("人次") => continue,
            QuantityKind::Count => 4,
            QuantityKind::Duration => continue,
        };
        if q.kind == QuantityKind::Money && bounded(norm, q) {
            continue;
        }
        let Some((label, label_ranges)) = label(norm, q, max_label) else { continue };
        let value = norm.get(q.value_range.clone()).to_string();
        if out.iter().any(|(f, _)| f.value == value && f.label == label) {
            continue;
        }
        // The rate after the amount is part of its unit (`0.25元/千瓦时`).
        let line_end = norm.text[q.range.end..].find('\n').map_or(norm.text.len(), |i| q.range.end + i);
        let end = q.range.end + crate::facts::rate_after(norm.get(q.range.end..line_end));
        // A count's or rate's bound is part of what it says (`32吨以上`, `95%以上`): a tile without it states a
        // threshold as the quantity. (Money after a bound is no figure at all: `bounded`.)
        let rest = norm.get(end..line_end);
        let bound = crate::facts::bound_after(rest);
        let end = end + if rest[..bound].contains('以') { bound } else { 0 };
        let unit = norm.get(q.value_range.end..end).to_string();
        if q.kind == QuantityKind::Money && !unit.contains('/') && !names_money(&label) {
            continue;
        }
        let figure = Figure {
            value,
            unit,
            label,
            spans: std::iter::once(q.range.start..end).chain(label_ranges).map(|r| norm.span(r)).collect(),
        };
        out.push((figure, base));
    }
    let ambiguous = ambiguous_labels(out.iter().map(|(f, _)| f));
    out.retain(|(f, _)| !ambiguous.contains(&f.label));
    out.sort_by_key(|(f, _)| f.spans.first().map_or(0, |s| s.start));
    out
}

/// Words that say what a sum of money is, anywhere in its label: what is given or paid (`补贴`, `奖励`, `券`), a
/// budget or income, a cap (`最高`), a per-unit (`每`), or a change (`增加`).
const MONEY_MEASURES: [&str; 53] = [
    "补贴", "补助", "奖励", "奖补", "资助", "标准", "资金", "预算", "收入", "工资", "利息", "贴息", "支出", "投入",
    "投资", "成本", "报销", "救助", "津贴", "补偿", "红包", "面值", "面额", "待遇", "支持", "扶持", "最高", "上限",
    "封顶", "GDP", "经费", "营业", "销售", "消费", "收益", "金额", "额度", "价格", "费用", "租金", "贷款", "券", "每",
    "增加", "提高", "减少", "降低", "增长", "总额", "余额", "均价", "单价", "价款",
];

/// Characters that name a sum of money at the end of a label (`安家费`, `保证金`, `总价`, `产值`), not inside one:
/// `公费师范毕业生` is no fee.
const MONEY_ENDS: [char; 8] = ['费', '金', '额', '价', '值', '税', '租', '款'];

/// Whether a label says what its sum of money is ([`MONEY_MEASURES`], [`MONEY_ENDS`]). A label of whose amount it
/// is alone (`技师学院毕业生` · 2万元, `其他院校全日制本科毕业生` · 2万元 beside its 0.5万元 安家费, `教育部直属师范大学公费
/// 师范毕业生` · 8万元, `取消经转诊到县外住院` · 1000元) does not: the amount may be a subsidy, a cap or a
/// threshold. An amount with a rate (`36元/桶`) says by its unit that it is a price. Seen in a county's talent
/// benefits (six tiles), a county's talent subsidies and a county's medical-aid rules.
fn names_money(label: &str) -> bool {
    MONEY_MEASURES.iter().any(|m| label.contains(m)) || label.ends_with(MONEY_ENDS)
}

/// Labels carried by different numbers (`港澳青年企业` over 10万元, 20万元 and 50万元): a tile cannot say which
/// group each belongs to, in the 看板 or in a section, so none of them is a figure; their sentences stay bullets
/// or table rows, which can.
fn ambiguous_labels<'a>(figs: impl Iterator<Item = &'a Figure>) -> std::collections::HashSet<String> {
    let mut first: std::collections::HashMap<&str, (&str, &str)> = std::collections::HashMap::new();
    let mut out = std::collections::HashSet::new();
    for f in figs {
        let seen = *first.entry(&f.label).or_insert((&f.value, &f.unit));
        if seen != (f.value.as_str(), f.unit.as_str()) {
            out.insert(f.label.clone());
        }
    }
    out
}

/// An amount of money after a comparison word is a limit or threshold, not the quantity the words before name
/// (`家庭年收入低于10万元` is no income of 10万元, `年纳税额不低于50万元` no tax paid), so it is no headline figure;
/// a table keeps the bound in the value's cell. Counts and rates keep theirs: `更新新能源公交车不低于70辆` is how
/// targets are written, and their tile reads as the target.
///
/// Whether the amount is a limit: a comparison word right before it (after the seam's linking words, unless the
/// label names the limit itself: `补贴最高不超过`), or a bound right after it (`10万元（含）以下`, `3000元以内`).
fn bounded(norm: &Norm, q: &Quantity) -> bool {
    let line_start = norm.text[..q.range.start].rfind('\n').map_or(0, |i| i + 1);
    let before = norm.get(line_start..q.range.start);
    let mut head = before;
    let mut bound = false;
    loop {
        if let Some(rest) = BOUNDS.iter().find_map(|b| head.strip_suffix(b)) {
            (bound, head) = (true, rest);
        } else if let Some(rest) = SEAM.iter().find_map(|w| head.strip_suffix(w)) {
            head = rest;
        } else {
            break;
        }
    }
    let names_limit = ["最高", "最低", "上限", "下限", "最多"].iter().any(|w| head.ends_with(w));
    let after = norm.text[q.range.end..].trim_start_matches("（含）");
    (bound && !names_limit) || AFTER_BOUNDS.iter().any(|w| after.starts_with(w))
}

/// Bounds written right after a number (`10万元（含）以下`, `60%以上`), longest first.
const AFTER_BOUNDS: [&str; 5] = ["及以上", "及以下", "以上", "以下", "以内"];

/// The best `max` figures, in source order, no label shown twice.
pub fn headline(cands: &[(Figure, i32)], max: usize) -> Vec<Figure> {
    let mut ranked: Vec<&(Figure, i32)> = cands.iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.spans[0].start.cmp(&b.0.spans[0].start)));
    let mut out: Vec<Figure> = Vec::new();
    for (f, _) in ranked {
        if out.len() < max && !out.iter().any(|o| o.label == f.label) {
            out.push(f.clone());
        }
    }
    out.sort_by_key(|f| f.spans[0].start);
    out
}

/// The label of a quantity and its range in the normalised text, or `None` when no honest one exists.
pub fn label(norm: &Norm, q: &Quantity, max: usize) -> Option<(String, Vec<Range<usize>>)> {
    let clause = clause_of(norm, &q.range)?;
    let before = clause.start..q.range.start;
    let special = changed_to(norm, before.clone(), max)
        .or_else(|| based_on(norm, before.clone(), max))
        .or_else(|| set_to(norm, before.clone(), max));
    if let Some(l) = special {
        return Some(l);
    }
    let after = q.range.end..clause.end;
    // What follows an amount or rate is rarely what it is; what follows a count of things often is (`50所`
    // `职业学校`), but not what follows a measure (`20平方米` `建筑面积的标准…`).
    let counts_things = q.kind == QuantityKind::Count && CLASSIFIERS.contains(&q.unit.trim_start_matches(['万', '亿']));
    // `20名以上人员…的机构`: a bounded count is a threshold inside a modifier, and the noun ending the modifier is
    // not what it counts.
    let bounded_after = AFTER_BOUNDS.iter().any(|w| norm.get(after.clone()).starts_with(w));
    let after = (counts_things && !bounded_after).then(|| trim_after(norm, after, max)).flatten();
    let after = after.filter(|r| !norm.get(r.clone()).contains(|c: char| c.is_ascii_digit()));
    let before = trim_before(norm, before, max).filter(|r| !awaits_counted_noun(q, norm.get(r.clone())));
    // A rate of a base (`按贷款实际利率的50%`) keeps the `的` that makes it a share.
    let before = before
        .map(|r| if q.unit == "%" && norm.get(r.end..q.range.start) == "的" { r.start..q.range.start } else { r });
    if let Some(l) = before.clone().and_then(|b| with_measure_after(norm, q, b, clause.end, max)) {
        return Some(l);
    }
    [after, before].into_iter().flatten().find_map(|r| {
        let t = norm.get(r.clone()).to_string();
        figure_defects(&t, &q.unit).is_empty().then_some((t, vec![r]))
    })
}

/// An amount followed by what it is (`给予10万元购房补贴`, `给予企业50万元奖励`, `2万元消费券`) whose words before name
/// who gets it but no measure (`D类人才县政府`): the label is both, `D类人才县政府` + `购房补贴`, each with its span.
fn with_measure_after(
    norm: &Norm,
    q: &Quantity,
    before: Range<usize>,
    clause_end: usize,
    max: usize,
) -> Option<(String, Vec<Range<usize>>)> {
    static MEASURE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^的?((?:一次性)?(?:购房|货币|生活|租房|租赁|住房|创业|就业|运营|建设)?(?:补贴|奖励|补助|奖补|消费券))",
        )
        .expect("measure-after regex")
    });
    if q.kind != QuantityKind::Money {
        return None;
    }
    let subject = norm.get(before.clone());
    let measured =
        ["补贴", "奖励", "补助", "奖补", "标准", "金额", "额度", "资金", "费"].iter().any(|w| subject.contains(w));
    // The words before must already be an honest label (`平方米以上（含本数）给予每套房屋` is torn from its number).
    if measured || !figure_defects(subject, &q.unit).is_empty() {
        return None;
    }
    let m = MEASURE.captures(norm.get(q.range.end..clause_end))?.get(1)?;
    let measure = q.range.end + m.start()..q.range.end + m.end();
    let label = format!("{}{}", subject, norm.get(measure.clone()));
    let fits = label.chars().count() <= max + 4;
    (fits && figure_defects(&label, &q.unit).is_empty()).then_some((label, vec![before, measure]))
}

/// The label of the new value of a change (`城市低保标准由每人每月380元提高到` before `460元`): the subject before
/// `由` followed by the `每…` unit of the old value (`城市低保标准每人每月`), each with its span. The words right
/// before the number name the old value and the verb, not what the number is.
fn changed_to(norm: &Norm, before: Range<usize>, max: usize) -> Option<(String, Vec<Range<usize>>)> {
    static CHANGE: LazyLock<Regex> = LazyLock::new(|| {
        let pattern = format!(
            r"^(?P<subject>.{{2,40}}?){CHANGED_FROM}(?P<per>每[^\d，]{{1,5}})?[^，；]*\d[^，；]*{CHANGED_TO}(?:每[^\d，]{{1,5}})?$"
        );
        Regex::new(&pattern).expect("change regex")
    });
    subject_and_unit(norm, &before, &CHANGE.captures(norm.get(before.clone()))?, max)
}

/// A label of the `subject` of `captures` (trimmed to `max` chars) followed by its `per` unit (`每人每月`), each
/// with its span, when the subject passes [`label_defects`].
fn subject_and_unit(
    norm: &Norm,
    before: &Range<usize>,
    c: &regex::Captures<'_>,
    max: usize,
) -> Option<(String, Vec<Range<usize>>)> {
    let subject = c.name("subject")?;
    let subject = trim_before(norm, before.start + subject.start()..before.start + subject.end(), max)?;
    let mut label = norm.get(subject.clone()).to_string();
    let mut ranges = vec![subject];
    if let Some(per) = c.name("per") {
        label.push_str(per.as_str());
        ranges.push(before.start + per.start()..before.start + per.end());
    }
    label_defects(norm.get(ranges[0].clone())).is_empty().then_some((label, ranges))
}

/// The label of a value something is set to (`首套房首付比例降低至` before `20%`, `贷款最高额度提高至` before `80万元`,
/// `基础水价调整为` before `2.6元/吨`): what is set, without the verb, which would read as a change by the value
/// (`首付比例降低 20%`). An old value written with `由` is [`changed_to`]'s; a `由` without one (`由超水平奖励标准
/// 调整至`) names what it was, and the label ends before it. (Five fixture documents: two 公积金 loan limits, a 首付
/// ratio notice, the 平潭 water prices, a 临港 solar reward.)
fn set_to(norm: &Norm, before: Range<usize>, max: usize) -> Option<(String, Vec<Range<usize>>)> {
    static SET: LazyLock<Regex> = LazyLock::new(|| {
        let pattern =
            format!(r"^(?P<subject>.{{2,40}}?)(?:{CHANGED_FROM}[^，；\d]*)?{CHANGED_TO}(?P<per>每[^\d，]{{1,5}})?$");
        Regex::new(&pattern).expect("set-to regex")
    });
    subject_and_unit(norm, &before, &SET.captures(norm.get(before.clone()))?, max)
}

/// The label of a rise over a base (`绿化养护行业月最低工资标准在上海市最低工资标准的基础上增加约` before `30%`): the
/// subject before `在` and the verb after `基础上` (`绿化养护行业月最低工资标准增加`), each with its span. The words
/// right before the number name the base, not what rises (five fixture documents write rises so: wage guidance,
/// 大病保险 rates, 村级集体经济 growth, a housing quota).
fn based_on(norm: &Norm, before: Range<usize>, max: usize) -> Option<(String, Vec<Range<usize>>)> {
    static BASED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?P<subject>.{2,40}?)在[^，；]{1,30}的基础上(?P<verb>再?(?:增加|增长|提高|上浮|下浮|降低|减少))约?$",
        )
        .expect("based-on regex")
    });
    let t = norm.get(before.clone());
    let c = BASED.captures(t)?;
    let (subject, verb) = (c.name("subject")?, c.name("verb")?);
    let subject = trim_before(norm, before.start + subject.start()..before.start + subject.end(), max)?;
    let verb = before.start + verb.start()..before.start + verb.end();
    let label = format!("{}{}", norm.get(subject.clone()), norm.get(verb.clone()));
    label_defects(&label).is_empty().then_some((label, vec![subject, verb]))
}

/// Classifiers that say nothing of what they count: `35个` is 35 of whatever noun follows.
const GENERIC_CLASSIFIERS: [&str; 8] = ["个", "项", "件", "批", "条", "种", "类", "份"];

/// Whether the words before a count end in its verb (`公办初中新增`, `授权管辖`, `每家单位限报`) while its
/// classifier is generic: what is counted is the noun after the number, which such a label leaves out.
fn awaits_counted_noun(q: &Quantity, before: &str) -> bool {
    let generic =
        q.kind == QuantityKind::Count && GENERIC_CLASSIFIERS.contains(&q.unit.trim_start_matches(['万', '亿']));
    generic && tujie_zh::words::tagged(before).last().is_some_and(|(_, tag)| tag.starts_with('v') && *tag != "vn")
}

/// Whether a quantity states a condition, not what the policy gives or aims at, so its number is a threshold:
/// its clause ends in `的` (`年营业额超过100万元的，`), or it is bounded ([`bounded`]) and the bound qualifies a
/// noun (`留用率达到60%以上（含60%）的单位`) or opens a condition closed by `的` later in the sentence
/// (`每年接收就业见习人员超过50人（含50人），…留用率达到60%以上（含60%）的，可申请…`). A target's bound (`覆盖率达到
/// 95%以上。`) closes no condition. The sentence, with what follows the condition, stays a bullet or a table row.
fn in_condition(norm: &Norm, q: &Quantity) -> bool {
    // `超过50人（含50人）`: the bracket restates the bound.
    if norm.text[..q.range.start].ends_with("（含") {
        return true;
    }
    let Some(c) = clause_of(norm, &q.range) else { return false };
    if norm.get(q.range.end..c.end).trim_end_matches(['，', '；', '、']).ends_with('的') {
        return true;
    }
    if !bounded(norm, q) {
        return false;
    }
    let after = BRACKETED_INCLUSION.replace(&norm.text[q.range.end..], "");
    let w = AFTER_BOUNDS.into_iter().find(|w| after.starts_with(w)).unwrap_or("");
    let after_bound = BRACKETED_INCLUSION.replace(&after[w.len()..], "");
    let sentence_end = norm.text[c.end..].find(['。', '\n']).map_or(norm.text.len(), |i| c.end + i);
    let rest = norm.get(c.end..sentence_end);
    after_bound.starts_with('的') || ["的，", "的；", "以上的", "以下的", "）的"].iter().any(|w| rest.contains(w))
}

/// Whether the quantity is what one tier gets: an earlier clause of its sentence is a condition with a number of
/// its own (`选择100元缴费档次标准的，政府补贴30元`, `购买90平方米以下的，每套补贴6000元`). A tile would show the
/// amount without the tier it belongs to; the sentence stays a bullet or a table row, which keep it.
fn under_numbered_condition(norm: &Norm, q: &Quantity) -> bool {
    let Some(line) = norm.line_of(&q.range) else { return false };
    let Some(s) = clauses::sentences(norm, line).into_iter().find(|s| s.start <= q.range.start && q.range.end <= s.end)
    else {
        return false;
    };
    clauses::clauses(norm, s).into_iter().map(|c| c.0).take_while(|c| c.end <= q.range.start).any(|c| {
        let t = norm.get(c).trim_end_matches(['，', '；', '、', '：']);
        t.ends_with('的') && t.contains(|ch: char| ch.is_ascii_digit())
    })
}

/// `（含60%）`, `（含本数）` right after a bound.
static BRACKETED_INCLUSION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^（含[^）]{0,12}）").expect("inclusion regex"));

/// A unit of measure written right after a number.
static QUANTITY_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:平方米|平方千米|㎡|万元|亿元|元|%|亩|人次|人|户|套|个|周岁|岁|吨|千瓦时|千瓦|张|辆|台|家|项|名|小时|分钟)")
        .expect("quantity unit regex")
});

fn clause_of(norm: &Norm, r: &Range<usize>) -> Option<Range<usize>> {
    let line = norm.line_of(r)?;
    clauses::sentences(norm, line)
        .into_iter()
        .flat_map(|s| clauses::clauses(norm, s))
        .map(|c| c.0)
        .find(|c| c.start <= r.start && r.end <= c.end)
}

/// The words before a number: seam words trimmed off the end, at most `max` chars ending there, starting at a
/// word boundary and not with a function word.
pub(crate) fn trim_before(norm: &Norm, r: Range<usize>, max: usize) -> Option<Range<usize>> {
    let end = r.start + trim_seam(norm.get(r.clone())).len();
    let t = norm.get(r.start..end);
    let starts = word_starts(t);
    let n = t.chars().count();
    let min_start = t.char_indices().nth(n.saturating_sub(max)).map_or(0, |(i, _)| i);
    let mut start = *starts.iter().find(|&&s| s >= min_start)?;
    // Never inside a number (`80012.64平潭…`, cells of a flattened table run together, cut after `80012`): the
    // label starts after it.
    let in_number = |c: char| c.is_ascii_digit() || c == '.';
    if t[..start].ends_with(in_number) {
        start += t[start..].find(|c: char| !in_number(c)).unwrap_or(t.len() - start);
        // Nor inside a date (`2023年` of `2023年绿化养护行业…标准`): `年` there is no `annual`.
        if let Some(unit) = t[start..].chars().next().filter(|c| "年月日".contains(*c)) {
            start += unit.len_utf8();
        }
        // A label opening with the unit of the number before it (`平方米（含90平方米）以上每套消费券`, cut from `建筑面积
        // 90平方米…`) has lost what that quantity measures: there is none.
        if QUANTITY_UNIT.is_match(&t[start..]) {
            return None;
        }
    }
    // Cut short inside a modifier (`…服务模式运营的长者饭堂每人每次`): the modifier's tail is a fragment, so
    // the label starts after its `的`.
    if min_start > 0 && t[start..].contains('的') {
        start += after_modifier(&t[start..]);
    }
    // A leading function word goes when it is a word of its own (`对` in `对新能源车`, not `以` of `以下`), and a
    // conjunction not when a one-character noun follows it: the dictionary lacks the word they make (`并网规模` is
    // cut `并`/`网`/`规模`, and `网规模` names nothing; `由`/`市财政` is a preposition and a noun).
    let tags = tujie_zh::words::tagged(t);
    let own_word = |at: usize, w: &str| {
        let conjunction = tags.iter().any(|(r, tag)| r.start == at && *tag == "c");
        let next = tags.iter().find(|(r, _)| r.start == at + w.len());
        next.is_some_and(|(r, tag)| !conjunction || t[r.clone()].chars().count() > 1 || *tag != "n")
    };
    while let Some(w) = LEAD.iter().find(|w| t[start..].starts_with(**w) && own_word(start, w)) {
        start += w.len();
    }
    // A list marker left at the start (`1.`, `（一）`) is not part of a label; a numeral inside a word
    // (`二手车`, `一次性`) is.
    if let Some((_, len)) = crate::outline::marker_of(&t[start..]) {
        start += len;
    }
    (t[start..].chars().count() >= 2).then(|| r.start + start..end)
}

/// `t` without the linking words at its end (`标准为` gives `标准`, `最高不超过` gives `最高`).
pub fn trim_seam(t: &str) -> &str {
    let mut t = t;
    while let Some(rest) = SEAM.iter().find_map(|w| t.strip_suffix(w)) {
        t = rest;
    }
    t
}

/// The words after a count, up to the first comma-like mark, at most `max` chars ending at a word boundary.
fn trim_after(norm: &Norm, r: Range<usize>, max: usize) -> Option<Range<usize>> {
    let t = norm.get(r.clone());
    let stop = t.find(['，', '、', '（', '；', '：']).unwrap_or(t.len());
    // `23个县直单位和1个街道`, `50所高水平高等职业学校和150个骨干专业`: a second count joined by `和`/`及` ends the
    // first one's noun (four fixture documents: a State Council plan, a county bulletin, statistical bulletins).
    let stop = t[..stop]
        .match_indices(['和', '及'])
        .find(|(i, w)| t[i + w.len()..].starts_with(|c: char| c.is_ascii_digit()))
        .map_or(stop, |(i, _)| i);
    // The counted noun ends where a preposition opens the predicate (`2名工作人员对申请单位…进行评估`).
    let stop =
        tujie_zh::words::tagged(&t[..stop]).iter().skip(1).find(|(_, tag)| *tag == "p").map_or(stop, |(w, _)| w.start);
    let t = &t[..stop];
    // Too long to show whole: the noun the words name ends the phrase, so a modifier ending in `的` goes first
    // (`具有辐射引领作用的高水平…实训基地` gives `高水平…实训基地`, not a cut before the noun).
    // Nouns without a verb right after the classifier are what is counted, and a `的` after them opens what they
    // have (`9家合作银行的相关网站`): the label ends there. A modifier with a verb (`具有辐射引领作用的…基地`) is
    // dropped instead, below.
    let verbless = |p: &str| tujie_zh::words::tagged(p).iter().all(|(_, tag)| !tag.starts_with('v') || *tag == "vn");
    let t = match t.find('的').filter(|&i| i > 0 && verbless(&t[..i])) {
        Some(i) => &t[..i],
        None => t,
    };
    let from = if t.chars().count() > max { after_modifier(t) } else { 0 };
    let t = &t[from..];
    let limit = t.char_indices().nth(max).map_or(t.len(), |(i, _)| i);
    let end = std::iter::once(t.len()).chain(word_starts(t).into_iter().rev()).find(|&e| e <= limit && e > 0)?;
    // A verb after the noun opens what is done with the things counted (`2个岗位纳入监测范围`, `12类家电产品给予
    // 补贴`): the words are a clause, not the name of what is counted.
    let words = tujie_zh::words::tagged(&t[..end]);
    let predicate = words.iter().skip(1).any(|(w, tag)| *tag == "v" && PREDICATE_VERBS.contains(&&t[w.clone()]));
    (t[..end].chars().count() >= 2 && !predicate).then(|| r.start + from..r.start + from + end)
}

/// Verbs that open a predicate after the things a count counts (`纳入`, `给予`, `开展`, `成为`: four fixture
/// documents), unlike the verbs inside a compound noun (`培养培训基地`, `产教融合`).
const PREDICATE_VERBS: [&str; 12] =
    ["纳入", "给予", "予以", "开展", "成为", "进行", "实行", "享受", "获得", "达到", "实现", "完成"];

/// The byte offset just after the last `的` of `t` that leaves at least two characters, else 0.
fn after_modifier(t: &str) -> usize {
    t.rmatch_indices('的').map(|(i, _)| i + '的'.len_utf8()).find(|&i| t[i..].chars().count() >= 2).unwrap_or(0)
}

/// Byte offsets where a word of `t` starts, including 0.
fn word_starts(t: &str) -> Vec<usize> {
    tujie_zh::words::words(t).into_iter().map(|w| w.start).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str) -> Vec<(String, String)> {
        let n = Norm::new(text);
        let f = crate::facts::collect(&n, &n.lines());
        candidates(&n, &f, 0..n.text.len(), 16).into_iter().map(|(f, _)| (f.value + &f.unit, f.label)).collect()
    }

    /// A rise over a base is labelled by what rises, not by the base.
    #[test]
    fn a_rise_over_a_base_names_what_rises() {
        let l = labels("养护工人月工资标准在本区最低工资标准的基础上增加约20%。");
        assert_eq!(l, [("20%".to_string(), "养护工人月工资标准增加".to_string())]);
        assert!(!crate::faithful::label_defects("基础上增加").is_empty());
        assert!(!crate::faithful::label_defects("最低工资标准的基础上再增加").is_empty());
    }

    /// A sum of money labelled only by whose it is is no figure; one that says what it is, or a price by its rate,
    /// is.
    #[test]
    fn money_is_labelled_by_what_it_is() {
        assert!(labels("全日制硕士研究生2万元。").is_empty());
        // `费` inside a word (`公费`) names no fee.
        assert!(labels("公费师范毕业生8万元。").is_empty());
        let l = labels("全日制硕士研究生安家费2万元。");
        assert_eq!(l[0].1, "全日制硕士研究生安家费");
        let l = labels("生活垃圾（干垃圾）36元/桶。");
        assert_eq!(l[0].0, "36元/桶");
    }

    /// What a count counts is a noun phrase: a predicate after it (`纳入监测范围`) is no label.
    #[test]
    fn a_count_is_labelled_by_what_it_counts_not_what_is_done_with_it() {
        assert!(labels("应将本单位收入最低的2个岗位纳入监测范围。").is_empty());
        let l = labels("建设300个高水平专业化产教融合实训基地。");
        assert_eq!(l[0].1, "高水平专业化产教融合实训基地");
        let l = labels("全年信息涉及全县23个县直单位和1个街道。");
        assert_eq!(l[0], ("23个".to_string(), "县直单位".to_string()));
    }

    /// An amount followed by what it is takes that into its label when the words before name no measure.
    #[test]
    fn a_measure_after_the_amount_joins_a_label_without_one() {
        let l = labels("每项专利5万元奖励。");
        assert_eq!(l, [("5万元".to_string(), "每项专利奖励".to_string())]);
        // A label that names its measure keeps its own words.
        let l = labels("补贴标准为每人每月500元生活补贴。");
        assert_eq!(l[0].1, "补贴标准为每人每月");
    }

    /// A label never starts inside a number (cells of a flattened table run together: `80012.64平潭…`).
    #[test]
    fn a_label_never_starts_inside_a_number() {
        let n = Norm::new("金额万元80012.64平潭限上纳统餐饮商户");
        let r = trim_before(&n, 0..n.text.len(), 12).expect("a label");
        assert_eq!(n.get(r), "平潭限上纳统餐饮商户");
        // Nor with the unit of the number before it: what the quantity measures is cut off.
        let n = Norm::new("建筑面积90平方米（含90平方米）以上每套消费券");
        assert!(trim_before(&n, 0..n.text.len(), 18).is_none());
    }

    /// A value something is set to is labelled by what is set: `降低 20%` would read as a cut by 20%.
    #[test]
    fn a_value_set_to_names_what_is_set_not_the_change() {
        let l = labels("首套房首付比例降低至20%。");
        assert_eq!(l, [("20%".to_string(), "首套房首付比例".to_string())]);
        let l = labels("城市低保标准提高到每人每月460元。");
        assert_eq!(l, [("460元".to_string(), "城市低保标准每人每月".to_string())]);
        // A change by an amount keeps its verb.
        let l = labels("报销比例提高5个百分点。");
        assert_eq!(l[0].1, "报销比例提高");
    }

    /// A conjunction before a one-character noun is no word of its own: the label keeps the word they make.
    #[test]
    fn a_label_never_starts_inside_a_word() {
        let n = Norm::new("并网容量");
        let r = trim_before(&n, 0..n.text.len(), 12).expect("a label");
        assert_eq!(n.get(r), "并网容量");
        let n = Norm::new("由市财政补贴");
        let r = trim_before(&n, 0..n.text.len(), 12).expect("a label");
        assert_eq!(n.get(r), "市财政补贴");
    }

    /// A limit is no headline figure: the label would name the quantity the number only bounds.
    #[test]
    fn limits_are_not_figures() {
        for text in [
            "申请人家庭年收入低于10万元（含）。",
            "3口及以下家庭年收入10万元（含）以下。",
            "年纳税额不低于50万元的企业。",
            "工作单位上年度纳税额100万元以上。",
        ] {
            assert!(labels(text).is_empty(), "{text}: {:?}", labels(text));
        }
        assert_eq!(labels("每户补贴最高不超过5000元。").len(), 1);
        assert_eq!(labels("到2027年，签约服务覆盖率达到80%。").len(), 1);
        assert_eq!(labels("更新新能源公交车不低于70辆。").len(), 1);
    }

    #[test]
    fn labels_name_subject_and_measure() {
        let l = labels("其中，新能源乘用车每辆补贴4000元，燃油乘用车每辆补贴3000元。");
        assert_eq!(
            l,
            [("4000元".into(), "新能源乘用车每辆补贴".into()), ("3000元".into(), "燃油乘用车每辆补贴".into())]
        );
    }

    #[test]
    fn seam_words_are_trimmed() {
        let l = labels("政府补贴标准为每人每年30元。");
        assert_eq!(l[0].1, "政府补贴标准为每人每年");
    }

    /// A label cut short inside a modifier starts after the modifier's `的`; a count's noun keeps its head noun.
    #[test]
    fn cut_modifiers_are_dropped() {
        let l = labels("以中央厨房加社区集中配送服务模式运营的长者饭堂每人每次3元。");
        assert_eq!(l[0].1, "长者饭堂每人每次");
        let l = labels("打造300个具有辐射引领作用的高水平专业化产教融合实训基地。");
        assert_eq!(l[0].1, "高水平专业化产教融合实训基地");
    }

    #[test]
    fn fragments_are_not_figures() {
        assert!(labels("按照不少于30%的比例。").is_empty(), "{:?}", labels("按照不少于30%的比例。"));
        assert!(labels("上世纪90年代以来。").is_empty());
        assert!(labels("第2批名单。").is_empty());
    }

    /// Thresholds of a condition are no figures (就业见习, 港澳青年, 养老服务 and 经济平稳 fixtures); targets with a
    /// bound and what a condition gets are.
    #[test]
    fn thresholds_of_a_condition_are_no_figures() {
        let conditions = [
            "对年营业额超过100万元的企业，给予奖励。",
            "每年接收人员超过50人（含50人），期满留用率达到60%以上（含60%）的，可申请认定。",
            "青年创业团队是指青年人数比例达30%以上的团队。",
        ];
        for t in conditions {
            assert!(labels(t).is_empty(), "{t}: {:?}", labels(t));
        }
        // A target keeps its bound: the tile reads `75%以上`, not a coverage of 75%.
        assert_eq!(labels("到2025年，签约服务覆盖率达到75%以上。")[0].0, "75%以上");
        assert_eq!(labels("第3级月用水量32吨以上（不含32吨），价格为7.8元/吨。")[0].0, "32吨以上（不含32吨）");
        // What the tier gets is no headline either: `每人补贴 200元` would drop its condition.
        assert!(labels("留用率达到60%以上的，每人补贴200元。").is_empty());
        assert!(labels("选择100元缴费档次标准的，政府补贴30元。").is_empty());
        assert_eq!(labels("符合条件的，每人补贴200元。")[0].0, "200元", "a condition without a number is no tier");
    }

    /// `由X提高到Y` (低保 and 学校 fixtures, and three notices found with the code search): the old value is no
    /// figure, the new one is labelled with the subject and the `每…` unit.
    #[test]
    fn a_change_shows_its_new_value_under_its_subject() {
        let got = labels("经研究，将本区城市低保标准由每人每月380元提高到460元。");
        assert_eq!(got, [("460元".to_string(), "本区城市低保标准每人每月".to_string())]);
        let got = labels("高龄津贴由原每人每月300元提高到每人每月800元。");
        assert_eq!(got, [("800元".to_string(), "高龄津贴每人每月".to_string())]);
    }

    /// `按X的N%` (seven fixture documents): the tile reads `X的N%`, never `X N%`; a noun right after a count ends
    /// its label at the `的` that opens what the noun has.
    #[test]
    fn a_share_keeps_its_base_and_a_count_its_own_noun() {
        let got = labels("财政按贷款实际利率的50%给予贴息。");
        assert!(got.len() == 1 && got[0].1.ends_with("贷款实际利率的"), "{got:?}");
        let got = labels("可登录9家合作银行的相关网站查询。");
        assert_eq!(got, [("9家".to_string(), "合作银行".to_string())]);
    }

    #[test]
    fn a_generic_count_after_its_verb_is_no_figure() {
        assert!(labels("本区公办初中今年新增35个。").is_empty(), "{:?}", labels("本区公办初中今年新增35个。"));
        assert_eq!(labels("公办学校志愿最多14个。"), [("14个".to_string(), "公办学校志愿最多".to_string())]);
        assert_eq!(labels("每户可申请1套。建成公租房1000套。"), [("1000套".to_string(), "建成公租房".to_string())]);
    }

    #[test]
    fn labels_keep_their_words_whole() {
        let l = labels("二手车交易量较2023年增长45%。");
        assert_eq!(l[0].1, "二手车交易量较2023年增长");
        let l = labels("（一）更新新能源公交车不低于70辆。");
        assert_eq!(l[0].1, "更新新能源公交车");
    }

    #[test]
    fn labels_on_different_values_are_no_figures() {
        let n = Norm::new(
            "（一）省级认定。对科技型中小企业给予20万元一次性奖励支持。（二）国家级认定。对科技型中小企业给予50万元一次性奖励支持。新能源乘用车每辆补贴4000元。",
        );
        let f = crate::facts::collect(&n, &n.lines());
        let c = candidates(&n, &f, 0..n.text.len(), 16);
        let labels: Vec<&str> = c.iter().map(|(f, _)| f.label.as_str()).collect();
        assert_eq!(labels, ["新能源乘用车每辆补贴"], "{c:?}");
    }
}

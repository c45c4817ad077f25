//! The faithfulness check on text: which numbers, amounts, percentages, years and 文号 of a piece of draft text
//! do not occur in the source text.
//!
//! The generated content is faithful by construction (`compose` only joins slices of the source); this check is
//! for text that people typed: the review workspace refuses an edit that brings in a figure the policy does not
//! state, and `tests/fixtures.rs` applies the same token rule to generated drafts.
//!
//! Both sides are compared folded ([`crate::normalize::fold_for_compare`]: half-width digits, no spaces), so `１５%`
//! in the source supports `15%` in the draft. Chinese numerals with a unit (`五千元`, `百分之五十`, `三年`,
//! `二〇三〇年`) are tokens too and must occur in the source as written.
//!
//! Digits are not the whole of faithfulness: a figure can carry a source number under a label that says
//! something else. [`label_defects`] names what is wrong with a figure label (a clause fragment, a place instead
//! of a measure), and [`is_torn`] says whether a number was cut out of a larger expression (`90年代`, `第2批`,
//! one end of a range). Drafts are built through them, and the workspace applies them to edited labels.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::normalize::{fold_for_compare, is_wide};

/// Numbers (with decimals, dotted sequences such as `1.9.1`, ranges and per cent), four-digit years in Chinese
/// numerals, and 文号.
static NUMBERISH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"[0-9]+(?:\.[0-9]+)*(?:[—\-~～至到][0-9]+(?:\.[0-9]+)*)?[%‰]?|[〇零一二三四五六七八九]{{4}}年|{}|百分之[零一二两三四五六七八九十百]+|[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*(?:万元|亿元|元|个月|年|天|周岁|岁|倍|个工作日)",
        tujie_zh::doc_number::pattern()
    ))
    .expect("valid regex")
});

/// The number-like tokens of `text` after folding, in order; a 文号 in its standard spelling.
pub fn numberish_tokens(text: &str) -> Vec<String> {
    NUMBERISH
        .captures_iter(&fold_for_compare(text))
        .map(|c| tujie_zh::doc_number::DocNumber::from_captures(&c).map_or_else(|| c[0].to_owned(), |d| d.canonical()))
        .collect()
}

/// What makes a draft unfaithful to its source text, in words, one entry per defect; empty for a faithful draft:
/// a number, amount, year or 文号 of any text after the title and subtitle that the source does not support, a span
/// of a figure, bullet, step, date or table cell outside the source or off its character boundaries, a figure
/// without a value, a table row wider or narrower than its header. The `fact_extraction` fuzz target and the
/// test that replays its corpus (`tests/fuzz_corpus.rs`) hold every draft to it.
pub fn draft_defects(source: &str, c: &tujie_model::InfographicContent) -> Vec<String> {
    let mut out = Vec::new();
    // The title and subtitle come from metadata (the event or the text's header); everything else from the body.
    for t in c.texts().into_iter().skip(2) {
        let invented = unsupported_tokens(t, source);
        if !invented.is_empty() {
            out.push(format!("{invented:?} in `{t}` is not in the source"));
        }
    }
    let mut spans = |what: &str, text: &str, spans: &[tujie_model::Span]| {
        for s in spans.iter().filter(|s| s.start > s.end || s.slice(source).is_none()) {
            out.push(format!("{what} `{text}`: span {s:?} is not in the source"));
        }
    };
    for f in c.figures.iter().chain(c.sections.iter().flat_map(|s| &s.figures)) {
        spans("figure", &f.value, &f.spans);
    }
    for s in &c.sections {
        s.bullets.iter().for_each(|b| spans("bullet", &b.text, &b.spans));
        s.steps.iter().for_each(|b| spans("step", &b.text, &b.spans));
        s.dates.iter().for_each(|d| spans("date", &d.date, &d.spans));
        for cell in s.tables.iter().flat_map(|t| t.header.iter().chain(t.rows.iter().flatten())) {
            spans("cell", &cell.text, &cell.spans);
        }
    }
    let figures = c.figures.iter().chain(c.sections.iter().flat_map(|s| &s.figures));
    out.extend(figures.filter(|f| f.value.trim().is_empty()).map(|f| format!("figure with an empty value: {f:?}")));
    let tables = c.sections.iter().flat_map(|s| &s.tables);
    out.extend(
        tables
            .filter(|t| t.rows.iter().any(|r| r.len() != t.header.len()))
            .map(|t| format!("table `{}`: a row's width differs from its header's", t.caption)),
    );
    out
}

/// The tokens of [`numberish_tokens`] that `source` does not support, each once, in order of appearance.
///
/// A number must occur in the source as a whole number: `360` is not supported by `3600`, nor `1.5` by `21.5`.
/// A 文号 is supported when the source has it with at least its last two characters before `〔`, because the
/// token's Han prefix also takes up words that precede it in a sentence (`依据某政办发〔2023〕5号`).
///
/// Folding drops whitespace, which runs two numbers together (`2022-11-16 11:05:47` reads `2022-11-1611:05:47`),
/// so a number the source sets apart from the next by whitespace is also looked for with that boundary kept.
/// Control characters other than whitespace are dropped from the source first, as the normalised text the
/// content is cut from drops them (`059\u{11}-2316` reads `059-2316` there).
pub fn unsupported_tokens(text: &str, source: &str) -> Vec<String> {
    let stray = |c: char| c.is_control() && !c.is_whitespace();
    let source: std::borrow::Cow<str> =
        if source.contains(stray) { source.replace(stray, "").into() } else { source.into() };
    let source = source.as_ref();
    let canonical = |s: &str| tujie_zh::doc_number::canonicalize(s);
    let joined = canonical(&fold_for_compare(source));
    let mut apart: Option<String> = None;
    let mut out: Vec<String> = Vec::new();
    for token in numberish_tokens(text) {
        if is_supported(&token, &joined) || out.contains(&token) {
            continue;
        }
        let apart = apart.get_or_insert_with(|| canonical(&fold_keeping_number_breaks(source)));
        if !is_supported(&token, apart) {
            out.push(token);
        }
    }
    out
}

/// [`fold_for_compare`], except that whitespace between two digits becomes one space instead of nothing.
fn fold_keeping_number_breaks(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for piece in source.split_whitespace() {
        let piece = fold_for_compare(piece);
        if out.ends_with(|c: char| c.is_ascii_digit()) && piece.starts_with(|c: char| c.is_ascii_digit()) {
            out.push(' ');
        }
        out.push_str(&piece);
    }
    out
}

fn is_supported(token: &str, source: &str) -> bool {
    if let Some(bracket) = token.find('〔') {
        let prefix: Vec<(usize, char)> = token[..bracket].char_indices().collect();
        // Every suffix of the token that keeps at least two characters before `〔`, or the whole token when it has
        // fewer (`云〔2023〕67号`, found by the fact_extraction fuzz target).
        if prefix.len() < 2 {
            return source.contains(token);
        }
        return prefix.iter().take(prefix.len() - 1).any(|&(at, _)| source.contains(&token[at..]));
    }
    let starts_with_digit = token.starts_with(|c: char| c.is_ascii_digit());
    let ends_with_digit = token.ends_with(|c: char| c.is_ascii_digit());
    source.match_indices(token).any(|(at, _)| {
        let before = source[..at].chars().next_back();
        let mut after = source[at + token.len()..].chars();
        let next = after.next();
        // A year after a list marker (`2.2023年9月7日到…`, items of four fixture documents) is no decimal's tail.
        let year = token.len() == 4 && next == Some('年');
        let digit_before = starts_with_digit && before.is_some_and(|c| c.is_ascii_digit() || (c == '.' && !year));
        let digit_after = ends_with_digit
            && next
                .is_some_and(|c| c.is_ascii_digit() || (c == '.' && after.next().is_some_and(|d| d.is_ascii_digit())));
        !digit_before && !digit_after
    })
}

/// Words that cannot start a label (jieba words): function words and the tails of a cut expression.
const LEAD_WORDS: &[&str] = &[
    "的",
    "和",
    "及",
    "与",
    "或",
    "并",
    "且",
    "对",
    "将",
    "在",
    "从",
    "按",
    "以",
    "为",
    "由",
    "于",
    "给",
    "向",
    "把",
    "被",
    "其",
    "之",
    "等",
    "照",
    "内",
    "经过",
    "以上",
    "以下",
    "以内",
    "个",
    "周岁",
    "岁",
    "元",
    "万元",
    "个月",
    "月",
    "日",
    "%",
    "至",
    "到",
    "予",
    "分别",
    "另外",
    "再",
    "可",
    "应",
    "均",
    "已",
    "不得",
    "次性",
    "年",
    "前",
    "后",
    "按照",
    "依照",
    "根据",
    "给予",
    "左右",
    "其中",
    "但是",
    "但",
    "户",
    "能够",
    "可以",
    "按规定",
    "按要求",
    "较",
    "比",
    "亿元",
    // `直至小学一年级`, `需在岚工作并缴纳社保`: a preposition and a modal verb open the second half of a clause.
    "直至",
    "需",
];
/// Verbs of purpose or inclusion that open a clause, not a name (`确保完成…削减`, `围绕…下降`, `包括…`, `加上…`):
/// seen opening labels in saved Beijing and central pages. Matched as a prefix (jieba joins `确保完成`).
const LEAD_VERBS: [&str; 5] = ["确保", "围绕", "加上", "包括", "用于"];
/// Words that cannot end a label: prepositions, particles and verbs still waiting for their object.
const TAIL_WORDS: &[&str] = &[
    // `单月零售额增量每` (`每达到1000万元`): `每` waits for what it distributes over.
    "每",
    "于",
    "对",
    "向",
    "按",
    "照",
    "以",
    "为",
    "在",
    "从",
    "由",
    "把",
    "被",
    "给",
    "将",
    "和",
    "及",
    "与",
    "或",
    "的",
    "不少于",
    "不超过",
    "不低于",
    "超过",
    "低于",
    "达到",
    "达",
    "至",
    "到",
    "给予",
    "经过",
    "完成",
    "按照",
    "满",
    "不足",
    "高于",
    "少于",
    "不满",
    "应当",
    "应",
    "须",
    "必须",
    "需",
    "可以",
    "不得",
    // Light and auxiliary verbs that still wait for what they do (`…试件进行`, `…估价师有`, `该数据变`,
    // `…经费并确保`, `…需要`), and comparisons (`每户名下超出`): seen in saved Beijing and Shanghai pages.
    "需要",
    "有",
    "是",
    "变",
    "变为",
    "进行",
    "开展",
    "确保",
    "执行",
    "达不到",
    "超出",
    "处",
    "了",
    "前",
    // Verbs whose object is the number's own noun, written after it (`…医疗机构预留` over a share of 号源, `…分行设立`
    // over 800亿元 of 专项额度): seen in two plan and measure documents of the fixtures, instances of the rule above.
    "预留",
    "设立",
];

/// An amount, rate or count inside a label (`达到企业现有在职职工人数25%` over `100人`, `新增35个班` over `1750个`).
/// A year as labels write it (`2035年`, `2025年底`).
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:19|20)\d{2}年(?:底|末|前)?").expect("year regex"));

/// What a label that says `给予` must name after it: the thing given.
const GIVEN_MEASURES: [&str; 9] = ["补贴", "补助", "奖励", "奖补", "资助", "支持", "优惠", "津贴", "救助"];

/// A label that opens with a group counted by a measure word: `3-5级`, `3口`, `60周岁`, `二星级` is not digits.
static COUNTED_GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\d+(?:[-—~～至]\d+)?(?:级|口|人|户|岁|周岁|星|档|类|年|个|项|次|名|孩)").expect("counted group regex")
});

static OTHER_AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d[\d.]*\s*(?:%|‰|万?元|个|所|名|人|户|家|班|项|套|辆|张|件|间|座)").expect("amount regex")
});

/// Comparison words that make the number after them a limit or threshold (`低于10万元`, `不超过240元/人`): figures
/// and tables keep them with the number, and inside a label they are a defect. (`达到` states a target itself,
/// `覆盖率达到80%`, so it is a bound only inside a label: see [`label_defects`].)
pub(crate) const BOUNDS: [&str; 13] = [
    "不超过",
    "不低于",
    "不少于",
    "不高于",
    "不多于",
    "不大于",
    "不小于",
    "超过",
    "低于",
    "高于",
    "少于",
    "大于",
    "小于",
];

/// What is wrong with the label of a figure whose value is in `unit`: [`label_defects`], except that a rate (a unit
/// of `%`, possibly with its bound: `%以内`) may be
/// labelled with its base and `的` (`补贴标准为产品销售价格的` over `15%`, read `…销售价格的15%`), the way `按…的50%`
/// is written in seven fixture documents; without the `的` the tile would state the base itself as 50%. The
/// label must then also name what the share is (`补贴标准为…`, `救助总支出应控制在…`): a base alone (`起始价的`,
/// `计税额度的`, `研发实际发生额的` over 20%: 24 fixture tiles) says of what, not what, and reads as a fragment.
pub fn figure_defects(label: &str, unit: &str) -> Vec<&'static str> {
    match label.trim().strip_suffix('的').filter(|_| unit.starts_with('%')) {
        Some(base) => {
            let mut out = label_defects(base);
            let named = SHARE_LINKS.iter().any(|w| base.find(w).is_some_and(|i| i > 0 && names_a_thing(&base[..i])));
            if !named {
                out.push("标签只说了比例的基数，没说比例是什么");
            }
            out
        }
        None => label_defects(label),
    }
}

/// Words that link what a share is to its base (`补贴标准为…的`, `租金可按…的`, `总支出应控制在…的`).
const SHARE_LINKS: [&str; 6] = ["为", "按", "控制在", "占", "不超过", "不低于"];

/// What is wrong with a figure label, in words an editor reads; empty when the label says what its number is.
/// A tile shows its label alone, so beyond [`heading_defects`] it must not carry another number or a comparison.
pub fn label_defects(label: &str) -> Vec<&'static str> {
    let t = label.trim();
    let mut out = heading_defects(t);
    if OTHER_AMOUNT.is_match(t) {
        out.push("标签里还有别的数字，说不清数字是哪一个");
    }
    // `种植5亩以上大豆种植户给予每亩` over 200元, `额外再给予产品最终销售价格` over 5%: what is given follows the
    // number (`补助`, `的优惠`), so the label does not say what the number is.
    if let Some((_, given)) = t.split_once("给予")
        && !GIVEN_MEASURES.iter().any(|m| given.contains(m))
    {
        out.push("标签在“给予”后没说给的是什么");
    }
    // `基础上增加` over 30%, `最低工资标准的基础上再增加` over 5%: cut from `在…的基础上`, the label names the base,
    // not what rises.
    if t.starts_with("基础上") || t.find("的基础上").is_some_and(|i| !t[..i].contains('在')) {
        out.push("标签从“在…的基础上”中间截断，没说是什么在增加");
    }
    // `补贴分别下降` over 0.05元, `权重比分别为居委` over 40%: the number is one of several, each of its own group,
    // and the label does not say which.
    if t.contains("分别") {
        out.push("标签说“分别”，数字是几项中的一项，没说是哪一项");
    }
    // `力争2035年` over 95%: a year and a verb name no thing.
    let without_years = YEAR.replace_all(t, "");
    if without_years.len() < t.len()
        && (without_years.chars().filter(|c| is_wide(*c)).count() < 3 || !names_a_thing(&without_years))
    {
        out.push("标签只有年份和动词，说不出数字是什么");
    }
    // `每家` over 5万元, `每个最高补助` over 6万元, `每亩补助` over 200元, `每年安排最高` over 100万元: a unit and a
    // measure name no subject (每个 what?); the clause before, or the table, says whose number it is.
    let units =
        if t.starts_with('每') { per_unit_only(t, true) } else { t.contains('每') && per_unit_only(t, false) };
    if (t.starts_with('每') && t.chars().count() <= 3) || units {
        out.push("标签只有计量单位，说不出数字是什么");
    }
    // `5培训场地`, `7参与培训的专职教师`: a list number that lost its `.` or `、` (`5培训场地不少于500平方米`). A
    // group counted by a measure word (`3-5级补贴标准`, `3口及以下家庭`) is a label's subject, not a remnant.
    if t.starts_with(|c: char| c.is_ascii_digit()) && !COUNTED_GROUP.is_match(t) {
        out.push("标签以数字开头，是编号或别的数字的残片");
    }
    // Comparisons inside a label (`人员提供不低于本市最低工资标准` over `80%`): the number is measured against what
    // follows them, which the tile cannot say.
    let inside = |w: &str| t.find(w).is_some_and(|i| i > 0 && i + w.len() < t.len());
    if BOUNDS.iter().chain(&["达到"]).any(|w| inside(w)) {
        out.push("标签里含比较，说不清数字是什么的比例或数量");
    }
    if ends_in_an_act(t) {
        out.push("标签以一个动作结尾，数字不是这个动作的量");
    }
    out
}

/// Words tagged as verbs that say what a number is when they end a label: a change of the subject (`报销比例提高`
/// 5个百分点, `贫困发生率下降` 4.3个百分点), what is paid (`省财政再增加` 20元, `每辆补贴` 4000元), and nouns the
/// segmenter's dictionary tags as verbs (`续约率`, `补贴上限`, `月收入`).
const MEASURING_VERBS: [&str; 25] = [
    "提高", "提升", "降低", "下降", "增长", "增加", "上升", "减少", "上涨", "延长", "缩短", "扩大", "补贴", "补助",
    "奖励", "资助", "缴纳", "支出", "扣", "费", "率", "上限", "下限", "收入", "限额",
];

/// Whether a label ends in an act that is not what its number measures: who approves or applies (`经县旅游产业发展
/// 领导小组审核` over 5000元, `…服务中心申请` over 3万元), who answers (`乡镇负责` over 4个), what is done first
/// (`先行拨付` over 50%), a threshold's act (`组团购买` over 10套): the number is the act's object, told by the
/// words the tile leaves out. Seen on nine headline tiles of eight fixture documents.
fn ends_in_an_act(t: &str) -> bool {
    let tags = tujie_zh::words::tagged(t);
    tags.last().is_some_and(|(r, tag)| *tag == "v" && !MEASURING_VERBS.contains(&&t[r.clone()]))
}

/// Units a `每` counts by that name no subject of their own (`每个`, `每年`, `每亩`); not a recipient (`每户补贴`,
/// `每人`) or a thing (`每张床位`).
const BARE_UNITS: [&str; 15] =
    ["年度", "个", "年", "月", "日", "天", "次", "亩", "项", "批", "季度", "平方米", "建筑面积", "使用面积", "面积"];
/// Words that say how a number is bounded or given, beside [`GIVEN_MEASURES`]: with them alone a label says not of what.
const HOW_GIVEN: [&str; 9] = ["最高", "最低", "最多", "安排", "给予", "发放", "可获", "标准", "为"];

/// Whether a label is only `每`-units and units (`每平方米建筑面积每月` over 8元 of a 临时安置费, `建筑面积每平方米`
/// over 350元 of a 停产停业损失补偿: two 征收 documents), or, with `measures`, units and measure words too (`每个最高
/// 补助`, `每年安排最高`). `补贴标准为建筑面积每平方米` names its measure and is no such label.
fn per_unit_only(label: &str, measures: bool) -> bool {
    let mut t = label;
    let words: Vec<&str> = if measures {
        BARE_UNITS.iter().chain(&GIVEN_MEASURES).chain(&HOW_GIVEN).copied().collect()
    } else {
        BARE_UNITS.to_vec()
    };
    while !t.is_empty() {
        let word = words.iter().find_map(|w| t.strip_prefix(w));
        match per_unit(t).or(word) {
            Some(rest) => t = rest,
            None => return false,
        }
    }
    true
}

/// `t` after a leading `每` and one of [`BARE_UNITS`].
fn per_unit(t: &str) -> Option<&str> {
    t.strip_prefix('每').and_then(|r| BARE_UNITS.iter().find_map(|u| r.strip_prefix(u)))
}

/// What is wrong with a text that names what numbers are, as a figure label or a table's column heading: a
/// fragment ([`fragment_defects`]), a single word or no noun, a piece of a list, a clause boundary inside, or only
/// a place.
pub fn heading_defects(label: &str) -> Vec<&'static str> {
    let t = label.trim();
    let tags = tujie_zh::words::tagged(t);
    let mut out = fragment_defects_of(t, &tags);
    if t.chars().count() < 2 {
        return out;
    }
    let cjk_words = tags.iter().filter(|(r, _)| t[r.clone()].chars().any(is_wide)).count();
    if cjk_words < 2 && !t.contains('每') {
        out.push("标签只有一个词，说不出数字是什么");
    } else if !names_a_thing_of(t, &tags) {
        out.push("标签没有名词，说不出数字是什么");
    }
    if t.contains('、') {
        out.push("标签是列举的片段，说不出数字属于哪一项");
    }
    if t.contains(['，', '；', '|']) {
        out.push("标签跨了分句或表格的格子，是拼起来的片段");
    }
    if ["区域内", "范围内", "境内", "行政区域"].iter().any(|p| t.ends_with(p)) {
        out.push("标签只说地点，没说数字是什么");
    }
    out
}

/// What makes a piece of text a fragment torn out of a sentence: a function word or a cut expression at its
/// start, a preposition, particle or verb awaiting its object at its end, or an unmatched bracket. Table cells
/// that name a group or a condition (`一等奖`, `招用3人以下`) are checked by this; figure labels by
/// [`label_defects`], which also wants them to name a thing.
pub fn fragment_defects(text: &str) -> Vec<&'static str> {
    let t = text.trim();
    fragment_defects_of(t, &tujie_zh::words::tagged(t))
}

/// [`fragment_defects`] of a trimmed text whose words and tags are known (one segmentation serves every check).
/// The defect of a text opening with a function word or a continuing verb.
pub const OPENS_WITH_FUNCTION_WORD: &str = "标签以虚词或残句开头";

fn fragment_defects_of(t: &str, tags: &[(Range<usize>, &'static str)]) -> Vec<&'static str> {
    if t.chars().count() < 2 {
        return vec!["标签过短，说不出数字是什么"];
    }
    let mut out = Vec::new();
    let word = |i: usize| &t[tags[i].0.clone()];
    let first_tag = tags.first().map(|(_, tag)| *tag);
    let lead_verb = LEAD_VERBS.iter().any(|w| t.starts_with(w));
    // `年营业收入`, `年出口额`, `年用电量`: `年` before a noun is `annual` (tier conditions of 宜春, 万载, 修水 and
    // 天河 open so), not what is left of `3年` (`年以上劳动合同的`, `年工作经历`).
    let annual = tags.len() > 1 && word(0) == "年" && tags[1].1.starts_with('n');
    let lead_word = !tags.is_empty() && LEAD_WORDS.contains(&word(0)) && !annual;
    if lead_word || matches!(first_tag, Some("p" | "c")) || lead_verb {
        out.push(OPENS_WITH_FUNCTION_WORD);
    }
    let last_is_tail = !tags.is_empty() && TAIL_WORDS.contains(&word(tags.len() - 1));
    if last_is_tail || t.ends_with(['，', '、', '：']) || ends_in_bare_verb(tags) {
        out.push("标签以介词、助词或待接宾语的动词结尾");
    }
    let depth = t.chars().try_fold(0i32, |d, c| match c {
        '（' | '(' | '《' | '“' | '[' | '【' => Some(d + 1),
        '）' | ')' | '》' | '”' | ']' | '】' => (d > 0).then(|| d - 1),
        _ => Some(d),
    });
    if depth != Some(0) {
        out.push("标签的括号不成对，是从句子中截断的");
    }
    // `（商品房买卖合同所载商品房价款）的` over 1%: an aside first means the words it qualifies were cut off.
    if t.starts_with(['（', '(']) {
        out.push("标签以括号开头，说明的对象被截掉");
    }
    out
}

/// Words that open a clause continuing the one before it (`并向…提交`, `且…满1年的`, `或…`, `但…`).
const CONTINUING: [&str; 8] = ["并", "且", "或者", "或", "但", "以及", "而", "则"];

/// Whether a text opens with a word that continues the clause before it: cut from that clause, it is torn out
/// of its sentence (a bullet may open so only where its sentence does).
pub fn continues_a_clause(text: &str) -> bool {
    CONTINUING.iter().any(|w| text.trim_start().starts_with(w))
}

/// Whether a text ends in a preposition and its verb or adverb (`…企业对购置`, `…学校由原来`), or in an adverb
/// (`…原则上`): what they qualify follows, so the text is the front half of a clause.
fn ends_in_bare_verb(tags: &[(Range<usize>, &'static str)]) -> bool {
    let tags: Vec<&str> = tags.iter().map(|(_, tag)| *tag).collect();
    matches!(tags.as_slice(), [.., "p", "v" | "d"] | [.., "d"])
}

/// Whether a label names a thing: a noun that is not only a place, a verbal noun (补贴, 缴费), or a `每…` unit.
pub fn names_a_thing(t: &str) -> bool {
    names_a_thing_of(t, &tujie_zh::words::tagged(t))
}

fn names_a_thing_of(t: &str, tags: &[(Range<usize>, &'static str)]) -> bool {
    tags.iter().any(|(r, tag)| {
        let w = &t[r.clone()];
        (tag.starts_with('n') && *tag != "ns") || *tag == "vn" || w.starts_with('每')
    })
}

/// Whether the quantity at byte range `r` of `text` is part of a larger expression, so showing it alone would
/// change its meaning: a decade (`90年代`), an ordinal (`第2批`), one end of a range (`3-5年`), a number inside a
/// 文号 or a dotted number, the old value of a change (`由380元提高到460元`).
/// A bracket right after an amount that says the bound is included: `（含）`, `（含30万元）`, `(含本数)`.
static INCLUDED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[（(]含[^）)]{0,10}[）)]").expect("included regex"));

pub fn is_torn(text: &str, r: std::ops::Range<usize>) -> bool {
    let head = &text[..r.start];
    let before = head.chars().next_back();
    // `4. 5%`: a space left inside a number by the page.
    let spaced = before == Some(' ') && head.trim_end().ends_with(|c: char| c.is_ascii_digit() || c == '.');
    // `50万元（含）-100万元`: the bracket that says the bound is included still leaves one end of a range.
    // So does one that restates the bound (`30万元（含30万元）至40万元`).
    let rest = &text[r.end..];
    let rest = INCLUDED.find(rest).map_or(rest, |m| &rest[m.end()..]);
    let mut after = rest.chars();
    let next = after.next();
    let next2 = after.next();
    let ordinal = before == Some('第') || text[..r.start].ends_with("上世纪");
    // `…/常住人口数×100%`: a factor of a formula.
    let joined = before.is_some_and(|c| c.is_ascii_digit() || ".-—~～〔×*".contains(c));
    // `30万元（含30万元）至40万元`: the upper end of a band (not the new value of a change, `提高至460元`).
    let upper_end = head.strip_suffix('至').is_some_and(|h| {
        let h = h.strip_suffix('）').and_then(|h| h.rfind('（').map(|i| &h[..i])).unwrap_or(h);
        h.ends_with(|c: char| c.is_ascii_digit() || "元%".contains(c))
    });
    let tail = next.is_some_and(|c| "代号期届批".contains(c))
        || (next.is_some_and(|c| "-—~～至到".contains(c)) && next2.is_some_and(|c| c.is_ascii_digit()));
    // One of a series (`按20%、30%、50%比例`, `分别为2413元、2512元和2121元`): each means something only beside
    // the others, as a table row does.
    let in_series_after = next.is_some_and(|c| "、和及".contains(c)) && next2.is_some_and(|c| c.is_ascii_digit());
    let in_series_before = before.is_some_and(|c| "、和及".contains(c))
        && head[..head.len() - before.map_or(0, char::len_utf8)]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit() || "元%".contains(c));
    // `1.3人户家庭` at the start of a line is the list marker `1.` before `3人户家庭`: whole things have no tenths.
    let q = &text[r.clone()];
    let at_line_start = head.is_empty() || head.ends_with('\n');
    let marker_joined = at_line_start
        && q.split_once('.').is_some_and(|(a, b)| {
            !a.is_empty() && a.chars().all(|c| c.is_ascii_digit()) && b.starts_with(|c: char| c.is_ascii_digit())
        })
        && q.ends_with(['人', '户', '个', '家', '所', '套', '辆', '名', '项', '件', '张']);
    // `每增加1人`, `每满2年`: the number is the step of a rate, not an amount of its own.
    let rate_step = ["每", "每增加", "每提高", "每满", "每超过"].iter().any(|w| head.ends_with(w));
    ordinal
        || joined
        || upper_end
        || tail
        || spaced
        || in_series_after
        || in_series_before
        || marker_joined
        || rate_step
        || { changed_from(head, rest) }
}

/// The words that take a standard from its old value to its new one (`提高到`, `调整为`, `增至`), as a regex.
pub(crate) const CHANGED_TO: &str = "(?:提高|增加|调整|上调|提升|降低|下调|减少|增|降|提)(?:到|至|为)";
/// The words that open a change before its old value (`由`, `从原来的`), as a regex.
pub(crate) const CHANGED_FROM: &str = "(?:由|从)(?:原来的|原)?";

/// Whether a number is where a change starts (`由每人每月380元提高到460元`, `由原来的5所增至7所`, `由100万元提高
/// 到500万元`): shown alone it states the old standard as the policy's. Seen in two fixture documents and in a
/// 赣府发 notice, a State Council measure and a county 高龄津贴 notice found with the code search.
fn changed_from(head: &str, rest: &str) -> bool {
    static CHANGE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(&format!(r"^(?:/\S{{1,4}})?的?{CHANGED_TO}")).expect("change regex"));
    let clause_start = head
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, '，' | '。' | '；' | '\n'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let clause = &head[clause_start..];
    (clause.contains('由') || clause.contains('从')) && CHANGE.is_match(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the fact_extraction fuzz target: a date cut from `2022-11-16 11:05:47` was reported as invented,
    /// because folding away the space made the source read `…1611:05:47`.
    #[test]
    fn numbers_set_apart_by_whitespace_are_supported() {
        let source = "<meta name=\"PubDate\" content=\"2022-11-16 11:05:47\"/>";
        assert!(unsupported_tokens("发布时间：2022-11-16", source).is_empty());
        assert!(unsupported_tokens("11:05", source).is_empty());
        // A number broken across lines still matches joined, and a part of a number is still not supported.
        assert!(unsupported_tokens("2025年", "自20\n25年起").is_empty());
        assert_eq!(unsupported_tokens("161", source), ["161"]);
        assert_eq!(unsupported_tokens("6", source), ["6"]);
    }

    /// Found by the fact_extraction fuzz target: the normalised text drops a stray control character, so a draft
    /// shows `059-23167168` where the source has `059\u{11}-23167168`; that is the source's number.
    #[test]
    fn control_characters_in_the_source_are_ignored() {
        let source = "传 真：059\u{11}-23167168来电时间";
        assert!(unsupported_tokens("传真：059-23167168", source).is_empty());
        assert_eq!(unsupported_tokens("传真：059-2316", source), ["059-2316"]);
    }

    /// A label of units alone says per what, not what: `每平方米建筑面积每月` over 8元.
    #[test]
    fn units_alone_name_nothing() {
        for bad in ["每平方米建筑面积每月", "建筑面积每平方米", "每个最高补助"] {
            assert!(!label_defects(bad).is_empty(), "{bad}");
        }
        for good in ["补贴标准为建筑面积每平方米", "临时安置补助费每平方米建筑面积每月", "每户补贴"]
        {
            assert!(label_defects(good).is_empty(), "{good}: {:?}", label_defects(good));
        }
    }

    /// A share is labelled with what it is and its base (`补贴标准为…价格的` over 15%), never with its base alone.
    #[test]
    fn a_share_names_what_it_is() {
        assert!(figure_defects("补贴标准为产品最终销售价格的", "%").is_empty());
        assert!(figure_defects("救助总支出应控制在当年筹资总额的", "%").is_empty());
        for base in ["起始价的", "计税额度的", "当年度实际销售回款额的"] {
            assert!(!figure_defects(base, "%").is_empty(), "{base}");
        }
    }

    #[test]
    fn fragment_labels_are_named() {
        for bad in [
            "按规定足额提取教育培训经费并确保",
            "制作灌浆套筒连接接头试件进行",
            "目前上海注册房产估价师有",
            "每户名下超出",
            "较安永华明审计后的净资产",
            "亿元出资分别由上海城建发展公司",
            "绿城玫瑰园[最新消息价格户型点评",
            "对考核优秀的单位中排名前",
            "确保完成主要污染物排放总量削减",
            "住房套数达到项目开发建设总套数",
            "包括资助贫困生负担每年",
            "照不少于",
            "内完成",
            "以上劳动合同的",
            "经过",
            "申请最高不超过",
            "福建省行政区域内",
            "个人缴纳（",
            "（买卖合同所载价款）的",
            "经县产业发展领导小组审核",
            "乡镇负责",
            "组团购买",
            "缴费年限满",
            "活动由汽车销售企业对购置",
            "非营运乘用汽车，每辆单价",
            "按照事业单位",
            "达到企业现有在职职工人数25%",
            "左右技术技能人才紧缺领域",
            "入户调查人员应当",
            "临时救助金额累计最高不得",
            "全区电脑派位学校由原来",
            "天河区公办初中新增35个班",
            "人员提供不低于本市最低工资标准",
            "5培训场地",
            "7参与培训的专职教师",
            "用于对套种或全种",
            "种植5亩以上大豆种植户给予每亩",
            "额外再给予产品最终销售价格",
            "每家",
            "每个最高补助",
            "每年安排最高",
            "每亩补助",
            "医联体内二级及以上医疗机构预留",
            "直至小学一年级",
            "需在岚工作并缴纳社保",
            "力争2035年",
            "年工作经历",
            "年即可",
            "单月零售额增量每",
        ] {
            assert!(!label_defects(bad).is_empty(), "{bad} passed");
        }
        for good in [
            "年营业收入",
            "年出口额",
            "新能源乘用车每辆补贴",
            "政府补贴标准",
            "个人缴费（每人每年）",
            "高水平高等职业学校",
            "3-5级补贴标准",
            "每张床位补助标准",
            "每家企业年度最高",
            "每户补贴最高",
            "报销比例提高",
            "重点人群续约率",
            "一个资助年度内的补贴上限",
        ] {
            assert!(label_defects(good).is_empty(), "{good}: {:?}", label_defects(good));
        }
    }

    #[test]
    fn torn_numbers() {
        let t = "上世纪90年代，第2批，3-5年，补贴100元";
        let at = |s: &str| t.find(s).map(|i| i..i + s.len()).unwrap();
        assert!(is_torn(t, at("90年")));
        assert!(is_torn(t, at("2批")));
        assert!(is_torn(t, at("3")));
        assert!(!is_torn(t, at("100元")));
        let t = "按20%、30%和50%的比例拨付，每人100元";
        let at = |s: &str| t.find(s).map(|i| i..i + s.len()).unwrap();
        assert!(is_torn(t, at("20%")) && is_torn(t, at("30%")) && is_torn(t, at("50%")));
        assert!(!is_torn(t, at("100元")));
        let t = "1.3人户家庭；\n人均1.5平方米";
        let at = |s: &str| t.find(s).map(|i| i..i + s.len()).unwrap();
        assert!(is_torn(t, at("1.3人")));
        assert!(!is_torn(t, at("1.5平方米")));
        let t = "招用4人以上的每增加1人，补贴3000元";
        let at = |s: &str| t.find(s).map(|i| i..i + s.len()).unwrap();
        assert!(is_torn(t, at("1人")));
        assert!(!is_torn(t, at("3000元")));
        let t = "投入50万元（含）-100万元的，补助5万元";
        assert!(is_torn(t, t.find("50万元").map(|i| i..i + "50万元".len()).unwrap()));
        let t = "签约率=签约居民人数/常住人口数×100%";
        assert!(is_torn(t, t.find("100%").map(|i| i..t.len()).unwrap()));
        // Both ends of a band are its bounds; the new value of a change is no end.
        let t = "房款30万元（含30万元）至40万元，发放1000元；标准由380元提高至460元";
        let at = |s: &str| t.find(s).map(|i| i..i + s.len()).unwrap();
        assert!(is_torn(t, at("30万元")) && is_torn(t, at("40万元")));
        assert!(!is_torn(t, at("1000元")) && !is_torn(t, at("460元")));
    }

    #[test]
    fn chinese_numerals_are_checked() {
        let source = "补贴标准为每人五千元，期限三年，达到百分之五十。";
        assert!(unsupported_tokens("每人五千元，三年", source).is_empty());
        assert_eq!(unsupported_tokens("每人六千元", source), ["六千元"]);
        assert_eq!(unsupported_tokens("百分之六十", source), ["百分之六十"]);
        assert!(unsupported_tokens("进一步统一标准，一次性", source).is_empty());
    }

    #[test]
    fn numbers_must_occur_whole() {
        let source = "每孩每年补贴３６００元，补贴比例为15%，自2025年1月1日起施行。";
        assert!(unsupported_tokens("每年3600元", source).is_empty());
        assert!(unsupported_tokens("补贴15%", source).is_empty(), "full-width digits in the source fold");
        assert_eq!(unsupported_tokens("每年360元", source), ["360"]);
        assert_eq!(unsupported_tokens("每年36000元，共36000元", source), ["36000"]);
        assert_eq!(unsupported_tokens("补贴20%", source), ["20%"]);
        assert!(unsupported_tokens("2025年1月1日起", source).is_empty());
        // A range of dotted dates is one token (`2023.6-2023.7`, a plan's schedule).
        assert!(unsupported_tokens("2023.6-2023.7制定方案", "时间2023.6-2023.7制定方案").is_empty());
        // A year right after a list marker is whole; a decimal's digits are not.
        assert!(unsupported_tokens("2023年9月7日", "2.2023年9月7日到2024年9月1日期间").is_empty());
        assert_eq!(unsupported_tokens("2023元", "2.2023元"), ["2023"]);
    }

    /// Found by the fact_extraction fuzz target: `jquery-1.9.1.min.js` shown in a draft read as `1.9` and `1`, and
    /// `1.9` is not a whole number of the source's `1.9.1`.
    #[test]
    fn a_dotted_sequence_is_one_token() {
        let source = "<script src=\"/js/jquery-1.9.1.min.js\"></script>";
        assert!(unsupported_tokens("jquery-1.9.1.min.js", source).is_empty());
        assert_eq!(unsupported_tokens("1.9", source), ["1.9"]);
        assert_eq!(unsupported_tokens("1.9.2", source), ["1.9.2"]);
    }

    #[test]
    fn a_doc_number_with_a_short_prefix_is_found_whole() {
        let source = "完成不少于30云〔2023〕67号发文机关";
        assert!(unsupported_tokens("完成不少于30云〔2023〕67号", source).is_empty());
        assert_eq!(unsupported_tokens("云〔2023〕68号", source), ["云〔2023〕68号"]);
    }

    #[test]
    fn decimals_are_not_supported_by_a_longer_number() {
        assert_eq!(unsupported_tokens("1.5倍", "提高到21.5倍"), ["1.5"]);
        assert!(unsupported_tokens("21.5倍", "提高到21.5倍").is_empty());
    }

    #[test]
    fn doc_numbers_tolerate_words_before_them_but_not_another_number() {
        let source = "按照《某县实施方案》（某政办发〔2023〕5号）执行。";
        assert!(unsupported_tokens("依据某政办发〔2023〕5号", source).is_empty());
        assert_eq!(unsupported_tokens("某政办发〔2023〕6号", source), ["某政办发〔2023〕6号"]);
        assert_eq!(unsupported_tokens("某政办发〔2024〕5号", source), ["某政办发〔2024〕5号"]);
    }

    #[test]
    fn chinese_years_are_checked() {
        assert_eq!(unsupported_tokens("二〇二六年", "二〇二五年起"), ["二〇二六年"]);
        assert!(unsupported_tokens("二〇二五年", "二〇二五年起").is_empty());
    }
}

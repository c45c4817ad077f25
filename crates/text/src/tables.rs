//! Tables (表格) for tiered and per-group standards: one row per condition or group, one column for what it gets.
//!
//! Policies state tiers and groups as parallel clauses: `新能源乘用车每辆补贴4000元，燃油乘用车每辆补贴3000元`,
//! `招用3人以下的，按每人2000元；招用4人以上的…`, or as consecutive list items each ending in an amount. A run of at
//! least two such units (clauses of one sentence, or consecutive sentences) is a table when the units share what
//! they measure: the words right before the amount (`每辆补贴`) or the unit of the amount. The shared words become
//! the header of the value column; what differs (the group or the band, with its conditions and brackets) is the
//! first column. Every cell is a slice of the source with its span, so a tier never loses its condition.
//!
//! Rows may also open with their group as a label (`一等奖：给予…0.5万元/半年的奖励。`, `1、分布式光伏：0.25元/千瓦时。`):
//! consecutive labelled sentences each stating an amount are a table headed by the measure they share, the one
//! written after the amount, or the line that introduces them (`labelled`).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use tujie_model::{Cell, InfographicContent, SectionKind, Span, Table};

use crate::clauses;
use crate::facts::{Facts, Quantity, QuantityKind};
use crate::faithful::{fragment_defects, heading_defects, names_a_thing};
use crate::normalize::Norm;

mod bracketed;
mod cell_lines;
mod graded;
mod vouchers;

/// Most rows of a table; longer runs are lists, not tiers.
const MAX_ROWS: usize = 10;
/// Longest condition cell, in characters.
const MAX_CONDITION_CHARS: usize = 24;
/// Words trimmed from the seam between a condition and its amount.
const SEAM: [&str; 13] = ["的", "为", "按照", "按", "给予", "可获", "可申领", "发放", "补助", "可", "在", "，", "："];

/// One row before it becomes cells: the condition's range and the amount.
#[derive(Debug, Clone)]
struct Row {
    condition: Range<usize>,
    value: Range<usize>,
    unit: String,
    /// The measure written right after the amount (`购房补贴` in `给予每套房屋5000元购房补贴`), possibly empty.
    after: Range<usize>,
}

/// Tables found in the content lines, in source order, each with the source range it was built from.
pub fn find(norm: &Norm, lines: &[Range<usize>], facts: &Facts) -> Vec<(Table, Range<usize>)> {
    let mut all: Vec<&Quantity> = facts
        .amounts
        .iter()
        .chain(&facts.percentages)
        .filter(|q| matches!(q.kind, QuantityKind::Money | QuantityKind::Percent))
        .collect();
    all.sort_by_key(|q| q.range.start);
    let mut out: Vec<(Table, Range<usize>)> = Vec::new();
    let push = |out: &mut Vec<(Table, Range<usize>)>, t: (Table, Range<usize>)| {
        let overlaps = |r: &Range<usize>| r.start < t.1.end && t.1.start < r.end;
        // A run over `；`-separated provisions that holds the smaller tables of its sentences, with more rows than
        // all of them, replaces them: the sentences were parts of one tier list (海宁's talent classes, and the
        // sector tables of the 万载 and 宜春 statistical bulletins, which had kept only their first rows).
        let inside = |r: &Range<usize>| t.1.start <= r.start && r.end <= t.1.end;
        let mut overlapped = out.iter().filter(|(_, r)| overlaps(r)).peekable();
        let free = overlapped.peek().is_none();
        let (held, rows) = overlapped.fold((true, 0), |(all, n), (o, r)| (all && inside(r), n + o.rows.len()));
        if free || (held && t.0.rows.len() > rows) {
            out.retain(|(_, r)| !overlaps(r));
            out.push(t);
        }
    };
    // Grades of which some get a benefit in words (`考核为不达标的住宅小区不予补贴`) first: the number-only finders
    // would pair the rates in their conditions (`完税税率为3%的住房`) with the next grade's amount.
    for t in graded::find(norm, lines, &all) {
        push(&mut out, t);
    }
    for l in lines {
        // Every table needs two amounts in its paragraph; most paragraphs have fewer.
        let from = all.partition_point(|q| q.range.start < l.start);
        let to = all.partition_point(|q| q.range.start < l.end);
        let amounts = &all[from..to];
        if amounts.len() < 2 {
            continue;
        }
        let sentences = clauses::sentences(norm, l.clone());
        for (k, s) in sentences.iter().enumerate() {
            for t in respectively(norm, s.clone(), amounts) {
                push(&mut out, t);
            }
            if let Some(t) = bracketed::find(norm, s.clone(), amounts) {
                push(&mut out, t);
            }
            let units: Vec<Range<usize>> = clauses::clauses(norm, s.clone()).into_iter().map(|c| c.0).collect();
            for t in with_last_tier(norm, runs(norm, &units, amounts, false), &units, sentences.get(k + 1), amounts) {
                push(&mut out, t);
            }
            // `小学每生每学年5000元、初中每生每学年6000元`: the items of an enumeration, each with its amount.
            for u in &units {
                for t in runs(norm, &enumeration(norm, u.clone()), amounts, false) {
                    push(&mut out, t);
                }
            }
        }
        // `（1）40周岁以下的按…0.8%划入；（2）41周岁至…1.5%划入。`: provisions separated by `；` are parallel, so
        // their clauses make one run.
        for p in clauses::periods(norm, l.clone()) {
            let units: Vec<Range<usize>> =
                clauses::sentences(norm, p).into_iter().flat_map(|s| clauses::clauses(norm, s)).map(|c| c.0).collect();
            for t in runs(norm, &units, amounts, false) {
                push(&mut out, t);
            }
        }
        if let Some(t) = conditional(norm, l.clone(), amounts) {
            push(&mut out, t);
        }
    }
    // A table of the page itself comes first: its rows are the author's own.
    for t in page_tables(norm, lines).into_iter().chain(cell_lines::find(norm, lines)) {
        push(&mut out, t);
    }
    // Consecutive list items that each state an amount.
    for t in runs(norm, lines, &all, true) {
        push(&mut out, t);
    }
    // Consecutive rows that open with their group as a label: `一等奖：…0.5万元/半年的奖励。`
    for t in labelled(norm, lines, &all) {
        push(&mut out, t);
    }
    // Spending thresholds of vouchers, whose amounts often lack their `元`: after the tiers of who gets which
    // vouchers (`购买…90平方米以下的，发放价值10000元消费券（含“满100减50元券”30张、…）`).
    for t in lines.iter().flat_map(|l| vouchers::find(norm, l.clone())) {
        push(&mut out, t);
    }

    out.sort_by_key(|t| t.1.start);
    for (t, r) in out.iter_mut().filter(|(t, _)| t.caption.is_empty()) {
        let line = lines.iter().find(|l| l.start <= r.start && r.start < l.end);
        let heads = |h: &Range<usize>| h.end <= r.start && !norm.get(h.end + 3..r.start).contains('。');
        if let Some(h) = line.and_then(|l| item_heading(norm, l.clone())).filter(heads) {
            t.caption = norm.get(h).to_string();
        } else if let Some(lead) = line.and_then(|l| sentence_lead(norm, l.clone(), r.start)) {
            // The lead is the table's now: a bullet of its sentence is shown whole by the table.
            t.caption = norm.get(lead.clone()).to_string();
            r.start = lead.start;
        }
    }
    out
}

/// The tables of a sentence's run, each with the next sentence as its last row when that sentence is one clause
/// that the run takes as a row (`…80-89岁每人每月50元，90—99岁每人每月200元。100岁以上（含100岁）每人每月500元。`):
/// the last tier written after a full stop is still one of them.
fn with_last_tier(
    norm: &Norm,
    tables: Vec<(Table, Range<usize>)>,
    units: &[Range<usize>],
    next: Option<&Range<usize>>,
    amounts: &[&Quantity],
) -> Vec<(Table, Range<usize>)> {
    let Some(next) = next.filter(|_| !tables.is_empty()) else { return tables };
    let next_units = clauses::clauses(norm, next.clone());
    if next_units.len() != 1 {
        return tables;
    }
    let longer = runs(norm, &[units, &[next_units[0].0.clone()]].concat(), amounts, false);
    let extended = |t: &(Table, Range<usize>)| {
        longer.iter().find(|l| l.1.start == t.1.start && l.0.rows.len() == t.0.rows.len() + 1).cloned()
    };
    tables.into_iter().map(|t| extended(&t).unwrap_or(t)).collect()
}

/// Longest lead of a sentence that can caption the table it opens.
const MAX_LEAD_CHARS: usize = 40;

/// The words of a sentence before the table that starts inside it, when they read whole: who the rows are for
/// (`以企业为产权所有人购买新建商品住房作为企业人才公寓的，给予一次性购房奖励，其中` · `购买5套（含）以下…`). Without
/// them the rows say how much but not to whom.
fn sentence_lead(norm: &Norm, line: Range<usize>, at: usize) -> Option<Range<usize>> {
    // The marker of the first row when the rows are numbered inside the sentence (`具体为：（1）第1级…`).
    static INLINE_MARKER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:（[0-9一二三四五六七八九十]{1,3}）|\([0-9]{1,2}\)|[①-⑳])$").expect("inline marker regex")
    });
    let s = clauses::sentences(norm, line).into_iter().find(|s| s.start < at && at < s.end)?;
    let mut end = at;
    loop {
        let t = norm.get(s.start..end);
        let trimmed = t.trim_end_matches(['，', '：', '、', '；']);
        // `2024年1月1日-6月30日，对` · `符合生育政策的多孩家庭…`: the `对` that opens the groups is theirs.
        let trimmed = ["其中", "具体为", "具体如下", "如下", "对"]
            .iter()
            .find_map(|w| trimmed.strip_suffix(w))
            .unwrap_or(trimmed);
        let trimmed = INLINE_MARKER.find(trimmed).map_or(trimmed, |m| &trimmed[..m.start()]);
        if trimmed.len() == t.len() {
            break;
        }
        end = s.start + trimmed.len();
    }
    let start = s.start + crate::outline::marker_of(norm.get(s.start..end)).map_or(0, |(_, len)| len);
    let t = norm.get(start..end);
    // The lead opens its sentence, so an opening `对`/`以` is the author's; only a cut end or bracket tears it.
    let torn = fragment_defects(t).into_iter().any(|d| d != crate::faithful::OPENS_WITH_FUNCTION_WORD);
    // `死亡人口4083人，` · `出生率…`: a lead stating a number of its own is a fact, not what the rows belong to.
    // A period is no such number: `2024年1月1日-6月30日` is when the rows hold (孝感's four periods, 叙州's, 任城's).
    static STATES_A_NUMBER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\d(?:万|亿)?\p{Han}?%?$").expect("number-end regex"));
    static ENDS_IN_DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\d{1,2}月\d{1,2}日(?:（含）|\(含\))?(?:前|后|起|以来|期间|之间)?$").expect("date-end regex")
    });
    let states_a_number = STATES_A_NUMBER.is_match(t) && !ENDS_IN_DATE.is_match(t);
    let whole = (4..=MAX_LEAD_CHARS).contains(&t.chars().count()) && !torn && !states_a_number;
    whole.then_some(start..end)
}

/// The run-in heading of a list item (`（一）在校学生：…`, `（二）租金补贴。…`): a short phrase between the marker
/// and the first `：` or `。`. A table built inside the item belongs to what it names, so the heading becomes the
/// table's caption when the table starts in the item's first sentence; without it two items' tables (`个人缴费标准 | 413元` and `… | 549元`) lose their group.
fn item_heading(norm: &Norm, line: Range<usize>) -> Option<Range<usize>> {
    let t = norm.get(line.clone());
    let (_, at) = crate::outline::marker_of(t)?;
    let rest = &t[at..];
    let end = rest.find(['：', '。'])?;
    let h = &rest[..end];
    let plain = !h.contains(|c: char| c.is_ascii_digit() || "，、；（）《》“”".contains(c));
    (plain && (2..=12).contains(&h.chars().count())).then(|| line.start + at..line.start + at + end)
}

/// Most rows of a page's own table: the author laid them out as one table, so a longer run is still one (a fee
/// schedule of 15 items), up to what a draft can hold.
const MAX_PAGE_ROWS: usize = 20;

/// Longest cell of a page table that still reads as a table cell; longer ones are paragraphs laid out in a grid.
const MAX_PAGE_CELL_CHARS: usize = 40;

/// Tables of the page itself: an HTML `<table>` reaches the text as one line per data row, its cells joined by
/// `|` (see [`crate::html`]). A run of at least three such lines with the same 2 to 6 cells, none of them empty or
/// long, is a table whose first line is the header; its rows keep their order and their spans. A table with a
/// long cell anywhere (a paragraph laid out in a grid) is none: its other rows alone would be part of it.
fn page_tables(norm: &Norm, lines: &[Range<usize>]) -> Vec<(Table, Range<usize>)> {
    let mut out = Vec::new();
    let mut run: Vec<Vec<Range<usize>>> = Vec::new();
    let mut spoiled = false;
    let flush = |run: &mut Vec<Vec<Range<usize>>>, out: &mut Vec<(Table, Range<usize>)>, spoiled: bool| {
        let rows = std::mem::take(run);
        if !spoiled && rows.len() >= 3 && rows.len() <= MAX_PAGE_ROWS + 1 {
            let range = rows[0][0].start..rows[rows.len() - 1].last().map_or(0, |c| c.end);
            let cells = |r: &Vec<Range<usize>>| r.iter().map(|c| cell(norm, c.clone())).collect::<Vec<Cell>>();
            let header = cells(&rows[0]);
            let body = rows[1..].iter().map(cells).collect();
            out.push((Table { caption: String::new(), header, rows: body }, range));
        }
    };
    for l in lines {
        let cells = match pipe_cells(norm, l.clone()) {
            PipeLine::Row(cells) => cells,
            PipeLine::Long => {
                spoiled = true;
                continue;
            }
            PipeLine::Other => {
                flush(&mut run, &mut out, spoiled);
                spoiled = false;
                continue;
            }
        };
        // A cell merged with the one above (`rowspan`, written empty) is that cell again.
        let above = run.last();
        let row: Option<Vec<Range<usize>>> =
            cells.into_iter().enumerate().map(|(i, c)| c.or_else(|| above?.get(i).cloned())).collect();
        let fits = row.as_ref().is_some_and(|r| run.first().is_none_or(|f| f.len() == r.len()));
        if !fits {
            flush(&mut run, &mut out, spoiled);
        }
        if let Some(r) = row {
            run.push(r);
        }
    }
    flush(&mut run, &mut out, spoiled);
    out
}

/// What a line is to a page table.
enum PipeLine {
    /// A row of 2 to 6 cells, none long; an empty cell (`None`) is one merged with the cell above it, and at least
    /// two cells are not.
    Row(Vec<Option<Range<usize>>>),
    /// A row with a cell too long for a table.
    Long,
    /// No row.
    Other,
}

/// The cells of a line written as `a | b | c`, trimmed.
fn pipe_cells(norm: &Norm, l: Range<usize>) -> PipeLine {
    let t = norm.get(l.clone());
    if !t.contains('|') {
        return PipeLine::Other;
    }
    let mut cells = Vec::new();
    let mut start = 0;
    for piece in t.split('|') {
        let lead = piece.len() - piece.trim_start().len();
        let r = l.start + start + lead..l.start + start + piece.trim_end().len();
        start += piece.len() + 1;
        let n = norm.get(r.clone()).chars().count();
        if n > MAX_PAGE_CELL_CHARS {
            return PipeLine::Long;
        }
        cells.push((n > 0).then_some(r));
    }
    let own = cells.iter().flatten().count();
    if (2..=6).contains(&cells.len()) && own >= 2 { PipeLine::Row(cells) } else { PipeLine::Other }
}

/// Tables from `甲和乙…分别为X元、Y元` (also 、-lists of groups, 分别给予/提高至/上浮): the i-th group gets the
/// i-th amount. The groups are the enumeration with as many items as there are amounts, in the clause of 分别
/// or the nearest clause before it.
fn respectively(norm: &Norm, s: Range<usize>, amounts: &[&Quantity]) -> Vec<(Table, Range<usize>)> {
    let t = norm.get(s.clone());
    let mut out = Vec::new();
    for (at, _) in t.match_indices("分别") {
        let at = s.start + at;
        let values = value_run(norm, at..s.end, amounts);
        if values.len() < 2 {
            continue;
        }
        let Some(groups) = group_run(norm, s.start..at, values.len()) else { continue };
        let head = crate::figures::trim_seam(norm.get(at + "分别".len()..values[0].start));
        let head = head.trim_start_matches(['为', '给', '予']);
        let between = norm.get(groups[groups.len() - 1].end..at);
        let after = norm.get(values[values.len() - 1].end..s.end);
        let head_cell = Cell::new(measure_heading(head, between, after), Vec::new());
        let rows =
            groups.iter().zip(&values).map(|(g, v)| vec![cell(norm, g.clone()), cell(norm, v.clone())]).collect();
        let group_cell = group_heading(norm, s.start..groups[0].start, &groups);
        let table = Table { caption: String::new(), header: vec![group_cell, head_cell], rows };
        out.push((table, groups[0].start..values[values.len() - 1].end));
    }
    out
}

/// The heading of the groups' column: what the groups are bands of, when `达` introduces them (`对…采购软件部分
/// 实际投入金额达50万元（含）-100万元、…` gives `采购软件部分实际投入金额`), else `类别`. Not after a grading verb
/// (`经有关部门评定为国家级、省级…`: the words before it say who grades), nor when a later group has its own `达`
/// (`播放量达1500万以上、点赞量达3万以上`: each group names its own measure). `before` runs from the sentence to
/// the first group. Bands after `达` in a 分别 sentence stand in two fixture documents (a Pingtan set of measures,
/// a Guangzhou district's, whose subject carries an adverbial and keeps `类别`): a mechanism, like the measure
/// that heads the values, rather than a pattern of three documents.
fn group_heading(norm: &Norm, before: Range<usize>, groups: &[Range<usize>]) -> Cell {
    let t = norm.get(before.clone());
    let clause = t.rfind(['，', '；', '：']).map_or(before.start, |i| before.start + i + '，'.len_utf8());
    let t = norm.get(clause..before.end);
    let own_measures = groups.iter().any(|g| norm.get(g.clone()).contains('达'));
    let verb = ["达到", "达"].into_iter().find(|w| t.ends_with(w)).filter(|_| !own_measures);
    // Bands need no verb: the words right before the first say what they band.
    let bands = groups.iter().all(|g| is_band(norm.get(g.clone())));
    let verb = match verb {
        Some(v) => v,
        None if bands && !t.is_empty() => "",
        None => return Cell::new("类别", Vec::new()),
    };
    let subject = crate::figures::trim_before(norm, clause..before.end - verb.len(), 12);
    match subject.filter(|r| heading_defects(norm.get(r.clone())).is_empty()) {
        Some(r) => Cell::new(norm.get(r.clone()), vec![norm.span(r)]),
        None => Cell::new("类别", Vec::new()),
    }
}

/// The heading of the amounts' column: the words between `分别` and the first amount (`分别为每人每月…`), else the
/// measure written before `分别` in its own clause (`黄埔区、番禺区、南沙区的农村特困人员基本生活标准每人每月分别为…`),
/// else the one written right after the last amount (`…、3万元的入职奖补`, `…、30万元补助`), else `标准`.
fn measure_heading<'a>(head: &'a str, between: &'a str, after: &'a str) -> &'a str {
    if !head.is_empty() && heading_defects(head).is_empty() {
        return head;
    }
    // Only 分别's own clause: `…，其农村特困人员基本生活标准每人每月分别为…` gives `农村特困人员…每人每月`.
    let own = between.rsplit(['，', '；']).next().unwrap_or(between);
    let between = crate::figures::trim_seam(own.trim_start_matches(['的', '其']));
    if (2..=16).contains(&between.chars().count()) && heading_defects(between).is_empty() {
        return between;
    }
    let after = after.strip_prefix('的').unwrap_or(after);
    let measure = &after[..after.find(|c: char| !c.is_alphanumeric() || c.is_ascii()).unwrap_or(after.len())];
    let fits = (2..=10).contains(&measure.chars().count()) && fragment_defects(measure).is_empty();
    if fits { measure } else { "标准" }
}

/// The amounts right after `分别` that follow each other separated only by `、`, `和` or `及`.
fn value_run(norm: &Norm, r: Range<usize>, amounts: &[&Quantity]) -> Vec<Range<usize>> {
    let mut inside: Vec<&&Quantity> =
        amounts.iter().filter(|q| r.start <= q.range.start && q.range.end <= r.end).collect();
    inside.sort_by_key(|q| q.range.start);
    let mut out: Vec<Range<usize>> = Vec::new();
    for q in inside {
        let gap_ok = match out.last() {
            None => norm.get(r.start..q.range.start).chars().count() <= 12,
            Some(prev) => matches!(norm.get(prev.end..q.range.start), "、" | "和" | "及" | "，"),
        };
        if !gap_ok {
            break;
        }
        out.push(q.range.clone());
    }
    out
}

/// The `n` groups of an enumeration (`甲、乙和丙`) in the text before `分别`: searched clause by clause backwards,
/// each clause from its last qualifying verb on (see [`after_lead_in`]), then whole.
fn group_run(norm: &Norm, r: Range<usize>, n: usize) -> Option<Vec<Range<usize>>> {
    let clauses: Vec<Range<usize>> = clauses::clauses(norm, r.clone()).into_iter().map(|c| c.0).collect();
    for c in clauses.iter().rev().take(3) {
        let candidates = [after_lead_in(norm, c.clone()), Some(c.clone())];
        for c in candidates.into_iter().flatten() {
            if let Some(parts) = groups_of(norm, c, n) {
                return Some(parts);
            }
        }
    }
    None
}

/// Qualifying verbs that end a clause's lead-in: the groups are what follows (`…部门评定为国家级、省级、市级…载体的`,
/// `投入金额达50万元（含）-100万元、…、300万元以上的`, `获评四星级、五星级的`, `播放量达1500万以上、点赞量达3万以上…的`).
const LEAD_IN: [&str; 8] = ["评定为", "认定为", "获评", "评为", "列为", "确定为", "达到", "达"];

/// The clause from just after its last qualifying verb that an enumeration (a later `、`) follows.
fn after_lead_in(norm: &Norm, c: Range<usize>) -> Option<Range<usize>> {
    let t = norm.get(c.clone());
    let last_sep = t.rfind('、')?;
    let cut = LEAD_IN.iter().filter_map(|w| t[..last_sep].rfind(w).map(|i| i + w.len())).max()?;
    Some(c.start + cut..c.end)
}

/// The clause as exactly `n` short groups, split at 、 alone first and at 和/及/与 too only when that is short
/// (`本科及以上、专科` is two groups).
fn groups_of(norm: &Norm, c: Range<usize>, n: usize) -> Option<Vec<Range<usize>>> {
    ["、", "、和及与"].into_iter().map(|seps| split_groups(norm, c.clone(), seps)).find_map(|mut parts| {
        // `符合…文件规定…新引进的博士研究生、40岁以下全日制硕士研究生、…`: what qualifies every group is written once,
        // before the first, and ends in `的`; when it makes the first group too long, the group starts after it (a
        // shorter one stays, so that a period before it still captions the table).
        if parts.len() == n
            && norm.get(parts[0].clone()).chars().count() > MAX_CONDITION_CHARS
            && let Some(i) = norm.get(parts[0].clone()).rfind('的')
        {
            parts[0].start += i + '的'.len_utf8();
        }
        // `年度地方财政贡献1000万元及以上至2000万元、2000万元以上至5000万元、…`: what the bands measure is written
        // once, before the first; the first group starts at its band (see [`group_heading`]).
        if parts.len() == n && parts[1..].iter().all(|p| is_band(norm.get(p.clone()))) {
            let first = norm.get(parts[0].clone());
            if let Some(i) = first.find(|c: char| c.is_ascii_digit()).filter(|&i| i > 0 && is_band(&first[i..])) {
                parts[0].start += i;
            }
        }
        let ok = parts.len() == n
            && parts.iter().all(|p| {
                let g = norm.get(p.clone());
                (2..=MAX_CONDITION_CHARS).contains(&g.chars().count()) && fragment_defects(g).is_empty()
            });
        ok.then_some(parts)
    })
}

/// A clause split at `seps` into trimmed groups: a leading preposition (`按`, `对`) is not part of the first
/// group, and the last group ends at its first `的` (`…南沙区的城镇特困人员…` gives `南沙区`).
fn split_groups(norm: &Norm, c: Range<usize>, seps: &str) -> Vec<Range<usize>> {
    let t = norm.get(c.clone());
    let mut parts: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    for (i, ch) in t.char_indices() {
        if seps.contains(ch) {
            parts.push(c.start + start..c.start + i);
            start = i + ch.len_utf8();
        }
    }
    parts.push(c.start + start..c.end);
    let several = parts.len() > 1;
    if let Some(last) = parts.last_mut().filter(|_| several)
        && let Some(i) = group_end(norm.get(last.clone()))
    {
        last.end = last.start + i;
    }
    parts.into_iter().map(|p| trim(norm, p)).collect()
}

/// Where the last group of an enumeration ends: at its first `的` (`…南沙区的城镇特困人员…` gives `南沙区`), or at a
/// preposition after it that opens what all the groups do (`硕士、博士研究生在西夏区购买新建商品住房` gives `博士研究生`).
fn group_end(t: &str) -> Option<usize> {
    let preposition =
        tujie_zh::words::tagged(t).into_iter().find(|(r, tag)| r.start > 0 && *tag == "p").map(|(r, _)| r.start);
    [t.find('的'), preposition].into_iter().flatten().min()
}

/// The items of an enumeration (`甲…、乙…、丙…`) outside brackets, as ranges; one item when there is none.
fn enumeration(norm: &Norm, u: Range<usize>) -> Vec<Range<usize>> {
    let t = norm.get(u.clone());
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, ch) in t.char_indices() {
        match ch {
            '（' | '《' | '“' => depth += 1,
            '）' | '》' | '”' => depth = (depth - 1).max(0),
            '、' if depth == 0 => {
                out.push(u.start + start..u.start + i);
                start = i + ch.len_utf8();
            }
            _ => {}
        }
    }
    out.push(u.start + start..u.end);
    out
}

/// Tiers written as conditions: `选择缴费档次100元的，政府补贴标准为每人每年30元，…，选择1500元至2000元的，政府补贴均
/// 为每人每年100元` (also `招用3人以下的，按每人2000元…`). In one paragraph, each clause ending in `的` followed by a
/// clause with an amount is a row: the condition without its `的`, and that amount. Two or more rows that measure
/// the same thing (the words before their amounts share a `每…` unit or a word that names it) are a table.
/// Seen in the pension-tier, employment-subsidy and elderly-care fixtures (pingtan 2014 and 2020, guofa 2018).
fn conditional(norm: &Norm, line: Range<usize>, amounts: &[&Quantity]) -> Option<(Table, Range<usize>)> {
    let cls: Vec<Range<usize>> = clauses::sentences(norm, line)
        .into_iter()
        .flat_map(|s| clauses::clauses(norm, s).into_iter().map(|c| c.0))
        .collect();
    let mut rows: Vec<(Range<usize>, &Quantity, Range<usize>)> = Vec::new();
    for w in cls.windows(2) {
        let cond = norm.get(w[0].clone());
        let Some(q) = amounts.iter().find(|q| w[1].start <= q.range.start && q.range.end <= w[1].end) else { continue };
        if !cond.ends_with('的') {
            continue;
        }
        let c = trim(norm, w[0].start..w[0].end - '的'.len_utf8());
        rows.push((c, q, w[1].start..q.range.start));
    }
    if rows.len() < 2 || rows.len() > MAX_ROWS {
        return None;
    }
    let measures: Vec<&str> = rows.iter().map(|r| norm.get(r.2.clone())).collect();
    let shared = crate::figures::trim_seam(measure_part(measures[0], common_suffix(&measures)));
    if shared.chars().count() < 2 || !heading_defects(shared).is_empty() {
        return None;
    }
    let ok = rows.iter().enumerate().all(|(i, (c, _, _))| {
        let t = norm.get(c.clone());
        (2..=MAX_CONDITION_CHARS).contains(&t.chars().count())
            && fragment_defects(t).is_empty()
            && rows[..i].iter().all(|o| norm.get(o.0.clone()) != t)
    });
    if !ok {
        return None;
    }
    let cells = rows.iter().map(|(c, q, _)| vec![cell(norm, c.clone()), cell(norm, q.range.clone())]).collect();
    let range = rows[0].0.start..rows[rows.len() - 1].1.range.end;
    let header = vec![Cell::new("条件", Vec::new()), Cell::new(shared, Vec::new())];
    Some((Table { caption: String::new(), header, rows: cells }, range))
}

/// Tables from runs of consecutive units that each end in one amount. `items`: the units are lines, and only
/// list items (lines opening with a marker) sharing the words before their amounts make a table.
fn runs(norm: &Norm, units: &[Range<usize>], amounts: &[&Quantity], items: bool) -> Vec<(Table, Range<usize>)> {
    let mut out = Vec::new();
    let mut run: Vec<Row> = Vec::new();
    let mut pending: Option<usize> = None;
    let mut kind = None;
    for (i, u) in units.iter().enumerate() {
        if items {
            // Items of one list share a marker style: a `（二）` after `1.`–`4.` is the next provision.
            let marker = crate::outline::marker_of(norm.get(u.clone())).map(|(k, _)| k);
            if marker.is_none() || marker != kind {
                flush(norm, &mut run, &mut out, items);
                kind = marker;
            }
            if marker.is_none() {
                continue;
            }
        }
        // `常补对象分为三档，` · `B档为每人每月565元，C档…`: a clause announcing the tiers ends the run before it and
        // is no condition of the first tier.
        if announces_tiers(norm.get(u.clone())) {
            flush(norm, &mut run, &mut out, items);
            pending = None;
            continue;
        }
        match read_unit(norm, units, i, amounts, items) {
            // `…，三孩家庭按购房款5%给予补贴，最高不超过30万元`: a cap after the tiers bounds them all; it is no tier.
            Unit::Cap(_) if pending.is_none() && !run.is_empty() => {
                flush(norm, &mut run, &mut out, items);
            }
            Unit::Value(q) | Unit::Cap(q) => {
                let start = pending.take().unwrap_or(u.start);
                run.push(row(norm, start, q, u.end));
            }
            // A clause that sets a condition (`招用3人以下的，`) leads into the next clause's amount. Both ends of a
            // band written as two clauses are one condition, and so are the clauses of a condition that ends in
            // `的` (`经…认定属于较大隐患，` · `限期整改的，` · `给予…500元奖励`).
            Unit::Lead { continues } if (pending.is_none() || continues) && units.len() > 1 => {
                pending.get_or_insert(u.start);
            }
            // Any other clause without an amount (`一星级项目不予奖励`), and a list item holding provisions of its
            // own, end the run.
            Unit::Lead { .. } | Unit::Other | Unit::Provisions => {
                flush(norm, &mut run, &mut out, items);
                pending = None;
            }
        }
    }
    flush(norm, &mut run, &mut out, items);
    out
}

/// Whether a clause announces the tiers after it and states no amount (`常补对象分为三档`, `按照年龄段共分为两档`,
/// `补贴对象…分为三类`). Five fixture documents (会昌 twice, 禄劝, 平潭, 奉贤, 山阳) announce tiers so.
fn announces_tiers(clause: &str) -> bool {
    static ANNOUNCED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"分为[一二三四五六七八九两\d]+[档类级等种]").expect("valid regex"));
    ANNOUNCED.is_match(clause) && !clause.contains('元') && !clause.contains('%')
}

/// What one unit of a run is.
enum Unit<'q> {
    /// Its amount is its value (`每人2000元`).
    Value(&'q Quantity),
    /// Its amount caps the tiers before it (`最高不超过30万元`).
    Cap(&'q Quantity),
    /// It states a condition or band of the amount after it; `continues`: it may also continue one begun before.
    Lead { continues: bool },
    /// A list item holding provisions of its own (`…的，给予2000元奖励；…的，给予500元奖励；…`): a list, not a row.
    Provisions,
    /// Anything else.
    Other,
}

/// Reads unit `i` of a run.
fn read_unit<'q>(norm: &Norm, units: &[Range<usize>], i: usize, amounts: &[&'q Quantity], items: bool) -> Unit<'q> {
    let u = &units[i];
    let text = norm.get(u.clone());
    // An amount in brackets is an aside (`5000元（每生每学期2500元）`), not the unit's own.
    let inside: Vec<&'q Quantity> = amounts
        .iter()
        .copied()
        .filter(|q| u.start <= q.range.start && q.range.end <= u.end)
        .filter(|q| !bracketed(norm.get(u.start..q.range.start)))
        .collect();
    if items && inside.len() > 1 && inside.iter().any(|q| norm.get(u.start..q.range.start).contains('；')) {
        return Unit::Provisions;
    }
    let next_unit = units.get(i + 1);
    let next = next_unit.map(|n| norm.get(n.clone()));
    // A band is the condition of the amount after it, not when the next clause is a band too (`3口及以下家庭
    // 年收入10万元（含）以下，4口及以上…`: the bands are the values). A band of counts or areas (`购买5套以上，10套
    // （含）以下，`) holds no amount, so bands after it are no values.
    let band = !items
        && is_band(text)
        && next.is_some_and(|n| (inside.is_empty() || !is_band(n)) && n.contains(|c: char| c.is_ascii_digit()));
    // `选择缴费档次100元的，`: an amount inside a condition is not the unit's value; but opening with `对` does not
    // make a condition of a clause that measures its own amount (`对年度考核为优秀的菜市场奖励5万元`).
    let own_value = inside.last().is_some_and(|q| {
        let before = norm.get(u.start..q.range.start);
        MEASURE_WORDS.iter().chain(&GIVING).any(|w| before.ends_with(w))
    });
    let condition = sets_condition(text);
    match inside.last().filter(|_| (own_value || !condition) && !band) {
        Some(q) if caps_the_run(norm.get(u.start..q.range.start)) => Unit::Cap(q),
        Some(q) => Unit::Value(q),
        None => {
            // `购买90平方米以下住房，每套补贴6000元`: a clause that only names the next clause's measure and amount
            // leads into it, like a condition.
            let leads = next_unit.is_some_and(|n| measures_the_amount(norm, n.clone(), amounts));
            let condition_follows =
                next.is_some_and(|n| sets_condition(n) && !n.contains(|c: char| c.is_ascii_digit()));
            if condition || band || (!items && (leads || condition_follows)) {
                Unit::Lead { continues: condition || band }
            } else {
                Unit::Other
            }
        }
    }
}

/// The row of a value `q` whose condition starts at `start`, in a unit ending at `end`.
fn row(norm: &Norm, start: usize, q: &Quantity, end: usize) -> Row {
    // `…累计额的20%下调为` · `10%`: the old value of a change goes with the new one, else the condition would state
    // the old standard as a group.
    let from = change_start(norm, start..q.range.start);
    let condition = trim(norm, start..from);
    // The rate written after the amount is part of it (`300元/m2`): without it the cell misstates it.
    let value_end = q.range.end + crate::facts::rate_after(norm.get(q.range.end..end));
    let value = from..value_end + crate::facts::bound_after(norm.get(value_end..end));
    let after = measure_after(norm, value.end..end);
    Row { condition, value, unit: q.unit.clone(), after }
}

/// Longest label of a labelled row (`考核等级为基本达标`).
const MAX_LABEL_CHARS: usize = 12;

/// One labelled row: the label before `：`, the amount with its rate and bound, and the words between them.
struct Labelled {
    label: Range<usize>,
    value: Range<usize>,
    before: Range<usize>,
    after: Range<usize>,
    kind: QuantityKind,
}

/// Tables of labelled rows: `1、分布式光伏：0.25元/千瓦时。`, `一等奖：给予物业项目其团队0.5万元/半年的奖励。`,
/// `1、考核等级为优秀：考核分值为86分…为优秀，按照补贴基本标准的100%拨付。` A sentence that opens with a short label
/// (after a list marker) and `：` and states an amount after it is a row: the label is the group, the sentence's
/// first amount (with its rate `/半年` and bound) its value. Rows follow each other within a line and across lines;
/// the sentences after a row in its line (`其中…120%拨付`) belong to it, and any other sentence ends the run
/// (`2、光伏电站。建设主体：…`: the item's own heading starts a new run, which it captions). The value column is
/// headed by the words before the amounts when every row has them and they name a measure (`按照补贴基本标准`),
/// else by the measure after the first amount (`的奖励`), else by the line before the rows when it names one
/// (`（四）项目奖励标准如下：`); else there is no table. A short heading line (`二、物业项目从业人员奖励`) within two
/// lines before the rows captions them. Seen in the 物业 subsidy rules of two Shanghai townships (award grades,
/// assessment grades) and the photovoltaic subsidy rules (kinds of project).
fn labelled(norm: &Norm, lines: &[Range<usize>], amounts: &[&Quantity]) -> Vec<(Table, Range<usize>)> {
    let mut out = Vec::new();
    let mut run: Vec<Labelled> = Vec::new();
    // The line before the run that is no row, and the last short heading within two lines of the run.
    let (mut intro, mut heading): (Option<Range<usize>>, Option<Range<usize>>) = (None, None);
    let mut before: Vec<Option<Range<usize>>> = vec![None, None];
    for l in lines {
        let sentences = clauses::sentences(norm, l.clone());
        let mut rows_here = 0;
        for (i, s) in sentences.iter().enumerate() {
            match label_row(norm, s.clone(), amounts) {
                Some(row) => {
                    if run.is_empty() {
                        intro = before.iter().rev().flatten().next().cloned();
                        heading = before.iter().rev().flatten().find_map(|b| short_heading(norm, b.clone()));
                    }
                    rows_here += 1;
                    run.push(row);
                }
                // A sentence that is no row ends the run when it opens the line, or when it stands between rows.
                None if i == 0 || rows_here == 0 => {
                    let rows = std::mem::take(&mut run);
                    out.extend(labelled_table(norm, &rows, intro.take(), heading.take()));
                }
                None => {}
            }
        }
        before.remove(0);
        before.push((rows_here == 0).then(|| l.clone()));
    }
    out.extend(labelled_table(norm, &run, intro, heading));
    out
}

/// A line that is a short heading: a list marker, then at most 16 characters without punctuation
/// (`二、物业项目从业人员奖励`). It captions the labelled rows right after it.
fn short_heading(norm: &Norm, l: Range<usize>) -> Option<Range<usize>> {
    let t = norm.get(l.clone());
    let (_, at) = crate::outline::marker_of(t)?;
    let h = &t[at..];
    let plain = !h.contains(|c: char| c.is_ascii_digit() || "，。：；、（）".contains(c));
    (plain && (2..=16).contains(&h.chars().count())).then(|| l.start + at..l.end)
}

/// A sentence as a labelled row: a marker, a label of 2 to [`MAX_LABEL_CHARS`] characters that names a group (no
/// punctuation, no measure word: `补贴标准：…` is a field, not a group), `：`, then an amount outside brackets.
fn label_row(norm: &Norm, s: Range<usize>, amounts: &[&Quantity]) -> Option<Labelled> {
    let t = norm.get(s.clone());
    let from = crate::outline::marker_len(t);
    let colon = t[from..].find('：')? + from;
    let label = s.start + from..s.start + colon;
    let l = norm.get(label.clone());
    let plain = !l.contains(['，', '、', '；', '。', '（', '“']) && !MEASURE_WORDS.iter().any(|m| l.contains(m));
    if !plain || !(2..=MAX_LABEL_CHARS).contains(&l.chars().count()) {
        return None;
    }
    let after = s.start + colon + '：'.len_utf8();
    let q = amounts
        .iter()
        .filter(|q| after <= q.range.start && q.range.end <= s.end)
        .find(|q| !bracketed(norm.get(after..q.range.start)))?;
    let rate = crate::facts::rate_after(norm.get(q.range.end..s.end));
    let end = q.range.end + rate;
    let value = q.range.start..end + crate::facts::bound_after(norm.get(end..s.end));
    let rest = value.end..s.end;
    Some(Labelled { label, value, before: after..q.range.start, after: rest, kind: q.kind })
}

/// The table of a run of labelled rows, when it has 2 to [`MAX_ROWS`] rows of one kind with distinct labels and
/// a heading for its values (see [`labelled`]).
fn labelled_table(
    norm: &Norm,
    rows: &[Labelled],
    intro: Option<Range<usize>>,
    heading: Option<Range<usize>>,
) -> Option<(Table, Range<usize>)> {
    if rows.len() < 2 || rows.len() > MAX_ROWS || rows.iter().any(|r| r.kind != rows[0].kind) {
        return None;
    }
    let labels: Vec<&str> = rows.iter().map(|r| norm.get(r.label.clone())).collect();
    if labels.iter().enumerate().any(|(i, l)| labels[..i].contains(l)) {
        return None;
    }
    let named = |t: &str| {
        let checked = t.strip_prefix("按照").or_else(|| t.strip_prefix('按')).unwrap_or(t);
        names_a_measure(t) && heading_defects(checked).is_empty()
    };
    let befores: Vec<&str> = rows.iter().map(|r| norm.get(r.before.clone())).collect();
    let shared = if befores.iter().all(|b| !b.is_empty()) { common_suffix(&befores) } else { "" };
    // Only the amount's own clause can name its measure.
    let shared = measure_part(befores[0], shared).rsplit(['，', '；']).next().unwrap_or("");
    let shared = crate::figures::trim_seam(shared);
    let first = &rows[0];
    let after_measure = measure_heading("", "", norm.get(first.after.clone()));
    let head = if named(shared) {
        let at = first.before.end - befores[0].len() + befores[0].rfind(shared).unwrap_or(0);
        Cell::new(shared, vec![norm.span(at..at + shared.len())])
    } else if after_measure != "标准" && MEASURE_WORDS.iter().any(|m| after_measure.contains(m)) {
        Cell::new(after_measure, Vec::new())
    } else {
        let i = intro?;
        let t = norm.get(i.clone());
        let from = crate::outline::marker_len(t);
        let h = t[from..].trim_end_matches(['：', '。']);
        let h = h.strip_suffix("如下").unwrap_or(h);
        if !(2..=16).contains(&h.chars().count()) || !named(h) {
            return None;
        }
        let at = i.start + t.find(h).unwrap_or(0);
        Cell::new(h, vec![norm.span(at..at + h.len())])
    };
    let cells = rows.iter().map(|r| vec![cell(norm, r.label.clone()), cell(norm, r.value.clone())]).collect();
    let range = first.label.start..rows[rows.len() - 1].value.end;
    let caption =
        heading.filter(|h| norm.get(h.clone()) != head.text).map_or(String::new(), |h| norm.get(h).to_string());
    Some((Table { caption, header: vec![Cell::new("类别", Vec::new()), head], rows: cells }, range))
}

/// The words that introduce a run's first row with the measure of all rows (`低保标准为` in
/// `低保标准为城市每人每月1000元，农村…`, `奖励标准为` in `奖励标准为二星级项目22.5元/平方米，三星级…`): up to and
/// including the last `为` or `：` after a measure noun, when a group follows.
/// Nouns that name what a table's amounts are.
const MEASURE_WORDS: [&str; 8] = ["标准", "补贴", "补助", "奖励", "资助", "金额", "额度", "待遇"];

/// Whether words name what a table's amounts are: a `每…` unit or a measure noun.
fn names_a_measure(t: &str) -> bool {
    t.contains('每') || MEASURE_WORDS.iter().any(|m| t.contains(m))
}

fn lead_measure(norm: &Norm, condition: &Range<usize>) -> Option<Range<usize>> {
    let t = norm.get(condition.clone());
    let (at, sep) = t.char_indices().rev().find(|(_, c)| matches!(c, '为' | '：'))?;
    // `补偿标准为：0-3万元按55%报销，…`: the measure may be followed by both.
    let before = t[..at].trim_end_matches('分').trim_end_matches('为');
    let rest = &t[at + sep.len_utf8()..];
    let measured = MEASURE_WORDS.iter().any(|m| before.ends_with(m));
    (measured && rest.chars().count() >= 2).then(|| condition.start..condition.start + at + sep.len_utf8())
}

/// A group named by its size, age or rank: `3口及以下`, `4人及以上`, `40周岁以下（含）`, `41周岁至法定退休年龄`,
/// `二星级`, `首套`, `三孩`. (Household-size income limits in the Beijing 公租房 rules, age bands of the pingtan 医保 notice, star
/// ratings of the green-building and elderly-care fixtures.)
static SIZED_GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\d+(?:口|人|户|周岁|岁)|[一二三四五六七八九\d]+(?:星级|级|档)|[首一二三四五六七八九十\d](?:套|孩|胎))",
    )
    .expect("sized group regex")
});

/// An amount followed by `、` inside a condition.
static ENUMERATED_AMOUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d[\d.]*(?:万|亿)?(?:元|%)、").expect("enumerated amount regex"));

/// A change verb ending the words before a value (`降低至`, `调整为`): the value is the new one.
static CHANGE_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("{}$", crate::faithful::CHANGED_TO)).expect("change regex"));

/// Words that make an amount a cap rather than a tier's value.
const CAP_WORDS: [&str; 6] = ["最高不超过", "不得超过", "不超过", "最高", "封顶", "上限"];

/// Whether the words before an amount make it a cap with no group of its own (`最高不超过`, `每户最高不超过`,
/// `每家机构当年补助不超过`): with the `每…` unit, the cap words and the measure taken away, at most four
/// characters are left. Seen ending the tier runs of five fixture documents (housing subsidies of 瓯海, 兴文 and
/// 叙州, a Pingtan set of measures, a Guangzhou employment subsidy), where it had made a row of its own and broken
/// the table.
fn caps_the_run(before: &str) -> bool {
    let t = before.trim_start_matches(['，', '、', '；']);
    if !CAP_WORDS.iter().any(|w| t.contains(w)) {
        return false;
    }
    let mut rest = t.to_string();
    if rest.starts_with('每') {
        rest = rest.chars().skip(2).collect();
    }
    for w in CAP_WORDS.iter().chain(MEASURE_WORDS.iter()).chain(&["的", "为", "给予", "当年", "每年", "年度"])
    {
        rest = rest.replace(w, "");
    }
    rest.chars().count() <= 4
}

/// Whether a clause without an amount states the condition of the next one: it ends in `的`, or opens with
/// 对/凡/符合. (A clause ending in `：` introduces the whole run, not its first row.)
fn sets_condition(clause: &str) -> bool {
    let t = clause.trim_end_matches(['，', '；', '、']);
    // `对引进人才分别给予本科2万元`: a clause that gives is no condition, whatever it opens with.
    let gives = ["给予", "分别", "发放"].iter().any(|w| t.contains(w));
    t.ends_with('的') || (!gives && ["对", "凡", "符合"].iter().any(|w| t.starts_with(w)))
}

/// Where the value of a row ends its condition: before the old value of a change (`由380元提高到` · `460元`,
/// `20%下调为` · `10%`), else at the new value itself (`before.end`).
fn change_start(norm: &Norm, before: Range<usize>) -> usize {
    static FROM: LazyLock<Regex> = LazyLock::new(|| {
        let (from, change) = (crate::faithful::CHANGED_FROM, crate::faithful::CHANGED_TO);
        Regex::new(&format!(
            r"(?:{from}(?:每[^\d，；]{{1,5}})?)?\d[\d.]*(?:万|亿)?(?:元|%)?(?:/\S{{1,4}})?的?{change}$"
        ))
        .expect("change-from regex")
    });
    FROM.find(norm.get(before.clone())).map_or(before.end, |m| before.start + m.start())
}

/// Whether a clause is a band of amounts, counts or areas and nothing more (`房款30万元（含）至45万元`, `购房款达50万元
/// （含50万元）以上`, `购买5套以上`, `10套（含）以下`): the condition of the amount in the clause after it. Price and cost
/// bands head the tiers of a 保靖 消费券 measure and a 长顺 大病 reimbursement (in the clause itself, `0-35000元按60%
/// 报销`), besides the bands that [`respectively`] and [`conditional`] read (a Pingtan software subsidy, the Pingtan
/// pension tiers); count and area bands head 溧水's group-purchase rewards and a 柳河 area condition.
fn is_band(clause: &str) -> bool {
    static BAND: LazyLock<Regex> = LazyLock::new(|| {
        let unit = "(?:美元|元|套|平方米|㎡|亩|人|户|辆|台|吨|千瓦时|千瓦|兆瓦|个月|年|天|名|家|个)";
        let amount = format!(r"\d[\d.]*(?:万|亿)?{unit}?(?:（含[^）]{{0,8}}）)?");
        let upper = format!(r"\d[\d.]*(?:万|亿)?{unit}(?:（不?含[^）]{{0,8}}）)?");
        Regex::new(&format!(
            r"{amount}(?:(?:及?以上)?(?:至|[-－—～~]){upper}|及?以[上下](?:（不?含[^）]{{0,8}}）)?)的?$"
        ))
        .expect("band regex")
    });
    let t = clause.trim_end_matches(['，', '；', '、']);
    BAND.is_match(t) && !GIVING.iter().any(|w| t.contains(w))
}

/// Verbs after which what is given is written (`给予购房款` · `0.8%`).
const GIVE_VERBS: [&str; 2] = ["给予", "予以"];

/// Words that make a clause give something rather than state a condition.
const GIVING: [&str; 6] = ["给予", "发放", "补贴", "补助", "奖励", "按"];

/// Whether a clause opens with its amount and only the measure of it (`每套补贴6000元`, `给予企业50万元奖励`,
/// `一次性奖励企业100元/亩`): the clause before it, without an amount, is then the condition it depends on.
/// (田东's and 叙州's housing subsidies and two 柳河 industry measures write their groups so.)
fn measures_the_amount(norm: &Norm, next: Range<usize>, amounts: &[&Quantity]) -> bool {
    let Some(q) = amounts.iter().find(|q| next.start <= q.range.start && q.range.end <= next.end) else {
        return false;
    };
    let before = norm.get(next.start..q.range.start);
    let after = norm.get(q.range.end..next.end);
    let short = before.chars().count() <= 8 && !before.contains(|c: char| c.is_ascii_digit());
    short && (names_a_measure(before) || before.contains("给予") && names_a_measure(after))
}

/// Whether the end of `before` is inside an open bracket.
fn bracketed(before: &str) -> bool {
    before.chars().fold(0i32, |d, c| match c {
        '（' => d + 1,
        '）' => (d - 1).max(0),
        _ => d,
    }) > 0
}

fn flush(norm: &Norm, run: &mut Vec<Row>, out: &mut Vec<(Table, Range<usize>)>, items: bool) {
    let rows = std::mem::take(run);
    if let Some(t) = paired(norm, &rows, items).or_else(|| table(norm, &rows, items)) {
        out.push(t);
        return;
    }
    // `第一期投入1500万元，对…90平方米以上每套发放10000元消费券，…以下每套发放5000元消费券`: an amount in another
    // unit (a budget in 万元, a total) before the tiers joins their run; the tiers after it are the table when they
    // name what they measure (the source's words head their values).
    let tail = (1..rows.len().saturating_sub(1)).filter(|&k| rows[k - 1].unit != rows[k].unit).find_map(|k| {
        table(norm, &rows[k..], items).filter(|t| t.0.header.last().is_some_and(|h| !h.spans.is_empty()))
    });
    if let Some(t) = tail.or_else(|| per_unit_window(norm, &rows, items)) {
        out.push(t);
    }
}

/// The longest window of at least two consecutive rows of a run, not the whole run, whose conditions end in the
/// same `每…` measure (`国家奖扶每人每年960元，市里每年每人配套10元，打卡970元；市级扩面每人每年720元；县级扩面每人
/// 每年600元` gives the last two): the rows between that measure other things are parts or totals of a tier,
/// not tiers. The rows outside the window stay bullets. Three fixture documents (a 计生 奖扶 notice, a 水产 project
/// notice, an energy-saving fund's bands) hold such a window.
fn per_unit_window(norm: &Norm, rows: &[Row], items: bool) -> Option<(Table, Range<usize>)> {
    let texts: Vec<&str> = rows.iter().map(|r| norm.get(r.condition.clone())).collect();
    let per_unit = |w: &[&str]| measure_part(w[0], common_suffix(w)).starts_with('每');
    let mut best: Option<Range<usize>> = None;
    for i in 0..texts.len() {
        let j = (i + 2..=texts.len()).take_while(|&j| per_unit(&texts[i..j])).last();
        let longer = |j: usize| best.as_ref().is_none_or(|b| j - i > b.len());
        if let Some(j) = j.filter(|&j| j - i < texts.len() && longer(j)) {
            best = Some(i..j);
        }
    }
    table(norm, &rows[best?], items)
}

/// Longest name of an attribute that every row states after its value (`资助面`, `增长`).
const MAX_ATTRIBUTE_CHARS: usize = 6;

/// A run whose every second unit states one more attribute of the row before it, under the same short name
/// (`小学寄宿生的资助标准为每生每年1000元，资助面为30%，小学非寄宿生…500元，资助面为8%`, `批发业137290万元，增长
/// 13.6%，零售业309013万元，增长17.9%`): a table of the rows with that attribute as a second column. Read alone, the
/// attribute's units look like rows of a group named `资助面`. Seen in 莒南's student aid and the statistical
/// bulletins of 万载 and other counties (`增长`).
fn paired(norm: &Norm, rows: &[Row], items: bool) -> Option<(Table, Range<usize>)> {
    if rows.len() < 4 || !rows.len().is_multiple_of(2) {
        return None;
    }
    let attribute = |r: &Row| {
        let c = trim(norm, r.condition.clone());
        let t = norm.get(c.clone());
        let t = t.strip_suffix('为').unwrap_or(t);
        (c.start..c.start + t.len(), t)
    };
    let (first, name) = attribute(&rows[1]);
    let same = rows.iter().skip(1).step_by(2).all(|r| attribute(r).1 == name && r.unit == rows[1].unit);
    let plain = !name.contains(|c: char| c.is_ascii_digit() || "，、；：（）".contains(c));
    if !same || !plain || !(1..=MAX_ATTRIBUTE_CHARS).contains(&name.chars().count()) {
        return None;
    }
    let main: Vec<Row> = rows.iter().step_by(2).cloned().collect();
    let (mut t, range) = table(norm, &main, items)?;
    // Values beside their change (`增长`) are quantities, not standards, when nothing names them.
    if t.header[1].spans.is_empty() {
        t.header[1] = Cell::new("数值", Vec::new());
    }
    t.header.push(Cell::new(name, vec![norm.span(first)]));
    for (cells, r) in t.rows.iter_mut().zip(rows.iter().skip(1).step_by(2)) {
        cells.push(cell(norm, r.value.clone()));
    }
    Some((t, range.start..rows[rows.len() - 1].value.end))
}

/// A condition range without leading markers or `其中` and without seam words at its end.
fn trim(norm: &Norm, r: Range<usize>) -> Range<usize> {
    let mut start = r.start;
    let end = r.end;
    let t = norm.get(r.clone());
    if let Some((_, len)) = crate::outline::marker_of(t) {
        start += len;
    }
    while let Some(c) = norm.get(start..end).chars().next().filter(|c| "：，、；".contains(*c)) {
        start += c.len_utf8();
    }
    for lead in ["其中，", "其中", "具体如下", "如下", "按照", "按", "对于", "对"] {
        if norm.get(start..end).starts_with(lead) {
            start += lead.len();
        }
    }
    let seam = |end: usize| {
        let mut t = norm.get(start..end.max(start));
        while let Some(rest) = SEAM.iter().find_map(|w| t.strip_suffix(w)) {
            // `每个最高补助` · `6万元`: after a cap the noun names what is capped; `每个最高` says nothing.
            if t.ends_with("补助") && ends_with_cap(rest) {
                break;
            }
            t = rest;
        }
        start + t.len()
    };
    // `…的，县财政给予`: the seam, then who pays, then the seam before them.
    let end = seam(start + payer_cut(norm.get(start..seam(end))));
    let end = start + without_set_verb(norm.get(start..end.max(start))).len();
    start..end.max(start)
}

/// `t` without a verb that sets a standard at its end (`基础水价调整` of `基础水价调整为2.6元/吨`, `用水定` of `用水定为
/// 4元/吨`, `贷款限额确定` of `…确定为每户100万元`): the group is what is set, and the verb, its `为` trimmed as a
/// seam, would read as part of its name. `认定`, `规定` and the like are no such verb (`被认定为…的`). Four fixture
/// documents set standards so (平潭's water prices, a 公积金 loan limit, two statistical bulletins' ratios).
fn without_set_verb(t: &str) -> &str {
    for verb in ["调整", "确定", "核定", "定"] {
        if let Some(rest) = t.strip_suffix(verb) {
            let named = rest.chars().count() >= 2;
            let other_verb = verb == "定"
                && rest.ends_with(['认', '规', '制', '约', '鉴', '评', '判', '界', '限', '指', '锁', '暂']);
            if named && !other_verb {
                return rest;
            }
        }
    }
    t
}

/// Who pays, at the end of a condition (`…取得契税完税凭证的，县财政` · `10%`, `购买…住房，政府` · `6000元`):
/// the subject of the giving verb, not part of the group. Returns where the condition ends without it. Six fixture
/// documents write `…的，（由）县财政/政府/开发企业给予…`.
fn payer_cut(t: &str) -> usize {
    const PAYERS: [&str; 7] = ["政府", "财政", "企业", "单位", "局", "委", "中心"];
    let Some(i) = t.rfind('，') else { return t.len() };
    let last = &t[i + '，'.len_utf8()..];
    let payer = (1..=10).contains(&last.chars().count())
        && !last.contains(|c: char| c.is_ascii_digit())
        && !GIVING.iter().any(|w| last.contains(w))
        && PAYERS.iter().any(|p| last.ends_with(p));
    if payer { i } else { t.len() }
}

/// The table of a run, when its rows measure the same thing and their conditions tell them apart.
fn table(norm: &Norm, rows: &[Row], items: bool) -> Option<(Table, Range<usize>)> {
    if rows.len() < 2 || rows.len() > MAX_ROWS {
        return None;
    }
    // Only the first row has the lead; when every row says `…标准为` the measure is each row's own.
    let own_leads = rows[1..].iter().any(|r| norm.get(r.condition.clone()).contains(['为', '：']));
    let lead = lead_measure(norm, &rows[0].condition).filter(|_| !own_leads);
    let mut rows = rows.to_vec();
    if let Some(l) = &lead {
        rows[0].condition.start = l.end;
    }
    align_first(norm, &mut rows);
    let rows = &rows[..];
    let texts: Vec<&str> = rows.iter().map(|r| norm.get(r.condition.clone())).collect();
    let mut shared = ordinal_classifier(&texts, measure_part(texts[0], common_suffix(&texts)));
    // With the measure named before the first row, shared words that name no measure (`二星级标识项目`,
    // `三星级标识项目`) are the groups' own head noun.
    if lead.is_some() && !names_a_measure(shared) {
        shared = "";
    }
    // A heading may open with `按` (`按本人月缴费工资`: the values are shares of it); a figure label may not.
    let checked = crate::figures::trim_seam(shared.strip_prefix('按').unwrap_or(shared));
    // A measure noun alone (`，奖励0.5万元`) heads a column well, though it is too bare for a figure's label.
    // A basis after `按` is one noun (`按购房款`: the values are shares of it), which heads a column well too.
    // So is what is given after `给予` (`给予购房款` · `0.8%`).
    let given = GIVE_VERBS.iter().any(|w| texts[0][..texts[0].len() - shared.len()].ends_with(w));
    let basis = (shared.starts_with('按') || given) && fragment_defects(checked).is_empty() && names_a_thing(checked);
    if !shared.is_empty() && !heading_defects(checked).is_empty() && !MEASURE_WORDS.contains(&checked) && !basis {
        // Shared words that do not name a measure (`成绩占`, `较2023年增长`) stay in the conditions.
        shared = "";
    }
    let same_unit = rows.iter().all(|r| r.unit == rows[0].unit);
    if shared.chars().count() < 2 && (items || !same_unit) {
        return None;
    }
    // A bound that ends the shared words (`家庭年收入低于`) belongs to every value: `低于10万元（含）`.
    // So does a change (`首套住房首付比例降低至` · `20%`: the value is the new ratio, `降低至20%`).
    let bound = crate::faithful::BOUNDS.iter().find(|b| shared.ends_with(**b)).map_or(0, |b| b.len());
    let bound = bound.max(CHANGE_END.find(shared).map_or(0, |m| m.len()));
    let bound = if rows.iter().all(|r| r.condition.end == r.value.start) { bound } else { 0 };
    let shared = &shared[..shared.len() - bound];
    let values: Vec<Range<usize>> = rows.iter().map(|r| r.value.start - bound..r.value.end).collect();
    let conds: Vec<Range<usize>> =
        rows.iter().map(|r| trim(norm, r.condition.start..r.condition.end - bound - shared.len())).collect();
    // `E类人才分别给予博士8万元、硕士` · `5万元`: an enumeration of amounts inside a condition was read whole.
    let enumerated = conds.iter().any(|c| ENUMERATED_AMOUNT.is_match(norm.get(c.clone())));
    let distinct =
        conds.iter().enumerate().all(|(i, a)| conds[..i].iter().all(|b| norm.get(a.clone()) != norm.get(b.clone())));
    let sized = sized(&conds.iter().map(|c| norm.get(c.clone())).collect::<Vec<_>>());
    // Groups before a shared `每…` measure are named by it (`初中每生每学年`); otherwise each must name a thing.
    let per_unit = shared.starts_with('每');
    let group_like = |c: &Range<usize>| {
        let t = norm.get(c.clone());
        per_unit || names_a_thing(t) || SIZED_GROUP.is_match(t) || is_band(t)
    };
    // Short groups of which at least half name a thing are named too: the dictionary tags some nouns otherwise
    // (`本科` beside `硕士`).
    let short = conds.iter().all(|c| norm.get(c.clone()).chars().count() <= 6);
    let named = conds.iter().all(|c| fragment_defects(norm.get(c.clone())).is_empty())
        && (conds.iter().all(group_like)
            || (short && 2 * conds.iter().filter(|c| group_like(c)).count() >= conds.len()));
    // Without a measure to share, only groups alike in form make a table: a rate of the starting price and a
    // rate of the price paid within three months are two rules of one sentence, not tiers.
    let unnamed = shared.chars().count() < 2 && lead.is_none();
    // `竞买保证金可按起始价` · `20%`, `…1个月内必须缴纳出让价款` · `50%`: a row that says what must or may be done is
    // a rule of its own, not a group of a tier.
    let rules = conds.iter().any(|c| OBLIGATIONS.iter().any(|w| norm.get(c.clone()).contains(w)));
    // `E类人才60万元，其中…博士后75万元`: a row written after `其中` is a part of the group before it, which the
    // form of the groups need not show. Four fixture documents write a part after its tier so (海宁 twice, 龙港's
    // 见习基地 rates, a 特困 standard for 失能 persons, a 光伏 award).
    let sub = |r: &Row| norm.get(0..r.condition.start).trim_end_matches(['，', '：']).ends_with("其中");
    let parts: Vec<Range<usize>> = conds.iter().zip(rows).filter(|(_, r)| !sub(r)).map(|(c, _)| c.clone()).collect();
    if enumerated || rules || !distinct || !sized || !named || (unnamed && !alike(norm, &parts)) {
        return None;
    }
    let head_value = if shared.chars().count() >= 2 {
        let last = &rows[0].condition;
        let head = crate::figures::trim_seam(shared);
        let at = last.end - bound - shared.len();
        with_measure_after(norm, Cell::new(head, vec![norm.span(at..at + head.len())]), rows)
    } else if let Some(l) = &lead {
        let head = crate::figures::trim_seam(norm.get(l.clone()));
        Cell::new(head, vec![norm.span(l.start..l.start + head.len())])
    } else if let Some(after) = shared_after(norm, rows) {
        Cell::new(norm.get(after.clone()), vec![norm.span(after)])
    } else {
        Cell::new(unnamed_heading(norm, &conds), Vec::new())
    };
    let cells = values.iter().zip(&conds).map(|(v, c)| vec![cell(norm, c.clone()), cell(norm, v.clone())]).collect();
    let first = lead.as_ref().map_or(rows[0].condition.start, |l| l.start);
    let range = first.min(rows[0].value.start)..rows[rows.len() - 1].value.end;
    // The measure the first row was introduced by (`低保标准为城市…`) names the whole table.
    let caption = match (&lead, shared.is_empty()) {
        (Some(l), false) => crate::figures::trim_seam(norm.get(l.clone())).to_string(),
        _ => String::new(),
    };
    Some((Table { caption, header: vec![Cell::new("类别", Vec::new()), head_value], rows: cells }, range))
}

/// Longest condition cell of rows whose conditions share words at their start or end.
const MAX_PARALLEL_CONDITION_CHARS: usize = 40;

/// Whether conditions are short enough to be groups: each at most [`MAX_CONDITION_CHARS`], or, where all share
/// words at their start or end (`购买商品住房建筑面积` · `90平方米以下`, `…期间，取得契税完税凭证的`: written once by a
/// person, read once), what tells each apart is at most that and the whole at most
/// [`MAX_PARALLEL_CONDITION_CHARS`]. Ten fixture tables of eight documents have groups sharing a start; 东港's area
/// tiers and 微山's months of payment are longer.
fn sized(texts: &[&str]) -> bool {
    let chars: Vec<Vec<char>> = texts.iter().map(|t| t.chars().collect()).collect();
    let shortest = chars.iter().map(Vec::len).min().unwrap_or(0);
    let prefix = (0..shortest).take_while(|&i| chars.iter().all(|c| c[i] == chars[0][i])).count();
    let suffix = (0..shortest - prefix)
        .take_while(|&i| chars.iter().all(|c| c[c.len() - 1 - i] == chars[0][chars[0].len() - 1 - i]))
        .count();
    // What tells rows apart is a group or a condition, not a rule of its own (`对其中购买1级…的产品，额外再给予` gives
    // more on top of the first row).
    let own = |c: &[char]| c[prefix..c.len() - suffix].iter().collect::<String>();
    let parallel = prefix + suffix >= 4 && chars.iter().all(|c| !GIVING.iter().any(|w| own(c).contains(w)));
    let limit = if parallel { MAX_PARALLEL_CONDITION_CHARS } else { MAX_CONDITION_CHARS };
    chars.iter().all(|c| {
        let fits = (2..=limit).contains(&c.len()) && own(c).chars().count() <= MAX_CONDITION_CHARS;
        fits || listed(c)
    })
}

/// Whether a condition is a list of groups (`硕士研究生、中级职称专业技术人员、公费师范毕业生`, `“双一流”或原“985”
/// 高校本科毕业生`): items joined by `、` or `或`, each short enough to be a group, in one clause at most
/// [`MAX_PARALLEL_CONDITION_CHARS`] long. Talent policies write each tier's groups out in full (泸溪's 安家费 and
/// 生活补贴, two tables); so do weights by unit (东明路's `文明办、平安办…测评各占比`). Only two documents: the
/// rule is the length limit's, which a list of groups was never meant to meet.
fn listed(c: &[char]) -> bool {
    let items = || c.split(|ch| *ch == '、' || *ch == '或');
    c.len() <= MAX_PARALLEL_CONDITION_CHARS
        && items().count() > 1
        && !c.iter().any(|ch| "，；。：".contains(*ch))
        && items().all(|i| (2..=MAX_CONDITION_CHARS).contains(&i.len()))
}

/// Words of obligation or permission, which make a clause a rule rather than a group.
const OBLIGATIONS: [&str; 6] = ["必须", "应当", "应该", "须", "不得", "可按"];

/// Words after which the first row of a run starts when the rows after it have none: the sentence's lead-in
/// (`由财政按` · `一般疾病60%、重大疾病90%`, `对引进人才分别给予` · `本科2万元、硕士4万元`).
const LEAD_INS: [&str; 6] = ["分别给予", "分别为", "分别按", "给予", "按照", "按"];

/// Starts the first row where the rows after it start: the sentence's lead-in (time, place, who pays) is written
/// once, before the first group. Either the other rows open with the same word, found again in the first row
/// (`自…期间在本镇购买100平方米以下住房` · `购买100平方米以上住房` gives `购买100平方米以下住房`), or the first
/// row holds a lead-in word the others lack ([`LEAD_INS`]).
fn align_first(norm: &Norm, rows: &mut [Row]) {
    let texts: Vec<&str> = rows.iter().map(|r| norm.get(r.condition.clone())).collect();
    let first = texts[0];
    // Only a first row that cannot stand as a group, or is more than twice as long as every other, is cut.
    let n = first.chars().count();
    let longest_other = texts[1..].iter().map(|t| t.chars().count()).max().unwrap_or(0);
    let fails = n > MAX_CONDITION_CHARS || !fragment_defects(first).is_empty();
    if !fails && n <= 2 * longest_other {
        return;
    }
    let opening = |t: &str| t.char_indices().nth(2).map(|(i, _)| t[..i].to_string());
    let others = opening(texts[1]).filter(|o| texts[1..].iter().all(|t| t.starts_with(o.as_str())));
    if others.is_some() && others == opening(first) {
        return;
    }
    // The others' opening word found again in the first row only where the first row cannot stand: `其中规模以上
    // 工业企业完成工业总产值` · `完成工业增加值` share a subject written once, which stays.
    let within = match others.filter(|_| fails).and_then(|o| first.rfind(o.as_str())) {
        Some(i) => Some(i),
        None => LEAD_INS
            .iter()
            .filter(|w| texts[1..].iter().all(|t| !t.contains(**w)))
            .find_map(|w| first.rfind(w).map(|i| i + w.len())),
    };
    // `且孩子为…户籍，符合…政策，二孩补贴` · `三孩补贴`: where every other row is one clause, the first row's
    // clauses before its last are the sentence's lead, not its group; but a clause ending in `的` right before it
    // is its condition (`首次购买住房…的，首付最低比例继续按` · `20%`).
    let one_clause = |t: &&str| !t.contains('，');
    let lead = |i: usize| texts[1..].iter().all(one_clause) && !first[..i].ends_with('的');
    let clause = first.rfind('，').filter(|&i| lead(i)).map(|i| i + '，'.len_utf8());
    let cut = within.max(clause);
    if let Some(i) = cut.filter(|&i| first[i..].chars().count() >= 2) {
        let start = rows[0].condition.start + i;
        rows[0].condition = trim(norm, start..rows[0].condition.end);
    }
}

/// Whether groups read as parallel: all short (`事业单位`, `国有企业`; `富力大厦`, `棠雅苑`), or each sharing two
/// characters in a row with the first (`三星级` · `四星级`, `3人及以下家庭收入` · `4人及以上家庭年收入`).
fn alike(norm: &Norm, conds: &[Range<usize>]) -> bool {
    const SHORT: usize = 8;
    let texts: Vec<&str> = conds.iter().map(|c| norm.get(c.clone())).collect();
    if texts.iter().all(|t| t.chars().count() <= SHORT) {
        return true;
    }
    let pairs = |t: &str| -> Vec<(char, char)> {
        let cs: Vec<char> = t.chars().filter(|c| crate::normalize::is_han(*c)).collect();
        cs.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let first = pairs(texts[0]);
    texts[1..].iter().all(|t| pairs(t).iter().any(|p| first.contains(p)))
}

/// The heading of a value column whose measure the text does not name: `标准` for what each group gets; `数值` when
/// every row's words end in a verb whose object is the value (`规模以上轻工业增加值下降` · `18.4%`, `成绩占` · `60%`,
/// `比重上升` · `5.2个百分点`: growth rates, shares and changes of statistical bulletins, plans and exam rules, which
/// `标准` would misname).
fn unnamed_heading(norm: &Norm, conds: &[Range<usize>]) -> &'static str {
    let ends_in_verb = |c: &Range<usize>| {
        let t = norm.get(c.clone());
        tujie_zh::words::tagged(t).last().is_some_and(|(r, tag)| tag.starts_with('v') && r.end == t.len())
    };
    if conds.iter().all(ends_in_verb) { "数值" } else { "标准" }
}

/// The measure noun phrase right after an amount, up to the clause's end: `购房补贴` after `5000元`, `的奖励` after
/// `3万元` (without its `的`); empty when the clause goes on with more than a short noun phrase.
fn measure_after(norm: &Norm, r: Range<usize>) -> Range<usize> {
    let t = norm.get(r.clone());
    // `的奖励` and `给予补贴` after the amount name their measure by the noun alone.
    let start = r.start + ["的", "给予"].iter().find(|w| t.starts_with(**w)).map_or(0, |w| w.len());
    // A list item's row ends in its full stop (`…的100%货币补贴。`), which is no part of the measure.
    let end = start + norm.get(start..r.end).trim_end_matches(['。', '；', '，']).len();
    let rest = norm.get(start..end);
    // A fee or a sum (`安家费`, `补偿金`) names a measure of money as a 补贴 does.
    let money = names_a_measure(rest) || rest.ends_with(['费', '金']);
    let ok = (2..=6).contains(&rest.chars().count()) && rest.chars().all(crate::normalize::is_wide) && money;
    if ok { start..end } else { r.end..r.end }
}

/// A column heading that names only a per-unit (`每套房屋`) gets the measure every row writes after its amount
/// (`每套房屋购房补贴`), so that it says what the numbers are (`C级危房给予每套房屋5000元购房补贴；D级危房给予每套
/// 房屋10000元购房补贴`, Xixia). Eleven fixture tables are headed by a unit alone (`每人`, `每家`, `每人每月`); the
/// others name their measure in the rows or the caption, or write none after the amount.
fn with_measure_after(norm: &Norm, head: Cell, rows: &[Row]) -> Cell {
    let Some(after) = shared_after(norm, rows).filter(|_| !MEASURE_WORDS.iter().any(|m| head.text.contains(m))) else {
        return head;
    };
    let mut spans = head.spans.clone();
    spans.push(norm.span(after.clone()));
    Cell::new(format!("{}{}", head.text, norm.get(after)), spans)
}

/// The measure every row writes after its amount (`迁入1人按照300元/平方米补助，迁入2人…补助`), when there is one.
/// In an enumeration (`本科2万元、硕士4万元生活补贴`) only the last row writes it, for all.
fn shared_after(norm: &Norm, rows: &[Row]) -> Option<Range<usize>> {
    let after = norm.get(rows[0].after.clone());
    let shared = !after.is_empty() && rows.iter().all(|r| norm.get(r.after.clone()) == after);
    let last = &rows[rows.len() - 1].after;
    let enumerated = after.is_empty() && !last.is_empty() && rows[..rows.len() - 1].iter().all(|r| r.after.is_empty());
    match (shared, enumerated) {
        (true, _) => Some(rows[0].after.clone()),
        (_, true) => Some(last.clone()),
        _ => None,
    }
}

fn cell(norm: &Norm, r: Range<usize>) -> Cell {
    Cell::new(norm.get(r.clone()).trim_matches(['，', '、', '；']), vec![norm.span(r)])
}

/// The part of a shared suffix that names the measure: from its `每…` unit when it has one (`乘用车每辆补贴` gives
/// `每辆补贴`: the rest names the groups), else from the first word boundary of `text` (which ends in it).
fn measure_part<'a>(text: &str, shared: &'a str) -> &'a str {
    // A measure lies within the clause of the values (`…缴存住房公积金的，最高贷款额度` gives `最高贷款额度`).
    let shared = shared.rfind(['，', '；']).map_or(shared, |i| &shared[i + '，'.len_utf8()..]);
    if let Some(i) = shared.find('每') {
        return &shared[i..];
    }
    // `二孩家庭按购房款` · `三孩家庭按购房款`: the basis opens the measure; `家庭` before it is the groups' own noun.
    if let Some(i) = shared.find('按').filter(|&i| i > 0) {
        return &shared[i..];
    }
    // `的个人给予已缴契税` · `50%`, `，给予购房款（税前）` · `0.8%`: what is given opens the measure; who gets it is the
    // groups' own.
    let given = GIVE_VERBS.iter().find_map(|w| shared.find(w).map(|i| i + w.len()));
    if let Some(i) = given.filter(|&i| names_a_thing(&shared[i..])) {
        return &shared[i..];
    }
    let at = text.len() - shared.len();
    let from = tujie_zh::words::boundaries(text).into_iter().find(|&b| b >= at).unwrap_or(text.len());
    shared[from - at..].trim_start_matches(['，', '、', '的', '可'])
}

/// Shared words without the classifier of groups that are bare ordinals: in `二孩补贴` · `三孩补贴` and `B类人才` ·
/// `C类人才` the groups are `二孩` and `B类`, though the dictionary cuts the numeral from its classifier. An ordinal
/// alone names no group. Twelve fixture documents write such groups before an amount (二孩/三孩, B类人才), three
/// more 首套/二套 (首付比例, 利率); the rule made tables of the child-order subsidies of 平顺 and 唐河.
fn ordinal_classifier<'a>(texts: &[&str], shared: &'a str) -> &'a str {
    let bare = |t: &str| {
        let group = &t[..t.len() - shared.len()];
        group.chars().count() == 1
            && group.chars().all(|c| "首一二三四五六七八九十两".contains(c) || c.is_ascii_alphanumeric())
    };
    if shared.is_empty() || !texts.iter().all(|t| bare(t)) {
        return shared;
    }
    // The classifier is the shared words' first word (`孩`, `类`; `套房` of `首套房首付比例`).
    let first = tujie_zh::words::boundaries(shared).into_iter().find(|&b| b > 0).unwrap_or(shared.len());
    &shared[first..]
}

/// Whether words end in a cap (`最高`, `最多`, `不超过`): what follows is what they cap.
fn ends_with_cap(t: &str) -> bool {
    ["最高", "最多"].iter().chain(&crate::faithful::BOUNDS).any(|b| t.ends_with(b))
}

/// The longest common suffix of all texts, on character boundaries.
fn common_suffix<'a>(texts: &[&'a str]) -> &'a str {
    let first = texts[0];
    let mut len = 0;
    for (i, _) in first.char_indices().rev() {
        let suffix = &first[i..];
        if texts.iter().all(|t| t.ends_with(suffix) && t.len() > suffix.len()) {
            len = suffix.len();
        } else {
            break;
        }
    }
    &first[first.len() - len..]
}

/// Puts each table into the chapter it was found in when the draft shows that chapter (a 若干措施 reads chapter by
/// chapter, and a 标准 section would push one of its chapters out), else into the 标准 section (made when missing,
/// in place of the weakest section when the draft has `max_sections` already), and drops bullets the table now
/// shows whole.
pub fn place(content: &mut InfographicContent, tables: Vec<Placed>, max_tables: usize, max_sections: usize) {
    let mut placed: Vec<Table> = Vec::new();
    // A table the text states twice (the same aid items under two school levels) is drawn once.
    let texts =
        |t: &Table| -> Vec<Vec<String>> { t.rows.iter().map(|r| r.iter().map(|c| c.text.clone()).collect()).collect() };
    for Placed { table: t, range, home } in tables {
        drop_group_tiles(content, &t);
        if placed.len() >= max_tables || placed.iter().any(|p| texts(p) == texts(&t)) {
            continue;
        }
        placed.push(t.clone());
        let inside = |s: &Span| range.start <= s.start && s.end <= range.end;
        for s in &mut content.sections {
            s.bullets.retain(|b| !(b.spans.len() == 1 && b.spans.iter().all(inside)));
        }
        let chapter = home.and_then(|h| crate::compose::chapter_index(content, &h));
        let Some(at) =
            chapter.or_else(|| crate::compose::section_index(content, SectionKind::Standards, max_sections, &[]))
        else {
            continue;
        };
        drop_figures_of_rows(content, &t, at);
        content.sections[at].tables.push(t);
    }
}

/// Drops the tiles labelled by a row's group alone (`全日制博士研究生` · 10万元, `三楼` · 6元/平方米/月, `三星级标识项目`
/// · 40元/平方米, a 专精特新 grade · 200万元) when the table names what its values are, in its heading or caption: the tile says whose amount it
/// is but not what the amount is (a 购房补贴, a rent). Done for every table found, drawn or not. Tables whose
/// groups are measures themselves (`第一产业增加值` · 22.9亿元) have neither, and keep their tiles, as do labels that
/// say what they measure (`60岁及以上人口的比重上升`).
fn drop_group_tiles(content: &mut InfographicContent, t: &Table) {
    let named = t.header.last().is_some_and(|h| !h.spans.is_empty()) || !t.caption.is_empty();
    if !named {
        return;
    }
    let group_only = |f: &tujie_model::Figure| {
        f.spans.first().is_some_and(|n| {
            t.rows.iter().any(|r| holds(r, n) && r.first().is_some_and(|g| g.text.contains(f.label.as_str())))
        }) && !says_what_it_measures(&f.label)
    };
    content.figures.retain(|f| !group_only(f));
    for s in &mut content.sections {
        s.figures.retain(|f| !group_only(f));
    }
}

/// Whether a row's value holds a figure's number (span `n`).
fn holds(row: &[Cell], n: &Span) -> bool {
    row.last().is_some_and(|v| v.spans.iter().any(|s| s.start <= n.start && n.end <= s.end))
}

/// Whether a label says what its number measures, not only whose it is: a measure word (`补贴`, `标准`) or a change
/// or share (`比重上升`, `增长`).
fn says_what_it_measures(label: &str) -> bool {
    const CHANGES: [&str; 9] = ["上升", "下降", "增长", "提高", "降低", "增加", "减少", "比重", "占比"];
    names_a_measure(label) || CHANGES.iter().any(|w| label.contains(w))
}

/// Drops the figures a table row now says better: a tile whose number is the row's value and whose label ends in
/// the row's group after other words (`民政按普通疾病` over 70%, `标准为本科` over 3830元) names the group where it
/// should name the measure, which the table's heading does. A tile labelled by the group alone (`第一产业增加值`)
/// stays here (see [`drop_group_tiles`] for tables that name their measure), except in section `at`, beside the
/// table, where any tile of one of its values says it again without its group (the 看板's stays).
fn drop_figures_of_rows(content: &mut InfographicContent, t: &Table, at: usize) {
    // Whether the figure's label names a row's group after other words.
    let names_group = |r: &Vec<Cell>, f: &tujie_model::Figure| {
        r.first()
            .is_some_and(|g| !g.text.is_empty() && f.label.len() > g.text.len() && f.label.ends_with(g.text.as_str()))
    };
    let in_row = |n: &Span| t.rows.iter().any(|r| holds(r, n));
    let in_table = |f: &tujie_model::Figure| f.spans.first().is_some_and(in_row);
    let shown_by_row = |f: &tujie_model::Figure| {
        f.spans.first().is_some_and(|n| t.rows.iter().any(|r| holds(r, n) && names_group(r, f)))
    };
    // A tile of a row's value labelled only by the table's measure (`发放一次性生育补贴` over 10000元, the 三孩
    // tier) states one tier as the measure's value: the table says it with its group.
    let measure = t.header.last().map_or("", |h| h.text.as_str());
    let names_no_group = |f: &tujie_model::Figure| {
        !f.label.is_empty() && measure.contains(f.label.as_str()) && f.spans.first().is_some_and(&in_row)
    };
    content.figures.retain(|f| !shown_by_row(f) && !names_no_group(f));
    for (i, s) in content.sections.iter_mut().enumerate() {
        s.figures.retain(|f| if i == at { !in_table(f) } else { !shown_by_row(f) && !names_no_group(f) });
    }
}

/// A table to place: its source span, and the heading of the 主要内容 chapter it was found in, if any.
#[derive(Debug)]
pub struct Placed {
    pub table: Table,
    pub range: Span,
    pub home: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables found in a normalised text, with their ranges.
    fn found(n: &Norm) -> Vec<(Table, Range<usize>)> {
        let lines = n.lines();
        find(n, &lines, &crate::facts::collect(n, &lines))
    }

    fn tables(text: &str) -> Vec<Vec<Vec<String>>> {
        found(&Norm::new(text))
            .into_iter()
            .map(|(t, _)| {
                std::iter::once(&t.header).chain(&t.rows).map(|r| r.iter().map(|c| c.text.clone()).collect()).collect()
            })
            .collect()
    }

    /// The one table of `text`, header first.
    fn one_table(text: &str) -> Vec<Vec<String>> {
        let mut t = tables(text);
        assert_eq!(t.len(), 1, "{t:?}");
        t.remove(0)
    }

    /// A tile that names a table row's group after other words goes, and so does one named by the group alone when
    /// the table names what its values are; one that says what it measures stays.
    #[test]
    fn tiles_that_name_a_row_group_give_way_to_the_table() {
        use tujie_model::{Figure, Section};
        let n = Norm::new("由财政按一般疾病60%、重大疾病90%的比例补助。");
        let (table, range) = found(&n).remove(0);
        let at = n.text.find("60%").unwrap();
        let tile = |label: &str| Figure {
            value: "60".into(),
            unit: "%".into(),
            label: label.into(),
            spans: vec![n.span(at..at + "60%".len())],
        };
        let mut c = InfographicContent {
            title: String::new(),
            subtitle: String::new(),
            source_title: None,
            source_url: None,
            // `比例补助` is the table's measure alone: one tier's value, without its group; `一般疾病` is the group
            // alone, without what its 60% is, which the table's heading names.
            figures: vec![
                tile("财政按一般疾病"),
                tile("一般疾病"),
                tile(&table.header[1].text),
                tile("一般疾病补助比例"),
            ],
            sections: vec![Section::new(SectionKind::Standards, "标准")],
        };
        place(&mut c, vec![Placed { table, range: n.span(range), home: None }], 4, 6);
        assert_eq!(c.figures.iter().map(|f| f.label.as_str()).collect::<Vec<_>>(), ["一般疾病补助比例"]);
    }

    /// Groups that are an ordinal and its classifier (`二孩`, `B类`) keep the classifier, which the dictionary cuts
    /// from the numeral; a first row that took the sentence's lead clauses is cut to its own clause.
    #[test]
    fn ordinal_groups_keep_their_classifier_and_lose_the_lead() {
        let t = one_table("申请人须为本县户籍，符合生育政策，二孩补贴2000元，三孩补贴4000元。");
        assert_eq!(t, [["类别", "补贴"], ["二孩", "2000元"], ["三孩", "4000元"]]);
        let t = one_table("首套房贷款首付比例为25%，二套房贷款首付比例为35%。");
        assert_eq!(t[1..], [["首套房", "25%"], ["二套房", "35%"]]);
        let t = one_table("B类人才补助80万元；C类人才补助50万元；D类人才补助30万元。");
        assert_eq!(t[1..], [["B类人才", "80万元"], ["C类人才", "50万元"], ["D类人才", "30万元"]]);
    }

    /// In a run whose rows do not all share a measure, the longest window of rows that share a `每…` measure is the
    /// table; a noun after a cap (`每个最高补助`) stays in the heading.
    #[test]
    fn rows_sharing_a_per_unit_measure_inside_a_longer_run_are_a_table() {
        let t = one_table(
            "发放标准：甲类每人每年900元，省里每年每人配套10元，到户910元；乙类每人每年700元；丙类每人每年500元。",
        );
        assert_eq!(t, [["类别", "每人每年"], ["乙类", "700元"], ["丙类", "500元"]]);
        let t = one_table("渔业示范场所建设，每个最高补助5万元；渔业示范主体，每个最高补助800元。");
        assert_eq!(t[0][1], "每个最高补助");
    }

    /// A tier list over `；` with a part of one group after `其中` is one table, not the small table of the sentence
    /// holding that part.
    #[test]
    fn a_part_after_qizhong_is_a_row_of_the_whole_list() {
        let t = one_table(
            "房票金额为：B类人才100万元；C类人才80万元，其中具有正高级职称的博士后研究人员90万元；D类人才50万元；E类人才20万元。",
        );
        let groups: Vec<&str> = t[1..].iter().map(|r| r[0].as_str()).collect();
        assert_eq!(groups, ["B类人才", "C类人才", "具有正高级职称的博士后研究人员", "D类人才", "E类人才"]);
    }

    /// A clause ending in `的` before the first row is that row's condition, not a lead to cut: without a group the
    /// rows are no table.
    #[test]
    fn a_condition_before_the_first_row_is_no_lead() {
        assert!(tables("首次购买普通商品住房申请住房公积金贷款或商业贷款的，首付最低比例继续按20%执行，二套房最低继续按30%执行。").is_empty());
    }

    /// Groups written out as lists (`、`, `或`) are groups, however long the list.
    #[test]
    fn listed_groups_make_rows() {
        let t = one_table(
            "全日制博士研究生、高级职称专业技术人员给予5万元安家费；全日制硕士研究生、中级职称专业技术人员、重点高校公费师范毕业生给予2万元安家费；其他院校全日制本科毕业生给予0.5万元安家费。",
        );
        assert_eq!(t.len(), 4, "{t:?}");
        assert_eq!(t[2], ["全日制硕士研究生、中级职称专业技术人员、重点高校公费师范毕业生", "2万元"]);
    }

    /// Price and cost bands as the conditions of tiers: a band clause leads into the next clause's amount
    /// (保靖-like 消费券), or a band opens its own clause (长顺-like 大病 reimbursement).
    #[test]
    fn bands_are_the_conditions_of_their_tiers() {
        let t = one_table(
            "房款20万元（含）至30万元，发放消费券500元，房款30万元（含）至45万元，发放消费券800元，房款45万元（含）以上，发放消费券1200元。",
        );
        assert_eq!(t[0], ["类别", "发放消费券"]);
        assert_eq!(
            t[1..],
            [
                ["房款20万元（含）至30万元", "500元"],
                ["房款30万元（含）至45万元", "800元"],
                ["房款45万元（含）以上", "1200元"]
            ]
        );
        // An amount in another unit before the tiers (a budget) is no row.
        let t = one_table(
            "投入资金300万元，对在本县购买新建商品住房（按备案时间），面积90平方米以上每套发放1000元消费券，面积90平方米以下每套发放500元消费券。",
        );
        assert_eq!(t[1..], [["面积90平方米以上", "1000元"], ["面积90平方米以下", "500元"]]);
        // `对于` opens a condition as `对` does.
        let t = one_table(
            "对于职工月平均工资超过社平工资的企业，工资增长指导线不低于3%；对于职工月平均工资低于社平工资的企业，工资增长指导线不低于6%。",
        );
        assert_eq!(
            t[1..],
            [["职工月平均工资超过社平工资的企业", "不低于3%"], ["职工月平均工资低于社平工资的企业", "不低于6%"]]
        );
        let t = one_table("大病保险补偿标准为：0-3万元按55%报销，3万元-6万元按65%报销，6万元以上按75%报销。");
        assert_eq!(t[1..], [["0-3万元", "55%"], ["3万元-6万元", "65%"], ["6万元以上", "75%"]]);
        assert!(
            is_band("购房款达50万元（含50万元）以上") && is_band("0-3万元") && is_band("年出口额达300万美元及以上的")
        );
        // Items of a list, each a band of a year's figure: `年` before a noun is `annual`.
        let t = one_table(
            "（1）年出口额达600万美元及以上的，按总出口额给予0.02元/美元扶持。\n（2）年出口额达300万美元及以上的，按总出口额给予0.015元/美元扶持。",
        );
        assert_eq!(
            t[1..],
            [["年出口额达600万美元及以上", "0.02元/美元"], ["年出口额达300万美元及以上", "0.015元/美元"]]
        );
        assert!(!is_band("按300元/平方米给予补贴") && !is_band("年营业额达到500万元以上，给予奖励"));
    }

    /// The sentence's lead-in is written once, before the first group: the first row starts where the others do.
    #[test]
    fn the_first_row_starts_where_the_others_do() {
        let t = one_table("由财政按一般疾病60%、重大疾病90%的比例补助。");
        assert_eq!(t[1..], [["一般疾病", "60%"], ["重大疾病", "90%"]]);
        let t = one_table("对引进人才分别给予本科2万元、硕士4万元生活补贴。");
        assert_eq!(t[0], ["类别", "生活补贴"]);
        assert_eq!(t[1..], [["本科", "2万元"], ["硕士", "4万元"]]);
        let t = one_table(
            "自今年5月1日至12月31日在本镇购买100平方米（含）以下新建住房，每套补贴5000元；购买100平方米以上新建住房，每套补贴8000元。",
        );
        assert_eq!(t[0], ["类别", "每套补贴"]);
        assert_eq!(t[1], ["购买100平方米（含）以下新建住房", "5000元"]);
        // A subject written once for both rows stays with the first.
        let t = one_table("其中规模以上工业企业完成工业总产值2596万元，完成工业增加值630万元。");
        assert_eq!(t[1][0], "规模以上工业企业完成工业总产值");
    }

    /// A clause announcing tiers (`分为两档`) ends the run before it: the standard stated before is no tier, and the
    /// announcement is no tier's condition.
    #[test]
    fn announced_tiers_start_their_own_table() {
        let t =
            one_table("城镇护理补贴标准为每人每月300元，护理对象分为两档，甲档为每人每月200元，乙档为每人每月150元。");
        assert_eq!(t[1..], [["甲档", "200元"], ["乙档", "150元"]]);
    }

    /// An attribute stated after every row's value under one name (`资助面`, `增长`) is a second column, not rows.
    #[test]
    fn an_attribute_after_each_value_is_a_column() {
        let t =
            one_table("甲类学校的补助标准为每生每年800元，覆盖面为20%，乙类学校补助标准为每生每年600元，覆盖面为10%。");
        assert_eq!(t[0][1..], ["每生每年", "覆盖面"]);
        assert_eq!(t[1][1..], ["800元", "20%"]);
        assert_eq!(t[2][1..], ["600元", "10%"]);
        let t = one_table("服装类销售额120万元，增长5.5%，食品类销售额90万元，增长3.1%。");
        assert_eq!(t[0][1..], ["数值", "增长"]);
        assert_eq!(t[2][1..], ["90万元", "3.1%"]);
    }

    /// A rate after an amount (`/m2`) stays in its cell; the measure after it (`补助`) heads the column.
    #[test]
    fn rates_stay_with_their_amounts() {
        let t = one_table(
            "迁入1人按照200元/m2补助，迁入2人按照300元/m2补助，迁入3人及以上按照400元/m2补助，每户最高不超过4万元。",
        );
        assert_eq!(t[0], ["类别", "补助"]);
        assert_eq!(t[1..], [["迁入1人", "200元/m2"], ["迁入2人", "300元/m2"], ["迁入3人及以上", "400元/m2"]]);
    }

    /// A change to a new value keeps its verb with the value: the column is what changes.
    #[test]
    fn a_change_goes_with_its_new_value() {
        let t = one_table("首套住房首付比例降低至20%，二套住房首付比例降低至30%。");
        assert_eq!(t[0], ["类别", "住房首付比例"]);
        assert_eq!(t[1..], [["首套", "降低至20%"], ["二套", "降低至30%"]]);
        // An enumeration of amounts inside a condition is no row.
        assert!(
            tables("对甲类人才给予10万元补贴；对乙类人才分别给予博士8万元、硕士5万元补贴。")
                .iter()
                .all(|t| t.iter().all(|r| !r[0].contains("8万元")))
        );
    }

    /// A cap after the tiers bounds them all and is no tier; a basis after `按` heads the values.
    #[test]
    fn a_cap_after_the_tiers_ends_them() {
        let t = one_table("二孩家庭按房款3%给予补贴，三孩家庭按房款5%给予补贴，每户最高不超过20万元。");
        assert_eq!(t[0][1], "按房款补贴");
        assert_eq!(t[1..], [["二孩家庭", "3%"], ["三孩家庭", "5%"]]);
        assert!(caps_the_run("每户最高不超过") && caps_the_run("，最高不超过"));
        assert!(!caps_the_run("年度营业收入最高的企业"));
        // A maximum that a condition introduces is that tier's value.
        let t = one_table("招用3人以下的，每户最高补贴2000元；招用4人以上的，每户最高补贴3000元。");
        assert_eq!(t[1..], [["招用3人以下", "2000元"], ["招用4人以上", "3000元"]]);
    }

    /// Two rates of one sentence that share no measure and whose words are not alike are two rules, not tiers.
    #[test]
    fn unlike_rates_without_a_measure_are_no_table() {
        assert!(
            tables("按起始价的20%确定竞买保证金，出让合同签订后3个月内缴纳土地出让价款的50%，余款1年内缴清。")
                .is_empty()
        );
        // Groups alike in form (`家庭` in both) stay a table under the unnamed heading.
        let t = one_table("3人及以下家庭收入10万元（含）以下，4人及以上家庭年收入13万元（含）以下。");
        assert_eq!(t[0], ["类别", "标准"]);
        assert_eq!(t.len(), 3);
    }

    /// A verb that sets a standard (`调整为`, `定为`) is no part of the group it sets; `认定为` is a condition's own.
    #[test]
    fn a_set_verb_leaves_the_group() {
        let t = one_table("居民用水价格调整为3元/吨，工业用水价格定为5元/吨，洗车用水价格定为9元/吨。");
        assert_eq!(t[0], ["类别", "用水价格"]);
        assert_eq!(t[1..], [["居民", "3元/吨"], ["工业", "5元/吨"], ["洗车", "9元/吨"]]);
        assert_eq!(without_set_verb("首次认定"), "首次认定");
        assert_eq!(without_set_verb("补助标准核定"), "补助标准");
    }

    /// Rates whose words end in their verb are values, not standards: the column says `数值`.
    #[test]
    fn changes_are_headed_as_values() {
        let t = one_table("全年工业增加值增长9.2%，轻工业增加值下降18.4%，重工业增加值增长19.3%。");
        assert_eq!(t[0], ["类别", "数值"]);
        assert_eq!(t[2], ["轻工业增加值下降", "18.4%"]);
    }

    /// Tiers by floor area written as list items (`1.产权面积30m2(含)-60m2(不含),奖励0.5万元;`).
    #[test]
    fn area_bands() {
        let t = one_table(
            "1.产权面积30m2(含)-60m2(不含),奖励0.5万元;\n2.产权面积60m2(含)-90m2(不含),奖励1万元;\n3.产权面积120m2及以上,奖励3万元。\n(二)生育奖励。生育两个孩子的家庭，再给予每套1万元奖励。",
        );
        assert_eq!(t[0], ["类别", "奖励"]);
        assert_eq!(t[1], ["产权面积30m2（含）-60m2（不含）", "0.5万元"]);
    }

    /// A heading that names only a per-unit takes the measure written after every amount.
    #[test]
    fn per_unit_heading_takes_the_measure_after() {
        let t = one_table("C级危房给予每套房屋5000元购房补贴；D级危房给予每套房屋10000元购房补贴。");
        assert_eq!(t[0], ["类别", "每套房屋购房补贴"]);
        assert_eq!(t[1], ["C级危房", "5000元"]);
    }

    #[test]
    fn parallel_groups() {
        let t = tables("其中，新能源乘用车每辆补贴4000元，燃油乘用车每辆补贴3000元。");
        assert_eq!(t, [vec![vec!["类别", "每辆补贴"], vec!["新能源乘用车", "4000元"], vec!["燃油乘用车", "3000元"]]]);
    }

    /// Beside a table, a section tile of one of its values is dropped; the 看板's stays.
    #[test]
    fn a_section_tile_of_a_table_value_gives_way_to_the_table() {
        let n = Norm::new("城市低保对象每人每月补助500元，农村低保对象每人每月补助300元。");
        let (table, range) = found(&n).remove(0);
        let figure = |v: &str| {
            let at = n.text.find(v).unwrap();
            tujie_model::Figure {
                value: v.trim_end_matches('元').into(),
                unit: "元".into(),
                label: "每人每月补助".into(),
                spans: vec![n.span(at..at + v.len())],
            }
        };
        let mut s = tujie_model::Section::new(SectionKind::Standards, "标准");
        s.figures = vec![figure("500元"), figure("300元")];
        let mut content = InfographicContent {
            title: "题".into(),
            subtitle: String::new(),
            source_title: None,
            source_url: None,
            figures: vec![figure("500元")],
            sections: vec![s],
        };
        place(&mut content, vec![Placed { table, range: n.span(range), home: None }], 3, 8);
        assert!(content.sections[0].figures.is_empty());
        assert_eq!(content.sections[0].tables.len(), 1);
        assert_eq!(content.figures.len(), 1);
    }

    /// A page table's cell merged with the one above (written empty) is that cell again, with its span.
    #[test]
    fn a_merged_page_cell_repeats_the_cell_above() {
        let n = Norm::new("类别 | 档次 | 标准\n城市 | 一档 | 500元\n| 二档 | 400元\n农村 | 一档 | 300元");
        let t = &found(&n)[0].0;
        let rows: Vec<Vec<&str>> = t.rows.iter().map(|r| r.iter().map(|c| c.text.as_str()).collect()).collect();
        assert_eq!(rows, [["城市", "一档", "500元"], ["城市", "二档", "400元"], ["农村", "一档", "300元"]]);
        assert_eq!(t.rows[1][0].spans, t.rows[0][0].spans);
        // A table with a paragraph in a cell is none: its other rows alone would be part of it.
        let long = "很长的说明".repeat(10);
        let text = format!("序号 | 类别 | 说明\n1 | 甲类 | 简短\n2 | 乙类 | 简短\n3 | 丙类 | {long}\n4 | 丁类 | 简短");
        let n = Norm::new(&text);
        assert!(found(&n).is_empty());
        // A page's own table is one however many rows it has, up to what a draft holds.
        let text: String = std::iter::once("收费项目 | 收费标准".to_string())
            .chain((1..=15).map(|i| format!("项目{i} | {}元/次", 100 + i)))
            .collect::<Vec<_>>()
            .join("\n");
        let n = Norm::new(&text);
        assert_eq!(found(&n)[0].0.rows.len(), 15);
    }

    /// Income limits by household size (Beijing 公租房 rules of four districts and counties): the bound after each
    /// amount stays in its cell, and a group named by its size is a group.
    #[test]
    fn bounds_stay_with_their_amounts() {
        let t = tables(
            "申请人具有本区城镇户籍，3口及以下家庭年收入10万元（含）以下、4口及以上家庭年收入13万元（含）以下。",
        );
        assert_eq!(t.len(), 1, "{t:?}");
        assert_eq!(t[0][0], ["类别", "家庭年收入"]);
        assert_eq!(t[0][1], ["3口及以下", "10万元（含）以下"]);
        assert_eq!(t[0][2], ["4口及以上", "13万元（含）以下"]);
        let t = tables("三、3口人及以下家庭年收入低于10万元（含）、4口人及以上家庭年收入低于13万元（含）。");
        assert_eq!(t.len(), 1, "{t:?}");
        assert_eq!(t[0][0], ["类别", "家庭年收入"]);
        assert_eq!(t[0][1], ["3口人及以下", "低于10万元（含）"]);
    }

    /// A table inside a list item with a run-in heading is captioned by it, so two items' tables keep their
    /// groups (the 居民医保, 港澳青年 and 长者饭堂 fixtures); a table further into the item is not.
    #[test]
    fn an_item_heading_captions_its_table() {
        let text = "（一）学生：个人缴费标准为每人300元，财政补助标准为每人600元。\n\
                    （二）其他人员：个人缴费标准为每人400元，财政补助标准为每人500元。\n\
                    （三）补贴。本项补贴自明年起执行。新能源乘用车每辆补贴4000元，燃油乘用车每辆补贴3000元。";
        let n = Norm::new(text);
        let lines = n.lines();
        let captions: Vec<String> =
            find(&n, &lines, &crate::facts::collect(&n, &lines)).into_iter().map(|(t, _)| t.caption).collect();
        assert_eq!(captions, ["学生", "其他人员", ""]);
    }

    /// A clause without an amount that sets no condition ends a run instead of becoming the next row's condition.
    #[test]
    fn a_clause_without_amount_ends_the_run() {
        let t = one_table("一星级标识项目不予奖励，二星级标识项目每平方米奖励22.5元，三星级标识项目每平方米奖励40元。");
        assert_eq!(t[1], ["二星级标识项目", "22.5元"]);
        assert_eq!(t[2], ["三星级标识项目", "40元"]);
    }

    /// `标准为` before the first group names the measure of every row: it heads the table (or captions it, when
    /// the rows share a `每…` unit) instead of staying in the first row's group.
    #[test]
    fn a_measure_before_the_first_group_heads_the_table() {
        let t = tables("本市财政奖励标准为二星级标识项目22.5元/平方米，三星级标识项目40元/平方米，奖励标准适时调整。");
        assert_eq!(
            t,
            [vec![
                vec!["类别", "本市财政奖励标准"],
                vec!["二星级标识项目", "22.5元/平方米"],
                vec!["三星级标识项目", "40元/平方米"]
            ]]
        );
        let n = Norm::new("低保标准为城市每人每月1000元，农村每人每月800元。");
        let lines = n.lines();
        let found = find(&n, &lines, &crate::facts::collect(&n, &lines));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0.caption, "低保标准");
        assert_eq!(found[0].0.rows[0][0].text, "城市");
    }

    /// Provisions separated by `；` make one run; a heading may open with 按; age bands are groups (pingtan 医保).
    #[test]
    fn semicolon_provisions_are_one_run() {
        let t = tables(
            "具体划入比例为：（1）40周岁以下（含）的按本人月缴费工资的0.8%划入；（2）41周岁至法定退休年龄的按本人月缴费工资的1.5%划入。",
        );
        assert_eq!(
            t,
            [vec![
                vec!["类别", "按本人月缴费工资"],
                vec!["40周岁以下（含）", "0.8%"],
                vec!["41周岁至法定退休年龄", "1.5%"]
            ]]
        );
    }

    #[test]
    fn tiers_keep_their_conditions() {
        let t = one_table("1.招用3人以下的，按每人2000元给予补贴；\n2.招用4人以上的，按每人3000元给予补贴。");
        assert_eq!(t[0][1], "每人补贴");
        assert_eq!(t[1][0], "招用3人以下");
        assert_eq!(t[2][0], "招用4人以上");
    }

    /// Bands of counts or areas are conditions, also when both ends are written as two clauses; the words of the
    /// sentence before the rows caption the table.
    #[test]
    fn count_bands_head_their_tiers() {
        let t = tables(
            "合作社流转土地的，给予一次性奖励，其中流转50亩（含）以下，给予设备投资额10%的奖补；流转50亩以上，200亩（含）以下，给予设备投资额15%的奖补；流转200亩以上，给予设备投资额20%的奖补。",
        );
        assert_eq!(t.len(), 1, "{t:?}");
        assert_eq!(
            t[0][1..],
            [["流转50亩（含）以下", "10%"], ["流转50亩以上，200亩（含）以下", "15%"], ["流转200亩以上", "20%"]]
        );
        assert_eq!(t[0][0][1], "设备投资额");
        assert!(is_band("购买5套以上") && is_band("10套（含）以下") && is_band("建筑面积90平方米以下"));
        assert!(!is_band("给予10套以上"));
        let n = Norm::new(
            "合作社流转土地的，给予一次性奖励，其中流转50亩（含）以下，给予设备投资额10%的奖补；流转50亩以上，给予设备投资额15%的奖补。",
        );
        let lead = found(&n);
        assert_eq!(lead[0].0.caption, "合作社流转土地的，给予一次性奖励");
        assert!(is_band("第3级月用水量32吨以上（不含32吨）") && is_band("第1级月用水量0-20吨（含20吨）"));
        // The lead ends before `具体为` and the first row's own marker.
        let n = Norm::new(
            "对居民生活用水实行三级阶梯式水价，具体为：（1）第1级月用水量0-20吨（含20吨），价格为2.6元/吨；（2）第2级月用水量20-32吨（含32吨），价格为3.9元/吨。",
        );
        assert_eq!(found(&n)[0].0.caption, "对居民生活用水实行三级阶梯式水价");
        // A lead stating a number of its own is no caption.
        let n = Norm::new("全年出生人口4083人，其中一孩2000人，城镇居民人均收入增长5.1%，农村居民人均收入增长6.2%。");
        assert!(found(&n).iter().all(|(t, _)| t.caption.is_empty()));
        // A period the rows hold in is a caption; the `对` that opens the groups is theirs.
        let n = Norm::new(
            "2024年1月1日-6月30日，对符合生育政策的多孩家庭购买第一套、第二套新建商品住房的，分别给予2万元、3万元购房补贴。",
        );
        assert_eq!(found(&n)[0].0.caption, "2024年1月1日-6月30日");
    }

    /// The old value of a change goes with the new one; the measure lies within the clause of the values.
    #[test]
    fn a_change_keeps_its_old_value_in_the_value_cell() {
        let t = one_table(
            "城市居民的，最低生活保障标准由每人每月600元提高到650元；农村居民的，最低生活保障标准由每人每月450元提高到500元。",
        );
        assert_eq!(t[0][1], "最低生活保障标准");
        assert_eq!(t[1..], [["城市居民", "由每人每月600元提高到650元"], ["农村居民", "由每人每月450元提高到500元"]]);
    }

    /// Two rules of one sentence, each with its own obligation, are no tiers.
    #[test]
    fn rules_are_no_groups() {
        let t = tables("新建项目的保证金可按合同价20%缴纳，合同签订后3个月内必须缴纳合同价款50%的首付款。");
        assert!(t.is_empty(), "{t:?}");
    }

    /// A clause opening with `对` that measures its own amount is a row, not a condition.
    #[test]
    fn a_row_may_open_with_dui() {
        let t = one_table("对年度评定为一等的农家乐奖励2万元，对年度评定为二等的农家乐奖励1万元。");
        assert_eq!(t[1..], [["年度评定为一等", "2万元"], ["年度评定为二等", "1万元"]]);
    }

    /// A condition written in several clauses ends in `的`; a list item holding provisions of its own is no row.
    #[test]
    fn conditions_of_several_clauses_and_items_of_provisions() {
        let t = one_table(
            "（三）属于第二类违法行为，经区市场监管局认定情节严重，作出行政处罚的，给予举报人1000元奖励；经区市场监管局认定情节较轻，责令改正的，给予举报人100元奖励。",
        );
        assert_eq!(
            t[1..],
            [["经区市场监管局认定情节严重，作出行政处罚", "1000元"], ["经区市场监管局认定情节较轻，责令改正", "100元"]]
        );
        let t = tables(
            "（一）举报属实且情节严重的，给予举报人500元奖励；\n（二）举报属实的，给予举报人100元奖励；\n（三）举报属实的，给予举报人50元奖励；属于重复举报的，给予举报人10元奖励。",
        );
        assert!(t.iter().all(|t| t.iter().all(|r| !r[1].contains("10元"))), "{t:?}");
    }

    /// Groups that share their opening words may be longer than a bare group: only what tells them apart must be
    /// short, and it must not be a clause of its own.
    #[test]
    fn parallel_groups_share_their_opening_words() {
        let t = one_table(
            "1.申请人家庭人均住房建筑面积10平方米以下的，每月发放住房租赁补贴500元。\n2.申请人家庭人均住房建筑面积10（含10）--15平方米的，每月发放住房租赁补贴300元。",
        );
        assert_eq!(t[1][0], "申请人家庭人均住房建筑面积10平方米以下");
        assert_eq!(t[2][1], "300元");
        assert!(sized(&["申请人家庭人均住房建筑面积10平方米以下", "申请人家庭人均住房建筑面积10（含10）--15平方米"]));
        assert!(!sized(&["上述产品最终销售价格", "对其中购买一级能效或二级能效产品的，额外再给予产品最终销售价格"]));
        assert!(!sized(&["申请人家庭人均住房建筑面积10平方米以下且无其他住房的申请人家庭成员", "申请人"]));
    }

    #[test]
    fn conditions_ending_in_de_are_tiers() {
        let t = one_table(
            "选择缴费档次100元的，政府补贴标准为每人每年30元，每提高一个缴费档次，政府补贴增加5元，选择1500元至2000元的，政府补贴均为每人每年100元。",
        );
        assert_eq!(t[0], ["条件", "每人每年"]);
        assert_eq!(t[1], ["选择缴费档次100元", "30元"]);
        assert_eq!(t[2], ["选择1500元至2000元", "100元"]);
    }

    #[test]
    fn respectively_with_groups_before() {
        let t = one_table("属于护理等专业的，按本科及以上、专科分别给予5万元、3万元的入职奖补。");
        assert_eq!(t[1], ["本科及以上", "5万元"]);
        assert_eq!(t[2], ["专科", "3万元"]);
    }

    #[test]
    fn respectively_with_groups_after_a_qualifying_verb() {
        let t = tables(
            "对投入金额达50万元（含）-100万元、100万元（含）-200万元、200万元以上的，分别给予5万元、10万元、20万元补助。",
        );
        assert_eq!(t.len(), 1, "{t:?}");
        // The bands are of what the qualifying verb follows.
        assert_eq!(t[0][0], ["投入金额", "补助"]);
        assert_eq!(t[0][1], ["50万元（含）-100万元", "5万元"]);
        assert_eq!(t[0][3], ["200万元以上", "20万元"]);
        let t =
            tables("经有关部门评定为国家级、省级、市级示范基地的本区机构，分别给予每家80万元、30万元、20万元支持。");
        assert_eq!(t.len(), 1, "{t:?}");
        assert_eq!(t[0][1], ["国家级", "80万元"]);
        // The words before 评定为 say who grades, not what the groups are.
        assert_eq!(t[0][0][0], "类别");
        // Bands need no verb: what they measure is written once, before the first.
        let t = tables(
            "即：年度纳税额500万元及以上至1000万元、1000万元以上至3000万元、3000万元以上的，分别按其纳税额的1%、2%和3%给予奖励。",
        );
        assert_eq!(t.len(), 1, "{t:?}");
        assert_eq!(t[0][0][0], "年度纳税额");
        assert_eq!(t[0][1], ["500万元及以上至1000万元", "1%"]);
        assert_eq!(t[0][3], ["3000万元以上", "3%"]);
    }

    #[test]
    fn respectively_heads_its_amounts_with_the_measure_before_it() {
        let t = tables("黄埔区、番禺区、南沙区的农村特困人员基本生活标准每人每月分别为2413元、2512元、2121元。");
        assert_eq!(t.len(), 1, "{t:?}");
        assert_eq!(t[0][0], ["类别", "农村特困人员基本生活标准每人每月"]);
        assert_eq!(t[0][3], ["南沙区", "2121元"]);
        let t =
            tables("黄埔区、番禺区的城镇人员标准为每人每月2094.4元，其农村人员生活标准每人每月分别为2413元、2512元。");
        assert_eq!(t[0][0], ["类别", "农村人员生活标准每人每月"]);
    }

    #[test]
    fn enumerated_items_with_amounts() {
        let t = one_table(
            "区财政按照小学每生每学年5000元（每生每学期2500元）、初中每生每学年6000元（每生每学期3000元）的标准进行学位补贴。",
        );
        assert_eq!(t[0][1], "每生每学年");
        assert_eq!(t[2], ["初中", "6000元"]);
    }

    #[test]
    fn a_table_of_the_page_is_a_table() {
        let t = tables(
            "现将标准公布如下。\n对象 | 标准（元/人/月）\n城市低保对象 | 1200\n农村低保对象 | 1000\n本通知自公布之日起施行。",
        );
        assert_eq!(
            t,
            [vec![vec!["对象", "标准（元/人/月）"], vec!["城市低保对象", "1200"], vec!["农村低保对象", "1000"]]]
        );
        // A header and one row, or rows of different widths, are no table.
        assert!(tables("对象 | 标准\n城市 | 1200元\n说明 | 按月 | 发放").is_empty());
    }

    /// Rows that open with their group as a label (the 物业 award and assessment grades, the photovoltaic kinds of
    /// project): headed by the measure after the amounts, captioned by the heading right before them.
    #[test]
    fn labelled_rows_headed_by_the_measure_after_them() {
        let n = Norm::new(
            "二、团队奖励\n按季度评选，具体标准如下：\n一等奖：给予项目团队0.6万元/季度的奖励。\n\
             二等奖：给予项目团队0.4万元/季度的奖励。\n三、附则",
        );
        let lines = n.lines();
        let found = find(&n, &lines, &crate::facts::collect(&n, &lines));
        assert_eq!(found.len(), 1, "{found:?}");
        let t = &found[0].0;
        assert_eq!(t.caption, "团队奖励");
        assert_eq!(t.header[1].text, "奖励");
        assert_eq!([t.rows[0][0].text.as_str(), t.rows[0][1].text.as_str()], ["一等奖", "0.6万元/季度"]);
        assert_eq!(t.rows[1][0].text, "二等奖");
    }

    /// A label keeps its condition and the shared words before the amounts head them; a later sentence of the
    /// row's line (`其中…`) belongs to the row.
    #[test]
    fn labelled_rows_headed_by_the_shared_measure() {
        let t = tables(
            "1、评定为良好：得分为80分至90分，按照补助基础标准的90%发放。其中排名第一的，按照补助基础标准的110%发放。\n\
             2、评定为合格：得分为60分至80分，按照补助基础标准的70%发放。\n3、评定为不合格：不予补助。",
        );
        assert_eq!(t, [vec![vec!["类别", "按照补助基础标准"], vec!["评定为良好", "90%"], vec!["评定为合格", "70%"]]]);
    }

    /// Rows after an item's own heading are captioned by it and headed by the line that introduces the items.
    #[test]
    fn labelled_rows_headed_by_their_introduction() {
        let n = Norm::new(
            "（三）补助标准如下：\n1、甲类设施：0.3元/千瓦时。\n2、乙类设施。投资主体：0.3元/千瓦时。屋顶业主：0.1元/瓦。",
        );
        let lines = n.lines();
        let found = find(&n, &lines, &crate::facts::collect(&n, &lines));
        assert_eq!(found.len(), 1, "{found:?}");
        let t = &found[0].0;
        assert_eq!((t.caption.as_str(), t.header[1].text.as_str()), ("乙类设施", "补助标准"));
        assert_eq!(t.rows[1][0].text, "屋顶业主");
        assert_eq!(t.rows[1][1].text, "0.1元/瓦");
    }

    /// Fields of a form (`补贴金额：`) are no groups, and rows without anything that says what they measure are no
    /// table.
    #[test]
    fn labelled_fields_and_unheaded_rows_are_no_table() {
        assert!(tables("补贴金额：最高10万元。\n配套资金：最高5万元。").is_empty());
        assert!(tables("甲组：100元。\n乙组：200元。").is_empty());
    }

    #[test]
    fn unrelated_amounts_are_no_table() {
        assert!(tables("开办资金不少于30万元，场地租期不少于3年。").is_empty());
    }

    /// Groups written in brackets after their amounts are rows; the words before the first amount, or the measure
    /// after the last, head the values.
    #[test]
    fn bracketed_groups_are_rows() {
        let t = one_table("符合条件的家庭，按照已缴纳契税的60%（二孩）、90%（三孩）给予补贴。");
        assert_eq!(t[0][1], "补贴");
        assert_eq!(t[1], ["二孩", "60%"]);
        assert_eq!(t[2], ["三孩", "90%"]);
        let t = one_table("发放电子消费券，消费券面额分别为200元（满1000元可用）、500元（满3000元可用）。");
        assert_eq!(t[0][1], "消费券面额");
        assert_eq!(t[2], ["满3000元可用", "500元"]);
    }

    /// A bracket that explains its amount names no group, and the old standards of a change are no table.
    #[test]
    fn asides_and_old_values_are_no_bracketed_rows() {
        assert!(tables("资助标准为3000元（每生每学期1500元）、4000元（每生每学期2000元）。").is_empty());
        assert!(
            tables("补贴标准由0.2元/千瓦时（工业用户）、0.3元/千瓦时（居民用户），统一调整至0.4元/千瓦时。").is_empty()
        );
    }

    /// Who pays, written between a condition and its amount, is not part of the condition.
    #[test]
    fn the_payer_is_no_part_of_a_condition() {
        let t =
            one_table("购买100平方米以下住房的，县财政每套补贴5000元；购买100平方米以上住房的，县财政每套补贴8000元。");
        assert_eq!(t[1][0], "购买100平方米以下住房");
        assert_eq!(t[2][0], "购买100平方米以上住房");
        assert_eq!(payer_cut("新发展的基地，一次性奖励企业"), "新发展的基地，一次性奖励企业".len());
    }

    /// Spending thresholds of vouchers are a table, also across a sentence and without `元` on each number.
    #[test]
    fn voucher_thresholds_are_a_table() {
        let t = one_table(
            "满200元及以上可使用60元券1张，仅限超市使用。消费满120元及以上可使用30元券1张，满60元及以上可使用15元券1张。",
        );
        assert_eq!(t[0], ["使用门槛", "券面额"]);
        assert_eq!(t[1], ["满200元及以上", "60元"]);
        assert_eq!(t[3], ["满60元及以上", "15元"]);
        let t = one_table("每户发放消费券（含“满200减80元券”10张、“满600减300元券”5张）。");
        assert_eq!(t[1], ["满200", "80元"]);
        assert_eq!(t[2], ["满600", "300元"]);
    }

    /// Tiers whose cells are separated by other amounts (a flattened table) or whose voucher is not below its
    /// threshold are no voucher table.
    #[test]
    fn no_voucher_table_without_plain_tiers() {
        assert!(tables("满300元减90元12.5万元满150元减40元6.8万元").is_empty());
        assert!(tables("满50减50元、满80减100元").is_empty());
    }

    /// Groups of a 分别 sentence may carry an age and a bracket; a long qualifier before the first ends in `的` and
    /// is no part of it, and a preposition after the last opens what all the groups do.
    #[test]
    fn respectively_groups_with_qualifiers() {
        let t = one_table(
            "符合本县人才引进办法规定来本县就业并缴纳社会保险6个月以上的博士研究生、40岁以下全日制硕士研究生（高级技师）、35岁以下全日制本科生（技师），在本县购买首套住房的，分别给予20万元、10万元、5万元的购房补贴。",
        );
        assert_eq!(t[1], ["博士研究生", "20万元"]);
        assert_eq!(t[2], ["40岁以下全日制硕士研究生（高级技师）", "10万元"]);
        let t = one_table("对硕士、博士研究生在本区购买新建商品住房的，分别给予10000元、20000元购房补贴。");
        assert_eq!(t[2], ["博士研究生", "20000元"]);
    }

    /// A group written with a colon before its measure (`80-89周岁老年人：每人每月60元`) is a row without the colon,
    /// and a first row opening with `具体如下` starts after it.
    #[test]
    fn groups_before_a_colon_are_rows() {
        let t = one_table(
            "津贴分为三档，具体如下70-79周岁老人：每人每月50元，80-89周岁老人：每人每月100元，90周岁及以上老人：每人每月300元。",
        );
        assert_eq!(t[0][1], "每人每月");
        assert_eq!(t[1], ["70-79周岁老人", "50元"]);
        assert_eq!(t[3], ["90周岁及以上老人", "300元"]);
    }

    /// The last tier written after a full stop is still a row of the table; a sentence of several clauses is not.
    #[test]
    fn a_last_tier_after_a_full_stop_is_a_row() {
        let t = one_table("发放标准为：70-79岁每人每月30元，80-89岁每人每月60元。90岁以上（含90岁）每人每月300元。");
        assert_eq!(t.len(), 4, "{t:?}");
        assert_eq!(t[3], ["90岁以上（含90岁）", "300元"]);
        let t = one_table(
            "发放标准为：70-79岁每人每月30元，80-89岁每人每月60元。津贴按月发放，每人每月300元以内据实核算。",
        );
        assert_eq!(t.len(), 3, "{t:?}");
    }
}

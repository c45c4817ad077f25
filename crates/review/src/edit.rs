//! Editing a draft's content: addressing its items, applying an editor's changes, and the faithfulness check.
//!
//! Editors change what items say, remove items and reorder them; they cannot add items or change spans, so
//! every item keeps pointing at the source it came from and the 原文出处 beside it stays true. A changed text that
//! brings in a number, date or 文号 the source does not contain is refused ([`ReviewError::Unfaithful`]), so the
//! invariant "nothing in a draft is invented" survives editing.
//!
//! Items are addressed by ids that follow the content's structure: `title`, `h{i}` (headline figure),
//! `s{i}.heading`, and `s{i}.b{j}` / `.f{j}` / `.p{j}` / `.d{j}` for bullet, figure, step and date `j` of section
//! `i`. Pages and the API use the same ids.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use tujie_model::{InfographicContent, Span};
use tujie_text::faithful::{figure_defects, unsupported_tokens};

use crate::error::ReviewError;

/// An editor's changes to one draft revision.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftEdit {
    /// The revision the editor saw; a save based on an older one is refused as stale.
    pub base_revision: i64,
    /// Recorded in the audit log with the edit.
    #[serde(default)]
    pub note: Option<String>,
    /// Only the items mentioned change.
    #[serde(default)]
    pub items: Vec<ItemEdit>,
}

/// Changes to one item; fields left out keep their value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemEdit {
    pub id: String,
    /// Title, heading, bullet or step text.
    #[serde(default)]
    pub text: Option<String>,
    /// Figure value, e.g. `3600`.
    #[serde(default)]
    pub value: Option<String>,
    /// Figure unit, e.g. `元/年`.
    #[serde(default)]
    pub unit: Option<String>,
    /// Figure or date label.
    #[serde(default)]
    pub label: Option<String>,
    /// Date text, e.g. `2025年12月31日`.
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub remove: bool,
    /// New 1-based position in its list; the item takes it and the others move down.
    #[serde(default)]
    pub order: Option<u32>,
}

/// What kind of thing an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Title,
    Heading,
    Figure,
    Bullet,
    Step,
    Date,
}

impl ItemKind {
    pub fn label(self) -> &'static str {
        match self {
            ItemKind::Title => "标题",
            ItemKind::Heading => "小标题",
            ItemKind::Figure => "数字",
            ItemKind::Bullet => "要点",
            ItemKind::Step => "步骤",
            ItemKind::Date => "时间",
        }
    }

    /// The editable fields, in display order.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            ItemKind::Title | ItemKind::Heading | ItemKind::Bullet | ItemKind::Step => &["text"],
            ItemKind::Figure => &["value", "unit", "label"],
            ItemKind::Date => &["date", "label"],
        }
    }

    /// Only list items can be removed and reordered.
    fn is_list_item(self) -> bool {
        !matches!(self, ItemKind::Title | ItemKind::Heading)
    }
}

/// Chinese name of a field for forms and messages.
pub fn field_label(field: &str) -> &'static str {
    match field {
        "value" => "数值",
        "unit" => "单位",
        "label" => "说明",
        "date" => "日期",
        _ => "文字",
    }
}

/// Where an item lives in the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Addr {
    Title,
    Headline(usize),
    Heading(usize),
    Item { section: usize, kind: ItemKind, index: usize },
}

/// Which list an item belongs to, for removal and ordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum ListKey {
    Headline,
    Section(usize, ItemKind),
}

impl Addr {
    fn parse(id: &str) -> Option<Addr> {
        if id == "title" {
            return Some(Addr::Title);
        }
        if let Some(i) = id.strip_prefix('h') {
            return i.parse().ok().map(Addr::Headline);
        }
        let (section, item) = id.strip_prefix('s')?.split_once('.')?;
        let section: usize = section.parse().ok()?;
        if item == "heading" {
            return Some(Addr::Heading(section));
        }
        let kind = match item.chars().next()? {
            'b' => ItemKind::Bullet,
            'f' => ItemKind::Figure,
            'p' => ItemKind::Step,
            'd' => ItemKind::Date,
            _ => return None,
        };
        Some(Addr::Item { section, kind, index: item[1..].parse().ok()? })
    }

    fn id(self) -> String {
        match self {
            Addr::Title => "title".into(),
            Addr::Headline(i) => format!("h{i}"),
            Addr::Heading(s) => format!("s{s}.heading"),
            Addr::Item { section, kind, index } => {
                let letter = match kind {
                    ItemKind::Bullet => 'b',
                    ItemKind::Figure => 'f',
                    ItemKind::Step => 'p',
                    _ => 'd',
                };
                format!("s{section}.{letter}{index}")
            }
        }
    }

    fn kind(self) -> ItemKind {
        match self {
            Addr::Title => ItemKind::Title,
            Addr::Headline(_) => ItemKind::Figure,
            Addr::Heading(_) => ItemKind::Heading,
            Addr::Item { kind, .. } => kind,
        }
    }

    fn list(self) -> Option<(ListKey, usize)> {
        match self {
            Addr::Headline(i) => Some((ListKey::Headline, i)),
            Addr::Item { section, kind, index } => Some((ListKey::Section(section, kind), index)),
            Addr::Title | Addr::Heading(_) => None,
        }
    }

    /// The field's text, or `None` when the item or field does not exist.
    fn get(self, c: &InfographicContent, field: &str) -> Option<String> {
        let figure = |f: &tujie_model::Figure| match field {
            "value" => Some(f.value.clone()),
            "unit" => Some(f.unit.clone()),
            "label" => Some(f.label.clone()),
            _ => None,
        };
        match self {
            Addr::Title => (field == "text").then(|| c.title.clone()),
            Addr::Headline(i) => c.figures.get(i).and_then(figure),
            Addr::Heading(s) => c.sections.get(s).filter(|_| field == "text").map(|s| s.heading.clone()),
            Addr::Item { section, kind, index } => {
                let s = c.sections.get(section)?;
                match kind {
                    ItemKind::Bullet => s.bullets.get(index).filter(|_| field == "text").map(|b| b.text.clone()),
                    ItemKind::Step => s.steps.get(index).filter(|_| field == "text").map(|b| b.text.clone()),
                    ItemKind::Figure => s.figures.get(index).and_then(figure),
                    ItemKind::Date => s.dates.get(index).and_then(|d| match field {
                        "date" => Some(d.date.clone()),
                        "label" => Some(d.label.clone()),
                        _ => None,
                    }),
                    ItemKind::Title | ItemKind::Heading => None,
                }
            }
        }
    }

    /// Sets a field that [`Addr::get`] found.
    fn set(self, c: &mut InfographicContent, field: &str, text: String) {
        let figure = |f: &mut tujie_model::Figure| match field {
            "value" => f.value = text.clone(),
            "unit" => f.unit = text.clone(),
            _ => f.label = text.clone(),
        };
        match self {
            Addr::Title => c.title = text,
            Addr::Headline(i) => figure(&mut c.figures[i]),
            Addr::Heading(s) => c.sections[s].heading = text,
            Addr::Item { section, kind, index } => {
                let s = &mut c.sections[section];
                match kind {
                    ItemKind::Bullet => s.bullets[index].text = text,
                    ItemKind::Step => s.steps[index].text = text,
                    ItemKind::Figure => figure(&mut s.figures[index]),
                    ItemKind::Date if field == "date" => s.dates[index].date = text,
                    ItemKind::Date => s.dates[index].label = text,
                    ItemKind::Title | ItemKind::Heading => {}
                }
            }
        }
    }

    fn spans(self, c: &InfographicContent) -> &[Span] {
        match self {
            Addr::Title | Addr::Heading(_) => &[],
            Addr::Headline(i) => &c.figures[i].spans,
            Addr::Item { section, kind, index } => {
                let s = &c.sections[section];
                match kind {
                    ItemKind::Bullet => &s.bullets[index].spans,
                    ItemKind::Step => &s.steps[index].spans,
                    ItemKind::Figure => &s.figures[index].spans,
                    _ => &s.dates[index].spans,
                }
            }
        }
    }

    /// `第2节「补贴标准」第3条要点`, for messages.
    fn describe(self, c: &InfographicContent) -> String {
        let section = |s: usize| format!("第{}节「{}」", s + 1, c.sections.get(s).map_or("", |x| x.heading.as_str()));
        match self {
            Addr::Title => "标题".into(),
            Addr::Headline(i) => format!("顶部第{}个数字", i + 1),
            Addr::Heading(s) => format!("{}的小标题", section(s)),
            Addr::Item { section: s, kind, index } => format!("{}第{}条{}", section(s), index + 1, kind.label()),
        }
    }
}

/// Extra text the title may draw on besides the body: the policy's title, 文号 and issuer.
#[derive(Debug, Clone, Copy, Default)]
pub struct PolicyText<'a> {
    pub title: &'a str,
    pub doc_number: Option<&'a str>,
    pub issuer: Option<&'a str>,
}

/// Applies `edit` to `content`. Changed texts are checked against `source` (the title also against the policy's
/// metadata); empty texts, unknown ids or fields, and removing everything are refused.
pub fn apply_edit(
    content: &InfographicContent,
    edit: &DraftEdit,
    source: &str,
    policy: PolicyText<'_>,
) -> Result<InfographicContent, ReviewError> {
    let mut out = content.clone();
    let mut seen = HashSet::new();
    // Per list: original index → (removed, explicit position).
    let mut moves: HashMap<ListKey, HashMap<usize, (bool, Option<u32>)>> = HashMap::new();
    let title_source =
        format!("{source}\n{}\n{}\n{}", policy.title, policy.doc_number.unwrap_or(""), policy.issuer.unwrap_or(""));
    for item in &edit.items {
        if !seen.insert(item.id.as_str()) {
            return Err(ReviewError::BadRequest(format!("条目 `{}` 出现了两次", item.id)));
        }
        let addr = Addr::parse(&item.id)
            .filter(|a| a.get(content, a.kind().fields()[0]).is_some())
            .ok_or_else(|| ReviewError::BadRequest(format!("草稿中没有条目 `{}`", item.id)))?;
        let kind = addr.kind();
        let given = [
            ("text", &item.text),
            ("value", &item.value),
            ("unit", &item.unit),
            ("label", &item.label),
            ("date", &item.date),
        ];
        for (field, new) in given {
            let Some(new) = new else { continue };
            if !kind.fields().contains(&field) {
                return Err(ReviewError::BadRequest(format!(
                    "条目 `{}`（{}）没有字段 `{field}`，可改的字段：{}",
                    item.id,
                    kind.label(),
                    kind.fields().join("、")
                )));
            }
            let new = new.trim();
            let old = addr.get(content, field).unwrap_or_default();
            if new == old || item.remove {
                continue;
            }
            let what = format!("{}的{}", addr.describe(content), field_label(field));
            if new.is_empty() && field != "unit" {
                return Err(ReviewError::Unprocessable(format!("{what}不能为空；要删除这一条，请勾选「删除」")));
            }
            let against = if kind == ItemKind::Title { title_source.as_str() } else { source };
            let tokens = unsupported_tokens(new, against);
            if !tokens.is_empty() {
                return Err(ReviewError::Unfaithful { field: what, input: format!("{}.{field}", item.id), tokens });
            }
            if field == "label" {
                check_label(new, item.unit.as_deref().or(addr.get(content, "unit").as_deref()).unwrap_or(""), &what)?;
            }
            addr.set(&mut out, field, new.to_owned());
        }
        if item.remove || item.order.is_some() {
            let Some((list, index)) = addr.list().filter(|_| kind.is_list_item()) else {
                return Err(ReviewError::BadRequest(format!("{}不能删除或移动", addr.describe(content))));
            };
            moves.entry(list).or_default().insert(index, (item.remove, item.order));
        }
    }
    for (list, changes) in moves {
        match list {
            ListKey::Headline => reorder(&mut out.figures, &changes),
            ListKey::Section(s, kind) => {
                let section = &mut out.sections[s];
                match kind {
                    ItemKind::Bullet => reorder(&mut section.bullets, &changes),
                    ItemKind::Figure => reorder(&mut section.figures, &changes),
                    ItemKind::Step => reorder(&mut section.steps, &changes),
                    _ => reorder(&mut section.dates, &changes),
                }
            }
        }
    }
    // A section whose items were all removed would draw as a bare heading.
    out.sections
        .retain(|s| !(s.bullets.is_empty() && s.figures.is_empty() && s.steps.is_empty() && s.dates.is_empty()));
    if out.sections.is_empty() && out.figures.is_empty() {
        return Err(ReviewError::Unprocessable("不能删除草稿的全部内容；不需要这份草稿时请选择「退回」".into()));
    }
    Ok(out)
}

/// A figure label an editor writes goes through the extractor's own meaning check ([`figure_defects`]): a tile
/// whose label is a fragment (`申请最高不超过`, `内完成`) misleads however faithful its digits are.
fn check_label(label: &str, unit: &str, what: &str) -> Result<(), ReviewError> {
    let defects = figure_defects(label, unit);
    if defects.is_empty() {
        return Ok(());
    }
    Err(ReviewError::Unprocessable(format!("{what}「{label}」说不清数字是什么：{}", defects.join("；"))))
}

/// Drops removed items and moves items to their explicit positions; an item given a position goes before one
/// that merely has it already, and ties keep the original order.
fn reorder<T>(items: &mut Vec<T>, changes: &HashMap<usize, (bool, Option<u32>)>) {
    let mut keyed: Vec<((u64, bool, usize), T)> = std::mem::take(items)
        .into_iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let (removed, order) = changes.get(&i).copied().unwrap_or((false, None));
            let position = order.map_or(i as u64 + 1, u64::from);
            (!removed).then_some(((position, order.is_none(), i), item))
        })
        .collect();
    keyed.sort_by_key(|(key, _)| *key);
    items.extend(keyed.into_iter().map(|(_, item)| item));
}

/// A piece of the source an item came from, with a little context on each side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Excerpt {
    pub span: Span,
    pub before: String,
    /// `None` when the span does not fit the source text (stored data is inconsistent).
    pub text: Option<String>,
    pub after: String,
}

/// One editable item as pages and the API show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemView {
    pub id: String,
    pub kind: ItemKind,
    /// `(field, value)` in display order.
    pub fields: Vec<(String, String)>,
    /// 1-based position in its list.
    pub position: usize,
    pub sources: Vec<Excerpt>,
}

/// A section with its heading and items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionView {
    pub heading: ItemView,
    pub items: Vec<ItemView>,
}

/// The content of a draft as a list of addressable items with their source excerpts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContentView {
    pub title: ItemView,
    pub figures: Vec<ItemView>,
    pub sections: Vec<SectionView>,
}

/// Characters of context shown on each side of an excerpt.
const CONTEXT_CHARS: usize = 24;

pub(crate) fn excerpt(source: &str, span: Span) -> Excerpt {
    let Some(text) = span.slice(source) else {
        return Excerpt { span, before: String::new(), text: None, after: String::new() };
    };
    let head = &source[..span.start];
    let line_start = head.rfind('\n').map_or(0, |i| i + 1);
    let mut before: Vec<char> = head[line_start..].chars().rev().take(CONTEXT_CHARS).collect();
    before.reverse();
    let tail = &source[span.end..];
    let after = tail[..tail.find('\n').unwrap_or(tail.len())].chars().take(CONTEXT_CHARS).collect();
    Excerpt { span, before: before.into_iter().collect(), text: Some(text.to_owned()), after }
}

fn view(c: &InfographicContent, source: &str, addr: Addr, position: usize) -> ItemView {
    let kind = addr.kind();
    ItemView {
        id: addr.id(),
        kind,
        fields: kind.fields().iter().map(|f| ((*f).to_owned(), addr.get(c, f).unwrap_or_default())).collect(),
        position,
        sources: addr.spans(c).iter().map(|s| excerpt(source, *s)).collect(),
    }
}

/// Every item of `c` with its id and source excerpts.
pub fn content_view(c: &InfographicContent, source: &str) -> ContentView {
    let sections = c
        .sections
        .iter()
        .enumerate()
        .map(|(s, sec)| {
            let lists = [
                (ItemKind::Figure, sec.figures.len()),
                (ItemKind::Bullet, sec.bullets.len()),
                (ItemKind::Step, sec.steps.len()),
                (ItemKind::Date, sec.dates.len()),
            ];
            let items = lists
                .into_iter()
                .flat_map(|(kind, n)| {
                    (0..n).map(move |index| view(c, source, Addr::Item { section: s, kind, index }, index + 1))
                })
                .collect();
            SectionView { heading: view(c, source, Addr::Heading(s), 1), items }
        })
        .collect();
    ContentView {
        title: view(c, source, Addr::Title, 1),
        figures: (0..c.figures.len()).map(|i| view(c, source, Addr::Headline(i), i + 1)).collect(),
        sections,
    }
}

#[cfg(test)]
mod tests {
    use tujie_model::{Bullet, Figure, Section, SectionKind};

    use super::*;

    const SOURCE: &str =
        "一、补贴对象\n本县户籍年满80周岁的老年人。\n二、补贴标准\n每人每月100元。\n三、申请\n向村（社区）提出申请。";

    fn span_of(s: &str) -> Span {
        let at = SOURCE.find(s).unwrap();
        Span::new(at, at + s.len())
    }

    fn bullet(s: &str) -> Bullet {
        Bullet { text: s.into(), spans: vec![span_of(s)] }
    }

    fn content() -> InfographicContent {
        InfographicContent {
            title: "养老服务补贴".into(),
            subtitle: String::new(),
            source_title: None,
            source_url: None,
            figures: vec![Figure {
                value: "100".into(),
                unit: "元".into(),
                label: "每人每月".into(),
                spans: vec![span_of("每人每月100元")],
            }],
            sections: vec![
                Section {
                    kind: SectionKind::Eligibility,
                    heading: "补贴对象".into(),
                    bullets: vec![bullet("本县户籍年满80周岁的老年人"), bullet("补贴对象")],
                    figures: vec![],
                    steps: vec![],
                    dates: vec![],
                    tables: Vec::new(),
                },
                Section {
                    kind: SectionKind::HowToApply,
                    heading: "申请".into(),
                    bullets: vec![bullet("向村（社区）提出申请")],
                    figures: vec![],
                    steps: vec![],
                    dates: vec![],
                    tables: Vec::new(),
                },
            ],
        }
    }

    fn edit(items: Vec<ItemEdit>) -> DraftEdit {
        DraftEdit { base_revision: 1, note: None, items }
    }

    fn text(id: &str, t: &str) -> ItemEdit {
        ItemEdit { id: id.into(), text: Some(t.into()), ..Default::default() }
    }

    #[test]
    fn changed_text_keeps_its_spans() {
        let c = content();
        let out = apply_edit(&c, &edit(vec![text("s0.b0", "年满80周岁的本县户籍老人")]), SOURCE, PolicyText::default())
            .unwrap();
        assert_eq!(out.sections[0].bullets[0].text, "年满80周岁的本县户籍老人");
        assert_eq!(out.sections[0].bullets[0].spans, c.sections[0].bullets[0].spans);
    }

    #[test]
    fn an_invented_number_is_refused_and_named() {
        let err =
            apply_edit(&content(), &edit(vec![text("s0.b0", "年满70周岁的老年人")]), SOURCE, PolicyText::default())
                .unwrap_err();
        let ReviewError::Unfaithful { tokens, field, input } = &err else { panic!("{err:?}") };
        assert_eq!(input, "s0.b0.text");
        assert_eq!(tokens, &["70"]);
        assert!(field.contains("第1节「补贴对象」第1条要点"), "{field}");
        assert!(err.to_string().contains("70"));
        let figure = ItemEdit { id: "h0".into(), value: Some("200".into()), ..Default::default() };
        assert!(matches!(
            apply_edit(&content(), &edit(vec![figure]), SOURCE, PolicyText::default()),
            Err(ReviewError::Unfaithful { .. })
        ));
    }

    #[test]
    fn a_figure_label_that_is_a_fragment_is_refused() {
        let label = |l: &str| ItemEdit { id: "h0".into(), label: Some(l.into()), ..Default::default() };
        let err =
            apply_edit(&content(), &edit(vec![label("申请最高不超过")]), SOURCE, PolicyText::default()).unwrap_err();
        assert!(matches!(err, ReviewError::Unprocessable(_)), "{err:?}");
        assert!(err.to_string().contains("说不清数字是什么"), "{err}");
        let out = apply_edit(&content(), &edit(vec![label("养老服务补贴每人每月")]), SOURCE, PolicyText::default());
        assert_eq!(out.unwrap().figures[0].label, "养老服务补贴每人每月");
    }

    #[test]
    fn the_title_may_use_the_policy_metadata() {
        let policy = PolicyText {
            title: "某县养老服务补贴办法", doc_number: Some("某政发〔2024〕7号"), issuer: None
        };
        let out =
            apply_edit(&content(), &edit(vec![text("title", "某政发〔2024〕7号 一图读懂")]), SOURCE, policy).unwrap();
        assert_eq!(out.title, "某政发〔2024〕7号 一图读懂");
        let err = apply_edit(&content(), &edit(vec![text("s0.b0", "某政发〔2024〕7号")]), SOURCE, policy).unwrap_err();
        assert!(matches!(err, ReviewError::Unfaithful { .. }), "items must come from the body");
    }

    #[test]
    fn remove_and_reorder() {
        let c = content();
        let moved = ItemEdit { id: "s0.b1".into(), order: Some(1), ..Default::default() };
        let out = apply_edit(&c, &edit(vec![moved]), SOURCE, PolicyText::default()).unwrap();
        let texts: Vec<&str> = out.sections[0].bullets.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["补贴对象", "本县户籍年满80周岁的老年人"]);

        let gone = ItemEdit { id: "s1.b0".into(), remove: true, text: Some("任意90".into()), ..Default::default() };
        let out = apply_edit(&c, &edit(vec![gone]), SOURCE, PolicyText::default()).unwrap();
        assert_eq!(out.sections.len(), 1, "a section left empty is dropped; the removed text is not checked");

        let all: Vec<ItemEdit> = ["s0.b0", "s0.b1", "s1.b0", "h0"]
            .iter()
            .map(|id| ItemEdit { id: (*id).into(), remove: true, ..Default::default() })
            .collect();
        assert!(matches!(
            apply_edit(&c, &edit(all), SOURCE, PolicyText::default()),
            Err(ReviewError::Unprocessable(_))
        ));
    }

    #[test]
    fn bad_requests_name_the_problem() {
        let c = content();
        let cases = [
            (vec![text("s9.b0", "x")], "s9.b0"),
            (vec![text("s0.b7", "x")], "s0.b7"),
            (vec![text("nonsense", "x")], "nonsense"),
            (vec![ItemEdit { id: "s0.b0".into(), value: Some("1".into()), ..Default::default() }], "value"),
            (vec![ItemEdit { id: "title".into(), remove: true, ..Default::default() }], "标题"),
            (vec![text("s0.b0", "x"), text("s0.b0", "y")], "两次"),
        ];
        for (items, needle) in cases {
            let err = apply_edit(&c, &edit(items), SOURCE, PolicyText::default()).unwrap_err();
            assert!(matches!(err, ReviewError::BadRequest(_)), "{err:?}");
            assert!(err.to_string().contains(needle), "{err} should name {needle}");
        }
        let empty = apply_edit(&c, &edit(vec![text("s0.b0", "  ")]), SOURCE, PolicyText::default()).unwrap_err();
        assert!(matches!(empty, ReviewError::Unprocessable(_)), "{empty:?}");
    }

    #[test]
    fn views_address_every_item_and_show_its_source() {
        let c = content();
        let v = content_view(&c, SOURCE);
        assert_eq!(v.figures[0].id, "h0");
        assert_eq!(v.sections[0].heading.id, "s0.heading");
        let ids: Vec<&str> = v.sections[0].items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["s0.b0", "s0.b1"]);
        let ex = &v.sections[0].items[0].sources[0];
        assert_eq!(ex.text.as_deref(), Some("本县户籍年满80周岁的老年人"));
        assert_eq!(ex.after, "。", "context stops at the end of the line");
        assert_eq!(ex.before, "");
        // Every id a view shows can be edited.
        for item in v.sections.iter().flat_map(|s| &s.items) {
            assert!(Addr::parse(&item.id).is_some_and(|a| a.id() == item.id));
        }
        let broken = excerpt(SOURCE, Span::new(0, SOURCE.len() + 5));
        assert_eq!(broken.text, None);
    }
}

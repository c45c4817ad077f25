//! Infographic content: what a 图解 draft says, item by item, each item tied to the source text it came from.
//!
//! The text crate produces it, editors edit it (as JSON), the render crate lays it out. Because every bullet,
//! figure, step and date carries [`Span`]s into the source text, an editor can check any line of a draft
//! against the policy in seconds, and a test can prove that nothing in a draft was invented.

use serde::{Deserialize, Serialize};

/// A byte range `[start, end)` into the document's source text (UTF-8): `body_text` as given, or the text the
/// text crate derived from `body_html`. Both ends fall on character boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// The spanned text, or `None` if the span does not fit `source`.
    pub fn slice<'a>(&self, source: &'a str) -> Option<&'a str> {
        source.get(self.start..self.end)
    }
}

/// The elements official guidance expects an interpretation to cover; a draft's sections are typed by them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// 出台背景 / 依据.
    Background,
    /// 目标.
    Goals,
    /// 主要内容 / 重点任务.
    MainContent,
    /// 适用对象 / 范围 / 条件.
    Eligibility,
    /// 标准 (amounts, rates).
    Standards,
    /// 办事指引 (how to apply, materials, where).
    HowToApply,
    /// 期限 / 时间安排.
    Timeline,
    /// 保障措施 / 组织实施.
    Safeguards,
    /// 联系方式.
    Contact,
}

impl SectionKind {
    /// The heading a draft shows when the source has none of its own.
    pub fn default_heading(self) -> &'static str {
        match self {
            SectionKind::Background => "出台背景",
            SectionKind::Goals => "主要目标",
            SectionKind::MainContent => "主要内容",
            SectionKind::Eligibility => "适用对象",
            SectionKind::Standards => "标准",
            SectionKind::HowToApply => "办事指引",
            SectionKind::Timeline => "时间安排",
            SectionKind::Safeguards => "保障措施",
            SectionKind::Contact => "联系方式",
        }
    }
}

/// One short line of text in a section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bullet {
    pub text: String,
    #[serde(default)]
    pub spans: Vec<Span>,
}

/// A key figure for the 数字看板: `3600` `元/年` labelled `每孩补贴`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub value: String,
    #[serde(default)]
    pub unit: String,
    pub label: String,
    #[serde(default)]
    pub spans: Vec<Span>,
}

/// One step of a procedure, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub text: String,
    #[serde(default)]
    pub spans: Vec<Span>,
}

/// A date or deadline for the 时间轴, written as in the source (`2025年12月31日`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateItem {
    pub date: String,
    pub label: String,
    #[serde(default)]
    pub spans: Vec<Span>,
}

/// One cell of a [`Table`]: text taken from the source, with its spans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    pub text: String,
    #[serde(default)]
    pub spans: Vec<Span>,
}

impl Cell {
    pub fn new(text: impl Into<String>, spans: Vec<Span>) -> Self {
        Self { text: text.into(), spans }
    }
}

/// A 表格: tiers (价格区间 → 补贴), per-group standards (城市/农村 → 元/人/月) or a schedule. Every row has as many
/// cells as the header; the first column names the condition or group, the others what applies to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// What the table is about (`补贴标准`); may be empty.
    #[serde(default)]
    pub caption: String,
    pub header: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// Every cell's text, header first, row by row.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.caption.as_str())
            .chain(self.header.iter().map(|c| c.text.as_str()))
            .chain(self.rows.iter().flatten().map(|c| c.text.as_str()))
    }
}

/// One section of a draft. Its layout follows from what it holds: steps become a 流程图, figures a 数字看板,
/// dates a 时间轴, tables a 表格, bullets a list; a section may hold several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub kind: SectionKind,
    pub heading: String,
    #[serde(default)]
    pub bullets: Vec<Bullet>,
    #[serde(default)]
    pub figures: Vec<Figure>,
    #[serde(default)]
    pub steps: Vec<Step>,
    #[serde(default)]
    pub dates: Vec<DateItem>,
    #[serde(default)]
    pub tables: Vec<Table>,
}

impl Section {
    /// An empty section of `kind` under `heading`.
    pub fn new(kind: SectionKind, heading: impl Into<String>) -> Self {
        Self {
            kind,
            heading: heading.into(),
            bullets: Vec::new(),
            figures: Vec::new(),
            steps: Vec::new(),
            dates: Vec::new(),
            tables: Vec::new(),
        }
    }
}

/// Everything a draft shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InfographicContent {
    pub title: String,
    /// `文号 · issuer date` (`某政办〔2025〕12号 · 某县人民政府办公室 2025年2月18日`), leaving out what is unknown.
    #[serde(default)]
    pub subtitle: String,
    #[serde(default)]
    pub source_title: Option<String>,
    #[serde(default)]
    pub source_url: Option<String>,
    /// Headline figures shown near the top (数字看板); may repeat figures from sections.
    #[serde(default)]
    pub figures: Vec<Figure>,
    pub sections: Vec<Section>,
}

impl InfographicContent {
    /// Every piece of text the draft shows, in reading order; used for glyph checks and fact coverage.
    pub fn texts(&self) -> Vec<&str> {
        let mut out = vec![self.title.as_str(), self.subtitle.as_str()];
        for f in &self.figures {
            out.extend([f.value.as_str(), f.unit.as_str(), f.label.as_str()]);
        }
        for s in &self.sections {
            out.push(&s.heading);
            out.extend(s.bullets.iter().map(|b| b.text.as_str()));
            for f in &s.figures {
                out.extend([f.value.as_str(), f.unit.as_str(), f.label.as_str()]);
            }
            out.extend(s.steps.iter().map(|st| st.text.as_str()));
            for d in &s.dates {
                out.extend([d.date.as_str(), d.label.as_str()]);
            }
            for t in &s.tables {
                out.extend(t.texts());
            }
        }
        out
    }
}

//! Column freshness: per site and column, the last publication up to a day, and whether the column is stale or
//! blank (空白栏目) by the national website checks' rules.
//!
//! The columns judged are the expected ones of `[report] sites`, plus every 政务新媒体 account seen in events
//! (an account is tracked whole). Columns seen but not expected are listed with their last publication only.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use serde::Serialize;
use tujie_model::SiteKind;

use crate::config::{ColumnKind, ReportConfig};

/// One publication in a column: any live policy or interpretation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub site: String,
    pub site_kind: SiteKind,
    pub column: Option<String>,
    /// China Standard Time date.
    pub published: NaiveDate,
}

/// Which rule a column is judged by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// 动态/要闻 and 政务新媒体 accounts: `stale_after_days`.
    Days(u32),
    /// 政策文件/通知公告: `stale_after_months`.
    Months(u32),
    /// Not an expected column: only its last publication is shown.
    Untracked,
}

/// The state of a column on the day judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Fresh,
    Stale,
    /// Expected, and nothing was ever published in it: 空白栏目.
    Blank,
    Untracked,
}

impl State {
    pub fn label(self) -> &'static str {
        match self {
            State::Fresh => "正常更新",
            State::Stale => "未及时更新",
            State::Blank => "空白栏目",
            State::Untracked => "未列入考核",
        }
    }
}

/// One column's line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnFreshness {
    pub site: String,
    pub site_kind: SiteKind,
    /// The unit answerable for the site (from configuration).
    pub unit: Option<String>,
    /// `None` for a 政务新媒体 account tracked whole.
    pub column: Option<String>,
    pub rule: Rule,
    /// Last publication on or before the day judged.
    pub last: Option<NaiveDate>,
    /// Calendar days from `last` to the day judged.
    pub days_since: Option<i64>,
    /// Publications within the report's period.
    pub in_period: usize,
    pub state: State,
}

impl ColumnFreshness {
    /// `站点 › 栏目` or the account's name.
    pub fn place(&self) -> String {
        match &self.column {
            Some(c) => format!("{}“{}”栏目", self.site, c),
            None => format!("{}“{}”", self.site_kind.label(), self.site),
        }
    }
}

#[derive(Default)]
struct Seen {
    last: Option<NaiveDate>,
    in_period: usize,
    kind: SiteKind,
}

/// Judges every expected column and new-media account as of `as_of`, counting publications from `from`.
pub fn assess(cfg: &ReportConfig, pubs: &[Publication], from: NaiveDate, as_of: NaiveDate) -> Vec<ColumnFreshness> {
    // (site, column) → seen; accounts of new-media kinds are keyed with no column.
    let mut seen: BTreeMap<(String, Option<String>), Seen> = BTreeMap::new();
    for p in pubs.iter().filter(|p| p.published <= as_of) {
        let column = if p.site_kind.is_new_media() { None } else { p.column.clone() };
        let s = seen.entry((p.site.clone(), column)).or_default();
        s.kind = p.site_kind;
        s.last = s.last.max(Some(p.published));
        s.in_period += usize::from(p.published >= from);
    }
    let mut out = Vec::new();
    for site in &cfg.sites {
        let expected: Vec<(Option<String>, Rule)> = if site.kind.is_new_media() {
            vec![(None, Rule::Days(cfg.stale_after_days))]
        } else {
            site.columns
                .iter()
                .map(|c| {
                    let rule = match c.kind {
                        ColumnKind::News => Rule::Days(cfg.stale_after_days),
                        ColumnKind::Documents => Rule::Months(cfg.stale_after_months),
                    };
                    (Some(c.name.clone()), rule)
                })
                .collect()
        };
        for (column, rule) in expected {
            let s = seen.remove(&(site.name.clone(), column.clone())).unwrap_or_default();
            out.push(judge(site.name.clone(), site.kind, site.unit.clone(), column, rule, s, as_of));
        }
    }
    for ((site, column), s) in seen {
        let rule = if s.kind.is_new_media() { Rule::Days(cfg.stale_after_days) } else { Rule::Untracked };
        out.push(judge(site, s.kind, None, column, rule, s, as_of));
    }
    out
}

fn judge(
    site: String,
    site_kind: SiteKind,
    unit: Option<String>,
    column: Option<String>,
    rule: Rule,
    seen: Seen,
    as_of: NaiveDate,
) -> ColumnFreshness {
    let state = match (rule, seen.last) {
        (Rule::Untracked, _) => State::Untracked,
        (_, None) => State::Blank,
        (Rule::Days(days), Some(last)) => fresh_if((as_of - last).num_days() <= i64::from(days)),
        (Rule::Months(months), Some(last)) => {
            fresh_if(as_of.checked_sub_months(Months::new(months)).is_none_or(|limit| last >= limit))
        }
    };
    ColumnFreshness {
        site,
        site_kind,
        unit,
        column,
        rule,
        last: seen.last,
        days_since: seen.last.map(|l| (as_of - l).num_days()),
        in_period: seen.in_period,
        state,
    }
}

fn fresh_if(fresh: bool) -> State {
    if fresh { State::Fresh } else { State::Stale }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ColumnConfig, SiteConfig};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn publication(site: &str, kind: SiteKind, column: Option<&str>, day: &str) -> Publication {
        Publication { site: site.into(), site_kind: kind, column: column.map(Into::into), published: d(day) }
    }

    #[test]
    fn stale_blank_and_fresh_by_the_rules_of_each_kind() {
        let cfg = ReportConfig {
            sites: vec![
                SiteConfig {
                    name: "gov".into(),
                    kind: SiteKind::Website,
                    unit: Some("县政府办".into()),
                    columns: vec![
                        ColumnConfig { name: "工作动态".into(), kind: ColumnKind::News },
                        ColumnConfig { name: "政策文件".into(), kind: ColumnKind::Documents },
                        ColumnConfig { name: "通知公告".into(), kind: ColumnKind::Documents },
                    ],
                },
                SiteConfig { name: "某县发布".into(), kind: SiteKind::Wechat, unit: None, columns: vec![] },
            ],
            ..Default::default()
        };
        let pubs = [
            // 14 days before 2026-03-31 is 03-17: fresh on the limit.
            publication("gov", SiteKind::Website, Some("工作动态"), "2026-03-17"),
            // Six months before 2026-03-31 is 2025-09-30: one day earlier is stale.
            publication("gov", SiteKind::Website, Some("政策文件"), "2025-09-29"),
            // 15 days: stale; the later post after as_of does not count.
            publication("某县发布", SiteKind::Wechat, Some("ignored"), "2026-03-16"),
            publication("某县发布", SiteKind::Wechat, None, "2026-04-02"),
            // A 抖音 account nobody configured is still held to the two-week rule.
            publication("某县抖音", SiteKind::Douyin, None, "2026-03-30"),
            publication("gov", SiteKind::Website, Some("图片新闻"), "2026-03-30"),
        ];
        let out = assess(&cfg, &pubs, d("2026-01-01"), d("2026-03-31"));
        let states: Vec<(String, State, Option<i64>)> =
            out.iter().map(|c| (c.place(), c.state, c.days_since)).collect();
        assert_eq!(
            states,
            [
                ("gov“工作动态”栏目".to_string(), State::Fresh, Some(14)),
                ("gov“政策文件”栏目".to_string(), State::Stale, Some(183)),
                ("gov“通知公告”栏目".to_string(), State::Blank, None),
                ("微信公众号“某县发布”".to_string(), State::Stale, Some(15)),
                ("gov“图片新闻”栏目".to_string(), State::Untracked, Some(1)),
                ("抖音号“某县抖音”".to_string(), State::Fresh, Some(1)),
            ]
        );
        assert_eq!(out[0].in_period, 1);
        assert_eq!(out[1].in_period, 0);
        assert_eq!(out[0].unit.as_deref(), Some("县政府办"));
    }
}

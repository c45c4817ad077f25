//! The `[report]` section of `pipeline.toml`: the lateness limit, the freshness thresholds and the columns each
//! site is expected to keep up to date.

use chrono::{NaiveTime, Weekday};
use serde::{Deserialize, Serialize};
use tujie_model::SiteKind;

use crate::weekly::Schedule;

/// What the supervisors' reports judge against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReportConfig {
    /// An interpretation more than this many working days after its policy is late (郑州's rule: 3).
    pub late_after_working_days: u32,
    /// 动态/要闻 columns and 政务新媒体 accounts are stale after this many days without an update (national
    /// website checks: 2 weeks).
    pub stale_after_days: u32,
    /// 政策文件/通知公告 columns are stale after this many months without an update (national checks: 6).
    pub stale_after_months: u32,
    /// The sites and accounts whose columns are tracked; a column listed here that never had an item is a
    /// 空白栏目.
    pub sites: Vec<SiteConfig>,
    /// The worker sends the week's figures and failing columns as `report.weekly` through the outbox.
    pub weekly_digest: bool,
    /// The day it goes out, `monday` … `sunday`, China Standard Time; it covers the seven days before.
    pub weekly_day: String,
    /// The time of day it goes out, `HH:MM`, China Standard Time.
    pub weekly_time: String,
}

impl Default for ReportConfig {
    fn default() -> Self {
        Self {
            late_after_working_days: 3,
            stale_after_days: 14,
            stale_after_months: 6,
            sites: Vec::new(),
            weekly_digest: false,
            weekly_day: "monday".into(),
            weekly_time: "09:00".into(),
        }
    }
}

/// One site or 政务新媒体 account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The `site` of its events.
    pub name: String,
    /// `website` (default), `wechat`, `weibo` or `douyin`.
    #[serde(default)]
    pub kind: SiteKind,
    /// The unit (责任单位) answerable for it, named in the 通报.
    #[serde(default)]
    pub unit: Option<String>,
    /// Columns expected to be kept up to date. An account of a new-media kind needs none: it is tracked whole.
    #[serde(default)]
    pub columns: Vec<ColumnConfig>,
}

/// One expected column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnConfig {
    /// The `column` of its events, e.g. `政策文件`.
    pub name: String,
    /// `news` (动态/要闻: the day rule) or `documents` (政策文件/通知公告: the month rule).
    pub kind: ColumnKind,
}

/// Which update rule a column is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    News,
    Documents,
}

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

impl ReportConfig {
    /// When the weekly digest goes out; `None` when `weekly_day` or `weekly_time` does not parse (which
    /// [`ReportConfig::validate`] reports).
    pub fn weekly_schedule(&self) -> Option<Schedule> {
        let day = WEEKDAYS.iter().find(|(name, _)| *name == self.weekly_day)?.1;
        let time = NaiveTime::parse_from_str(&self.weekly_time, "%H:%M").ok()?;
        Some(Schedule { day, time })
    }

    /// Problems with this section, as `(key, problem)` pairs.
    pub fn validate(&self) -> Vec<(String, String)> {
        let mut errors = Vec::new();
        if !WEEKDAYS.iter().any(|(name, _)| *name == self.weekly_day) {
            errors.push(("weekly_day".into(), format!("`{}` is not monday … sunday", self.weekly_day)));
        }
        if NaiveTime::parse_from_str(&self.weekly_time, "%H:%M").is_err() {
            errors.push(("weekly_time".into(), format!("`{}` is not HH:MM", self.weekly_time)));
        }
        if !(1..=60).contains(&self.late_after_working_days) {
            errors.push(("late_after_working_days".into(), "must be between 1 and 60".into()));
        }
        if !(1..=366).contains(&self.stale_after_days) {
            errors.push(("stale_after_days".into(), "must be between 1 and 366".into()));
        }
        if !(1..=36).contains(&self.stale_after_months) {
            errors.push(("stale_after_months".into(), "must be between 1 and 36".into()));
        }
        let mut names = std::collections::HashSet::new();
        for (i, site) in self.sites.iter().enumerate() {
            let key = format!("sites[{i}]");
            if site.name.trim().is_empty() {
                errors.push((format!("{key}.name"), "must not be empty".into()));
            } else if !names.insert(site.name.as_str()) {
                errors.push((format!("{key}.name"), format!("`{}` is listed twice", site.name)));
            }
            if site.kind == SiteKind::Website && site.columns.is_empty() {
                errors.push((format!("{key}.columns"), "a website needs its expected columns".into()));
            }
            let mut columns = std::collections::HashSet::new();
            for (j, c) in site.columns.iter().enumerate() {
                if c.name.trim().is_empty() || !columns.insert(c.name.as_str()) {
                    errors.push((format!("{key}.columns[{j}].name"), "must be non-empty and listed once".into()));
                }
            }
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_values_name_their_keys() {
        assert!(ReportConfig::default().validate().is_empty());
        let bad = ReportConfig {
            late_after_working_days: 0,
            weekly_time: "9am".into(),
            sites: vec![
                SiteConfig { name: "a".into(), kind: SiteKind::Website, unit: None, columns: vec![] },
                SiteConfig { name: "a".into(), kind: SiteKind::Wechat, unit: None, columns: vec![] },
            ],
            ..Default::default()
        };
        let keys: Vec<String> = bad.validate().into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["weekly_time", "late_after_working_days", "sites[0].columns", "sites[1].name"]);
        assert!(bad.weekly_schedule().is_none());
        assert_eq!(
            ReportConfig::default().weekly_schedule(),
            Some(Schedule { day: Weekday::Mon, time: NaiveTime::from_hms_opt(9, 0, 0).unwrap() })
        );
    }
}

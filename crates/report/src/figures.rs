//! The figures of a report for a period and (optionally) one department, computed from plain facts the store
//! hands over. Everything is judged as of the period's last day, so a report on a past quarter is reproducible.
//!
//! To add a field to the list of policies lacking a rich interpretation (e.g. the reason a policy has no draft),
//! add it to [`PolicyFacts`] and [`PolicyLine`] and fill it in `line`; every format prints [`PolicyLine`]s through
//! `format::lacking_columns`.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use tujie_model::{CoverageStatus, Form, NoDraftReason};

use crate::calendar::{CalendarError, WorkCalendar};
use crate::config::ReportConfig;
use crate::freshness::{self, ColumnFreshness, Publication, State};
use crate::timeliness::{self, Timeliness};

/// The department shown for policies whose event named none.
pub const UNASSIGNED: &str = "（未标注责任单位）";

/// A stored policy with what the report needs to know about it.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyFacts {
    pub id: String,
    pub title: String,
    pub department: Option<String>,
    pub doc_number: Option<String>,
    /// China Standard Time date of publication.
    pub published: NaiveDate,
    /// Its live linked interpretations.
    pub interpretations: Vec<InterpretationFacts>,
    pub drafts_pending: usize,
    pub drafts_approved: usize,
    /// Its pending or approved draft, if any.
    pub draft_id: Option<String>,
    /// Why it has no draft, as the pipeline recorded it for its current version (`no_text`, `fetch_failed: …`).
    pub no_draft: Option<NoDraftReason>,
}

/// A live interpretation linked to a policy.
#[derive(Debug, Clone, PartialEq)]
pub struct InterpretationFacts {
    pub id: String,
    pub form: Option<Form>,
    /// China Standard Time date of publication.
    pub published: NaiveDate,
}

/// What a report is asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRequest {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub department: Option<String>,
}

impl ReportRequest {
    /// The period asked for, with the defaults of every caller (`tujie report`, the workspace's report page):
    /// up to `today` (the caller's clock, China Standard Time) from the first day of the quarter of the end.
    pub fn with_defaults(
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        department: Option<String>,
        today: NaiveDate,
    ) -> Self {
        let to = to.unwrap_or(today);
        Self { from: from.unwrap_or_else(|| quarter_start(to)), to, department }
    }
}

/// January, April, July or October 1st of `day`'s quarter.
pub fn quarter_start(day: NaiveDate) -> NaiveDate {
    let month = (day.month0() / 3) * 3 + 1;
    NaiveDate::from_ymd_opt(day.year(), month, 1).unwrap_or(day)
}

/// Why a report cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReportError {
    #[error("the period runs backwards: --from {from} is after --to {to}")]
    Period { from: NaiveDate, to: NaiveDate },
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    #[error("could not write the {format} file: {message}")]
    Write { format: &'static str, message: String },
}

/// One policy of the period, judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyLine {
    pub policy_id: String,
    pub title: String,
    pub department: String,
    pub doc_number: Option<String>,
    pub published: NaiveDate,
    /// Coverage as of the period's last day.
    pub status: CoverageStatus,
    pub first_interpretation: Option<NaiveDate>,
    pub first_rich: Option<NaiveDate>,
    /// From the policy to its first interpretation.
    pub timeliness: Timeliness,
    /// Working days from the policy to its first rich interpretation.
    pub rich_delay: Option<i64>,
    pub draft_id: Option<String>,
    /// Why there is no draft, when there is none.
    pub no_draft: Option<NoDraftReason>,
}

/// Counts for one department, or for all of them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    pub department: String,
    pub policies: usize,
    /// With any interpretation by the period's end.
    pub interpreted: usize,
    pub rich: usize,
    pub text_only: usize,
    pub none: usize,
    /// `rich / interpreted`: of the interpreted policies, the share with a rich (多元化) interpretation.
    pub rich_ratio: Option<f64>,
    pub drafts_pending: usize,
    pub drafts_approved: usize,
    /// Without a draft because their text is missing: none came with the event and none could be fetched.
    pub text_missing: usize,
    pub synchronous: usize,
    pub on_time: usize,
    /// Interpreted after the limit.
    pub late: usize,
    /// Not interpreted and past the limit.
    pub overdue: usize,
    /// Not interpreted, limit not reached yet.
    pub pending: usize,
    /// Median working days to the first interpretation, over the interpreted policies.
    pub median_delay: Option<f64>,
    /// Median working days to the first rich interpretation.
    pub median_rich_delay: Option<f64>,
}

/// A whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub department: Option<String>,
    pub late_after_working_days: u32,
    /// Departments in name order.
    pub departments: Vec<Figures>,
    pub total: Figures,
    /// Interpreted policies by delay bucket ([`DELAY_BUCKETS`]), then the overdue ones.
    pub delay_distribution: Vec<(String, usize)>,
    /// Expected columns and accounts (of the department's sites when one is asked for).
    pub columns: Vec<ColumnFreshness>,
    /// Every policy of the period, oldest first.
    pub policies: Vec<PolicyLine>,
}

impl Report {
    /// Policies without a rich interpretation at the period's end.
    pub fn lacking(&self) -> impl Iterator<Item = &PolicyLine> {
        self.policies.iter().filter(|p| p.status != CoverageStatus::Rich)
    }

    /// Stale and blank columns.
    pub fn failing_columns(&self) -> impl Iterator<Item = &ColumnFreshness> {
        self.columns.iter().filter(|c| matches!(c.state, State::Stale | State::Blank))
    }
}

/// Delay buckets of the distribution chart: (label, lowest, highest) working days.
pub const DELAY_BUCKETS: [(&str, i64, i64); 6] = [
    ("同步", 0, 0),
    ("1个工作日", 1, 1),
    ("2个工作日", 2, 2),
    ("3个工作日", 3, 3),
    ("4–10个工作日", 4, 10),
    ("10个工作日以上", 11, i64::MAX),
];

/// Builds the report of `req` from every stored policy and publication.
pub fn build(
    cfg: &ReportConfig,
    cal: &WorkCalendar,
    req: &ReportRequest,
    policies: &[PolicyFacts],
    publications: &[Publication],
) -> Result<Report, ReportError> {
    if req.from > req.to {
        return Err(ReportError::Period { from: req.from, to: req.to });
    }
    let mut lines = Vec::new();
    for p in policies.iter().filter(|p| (req.from..=req.to).contains(&p.published)) {
        let department = p.department.clone().unwrap_or_else(|| UNASSIGNED.to_owned());
        if req.department.as_ref().is_some_and(|d| *d != department) {
            continue;
        }
        lines.push((line(cal, cfg, req.to, p, department)?, p.drafts_pending, p.drafts_approved));
    }
    lines.sort_by(|a, b| (a.0.published, &a.0.policy_id).cmp(&(b.0.published, &b.0.policy_id)));
    let mut by_department: BTreeMap<&str, Vec<&(PolicyLine, usize, usize)>> = BTreeMap::new();
    for l in &lines {
        by_department.entry(l.0.department.as_str()).or_default().push(l);
    }
    let departments = by_department.iter().map(|(d, ls)| figures(d, ls)).collect();
    let total = figures("合计", &lines.iter().collect::<Vec<_>>());
    let policies: Vec<PolicyLine> = lines.into_iter().map(|l| l.0).collect();
    let mut columns = freshness::assess(cfg, publications, req.from, req.to);
    if let Some(d) = &req.department {
        columns.retain(|c| c.unit.as_ref() == Some(d));
    }
    Ok(Report {
        from: req.from,
        to: req.to,
        department: req.department.clone(),
        late_after_working_days: cfg.late_after_working_days,
        departments,
        total,
        delay_distribution: distribution(&policies),
        columns,
        policies,
    })
}

fn line(
    cal: &WorkCalendar,
    cfg: &ReportConfig,
    as_of: NaiveDate,
    p: &PolicyFacts,
    department: String,
) -> Result<PolicyLine, ReportError> {
    let known: Vec<&InterpretationFacts> = p.interpretations.iter().filter(|i| i.published <= as_of).collect();
    let first_interpretation = known.iter().map(|i| i.published).min();
    let first_rich = known.iter().filter(|i| i.form.is_some_and(Form::is_rich)).map(|i| i.published).min();
    let status = CoverageStatus::from_forms(known.iter().filter_map(|i| i.form));
    let timeliness = timeliness::assess(cal, p.published, first_interpretation, as_of, cfg.late_after_working_days)?;
    let rich_delay = match first_rich {
        Some(day) => Some(cal.working_days_between(p.published, day)?.max(0)),
        None => None,
    };
    Ok(PolicyLine {
        policy_id: p.id.clone(),
        title: p.title.clone(),
        department,
        doc_number: p.doc_number.clone(),
        published: p.published,
        status,
        first_interpretation,
        first_rich,
        timeliness,
        rich_delay,
        draft_id: p.draft_id.clone(),
        no_draft: if p.draft_id.is_some() { None } else { p.no_draft.clone() },
    })
}

fn figures(department: &str, lines: &[&(PolicyLine, usize, usize)]) -> Figures {
    let mut f = Figures { department: department.to_owned(), ..Default::default() };
    let mut delays = Vec::new();
    let mut rich_delays = Vec::new();
    for (l, pending, approved) in lines {
        f.policies += 1;
        f.drafts_pending += pending;
        f.drafts_approved += approved;
        f.text_missing += usize::from(l.no_draft.as_ref().is_some_and(NoDraftReason::text_missing));
        match l.status {
            CoverageStatus::Rich => f.rich += 1,
            CoverageStatus::TextOnly => f.text_only += 1,
            CoverageStatus::None => f.none += 1,
        }
        match l.timeliness {
            Timeliness::Synchronous => f.synchronous += 1,
            Timeliness::OnTime { .. } => f.on_time += 1,
            Timeliness::Late { .. } => f.late += 1,
            Timeliness::Overdue { .. } => f.overdue += 1,
            Timeliness::Pending { .. } => f.pending += 1,
        }
        delays.extend(l.timeliness.delay());
        rich_delays.extend(l.rich_delay);
    }
    f.interpreted = f.rich + f.text_only;
    f.rich_ratio = (f.interpreted > 0).then(|| f.rich as f64 / f.interpreted as f64);
    f.median_delay = timeliness::median(&mut delays);
    f.median_rich_delay = timeliness::median(&mut rich_delays);
    f
}

fn distribution(policies: &[PolicyLine]) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = DELAY_BUCKETS
        .iter()
        .map(|(label, lo, hi)| {
            let n = policies.iter().filter_map(|p| p.timeliness.delay()).filter(|d| (lo..=hi).contains(&d)).count();
            ((*label).to_owned(), n)
        })
        .collect();
    let overdue = policies.iter().filter(|p| matches!(p.timeliness, Timeliness::Overdue { .. })).count();
    out.push(("逾期未解读".to_owned(), overdue));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_default_period_is_the_quarter_to_date() {
        let r = ReportRequest::with_defaults(None, None, None, day("2026-12-01"));
        assert_eq!((r.from, r.to), (day("2026-10-01"), day("2026-12-01")));
        let r = ReportRequest::with_defaults(None, Some(day("2026-03-31")), None, day("2026-12-01"));
        assert_eq!(r.from, day("2026-01-01"), "the quarter of the end asked for");
        let r = ReportRequest::with_defaults(Some(day("2026-05-02")), None, Some("县教育局".into()), day("2026-08-15"));
        assert_eq!((r.from, r.to, r.department.as_deref()), (day("2026-05-02"), day("2026-08-15"), Some("县教育局")));
    }
}

//! How soon a policy got its interpretation, in working days on the official calendar.
//!
//! The rule supervisors apply is 三同步 (the interpretation published together with its policy) or, failing that,
//! a deadline in working days after the policy (3 in 郑州's rule, the default of `[report] late_after_working_days`).

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::{CalendarError, WorkCalendar};

/// The verdict on one policy, as of a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Timeliness {
    /// Interpreted on the policy's own day (or before it): 同步.
    Synchronous,
    /// Interpreted within the limit.
    OnTime { working_days: i64 },
    /// Interpreted, but after the limit.
    Late { working_days: i64 },
    /// Not interpreted, and the limit has passed: 逾期未解读.
    Overdue { working_days: i64 },
    /// Not interpreted yet, and the limit has not passed: 未到期.
    Pending { working_days: i64 },
}

impl Timeliness {
    /// The delay in working days when there is an interpretation.
    pub fn delay(self) -> Option<i64> {
        match self {
            Timeliness::Synchronous => Some(0),
            Timeliness::OnTime { working_days } | Timeliness::Late { working_days } => Some(working_days),
            Timeliness::Overdue { .. } | Timeliness::Pending { .. } => None,
        }
    }

    /// Working days counted: to the interpretation, or (none yet) to the day judged. `None` for 同步.
    pub fn working_days(self) -> Option<i64> {
        match self {
            Timeliness::Synchronous => None,
            Timeliness::OnTime { working_days }
            | Timeliness::Late { working_days }
            | Timeliness::Overdue { working_days }
            | Timeliness::Pending { working_days } => Some(working_days),
        }
    }

    /// The Chinese label used in every report format.
    pub fn label(self) -> &'static str {
        match self {
            Timeliness::Synchronous => "同步",
            Timeliness::OnTime { .. } => "按时",
            Timeliness::Late { .. } => "逾期解读",
            Timeliness::Overdue { .. } => "逾期未解读",
            Timeliness::Pending { .. } => "未到期",
        }
    }
}

/// Judges a policy published on `policy` whose first interpretation (if any, as of `as_of`) appeared on
/// `interpreted`, against a limit of `limit` working days.
pub fn assess(
    cal: &WorkCalendar,
    policy: NaiveDate,
    interpreted: Option<NaiveDate>,
    as_of: NaiveDate,
    limit: u32,
) -> Result<Timeliness, CalendarError> {
    let limit = i64::from(limit);
    Ok(match interpreted {
        Some(day) if day <= policy => Timeliness::Synchronous,
        Some(day) => {
            let working_days = cal.working_days_between(policy, day)?;
            if working_days > limit { Timeliness::Late { working_days } } else { Timeliness::OnTime { working_days } }
        }
        None => {
            let working_days = cal.working_days_between(policy, as_of)?.max(0);
            if working_days > limit {
                Timeliness::Overdue { working_days }
            } else {
                Timeliness::Pending { working_days }
            }
        }
    })
}

/// The median of some delays (the mean of the middle two for an even count); `None` when there are none.
pub fn median(delays: &mut [i64]) -> Option<f64> {
    delays.sort_unstable();
    let n = delays.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(delays[n / 2] as f64),
        _ => Some((delays[n / 2 - 1] + delays[n / 2]) as f64 / 2.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn judge(policy: &str, interp: Option<&str>, as_of: &str) -> Timeliness {
        assess(WorkCalendar::official(), d(policy), interp.map(d), d(as_of), 3).unwrap()
    }

    #[test]
    fn verdicts() {
        assert_eq!(judge("2025-03-03", Some("2025-03-03"), "2025-03-31"), Timeliness::Synchronous);
        assert_eq!(judge("2025-03-05", Some("2025-03-03"), "2025-03-31"), Timeliness::Synchronous);
        // Monday to Thursday: 3 working days, on time; to Friday: 4, late.
        assert_eq!(judge("2025-03-03", Some("2025-03-06"), "2025-03-31"), Timeliness::OnTime { working_days: 3 });
        assert_eq!(judge("2025-03-03", Some("2025-03-07"), "2025-03-31"), Timeliness::Late { working_days: 4 });
        assert_eq!(judge("2025-03-03", None, "2025-03-05"), Timeliness::Pending { working_days: 2 });
        assert_eq!(judge("2025-03-03", None, "2025-03-31"), Timeliness::Overdue { working_days: 20 });
    }

    #[test]
    fn a_friday_policy_before_the_spring_festival() {
        // Friday 2026-02-13; Saturday 02-14 is a make-up working day (1); 02-15..23 off; Tuesday 02-24 (2),
        // Wednesday 02-25 (3), Thursday 02-26 (4).
        assert_eq!(judge("2026-02-13", Some("2026-02-14"), "2026-03-31"), Timeliness::OnTime { working_days: 1 });
        assert_eq!(judge("2026-02-13", Some("2026-02-25"), "2026-03-31"), Timeliness::OnTime { working_days: 3 });
        assert_eq!(judge("2026-02-13", Some("2026-02-26"), "2026-03-31"), Timeliness::Late { working_days: 4 });
        assert_eq!(judge("2026-02-13", None, "2026-02-23"), Timeliness::Pending { working_days: 1 });
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5, 1, 3]), Some(3.0));
        assert_eq!(median(&mut [4, 1, 2, 0]), Some(1.5));
    }
}

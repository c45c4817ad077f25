//! The weekly digest (`report.weekly`): when it is due, which week it covers, and what it carries. The worker
//! asks [`due`] with the current China Standard Time and, when a digest is due, builds the report of
//! [`due`]'s week and sends [`digest`] through the outbox under an id derived from the week, so any number of
//! workers asking at any time produce it once.

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde_json::{Value, json};

use crate::figures::Report;

/// When the digest goes out: a weekday and a time of day, China Standard Time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub day: Weekday,
    pub time: NaiveTime,
}

/// The seven days a digest covers: `(first, last)`.
pub type Week = (NaiveDate, NaiveDate);

/// The week of the latest digest due at or before `now`: the seven days before the latest scheduled moment.
pub fn due(schedule: Schedule, now: NaiveDateTime) -> Week {
    let back = (7 + now.weekday().num_days_from_monday() - schedule.day.num_days_from_monday()) % 7;
    let mut day = now.date() - Days::new(u64::from(back));
    if back == 0 && now.time() < schedule.time {
        day = day - Days::new(7);
    }
    (day - Days::new(7), day - Days::new(1))
}

/// The key of a week's digest in its event id.
pub fn key(week: Week) -> String {
    format!("{}..{}", week.0, week.1)
}

/// The digest's `data`: the week, the totals and each department's figures, and the columns that are stale or
/// blank at the week's end.
pub fn digest(r: &Report) -> Value {
    json!({
        "from": r.from,
        "to": r.to,
        "total": r.total,
        "departments": r.departments,
        "failing_columns": r.failing_columns().collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_week_before_the_latest_scheduled_moment() {
        let monday_nine = Schedule { day: Weekday::Mon, time: NaiveTime::from_hms_opt(9, 0, 0).unwrap() };
        // Monday 2026-03-02 09:00 onwards: the week of 02-23..03-01.
        assert_eq!(due(monday_nine, at("2026-03-02 09:00")), (d("2026-02-23"), d("2026-03-01")));
        assert_eq!(due(monday_nine, at("2026-03-08 23:59")), (d("2026-02-23"), d("2026-03-01")));
        // Before 09:00 on Monday the previous digest is still the latest.
        assert_eq!(due(monday_nine, at("2026-03-02 08:59")), (d("2026-02-16"), d("2026-02-22")));
        let friday = Schedule { day: Weekday::Fri, time: NaiveTime::from_hms_opt(17, 30, 0).unwrap() };
        // Across the year boundary: Friday 2026-01-02 17:30 covers Friday 12-26 to Thursday 01-01.
        assert_eq!(due(friday, at("2026-01-03 10:00")), (d("2025-12-26"), d("2026-01-01")));
        assert_eq!(key(due(friday, at("2026-01-03 10:00"))), "2025-12-26..2026-01-01");
    }
}

//! China's official working-day calendar: weekends, public holidays and the 调休 make-up working days of the
//! State Council's annual 节假日安排 notices.
//!
//! The data is `data/cn-calendar.txt`, compiled in, one block per year naming the notices it comes from. A date
//! outside the years it covers is an error ([`CalendarError::OutOfRange`]), never a guess: a year whose notice is
//! missing would silently count its Spring Festival as working days.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, Weekday};

/// The notices' data, 2010 through 2026.
const OFFICIAL: &str = include_str!("../data/cn-calendar.txt");

/// What a day is on the official calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// An ordinary Monday to Friday.
    Workday,
    /// An ordinary Saturday or Sunday.
    Weekend,
    /// A public holiday or a day off of its 调休 arrangement (named as in the notice: 春节, 国庆节 …).
    Holiday(&'static str),
    /// A Saturday or Sunday made a working day by 调休.
    MakeUpWorkday(&'static str),
}

impl DayKind {
    pub fn is_working(self) -> bool {
        matches!(self, DayKind::Workday | DayKind::MakeUpWorkday(_))
    }
}

/// Why a calendar question has no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error(
        "{date} is outside the working-day calendar, which covers {first}–{last} (the State Council's 节假日安排 notices of those years)"
    )]
    OutOfRange { date: NaiveDate, first: i32, last: i32 },
    #[error("calendar data line {line}: {problem}")]
    Data { line: usize, problem: String },
}

/// A working-day calendar: the years it covers and its exceptions to the weekend rule.
#[derive(Debug, Clone)]
pub struct WorkCalendar {
    first: i32,
    last: i32,
    exceptions: HashMap<NaiveDate, DayKind>,
    /// The notices each year's exceptions come from.
    sources: Vec<(i32, Vec<&'static str>)>,
}

impl WorkCalendar {
    /// The official calendar, parsed once per process.
    pub fn official() -> &'static WorkCalendar {
        static CAL: OnceLock<WorkCalendar> = OnceLock::new();
        CAL.get_or_init(|| WorkCalendar::parse(OFFICIAL).expect("the compiled-in calendar data is checked by tests"))
    }

    /// Parses the data format of `data/cn-calendar.txt`: `[YEAR] sources…` blocks of `NAME off|work FIRST[..LAST]`
    /// lines. The years must be consecutive.
    pub fn parse(text: &'static str) -> Result<Self, CalendarError> {
        let mut cal = WorkCalendar { first: 0, last: 0, exceptions: HashMap::new(), sources: Vec::new() };
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            let bad = |problem: String| CalendarError::Data { line: i + 1, problem };
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(rest) = line.strip_prefix('[') {
                let (year, urls) = rest.split_once(']').ok_or_else(|| bad("`[` without `]`".into()))?;
                let year: i32 = year.parse().map_err(|_| bad(format!("`{year}` is not a year")))?;
                if !cal.sources.is_empty() && year != cal.last + 1 {
                    return Err(bad(format!("{year} does not follow {}", cal.last)));
                }
                if cal.sources.is_empty() {
                    cal.first = year;
                }
                cal.last = year;
                cal.sources.push((year, urls.split_whitespace().collect()));
                continue;
            }
            if cal.sources.is_empty() {
                return Err(bad("a day before the first `[YEAR]` line".into()));
            }
            cal.parse_line(line).map_err(bad)?;
        }
        if cal.sources.is_empty() {
            return Err(CalendarError::Data { line: 0, problem: "no years".into() });
        }
        Ok(cal)
    }

    fn parse_line(&mut self, line: &'static str) -> Result<(), String> {
        let mut parts = line.split_whitespace();
        let (Some(name), Some(kind), Some(range), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(format!("expected `NAME off|work DATE[..DATE]`, got `{line}`"));
        };
        let (a, b) = range.split_once("..").unwrap_or((range, range));
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("`{s}` is not a date"));
        let (first, last) = (date(a)?, date(b)?);
        if last < first {
            return Err(format!("{first}..{last} runs backwards"));
        }
        for day in first.iter_days().take_while(|d| *d <= last) {
            let kind = match kind {
                "off" => DayKind::Holiday(name),
                "work" if is_weekend(day) => DayKind::MakeUpWorkday(name),
                "work" => DayKind::Workday,
                other => return Err(format!("`{other}` is neither `off` nor `work`")),
            };
            self.exceptions.insert(day, kind);
        }
        Ok(())
    }

    /// The years covered, first and last.
    pub fn years(&self) -> (i32, i32) {
        (self.first, self.last)
    }

    /// The notices each year's data comes from.
    pub fn sources(&self) -> &[(i32, Vec<&'static str>)] {
        &self.sources
    }

    /// What `date` is.
    pub fn day(&self, date: NaiveDate) -> Result<DayKind, CalendarError> {
        if !(self.first..=self.last).contains(&date.year()) {
            return Err(CalendarError::OutOfRange { date, first: self.first, last: self.last });
        }
        Ok(self.exceptions.get(&date).copied().unwrap_or(if is_weekend(date) {
            DayKind::Weekend
        } else {
            DayKind::Workday
        }))
    }

    /// Working days after `from` up to and including `to`: 0 for the same day, 1 for the next working day. A
    /// policy on the Friday before a long holiday and its interpretation on the first working day after it are
    /// 1 working day apart. Negative when `to` is before `from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<i64, CalendarError> {
        let (lo, hi, sign) = if to >= from { (from, to, 1) } else { (to, from, -1) };
        self.day(lo)?;
        let mut n = 0;
        for d in lo.iter_days().skip(1).take_while(|d| *d <= hi) {
            if self.day(d)?.is_working() {
                n += 1;
            }
        }
        Ok(sign * n)
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn kind(s: &str) -> DayKind {
        WorkCalendar::official().day(d(s)).unwrap()
    }

    fn off(days: &[&str]) {
        for s in days {
            assert!(matches!(kind(s), DayKind::Holiday(_)), "{s} should be a holiday, is {:?}", kind(s));
        }
    }

    fn make_up(days: &[&str]) {
        for s in days {
            assert!(matches!(kind(s), DayKind::MakeUpWorkday(_)), "{s} should be a make-up day, is {:?}", kind(s));
        }
    }

    #[test]
    fn covers_2010_through_2026_with_a_notice_per_year() {
        let cal = WorkCalendar::official();
        assert_eq!(cal.years(), (2010, 2026));
        assert_eq!(cal.sources().len(), 17);
        assert!(cal.sources().iter().all(|(_, urls)| urls.iter().any(|u| u.contains("gov.cn"))));
    }

    /// The notice for 2026 (gov.cn content_7047091): 春节 2月15日至23日放假调休，共9天；2月14日（星期六）、2月28日（星期六）上班.
    /// One published crate had Feb 15–21.
    #[test]
    fn spring_festival_2026_per_the_notice() {
        off(&["2026-02-15", "2026-02-16", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23"]);
        make_up(&["2026-02-14", "2026-02-28"]);
        assert_eq!(kind("2026-02-24"), DayKind::Workday);
        assert_eq!(kind("2026-02-13"), DayKind::Workday);
        // 元旦 2026: 1月1日至3日放假，1月4日（星期日）上班.
        off(&["2026-01-01", "2026-01-02", "2026-01-03"]);
        make_up(&["2026-01-04"]);
        // 国庆节 2026: 9月20日（星期日）、10月10日（星期六）上班.
        make_up(&["2026-09-20", "2026-10-10"]);
    }

    /// 2018 notice: 春节 2月15日至21日放假调休，共7天。2月11日（星期日）、2月24日（星期六）上班; 国庆节 10月1日至7日,
    /// 9月29日（星期六）、9月30日（星期日）上班.
    #[test]
    fn year_2018_per_the_notice() {
        off(&["2018-02-15", "2018-02-21", "2018-10-01", "2018-10-07", "2018-04-05", "2018-04-30"]);
        make_up(&["2018-02-11", "2018-02-24", "2018-09-29", "2018-09-30", "2018-04-08", "2018-04-28"]);
        assert_eq!(kind("2018-02-22"), DayKind::Workday);
    }

    /// 2015 notice: 元旦 1月1日至3日放假调休，1月4日（星期日）上班; 春节 2月18日至24日, 2月15日（星期日）、2月28日（星期六）
    /// 上班; and the separate notice for the 70th anniversary: 9月3日至5日放假调休，9月6日（星期日）上班.
    #[test]
    fn year_2015_per_the_notices() {
        off(&["2015-01-01", "2015-01-03", "2015-02-18", "2015-02-24", "2015-09-03", "2015-09-04"]);
        make_up(&["2015-01-04", "2015-02-15", "2015-02-28", "2015-09-06", "2015-10-10"]);
    }

    /// 2012 notice: 元旦 2012年1月1日至3日放假调休，2011年12月31日（星期六）上班 — a make-up day in the year before.
    #[test]
    fn year_2012_new_year_make_up_day_falls_in_2011() {
        make_up(&["2011-12-31"]);
        off(&["2012-01-02", "2012-01-03"]);
    }

    /// 2020: the Spring Festival extended to 2月2日 by the later notice (国办发明电〔2020〕1号).
    #[test]
    fn year_2020_extension() {
        off(&["2020-01-24", "2020-01-30", "2020-01-31", "2020-02-02"]);
        assert_eq!(kind("2020-02-03"), DayKind::Workday);
    }

    #[test]
    fn working_days_across_a_long_holiday_and_a_year_boundary() {
        let cal = WorkCalendar::official();
        // Friday 2026-02-13 before the 9-day Spring Festival; Saturday 2026-02-14 is a make-up working day.
        assert_eq!(cal.working_days_between(d("2026-02-13"), d("2026-02-14")).unwrap(), 1);
        assert_eq!(cal.working_days_between(d("2026-02-13"), d("2026-02-24")).unwrap(), 2);
        // Wednesday 2025-12-31 to Monday 2026-01-05: 1–3 off, Sunday the 4th is a make-up day, Monday the 5th.
        assert_eq!(cal.working_days_between(d("2025-12-31"), d("2026-01-05")).unwrap(), 2);
        assert_eq!(cal.working_days_between(d("2026-01-05"), d("2025-12-31")).unwrap(), -2);
        assert_eq!(cal.working_days_between(d("2026-03-02"), d("2026-03-02")).unwrap(), 0);
    }

    #[test]
    fn dates_outside_the_calendar_are_errors() {
        let cal = WorkCalendar::official();
        let err = cal.day(d("2027-01-04")).unwrap_err();
        assert_eq!(err, CalendarError::OutOfRange { date: d("2027-01-04"), first: 2010, last: 2026 });
        assert!(err.to_string().contains("2010–2026"), "{err}");
        assert!(cal.working_days_between(d("2026-12-30"), d("2027-01-04")).is_err());
        assert!(cal.day(d("2009-12-31")).is_err());
    }

    #[test]
    fn bad_data_names_its_line() {
        let err = WorkCalendar::parse("[2020] x\n春节 maybe 2020-01-01\n").unwrap_err();
        assert!(matches!(err, CalendarError::Data { line: 2, .. }), "{err:?}");
        let err = WorkCalendar::parse("[2020] x\n[2022] y\n").unwrap_err();
        assert!(err.to_string().contains("does not follow"), "{err}");
    }
}

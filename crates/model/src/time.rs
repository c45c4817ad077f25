//! Publication timestamps as government sites give them: a bare date (`2023-04-05`) or an RFC 3339 time.
//!
//! A bare date is taken as midnight China Standard Time (UTC+8), because every site we ingest publishes in that
//! zone; keeping one representation lets the matcher compute day distances without caring which form arrived.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in time with a fixed offset, parsed from a date or an RFC 3339 string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<FixedOffset>);

impl Timestamp {
    /// China Standard Time, the zone bare dates are read in.
    pub fn cst() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
    }

    /// Parses `YYYY-MM-DD` or RFC 3339 (`2023-04-05T09:30:00+08:00`). Returns `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Some(Self(t));
        }
        let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
        Self::from_date(date)
    }

    /// Midnight CST of `date`.
    pub fn from_date(date: NaiveDate) -> Option<Self> {
        let naive = date.and_hms_opt(0, 0, 0)?;
        Self::cst().from_local_datetime(&naive).single().map(Self)
    }

    /// The calendar date in CST.
    pub fn date_cst(&self) -> NaiveDate {
        self.0.with_timezone(&Self::cst()).date_naive()
    }

    /// Whole days from `self` to `later` in CST calendar terms (negative when `later` is earlier).
    pub fn days_until(&self, later: &Timestamp) -> i64 {
        (later.date_cst() - self.date_cst()).num_days()
    }

    /// RFC 3339 text, the form stored in databases and events.
    pub fn to_rfc3339(&self) -> String {
        self.0.to_rfc3339()
    }
}

/// The date a person reads for a stored time: the China Standard Time calendar date (`YYYY-MM-DD`) of an RFC 3339
/// text or a bare date. Stored times are UTC (`2023-04-04T16:00:00Z` is a bare `2023-04-05`), so cutting the text
/// at ten characters would show the previous day. Text that is neither form is returned unchanged.
pub fn display_date(stored: &str) -> String {
    match Timestamp::parse(stored) {
        Some(t) => t.date_cst().format("%Y-%m-%d").to_string(),
        None => stored.to_owned(),
    }
}

/// Like [`display_date`] with the China Standard Time of day: `YYYY-MM-DD HH:MM`.
pub fn display_time(stored: &str) -> String {
    match Timestamp::parse(stored) {
        Some(t) => t.0.with_timezone(&Timestamp::cst()).format("%Y-%m-%d %H:%M").to_string(),
        None => stored.to_owned(),
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Timestamp::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("`{s}` is neither a date (YYYY-MM-DD) nor an RFC 3339 time"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_date_is_cst_midnight() {
        let t = Timestamp::parse("2023-04-05").unwrap();
        assert_eq!(t.to_rfc3339(), "2023-04-05T00:00:00+08:00");
    }

    #[test]
    fn day_distance_uses_cst_calendar() {
        let a = Timestamp::parse("2023-04-05T23:30:00+08:00").unwrap();
        let b = Timestamp::parse("2023-04-05T16:00:00Z").unwrap(); // 00:00 on the 6th in CST
        assert_eq!(a.days_until(&b), 1);
    }

    #[test]
    fn stored_bare_date_displays_as_its_own_day() {
        // What the store keeps for a bare 发布日期 of 2023-04-05: 16:00 UTC of the 4th.
        let stored = "2023-04-04T16:00:00Z";
        assert_eq!(display_date(stored), "2023-04-05");
        assert_eq!(display_time(stored), "2023-04-05 00:00");
        assert_eq!(display_date("2023-04-05"), "2023-04-05");
    }

    #[test]
    fn times_near_midnight_display_in_cst() {
        // 23:59 CST stays on its day; 16:00 UTC is already the next day in China.
        assert_eq!(display_date("2023-12-31T15:59:00Z"), "2023-12-31");
        assert_eq!(display_time("2023-12-31T15:59:00Z"), "2023-12-31 23:59");
        assert_eq!(display_date("2023-12-31T16:00:00Z"), "2024-01-01");
        assert_eq!(display_date("2024-01-01T00:30:00+08:00"), "2024-01-01");
        assert_eq!(display_date("not a date"), "not a date");
    }

    #[test]
    fn rejects_other_forms() {
        assert!(Timestamp::parse("2023年4月5日").is_none());
        assert!(Timestamp::parse("").is_none());
    }
}

//! Calendar dates without a clock: purchase dates, sale windows, promotions.
//!
//! The core never asks what day it is; every date is an input. A TOML local date that names
//! an impossible day (`2009-02-30`) is rejected here with the reason.

use std::fmt;

/// A proleptic Gregorian calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2009.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month, 1–31.
    pub day: u8,
}

impl Date {
    /// Builds a date, or says why the day does not exist.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Date, String> {
        if !(1..=12).contains(&month) {
            return Err(format!("month {month} does not exist"));
        }
        let last = days_in_month(year, month);
        if day == 0 || day > last {
            return Err(format!(
                "{year:04}-{month:02} has days 1 to {last}, not {day}"
            ));
        }
        Ok(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Date, String> {
        let parts: Vec<&str> = text.split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(format!("`{text}` is not a date like 2009-11-02"));
        };
        let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u16>(), m.parse::<u8>(), d.parse::<u8>()) else {
            return Err(format!("`{text}` is not a date like 2009-11-02"));
        };
        Date::new(y, m, d)
    }
}

impl Date {
    /// The same day `months` months later, or the month's last day where it has no such day
    /// (31 January + 1 month = 28 or 29 February); `None` past year 9999.
    pub fn add_months(self, months: u32) -> Option<Date> {
        let index = u32::from(self.year)
            .checked_mul(12)?
            .checked_add(u32::from(self.month) - 1)?
            .checked_add(months)?;
        let year = u16::try_from(index / 12).ok().filter(|y| *y <= 9999)?;
        let month = u8::try_from(index % 12 + 1).ok()?;
        let day = self.day.min(days_in_month(year, month));
        Some(Date { year, month, day })
    }

    /// The next day; `None` after 9999-12-31.
    pub fn next_day(self) -> Option<Date> {
        if self.day < days_in_month(self.year, self.month) {
            return Some(Date {
                day: self.day + 1,
                ..self
            });
        }
        Date { day: 1, ..self }.add_months(1)
    }

    /// The day before; `None` before 0000-01-01.
    pub fn previous_day(self) -> Option<Date> {
        if self.day > 1 {
            return Some(Date {
                day: self.day - 1,
                ..self
            });
        }
        let (year, month) = match self.month {
            1 => (self.year.checked_sub(1)?, 12),
            m => (self.year, m - 1),
        };
        Some(Date {
            year,
            month,
            day: days_in_month(year, month),
        })
    }

    /// Whole months from `self` to `later` (0 when `later` is not after it): the largest `m`
    /// with `self.add_months(m) <= later`.
    pub fn months_until(self, later: Date) -> u32 {
        if later <= self {
            return 0;
        }
        let index = |d: Date| i64::from(d.year) * 12 + i64::from(d.month);
        let guess = u32::try_from(index(later) - index(self)).unwrap_or(0);
        // The guess counts calendar months; it is one too many when `later`'s day comes
        // before the day the months land on.
        match self.add_months(guess) {
            Some(d) if d <= later => guess,
            _ => guess.saturating_sub(1),
        }
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_impossible_days() {
        assert!(Date::new(2009, 2, 29).is_err());
        assert!(Date::new(2008, 2, 29).is_ok());
        assert!(Date::new(1900, 2, 29).is_err());
        assert!(Date::new(2000, 2, 29).is_ok());
        assert!(Date::new(2009, 4, 31).is_err());
        assert!(Date::new(2009, 13, 1).is_err());
    }

    #[test]
    fn months_add_clamp_and_count() {
        let d = |t: &str| Date::parse(t).unwrap();
        assert_eq!(d("2026-01-31").add_months(1), Some(d("2026-02-28")));
        assert_eq!(d("2024-01-31").add_months(1), Some(d("2024-02-29")));
        assert_eq!(d("2026-03-31").add_months(12), Some(d("2027-03-31")));
        assert_eq!(d("2026-11-15").add_months(3), Some(d("2027-02-15")));
        assert_eq!(d("9999-12-01").add_months(1), None);
        assert_eq!(d("2026-03-31").next_day(), Some(d("2026-04-01")));
        assert_eq!(d("2026-12-31").next_day(), Some(d("2027-01-01")));
        assert_eq!(d("2024-02-28").next_day(), Some(d("2024-02-29")));
        assert_eq!(d("2027-01-01").previous_day(), Some(d("2026-12-31")));
        assert_eq!(d("2024-03-01").previous_day(), Some(d("2024-02-29")));
        assert_eq!(d("2026-01-15").months_until(d("2026-01-14")), 0);
        assert_eq!(d("2026-01-15").months_until(d("2026-02-14")), 0);
        assert_eq!(d("2026-01-15").months_until(d("2026-02-15")), 1);
        assert_eq!(d("2026-01-15").months_until(d("2027-01-15")), 12);
        assert_eq!(d("2026-01-31").months_until(d("2026-02-28")), 1);
    }

    #[test]
    fn orders_and_prints() {
        let a = Date::parse("2009-12-14").unwrap();
        let b = Date::parse("2009-12-15").unwrap();
        assert!(a < b);
        assert_eq!(b.to_string(), "2009-12-15");
        assert!(Date::parse("2009-1").is_err());
    }
}

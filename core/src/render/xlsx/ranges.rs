//! *Ranges* (a quote with `--ranges`): each scenario's total and NPV at P10, P50 and P90 over
//! the draws of uncertain prices, how often it is the cheapest, and the cumulative cost's band
//! at the end of each year. Values, not formulas: each figure is a percentile of whole quotes.

use rust_decimal::Decimal;

use super::reshape::money;
use super::sheet::Sheet;
use super::styles::Styles;
use super::{Builder, Error};

/// The sheet of the ranges.
pub(super) const RANGES: &str = "Ranges";

impl Builder<'_> {
    /// The *Ranges* sheet, when the quote has ranges.
    pub(super) fn ranges(&self) -> Result<Option<rust_xlsxwriter::Worksheet>, Error> {
        let q = self.q;
        let Some(draws) = q.draws else {
            return Ok(None);
        };
        let st: &Styles = &self.styles;
        let mut sheet = Sheet::new(RANGES)?;
        sheet.banner(
            0,
            &format!(
                "Totals when prices are what their sources allow: {} draws, seed {} ({})",
                crate::money::grouped_int(u64::from(draws.draws)),
                draws.seed,
                q.currency
            ),
            &st.title,
        )?;
        let header = [
            "scenario",
            "quoted total",
            "total P10",
            "total P50",
            "total P90",
            "NPV P10",
            "NPV P50",
            "NPV P90",
            "cheapest in draws",
            "share cheapest",
        ];
        let right: Vec<u16> = (1u16..10).collect();
        sheet.header(2, &header, &right, st)?;
        let mut row = 3u32;
        for s in &q.scenarios {
            let Some(r) = &s.range else { continue };
            sheet.text(row, 0, &s.name, &st.text)?;
            let figures = [
                s.total,
                r.total.p10,
                r.total.p50,
                r.total.p90,
                r.npv.p10,
                r.npv.p50,
                r.npv.p90,
            ];
            for (col, m) in (1u16..).zip(figures) {
                money(&mut sheet, row, col, m, st)?;
            }
            let n = Decimal::from(r.cheapest_draws);
            sheet.number(row, 8, n, &r.cheapest_draws.to_string(), &st.int)?;
            let shown = format!(
                "{} %",
                crate::money::plain_text(r.p_cheapest * Decimal::ONE_HUNDRED)
            );
            sheet.number(row, 9, r.p_cheapest, &shown, &st.percent)?;
            row += 1;
        }
        row += 1;
        sheet.header(
            row,
            &[
                "scenario",
                "by the end of year",
                "cumulative P10",
                "cumulative P50",
                "cumulative P90",
            ],
            &[1, 2, 3, 4],
            st,
        )?;
        row += 1;
        for s in &q.scenarios {
            let Some(r) = &s.range else { continue };
            for (year, b) in (1u32..).zip(&r.cumulative) {
                sheet.text(row, 0, &s.name, &st.text)?;
                sheet.number(row, 1, Decimal::from(year), &year.to_string(), &st.int)?;
                for (col, m) in (2u16..).zip([b.p10, b.p50, b.p90]) {
                    money(&mut sheet, row, col, m, st)?;
                }
                row += 1;
            }
        }
        Ok(Some(sheet.fit()?))
    }
}

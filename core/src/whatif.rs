//! What the what-if reports (`compare`, `sweep`, `sensitivity`) share: grids of money split
//! into blocks that fit 100 columns, scenario keys and signed deltas. Headings and wrapped
//! text are the table report's (`render::table`), re-exported here.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::money::plain_text;

pub(crate) use crate::render::table::{WIDTH, heading, push_wrapped};

/// A column of a grid: its header and one cell per row.
pub(crate) struct Column {
    pub(crate) header: String,
    pub(crate) cells: Vec<String>,
}

/// Writes a grid: row labels on the left, columns right-aligned, two spaces apart. Columns
/// that do not fit in [`WIDTH`] continue in further blocks, each repeating the row labels.
pub(crate) fn grid(out: &mut String, corner: &str, rows: &[String], columns: &[Column]) {
    let label = rows
        .iter()
        .map(|r| r.chars().count())
        .chain([corner.chars().count()])
        .max()
        .unwrap_or(0);
    let widths: Vec<usize> = columns
        .iter()
        .map(|c| {
            c.cells
                .iter()
                .map(|x| x.chars().count())
                .chain([c.header.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut start = 0;
    while start < columns.len() {
        let mut used = label;
        let mut end = start;
        while end < columns.len() && (end == start || used + 2 + widths[end] <= WIDTH) {
            used += 2 + widths[end];
            end += 1;
        }
        if start > 0 {
            out.push('\n');
        }
        let mut line = format!("{corner:<label$}");
        for (c, w) in columns[start..end].iter().zip(&widths[start..end]) {
            let _ = write!(line, "  {:>w$}", c.header);
        }
        let _ = writeln!(out, "{}", line.trim_end());
        for (i, r) in rows.iter().enumerate() {
            let mut line = format!("{r:<label$}");
            for (c, w) in columns[start..end].iter().zip(&widths[start..end]) {
                let cell = c.cells.get(i).map_or("", String::as_str);
                let _ = write!(line, "  {cell:>w$}");
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
        start = end;
    }
}

/// Short keys for scenarios in tables: `S1`, `S2`, …
pub(crate) fn key(index: usize) -> String {
    format!("S{}", index + 1)
}

/// A signed amount for people: `+1,000.00`, `-250.00`, `0.00`.
pub(crate) fn signed(amount: Decimal) -> String {
    let text = crate::money::grouped(amount);
    if amount > Decimal::ZERO && text != "0.00" {
        format!("+{text}")
    } else {
        text
    }
}

/// A percentage to one decimal, signed: `+12.5 %`.
pub(crate) fn signed_percent(p: Decimal) -> String {
    let text = plain_text(percent_round(p));
    let text = if text.contains('.') {
        text
    } else {
        format!("{text}.0")
    };
    if p > Decimal::ZERO && !text.starts_with('-') && text != "0.0" {
        format!("+{text} %")
    } else {
        format!("{text} %")
    }
}

/// A percentage rounded to one decimal, half away from zero.
pub(crate) fn percent_round(p: Decimal) -> Decimal {
    let mut r = p.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    if r.is_zero() {
        r = Decimal::ZERO;
    }
    r
}

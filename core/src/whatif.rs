//! What the what-if reports (`compare`, `sweep`, `sensitivity`) share: the 100-column table
//! layout (headings, wrapped text, grids of money split into blocks that fit) and the JSON
//! forms of money and plain decimals.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::money::{money_text, plain_text};

/// Width of every table report.
pub(crate) const WIDTH: usize = 100;

/// `── left ─────── right ──`, exactly [`WIDTH`] columns.
pub(crate) fn heading(out: &mut String, left: &str, right: &str) {
    let right = if right.is_empty() {
        String::new()
    } else {
        format!(" {right} ──")
    };
    let room = WIDTH.saturating_sub(right.chars().count() + 7);
    let left = truncate(left, room);
    let fill = WIDTH
        .saturating_sub(left.chars().count() + right.chars().count() + 4)
        .max(3);
    let _ = writeln!(out, "── {left} {}{right}", "─".repeat(fill));
}

/// `text` cut to `max` characters, with `…` when cut.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() > max {
        text.chars().take(max.saturating_sub(1)).collect::<String>() + "…"
    } else {
        text.to_owned()
    }
}

/// Appends `text` wrapped at [`WIDTH`], continuation lines indented by `indent`.
pub(crate) fn push_wrapped(out: &mut String, text: &str, indent: usize) {
    let body = text.trim_start_matches(' ');
    let lead = text.len() - body.len();
    let mut current = " ".repeat(lead);
    let mut width = lead;
    let mut first = true;
    for word in body.split(' ') {
        let w = word.chars().count();
        if !first && width + 1 + w > WIDTH {
            out.push_str(current.trim_end());
            out.push('\n');
            current = " ".repeat(indent);
            width = indent;
        } else if !first {
            current.push(' ');
            width += 1;
        }
        current.push_str(word);
        width += w;
        first = false;
    }
    out.push_str(current.trim_end());
    out.push('\n');
}

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

/// Serde forms shared by the what-if results.
pub(crate) mod ser {
    use super::{Decimal, money_text, plain_text};

    /// Money as a string with two decimals.
    pub(crate) fn money<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&money_text(*d))
    }

    /// Optional money.
    pub(crate) fn opt_money<S: serde::Serializer>(
        d: &Option<Decimal>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&money_text(*d)),
            None => s.serialize_none(),
        }
    }

    /// A plain decimal as short text.
    pub(crate) fn plain<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&plain_text(*d))
    }

    /// An optional plain decimal.
    pub(crate) fn opt_plain<S: serde::Serializer>(
        d: &Option<Decimal>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&plain_text(*d)),
            None => s.serialize_none(),
        }
    }

    /// Plain decimals.
    pub(crate) fn plains<S: serde::Serializer>(d: &[Decimal], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(d.iter().map(|x| plain_text(*x)))
    }
}

/// Pretty JSON with a final newline; byte-identical for the same value.
pub(crate) fn json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    // Serialising plain structs of strings, numbers and vectors cannot fail.
    let mut out = serde_json::to_vec_pretty(value).unwrap_or_default();
    out.push(b'\n');
    out
}

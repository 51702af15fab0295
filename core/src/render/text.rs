//! Text layout for every 100-column report, in one place: headings, wrapping, truncation,
//! grids of money split into blocks that fit the width, scenario keys and signed deltas.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::analysis::compare::percent_round;
use crate::money::plain_text;

/// Width of every text report.
pub(crate) const WIDTH: usize = 100;

/// `── left ─────── right ──`, exactly [`WIDTH`] columns; a long left side is cut with `…`.
pub(crate) fn heading(out: &mut String, left: &str, right: &str) {
    let right = if right.is_empty() {
        String::new()
    } else {
        format!(" {right} ──")
    };
    // Room for "── ", " ", three rule characters and the right-hand label.
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

/// Appends a result's note, `note: …` wrapped at [`WIDTH`], continuation lines under its
/// first word: every report writes its notes this one way.
pub(crate) fn push_note(out: &mut String, note: &str) {
    push_wrapped(out, &format!("note: {note}"), 6);
}

/// Appends `text` wrapped at [`WIDTH`], continuation lines indented by `indent`. A word
/// longer than a line (a URL) stays whole.
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

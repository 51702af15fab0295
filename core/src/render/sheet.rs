//! Flat tables: a result's rows declared once, written as CSV or as a Markdown table.
//!
//! An analysis result that has a flat form (one row per scenario and year, per sweep point,
//! per input, per option, per line) builds one [`Sheet`]; CSV and Markdown are two ways of
//! writing it, so their columns cannot drift apart.

use std::fmt::Write as _;

use super::csv::safe_text;

/// One cell.
pub(crate) enum Cell {
    /// Text a person or a program wrote: neutralised in CSV against formula injection.
    Text(String),
    /// A number, boolean, date or fixed word: written as it is.
    Raw(String),
}

/// A header and rows of cells.
pub(crate) struct Sheet {
    pub(crate) header: Vec<Cell>,
    pub(crate) rows: Vec<Vec<Cell>>,
}

impl Cell {
    /// The cell as CSV writes it.
    fn csv(&self) -> String {
        match self {
            Cell::Text(t) => safe_text(t),
            Cell::Raw(t) => t.clone(),
        }
    }

    /// The cell as a Markdown table writes it (see [`markdown_text`]).
    fn markdown(&self) -> String {
        let (Cell::Text(t) | Cell::Raw(t)) = self;
        markdown_text(t)
    }
}

/// Text as Markdown shows it literally, in a table cell, a heading or a list item: HTML
/// (`<script>`, `<img onerror=…>`) as entities; the characters that make code, links and
/// images, or end a cell (`` ` `` `[` `]` `|` `\`), escaped; line breaks as spaces. Emphasis
/// (`*`, `_`) is left alone: it cannot run or link anything, and ids such as `cores_per_socket`
/// stay readable in the source. Every user text in every Markdown output goes through here.
pub(crate) fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '`' | '[' | ']' | '|' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `Cell::Raw` of anything displayable.
pub(crate) fn raw(value: impl ToString) -> Cell {
    Cell::Raw(value.to_string())
}

/// `Cell::Text` of a string.
pub(crate) fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

/// The name serde gives a unit enum value (`kebab-case` words such as `licence`, `fx`), so a
/// flat table says what the JSON says.
pub(crate) fn word(value: &impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A writer of CSV records with CRLF line ends, as every CSV of hypercost has.
pub(crate) fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

impl Sheet {
    /// The sheet as CSV.
    pub(crate) fn to_csv(&self) -> Vec<u8> {
        let mut w = csv_writer();
        for row in std::iter::once(&self.header).chain(&self.rows) {
            let _ = w.write_record(row.iter().map(Cell::csv));
        }
        w.into_inner().unwrap_or_default()
    }

    /// The sheet as one Markdown table.
    pub(crate) fn to_markdown(&self) -> Vec<u8> {
        let mut out = String::new();
        let line = |row: &[Cell]| {
            let cells: Vec<String> = row.iter().map(Cell::markdown).collect();
            format!("| {} |", cells.join(" | "))
        };
        let _ = writeln!(out, "{}", line(&self.header));
        let rule: Vec<&str> = self.header.iter().map(|_| "---").collect();
        let _ = writeln!(out, "|{}|", rule.join("|"));
        for row in &self.rows {
            let _ = writeln!(out, "{}", line(row));
        }
        out.into_bytes()
    }
}

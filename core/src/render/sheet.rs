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

    /// The cell as a Markdown table writes it: pipes and newlines would break the table.
    fn markdown(&self) -> String {
        let (Cell::Text(t) | Cell::Raw(t)) = self;
        t.replace('|', "\\|").replace('\n', " ")
    }
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

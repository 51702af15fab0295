//! The one table type of the importers: a header and rows of trimmed text cells, read from a
//! CSV file (list separator sniffed, each row's byte offset kept) or from a workbook sheet.
//! Each cell keeps where it came from — file, sheet, row, column, and the `E5` cell name in a
//! sheet — so every diagnostic names it.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::money::grouped_int;
use crate::source::SourceFile;

use super::MAX_ROWS;
use super::columns::{Col, aliases, normalise};

/// A CSV file or a worksheet as text cells.
pub(super) struct Table {
    /// File name as given (the CSV file, or the workbook).
    pub(super) file: String,
    /// Worksheet name inside a workbook; `None` for a CSV file.
    pub(super) sheet: Option<String>,
    /// The CSV's list separator; `None` for a worksheet.
    pub(super) separator: Option<u8>,
    /// Header cells, trimmed.
    pub(super) headers: Vec<String>,
    /// 1-based row (worksheet) or line (CSV) of the header.
    pub(super) header_row: usize,
    /// Non-blank data rows.
    pub(super) rows: Vec<Row>,
    /// 0-based worksheet column of the first cell (a worksheet range starts at its first used
    /// cell), for `E5`-style cell names.
    pub(super) first_col: u32,
}

/// One data row of a [`Table`].
pub(super) struct Row {
    /// Cells, trimmed.
    pub(super) cells: Cells,
    /// 1-based worksheet row, or CSV line.
    pub(super) number: usize,
    /// Byte offset in a CSV file (0 in a workbook).
    pub(super) offset: usize,
}

/// A row's trimmed cells in two allocations, the texts back to back and where each ends: a
/// `String` per cell made a large inventory take 17 times its size in memory.
pub(super) struct Cells {
    text: String,
    ends: Vec<usize>,
}

impl Cells {
    /// The cells, trimmed.
    pub(super) fn new<'a>(cells: impl IntoIterator<Item = &'a str>) -> Cells {
        let mut text = String::new();
        let mut ends = Vec::new();
        for c in cells {
            text.push_str(c.trim());
            ends.push(text.len());
        }
        Cells { text, ends }
    }

    /// Cell `i`, or `None` past the row's end.
    pub(super) fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = match i.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => 0,
        };
        self.text.get(start..end)
    }

    /// True when every cell is empty.
    pub(super) fn is_blank(&self) -> bool {
        self.text.is_empty()
    }
}

/// The separator among `,` `;` tab that occurs most often outside quotes on the first
/// non-blank line (`,` on a tie or when none occurs).
pub(crate) fn sniff_separator(text: &str) -> u8 {
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let seps = [b',', b';', b'\t'];
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    seps[best]
}

/// A diagnostic at a byte offset of `file`.
fn at_offset(file: &SourceFile, offset: usize, message: String) -> Diagnostic {
    let (line, column) = file.line_col(offset);
    Diagnostic {
        severity: Severity::Error,
        file: file.name.clone(),
        span: offset..offset,
        line,
        column,
        field: "CSV".to_owned(),
        message,
        help: None,
    }
}

impl Table {
    /// Reads a CSV file: a header line, then rows; blank rows are skipped.
    pub(super) fn from_csv(file: &SourceFile) -> Result<Table, Diagnostics> {
        let text = file.text.strip_prefix('\u{feff}').unwrap_or(&file.text);
        let bom = file.text.len() - text.len();
        let separator = sniff_separator(text);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(separator)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut headers: Option<Vec<String>> = None;
        let mut header_row = 1;
        let mut rows = Vec::new();
        let mut record = csv::StringRecord::new();
        // Line numbers counted on from the last record (records come in file order): counting
        // from the start of the text for every row made a large CSV quadratic.
        let (mut counted_to, mut line) = (0usize, 1usize);
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let offset = e.position().map_or(file.text.len(), |p| {
                        usize::try_from(p.byte()).unwrap_or(usize::MAX) + bom
                    });
                    return Err(Diagnostics(vec![at_offset(
                        file,
                        offset.min(file.text.len()),
                        format!("unreadable CSV: {e}"),
                    )]));
                }
            }
            let cells = Cells::new(record.iter());
            if cells.is_blank() {
                continue;
            }
            let offset = record
                .position()
                .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX) + bom);
            let mut offset = offset.min(file.text.len());
            // With CRLF line ends the csv reader puts a record's start on the `\n` that ends
            // the previous line: step over line ends to the record's first byte.
            while matches!(file.text.as_bytes().get(offset), Some(b'\r' | b'\n')) {
                offset += 1;
            }
            if let Some(between) = file.text.as_bytes().get(counted_to..offset) {
                line += between.iter().filter(|b| **b == b'\n').count();
                counted_to = offset;
            }
            let number = line;
            if headers.is_none() {
                header_row = number;
                headers = Some(record.iter().map(|c| c.trim().to_owned()).collect());
            } else {
                if rows.len() == MAX_ROWS {
                    return Err(Diagnostics(vec![at_offset(
                        file,
                        offset,
                        format!(
                            "more than {} data rows: hypercost reads at most that many from one CSV (MAX_ROWS)",
                            grouped_int(MAX_ROWS as u64)
                        ),
                    )]));
                }
                rows.push(Row {
                    cells,
                    number,
                    offset,
                });
            }
        }
        let Some(headers) = headers else {
            return Err(Diagnostics(vec![at_offset(
                file,
                0,
                "the file is empty: no header line".to_owned(),
            )]));
        };
        Ok(Table {
            file: file.name.clone(),
            sheet: None,
            separator: Some(separator),
            headers,
            header_row,
            rows,
            first_col: 0,
        })
    }

    /// The table's name in messages: ``sheet `vHost` `` or the CSV file name.
    pub(super) fn label(&self) -> String {
        match &self.sheet {
            Some(s) => format!("sheet `{s}`"),
            None => format!("`{}`", self.file),
        }
    }

    /// The CSV separator's name, for the header comment.
    pub(super) fn separator_name(&self) -> &'static str {
        match self.separator {
            Some(b';') => "`;`",
            Some(b'\t') => "tab",
            _ => "`,`",
        }
    }

    /// The first column whose header is one of `col`'s names, in their order of preference.
    pub(super) fn column(&self, col: Col) -> Option<usize> {
        aliases(col)
            .iter()
            .find_map(|n| self.headers.iter().position(|h| normalise(h) == *n))
    }

    /// The header of column `col`, empty when there is none.
    pub(super) fn header(&self, col: Option<usize>) -> &str {
        col.and_then(|c| self.headers.get(c))
            .map_or("", String::as_str)
    }

    /// A cell's trimmed text, empty when the row is short or there is no column.
    pub(super) fn cell(&self, row: usize, col: impl Into<Option<usize>>) -> &str {
        col.into()
            .and_then(|c| self.rows.get(row).and_then(|r| r.cells.get(c)))
            .unwrap_or("")
    }

    /// The 1-based row (worksheet) or line (CSV) of data row `row`.
    pub(super) fn row_number(&self, row: usize) -> usize {
        self.rows.get(row).map_or(self.header_row, |r| r.number)
    }

    /// A diagnostic about a cell, a row, a header cell or the header: file, sheet, row and
    /// column (and the `E5` cell name in a worksheet). A CSV diagnostic points at the row's
    /// byte offset; a worksheet has no text, so its line and column are the sheet's row and
    /// column.
    pub(super) fn at(
        &self,
        severity: Severity,
        row: Option<usize>,
        col: Option<usize>,
        message: String,
        help: Option<String>,
    ) -> Diagnostic {
        let number = row.map_or(self.header_row, |r| self.row_number(r));
        let offset = row.and_then(|r| self.rows.get(r)).map_or(0, |r| r.offset);
        let header = col.and_then(|c| self.headers.get(c)).map(String::as_str);
        let column_no = col.map_or(1, |c| {
            usize::try_from(self.first_col)
                .unwrap_or(0)
                .saturating_add(c)
                .saturating_add(1)
        });
        let mut field = match &self.sheet {
            Some(s) => format!("sheet `{s}`, "),
            None => String::new(),
        };
        match (row, header) {
            (Some(_), Some(h)) => {
                let _ = write!(field, "row {number}, column `{h}`");
            }
            (Some(_), None) => {
                let _ = write!(field, "row {number}");
            }
            (None, Some(h)) => {
                let _ = write!(field, "header, column `{h}`");
            }
            (None, None) => field.push_str("header"),
        }
        if self.sheet.is_some() && col.is_some() {
            let _ = write!(field, " (cell {}{number})", column_letters(column_no));
        }
        Diagnostic {
            severity,
            file: self.file.clone(),
            span: offset..offset,
            line: number,
            column: if self.sheet.is_some() { column_no } else { 1 },
            field,
            message,
            help,
        }
    }

    /// An error about one cell.
    pub(super) fn error(
        &self,
        row: usize,
        col: impl Into<Option<usize>>,
        message: impl Into<String>,
        help: Option<String>,
    ) -> Diagnostic {
        self.at(Severity::Error, Some(row), col.into(), message.into(), help)
    }

    /// A warning about one cell.
    pub(super) fn warning(
        &self,
        row: usize,
        col: impl Into<Option<usize>>,
        message: impl Into<String>,
        help: Option<String>,
    ) -> Diagnostic {
        self.at(
            Severity::Warning,
            Some(row),
            col.into(),
            message.into(),
            help,
        )
    }

    /// An error about the header.
    pub(super) fn header_error(&self, message: impl Into<String>, help: String) -> Diagnostic {
        self.at(Severity::Error, None, None, message.into(), Some(help))
    }

    /// Warns once about the header cells for which `known` (column index, header) says no:
    /// neither read nor a known column of the format. `in_file` names the file in the message
    /// (for one CSV of several).
    pub(super) fn warn_unknown(
        &self,
        known: impl Fn(usize, &str) -> bool,
        in_file: bool,
        out: &mut Vec<Diagnostic>,
    ) {
        let unknown: Vec<&str> = self
            .headers
            .iter()
            .enumerate()
            .filter(|(i, h)| !known(*i, h))
            .map(|(_, h)| h.as_str())
            .collect();
        if unknown.is_empty() {
            return;
        }
        let place = if in_file {
            format!(" in {}", super::base_name(&self.file))
        } else {
            String::new()
        };
        out.push(self.at(
            Severity::Warning,
            None,
            None,
            format!("unknown columns ignored{place}: {}", unknown.join(", ")),
            None,
        ));
    }

    /// A whole number that must be there: an error pushed to `errors` when the cell is empty
    /// or not a count.
    pub(super) fn count(
        &self,
        row: usize,
        col: usize,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<u32> {
        let text = self.cell(row, col);
        let parsed = parse_count(text);
        if parsed.is_none() {
            errors.push(self.error(
                row,
                col,
                if text.is_empty() {
                    "missing value".to_owned()
                } else {
                    format!("`{text}` is not a whole number")
                },
                Some("a count such as 2 or 1,024".to_owned()),
            ));
        }
        parsed
    }

    /// A whole number that may be missing: `Ok(None)` when empty, an error pushed when it is
    /// not a count.
    pub(super) fn optional_count(
        &self,
        row: usize,
        col: Option<usize>,
        errors: &mut Vec<Diagnostic>,
    ) -> Result<Option<u32>, ()> {
        if self.cell(row, col).is_empty() {
            return Ok(None);
        }
        match col {
            Some(c) => self.count(row, c, errors).map(Some).ok_or(()),
            None => Ok(None),
        }
    }

    /// An amount (MiB) from a cell: `Ok(None)` when empty, an error when not a number ≥ 0.
    pub(super) fn amount(
        &self,
        row: usize,
        col: Option<usize>,
        what: &str,
        errors: &mut Vec<Diagnostic>,
    ) -> Result<Option<Decimal>, ()> {
        let text = self.cell(row, col);
        if text.is_empty() {
            return Ok(None);
        }
        match parse_decimal(text) {
            Some(v) if v >= Decimal::ZERO => Ok(Some(v)),
            _ => {
                errors.push(self.error(
                    row,
                    col,
                    format!("`{text}` is not {what}"),
                    Some("a number of MiB such as 785059 or 785.059".to_owned()),
                ));
                Err(())
            }
        }
    }
}

/// `1` → `A`, `27` → `AA`.
fn column_letters(mut n: usize) -> String {
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(char::from(b'A' + u8::try_from(r).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// Whether a cell says yes: `True` (RVTools), `yes`, `1`.
pub(super) fn truthy(text: &str) -> bool {
    matches!(text.to_ascii_lowercase().as_str(), "true" | "yes" | "1")
}
/// A decimal number stored as text: spaces, apostrophes and thousands separators allowed
/// (`1,024` `1.024` `1 024` `1'024`); when both `.` and `,` occur the last one is the decimal
/// mark; a lone separator followed by exactly three digits is a thousands separator.
pub(super) fn parse_decimal(text: &str) -> Option<Decimal> {
    let cleaned: String = text
        .trim()
        .trim_matches('"')
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    let (negative, digits) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    if digits.is_empty()
        || !digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    let last_dot = digits.rfind('.');
    let last_comma = digits.rfind(',');
    let decimal_mark = match (last_dot, last_comma) {
        (Some(d), Some(c)) => Some(if d > c { '.' } else { ',' }),
        (Some(p), None) | (None, Some(p)) => {
            let mark = if last_dot.is_some() { '.' } else { ',' };
            let groups: Vec<&str> = digits.split(mark).collect();
            let thousands = groups.len() > 1
                && groups.first().is_some_and(|g| (1..=3).contains(&g.len()))
                && groups[1..].iter().all(|g| g.len() == 3);
            if thousands || digits[p + 1..].is_empty() && groups.len() > 2 {
                None
            } else if groups.len() == 2 {
                Some(mark)
            } else {
                return None;
            }
        }
        (None, None) => None,
    };
    let mut plain = String::new();
    for c in digits.chars() {
        if Some(c) == decimal_mark {
            plain.push('.');
        } else if c.is_ascii_digit() {
            plain.push(c);
        }
    }
    if plain.starts_with('.') || plain.ends_with('.') {
        return None;
    }
    let value: Decimal = plain.parse().ok()?;
    Some(if negative { -value } else { value })
}

/// A non-negative whole number (see [`parse_decimal`]); `2.0` is 2, `2.5` is not a count.
pub(super) fn parse_count(text: &str) -> Option<u32> {
    let v = parse_decimal(text)?;
    if v.is_sign_negative() || v.fract() != Decimal::ZERO {
        return None;
    }
    let v = v.trunc().normalize();
    u32::try_from(v.mantissa()).ok()
}

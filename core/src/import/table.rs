//! A CSV read into a header and rows of trimmed text cells, with the list separator sniffed
//! and each row's byte offset kept for diagnostics.

use rust_decimal::Decimal;

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::source::SourceFile;

use super::diagnostic;

/// A parsed CSV.
pub(super) struct Table<'f> {
    file: &'f SourceFile,
    separator: u8,
    header_line: usize,
    /// Header cells as written (trimmed).
    pub(super) headers: Vec<String>,
    /// Non-blank data rows.
    pub(super) rows: Vec<Row>,
}

/// One data row.
pub(super) struct Row {
    pub(super) cells: Vec<String>,
    /// Byte offset of the row in the file.
    pub(super) offset: usize,
    /// 1-based line of the row.
    pub(super) line: usize,
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

impl<'f> Table<'f> {
    /// Parses `file`: a header line, then rows; blank rows are skipped.
    pub(super) fn parse(file: &'f SourceFile) -> Result<Table<'f>, Diagnostics> {
        let text = file.text.strip_prefix('\u{feff}').unwrap_or(&file.text);
        let bom = file.text.len() - text.len();
        let separator = sniff_separator(text);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(separator)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut headers: Option<Vec<String>> = None;
        let mut header_line = 1;
        let mut rows = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let offset = e.position().map_or(file.text.len(), |p| {
                        usize::try_from(p.byte()).unwrap_or(usize::MAX) + bom
                    });
                    return Err(Diagnostics(vec![diagnostic(
                        file,
                        Severity::Error,
                        offset.min(file.text.len()),
                        "CSV".to_owned(),
                        format!("unreadable CSV: {e}"),
                        None,
                    )]));
                }
            }
            let cells: Vec<String> = record.iter().map(|c| c.trim().to_owned()).collect();
            if cells.iter().all(String::is_empty) {
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
            if headers.is_none() {
                header_line = file.line_col(offset).0;
                headers = Some(cells);
            } else {
                let (line, _) = file.line_col(offset);
                rows.push(Row {
                    cells,
                    offset,
                    line,
                });
            }
        }
        let Some(headers) = headers else {
            return Err(Diagnostics(vec![diagnostic(
                file,
                Severity::Error,
                0,
                "CSV".to_owned(),
                "the file is empty: no header line".to_owned(),
                None,
            )]));
        };
        Ok(Table {
            file,
            separator,
            header_line,
            headers,
            rows,
        })
    }

    /// The 1-based line of the header row.
    pub(super) fn header_line(&self) -> usize {
        self.header_line
    }

    /// The separator's name, for the header comment.
    pub(super) fn separator_name(&self) -> &'static str {
        match self.separator {
            b';' => "`;`",
            b'\t' => "tab",
            _ => "`,`",
        }
    }

    /// The first column whose header (case-insensitive) is one of `names` (lowercase).
    pub(super) fn column(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| {
            self.headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(n))
        })
    }

    /// The 1-based line of data row `row`.
    pub(super) fn row_number(&self, row: usize) -> usize {
        self.rows.get(row).map_or(1, |r| r.line)
    }

    /// A cell's trimmed text, empty when the row is short.
    pub(super) fn cell(&self, row: usize, col: usize) -> &str {
        self.rows
            .get(row)
            .and_then(|r| r.cells.get(col))
            .map_or("", String::as_str)
    }

    fn field(&self, row: usize, col: usize) -> String {
        format!(
            "row {}, column `{}`",
            self.row_number(row),
            self.headers.get(col).map_or("", String::as_str)
        )
    }

    /// An error about one cell.
    pub(super) fn cell_error(
        &self,
        row: usize,
        col: usize,
        message: impl Into<String>,
        help: Option<String>,
    ) -> Diagnostic {
        self.at(Severity::Error, row, col, message.into(), help)
    }

    /// A warning about one cell.
    pub(super) fn cell_warning(
        &self,
        row: usize,
        col: usize,
        message: impl Into<String>,
        help: Option<String>,
    ) -> Diagnostic {
        self.at(Severity::Warning, row, col, message.into(), help)
    }

    fn at(
        &self,
        severity: Severity,
        row: usize,
        col: usize,
        message: String,
        help: Option<String>,
    ) -> Diagnostic {
        let offset = self.rows.get(row).map_or(0, |r| r.offset);
        diagnostic(
            self.file,
            severity,
            offset,
            self.field(row, col),
            message,
            help,
        )
    }

    /// An error about the header line.
    pub(super) fn header_error(&self, message: &str, help: String) -> Diagnostic {
        diagnostic(
            self.file,
            Severity::Error,
            0,
            "header".to_owned(),
            message.to_owned(),
            Some(help),
        )
    }

    /// Warns about header cells neither used nor known.
    pub(super) fn warn_unknown(&self, used: &[usize], known: &[&str], out: &mut Vec<Diagnostic>) {
        let unknown: Vec<&str> = self
            .headers
            .iter()
            .enumerate()
            .filter(|(i, h)| !used.contains(i) && !known.iter().any(|k| h.eq_ignore_ascii_case(k)))
            .map(|(_, h)| h.as_str())
            .collect();
        if !unknown.is_empty() {
            out.push(diagnostic(
                self.file,
                Severity::Warning,
                0,
                "header".to_owned(),
                format!("unknown columns ignored: {}", unknown.join(", ")),
                None,
            ));
        }
    }

    /// A non-negative whole number from a cell, or an error pushed to `errors`.
    pub(super) fn count(
        &self,
        row: usize,
        col: usize,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<u32> {
        let text = self.cell(row, col);
        let parsed = parse_count(text);
        if parsed.is_none() {
            errors.push(self.cell_error(
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

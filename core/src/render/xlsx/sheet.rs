//! A worksheet that sizes its columns and rows to what was written, and writes a formula only
//! when it evaluates to the engine's number.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Formula, Worksheet};

use super::formula::{Cell, Ex};
use super::styles::Styles;
use super::{Error, clip};

/// A worksheet that remembers how wide its columns need to be.
pub(super) struct Sheet {
    pub(super) ws: Worksheet,
    widths: BTreeMap<u16, usize>,
    caps: BTreeMap<u16, usize>,
    /// Wrapped text cells, for the row heights.
    wrapped: Vec<(u32, u16, usize)>,
}

/// The longest formula a cell holds (an Excel limit).
const MAX_FORMULA: usize = 8_192;

/// The height of one line of text in points (Calibri 11, the default font).
const LINE_HEIGHT: u16 = 15;

impl Sheet {
    pub(super) fn new(name: &str) -> Result<Sheet, Error> {
        let mut ws = Worksheet::new();
        ws.set_name(name)?;
        ws.set_paper_size(9); // A4
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        ws.set_footer("&L&A&RPage &P of &N");
        Ok(Sheet {
            ws,
            widths: BTreeMap::new(),
            caps: BTreeMap::new(),
            wrapped: Vec::new(),
        })
    }

    pub(super) fn seen(&mut self, col: u16, shown: &str) {
        let longest = shown.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        let w = self.widths.entry(col).or_insert(0);
        *w = (*w).max(longest);
    }

    /// Text that does not set a column's width (titles, notes across the sheet).
    pub(super) fn banner(&mut self, row: u32, text: &str, format: &Format) -> Result<(), Error> {
        self.ws
            .write_string_with_format(row, 0, clip(text), format)?;
        Ok(())
    }

    pub(super) fn text(
        &mut self,
        row: u32,
        col: u16,
        text: &str,
        format: &Format,
    ) -> Result<(), Error> {
        let text = clip(text);
        self.seen(col, text);
        self.ws.write_string_with_format(row, col, text, format)?;
        Ok(())
    }

    /// Text that wraps within its column's capped width; its row grows to show it all.
    pub(super) fn wrap(
        &mut self,
        row: u32,
        col: u16,
        text: &str,
        format: &Format,
    ) -> Result<(), Error> {
        self.text(row, col, text, format)?;
        let longest = clip(text).chars().count();
        if longest > 0 {
            self.wrapped.push((row, col, longest));
        }
        Ok(())
    }

    /// A header row: text left, numbers' headings right (`right` lists those columns).
    pub(super) fn header(
        &mut self,
        row: u32,
        headers: &[&str],
        right: &[u16],
        styles: &Styles,
    ) -> Result<(), Error> {
        for (col, h) in (0u16..).zip(headers) {
            let format = if right.contains(&col) {
                &styles.header_right
            } else {
                &styles.header
            };
            // A heading wraps at its words: only its longest word sets the column's width.
            let word = h.split(' ').map(|w| w.chars().count()).max().unwrap_or(0);
            self.seen(col, &"0".repeat(word));
            self.ws.write_string_with_format(row, col, *h, format)?;
            self.wrapped.push((row, col, h.chars().count()));
        }
        Ok(())
    }

    /// A number; `shown` is roughly how it displays, for the column width.
    pub(super) fn number(
        &mut self,
        row: u32,
        col: u16,
        value: Decimal,
        shown: &str,
        format: &Format,
    ) -> Result<(), Error> {
        self.seen(col, shown);
        self.ws.write_with_format(row, col, value, format)?;
        Ok(())
    }

    /// A formula with its cached result (the engine's text for the number).
    fn formula(
        &mut self,
        row: u32,
        col: u16,
        text: String,
        cached: &str,
        shown: &str,
        format: &Format,
    ) -> Result<(), Error> {
        self.seen(col, shown);
        let f = Formula::new(text).set_result(cached);
        self.ws.write_formula_with_format(row, col, f, format)?;
        Ok(())
    }

    /// A formula when it evaluates to `value` and fits a cell (at most [`MAX_FORMULA`]
    /// characters: a pool over many long-named clusters may not), else the value in a tinted
    /// cell; true when the formula was written.
    #[allow(
        clippy::too_many_arguments,
        reason = "a cell: place, formula, value, looks"
    )]
    pub(super) fn checked(
        &mut self,
        row: u32,
        col: u16,
        ex: Option<&Ex>,
        value: Decimal,
        cached: &str,
        shown: &str,
        format: &Format,
    ) -> Result<bool, Error> {
        let text = ex
            .filter(|ex| ex.eval(&Cell::value) == Some(value))
            .map(|ex| format!("={}", ex.excel(&Cell::reference)));
        match text {
            Some(text) if text.chars().count() <= MAX_FORMULA => {
                self.formula(row, col, text, cached, shown, format)?;
                Ok(true)
            }
            _ => {
                self.number(row, col, value, shown, &Styles::value(format))?;
                Ok(false)
            }
        }
    }

    pub(super) fn cap(&mut self, col: u16, width: usize) {
        self.caps.insert(col, width);
    }

    /// Sets every column's width to fit what was written (capped where text wraps), and the
    /// height of every row with wrapped text to show all its lines (spreadsheets do not
    /// measure rows of a file they open).
    pub(super) fn fit(mut self) -> Result<Worksheet, Error> {
        let mut widths = BTreeMap::new();
        for (col, w) in &self.widths {
            let cap = self.caps.get(col).copied().unwrap_or(60);
            let width = (w + 3).clamp(5, cap);
            self.ws.set_column_width(*col, width as u16)?;
            widths.insert(*col, width);
        }
        let mut lines: BTreeMap<u32, usize> = BTreeMap::new();
        for (row, col, chars) in &self.wrapped {
            // Words wrap at spaces and text is indented: a little under the width per line.
            let per_line = widths.get(col).map_or(8, |w| w.saturating_sub(3).max(4));
            let n = chars.div_ceil(per_line);
            let at = lines.entry(*row).or_insert(1);
            *at = (*at).max(n);
        }
        for (row, n) in lines {
            if n > 1 {
                let n = u16::try_from(n.min(40)).unwrap_or(40);
                self.ws.set_row_height(row, LINE_HEIGHT * n)?;
            }
        }
        Ok(self.ws)
    }
}

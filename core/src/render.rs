//! Rendering a [`Quote`] to bytes: one function per format, all over the same result.
//!
//! Renderers live in the core and return bytes, so the CLI and the web page show the same
//! output for the same estate (Infracost's `ToX(Root, Options)` shape).

pub mod csv;
pub mod html;
pub(crate) mod json;
mod markdown;
pub(crate) mod table;
#[cfg(feature = "xlsx")]
pub mod xlsx;

use crate::quote::Quote;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A report for people, readable in 100 columns.
    Table,
    /// The versioned JSON contract (`format: 1`).
    Json,
    /// One row per line item, raw numbers, text neutralised against formula injection.
    Csv,
    /// The report as Markdown tables, for a ticket or a wiki.
    Markdown,
    /// The report as one self-contained HTML page (inline CSS and SVG charts, no network).
    Html,
    /// A workbook with live formulas over named inputs (feature `xlsx`; the variant exists
    /// only with it, so a build without rust_xlsxwriter cannot ask for a workbook).
    #[cfg(feature = "xlsx")]
    Xlsx,
}

/// Renders a quote.
pub fn render(quote: &Quote, format: Format) -> Vec<u8> {
    match format {
        Format::Table => table::render(quote).into_bytes(),
        Format::Json => json::render(quote),
        Format::Csv => csv::render(quote),
        Format::Markdown => markdown::render(quote).into_bytes(),
        #[cfg(feature = "xlsx")]
        Format::Xlsx => xlsx::render(quote),
        Format::Html => html::render(quote),
    }
}

//! Rendering a [`Quote`] to bytes: one function per format, all over the same result.
//!
//! Renderers live in the core and return bytes, so the CLI and the web page show the same
//! output for the same estate (Infracost's `ToX(Root, Options)` shape).

pub mod csv;
mod json;
mod markdown;
mod table;

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
}

/// Renders a quote.
pub fn render(quote: &Quote, format: Format) -> Vec<u8> {
    match format {
        Format::Table => table::render(quote).into_bytes(),
        Format::Json => json::render(quote),
        Format::Csv => csv::render(quote),
        Format::Markdown => markdown::render(quote).into_bytes(),
    }
}

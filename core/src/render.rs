//! Rendering results to bytes: the format registry, the [`Report`] trait every result type
//! implements, and the renderers.
//!
//! Renderers live in the core and return bytes, so the CLI and the web page show the same
//! output for the same estate (Infracost's `ToX(Root, Options)` shape). The quote renders per
//! format (`table`, `json`, `csv`, `markdown`, `html`, `xlsx`); each analysis result has its
//! own module (`compare`, `sweep`, `sensitivity`, `cheapest`, `explain`). Text layout (widths,
//! wrapping, grids) is in `text`, flat tables for CSV and Markdown in `sheet`. Analyses never
//! import this module; it imports them.

mod cheapest;
mod compare;
pub mod csv;
mod explain;
mod format;
pub mod html;
pub(crate) mod json;
mod markdown;
mod reshape;
mod schedule;
mod sensitivity;
mod sheet;
mod sweep;
pub(crate) mod table;
mod text;
mod uncertainty;
#[cfg(feature = "xlsx")]
pub mod xlsx;

pub use format::{Format, Unsupported};

use crate::quote::Quote;

/// A result that renders to bytes in some of the registry's formats.
///
/// One trait for every result type, so a front end picks, refuses and writes a format the
/// same way for every command instead of falling back to a table.
pub trait Report {
    /// What the result is called in messages (`quote`, `compare`, `explain`, …).
    fn kind(&self) -> &'static str;

    /// The formats it renders to, in registry order.
    fn formats(&self) -> &'static [Format];

    /// The bytes in `format`, or why not: [`Unsupported`] naming the formats it does render
    /// to, or a limit of the file format that writing hit (never a broken file).
    fn render(&self, format: Format) -> Result<Vec<u8>, RenderError>;

    /// The refusal for `format` (for implementations' fall-through arm).
    fn unsupported(&self, format: Format) -> Unsupported {
        Unsupported {
            kind: self.kind(),
            format,
            supported: self.formats(),
        }
    }
}

/// An analysis result: a table for people, its JSON, and one flat [`sheet::Sheet`] written
/// as CSV or Markdown. Every analysis renders those four formats the same way.
pub(crate) trait Analysis: serde::Serialize {
    /// What the result is called in messages.
    const KIND: &'static str;
    /// The table for people.
    fn table(&self) -> String;
    /// The flat table CSV and Markdown are written from.
    fn sheet(&self) -> sheet::Sheet;
}

impl<T: Analysis> Report for T {
    fn kind(&self) -> &'static str {
        T::KIND
    }

    fn formats(&self) -> &'static [Format] {
        &[Format::Table, Format::Json, Format::Csv, Format::Markdown]
    }

    fn render(&self, format: Format) -> Result<Vec<u8>, RenderError> {
        match format {
            Format::Table => Ok(self.table().into_bytes()),
            Format::Json => Ok(json::pretty(self)),
            Format::Csv => Ok(self.sheet().to_csv()),
            Format::Markdown => Ok(self.sheet().to_markdown()),
            other => Err(self.unsupported(other).into()),
        }
    }
}

/// Any result's JSON as every command writes it (pretty, final newline). For a front end that
/// needs only JSON: unlike [`Report::render`], it links no other format's layout (the page's
/// wasm stays small).
pub fn json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    json::pretty(value)
}

/// Why a result was not rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The result does not render to the format.
    #[error(transparent)]
    Unsupported(#[from] Unsupported),
    /// The workbook hit a limit of the XLSX format.
    #[cfg(feature = "xlsx")]
    #[error(transparent)]
    Xlsx(#[from] xlsx::Error),
}

/// Renders a quote; every format applies to a quote. Only a workbook can fail (a limit of the
/// file format), and its failure is the caller's to report: never a file that is no workbook.
pub fn render(quote: &Quote, format: Format) -> Result<Vec<u8>, RenderError> {
    Ok(match format {
        Format::Table => table::render(quote).into_bytes(),
        Format::Json => json::render(quote),
        Format::Csv => csv::render(quote),
        Format::Markdown => markdown::render(quote).into_bytes(),
        #[cfg(feature = "xlsx")]
        Format::Xlsx => xlsx::workbook(quote)?,
        Format::Html => html::render(quote),
    })
}

impl Report for Quote {
    fn kind(&self) -> &'static str {
        "quote"
    }

    fn formats(&self) -> &'static [Format] {
        Format::ALL
    }

    fn render(&self, format: Format) -> Result<Vec<u8>, RenderError> {
        render(self, format)
    }
}

#[cfg(test)]
mod tests;

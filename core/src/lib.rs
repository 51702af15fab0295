//! hypercost-core: the pure pricing engine of hypercost.
//!
//! It answers one question for people who buy virtualisation: what will this estate cost over
//! the next N years on each platform, edition and add-on we could choose, and why? Text goes
//! in (pricebooks, an estate), a [`Quote`] comes out, and renderers turn it into bytes. The
//! crate does no I/O, reads no clock and no environment, and never uses a float for money.
//!
//! ```
//! use hypercost_core::{PricebookSet, example_estate, parse_estate, quote, render, Format};
//!
//! let books = PricebookSet::bundled().expect("bundled pricebooks are valid");
//! let estate = parse_estate(&example_estate(), &books).expect("the example is valid");
//! let q = quote(&estate, &books);
//! assert!(q.scenarios.iter().all(|s| s.total == s.lines.iter().map(|l| l.amount).sum()));
//! let json = render(&q, Format::Json).expect("JSON always renders");
//! assert!(json.starts_with(b"{"));
//! ```

#![deny(
    clippy::float_arithmetic,
    reason = "money is exact: no float arithmetic in the core"
)]

pub mod analysis;
mod bundled;
pub mod date;
pub mod diag;
mod engine;
pub mod estate;
pub mod eval;
pub mod feature;
pub mod hardware;
pub mod ids;
pub mod import;
#[cfg(feature = "schema")]
pub mod init;
pub mod money;
pub mod pricebook;
pub mod pricing;
pub mod quote;
mod read;
pub mod region;
pub mod render;
#[cfg(feature = "schema")]
pub mod schema;
pub mod shared;
pub mod source;

pub use date::Date;
pub use diag::{Diagnostic, Diagnostics, Severity, snippet_text};
pub use engine::quote;
pub use estate::{Estate, example_estate, parse_estate};
pub use ids::{ItemRef, PricebookId};
pub use pricebook::{LoadedPricebooks, Pricebook, PricebookSet, parse_pricebook};
pub use pricing::Pricing;
pub use quote::Quote;
pub use render::{Format, Report, Unsupported, render};
pub use source::SourceFile;

/// The engine's name and version, as every JSON output (`"engine"`) and the web page state it.
pub const ENGINE: &str = concat!("hypercost-core ", env!("CARGO_PKG_VERSION"));

#[cfg(test)]
mod tests;

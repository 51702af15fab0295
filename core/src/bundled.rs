//! The pricebooks and example estate compiled into the library (see `build.rs`).

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// The embedded example: the 2009 decision of the seed article.
pub(crate) const EXAMPLE_ESTATE: &str = include_str!("../../examples/acme-2009.toml");

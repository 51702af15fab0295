//! The pricebooks and example estate compiled into the library (see `build.rs`).

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// The embedded example: the 2009 decision of the seed article.
pub(crate) const EXAMPLE_ESTATE: &str = include_str!("../../examples/acme-2009.toml");

/// The bundled hardware catalogue: (file stem, TOML text).
pub(crate) const HARDWARE: (&str, &str) = (
    "servers-2026",
    include_str!("../../hardware/servers-2026.toml"),
);

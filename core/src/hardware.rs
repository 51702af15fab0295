//! The hardware catalogue: server CPUs, server chassis and RAM, each priced with its source and
//! confidence, from which `reshape` builds every host shape (a server × a CPU × a RAM size).
//! The bundled catalogue lives in `hardware/` (like `pricebooks/`) and `--hardware FILE`
//! replaces it; `hardware/README.md` documents the format field by field.

pub(crate) mod parse;
#[cfg(test)]
mod tests;

pub use parse::parse_catalogue;

use rust_decimal::Decimal;

use crate::diag::Diagnostics;
use crate::pricebook::Confidence;
use crate::source::SourceFile;

/// The catalogue compiled into hypercost (`hardware/servers-2026.toml`). It is data like the
/// bundled pricebooks, so it is read by the same checking reader and a problem is returned,
/// not assumed away; a test proves the bundled file reads.
pub fn bundled() -> Result<Catalogue, Diagnostics> {
    let (stem, text) = crate::bundled::HARDWARE;
    parse_catalogue(&SourceFile::new(format!("<bundled>/{stem}.toml"), text))
}

/// A hardware catalogue (`hardware/*.toml`, format 1).
#[derive(Clone, Debug, PartialEq)]
pub struct Catalogue {
    /// Lowercase id, e.g. `servers-2026`.
    pub id: String,
    /// ISO 4217 code of every price.
    pub currency: String,
    /// One entry per CPU model, in file order.
    pub cpus: Vec<Cpu>,
    /// One entry per server model, in file order.
    pub servers: Vec<Server>,
    /// Memory.
    pub ram: Ram,
}

/// One CPU model (`[[cpu]]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Cpu {
    /// Unique within the catalogue, e.g. `32c`.
    pub id: String,
    /// Human name, e.g. "AMD EPYC 9355 (32 cores)".
    pub name: String,
    /// Physical cores.
    pub cores: u32,
    /// Power draw counted per CPU (TDP), in watts.
    pub watts: u32,
    /// Price of one CPU.
    pub price: Decimal,
    /// Citation.
    pub source: String,
    /// How sure the price is.
    pub confidence: Confidence,
}

/// One server model (`[[server]]`): all but CPUs and RAM.
#[derive(Clone, Debug, PartialEq)]
pub struct Server {
    /// Unique within the catalogue, e.g. `2s-2u`.
    pub id: String,
    /// Human name.
    pub name: String,
    /// CPUs per host.
    pub sockets: u32,
    /// Chassis, board, power supplies, boot disks, network: all but CPUs and RAM.
    pub base_price: Decimal,
    /// Host power draw without CPUs, in watts.
    pub watts: u32,
    /// RAM the server holds at most, in GB.
    pub max_ram_gb: u32,
    /// Citation.
    pub source: String,
    /// How sure the price is.
    pub confidence: Confidence,
}

/// Memory (`[ram]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Ram {
    /// Price per GB.
    pub price_per_gb: Decimal,
    /// The RAM sizes per host a shape may have, in GB, ascending.
    pub sizes_gb: Vec<u32>,
    /// Citation.
    pub source: String,
    /// How sure the price is.
    pub confidence: Confidence,
}

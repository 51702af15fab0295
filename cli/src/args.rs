//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Licensing and TCO calculator for virtualisation estates: what will this estate cost over
/// N years on each platform, edition and add-on, and why?
#[derive(Debug, Parser)]
#[command(name = "hypercost", version, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Price every scenario of an estate: lines, rules, sources, totals, compliance.
    Quote(QuoteArgs),
    /// List, show, check or compare pricebooks.
    #[command(subcommand)]
    Pricebook(PricebookCommand),
    /// Print the JSON Schema (draft 2020-12) of the estate, pricebook or quote format.
    Schema(SchemaArgs),
}

/// Arguments of `hypercost schema`.
#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Which format: `estate` and `pricebook` (TOML, for editors such as Taplo) or `quote`
    /// (the JSON of `quote --format json`).
    #[arg(value_enum)]
    pub kind: SchemaKindArg,
    /// Write the schema to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// The formats `hypercost schema` describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SchemaKindArg {
    /// Estate files (TOML, format 1).
    Estate,
    /// Pricebook files (TOML, format 1).
    Pricebook,
    /// The quote JSON (format 1).
    Quote,
}

/// `hypercost pricebook …`.
#[derive(Debug, Subcommand)]
pub enum PricebookCommand {
    /// List the pricebooks: bundled, replaced or added by --pricebook.
    List {
        /// Extra pricebook (TOML); one with a bundled id replaces it. Repeatable.
        #[arg(long = "pricebook", value_name = "FILE")]
        pricebooks: Vec<PathBuf>,
    },
    /// Show one pricebook: every item, its metric, term, price, source and confidence.
    Show {
        /// Pricebook id, e.g. vmware-vsphere-4.0.
        id: String,
        /// Extra pricebook (TOML); one with a bundled id replaces it. Repeatable.
        #[arg(long = "pricebook", value_name = "FILE")]
        pricebooks: Vec<PathBuf>,
    },
    /// Validate pricebook files the way quotes load them; exit 2 on any problem.
    Check {
        /// Pricebook files (TOML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// What changed from pricebook A to B (prices, rules, features, …) and, with --estate,
    /// what that does to the estate's quote.
    Diff {
        /// The old book: a pricebook id (bundled or from --pricebook) or a pricebook file.
        a: String,
        /// The new book: a pricebook id or a pricebook file.
        b: String,
        /// Quote this estate with A, then with B in A's place (under A's id), and compare.
        #[arg(long, value_name = "FILE")]
        estate: Option<PathBuf>,
        /// Extra pricebook (TOML); one with a bundled id replaces it. Repeatable.
        #[arg(long = "pricebook", value_name = "FILE")]
        pricebooks: Vec<PathBuf>,
    },
}

/// Arguments of `hypercost quote`.
#[derive(Debug, clap::Args)]
pub struct QuoteArgs {
    /// Estate file (TOML, format 1); `-` reads standard input. Without it: the embedded 2009
    /// example (8 hosts on VI3 Enterprise weighing vSphere 4, Nexus 1000V, XenServer, Hyper-V).
    pub estate: Option<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Write the output to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Extra pricebook (TOML); one with the id of a bundled book replaces it. Repeatable.
    #[arg(long = "pricebook", value_name = "FILE")]
    pub pricebooks: Vec<PathBuf>,
    /// Price every scenario as if bought on this date (YYYY-MM-DD): promotions, end of sale,
    /// dated rules and on-sale windows all follow it.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<hypercost_core::Date>,
}

fn parse_date(text: &str) -> Result<hypercost_core::Date, String> {
    hypercost_core::Date::parse(text)
}

/// Output formats of `quote`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A report for people, 100 columns wide.
    Table,
    /// The versioned JSON contract.
    Json,
}

//! Inventory import: per-host CSVs (KB 313548 / PowerCLI style) and the Broadcom cluster CSV
//! → an [`Estate`] of clusters of identical hosts, with starter scenarios.
//!
//! Pure: the front end reads the file and passes the import date. Columns are found by header
//! name (several dialects), never by position; the list separator (`,` `;` tab) is sniffed;
//! numbers may carry thousands separators or be stored as quoted text. Every problem names the
//! file, row and column as a [`Diagnostic`]. RVTools exports (a workbook or a folder of
//! per-tab CSVs) are read by the `rvtools` module; the workbook reader needs feature `import-xlsx`.

mod cluster_csv;
mod columns;
mod decode;
mod dispatch;
mod estate_text;
mod hosts;
mod rvtools;
pub(crate) mod starters;
mod table;
mod unique;
#[cfg(feature = "import-xlsx")]
mod xlsx;

pub use cluster_csv::{import_cluster_csv, write_cluster_csv};
pub use decode::decode_text;
pub use dispatch::{ImportKind, import_files, text_files};
pub use hosts::import_hosts;
pub use rvtools::import_rvtools_csv;
pub use starters::{CURRENCY, parse_fx};
#[cfg(feature = "import-xlsx")]
pub use xlsx::import_rvtools_xlsx;

use rust_decimal::Decimal;

/// The most bytes hypercost reads from one input: a file (estate, pricebook, CSV, workbook)
/// as the CLI reads it, and what one workbook inflates to, checked in its zip directory before
/// inflating and again while inflating (a directory can lie). 256 MiB is some fifty times the
/// largest RVTools export we have seen, and keeps an import's memory bounded: a 3 MB workbook
/// that inflates to 3 GB is refused, naming the file and the part that is too large.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// The most data rows read from one CSV. Bytes alone do not bound an import's memory: 256 MiB
/// of 20-byte host rows is 13 million rows of some 800 bytes each once read. A million rows is
/// more hosts than the estate format allows in a cluster and twenty times the VMs of one
/// vCenter; with both caps an import peaked at 0.7–1.2 GiB in every case measured
/// (BENCHMARKS.md, "Memory").
pub const MAX_ROWS: usize = 1_000_000;

use crate::date::Date;
use crate::diag::Diagnostic;
use crate::estate::Estate;
use crate::source::SourceFile;

/// How an import is made. `Copy`, so one value serves several importers; the borrowed parts
/// (`fx`, `host_facts`) are empty in [`ImportOptions::new`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportOptions<'a> {
    /// The import date: the estate's purchase date and the date of the starter scenarios.
    pub date: Date,
    /// Host RAM is rounded *up* to a multiple of this many GiB before grouping (hosts of one
    /// model report a few hundred MiB below nominal).
    pub ram_granularity_gib: u32,
    /// Exchange rates the user gave (`hypercost import --fx EUR=1.09`, read by [`parse_fx`]):
    /// units of the estate currency (USD) per 1 unit of the currency. A starter scenario
    /// priced in that currency uses it instead of the illustrative rate, and `fx_source` says
    /// it was given on import. A rate no starter uses is still written to `[costs] fx` (for
    /// scenarios the user adds), with a warning. The last rate of a currency counts.
    pub fx: &'a [(String, Decimal)],
    /// A per-host CSV (KB 313548 / PowerCLI columns, as [`import_hosts`] reads) supplying the
    /// sockets, cores per socket and RAM of an RVTools export's hosts when it has no vHost tab
    /// (`hypercost import rvtools --hosts FILE`). Hosts are matched by name (case-insensitive;
    /// a short name matches an FQDN's first label when only one does); unmatched hosts keep
    /// the flagged placeholder shape; the file's hosts that vInfo does not list (hosts running
    /// no VM) are added with 0 VMs, unless no host matched at all. Read only by the RVTools
    /// importers; an export *with* vHost and this file is an error (vHost is the better source).
    pub host_facts: Option<&'a SourceFile>,
}

impl ImportOptions<'static> {
    /// Options for `date` with the default RAM granularity of 16 GiB, no exchange rates given
    /// and no host facts file.
    pub fn new(date: Date) -> ImportOptions<'static> {
        ImportOptions {
            date,
            ram_granularity_gib: 16,
            fx: &[],
            host_facts: None,
        }
    }
}

/// What an import read, for `--summary`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Data rows read (hosts, or cluster rows for the cluster CSV).
    pub rows: usize,
    /// Hosts (maintenance-mode hosts included).
    pub hosts: u64,
    /// CPU sockets.
    pub sockets: u64,
    /// Physical cores.
    pub cores: u64,
    /// Per-core licences under a 16-core-per-CPU floor: Σ sockets × max(cores per socket, 16).
    pub licensed_cores_16: u64,
    /// Hosts in maintenance mode (counted for licensing).
    pub maintenance_hosts: Vec<String>,
    /// Hosts outside any cluster (kept as their own estate clusters).
    pub standalone_hosts: Vec<String>,
    /// Hosts whose sockets or cores are not in the inventory: they are in the estate with a
    /// placeholder shape (2 sockets × 16 cores) that the user must correct.
    pub placeholder_hosts: Vec<String>,
    /// VMs counted (powered off and suspended included; templates, vCLS agents and SRM
    /// placeholders not), when the inventory lists VMs.
    pub vms: Option<u64>,
    /// Powered-on VMs among them.
    pub powered_on_vms: Option<u64>,
    /// Rows left out of the VM count: templates, vCLS agents, SRM placeholders.
    pub excluded_vms: ExcludedVms,
}

/// VM rows that are not counted as VMs, by reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExcludedVms {
    /// Templates (`Template` = True): never run.
    pub templates: u64,
    /// vSphere Cluster Services agents (`vCLS-…`, formerly `vCLS (n)`): managed by vCenter.
    pub vcls: u64,
    /// Site Recovery Manager placeholders (`SRM Placeholder` = True): shadows of protected VMs.
    pub srm_placeholders: u64,
}

/// The result of an import.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// The validated estate.
    pub estate: Estate,
    /// Estate format 1 text: a header comment saying where each number came from, then
    /// [`write_estate`](crate::estate::write_estate)'s rendering (which parses back to `estate`).
    pub toml: String,
    /// What was read.
    pub summary: ImportSummary,
    /// Warnings (unknown columns, suspicious values, maintenance-mode hosts).
    pub warnings: Vec<Diagnostic>,
}

/// A file name without its folder (`/` or `\\`: exports come from Windows too).
fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// Whether a file name belongs to an RVTools CSV export: `RVTools_tab<anything>.csv` (vCluster,
/// vDisk and the other tabs the importer skips, too), or a tab it reads under another spelling
/// (`vHost.csv`, `tabvInfo`). A front end handed a pile of files tells the export's tabs from a
/// per-host CSV chosen beside it (`--hosts`) with this, as the importer itself does.
pub fn is_rvtools_tab(name: &str) -> bool {
    let base = base_name(name).trim();
    base.to_ascii_lowercase().starts_with("rvtools_tab") || rvtools::tab_kind(base).is_some()
}

// Re-exported for tests.
#[cfg(test)]
pub(crate) use table::sniff_separator;

#[cfg(test)]
mod tests;

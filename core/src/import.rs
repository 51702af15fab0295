//! Inventory import: per-host CSVs (KB 313548 / PowerCLI style) and the Broadcom cluster CSV
//! → an [`Estate`] of clusters of identical hosts, with starter scenarios.
//!
//! Pure: the front end reads the file and passes the import date. Columns are found by header
//! name (several dialects), never by position; the list separator (`,` `;` tab) is sniffed;
//! numbers may carry thousands separators or be stored as quoted text. Every problem names the
//! file, row and column as a [`Diagnostic`]. RVTools exports (a workbook or a folder of
//! per-tab CSVs) are read by the `rvtools` module; the workbook reader needs feature `import-xlsx`.

mod decode;
mod rvtools;
mod table;
#[cfg(feature = "import-xlsx")]
mod xlsx;

pub use decode::decode_text;
pub use rvtools::import_rvtools_csv;
#[cfg(feature = "import-xlsx")]
pub use xlsx::import_rvtools_xlsx;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::estate::{Cluster, Estate, Plan, Scenario, parse_estate, write_estate};
use crate::ids::ItemRef;
use crate::pricebook::PricebookSet;
use crate::source::SourceFile;

use table::{Table, parse_count, parse_decimal};

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

/// The largest exchange rate an estate accepts (`[costs] fx`).
const MAX_FX: u32 = 1_000_000;

/// Reads an exchange rate given as `CUR=RATE` (`hypercost import --fx EUR=1.09`): a currency
/// code of three capital letters other than the estate currency (USD), `=`, and a plain
/// positive decimal (digits with at most one `.`, read exactly, never through a float) of at
/// most 1,000,000 USD per 1 unit. The error says what is valid.
pub fn parse_fx(text: &str) -> Result<(String, Decimal), String> {
    let Some((cur, rate)) = text.split_once('=') else {
        return Err(format!(
            "`{text}` is not CUR=RATE: give a currency code, `=` and the {CURRENCY} price of 1 \
             unit, e.g. EUR=1.09"
        ));
    };
    let (cur, rate) = (cur.trim(), rate.trim());
    check_fx_currency(cur)?;
    let plain = !rate.is_empty()
        && rate.chars().all(|c| c.is_ascii_digit() || c == '.')
        && rate.chars().filter(|c| *c == '.').count() <= 1
        && rate.chars().any(|c| c.is_ascii_digit());
    match rate.parse::<Decimal>() {
        Ok(value) if plain && value > Decimal::ZERO && value <= Decimal::from(MAX_FX) => {
            Ok((cur.to_owned(), value.normalize()))
        }
        _ => Err(format!(
            "`{rate}` is not a rate: give a positive decimal such as 1.09 ({CURRENCY} per 1 \
             {cur}), at most {MAX_FX}"
        )),
    }
}

fn check_fx_currency(cur: &str) -> Result<(), String> {
    if cur.len() != 3 || !cur.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(format!(
            "`{cur}` is not a currency code: give three capital letters such as EUR"
        ));
    }
    if cur == CURRENCY {
        return Err(format!(
            "{CURRENCY} is the estate currency: a rate is {CURRENCY} per 1 unit of another \
             currency, e.g. EUR=1.09"
        ));
    }
    Ok(())
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
    /// [`write_estate`]'s rendering (which parses back to `estate`).
    pub toml: String,
    /// What was read.
    pub summary: ImportSummary,
    /// Warnings (unknown columns, suspicious values, maintenance-mode hosts).
    pub warnings: Vec<Diagnostic>,
}

/// Header names (lowercase, trimmed) of each canonical per-host field.
const HOST: &[&str] = &[
    "host",
    "vmhost",
    "name",
    "host name",
    "vhostname",
    "hostname",
];
const CLUSTER: &[&str] = &[
    "cluster",
    "vhostcluster",
    "parent",
    "cluster_name",
    "cluster name",
];
const VCENTER: &[&str] = &[
    "vcenter",
    "server",
    "vi sdk server",
    "vhostvisdkserver",
    "vcenter server",
];
const SOCKETS: &[&str] = &[
    "num_cpu_sockets",
    "number_of_cpu_sockets",
    "num_cpu_sockets_per_host",
    "# cpu",
    "vhostnumcpu",
    "cpu sockets",
    "cpucount",
    "numcpupackages",
    "numcpupkgs",
    "sockets",
];
const CORES_PER_SOCKET: &[&str] = &[
    "num_cpu_cores_per_socket",
    "number_of_cpu_cores_per_socket",
    "cores per cpu",
    "vhostcorespercpu",
    "cores per socket",
    "corespersocket",
];
/// Physical cores per host. PowerCLI's `NumCpu` is the core count, not sockets.
const CORES: &[&str] = &[
    "# cores",
    "vhostnumcpucores",
    "cpu cores",
    "numcpucores",
    "cpucorecounttotal",
    "num_cpu_cores",
    "numcpu",
];
/// RAM columns with the number of MiB in one unit (as a divisor/multiplier pair).
const RAM: &[(&str, RamUnit)] = &[
    ("# memory", RamUnit::Mib),
    ("vhostmemorysize", RamUnit::Mib),
    ("memorytotalmb", RamUnit::Mib),
    ("memory mib", RamUnit::Mib),
    ("memorytotalgb", RamUnit::Gib),
    ("memory gib", RamUnit::Gib),
    ("memory (kib)", RamUnit::Kib),
];
const MAINTENANCE: &[&str] = &["in maintenance mode", "inmaintenancemode", "maintenance"];
const CONNECTION_STATE: &[&str] = &["connectionstate", "connection state"];
const VMS: &[&str] = &["# vms", "vhostvms", "vms"];
/// Known columns the host import does not use (not reported as unknown).
const HOST_IGNORED: &[&str] = &[
    "foundation_license_core_count",
    "vsphere_license_key",
    "vsan_license_key",
    "datacenter",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RamUnit {
    Kib,
    Mib,
    Gib,
}

/// One host row, validated.
#[derive(Clone, Debug, Default)]
struct Host {
    vcenter: String,
    cluster: String,
    sockets: u32,
    cores_per_socket: u32,
    ram_gib: Option<u32>,
    /// VMs counted on the host.
    vms: Option<u32>,
    /// Powered-on VMs and their configured memory (MiB), when known.
    powered_on: Option<(u32, Decimal)>,
    /// The shape is a placeholder: the inventory lacks the host's sockets or cores.
    placeholder: bool,
    /// Source rows of the host (1-based, in its tab) and of its VMs.
    rows: Vec<usize>,
    vm_rows: Vec<usize>,
}

/// Where one estate cluster's numbers came from.
#[derive(Clone, Debug, Default)]
struct GroupSource {
    host_rows: Vec<usize>,
    vm_rows: Vec<usize>,
    powered_on: Option<(u32, Decimal)>,
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

/// The header lines naming the hosts in maintenance mode and the standalone ones, the same for
/// every importer.
fn host_notes(header: &mut String, summary: &ImportSummary) {
    if !summary.maintenance_hosts.is_empty() {
        let _ = writeln!(
            header,
            "# In maintenance mode (counted for licensing): {}.",
            summary.maintenance_hosts.join(", ")
        );
    }
    if !summary.standalone_hosts.is_empty() {
        let _ = writeln!(
            header,
            "# Standalone hosts (kept as their own clusters): {}.",
            summary.standalone_hosts.join(", ")
        );
    }
}

/// Reads a per-host CSV (KB 313548 / PowerCLI / RVTools-vHost-like columns) into an estate.
pub fn import_hosts(
    file: &SourceFile,
    options: ImportOptions<'_>,
    books: &PricebookSet,
) -> Result<Imported, Diagnostics> {
    let table = Table::parse(file)?;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let Some((cols, lines)) = read_host_lines(&table, options, &mut errors, &mut warnings) else {
        return Err(Diagnostics(errors));
    };
    let HostColumns {
        sockets: sockets_col,
        cps: cps_col,
        cores: cores_col,
        ram: ram_col,
        vms: vms_col,
        ..
    } = cols;
    let mut summary = ImportSummary::default();
    let mut hosts = Vec::new();
    for line in lines {
        if line.maintenance {
            summary.maintenance_hosts.push(line.name.clone());
        }
        if line.host.cluster.is_empty() {
            summary.standalone_hosts.push(line.name.clone());
        }
        add_to_summary(
            &mut summary,
            1,
            line.host.sockets,
            line.host.cores_per_socket,
        );
        hosts.push(line.host);
    }
    summary.rows = table.rows.len();
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    if hosts.is_empty() {
        return Err(Diagnostics(vec![table.header_error(
            "no host rows",
            "the file has a header but no hosts".to_owned(),
        )]));
    }
    let clusters = group_hosts(&hosts).into_iter().map(|(c, _)| c).collect();
    let mut header = String::new();
    let _ = writeln!(
        header,
        "# Imported by hypercost on {} from `{}`: {} host rows (rows {}–{}), {} separator.",
        options.date,
        file.name,
        table.rows.len(),
        table.row_number(0),
        table.row_number(table.rows.len().saturating_sub(1)),
        table.separator_name()
    );
    let _ = writeln!(
        header,
        "# Clusters group hosts by (vCenter, cluster, sockets, cores per socket, RAM rounded up to {} GiB).",
        options.ram_granularity_gib
    );
    let _ = writeln!(
        header,
        "# sockets_per_host ← `{}`; cores_per_socket ← `{}`{}{}.",
        table.headers[sockets_col],
        cps_col
            .or(cores_col)
            .map_or("", |c| table.headers[c].as_str()),
        if cps_col.is_none() {
            " (cores per host ÷ sockets)"
        } else {
            ""
        },
        ram_col.map_or(String::new(), |(c, _)| format!(
            "; ram_gb_per_host ← `{}` (GiB, rounded up)",
            table.headers[c]
        ))
    );
    if let Some(c) = vms_col {
        let _ = writeln!(header, "# vms ← Σ `{}` per cluster.", table.headers[c]);
    }
    host_notes(&mut header, &summary);
    finish(
        &file.name, options, books, clusters, header, summary, warnings,
    )
}

/// The columns a per-host CSV was read by.
#[derive(Clone, Copy, Debug)]
struct HostColumns {
    host: Option<usize>,
    sockets: usize,
    cps: Option<usize>,
    cores: Option<usize>,
    ram: Option<(usize, RamUnit)>,
    vms: Option<usize>,
}

/// One validated row of a per-host CSV.
#[derive(Clone, Debug)]
struct HostLine {
    /// The host's name, or `row N` when the file names none.
    name: String,
    maintenance: bool,
    host: Host,
}

/// Reads a per-host CSV's rows (for [`import_hosts`], and for an RVTools export's host facts):
/// `None` when a needed column is missing; bad cells are pushed to `errors` and their rows
/// left out.
fn read_host_lines(
    table: &Table<'_>,
    options: ImportOptions<'_>,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> Option<(HostColumns, Vec<HostLine>)> {
    let host_col = table.column(HOST);
    let cluster_col = table.column(CLUSTER);
    let vcenter_col = table.column(VCENTER);
    let sockets_col = table.column(SOCKETS);
    let cps_col = table.column(CORES_PER_SOCKET);
    let cores_col = table.column(CORES);
    let ram_col = RAM
        .iter()
        .find_map(|(name, unit)| table.column(&[name]).map(|c| (c, *unit)));
    let maint_col = table.column(MAINTENANCE);
    let state_col = table.column(CONNECTION_STATE);
    let vms_col = table.column(VMS);
    let Some(sockets_col) = sockets_col else {
        errors.push(table.header_error(
            "no socket column",
            format!("a per-host CSV needs one of: {}", SOCKETS.join(", ")),
        ));
        return None;
    };
    if cps_col.is_none() && cores_col.is_none() {
        errors.push(table.header_error(
            "no cores column",
            format!(
                "a per-host CSV needs cores per socket ({}) or cores per host ({})",
                CORES_PER_SOCKET.join(", "),
                CORES.join(", ")
            ),
        ));
        return None;
    }
    let used: Vec<usize> = [
        host_col,
        cluster_col,
        vcenter_col,
        Some(sockets_col),
        cps_col,
        cores_col,
        ram_col.map(|(c, _)| c),
        maint_col,
        state_col,
        vms_col,
    ]
    .into_iter()
    .flatten()
    .collect();
    table.warn_unknown(&used, HOST_IGNORED, warnings);

    let mut lines = Vec::new();
    for row in 0..table.rows.len() {
        let name = host_col
            .map(|c| table.cell(row, c).to_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| format!("row {}", table.row_number(row)));
        let cluster = cluster_col.map_or("", |c| table.cell(row, c)).to_owned();
        let vcenter = vcenter_col.map_or("", |c| table.cell(row, c)).to_owned();
        let Some(sockets) = table.count(row, sockets_col, errors) else {
            continue;
        };
        if sockets == 0 {
            errors.push(table.cell_error(row, sockets_col, "0 sockets", None));
            continue;
        }
        let cps = match (cps_col, cores_col) {
            (Some(c), _) => table.count(row, c, errors),
            (None, Some(c)) => table.count(row, c, errors).and_then(|cores| {
                if cores % sockets == 0 {
                    Some(cores / sockets)
                } else {
                    errors.push(table.cell_error(
                        row,
                        c,
                        format!("{cores} cores do not divide into {sockets} sockets"),
                        Some("give cores per socket, or the physical cores per host".to_owned()),
                    ));
                    None
                }
            }),
            (None, None) => None,
        };
        let Some(cps) = cps else { continue };
        if cps == 0 {
            let col = cps_col.or(cores_col).unwrap_or(sockets_col);
            errors.push(table.cell_error(row, col, "0 cores per socket", None));
            continue;
        }
        if let (Some(_), Some(c)) = (cps_col, cores_col)
            && let Some(cores) = parse_count(table.cell(row, c))
            && u64::from(cores) != u64::from(sockets) * u64::from(cps)
        {
            warnings.push(table.cell_warning(
                row,
                c,
                format!(
                    "host `{name}`: {cores} cores per host, but {sockets} sockets × {cps} \
                     cores per socket = {}; cores per socket is used",
                    u64::from(sockets) * u64::from(cps)
                ),
                None,
            ));
        }
        if cps == 1 {
            let col = cps_col.or(cores_col).unwrap_or(sockets_col);
            warnings.push(
                table.cell_warning(
                    row,
                    col,
                    format!("host `{name}` has 1 core per socket ({sockets} sockets)"),
                    Some(
                        "this looks like PowerCLI's NumCpu (the core count) taken as sockets; \
                     use Get-VMHostHardware CpuCount or NumCpuPackages for sockets"
                            .to_owned(),
                    ),
                ),
            );
        }
        let ram_gib = match ram_col {
            Some((c, unit)) if !table.cell(row, c).is_empty() => {
                match parse_decimal(table.cell(row, c)) {
                    Some(v) if v >= Decimal::ZERO => {
                        ram_to_gib(v, unit, options.ram_granularity_gib)
                    }
                    _ => {
                        errors.push(table.cell_error(
                            row,
                            c,
                            format!("`{}` is not an amount of memory", table.cell(row, c)),
                            None,
                        ));
                        continue;
                    }
                }
            }
            _ => None,
        };
        let maintenance = maint_col.is_some_and(|c| {
            matches!(
                table.cell(row, c).to_ascii_lowercase().as_str(),
                "true" | "yes" | "1"
            )
        }) || state_col
            .is_some_and(|c| table.cell(row, c).eq_ignore_ascii_case("maintenance"));
        let vms = match vms_col {
            Some(c) if !table.cell(row, c).is_empty() => table.count(row, c, errors),
            _ => None,
        };
        if maintenance {
            warnings.push(table.cell_warning(
                row,
                maint_col.or(state_col).unwrap_or(sockets_col),
                format!("host `{name}` is in maintenance mode: counted for licensing"),
                None,
            ));
        }
        lines.push(HostLine {
            name,
            maintenance,
            host: Host {
                vcenter,
                cluster,
                sockets,
                cores_per_socket: cps,
                ram_gib,
                vms,
                rows: vec![table.row_number(row)],
                ..Host::default()
            },
        });
    }
    let cols = HostColumns {
        host: host_col,
        sockets: sockets_col,
        cps: cps_col,
        cores: cores_col,
        ram: ram_col,
        vms: vms_col,
    };
    Some((cols, lines))
}

/// Canonical columns of the Broadcom cluster CSV (KB 96426 input / KB 313548 cluster view).
const CC_NAME: &[&str] = &["cluster_name", "cluster"];
const CC_HOSTS: &[&str] = &["number_of_hosts", "num_hosts"];
const CC_SOCKETS: &[&str] = &[
    "number_of_cpu_sockets",
    "num_cpu_sockets_per_host",
    "num_cpu_sockets",
];
const CC_CPS: &[&str] = &["number_of_cpu_cores_per_socket", "num_cpu_cores_per_socket"];
const CC_IGNORED: &[&str] = &[
    "vsan_enabled_cluster",
    "total_raw_vsan_tib",
    "foundation_license_core_count",
    "vsan_license_tib_count",
];

/// Reads a Broadcom cluster CSV (one row per cluster of identical hosts) into an estate.
/// A `Total` row is skipped.
pub fn import_cluster_csv(
    file: &SourceFile,
    options: ImportOptions,
    books: &PricebookSet,
) -> Result<Imported, Diagnostics> {
    let table = Table::parse(file)?;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let cols = [CC_NAME, CC_HOSTS, CC_SOCKETS, CC_CPS].map(|names| table.column(names));
    let [Some(name_c), Some(hosts_c), Some(sockets_c), Some(cps_c)] = cols else {
        errors.push(
            table.header_error(
                "missing cluster CSV columns",
                "a cluster CSV needs CLUSTER_NAME, NUMBER_OF_HOSTS, NUMBER_OF_CPU_SOCKETS, \
             NUMBER_OF_CPU_CORES_PER_SOCKET"
                    .to_owned(),
            ),
        );
        return Err(Diagnostics(errors));
    };
    table.warn_unknown(
        &[name_c, hosts_c, sockets_c, cps_c],
        CC_IGNORED,
        &mut warnings,
    );
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut summary = ImportSummary::default();
    let mut used_rows = 0;
    for row in 0..table.rows.len() {
        let name = table.cell(row, name_c).to_owned();
        if name.eq_ignore_ascii_case("total") {
            continue;
        }
        used_rows += 1;
        if name.is_empty() {
            errors.push(table.cell_error(row, name_c, "empty cluster name", None));
            continue;
        }
        if clusters.iter().any(|c| c.name == name) {
            errors.push(table.cell_error(
                row,
                name_c,
                format!("cluster `{name}` appears twice"),
                Some("split mixed clusters into rows with distinct names".to_owned()),
            ));
            continue;
        }
        let (Some(hosts), Some(sockets), Some(cps)) = (
            table.count(row, hosts_c, &mut errors),
            table.count(row, sockets_c, &mut errors),
            table.count(row, cps_c, &mut errors),
        ) else {
            continue;
        };
        for (v, c) in [(hosts, hosts_c), (sockets, sockets_c), (cps, cps_c)] {
            if v == 0 {
                errors.push(table.cell_error(row, c, "must be at least 1", None));
            }
        }
        if hosts == 0 || sockets == 0 || cps == 0 {
            continue;
        }
        if cps == 1 {
            warnings.push(table.cell_warning(
                row,
                cps_c,
                format!("cluster `{name}` has 1 core per socket"),
                Some("this looks like a core count taken as sockets (PowerCLI NumCpu)".to_owned()),
            ));
        }
        add_to_summary(&mut summary, hosts, sockets, cps);
        clusters.push(plain_cluster(name, hosts, sockets, cps, None, None, None));
    }
    summary.rows = used_rows;
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    if clusters.is_empty() {
        return Err(Diagnostics(vec![table.header_error(
            "no cluster rows",
            "the file has a header but no clusters".to_owned(),
        )]));
    }
    let mut header = String::new();
    let _ = writeln!(
        header,
        "# Imported by hypercost on {} from `{}` (Broadcom cluster CSV): {} cluster rows, {} separator.",
        options.date,
        file.name,
        used_rows,
        table.separator_name()
    );
    let _ = writeln!(
        header,
        "# hosts ← `{}`; sockets_per_host ← `{}`; cores_per_socket ← `{}`; vSAN columns are not priced.",
        table.headers[hosts_c], table.headers[sockets_c], table.headers[cps_c]
    );
    finish(
        &file.name, options, books, clusters, header, summary, warnings,
    )
}

/// Renders an estate's clusters as a Broadcom cluster CSV (the offline calculator's input
/// columns without its vSAN columns, which hypercost does not model): one row per cluster,
/// `,`-separated, quoted where needed, CRLF line ends. [`import_cluster_csv`] reads it back to
/// the same clusters.
pub fn write_cluster_csv(estate: &Estate) -> String {
    let mut out = String::from(
        "CLUSTER_NAME,NUMBER_OF_HOSTS,NUMBER_OF_CPU_SOCKETS,NUMBER_OF_CPU_CORES_PER_SOCKET\r\n",
    );
    for c in &estate.clusters {
        let name = if c.name.contains([',', '"', '\n', '\r', ';', '\t']) || c.name.trim() != c.name
        {
            format!("\"{}\"", c.name.replace('"', "\"\""))
        } else {
            c.name.clone()
        };
        let _ = write!(
            out,
            "{name},{},{},{}\r\n",
            c.hosts, c.sockets_per_host, c.cores_per_socket
        );
    }
    out
}

fn add_to_summary(summary: &mut ImportSummary, hosts: u32, sockets: u32, cps: u32) {
    let s = u64::from(hosts) * u64::from(sockets);
    summary.hosts += u64::from(hosts);
    summary.sockets += s;
    summary.cores += s * u64::from(cps);
    summary.licensed_cores_16 += s * u64::from(cps.max(16));
}

fn ram_to_gib(value: Decimal, unit: RamUnit, granularity: u32) -> Option<u32> {
    let mib = match unit {
        RamUnit::Kib => value.checked_div(Decimal::from(1024))?,
        RamUnit::Mib => value,
        RamUnit::Gib => value.checked_mul(Decimal::from(1024))?,
    };
    let gib = mib.checked_div(Decimal::from(1024))?;
    let g = Decimal::from(granularity.max(1));
    let rounded = gib.checked_div(g)?.ceil().checked_mul(g)?;
    u32::try_from(rounded.trunc().normalize().mantissa()).ok()
}

fn plain_cluster(
    name: String,
    hosts: u32,
    sockets: u32,
    cps: u32,
    ram: Option<u32>,
    vms: Option<u32>,
    group: Option<String>,
) -> Cluster {
    Cluster {
        name,
        hosts,
        sockets_per_host: sockets,
        cores_per_socket: cps,
        ram_gb_per_host: ram,
        vms,
        vm_ram_gb: None,
        needs: Vec::new(),
        windows_vms: None,
        group,
    }
}

/// Groups hosts into clusters of identical hosts, named by origin, each with its sources.
///
/// `vm_ram_gb` is the group's powered-on VM memory spread over *all* its counted VMs (rounded
/// up to 0.01 GiB), so that `vms × vm_ram_gb` — what a pooled memory entitlement counts — is
/// the powered-on vRAM, while `vms` still counts powered-off VMs (they need guest licences and
/// come back on).
fn group_hosts(hosts: &[Host]) -> Vec<(Cluster, GroupSource)> {
    type Key<'h> = (&'h str, &'h str, bool, u32, u32, Option<u32>);
    let mut groups: BTreeMap<Key<'_>, (u32, Option<u32>, GroupSource)> = BTreeMap::new();
    for h in hosts {
        let key = (
            h.vcenter.as_str(),
            h.cluster.as_str(),
            h.placeholder,
            h.sockets,
            h.cores_per_socket,
            h.ram_gib,
        );
        let e = groups.entry(key).or_insert((
            0,
            Some(0),
            GroupSource {
                powered_on: Some((0, Decimal::ZERO)),
                ..GroupSource::default()
            },
        ));
        e.0 += 1;
        e.1 = match (e.1, h.vms) {
            (Some(a), Some(b)) => a.checked_add(b),
            _ => None,
        };
        e.2.powered_on = match (e.2.powered_on, h.powered_on) {
            (Some((n, m)), Some((hn, hm))) => n.checked_add(hn).zip(m.checked_add(hm)),
            _ => None,
        };
        e.2.host_rows.extend(&h.rows);
        e.2.vm_rows.extend(&h.vm_rows);
    }
    // A cluster name used in several vCenters is prefixed with its vCenter.
    let mut vcenters_of: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut groups_of: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (vc, cl, ..) in groups.keys() {
        let v = vcenters_of.entry(cl).or_default();
        if !v.contains(vc) {
            v.push(vc);
        }
        *groups_of.entry((vc, cl)).or_default() += 1;
    }
    let mut out: Vec<(Cluster, GroupSource)> = Vec::new();
    for ((vc, cl, placeholder, sockets, cps, ram), (count, vms, mut source)) in groups {
        let shape = if placeholder {
            format!("host facts missing ({sockets}×{cps}c placeholder)")
        } else {
            format!(
                "{sockets}×{cps}c{}",
                ram.map_or(String::new(), |r| format!(" {r} GiB"))
            )
        };
        let origin = if cl.is_empty() {
            "standalone".to_owned()
        } else if vcenters_of.get(cl).is_some_and(|v| v.len() > 1) && !vc.is_empty() {
            format!("{vc}: {cl}")
        } else {
            cl.to_owned()
        };
        let mixed = groups_of.get(&(vc, cl)).copied().unwrap_or(1) > 1;
        let (mut name, group) = if cl.is_empty() || placeholder && !mixed {
            (format!("{origin} / {shape}"), None)
        } else if mixed {
            (format!("{origin} / {shape}"), Some(origin.clone()))
        } else {
            (origin.clone(), None)
        };
        let base = name.clone();
        let mut n = 2;
        while out.iter().any(|(c, _)| c.name == name) {
            name = format!("{base} ({n})");
            n += 1;
        }
        let mut cluster = plain_cluster(name, count, sockets, cps, ram, vms, group);
        cluster.vm_ram_gb = match (vms, source.powered_on) {
            (Some(v), Some((_, mib))) if v > 0 && mib > Decimal::ZERO => mib
                .checked_div(Decimal::from(1024))
                .and_then(|gib| gib.checked_div(Decimal::from(v)))
                .map(|g| g.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::AwayFromZero))
                .map(|g| g.normalize())
                .filter(|g| *g > Decimal::ZERO && *g <= Decimal::from(65_536)),
            _ => None,
        };
        source.host_rows.sort_unstable();
        source.vm_rows.sort_unstable();
        out.push((cluster, source));
    }
    out
}

/// Row numbers as ranges: `2–4, 7`.
fn row_ranges(rows: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let start = rows[i];
        let mut end = start;
        while i + 1 < rows.len() && rows[i + 1] == end + 1 {
            i += 1;
            end = rows[i];
        }
        parts.push(if end == start {
            start.to_string()
        } else {
            format!("{start}–{end}")
        });
        i += 1;
    }
    parts.join(", ")
}

/// Starter scenarios: (name, pricebook/edition) on every cluster — one per platform a buyer
/// leaving per-core VMware subscriptions usually weighs. Each is kept only if the estate
/// validates with it on the import date (a book not yet or no longer on sale drops out).
const STARTERS: &[(&str, &str)] = &[
    ("VMware vSphere Foundation (VVF)", "vmware-vcf-2024/vvf"),
    ("VMware Cloud Foundation (VCF)", "vmware-vcf-2024/vcf"),
    (
        "Proxmox VE Standard subscription",
        "proxmox-ve-2025/standard",
    ),
    (
        "Hyper-V on Windows Server 2022 Datacenter",
        "microsoft-windows-server-2022/datacenter",
    ),
];

/// The estate currency of an import.
const CURRENCY: &str = "USD";

/// Exchange rates an import states for starter books priced in another currency (USD per 1
/// unit), so the estate quotes at once. They are illustrative, not market rates: the estate's
/// `fx_source` says so and the header asks the user to replace them.
const ILLUSTRATIVE_FX: &[(&str, &str)] = &[("EUR", "1.08")];

/// `fx_source` for the rates written: each given rate, or the illustrative one, said so.
fn fx_source(origins: &[(String, bool)], date: Date) -> String {
    origins
        .iter()
        .map(|(cur, given)| {
            if *given {
                format!("{cur} given with --fx on import, {date}")
            } else {
                format!(
                    "ILLUSTRATIVE {cur} rate written by `hypercost import`, not a market rate: \
                     replace it with your rate on your purchase date"
                )
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn finish(
    name: &str,
    options: ImportOptions<'_>,
    books: &PricebookSet,
    clusters: Vec<Cluster>,
    mut header: String,
    summary: ImportSummary,
    mut warnings: Vec<Diagnostic>,
) -> Result<Imported, Diagnostics> {
    let stem = base_name(name).to_owned();
    // The rates the user gave (the last of a currency counts), checked as `parse_fx` does.
    let mut given: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut fx_errors = Vec::new();
    for (cur, rate) in options.fx {
        match check_fx_currency(cur) {
            Err(e) => fx_errors.push(e),
            Ok(()) if *rate <= Decimal::ZERO || *rate > Decimal::from(MAX_FX) => fx_errors.push(
                format!("{rate} is not a plausible {cur} rate: positive, at most {MAX_FX}"),
            ),
            Ok(()) => {
                given.insert(cur.clone(), *rate);
            }
        }
    }
    if !fx_errors.is_empty() {
        return Err(Diagnostics(
            fx_errors
                .into_iter()
                .map(|message| Diagnostic {
                    severity: Severity::Error,
                    file: name.to_owned(),
                    span: 0..0,
                    line: 1,
                    column: 1,
                    field: "--fx".to_owned(),
                    message,
                    help: Some(format!("CUR=RATE, {CURRENCY} per 1 unit, e.g. EUR=1.09")),
                })
                .collect(),
        ));
    }
    let mut estate = Estate {
        name: format!("Imported from {stem}"),
        currency: CURRENCY.to_owned(),
        purchase_date: options.date,
        years: 3,
        clusters,
        owned: Vec::new(),
        scenarios: Vec::new(),
        costs: None,
        rule_switches: Vec::new(),
    };
    // Currencies with a rate written, and whether the user gave it.
    let mut origins: Vec<(String, bool)> = Vec::new();
    let mut kept = Vec::new();
    for (scenario_name, edition) in STARTERS {
        let Ok(edition) = ItemRef::parse(edition) else {
            continue;
        };
        let scenario = Scenario {
            name: (*scenario_name).to_owned(),
            plans: (0..estate.clusters.len())
                .map(|cluster| Plan {
                    cluster,
                    edition: edition.clone(),
                    support: None,
                    addons: Vec::new(),
                    use_owned: false,
                    guest_os: None,
                    guest_os_support: None,
                })
                .collect(),
            purchase_date: None,
        };
        let mut trial = estate.clone();
        trial.scenarios.push(scenario.clone());
        let book_currency = books
            .item(&edition)
            .map(|(book, _)| book.currency.clone())
            .unwrap_or_default();
        let mut trial_origins = origins.clone();
        let mut note = None;
        if book_currency != CURRENCY {
            let chosen = match given.get(&book_currency) {
                Some(rate) => Some((*rate, true)),
                None => ILLUSTRATIVE_FX
                    .iter()
                    .find(|(c, _)| *c == book_currency)
                    .and_then(|(_, text)| text.parse::<Decimal>().ok())
                    .map(|rate| (rate, false)),
            };
            if let Some((rate, user)) = chosen {
                if !trial_origins.iter().any(|(c, _)| *c == book_currency) {
                    trial_origins.push((book_currency.clone(), user));
                }
                let costs = trial.costs.get_or_insert_with(Default::default);
                costs.fx.insert(book_currency.clone(), rate);
                costs.fx_date = Some(options.date);
                costs.fx_source = Some(fx_source(&trial_origins, options.date));
                note = Some(if user {
                    format!(
                        "priced in {book_currency} at {CURRENCY} {rate} per {book_currency}, \
                         given with --fx"
                    )
                } else {
                    format!(
                        "priced in {book_currency} at an illustrative {CURRENCY} {rate} per \
                         {book_currency}: edit [costs] fx"
                    )
                });
            }
        }
        if reparse(&trial, books).is_ok() {
            estate = trial;
            origins = trial_origins;
            kept.push(match note {
                Some(n) => format!("{scenario_name} ({n})"),
                None => (*scenario_name).to_owned(),
            });
        }
    }
    // Given rates no kept starter uses: written all the same, for scenarios the user adds.
    let unused: Vec<(String, Decimal)> = given
        .iter()
        .filter(|(cur, _)| !origins.iter().any(|(c, _)| c == *cur))
        .map(|(c, r)| (c.clone(), *r))
        .collect();
    if !unused.is_empty() {
        for (cur, _) in &unused {
            origins.push((cur.clone(), true));
        }
        let costs = estate.costs.get_or_insert_with(Default::default);
        costs.fx.extend(unused.iter().cloned());
        costs.fx_date = Some(options.date);
        costs.fx_source = Some(fx_source(&origins, options.date));
        let list = unused
            .iter()
            .map(|(c, r)| format!("{c}={r}"))
            .collect::<Vec<_>>()
            .join(", ");
        warnings.push(Diagnostic {
            severity: Severity::Warning,
            file: name.to_owned(),
            span: 0..0,
            line: 1,
            column: 1,
            field: "--fx".to_owned(),
            message: format!(
                "no starter scenario is priced in {}: {list} is written to [costs] fx for \
                 scenarios you add",
                unused
                    .iter()
                    .map(|(c, _)| c.as_str())
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            help: None,
        });
    }
    let _ = writeln!(
        header,
        "# Starter scenarios for {}, each edition on every cluster: {}.",
        options.date,
        if kept.is_empty() {
            "none validated on this date".to_owned()
        } else {
            kept.join("; ")
        }
    );
    if !unused.is_empty() {
        let _ = writeln!(
            header,
            "# [costs] fx also holds {}, given with --fx: no starter scenario uses {}.",
            unused
                .iter()
                .map(|(c, r)| format!("{CURRENCY} {r} per {c}"))
                .collect::<Vec<_>>()
                .join(", "),
            if unused.len() == 1 { "it" } else { "them" }
        );
    }
    let _ = writeln!(header, "# Edit freely: this file is estate format 1.");
    let body = write_estate(&estate);
    let toml = format!("{header}{body}");
    let estate = parse_estate(&SourceFile::new(name.to_owned(), toml.clone()), books)?;
    Ok(Imported {
        estate,
        toml,
        summary,
        warnings,
    })
}

fn reparse(estate: &Estate, books: &PricebookSet) -> Result<Estate, Diagnostics> {
    parse_estate(&SourceFile::new("<import>", write_estate(estate)), books)
}

/// Shared with `table`: a diagnostic at a byte offset of `file`.
fn diagnostic(
    file: &SourceFile,
    severity: Severity,
    offset: usize,
    field: String,
    message: String,
    help: Option<String>,
) -> Diagnostic {
    let (line, column) = file.line_col(offset);
    Diagnostic {
        severity,
        file: file.name.clone(),
        span: offset..offset,
        line,
        column,
        field,
        message,
        help,
    }
}

// Re-exported for tests.
#[cfg(test)]
pub(crate) use table::sniff_separator;

#[cfg(test)]
mod tests;

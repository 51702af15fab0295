//! RVTools exports → hosts and VMs → an estate.
//!
//! RVTools writes one workbook (sheets `vHost`, `vInfo`, `vMetaData`, …) or one CSV per tab
//! (`RVTools_tabvHost.csv`, …). Both become [`Table`](super::table::Table)s of text cells, so one reader serves
//! both, and columns are found by header name in either dialect (display names such as
//! `# CPU`, or the `-DBColumnNames` names such as `vHostNumCpu`), never by position: RVTools
//! inserts custom-attribute and tag columns mid-sheet.
//!
//! Hosts come from vHost: sockets = `# CPU`, cores per socket = `Cores per CPU` (or `# Cores`
//! ÷ sockets), RAM = `# Memory` in MiB (labelled MB before RVTools 4.1.2, MiB after; the
//! values were always MiB). VMs come from vInfo, joined to their host by `Host` (and
//! `VI SDK Server` when both tabs have it): templates, vCLS agents and SRM placeholders are not
//! VMs; powered-off and suspended VMs are counted as VMs, but only powered-on VMs' `Memory`
//! counts as vRAM — the memory a host must hold and a memory pool counts. Without vInfo the
//! host's own `# VMs total` (or `# VMs`) and `vRAM` are used. Without vHost the hosts are the
//! `Host` values of vInfo, with a placeholder shape the user is told to correct. A cluster's
//! `vsan_tib` comes from vDatastore's datastores of type `vsan` (see `vdatastore.rs`); without
//! that tab it is left out, and the header says so.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::pricebook::PricebookSet;
use crate::source::SourceFile;

use super::columns::{Col, normalise};
use super::estate_text::{finish, host_notes, row_ranges};
use super::hosts::{Host, add_to_summary, group_hosts};
use super::table::Table;
use super::{ImportOptions, ImportSummary, Imported, base_name};

/// Sockets and cores per socket written for a host whose inventory row lacks them: a common
/// modern shape, flagged in the cluster name, the header comment and a warning.
const PLACEHOLDER: (u32, u32) = (2, 16);

mod facts;
mod vdatastore;
mod vhost;
mod vinfo;

use facts::apply_host_facts;
use vdatastore::read_vsan;
use vhost::{read_hosts, vms_from_vhost};
use vinfo::read_vms;

/// The tabs the importer reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TabKind {
    /// `vHost`: one row per ESXi host.
    Host,
    /// `vInfo`: one row per VM or template.
    Info,
    /// `vMetaData`: RVTools version and export time.
    MetaData,
    /// `vDatastore`: one row per datastore (the vSAN capacity).
    Datastore,
}

/// The tab a worksheet or CSV file name stands for: `vHost`, `tabvHost` (old .xls sheet
/// names), `RVTools_tabvHost.csv`; any case.
pub(super) fn tab_kind(name: &str) -> Option<TabKind> {
    let base = base_name(name);
    let mut n = base.trim().to_ascii_lowercase();
    if let Some(s) = n.strip_suffix(".csv") {
        n = s.to_owned();
    }
    if let Some(s) = n.strip_prefix("rvtools_") {
        n = s.to_owned();
    }
    if let Some(s) = n.strip_prefix("tab") {
        n = s.to_owned();
    }
    match n.as_str() {
        "vhost" => Some(TabKind::Host),
        "vinfo" => Some(TabKind::Info),
        "vmetadata" => Some(TabKind::MetaData),
        "vdatastore" => Some(TabKind::Datastore),
        _ => None,
    }
}

/// Warns once about header cells that are neither empty nor a standard RVTools column of
/// this tab in either dialect (custom attributes, tags, another tool's columns): `known` is
/// the display names, `|`-separated; every `-DBColumnNames` name starts with `db_prefix`.
fn warn_unknown(t: &Table, known: &str, db_prefix: &str, out: &mut Vec<Diagnostic>) {
    t.warn_unknown(
        |_, h| {
            let n = normalise(h);
            n.is_empty() || n.starts_with(db_prefix) || known.split('|').any(|k| normalise(k) == n)
        },
        // A worksheet's field already names the sheet; a CSV's names only the row.
        t.sheet.is_none(),
        out,
    );
}

/// What an RVTools export holds, tab by tab.
pub(super) struct Inventory {
    /// The workbook or folder name, for the estate name and header.
    pub(super) name: String,
    /// `workbook` or `CSV folder`, for the header.
    pub(super) kind: &'static str,
    pub(super) vhost: Option<Table>,
    pub(super) vinfo: Option<Table>,
    pub(super) meta: Option<Table>,
    pub(super) vdatastore: Option<Table>,
    /// Other tabs present but not needed (vDisk, vCluster, …).
    pub(super) other_tabs: Vec<String>,
}

/// Reads a folder of RVTools per-tab CSVs (`RVTools_tabvHost.csv`, `RVTools_tabvInfo.csv`,
/// `RVTools_tabvDatastore.csv`, `RVTools_tabvMetaData.csv`; other tabs are ignored) into an estate. `name` is the folder's
/// name; each file's name says which tab it is. Needs vHost or vInfo; vHost gives the hosts,
/// vInfo the VMs (see the module docs for what counts).
pub fn import_rvtools_csv(
    name: &str,
    files: &[SourceFile],
    options: ImportOptions<'_>,
    books: &PricebookSet,
) -> Result<Imported, Diagnostics> {
    let mut inv = Inventory {
        name: name.to_owned(),
        kind: "CSV folder",
        vhost: None,
        vinfo: None,
        meta: None,
        vdatastore: None,
        other_tabs: Vec::new(),
    };
    let mut errors = Vec::new();
    for f in files {
        // One CSV whose name says no tab (standard input) is told by its header.
        let by_header = || {
            let t = Table::from_csv(f).ok()?;
            if t.column(Col::Vm).is_some() && t.column(Col::PowerState).is_some() {
                Some(TabKind::Info)
            } else if t.column(Col::Host).is_some() && t.column(Col::Sockets).is_some() {
                Some(TabKind::Host)
            } else {
                None
            }
        };
        let kind = tab_kind(&f.name).or_else(|| (files.len() == 1).then(by_header).flatten());
        let Some(kind) = kind else {
            let base = base_name(&f.name);
            inv.other_tabs.push(base.to_owned());
            continue;
        };
        let slot = match kind {
            TabKind::Host => &mut inv.vhost,
            TabKind::Info => &mut inv.vinfo,
            TabKind::MetaData => &mut inv.meta,
            TabKind::Datastore => &mut inv.vdatastore,
        };
        if slot.is_some() {
            errors.push(file_error(
                &f.name,
                "a second file for the same RVTools tab".to_owned(),
                Some("give one export's CSV files (one per tab)".to_owned()),
            ));
            continue;
        }
        match Table::from_csv(f) {
            Ok(t) => *slot = Some(t),
            Err(d) => errors.extend(d.0),
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    import(inv, options, books)
}

/// An error about a whole file.
pub(super) fn file_error(file: &str, message: String, help: Option<String>) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        file: file.to_owned(),
        span: 0..0,
        line: 1,
        column: 1,
        field: "file".to_owned(),
        message,
        help,
    }
}

/// A host read from vHost (or made up from vInfo), with what the VMs add to it.
struct HostRow {
    name: String,
    /// Index of the host's vHost row.
    tab_row: Option<usize>,
    host: Host,
    maintenance: bool,
}

/// Turns an inventory into an estate.
pub(super) fn import(
    inv: Inventory,
    options: ImportOptions<'_>,
    books: &PricebookSet,
) -> Result<Imported, Diagnostics> {
    if inv.vhost.is_none() && inv.vinfo.is_none() {
        let mut others = inv.other_tabs.clone();
        if inv.meta.is_some() {
            others.push("vMetaData".to_owned());
        }
        return Err(Diagnostics(vec![file_error(
            &inv.name,
            "no vHost or vInfo tab: nothing to import".to_owned(),
            Some(format!(
                "an RVTools export with a vHost sheet (or RVTools_tabvHost.csv), and ideally vInfo; \
                 found: {}",
                if others.is_empty() {
                    "nothing".to_owned()
                } else {
                    others.join(", ")
                }
            )),
        )]));
    }
    if let (Some(facts), Some(t)) = (options.host_facts, &inv.vhost) {
        return Err(Diagnostics(vec![file_error(
            &facts.name,
            format!(
                "a hosts file supplies host facts only for an RVTools export without vHost, and \
                 `{}` has {}",
                inv.name,
                t.label()
            ),
            Some(
                "leave the hosts file out (--hosts): vHost's own sockets, cores and RAM are used"
                    .to_owned(),
            ),
        )]));
    }
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut summary = ImportSummary::default();
    let mut header = String::new();
    let mut hosts: Vec<HostRow> = Vec::new();
    // vHost: hosts.
    let mut vhost_cols = None;
    if let Some(t) = &inv.vhost {
        match read_hosts(t, options, &mut hosts, &mut errors, &mut warnings) {
            Some(cols) => vhost_cols = Some(cols),
            None => return Err(Diagnostics(errors)),
        }
    }
    // vInfo: VMs, joined to hosts (or the hosts themselves when vHost is missing).
    let mut vm_note = String::new();
    if let Some(t) = &inv.vinfo {
        let Some(note) = read_vms(
            t,
            inv.vhost.as_ref(),
            &mut hosts,
            &mut summary,
            &mut errors,
            &mut warnings,
        ) else {
            return Err(Diagnostics(errors));
        };
        vm_note = note;
    } else if let (Some(t), Some(cols)) = (&inv.vhost, &vhost_cols) {
        vm_note = vms_from_vhost(t, cols, &mut hosts, &mut summary, &mut errors);
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    if hosts.is_empty() {
        let (file, what) = match (&inv.vhost, &inv.vinfo) {
            (Some(t), _) => (
                t.file.clone(),
                format!("{} has a header but no hosts", t.label()),
            ),
            (None, Some(t)) => (
                t.file.clone(),
                format!("{} names no hosts (column `Host` is empty)", t.label()),
            ),
            (None, None) => (inv.name.clone(), "no hosts".to_owned()),
        };
        return Err(Diagnostics(vec![file_error(&file, what, None)]));
    }
    let mut facts_note = None;
    if let (None, Some(facts)) = (&inv.vhost, options.host_facts) {
        match apply_host_facts(facts, options, &mut hosts, &mut warnings) {
            Ok(note) => facts_note = Some(note),
            Err(d) => return Err(d),
        }
    }
    let placeholders: Vec<&str> = hosts
        .iter()
        .filter(|h| h.host.placeholder)
        .map(|h| h.name.as_str())
        .collect();
    let edit = "or edit sockets_per_host, cores_per_socket and ram_gb_per_host of the clusters \
                marked `host facts missing` in the estate";
    match (options.host_facts, placeholders.is_empty()) {
        _ if inv.vhost.is_some() => {}
        (Some(_), true) => {}
        (Some(facts), false) => warnings.push(facts_warning(
            facts,
            format!(
                "no vHost tab, and {} of the {} hosts are not in this hosts file ({}): each is \
                 written as {}×{} cores, a PLACEHOLDER",
                placeholders.len(),
                hosts.len(),
                placeholders.join(", "),
                PLACEHOLDER.0,
                PLACEHOLDER.1
            ),
            Some(format!(
                "add their rows to the hosts file (named as vInfo's `Host`, or by their short \
                 name), {edit}"
            )),
        )),
        (None, _) => warnings.push(file_error_warning(
            &inv.name,
            format!(
                "no vHost tab: the {} hosts found in vInfo ({}) have no socket, core or RAM \
                 figures, so each is written as {}×{} cores, a PLACEHOLDER",
                hosts.len(),
                placeholders.join(", "),
                PLACEHOLDER.0,
                PLACEHOLDER.1
            ),
            Some(format!(
                "export the vHost tab too (RVTools_tabvHost.csv, or the whole workbook); or give \
                 a per-host CSV (the KB 313548 script's VMHOST, NUM_CPU_SOCKETS, \
                 NUM_CPU_CORES_PER_SOCKET, or PowerCLI's Name, NumCpuPackages, NumCpuCores, \
                 MemoryTotalGB) with `hypercost import rvtools … --hosts FILE`; {edit}; hosts \
                 that run no VM do not appear in vInfo at all, so add them by hand"
            )),
        )),
    }
    for h in &hosts {
        if h.maintenance {
            summary.maintenance_hosts.push(h.name.clone());
        }
        if h.host.cluster.is_empty() {
            summary.standalone_hosts.push(h.name.clone());
        }
        if h.host.placeholder {
            summary.placeholder_hosts.push(h.name.clone());
        }
        add_to_summary(&mut summary, 1, h.host.sockets, h.host.cores_per_socket);
    }
    summary.rows = inv
        .vhost
        .as_ref()
        .or(inv.vinfo.as_ref())
        .map_or(0, |t| t.rows.len());

    let vsan = read_vsan(inv.vdatastore.as_ref(), &hosts, &mut warnings);
    let plain: Vec<Host> = hosts.iter().map(|h| h.host.clone()).collect();
    let mut groups = group_hosts(&plain);
    let vsan_parts = vsan.apply(&mut groups);

    // The header: where every number came from.
    let _ = writeln!(
        header,
        "# Imported by hypercost on {} from `{}` (RVTools {}{}).",
        options.date,
        inv.name,
        inv.kind,
        metadata(inv.meta.as_ref())
    );
    for (t, what) in [
        (&inv.vhost, "host"),
        (&inv.vinfo, "VM"),
        (&inv.vdatastore, "datastore"),
    ] {
        if let Some(t) = t {
            let rows: Vec<usize> = t.rows.iter().map(|r| r.number).collect();
            let _ = writeln!(
                header,
                "# Read {}: {} {what} rows ({}).",
                t.label(),
                t.rows.len(),
                if rows.is_empty() {
                    "none".to_owned()
                } else {
                    format!("rows {}", row_ranges(&rows))
                }
            );
        }
    }
    if !inv.other_tabs.is_empty() {
        let _ = writeln!(
            header,
            "# Not needed, not read: {}.",
            inv.other_tabs.join(", ")
        );
    }
    match (&inv.vhost, &vhost_cols) {
        (Some(t), Some(cols)) => {
            let name = |c| t.header(c);
            let _ = writeln!(
                header,
                "# Clusters group hosts by (vCenter, cluster, sockets, cores per socket, RAM rounded up to {} GiB).",
                options.ram_granularity_gib
            );
            let _ = writeln!(
                header,
                "# sockets_per_host ← vHost `{}`; cores_per_socket ← `{}`{}; ram_gb_per_host ← `{}` (MiB → GiB, rounded up).",
                name(Some(cols.sockets)),
                name(cols.cps.or(cols.cores)),
                if cols.cps.is_none() {
                    " ÷ sockets"
                } else {
                    ""
                },
                name(cols.memory),
            );
        }
        _ => match &facts_note {
            Some(note) => header.push_str(note),
            None => {
                let _ = writeln!(
                    header,
                    "# NO vHOST TAB: hosts are the `Host` values of vInfo, grouped by (vCenter, cluster); their sockets \
                     and cores are a PLACEHOLDER ({}×{}): correct them, or export vHost too.",
                    PLACEHOLDER.0, PLACEHOLDER.1
                );
            }
        },
    }
    header.push_str(&vm_note);
    header.push_str(&vsan.note);
    let host_label = match (&inv.vhost, options.host_facts) {
        (None, Some(f)) => format!("`{}`", base_name(&f.name)),
        _ => "vHost".to_owned(),
    };
    let _ = writeln!(header, "# Per estate cluster:");
    for ((c, source), vsan_part) in groups.iter().zip(vsan_parts) {
        let mut parts = Vec::new();
        if !source.host_rows.is_empty() {
            parts.push(format!(
                "{host_label} rows {}",
                row_ranges(&source.host_rows)
            ));
        }
        if inv.vinfo.is_some() {
            parts.push(if source.vm_rows.is_empty() {
                "no vInfo rows".to_owned()
            } else {
                format!("vInfo rows {}", row_ranges(&source.vm_rows))
            });
        }
        if let (Some(v), Some((on, mib))) = (c.vms, source.powered_on) {
            parts.push(format!(
                "{v} VMs, {on} powered on with {} GiB{}",
                plain_number(mib.checked_div(Decimal::from(1024)).unwrap_or_default()),
                source
                    .vcpus
                    .map_or(String::new(), |n| format!(" and {n} vCPUs"))
            ));
        }
        if let Some(os) = source.os {
            parts.push(format!(
                "OS: {} Windows Server, {} Windows client, {} other, {} unknown",
                os.windows_server, os.windows_client, os.other, os.unknown
            ));
        }
        if !vsan_part.is_empty() {
            parts.push(vsan_part);
        }
        let _ = writeln!(
            header,
            "#   {}: {} host(s) ← {}",
            c.name,
            c.hosts,
            parts.join("; ")
        );
    }
    host_notes(&mut header, &summary);
    if !summary.placeholder_hosts.is_empty() {
        let _ = writeln!(
            header,
            "# PLACEHOLDER shape ({}×{}) for hosts without socket/core data: {}.",
            PLACEHOLDER.0,
            PLACEHOLDER.1,
            summary.placeholder_hosts.join(", ")
        );
    }
    let clusters = groups.into_iter().map(|(c, _)| c).collect();
    finish(
        &inv.name, options, books, clusters, header, summary, warnings,
    )
}

/// A warning about the hosts file as a whole, named in the field (`--summary` shows the field).
fn facts_warning(facts: &SourceFile, message: String, help: Option<String>) -> Diagnostic {
    Diagnostic {
        field: format!("hosts file `{}`", base_name(&facts.name)),
        ..file_error_warning(&facts.name, message, help)
    }
}

fn plain_number(d: Decimal) -> String {
    d.round_dp(2).normalize().to_string()
}

fn file_error_warning(file: &str, message: String, help: Option<String>) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        ..file_error(file, message, help)
    }
}

/// `, version 4.7.1.4, written 2025-12-17 16:35:29 from vc1` from vMetaData, when present.
fn metadata(meta: Option<&Table>) -> String {
    let Some(t) = meta else {
        return String::new();
    };
    let mut out = String::new();
    let version = t.column(Col::RvtoolsVersion);
    let date = t.column(Col::ExportTime);
    let server = t.column(Col::VCenter);
    if !t.cell(0, version).is_empty() {
        let _ = write!(out, ", version {}", t.cell(0, version));
    }
    if !t.cell(0, date).is_empty() {
        let _ = write!(out, ", written {}", t.cell(0, date));
    }
    if !t.cell(0, server).is_empty() {
        let _ = write!(out, " from {}", t.cell(0, server));
    }
    out
}

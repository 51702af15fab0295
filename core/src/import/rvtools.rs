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
//! `Host` values of vInfo, with a placeholder shape the user is told to correct.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::pricebook::PricebookSet;
use crate::source::SourceFile;

use super::columns::{Col, aliases, normalise};
use super::estate_text::{finish, host_notes, row_ranges};
use super::hosts::{
    Host, HostLine, RamUnit, add_to_summary, group_hosts, ram_to_gib, read_host_lines,
};
use super::table::{Table, parse_count, truthy};
use super::{ImportOptions, ImportSummary, Imported, base_name};

/// Sockets and cores per socket written for a host whose inventory row lacks them: a common
/// modern shape, flagged in the cluster name, the header comment and a warning.
const PLACEHOLDER: (u32, u32) = (2, 16);

/// The tabs the importer reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TabKind {
    /// `vHost`: one row per ESXi host.
    Host,
    /// `vInfo`: one row per VM or template.
    Info,
    /// `vMetaData`: RVTools version and export time.
    MetaData,
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

/// vCLS agent VMs: `vCLS-<uuid>` since 7.0U3, `vCLS (n)` before.
fn is_vcls(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "vcls" || n.starts_with("vcls-") || n.starts_with("vcls (")
}

/// Standard vHost columns, RVTools 3.x to 4.8 (display names; `|`-separated).
const VHOST_KNOWN: &str = "Host|Datacenter|Cluster|Config status|Compliance Check State|\
in Maintenance Mode|in Quarantine Mode|vSAN Fault Domain Name|CPU Model|Speed|HT Available|\
HT Active|# CPU|Cores per CPU|# Cores|CPU usage %|# Memory|Memory Tiering Type|Memory usage %|\
Console|# NICs|# HBAs|# VMs total|# VMs|VMs per Core|# vCPUs|vCPUs per Core|vRAM|\
VM Used memory|VM Memory Swapped|VM Memory Ballooned|VMotion support|Storage VMotion support|\
Current EVC|Max EVC|Assigned License(s)|ATS Heartbeat|ATS Locking|\
Current CPU power man. policy|Supported CPU power man.|Host Power Policy|ESX Version|Boot time|\
DNS Servers|DHCP|Domain|Domain List|DNS Search Order|NTP Server(s)|NTPD running|Time Zone|\
Time Zone Name|GMT Offset|Vendor|Model|Serial number|Service tag|OEM specific string|\
BIOS Vendor|BIOS Version|BIOS Date|Certificate Issuer|Certificate Start Date|\
Certificate Expiry Date|Certificate Status|Certificate Subject|Object ID|UUID|VI SDK Server|\
VI SDK UUID|vCenter UUID";

/// Standard vInfo columns, RVTools 3.x to 4.8, with the MB-era spellings.
const VINFO_KNOWN: &str = "VM|Powerstate|Template|SRM Placeholder|Config status|DNS Name|\
Connection state|Guest state|Heartbeat|Consolidation Needed|PowerOn|Suspended To Memory|\
Suspend time|Suspend Interval|Creation date|Change Version|CPUs|Overall Cpu Readiness|Memory|\
Active Memory|NICs|Disks|Total disk capacity MiB|Total disk capacity MB|Fixed Passthru HotPlug|\
min Required EVC Mode Key|Latency Sensitivity|Op Notification Timeout|EnableUUID|\
disk.EnableUUID|CBT|Primary IP Address|Network #1|Network #2|Network #3|Network #4|Network #5|\
Network #6|Network #7|Network #8|Num Monitors|Video Ram KiB|Video Ram KB|Resource pool|\
Folder ID|Folder|vApp|DAS protection|FT State|FT Role|FT Latency|FT Bandwidth|FT Sec. Latency|\
Vm Failover In Progress|Provisioned MiB|In Use MiB|Unshared MiB|Provisioned MB|In Use MB|\
Unshared MB|HA Restart Priority|HA Isolation Response|HA VM Monitoring|Cluster rule(s)|\
Cluster rule name(s)|Boot Required|Boot delay|Boot retry delay|Boot retry enabled|\
Boot BIOS setup|Reboot PowerOff|EFI Secure boot|Firmware|HW version|HW upgrade status|\
HW upgrade policy|HW target|Path|Log directory|Snapshot directory|Suspend directory|Annotation|\
Datacenter|Cluster|Host|OS according to the configuration file|\
OS according to the VMware Tools|Customization Info|Guest Detailed Data|VM ID|SMBIOS UUID|\
VM UUID|VI SDK Server type|VI SDK API Version|VI SDK Server|VI SDK UUID|vCenter UUID";

/// What an RVTools export holds, tab by tab.
pub(super) struct Inventory {
    /// The workbook or folder name, for the estate name and header.
    pub(super) name: String,
    /// `workbook` or `CSV folder`, for the header.
    pub(super) kind: &'static str,
    pub(super) vhost: Option<Table>,
    pub(super) vinfo: Option<Table>,
    pub(super) meta: Option<Table>,
    /// Other tabs present but not needed (vDisk, vCluster, …).
    pub(super) other_tabs: Vec<String>,
}

/// Reads a folder of RVTools per-tab CSVs (`RVTools_tabvHost.csv`, `RVTools_tabvInfo.csv`,
/// `RVTools_tabvMetaData.csv`; other tabs are ignored) into an estate. `name` is the folder's
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
        other_tabs: Vec::new(),
    };
    let mut errors = Vec::new();
    for f in files {
        let Some(kind) = tab_kind(&f.name) else {
            let base = base_name(&f.name);
            inv.other_tabs.push(base.to_owned());
            continue;
        };
        let slot = match kind {
            TabKind::Host => &mut inv.vhost,
            TabKind::Info => &mut inv.vinfo,
            TabKind::MetaData => &mut inv.meta,
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

/// A VM's power state.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Power {
    On,
    Off,
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

    let plain: Vec<Host> = hosts.iter().map(|h| h.host.clone()).collect();
    let groups = group_hosts(&plain);

    // The header: where every number came from.
    let _ = writeln!(
        header,
        "# Imported by hypercost on {} from `{}` (RVTools {}{}).",
        options.date,
        inv.name,
        inv.kind,
        metadata(inv.meta.as_ref())
    );
    for (t, what) in [(&inv.vhost, "host"), (&inv.vinfo, "VM")] {
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
    let host_label = match (&inv.vhost, options.host_facts) {
        (None, Some(f)) => format!("`{}`", base_name(&f.name)),
        _ => "vHost".to_owned(),
    };
    let _ = writeln!(header, "# Per estate cluster:");
    for (c, source) in &groups {
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
                "{v} VMs, {on} powered on with {} GiB",
                plain_number(mib.checked_div(Decimal::from(1024)).unwrap_or_default())
            ));
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

/// Host names compared: lowercase; `short` is the first DNS label.
fn name_key(name: &str) -> (String, String) {
    let full = name.trim().to_lowercase();
    let short = full.split('.').next().unwrap_or(&full).to_owned();
    (full, short)
}

/// Gives vInfo's placeholder hosts the sockets, cores per socket and RAM of a per-host CSV
/// (see [`ImportOptions::host_facts`]): matched by name, case-insensitive; else a short name
/// to an FQDN's first label (either side) when only one row does; several rows of one name
/// are told apart by vCenter when both have it. The file's hosts that vInfo does not list are
/// added with 0 VMs, unless no host matched (then the names likely differ in form). Returns
/// the header note; bad cells of the file are errors.
fn apply_host_facts(
    facts: &SourceFile,
    options: ImportOptions<'_>,
    hosts: &mut Vec<HostRow>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<String, Diagnostics> {
    let table = Table::from_csv(facts)?;
    let mut errors = Vec::new();
    let Some((cols, lines)) = read_host_lines(&table, options, &mut errors, warnings) else {
        return Err(Diagnostics(errors));
    };
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    let Some(host_col) = cols.host else {
        return Err(Diagnostics(vec![table.header_error(
            "no host name column",
            format!(
                "a hosts file is matched to vInfo's hosts by name: it needs one of {}",
                aliases(Col::Host).join(", ")
            ),
        )]));
    };
    if lines.is_empty() {
        return Err(Diagnostics(vec![table.header_error(
            "no host rows",
            "the hosts file has a header but no hosts".to_owned(),
        )]));
    }
    let keys: Vec<(String, String)> = lines.iter().map(|l| name_key(&l.name)).collect();
    let mut used = vec![false; lines.len()];
    let mut ambiguous: Vec<String> = Vec::new();
    let mut matched = 0usize;
    for h in hosts.iter_mut().filter(|h| h.host.placeholder) {
        let (full, short) = name_key(&h.name);
        let mut cands: Vec<usize> = (0..lines.len()).filter(|&i| keys[i].0 == full).collect();
        if cands.is_empty() {
            // A short name against an FQDN's first label, either way round.
            cands = (0..lines.len())
                .filter(|&i| {
                    let (lf, ls) = &keys[i];
                    (!full.contains('.') && lf.contains('.') && *ls == full)
                        || (full.contains('.') && !lf.contains('.') && *lf == short)
                })
                .collect();
        }
        if cands.len() > 1 && !h.host.vcenter.is_empty() {
            let same_vc: Vec<usize> = cands
                .iter()
                .copied()
                .filter(|&i| lines[i].host.vcenter.eq_ignore_ascii_case(&h.host.vcenter))
                .collect();
            if !same_vc.is_empty() {
                cands = same_vc;
            }
        }
        match cands.as_slice() {
            [] => {}
            [i] => {
                let line: &HostLine = &lines[*i];
                used[*i] = true;
                matched += 1;
                h.host.sockets = line.host.sockets;
                h.host.cores_per_socket = line.host.cores_per_socket;
                h.host.ram_gib = line.host.ram_gib;
                h.host.placeholder = false;
                h.host.rows.clone_from(&line.host.rows);
                h.maintenance = line.maintenance;
            }
            several => {
                let rows: Vec<usize> = several
                    .iter()
                    .flat_map(|&i| lines[i].host.rows.iter().copied())
                    .collect();
                ambiguous.push(format!("`{}` (rows {})", h.name, row_ranges(&rows)));
            }
        }
    }
    if !ambiguous.is_empty() {
        warnings.push(facts_warning(
            facts,
            format!(
                "several rows match {}: left as a PLACEHOLDER",
                ambiguous.join(", ")
            ),
            Some("name each host once, as vInfo's `Host` does".to_owned()),
        ));
    }
    let extra: Vec<usize> = (0..lines.len()).filter(|&i| !used[i]).collect();
    let mut added = Vec::new();
    if matched == 0 {
        warnings.push(facts_warning(
            facts,
            format!(
                "no host of this hosts file matches a host of vInfo ({} rows; names such as `{}`)",
                lines.len(),
                lines.first().map_or("", |l| l.name.as_str())
            ),
            Some(
                "the hosts file names hosts in column `VMHOST` (or `Name`, `Host`) as vInfo's \
                 `Host` column does, or by their short name"
                    .to_owned(),
            ),
        ));
    } else if !extra.is_empty() {
        let counts_memory = hosts.iter().any(|h| h.host.powered_on.is_some());
        for &i in &extra {
            let line = &lines[i];
            added.push(line.name.clone());
            hosts.push(HostRow {
                name: line.name.clone(),
                tab_row: None,
                maintenance: line.maintenance,
                host: Host {
                    vms: Some(0),
                    powered_on: counts_memory.then_some((0, Decimal::ZERO)),
                    vm_rows: Vec::new(),
                    ..line.host.clone()
                },
            });
        }
        warnings.push(facts_warning(
            facts,
            format!(
                "{} host(s) of this hosts file run no VM in vInfo ({}): added with 0 VMs, as \
                 they need licences too",
                added.len(),
                added.join(", ")
            ),
            Some("remove their rows from the hosts file if they are not in this estate".to_owned()),
        ));
    }
    let rows: Vec<usize> = lines
        .iter()
        .flat_map(|l| l.host.rows.iter().copied())
        .collect();
    let name = |c| table.header(c);
    let mut note = format!(
        "# NO vHOST TAB: hosts are the `Host` values of vInfo; their facts come from the hosts \
         file `{}` (given with --hosts; {} host rows, rows {}), matched by host name: \
         sockets_per_host ← `{}`; cores_per_socket ← `{}`{}{}.\n",
        facts.name,
        lines.len(),
        row_ranges(&rows),
        name(Some(cols.sockets)),
        name(cols.cps.or(cols.cores)),
        if cols.cps.is_none() {
            " ÷ sockets"
        } else {
            ""
        },
        cols.ram.map_or(String::new(), |(c, _)| format!(
            "; ram_gb_per_host ← `{}` (GiB, rounded up to {} GiB)",
            name(Some(c)),
            options.ram_granularity_gib
        )),
    );
    let _ = writeln!(
        note,
        "# Hosts matched: {} of {} in vInfo (column `{}` of the hosts file).",
        matched,
        hosts.len() - added.len(),
        name(Some(host_col))
    );
    if !added.is_empty() {
        let _ = writeln!(
            note,
            "# Hosts of the hosts file running no VM (added with 0 VMs): {}.",
            added.join(", ")
        );
    }
    Ok(note)
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

/// The vHost columns found.
struct HostCols {
    sockets: usize,
    cps: Option<usize>,
    cores: Option<usize>,
    memory: Option<usize>,
    vms: Option<usize>,
    vms_total: Option<usize>,
    vram: Option<usize>,
}

/// Reads vHost rows into `hosts`; `None` when a needed column is missing (the error pushed).
fn read_hosts(
    t: &Table,
    options: ImportOptions<'_>,
    hosts: &mut Vec<HostRow>,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> Option<HostCols> {
    let host_c = t.column(Col::Host);
    let sockets_c = t.column(Col::Sockets);
    let cps_c = t.column(Col::CoresPerSocket);
    let cores_c = t.column(Col::Cores);
    let missing = |what: &str, names: &[&str]| {
        t.at(
            Severity::Error,
            None,
            None,
            format!("{} has no {what} column", t.label()),
            Some(format!(
                "expected a header named {} (by name, in any position)",
                names.join(" or ")
            )),
        )
    };
    let (Some(host_c), Some(sockets_c)) = (host_c, sockets_c) else {
        if host_c.is_none() {
            errors.push(missing("host name", aliases(Col::Host)));
        }
        if sockets_c.is_none() {
            errors.push(missing("socket count", aliases(Col::Sockets)));
        }
        return None;
    };
    if cps_c.is_none() && cores_c.is_none() {
        errors.push(missing(
            "cores",
            &[aliases(Col::CoresPerSocket), aliases(Col::Cores)].concat(),
        ));
        return None;
    }
    let cols = HostCols {
        sockets: sockets_c,
        cps: cps_c,
        cores: cores_c,
        memory: t.column(Col::MemoryMib),
        vms: t.column(Col::Vms),
        vms_total: t.column(Col::VmsTotal),
        vram: t.column(Col::VRam),
    };
    warn_unknown(t, VHOST_KNOWN, "vhost", warnings);
    let cluster_c = t.column(Col::Cluster);
    let vcenter_c = t.column(Col::VCenter);
    let maint_c = t.column(Col::Maintenance);
    let tier_c = t.column(Col::MemoryTiering);
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for row in 0..t.rows.len() {
        let name = t.cell(row, Some(host_c)).to_owned();
        if name.is_empty() {
            errors.push(t.error(
                row,
                Some(host_c),
                "no host name".to_owned(),
                Some("every vHost row names its host".to_owned()),
            ));
            continue;
        }
        let vcenter = t.cell(row, vcenter_c).to_owned();
        let key = (vcenter.to_lowercase(), name.to_lowercase());
        if let Some(first) = seen.get(&key) {
            errors.push(
                t.error(
                    row,
                    Some(host_c),
                    format!(
                        "host `{name}` appears twice (rows {first} and {})",
                        t.row_number(row)
                    ),
                    Some(
                        "one row per host; merged workbooks keep each vCenter's `VI SDK Server`"
                            .to_owned(),
                    ),
                ),
            );
            continue;
        }
        seen.insert(key, t.row_number(row));
        let Ok(sockets) = t.optional_count(row, Some(sockets_c), errors) else {
            continue;
        };
        let sockets = sockets.filter(|s| *s > 0);
        let cps = match (cps_c, cores_c) {
            (Some(c), _) => match t.optional_count(row, Some(c), errors) {
                Ok(v) => v.filter(|v| *v > 0),
                Err(()) => continue,
            },
            (None, Some(c)) => match (t.optional_count(row, Some(c), errors), sockets) {
                (Err(()), _) => continue,
                (Ok(Some(cores)), Some(s)) if cores > 0 => {
                    if cores % s == 0 {
                        Some(cores / s)
                    } else {
                        errors.push(t.error(
                            row,
                            Some(c),
                            format!("{cores} cores do not divide into {s} sockets"),
                            Some("cores per host must be sockets × cores per socket".to_owned()),
                        ));
                        continue;
                    }
                }
                _ => None,
            },
            (None, None) => None,
        };
        if let (Some(s), Some(p), Some(c), Some(_)) = (sockets, cps, cores_c, cps_c)
            && let Some(cores) = parse_count(t.cell(row, Some(c)))
            && u64::from(cores) != u64::from(s) * u64::from(p)
        {
            warnings.push(t.warning(
                row,
                Some(c),
                format!(
                    "host `{name}`: {cores} cores, but {s} sockets × {p} cores per socket = {}; \
                     cores per socket is used",
                    u64::from(s) * u64::from(p)
                ),
                None,
            ));
        }
        let Ok(memory) = t.amount(row, cols.memory, "an amount of memory", errors) else {
            continue;
        };
        let ram_gib = memory
            .and_then(|m| ram_to_gib(m, RamUnit::Mib, options.ram_granularity_gib))
            .filter(|g| *g > 0);
        let (sockets, cps, placeholder) = match (sockets, cps) {
            (Some(s), Some(p)) => (s, p, false),
            _ => {
                let col = if sockets.is_none() {
                    Some(sockets_c)
                } else {
                    cps_c.or(cores_c)
                };
                warnings.push(t.warning(
                    row,
                    col,
                    format!(
                        "host `{name}` has no {} (a disconnected host?): it is written as {}×{} cores, a PLACEHOLDER",
                        if sockets.is_none() { "socket count" } else { "core count" },
                        PLACEHOLDER.0,
                        PLACEHOLDER.1
                    ), None,
                ));
                (PLACEHOLDER.0, PLACEHOLDER.1, true)
            }
        };
        if !placeholder && ram_gib.is_none() && cols.memory.is_some() {
            warnings.push(t.warning(
                row,
                cols.memory,
                format!("host `{name}` has no memory figure: its cluster has no ram_gb_per_host"),
                None,
            ));
        }
        if cps == 1 && !placeholder {
            warnings.push(t.warning(
                row,
                cps_c.or(cores_c),
                format!(
                    "host `{name}` has 1 core per socket ({sockets} sockets): a nested ESXi VM, or a core \
                     count taken as sockets (PowerCLI NumCpu)? Each socket is licensed at 16 cores"
                ), None,
            ));
        }
        let tier = t.cell(row, tier_c);
        if !tier.is_empty() && !tier.eq_ignore_ascii_case("notiering") {
            warnings.push(t.warning(
                row,
                tier_c,
                format!("host `{name}` has memory tiering `{tier}`: `# Memory` includes the NVMe tier, so its RAM is overstated"), None,
            ));
        }
        let maintenance = truthy(t.cell(row, maint_c));
        if maintenance {
            warnings.push(t.warning(
                row,
                maint_c,
                format!("host `{name}` is in maintenance mode: counted for licensing"),
                None,
            ));
        }
        hosts.push(HostRow {
            name,
            tab_row: Some(row),
            maintenance,
            host: Host {
                vcenter,
                cluster: t.cell(row, cluster_c).to_owned(),
                sockets,
                cores_per_socket: cps,
                ram_gib: if placeholder { None } else { ram_gib },
                vms: None,
                powered_on: None,
                placeholder,
                rows: vec![t.row_number(row)],
                vm_rows: Vec::new(),
            },
        });
    }
    Some(cols)
}

/// Without vInfo: each host's `# VMs total` (4.1.2+) or `# VMs` (powered on) and `vRAM`.
/// Returns the header note.
fn vms_from_vhost(
    t: &Table,
    cols: &HostCols,
    hosts: &mut [HostRow],
    summary: &mut ImportSummary,
    errors: &mut Vec<Diagnostic>,
) -> String {
    let vms_c = cols.vms_total.or(cols.vms);
    if vms_c.is_none() {
        return "# No vInfo tab and no `# VMs` column: VM counts are unknown.\n".to_owned();
    }
    let mut total = Some(0u64);
    let mut on_total = Some(0u64);
    for h in hosts.iter_mut() {
        let Some(row) = h.tab_row else { continue };
        let vms = t.optional_count(row, vms_c, errors).ok().flatten();
        let on = t.optional_count(row, cols.vms, errors).ok().flatten();
        let vram = t
            .amount(row, cols.vram, "an amount of memory", errors)
            .ok()
            .flatten();
        h.host.vms = vms;
        h.host.powered_on = on.zip(vram);
        total = total.zip(vms).map(|(a, b)| a + u64::from(b));
        on_total = on_total.zip(on).map(|(a, b)| a + u64::from(b));
    }
    summary.vms = total;
    summary.powered_on_vms = on_total;
    let name = |c| t.header(c);
    format!(
        "# No vInfo tab: vms ← Σ vHost `{}`{}; vm_ram_gb ← Σ `{}` (MiB, powered-on VMs) ÷ vms. \
         vCLS agents cannot be told apart without vInfo.\n",
        name(vms_c),
        if cols.vms_total.is_none() {
            " (powered-on VMs only: RVTools before 4.1.2 has no `# VMs total`)"
        } else {
            ""
        },
        name(cols.vram)
    )
}

/// Reads vInfo: VMs counted per host; when `vhost` is missing, the hosts themselves. Returns
/// the header note, or `None` when a needed column is missing (the error pushed).
fn read_vms(
    t: &Table,
    vhost: Option<&Table>,
    hosts: &mut Vec<HostRow>,
    summary: &mut ImportSummary,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> Option<String> {
    let vm_c = t.column(Col::Vm);
    let power_c = t.column(Col::PowerState);
    let host_c = t.column(Col::Host);
    let mut fail = false;
    for (col, what, names) in [
        (vm_c, "VM name", aliases(Col::Vm)),
        (power_c, "power state", aliases(Col::PowerState)),
        (host_c, "host", aliases(Col::Host)),
    ] {
        if col.is_none() {
            fail = true;
            errors.push(t.at(
                Severity::Error,
                None,
                None,
                format!("{} has no {what} column", t.label()),
                Some(format!("expected a header named {}", names.join(" or "))),
            ));
        }
    }
    if fail {
        return None;
    }
    warn_unknown(t, VINFO_KNOWN, "vinfo", warnings);
    let template_c = t.column(Col::Template);
    let srm_c = t.column(Col::SrmPlaceholder);
    let mem_c = t.column(Col::VmMemory);
    let cluster_c = t.column(Col::Cluster);
    // Join on VI SDK Server only when both tabs carry it.
    let vc_c = t
        .column(Col::VCenter)
        .filter(|_| vhost.is_none_or(|h| h.column(Col::VCenter).is_some()));
    let key = |vc: &str, host: &str| (vc.to_lowercase(), host.to_lowercase());
    let mut index: BTreeMap<(String, String), usize> = hosts
        .iter()
        .enumerate()
        .map(|(i, h)| {
            (
                key(if vc_c.is_some() { &h.host.vcenter } else { "" }, &h.name),
                i,
            )
        })
        .collect();
    for h in hosts.iter_mut() {
        h.host.vms = Some(0);
        h.host.powered_on = mem_c.map(|_| (0, Decimal::ZERO));
    }
    let mut unmatched: Vec<usize> = Vec::new();
    let mut unmatched_hosts: Vec<String> = Vec::new();
    let mut no_host: Vec<usize> = Vec::new();
    let (mut vms, mut on) = (0u64, 0u64);
    for row in 0..t.rows.len() {
        let name = t.cell(row, vm_c);
        if name.is_empty() {
            errors.push(t.error(
                row,
                vm_c,
                "no VM name".to_owned(),
                Some("every vInfo row names its VM".to_owned()),
            ));
            continue;
        }
        let host_name = t.cell(row, host_c).to_owned();
        let vcenter = t.cell(row, vc_c).to_owned();
        let k = key(&vcenter, &host_name);
        let mut slot = index.get(&k).copied();
        if slot.is_none() && vhost.is_none() && !host_name.is_empty() {
            // No vHost: the hosts are vInfo's `Host` values, with a placeholder shape.
            hosts.push(HostRow {
                name: host_name.clone(),
                tab_row: None,
                maintenance: false,
                host: Host {
                    vcenter: vcenter.clone(),
                    cluster: t.cell(row, cluster_c).to_owned(),
                    sockets: PLACEHOLDER.0,
                    cores_per_socket: PLACEHOLDER.1,
                    ram_gib: None,
                    vms: Some(0),
                    powered_on: mem_c.map(|_| (0, Decimal::ZERO)),
                    placeholder: true,
                    rows: Vec::new(),
                    vm_rows: Vec::new(),
                },
            });
            index.insert(k, hosts.len() - 1);
            slot = Some(hosts.len() - 1);
        }
        if truthy(t.cell(row, template_c)) {
            summary.excluded_vms.templates += 1;
            continue;
        }
        if is_vcls(name) {
            summary.excluded_vms.vcls += 1;
            continue;
        }
        if truthy(t.cell(row, srm_c)) {
            summary.excluded_vms.srm_placeholders += 1;
            continue;
        }
        let power_text = t.cell(row, power_c);
        let power = match power_text.to_ascii_lowercase().as_str() {
            "poweredon" | "powered on" | "on" => Power::On,
            "poweredoff" | "powered off" | "off" | "suspended" => Power::Off,
            _ => {
                errors.push(t.error(
                    row,
                    power_c,
                    if power_text.is_empty() {
                        format!("VM `{name}` has no power state")
                    } else {
                        format!("`{power_text}` is not a power state")
                    },
                    Some("poweredOn, poweredOff or suspended".to_owned()),
                ));
                continue;
            }
        };
        let memory = if power == Power::On && mem_c.is_some() {
            match t.amount(row, mem_c, "an amount of memory", errors) {
                Ok(Some(m)) => m,
                Ok(None) => {
                    errors.push(t.error(
                        row,
                        mem_c,
                        format!("powered-on VM `{name}` has no memory figure"),
                        Some("its configured memory in MiB, e.g. 8192".to_owned()),
                    ));
                    continue;
                }
                Err(()) => continue,
            }
        } else {
            Decimal::ZERO
        };
        let Some(i) = slot else {
            if host_name.is_empty() {
                no_host.push(t.row_number(row));
            } else {
                unmatched.push(t.row_number(row));
                if !unmatched_hosts.contains(&host_name) {
                    unmatched_hosts.push(host_name);
                }
            }
            continue;
        };
        let h = &mut hosts[i].host;
        h.vms = h.vms.and_then(|v| v.checked_add(1));
        h.vm_rows.push(t.row_number(row));
        vms += 1;
        if power == Power::On {
            on += 1;
            h.powered_on = h
                .powered_on
                .and_then(|(n, m)| n.checked_add(1).zip(m.checked_add(memory)));
        }
    }
    if !unmatched.is_empty() {
        warnings.push(
            t.at(
                Severity::Warning,
                unmatched
                    .first()
                    .and_then(|n| t.rows.iter().position(|r| r.number == *n)),
                host_c,
                format!(
                    "{} VMs (rows {}) run on hosts missing from vHost ({}): not counted",
                    unmatched.len(),
                    row_ranges(&unmatched),
                    unmatched_hosts.join(", ")
                ),
                None,
            ),
        );
    }
    if !no_host.is_empty() {
        warnings.push(
            t.at(
                Severity::Warning,
                no_host
                    .first()
                    .and_then(|n| t.rows.iter().position(|r| r.number == *n)),
                host_c,
                format!(
                    "{} VMs (rows {}) name no host: not counted",
                    no_host.len(),
                    row_ranges(&no_host)
                ),
                None,
            ),
        );
    }
    summary.vms = Some(vms);
    summary.powered_on_vms = Some(on);
    let ex = summary.excluded_vms;
    let name = |c| t.header(c);
    let mut note = format!(
        "# vms ← vInfo rows per host (`{}`), powered off and suspended included; not VMs: {} \
         template(s), {} vCLS agent(s), {} SRM placeholder(s).\n",
        name(host_c),
        ex.templates,
        ex.vcls,
        ex.srm_placeholders
    );
    if mem_c.is_some() {
        let _ = writeln!(
            note,
            "# vm_ram_gb ← Σ vInfo `{}` (MiB) of powered-on VMs ÷ 1024 ÷ vms, rounded up to 0.01: \
             vms × vm_ram_gb is the powered-on vRAM a memory pool counts.",
            name(mem_c)
        );
    } else {
        note.push_str("# vInfo has no `Memory` column: vm_ram_gb is left out.\n");
    }
    Some(note)
}

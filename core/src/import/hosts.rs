//! Per-host CSVs (KB 313548 script, PowerCLI `Get-VMHost`, RVTools-vHost-like columns) →
//! hosts → clusters of identical hosts. The row reader also serves an RVTools export's host
//! facts (`--hosts`), and the grouping every importer of hosts.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::diag::{Diagnostic, Diagnostics};
use crate::estate::Cluster;
use crate::pricebook::PricebookSet;
use crate::source::SourceFile;

use super::columns::{Col, aliases};
use super::estate_text::{finish, host_notes};
use super::table::{Table, parse_count, parse_decimal, truthy};
use super::unique::Unique;
use super::{ImportOptions, ImportSummary, Imported};

/// Known columns the host import does not use (not reported as unknown).
const HOST_IGNORED: &[&str] = &[
    "foundation_license_core_count",
    "vsphere_license_key",
    "vsan_license_key",
    "datacenter",
];

/// The unit of a RAM column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RamUnit {
    Kib,
    Mib,
    Gib,
}

/// Host RAM columns, in order of preference, with their units.
const RAM: [(Col, RamUnit); 3] = [
    (Col::MemoryMib, RamUnit::Mib),
    (Col::MemoryGib, RamUnit::Gib),
    (Col::MemoryKib, RamUnit::Kib),
];

/// One host row, validated.
#[derive(Clone, Debug, Default)]
pub(super) struct Host {
    pub(super) vcenter: String,
    pub(super) cluster: String,
    pub(super) sockets: u32,
    pub(super) cores_per_socket: u32,
    pub(super) ram_gib: Option<u32>,
    /// VMs counted on the host.
    pub(super) vms: Option<u32>,
    /// Powered-on VMs and their configured memory (MiB), when known.
    pub(super) powered_on: Option<(u32, Decimal)>,
    /// Virtual CPUs of the powered-on VMs, when the inventory gives each VM's.
    pub(super) vcpus: Option<u32>,
    /// The counted VMs by guest OS, when the inventory says it.
    pub(super) os: Option<OsCounts>,
    /// The shape is a placeholder: the inventory lacks the host's sockets or cores.
    pub(super) placeholder: bool,
    /// Source rows of the host (1-based, in its tab) and of its VMs.
    pub(super) rows: Vec<usize>,
    pub(super) vm_rows: Vec<usize>,
}

/// VMs by guest OS. `windows_vms` counts Windows Server guests only: it is what a plan's
/// `guest_os` licenses with a Windows Server book, and those licences do not cover Windows
/// client guests (10, 11: VDA or Microsoft 365 licensing), which are counted apart.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct OsCounts {
    pub(super) windows_server: u32,
    pub(super) windows_client: u32,
    pub(super) other: u32,
    pub(super) unknown: u32,
}

impl OsCounts {
    /// Counts one VM by its OS text (`Microsoft Windows Server 2022 (64-bit)`, `Microsoft
    /// Windows 11 (64-bit)`, `Ubuntu Linux (64-bit)`, empty).
    pub(super) fn count(&mut self, os: &str) {
        let os = os.to_lowercase();
        let slot = if os.trim().is_empty() {
            &mut self.unknown
        } else if os.contains("windows") && os.contains("server") {
            &mut self.windows_server
        } else if os.contains("windows") {
            &mut self.windows_client
        } else {
            &mut self.other
        };
        *slot = slot.saturating_add(1);
    }

    fn add(self, b: OsCounts) -> OsCounts {
        OsCounts {
            windows_server: self.windows_server.saturating_add(b.windows_server),
            windows_client: self.windows_client.saturating_add(b.windows_client),
            other: self.other.saturating_add(b.other),
            unknown: self.unknown.saturating_add(b.unknown),
        }
    }
}

/// Where one estate cluster's numbers came from.
#[derive(Clone, Debug, Default)]
pub(super) struct GroupSource {
    /// The hosts grouped, as indices into the hosts given to [`group_hosts`].
    pub(super) members: Vec<usize>,
    pub(super) host_rows: Vec<usize>,
    pub(super) vm_rows: Vec<usize>,
    pub(super) powered_on: Option<(u32, Decimal)>,
    pub(super) vcpus: Option<u32>,
    pub(super) os: Option<OsCounts>,
}
/// Reads a per-host CSV (KB 313548 / PowerCLI / RVTools-vHost-like columns) into an estate.
pub fn import_hosts(
    file: &SourceFile,
    options: ImportOptions<'_>,
    books: &PricebookSet,
) -> Result<Imported, Diagnostics> {
    let table = Table::from_csv(file)?;
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
pub(super) struct HostColumns {
    pub(super) host: Option<usize>,
    pub(super) cluster: Option<usize>,
    pub(super) sockets: usize,
    pub(super) cps: Option<usize>,
    pub(super) cores: Option<usize>,
    pub(super) ram: Option<(usize, RamUnit)>,
    pub(super) vms: Option<usize>,
}

/// One validated row of a per-host CSV.
#[derive(Clone, Debug)]
pub(super) struct HostLine {
    /// The host's name, or `row N` when the file names none.
    pub(super) name: String,
    pub(super) maintenance: bool,
    pub(super) host: Host,
}

/// Reads a per-host CSV's rows (for [`import_hosts`], and for an RVTools export's host facts):
/// `None` when a needed column is missing; bad cells are pushed to `errors` and their rows
/// left out.
pub(super) fn read_host_lines(
    table: &Table,
    options: ImportOptions<'_>,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> Option<(HostColumns, Vec<HostLine>)> {
    let host_col = table.column(Col::Host);
    let cluster_col = table.column(Col::Cluster);
    let vcenter_col = table.column(Col::VCenter);
    let sockets_col = table.column(Col::Sockets);
    let cps_col = table.column(Col::CoresPerSocket);
    let cores_col = table.column(Col::Cores);
    let ram_col = RAM
        .iter()
        .find_map(|(col, unit)| table.column(*col).map(|c| (c, *unit)));
    let maint_col = table.column(Col::Maintenance);
    let state_col = table.column(Col::ConnectionState);
    let vms_col = table.column(Col::Vms);
    let Some(sockets_col) = sockets_col else {
        errors.push(table.header_error(
            "no socket column",
            format!(
                "a per-host CSV needs one of: {}",
                aliases(Col::Sockets).join(", ")
            ),
        ));
        return None;
    };
    if cps_col.is_none() && cores_col.is_none() {
        errors.push(table.header_error(
            "no cores column",
            format!(
                "a per-host CSV needs cores per socket ({}) or cores per host ({})",
                aliases(Col::CoresPerSocket).join(", "),
                aliases(Col::Cores).join(", ")
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
    table.warn_unknown(
        |i, h| used.contains(&i) || HOST_IGNORED.iter().any(|k| h.eq_ignore_ascii_case(k)),
        false,
        warnings,
    );

    let mut lines = Vec::new();
    let mut seen = Unique::new("host");
    for row in 0..table.rows.len() {
        let name = host_col
            .map(|c| table.cell(row, c).to_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| format!("row {}", table.row_number(row)));
        let cluster = cluster_col.map_or("", |c| table.cell(row, c)).to_owned();
        let vcenter = vcenter_col.map_or("", |c| table.cell(row, c)).to_owned();
        if let Some(c) = host_col.filter(|c| !table.cell(row, *c).is_empty())
            && let Some(e) = seen.check(
                table,
                row,
                c,
                &vcenter,
                &name,
                "one row per host (names differing only in case are the same host)",
            )
        {
            errors.push(e);
            continue;
        }
        let Some(sockets) = table.count(row, sockets_col, errors) else {
            continue;
        };
        if sockets == 0 {
            errors.push(table.error(row, sockets_col, "0 sockets", None));
            continue;
        }
        let cps = match (cps_col, cores_col) {
            (Some(c), _) => table.count(row, c, errors),
            (None, Some(c)) => table.count(row, c, errors).and_then(|cores| {
                if cores % sockets == 0 {
                    Some(cores / sockets)
                } else {
                    errors.push(table.error(
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
            errors.push(table.error(row, col, "0 cores per socket", None));
            continue;
        }
        if let (Some(_), Some(c)) = (cps_col, cores_col)
            && let Some(cores) = parse_count(table.cell(row, c))
            && u64::from(cores) != u64::from(sockets) * u64::from(cps)
        {
            warnings.push(table.warning(
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
                table.warning(
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
                        errors.push(table.error(
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
        let maintenance = truthy(table.cell(row, maint_col))
            || state_col.is_some_and(|c| table.cell(row, c).eq_ignore_ascii_case("maintenance"));
        let vms = match vms_col {
            Some(c) if !table.cell(row, c).is_empty() => table.count(row, c, errors),
            _ => None,
        };
        if maintenance {
            warnings.push(table.warning(
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
        cluster: cluster_col,
        sockets: sockets_col,
        cps: cps_col,
        cores: cores_col,
        ram: ram_col,
        vms: vms_col,
    };
    Some((cols, lines))
}

pub(super) fn add_to_summary(summary: &mut ImportSummary, hosts: u32, sockets: u32, cps: u32) {
    let s = u64::from(hosts) * u64::from(sockets);
    summary.hosts += u64::from(hosts);
    summary.sockets += s;
    summary.cores += s * u64::from(cps);
    summary.licensed_cores_16 += s * u64::from(cps.max(16));
}

pub(super) fn ram_to_gib(value: Decimal, unit: RamUnit, granularity: u32) -> Option<u32> {
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

pub(super) fn plain_cluster(
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
        group,
        ..Cluster::default()
    }
}

/// Groups hosts into clusters of identical hosts, named by origin, each with its sources.
///
/// `vm_ram_gb` is the group's powered-on VM memory spread over *all* its counted VMs (rounded
/// up to 0.01 GiB), so that `vms × vm_ram_gb` — what a pooled memory entitlement counts — is
/// the powered-on vRAM, while `vms` still counts powered-off VMs (they need guest licences and
/// come back on).
pub(super) fn group_hosts(hosts: &[Host]) -> Vec<(Cluster, GroupSource)> {
    type Key<'h> = (&'h str, &'h str, bool, u32, u32, Option<u32>);
    let mut groups: BTreeMap<Key<'_>, (u32, Option<u32>, GroupSource)> = BTreeMap::new();
    for (i, h) in hosts.iter().enumerate() {
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
                vcpus: Some(0),
                os: Some(OsCounts::default()),
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
        e.2.vcpus = e.2.vcpus.zip(h.vcpus).and_then(|(a, b)| a.checked_add(b));
        e.2.os = e.2.os.zip(h.os).map(|(a, b)| a.add(b));
        e.2.members.push(i);
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
        cluster.windows_vms = source.os.map(|o| o.windows_server);
        cluster.vcpus = source.vcpus;
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

//! The vHost tab: one row per ESXi host, and the VM counts it carries when vInfo is missing.

use super::{HostRow, PLACEHOLDER, warn_unknown};
use crate::diag::{Diagnostic, Severity};
use crate::import::columns::{Col, aliases};
use crate::import::hosts::{Host, RamUnit, ram_to_gib};
use crate::import::table::{Table, parse_count, truthy};
use crate::import::unique::Unique;
use crate::import::{ImportOptions, ImportSummary};

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

/// The vHost columns found.
pub(super) struct HostCols {
    pub(super) sockets: usize,
    pub(super) cps: Option<usize>,
    pub(super) cores: Option<usize>,
    pub(super) memory: Option<usize>,
    pub(super) vms: Option<usize>,
    pub(super) vms_total: Option<usize>,
    pub(super) vram: Option<usize>,
}

/// Reads vHost rows into `hosts`; `None` when a needed column is missing (the error pushed).
pub(super) fn read_hosts(
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
    let mut seen = Unique::new("host");
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
        if let Some(e) = seen.check(
            t,
            row,
            host_c,
            &vcenter,
            &name,
            "one row per host; merged workbooks keep each vCenter's `VI SDK Server`",
        ) {
            errors.push(e);
            continue;
        }
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
                vcpus: None,
                os: None,
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
pub(super) fn vms_from_vhost(
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

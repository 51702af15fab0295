//! The vInfo tab: one row per VM or template, joined to its host; without vHost, the hosts.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::diag::{Diagnostic, Severity};

use super::{HostRow, PLACEHOLDER, warn_unknown};
use crate::import::ImportSummary;
use crate::import::columns::{Col, aliases};
use crate::import::estate_text::row_ranges;
use crate::import::hosts::{Host, OsCounts};
use crate::import::table::{Table, truthy};

/// vCLS agent VMs: `vCLS-<uuid>` since 7.0U3, `vCLS (n)` before.
fn is_vcls(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "vcls" || n.starts_with("vcls-") || n.starts_with("vcls (")
}

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

/// A VM's power state.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Power {
    On,
    Off,
}

/// Reads vInfo: VMs counted per host; when `vhost` is missing, the hosts themselves. Returns
/// the header note, or `None` when a needed column is missing (the error pushed).
pub(super) fn read_vms(
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
    let cpus_c = t.column(Col::VmCpus);
    let cluster_c = t.column(Col::Cluster);
    let os_config_c = t.column(Col::OsConfig);
    let os_tools_c = t.column(Col::OsTools);
    let counts_os = os_config_c.is_some() || os_tools_c.is_some();
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
        h.host.vcpus = cpus_c.map(|_| 0);
        h.host.os = counts_os.then(OsCounts::default);
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
                    vcpus: cpus_c.map(|_| 0),
                    os: counts_os.then(OsCounts::default),
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
        let cpus = if power == Power::On && cpus_c.is_some() {
            match t.optional_count(row, cpus_c, errors) {
                Ok(Some(n)) => n,
                Ok(None) => {
                    errors.push(t.error(
                        row,
                        cpus_c,
                        format!("powered-on VM `{name}` has no CPU count"),
                        Some("its configured virtual CPUs, e.g. 4".to_owned()),
                    ));
                    continue;
                }
                Err(()) => continue,
            }
        } else {
            0
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
        if let Some(os) = &mut h.os {
            // VMware Tools reports the OS running; the configuration file what was chosen at
            // creation, often stale after an in-place upgrade.
            let tools = t.cell(row, os_tools_c);
            os.count(if tools.is_empty() {
                t.cell(row, os_config_c)
            } else {
                tools
            });
        }
        vms += 1;
        if power == Power::On {
            on += 1;
            h.powered_on = h
                .powered_on
                .and_then(|(n, m)| n.checked_add(1).zip(m.checked_add(memory)));
            h.vcpus = h.vcpus.and_then(|v| v.checked_add(cpus));
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
    match (os_tools_c, os_config_c) {
        (None, None) => note.push_str(
            "# vInfo has no guest OS column: windows_vms is left out (a plan's guest_os needs it).\n",
        ),
        (tools, config) => {
            let _ = writeln!(
                note,
                "# windows_vms ← the VMs above whose guest OS ({}) is Windows Server; Windows \
                 client guests (10, 11) are not counted: Windows Server licences do not cover \
                 them. Per cluster below: Windows Server / Windows client / other / OS unknown.",
                match (tools, config) {
                    (Some(a), Some(b)) => format!("`{}`, else `{}`", name(Some(a)), name(Some(b))),
                    (a, b) => format!("`{}`", name(a.or(b))),
                }
            );
        }
    }
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
    if cpus_c.is_some() {
        let _ = writeln!(
            note,
            "# vcpus ← Σ vInfo `{}` of powered-on VMs (per-VM core licensing counts them).",
            name(cpus_c)
        );
    } else {
        note.push_str("# vInfo has no `CPUs` column: vcpus is left out.\n");
    }
    Some(note)
}

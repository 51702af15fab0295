//! The vDatastore tab: each cluster's vSAN capacity (`vsan_tib`).
//!
//! RVTools writes one row per datastore: `Name`, `Type` (`VMFS`, `NFS`, `vsan`, `VVOL`, …),
//! `Capacity MiB` (`Capacity MB` before RVTools 4.1.2; the values are MiB in both, as for host
//! memory), `Hosts` (the hosts that mount it, comma-separated) and `VI SDK Server`. A vSAN
//! cluster's datastore is of type `vsan`, and its capacity is what the cluster's hosts claimed
//! for vSAN. The tab has no compute-cluster column (its `Cluster name` is the Storage DRS
//! datastore cluster), so a vsan datastore is given to the vSphere cluster whose hosts mount
//! it; one mounted by hosts of several clusters (HCI Mesh, vSAN Max) is not counted, as the
//! export does not say which cluster holds its disks. When the hosts of one vSphere cluster
//! become several estate clusters (different shapes), its capacity is shared among them by
//! the hosts that mount it: the export does not say what each host contributes.

use std::fmt::Write as _;

use rust_decimal::{Decimal, RoundingStrategy};

use super::HostRow;
use crate::diag::Diagnostic;
use crate::estate::Cluster;
use crate::import::columns::Col;
use crate::import::estate_text::row_ranges;
use crate::import::hosts::GroupSource;
use crate::import::table::{Table, parse_decimal};

/// MiB in one TiB (2^20).
const MIB_PER_TIB: u32 = 1_048_576;

/// A vsan datastore given to one vSphere cluster.
struct VsanDatastore {
    /// The vDatastore row, 1-based.
    row: usize,
    mib: Decimal,
    /// The hosts that mount it, as indices into the import's hosts.
    hosts: Vec<usize>,
}

/// What vDatastore says about vSAN: the datastores counted, and the header lines.
pub(super) struct Vsan {
    datastores: Vec<VsanDatastore>,
    /// Header lines: where `vsan_tib` came from, or why it is left out.
    pub(super) note: String,
}

/// Reads the vsan datastores of vDatastore (`None`: no such tab) and matches each to the
/// hosts that mount it, by name (any case) and, when both sides name one, vCenter.
pub(super) fn read_vsan(
    t: Option<&Table>,
    hosts: &[HostRow],
    warnings: &mut Vec<Diagnostic>,
) -> Vsan {
    let left_out = |why: String| Vsan {
        datastores: Vec::new(),
        note: format!("# vsan_tib left out: {why}.\n"),
    };
    let Some(t) = t else {
        return left_out("the export has no vDatastore tab, where the vSAN capacity is".to_owned());
    };
    let type_c = t.column(Col::DatastoreType);
    let cap_c = t.column(Col::DatastoreCapacityMib);
    let hosts_c = t.column(Col::DatastoreHosts);
    let (Some(type_c), Some(cap_c), Some(hosts_c)) = (type_c, cap_c, hosts_c) else {
        return left_out(
            "vDatastore lacks the `Type`, `Capacity MiB` or `Hosts` column".to_owned(),
        );
    };
    let name_c = t.column(Col::DatastoreName).or(t.column(Col::Host));
    let vc_c = t.column(Col::VCenter);
    let mut datastores = Vec::new();
    let mut skipped = Vec::new();
    let mut vsan_rows = 0usize;
    for row in 0..t.rows.len() {
        if !t.cell(row, type_c).eq_ignore_ascii_case("vsan") {
            continue;
        }
        vsan_rows += 1;
        let number = t.row_number(row);
        let name = t.cell(row, name_c);
        let Some(mib) = parse_decimal(t.cell(row, cap_c)).filter(|m| *m >= Decimal::ZERO) else {
            warnings.push(t.warning(
                row,
                cap_c,
                format!("vsan datastore `{name}`: capacity is not a number of MiB: not counted"),
                Some("set vsan_tib of its cluster in the estate by hand".to_owned()),
            ));
            skipped.push(format!("`{name}` (row {number}): no capacity"));
            continue;
        };
        let vcenter = t.cell(row, vc_c);
        let mut mounting: Vec<usize> = t
            .cell(row, hosts_c)
            .split(',')
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .filter_map(|h| {
                hosts.iter().position(|x| {
                    x.name.eq_ignore_ascii_case(h)
                        && (vcenter.is_empty()
                            || x.host.vcenter.is_empty()
                            || x.host.vcenter.eq_ignore_ascii_case(vcenter))
                })
            })
            .collect();
        mounting.sort_unstable();
        mounting.dedup();
        let mut clusters: Vec<(String, String)> = mounting
            .iter()
            .map(|&i| {
                let h = &hosts[i].host;
                (h.vcenter.to_lowercase(), h.cluster.to_lowercase())
            })
            .collect();
        clusters.sort_unstable();
        clusters.dedup();
        match clusters.len() {
            1 => datastores.push(VsanDatastore {
                row: number,
                mib,
                hosts: mounting,
            }),
            0 => skipped.push(format!(
                "`{name}` (row {number}): none of the hosts in its `Hosts` cell is a host of \
                 this export"
            )),
            _ => {
                warnings.push(t.warning(
                    row,
                    hosts_c,
                    format!(
                        "vsan datastore `{name}` is mounted by hosts of {} clusters (HCI Mesh or \
                         vSAN Max): not counted, as the export does not say which cluster holds \
                         its disks",
                        clusters.len()
                    ),
                    Some("set vsan_tib of the cluster that holds it by hand".to_owned()),
                ));
                skipped.push(format!(
                    "`{name}` (row {number}): mounted by hosts of {} clusters",
                    clusters.len()
                ));
            }
        }
    }
    let mut note = String::new();
    if vsan_rows == 0 {
        let _ = writeln!(
            note,
            "# vsan_tib left out: vDatastore has no datastore of type vsan."
        );
    } else {
        let _ = writeln!(
            note,
            "# vsan_tib ← vDatastore `{}` of each datastore of `{}` vsan (MiB ÷ 1,048,576 = TiB, \
             rounded up to 0.01 TiB), given to the vSphere cluster whose hosts mount it (`{}`), \
             shared by mounting hosts when that cluster is several estate clusters.",
            t.header(Some(cap_c)),
            t.header(Some(type_c)),
            t.header(Some(hosts_c)),
        );
    }
    for s in &skipped {
        let _ = writeln!(note, "# vSAN datastore not counted: {s}.");
    }
    Vsan { datastores, note }
}

impl Vsan {
    /// Sets `vsan_tib` of each estate cluster holding hosts that mount a counted datastore:
    /// each datastore's MiB × the cluster's mounting hosts ÷ all its mounting hosts, summed,
    /// in TiB rounded up to 0.01. Returns, per cluster, the part of its header line (`vsan_tib
    /// 12.5 ← vDatastore row 4`), empty where it has none.
    pub(super) fn apply(&self, groups: &mut [(Cluster, GroupSource)]) -> Vec<String> {
        groups
            .iter_mut()
            .map(|(cluster, source)| {
                let mut mib = Decimal::ZERO;
                let mut rows = Vec::new();
                for d in &self.datastores {
                    let mine = d
                        .hosts
                        .iter()
                        .filter(|h| source.members.contains(h))
                        .count();
                    if mine == 0 {
                        continue;
                    }
                    let share = d
                        .mib
                        .checked_mul(Decimal::from(mine))
                        .and_then(|m| m.checked_div(Decimal::from(d.hosts.len())));
                    mib = share.and_then(|s| mib.checked_add(s)).unwrap_or(mib);
                    rows.push(d.row);
                }
                if rows.is_empty() {
                    return String::new();
                }
                cluster.vsan_tib = mib
                    .checked_div(Decimal::from(MIB_PER_TIB))
                    .map(|t| {
                        t.round_dp_with_strategy(2, RoundingStrategy::AwayFromZero)
                            .normalize()
                    })
                    .filter(|t| *t <= Decimal::from(1_000_000));
                cluster.vsan_tib.map_or(String::new(), |t| {
                    format!("vsan_tib {t} ← vDatastore rows {}", row_ranges(&rows))
                })
            })
            .collect()
    }
}

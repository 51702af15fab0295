//! Host facts from a per-host CSV (`--hosts`) for an RVTools export without vHost.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::diag::{Diagnostic, Diagnostics};
use crate::source::SourceFile;

use super::{HostRow, facts_warning};
use crate::import::ImportOptions;
use crate::import::columns::{Col, aliases};
use crate::import::estate_text::row_ranges;
use crate::import::hosts::{Host, HostLine, OsCounts, read_host_lines};
use crate::import::table::Table;

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
pub(super) fn apply_host_facts(
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
        let counts_vcpus = hosts.iter().any(|h| h.host.vcpus.is_some());
        let counts_os = hosts.iter().any(|h| h.host.os.is_some());
        let mut ambiguous_clusters = Vec::new();
        for &i in &extra {
            let line = &lines[i];
            let Some((vcenter, cluster)) = vsphere_cluster(&line.host, hosts) else {
                ambiguous_clusters.push(table.error(
                    table.rows.iter().position(|r| Some(&r.number) == line.host.rows.first()).unwrap_or(0),
                    cols.cluster,
                    format!(
                        "host `{}`: cluster `{}` is in several vCenters of vInfo ({}), and this \
                         row names no vCenter",
                        line.name,
                        line.host.cluster,
                        vcenters_of(&line.host.cluster, hosts).join(", ")
                    ),
                    Some("add a VCENTER column naming each host's vCenter as vInfo's `VI SDK Server` does".to_owned()),
                ));
                continue;
            };
            added.push(line.name.clone());
            hosts.push(HostRow {
                name: line.name.clone(),
                tab_row: None,
                maintenance: line.maintenance,
                host: Host {
                    vcenter,
                    cluster,
                    vms: Some(0),
                    powered_on: counts_memory.then_some((0, Decimal::ZERO)),
                    vcpus: counts_vcpus.then_some(0),
                    os: counts_os.then(OsCounts::default),
                    vm_rows: Vec::new(),
                    ..line.host.clone()
                },
            });
        }
        if !ambiguous_clusters.is_empty() {
            return Err(Diagnostics(ambiguous_clusters));
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

/// The vSphere cluster, as vInfo spells it (vCenter, cluster), that a hosts-file host running
/// no VM belongs to, so it joins its cluster's hosts rather than becoming a cluster of its
/// own: the cluster of vInfo with the same name (any case) in the row's vCenter, or in any
/// vCenter when the row or vInfo names none (the key vInfo's hosts are grouped by). `None` when the row names no vCenter and the name is in
/// several; the row's own names when vInfo does not know the cluster.
fn vsphere_cluster(line: &Host, hosts: &[HostRow]) -> Option<(String, String)> {
    if line.cluster.is_empty() {
        return Some((line.vcenter.clone(), String::new()));
    }
    let mut found: Vec<(&str, &str)> = hosts
        .iter()
        .map(|h| (h.host.vcenter.as_str(), h.host.cluster.as_str()))
        .filter(|(vc, cl)| {
            cl.eq_ignore_ascii_case(&line.cluster)
                && (line.vcenter.is_empty()
                    || vc.is_empty()
                    || vc.eq_ignore_ascii_case(&line.vcenter))
        })
        .collect();
    found.sort_unstable();
    found.dedup();
    match found.as_slice() {
        [] => Some((line.vcenter.clone(), line.cluster.clone())),
        [(vc, cl)] => Some(((*vc).to_owned(), (*cl).to_owned())),
        _ => None,
    }
}

/// The vCenters of vInfo holding a cluster of this name (any case).
fn vcenters_of(cluster: &str, hosts: &[HostRow]) -> Vec<String> {
    let mut out: Vec<String> = hosts
        .iter()
        .filter(|h| h.host.cluster.eq_ignore_ascii_case(cluster))
        .map(|h| h.host.vcenter.clone())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

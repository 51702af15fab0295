//! The Broadcom cluster CSV (KB 96426 offline calculator input / KB 313548 cluster view): one
//! row per cluster of identical hosts → an estate, and an estate's clusters back to that CSV.

use std::fmt::Write as _;

use crate::diag::Diagnostics;
use crate::estate::{Cluster, Estate};
use crate::pricebook::PricebookSet;
use crate::render::csv::safe_text;
use crate::source::SourceFile;

use super::columns::Col;
use super::estate_text::finish;
use super::hosts::{add_to_summary, plain_cluster};
use super::table::Table;
use super::unique::Unique;
use super::{ImportOptions, ImportSummary, Imported};

/// Known columns of the Broadcom cluster CSV (KB 96426 input / KB 313548 cluster view) that
/// the import does not use (not reported as unknown).
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
    let table = Table::from_csv(file)?;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let cols = [
        Col::Cluster,
        Col::ClusterHosts,
        Col::Sockets,
        Col::CoresPerSocket,
    ]
    .map(|col| table.column(col));
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
    let used = [name_c, hosts_c, sockets_c, cps_c];
    table.warn_unknown(
        |i, h| used.contains(&i) || CC_IGNORED.iter().any(|k| h.eq_ignore_ascii_case(k)),
        false,
        &mut warnings,
    );
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut summary = ImportSummary::default();
    let mut used_rows = 0;
    let mut seen = Unique::new("cluster");
    for row in 0..table.rows.len() {
        let name = table.cell(row, name_c).to_owned();
        if name.eq_ignore_ascii_case("total") {
            continue;
        }
        used_rows += 1;
        if name.is_empty() {
            errors.push(table.error(row, name_c, "empty cluster name", None));
            continue;
        }
        if let Some(e) = seen.check(
            &table,
            row,
            name_c,
            "",
            &name,
            "split mixed clusters into rows with distinct names",
        ) {
            errors.push(e);
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
                errors.push(table.error(row, c, "must be at least 1", None));
            }
        }
        if hosts == 0 || sockets == 0 || cps == 0 {
            continue;
        }
        if cps == 1 {
            warnings.push(table.warning(
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
/// `,`-separated, quoted where needed, CRLF line ends, a name a spreadsheet would run as a
/// formula neutralised with `'`. [`import_cluster_csv`] reads it back to the same clusters.
pub fn write_cluster_csv(estate: &Estate) -> String {
    let mut out = String::from(
        "CLUSTER_NAME,NUMBER_OF_HOSTS,NUMBER_OF_CPU_SOCKETS,NUMBER_OF_CPU_CORES_PER_SOCKET\r\n",
    );
    for c in &estate.clusters {
        // Neutralised as every CSV hypercost writes (`=HYPERLINK(…)` would run in a
        // spreadsheet), then quoted when CSV needs it.
        let safe = safe_text(&c.name);
        let name = if safe.contains([',', '"', '\n', '\r', ';', '\t']) || safe.trim() != safe {
            format!("\"{}\"", safe.replace('"', "\"\""))
        } else {
            safe
        };
        let _ = write!(
            out,
            "{name},{},{},{}\r\n",
            c.hosts, c.sockets_per_host, c.cores_per_socket
        );
    }
    out
}

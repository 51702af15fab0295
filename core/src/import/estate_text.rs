//! The estate text an import writes: the header comment saying where every number came from,
//! then the estate itself, with the starter scenarios that validate.

use std::fmt::Write as _;

use crate::diag::{Diagnostic, Diagnostics};
use crate::estate::{Cluster, Estate, parse_estate, write_estate};
use crate::pricebook::PricebookSet;
use crate::source::SourceFile;

use super::starters::{CURRENCY, Starters, add_starters, given_rates};
use super::{ImportOptions, ImportSummary, Imported, base_name};

/// The header lines naming the hosts in maintenance mode and the standalone ones, the same for
/// every importer.
pub(super) fn host_notes(header: &mut String, summary: &ImportSummary) {
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

/// The header as TOML comments whatever the names in it: a file name, host name or column
/// header may hold a line break or a control character, which would otherwise end the comment
/// and put text of the user's choosing into the estate. Every line starts with `#`; control
/// characters TOML refuses in a comment become spaces.
pub(super) fn comment_lines(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    for line in header.lines() {
        if !line.starts_with('#') {
            out.push_str("# ");
        }
        out.extend(
            line.chars()
                .map(|c| if c.is_control() && c != '\t' { ' ' } else { c }),
        );
        out.push('\n');
    }
    out
}

/// Row numbers as ranges: `2–4, 7`.
pub(super) fn row_ranges(rows: &[usize]) -> String {
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

/// Writes the estate of `clusters` (named after file or folder `name`) with the starter
/// scenarios, under `header` and its closing lines, and reads it back as the result.
pub(super) fn finish(
    name: &str,
    options: ImportOptions<'_>,
    books: &PricebookSet,
    clusters: Vec<Cluster>,
    mut header: String,
    summary: ImportSummary,
    mut warnings: Vec<Diagnostic>,
) -> Result<Imported, Diagnostics> {
    let stem = base_name(name).to_owned();
    let given = given_rates(name, options)?;
    let mut estate = Estate {
        name: format!("Imported from {stem}"),
        currency: CURRENCY.to_owned(),
        purchase_date: options.date,
        years: 3,
        clusters,
        owned: Vec::new(),
        contracts: Vec::new(),
        scenarios: Vec::new(),
        costs: None,
        sizing: None,
        uncertainty: None,
        rule_switches: Vec::new(),
        region: None,
    };
    let Starters {
        kept,
        unused,
        dropped,
        guest_os,
    } = add_starters(&mut estate, &given, name, options, books, &mut warnings);
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
    if let Some(os) = &guest_os {
        let _ = writeln!(
            header,
            "# Windows Server guests are licensed with guest_os = \"{os}\" in every starter \
             whose edition has no VM rights, on each cluster with windows_vms, so no platform \
             looks cheaper for leaving them unlicensed."
        );
    }
    for (scenario, reason) in &dropped {
        let _ = writeln!(header, "# Starter dropped: {scenario} — {reason}");
    }
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
    let toml = format!("{}{body}", comment_lines(&header));
    let estate = parse_estate(&SourceFile::new(name.to_owned(), toml.clone()), books)?;
    Ok(Imported {
        estate,
        toml,
        summary,
        warnings,
    })
}

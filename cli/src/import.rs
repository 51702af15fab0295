//! `hypercost import rvtools|hosts|cluster-csv FILE`: an inventory export → an estate file;
//! `hypercost export cluster-csv ESTATE`: an estate's clusters → the Broadcom cluster CSV.
//!
//! The front end's part: reading the named file's or folder's bytes and handing them to the
//! core's `import_files`, which tells a workbook from CSVs and decodes them (RVTools writes
//! CSVs in the Windows code page or UTF-16 as well as UTF-8), as it does for the page.

use std::io::{Read, Write};
use std::path::Path;

use hypercost_core::import::{
    ImportKind, ImportOptions, Imported, decode_text, import_files, text_files, write_cluster_csv,
};
use hypercost_core::pricebook::Plural;
use hypercost_core::{Diagnostics, SourceFile};

use crate::args::{ExportArgs, ExportCommand, ImportArgs, ImportCommand};
use crate::{
    EXIT_INPUT, EXIT_OK, Target, input_error, input_paths, load_estate, load_pricebooks,
    read_capped, report, write_output,
};

/// One file's name and bytes; `-` is standard input, named `<stdin>`.
fn read_bytes(path: &Path, stdin: &mut dyn Read) -> Result<(String, Vec<u8>), String> {
    let name = path.display().to_string();
    if name == "-" {
        let bytes = read_capped(stdin).map_err(|e| format!("cannot read standard input: {e}"))?;
        return Ok(("<stdin>".to_owned(), bytes));
    }
    let bytes = std::fs::File::open(path)
        .and_then(read_capped)
        .map_err(|e| format!("cannot read {name}: {e}"))?;
    Ok((name, bytes))
}

/// The files an import argument names, as (name, bytes): a folder's `*.csv` files (sorted),
/// one file, or standard input (`-`, named `<stdin>`). The core tells what they are.
fn read_files(path: &Path, stdin: &mut dyn Read) -> Result<Vec<(String, Vec<u8>)>, String> {
    let name = path.display().to_string();
    if name == "-" || !path.is_dir() {
        return read_bytes(path, stdin).map(|f| vec![f]);
    }
    let entries = std::fs::read_dir(path).map_err(|e| format!("cannot read folder {name}: {e}"))?;
    let mut paths: Vec<std::path::PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(format!(
            "{name}: no .csv files in this folder (expected RVTools_tabvHost.csv, \
             RVTools_tabvInfo.csv, … from RVTools' export to CSV)"
        ));
    }
    paths.into_iter().map(|p| read_bytes(&p, stdin)).collect()
}

/// Runs one import.
pub(crate) fn run(
    command: &ImportCommand,
    quiet: bool,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    color: bool,
) -> u8 {
    let (a, hosts_path) = match command {
        ImportCommand::Rvtools(r) => (&r.import, r.hosts.as_deref()),
        ImportCommand::Hosts(a) | ImportCommand::ClusterCsv(a) => (a, None),
    };
    let mut seen: Vec<&str> = Vec::new();
    for (cur, _) in &a.fx {
        if seen.contains(&cur.as_str()) {
            return input_error(
                stderr,
                &format!("--fx {cur} is given twice: give one rate per currency"),
            );
        }
        seen.push(cur);
    }
    let loaded = match load_pricebooks(&[], stdin, stderr, color) {
        Ok(l) => l,
        Err(code) => return code,
    };
    // The hosts file (`import rvtools --hosts`): read before the export, so that a missing
    // file is reported before anything else.
    let host_facts = match hosts_path {
        Some(p) if p.as_os_str() == "-" && a.file.as_os_str() == "-" => {
            return input_error(
                stderr,
                "--hosts - and the export - cannot both be standard input",
            );
        }
        Some(p) => match read_bytes(p, stdin) {
            Ok((name, bytes)) => Some(SourceFile::new(name, decode_text(&bytes))),
            Err(msg) => return input_error(stderr, &msg),
        },
        None => None,
    };
    let options = ImportOptions {
        fx: &a.fx,
        host_facts: host_facts.as_ref(),
        ..ImportOptions::new(a.date.unwrap_or_else(today))
    };
    let kind = match command {
        ImportCommand::Rvtools(_) => ImportKind::Rvtools,
        ImportCommand::Hosts(_) => ImportKind::Hosts,
        ImportCommand::ClusterCsv(_) => ImportKind::ClusterCsv,
    };
    let files = match read_files(&a.file, stdin) {
        Ok(f) => f,
        Err(msg) => return input_error(stderr, &msg),
    };
    let parts = borrowed(&files);
    let result = import_files(
        kind,
        &a.file.display().to_string(),
        &parts,
        options,
        &loaded.set,
    );
    // The texts the diagnostics point into: the export's CSVs and the hosts file.
    let mut texts = text_files(&parts);
    texts.extend(host_facts.iter().cloned());
    let imported = match result {
        Ok((_, i)) => i,
        Err(d) => {
            let _ = stderr.write_all(render_problems(&d, &texts, color).as_bytes());
            return EXIT_INPUT;
        }
    };
    if !a.summary && !quiet {
        // The summary lists the warnings itself.
        for w in &imported.warnings {
            let _ = writeln!(stderr, "{w}");
        }
    }
    let read = files.iter().map(|(name, _)| Path::new(name.as_str()));
    let target = Target {
        path: a.output.as_deref(),
        reads: input_paths(read.chain(hosts_path)),
        fixed: Some("toml"),
    };
    let code = write_output(&target, imported.toml.as_bytes(), stdout, stderr);
    if a.summary && code == EXIT_OK {
        let text = summary(&imported, a);
        // With the estate on standard output, the summary goes to standard error.
        if a.output.is_some() {
            return crate::write_stdout(stdout, stderr, text.as_bytes());
        }
        let _ = stderr.write_all(text.as_bytes());
    }
    code
}

/// (name, bytes) pairs as the core takes them.
fn borrowed(files: &[(String, Vec<u8>)]) -> Vec<(&str, &[u8])> {
    files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect()
}

/// Diagnostics as miette reports against their text; those about a workbook (no text to
/// show) as one line each: file, sheet, row, column (and cell), message, what is valid.
fn render_problems(d: &Diagnostics, files: &[SourceFile], color: bool) -> String {
    let (text, binary): (Vec<_>, Vec<_>) =
        d.0.iter()
            .cloned()
            .partition(|x| files.iter().any(|f| f.name == x.file));
    if binary.is_empty() {
        return report::render(d, files, color);
    }
    let mut out = String::new();
    for x in &binary {
        out.push_str(&format!("{x}\n"));
    }
    if !text.is_empty() {
        out.push_str(&report::render(&Diagnostics(text), files, color));
    } else {
        let n = binary
            .iter()
            .filter(|x| x.severity == hypercost_core::Severity::Error)
            .count();
        out.push_str(&format!(
            "hypercost: {n} problem{} in {}; nothing was imported\n",
            if n == 1 { "" } else { "s" },
            binary.first().map_or("", |x| x.file.as_str())
        ));
    }
    out
}

/// `hypercost export cluster-csv ESTATE [-o FILE]`.
pub(crate) fn export(
    command: &ExportCommand,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    color: bool,
) -> u8 {
    let ExportCommand::ClusterCsv(ExportArgs {
        estate: estate_path,
        output,
    }) = command;
    match load_estate(&[], Some(estate_path), stdin, stderr, color) {
        Ok((_, estate)) => {
            let csv = write_cluster_csv(&estate);
            let target = Target {
                path: output.as_deref(),
                reads: input_paths([estate_path.as_path()]),
                fixed: Some("csv"),
            };
            write_output(&target, csv.as_bytes(), stdout, stderr)
        }
        Err(code) => code,
    }
}

fn summary(i: &Imported, a: &ImportArgs) -> String {
    let s = &i.summary;
    let mut out = format!(
        "Read {}: {} rows → {} estate clusters\n  hosts            {}\n  sockets          {}\n  \
         cores            {}\n  per-core licences under the 16-core-per-CPU floor: {}\n",
        a.file.display(),
        s.rows,
        i.estate.clusters.len(),
        s.hosts,
        s.sockets,
        s.cores,
        s.licensed_cores_16
    );
    if !s.maintenance_hosts.is_empty() {
        out.push_str(&format!(
            "  in maintenance mode (counted): {}\n",
            s.maintenance_hosts.join(", ")
        ));
    }
    if !s.standalone_hosts.is_empty() {
        out.push_str(&format!(
            "  standalone hosts (kept): {}\n",
            s.standalone_hosts.join(", ")
        ));
    }
    if !s.placeholder_hosts.is_empty() {
        out.push_str(&format!(
            "  PLACEHOLDER 2×16 cores (no socket/core data): {}\n",
            s.placeholder_hosts.join(", ")
        ));
    }
    if let Some(vms) = s.vms {
        out.push_str(&format!("  VMs              {vms}"));
        if let Some(on) = s.powered_on_vms {
            out.push_str(&format!(" ({on} powered on)"));
        }
        let x = s.excluded_vms;
        if x.templates + x.vcls + x.srm_placeholders > 0 {
            out.push_str(&format!(
                "; not counted: {}, {}, {}",
                Plural(x.templates, "template"),
                Plural(x.vcls, "vCLS agent"),
                Plural(x.srm_placeholders, "SRM placeholder")
            ));
        }
        out.push('\n');
    }
    for w in &i.warnings {
        out.push_str(&format!("  warning: {}: {}", w.field, w.message));
        if let Some(h) = &w.help {
            out.push_str(&format!(" ({h})"));
        }
        out.push('\n');
    }
    out
}

/// Today's date (UTC) from the system clock: the front end's business, never the core's.
pub(crate) fn today() -> hypercost_core::Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let fallback = hypercost_core::Date {
        year: 2026,
        month: 1,
        day: 1,
    };
    match (u16::try_from(year), u8::try_from(month), u8::try_from(day)) {
        (Ok(y), Ok(m), Ok(d)) => hypercost_core::Date::new(y, m, d).unwrap_or(fallback),
        _ => fallback,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn today_is_a_plausible_date() {
        let d = super::today();
        assert!(d.year >= 2024);
    }
}

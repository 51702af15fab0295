//! `hypercost hardware list|check`: the hardware catalogue `reshape` builds host shapes from,
//! in words, and the check a user runs on their own catalogue before passing `--hardware`.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::Path;

use hypercost_core::Diagnostics;
use hypercost_core::hardware::{Catalogue, bundled, parse_catalogue};
use hypercost_core::money::grouped_unit;
use hypercost_core::pricebook::Confidence;

use crate::args::HardwareCommand;
use crate::{EXIT_INPUT, Refused, read_file, report, write_stdout};

/// Runs a `hardware` subcommand.
pub(crate) fn run(
    cmd: &HardwareCommand,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    color: bool,
) -> u8 {
    match cmd {
        HardwareCommand::List { hardware } => match load_catalogue(hardware.as_deref(), stdin) {
            Ok((catalogue, origin)) => {
                write_stdout(stdout, stderr, list(&catalogue, &origin).as_bytes())
            }
            Err(refused) => refused.report(stderr, color),
        },
        HardwareCommand::Check { files } => {
            let mut out = String::new();
            let mut problems = Diagnostics::default();
            let mut sources = Vec::new();
            for path in files {
                let file = match read_file(path, stdin) {
                    Ok(f) => f,
                    Err(refused) => return refused.report(stderr, color),
                };
                match parse_catalogue(&file) {
                    Ok(k) => {
                        let _ = writeln!(out, "ok: {} ({}): {}", file.name, k.id, summary(&k));
                    }
                    Err(d) => problems.0.extend(d.0),
                }
                sources.push(file);
            }
            if problems.has_errors() {
                let _ = stderr.write_all(report::render(&problems, &sources, color).as_bytes());
                let _ = stdout.write_all(out.as_bytes());
                return EXIT_INPUT;
            }
            write_stdout(stdout, stderr, out.as_bytes())
        }
    }
}

/// The catalogue `--hardware FILE` names, or the bundled one, with where it came from (for
/// the listing and, later, the notes of a result).
pub(crate) fn load_catalogue(
    path: Option<&Path>,
    stdin: &mut dyn Read,
) -> Result<(Catalogue, String), Refused> {
    let Some(path) = path else {
        return bundled()
            .map(|k| (k, "bundled".to_owned()))
            .map_err(|d| Refused::in_files(d, Vec::new()));
    };
    let file = read_file(path, stdin)?;
    match parse_catalogue(&file) {
        Ok(k) => Ok((k, file.name)),
        Err(d) => Err(Refused::in_files(d, vec![file])),
    }
}

/// "9 CPUs, 3 servers, 11 RAM sizes; 13 prices, each with a source: 9 W, 4 UNVERIFIED".
fn summary(k: &Catalogue) -> String {
    let mut marks: Vec<Confidence> = k.cpus.iter().map(|c| c.confidence).collect();
    marks.extend(k.servers.iter().map(|s| s.confidence));
    marks.push(k.ram.confidence);
    marks.sort();
    let counts: Vec<String> = marks
        .chunk_by(|a, b| a == b)
        .map(|same| format!("{} {}", same.len(), same[0].mark()))
        .collect();
    format!(
        "{} CPUs, {} servers, {} RAM sizes; {} prices, each with a source: {}",
        k.cpus.len(),
        k.servers.len(),
        k.ram.sizes_gb.len(),
        marks.len(),
        counts.join(", ")
    )
}

/// The whole catalogue as tables: CPUs, servers, then RAM.
fn list(k: &Catalogue, origin: &str) -> String {
    let mut out = format!("{} ({origin}), prices in {}\n\nCPUs\n", k.id, k.currency);
    let cpus: Vec<Vec<String>> = k
        .cpus
        .iter()
        .map(|c| {
            vec![
                c.id.clone(),
                c.name.clone(),
                c.cores.to_string(),
                c.watts.to_string(),
                grouped_unit(c.price),
                c.confidence.mark().to_owned(),
                c.source.clone(),
            ]
        })
        .collect();
    table(
        &mut out,
        &["id", "name", ">cores", ">watts", ">price", "conf", "source"],
        &cpus,
    );
    out.push_str("\nservers (without CPUs and RAM)\n");
    let servers: Vec<Vec<String>> = k
        .servers
        .iter()
        .map(|s| {
            vec![
                s.id.clone(),
                s.name.clone(),
                s.sockets.to_string(),
                s.watts.to_string(),
                s.max_ram_gb.to_string(),
                grouped_unit(s.base_price),
                s.confidence.mark().to_owned(),
                s.source.clone(),
            ]
        })
        .collect();
    table(
        &mut out,
        &[
            "id",
            "name",
            ">sockets",
            ">watts",
            ">max RAM GB",
            ">base price",
            "conf",
            "source",
        ],
        &servers,
    );
    let sizes: Vec<String> = k.ram.sizes_gb.iter().map(u32::to_string).collect();
    let _ = writeln!(
        out,
        "\nRAM\n  {} per GB [{}] {}\n  sizes (GB): {}",
        grouped_unit(k.ram.price_per_gb),
        k.ram.confidence.mark(),
        k.ram.source,
        sizes.join(", ")
    );
    out
}

/// Appends a table: each column as wide as its widest cell, a header starting `>` is
/// right-aligned (numbers), the last column unpadded.
fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    let names: Vec<&str> = header.iter().map(|h| h.trim_start_matches('>')).collect();
    let widths: Vec<usize> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|cell| cell.chars().count())
                .chain([name.chars().count()])
                .max()
                .unwrap_or_default()
        })
        .collect();
    let header_row: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    for row in std::iter::once(&header_row).chain(rows) {
        let mut line = String::from("  ");
        for (i, cell) in row.iter().enumerate() {
            let width = widths.get(i).copied().unwrap_or_default();
            let last = i + 1 == row.len();
            if i > 0 {
                line.push_str("  ");
            }
            if header.get(i).is_some_and(|h| h.starts_with('>')) {
                let _ = write!(line, "{cell:>width$}");
            } else if last {
                line.push_str(cell);
            } else {
                let _ = write!(line, "{cell:<width$}");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

//! `hypercost cheapest`: the cheapest compliant plans per cluster, and every rejected option
//! with its reasons; `-o FILE.toml` writes the winners as the scenarios of a new estate.
//!
//! Also the estate loading `explain` shares with it: the same pricebooks (`--pricebook`), the
//! same reading and diagnostics as `quote` (exit 2 on bad input).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use hypercost_core::cheapest::{Search, cheapest, render_cheapest, winners_estate};
use hypercost_core::estate::write_estate;
use hypercost_core::{Estate, Format, LoadedPricebooks, SourceFile, example_estate, parse_estate};

use crate::args::{CheapestArgs, ReportFormat};
use crate::{EXIT_FAILURE, EXIT_INPUT, EXIT_OK, input_error, load_pricebooks, read_file, report};

/// Runs `hypercost cheapest`.
pub(crate) fn run(
    a: &CheapestArgs,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    color: bool,
) -> u8 {
    let (loaded, estate) = match load(&a.pricebooks, a.estate.as_deref(), stdin, stderr, color) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let search = Search {
        vendors: a.vendors.clone(),
        top: usize::from(a.top),
    };
    let mut result = match cheapest(&estate, &loaded.set, &search) {
        Ok(r) => r,
        Err(msg) => return input_error(stderr, &msg),
    };
    for (i, o) in loaded.overrides.iter().enumerate() {
        result.notes.insert(i, o.clone());
    }
    let report = render_cheapest(&result, format(a.format));
    let Some(path) = &a.output else {
        return crate::write_stdout(stdout, stderr, &report);
    };
    if path.extension().is_none_or(|x| x != "toml") {
        return write_output(Some(path), &report, stdout, stderr);
    }
    // `-o FILE.toml`: the winners as an estate; the report still goes to standard output.
    let (winners, notes) = match winners_estate(&estate, &result) {
        Ok(x) => x,
        Err(msg) => return input_error(stderr, &msg),
    };
    let text = format!(
        "# Written by `hypercost cheapest`: scenario k gives each cluster its k-th cheapest\n\
         # compliant plan on {} over {} years (guest OS licences not included).\n{}",
        result.purchase_date,
        result.years,
        write_estate(&winners)
    );
    // The file must read back as the estate it describes; anything else is a bug to report.
    let check = SourceFile::new(path.display().to_string(), text.clone());
    match parse_estate(&check, &loaded.set) {
        Ok(back) if back == winners => {}
        Ok(_) => {
            let _ = writeln!(
                stderr,
                "hypercost: internal error: the estate written to {} would not read back equal",
                path.display()
            );
            return EXIT_FAILURE;
        }
        Err(d) => {
            let _ = stderr.write_all(report::render(&d, &[check], false).as_bytes());
            let _ = writeln!(
                stderr,
                "hypercost: internal error: the estate written to {} would not read back",
                path.display()
            );
            return EXIT_FAILURE;
        }
    }
    for n in notes {
        let _ = writeln!(stderr, "hypercost: note: {n}");
    }
    match write_output(Some(path), text.as_bytes(), stdout, stderr) {
        EXIT_OK => crate::write_stdout(stdout, stderr, &report),
        code => code,
    }
}

/// The core format of a report format.
pub(crate) fn format(f: ReportFormat) -> Format {
    match f {
        ReportFormat::Table => Format::Table,
        ReportFormat::Json => Format::Json,
        ReportFormat::Csv => Format::Csv,
    }
}

/// The pricebooks (bundled + `--pricebook`) and the estate (a file, `-`, or the embedded
/// example), read and validated as `quote` does; problems are reported and give exit 2.
pub(crate) fn load(
    pricebooks: &[PathBuf],
    estate: Option<&Path>,
    stdin: &mut dyn Read,
    stderr: &mut dyn Write,
    color: bool,
) -> Result<(LoadedPricebooks, Estate), u8> {
    let loaded = load_pricebooks(pricebooks, stdin, stderr, color)?;
    let file = match estate {
        Some(p) => read_file(p, stdin).map_err(|msg| input_error(stderr, &msg))?,
        None => example_estate(),
    };
    match parse_estate(&file, &loaded.set) {
        Ok(e) => Ok((loaded, e)),
        Err(d) => {
            let _ = stderr.write_all(report::render(&d, &[file], color).as_bytes());
            Err(EXIT_INPUT)
        }
    }
}

/// Writes bytes to the file, or to standard output without one.
pub(crate) fn write_output(
    path: Option<&Path>,
    bytes: &[u8],
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    match path {
        Some(path) => match std::fs::write(path, bytes) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                let _ = writeln!(stderr, "hypercost: cannot write {}: {e}", path.display());
                EXIT_FAILURE
            }
        },
        None => crate::write_stdout(stdout, stderr, bytes),
    }
}

//! What `compare`, `sweep` and `sensitivity` share: loading the pricebooks and the estate
//! the way `quote` does (same diagnostics, exit 2), reporting a refused what-if input, and
//! writing the rendered bytes to standard output or `-o FILE`.

use std::io::{Read, Write};
use std::path::PathBuf;

use hypercost_core::estate::InputError;
use hypercost_core::{Estate, Format, PricebookSet, example_estate, parse_estate};

use crate::args::{ReportFormat, WhatIfOptions};
use crate::{EXIT_FAILURE, EXIT_INPUT, EXIT_OK, input_error, load_pricebooks, read_file, report};

/// The pricebooks and the validated estate of a what-if command.
pub(crate) struct Loaded {
    pub(crate) books: PricebookSet,
    pub(crate) estate: Estate,
    /// "pricebook X from FILE replaces …", for the result's notes.
    pub(crate) overrides: Vec<String>,
}

/// Loads `--pricebook` files and the estate (or the embedded example); problems are reported
/// on `stderr` and become exit code 2.
pub(crate) fn load(
    estate: Option<&PathBuf>,
    options: &WhatIfOptions,
    stdin: &mut dyn Read,
    stderr: &mut dyn Write,
    color: bool,
) -> Result<Loaded, u8> {
    let loaded = load_pricebooks(&options.pricebooks, stdin, stderr, color)?;
    let file = match estate {
        Some(p) => read_file(p, stdin).map_err(|msg| input_error(stderr, &msg))?,
        None => example_estate(),
    };
    match parse_estate(&file, &loaded.set) {
        Ok(estate) => Ok(Loaded {
            books: loaded.set,
            estate,
            overrides: loaded.overrides,
        }),
        Err(d) => {
            let _ = stderr.write_all(report::render(&d, &[file], color).as_bytes());
            Err(EXIT_INPUT)
        }
    }
}

/// Reports a refused input (`what`: the option it came from) and returns exit code 2.
pub(crate) fn refuse(stderr: &mut dyn Write, what: &str, e: &InputError) -> u8 {
    let _ = writeln!(stderr, "hypercost: {what}: {}", e.message);
    if let Some(help) = &e.help {
        let options = textwrap::Options::new(100)
            .initial_indent("  help: ")
            .subsequent_indent("        ");
        for line in textwrap::wrap(help, options) {
            let _ = writeln!(stderr, "{line}");
        }
    }
    EXIT_INPUT
}

/// The core format of an output format.
pub(crate) fn format(f: ReportFormat) -> Format {
    match f {
        ReportFormat::Table => Format::Table,
        ReportFormat::Json => Format::Json,
        ReportFormat::Csv => Format::Csv,
    }
}

/// Writes the bytes to `-o FILE` or standard output.
pub(crate) fn emit(
    bytes: &[u8],
    options: &WhatIfOptions,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    match &options.output {
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

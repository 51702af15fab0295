//! What `compare`, `sweep` and `sensitivity` share: loading the pricebooks and the estate
//! the way `quote` does (same diagnostics, exit 2) and reporting a refused what-if input.

use std::io::{Read, Write};
use std::path::PathBuf;

use hypercost_core::estate::InputError;
use hypercost_core::{Estate, PricebookSet};

use crate::args::WhatIfOptions;
use crate::{EXIT_INPUT, load_estate};

/// The pricebooks and the validated estate of a what-if command.
pub(crate) struct Loaded {
    pub(crate) books: PricebookSet,
    pub(crate) estate: Estate,
    /// "pricebook X from FILE replaces …", for the result's notes.
    pub(crate) overrides: Vec<String>,
}

/// Loads `--pricebook` files and the estate (or the embedded example) as every command does;
/// problems are reported on `stderr` and become exit code 2.
pub(crate) fn load(
    estate: Option<&PathBuf>,
    options: &WhatIfOptions,
    stdin: &mut dyn Read,
    stderr: &mut dyn Write,
    color: bool,
) -> Result<Loaded, u8> {
    let (loaded, estate) = load_estate(
        &options.pricebooks,
        estate.map(PathBuf::as_path),
        stdin,
        stderr,
        color,
    )?;
    Ok(Loaded {
        books: loaded.set,
        estate,
        overrides: loaded.overrides,
    })
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

//! The hypercost command line: a thin shell over `hypercost-core`.
//!
//! [`run`] takes arguments and streams and returns an exit code, so tests drive the real
//! argument parsing, renderers and exit codes in-process. Exit codes: 0 success (and a closed
//! pipe), 1 failure, 2 bad input (arguments, estate, pricebook).

#![allow(
    clippy::disallowed_methods,
    reason = "the CLI is the front end that does the I/O the core may not"
)]

mod args;
mod cheapest;
mod compare;
mod explain;
mod import;
mod pricebook;
mod report;
mod schema;
mod sensitivity;
mod sweep;
mod whatif;

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::Parser;
use hypercost_core::{
    Estate, Format, PricebookSet, Report, SourceFile, example_estate, parse_estate, quote,
};

pub use args::{
    CheapestArgs, Cli, Command, ExplainArgs, ImportArgs, ImportCommand, PricebookCommand,
    QuoteArgs, SchemaArgs, SchemaKindArg,
};
pub use args::{CompareArgs, SensitivityArgs, SweepArgs, WhatIfOptions};
pub use args::{ExportArgs, ExportCommand};

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: a failure that is not the input's fault (writing output).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code: bad input.
pub const EXIT_INPUT: u8 = 2;

/// Runs the command line; `color` enables coloured diagnostics.
pub fn run(
    args: impl IntoIterator<Item = impl Into<OsString> + Clone>,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    color: bool,
) -> u8 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let text = if color {
                e.render().ansi().to_string()
            } else {
                e.render().to_string()
            };
            return if e.use_stderr() {
                let _ = stderr.write_all(text.as_bytes());
                EXIT_INPUT
            } else {
                let _ = stdout.write_all(text.as_bytes());
                EXIT_OK
            };
        }
    };
    match cli.command {
        Command::Quote(a) => run_quote(&a, stdin, stdout, stderr, color),
        Command::Pricebook(p) => pricebook::run(&p, stdin, stdout, stderr, color),
        Command::Schema(a) => schema::run(&a, stdout, stderr),
        Command::Cheapest(a) => cheapest::run(&a, stdin, stdout, stderr, color),
        Command::Explain(a) => explain::run(&a, stdin, stdout, stderr, color),
        Command::Compare(a) => compare::run(&a, stdin, stdout, stderr, color),
        Command::Sweep(a) => sweep::run(&a, stdin, stdout, stderr, color),
        Command::Sensitivity(a) => sensitivity::run(&a, stdin, stdout, stderr, color),
        Command::Import(i) => import::run(&i, stdin, stdout, stderr, color),
        Command::Export(e) => import::export(&e, stdin, stdout, stderr, color),
    }
}

fn run_quote(
    a: &QuoteArgs,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    color: bool,
) -> u8 {
    let (loaded, mut estate) =
        match load_estate(&a.pricebooks, a.estate.as_deref(), stdin, stderr, color) {
            Ok(x) => x,
            Err(code) => return code,
        };
    if let Some(date) = a.as_of {
        estate.purchase_date = date;
        for s in &mut estate.scenarios {
            s.purchase_date = None;
        }
    }
    let mut q = quote(&estate, &loaded.set);
    if let Some(date) = a.as_of {
        q.notes.insert(
            0,
            format!("priced as of {date} (--as-of): every scenario as if bought that day"),
        );
    }
    for (i, o) in loaded.overrides.into_iter().enumerate() {
        q.notes.insert(i, o);
    }
    emit(&q, a.format, a.output.as_deref(), stdout, stderr)
}

/// The pricebooks (bundled + `--pricebook`) and the estate (a file, `-`, or the embedded
/// example), read and validated the one way every command does; problems are reported and
/// give exit 2.
pub(crate) fn load_estate(
    pricebooks: &[PathBuf],
    estate: Option<&Path>,
    stdin: &mut dyn Read,
    stderr: &mut dyn Write,
    color: bool,
) -> Result<(hypercost_core::LoadedPricebooks, Estate), u8> {
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

/// Writes output bytes to `-o FILE`, or to standard output without one.
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
        None => write_stdout(stdout, stderr, bytes),
    }
}

/// The format a result is written in, chosen the one way every command does: `--format` if
/// given, else the format `-o FILE`'s extension names, else a table. A format the result
/// cannot render, an extension that names no format, or a binary format for standard output
/// is refused with a message saying what would work (never a silent table).
pub(crate) fn choose_format(
    report: &dyn Report,
    format: Option<Format>,
    output: Option<&Path>,
) -> Result<Format, String> {
    let chosen = match (format, output) {
        (Some(f), _) => f,
        (None, Some(path)) if path.extension().is_some() => {
            Format::from_path(path).ok_or_else(|| {
                format!(
                    "cannot tell the format of {} from its extension; known extensions: {} \
                     (or give --format)",
                    path.display(),
                    Format::known_extensions()
                )
            })?
        }
        _ => Format::Table,
    };
    if !report.formats().contains(&chosen) {
        return Err(report.unsupported(chosen).to_string());
    }
    if chosen.is_binary() && output.is_none() {
        let ext = chosen
            .extensions()
            .first()
            .copied()
            .unwrap_or(chosen.name());
        return Err(format!(
            "{chosen} is a binary format: write it with -o FILE.{ext}"
        ));
    }
    Ok(chosen)
}

/// The result's bytes in the format [`choose_format`] picks for `output`, or why not.
pub(crate) fn rendered(
    report: &dyn Report,
    format: Option<Format>,
    output: Option<&Path>,
) -> Result<Vec<u8>, String> {
    let chosen = choose_format(report, format, output)?;
    report.render(chosen).map_err(|e| e.to_string())
}

/// Renders a result as [`rendered`] does and writes it to `-o FILE` or standard output; a
/// refused format is exit 2.
pub(crate) fn emit(
    report: &dyn Report,
    format: Option<Format>,
    output: Option<&Path>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    match rendered(report, format, output) {
        Ok(bytes) => write_output(output, &bytes, stdout, stderr),
        Err(msg) => input_error(stderr, &msg),
    }
}

/// The bundled pricebooks plus user files; problems are reported and become exit code 2.
pub(crate) fn load_pricebooks(
    paths: &[std::path::PathBuf],
    stdin: &mut dyn Read,
    stderr: &mut dyn Write,
    color: bool,
) -> Result<hypercost_core::LoadedPricebooks, u8> {
    let mut files = Vec::new();
    for p in paths {
        match read_file(p, stdin) {
            Ok(f) => files.push(f),
            Err(msg) => return Err(input_error(stderr, &msg)),
        }
    }
    PricebookSet::load(&files).map_err(|d| {
        let _ = stderr.write_all(report::render(&d, &files, color).as_bytes());
        EXIT_INPUT
    })
}

/// Writes output bytes to stdout; a closed pipe is success.
pub(crate) fn write_stdout(stdout: &mut dyn Write, stderr: &mut dyn Write, bytes: &[u8]) -> u8 {
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            let _ = writeln!(stderr, "hypercost: cannot write output: {e}");
            EXIT_FAILURE
        }
    }
}

/// Reads a file (or standard input for `-`) into a [`SourceFile`]; the only file reading.
pub(crate) fn read_file(path: &Path, stdin: &mut dyn Read) -> Result<SourceFile, String> {
    let name = path.display().to_string();
    let mut bytes = Vec::new();
    let result = if name == "-" {
        stdin.read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::read(path).map(|b| bytes = b)
    };
    if let Err(e) = result {
        return Err(format!("cannot read {name}: {e}"));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(
            if name == "-" {
                "<stdin>".to_owned()
            } else {
                name
            },
            text,
        )),
        Err(e) => {
            // Locate the first bad byte as FILE:LINE:COLUMN, like every other input problem.
            let good = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let before = String::from_utf8_lossy(&bytes[..good]);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let byte = bytes.get(good).copied().unwrap_or_default();
            Err(format!(
                "{name}:{line}:{column}: not UTF-8 text (byte 0x{byte:02X}); save the file as UTF-8"
            ))
        }
    }
}

pub(crate) fn input_error(stderr: &mut dyn Write, msg: &str) -> u8 {
    let _ = writeln!(stderr, "hypercost: {msg}");
    EXIT_INPUT
}

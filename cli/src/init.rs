//! `hypercost init`: a commented estate to start from (the core's `init`), written to `-o
//! FILE` or standard output. An existing FILE is never written over without `--force`: unlike
//! a report, a starting estate is where a user's own numbers go.

use std::io::Write;

use hypercost_core::init::{InitOptions, Input, Problem, init_estate};
use hypercost_core::{Diagnostic, Diagnostics, PricebookSet};

use crate::args::InitArgs;
use crate::{EXIT_OK, Refused, Target, write_output};

/// The flag each input is given with, as `hypercost init --help` names it.
fn flag(input: Input) -> &'static str {
    match input {
        Input::Hosts => "--hosts",
        Input::Sockets => "--sockets",
        Input::Cores => "--cores",
        Input::RamGb => "--ram-gb",
        Input::Vms => "--vms",
        Input::WindowsVms => "--windows-vms",
        Input::Needs => "--needs",
        Input::Compare => "--compare",
        Input::Date => "--date",
        Input::Years => "--years",
        Input::Currency => "--currency",
    }
}

/// The problems as reports of the options they came from (exit 2).
fn refused(problems: Vec<Problem>) -> Refused {
    let d = problems
        .into_iter()
        .map(|p| {
            let option = p.input.map_or("init", flag);
            Diagnostic::input(option, p.message, p.help).from_option(option)
        })
        .collect();
    Refused::in_files(Diagnostics(d), Vec::new())
}

/// Runs `init`.
pub(crate) fn run(
    a: &InitArgs,
    quiet: bool,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    color: bool,
) -> u8 {
    match write(a, quiet, stdout, stderr) {
        Ok(code) => code,
        Err(r) => r.report(stderr, color),
    }
}

fn write(
    a: &InitArgs,
    quiet: bool,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<u8, Refused> {
    let target = Target {
        path: a.output.as_deref(),
        reads: Vec::new(),
        fixed: Some("toml"),
    };
    if let Some(path) = target.path
        && !a.force
        && path.exists()
    {
        return Err(Refused::option(
            "-o",
            Diagnostic::input(
                "output",
                format!("{} exists: init never writes over a file", path.display()),
                Some("name another file, or give --force to replace it".into()),
            ),
        ));
    }
    let books = PricebookSet::bundled().map_err(|d| Refused::in_files(d, Vec::new()))?;
    let options = InitOptions {
        hosts: a.hosts,
        sockets: a.sockets,
        cores: a.cores,
        ram_gb: a.ram_gb,
        vms: a.vms,
        windows_vms: a.windows_vms,
        needs: a.needs.clone(),
        compare: a.compare.clone(),
        years: a.years,
        currency: a.currency.clone(),
        ..InitOptions::new(a.date.unwrap_or_else(crate::import::today))
    };
    let text = init_estate(&options, &books).map_err(refused)?;
    let code = write_output(&target, text.as_bytes(), stdout, stderr);
    if code == EXIT_OK
        && !quiet
        && let Some(path) = target.path
    {
        let _ = writeln!(
            stderr,
            "hypercost: wrote {}; next: hypercost quote {}",
            path.display(),
            path.display()
        );
    }
    Ok(code)
}

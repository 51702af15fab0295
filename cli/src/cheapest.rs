//! `hypercost cheapest`: the cheapest compliant plans per cluster, and every rejected option
//! with its reasons; `-o FILE.toml` writes the winners as the scenarios of a new estate.

use std::io::{Read, Write};

use hypercost_core::analysis::cheapest::{Search, cheapest, winners_estate};
use hypercost_core::estate::write_estate;

use crate::args::CheapestArgs;
use crate::{Ran, Refused, emit, load_pricing, write_estate_then_report};

/// Runs `hypercost cheapest`.
pub(crate) fn run(
    a: &CheapestArgs,
    quiet: bool,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Ran {
    let (pricing, estate) = load_pricing(&a.pricing, stdin)?;
    let search = Search {
        vendors: a.vendors.clone(),
        top: usize::from(a.top),
    };
    let mut result = cheapest(&estate, &pricing.books, &search).map_err(Refused::flag)?;
    pricing.annotate(&mut result.notes);
    let Some(target) = crate::estate_target(&a.output, &a.pricing) else {
        return emit(&result, &a.output, &a.pricing, stdout, stderr);
    };
    // The report goes to standard output, so its format is chosen without the file.
    let report = crate::rendered(&result, a.output.format, None)?;
    // `-o FILE.toml`: the winners as an estate; the report still goes to standard output.
    let (winners, notes) = winners_estate(&estate, &result).map_err(Refused::flag)?;
    let text = format!(
        "# Written by `hypercost cheapest`: scenario k gives each cluster its k-th cheapest\n\
         # compliant plan on {} over {} years (guest OS licences not included).\n{}",
        result.purchase_date,
        result.years,
        write_estate(&winners)
    );
    if !quiet {
        for n in &notes {
            let _ = writeln!(stderr, "hypercost: note: {n}");
        }
    }
    // The file must read back as the estate it describes; anything else is a bug to report.
    write_estate_then_report(
        &target,
        &text,
        &report,
        &pricing.books,
        &|back| *back == winners,
        stdout,
        stderr,
    )
}

//! `hypercost reshape`: each cluster's cheapest host shapes per edition from a hardware
//! catalogue; `-o FILE.toml` writes the estate with a scenario per edition on those shapes.

use std::io::{Read, Write};

use hypercost_core::analysis::reshape::{Options, reshape};
use hypercost_core::estate::write_estate;
use hypercost_core::{Diagnostics, ItemRef};

use crate::args::ReshapeArgs;
use crate::{Ran, Refused, emit, load_pricing, write_estate_then_report};

/// Runs `hypercost reshape`.
pub(crate) fn run(
    a: &ReshapeArgs,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Ran {
    let (pricing, estate) = load_pricing(&a.pricing, stdin)?;
    let (catalogue, _) = crate::hardware::load_catalogue(a.hardware.as_deref(), stdin)?;
    let editions = a
        .editions
        .iter()
        .map(|e| ItemRef::parse(e).map_err(|why| Diagnostics::input("edition", why, None)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Refused::flag)?;
    let options = Options {
        editions,
        top: usize::from(a.top),
    };
    let mut result =
        reshape(&estate, &pricing.books, &catalogue, &options).map_err(Refused::flag)?;
    pricing.annotate(&mut result.notes);
    let Some(target) = crate::estate_target(&a.output, &a.pricing) else {
        return emit(&result, &a.output, &a.pricing, stdout, stderr);
    };
    let report = crate::rendered(&result, a.output.format, None)?;
    let Some(shaped) = result.estate_with_shapes.clone() else {
        return Err(Refused::flag(Diagnostics::input(
            "output",
            "no edition fits every cluster on some shape: there is no estate to write".to_owned(),
            Some("write the report instead (-o FILE.json, .csv, .md, .html, .xlsx)".into()),
        )));
    };
    let text = format!(
        "# Written by `hypercost reshape` from catalogue {}: a scenario per edition, each cluster\n\
         # on its cheapest shape ([scenario.plan.shape]).\n{}",
        result.catalogue,
        write_estate(&shaped)
    );
    write_estate_then_report(
        &target,
        &text,
        &report,
        &pricing.books,
        &|back| *back == shaped,
        stdout,
        stderr,
    )
}

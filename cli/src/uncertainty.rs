//! `hypercost uncertainty`: each scenario's P10–P50–P90 when prices are what their sources
//! allow, how often each is the cheapest, and what decides it.

use std::io::{Read, Write};

use hypercost_core::analysis::uncertainty;

use crate::args::UncertaintyArgs;
use crate::{Ran, Refused, emit, load_pricing};

/// Runs `uncertainty`.
pub(crate) fn run(
    a: &UncertaintyArgs,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Ran {
    let (pricing, estate) = load_pricing(&a.pricing, stdin)?;
    let mut r = uncertainty::uncertainty(&estate, &pricing.books, a.draws.options())
        .map_err(Refused::flag)?;
    pricing.annotate(&mut r.notes);
    emit(&r, &a.output, &a.pricing, stdout, stderr)
}

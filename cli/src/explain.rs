//! `hypercost explain`: every line's derivation (quantity rule, unit price with source and
//! confidence, discount steps with the running amount, the rounding), then the sums.

use std::io::{Read, Write};

use hypercost_core::analysis::explain::explain;

use crate::args::ExplainArgs;
use crate::{Ran, Refused, emit, load_pricing};

/// Runs `hypercost explain`.
pub(crate) fn run(
    a: &ExplainArgs,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Ran {
    let (pricing, estate) = load_pricing(&a.pricing, stdin)?;
    let q = pricing.quote(&estate);
    let mut e = explain(&q, a.scenario.as_deref(), a.cluster.as_deref()).map_err(Refused::flag)?;
    pricing.annotate(&mut e.notes);
    emit(&e, &a.output, &a.pricing, stdout, stderr)
}

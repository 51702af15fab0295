//! `hypercost compare`: the estate's scenarios side by side against a baseline, with
//! cumulative cost and break-even years.

use std::io::{Read, Write};

use hypercost_core::analysis::compare;

use crate::args::CompareArgs;
use crate::{Ran, Refused, emit, load_pricing};

/// Runs `compare`.
pub(crate) fn run(
    a: &CompareArgs,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Ran {
    let (pricing, estate) = load_pricing(&a.pricing, stdin)?;
    // The comparison carries the quote's notes, the pricing's among them.
    let mut q = pricing.quote(&estate);
    crate::with_ranges(&mut q, &a.ranges, &pricing, &estate)?;
    let mut c = compare::compare(&q, a.baseline.as_deref())
        .map_err(|d| Refused::option("--baseline", d))?;
    if a.by == "month" {
        c.months = compare::by_month(&q);
    }
    emit(&c, &a.output, &a.pricing, stdout, stderr)
}

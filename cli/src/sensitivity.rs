//! `hypercost sensitivity`: every numeric input varied by ±PCT, ranked by its effect on a
//! scenario's total or on the difference between two scenarios (a tornado table).

use std::io::{Read, Write};

use hypercost_core::analysis::sensitivity::{self, Options};

use crate::args::SensitivityArgs;
use crate::{Ran, Refused, emit, load_pricing};

/// Runs `sensitivity`.
pub(crate) fn run(
    a: &SensitivityArgs,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Ran {
    let (pricing, estate) = load_pricing(&a.pricing, stdin)?;
    let options = Options {
        scenario: a.scenario.clone(),
        vs: a.vs.clone(),
        percent: a.by,
    };
    let mut s =
        sensitivity::sensitivity(&estate, &pricing.books, &options).map_err(Refused::flag)?;
    pricing.annotate(&mut s.notes);
    emit(&s, &a.output, &a.pricing, stdout, stderr)
}

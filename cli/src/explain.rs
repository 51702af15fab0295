//! `hypercost explain`: every line's derivation (quantity rule, unit price with source and
//! confidence, discount steps with the running amount, the rounding), then the sums.

use std::io::{Read, Write};

use hypercost_core::analysis::explain::explain;
use hypercost_core::quote;

use crate::args::ExplainArgs;
use crate::{emit, input_error, load_estate};

/// Runs `hypercost explain`.
pub(crate) fn run(
    a: &ExplainArgs,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    color: bool,
) -> u8 {
    let (loaded, estate) =
        match load_estate(&a.pricebooks, a.estate.as_deref(), stdin, stderr, color) {
            Ok(x) => x,
            Err(code) => return code,
        };
    let q = quote(&estate, &loaded.set);
    let e = match explain(&q, a.scenario.as_deref(), a.cluster.as_deref()) {
        Ok(e) => e,
        Err(msg) => return input_error(stderr, &msg),
    };
    emit(&e, a.format, a.output.as_deref(), stdout, stderr)
}

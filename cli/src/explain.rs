//! `hypercost explain`: every line's derivation (quantity rule, unit price with source and
//! confidence, discount steps with the running amount, the rounding), then the sums.

use std::io::{Read, Write};

use hypercost_core::explain::{explain, render_explanation};
use hypercost_core::quote;

use crate::args::ExplainArgs;
use crate::{input_error, load_estate, report_format, write_output};

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
    let bytes = render_explanation(&e, report_format(a.format));
    write_output(a.output.as_deref(), &bytes, stdout, stderr)
}

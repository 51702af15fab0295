//! `hypercost compare`: the estate's scenarios side by side against a baseline, with
//! cumulative cost and break-even years.

use std::io::{Read, Write};

use hypercost_core::analysis::compare;
use hypercost_core::quote;

use crate::args::CompareArgs;
use crate::whatif;

/// Runs `compare`; returns the exit code.
pub(crate) fn run(
    a: &CompareArgs,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    color: bool,
) -> u8 {
    let l = match whatif::load(a.estate.as_ref(), &a.options, stdin, stderr, color) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let mut q = quote(&l.estate, &l.books);
    for (i, o) in l.overrides.into_iter().enumerate() {
        q.notes.insert(i, o);
    }
    match compare::compare(&q, a.baseline.as_deref()) {
        Ok(c) => crate::emit(
            &c,
            a.options.format,
            a.options.output.as_deref(),
            stdout,
            stderr,
        ),
        Err(e) => whatif::refuse(stderr, "--baseline", &e),
    }
}

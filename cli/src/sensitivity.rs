//! `hypercost sensitivity`: every numeric input varied by ±PCT, ranked by its effect on a
//! scenario's total or on the difference between two scenarios (a tornado table).

use std::io::{Read, Write};

use hypercost_core::analysis::sensitivity::{self, Options};

use crate::args::SensitivityArgs;
use crate::whatif;

/// Runs `sensitivity`; returns the exit code.
pub(crate) fn run(
    a: &SensitivityArgs,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    color: bool,
) -> u8 {
    let l = match whatif::load(a.estate.as_ref(), &a.options, stdin, stderr, color) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let options = Options {
        scenario: a.scenario.clone(),
        vs: a.vs.clone(),
        percent: a.by,
    };
    match sensitivity::sensitivity(&l.estate, &l.books, &options) {
        Ok(mut s) => {
            for (i, o) in l.overrides.into_iter().enumerate() {
                s.notes.insert(i, o);
            }
            crate::emit(
                &s,
                a.options.format,
                a.options.output.as_deref(),
                stdout,
                stderr,
            )
        }
        Err(e) => whatif::refuse(stderr, "sensitivity", &e),
    }
}

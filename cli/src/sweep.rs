//! `hypercost sweep`: a what-if grid over one or two estate fields. The core plans the points;
//! this loop evaluates them, with a progress bar on a terminal for long sweeps.

use std::io::{IsTerminal, Read, Write};

use hypercost_core::analysis::sweep::SweepPlan;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::args::SweepArgs;
use crate::whatif;

/// Sweeps longer than this show a progress bar (on a terminal only).
const PROGRESS_ABOVE: usize = 200;

/// Runs `sweep`; returns the exit code.
pub(crate) fn run(
    a: &SweepArgs,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    color: bool,
) -> u8 {
    let l = match whatif::load(a.estate.as_ref(), &a.options, stdin, stderr, color) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let specs: Vec<&str> = a.vary.iter().map(String::as_str).collect();
    let plan = match SweepPlan::new(&l.estate, &l.books, &specs) {
        Ok(p) => p,
        Err(e) => return whatif::refuse(stderr, &format!("--vary {}", specs.join(" --vary ")), &e),
    };
    let bar = (plan.len() > PROGRESS_ABOVE && std::io::stderr().is_terminal()).then(|| {
        let style = ProgressStyle::with_template("sweep {bar:40} {pos}/{len} points, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        ProgressBar::with_draw_target(Some(plan.len() as u64), ProgressDrawTarget::stderr())
            .with_style(style)
    });
    let mut points = Vec::with_capacity(plan.len());
    for i in 0..plan.len() {
        points.push(plan.evaluate(i, &l.books));
        if let Some(b) = &bar {
            b.inc(1);
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let mut result = plan.finish(points);
    result.notes = l.overrides;
    crate::emit(
        &result,
        a.options.format,
        a.options.output.as_deref(),
        stdout,
        stderr,
    )
}

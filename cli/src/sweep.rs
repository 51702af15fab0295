//! `hypercost sweep`: a what-if grid over one or two estate fields. The core plans the points;
//! this loop evaluates them, with a progress bar on a terminal for long sweeps.

use std::io::{IsTerminal, Read, Write};

use hypercost_core::analysis::sweep::SweepPlan;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::args::SweepArgs;
use crate::{Ran, Refused, emit, load_pricing};

/// Sweeps longer than this show a progress bar (on a terminal only).
const PROGRESS_ABOVE: usize = 200;

/// Runs `sweep`.
pub(crate) fn run(
    a: &SweepArgs,
    quiet: bool,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Ran {
    let (pricing, estate) = load_pricing(&a.pricing, stdin)?;
    let specs: Vec<&str> = a.vary.iter().map(String::as_str).collect();
    let plan = SweepPlan::new(&estate, &pricing.books, &specs)
        .map_err(|d| Refused::option(&format!("--vary {}", specs.join(" --vary ")), d))?;
    let shown = !quiet && plan.len() > PROGRESS_ABOVE && std::io::stderr().is_terminal();
    let bar = shown.then(|| {
        let style = ProgressStyle::with_template("sweep {bar:40} {pos}/{len} points, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        ProgressBar::with_draw_target(Some(plan.len() as u64), ProgressDrawTarget::stderr())
            .with_style(style)
    });
    let mut points = Vec::with_capacity(plan.len());
    let mut sweeper = plan.sweeper(&pricing.books);
    for i in 0..plan.len() {
        points.push(sweeper.point(i));
        if let Some(b) = &bar {
            b.inc(1);
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let mut result = plan.finish(points);
    pricing.annotate(&mut result.notes);
    emit(&result, &a.output, &a.pricing, stdout, stderr)
}

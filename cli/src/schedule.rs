//! `hypercost schedule`: the cheapest start month of each move of a scenario, proven exactly;
//! `-o FILE.toml` writes the estate with those starts, its text and comments kept.

use std::io::{Read, Write};

use hypercost_core::Estate;
use hypercost_core::analysis::schedule::{Options, schedule};
use hypercost_core::estate::edit_text;

use crate::args::ScheduleArgs;
use crate::{EXIT_FAILURE, Ran, Refused, emit, load_pricing_text, write_estate_then_report};

/// Runs `hypercost schedule`.
pub(crate) fn run(
    a: &ScheduleArgs,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Ran {
    let (pricing, estate, file) = load_pricing_text(&a.pricing, stdin)?;
    let options = Options {
        scenario: a.scenario.clone(),
        deadline: a.deadline,
        max_vms_per_month: a.max_vms_per_month,
        objective: a.objective.0,
        node_limit: None,
    };
    let mut result = schedule(&estate, &pricing.books, &options).map_err(Refused::flag)?;
    pricing.annotate(&mut result.notes);
    let Some(target) = crate::estate_target(&a.output, &a.pricing) else {
        return emit(&result, &a.output, &a.pricing, stdout, stderr);
    };
    let report = crate::rendered(&result, a.output.format, None)?;
    let edits = result.start_edits(&estate);
    let text = match edit_text(&file.text, &edits) {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(stderr, "hypercost: internal error: {e}");
            return Ok(EXIT_FAILURE);
        }
    };
    // The file must read back with the chosen starts; anything else is a bug to report.
    let chosen = result.estate_with_schedule.as_ref().map(starts);
    write_estate_then_report(
        &target,
        &text,
        &report,
        &pricing.books,
        &|back| Some(starts(back)) == chosen,
        stdout,
        stderr,
    )
}

/// Every plan's start, scenario by scenario.
fn starts(e: &Estate) -> Vec<Vec<Option<hypercost_core::Date>>> {
    e.scenarios
        .iter()
        .map(|s| s.plans.iter().map(|p| p.start).collect())
        .collect()
}

//! `hypercost schedule`: the cheapest start month of each move of a scenario, proven exactly;
//! `-o FILE.toml` writes the estate with those starts, its text and comments kept.

use std::io::{Read, Write};

use hypercost_core::analysis::schedule::{Options, Schedule, schedule};
use hypercost_core::estate::{Edit, EditValue, edit_text};
use hypercost_core::{Estate, SourceFile, parse_estate};

use crate::args::ScheduleArgs;
use crate::{
    EXIT_FAILURE, EXIT_OK, Ran, Refused, Target, emit, load_pricing_text, report, write_output,
};

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
    };
    let mut result = schedule(&estate, &pricing.books, &options).map_err(Refused::flag)?;
    pricing.annotate(&mut result.notes);
    let Some(path) = a
        .output
        .output
        .as_deref()
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
    else {
        return emit(&result, &a.output, &a.pricing, stdout, stderr);
    };
    let target = Target {
        path: Some(path),
        reads: a.pricing.reads(),
        fixed: Some("toml"),
    };
    let report = crate::rendered(&result, a.output.format, None)?;
    let edits = start_edits(&estate, &result);
    let text = match edit_text(&file.text, &edits) {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(stderr, "hypercost: internal error: {e}");
            return Ok(EXIT_FAILURE);
        }
    };
    // The file must read back with the chosen starts; anything else is a bug to report.
    let check = SourceFile::new(path.display().to_string(), text.clone());
    match parse_estate(&check, &pricing.books) {
        Ok(back) if Some(starts(&back)) == result.estate_with_schedule.as_ref().map(starts) => {}
        Ok(_) => {
            let _ = writeln!(
                stderr,
                "hypercost: internal error: the estate written to {} would not read back with the chosen starts",
                path.display()
            );
            return Ok(EXIT_FAILURE);
        }
        Err(d) => {
            let _ = stderr.write_all(report::render(&d, &[check], false).as_bytes());
            return Ok(EXIT_FAILURE);
        }
    }
    Ok(
        match write_output(&target, text.as_bytes(), stdout, stderr) {
            EXIT_OK => crate::write_stdout(stdout, stderr, &report),
            code => code,
        },
    )
}

/// Every plan's start, scenario by scenario.
fn starts(e: &Estate) -> Vec<Vec<Option<hypercost_core::Date>>> {
    e.scenarios
        .iter()
        .map(|s| s.plans.iter().map(|p| p.start).collect())
        .collect()
}

/// `start = DATE` on every plan whose start the schedule changed.
fn start_edits(estate: &Estate, result: &Schedule) -> Vec<Edit> {
    let Some(chosen) = &result.estate_with_schedule else {
        return Vec::new();
    };
    let mut edits = Vec::new();
    for (i, (was, now)) in estate.scenarios.iter().zip(&chosen.scenarios).enumerate() {
        for (j, (p, q)) in was.plans.iter().zip(&now.plans).enumerate() {
            if let (true, Some(d)) = (p.start != q.start, q.start) {
                edits.push(Edit::Set {
                    path: format!("scenario[{i}].plan[{j}].start"),
                    value: EditValue::Date(d),
                });
            }
        }
    }
    edits
}

//! `compare`: a quote's scenarios side by side per year and in total, each against a
//! baseline (amount and %), cumulative cost, and the break-even year between the baseline and
//! every other scenario, explained in words.
//!
//! The break-even year is the first year in which the sign of (cumulative baseline −
//! cumulative scenario) differs from its sign in year 1: the scenario that was cheaper after
//! year 1 has caught up (equal) or overtaken (dearer) by then. The figures are the quote's own
//! yearly totals (`ScenarioQuote::years[].total`), summed; nothing is re-priced.

use rust_decimal::Decimal;
use serde::Serialize;
use std::cmp::Ordering;

use crate::diag::Diagnostics;
use crate::money::grouped;
use crate::money::ser;
use crate::quote::{Quote, ScenarioQuote};

/// A quote's scenarios compared with a baseline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// Contract version, 1.
    pub format: u32,
    /// `compare`.
    pub command: &'static str,
    /// `hypercost-core <version>`.
    pub engine: String,
    /// Estate name.
    pub estate: String,
    /// Currency of every amount.
    pub currency: String,
    /// Horizon in years.
    pub years: u32,
    /// The scenario every other is compared with.
    pub baseline: String,
    /// Notes carried from the quote (overridden pricebooks, …).
    pub notes: Vec<String>,
    /// Every scenario in estate order, the baseline included (with zero deltas).
    pub scenarios: Vec<Compared>,
    /// The break-even of each other scenario against the baseline, in estate order.
    pub break_even: Vec<BreakEven>,
    /// Cash flow by calendar month, when asked (`--by month`): what falls due in each month
    /// from the purchase date's to the last payment's, per scenario in estate order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub months: Vec<Month>,
}

/// What falls due in one calendar month, per scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    /// Per scenario, in estate order: the payments due that month.
    #[serde(serialize_with = "ser::money_list")]
    pub totals: Vec<Decimal>,
    /// Per scenario: everything due up to the end of that month.
    #[serde(serialize_with = "ser::money_list")]
    pub cumulative: Vec<Decimal>,
}

/// The quote's payments by calendar month: each line counts in the month of the day it falls
/// due (`Line::due`), from the first scenario purchase date's month to the last payment's.
pub fn by_month(q: &Quote) -> Vec<Month> {
    let key = |d: crate::date::Date| (d.year, d.month);
    let first = q
        .scenarios
        .iter()
        .map(|s| key(s.purchase_date))
        .chain(
            q.scenarios
                .iter()
                .flat_map(|s| s.lines.iter().filter_map(|l| l.due.map(key))),
        )
        .min();
    let last = q
        .scenarios
        .iter()
        .flat_map(|s| s.lines.iter().filter_map(|l| l.due.map(key)))
        .max();
    let (Some(mut at), Some(last)) = (first, last) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut cumulative = vec![Decimal::ZERO; q.scenarios.len()];
    while at <= last {
        let totals: Vec<Decimal> = q
            .scenarios
            .iter()
            .map(|s| {
                s.lines
                    .iter()
                    .filter(|l| l.due.map(key) == Some(at))
                    .map(|l| l.amount)
                    .sum()
            })
            .collect();
        for (c, t) in cumulative.iter_mut().zip(&totals) {
            *c += *t;
        }
        out.push(Month {
            month: format!("{:04}-{:02}", at.0, at.1),
            totals,
            cumulative: cumulative.clone(),
        });
        at = if at.1 == 12 {
            (at.0 + 1, 1)
        } else {
            (at.0, at.1 + 1)
        };
    }
    out
}

/// One scenario against the baseline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Compared {
    /// Scenario name.
    pub name: String,
    /// This is the baseline.
    pub baseline: bool,
    /// No compliance problems; non-compliant scenarios are still compared.
    pub compliant: bool,
    /// The compliance problems, in words.
    pub problems: Vec<String>,
    /// Total over the horizon (the quote's total).
    #[serde(serialize_with = "ser::money")]
    pub total: Decimal,
    /// Total − the baseline's total.
    #[serde(serialize_with = "ser::money")]
    pub delta: Decimal,
    /// `delta` as a percentage of the baseline's total, one decimal; absent when that is 0.
    #[serde(serialize_with = "ser::opt_plain")]
    pub delta_percent: Option<Decimal>,
    /// Per year of the horizon.
    pub years: Vec<ComparedYear>,
    /// The total's range over uncertain prices, when the quote has one (`--ranges`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<crate::quote::Range>,
}

/// One year of one scenario against the baseline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComparedYear {
    /// 1-based year.
    pub year: u32,
    /// The year's total.
    #[serde(serialize_with = "ser::money")]
    pub total: Decimal,
    /// Sum of the totals of years 1 to this one.
    #[serde(serialize_with = "ser::money")]
    pub cumulative: Decimal,
    /// The year's total − the baseline's.
    #[serde(serialize_with = "ser::money")]
    pub delta: Decimal,
    /// `delta` as a percentage of the baseline's year, one decimal; absent when that is 0.
    #[serde(serialize_with = "ser::opt_plain")]
    pub delta_percent: Option<Decimal>,
    /// Cumulative − the baseline's cumulative.
    #[serde(serialize_with = "ser::money")]
    pub cumulative_delta: Decimal,
}

/// When one scenario's cumulative cost crosses the baseline's.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BreakEven {
    /// The baseline.
    pub baseline: String,
    /// The other scenario.
    pub scenario: String,
    /// The first year in which the sign of (cumulative baseline − cumulative scenario)
    /// differs from year 1's; absent when it never does within the horizon.
    pub year: Option<u32>,
    /// The baseline's cumulative cost that year (or after the last year when never).
    #[serde(serialize_with = "ser::money")]
    pub baseline_cumulative: Decimal,
    /// The scenario's cumulative cost that year (or after the last year when never).
    #[serde(serialize_with = "ser::money")]
    pub scenario_cumulative: Decimal,
    /// The crossing in words.
    pub text: String,
}

/// Compares every scenario of a quote with `baseline` (default: the first scenario).
pub fn compare(q: &Quote, baseline: Option<&str>) -> Result<Comparison, Diagnostics> {
    let base = match baseline {
        Some(name) => find_scenario(q, name, "baseline")?,
        None if q.scenarios.is_empty() => {
            return Err(no_scenario());
        }
        None => 0,
    };
    let n = q.years;
    let yearly: Vec<Vec<Decimal>> = q.scenarios.iter().map(|s| per_year(s, n)).collect();
    let cumulative: Vec<Vec<Decimal>> = yearly.iter().map(|y| running(y)).collect();
    let (by, bc) = (&yearly[base], &cumulative[base]);
    let bs = &q.scenarios[base];
    let scenarios = q
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| Compared {
            name: s.name.clone(),
            baseline: i == base,
            compliant: s.compliant,
            problems: s.problems.iter().map(|p| p.message.clone()).collect(),
            total: s.total,
            range: s.range.clone(),
            delta: s.total - bs.total,
            delta_percent: percent(s.total - bs.total, bs.total),
            years: (0..n as usize)
                .map(|y| ComparedYear {
                    year: y as u32 + 1,
                    total: yearly[i][y],
                    cumulative: cumulative[i][y],
                    delta: yearly[i][y] - by[y],
                    delta_percent: percent(yearly[i][y] - by[y], by[y]),
                    cumulative_delta: cumulative[i][y] - bc[y],
                })
                .collect(),
        })
        .collect();
    let break_even = q
        .scenarios
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != base)
        .map(|(i, s)| break_even(&bs.name, bc, &s.name, &cumulative[i]))
        .collect();
    Ok(Comparison {
        months: Vec::new(),
        format: 1,
        command: "compare",
        engine: q.engine.clone(),
        estate: q.estate.clone(),
        currency: q.currency.clone(),
        years: n,
        baseline: bs.name.clone(),
        notes: q.notes.clone(),
        scenarios,
        break_even,
    })
}

/// "the estate has no scenario", for an analysis that needs one.
pub(crate) fn no_scenario() -> Diagnostics {
    Diagnostics::input("scenario", "the estate has no scenario", None)
}

/// "unknown scenario" with did-you-mean and the scenario names; `field` is the input that
/// named it (`baseline`, `scenario`, `vs`).
/// The scenario a name given on the command line means: its exact name. Otherwise an error
/// with what is valid and a suggestion: a name within a few edits, or the names containing
/// the word given (`--baseline xenserver` suggests "XenServer 5.5 free").
pub(crate) fn find_scenario(q: &Quote, name: &str, field: &str) -> Result<usize, Diagnostics> {
    let names: Vec<&str> = q.scenarios.iter().map(|s| s.name.as_str()).collect();
    if let Some(i) = names.iter().position(|n| *n == name) {
        return Ok(i);
    }
    let wanted = name.trim().to_lowercase();
    let mut help = String::new();
    let containing: Vec<String> = names
        .iter()
        .filter(|n| !wanted.is_empty() && n.to_lowercase().contains(&wanted))
        .map(|n| format!("`{n}`"))
        .collect();
    if let Some(s) = crate::diag::did_you_mean(name, names.iter().copied()) {
        help.push_str(&format!("did you mean `{s}`? "));
    } else if !containing.is_empty() {
        help.push_str(&format!("did you mean {}? ", containing.join(" or ")));
    }
    help.push_str(&format!(
        "scenarios: {}",
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    Err(Diagnostics::input(
        field,
        format!("unknown scenario `{name}`"),
        Some(help),
    ))
}

/// The scenario's total of each year 1..=n (0 for a year it has no total for).
fn per_year(s: &ScenarioQuote, n: u32) -> Vec<Decimal> {
    (1..=n)
        .map(|y| {
            s.years
                .iter()
                .filter(|t| t.year == y)
                .map(|t| t.total)
                .sum()
        })
        .collect()
}

fn running(values: &[Decimal]) -> Vec<Decimal> {
    let mut sum = Decimal::ZERO;
    values
        .iter()
        .map(|v| {
            sum += *v;
            sum
        })
        .collect()
}

/// `delta / base × 100`, one decimal; `None` when the base is 0.
fn percent(delta: Decimal, base: Decimal) -> Option<Decimal> {
    if base.is_zero() {
        return None;
    }
    delta
        .checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|x| x.checked_div(base))
        .map(percent_round)
}

/// The break-even of `other` against the baseline, from their cumulative costs.
fn break_even(base: &str, bc: &[Decimal], other: &str, oc: &[Decimal]) -> BreakEven {
    let n = bc.len();
    let sign = |y: usize| (bc[y] - oc[y]).cmp(&Decimal::ZERO);
    let first = if n == 0 { Ordering::Equal } else { sign(0) };
    let crossing = (1..n).find(|&y| sign(y) != first);
    let horizon = if n == 1 {
        "1 year".to_owned()
    } else {
        format!("{n} years")
    };
    let (year, b, o) = match crossing {
        Some(y) => (Some(y as u32 + 1), bc[y], oc[y]),
        None if n > 0 => (None, bc[n - 1], oc[n - 1]),
        None => (None, Decimal::ZERO, Decimal::ZERO),
    };
    // X was cheaper after year 1 (or they were equal), Y dearer.
    let (x, xc, y_name, yc) = if first == Ordering::Greater {
        (other, o, base, b)
    } else {
        (base, b, other, o)
    };
    let text = match year {
        Some(yr) if first == Ordering::Equal => {
            let (hi, hc, lo, lc) = if b > o {
                (base, b, other, o)
            } else {
                (other, o, base, b)
            };
            format!(
                "{hi} and {lo} cost the same in year 1; from year {yr} {hi}'s cumulative cost \
                 is higher: {} vs {}",
                grouped(hc),
                grouped(lc)
            )
        }
        Some(yr) if xc == yc => format!(
            "{x}'s cumulative cost catches up with {y_name}'s in year {yr}: {} vs {}",
            grouped(xc),
            grouped(yc)
        ),
        Some(yr) => format!(
            "{x}'s cumulative cost overtakes {y_name}'s in year {yr}: {} vs {}",
            grouped(xc),
            grouped(yc)
        ),
        None if first == Ordering::Equal => format!(
            "never within {horizon}: {other} and {base} cost the same every year ({} after \
             year {n})",
            grouped(b)
        ),
        None => format!(
            "never within {horizon}: {x} stays cheaper than {y_name} ({} vs {} after year {n})",
            grouped(xc),
            grouped(yc)
        ),
    };
    BreakEven {
        baseline: base.to_owned(),
        scenario: other.to_owned(),
        year,
        baseline_cumulative: b,
        scenario_cumulative: o,
        text,
    }
}

/// A percentage rounded to one decimal, half away from zero.
pub(crate) fn percent_round(p: Decimal) -> Decimal {
    let mut r = p.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    if r.is_zero() {
        r = Decimal::ZERO;
    }
    r
}

//! Contracts and moves over time: when each purchase falls, the bridge renewals a move forces,
//! and what the crossing costs (labour, the project, training, swing hosts).
//!
//! A quote year is the 12 months from the scenario's purchase date (year 1 = the first 12); a
//! payment counts in the year its date falls in. A plan's licences are bought on its start and
//! its subscriptions and support paid on each anniversary of it: its start is the scenario's
//! purchase date, or the day after the contract it keeps ends, or the `start` of its move.
//! Without contracts and starts every purchase falls where it always did.

use rust_decimal::Decimal;

use crate::date::Date;
use crate::estate::{Contract, CostField, Costs, InputTable, Plan};
use crate::money::grouped_unit;
use crate::pricebook::{Confidence, Item};
use crate::quote::{ALL_CLUSTERS, Expr, Input, Line, LineKind, PriceSource, Rule, costs_citation};
use crate::shared::Shared;

use super::Pricer;

/// When an item's purchases fall: horizon years `first..=last` (1-based), the first on
/// `start` and each later one on its anniversary.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Window {
    pub(super) first: u32,
    pub(super) last: u32,
    pub(super) start: Date,
}

impl Window {
    /// Every year of the horizon from the purchase date: how a quote without moves buys.
    pub(super) fn whole(date: Date, years: u32) -> Window {
        Window {
            first: 1,
            last: years,
            start: date,
        }
    }

    /// From `start` to the end of the horizon, or `None` when `start` falls after it.
    pub(super) fn from(start: Date, base: Date, years: u32) -> Option<Window> {
        let first = year_of(start, base, years)?;
        Some(Window {
            first,
            last: years,
            start,
        })
    }

    /// Whether horizon year `year` pays.
    pub(super) fn pays(&self, year: u32) -> bool {
        (self.first..=self.last).contains(&year)
    }

    /// The date year `year`'s payment falls due: the window's start or an anniversary of it;
    /// before the window, the anniversary of the purchase date.
    pub(super) fn due(&self, year: u32, base: Date) -> Date {
        let shifted = if year >= self.first {
            self.start.add_months(12 * (year - self.first))
        } else {
            base.add_months(12 * year.saturating_sub(1))
        };
        shifted.unwrap_or(base)
    }

    /// `units` with the years outside the window set to 0.
    pub(super) fn mask(&self, units: &mut [u64]) {
        for (y, u) in units.iter_mut().enumerate() {
            if !self.pays(y as u32 + 1) {
                *u = 0;
            }
        }
    }
}

/// The horizon year `date` falls in, counted from `base`; `None` after the horizon. A date
/// before `base` is year 1.
pub(crate) fn year_of(date: Date, base: Date, years: u32) -> Option<u32> {
    let year = base.months_until(date) / 12 + 1;
    (year <= years).then_some(year)
}

/// Whole months from `from` to `to`, a part month counted whole.
fn months_covering(from: Date, to: Date) -> u32 {
    let m = from.months_until(to);
    match from.add_months(m) {
        Some(d) if d < to => m + 1,
        _ => m,
    }
}

/// The term a renewal buys: `given`, else the shortest term the item sells that covers
/// `months`, else its longest (bought again as often as needed); `None` for an item sold
/// without terms (a year at a time).
fn renewal_term(item: &Item, months: u32, given: Option<u32>) -> Option<u32> {
    let terms = item.terms();
    if let Some(t) = given.filter(|t| terms.contains(t)) {
        return Some(t);
    }
    terms
        .iter()
        .copied()
        .find(|t| t * 12 >= months)
        .or_else(|| terms.last().copied())
}

/// How a plan's item is bought over time, and the words its lines add.
pub(super) struct Timing<'a> {
    pub(super) window: Option<Window>,
    pub(super) term: Option<u32>,
    pub(super) contract: Option<&'a Contract>,
    pub(super) why: String,
    /// A renewal of a contract that ended before the purchase date: late-renewal rules hold.
    pub(super) late: bool,
}

impl<'a> Pricer<'a> {
    /// When `item`, which `plan` keeps on cluster `ci`, is bought: from the day after the
    /// contract covering it ends (a renewal, on the plan's term or the shortest covering the
    /// rest of the horizon), else from the plan's start. `None` window: nothing in the
    /// horizon.
    pub(super) fn timing(
        &self,
        plan: &Plan,
        ci: usize,
        item: &'a Item,
        id: &crate::ids::ItemRef,
    ) -> Timing<'a> {
        let (base, years) = (self.date, self.estate.years);
        let contract = self.estate.contracts_of(ci).find(|c| c.item == *id);
        match contract {
            Some(c) => {
                let renew = c.ends.next_day().unwrap_or(c.ends).max(base);
                let window = Window::from(renew, base, years);
                let end = base.add_months(12 * years).unwrap_or(base);
                let term = renewal_term(item, months_covering(renew, end), plan.term_years);
                let is_late = c.ends.next_day().is_some_and(|d| d < base);
                let late = if is_late {
                    text!(", late: it ended before the purchase date")
                } else {
                    String::new()
                };
                let why = match window {
                    Some(_) => text!(
                        "under contract `{}` until {}, renewed from {renew}{late}",
                        c.name,
                        c.ends
                    ),
                    None => text!(
                        "under contract `{}` until {}, past the horizon",
                        c.name,
                        c.ends
                    ),
                };
                Timing {
                    window,
                    term,
                    contract: Some(c),
                    why,
                    late: is_late && window.is_some(),
                }
            }
            None => {
                let start = plan.start.unwrap_or(base).max(base);
                let why = match plan.start {
                    Some(s) => text!("from the move's start on {s}"),
                    None => String::new(),
                };
                Timing {
                    window: Window::from(start, base, years),
                    term: plan.term_years,
                    contract: None,
                    why,
                    late: false,
                }
            }
        }
    }

    /// The bridge renewal of a contract whose item the plan leaves: the old item is still
    /// needed from the day after the contract ends until the move finishes (start + migration
    /// months), bought on the shortest term covering that (whole terms are paid, each year on
    /// its anniversary, as far as the horizon reaches). `None` when the move finishes first.
    pub(super) fn bridge(
        &self,
        plan: &Plan,
        c: &'a Contract,
        item: &'a Item,
    ) -> Option<Timing<'a>> {
        let (base, years) = (self.date, self.estate.years);
        let start = plan.start.unwrap_or(base).max(base);
        let leave = start.add_months(plan.migration_months)?;
        let renew = c.ends.next_day()?.max(base);
        if leave <= renew {
            return None;
        }
        let months = months_covering(renew, leave);
        let term = renewal_term(item, months, None);
        let per = term.unwrap_or(1);
        let terms = months.div_ceil(12 * per);
        let first = year_of(renew, base, years)?;
        let window = Window {
            first,
            last: (first + terms * per - 1).min(years),
            start: renew,
        };
        let last_day = leave.previous_day().unwrap_or(leave);
        let why = text!(
            "bridge renewal of contract `{}` (ended {}) from {renew} while the move runs to {last_day}: {months} months, {terms} × {per}-year term",
            c.name,
            c.ends
        );
        Some(Timing {
            window: Some(window),
            term,
            contract: Some(c),
            why,
            late: c.ends.next_day().is_some_and(|d| d < base),
        })
    }
}

fn source(field: &str) -> PriceSource {
    PriceSource {
        source: costs_citation(field).into(),
        confidence: Confidence::Estate,
        note: None,
    }
}

/// One move of a scenario: the cluster, its VMs, the target book and the window.
pub(super) struct Move {
    pub(super) cluster: Shared,
    pub(super) vms: u64,
    /// `vms` as a formula of the cluster's inputs, where it is one (no growth to the start).
    pub(super) vms_expr: Option<Expr>,
    pub(super) target: String,
    pub(super) start: Date,
    pub(super) months: u32,
}

/// The crossing's costs: each move's labour spread over its months, the project once on the
/// first start, training once per target book, swing hosts for the months the moves run.
pub(super) fn migration_lines(
    costs: &Costs,
    moves: &[Move],
    base: Date,
    years: u32,
    all: &Shared,
) -> Vec<(Line, Date)> {
    let mut out = Vec::new();
    let cost = |f: CostField| Some(std::sync::Arc::new(Expr::input(Input::Cost(f))));
    let mut push = |cluster: &Shared,
                    date: Date,
                    kind,
                    item,
                    name,
                    qty: Decimal,
                    unit: Decimal,
                    rule: String,
                    field: &str,
                    formula: Option<std::sync::Arc<Expr>>,
                    quantity: Option<std::sync::Arc<Expr>>| {
        let Some(year) = year_of(date, base, years) else {
            return;
        };
        let mut line = Line::new(
            cluster.clone(),
            year,
            kind,
            item,
            name,
            qty,
            unit,
            Vec::new(),
            Rule(rule),
            source(field),
        );
        line.unit_formula = formula;
        line.quantity_formula = quantity;
        out.push((line, date));
    };
    if let Some(rate) = costs.migration_per_vm {
        for m in moves {
            let n = m.months.max(1);
            for (k, moved) in (0..n).zip(crate::estate::spread_evenly(m.vms, m.months)) {
                let Some(date) = m.start.add_months(k) else {
                    continue;
                };
                if moved == 0 {
                    continue;
                }
                // Month k (from 0) of n moves ⌈(VMs − k) ÷ n⌉ whole VMs: the even split.
                let moved_formula = m.vms_expr.as_ref().map(|v| {
                    let left = if k == 0 {
                        v.clone()
                    } else {
                        v.clone() - Expr::num(k)
                    };
                    std::sync::Arc::new(Expr::ceil_div(left, Expr::num(n)))
                });
                push(
                    &m.cluster,
                    date,
                    LineKind::Migration,
                    "costs/migration",
                    "Migration labour",
                    Decimal::from(moved),
                    rate,
                    text!(
                        "{} VMs moved evenly over {n} month(s) from {}: {moved} in month {} of {n} × {} per VM",
                        m.vms,
                        m.start,
                        k + 1,
                        grouped_unit(rate)
                    ),
                    "migration_per_vm",
                    cost(CostField::MigrationPerVm),
                    moved_formula,
                );
            }
        }
    }
    let Some(first) = moves.iter().map(|m| m.start).min() else {
        return out;
    };
    if let Some(fixed) = costs.migration_fixed {
        push(
            all,
            first,
            LineKind::Migration,
            PROJECT,
            "Migration project",
            Decimal::ONE,
            fixed,
            text!("once for the scenario, on the first move's start ({first})"),
            "migration_fixed",
            cost(CostField::MigrationFixed),
            None,
        );
    }
    if let Some(training) = costs.training {
        let mut targets: Vec<(&str, Date)> = Vec::new();
        for m in moves {
            match targets.iter_mut().find(|(t, _)| *t == m.target) {
                Some((_, d)) => *d = (*d).min(m.start),
                None => targets.push((&m.target, m.start)),
            }
        }
        for (target, date) in targets {
            push(
                all,
                date,
                LineKind::Migration,
                TRAINING,
                "Training",
                Decimal::ONE,
                training,
                text!("once for moving to {target}, on the first such move's start ({date})"),
                "training",
                cost(CostField::Training),
                None,
            );
        }
    }
    if let (Some(n), Some(price)) = (
        costs.swing_hosts.filter(|n| *n > 0),
        costs.hardware_per_host,
    ) {
        let end = moves
            .iter()
            .filter_map(|m| m.start.add_months(m.months.max(1)))
            .max()
            .unwrap_or(first);
        push(
            all,
            first,
            LineKind::Hardware,
            SWING_HOSTS,
            "Swing hosts",
            Decimal::from(n),
            price,
            text!(
                "{n} swing hosts for the moves, bought on the first start ({first}) × {} each",
                grouped_unit(price)
            ),
            "swing_hosts",
            cost(CostField::HardwarePerHost),
            None,
        );
        out.extend(running_lines(costs, n, first, end, base, years, all));
    }
    out
}

/// The swing hosts' power and facilities from `first` to `end`, a line per year and kind for
/// the months of the span that start in it.
fn running_lines(
    costs: &Costs,
    n: u32,
    first: Date,
    end: Date,
    base: Date,
    years: u32,
    all: &Shared,
) -> Vec<(Line, Date)> {
    let mut out = Vec::new();
    let months = first.months_until(end);
    // The months the swing hosts run, counted in the year each month starts in.
    let mut by_year: Vec<(u32, u32, Date)> = Vec::new();
    for k in 0..months {
        let Some(d) = first.add_months(k) else {
            continue;
        };
        let Some(y) = year_of(d, base, years) else {
            continue;
        };
        match by_year.iter_mut().find(|(yy, _, _)| *yy == y) {
            Some((_, m, _)) => *m += 1,
            None => by_year.push((y, 1, d)),
        }
    }
    let power = host_power_year(costs);
    let kinds = [
        (
            power,
            LineKind::Power,
            "costs/swing-hosts-power",
            "Swing hosts power",
            " (W × PUE × per kWh × hours / 1000)",
            power_formula(),
        ),
        (
            costs.facilities_per_host_year,
            LineKind::Facilities,
            "costs/swing-hosts-facilities",
            "Swing hosts facilities",
            "",
            Some(std::sync::Arc::new(Expr::input(Input::Cost(
                CostField::FacilitiesPerHostYear,
            )))),
        ),
    ];
    for (year, m, date) in by_year {
        // Host-months, each at a twelfth of the host-year (a whole count, not a fraction).
        let host_months = u64::from(n) * u64::from(m);
        for (unit, kind, item, name, how, formula) in &kinds {
            let Some(unit) = unit else { continue };
            let per_month = *unit / Decimal::from(12);
            let mut line = Line::new(
                all.clone(),
                year,
                *kind,
                *item,
                *name,
                Decimal::from(host_months),
                per_month,
                Vec::new(),
                Rule(text!(
                    "{n} swing hosts × {m} month(s) = {host_months} host-months × {} per host-year{how} ÷ 12",
                    grouped_unit(*unit)
                )),
                source("swing_hosts"),
            );
            line.unit_formula = formula
                .clone()
                .map(|f| std::sync::Arc::new((*f).clone() / Expr::num(Decimal::from(12))));
            out.push((line, date));
        }
    }
    out
}

/// What the swing hosts cost to run from `first` to `end`, per horizon year, exactly as the
/// quote's lines: the schedule's bound (widening the span never lowers it).
pub(crate) fn swing_running(
    costs: &Costs,
    first: Date,
    end: Date,
    base: Date,
    years: u32,
) -> Vec<(u32, Decimal)> {
    let (Some(n), Some(_)) = (
        costs.swing_hosts.filter(|n| *n > 0),
        costs.hardware_per_host,
    ) else {
        return Vec::new();
    };
    let all = Shared::from(ALL_CLUSTERS);
    running_lines(costs, n, first, end, base, years, &all)
        .into_iter()
        .map(|(l, _)| (l.year, l.amount))
        .collect()
}

/// A host's power for a year under the estate's figures (W × PUE × per kWh × hours / 1000),
/// when it gives them.
fn host_power_year(costs: &Costs) -> Option<Decimal> {
    match (
        costs.watts_per_host,
        costs.kwh_price,
        costs.used(CostField::Pue),
        costs.used(CostField::HoursPerYear),
    ) {
        (Some(w), Some(k), Some((pue, _)), Some((h, _))) => {
            Some(w * pue * k * h / Decimal::from(1000))
        }
        _ => None,
    }
}

/// Item ids of the crossing's one-off lines, the same for every schedule of a scenario.
pub(crate) const PROJECT: &str = "costs/migration-project";
pub(crate) const TRAINING: &str = "costs/training";
pub(crate) const SWING_HOSTS: &str = "costs/swing-hosts";

/// A host's power for a year as a formula of the estate's figures, as opex writes it.
fn power_formula() -> Option<std::sync::Arc<Expr>> {
    let cost = |f: CostField| Expr::input(Input::Cost(f));
    let fields = [
        CostField::WattsPerHost,
        CostField::Pue,
        CostField::KwhPrice,
        CostField::HoursPerYear,
    ];
    Expr::product(fields.map(cost)).map(|p| std::sync::Arc::new(p / Expr::num(Decimal::from(1000))))
}

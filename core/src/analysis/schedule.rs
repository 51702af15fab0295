//! `schedule`: the start month of each move of a scenario that costs least, exactly.
//!
//! Each moving cluster (a plan that names a `start` or leaves an item under contract) may
//! start on the first day of any month from the scenario's purchase date until its move can
//! still finish by the deadline (default: the horizon's last day). The VMs in motion each
//! month — each move's VMs spread evenly over its months, as its labour is — must stay within
//! `max_vms_per_month` when given.
//!
//! Method: branch and bound over clusters, exact. A cluster's own lines (its licences, the
//! renewal its move forces, its labour) depend only on its own start, so one quote per cluster
//! and month gives each cluster's cost of each start, `own[c][s]`. The scenario-wide lines
//! (the project, training, swing hosts and their running, order top-ups) are what couples
//! the moves; the one-offs are the same for every schedule (every start lies in the horizon),
//! and the rest costs 0 or more. So a partial schedule costs at least its clusters' own costs,
//! plus the cheapest own cost of each cluster not yet placed, plus the one-offs: a bound no
//! schedule under it can beat. Every complete schedule the search reaches is priced by a
//! full quote, and the best is returned only if every cluster's own cost in it is the one the
//! bound assumed (else the result would not be proven, and it is refused). The search stops
//! with a refusal after [`MAX_EVALUATIONS`] full quotes, rather than return a schedule it
//! could not prove optimal.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::date::Date;
use crate::diag::Diagnostics;
use crate::estate::{Estate, spread_evenly};
use crate::money::{grouped, ser};
use crate::pricebook::PricebookSet;
use crate::quote::{ALL_CLUSTERS, Line, ScenarioQuote};

/// Full quotes the search may price before it refuses to claim an optimum.
pub const MAX_EVALUATIONS: u64 = 20_000;

/// Search nodes (partial schedules) the search may visit before it refuses.
pub const MAX_NODES: u64 = 20_000_000;

/// Scenario-wide lines whose amount no schedule changes when every move starts and ends
/// within the horizon: the migration project, training and the swing hosts' purchase.
pub const ONE_OFF_ITEMS: &[&str] = &[
    "costs/migration-project",
    "costs/training",
    "costs/swing-hosts",
];

/// What to minimise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Objective {
    /// The scenario's total over the horizon.
    Total,
    /// Its net present value at the estate's discount rate.
    Npv,
}

impl Objective {
    /// The word on the command line and in JSON.
    pub fn word(self) -> &'static str {
        match self {
            Objective::Total => "total",
            Objective::Npv => "npv",
        }
    }

    /// Every objective, for `--objective`.
    pub const ALL: [Objective; 2] = [Objective::Total, Objective::Npv];
}

/// What to schedule, by when, within what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The scenario whose moves are scheduled.
    pub scenario: String,
    /// Every move finishes by this day (default: the horizon's last day).
    pub deadline: Option<Date>,
    /// VMs in motion in any month, at most.
    pub max_vms_per_month: Option<u64>,
    /// What to minimise.
    pub objective: Objective,
}

/// The cheapest schedule, beside the scenario as written.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Schedule {
    /// Contract version, 1.
    pub format: u32,
    /// `schedule`.
    pub command: &'static str,
    /// `hypercost-core <version>`.
    pub engine: String,
    /// Estate name.
    pub estate: String,
    /// Currency of every amount.
    pub currency: String,
    /// The scenario.
    pub scenario: String,
    /// What was minimised.
    pub objective: Objective,
    /// Every move finishes by this day.
    pub deadline: Date,
    /// VMs in motion in any month, at most, when limited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_vms_per_month: Option<u64>,
    /// Each moving cluster's window, in cluster order.
    pub schedule: Vec<Slot>,
    /// The scenario's total with this schedule.
    #[serde(serialize_with = "ser::money")]
    pub total: Decimal,
    /// Its NPV.
    #[serde(serialize_with = "ser::money")]
    pub npv: Decimal,
    /// The scenario as written: its total.
    #[serde(serialize_with = "ser::money")]
    pub as_written_total: Decimal,
    /// The scenario as written: its NPV.
    #[serde(serialize_with = "ser::money")]
    pub as_written_npv: Decimal,
    /// What the schedule saves on the objective against the scenario as written.
    #[serde(serialize_with = "ser::money")]
    pub saving: Decimal,
    /// The scenario as written breaks a constraint (its moves end after the deadline, or move
    /// more VMs in a month than allowed); the saving is then against a schedule not allowed.
    pub as_written_feasible: bool,
    /// VMs in motion each month of the chosen schedule, from the first start.
    pub vms_in_motion: Vec<MonthLoad>,
    /// How the optimum was found and proven.
    pub method: String,
    /// Full quotes priced.
    pub evaluations: u64,
    /// What the reader should know.
    pub notes: Vec<String>,
    /// The estate with the chosen starts (written by `-o FILE.toml`).
    #[serde(skip)]
    pub estate_with_schedule: Option<Estate>,
}

/// One move's window.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Slot {
    /// The cluster.
    pub cluster: String,
    /// The first day of the move.
    pub start: Date,
    /// The last day both platforms run (the move's last month's last day).
    pub end: Date,
    /// Migration months (the plan's; a move without any takes its labour in one month).
    pub months: u32,
    /// VMs moved.
    pub vms: u64,
    /// The start as written (`None`: the purchase date).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written_start: Option<Date>,
    /// The last day of each contract the cluster leaves.
    pub contract_ends: Vec<Date>,
}

/// VMs in motion in one month.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MonthLoad {
    /// The month's first day.
    pub month: Date,
    /// VMs moved in it.
    pub vms: u64,
}

/// One moving cluster: its plan, candidate starts and its own cost of each.
struct Mover {
    plan: usize,
    cluster: usize,
    name: String,
    months: u32,
    vms: u64,
    starts: Vec<Date>,
    /// Own cost (objective measure, unrounded) of each start, in `starts` order.
    own: Vec<Decimal>,
    /// Indices into `starts`, cheapest own cost first.
    order: Vec<usize>,
}

/// Finds the schedule of `options.scenario`'s moves that minimises the objective.
pub fn schedule(
    estate: &Estate,
    books: &PricebookSet,
    options: &Options,
) -> Result<Schedule, Diagnostics> {
    let Some(si) = estate
        .scenarios
        .iter()
        .position(|s| s.name == options.scenario)
    else {
        let names: Vec<&str> = estate.scenarios.iter().map(|s| s.name.as_str()).collect();
        return Err(Diagnostics::input(
            "scenario",
            format!("no scenario `{}`", options.scenario),
            Some(format!("scenarios: {}", names.join(", "))),
        ));
    };
    // Price the one scenario only.
    let mut base = estate.clone();
    base.scenarios = vec![estate.scenarios[si].clone()];
    let scenario = &base.scenarios[0];
    let date = base.purchase_date_of(scenario);
    let horizon_end = date
        .add_months(12 * base.years)
        .and_then(Date::previous_day)
        .unwrap_or(date);
    let deadline = options.deadline.unwrap_or(horizon_end);
    if deadline > horizon_end {
        return Err(Diagnostics::input(
            "deadline",
            format!("--deadline {deadline} is after the horizon's last day, {horizon_end}"),
            Some(format!(
                "a move past the horizon would cost nothing in the quote: give a deadline up to {horizon_end}, or a longer `years`"
            )),
        ));
    }
    if options.max_vms_per_month == Some(0) {
        return Err(Diagnostics::input(
            "max-vms-per-month",
            "--max-vms-per-month 0 lets no VM move".to_owned(),
            Some("give at least 1".into()),
        ));
    }
    let first_month = if date.day == 1 {
        Some(date)
    } else {
        Date::new(date.year, date.month, 1)
            .ok()
            .and_then(|d| d.add_months(1))
    };
    let mut movers = Vec::new();
    for (pi, plan) in scenario.plans.iter().enumerate() {
        if !base.moves(plan) {
            continue;
        }
        let cl = &base.clusters[plan.cluster];
        let vms = u64::from(cl.vms.unwrap_or(0));
        let mut starts = Vec::new();
        let mut at = first_month;
        while let Some(s) = at {
            let Some(done) = s.add_months(plan.migration_months.max(1)) else {
                break;
            };
            if done.previous_day().is_none_or(|end| end > deadline) {
                break;
            }
            starts.push(s);
            at = s.add_months(1);
        }
        if starts.is_empty() {
            return Err(Diagnostics::input(
                "deadline",
                format!(
                    "cluster `{}` needs {} month(s) to move and cannot finish by {deadline}: the earliest start is {}",
                    cl.name,
                    plan.migration_months.max(1),
                    first_month.map_or_else(|| date.to_string(), |d| d.to_string())
                ),
                Some("give a later --deadline, or fewer migration_months".into()),
            ));
        }
        if let Some(cap) = options.max_vms_per_month {
            let peak = spread_evenly(vms, plan.migration_months)
                .into_iter()
                .max()
                .unwrap_or(0);
            if peak > cap {
                return Err(Diagnostics::input(
                    "max-vms-per-month",
                    format!(
                        "cluster `{}` moves {peak} VMs in a month ({vms} over {} month(s)), more than --max-vms-per-month {cap}",
                        cl.name,
                        plan.migration_months.max(1)
                    ),
                    Some("allow more VMs a month, or give the plan more migration_months".into()),
                ));
            }
        }
        movers.push(Mover {
            plan: pi,
            cluster: plan.cluster,
            name: cl.name.clone(),
            months: plan.migration_months,
            vms,
            starts,
            own: Vec::new(),
            order: Vec::new(),
        });
    }
    if movers.is_empty() {
        return Err(Diagnostics::input(
            "scenario",
            format!("scenario `{}` moves no cluster", options.scenario),
            Some(
                "a plan moves when it names `start` or leaves an item a [[contract]] covers on its cluster"
                    .into(),
            ),
        ));
    }
    let objective = options.objective;
    let rate = base
        .costs
        .as_ref()
        .and_then(|c| c.discount_rate)
        .unwrap_or_default();
    let factors = discount_factors(rate, base.years);
    let measure = |lines: &mut dyn Iterator<Item = &Line>| -> Decimal {
        lines
            .map(|l| match objective {
                Objective::Total => l.amount,
                Objective::Npv => l.amount / factors[l.year as usize - 1],
            })
            .sum()
    };
    let mut evaluations = 0u64;
    let mut price = |starts: &[(usize, Date)]| -> (Estate, ScenarioQuote) {
        let mut e = base.clone();
        for (pi, d) in starts {
            e.scenarios[0].plans[*pi].start = Some(*d);
        }
        evaluations += 1;
        let q = crate::quote(&e, books);
        let s = q
            .scenarios
            .into_iter()
            .next()
            .unwrap_or_else(empty_scenario);
        (e, s)
    };
    // Each cluster's own cost of each start, the others as written.
    for m in &mut movers {
        for s in &m.starts {
            let (_, q) = price(&[(m.plan, *s)]);
            m.own.push(measure(
                &mut q.lines.iter().filter(|l| *l.cluster == *m.name),
            ));
        }
        let mut order: Vec<usize> = (0..m.starts.len()).collect();
        order.sort_by(|&a, &b| m.own[a].cmp(&m.own[b]).then(a.cmp(&b)));
        m.order = order;
    }
    // The widest spread first: placing it early bounds the rest best.
    movers.sort_by(|a, b| spread(b).cmp(&spread(a)).then(a.plan.cmp(&b.plan)));
    let as_written = price(&[]).1;
    let one_offs = one_off_bound(&as_written.lines, objective, &factors);
    // Rounding of each year's present value to cents: the NPV may sit below the unrounded sum
    // by up to half a cent a year.
    let slack = match objective {
        Objective::Total => Decimal::ZERO,
        Objective::Npv => Decimal::new(5, 3) * Decimal::from(base.years),
    };
    let suffix_min: Vec<Decimal> = {
        let mut v = vec![Decimal::ZERO; movers.len() + 1];
        for i in (0..movers.len()).rev() {
            let min = movers[i]
                .order
                .first()
                .map_or(Decimal::ZERO, |&k| movers[i].own[k]);
            v[i] = v[i + 1] + min;
        }
        v
    };
    let cap = options.max_vms_per_month;
    let months_span = first_month.map_or(0, |f| f.months_until(deadline) + 1) as usize;
    let mut search = Search {
        movers: &movers,
        suffix_min: &suffix_min,
        floor: one_offs - slack,
        cap,
        origin: first_month.unwrap_or(date),
        load: vec![0; months_span],
        chosen: Vec::with_capacity(movers.len()),
        best: None,
        nodes: 0,
        evaluated: 0,
        stop: None,
        objective,
        measure: &measure,
        price: &mut price,
    };
    search.go(0, Decimal::ZERO);
    if let Some(stop) = search.stop {
        return Err(stop);
    }
    let best = search.best;
    let Some(Best {
        starts,
        estate: chosen,
        quote: q,
        ..
    }) = best
    else {
        return Err(infeasible(options, deadline));
    };
    let written_value = match objective {
        Objective::Total => as_written.total,
        Objective::Npv => as_written.npv,
    };
    let value = match objective {
        Objective::Total => q.total,
        Objective::Npv => q.npv,
    };
    let mut slots: Vec<Slot> = movers
        .iter()
        .filter_map(|m| {
            let (_, start) = starts.iter().find(|(pi, _)| *pi == m.plan)?;
            let end = start
                .add_months(m.months.max(1))
                .and_then(Date::previous_day)
                .unwrap_or(*start);
            Some(Slot {
                cluster: m.name.clone(),
                start: *start,
                end,
                months: m.months,
                vms: m.vms,
                written_start: scenario.plans[m.plan].start,
                contract_ends: base
                    .contracts_of(m.cluster)
                    .filter(|c| !scenario.plans[m.plan].keeps(&c.item))
                    .map(|c| c.ends)
                    .collect(),
            })
        })
        .collect();
    slots.sort_by_key(|s| {
        base.clusters
            .iter()
            .position(|c| c.name == s.cluster)
            .unwrap_or(usize::MAX)
    });
    let written_starts: Vec<(u64, u32, Date)> = movers
        .iter()
        .map(|m| {
            let s = scenario.plans[m.plan].start.unwrap_or(date).max(date);
            (m.vms, m.months, s)
        })
        .collect();
    let as_written_feasible = written_starts.iter().all(|(_, months, s)| {
        s.add_months((*months).max(1))
            .and_then(Date::previous_day)
            .is_some_and(|end| end <= deadline)
    }) && cap.is_none_or(|c| peak_load(&written_starts) <= c);
    let chosen_loads: Vec<(u64, u32, Date)> =
        slots.iter().map(|s| (s.vms, s.months, s.start)).collect();
    let mut notes = Vec::new();
    if !as_written_feasible {
        notes.push(
            "the scenario as written breaks the deadline or the monthly VM limit: the saving is against a schedule that is not allowed"
                .to_owned(),
        );
    }
    notes.push(format!(
        "{} move(s) over {} candidate start month(s); {} full quotes priced",
        movers.len(),
        movers.iter().map(|m| m.starts.len()).sum::<usize>(),
        evaluations
    ));
    let mut chosen = chosen;
    // The estate written back holds every scenario, the scheduled one with its new starts.
    let mut full = estate.clone();
    full.scenarios[si] = chosen.scenarios.remove(0);
    Ok(Schedule {
        format: 1,
        command: "schedule",
        engine: crate::ENGINE.to_owned(),
        estate: estate.name.clone(),
        currency: estate.currency.clone(),
        scenario: options.scenario.clone(),
        objective,
        deadline,
        max_vms_per_month: cap,
        schedule: slots,
        total: q.total,
        npv: q.npv,
        as_written_total: as_written.total,
        as_written_npv: as_written.npv,
        saving: written_value - value,
        as_written_feasible,
        vms_in_motion: monthly_load(&chosen_loads),
        method: "branch and bound over each move's start month: a cluster's own cost depends only on its own start (one quote per cluster and month), the scenario-wide one-offs are the same for every schedule and the rest is never negative, so a partial schedule's bound never exceeds what any completion costs; every schedule that could beat the best is priced by a full quote".to_owned(),
        evaluations,
        notes,
        estate_with_schedule: Some(full),
    })
}

/// Year y's discount divisor, (1 + rate)^(y − 1).
fn discount_factors(rate: Decimal, years: u32) -> Vec<Decimal> {
    let mut out = Vec::new();
    let mut f = Decimal::ONE;
    for y in 0..years {
        if y > 0 {
            f *= Decimal::ONE + rate;
        }
        out.push(f);
    }
    out
}

/// The one-offs every schedule pays, at their least: their amount (total), or discounted by
/// the last year's divisor (NPV).
fn one_off_bound(lines: &[Line], objective: Objective, factors: &[Decimal]) -> Decimal {
    let sum: Decimal = lines
        .iter()
        .filter(|l| *l.cluster == *ALL_CLUSTERS && ONE_OFF_ITEMS.contains(&&*l.item))
        .map(|l| l.amount)
        .sum();
    match (objective, factors.last()) {
        (Objective::Npv, Some(f)) => sum / *f,
        _ => sum,
    }
}

fn spread(m: &Mover) -> Decimal {
    let min = m.order.first().map_or(Decimal::ZERO, |&k| m.own[k]);
    let max = m.order.last().map_or(Decimal::ZERO, |&k| m.own[k]);
    max - min
}

/// VMs in motion each month, from the first start to the last end.
fn monthly_load(moves: &[(u64, u32, Date)]) -> Vec<MonthLoad> {
    let Some(first) = moves.iter().map(|m| m.2).min() else {
        return Vec::new();
    };
    let mut out: Vec<MonthLoad> = Vec::new();
    for (vms, months, start) in moves {
        let offset = first.months_until(*start) as usize;
        for (k, n) in spread_evenly(*vms, *months).into_iter().enumerate() {
            while out.len() <= offset + k {
                let month = first.add_months(out.len() as u32).unwrap_or(first);
                out.push(MonthLoad { month, vms: 0 });
            }
            out[offset + k].vms += n;
        }
    }
    out
}

fn peak_load(moves: &[(u64, u32, Date)]) -> u64 {
    monthly_load(moves).iter().map(|m| m.vms).max().unwrap_or(0)
}

fn too_hard(limit: u64, what: &str) -> Diagnostics {
    Diagnostics::input(
        "scenario",
        format!(
            "cannot prove a schedule optimal within {} {what}",
            grouped(Decimal::from(limit)).trim_end_matches(".00")
        ),
        Some("narrow the search: an earlier --deadline, fewer moving clusters, or fix some plans' `start`".into()),
    )
}

fn infeasible(options: &Options, deadline: Date) -> Diagnostics {
    match options.max_vms_per_month {
        Some(cap) => Diagnostics::input(
            "max-vms-per-month",
            format!(
                "no schedule moves every cluster by {deadline} with at most {cap} VMs in motion a month"
            ),
            Some("the binding constraint is the monthly VM limit with this deadline: allow more VMs a month or a later --deadline".into()),
        ),
        None => Diagnostics::input(
            "deadline",
            format!("no schedule finishes every move by {deadline}"),
            Some("give a later --deadline".into()),
        ),
    }
}

fn empty_scenario() -> ScenarioQuote {
    ScenarioQuote {
        name: String::new(),
        purchase_date: Date {
            year: 2000,
            month: 1,
            day: 1,
        },
        compliant: false,
        problems: Vec::new(),
        notes: Vec::new(),
        total: Decimal::ZERO,
        years: Vec::new(),
        npv: Decimal::ZERO,
        cost_per_vm_year: None,
        doubtful_lines: 0,
        doubtful: Vec::new(),
        lines: Vec::new(),
    }
}

/// The best complete schedule priced so far.
struct Best {
    value: Decimal,
    starts: Vec<(usize, Date)>,
    estate: Estate,
    quote: ScenarioQuote,
}

type Price<'p> = dyn FnMut(&[(usize, Date)]) -> (Estate, ScenarioQuote) + 'p;
type Measure<'p> = dyn Fn(&mut dyn Iterator<Item = &Line>) -> Decimal + 'p;

/// The depth-first search over moves, each placed at one of its starts, cheapest own cost
/// first; a complete schedule whose bound can beat the best is priced by a full quote.
struct Search<'m, 'p> {
    movers: &'m [Mover],
    /// The cheapest own costs of the moves from each depth on.
    suffix_min: &'m [Decimal],
    /// What every schedule pays besides its clusters' own costs, at least.
    floor: Decimal,
    cap: Option<u64>,
    origin: Date,
    /// VMs in motion per month from `origin`, of the moves placed.
    load: Vec<u64>,
    chosen: Vec<(usize, Date)>,
    best: Option<Best>,
    nodes: u64,
    evaluated: u64,
    /// Why the search gave up without a proof.
    stop: Option<Diagnostics>,
    objective: Objective,
    measure: &'p Measure<'p>,
    price: &'p mut Price<'p>,
}

impl Search<'_, '_> {
    fn beaten(&self, bound: Decimal) -> bool {
        self.best.as_ref().is_some_and(|b| bound >= b.value)
    }

    fn go(&mut self, depth: usize, own: Decimal) {
        if self.stop.is_some() {
            return;
        }
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            self.stop = Some(too_hard(MAX_NODES, "partial schedules"));
            return;
        }
        if depth == self.movers.len() {
            self.leaf(own);
            return;
        }
        let m = &self.movers[depth];
        for &k in &m.order {
            let with = own + m.own[k];
            // Starts come cheapest first: once one cannot beat the best, none after it can.
            if self.beaten(with + self.suffix_min[depth + 1] + self.floor) {
                break;
            }
            let start = m.starts[k];
            let offset = self.origin.months_until(start) as usize;
            let moved = spread_evenly(m.vms, m.months);
            if let Some(cap) = self.cap
                && moved
                    .iter()
                    .enumerate()
                    .any(|(i, n)| self.load.get(offset + i).copied().unwrap_or(0) + n > cap)
            {
                continue;
            }
            for (i, n) in moved.iter().enumerate() {
                if let Some(l) = self.load.get_mut(offset + i) {
                    *l += n;
                }
            }
            self.chosen.push((m.plan, start));
            self.go(depth + 1, with);
            self.chosen.pop();
            for (i, n) in moved.iter().enumerate() {
                if let Some(l) = self.load.get_mut(offset + i) {
                    *l -= n;
                }
            }
            if self.stop.is_some() {
                return;
            }
        }
    }

    /// Prices a complete schedule and keeps it if it is the best; checks the bound's premise.
    fn leaf(&mut self, own: Decimal) {
        if self.beaten(own + self.floor) {
            return;
        }
        if self.evaluated >= MAX_EVALUATIONS {
            self.stop = Some(too_hard(MAX_EVALUATIONS, "full quotes"));
            return;
        }
        self.evaluated += 1;
        let starts = self.chosen.clone();
        let (estate, quote) = (self.price)(&starts);
        for (plan, start) in &starts {
            let Some(m) = self.movers.iter().find(|m| m.plan == *plan) else {
                continue;
            };
            let k = m.starts.iter().position(|s| s == start).unwrap_or(0);
            let mine = (self.measure)(&mut quote.lines.iter().filter(|l| *l.cluster == *m.name));
            if mine != m.own[k] {
                self.stop = Some(Diagnostics::input(
                    "scenario",
                    format!(
                        "cannot prove a schedule optimal: cluster `{}`'s own cost depends on the other moves' starts",
                        m.name
                    ),
                    Some("compare starts by hand with `quote`: this scenario couples its clusters beyond what the search bounds".into()),
                ));
                return;
            }
        }
        let value = match self.objective {
            Objective::Total => quote.total,
            Objective::Npv => quote.npv,
        };
        if self.best.as_ref().is_none_or(|b| value < b.value) {
            self.best = Some(Best {
                value,
                starts,
                estate,
                quote,
            });
        }
    }
}

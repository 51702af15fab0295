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
//! bound assumed (else the result would not be proven, and it is refused).
//!
//! Two refinements keep it exact at 20 clusters × 36 months where the moves interact:
//! - **Coupling classes.** Order top-ups (a bridge renewal of 64 cores where the minimum order
//!   is 72) are scenario-wide lines the bound cannot see, so many schedules tie on the bound
//!   and each would need a quote. They depend only on the clusters' lines of items with order
//!   minimums, pools or instances (`engine::couples_plans`), so starts whose such lines are
//!   equal form one class; once a schedule of some classes is priced, every schedule of the
//!   same classes is valued without a quote (and the best is always re-priced, refusing if the
//!   value differs).
//! - **The monthly limit, relaxed.** With `--max-vms-per-month`, each month's VMs in motion
//!   get a multiplier λ ≥ 0 (subgradient ascent at the root, Polyak steps towards a greedy
//!   schedule); the moves still to place cost at least Σ min over starts of (own + λ · their
//!   VMs in motion) − λ · the room left each month (Lagrangian relaxation), a much tighter
//!   bound than each move's cheapest start when the limit forces moves apart.
//!
//! The search stops with a refusal after [`MAX_EVALUATIONS`] full quotes or [`MAX_NODES`]
//! partial schedules, rather than return a schedule it could not prove optimal; the refusal
//! gives the best schedule's value found and the bound no schedule can beat.

use rust_decimal::{Decimal, RoundingStrategy};
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
pub const MAX_NODES: u64 = 3_000_000;

/// Scenario-wide lines whose amount no schedule changes when every move starts and ends
/// within the horizon: the migration project, training and the swing hosts' purchase.
use crate::engine::transition::{PROJECT, SWING_HOSTS, TRAINING, swing_running, year_of};

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
    /// Partial schedules the search may visit before it refuses (`None`: [`MAX_NODES`]).
    pub node_limit: Option<u64>,
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

impl Schedule {
    /// The edits that write the chosen starts into `estate`'s text (`start = DATE` on every
    /// plan whose start changed), for [`crate::estate::edit_text`]: the CLI's `-o FILE.toml`
    /// and the page both apply them, keeping the user's comments.
    pub fn start_edits(&self, estate: &Estate) -> Vec<crate::estate::Edit> {
        let Some(chosen) = &self.estate_with_schedule else {
            return Vec::new();
        };
        let mut edits = Vec::new();
        for (i, (was, now)) in estate.scenarios.iter().zip(&chosen.scenarios).enumerate() {
            for (j, (p, q)) in was.plans.iter().zip(&now.plans).enumerate() {
                if let (true, Some(d)) = (p.start != q.start, q.start) {
                    edits.push(crate::estate::Edit::Set {
                        path: format!("scenario[{i}].plan[{j}].start"),
                        value: crate::estate::EditValue::Date(d),
                    });
                }
            }
        }
        edits
    }
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
    /// Of each start, its coupling class: two starts share one when the cluster's lines of
    /// items that can add scenario-wide lines (order minimums, pools, instances:
    /// `engine::couples_plans`) are the same, so the schedule-wide lines they add are too.
    class: Vec<u32>,
    /// Of each start, its own cost plus its VMs in motion priced at the monthly limit's
    /// multipliers (`multipliers`); the own cost when there is no limit.
    pen: Vec<Decimal>,
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
            class: Vec::new(),
            pen: Vec::new(),
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
            .map(|l| measured(l.amount, l.year, objective, &factors))
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
    // Whether a line's item can add scenario-wide lines with other plans' purchases.
    let couples = |l: &Line| {
        crate::ItemRef::parse(&l.item)
            .ok()
            .and_then(|r| books.item(&r))
            .is_some_and(|(book, item)| crate::engine::couples_plans(book, item))
    };
    // Each cluster's own cost of each start, the others as written, and its coupling class.
    for m in &mut movers {
        let mut signatures: Vec<String> = Vec::new();
        for s in &m.starts {
            let (_, q) = price(&[(m.plan, *s)]);
            let mine = || q.lines.iter().filter(|l| *l.cluster == *m.name);
            m.own.push(measure(&mut mine()));
            let mut signature = String::new();
            for l in mine().filter(|l| couples(l)) {
                signature.push_str(&format!(
                    "{}|{}|{:?}|{:?}|{}|{}|{}|{}\n",
                    l.item, l.name, l.kind, l.due, l.year, l.quantity, l.unit_price, l.amount
                ));
            }
            let class = match signatures.iter().position(|x| *x == signature) {
                Some(i) => i,
                None => {
                    signatures.push(signature);
                    signatures.len() - 1
                }
            };
            m.class.push(class as u32);
        }
        let mut order: Vec<usize> = (0..m.starts.len()).collect();
        order.sort_by(|&a, &b| m.own[a].cmp(&m.own[b]).then(a.cmp(&b)));
        m.order = order;
    }
    // The widest spread first: placing it early bounds the rest best.
    movers.sort_by(|a, b| spread(b).cmp(&spread(a)).then(a.plan.cmp(&b.plan)));
    let (written_estate, as_written) = price(&[]);
    // Rounding of each year's present value to cents: the NPV may sit below the unrounded sum
    // by up to half a cent a year.
    // The swing hosts run from the first start to the last move's end: their cost over each
    // span of months from `origin`, exactly as the quote's lines (monotone as it widens).
    let origin = first_month.unwrap_or(date);
    let span_months = origin.months_until(deadline) + 2;
    let running: Vec<Vec<Decimal>> = (0..=span_months)
        .map(|a| {
            (0..=span_months)
                .map(
                    |b| match (&base.costs, origin.add_months(a), origin.add_months(b)) {
                        (Some(c), Some(first), Some(end)) if b > a => measure_years(
                            &swing_running(c, first, end, date, base.years),
                            objective,
                            &factors,
                        ),
                        _ => Decimal::ZERO,
                    },
                )
                .collect()
        })
        .collect();
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
    let lambda = match cap {
        Some(cap) => multipliers(&movers, origin, months_span, cap),
        None => Vec::new(),
    };
    for m in &mut movers {
        m.pen = penalised(m, origin, &lambda);
    }
    let suffix_pen: Vec<Decimal> = {
        let mut v = vec![Decimal::ZERO; movers.len() + 1];
        for i in (0..movers.len()).rev() {
            let min = movers[i].pen.iter().min().copied().unwrap_or_default();
            v[i] = v[i + 1] + min;
        }
        v
    };
    // The one-offs: the project and the swing hosts on the first start, training on each
    // target's first start; the same amounts for every schedule, discounted by when.
    let all_lines = || {
        as_written
            .lines
            .iter()
            .filter(|l| *l.cluster == *ALL_CLUSTERS)
    };
    let on_first: Vec<Decimal> = all_lines()
        .filter(|l| *l.item == *PROJECT || *l.item == *SWING_HOSTS)
        .map(|l| l.amount)
        .collect();
    let training: Vec<Decimal> = all_lines()
        .find(|l| *l.item == *TRAINING)
        .map(|l| l.amount)
        .into_iter()
        .collect();
    let at_offset = |amounts: &[Decimal]| -> Vec<Decimal> {
        (0..=span_months)
            .map(|o| {
                let year = origin
                    .add_months(o)
                    .and_then(|d| year_of(d, date, base.years))
                    .unwrap_or(base.years);
                amounts
                    .iter()
                    .map(|a| measured(*a, year, objective, &factors))
                    .sum()
            })
            .collect()
    };
    let (first_one_offs, training) = (at_offset(&on_first), at_offset(&training));
    let mut targets: Vec<&str> = Vec::new();
    let target: Vec<usize> = movers
        .iter()
        .map(|m| {
            let book = scenario.plans[m.plan].edition.book.0.as_str();
            match targets.iter().position(|t| *t == book) {
                Some(i) => i,
                None => {
                    targets.push(book);
                    targets.len() - 1
                }
            }
        })
        .collect();
    let suffix_vms: Vec<u64> = {
        let mut v = vec![0u64; movers.len() + 1];
        for i in (0..movers.len()).rev() {
            v[i] = v[i + 1].saturating_add(movers[i].vms);
        }
        v
    };
    let mut search = Search {
        movers: &movers,
        suffix_min: &suffix_min,
        suffix_pen: &suffix_pen,
        lambda: &lambda,
        suffix_vms: &suffix_vms,
        running: &running,
        first_one_offs: &first_one_offs,
        training: &training,
        target: &target,
        targets: targets.len(),
        first: None,
        first_of: vec![None; targets.len()],
        cap,
        origin: first_month.unwrap_or(date),
        load: vec![0; months_span],
        chosen: Vec::with_capacity(movers.len()),
        classes: Vec::with_capacity(movers.len()),
        rest: std::collections::HashMap::new(),
        known: 0,
        floor: Decimal::ZERO,
        node_limit: options.node_limit.unwrap_or(MAX_NODES),
        best: None,
        nodes: 0,
        evaluated: 0,
        stop: None,
        objective,
        measure: &measure,
        price: &mut price,
    };
    search.floor = suffix_min[0].max(
        suffix_pen[0]
            - lambda
                .iter()
                .map(|l| *l * Decimal::from(cap.unwrap_or(0)))
                .sum::<Decimal>(),
    ) + search.one_offs(None, &vec![None; targets.len()]);
    search.go(0, Decimal::ZERO, None);
    let known = search.known;
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
    // A tie keeps the schedule as written: a move is proposed only when it saves something.
    let (starts, chosen, q, value) = if as_written_feasible && written_value <= value {
        let written: Vec<(usize, Date)> = movers
            .iter()
            .map(|m| {
                (
                    m.plan,
                    scenario.plans[m.plan].start.unwrap_or(date).max(date),
                )
            })
            .collect();
        (written, written_estate, as_written.clone(), written_value)
    } else {
        (starts, chosen, q, value)
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
        "{} move(s) over {} candidate start month(s); {} full quotes priced{}",
        movers.len(),
        movers.iter().map(|m| m.starts.len()).sum::<usize>(),
        evaluations,
        if known > 0 {
            format!(", {known} more schedules valued from their coupling classes")
        } else {
            String::new()
        }
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
        method: "branch and bound over each move's start month: a cluster's own cost depends only on its own start (one quote per cluster and month), the scenario-wide one-offs are the same for every schedule and the rest is never negative, so a partial schedule's bound never exceeds what any completion costs; a monthly VM limit is relaxed with multipliers (Lagrangian bound); every schedule that could beat the best is priced by a full quote, or valued from one of the same coupling classes".to_owned(),
        evaluations,
        notes,
        estate_with_schedule: Some(full),
    })
}

/// Multipliers of the monthly limit, one per month from `origin`, for the Lagrangian bound:
/// any multipliers of 0 or more give a valid bound, these make it tight. Subgradient ascent
/// with Polyak steps towards a feasible schedule's own costs (moves placed greedily), the
/// step's scale halved when the bound stops rising (Held and Karp's rule), in decimals (the
/// multipliers price VMs in money); the best multipliers found are kept.
fn multipliers(movers: &[Mover], origin: Date, months: usize, cap: u64) -> Vec<Decimal> {
    const STEPS: u32 = 300;
    const PATIENCE: u32 = 10;
    let cap_d = Decimal::from(cap);
    let mut lambda = vec![Decimal::ZERO; months];
    let Some(upper) = greedy(movers, origin, months, cap) else {
        return lambda;
    };
    let mut best = (Decimal::MIN, lambda.clone());
    let mut scale = Decimal::TWO;
    let mut stale = 0;
    for _ in 0..STEPS {
        let mut load = vec![0u64; months];
        let mut value = -lambda.iter().map(|l| *l * cap_d).sum::<Decimal>();
        for m in movers {
            let pen = penalised(m, origin, &lambda);
            let Some((k, p)) = pen.iter().enumerate().min_by(|a, b| a.1.cmp(b.1)) else {
                continue;
            };
            value += *p;
            let offset = origin.months_until(m.starts[k]) as usize;
            for (i, n) in spread_evenly(m.vms, m.months).into_iter().enumerate() {
                if let Some(l) = load.get_mut(offset + i) {
                    *l += n;
                }
            }
        }
        if value > best.0 {
            best = (value, lambda.clone());
            stale = 0;
        } else {
            stale += 1;
            if stale >= PATIENCE {
                scale /= Decimal::TWO;
                stale = 0;
            }
        }
        // The subgradient: each month's VMs in motion over the limit (negative: room left,
        // which lowers a multiplier only while it is above 0).
        let g: Vec<Decimal> = load
            .iter()
            .zip(&lambda)
            .map(|(used, l)| {
                let g = Decimal::from(*used) - cap_d;
                if l.is_zero() && g.is_sign_negative() {
                    Decimal::ZERO
                } else {
                    g
                }
            })
            .collect();
        let norm: Decimal = g.iter().map(|x| *x * *x).sum();
        if norm.is_zero() || upper <= value || scale < Decimal::new(1, 4) {
            break;
        }
        let step = scale * (upper - value) / norm;
        for (l, g) in lambda.iter_mut().zip(&g) {
            *l = (*l + step * *g).max(Decimal::ZERO).round_dp(6);
        }
    }
    best.1
}

/// The own costs of a feasible schedule, if placing each move at its cheapest start that
/// still fits under the monthly limit finds one.
fn greedy(movers: &[Mover], origin: Date, months: usize, cap: u64) -> Option<Decimal> {
    let mut load = vec![0u64; months];
    let mut total = Decimal::ZERO;
    for m in movers {
        let moved = spread_evenly(m.vms, m.months);
        let k = m.order.iter().copied().find(|&k| {
            let offset = origin.months_until(m.starts[k]) as usize;
            moved
                .iter()
                .enumerate()
                .all(|(i, n)| load.get(offset + i).is_some_and(|l| l + n <= cap))
        })?;
        let offset = origin.months_until(m.starts[k]) as usize;
        for (i, n) in moved.iter().enumerate() {
            if let Some(l) = load.get_mut(offset + i) {
                *l += n;
            }
        }
        total += m.own[k];
    }
    Some(total)
}

/// Each start's own cost plus its VMs in motion priced at `lambda`.
fn penalised(m: &Mover, origin: Date, lambda: &[Decimal]) -> Vec<Decimal> {
    let moved = spread_evenly(m.vms, m.months);
    m.starts
        .iter()
        .zip(&m.own)
        .map(|(s, own)| {
            let offset = origin.months_until(*s) as usize;
            *own + moved
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    lambda.get(offset + i).copied().unwrap_or_default() * Decimal::from(*n)
                })
                .sum::<Decimal>()
        })
        .collect()
}

/// Per-year amounts in the objective's measure.
fn measure_years(amounts: &[(u32, Decimal)], objective: Objective, factors: &[Decimal]) -> Decimal {
    amounts
        .iter()
        .map(|(y, a)| measured(*a, *y, objective, factors))
        .sum()
}

/// One line's amount in the objective's measure: as it is, or its present value rounded to
/// 12 places — the same rounding for every part, so the bound's parts add up to a leaf's
/// value exactly.
fn measured(amount: Decimal, year: u32, objective: Objective, factors: &[Decimal]) -> Decimal {
    match (objective, factors.get(year as usize - 1)) {
        (Objective::Npv, Some(f)) => (amount / *f).round_dp(12),
        _ => amount,
    }
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
        range: None,
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

/// One start of a move: the bound it gives, its index, the span, first start and first start
/// of its target once placed.
type Choice = (Decimal, usize, Option<(u32, u32)>, Option<u32>, Option<u32>);

/// The depth-first search over moves, each placed at one of its starts in order of the bound
/// it gives (own cost, the swing hosts' wider span, earlier one-offs); a complete schedule
/// whose bound can beat the best is priced by a full quote.
struct Search<'m, 'p> {
    movers: &'m [Mover],
    /// The cheapest own costs of the moves from each depth on.
    suffix_min: &'m [Decimal],
    /// The cheapest penalised costs (`Mover::pen`) of the moves from each depth on.
    suffix_pen: &'m [Decimal],
    /// The monthly limit's multipliers, per month from `origin` (empty without a limit).
    lambda: &'m [Decimal],
    /// VMs of the moves from each depth on.
    suffix_vms: &'m [u64],
    /// The swing hosts' running over each span of months `[a][b]` from `origin`.
    running: &'m [Vec<Decimal>],
    /// The one-offs dated on the first start (the project, the swing hosts), and training
    /// dated on each target's first start, in the objective's measure for each month offset
    /// (earlier is never cheaper: the later a start, the more it is discounted).
    first_one_offs: &'m [Decimal],
    training: &'m [Decimal],
    /// Each mover's target, as an index into the targets.
    target: &'m [usize],
    targets: usize,
    cap: Option<u64>,
    origin: Date,
    /// VMs in motion per month from `origin`, of the moves placed.
    load: Vec<u64>,
    chosen: Vec<(usize, Date)>,
    /// The coupling class of each move placed, in search order.
    classes: Vec<u32>,
    /// What the scenario-wide lines beyond the one-offs and the swing hosts' running (order
    /// top-ups, pools, instances) cost, by the coupling classes of a complete schedule: once
    /// priced, a schedule of the same classes is known without a quote.
    rest: std::collections::HashMap<Vec<u32>, Decimal>,
    /// Complete schedules valued from `rest` without a quote.
    known: u64,
    /// What every schedule costs at least (the bound at the root).
    floor: Decimal,
    node_limit: u64,
    /// The first start (month offset) of all moves placed, and of each target's.
    first: Option<u32>,
    first_of: Vec<Option<u32>>,
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
    /// The refusal when the search runs out of room: what it found, and how far from the
    /// best any schedule can be.
    fn too_hard(&self, limit: u64, what: &str) -> Diagnostics {
        let count = |n: u64| grouped(Decimal::from(n)).trim_end_matches(".00").to_owned();
        let floor = self
            .floor
            .round_dp_with_strategy(2, RoundingStrategy::ToNegativeInfinity);
        let found = match &self.best {
            Some(b) => {
                let value = b.value.round_dp(2);
                let gap = if value.is_zero() {
                    Decimal::ZERO
                } else {
                    ((value - floor) * Decimal::ONE_HUNDRED / value).round_dp(2)
                };
                format!(
                    "; the best found has a {} of {}, and no schedule has less than {} ({gap} % below)",
                    self.objective.word(),
                    grouped(value),
                    grouped(floor)
                )
            }
            None => format!(
                "; none found yet, and no schedule has a {} below {}",
                self.objective.word(),
                grouped(floor)
            ),
        };
        Diagnostics::input(
            "scenario",
            format!("cannot prove a schedule optimal within {} {what}{found}", count(limit)),
            Some("narrow the search: an earlier --deadline, fewer moving clusters, more --max-vms-per-month, or fix some plans' `start`".into()),
        )
    }

    /// The swing hosts' running over `span`, at least.
    fn running(&self, span: Option<(u32, u32)>) -> Decimal {
        span.and_then(|(s, e)| self.running.get(s as usize)?.get(e as usize).copied())
            .unwrap_or_default()
    }

    /// The swing hosts' running at least, once the moves from `depth` on are placed too: the
    /// cheapest span containing `span` whose months have room (under the monthly limit) for
    /// their VMs and the `placing` VMs about to be placed, as if VMs could be split freely.
    fn running_to_fit(&self, span: Option<(u32, u32)>, placing: u64, depth: usize) -> Decimal {
        let (Some(cap), Some((s, e))) = (self.cap, span) else {
            return self.running(span);
        };
        let need = self.suffix_vms[depth].saturating_add(placing);
        let room = |a: u32, b: u32| -> u64 {
            (a..b)
                .map(|i| cap.saturating_sub(self.load.get(i as usize).copied().unwrap_or(cap)))
                .sum()
        };
        let months = self.load.len() as u32;
        let mut best: Option<Decimal> = None;
        for a in 0..=s {
            for b in e..=months.max(e) {
                if room(a, b) >= need {
                    let r = self.running(Some((a, b)));
                    best = Some(best.map_or(r, |x: Decimal| x.min(r)));
                    break;
                }
            }
        }
        best.unwrap_or_else(|| self.running(span))
    }

    /// The one-offs at least, with the first starts `first` and `first_of` (a target not yet
    /// placed: at its latest, the last offset).
    fn one_offs(&self, first: Option<u32>, first_of: &[Option<u32>]) -> Decimal {
        let last = self.first_one_offs.len().saturating_sub(1);
        let at = |o: Option<u32>| o.map_or(last, |o| (o as usize).min(last));
        let mut sum = self
            .first_one_offs
            .get(at(first))
            .copied()
            .unwrap_or_default();
        for t in 0..self.targets {
            sum += self
                .training
                .get(at(first_of.get(t).copied().flatten()))
                .copied()
                .unwrap_or_default();
        }
        sum
    }

    fn beaten(&self, bound: Decimal) -> bool {
        self.best.as_ref().is_some_and(|b| bound >= b.value)
    }

    /// Whether the moves from `depth` on can still fit under the monthly limit: their VMs
    /// against the room left in the months they could use.
    fn room_for(&self, depth: usize) -> bool {
        let Some(cap) = self.cap else {
            return true;
        };
        let room: u64 = self.load.iter().map(|l| cap.saturating_sub(*l)).sum();
        self.suffix_vms[depth] <= room
    }

    /// Places the moves from `depth` on; `own` is the own cost of those placed and `span` the
    /// months from `origin` of their first start and their last move's end.
    fn go(&mut self, depth: usize, own: Decimal, span: Option<(u32, u32)>) {
        if self.stop.is_some() {
            return;
        }
        self.nodes += 1;
        if self.nodes > self.node_limit {
            self.stop = Some(self.too_hard(self.node_limit, "partial schedules"));
            return;
        }
        if depth == self.movers.len() {
            let first_of = self.first_of.clone();
            self.leaf(own + self.running(span) + self.one_offs(self.first, &first_of));
            return;
        }
        if !self.room_for(depth) {
            return;
        }
        let m = &self.movers[depth];
        let t = self.target[depth];
        // The room left each month, priced at the multipliers: the moves still to place
        // fill no more than it, so their own costs are at least their cheapest penalised
        // costs less this (Lagrangian relaxation of the monthly limit).
        let priced_room: Decimal = match self.cap {
            Some(cap) => self
                .lambda
                .iter()
                .zip(&self.load)
                .map(|(l, used)| *l * Decimal::from(cap.saturating_sub(*used)))
                .sum(),
            None => Decimal::ZERO,
        };
        // Each start with the bound it gives, best first.
        let mut options: Vec<Choice> = m
            .order
            .iter()
            .map(|&k| {
                let offset = self.origin.months_until(m.starts[k]);
                let (a, b) = (offset, offset + m.months.max(1));
                let wider = Some(span.map_or((a, b), |(s, e)| (s.min(a), e.max(b))));
                let first = Some(self.first.map_or(offset, |f| f.min(offset)));
                let first_t = Some(self.first_of[t].map_or(offset, |f| f.min(offset)));
                let mut first_of = self.first_of.clone();
                first_of[t] = first_t;
                let rest = (m.own[k] + self.suffix_min[depth + 1])
                    .max(m.pen[k] + self.suffix_pen[depth + 1] - priced_room);
                let bound = own
                    + rest
                    + self.running_to_fit(wider, m.vms, depth + 1)
                    + self.one_offs(first, &first_of);
                (bound, k, wider, first, first_t)
            })
            .collect();
        options.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        for (bound, k, wider, first, first_t) in options {
            // Best first: once one cannot beat the best, none after it can.
            if self.beaten(bound) {
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
            let (was_first, was_t) = (self.first, self.first_of[t]);
            self.first = first;
            self.first_of[t] = first_t;
            self.chosen.push((m.plan, start));
            self.classes.push(m.class[k]);
            self.go(depth + 1, own + m.own[k], wider);
            self.chosen.pop();
            self.classes.pop();
            self.first = was_first;
            self.first_of[t] = was_t;
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
    /// `bound` is what it costs at least: its clusters' own costs, the swing hosts' running
    /// and the one-offs.
    fn leaf(&mut self, bound: Decimal) {
        if self.beaten(bound) {
            return;
        }
        let predicted = self.rest.get(&self.classes).map(|r| bound + r);
        if let Some(p) = predicted
            && self.beaten(p)
        {
            self.known += 1;
            return;
        }
        if self.evaluated >= MAX_EVALUATIONS {
            self.stop = Some(self.too_hard(MAX_EVALUATIONS, "full quotes"));
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
        // The NPV is minimised before each year's rounding to cents, so the bound adds up.
        let value = match self.objective {
            Objective::Total => quote.total,
            Objective::Npv => (self.measure)(&mut quote.lines.iter()),
        };
        match predicted {
            // The classes did not decide the scenario-wide lines: nothing valued from them
            // can be trusted.
            Some(p) if p != value => {
                self.stop = Some(Diagnostics::input(
                    "scenario",
                    "cannot prove a schedule optimal: the scenario-wide lines depend on more than the moves' purchases of items with order minimums, pools or instances".to_owned(),
                    Some("compare starts by hand with `quote`".into()),
                ));
                return;
            }
            Some(_) => {}
            None => {
                self.rest.insert(self.classes.clone(), value - bound);
            }
        }
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

//! The compiled evaluator: a quote's structure built once, its arithmetic re-evaluated per
//! point.
//!
//! A what-if point (a sweep's grid point, a sensitivity step, an uncertainty draw) changes a
//! few numbers: estate [`Field`]s and pricebook figures ([`PriceAt`]). Most change only the
//! arithmetic of the lines that read them: a unit price, an exchange rate, a `[costs]` figure
//! a line's formula reads, a negotiated discount, the escalation, the NPV's rate. Those are
//! *arithmetic* variables: a plan compiled from one full quote holds every line that reads
//! one as typed expressions over numbered slots (the engine's own [`Expr`]s, constants
//! folded), and a point re-evaluates only the lines that read a slot it changes, with the
//! engine's own step rules and its one rounding ([`crate::money::line_amount`]). Everything else a point can
//! change is *structural* (cluster counts, the horizon, a `[costs]` figure the engine decides
//! on, a price the engine compares): a point that changes one is quoted in full on the changed
//! estate, and the plan compiled from that quote is kept, so later points with the same
//! structural values (the other axis of a grid, every draw of an uncertain price at one VM
//! count) are arithmetic again.
//!
//! Whatever path a point takes, its result is `quote` of the changed estate, line by line:
//! anything the plan cannot prove it evaluates exactly (a line whose formula is missing, an
//! amount out of range, a price the engine derives from another) falls back to the full quote.
//! `tests/e2e/eval.rs` checks the equality on thousands of random estates and points.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::diag::Diagnostics;
use crate::engine::finance;
use crate::engine::line::{escalation_factor, escalation_percent, negotiated_percent};
use crate::estate::{CostField, Estate, Field, InputTable};
use crate::money::{factored_amount, step_factor};
use crate::pricebook::{Confidence, PricebookSet, SupportBasis};
use crate::quote::{Expr, Input, Line, PriceKind, PriceRef, Quote, StepOrigin};

mod price;

pub use price::{PriceAt, prices_used, upgrade_price_is_free_of_choice, with_price, with_prices};

/// What a point may change: an estate field or a pricebook figure.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Var {
    /// A numeric estate field.
    Field(Field),
    /// A pricebook figure.
    Price(PriceAt),
}

/// The most lines the kept plans may hold together; the oldest plans are dropped beyond it
/// (a point is never wrong for it, only quoted again).
pub const MAX_PLAN_LINES: usize = 2_000_000;

/// Whether points are compiled (feature `compiled`); without it every point is quoted in
/// full, with the same results, and the plan code is left out of the build (the page's
/// module).
const COMPILED: bool = cfg!(feature = "compiled");

/// The most plans kept (each point looks through them for one it fits).
pub const MAX_PLANS: usize = 64;

/// Plans compiled in a row that no later point used, after which points that need a full
/// quote are quoted without compiling (every draw of an uncertain upgrade price is its own
/// structure); compiling is tried again every [`RETRY_AFTER`] such points.
const WASTED_LIMIT: u32 = 4;

/// See [`WASTED_LIMIT`].
const RETRY_AFTER: u32 = 256;

/// One scenario's result at a point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioAt {
    /// Its total over the horizon.
    pub total: Decimal,
    /// Each year's total (year 1 first).
    pub years: Vec<Decimal>,
    /// Whether it is compliant.
    pub compliant: bool,
}

/// Every scenario's result at a point, in estate order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Per scenario.
    pub scenarios: Vec<ScenarioAt>,
    /// The discount rate at the point (the NPV's).
    pub rate: Decimal,
}

impl Outcome {
    /// Scenario `k`'s net present value at the point's rate, as the quote computes it
    /// (computed when asked: a sweep never needs it).
    pub fn npv(&self, k: usize) -> Option<Decimal> {
        let s = self.scenarios.get(k)?;
        Some(finance::npv(s.years.iter().copied(), self.rate))
    }

    /// The cheapest compliant scenario (the first in estate order on a tie), as the quote's
    /// ranking gives it.
    pub fn cheapest(&self) -> Option<usize> {
        self.scenarios
            .iter()
            .enumerate()
            .filter(|(_, s)| s.compliant)
            .min_by_key(|(i, s)| (s.total, *i))
            .map(|(i, _)| i)
    }
}

/// How many points took each path (for benchmarks and tests).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Points evaluated on a kept plan.
    pub evaluated: u64,
    /// Points quoted in full (a plan was compiled from each).
    pub quoted: u64,
}

/// A variable interned in an [`Evaluator`] ([`Evaluator::var`]): points given by id are
/// evaluated without comparing or cloning variables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VarId(u32);

/// The compiled evaluator of one estate and its pricebooks.
pub struct Evaluator<'b> {
    base: Estate,
    books: &'b PricebookSet,
    /// Interned variables and their values in the base estate and books.
    vars: Vec<Var>,
    base_values: Vec<Option<Decimal>>,
    /// Each field's range as the estate reader checks it (`None`: a price).
    bounds: Vec<Option<crate::estate::Bounds>>,
    plans: Vec<Plan>,
    held: usize,
    last: usize,
    stats: Stats,
    /// Scratch: slot values at the point, lines to recompute and their new amounts.
    values: Vec<Decimal>,
    seen: Vec<u32>,
    stamp: u32,
    dirty: Vec<(u32, Decimal, Option<Decimal>)>,
    given: Vec<usize>,
    given_values: Vec<(usize, Decimal)>,
    slot_seen: Vec<u32>,
    class_seen: Vec<u32>,
    group_seen: Vec<u32>,
    cents: Vec<i128>,
    class_value: Vec<(Decimal, Option<Decimal>)>,
    undo: Vec<(usize, Decimal)>,
    undo_factors: Vec<(usize, Option<Decimal>)>,
    undo_groups: Vec<(u32, Option<Decimal>)>,
    ids: Vec<(VarId, Decimal)>,
    /// A quoted point's outcome, when its plan was not kept.
    out: Outcome,
    /// Compiled plans in a row that no point used since, and points quoted without
    /// compiling since then.
    wasted: u32,
    skipped: u32,
}

impl<'b> Evaluator<'b> {
    /// The evaluator of `estate` priced on `books`; the base point's plan is compiled now.
    pub fn new(estate: &Estate, books: &'b PricebookSet) -> Evaluator<'b> {
        if COMPILED {
            Evaluator::with_quote(estate, books, &crate::quote(estate, books))
        } else {
            Evaluator::unplanned(estate, books)
        }
    }

    /// [`Evaluator::new`] for a caller that already has `q`, the quote of `estate` on
    /// `books` (so the base is not quoted twice).
    pub fn with_quote(estate: &Estate, books: &'b PricebookSet, q: &Quote) -> Evaluator<'b> {
        let mut e = Evaluator::unplanned(estate, books);
        if COMPILED {
            e.keep(Plan::compile(&[], (estate, books), (estate, books), q));
        }
        e
    }

    /// The evaluator without any plan yet.
    fn unplanned(estate: &Estate, books: &'b PricebookSet) -> Evaluator<'b> {
        Evaluator {
            base: estate.clone(),
            books,
            vars: Vec::new(),
            base_values: Vec::new(),
            bounds: Vec::new(),
            plans: Vec::new(),
            held: 0,
            last: 0,
            stats: Stats::default(),
            values: Vec::new(),
            seen: Vec::new(),
            stamp: 0,
            dirty: Vec::new(),
            given: Vec::new(),
            given_values: Vec::new(),
            slot_seen: Vec::new(),
            class_seen: Vec::new(),
            group_seen: Vec::new(),
            cents: Vec::new(),
            class_value: Vec::new(),
            undo: Vec::new(),
            undo_factors: Vec::new(),
            undo_groups: Vec::new(),
            ids: Vec::new(),
            out: Outcome::default(),
            wasted: 0,
            skipped: 0,
        }
    }

    /// How many points took each path so far.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// The id of `var`, interned on first use.
    pub fn var(&mut self, var: &Var) -> VarId {
        if let Some(i) = self.vars.iter().position(|v| v == var) {
            return VarId(i as u32);
        }
        self.vars.push(var.clone());
        self.base_values
            .push(base_value(var, (&self.base, self.books)));
        self.bounds.push(match var {
            Var::Field(f) => Some(f.bounds()),
            Var::Price(_) => None,
        });
        VarId(self.vars.len() as u32 - 1)
    }

    fn point_of(&self, ids: &[(VarId, Decimal)]) -> Vec<(Var, Decimal)> {
        ids.iter()
            .map(|(id, v)| (self.vars[id.0 as usize].clone(), *v))
            .collect()
    }

    /// The estate and pricebooks at `point`, as a full quote sees them; an error names a
    /// value the estate reader would refuse.
    pub fn changed(
        &self,
        point: &[(Var, Decimal)],
    ) -> Result<(Estate, Option<PricebookSet>), Diagnostics> {
        let mut estate = self.base.clone();
        let mut prices = Vec::new();
        let mut any_field = false;
        for (var, value) in point {
            match var {
                Var::Field(f) => {
                    f.put(&mut estate, *value)?;
                    any_field = true;
                }
                Var::Price(at) => prices.push((at, *value)),
            }
        }
        if any_field {
            Field::check_estate(&estate)?;
        }
        let books = (!prices.is_empty()).then(|| with_prices(self.books, &prices));
        Ok((estate, books))
    }

    /// Every scenario's result at `point` (each variable at most once), exactly as `quote` of
    /// the changed estate gives it; valid until the next call.
    pub fn evaluate(&mut self, point: &[(Var, Decimal)]) -> Result<&Outcome, Diagnostics> {
        let mut ids = std::mem::take(&mut self.ids);
        ids.clear();
        for (v, d) in point {
            ids.push((self.var(v), *d));
        }
        let done = self.evaluate_ids(&ids).map(|_| ());
        self.ids = ids;
        done?;
        Ok(self.outcome())
    }

    /// [`Evaluator::evaluate`] with interned variables.
    pub fn evaluate_ids(&mut self, point: &[(VarId, Decimal)]) -> Result<&Outcome, Diagnostics> {
        // A value the estate reader refuses takes the full path, which says why.
        let in_range = point.iter().all(|(id, v)| {
            self.bounds
                .get(id.0 as usize)
                .is_none_or(|b| b.is_none_or(|b| b.contains(*v)))
        });
        if COMPILED
            && in_range
            && let Some(at) = self.find(point)
            && self.run(at, point)
        {
            self.stats.evaluated += 1;
            self.last = at;
            let plan = &mut self.plans[at];
            plan.hits += 1;
            return Ok(&plan.now.outcome);
        }
        let named = self.point_of(point);
        let (estate, books) = self.changed(&named)?;
        let books = books.as_ref().unwrap_or(self.books);
        let q = crate::quote(&estate, books);
        self.stats.quoted += 1;
        // A plan is compiled and kept only when the point gives an arithmetic variable:
        // another point may then differ in that one alone. A point of structural values only
        // (a sweep of hosts) is quoted, not compiled.
        if COMPILED && named.iter().any(|(v, _)| v.is_arithmetic()) && self.worth_compiling() {
            let plan = Plan::compile(&named, (&estate, books), (&self.base, self.books), &q);
            self.keep(plan);
            return Ok(&self.plans[self.last].now.outcome);
        }
        self.out = Outcome::of(&q);
        self.last = usize::MAX;
        Ok(&self.out)
    }

    /// Whether to compile the plan of a point that was quoted: not while the last plans
    /// compiled went unused (see [`WASTED_LIMIT`]).
    fn worth_compiling(&mut self) -> bool {
        let newest_unused = self.plans.len() > 1 && self.plans.last().is_some_and(|p| p.hits == 0);
        if !newest_unused {
            self.wasted = 0;
        }
        if self.wasted < WASTED_LIMIT {
            self.wasted += u32::from(newest_unused);
            return true;
        }
        self.skipped += 1;
        if self.skipped >= RETRY_AFTER {
            self.skipped = 0;
            self.wasted = WASTED_LIMIT - 1;
        }
        false
    }

    fn outcome(&self) -> &Outcome {
        self.plans
            .get(self.last)
            .map_or(&self.out, |p| &p.now.outcome)
    }

    /// Each scenario's line amounts at `point`, in the quote's order, every line evaluated on
    /// its own (the property tests compare them with the quote's lines); `None` when the point
    /// needs a full quote.
    pub fn lines_at(&mut self, point: &[(Var, Decimal)]) -> Option<Vec<Vec<Decimal>>> {
        let ids: Vec<(VarId, Decimal)> = point.iter().map(|(v, d)| (self.var(v), *d)).collect();
        let at = self.find(&ids)?;
        let plan = &mut self.plans[at];
        plan.fill(&mut self.values, &ids, &self.vars);
        let mut out = plan.base_lines.clone();
        let factors = plan
            .derived
            .iter()
            .map(|d| d.factor(&self.values))
            .collect::<Option<Vec<_>>>()?;
        for l in &plan.lines {
            let amount = l.amount(&self.values, &factors)?;
            out[l.scenario as usize][l.index as usize] = amount;
        }
        Some(out)
    }

    /// A kept plan `point` can be evaluated on: its structural values equal the plan's.
    fn find(&mut self, point: &[(VarId, Decimal)]) -> Option<usize> {
        let n = self.plans.len();
        if n == 0 {
            return None;
        }
        let start = if self.last < n { self.last } else { n - 1 };
        (0..n)
            .map(|k| (start + k) % n)
            .find(|&i| self.plans[i].accepts(point, &self.vars, &self.base_values))
    }

    fn keep(&mut self, plan: Plan) {
        self.held += plan.size();
        self.plans.push(plan);
        // The base plan (first) stays; the oldest others go.
        while (self.held > MAX_PLAN_LINES || self.plans.len() > MAX_PLANS) && self.plans.len() > 1 {
            let gone = self.plans.remove(1);
            self.held -= gone.size();
        }
        self.last = self.plans.len() - 1;
    }

    /// Moves plan `at` to `point`: the lines that read a slot whose value changed since
    /// the plan's last point are recomputed and the totals moved by the difference. False,
    /// and the plan untouched, when a line leaves its range (the quote reports it: quoted
    /// in full).
    fn run(&mut self, at: usize, point: &[(VarId, Decimal)]) -> bool {
        let plan = &mut self.plans[at];
        // The slots the point gives, with their values; every other slot is at its default.
        self.given.clear();
        self.given_values.clear();
        for &(id, v) in point {
            if let Some(slot) = plan.slot_for(id, &self.vars) {
                self.given.push(slot);
                self.given_values.push((slot, v));
            }
        }
        // A slot can have moved only if the point gives it or the last point had it off its
        // default. Moved slots are set in place, their old values kept to undo a failure.
        self.given.extend_from_slice(&plan.now.off);
        self.given.sort_unstable();
        self.given.dedup();
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.seen.iter_mut().for_each(|s| *s = 0);
            self.slot_seen.iter_mut().for_each(|s| *s = 0);
            self.class_seen.iter_mut().for_each(|s| *s = 0);
            self.group_seen.iter_mut().for_each(|s| *s = 0);
            self.stamp = 1;
        }
        if self.seen.len() < plan.lines.len() {
            self.seen.resize(plan.lines.len(), 0);
        }
        if self.slot_seen.len() < plan.defaults.len() {
            self.slot_seen.resize(plan.defaults.len(), 0);
        }
        if self.group_seen.len() < plan.group_line.len() {
            self.group_seen.resize(plan.group_line.len(), 0);
        }
        if self.class_seen.len() < plan.classes {
            self.class_seen.resize(plan.classes, 0);
            self.class_value.resize(plan.classes, (Decimal::ZERO, None));
        }
        let now = &mut plan.now;
        self.undo.clear();
        for &slot in &self.given {
            let new = self
                .given_values
                .iter()
                .rev()
                .find(|(s, _)| *s == slot)
                .map_or(plan.defaults[slot], |(_, v)| *v);
            let old = now.values[slot];
            if new != old {
                self.undo.push((slot, old));
                now.values[slot] = new;
                self.slot_seen[slot] = self.stamp;
            }
        }
        // The derived steps' factors, recomputed where their slot moved.
        self.undo_factors.clear();
        for &(slot, _) in &self.undo {
            for &i in &plan.derived_of[slot] {
                let Some(f) = plan.derived[i].factor(&now.values) else {
                    undo(now, &self.undo, &self.undo_factors, &[]);
                    return false;
                };
                self.undo_factors.push((i, now.factors[i]));
                now.factors[i] = f;
            }
        }
        // Each moved step's groups fold their factors again, once each.
        self.undo_groups.clear();
        for k in 0..self.undo_factors.len() {
            for &g in &plan.groups_of[self.undo_factors[k].0] {
                let seen = &mut self.group_seen[g as usize];
                if *seen == self.stamp {
                    continue;
                }
                *seen = self.stamp;
                let rep = &plan.lines[plan.group_line[g as usize] as usize];
                let Some(f) = rep.factor(&now.factors) else {
                    undo(now, &self.undo, &self.undo_factors, &self.undo_groups);
                    return false;
                };
                self.undo_groups.push((g, now.groups[g as usize]));
                now.groups[g as usize] = f;
            }
        }
        self.dirty.clear();
        for &(slot, _) in &self.undo {
            for &li in &plan.dependents[slot] {
                let seen = &mut self.seen[li as usize];
                if *seen == self.stamp {
                    continue;
                }
                *seen = self.stamp;
                let l = &plan.lines[li as usize];
                let class = l.class as usize;
                if self.class_seen[class] == self.stamp {
                    let (amount, product) = self.class_value[class];
                    self.dirty.push((li, amount, product));
                    continue;
                }
                // quantity × unit again only when a slot they read moved.
                let moved = l
                    .term_slots
                    .iter()
                    .any(|&s| self.slot_seen[s] == self.stamp);
                let product = match now.products[li as usize] {
                    Some(p) if !moved => Some(p),
                    _ => l.product_at(&now.values),
                };
                let factor = now.groups[l.group as usize];
                let Some(amount) = product.and_then(|p| amount_of(p, factor)) else {
                    undo(now, &self.undo, &self.undo_factors, &self.undo_groups);
                    return false;
                };
                self.class_seen[class] = self.stamp;
                self.class_value[class] = (amount, product);
                self.dirty.push((li, amount, product));
            }
        }
        // Each line's change in whole cents (every amount is rounded to cents, scale 2), summed
        // per scenario and year, then added to the totals once each: exact, and a few
        // integer additions per line instead of two decimal ones.
        let years = now.outcome.scenarios.first().map_or(0, |s| s.years.len());
        self.cents.clear();
        self.cents.resize(now.outcome.scenarios.len() * years, 0);
        for &(li, amount, product) in &self.dirty {
            now.products[li as usize] = product;
            let l = &plan.lines[li as usize];
            let old = &mut now.amounts[li as usize];
            let at = l.scenario as usize * years + (l.year as usize).saturating_sub(1);
            match self.cents.get_mut(at) {
                Some(c) if amount.scale() == 2 && old.scale() == 2 && l.year >= 1 => {
                    *c += amount.mantissa() - old.mantissa();
                }
                _ => {
                    let delta = amount - *old;
                    let s = &mut now.outcome.scenarios[l.scenario as usize];
                    s.total += delta;
                    if let Some(y) = s.years.get_mut(l.year as usize - 1) {
                        *y += delta;
                    }
                }
            }
            *old = amount;
        }
        for (at, &c) in self.cents.iter().enumerate() {
            if c == 0 {
                continue;
            }
            // Past a decimal's 96 bits in cents (sums near 10^27), in two exact parts.
            let delta = Decimal::try_from_i128_with_scale(c, 2).unwrap_or_else(|_| {
                Decimal::from_i128_with_scale(c / 100, 0)
                    + Decimal::from_i128_with_scale(c % 100, 2)
            });
            let s = &mut now.outcome.scenarios[at / years];
            s.total += delta;
            s.years[at % years] += delta;
        }
        now.off.clear();
        now.off.extend(
            self.given
                .iter()
                .copied()
                .filter(|&s| now.values[s] != plan.defaults[s]),
        );
        now.outcome.rate = plan.rate.map_or(Decimal::ZERO, |r| now.values[r]);
        true
    }
}

/// Gives each line its group: lines with the same steps in the same order share one, whose
/// folded factor a point computes once. Returns each group's first line.
fn group(lines: &mut [LinePlan]) -> Vec<u32> {
    #[derive(Hash, PartialEq, Eq)]
    enum StepKey {
        Factor(Decimal),
        Derived(usize),
    }
    let mut groups: std::collections::HashMap<Vec<StepKey>, u32> = std::collections::HashMap::new();
    let mut first = Vec::new();
    for (i, l) in lines.iter_mut().enumerate() {
        let steps = l
            .steps
            .iter()
            .map(|s| match s {
                Step::Factor(f) => StepKey::Factor(*f),
                Step::Derived(d) => StepKey::Derived(*d),
            })
            .collect();
        l.group = *groups.entry(steps).or_insert_with(|| {
            first.push(i as u32);
            first.len() as u32 - 1
        });
    }
    first
}

/// Gives each line its class: lines whose quantity and unit are the same numbers or the
/// same single slots, in the same group of steps, share one; a line with any other formula
/// is a class of its own. Returns how many classes there are.
fn classify(lines: &mut [LinePlan]) -> usize {
    #[derive(Hash, PartialEq, Eq)]
    enum TermKey {
        Num(Decimal),
        Slot(usize),
        Own(usize),
    }
    let term = |t: &Term, own: usize| match t {
        Term::Num(d) => TermKey::Num(*d),
        Term::Expr(Expr::Input(Leaf::Slot(s))) => TermKey::Slot(*s),
        Term::Expr(_) => TermKey::Own(own),
    };
    let mut classes: std::collections::HashMap<(TermKey, TermKey, u32), u32> =
        std::collections::HashMap::new();
    for (i, l) in lines.iter_mut().enumerate() {
        let key = (term(&l.quantity, i), term(&l.unit, i), l.group);
        let next = classes.len() as u32;
        l.class = *classes.entry(key).or_insert(next);
    }
    classes.len()
}

/// Puts a plan back where it stood before a point that failed: its moved slots and factors.
fn undo(
    now: &mut Now,
    values: &[(usize, Decimal)],
    factors: &[(usize, Option<Decimal>)],
    groups: &[(u32, Option<Decimal>)],
) {
    for &(g, f) in groups.iter().rev() {
        now.groups[g as usize] = f;
    }
    for &(i, f) in factors.iter().rev() {
        now.factors[i] = f;
    }
    for &(s, v) in values.iter().rev() {
        now.values[s] = v;
    }
}

impl Var {
    /// Whether the variable can be arithmetic (a slot) in some plan: it is when the plan's
    /// lines read it only through their formulas and steps.
    fn is_arithmetic(&self) -> bool {
        match self {
            Var::Field(Field::Cost(f)) => arithmetic_cost(*f),
            Var::Field(Field::Discount(_) | Field::Fx(_)) => true,
            Var::Field(Field::Cluster { .. } | Field::Years) => false,
            Var::Price(_) => true,
        }
    }
}

impl Outcome {
    fn of(q: &Quote) -> Outcome {
        Outcome {
            scenarios: q
                .scenarios
                .iter()
                .map(|s| ScenarioAt {
                    total: s.total,
                    years: s.years.iter().map(|y| y.total).collect(),
                    compliant: s.compliant,
                })
                .collect(),
            rate: q
                .inputs
                .value(&Input::Cost(CostField::DiscountRate))
                .unwrap_or_default(),
        }
    }
}

/// One compiled structure: the quote at the point it was compiled at, every line that reads
/// an arithmetic variable as an expression over slots, and which lines read each slot.
struct Plan {
    /// The point it was compiled at.
    at: Vec<(Var, Decimal)>,
    /// The arithmetic variables' slots.
    slot_of: BTreeMap<Var, usize>,
    /// The NPV's rate, when it is a slot.
    rate: Option<usize>,
    /// Where the plan stands: its last point's slot values, line amounts and totals.
    now: Now,
    /// Each slot's value when a point does not give it.
    defaults: Vec<Decimal>,
    /// Slots a point must give (unset in the base).
    unset: Vec<usize>,
    /// Per interned variable, its slot here (`None` inside: structural), found on first use.
    by_id: Vec<Option<Option<usize>>>,
    /// Points evaluated on it.
    hits: u64,
    /// The quote's line amounts, per scenario.
    base_lines: Vec<Vec<Decimal>>,
    /// The lines that read a slot.
    lines: Vec<LinePlan>,
    /// How many classes of equal lines there are (see [`LinePlan::class`]).
    classes: usize,
    /// The steps whose percents follow a slot.
    derived: Vec<Derived>,
    /// Per slot, the derived steps (indices into `derived`) that follow it.
    derived_of: Vec<Vec<usize>>,
    /// Each group of steps' first line (see [`LinePlan::group`]).
    group_line: Vec<u32>,
    /// Per derived step, the groups that take it.
    groups_of: Vec<Vec<u32>>,
    /// Per slot, the lines (indices into `lines`) that read it.
    dependents: Vec<Vec<u32>>,
}

struct Now {
    values: Vec<Decimal>,
    /// Each derived step's factor at the last point.
    factors: Vec<Option<Decimal>>,
    /// Each group's folded factor at the last point.
    groups: Vec<Option<Decimal>>,
    amounts: Vec<Decimal>,
    /// The slots whose value at the last point was not their default.
    off: Vec<usize>,
    /// Each line's quantity × unit at the last point (a step that moves alone reuses it).
    products: Vec<Option<Decimal>>,
    outcome: Outcome,
}

struct Slot {
    var: Var,
    /// Its value at the compiled point.
    compiled: Decimal,
    /// Its value in the base estate and books, where the plan was compiled at another
    /// (`None`: unset there, so a point that does not give it is structural here).
    base: Option<Decimal>,
}

/// A line that reads slots: `round(quantity × unit × Π(1 − step/100))` as the engine computes.
struct LinePlan {
    scenario: u32,
    index: u32,
    year: u32,
    compiled: Decimal,
    quantity: Term,
    unit: Term,
    /// quantity × unit, when neither reads a slot.
    product: Option<Decimal>,
    /// The slots quantity and unit read.
    term_slots: Vec<usize>,
    /// Lines of one class have the same quantity, unit and steps, so the same amount at
    /// every point: a point computes each class once (scenarios often share a line).
    class: u32,
    /// Lines of one group have the same steps: a point folds their factors once.
    group: u32,
    steps: Vec<Step>,
}

enum Term {
    Num(Decimal),
    Expr(Expr<Leaf>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Leaf {
    Slot(usize),
    Num(Decimal),
    /// A support plan's rate of a list: `list × rate ÷ 100`, as the engine computes it.
    Rate {
        list: usize,
        rate: usize,
    },
}

enum Step {
    /// A fixed step's factor, `1 − percent / 100`.
    Factor(Decimal),
    /// A step whose percent follows a slot: its factor is computed once per point for
    /// every line that takes it (index into the plan's derived steps).
    Derived(usize),
}

/// A step's percent as a function of one slot, as the engine derives it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Derived {
    /// The negotiated discount for a vendor.
    Negotiated(usize),
    /// The escalation compounded to a year.
    Escalation(usize, u32),
}

impl Derived {
    fn slot(self) -> usize {
        match self {
            Derived::Negotiated(s) | Derived::Escalation(s, _) => s,
        }
    }

    /// The step's factor, `None` where the engine leaves the step out (its percent is 0).
    fn factor(self, values: &[Decimal]) -> Option<Option<Decimal>> {
        let percent = match self {
            Derived::Negotiated(slot) => negotiated_percent(*values.get(slot)?),
            Derived::Escalation(slot, year) => {
                escalation_percent(escalation_factor(*values.get(slot)?, year))
            }
        };
        Some((!percent.is_zero()).then(|| step_factor(percent)))
    }
}

impl Term {
    fn value(&self, values: &[Decimal]) -> Option<Decimal> {
        match self {
            Term::Num(d) => Some(*d),
            Term::Expr(e) => e.eval(&|l: &Leaf| match l {
                Leaf::Slot(i) => values.get(*i).copied(),
                Leaf::Num(d) => Some(*d),
                Leaf::Rate { list, rate } => values
                    .get(*list)?
                    .checked_mul(*values.get(*rate)?)?
                    .checked_div(Decimal::ONE_HUNDRED),
            }),
        }
    }
}

impl LinePlan {
    /// The line's amount for slot `values`, as the engine computes it: quantity × unit ×
    /// the steps' factors in order (a step at 0 is left out, as the engine leaves it out),
    /// rounded once.
    fn amount(&self, values: &[Decimal], derived: &[Option<Decimal>]) -> Option<Decimal> {
        self.amount_of(self.product_at(values)?, derived)
    }

    /// quantity × unit at `values`.
    fn product_at(&self, values: &[Decimal]) -> Option<Decimal> {
        match self.product {
            Some(p) => Some(p),
            None => self
                .quantity
                .value(values)?
                .checked_mul(self.unit.value(values)?),
        }
    }

    /// The amount from quantity × unit and the steps' factors.
    fn amount_of(&self, product: Decimal, derived: &[Option<Decimal>]) -> Option<Decimal> {
        amount_of(product, self.factor(derived)?)
    }

    /// The steps' factors folded in order (`None` inside: no step applies, a factor of 1).
    fn factor(&self, derived: &[Option<Decimal>]) -> Option<Option<Decimal>> {
        // The engine folds from 1 (`money::discount_factor`); 1 × f is f exactly.
        let mut factor: Option<Decimal> = None;
        for s in &self.steps {
            let f = match s {
                Step::Factor(f) => *f,
                Step::Derived(i) => match derived.get(*i)? {
                    Some(f) => *f,
                    None => continue,
                },
            };
            factor = Some(factor.map_or(f, |x| x * f));
        }
        Some(factor)
    }
}

/// A line's amount from quantity × unit and its folded steps' factor.
fn amount_of(product: Decimal, factor: Option<Decimal>) -> Option<Decimal> {
    factored_amount(product, factor.unwrap_or(Decimal::ONE))
}

/// Whether the engine uses a `[costs]` figure only through line formulas, the escalation step
/// or the NPV: changing it changes arithmetic, never what is bought. Every figure the engine
/// decides on (growth, density, cohorts, minimum orders, swing hosts, sizing) is structural.
/// Exhaustive, so a new figure must be classified.
fn arithmetic_cost(f: CostField) -> bool {
    match f {
        CostField::DiscountRate
        | CostField::EscalationPerYear
        | CostField::HardwarePerHost
        | CostField::WattsPerHost
        | CostField::Pue
        | CostField::KwhPrice
        | CostField::HoursPerYear
        | CostField::FacilitiesPerHostYear
        | CostField::AdminPerHostYear
        | CostField::MigrationPerVm
        | CostField::MigrationFixed
        | CostField::Training => true,
        CostField::VmGrowthPerYear
        | CostField::VmsPerHost
        | CostField::HardwareLifeYears
        | CostField::Users
        | CostField::Devices
        | CostField::SwingHosts => false,
    }
}

impl Plan {
    /// Compiles the quote `q` of `estate` (the base changed by `at`).
    fn compile(
        at: &[(Var, Decimal)],
        (estate, books): (&Estate, &PricebookSet),
        base: (&Estate, &PricebookSet),
        q: &Quote,
    ) -> Plan {
        let mut at = at.to_vec();
        at.sort_by(|a, b| a.0.cmp(&b.0));
        let mut c = Compiler {
            books,
            q,
            slots: Vec::new(),
            slot_of: BTreeMap::new(),
            fixed: Vec::new(),
            opaque: false,
            contract: false,
            derived: Vec::new(),
        };
        let mut lines = Vec::new();
        let mut costs_opaque = false;
        for (si, s) in q.scenarios.iter().enumerate() {
            // A line without its unit's formula (a reshaped cluster's own costs), or any line
            // of a scenario priced on its own reshaped estate, may read any `[costs]` figure:
            // none is arithmetic then.
            let shaped = estate
                .scenarios
                .get(si)
                .is_none_or(|sc| estate.reshaped_for(sc).is_some());
            costs_opaque |= shaped || s.lines.iter().any(|l| l.unit_formula.is_none());
            for (li, l) in s.lines.iter().enumerate() {
                if let Some(p) = c.line(si, li, l) {
                    lines.push(p);
                }
            }
        }
        let rate = c.cost_slot(CostField::DiscountRate);
        // Variables that turned out structural in this plan lose their slots: lines that
        // read them fall back to a full quote when they change.
        let mut fixed = std::mem::take(&mut c.fixed);
        if c.opaque {
            fixed.extend(c.slots.iter().map(|s| s.var.clone()));
        }
        if costs_opaque {
            fixed.extend(
                c.slots
                    .iter()
                    .filter(|s| matches!(s.var, Var::Field(Field::Cost(_))))
                    .map(|s| s.var.clone()),
            );
        }
        let group_line = group(&mut lines);
        let classes = classify(&mut lines);
        let mut groups_of = vec![Vec::new(); c.derived.len()];
        for (g, &first) in group_line.iter().enumerate() {
            for s in &lines[first as usize].steps {
                if let Step::Derived(i) = s
                    && !groups_of[*i].contains(&(g as u32))
                {
                    groups_of[*i].push(g as u32);
                }
            }
        }
        let mut dependents = vec![Vec::new(); c.slots.len()];
        for (i, l) in lines.iter().enumerate() {
            for slot in l.slots(&c.derived) {
                if !dependents[slot].contains(&(i as u32)) {
                    dependents[slot].push(i as u32);
                }
            }
        }
        let mut slot_of = c.slot_of;
        for v in &fixed {
            slot_of.remove(v);
        }
        let mut slots = c.slots;
        for s in &mut slots {
            s.base = if at.iter().any(|(v, _)| *v == s.var) {
                base_value(&s.var, base)
            } else {
                Some(s.compiled)
            };
        }

        let mut outcome = Outcome::of(q);
        outcome.rate = rate.map_or(outcome.rate, |r| slots[r].compiled);
        let values: Vec<Decimal> = slots.iter().map(|s| s.compiled).collect();
        let products = lines.iter().map(|l| l.product_at(&values)).collect();
        // A variable fixed here (structural) keeps its compiled value: the plan is used only
        // at points that give it that value.
        let defaults: Vec<Decimal> = slots
            .iter()
            .map(|s| match slot_of.contains_key(&s.var) {
                true => s.base.unwrap_or(s.compiled),
                false => s.compiled,
            })
            .collect();
        let off = (0..slots.len())
            .filter(|&i| values[i] != defaults[i])
            .collect();
        let factors: Vec<Option<Decimal>> = c
            .derived
            .iter()
            .map(|d| d.factor(&values).flatten())
            .collect();
        let now = Now {
            groups: group_line
                .iter()
                .map(|&l| lines[l as usize].factor(&factors).flatten())
                .collect(),
            factors,
            values,
            amounts: lines.iter().map(|l| l.compiled).collect(),
            products,
            off,
            outcome,
        };
        Plan {
            defaults,
            unset: (0..slots.len())
                .filter(|&i| slots[i].base.is_none() && slot_of.contains_key(&slots[i].var))
                .collect(),
            by_id: Vec::new(),
            hits: 0,
            at,
            rate: rate.filter(|r| slot_of.contains_key(&slots[*r].var)),
            slot_of,
            now,
            base_lines: q
                .scenarios
                .iter()
                .map(|s| s.lines.iter().map(|l| l.amount).collect())
                .collect(),
            lines,
            classes,
            derived_of: (0..slots.len())
                .map(|slot| {
                    (0..c.derived.len())
                        .filter(|&i| c.derived[i].slot() == slot)
                        .collect()
                })
                .collect(),
            derived: c.derived,
            group_line,
            groups_of,
            dependents,
        }
    }

    fn size(&self) -> usize {
        self.base_lines.iter().map(Vec::len).sum::<usize>() + self.lines.len()
    }

    /// The slot of interned variable `id` here, if it is one.
    fn slot_for(&mut self, id: VarId, vars: &[Var]) -> Option<usize> {
        let i = id.0 as usize;
        if self.by_id.len() <= i {
            self.by_id.resize(i + 1, None);
        }
        *self.by_id[i].get_or_insert_with(|| self.slot_of.get(&vars[i]).copied())
    }

    /// True when the point can be evaluated here: every variable that is not a slot has the
    /// value the plan was compiled with, and every slot unset in the base is given.
    fn accepts(
        &mut self,
        point: &[(VarId, Decimal)],
        vars: &[Var],
        base: &[Option<Decimal>],
    ) -> bool {
        let compiled_at = |at: &[(Var, Decimal)], id: VarId| {
            let var = &vars[id.0 as usize];
            at.iter()
                .find(|(v, _)| v == var)
                .map(|(_, d)| *d)
                .or(base[id.0 as usize])
        };
        for &(id, v) in point {
            if self.slot_for(id, vars).is_none() && Some(v) != compiled_at(&self.at, id) {
                return false;
            }
        }
        // The plan's own changes: a point that leaves one at the base must not be structural.
        for (var, d) in &self.at {
            if self.slot_of.contains_key(var) {
                continue;
            }
            let given = point
                .iter()
                .find(|(id, _)| vars[id.0 as usize] == *var)
                .map(|(_, v)| *v);
            let at_point = given.or_else(|| {
                let i = vars.iter().position(|v| v == var)?;
                base[i]
            });
            if at_point != Some(*d) {
                return false;
            }
        }
        let mut unset = std::mem::take(&mut self.unset);
        let all = unset.iter().all(|&slot| {
            point
                .iter()
                .any(|&(id, _)| self.slot_for(id, vars) == Some(slot))
        });
        std::mem::swap(&mut self.unset, &mut unset);
        all
    }

    /// Each slot's value at `point`: given, else the base's.
    fn fill(&mut self, values: &mut Vec<Decimal>, point: &[(VarId, Decimal)], vars: &[Var]) {
        values.clear();
        values.extend_from_slice(&self.defaults);
        for &(id, v) in point {
            if let Some(slot) = self.slot_for(id, vars) {
                values[slot] = v;
            }
        }
    }
}

/// A variable's value in an estate and its books, as the engine reads it (defaults
/// included; an unset discount or step figure is 0); `None` when unset.
fn base_value(var: &Var, (estate, books): (&Estate, &PricebookSet)) -> Option<Decimal> {
    let costs = estate.costs.as_ref();
    match var {
        Var::Field(Field::Cost(f)) => {
            costs.and_then(|c| c.used(*f)).map(|(v, _)| v).or_else(|| {
                matches!(f, CostField::DiscountRate | CostField::EscalationPerYear)
                    .then_some(Decimal::ZERO)
            })
        }
        Var::Field(Field::Discount(v)) => Some(
            costs
                .and_then(|c| c.vendor_discount.get(v).copied())
                .unwrap_or_default(),
        ),
        Var::Field(f) => f.get(estate),
        Var::Price(at) => at.value(books),
    }
}

struct Compiler<'a> {
    books: &'a PricebookSet,
    q: &'a Quote,
    slots: Vec<Slot>,
    slot_of: BTreeMap<Var, usize>,
    /// Arithmetic by kind, structural in this plan.
    fixed: Vec<Var>,
    /// A formula read an input the quote does not state: nothing is arithmetic here.
    opaque: bool,
    /// The line being compiled is priced from the estate's contract.
    contract: bool,
    derived: Vec<Derived>,
}

impl Compiler<'_> {
    fn derived(&mut self, d: Derived) -> Step {
        let i = match self.derived.iter().position(|x| *x == d) {
            Some(i) => i,
            None => {
                self.derived.push(d);
                self.derived.len() - 1
            }
        };
        Step::Derived(i)
    }

    fn slot(&mut self, var: Var, compiled: Decimal) -> usize {
        if let Some(i) = self.slot_of.get(&var) {
            return *i;
        }
        self.slots.push(Slot {
            var: var.clone(),
            compiled,
            base: None,
        });
        self.slot_of.insert(var, self.slots.len() - 1);
        self.slots.len() - 1
    }

    fn cost_slot(&mut self, f: CostField) -> Option<usize> {
        if !arithmetic_cost(f) {
            return None;
        }
        let value = self.q.inputs.value(&Input::Cost(f));
        // A figure the estate leaves unset (and that has no default) has no lines reading
        // it; setting it adds lines: structural. The two steps' figures are 0 when unset.
        let value = match (value, f) {
            (Some(v), _) => v,
            (None, CostField::DiscountRate | CostField::EscalationPerYear) => Decimal::ZERO,
            (None, _) => return None,
        };
        Some(self.slot(Var::Field(Field::Cost(f)), value))
    }

    /// The leaf for a formula's input: a slot, or the number the quote used.
    fn leaf(&mut self, input: &Input) -> Option<Leaf> {
        match input {
            Input::Cost(f) => match self.cost_slot(*f) {
                Some(s) => Some(Leaf::Slot(s)),
                None => self.q.inputs.value(input).map(Leaf::Num),
            },
            Input::Fx(cur) => {
                let v = self.q.inputs.value(input)?;
                Some(Leaf::Slot(self.slot(Var::Field(Field::Fx(cur.clone())), v)))
            }
            Input::Discount(vendor) => {
                let v = self.q.inputs.value(input)?;
                Some(Leaf::Slot(
                    self.slot(Var::Field(Field::Discount(vendor.clone())), v),
                ))
            }
            Input::Price(p) => {
                if let Some(leaf) = self.rate_leaf(p) {
                    return Some(leaf);
                }
                let Some(at) = self.price_at(p) else {
                    return Some(Leaf::Num(p.value));
                };
                Some(Leaf::Slot(self.slot(Var::Price(at), p.value)))
            }
            Input::Cluster { .. } | Input::Step { .. } => self.q.inputs.value(input).map(Leaf::Num),
        }
    }

    /// A support rate's leaf as the list and the rate it multiplies, both slots, when the
    /// engine's value is exactly that product.
    fn rate_leaf(&mut self, p: &PriceRef) -> Option<Leaf> {
        let (item, percent) = p.rate_of.as_ref()?;
        if self.contract || p.which != PriceKind::Support {
            return None;
        }
        let list_at = PriceAt::Item(p.book.clone(), item.clone());
        let rate_at = PriceAt::SupportRate(p.book.clone(), p.item.clone());
        let list = list_at.value(self.books)?;
        if rate_at.value(self.books) != Some(*percent)
            || list
                .checked_mul(*percent)?
                .checked_div(Decimal::ONE_HUNDRED)
                != Some(p.value)
        {
            return None;
        }
        let list = self.slot(Var::Price(list_at), list);
        let rate = self.slot(Var::Price(rate_at), *percent);
        Some(Leaf::Rate { list, rate })
    }

    /// The figure a price leaf is, when its value is that figure as the book states it; a
    /// leaf the engine derived (a support rate × a list) is a number, and the figures it may
    /// derive from are structural here. A contract's own price is a number that no book
    /// figure moves.
    fn price_at(&mut self, p: &PriceRef) -> Option<PriceAt> {
        if self.contract {
            return None;
        }
        let book = self.books.books().iter().find(|b| b.id.0 == p.book)?;
        let (at, figure) = match p.which {
            PriceKind::List | PriceKind::Term(_) => {
                // A free edition costs nothing whatever its book says: no figure moves it.
                if book
                    .item(&p.item)
                    .is_some_and(|i| i.metric == crate::pricebook::Metric::Free)
                {
                    return None;
                }
                let at = match p.which {
                    PriceKind::Term(y) => PriceAt::Term(p.book.clone(), p.item.clone(), y),
                    _ => PriceAt::Item(p.book.clone(), p.item.clone()),
                };
                let figure = at.value(self.books);
                (at, figure)
            }
            // An upgrade's price may also choose between upgrade chains: structural then.
            PriceKind::Upgrade => {
                if !upgrade_price_is_free_of_choice(self.books, &p.book, &p.item) {
                    return None;
                }
                let at = PriceAt::Upgrade(p.book.clone(), p.item.clone());
                let figure = at.value(self.books);
                (at, figure)
            }
            PriceKind::Support => match &book.support_plan(&p.item)?.basis {
                SupportBasis::Price(pr) => (
                    PriceAt::SupportPrice(p.book.clone(), p.item.clone()),
                    pr.amount,
                ),
                SupportBasis::Rate(_) => {
                    // Rate × some item's list: every list of the book is structural here.
                    self.fixed.extend(
                        book.items
                            .iter()
                            .map(|i| Var::Price(PriceAt::Item(p.book.clone(), i.id.clone()))),
                    );
                    return None;
                }
            },
        };
        if figure == Some(p.value) {
            Some(at)
        } else {
            self.fixed.push(Var::Price(at));
            None
        }
    }

    fn term(&mut self, formula: Option<&Expr>, value: Decimal) -> Option<Term> {
        let Some(f) = formula else {
            return Some(Term::Num(value));
        };
        let e = f.try_map(&mut |i| self.leaf(i))?;
        let reads_slot = e.inputs().iter().any(|l| !matches!(l, Leaf::Num(_)));
        Some(if reads_slot {
            Term::Expr(e)
        } else {
            Term::Num(value)
        })
    }

    /// The line's plan when it reads a slot; `None` when it is a constant here.
    fn line(&mut self, si: usize, li: usize, l: &Line) -> Option<LinePlan> {
        let vendor = l
            .item
            .split_once('/')
            .and_then(|(b, _)| self.books.books().iter().find(|x| x.id.0 == b))
            .map(|b| b.vendor.clone());
        // A contract's own price (the estate's figure) is no book figure, even where equal.
        self.contract = l.source.confidence == Confidence::Estate;
        let quantity = self.term(l.quantity_formula.as_deref(), l.quantity);
        let unit = self.term(l.unit_formula.as_deref(), l.unit_price);
        let (Some(quantity), Some(unit)) = (quantity, unit) else {
            self.opaque = true;
            return None;
        };
        let mut steps = Vec::with_capacity(l.discounts.len() + 2);
        let mut negotiated = false;
        let mut escalation = false;
        for d in &l.discounts {
            steps.push(match &d.origin {
                StepOrigin::Negotiated { vendor } => {
                    negotiated = true;
                    let v = Var::Field(Field::Discount(vendor.clone()));
                    let value = self
                        .q
                        .inputs
                        .value(&Input::Discount(vendor.clone()))
                        .unwrap_or_default();
                    let slot = self.slot(v, value);
                    self.derived(Derived::Negotiated(slot))
                }
                StepOrigin::Escalation { year } if *year == l.year => {
                    escalation = true;
                    match self.cost_slot(CostField::EscalationPerYear) {
                        Some(slot) => self.derived(Derived::Escalation(slot, *year)),
                        None => Step::Factor(step_factor(d.percent)),
                    }
                }
                _ => Step::Factor(step_factor(d.percent)),
            });
        }
        // A step the engine left out at 0 is in the plan at 0, where the engine would put it.
        if l.kind.is_vendor()
            && !negotiated
            && let Some(vendor) = vendor
        {
            let v = Var::Field(Field::Discount(vendor.clone()));
            let value = self
                .q
                .inputs
                .value(&Input::Discount(vendor))
                .unwrap_or_default();
            let slot = self.slot(v, value);
            let at = l
                .discounts
                .iter()
                .take_while(|d| matches!(d.origin, StepOrigin::Promotion { .. }))
                .count();
            let step = self.derived(Derived::Negotiated(slot));
            steps.insert(at, step);
        }
        if l.kind.escalates()
            && l.year > 1
            && !escalation
            && let Some(slot) = self.cost_slot(CostField::EscalationPerYear)
        {
            let step = self.derived(Derived::Escalation(slot, l.year));
            steps.push(step);
        }
        let product = match (&quantity, &unit) {
            (Term::Num(q), Term::Num(u)) => q.checked_mul(*u),
            _ => None,
        };
        let mut plan = LinePlan {
            scenario: si as u32,
            index: li as u32,
            year: l.year,
            compiled: l.amount,
            quantity,
            unit,
            product,
            term_slots: Vec::new(),
            class: 0,
            group: 0,
            steps,
        };
        plan.term_slots = plan.terms_slots();
        let reads_slot = plan.slots(&self.derived).next().is_some();
        reads_slot.then_some(plan)
    }
}

impl LinePlan {
    fn terms_slots(&self) -> Vec<usize> {
        let mut out: Vec<usize> = [&self.quantity, &self.unit]
            .into_iter()
            .flat_map(Term::slots)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    fn slots<'s>(&'s self, derived: &'s [Derived]) -> impl Iterator<Item = usize> + 's {
        self.quantity
            .slots()
            .into_iter()
            .chain(self.unit.slots())
            .chain(self.steps.iter().filter_map(|s| match s {
                Step::Factor(_) => None,
                Step::Derived(i) => derived.get(*i).map(|d| d.slot()),
            }))
    }
}

impl Term {
    /// The slots the term reads.
    fn slots(&self) -> Vec<usize> {
        match self {
            Term::Num(_) => Vec::new(),
            Term::Expr(e) => e
                .inputs()
                .into_iter()
                .flat_map(|l| match l {
                    Leaf::Slot(s) => vec![*s],
                    Leaf::Rate { list, rate } => vec![*list, *rate],
                    Leaf::Num(_) => Vec::new(),
                })
                .collect(),
        }
    }
}

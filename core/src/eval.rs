//! The compiled evaluator: a quote's structure built once, its arithmetic re-evaluated per
//! point.
//!
//! A what-if point (a sweep's grid point, a sensitivity step, an uncertainty draw) changes a
//! few numbers: estate [`Field`]s and pricebook figures ([`PriceAt`]). Most change only the
//! arithmetic of the lines that read them: a unit price, an exchange rate, a `[costs]` figure
//! a line's formula reads, a negotiated discount, the escalation, the NPV's rate. Those are
//! *arithmetic* variables: a [`Plan`] compiled from one full quote holds every line that reads
//! one as typed expressions over numbered slots (the engine's own [`Expr`]s, constants
//! folded), and a point re-evaluates only the lines that read a slot it changes, with the
//! engine's own step rules and its one rounding ([`line_amount`]). Everything else a point can
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
use crate::money::{discount_factor, line_amount};
use crate::pricebook::{Confidence, PricebookSet, SupportBasis};
use crate::quote::{Expr, Input, Line, PriceKind, PriceRef, Quote, StepOrigin};

mod price;

pub use price::{PriceAt, prices_used, with_price};

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

/// One scenario's result at a point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioAt {
    /// Its total over the horizon.
    pub total: Decimal,
    /// Each year's total (year 1 first).
    pub years: Vec<Decimal>,
    /// Net present value at the point's discount rate.
    pub npv: Decimal,
    /// Whether it is compliant.
    pub compliant: bool,
}

/// Every scenario's result at a point, in estate order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Per scenario.
    pub scenarios: Vec<ScenarioAt>,
}

impl Outcome {
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

/// The compiled evaluator of one estate and its pricebooks.
pub struct Evaluator<'b> {
    base: Estate,
    books: &'b PricebookSet,
    plans: Vec<Plan>,
    held: usize,
    last: usize,
    stats: Stats,
    values: Vec<Decimal>,
    seen: Vec<u32>,
    stamp: u32,
}

impl<'b> Evaluator<'b> {
    /// The evaluator of `estate` priced on `books`; the base point's plan is compiled now.
    pub fn new(estate: &Estate, books: &'b PricebookSet) -> Evaluator<'b> {
        let mut e = Evaluator {
            base: estate.clone(),
            books,
            plans: Vec::new(),
            held: 0,
            last: 0,
            stats: Stats::default(),
            values: Vec::new(),
            seen: Vec::new(),
            stamp: 0,
        };
        let q = crate::quote(estate, books);
        let plan = Plan::compile(&[], (estate, books), (estate, books), &q);
        e.keep(plan);
        e
    }

    /// The estate the evaluator varies.
    pub fn base(&self) -> &Estate {
        &self.base
    }

    /// How many points took each path so far.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// The estate and pricebooks at `point`, as a full quote sees them; an error names a
    /// value the estate reader would refuse.
    pub fn changed(
        &self,
        point: &[(Var, Decimal)],
    ) -> Result<(Estate, Option<PricebookSet>), Diagnostics> {
        let mut estate = self.base.clone();
        let mut books: Option<PricebookSet> = None;
        let mut any_field = false;
        for (var, value) in point {
            match var {
                Var::Field(f) => {
                    f.put(&mut estate, *value)?;
                    any_field = true;
                }
                Var::Price(at) => {
                    let changed = with_price(books.as_ref().unwrap_or(self.books), at, *value);
                    books = Some(changed);
                }
            }
        }
        if any_field {
            Field::check_estate(&estate)?;
        }
        Ok((estate, books))
    }

    /// Every scenario's result at `point` (each variable at most once), exactly as `quote` of
    /// the changed estate gives it.
    pub fn evaluate(&mut self, point: &[(Var, Decimal)]) -> Result<Outcome, Diagnostics> {
        let mut out = Outcome::default();
        self.evaluate_into(point, &mut out)?;
        Ok(out)
    }

    /// [`Evaluator::evaluate`] into `out`, reusing its allocations.
    pub fn evaluate_into(
        &mut self,
        point: &[(Var, Decimal)],
        out: &mut Outcome,
    ) -> Result<(), Diagnostics> {
        if let Some(at) = self.find(point)
            && self.run(at, point, out)
        {
            self.stats.evaluated += 1;
            return Ok(());
        }
        let (estate, books) = self.changed(point)?;
        let books = books.as_ref().unwrap_or(self.books);
        let q = crate::quote(&estate, books);
        let plan = Plan::compile(point, (&estate, books), (&self.base, self.books), &q);
        plan.outcome_into(out);
        self.stats.quoted += 1;
        self.keep(plan);
        Ok(())
    }

    /// Each scenario's line amounts at `point`, in the quote's order, every line evaluated on
    /// its own (the property tests compare them with the quote's lines); `None` when the point
    /// needs a full quote.
    pub fn lines_at(&mut self, point: &[(Var, Decimal)]) -> Option<Vec<Vec<Decimal>>> {
        let at = self.find(point)?;
        let plan = &self.plans[at];
        plan.fill(&mut self.values, point);
        let mut out = plan.base_lines.clone();
        for l in &plan.lines {
            let amount = l.amount(&self.values)?;
            out[l.scenario as usize][l.index as usize] = amount;
        }
        Some(out)
    }

    /// A kept plan `point` can be evaluated on: its structural values equal the plan's.
    fn find(&mut self, point: &[(Var, Decimal)]) -> Option<usize> {
        let n = self.plans.len();
        (0..n)
            .map(|k| (self.last + k) % n)
            .find(|&i| self.plans[i].accepts(point, &self.base, self.books))
            .inspect(|&i| self.last = i)
    }

    fn keep(&mut self, plan: Plan) {
        self.held += plan.size();
        self.plans.push(plan);
        // The base plan (first) stays; the oldest others go.
        while self.held > MAX_PLAN_LINES && self.plans.len() > 1 {
            let gone = self.plans.remove(1);
            self.held -= gone.size();
        }
        self.last = self.plans.len() - 1;
    }

    /// Evaluates `point` on plan `at`; false when a line leaves its range (the quote reports
    /// it: quoted in full).
    fn run(&mut self, at: usize, point: &[(Var, Decimal)], out: &mut Outcome) -> bool {
        let plan = &self.plans[at];
        plan.fill(&mut self.values, point);
        plan.outcome_into(out);
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.seen.iter_mut().for_each(|s| *s = 0);
            self.stamp = 1;
        }
        if self.seen.len() < plan.lines.len() {
            self.seen.resize(plan.lines.len(), 0);
        }
        let mut changed_years = false;
        for (slot, deps) in plan.dependents.iter().enumerate() {
            if self.values[slot] == plan.slots[slot].compiled {
                continue;
            }
            for &li in deps {
                let li = li as usize;
                if self.seen[li] == self.stamp {
                    continue;
                }
                self.seen[li] = self.stamp;
                let l = &plan.lines[li];
                let Some(amount) = l.amount(&self.values) else {
                    return false;
                };
                let delta = amount - l.compiled;
                if !delta.is_zero() {
                    let s = &mut out.scenarios[l.scenario as usize];
                    s.total += delta;
                    if let Some(y) = s.years.get_mut(l.year as usize - 1) {
                        *y += delta;
                    }
                    changed_years = true;
                }
            }
        }
        let rate = plan.rate.map_or(Decimal::ZERO, |r| self.values[r]);
        if changed_years || rate != plan.rate_compiled {
            for s in &mut out.scenarios {
                s.npv = finance::npv(s.years.iter().copied(), rate);
            }
        }
        true
    }
}

/// One compiled structure: the quote at the point it was compiled at, every line that reads
/// an arithmetic variable as an expression over slots, and which lines read each slot.
struct Plan {
    /// The point it was compiled at.
    at: Vec<(Var, Decimal)>,
    /// The arithmetic variables, each a slot.
    slots: Vec<Slot>,
    slot_of: BTreeMap<Var, usize>,
    /// The NPV's rate, when it is a slot.
    rate: Option<usize>,
    rate_compiled: Decimal,
    scenarios: Vec<ScenarioAt>,
    /// The quote's line amounts, per scenario.
    base_lines: Vec<Vec<Decimal>>,
    /// The lines that read a slot.
    lines: Vec<LinePlan>,
    /// Per slot, the lines (indices into `lines`) that read it.
    dependents: Vec<Vec<u32>>,
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
}

enum Step {
    Percent(Decimal),
    Negotiated(usize),
    Escalation(usize, u32),
}

impl Term {
    fn value(&self, values: &[Decimal]) -> Option<Decimal> {
        match self {
            Term::Num(d) => Some(*d),
            Term::Expr(e) => e.eval(&|l: &Leaf| match l {
                Leaf::Slot(i) => values.get(*i).copied(),
                Leaf::Num(d) => Some(*d),
            }),
        }
    }
}

impl LinePlan {
    fn amount(&self, values: &[Decimal]) -> Option<Decimal> {
        let q = self.quantity.value(values)?;
        let u = self.unit.value(values)?;
        let mut percents: [Decimal; 8] = [Decimal::ZERO; 8];
        let mut n = 0;
        for s in &self.steps {
            let p = match s {
                Step::Percent(p) => *p,
                Step::Negotiated(slot) => negotiated_percent(*values.get(*slot)?),
                Step::Escalation(slot, year) => {
                    escalation_percent(escalation_factor(*values.get(*slot)?, *year))
                }
            };
            // The engine leaves out steps of 0 (`engine/line.rs`).
            if p.is_zero() && !matches!(s, Step::Percent(_)) {
                continue;
            }
            *percents.get_mut(n)? = p;
            n += 1;
        }
        line_amount(q, u, discount_factor(&percents[..n]))
    }
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
        let mut dependents = vec![Vec::new(); c.slots.len()];
        for (i, l) in lines.iter().enumerate() {
            for slot in l.slots() {
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
        let scenarios = q
            .scenarios
            .iter()
            .map(|s| ScenarioAt {
                total: s.total,
                years: s.years.iter().map(|y| y.total).collect(),
                npv: s.npv,
                compliant: s.compliant,
            })
            .collect();
        Plan {
            at,
            rate_compiled: rate.map_or(Decimal::ZERO, |r| slots[r].compiled),
            rate: rate.filter(|r| slot_of.contains_key(&slots[*r].var)),
            slots,
            slot_of,
            scenarios,
            base_lines: q
                .scenarios
                .iter()
                .map(|s| s.lines.iter().map(|l| l.amount).collect())
                .collect(),
            lines,
            dependents,
        }
    }

    fn size(&self) -> usize {
        self.base_lines.iter().map(Vec::len).sum::<usize>() + self.lines.len()
    }

    /// The point's value of `var`, when it gives one.
    fn given<'p>(point: &'p [(Var, Decimal)], var: &Var) -> Option<&'p Decimal> {
        point.iter().find(|(v, _)| v == var).map(|(_, d)| d)
    }

    /// True when the point can be evaluated here: every variable that is not a slot has the
    /// value the plan was compiled with, and every slot has a value at the point.
    fn accepts(&self, point: &[(Var, Decimal)], base: &Estate, books: &PricebookSet) -> bool {
        let value = |p: &[(Var, Decimal)], var: &Var| {
            Plan::given(p, var)
                .copied()
                .or_else(|| base_value(var, (base, books)))
        };
        let same = |var: &Var| value(point, var) == value(&self.at, var);
        let structural = |var: &&Var| !self.slot_of.contains_key(*var);
        point.iter().map(|(v, _)| v).filter(structural).all(same)
            && self.at.iter().map(|(v, _)| v).filter(structural).all(same)
            && self
                .slots
                .iter()
                .all(|s| s.base.is_some() || Plan::given(point, &s.var).is_some())
    }

    /// Each slot's value at `point`: given, else the base's.
    fn fill(&self, values: &mut Vec<Decimal>, point: &[(Var, Decimal)]) {
        values.clear();
        values.extend(self.slots.iter().map(|s| {
            Plan::given(point, &s.var)
                .copied()
                .or(s.base)
                .unwrap_or(s.compiled)
        }));
    }

    fn outcome_into(&self, out: &mut Outcome) {
        out.scenarios.clone_from(&self.scenarios);
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
}

impl Compiler<'_> {
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
                let Some(at) = self.price_at(p) else {
                    return Some(Leaf::Num(p.value));
                };
                Some(Leaf::Slot(self.slot(Var::Price(at), p.value)))
            }
            Input::Cluster { .. } | Input::Step { .. } => self.q.inputs.value(input).map(Leaf::Num),
        }
    }

    /// The figure a price leaf is, when its value is that figure as the book states it; a
    /// leaf the engine derived (a term's price, a contract's, a support rate × a list) is a
    /// number, and the figures it may derive from are structural here.
    fn price_at(&mut self, p: &PriceRef) -> Option<PriceAt> {
        let book = self.books.books().iter().find(|b| b.id.0 == p.book)?;
        let (at, figure) = match p.which {
            PriceKind::List => {
                let item = book.item(&p.item)?;
                let at = PriceAt::Item(p.book.clone(), p.item.clone());
                // A term's price may equal the list by chance: an item sold on terms is
                // structural.
                if self.contract || !item.term_prices.is_empty() {
                    self.fixed.push(Var::Price(at));
                    return None;
                }
                (at, item.price.amount)
            }
            // An upgrade's price also chooses between upgrade chains: structural.
            PriceKind::Upgrade => return None,
            PriceKind::Support => match &book.support_plan(&p.item)?.basis {
                SupportBasis::Price(pr) if !self.contract => (
                    PriceAt::SupportPrice(p.book.clone(), p.item.clone()),
                    pr.amount,
                ),
                SupportBasis::Price(_) => {
                    let at = PriceAt::SupportPrice(p.book.clone(), p.item.clone());
                    self.fixed.push(Var::Price(at));
                    return None;
                }
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
        let reads_slot = e.inputs().iter().any(|l| matches!(l, Leaf::Slot(_)));
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
                    Step::Negotiated(self.slot(v, value))
                }
                StepOrigin::Escalation { year } if *year == l.year => {
                    escalation = true;
                    match self.cost_slot(CostField::EscalationPerYear) {
                        Some(slot) => Step::Escalation(slot, *year),
                        None => Step::Percent(d.percent),
                    }
                }
                _ => Step::Percent(d.percent),
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
            steps.insert(at, Step::Negotiated(slot));
        }
        if l.kind.escalates()
            && l.year > 1
            && !escalation
            && let Some(slot) = self.cost_slot(CostField::EscalationPerYear)
        {
            steps.push(Step::Escalation(slot, l.year));
        }
        let plan = LinePlan {
            scenario: si as u32,
            index: li as u32,
            year: l.year,
            compiled: l.amount,
            quantity,
            unit,
            steps,
        };
        let reads_slot = plan.slots().next().is_some();
        reads_slot.then_some(plan)
    }
}

impl LinePlan {
    fn slots(&self) -> impl Iterator<Item = usize> + '_ {
        let of_term = |t: &Term| match t {
            Term::Num(_) => Vec::new(),
            Term::Expr(e) => e
                .inputs()
                .into_iter()
                .filter_map(|l| match l {
                    Leaf::Slot(s) => Some(*s),
                    Leaf::Num(_) => None,
                })
                .collect(),
        };
        of_term(&self.quantity)
            .into_iter()
            .chain(of_term(&self.unit))
            .chain(self.steps.iter().filter_map(|s| match s {
                Step::Percent(_) => None,
                Step::Negotiated(s) | Step::Escalation(s, _) => Some(*s),
            }))
    }
}

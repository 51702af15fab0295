//! `sweep`: a what-if grid over one or two estate fields. At each point the estate is changed
//! (through [`Field::set`], with the estate reader's ranges) and priced; the point keeps every
//! scenario's total, compliance and the cheapest compliant scenario. Crossovers say in words
//! where the cheapest changes along a dimension.
//!
//! A point is exactly `quote` of the changed estate: [`SweepPlan::estate_at`] is that estate
//! and [`Sweeper::point`] prices it through the compiled evaluator ([`crate::eval`]),
//! which re-evaluates a kept plan's arithmetic or quotes in full. The plan exposes its points
//! one by one so a front end can drive the loop (and show progress) while the core stays pure.

use std::fmt::Write as _;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use crate::diag::Diagnostics;
use crate::estate::{Estate, Field};
use crate::eval::{Evaluator, Outcome, Var, VarId};
use crate::money::ser;
use crate::money::{grouped, grouped_int, parse_decimal, plain_text};
use crate::pricebook::PricebookSet;
use crate::shared::Shared;

/// The most points a sweep may have.
pub const MAX_POINTS: u64 = 10_000;

/// Steps a decimal range takes when no STEP is given.
pub const DEFAULT_DECIMAL_STEPS: u32 = 10;

/// One dimension of a sweep: a field and its values.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Dimension {
    /// The field's canonical name (`prod.cores_per_socket`, `costs.pue`).
    pub field: String,
    /// The field to change.
    #[serde(skip)]
    pub target: Field,
    /// The estate's own value, when it sets one.
    #[serde(serialize_with = "ser::opt_plain")]
    pub estate_value: Option<Decimal>,
    /// First value.
    #[serde(serialize_with = "ser::plain")]
    pub from: Decimal,
    /// Last value asked for (the last value swept is the largest `from + k × step` not above).
    #[serde(serialize_with = "ser::plain")]
    pub to: Decimal,
    /// Step.
    #[serde(serialize_with = "ser::plain")]
    pub step: Decimal,
    /// Every value swept, in order.
    #[serde(serialize_with = "ser::plains")]
    pub values: Vec<Decimal>,
}

/// A validated sweep, ready to evaluate point by point.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepPlan {
    base: Estate,
    dims: Vec<Dimension>,
}

/// One scenario's total at a point.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PointTotal {
    /// Scenario name.
    pub scenario: Shared,
    /// Its total over the horizon (the quote's total).
    #[serde(serialize_with = "ser::money")]
    pub total: Decimal,
    /// Whether it is compliant at this point.
    pub compliant: bool,
}

/// One point of the grid.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SweepPoint {
    /// The value of each dimension, in dimension order.
    #[serde(serialize_with = "ser::plains")]
    pub values: Vec<Decimal>,
    /// Every scenario's total, in estate order.
    pub totals: Vec<PointTotal>,
    /// The cheapest compliant scenario (the first in estate order on a tie); absent when no
    /// scenario is compliant here.
    pub cheapest: Option<Shared>,
    /// Its total.
    #[serde(serialize_with = "ser::opt_money")]
    pub cheapest_total: Option<Decimal>,
}

/// Where the cheapest compliant scenario changes between two neighbouring values of a
/// dimension (the other dimension, if any, held at `at`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Crossover {
    /// The dimension's field.
    pub field: String,
    /// The other dimension's field and value, in a 2-D sweep.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Fixed>,
    /// The last value with the old cheapest.
    #[serde(serialize_with = "ser::plain")]
    pub from: Decimal,
    /// The first value with the new cheapest.
    #[serde(serialize_with = "ser::plain")]
    pub to: Decimal,
    /// The cheapest at `from` (absent: none compliant).
    pub before: Option<String>,
    /// The cheapest at `to` (absent: none compliant).
    pub after: Option<String>,
    /// The change in words.
    pub text: String,
}

/// A dimension held at one value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fixed {
    /// The field.
    pub field: String,
    /// Its value.
    #[serde(serialize_with = "ser::plain")]
    pub value: Decimal,
}

/// A finished sweep: the grid and its crossovers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sweep {
    /// Contract version, 1.
    pub format: u32,
    /// `sweep`.
    pub command: &'static str,
    /// `hypercost-core <version>`.
    pub engine: String,
    /// Estate name.
    pub estate: String,
    /// Currency of every amount.
    pub currency: String,
    /// The estate's horizon in years (a sweep of `years` changes it per point).
    pub years: u32,
    /// Notes (overridden pricebooks, …).
    pub notes: Vec<String>,
    /// Scenario names, in estate order.
    pub scenarios: Vec<String>,
    /// One or two dimensions; points run through the last dimension fastest.
    pub dimensions: Vec<Dimension>,
    /// Every point.
    pub points: Vec<SweepPoint>,
    /// Where the cheapest changes, along each dimension.
    pub crossovers: Vec<Crossover>,
}

/// A sweep being priced: its plan, the compiled evaluator and the point being priced.
pub struct Sweeper<'p, 'b> {
    plan: &'p SweepPlan,
    ev: Evaluator<'b>,
    point: Vec<(VarId, Decimal)>,
    names: Vec<Shared>,
}

impl Sweeper<'_, '_> {
    /// Point `i`: `quote` of the changed estate, through the compiled evaluator.
    pub fn point(&mut self, i: usize) -> SweepPoint {
        let values = self.plan.values_at(i);
        for (p, v) in self.point.iter_mut().zip(&values) {
            p.1 = *v;
        }
        // Every point was checked when the plan was made (`SweepPlan::new`).
        let none = Outcome::default();
        let outcome = self.ev.evaluate_ids(&self.point).unwrap_or(&none);
        let cheapest = outcome.cheapest();
        let name = |k: usize| self.names.get(k).cloned().unwrap_or_default();
        SweepPoint {
            values,
            totals: outcome
                .scenarios
                .iter()
                .enumerate()
                .map(|(k, s)| PointTotal {
                    scenario: name(k),
                    total: s.total,
                    compliant: s.compliant,
                })
                .collect(),
            cheapest_total: cheapest.map(|k| outcome.scenarios[k].total),
            cheapest: cheapest.map(name),
        }
    }
}

/// Parses `FIELD=A..B[:STEP]` against an estate.
pub fn parse_vary(
    text: &str,
    estate: &Estate,
    books: &PricebookSet,
) -> Result<Dimension, Diagnostics> {
    let (mut d, count) = parse_range(text, estate, books)?;
    if count > MAX_POINTS {
        return Err(too_many(Some(count)));
    }
    d.values = values(&d, count);
    Ok(d)
}

fn values(d: &Dimension, count: u64) -> Vec<Decimal> {
    (0..count)
        .map(|k| d.from + d.step * Decimal::from(k))
        .collect()
}

/// The dimension without its values, and how many values it has (`u64::MAX`: beyond counting).
fn parse_range(
    text: &str,
    estate: &Estate,
    books: &PricebookSet,
) -> Result<(Dimension, u64), Diagnostics> {
    let form = || {
        Some(
            "expected FIELD=A..B or FIELD=A..B:STEP, e.g. cores_per_socket=4..12 or \
             pue=1..2:0.1"
                .to_owned(),
        )
    };
    let Some((field_text, range)) = text.split_once('=') else {
        return Err(Diagnostics::input(
            text,
            format!("`{text}` has no `=`"),
            form(),
        ));
    };
    let target = Field::parse(field_text, estate, books)?;
    let name = target.name(estate);
    let (span, step_text) = match range.split_once(':') {
        Some((s, t)) => (s, Some(t)),
        None => (range, None),
    };
    let Some((a, b)) = span.split_once("..") else {
        return Err(Diagnostics::input(
            text,
            format!("`{range}` is not a range A..B"),
            form(),
        ));
    };
    let number = |t: &str, what: &str| {
        parse_decimal(t).ok_or_else(|| {
            Diagnostics::input(
                text,
                format!("{what} `{}` of {name} is not a number", t.trim()),
                form(),
            )
        })
    };
    let from = number(a, "start")?;
    let to = number(b, "end")?;
    target.check(from, estate)?;
    target.check(to, estate)?;
    if from > to {
        return Err(Diagnostics::input(
            text,
            format!(
                "{name}={range}: the start {} is above the end {}",
                plain_text(from),
                plain_text(to)
            ),
            Some("write the smaller value first".into()),
        ));
    }
    let integer = target.is_integer();
    let step = match step_text {
        Some(t) => number(t, "step")?,
        None if integer || from == to => Decimal::ONE,
        None => (to - from) / Decimal::from(DEFAULT_DECIMAL_STEPS),
    };
    if step <= Decimal::ZERO {
        return Err(Diagnostics::input(
            text,
            format!("the step {} of {name} is not above 0", plain_text(step)),
            form(),
        ));
    }
    if integer && !step.fract().is_zero() {
        return Err(Diagnostics::input(
            text,
            format!(
                "{name} counts whole things, so its step must be whole, not {}",
                plain_text(step)
            ),
            None,
        ));
    }
    let count = (to - from)
        .checked_div(step)
        .and_then(|q| q.floor().to_u64())
        .and_then(|q| q.checked_add(1))
        .unwrap_or(u64::MAX);
    let d = Dimension {
        field: name,
        estate_value: target.get(estate),
        target,
        from,
        to,
        step,
        values: Vec::new(),
    };
    Ok((d, count))
}

/// The field of problems with the sweep as a whole (the specs together).
const VARY: &str = "vary";

fn too_many(count: Option<u64>) -> Diagnostics {
    let count = count.map_or_else(
        || format!("more than {}", grouped_int(MAX_POINTS)),
        grouped_int,
    );
    Diagnostics::input(
        VARY,
        format!(
            "the sweep has {count} points; at most {} are allowed",
            grouped_int(MAX_POINTS)
        ),
        Some("narrow a range or take a larger STEP".into()),
    )
}

impl SweepPlan {
    /// A plan over one or two `FIELD=A..B[:STEP]` specs; every problem is a [`crate::Diagnostic`]
    /// of the spec it is about.
    pub fn new(
        estate: &Estate,
        books: &PricebookSet,
        specs: &[&str],
    ) -> Result<SweepPlan, Diagnostics> {
        if specs.is_empty() || specs.len() > 2 {
            return Err(Diagnostics::input(
                VARY,
                format!("a sweep takes one or two --vary, not {}", specs.len()),
                Some("one --vary gives a line of points, two a grid".into()),
            ));
        }
        let parsed = specs
            .iter()
            .map(|s| parse_range(s, estate, books))
            .collect::<Result<Vec<_>, _>>()?;
        if let [(a, _), (b, _)] = parsed.as_slice()
            && a.target == b.target
        {
            return Err(Diagnostics::input(
                a.field.clone(),
                format!("{} is varied twice", a.field),
                Some("vary two different fields for a grid".into()),
            ));
        }
        let total = parsed.iter().try_fold(1u64, |n, (_, c)| {
            n.checked_mul(*c).filter(|_| *c < u64::MAX)
        });
        match total {
            Some(n) if n <= MAX_POINTS => {}
            other => return Err(too_many(other)),
        }
        let dims = parsed
            .into_iter()
            .map(|(mut d, count)| {
                d.values = values(&d, count);
                d
            })
            .collect();
        let plan = SweepPlan {
            base: estate.clone(),
            dims,
        };
        // Each value is within its field's range, but together they can make a count outgrow
        // its range (growth × years): such a point is refused here, by name, before any is
        // priced.
        for i in 0..plan.len() {
            plan.try_estate_at(i)?;
        }
        Ok(plan)
    }

    /// The dimensions.
    pub fn dimensions(&self) -> &[Dimension] {
        &self.dims
    }

    /// How many points the grid has.
    pub fn len(&self) -> usize {
        self.dims.iter().map(|d| d.values.len()).product()
    }

    /// True when the grid has no point (never, for a plan from [`SweepPlan::new`]).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value of each dimension at point `i` (row-major: the last dimension runs fastest).
    pub fn values_at(&self, i: usize) -> Vec<Decimal> {
        let mut rest = i;
        let mut out = vec![Decimal::ZERO; self.dims.len()];
        for (slot, d) in out.iter_mut().zip(&self.dims).rev() {
            let n = d.values.len().max(1);
            *slot = d.values.get(rest % n).copied().unwrap_or_default();
            rest /= n;
        }
        out
    }

    /// The estate with point `i`'s values set.
    pub fn estate_at(&self, i: usize) -> Estate {
        // Every point was checked when the plan was made (`SweepPlan::new`).
        self.try_estate_at(i).unwrap_or_else(|_| self.base.clone())
    }

    /// The estate with point `i`'s values set, or why that point cannot be priced, naming it.
    fn try_estate_at(&self, i: usize) -> Result<Estate, Diagnostics> {
        let mut e = self.base.clone();
        let values = self.values_at(i);
        let set = self
            .dims
            .iter()
            .zip(&values)
            .try_for_each(|(d, v)| d.target.put(&mut e, *v))
            .and_then(|()| Field::check_estate(&e));
        let Err(problems) = set else {
            return Ok(e);
        };
        let point: Vec<String> = self
            .dims
            .iter()
            .zip(&values)
            .map(|(d, v)| format!("{} = {}", d.field, plain_text(*v)))
            .collect();
        Err(problems.at_point(&format!("the point {}", point.join(", "))))
    }

    /// A sweeper: the compiled evaluator of the sweep's estate with the dimensions' fields
    /// interned, to price the points one by one.
    pub fn sweeper<'p, 'b>(&'p self, books: &'b PricebookSet) -> Sweeper<'p, 'b> {
        let mut ev = Evaluator::new(&self.base, books);
        let point = self
            .dims
            .iter()
            .map(|d| (ev.var(&Var::Field(d.target.clone())), Decimal::ZERO))
            .collect();
        let names = self
            .base
            .scenarios
            .iter()
            .map(|s| Shared::from(s.name.as_str()))
            .collect();
        Sweeper {
            plan: self,
            ev,
            point,
            names,
        }
    }

    /// Every point, evaluated in order.
    pub fn run(&self, books: &PricebookSet) -> Sweep {
        let mut s = self.sweeper(books);
        let points = (0..self.len()).map(|i| s.point(i)).collect();
        self.finish(points)
    }

    /// The sweep from its evaluated points (in point order), with the crossovers.
    pub fn finish(&self, points: Vec<SweepPoint>) -> Sweep {
        let mut crossovers = Vec::new();
        match self.dims.as_slice() {
            [d] => crossovers.extend(self.along(d, None, &points.iter().collect::<Vec<_>>())),
            [rows, cols] => {
                let (nr, nc) = (rows.values.len(), cols.values.len());
                for (r, rv) in rows.values.iter().enumerate() {
                    let line: Vec<&SweepPoint> = points.iter().skip(r * nc).take(nc).collect();
                    crossovers.extend(self.along(cols, Some((rows, *rv)), &line));
                }
                for (c, cv) in cols.values.iter().enumerate() {
                    let line: Vec<&SweepPoint> =
                        points.iter().skip(c).step_by(nc.max(1)).take(nr).collect();
                    crossovers.extend(self.along(rows, Some((cols, *cv)), &line));
                }
            }
            _ => {}
        }
        Sweep {
            format: 1,
            command: "sweep",
            engine: crate::ENGINE.to_owned(),
            estate: self.base.name.clone(),
            currency: self.base.currency.clone(),
            years: self.base.years,
            notes: Vec::new(),
            scenarios: self.base.scenarios.iter().map(|s| s.name.clone()).collect(),
            dimensions: self.dims.clone(),
            points,
            crossovers,
        }
    }

    /// Crossovers along one line of points of dimension `d`.
    fn along(
        &self,
        d: &Dimension,
        at: Option<(&Dimension, Decimal)>,
        line: &[&SweepPoint],
    ) -> Vec<Crossover> {
        let mut out = Vec::new();
        for (pair, values) in line.windows(2).zip(d.values.windows(2)) {
            let (p, q) = (pair[0], pair[1]);
            if p.cheapest == q.cheapest {
                continue;
            }
            let (from, to) = (values[0], values[1]);
            let whole_step = d.target.is_integer() && d.step == Decimal::ONE;
            let mut place = format!("above {}", d.target.describe(from, &self.base));
            if !whole_step {
                let _ = write!(place, " (by {})", plain_text(to));
            }
            let compliant_at = |pt: &SweepPoint, name: &str| {
                pt.totals.iter().any(|t| t.scenario == name && t.compliant)
            };
            let total_at = |pt: &SweepPoint, name: &str| {
                pt.totals
                    .iter()
                    .find(|t| t.scenario == name)
                    .map_or(Decimal::ZERO, |t| t.total)
            };
            let what = match (&p.cheapest, &q.cheapest) {
                (Some(b), Some(a)) if !compliant_at(q, b) => format!(
                    "{b} is no longer compliant and {a} is the cheapest ({})",
                    grouped(total_at(q, a))
                ),
                (Some(b), Some(a)) if !compliant_at(p, a) => format!(
                    "{a} becomes compliant and beats {b} ({} vs {})",
                    grouped(total_at(q, a)),
                    grouped(total_at(q, b))
                ),
                (Some(b), Some(a)) => format!(
                    "{a} beats {b} ({} vs {})",
                    grouped(total_at(q, a)),
                    grouped(total_at(q, b))
                ),
                (Some(b), None) => format!("no scenario is compliant ({b} was the cheapest)"),
                (None, Some(a)) => format!(
                    "{a} is the cheapest compliant scenario ({}; none was compliant before)",
                    grouped(total_at(q, a))
                ),
                (None, None) => continue,
            };
            let prefix = at
                .map(|(o, v)| format!("at {}: ", o.target.describe(v, &self.base)))
                .unwrap_or_default();
            out.push(Crossover {
                field: d.field.clone(),
                at: at.map(|(o, v)| Fixed {
                    field: o.field.clone(),
                    value: v,
                }),
                from,
                to,
                before: p.cheapest.as_deref().map(str::to_owned),
                after: q.cheapest.as_deref().map(str::to_owned),
                text: format!("{prefix}{place}, {what}"),
            });
        }
        out
    }
}

//! `sensitivity`: vary each numeric input by ±PCT and rank the inputs by their effect on one
//! scenario's total, or on the difference between two scenarios (a tornado table).
//!
//! The inputs are every number the estate sets (cluster counts, `[costs]` figures, negotiated
//! discounts, exchange rates) and every unit price the scenarios' lines use (an edition's or
//! add-on's price, an upgrade path's price, a support plan's rate or price), each varied in a
//! copy of the pricebooks. Counts are rounded to whole numbers and move by at least 1; a value
//! that would leave the range the estate reader accepts stops at its bound. Each variant is a
//! `quote` of the changed estate (through the compiled evaluator, [`crate::eval`]); the swing
//! is |high − low| of the measured amount. Ties keep the inputs' fixed order (estate fields
//! first, then prices by item).

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::diag::Diagnostics;
use crate::estate::{Estate, Field};
use crate::eval::{Evaluator, Outcome, PriceAt, Var, prices_used};
use crate::money::plain_text;
use crate::money::ser;
use crate::pricebook::PricebookSet;
use crate::quote::Quote;

/// The variation when none is given, in percent.
pub const DEFAULT_PERCENT: u32 = 10;

/// What to measure and by how much to vary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The scenario; `None`: the best-ranked one (the cheapest compliant).
    pub scenario: Option<String>,
    /// Measure `scenario − vs` instead of `scenario`'s total.
    pub vs: Option<String>,
    /// ± this many percent, above 0 and at most 100.
    pub percent: Decimal,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            scenario: None,
            vs: None,
            percent: Decimal::from(DEFAULT_PERCENT),
        }
    }
}

/// The tornado: every input with its low and high effect, largest swing first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sensitivity {
    /// Contract version, 1.
    pub format: u32,
    /// `sensitivity`.
    pub command: &'static str,
    /// `hypercost-core <version>`.
    pub engine: String,
    /// Estate name.
    pub estate: String,
    /// Currency of every amount.
    pub currency: String,
    /// Horizon in years.
    pub years: u32,
    /// The scenario measured.
    pub scenario: String,
    /// The scenario subtracted, with `--vs`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vs: Option<String>,
    /// `total` of the scenario, or `difference` (scenario − vs).
    pub measure: &'static str,
    /// Each input is varied by ± this many percent.
    #[serde(serialize_with = "ser::plain")]
    pub percent: Decimal,
    /// The measured amount with every input at its own value.
    #[serde(serialize_with = "ser::money")]
    pub base: Decimal,
    /// Notes: why the scenario was chosen, what is not varied.
    pub notes: Vec<String>,
    /// Every input, largest swing first.
    pub inputs: Vec<Swing>,
}

/// What kind of input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    /// A count of the estate (hosts, cores, VMs, years of hardware life, …).
    Count,
    /// A `[costs]` figure that is not a count.
    Cost,
    /// A negotiated discount (`[costs] vendor_discount`).
    Discount,
    /// An exchange rate (`[costs] fx`).
    Fx,
    /// A pricebook unit price (an edition, add-on or upgrade path).
    Price,
    /// A support plan's rate (percent of list) or price.
    Support,
}

/// One input varied low and high.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Swing {
    /// 1-based rank.
    pub rank: u32,
    /// The input: an estate field (`prod.hosts`, `costs.pue`, `discount.vmware`) or a
    /// pricebook item (`vmware-vsphere-4.0/enterprise-plus`).
    pub input: String,
    /// What kind.
    pub kind: InputKind,
    /// The unit of the value when it is not the estate currency (`%`, `EUR`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Its own value.
    #[serde(serialize_with = "ser::plain")]
    pub value: Decimal,
    /// The low value.
    #[serde(serialize_with = "ser::plain")]
    pub low: Decimal,
    /// The measured amount at the low value.
    #[serde(serialize_with = "ser::money")]
    pub low_total: Decimal,
    /// The measured scenario(s) are all compliant at the low value.
    pub low_compliant: bool,
    /// The high value.
    #[serde(serialize_with = "ser::plain")]
    pub high: Decimal,
    /// The measured amount at the high value.
    #[serde(serialize_with = "ser::money")]
    pub high_total: Decimal,
    /// The measured scenario(s) are all compliant at the high value.
    pub high_compliant: bool,
    /// |high_total − low_total|.
    #[serde(serialize_with = "ser::money")]
    pub swing: Decimal,
}

/// Ranks every input of `estate` by its effect on the chosen scenario's total (or on the
/// difference with `vs`).
pub fn sensitivity(
    estate: &Estate,
    books: &PricebookSet,
    options: &Options,
) -> Result<Sensitivity, Diagnostics> {
    let p = options.percent;
    if p <= Decimal::ZERO || p > Decimal::ONE_HUNDRED {
        return Err(Diagnostics::input(
            "by",
            format!(
                "--by {} is not a percentage above 0 and at most 100",
                plain_text(p)
            ),
            Some("e.g. --by 10 for ±10 %".into()),
        ));
    }
    let full = crate::quote(estate, books);
    let mut notes = Vec::new();
    let scenario = match &options.scenario {
        Some(name) => find(&full, name, "scenario")?,
        None => {
            let best = full
                .ranking
                .first()
                .map(|r| r.scenario.clone())
                .ok_or_else(super::compare::no_scenario)?;
            notes.push(format!(
                "scenario: {best}, the best-ranked (choose another with --scenario)"
            ));
            best
        }
    };
    let vs = match &options.vs {
        Some(name) => {
            let v = find(&full, name, "vs")?;
            if v == scenario {
                return Err(Diagnostics::input(
                    "vs",
                    format!("--vs names the measured scenario `{v}` itself"),
                    Some("name another scenario: the difference with itself is always 0".into()),
                ));
            }
            Some(v)
        }
        None => None,
    };
    // Only the measured scenarios are priced: a scenario's total does not depend on others.
    let mut small = estate.clone();
    small
        .scenarios
        .retain(|s| s.name == scenario || vs.as_ref().is_some_and(|v| *v == s.name));
    let at = |name: &str| small.scenarios.iter().position(|s| s.name == name);
    let (a_at, b_at) = (at(&scenario), vs.as_deref().and_then(at));
    let measure = |o: &Outcome| -> (Decimal, bool) {
        let get = |k: Option<usize>| {
            k.and_then(|k| o.scenarios.get(k))
                .map_or((Decimal::ZERO, false), |s| (s.total, s.compliant))
        };
        let (a, ac) = get(a_at);
        match b_at {
            Some(_) => {
                let (b, bc) = get(b_at);
                (a - b, ac && bc)
            }
            None => (a, ac),
        }
    };
    let base_quote = crate::quote(&small, books);
    let mut ev = Evaluator::with_quote(&small, books, &base_quote);
    let (base, _) = measure(ev.evaluate(&[])?);

    let mut inputs: Vec<(Var, String, InputKind, Option<String>, Decimal)> = Vec::new();
    for f in Field::all_set(estate) {
        let Some(v) = f.get(estate) else { continue };
        let kind = match &f {
            Field::Discount(_) => InputKind::Discount,
            Field::Fx(_) => InputKind::Fx,
            f if f.is_integer() => InputKind::Count,
            _ => InputKind::Cost,
        };
        inputs.push((Var::Field(f.clone()), f.name(estate), kind, None, v));
    }
    for at in prices_used(&base_quote, books) {
        if let Some((name, kind, unit, v)) = describe_price(&at, books, &estate.currency) {
            inputs.push((Var::Price(at), name, kind, unit, v));
        }
    }
    notes.push(
        "the horizon (years) is not varied; sweep it with `hypercost sweep --vary years=…`"
            .to_owned(),
    );

    let factor_low = Decimal::ONE - p / Decimal::ONE_HUNDRED;
    let factor_high = Decimal::ONE + p / Decimal::ONE_HUNDRED;
    let mut swings: Vec<Swing> = Vec::new();
    for (input, name, kind, unit, value) in inputs {
        let (low, high) = match &input {
            Var::Field(f) => {
                let b = f.bounds();
                let (lo, hi) = if b.integer {
                    let lo = (value * factor_low)
                        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
                        .min(value - Decimal::ONE);
                    let hi = (value * factor_high)
                        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
                        .max(value + Decimal::ONE);
                    (lo, hi)
                } else {
                    (value * factor_low, value * factor_high)
                };
                (
                    b.clamp(lo).unwrap_or(value).normalize(),
                    b.clamp(hi).unwrap_or(value).normalize(),
                )
            }
            Var::Price(_) => (
                (value * factor_low).normalize(),
                (value * factor_high).normalize(),
            ),
        };
        let mut run = |v: Decimal| -> Result<(Decimal, bool), Diagnostics> {
            // Within the field's range, a value can still make a count outgrow its range in a
            // later year (growth × years): that point is refused by name.
            let o = ev
                .evaluate(&[(input.clone(), v)])
                .map_err(|p| p.at_point(&format!("{name} = {}", plain_text(v))))?;
            Ok(measure(o))
        };
        let (low_total, low_compliant) = run(low)?;
        let (high_total, high_compliant) = run(high)?;
        swings.push(Swing {
            rank: 0,
            input: name,
            kind,
            unit,
            value,
            low,
            low_total,
            low_compliant,
            high,
            high_total,
            high_compliant,
            swing: (high_total - low_total).abs(),
        });
    }
    // Stable: equal swings keep the fixed input order.
    swings.sort_by_key(|s| std::cmp::Reverse(s.swing));
    for (i, s) in swings.iter_mut().enumerate() {
        s.rank = i as u32 + 1;
    }
    Ok(Sensitivity {
        format: 1,
        command: "sensitivity",
        engine: full.engine.clone(),
        estate: estate.name.clone(),
        currency: estate.currency.clone(),
        years: estate.years,
        scenario,
        measure: if vs.is_some() { "difference" } else { "total" },
        vs,
        percent: p.normalize(),
        base,
        notes,
        inputs: swings,
    })
}

fn find(q: &Quote, name: &str, field: &str) -> Result<String, Diagnostics> {
    super::compare::find_scenario(q, name, field).map(|i| q.scenarios[i].name.clone())
}

/// Name, kind, unit and value of a pricebook number.
fn describe_price(
    at: &PriceAt,
    books: &PricebookSet,
    currency: &str,
) -> Option<(String, InputKind, Option<String>, Decimal)> {
    let (book, _) = at.ids();
    let b = books.books().iter().find(|x| x.id.0 == *book)?;
    let money_unit = (b.currency != currency).then(|| b.currency.clone());
    let value = at.value(books)?;
    Some(match at {
        PriceAt::Item(..) | PriceAt::Term(..) | PriceAt::Upgrade(..) => {
            (at.name(), InputKind::Price, money_unit, value)
        }
        PriceAt::SupportRate(..) => (at.name(), InputKind::Support, Some("%".into()), value),
        PriceAt::SupportPrice(..) => (at.name(), InputKind::Support, money_unit, value),
    })
}

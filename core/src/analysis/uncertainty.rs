//! `uncertainty`: how far each scenario's total can move when the prices are what their
//! sources allow, and how often each scenario is the cheapest.
//!
//! Every pricebook figure the quote uses gets a range: the book's own `low`/`high` where it
//! states them, else ± the width the estate's `[uncertainty]` gives the figure's confidence
//! mark (the defaults are declared with [`crate::estate::Uncertainty`]). Each estate input
//! named in `[uncertainty.inputs]` gets its stated range. A figure with a range of zero width
//! does not move, so a scenario priced only from `P` figures has zero width.
//!
//! The draws are a seeded Latin hypercube: for each variable, the N draws take the midpoints
//! of N equal strata of its range, `u = (2k + 1) / 2N`, in a seeded random order, so one seed
//! always gives the same bytes, every part of every range is drawn, and a single uniform
//! price's percentiles can be derived by hand (`tests/cases/uncertainty-2026/NOTES.md`).
//! Prices are drawn to the cent and counts to whole numbers; no float is used: the order
//! comes from a SplitMix64 generator and every value is a decimal. Each draw is priced by
//! the compiled evaluator ([`crate::eval`]), which equals `quote` of the drawn estate.
//!
//! Per scenario: P10, P50 and P90 (nearest rank) of the total and the NPV, and the share of
//! draws in which it is the cheapest compliant scenario. The drivers are the variables
//! ranked by their share of the squared Spearman rank correlations with the measure: the gap
//! between the two scenarios most often cheapest (or the one compliant scenario's total).

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::diag::Diagnostics;
use crate::estate::{Estate, Uncertainty};
use crate::eval::{Evaluator, PriceAt, Var, VarId, prices_used};
use crate::money::{plain_text, ser};
use crate::pricebook::{Confidence, PricebookSet, SupportBasis};
use crate::quote::{Band, Draws, Quote, Range};

/// Draws when none are asked for.
pub const DEFAULT_DRAWS: u32 = 10_000;

/// The most draws a run may ask for.
pub const MAX_DRAWS: u32 = 1_000_000;

/// The seed when none is given.
pub const DEFAULT_SEED: u64 = 1;

/// How many draws, from which seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Draws, 1 to [`MAX_DRAWS`].
    pub draws: u32,
    /// The seed of the draws' order.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            draws: DEFAULT_DRAWS,
            seed: DEFAULT_SEED,
        }
    }
}

/// The result: per scenario its bands and its chance of being the cheapest, and the drivers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ranges {
    /// Contract version, 1.
    pub format: u32,
    /// `uncertainty`.
    pub command: &'static str,
    /// `hypercost-core <version>`.
    pub engine: String,
    /// Estate name.
    pub estate: String,
    /// Currency of every amount.
    pub currency: String,
    /// Horizon in years.
    pub years: u32,
    /// Draws made.
    pub draws: u32,
    /// Their seed.
    pub seed: u64,
    /// Notes: figures left out, how the draws were made.
    pub notes: Vec<String>,
    /// Every variable drawn, with its range and why that range.
    pub inputs: Vec<Drawn>,
    /// Per scenario, in estate order.
    pub scenarios: Vec<ScenarioRange>,
    /// What the drivers explain, in words (`VCF − Proxmox`, or one scenario's total).
    pub measure: String,
    /// The variables by their share of the measure's spread, largest first.
    pub drivers: Vec<Driver>,
}

/// A variable drawn.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Drawn {
    /// Its name: `book/item`, `book/item (3-year term)`, or the estate field.
    pub input: String,
    /// `price`, `support rate` or `estate input`.
    pub kind: &'static str,
    /// Its value in the quote.
    #[serde(serialize_with = "ser::plain")]
    pub value: Decimal,
    /// Lowest value drawn.
    #[serde(serialize_with = "ser::plain")]
    pub low: Decimal,
    /// Highest value drawn.
    #[serde(serialize_with = "ser::plain")]
    pub high: Decimal,
    /// Why this range: `W ± 15 %`, `the book's low–high (C)`, `the estate's range`.
    pub why: String,
}

/// One scenario over the draws.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioRange {
    /// Scenario name.
    pub name: String,
    /// The quote's total (every figure at its stated value).
    #[serde(serialize_with = "ser::money")]
    pub quoted: Decimal,
    /// Compliant at the stated values.
    pub compliant: bool,
    /// Its bands and how often it is the cheapest.
    #[serde(flatten)]
    pub range: Range,
}

/// A variable's part in the measure's spread.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Driver {
    /// The variable, as in [`Drawn::input`].
    pub input: String,
    /// Its squared rank correlation with the measure over the sum of all of them, to two
    /// decimals.
    #[serde(serialize_with = "ser::plain")]
    pub share: Decimal,
    /// `+` when a higher value raises the measure, `−` when it lowers it.
    pub direction: &'static str,
}

/// Gives each scenario of `q` (the quote of the same estate) its range, for `--ranges`.
pub fn attach(q: &mut Quote, r: &Ranges) {
    q.draws = Some(Draws {
        draws: r.draws,
        seed: r.seed,
    });
    for (s, range) in q.scenarios.iter_mut().zip(&r.scenarios) {
        s.range = Some(range.range.clone());
    }
}

/// A variable and how to draw it.
struct Variable {
    var: Var,
    drawn: Drawn,
    /// Whole numbers only (counts).
    integer: bool,
}

/// Draws every uncertain figure and input of `estate` and prices each draw.
pub fn uncertainty(
    estate: &Estate,
    books: &PricebookSet,
    options: Options,
) -> Result<Ranges, Diagnostics> {
    if options.draws == 0 || options.draws > MAX_DRAWS {
        return Err(Diagnostics::input(
            "--draws",
            format!("{} draws is out of range", options.draws),
            Some(format!(
                "expected 1 to {}",
                crate::money::grouped_int(u64::from(MAX_DRAWS))
            )),
        ));
    }
    let q = crate::quote(estate, books);
    let widths = estate.uncertainty.clone().unwrap_or_default();
    let mut notes = Vec::new();
    let variables = variables(estate, books, &q, &widths, &mut notes);
    let n = options.draws as usize;
    let mut ev = Evaluator::with_quote(estate, books, &q);
    let ids: Vec<VarId> = variables.iter().map(|v| ev.var(&v.var)).collect();
    let strata = strata(variables.len(), n, options.seed);
    let scenarios = q.scenarios.len();
    let mut totals: Vec<Vec<Decimal>> = vec![Vec::with_capacity(n); scenarios];
    let mut npvs: Vec<Vec<Decimal>> = vec![Vec::with_capacity(n); scenarios];
    let years = estate.years as usize;
    let mut cumulative: Vec<Vec<Vec<Decimal>>> =
        vec![vec![Vec::with_capacity(n); years]; scenarios];
    let mut cheapest = vec![0u32; scenarios];
    let mut draws: Vec<Vec<Decimal>> = vec![Vec::with_capacity(n); variables.len()];
    let mut point: Vec<(VarId, Decimal)> = Vec::with_capacity(variables.len());
    for (i, row) in strata.iter().enumerate() {
        point.clear();
        for (j, v) in variables.iter().enumerate() {
            let value = v.value_at(row[j], n);
            draws[j].push(value);
            point.push((ids[j], value));
        }
        let o = ev
            .evaluate_ids(&point)
            .map_err(|d| d.at_point(&format!("draw {} of seed {}", i + 1, options.seed)))?;
        for (k, s) in o.scenarios.iter().enumerate() {
            totals[k].push(s.total);
            npvs[k].push(o.npv(k).unwrap_or_default());
            let mut sum = Decimal::ZERO;
            for (y, total) in s.years.iter().enumerate().take(years) {
                sum += *total;
                cumulative[k][y].push(sum);
            }
        }
        if let Some(k) = o.cheapest() {
            cheapest[k] += 1;
        }
    }
    // Each total's band from a sorted copy: the drivers read the draws in their order.
    let bands: Vec<Band> = totals.iter().map(|t| band(&mut t.clone())).collect();
    let (measure, drivers) = drivers(&q, &variables, &draws, &totals, &cheapest, &bands);
    let ranges: Vec<ScenarioRange> = q
        .scenarios
        .iter()
        .enumerate()
        .map(|(k, s)| ScenarioRange {
            name: s.name.clone(),
            quoted: s.total,
            compliant: s.compliant,
            range: Range {
                total: bands[k],
                npv: band(&mut npvs[k]),
                cumulative: cumulative[k].iter_mut().map(|c| band(c)).collect(),
                cheapest_draws: cheapest[k],
                p_cheapest: share(cheapest[k], options.draws),
            },
        })
        .collect();
    notes.push(format!(
        "{} draws (a Latin hypercube: each range cut into {} equal strata, one draw at the middle of each, in an order set by seed {}); each draw priced exactly as `quote` would price it",
        crate::money::grouped_int(u64::from(options.draws)),
        crate::money::grouped_int(u64::from(options.draws)),
        options.seed
    ));
    Ok(Ranges {
        format: 1,
        command: "uncertainty",
        engine: q.engine.clone(),
        estate: estate.name.clone(),
        currency: estate.currency.clone(),
        years: estate.years,
        draws: options.draws,
        seed: options.seed,
        notes,
        inputs: variables.into_iter().map(|v| v.drawn).collect(),
        scenarios: ranges,
        measure,
        drivers,
    })
}

/// Every figure and input to draw: the pricebook figures the quote uses with a range of
/// non-zero width, then the estate's `[uncertainty.inputs]`.
fn variables(
    estate: &Estate,
    books: &PricebookSet,
    q: &Quote,
    widths: &Uncertainty,
    notes: &mut Vec<String>,
) -> Vec<Variable> {
    let mut out = Vec::new();
    let mut fixed = 0;
    for at in prices_used(q, books) {
        let Some(Figure {
            value,
            mark,
            stated,
            kind,
        }) = figure(&at, books)
        else {
            continue;
        };
        let (low, high, why) = match stated {
            Some((l, h)) => (
                l,
                h,
                format!(
                    "the book's {}–{} ({})",
                    plain_text(l),
                    plain_text(h),
                    mark.mark()
                ),
            ),
            None => {
                let w = widths.width(mark).unwrap_or_default();
                let cents = |d: Decimal| {
                    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
                };
                (
                    cents(value * (Decimal::ONE - w)),
                    cents(value * (Decimal::ONE + w)),
                    format!(
                        "{} ± {} %",
                        mark.mark(),
                        plain_text(w * Decimal::ONE_HUNDRED)
                    ),
                )
            }
        };
        if low == high {
            fixed += 1;
            continue;
        }
        out.push(Variable {
            var: Var::Price(at.clone()),
            drawn: Drawn {
                input: at.name(),
                kind,
                value,
                low,
                high,
                why,
            },
            integer: false,
        });
    }
    if fixed > 0 {
        notes.push(format!(
            "{fixed} pricebook figure(s) have no width (P, or a width of 0 in [uncertainty]) and stay at their stated value"
        ));
    }
    let unknown = q
        .scenarios
        .iter()
        .flat_map(|s| &s.problems)
        .filter(|p| p.code == crate::quote::ProblemCode::PriceUnknown)
        .count();
    if unknown > 0 {
        notes.push(format!(
            "{unknown} line(s) rest on a price no source gives (UNVERIFIED without an amount): counted at 0.00 in every draw, so those totals are low in every draw"
        ));
    }
    for r in widths.inputs.iter().filter(|r| r.low != r.high) {
        out.push(Variable {
            var: Var::Field(r.field.clone()),
            drawn: Drawn {
                input: r.field.name(estate),
                kind: "estate input",
                value: r.field.get(estate).unwrap_or_default(),
                low: r.low,
                high: r.high,
                why: "the estate's range".to_owned(),
            },
            integer: r.field.is_integer(),
        });
    }
    out
}

/// A pricebook figure as a variable to draw.
struct Figure {
    value: Decimal,
    mark: Confidence,
    /// The book's own `low`/`high`.
    stated: Option<(Decimal, Decimal)>,
    kind: &'static str,
}

/// A figure's stated value, mark, stated range and kind.
fn figure(at: &PriceAt, books: &PricebookSet) -> Option<Figure> {
    let (book, id) = at.ids();
    let b = books.books().iter().find(|x| x.id.0 == book)?;
    let price = match at {
        PriceAt::Item(..) => &b.item(id)?.price,
        PriceAt::Term(_, _, y) => {
            &b.item(id)?
                .term_prices
                .iter()
                .find(|t| t.years == *y)?
                .price
        }
        PriceAt::Upgrade(..) => &b.upgrades.iter().find(|u| u.id == id)?.price,
        PriceAt::SupportPrice(..) | PriceAt::SupportRate(..) => match &b.support_plan(id)?.basis {
            SupportBasis::Price(p) => p,
            SupportBasis::Rate(r) => {
                return Some(Figure {
                    value: r.percent,
                    mark: r.confidence,
                    stated: None,
                    kind: "support rate",
                });
            }
        },
    };
    Some(Figure {
        value: price.amount?,
        mark: price.confidence,
        stated: price.range,
        kind: "price",
    })
}

impl Variable {
    /// The value in stratum `k` of `n`: `low + (high − low) × (2k + 1) / 2n`, to the cent
    /// (a price), to whole numbers (a count: `low + ⌊(high − low + 1) × (2k + 1) / 2n⌋`) or
    /// to four decimals (another input).
    fn value_at(&self, k: u32, n: usize) -> Decimal {
        let (low, high) = (self.drawn.low, self.drawn.high);
        let u = Decimal::from(2 * u64::from(k) + 1) / Decimal::from(2 * n as u64);
        let v = if self.integer {
            (low + ((high - low + Decimal::ONE) * u).floor()).min(high)
        } else {
            let dp = if matches!(self.var, Var::Price(_)) {
                2
            } else {
                4
            };
            (low + (high - low) * u)
                .round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
        };
        v.max(low).min(high)
    }
}

/// Per draw, the stratum of each of `vars` variables: each variable's `n` strata in a
/// seeded random order (variable by variable, so adding a variable keeps the others').
fn strata(vars: usize, n: usize, seed: u64) -> Vec<Vec<u32>> {
    let mut rng = SplitMix64(seed);
    let mut rows = vec![Vec::with_capacity(vars); n];
    for _ in 0..vars {
        let mut order: Vec<u32> = (0..n as u32).collect();
        // Fisher–Yates.
        for i in (1..n).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            order.swap(i, j);
        }
        for (row, k) in rows.iter_mut().zip(order) {
            row.push(k);
        }
    }
    rows
}

/// SplitMix64 (Steele, Lea and Flood, 2014): a small, well-mixed generator whose stream is
/// the same on every platform, so a seed always gives the same draws.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (Lemire's multiply-shift with rejection, so without bias).
    fn below(&mut self, n: u64) -> u64 {
        loop {
            let m = u128::from(self.next()) * u128::from(n);
            let low = m as u64;
            if low >= n.wrapping_neg() % n {
                return (m >> 64) as u64;
            }
        }
    }
}

/// P10, P50, P90 by nearest rank: the value at position ⌈p × n / 100⌉ of the sorted draws.
fn band(values: &mut [Decimal]) -> Band {
    values.sort_unstable();
    let at = |p: usize| {
        let n = values.len();
        let rank = (p * n).div_ceil(100).max(1);
        values.get(rank - 1).copied().unwrap_or_default()
    };
    Band {
        p10: at(10),
        p50: at(50),
        p90: at(90),
    }
}

/// `count / draws` to four decimals.
fn share(count: u32, draws: u32) -> Decimal {
    (Decimal::from(count) / Decimal::from(draws))
        .round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// The measure (the gap between the two scenarios most often cheapest, the runner-up by
/// P50 when only one ever is, else the cheapest's total) and each variable's share of the
/// squared rank correlations with it.
fn drivers(
    q: &Quote,
    variables: &[Variable],
    draws: &[Vec<Decimal>],
    totals: &[Vec<Decimal>],
    cheapest: &[u32],
    bands: &[Band],
) -> (String, Vec<Driver>) {
    // The two most often cheapest; among as often, compliant first, then the lower P50.
    let mut by: Vec<usize> = (0..cheapest.len()).collect();
    by.sort_by_key(|&k| {
        (
            std::cmp::Reverse(cheapest[k]),
            !q.scenarios[k].compliant,
            bands[k].p50,
            k,
        )
    });
    let name = |k: usize| q.scenarios[k].name.clone();
    let (measure, values): (String, Vec<Decimal>) = match by.as_slice() {
        [a, b, ..] if cheapest[*b] > 0 || q.scenarios[*b].compliant => (
            format!("{} − {}", name(*a), name(*b)),
            totals[*a]
                .iter()
                .zip(&totals[*b])
                .map(|(x, y)| x - y)
                .collect(),
        ),
        [a, ..] => (name(*a), totals[*a].clone()),
        [] => return (String::new(), Vec::new()),
    };
    let ry = ranks(&values);
    let rho: Vec<(i128, i128)> = draws.iter().map(|d| correlation(&ranks(d), &ry)).collect();
    // ρ² = cov² / (var_x × var_y), each term scaled by the draws so it fits a decimal.
    let squares: Vec<Decimal> = rho
        .iter()
        .map(|&(cov, var)| {
            let (cov, var) = (
                Decimal::try_from_i128_with_scale(cov, 0),
                Decimal::try_from_i128_with_scale(var, 0),
            );
            match (cov, var) {
                (Ok(c), Ok(v)) if !v.is_zero() => c
                    .checked_mul(c)
                    .and_then(|c2| c2.checked_div(v))
                    .unwrap_or_default(),
                _ => Decimal::ZERO,
            }
        })
        .collect();
    let sum: Decimal = squares.iter().sum();
    let mut out: Vec<Driver> = variables
        .iter()
        .zip(&squares)
        .zip(&rho)
        .filter(|((_, sq), _)| !sq.is_zero() && !sum.is_zero())
        .map(|((v, sq), (cov, _))| Driver {
            input: v.drawn.input.clone(),
            share: (sq / sum)
                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
                .normalize(),
            direction: if *cov >= 0 { "+" } else { "−" },
        })
        .collect();
    out.sort_by_key(|d| std::cmp::Reverse(d.share));
    (measure, out)
}

/// Ranks of `values`, doubled so ties (the average of their positions) stay whole:
/// positions 1..n, a tie over positions i..j gets i + j.
fn ranks(values: &[Decimal]) -> Vec<i128> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].cmp(&values[b]).then(a.cmp(&b)));
    let mut out = vec![0i128; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        for &k in &order[i..=j] {
            out[k] = (i + 1 + j + 1) as i128;
        }
        i = j + 1;
    }
    out
}

/// The covariance of two rankings and the product of their variances, each divided by the
/// draws (so their squares fit a decimal): ρ² = cov² ÷ product.
fn correlation(x: &[i128], y: &[i128]) -> (i128, i128) {
    let n = x.len() as i128;
    if n == 0 {
        return (0, 0);
    }
    // Doubled ranks average n + 1.
    let mean = n + 1;
    let (mut cov, mut vx, mut vy) = (0i128, 0i128, 0i128);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mean, b - mean);
        cov += dx * dy;
        vx += dx * dx;
        vy += dy * dy;
    }
    let (cov, vx, vy) = (cov / n, vx / n, vy / n);
    (cov, vx.saturating_mul(vy))
}

//! `explain`: every line of a [`Quote`] derived step by step, so a reader can redo any number
//! by hand.
//!
//! [`explain`] turns a quote into an [`Explanation`]: per line the quantity and its rule, the
//! unit price with its source and confidence (and the currency conversion when there is one),
//! the list amount, every discount step in the engine's order (promotion → negotiated →
//! surcharge → escalation; an uplift is a negative percent off) with the running amount, and
//! the one rounding: `round(16 × 620.00 × (1 − 50 %)) = round(4,960.00) = 4,960.00`. Then the
//! sums per year and in total. Every amount is recomputed here from the structured steps, not
//! copied, and any disagreement with the quote is listed (there should be none).
//! The renderers write it as a table, JSON, CSV or Markdown.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::date::Date;
use crate::diag::{Diagnostics, help_for};
use crate::money::{grouped, grouped_unit, money_text, plain_text, round_line};
use crate::pricebook::Confidence;
use crate::quote::{ALL_CLUSTERS, Line, LineKind, Quote, ScenarioQuote, StepKind};

/// Version of the explanation JSON.
pub const EXPLAIN_FORMAT: u32 = 1;

/// Every line of a quote (or of one scenario or cluster) with its derivation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Explanation {
    /// Contract version, 1.
    pub format: u32,
    /// `hypercost-core <version>`.
    pub engine: String,
    /// Estate name.
    pub estate: String,
    /// Currency of every amount.
    pub currency: String,
    /// Horizon in years.
    pub years: u32,
    /// The scenario asked for, if one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// The cluster asked for, if one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// How every amount is made, in words.
    pub method: Vec<String>,
    /// What the reader should know about the inputs (a replaced pricebook, an as-of date:
    /// [`crate::Pricing::notes`]); absent from the JSON when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Recomputed amounts that differ from the quote's (empty: every number agrees).
    pub disagreements: Vec<String>,
    /// One per scenario shown, in quote order.
    pub scenarios: Vec<ScenarioExplanation>,
}

/// One scenario's lines and sums.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioExplanation {
    /// Scenario name.
    pub name: String,
    /// The purchase date it was priced on.
    pub purchase_date: Date,
    /// Whether the plan is compliant (see `quote` for the problems).
    pub compliant: bool,
    /// Lines left out by the cluster filter, if any, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The lines shown, each derived.
    pub lines: Vec<LineDerivation>,
    /// Sum of the lines shown, per year.
    pub years: Vec<YearSum>,
    /// Sum of the years.
    pub total: TotalSum,
}

/// One line's derivation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LineDerivation {
    /// 1-based position among the scenario's lines in the quote (`[n]` in the sums).
    pub line: u32,
    /// Cluster name, or `*` for a scenario-wide line.
    pub cluster: String,
    /// 1-based year.
    pub year: u32,
    /// What the line pays for.
    pub kind: LineKind,
    /// `pricebook-id/item-id`.
    pub item: String,
    /// The item's human name.
    pub name: String,
    /// Units.
    #[serde(serialize_with = "crate::money::ser::plain")]
    pub quantity: Decimal,
    /// How the quantity was counted.
    pub quantity_rule: String,
    /// Unit price in the estate currency.
    #[serde(serialize_with = "crate::money::ser::unit")]
    pub unit_price: Decimal,
    /// Where the unit price comes from.
    pub price_source: String,
    /// How far the price can be trusted.
    pub confidence: Confidence,
    /// Derivation or caveat of the price.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_note: Option<String>,
    /// The currency conversion, when the pricebook prices in another currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fx: Option<FxStep>,
    /// `quantity × unit price`, exact.
    #[serde(serialize_with = "ser_exact")]
    pub list: Decimal,
    /// `16 × 620.00 = 9,920.00`.
    pub list_arithmetic: String,
    /// Discount steps in the order they apply.
    pub steps: Vec<Step>,
    /// The amount before rounding, exact.
    #[serde(serialize_with = "ser_exact")]
    pub exact: Decimal,
    /// The amount, rounded once to cents (recomputed here).
    #[serde(serialize_with = "crate::money::ser::money")]
    pub amount: Decimal,
    /// `round(16 × 620.00 × (1 − 50 %)) = round(4,960.00) = 4,960.00`.
    pub rounding: String,
}

/// A unit price converted into the estate currency.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FxStep {
    /// The pricebook's currency.
    pub currency: String,
    /// The unit price in that currency.
    #[serde(serialize_with = "crate::money::ser::unit")]
    pub unit_price: Decimal,
    /// Estate currency per 1 unit of `currency`.
    #[serde(serialize_with = "crate::money::ser::plain")]
    pub rate: Decimal,
    /// The date of the rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// `EUR 540.00 × 1.08 USD/EUR = 583.20 USD`.
    pub arithmetic: String,
}

/// One discount (or uplift) step with the running amount.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    /// 1-based order.
    pub step: u32,
    /// Promotion, negotiated, surcharge or escalation.
    pub kind: StepKind,
    /// What it is.
    pub label: String,
    /// Percent off (negative: an uplift).
    #[serde(serialize_with = "crate::money::ser::plain")]
    pub percent: Decimal,
    /// `1 − percent / 100`.
    #[serde(serialize_with = "crate::money::ser::plain")]
    pub factor: Decimal,
    /// The running amount before the step, exact.
    #[serde(serialize_with = "ser_exact")]
    pub before: Decimal,
    /// The running amount after the step, exact.
    #[serde(serialize_with = "ser_exact")]
    pub after: Decimal,
    /// `9,920.00 × (1 − 50 %) = 4,960.00`.
    pub arithmetic: String,
    /// Citation.
    pub source: String,
    /// Last day the step can be had (promotions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Date>,
}

/// The sum of one year's lines.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct YearSum {
    /// 1-based year.
    pub year: u32,
    /// The `line` numbers summed.
    pub lines: Vec<u32>,
    /// Their sum.
    #[serde(serialize_with = "crate::money::ser::money")]
    pub total: Decimal,
    /// `[1] + [2] = 0.00 + 4,960.00 = 4,960.00`.
    pub arithmetic: String,
}

/// The sum of the years.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TotalSum {
    /// The sum.
    #[serde(serialize_with = "crate::money::ser::money")]
    pub total: Decimal,
    /// `year 1 + year 2 = 30,060.00 + 13,980.00 = 44,040.00`.
    pub arithmetic: String,
}

/// Explains a quote: every scenario, or the one named; every cluster's lines, or one's.
/// An unknown scenario or cluster name is an error with the valid names.
pub fn explain(
    quote: &Quote,
    scenario: Option<&str>,
    cluster: Option<&str>,
) -> Result<Explanation, Diagnostics> {
    if let Some(name) = scenario
        && !quote.scenarios.iter().any(|s| s.name == name)
    {
        let valid: Vec<&str> = quote.scenarios.iter().map(|s| s.name.as_str()).collect();
        return Err(Diagnostics::input(
            "scenario",
            format!("no scenario `{name}` in estate `{}`", quote.estate),
            Some(help_for(name, &valid, "scenarios")),
        ));
    }
    if let Some(name) = cluster {
        let mut valid: Vec<&str> = Vec::new();
        for l in quote.scenarios.iter().flat_map(|s| &s.lines) {
            if !valid.contains(&l.cluster.as_str()) {
                valid.push(&l.cluster);
            }
        }
        if !valid.contains(&name) {
            return Err(Diagnostics::input(
                "cluster",
                format!("no lines for cluster `{name}` in estate `{}`", quote.estate),
                Some(help_for(name, &valid, "clusters")),
            ));
        }
    }
    let mut disagreements = Vec::new();
    let scenarios = quote
        .scenarios
        .iter()
        .filter(|s| scenario.is_none_or(|n| s.name == n))
        .map(|s| scenario_explanation(quote, s, cluster, &mut disagreements))
        .collect();
    Ok(Explanation {
        format: EXPLAIN_FORMAT,
        engine: quote.engine.clone(),
        estate: quote.estate.clone(),
        currency: quote.currency.clone(),
        years: quote.years,
        scenario: scenario.map(str::to_owned),
        cluster: cluster.map(str::to_owned),
        method: method(),
        notes: Vec::new(),
        disagreements,
        scenarios,
    })
}

fn method() -> Vec<String> {
    vec![
        "amount = round(quantity × unit price × (1 − step 1 %) × (1 − step 2 %) × …): one rounding per line, to cents, half away from zero".to_owned(),
        "steps apply in one order: promotion → negotiated discount → surcharge → escalation; an uplift (surcharge, escalation) is a negative percent off, so (1 − (−20 %)) = (1 + 20 %); two 10 % discounts give 19 %, not 20 %".to_owned(),
        "a unit price from a pricebook in another currency is converted first, at the estate's own rate, and is not rounded".to_owned(),
        "year totals are sums of rounded lines; the total is the sum of the years".to_owned(),
    ]
}

fn scenario_explanation(
    quote: &Quote,
    s: &ScenarioQuote,
    cluster: Option<&str>,
    disagreements: &mut Vec<String>,
) -> ScenarioExplanation {
    let mut lines = Vec::new();
    for (i, l) in s.lines.iter().enumerate() {
        if cluster.is_some_and(|c| l.cluster != c) {
            continue;
        }
        let d = derive(i as u32 + 1, l, &quote.currency);
        if d.amount != l.amount {
            disagreements.push(format!(
                "{}, line [{}] {}: recomputed {} but the quote says {}",
                s.name,
                d.line,
                l.item,
                money_text(d.amount),
                money_text(l.amount)
            ));
        }
        lines.push(d);
    }
    let scope = cluster.map(|c| {
        let left = s.lines.len() - lines.len();
        let whole = if left == 0 {
            "no other lines".to_owned()
        } else {
            format!(
                "{left} line{} of other clusters{} left out",
                if left == 1 { "" } else { "s" },
                if s.lines.iter().any(|l| l.cluster == ALL_CLUSTERS) {
                    " and scenario-wide lines (cluster *)"
                } else {
                    ""
                }
            )
        };
        format!(
            "cluster {c} only ({whole}); the sums below are of its lines, the scenario's total is {}",
            grouped(s.total)
        )
    });
    let years: Vec<YearSum> = (1..=quote.years)
        .map(|year| {
            let of_year: Vec<&LineDerivation> = lines.iter().filter(|l| l.year == year).collect();
            let total: Decimal = of_year.iter().map(|l| l.amount).sum();
            let arithmetic = match of_year.as_slice() {
                [] => "no lines = 0.00".to_owned(),
                [one] => format!("[{}] = {}", one.line, grouped(one.amount)),
                many => format!(
                    "{} = {} = {}",
                    many.iter()
                        .map(|l| format!("[{}]", l.line))
                        .collect::<Vec<_>>()
                        .join(" + "),
                    many.iter()
                        .map(|l| grouped(l.amount))
                        .collect::<Vec<_>>()
                        .join(" + "),
                    grouped(total)
                ),
            };
            YearSum {
                year,
                lines: of_year.iter().map(|l| l.line).collect(),
                total,
                arithmetic,
            }
        })
        .collect();
    if cluster.is_none() {
        for y in &years {
            let quoted = s.years.iter().find(|q| q.year == y.year).map(|q| q.total);
            if quoted != Some(y.total) {
                disagreements.push(format!(
                    "{}, year {}: the lines sum to {} but the quote says {}",
                    s.name,
                    y.year,
                    money_text(y.total),
                    quoted.map_or("nothing".to_owned(), money_text)
                ));
            }
        }
    }
    let total: Decimal = years.iter().map(|y| y.total).sum();
    if cluster.is_none() && total != s.total {
        disagreements.push(format!(
            "{}: the years sum to {} but the quote's total is {}",
            s.name,
            money_text(total),
            money_text(s.total)
        ));
    }
    let names: Vec<String> = years.iter().map(|y| format!("year {}", y.year)).collect();
    let amounts: Vec<String> = years.iter().map(|y| grouped(y.total)).collect();
    let arithmetic = if years.len() == 1 {
        format!("year 1 = {}", grouped(total))
    } else {
        format!(
            "{} = {} = {}",
            names.join(" + "),
            amounts.join(" + "),
            grouped(total)
        )
    };
    ScenarioExplanation {
        name: s.name.clone(),
        purchase_date: s.purchase_date,
        compliant: s.compliant,
        scope,
        lines,
        years,
        total: TotalSum { total, arithmetic },
    }
}

/// One line derived from its structured parts; the amount is recomputed step by step.
fn derive(number: u32, l: &Line, currency: &str) -> LineDerivation {
    let list = l.quantity * l.unit_price;
    let qty = plain_text(l.quantity);
    let unit = grouped_unit(l.unit_price);
    let mut running = list;
    let mut steps = Vec::new();
    let mut factors = String::new();
    for (i, d) in l.discounts.iter().enumerate() {
        let factor = Decimal::ONE - d.percent / Decimal::ONE_HUNDRED;
        let before = running;
        running *= factor;
        let f = factor_text(d.percent);
        factors.push_str(&format!(" × {f}"));
        steps.push(Step {
            step: i as u32 + 1,
            kind: d.kind,
            label: d.label.clone(),
            percent: d.percent,
            factor,
            before,
            after: running,
            arithmetic: format!("{} × {f} = {}", exact_text(before), exact_text(running)),
            source: d.source.clone(),
            valid_until: d.valid_until,
        });
    }
    let amount = round_line(running);
    let fx = l.fx.as_ref().map(|fx| {
        let on = fx.date.map_or(String::new(), |d| format!(" (rate of {d})"));
        FxStep {
            currency: fx.currency.clone(),
            unit_price: fx.unit_price,
            rate: fx.rate,
            date: fx.date,
            arithmetic: format!(
                "{} {} × {} {currency}/{}{on} = {currency} {unit}",
                fx.currency,
                grouped_unit(fx.unit_price),
                plain_text(fx.rate),
                fx.currency,
            ),
        }
    });
    LineDerivation {
        line: number,
        cluster: l.cluster.to_string(),
        year: l.year,
        kind: l.kind,
        item: l.item.to_string(),
        name: l.name.to_string(),
        quantity: l.quantity,
        quantity_rule: l.rule.0.clone(),
        unit_price: l.unit_price,
        price_source: l.source.source.to_string(),
        confidence: l.source.confidence,
        price_note: l.source.note.as_ref().map(|n| n.to_string()),
        fx,
        list,
        list_arithmetic: format!("{qty} × {unit} = {}", exact_text(list)),
        steps,
        exact: running,
        amount,
        rounding: format!(
            "round({qty} × {unit}{factors}) = round({}) = {}",
            exact_text(running),
            grouped(amount)
        ),
    }
}

/// `(1 − 50 %)` for a discount, `(1 + 20 %)` for an uplift.
fn factor_text(percent: Decimal) -> String {
    if percent.is_sign_negative() {
        format!("(1 + {} %)", plain_text(-percent))
    } else {
        format!("(1 − {} %)", plain_text(percent))
    }
}

/// An exact amount for people: grouped, every significant decimal, at least two, so the
/// rounding that follows is visible: `4,960.00`, `1,234.5678`.
fn exact_text(value: Decimal) -> String {
    grouped_unit(value)
}

fn ser_exact<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.to_string())
}

//! The result contract: a [`Quote`] with its scenarios, lines, totals and problems.
//!
//! Every renderer (table, JSON, and later CSV, XLSX, HTML) consumes this one type. The JSON
//! form carries `format: 1`; it only ever gains fields. Every [`Line`] carries the [`Rule`]
//! that produced its quantity and the [`PriceSource`] of its unit price: the constructor
//! requires both, so an unexplained number cannot be built.

mod expr;

use std::sync::Arc;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use crate::date::Date;
use crate::estate::{Cluster, ClusterField, InputTable};
use crate::money::{discount_factor, line_amount};
use crate::pricebook::Confidence;
use crate::shared::Shared;

pub use expr::{Expr, Input, PriceKind, PriceRef, StepOrigin, costs_citation};

/// Version of the quote JSON contract.
pub const QUOTE_FORMAT: u32 = 1;

/// The cluster name of lines that belong to a whole scenario (pool top-ups, order minimums).
pub const ALL_CLUSTERS: &str = "*";

/// A priced estate.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Quote {
    /// Contract version, 1.
    pub format: u32,
    /// `hypercost-core <version>`.
    pub engine: String,
    /// Estate name.
    pub estate: String,
    /// Currency of every amount.
    pub currency: String,
    /// The estate's purchase date.
    pub purchase_date: Date,
    /// Horizon in years.
    pub years: u32,
    /// The pricebooks the quote used, with content hashes.
    pub pricebooks: Vec<PricebookUsed>,
    /// Notes on the whole quote (overridden pricebooks, unpriced cost blocks).
    pub notes: Vec<String>,
    /// Every assumption the totals rest on, from the estate or a stated default.
    pub assumptions: Vec<Assumption>,
    /// The estate's numbers the engine used (clusters and costs), so a renderer can lay them
    /// out as live inputs (the XLSX Assumptions sheet) and each line's quantity formula can
    /// be evaluated.
    pub inputs: Inputs,
    /// One per estate scenario, in estate order.
    pub scenarios: Vec<ScenarioQuote>,
    /// Scenarios ranked: compliant ones first, then by total.
    pub ranking: Vec<Ranked>,
    /// How the scenarios' ranges were drawn, when the quote has them (`--ranges`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draws: Option<Draws>,
}

impl Quote {
    /// The arithmetic every quote satisfies, checked: one result per scenario of the estate
    /// (`scenarios`), each scenario's total the sum of its lines and of its years, a total for
    /// each year of the horizon equal to the sum of that year's lines, every amount in cents
    /// and in a year of the horizon, compliant exactly when no problem is reported. `Err` says
    /// the first that fails. The one statement of these invariants, asserted by the tests and
    /// the fuzzer alike.
    pub fn check_arithmetic(&self, scenarios: usize) -> Result<(), String> {
        let fail = |what: String| Err(what);
        if self.scenarios.len() != scenarios {
            return fail(format!(
                "{} results for {scenarios} scenarios",
                self.scenarios.len()
            ));
        }
        let years = usize::try_from(self.years).unwrap_or(usize::MAX);
        for s in &self.scenarios {
            let name = &s.name;
            let of_lines: Decimal = s.lines.iter().map(|l| l.amount).sum();
            if s.total != of_lines {
                return fail(format!("{name}: total {} ≠ Σ lines {of_lines}", s.total));
            }
            let of_years: Decimal = s.years.iter().map(|y| y.total).sum();
            if s.total != of_years {
                return fail(format!("{name}: total {} ≠ Σ years {of_years}", s.total));
            }
            if s.years.len() != years {
                return fail(format!(
                    "{name}: {} year totals for {years} years",
                    s.years.len()
                ));
            }
            for y in &s.years {
                let of_year = s.lines_total(y.year);
                if y.total != of_year {
                    return fail(format!(
                        "{name}: year {} {} ≠ Σ its lines {of_year}",
                        y.year, y.total
                    ));
                }
            }
            for l in &s.lines {
                if l.amount.scale() != 2 {
                    return fail(format!("{name}: amount {} not in cents", l.amount));
                }
                if !(1..=self.years).contains(&l.year) {
                    return fail(format!("{name}: a line in year {}", l.year));
                }
            }
            if s.compliant != s.problems.is_empty() {
                return fail(format!(
                    "{name}: compliant = {} with {} problems",
                    s.compliant,
                    s.problems.len()
                ));
            }
        }
        Ok(())
    }
}

/// A pricebook a quote used.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PricebookUsed {
    /// Id.
    pub id: String,
    /// Human name.
    pub name: String,
    /// `<bundled>` or the file it came from.
    pub origin: String,
    /// `sha256:` of its text.
    pub hash: String,
}

/// One scenario priced.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ScenarioQuote {
    /// Scenario name.
    pub name: String,
    /// No problems.
    pub compliant: bool,
    /// The purchase date this scenario was priced on.
    pub purchase_date: Date,
    /// Why the plan is not compliant, each named.
    pub problems: Vec<Problem>,
    /// Things a buyer should know that do not break compliance.
    pub notes: Vec<String>,
    /// Sum of all lines.
    #[serde(serialize_with = "crate::money::ser::money")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::money::text_schema::Money")
    )]
    pub total: Decimal,
    /// Sum of lines per year.
    pub years: Vec<YearTotal>,
    /// Net present value of the yearly totals at the estate's discount rate.
    #[serde(serialize_with = "crate::money::ser::money")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::money::text_schema::Money")
    )]
    pub npv: Decimal,
    /// Total cost ÷ VM-years over the horizon, when the estate counts VMs.
    #[serde(
        serialize_with = "crate::money::ser::opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::money::text_schema::Money>")
    )]
    pub cost_per_vm_year: Option<Decimal>,
    /// How many lines rest on UNVERIFIED or conflicting (`C`) prices or rules.
    pub doubtful_lines: u32,
    /// Which items those lines price.
    pub doubtful: Vec<Doubtful>,
    /// Line items, by year, cluster, then as priced.
    pub lines: Vec<Line>,
    /// How far the total can move when prices are what their sources allow (`--ranges`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<Range>,
}

/// P10, P50 and P90 of an amount over uncertainty draws (nearest rank).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Band {
    /// 10th percentile.
    #[serde(serialize_with = "crate::money::ser::money")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::money::text_schema::Money")
    )]
    pub p10: Decimal,
    /// Median.
    #[serde(serialize_with = "crate::money::ser::money")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::money::text_schema::Money")
    )]
    pub p50: Decimal,
    /// 90th percentile.
    #[serde(serialize_with = "crate::money::ser::money")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::money::text_schema::Money")
    )]
    pub p90: Decimal,
}

/// A scenario over the draws of `hypercost uncertainty`: its bands and how often it is the
/// cheapest compliant scenario.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Range {
    /// The total's band.
    pub total: Band,
    /// The NPV's band.
    pub npv: Band,
    /// The cumulative total's band at the end of each year (year 1 first).
    pub cumulative: Vec<Band>,
    /// Draws in which it is the cheapest compliant scenario.
    pub cheapest_draws: u32,
    /// That share of the draws, to four decimals.
    #[serde(serialize_with = "crate::money::ser::plain")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub p_cheapest: Decimal,
}

/// How a quote's ranges were drawn (`--ranges`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Draws {
    /// Draws made.
    pub draws: u32,
    /// Their seed.
    pub seed: u64,
}

impl ScenarioQuote {
    /// The sum of the scenario's lines in `year` (what its year total must equal).
    pub fn lines_total(&self, year: u32) -> Decimal {
        self.lines
            .iter()
            .filter(|l| l.year == year)
            .map(|l| l.amount)
            .sum()
    }
}

/// An item whose price (or rule) is UNVERIFIED or conflicting, and how many lines use it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Doubtful {
    /// `pricebook-id/item-id`.
    pub item: String,
    /// The mark.
    pub confidence: Confidence,
    /// The citation.
    pub source: String,
    /// Lines that use it.
    pub lines: u32,
}

/// A unit price converted from a pricebook's currency into the estate's.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Fx {
    /// The pricebook's currency.
    pub currency: String,
    /// The unit price in that currency.
    #[serde(serialize_with = "crate::money::ser::unit")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::money::text_schema::UnitPrice")
    )]
    pub unit_price: Decimal,
    /// Estate currency per 1 unit of `currency`.
    #[serde(serialize_with = "crate::money::ser::plain")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::money::text_schema::Plain")
    )]
    pub rate: Decimal,
    /// The date of the rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
}

/// Total of one year.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct YearTotal {
    /// 1-based year of the horizon.
    pub year: u32,
    /// Sum of the year's lines.
    #[serde(serialize_with = "crate::money::ser::money")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::money::text_schema::Money")
    )]
    pub total: Decimal,
    /// Sum of the totals of years 1 to this one.
    #[serde(serialize_with = "crate::money::ser::money")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::money::text_schema::Money")
    )]
    pub cumulative: Decimal,
    /// The year's total discounted to the purchase date: total / (1 + rate)^(year − 1), rounded
    /// to cents (year 1 is paid at purchase and not discounted).
    #[serde(serialize_with = "crate::money::ser::money")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::money::text_schema::Money")
    )]
    pub present_value: Decimal,
    /// VMs running that year across the estate (after growth), when the estate counts VMs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vms: Option<u64>,
}

/// An input the totals rest on, and where its value came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Assumption {
    /// The estate field (`costs.discount_rate`) or convention name.
    pub name: String,
    /// The value used, as text.
    pub value: String,
    /// `estate` when the estate gives it, `default` when hypercost assumed it.
    pub origin: String,
    /// Why this default, with its source, or what the value means.
    pub note: String,
}

/// A scenario's place in the ranking.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Ranked {
    /// 1-based rank.
    pub rank: u32,
    /// Scenario name.
    pub scenario: String,
    /// Its total.
    #[serde(serialize_with = "crate::money::ser::money")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::money::text_schema::Money")
    )]
    pub total: Decimal,
    /// Whether it is compliant.
    pub compliant: bool,
}

/// What a line pays for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum LineKind {
    /// A new perpetual licence.
    Licence,
    /// Converting an owned licence through an upgrade path.
    Upgrade,
    /// Annual support on perpetual licences.
    Support,
    /// An annual subscription.
    Subscription,
    /// Host hardware.
    Hardware,
    /// Electricity.
    Power,
    /// Floor space, cooling and the like.
    Facilities,
    /// Administration.
    Admin,
    /// Moving to another platform: labour, the project, training.
    Migration,
}

impl LineKind {
    /// Lines a vendor sells: the estate's negotiated discount for the vendor applies.
    pub fn is_vendor(self) -> bool {
        matches!(
            self,
            LineKind::Licence | LineKind::Upgrade | LineKind::Support | LineKind::Subscription
        )
    }

    /// Recurring vendor lines: the estate's yearly escalation applies from year 2.
    pub fn escalates(self) -> bool {
        matches!(self, LineKind::Support | LineKind::Subscription)
    }

    /// The word used in JSON and tables.
    pub fn word(self) -> &'static str {
        match self {
            LineKind::Licence => "licence",
            LineKind::Upgrade => "upgrade",
            LineKind::Support => "support",
            LineKind::Subscription => "subscription",
            LineKind::Hardware => "hardware",
            LineKind::Power => "power",
            LineKind::Facilities => "facilities",
            LineKind::Admin => "admin",
            LineKind::Migration => "migration",
        }
    }
}

/// Why a line has its quantity, in words a buyer can check by hand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct Rule(pub String);

/// Where a unit price comes from.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PriceSource {
    /// Citation.
    pub source: Shared,
    /// Confidence mark.
    pub confidence: Confidence,
    /// Derivation or caveat.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Shared>,
}

impl PriceSource {
    /// The citation as lists of sources show it: the source, then its note.
    pub fn text(&self) -> String {
        match &self.note {
            Some(note) => format!("{} — {note}", self.source),
            None => self.source.to_string(),
        }
    }
}

/// A discount step applied to a line, in order.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Discount {
    /// Which step: they apply in the order promotion, negotiated, surcharge, escalation.
    pub kind: StepKind,
    /// What it is: "promotion enterprise-plus-upgrade-2009 (until 2009-12-14)".
    pub label: String,
    /// Percent off.
    #[serde(serialize_with = "crate::money::ser::plain")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::money::text_schema::Plain")
    )]
    pub percent: Decimal,
    /// Citation of the discount.
    pub source: String,
    /// Last day the discount can be had (promotions), so a buyer knows the deadline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Date>,
    /// Where the step comes from, typed (the label and source are its words).
    #[serde(skip)]
    pub origin: StepOrigin,
}

impl Discount {
    /// The step's factor on the list amount, `1 − percent / 100`, as a formula of what sets
    /// it: the estate's negotiated discount `1 − vendor_discount`, the estate's escalation
    /// `(1 + escalation)^(year − 1)`, otherwise [`Discount::step_factor`].
    pub fn factor(&self) -> Expr {
        match &self.origin {
            StepOrigin::Negotiated { vendor } => {
                Expr::num(1) - Expr::input(Input::Discount(vendor.clone()))
            }
            StepOrigin::Escalation { year } if *year > 1 => {
                let escalation = Input::Cost(crate::estate::CostField::EscalationPerYear);
                Expr::pow(Expr::num(1) + Expr::input(escalation), year - 1)
            }
            _ => self.step_factor(),
        }
    }

    /// The factor from the step's own percent: `1 − percent / 100`.
    pub fn step_factor(&self) -> Expr {
        let step = Input::Step {
            origin: Box::new(self.origin.clone()),
            percent: self.percent,
        };
        Expr::num(1) - Expr::input(step) / Expr::num(Decimal::ONE_HUNDRED)
    }
}

/// The kinds of adjustment steps, in the one order they are applied to a line's list amount:
/// list × (1 − promotion) × (1 − negotiated) × (1 + surcharge) × (1 + escalation). Two 10 %
/// discounts therefore give 19 %, not 20 %. An uplift is a negative percent off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    /// A vendor promotion judged on the purchase date.
    Promotion,
    /// The estate's negotiated discount off list for the vendor.
    Negotiated,
    /// A pricebook rule's surcharge (e.g. late renewal).
    Surcharge,
    /// A pricebook rule's discount (e.g. Azure Hybrid Benefit waiving a fee).
    Discount,
    /// The estate's yearly escalation of support and subscriptions.
    Escalation,
}

impl StepKind {
    /// The step's word, as JSON writes it: reports and workbook names use it too.
    pub fn word(self) -> &'static str {
        match self {
            StepKind::Promotion => "promotion",
            StepKind::Negotiated => "negotiated",
            StepKind::Surcharge => "surcharge",
            StepKind::Discount => "discount",
            StepKind::Escalation => "escalation",
        }
    }
}

// A large quote has ~100,000 lines, so a line is kept small: its texts are `Shared`, its
// formulas shared by `Arc`, the rare currency conversion boxed (216 bytes; as owned strings
// and trees it was 320, and making, moving and freeing them was a third of a large quote's
// time). Not a doc comment: the JSON schema shows the doc comment.
/// One line item.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Line {
    /// Cluster name, or [`ALL_CLUSTERS`] for scenario-wide lines.
    pub cluster: Shared,
    /// 1-based year.
    pub year: u32,
    /// The date the payment falls due: in the year's 12 months, on the anniversary of the
    /// purchase date, or of the start of the purchase it belongs to (a renewal, a move).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    /// What it pays for.
    pub kind: LineKind,
    /// `pricebook-id/item-id`.
    pub item: Shared,
    /// The item's human name.
    pub name: Shared,
    /// Units.
    #[serde(serialize_with = "crate::money::ser::plain")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::money::text_schema::Plain")
    )]
    pub quantity: Decimal,
    /// The quantity as a formula of the cluster's inputs (`hosts × sockets_per_host`), where
    /// the rule is one; absent where it is not (owned licences through upgrade paths, pool
    /// top-ups, minimum orders, growth years). Evaluating it gives `quantity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub quantity_formula: Option<Arc<Expr>>,
    /// The unit price as a formula: a pricebook price (× the estate's exchange rate), or the
    /// estate's cost inputs for hardware, power, facilities and administration. Evaluating
    /// it gives `unit_price`. Not in JSON: the price's source and `fx` say it in words.
    #[serde(skip)]
    pub unit_formula: Option<Arc<Expr>>,
    /// List price per unit (before discounts).
    #[serde(serialize_with = "crate::money::ser::unit")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::money::text_schema::UnitPrice")
    )]
    pub unit_price: Decimal,
    /// Discounts, applied in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub discounts: Vec<Discount>,
    /// `round(quantity × unit_price × Π(1 − discount))`, rounded once.
    #[serde(serialize_with = "crate::money::ser::money")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::money::text_schema::Money")
    )]
    pub amount: Decimal,
    /// Why the quantity.
    pub rule: Rule,
    /// Citation of the unit price.
    #[serde(flatten)]
    pub source: PriceSource,
    /// The conversion, when the pricebook prices in another currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fx: Option<Box<Fx>>,
}

impl Line {
    /// Builds a line; the amount is computed and rounded here, once.
    #[allow(
        clippy::too_many_arguments,
        reason = "every field of a line is required"
    )]
    pub fn new(
        cluster: impl Into<Shared>,
        year: u32,
        kind: LineKind,
        item: impl Into<Shared>,
        name: impl Into<Shared>,
        quantity: Decimal,
        unit_price: Decimal,
        discounts: Vec<Discount>,
        rule: Rule,
        source: PriceSource,
    ) -> Line {
        let factor = discount_factor(discounts.iter().map(|d| &d.percent));
        // Out of range: 0 here, and the engine reports the line (see `Line::amount_in_range`).
        let amount = line_amount(quantity, unit_price, factor).unwrap_or_default();
        Line {
            cluster: cluster.into(),
            year,
            due: None,
            kind,
            item: item.into(),
            name: name.into(),
            quantity,
            quantity_formula: None,
            unit_formula: None,
            unit_price,
            discounts,
            amount,
            rule,
            source,
            fx: None,
        }
    }

    /// True when quantity × unit price × steps is within [`crate::money::LINE_MAX`]; a line
    /// beyond it has amount 0 and its scenario an `OutOfRange` problem.
    pub fn amount_in_range(&self) -> bool {
        let factor = discount_factor(self.discounts.iter().map(|d| &d.percent));
        line_amount(self.quantity, self.unit_price, factor).is_some()
    }

    /// The product of the discount steps' factors ([`Discount::factor`]); `None` without steps.
    pub fn factor(&self) -> Option<Expr> {
        Expr::product(self.discounts.iter().map(Discount::factor))
    }
}

/// The estate's numbers a quote rests on: each cluster as given and every cost input with the
/// value the engine used (a stated default when the estate gives none).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Inputs {
    /// Each estate cluster, in estate order.
    pub clusters: Vec<ClusterInputs>,
    /// The `[costs]` numbers the engine used, in a fixed order: the rates, hardware, power,
    /// facilities and administration, then `costs.vendor_discount.<vendor>` and
    /// `costs.fx.<currency>`.
    pub costs: Vec<CostInput>,
}

impl Inputs {
    /// The cluster named `name`.
    pub fn cluster(&self, name: &str) -> Option<&ClusterInputs> {
        self.clusters.iter().find(|c| c.name == name)
    }

    /// The value of the cost input named `name` (`costs.discount_rate`).
    pub fn cost(&self, name: &str) -> Option<Decimal> {
        self.costs.iter().find(|c| c.name == name).map(|c| c.value)
    }

    /// The value of an input a line's formula reads: the estate's number (cluster fields by
    /// index, cost inputs by name), or the pricebook figure the input carries; `None` when the
    /// estate does not give it.
    pub fn value(&self, input: &Input) -> Option<Decimal> {
        match input {
            Input::Cluster { cluster, field } => self.clusters.get(*cluster)?.get(*field),
            Input::Price(p) => Some(p.value),
            Input::Step { percent, .. } => Some(*percent),
            cost => self.cost(&cost.cost_name()?),
        }
    }

    /// `formula` evaluated with these inputs.
    pub fn eval(&self, formula: &Expr) -> Option<Decimal> {
        formula.eval(&|i| self.value(i))
    }
}

/// One estate cluster's numbers, as given (before growth): every declared cluster number the
/// estate states, in declaration order (`estate::ClusterField`). In JSON, whole numbers are
/// numbers and decimals are text: `{"name": "prod", "hosts": 4, "vm_ram_gb": "4.5"}`.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterInputs {
    /// Cluster name.
    pub name: String,
    /// The stated numbers.
    pub values: Vec<(ClusterField, Decimal)>,
}

impl ClusterInputs {
    /// The cluster's numbers as the estate states them.
    pub fn of(cluster: &Cluster) -> ClusterInputs {
        ClusterInputs {
            name: cluster.name.clone(),
            values: ClusterField::ALL
                .iter()
                .filter_map(|f| cluster.get(*f).map(|v| (*f, v)))
                .collect(),
        }
    }

    /// A number, when the estate states it.
    pub fn get(&self, field: ClusterField) -> Option<Decimal> {
        self.values
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, v)| *v)
    }
}

impl Serialize for ClusterInputs {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.values.len() + 1))?;
        m.serialize_entry("name", &self.name)?;
        for (field, value) in &self.values {
            let key = field.key();
            match value.to_u64() {
                Some(n) if field.bounds().integer => m.serialize_entry(key, &n)?,
                _ => m.serialize_entry(key, &crate::money::plain_text(*value))?,
            }
        }
        m.end()
    }
}

/// One `[costs]` number the engine used.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CostInput {
    /// The estate field: `costs.discount_rate`, `costs.vendor_discount.vmware`, `costs.fx.EUR`.
    pub name: String,
    /// The value used.
    #[serde(serialize_with = "crate::money::ser::plain")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::money::text_schema::Plain")
    )]
    pub value: Decimal,
    /// `estate` when the estate gives it, `default` when hypercost assumed it.
    pub origin: String,
}

/// Why a plan is not compliant.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Problem {
    /// The cluster it concerns, if one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// Machine-readable kind.
    pub code: ProblemCode,
    /// In words.
    pub message: String,
}

/// Kinds of non-compliance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ProblemCode {
    /// A needed feature is not provided.
    MissingFeature,
    /// An add-on's required feature is not provided by the edition.
    AddonPrerequisite,
    /// A cluster exceeds what a kit covers.
    KitLimit,
    /// Cores per CPU above a cap that forbids it.
    CoreCap,
    /// Sockets per host above what a per-server licence allows.
    SocketLimit,
    /// A per-host or tier limit is exceeded.
    HostLimit,
    /// Bought new on or after end of sale.
    EndOfSale,
    /// The pricebook was not on sale on the purchase date.
    NotOnSale,
    /// Support is mandatory in year 1 and none was chosen.
    SupportRequired,
    /// The price is unknown, so the quote cannot be complete.
    PriceUnknown,
    /// A pooled entitlement is short beyond its hard cap.
    PoolHardCap,
    /// One real cluster runs different editions of a book that requires one.
    MixedEditions,
    /// A count or amount leaves the range the estate or a `Decimal` allows (an estate built
    /// without the reader; the reader refuses such input).
    OutOfRange,
}

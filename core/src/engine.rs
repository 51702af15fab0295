//! `quote(&Estate, &PricebookSet) -> Quote`: orchestration only.
//!
//! For each scenario, on its purchase date, each plan is priced in cluster order: compliance
//! findings (`compliance`), the edition's units by its metric (`need`, `licence`, as the
//! pricebook's dated rules make it), owned licences applied through upgrade chains (`owned`,
//! `upgrade`), the rest bought new (`buy`, each line priced by `line`), add-ons, guest OS
//! licences. Scenario-wide rules follow (`editions`, `pools`, `minimums`), then annual support
//! on everything held (`support`), opex (`opex`), doubtful lines (`doubts`) and the years
//! (`finance`). Amounts in another currency are converted at the
//! estate's own rate, shown on the line. Every behaviour is chosen by pricebook data; this
//! module holds no vendor or pricebook literal (a tidy test checks).

/// `format!` with room for a typical rule or note up front: the engine writes thousands of
/// such texts per quote, and growing each from zero capacity cost more than the arithmetic.
macro_rules! text {
    ($($arg:tt)*) => {{
        let mut s = String::with_capacity(96);
        let _ = std::fmt::Write::write_fmt(&mut s, format_args!($($arg)*));
        s
    }};
}

mod buy;
mod compliance;
mod doubts;
mod editions;
pub(crate) mod finance;
mod growth;
mod inputs;
mod licence;
pub(crate) mod line;
mod minimums;
mod need;
mod opex;
mod owned;
mod pools;
mod rules;
mod support;
pub(crate) mod transition;
mod upgrade;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use std::borrow::Cow;
use std::sync::Arc;

use crate::date::Date;
use crate::estate::{Cluster, Estate, Plan, Scenario};
use crate::pricebook::{Item, LicensingRule, Price, Pricebook, PricebookSet};
use crate::quote::{
    ALL_CLUSTERS, Expr, Line, PricebookUsed, Problem, ProblemCode, QUOTE_FORMAT, Quote, Ranked,
    ScenarioQuote,
};
use crate::shared::Shared;
use licence::ShapeExpr;
use transition::Window;

/// Whether buying `item` can add scenario-wide lines that depend on when each plan buys it:
/// an order minimum (the metric's or a rule's, `minimums`), a pooled entitlement or a
/// capacity rule (`pools`), one instance per scenario (`instances`). Every other item's lines
/// belong to its cluster alone. Conservative: a rule counts whatever its dates and regions.
/// `schedule` relies on it to tell which moves can interact; a new kind of scenario-wide line
/// must be named here.
pub(crate) fn couples_plans(book: &Pricebook, item: &Item) -> bool {
    use crate::pricebook::{Metric, RuleKind};
    let by_metric = matches!(
        item.metric,
        Metric::PerCore {
            min_order: Some(_),
            ..
        } | Metric::PerVmCores {
            min_order: Some(_),
            ..
        } | Metric::PerInstance
            | Metric::PerUser
            | Metric::PerDevice
    );
    let by_rule = book.rules.iter().any(|r| match &r.kind {
        RuleKind::MinOrder { .. } => r.applies_to.contains(&item.id),
        RuleKind::Capacity { addon, .. } => r.applies_to.contains(&item.id) || *addon == item.id,
        _ => false,
    });
    by_metric || by_rule || item.pool.is_some()
}

/// What every scenario of one estate is priced from, computed once: each cluster's shape
/// formulas and its shape each year (growth), names and contract prices.
struct Prepared<'e> {
    exprs: Vec<Vec<Option<ShapeExpr>>>,
    shapes: Vec<Vec<Cow<'e, Cluster>>>,
    outgrown: Vec<Option<String>>,
    prices: PriceRefs,
    contract_prices: Vec<Option<Price>>,
    names: Vec<Shared>,
}

impl<'e> Prepared<'e> {
    /// `formulas(ci)`: whether cluster `ci`'s lines may carry formulas of the estate's cells
    /// (not on a reshaped cluster, whose cells hold the estate's hosts).
    fn new(estate: &'e Estate, formulas: impl Fn(usize) -> bool) -> Prepared<'e> {
        let years = usize::try_from(estate.years).unwrap_or(0);
        let exprs = estate
            .clusters
            .iter()
            .enumerate()
            .map(|(ci, c)| {
                if formulas(ci) {
                    need::shape_exprs(estate, ci, c)
                } else {
                    vec![None; years]
                }
            })
            .collect();
        let (shapes, outgrown) = estate
            .clusters
            .iter()
            .map(|c| growth::shapes(estate, c))
            .unzip();
        Prepared {
            exprs,
            shapes,
            outgrown,
            prices: PriceRefs::default(),
            contract_prices: contract_prices(estate),
            names: estate
                .clusters
                .iter()
                .map(|c| Shared::from(&c.name))
                .collect(),
        }
    }

    /// Prices scenario `s` of `estate` (the estate this was prepared from).
    fn price(
        &self,
        estate: &Estate,
        s: &Scenario,
        books: &PricebookSet,
        used: &mut BTreeSet<String>,
    ) -> ScenarioQuote {
        Pricer::new(
            estate,
            books,
            estate.purchase_date_of(s),
            &self.exprs,
            &self.shapes,
            &self.prices,
            &self.names,
            &self.contract_prices,
        )
        .outgrown(&self.outgrown)
        .scenario(s, used)
    }
}

/// A contract's own price per unit-year, as a price its renewals cite (the estate's figure).
fn contract_prices(estate: &Estate) -> Vec<Option<Price>> {
    estate
        .contracts
        .iter()
        .map(|c| {
            c.price_per_unit_year.map(|p| Price {
                amount: Some(p),
                range: None,
                source: text!("contract `{}`: price_per_unit_year", c.name),
                confidence: crate::pricebook::Confidence::Estate,
                note: None,
            })
        })
        .collect()
}

/// Prices every scenario of the estate. Never fails: non-compliance is data in the result.
pub fn quote(estate: &Estate, books: &PricebookSet) -> Quote {
    let mut used = BTreeSet::new();
    for o in &estate.owned {
        used.insert(o.licence.book.0.clone());
    }
    // Each cluster as it is each year (growth), computed once for every scenario.
    let prepared = Prepared::new(estate, |_| true);
    let scenarios: Vec<ScenarioQuote> = estate
        .scenarios
        .iter()
        .map(|s| match estate.reshaped_for(s) {
            // A scenario that runs clusters on other hosts is priced on its own estate, whose
            // reshaped clusters' lines carry numbers, not formulas of the estate's cells.
            Some(reshaped) => Prepared::new(&reshaped, |ci| {
                !s.plans.iter().any(|p| p.cluster == ci && p.shape.is_some())
            })
            .price(&reshaped, s, books, &mut used),
            None => prepared.price(estate, s, books, &mut used),
        })
        .collect();
    let mut order: Vec<usize> = (0..scenarios.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&scenarios[a], &scenarios[b]);
        y.compliant.cmp(&x.compliant).then(x.total.cmp(&y.total))
    });
    let ranking = order
        .iter()
        .enumerate()
        .map(|(rank, &i)| Ranked {
            rank: rank as u32 + 1,
            scenario: scenarios[i].name.clone(),
            total: scenarios[i].total,
            compliant: scenarios[i].compliant,
        })
        .collect();
    let pricebooks = used
        .iter()
        .filter_map(|id| books.books().iter().find(|b| b.id.0 == *id))
        .map(|b| PricebookUsed {
            id: b.id.0.clone(),
            name: b.name.clone(),
            origin: b.origin.clone(),
            hash: b.hash.clone(),
        })
        .collect();
    let notes = Vec::new();
    Quote {
        format: QUOTE_FORMAT,
        engine: crate::ENGINE.to_owned(),
        estate: estate.name.clone(),
        currency: estate.currency.clone(),
        purchase_date: estate.purchase_date,
        years: estate.years,
        pricebooks,
        notes,
        assumptions: finance::assumptions(estate),
        inputs: inputs::inputs(estate),
        scenarios,
        ranking,
        draws: None,
    }
}

impl<'a> Pricer<'a> {
    /// Buys `item` for cluster `ci` on `timing` (its window, term and contract price) and
    /// holds it for support and scenario-wide rules; `guests` counts the Windows VMs.
    #[allow(
        clippy::too_many_arguments,
        reason = "what is bought, for whom and when"
    )]
    fn buy_on(
        &mut self,
        ci: usize,
        name: &Shared,
        book: &'a Pricebook,
        item: &'a Item,
        timing: &transition::Timing<'a>,
        support: Option<&'a str>,
        guests: bool,
    ) {
        self.time(timing);
        let mut need = self.need(ci, book, item, guests);
        self.window.mask(&mut need.units);
        timed(&mut need.rules, &timing.why);
        self.buy(name, book, item, &need.units, 0, &need.rules, &need.exprs);
        let bought = need.units[self.window.first as usize - 1];
        self.holdings.push(Holding {
            cluster: name.clone(),
            book,
            item,
            units: need.units,
            bought,
            support,
            exprs: need.exprs,
            term: self.term,
            window: self.window,
        });
    }
}

/// Adds a timing's words to every year's rule.
fn timed(rules: &mut [String], why: &str) {
    if why.is_empty() {
        return;
    }
    for r in rules.iter_mut() {
        r.push_str("; ");
        r.push_str(why);
    }
}

impl<'a> Pricer<'a> {
    /// Buys what follows on `timing`: its window (nothing at all when it falls after the
    /// horizon), term and contract price.
    fn time(&mut self, timing: &transition::Timing<'a>) {
        // A window past the horizon pays nothing: an empty window masks every year.
        self.window = timing.window.unwrap_or(Window {
            first: 1,
            last: 0,
            start: self.date,
        });
        self.term = timing.term;
        self.late = timing.late;
        self.price_override = timing.contract.and_then(|c| {
            let at = self
                .estate
                .contracts
                .iter()
                .position(|o| std::ptr::eq(o, c))?;
            self.contract_prices.get(at)?.as_ref()
        });
    }
}

/// The lines stably ordered by year, as `sort_by_key(|l| l.year)` would order them, but each
/// line (hundreds of bytes) is moved twice rather than log2(lines) times: a bucket per year.
fn by_year(lines: Vec<Line>) -> Vec<Line> {
    let index = |l: &Line| usize::try_from(l.year).unwrap_or(usize::MAX);
    let last = lines.iter().map(index).max().unwrap_or_default();
    let mut sizes = vec![0; last.saturating_add(1)];
    for l in &lines {
        if let Some(n) = sizes.get_mut(index(l)) {
            *n += 1;
        }
    }
    let mut buckets: Vec<Vec<Line>> = sizes.into_iter().map(Vec::with_capacity).collect();
    let total = lines.len();
    for l in lines {
        if let Some(bucket) = buckets.get_mut(index(&l)) {
            bucket.push(l);
        }
    }
    let mut out = Vec::with_capacity(total);
    for bucket in buckets {
        out.extend(bucket);
    }
    out
}

/// What a scenario holds of one item on one cluster, for support and scenario-wide rules.
struct Holding<'a> {
    cluster: Shared,
    book: &'a Pricebook,
    item: &'a Item,
    /// Units in use each year (owned, upgraded and new; grows with the cluster).
    units: Vec<u64>,
    /// Units bought new in this purchase.
    bought: u64,
    support: Option<&'a str>,
    /// `units` as formulas of the cluster's inputs, where they are.
    exprs: Vec<Option<Arc<Expr>>>,
    /// The plan's subscription term (scenario-wide top-ups of the item buy on it too).
    term: Option<u32>,
    /// When it is paid for (support follows it).
    window: Window,
}

/// An item a scenario holds, as first held (see `Pricer::first_holdings`).
#[derive(Clone, Copy)]
struct FirstHolding<'a> {
    book: &'a Pricebook,
    item: &'a Item,
    support: Option<&'a str>,
    term: Option<u32>,
    window: Window,
}

/// What a scenario buys for all its clusters at once (order top-ups, pool and capacity
/// shortfalls, one-per-scenario items): `units[y]` in year y + 1, of which `covered` come from
/// owned licences; the lines rest on `rule` where one sets the quantity.
struct ScenarioBuy<'a> {
    book: &'a Pricebook,
    item: &'a Item,
    units: Vec<u64>,
    covered: u64,
    rules: Vec<String>,
    exprs: Vec<Option<Arc<Expr>>>,
    support: Option<&'a str>,
    rule: Option<&'a LicensingRule>,
}

/// An item bought once per scenario (a management server such as vCenter), with the plans'
/// editions that use it.
struct Instance<'a> {
    book: &'a Pricebook,
    item: &'a Item,
    /// The first using plan's support plan.
    support: Option<&'a str>,
    term: Option<u32>,
    for_editions: Vec<&'a str>,
}

/// The working state of one scenario being priced.
struct Pricer<'a> {
    estate: &'a Estate,
    books: &'a PricebookSet,
    /// The scenario's purchase date: promotions, end of sale and dated rules follow it.
    date: Date,
    lines: Vec<Line>,
    problems: Vec<Problem>,
    notes: Vec<String>,
    /// `problems` and `notes` as sets: each is said once, found without a scan (a problem or
    /// note per cluster would otherwise make a large estate quadratic).
    said: HashSet<Problem>,
    noted: HashSet<String>,
    holdings: Vec<Holding<'a>>,
    owned_left: Vec<u64>,
    used: BTreeSet<String>,
    /// Each cluster as it is each year (growth).
    shapes: &'a [Vec<Cow<'a, Cluster>>],
    /// Each cluster's shape each year as formulas of its inputs, where it is one.
    shape_exprs: &'a [Vec<Option<ShapeExpr>>],
    /// Lines whose quantity rests on a doubtful rule (line index → the rule's item, mark and
    /// source). Few or none, and read for every line: an ordered map, which needs no hash to
    /// find that a line has none.
    rule_doubts: BTreeMap<usize, (String, crate::pricebook::Confidence, String)>,
    /// The unit prices the quote's lines have used (see [`PriceRefs`]).
    price_refs: &'a PriceRefs,
    /// Each cluster's name, shared by its lines.
    names: &'a [Shared],
    /// The scenario's own rule switches (over the estate's).
    switches: &'a [crate::estate::RuleSwitch],
    /// The subscription term of the plan being priced (`None`: each book's default term).
    term: Option<u32>,
    /// Items bought once for the scenario, gathered from its plans.
    instances: Vec<Instance<'a>>,
    /// When what is being bought is paid for (the whole horizon unless a plan moves).
    window: Window,
    /// The price a renewal is bought at when its contract states one (else the book's).
    price_override: Option<&'a Price>,
    /// Each contract's own price, by contract index.
    contract_prices: &'a [Option<Price>],
    /// The scenario's moves, for their crossing costs.
    moves: Vec<transition::Move>,
    /// What is being bought renews a contract that ended before the purchase date.
    late: bool,
}

/// The unit prices a quote's lines have used: lines of one price, in any scenario, share one
/// `PriceRef` rather than each allocating its own. A quote uses a few prices on many lines,
/// so a short list scanned from its newest entry beats hashing.
type PriceRefs = std::cell::RefCell<Vec<(std::sync::Arc<crate::quote::PriceRef>, line::LineTexts)>>;

impl<'a> Pricer<'a> {
    #[allow(
        clippy::too_many_arguments,
        reason = "what every scenario shares, computed once per quote"
    )]
    fn new(
        estate: &'a Estate,
        books: &'a PricebookSet,
        date: Date,
        shape_exprs: &'a [Vec<Option<ShapeExpr>>],
        shapes: &'a [Vec<Cow<'a, Cluster>>],
        price_refs: &'a PriceRefs,
        names: &'a [Shared],
        contract_prices: &'a [Option<Price>],
    ) -> Pricer<'a> {
        Pricer {
            estate,
            books,
            date,
            lines: Vec::new(),
            problems: Vec::new(),
            notes: Vec::new(),
            said: HashSet::new(),
            noted: HashSet::new(),
            holdings: Vec::new(),
            owned_left: estate.owned.iter().map(|o| u64::from(o.quantity)).collect(),
            used: BTreeSet::new(),
            shapes,
            shape_exprs,
            rule_doubts: BTreeMap::new(),
            price_refs,
            names,
            switches: &[],
            term: None,
            instances: Vec::new(),
            window: Window::whole(date, estate.years),
            price_override: None,
            contract_prices,
            moves: Vec::new(),
            late: false,
        }
    }

    /// Reports the clusters whose counts outgrew their ranges (see `growth::shapes`).
    fn outgrown(mut self, outgrown: &[Option<String>]) -> Pricer<'a> {
        let estate = self.estate;
        for (cl, message) in estate.clusters.iter().zip(outgrown) {
            if let Some(m) = message {
                self.problem(Some(&cl.name), ProblemCode::OutOfRange, m.clone());
            }
        }
        self
    }

    fn scenario(mut self, s: &'a Scenario, used: &mut BTreeSet<String>) -> ScenarioQuote {
        self.switches = &s.rule_switches;
        // Most plans give a licence and a support line a year: room for them up front, since
        // growing a vector of lines copies every line (a tenth of a large quote's time).
        let years = usize::try_from(self.estate.years).unwrap_or(0);
        self.lines
            .reserve(s.plans.len().checked_mul(years + 1).unwrap_or(0));
        for plan in &s.plans {
            self.plan(plan);
        }
        self.window = Window::whole(self.date, self.estate.years);
        self.price_override = None;
        self.late = false;
        self.instances();
        self.uniform_editions(s);
        self.pools(s);
        self.capacity(s);
        self.minimum_orders();
        self.support();
        if let Some(costs) = &self.estate.costs {
            for p in &s.plans {
                let hosts: Vec<Option<Arc<Expr>>> = self.shape_exprs[p.cluster]
                    .iter()
                    .map(|e| e.as_ref().map(|e| Arc::new(e.hosts.clone())))
                    .collect();
                match &p.shape {
                    None => self
                        .lines
                        .extend(opex::lines(costs, &self.shapes[p.cluster], &hosts)),
                    // The shape's hosts at the shape's price and power: numbers where the
                    // workbook's cells (the estate's) would give another value.
                    Some(shape) => {
                        let mut own = costs.clone();
                        shape.apply_costs(&mut own);
                        let stale = |e: &Option<Arc<Expr>>| {
                            e.as_ref().is_some_and(|e| {
                                e.inputs().iter().any(|i| match i {
                                    crate::quote::Input::Cluster { .. } => true,
                                    crate::quote::Input::Cost(f) => {
                                        shape.get(crate::estate::ShapeField::Cost(*f)).is_some()
                                    }
                                    _ => false,
                                })
                            })
                        };
                        for mut l in opex::lines(&own, &self.shapes[p.cluster], &hosts) {
                            if stale(&l.unit_formula) {
                                l.unit_formula = None;
                            }
                            if stale(&l.quantity_formula) {
                                l.quantity_formula = None;
                            }
                            self.lines.push(l);
                        }
                    }
                }
            }
        }
        for p in &s.plans {
            if let (Some(shape), Some(c)) = (&p.shape, self.estate.clusters.get(p.cluster)) {
                let what = shape
                    .hardware
                    .as_deref()
                    .map_or(String::new(), |h| text!(" ({h})"));
                self.note(text!(
                    "`{}` runs on other hosts in this scenario{what}: {} × {} × {} cores{}",
                    c.name,
                    c.hosts,
                    c.sockets_per_host,
                    c.cores_per_socket,
                    c.ram_gb_per_host
                        .map_or(String::new(), |r| text!(", {r} GB RAM per host"))
                ));
            }
        }
        if let Some(costs) = &self.estate.costs {
            let all = Shared::from(ALL_CLUSTERS);
            let moves = std::mem::take(&mut self.moves);
            if !moves.is_empty()
                && costs.swing_hosts.is_some_and(|n| n > 0)
                && costs.hardware_per_host.is_none()
            {
                self.note(text!(
                    "swing hosts are not priced: [costs] gives swing_hosts but no hardware_per_host to buy them at"
                ));
            }
            for (line, due) in
                transition::migration_lines(costs, &moves, self.date, self.estate.years, &all)
            {
                let mut line = line;
                line.due = Some(due);
                self.lines.push(line);
            }
        }
        // Lines priced outside a purchase (opex) fall due on the purchase date's anniversaries.
        let whole = Window::whole(self.date, self.estate.years);
        for l in &mut self.lines {
            if l.due.is_none() {
                l.due = Some(whole.due(l.year, self.date));
            }
        }
        if s.plans.iter().any(|p| p.use_owned) {
            let estate = self.estate;
            for (o, left) in estate.owned.iter().zip(self.owned_left.clone()) {
                if left > 0 {
                    self.note(text!(
                        "{left} of {} owned {} are not used in this scenario (surplus)",
                        o.quantity,
                        o.licence
                    ));
                }
            }
        }
        // A line whose amount is beyond what a quote can add up is priced at 0 and said here:
        // the scenario is not compliant, and no total wraps or clamps.
        let outside: Vec<String> = self
            .lines
            .iter()
            // Only a line priced at 0 can be one (checking every line cost 3 % of a quote).
            .filter(|l| l.amount.is_zero() && !l.amount_in_range())
            .map(|l| {
                text!(
                    "{} in year {}: {} × {} is more than {} can be priced",
                    l.name,
                    l.year,
                    crate::money::plain_text(l.quantity),
                    crate::money::plain_text(l.unit_price),
                    crate::money::grouped(crate::money::LINE_MAX),
                )
            })
            .collect();
        for m in outside {
            self.problem(None, ProblemCode::OutOfRange, m);
        }
        let (doubtful_lines, doubtful) = self.doubts();
        used.extend(self.used);
        self.lines = by_year(std::mem::take(&mut self.lines));
        let vms: Vec<Option<u64>> = (0..self.estate.years as usize)
            .map(|y| {
                s.plans
                    .iter()
                    .map(|p| self.shapes[p.cluster][y].vms.map(u64::from))
                    .sum()
            })
            .collect();
        let (years, npv, cost_per_vm_year) = finance::years(self.estate, &self.lines, &vms);
        ScenarioQuote {
            name: s.name.clone(),
            purchase_date: self.date,
            compliant: self.problems.is_empty(),
            problems: self.problems,
            notes: self.notes,
            total: years.iter().map(|y| y.total).sum(),
            years,
            npv,
            cost_per_vm_year,
            doubtful_lines,
            doubtful,
            lines: self.lines,
            range: None,
        }
    }

    fn problem(&mut self, cluster: Option<&str>, code: ProblemCode, message: String) {
        let p = Problem {
            cluster: cluster.map(str::to_owned),
            code,
            message,
        };
        if self.said.insert(p.clone()) {
            self.problems.push(p);
        }
    }

    fn note(&mut self, note: String) {
        if self.noted.insert(note.clone()) {
            self.notes.push(note);
        }
    }

    /// The rules in force for an item on this scenario's date.
    fn rules(&mut self, book: &'a Pricebook, id: &str) -> Vec<&'a LicensingRule> {
        let mut notes = Vec::new();
        let at = rules::Judged {
            date: self.date,
            region: self.estate.region,
            estate: &self.estate.rule_switches,
            scenario: self.switches,
            late: self.late,
        };
        let active = rules::active(book, id, &at, &mut notes);
        for n in notes {
            self.note(n);
        }
        active
    }
    /// The first holding of each item, in holding order, with its support plan and term:
    /// scenario-wide rules (order minimums, pools, capacity) are judged once per item, on the
    /// term of the plan that first holds it.
    fn first_holdings(&self) -> Vec<FirstHolding<'a>> {
        let mut out: Vec<FirstHolding<'a>> = Vec::new();
        for h in &self.holdings {
            if !out.iter().any(|f| std::ptr::eq(f.item, h.item)) {
                out.push(FirstHolding {
                    book: h.book,
                    item: h.item,
                    support: h.support,
                    term: h.term,
                    window: h.window,
                });
            }
        }
        out
    }

    /// Buys for the whole scenario (lines on [`ALL_CLUSTERS`], held for support on the
    /// current plan term); a line resting on a rule counts that rule's confidence.
    fn buy_for_scenario(&mut self, b: ScenarioBuy<'a>) {
        let all = Shared::from(ALL_CLUSTERS);
        let mut b = b;
        self.window.mask(&mut b.units);
        let added = self.buy(
            &all, b.book, b.item, &b.units, b.covered, &b.rules, &b.exprs,
        );
        if let Some(r) = b.rule {
            let id = text!("{}/{}", b.book.id, r.id);
            for at in added {
                self.rule_doubts
                    .entry(at)
                    .or_insert_with(|| (id.clone(), r.confidence, r.source.clone()));
            }
        }
        let first = b
            .units
            .get(self.window.first as usize - 1)
            .copied()
            .unwrap_or(0);
        self.holdings.push(Holding {
            cluster: all,
            book: b.book,
            item: b.item,
            // Owned licences never cover more than is bought (`apply_owned` stops at the need).
            bought: first - b.covered.min(first),
            units: b.units,
            support: b.support,
            exprs: b.exprs,
            term: self.term,
            window: self.window,
        });
    }

    /// Records a pricebook the quote uses (a set lookup, no copy, when it is known already).
    fn uses(&mut self, book: &Pricebook) {
        if !self.used.contains(&book.id.0) {
            self.used.insert(book.id.0.clone());
        }
    }

    fn plan(&mut self, plan: &'a Plan) {
        let estate = self.estate;
        let books = self.books;
        let ci = plan.cluster;
        let cl = &estate.clusters[ci];
        let name = self.names[ci].clone();
        self.term = plan.term_years;
        let Some((ebook, ed)) = books.item(&plan.edition) else {
            return;
        };
        self.uses(ebook);
        let listed: Vec<(&'a Pricebook, &'a Item)> =
            plan.addons.iter().filter_map(|a| books.item(a)).collect();
        // One-per-scenario items (vCenter, client access licences), listed or required by the
        // edition, are bought once for the scenario after the plans; the rest per cluster.
        let required = ed
            .requires_items
            .iter()
            .filter_map(|id| ebook.item(id).map(|i| (ebook, i)));
        let (instances, addons): (Vec<_>, Vec<_>) = listed
            .into_iter()
            .partition(|(_, a)| a.metric.once_per_scenario());
        let instances: Vec<(&'a Pricebook, &'a Item)> =
            instances.into_iter().chain(required).collect();
        let provides: Vec<(&Pricebook, &Item)> = addons.iter().chain(&instances).copied().collect();
        for (ibook, item) in &instances {
            let known = self
                .instances
                .iter_mut()
                .find(|i| std::ptr::eq(i.item, *item));
            match known {
                Some(i) => {
                    if !i.for_editions.contains(&ed.name.as_str()) {
                        i.for_editions.push(&ed.name);
                    }
                }
                None => self.instances.push(Instance {
                    book: ibook,
                    item,
                    support: plan.support.as_deref(),
                    term: plan.term_years,
                    for_editions: vec![&ed.name],
                }),
            }
        }

        let findings = compliance::check_plan((ebook, ed), &provides, cl, estate.years);
        for (code, msg) in findings.problems {
            self.problem(Some(&cl.name), code, msg);
        }
        for n in findings.notes {
            self.note(n);
        }

        let contracts: Vec<&'a crate::estate::Contract> = estate.contracts_of(ci).collect();
        let timing = self.timing(plan, ci, ed, &plan.edition);
        self.time(&timing);
        let mut need = self.need(ci, ebook, ed, false);
        self.window.mask(&mut need.units);
        let first = self.window.first as usize - 1;
        let (covered, upgraded) = if plan.use_owned {
            self.use_owned(plan, need.units[first])
        } else {
            (0, false)
        };
        let new = need.units[first] - covered;
        let mut rules = need.rules;
        if covered > 0 && new > 0 {
            rules[first] = text!(
                "{}; {covered} from owned licences, {new} bought new",
                rules[first]
            );
        }
        timed(&mut rules, &timing.why);
        self.buy(&name, ebook, ed, &need.units, covered, &rules, &need.exprs);
        if new > 0 || upgraded {
            self.require_support(&cl.name, ebook, ed, plan.support.as_deref());
        }
        self.holdings.push(Holding {
            cluster: name.clone(),
            book: ebook,
            item: ed,
            units: need.units,
            bought: new,
            support: plan.support.as_deref(),
            exprs: need.exprs,
            term: self.term,
            window: self.window,
        });

        for (abook, addon) in addons {
            self.uses(abook);
            let Some(id) = plan
                .addons
                .iter()
                .find(|r| books.item(r).is_some_and(|(_, i)| std::ptr::eq(i, addon)))
            else {
                continue;
            };
            let timing = self.timing(plan, ci, addon, id);
            self.buy_on(
                ci,
                &name,
                abook,
                addon,
                &timing,
                plan.support.as_deref(),
                false,
            );
            self.require_support(&cl.name, abook, addon, plan.support.as_deref());
        }

        // The items under contract the plan leaves: renewed while the move runs.
        for c in &contracts {
            if plan.keeps(&c.item) {
                continue;
            }
            let Some((obook, old)) = books.item(&c.item) else {
                continue;
            };
            let Some(timing) = self.bridge(plan, c, old) else {
                self.note(text!(
                    "cluster {}: contract `{}` ends on {}, and the move is finished by then: no renewal",
                    cl.name,
                    c.name,
                    c.ends
                ));
                continue;
            };
            self.uses(obook);
            self.buy_on(ci, &name, obook, old, &timing, None, false);
        }
        if estate.moves(plan) {
            let start = plan.start.unwrap_or(self.date).max(self.date);
            let year = transition::year_of(start, self.date, estate.years).unwrap_or(1);
            let vms = self.shapes[ci]
                .get(year as usize - 1)
                .and_then(|s| s.vms)
                .map_or(0, u64::from);
            let vms_expr = self.shape_exprs[ci]
                .get(year as usize - 1)
                .and_then(|e| e.as_ref())
                .map(|e| e.vms.clone());
            self.moves.push(transition::Move {
                cluster: name.clone(),
                vms,
                vms_expr,
                target: ebook.id.0.clone(),
                start,
                months: plan.migration_months,
            });
        }

        // Guest OS licences follow the plan's own start, on its term, at list.
        if let Some((gbook, gitem)) = plan.guest_os.as_ref().and_then(|g| books.item(g)) {
            self.uses(gbook);
            if cl.windows_vms.unwrap_or(0) == 0 {
                self.note(text!(
                    "cluster {}: no Windows VMs, so no guest OS licences",
                    cl.name
                ));
                return;
            }
            let timing = transition::Timing {
                contract: None,
                why: String::new(),
                late: false,
                term: plan.term_years,
                ..self.timing(plan, ci, ed, &plan.edition)
            };
            self.buy_on(
                ci,
                &name,
                gbook,
                gitem,
                &timing,
                plan.guest_os_support.as_deref(),
                true,
            );
        }
    }
}

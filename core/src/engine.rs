//! `quote(&Estate, &PricebookSet) -> Quote`: orchestration only.
//!
//! For each scenario, on its purchase date, each plan is priced in cluster order: compliance
//! findings, the edition's units by its metric (as the pricebook's dated rules make it), owned
//! licences applied through upgrade chains, the rest bought new, add-ons, guest OS licences.
//! Scenario-wide rules follow (uniform editions, pooled entitlements, minimum orders), then
//! annual support on everything held. Amounts in another currency are converted at the
//! estate's own rate, shown on the line. Every behaviour is chosen by pricebook data; this
//! module holds no vendor or pricebook literal (a tidy test checks).

mod compliance;
mod finance;
mod growth;
mod licence;
mod opex;
mod rules;
mod upgrade;

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::date::Date;
use crate::estate::{Cluster, ClusterField, CostField, Estate, Plan, Scenario};
use crate::ids::ItemRef;
use crate::money::{grouped, grouped_unit, plain_text, round_line};
use crate::pricebook::{
    Item, LicensingRule, Metric, Price, Pricebook, PricebookSet, RuleKind, SupportBasis, Term,
};
use crate::quote::{
    ALL_CLUSTERS, ClusterInputs, CostInput, Discount, Doubtful, Expr, Fx, Input, Inputs, Line,
    LineKind, PriceKind, PriceRef, PriceSource, PricebookUsed, Problem, ProblemCode, QUOTE_FORMAT,
    Quote, Ranked, Rule, ScenarioQuote, StepKind, StepOrigin, costs_citation,
};
use licence::ShapeExpr;

/// Prices every scenario of the estate. Never fails: non-compliance is data in the result.
pub fn quote(estate: &Estate, books: &PricebookSet) -> Quote {
    let mut used = BTreeSet::new();
    for o in &estate.owned {
        used.insert(o.licence.book.0.clone());
    }
    let exprs: Vec<Vec<Option<ShapeExpr>>> = estate
        .clusters
        .iter()
        .enumerate()
        .map(|(ci, c)| shape_exprs(estate, ci, c))
        .collect();
    // Each cluster as it is each year (growth), computed once for every scenario.
    let shapes: Vec<Vec<Cluster>> = estate
        .clusters
        .iter()
        .map(|c| growth::shapes(estate, c))
        .collect();
    let scenarios: Vec<ScenarioQuote> = estate
        .scenarios
        .iter()
        .map(|s| {
            Pricer::new(estate, books, estate.purchase_date_of(s), &exprs, &shapes)
                .scenario(s, &mut used)
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
        inputs: inputs(estate),
        scenarios,
        ranking,
    }
}

/// The estate's numbers the engine uses, for [`Quote::inputs`]: clusters as given, and every
/// cost input with the value used (defaults where the engine assumes one, as in
/// [`finance::assumptions`]).
fn inputs(estate: &Estate) -> Inputs {
    let clusters = estate
        .clusters
        .iter()
        .map(|c| ClusterInputs {
            name: c.name.clone(),
            hosts: c.hosts,
            sockets_per_host: c.sockets_per_host,
            cores_per_socket: c.cores_per_socket,
            ram_gb_per_host: c.ram_gb_per_host,
            vms: c.vms,
            windows_vms: c.windows_vms,
            vm_ram_gb: c.vm_ram_gb,
        })
        .collect();
    let costs = estate.costs.clone().unwrap_or_default();
    let mut out = Vec::new();
    let mut push = |name: &str, given: Option<Decimal>, default: Option<Decimal>| {
        if let Some(value) = given.or(default) {
            out.push(CostInput {
                name: format!("costs.{name}"),
                value,
                origin: if given.is_some() { "estate" } else { "default" }.to_owned(),
            });
        }
    };
    let zero = Some(Decimal::ZERO);
    push("discount_rate", costs.discount_rate, zero);
    push("vm_growth_per_year", costs.vm_growth_per_year, zero);
    push("vms_per_host", costs.vms_per_host.map(Decimal::from), None);
    push("escalation_per_year", costs.escalation_per_year, zero);
    push("hardware_per_host", costs.hardware_per_host, None);
    let life = Some(Decimal::from(opex::HARDWARE_LIFE_YEARS));
    let hardware = costs.hardware_per_host.is_some();
    push(
        "hardware_life_years",
        costs.hardware_life_years.map(Decimal::from),
        life.filter(|_| hardware),
    );
    let power = costs.watts_per_host.is_some();
    push("watts_per_host", costs.watts_per_host, None);
    push("pue", costs.pue, Some(Decimal::ONE).filter(|_| power));
    push("kwh_price", costs.kwh_price, None);
    let hours = Some(Decimal::from(opex::HOURS_PER_YEAR));
    push(
        "hours_per_year",
        costs.hours_per_year,
        hours.filter(|_| power),
    );
    push(
        "facilities_per_host_year",
        costs.facilities_per_host_year,
        None,
    );
    push("admin_per_host_year", costs.admin_per_host_year, None);
    for (vendor, d) in &costs.vendor_discount {
        push(&format!("vendor_discount.{vendor}"), Some(*d), None);
    }
    for (currency, rate) in &costs.fx {
        push(&format!("fx.{currency}"), Some(*rate), None);
    }
    Inputs {
        clusters,
        costs: out,
    }
}

/// A cluster's numbers each year as formulas of its inputs, where they are formulas: year 1
/// always (hosts rise to `ceil(vms / vms_per_host)` when the estate states a density), and
/// every year when VMs do not grow. Growth years are `None`: the engine rounds each year's
/// VMs up, which a spreadsheet would redo in floating point.
fn shape_exprs(estate: &Estate, ci: usize, cl: &Cluster) -> Vec<Option<ShapeExpr>> {
    let costs = estate.costs.as_ref();
    let grows = costs
        .and_then(|c| c.vm_growth_per_year)
        .is_some_and(|g| g > Decimal::ZERO);
    let input = |field| Expr::input(Input::cluster(ci, field));
    let or_zero = |given: bool, f: ClusterField| if given { input(f) } else { Expr::num(0) };
    let mut hosts = input(ClusterField::Hosts);
    if costs.and_then(|c| c.vms_per_host).is_some() && cl.vms.is_some() {
        let density = Expr::input(Input::Cost(CostField::VmsPerHost));
        hosts = Expr::max(hosts, Expr::ceil_div(input(ClusterField::Vms), density));
    }
    let shape = ShapeExpr {
        hosts,
        sockets: input(ClusterField::SocketsPerHost),
        cores: input(ClusterField::CoresPerSocket),
        vms: or_zero(cl.vms.is_some(), ClusterField::Vms),
        windows_vms: or_zero(cl.windows_vms.is_some(), ClusterField::WindowsVms),
    };
    (0..estate.years)
        .map(|y| (y == 0 || !grows).then(|| shape.clone()))
        .collect()
}

/// Units of an item needed each year, with each year's rule and, where the rule is a formula
/// of the cluster's inputs, that formula.
struct Need {
    units: Vec<u64>,
    rules: Vec<String>,
    exprs: Vec<Option<Expr>>,
}

/// What a scenario holds of one item on one cluster, for support and scenario-wide rules.
struct Holding<'a> {
    cluster: String,
    book: &'a Pricebook,
    item: &'a Item,
    /// Units in use each year (owned, upgraded and new; grows with the cluster).
    units: Vec<u64>,
    /// Units bought new in this purchase.
    bought: u64,
    support: Option<&'a str>,
    /// `units` as formulas of the cluster's inputs, where they are.
    exprs: Vec<Option<Expr>>,
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
    holdings: Vec<Holding<'a>>,
    owned_left: Vec<u64>,
    used: BTreeSet<String>,
    /// Each cluster as it is each year (growth).
    shapes: &'a [Vec<Cluster>],
    /// Each cluster's shape each year as formulas of its inputs, where it is one.
    shape_exprs: &'a [Vec<Option<ShapeExpr>>],
    /// Lines whose quantity rests on a doubtful rule (index → the rule's item and mark).
    rule_doubts: Vec<(usize, String, crate::pricebook::Confidence, String)>,
}

impl<'a> Pricer<'a> {
    fn new(
        estate: &'a Estate,
        books: &'a PricebookSet,
        date: Date,
        shape_exprs: &'a [Vec<Option<ShapeExpr>>],
        shapes: &'a [Vec<Cluster>],
    ) -> Pricer<'a> {
        Pricer {
            estate,
            books,
            date,
            lines: Vec::new(),
            problems: Vec::new(),
            notes: Vec::new(),
            holdings: Vec::new(),
            owned_left: estate.owned.iter().map(|o| u64::from(o.quantity)).collect(),
            used: BTreeSet::new(),
            shapes,
            shape_exprs,
            rule_doubts: Vec::new(),
        }
    }

    fn scenario(mut self, s: &'a Scenario, used: &mut BTreeSet<String>) -> ScenarioQuote {
        for plan in &s.plans {
            self.plan(plan);
        }
        self.uniform_editions(s);
        self.pools(s);
        self.minimum_orders();
        self.support();
        if let Some(costs) = &self.estate.costs {
            for p in &s.plans {
                let hosts: Vec<Option<Expr>> = self.shape_exprs[p.cluster]
                    .iter()
                    .map(|e| e.as_ref().map(|e| e.hosts.clone()))
                    .collect();
                self.lines
                    .extend(opex::lines(costs, &self.shapes[p.cluster], &hosts));
            }
        }
        if s.plans.iter().any(|p| p.use_owned) {
            let estate = self.estate;
            for (o, left) in estate.owned.iter().zip(self.owned_left.clone()) {
                if left > 0 {
                    self.note(format!(
                        "{left} of {} owned {} are not used in this scenario (surplus)",
                        o.quantity, o.licence
                    ));
                }
            }
        }
        let (doubtful_lines, doubtful) = self.doubts();
        used.extend(self.used);
        self.lines.sort_by_key(|l| l.year);
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
        }
    }

    /// Lines resting on UNVERIFIED or conflicting prices or rules, by item; weak prices as notes.
    fn doubts(&mut self) -> (u32, Vec<Doubtful>) {
        let mut list: Vec<Doubtful> = Vec::new();
        let mut count = 0;
        let mut weak = Vec::new();
        for (i, l) in self.lines.iter().enumerate() {
            let from_rule = self.rule_doubts.iter().find(|(at, ..)| *at == i);
            let (item, mark, source) = match from_rule {
                Some((_, item, mark, source)) => (item.clone(), *mark, source.clone()),
                None => (l.item.clone(), l.source.confidence, l.source.source.clone()),
            };
            use crate::pricebook::Confidence::{C, Unverified, W};
            match mark {
                C | Unverified => {
                    count += 1;
                    match list.iter_mut().find(|d| d.item == item) {
                        Some(d) => d.lines += 1,
                        None => list.push(Doubtful { item, confidence: mark, source, lines: 1 }),
                    }
                }
                W if !weak.iter().any(|(w, _)| *w == item) => weak.push((item, format!("{}: the price {} is marked W, a weak source ({source}); a default to check before acting", l.item, grouped_unit(l.unit_price)))),
                _ => {}
            }
        }
        for (_, n) in weak {
            self.note(n);
        }
        (count, list)
    }

    /// Adds a line for an item of `book`: converts its unit price into the estate currency at
    /// the estate's own rate (shown on the line); a discount with a deadline gets a note.
    #[allow(clippy::too_many_arguments, reason = "a line's fields, all required")]
    fn add_line(
        &mut self,
        book: &Pricebook,
        cluster: &str,
        year: u32,
        kind: LineKind,
        (id, which): (&str, PriceKind),
        name: &str,
        quantity: u64,
        unit: Decimal,
        discounts: Vec<Discount>,
        rule: String,
        source: PriceSource,
    ) -> usize {
        let mut unit_formula = Expr::input(Input::Price(std::sync::Arc::new(PriceRef {
            book: book.id.0.clone(),
            item: id.to_owned(),
            which,
            value: unit,
        })));
        let mut fx = None;
        let mut price = unit;
        let mut rule = rule;
        if book.currency != self.estate.currency {
            match self.estate.fx_rate(&book.currency) {
                Some(rate) => {
                    price = unit * rate;
                    unit_formula = unit_formula * Expr::input(Input::Fx(book.currency.clone()));
                    let date = self.estate.costs.as_ref().and_then(|c| c.fx_date);
                    let on = date.map_or(String::new(), |d| format!(" of {d}"));
                    rule = format!(
                        "{rule}; {} {} × {} {}/{} (rate{on}) = {} {}",
                        book.currency,
                        grouped_unit(unit),
                        plain_text(rate),
                        self.estate.currency,
                        book.currency,
                        self.estate.currency,
                        grouped_unit(price)
                    );
                    fx = Some(Fx {
                        currency: book.currency.clone(),
                        unit_price: unit,
                        rate,
                        date,
                    });
                }
                None => self.problem(
                    Some(cluster),
                    ProblemCode::PriceUnknown,
                    format!(
                        "{name} is priced in {} and the estate gives no {} → {} rate",
                        book.currency, book.currency, self.estate.currency
                    ),
                ),
            }
        }
        let mut discounts = discounts;
        let vendor_line = matches!(
            kind,
            LineKind::Licence | LineKind::Upgrade | LineKind::Support | LineKind::Subscription
        );
        let costs = self.estate.costs.as_ref();
        if vendor_line
            && let Some(d) = costs
                .and_then(|c| c.vendor_discount.get(&book.vendor))
                .filter(|d| !d.is_zero())
        {
            discounts.push(Discount {
                kind: StepKind::Negotiated,
                label: format!("negotiated {} discount", book.vendor),
                percent: *d * Decimal::ONE_HUNDRED,
                source: costs_citation(&format!("vendor_discount.{}", book.vendor)),
                valid_until: None,
                origin: StepOrigin::Negotiated {
                    vendor: book.vendor.clone(),
                },
            });
        }
        if matches!(kind, LineKind::Support | LineKind::Subscription)
            && year > 1
            && let Some(e) = costs
                .and_then(|c| c.escalation_per_year)
                .filter(|e| !e.is_zero())
        {
            let factor = (1..year).fold(Decimal::ONE, |f, _| f * (Decimal::ONE + e));
            discounts.push(Discount {
                kind: StepKind::Escalation,
                label: format!(
                    "escalation {} %/yr, year {year} (× {})",
                    plain_text(e * Decimal::ONE_HUNDRED),
                    plain_text(factor)
                ),
                percent: -(factor - Decimal::ONE) * Decimal::ONE_HUNDRED,
                source: costs_citation(CostField::EscalationPerYear.key()),
                valid_until: None,
                origin: StepOrigin::Escalation { year },
            });
        }
        // One documented order: promotion, negotiated, surcharge, escalation (stable within a kind).
        discounts.sort_by_key(|d| d.kind);
        let mut line = Line::new(
            cluster,
            year,
            kind,
            format!("{}/{id}", book.id),
            name,
            Decimal::from(quantity),
            price,
            discounts,
            Rule(rule),
            source,
        );
        line.fx = fx;
        line.unit_formula = Some(unit_formula);
        for d in &line.discounts {
            if let Some(until) = d.valid_until {
                let others = crate::money::discount_factor(
                    line.discounts
                        .iter()
                        .filter(|x| x.kind != StepKind::Promotion)
                        .map(|x| &x.percent),
                );
                let full = round_line(line.quantity * line.unit_price * others);
                self.note(format!(
                    "order by {until} to keep {} % off {}: after that date it costs {} instead of {}",
                    plain_text(d.percent),
                    line.name,
                    grouped(full),
                    grouped(line.amount),
                ));
            }
        }
        self.lines.push(line);
        self.lines.len() - 1
    }

    fn problem(&mut self, cluster: Option<&str>, code: ProblemCode, message: String) {
        let p = Problem {
            cluster: cluster.map(str::to_owned),
            code,
            message,
        };
        if !self.problems.contains(&p) {
            self.problems.push(p);
        }
    }

    fn note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// The rules in force for an item on this scenario's date.
    fn rules(&mut self, book: &'a Pricebook, id: &str) -> Vec<&'a LicensingRule> {
        let mut notes = Vec::new();
        let active = rules::active(book, id, self.date, &self.estate.rule_switches, &mut notes);
        for n in notes {
            self.note(n);
        }
        active
    }
    fn plan(&mut self, plan: &'a Plan) {
        let estate = self.estate;
        let books = self.books;
        let ci = plan.cluster;
        let cl = &estate.clusters[ci];
        let Some((ebook, ed)) = books.item(&plan.edition) else {
            return;
        };
        self.used.insert(ebook.id.0.clone());
        let addons: Vec<(&Pricebook, &Item)> =
            plan.addons.iter().filter_map(|a| books.item(a)).collect();

        let findings = compliance::check_plan((ebook, ed), &addons, cl, estate.years);
        for (code, msg) in findings.problems {
            self.problem(Some(&cl.name), code, msg);
        }
        for n in findings.notes {
            self.note(n);
        }

        let need = self.need(ci, ebook, ed, false);
        let (covered, upgraded) = if plan.use_owned {
            self.use_owned(plan, need.units[0])
        } else {
            (0, false)
        };
        let new = need.units[0] - covered;
        let mut rules = need.rules.clone();
        if covered > 0 && new > 0 {
            rules[0] = format!(
                "{}; {covered} from owned licences, {new} bought new",
                rules[0]
            );
        }
        self.buy(
            &cl.name,
            ebook,
            ed,
            &need.units,
            covered,
            &rules,
            &need.exprs,
        );
        if new > 0 || upgraded {
            self.require_support(&cl.name, ebook, ed, plan.support.as_deref());
        }
        self.holdings.push(Holding {
            cluster: cl.name.clone(),
            book: ebook,
            item: ed,
            units: need.units,
            bought: new,
            support: plan.support.as_deref(),
            exprs: need.exprs,
        });

        for (abook, addon) in addons {
            self.used.insert(abook.id.0.clone());
            let need = self.need(ci, abook, addon, false);
            self.buy(
                &cl.name,
                abook,
                addon,
                &need.units,
                0,
                &need.rules,
                &need.exprs,
            );
            self.require_support(&cl.name, abook, addon, plan.support.as_deref());
            let bought = need.units[0];
            self.holdings.push(Holding {
                cluster: cl.name.clone(),
                book: abook,
                item: addon,
                units: need.units,
                bought,
                support: plan.support.as_deref(),
                exprs: need.exprs,
            });
        }

        if let Some((gbook, gitem)) = plan.guest_os.as_ref().and_then(|g| books.item(g)) {
            self.used.insert(gbook.id.0.clone());
            if cl.windows_vms.unwrap_or(0) == 0 {
                self.note(format!(
                    "cluster {}: no Windows VMs, so no guest OS licences",
                    cl.name
                ));
                return;
            }
            let need = self.need(ci, gbook, gitem, true);
            self.buy(
                &cl.name,
                gbook,
                gitem,
                &need.units,
                0,
                &need.rules,
                &need.exprs,
            );
            let bought = need.units[0];
            self.holdings.push(Holding {
                cluster: cl.name.clone(),
                book: gbook,
                item: gitem,
                units: need.units,
                bought,
                support: plan.guest_os_support.as_deref(),
                exprs: need.exprs,
            });
        }
    }

    /// Units of an item a cluster needs each year (its shape grows), with each year's rule;
    /// year 1's compliance problems are reported. `guests` counts the Windows VMs only.
    fn need(&mut self, ci: usize, book: &'a Pricebook, item: &'a Item, guests: bool) -> Need {
        let active = self.rules(book, &item.id);
        let eff = rules::effective(item, &active);
        let mut need = Need {
            units: Vec::new(),
            rules: Vec::new(),
            exprs: Vec::new(),
        };
        let all: &'a [Vec<Cluster>] = self.shapes;
        let shapes = &all[ci];
        // Every year with a formula has the same shape formula (see `shape_exprs`): build once.
        let mut formula: Option<Expr> = None;
        for (y, year_shape) in shapes.iter().enumerate() {
            let expr = self.shape_exprs[ci][y].as_ref().map(|at| {
                formula
                    .get_or_insert_with(|| {
                        let mut at = at.clone();
                        if guests {
                            at.vms = at.windows_vms.clone();
                        }
                        licence::units_expr(&eff, &at)
                    })
                    .clone()
            });
            need.exprs.push(expr);
            // Without growth every year is the same cluster: count it once.
            if y > 0 && same_shape(year_shape, &shapes[y - 1]) {
                need.units.push(need.units[y - 1]);
                need.rules.push(need.rules[y - 1].clone());
                continue;
            }
            let mut shape = year_shape.clone();
            if guests {
                shape.vms = shape.windows_vms;
            }
            let c = licence::count_units(&eff, &shape);
            if y == 0 {
                for (code, msg) in c.problems {
                    self.problem(Some(&shape.name), code, msg);
                }
            }
            let rule = if guests {
                format!(
                    "guest OS for {} Windows VMs: {}",
                    shape.vms.unwrap_or(0),
                    c.rule
                )
            } else {
                c.rule
            };
            need.units.push(c.units);
            need.rules.push(rule);
        }
        need
    }

    /// Applies owned licences through upgrade chains; returns (units covered, any upgrade bought).
    fn use_owned(&mut self, plan: &Plan, needed: u64) -> (u64, bool) {
        let name = self.estate.clusters[plan.cluster].name.clone();
        self.apply_owned(&name, &plan.edition, needed, true)
    }

    /// Applies the scenario's remaining owned licences to `needed` units of `target` through
    /// upgrade chains; returns (units covered, any upgrade line added).
    fn apply_owned(
        &mut self,
        cluster: &str,
        target: &ItemRef,
        needed: u64,
        say_no_path: bool,
    ) -> (u64, bool) {
        let estate = self.estate;
        let mut covered = 0u64;
        let mut upgraded = false;
        let mut any_path = false;
        for (oi, owned) in estate.owned.iter().enumerate() {
            if covered >= needed {
                break;
            }
            let Some(chain) = upgrade::find_chain(self.books, &owned.licence, target) else {
                continue;
            };
            any_path = true;
            if self.owned_left[oi] == 0 {
                continue;
            }
            if chain.requires_active_support() && !owned.support_active {
                self.note(format!("cluster {}: owned {} cannot be upgraded to {}: the upgrade path requires active support", cluster, owned.licence, target));
                continue;
            }
            let mult = chain.multiplier();
            let k = self.owned_left[oi].min((needed - covered).div_ceil(mult));
            self.owned_left[oi] -= k;
            let mut units = k;
            let mut from = format!("{k} owned {}", owned.licence);
            for (book, path) in &chain.steps {
                self.used.insert(book.id.0.clone());
                units *= u64::from(path.units_per_licence);
                let mut rule = if path.units_per_licence == 1 {
                    format!("{from} → {units} {}/{}", book.id, path.to)
                } else {
                    format!(
                        "{from} × {} per licence = {units} {}/{}",
                        path.units_per_licence, book.id, path.to
                    )
                };
                if path.requires_active_support {
                    rule.push_str(" (active support)");
                }
                self.check_on_sale(cluster, book, &path.name);
                let unit = self.known_price(cluster, &path.price, &path.name);
                let discounts = self.promotions(book, &path.id);
                self.add_line(
                    book,
                    cluster,
                    1,
                    LineKind::Upgrade,
                    (&path.id, PriceKind::Upgrade),
                    &path.name,
                    units,
                    unit,
                    discounts,
                    rule,
                    source_of(&path.price),
                );
                from = format!("{units} {}/{}", book.id, path.to);
                upgraded = true;
            }
            covered += k * mult;
        }
        if !any_path && say_no_path {
            self.note(format!(
                "cluster {}: no owned licence has an upgrade path to {}; every unit is bought new",
                cluster, target
            ));
        }
        if covered > needed {
            self.note(format!("cluster {}: owned licences yield {covered} units of {} where {needed} are needed; {} surplus", cluster, target, covered - needed));
        }
        (covered.min(needed), upgraded)
    }
    /// Lines for an item bought new. `need[y]` units are needed in year y + 1, of which
    /// `covered` come from owned licences. Perpetual: year 1 buys what owned licences do not
    /// cover, later years buy only growth beyond the most held so far. Subscription: every
    /// year pays for that year's units. `exprs[y]` is year y + 1's need as a formula of the
    /// cluster's inputs, when it is one; a line whose quantity is exactly that need carries
    /// it. Returns the indices of the lines added.
    #[allow(clippy::too_many_arguments, reason = "the need and how it is met")]
    fn buy(
        &mut self,
        cluster: &str,
        book: &'a Pricebook,
        item: &'a Item,
        need: &[u64],
        covered: u64,
        rules: &[String],
        exprs: &[Option<Expr>],
    ) -> Vec<usize> {
        let first = need.first().copied().unwrap_or(0);
        if need.iter().all(|n| *n <= covered) && first <= covered {
            return Vec::new();
        }
        self.check_on_sale(cluster, book, &item.name);
        let date = self.date;
        if let Some(eos) = item.end_of_sale
            && date >= eos
            && first > covered
        {
            self.problem(
                Some(cluster),
                ProblemCode::EndOfSale,
                format!(
                    "{} reached end of sale on {eos}; it cannot be bought new on {date}",
                    item.name
                ),
            );
        }
        let unit = if item.metric == Metric::Free {
            Decimal::ZERO
        } else {
            self.known_price(cluster, &item.price, &item.name)
        };
        let discounts = self.promotions(book, &item.id);
        let surcharges: Vec<(Discount, Option<u32>)> = self
            .rules(book, &item.id)
            .into_iter()
            .filter_map(|r| match r.kind {
                RuleKind::Surcharge { percent } => Some((
                    Discount {
                        kind: StepKind::Surcharge,
                        label: format!("surcharge: {} (+{} %)", r.name, plain_text(percent)),
                        percent: -percent,
                        source: format!("{} [{}]", r.source, r.confidence.mark()),
                        valid_until: None,
                        origin: StepOrigin::Surcharge {
                            book: book.id.0.clone(),
                            rule: r.id.clone(),
                        },
                    },
                    r.years,
                )),
                _ => None,
            })
            .collect();
        // A surcharge limited to the first N years applies to those years' lines only.
        let for_year = |year: u32| {
            let mut d = discounts.clone();
            d.extend(
                surcharges
                    .iter()
                    .filter(|(_, n)| n.is_none_or(|n| year <= n))
                    .map(|(s, _)| s.clone()),
            );
            d
        };
        let rule_of = |y: usize| rules.get(y).cloned().unwrap_or_default();
        // Only a need met wholly by new units is the formula: owned licences cover a count.
        let expr_of = |y: usize| exprs.get(y).cloned().flatten().filter(|_| covered == 0);
        let mut added = Vec::new();
        match item.term {
            Term::Perpetual => {
                if first > covered {
                    let at = self.add_line(
                        book,
                        cluster,
                        1,
                        LineKind::Licence,
                        (&item.id, PriceKind::List),
                        &item.name,
                        first - covered,
                        unit,
                        for_year(1),
                        rule_of(0),
                        source_of(&item.price),
                    );
                    self.lines[at].quantity_formula = expr_of(0);
                    added.push(at);
                }
                let mut held = first;
                for (y, n) in need.iter().enumerate().skip(1) {
                    if *n > held {
                        let rule = format!(
                            "growth in year {}: {}; {held} held, {} more",
                            y + 1,
                            rule_of(y),
                            n - held
                        );
                        added.push(self.add_line(
                            book,
                            cluster,
                            y as u32 + 1,
                            LineKind::Licence,
                            (&item.id, PriceKind::List),
                            &item.name,
                            n - held,
                            unit,
                            for_year(y as u32 + 1),
                            rule,
                            source_of(&item.price),
                        ));
                        held = *n;
                    }
                }
            }
            Term::Subscription => {
                for (y, n) in need.iter().enumerate() {
                    let units = n.saturating_sub(covered);
                    if units > 0 {
                        let year = y as u32 + 1;
                        let at = self.add_line(
                            book,
                            cluster,
                            year,
                            LineKind::Subscription,
                            (&item.id, PriceKind::List),
                            &item.name,
                            units,
                            unit,
                            for_year(year),
                            format!("{}, year {year}", rule_of(y)),
                            source_of(&item.price),
                        );
                        self.lines[at].quantity_formula = expr_of(y);
                        added.push(at);
                    }
                }
            }
        }
        added
    }

    fn known_price(&mut self, cluster: &str, price: &Price, what: &str) -> Decimal {
        match price.amount {
            Some(a) => a,
            None => {
                self.problem(Some(cluster), ProblemCode::PriceUnknown, format!("no verified price for {what} ({}); it is counted at 0.00, so this total is incomplete", price.source));
                Decimal::ZERO
            }
        }
    }

    fn check_on_sale(&mut self, cluster: &str, book: &Pricebook, what: &str) {
        let date = self.date;
        if !book.on_sale(date) {
            let window = match (book.on_sale_from, book.on_sale_until) {
                (Some(f), Some(u)) => format!("on sale {f} to {u}"),
                (Some(f), None) => format!("on sale from {f}"),
                (None, Some(u)) => format!("on sale until {u}"),
                (None, None) => String::new(),
            };
            self.problem(
                Some(cluster),
                ProblemCode::NotOnSale,
                format!("{what} ({}) cannot be bought on {date}: {window}", book.id),
            );
        }
    }

    /// Promotions valid on the purchase date, as discount steps; expired ones become notes.
    fn promotions(&mut self, book: &Pricebook, id: &str) -> Vec<Discount> {
        let date = self.date;
        let mut out = Vec::new();
        for p in book.promotions_for(id) {
            let window = match (p.valid_from, p.valid_until) {
                (Some(f), Some(u)) => format!("{f} to {u}"),
                (Some(f), None) => format!("from {f}"),
                (None, Some(u)) => format!("until {u}"),
                (None, None) => "always".to_owned(),
            };
            let pct = plain_text(p.discount.percent);
            if p.is_valid_on(date) {
                out.push(Discount {
                    kind: StepKind::Promotion,
                    label: format!("{} ({window})", p.name),
                    percent: p.discount.percent,
                    source: format!("{} [{}]", p.discount.source, p.discount.confidence.mark()),
                    valid_until: p.valid_until,
                    origin: StepOrigin::Promotion {
                        book: book.id.0.clone(),
                        id: p.id.clone(),
                    },
                });
            } else {
                self.note(format!("promotion \"{}\" ({pct} % off {}/{id}) is valid {window}; the purchase date {date} is outside it", p.name, book.id));
            }
        }
        out
    }

    fn require_support(
        &mut self,
        cluster: &str,
        book: &Pricebook,
        item: &Item,
        chosen: Option<&str>,
    ) {
        if item.term != Term::Perpetual || chosen.is_some() {
            return;
        }
        let mandatory: Vec<&str> = book
            .support
            .iter()
            .filter(|s| s.first_year_mandatory && s.covers(item))
            .map(|s| s.id.as_str())
            .collect();
        if !mandatory.is_empty() {
            self.problem(
                Some(cluster),
                ProblemCode::SupportRequired,
                format!(
                    "{} must be bought with first-year support; choose support = {}",
                    item.name,
                    mandatory.join(" or ")
                ),
            );
        }
    }

    /// Books that require one edition per real cluster: estate clusters of one group agree.
    fn uniform_editions(&mut self, s: &Scenario) {
        let mut groups: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for p in &s.plans {
            let Some(book) = self.books.get(&p.edition.book) else {
                continue;
            };
            if !book.uniform_edition {
                continue;
            }
            let group = self.estate.clusters[p.cluster].group_name().to_owned();
            let editions = groups.entry((group, book.id.0.clone())).or_default();
            if !editions.contains(&p.edition.item) {
                editions.push(p.edition.item.clone());
            }
        }
        for ((group, book), editions) in groups {
            if editions.len() > 1 {
                self.problem(None, ProblemCode::MixedEditions, format!("cluster group {group} mixes {} of {book}: every node of a cluster must have the same edition", editions.join(" and ")));
            }
        }
    }

    /// Pooled entitlements: per edition across the scenario; extra licences when short.
    fn pools(&mut self, s: &'a Scenario) {
        let mut seen: Vec<(String, String)> = Vec::new();
        for i in 0..self.holdings.len() {
            let (book, item, support) = (
                self.holdings[i].book,
                self.holdings[i].item,
                self.holdings[i].support,
            );
            let Some(pool) = &item.pool else { continue };
            let key = (book.id.0.clone(), item.id.clone());
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let units: u64 = self
                .holdings
                .iter()
                .filter(|h| std::ptr::eq(h.item, item))
                .map(|h| h.units.first().copied().unwrap_or(0))
                .sum();
            let gb = Decimal::from(pool.gb_per_licence);
            let entitled = Decimal::from(units) * gb;
            let mut used = Decimal::ZERO;
            let mut parts = Vec::new();
            for p in s
                .plans
                .iter()
                .filter(|p| p.edition.book == book.id && p.edition.item == item.id)
            {
                let cl = &self.estate.clusters[p.cluster];
                let per_vm = cl.vm_ram_gb.unwrap_or_default();
                let counted = pool
                    .vm_cap_gb
                    .map_or(per_vm, |cap| per_vm.min(Decimal::from(cap)));
                used += Decimal::from(cl.vms.unwrap_or(0)) * counted;
                parts.push(format!(
                    "{} VMs × {} GB",
                    cl.vms.unwrap_or(0),
                    plain_text(counted)
                ));
            }
            let caps = pool.vm_cap_gb.map_or(String::new(), |c| {
                format!(", each VM counted at most {c} GB")
            });
            let arithmetic = format!(
                "{} GB used ({}{caps}); {units} licences × {gb} GB = {} GB entitled",
                plain_text(used),
                parts.join(" + "),
                plain_text(entitled)
            );
            // A hard cap binds each cluster's own environment (a kit, a free host's vCenter).
            if let Some(hard) = pool.hard_cap_gb {
                let mut over = false;
                for p in s
                    .plans
                    .iter()
                    .filter(|p| p.edition.book == book.id && p.edition.item == item.id)
                {
                    let cl = &self.estate.clusters[p.cluster];
                    let per_vm = cl.vm_ram_gb.unwrap_or_default();
                    let counted = pool
                        .vm_cap_gb
                        .map_or(per_vm, |cap| per_vm.min(Decimal::from(cap)));
                    let cluster_used = Decimal::from(cl.vms.unwrap_or(0)) * counted;
                    if cluster_used > Decimal::from(hard) {
                        over = true;
                        self.problem(
                            Some(&cl.name),
                            ProblemCode::PoolHardCap,
                            format!(
                                "{}: memory hard cap {hard} GB exceeded: {} VMs × {} GB = {} GB",
                                item.name,
                                cl.vms.unwrap_or(0),
                                plain_text(counted),
                                plain_text(cluster_used)
                            ),
                        );
                    }
                }
                if over {
                    continue;
                }
            }
            if used <= entitled {
                self.note(format!("{} memory pool: {arithmetic}", item.name));
                continue;
            }
            if matches!(item.metric, Metric::Kit { .. }) {
                self.problem(
                    None,
                    ProblemCode::KitLimit,
                    format!(
                        "{}: kits cannot be combined, and the memory pool is short: {arithmetic}",
                        item.name
                    ),
                );
                continue;
            }
            let short = used - entitled;
            let extra = (short / gb).ceil().to_u64().unwrap_or(0);
            // Spare owned licences that upgrade to this edition fill the pool before buying.
            let target = ItemRef {
                book: book.id.clone(),
                item: item.id.clone(),
            };
            let owned_ok = s.plans.iter().any(|p| p.use_owned && p.edition == target);
            let (covered, _) = if owned_ok {
                self.apply_owned(ALL_CLUSTERS, &target, extra, false)
            } else {
                (0, false)
            };
            let rule = format!(
                "memory pool short: {arithmetic}; ceil({} GB / {gb} GB) = {extra} more licences",
                plain_text(short)
            );
            let years = self.estate.years as usize;
            let rule = if covered > 0 {
                format!(
                    "{rule}; {covered} from owned licences, {} bought new",
                    extra - covered
                )
            } else {
                rule
            };
            self.buy(
                ALL_CLUSTERS,
                book,
                item,
                &vec![extra; years],
                covered,
                &vec![rule; years],
                &[],
            );
            self.holdings.push(Holding {
                cluster: ALL_CLUSTERS.to_owned(),
                book,
                item,
                units: vec![extra; years],
                bought: extra - covered,
                support,
                exprs: Vec::new(),
            });
        }
    }

    /// Minimum units per order, per item across the scenario: the metric's and any dated rule's.
    fn minimum_orders(&mut self) {
        let mut seen: Vec<*const Item> = Vec::new();
        for i in 0..self.holdings.len() {
            let (book, item, support) = (
                self.holdings[i].book,
                self.holdings[i].item,
                self.holdings[i].support,
            );
            if seen.contains(&std::ptr::from_ref(item)) {
                continue;
            }
            seen.push(item);
            let from_metric = match item.metric {
                Metric::PerCore {
                    min_order: Some(m), ..
                } => Some(m),
                _ => None,
            };
            let from_rule = self
                .rules(book, &item.id)
                .into_iter()
                .filter_map(|r| match r.kind {
                    RuleKind::MinOrder { units } => Some((units, r)),
                    _ => None,
                })
                .max_by_key(|(u, _)| *u);
            let (min, rule) = match (from_metric, from_rule) {
                (Some(m), Some((u, r))) if u > m => (u, Some(r)),
                (Some(m), _) => (m, None),
                (None, Some((u, r))) => (u, Some(r)),
                (None, None) => continue,
            };
            let bought: u64 = self
                .holdings
                .iter()
                .filter(|h| std::ptr::eq(h.item, item))
                .map(|h| h.bought)
                .sum();
            if bought > 0 && bought < u64::from(min) {
                let extra = u64::from(min) - bought;
                let unit = item.metric.unit();
                let why = match rule {
                    Some(r) => format!("{} ({}): minimum order {min} {unit}s", r.name, r.id),
                    None => format!("minimum order {min} {unit}s"),
                };
                let text = format!("{why}; {bought} ordered, so {extra} more");
                let years = self.estate.years as usize;
                let added = self.buy(
                    ALL_CLUSTERS,
                    book,
                    item,
                    &vec![extra; years],
                    0,
                    &vec![text; years],
                    &[],
                );
                if let Some(r) = rule {
                    let id = format!("{}/{}", book.id, r.id);
                    for at in added {
                        self.rule_doubts
                            .push((at, id.clone(), r.confidence, r.source.clone()));
                    }
                }
                self.holdings.push(Holding {
                    cluster: ALL_CLUSTERS.to_owned(),
                    book,
                    item,
                    units: vec![extra; years],
                    bought: extra,
                    support,
                    exprs: Vec::new(),
                });
            }
        }
    }

    /// Annual support on every perpetual unit held, for every year of the horizon.
    fn support(&mut self) {
        let years = self.estate.years;
        let mut todo = Vec::new();
        let mut notes = Vec::new();
        for h in &self.holdings {
            let Some(sid) = h.support else { continue };
            if h.item.term != Term::Perpetual || h.units.iter().all(|u| *u == 0) {
                continue;
            }
            let Some(plan) = h.book.support_plan(sid) else {
                notes.push(format!(
                    "{} has no support plan `{sid}`, so support for {}/{} is not priced",
                    h.book.id, h.book.id, h.item.id
                ));
                continue;
            };
            if !plan.covers(h.item) {
                continue;
            }
            let (unit, source, how) = match &plan.basis {
                SupportBasis::Rate(r) => {
                    let Some(list) = h.item.price.amount else {
                        continue;
                    };
                    let unit = list * r.percent / Decimal::ONE_HUNDRED;
                    (
                        unit,
                        PriceSource {
                            source: r.source.clone(),
                            confidence: r.confidence,
                            note: r.note.clone(),
                        },
                        format!(
                            "{} % of {} list per year",
                            plain_text(r.percent),
                            grouped_unit(list)
                        ),
                    )
                }
                SupportBasis::Price(p) => {
                    let Some(a) = p.amount else { continue };
                    (
                        a,
                        source_of(p),
                        format!("{} per unit per year", grouped_unit(a)),
                    )
                }
            };
            let item_id = h.item.id.clone();
            let metric = h.item.metric.clone();
            todo.push((
                h.book,
                h.cluster.clone(),
                plan.id.clone(),
                plan.name.clone(),
                (h.units.clone(), h.exprs.clone()),
                unit,
                metric,
                item_id,
                how,
                source,
            ));
        }
        for (book, cluster, item, name, (units, exprs), unit, metric, item_id, how, source) in todo
        {
            for year in 1..=years {
                let n = units.get(year as usize - 1).copied().unwrap_or(0);
                if n == 0 {
                    continue;
                }
                let rule = format!("{} of {item_id} × {how}", metric.units(n));
                let at = self.add_line(
                    book,
                    &cluster,
                    year,
                    LineKind::Support,
                    (&item, PriceKind::Support),
                    &name,
                    n,
                    unit,
                    Vec::new(),
                    rule,
                    source.clone(),
                );
                // Support is on the units held: the need itself, owned or bought.
                self.lines[at].quantity_formula = exprs.get(year as usize - 1).cloned().flatten();
            }
        }
        for n in notes {
            self.note(n);
        }
    }
}

fn source_of(p: &Price) -> PriceSource {
    PriceSource {
        source: p.source.clone(),
        confidence: p.confidence,
        note: p.note.clone(),
    }
}

/// True when two years of a cluster count the same: nothing that counts units differs.
fn same_shape(a: &Cluster, b: &Cluster) -> bool {
    a.hosts == b.hosts
        && a.sockets_per_host == b.sockets_per_host
        && a.cores_per_socket == b.cores_per_socket
        && a.vms == b.vms
        && a.windows_vms == b.windows_vms
        && a.ram_gb_per_host == b.ram_gb_per_host
        && a.vm_ram_gb == b.vm_ram_gb
}

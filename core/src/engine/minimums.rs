//! What a scenario buys once for all its clusters: minimum order quantities per item (the
//! metric's and any dated rule's), and one-per-scenario items such as vCenter Server.

use crate::estate::CostField;
use crate::pricebook::{Metric, RuleKind};
use crate::quote::{Expr, Input};

use super::{Pricer, ScenarioBuy};

impl<'a> Pricer<'a> {
    /// Minimum units per order, per item across the scenario: the metric's and any dated rule's.
    pub(super) fn minimum_orders(&mut self) {
        // One order per item and purchase day: a renewal beside the plan's own purchase, or
        // moves starting on other days, are other orders, each with its minimum (renewals
        // starting the same day are one order, whatever their terms).
        let mut orders: Vec<super::FirstHolding<'a>> = Vec::new();
        for h in &self.holdings {
            if !orders
                .iter()
                .any(|o| std::ptr::eq(o.item, h.item) && o.window.start == h.window.start)
            {
                orders.push(super::FirstHolding {
                    book: h.book,
                    item: h.item,
                    support: h.support,
                    term: h.term,
                    window: h.window,
                });
            }
        }
        for held in orders {
            let (book, item, support) = (held.book, held.item, held.support);
            // A top-up buys on the term of the plan that holds the item, in its window.
            self.term = held.term;
            self.window = held.window;
            let from_metric = match item.metric {
                Metric::PerCore {
                    min_order: Some(m), ..
                }
                | Metric::PerVmCores {
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
                .filter(|h| std::ptr::eq(h.item, item) && h.window.start == held.window.start)
                .map(|h| h.bought)
                .sum();
            if bought > 0 && bought < u64::from(min) {
                let extra = u64::from(min) - bought;
                let unit = item.metric.unit();
                let why = match rule {
                    Some(r) => text!("{} ({}): minimum order {min} {unit}s", r.name, r.id),
                    None => text!("minimum order {min} {unit}s"),
                };
                let text = text!("{why}; {bought} ordered, so {extra} more");
                let years = self.estate.years as usize;
                self.buy_for_scenario(ScenarioBuy {
                    book,
                    item,
                    units: vec![extra; years],
                    covered: 0,
                    rules: vec![text; years],
                    exprs: Vec::new(),
                    support,
                    rule,
                });
            }
        }
        self.window = super::Window::whole(self.date, self.estate.years);
    }
}

impl<'a> Pricer<'a> {
    /// Items bought once for the scenario (a management server such as vCenter Server, client
    /// access licences per user or device), with the editions that use them in the rule;
    /// support follows the first using plan's.
    pub(super) fn instances(&mut self) {
        let instances = std::mem::take(&mut self.instances);
        let years = self.estate.years as usize;
        let costs = self.estate.costs.as_ref();
        for i in &instances {
            self.term = i.term;
            let editions = i.for_editions.join(", ");
            let (units, rule, input) = match i.item.metric {
                Metric::PerUser | Metric::PerDevice => {
                    let (field, n, who) = if i.item.metric == Metric::PerUser {
                        (CostField::Users, costs.and_then(|c| c.users), "users")
                    } else {
                        (CostField::Devices, costs.and_then(|c| c.devices), "devices")
                    };
                    // The estate reader requires the count with the item (`estate/parse.rs`).
                    let n = u64::from(n.unwrap_or(0));
                    let rule = text!(
                        "{n} {who} ([costs] {who}), once for every server of the scenario, for {editions} = {}",
                        i.item.metric.units(n)
                    );
                    (n, rule, Expr::input(Input::Cost(field)))
                }
                _ => (
                    1,
                    text!("1 instance for every cluster of the scenario, required by {editions}"),
                    // One instance is a formula too (the number 1), so the workbook shows it.
                    Expr::num(1),
                ),
            };
            let expr = vec![Some(std::sync::Arc::new(input)); years];
            self.buy_for_scenario(ScenarioBuy {
                book: i.book,
                item: i.item,
                units: vec![units; years],
                covered: 0,
                rules: vec![rule; years],
                exprs: expr,
                support: i.support,
                rule: None,
            });
        }
    }
}

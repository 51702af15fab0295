//! Minimum order quantities, per item across the scenario: the metric's and any dated rule's.

use crate::pricebook::{Item, Metric, RuleKind};
use crate::quote::ALL_CLUSTERS;
use crate::shared::Shared;

use super::{Holding, Pricer};

impl<'a> Pricer<'a> {
    /// Minimum units per order, per item across the scenario: the metric's and any dated rule's.
    pub(super) fn minimum_orders(&mut self) {
        let mut seen: Vec<*const Item> = Vec::new();
        for i in 0..self.holdings.len() {
            let (book, item, support) = (
                self.holdings[i].book,
                self.holdings[i].item,
                self.holdings[i].support,
            );
            // A top-up buys on the term of the plan that holds the item.
            self.term = self.holdings[i].term;
            if seen.contains(&std::ptr::from_ref(item)) {
                continue;
            }
            seen.push(item);
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
                .filter(|h| std::ptr::eq(h.item, item))
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
                let all = Shared::from(ALL_CLUSTERS);
                let added = self.buy(
                    &all,
                    book,
                    item,
                    &vec![extra; years],
                    0,
                    &vec![text; years],
                    &[],
                );
                if let Some(r) = rule {
                    let id = text!("{}/{}", book.id, r.id);
                    for at in added {
                        self.rule_doubts
                            .entry(at)
                            .or_insert_with(|| (id.clone(), r.confidence, r.source.clone()));
                    }
                }
                self.holdings.push(Holding {
                    cluster: all,
                    book,
                    item,
                    units: vec![extra; years],
                    bought: extra,
                    support,
                    exprs: Vec::new(),
                    term: self.term,
                });
            }
        }
    }
}

impl<'a> Pricer<'a> {
    /// Items bought once for the scenario (a management server such as vCenter Server), with
    /// the editions that need them in the rule; support follows the first using plan's.
    pub(super) fn instances(&mut self) {
        let instances = std::mem::take(&mut self.instances);
        let years = self.estate.years as usize;
        let all = Shared::from(ALL_CLUSTERS);
        for i in &instances {
            self.term = i.term;
            let rule = text!(
                "1 instance for every cluster of the scenario, required by {}",
                i.for_editions.join(", ")
            );
            // One instance is a formula too (the number 1), so the workbook shows it as one.
            let one = vec![Some(std::sync::Arc::new(crate::quote::Expr::num(1))); years];
            self.buy(
                &all,
                i.book,
                i.item,
                &vec![1; years],
                0,
                &vec![rule; years],
                &one,
            );
            self.holdings.push(Holding {
                cluster: all.clone(),
                book: i.book,
                item: i.item,
                units: vec![1; years],
                bought: 1,
                support: i.support,
                exprs: one,
                term: i.term,
            });
        }
    }
}

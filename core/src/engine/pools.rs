//! Pooled memory entitlements: per edition across the scenario, topped up when short.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::ItemRef;
use crate::estate::Scenario;
use crate::money::plain_text;
use crate::pricebook::{Metric, RuleKind};
use crate::quote::{ALL_CLUSTERS, ProblemCode};
use crate::shared::Shared;

use super::{Pricer, ScenarioBuy};

impl<'a> Pricer<'a> {
    /// Pooled entitlements: per edition across the scenario; extra licences when short.
    pub(super) fn pools(&mut self, s: &'a Scenario) {
        for held in self.first_holdings() {
            let (book, item, support) = (held.book, held.item, held.support);
            // A top-up buys on the term of the plan that holds the item.
            self.term = held.term;
            let Some(pool) = &item.pool else { continue };
            let units: u64 = self
                .holdings
                .iter()
                .filter(|h| std::ptr::eq(h.item, item))
                .map(|h| h.units.first().copied().unwrap_or(0))
                .sum();
            let gb = Decimal::from(pool.gb_per_licence);
            let entitled = Decimal::from(units) * gb;
            // Each cluster of this edition: its VMs, the GB each counts (capped), and its use.
            let estate = self.estate;
            let members: Vec<_> = s
                .plans
                .iter()
                .filter(|p| p.edition.book == book.id && p.edition.item == item.id)
                .map(|p| {
                    let cl = &estate.clusters[p.cluster];
                    let vms = cl.vms.unwrap_or(0);
                    let per_vm = cl.vm_ram_gb.unwrap_or_default();
                    let counted = pool
                        .vm_cap_gb
                        .map_or(per_vm, |cap| per_vm.min(Decimal::from(cap)));
                    (cl, vms, counted, Decimal::from(vms) * counted)
                })
                .collect();
            let used: Decimal = members.iter().map(|m| m.3).sum();
            let parts: Vec<String> = members
                .iter()
                .map(|(_, vms, counted, _)| text!("{vms} VMs × {} GB", plain_text(*counted)))
                .collect();
            let caps = pool
                .vm_cap_gb
                .map_or(String::new(), |c| text!(", each VM counted at most {c} GB"));
            let arithmetic = text!(
                "{} GB used ({}{caps}); {units} licences × {gb} GB = {} GB entitled",
                plain_text(used),
                parts.join(" + "),
                plain_text(entitled)
            );
            // A hard cap binds each cluster's own environment (a kit, a free host's vCenter).
            if let Some(hard) = pool.hard_cap_gb {
                let mut over = false;
                for (cl, vms, counted, cluster_used) in &members {
                    if *cluster_used > Decimal::from(hard) {
                        over = true;
                        self.problem(
                            Some(&cl.name),
                            ProblemCode::PoolHardCap,
                            text!(
                                "{}: memory hard cap {hard} GB exceeded: {} VMs × {} GB = {} GB",
                                item.name,
                                vms,
                                plain_text(*counted),
                                plain_text(*cluster_used)
                            ),
                        );
                    }
                }
                if over {
                    continue;
                }
            }
            if used <= entitled {
                self.note(text!("{} memory pool: {arithmetic}", item.name));
                continue;
            }
            if matches!(item.metric, Metric::Kit { .. }) {
                self.problem(
                    None,
                    ProblemCode::KitLimit,
                    text!(
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
            let all = Shared::from(ALL_CLUSTERS);
            let owned_ok = s.plans.iter().any(|p| p.use_owned && p.edition == target);
            let (covered, _) = if owned_ok {
                self.apply_owned(&all, &target, extra, false)
            } else {
                (0, false)
            };
            let rule = text!(
                "memory pool short: {arithmetic}; ceil({} GB / {gb} GB) = {extra} more licences",
                plain_text(short)
            );
            let years = self.estate.years as usize;
            let rule = if covered > 0 {
                text!(
                    "{rule}; {covered} from owned licences, {} bought new",
                    extra - covered
                )
            } else {
                rule
            };
            self.buy_for_scenario(ScenarioBuy {
                book,
                item,
                units: vec![extra; years],
                covered,
                rules: vec![rule; years],
                exprs: Vec::new(),
                support,
                rule: None,
            });
        }
    }
}

impl<'a> Pricer<'a> {
    /// Capacity entitlements (vSAN): per edition across the scenario, each licensed unit
    /// entitles `tib_per_unit`; the clusters' `vsan_tib`, each rounded up, beyond it is bought
    /// as the rule's add-on (the excess, or the whole capacity where the rule says so), each
    /// year on that year's licensed units.
    pub(super) fn capacity(&mut self, s: &'a Scenario) {
        for held in self.first_holdings() {
            let (book, item, support, term) = (held.book, held.item, held.support, held.term);
            let rules: Vec<_> = self
                .rules(book, &item.id)
                .into_iter()
                .filter_map(|r| match &r.kind {
                    RuleKind::Capacity {
                        tib_per_unit,
                        addon,
                        whole,
                    } => Some((r, *tib_per_unit, addon, *whole)),
                    _ => None,
                })
                .collect();
            let Some((rule, per, addon, whole)) = rules.into_iter().next() else {
                continue;
            };
            let Some(add) = book.item(addon) else {
                continue;
            };
            let target = ItemRef {
                book: book.id.clone(),
                item: item.id.clone(),
            };
            // The clusters of this edition that state their vSAN capacity, rounded up each.
            let members: Vec<usize> = s
                .plans
                .iter()
                .filter(|p| p.edition == target)
                .map(|p| p.cluster)
                .filter(|&c| self.estate.clusters[c].vsan_tib.is_some())
                .collect();
            if members.is_empty() {
                continue;
            }
            let years = self.estate.years as usize;
            let mut buy = vec![0u64; years];
            let mut rules_text = vec![String::new(); years];
            for (y, (b, r)) in buy.iter_mut().zip(&mut rules_text).enumerate() {
                let units: u64 = self
                    .holdings
                    .iter()
                    .filter(|h| std::ptr::eq(h.item, item))
                    .map(|h| h.units.get(y).copied().unwrap_or(0))
                    .sum();
                let used: u64 = members
                    .iter()
                    .map(|&c| {
                        let tib = self.shapes[c][y].vsan_tib.unwrap_or_default().ceil();
                        tib.to_u64().unwrap_or(0)
                    })
                    .sum();
                let entitled = Decimal::from(units) * per;
                let arithmetic = text!(
                    "{used} TiB of vSAN used (each cluster rounded up) vs {} × {} TiB = {} TiB entitled ({}, {})",
                    item.metric.units(units),
                    plain_text(per),
                    plain_text(entitled),
                    rule.name,
                    rule.id
                );
                if Decimal::from(used) <= entitled {
                    if y == 0 {
                        self.note(text!("{}: {arithmetic}: no capacity to buy", item.name));
                    }
                    continue;
                }
                *b = if whole {
                    used
                } else {
                    (Decimal::from(used) - entitled)
                        .ceil()
                        .to_u64()
                        .unwrap_or(0)
                };
                let what = if whole {
                    "the whole capacity is bought once the entitlement is exceeded"
                } else {
                    "the excess is bought"
                };
                *r = text!("{arithmetic}; {what}: {} TiB", *b);
            }
            if buy.iter().all(|b| *b == 0) {
                continue;
            }
            self.term = term;
            self.buy_for_scenario(ScenarioBuy {
                book,
                item: add,
                units: buy,
                covered: 0,
                rules: rules_text,
                exprs: Vec::new(),
                support,
                rule: Some(rule),
            });
        }
    }
}

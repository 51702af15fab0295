//! Pooled memory entitlements: per edition across the scenario, topped up when short.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::ItemRef;
use crate::estate::Scenario;
use crate::money::plain_text;
use crate::pricebook::Metric;
use crate::quote::{ALL_CLUSTERS, ProblemCode};
use crate::shared::Shared;

use super::{Holding, Pricer};

impl<'a> Pricer<'a> {
    /// Pooled entitlements: per edition across the scenario; extra licences when short.
    pub(super) fn pools(&mut self, s: &'a Scenario) {
        let mut seen: Vec<(String, String)> = Vec::new();
        for i in 0..self.holdings.len() {
            let (book, item, support) = (
                self.holdings[i].book,
                self.holdings[i].item,
                self.holdings[i].support,
            );
            // A top-up buys on the term of the plan that holds the item.
            self.term = self.holdings[i].term;
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
            self.buy(
                &all,
                book,
                item,
                &vec![extra; years],
                covered,
                &vec![rule; years],
                &[],
            );
            self.holdings.push(Holding {
                cluster: all,
                book,
                item,
                units: vec![extra; years],
                bought: extra - covered,
                support,
                exprs: Vec::new(),
                term: self.term,
            });
        }
    }
}

//! Owned licences applied to a need through the cheapest chain of upgrade paths.

use crate::ItemRef;
use crate::estate::Plan;
use crate::quote::{LineKind, PriceKind};
use crate::shared::Shared;

use super::line::cited;
use super::{Pricer, upgrade};

impl<'a> Pricer<'a> {
    /// Applies owned licences through upgrade chains; returns (units covered, any upgrade bought).
    pub(super) fn use_owned(&mut self, plan: &Plan, needed: u64) -> (u64, bool) {
        let name = self.names[plan.cluster].clone();
        self.apply_owned(&name, &plan.edition, needed, true)
    }

    /// Applies the scenario's remaining owned licences to `needed` units of `target` through
    /// upgrade chains; returns (units covered, any upgrade line added).
    pub(super) fn apply_owned(
        &mut self,
        cluster: &Shared,
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
                self.note(text!("cluster {}: owned {} cannot be upgraded to {}: the upgrade path requires active support", cluster, owned.licence, target));
                continue;
            }
            let mult = chain.multiplier();
            let k = self.owned_left[oi].min((needed - covered).div_ceil(mult));
            self.owned_left[oi] -= k;
            let mut units = k;
            let mut from = text!("{k} owned {}", owned.licence);
            for (book, path) in &chain.steps {
                self.uses(book);
                units *= u64::from(path.units_per_licence);
                let mut rule = if path.units_per_licence == 1 {
                    text!("{from} → {units} {}/{}", book.id, path.to)
                } else {
                    text!(
                        "{from} × {} per licence = {units} {}/{}",
                        path.units_per_licence,
                        book.id,
                        path.to
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
                    cited(&path.price),
                );
                from = text!("{units} {}/{}", book.id, path.to);
                upgraded = true;
            }
            covered += k * mult;
        }
        if !any_path && say_no_path {
            self.note(text!(
                "cluster {}: no owned licence has an upgrade path to {}; every unit is bought new",
                cluster,
                target
            ));
        }
        if covered > needed {
            self.note(text!("cluster {}: owned licences yield {covered} units of {} where {needed} are needed; {} surplus", cluster, target, covered - needed));
        }
        (covered.min(needed), upgraded)
    }
}

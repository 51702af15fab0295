//! Owned licences → the plan's edition through chains of upgrade paths.
//!
//! Paths chain: an old licence → a new edition (free with active support) → a higher edition
//! (paid) is two steps, and a buyer pays for each step at its own price. When several
//! chains exist the cheapest per owned licence wins, then the shortest.

use rust_decimal::Decimal;

use crate::ids::ItemRef;
use crate::pricebook::{Pricebook, PricebookSet, UpgradePath};

/// A chain of upgrade paths from an owned licence to an edition.
pub(crate) struct Chain<'a> {
    /// Steps in order, each with the book that holds it.
    pub(crate) steps: Vec<(&'a Pricebook, &'a UpgradePath)>,
}

impl Chain<'_> {
    /// Target units per owned unit: the product of the steps' unit mappings.
    pub(crate) fn multiplier(&self) -> u64 {
        self.steps
            .iter()
            .map(|(_, p)| u64::from(p.units_per_licence))
            .product()
    }

    /// True when any step needs active support on the owned licence.
    pub(crate) fn requires_active_support(&self) -> bool {
        self.steps.iter().any(|(_, p)| p.requires_active_support)
    }

    fn list_cost(&self) -> Decimal {
        let mut units = Decimal::ONE;
        let mut cost = Decimal::ZERO;
        for (_, p) in &self.steps {
            units *= Decimal::from(p.units_per_licence);
            cost += units * p.price.amount.unwrap_or(Decimal::ZERO);
        }
        cost
    }
}

const MAX_STEPS: usize = 4;

/// The cheapest chain from `from` to `to`, if any; an empty chain when they are the same.
pub(crate) fn find_chain<'a>(
    books: &'a PricebookSet,
    from: &ItemRef,
    to: &ItemRef,
) -> Option<Chain<'a>> {
    let paths: Vec<(&Pricebook, &UpgradePath)> = books
        .books()
        .iter()
        .flat_map(|b| b.upgrades.iter().map(move |p| (&**b, p)))
        .collect();
    let mut best: Option<Chain<'a>> = None;
    let mut stack: Vec<(ItemRef, Vec<(&'a Pricebook, &'a UpgradePath)>)> =
        vec![(from.clone(), Vec::new())];
    while let Some((at, steps)) = stack.pop() {
        if at == *to {
            let chain = Chain { steps };
            let better = match &best {
                None => true,
                Some(b) => (chain.list_cost(), chain.steps.len()) < (b.list_cost(), b.steps.len()),
            };
            if better {
                best = Some(chain);
            }
            continue;
        }
        if steps.len() >= MAX_STEPS {
            continue;
        }
        for (book, path) in &paths {
            if path.from == at {
                let next = ItemRef {
                    book: book.id.clone(),
                    item: path.to.clone(),
                };
                if next == *from
                    || steps
                        .iter()
                        .any(|(b, p)| b.id == book.id && p.to == path.to)
                {
                    continue; // no cycles
                }
                let mut s = steps.clone();
                s.push((*book, *path));
                stack.push((next, s));
            }
        }
    }
    best
}

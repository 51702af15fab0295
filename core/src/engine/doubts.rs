//! Lines resting on UNVERIFIED or conflicting prices or rules, by item; weak prices as notes.

use crate::money::grouped_unit;
use crate::quote::Doubtful;

use super::Pricer;

impl<'a> Pricer<'a> {
    /// Lines resting on UNVERIFIED or conflicting prices or rules, by item; weak prices as notes.
    pub(super) fn doubts(&mut self) -> (u32, Vec<Doubtful>) {
        let mut list: Vec<Doubtful> = Vec::new();
        let mut count = 0;
        let mut weak = Vec::new();
        for (i, l) in self.lines.iter().enumerate() {
            let from_rule = self.rule_doubts.get(&i);
            let (item, mark, source): (&str, _, &str) = match from_rule {
                Some((item, mark, source)) => (item, *mark, source),
                None => (&l.item, l.source.confidence, &l.source.source),
            };
            use crate::pricebook::Confidence::{C, Unverified, W};
            match mark {
                C | Unverified => {
                    count += 1;
                    match list.iter_mut().find(|d| d.item == item) {
                        Some(d) => d.lines += 1,
                        None => list.push(Doubtful { item: item.to_owned(), confidence: mark, source: source.to_owned(), lines: 1 }),
                    }
                }
                W if !weak.iter().any(|(w, _)| *w == item) => weak.push((item.to_owned(), text!("{}: the price {} is marked W, a weak source ({source}); a default to check before acting", l.item, grouped_unit(l.unit_price)))),
                _ => {}
            }
        }
        for (_, n) in weak {
            self.note(n);
        }
        (count, list)
    }
}

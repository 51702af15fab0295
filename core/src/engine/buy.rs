//! Buying what owned licences do not cover: perpetual licences in year 1 and for growth,
//! subscriptions every year; end of sale, on-sale windows, rule surcharges and discounts.

use rust_decimal::Decimal;

use crate::money::plain_text;
use crate::pricebook::{Item, Metric, Pricebook, RuleKind, Term};
use crate::quote::{Discount, Expr, LineKind, PriceKind, ProblemCode, StepKind, StepOrigin};

use crate::shared::Shared;

use super::Pricer;
use super::line::cited;

impl<'a> Pricer<'a> {
    /// Lines for an item bought new. `need[y]` units are needed in year y + 1, of which
    /// `covered` come from owned licences. Perpetual: year 1 buys what owned licences do not
    /// cover, later years buy only growth beyond the most held so far. Subscription: every
    /// year pays for that year's units. `exprs[y]` is year y + 1's need as a formula of the
    /// cluster's inputs, when it is one; a line whose quantity is exactly that need carries
    /// it. Returns the indices of the lines added.
    #[allow(clippy::too_many_arguments, reason = "the need and how it is met")]
    pub(super) fn buy(
        &mut self,
        cluster: &Shared,
        book: &'a Pricebook,
        item: &'a Item,
        need: &[u64],
        covered: u64,
        rules: &[String],
        exprs: &[Option<std::sync::Arc<Expr>>],
    ) -> Vec<usize> {
        // The first purchase falls in the window's first year (year 1 unless a plan moves or
        // renews under a contract).
        let start = self.window.first.max(1);
        let first = need.get(start as usize - 1).copied().unwrap_or(0);
        if need.iter().all(|n| *n <= covered) && first <= covered {
            return Vec::new();
        }
        self.check_on_sale(cluster, book, &item.name);
        let date = self.date;
        if let Some(from) = item.on_sale_from
            && date < from
            && first > covered
        {
            self.problem(
                Some(cluster),
                ProblemCode::NotOnSale,
                text!(
                    "{} is on sale from {from}; it cannot be bought on {date}",
                    item.name
                ),
            );
        } else if let Some(eos) = item.end_of_sale
            && !item.on_sale(date)
            && first > covered
        {
            self.problem(
                Some(cluster),
                ProblemCode::EndOfSale,
                text!(
                    "{} reached end of sale on {eos}; it cannot be bought new on {date}",
                    item.name
                ),
            );
        }
        if let (Some(eos), Some(w)) = (item.end_of_sale, &item.end_of_sale_withdrawn)
            && first > covered
        {
            // Before the withdrawal the buyer of the day was told of the end of sale; after
            // it, the item sells on past the announced day: either way the quote says which.
            let mark = w.confidence.mark();
            self.note(if date < w.on {
                text!(
                    "{}: end of sale announced for {eos}; the vendor withdrew it on {}, after this purchase date [{mark}, {}]",
                    item.name,
                    w.on,
                    w.source
                )
            } else {
                text!(
                    "{}: the end of sale announced for {eos} was withdrawn on {}, so it stays on sale [{mark}, {}]",
                    item.name,
                    w.on,
                    w.source
                )
            });
        }
        // The plan's term where the item is sold on it, else the book's default term.
        let (price, term) = match item.price_for(self.term) {
            Some(p) => (p, self.term.or(item.default_term_years)),
            None => (&item.price, item.default_term_years),
        };
        // Which of the item's figures the lines use: its list, or a term's own price.
        let which = match term {
            Some(y) if item.default_term_years != Some(y) && self.price_override.is_none() => {
                PriceKind::Term(y)
            }
            _ => PriceKind::List,
        };
        // A contract's own price replaces the book's for its renewals.
        let price = self.price_override.unwrap_or(price);
        if let Some(years) = term {
            let sold: Vec<String> = item.terms().iter().map(u32::to_string).collect();
            let by = if self.term == Some(years) {
                "the plan's term"
            } else {
                "the pricebook's default term"
            };
            self.note(text!(
                "{}: priced on a {years}-year term ({by}); terms sold, in years: {}",
                item.name,
                sold.join(", ")
            ));
        }
        let on_term = term.map_or(String::new(), |y| text!(", {y}-year term"));
        let unit = if item.metric == Metric::Free {
            Decimal::ZERO
        } else {
            self.known_price(cluster, price, &item.name)
        };
        let discounts = self.promotions(book, &item.id);
        let rule_steps: Vec<(Discount, Option<u32>)> = self
            .rules(book, &item.id)
            .into_iter()
            .filter_map(|r| {
                let (kind, label, percent) = match r.kind {
                    RuleKind::Surcharge { percent } => (
                        StepKind::Surcharge,
                        text!("surcharge: {} (+{} %)", r.name, plain_text(percent)),
                        -percent,
                    ),
                    RuleKind::Discount { percent } => (
                        StepKind::Discount,
                        text!("{} (−{} %)", r.name, plain_text(percent)),
                        percent,
                    ),
                    _ => return None,
                };
                Some((
                    Discount {
                        kind,
                        label,
                        percent,
                        source: text!("{} [{}]", r.source, r.confidence.mark()),
                        valid_until: None,
                        origin: StepOrigin::Rule {
                            book: book.id.0.clone(),
                            rule: r.id.clone(),
                        },
                    },
                    r.years,
                ))
            })
            .collect();
        // A rule's step (surcharge, discount) limited to the first N years applies to those years'
        // lines only.
        let for_year = |year: u32| {
            let mut d = discounts.clone();
            d.extend(
                rule_steps
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
                let s = start as usize - 1;
                if first > covered {
                    let at = self.add_line(
                        book,
                        cluster,
                        start,
                        LineKind::Licence,
                        (&item.id, which),
                        &item.name,
                        first - covered,
                        unit,
                        for_year(start),
                        rule_of(s),
                        cited(price),
                    );
                    self.lines[at].quantity_formula = expr_of(s);
                    added.push(at);
                }
                let mut held = first;
                for (y, n) in need.iter().enumerate().skip(start as usize) {
                    if *n > held {
                        let rule = text!(
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
                            (&item.id, which),
                            &item.name,
                            n - held,
                            unit,
                            for_year(y as u32 + 1),
                            rule,
                            cited(price),
                        ));
                        held = *n;
                    }
                }
            }
            Term::Subscription => {
                for (y, n) in need.iter().enumerate() {
                    // Owned licences cover year 1's units; a year needing no more buys none.
                    let units = n.checked_sub(covered).unwrap_or_default();
                    if units > 0 {
                        let year = y as u32 + 1;
                        let at = self.add_line(
                            book,
                            cluster,
                            year,
                            LineKind::Subscription,
                            (&item.id, which),
                            &item.name,
                            units,
                            unit,
                            for_year(year),
                            text!("{}, year {year}{on_term}", rule_of(y)),
                            cited(price),
                        );
                        self.lines[at].quantity_formula = expr_of(y);
                        added.push(at);
                    }
                }
            }
        }
        added
    }

    pub(super) fn check_on_sale(&mut self, cluster: &str, book: &Pricebook, what: &str) {
        let date = self.date;
        if !book.on_sale(date) {
            let window = match (book.on_sale_from, book.on_sale_until) {
                (Some(f), Some(u)) => text!("on sale {f} to {u}"),
                (Some(f), None) => text!("on sale from {f}"),
                (None, Some(u)) => text!("on sale until {u}"),
                (None, None) => String::new(),
            };
            self.problem(
                Some(cluster),
                ProblemCode::NotOnSale,
                text!("{what} ({}) cannot be bought on {date}: {window}", book.id),
            );
        }
    }
}

//! A priced line: the unit price converted at the estate's own rate, promotions, the estate's
//! negotiated discount and escalation as typed steps, and the unit price as a formula.

use std::sync::Arc;

use rust_decimal::Decimal;

use crate::estate::CostField;
use crate::money::{grouped, grouped_unit, line_amount, plain_text};
use crate::pricebook::{Confidence, Price, Pricebook};
use crate::quote::{
    Discount, Expr, Fx, Input, Line, LineKind, PriceKind, PriceRef, PriceSource, ProblemCode, Rule,
    StepKind, StepOrigin, costs_citation,
};
use crate::shared::Shared;

use super::Pricer;

impl<'a> Pricer<'a> {
    /// Adds a line for an item of `book`: converts its unit price into the estate currency at
    /// the estate's own rate (shown on the line); a discount with a deadline gets a note.
    #[allow(clippy::too_many_arguments, reason = "a line's fields, all required")]
    pub(super) fn add_line(
        &mut self,
        book: &Pricebook,
        cluster: &Shared,
        year: u32,
        kind: LineKind,
        (id, which): (&str, PriceKind),
        name: &str,
        quantity: u64,
        unit: Decimal,
        discounts: Vec<Discount>,
        rule: String,
        cited: Cited<'_>,
    ) -> usize {
        let texts = self.price_ref(book, (id, which, unit), name, cited);
        let mut fx = None;
        let mut price = unit;
        let mut rule = rule;
        if book.currency != self.estate.currency {
            match self.estate.fx_rate(&book.currency) {
                Some(rate) => {
                    price = unit * rate;
                    let date = self.estate.costs.as_ref().and_then(|c| c.fx_date);
                    let on = date.map_or(String::new(), |d| text!(" of {d}"));
                    rule = text!(
                        "{rule}; {} {} × {} {}/{} (rate{on}) = {} {}",
                        book.currency,
                        grouped_unit(unit),
                        plain_text(rate),
                        self.estate.currency,
                        book.currency,
                        self.estate.currency,
                        grouped_unit(price)
                    );
                    fx = Some(Box::new(Fx {
                        currency: book.currency.clone(),
                        unit_price: unit,
                        rate,
                        date,
                    }));
                }
                None => self.problem(
                    Some(cluster),
                    ProblemCode::PriceUnknown,
                    text!(
                        "{name} is priced in {} and the estate gives no {} → {} rate",
                        book.currency,
                        book.currency,
                        self.estate.currency
                    ),
                ),
            }
        }
        let mut discounts = discounts;
        let vendor_line = kind.is_vendor();
        let costs = self.estate.costs.as_ref();
        if vendor_line
            && let Some(d) = costs
                .and_then(|c| c.vendor_discount.get(&book.vendor))
                .filter(|d| !d.is_zero())
        {
            discounts.push(Discount {
                kind: StepKind::Negotiated,
                label: text!("negotiated {} discount", book.vendor),
                percent: negotiated_percent(*d),
                source: costs_citation(&text!("vendor_discount.{}", book.vendor)),
                valid_until: None,
                origin: StepOrigin::Negotiated {
                    vendor: book.vendor.clone(),
                },
            });
        }
        if kind.escalates()
            && year > 1
            && let Some(e) = costs
                .and_then(|c| c.escalation_per_year)
                .filter(|e| !e.is_zero())
        {
            let factor = escalation_factor(e, year);
            discounts.push(Discount {
                kind: StepKind::Escalation,
                label: text!(
                    "escalation {} %/yr, year {year} (× {})",
                    plain_text(e * Decimal::ONE_HUNDRED),
                    plain_text(factor)
                ),
                percent: escalation_percent(factor),
                source: costs_citation(CostField::EscalationPerYear.key()),
                valid_until: None,
                origin: StepOrigin::Escalation { year },
            });
        }
        // One documented order: promotion, negotiated, surcharge, escalation (stable within a kind).
        discounts.sort_by_key(|d| d.kind);
        let mut line = Line::new(
            cluster.clone(),
            year,
            kind,
            texts.item,
            texts.name,
            Decimal::from(quantity),
            price,
            discounts,
            Rule(rule),
            texts.source,
        );
        line.fx = fx;
        line.unit_formula = Some(texts.unit_formula);
        for d in &line.discounts {
            if let Some(until) = d.valid_until {
                let others = crate::money::discount_factor(
                    line.discounts
                        .iter()
                        .filter(|x| x.kind != StepKind::Promotion)
                        .map(|x| &x.percent),
                );
                // Past the largest amount the line itself is an `OutOfRange` problem: no note.
                let Some(full) = line_amount(line.quantity, line.unit_price, others) else {
                    continue;
                };
                self.note(text!(
                    "order by {until} to keep {} % off {}: after that date it costs {} instead of {}",
                    plain_text(d.percent),
                    line.name,
                    grouped(full),
                    grouped(line.amount),
                ));
            }
        }
        line.due = Some(self.window.due(line.year, self.date));
        self.lines.push(line);
        self.lines.len() - 1
    }

    /// The one `PriceRef` of this price in this quote, with the texts and the unit formula its
    /// lines share (made on the price's first line; see [`Shared`]).
    fn price_ref(
        &mut self,
        book: &Pricebook,
        (id, which, value): (&str, PriceKind, Decimal),
        name: &str,
        cited: Cited<'_>,
    ) -> LineTexts {
        let same = |p: &&(Arc<PriceRef>, LineTexts)| {
            let p = &p.0;
            p.value == value && p.which == which && p.item == id && p.book == book.id.0
        };
        let mut refs = self.price_refs.borrow_mut();
        if let Some((_, texts)) = refs.iter().rev().find(same) {
            return texts.clone();
        }
        let made = Arc::new(PriceRef {
            book: book.id.0.clone(),
            item: id.to_owned(),
            which,
            value,
            rate_of: None,
        });
        // The estate's rate converts every line of the price alike (without a rate, the
        // line is a problem and the formula is the book's price).
        let mut unit_formula = Expr::input(Input::Price(Arc::clone(&made)));
        if book.currency != self.estate.currency && self.estate.fx_rate(&book.currency).is_some() {
            unit_formula = unit_formula * Expr::input(Input::Fx(book.currency.clone()));
        }
        let texts = LineTexts {
            unit_formula: Arc::new(unit_formula),
            item: Shared::from(text!("{}/{id}", book.id)),
            name: Shared::from(name),
            source: PriceSource {
                source: Shared::from(cited.source),
                confidence: cited.confidence,
                note: cited.note.map(Shared::from),
            },
        };
        refs.push((made, texts.clone()));
        texts
    }

    /// Promotions valid on the purchase date, as discount steps; expired ones become notes.
    pub(super) fn promotions(&mut self, book: &Pricebook, id: &str) -> Vec<Discount> {
        let date = self.date;
        let mut out = Vec::new();
        for p in book.promotions_for(id) {
            let window = match (p.valid_from, p.valid_until) {
                (Some(f), Some(u)) => text!("{f} to {u}"),
                (Some(f), None) => text!("from {f}"),
                (None, Some(u)) => text!("until {u}"),
                (None, None) => "always".to_owned(),
            };
            let pct = plain_text(p.discount.percent);
            if p.is_valid_on(date) {
                out.push(Discount {
                    kind: StepKind::Promotion,
                    label: text!("{} ({window})", p.name),
                    percent: p.discount.percent,
                    source: text!("{} [{}]", p.discount.source, p.discount.confidence.mark()),
                    valid_until: p.valid_until,
                    origin: StepOrigin::Promotion {
                        book: book.id.0.clone(),
                        id: p.id.clone(),
                    },
                });
            } else {
                self.note(text!("promotion \"{}\" ({pct} % off {}/{id}) is valid {window}; the purchase date {date} is outside it", p.name, book.id));
            }
        }
        out
    }

    pub(super) fn known_price(&mut self, cluster: &str, price: &Price, what: &str) -> Decimal {
        match price.amount {
            Some(a) => a,
            None => {
                self.problem(Some(cluster), ProblemCode::PriceUnknown, text!("no verified price for {what} ({}); it is counted at 0.00, so this total is incomplete", price.source));
                Decimal::ZERO
            }
        }
    }
}

/// The negotiated discount `d` (a fraction) as a line's percent off.
pub(crate) fn negotiated_percent(d: Decimal) -> Decimal {
    d * Decimal::ONE_HUNDRED
}

/// Escalation `e` compounded to `year` (year 1 is 1).
pub(crate) fn escalation_factor(e: Decimal, year: u32) -> Decimal {
    (1..year).fold(Decimal::ONE, |f, _| f * (Decimal::ONE + e))
}

/// An escalation factor as a line's percent off (negative: an uplift).
pub(crate) fn escalation_percent(factor: Decimal) -> Decimal {
    -(factor - Decimal::ONE) * Decimal::ONE_HUNDRED
}

/// A price's citation as the pricebook gives it, borrowed: its line's [`PriceSource`] is made
/// from it once per price (see [`Pricer::price_ref`]).
#[derive(Clone, Copy)]
pub(super) struct Cited<'p> {
    pub(super) source: &'p str,
    pub(super) confidence: Confidence,
    pub(super) note: Option<&'p str>,
}

/// The citation of a pricebook price.
pub(super) fn cited(p: &Price) -> Cited<'_> {
    Cited {
        source: &p.source,
        confidence: p.confidence,
        note: p.note.as_deref(),
    }
}

/// The texts every line of one price shares: its item, the item's name and the citation.
#[derive(Clone)]
pub(super) struct LineTexts {
    unit_formula: Arc<Expr>,
    item: Shared,
    name: Shared,
    source: PriceSource,
}

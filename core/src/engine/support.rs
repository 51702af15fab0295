//! Annual support on every perpetual unit held, and first-year support where it is mandatory.

use rust_decimal::Decimal;

use crate::money::{grouped_unit, plain_text};
use crate::pricebook::{Item, Pricebook, SupportBasis, Term};
use std::sync::Arc;

use crate::quote::{Expr, Input, LineKind, PriceKind, PriceRef, ProblemCode};

use super::Pricer;
use super::line::{Cited, cited};

impl<'a> Pricer<'a> {
    /// Annual support on every perpetual unit held, for every year of the horizon.
    pub(super) fn support(&mut self) {
        let years = self.estate.years;
        // Lines are added while the holdings are read: taken out and put back, rather than
        // each holding's units, formulas and names copied first.
        let holdings = std::mem::take(&mut self.holdings);
        for h in &holdings {
            let Some(sid) = h.support else { continue };
            // Support is paid on the anniversaries of the purchase it covers.
            self.window = h.window;
            if h.item.term != Term::Perpetual || h.units.iter().all(|u| *u == 0) {
                continue;
            }
            let Some(plan) = h.book.support_plan(sid) else {
                self.note(text!(
                    "{} has no support plan `{sid}`, so support for {}/{} is not priced",
                    h.book.id,
                    h.book.id,
                    h.item.id
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
                        Cited {
                            source: &r.source,
                            confidence: r.confidence,
                            note: r.note.as_deref(),
                        },
                        text!(
                            "{} % of {} list per year",
                            plain_text(r.percent),
                            grouped_unit(list)
                        ),
                    )
                }
                SupportBasis::Price(p) => {
                    // A plan whose price is unknown (Basic SnS) is a problem, counted at 0 on
                    // its lines, never a silently free plan.
                    let what = text!("{} ({}/{})", plan.name, h.book.id, plan.id);
                    let a = self.known_price(&h.cluster, p, &what);
                    (a, cited(p), text!("{} per unit per year", grouped_unit(a)))
                }
            };
            // A rate's unit price is the item's list × the rate: its formula says which list.
            let mut rated: Option<Option<Arc<Expr>>> = None;
            for year in 1..=years {
                let n = h.units.get(year as usize - 1).copied().unwrap_or(0);
                if n == 0 {
                    continue;
                }
                let rule = text!("{} of {} × {how}", h.item.metric.units(n), h.item.id);
                let at = self.add_line(
                    h.book,
                    &h.cluster,
                    year,
                    LineKind::Support,
                    (&plan.id, PriceKind::Support),
                    &plan.name,
                    n,
                    unit,
                    Vec::new(),
                    rule,
                    source,
                );
                // Support is on the units held: the need itself, owned or bought.
                self.lines[at].quantity_formula = h.exprs.get(year as usize - 1).cloned().flatten();
                if let SupportBasis::Rate(r) = &plan.basis {
                    let line = &mut self.lines[at];
                    let formula = rated.get_or_insert_with(|| {
                        let f = line.unit_formula.as_ref()?;
                        let of = Some((h.item.id.clone(), r.percent));
                        f.try_map(&mut |i| {
                            Some(match i {
                                Input::Price(p) if p.which == PriceKind::Support => {
                                    Input::Price(Arc::new(PriceRef {
                                        rate_of: of.clone(),
                                        ..PriceRef::clone(p)
                                    }))
                                }
                                other => other.clone(),
                            })
                        })
                        .map(Arc::new)
                    });
                    line.unit_formula = formula.clone();
                }
            }
        }
        self.holdings = holdings;
        self.window = super::Window::whole(self.date, years);
    }

    pub(super) fn require_support(
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
                text!(
                    "{} must be bought with first-year support; choose support = {}",
                    item.name,
                    mandatory.join(" or ")
                ),
            );
        }
    }
}

//! Pricebook figures as what-if variables: where each lives, the figures a quote uses, and
//! the pricebooks with one changed.

use rust_decimal::Decimal;

use crate::pricebook::{PricebookSet, SupportBasis};
use crate::quote::{Input, PriceKind, Quote};

/// Where a pricebook number lives.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PriceAt {
    /// An edition's or add-on's list price (book, item).
    Item(String, String),
    /// An edition's or add-on's price on a term other than the default (book, item, years).
    Term(String, String, u32),
    /// An upgrade path's price (book, path).
    Upgrade(String, String),
    /// A support plan's rate, percent of list per year (book, plan).
    SupportRate(String, String),
    /// A support plan's price per unit per year (book, plan).
    SupportPrice(String, String),
}

impl PriceAt {
    /// The book and the item, path or plan.
    pub fn ids(&self) -> (&str, &str) {
        match self {
            PriceAt::Item(b, i)
            | PriceAt::Term(b, i, _)
            | PriceAt::Upgrade(b, i)
            | PriceAt::SupportRate(b, i)
            | PriceAt::SupportPrice(b, i) => (b, i),
        }
    }

    /// The figure's name: `book/item`, with the term where it is a term's price.
    pub fn name(&self) -> String {
        let (book, id) = self.ids();
        match self {
            PriceAt::Term(_, _, y) => format!("{book}/{id} ({y}-year term)"),
            _ => format!("{book}/{id}"),
        }
    }

    /// The figure as `books` state it; `None` where they give none.
    pub fn value(&self, books: &PricebookSet) -> Option<Decimal> {
        let (book, id) = self.ids();
        let b = books.books().iter().find(|x| x.id.0 == book)?;
        match self {
            PriceAt::Item(..) => b.item(id)?.price.amount,
            PriceAt::Term(_, _, y) => {
                b.item(id)?
                    .term_prices
                    .iter()
                    .find(|t| t.years == *y)?
                    .price
                    .amount
            }
            PriceAt::Upgrade(..) => b.upgrades.iter().find(|u| u.id == id)?.price.amount,
            PriceAt::SupportRate(..) => match &b.support_plan(id)?.basis {
                SupportBasis::Rate(r) => Some(r.percent),
                SupportBasis::Price(_) => None,
            },
            PriceAt::SupportPrice(..) => match &b.support_plan(id)?.basis {
                SupportBasis::Price(p) => p.amount,
                SupportBasis::Rate(_) => None,
            },
        }
    }
}

/// Every pricebook number the quote's lines use, sorted and distinct.
pub fn prices_used(q: &Quote, books: &PricebookSet) -> Vec<PriceAt> {
    let mut out = Vec::new();
    for l in q.scenarios.iter().flat_map(|s| &s.lines) {
        let Some(f) = &l.unit_formula else { continue };
        for input in f.inputs() {
            let Input::Price(p) = input else { continue };
            let (book, id) = (p.book.clone(), p.item.clone());
            let at = match p.which {
                PriceKind::List => PriceAt::Item(book, id),
                PriceKind::Term(y) => PriceAt::Term(book, id, y),
                PriceKind::Upgrade => PriceAt::Upgrade(book, id),
                PriceKind::Support => {
                    let Some(plan) = books
                        .books()
                        .iter()
                        .find(|b| b.id.0 == book)
                        .and_then(|b| b.support_plan(&id))
                    else {
                        continue;
                    };
                    match plan.basis {
                        SupportBasis::Rate(_) => PriceAt::SupportRate(book, id),
                        SupportBasis::Price(_) => PriceAt::SupportPrice(book, id),
                    }
                }
            };
            if at.value(books).is_some() {
                out.push(at);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The pricebooks with one number changed.
pub fn with_price(books: &PricebookSet, at: &PriceAt, value: Decimal) -> PricebookSet {
    with_prices(books, &[(at, value)])
}

/// The pricebooks with numbers changed: each book a change names copied once, the others
/// shared.
pub fn with_prices(books: &PricebookSet, changes: &[(&PriceAt, Decimal)]) -> PricebookSet {
    let named =
        |b: &crate::pricebook::Pricebook| changes.iter().any(|(at, _)| at.ids().0 == b.id.0);
    books.with_changed(named, |b| {
        for (at, value) in changes {
            let value = *value;
            match at {
                PriceAt::Item(book, id) if b.id.0 == *book => {
                    for i in b.items.iter_mut().filter(|i| i.id == *id) {
                        i.price.amount = Some(value);
                    }
                }
                PriceAt::Term(book, id, years) if b.id.0 == *book => {
                    for i in b.items.iter_mut().filter(|i| i.id == *id) {
                        for t in i.term_prices.iter_mut().filter(|t| t.years == *years) {
                            t.price.amount = Some(value);
                        }
                    }
                }
                PriceAt::Upgrade(book, id) if b.id.0 == *book => {
                    for u in b.upgrades.iter_mut().filter(|u| u.id == *id) {
                        u.price.amount = Some(value);
                    }
                }
                PriceAt::SupportRate(book, id) | PriceAt::SupportPrice(book, id)
                    if b.id.0 == *book =>
                {
                    for s in b.support.iter_mut().filter(|s| s.id == *id) {
                        match &mut s.basis {
                            SupportBasis::Rate(r) => r.percent = value,
                            SupportBasis::Price(p) => p.amount = Some(value),
                        }
                    }
                }
                _ => {}
            }
        }
    })
}

/// Whether an upgrade path's price can never change which upgrade chain the engine picks
/// (`engine::upgrade::find_chain` compares chains by their list cost): no other path leaves
/// its `from`, and none leads into it, so every chain through it starts there and goes on
/// through it.
pub fn upgrade_price_is_free_of_choice(books: &PricebookSet, book: &str, id: &str) -> bool {
    let paths = || {
        books
            .books()
            .iter()
            .flat_map(|b| b.upgrades.iter().map(move |p| (b, p)))
    };
    let Some((_, path)) = paths().find(|(b, p)| b.id.0 == book && p.id == id) else {
        return false;
    };
    paths().all(|(b, p)| {
        let same = b.id.0 == book && p.id == id;
        let leaves_from = p.from == path.from;
        let leads_into = b.id == path.from.book && p.to == path.from.item;
        same || !(leaves_from || leads_into)
    })
}

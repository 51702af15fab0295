//! What every pricing command prices with, decided once for every front end: the pricebooks
//! (bundled, replaced or extended by user files) and an optional date to price as of.
//!
//! Commands differ in what they compute (a quote, a comparison, a sweep, …), not in how the
//! inputs are priced: [`Pricing::estate`] applies the as-of date to the estate, and
//! [`Pricing::notes`] are the notes every result carries (which user book replaced which, and
//! the date the estate was priced as of), so no front end writes them itself.

use crate::date::Date;
use crate::engine::quote;
use crate::estate::Estate;
use crate::pricebook::{LoadedPricebooks, PricebookSet};
use crate::quote::Quote;

/// The pricebooks and the as-of date every pricing command shares.
#[derive(Clone, Debug, PartialEq)]
pub struct Pricing {
    /// The pricebooks to price with.
    pub books: PricebookSet,
    /// "pricebook X from FILE replaces the one from …", one per replaced book.
    overrides: Vec<String>,
    /// Price every scenario as if bought on this date.
    as_of: Option<Date>,
}

impl Pricing {
    /// Pricing with loaded pricebooks and, when given, the date to price as of.
    pub fn new(loaded: LoadedPricebooks, as_of: Option<Date>) -> Pricing {
        Pricing {
            books: loaded.set,
            overrides: loaded.overrides,
            as_of,
        }
    }

    /// The estate as it is priced: with an as-of date, every scenario is bought that day (the
    /// estate's purchase date is the date, and scenarios' own dates give way to it), so
    /// promotions, end of sale, dated rules and on-sale windows all follow it.
    pub fn estate(&self, mut estate: Estate) -> Estate {
        if let Some(date) = self.as_of {
            estate.purchase_date = date;
            for s in &mut estate.scenarios {
                s.purchase_date = None;
            }
        }
        estate
    }

    /// The notes every result of this pricing carries, in order: each replaced pricebook, then
    /// the as-of date.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = self.overrides.clone();
        if let Some(date) = self.as_of {
            notes.push(format!(
                "priced as of {date} (--as-of): every scenario as if bought that day"
            ));
        }
        notes
    }

    /// Puts [`Pricing::notes`] before a result's own notes.
    pub fn annotate(&self, notes: &mut Vec<String>) {
        notes.splice(0..0, self.notes());
    }

    /// The quote of an estate from [`Pricing::estate`], carrying the notes.
    pub fn quote(&self, estate: &Estate) -> Quote {
        let mut q = quote(estate, &self.books);
        self.annotate(&mut q.notes);
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estate::{example_estate, parse_estate};
    use crate::source::SourceFile;

    /// The bundled vSphere 4.0 book, loaded again as a user file that replaces it.
    fn replacing() -> LoadedPricebooks {
        let text = crate::bundled::PRICEBOOKS
            .iter()
            .find(|(stem, _)| *stem == "vmware-vsphere-4.0")
            .map(|(_, t)| *t)
            .expect("the bundled vSphere 4.0 book");
        PricebookSet::load(&[SourceFile::new("mine.toml", text)]).expect("it loads")
    }

    #[test]
    fn an_as_of_date_moves_every_scenario_and_is_noted_after_the_overrides() {
        let date = Date::new(2010, 3, 1).expect("a date");
        let pricing = Pricing::new(replacing(), Some(date));
        let estate = parse_estate(&example_estate(), &pricing.books).expect("the example");
        let estate = pricing.estate(estate);
        assert_eq!(estate.purchase_date, date);
        assert!(estate.scenarios.iter().all(|s| s.purchase_date.is_none()));
        let q = pricing.quote(&estate);
        assert!(q.scenarios.iter().all(|s| s.purchase_date == date));
        assert_eq!(
            q.notes.get(..2),
            Some(
                &[
                    "pricebook vmware-vsphere-4.0 from mine.toml replaces the one from <bundled>"
                        .to_owned(),
                    "priced as of 2010-03-01 (--as-of): every scenario as if bought that day"
                        .to_owned(),
                ][..]
            )
        );
    }

    #[test]
    fn without_overrides_or_a_date_nothing_changes() {
        let books = PricebookSet::load(&[]).expect("bundled");
        let pricing = Pricing::new(books.clone(), None);
        let estate = parse_estate(&example_estate(), &books.set).expect("the example");
        assert_eq!(pricing.estate(estate.clone()), estate);
        assert_eq!(pricing.quote(&estate), quote(&estate, &books.set));
        assert!(pricing.notes().is_empty());
    }
}

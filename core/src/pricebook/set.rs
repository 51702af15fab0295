//! The pricebooks a quote may use: the bundled ones, replaced or extended by user files.

use std::sync::Arc;

use crate::diag::Diagnostics;
use crate::ids::{ItemRef, PricebookId};
use crate::pricebook::{Item, Pricebook, parse_pricebook};
use crate::source::SourceFile;

/// Pricebooks by id, sorted, one per id. Each book is shared (`Arc`), so a set with one
/// figure changed (a what-if point, an uncertainty draw) copies only that book.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PricebookSet {
    books: Vec<Arc<Pricebook>>,
}

/// A set loaded from bundled and user files, with what the user files replaced.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedPricebooks {
    /// The set.
    pub set: PricebookSet,
    /// "pricebook X from FILE replaces the bundled one", for the notes of every result
    /// ([`crate::Pricing::notes`]).
    pub overrides: Vec<String>,
}

/// A starter edition a book marks, with its short name if it has one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StarterEdition {
    /// `--compare`'s word for it (several eras may share one).
    pub short: Option<String>,
    /// The scenario's name.
    pub scenario: String,
    /// The edition.
    pub edition: ItemRef,
    /// Its rank among the starters.
    pub rank: u32,
}

impl PricebookSet {
    /// Every starter edition of the loaded books (pricebooks/README.md), in rank order (ties by
    /// edition id): one per platform a buyer leaving per-core VMware subscriptions usually
    /// weighs, in the bundled books. Imports offer them as scenarios; `init --compare` names them
    /// by their short names.
    pub fn starters(&self) -> Vec<StarterEdition> {
        let mut all: Vec<StarterEdition> = self
            .books()
            .iter()
            .flat_map(|book| {
                book.items.iter().filter_map(|item| {
                    let s = item.starter.as_ref()?;
                    Some(StarterEdition {
                        short: s.short.clone(),
                        scenario: s.scenario.clone(),
                        edition: ItemRef {
                            book: book.id.clone(),
                            item: item.id.clone(),
                        },
                        rank: s.rank,
                    })
                })
            })
            .collect();
        all.sort_by(|a, b| (a.rank, &a.edition).cmp(&(b.rank, &b.edition)));
        all
    }

    /// The pricebooks compiled into hypercost (`pricebooks/*.toml`).
    pub fn bundled() -> Result<PricebookSet, Diagnostics> {
        Ok(PricebookSet::load(&[])?.set)
    }

    /// The bundled books plus user files; a user book with a bundled id replaces it.
    /// Every problem in every file is reported together.
    pub fn load(user_files: &[SourceFile]) -> Result<LoadedPricebooks, Diagnostics> {
        let mut all = Diagnostics::default();
        let mut set = PricebookSet::default();
        let mut overrides = Vec::new();
        for (stem, text) in crate::bundled::PRICEBOOKS {
            let file = SourceFile::new(format!("<bundled>/{stem}.toml"), *text);
            match parse_pricebook(&file, "<bundled>") {
                Ok(book) => set.insert(book),
                Err(d) => all.0.extend(d.0),
            }
        }
        for file in user_files {
            match parse_pricebook(file, &file.name) {
                Ok(book) => {
                    if let Some(old) = set.get(&book.id) {
                        overrides.push(format!(
                            "pricebook {} from {} replaces the one from {}",
                            book.id, file.name, old.origin
                        ));
                    }
                    set.insert(book);
                }
                Err(d) => all.0.extend(d.0),
            }
        }
        if all.has_errors() {
            return Err(all);
        }
        Ok(LoadedPricebooks { set, overrides })
    }

    /// A set of exactly these books (tests, the web page); later books replace earlier ones.
    pub fn from_books(books: impl IntoIterator<Item = Pricebook>) -> PricebookSet {
        let mut set = PricebookSet::default();
        for b in books {
            set.insert(b);
        }
        set
    }

    fn insert(&mut self, book: Pricebook) {
        let book = Arc::new(book);
        match self.books.binary_search_by(|b| b.id.cmp(&book.id)) {
            Ok(i) => self.books[i] = book,
            Err(i) => self.books.insert(i, book),
        }
    }

    /// The set with `change` applied to a copy of each book it asks for (`wants`); the other
    /// books are shared, not copied.
    pub fn with_changed(
        &self,
        wants: impl Fn(&Pricebook) -> bool,
        mut change: impl FnMut(&mut Pricebook),
    ) -> PricebookSet {
        let books = self
            .books
            .iter()
            .map(|b| {
                if wants(b) {
                    let mut copy = Pricebook::clone(b);
                    change(&mut copy);
                    Arc::new(copy)
                } else {
                    Arc::clone(b)
                }
            })
            .collect();
        PricebookSet { books }
    }

    /// The book with this id.
    pub fn get(&self, id: &PricebookId) -> Option<&Pricebook> {
        self.books
            .binary_search_by(|b| b.id.cmp(id))
            .ok()
            .map(|i| &*self.books[i])
    }

    /// The edition or add-on a reference names, with its book.
    pub fn item(&self, r: &ItemRef) -> Option<(&Pricebook, &Item)> {
        let book = self.get(&r.book)?;
        Some((book, book.item(&r.item)?))
    }

    /// Every book, sorted by id.
    pub fn books(&self) -> &[Arc<Pricebook>] {
        &self.books
    }

    /// Every book id.
    pub fn ids(&self) -> Vec<&str> {
        self.books.iter().map(|b| b.id.0.as_str()).collect()
    }

    /// A feature word as a vocabulary tag: a tag itself, or any book's alias for one.
    pub fn resolve_feature(&self, word: &str) -> Option<String> {
        if crate::feature::is_known(word) {
            return Some(word.to_owned());
        }
        self.books.iter().find_map(|b| b.aliases.get(word).cloned())
    }

    /// Every word `resolve_feature` accepts, for "valid values" lists: the vocabulary's tags
    /// first, in its order, then the vendor aliases, sorted.
    pub fn feature_words(&self) -> Vec<&str> {
        let mut aliases: Vec<&str> = self
            .books
            .iter()
            .flat_map(|b| b.aliases.keys().map(String::as_str))
            .collect();
        aliases.sort_unstable();
        aliases.dedup();
        let mut words = crate::feature::tags();
        words.extend(aliases);
        words
    }
}

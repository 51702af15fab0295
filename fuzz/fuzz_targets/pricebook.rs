//! Pricebook text → check; a book that loads is put beside (or in place of) the bundled ones,
//! and the example estate and a one-cluster estate on each of its editions are quoted with it.
#![no_main]

use std::fmt::Write as _;

use hypercost_core::pricebook::ItemRole;
use hypercost_core::{Pricebook, PricebookSet, SourceFile, parse_pricebook};
use hypercost_fuzz::{BOOKS, ESTATES, check_estate_text, check_refusal, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let file = SourceFile::new("fuzz-book.toml", text(data));
    let book = match parse_pricebook(&file, &file.name) {
        Ok(book) => book,
        Err(d) => return check_refusal(&d, &file),
    };
    // As `PricebookSet::load` does: a user book with a bundled id replaces it.
    let set = PricebookSet::from_books(BOOKS.books().iter().map(|b| (**b).clone()).chain([book.clone()]));
    let (name, example) = ESTATES[0];
    check_estate_text(name, example, &set);
    check_estate_text("small.toml", &small_estate(&book), &set);
});

/// One small cluster, and a scenario per edition of the book (at most eight), in its currency.
fn small_estate(book: &Pricebook) -> String {
    let date = book
        .on_sale_from
        .map_or_else(|| "2025-01-01".to_owned(), |d| d.to_string());
    let mut t = format!(
        "format = 1\nname = \"small\"\ncurrency = \"{}\"\npurchase_date = {date}\nyears = 3\n\n\
         [[cluster]]\nname = \"c\"\nhosts = 3\nsockets_per_host = 2\ncores_per_socket = 16\n\
         ram_gb_per_host = 256\nvms = 40\n",
        book.currency.escape_default()
    );
    let editions = book.items.iter().filter(|i| i.role == ItemRole::Edition);
    for (n, item) in editions.take(8).enumerate() {
        let _ = write!(
            t,
            "\n[[scenario]]\nname = \"s{n}\"\n[[scenario.plan]]\ncluster = \"c\"\n\
             edition = \"{}/{}\"\n",
            book.id.0.escape_default(),
            item.id.escape_default()
        );
    }
    t
}

//! Unit tests of the core: each metric kind, term and rule with a small pricebook written in
//! the test, and the public 2009 figures reproduced from the bundled pricebooks.

mod cheapest;
mod eras;
mod estate_write;
mod explain;
mod figures;
mod limits;
mod market2026;
mod messages;
mod metrics;
mod pricebooks;
mod reshape;
mod rules;
mod shapes;
mod transitions;
mod uncertainty;
mod whatif;

use rust_decimal::Decimal;

use crate::pricebook::{PricebookSet, parse_pricebook};
use crate::quote::{Line, LineKind, ProblemCode, Quote, ScenarioQuote};
use crate::source::SourceFile;
use crate::{parse_estate, quote};

/// A pricebook header for test books: id `t`, vendor `acme`, USD.
const HEAD: &str =
    "format = 1\nid = \"t\"\nname = \"Test book\"\nvendor = \"acme\"\ncurrency = \"USD\"\n";

/// Parses a test pricebook (header + body) or fails with its diagnostics.
fn book(body: &str) -> PricebookSet {
    let file = SourceFile::new("t.toml", format!("{HEAD}{body}"));
    match parse_pricebook(&file, "test") {
        Ok(b) => PricebookSet::from_books([b]),
        Err(d) => panic!("test pricebook invalid:\n{d}"),
    }
}

/// An estate with one cluster `c` and one scenario `s` with one plan on it.
fn estate(date: &str, cluster: &str, extra: &str, plan: &str) -> String {
    format!(
        "format = 1\nname = \"test\"\ncurrency = \"USD\"\npurchase_date = {date}\nyears = 3\n{extra}\n\
         [[cluster]]\nname = \"c\"\n{cluster}\n\n[[scenario]]\nname = \"s\"\n[[scenario.plan]]\ncluster = \"c\"\n{plan}\n"
    )
}

/// Quotes an estate text against a set, failing on diagnostics.
fn quote_of(books: &PricebookSet, estate_text: &str) -> Quote {
    let file = SourceFile::new("estate.toml", estate_text);
    match parse_estate(&file, books) {
        Ok(e) => quote(&e, books),
        Err(d) => panic!("estate invalid:\n{d}\n{estate_text}"),
    }
}

/// The only scenario of a quote, checked for the invariant total = Σ lines = Σ years.
fn only(q: &Quote) -> &ScenarioQuote {
    let s = &q.scenarios[0];
    let lines: Decimal = s.lines.iter().map(|l| l.amount).sum();
    let years: Decimal = s.years.iter().map(|y| y.total).sum();
    assert_eq!(s.total, lines, "total is the sum of the lines");
    assert_eq!(s.total, years, "total is the sum of the years");
    s
}

/// vCenter Server Standard, which the per-CPU vSphere 4 editions require once per scenario:
/// $4,995 [W, pricing-facts §14] plus Production SnS at 25 % of list per year [S, MSVB
/// 20110815] for `years` years.
fn vcenter(years: u32) -> Decimal {
    let list = dec("4995");
    list + Decimal::from(years) * list * dec("0.25")
}

/// Lines of one kind.
fn lines(s: &ScenarioQuote, kind: LineKind) -> Vec<&Line> {
    s.lines.iter().filter(|l| l.kind == kind).collect()
}

/// Problem codes of a scenario.
fn codes(s: &ScenarioQuote) -> Vec<ProblemCode> {
    s.problems.iter().map(|p| p.code).collect()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

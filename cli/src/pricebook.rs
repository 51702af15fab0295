//! `hypercost pricebook list|show|check|diff`: the pricebooks a quote would use, in words, and
//! what changes from one book to another (and to an estate's quote).

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use hypercost_core::money::{grouped, grouped_unit, money_text, plain_text};
use hypercost_core::pricebook::{
    Change, Confidence, ItemRole, Price, Pricebook, SupportBasis, Term, diff,
};
use hypercost_core::quote::{Problem, ScenarioQuote};
use hypercost_core::{
    Diagnostic, Diagnostics, PricebookId, PricebookSet, Quote, parse_estate, parse_pricebook, quote,
};
use rust_decimal::Decimal;

use crate::args::PricebookCommand;
use crate::{EXIT_INPUT, EXIT_OK, Refused, load_pricebooks, read_file, report, write_stdout};

/// Runs a `pricebook` subcommand.
pub(crate) fn run(
    cmd: &PricebookCommand,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    color: bool,
) -> u8 {
    match cmd {
        PricebookCommand::List { pricebooks } => {
            match load_pricebooks(pricebooks, stdin, stderr, color) {
                Ok(l) => write_stdout(stdout, stderr, list(&l.set).as_bytes()),
                Err(code) => code,
            }
        }
        PricebookCommand::Show { id, pricebooks } => {
            let l = match load_pricebooks(pricebooks, stdin, stderr, color) {
                Ok(l) => l,
                Err(code) => return code,
            };
            match l.set.get(&PricebookId(id.clone())) {
                Some(book) => write_stdout(stdout, stderr, show(book).as_bytes()),
                None => Refused::from(unknown_book(id, &l.set, "")).report(stderr, color),
            }
        }
        PricebookCommand::Check { files } => {
            let mut out = String::new();
            let mut problems = Diagnostics::default();
            let mut sources = Vec::new();
            for path in files {
                let file = match read_file(path, stdin) {
                    Ok(f) => f,
                    Err(refused) => return refused.report(stderr, color),
                };
                match parse_pricebook(&file, &file.name) {
                    Ok(book) => {
                        let _ = writeln!(
                            out,
                            "ok: {} ({}): {}",
                            file.name,
                            book.id,
                            confidence_summary(&book)
                        );
                    }
                    Err(d) => problems.0.extend(d.0),
                }
                sources.push(file);
            }
            if problems.has_errors() {
                let _ = stderr.write_all(report::render(&problems, &sources, color).as_bytes());
                let _ = stdout.write_all(out.as_bytes());
                return EXIT_INPUT;
            }
            let code = write_stdout(stdout, stderr, out.as_bytes());
            if code == EXIT_OK { EXIT_OK } else { code }
        }
        PricebookCommand::Diff {
            a,
            b,
            estate,
            pricebooks,
        } => {
            let inputs = DiffInputs {
                a,
                b,
                estate: estate.as_deref(),
                pricebooks,
            };
            let (text, code) = run_diff(&inputs, stdin, stderr, color);
            match write_stdout(stdout, stderr, text.as_bytes()) {
                EXIT_OK => code,
                failed => failed,
            }
        }
    }
}

/// The arguments of `pricebook diff`.
struct DiffInputs<'a> {
    a: &'a str,
    b: &'a str,
    estate: Option<&'a Path>,
    pricebooks: &'a [PathBuf],
}

/// The width of everything `pricebook diff` prints.
const WIDTH: usize = 100;

/// `pricebook diff A B [--estate FILE]`: the changes from A to B, and what they do to a quote.
/// Returns what to print and the exit code: a book or estate that does not read is reported on
/// standard error (exit 2), after whatever could be compared.
fn run_diff(
    inputs: &DiffInputs<'_>,
    stdin: &mut dyn Read,
    stderr: &mut dyn Write,
    color: bool,
) -> (String, u8) {
    let books = load_pricebooks(inputs.pricebooks, stdin, stderr, color).and_then(|loaded| {
        let a = resolve_book(inputs.a, &loaded.set, stdin, stderr, color)?;
        let b = resolve_book(inputs.b, &loaded.set, stdin, stderr, color)?;
        Ok((loaded, a, b))
    });
    let (loaded, a, b) = match books {
        Ok(books) => books,
        Err(code) => return (String::new(), code),
    };
    let changes = diff(&a, &b);
    let mut out = String::new();
    let count = match changes.len() {
        0 => "no differences".to_owned(),
        1 => "1 difference".to_owned(),
        n => format!("{n} differences"),
    };
    push_wrapped(&mut out, &format!("A: {} ({})", a.id, a.origin), "   ");
    push_wrapped(&mut out, &format!("B: {} ({})", b.id, b.origin), "   ");
    let _ = writeln!(out, "{count}");
    for c in &changes {
        push_wrapped(&mut out, &change_line(c), "    ");
    }
    if let Some(path) = inputs.estate {
        match estate_effect(path, &loaded.set, &a, &b, stdin, stderr, color) {
            Ok(effect) => {
                out.push('\n');
                out.push_str(&effect);
            }
            Err(code) => return (out, code),
        }
    }
    (out, EXIT_OK)
}

/// A pricebook named by id (bundled or from --pricebook) or by the path of its file.
fn resolve_book(
    arg: &str,
    set: &PricebookSet,
    stdin: &mut dyn Read,
    stderr: &mut dyn Write,
    color: bool,
) -> Result<Pricebook, u8> {
    if let Some(book) = set.get(&PricebookId(arg.to_owned())) {
        return Ok(book.clone());
    }
    let path = Path::new(arg);
    let looks_like_a_file =
        arg == "-" || arg.ends_with(".toml") || arg.contains(['/', '\\']) || path.is_file();
    if !looks_like_a_file {
        return Err(Refused::from(unknown_book(
            arg,
            set,
            " (or give the path of a pricebook file)",
        ))
        .report(stderr, color));
    }
    let file = read_file(path, stdin).map_err(|r| r.report(stderr, color))?;
    parse_pricebook(&file, &file.name).map_err(|d| {
        let _ = stderr.write_all(report::render(&d, std::slice::from_ref(&file), color).as_bytes());
        EXIT_INPUT
    })
}

/// An id that names no pricebook, with the ids that do (and `or`, another way to name one).
fn unknown_book(id: &str, set: &PricebookSet, or: &str) -> Diagnostic {
    Diagnostic::input(
        "pricebook",
        format!("unknown pricebook `{id}`"),
        Some(format!("known: {}{or}", set.ids().join(", "))),
    )
}

/// `~ path: old → new`, `+ path: new`, `- path: old`.
fn change_line(c: &Change) -> String {
    match (&c.old, &c.new) {
        (Some(old), Some(new)) => format!("~ {}: {old} → {new}", c.path),
        (None, Some(new)) => format!("+ {}: {new}", c.path),
        (Some(old), None) => format!("- {}: {old}", c.path),
        (None, None) => format!("~ {}", c.path),
    }
}

/// Appends `text` wrapped to [`WIDTH`] columns, continuation lines indented by `indent`.
fn push_wrapped(out: &mut String, text: &str, indent: &str) {
    let options = textwrap::Options::new(WIDTH)
        .subsequent_indent(indent)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    for line in textwrap::wrap(text, options) {
        out.push_str(&line);
        out.push('\n');
    }
}

/// Quotes the estate with A, then with B in A's place, and says what changed per scenario.
fn estate_effect(
    path: &Path,
    loaded: &PricebookSet,
    a: &Pricebook,
    b: &Pricebook,
    stdin: &mut dyn Read,
    stderr: &mut dyn Write,
    color: bool,
) -> Result<String, u8> {
    let file = read_file(path, stdin).map_err(|r| r.report(stderr, color))?;
    // A is in the set as loaded unless it came from a file: then it replaces its id's book.
    let with_a = PricebookSet::from_books(
        loaded
            .books()
            .iter()
            .map(|b| (**b).clone())
            .chain([a.clone()]),
    );
    // B goes in under A's id, so that the estate's references to A resolve to B.
    let mut b_in_place = b.clone();
    b_in_place.id = a.id.clone();
    let with_b = PricebookSet::from_books(
        with_a
            .books()
            .iter()
            .map(|b| (**b).clone())
            .chain([b_in_place]),
    );
    let estate_a = parse_estate(&file, &with_a).map_err(|d| {
        let _ = stderr.write_all(report::render(&d, std::slice::from_ref(&file), color).as_bytes());
        EXIT_INPUT
    })?;
    let estate_b = parse_estate(&file, &with_b).map_err(|d| {
        let _ = writeln!(
            stderr,
            "hypercost: with {} in place of {}, {} no longer reads:",
            b.id, a.id, file.name
        );
        let _ = stderr.write_all(report::render(&d, std::slice::from_ref(&file), color).as_bytes());
        EXIT_INPUT
    })?;
    let qa = quote(&estate_a, &with_a);
    let qb = quote(&estate_b, &with_b);
    let mut out = String::new();
    let renamed = if a.id == b.id {
        String::new()
    } else {
        format!(" (its id rewritten to {})", a.id)
    };
    push_wrapped(
        &mut out,
        &format!(
            "Estate {} ({}), in {}: quoted with A, then with B in A's place{renamed}",
            file.name, qa.estate, qa.currency
        ),
        "",
    );
    for (sa, sb) in qa.scenarios.iter().zip(&qb.scenarios) {
        scenario_effect(&mut out, &qa, sa, sb);
    }
    Ok(out)
}

fn scenario_effect(out: &mut String, q: &Quote, a: &ScenarioQuote, b: &ScenarioQuote) {
    let difference = b.total - a.total;
    let share = if a.total.is_zero() {
        if difference.is_zero() {
            String::new()
        } else {
            " (A's total is 0)".to_owned()
        }
    } else {
        format!(
            " ({}{} %)",
            plus(difference),
            money_text(difference * Decimal::ONE_HUNDRED / a.total)
        )
    };
    let _ = writeln!(out, "\n{}", a.name);
    let _ = writeln!(
        out,
        "  total with A  {:>16} {}",
        grouped(a.total),
        q.currency
    );
    let _ = writeln!(
        out,
        "  total with B  {:>16} {}",
        grouped(b.total),
        q.currency
    );
    let _ = writeln!(
        out,
        "  difference    {:>16} {}{share}",
        format!("{}{}", plus(difference), grouped(difference)),
        q.currency
    );
    let word = |compliant: bool| {
        if compliant {
            "compliant"
        } else {
            "NOT COMPLIANT"
        }
    };
    let gone: Vec<&Problem> = a
        .problems
        .iter()
        .filter(|p| !b.problems.contains(p))
        .collect();
    let new: Vec<&Problem> = b
        .problems
        .iter()
        .filter(|p| !a.problems.contains(p))
        .collect();
    if a.compliant == b.compliant && gone.is_empty() && new.is_empty() {
        let _ = writeln!(out, "  compliance    unchanged ({})", word(a.compliant));
        return;
    }
    let _ = writeln!(
        out,
        "  compliance    {} → {}",
        word(a.compliant),
        word(b.compliant)
    );
    for (mark, p) in gone
        .iter()
        .map(|p| ("- no longer", p))
        .chain(new.iter().map(|p| ("+ new", p)))
    {
        let at = p
            .cluster
            .as_deref()
            .map_or(String::new(), |c| format!("{c}: "));
        push_wrapped(out, &format!("    {mark}: {at}{}", p.message), "      ");
    }
}

/// `+` before a positive amount; negative amounts carry their own sign.
fn plus(d: Decimal) -> &'static str {
    if d.is_sign_positive() && !d.is_zero() {
        "+"
    } else {
        ""
    }
}

fn list(set: &PricebookSet) -> String {
    // The header uses the rows' widths, so its columns sit over theirs.
    let mut out = format!(
        "{:<34} {:<10} {:<4} {:<23} {:>8} {:>7}  {}\n",
        "id", "vendor", "cur", "on sale", "editions", "add-ons", "name"
    );
    for b in set.books() {
        let window = match (b.on_sale_from, b.on_sale_until) {
            (Some(f), Some(u)) => format!("{f}..{u}"),
            (Some(f), None) => format!("from {f}"),
            (None, Some(u)) => format!("until {u}"),
            (None, None) => "always".to_owned(),
        };
        let _ = writeln!(
            out,
            "{:<34} {:<10} {:<4} {:<23} {:>8} {:>7}  {}{}",
            b.id,
            b.vendor,
            b.currency,
            window,
            b.ids_of(ItemRole::Edition).len(),
            b.ids_of(ItemRole::AddOn).len(),
            b.name,
            if b.origin == "<bundled>" {
                String::new()
            } else {
                format!(" (from {})", b.origin)
            }
        );
    }
    out
}

fn price_text(p: &Price, per: &str) -> String {
    let amount = p.amount.map_or("price unknown".to_owned(), |a| {
        format!("{}{per}", grouped_unit(a))
    });
    format!("{amount} [{}] {}", p.confidence.mark(), p.source)
}

fn show(b: &Pricebook) -> String {
    let mut out = format!(
        "{} — {} ({}, {}, vendor {})\n{}\n",
        b.id, b.name, b.currency, b.origin, b.vendor, b.hash
    );
    for n in &b.notes {
        let _ = writeln!(out, "  note: {n}");
    }
    for item in &b.items {
        let role = if item.role == ItemRole::Edition {
            "edition"
        } else {
            "add-on"
        };
        let per = if item.term == Term::Subscription {
            " per unit per year"
        } else {
            " per unit"
        };
        let _ = writeln!(out, "\n{role} {} — {}", item.id, item.name);
        let _ = writeln!(
            out,
            "  metric: {}; term: {}",
            item.metric.describe(),
            if item.term == Term::Perpetual {
                "perpetual"
            } else {
                "subscription"
            }
        );
        match item.default_term_years {
            Some(y) => {
                let _ = writeln!(
                    out,
                    "  price on a {y}-year term (default): {}",
                    price_text(&item.price, per)
                );
                for t in &item.term_prices {
                    let _ = writeln!(
                        out,
                        "  price on a {}-year term: {}",
                        t.years,
                        price_text(&t.price, per)
                    );
                }
            }
            None => {
                let _ = writeln!(out, "  price: {}", price_text(&item.price, per));
            }
        }
        if !item.features.is_empty() || !item.features_unverified.is_empty() {
            let unverified = item
                .features_unverified
                .iter()
                .map(|f| format!("{f} (unverified)"));
            let all: Vec<String> = item.features.iter().cloned().chain(unverified).collect();
            let _ = writeln!(out, "  features: {}", all.join(", "));
        }
        if !item.requires.is_empty() {
            let _ = writeln!(out, "  requires: {}", item.requires.join(", "));
        }
        if let Some(eos) = item.end_of_sale {
            match &item.end_of_sale_withdrawn {
                Some(w) => {
                    let _ = writeln!(
                        out,
                        "  end of sale: announced for {eos}, withdrawn on {} [{}] {}",
                        w.on,
                        w.confidence.mark(),
                        w.source
                    );
                }
                None => {
                    let _ = writeln!(out, "  end of sale: {eos}");
                }
            }
        }
    }
    for s in &b.support {
        let rate = match &s.basis {
            SupportBasis::Rate(r) => format!(
                "{} % of list per year [{}] {}",
                plain_text(r.percent),
                r.confidence.mark(),
                r.source
            ),
            SupportBasis::Price(p) => price_text(p, " per unit per year"),
        };
        let first = if s.first_year_mandatory {
            "first year mandatory"
        } else {
            "optional"
        };
        let _ = writeln!(out, "\nsupport {} — {} ({first})\n  {rate}", s.id, s.name);
    }
    for u in &b.upgrades {
        let support = if u.requires_active_support {
            ", with active support"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "\nupgrade {} — {}\n  {} → {}, {} per licence{support}\n  price: {}",
            u.id,
            u.name,
            u.from,
            u.to,
            u.units_per_licence,
            price_text(&u.price, " per unit")
        );
    }
    for r in &b.rules {
        let what = r.kind.describe();
        let from = r.from.map_or(String::new(), |d| format!(" from {d}"));
        let until = r.until.map_or(String::new(), |d| format!(" until {d}"));
        let default = if r.default_on {
            "on unless the estate switches it off"
        } else {
            "off unless the estate switches it on"
        };
        let _ = writeln!(
            out,
            "\nrule {} — {}\n  {what} on {}{from}{until}; {default}\n  [{}] {}",
            r.id,
            r.name,
            r.applies_to.join(", "),
            r.confidence.mark(),
            r.source
        );
    }
    if b.uniform_edition {
        let _ = writeln!(
            out,
            "\nevery node of one cluster (estate clusters sharing a group) must run the same edition"
        );
    }
    for p in &b.promotions {
        let from = p.valid_from.map_or(String::new(), |d| format!(" from {d}"));
        let until = p
            .valid_until
            .map_or(String::new(), |d| format!(" until {d}"));
        let _ = writeln!(
            out,
            "\npromotion {} — {}\n  {} % off {}{from}{until} [{}] {}",
            p.id,
            p.name,
            plain_text(p.discount.percent),
            p.applies_to,
            p.discount.confidence.mark(),
            p.discount.source
        );
    }
    out
}

/// "12 prices: 8 P, 3 S, 1 UNVERIFIED".
fn confidence_summary(b: &Pricebook) -> String {
    let mut marks: Vec<Confidence> = b.items.iter().map(|i| i.price.confidence).collect();
    marks.extend(b.upgrades.iter().map(|u| u.price.confidence));
    marks.extend(b.support.iter().map(|s| match &s.basis {
        SupportBasis::Rate(r) => r.confidence,
        SupportBasis::Price(p) => p.confidence,
    }));
    marks.extend(b.promotions.iter().map(|p| p.discount.confidence));
    marks.sort();
    let mut parts = Vec::new();
    for m in [
        Confidence::P,
        Confidence::S,
        Confidence::W,
        Confidence::C,
        Confidence::Unverified,
    ] {
        let n = marks.iter().filter(|x| **x == m).count();
        if n > 0 {
            parts.push(format!("{n} {}", m.mark()));
        }
    }
    format!(
        "{}: {}",
        if marks.len() == 1 {
            "1 price or rate, with its source".to_owned()
        } else {
            format!("{} prices and rates, each with a source", marks.len())
        },
        parts.join(", ")
    )
}

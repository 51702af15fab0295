//! `hypercost pricebook list|show|check`: the pricebooks a quote would use, in words.

use std::fmt::Write as _;
use std::io::{Read, Write};

use hypercost_core::money::{grouped_unit, plain_text};
use hypercost_core::pricebook::{
    Confidence, ItemRole, Price, Pricebook, RuleKind, SupportBasis, Term,
};
use hypercost_core::{Diagnostics, PricebookId, PricebookSet, parse_pricebook};

use crate::args::PricebookCommand;
use crate::{EXIT_INPUT, EXIT_OK, input_error, load_pricebooks, read_file, report, write_stdout};

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
                None => input_error(
                    stderr,
                    &format!(
                        "unknown pricebook `{id}`; known: {}",
                        l.set.ids().join(", ")
                    ),
                ),
            }
        }
        PricebookCommand::Check { files } => {
            let mut out = String::new();
            let mut problems = Diagnostics::default();
            let mut sources = Vec::new();
            for path in files {
                let file = match read_file(path, stdin) {
                    Ok(f) => f,
                    Err(msg) => return input_error(stderr, &msg),
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
    }
}

fn list(set: &PricebookSet) -> String {
    let mut out = format!(
        "{:<26} {:<4} {:<23} {:>8} {:>7}  {}\n",
        "id", "cur", "on sale", "editions", "add-ons", "name"
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
        let _ = writeln!(out, "  price: {}", price_text(&item.price, per));
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
            let _ = writeln!(out, "  end of sale: {eos}");
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
        let what = match &r.kind {
            RuleKind::MinOrder { units } => format!("minimum order {units} units"),
            RuleKind::CoreCap { cores, above_cap } => format!(
                "{cores} cores per CPU licence ({})",
                if *above_cap == hypercost_core::pricebook::AboveCap::Stack {
                    "stack above"
                } else {
                    "forbidden above"
                }
            ),
            RuleKind::Surcharge { percent } => format!("+{} % surcharge", plain_text(*percent)),
        };
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
        "{} prices and rates, each with a source: {}",
        marks.len(),
        parts.join(", ")
    )
}

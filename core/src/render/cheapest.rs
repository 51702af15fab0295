//! `cheapest` rendered: the 100-column table (winners with their years and notes, rejected
//! options grouped by edition with each reason once), JSON (every option), and one CSV or
//! Markdown row per option priced, winners first, then the rejected ones.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::Analysis;
use super::sheet::{Sheet, raw, text};
use super::text::{heading, push_note, push_wrapped};
use crate::analysis::cheapest::{Cheapest, ClusterSearch, Priced};
use crate::money::{grouped, money_text};
use crate::quote::ProblemCode;

impl Analysis for Cheapest {
    const KIND: &'static str = "cheapest";

    fn table(&self) -> String {
        table(self)
    }

    fn sheet(&self) -> Sheet {
        sheet(self)
    }
}

/// Every option priced: winners first (ranked), then the rejected ones.
fn sheet(c: &Cheapest) -> Sheet {
    let header = [
        "cluster".to_owned(),
        "result".to_owned(),
        "rank".to_owned(),
        "option".to_owned(),
        "edition".to_owned(),
        "vendor".to_owned(),
        "support".to_owned(),
        "addons".to_owned(),
        "uses owned licences".to_owned(),
        "compliant".to_owned(),
        format!("total ({})", c.currency),
        "problems".to_owned(),
    ];
    let mut rows = Vec::new();
    for cl in &c.clusters {
        for (result, list) in [("winner", &cl.winners), ("rejected", &cl.rejected)] {
            for o in list {
                let problems: Vec<&str> = o.problems.iter().map(|p| p.message.as_str()).collect();
                rows.push(vec![
                    text(&cl.cluster),
                    raw(result),
                    raw(o.rank.map(|r| r.to_string()).unwrap_or_default()),
                    text(&o.option),
                    text(&o.edition),
                    text(&o.vendor),
                    text(o.support.clone().unwrap_or_default()),
                    text(o.addons.join(" ")),
                    raw(o.use_owned),
                    raw(o.compliant),
                    raw(money_text(o.total)),
                    text(problems.join("; ")),
                ]);
            }
        }
    }
    Sheet {
        header: header.into_iter().map(text).collect(),
        rows,
    }
}

fn table(c: &Cheapest) -> String {
    let mut out = String::new();
    push_wrapped(
        &mut out,
        &format!(
            "Cheapest compliant plans · {} · {} · purchase {} · {} year{} · {}",
            c.estate,
            c.currency,
            c.purchase_date,
            c.years,
            if c.years == 1 { "" } else { "s" },
            c.engine
        ),
        0,
    );
    push_wrapped(
        &mut out,
        &format!("searched: {}", c.pricebooks.join(", ")),
        2,
    );
    for m in &c.method {
        push_wrapped(&mut out, &format!("  • {m}"), 4);
    }
    for n in &c.notes {
        push_note(&mut out, n);
    }
    for s in &c.clusters {
        out.push('\n');
        cluster(&mut out, c, s);
    }
    out
}

fn cluster(out: &mut String, c: &Cheapest, s: &ClusterSearch) {
    heading(
        out,
        &format!("cluster {}: {}", s.cluster, s.shape),
        &format!("{} options, {} compliant", s.options, s.compliant),
    );
    let needs = if s.needs.is_empty() {
        "none stated".to_owned()
    } else {
        s.needs.join(", ")
    };
    push_wrapped(out, &format!("needs: {needs}"), 2);
    for n in &s.notes {
        push_note(out, n);
    }
    if s.winners.is_empty() && s.rejected.is_empty() {
        // Nothing was searched (no edition of the chosen vendors prices in this currency or
        // on this date): the notes above say why; there are no reasons below.
        let _ = writeln!(out, "No option was searched: see the notes above.");
    } else if s.winners.is_empty() {
        let _ = writeln!(out, "No option is compliant: the reasons are below.");
    } else {
        let _ = writeln!(
            out,
            "{:>4}  {:<61} {:>15} {:>14}",
            "rank", "option", "total", "vs best"
        );
        let best = s.winners[0].total;
        for w in &s.winners {
            winner(out, c, w, best);
        }
    }
    if s.rejected.is_empty() {
        return;
    }
    out.push('\n');
    push_wrapped(
        out,
        &format!(
            "Rejected: {} option{}, cheapest first (each reason once per edition; the JSON lists every option)",
            s.rejected.len(),
            if s.rejected.len() == 1 { "" } else { "s" }
        ),
        2,
    );
    rejected(out, s);
}

fn winner(out: &mut String, c: &Cheapest, w: &Priced, best: Decimal) {
    let mut option = w.option.clone();
    if option.chars().count() > 61 {
        option = option.chars().take(60).collect::<String>() + "…";
    }
    let delta = if w.total == best {
        "best".to_owned()
    } else {
        format!("+{}", grouped(w.total - best))
    };
    let _ = writeln!(
        out,
        "{:>4}  {:<61} {:>15} {:>14}",
        w.rank.unwrap_or(0),
        option,
        grouped(w.total),
        delta
    );
    let years: Vec<String> = w
        .years
        .iter()
        .map(|y| format!("year {}: {}", y.year, grouped(y.total)))
        .collect();
    let mut detail = format!("{} · {}", w.edition_name, w.vendor);
    if w.option.chars().count() > 61 {
        detail = format!("{} · {detail}", w.option);
    }
    if w.use_owned {
        detail.push_str(" · uses owned licences");
    }
    let _ = write!(detail, " · {} {}", years.join(" · "), c.currency);
    if w.doubtful_lines > 0 {
        let _ = write!(
            detail,
            " · ⚠ {} line{} on UNVERIFIED or conflicting prices",
            w.doubtful_lines,
            if w.doubtful_lines == 1 { "" } else { "s" }
        );
    }
    push_wrapped(out, &format!("      {detail}"), 8);
    for n in &w.notes {
        push_wrapped(out, &format!("      • {n}"), 8);
    }
}

/// Rejected options grouped by edition (editions cheapest first), each reason once, with the
/// options it applies to when not every option of the edition has it.
fn rejected(out: &mut String, s: &ClusterSearch) {
    // Options whose only fault is a missing mandatory support plan, of an edition that is
    // compliant with one, are summed up in one block.
    let support_only = |r: &Priced| {
        s.compliant_editions.contains(&r.edition)
            && r.problems
                .iter()
                .all(|p| p.code == ProblemCode::SupportRequired)
    };
    let mut editions: Vec<&str> = Vec::new();
    for r in s.rejected.iter().filter(|r| !support_only(r)) {
        if !editions.contains(&r.edition.as_str()) {
            editions.push(&r.edition);
        }
    }
    // Blocks of lines, each with the cheapest total of its options: printed cheapest first.
    let mut blocks: Vec<(Decimal, Vec<String>)> = Vec::new();
    for edition in editions {
        let group: Vec<&Priced> = s
            .rejected
            .iter()
            .filter(|r| r.edition == edition && !support_only(r))
            .collect();
        let mut reasons: Vec<(String, Vec<&str>)> = Vec::new();
        for r in &group {
            let variant = r.option[edition.len()..].trim();
            for p in &r.problems {
                let message = match &p.cluster {
                    Some(c) if *c != s.cluster => format!("{c}: {}", p.message),
                    _ => p.message.clone(),
                };
                match reasons.iter_mut().find(|(m, _)| *m == message) {
                    Some((_, vs)) => vs.push(variant),
                    None => reasons.push((message, vec![variant])),
                }
            }
        }
        // A reason every option of the edition shares needs no qualifier.
        let every_option =
            |n: usize| n == group.len() && !s.compliant_editions.iter().any(|e| e == edition);
        let lines = reasons
            .iter()
            .map(|(message, variants)| {
                let who = if every_option(variants.len()) {
                    edition.to_owned()
                } else {
                    let named: Vec<&str> = variants
                        .iter()
                        .map(|v| if v.is_empty() { "alone" } else { *v })
                        .collect();
                    if named.len() == 1 {
                        format!("{edition} {}", named[0])
                    } else {
                        format!("{edition} ({})", named.join("; "))
                    }
                };
                format!("✗ {who}: {message}")
            })
            .collect();
        let cheapest = group.iter().map(|r| r.total).min().unwrap_or_default();
        blocks.push((cheapest, lines));
    }
    let bare: Vec<&Priced> = s.rejected.iter().filter(|r| support_only(r)).collect();
    if let Some(cheapest) = bare.iter().map(|r| r.total).min() {
        let mut options: Vec<String> = Vec::new();
        for r in &bare {
            let option = r.option.replace(" without support", "");
            if !options.contains(&option) {
                options.push(option);
            }
        }
        blocks.push((
            cheapest,
            vec![format!(
                "✗ without support: {} must be bought with first-year support (and {} compliant with it)",
                options.join(", "),
                if options.len() == 1 { "is" } else { "each is" }
            )],
        ));
    }
    // Stable: blocks of equal totals keep the order of their options.
    blocks.sort_by_key(|(total, _)| *total);
    for (total, lines) in blocks {
        for (i, line) in lines.iter().enumerate() {
            let amount = if i == 0 {
                grouped(total)
            } else {
                String::new()
            };
            push_wrapped(out, &format!("{amount:>14}  {line}"), 20);
        }
    }
}

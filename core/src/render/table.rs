//! The table report: per scenario its lines with rules, per-year totals, problems and notes,
//! then the scenarios ranked. Written for a buyer reading a terminal 100 columns wide.

use std::fmt::Write as _;

use super::text::{heading, push_note, push_wrapped, truncate};
use crate::money::{grouped, grouped_unit, plain_text};
use crate::quote::{ALL_CLUSTERS, Line, Quote, ScenarioQuote};

const RULE_INDENT: usize = 6;

/// Renders the whole report.
pub(super) fn render(q: &Quote) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} · {} · purchase {} · {} year{} · {}",
        q.estate,
        q.currency,
        q.purchase_date,
        q.years,
        if q.years == 1 { "" } else { "s" },
        q.engine
    );
    let ids: Vec<&str> = q.pricebooks.iter().map(|p| p.id.as_str()).collect();
    push_wrapped(&mut out, &format!("pricebooks: {}", ids.join(", ")), 0);
    for n in &q.notes {
        push_note(&mut out, n);
    }
    let mut sources: Vec<String> = Vec::new();
    for s in &q.scenarios {
        out.push('\n');
        scenario(&mut out, q, s, &mut sources);
    }
    out.push('\n');
    ranking(&mut out, q);
    out.push('\n');
    let _ = writeln!(out, "Assumptions");
    for a in &q.assumptions {
        push_wrapped(
            &mut out,
            &format!("  {} = {} ({}): {}", a.name, a.value, a.origin, a.note),
            4,
        );
    }
    out.push('\n');
    let _ = writeln!(out, "Sources");
    for (i, s) in sources.iter().enumerate() {
        push_wrapped(&mut out, &format!("[{}] {s}", i + 1), 0);
    }
    out
}

fn scenario(out: &mut String, q: &Quote, s: &ScenarioQuote, sources: &mut Vec<String>) {
    let status = if s.compliant {
        "compliant"
    } else {
        "NOT COMPLIANT"
    };
    let right = if s.purchase_date == q.purchase_date {
        status.to_owned()
    } else {
        format!("bought {} · {status}", s.purchase_date)
    };
    heading(out, &s.name, &right);
    let _ = writeln!(
        out,
        "{:>3}  {:<12} {:<44} {:>7} {:>12} {:>14}",
        "yr", "kind", "item", "qty", "unit price", "amount"
    );
    for l in &s.lines {
        line(out, l, sources);
    }
    let years: Vec<String> = s
        .years
        .iter()
        .map(|y| format!("year {}: {}", y.year, grouped(y.total)))
        .collect();
    push_wrapped(
        out,
        &format!(
            "{} · total: {} {}",
            years.join(" · "),
            grouped(s.total),
            q.currency
        ),
        0,
    );
    if q.years > 1 || s.cost_per_vm_year.is_some() {
        let cumulative: Vec<String> = s.years.iter().map(|y| grouped(y.cumulative)).collect();
        let rate = q
            .assumptions
            .iter()
            .find(|a| a.name == "costs.discount_rate")
            .map_or("0".to_owned(), |a| a.value.clone());
        let mut text = format!(
            "cumulative: {} · NPV at {rate}: {}",
            cumulative.join(" → "),
            grouped(s.npv)
        );
        if let Some(per_vm) = s.cost_per_vm_year {
            text.push_str(&format!(" · per VM-year: {}", grouped(per_vm)));
        }
        push_wrapped(out, &text, 0);
    }
    if let Some(r) = &s.range {
        push_wrapped(out, &range_text(r, q.draws.map_or(0, |d| d.draws)), 0);
    }
    if s.doubtful_lines > 0 {
        let which: Vec<String> = s
            .doubtful
            .iter()
            .map(|d| {
                format!(
                    "{} [{}] ({} line{})",
                    d.item,
                    d.confidence.mark(),
                    d.lines,
                    if d.lines == 1 { "" } else { "s" }
                )
            })
            .collect();
        push_wrapped(
            out,
            &format!(
                "⚠ {} of {} lines rest on UNVERIFIED or conflicting prices or rules: {}",
                s.doubtful_lines,
                s.lines.len(),
                which.join(", ")
            ),
            2,
        );
    }
    if !s.problems.is_empty() {
        let _ = writeln!(out, "Not compliant:");
        for p in &s.problems {
            let at = p
                .cluster
                .as_deref()
                .map_or(String::new(), |c| format!("{c}: "));
            push_wrapped(out, &format!("  ✗ {at}{}", p.message), 4);
        }
    }
    if !s.notes.is_empty() {
        let _ = writeln!(out, "Notes:");
        for n in &s.notes {
            push_wrapped(out, &format!("  • {n}"), 4);
        }
    }
}

fn line(out: &mut String, l: &Line, sources: &mut Vec<String>) {
    let name = truncate(&l.name, 44);
    let _ = writeln!(
        out,
        "{:>3}  {:<12} {:<44} {:>7} {:>12} {:>14}",
        l.year,
        l.kind.word(),
        name,
        plain_text(l.quantity),
        grouped_unit(l.unit_price),
        grouped(l.amount)
    );
    let source = l.source.text();
    let n = match sources.iter().position(|s| *s == source) {
        Some(i) => i + 1,
        None => {
            sources.push(source);
            sources.len()
        }
    };
    let cluster = if l.cluster == ALL_CLUSTERS {
        "all clusters".to_owned()
    } else {
        l.cluster.to_string()
    };
    let mut why = format!("{cluster}: {}", l.rule.0);
    for d in &l.discounts {
        if d.percent.is_sign_negative() {
            let _ = write!(why, "; + {} % {}", plain_text(-d.percent), d.label);
        } else {
            let _ = write!(why, "; − {} % {}", plain_text(d.percent), d.label);
        }
    }
    let _ = write!(why, " · {} [{n}, {}]", l.item, l.source.confidence.mark());
    push_wrapped(
        out,
        &format!("{}{why}", " ".repeat(RULE_INDENT)),
        RULE_INDENT + 2,
    );
}

fn ranking(out: &mut String, q: &Quote) {
    heading(
        out,
        &format!("Scenarios ranked ({} years, {})", q.years, q.currency),
        "",
    );
    let best = q.ranking.iter().find(|r| r.compliant).map(|r| r.total);
    let _ = writeln!(
        out,
        "{:>4}  {:<52} {:<10} {:>15} {:>13}",
        "rank", "scenario", "compliant", "total", "vs best"
    );
    for r in &q.ranking {
        let name = truncate(&r.scenario, 52);
        let scenario = q.scenarios.iter().find(|s| s.name == r.scenario);
        let problems = scenario.map_or(0, |s| s.problems.len());
        let delta = match best {
            Some(b) if r.compliant && r.total != b => format!("+{}", grouped(r.total - b)),
            Some(_) if r.compliant => "best".to_owned(),
            _ => crate::pricebook::Plural(problems as u64, "problem").to_string(),
        };
        let row = format!(
            "{:>4}  {:<52} {:<10} {:>15} {:>13}",
            r.rank,
            name,
            if r.compliant { "yes" } else { "no" },
            grouped(r.total),
            delta
        );
        let _ = writeln!(out, "{}", row.trim_end());
        // With `--ranges`, each total's range under its row, as under the scenario's lines.
        if let (Some(range), Some(d)) = (scenario.and_then(|s| s.range.as_ref()), &q.draws) {
            push_wrapped(out, &format!("      {}", range_text(range, d.draws)), 6);
        }
    }
    if best.is_none() {
        let _ = writeln!(out, "No scenario is compliant: see the problems above.");
    }
}

/// A total's range in words: `P10–P90: 178,752.00 – 227,505.60 · P50 203,126.40 · the
/// cheapest in 94.2 % of 10,000 draws`.
pub(crate) fn range_text(r: &crate::quote::Range, draws: u32) -> String {
    format!(
        "P10–P90: {} – {} · P50 {} · the cheapest in {} % of {} draws",
        grouped(r.total.p10),
        grouped(r.total.p90),
        grouped(r.total.p50),
        crate::money::plain_text((r.p_cheapest * rust_decimal::Decimal::ONE_HUNDRED).round_dp(1)),
        crate::money::grouped_int(u64::from(draws))
    )
}

//! `uncertainty` rendered: per scenario the quoted total, its P10–P50–P90 band and the share
//! of draws in which it is the cheapest, then the drivers and every range drawn; JSON; one
//! CSV or Markdown row per scenario.

use super::text::push_note;
use std::fmt::Write as _;

use super::Analysis;
use super::sheet::{Sheet, raw, text};
use super::text as whatif;
use crate::analysis::uncertainty::Ranges;
use crate::money::{grouped, money_text, plain_text};

impl Analysis for Ranges {
    const KIND: &'static str = "uncertainty";

    fn table(&self) -> String {
        table(self)
    }

    fn sheet(&self) -> Sheet {
        sheet(self)
    }
}

/// One row per scenario: its quoted total, the bands of total and NPV, its chance of being
/// the cheapest.
fn sheet(r: &Ranges) -> Sheet {
    let c = &r.currency;
    let header = [
        "scenario".to_owned(),
        "compliant".to_owned(),
        format!("quoted ({c})"),
        format!("total P10 ({c})"),
        format!("total P50 ({c})"),
        format!("total P90 ({c})"),
        format!("NPV P10 ({c})"),
        format!("NPV P50 ({c})"),
        format!("NPV P90 ({c})"),
        "cheapest draws".to_owned(),
        "p cheapest".to_owned(),
    ];
    let rows = r
        .scenarios
        .iter()
        .map(|s| {
            vec![
                text(&s.name),
                raw(s.compliant),
                raw(money_text(s.quoted)),
                raw(money_text(s.range.total.p10)),
                raw(money_text(s.range.total.p50)),
                raw(money_text(s.range.total.p90)),
                raw(money_text(s.range.npv.p10)),
                raw(money_text(s.range.npv.p50)),
                raw(money_text(s.range.npv.p90)),
                raw(s.range.cheapest_draws),
                raw(plain_text(s.range.p_cheapest)),
            ]
        })
        .collect();
    Sheet {
        header: header.into_iter().map(text).collect(),
        rows,
    }
}

/// A share as a percentage for people: `94.2 %`.
fn percent(p: rust_decimal::Decimal) -> String {
    format!(
        "{} %",
        plain_text((p * rust_decimal::Decimal::ONE_HUNDRED).round_dp(1))
    )
}

fn table(r: &Ranges) -> String {
    let mut out = String::new();
    whatif::push_wrapped(
        &mut out,
        &format!(
            "{} · {} · {} year{} · {} draws, seed {}",
            r.estate,
            r.currency,
            r.years,
            if r.years == 1 { "" } else { "s" },
            crate::money::grouped_int(u64::from(r.draws)),
            r.seed
        ),
        0,
    );
    for n in &r.notes {
        push_note(&mut out, n);
    }
    out.push('\n');
    whatif::heading(&mut out, "Totals over the draws", &r.currency);
    let headers = ["quoted", "P10", "P50", "P90", "cheapest"];
    let cells: Vec<[String; 5]> = r
        .scenarios
        .iter()
        .map(|s| {
            [
                format!(
                    "{}{}",
                    grouped(s.quoted),
                    if s.compliant { "" } else { "*" }
                ),
                grouped(s.range.total.p10),
                grouped(s.range.total.p50),
                grouped(s.range.total.p90),
                percent(s.range.p_cheapest),
            ]
        })
        .collect();
    let mut widths = headers.map(str::len);
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let fixed: usize = widths.iter().map(|w| w + 2).sum();
    let name_width = r
        .scenarios
        .iter()
        .map(|s| s.name.chars().count())
        .chain(["scenario".len()])
        .max()
        .unwrap_or(8)
        .min(whatif::WIDTH.saturating_sub(fixed).max(12));
    let row = |name: &str, c: &[String; 5]| {
        let mut line = format!("{:<name_width$}", whatif::truncate(name, name_width));
        for (w, cell) in widths.iter().zip(c) {
            let _ = write!(line, "  {cell:>w$}");
        }
        line
    };
    let _ = writeln!(out, "{}", row("scenario", &headers.map(str::to_owned)));
    for (s, c) in r.scenarios.iter().zip(&cells) {
        let _ = writeln!(out, "{}", row(&s.name, c));
    }
    if r.scenarios.iter().any(|s| !s.compliant) {
        let _ = writeln!(out, "* not compliant: never the cheapest");
    }
    if !r.drivers.is_empty() {
        out.push('\n');
        whatif::heading(&mut out, &format!("What moves {}", r.measure), "share");
        // Shares that round to 0 are in the JSON, not here.
        for d in r.drivers.iter().filter(|d| !d.share.is_zero()) {
            let _ = writeln!(out, "{:>6}  {} {}", percent(d.share), d.direction, d.input);
        }
    }
    if !r.inputs.is_empty() {
        out.push('\n');
        whatif::heading(&mut out, "Drawn", "low – high");
        for i in &r.inputs {
            whatif::push_wrapped(
                &mut out,
                &format!(
                    "{}: {} – {} (stated {}; {})",
                    i.input,
                    plain_text(i.low),
                    plain_text(i.high),
                    plain_text(i.value),
                    i.why
                ),
                2,
            );
        }
    }
    out
}

//! `compare` rendered: the 100-column table (cost per year, cumulative, deltas against the
//! baseline, break-even in words), JSON, and one CSV or Markdown row per scenario and year
//! plus one total row per scenario.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::Analysis;
use super::sheet::{Sheet, raw, text};
use super::text::{self as whatif, Column, push_note};
use crate::analysis::compare::{Compared, Comparison};
use crate::money::{grouped, money_text, plain_text};

impl Analysis for Comparison {
    const KIND: &'static str = "compare";

    fn table(&self) -> String {
        table(self)
    }

    fn sheet(&self) -> Sheet {
        sheet(self)
    }
}

fn opt_percent(p: Option<Decimal>) -> String {
    p.map(plain_text).unwrap_or_default()
}

/// By month (`--by month`): one row per scenario and month. Otherwise one row per scenario
/// and year, then one total row per scenario.
fn sheet(c: &Comparison) -> Sheet {
    if !c.months.is_empty() {
        return month_sheet(c);
    }
    let cur = &c.currency;
    let header = [
        "scenario".to_owned(),
        "baseline".to_owned(),
        "compliant".to_owned(),
        "year".to_owned(),
        format!("total ({cur})"),
        format!("cumulative ({cur})"),
        format!("delta vs baseline ({cur})"),
        "delta vs baseline (%)".to_owned(),
        format!("cumulative delta ({cur})"),
    ];
    let mut rows = Vec::new();
    for s in &c.scenarios {
        for y in &s.years {
            rows.push(vec![
                text(&s.name),
                raw(s.baseline),
                raw(s.compliant),
                raw(y.year),
                raw(money_text(y.total)),
                raw(money_text(y.cumulative)),
                raw(money_text(y.delta)),
                raw(opt_percent(y.delta_percent)),
                raw(money_text(y.cumulative_delta)),
            ]);
        }
        rows.push(vec![
            text(&s.name),
            raw(s.baseline),
            raw(s.compliant),
            raw("total"),
            raw(money_text(s.total)),
            raw(money_text(s.total)),
            raw(money_text(s.delta)),
            raw(opt_percent(s.delta_percent)),
            raw(money_text(s.delta)),
        ]);
    }
    Sheet {
        header: header.into_iter().map(text).collect(),
        rows,
    }
}

fn month_sheet(c: &Comparison) -> Sheet {
    let cur = &c.currency;
    let header = [
        "scenario".to_owned(),
        "baseline".to_owned(),
        "compliant".to_owned(),
        "month".to_owned(),
        format!("due ({cur})"),
        format!("cumulative ({cur})"),
    ];
    let mut rows = Vec::new();
    for (i, s) in c.scenarios.iter().enumerate() {
        for m in &c.months {
            rows.push(vec![
                text(&s.name),
                raw(s.baseline),
                raw(s.compliant),
                raw(&m.month),
                raw(money_text(m.totals.get(i).copied().unwrap_or_default())),
                raw(money_text(m.cumulative.get(i).copied().unwrap_or_default())),
            ]);
        }
    }
    Sheet {
        header: header.into_iter().map(text).collect(),
        rows,
    }
}

fn table(c: &Comparison) -> String {
    let mut out = String::new();
    let base = c.scenarios.iter().position(|s| s.baseline).unwrap_or(0);
    whatif::push_wrapped(
        &mut out,
        &format!(
            "{} · {} · {} year{} · against {} ({})",
            c.estate,
            c.currency,
            c.years,
            if c.years == 1 { "" } else { "s" },
            whatif::key(base),
            c.baseline
        ),
        0,
    );
    for n in &c.notes {
        push_note(&mut out, n);
    }
    out.push('\n');
    whatif::heading(&mut out, "Scenarios", "* not compliant");
    for (i, s) in c.scenarios.iter().enumerate() {
        let mut text = format!("{:<4}{}", whatif::key(i), s.name);
        if s.baseline {
            text.push_str(" · baseline");
        }
        if !s.compliant {
            let k = s.problems.len();
            let _ = write!(
                text,
                " · NOT COMPLIANT: {k} problem{}: {}",
                if k == 1 { "" } else { "s" },
                s.problems.join("; ")
            );
        }
        whatif::push_wrapped(&mut out, &text, 4);
    }
    // One column per scenario, headed by its key (starred when not compliant).
    let columns = |cells: &dyn Fn(&Compared) -> Vec<String>| -> Vec<Column> {
        c.scenarios
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut header = whatif::key(i);
                if !s.compliant {
                    header.push('*');
                }
                Column {
                    header,
                    cells: cells(s),
                }
            })
            .collect()
    };
    let years: Vec<String> = (1..=c.years).map(|y| format!("year {y}")).collect();

    out.push('\n');
    whatif::heading(&mut out, &format!("Cost per year ({})", c.currency), "");
    let mut rows = years.clone();
    rows.push("total".to_owned());
    let per_year = columns(&|s| {
        s.years
            .iter()
            .map(|y| grouped(y.total))
            .chain([grouped(s.total)])
            .collect()
    });
    whatif::grid(&mut out, "", &rows, &per_year);

    if c.scenarios.iter().any(|s| s.range.is_some()) {
        out.push('\n');
        whatif::heading(
            &mut out,
            &format!(
                "Total when prices are what their sources allow ({})",
                c.currency
            ),
            "",
        );
        let rows = ["P10", "P50", "P90", "cheapest"].map(str::to_owned);
        let ranges = columns(&|s| match &s.range {
            Some(r) => vec![
                grouped(r.total.p10),
                grouped(r.total.p50),
                grouped(r.total.p90),
                format!(
                    "{} %",
                    crate::money::plain_text(
                        (r.p_cheapest * rust_decimal::Decimal::ONE_HUNDRED).round_dp(1)
                    )
                ),
            ],
            None => vec![String::new(); 4],
        });
        whatif::grid(&mut out, "", &rows, &ranges);
    }

    if !c.months.is_empty() {
        out.push('\n');
        whatif::heading(
            &mut out,
            &format!("Cash flow by month, as it falls due ({})", c.currency),
            "",
        );
        let rows: Vec<String> = c.months.iter().map(|m| m.month.clone()).collect();
        let monthly = columns(&|s| {
            let i = c
                .scenarios
                .iter()
                .position(|x| x.name == s.name)
                .unwrap_or(0);
            c.months
                .iter()
                .map(|m| grouped(m.totals.get(i).copied().unwrap_or_default()))
                .collect()
        });
        whatif::grid(&mut out, "", &rows, &monthly);
    }

    out.push('\n');
    whatif::heading(&mut out, "Cumulative cost", "");
    let rows: Vec<String> = (1..=c.years).map(|y| format!("by year {y}")).collect();
    let cumulative = columns(&|s| s.years.iter().map(|y| grouped(y.cumulative)).collect());
    whatif::grid(&mut out, "", &rows, &cumulative);

    out.push('\n');
    whatif::heading(
        &mut out,
        &format!("Versus the baseline {}", whatif::key(base)),
        "",
    );
    let mut rows = years;
    rows.extend(["total".to_owned(), "total %".to_owned()]);
    let versus = columns(&|s| {
        s.years
            .iter()
            .map(|y| whatif::signed(y.delta))
            .chain([
                whatif::signed(s.delta),
                s.delta_percent
                    .map_or_else(|| "n/a".to_owned(), whatif::signed_percent),
            ])
            .collect()
    });
    whatif::grid(&mut out, "", &rows, &versus);

    out.push('\n');
    whatif::heading(
        &mut out,
        &format!("Break-even against {}", whatif::key(base)),
        "",
    );
    if c.break_even.is_empty() {
        let _ = writeln!(out, "There is no other scenario.");
    }
    for b in &c.break_even {
        let i = c
            .scenarios
            .iter()
            .position(|s| s.name == b.scenario)
            .unwrap_or(0);
        whatif::push_wrapped(&mut out, &format!("{:<4}{}", whatif::key(i), b.text), 4);
    }
    out
}

//! `sweep` rendered: the 100-column table (a column per scenario along one dimension, or the
//! cheapest per cell of a 2-D grid, then the crossovers in words), JSON, and one CSV or
//! Markdown row per point and scenario with the varied fields as columns.

use super::Analysis;
use super::sheet::{Sheet, raw, text};
use super::text::{self as whatif, Column, push_note};
use crate::analysis::sweep::Sweep;
use crate::money::{grouped, money_text, plain_text};
use crate::shared::Shared;

impl Analysis for Sweep {
    const KIND: &'static str = "sweep";

    fn table(&self) -> String {
        table(self)
    }

    fn sheet(&self) -> Sheet {
        sheet(self)
    }
}

/// One row per point and scenario.
fn sheet(s: &Sweep) -> Sheet {
    let mut header: Vec<_> = s.dimensions.iter().map(|d| text(&d.field)).collect();
    header.extend([
        text("scenario"),
        text(format!("total ({})", s.currency)),
        text("compliant"),
        text("cheapest at this point"),
    ]);
    let mut rows = Vec::new();
    for p in &s.points {
        for t in &p.totals {
            let mut row: Vec<_> = p.values.iter().map(|v| raw(plain_text(*v))).collect();
            row.extend([
                text(t.scenario.as_str()),
                raw(money_text(t.total)),
                raw(t.compliant),
                raw(p.cheapest.as_deref() == Some(t.scenario.as_str())),
            ]);
            rows.push(row);
        }
    }
    Sheet { header, rows }
}

fn table(s: &Sweep) -> String {
    let mut out = String::new();
    let dims: Vec<String> = s
        .dimensions
        .iter()
        .map(|d| {
            format!(
                "{} {}..{} step {} ({} value{})",
                d.field,
                plain_text(d.from),
                plain_text(d.to),
                plain_text(d.step),
                d.values.len(),
                if d.values.len() == 1 { "" } else { "s" }
            )
        })
        .collect();
    whatif::push_wrapped(
        &mut out,
        &format!(
            "{} · {} · {} year{} · sweep of {} · {} point{}",
            s.estate,
            s.currency,
            s.years,
            if s.years == 1 { "" } else { "s" },
            dims.join(" × "),
            s.points.len(),
            if s.points.len() == 1 { "" } else { "s" }
        ),
        0,
    );
    for n in &s.notes {
        push_note(&mut out, n);
    }
    out.push('\n');
    whatif::heading(&mut out, "Scenarios", "");
    for (i, name) in s.scenarios.iter().enumerate() {
        whatif::push_wrapped(&mut out, &format!("{:<4}{name}", whatif::key(i)), 4);
    }
    let key_of = |name: &Option<Shared>| {
        name.as_ref()
            .and_then(|n| s.scenarios.iter().position(|x| x == n.as_str()))
            .map_or_else(|| "—".to_owned(), whatif::key)
    };
    out.push('\n');
    match s.dimensions.as_slice() {
        [d] => {
            whatif::heading(
                &mut out,
                &format!("Total per scenario ({})", s.currency),
                "* not compliant at that point",
            );
            let rows: Vec<String> = d.values.iter().map(|v| plain_text(*v)).collect();
            let mut columns: Vec<Column> = s
                .scenarios
                .iter()
                .enumerate()
                .map(|(i, _)| Column {
                    header: whatif::key(i),
                    cells: s
                        .points
                        .iter()
                        .map(|p| {
                            p.totals.get(i).map_or_else(String::new, |t| {
                                let mark = if t.compliant { " " } else { "*" };
                                format!("{}{mark}", grouped(t.total))
                            })
                        })
                        .collect(),
                })
                .collect();
            columns.push(Column {
                header: "cheapest".to_owned(),
                cells: s.points.iter().map(|p| key_of(&p.cheapest)).collect(),
            });
            whatif::grid(&mut out, &d.field, &rows, &columns);
        }
        [rows_dim, cols_dim] => {
            whatif::heading(
                &mut out,
                &format!("Cheapest compliant scenario and its total ({})", s.currency),
                "",
            );
            whatif::push_wrapped(
                &mut out,
                &format!(
                    "rows: {}, columns: {}; every scenario's total is in --format json",
                    rows_dim.field, cols_dim.field
                ),
                0,
            );
            let nc = cols_dim.values.len();
            let rows: Vec<String> = rows_dim.values.iter().map(|v| plain_text(*v)).collect();
            let columns: Vec<Column> = cols_dim
                .values
                .iter()
                .enumerate()
                .map(|(c, v)| Column {
                    header: plain_text(*v),
                    cells: (0..rows.len())
                        .map(|r| {
                            s.points.get(r * nc + c).map_or_else(String::new, |p| {
                                match (&p.cheapest, p.cheapest_total) {
                                    (Some(_), Some(t)) => {
                                        format!("{} {}", key_of(&p.cheapest), grouped(t))
                                    }
                                    _ => "—".to_owned(),
                                }
                            })
                        })
                        .collect(),
                })
                .collect();
            let corner = format!("{} \\ {}", short(&rows_dim.field), short(&cols_dim.field));
            whatif::grid(&mut out, &corner, &rows, &columns);
        }
        _ => {}
    }
    out.push('\n');
    whatif::heading(&mut out, "Where the cheapest changes", "");
    if s.crossovers.is_empty() {
        let same = s.points.first().map(|p| &p.cheapest);
        let text = match same {
            Some(Some(name)) => {
                format!("Nowhere: {name} is the cheapest compliant scenario at every point.")
            }
            _ => "Nowhere: no scenario is compliant at any point.".to_owned(),
        };
        whatif::push_wrapped(&mut out, &text, 0);
    }
    for c in &s.crossovers {
        whatif::push_wrapped(&mut out, &c.text, 2);
    }
    out
}

/// The field part of a name (`prod.hosts` → `hosts`), for a grid's corner.
fn short(field: &str) -> &str {
    field.rsplit('.').next().unwrap_or(field)
}

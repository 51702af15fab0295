//! `sensitivity` rendered: the 100-column tornado table, JSON, and one CSV or Markdown row
//! per input, largest swing first.

use super::text::push_note;
use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::Analysis;
use super::sheet::{Sheet, raw, text, word};
use super::text as whatif;
use crate::analysis::sensitivity::{InputKind, Sensitivity, Swing};
use crate::money::{grouped, grouped_unit, money_text, plain_text};

impl Analysis for Sensitivity {
    const KIND: &'static str = "sensitivity";

    fn table(&self) -> String {
        table(self)
    }

    fn sheet(&self) -> Sheet {
        sheet(self)
    }
}

/// One row per input, largest swing first; amounts are the measured total or difference.
fn sheet(s: &Sensitivity) -> Sheet {
    let m = format!("{} ({})", s.measure, s.currency);
    let header = [
        "rank".to_owned(),
        "input".to_owned(),
        "kind".to_owned(),
        "unit".to_owned(),
        "value".to_owned(),
        "low".to_owned(),
        format!("low {m}"),
        "low compliant".to_owned(),
        "high".to_owned(),
        format!("high {m}"),
        "high compliant".to_owned(),
        format!("swing ({})", s.currency),
    ];
    let rows = s
        .inputs
        .iter()
        .map(|i| {
            vec![
                raw(i.rank),
                text(&i.input),
                raw(word(&i.kind)),
                text(i.unit.clone().unwrap_or_default()),
                raw(plain_text(i.value)),
                raw(plain_text(i.low)),
                raw(money_text(i.low_total)),
                raw(i.low_compliant),
                raw(plain_text(i.high)),
                raw(money_text(i.high_total)),
                raw(i.high_compliant),
                raw(money_text(i.swing)),
            ]
        })
        .collect();
    Sheet {
        header: header.into_iter().map(text).collect(),
        rows,
    }
}

fn value_text(s: &Swing, v: Decimal) -> String {
    match (s.kind, s.unit.as_deref()) {
        (InputKind::Count, _) => grouped(v).trim_end_matches(".00").to_owned(),
        (InputKind::Support, Some("%")) => format!("{} %", plain_text(v)),
        (InputKind::Price | InputKind::Support, _) => grouped_unit(v),
        _ => plain_text(v),
    }
}

fn table(s: &Sensitivity) -> String {
    let mut out = String::new();
    let what = match &s.vs {
        Some(v) => format!("{} − {}", s.scenario, v),
        None => s.scenario.clone(),
    };
    whatif::push_wrapped(
        &mut out,
        &format!(
            "{} · {} · {} year{} · each input ±{} %",
            s.estate,
            s.currency,
            s.years,
            if s.years == 1 { "" } else { "s" },
            plain_text(s.percent)
        ),
        0,
    );
    for n in &s.notes {
        push_note(&mut out, n);
    }
    out.push('\n');
    let label = if s.vs.is_some() {
        "difference"
    } else {
        "total"
    };
    whatif::heading(
        &mut out,
        &format!("Sensitivity of {what}"),
        &format!("{label} {} {}", grouped(s.base), s.currency),
    );
    let cells: Vec<[String; 6]> = s
        .inputs
        .iter()
        .map(|i| {
            let mark = |ok: bool| if ok { "" } else { "*" };
            [
                i.rank.to_string(),
                value_text(i, i.low),
                format!("{}{}", grouped(i.low_total), mark(i.low_compliant)),
                value_text(i, i.high),
                format!("{}{}", grouped(i.high_total), mark(i.high_compliant)),
                grouped(i.swing),
            ]
        })
        .collect();
    let headers = ["#", "low", label, "high", label, "swing"];
    let mut widths = headers.map(str::len);
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    // #  input  low → total  high → total  swing
    let fixed = widths[0]
        + 2
        + (widths[1] + 3 + widths[2])
        + 2
        + (widths[3] + 3 + widths[4])
        + 2
        + widths[5]
        + 2;
    let name_width = s
        .inputs
        .iter()
        .map(|i| i.input.chars().count())
        .chain(["input".len()])
        .max()
        .unwrap_or(5)
        .min(whatif::WIDTH.saturating_sub(fixed).max(10));
    let row = |n: &str, c: &[String; 6], arrow: &str| {
        format!(
            "{:>w0$}  {:<nw$}  {:>w1$} {arrow} {:>w2$}  {:>w3$} {arrow} {:>w4$}  {:>w5$}",
            c[0],
            n,
            c[1],
            c[2],
            c[3],
            c[4],
            c[5],
            w0 = widths[0],
            nw = name_width,
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
            w4 = widths[4],
            w5 = widths[5],
        )
    };
    let header = headers.map(str::to_owned);
    let _ = writeln!(out, "{}", row("input", &header, " ").trim_end());
    for (i, c) in s.inputs.iter().zip(&cells) {
        let name = match &i.unit {
            Some(u) if u != "%" => format!("{} ({u})", i.input),
            _ => i.input.clone(),
        };
        if name.chars().count() > name_width {
            let _ = writeln!(out, "{:>w$}  {name}", c[0], w = widths[0]);
            let mut blank = c.clone();
            blank[0] = String::new();
            let _ = writeln!(out, "{}", row("", &blank, "→").trim_end());
        } else {
            let _ = writeln!(out, "{}", row(&name, c, "→").trim_end());
        }
    }
    if s.inputs
        .iter()
        .any(|i| !i.low_compliant || !i.high_compliant)
    {
        let _ = writeln!(out, "* not compliant at that value");
    }
    out
}

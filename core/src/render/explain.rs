//! `explain` rendered: the 100-column derivation of every line (quantity, unit price,
//! conversion, each step with the running amount, the rounding, then the sums), JSON, and one
//! CSV or Markdown row per line with its parts.

use std::fmt::Write as _;

use super::Analysis;
use super::sheet::{Sheet, raw, text};
use super::text::{heading, push_note, push_wrapped};
use crate::analysis::explain::{Explanation, LineDerivation};
use crate::money::{grouped_unit, money_text, plain_text, unit_text};
use crate::quote::{ALL_CLUSTERS, StepKind};

impl Analysis for Explanation {
    const KIND: &'static str = "explain";

    fn table(&self) -> String {
        table(self)
    }

    fn sheet(&self) -> Sheet {
        sheet(self)
    }
}

/// One row per line shown: its quantity, price, conversion, steps and amount.
fn sheet(e: &Explanation) -> Sheet {
    let cur = &e.currency;
    let header = [
        "scenario".to_owned(),
        "line".to_owned(),
        "cluster".to_owned(),
        "year".to_owned(),
        "kind".to_owned(),
        "item".to_owned(),
        "name".to_owned(),
        "quantity".to_owned(),
        "quantity rule".to_owned(),
        format!("unit price ({cur})"),
        "price source".to_owned(),
        "confidence".to_owned(),
        "fx currency".to_owned(),
        "fx unit price (source currency)".to_owned(),
        "fx rate".to_owned(),
        format!("list ({cur})"),
        "steps (percent off)".to_owned(),
        format!("exact ({cur})"),
        format!("amount ({cur})"),
    ];
    let mut rows = Vec::new();
    for s in &e.scenarios {
        for l in &s.lines {
            let steps: Vec<String> = l
                .steps
                .iter()
                .map(|st| {
                    format!(
                        "{} {}: {} %",
                        step_word(st.kind),
                        st.label,
                        plain_text(st.percent)
                    )
                })
                .collect();
            let fx = l.fx.as_ref();
            rows.push(vec![
                text(&s.name),
                raw(l.line),
                text(&l.cluster),
                raw(l.year),
                raw(l.kind.word()),
                text(&l.item),
                text(&l.name),
                raw(plain_text(l.quantity)),
                text(&l.quantity_rule),
                raw(unit_text(l.unit_price)),
                text(&l.price_source),
                raw(l.confidence.mark()),
                text(fx.map(|f| f.currency.clone()).unwrap_or_default()),
                raw(fx.map(|f| unit_text(f.unit_price)).unwrap_or_default()),
                raw(fx.map(|f| plain_text(f.rate)).unwrap_or_default()),
                raw(l.list),
                text(steps.join("; ")),
                raw(l.exact),
                raw(money_text(l.amount)),
            ]);
        }
    }
    Sheet {
        header: header.into_iter().map(text).collect(),
        rows,
    }
}

const LABEL: usize = 16;

fn table(e: &Explanation) -> String {
    let mut out = String::new();
    push_wrapped(
        &mut out,
        &format!(
            "How each number is made · {} · {} · {} year{} · {}",
            e.estate,
            e.currency,
            e.years,
            if e.years == 1 { "" } else { "s" },
            e.engine
        ),
        0,
    );
    for m in &e.method {
        push_wrapped(&mut out, &format!("  • {m}"), 4);
    }
    for n in &e.notes {
        push_note(&mut out, n);
    }
    for s in &e.scenarios {
        out.push('\n');
        let status = if s.compliant {
            "compliant"
        } else {
            "NOT COMPLIANT"
        };
        heading(
            &mut out,
            &s.name,
            &format!("bought {} · {status}", s.purchase_date),
        );
        if let Some(scope) = &s.scope {
            push_wrapped(&mut out, &format!("({scope})"), 1);
        }
        for l in &s.lines {
            line(&mut out, l);
        }
        let _ = writeln!(out, "Sums");
        for y in &s.years {
            labelled(&mut out, &format!("year {}", y.year), &y.arithmetic);
        }
        labelled(
            &mut out,
            "total",
            &format!("{} {}", s.total.arithmetic, e.currency),
        );
    }
    out.push('\n');
    if e.disagreements.is_empty() {
        push_wrapped(
            &mut out,
            "✓ every amount above was recomputed from its steps and equals the quote's, to the cent",
            2,
        );
    } else {
        let _ = writeln!(out, "✗ recomputed amounts that differ from the quote:");
        for d in &e.disagreements {
            push_wrapped(&mut out, &format!("  • {d}"), 4);
        }
    }
    out
}

fn line(out: &mut String, l: &LineDerivation) {
    let cluster = if l.cluster == ALL_CLUSTERS {
        "all clusters".to_owned()
    } else {
        format!("cluster {}", l.cluster)
    };
    push_wrapped(
        out,
        &format!(
            "[{}] year {} · {} · {cluster} · {} ({})",
            l.line,
            l.year,
            l.kind.word(),
            l.name,
            l.item
        ),
        4,
    );
    labelled(
        out,
        "quantity",
        &format!("{}: {}", plain_text(l.quantity), l.quantity_rule),
    );
    let note = l
        .price_note
        .as_deref()
        .map_or(String::new(), |n| format!(" — {n}"));
    labelled(
        out,
        "unit price",
        &format!(
            "{} [{}] {}{note}",
            grouped_unit(l.unit_price),
            l.confidence.mark(),
            l.price_source
        ),
    );
    if let Some(fx) = &l.fx {
        labelled(out, "conversion", &fx.arithmetic);
    }
    labelled(out, "list", &l.list_arithmetic);
    for s in &l.steps {
        labelled(
            out,
            &format!("step {}", s.step),
            &format!("{}: {} · {}", step_word(s.kind), s.label, s.source),
        );
        labelled(out, "", &s.arithmetic);
    }
    labelled(out, "amount", &l.rounding);
}

fn step_word(kind: StepKind) -> &'static str {
    kind.word()
}

fn labelled(out: &mut String, label: &str, text: &str) {
    push_wrapped(
        out,
        &format!("    {label:<width$}{text}", width = LABEL - 4),
        LABEL,
    );
}

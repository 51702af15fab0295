//! Markdown: the quote as tables for a ticket or a wiki, from the same result as every format.

use std::fmt::Write as _;

use super::sheet::markdown_text as cell;
use crate::money::{grouped, grouped_unit, plain_text};
use crate::quote::{ALL_CLUSTERS, Quote};

/// An id as code; one holding a character a code span cannot show safely (a backtick, a pipe
/// that would end the cell, a line break) as escaped text instead. HTML in a code span is
/// shown, never run.
fn code(text: &str) -> String {
    if text.contains(['`', '|', '\n', '\r']) {
        cell(text)
    } else {
        format!("`{text}`")
    }
}

/// Renders the report.
pub(super) fn render(q: &Quote) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", cell(&q.estate));
    let _ = writeln!(
        out,
        "{} · purchase {} · {} years · {}\n",
        q.currency, q.purchase_date, q.years, q.engine
    );
    for n in &q.notes {
        let _ = writeln!(out, "> {}\n", cell(n));
    }
    let _ = writeln!(out, "## Scenarios ranked\n");
    let _ = writeln!(
        out,
        "| rank | scenario | compliant | total ({}) | NPV |",
        q.currency
    );
    let _ = writeln!(out, "|---:|---|---|---:|---:|");
    for r in &q.ranking {
        let npv = q
            .scenarios
            .iter()
            .find(|s| s.name == r.scenario)
            .map_or(String::new(), |s| grouped(s.npv));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {npv} |",
            r.rank,
            cell(&r.scenario),
            if r.compliant { "yes" } else { "**no**" },
            grouped(r.total)
        );
    }
    for s in &q.scenarios {
        let status = if s.compliant {
            "compliant"
        } else {
            "**not compliant**"
        };
        // One paragraph: the cost per VM-year, when there is one, ends the same line.
        let _ = writeln!(
            out,
            "\n## {}\n\n{status} · bought {} · total {} {} · NPV {}{}",
            cell(&s.name),
            s.purchase_date,
            grouped(s.total),
            q.currency,
            grouped(s.npv),
            s.cost_per_vm_year
                .map_or(String::new(), |v| format!(" · {} per VM-year", grouped(v)))
        );
        let _ = writeln!(
            out,
            "\n| year | total | cumulative | present value |\n|---:|---:|---:|---:|"
        );
        for y in &s.years {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                y.year,
                grouped(y.total),
                grouped(y.cumulative),
                grouped(y.present_value)
            );
        }
        let _ = writeln!(
            out,
            "\n| yr | cluster | kind | item | qty | unit price | adjustments | amount | rule | source |\n|---:|---|---|---|---:|---:|---|---:|---|---|"
        );
        for l in &s.lines {
            let cluster = if l.cluster == ALL_CLUSTERS {
                "all clusters"
            } else {
                l.cluster.as_str()
            };
            let steps: Vec<String> = l
                .discounts
                .iter()
                .map(|d| format!("{} % {}", plain_text(-d.percent), d.label))
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} [{}] |",
                l.year,
                cell(cluster),
                l.kind.word(),
                cell(&l.name),
                plain_text(l.quantity),
                grouped_unit(l.unit_price),
                cell(&steps.join("; ")),
                grouped(l.amount),
                cell(&l.rule.0),
                cell(&l.source.source),
                l.source.confidence.mark()
            );
        }
        if !s.problems.is_empty() {
            let _ = writeln!(out, "\n**Not compliant:**\n");
            for p in &s.problems {
                let at = p
                    .cluster
                    .as_deref()
                    .map_or(String::new(), |c| format!("{}: ", cell(c)));
                let _ = writeln!(out, "- {at}{}", cell(&p.message));
            }
        }
        if s.doubtful_lines > 0 {
            let which: Vec<String> = s
                .doubtful
                .iter()
                .map(|d| format!("{} [{}]", cell(&d.item), d.confidence.mark()))
                .collect();
            let _ = writeln!(
                out,
                "\n⚠ {} of {} lines rest on UNVERIFIED or conflicting prices or rules: {}",
                s.doubtful_lines,
                s.lines.len(),
                which.join(", ")
            );
        }
        if !s.notes.is_empty() {
            let _ = writeln!(out, "\n**Notes:**\n");
            for n in &s.notes {
                let _ = writeln!(out, "- {}", cell(n));
            }
        }
    }
    let _ = writeln!(
        out,
        "\n## Assumptions\n\n| input | value | from | meaning |\n|---|---:|---|---|"
    );
    for a in &q.assumptions {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            code(&a.name),
            cell(&a.value),
            a.origin,
            cell(&a.note)
        );
    }
    let _ = writeln!(
        out,
        "\n## Pricebooks\n\n| id | name | origin | hash |\n|---|---|---|---|"
    );
    for p in &q.pricebooks {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            code(&p.id),
            cell(&p.name),
            cell(&p.origin),
            code(&p.hash)
        );
    }
    out
}

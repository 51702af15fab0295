//! `reshape` rendered: per cluster, the baseline and the cheapest shapes per edition with the
//! sizing sentence and how the edition counts them; JSON (every option); one CSV or Markdown
//! row per option, baselines first; an HTML page with a crossover chart per cluster; and a
//! workbook of the same rows and the crossover figures.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::sheet::{Sheet, raw, text};
use super::text::{heading, push_note, push_wrapped};
use super::{Format, RenderError, Report};
use crate::analysis::reshape::{Reshape, ShapeOption};
use crate::money::{grouped, money_text};

impl Report for Reshape {
    fn kind(&self) -> &'static str {
        "reshape"
    }

    fn formats(&self) -> &'static [Format] {
        Format::ALL
    }

    fn render(&self, format: Format) -> Result<Vec<u8>, RenderError> {
        match format {
            Format::Table => Ok(table(self).into_bytes()),
            Format::Json => Ok(super::json::pretty(self)),
            Format::Csv => Ok(sheet(self).to_csv()),
            Format::Markdown => Ok(sheet(self).to_markdown()),
            Format::Html => Ok(super::html::reshape(self)),
            #[cfg(feature = "xlsx")]
            Format::Xlsx => Ok(super::xlsx::reshape(self)?),
        }
    }
}

fn table(r: &Reshape) -> String {
    let mut out = String::new();
    push_wrapped(
        &mut out,
        &format!(
            "Host shapes · {} · {} · catalogue {} · {}",
            r.estate, r.currency, r.catalogue, r.engine
        ),
        0,
    );
    push_wrapped(&mut out, &format!("sizing: {}", sizing_text(r)), 2);
    for n in &r.notes {
        push_note(&mut out, n);
    }
    for c in &r.clusters {
        out.push('\n');
        heading(
            &mut out,
            &format!("cluster {}", c.cluster),
            &format!(
                "{} VMs, {} vCPUs, {} GB per VM",
                c.vms,
                c.vcpus,
                crate::money::plain_text(c.vm_ram_gb)
            ),
        );
        let _ = writeln!(
            out,
            "{:<34} {:<8} {:<6} {:>5} {:>11} {:>7} {:>15}",
            "edition", "server", "cpu", "hosts", "shape", "RAM GB", "total"
        );
        for o in c.baseline.iter().chain(&c.options) {
            row(&mut out, o);
        }
    }
    out
}

/// The sizing values used, each with where it came from: `vcpu_per_core 4 (default), …`.
pub(crate) fn sizing_text(r: &Reshape) -> String {
    let sizing: Vec<String> = r
        .sizing
        .iter()
        .map(|s| {
            format!(
                "{} {} ({})",
                s.key,
                crate::money::plain_text(s.value),
                s.origin
            )
        })
        .collect();
    sizing.join(", ")
}

/// The columns of the flat table, one row per option: CSV, Markdown and the workbook's
/// *Reshape* sheet all write [`rows`] under these headers.
pub(crate) const COLUMNS: [&str; 15] = [
    "cluster",
    "kind",
    "edition",
    "server",
    "cpu",
    "hosts",
    "sockets per host",
    "cores per socket",
    "RAM GB per host",
    "hardware per host",
    "software",
    "hardware",
    "total",
    "npv",
    "why",
];

/// A cell of the flat table, typed so each format writes it its own way (CSV as text, the
/// workbook as a number in the currency's format).
pub(crate) enum Field {
    /// Text from the estate or the catalogue (neutralised in CSV).
    Text(String),
    /// A fixed word (`baseline`, `option`).
    Word(&'static str),
    /// A count; none is an empty cell.
    Count(Option<u32>),
    /// An amount in the result's currency; none is an empty cell.
    Money(Option<Decimal>),
}

/// One row per option, baselines first in each cluster, under [`COLUMNS`].
pub(crate) fn rows(r: &Reshape) -> Vec<[Field; 15]> {
    let mut rows = Vec::new();
    for c in &r.clusters {
        for (kind, list) in [("baseline", &c.baseline), ("option", &c.options)] {
            for o in list {
                rows.push([
                    Field::Text(c.cluster.clone()),
                    Field::Word(kind),
                    Field::Text(o.edition.clone()),
                    Field::Text(o.server.clone()),
                    Field::Text(o.cpu.clone()),
                    Field::Count(Some(o.hosts)),
                    Field::Count(Some(o.sockets_per_host)),
                    Field::Count(Some(o.cores_per_socket)),
                    Field::Count(o.ram_gb_per_host),
                    Field::Money(o.hardware_per_host),
                    Field::Money(Some(o.software)),
                    Field::Money(Some(o.hardware)),
                    Field::Money(Some(o.total)),
                    Field::Money(Some(o.npv)),
                    Field::Text(o.why.clone()),
                ]);
            }
        }
    }
    rows
}

/// The rows as CSV and Markdown write them.
fn sheet(r: &Reshape) -> Sheet {
    let rows = rows(r)
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|f| match f {
                    Field::Text(t) => text(t),
                    Field::Word(w) => raw(w),
                    Field::Count(n) => raw(n.map(|n| n.to_string()).unwrap_or_default()),
                    Field::Money(m) => raw(m.map(money_text).unwrap_or_default()),
                })
                .collect()
        })
        .collect();
    Sheet {
        header: COLUMNS.into_iter().map(text).collect(),
        rows,
    }
}

fn row(out: &mut String, o: &ShapeOption) {
    let _ = writeln!(
        out,
        "{:<34} {:<8} {:<6} {:>5} {:>11} {:>7} {:>15}",
        o.edition,
        o.server,
        o.cpu,
        o.hosts,
        format!("{} × {}c", o.sockets_per_host, o.cores_per_socket),
        o.ram_gb_per_host.map(|r| r.to_string()).unwrap_or_default(),
        grouped(o.total)
    );
    push_wrapped(out, &format!("    {}", o.why), 6);
}

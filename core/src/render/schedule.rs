//! `schedule` rendered: the chosen windows as a table and a month-by-month Gantt (text, and
//! SVG in the HTML page), JSON, and one CSV or Markdown row per move.

use super::text::push_note;
use std::fmt::Write as _;

use super::sheet::{Sheet, raw, text};
use super::text as layout;
use super::{Format, RenderError, Report};
use crate::analysis::schedule::{Schedule, Slot};
use crate::date::Date;
use crate::money::grouped;

impl Report for Schedule {
    fn kind(&self) -> &'static str {
        "schedule"
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
            Format::Html => Ok(super::html::schedule(self)),
            #[cfg(feature = "xlsx")]
            Format::Xlsx => Ok(workbook(self)?),
        }
    }
}

/// One row per move.
fn sheet(s: &Schedule) -> Sheet {
    let header = [
        "scenario",
        "objective",
        "cluster",
        "start",
        "end",
        "migration_months",
        "vms",
        "written_start",
        "contract_ends",
    ];
    let rows = s
        .schedule
        .iter()
        .map(|slot| {
            let ends: Vec<String> = slot.contract_ends.iter().map(Date::to_string).collect();
            vec![
                text(&s.scenario),
                raw(s.objective.word()),
                text(&slot.cluster),
                raw(slot.start),
                raw(slot.end),
                raw(slot.months),
                raw(slot.vms),
                raw(slot
                    .written_start
                    .map(|d| d.to_string())
                    .unwrap_or_default()),
                raw(ends.join(";")),
            ]
        })
        .collect();
    Sheet {
        header: header.into_iter().map(text).collect(),
        rows,
    }
}

/// The months the Gantt spans: from the first start's month to the last end's, widened to
/// show the contract ends.
pub(crate) fn span(s: &Schedule) -> Option<(Date, u32)> {
    let dates = s.schedule.iter().flat_map(|slot| {
        std::iter::once(slot.start)
            .chain(std::iter::once(slot.end))
            .chain(slot.contract_ends.iter().copied())
    });
    let first = dates.clone().min()?;
    let last = dates.max()?;
    let first = Date::new(first.year, first.month, 1).ok()?;
    Some((first, first.months_until(last) + 1))
}

/// Month `k` of the span holds `d`.
pub(crate) fn month_of(first: Date, d: Date) -> u32 {
    first.months_until(d)
}

fn gantt(out: &mut String, s: &Schedule) {
    let Some((first, months)) = span(s) else {
        return;
    };
    let width = s
        .schedule
        .iter()
        .map(|x| x.cluster.chars().count())
        .max()
        .unwrap_or(0)
        .min(24);
    let _ = writeln!(
        out,
        "{:width$}  one column a month from {first}; █ moving, │ contract ends",
        ""
    );
    for slot in &s.schedule {
        let mut row = String::new();
        for k in 0..months {
            let ends_here = slot.contract_ends.iter().any(|e| month_of(first, *e) == k);
            let moving = (month_of(first, slot.start)..=month_of(first, slot.end)).contains(&k);
            row.push(match (moving, ends_here) {
                (_, true) => '│',
                (true, false) => '█',
                (false, false) => '·',
            });
        }
        let _ = writeln!(
            out,
            "{:width$}  {row}",
            layout::truncate(&slot.cluster, width)
        );
    }
}

fn slot_line(slot: &Slot) -> String {
    let ends: Vec<String> = slot.contract_ends.iter().map(Date::to_string).collect();
    let was = slot
        .written_start
        .map_or("purchase date".to_owned(), |d| d.to_string());
    format!(
        "{}: {} → {} ({} month(s), {} VMs; written: {was}{})",
        slot.cluster,
        slot.start,
        slot.end,
        slot.months.max(1),
        slot.vms,
        if ends.is_empty() {
            String::new()
        } else {
            format!("; leaves a contract ending {}", ends.join(", "))
        }
    )
}

fn table(s: &Schedule) -> String {
    let mut out = String::new();
    layout::push_wrapped(
        &mut out,
        &format!(
            "{} · {} · scenario {} · minimising the {} · every move done by {}{}",
            s.estate,
            s.currency,
            s.scenario,
            s.objective.word(),
            s.deadline,
            s.max_vms_per_month.map_or(String::new(), |n| format!(
                " · at most {n} VMs in motion a month"
            ))
        ),
        0,
    );
    out.push('\n');
    layout::heading(
        &mut out,
        "Cheapest schedule",
        &format!("total {} {}", grouped(s.total), s.currency),
    );
    for slot in &s.schedule {
        layout::push_wrapped(&mut out, &format!("  {}", slot_line(slot)), 4);
    }
    out.push('\n');
    gantt(&mut out, s);
    out.push('\n');
    layout::push_wrapped(
        &mut out,
        &format!(
            "total {} · NPV {} · saving {} on the {}",
            grouped(s.total),
            grouped(s.npv),
            grouped(s.saving),
            s.objective.word()
        ),
        0,
    );
    let _ = writeln!(
        out,
        "as written: total {} · NPV {}",
        grouped(s.as_written_total),
        grouped(s.as_written_npv)
    );
    let peak = s.vms_in_motion.iter().map(|m| m.vms).max().unwrap_or(0);
    let _ = writeln!(out, "VMs in motion: at most {peak} in a month");
    out.push('\n');
    layout::push_wrapped(&mut out, &format!("How: {}.", s.method), 0);
    for n in &s.notes {
        push_note(&mut out, n);
    }
    out
}

/// An amount as people read it (thousands grouped), for the HTML page.
pub(crate) fn money(d: rust_decimal::Decimal) -> String {
    grouped(d)
}

/// The schedule as a workbook: the moves (the CSV's rows, numbers as numbers and dates as
/// dates), the VMs in motion each month, and the totals against the scenario as written.
#[cfg(feature = "xlsx")]
fn workbook(s: &Schedule) -> Result<Vec<u8>, super::xlsx::Error> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format as Style, Workbook};

    use super::sheet::Cell;
    use crate::money::money_text;

    let mut wb = Workbook::new();
    // A fixed creation date keeps the bytes the same for the same schedule.
    let d = s.deadline;
    let created = ExcelDateTime::from_ymd(d.year, d.month, d.day)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{}: cheapest schedule", s.scenario))
            .set_subject("hypercost schedule")
            .set_author("hypercost")
            .set_creation_datetime(&created),
    );
    let bold = Style::new().set_bold();
    let day = Style::new().set_num_format("yyyy-mm-dd");
    let money = Style::new().set_num_format("#,##0.00");
    let cell_date = |t: &str| {
        Date::parse(t)
            .ok()
            .and_then(|d| ExcelDateTime::from_ymd(d.year, d.month, d.day).ok())
    };
    let moves = sheet(s);
    let ws = wb.add_worksheet();
    ws.set_name("Schedule")?;
    for (c, h) in moves.header.iter().enumerate() {
        let (Cell::Text(t) | Cell::Raw(t)) = h;
        ws.write_string_with_format(0, c as u16, t, &bold)?;
    }
    for (r, row) in moves.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Raw(t) if cell_date(t).is_some() => {
                    if let Some(d) = cell_date(t) {
                        ws.write_datetime_with_format(r, c, &d, &day)?;
                    }
                }
                Cell::Raw(t) if t.parse::<f64>().is_ok() && !t.is_empty() => {
                    ws.write_number(r, c, t.parse::<f64>().unwrap_or_default())?;
                }
                Cell::Raw(t) | Cell::Text(t) => {
                    ws.write_string(r, c, t)?;
                }
            }
        }
    }
    ws.autofit();
    let load = wb.add_worksheet();
    load.set_name("VMs in motion")?;
    load.write_string_with_format(0, 0, "month", &bold)?;
    load.write_string_with_format(0, 1, "VMs", &bold)?;
    for (r, m) in s.vms_in_motion.iter().enumerate() {
        let r = r as u32 + 1;
        load.write_datetime_with_format(
            r,
            0,
            &ExcelDateTime::from_ymd(m.month.year, m.month.month, m.month.day)?,
            &day,
        )?;
        load.write_number(r, 1, m.vms as f64)?;
    }
    let totals = wb.add_worksheet();
    totals.set_name("Totals")?;
    let rows: [(&str, rust_decimal::Decimal); 5] = [
        ("total with this schedule", s.total),
        ("NPV with this schedule", s.npv),
        ("total as written", s.as_written_total),
        ("NPV as written", s.as_written_npv),
        ("saving on the objective", s.saving),
    ];
    totals.write_string_with_format(0, 0, format!("{} ({})", s.scenario, s.currency), &bold)?;
    for (r, (label, v)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        totals.write_string(r, 0, *label)?;
        // Money as text first, exact; the number beside it is for sums.
        totals.write_string(r, 1, money_text(*v))?;
        totals.write_number_with_format(
            r,
            2,
            rust_decimal::prelude::ToPrimitive::to_f64(v).unwrap_or_default(),
            &money,
        )?;
    }
    Ok(wb.save_to_buffer()?)
}

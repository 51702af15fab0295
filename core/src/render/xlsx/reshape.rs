//! `reshape`'s workbook: *Reshape*, one row per option as the CSV has it (baselines first,
//! counts and money as numbers, money in the currency's format), and *Crossover*, each
//! edition's cheapest total at each CPU core count of the catalogue, the chart's figures.
//!
//! No formula: every figure is the engine's price of a whole quote, not arithmetic over cells.

use rust_decimal::Decimal;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

use super::Error;
use super::sheet::Sheet;
use super::styles::Styles;
use crate::analysis::reshape::Reshape;
use crate::money::grouped;
use crate::render::reshape::{COLUMNS, Field, rows};

/// The sheet of options.
const RESHAPE: &str = "Reshape";
/// The sheet of the crossover figures.
const CROSSOVER: &str = "Crossover";

/// The widest the *why* column grows before its text wraps.
const WHY_WIDTH: usize = 80;

/// The workbook of a `reshape`, as the bytes of an `.xlsx` file.
pub(super) fn workbook(r: &Reshape) -> Result<Vec<u8>, Error> {
    let styles = Styles::new(&r.currency);
    let mut wb = Workbook::new();
    // A reshape carries no date of its own: a fixed creation date keeps the bytes the same for
    // the same result.
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{}: host shapes", r.estate))
            .set_subject("hypercost reshape")
            .set_author("hypercost")
            .set_comment(r.engine.clone())
            .set_creation_datetime(&created),
    );
    wb.push_worksheet(options(r, &styles)?);
    wb.push_worksheet(crossover(r, &styles)?);
    Ok(wb.save_to_buffer()?)
}

fn options(r: &Reshape, styles: &Styles) -> Result<rust_xlsxwriter::Worksheet, Error> {
    let mut sheet = Sheet::new(RESHAPE)?;
    let rows = rows(r);
    let numeric: Vec<u16> = rows.first().map_or(Vec::new(), |row| {
        (0u16..)
            .zip(row)
            .filter(|(_, f)| matches!(f, Field::Count(_) | Field::Money(_)))
            .map(|(c, _)| c)
            .collect()
    });
    sheet.header(0, &COLUMNS, &numeric, styles)?;
    for (r_at, row) in (1u32..).zip(&rows) {
        for (c, field) in (0u16..).zip(row) {
            match field {
                Field::Text(t) => {
                    if t.chars().count() > WHY_WIDTH {
                        sheet.cap(c, WHY_WIDTH);
                    }
                    sheet.wrap(r_at, c, t, &styles.wrap)?;
                }
                Field::Word(w) => sheet.text(r_at, c, w, &styles.text)?,
                Field::Count(Some(n)) => {
                    sheet.number(r_at, c, Decimal::from(*n), &n.to_string(), &styles.int)?;
                }
                Field::Money(Some(m)) => money(&mut sheet, r_at, c, *m, styles)?,
                Field::Count(None) | Field::Money(None) => {}
            }
        }
    }
    let last = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    sheet.ws.set_freeze_panes(1, 0)?;
    if last > 0 {
        sheet
            .ws
            .autofilter(0, 0, last, u16::try_from(COLUMNS.len() - 1).unwrap_or(0))?;
    }
    sheet.fit()
}

fn crossover(r: &Reshape, styles: &Styles) -> Result<rust_xlsxwriter::Worksheet, Error> {
    let mut sheet = Sheet::new(CROSSOVER)?;
    // Every cluster prices the same editions; the union keeps a column per edition anyway.
    let mut editions: Vec<&str> = Vec::new();
    for e in r.clusters.iter().flat_map(|c| &c.crossover) {
        if !editions.contains(&e.edition.as_str()) {
            editions.push(&e.edition);
        }
    }
    let mut header = vec!["cluster", "cores per CPU"];
    header.extend(&editions);
    let right: Vec<u16> = (1u16..).take(header.len() - 1).collect();
    sheet.header(0, &header, &right, styles)?;
    let mut row = 1u32;
    for c in &r.clusters {
        for cores in c.core_counts() {
            sheet.text(row, 0, &c.cluster, &styles.text)?;
            sheet.number(
                row,
                1,
                Decimal::from(cores),
                &cores.to_string(),
                &styles.int,
            )?;
            for (col, edition) in (2u16..).zip(&editions) {
                let total = c
                    .crossover
                    .iter()
                    .filter(|e| e.edition == *edition)
                    .flat_map(|e| &e.points)
                    .find(|p| p.cores_per_socket == cores)
                    .map(|p| p.total);
                if let Some(t) = total {
                    money(&mut sheet, row, col, t, styles)?;
                }
            }
            row += 1;
        }
    }
    sheet.ws.set_freeze_panes(1, 2)?;
    sheet.fit()
}

pub(super) fn money(
    sheet: &mut Sheet,
    row: u32,
    col: u16,
    m: Decimal,
    styles: &Styles,
) -> Result<(), Error> {
    let shown = format!("{} {}", styles.currency, grouped(m));
    sheet.number(row, col, m, &shown, &styles.money)
}

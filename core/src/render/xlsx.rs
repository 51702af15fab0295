//! XLSX (feature `xlsx`): a workbook a procurement team can audit, change and forward.
//!
//! Four sheets over one [`Quote`], five with ranges:
//!
//! * **Summary** — each scenario's rank, total, NPV and cost per VM-year, then per scenario
//!   per year the total (`SUMIFS` over *Lines*), the cumulative total and the present value,
//!   and a chart of cumulative cost per scenario;
//! * **Lines** — one row per line item: quantity, unit price, discount factor and amount are
//!   formulas over the named inputs of *Assumptions* (`amount = ROUND(quantity × unit price ×
//!   factor, 2)`, the engine's one rounding, half away from zero as in Excel and LibreOffice);
//! * **Assumptions** — every input in a named cell (workbook defined names such as
//!   `hosts_prod`, `discount_rate`, `fx_eur`, `price_vmware_vsphere_4_0_enterprise_plus`), each
//!   with its origin or confidence and its source beside it;
//! * **Sources** — every price used with its citation and confidence, and the pricebooks with
//!   their content hashes;
//! * **Ranges** (with `--ranges`) — each scenario's P10, P50 and P90 of total, NPV and
//!   cumulative cost over the draws of uncertain prices, and how often it is the cheapest.
//!
//! Every formula is written with the engine's exact result cached, so a viewer that never
//! recalculates shows the engine's numbers. Before a formula is written it is evaluated here,
//! in exact decimals, from the cached values of the cells it reads; only when that gives the
//! engine's number is the formula written. Otherwise the cell holds the number, tinted, and the
//! row's *Why a value* column says why — as it does where a rule is not a formula of the inputs
//! at all (owned licences through upgrade paths, pool top-ups, minimum orders, growth years).
//! So a spreadsheet that recalculates agrees with the engine to the cent, and changing an input
//! (hosts, a price, the discount rate) recomputes every cell that depends on it.
//!
//! The formulas are the engine's ([`crate::quote::Expr`] on each line, over typed inputs, and
//! each discount step's typed origin): this module only names a cell for each input and prints
//! the tree, so it never reads citation text or item ids to rebuild arithmetic. By concern:
//! `formula` (cells and names), `styles`, `sheet` (a worksheet that sizes itself and writes a
//! formula only when it checks), and one file per sheet (`summary`, `lines`, `assumptions`,
//! `sources`).
//!
//! `reshape` has a workbook of its own (`reshape`): its options and crossover figures as
//! values, through the same sheet sizing and styles.
//!
//! No float is computed here: numbers reach the file through rust_xlsxwriter's `Decimal`
//! support, and cached results are the engine's decimal text. The document's creation date is
//! the quote's purchase date, so the same quote gives the same bytes.

mod assumptions;
mod formula;
mod lines;
mod ranges;
mod reshape;
mod sheet;
mod sources;
mod styles;
mod summary;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

use crate::estate::ClusterField;
use crate::quote::{Input, Quote};
use assumptions::{PriceCell, Row, StepCell};
use formula::{Cell, Names};
use lines::Plan;
use styles::Styles;

/// The sheet of totals, first in the workbook.
pub const SUMMARY: &str = "Summary";
/// The sheet of line items.
pub const LINES: &str = "Lines";
/// The sheet of named inputs.
pub const ASSUMPTIONS: &str = "Assumptions";
/// The sheet of citations.
pub const SOURCES: &str = "Sources";

/// Columns of *Lines*, in order; amounts are in the quote's currency.
pub const LINE_COLUMNS: [&str; 17] = [
    "#",
    "Scenario",
    "Cluster",
    "Year",
    "Kind",
    "Item",
    "Quantity",
    "Unit price",
    "Discounts",
    "Factor",
    "Amount",
    "Rule",
    "Why a value",
    "Source",
    "Confidence",
    "Item id",
    "Due",
];

/// The row of *Lines* headers (0-based); line items follow it.
pub const LINES_HEADER_ROW: u32 = 2;

const COL_NUM: u16 = 0;
const COL_YEAR: u16 = 3;
const COL_QTY: u16 = 6;
const COL_UNIT: u16 = 7;
const COL_DISCOUNTS: u16 = 8;
const COL_FACTOR: u16 = 9;
const COL_AMOUNT: u16 = 10;
const COL_RULE: u16 = 11;
const COL_WHY: u16 = 12;
const COL_SOURCE: u16 = 13;

/// The most UTF-16 units a cell holds (an XLSX limit).
const MAX_TEXT: usize = 32_767;

/// Why the workbook could not be written (a limit of the XLSX format).
#[derive(Debug, thiserror::Error)]
#[error("cannot write the XLSX workbook: {0}")]
pub struct Error(String);

impl From<XlsxError> for Error {
    fn from(e: XlsxError) -> Error {
        Error(e.to_string())
    }
}

/// The workbook of a quote, as the bytes of an `.xlsx` file.
pub fn workbook(quote: &Quote) -> Result<Vec<u8>, Error> {
    Builder::new(quote).build()
}

/// The workbook of a `reshape`: its options and the crossover figures (see `xlsx/reshape.rs`).
pub(crate) fn reshape(r: &crate::analysis::reshape::Reshape) -> Result<Vec<u8>, Error> {
    reshape::workbook(r)
}

/// Text cut to what a cell holds (counted in UTF-16 units, as the format counts).
fn clip(text: &str) -> &str {
    let mut units = 0;
    for (at, c) in text.char_indices() {
        units += c.len_utf16();
        if units > MAX_TEXT {
            return &text[..at];
        }
    }
    text
}

/// The workbook being built: the named inputs, and the prices and steps the lines use.
struct Builder<'q> {
    q: &'q Quote,
    styles: Styles,
    names: Names,
    /// Each cluster input a formula may read (cluster index, field) and its named cell.
    cluster_names: Vec<((usize, ClusterField), Cell)>,
    /// Each `[costs]` input and its named cell.
    cost_names: Vec<(Input, Cell)>,
    prices: Vec<PriceCell>,
    steps: Vec<StepCell>,
    rows: Vec<Row>,
}

impl<'q> Builder<'q> {
    fn new(q: &'q Quote) -> Builder<'q> {
        Builder {
            q,
            styles: Styles::new(&q.currency),
            names: Names::default(),
            cluster_names: Vec::new(),
            cost_names: Vec::new(),
            prices: Vec::new(),
            steps: Vec::new(),
            rows: Vec::new(),
        }
    }

    fn build(mut self) -> Result<Vec<u8>, Error> {
        self.inputs();
        let plans: Vec<Vec<Plan>> = self
            .q
            .scenarios
            .iter()
            .map(|s| s.lines.iter().map(|l| self.plan(l)).collect())
            .collect();
        self.price_and_step_rows();

        let mut wb = Workbook::new();
        let d = self.q.purchase_date;
        let created = ExcelDateTime::from_ymd(d.year, d.month, d.day)?;
        wb.set_properties(
            &DocProperties::new()
                .set_title(format!("{}: total cost of ownership", self.q.estate))
                .set_subject("hypercost quote")
                .set_author("hypercost")
                .set_comment(self.q.engine.clone())
                .set_creation_datetime(&created),
        );
        let lines_last = self.lines_last_row();
        let summary = self.summary(lines_last)?;
        let lines = self.lines(&plans)?;
        let assumptions = self.assumptions(&mut wb)?;
        let sources = self.sources()?;
        let ranges = self.ranges()?;
        wb.push_worksheet(summary);
        wb.push_worksheet(lines);
        wb.push_worksheet(assumptions);
        wb.push_worksheet(sources);
        if let Some(r) = ranges {
            wb.push_worksheet(r);
        }
        Ok(wb.save_to_buffer()?)
    }
}

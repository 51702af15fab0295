//! XLSX (feature `xlsx`): a workbook a procurement team can audit, change and forward.
//!
//! Four sheets over one [`Quote`]:
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
//!   their content hashes.
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
//! No float is computed here: numbers reach the file through rust_xlsxwriter's `Decimal`
//! support, and cached results are the engine's decimal text. The document's creation date is
//! the quote's purchase date, so the same quote gives the same bytes.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Chart, ChartLegendPosition, ChartType, Color, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};

use crate::estate::ClusterField;
use crate::money::{discount_factor, grouped, grouped_unit, money_text, plain_text, unit_text};
use crate::quote::{ALL_CLUSTERS, Line, LineKind, QtyInput, Quote, StepKind};

/// The sheet of totals, first in the workbook.
pub const SUMMARY: &str = "Summary";
/// The sheet of line items.
pub const LINES: &str = "Lines";
/// The sheet of named inputs.
pub const ASSUMPTIONS: &str = "Assumptions";
/// The sheet of citations.
pub const SOURCES: &str = "Sources";

/// Columns of *Lines*, in order; amounts are in the quote's currency.
pub const LINE_COLUMNS: [&str; 16] = [
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

/// [`workbook`], for [`super::render`]: a quote always fits the format, but should writing
/// fail, the bytes are a workbook that says why rather than a panic.
pub(super) fn render(quote: &Quote) -> Vec<u8> {
    workbook(quote)
        .or_else(|e| {
            let mut wb = Workbook::new();
            wb.add_worksheet()
                .write_string(0, 0, clip(&e.to_string()))?;
            wb.save_to_buffer()
        })
        .unwrap_or_default()
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

// ---------------------------------------------------------------------------------------------
// Formulas that can be evaluated exactly

/// A spreadsheet expression with the value of every cell it reads, so it can be evaluated in
/// exact decimals before it is written.
#[derive(Clone, Debug)]
enum Ex {
    Num(Decimal),
    /// A defined name or a cell reference, and the value cached there.
    Ref(String, Decimal),
    Add(Box<Ex>, Box<Ex>),
    Sub(Box<Ex>, Box<Ex>),
    Mul(Box<Ex>, Box<Ex>),
    Div(Box<Ex>, Box<Ex>),
    Pow(Box<Ex>, u32),
    Round2(Box<Ex>),
    /// A function over ranges (`SUM`, `SUMIFS`) and its value, computed by the caller.
    Call(String, Decimal),
}

fn num(d: impl Into<Decimal>) -> Ex {
    Ex::Num(d.into())
}

fn cell(reference: impl Into<String>, value: Decimal) -> Ex {
    Ex::Ref(reference.into(), value)
}

fn add(a: Ex, b: Ex) -> Ex {
    Ex::Add(Box::new(a), Box::new(b))
}

fn sub(a: Ex, b: Ex) -> Ex {
    Ex::Sub(Box::new(a), Box::new(b))
}

fn mul(a: Ex, b: Ex) -> Ex {
    Ex::Mul(Box::new(a), Box::new(b))
}

fn div(a: Ex, b: Ex) -> Ex {
    Ex::Div(Box::new(a), Box::new(b))
}

fn product(terms: Vec<Ex>) -> Option<Ex> {
    terms.into_iter().reduce(mul)
}

impl Ex {
    /// The value, computed as the engine computes it; `None` on overflow or division by zero.
    fn value(&self) -> Option<Decimal> {
        match self {
            Ex::Num(d) | Ex::Ref(_, d) | Ex::Call(_, d) => Some(*d),
            Ex::Add(a, b) => a.value()?.checked_add(b.value()?),
            Ex::Sub(a, b) => a.value()?.checked_sub(b.value()?),
            Ex::Mul(a, b) => a.value()?.checked_mul(b.value()?),
            Ex::Div(a, b) => a.value()?.checked_div(b.value()?),
            Ex::Pow(a, n) => {
                let base = a.value()?;
                (0..*n).try_fold(Decimal::ONE, |f, _| f.checked_mul(base))
            }
            Ex::Round2(a) => Some(crate::money::round_line(a.value()?)),
        }
    }

    fn precedence(&self) -> u8 {
        match self {
            Ex::Num(d) if d.is_sign_negative() => 0,
            Ex::Add(..) | Ex::Sub(..) => 1,
            Ex::Mul(..) | Ex::Div(..) => 2,
            Ex::Pow(..) => 3,
            _ => 4,
        }
    }

    fn wrapped(&self, at_least: u8) -> String {
        if self.precedence() >= at_least {
            self.text()
        } else {
            format!("({})", self.text())
        }
    }

    /// The formula text without the leading `=`.
    fn text(&self) -> String {
        match self {
            Ex::Num(d) => plain_text(*d),
            Ex::Ref(r, _) | Ex::Call(r, _) => r.clone(),
            Ex::Add(a, b) => format!("{}+{}", a.wrapped(1), b.wrapped(2)),
            Ex::Sub(a, b) => format!("{}-{}", a.wrapped(1), b.wrapped(2)),
            Ex::Mul(a, b) => format!("{}*{}", a.wrapped(2), b.wrapped(3)),
            Ex::Div(a, b) => format!("{}/{}", a.wrapped(2), b.wrapped(3)),
            Ex::Pow(a, n) => format!("{}^{n}", a.wrapped(4)),
            Ex::Round2(a) => format!("ROUND({},2)", a.text()),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Names

/// Defined names, unique in the workbook, made from ids: lower-case ASCII letters, digits and
/// underscores (`hosts_prod`, `price_vmware_vsphere_4_0_enterprise_plus`).
#[derive(Default)]
struct Names {
    used: BTreeSet<String>,
}

fn ident(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

impl Names {
    /// A new name from `base` (an identifier that starts with a letter).
    fn fresh(&mut self, base: &str) -> String {
        let mut name = base.to_owned();
        let mut n = 2;
        while self.used.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.used.insert(name.clone());
        name
    }
}

// ---------------------------------------------------------------------------------------------
// Styles

struct Styles {
    title: Format,
    subtitle: Format,
    section: Format,
    header: Format,
    header_right: Format,
    text: Format,
    wrap: Format,
    int: Format,
    int_c: Format,
    factor: Format,
    general: Format,
    money: Format,
    unit: Format,
    percent: Format,
    currency: String,
}

const INPUT_FILL: u32 = 0xFFF2CC;
const VALUE_FILL: u32 = 0xFCE4D6;
const HEADER_FILL: u32 = 0xDDEBF7;

fn money_format(currency: &str) -> String {
    format!("\"{currency} \"#,##0.00")
}

fn unit_format(currency: &str) -> String {
    format!("\"{currency} \"#,##0.00######")
}

impl Styles {
    fn new(currency: &str) -> Styles {
        // Every data cell: top-aligned, a hairline under it so wrapped rows read as rows.
        let top = Format::new()
            .set_align(FormatAlign::Top)
            .set_border_bottom(FormatBorder::Hair)
            .set_border_bottom_color(Color::RGB(0xBFBFBF));
        // Text keeps a little space from a number to its left.
        let text = top.clone().set_indent(1);
        let header = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_background_color(Color::RGB(HEADER_FILL))
            .set_border_bottom(FormatBorder::Thin);
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            subtitle: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x595959)),
            section: Format::new().set_bold().set_font_size(12),
            header_right: header.clone().set_align(FormatAlign::Right),
            header: header.set_indent(1),
            wrap: text.clone().set_text_wrap(),
            text,
            int: top.clone().set_num_format("#,##0"),
            int_c: top
                .clone()
                .set_num_format("0")
                .set_align(FormatAlign::Center),
            factor: top.clone().set_num_format("0.00####"),
            general: top.clone().set_num_format("General"),
            money: top.clone().set_num_format(money_format(currency)),
            unit: top.clone().set_num_format(unit_format(currency)),
            percent: top.set_num_format("0.00%"),
            currency: currency.to_owned(),
        }
    }

    fn input(format: &Format) -> Format {
        format.clone().set_background_color(Color::RGB(INPUT_FILL))
    }

    fn value(format: &Format) -> Format {
        format.clone().set_background_color(Color::RGB(VALUE_FILL))
    }

    fn unit_in(&self, currency: &str) -> Format {
        if currency == self.currency {
            self.unit.clone()
        } else {
            self.unit.clone().set_num_format(unit_format(currency))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A worksheet that remembers how wide its columns need to be

struct Sheet {
    ws: Worksheet,
    widths: BTreeMap<u16, usize>,
    caps: BTreeMap<u16, usize>,
    /// Wrapped text cells, for the row heights.
    wrapped: Vec<(u32, u16, usize)>,
}

/// The height of one line of text in points (Calibri 11, the default font).
const LINE_HEIGHT: u16 = 15;

impl Sheet {
    fn new(name: &str) -> Result<Sheet, Error> {
        let mut ws = Worksheet::new();
        ws.set_name(name)?;
        ws.set_paper_size(9); // A4
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        ws.set_footer("&L&A&RPage &P of &N");
        Ok(Sheet {
            ws,
            widths: BTreeMap::new(),
            caps: BTreeMap::new(),
            wrapped: Vec::new(),
        })
    }

    fn seen(&mut self, col: u16, shown: &str) {
        let longest = shown.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        let w = self.widths.entry(col).or_insert(0);
        *w = (*w).max(longest);
    }

    /// Text that does not set a column's width (titles, notes across the sheet).
    fn banner(&mut self, row: u32, text: &str, format: &Format) -> Result<(), Error> {
        self.ws
            .write_string_with_format(row, 0, clip(text), format)?;
        Ok(())
    }

    fn text(&mut self, row: u32, col: u16, text: &str, format: &Format) -> Result<(), Error> {
        let text = clip(text);
        self.seen(col, text);
        self.ws.write_string_with_format(row, col, text, format)?;
        Ok(())
    }

    /// Text that wraps within its column's capped width; its row grows to show it all.
    fn wrap(&mut self, row: u32, col: u16, text: &str, format: &Format) -> Result<(), Error> {
        self.text(row, col, text, format)?;
        let longest = clip(text).chars().count();
        if longest > 0 {
            self.wrapped.push((row, col, longest));
        }
        Ok(())
    }

    /// A header row: text left, numbers' headings right (`right` lists those columns).
    fn header(
        &mut self,
        row: u32,
        headers: &[&str],
        right: &[u16],
        styles: &Styles,
    ) -> Result<(), Error> {
        for (col, h) in (0u16..).zip(headers) {
            let format = if right.contains(&col) {
                &styles.header_right
            } else {
                &styles.header
            };
            // A heading wraps at its words: only its longest word sets the column's width.
            let word = h.split(' ').map(|w| w.chars().count()).max().unwrap_or(0);
            self.seen(col, &"0".repeat(word));
            self.ws.write_string_with_format(row, col, *h, format)?;
            self.wrapped.push((row, col, h.chars().count()));
        }
        Ok(())
    }

    /// A number; `shown` is roughly how it displays, for the column width.
    fn number(
        &mut self,
        row: u32,
        col: u16,
        value: Decimal,
        shown: &str,
        format: &Format,
    ) -> Result<(), Error> {
        self.seen(col, shown);
        self.ws.write_with_format(row, col, value, format)?;
        Ok(())
    }

    /// A formula with its cached result (the engine's text for the number).
    fn formula(
        &mut self,
        row: u32,
        col: u16,
        ex: &Ex,
        cached: &str,
        shown: &str,
        format: &Format,
    ) -> Result<(), Error> {
        self.seen(col, shown);
        let f = Formula::new(format!("={}", ex.text())).set_result(cached);
        self.ws.write_formula_with_format(row, col, f, format)?;
        Ok(())
    }

    /// A formula when it evaluates to `value`, else the value in a tinted cell; true when the
    /// formula was written.
    #[allow(
        clippy::too_many_arguments,
        reason = "a cell: place, formula, value, looks"
    )]
    fn checked(
        &mut self,
        row: u32,
        col: u16,
        ex: Option<&Ex>,
        value: Decimal,
        cached: &str,
        shown: &str,
        format: &Format,
    ) -> Result<bool, Error> {
        match ex {
            Some(ex) if ex.value() == Some(value) => {
                self.formula(row, col, ex, cached, shown, format)?;
                Ok(true)
            }
            _ => {
                self.number(row, col, value, shown, &Styles::value(format))?;
                Ok(false)
            }
        }
    }

    fn cap(&mut self, col: u16, width: usize) {
        self.caps.insert(col, width);
    }

    /// Sets every column's width to fit what was written (capped where text wraps), and the
    /// height of every row with wrapped text to show all its lines (spreadsheets do not
    /// measure rows of a file they open).
    fn fit(mut self) -> Result<Worksheet, Error> {
        let mut widths = BTreeMap::new();
        for (col, w) in &self.widths {
            let cap = self.caps.get(col).copied().unwrap_or(60);
            let width = (w + 3).clamp(5, cap);
            self.ws.set_column_width(*col, width as u16)?;
            widths.insert(*col, width);
        }
        let mut lines: BTreeMap<u32, usize> = BTreeMap::new();
        for (row, col, chars) in &self.wrapped {
            // Words wrap at spaces and text is indented: a little under the width per line.
            let per_line = widths.get(col).map_or(8, |w| w.saturating_sub(3).max(4));
            let n = chars.div_ceil(per_line);
            let at = lines.entry(*row).or_insert(1);
            *at = (*at).max(n);
        }
        for (row, n) in lines {
            if n > 1 {
                let n = u16::try_from(n.min(40)).unwrap_or(40);
                self.ws.set_row_height(row, LINE_HEIGHT * n)?;
            }
        }
        Ok(self.ws)
    }
}

/// `A1` reference of a 0-based cell, absolute when `fixed`.
fn a1(row: u32, col: u16, fixed: bool) -> String {
    let mut letters = String::new();
    let mut c = u32::from(col) + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.insert(0, char::from(b'A' + rem as u8));
        c = (c - 1) / 26;
    }
    if fixed {
        format!("${letters}${}", row + 1)
    } else {
        format!("{letters}{}", row + 1)
    }
}

fn quantity_text(q: Decimal) -> String {
    grouped(q).trim_end_matches(".00").to_owned()
}

// ---------------------------------------------------------------------------------------------
// Assumptions

/// How an input's value is shown.
#[derive(Clone, Copy)]
enum Kind {
    Int,
    Plain,
    Percent,
    Money,
    Unit,
}

/// One row of *Assumptions*.
enum Row {
    Section(String),
    Input {
        label: String,
        name: Option<String>,
        value: Value,
        unit: String,
        origin: String,
        source: String,
        note: String,
    },
}

enum Value {
    Number(Decimal, Kind, String),
    Text(String),
}

/// A unit price used by lines: the pricebook's own price and currency.
struct PriceCell {
    item: String,
    label: String,
    price: Decimal,
    currency: String,
    confidence: String,
    source: String,
    note: String,
    defined: String,
}

/// A discount step (promotion, surcharge, or any step not tied to an estate input).
struct StepCell {
    kind: StepKind,
    label: String,
    percent: Decimal,
    source: String,
    until: String,
    defined: String,
}

/// Known `[costs]` inputs: label, unit, display.
fn cost_meta(name: &str, currency: &str) -> (String, String, Kind) {
    let field = name.strip_prefix("costs.").unwrap_or(name);
    let per = |what: &str| format!("{currency} {what}");
    let (label, unit, kind): (String, String, Kind) = match field {
        "discount_rate" => (
            "Discount rate (NPV)".into(),
            "per year".into(),
            Kind::Percent,
        ),
        "vm_growth_per_year" => ("VM growth".into(), "per year".into(), Kind::Percent),
        "vms_per_host" => ("VMs per host (density)".into(), "VMs".into(), Kind::Int),
        "escalation_per_year" => (
            "Support and subscription escalation".into(),
            "per year".into(),
            Kind::Percent,
        ),
        "hardware_per_host" => ("Hardware per host".into(), per("per host"), Kind::Money),
        "hardware_life_years" => ("Hardware life".into(), "years".into(), Kind::Int),
        "watts_per_host" => ("Power draw per host".into(), "W".into(), Kind::Plain),
        "pue" => ("PUE".into(), "ratio".into(), Kind::Plain),
        "kwh_price" => ("Electricity price".into(), per("per kWh"), Kind::Unit),
        "hours_per_year" => ("Hours per year".into(), "h".into(), Kind::Plain),
        "facilities_per_host_year" => (
            "Facilities per host".into(),
            per("per host per year"),
            Kind::Money,
        ),
        "admin_per_host_year" => (
            "Administration per host".into(),
            per("per host per year"),
            Kind::Money,
        ),
        f => match (f.strip_prefix("vendor_discount."), f.strip_prefix("fx.")) {
            (Some(v), _) => (
                format!("Negotiated discount, {v}"),
                "off list".into(),
                Kind::Percent,
            ),
            (_, Some(c)) => (
                format!("Exchange rate, {c}"),
                format!("{currency} per 1 {c}"),
                Kind::Plain,
            ),
            _ => (f.to_owned(), String::new(), Kind::Plain),
        },
    };
    (label, unit, kind)
}

fn shown(value: Decimal, kind: Kind, currency: &str) -> String {
    match kind {
        Kind::Int => quantity_text(value),
        Kind::Plain => plain_text(value),
        Kind::Percent => format!("{}%", plain_text(value * Decimal::ONE_HUNDRED)),
        Kind::Money => format!("{currency} {}", grouped(value)),
        Kind::Unit => format!("{currency} {}", grouped_unit(value)),
    }
}

// ---------------------------------------------------------------------------------------------
// The builder

/// What a *Lines* row's cells are, decided before anything is written.
struct Plan {
    quantity: Option<Ex>,
    unit: Option<Ex>,
    factor: Option<Ex>,
}

struct Builder<'q> {
    q: &'q Quote,
    styles: Styles,
    names: Names,
    /// (cluster, input) → defined name and value.
    cluster_names: BTreeMap<(String, QtyInput), (String, Decimal)>,
    /// `costs.x` → defined name and value.
    cost_names: BTreeMap<String, (String, Decimal)>,
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
            cluster_names: BTreeMap::new(),
            cost_names: BTreeMap::new(),
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
        wb.push_worksheet(summary);
        wb.push_worksheet(lines);
        wb.push_worksheet(assumptions);
        wb.push_worksheet(sources);
        Ok(wb.save_to_buffer()?)
    }

    // -- inputs ------------------------------------------------------------------------------

    fn input_row(
        &mut self,
        base: Option<&str>,
        label: &str,
        value: Value,
        meta: [&str; 4],
    ) -> Option<String> {
        let name = base.map(|b| self.names.fresh(b));
        let [unit, origin, source, note] = meta;
        self.rows.push(Row::Input {
            label: label.to_owned(),
            name: name.clone(),
            value,
            unit: unit.to_owned(),
            origin: origin.to_owned(),
            source: source.to_owned(),
            note: note.to_owned(),
        });
        name
    }

    /// The estate, each cluster and every cost input, each in a named cell.
    fn inputs(&mut self) {
        let q = self.q;
        self.rows.push(Row::Section("Estate".into()));
        let years = Decimal::from(q.years);
        self.input_row(
            Some("years"),
            "Horizon",
            Value::Number(years, Kind::Int, q.years.to_string()),
            [
                "years",
                "estate",
                "estate years",
                "one row per year on Summary: changing it adds or removes no rows",
            ],
        );
        self.input_row(
            None,
            "Purchase date",
            Value::Text(q.purchase_date.to_string()),
            [
                "",
                "estate",
                "estate purchase_date",
                "promotions, end of sale and dated rules follow it",
            ],
        );
        self.input_row(
            None,
            "Currency",
            Value::Text(q.currency.clone()),
            [
                "",
                "estate",
                "estate currency",
                "every amount on Lines and Summary",
            ],
        );
        for (i, c) in q.inputs.clusters.iter().enumerate() {
            self.rows.push(Row::Section(format!("Cluster {}", c.name)));
            let tag = match ident(&c.name) {
                t if t.is_empty() => format!("c{}", i + 1),
                t => t,
            };
            let fields: [(&str, &str, QtyInput, Option<u32>, &str); 5] = [
                (
                    "hosts",
                    "Hosts",
                    QtyInput::Hosts,
                    c.get(ClusterField::Hosts).and_then(|v| v.to_u32()),
                    "hosts",
                ),
                (
                    "sockets_per_host",
                    "CPU sockets per host",
                    QtyInput::SocketsPerHost,
                    c.get(ClusterField::SocketsPerHost).and_then(|v| v.to_u32()),
                    "sockets",
                ),
                (
                    "cores_per_socket",
                    "Cores per socket",
                    QtyInput::CoresPerSocket,
                    c.get(ClusterField::CoresPerSocket).and_then(|v| v.to_u32()),
                    "cores",
                ),
                (
                    "vms",
                    "VMs",
                    QtyInput::Vms,
                    c.get(ClusterField::Vms).and_then(|v| v.to_u32()),
                    "VMs",
                ),
                (
                    "windows_vms",
                    "Windows VMs",
                    QtyInput::WindowsVms,
                    c.get(ClusterField::WindowsVms).and_then(|v| v.to_u32()),
                    "VMs",
                ),
            ];
            for (field, label, input, value, unit) in fields {
                let Some(v) = value else { continue };
                let v = Decimal::from(v);
                let source = format!("estate cluster {}: {field}", c.name);
                let name = self.input_row(
                    Some(&format!("{field}_{tag}")),
                    label,
                    Value::Number(v, Kind::Int, quantity_text(v)),
                    [unit, "estate", &source, ""],
                );
                if let Some(name) = name {
                    self.cluster_names
                        .insert((c.name.clone(), input), (name, v));
                }
            }
            if let Some(v) = c.get(ClusterField::RamGbPerHost) {
                let source = format!("estate cluster {}: ram_gb_per_host", c.name);
                self.input_row(
                    Some(&format!("ram_gb_per_host_{tag}")),
                    "RAM per host",
                    Value::Number(v, Kind::Int, quantity_text(v)),
                    ["GB", "estate", &source, ""],
                );
            }
            if let Some(ram) = c.get(ClusterField::VmRamGb) {
                let source = format!("estate cluster {}: vm_ram_gb", c.name);
                self.input_row(
                    Some(&format!("vm_ram_gb_{tag}")),
                    "RAM per VM",
                    Value::Number(ram, Kind::Plain, plain_text(ram)),
                    [
                        "GB",
                        "estate",
                        &source,
                        "pooled memory entitlements count it (top-ups are values on Lines)",
                    ],
                );
            }
        }
        if !q.inputs.costs.is_empty() {
            self.rows.push(Row::Section("Costs and rates".into()));
        }
        for c in &q.inputs.costs {
            let (label, unit, kind) = cost_meta(&c.name, &q.currency);
            let field = c.name.strip_prefix("costs.").unwrap_or(&c.name);
            let note = q
                .assumptions
                .iter()
                .find(|a| a.name == c.name)
                .map(|a| a.note.clone())
                .unwrap_or_default();
            let source = if c.origin == "estate" {
                format!("estate [costs].{field}")
            } else {
                "hypercost default".to_owned()
            };
            let name = self.input_row(
                Some(&ident(field)),
                &label,
                Value::Number(c.value, kind, shown(c.value, kind, &q.currency)),
                [&unit, &c.origin, &source, &note],
            );
            if let Some(name) = name {
                self.cost_names.insert(c.name.clone(), (name, c.value));
            }
        }
    }

    fn cost(&self, name: &str) -> Option<Ex> {
        self.cost_names.get(name).map(|(n, v)| cell(n.clone(), *v))
    }

    /// The named unit price a line's price comes from, registered on first use.
    fn price_cell(&mut self, l: &Line) -> Ex {
        let (price, currency) = match &l.fx {
            Some(fx) => (fx.unit_price, fx.currency.clone()),
            None => (l.unit_price, self.q.currency.clone()),
        };
        if let Some(p) = self
            .prices
            .iter()
            .find(|p| p.item == l.item && p.price == price && p.currency == currency)
        {
            return cell(p.defined.clone(), p.price);
        }
        let defined = self.names.fresh(&format!("price_{}", ident(&l.item)));
        let mut note = l.source.note.clone().unwrap_or_default();
        if l.kind == LineKind::Support
            && let Some((_, on)) = l.rule.0.split_once(" of ")
        {
            let on = format!("support on {on}");
            note = if note.is_empty() {
                on
            } else {
                format!("{on}; {note}")
            };
        }
        self.prices.push(PriceCell {
            item: l.item.clone(),
            label: l.name.clone(),
            price,
            currency,
            confidence: l.source.confidence.mark().to_owned(),
            source: l.source.source.clone(),
            note,
            defined: defined.clone(),
        });
        cell(defined, price)
    }

    /// A named discount step, registered on first use.
    fn step_cell(
        &mut self,
        kind: StepKind,
        label: &str,
        percent: Decimal,
        source: &str,
        until: String,
    ) -> Ex {
        if let Some(s) = self
            .steps
            .iter()
            .find(|s| s.kind == kind && s.label == label && s.percent == percent)
        {
            return cell(s.defined.clone(), s.percent);
        }
        let base = match kind {
            StepKind::Promotion => "promotion",
            StepKind::Surcharge => "surcharge",
            StepKind::Negotiated => "negotiated",
            StepKind::Escalation => "escalation",
        };
        let defined = self
            .names
            .fresh(&format!("{base}_{}", self.steps.len() + 1));
        self.steps.push(StepCell {
            kind,
            label: label.to_owned(),
            percent,
            source: source.to_owned(),
            until,
            defined: defined.clone(),
        });
        cell(defined, percent)
    }

    /// Decides each formula of a line's row: quantity from the engine's formula, unit price
    /// from the named price (× the exchange rate) or the estate's cost inputs, factor from the
    /// discount steps.
    fn plan(&mut self, l: &Line) -> Plan {
        let quantity = l.quantity_formula.as_ref().and_then(|f| {
            let missing = std::cell::Cell::new(false);
            let text = f.to_excel(&|i| match self.input_name(&l.cluster, i) {
                Some((n, _)) => n,
                None => {
                    missing.set(true);
                    String::new()
                }
            });
            let value = f.eval(&|i| {
                self.input_name(&l.cluster, i)
                    .and_then(|(_, v)| rust_decimal::prelude::ToPrimitive::to_u64(&v))
            })?;
            (!missing.get()).then(|| Ex::Call(text, Decimal::from(value)))
        });
        let unit = self.unit_price(l);
        let factor = self.factor(l);
        Plan {
            quantity,
            unit,
            factor,
        }
    }

    fn input_name(&self, cluster: &str, i: QtyInput) -> Option<(String, Decimal)> {
        match i {
            QtyInput::VmsPerHost => self.cost_names.get("costs.vms_per_host").cloned(),
            _ => self.cluster_names.get(&(cluster.to_owned(), i)).cloned(),
        }
    }

    fn unit_price(&mut self, l: &Line) -> Option<Ex> {
        let opex = match (l.kind, l.item.as_str()) {
            (LineKind::Hardware, "costs/hardware") => self.cost("costs.hardware_per_host"),
            (LineKind::Facilities, "costs/facilities") => {
                self.cost("costs.facilities_per_host_year")
            }
            (LineKind::Admin, "costs/admin") => self.cost("costs.admin_per_host_year"),
            (LineKind::Power, "costs/power") => {
                let terms = [
                    self.cost("costs.watts_per_host"),
                    self.cost("costs.pue"),
                    self.cost("costs.kwh_price"),
                    self.cost("costs.hours_per_year"),
                ];
                let terms: Option<Vec<Ex>> = terms.into_iter().collect();
                terms
                    .and_then(product)
                    .map(|p| div(p, num(Decimal::from(1000))))
            }
            _ => None,
        };
        if let Some(ex) = opex.filter(|ex| ex.value() == Some(l.unit_price)) {
            return Some(ex);
        }
        let price = self.price_cell(l);
        let ex = match &l.fx {
            Some(fx) => {
                let rate = self
                    .cost(&format!("costs.fx.{}", fx.currency))
                    .filter(|r| r.value() == Some(fx.rate))
                    .unwrap_or_else(|| num(fx.rate));
                mul(price, rate)
            }
            None => price,
        };
        Some(ex)
    }

    /// `Π (1 − step / 100)`: the negotiated discount and escalation from the estate's named
    /// inputs, promotions and surcharges from named steps; `None` without discounts.
    fn factor(&mut self, l: &Line) -> Option<Ex> {
        let mut terms = Vec::new();
        for d in &l.discounts {
            let hundred = Decimal::ONE_HUNDRED;
            let estate = match d.kind {
                StepKind::Negotiated => d
                    .source
                    .strip_prefix("estate [costs].vendor_discount.")
                    .and_then(|v| self.cost(&format!("costs.vendor_discount.{v}")))
                    .map(|x| sub(num(1), x)),
                StepKind::Escalation if l.year > 1 => self
                    .cost("costs.escalation_per_year")
                    .map(|e| Ex::Pow(Box::new(add(num(1), e)), l.year - 1)),
                _ => None,
            };
            let expected = Decimal::ONE - d.percent / hundred;
            let term = match estate.filter(|t| t.value() == Some(expected)) {
                Some(t) => t,
                None => {
                    let until = d.valid_until.map(|u| u.to_string()).unwrap_or_default();
                    let step = self.step_cell(d.kind, &d.label, d.percent, &d.source, until);
                    sub(num(1), div(step, num(hundred)))
                }
            };
            terms.push(term);
        }
        product(terms)
    }

    /// Prices and discount steps go below the estate's inputs.
    fn price_and_step_rows(&mut self) {
        if !self.prices.is_empty() {
            self.rows.push(Row::Section(
                "Unit prices (pricebook list prices, per unit)".into(),
            ));
        }
        let prices = std::mem::take(&mut self.prices);
        for p in &prices {
            let kind = Kind::Unit;
            self.rows.push(Row::Input {
                label: p.label.clone(),
                name: Some(p.defined.clone()),
                value: Value::Number(p.price, kind, shown(p.price, kind, &p.currency)),
                unit: format!("{} per unit", p.currency),
                origin: p.confidence.clone(),
                source: p.source.clone(),
                note: if p.note.is_empty() {
                    p.item.clone()
                } else {
                    format!("{}; {}", p.item, p.note)
                },
            });
        }
        self.prices = prices;
        if !self.steps.is_empty() {
            self.rows.push(Row::Section(
                "Discount steps (percent off list; negative = uplift)".into(),
            ));
        }
        for s in &self.steps {
            let until = if s.until.is_empty() {
                String::new()
            } else {
                format!("valid until {}", s.until)
            };
            self.rows.push(Row::Input {
                label: s.label.clone(),
                name: Some(s.defined.clone()),
                value: Value::Number(s.percent, Kind::Plain, plain_text(s.percent)),
                unit: "% off".into(),
                origin: format!("{:?}", s.kind).to_lowercase(),
                source: s.source.clone(),
                note: until,
            });
        }
    }

    fn assumptions(&self, wb: &mut Workbook) -> Result<Worksheet, Error> {
        let st = &self.styles;
        let mut sh = Sheet::new(ASSUMPTIONS)?;
        sh.banner(
            0,
            "Assumptions: every input in a named cell; change a yellow cell and Lines and Summary follow",
            &st.title,
        )?;
        sh.banner(
            1,
            "Column B is the cell's defined name (Formulas › Name Manager); origin or confidence and source are beside each value.",
            &st.subtitle,
        )?;
        let header = ["Input", "Name", "Value", "Unit", "Origin", "Source", "Note"];
        sh.header(3, &header, &[2], st)?;
        let mut row = 4;
        for r in &self.rows {
            match r {
                Row::Section(title) => {
                    row += 1;
                    sh.ws
                        .write_string_with_format(row, 0, clip(title), &st.section)?;
                }
                Row::Input {
                    label,
                    name,
                    value,
                    unit,
                    origin,
                    source,
                    note,
                } => {
                    sh.wrap(row, 0, label, &st.wrap)?;
                    if let Some(n) = name {
                        sh.text(row, 1, n, &st.text)?;
                        wb.define_name(n, &format!("={ASSUMPTIONS}!{}", a1(row, 2, true)))?;
                    }
                    match value {
                        Value::Number(v, kind, shown) => {
                            let base = match kind {
                                Kind::Int => st.int.clone(),
                                Kind::Plain => st.general.clone(),
                                Kind::Percent => st.percent.clone(),
                                Kind::Money => st.money.clone(),
                                Kind::Unit => {
                                    st.unit_in(unit.split(' ').next().unwrap_or(&st.currency))
                                }
                            };
                            let f = if name.is_some() {
                                Styles::input(&base)
                            } else {
                                base
                            };
                            sh.number(row, 2, *v, shown, &f)?;
                        }
                        Value::Text(t) => sh.text(row, 2, t, &st.text)?,
                    }
                    sh.text(row, 3, unit, &st.text)?;
                    sh.text(row, 4, origin, &st.text)?;
                    sh.wrap(row, 5, source, &st.wrap)?;
                    sh.wrap(row, 6, note, &st.wrap)?;
                }
            }
            row += 1;
        }
        sh.ws.set_freeze_panes(4, 0)?;
        sh.ws.set_repeat_rows(3, 3)?;
        sh.cap(0, 40);
        sh.cap(5, 50);
        sh.cap(6, 60);
        sh.fit()
    }

    // -- lines -------------------------------------------------------------------------------

    fn lines_last_row(&self) -> u32 {
        let n: usize = self.q.scenarios.iter().map(|s| s.lines.len()).sum();
        LINES_HEADER_ROW + (n.max(1) as u32)
    }

    fn lines(&self, plans: &[Vec<Plan>]) -> Result<Worksheet, Error> {
        let q = self.q;
        let st = &self.styles;
        let mut sh = Sheet::new(LINES)?;
        sh.banner(
            0,
            &format!(
                "Line items, {}: amount = ROUND(quantity × unit price × factor, 2)",
                q.currency
            ),
            &st.title,
        )?;
        sh.banner(
            1,
            "Quantity, unit price and factor are formulas over the named inputs on Assumptions; tinted cells hold values and \"Why a value\" says why.",
            &st.subtitle,
        )?;
        let mut header: Vec<String> = LINE_COLUMNS.iter().map(|s| (*s).to_owned()).collect();
        header[usize::from(COL_UNIT)] = format!("Unit price ({})", q.currency);
        header[usize::from(COL_AMOUNT)] = format!("Amount ({})", q.currency);
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let right = [COL_QTY, COL_UNIT, COL_FACTOR, COL_AMOUNT];
        sh.header(LINES_HEADER_ROW, &header, &right, st)?;
        let grows = q
            .inputs
            .cost("costs.vm_growth_per_year")
            .is_some_and(|g| g > Decimal::ZERO);
        let mut row = LINES_HEADER_ROW + 1;
        for (si, (s, plans)) in q.scenarios.iter().zip(plans).enumerate() {
            for (l, plan) in s.lines.iter().zip(plans) {
                let n = Decimal::from(si as u64 + 1);
                sh.number(row, COL_NUM, n, &(si + 1).to_string(), &st.int_c)?;
                sh.wrap(row, 1, &s.name, &st.wrap)?;
                sh.wrap(row, 2, &l.cluster, &st.wrap)?;
                sh.number(row, COL_YEAR, Decimal::from(l.year), "Year", &st.int_c)?;
                sh.text(row, 4, l.kind.word(), &st.text)?;
                sh.wrap(row, 5, &l.name, &st.wrap)?;
                let mut why = Vec::new();
                let qty_shown = quantity_text(l.quantity);
                let qty_ok = sh.checked(
                    row,
                    COL_QTY,
                    plan.quantity.as_ref(),
                    l.quantity,
                    &plain_text(l.quantity),
                    &qty_shown,
                    &st.int,
                )?;
                if !qty_ok {
                    why.push(quantity_why(l, plan.quantity.is_some(), grows));
                }
                let unit_shown = format!("{} {}", q.currency, grouped_unit(l.unit_price));
                let unit_ok = sh.checked(
                    row,
                    COL_UNIT,
                    plan.unit.as_ref(),
                    l.unit_price,
                    &unit_text(l.unit_price),
                    &unit_shown,
                    &st.unit,
                )?;
                if !unit_ok {
                    why.push("unit price: its formula did not give the engine's price".to_owned());
                }
                let labels: Vec<String> = l
                    .discounts
                    .iter()
                    .map(|d| format!("{} ({} %)", d.label, plain_text(d.percent)))
                    .collect();
                sh.wrap(row, COL_DISCOUNTS, &labels.join("; "), &st.wrap)?;
                let factor = discount_factor(l.discounts.iter().map(|d| &d.percent));
                let factor_shown = format!("{}00", plain_text(factor));
                match &plan.factor {
                    None => sh.number(row, COL_FACTOR, factor, &factor_shown, &st.factor)?,
                    Some(ex) => {
                        let ok = sh.checked(
                            row,
                            COL_FACTOR,
                            Some(ex),
                            factor,
                            &plain_text(factor),
                            &factor_shown,
                            &st.factor,
                        )?;
                        if !ok {
                            why.push(
                                "factor: its formula did not give the engine's discounts"
                                    .to_owned(),
                            );
                        }
                    }
                }
                let amount = Ex::Round2(Box::new(mul(
                    mul(
                        cell(a1(row, COL_QTY, false), l.quantity),
                        cell(a1(row, COL_UNIT, false), l.unit_price),
                    ),
                    cell(a1(row, COL_FACTOR, false), factor),
                )));
                let amount_shown = format!("{} {}", q.currency, grouped(l.amount));
                let ok = sh.checked(
                    row,
                    COL_AMOUNT,
                    Some(&amount),
                    l.amount,
                    &money_text(l.amount),
                    &amount_shown,
                    &st.money,
                )?;
                if !ok {
                    why.push("amount: the engine's value".to_owned());
                }
                sh.wrap(row, COL_RULE, &l.rule.0, &st.wrap)?;
                sh.wrap(row, COL_WHY, &why.join("; "), &st.wrap)?;
                sh.wrap(row, COL_SOURCE, &l.source.source, &st.wrap)?;
                sh.text(row, COL_SOURCE + 1, l.source.confidence.mark(), &st.text)?;
                sh.wrap(row, COL_SOURCE + 2, &l.item, &st.wrap)?;
                row += 1;
            }
        }
        let last = row.saturating_sub(1).max(LINES_HEADER_ROW + 1);
        let last_col = LINE_COLUMNS.len() as u16 - 1;
        sh.ws.set_freeze_panes(LINES_HEADER_ROW + 1, 0)?;
        sh.ws.autofilter(LINES_HEADER_ROW, 0, last, last_col)?;
        // On paper: the money on the first page, the audit trail (rule, why, source) on the
        // next, each with the scenario; header rows repeat on every page.
        sh.ws.set_repeat_rows(LINES_HEADER_ROW, LINES_HEADER_ROW)?;
        sh.ws.set_repeat_columns(0, 1)?;
        sh.ws.set_vertical_page_breaks(&[u32::from(COL_RULE)])?;
        sh.ws.set_print_fit_to_pages(2, 0);
        sh.cap(1, 30);
        sh.cap(2, 14);
        sh.cap(5, 26);
        sh.cap(COL_DISCOUNTS, 28);
        sh.cap(COL_RULE, 60);
        sh.cap(COL_WHY, 34);
        sh.cap(COL_SOURCE, 60);
        sh.cap(COL_SOURCE + 2, 26);
        sh.fit()
    }

    // -- summary -----------------------------------------------------------------------------

    fn summary(&self, lines_last: u32) -> Result<Worksheet, Error> {
        let q = self.q;
        let st = &self.styles;
        let mut sh = Sheet::new(SUMMARY)?;
        sh.banner(
            0,
            &format!(
                "{}: total cost over {} year{}, {}",
                q.estate,
                q.years,
                if q.years == 1 { "" } else { "s" },
                q.currency
            ),
            &st.title,
        )?;
        sh.banner(
            1,
            &format!(
                "Purchase date {} · {} · totals are formulas over Lines with the engine's figures cached; rank and compliance are the engine's",
                q.purchase_date, q.engine,
            ),
            &st.subtitle,
        )?;
        let n = q.scenarios.len() as u32;
        let top_header = 3;
        let years_header = top_header + n + 3;
        let years = q.years;
        // Row of scenario `si`'s year `y` (1-based) in the yearly table.
        let year_row = |si: usize, y: u32| years_header + 1 + si as u32 * years + (y - 1);
        let cur = &q.currency;

        // Both tables keep `#` and the scenario in columns A and B.
        sh.header(
            top_header,
            &[
                "#",
                "Scenario",
                "Rank",
                "Compliant",
                "Bought",
                &format!("Total ({cur})"),
                &format!("NPV ({cur})"),
                &format!("Cost per VM-year ({cur})"),
                "Doubtful lines",
                "Problems",
            ],
            &[0, 2, 5, 6, 7, 8],
            st,
        )?;
        sh.banner(years_header - 1, "Per scenario per year", &st.section)?;
        sh.header(
            years_header,
            &[
                "#",
                "Scenario",
                "Year",
                &format!("Total ({cur})"),
                &format!("Cumulative ({cur})"),
                &format!("Present value ({cur})"),
                "VMs",
            ],
            &[0, 2, 3, 4, 5, 6],
            st,
        )?;
        let range = |col: u16| {
            format!(
                "{LINES}!{}:{}",
                a1(LINES_HEADER_ROW + 1, col, true),
                a1(lines_last, col, true)
            )
        };
        let (amounts, numbers, line_years) = (range(COL_AMOUNT), range(COL_NUM), range(COL_YEAR));
        let rate = self.cost("costs.discount_rate");
        let money = |d: Decimal| format!("{cur} {}", grouped(d));

        // Per scenario per year.
        for (si, s) in q.scenarios.iter().enumerate() {
            for y in &s.years {
                let r = year_row(si, y.year);
                sh.number(r, 0, Decimal::from(si as u64 + 1), "#", &st.int_c)?;
                sh.wrap(r, 1, &s.name, &st.wrap)?;
                sh.number(r, 2, Decimal::from(y.year), "Year", &st.int_c)?;
                let of_year: Decimal = s
                    .lines
                    .iter()
                    .filter(|l| l.year == y.year)
                    .map(|l| l.amount)
                    .sum();
                let total = Ex::Call(
                    format!(
                        "SUMIFS({amounts},{numbers},{},{line_years},{})",
                        a1(r, 0, false),
                        a1(r, 2, false)
                    ),
                    of_year,
                );
                let total_text = money_text(y.total);
                sh.checked(
                    r,
                    3,
                    Some(&total),
                    y.total,
                    &total_text,
                    &money(y.total),
                    &st.money,
                )?;
                let cumulative = if y.year == 1 {
                    cell(a1(r, 3, false), y.total)
                } else {
                    let prev = s.years.iter().find(|p| p.year == y.year - 1);
                    let prev = prev.map_or(Decimal::ZERO, |p| p.cumulative);
                    add(
                        cell(a1(r - 1, 4, false), prev),
                        cell(a1(r, 3, false), y.total),
                    )
                };
                sh.checked(
                    r,
                    4,
                    Some(&cumulative),
                    y.cumulative,
                    &money_text(y.cumulative),
                    &money(y.cumulative),
                    &st.money,
                )?;
                let pv = rate.clone().map(|rate| {
                    let total = cell(a1(r, 3, false), y.total);
                    let discounted = if y.year == 1 {
                        total
                    } else {
                        div(total, Ex::Pow(Box::new(add(num(1), rate)), y.year - 1))
                    };
                    Ex::Round2(Box::new(discounted))
                });
                sh.checked(
                    r,
                    5,
                    pv.as_ref(),
                    y.present_value,
                    &money_text(y.present_value),
                    &money(y.present_value),
                    &st.money,
                )?;
                if let Some(vms) = y.vms {
                    let v = Decimal::from(vms);
                    sh.number(r, 6, v, &quantity_text(v), &st.int)?;
                }
            }
        }

        // Per scenario, ranked.
        for (ri, rank) in q.ranking.iter().enumerate() {
            let Some(si) = q.scenarios.iter().position(|s| s.name == rank.scenario) else {
                continue;
            };
            let s = &q.scenarios[si];
            let r = top_header + 1 + ri as u32;
            let (first, last) = (year_row(si, 1), year_row(si, years));
            sh.number(r, 0, Decimal::from(si as u64 + 1), "#", &st.int_c)?;
            sh.wrap(r, 1, &s.name, &st.wrap)?;
            sh.number(r, 2, Decimal::from(rank.rank), "Rank", &st.int_c)?;
            sh.text(r, 3, if s.compliant { "yes" } else { "no" }, &st.text)?;
            sh.text(r, 4, &s.purchase_date.to_string(), &st.text)?;
            let span = |col: u16| format!("{}:{}", a1(first, col, false), a1(last, col, false));
            let sum_of = |col: u16, f: fn(&crate::quote::YearTotal) -> Decimal| {
                Ex::Call(format!("SUM({})", span(col)), s.years.iter().map(f).sum())
            };
            let total = sum_of(3, |y| y.total);
            sh.checked(
                r,
                5,
                Some(&total),
                s.total,
                &money_text(s.total),
                &money(s.total),
                &st.money,
            )?;
            let npv = sum_of(5, |y| y.present_value);
            sh.checked(
                r,
                6,
                Some(&npv),
                s.npv,
                &money_text(s.npv),
                &money(s.npv),
                &st.money,
            )?;
            if let Some(per_vm) = s.cost_per_vm_year {
                let vm_years: u64 = s.years.iter().filter_map(|y| y.vms).sum();
                let ex = Ex::Round2(Box::new(div(
                    cell(a1(r, 5, false), s.total),
                    Ex::Call(format!("SUM({})", span(6)), Decimal::from(vm_years)),
                )));
                sh.checked(
                    r,
                    7,
                    Some(&ex),
                    per_vm,
                    &money_text(per_vm),
                    &money(per_vm),
                    &st.money,
                )?;
            }
            let doubtful = Decimal::from(s.doubtful_lines);
            sh.number(r, 8, doubtful, &s.doubtful_lines.to_string(), &st.int)?;
            let problems: Vec<&str> = s.problems.iter().map(|p| p.message.as_str()).collect();
            sh.wrap(r, 9, &problems.join("; "), &st.wrap)?;
        }

        // The chart: cumulative cost per scenario.
        let mut chart = Chart::new(ChartType::Line);
        for si in 0..q.scenarios.len() {
            let (first, last) = (year_row(si, 1), year_row(si, years));
            chart
                .add_series()
                .set_name((SUMMARY, first, 1))
                .set_categories((SUMMARY, first, 2, last, 2))
                .set_values((SUMMARY, first, 4, last, 4));
        }
        chart
            .title()
            .set_name(&format!("Cumulative cost by scenario ({cur})"));
        chart.x_axis().set_name("Year");
        chart.y_axis().set_num_format("#,##0");
        chart.legend().set_position(ChartLegendPosition::Bottom);
        chart.set_width(960).set_height(440);
        let chart_row = year_row(q.scenarios.len(), 1) + 1;
        if !q.scenarios.is_empty() {
            sh.ws.insert_chart(chart_row, 0, &chart)?;
        }

        sh.ws.set_freeze_panes(top_header + 1, 0)?;
        if !q.scenarios.is_empty() {
            sh.ws
                .autofilter(years_header, 0, year_row(q.scenarios.len() - 1, years), 6)?;
        }
        sh.cap(1, 44);
        sh.cap(9, 60);
        sh.fit()
    }

    // -- sources -----------------------------------------------------------------------------

    fn sources(&self) -> Result<Worksheet, Error> {
        let q = self.q;
        let st = &self.styles;
        let mut sh = Sheet::new(SOURCES)?;
        sh.banner(
            0,
            "Sources: every price used, its citation and confidence; pricebooks by content hash",
            &st.title,
        )?;
        sh.banner(
            1,
            "P primary or agreeing sources · S one secondary source · W weak, a default to check · C conflicting · UNVERIFIED not found · ESTATE the estate's figure",
            &st.subtitle,
        )?;
        // Every table keeps the id in A, the name in B, the number in C and the hash in G.
        let mut row = 3;
        sh.banner(row, "Prices", &st.section)?;
        row += 1;
        sh.header(
            row,
            &[
                "Item id",
                "Item",
                "Unit price",
                "Confidence",
                "Source",
                "Note",
                "Pricebook hash",
            ],
            &[2],
            st,
        )?;
        row += 1;
        for p in &self.prices {
            let book = p.item.split('/').next().unwrap_or_default();
            let hash = q
                .pricebooks
                .iter()
                .find(|b| b.id == book)
                .map_or("", |b| b.hash.as_str());
            sh.wrap(row, 0, &p.item, &st.wrap)?;
            sh.wrap(row, 1, &p.label, &st.wrap)?;
            let shown = format!("{} {}", p.currency, grouped_unit(p.price));
            sh.number(row, 2, p.price, &shown, &st.unit_in(&p.currency))?;
            sh.text(row, 3, &p.confidence, &st.text)?;
            sh.wrap(row, 4, &p.source, &st.wrap)?;
            sh.wrap(row, 5, &p.note, &st.wrap)?;
            sh.text(row, 6, hash, &st.text)?;
            row += 1;
        }
        // Estate figures that price lines (hardware, power, facilities, administration).
        for c in &q.inputs.costs {
            let field = c.name.strip_prefix("costs.").unwrap_or(&c.name);
            if !matches!(
                field,
                "hardware_per_host"
                    | "watts_per_host"
                    | "kwh_price"
                    | "pue"
                    | "hours_per_year"
                    | "facilities_per_host_year"
                    | "admin_per_host_year"
            ) {
                continue;
            }
            let (label, unit, kind) = cost_meta(&c.name, &q.currency);
            sh.wrap(row, 0, &c.name, &st.wrap)?;
            sh.wrap(row, 1, &label, &st.wrap)?;
            let format = match kind {
                Kind::Money => &st.money,
                Kind::Unit => &st.unit,
                _ => &st.general,
            };
            sh.number(row, 2, c.value, &shown(c.value, kind, &q.currency), format)?;
            let mark = if c.origin == "estate" {
                "ESTATE"
            } else {
                "default"
            };
            sh.text(row, 3, mark, &st.text)?;
            let source = if c.origin == "estate" {
                format!("estate [costs].{field}")
            } else {
                "hypercost default".to_owned()
            };
            sh.wrap(row, 4, &source, &st.wrap)?;
            sh.wrap(row, 5, &unit, &st.wrap)?;
            row += 1;
        }
        row += 1;
        sh.banner(row, "Pricebooks", &st.section)?;
        row += 1;
        let blank = "";
        sh.header(
            row,
            &[
                "Pricebook",
                "Name",
                "Origin",
                blank,
                blank,
                blank,
                "Content hash",
            ],
            &[],
            st,
        )?;
        row += 1;
        for b in &q.pricebooks {
            sh.wrap(row, 0, &b.id, &st.wrap)?;
            sh.wrap(row, 1, &b.name, &st.wrap)?;
            sh.text(row, 2, &b.origin, &st.text)?;
            sh.text(row, 6, &b.hash, &st.text)?;
            row += 1;
        }
        if !self.steps.is_empty() {
            row += 1;
            sh.banner(row, "Discount steps", &st.section)?;
            row += 1;
            sh.header(
                row,
                &["Step", "Label", "Percent off", "Valid until", "Source"],
                &[2],
                st,
            )?;
            row += 1;
            for s in &self.steps {
                sh.text(row, 0, &format!("{:?}", s.kind).to_lowercase(), &st.text)?;
                sh.wrap(row, 1, &s.label, &st.wrap)?;
                sh.number(row, 2, s.percent, &plain_text(s.percent), &st.general)?;
                sh.text(row, 3, &s.until, &st.text)?;
                sh.wrap(row, 4, &s.source, &st.wrap)?;
                row += 1;
            }
        }
        sh.cap(0, 30);
        sh.cap(1, 30);
        sh.cap(4, 50);
        sh.cap(5, 50);
        sh.cap(6, 75);
        sh.fit()
    }
}

/// Why a line's quantity is a value rather than a formula.
fn quantity_why(l: &Line, had_formula: bool, grows: bool) -> String {
    let why = if had_formula {
        "its formula did not give the engine's count"
    } else if l.kind == LineKind::Upgrade {
        "owned licences converted through upgrade paths (the engine picks the cheapest chain)"
    } else if l.cluster == ALL_CLUSTERS {
        "a scenario-wide top-up (memory pool or minimum order), see Rule"
    } else if l.year > 1 && grows {
        "a year of growth: the engine rounds each year's VMs up and adds hosts"
    } else if matches!(l.kind, LineKind::Licence | LineKind::Subscription) {
        "owned licences cover part of the need, see Rule"
    } else {
        "the rule is not a formula of the inputs, see Rule"
    };
    format!("quantity: {why}")
}

//! The workbook's cell formats: one style per kind of cell, input cells tinted yellow and
//! values that stand in for a formula tinted orange, money in the quote's currency.

use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder};

use crate::estate::Kind;
use crate::money::{grouped, grouped_unit, plain_text};

/// The formats of every kind of cell, made once per workbook.
pub(super) struct Styles {
    pub(super) title: Format,
    pub(super) subtitle: Format,
    pub(super) section: Format,
    pub(super) header: Format,
    pub(super) header_right: Format,
    pub(super) text: Format,
    pub(super) wrap: Format,
    pub(super) int: Format,
    pub(super) int_c: Format,
    pub(super) factor: Format,
    pub(super) general: Format,
    pub(super) money: Format,
    pub(super) unit: Format,
    pub(super) percent: Format,
    pub(super) currency: String,
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
    pub(super) fn new(currency: &str) -> Styles {
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

    pub(super) fn input(format: &Format) -> Format {
        format.clone().set_background_color(Color::RGB(INPUT_FILL))
    }

    pub(super) fn value(format: &Format) -> Format {
        format.clone().set_background_color(Color::RGB(VALUE_FILL))
    }

    pub(super) fn unit_in(&self, currency: &str) -> Format {
        if currency == self.currency {
            self.unit.clone()
        } else {
            self.unit.clone().set_num_format(unit_format(currency))
        }
    }
}

/// A count as shown: grouped, without cents.
pub(super) fn quantity_text(q: Decimal) -> String {
    grouped(q).trim_end_matches(".00").to_owned()
}

/// Roughly how a value of `kind` displays, for column widths.
pub(super) fn shown(value: Decimal, kind: Kind, currency: &str) -> String {
    match kind {
        Kind::Count => quantity_text(value),
        Kind::Plain => plain_text(value),
        Kind::Fraction => format!("{}%", plain_text(value * Decimal::ONE_HUNDRED)),
        Kind::Money => format!("{currency} {}", grouped(value)),
        Kind::UnitPrice => format!("{currency} {}", grouped_unit(value)),
    }
}

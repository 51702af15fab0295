//! Formula text over named cells: the workbook's leaves of the one formula tree
//! ([`crate::quote::Expr`]) are cells — a defined name, an `A1` reference or a function over
//! ranges — each with the value cached there, so every formula is evaluated in exact decimals
//! before it is written.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use crate::quote::Expr;

/// A cell a formula reads: its reference text and the value cached there (for a function over
/// ranges, `SUM` or `SUMIFS`, the call and its value as the caller computed it).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Cell {
    reference: String,
    value: Decimal,
}

impl Cell {
    pub(super) fn new(reference: impl Into<String>, value: Decimal) -> Cell {
        Cell {
            reference: reference.into(),
            value,
        }
    }

    pub(super) fn reference(&self) -> String {
        self.reference.clone()
    }

    pub(super) fn value(&self) -> Option<Decimal> {
        Some(self.value)
    }
}

/// A workbook formula.
pub(super) type Ex = Expr<Cell>;

/// A formula reading one cell.
pub(super) fn cell(reference: impl Into<String>, value: Decimal) -> Ex {
    Expr::Input(Cell::new(reference, value))
}

/// `A1` reference of a 0-based cell, absolute when `fixed`.
pub(super) fn a1(row: u32, col: u16, fixed: bool) -> String {
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

/// Defined names, unique in the workbook, made from ids: lower-case ASCII letters, digits and
/// underscores (`hosts_prod`, `price_vmware_vsphere_4_0_enterprise_plus`).
#[derive(Default)]
pub(super) struct Names {
    used: BTreeSet<String>,
}

pub(super) fn ident(text: &str) -> String {
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
    pub(super) fn fresh(&mut self, base: &str) -> String {
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

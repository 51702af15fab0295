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

/// `text` as lower-case ASCII letters and digits, any other run of characters one `_`.
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

/// The longest defined name Excel accepts; a longer one makes the file no workbook.
const MAX_NAME: usize = 255;

/// `base` as a valid defined name: not empty, starting with a letter, not a cell reference
/// (`ab12`, `r1c1`, `rc`: those get a `n_` prefix), and at most [`MAX_NAME`] characters less
/// `room` (for a `_2` suffix). Cluster and cost names of any length and alphabet reach the
/// names through [`ident`], so every name is made valid here, once.
fn valid(base: &str, room: usize) -> String {
    let mut name = ident(base);
    if is_reference(&name) || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name = format!("n_{name}");
    }
    // ASCII only (see `ident`): bytes are characters.
    name.truncate(MAX_NAME - room);
    while name.ends_with('_') {
        name.pop();
    }
    name
}

/// Whether a lower-case name reads as a cell: `A1` style (letters then digits) or `R1C1`
/// style (`r`, `c`, `rc`, `r2`, `r1c1`, …). The empty name counts, so it is prefixed too.
fn is_reference(name: &str) -> bool {
    let digit = |c: char| c.is_ascii_digit();
    let letters = name.trim_end_matches(digit);
    let a1 = letters.len() < name.len()
        && letters.len() <= 3
        && letters.chars().all(|c| c.is_ascii_alphabetic());
    // (`rr1` counts too: a harmless prefix more.)
    let rest = name.trim_start_matches('r').trim_start_matches(digit);
    let rest = rest.trim_start_matches('c').trim_start_matches(digit);
    a1 || rest.is_empty()
}

impl Names {
    /// A new valid name from `base` (see [`valid`]), unique in the workbook.
    pub(super) fn fresh(&mut self, base: &str) -> String {
        let mut name = valid(base, 0);
        let mut n = 2;
        while self.used.contains(&name) {
            let suffix = format!("_{n}");
            name = format!("{}{suffix}", valid(base, suffix.len()));
            n += 1;
        }
        self.used.insert(name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_NAME, Names, is_reference};

    #[test]
    fn every_name_is_valid_and_unique_however_long_or_odd_its_base() {
        let mut names = Names::default();
        let long = "x".repeat(1_000);
        let bases = [
            "hosts_prod",
            "hosts_prod",
            "years",
            "",
            "ab12",
            "r1c1",
            "rc",
            "9lives",
            &long,
            &long,
            &long,
        ];
        let made: Vec<String> = bases.iter().map(|b| names.fresh(b)).collect();
        assert_eq!(
            made[..8],
            [
                "hosts_prod",
                "hosts_prod_2",
                "years",
                "n",
                "n_ab12",
                "n_r1c1",
                "n_rc",
                "n_9lives"
            ]
        );
        for n in &made {
            assert!(
                n.len() <= MAX_NAME && n.starts_with(|c: char| c.is_ascii_alphabetic()),
                "{n}"
            );
            assert!(!is_reference(n), "{n}");
        }
        assert_eq!(made[8].len(), MAX_NAME);
        assert!(made[9].ends_with("_2") && made[10].ends_with("_3"));
        let unique: std::collections::BTreeSet<&String> = made.iter().collect();
        assert_eq!(unique.len(), made.len());
        assert!(!is_reference("hosts_a1") && is_reference("xfd1048576") && is_reference("c"));
    }
}

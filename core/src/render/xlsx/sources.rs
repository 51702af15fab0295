//! *Sources*: every price used with its citation, confidence and pricebook hash, the estate's
//! figures that price lines, the pricebooks, and the discount steps.

use rust_xlsxwriter::Worksheet;

use super::assumptions::cost_label;
use super::sheet::Sheet;
use super::styles::shown;
use super::{Builder, Error, SOURCES};
use crate::estate::{CostField, Kind, Origin};
use crate::money::{grouped_unit, plain_text};
use crate::quote::Input;

/// The estate's figures that price lines (hardware, power, facilities, administration).
fn prices_lines(input: &Input) -> bool {
    matches!(
        input,
        Input::Cost(
            CostField::HardwarePerHost
                | CostField::WattsPerHost
                | CostField::KwhPrice
                | CostField::Pue
                | CostField::HoursPerYear
                | CostField::FacilitiesPerHostYear
                | CostField::AdminPerHostYear
        )
    )
}

impl Builder<'_> {
    pub(super) fn sources(&self) -> Result<Worksheet, Error> {
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
            let hash = q
                .pricebooks
                .iter()
                .find(|b| b.id == p.price.book)
                .map_or("", |b| b.hash.as_str());
            sh.wrap(row, 0, &p.item(), &st.wrap)?;
            sh.wrap(row, 1, &p.label, &st.wrap)?;
            let value = p.price.value;
            let shown = format!("{} {}", p.currency, grouped_unit(value));
            sh.number(row, 2, value, &shown, &st.unit_in(&p.currency))?;
            sh.text(row, 3, &p.confidence, &st.text)?;
            sh.wrap(row, 4, &p.source, &st.wrap)?;
            sh.wrap(row, 5, &p.note, &st.wrap)?;
            sh.text(row, 6, hash, &st.text)?;
            row += 1;
        }
        // Estate figures that price lines (hardware, power, facilities, administration).
        for c in &q.inputs.costs {
            let Some(input) = Input::of_cost_name(&c.name).filter(prices_lines) else {
                continue;
            };
            let (label, unit, kind) = cost_label(&input, &q.currency);
            sh.wrap(row, 0, &c.name, &st.wrap)?;
            sh.wrap(row, 1, &label, &st.wrap)?;
            let format = match kind {
                Kind::Money => &st.money,
                Kind::UnitPrice => &st.unit,
                _ => &st.general,
            };
            sh.number(row, 2, c.value, &shown(c.value, kind, &q.currency), format)?;
            let mark = if c.origin == Origin::Estate.name() {
                "ESTATE"
            } else {
                "default"
            };
            sh.text(row, 3, mark, &st.text)?;
            let source = match input.citation() {
                Some(cited) if c.origin == Origin::Estate.name() => cited,
                _ => "hypercost default".to_owned(),
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

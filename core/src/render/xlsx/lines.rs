//! *Lines*: one row per line item; quantity, unit price and factor are the engine's formulas
//! with each input read from its named cell, and the amount is `ROUND(quantity × unit price ×
//! factor, 2)` over the row's own cells.

use rust_decimal::Decimal;
use rust_xlsxwriter::Worksheet;

use super::formula::{Ex, a1, cell};
use super::sheet::Sheet;
use super::styles::quantity_text;
use super::{
    Builder, COL_AMOUNT, COL_DISCOUNTS, COL_FACTOR, COL_NUM, COL_QTY, COL_RULE, COL_SOURCE,
    COL_UNIT, COL_WHY, COL_YEAR, Error, LINE_COLUMNS, LINES, LINES_HEADER_ROW,
};
use crate::estate::CostField;
use crate::money::{discount_factor, grouped, grouped_unit, money_text, plain_text, unit_text};
use crate::quote::{ALL_CLUSTERS, Expr, Input, Line, LineKind};

/// What a *Lines* row's cells are, decided before anything is written.
pub(super) struct Plan {
    quantity: Option<Ex>,
    unit: Option<Ex>,
    factor: Option<Ex>,
}

impl Builder<'_> {
    /// Decides each formula of a line's row from the engine's: quantity and unit price with
    /// every input read from its named cell (prices registered on first use), and the factor
    /// step by step — the estate's negotiated discount or escalation where its formula gives
    /// the step, otherwise the step's own named percent.
    pub(super) fn plan(&mut self, l: &Line) -> Plan {
        let quantity = l
            .quantity_formula
            .as_ref()
            .and_then(|f| f.try_map(&mut |i| self.estate_cell(i)));
        let unit = l.unit_formula.as_ref().and_then(|f| {
            f.try_map(&mut |i| match i {
                Input::Price(p) => Some(self.price_cell(l, p)),
                other => self.estate_cell(other),
            })
        });
        let mut terms = Vec::new();
        for d in &l.discounts {
            let expected = Decimal::ONE - d.percent / Decimal::ONE_HUNDRED;
            let estate = d
                .factor()
                .try_map(&mut |i| match i {
                    Input::Step { .. } => None,
                    other => self.estate_cell(other),
                })
                .filter(|t| t.eval(&super::formula::Cell::value) == Some(expected));
            let term = estate.or_else(|| d.step_factor().try_map(&mut |_| Some(self.step_cell(d))));
            terms.extend(term);
        }
        Plan {
            quantity,
            unit,
            factor: Expr::product(terms),
        }
    }

    pub(super) fn lines_last_row(&self) -> u32 {
        let n: usize = self.q.scenarios.iter().map(|s| s.lines.len()).sum();
        LINES_HEADER_ROW + (n.max(1) as u32)
    }

    pub(super) fn lines(&self, plans: &[Vec<Plan>]) -> Result<Worksheet, Error> {
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
            .value(&Input::Cost(CostField::VmGrowthPerYear))
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
                let amount = Expr::round2(
                    Expr::product([
                        cell(a1(row, COL_QTY, false), l.quantity),
                        cell(a1(row, COL_UNIT, false), l.unit_price),
                        cell(a1(row, COL_FACTOR, false), factor),
                    ])
                    .unwrap_or_else(|| Expr::num(0)),
                );
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
                // The day the payment falls due (ISO, as in JSON and CSV).
                if let Some(due) = l.due {
                    sh.text(row, COL_SOURCE + 3, &due.to_string(), &st.text)?;
                }
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

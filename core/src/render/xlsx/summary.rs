//! *Summary*: each scenario's rank, total, NPV and cost per VM-year, then per scenario per
//! year the total (`SUMIFS` over *Lines*), the cumulative total and the present value, and a
//! chart of cumulative cost per scenario.

use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartLegendPosition, ChartType, Worksheet};

use super::formula::{a1, cell};
use super::sheet::Sheet;
use super::styles::quantity_text;
use super::{Builder, COL_AMOUNT, COL_NUM, COL_YEAR, Error, LINES, LINES_HEADER_ROW, SUMMARY};
use crate::estate::CostField;
use crate::money::{grouped, money_text};
use crate::quote::{Expr, Input};

impl Builder<'_> {
    pub(super) fn summary(&self, lines_last: u32) -> Result<Worksheet, Error> {
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
        let rate = self
            .estate_cell(&Input::Cost(CostField::DiscountRate))
            .map(Expr::Input);
        let money = |d: Decimal| format!("{cur} {}", grouped(d));

        // Per scenario per year.
        for (si, s) in q.scenarios.iter().enumerate() {
            for y in &s.years {
                let r = year_row(si, y.year);
                sh.number(r, 0, Decimal::from(si as u64 + 1), "#", &st.int_c)?;
                sh.wrap(r, 1, &s.name, &st.wrap)?;
                sh.number(r, 2, Decimal::from(y.year), "Year", &st.int_c)?;
                let of_year = s.lines_total(y.year);
                let total = cell(
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
                    cell(a1(r - 1, 4, false), prev) + cell(a1(r, 3, false), y.total)
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
                        total / Expr::pow(Expr::num(1) + rate, y.year - 1)
                    };
                    Expr::round2(discounted)
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
                cell(format!("SUM({})", span(col)), s.years.iter().map(f).sum())
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
                let ex = Expr::round2(
                    cell(a1(r, 5, false), s.total)
                        / cell(format!("SUM({})", span(6)), Decimal::from(vm_years)),
                );
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
}

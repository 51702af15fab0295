//! Yearly totals, cumulative cost, present value and cost per VM, and the assumptions behind
//! them. Year 1 is paid at the purchase date and is not discounted; year y is discounted by
//! (1 + rate)^(y − 1). Each year's present value is rounded to cents once, and the NPV is
//! their sum, so a spreadsheet that redoes it reconciles.

use rust_decimal::Decimal;

use crate::estate::Estate;
use crate::money::{plain_text, round_line};
use crate::quote::{Assumption, Line, YearTotal};

/// The years of a scenario, its NPV and its cost per VM-year.
pub(crate) fn years(
    estate: &Estate,
    lines: &[Line],
    vms: &[Option<u64>],
) -> (Vec<YearTotal>, Decimal, Option<Decimal>) {
    let rate = estate
        .costs
        .as_ref()
        .and_then(|c| c.discount_rate)
        .unwrap_or_default();
    let mut out = Vec::new();
    let mut cumulative = Decimal::ZERO;
    let mut factor = Decimal::ONE;
    for year in 1..=estate.years {
        if year > 1 {
            factor *= Decimal::ONE + rate;
        }
        let total: Decimal = lines
            .iter()
            .filter(|l| l.year == year)
            .map(|l| l.amount)
            .sum();
        cumulative += total;
        out.push(YearTotal {
            year,
            total,
            cumulative,
            present_value: round_line(total / factor),
            vms: vms.get(year as usize - 1).copied().flatten(),
        });
    }
    let npv = out.iter().map(|y| y.present_value).sum();
    let vm_years: u64 = out.iter().filter_map(|y| y.vms).sum();
    let per_vm = (vm_years > 0).then(|| round_line(cumulative / Decimal::from(vm_years)));
    (out, npv, per_vm)
}

/// Every assumption the totals rest on, from the estate or a stated default.
pub(crate) fn assumptions(estate: &Estate) -> Vec<Assumption> {
    let costs = estate.costs.clone().unwrap_or_default();
    let mut out = Vec::new();
    let mut push = |name: &str, value: String, given: bool, note: &str| {
        out.push(Assumption {
            name: name.to_owned(),
            value,
            origin: if given { "estate" } else { "default" }.to_owned(),
            note: note.to_owned(),
        });
    };
    push(
        "years",
        estate.years.to_string(),
        true,
        "horizon; year 1 starts at the purchase date",
    );
    push(
        "costs.discount_rate",
        plain_text(costs.discount_rate.unwrap_or_default()),
        costs.discount_rate.is_some(),
        "NPV: year 1 is paid at purchase (not discounted); year y is discounted by (1 + rate)^(y − 1); 0 makes the NPV the cash total",
    );
    push(
        "costs.vm_growth_per_year",
        plain_text(costs.vm_growth_per_year.unwrap_or_default()),
        costs.vm_growth_per_year.is_some(),
        "VMs grow by this fraction each year (rounded up to whole VMs)",
    );
    push(
        "costs.vms_per_host",
        costs
            .vms_per_host
            .map_or("none".to_owned(), |n| n.to_string()),
        costs.vms_per_host.is_some(),
        "hosts are added when VMs exceed hosts × this; without it the host count stays as given",
    );
    push(
        "costs.escalation_per_year",
        plain_text(costs.escalation_per_year.unwrap_or_default()),
        costs.escalation_per_year.is_some(),
        "support and subscription prices rise by this fraction each year after the first",
    );
    if costs.hardware_per_host.is_some() {
        push(
            "costs.hardware_life_years",
            costs
                .hardware_life_years
                .unwrap_or(super::opex::HARDWARE_LIFE_YEARS)
                .to_string(),
            costs.hardware_life_years.is_some(),
            "hosts are bought again after this many years; default 36 months (Virtana on-premises cost defaults [S])",
        );
    }
    if costs.watts_per_host.is_some() {
        push(
            "costs.pue",
            plain_text(costs.pue.unwrap_or(Decimal::ONE)),
            costs.pue.is_some(),
            "power usage effectiveness; the default 1 counts the IT load only (a typical facility is ~2.1 [S, IBM Systems Magazine 2011])",
        );
        push(
            "costs.hours_per_year",
            plain_text(
                costs
                    .hours_per_year
                    .unwrap_or(Decimal::from(super::opex::HOURS_PER_YEAR)),
            ),
            costs.hours_per_year.is_some(),
            "default 8,766 h = 365.25 days [S, IBM Systems Magazine 2011]",
        );
    }
    for (vendor, d) in &costs.vendor_discount {
        push(
            &format!("costs.vendor_discount.{vendor}"),
            plain_text(*d),
            true,
            "negotiated discount off list, applied after promotions",
        );
    }
    for (cur, rate) in &costs.fx {
        let date = costs
            .fx_date
            .map_or(String::new(), |d| format!(" (rate of {d})"));
        push(
            &format!("costs.fx.{cur}"),
            plain_text(*rate),
            true,
            &format!("{} per 1 {cur}{date}", estate.currency),
        );
    }
    out
}

//! Yearly totals, cumulative cost, present value and cost per VM, and the assumptions behind
//! them. Year 1 is paid at the purchase date and is not discounted; year y is discounted by
//! (1 + rate)^(y − 1). Each year's present value is rounded to cents once, and the NPV is
//! their sum, so a spreadsheet that redoes it reconciles.

use rust_decimal::Decimal;

use crate::estate::{CostField, Costs, Estate, InputTable, Origin};
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
            present_value: present_value(total, factor),
            vms: vms.get(year as usize - 1).copied().flatten(),
        });
    }
    let npv = npv(out.iter().map(|y| y.total), rate);
    let vm_years: u64 = out.iter().filter_map(|y| y.vms).sum();
    let per_vm = (vm_years > 0).then(|| round_line(cumulative / Decimal::from(vm_years)));
    (out, npv, per_vm)
}

/// A year's total discounted by `factor`, rounded to cents once.
fn present_value(total: Decimal, factor: Decimal) -> Decimal {
    round_line(total / factor)
}

/// The present value of yearly totals (year 1 first) at `rate`: year y is discounted by
/// (1 + rate)^(y − 1) and rounded to cents, then summed (the compiled evaluator's NPV too).
pub(crate) fn npv(totals: impl Iterator<Item = Decimal>, rate: Decimal) -> Decimal {
    let mut factor = Decimal::ONE;
    let mut sum = Decimal::ZERO;
    for (i, total) in totals.enumerate() {
        if i > 0 {
            factor *= Decimal::ONE + rate;
        }
        sum += present_value(total, factor);
    }
    sum
}

/// Every assumption the totals rest on, from the estate or a stated default: the horizon,
/// then each declared `[costs]` number with an assumption note whose default applies or which
/// the estate states (`estate.rs` declares them), then negotiated discounts and rates.
pub(crate) fn assumptions(estate: &Estate) -> Vec<Assumption> {
    let none = Costs::default();
    let costs = estate.costs.as_ref().unwrap_or(&none);
    let mut out = Vec::new();
    let mut push = |name: &str, value: String, origin: Origin, note: &str| {
        out.push(Assumption {
            name: name.to_owned(),
            value,
            origin: origin.name().to_owned(),
            note: note.to_owned(),
        });
    };
    push(
        "years",
        estate.years.to_string(),
        Origin::Estate,
        "horizon; year 1 starts at the purchase date",
    );
    if let Some(region) = estate.region {
        push(
            "region",
            region.key().to_owned(),
            Origin::Estate,
            "where the estate buys: pricebook rules that hold in some regions only are judged for it",
        );
    }
    for field in CostField::ALL {
        let spec = field.spec();
        let Some(note) = spec.assumption.filter(|_| costs.listed(field)) else {
            continue;
        };
        let used = costs.used(field);
        push(
            &text!("costs.{}", spec.key),
            used.map_or("none".to_owned(), |(v, _)| plain_text(v)),
            used.map_or(Origin::Default, |(_, origin)| origin),
            note,
        );
    }
    for (vendor, d) in &costs.vendor_discount {
        push(
            &text!("costs.vendor_discount.{vendor}"),
            plain_text(*d),
            Origin::Estate,
            "negotiated discount off list, applied after promotions",
        );
    }
    for (cur, rate) in &costs.fx {
        let date = costs
            .fx_date
            .map_or(String::new(), |d| text!(" (rate of {d})"));
        push(
            &text!("costs.fx.{cur}"),
            plain_text(*rate),
            Origin::Estate,
            &text!("{} per 1 {cur}{date}", estate.currency),
        );
    }
    out
}

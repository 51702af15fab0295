//! Costs beyond licences, per cluster and year: host hardware (bought in year 1, for growth,
//! and again when a cohort reaches its life), power (W × PUE × price per kWh × hours / 1000),
//! facilities and administration per host per year. The figures are the estate's own.

use std::borrow::Cow;
use std::sync::Arc;

use rust_decimal::Decimal;

use rust_decimal::prelude::ToPrimitive;

use crate::estate::{Cluster, CostField, Costs, InputTable};
use crate::money::{grouped_unit, plain_text};
use crate::pricebook::Confidence;
use crate::quote::{Expr, Input, Line, LineKind, PriceSource, Rule, costs_citation};
use crate::shared::Shared;

fn source(field: &str) -> PriceSource {
    PriceSource {
        source: costs_citation(field).into(),
        confidence: Confidence::Estate,
        note: None,
    }
}

/// The opex lines of one cluster for every year, from its shape each year. `hosts[y]` is year
/// y + 1's host count as a formula of the cluster's inputs, where it is one: per-host lines of
/// that year carry it, and so do the year-1 hosts bought again after their life.
pub(crate) fn lines(
    costs: &Costs,
    shapes: &[Cow<'_, Cluster>],
    hosts: &[Option<Arc<Expr>>],
) -> Vec<Line> {
    let cost = |f: CostField| Expr::input(Input::Cost(f));
    let cost_formula = |f: CostField| Some(Arc::new(cost(f)));
    let hosts_in = |i: usize| hosts.get(i).cloned().flatten();
    let mut out = Vec::new();
    let Some(first) = shapes.first() else {
        return out;
    };
    let name = Shared::from(first.name.as_str());
    if let (Some(price), Some((life, _))) = (
        costs.hardware_per_host,
        costs.used(CostField::HardwareLifeYears),
    ) {
        // 1 to 30 by its declaration.
        let life = life.to_u32().unwrap_or(u32::MAX);
        // Cohorts of hosts by the year they were bought; each is bought again after its life.
        let mut cohorts: Vec<(u32, u32)> = Vec::new();
        let mut owned = 0u32;
        for (i, shape) in shapes.iter().enumerate() {
            let year = i as u32 + 1;
            let mut bought = Vec::new();
            // Year 1's cohort is year 1's hosts, a formula when they are one; later cohorts
            // are growth, counted by the engine.
            if shape.hosts > owned {
                let n = shape.hosts - owned;
                cohorts.push((year, n));
                bought.push((
                    n,
                    if year == 1 {
                        text!("{n} hosts")
                    } else {
                        text!("{n} hosts added for growth")
                    },
                    if year == 1 { hosts_in(0) } else { None },
                ));
                owned = shape.hosts;
            }
            for (since, n) in cohorts.iter_mut() {
                if *since != year && (year - *since).is_multiple_of(life) {
                    bought.push((
                        *n,
                        text!("{n} hosts of year {since} replaced after their {life}-year life"),
                        if *since == 1 { hosts_in(0) } else { None },
                    ));
                }
            }
            for (n, why, formula) in bought {
                let mut line = Line::new(
                    name.clone(),
                    year,
                    LineKind::Hardware,
                    "costs/hardware",
                    "Host hardware",
                    Decimal::from(n),
                    price,
                    Vec::new(),
                    Rule(text!("{why} × {} each", grouped_unit(price))),
                    source("hardware_per_host"),
                );
                line.quantity_formula = formula;
                line.unit_formula = cost_formula(CostField::HardwarePerHost);
                out.push(line);
            }
        }
    }
    // PUE and hours have defaults whenever watts are given (`estate.rs` declares them).
    if let (Some(watts), Some(kwh), Some((pue, _)), Some((hours, _))) = (
        costs.watts_per_host,
        costs.kwh_price,
        costs.used(CostField::Pue),
        costs.used(CostField::HoursPerYear),
    ) {
        let per_host = watts * pue * kwh * hours / Decimal::from(1000);
        let fields = [
            CostField::WattsPerHost,
            CostField::Pue,
            CostField::KwhPrice,
            CostField::HoursPerYear,
        ];
        let per_host_formula =
            Expr::product(fields.map(cost)).map(|p| Arc::new(p / Expr::num(Decimal::from(1000))));
        for (i, shape) in shapes.iter().enumerate() {
            let rule = text!(
                "{} hosts × {} W × PUE {} × {} per kWh × {} h / 1000 = {} per host",
                shape.hosts,
                plain_text(watts),
                plain_text(pue),
                plain_text(kwh),
                plain_text(hours),
                grouped_unit(per_host)
            );
            let mut line = Line::new(
                name.clone(),
                i as u32 + 1,
                LineKind::Power,
                "costs/power",
                "Power and cooling",
                Decimal::from(shape.hosts),
                per_host,
                Vec::new(),
                Rule(rule),
                source("watts_per_host, pue, kwh_price"),
            );
            line.quantity_formula = hosts_in(i);
            line.unit_formula = per_host_formula.clone();
            out.push(line);
        }
    }
    for (price, kind, item, title, field) in [
        (
            costs.facilities_per_host_year,
            LineKind::Facilities,
            "costs/facilities",
            "Facilities",
            CostField::FacilitiesPerHostYear,
        ),
        (
            costs.admin_per_host_year,
            LineKind::Admin,
            "costs/admin",
            "Administration",
            CostField::AdminPerHostYear,
        ),
    ] {
        let Some(price) = price else { continue };
        for (i, shape) in shapes.iter().enumerate() {
            let rule = text!(
                "{} hosts × {} per host per year",
                shape.hosts,
                grouped_unit(price)
            );
            let mut line = Line::new(
                name.clone(),
                i as u32 + 1,
                kind,
                item,
                title,
                Decimal::from(shape.hosts),
                price,
                Vec::new(),
                Rule(rule),
                source(field.key()),
            );
            line.quantity_formula = hosts_in(i);
            line.unit_formula = cost_formula(field);
            out.push(line);
        }
    }
    out
}

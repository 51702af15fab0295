//! The estate's numbers the engine used, for the quote's `inputs`.

use rust_decimal::Decimal;

use crate::estate::Estate;
use crate::quote::{ClusterInputs, CostInput, Inputs};

use super::opex;

/// The estate's numbers the engine uses, for [`Quote::inputs`]: clusters as given, and every
/// cost input with the value used (defaults where the engine assumes one, as in
/// [`finance::assumptions`]).
pub(super) fn inputs(estate: &Estate) -> Inputs {
    let clusters = estate
        .clusters
        .iter()
        .map(|c| ClusterInputs {
            name: c.name.clone(),
            hosts: c.hosts,
            sockets_per_host: c.sockets_per_host,
            cores_per_socket: c.cores_per_socket,
            ram_gb_per_host: c.ram_gb_per_host,
            vms: c.vms,
            windows_vms: c.windows_vms,
            vm_ram_gb: c.vm_ram_gb,
        })
        .collect();
    let costs = estate.costs.clone().unwrap_or_default();
    let mut out = Vec::new();
    let mut push = |name: &str, given: Option<Decimal>, default: Option<Decimal>| {
        if let Some(value) = given.or(default) {
            out.push(CostInput {
                name: format!("costs.{name}"),
                value,
                origin: if given.is_some() { "estate" } else { "default" }.to_owned(),
            });
        }
    };
    let zero = Some(Decimal::ZERO);
    push("discount_rate", costs.discount_rate, zero);
    push("vm_growth_per_year", costs.vm_growth_per_year, zero);
    push("vms_per_host", costs.vms_per_host.map(Decimal::from), None);
    push("escalation_per_year", costs.escalation_per_year, zero);
    push("hardware_per_host", costs.hardware_per_host, None);
    let life = Some(Decimal::from(opex::HARDWARE_LIFE_YEARS));
    let hardware = costs.hardware_per_host.is_some();
    push(
        "hardware_life_years",
        costs.hardware_life_years.map(Decimal::from),
        life.filter(|_| hardware),
    );
    let power = costs.watts_per_host.is_some();
    push("watts_per_host", costs.watts_per_host, None);
    push("pue", costs.pue, Some(Decimal::ONE).filter(|_| power));
    push("kwh_price", costs.kwh_price, None);
    let hours = Some(Decimal::from(opex::HOURS_PER_YEAR));
    push(
        "hours_per_year",
        costs.hours_per_year,
        hours.filter(|_| power),
    );
    push(
        "facilities_per_host_year",
        costs.facilities_per_host_year,
        None,
    );
    push("admin_per_host_year", costs.admin_per_host_year, None);
    for (vendor, d) in &costs.vendor_discount {
        push(&format!("vendor_discount.{vendor}"), Some(*d), None);
    }
    for (currency, rate) in &costs.fx {
        push(&format!("fx.{currency}"), Some(*rate), None);
    }
    Inputs {
        clusters,
        costs: out,
    }
}

//! The cluster as it is each year of the horizon: VMs grow by the estate's yearly rate, and
//! hosts are added when VMs exceed the stated density (hosts × `vms_per_host`).

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::estate::{Cluster, Estate};

/// One cluster shape per year (index 0 = year 1). Without growth every year is the cluster.
pub(crate) fn shapes(estate: &Estate, cl: &Cluster) -> Vec<Cluster> {
    let growth = estate
        .costs
        .as_ref()
        .and_then(|c| c.vm_growth_per_year)
        .unwrap_or_default();
    let density = estate.costs.as_ref().and_then(|c| c.vms_per_host);
    let mut out = Vec::with_capacity(estate.years as usize);
    let mut factor = Decimal::ONE;
    for year in 1..=estate.years {
        let mut shape = cl.clone();
        if year > 1 {
            factor *= Decimal::ONE + growth;
        }
        if growth > Decimal::ZERO {
            let grow = |n: u32| {
                (Decimal::from(n) * factor)
                    .ceil()
                    .to_u32()
                    .unwrap_or(u32::MAX)
            };
            shape.vms = cl.vms.map(grow);
            shape.windows_vms = cl.windows_vms.map(grow);
        }
        if let (Some(per_host), Some(vms)) = (density, shape.vms) {
            let needed = vms.div_ceil(per_host.max(1));
            shape.hosts = shape.hosts.max(needed);
        }
        out.push(shape);
    }
    out
}

//! The estate's numbers the engine used, for the quote's `inputs`.

use rust_decimal::Decimal;

use crate::estate::{CostField, Costs, Estate, InputTable, Origin};
use crate::quote::{ClusterInputs, CostInput, Inputs};

/// The estate's numbers the engine uses, for [`crate::quote::Quote::inputs`]: clusters as given, and every
/// cost input with the value used (defaults where the engine assumes one, as in
/// [`super::finance::assumptions`]).
pub(super) fn inputs(estate: &Estate) -> Inputs {
    let none = Costs::default();
    let costs = estate.costs.as_ref().unwrap_or(&none);
    let declared = CostField::ALL.iter().filter_map(|f| {
        let (value, origin) = costs.used(*f)?;
        Some(CostInput {
            name: text!("costs.{}", f.key()),
            value,
            origin: origin.name().to_owned(),
        })
    });
    let keyed = |kind: &str, map: &std::collections::BTreeMap<String, Decimal>| {
        map.iter()
            .map(|(k, v)| CostInput {
                name: text!("costs.{kind}.{k}"),
                value: *v,
                origin: Origin::Estate.name().to_owned(),
            })
            .collect::<Vec<_>>()
    };
    let mut out: Vec<CostInput> = declared.collect();
    out.extend(keyed("vendor_discount", &costs.vendor_discount));
    out.extend(keyed("fx", &costs.fx));
    Inputs {
        clusters: estate.clusters.iter().map(ClusterInputs::of).collect(),
        costs: out,
    }
}

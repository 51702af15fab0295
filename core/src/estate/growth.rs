//! The cluster as it is each year of the horizon: VMs grow by the estate's yearly rate, and
//! hosts are added when VMs exceed the stated density (hosts × `vms_per_host`).
//!
//! The reader refuses an estate whose grown counts leave the ranges the declaration allows
//! (`vm_growth_per_year` 10 over 30 years would mean 10^31 VMs), and `Field::set` refuses a
//! what-if that would: a count is never clamped, so a quote never prices a number the estate
//! could not have stated. The engine prices the same shapes.

use std::borrow::Cow;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::{Cluster, ClusterField, CostField, Estate};
use crate::diag::Diagnostic;
use crate::money::{grouped_int, plain_text};

/// A count that grew past its declared range: which cluster, which count, which year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Outgrown {
    /// The `[costs]` input that made it grow (`vm_growth_per_year` or `vms_per_host`).
    pub(crate) cause: CostField,
    /// The diagnostic text, naming the input, the cluster, the count and the year.
    pub(crate) message: String,
    /// What would be valid.
    pub(crate) help: String,
}

impl Outgrown {
    /// As an input diagnostic (no file place): the reader places it itself.
    pub(crate) fn diagnostic(&self) -> Diagnostic {
        Diagnostic::input(
            format!("costs.{}", self.cause.key()),
            self.message.clone(),
            Some(self.help.clone()),
        )
    }
}

impl Estate {
    /// One shape of `cl` per year (index 0 = year 1); without growth every year is the
    /// cluster itself, borrowed (a copy per cluster-year, names and needs included, was a
    /// large estate's biggest use of memory). `Err` names the first count that leaves its
    /// declared range.
    pub(crate) fn shapes<'c>(&self, cl: &'c Cluster) -> Result<Vec<Cow<'c, Cluster>>, Outgrown> {
        let costs = self.costs.as_ref();
        let growth = costs.and_then(|c| c.vm_growth_per_year).unwrap_or_default();
        let density = costs.and_then(|c| c.vms_per_host);
        let mut out = Vec::with_capacity(usize::try_from(self.years).unwrap_or_default());
        // (1 + growth)^(year − 1), multiplied year by year (the engine's figures rest on this
        // exact sequence). `None` once it is beyond any Decimal: by then every count above 0
        // has already outgrown its range (the factor passed 100,000,000 years before).
        let mut factor = Some(Decimal::ONE);
        for year in 1..=self.years {
            if growth.is_zero() && density.is_none() {
                out.push(Cow::Borrowed(cl));
                continue;
            }
            let mut shape = cl.clone();
            if year > 1 {
                factor = factor.and_then(|f| f.checked_mul(Decimal::ONE + growth));
            }
            if growth > Decimal::ZERO {
                shape.vms = cl.vms.map(|n| self.grow(cl, n, factor, year)).transpose()?;
                shape.windows_vms = cl
                    .windows_vms
                    .map(|n| self.grow(cl, n, factor, year))
                    .transpose()?;
            }
            if let (Some(per_host), Some(vms)) = (density, shape.vms) {
                let needed = vms.div_ceil(per_host.max(1));
                let hosts = ClusterField::Hosts.bounds();
                if !hosts.contains(Decimal::from(needed)) {
                    return Err(Outgrown {
                        cause: CostField::VmsPerHost,
                        message: format!(
                            "cluster `{}`: {} VMs at vms_per_host {per_host} need {} hosts in year {year}{} — more than the {} the estate allows",
                            cl.name,
                            grouped_int(u64::from(vms)),
                            grouped_int(u64::from(needed)),
                            self.growth_words(growth),
                            high_text(hosts.high),
                        ),
                        help: "raise vms_per_host, or lower vm_growth_per_year or years".into(),
                    });
                }
                shape.hosts = shape.hosts.max(needed);
            }
            out.push(if shape == *cl {
                Cow::Borrowed(cl)
            } else {
                Cow::Owned(shape)
            });
        }
        Ok(out)
    }

    /// `n` VMs grown by `factor`, rounded up, when within the declared range of VMs.
    fn grow(
        &self,
        cl: &Cluster,
        n: u32,
        factor: Option<Decimal>,
        year: u32,
    ) -> Result<u32, Outgrown> {
        if n == 0 {
            return Ok(0);
        }
        let bounds = ClusterField::Vms.bounds();
        let grown = factor
            .and_then(|f| Decimal::from(n).checked_mul(f))
            .map(|v| v.ceil());
        if let Some(v) = grown.filter(|v| bounds.contains(*v))
            && let Some(v) = v.to_u32()
        {
            return Ok(v);
        }
        let growth = self
            .costs
            .as_ref()
            .and_then(|c| c.vm_growth_per_year)
            .unwrap_or_default();
        let count = grown.map_or_else(
            || "more VMs than can be counted".to_owned(),
            |v| format!("{} VMs", grouped_int(v.to_u64().unwrap_or(u64::MAX))),
        );
        Err(Outgrown {
            cause: CostField::VmGrowthPerYear,
            message: format!(
                "cluster `{}`: vm_growth_per_year {} over {} years gives {count} in year {year} — more than the {} the estate allows",
                cl.name,
                plain_text(growth),
                self.years,
                high_text(bounds.high),
            ),
            help: "lower vm_growth_per_year or years (the count of VMs in every year must stay within the VMs a cluster may state)".into(),
        })
    }

    /// " (vm_growth_per_year 0.5 over 10 years)" when VMs grow, else nothing.
    fn growth_words(&self, growth: Decimal) -> String {
        if growth > Decimal::ZERO {
            format!(
                " (vm_growth_per_year {} over {} years)",
                plain_text(growth),
                self.years
            )
        } else {
            String::new()
        }
    }

    /// Checks that every cluster's counts stay within their declared ranges in every year of
    /// the horizon (see [`Estate::shapes`]); the reader and `Field::set` call it.
    pub(crate) fn check_growth(&self) -> Result<(), Outgrown> {
        self.clusters
            .iter()
            .try_for_each(|cl| self.shapes(cl).map(|_| ()))
    }
}

/// The upper end of a range in words, grouped ("100,000,000").
fn high_text(high: Option<Decimal>) -> String {
    high.map_or_else(
        || "most".to_owned(),
        |h| grouped_int(h.to_u64().unwrap_or(u64::MAX)),
    )
}

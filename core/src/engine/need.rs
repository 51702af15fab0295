//! Units an item needs on a cluster each year, with each year's rule and, where the rule is
//! a formula of the cluster's inputs, that formula (year 1 always; every year without growth).

use std::borrow::Cow;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::estate::{Cluster, ClusterField, CostField, Estate};
use crate::pricebook::{Item, Pricebook};
use crate::quote::{Expr, Input};

use super::{Pricer, ShapeExpr, licence, rules};

impl<'a> Pricer<'a> {
    /// Units of an item a cluster needs each year (its shape grows), with each year's rule;
    /// year 1's compliance problems are reported. `guests` counts the Windows VMs only.
    pub(super) fn need(
        &mut self,
        ci: usize,
        book: &'a Pricebook,
        item: &'a Item,
        guests: bool,
    ) -> Need {
        let active = self.rules(book, &item.id);
        let eff = rules::effective(item, &active);
        let all: &'a [Vec<Cow<'a, Cluster>>] = self.shapes;
        let shapes = &all[ci];
        let mut need = Need {
            units: Vec::with_capacity(shapes.len()),
            rules: Vec::with_capacity(shapes.len()),
            exprs: Vec::with_capacity(shapes.len()),
        };
        // Every year with a formula has the same shape formula (see `shape_exprs`): build once
        // (`None` inside: the metric's count is no formula).
        let mut formula: Option<Option<Arc<Expr>>> = None;
        for (y, year_shape) in shapes.iter().enumerate() {
            let expr = self.shape_exprs[ci][y].as_ref().and_then(|at| {
                formula
                    .get_or_insert_with(|| {
                        let mut at = at.clone();
                        if guests {
                            at.vms = at.windows_vms.clone();
                        }
                        licence::units_expr(&eff, &at).map(Arc::new)
                    })
                    .clone()
            });
            need.exprs.push(expr);
            // Without growth every year is the same cluster: count it once.
            if y > 0 && same_shape(year_shape, &shapes[y - 1]) {
                need.units.push(need.units[y - 1]);
                need.rules.push(need.rules[y - 1].clone());
                continue;
            }
            // Guest licences count the Windows VMs: a copy with those as its VMs; otherwise
            // the year's shape as it is (a copy per cluster-year was a tenth of `need`).
            let shape = if guests {
                let mut copy = Cluster::clone(year_shape);
                // The Windows VMs' share of the vCPUs, rounded up: the estate gives a total.
                copy.vcpus = match (copy.vcpus, copy.vms, copy.windows_vms) {
                    (Some(v), Some(n), Some(w)) if n > 0 => {
                        u32::try_from((u64::from(v) * u64::from(w)).div_ceil(u64::from(n))).ok()
                    }
                    _ => None,
                };
                copy.vms = copy.windows_vms;
                Cow::Owned(copy)
            } else {
                Cow::Borrowed(&**year_shape)
            };
            let c = licence::count_units(&eff, &shape);
            if y == 0 {
                for (code, msg) in c.problems {
                    self.problem(Some(&shape.name), code, msg);
                }
            }
            let rule = if guests {
                text!(
                    "guest OS for {} Windows VMs: {}",
                    shape.vms.unwrap_or(0),
                    c.rule
                )
            } else {
                c.rule
            };
            need.units.push(c.units);
            need.rules.push(rule);
        }
        need
    }
}

/// A cluster's numbers each year as formulas of its inputs, where they are formulas: year 1
/// always (hosts rise to `ceil(vms / vms_per_host)` when the estate states a density), and
/// every year when VMs do not grow. Growth years are `None`: the engine rounds each year's
/// VMs up, which a spreadsheet would redo in floating point.
pub(super) fn shape_exprs(estate: &Estate, ci: usize, cl: &Cluster) -> Vec<Option<ShapeExpr>> {
    let costs = estate.costs.as_ref();
    let grows = costs
        .and_then(|c| c.vm_growth_per_year)
        .is_some_and(|g| g > Decimal::ZERO);
    let input = |field| Expr::input(Input::cluster(ci, field));
    let or_zero = |given: bool, f: ClusterField| if given { input(f) } else { Expr::num(0) };
    let mut hosts = input(ClusterField::Hosts);
    if costs.and_then(|c| c.vms_per_host).is_some() && cl.vms.is_some() {
        let density = Expr::input(Input::Cost(CostField::VmsPerHost));
        hosts = Expr::max(hosts, Expr::ceil_div(input(ClusterField::Vms), density));
    }
    let shape = ShapeExpr {
        hosts,
        sockets: input(ClusterField::SocketsPerHost),
        cores: input(ClusterField::CoresPerSocket),
        vms: or_zero(cl.vms.is_some(), ClusterField::Vms),
        windows_vms: or_zero(cl.windows_vms.is_some(), ClusterField::WindowsVms),
    };
    (0..estate.years)
        .map(|y| (y == 0 || !grows).then(|| shape.clone()))
        .collect()
}

/// True when two years of a cluster count the same: nothing that counts units differs.
pub(super) fn same_shape(a: &Cluster, b: &Cluster) -> bool {
    a.hosts == b.hosts
        && a.sockets_per_host == b.sockets_per_host
        && a.cores_per_socket == b.cores_per_socket
        && a.vms == b.vms
        && a.windows_vms == b.windows_vms
        && a.ram_gb_per_host == b.ram_gb_per_host
        && a.vm_ram_gb == b.vm_ram_gb
}

/// Units of an item needed each year, with each year's rule and, where the rule is a formula
/// of the cluster's inputs, that formula.
pub(super) struct Need {
    pub(super) units: Vec<u64>,
    pub(super) rules: Vec<String>,
    pub(super) exprs: Vec<Option<Arc<Expr>>>,
}

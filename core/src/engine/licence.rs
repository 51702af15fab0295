//! Metric → licence units and the rule that explains them.
//!
//! One function per question a buyer asks: how many units does this cluster need under this
//! metric, and why? The rule is written so the number can be redone by hand.

use crate::estate::Cluster;
use crate::pricebook::{AboveCap, Item, Metric, Plural, VmRights};
use crate::quote::{Expr, ProblemCode};

/// Units an item needs on one cluster, with its rule and any compliance problems.
pub(crate) struct Count {
    pub(crate) units: u64,
    pub(crate) rule: String,
    pub(crate) problems: Vec<(ProblemCode, String)>,
}

fn ceil_div(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { a.div_ceil(b) }
}

fn plural(n: u64, word: &str) -> Plural<'_> {
    Plural(n, word)
}

/// Licences per CPU under a core cap, with the factor's words.
fn per_cpu(
    cores: u64,
    cap: Option<u32>,
    above: AboveCap,
    name: &str,
    problems: &mut Vec<(ProblemCode, String)>,
) -> (u64, String) {
    match cap {
        Some(cap) if cores > u64::from(cap) => match above {
            AboveCap::Stack => {
                let n = ceil_div(cores, u64::from(cap));
                (n, text!(" × ceil({cores} cores / {cap}-core cap)"))
            }
            AboveCap::Forbidden => {
                problems.push((
                    ProblemCode::CoreCap,
                    text!("{name} allows at most {cap} cores per CPU; these CPUs have {cores}"),
                ));
                (1, text!(" (over the {cap}-core cap)"))
            }
        },
        Some(cap) => (1, text!(" ({cores} cores within the {cap}-core cap)")),
        None => (1, String::new()),
    }
}

/// Units of `item` one cluster needs.
pub(crate) fn count_units(item: &Item, cl: &Cluster) -> Count {
    let hosts = u64::from(cl.hosts);
    let sockets = u64::from(cl.sockets_per_host);
    let cores = u64::from(cl.cores_per_socket);
    let mut problems = Vec::new();
    let (per_host, mut rule) = match &item.metric {
        Metric::PerSocket {
            core_cap,
            above_cap,
        } => {
            let (n, why) = per_cpu(cores, *core_cap, *above_cap, &item.name, &mut problems);
            (
                sockets * n,
                text!(
                    "{} × {}{why}",
                    plural(hosts, "host"),
                    plural(sockets, "socket")
                ),
            )
        }
        Metric::PerCore {
            min_per_cpu,
            min_per_host,
            pack,
            ..
        } => {
            let cpu = cores.max(min_per_cpu.map_or(0, u64::from));
            let mut host = sockets * cpu;
            let mut why = match min_per_cpu {
                Some(m) if u64::from(*m) > cores => text!(
                    "{} × {m}-core minimum per CPU ({cores} cores)",
                    plural(sockets, "socket")
                ),
                _ => text!("{} × {cores} cores", plural(sockets, "socket")),
            };
            if let Some(m) = min_per_host
                && u64::from(*m) > host
            {
                why = text!("{m}-core minimum per host (not {why})");
                host = u64::from(*m);
            }
            if let Some(p) = pack {
                let packed = ceil_div(host, u64::from(*p)) * u64::from(*p);
                if packed != host {
                    why = text!("{why}, rounded up to {p}-core packs");
                    host = packed;
                }
            }
            (host, text!("{} × ({why})", plural(hosts, "host")))
        }
        Metric::PerServer { max_sockets } => {
            if let Some(max) = max_sockets
                && sockets > u64::from(*max)
            {
                problems.push((
                    ProblemCode::SocketLimit,
                    text!(
                        "{} allows at most {max} sockets per server; these hosts have {sockets}",
                        item.name
                    ),
                ));
            }
            (1, text!("{} × 1 server licence", plural(hosts, "host")))
        }
        Metric::PerProcessors {
            processors,
            max_cores,
        } => {
            let n = ceil_div(sockets, u64::from(*processors));
            let by_sockets = text!(
                "ceil({} / {processors} per licence)",
                plural(sockets, "socket")
            );
            match max_cores {
                Some(m) if ceil_div(sockets * cores, u64::from(*m)) > n => {
                    let stacked = ceil_div(sockets * cores, u64::from(*m));
                    (
                        stacked,
                        text!(
                            "{} × ceil({} × {cores} cores / {m} cores per licence) (more than {by_sockets})",
                            plural(hosts, "host"),
                            plural(sockets, "socket")
                        ),
                    )
                }
                Some(m) => (
                    n,
                    text!(
                        "{} × {by_sockets} ({} cores within {m} per licence)",
                        plural(hosts, "host"),
                        sockets * cores
                    ),
                ),
                None => (n, text!("{} × {by_sockets}", plural(hosts, "host"))),
            }
        }
        Metric::PerVm => {
            let vms = u64::from(cl.vms.unwrap_or(0));
            return Count {
                units: vms,
                rule: text!("{} = {}", plural(vms, "VM"), item.metric.units(vms)),
                problems,
            };
        }
        Metric::Kit {
            max_hosts,
            max_sockets_per_host,
            core_cap,
            above_cap,
        } => {
            let (n, why) = per_cpu(cores, *core_cap, *above_cap, &item.name, &mut problems);
            if hosts > u64::from(*max_hosts) {
                problems.push((
                    ProblemCode::KitLimit,
                    text!("{}: {hosts} hosts > kit limit {max_hosts}", item.name),
                ));
            }
            if sockets * n > u64::from(*max_sockets_per_host) {
                problems.push((ProblemCode::KitLimit, text!("{}: each host needs {} CPU licences ({} × {n}), the kit covers {max_sockets_per_host} per host", item.name, sockets * n, plural(sockets, "socket"))));
            }
            let rule = text!(
                "1 kit per cluster (covers up to {} × {max_sockets_per_host} CPUs): {} × {}{why}",
                plural(u64::from(*max_hosts), "host"),
                plural(hosts, "host"),
                plural(sockets, "socket")
            );
            return Count {
                units: 1,
                rule,
                problems,
            };
        }
        Metric::PerVmCores { min_per_vm, .. } => {
            let vms = u64::from(cl.vms.unwrap_or(0));
            let floor = vms * u64::from(*min_per_vm);
            let units = match cl.vcpus.map(u64::from) {
                Some(v) if v > floor => v,
                _ => floor,
            };
            let why = match cl.vcpus {
                Some(v) => text!(
                    "max({} × {min_per_vm}-core minimum = {floor}, {v} vCPUs); exact when no VM is below the minimum while another is above it, else a lower bound",
                    plural(vms, "VM")
                ),
                None => text!(
                    "{} × {min_per_vm}-core minimum (no vcpus given: each VM at the minimum, a lower bound)",
                    plural(vms, "VM")
                ),
            };
            return Count {
                units,
                rule: text!("{why} = {}", item.metric.units(units)),
                problems,
            };
        }
        Metric::PerTib => {
            let tib =
                rust_decimal::prelude::ToPrimitive::to_u64(&cl.vsan_tib.unwrap_or_default().ceil())
                    .unwrap_or(0);
            return Count {
                units: tib,
                rule: text!("vSAN capacity rounded up = {}", item.metric.units(tib)),
                problems,
            };
        }
        // Bought once per scenario (`minimums.rs`, `instances`), never per cluster.
        Metric::PerInstance | Metric::PerUser | Metric::PerDevice => {
            return Count {
                units: 1,
                rule: text!("1 instance for the scenario = {}", item.metric.units(1)),
                problems,
            };
        }
        Metric::Free => {
            return Count {
                units: hosts,
                rule: text!("free: {}, no licence fee", plural(hosts, "host")),
                problems,
            };
        }
    };
    let mut units = hosts * per_host;
    if let Some(rights) = &item.vm_rights {
        match rights {
            VmRights::PerLicence { vms: per, .. } => {
                let vms = u64::from(cl.vms.unwrap_or(0));
                let per_host_vms = ceil_div(vms, hosts);
                let licensings = ceil_div(per_host_vms, u64::from(*per)).max(1);
                if licensings > 1 {
                    rule = text!(
                        "{rule} × {licensings} licensings per host (ceil({per_host_vms} VMs per host / {per} per licensing))"
                    );
                    units *= licensings;
                } else {
                    rule = text!("{rule} (covers {per_host_vms} of {per} VMs per host)");
                }
            }
            VmRights::Unlimited { .. } => rule = text!("{rule} (unlimited VMs)"),
        }
    }
    Count {
        units,
        rule: text!("{rule} = {}", item.metric.units(units)),
        problems,
    }
}

/// A cluster's numbers in one year as formulas of its estate inputs (see [`Expr`]).
#[derive(Clone, Debug)]
pub(crate) struct ShapeExpr {
    pub(crate) hosts: Expr,
    pub(crate) sockets: Expr,
    pub(crate) cores: Expr,
    /// The VMs the metric counts (the Windows VMs for guest OS licences).
    pub(crate) vms: Expr,
    pub(crate) windows_vms: Expr,
}

/// Licences per CPU under a core cap, as a formula: the same cases as [`per_cpu`].
fn per_cpu_expr(cap: Option<u32>, above: AboveCap, cores: &Expr) -> Expr {
    match (cap, above) {
        (Some(cap), AboveCap::Stack) => Expr::ceil_div(cores.clone(), Expr::num(cap)),
        _ => Expr::num(1),
    }
}

/// The units of [`count_units`] as a formula of the shape's inputs: it mirrors each metric
/// (floors as `max`, caps and packs as `ceil`), so evaluating it gives the same units.
pub(crate) fn units_expr(item: &Item, at: &ShapeExpr) -> Option<Expr> {
    let per_host = match &item.metric {
        Metric::PerSocket {
            core_cap,
            above_cap,
        } => Expr::times(
            at.sockets.clone(),
            per_cpu_expr(*core_cap, *above_cap, &at.cores),
        ),
        Metric::PerCore {
            min_per_cpu,
            min_per_host,
            pack,
            ..
        } => {
            let cpu = match min_per_cpu {
                Some(m) => Expr::max(at.cores.clone(), Expr::num(*m)),
                None => at.cores.clone(),
            };
            let mut host = Expr::times(at.sockets.clone(), cpu);
            if let Some(m) = min_per_host {
                host = Expr::max(host, Expr::num(*m));
            }
            if let Some(p) = pack {
                let p = Expr::num(*p);
                host = Expr::times(Expr::ceil_div(host, p.clone()), p);
            }
            host
        }
        Metric::PerServer { .. } => Expr::num(1),
        Metric::PerProcessors {
            processors,
            max_cores,
        } => {
            let by_sockets = Expr::ceil_div(at.sockets.clone(), Expr::num(*processors));
            match max_cores {
                Some(m) => Expr::max(
                    by_sockets,
                    Expr::ceil_div(
                        Expr::times(at.sockets.clone(), at.cores.clone()),
                        Expr::num(*m),
                    ),
                ),
                None => by_sockets,
            }
        }
        Metric::PerVm => return Some(at.vms.clone()),
        Metric::PerInstance | Metric::PerUser | Metric::PerDevice => return Some(Expr::num(1)),
        // No formula: a decimal rounded up by the engine, and a maximum over VMs the estate
        // does not list one by one.
        Metric::PerTib | Metric::PerVmCores { .. } => return None,
        Metric::Kit { .. } => return Some(Expr::num(1)),
        Metric::Free => return Some(at.hosts.clone()),
    };
    let units = Expr::times(at.hosts.clone(), per_host);
    match &item.vm_rights {
        Some(VmRights::PerLicence { vms: per, .. }) => {
            let per_host_vms = Expr::ceil_div(at.vms.clone(), at.hosts.clone());
            let licensings = Expr::max(Expr::ceil_div(per_host_vms, Expr::num(*per)), Expr::num(1));
            Some(Expr::times(units, licensings))
        }
        _ => Some(units),
    }
}

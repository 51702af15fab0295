//! `reshape`: for each cluster's workload and each candidate edition, the host shapes of a
//! hardware catalogue that cost least over the horizon, every one priced by the engine.
//!
//! A shape is a catalogue server × CPU × RAM size (sizes above the server's `max_ram_gb` are
//! not built). Its hosts are the sizing rule's (`[sizing]`, `estate.rs`):
//! max(⌈vcpus ÷ (vcpu_per_core × sockets × cores)⌉, ⌈vms × vm_ram_gb × (1 + ram_headroom) ÷
//! ram_gb⌉) + spare_hosts, refused above `max_hosts_per_cluster`. Hardware per host = base
//! price + sockets × CPU price + RAM × price per GB; watts per host = server watts + sockets ×
//! CPU watts. Each option is a quote of the cluster alone on those hosts (the estate's other
//! `[costs]`, dates, region and contracts on it), with the edition's plan as the estate's
//! scenarios give it, else a bare one; the cluster as it is, priced the same way, is the
//! baseline. Only compliant quotes are options.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::diag::Diagnostics;
use crate::estate::{
    ClusterField, CostField, Costs, Estate, InputTable, Plan, Scenario, Shape, ShapeField,
    SizingField,
};
use crate::hardware::{Catalogue, Cpu, Server};
use crate::ids::ItemRef;
use crate::money::{plain_text, ser};
use crate::pricebook::PricebookSet;
use crate::quote::{LineKind, ScenarioQuote};

/// Shapes of one catalogue at most: each is a quote per cluster and edition, so a catalogue
/// past this would take minutes (a 200-shape one prices 100 clusters × 6 editions in about a
/// second); it is refused, saying how many it has.
pub const MAX_SHAPES: usize = 20_000;

/// The cheapest shapes kept per cluster and edition unless asked (`--top`, the page).
pub const DEFAULT_TOP: u16 = 3;

/// What to reshape for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Editions to price besides those the estate's scenarios use.
    pub editions: Vec<ItemRef>,
    /// The cheapest shapes kept per cluster and edition (at least 1).
    pub top: usize,
}

/// Every cluster's cheapest shapes per edition.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reshape {
    /// Result format version.
    pub format: u32,
    /// `reshape`.
    pub command: &'static str,
    /// The engine that priced it.
    pub engine: String,
    /// The estate's name.
    pub estate: String,
    /// Every amount's currency.
    pub currency: String,
    /// The hardware catalogue's id.
    pub catalogue: String,
    /// The sizing values used, each with where it came from.
    pub sizing: Vec<SizingUsed>,
    /// Per cluster.
    pub clusters: Vec<ClusterShapes>,
    /// What every reader should know.
    pub notes: Vec<String>,
    /// The estate with, after its own scenarios, one per edition, each cluster on its
    /// cheapest shape.
    #[serde(skip)]
    pub estate_with_shapes: Option<Estate>,
}

/// One sizing value as used.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SizingUsed {
    /// The `[sizing]` key.
    pub key: &'static str,
    /// The value.
    #[serde(serialize_with = "ser::plain")]
    pub value: Decimal,
    /// `estate` or `default`.
    pub origin: &'static str,
}

/// One cluster's workload and its options.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClusterShapes {
    /// The cluster.
    pub cluster: String,
    /// Its VMs.
    pub vms: u32,
    /// Their vCPUs.
    pub vcpus: u32,
    /// RAM per VM, GB.
    #[serde(serialize_with = "ser::plain")]
    pub vm_ram_gb: Decimal,
    /// The cluster on the hosts it has, per edition (at the estate's hardware price).
    pub baseline: Vec<ShapeOption>,
    /// The cheapest shapes, at most `top` per edition, sorted by total.
    pub options: Vec<ShapeOption>,
    /// Per edition, the cheapest total at each CPU core count of the catalogue (a shape of
    /// that CPU complying): where one licensing regime overtakes another.
    pub crossover: Vec<Crossover>,
}

impl ClusterShapes {
    /// Every core count some edition of the crossover has a point at, ascending: the chart's
    /// x axis, its figures table and the workbook's rows.
    pub fn core_counts(&self) -> Vec<u32> {
        let mut counts: Vec<u32> = self
            .crossover
            .iter()
            .flat_map(|e| e.points.iter().map(|p| p.cores_per_socket))
            .collect();
        counts.sort_unstable();
        counts.dedup();
        counts
    }
}

/// One edition's line of the crossover chart.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Crossover {
    /// The edition.
    pub edition: String,
    /// By cores per CPU, ascending.
    pub points: Vec<CrossoverPoint>,
}

/// The cheapest total with CPUs of some core count.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrossoverPoint {
    /// Cores per CPU.
    pub cores_per_socket: u32,
    /// The cheapest total of the shapes with such CPUs.
    #[serde(serialize_with = "ser::money")]
    pub total: Decimal,
}

/// One edition on one host shape.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShapeOption {
    /// The edition, `pricebook/edition`.
    pub edition: String,
    /// The catalogue's server id (`current` for the baseline).
    pub server: String,
    /// The catalogue's CPU id (`current` for the baseline).
    pub cpu: String,
    /// Hosts, spares included.
    pub hosts: u32,
    /// CPUs per host.
    pub sockets_per_host: u32,
    /// Cores per CPU.
    pub cores_per_socket: u32,
    /// RAM per host, GB (none for a baseline that states none).
    pub ram_gb_per_host: Option<u32>,
    /// Hardware per host (none for a baseline without `[costs] hardware_per_host`).
    #[serde(serialize_with = "ser::opt_money")]
    pub hardware_per_host: Option<Decimal>,
    /// Total over the horizon.
    #[serde(serialize_with = "ser::money")]
    pub total: Decimal,
    /// Net present value.
    #[serde(serialize_with = "ser::money")]
    pub npv: Decimal,
    /// Of the total: licences, subscriptions and support.
    #[serde(serialize_with = "ser::money")]
    pub software: Decimal,
    /// Of the total: host hardware.
    #[serde(serialize_with = "ser::money")]
    pub hardware: Decimal,
    /// Why it costs what it costs, in words: the hosts the sizing rule gives and how the
    /// edition counts them.
    pub why: String,
}

/// Finds each cluster's cheapest shapes per edition.
pub fn reshape(
    estate: &Estate,
    books: &PricebookSet,
    catalogue: &Catalogue,
    options: &Options,
) -> Result<Reshape, Diagnostics> {
    if catalogue.currency != estate.currency {
        return Err(Diagnostics::input(
            "hardware",
            format!(
                "catalogue `{}` prices in {}, the estate in {}",
                catalogue.id, catalogue.currency, estate.currency
            ),
            Some(format!(
                "give a catalogue in {} with --hardware FILE",
                estate.currency
            )),
        ));
    }
    let shapes: usize = catalogue
        .servers
        .iter()
        .map(|s| {
            catalogue.cpus.len()
                * catalogue
                    .ram
                    .sizes_gb
                    .iter()
                    .filter(|r| **r <= s.max_ram_gb)
                    .count()
        })
        .sum();
    if shapes > MAX_SHAPES {
        return Err(Diagnostics::input(
            "hardware",
            format!(
                "catalogue `{}` makes {shapes} shapes (servers × CPUs × the RAM sizes each holds); reshape prices at most {MAX_SHAPES}",
                catalogue.id
            ),
            Some("keep the CPUs, servers and RAM sizes you would buy".into()),
        ));
    }
    let mut editions: Vec<ItemRef> = Vec::new();
    for s in &estate.scenarios {
        for p in &s.plans {
            if !editions.contains(&p.edition) {
                editions.push(p.edition.clone());
            }
        }
    }
    for e in &options.editions {
        if books.item(e).is_none() {
            return Err(Diagnostics::input(
                "edition",
                format!("no edition `{e}` in the pricebooks"),
                Some(
                    "`hypercost pricebook list` and `pricebook show ID` name every edition".into(),
                ),
            ));
        }
        if !editions.contains(e) {
            editions.push(e.clone());
        }
    }
    if editions.is_empty() {
        return Err(Diagnostics::input(
            "edition",
            "the estate has no scenario and no --edition was given: nothing to price".to_owned(),
            Some(
                "give --edition pricebook/edition (`hypercost pricebook list` names every book)"
                    .into(),
            ),
        ));
    }
    let sizing = estate.sizing.clone().unwrap_or_default();
    let used = |f: SizingField| sizing.used(f).map(|(v, _)| v).unwrap_or_default();
    let rule = Rule {
        vcpu_per_core: used(SizingField::VcpuPerCore),
        headroom: used(SizingField::RamHeadroom),
        spare: used(SizingField::SpareHosts),
        max_hosts: sizing.max_hosts_per_cluster,
    };
    let top = options.top.max(1);
    let mut clusters = Vec::new();
    let mut skipped = 0usize;
    let (mut priced, mut no_fewer) = (0usize, 0usize);
    for (ci, cl) in estate.clusters.iter().enumerate() {
        let work = workload(estate, ci)?;
        let mut alone = alone(estate, ci);
        let mut baseline = Vec::new();
        let mut all = Vec::new();
        let mut best = Vec::new();
        let mut crossover = Vec::new();
        for edition in &editions {
            let plan = plan_for(estate, ci, edition);
            alone.scenarios = vec![Scenario {
                name: edition.to_string(),
                plans: vec![plan],
                purchase_date: None,
                rule_switches: Vec::new(),
            }];
            let as_is = price(&alone, books);
            if as_is.compliant {
                baseline.push(option(
                    edition,
                    "current",
                    "current",
                    cl,
                    estate.costs.as_ref().and_then(|c| c.hardware_per_host),
                    &as_is,
                    "the hosts the cluster has".to_owned(),
                ));
            }
            let mut mine = Vec::new();
            for server in &catalogue.servers {
                for cpu in &catalogue.cpus {
                    // More RAM on the same number of hosts only costs more: licences and
                    // power do not count host RAM, so of the sizes giving one host count
                    // the smallest is the only one worth pricing.
                    let mut last_hosts = None;
                    for &ram in catalogue
                        .ram
                        .sizes_gb
                        .iter()
                        .filter(|r| **r <= server.max_ram_gb)
                    {
                        let Some((hosts, sized)) = rule.hosts(&work, server, cpu, ram) else {
                            skipped += 1;
                            continue;
                        };
                        if last_hosts.replace(hosts) == Some(hosts) {
                            no_fewer += 1;
                            continue;
                        }
                        priced += 1;
                        let hw = server.base_price
                            + Decimal::from(server.sockets) * cpu.price
                            + Decimal::from(ram) * catalogue.ram.price_per_gb;
                        let watts = Decimal::from(server.watts)
                            + Decimal::from(server.sockets) * Decimal::from(cpu.watts);
                        let shape = shape_of(hosts, server, cpu, ram, hw, watts);
                        let c = &mut alone.clusters[0];
                        shape.apply_cluster(c);
                        let costs = alone.costs.get_or_insert_with(Costs::default);
                        shape.apply_costs(costs);
                        let q = price(&alone, books);
                        if !q.compliant {
                            continue;
                        }
                        let priced = &alone.clusters[0];
                        mine.push((
                            option(edition, &server.id, &cpu.id, priced, Some(hw), &q, sized),
                            shape,
                        ));
                    }
                }
            }
            // The cluster as it is again, for the next edition.
            alone.clusters[0] = cl.clone();
            alone.costs = estate.costs.clone();
            mine.sort_by(|a, b| order(&a.0, &b.0));
            let mut points: Vec<CrossoverPoint> = Vec::new();
            // Cheapest first, so the first seen of each core count is its minimum.
            for (o, _) in &mine {
                if !points
                    .iter()
                    .any(|p| p.cores_per_socket == o.cores_per_socket)
                {
                    points.push(CrossoverPoint {
                        cores_per_socket: o.cores_per_socket,
                        total: o.total,
                    });
                }
            }
            points.sort_by_key(|p| p.cores_per_socket);
            crossover.push(Crossover {
                edition: edition.to_string(),
                points,
            });
            best.push(mine.first().cloned());
            all.extend(mine.into_iter().take(top).map(|(o, _)| o));
        }
        all.sort_by(order);
        clusters.push((
            ClusterShapes {
                cluster: cl.name.clone(),
                vms: work.vms,
                vcpus: work.vcpus,
                vm_ram_gb: work.vm_ram_gb,
                baseline,
                options: all,
                crossover,
            },
            best.into_iter()
                .map(|b| b.map(|(_, s)| s))
                .collect::<Vec<_>>(),
        ));
    }
    // The estate written back: a scenario per edition, each cluster on its cheapest shape
    // (where one fits the edition), its plan as the estate gives it.
    let reshaped: Vec<Scenario> = editions
        .iter()
        .enumerate()
        .filter_map(|(k, edition)| {
            let plans: Option<Vec<Plan>> = clusters
                .iter()
                .enumerate()
                .map(|(ci, (_, shapes))| {
                    let shape = shapes.get(k).cloned().flatten()?;
                    let mut p = plan_for(estate, ci, edition);
                    p.cluster = ci;
                    p.shape = Some(shape);
                    Some(p)
                })
                .collect();
            Some(Scenario {
                name: format!("reshaped for {edition}"),
                plans: plans?,
                purchase_date: None,
                rule_switches: Vec::new(),
            })
        })
        .collect();
    // The estate's own scenarios stay, to compare against; a scenario of a name written again
    // (reshaping a reshaped estate) is replaced.
    let mut written = estate.clone();
    written
        .scenarios
        .retain(|s| reshaped.iter().all(|r| r.name != s.name));
    let any = !reshaped.is_empty();
    written.scenarios.extend(reshaped);
    let mut notes = vec![format!(
        "each option is the cluster alone on {}'s shapes, priced by the engine over {} years; hardware and power from the catalogue, every other cost from the estate",
        catalogue.id, estate.years
    )];
    notes.push(format!(
        "{priced} shape(s) priced; {no_fewer} more RAM on as many hosts, which only costs more, not priced"
    ));
    if skipped > 0 {
        notes.push(format!(
            "{skipped} shape(s) not offered: more hosts than {} or than a cluster may have",
            SizingField::MaxHostsPerCluster.key()
        ));
    }
    let sizing_used = SizingField::ALL
        .iter()
        .filter_map(|f| {
            sizing.used(*f).map(|(value, origin)| SizingUsed {
                key: f.key(),
                value,
                origin: origin.name(),
            })
        })
        .collect();
    Ok(Reshape {
        format: 1,
        command: "reshape",
        engine: crate::ENGINE.to_owned(),
        estate: estate.name.clone(),
        currency: estate.currency.clone(),
        catalogue: catalogue.id.clone(),
        sizing: sizing_used,
        clusters: clusters.into_iter().map(|(c, _)| c).collect(),
        notes,
        estate_with_shapes: any.then_some(written),
    })
}

/// A cluster's workload, which sizing needs whole.
struct Workload {
    vms: u32,
    vcpus: u32,
    vm_ram_gb: Decimal,
}

fn workload(estate: &Estate, ci: usize) -> Result<Workload, Diagnostics> {
    let cl = &estate.clusters[ci];
    let missing = |field: ClusterField| {
        Diagnostics::input(
            format!("{}.{}", cl.name, field.key()),
            format!(
                "reshape sizes hosts by the workload: cluster `{}` gives no `{}`",
                cl.name,
                field.key()
            ),
            Some(format!(
                "add `{}` to the cluster (the RVTools import fills vms, vcpus and vm_ram_gb)",
                field.key()
            )),
        )
    };
    Ok(Workload {
        vms: cl.vms.ok_or_else(|| missing(ClusterField::Vms))?,
        vcpus: cl.vcpus.ok_or_else(|| missing(ClusterField::Vcpus))?,
        vm_ram_gb: cl.vm_ram_gb.ok_or_else(|| missing(ClusterField::VmRamGb))?,
    })
}

/// The sizing rule's values.
struct Rule {
    vcpu_per_core: Decimal,
    headroom: Decimal,
    spare: Decimal,
    max_hosts: Option<u32>,
}

impl Rule {
    /// Hosts for `work` on a shape, and the sentence that derives them; `None` when more than
    /// the cluster may have.
    fn hosts(
        &self,
        work: &Workload,
        server: &Server,
        cpu: &Cpu,
        ram: u32,
    ) -> Option<(u32, String)> {
        let per_host =
            self.vcpu_per_core * Decimal::from(server.sockets) * Decimal::from(cpu.cores);
        let by_cpu = (Decimal::from(work.vcpus) / per_host).ceil();
        let need = Decimal::from(work.vms) * work.vm_ram_gb * (Decimal::ONE + self.headroom);
        let by_ram = (need / Decimal::from(ram)).ceil();
        let hosts = by_cpu.max(by_ram).max(Decimal::ONE) + self.spare;
        let hosts = u32::try_from(hosts.mantissa() / 10i128.pow(hosts.scale())).ok()?;
        let most = self.max_hosts.unwrap_or(u32::MAX).min(
            ClusterField::Hosts.bounds().high.map_or(u32::MAX, |h| {
                u32::try_from(h.mantissa() / 10i128.pow(h.scale())).unwrap_or(u32::MAX)
            }),
        );
        if hosts > most {
            return None;
        }
        let sized = format!(
            "{hosts} hosts = max(⌈{} vCPUs ÷ ({} × {} × {} cores)⌉ = {}, ⌈{} VMs × {} GB × {} ÷ {ram} GB⌉ = {}) + {} spare",
            work.vcpus,
            plain_text(self.vcpu_per_core),
            server.sockets,
            cpu.cores,
            by_cpu,
            work.vms,
            plain_text(work.vm_ram_gb),
            plain_text(Decimal::ONE + self.headroom),
            by_ram,
            plain_text(self.spare),
        );
        Some((hosts, sized))
    }
}

/// The estate of cluster `ci` alone: its contracts with it, no scenario yet.
/// Built field by field, not by cloning the estate: a clone would copy every cluster and
/// every scenario's plans once per cluster, quadratic in the estate's size.
fn alone(estate: &Estate, ci: usize) -> Estate {
    Estate {
        name: estate.name.clone(),
        currency: estate.currency.clone(),
        purchase_date: estate.purchase_date,
        years: estate.years,
        clusters: vec![estate.clusters[ci].clone()],
        owned: Vec::new(),
        contracts: estate
            .contracts
            .iter()
            .filter(|c| c.clusters.contains(&ci))
            .map(|c| crate::estate::Contract {
                clusters: vec![0],
                ..c.clone()
            })
            .collect(),
        scenarios: Vec::new(),
        costs: estate.costs.clone(),
        sizing: estate.sizing.clone(),
        uncertainty: None,
        rule_switches: estate.rule_switches.clone(),
        region: estate.region,
    }
}

/// The plan the estate's scenarios give cluster `ci` on `edition` (the first), else a bare
/// one; for the cluster alone (index 0), without a shape.
fn plan_for(estate: &Estate, ci: usize, edition: &ItemRef) -> Plan {
    let given = estate
        .scenarios
        .iter()
        .flat_map(|s| &s.plans)
        .find(|p| p.cluster == ci && p.edition == *edition);
    match given {
        Some(p) => Plan {
            cluster: 0,
            shape: None,
            use_owned: false,
            ..p.clone()
        },
        None => Plan::new(0, edition.clone()),
    }
}

fn shape_of(
    hosts: u32,
    server: &Server,
    cpu: &Cpu,
    ram: u32,
    hw: Decimal,
    watts: Decimal,
) -> Shape {
    Shape {
        values: vec![
            (
                ShapeField::Cluster(ClusterField::Hosts),
                Decimal::from(hosts),
            ),
            (
                ShapeField::Cluster(ClusterField::SocketsPerHost),
                Decimal::from(server.sockets),
            ),
            (
                ShapeField::Cluster(ClusterField::CoresPerSocket),
                Decimal::from(cpu.cores),
            ),
            (
                ShapeField::Cluster(ClusterField::RamGbPerHost),
                Decimal::from(ram),
            ),
            (ShapeField::Cost(CostField::HardwarePerHost), hw),
            (ShapeField::Cost(CostField::WattsPerHost), watts),
        ],
        hardware: Some(format!(
            "{}: {} × {}, {ram} GB",
            server.name, server.sockets, cpu.name
        )),
    }
}

fn price(e: &Estate, books: &PricebookSet) -> ScenarioQuote {
    let mut q = crate::quote(e, books);
    q.scenarios.swap_remove(0)
}

fn option(
    edition: &ItemRef,
    server: &str,
    cpu: &str,
    cl: &crate::estate::Cluster,
    hardware_per_host: Option<Decimal>,
    q: &ScenarioQuote,
    sized: String,
) -> ShapeOption {
    let sum = |kinds: &[LineKind]| -> Decimal {
        q.lines
            .iter()
            .filter(|l| kinds.contains(&l.kind))
            .map(|l| l.amount)
            .sum()
    };
    let counted = q
        .lines
        .iter()
        .find(|l| matches!(l.kind, LineKind::Licence | LineKind::Subscription))
        .map_or(String::new(), |l| format!("; {}", l.rule.0));
    ShapeOption {
        edition: edition.to_string(),
        server: server.to_owned(),
        cpu: cpu.to_owned(),
        hosts: cl.hosts,
        sockets_per_host: cl.sockets_per_host,
        cores_per_socket: cl.cores_per_socket,
        ram_gb_per_host: cl.ram_gb_per_host,
        hardware_per_host,
        total: q.total,
        npv: q.npv,
        software: sum(&[
            LineKind::Licence,
            LineKind::Subscription,
            LineKind::Support,
            LineKind::Upgrade,
        ]),
        hardware: sum(&[LineKind::Hardware]),
        why: format!("{sized}{counted}"),
    }
}

/// Cheapest first; ties by fewer hosts, then ids, so the order is the same every run.
fn order(a: &ShapeOption, b: &ShapeOption) -> std::cmp::Ordering {
    a.total
        .cmp(&b.total)
        .then(a.hosts.cmp(&b.hosts))
        .then_with(|| a.edition.cmp(&b.edition))
        .then_with(|| a.server.cmp(&b.server))
        .then_with(|| a.cpu.cmp(&b.cpu))
        .then(a.ram_gb_per_host.cmp(&b.ram_gb_per_host))
}

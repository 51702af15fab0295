//! Estates: clusters of identical hosts, owned licences, scenarios and cost assumptions.
//!
//! Estate format 1 is a contract (DESIGN.md): it is extended, never broken. The reader in
//! `estate/parse.rs` validates a file against the loaded pricebooks and reports every problem.

mod change;
mod edit;
mod field;
mod growth;
mod parse;
mod spec;
mod write;

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::date::Date;
use crate::ids::ItemRef;
use crate::region::Region;
use crate::source::SourceFile;

pub use change::{Change, ChosenPlan, change_edits};
pub use edit::{Edit, EditError, EditValue, edit_text};
pub use field::Field;
pub use parse::parse_estate;
use spec::input_table;
pub use spec::{
    Bounds, FX_RATE, FieldSpec, InputTable, Kind, Origin, Slot, VENDOR_DISCOUNT, YEARS, num,
};
pub use write::write_estate;

impl Estate {
    /// The exchange rate into the estate currency for `currency`: 1 when it is the estate's.
    pub fn fx_rate(&self, currency: &str) -> Option<Decimal> {
        if currency == self.currency {
            return Some(Decimal::ONE);
        }
        self.costs.as_ref()?.fx.get(currency).copied()
    }

    /// The purchase date of a scenario: its own, or the estate's.
    pub fn purchase_date_of(&self, scenario: &Scenario) -> Date {
        scenario.purchase_date.unwrap_or(self.purchase_date)
    }
}

/// A validated estate: every reference resolves in the [`crate::PricebookSet`] it was read with.
#[derive(Clone, Debug, PartialEq)]
pub struct Estate {
    /// Name shown on quotes.
    pub name: String,
    /// ISO 4217 currency; every priced item must be in it.
    pub currency: String,
    /// Decides promotions, end of sale and which pricebooks are on sale.
    pub purchase_date: Date,
    /// Horizon in years; year 1 starts at the purchase date.
    pub years: u32,
    /// Clusters of identical hosts.
    pub clusters: Vec<Cluster>,
    /// Licences already owned.
    pub owned: Vec<OwnedLicence>,
    /// Agreements in force on the purchase date (`[[contract]]`): what they license runs on
    /// them until they end, and is renewed from the day after where still needed.
    pub contracts: Vec<Contract>,
    /// What-if plans to price.
    pub scenarios: Vec<Scenario>,
    /// Costs beyond licences (read and validated; priced by the TCO engine).
    pub costs: Option<Costs>,
    /// How `reshape` sizes hosts (`[sizing]`); its defaults when left out.
    pub sizing: Option<Sizing>,
    /// How `uncertainty` draws prices and inputs (`[uncertainty]`); its defaults when left
    /// out.
    pub uncertainty: Option<Uncertainty>,
    /// Pricebook rules the estate switches on or off, each with its reason.
    pub rule_switches: Vec<RuleSwitch>,
    /// Where the estate buys: rules scoped to regions are judged for it (without one, every
    /// regional rule applies, and the quote says so).
    pub region: Option<Region>,
}

/// An estate's decision to switch a pricebook rule on or off (`[[rule]]`), with its reason.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleSwitch {
    /// `pricebook-id/rule-id`.
    pub rule: ItemRef,
    /// On or off.
    pub enabled: bool,
    /// Why: shown in every quote the switch affects.
    pub reason: String,
}

input_table! {
    /// Identical hosts priced together. (`Default` is a base to fill, not a valid cluster.)
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct Cluster, fields ClusterField {
        /// Number of hosts.
        Hosts => hosts: u32 {
            label: "Hosts", unit: "hosts", one: "host", many: "hosts", kind: Kind::Count,
            bounds: Bounds::range(1, 1_000_000),
        },
        /// CPU sockets per host.
        SocketsPerHost => sockets_per_host: u32 {
            label: "CPU sockets per host", unit: "sockets", one: "socket per host",
            many: "sockets per host", kind: Kind::Count, bounds: Bounds::range(1, 64),
        },
        /// Physical cores per socket.
        CoresPerSocket => cores_per_socket: u32 {
            label: "Cores per socket", unit: "cores", one: "core per CPU", many: "cores per CPU",
            kind: Kind::Count, bounds: Bounds::range(1, 1024),
        },
        /// Physical RAM per host in GB, when known (per-host RAM limits need it).
        RamGbPerHost => ram_gb_per_host: Option<u32> {
            label: "RAM per host", unit: "GB", one: "GB RAM per host", many: "GB RAM per host",
            kind: Kind::Plain, bounds: Bounds::range(1, 1_048_576),
        },
        /// Virtual machines in the cluster, when known (per-VM metrics, VM rights and pooled
        /// memory need it).
        Vms => vms: Option<u32> {
            label: "VMs", unit: "VMs", one: "VM", many: "VMs", kind: Kind::Count,
            bounds: Bounds::range(0, 100_000_000),
        },
        /// Windows guest VMs in the cluster (a plan's `guest_os` needs it).
        WindowsVms => windows_vms: Option<u32> {
            label: "Windows VMs", unit: "VMs", one: "Windows VM", many: "Windows VMs",
            kind: Kind::Count, bounds: Bounds::range(0, 100_000_000),
        },
        /// Average configured RAM of a powered-on VM in GB (pooled memory entitlements such as
        /// vSphere 5.0 vRAM need it).
        VmRamGb => vm_ram_gb: Option<Decimal> {
            label: "RAM per VM", unit: "GB", one: "GB per VM", many: "GB per VM",
            kind: Kind::Plain, bounds: Bounds::range(0, 65_536).above_low(),
        },
        /// Total vCPUs of the cluster's VMs, when known (per-VM core licensing counts them).
        Vcpus => vcpus: Option<u32> {
            label: "vCPUs", unit: "vCPUs", one: "vCPU", many: "vCPUs", kind: Kind::Count,
            bounds: Bounds::range(0, 1_000_000_000),
        },
        /// Raw claimed vSAN capacity of the cluster in TiB, when it runs vSAN (vSAN
        /// entitlements and capacity add-ons need it).
        VsanTib => vsan_tib: Option<Decimal> {
            label: "vSAN capacity", unit: "TiB", one: "TiB of vSAN", many: "TiB of vSAN",
            kind: Kind::Plain, bounds: Bounds::range(0, 1_000_000),
        },
    }
    rest {
        /// Unique name.
        name: String,
        /// Feature tags the cluster needs (aliases resolved).
        needs: Vec<String>,
        /// Estate clusters with the same group are one real cluster (pool, vCenter cluster).
        group: Option<String>,
    }
}

impl Cluster {
    /// The real cluster this estate cluster belongs to: its group, or itself.
    pub fn group_name(&self) -> &str {
        self.group.as_deref().unwrap_or(&self.name)
    }

    /// Sockets in the whole cluster.
    pub fn sockets(&self) -> u64 {
        u64::from(self.hosts) * u64::from(self.sockets_per_host)
    }
}

/// Licences already owned, usable through upgrade paths.
#[derive(Clone, Debug, PartialEq)]
pub struct OwnedLicence {
    /// The licence, e.g. `vmware-vi3/enterprise`.
    pub licence: ItemRef,
    /// In that pricebook's unit (VI3: one licence = 2 CPUs).
    pub quantity: u32,
    /// Support (SnS) is current: upgrade paths may require it.
    pub support_active: bool,
}

/// An agreement in force on the estate's purchase date (`[[contract]]`): it licenses one
/// subscription item on some clusters until `ends`. A plan that keeps the item renews it from
/// the day after; a plan that moves away renews it only while the move is not finished (a
/// bridge renewal).
#[derive(Clone, Debug, PartialEq)]
pub struct Contract {
    /// Shown on the renewal lines.
    pub name: String,
    /// The edition or add-on it licenses.
    pub item: ItemRef,
    /// Indices into [`Estate::clusters`] of the clusters it covers.
    pub clusters: Vec<usize>,
    /// The last day it covers.
    pub ends: Date,
    /// What it really costs per unit and year, when the estate says (renewals are priced at
    /// it, marked as the estate's own figure); otherwise the pricebook's list for the term.
    pub price_per_unit_year: Option<Decimal>,
}

impl Estate {
    /// Whether `plan` moves its cluster: it names a start, or leaves an item a contract
    /// covers on that cluster. A move pays labour, and the old item is renewed while it runs.
    pub fn moves(&self, plan: &Plan) -> bool {
        plan.start.is_some()
            || self
                .contracts_of(plan.cluster)
                .any(|c| !plan.keeps(&c.item))
    }

    /// The contracts covering cluster `ci`.
    pub fn contracts_of(&self, ci: usize) -> impl Iterator<Item = &Contract> {
        self.contracts
            .iter()
            .filter(move |c| c.clusters.contains(&ci))
    }
}

/// One what-if: a plan per cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Unique name.
    pub name: String,
    /// One plan per cluster, in cluster order.
    pub plans: Vec<Plan>,
    /// Overrides the estate's purchase date for this scenario (era comparisons).
    pub purchase_date: Option<Date>,
    /// Pricebook rules this scenario switches on or off (`[[scenario.rule]]`), over the
    /// estate's own switches: "VVF with the minimum" and "VVF without" side by side.
    pub rule_switches: Vec<RuleSwitch>,
}

/// What one cluster runs in one scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// Index into [`Estate::clusters`].
    pub cluster: usize,
    /// The edition.
    pub edition: ItemRef,
    /// A support plan id of the edition's pricebook.
    pub support: Option<String>,
    /// Add-ons.
    pub addons: Vec<ItemRef>,
    /// Apply upgrade paths from owned licences instead of buying new.
    pub use_owned: bool,
    /// Guest OS licensing for the cluster's `windows_vms`, priced by the edition's VM rights.
    pub guest_os: Option<ItemRef>,
    /// A support plan id of the guest OS pricebook.
    pub guest_os_support: Option<String>,
    /// The subscription term, in years, the edition (and add-ons sold on it) is bought on;
    /// `None`: the pricebook's default term, which the quote states.
    pub term_years: Option<u32>,
    /// The day the cluster starts moving to this plan's edition (`None`: the scenario's
    /// purchase date). Its licences are bought, and its subscriptions paid, from then.
    pub start: Option<Date>,
    /// Months the old and the new platform both run (and are both paid) from `start`.
    pub migration_months: u32,
    /// Other hosts this scenario runs the cluster on (`[scenario.plan.shape]`): a hardware
    /// refresh with the move, as `reshape` writes it.
    pub shape: Option<Shape>,
}

/// A field a plan's `[scenario.plan.shape]` may give: the cluster's host shape, and the price
/// and power of those hosts, over the cluster's and `[costs]`' own declarations (their keys,
/// bounds and labels are the same).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShapeField {
    /// A cluster field.
    Cluster(ClusterField),
    /// A `[costs]` field, for this cluster's hosts only.
    Cost(CostField),
}

impl ShapeField {
    /// Every field a shape may give, in file order.
    pub const ALL: [ShapeField; 6] = [
        ShapeField::Cluster(ClusterField::Hosts),
        ShapeField::Cluster(ClusterField::SocketsPerHost),
        ShapeField::Cluster(ClusterField::CoresPerSocket),
        ShapeField::Cluster(ClusterField::RamGbPerHost),
        ShapeField::Cost(CostField::HardwarePerHost),
        ShapeField::Cost(CostField::WattsPerHost),
    ];

    /// The field's declaration (the cluster's or `[costs]`').
    pub fn spec(self) -> &'static FieldSpec {
        match self {
            ShapeField::Cluster(f) => f.spec(),
            ShapeField::Cost(f) => f.spec(),
        }
    }

    /// The key in the estate file.
    pub fn key(self) -> &'static str {
        self.spec().key
    }
}

/// The hosts a scenario runs one cluster on instead of the estate's.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shape {
    /// The values given, in [`ShapeField::ALL`] order.
    pub values: Vec<(ShapeField, Decimal)>,
    /// What the hosts are, in words (e.g. the catalogue's server, CPU and RAM), shown on the
    /// quote.
    pub hardware: Option<String>,
}

impl Shape {
    /// A value given for `field`.
    pub fn get(&self, field: ShapeField) -> Option<Decimal> {
        self.values
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, v)| *v)
    }

    /// The cluster on these hosts.
    pub fn apply_cluster(&self, cluster: &mut Cluster) {
        for (f, v) in &self.values {
            if let ShapeField::Cluster(f) = f {
                cluster.put(*f, *v);
            }
        }
    }

    /// The costs with these hosts' price and power.
    pub fn apply_costs(&self, costs: &mut Costs) {
        for (f, v) in &self.values {
            if let ShapeField::Cost(f) = f {
                costs.put(*f, *v);
            }
        }
    }
}

impl Estate {
    /// The estate one scenario sees: each cluster on its plan's shape, if it has one.
    pub fn reshaped_for(&self, scenario: &Scenario) -> Option<Estate> {
        if scenario.plans.iter().all(|p| p.shape.is_none()) {
            return None;
        }
        let mut e = self.clone();
        for p in &scenario.plans {
            if let (Some(s), Some(c)) = (&p.shape, e.clusters.get_mut(p.cluster)) {
                s.apply_cluster(c);
            }
        }
        e.scenarios = vec![scenario.clone()];
        Some(e)
    }
}

/// `total` VMs moved evenly over `months` months (one when 0), in whole VMs: the first
/// `total mod months` months move one more. Labour and the schedule's VMs in motion per month
/// both count this way.
pub fn spread_evenly(total: u64, months: u32) -> Vec<u64> {
    let n = u64::from(months.max(1));
    let (each, extra) = (total / n, total % n);
    (0..n).map(|k| each + u64::from(k < extra)).collect()
}

impl Plan {
    /// A plan of `edition` on cluster `cluster`, every other choice left to its default (the
    /// book's default support and term, no add-ons, bought on the purchase date, no move).
    pub fn new(cluster: usize, edition: ItemRef) -> Plan {
        Plan {
            cluster,
            edition,
            support: None,
            addons: Vec::new(),
            use_owned: false,
            guest_os: None,
            guest_os_support: None,
            term_years: None,
            start: None,
            migration_months: 0,
            shape: None,
        }
    }

    /// Whether the plan keeps `item` (as its edition or an add-on) rather than leaving it.
    pub fn keeps(&self, item: &ItemRef) -> bool {
        self.edition == *item || self.addons.contains(item)
    }
}

input_table! {
    /// Cost assumptions beyond licences (`[costs]`). The numbers are declared here once, in
    /// the order forms, files and quotes list them.
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct Costs, fields CostField {
        /// Discount rate for NPV, as a fraction (0.08 = 8 %).
        DiscountRate => discount_rate: Option<Decimal> {
            label: "Discount rate (NPV)", unit: "per year", kind: Kind::Fraction,
            bounds: Bounds::range(0, 1), default: Some(num(0, 0)),
            assumption: Some("NPV: year 1 is paid at purchase (not discounted); year y is discounted by (1 + rate)^(y − 1); 0 makes the NPV the cash total"),
        },
        /// VM growth per year, as a fraction (0.1 = 10 %).
        VmGrowthPerYear => vm_growth_per_year: Option<Decimal> {
            label: "VM growth", unit: "per year", kind: Kind::Fraction,
            bounds: Bounds::range(0, 10), default: Some(num(0, 0)),
            assumption: Some("VMs grow by this fraction each year (rounded up to whole VMs)"),
        },
        /// VMs a host carries: hosts are added when VMs (after growth) exceed hosts × this,
        /// and their licences come with them.
        VmsPerHost => vms_per_host: Option<u32> {
            label: "VMs per host (density)", unit: "VMs", kind: Kind::Count,
            bounds: Bounds::range(1, 100_000), list_unset: true,
            assumption: Some("hosts are added when VMs exceed hosts × this; without it the host count stays as given"),
        },
        /// Yearly escalation of support and subscription prices, as a fraction (0.03 = 3 % a
        /// year, compounded, from year 2).
        EscalationPerYear => escalation_per_year: Option<Decimal> {
            label: "Support and subscription escalation", unit: "per year",
            kind: Kind::Fraction, bounds: Bounds::range(0, 1), default: Some(num(0, 0)),
            assumption: Some("support and subscription prices rise by this fraction each year after the first"),
        },
        /// Hardware price per host.
        HardwarePerHost => hardware_per_host: Option<Decimal> {
            label: "Hardware per host", unit: "per host", kind: Kind::Money,
        },
        /// Years before a host is replaced.
        HardwareLifeYears => hardware_life_years: Option<u32> {
            label: "Hardware life", unit: "years", kind: Kind::Count,
            bounds: Bounds::range(1, 30), default: Some(num(3, 0)),
            default_when: Some("hardware_per_host"),
            assumption: Some("hosts are bought again after this many years; default 36 months (Virtana on-premises cost defaults [S])"),
        },
        /// Typical power draw per host, W.
        WattsPerHost => watts_per_host: Option<Decimal> {
            label: "Power draw per host", unit: "W", kind: Kind::Plain,
        },
        /// Power usage effectiveness of the facility.
        Pue => pue: Option<Decimal> {
            label: "PUE", unit: "ratio", kind: Kind::Plain, bounds: Bounds::range(1, 5),
            default: Some(num(1, 0)), default_when: Some("watts_per_host"),
            assumption: Some("power usage effectiveness; the default 1 counts the IT load only (a typical facility is ~2.1 [S, IBM Systems Magazine 2011])"),
        },
        /// Electricity price per kWh.
        KwhPrice => kwh_price: Option<Decimal> {
            label: "Electricity price", unit: "per kWh", kind: Kind::UnitPrice,
        },
        /// Hours a host runs per year, for power (8,784 in a leap year).
        HoursPerYear => hours_per_year: Option<Decimal> {
            label: "Hours per year", unit: "h", kind: Kind::Plain,
            bounds: Bounds::range(1, 8784), default: Some(num(8766, 0)),
            default_when: Some("watts_per_host"),
            assumption: Some("default 8,766 h = 365.25 days [S, IBM Systems Magazine 2011]"),
        },
        /// Facilities (space, cooling, racks) per host per year.
        FacilitiesPerHostYear => facilities_per_host_year: Option<Decimal> {
            label: "Facilities per host", unit: "per host per year", kind: Kind::Money,
        },
        /// Administration per host per year.
        AdminPerHostYear => admin_per_host_year: Option<Decimal> {
            label: "Administration per host", unit: "per host per year", kind: Kind::Money,
        },
        /// People who use the estate's servers, for licences counted per user (Windows Server
        /// user CALs): one count for the estate, not per cluster, since a user's licence covers
        /// every server of its version.
        Users => users: Option<u32> {
            label: "Users (per-user licences)", unit: "users", kind: Kind::Count,
            bounds: Bounds::range(0, 100_000_000),
        },
        /// Devices that use the estate's servers, for licences counted per device (Windows
        /// Server device CALs).
        Devices => devices: Option<u32> {
            label: "Devices (per-device licences)", unit: "devices", kind: Kind::Count,
            bounds: Bounds::range(0, 100_000_000),
        },
        /// Labour to move one VM to another platform (planning, conversion, testing).
        MigrationPerVm => migration_per_vm: Option<Decimal> {
            label: "Migration labour per VM", unit: "per VM moved", kind: Kind::Money,
            assumption: Some("a moving cluster's VMs × this, spread evenly over the months of its migration window (one month when it has none), the last month taking the cents left"),
        },
        /// One-off cost of a scenario that moves any cluster (project, tools).
        MigrationFixed => migration_fixed: Option<Decimal> {
            label: "Migration project (one-off)", unit: "per scenario that moves", kind: Kind::Money,
            assumption: Some("paid once per scenario that moves a cluster, on the first move's start"),
        },
        /// One-off training per platform a scenario moves to.
        Training => training: Option<Decimal> {
            label: "Training per target platform", unit: "per platform moved to", kind: Kind::Money,
            assumption: Some("paid once per pricebook a scenario moves clusters to, on the first such move's start"),
        },
        /// Extra hosts bought for the migration window, at `hardware_per_host`.
        SwingHosts => swing_hosts: Option<u32> {
            label: "Swing hosts for migrations", unit: "hosts", kind: Kind::Count,
            bounds: Bounds::range(0, 10_000),
            assumption: Some("bought at hardware_per_host on the first move's start; their power and facilities paid for the months from the first start to the last move's end"),
        },
    }
    rest {
        /// Negotiated discount off list per vendor, as a fraction.
        vendor_discount: BTreeMap<String, Decimal>,
        /// Exchange rates: units of the estate currency per 1 unit of the keyed currency.
        fx: BTreeMap<String, Decimal>,
        /// The date of the exchange rates (required with `fx`).
        fx_date: Option<Date>,
        /// Where the rates come from.
        fx_source: Option<String>,
    }
}

input_table! {
    /// How `reshape` sizes hosts for a cluster's workload (`[sizing]`): hosts needed =
    /// max(⌈vcpus ÷ (vcpu_per_core × sockets × cores)⌉, ⌈vms × vm_ram_gb × (1 + ram_headroom)
    /// ÷ RAM per host⌉) + spare_hosts. Quotes do not use it.
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct Sizing, fields SizingField {
        /// vCPUs per physical core the hosts are sized for (the consolidation ratio).
        VcpuPerCore => vcpu_per_core: Option<Decimal> {
            label: "vCPUs per core", unit: "vCPUs per core", kind: Kind::Plain,
            bounds: Bounds::range(0, 64).above_low(), default: Some(num(4, 0)),
            assumption: Some("hosts are sized for this many vCPUs per physical core"),
        },
        /// RAM kept free beyond what the VMs use, as a fraction (0.2 = 20 % more RAM).
        RamHeadroom => ram_headroom: Option<Decimal> {
            label: "RAM headroom", unit: "of the VMs' RAM", kind: Kind::Fraction,
            bounds: Bounds::range(0, 10), default: Some(num(2, 1)),
            assumption: Some("hosts hold the VMs' RAM and this fraction more"),
        },
        /// Hosts beyond what the workload needs, for failover.
        SpareHosts => spare_hosts: Option<u32> {
            label: "Spare hosts (HA)", unit: "hosts", kind: Kind::Count,
            bounds: Bounds::range(0, 1000), default: Some(num(1, 0)),
            assumption: Some("each cluster gets this many hosts beyond its workload, for failover"),
        },
        /// Hosts one cluster may have at most; a shape needing more is not offered.
        MaxHostsPerCluster => max_hosts_per_cluster: Option<u32> {
            label: "Hosts per cluster at most", unit: "hosts", kind: Kind::Count,
            bounds: Bounds::range(1, 100_000),
        },
    }
    rest {}
}

input_table! {
    /// How `hypercost uncertainty` draws (`[uncertainty]`): every pricebook price the quote
    /// uses varies uniformly within ± the width its confidence mark is given here (a price's
    /// own `low`/`high` in its book wins), and each estate input in `[uncertainty.inputs]`
    /// uniformly from its `low` to its `high`. Keys are the marks, as pricebooks write them.
    #[derive(Clone, Debug, Default, PartialEq)]
    #[allow(non_snake_case, reason = "the keys are the confidence marks, P to UNVERIFIED")]
    pub struct Uncertainty, fields UncertaintyField {
        /// ± for primary-source prices, as a fraction of the price.
        P => P: Option<Decimal> {
            label: "Primary source (P)", unit: "± of the price", kind: Kind::Fraction,
            bounds: Bounds::range(0, 1), default: Some(num(0, 0)),
            assumption: Some("a price from the vendor's own list does not move"),
        },
        /// ± for single secondary-source prices.
        S => S: Option<Decimal> {
            label: "Secondary source (S)", unit: "± of the price", kind: Kind::Fraction,
            bounds: Bounds::range(0, 1), default: Some(num(5, 2)),
            assumption: Some("a price from one reputable secondary source may be 5 % off"),
        },
        /// ± for weak-source prices (resellers, aggregators).
        W => W: Option<Decimal> {
            label: "Weak source (W)", unit: "± of the price", kind: Kind::Fraction,
            bounds: Bounds::range(0, 1), default: Some(num(15, 2)),
            assumption: Some("a reseller's or aggregator's price may be 15 % off"),
        },
        /// ± for conflicting prices without a stated `low`/`high`.
        C => C: Option<Decimal> {
            label: "Conflicting sources (C)", unit: "± of the price", kind: Kind::Fraction,
            bounds: Bounds::range(0, 1), default: Some(num(15, 2)),
            assumption: Some("sources that conflict without stating their values: 15 % either way"),
        },
        /// ± for unverified prices.
        Unverified => UNVERIFIED: Option<Decimal> {
            label: "Unverified (UNVERIFIED)", unit: "± of the price", kind: Kind::Fraction,
            bounds: Bounds::range(0, 1), default: Some(num(30, 2)),
            assumption: Some("a commonly quoted but unfound price may be 30 % off"),
        },
    }
    rest {
        /// Ranges of estate inputs (`[uncertainty.inputs]`), in file order.
        inputs: Vec<InputRange>,
    }
}

impl Uncertainty {
    /// The width for a confidence mark (its default when the estate gives none); `None` for
    /// the estate's own figures, which have no mark to widen.
    pub fn width(&self, mark: crate::pricebook::Confidence) -> Option<Decimal> {
        use crate::pricebook::Confidence;
        let field = match mark {
            Confidence::P => UncertaintyField::P,
            Confidence::S => UncertaintyField::S,
            Confidence::W => UncertaintyField::W,
            Confidence::C => UncertaintyField::C,
            Confidence::Unverified => UncertaintyField::Unverified,
            Confidence::Estate => return None,
        };
        self.get(field).or(field.spec().default)
    }
}

/// An estate input's range for `hypercost uncertainty`: `"prod.vms" = { low = 380, high = 460 }`.
#[derive(Clone, Debug, PartialEq)]
pub struct InputRange {
    /// The field as the estate names it (`prod.vms`, `pue`, `discount.vmware`).
    pub name: String,
    /// The field.
    pub field: Field,
    /// Lowest value drawn.
    pub low: Decimal,
    /// Highest value drawn.
    pub high: Decimal,
}

/// The embedded example estate: the seed article's 2009 decision.
pub fn example_estate() -> SourceFile {
    SourceFile::new("<example>/acme-2009.toml", crate::bundled::EXAMPLE_ESTATE)
}

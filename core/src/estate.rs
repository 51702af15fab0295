//! Estates: clusters of identical hosts, owned licences, scenarios and cost assumptions.
//!
//! Estate format 1 is a contract (DESIGN.md): it is extended, never broken. The reader in
//! `estate/parse.rs` validates a file against the loaded pricebooks and reports every problem.

mod edit;
mod field;
mod parse;
mod write;

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::date::Date;
use crate::ids::ItemRef;
use crate::source::SourceFile;

pub use edit::{Edit, EditError, EditValue, edit_text};
pub use field::{Bounds, ClusterField, CostField, Field, InputError};
pub use parse::parse_estate;
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
    /// What-if plans to price.
    pub scenarios: Vec<Scenario>,
    /// Costs beyond licences (read and validated; priced by the TCO engine).
    pub costs: Option<Costs>,
    /// Pricebook rules the estate switches on or off, each with its reason.
    pub rule_switches: Vec<RuleSwitch>,
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

/// Identical hosts priced together.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    /// Unique name.
    pub name: String,
    /// Number of hosts.
    pub hosts: u32,
    /// CPU sockets per host.
    pub sockets_per_host: u32,
    /// Physical cores per socket.
    pub cores_per_socket: u32,
    /// Physical RAM per host in GB, when known.
    pub ram_gb_per_host: Option<u32>,
    /// Virtual machines in the cluster, when known.
    pub vms: Option<u32>,
    /// Average configured RAM of a powered-on VM in GB (pooled entitlements need it).
    pub vm_ram_gb: Option<Decimal>,
    /// Feature tags the cluster needs (aliases resolved).
    pub needs: Vec<String>,
    /// Windows guest VMs in the cluster (guest OS licensing needs it).
    pub windows_vms: Option<u32>,
    /// Estate clusters with the same group are one real cluster (pool, vCenter cluster).
    pub group: Option<String>,
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

/// One what-if: a plan per cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Unique name.
    pub name: String,
    /// One plan per cluster, in cluster order.
    pub plans: Vec<Plan>,
    /// Overrides the estate's purchase date for this scenario (era comparisons).
    pub purchase_date: Option<Date>,
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
}

/// Cost assumptions beyond licences (`[costs]`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Costs {
    /// Hardware price per host.
    pub hardware_per_host: Option<Decimal>,
    /// Years before a host is replaced.
    pub hardware_life_years: Option<u32>,
    /// Typical power draw per host, W.
    pub watts_per_host: Option<Decimal>,
    /// Electricity price per kWh.
    pub kwh_price: Option<Decimal>,
    /// Power usage effectiveness of the facility.
    pub pue: Option<Decimal>,
    /// Administration per host per year.
    pub admin_per_host_year: Option<Decimal>,
    /// Facilities per host per year.
    pub facilities_per_host_year: Option<Decimal>,
    /// Discount rate for NPV, as a fraction.
    pub discount_rate: Option<Decimal>,
    /// VM growth per year, as a fraction.
    pub vm_growth_per_year: Option<Decimal>,
    /// Yearly escalation of support and subscription prices, as a fraction.
    pub escalation_per_year: Option<Decimal>,
    /// Hours a host runs per year (default 8,766: 365.25 days).
    pub hours_per_year: Option<Decimal>,
    /// VMs a host carries; growth beyond hosts × this adds hosts (and their licences).
    pub vms_per_host: Option<u32>,
    /// Negotiated discount off list per vendor, as a fraction.
    pub vendor_discount: BTreeMap<String, Decimal>,
    /// Exchange rates: units of the estate currency per 1 unit of the keyed currency.
    pub fx: BTreeMap<String, Decimal>,
    /// The date of the exchange rates (required with `fx`).
    pub fx_date: Option<Date>,
    /// Where the rates come from.
    pub fx_source: Option<String>,
}

/// The embedded example estate: the seed article's 2009 decision.
pub fn example_estate() -> SourceFile {
    SourceFile::new("<example>/acme-2009.toml", crate::bundled::EXAMPLE_ESTATE)
}

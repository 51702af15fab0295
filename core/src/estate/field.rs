//! Estate fields by name, for the what-if commands: parse a field spec (`prod.hosts`,
//! `kwh_price`, `discount.vmware`), read it from a validated [`Estate`] and set it, with the
//! ranges the estate reader enforces, so a changed estate is one the reader would accept.

use std::fmt;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::parse::bounds;
use super::{Costs, Estate};
use crate::diag::did_you_mean;
use crate::money::plain_text;
use crate::pricebook::PricebookSet;

/// A numeric estate field a what-if command can read and change.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// A field of one cluster (index into [`Estate::clusters`]).
    Cluster {
        /// The cluster's index.
        cluster: usize,
        /// Which field.
        field: ClusterField,
    },
    /// The horizon, `years`.
    Years,
    /// A `[costs]` field.
    Cost(CostField),
    /// The negotiated discount off list for a vendor (`[costs] vendor_discount`), a fraction.
    Discount(String),
    /// The exchange rate the estate states for a currency (`[costs] fx`).
    Fx(String),
}

/// The numeric fields of a `[[cluster]]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ClusterField {
    /// `hosts`.
    Hosts,
    /// `sockets_per_host`.
    SocketsPerHost,
    /// `cores_per_socket`.
    CoresPerSocket,
    /// `ram_gb_per_host`.
    RamGbPerHost,
    /// `vms`.
    Vms,
    /// `vm_ram_gb`.
    VmRamGb,
    /// `windows_vms`.
    WindowsVms,
}

/// The numeric fields of `[costs]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CostField {
    /// `hardware_per_host`.
    HardwarePerHost,
    /// `hardware_life_years`.
    HardwareLifeYears,
    /// `watts_per_host`.
    WattsPerHost,
    /// `kwh_price`.
    KwhPrice,
    /// `pue`.
    Pue,
    /// `hours_per_year`.
    HoursPerYear,
    /// `admin_per_host_year`.
    AdminPerHostYear,
    /// `facilities_per_host_year`.
    FacilitiesPerHostYear,
    /// `discount_rate`.
    DiscountRate,
    /// `vm_growth_per_year`.
    VmGrowthPerYear,
    /// `vms_per_host`.
    VmsPerHost,
    /// `escalation_per_year`.
    EscalationPerYear,
}

/// Why a what-if input was refused (a field spec, a value, a scenario name): a message and
/// what would be valid. Front ends report it as bad input (exit 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// What is wrong.
    pub message: String,
    /// What would be valid.
    pub help: Option<String>,
}

impl InputError {
    pub(crate) fn new(message: impl Into<String>, help: Option<String>) -> InputError {
        InputError {
            message: message.into(),
            help,
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(h) = &self.help {
            write!(f, "; {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}

/// The values a field accepts: `low ..= high`, either end possibly open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// Lowest value.
    pub low: Decimal,
    /// `low` itself is not allowed (`vm_ram_gb > 0`).
    pub low_open: bool,
    /// Highest value, if any.
    pub high: Option<Decimal>,
    /// `high` itself is not allowed (a discount is below 1).
    pub high_open: bool,
    /// Whole numbers only.
    pub integer: bool,
}

impl Bounds {
    fn closed(low: u64, high: u64) -> Bounds {
        Bounds {
            integer: true,
            ..Bounds::decimal(low, Some(high))
        }
    }

    fn decimal(low: u64, high: Option<u64>) -> Bounds {
        Bounds {
            low: Decimal::from(low),
            low_open: false,
            high: high.map(Decimal::from),
            high_open: false,
            integer: false,
        }
    }

    /// True when `value` is allowed.
    pub fn contains(&self, value: Decimal) -> bool {
        let above_low = if self.low_open {
            value > self.low
        } else {
            value >= self.low
        };
        let below_high = match self.high {
            Some(h) if self.high_open => value < h,
            Some(h) => value <= h,
            None => true,
        };
        above_low && below_high && (!self.integer || value.fract().is_zero())
    }

    /// `value` moved to the nearest allowed value, when there is one at a closed end.
    pub fn clamp(&self, value: Decimal) -> Option<Decimal> {
        if self.contains(value) {
            return Some(value);
        }
        if value <= self.low {
            return (!self.low_open).then_some(self.low);
        }
        match self.high {
            Some(h) if value >= h => (!self.high_open).then_some(h),
            _ => None,
        }
    }

    /// The range in words: "a whole number from 1 to 64".
    pub fn describe(&self) -> String {
        let what = if self.integer {
            "a whole number"
        } else {
            "a number"
        };
        let low = plain_text(self.low);
        match (self.high, self.low_open, self.high_open) {
            (Some(h), false, false) => format!("{what} from {low} to {}", plain_text(h)),
            (Some(h), false, true) => {
                format!("{what} from {low} up to (not including) {}", plain_text(h))
            }
            (Some(h), true, _) => format!("{what} above {low} and at most {}", plain_text(h)),
            (None, false, _) => format!("{what} of {low} or more"),
            (None, true, _) => format!("{what} above {low}"),
        }
    }
}

impl ClusterField {
    /// Every cluster field, in the estate format's order.
    pub const ALL: [ClusterField; 7] = [
        ClusterField::Hosts,
        ClusterField::SocketsPerHost,
        ClusterField::CoresPerSocket,
        ClusterField::RamGbPerHost,
        ClusterField::Vms,
        ClusterField::VmRamGb,
        ClusterField::WindowsVms,
    ];

    /// The key in the estate file.
    pub fn key(self) -> &'static str {
        match self {
            ClusterField::Hosts => "hosts",
            ClusterField::SocketsPerHost => "sockets_per_host",
            ClusterField::CoresPerSocket => "cores_per_socket",
            ClusterField::RamGbPerHost => "ram_gb_per_host",
            ClusterField::Vms => "vms",
            ClusterField::VmRamGb => "vm_ram_gb",
            ClusterField::WindowsVms => "windows_vms",
        }
    }

    /// What one unit of the value is, for sentences: "10 cores per CPU".
    fn unit(self, value: Decimal) -> &'static str {
        let one = value == Decimal::ONE;
        match self {
            ClusterField::Hosts if one => "host",
            ClusterField::Hosts => "hosts",
            ClusterField::SocketsPerHost if one => "socket per host",
            ClusterField::SocketsPerHost => "sockets per host",
            ClusterField::CoresPerSocket if one => "core per CPU",
            ClusterField::CoresPerSocket => "cores per CPU",
            ClusterField::RamGbPerHost => "GB RAM per host",
            ClusterField::Vms if one => "VM",
            ClusterField::Vms => "VMs",
            ClusterField::VmRamGb => "GB per VM",
            ClusterField::WindowsVms if one => "Windows VM",
            ClusterField::WindowsVms => "Windows VMs",
        }
    }

    /// The values the estate reader accepts.
    pub fn bounds(self) -> Bounds {
        match self {
            ClusterField::Hosts => Bounds::closed(1, bounds::HOSTS),
            ClusterField::SocketsPerHost => Bounds::closed(1, bounds::SOCKETS),
            ClusterField::CoresPerSocket => Bounds::closed(1, bounds::CORES),
            ClusterField::RamGbPerHost => Bounds::closed(1, bounds::RAM_GB),
            ClusterField::Vms | ClusterField::WindowsVms => Bounds::closed(0, bounds::VMS),
            ClusterField::VmRamGb => Bounds {
                low_open: true,
                ..Bounds::decimal(0, Some(65_536))
            },
        }
    }
}

impl CostField {
    /// Every `[costs]` number, in the estate format's order.
    pub const ALL: [CostField; 12] = [
        CostField::HardwarePerHost,
        CostField::HardwareLifeYears,
        CostField::WattsPerHost,
        CostField::KwhPrice,
        CostField::Pue,
        CostField::HoursPerYear,
        CostField::AdminPerHostYear,
        CostField::FacilitiesPerHostYear,
        CostField::DiscountRate,
        CostField::VmGrowthPerYear,
        CostField::VmsPerHost,
        CostField::EscalationPerYear,
    ];

    /// The key in `[costs]`.
    pub fn key(self) -> &'static str {
        match self {
            CostField::HardwarePerHost => "hardware_per_host",
            CostField::HardwareLifeYears => "hardware_life_years",
            CostField::WattsPerHost => "watts_per_host",
            CostField::KwhPrice => "kwh_price",
            CostField::Pue => "pue",
            CostField::HoursPerYear => "hours_per_year",
            CostField::AdminPerHostYear => "admin_per_host_year",
            CostField::FacilitiesPerHostYear => "facilities_per_host_year",
            CostField::DiscountRate => "discount_rate",
            CostField::VmGrowthPerYear => "vm_growth_per_year",
            CostField::VmsPerHost => "vms_per_host",
            CostField::EscalationPerYear => "escalation_per_year",
        }
    }

    /// The values the estate reader accepts.
    pub fn bounds(self) -> Bounds {
        match self {
            CostField::HardwareLifeYears => Bounds::closed(1, 30),
            CostField::VmsPerHost => Bounds::closed(1, 100_000),
            CostField::DiscountRate | CostField::EscalationPerYear => Bounds::decimal(0, Some(1)),
            CostField::VmGrowthPerYear => Bounds::decimal(0, Some(10)),
            CostField::Pue => Bounds::decimal(1, Some(5)),
            CostField::HoursPerYear => Bounds::decimal(1, Some(8784)),
            CostField::HardwarePerHost
            | CostField::WattsPerHost
            | CostField::KwhPrice
            | CostField::AdminPerHostYear
            | CostField::FacilitiesPerHostYear => Bounds::decimal(0, None),
        }
    }

    fn get(self, c: &Costs) -> Option<Decimal> {
        match self {
            CostField::HardwarePerHost => c.hardware_per_host,
            CostField::HardwareLifeYears => c.hardware_life_years.map(Decimal::from),
            CostField::WattsPerHost => c.watts_per_host,
            CostField::KwhPrice => c.kwh_price,
            CostField::Pue => c.pue,
            CostField::HoursPerYear => c.hours_per_year,
            CostField::AdminPerHostYear => c.admin_per_host_year,
            CostField::FacilitiesPerHostYear => c.facilities_per_host_year,
            CostField::DiscountRate => c.discount_rate,
            CostField::VmGrowthPerYear => c.vm_growth_per_year,
            CostField::VmsPerHost => c.vms_per_host.map(Decimal::from),
            CostField::EscalationPerYear => c.escalation_per_year,
        }
    }

    fn set(self, c: &mut Costs, v: Decimal) {
        match self {
            CostField::HardwarePerHost => c.hardware_per_host = Some(v),
            CostField::HardwareLifeYears => c.hardware_life_years = Some(whole(v)),
            CostField::WattsPerHost => c.watts_per_host = Some(v),
            CostField::KwhPrice => c.kwh_price = Some(v),
            CostField::Pue => c.pue = Some(v),
            CostField::HoursPerYear => c.hours_per_year = Some(v),
            CostField::AdminPerHostYear => c.admin_per_host_year = Some(v),
            CostField::FacilitiesPerHostYear => c.facilities_per_host_year = Some(v),
            CostField::DiscountRate => c.discount_rate = Some(v),
            CostField::VmGrowthPerYear => c.vm_growth_per_year = Some(v),
            CostField::VmsPerHost => c.vms_per_host = Some(whole(v)),
            CostField::EscalationPerYear => c.escalation_per_year = Some(v),
        }
    }
}

/// A checked whole number as `u32` (values are range-checked before they get here).
fn whole(v: Decimal) -> u32 {
    v.trunc().to_u32().unwrap_or(u32::MAX)
}

impl Field {
    /// Parses a field spec against an estate: `hosts` (one cluster), `prod.hosts`, `years`,
    /// `kwh_price` or `costs.kwh_price`, `discount.vmware`, `fx.EUR`. Vendors are those of the
    /// pricebooks the estate's plans use.
    pub fn parse(text: &str, estate: &Estate, books: &PricebookSet) -> Result<Field, InputError> {
        let text = text.trim();
        if text == "years" {
            return Ok(Field::Years);
        }
        let cost_key = text.strip_prefix("costs.").unwrap_or(text);
        if let Some(f) = CostField::ALL.iter().find(|f| f.key() == cost_key) {
            return Ok(Field::Cost(*f));
        }
        for prefix in ["discount.", "vendor_discount.", "costs.vendor_discount."] {
            if let Some(vendor) = text.strip_prefix(prefix) {
                let valid = vendors(estate, books);
                if valid.iter().any(|v| v == vendor) {
                    return Ok(Field::Discount(vendor.to_owned()));
                }
                let refs: Vec<&str> = valid.iter().map(String::as_str).collect();
                return Err(InputError::new(
                    format!("no pricebook of this estate's plans is sold by vendor `{vendor}`"),
                    Some(list_help(vendor, &refs, "vendors")),
                ));
            }
        }
        for prefix in ["fx.", "costs.fx."] {
            if let Some(cur) = text.strip_prefix(prefix) {
                let valid: Vec<&str> = estate
                    .costs
                    .as_ref()
                    .map(|c| c.fx.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                if valid.contains(&cur) {
                    return Ok(Field::Fx(cur.to_owned()));
                }
                return Err(InputError::new(
                    format!("the estate states no exchange rate for `{cur}`"),
                    Some(list_help(
                        cur,
                        &valid,
                        "currencies with a rate in [costs] fx",
                    )),
                ));
            }
        }
        let names: Vec<&str> = estate.clusters.iter().map(|c| c.name.as_str()).collect();
        if let Some(f) = ClusterField::ALL.iter().find(|f| f.key() == text) {
            return match names.as_slice() {
                [_] => Ok(Field::Cluster {
                    cluster: 0,
                    field: *f,
                }),
                _ => Err(InputError::new(
                    format!(
                        "`{text}` is a cluster field and the estate has {} clusters; say which",
                        names.len()
                    ),
                    Some(format!(
                        "use CLUSTER.{text}: {}",
                        names
                            .iter()
                            .map(|n| format!("{n}.{text}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                )),
            };
        }
        if let Some((cluster, key)) = text.rsplit_once('.')
            && let Some(index) = names.iter().position(|n| *n == cluster)
        {
            return match ClusterField::ALL.iter().find(|f| f.key() == key) {
                Some(f) => Ok(Field::Cluster {
                    cluster: index,
                    field: *f,
                }),
                None => {
                    let keys: Vec<&str> = ClusterField::ALL.iter().map(|f| f.key()).collect();
                    Err(InputError::new(
                        format!("unknown cluster field `{key}`"),
                        Some(list_help(key, &keys, "cluster fields")),
                    ))
                }
            };
        }
        if let Some((cluster, key)) = text.rsplit_once('.')
            && ClusterField::ALL.iter().any(|f| f.key() == key)
        {
            return Err(InputError::new(
                format!("unknown cluster `{cluster}`"),
                Some(list_help(cluster, &names, "clusters")),
            ));
        }
        let valid = valid_specs(estate, books);
        let refs: Vec<&str> = valid.iter().map(String::as_str).collect();
        Err(InputError::new(
            format!("unknown field `{text}`"),
            Some(list_help(text, &refs, "fields")),
        ))
    }

    /// The canonical name: `prod.hosts`, `years`, `costs.kwh_price`, `discount.vmware`,
    /// `fx.EUR`.
    pub fn name(&self, estate: &Estate) -> String {
        match self {
            Field::Cluster { cluster, field } => {
                let c = estate
                    .clusters
                    .get(*cluster)
                    .map_or("?", |c| c.name.as_str());
                format!("{c}.{}", field.key())
            }
            Field::Years => "years".to_owned(),
            Field::Cost(f) => format!("costs.{}", f.key()),
            Field::Discount(v) => format!("discount.{v}"),
            Field::Fx(c) => format!("fx.{c}"),
        }
    }

    /// The values the field accepts (those the estate reader accepts).
    pub fn bounds(&self) -> Bounds {
        match self {
            Field::Cluster { field, .. } => field.bounds(),
            Field::Years => Bounds::closed(1, bounds::YEARS),
            Field::Cost(f) => f.bounds(),
            Field::Discount(_) => Bounds {
                high_open: true,
                ..Bounds::decimal(0, Some(1))
            },
            Field::Fx(_) => Bounds {
                low_open: true,
                ..Bounds::decimal(0, Some(1_000_000))
            },
        }
    }

    /// True for fields that count things (whole numbers).
    pub fn is_integer(&self) -> bool {
        self.bounds().integer
    }

    /// The field's value in the estate; `None` when the estate leaves it unset.
    pub fn get(&self, estate: &Estate) -> Option<Decimal> {
        match self {
            Field::Cluster { cluster, field } => {
                let c = estate.clusters.get(*cluster)?;
                match field {
                    ClusterField::Hosts => Some(Decimal::from(c.hosts)),
                    ClusterField::SocketsPerHost => Some(Decimal::from(c.sockets_per_host)),
                    ClusterField::CoresPerSocket => Some(Decimal::from(c.cores_per_socket)),
                    ClusterField::RamGbPerHost => c.ram_gb_per_host.map(Decimal::from),
                    ClusterField::Vms => c.vms.map(Decimal::from),
                    ClusterField::VmRamGb => c.vm_ram_gb,
                    ClusterField::WindowsVms => c.windows_vms.map(Decimal::from),
                }
            }
            Field::Years => Some(Decimal::from(estate.years)),
            Field::Cost(f) => f.get(estate.costs.as_ref()?),
            Field::Discount(v) => estate.costs.as_ref()?.vendor_discount.get(v).copied(),
            Field::Fx(c) => estate.costs.as_ref()?.fx.get(c).copied(),
        }
    }

    /// Checks a value against the field's range, as the estate reader would.
    pub fn check(&self, value: Decimal, estate: &Estate) -> Result<(), InputError> {
        let b = self.bounds();
        if b.contains(value) {
            Ok(())
        } else {
            Err(InputError::new(
                format!(
                    "{} is out of range for {}",
                    plain_text(value),
                    self.name(estate)
                ),
                Some(format!("expected {}", b.describe())),
            ))
        }
    }

    /// Sets the field to `value` after checking it; a `[costs]` block is created when needed.
    pub fn set(&self, estate: &mut Estate, value: Decimal) -> Result<(), InputError> {
        self.check(value, estate)?;
        match self {
            Field::Cluster { cluster, field } => {
                let Some(c) = estate.clusters.get_mut(*cluster) else {
                    return Err(InputError::new(
                        format!("the estate has no cluster {}", cluster + 1),
                        None,
                    ));
                };
                match field {
                    ClusterField::Hosts => c.hosts = whole(value),
                    ClusterField::SocketsPerHost => c.sockets_per_host = whole(value),
                    ClusterField::CoresPerSocket => c.cores_per_socket = whole(value),
                    ClusterField::RamGbPerHost => c.ram_gb_per_host = Some(whole(value)),
                    ClusterField::Vms => c.vms = Some(whole(value)),
                    ClusterField::VmRamGb => c.vm_ram_gb = Some(value),
                    ClusterField::WindowsVms => c.windows_vms = Some(whole(value)),
                }
            }
            Field::Years => estate.years = whole(value),
            Field::Cost(f) => f.set(estate.costs.get_or_insert_with(Costs::default), value),
            Field::Discount(v) => {
                estate
                    .costs
                    .get_or_insert_with(Costs::default)
                    .vendor_discount
                    .insert(v.clone(), value);
            }
            Field::Fx(c) => {
                estate
                    .costs
                    .get_or_insert_with(Costs::default)
                    .fx
                    .insert(c.clone(), value);
            }
        }
        Ok(())
    }

    /// A value of the field in words: "10 cores per CPU", "8 hosts in prod" (several
    /// clusters), "3 years", "costs.kwh_price 0.12".
    pub fn describe(&self, value: Decimal, estate: &Estate) -> String {
        let v = plain_text(value);
        match self {
            Field::Cluster { cluster, field } => {
                let mut s = format!("{v} {}", field.unit(value));
                if estate.clusters.len() > 1
                    && let Some(c) = estate.clusters.get(*cluster)
                {
                    s.push_str(&format!(" in {}", c.name));
                }
                s
            }
            Field::Years if value == Decimal::ONE => "1 year".to_owned(),
            Field::Years => format!("{v} years"),
            _ => format!("{} {v}", self.name(estate)),
        }
    }

    /// Every numeric field the estate sets, in a fixed order: clusters in estate order (their
    /// fields in format order), then `[costs]` numbers, negotiated discounts and exchange
    /// rates by key. `years` is not included (the horizon is not an input to vary by ±%).
    pub fn all_set(estate: &Estate) -> Vec<Field> {
        let mut out = Vec::new();
        for cluster in 0..estate.clusters.len() {
            for field in ClusterField::ALL {
                let f = Field::Cluster { cluster, field };
                if f.get(estate).is_some() {
                    out.push(f);
                }
            }
        }
        if let Some(c) = &estate.costs {
            out.extend(
                CostField::ALL
                    .iter()
                    .filter(|f| f.get(c).is_some())
                    .map(|f| Field::Cost(*f)),
            );
            out.extend(c.vendor_discount.keys().map(|v| Field::Discount(v.clone())));
            out.extend(c.fx.keys().map(|k| Field::Fx(k.clone())));
        }
        out
    }
}

/// Vendors of the pricebooks the estate's plans use, and those it already discounts; sorted.
fn vendors(estate: &Estate, books: &PricebookSet) -> Vec<String> {
    let mut out: Vec<String> = estate
        .costs
        .as_ref()
        .map(|c| c.vendor_discount.keys().cloned().collect())
        .unwrap_or_default();
    for s in &estate.scenarios {
        for p in &s.plans {
            let refs = std::iter::once(&p.edition)
                .chain(&p.addons)
                .chain(p.guest_os.as_ref());
            for r in refs {
                if let Some(b) = books.get(&r.book) {
                    out.push(b.vendor.clone());
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Every field spec valid for this estate, for "valid fields" lists.
fn valid_specs(estate: &Estate, books: &PricebookSet) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let single = estate.clusters.len() == 1;
    for c in &estate.clusters {
        for f in ClusterField::ALL {
            out.push(if single {
                f.key().to_owned()
            } else {
                format!("{}.{}", c.name, f.key())
            });
        }
    }
    out.push("years".to_owned());
    out.extend(CostField::ALL.iter().map(|f| f.key().to_owned()));
    out.extend(
        vendors(estate, books)
            .into_iter()
            .map(|v| format!("discount.{v}")),
    );
    if let Some(c) = &estate.costs {
        out.extend(c.fx.keys().map(|k| format!("fx.{k}")));
    }
    out
}

/// "did you mean `x`? valid WHAT: a, b, c" with the whole list.
fn list_help(word: &str, valid: &[&str], what: &str) -> String {
    let mut help = String::new();
    if let Some(s) = did_you_mean(word, valid.iter().copied()) {
        help.push_str(&format!("did you mean `{s}`? "));
    }
    if valid.is_empty() {
        help.push_str(&format!("there are no {what}"));
    } else {
        help.push_str(&format!("valid {what}: {}", valid.join(", ")));
    }
    help
}

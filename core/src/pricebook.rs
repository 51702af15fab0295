//! Pricebooks: one vendor product at one point in time, as data.
//!
//! A pricebook holds editions, add-ons, support plans, upgrade paths and promotions. How units
//! are counted (the [`Metric`]), how they are paid for (the [`Term`]) and every price with its
//! source and [`Confidence`] are all data: the engine has no vendor or pricebook literal.
//! The TOML format is documented field by field in `pricebooks/README.md`.

mod cite;
mod diff;
pub(crate) mod parse;
mod set;

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;

use crate::date::Date;
use crate::ids::{ItemRef, PricebookId};

pub use diff::{Change, diff};
pub use parse::parse_pricebook;
pub use set::{LoadedPricebooks, PricebookSet, StarterEdition};

/// One pricebook, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct Pricebook {
    /// `vmware-vsphere-4.0`.
    pub id: PricebookId,
    /// Human name.
    pub name: String,
    /// Vendor key, e.g. `vmware`.
    pub vendor: String,
    /// ISO 4217 currency of every amount in the book.
    pub currency: String,
    /// First day the product could be bought.
    pub on_sale_from: Option<Date>,
    /// Last day the product could be bought new (inclusive).
    pub on_sale_until: Option<Date>,
    /// Modelling decisions and caveats.
    pub notes: Vec<String>,
    /// Vendor word → vendor-neutral feature tag.
    pub aliases: BTreeMap<String, String>,
    /// Editions and add-ons.
    pub items: Vec<Item>,
    /// Support plans.
    pub support: Vec<SupportPlan>,
    /// Upgrade paths into this book's editions.
    pub upgrades: Vec<UpgradePath>,
    /// Date-windowed discounts.
    pub promotions: Vec<Promotion>,
    /// Dated or optional licensing rules.
    pub rules: Vec<LicensingRule>,
    /// Every estate cluster of one `group` must run the same edition of this book.
    pub uniform_edition: bool,
    /// Where the text came from (`<bundled>` or a file name).
    pub origin: String,
    /// `sha256:` of the TOML text, so a quote names exactly the data it used.
    pub hash: String,
}

/// Whether an item is a base edition or an add-on on top of one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemRole {
    /// A base product edition a plan chooses one of.
    Edition,
    /// Priced on its own metric, on top of an edition.
    AddOn,
}

/// An edition or add-on.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// Id inside the book.
    pub id: String,
    /// Human name.
    pub name: String,
    /// Edition or add-on.
    pub role: ItemRole,
    /// Feature tags provided (aliases resolved).
    pub features: Vec<String>,
    /// Provided features that are our choice where the facts are unverified.
    pub features_unverified: Vec<String>,
    /// Feature tags the plan's edition must provide (add-ons).
    pub requires: Vec<String>,
    /// Editions only: add-ons of the book bought with the edition because it cannot be used
    /// without them (vCenter Server for the per-CPU vSphere editions).
    pub requires_items: Vec<String>,
    /// How units are counted.
    pub metric: Metric,
    /// Perpetual or subscription.
    pub term: Term,
    /// Per unit (one-time for perpetual, per year for subscription); with term prices, the
    /// price of the default term.
    pub price: Price,
    /// The subscription term, in years, that `price` is for: the term a plan gets unless it
    /// names one. Set exactly when the item sells other terms (`term_prices`).
    pub default_term_years: Option<u32>,
    /// Prices per year of the other subscription terms the item is sold on (VVF on a 1-year
    /// term costs more per core-year than on a 3-year term).
    pub term_prices: Vec<TermPrice>,
    /// First day the item can be bought, when later than its book's (free ESXi came back on
    /// 2025-04-10, inside a book on sale from 2023).
    pub on_sale_from: Option<Date>,
    /// First day the item can no longer be bought new.
    pub end_of_sale: Option<Date>,
    /// The vendor withdrew the announced `end_of_sale`: from that day the item is on sale
    /// again, whatever the announced date (vSphere 4 Enterprise, October 2009).
    pub end_of_sale_withdrawn: Option<Withdrawal>,
    /// Per-host and tier limits.
    pub limits: Limits,
    /// Guest VMs a licence covers.
    pub vm_rights: Option<VmRights>,
    /// Pooled memory entitlement.
    pub pool: Option<Pool>,
    /// Caveats.
    pub notes: Vec<String>,
    /// Editions only: offered as a starter scenario when an inventory is imported.
    pub starter: Option<Starter>,
}

/// An edition's place among the starter scenarios of an imported estate (`starter = { rank =
/// 1, scenario = "…" }`): data, so that a new pricebook becomes a starter without code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Starter {
    /// Order among the starters of every loaded book (lowest first; ties by book and edition
    /// id).
    pub rank: u32,
    /// The scenario's name: the edition's own name unless the book gives one.
    pub scenario: String,
    /// The short name `hypercost init --compare` takes for it (`lowercase-words`): several
    /// books' starters may share one (one era each), and the one on sale on the estate's
    /// purchase date is chosen.
    pub short: Option<String>,
}

/// A subscription's price per unit per year on a term of `years`.
#[derive(Clone, Debug, PartialEq)]
pub struct TermPrice {
    /// Term length in years.
    pub years: u32,
    /// Per unit per year on that term.
    pub price: Price,
}

/// An announced end of sale the vendor took back, with its citation.
#[derive(Clone, Debug, PartialEq)]
pub struct Withdrawal {
    /// The day the withdrawal is known (inclusive): the announced end of sale no longer holds.
    pub on: Date,
    /// Where it is reported.
    pub source: String,
    /// How sure we are.
    pub confidence: Confidence,
    /// Caveat (e.g. that the day is approximate).
    pub note: Option<String>,
}

impl Item {
    /// True when the item can be bought new on `date`: `end_of_sale` is the first day it
    /// cannot, unless the vendor withdrew that end of sale by `date`. The one test the engine
    /// and the page's catalogue use (the book must be on sale too: [`Pricebook::on_sale`]).
    pub fn on_sale(&self, date: Date) -> bool {
        let withdrawn = self
            .end_of_sale_withdrawn
            .as_ref()
            .is_some_and(|w| date >= w.on);
        let started = self.on_sale_from.is_none_or(|f| date >= f);
        started && (withdrawn || self.end_of_sale.is_none_or(|eos| date < eos))
    }

    /// The price on a term of `years` (`None`: the default term): `None` when the item is not
    /// sold on that term.
    pub fn price_for(&self, years: Option<u32>) -> Option<&Price> {
        match years {
            None => Some(&self.price),
            Some(y) if self.default_term_years == Some(y) => Some(&self.price),
            Some(y) => self
                .term_prices
                .iter()
                .find(|t| t.years == y)
                .map(|t| &t.price),
        }
    }

    /// The terms the item is sold on, in years, shortest first (empty: no terms).
    pub fn terms(&self) -> Vec<u32> {
        let mut out: Vec<u32> = self
            .default_term_years
            .into_iter()
            .chain(self.term_prices.iter().map(|t| t.years))
            .collect();
        out.sort_unstable();
        out
    }

    /// Every feature provided, verified or not.
    pub fn provides(&self, feature: &str) -> bool {
        self.features.iter().any(|f| f == feature)
            || self.features_unverified.iter().any(|f| f == feature)
    }
}

/// How confident the facts are in a price (pricing-facts.md conventions).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Confidence {
    /// Primary source, or several independent sources agree.
    P,
    /// A single reputable secondary source.
    S,
    /// A weak source: a default for the user to override.
    W,
    /// Sources conflict.
    C,
    /// Commonly quoted but not found in any source.
    #[serde(rename = "UNVERIFIED")]
    Unverified,
    /// The estate's own figure (hardware, power, admin costs): quotes only, never a pricebook.
    #[serde(rename = "ESTATE")]
    Estate,
}

impl Confidence {
    /// The marks a data file (a pricebook, a hardware catalogue) may give a price; `ESTATE`
    /// marks an estate's own figures in a quote and is never written in a file.
    pub const IN_FILES: [Confidence; 5] = [
        Confidence::P,
        Confidence::S,
        Confidence::W,
        Confidence::C,
        Confidence::Unverified,
    ];

    /// The mark as written in pricebooks and quotes.
    pub fn mark(self) -> &'static str {
        match self {
            Confidence::P => "P",
            Confidence::S => "S",
            Confidence::W => "W",
            Confidence::C => "C",
            Confidence::Unverified => "UNVERIFIED",
            Confidence::Estate => "ESTATE",
        }
    }

    /// True for marks a buyer should double-check before acting.
    pub fn is_doubtful(self) -> bool {
        matches!(self, Confidence::W | Confidence::C | Confidence::Unverified)
    }
}

/// A price with its citation.
#[derive(Clone, Debug, PartialEq)]
pub struct Price {
    /// Amount per unit; `None` only when unknown (confidence UNVERIFIED).
    pub amount: Option<Decimal>,
    /// The range the sources allow (`low`, `high`: the stated values of a conflict, a
    /// quote's band), when the book gives one; `hypercost uncertainty` draws from it rather
    /// than from the confidence mark's default width.
    pub range: Option<(Decimal, Decimal)>,
    /// Where the figure comes from.
    pub source: String,
    /// How sure we are.
    pub confidence: Confidence,
    /// Derivation or caveat.
    pub note: Option<String>,
}

/// A percentage with its citation (support rates, discounts).
#[derive(Clone, Debug, PartialEq)]
pub struct Rate {
    /// Percent, e.g. 25 for 25 %.
    pub percent: Decimal,
    /// Where the figure comes from.
    pub source: String,
    /// How sure we are.
    pub confidence: Confidence,
    /// Derivation or caveat.
    pub note: Option<String>,
}

/// What happens on a CPU with more cores than a per-CPU licence covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AboveCap {
    /// Stack licences: ceil(cores / cap) per CPU.
    Stack,
    /// Not allowed: the plan is non-compliant.
    Forbidden,
}

/// How licence units are counted.
#[derive(Clone, Debug, PartialEq)]
pub enum Metric {
    /// Per CPU socket, optionally with a core cap.
    PerSocket {
        /// Cores one licence covers per CPU.
        core_cap: Option<u32>,
        /// Above the cap.
        above_cap: AboveCap,
    },
    /// Per physical core with floors and packs.
    PerCore {
        /// Minimum cores counted per CPU.
        min_per_cpu: Option<u32>,
        /// Minimum cores counted per host.
        min_per_host: Option<u32>,
        /// Cores are sold in packs of this size (per host).
        pack: Option<u32>,
        /// Minimum cores per order (per scenario, per item).
        min_order: Option<u32>,
    },
    /// Per server, with a maximum of sockets.
    PerServer {
        /// Sockets one licence allows.
        max_sockets: Option<u32>,
    },
    /// One licence covers N CPUs of one host (cannot be split across hosts), and with
    /// `max_cores` at most that many of the host's cores: licences stack above it.
    PerProcessors {
        /// N.
        processors: u32,
        /// Cores of one host one licence covers at most (Red Hat's socket-pair: 128).
        max_cores: Option<u32>,
    },
    /// Per virtual machine.
    PerVm,
    /// One per scenario, whatever the clusters (a management server such as vCenter):
    /// bought once for every plan that uses it.
    PerInstance,
    /// One per user of the estate's servers (`[costs] users`), bought once per scenario:
    /// client access licences.
    PerUser,
    /// One per device using the estate's servers (`[costs] devices`), bought once per scenario.
    PerDevice,
    /// Per TiB of the cluster's storage capacity (`vsan_tib`, rounded up).
    PerTib,
    /// Core licences per VM: each VM at least `min_per_vm` cores, or its vCPUs (Windows
    /// Server licensed by individual VM, with SA or subscription).
    PerVmCores {
        /// Cores counted per VM at least.
        min_per_vm: u32,
        /// Cores per customer at least (per scenario, per item).
        min_order: Option<u32>,
    },
    /// One unit covers a whole small cluster; one kit per cluster, not combinable.
    Kit {
        /// Hosts the kit covers.
        max_hosts: u32,
        /// CPU licences per host.
        max_sockets_per_host: u32,
        /// Cores per CPU.
        core_cap: Option<u32>,
        /// Above the cap.
        above_cap: AboveCap,
    },
    /// No licence fee.
    Free,
}

impl Metric {
    /// The metric in words: "per CPU socket, 6-core cap (stack above it)".
    pub fn describe(&self) -> String {
        let cap = |cap: &Option<u32>, above: &AboveCap| match (cap, above) {
            (Some(c), AboveCap::Stack) => format!(", {c}-core cap (licences stack above it)"),
            (Some(c), AboveCap::Forbidden) => format!(", {c}-core cap (not allowed above it)"),
            (None, _) => String::new(),
        };
        let opt =
            |label: &str, v: &Option<u32>| v.map(|n| format!(", {label} {n}")).unwrap_or_default();
        match self {
            Metric::PerSocket {
                core_cap,
                above_cap,
            } => format!("per CPU socket{}", cap(core_cap, above_cap)),
            Metric::PerCore {
                min_per_cpu,
                min_per_host,
                pack,
                min_order,
            } => format!(
                "per core{}{}{}{}",
                opt("minimum per CPU", min_per_cpu),
                opt("minimum per host", min_per_host),
                opt("packs of", pack),
                opt("minimum per order", min_order)
            ),
            Metric::PerServer { max_sockets } => {
                format!("per server{}", opt("up to sockets:", max_sockets))
            }
            Metric::PerProcessors {
                processors,
                max_cores,
            } => match max_cores {
                Some(m) => format!(
                    "per {processors} processors of one host, up to {m} cores (licences stack above)"
                ),
                None => format!("per {processors} processors of one host"),
            },
            Metric::PerVm => "per VM".to_owned(),
            Metric::PerInstance => "per instance (one per scenario)".to_owned(),
            Metric::PerUser => "per user of the servers (counted once per scenario)".to_owned(),
            Metric::PerDevice => {
                "per device using the servers (counted once per scenario)".to_owned()
            }
            Metric::PerTib => "per TiB of vSAN capacity".to_owned(),
            Metric::PerVmCores {
                min_per_vm,
                min_order,
            } => format!(
                "per VM: max({min_per_vm}, its vCPUs) cores{}",
                opt("minimum per order", min_order)
            ),
            Metric::Kit {
                max_hosts,
                max_sockets_per_host,
                core_cap,
                above_cap,
            } => format!(
                "kit for up to {max_hosts} hosts × {max_sockets_per_host} CPUs{}",
                cap(core_cap, above_cap)
            ),
            Metric::Free => "free".to_owned(),
        }
    }

    /// Bought once for the whole scenario, not per cluster: a management server, or licences
    /// counted per user or device of the estate.
    pub fn once_per_scenario(&self) -> bool {
        matches!(
            self,
            Metric::PerInstance | Metric::PerUser | Metric::PerDevice
        )
    }

    /// `n` units in words: "16 CPU licences", "1 kit".
    pub fn units(&self, n: u64) -> Plural<'static> {
        Plural(n, self.unit())
    }

    /// The unit counted, for rules: "CPU licence", "core", "kit", …
    pub fn unit(&self) -> &'static str {
        match self {
            Metric::PerSocket { .. } => "CPU licence",
            Metric::PerCore { .. } => "core",
            Metric::PerServer { .. } => "server licence",
            Metric::PerProcessors { .. } => "licence",
            Metric::PerVm => "VM licence",
            Metric::PerInstance => "instance",
            Metric::PerUser => "user licence",
            Metric::PerDevice => "device licence",
            Metric::PerTib => "TiB",
            Metric::PerVmCores { .. } => "core",
            Metric::Kit { .. } => "kit",
            Metric::Free => "host",
        }
    }
}

/// `n word` or `n words`, written straight into the rule around it (no string of its own:
/// a large quote writes one per line).
pub struct Plural<'w>(pub u64, pub &'w str);

impl fmt::Display for Plural<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = if self.0 == 1 { "" } else { "s" };
        write!(f, "{} {}{s}", self.0, self.1)
    }
}

/// How an item is paid for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Term {
    /// One-time licence price; support plans are annual on top.
    Perpetual,
    /// Price per unit per year; nothing is owned at the end.
    Subscription,
}

/// Limits on where an item may be used.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Limits {
    /// Hosts per cluster.
    pub max_hosts: Option<u32>,
    /// Sockets per host.
    pub max_sockets_per_host: Option<u32>,
    /// Cores per socket.
    pub max_cores_per_socket: Option<u32>,
    /// Physical RAM per host, GB.
    pub max_ram_gb_per_host: Option<u32>,
    /// Days of use (trials).
    pub days: Option<u32>,
    /// Citation.
    pub source: Option<String>,
}

/// Guest VMs one licence covers.
#[derive(Clone, Debug, PartialEq)]
pub enum VmRights {
    /// N VMs per full licensing of the host; more VMs stack more licensings.
    PerLicence {
        /// VMs per licence.
        vms: u32,
        /// Citation.
        source: String,
    },
    /// Unlimited VMs on a licensed host.
    Unlimited {
        /// Citation.
        source: String,
    },
}

/// Pooled memory entitlement (vSphere 5.0 vRAM).
#[derive(Clone, Debug, PartialEq)]
pub struct Pool {
    /// GB of configured VM memory each licence adds to the edition's pool.
    pub gb_per_licence: u32,
    /// The most one VM counts against the pool.
    pub vm_cap_gb: Option<u32>,
    /// The pool can never exceed this (kits, free tiers).
    pub hard_cap_gb: Option<u32>,
    /// Citation.
    pub source: String,
}

/// An annual support plan.
#[derive(Clone, Debug, PartialEq)]
pub struct SupportPlan {
    /// Id inside the book.
    pub id: String,
    /// Human name.
    pub name: String,
    /// Buying a perpetual item without support is non-compliant.
    pub first_year_mandatory: bool,
    /// How the annual price is set.
    pub basis: SupportBasis,
    /// Item ids covered; `None` = every priced perpetual item of the book.
    pub covers: Option<Vec<String>>,
}

/// How a support plan's annual price per unit is set.
#[derive(Clone, Debug, PartialEq)]
pub enum SupportBasis {
    /// A percentage of the item's list price per year.
    Rate(Rate),
    /// A fixed price per unit per year.
    Price(Price),
}

impl SupportPlan {
    /// True when the plan covers the item.
    pub fn covers(&self, item: &Item) -> bool {
        match &self.covers {
            Some(ids) => ids.contains(&item.id),
            None => item.term == Term::Perpetual && item.metric != Metric::Free,
        }
    }
}

/// Owned licence → new edition.
#[derive(Clone, Debug, PartialEq)]
pub struct UpgradePath {
    /// Id inside the book.
    pub id: String,
    /// Human name.
    pub name: String,
    /// The owned licence.
    pub from: ItemRef,
    /// An edition of this book.
    pub to: String,
    /// Units of `to` per unit of `from`.
    pub units_per_licence: u32,
    /// The owned licence must have active support.
    pub requires_active_support: bool,
    /// Per unit of `to`.
    pub price: Price,
}

/// A percentage off an item or upgrade path within a date window.
#[derive(Clone, Debug, PartialEq)]
pub struct Promotion {
    /// Id inside the book.
    pub id: String,
    /// Human name.
    pub name: String,
    /// Edition, add-on or upgrade path id of this book.
    pub applies_to: String,
    /// Percent off the unit price.
    pub discount: Rate,
    /// First day (inclusive).
    pub valid_from: Option<Date>,
    /// Last day (inclusive).
    pub valid_until: Option<Date>,
}

impl Promotion {
    /// Judged on the estate's purchase date.
    pub fn is_valid_on(&self, date: Date) -> bool {
        self.valid_from.is_none_or(|f| date >= f) && self.valid_until.is_none_or(|u| date <= u)
    }
}

/// A licensing rule that holds in a date window, or only when an estate switches it on.
#[derive(Clone, Debug, PartialEq)]
pub struct LicensingRule {
    /// Id inside the book.
    pub id: String,
    /// Human name.
    pub name: String,
    /// What the rule does.
    pub kind: RuleKind,
    /// Item ids it applies to.
    pub applies_to: Vec<String>,
    /// First day it applies (inclusive), judged on the purchase date.
    pub from: Option<Date>,
    /// Last day it applies (inclusive).
    pub until: Option<Date>,
    /// In force unless an estate switches it off; `false` = optional, off unless switched on.
    pub default_on: bool,
    /// On (unless switched off) for a renewal made after its contract ended, off otherwise:
    /// a late-renewal surcharge (`default = "late-renewal"`).
    pub late_renewal: bool,
    /// Only the first N years of the horizon (e.g. a late-renewal surcharge on year 1).
    pub years: Option<u32>,
    /// Only in these sales regions (`None`: everywhere). An estate without a region gets
    /// every regional rule, and the quote says so.
    pub regions: Option<Vec<crate::region::Region>>,
    /// Citation.
    pub source: String,
    /// How sure we are.
    pub confidence: Confidence,
    /// Caveat, e.g. why it is disputed.
    pub note: Option<String>,
}

/// What a [`LicensingRule`] does.
#[derive(Clone, Debug, PartialEq)]
pub enum RuleKind {
    /// At least this many units per order of each item, scenario-wide.
    MinOrder {
        /// Units.
        units: u32,
    },
    /// A per-socket licence covers at most this many cores per CPU.
    CoreCap {
        /// Cores.
        cores: u32,
        /// Above the cap.
        above_cap: AboveCap,
    },
    /// A percentage added to the item's licence or subscription lines.
    Surcharge {
        /// Percent, e.g. 20.
        percent: Decimal,
    },
    /// A percentage off the item's licence or subscription lines, usually optional and
    /// switched on by an estate that qualifies (Azure Hybrid Benefit waives 100 %).
    Discount {
        /// Percent, e.g. 100.
        percent: Decimal,
    },
    /// Storage capacity each licensed unit entitles, pooled across the scenario's clusters of
    /// the edition; capacity beyond it (the clusters' `vsan_tib`, each rounded up) is bought
    /// as `addon`, per TiB (vSAN in VCF and VVF).
    Capacity {
        /// TiB entitled per licensed unit (1 per VCF core; 0.25 or 100 GiB per VVF core).
        tib_per_unit: Decimal,
        /// The add-on of this book that sells capacity, per TiB.
        addon: String,
        /// Once the entitlement is exceeded, the whole capacity is bought (VVF's first
        /// rule), not only the excess.
        whole: bool,
    },
}

impl RuleKind {
    /// What the rule does, in words: `pricebook show` and `pricebook diff` say it so.
    pub fn describe(&self) -> String {
        let plain = crate::money::plain_text;
        match self {
            RuleKind::MinOrder { units } => format!("minimum order of {units} units"),
            RuleKind::CoreCap { cores, above_cap } => format!(
                "{cores} cores per CPU licence ({} above)",
                match above_cap {
                    AboveCap::Stack => "stack",
                    AboveCap::Forbidden => "forbidden",
                }
            ),
            RuleKind::Surcharge { percent } => format!("+{} % surcharge", plain(*percent)),
            RuleKind::Discount { percent } => format!("{} % off", plain(*percent)),
            RuleKind::Capacity {
                tib_per_unit,
                addon,
                whole,
            } => format!(
                "{} TiB per licensed unit, pooled; beyond it {} of {addon} per TiB",
                plain(*tib_per_unit),
                if *whole {
                    "the whole capacity"
                } else {
                    "the excess"
                }
            ),
        }
    }
}

impl LicensingRule {
    /// True when the date is inside the rule's window.
    pub fn in_window(&self, date: Date) -> bool {
        self.from.is_none_or(|f| date >= f) && self.until.is_none_or(|u| date <= u)
    }
}

impl Pricebook {
    /// The edition or add-on with this id.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// The support plan with this id.
    pub fn support_plan(&self, id: &str) -> Option<&SupportPlan> {
        self.support.iter().find(|s| s.id == id)
    }

    /// Ids of items with the given role.
    pub fn ids_of(&self, role: ItemRole) -> Vec<&str> {
        self.items
            .iter()
            .filter(|i| i.role == role)
            .map(|i| i.id.as_str())
            .collect()
    }

    /// Promotions for an item or upgrade path id.
    pub fn promotions_for<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Promotion> + 'a {
        self.promotions.iter().filter(move |p| p.applies_to == id)
    }

    /// True when the book sells new licences on this date.
    pub fn on_sale(&self, date: Date) -> bool {
        self.on_sale_from.is_none_or(|f| date >= f) && self.on_sale_until.is_none_or(|u| date <= u)
    }
}

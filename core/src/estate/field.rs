//! Estate fields by name, for the what-if commands: parse a field spec (`prod.hosts`,
//! `pue`, `discount.vmware`), read it from a validated [`Estate`] and set it, with the
//! ranges the estate reader enforces, so a changed estate is one the reader would accept.

use rust_decimal::Decimal;

use super::spec::{self, Bounds};
use super::{ClusterField, CostField, Costs, Estate, InputTable, Slot};
use crate::diag::{Diagnostics, did_you_mean};
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

impl Field {
    /// Parses a field spec against an estate: `hosts` (one cluster), `prod.hosts`, `years`,
    /// `pue` or `costs.pue`, `discount.vmware`, `fx.EUR`. Vendors are those of the
    /// pricebooks the estate's plans use.
    pub fn parse(text: &str, estate: &Estate, books: &PricebookSet) -> Result<Field, Diagnostics> {
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
                return Err(Diagnostics::input(
                    text,
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
                return Err(Diagnostics::input(
                    text,
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
                _ => Err(Diagnostics::input(
                    text,
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
                    Err(Diagnostics::input(
                        text,
                        format!("unknown cluster field `{key}`"),
                        Some(list_help(key, &keys, "cluster fields")),
                    ))
                }
            };
        }
        if let Some((cluster, key)) = text.rsplit_once('.')
            && ClusterField::ALL.iter().any(|f| f.key() == key)
        {
            return Err(Diagnostics::input(
                text,
                format!("unknown cluster `{cluster}`"),
                Some(list_help(cluster, &names, "clusters")),
            ));
        }
        let valid = valid_specs(estate, books);
        let refs: Vec<&str> = valid.iter().map(String::as_str).collect();
        Err(Diagnostics::input(
            text,
            format!("unknown field `{text}`"),
            Some(list_help(text, &refs, "fields")),
        ))
    }

    /// The canonical name: `prod.hosts`, `years`, `costs.pue`, `discount.vmware`,
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
            Field::Years => spec::YEARS,
            Field::Cost(f) => f.bounds(),
            Field::Discount(_) => spec::VENDOR_DISCOUNT,
            Field::Fx(_) => spec::FX_RATE,
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
                c.get(*field)
            }
            Field::Years => Some(Decimal::from(estate.years)),
            Field::Cost(f) => estate.costs.as_ref()?.get(*f),
            Field::Discount(v) => estate.costs.as_ref()?.vendor_discount.get(v).copied(),
            Field::Fx(c) => estate.costs.as_ref()?.fx.get(c).copied(),
        }
    }

    /// Checks a value against the field's range, as the estate reader would.
    pub fn check(&self, value: Decimal, estate: &Estate) -> Result<(), Diagnostics> {
        let b = self.bounds();
        if b.contains(value) {
            Ok(())
        } else {
            Err(Diagnostics::input(
                self.name(estate),
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
    pub fn set(&self, estate: &mut Estate, value: Decimal) -> Result<(), Diagnostics> {
        self.put(estate, value)?;
        // A value within its own range can still make a count outgrow its range in a later
        // year (growth × years, VMs ÷ density): refused as the reader would.
        Field::check_estate(estate)
    }

    /// Checks what no single field's range can: that every count stays within its range in
    /// every year (after setting several fields with [`Field::put`]).
    pub fn check_estate(estate: &Estate) -> Result<(), Diagnostics> {
        estate
            .check_growth()
            .map_err(|o| Diagnostics::from(o.diagnostic()))
    }

    /// Sets the field to `value` after checking it against the field's own range only; call
    /// [`Field::check_estate`] once every field of a what-if is set.
    pub fn put(&self, estate: &mut Estate, value: Decimal) -> Result<(), Diagnostics> {
        self.check(value, estate)?;
        let name = self.name(estate);
        match self {
            Field::Cluster { cluster, field } => {
                let Some(c) = estate.clusters.get_mut(*cluster) else {
                    return Err(Diagnostics::input(
                        name,
                        format!("the estate has no cluster {}", cluster + 1),
                        None,
                    ));
                };
                stored(c.put(*field, value), &name)?;
            }
            Field::Years => stored(Slot::store(&mut estate.years, value), &name)?,
            Field::Cost(f) => stored(
                estate
                    .costs
                    .get_or_insert_with(Costs::default)
                    .put(*f, value),
                &name,
            )?,
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
    /// clusters), "3 years", "costs.pue 1.5".
    pub fn describe(&self, value: Decimal, estate: &Estate) -> String {
        let v = plain_text(value);
        match self {
            Field::Cluster { cluster, field } => {
                let spec = field.spec();
                let unit = if value == Decimal::ONE {
                    spec.one
                } else {
                    spec.many
                };
                let mut s = format!("{v} {unit}");
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
                    .filter(|f| c.get(**f).is_some())
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

/// A checked value the field's type cannot hold is refused, never clamped.
fn stored(ok: bool, name: &str) -> Result<(), Diagnostics> {
    if ok {
        Ok(())
    } else {
        Err(Diagnostics::input(
            name,
            "the value does not fit the field",
            Some("expected a whole number within the field's range".into()),
        ))
    }
}

//! What changed between two pricebooks, in words: [`diff`] → a list of [`Change`]s.
//!
//! Pure and deterministic: the book-level fields first, then aliases, editions and add-ons,
//! support plans, upgrade paths, promotions and rules. Within each kind the entries of A come in
//! A's order (each compared with B's entry of the same id, or removed), then the entries only B
//! has, in B's order.

use crate::date::Date;
use crate::money::{grouped_unit, plain_text};
use crate::pricebook::{
    Item, ItemRole, LicensingRule, Limits, Pool, Price, Pricebook, Promotion, Rate, RuleKind,
    SupportBasis, SupportPlan, Term, UpgradePath, VmRights,
};

/// One difference between pricebook A (old) and B (new).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// What changed: `currency`, `edition enterprise-plus: price`,
    /// `edition standard: feature ha`, `promotion enterprise-plus-upgrade-2009`.
    pub path: String,
    /// A's value in words; `None` when B adds the thing.
    pub old: Option<String>,
    /// B's value in words; `None` when B removes the thing.
    pub new: Option<String>,
}

impl Change {
    /// True when B adds what `path` names.
    pub fn is_added(&self) -> bool {
        self.old.is_none()
    }

    /// True when B removes what `path` names.
    pub fn is_removed(&self) -> bool {
        self.new.is_none()
    }
}

/// Every difference from `a` to `b`; empty when the books say the same (notes, origin and hash
/// are not compared).
pub fn diff(a: &Pricebook, b: &Pricebook) -> Vec<Change> {
    let mut d = Diff::default();
    d.field("id", a.id.0.clone(), b.id.0.clone());
    d.field("name", a.name.clone(), b.name.clone());
    d.field("vendor", a.vendor.clone(), b.vendor.clone());
    d.field("currency", a.currency.clone(), b.currency.clone());
    d.field("on_sale_from", open(a.on_sale_from), open(b.on_sale_from));
    d.field(
        "on_sale_until",
        open(a.on_sale_until),
        open(b.on_sale_until),
    );
    d.field(
        "uniform_edition",
        a.uniform_edition.to_string(),
        b.uniform_edition.to_string(),
    );
    d.entries(
        a.aliases.iter().collect(),
        b.aliases.iter().collect(),
        |(word, _)| format!("alias {word}"),
        |(_, tag)| (*tag).clone(),
        |d, path, (_, x), (_, y)| d.field(path, (*x).clone(), (*y).clone()),
    );
    d.entries(
        a.items.iter().collect(),
        b.items.iter().collect(),
        |i| format!("{} {}", role_word(i.role), i.id),
        item_summary,
        item_changes,
    );
    d.entries(
        a.support.iter().collect(),
        b.support.iter().collect(),
        |s| format!("support {}", s.id),
        support_summary,
        support_changes,
    );
    d.entries(
        a.upgrades.iter().collect(),
        b.upgrades.iter().collect(),
        |u| format!("upgrade {}", u.id),
        upgrade_summary,
        upgrade_changes,
    );
    d.entries(
        a.promotions.iter().collect(),
        b.promotions.iter().collect(),
        |p| format!("promotion {}", p.id),
        promotion_summary,
        promotion_changes,
    );
    d.entries(
        a.rules.iter().collect(),
        b.rules.iter().collect(),
        |r| format!("rule {}", r.id),
        rule_summary,
        rule_changes,
    );
    d.out
}

#[derive(Default)]
struct Diff {
    out: Vec<Change>,
}

impl Diff {
    /// Records a changed value.
    fn field(&mut self, path: &str, old: String, new: String) {
        if old != new {
            self.out.push(Change {
                path: path.to_owned(),
                old: Some(old),
                new: Some(new),
            });
        }
    }

    /// Pairs entries by their key (the path they are named by): compared when both books have
    /// one, removed or added otherwise.
    fn entries<T>(
        &mut self,
        a: Vec<T>,
        b: Vec<T>,
        key: impl Fn(&T) -> String,
        summary: impl Fn(&T) -> String,
        compare: impl Fn(&mut Diff, &str, &T, &T),
    ) {
        let b_keys: Vec<String> = b.iter().map(&key).collect();
        let a_keys: Vec<String> = a.iter().map(&key).collect();
        for (x, k) in a.iter().zip(&a_keys) {
            match b_keys.iter().position(|bk| bk == k) {
                Some(i) => compare(self, k, x, &b[i]),
                None => self.out.push(Change {
                    path: k.clone(),
                    old: Some(summary(x)),
                    new: None,
                }),
            }
        }
        for (y, k) in b.iter().zip(&b_keys) {
            if !a_keys.contains(k) {
                self.out.push(Change {
                    path: k.clone(),
                    old: None,
                    new: Some(summary(y)),
                });
            }
        }
    }

    /// Compares two optional things that have no key of their own (`vm_rights`, a feature).
    fn presence(&mut self, path: &str, old: Option<String>, new: Option<String>) {
        if old != new {
            self.out.push(Change {
                path: path.to_owned(),
                old,
                new,
            });
        }
    }

    fn price(&mut self, path: &str, a: &Price, b: &Price) {
        self.field(path, amount(a), amount(b));
        self.field(
            &format!("{path}.confidence"),
            a.confidence.mark().to_owned(),
            b.confidence.mark().to_owned(),
        );
        self.field(
            &format!("{path}.source"),
            a.source.clone(),
            b.source.clone(),
        );
        self.field(&format!("{path}.note"), note(&a.note), note(&b.note));
    }

    fn rate(&mut self, path: &str, a: &Rate, b: &Rate) {
        self.field(path, percent(a), percent(b));
        self.field(
            &format!("{path}.confidence"),
            a.confidence.mark().to_owned(),
            b.confidence.mark().to_owned(),
        );
        self.field(
            &format!("{path}.source"),
            a.source.clone(),
            b.source.clone(),
        );
        self.field(&format!("{path}.note"), note(&a.note), note(&b.note));
    }
}

fn role_word(role: ItemRole) -> &'static str {
    match role {
        ItemRole::Edition => "edition",
        ItemRole::AddOn => "add-on",
    }
}

fn term_word(term: Term) -> &'static str {
    match term {
        Term::Perpetual => "perpetual",
        Term::Subscription => "subscription",
    }
}

/// A date, or `open` for a window without that end.
fn open(date: Option<Date>) -> String {
    date.map_or_else(|| "open".to_owned(), |d| d.to_string())
}

/// A date window in words: ` from 2025-04-10`, ` until 2009-12-14`, or nothing when open.
fn window(from: Option<Date>, until: Option<Date>) -> String {
    let mut text = String::new();
    if let Some(f) = from {
        text.push_str(&format!(" from {f}"));
    }
    if let Some(u) = until {
        text.push_str(&format!(" until {u}"));
    }
    text
}

/// A date, or `none`.
fn date_or_none(date: Option<Date>) -> String {
    date.map_or_else(|| "none".to_owned(), |d| d.to_string())
}

fn note(n: &Option<String>) -> String {
    n.clone().unwrap_or_else(|| "none".to_owned())
}

fn amount(p: &Price) -> String {
    p.amount.map_or_else(|| "unknown".to_owned(), grouped_unit)
}

fn percent(r: &Rate) -> String {
    format!("{} %", plain_text(r.percent))
}

fn price_text(p: &Price) -> String {
    format!("{} [{}]", amount(p), p.confidence.mark())
}

fn item_summary(i: &&Item) -> String {
    format!(
        "{}; {}; {}; {}",
        i.name,
        i.metric.describe(),
        term_word(i.term),
        price_text(&i.price)
    )
}

/// Feature tag → "provided" or "provided (unverified)", in the item's order.
fn features(i: &Item) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> =
        i.features.iter().map(|f| (f.clone(), "provided")).collect();
    out.extend(
        i.features_unverified
            .iter()
            .map(|f| (f.clone(), "provided (unverified)")),
    );
    out
}

fn item_changes(d: &mut Diff, path: &str, a: &&Item, b: &&Item) {
    let at = |field: &str| format!("{path}: {field}");
    d.field(
        &at("role"),
        role_word(a.role).to_owned(),
        role_word(b.role).to_owned(),
    );
    d.field(&at("name"), a.name.clone(), b.name.clone());
    d.price(&at("price"), &a.price, &b.price);
    let term = |t: Option<u32>| t.map_or_else(|| "none".to_owned(), |y| format!("{y} years"));
    d.field(
        &at("default_term_years"),
        term(a.default_term_years),
        term(b.default_term_years),
    );
    let terms = |i: &Item| {
        let list: Vec<String> = i
            .term_prices
            .iter()
            .map(|t| {
                let amount = t.price.amount.map_or("unknown".to_owned(), plain_text);
                format!(
                    "{} years: {amount} [{}]",
                    t.years,
                    t.price.confidence.mark()
                )
            })
            .collect();
        if list.is_empty() {
            "none".to_owned()
        } else {
            list.join("; ")
        }
    };
    d.field(&at("term_price"), terms(a), terms(b));
    d.field(&at("metric"), a.metric.describe(), b.metric.describe());
    d.field(
        &at("term"),
        term_word(a.term).to_owned(),
        term_word(b.term).to_owned(),
    );
    d.entries(
        features(a),
        features(b),
        |(tag, _)| at(&format!("feature {tag}")),
        |(_, status)| (*status).to_owned(),
        |d, p, (_, x), (_, y)| d.field(p, (*x).to_owned(), (*y).to_owned()),
    );
    d.entries(
        a.requires.iter().collect(),
        b.requires.iter().collect(),
        |tag| at(&format!("requires {tag}")),
        |_| "required".to_owned(),
        |_, _, _, _| {},
    );
    d.field(
        &at("on_sale_from"),
        date_or_none(a.on_sale_from),
        date_or_none(b.on_sale_from),
    );
    d.field(
        &at("end_of_sale"),
        date_or_none(a.end_of_sale),
        date_or_none(b.end_of_sale),
    );
    let withdrawn = |w: &Option<crate::pricebook::Withdrawal>| match w {
        Some(w) => format!("{} [{}]", w.on, w.confidence.mark()),
        None => "none".to_owned(),
    };
    d.field(
        &at("end_of_sale_withdrawn"),
        withdrawn(&a.end_of_sale_withdrawn),
        withdrawn(&b.end_of_sale_withdrawn),
    );
    limits(d, &at("limits"), &a.limits, &b.limits);
    d.presence(
        &at("vm_rights"),
        a.vm_rights.as_ref().map(vm_rights_text),
        b.vm_rights.as_ref().map(vm_rights_text),
    );
    d.presence(
        &at("pool"),
        a.pool.as_ref().map(pool_text),
        b.pool.as_ref().map(pool_text),
    );
}

fn limits(d: &mut Diff, path: &str, a: &Limits, b: &Limits) {
    let n = |v: Option<u32>| v.map_or_else(|| "none".to_owned(), |n| n.to_string());
    let fields: [(&str, Option<u32>, Option<u32>); 5] = [
        ("max_hosts", a.max_hosts, b.max_hosts),
        (
            "max_sockets_per_host",
            a.max_sockets_per_host,
            b.max_sockets_per_host,
        ),
        (
            "max_cores_per_socket",
            a.max_cores_per_socket,
            b.max_cores_per_socket,
        ),
        (
            "max_ram_gb_per_host",
            a.max_ram_gb_per_host,
            b.max_ram_gb_per_host,
        ),
        ("days", a.days, b.days),
    ];
    for (key, x, y) in fields {
        d.field(&format!("{path}.{key}"), n(x), n(y));
    }
    d.field(&format!("{path}.source"), note(&a.source), note(&b.source));
}

fn vm_rights_text(v: &VmRights) -> String {
    match v {
        VmRights::PerLicence { vms, source } => {
            format!("{vms} VMs per licence (licences stack) · {source}")
        }
        VmRights::Unlimited { source } => format!("unlimited VMs · {source}"),
    }
}

fn pool_text(p: &Pool) -> String {
    let mut text = format!("{} GB per licence", p.gb_per_licence);
    if let Some(c) = p.vm_cap_gb {
        text.push_str(&format!(", a VM counts at most {c} GB"));
    }
    if let Some(c) = p.hard_cap_gb {
        text.push_str(&format!(", at most {c} GB in all"));
    }
    format!("{text} · {}", p.source)
}

fn basis_text(b: &SupportBasis) -> String {
    match b {
        SupportBasis::Rate(r) => {
            format!("{} of list per year [{}]", percent(r), r.confidence.mark())
        }
        SupportBasis::Price(p) => format!("{} per unit per year", price_text(p)),
    }
}

fn covers_text(s: &SupportPlan) -> String {
    s.covers.as_ref().map_or_else(
        || "every priced perpetual item".to_owned(),
        |ids| ids.join(", "),
    )
}

fn first_year(s: &SupportPlan) -> String {
    if s.first_year_mandatory {
        "mandatory"
    } else {
        "optional"
    }
    .to_owned()
}

fn support_summary(s: &&SupportPlan) -> String {
    format!(
        "{}; first year {}; {}",
        s.name,
        first_year(s),
        basis_text(&s.basis)
    )
}

fn support_changes(d: &mut Diff, path: &str, a: &&SupportPlan, b: &&SupportPlan) {
    let at = |field: &str| format!("{path}: {field}");
    d.field(&at("name"), a.name.clone(), b.name.clone());
    d.field(&at("first_year"), first_year(a), first_year(b));
    match (&a.basis, &b.basis) {
        (SupportBasis::Rate(x), SupportBasis::Rate(y)) => d.rate(&at("rate"), x, y),
        (SupportBasis::Price(x), SupportBasis::Price(y)) => d.price(&at("price"), x, y),
        (x, y) => d.field(&at("basis"), basis_text(x), basis_text(y)),
    }
    d.field(&at("covers"), covers_text(a), covers_text(b));
}

fn upgrade_summary(u: &&UpgradePath) -> String {
    format!(
        "{}; {} → {} × {}; {}",
        u.name,
        u.from,
        u.to,
        u.units_per_licence,
        price_text(&u.price)
    )
}

fn upgrade_changes(d: &mut Diff, path: &str, a: &&UpgradePath, b: &&UpgradePath) {
    let at = |field: &str| format!("{path}: {field}");
    d.field(&at("name"), a.name.clone(), b.name.clone());
    d.field(&at("from"), a.from.to_string(), b.from.to_string());
    d.field(&at("to"), a.to.clone(), b.to.clone());
    d.field(
        &at("units_per_licence"),
        a.units_per_licence.to_string(),
        b.units_per_licence.to_string(),
    );
    d.field(
        &at("requires_active_support"),
        a.requires_active_support.to_string(),
        b.requires_active_support.to_string(),
    );
    d.price(&at("price"), &a.price, &b.price);
}

fn promotion_summary(p: &&Promotion) -> String {
    format!(
        "{}; {} off {}{} [{}]",
        p.name,
        percent(&p.discount),
        p.applies_to,
        window(p.valid_from, p.valid_until),
        p.discount.confidence.mark()
    )
}

fn promotion_changes(d: &mut Diff, path: &str, a: &&Promotion, b: &&Promotion) {
    let at = |field: &str| format!("{path}: {field}");
    d.field(&at("name"), a.name.clone(), b.name.clone());
    d.field(
        &at("applies_to"),
        a.applies_to.clone(),
        b.applies_to.clone(),
    );
    d.rate(&at("discount"), &a.discount, &b.discount);
    d.field(&at("valid_from"), open(a.valid_from), open(b.valid_from));
    d.field(&at("valid_until"), open(a.valid_until), open(b.valid_until));
}

fn rule_kind_text(k: &RuleKind) -> String {
    k.describe()
}

fn rule_years(r: &LicensingRule) -> String {
    r.years
        .map_or_else(|| "every year".to_owned(), |n| format!("first {n} years"))
}

fn on_off(r: &LicensingRule) -> String {
    match (r.default_on, r.late_renewal) {
        (true, _) => "on",
        (false, true) => "late-renewal",
        (false, false) => "off",
    }
    .to_owned()
}

fn rule_summary(r: &&LicensingRule) -> String {
    format!(
        "{}; {} on {}{}; default {} [{}]",
        r.name,
        rule_kind_text(&r.kind),
        r.applies_to.join(", "),
        window(r.from, r.until),
        on_off(r),
        r.confidence.mark()
    )
}

fn rule_changes(d: &mut Diff, path: &str, a: &&LicensingRule, b: &&LicensingRule) {
    let at = |field: &str| format!("{path}: {field}");
    d.field(&at("name"), a.name.clone(), b.name.clone());
    d.field(
        &at("kind"),
        rule_kind_text(&a.kind),
        rule_kind_text(&b.kind),
    );
    d.field(
        &at("applies_to"),
        a.applies_to.join(", "),
        b.applies_to.join(", "),
    );
    d.field(&at("from"), open(a.from), open(b.from));
    d.field(&at("until"), open(a.until), open(b.until));
    d.field(&at("years"), rule_years(a), rule_years(b));
    d.field(&at("default"), on_off(a), on_off(b));
    d.field(
        &at("confidence"),
        a.confidence.mark().to_owned(),
        b.confidence.mark().to_owned(),
    );
    d.field(&at("source"), a.source.clone(), b.source.clone());
    d.field(&at("note"), note(&a.note), note(&b.note));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PricebookSet;
    use crate::ids::PricebookId;
    use rust_decimal::Decimal;

    fn book(id: &str) -> Pricebook {
        PricebookSet::bundled()
            .unwrap()
            .get(&PricebookId(id.to_owned()))
            .unwrap()
            .clone()
    }

    #[test]
    fn a_book_equals_itself() {
        let a = book("vmware-vsphere-4.0");
        assert_eq!(diff(&a, &a), vec![]);
    }

    #[test]
    fn names_price_feature_and_removed_promotion_changes() {
        let a = book("vmware-vsphere-4.0");
        let mut b = a.clone();
        let ep = b
            .items
            .iter_mut()
            .find(|i| i.id == "enterprise-plus")
            .unwrap();
        ep.price.amount = Some(Decimal::new(299_900, 2));
        let std = b.items.iter_mut().find(|i| i.id == "standard").unwrap();
        std.features_unverified.retain(|f| f != "ha");
        std.features.push("ha".into());
        b.promotions.clear();
        let changes = diff(&a, &b);
        let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "edition standard: feature ha",
                "edition enterprise-plus: price",
                "promotion enterprise-plus-upgrade-2009",
            ]
        );
        assert_eq!(changes[0].old.as_deref(), Some("provided (unverified)"));
        assert_eq!(changes[0].new.as_deref(), Some("provided"));
        assert_eq!(changes[1].old.as_deref(), Some("3,495.00"));
        assert_eq!(changes[1].new.as_deref(), Some("2,999.00"));
        assert!(changes[2].is_removed());
    }

    #[test]
    fn different_books_differ_in_id_and_items_in_a_fixed_order() {
        let a = book("vmware-vsphere-4.0");
        let b = book("vmware-vsphere-5.0");
        let first = diff(&a, &b);
        assert_eq!(first, diff(&a, &b));
        assert_eq!(first[0].path, "id");
        assert!(
            first
                .iter()
                .any(|c| c.path == "edition advanced" && c.is_removed())
        );
    }
}

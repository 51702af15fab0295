//! Estate TOML → [`Estate`], validated against a [`PricebookSet`], collecting every problem.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;

use crate::diag::{Collector, Diagnostics, help_for};
use rust_decimal::prelude::ToPrimitive;

use super::spec;
use crate::estate::{
    Bounds, Cluster, ClusterField, Contract, Costs, Estate, Field, FieldSpec, InputRange,
    InputTable, Kind, OwnedLicence, Plan, RuleSwitch, Scenario, Shape, ShapeField, Sizing,
    Uncertainty,
};
use crate::ids::ItemRef;
use crate::pricebook::{ItemRole, Metric, Pricebook, PricebookSet, Term};
use crate::read::{Table, as_decimal, currency_code, format_version, parse_document};
use crate::source::{SourceFile, Spanned};

/// Owned licences per entry: beyond it an input is surely a mistake.
const OWNED: u64 = 100_000_000;

/// Parses and validates an estate against the pricebooks; every problem is reported.
pub fn parse_estate(file: &SourceFile, books: &PricebookSet) -> Result<Estate, Diagnostics> {
    let mut c = Collector::new(file);
    let Some(doc) = parse_document(&mut c, &file.text) else {
        return Err(c.finish());
    };
    let mut root = Table::root(&doc);
    let estate = read_estate(&mut c, &mut root, books);
    root.finish(&mut c);
    if let Some(e) = &estate
        && !c.has_errors()
        && let Err(outgrown) = e.check_growth()
    {
        let key = outgrown.cause.key();
        let span = costs_value_span(&doc, key).unwrap_or(0..0);
        c.error(
            span,
            &format!("costs.{key}"),
            outgrown.message,
            Some(outgrown.help),
        );
    }
    match estate {
        Some(e) if !c.has_errors() => Ok(e),
        _ => Err(c.finish()),
    }
}

/// Where `[costs] key`'s value is, for a problem found once the whole estate is read.
fn costs_value_span(
    doc: &toml::Spanned<toml::de::DeTable<'_>>,
    key: &str,
) -> Option<std::ops::Range<usize>> {
    match doc.get_ref().get("costs")?.get_ref() {
        toml::de::DeValue::Table(t) => t.get(key).map(toml::Spanned::span),
        _ => None,
    }
}

fn read_estate(
    c: &mut Collector<'_>,
    t: &mut Table<'_, '_>,
    books: &PricebookSet,
) -> Option<Estate> {
    format_version(c, t, "estate");
    let name = t.req_string(c, "name");
    let currency = currency_code(c, t);
    let purchase_date = t.req_date(c, "purchase_date");
    if let Some(d) = &purchase_date
        && !(1990..=2100).contains(&d.value.year)
    {
        c.error(
            d.span.clone(),
            "purchase_date",
            format!("{} is outside the years hypercost prices", d.value),
            Some("expected a date from 1990 to 2100".into()),
        );
    }
    let years = read_number(
        c,
        t,
        &FieldSpec {
            key: "years",
            required: true,
            bounds: spec::YEARS,
            ..FieldSpec::BLANK
        },
    );

    let clusters = read_clusters(c, t, books);
    let owned = read_owned(c, t, books);
    let contracts = read_contracts(c, t, books, &clusters);
    let (costs, fx_named) = read_costs(c, t);
    let sizing = t.table(c, "sizing").and_then(|mut st| {
        let numbers = read_numbers::<Sizing>(c, &mut st);
        st.finish(c);
        fill(Sizing::default(), &numbers)
    });
    let given = Given {
        estate: currency.as_ref().map(|s| s.value.clone()),
        fx: fx_named,
        users: costs.as_ref().is_some_and(|c| c.users.is_some()),
        devices: costs.as_ref().is_some_and(|c| c.devices.is_some()),
    };
    let scenarios = read_scenarios(c, t, books, &clusters, &given);
    let uncertainty = t.table(c, "uncertainty").map(|mut ut| {
        let numbers = read_numbers::<Uncertainty>(c, &mut ut);
        let mut ranges = Vec::new();
        for (name, value, path) in ut.entries(c, "inputs") {
            let Some(mut rt) = Table::of_value(c, value, path) else {
                continue;
            };
            let low = rt.decimal(c, "low");
            let high = rt.decimal(c, "high");
            for (end, key) in [(&low, "low"), (&high, "high")] {
                if end.is_none() && !rt.has(key) {
                    rt.missing(c, key, "a number, e.g. { low = 380, high = 460 }");
                }
            }
            let span = rt.span.clone();
            let path = rt.path.clone();
            rt.finish(c);
            if let (Some(l), Some(h)) = (low, high) {
                ranges.push((name, span, path, l, h));
            }
        }
        ut.finish(c);
        (fill(Uncertainty::default(), &numbers), ranges)
    });
    let rule_switches = read_rule_switches(c, t, books);
    let region = t
        .string(c, "region")
        .and_then(|r| crate::region::read(c, &r, "region"));

    let (uncertainty, ranges) = match uncertainty {
        Some((u, r)) => (Some(u?), r),
        None => (None, Vec::new()),
    };
    let mut estate = Estate {
        name: name?.value,
        currency: currency?.value,
        purchase_date: purchase_date?.value,
        years: years?.to_u32()?,
        clusters: clusters
            .into_iter()
            .map(|(_, cl)| cl)
            .collect::<Option<Vec<_>>>()?,
        owned,
        contracts,
        scenarios,
        costs,
        sizing,
        uncertainty,
        rule_switches,
        region,
    };
    read_input_ranges(c, &mut estate, books, ranges);
    Some(estate)
}

/// An `[uncertainty.inputs]` entry as read: the key, the entry's span and path, low, high.
type RangeRead = (
    Spanned<String>,
    std::ops::Range<usize>,
    String,
    Spanned<Decimal>,
    Spanned<Decimal>,
);

/// `[uncertainty.inputs]`: each key an estate field by name, its range within the field's.
fn read_input_ranges(
    c: &mut Collector<'_>,
    estate: &mut Estate,
    books: &PricebookSet,
    ranges: Vec<RangeRead>,
) {
    let mut out = Vec::new();
    for (name, span, path, low, high) in ranges {
        let field = match Field::parse(&name.value, estate, books) {
            Ok(f) => f,
            Err(d) => {
                for d in d.0 {
                    c.error(name.span.clone(), &path, d.message, d.help);
                }
                continue;
            }
        };
        if field == Field::Years {
            c.error(
                name.span.clone(),
                &path,
                "the horizon is not drawn".to_owned(),
                Some("sweep it with `hypercost sweep --vary years=…`".into()),
            );
            continue;
        }
        let mut ok = true;
        for end in [&low, &high] {
            if let Err(d) = field.check(end.value, estate) {
                for d in d.0 {
                    c.error(end.span.clone(), &path, d.message, d.help);
                }
                ok = false;
            }
        }
        if ok && low.value > high.value {
            c.error(
                span,
                &path,
                format!("low {} is above high {}", low.value, high.value),
                Some("expected low ≤ high".into()),
            );
            ok = false;
        }
        if ok {
            out.push(InputRange {
                name: name.value,
                field,
                low: low.value,
                high: high.value,
            });
        }
    }
    if let Some(u) = &mut estate.uncertainty {
        u.inputs = out;
    }
}

/// `[[contract]]`: agreements in force, each on a subscription item and named clusters.
fn read_contracts(
    c: &mut Collector<'_>,
    t: &mut Table<'_, '_>,
    books: &PricebookSet,
    clusters: &[(Spanned<String>, Option<Cluster>)],
) -> Vec<Contract> {
    let names = ClusterNames::new(clusters);
    let mut out: Vec<Contract> = Vec::new();
    for mut ct in t.tables(c, "contract") {
        let name = ct.req_string(c, "name");
        let item_text = ct.req_string(c, "item");
        let item = item_text
            .as_ref()
            .and_then(|i| resolve_item(c, i, &ct.field("item"), books, None));
        if let (Some(r), Some(text)) = (&item, &item_text)
            && let Some((_, it)) = books.item(r)
            && it.term != Term::Subscription
        {
            c.error(
                text.span.clone(),
                &ct.field("item"),
                format!("{r} is a perpetual licence, not a subscription a contract renews"),
                Some("list licences you own under [[owned]] (with `support_active`)".into()),
            );
        }
        let mut covered = Vec::new();
        if !ct.has("clusters") {
            ct.missing(
                c,
                "clusters",
                "the names of the clusters it covers, e.g. [\"prod\"]",
            );
        }
        for n in ct.strings(c, "clusters").unwrap_or_default() {
            match names.index.get(n.value.as_str()) {
                Some(&i) if covered.contains(&i) => c.error(
                    n.span.clone(),
                    &ct.field("clusters"),
                    format!("cluster `{}` is listed twice", n.value),
                    None,
                ),
                Some(&i) => covered.push(i),
                None if !names.list.is_empty() => c.error(
                    n.span.clone(),
                    &ct.field("clusters"),
                    format!("unknown cluster `{}`", n.value),
                    Some(help_for(&n.value, &names.list, "clusters")),
                ),
                None => {}
            }
        }
        let ends = ct.req_date(c, "ends");
        let price = ct.decimal(c, "price_per_unit_year");
        if let Some(p) = &price
            && !Bounds::range(0, crate::money::AMOUNT_MAX).contains(p.value)
        {
            c.error(
                p.span.clone(),
                &ct.field("price_per_unit_year"),
                format!("{} is not a price", p.value),
                Some(format!(
                    "expected an amount from 0 to {}",
                    crate::money::grouped(Decimal::from(crate::money::AMOUNT_MAX))
                )),
            );
        }
        // One contract per item and cluster: two would price one renewal twice.
        if let (Some(r), Some(text)) = (&item, &item_text) {
            let twice = out
                .iter()
                .filter(|o| o.item == *r)
                .find_map(|o| covered.iter().find(|i| o.clusters.contains(i)));
            if let Some(&i) = twice {
                c.error(
                    text.span.clone(),
                    &ct.field("item"),
                    format!(
                        "cluster `{}` already has a contract for {r}",
                        names.list.get(i).copied().unwrap_or_default()
                    ),
                    Some("one contract per item and cluster".into()),
                );
            }
        }
        ct.finish(c);
        if let (Some(name), Some(item), Some(ends)) = (name, item, ends) {
            out.push(Contract {
                name: name.value,
                item,
                clusters: covered,
                ends: ends.value,
                price_per_unit_year: price.map(|p| p.value),
            });
        }
    }
    out
}

/// What the estate's other tables give that a plan is checked against: the estate currency
/// and the currencies it gives exchange rates for, and the user and device counts that
/// per-user and per-device licences need.
struct Given {
    estate: Option<String>,
    fx: Vec<String>,
    users: bool,
    devices: bool,
}

fn read_rule_switches(
    c: &mut Collector<'_>,
    t: &mut Table<'_, '_>,
    books: &PricebookSet,
) -> Vec<RuleSwitch> {
    let mut out = Vec::new();
    for mut rt in t.tables(c, "rule") {
        let rule = rt.req_string(c, "rule").and_then(|s| {
            let r = match ItemRef::parse(&s.value) {
                Ok(r) => r,
                Err(e) => {
                    c.error(
                        s.span.clone(),
                        &rt.field("rule"),
                        e.replace("item-id", "rule-id"),
                        None,
                    );
                    return None;
                }
            };
            let Some(book) = books.get(&r.book) else {
                c.error(
                    s.span.clone(),
                    &rt.field("rule"),
                    format!("unknown pricebook `{}`", r.book),
                    Some(help_for(&r.book.0, &books.ids(), "pricebooks")),
                );
                return None;
            };
            if book.rules.iter().any(|x| x.id == r.item) {
                Some(r)
            } else {
                let valid: Vec<&str> = book.rules.iter().map(|x| x.id.as_str()).collect();
                c.error(
                    s.span.clone(),
                    &rt.field("rule"),
                    format!("unknown rule `{}` in pricebook {}", r.item, r.book),
                    Some(help_for(&r.item, &valid, &format!("rules of {}", r.book))),
                );
                None
            }
        });
        let enabled = rt.bool(c, "enabled");
        if enabled.is_none() && !rt.has("enabled") {
            rt.missing(
                c,
                "enabled",
                "true (switch the rule on) or false (switch it off)",
            );
        }
        let reason = rt.req_string(c, "reason");
        if let Some(r) = &reason
            && r.value.trim().is_empty()
        {
            c.error(
                r.span.clone(),
                &rt.field("reason"),
                "empty reason",
                Some(
                    "say why, e.g. \"our reseller confirmed it was withdrawn\": quotes show it"
                        .into(),
                ),
            );
        }
        rt.finish(c);
        if let (Some(rule), Some(enabled), Some(reason)) = (rule, enabled, reason) {
            out.push(RuleSwitch {
                rule,
                enabled: enabled.value,
                reason: reason.value,
            });
        }
    }
    out
}

/// Every named cluster, with its model when it is valid (names count even when not, so plans
/// that name them are not reported as unknown too).
type NamedClusters = Vec<(Spanned<String>, Option<Cluster>)>;

fn read_clusters(
    c: &mut Collector<'_>,
    t: &mut Table<'_, '_>,
    books: &PricebookSet,
) -> NamedClusters {
    let tables = t.req_tables(c, "cluster", "at least one [[cluster]] table");
    let mut out: NamedClusters = Vec::new();
    // Each name's first place, so a duplicate is found without a scan and can point there.
    let mut first: HashMap<String, usize> = HashMap::new();
    for mut ct in tables {
        let name = ct.req_string(c, "name");
        if let Some(n) = &name {
            if n.value.trim().is_empty() {
                c.error(
                    n.span.clone(),
                    &ct.field("name"),
                    "empty cluster name",
                    None,
                );
            }
            if let Some(&at) = first.get(&n.value) {
                let (line, _) = c.line_col(at);
                c.error(
                    n.span.clone(),
                    &ct.field("name"),
                    format!("duplicate cluster name `{}`", n.value),
                    Some(format!(
                        "cluster names must be unique; `{}` is first named on line {line}",
                        n.value
                    )),
                );
            } else {
                first.insert(n.value.clone(), n.span.start);
            }
        }
        let numbers = read_numbers::<Cluster>(c, &mut ct);
        let group = ct.string(c, "group").map(|g| g.value);
        let mut needs = Vec::new();
        for n in ct.strings(c, "needs").unwrap_or_default() {
            match books.resolve_feature(&n.value) {
                Some(tag) if !needs.contains(&tag) => needs.push(tag),
                Some(_) => {}
                None => c.error(
                    n.span.clone(),
                    &ct.field("needs"),
                    format!("unknown feature `{}`", n.value),
                    Some(help_for(&n.value, &books.feature_words(), "features")),
                ),
            }
        }
        ct.finish(c);
        if let Some(name) = name {
            let base = Cluster {
                name: name.value.clone(),
                needs,
                group,
                ..Cluster::default()
            };
            let cluster = fill(base, &numbers);
            out.push((name, cluster));
        }
    }
    out
}

/// Resolves a `pricebook/item` reference, reporting what is valid when it does not resolve.
fn resolve_item(
    c: &mut Collector<'_>,
    s: &Spanned<String>,
    field: &str,
    books: &PricebookSet,
    role: Option<ItemRole>,
) -> Option<ItemRef> {
    let r = match ItemRef::parse(&s.value) {
        Ok(r) => r,
        Err(e) => {
            // A bare item id: name the books that hold it, then the (capped) list of books,
            // so the help stays short however many books are loaded.
            let holders: Vec<&str> = books
                .books()
                .iter()
                .filter(|b| b.item(&s.value).is_some())
                .map(|b| b.id.0.as_str())
                .collect();
            // A starter's short name (`hypercost init --compare vvf`) is not an id either.
            let shorts: Vec<String> = books
                .starters()
                .into_iter()
                .filter(|st| st.short.as_deref() == Some(s.value.as_str()))
                .map(|st| format!("`{}`", st.edition))
                .collect();
            let help = if !holders.is_empty() {
                let ids: Vec<String> = holders
                    .iter()
                    .map(|b| format!("`{b}/{}`", s.value))
                    .collect();
                format!(
                    "`{}` is an item of `{}`: write it with its book, {}",
                    s.value,
                    holders.join("`, `"),
                    ids.join(" or ")
                )
            } else if !shorts.is_empty() {
                format!(
                    "`{}` is a short name `hypercost init --compare` takes; an estate names the \
                     edition: {}",
                    s.value,
                    shorts.join(" or ")
                )
            } else {
                help_for("", &books.ids(), "pricebooks")
            };
            c.error(s.span.clone(), field, e, Some(help));
            return None;
        }
    };
    let Some(book) = books.get(&r.book) else {
        c.error(
            s.span.clone(),
            field,
            format!("unknown pricebook `{}`", r.book),
            Some(help_for(&r.book.0, &books.ids(), "pricebooks")),
        );
        return None;
    };
    let what = match role {
        Some(ItemRole::Edition) => "editions",
        Some(ItemRole::AddOn) => "add-ons",
        None => "licences",
    };
    let valid: Vec<&str> = match role {
        Some(role) => book.ids_of(role),
        None => book.items.iter().map(|i| i.id.as_str()).collect(),
    };
    match book.item(&r.item) {
        Some(item) if role.is_none_or(|want| item.role == want) => Some(r),
        Some(item) => {
            let is = if item.role == ItemRole::AddOn {
                "an add-on"
            } else {
                "an edition"
            };
            let listed = if valid.is_empty() {
                "none".to_owned()
            } else {
                valid.join(", ")
            };
            let put = match item.role {
                ItemRole::AddOn => "list it in `addons = [...]`",
                ItemRole::Edition => "choose it as the plan's `edition`",
            };
            c.error(
                s.span.clone(),
                field,
                format!("`{}` is {is}, not one of the {what} expected here", s.value),
                Some(format!("{put}; valid {what} of {}: {listed}", r.book)),
            );
            None
        }
        None => {
            c.error(
                s.span.clone(),
                field,
                format!(
                    "unknown {} `{}` in pricebook {}",
                    what.trim_end_matches('s'),
                    r.item,
                    r.book
                ),
                Some(help_for(&r.item, &valid, &format!("{what} of {}", r.book))),
            );
            None
        }
    }
}

fn read_owned(
    c: &mut Collector<'_>,
    t: &mut Table<'_, '_>,
    books: &PricebookSet,
) -> Vec<OwnedLicence> {
    let mut out = Vec::new();
    for mut ot in t.tables(c, "owned") {
        let licence = ot.req_string(c, "licence");
        let licence = licence.and_then(|l| resolve_item(c, &l, &ot.field("licence"), books, None));
        let quantity = ot.req_int(c, "quantity", 1, OWNED);
        let support_active = ot.bool(c, "support_active").is_some_and(|b| b.value);
        ot.finish(c);
        // `quantity` is within 1..=OWNED, so it fits a u32; no narrowing cast.
        if let (Some(licence), Some(q)) =
            (licence, quantity.and_then(|q| u32::try_from(q.value).ok()))
        {
            out.push(OwnedLicence {
                licence,
                quantity: q,
                support_active,
            });
        }
    }
    out
}

fn read_scenarios(
    c: &mut Collector<'_>,
    t: &mut Table<'_, '_>,
    books: &PricebookSet,
    clusters: &[(Spanned<String>, Option<Cluster>)],
    given: &Given,
) -> Vec<Scenario> {
    let tables = t.req_tables(
        c,
        "scenario",
        "at least one [[scenario]] table with a [[scenario.plan]] per cluster",
    );
    let cluster_names = ClusterNames::new(clusters);
    let mut names: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for mut st in tables {
        let name = st.req_string(c, "name");
        if let Some(n) = &name {
            if let Some(&at) = names.get(&n.value) {
                let (line, _) = c.line_col(at);
                c.error(
                    n.span.clone(),
                    &st.field("name"),
                    format!("duplicate scenario name `{}`", n.value),
                    Some(format!(
                        "scenario names must be unique; `{}` is first named on line {line}",
                        n.value
                    )),
                );
            } else {
                names.insert(n.value.clone(), n.span.start);
            }
        }
        let scenario_date = st.date(c, "purchase_date").map(|d| d.value);
        let scenario_switches = read_rule_switches(c, &mut st, books);
        let mut plans: Vec<Plan> = Vec::new();
        // Which clusters this scenario's plans name, by index (found without a scan).
        let mut named = vec![false; clusters.len()];
        // Where each cluster's plan in this scenario starts, once it has one.
        let mut planned: Vec<Option<usize>> = vec![None; clusters.len()];
        let mut unresolved = false;
        for mut pt in st.tables(c, "plan") {
            let mut found = None;
            let plan = read_plan(
                c,
                &mut pt,
                books,
                clusters,
                &cluster_names,
                given,
                &mut found,
            );
            match found {
                Some(i) => named[i] = true,
                None => unresolved = true,
            }
            if let Some(plan) = plan {
                if let Some(first) = planned[plan.cluster] {
                    let (line, _) = c.line_col(first);
                    c.error(
                        pt.span.clone(),
                        &pt.field("cluster"),
                        format!(
                            "a second plan for cluster `{}` in this scenario",
                            cluster_names.list[plan.cluster]
                        ),
                        Some(format!(
                            "one plan per cluster per scenario; the first starts on line {line}"
                        )),
                    );
                } else {
                    planned[plan.cluster] = Some(pt.span.start);
                }
                plans.push(plan);
            }
            pt.finish(c);
        }
        let scenario_name = name.as_ref().map_or("?", |n| n.value.as_str());
        for (cname, named) in cluster_names.list.iter().zip(&named) {
            // A plan whose cluster did not resolve may have been meant for this one.
            if !named && !unresolved {
                c.error(
                    st.span.clone(),
                    &st.field("plan"),
                    format!("scenario `{scenario_name}` has no plan for cluster `{cname}`"),
                    Some("add a [[scenario.plan]] with cluster = \"".to_owned() + cname + "\""),
                );
            }
        }
        st.finish(c);
        plans.sort_by_key(|p| p.cluster);
        if let Some(n) = name {
            out.push(Scenario {
                name: n.value,
                plans,
                purchase_date: scenario_date,
                rule_switches: scenario_switches,
            });
        }
    }
    out
}

/// The estate's cluster names in order, and each name's index (the first, for a duplicate),
/// built once so that every plan finds its cluster without a scan.
struct ClusterNames<'n> {
    list: Vec<&'n str>,
    index: HashMap<&'n str, usize>,
}

impl<'n> ClusterNames<'n> {
    fn new(clusters: &'n [(Spanned<String>, Option<Cluster>)]) -> ClusterNames<'n> {
        let list: Vec<&str> = clusters.iter().map(|(n, _)| n.value.as_str()).collect();
        let mut index = HashMap::with_capacity(list.len());
        for (i, n) in list.iter().enumerate() {
            index.entry(*n).or_insert(i);
        }
        ClusterNames { list, index }
    }
}

fn read_plan(
    c: &mut Collector<'_>,
    pt: &mut Table<'_, '_>,
    books: &PricebookSet,
    clusters: &[(Spanned<String>, Option<Cluster>)],
    cluster_names: &ClusterNames<'_>,
    given: &Given,
    named: &mut Option<usize>,
) -> Option<Plan> {
    let cluster = pt.req_string(c, "cluster").and_then(|s| {
        let found = cluster_names.index.get(s.value.as_str()).copied();
        *named = found;
        // With no valid cluster list, that problem is already reported.
        if found.is_none() && !cluster_names.list.is_empty() {
            c.error(
                s.span.clone(),
                &pt.field("cluster"),
                format!("unknown cluster `{}`", s.value),
                Some(help_for(&s.value, &cluster_names.list, "clusters")),
            );
        }
        found
    });
    let edition_text = pt.req_string(c, "edition");
    let edition = edition_text
        .as_ref()
        .and_then(|s| resolve_item(c, s, &pt.field("edition"), books, Some(ItemRole::Edition)));
    let support = pt.string(c, "support");
    let addons_text = pt.strings(c, "addons").unwrap_or_default();
    let mut addons: Vec<(ItemRef, &Spanned<String>)> = Vec::new();
    for a in &addons_text {
        let Some(r) = resolve_item(c, a, &pt.field("addons"), books, Some(ItemRole::AddOn)) else {
            continue;
        };
        // The same add-on twice would be charged twice: refused at the second.
        if let Some((_, first)) = addons.iter().find(|(o, _)| *o == r) {
            let (line, _) = c.line_col(first.span.start);
            c.error(
                a.span.clone(),
                &pt.field("addons"),
                format!("add-on `{}` is listed twice in this plan", a.value),
                Some(format!(
                    "list each add-on once (it is first listed on line {line})"
                )),
            );
            continue;
        }
        addons.push((r, a));
    }
    let use_owned = pt.bool(c, "use_owned").is_some_and(|b| b.value);
    let start = pt.date(c, "start");
    let migration_months = pt.int(c, "migration_months", 0, MAX_MIGRATION_MONTHS);
    let term_years = pt.int(c, "term_years", 1, 10);
    if let (Some(y), Some(ed)) = (&term_years, &edition)
        && let Some((_, item)) = books.item(ed)
    {
        let terms = item.terms();
        if !terms.contains(&(y.value as u32)) {
            let sold = if terms.is_empty() {
                format!("{ed} is not sold on terms: leave `term_years` out")
            } else {
                let list: Vec<String> = terms.iter().map(u32::to_string).collect();
                format!("terms of {ed}, in years: {}", list.join(", "))
            };
            c.error(
                y.span.clone(),
                &pt.field("term_years"),
                format!("{ed} is not sold on a {}-year term", y.value),
                Some(sold),
            );
        }
    }

    let edition_book = edition_text
        .as_ref()
        .and_then(|s| ItemRef::parse(&s.value).ok())
        .and_then(|r| books.get(&r.book));
    if let (Some(book), Some(s)) = (edition_book, &support)
        && book.support_plan(&s.value).is_none()
    {
        unknown_support(c, s, &pt.field("support"), book);
    }
    if let (Some(ed), Some(edition_text)) = (&edition, &edition_text) {
        if let Some(book) = books.get(&ed.book) {
            check_currency(
                c,
                given,
                &book.currency,
                &ed.book.0,
                edition_text,
                &pt.field("edition"),
            );
        }
        if let (Some(ci), Some((_, item))) = (cluster, books.item(ed))
            && let Some(cl) = &clusters[ci].1
        {
            let needs_vms =
                item.vm_rights.is_some() || item.pool.is_some() || item.metric == Metric::PerVm;
            if needs_vms && cl.vms.is_none() {
                c.error(
                    edition_text.span.clone(),
                    &pt.field("edition"),
                    format!(
                        "{ed} counts VMs, but cluster `{}` does not say how many it runs",
                        cl.name
                    ),
                    Some("add `vms = N` to the cluster".into()),
                );
            }
            if item.pool.is_some() && cl.vm_ram_gb.is_none() {
                c.error(edition_text.span.clone(), &pt.field("edition"), format!("{ed} pools VM memory, but cluster `{}` has no `vm_ram_gb`", cl.name), Some("add `vm_ram_gb = N` (average configured RAM of a powered-on VM, GB) to the cluster".into()));
            }
        }
    }
    for (a, text) in &addons {
        let counted = books.item(a).and_then(|(_, item)| match item.metric {
            Metric::PerUser if !given.users => Some("users"),
            Metric::PerDevice if !given.devices => Some("devices"),
            _ => None,
        });
        if let Some(who) = counted {
            c.error(
                text.span.clone(),
                &pt.field("addons"),
                format!("{a} is counted per {}, but [costs] does not say how many {who} use the servers", &who[..who.len() - 1]),
                Some(format!("add `{who} = N` to [costs]")),
            );
        }
        if let Some(book) = books.get(&a.book) {
            check_currency(
                c,
                given,
                &book.currency,
                &a.book.0,
                text,
                &pt.field("addons"),
            );
        }
    }
    let guest_text = pt.string(c, "guest_os");
    let guest_os = guest_text
        .as_ref()
        .and_then(|g| resolve_item(c, g, &pt.field("guest_os"), books, Some(ItemRole::Edition)));
    let guest_support = pt.string(c, "guest_os_support");
    if let (Some(g), Some(text)) = (&guest_os, &guest_text)
        && let Some((gbook, gitem)) = books.item(g)
    {
        check_currency(
            c,
            given,
            &gbook.currency,
            &g.book.0,
            text,
            &pt.field("guest_os"),
        );
        if gitem.vm_rights.is_none() {
            c.error(
                text.span.clone(),
                &pt.field("guest_os"),
                format!("{g} has no VM rights, so it cannot license guest VMs"),
                Some("choose an edition whose pricebook entry has `vm_rights`".into()),
            );
        }
        if let Some(ci) = cluster
            && let Some(cl) = &clusters[ci].1
            && cl.get(ClusterField::WindowsVms).is_none()
        {
            c.error(
                text.span.clone(),
                &pt.field("guest_os"),
                format!(
                    "guest OS licensing counts Windows VMs, but cluster `{}` has no `{}`",
                    cl.name,
                    ClusterField::WindowsVms.key()
                ),
                Some(format!(
                    "add `{} = N` to the cluster",
                    ClusterField::WindowsVms.key()
                )),
            );
        }
        if let Some(s) = &guest_support
            && gbook.support_plan(&s.value).is_none()
        {
            unknown_support(c, s, &pt.field("guest_os_support"), gbook);
        }
    }
    if guest_support.is_some()
        && guest_text.is_none()
        && let Some(s) = &guest_support
    {
        c.error(
            s.span.clone(),
            &pt.field("guest_os_support"),
            "guest_os_support without guest_os",
            Some("add `guest_os = \"pricebook/edition\"` or remove this field".into()),
        );
    }
    let shape = read_shape(c, pt);
    Some(Plan {
        cluster: cluster?,
        edition: edition?,
        support: support.map(|s| s.value),
        addons: addons.into_iter().map(|(r, _)| r).collect(),
        use_owned,
        guest_os,
        guest_os_support: guest_support.map(|s| s.value),
        term_years: term_years.map(|y| y.value as u32),
        start: start.map(|s| s.value),
        migration_months: migration_months.map_or(0, |m| m.value as u32),
        shape,
    })
}

/// `[scenario.plan.shape]`: any of [`ShapeField::ALL`], each read by its own declaration
/// (none required here: what is left out stays the cluster's or `[costs]`').
/// An unknown support plan `s` of `book` at `field`, with the plans there are; a book with
/// none sells editions whose price includes support (subscriptions) or free ones, so the key
/// is to be left out, and the help says so.
fn unknown_support(c: &mut Collector<'_>, s: &Spanned<String>, field: &str, book: &Pricebook) {
    let valid: Vec<&str> = book.support.iter().map(|p| p.id.as_str()).collect();
    let help = if valid.is_empty() {
        format!(
            "{} has no support plans: its editions include support (subscriptions) or have \
             none; leave the key out",
            book.id
        )
    } else {
        help_for(&s.value, &valid, &format!("support plans of {}", book.id))
    };
    c.error(
        s.span.clone(),
        field,
        format!("unknown support plan `{}` for {}", s.value, book.id),
        Some(help),
    );
}

fn read_shape(c: &mut Collector<'_>, pt: &mut Table<'_, '_>) -> Option<Shape> {
    let mut st = pt.table(c, "shape")?;
    let hardware = st.string(c, "hardware").map(|h| h.value);
    let mut values = Vec::new();
    for f in ShapeField::ALL {
        let spec = FieldSpec {
            required: false,
            ..*f.spec()
        };
        if let Some(v) = read_number(c, &mut st, &spec) {
            values.push((f, v));
        }
    }
    st.finish(c);
    Some(Shape { values, hardware })
}

/// The longest migration window a plan may state: ten years of dual running.
const MAX_MIGRATION_MONTHS: u64 = 120;

/// A book in another currency needs an exchange rate the estate states itself.
fn check_currency(
    c: &mut Collector<'_>,
    given: &Given,
    book: &str,
    book_id: &str,
    at: &Spanned<String>,
    field: &str,
) {
    if let Some(estate) = &given.estate
        && estate != book
        && !given.fx.iter().any(|f| f == book)
    {
        c.error(
            at.span.clone(),
            field,
            format!("pricebook {book_id} prices in {book}, but the estate is in {estate}, and no {book} → {estate} rate is given"),
            Some(format!("add to [costs]: fx = {{ {book} = \"…\" }} ({estate} per 1 {book}) and fx_date = the date of that rate")),
        );
    }
}

/// `[costs]`, and every currency it gives a rate for, valid or not (a plan in that currency is
/// then not also reported as lacking a rate).
fn read_costs(c: &mut Collector<'_>, t: &mut Table<'_, '_>) -> (Option<Costs>, Vec<String>) {
    let Some(mut ct) = t.table(c, "costs") else {
        return (None, Vec::new());
    };
    let numbers = read_numbers::<Costs>(c, &mut ct);
    let mut fx = BTreeMap::new();
    let mut named = Vec::new();
    for (cur, value, path) in ct.entries(c, "fx") {
        named.push(cur.value.clone());
        if cur.value.len() != 3 || !cur.value.chars().all(|ch| ch.is_ascii_uppercase()) {
            c.error(
                cur.span.clone(),
                &path,
                format!("`{}` is not an ISO 4217 currency code", cur.value),
                Some("expected three capital letters such as EUR".into()),
            );
        }
        if let Some(d) = as_decimal(c, value, &path) {
            if !spec::FX_RATE.contains(d.value) {
                c.error(d.span, &path, format!("{} is not a plausible exchange rate", d.value), Some(format!("expected {}: units of the estate currency per 1 unit of this one, e.g. \"1.08\"", spec::FX_RATE.describe())));
            } else {
                fx.insert(cur.value, d.value);
            }
        }
    }
    let fx_date = ct.date(c, "fx_date");
    if !fx.is_empty() && fx_date.is_none() && !ct.has("fx_date") {
        ct.missing(
            c,
            "fx_date",
            "the date of the exchange rates, e.g. 2025-06-02",
        );
    }
    let fx_source = ct.string(c, "fx_source").map(|s| s.value);
    let mut vendor_discount = BTreeMap::new();
    for (vendor, value, path) in ct.entries(c, "vendor_discount") {
        if let Some(d) = as_decimal(c, value, &path) {
            if !spec::VENDOR_DISCOUNT.contains(d.value) {
                c.error(
                    d.span,
                    &path,
                    format!("discount {} is not a fraction below 1", d.value),
                    Some("expected e.g. \"0.15\" for 15 %".into()),
                );
            } else {
                vendor_discount.insert(vendor.value, d.value);
            }
        }
    }
    ct.finish(c);
    let base = Costs {
        vendor_discount,
        fx,
        fx_date: fx_date.map(|d| d.value),
        fx_source,
        ..Costs::default()
    };
    // Every declared number is optional in `[costs]`, so the table is always complete.
    (fill(base, &numbers), named)
}

/// Every declared number of one table, in declaration order: whole numbers are read with
/// their range, decimals checked against their bounds at the value; `None` where a value is
/// absent or refused (the problem is reported).
fn read_numbers<T: InputTable>(
    c: &mut Collector<'_>,
    t: &mut Table<'_, '_>,
) -> Vec<Option<Decimal>> {
    T::specs().map(|spec| read_number(c, t, spec)).collect()
}

fn read_number(c: &mut Collector<'_>, t: &mut Table<'_, '_>, spec: &FieldSpec) -> Option<Decimal> {
    let b = spec.bounds;
    if b.integer {
        let low = b.low.to_u64()?;
        let high = b.high.and_then(|h| h.to_u64()).unwrap_or(u64::MAX);
        let v = if spec.required {
            t.req_int(c, spec.key, low, high)
        } else {
            t.int(c, spec.key, low, high)
        };
        return v.map(|v| Decimal::from(v.value));
    }
    let Some(v) = t.decimal(c, spec.key) else {
        if spec.required && !t.has(spec.key) {
            t.missing(c, spec.key, &b.describe());
        }
        return None;
    };
    if b.contains(v.value) {
        return Some(v.value);
    }
    let fraction = if spec.kind == Kind::Fraction {
        " (fractions: 0.08 means 8 %)"
    } else {
        ""
    };
    let why = if v.value.is_sign_negative() && !b.low.is_sign_negative() {
        "is negative".to_owned()
    } else {
        format!("is out of range for {}", spec.key)
    };
    c.error(
        v.span.clone(),
        &t.field(spec.key),
        format!("{} {why}", v.value),
        Some(format!("expected {}{fraction}", b.describe())),
    );
    None
}

/// `base` with the numbers read into it; `None` when a required one is missing or refused.
fn fill<T: InputTable>(mut base: T, numbers: &[Option<Decimal>]) -> Option<T> {
    for (field, value) in T::FIELDS.iter().zip(numbers) {
        match value {
            Some(v) if !base.put(*field, *v) => return None,
            None if T::spec(*field).required => return None,
            _ => {}
        }
    }
    Some(base)
}

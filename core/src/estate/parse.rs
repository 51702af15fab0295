//! Estate TOML → [`Estate`], validated against a [`PricebookSet`], collecting every problem.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::diag::{Collector, Diagnostics, help_for};
use crate::estate::{Cluster, Costs, Estate, OwnedLicence, Plan, Scenario};
use crate::ids::ItemRef;
use crate::pricebook::{ItemRole, Metric, PricebookSet};
use crate::read::{Table, as_decimal, currency_code, format_version, parse_document};
use crate::source::{SourceFile, Spanned};

/// The largest numbers hypercost accepts: beyond them an input is surely a mistake.
pub(crate) mod bounds {
    /// Hosts per cluster.
    pub(crate) const HOSTS: u64 = 1_000_000;
    /// Sockets per host.
    pub(crate) const SOCKETS: u64 = 64;
    /// Cores per socket.
    pub(crate) const CORES: u64 = 1024;
    /// RAM per host, GB.
    pub(crate) const RAM_GB: u64 = 1_048_576;
    /// VMs per cluster.
    pub(crate) const VMS: u64 = 100_000_000;
    /// Horizon, years.
    pub(crate) const YEARS: u64 = 30;
    /// Owned licences per entry.
    pub(crate) const OWNED: u64 = 100_000_000;
}

/// Parses and validates an estate against the pricebooks; every problem is reported.
pub fn parse_estate(file: &SourceFile, books: &PricebookSet) -> Result<Estate, Diagnostics> {
    let mut c = Collector::new(file);
    let Some(doc) = parse_document(&mut c, &file.text) else {
        return Err(c.finish());
    };
    let mut root = Table::root(&doc);
    let estate = read_estate(&mut c, &mut root, books);
    root.finish(&mut c);
    match estate {
        Some(e) if !c.has_errors() => Ok(e),
        _ => Err(c.finish()),
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
    let years = t.req_int(c, "years", 1, bounds::YEARS);

    let clusters = read_clusters(c, t, books);
    let owned = read_owned(c, t, books);
    let scenarios = read_scenarios(
        c,
        t,
        books,
        &clusters,
        currency.as_ref().map(|s| s.value.as_str()),
    );
    let costs = read_costs(c, t);

    Some(Estate {
        name: name?.value,
        currency: currency?.value,
        purchase_date: purchase_date?.value,
        years: years?.value as u32,
        clusters: clusters
            .into_iter()
            .map(|(_, cl)| cl)
            .collect::<Option<Vec<_>>>()?,
        owned,
        scenarios,
        costs,
    })
}

/// Every named cluster, with its model when it is valid (names count even when not, so plans
/// that name them are not reported as unknown too).
type NamedClusters = Vec<(Spanned<String>, Option<Cluster>)>;

fn read_clusters(
    c: &mut Collector<'_>,
    t: &mut Table<'_, '_>,
    books: &PricebookSet,
) -> NamedClusters {
    let tables = t.tables(c, "cluster");
    if tables.is_empty() && !t.has("cluster") {
        t.missing(c, "cluster", "at least one [[cluster]] table");
    }
    let mut out: NamedClusters = Vec::new();
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
            if out.iter().any(|(o, _)| o.value == n.value) {
                c.error(
                    n.span.clone(),
                    &ct.field("name"),
                    format!("duplicate cluster name `{}`", n.value),
                    Some("cluster names must be unique".into()),
                );
            }
        }
        let hosts = ct.req_int(c, "hosts", 1, bounds::HOSTS);
        let sockets = ct.req_int(c, "sockets_per_host", 1, bounds::SOCKETS);
        let cores = ct.req_int(c, "cores_per_socket", 1, bounds::CORES);
        let ram = ct.int(c, "ram_gb_per_host", 1, bounds::RAM_GB);
        let vms = ct.int(c, "vms", 0, bounds::VMS);
        let vm_ram = ct.decimal(c, "vm_ram_gb");
        if let Some(v) = &vm_ram
            && (v.value <= Decimal::ZERO || v.value > Decimal::from(65_536))
        {
            c.error(
                v.span.clone(),
                &ct.field("vm_ram_gb"),
                format!("{} GB is not a plausible average VM memory size", v.value),
                Some("expected more than 0 and at most 65536".into()),
            );
        }
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
            let cluster = match (hosts, sockets, cores) {
                (Some(h), Some(s), Some(co)) => Some(Cluster {
                    name: name.value.clone(),
                    hosts: h.value as u32,
                    sockets_per_host: s.value as u32,
                    cores_per_socket: co.value as u32,
                    ram_gb_per_host: ram.map(|r| r.value as u32),
                    vms: vms.map(|v| v.value as u32),
                    vm_ram_gb: vm_ram.map(|v| v.value),
                    needs,
                }),
                _ => None,
            };
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
            c.error(
                s.span.clone(),
                field,
                e,
                Some(format!("valid pricebooks: {}", books.ids().join(", "))),
            );
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
        let quantity = ot.req_int(c, "quantity", 1, bounds::OWNED);
        let support_active = ot.bool(c, "support_active").is_some_and(|b| b.value);
        ot.finish(c);
        if let (Some(licence), Some(q)) = (licence, quantity) {
            out.push(OwnedLicence {
                licence,
                quantity: q.value as u32,
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
    currency: Option<&str>,
) -> Vec<Scenario> {
    let tables = t.tables(c, "scenario");
    if tables.is_empty() && !t.has("scenario") {
        t.missing(
            c,
            "scenario",
            "at least one [[scenario]] table with a [[scenario.plan]] per cluster",
        );
    }
    let cluster_names: Vec<&str> = clusters.iter().map(|(n, _)| n.value.as_str()).collect();
    let mut names: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for mut st in tables {
        let name = st.req_string(c, "name");
        if let Some(n) = &name {
            if names.contains(&n.value) {
                c.error(
                    n.span.clone(),
                    &st.field("name"),
                    format!("duplicate scenario name `{}`", n.value),
                    Some("scenario names must be unique".into()),
                );
            }
            names.push(n.value.clone());
        }
        let mut plans: Vec<Plan> = Vec::new();
        let mut named = Vec::new();
        let mut unresolved = false;
        for mut pt in st.tables(c, "plan") {
            let named_before = named.len();
            let plan = read_plan(
                c,
                &mut pt,
                books,
                clusters,
                &cluster_names,
                currency,
                &mut named,
            );
            unresolved |= named.len() == named_before;
            if let Some(plan) = plan {
                if plans.iter().any(|p| p.cluster == plan.cluster) {
                    c.error(
                        pt.span.clone(),
                        &pt.field("cluster"),
                        format!(
                            "a second plan for cluster `{}` in this scenario",
                            cluster_names[plan.cluster]
                        ),
                        Some("one plan per cluster per scenario".into()),
                    );
                }
                plans.push(plan);
            }
            pt.finish(c);
        }
        let scenario_name = name.as_ref().map_or("?", |n| n.value.as_str());
        for (i, cname) in cluster_names.iter().enumerate() {
            // A plan whose cluster did not resolve may have been meant for this one.
            if !named.contains(&i) && !unresolved {
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
            });
        }
    }
    out
}

fn read_plan(
    c: &mut Collector<'_>,
    pt: &mut Table<'_, '_>,
    books: &PricebookSet,
    clusters: &[(Spanned<String>, Option<Cluster>)],
    cluster_names: &[&str],
    currency: Option<&str>,
    named: &mut Vec<usize>,
) -> Option<Plan> {
    let cluster = pt.req_string(c, "cluster").and_then(|s| {
        let found = cluster_names.iter().position(|n| *n == s.value);
        named.extend(found);
        // With no valid cluster list, that problem is already reported.
        if found.is_none() && !cluster_names.is_empty() {
            c.error(
                s.span.clone(),
                &pt.field("cluster"),
                format!("unknown cluster `{}`", s.value),
                Some(help_for(&s.value, cluster_names, "clusters")),
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
    let addons: Vec<ItemRef> = addons_text
        .iter()
        .filter_map(|a| resolve_item(c, a, &pt.field("addons"), books, Some(ItemRole::AddOn)))
        .collect();
    let use_owned = pt.bool(c, "use_owned").is_some_and(|b| b.value);

    let edition_book = edition_text
        .as_ref()
        .and_then(|s| ItemRef::parse(&s.value).ok())
        .and_then(|r| books.get(&r.book));
    if let (Some(book), Some(s)) = (edition_book, &support)
        && book.support_plan(&s.value).is_none()
    {
        let valid: Vec<&str> = book.support.iter().map(|p| p.id.as_str()).collect();
        c.error(
            s.span.clone(),
            &pt.field("support"),
            format!("unknown support plan `{}` for {}", s.value, book.id),
            Some(help_for(
                &s.value,
                &valid,
                &format!("support plans of {}", book.id),
            )),
        );
    }
    if let (Some(ed), Some(edition_text)) = (&edition, &edition_text) {
        if let Some(book) = books.get(&ed.book) {
            check_currency(
                c,
                currency,
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
    for (a, text) in addons.iter().zip(
        addons_text
            .iter()
            .filter(|t| ItemRef::parse(&t.value).is_ok_and(|r| books.item(&r).is_some())),
    ) {
        if let Some(book) = books.get(&a.book) {
            check_currency(
                c,
                currency,
                &book.currency,
                &a.book.0,
                text,
                &pt.field("addons"),
            );
        }
    }
    Some(Plan {
        cluster: cluster?,
        edition: edition?,
        support: support.map(|s| s.value),
        addons,
        use_owned,
    })
}

fn check_currency(
    c: &mut Collector<'_>,
    estate: Option<&str>,
    book: &str,
    book_id: &str,
    at: &Spanned<String>,
    field: &str,
) {
    if let Some(estate) = estate
        && estate != book
    {
        c.error(
            at.span.clone(),
            field,
            format!("pricebook {book_id} prices in {book}, but the estate is in {estate}"),
            Some(format!(
                "set `currency = \"{book}\"` or choose a pricebook priced in {estate}"
            )),
        );
    }
}

fn read_costs(c: &mut Collector<'_>, t: &mut Table<'_, '_>) -> Option<Costs> {
    let mut ct = t.table(c, "costs")?;
    let mut money = |c: &mut Collector<'_>, key: &'static str| {
        let v = ct.decimal(c, key)?;
        if v.value.is_sign_negative() {
            c.error(
                v.span.clone(),
                &ct.field(key),
                format!("{} is negative", v.value),
                Some("expected 0 or more".into()),
            );
            return None;
        }
        Some(v.value)
    };
    let hardware_per_host = money(c, "hardware_per_host");
    let watts_per_host = money(c, "watts_per_host");
    let kwh_price = money(c, "kwh_price");
    let pue = money(c, "pue");
    let admin_per_host_year = money(c, "admin_per_host_year");
    let facilities_per_host_year = money(c, "facilities_per_host_year");
    let discount_rate = money(c, "discount_rate");
    let vm_growth_per_year = money(c, "vm_growth_per_year");
    let hardware_life_years = ct
        .int(c, "hardware_life_years", 1, 30)
        .map(|v| v.value as u32);
    let mut vendor_discount = BTreeMap::new();
    for (vendor, value, path) in ct.entries(c, "vendor_discount") {
        if let Some(d) = as_decimal(c, value, &path) {
            if d.value.is_sign_negative() || d.value >= Decimal::ONE {
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
    Some(Costs {
        hardware_per_host,
        hardware_life_years,
        watts_per_host,
        kwh_price,
        pue,
        admin_per_host_year,
        facilities_per_host_year,
        discount_rate,
        vm_growth_per_year,
        vendor_discount,
    })
}

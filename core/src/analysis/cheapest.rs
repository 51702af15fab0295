//! `cheapest`: the cheapest compliant plans for each cluster, and why every other option fails.
//!
//! For each cluster of an estate, [`cheapest`] builds every option the loaded pricebooks offer
//! on the estate's purchase date and prices each with [`crate::quote()`], so a search result
//! is exactly what `quote` would say of that plan. The search is finite by construction:
//!
//! * **platforms**: every edition (kits included) of every pricebook on sale on the purchase
//!   date (`Pricebook::on_sale`), of the chosen vendors or all; a book in another currency
//!   without the estate's rate for it, and an edition that counts VMs (or pools VM memory) on
//!   a cluster that does not say how many it runs, are left out with a note, as `quote` would
//!   refuse them as input;
//! * **support**: none, and each support plan of the edition's book that covers the edition;
//! * **add-ons**: none, each add-on of any pricebook on sale (any vendor) whose `requires` the
//!   edition provides and which provides a needed feature the edition lacks, and all such
//!   add-ons together when there are several;
//! * **owned licences**: used (`use_owned = true`) when an owned licence has a chain of upgrade
//!   paths to the edition, else not;
//! * **guest OS**: not searched (no `guest_os`), which the result says when the cluster has
//!   Windows VMs.
//!
//! Each option is a one-cluster, one-scenario estate with the estate's currency, dates, costs,
//! rates, rule switches and owned licences. Compliant options are ranked by total over the
//! horizon, ties by option name; every rejected option keeps the quote's problems as its
//! reasons. The renderers write the result as a table, JSON, CSV or Markdown.
//! [`winners_estate`] turns the winners into the
//! scenarios of a new estate, which [`crate::estate::write_estate`] writes as TOML.

use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeSet;

use crate::date::Date;
use crate::diag::{Diagnostics, help_for};
use crate::estate::{Cluster, ClusterField, Estate, InputTable, Plan, Scenario};
use crate::ids::ItemRef;
use crate::pricebook::{Item, ItemRole, Metric, Pricebook, PricebookSet};
use crate::quote::Problem;

/// Version of the cheapest JSON.
pub const CHEAPEST_FORMAT: u32 = 1;

/// What to search.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Search {
    /// Vendor keys whose pricebooks may provide the platform; empty: every vendor.
    pub vendors: Vec<String>,
    /// How many compliant options to report per cluster.
    pub top: usize,
}

/// The result of a search: per cluster the cheapest compliant options and every rejected one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cheapest {
    /// Contract version, 1.
    pub format: u32,
    /// `hypercost-core <version>`.
    pub engine: String,
    /// Estate name.
    pub estate: String,
    /// Currency of every amount.
    pub currency: String,
    /// The date options must be on sale on.
    pub purchase_date: Date,
    /// Horizon in years.
    pub years: u32,
    /// The vendors searched (empty: all).
    pub vendors: Vec<String>,
    /// Compliant options reported per cluster.
    pub top: u32,
    /// The pricebooks whose editions were searched.
    pub pricebooks: Vec<String>,
    /// How the search is made, in words.
    pub method: Vec<String>,
    /// Notes on the whole search (for example pricebooks a user file replaced).
    pub notes: Vec<String>,
    /// One per estate cluster, in estate order.
    pub clusters: Vec<ClusterSearch>,
}

/// The search for one cluster.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClusterSearch {
    /// Cluster name.
    pub cluster: String,
    /// `3 hosts × 2 CPUs × 4 cores`.
    pub shape: String,
    /// Needed features.
    pub needs: Vec<String>,
    /// Options priced.
    pub options: u32,
    /// Of which compliant.
    pub compliant: u32,
    /// The cheapest compliant options, at most `top`, ranked.
    pub winners: Vec<Priced>,
    /// Every rejected option, cheapest first, each with its problems.
    pub rejected: Vec<Priced>,
    /// Editions with at least one compliant option (reported or not).
    pub compliant_editions: Vec<String>,
    /// What was left out of the search, and what the results do not include.
    pub notes: Vec<String>,
}

/// One option priced.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Priced {
    /// 1-based rank among the compliant options (winners only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<u32>,
    /// The option in words: edition, support, add-ons.
    pub option: String,
    /// `pricebook-id/edition-id`.
    pub edition: String,
    /// The edition's human name.
    pub edition_name: String,
    /// The edition's vendor.
    pub vendor: String,
    /// A support plan id of the edition's book.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support: Option<String>,
    /// Add-ons, `pricebook-id/addon-id`.
    pub addons: Vec<String>,
    /// Owned licences applied through upgrade paths.
    pub use_owned: bool,
    /// No problems.
    pub compliant: bool,
    /// Total over the horizon.
    #[serde(serialize_with = "crate::money::ser::money")]
    pub total: Decimal,
    /// Total per year.
    pub years: Vec<YearAmount>,
    /// Lines resting on UNVERIFIED or conflicting prices or rules.
    pub doubtful_lines: u32,
    /// Why it is not compliant (rejected options).
    pub problems: Vec<Problem>,
    /// What a buyer should know (winners): the quote's notes and the edition's own.
    pub notes: Vec<String>,
}

/// One year's total of an option.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct YearAmount {
    /// 1-based year.
    pub year: u32,
    /// Its total.
    #[serde(serialize_with = "crate::money::ser::money")]
    pub total: Decimal,
}

/// Searches every cluster of the estate. An unknown vendor is an error naming the valid ones.
pub fn cheapest(
    estate: &Estate,
    books: &PricebookSet,
    search: &Search,
) -> Result<Cheapest, Diagnostics> {
    let mut known: Vec<&str> = books.books().iter().map(|b| b.vendor.as_str()).collect();
    known.sort_unstable();
    known.dedup();
    let mut vendors: Vec<String> = Vec::new();
    for v in &search.vendors {
        let v = v.to_lowercase();
        if !known.contains(&v.as_str()) {
            return Err(Diagnostics::input(
                "vendor",
                format!("unknown vendor `{v}`"),
                Some(help_for(&v, &known, "vendors")),
            ));
        }
        if !vendors.contains(&v) {
            vendors.push(v);
        }
    }
    let date = estate.purchase_date;
    let on_sale: Vec<&Pricebook> = books
        .books()
        .iter()
        .map(|b| &**b)
        .filter(|b| b.on_sale(date))
        .collect();
    let mut notes = Vec::new();
    let mut platforms = Vec::new();
    for b in &on_sale {
        if !vendors.is_empty() && !vendors.contains(&b.vendor) {
            continue;
        }
        if estate.fx_rate(&b.currency).is_none() {
            notes.push(format!(
                "not searched: {} prices in {} and the estate gives no {} → {} rate (add [costs] fx = {{ {} = \"…\" }} and fx_date)",
                b.id, b.currency, b.currency, estate.currency, b.currency
            ));
            continue;
        }
        if b.items.iter().any(|i| i.role == ItemRole::Edition) {
            platforms.push(*b);
        }
    }
    let vendor_words = if vendors.is_empty() {
        "every vendor".to_owned()
    } else {
        format!(
            "vendor{} {}",
            if vendors.len() == 1 { "" } else { "s" },
            vendors.join(", ")
        )
    };
    // Nothing to search: each cluster says why, where its options would be (a cluster with no
    // option and no reason reads as if the reasons were missing).
    let nothing = platforms.is_empty().then(|| {
        if notes.is_empty() {
            format!("no option was searched: no pricebook of {vendor_words} with editions is on sale on {date}")
        } else {
            format!("no option was searched: {}", notes.join("; "))
        }
    });
    let addon_books: Vec<&Pricebook> = on_sale
        .iter()
        .copied()
        .filter(|b| estate.fx_rate(&b.currency).is_some())
        .collect();
    let clusters = estate
        .clusters
        .iter()
        .map(|cl| {
            let mut found = search_cluster(estate, books, cl, &platforms, &addon_books, search.top);
            found.notes.extend(nothing.clone());
            found
        })
        .collect();
    let method = vec![
        format!("platforms: every edition and kit of each pricebook on sale on {date} ({vendor_words})"),
        "support: none, and each support plan of the edition's pricebook that covers it".to_owned(),
        format!("add-ons: none, each add-on on sale on {date} (any vendor) whose prerequisites the edition provides and which provides a needed feature the edition lacks, and all such add-ons together"),
        "owned licences: used when one has a chain of upgrade paths to the edition".to_owned(),
        "guest OS licences are not searched".to_owned(),
        "each option is quoted alone for its cluster, with the estate's currency, dates, costs, rates, rule switches and owned licences; rules across clusters of one group are not applied between them".to_owned(),
        "compliant options are ranked by total over the horizon, ties by option name".to_owned(),
    ];
    Ok(Cheapest {
        format: CHEAPEST_FORMAT,
        engine: crate::ENGINE.to_owned(),
        estate: estate.name.clone(),
        currency: estate.currency.clone(),
        purchase_date: date,
        years: estate.years,
        vendors,
        top: search.top as u32,
        pricebooks: platforms.iter().map(|b| b.id.0.clone()).collect(),
        method,
        notes,
        clusters,
    })
}

/// One option before it is priced.
struct Candidate {
    label: String,
    plan: Plan,
    vendor: String,
    edition_name: String,
    edition_notes: Vec<String>,
}

fn search_cluster(
    estate: &Estate,
    books: &PricebookSet,
    cl: &Cluster,
    platforms: &[&Pricebook],
    addon_books: &[&Pricebook],
    top: usize,
) -> ClusterSearch {
    let mut notes = Vec::new();
    let mut skipped_vms = Vec::new();
    let mut skipped_ram = Vec::new();
    let mut candidates = Vec::new();
    for book in platforms {
        for ed in book.items.iter().filter(|i| i.role == ItemRole::Edition) {
            let edition = ItemRef {
                book: book.id.clone(),
                item: ed.id.clone(),
            };
            let counts_vms =
                ed.vm_rights.is_some() || ed.pool.is_some() || ed.metric == Metric::PerVm;
            if counts_vms && cl.vms.is_none() {
                skipped_vms.push(edition.to_string());
                continue;
            }
            if ed.pool.is_some() && cl.vm_ram_gb.is_none() {
                skipped_ram.push(edition.to_string());
                continue;
            }
            let plans: Vec<&str> = book
                .support
                .iter()
                .filter(|s| s.covers(ed))
                .map(|s| s.id.as_str())
                .collect();
            let mut supports: Vec<Option<&str>> = vec![None];
            supports.extend(plans.iter().map(|p| Some(*p)));
            let helpful = helpful_addons(ed, cl, addon_books);
            let mut addon_sets: Vec<Vec<ItemRef>> = vec![Vec::new()];
            addon_sets.extend(helpful.iter().map(|a| vec![a.clone()]));
            if helpful.len() > 1 {
                addon_sets.push(helpful.clone());
            }
            let use_owned = estate
                .owned
                .iter()
                .any(|o| upgrade_reachable(books, &o.licence, &edition));
            for support in &supports {
                for addons in &addon_sets {
                    let mut label = edition.to_string();
                    match support {
                        Some(s) => label.push_str(&format!(" + support {s}")),
                        None if !plans.is_empty() => label.push_str(" without support"),
                        None => {}
                    }
                    for a in addons {
                        label.push_str(&format!(" + {a}"));
                    }
                    candidates.push(Candidate {
                        label,
                        plan: Plan {
                            support: support.map(str::to_owned),
                            addons: addons.clone(),
                            use_owned,
                            ..Plan::new(0, edition.clone())
                        },
                        vendor: book.vendor.clone(),
                        edition_name: ed.name.clone(),
                        edition_notes: ed.notes.clone(),
                    });
                }
            }
        }
    }
    if !skipped_vms.is_empty() {
        notes.push(format!(
            "not searched: {} count{} VMs, and cluster {} does not say how many it runs (add vms = N)",
            skipped_vms.join(", "),
            if skipped_vms.len() == 1 { "s" } else { "" },
            cl.name
        ));
    }
    if !skipped_ram.is_empty() {
        notes.push(format!(
            "not searched: {} pool{} VM memory, and cluster {} has no vm_ram_gb",
            skipped_ram.join(", "),
            if skipped_ram.len() == 1 { "s" } else { "" },
            cl.name
        ));
    }
    if let Some(w) = cl
        .get(ClusterField::WindowsVms)
        .filter(|w| *w > Decimal::ZERO)
    {
        notes.push(format!(
            "guest OS licences for the {w} Windows VMs are not in these totals: add guest_os to the plan you choose"
        ));
    }

    // Every option of the cluster is one scenario of one estate: one call to `quote`.
    let one = Estate {
        clusters: vec![cl.clone()],
        scenarios: candidates
            .iter()
            .map(|c| Scenario {
                name: c.label.clone(),
                plans: vec![c.plan.clone()],
                purchase_date: None,
                rule_switches: Vec::new(),
            })
            .collect(),
        ..estate.clone()
    };
    let q = crate::quote(&one, books);
    let mut priced: Vec<Priced> = candidates
        .into_iter()
        .zip(q.scenarios)
        .map(|(c, s)| {
            let mut notes = s.notes;
            if s.compliant {
                for n in c.edition_notes {
                    if !notes.contains(&n) {
                        notes.push(n);
                    }
                }
            } else {
                notes.clear();
            }
            Priced {
                rank: None,
                option: c.label,
                edition: c.plan.edition.to_string(),
                edition_name: c.edition_name,
                vendor: c.vendor,
                support: c.plan.support,
                addons: c.plan.addons.iter().map(ToString::to_string).collect(),
                use_owned: c.plan.use_owned,
                compliant: s.compliant,
                total: s.total,
                years: s
                    .years
                    .iter()
                    .map(|y| YearAmount {
                        year: y.year,
                        total: y.total,
                    })
                    .collect(),
                doubtful_lines: s.doubtful_lines,
                problems: s.problems,
                notes,
            }
        })
        .collect();
    priced.sort_by(|a, b| a.total.cmp(&b.total).then_with(|| a.option.cmp(&b.option)));
    let options = priced.len() as u32;
    let (mut winners, rejected): (Vec<Priced>, Vec<Priced>) =
        priced.into_iter().partition(|p| p.compliant);
    let compliant = winners.len() as u32;
    let mut compliant_editions: Vec<String> = Vec::new();
    for w in &winners {
        if !compliant_editions.contains(&w.edition) {
            compliant_editions.push(w.edition.clone());
        }
    }
    winners.truncate(top);
    for (i, w) in winners.iter_mut().enumerate() {
        w.rank = Some(i as u32 + 1);
    }
    ClusterSearch {
        cluster: cl.name.clone(),
        shape: format!(
            "{} host{} × {} CPU{} × {} cores",
            cl.hosts,
            if cl.hosts == 1 { "" } else { "s" },
            cl.sockets_per_host,
            if cl.sockets_per_host == 1 { "" } else { "s" },
            cl.cores_per_socket
        ),
        needs: cl.needs.clone(),
        options,
        compliant,
        winners,
        rejected,
        compliant_editions,
        notes,
    }
}

/// Add-ons worth trying on an edition: usable on it, and supplying a need it lacks.
fn helpful_addons(ed: &Item, cl: &Cluster, addon_books: &[&Pricebook]) -> Vec<ItemRef> {
    let mut out = Vec::new();
    for book in addon_books {
        for a in book.items.iter().filter(|i| i.role == ItemRole::AddOn) {
            let usable = a.requires.iter().all(|r| ed.provides(r));
            let helps = cl.needs.iter().any(|n| !ed.provides(n) && a.provides(n));
            if usable && helps {
                out.push(ItemRef {
                    book: book.id.clone(),
                    item: a.id.clone(),
                });
            }
        }
    }
    out
}

/// True when a chain of upgrade paths (of any book) leads from the owned licence to the edition.
fn upgrade_reachable(books: &PricebookSet, from: &ItemRef, to: &ItemRef) -> bool {
    let mut seen: BTreeSet<ItemRef> = BTreeSet::new();
    let mut todo = vec![from.clone()];
    while let Some(at) = todo.pop() {
        for book in books.books() {
            for path in book.upgrades.iter().filter(|p| p.from == at) {
                let next = ItemRef {
                    book: book.id.clone(),
                    item: path.to.clone(),
                };
                if next == *to {
                    return true;
                }
                if seen.insert(next.clone()) {
                    todo.push(next);
                }
            }
        }
    }
    false
}

/// The winners as the scenarios of a new estate: scenario k gives every cluster its k-th
/// cheapest compliant option (its last one when it has fewer). A cluster with no compliant
/// option gets its cheapest rejected one, and a note says so. The estate's clusters, owned
/// licences, costs and rule switches are kept; its scenarios are replaced.
pub fn winners_estate(
    estate: &Estate,
    result: &Cheapest,
) -> Result<(Estate, Vec<String>), Diagnostics> {
    let mut notes = Vec::new();
    let mut per_cluster: Vec<Vec<&Priced>> = Vec::new();
    for (cl, found) in estate.clusters.iter().zip(&result.clusters) {
        if !found.winners.is_empty() {
            per_cluster.push(found.winners.iter().collect());
        } else if let Some(best) = found.rejected.first() {
            notes.push(format!(
                "cluster {} has no compliant option; its plan is the cheapest rejected one, {} ({})",
                cl.name,
                best.option,
                best.problems
                    .iter()
                    .map(|p| p.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
            per_cluster.push(vec![best]);
        } else {
            return Err(Diagnostics::input(
                "vendor",
                format!(
                    "cluster {} has no option at all on {} with these vendors, so there is no plan to write",
                    cl.name, result.purchase_date
                ),
                Some("search more vendors, or write the estate without -o FILE.toml".into()),
            ));
        }
    }
    let count = per_cluster.iter().map(Vec::len).max().unwrap_or(0);
    let mut scenarios = Vec::new();
    for k in 0..count {
        let mut plans = Vec::new();
        for (ci, options) in per_cluster.iter().enumerate() {
            let Some(p) = options.get(k).or(options.last()) else {
                continue;
            };
            let reference =
                |r: &str| ItemRef::parse(r).map_err(|e| Diagnostics::input(r.to_owned(), e, None));
            let edition = reference(&p.edition)?;
            let addons = p
                .addons
                .iter()
                .map(|a| reference(a))
                .collect::<Result<Vec<_>, _>>()?;
            plans.push(Plan {
                support: p.support.clone(),
                addons,
                use_owned: p.use_owned,
                ..Plan::new(ci, edition)
            });
        }
        let name = if per_cluster.len() == 1 {
            format!(
                "cheapest {}: {}",
                k + 1,
                per_cluster[0][k.min(per_cluster[0].len() - 1)].option
            )
        } else {
            format!(
                "cheapest {}: each cluster's option ranked {} (or its last)",
                k + 1,
                k + 1
            )
        };
        scenarios.push(Scenario {
            name,
            plans,
            purchase_date: None,
            rule_switches: Vec::new(),
        });
    }
    Ok((
        Estate {
            name: format!("{} — cheapest plans", estate.name),
            scenarios,
            ..estate.clone()
        },
        notes,
    ))
}

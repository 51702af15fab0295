//! Needs against provides, add-on prerequisites and limits: problems as data, not errors.

use crate::estate::Cluster;
use crate::pricebook::{Item, ItemRole, Pricebook};
use crate::quote::ProblemCode;

/// What the compliance checks found for one plan on one cluster.
#[derive(Default)]
pub(crate) struct Findings {
    pub(crate) problems: Vec<(ProblemCode, String)>,
    pub(crate) notes: Vec<String>,
}

/// Needs vs features, add-on `requires`, and the limits of the edition and add-ons.
pub(crate) fn check_plan(
    edition: (&Pricebook, &Item),
    addons: &[(&Pricebook, &Item)],
    cl: &Cluster,
    years: u32,
) -> Findings {
    let mut f = Findings::default();
    let (book, ed) = edition;
    for need in &cl.needs {
        let provider = std::iter::once(ed)
            .chain(addons.iter().map(|(_, a)| *a))
            .find(|i| i.provides(need));
        match provider {
            Some(item) if item.features_unverified.contains(need) && !item.features.contains(need) => f.notes.push(text!(
                "cluster {}: {need} on {} is our modelling choice where the facts are UNVERIFIED; check before relying on it",
                cl.name, item.name
            )),
            Some(_) => {}
            None => {
                let others: Vec<&str> = book.items.iter().filter(|i| i.role == ItemRole::Edition && i.provides(need)).map(|i| i.id.as_str()).collect();
                let hint = if others.is_empty() { text!("no edition of {} has it", book.id) } else { text!("editions of {} with it: {}", book.id, others.join(", ")) };
                f.problems.push((ProblemCode::MissingFeature, text!("needs {need}, which {} lacks ({hint})", ed.name)));
            }
        }
    }
    for (_, addon) in addons {
        for req in &addon.requires {
            if !ed.provides(req) {
                f.problems.push((
                    ProblemCode::AddonPrerequisite,
                    text!("{} requires {req}, which {} lacks", addon.name, ed.name),
                ));
            }
        }
    }
    check_limits(&mut f, book, ed, cl, years);
    for (abook, addon) in addons {
        check_limits(&mut f, abook, addon, cl, years);
    }
    f
}

fn check_limits(f: &mut Findings, book: &Pricebook, item: &Item, cl: &Cluster, years: u32) {
    let l = &item.limits;
    let mut over = |what: String| f.problems.push((ProblemCode::HostLimit, what));
    if let Some(max) = l.max_hosts
        && cl.hosts > max
    {
        over(text!(
            "{} allows at most {max} hosts; the cluster has {}",
            item.name,
            cl.hosts
        ));
    }
    if let Some(max) = l.max_sockets_per_host
        && cl.sockets_per_host > max
    {
        over(text!(
            "{} allows at most {max} sockets per host; these hosts have {}",
            item.name,
            cl.sockets_per_host
        ));
    }
    if let Some(max) = l.max_cores_per_socket
        && cl.cores_per_socket > max
    {
        over(text!(
            "{} allows at most {max} cores per socket; these CPUs have {}",
            item.name,
            cl.cores_per_socket
        ));
    }
    if let Some(days) = l.days
        && u64::from(years) * 365 > u64::from(days)
    {
        over(text!(
            "{} may be used for {days} days only; the horizon is {years} years",
            item.name
        ));
    }
    if let Some(max) = l.max_ram_gb_per_host {
        match cl.ram_gb_per_host {
            Some(ram) if ram > max => {
                let ok: Vec<&str> = book
                    .items
                    .iter()
                    .filter(|i| i.role == item.role && i.limits.max_ram_gb_per_host.is_none_or(|m| m >= ram))
                    .map(|i| i.id.as_str())
                    .collect();
                let hint = if ok.is_empty() { String::new() } else { text!(" ({} allowing it: {})", if item.role == ItemRole::Edition { "editions" } else { "add-ons" }, ok.join(", ")) };
                over(text!("{} allows at most {max} GB RAM per host; these hosts have {ram} GB{hint}", item.name));
            }
            Some(_) => {}
            None => f.notes.push(text!("cluster {}: RAM per host not given, so the {max} GB per-host limit of {} was not checked", cl.name, item.name)),
        }
    }
}

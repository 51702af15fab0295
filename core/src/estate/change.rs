//! Structural changes of an estate as text edits: a cluster added, removed or renamed, a
//! scenario added. Each keeps the estate whole (every scenario has one plan per cluster and
//! names it), so the page's form holds no knowledge of the estate format: it asks for a
//! [`Change`] and applies the [`Edit`]s through [`super::edit_text`], comments kept.

use serde::Deserialize;

use super::{Cluster, Edit, EditValue, Estate, InputTable, Plan};
use crate::diag::Diagnostics;

/// A change of the estate's structure. JSON: `{"add_cluster": null}`,
/// `{"remove_cluster": 1}`, `{"rename_cluster": [1, "prod"]}`, `{"add_scenario": null}`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    /// A new cluster of a small default shape, with a plan in every scenario running that
    /// scenario's first edition.
    AddCluster,
    /// The cluster at this index and its plan in every scenario.
    RemoveCluster(usize),
    /// The cluster at this index gets a new name, and every plan that names it follows.
    RenameCluster(usize, String),
    /// A new scenario with a plan per cluster, each running the first scenario's edition for
    /// that cluster.
    AddScenario,
    /// A chosen plan (a `cheapest` winner) as a new scenario named `name` (made unique): the
    /// cluster runs `plan`, every other cluster its plan of the first scenario (edition and
    /// support).
    AddScenarioWith {
        /// The scenario's name; a number is added when it is taken.
        name: String,
        /// The cluster the plan is for.
        cluster: String,
        /// What it runs.
        plan: ChosenPlan,
    },
}

/// A plan chosen for one cluster, as `cheapest` reports a winner.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChosenPlan {
    /// `pricebook/edition`.
    pub edition: String,
    /// A support plan id, if any.
    #[serde(default)]
    pub support: Option<String>,
    /// Add-ons, each `pricebook/add-on`.
    #[serde(default)]
    pub addons: Vec<String>,
    /// Apply owned licences through upgrade paths.
    #[serde(default)]
    pub use_owned: bool,
}

/// The shape a new cluster starts with in an estate without clusters: a small two-socket
/// cluster, edited from there (otherwise it copies a planned cluster's numbers).
const NEW_CLUSTER: [(&str, i64); 5] = [
    ("hosts", 2),
    ("sockets_per_host", 2),
    ("cores_per_socket", 8),
    ("ram_gb_per_host", 128),
    ("vms", 20),
];

/// The edits that make `change` to `estate`'s text.
pub fn change_edits(estate: &Estate, change: &Change) -> Result<Vec<Edit>, Diagnostics> {
    let text = |s: &str| EditValue::Text(s.to_owned());
    let cluster_at = |index: usize| {
        estate.clusters.get(index).ok_or_else(|| {
            Diagnostics::input(
                "cluster",
                format!("the estate has no cluster {}", index + 1),
                Some(format!("it has {}", estate.clusters.len())),
            )
        })
    };
    // (scenario index, plan index) of every plan of the named cluster.
    let plans_of = |name: &str| -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (i, s) in estate.scenarios.iter().enumerate() {
            for (j, p) in s.plans.iter().enumerate() {
                if estate
                    .clusters
                    .get(p.cluster)
                    .is_some_and(|c| c.name == name)
                {
                    out.push((i, j));
                }
            }
        }
        out
    };
    let mut edits = Vec::new();
    match change {
        Change::AddCluster => {
            let names: Vec<&str> = estate.clusters.iter().map(|c| c.name.as_str()).collect();
            let name = unique("cluster", "-", &names);
            let mut fields = vec![("name".to_owned(), text(&name))];
            // The new cluster runs the first plan's edition in every scenario, so it starts as
            // a copy of the numbers of that plan's cluster: an edition may need a number the
            // small default shape lacks (VM memory for a vRAM pool, Windows VMs for guest
            // licences), and the copy is valid wherever its model is (a fuzz finding).
            let template = estate
                .scenarios
                .first()
                .and_then(|s| s.plans.first())
                .and_then(|p| estate.clusters.get(p.cluster))
                .or(estate.clusters.first());
            match template {
                Some(t) => fields.extend(Cluster::FIELDS.iter().filter_map(|f| {
                    let spec = Cluster::spec(*f);
                    let v = t.get(*f)?;
                    let value = match i64::try_from(v).ok().filter(|_| spec.bounds.integer) {
                        Some(n) => EditValue::Integer(n),
                        None => EditValue::Decimal(v),
                    };
                    Some((spec.key.to_owned(), value))
                })),
                None => fields.extend(
                    NEW_CLUSTER
                        .iter()
                        .map(|(k, v)| ((*k).to_owned(), EditValue::Integer(*v))),
                ),
            }
            edits.push(Edit::Append {
                array: "cluster".to_owned(),
                fields,
            });
            for (i, s) in estate.scenarios.iter().enumerate() {
                if let Some(first) = s.plans.first() {
                    edits.push(Edit::Append {
                        array: format!("scenario[{i}].plan"),
                        fields: vec![
                            ("cluster".to_owned(), text(&name)),
                            ("edition".to_owned(), text(&first.edition.to_string())),
                        ],
                    });
                }
            }
        }
        Change::RemoveCluster(index) => {
            let cluster = cluster_at(*index)?;
            if estate.clusters.len() == 1 {
                return Err(Diagnostics::input(
                    "cluster",
                    format!("`{}` is the estate's only cluster", cluster.name),
                    Some("an estate needs at least one cluster: add another first".into()),
                ));
            }
            // Later plans first, so the indices of the earlier ones stay true.
            for (i, j) in plans_of(&cluster.name).into_iter().rev() {
                edits.push(Edit::Remove {
                    path: format!("scenario[{i}].plan[{j}]"),
                });
            }
            // A contract loses the cluster; one left covering none goes (later ones first).
            edits.extend(contract_clusters(estate, *index, None).into_iter().rev());
            edits.push(Edit::Remove {
                path: format!("cluster[{index}]"),
            });
        }
        Change::RenameCluster(index, name) => {
            let cluster = cluster_at(*index)?;
            edits.push(Edit::Set {
                path: format!("cluster[{index}].name"),
                value: text(name),
            });
            for (i, j) in plans_of(&cluster.name) {
                edits.push(Edit::Set {
                    path: format!("scenario[{i}].plan[{j}].cluster"),
                    value: text(name),
                });
            }
            // Contracts name their clusters too.
            edits.extend(contract_clusters(estate, *index, Some(name)));
        }
        Change::AddScenario => {
            let fields = |c: &Cluster| {
                let first = first_plan(estate, &c.name)?;
                Some(vec![(
                    "edition".to_owned(),
                    text(&first.edition.to_string()),
                )])
            };
            edits.extend(add_scenario(estate, "New scenario", fields));
        }
        Change::AddScenarioWith {
            name,
            cluster,
            plan,
        } => {
            if !estate.clusters.iter().any(|c| &c.name == cluster) {
                let names: Vec<&str> = estate.clusters.iter().map(|c| c.name.as_str()).collect();
                return Err(Diagnostics::input(
                    "cluster",
                    format!("the estate has no cluster `{cluster}`"),
                    Some(format!("clusters: {}", names.join(", "))),
                ));
            }
            let fields = |c: &Cluster| {
                if &c.name == cluster {
                    return Some(chosen_fields(plan));
                }
                let first = first_plan(estate, &c.name)?;
                let mut fields = vec![("edition".to_owned(), text(&first.edition.to_string()))];
                fields.extend(
                    first
                        .support
                        .as_deref()
                        .map(|s| ("support".to_owned(), text(s))),
                );
                Some(fields)
            };
            edits.extend(add_scenario(estate, name, fields));
        }
    }
    Ok(edits)
}

/// Edits of every contract covering cluster `index`: its `clusters` list with the cluster
/// renamed to `rename`, or without it (`None`; a contract left covering nothing is removed).
fn contract_clusters(estate: &Estate, index: usize, rename: Option<&str>) -> Vec<Edit> {
    let mut edits = Vec::new();
    for (k, c) in estate.contracts.iter().enumerate() {
        if !c.clusters.contains(&index) {
            continue;
        }
        let list: Vec<String> = c
            .clusters
            .iter()
            .filter_map(|&i| match (i == index, rename) {
                (true, Some(new)) => Some(new.to_owned()),
                (true, None) => None,
                (false, _) => estate.clusters.get(i).map(|cl| cl.name.clone()),
            })
            .collect();
        edits.push(if list.is_empty() {
            Edit::Remove {
                path: format!("contract[{k}]"),
            }
        } else {
            Edit::Set {
                path: format!("contract[{k}].clusters"),
                value: EditValue::List(list),
            }
        });
    }
    edits
}

/// The first scenario's plan for the named cluster, if any.
fn first_plan<'e>(estate: &'e Estate, cluster: &str) -> Option<&'e Plan> {
    estate.scenarios.first()?.plans.iter().find(|p| {
        estate
            .clusters
            .get(p.cluster)
            .is_some_and(|c| c.name == cluster)
    })
}

/// A new scenario named `name` (made unique) with, per cluster, a plan of the fields `plan`
/// gives (none: no plan for that cluster).
fn add_scenario(
    estate: &Estate,
    name: &str,
    plan: impl Fn(&Cluster) -> Option<Vec<(String, EditValue)>>,
) -> Vec<Edit> {
    let names: Vec<&str> = estate.scenarios.iter().map(|s| s.name.as_str()).collect();
    let index = estate.scenarios.len();
    let mut edits = vec![Edit::Append {
        array: "scenario".to_owned(),
        fields: vec![(
            "name".to_owned(),
            EditValue::Text(unique(name, " ", &names)),
        )],
    }];
    for c in &estate.clusters {
        if let Some(fields) = plan(c) {
            let mut all = vec![("cluster".to_owned(), EditValue::Text(c.name.clone()))];
            all.extend(fields);
            edits.push(Edit::Append {
                array: format!("scenario[{index}].plan"),
                fields: all,
            });
        }
    }
    edits
}

/// A chosen plan's fields, leaving out what the estate reader defaults.
fn chosen_fields(plan: &ChosenPlan) -> Vec<(String, EditValue)> {
    let mut fields = vec![("edition".to_owned(), EditValue::Text(plan.edition.clone()))];
    if let Some(s) = &plan.support {
        fields.push(("support".to_owned(), EditValue::Text(s.clone())));
    }
    if !plan.addons.is_empty() {
        fields.push(("addons".to_owned(), EditValue::List(plan.addons.clone())));
    }
    if plan.use_owned {
        fields.push(("use_owned".to_owned(), EditValue::Bool(true)));
    }
    fields
}

/// `base`, or `base{sep}2`, `base{sep}3`… — the first not in `taken`.
fn unique(base: &str, sep: &str, taken: &[&str]) -> String {
    if !taken.contains(&base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}{sep}{n}"))
        .find(|n| !taken.contains(&n.as_str()))
        .unwrap_or_else(|| base.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PricebookSet, SourceFile, example_estate, parse_estate};

    /// The example estate, changed and read back.
    fn changed(text: &str, change: &Change) -> (String, Estate) {
        let books = PricebookSet::bundled().expect("bundled books");
        let estate = parse_estate(&SourceFile::new("e.toml", text), &books).expect("valid");
        let edits = change_edits(&estate, change).expect("edits");
        let out = super::super::edit_text(text, &edits).expect("applies");
        let back = parse_estate(&SourceFile::new("e.toml", &out), &books).expect("still valid");
        (out, back)
    }

    #[test]
    fn a_cluster_added_gets_a_plan_in_every_scenario_and_a_second_one_a_new_name() {
        let base = example_estate().text;
        let (text, e) = changed(&base, &Change::AddCluster);
        assert_eq!(e.clusters.len(), 2);
        assert_eq!(e.clusters[1].name, "cluster");
        assert!(e.scenarios.iter().all(|s| s.plans.len() == 2));
        assert!(
            text.contains("# VI3 licences cover 2 CPUs each"),
            "comments kept"
        );
        let (_, e) = changed(&text, &Change::AddCluster);
        assert_eq!(e.clusters[2].name, "cluster-2");
    }

    /// Contracts follow their clusters: a renamed cluster is renamed in the contract's list; a
    /// removed one leaves it, and a contract left covering nothing goes.
    #[test]
    fn contracts_follow_renamed_and_removed_clusters() {
        let base = include_str!("../../../tests/cases/transition-2026/estate.toml");
        let (text, e) = changed(base, &Change::RenameCluster(0, "production".into()));
        assert_eq!(e.contracts[0].clusters, vec![0, 1]);
        assert!(
            text.contains("clusters = [\"production\", \"dev\"]"),
            "{text}"
        );
        let (text, e) = changed(&text, &Change::RemoveCluster(1));
        assert_eq!(e.contracts[0].clusters, vec![0]);
        assert!(text.contains("clusters = [\"production\"]"), "{text}");
        let one = text.replacen(
            "[[cluster]]\nname = \"production\"",
            "[[cluster]]\nname = \"spare\"\nhosts = 1\nsockets_per_host = 1\ncores_per_socket = 16\n\n[[cluster]]\nname = \"production\"",
            1,
        );
        let one = one.replace("[[scenario.plan]]\ncluster = \"production\"", "[[scenario.plan]]\ncluster = \"spare\"\nedition = \"vmware-vcf-2024/vvf\"\n[[scenario.plan]]\ncluster = \"production\"");
        let (text, e) = changed(&one, &Change::RemoveCluster(1));
        assert!(e.contracts.is_empty(), "{text}");
        assert!(!text.contains("[[contract]]"), "{text}");
    }

    /// Fuzz finding: a cluster added to an estate whose first plan pools VM memory (vSphere
    /// 5.0's vRAM) had no `vm_ram_gb` and made the estate invalid. It copies the numbers of
    /// the first plan's cluster, so it is valid wherever that cluster is.
    #[test]
    fn a_cluster_added_copies_what_the_first_plan_needs() {
        let base = include_str!("../../../tests/cases/eras-2009-2025/estate.toml");
        let (_, e) = changed(base, &Change::AddCluster);
        let (first, added) = (&e.clusters[0], &e.clusters[1]);
        assert_eq!(added.vm_ram_gb, first.vm_ram_gb);
        assert_eq!(added.windows_vms, first.windows_vms);
        assert_eq!((added.hosts, added.vms), (first.hosts, first.vms));
    }

    #[test]
    fn a_cluster_removed_takes_its_plans_and_the_last_one_stays() {
        let base = example_estate().text;
        let (two, _) = changed(&base, &Change::AddCluster);
        let (_, e) = changed(&two, &Change::RemoveCluster(0));
        assert_eq!(e.clusters.len(), 1);
        assert_eq!(e.clusters[0].name, "cluster");
        assert!(e.scenarios.iter().all(|s| s.plans.len() == 1));
        let books = PricebookSet::bundled().expect("bundled books");
        let one = parse_estate(&example_estate(), &books).expect("valid");
        let refused = change_edits(&one, &Change::RemoveCluster(0)).expect_err("the last one");
        assert!(
            refused.summary().contains("only cluster"),
            "{}",
            refused.summary()
        );
        assert!(change_edits(&one, &Change::RemoveCluster(5)).is_err());
    }

    #[test]
    fn a_cluster_renamed_is_renamed_in_every_plan() {
        let base = example_estate().text;
        let (_, e) = changed(&base, &Change::RenameCluster(0, "production".into()));
        assert_eq!(e.clusters[0].name, "production");
        assert!(e.scenarios.iter().all(|s| s.plans.len() == 1));
    }

    #[test]
    fn a_scenario_added_runs_the_first_scenarios_editions() {
        let base = example_estate().text;
        let (text, e) = changed(&base, &Change::AddScenario);
        let added = e.scenarios.last().expect("a scenario");
        assert_eq!(added.name, "New scenario");
        assert_eq!(added.plans[0].edition, e.scenarios[0].plans[0].edition);
        let (_, e) = changed(&text, &Change::AddScenario);
        assert_eq!(
            e.scenarios.last().expect("a scenario").name,
            "New scenario 2"
        );
    }

    #[test]
    fn a_chosen_plan_becomes_a_scenario_beside_the_first_scenarios_plans() {
        let base = example_estate().text;
        let (two, _) = changed(&base, &Change::AddCluster);
        let with = |name: &str| Change::AddScenarioWith {
            name: name.into(),
            cluster: "prod".into(),
            plan: ChosenPlan {
                edition: "citrix-xenserver-5.5/free".into(),
                support: None,
                addons: Vec::new(),
                use_owned: false,
            },
        };
        let (text, e) = changed(&two, &with("Cheapest for prod"));
        let added = e.scenarios.last().expect("a scenario");
        assert_eq!(added.name, "Cheapest for prod");
        assert_eq!(
            added.plans[0].edition.to_string(),
            "citrix-xenserver-5.5/free"
        );
        assert_eq!(added.plans[0].support, None);
        // The other cluster keeps the first scenario's edition and support.
        let first = &e.scenarios[0].plans[1];
        assert_eq!(
            (&added.plans[1].edition, &added.plans[1].support),
            (&first.edition, &first.support)
        );
        let (_, e) = changed(&text, &with("Cheapest for prod"));
        assert_eq!(
            e.scenarios.last().expect("a scenario").name,
            "Cheapest for prod 2"
        );
        let books = PricebookSet::bundled().expect("bundled books");
        let one = parse_estate(&example_estate(), &books).expect("valid");
        let mut elsewhere = with("x");
        if let Change::AddScenarioWith { cluster, .. } = &mut elsewhere {
            *cluster = "nowhere".into();
        }
        assert!(change_edits(&one, &elsewhere).is_err());
    }

    #[test]
    fn changes_read_from_the_pages_json() {
        let parse = |s: &str| serde_json::from_str::<Change>(s).expect(s);
        assert_eq!(parse(r#"{"add_cluster": null}"#), Change::AddCluster);
        assert_eq!(parse(r#"{"remove_cluster": 1}"#), Change::RemoveCluster(1));
        assert_eq!(
            parse(r#"{"rename_cluster": [0, "dr"]}"#),
            Change::RenameCluster(0, "dr".into())
        );
        assert!(serde_json::from_str::<Change>(r#"{"drop_everything": null}"#).is_err());
    }
}

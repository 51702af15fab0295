//! `cheapest`: the 2009 acceptance figures from the bundled books, the search's limits, its
//! rejections in words, and that every option's total is what `quote` says of it.

use super::*;
use crate::analysis::cheapest::{Cheapest, ClusterSearch, Search, cheapest, winners_estate};
use crate::estate::{Estate, write_estate};
use crate::example_estate;
use crate::render::{Format, Report};

fn bundled() -> PricebookSet {
    PricebookSet::bundled().expect("bundled pricebooks are valid")
}

/// One 2009 cluster of 3 hosts × 2 sockets × 4 cores with the given needs.
fn estate_2009(date: &str, hosts: u32, needs: &str, extra: &str) -> Estate {
    let text = format!(
        "format = 1\nname = \"2009\"\ncurrency = \"USD\"\npurchase_date = {date}\nyears = 3\n{extra}\n\
         [[cluster]]\nname = \"prod\"\nhosts = {hosts}\nsockets_per_host = 2\ncores_per_socket = 4\n\
         ram_gb_per_host = 32\nvms = 30\nneeds = [{needs}]\n\n\
         [[scenario]]\nname = \"s\"\n[[scenario.plan]]\ncluster = \"prod\"\n\
         edition = \"vmware-vsphere-4.0/advanced\"\nsupport = \"production\"\n"
    );
    parse_estate(&SourceFile::new("2009.toml", text), &bundled()).expect("valid estate")
}

fn search(estate: &Estate, vendors: &[&str], top: usize) -> Cheapest {
    let s = Search {
        vendors: vendors.iter().map(|v| (*v).to_owned()).collect(),
        top,
    };
    cheapest(estate, &bundled(), &s).expect("known vendors")
}

/// The table with its wrapping undone: every run of spaces and line breaks as one space.
fn table(c: &Cheapest) -> String {
    let text = String::from_utf8(c.render(Format::Table).unwrap()).unwrap();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn only_cluster(c: &Cheapest) -> &ClusterSearch {
    assert_eq!(c.clusters.len(), 1);
    &c.clusters[0]
}

/// The problems of the rejected options of one edition, as messages.
fn reasons<'a>(s: &'a ClusterSearch, edition: &str) -> Vec<&'a str> {
    s.rejected
        .iter()
        .filter(|r| r.edition == edition)
        .flat_map(|r| r.problems.iter().map(|p| p.message.as_str()))
        .collect()
}

/// Microsoft Virtualization Team blog, 2009-05-06 (MSVB 20090506@e46ce736): "the cheapest
/// edition with vMotion + HA is Advanced". 3 × 2 × 2,245 = 13,470 licences + 25 % SnS per year.
#[test]
fn vmware_only_live_migration_and_ha_picks_vsphere_advanced() {
    let e = estate_2009("2009-06-01", 3, "\"vmotion\", \"ha\"", "");
    let c = search(&e, &["vmware"], 3);
    let s = only_cluster(&c);
    let best = &s.winners[0];
    assert_eq!(best.edition, "vmware-vsphere-4.0/advanced");
    assert_eq!(best.support.as_deref(), Some("production"));
    assert_eq!(best.rank, Some(1));
    assert_eq!(
        best.total,
        dec("23572.50") + vcenter(3),
        "13,470 + 3 × 3,367.50, and vCenter"
    );
    assert!(s.winners.iter().all(|w| w.vendor == "vmware"));
    // Everything cheaper is rejected, and says why in words.
    assert!(
        reasons(s, "vmware-vsphere-4.0/essentials-plus")
            .iter()
            .any(|m| m
                .starts_with("needs live-migration, which vSphere Essentials Plus (kit) lacks")),
        "{:?}",
        reasons(s, "vmware-vsphere-4.0/essentials-plus")
    );
    assert!(
        reasons(s, "vmware-vsphere-4.0/standard")
            .iter()
            .any(|m| m.starts_with("needs live-migration, which vSphere Standard lacks"))
    );
    for r in s.rejected.iter().filter(|r| r.total < best.total) {
        assert!(
            !r.problems.is_empty(),
            "{} is rejected with a reason",
            r.option
        );
    }
    // On 2009-06-01 neither free hypervisor was on sale yet, so all vendors agree.
    let all = search(&e, &[], 3);
    assert_eq!(
        only_cluster(&all).winners[0].edition,
        "vmware-vsphere-4.0/advanced"
    );
}

/// With every vendor, after Hyper-V Server 2008 R2 shipped (2009-07-22): live migration and HA
/// for free (MSVB 20090420, 20090506); XenServer's free edition has no HA.
#[test]
fn every_vendor_picks_free_hyper_v_and_says_what_free_xenserver_lacks() {
    let e = estate_2009("2009-09-01", 3, "\"live-migration\", \"ha\"", "");
    let c = search(&e, &[], 3);
    let s = only_cluster(&c);
    let best = &s.winners[0];
    assert_eq!(best.edition, "microsoft-hyperv-2008r2/hyper-v-server");
    assert_eq!(best.total, Decimal::ZERO);
    assert!(
        best.notes
            .iter()
            .any(|n| n.contains("no Windows guest licences")),
        "the winner says what it requires: {:?}",
        best.notes
    );
    let xen = reasons(s, "citrix-xenserver-5.5/free");
    assert_eq!(xen.len(), 1, "{xen:?}");
    assert!(xen[0].starts_with("needs ha, which XenServer (free) lacks"));
    let text = table(&c);
    assert!(
        text.contains("✗ citrix-xenserver-5.5/free: needs ha, which XenServer (free) lacks"),
        "{text}"
    );
}

/// Needing a distributed switch in 2009 leaves only vSphere Enterprise Plus; every cheaper
/// option is rejected, each edition with its reason.
#[test]
fn a_distributed_switch_names_enterprise_plus_and_rejects_everything_cheaper() {
    let e = estate_2009(
        "2009-09-01",
        3,
        "\"live-migration\", \"ha\", \"distributed-switch\"",
        "",
    );
    let c = search(&e, &[], 3);
    let s = only_cluster(&c);
    assert_eq!(s.compliant, 1);
    let best = &s.winners[0];
    assert_eq!(best.edition, "vmware-vsphere-4.0/enterprise-plus");
    assert_eq!(
        best.total,
        dec("36697.50") + vcenter(3),
        "6 × 3,495 + 3 × 6 × 873.75, and vCenter"
    );
    let cheaper: Vec<_> = s.rejected.iter().filter(|r| r.total < best.total).collect();
    assert!(cheaper.len() >= 10, "{}", cheaper.len());
    for r in &cheaper {
        assert!(!r.problems.is_empty(), "{}", r.option);
        if r.edition != "vmware-vsphere-4.0/enterprise-plus" {
            assert!(
                r.problems
                    .iter()
                    .any(|p| p.message.starts_with("needs distributed-switch, which")),
                "{}: {:?}",
                r.option,
                r.problems
            );
        }
    }
    let text = table(&c);
    assert!(text.contains(
        "✗ vmware-vsphere-4.0/enterprise: needs distributed-switch, which vSphere Enterprise lacks"
    ));
    for r in &cheaper {
        assert!(
            text.contains(&format!("✗ {}", r.edition))
                || text.contains(&format!("without support: {}", r.edition)),
            "{} is named in the table",
            r.edition
        );
    }
}

/// A kit covers 3 hosts: the fourth is a rejection in words.
#[test]
fn kits_over_their_host_limit_are_rejected_with_the_numbers() {
    let e = estate_2009("2009-06-01", 4, "\"ha\"", "");
    let c = search(&e, &["vmware"], 3);
    let s = only_cluster(&c);
    let kit = reasons(s, "vmware-vsphere-4.0/essentials-plus");
    assert!(
        kit.contains(&"vSphere Essentials Plus (kit): 4 hosts > kit limit 3"),
        "{kit:?}"
    );
}

#[test]
fn owned_licences_are_used_when_an_upgrade_path_leads_to_the_edition() {
    let books = bundled();
    let e = parse_estate(&example_estate(), &books).unwrap();
    let c = cheapest(
        &e,
        &books,
        &Search {
            vendors: vec![],
            top: 3,
        },
    )
    .unwrap();
    let s = only_cluster(&c);
    let best = &s.winners[0];
    assert_eq!(best.edition, "vmware-vsphere-4.0/enterprise-plus");
    assert!(best.use_owned);
    assert_eq!(
        best.total,
        dec("46900.00") + vcenter(3),
        "the example's best scenario"
    );
    let hyperv = s
        .rejected
        .iter()
        .find(|r| r.edition == "microsoft-hyperv-2008r2/hyper-v-server")
        .unwrap();
    assert!(!hyperv.use_owned, "no path from VI3 to Hyper-V");
}

/// Every option's total is what `quote` says of the same plan: the winners written as an
/// estate, read back and quoted, give the same totals.
#[test]
fn winners_written_as_an_estate_quote_to_the_same_totals() {
    let books = bundled();
    let e = estate_2009("2009-09-01", 3, "\"live-migration\", \"ha\"", "");
    let c = search(&e, &[], 3);
    let (w, notes) = winners_estate(&e, &c).unwrap();
    assert!(notes.is_empty());
    assert_eq!(w.scenarios.len(), 3);
    let text = write_estate(&w);
    let back = parse_estate(&SourceFile::new("w.toml", text.clone()), &books).unwrap();
    assert_eq!(back, w, "{text}");
    let q = quote(&back, &books);
    for (s, winner) in q.scenarios.iter().zip(&only_cluster(&c).winners) {
        assert!(s.compliant, "{}", s.name);
        assert_eq!(s.total, winner.total, "{}", s.name);
        assert!(s.name.contains(&winner.option));
    }
}

#[test]
fn a_cluster_without_a_compliant_option_gets_its_cheapest_rejected_one_with_a_note() {
    let books = bundled();
    let e = estate_2009("2009-06-01", 3, "\"distributed-switch\"", "");
    // Only Citrix and Microsoft: nothing has a distributed switch (and on 2009-06-01 nothing is
    // even on sale).
    let c = search(&e, &["citrix", "microsoft"], 3);
    assert!(only_cluster(&c).winners.is_empty());
    assert!(only_cluster(&c).options == 0);
    assert!(winners_estate(&e, &c).is_err(), "no option at all to write");
    let c = search(&e, &["vmware"], 3);
    assert_eq!(only_cluster(&c).compliant, 1);
    let e2 = estate_2009("2009-09-01", 3, "\"distributed-switch\"", "");
    let c = search(&e2, &["citrix"], 3);
    let (w, notes) = winners_estate(&e2, &c).unwrap();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("no compliant option"));
    let back = parse_estate(&SourceFile::new("w.toml", write_estate(&w)), &books).unwrap();
    assert_eq!(back, w);
}

#[test]
fn top_limits_the_winners_and_ties_are_ordered_by_name() {
    let e = estate_2009("2009-09-01", 3, "\"live-migration\"", "");
    let c = search(&e, &[], 2);
    let s = only_cluster(&c);
    assert_eq!(s.winners.len(), 2);
    assert!(s.compliant > 2);
    // Hyper-V Server and free XenServer both provide live migration at 0.00: by name.
    assert_eq!(s.winners[0].edition, "citrix-xenserver-5.5/free");
    assert_eq!(
        s.winners[1].edition,
        "microsoft-hyperv-2008r2/hyper-v-server"
    );
    assert_eq!(s.winners[1].rank, Some(2));
    let mut previous = None;
    for r in &s.rejected {
        if let Some((t, o)) = previous {
            assert!((t, o) <= (r.total, r.option.as_str()), "cheapest first");
        }
        previous = Some((r.total, r.option.as_str()));
    }
}

#[test]
fn unknown_vendors_are_an_error_with_the_valid_ones() {
    let e = estate_2009("2009-09-01", 3, "\"ha\"", "");
    let err = cheapest(
        &e,
        &bundled(),
        &Search {
            vendors: vec!["vmwar".into()],
            top: 3,
        },
    )
    .unwrap_err()
    .summary();
    assert!(err.contains("unknown vendor `vmwar`"), "{err}");
    assert!(err.contains("did you mean `vmware`?"), "{err}");
    // Vendor keys are matched without regard to case.
    let c = search(&e, &["VMware"], 3);
    assert_eq!(c.vendors, vec!["vmware".to_owned()]);
}

#[test]
fn what_cannot_be_searched_is_said() {
    let books = bundled();
    // No `vms`: the Windows Server editions count VMs, so they are not searched. On 2025-06-02
    // the 2025 book is the one on sale (the 2022 book's new sales ended on 2024-10-31).
    let text = "format = 1\nname = \"n\"\ncurrency = \"USD\"\npurchase_date = 2025-06-02\nyears = 1\n\
        [[cluster]]\nname = \"c\"\nhosts = 2\nsockets_per_host = 1\ncores_per_socket = 8\nwindows_vms = 4\n\
        needs = [\"ha\"]\n[[scenario]]\nname = \"s\"\n[[scenario.plan]]\ncluster = \"c\"\n\
        edition = \"vmware-vcf-2024/vcf\"\n";
    let e = parse_estate(&SourceFile::new("n.toml", text), &books).unwrap();
    let c = cheapest(
        &e,
        &books,
        &Search {
            vendors: vec![],
            top: 3,
        },
    )
    .unwrap();
    assert!(
        c.notes
            .iter()
            .any(|n| n.starts_with("not searched: proxmox-ve-2025 prices in EUR")),
        "{:?}",
        c.notes
    );
    assert!(!c.pricebooks.contains(&"proxmox-ve-2025".to_owned()));
    let s = only_cluster(&c);
    assert!(
        s.notes
            .iter()
            .any(|n| n.contains("microsoft-windows-server-2025/standard")
                && n.contains("add vms = N")),
        "{:?}",
        s.notes
    );
    assert!(s.notes.iter().any(|n| n.contains("4 Windows VMs")));
}

#[test]
fn output_is_identical_across_runs() {
    let e = estate_2009("2009-09-01", 3, "\"live-migration\", \"ha\"", "");
    let a = search(&e, &[], 3);
    let b = search(&e, &[], 3);
    assert_eq!(a, b);
    assert_eq!(
        a.render(Format::Json).unwrap(),
        b.render(Format::Json).unwrap()
    );
    assert_eq!(
        a.render(Format::Table).unwrap(),
        b.render(Format::Table).unwrap()
    );
}

#[test]
fn the_table_fits_in_100_columns() {
    let books = bundled();
    let e = parse_estate(&example_estate(), &books).unwrap();
    let c = cheapest(
        &e,
        &books,
        &Search {
            vendors: vec![],
            top: 3,
        },
    )
    .unwrap();
    let text = String::from_utf8(c.render(Format::Table).unwrap()).unwrap();
    for line in text.lines() {
        // A URL or an id longer than a line stays whole.
        if line.split(' ').all(|w| w.chars().count() <= 60) {
            assert!(line.chars().count() <= 100, "{line}");
        }
    }
}

/// Two clusters: scenario k gives each its k-th cheapest plan (the last one when it has fewer);
/// with nothing shared between them, each scenario's total is the sum of the clusters' options.
#[test]
fn several_clusters_are_searched_apart_and_written_together() {
    let books = bundled();
    let text = "format = 1\nname = \"two\"\ncurrency = \"USD\"\npurchase_date = 2009-09-01\nyears = 3\n\
        [[cluster]]\nname = \"a\"\nhosts = 3\nsockets_per_host = 2\ncores_per_socket = 4\nvms = 20\n\
        needs = [\"live-migration\", \"ha\"]\n\
        [[cluster]]\nname = \"b\"\nhosts = 2\nsockets_per_host = 2\ncores_per_socket = 4\nvms = 20\n\
        needs = [\"distributed-switch\"]\n\
        [[scenario]]\nname = \"s\"\n\
        [[scenario.plan]]\ncluster = \"a\"\nedition = \"vmware-vsphere-4.0/advanced\"\nsupport = \"production\"\n\
        [[scenario.plan]]\ncluster = \"b\"\nedition = \"vmware-vsphere-4.0/enterprise-plus\"\nsupport = \"production\"\n";
    let e = parse_estate(&SourceFile::new("two.toml", text), &books).unwrap();
    let c = search(&e, &[], 3);
    assert_eq!(c.clusters.len(), 2);
    assert_eq!(c.clusters[1].winners.len(), 1);
    let (w, notes) = winners_estate(&e, &c).unwrap();
    assert!(notes.is_empty());
    assert_eq!(w.scenarios.len(), 3);
    let back = parse_estate(&SourceFile::new("w.toml", write_estate(&w)), &books).unwrap();
    assert_eq!(back, w);
    let q = quote(&back, &books);
    for (k, s) in q.scenarios.iter().enumerate() {
        assert!(s.compliant, "{}", s.name);
        let a = &c.clusters[0].winners[k];
        let b = &c.clusters[1].winners[0];
        assert_eq!(s.total, a.total + b.total, "{}", s.name);
    }
}

/// vSphere 4 Enterprise was never withdrawn: its end of sale (announced for 2009-12-15
/// [S, technodrone]) was reversed in October 2009 [S, Techworld, "VMware performs about-turn on
/// Enterprise Edition"]. A 2010 buyer of 4 hosts × 2 CPUs needing Storage vMotion and DRS gets
/// Enterprise, not Enterprise Plus (which cost 21.6 % more).
#[test]
fn a_2010_buyer_gets_vsphere_4_enterprise_since_its_end_of_sale_was_withdrawn() {
    let e = estate_2009(
        "2010-03-01",
        4,
        "\"live-migration\", \"storage-migration\", \"load-balancing\"",
        "",
    );
    let c = search(&e, &["vmware"], 3);
    let s = only_cluster(&c);
    // List per CPU: Enterprise $2,875, Enterprise Plus $3,495 [P, MSVB 20090504]; SnS 25 % of
    // list per year [S, MSVB 20110815]; 8 CPUs, 3 years.
    let total = |per_cpu: Decimal| {
        let cpus = Decimal::from(4 * 2);
        cpus * per_cpu + Decimal::from(3) * cpus * per_cpu * dec("0.25") + vcenter(3)
    };
    let best = &s.winners[0];
    assert_eq!(best.edition, "vmware-vsphere-4.0/enterprise");
    assert_eq!(
        best.total,
        total(dec("2875")),
        "8 × 2,875 + 3 × 25 %, and vCenter"
    );
    let plus = s
        .winners
        .iter()
        .find(|w| w.edition == "vmware-vsphere-4.0/enterprise-plus")
        .expect("Enterprise Plus is the runner-up");
    assert_eq!(plus.total, total(dec("3495")));
    // The issue's +21.6 % is on the editions (licences and SnS); both options buy the same
    // vCenter Server besides.
    let editions = |t: Decimal| t - vcenter(3);
    let premium =
        (editions(plus.total) / editions(best.total) - Decimal::ONE) * Decimal::ONE_HUNDRED;
    assert_eq!(premium.round_dp(1), dec("21.6"), "the issue's +21.6 %");
    // The quote says why Enterprise is on sale after its announced end, with the source.
    let q = quote(&winners_estate(&e, &c).unwrap().0, &bundled());
    let withdrawn = "vSphere Enterprise: the end of sale announced for 2009-12-15 was withdrawn on 2009-10-15, so it stays on sale [S, https://www.techworld.com/";
    assert!(
        q.scenarios
            .iter()
            .any(|sq| sq.notes.iter().any(|n| n.starts_with(withdrawn))),
        "{:?}",
        q.scenarios.iter().map(|s| &s.notes).collect::<Vec<_>>()
    );
}

/// Before the withdrawal (October 2009) a buyer was told of the end of sale: the quote notes
/// it, and Enterprise is on sale (the announced day had not come).
#[test]
fn before_the_withdrawal_the_quote_notes_the_announced_end_of_sale() {
    let e = estate_2009("2009-09-01", 2, "\"storage-migration\"", "");
    let text = write_estate(&e).replace(
        "edition = \"vmware-vsphere-4.0/advanced\"",
        "edition = \"vmware-vsphere-4.0/enterprise\"",
    );
    let e = parse_estate(&SourceFile::new("e.toml", text), &bundled()).unwrap();
    let q = quote(&e, &bundled());
    let s = &q.scenarios[0];
    assert!(s.compliant, "{:?}", s.problems);
    assert!(
        s.notes.iter().any(|n| n.starts_with(
            "vSphere Enterprise: end of sale announced for 2009-12-15; the vendor withdrew it on 2009-10-15, after this purchase date [S, "
        )),
        "{:?}",
        s.notes
    );
}

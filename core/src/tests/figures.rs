//! Public 2009 figures reproduced exactly from the bundled pricebooks, each with its source.

use super::*;

fn bundled() -> PricebookSet {
    PricebookSet::bundled().expect("bundled pricebooks are valid")
}

/// The edition's licences (the published figures leave vCenter Server out; the quote buys it
/// once per scenario besides).
fn licence_total(s: &ScenarioQuote) -> Decimal {
    lines(s, LineKind::Licence)
        .iter()
        .filter(|l| !l.item.ends_with("/vcenter-standard"))
        .map(|l| l.amount)
        .sum()
}

fn vsphere(date: &str, hosts: u32, sockets: u32, edition: &str) -> Quote {
    let cl = format!(
        "hosts = {hosts}\nsockets_per_host = {sockets}\ncores_per_socket = 4\nneeds = [\"live-migration\", \"ha\"]"
    );
    quote_of(
        &bundled(),
        &estate(
            date,
            &cl,
            "",
            &format!("edition = \"vmware-vsphere-4.0/{edition}\""),
        ),
    )
}

/// Microsoft Virtualization Team blog, 2009-05-06 (MSVB 20090506@e46ce736): "the cheapest
/// edition with vMotion + HA is Advanced": 3-node 2-socket cluster $13,470 (3 × 2 × 2,245).
#[test]
fn advanced_three_nodes_two_sockets_is_13470() {
    let q = vsphere("2009-06-01", 3, 2, "advanced");
    assert_eq!(licence_total(only(&q)), dec("13470.00"));
}

/// Same post: 5-node 4-socket cluster on Advanced $44,900 (5 × 4 × 2,245).
#[test]
fn advanced_five_nodes_four_sockets_is_44900() {
    let q = vsphere("2009-06-01", 5, 4, "advanced");
    assert_eq!(licence_total(only(&q)), dec("44900.00"));
}

/// MSVB 20090730@3f1cace8: the same 5-node 4-socket cluster on Enterprise Plus $69,900
/// (5 × 4 × 3,495).
#[test]
fn enterprise_plus_five_nodes_four_sockets_is_69900() {
    let q = vsphere("2009-07-30", 5, 4, "enterprise-plus");
    assert_eq!(licence_total(only(&q)), dec("69900.00"));
}

/// Licence-only quotes without support are flagged: SnS is mandatory with every vSphere
/// purchase (MSVB 20110815 quoting VMware's white paper).
#[test]
fn licence_only_vsphere_quotes_say_support_is_required() {
    let q = vsphere("2009-06-01", 3, 2, "advanced");
    assert_eq!(codes(only(&q)), vec![ProblemCode::SupportRequired]);
}

/// MSVB 20090506: of all vSphere 4 editions, Advanced is the cheapest with vMotion + HA.
/// Every edition is quoted as a scenario; the first compliant one in the ranking is Advanced.
#[test]
fn advanced_is_the_cheapest_edition_with_live_migration_and_ha() {
    let editions = [
        "essentials",
        "essentials-plus",
        "standard",
        "advanced",
        "enterprise",
        "enterprise-plus",
    ];
    let mut text = String::from(
        "format = 1\nname = \"which edition\"\ncurrency = \"USD\"\npurchase_date = 2009-06-01\nyears = 3\n\
         [[cluster]]\nname = \"c\"\nhosts = 3\nsockets_per_host = 2\ncores_per_socket = 4\nneeds = [\"live-migration\", \"ha\"]\n",
    );
    for e in editions {
        text.push_str(&format!("[[scenario]]\nname = \"{e}\"\n[[scenario.plan]]\ncluster = \"c\"\nedition = \"vmware-vsphere-4.0/{e}\"\nsupport = \"production\"\n"));
    }
    let q = quote_of(&bundled(), &text);
    assert_eq!(q.ranking[0].scenario, "advanced");
    // 13,470 licences + 3 years × 25 % × 13,470 = 13,470 × 1.75 = 23,572.50, and the vCenter
    // Server the per-CPU editions require.
    assert_eq!(q.ranking[0].total, dec("23572.50") + vcenter(3));
    let compliant: Vec<&str> = q
        .ranking
        .iter()
        .filter(|r| r.compliant)
        .map(|r| r.scenario.as_str())
        .collect();
    assert_eq!(compliant, vec!["advanced", "enterprise", "enterprise-plus"]);
}

/// Seed article: the Nexus 1000V is $695 per CPU; 8 hosts × 2 sockets = 16 CPUs = $11,120.
#[test]
fn nexus_1000v_eight_hosts_two_sockets_is_11120() {
    let cl = "hosts = 8\nsockets_per_host = 2\ncores_per_socket = 4";
    let plan = "edition = \"vmware-vsphere-4.0/enterprise-plus\"\nsupport = \"production\"\naddons = [\"cisco-nexus-1000v-2009/nexus-1000v\"]";
    let q = quote_of(&bundled(), &estate("2009-11-02", cl, "", plan));
    let s = only(&q);
    let nexus: Vec<&Line> = s
        .lines
        .iter()
        .filter(|l| l.item == "cisco-nexus-1000v-2009/nexus-1000v")
        .collect();
    assert_eq!(nexus.len(), 1);
    assert_eq!(
        (nexus[0].quantity, nexus[0].amount),
        (dec("16"), dec("11120.00"))
    );
    assert!(s.compliant, "{:?}", s.problems);
}

fn ent_to_entplus(date: &str) -> Quote {
    let owned = "[[owned]]\nlicence = \"vmware-vsphere-4.0/enterprise\"\nquantity = 16\nsupport_active = true\n";
    let cl = "hosts = 8\nsockets_per_host = 2\ncores_per_socket = 4";
    let plan = "edition = \"vmware-vsphere-4.0/enterprise-plus\"\nsupport = \"production\"\nuse_owned = true";
    quote_of(&bundled(), &estate(date, cl, owned, plan))
}

/// Seed article: the ~$600 Enterprise → Enterprise Plus upgrade is 50 % off before
/// 15 December 2009. With the list gap $3,495 − $2,875 = $620 (derived): 16 × 620 × 50 % =
/// $4,960 when bought on 2009-12-14, and 16 × 620 = $9,920 on 2009-12-15.
#[test]
fn enterprise_to_enterprise_plus_upgrade_is_4960_then_9920() {
    let before = ent_to_entplus("2009-12-14");
    let up = lines(only(&before), LineKind::Upgrade);
    assert_eq!(up.len(), 1);
    assert_eq!((up[0].quantity, up[0].amount), (dec("16"), dec("4960.00")));
    let after = ent_to_entplus("2009-12-15");
    let up = lines(only(&after), LineKind::Upgrade);
    assert_eq!((up[0].quantity, up[0].amount), (dec("16"), dec("9920.00")));
    assert!(
        only(&after).compliant,
        "owning Enterprise past its end of sale is fine"
    );
}

/// The embedded example, by hand (see tests/cases/acme-2009/NOTES.md):
/// Ent+ + Nexus: 4,960 + 11,120 + 3 × 16 × 873.75 = 58,020; Ent+ alone 46,900;
/// Enterprise 3 × 16 × 718.75 = 34,500 (non-compliant: no distributed switch); each VMware
/// scenario with the vCenter Server its edition requires (4,995 + 3 × 1,248.75 = 8,741.25).
#[test]
fn the_example_estate_totals() {
    let books = bundled();
    let e = parse_estate(&crate::example_estate(), &books).unwrap();
    let q = quote(&e, &books);
    let totals: Vec<(bool, Decimal)> = q.scenarios.iter().map(|s| (s.compliant, s.total)).collect();
    assert_eq!(
        totals,
        vec![
            (true, dec("58020.00") + vcenter(3)),
            (true, dec("46900.00") + vcenter(3)),
            (false, dec("34500.00") + vcenter(3)),
            (false, dec("0.00")),
            (false, dec("0.00")),
        ]
    );
    assert_eq!(
        q.ranking[0].scenario,
        "Enterprise Plus, VMware distributed switch (upgrade)"
    );
}

// ---- Later eras (issue 4), from the bundled books, arithmetic shown ----

/// 3 hosts × 2 CPUs × 12 cores on VCF: max(12, 16-core floor) = 16 per CPU → 3 × 2 × 16 = 96
/// cores × $350 per core-year = $33,600 per year (Veeam/redress VCF MSRP, pricing-facts §6).
#[test]
fn vcf_three_hosts_two_cpus_twelve_cores_bills_96_cores() {
    let cl = "hosts = 3\nsockets_per_host = 2\ncores_per_socket = 12";
    let q = quote_of(
        &bundled(),
        &estate("2024-06-01", cl, "", "edition = \"vmware-vcf-2024/vcf\""),
    );
    let s = only(&q);
    let subs = lines(s, LineKind::Subscription);
    assert_eq!(subs.len(), 3, "a line per year");
    assert!(
        subs.iter()
            .all(|l| l.quantity == dec("96") && l.amount == dec("33600.00"))
    );
}

/// The same cluster bought after 2025-04-10 is above the 72-core minimum (96 ≥ 72), so
/// nothing changes; a 2-host 1-CPU cluster (32 cores) is topped up to 72 (no region stated:
/// the regional rule applies, and the quote says so), and an estate that switches the rule off
/// pays for 32.
#[test]
fn vcf_72_core_minimum_is_a_dated_rule_an_estate_can_switch_off() {
    let small = "hosts = 2\nsockets_per_host = 1\ncores_per_socket = 8";
    let q = quote_of(
        &bundled(),
        &estate("2025-06-01", small, "", "edition = \"vmware-vcf-2024/vcf\""),
    );
    let year1: Decimal = only(&q)
        .lines
        .iter()
        .filter(|l| l.year == 1)
        .map(|l| l.amount)
        .sum();
    assert_eq!(year1, dec("25200.00"), "72 × 350");
    assert!(
        only(&q).notes.iter().any(|n| n.starts_with(
            "rule vmware-vcf-2024/min-order-72 (Minimum order of 72 cores per product) holds in americas, apj only; the estate states no region, so it applies"
        )),
        "{:?}",
        only(&q).notes
    );
    let off = "[[rule]]\nrule = \"vmware-vcf-2024/min-order-72\"\nenabled = false\nreason = \"walked back\"\n";
    let q = quote_of(
        &bundled(),
        &estate(
            "2025-06-01",
            small,
            off,
            "edition = \"vmware-vcf-2024/vcf\"",
        ),
    );
    let year1: Decimal = only(&q)
        .lines
        .iter()
        .filter(|l| l.year == 1)
        .map(|l| l.amount)
        .sum();
    assert_eq!(year1, dec("11200.00"), "32 × 350");
}

/// The 72-core minimum is regional: from 2025-04-10 it holds in the Americas and APJ, and is
/// withdrawn in EMEA, where only the 16-cores-per-CPU floor applies (adrian.heissler.at, April
/// 2025 [S]; otava.com, 2026-03-26 [S]). 2 hosts × 1 CPU × 16 cores = 32 cores on VVF at
/// $135 per core-year [C, Veeam Jan 2024]: Americas bills 72 cores, EMEA 32.
#[test]
fn the_72_core_minimum_holds_in_the_americas_not_in_emea() {
    let small = "hosts = 2\nsockets_per_host = 1\ncores_per_socket = 16";
    let vvf = "edition = \"vmware-vcf-2024/vvf\"";
    let per_core = dec("135");
    let year1 = |region: &str| {
        let q = quote_of(
            &bundled(),
            &estate("2025-06-01", small, &format!("region = \"{region}\""), vvf),
        );
        let s = only(&q);
        let total: Decimal = s
            .lines
            .iter()
            .filter(|l| l.year == 1)
            .map(|l| l.amount)
            .sum();
        (total, s.notes.clone(), q.assumptions.clone())
    };
    let (americas, notes, assumptions) = year1("americas");
    assert_eq!(americas, Decimal::from(72) * per_core, "72 cores billed");
    assert!(
        notes
            .iter()
            .any(|n| n.ends_with("holds in americas, apj: judged for region americas, it applies")),
        "{notes:?}"
    );
    assert!(
        assumptions
            .iter()
            .any(|a| a.name == "region" && a.value == "americas")
    );
    let (emea, notes, _) = year1("emea");
    assert_eq!(
        emea,
        Decimal::from(2 * 16) * per_core,
        "32 cores: the floor only"
    );
    assert!(
        notes.iter().any(|n| n
            .ends_with("holds in americas, apj only: judged for region emea, it does not apply")),
        "{notes:?}"
    );
    let (apj, _, _) = year1("apj");
    assert_eq!(apj, americas);
}

/// A scenario switches a rule for itself: "VVF with the minimum" and "VVF without" side by
/// side, the scenario's switch over the estate's.
#[test]
fn a_scenario_switches_a_rule_for_itself_over_the_estates_switch() {
    let text = "format = 1\nname = \"t\"\ncurrency = \"USD\"\npurchase_date = 2025-06-01\nyears = 1\nregion = \"americas\"\n\
        [[rule]]\nrule = \"vmware-vcf-2024/min-order-72\"\nenabled = false\nreason = \"estate: waived\"\n\
        [[cluster]]\nname = \"c\"\nhosts = 2\nsockets_per_host = 1\ncores_per_socket = 16\n\
        [[scenario]]\nname = \"with the minimum\"\n\
        [[scenario.rule]]\nrule = \"vmware-vcf-2024/min-order-72\"\nenabled = true\nreason = \"what if it is not waived\"\n\
        [[scenario.plan]]\ncluster = \"c\"\nedition = \"vmware-vcf-2024/vvf\"\n\
        [[scenario]]\nname = \"without\"\n[[scenario.plan]]\ncluster = \"c\"\nedition = \"vmware-vcf-2024/vvf\"\n";
    let q = quote_of(&bundled(), text);
    let per_core = dec("135");
    assert_eq!(q.scenarios[0].total, Decimal::from(72) * per_core);
    assert!(
        q.scenarios[0]
            .notes
            .iter()
            .any(|n| n.ends_with("switched on by this scenario: what if it is not waived"))
    );
    assert_eq!(q.scenarios[1].total, Decimal::from(32) * per_core);
    assert!(
        q.scenarios[1]
            .notes
            .iter()
            .any(|n| n.ends_with("switched off by the estate: estate: waived"))
    );
    // The switch reads back as written.
    let e = parse_estate(&SourceFile::new("t.toml", text), &bundled()).unwrap();
    let again = parse_estate(
        &SourceFile::new("w.toml", crate::estate::write_estate(&e)),
        &bundled(),
    )
    .unwrap();
    assert_eq!(e, again);
    assert_eq!(again.scenarios[0].rule_switches.len(), 1);
}

/// An unknown region names the valid ones, at its line; an empty `regions` list in a
/// pricebook is refused.
#[test]
fn an_unknown_region_is_an_error_naming_the_valid_ones() {
    let text = estate(
        "2025-06-01",
        "hosts = 1\nsockets_per_host = 1\ncores_per_socket = 8",
        "region = \"europe\"",
        "edition = \"vmware-vcf-2024/vvf\"",
    );
    let d = parse_estate(&SourceFile::new("e.toml", text), &bundled()).unwrap_err();
    assert_eq!(d.0.len(), 1, "{d}");
    assert_eq!((d.0[0].field.as_str(), d.0[0].line), ("region", 6));
    assert_eq!(d.0[0].message, "unknown region `europe`");
    assert!(
        d.0[0]
            .help
            .as_deref()
            .unwrap_or_default()
            .contains("americas, emea, apj"),
        "{d}"
    );
}

/// WS2022 Standard: a 1-CPU 8-core host bills 16 cores (16 per server); a 2-CPU 8-core host
/// with 6 Windows VMs needs Standard licensed three times: 16 × ceil(6 / 2) = 48 cores.
#[test]
fn windows_server_2022_core_floors_and_standard_stacking() {
    let one = "hosts = 1\nsockets_per_host = 1\ncores_per_socket = 8\nvms = 2\nwindows_vms = 2";
    let plan = "edition = \"microsoft-hyperv-2008r2/hyper-v-server\"\nguest_os = \"microsoft-windows-server-2022/standard\"";
    let q = quote_of(&bundled(), &estate("2022-06-01", one, "", plan));
    let g = only(&q)
        .lines
        .iter()
        .find(|l| l.item == "microsoft-windows-server-2022/standard")
        .unwrap()
        .clone();
    assert_eq!(g.quantity, dec("16"));
    let two = "hosts = 1\nsockets_per_host = 2\ncores_per_socket = 8\nvms = 6\nwindows_vms = 6";
    let q = quote_of(&bundled(), &estate("2022-06-01", two, "", plan));
    let g = only(&q)
        .lines
        .iter()
        .find(|l| l.item == "microsoft-windows-server-2022/standard")
        .unwrap()
        .clone();
    assert_eq!(g.quantity, dec("48"));
}

/// vSphere 5.0 Enterprise Plus: 10 hosts × 2 CPUs = 20 licences × 96 GB = 1,920 GB entitled;
/// 200 VMs × 16 GB = 3,200 GB used; short 1,280 GB → ceil(1,280 / 96) = 14 more → 34 licences
/// = ceil(3,200 / 96) (MSVB 20110815 prices, vRAM figures pricing-facts §4).
#[test]
fn vsphere_5_enterprise_plus_vram_pool_needs_34_licences() {
    let cl = "hosts = 10\nsockets_per_host = 2\ncores_per_socket = 8\nvms = 200\nvm_ram_gb = 16";
    let q = quote_of(
        &bundled(),
        &estate(
            "2011-09-01",
            cl,
            "",
            "edition = \"vmware-vsphere-5.0/enterprise-plus\"\nsupport = \"production\"",
        ),
    );
    let s = only(&q);
    let licences: Decimal = lines(s, LineKind::Licence)
        .iter()
        .filter(|l| l.item == "vmware-vsphere-5.0/enterprise-plus")
        .map(|l| l.quantity)
        .sum();
    assert_eq!(
        licences,
        dec("34"),
        "the vCenter Server it requires is bought besides"
    );
    let top_up = lines(s, LineKind::Licence)
        .into_iter()
        .find(|l| l.cluster == "*" && l.item == "vmware-vsphere-5.0/enterprise-plus")
        .unwrap();
    assert_eq!(top_up.quantity, dec("14"));
    assert!(top_up.rule.0.contains("3200 GB used"), "{}", top_up.rule.0);
}

/// vSphere 7 after 2020-04-02: 2 CPUs × ceil(40 cores / 32) = 4 licences (license-library.de
/// citing VMware's Feb-2020 notice).
#[test]
fn vsphere_7_two_cpus_of_40_cores_need_four_licences() {
    let cl = "hosts = 1\nsockets_per_host = 2\ncores_per_socket = 40";
    let q = quote_of(
        &bundled(),
        &estate(
            "2021-01-01",
            cl,
            "",
            "edition = \"vmware-vsphere-7/enterprise-plus\"\nsupport = \"production\"",
        ),
    );
    let l = &lines(only(&q), LineKind::Licence)[0];
    assert_eq!(l.quantity, dec("4"));
}

/// Proxmox: every node of a cluster at the same level (subscription agreement V3.3). Two estate
/// clusters of one real cluster (`group`) on Basic and Premium are non-compliant.
#[test]
fn a_proxmox_cluster_mixing_levels_is_non_compliant() {
    let text = "format = 1\nname = \"pve\"\ncurrency = \"EUR\"\npurchase_date = 2025-06-01\nyears = 1\n\
        [[cluster]]\nname = \"old nodes\"\ngroup = \"pve1\"\nhosts = 2\nsockets_per_host = 1\ncores_per_socket = 8\n\
        [[cluster]]\nname = \"new nodes\"\ngroup = \"pve1\"\nhosts = 1\nsockets_per_host = 2\ncores_per_socket = 32\n\
        [[scenario]]\nname = \"mixed\"\n[[scenario.plan]]\ncluster = \"old nodes\"\nedition = \"proxmox-ve-2025/basic\"\n\
        [[scenario.plan]]\ncluster = \"new nodes\"\nedition = \"proxmox-ve-2025/premium\"\n";
    let q = quote_of(&bundled(), text);
    assert_eq!(codes(only(&q)), vec![ProblemCode::MixedEditions]);
}

// ---- Total cost of ownership (issue 5) ----

/// tests/cases/tco-3-year: every figure computed by hand in its NOTES.md — growth to 5 and 6
/// hosts, a 2-year hardware refresh, power at 701.28 per host, escalation 5 %, a 50 %
/// promotion and a 10 % negotiated discount stacked (× 0.45), NPV at 8 %, and the vCenter
/// Server Enterprise Plus requires.
#[test]
fn a_three_year_tco_matches_the_hand_computation() {
    let q = quote_of(
        &bundled(),
        include_str!("../../../tests/cases/tco-3-year/estate.toml"),
    );
    let s = only(&q);
    let years: Vec<(Decimal, Decimal, Decimal, Option<u64>)> = s
        .years
        .iter()
        .map(|y| (y.total, y.cumulative, y.present_value, y.vms))
        .collect();
    assert_eq!(
        years,
        vec![
            (dec("41947.50"), dec("41947.50"), dec("41947.50"), Some(40)),
            (dec("30484.41"), dec("72431.91"), dec("28226.31"), Some(50)),
            (dec("54641.49"), dec("127073.40"), dec("46846.27"), Some(63)),
        ]
    );
    assert_eq!(s.total, dec("127073.40"));
    assert_eq!(s.npv, dec("117020.08"));
    assert_eq!(s.cost_per_vm_year, Some(dec("830.55")));
    let upgrade = lines(s, LineKind::Upgrade)[0];
    assert_eq!(
        upgrade.amount,
        dec("2232.00"),
        "8 × 620 × 0.50 × 0.90: 55 % off, not 60 %"
    );
    let hardware: Vec<(u32, Decimal)> = lines(s, LineKind::Hardware)
        .iter()
        .map(|l| (l.year, l.quantity))
        .collect();
    assert_eq!(
        hardware,
        vec![(1, dec("4")), (2, dec("1")), (3, dec("1")), (3, dec("4"))]
    );
    let support3 = lines(s, LineKind::Support)
        .into_iter()
        .find(|l| l.year == 3)
        .unwrap();
    assert_eq!(
        support3.amount,
        dec("10403.74"),
        "12 × 873.75 × 0.90 × 1.1025"
    );
    assert!(
        q.assumptions
            .iter()
            .any(|a| a.name == "costs.discount_rate" && a.value == "0.08" && a.origin == "estate")
    );
    assert!(
        q.assumptions
            .iter()
            .any(|a| a.name == "costs.hours_per_year"
                && a.value == "8766"
                && a.origin == "default")
    );
}

/// A declared `[costs]` number the engine does not price yet (`migration_per_vm`, for the
/// transitions to come) is read, written back, listed among the assumptions when given and
/// only then, and changes no total: declaring it was the whole change.
#[test]
fn a_declared_but_unpriced_cost_is_an_assumption_and_changes_no_total() {
    let books = bundled();
    let base = crate::example_estate().text;
    let with = format!("{base}\n[costs]\nmigration_per_vm = \"350.00\"\n");
    let plain = quote_of(&books, &base);
    let moved = quote_of(&books, &with);
    let listed = |q: &Quote| {
        q.assumptions
            .iter()
            .find(|a| a.name == "costs.migration_per_vm")
            .map(|a| (a.value.clone(), a.origin.clone()))
    };
    assert_eq!(listed(&plain), None);
    assert_eq!(
        listed(&moved),
        Some(("350".to_owned(), "estate".to_owned()))
    );
    let totals = |q: &Quote| q.scenarios.iter().map(|s| s.total).collect::<Vec<_>>();
    assert_eq!(totals(&plain), totals(&moved));
    let estate = crate::parse_estate(&SourceFile::new("m.toml", &with), &books).unwrap();
    let written = crate::estate::write_estate(&estate);
    assert!(
        written.contains("migration_per_vm = \"350.00\""),
        "{written}"
    );
}

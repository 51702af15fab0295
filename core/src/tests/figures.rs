//! Public 2009 figures reproduced exactly from the bundled pricebooks, each with its source.

use super::*;

fn bundled() -> PricebookSet {
    PricebookSet::bundled().expect("bundled pricebooks are valid")
}

fn licence_total(s: &ScenarioQuote) -> Decimal {
    lines(s, LineKind::Licence).iter().map(|l| l.amount).sum()
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
    // 13,470 licences + 3 years × 25 % × 13,470 = 13,470 × 1.75 = 23,572.50.
    assert_eq!(q.ranking[0].total, dec("23572.50"));
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

/// The embedded example, by hand (see tests/cases/acme-2009-example/NOTES.md):
/// Ent+ + Nexus: 4,960 + 11,120 + 3 × 16 × 873.75 = 58,020; Ent+ alone 46,900;
/// Enterprise 3 × 16 × 718.75 = 34,500 (non-compliant: no distributed switch).
#[test]
fn the_example_estate_totals() {
    let books = bundled();
    let e = parse_estate(&crate::example_estate(), &books).unwrap();
    let q = quote(&e, &books);
    let totals: Vec<(bool, Decimal)> = q.scenarios.iter().map(|s| (s.compliant, s.total)).collect();
    assert_eq!(
        totals,
        vec![
            (true, dec("58020.00")),
            (true, dec("46900.00")),
            (false, dec("34500.00")),
            (false, dec("0.00")),
            (false, dec("0.00")),
        ]
    );
    assert_eq!(
        q.ranking[0].scenario,
        "Enterprise Plus, VMware distributed switch (upgrade)"
    );
}

//! Every metric kind, each with a small pricebook written here.

use super::*;

const CLUSTER_8X2X8: &str =
    "hosts = 8\nsockets_per_host = 2\ncores_per_socket = 8\nram_gb_per_host = 64\nvms = 40";

fn socket_book(above: &str) -> PricebookSet {
    book(&format!(
        r#"
[[edition]]
id = "std"
name = "Standard"
metric = {{ kind = "per-socket", core_cap = 6, above_cap = "{above}" }}
term = "perpetual"
price = {{ amount = "795.00", source = "test", confidence = "P" }}
"#
    ))
}

#[test]
fn per_socket_over_cap_stacks_licences() {
    // 8 hosts × 2 sockets × ceil(8 cores / 6-core cap) = 8 × 2 × 2 = 32 licences × 795 = 25,440.
    let q = quote_of(
        &socket_book("stack"),
        &estate("2020-01-01", CLUSTER_8X2X8, "", "edition = \"t/std\""),
    );
    let s = only(&q);
    let l = lines(s, LineKind::Licence);
    assert_eq!(l.len(), 1);
    assert_eq!(l[0].quantity, dec("32"));
    assert_eq!(l[0].amount, dec("25440.00"));
    assert_eq!(
        l[0].rule.0,
        "8 hosts × 2 sockets × ceil(8 cores / 6-core cap) = 32 CPU licences"
    );
    assert!(s.compliant);
}

#[test]
fn per_socket_within_cap_is_one_licence_per_cpu() {
    let cl = "hosts = 3\nsockets_per_host = 2\ncores_per_socket = 6";
    let q = quote_of(
        &socket_book("stack"),
        &estate("2020-01-01", cl, "", "edition = \"t/std\""),
    );
    assert_eq!(only(&q).lines[0].quantity, dec("6"));
}

#[test]
fn per_socket_over_cap_forbidden_is_non_compliant_but_priced() {
    let q = quote_of(
        &socket_book("forbidden"),
        &estate("2020-01-01", CLUSTER_8X2X8, "", "edition = \"t/std\""),
    );
    let s = only(&q);
    assert!(!s.compliant);
    assert_eq!(codes(s), vec![ProblemCode::CoreCap]);
    assert!(
        s.problems[0]
            .message
            .contains("at most 6 cores per CPU; these CPUs have 8")
    );
    assert_eq!(
        s.lines[0].quantity,
        dec("16"),
        "priced at one licence per CPU anyway"
    );
}

fn kit_book() -> PricebookSet {
    book(
        r#"
[[edition]]
id = "kit"
name = "Essentials kit"
metric = { kind = "kit", max_hosts = 3, max_sockets_per_host = 2, core_cap = 6, above_cap = "stack" }
term = "perpetual"
price = { amount = "995.00", source = "test", confidence = "P" }
"#,
    )
}

#[test]
fn kit_covers_a_small_cluster_as_one_unit() {
    let cl = "hosts = 3\nsockets_per_host = 2\ncores_per_socket = 4";
    let q = quote_of(
        &kit_book(),
        &estate("2020-01-01", cl, "", "edition = \"t/kit\""),
    );
    let s = only(&q);
    assert!(s.compliant, "{:?}", s.problems);
    assert_eq!(s.lines[0].quantity, dec("1"));
    assert_eq!(s.total, dec("995.00"));
}

#[test]
fn cluster_beyond_the_kit_is_non_compliant() {
    // 4 hosts > 3; and 2 sockets × ceil(8 / 6) = 4 CPU licences per host > 2.
    let cl = "hosts = 4\nsockets_per_host = 2\ncores_per_socket = 8";
    let q = quote_of(
        &kit_book(),
        &estate("2020-01-01", cl, "", "edition = \"t/kit\""),
    );
    let s = only(&q);
    assert_eq!(codes(s), vec![ProblemCode::KitLimit, ProblemCode::KitLimit]);
    assert!(s.problems[0].message.contains("4 hosts > kit limit 3"));
    assert!(
        s.problems[1]
            .message
            .contains("each host needs 4 CPU licences")
    );
    assert_eq!(
        s.total,
        dec("995.00"),
        "one kit, never two: kits are not combinable"
    );
}

#[test]
fn per_server_counts_hosts_and_limits_sockets() {
    let b = book(
        r#"
[[edition]]
id = "srv"
name = "Per server"
metric = { kind = "per-server", max_sockets = 4 }
term = "perpetual"
price = { amount = "1000.00", source = "test", confidence = "S" }
"#,
    );
    let ok = quote_of(
        &b,
        &estate(
            "2020-01-01",
            "hosts = 5\nsockets_per_host = 4\ncores_per_socket = 4",
            "",
            "edition = \"t/srv\"",
        ),
    );
    assert_eq!(only(&ok).total, dec("5000.00"));
    assert!(only(&ok).compliant);
    let over = quote_of(
        &b,
        &estate(
            "2020-01-01",
            "hosts = 5\nsockets_per_host = 8\ncores_per_socket = 4",
            "",
            "edition = \"t/srv\"",
        ),
    );
    assert_eq!(codes(only(&over)), vec![ProblemCode::SocketLimit]);
}

#[test]
fn per_n_processors_cannot_be_split_across_hosts() {
    // 3 hosts × ceil(3 sockets / 2) = 3 × 2 = 6 licences, not ceil(9 / 2) = 5.
    let b = book(
        r#"
[[edition]]
id = "two"
name = "Per 2 processors"
metric = { kind = "per-processors", processors = 2 }
term = "perpetual"
price = { amount = "882.00", source = "test", confidence = "P" }
"#,
    );
    let q = quote_of(
        &b,
        &estate(
            "2020-01-01",
            "hosts = 3\nsockets_per_host = 3\ncores_per_socket = 4",
            "",
            "edition = \"t/two\"",
        ),
    );
    let s = only(&q);
    assert_eq!(s.lines[0].quantity, dec("6"));
    assert_eq!(s.total, dec("5292.00"));
}

fn core_book(min_order: &str) -> PricebookSet {
    book(&format!(
        r#"
[[edition]]
id = "core"
name = "Per core"
metric = {{ kind = "per-core", min_per_cpu = 16, min_per_host = 16, pack = 2{min_order} }}
term = "subscription"
price = {{ amount = "350.00", source = "test", confidence = "S" }}
"#
    ))
}

#[test]
fn per_core_applies_the_minimum_per_cpu() {
    // 2 hosts × 2 sockets × max(8, 16) = 64 cores × 350 per year, 3 years.
    let q = quote_of(
        &core_book(""),
        &estate(
            "2020-01-01",
            "hosts = 2\nsockets_per_host = 2\ncores_per_socket = 8",
            "",
            "edition = \"t/core\"",
        ),
    );
    let s = only(&q);
    let subs = lines(s, LineKind::Subscription);
    assert_eq!(subs.len(), 3, "one subscription line per year");
    assert!(
        subs.iter()
            .all(|l| l.quantity == dec("64") && l.amount == dec("22400.00"))
    );
    assert_eq!(s.total, dec("67200.00"));
}

#[test]
fn per_core_applies_the_minimum_per_host_and_packs() {
    // One 1-socket host of 4 cores: max(4, 16 per CPU) = 16 ≥ 16 per host → 16 cores.
    // Without floors, 1 socket × 17 cores rounds up to 2-core packs: 18.
    let q = quote_of(
        &core_book(""),
        &estate(
            "2020-01-01",
            "hosts = 1\nsockets_per_host = 1\ncores_per_socket = 4",
            "",
            "edition = \"t/core\"",
        ),
    );
    assert_eq!(only(&q).lines[0].quantity, dec("16"));
    let packs = book(
        r#"
[[edition]]
id = "core"
name = "Per core"
metric = { kind = "per-core", pack = 2, min_per_host = 6 }
term = "perpetual"
price = { amount = "10.00", source = "test", confidence = "S" }
"#,
    );
    let q = quote_of(
        &packs,
        &estate(
            "2020-01-01",
            "hosts = 3\nsockets_per_host = 1\ncores_per_socket = 17",
            "",
            "edition = \"t/core\"",
        ),
    );
    assert_eq!(only(&q).lines[0].quantity, dec("54"), "3 hosts × 18 cores");
    assert!(
        only(&q).lines[0]
            .rule
            .0
            .contains("rounded up to 2-core packs")
    );
    let q = quote_of(
        &packs,
        &estate(
            "2020-01-01",
            "hosts = 2\nsockets_per_host = 1\ncores_per_socket = 2",
            "",
            "edition = \"t/core\"",
        ),
    );
    assert_eq!(
        only(&q).lines[0].quantity,
        dec("12"),
        "2 hosts × the 6-core minimum per host"
    );
}

#[test]
fn per_core_tops_up_to_the_minimum_order() {
    // 2 hosts × 1 socket × max(8, 16) = 32 cores; minimum order 72 → 40 more, scenario-wide.
    let q = quote_of(
        &core_book(", min_order = 72"),
        &estate(
            "2020-01-01",
            "hosts = 2\nsockets_per_host = 1\ncores_per_socket = 8",
            "",
            "edition = \"t/core\"",
        ),
    );
    let s = only(&q);
    let year1: Vec<&Line> = s.lines.iter().filter(|l| l.year == 1).collect();
    assert_eq!(year1.len(), 2);
    assert_eq!(year1[1].cluster, "*");
    assert_eq!(year1[1].quantity, dec("40"));
    assert_eq!(
        year1[1].rule.0,
        "minimum order 72 cores; 32 ordered, so 40 more, year 1"
    );
    assert_eq!(s.total, dec("75600.00"), "72 cores × 350 × 3 years");
}

fn pool_book(hard_cap: &str) -> PricebookSet {
    book(&format!(
        r#"
[[edition]]
id = "ent"
name = "Pooled"
metric = {{ kind = "per-socket" }}
term = "perpetual"
price = {{ amount = "2875.00", source = "test", confidence = "S" }}
pool = {{ gb_per_licence = 64, vm_cap_gb = 96{hard_cap}, source = "test" }}
"#
    ))
}

#[test]
fn pooled_memory_buys_extra_licences_when_short() {
    // 2 hosts × 2 sockets = 4 licences × 64 GB = 256 GB entitled.
    // 40 VMs × 8 GB = 320 GB used → 64 GB short → ceil(64 / 64) = 1 more licence.
    let cl = "hosts = 2\nsockets_per_host = 2\ncores_per_socket = 4\nvms = 40\nvm_ram_gb = 8";
    let q = quote_of(
        &pool_book(""),
        &estate("2020-01-01", cl, "", "edition = \"t/ent\""),
    );
    let s = only(&q);
    let l = lines(s, LineKind::Licence);
    assert_eq!(l.len(), 2);
    assert_eq!((l[1].cluster.as_str(), l[1].quantity), ("*", dec("1")));
    assert!(l[1].rule.0.contains("320 GB used (40 VMs × 8 GB, each VM counted at most 96 GB); 4 licences × 64 GB = 256 GB entitled"), "{}", l[1].rule.0);
    assert_eq!(s.total, dec("14375.00"), "5 × 2,875");
}

#[test]
fn pooled_memory_caps_what_one_vm_counts_and_pools_across_clusters() {
    // Cluster a: 1 host × 2 sockets, 2 VMs of 128 GB counted at 96 → 192 GB.
    // Cluster b: 1 host × 2 sockets, no VMs → 0 GB. Pool: 4 × 64 = 256 ≥ 192: nothing extra.
    let b = pool_book("");
    let text = "format = 1\nname = \"t\"\ncurrency = \"USD\"\npurchase_date = 2020-01-01\nyears = 1\n\
        [[cluster]]\nname = \"a\"\nhosts = 1\nsockets_per_host = 2\ncores_per_socket = 4\nvms = 2\nvm_ram_gb = 128\n\
        [[cluster]]\nname = \"b\"\nhosts = 1\nsockets_per_host = 2\ncores_per_socket = 4\nvms = 0\nvm_ram_gb = 4\n\
        [[scenario]]\nname = \"s\"\n[[scenario.plan]]\ncluster = \"a\"\nedition = \"t/ent\"\n[[scenario.plan]]\ncluster = \"b\"\nedition = \"t/ent\"\n";
    let q = quote_of(&b, text);
    let s = only(&q);
    assert_eq!(s.lines.len(), 2, "no top-up: {:?}", s.lines);
    assert!(
        s.notes
            .iter()
            .any(|n| n.contains("192 GB used") && n.contains("256 GB entitled")),
        "{:?}",
        s.notes
    );
}

#[test]
fn pooled_memory_hard_cap_is_non_compliant() {
    let cl = "hosts = 2\nsockets_per_host = 2\ncores_per_socket = 4\nvms = 40\nvm_ram_gb = 8";
    let q = quote_of(
        &pool_book(", hard_cap_gb = 192"),
        &estate("2020-01-01", cl, "", "edition = \"t/ent\""),
    );
    assert_eq!(codes(only(&q)), vec![ProblemCode::PoolHardCap]);
}

#[test]
fn free_with_limits_names_each_limit_exceeded() {
    let b = book(
        r#"
[[edition]]
id = "free"
name = "Free tier"
metric = { kind = "free" }
term = "perpetual"
price = { amount = "0", source = "test", confidence = "P" }
limits = { max_hosts = 3, max_sockets_per_host = 1, max_ram_gb_per_host = 32, days = 60, source = "test" }
"#,
    );
    let cl = "hosts = 4\nsockets_per_host = 2\ncores_per_socket = 4\nram_gb_per_host = 64";
    let q = quote_of(&b, &estate("2020-01-01", cl, "", "edition = \"t/free\""));
    let s = only(&q);
    assert_eq!(s.total, dec("0.00"));
    assert_eq!(s.lines[0].rule.0, "free: 4 hosts, no licence fee");
    let msgs: Vec<&str> = s.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(msgs.len(), 4, "{msgs:?}");
    assert!(msgs[0].contains("at most 3 hosts"));
    assert!(msgs[1].contains("at most 1 sockets per host"));
    assert!(msgs[2].contains("60 days only; the horizon is 3 years"));
    assert!(msgs[3].contains("at most 32 GB RAM per host"));
}

#[test]
fn per_vm_counts_vms() {
    let b = book(
        r#"
[[edition]]
id = "vm"
name = "Per VM"
metric = { kind = "per-vm" }
term = "subscription"
price = { amount = "12.50", source = "test", confidence = "W" }
"#,
    );
    let q = quote_of(
        &b,
        &estate(
            "2020-01-01",
            "hosts = 2\nsockets_per_host = 2\ncores_per_socket = 4\nvms = 7",
            "",
            "edition = \"t/vm\"",
        ),
    );
    let s = only(&q);
    assert_eq!(s.lines[0].quantity, dec("7"));
    assert_eq!(s.total, dec("262.50"), "7 × 12.50 × 3 years");
    assert!(
        s.notes.iter().any(|n| n.contains("marked W")),
        "weak prices are flagged"
    );
}

#[test]
fn vm_rights_stack_licensings_per_host() {
    // 2 hosts, 12 VMs → 6 VMs per host; 2 VMs per licensing → 3 licensings per host;
    // per server: 2 hosts × 1 × 3 = 6 licences. Unlimited rights: 2 licences.
    let b = book(
        r#"
[[edition]]
id = "std"
name = "Std"
metric = { kind = "per-server" }
term = "perpetual"
price = { amount = "100.00", source = "test", confidence = "P" }
vm_rights = { per_licence = 2, source = "test" }

[[edition]]
id = "dc"
name = "DC"
metric = { kind = "per-server" }
term = "perpetual"
price = { amount = "500.00", source = "test", confidence = "P" }
vm_rights = { unlimited = true, source = "test" }
"#,
    );
    let cl = "hosts = 2\nsockets_per_host = 2\ncores_per_socket = 4\nvms = 12";
    let q = quote_of(&b, &estate("2020-01-01", cl, "", "edition = \"t/std\""));
    let l = &only(&q).lines[0];
    assert_eq!(l.quantity, dec("6"));
    assert!(
        l.rule
            .0
            .contains("× 3 licensings per host (ceil(6 VMs per host / 2 per licensing))"),
        "{}",
        l.rule.0
    );
    let q = quote_of(&b, &estate("2020-01-01", cl, "", "edition = \"t/dc\""));
    assert_eq!(only(&q).lines[0].quantity, dec("2"));
}

//! Issue 4's mechanisms, each with a small pricebook: dated and optional rules, currencies,
//! guest OS licensing, uniform editions per cluster group, per-scenario purchase dates.

use super::*;
use crate::pricebook::Confidence;

fn rules_book() -> PricebookSet {
    book(
        r#"
[[edition]]
id = "cpu"
name = "Per CPU"
metric = { kind = "per-socket" }
term = "perpetual"
price = { amount = "1000.00", source = "list", confidence = "P" }

[[edition]]
id = "core"
name = "Per core"
metric = { kind = "per-core", min_per_cpu = 16 }
term = "subscription"
price = { amount = "350.00", source = "list", confidence = "S" }

[[rule]]
id = "cap-32"
name = "32-core rule"
kind = "core-cap"
cores = 32
applies_to = ["cpu"]
from = 2020-04-02
source = "vendor notice"
confidence = "P"

[[rule]]
id = "min-72"
name = "72-core minimum per order"
kind = "min-order"
units = 72
applies_to = ["core"]
from = 2025-04-10
source = "disputed reports"
confidence = "C"

[[rule]]
id = "late"
name = "late renewal"
kind = "surcharge"
percent = "20"
applies_to = ["core"]
default = "off"
source = "consultancies"
confidence = "W"
"#,
    )
}

const BIG_CPUS: &str = "hosts = 1\nsockets_per_host = 2\ncores_per_socket = 40";

#[test]
fn a_core_cap_rule_applies_from_its_date() {
    // From 2020-04-02: 1 host × 2 sockets × ceil(40 / 32) = 4 licences; the day before: 2.
    let q = quote_of(
        &rules_book(),
        &estate("2020-04-02", BIG_CPUS, "", "edition = \"t/cpu\""),
    );
    let l = &only(&q).lines[0];
    assert_eq!(l.quantity, dec("4"));
    assert_eq!(
        l.rule.0,
        "1 host × 2 sockets × ceil(40 cores / 32-core cap) = 4 CPU licences"
    );
    let q = quote_of(
        &rules_book(),
        &estate("2020-04-01", BIG_CPUS, "", "edition = \"t/cpu\""),
    );
    assert_eq!(only(&q).lines[0].quantity, dec("2"));
}

#[test]
fn a_disputed_min_order_rule_is_on_by_default_and_counts_as_doubtful() {
    // 1 host × 2 sockets × max(8, 16) = 32 cores; from 2025-04-10 the order minimum is 72:
    // 40 more cores, scenario-wide, resting on a [C] rule.
    let cl = "hosts = 1\nsockets_per_host = 2\ncores_per_socket = 8";
    let q = quote_of(
        &rules_book(),
        &estate("2025-06-01", cl, "", "edition = \"t/core\""),
    );
    let s = only(&q);
    let top_ups: Vec<&Line> = s.lines.iter().filter(|l| l.cluster == "*").collect();
    assert_eq!(top_ups.len(), 3, "one per year of the subscription");
    assert_eq!(top_ups[0].quantity, dec("40"));
    assert!(top_ups[0].rule.0.starts_with(
        "72-core minimum per order (min-72): minimum order 72 cores; 32 ordered, so 40 more"
    ));
    assert_eq!(s.total, dec("75600.00"), "72 cores × 350 × 3 years");
    assert_eq!(s.doubtful_lines, 3);
    assert_eq!(
        (s.doubtful[0].item.as_str(), s.doubtful[0].confidence),
        ("t/min-72", Confidence::C)
    );
    let before = quote_of(
        &rules_book(),
        &estate("2025-04-09", cl, "", "edition = \"t/core\""),
    );
    assert_eq!(
        only(&before).total,
        dec("33600.00"),
        "32 × 350 × 3 before the rule's date"
    );
}

#[test]
fn an_estate_switches_a_rule_off_with_its_reason_shown() {
    let cl = "hosts = 1\nsockets_per_host = 2\ncores_per_socket = 8";
    let off = "[[rule]]\nrule = \"t/min-72\"\nenabled = false\nreason = \"our reseller confirmed it was withdrawn\"\n";
    let q = quote_of(
        &rules_book(),
        &estate("2025-06-01", cl, off, "edition = \"t/core\""),
    );
    let s = only(&q);
    assert_eq!(s.total, dec("33600.00"));
    assert!(s.notes.contains(&"rule t/min-72 (72-core minimum per order) switched off by the estate: our reseller confirmed it was withdrawn".to_owned()), "{:?}", s.notes);
}

#[test]
fn an_optional_surcharge_applies_only_when_switched_on() {
    // 32 cores × 350 × 1.2 = 13,440 per year.
    let cl = "hosts = 1\nsockets_per_host = 2\ncores_per_socket = 8";
    let on = "[[rule]]\nrule = \"t/late\"\nenabled = true\nreason = \"renewal is 3 months late\"\n";
    let q = quote_of(
        &rules_book(),
        &estate("2024-06-01", cl, on, "edition = \"t/core\""),
    );
    let s = only(&q);
    assert_eq!(s.lines[0].amount, dec("13440.00"));
    assert_eq!(s.lines[0].discounts[0].percent, dec("-20"));
    let q = quote_of(
        &rules_book(),
        &estate("2024-06-01", cl, "", "edition = \"t/core\""),
    );
    assert_eq!(only(&q).lines[0].amount, dec("11200.00"));
}

#[test]
fn a_book_in_another_currency_is_converted_at_the_estates_rate() {
    // EUR 398.00 per socket-year × 1.08 = USD 429.84; 3 hosts × 2 sockets = 6 → 2,579.04 a year.
    let eur = parse_pricebook(
        &SourceFile::new(
            "eur.toml",
            "format = 1\nid = \"eu\"\nname = \"EU vendor\"\nvendor = \"eu\"\ncurrency = \"EUR\"\n\
             [[edition]]\nid = \"std\"\nname = \"Standard\"\nmetric = { kind = \"per-socket\" }\nterm = \"subscription\"\n\
             price = { amount = \"398.00\", source = \"agreement V3.3\", confidence = \"P\" }\n",
        ),
        "test",
    )
    .unwrap();
    let set = PricebookSet::from_books([eur]);
    let cl = "hosts = 3\nsockets_per_host = 2\ncores_per_socket = 8";
    let fx = "[costs]\nfx = { EUR = \"1.08\" }\nfx_date = 2025-06-02\n";
    let q = quote_of(&set, &estate("2025-06-02", cl, fx, "edition = \"eu/std\""));
    let l = &only(&q).lines[0];
    assert_eq!((l.unit_price, l.amount), (dec("429.84"), dec("2579.04")));
    let fx = l.fx.as_ref().unwrap();
    assert_eq!(
        (fx.currency.as_str(), fx.unit_price, fx.rate),
        ("EUR", dec("398.00"), dec("1.08"))
    );
    assert!(
        l.rule
            .0
            .ends_with("EUR 398.00 × 1.08 USD/EUR (rate of 2025-06-02) = USD 429.84"),
        "{}",
        l.rule.0
    );
    // No rate: an input error naming the pair.
    let file = SourceFile::new(
        "e.toml",
        estate("2025-06-02", cl, "", "edition = \"eu/std\""),
    );
    let d = parse_estate(&file, &set).unwrap_err();
    assert!(
        d.0[0].message.contains("no EUR → USD rate"),
        "{}",
        d.0[0].message
    );
}

fn windows_book() -> PricebookSet {
    book(
        r#"
[[edition]]
id = "standard"
name = "Server Standard"
metric = { kind = "per-core", min_per_cpu = 8, min_per_host = 16, pack = 2 }
term = "perpetual"
price = { amount = "66.8125", source = "16-core figure / 16", confidence = "W" }
vm_rights = { per_licence = 2, source = "licensing guide" }

[[edition]]
id = "datacenter"
name = "Server Datacenter"
metric = { kind = "per-core", min_per_cpu = 8, min_per_host = 16, pack = 2 }
term = "perpetual"
price = { amount = "384.6875", source = "16-core figure / 16", confidence = "W" }
vm_rights = { unlimited = true, source = "licensing guide" }

[[edition]]
id = "free-host"
name = "Free hypervisor"
metric = { kind = "free" }
term = "perpetual"
price = { amount = "0", source = "vendor", confidence = "P" }
"#,
    )
}

#[test]
fn guest_os_standard_is_licensed_again_for_every_two_vms() {
    // One 2-CPU 8-core host with 6 Windows VMs: 16 cores × ceil(6 / 2) = 48 cores × 66.8125.
    let cl = "hosts = 1\nsockets_per_host = 2\ncores_per_socket = 8\nvms = 10\nwindows_vms = 6";
    let q = quote_of(
        &windows_book(),
        &estate(
            "2022-01-01",
            cl,
            "",
            "edition = \"t/free-host\"\nguest_os = \"t/standard\"",
        ),
    );
    let s = only(&q);
    let g = s.lines.iter().find(|l| l.item == "t/standard").unwrap();
    assert_eq!(g.quantity, dec("48"));
    assert_eq!(g.amount, dec("3207.00"));
    assert!(
        g.rule.0.starts_with("guest OS for 6 Windows VMs:"),
        "{}",
        g.rule.0
    );
    let q = quote_of(
        &windows_book(),
        &estate(
            "2022-01-01",
            cl,
            "",
            "edition = \"t/free-host\"\nguest_os = \"t/datacenter\"",
        ),
    );
    let g = only(&q)
        .lines
        .iter()
        .find(|l| l.item == "t/datacenter")
        .unwrap()
        .clone();
    assert_eq!(
        (g.quantity, g.amount),
        (dec("16"), dec("6155.00")),
        "Datacenter: 16 cores, unlimited VMs"
    );
}

#[test]
fn a_one_cpu_eight_core_host_bills_sixteen_cores() {
    let cl = "hosts = 1\nsockets_per_host = 1\ncores_per_socket = 8\nvms = 2\nwindows_vms = 2";
    let q = quote_of(
        &windows_book(),
        &estate(
            "2022-01-01",
            cl,
            "",
            "edition = \"t/free-host\"\nguest_os = \"t/standard\"",
        ),
    );
    let g = only(&q)
        .lines
        .iter()
        .find(|l| l.item == "t/standard")
        .unwrap()
        .clone();
    assert_eq!(g.quantity, dec("16"));
}

#[test]
fn guest_os_needs_windows_vms_in_the_estate() {
    let cl = "hosts = 1\nsockets_per_host = 1\ncores_per_socket = 8\nvms = 2";
    let file = SourceFile::new(
        "e.toml",
        estate(
            "2022-01-01",
            cl,
            "",
            "edition = \"t/free-host\"\nguest_os = \"t/standard\"",
        ),
    );
    let d = parse_estate(&file, &windows_book()).unwrap_err();
    assert_eq!(d.0[0].field, "scenario[0].plan[0].guest_os");
    assert!(d.0[0].message.contains("has no `windows_vms`"));
}

#[test]
fn a_real_cluster_mixing_levels_of_a_uniform_book_is_non_compliant() {
    let b = book(
        r#"
uniform_edition = true

[[edition]]
id = "basic"
name = "Basic"
metric = { kind = "per-socket" }
term = "subscription"
price = { amount = "340", source = "x", confidence = "W" }

[[edition]]
id = "premium"
name = "Premium"
metric = { kind = "per-socket" }
term = "subscription"
price = { amount = "1080", source = "x", confidence = "W" }
"#,
    );
    let text = |group_b: &str| {
        format!(
            "format = 1\nname = \"t\"\ncurrency = \"USD\"\npurchase_date = 2025-01-01\nyears = 1\n\
             [[cluster]]\nname = \"a\"\ngroup = \"pve\"\nhosts = 2\nsockets_per_host = 1\ncores_per_socket = 8\n\
             [[cluster]]\nname = \"b\"\ngroup = \"{group_b}\"\nhosts = 1\nsockets_per_host = 2\ncores_per_socket = 16\n\
             [[scenario]]\nname = \"s\"\n[[scenario.plan]]\ncluster = \"a\"\nedition = \"t/basic\"\n[[scenario.plan]]\ncluster = \"b\"\nedition = \"t/premium\"\n"
        )
    };
    let q = quote_of(&b, &text("pve"));
    let s = only(&q);
    assert_eq!(codes(s), vec![ProblemCode::MixedEditions]);
    assert_eq!(
        s.problems[0].message,
        "cluster group pve mixes basic and premium of t: every node of a cluster must have the same edition"
    );
    let q = quote_of(&b, &text("other"));
    assert!(only(&q).compliant, "two real clusters may differ");
}

#[test]
fn each_scenario_may_have_its_own_purchase_date() {
    // The same estate bought before and after the core-cap rule, in one run.
    let text = format!(
        "format = 1\nname = \"eras\"\ncurrency = \"USD\"\npurchase_date = 2020-01-01\nyears = 1\n\
         [[cluster]]\nname = \"c\"\n{BIG_CPUS}\n\
         [[scenario]]\nname = \"2019 rules\"\n[[scenario.plan]]\ncluster = \"c\"\nedition = \"t/cpu\"\n\
         [[scenario]]\nname = \"2021 rules\"\npurchase_date = 2021-01-01\n[[scenario.plan]]\ncluster = \"c\"\nedition = \"t/cpu\"\n"
    );
    let q = quote_of(&rules_book(), &text);
    let totals: Vec<Decimal> = q.scenarios.iter().map(|s| s.total).collect();
    assert_eq!(totals, vec![dec("2000.00"), dec("4000.00")]);
    assert_eq!(
        q.scenarios[1].purchase_date,
        crate::Date::new(2021, 1, 1).unwrap()
    );
}

#[test]
fn a_surcharge_can_be_limited_to_the_first_years() {
    // The bundled VCF late-renewal rule is first-year only: 96 cores × 350 × 1.2 = 40,320 in
    // year 1, then 33,600.
    let set = PricebookSet::bundled().unwrap();
    let cl = "hosts = 3\nsockets_per_host = 2\ncores_per_socket = 12";
    let on = "[[rule]]\nrule = \"vmware-vcf-2024/late-renewal-20\"\nenabled = true\nreason = \"renewed after expiry\"\n";
    let q = quote_of(
        &set,
        &estate("2024-06-01", cl, on, "edition = \"vmware-vcf-2024/vcf\""),
    );
    let amounts: Vec<Decimal> = only(&q).lines.iter().map(|l| l.amount).collect();
    assert_eq!(
        amounts,
        vec![dec("40320.00"), dec("33600.00"), dec("33600.00")]
    );
}

#[test]
fn a_hard_cap_binds_each_cluster_not_the_sum() {
    // Two kit clusters of 30 VMs × 5 GB = 150 GB: each within its own 192 GB cap, though 300 GB
    // in all; at 40 VMs each is 200 GB > 192.
    let b = book(
        r#"
[[edition]]
id = "kit"
name = "Kit"
metric = { kind = "kit", max_hosts = 3, max_sockets_per_host = 2 }
term = "perpetual"
price = { amount = "995", source = "x", confidence = "P" }
pool = { gb_per_licence = 192, hard_cap_gb = 192, source = "x" }
"#,
    );
    let cluster = |name: &str| {
        format!(
            "[[cluster]]\nname = \"{name}\"\nhosts = 3\nsockets_per_host = 2\ncores_per_socket = 4\nvms = 30\nvm_ram_gb = 5\n"
        )
    };
    let text = format!(
        "format = 1\nname = \"t\"\ncurrency = \"USD\"\npurchase_date = 2011-09-01\nyears = 1\n{}{}\
         [[scenario]]\nname = \"s\"\n[[scenario.plan]]\ncluster = \"a\"\nedition = \"t/kit\"\n[[scenario.plan]]\ncluster = \"b\"\nedition = \"t/kit\"\n",
        cluster("a"),
        cluster("b")
    );
    assert!(only(&quote_of(&b, &text)).compliant);
    let q = quote_of(&b, &text.replace("vms = 30", "vms = 40"));
    assert_eq!(
        codes(only(&q)),
        vec![ProblemCode::PoolHardCap, ProblemCode::PoolHardCap]
    );
}

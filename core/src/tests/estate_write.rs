//! `write_estate`: the TOML it writes reads back to an equal estate, for the example, the
//! cross-era case and an estate that sets every field.

use super::*;
use crate::estate::{Estate, write_estate};
use crate::example_estate;

fn round_trip(name: &str, text: &str) -> Estate {
    let books = PricebookSet::bundled().expect("bundled pricebooks are valid");
    let e = parse_estate(&SourceFile::new(name, text), &books).expect("valid estate");
    let written = write_estate(&e);
    let back = parse_estate(&SourceFile::new("written.toml", written.clone()), &books)
        .unwrap_or_else(|d| panic!("written estate invalid:\n{d}\n{written}"));
    assert_eq!(back, e, "{written}");
    assert_eq!(write_estate(&back), written, "writing is stable");
    e
}

#[test]
fn the_example_round_trips() {
    round_trip("acme.toml", &example_estate().text);
}

#[test]
fn the_cross_era_case_round_trips() {
    let e = round_trip(
        "eras.toml",
        include_str!("../../../tests/cases/eras-2009-2025/estate.toml"),
    );
    assert!(e.scenarios.iter().any(|s| s.purchase_date.is_some()));
    assert!(e.costs.as_ref().is_some_and(|c| !c.fx.is_empty()));
}

#[test]
fn every_field_round_trips_with_awkward_text() {
    let text = r#"format = 1
name = "Quotes \" and \\ backslashes, tabs\t and ünïcode"
currency = "USD"
purchase_date = 2025-06-02
years = 5

[[cluster]]
name = "a \"b\""
hosts = 4
sockets_per_host = 2
cores_per_socket = 16
ram_gb_per_host = 512
vms = 80
vm_ram_gb = "7.5"
windows_vms = 20
group = "real"
needs = ["live-migration", "ha"]

[[cluster]]
name = "b"
hosts = 2
sockets_per_host = 1
cores_per_socket = 8
group = "real"

[[owned]]
licence = "vmware-vsphere-7/standard"
quantity = 8
support_active = true

[[owned]]
licence = "vmware-vi3/enterprise"
quantity = 2

[costs]
hardware_per_host = "12000.00"
hardware_life_years = 4
watts_per_host = "450"
kwh_price = "0.1234"
pue = "1.6"
admin_per_host_year = "800"
facilities_per_host_year = "300.50"
discount_rate = "0.08"
vm_growth_per_year = "0.1"
escalation_per_year = "0.03"
hours_per_year = "8760"
vms_per_host = 25
vendor_discount = { vmware = "0.15", "odd vendor" = "0.05" }
fx = { EUR = "1.08" }
fx_date = 2025-06-01
fx_source = "ECB\nreference"

[[rule]]
rule = "vmware-vcf-2024/min-order-72"
enabled = false
reason = "our reseller \"confirmed\" it"

[[scenario]]
name = "VCF"
purchase_date = 2025-04-10
[[scenario.plan]]
cluster = "a \"b\""
edition = "vmware-vcf-2024/vcf"
guest_os = "microsoft-windows-server-2022/datacenter"
guest_os_support = "software-assurance"
[[scenario.plan]]
cluster = "b"
edition = "proxmox-ve-2025/standard"

[[scenario]]
name = "vSphere 4 + Nexus"
[[scenario.plan]]
cluster = "b"
edition = "vmware-vsphere-4.0/enterprise-plus"
support = "production"
addons = ["cisco-nexus-1000v-2009/nexus-1000v"]
use_owned = true
[[scenario.plan]]
cluster = "a \"b\""
edition = "vmware-vsphere-4.0/advanced"
"#;
    let e = round_trip("all.toml", text);
    assert_eq!(e.clusters.len(), 2);
    assert_eq!(
        e.scenarios[1].plans[0].cluster, 0,
        "plans are in cluster order"
    );
}

#[test]
fn an_empty_costs_block_stays_a_costs_block() {
    let text = example_estate()
        .text
        .replace("[[owned]]", "[costs]\n\n[[owned]]");
    let e = round_trip("costs.toml", &text);
    assert!(e.costs.is_some());
}

//! `hypercost cheapest` end to end: the 2009 acceptance figures from the bundled books, the
//! rejections in words, `-o FILE.toml` (an estate that quotes to the winners' totals) and
//! `-o` of a report, exit codes.

use std::str::FromStr;

use hypercost_core::{parse_estate, quote};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::support::{BOOKS, Scratch, arg, cli};

/// A 2009 cluster: 3 hosts × 2 sockets × 4 cores, 30 VMs, with the given needs.
fn estate_2009(date: &str, needs: &str) -> String {
    format!(
        r#"format = 1
name = "Three hosts in 2009"
currency = "USD"
purchase_date = {date}
years = 3

[[cluster]]
name = "prod"
hosts = 3
sockets_per_host = 2
cores_per_socket = 4
ram_gb_per_host = 32
vms = 30
needs = [{needs}]

[[scenario]]
name = "today"
[[scenario.plan]]
cluster = "prod"
edition = "vmware-vsphere-4.0/standard"
support = "production"
"#
    )
}

/// Runs `cheapest` on an estate text; returns the JSON and the table (wrapping undone).
fn run(estate: &str, extra: &[&str]) -> (Value, String) {
    let dir = Scratch::new();
    let path = dir.write("estate.toml", estate);
    let mut args = vec!["cheapest", arg(&path)];
    args.extend_from_slice(extra);
    let table = cli(&args);
    assert_eq!(table.code, 0, "{}", table.stderr);
    args.extend_from_slice(&["--format", "json"]);
    let json = cli(&args);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let v: Value = serde_json::from_slice(&json.stdout).expect("cheapest JSON parses");
    let text = table.out().split_whitespace().collect::<Vec<_>>().join(" ");
    (v, text)
}

#[test]
fn vmware_live_migration_and_ha_in_2009_is_vsphere_advanced() {
    let (v, text) = run(
        &estate_2009("2009-06-01", r#""vmotion", "ha""#),
        &["--vendor", "vmware"],
    );
    let best = &v["clusters"][0]["winners"][0];
    assert_eq!(best["edition"], "vmware-vsphere-4.0/advanced");
    assert_eq!(best["support"], "production");
    // 13,470 + 3 × 25 % of it, and the vCenter Server Standard Advanced requires: 4,995 + 3 ×
    // 1,248.75 (pricing-facts §14 [W]; SnS 25 % [S]).
    assert_eq!(best["total"], "32313.75");
    assert_eq!(v["vendors"], serde_json::json!(["vmware"]));
    assert!(
        text.contains("1 vmware-vsphere-4.0/advanced + support production 32,313.75 best"),
        "{text}"
    );
    assert!(text.contains(
        "✗ vmware-vsphere-4.0/essentials-plus: needs live-migration, which vSphere Essentials Plus (kit) lacks"
    ));
}

#[test]
fn every_vendor_in_2009_picks_free_hyper_v_and_says_what_xenserver_lacks() {
    let (v, text) = run(&estate_2009("2009-09-01", r#""live-migration", "ha""#), &[]);
    let best = &v["clusters"][0]["winners"][0];
    assert_eq!(best["edition"], "microsoft-hyperv-2008r2/hyper-v-server");
    assert_eq!(best["total"], "0.00");
    assert!(text.contains("✗ citrix-xenserver-5.5/free: needs ha, which XenServer (free) lacks"));
    assert!(
        text.contains("no Windows guest licences included"),
        "what the free winner requires"
    );
}

#[test]
fn a_distributed_switch_names_enterprise_plus_and_why_everything_cheaper_fails() {
    let (v, text) = run(
        &estate_2009(
            "2009-09-01",
            r#""live-migration", "ha", "distributed-switch""#,
        ),
        &[],
    );
    let c = &v["clusters"][0];
    assert_eq!(c["compliant"], 1);
    assert_eq!(
        c["winners"][0]["edition"],
        "vmware-vsphere-4.0/enterprise-plus"
    );
    let best = Decimal::from_str("36697.50").unwrap();
    let mut cheaper = 0;
    for r in c["rejected"].as_array().expect("rejected") {
        let total = Decimal::from_str(r["total"].as_str().unwrap()).unwrap();
        if total < best {
            cheaper += 1;
            let problems = r["problems"].as_array().unwrap();
            assert!(!problems.is_empty(), "{r}");
            let edition = r["edition"].as_str().unwrap();
            assert!(
                text.contains(edition),
                "{edition} is explained in the table"
            );
        }
    }
    assert!(cheaper >= 10);
    for edition in ["standard", "advanced", "enterprise"] {
        assert!(
            text.contains(&format!(
                "✗ vmware-vsphere-4.0/{edition}: needs distributed-switch, which vSphere"
            )),
            "{edition}: {text}"
        );
    }
}

#[test]
fn dash_o_toml_writes_the_winners_as_an_estate_that_quotes_to_their_totals() {
    let dir = Scratch::new();
    let estate = dir.write(
        "estate.toml",
        estate_2009("2009-09-01", r#""live-migration", "ha""#),
    );
    let out = dir.path().join("winners.toml");
    let r = cli(&["cheapest", arg(&estate), "--top", "2", "-o", arg(&out)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.out().contains("Cheapest compliant plans"),
        "the report on stdout"
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with("# Written by `hypercost cheapest`"),
        "{text}"
    );
    let written = parse_estate(
        &hypercost_core::SourceFile::new("w.toml", text.clone()),
        &BOOKS,
    )
    .expect("the written estate is valid");
    assert_eq!(written.scenarios.len(), 2);
    let json = cli(&["cheapest", arg(&estate), "--top", "2", "-f", "json"]);
    let v: Value = serde_json::from_slice(&json.stdout).unwrap();
    let q = quote(&written, &BOOKS);
    for (s, w) in q
        .scenarios
        .iter()
        .zip(v["clusters"][0]["winners"].as_array().unwrap())
    {
        assert!(s.compliant);
        assert_eq!(
            hypercost_core::money::money_text(s.total),
            w["total"].as_str().unwrap()
        );
    }
    // The written file quotes like any estate.
    let q = cli(&["quote", arg(&out)]);
    assert_eq!(q.code, 0, "{}", q.stderr);
}

#[test]
fn dash_o_of_another_extension_writes_the_report() {
    let dir = Scratch::new();
    let out = dir.path().join("report.json");
    let r = cli(&["cheapest", "-f", "json", "-o", arg(&out)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let v: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["format"], 1);
    assert_eq!(
        v["clusters"][0]["winners"][0]["edition"],
        "vmware-vsphere-4.0/enterprise-plus"
    );
}

#[test]
fn bad_input_exits_2() {
    let r = cli(&["cheapest", "--vendor", "vmwre"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean `vmware`?"), "{}", r.stderr);
    let r = cli(&["cheapest", "--top", "0"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let dir = Scratch::new();
    let bad = dir.write("bad.toml", "format = 1\nname = \"x\"\n");
    let r = cli(&["cheapest", arg(&bad)]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad.toml"), "{}", r.stderr);
    let r = cli(&["cheapest", "--pricebook", "/nonexistent/book.toml"]);
    assert_eq!(r.code, 2);
}

#[test]
fn output_is_identical_across_runs() {
    let a = cli(&["cheapest", "-f", "json"]);
    let b = cli(&["cheapest", "-f", "json"]);
    assert_eq!(a.stdout, b.stdout);
    let a = cli(&["cheapest"]);
    let b = cli(&["cheapest"]);
    assert_eq!(a.stdout, b.stdout);
}

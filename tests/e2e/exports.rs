//! Exports agree: every golden case rendered in every text format gives the same totals to the
//! cent as the JSON contract; CSV text cannot run as a spreadsheet formula.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::support::{Scratch, arg, cli, golden_cases};

fn dec(s: &str) -> Decimal {
    s.parse().unwrap_or_else(|e| panic!("`{s}`: {e}"))
}

/// Scenario totals from the JSON contract.
fn json_totals(estate: &str) -> BTreeMap<String, Decimal> {
    let run = cli(&["quote", estate, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).expect("quote JSON");
    v["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .map(|s| {
            (
                s["name"].as_str().expect("a name").to_owned(),
                dec(s["total"].as_str().expect("a total")),
            )
        })
        .collect()
}

#[test]
fn every_format_agrees_with_the_json_to_the_cent() {
    let dir = Scratch::new();
    for case in golden_cases() {
        let estate = arg(&case.estate);
        let totals = json_totals(estate);
        assert!(!totals.is_empty());

        // CSV: the sum of each scenario's line amounts (raw numbers, no separators).
        let path = dir.path().join("q.csv");
        let run = cli(&["quote", estate, "-o", arg(&path)]);
        assert_eq!(run.code, 0);
        let mut reader = csv::Reader::from_path(&path).unwrap();
        let headers = reader.headers().unwrap().clone();
        let col = |name: &str| {
            headers
                .iter()
                .position(|h| h.starts_with(name))
                .unwrap_or_else(|| panic!("column {name}"))
        };
        let (scenario, amount) = (col("scenario"), col("amount"));
        let mut sums: BTreeMap<String, Decimal> = BTreeMap::new();
        for row in reader.records() {
            let row = row.unwrap();
            let name = row[scenario].trim_start_matches('\'').to_owned();
            *sums.entry(name).or_default() += dec(&row[amount]);
        }
        for (name, total) in &totals {
            assert_eq!(
                sums.get(name).copied().unwrap_or_default(),
                *total,
                "{}: CSV lines of {name}",
                case.name
            );
        }

        // Markdown, table: each total appears as people read it (grouped, two decimals).
        for format in ["md", "table", "html"] {
            let run = cli(&["quote", estate, "--format", format]);
            let text = String::from_utf8(run.stdout).unwrap();
            for (name, total) in &totals {
                let shown = hypercost_core::money::grouped(*total);
                assert!(
                    text.contains(&shown),
                    "{}: {format} lacks {name}'s total {shown}",
                    case.name
                );
            }
        }
    }
}

/// An estate whose names begin with every character a spreadsheet would evaluate.
const INJECTION: &str = r#"format = 1
name = "=HYPERLINK(\"http://x\")"
currency = "USD"
purchase_date = 2009-11-02
years = 1

[[cluster]]
name = "+cmd|' /C calc'!A0"
hosts = 1
sockets_per_host = 1
cores_per_socket = 4

[[cluster]]
name = "@SUM(1+1)"
hosts = 1
sockets_per_host = 1
cores_per_socket = 4

[[cluster]]
name = "-2+3"
hosts = 1
sockets_per_host = 1
cores_per_socket = 4

[[cluster]]
name = "\tTAB"
hosts = 1
sockets_per_host = 1
cores_per_socket = 4

[[cluster]]
name = "\rCR"
hosts = 1
sockets_per_host = 1
cores_per_socket = 4

[[scenario]]
name = "=1+1"
[[scenario.plan]]
cluster = "+cmd|' /C calc'!A0"
edition = "vmware-vsphere-4.0/standard"
support = "production"
[[scenario.plan]]
cluster = "@SUM(1+1)"
edition = "vmware-vsphere-4.0/standard"
support = "production"
[[scenario.plan]]
cluster = "-2+3"
edition = "vmware-vsphere-4.0/standard"
support = "production"
[[scenario.plan]]
cluster = "\tTAB"
edition = "vmware-vsphere-4.0/standard"
support = "production"
[[scenario.plan]]
cluster = "\rCR"
edition = "vmware-vsphere-4.0/standard"
support = "production"

[[scenario]]
name = "free"
[[scenario.plan]]
cluster = "+cmd|' /C calc'!A0"
edition = "microsoft-hyperv-2008r2/hyper-v-server"
[[scenario.plan]]
cluster = "@SUM(1+1)"
edition = "microsoft-hyperv-2008r2/hyper-v-server"
[[scenario.plan]]
cluster = "-2+3"
edition = "microsoft-hyperv-2008r2/hyper-v-server"
[[scenario.plan]]
cluster = "\tTAB"
edition = "microsoft-hyperv-2008r2/hyper-v-server"
[[scenario.plan]]
cluster = "\rCR"
edition = "microsoft-hyperv-2008r2/hyper-v-server"
"#;

#[test]
fn csv_text_cells_cannot_run_as_formulas_and_numbers_stay_numbers() {
    let dir = Scratch::new();
    let estate = dir.write("inject.toml", INJECTION);
    let run = cli(&["quote", arg(&estate), "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut reader = csv::ReaderBuilder::new().from_reader(run.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    let text_columns = ["scenario", "cluster", "item", "name", "rule", "source"];
    let mut seen = Vec::new();
    for row in reader.records() {
        let row = row.unwrap();
        for (h, cell) in headers.iter().zip(row.iter()) {
            if text_columns.contains(&h)
                && let Some(first) = cell.chars().next()
            {
                {
                    assert!(
                        !matches!(first, '=' | '+' | '-' | '@' | '\t' | '\r'),
                        "column {h}: {cell:?} could run as a formula"
                    );
                }
            }
        }
        seen.push(row[headers.iter().position(|h| h == "cluster").unwrap()].to_owned());
    }
    for dangerous in ["'+cmd", "'@SUM", "'-2+3", "'\tTAB", "'\rCR"] {
        assert!(
            seen.iter().any(|c| c.starts_with(dangerous)),
            "{dangerous} neutralised with a leading apostrophe: {seen:?}"
        );
    }

    // A negative number is data: the compare CSV's deltas stay plain numbers.
    let run = cli(&[
        "compare",
        arg(&estate),
        "--baseline",
        "=1+1",
        "--format",
        "csv",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = String::from_utf8(run.stdout).unwrap();
    let free_total = text
        .lines()
        .find(|l| l.starts_with("free,") && l.contains(",total,"))
        .expect("the free scenario's total row");
    let delta = free_total.split(',').nth(6).unwrap();
    assert!(
        delta.starts_with('-') && dec(delta) < Decimal::ZERO,
        "a negative delta is a number: {free_total}"
    );
    assert!(
        text.contains("'=1+1"),
        "the scenario name is neutralised: {text}"
    );
}

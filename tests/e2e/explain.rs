//! `hypercost explain` end to end: every line of the example and of the cross-era case redone
//! from the explanation's JSON numbers equals the quote's JSON amount to the cent; the table's
//! words; filters; exit codes.

use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;

use crate::support::{Scratch, arg, cli, repo_root};

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(
        v.as_str()
            .unwrap_or_else(|| panic!("a decimal string: {v}")),
    )
    .expect("a decimal")
}

/// Redoes every line from the explanation JSON (quantity, unit price, step percents) with the
/// documented rule and compares with the quote JSON's amounts, line by line.
fn redo(args: &[&str]) -> usize {
    let mut q_args = vec!["quote", "-f", "json"];
    q_args.extend_from_slice(args);
    let q = cli(&q_args);
    assert_eq!(q.code, 0, "{}", q.stderr);
    let q: Value = serde_json::from_slice(&q.stdout).expect("quote JSON");
    let mut e_args = vec!["explain", "-f", "json"];
    e_args.extend_from_slice(args);
    let e = cli(&e_args);
    assert_eq!(e.code, 0, "{}", e.stderr);
    let e: Value = serde_json::from_slice(&e.stdout).expect("explain JSON");
    assert_eq!(e["disagreements"], serde_json::json!([]));
    let mut lines = 0;
    let scenarios = q["scenarios"].as_array().expect("an array");
    for (s, sx) in scenarios
        .iter()
        .zip(e["scenarios"].as_array().expect("an array"))
    {
        assert_eq!(s["name"], sx["name"]);
        let quoted = s["lines"].as_array().expect("an array");
        let explained = sx["lines"].as_array().expect("an array");
        assert_eq!(quoted.len(), explained.len());
        for (l, lx) in quoted.iter().zip(explained) {
            let mut amount = dec(&lx["quantity"]) * dec(&lx["unit_price"]);
            for step in lx["steps"].as_array().expect("an array") {
                amount *= Decimal::ONE - dec(&step["percent"]) / Decimal::ONE_HUNDRED;
            }
            let amount = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
            assert_eq!(
                amount,
                dec(&l["amount"]),
                "{}: {}",
                s["name"],
                lx["rounding"]
            );
            assert_eq!(lx["amount"], l["amount"]);
            lines += 1;
        }
        let total: Decimal = sx["years"]
            .as_array()
            .expect("years")
            .iter()
            .map(|y| dec(&y["total"]))
            .sum();
        assert_eq!(total, dec(&s["total"]));
    }
    lines
}

#[test]
fn every_line_of_the_example_redone_by_hand_matches_the_quote() {
    assert!(redo(&[]) > 10);
}

#[test]
fn every_line_of_the_cross_era_case_redone_by_hand_matches_the_quote() {
    let case = repo_root().join("tests/cases/eras-2009-2025/estate.toml");
    assert!(redo(&[case.to_str().unwrap()]) > 10);
}

#[test]
fn the_table_shows_the_rounding_and_the_sums() {
    let r = cli(&[
        "explain",
        "--scenario",
        "Enterprise Plus + Nexus 1000V (upgrade)",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = r.out();
    assert!(text.contains("round(16 × 620.00 × (1 − 50 %)) = round(4,960.00) = 4,960.00"));
    assert!(text.contains("quantity    16: 8 hosts × 2 sockets = 16 CPU licences"));
    assert!(text.contains(
        "total       year 1 + year 2 + year 3 = 36,303.75 + 15,228.75 + 15,228.75 = 66,761.25 USD"
    ), "{text}");
    assert!(
        !text.contains("XenServer 5.5 free"),
        "only the scenario asked for"
    );
    for line in text.lines() {
        if line.split(' ').all(|w| w.chars().count() <= 60) {
            assert!(line.chars().count() <= 100, "{line}");
        }
    }
}

#[test]
fn filters_and_output_file() {
    let dir = Scratch::new();
    let out = dir.path().join("explain.json");
    let r = cli(&[
        "explain",
        "--cluster",
        "prod",
        "-f",
        "json",
        "-o",
        arg(&out),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["cluster"], "prod");
    assert_eq!(v["scenarios"].as_array().unwrap().len(), 5);
}

#[test]
fn unknown_names_exit_2_with_what_is_valid() {
    let r = cli(&["explain", "--scenario", "Hyper-V"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no scenario `Hyper-V`"), "{}", r.stderr);
    assert!(
        r.stderr.contains("Hyper-V Server 2008 R2 (free)"),
        "{}",
        r.stderr
    );
    let r = cli(&["explain", "--cluster", "prd"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean `prod`?"), "{}", r.stderr);
    let dir = Scratch::new();
    let bad = dir.write("bad.toml", "format = 1\n");
    let r = cli(&["explain", arg(&bad)]);
    assert_eq!(r.code, 2);
}

//! What every pricing command shares (`quote`, `compare`, `sweep`, `sensitivity`, `cheapest`,
//! `explain`): `--pricebook` replacing a bundled book is noted in each result, in its table and
//! its JSON, and `--as-of DATE` prices each as if bought that day.

use serde_json::Value;

use crate::support::{Scratch, arg, cli, repo_root};

/// Every pricing command, with the arguments it needs for the example estate.
const COMMANDS: &[&[&str]] = &[
    &["quote"],
    &["compare"],
    &["sweep", "--vary", "prod.hosts=8..8"],
    &["sensitivity"],
    &["cheapest"],
    &["explain"],
];

/// After the 2009 promotion (to 2009-12-14) and the end of sale of Enterprise (2009-12-15):
/// the example's totals are not those of its own purchase date, 2009-11-02.
const AS_OF: &str = "2010-01-15";

fn run(args: &[&str], extra: &[&str], format: &str) -> String {
    let mut argv = args.to_vec();
    argv.extend(extra);
    argv.extend(["--format", format]);
    let r = cli(&argv);
    assert_eq!(r.code, 0, "{argv:?}: {}", r.stderr);
    r.out()
}

fn json(args: &[&str], extra: &[&str]) -> Value {
    serde_json::from_str(&run(args, extra, "json")).expect("JSON")
}

/// Text without its whitespace, so a note wrapped across lines still matches.
fn squeezed(text: &str) -> String {
    text.split_whitespace().collect()
}

fn notes(v: &Value) -> Vec<&str> {
    v["notes"]
        .as_array()
        .map(|n| n.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[test]
fn every_pricing_command_notes_a_replaced_pricebook_in_its_table_and_json() {
    let dir = Scratch::new();
    let book = std::fs::read_to_string(repo_root().join("pricebooks/vmware-vsphere-4.0.toml"))
        .expect("the bundled book");
    let path = dir.write("vsphere.toml", book);
    let note = format!(
        "pricebook vmware-vsphere-4.0 from {} replaces the one from <bundled>",
        arg(&path)
    );
    for args in COMMANDS {
        let extra = ["--pricebook", arg(&path)];
        let v = json(args, &extra);
        assert_eq!(notes(&v).first(), Some(&note.as_str()), "{args:?}: {v}");
        let table = run(args, &extra, "table");
        assert!(
            squeezed(&table).contains(&squeezed(&format!("note: {note}"))),
            "{args:?}:\n{table}"
        );
        // Without the file there is no such note.
        let plain = json(args, &[]);
        assert!(
            !notes(&plain).iter().any(|n| n.contains("replaces")),
            "{args:?}: {plain}"
        );
    }
}

#[test]
fn as_of_moves_every_pricing_commands_purchase_date() {
    let note = format!("priced as of {AS_OF} (--as-of): every scenario as if bought that day");
    let as_of = ["--as-of", AS_OF];
    let quote = json(&["quote"], &as_of);
    let before = json(&["quote"], &[]);
    let totals = |q: &Value| -> Vec<String> {
        q["scenarios"]
            .as_array()
            .expect("scenarios")
            .iter()
            .map(|s| s["total"].as_str().expect("total").to_owned())
            .collect()
    };
    assert_ne!(totals(&quote), totals(&before), "the date changes prices");
    for args in COMMANDS {
        let v = json(args, &as_of);
        assert_eq!(notes(&v).first(), Some(&note.as_str()), "{args:?}: {v}");
        let table = run(args, &as_of, "table");
        assert!(
            squeezed(&table).contains(&squeezed(&format!("note: {note}"))),
            "{args:?}:\n{table}"
        );
    }
    // Each result is priced on that day: its dates where it states them, its totals the
    // quote's as of that day.
    assert!(
        quote["scenarios"]
            .as_array()
            .expect("scenarios")
            .iter()
            .all(|s| s["purchase_date"] == AS_OF),
        "{quote}"
    );
    let explain = json(&["explain"], &as_of);
    assert!(
        explain["scenarios"]
            .as_array()
            .expect("scenarios")
            .iter()
            .all(|s| s["purchase_date"] == AS_OF),
        "{explain}"
    );
    assert_eq!(json(&["cheapest"], &as_of)["purchase_date"], AS_OF);
    assert_ne!(json(&["cheapest"], &[])["purchase_date"], AS_OF);
    let compare = json(&["compare"], &as_of);
    let compared: Vec<String> = compare["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .map(|s| s["total"].as_str().expect("total").to_owned())
        .collect();
    assert_eq!(compared, totals(&quote));
    let sweep = json(&["sweep", "--vary", "prod.hosts=8..8"], &as_of);
    let swept: Vec<String> = sweep["points"][0]["totals"]
        .as_array()
        .expect("totals")
        .iter()
        .map(|t| t["total"].as_str().expect("total").to_owned())
        .collect();
    assert_eq!(swept, totals(&quote), "the example has 8 hosts in prod");
    let sensitivity = json(&["sensitivity"], &as_of);
    let measured = sensitivity["scenario"].as_str().expect("scenario");
    let base = quote["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .find(|s| s["name"] == measured)
        .map(|s| s["total"].clone());
    assert_eq!(Some(sensitivity["base"].clone()), base);
}

//! The what-if commands end to end: `compare`, `sweep`, `sensitivity` — exit codes, tables
//! and JSON, `-o`, standard input, bad input (exit 2 with what is valid), determinism, and
//! the properties: every sweep point equals `quote` of the estate with that change, and a
//! scenario compared with itself has zero deltas.

use std::str::FromStr;

use hypercost_core::analysis::compare::compare;
use hypercost_core::analysis::sweep::SweepPlan;
use hypercost_core::{SourceFile, example_estate, parse_estate, quote};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::Value;

use crate::support::{BOOKS, Scratch, arg, cli, cli_with_stdin, edit};

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(
        v.as_str()
            .unwrap_or_else(|| panic!("a decimal string: {v}")),
    )
    .expect("a decimal")
}

fn json(args: &[&str]) -> Value {
    let run = cli(args);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    serde_json::from_slice(&run.stdout).expect("JSON")
}

/// A perpetual per-socket licence with 20 % support a year, and a per-socket subscription.
const MODELS: &str = r#"format = 1
id = "models"
name = "Two licensing models"
vendor = "acme"
currency = "USD"

[[edition]]
id = "perp"
name = "Perpetual"
metric = { kind = "per-socket" }
term = "perpetual"
price = { amount = "1000.00", source = "test", confidence = "P" }

[[edition]]
id = "sub"
name = "Subscription"
metric = { kind = "per-socket" }
term = "subscription"
price = { amount = "500.00", source = "test", confidence = "P" }

[[support]]
id = "sns"
name = "SnS"
first_year = "optional"
rate = { percent = "20", source = "test", confidence = "P" }
"#;

const MODELS_ESTATE: &str = r#"format = 1
name = "Perpetual or subscription"
currency = "USD"
purchase_date = 2020-01-01
years = 5

[[cluster]]
name = "c"
hosts = 1
sockets_per_host = 2
cores_per_socket = 8

[[scenario]]
name = "Perpetual"
[[scenario.plan]]
cluster = "c"
edition = "models/perp"
support = "sns"

[[scenario]]
name = "Subscription"
[[scenario.plan]]
cluster = "c"
edition = "models/sub"
"#;

/// Enterprise and Enterprise Plus bought new, without a need for the distributed switch.
const CORES_ESTATE: &str = r#"format = 1
name = "Cores"
currency = "USD"
purchase_date = 2009-11-02
years = 1

[[cluster]]
name = "prod"
hosts = 1
sockets_per_host = 2
cores_per_socket = 4
needs = ["live-migration", "ha"]

[[scenario]]
name = "Enterprise"
[[scenario.plan]]
cluster = "prod"
edition = "vmware-vsphere-4.0/enterprise"
support = "production"

[[scenario]]
name = "Enterprise Plus"
[[scenario.plan]]
cluster = "prod"
edition = "vmware-vsphere-4.0/enterprise-plus"
support = "production"
"#;

#[test]
fn compare_states_the_break_even_year_of_a_hand_computed_example() {
    // Perpetual, 1 host × 2 sockets: year 1 = 2 × 1,000.00 licences + 2 × 20 % × 1,000.00 SnS
    //   = 2,400; each later year 400 SnS. Cumulative: 2,400 · 2,800 · 3,200 · 3,600 · 4,000.
    // Subscription: 2 × 500.00 = 1,000 a year: 1,000 · 2,000 · 3,000 · 4,000 · 5,000.
    // Perpetual − Subscription: +1,400 · +800 · +200 · −400: the sign changes in year 4, when
    //   Subscription's 4,000 passes Perpetual's 3,600.
    let dir = Scratch::new();
    let book = dir.write("models.toml", MODELS);
    let estate = dir.write("estate.toml", MODELS_ESTATE);
    let args = ["compare", arg(&estate), "--pricebook", arg(&book)];
    let run = cli(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = run.out();
    assert!(
        out.contains(
            "S2  Subscription's cumulative cost overtakes Perpetual's in year 4: 4,000.00 vs \
             3,600.00"
        ),
        "{out}"
    );
    assert!(out.lines().all(|l| l.chars().count() <= 100), "{out}");
    let mut with_json = args.to_vec();
    with_json.extend(["--format", "json"]);
    let c = json(&with_json);
    assert_eq!(c["command"], "compare");
    assert_eq!(c["baseline"], "Perpetual");
    assert_eq!(c["break_even"][0]["year"], 4);
    assert_eq!(c["break_even"][0]["scenario_cumulative"], "4000.00");
    let sub = &c["scenarios"][1];
    assert_eq!(sub["delta"], "1000.00");
    assert_eq!(sub["delta_percent"], "25");
    assert_eq!(sub["years"][0]["delta"], "-1400.00");
    assert_eq!(sub["years"][0]["delta_percent"], "-58.3");

    // With a 3-year horizon the crossing is out of reach.
    let short = dir.write("short.toml", edit(MODELS_ESTATE, "years = 5", "years = 3"));
    let run = cli(&["compare", arg(&short), "--pricebook", arg(&book)]);
    assert!(run.out().contains(
        "never within 3 years: Subscription stays cheaper than Perpetual (3,000.00 vs 3,200.00"
    ));
}

#[test]
fn compare_the_example_against_each_baseline() {
    let run = cli(&["compare"]);
    assert_eq!(run.code, 0);
    let out = run.out();
    for heading in [
        "── Scenarios",
        "── Cost per year (USD)",
        "── Cumulative cost",
        "── Versus the baseline S1",
        "── Break-even against S1",
    ] {
        assert!(out.contains(heading), "{heading}:\n{out}");
    }
    assert!(
        out.contains("S4  XenServer 5.5 free · NOT COMPLIANT: 2 problems"),
        "{out}"
    );
    let q = quote(
        &parse_estate(&example_estate(), &BOOKS).expect("example"),
        &BOOKS,
    );
    for base in &q.scenarios {
        let c = json(&["compare", "--baseline", &base.name, "--format", "json"]);
        assert_eq!(c["baseline"], base.name.as_str());
        for (s, sq) in c["scenarios"]
            .as_array()
            .expect("scenarios")
            .iter()
            .zip(&q.scenarios)
        {
            assert_eq!(dec(&s["total"]), sq.total);
            let years = s["years"].as_array().expect("years");
            assert_eq!(dec(&years[years.len() - 1]["cumulative"]), sq.total);
            if s["name"] == base.name.as_str() {
                assert_eq!(s["baseline"], true);
                assert_eq!(s["delta"], "0.00");
                assert!(
                    years
                        .iter()
                        .all(|y| y["delta"] == "0.00" && y["cumulative_delta"] == "0.00")
                );
            }
        }
        assert_eq!(
            c["break_even"].as_array().expect("break-even").len(),
            q.scenarios.len() - 1
        );
    }
}

#[test]
fn compare_refuses_an_unknown_baseline() {
    let run = cli(&["compare", "--baseline", "XenServer 5.5 fre"]);
    assert_eq!(run.code, 2);
    // Reported like every input problem, titled by the option it came from.
    let reports = run.reports();
    assert_eq!(reports.len(), 1, "{}", run.stderr);
    assert_eq!(reports[0].field, "--baseline", "{}", run.stderr);
    assert_eq!(reports[0].message, "unknown scenario `XenServer 5.5 fre`");
    assert!(
        reports[0]
            .help
            .starts_with("did you mean `XenServer 5.5 free`? scenarios:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .ends_with("hypercost: 1 problem in --baseline; nothing was written\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn sweep_names_the_crossover_in_words() {
    // ≤ 6 cores: Enterprise 2 × 2,875.00 × 1.25 = 7,187.50 < Enterprise Plus 2 × 3,495.00 ×
    // 1.25 = 8,737.50; 7 cores need 2 Enterprise licences per CPU: 14,375.00. Both add the
    // vCenter Server they require, 4,995 × 1.25 = 6,243.75: 14,981.25 vs 20,618.75.
    let dir = Scratch::new();
    let estate = dir.write("cores.toml", CORES_ESTATE);
    let run = cli(&["sweep", arg(&estate), "--vary", "cores_per_socket=2..12"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = run.out();
    assert!(
        out.contains(
            "above 6 cores per CPU, Enterprise Plus beats Enterprise (14,981.25 vs 20,618.75)"
        ),
        "{out}"
    );
    assert!(out.lines().all(|l| l.chars().count() <= 100), "{out}");
    let s = json(&[
        "sweep",
        arg(&estate),
        "--vary",
        "cores_per_socket=2..12",
        "--format",
        "json",
    ]);
    assert_eq!(s["command"], "sweep");
    assert_eq!(s["dimensions"][0]["field"], "prod.cores_per_socket");
    assert_eq!(s["points"].as_array().expect("points").len(), 11);
    assert_eq!(s["points"][4]["cheapest"], "Enterprise");
    assert_eq!(s["points"][5]["cheapest"], "Enterprise Plus");
    assert_eq!(s["crossovers"][0]["from"], "6");
    assert_eq!(s["crossovers"][0]["to"], "7");

    // A grid: hosts × cores; the table shows the cheapest per cell.
    let run = cli(&[
        "sweep",
        arg(&estate),
        "--vary",
        "hosts=1..4",
        "--vary",
        "cores_per_socket=4..8:2",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = run.out();
    assert!(out.contains("hosts \\ cores_per_socket"), "{out}");
    assert!(out.contains("at 4 hosts: above 6 cores per CPU"), "{out}");
}

#[test]
fn sweep_refuses_bad_fields_and_ranges() {
    let two = edit(
        CORES_ESTATE,
        "[[scenario]]\nname = \"Enterprise\"\n",
        "[[cluster]]\nname = \"dev\"\nhosts = 1\nsockets_per_host = 1\ncores_per_socket = 4\n\n\
         [[scenario]]\nname = \"Enterprise\"\n[[scenario.plan]]\ncluster = \"dev\"\n\
         edition = \"vmware-vsphere-4.0/enterprise\"\nsupport = \"production\"\n",
    );
    let two = edit(
        &two,
        "[[scenario]]\nname = \"Enterprise Plus\"\n",
        "[[scenario]]\nname = \"Enterprise Plus\"\n[[scenario.plan]]\ncluster = \"dev\"\n\
         edition = \"vmware-vsphere-4.0/enterprise-plus\"\nsupport = \"production\"\n",
    );
    let dir = Scratch::new();
    let one = dir.write("one.toml", CORES_ESTATE);
    let two = dir.write("two.toml", two);
    let cases: [(&str, &str, &[&str]); 7] = [
        (
            arg(&one),
            "hostz=1..4",
            &[
                "unknown field `hostz`",
                "did you mean `hosts`? valid fields: hosts, sockets_per_host,",
                "kwh_price",
                "discount.vmware",
            ],
        ),
        (
            arg(&two),
            "hosts=1..4",
            &[
                "`hosts` is a cluster field and the estate has 2 clusters; say which",
                "use CLUSTER.hosts: prod.hosts, dev.hosts",
            ],
        ),
        (
            arg(&one),
            "hosts=1..20000",
            &["the sweep has 20,000 points; at most 10,000 are allowed"],
        ),
        (
            arg(&one),
            "sockets_per_host=1..65",
            &[
                "65 is out of range for prod.sockets_per_host",
                "expected a whole number from 1 to 64",
            ],
        ),
        (
            arg(&one),
            "years=0..3",
            &["0 is out of range for years", "from 1 to 30"],
        ),
        (
            arg(&one),
            "discount.vmwar=0..0.5",
            &["did you mean `vmware`? valid vendors: vmware"],
        ),
        (
            arg(&one),
            "hosts=1..x",
            &["end `x` of prod.hosts is not a number"],
        ),
    ];
    for (estate, vary, expected) in cases {
        let run = cli(&["sweep", estate, "--vary", vary]);
        assert_eq!(run.code, 2, "{vary}: {}", run.stderr);
        assert!(run.stdout.is_empty());
        let err = run.stderr.replace("\n        ", " ");
        for e in expected {
            assert!(
                err.contains(e),
                "{vary}: expected `{e}` in:\n{}",
                run.stderr
            );
        }
    }
    // Without --vary clap refuses (exit 2); the selector works with several clusters.
    assert_eq!(cli(&["sweep", arg(&one)]).code, 2);
    assert_eq!(
        cli(&["sweep", arg(&two), "--vary", "dev.hosts=1..3"]).code,
        0
    );
}

#[test]
fn sensitivity_ranks_the_inputs() {
    let run = cli(&["sensitivity"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = run.out();
    assert!(
        out.contains("── Sensitivity of Enterprise Plus, VMware distributed switch (upgrade)"),
        "{out}"
    );
    assert!(out.lines().all(|l| l.chars().count() <= 100), "{out}");
    let s = json(&["sensitivity", "--format", "json", "--by", "20"]);
    assert_eq!(s["percent"], "20");
    assert_eq!(s["base"], "55641.25", "46,900 + vCenter 8,741.25");
    let inputs = s["inputs"].as_array().expect("inputs");
    let swings: Vec<Decimal> = inputs.iter().map(|i| dec(&i["swing"])).collect();
    assert!(swings.windows(2).all(|w| w[0] >= w[1]), "{swings:?}");
    let names: Vec<&str> = inputs.iter().filter_map(|i| i["input"].as_str()).collect();
    for expected in [
        "prod.hosts",
        "prod.sockets_per_host",
        "vmware-vsphere-4.0/production",
        "vmware-vsphere-4.0/enterprise-to-enterprise-plus",
    ] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    // 8 hosts ± 20 %: 6.4 → 6 and 9.6 → 10.
    let hosts = inputs
        .iter()
        .find(|i| i["input"] == "prod.hosts")
        .expect("hosts");
    assert_eq!((&hosts["low"], &hosts["high"]), (&"6".into(), &"10".into()));

    // The difference of two scenarios: the Nexus 1000V price matters, the shared SnS does not.
    let s = json(&[
        "sensitivity",
        "--scenario",
        "Enterprise Plus + Nexus 1000V (upgrade)",
        "--vs",
        "Enterprise Plus, VMware distributed switch (upgrade)",
        "--format",
        "json",
    ]);
    assert_eq!(s["measure"], "difference");
    assert_eq!(s["base"], "11120.00");
    let nexus = s["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .find(|i| i["input"] == "cisco-nexus-1000v-2009/nexus-1000v")
        .expect("the add-on's price");
    // 16 CPUs × 695.00 × ±10 %: 10,008.00 and 12,232.00.
    assert_eq!(nexus["low_total"], "10008.00");
    assert_eq!(nexus["high_total"], "12232.00");
    assert_eq!(nexus["swing"], "2224.00");

    for bad in [
        &["sensitivity", "--by", "0"][..],
        &["sensitivity", "--by", "150"],
        &["sensitivity", "--by", "ten"],
        &["sensitivity", "--scenario", "nope"],
        &["sensitivity", "--vs", "nope"],
    ] {
        let run = cli(bad);
        assert_eq!(run.code, 2, "{bad:?}");
        assert!(!run.stderr.is_empty());
    }
}

#[test]
fn what_if_output_goes_to_a_file_and_the_estate_comes_from_stdin() {
    let dir = Scratch::new();
    let out = dir.path().join("compare.json");
    let run = cli(&["compare", "--format", "json", "-o", arg(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let written = std::fs::read(&out).expect("written");
    assert_eq!(written, cli(&["compare", "--format", "json"]).stdout);

    let run = cli_with_stdin(
        &["sweep", "-", "--vary", "cores_per_socket=5..7"],
        CORES_ESTATE.as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.out().contains("above 6 cores per CPU"));

    let missing = dir.path().join("missing.toml");
    assert_eq!(cli(&["sensitivity", arg(&missing)]).code, 2);
    let bad = dir.write("bad.toml", edit(CORES_ESTATE, "hosts = 1", "hosts = 0"));
    let run = cli(&["compare", arg(&bad)]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cluster[0].hosts"), "{}", run.stderr);
}

#[test]
fn what_if_output_is_identical_across_runs() {
    for args in [
        &["compare"][..],
        &["compare", "--format", "json"],
        &[
            "sweep",
            "--vary",
            "hosts=4..12",
            "--vary",
            "cores_per_socket=4..8",
        ],
        &["sweep", "--vary", "hosts=4..12", "--format", "json"],
        &["sensitivity"],
        &["sensitivity", "--format", "json"],
    ] {
        let a = cli(args);
        let b = cli(args);
        assert_eq!(a.code, 0, "{args:?}: {}", a.stderr);
        assert_eq!(a.stdout, b.stdout, "{args:?}");
    }
}

/// The example's text with each `key = old` replaced by `key = new`.
fn example_with(changes: &[(&str, u32, u32)]) -> String {
    let mut text = example_estate().text.clone();
    for (key, old, new) in changes {
        text = edit(
            &text,
            &format!("\n{key} = {old}\n"),
            &format!("\n{key} = {new}\n"),
        );
    }
    text
}

/// The example's cluster fields with their values in the file.
const EXAMPLE_FIELDS: [(&str, u32); 5] = [
    ("hosts", 8),
    ("sockets_per_host", 2),
    ("cores_per_socket", 4),
    ("ram_gb_per_host", 64),
    ("vms", 96),
];

/// The TCO case's `[costs]` numbers as written in its file.
const TCO_FIELDS: [(&str, &str, &str); 5] = [
    ("kwh_price", "kwh_price = \"0.10\"", "kwh_price = \"{}\""),
    ("pue", "pue = \"2.0\"", "pue = \"{}\""),
    (
        "admin_per_host_year",
        "admin_per_host_year = \"1000.00\"",
        "admin_per_host_year = \"{}\"",
    ),
    (
        "discount.vmware",
        "vendor_discount = { vmware = \"0.10\" }",
        "vendor_discount = { vmware = \"{}\" }",
    ),
    (
        "escalation_per_year",
        "escalation_per_year = \"0.05\"",
        "escalation_per_year = \"{}\"",
    ),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Every sweep point equals `quote` of the estate file written with that value.
    #[test]
    fn every_sweep_point_is_the_quote_of_the_changed_estate(
        f1 in 0usize..5,
        f2 in 0usize..5,
        from1 in 1u32..40,
        len1 in 0u32..4,
        from2 in 1u32..40,
        len2 in 0u32..3,
        two in any::<bool>(),
    ) {
        let estate = parse_estate(&example_estate(), &BOOKS).expect("example");
        let mut specs = vec![(EXAMPLE_FIELDS[f1], from1, from1 + len1)];
        if two && f2 != f1 {
            specs.push((EXAMPLE_FIELDS[f2], from2, from2 + len2));
        }
        let texts: Vec<String> = specs
            .iter()
            .map(|((key, _), a, b)| format!("{key}={a}..{b}"))
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let plan = SweepPlan::new(&estate, &BOOKS, &refs).expect("a valid sweep");
        let sweep = plan.run(&BOOKS);
        prop_assert_eq!(sweep.points.len(), plan.len());
        for (i, point) in sweep.points.iter().enumerate() {
            let changes: Vec<(&str, u32, u32)> = specs
                .iter()
                .zip(&point.values)
                .map(|(((key, old), _, _), v)| {
                    (*key, *old, v.to_u32().expect("a small whole number"))
                })
                .collect();
            let file = SourceFile::new("changed.toml", example_with(&changes));
            let changed = parse_estate(&file, &BOOKS).expect("the changed estate is valid");
            let q = quote(&changed, &BOOKS);
            let expected: Vec<(String, Decimal, bool)> = q
                .scenarios
                .iter()
                .map(|s| (s.name.clone(), s.total, s.compliant))
                .collect();
            let got: Vec<(String, Decimal, bool)> = point
                .totals
                .iter()
                .map(|t| (t.scenario.to_string(), t.total, t.compliant))
                .collect();
            prop_assert_eq!(got, expected, "point {}", i);
            let best = q.ranking.iter().find(|r| r.compliant).map(|r| r.scenario.clone());
            prop_assert_eq!(point.cheapest.as_deref().map(str::to_owned), best);
        }
    }

    /// Every scenario compared with itself (as the baseline) has zero deltas, and every
    /// other scenario's delta is its total minus the baseline's.
    #[test]
    fn compare_with_itself_has_zero_deltas(
        hosts in 1u32..40,
        cores in 1u32..16,
        base in 0usize..5,
    ) {
        let text = example_with(&[("hosts", 8, hosts), ("cores_per_socket", 4, cores)]);
        let estate = parse_estate(&SourceFile::new("e.toml", text), &BOOKS).expect("valid");
        let q = quote(&estate, &BOOKS);
        let name = q.scenarios[base].name.clone();
        let c = compare(&q, Some(&name)).expect("compare");
        for s in &c.scenarios {
            let own = q.scenarios.iter().find(|x| x.name == s.name).expect("same names");
            prop_assert_eq!(s.delta, own.total - q.scenarios[base].total);
            if s.name == name {
                prop_assert!(s.delta.is_zero());
                prop_assert!(s.years.iter().all(|y| y.delta.is_zero() && y.cumulative_delta.is_zero()));
            }
        }
        prop_assert!(c.break_even.iter().all(|b| b.scenario != name));
    }

    /// Decimal fields too: `[costs]` figures and a negotiated discount, swept in 10 steps.
    #[test]
    fn every_decimal_sweep_point_is_the_quote_of_the_changed_estate(
        f in 0usize..5,
        from in 0u32..40,
        width in 1u32..40,
    ) {
        let text = std::fs::read_to_string(
            crate::support::tests_dir().join("cases/tco-3-year/estate.toml"),
        )
        .expect("the TCO case");
        let estate = parse_estate(&SourceFile::new("tco.toml", text.clone()), &BOOKS).expect("valid");
        let (field, old, new) = TCO_FIELDS[f];
        // pue runs from 1 to 5; the fractions from 0 to 0.8; admin in whole money.
        let (a, b) = match field {
            "pue" => (Decimal::ONE + Decimal::new(i64::from(from), 2), Decimal::ONE + Decimal::new(i64::from(from + width), 2)),
            "admin_per_host_year" => (Decimal::from(from * 50), Decimal::from((from + width) * 50)),
            _ => (Decimal::new(i64::from(from), 2), Decimal::new(i64::from(from + width), 2)),
        };
        let spec = format!("{field}={a}..{b}");
        let plan = SweepPlan::new(&estate, &BOOKS, &[spec.as_str()]).expect("a valid sweep");
        prop_assert_eq!(plan.len(), 11);
        let sweep = plan.run(&BOOKS);
        for point in &sweep.points {
            let changed_text = edit(&text, old, &new.replace("{}", &point.values[0].to_string()));
            let changed = parse_estate(&SourceFile::new("changed.toml", changed_text), &BOOKS)
                .expect("the changed estate is valid");
            let q = quote(&changed, &BOOKS);
            let got: Vec<Decimal> = point.totals.iter().map(|t| t.total).collect();
            let expected: Vec<Decimal> = q.scenarios.iter().map(|s| s.total).collect();
            prop_assert_eq!(got, expected, "{} = {}", field, point.values[0]);
        }
    }
}

/// `uncertainty` end to end: the same seed gives the same bytes in every format, another seed
/// other draws; the golden case's hand-derived percentiles; bad options exit 2.
#[test]
fn uncertainty_is_the_same_for_a_seed_and_refuses_bad_draws() {
    let case = crate::support::tests_dir().join("cases/uncertainty-2026/estate.toml");
    let case = case.to_str().expect("UTF-8");
    for format in ["table", "json", "csv", "md"] {
        let args = [
            "uncertainty",
            case,
            "--draws",
            "400",
            "--seed",
            "9",
            "--format",
            format,
        ];
        let a = cli(&args);
        assert_eq!(a.code, 0, "{}", a.stderr);
        assert_eq!(a.stdout, cli(&args).stdout, "{format}");
    }
    let r = json(&["uncertainty", case, "--format", "json"]);
    assert_eq!((&r["draws"], &r["seed"]), (&10_000.into(), &1.into()));
    let community = &r["scenarios"][0];
    assert_eq!(
        (
            &community["total"]["p10"],
            &community["total"]["p50"],
            &community["total"]["p90"]
        ),
        (&"2664.00".into(), &"2760.00".into(), &"2856.00".into()),
        "24 × 111, 24 × 115, 24 × 119 (NOTES.md)"
    );
    let shares: Vec<Decimal> = r["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .map(|s| dec(&s["p_cheapest"]))
        .collect();
    assert_eq!(shares.iter().sum::<Decimal>(), Decimal::ONE);
    let other = json(&["uncertainty", case, "--format", "json", "--seed", "2"]);
    assert_eq!(
        other["scenarios"][0]["total"], community["total"],
        "percentiles of one price do not depend on the order"
    );
    assert_ne!(
        other["scenarios"][0]["cheapest_draws"],
        community["cheapest_draws"]
    );
    for bad in [
        &["--draws", "0"][..],
        &["--draws", "1000001"],
        &["--seed", "x"],
    ] {
        let mut args = vec!["uncertainty", case];
        args.extend_from_slice(bad);
        let run = cli(&args);
        assert_eq!(run.code, 2, "{bad:?}: {}", run.stderr);
    }
}

/// `--ranges` reaches every front end of a quote: the JSON (valid against the quote schema,
/// equal to `uncertainty`'s figures), the table, `compare`, the HTML report (an error bar per
/// ranked scenario with the JSON's figures, a fan per scenario on the cumulative chart) and
/// the workbook (a *Ranges* sheet with the JSON's figures).
#[test]
fn ranges_reach_the_quote_compare_report_and_workbook() {
    let case = crate::support::tests_dir().join("cases/uncertainty-2026/estate.toml");
    let case = case.to_str().expect("UTF-8");
    let flags = ["--ranges", "--draws", "2000", "--seed", "4"];
    let mut args = vec!["quote", case, "--format", "json"];
    args.extend(flags);
    let run = cli(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    crate::cli::check_quote_json(&run.stdout);
    let q: Value = serde_json::from_slice(&run.stdout).expect("JSON");
    assert_eq!(q["draws"]["draws"], 2000);
    let u = json(&[
        "uncertainty",
        case,
        "--format",
        "json",
        "--draws",
        "2000",
        "--seed",
        "4",
    ]);
    for (s, us) in q["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .zip(u["scenarios"].as_array().expect("scenarios"))
    {
        assert_eq!(s["range"]["total"], us["total"], "{}", s["name"]);
        assert_eq!(s["range"]["p_cheapest"], us["p_cheapest"]);
        assert_eq!(s["range"]["cumulative"].as_array().map(Vec::len), Some(3));
        assert_eq!(
            s["range"]["cumulative"][2], s["range"]["total"],
            "the last year's cumulative is the total"
        );
    }
    let plain = cli(&["quote", case, "--format", "json"]);
    let plain: Value = serde_json::from_slice(&plain.stdout).expect("JSON");
    assert!(plain.get("draws").is_none() && plain["scenarios"][0].get("range").is_none());

    let mut args = vec!["quote", case];
    args.extend(flags);
    let table = cli(&args).out();
    assert!(
        table.contains("P10–P90: 2,664.00 – 2,856.00 · P50 2,760.00"),
        "{table}"
    );
    // The ranking states each total's range under its row too.
    let ranking = table
        .split("── Scenarios ranked")
        .nth(1)
        .expect("the ranking");
    let rows: Vec<&str> = ranking.lines().skip(2).take(4).collect();
    for (row, range) in rows.chunks(2).map(|p| (p[0], p[1])) {
        assert!(row.trim_start().starts_with(char::is_numeric), "{row}");
        assert!(range.trim_start().starts_with("P10–P90: "), "{range}");
    }

    let mut args = vec!["compare", case, "--format", "json"];
    args.extend(flags);
    let c = json(&args);
    assert_eq!(
        c["scenarios"][1]["range"]["total"],
        u["scenarios"][1]["total"]
    );

    let mut args = vec!["quote", case, "--format", "html"];
    args.extend(flags);
    let html = cli(&args).out();
    assert_eq!(
        html.matches("class=\"hc-errorbar\"").count(),
        2,
        "one per ranked scenario"
    );
    assert_eq!(
        html.matches("class=\"hc-fan\"").count(),
        2,
        "one per scenario"
    );
    let p10 = u["scenarios"][0]["total"]["p10"].as_str().expect("p10");
    assert!(html.contains(&format!("data-p10=\"{p10}\"")), "{p10}");

    let dir = Scratch::new();
    let out = dir.path().join("q.xlsx");
    let mut args = vec!["quote", case, "-o", arg(&out)];
    args.extend(flags);
    assert_eq!(cli(&args).code, 0);
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).expect("workbook");
    use calamine::Reader as _;
    let sheet = wb.worksheet_range("Ranges").expect("a Ranges sheet");
    let row = sheet
        .rows()
        .find(|r| r.first().is_some_and(|c| *c == "Proxmox VE Basic"))
        .expect("Basic's row");
    let p50: Decimal = row[3].to_string().parse().expect("a number");
    assert_eq!(p50, dec(&u["scenarios"][1]["total"]["p50"]));
}

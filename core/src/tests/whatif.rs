//! The what-if commands with the arithmetic by hand: estate fields by name, `compare` with
//! its break-even years, `sweep` with its crossovers, `sensitivity` with its ranking.

use super::*;
use crate::analysis::compare::compare;
use crate::analysis::sensitivity::{InputKind, Options, sensitivity};
use crate::analysis::sweep::SweepPlan;
use crate::diag::{Diagnostic, Diagnostics};
use crate::estate::{Estate, Field};
use crate::render::{Format, Report};

/// The one problem a refused what-if input reports.
fn one(d: Diagnostics) -> Diagnostic {
    assert_eq!(d.0.len(), 1, "{d}");
    d.0.into_iter().next().expect("one problem")
}

/// A perpetual per-socket edition at 1,000.00 with 20 % support per year, and per-socket
/// subscriptions at 500.00 and 450.00 per year.
fn two_models() -> PricebookSet {
    book(
        r#"
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

[[edition]]
id = "sub450"
name = "Subscription 450"
metric = { kind = "per-socket" }
term = "subscription"
price = { amount = "450.00", source = "test", confidence = "P" }

[[support]]
id = "sns"
name = "SnS"
first_year = "optional"
rate = { percent = "20", source = "test", confidence = "P" }
"#,
    )
}

/// One host with 2 sockets over `years`, one scenario per (name, plan) pair.
fn estate_text(years: u32, cluster: &str, scenarios: &[(&str, &str)]) -> String {
    let mut t = format!(
        "format = 1\nname = \"models\"\ncurrency = \"USD\"\npurchase_date = 2020-01-01\n\
         years = {years}\n\n[[cluster]]\nname = \"c\"\n{cluster}\n"
    );
    for (name, plan) in scenarios {
        t.push_str(&format!(
            "\n[[scenario]]\nname = \"{name}\"\n[[scenario.plan]]\ncluster = \"c\"\n{plan}\n"
        ));
    }
    t
}

const ONE_HOST: &str = "hosts = 1\nsockets_per_host = 2\ncores_per_socket = 4";
const PERP: (&str, &str) = ("Perpetual", "edition = \"t/perp\"\nsupport = \"sns\"");
const SUB: (&str, &str) = ("Subscription", "edition = \"t/sub\"");
const SUB450: (&str, &str) = ("Subscription 450", "edition = \"t/sub450\"");

fn parsed(books: &PricebookSet, text: &str) -> Estate {
    match parse_estate(&SourceFile::new("estate.toml", text), books) {
        Ok(e) => e,
        Err(d) => panic!("estate invalid:\n{d}\n{text}"),
    }
}

#[test]
fn break_even_year_by_hand() {
    // Perpetual: year 1 = 2 sockets × 1,000.00 + SnS 2 × 20 % × 1,000.00 = 2,000 + 400 = 2,400;
    //   years 2–5: SnS 400 each. Cumulative: 2,400 · 2,800 · 3,200 · 3,600 · 4,000.
    // Subscription: 2 × 500.00 = 1,000 a year. Cumulative: 1,000 · 2,000 · 3,000 · 4,000 · 5,000.
    // Perpetual − Subscription: +1,400 · +800 · +200 · −400 · −1,000: the sign first differs
    //   from year 1's in year 4, where Subscription (cheaper after year 1) costs 4,000 > 3,600.
    // Subscription 450: 900 a year: 900 · 1,800 · 2,700 · 3,600 · 4,500; the difference is
    //   +1,500 · +1,000 · +500 · 0: equal in year 4 (the sign is no longer +), so year 4 too.
    let books = two_models();
    let q = quote_of(&books, &estate_text(5, ONE_HOST, &[PERP, SUB, SUB450]));
    let c = compare(&q, None).expect("compare");
    assert_eq!(c.baseline, "Perpetual");
    let cum: Vec<Decimal> = c.scenarios[0].years.iter().map(|y| y.cumulative).collect();
    assert_eq!(
        cum,
        ["2400", "2800", "3200", "3600", "4000"].map(dec).to_vec()
    );
    let sub = &c.break_even[0];
    assert_eq!(sub.year, Some(4));
    assert_eq!(
        sub.text,
        "Subscription's cumulative cost overtakes Perpetual's in year 4: 4,000.00 vs 3,600.00"
    );
    let sub450 = &c.break_even[1];
    assert_eq!(sub450.year, Some(4));
    assert_eq!(
        sub450.text,
        "Subscription 450's cumulative cost catches up with Perpetual's in year 4: 3,600.00 \
         vs 3,600.00"
    );
    // Deltas: Subscription − Perpetual in year 1 = 1,000 − 2,400 = −1,400 (−58.3 %); over five
    // years 5,000 − 4,000 = +1,000 (+25.0 %).
    let s = &c.scenarios[1];
    assert_eq!(s.years[0].delta, dec("-1400"));
    assert_eq!(s.years[0].delta_percent, Some(dec("-58.3")));
    assert_eq!(s.delta, dec("1000"));
    assert_eq!(s.delta_percent, Some(dec("25.0")));
    assert_eq!(s.years[3].cumulative_delta, dec("400"));

    // The same pair from Subscription's side: Subscription is cheaper after year 1, so it is
    // still the one that overtakes, in the same year, in the same words.
    let c = compare(&q, Some("Subscription")).expect("compare");
    assert_eq!(c.break_even[0].scenario, "Perpetual");
    assert_eq!(c.break_even[0].year, Some(4));
    assert_eq!(c.break_even[0].text, sub.text);
}

#[test]
fn never_within_the_horizon() {
    // Over 3 years Subscription stays below Perpetual: 3,000 vs 3,200 after year 3.
    let books = two_models();
    let q = quote_of(&books, &estate_text(3, ONE_HOST, &[PERP, SUB]));
    let c = compare(&q, None).expect("compare");
    assert_eq!(c.break_even[0].year, None);
    assert_eq!(
        c.break_even[0].text,
        "never within 3 years: Subscription stays cheaper than Perpetual (3,000.00 vs 3,200.00 \
         after year 3)"
    );
    let table = String::from_utf8(c.render(Format::Table).unwrap()).expect("UTF-8");
    assert!(table.contains("never within 3 years"), "{table}");
    assert!(table.lines().all(|l| l.chars().count() <= 100), "{table}");
}

#[test]
fn a_scenario_against_itself_has_zero_deltas() {
    let books = two_models();
    let same = ("Perpetual again", PERP.1);
    let q = quote_of(&books, &estate_text(4, ONE_HOST, &[PERP, same, SUB]));
    let c = compare(&q, Some("Perpetual")).expect("compare");
    for s in &c.scenarios[..2] {
        assert_eq!(s.delta, Decimal::ZERO);
        assert_eq!(s.delta_percent, Some(Decimal::ZERO));
        assert!(
            s.years
                .iter()
                .all(|y| y.delta.is_zero() && y.cumulative_delta.is_zero())
        );
    }
    assert!(c.scenarios[0].baseline && !c.scenarios[1].baseline);
    assert_eq!(c.break_even[0].year, None);
    assert_eq!(
        c.break_even[0].text,
        "never within 4 years: Perpetual again and Perpetual cost the same every year (3,600.00 \
         after year 4)"
    );
}

#[test]
fn an_unknown_baseline_is_named_with_the_scenarios() {
    let books = two_models();
    let q = quote_of(&books, &estate_text(3, ONE_HOST, &[PERP, SUB]));
    let e = compare(&q, Some("Subscriptoin"))
        .map_err(one)
        .expect_err("unknown");
    assert_eq!(e.message, "unknown scenario `Subscriptoin`");
    assert_eq!(
        e.help.as_deref(),
        Some("did you mean `Subscription`? scenarios: `Perpetual`, `Subscription`")
    );
}

#[test]
fn fields_parse_read_and_set_with_the_readers_ranges() {
    let books = two_models();
    let mut e = parsed(&books, &estate_text(3, ONE_HOST, &[PERP]));
    let hosts = Field::parse("hosts", &e, &books).expect("hosts");
    assert_eq!(hosts.name(&e), "c.hosts");
    assert_eq!(hosts.get(&e), Some(dec("1")));
    hosts.set(&mut e, dec("5")).expect("5 hosts");
    assert_eq!(e.clusters[0].hosts, 5);
    assert_eq!(
        Field::parse("c.hosts", &e, &books).expect("selector"),
        hosts
    );

    let err = hosts
        .set(&mut e, Decimal::ZERO)
        .map_err(one)
        .expect_err("0 hosts");
    assert_eq!(err.message, "0 is out of range for c.hosts");
    assert_eq!(
        err.help.as_deref(),
        Some("expected a whole number from 1 to 1000000")
    );
    let cores = Field::parse("cores_per_socket", &e, &books).expect("cores");
    assert!(cores.set(&mut e, dec("1025")).is_err());
    assert!(cores.set(&mut e, dec("2.5")).is_err(), "whole numbers only");
    assert!(Field::Years.set(&mut e, dec("31")).is_err());

    // A [costs] field on an estate without [costs] creates the block.
    assert!(e.costs.is_none());
    let kwh = Field::parse("kwh_price", &e, &books).expect("kwh");
    assert_eq!(
        kwh,
        Field::parse("costs.kwh_price", &e, &books).expect("kwh")
    );
    assert_eq!(kwh.get(&e), None);
    kwh.set(&mut e, dec("0.12")).expect("set");
    assert_eq!(
        e.costs.as_ref().and_then(|c| c.kwh_price),
        Some(dec("0.12"))
    );
    let pue = Field::parse("pue", &e, &books).expect("pue");
    assert_eq!(
        pue.set(&mut e, dec("0.5"))
            .map_err(one)
            .expect_err("pue < 1")
            .help
            .as_deref(),
        Some("expected a number from 1 to 5")
    );

    // Negotiated discounts: vendors of the books the plans use; a fraction below 1.
    let d = Field::parse("discount.acme", &e, &books).expect("vendor");
    assert!(d.set(&mut e, Decimal::ONE).is_err());
    d.set(&mut e, dec("0.15")).expect("15 %");
    let err = Field::parse("discount.acne", &e, &books)
        .map_err(one)
        .expect_err("typo");
    assert_eq!(
        err.help.as_deref(),
        Some("did you mean `acme`? valid vendors: acme")
    );

    let err = Field::parse("hostz", &e, &books)
        .map_err(one)
        .expect_err("typo");
    assert_eq!(err.message, "unknown field `hostz`");
    let help = err.help.unwrap_or_default();
    assert!(
        help.starts_with("did you mean `hosts`? valid fields: hosts, "),
        "{help}"
    );
    assert!(
        help.contains("kwh_price") && help.contains("discount.acme"),
        "{help}"
    );
}

#[test]
fn several_clusters_need_a_selector() {
    let books = two_models();
    let text = "format = 1\nname = \"two\"\ncurrency = \"USD\"\npurchase_date = 2020-01-01\n\
                years = 1\n\n[[cluster]]\nname = \"prod\"\nhosts = 2\nsockets_per_host = 2\n\
                cores_per_socket = 4\n\n[[cluster]]\nname = \"dev\"\nhosts = 1\n\
                sockets_per_host = 1\ncores_per_socket = 4\n\n[[scenario]]\nname = \"s\"\n\
                [[scenario.plan]]\ncluster = \"prod\"\nedition = \"t/sub\"\n\
                [[scenario.plan]]\ncluster = \"dev\"\nedition = \"t/sub\"\n";
    let e = parsed(&books, text);
    let err = Field::parse("hosts", &e, &books)
        .map_err(one)
        .expect_err("ambiguous");
    assert_eq!(
        err.message,
        "`hosts` is a cluster field and the estate has 2 clusters; say which"
    );
    assert_eq!(
        err.help.as_deref(),
        Some("use CLUSTER.hosts: prod.hosts, dev.hosts")
    );
    let dev = Field::parse("dev.hosts", &e, &books).expect("dev");
    assert_eq!(dev.get(&e), Some(Decimal::ONE));
    assert_eq!(dev.describe(dec("3"), &e), "3 hosts in dev");
    let err = Field::parse("test.hosts", &e, &books)
        .map_err(one)
        .expect_err("no such cluster");
    assert_eq!(err.message, "unknown cluster `test`");
    let err = Field::parse("dev.hostz", &e, &books)
        .map_err(one)
        .expect_err("no such field");
    assert_eq!(
        err.help.unwrap_or_default().split('?').next(),
        Some("did you mean `hosts`")
    );
}

/// Enterprise (6-core cap, 2,875.00) and Enterprise Plus (12-core cap, 3,495.00) bought new
/// with 25 % SnS, one host with two CPUs, one year.
fn vsphere_estate(books: &PricebookSet) -> Estate {
    let text = "format = 1\nname = \"cores\"\ncurrency = \"USD\"\npurchase_date = 2009-11-02\n\
                years = 1\n\n[[cluster]]\nname = \"prod\"\nhosts = 1\nsockets_per_host = 2\n\
                cores_per_socket = 4\nneeds = [\"live-migration\", \"ha\"]\n\n\
                [[scenario]]\nname = \"Enterprise\"\n[[scenario.plan]]\ncluster = \"prod\"\n\
                edition = \"vmware-vsphere-4.0/enterprise\"\nsupport = \"production\"\n\n\
                [[scenario]]\nname = \"Enterprise Plus\"\n[[scenario.plan]]\ncluster = \"prod\"\n\
                edition = \"vmware-vsphere-4.0/enterprise-plus\"\nsupport = \"production\"\n";
    parsed(books, text)
}

#[test]
fn sweep_finds_where_the_cheapest_changes() {
    // Up to 6 cores: Enterprise = 2 CPUs × 2,875.00 + 25 % SnS = 5,750 + 1,437.50 = 7,187.50;
    //   Enterprise Plus = 2 × 3,495.00 × 1.25 = 8,737.50. Enterprise is cheaper.
    // From 7 cores each CPU needs ceil(7 / 6) = 2 Enterprise licences: 4 × 2,875 × 1.25 =
    //   14,375.00, while Enterprise Plus (12-core cap) stays at 8,737.50.
    // Both buy the vCenter Server the per-CPU editions require: 4,995 × 1.25 = 6,243.75.
    let books = PricebookSet::bundled().expect("bundled");
    let e = vsphere_estate(&books);
    let plan = SweepPlan::new(&e, &books, &["cores_per_socket=4..12"]).expect("plan");
    assert_eq!(plan.len(), 9);
    let s = plan.run(&books);
    assert_eq!(s.points[2].cheapest.as_deref(), Some("Enterprise"));
    assert_eq!(
        s.points[2].cheapest_total,
        Some(dec("7187.50") + vcenter(1))
    );
    assert_eq!(s.points[3].totals[0].total, dec("14375.00") + vcenter(1));
    assert_eq!(s.points[3].cheapest.as_deref(), Some("Enterprise Plus"));
    assert_eq!(s.crossovers.len(), 1);
    assert_eq!(
        s.crossovers[0].text,
        "above 6 cores per CPU, Enterprise Plus beats Enterprise (14,981.25 vs 20,618.75)"
    );
    // Every point is the quote of the estate with that change.
    for i in 0..plan.len() {
        let mut changed = e.clone();
        changed.clusters[0].cores_per_socket = 4 + i as u32;
        let q = quote(&changed, &books);
        let totals: Vec<Decimal> = q.scenarios.iter().map(|x| x.total).collect();
        let point: Vec<Decimal> = s.points[i].totals.iter().map(|t| t.total).collect();
        assert_eq!(point, totals, "point {i}");
    }
    let table = String::from_utf8(s.render(Format::Table).unwrap()).expect("UTF-8");
    assert!(table.contains("above 6 cores per CPU"), "{table}");
    assert!(table.lines().all(|l| l.chars().count() <= 100), "{table}");
}

#[test]
fn a_two_dimensional_sweep_has_crossovers_along_both_dimensions() {
    // hosts 1..2 × cores 6..7: the change from Enterprise to Enterprise Plus happens between
    // 6 and 7 cores at each host count; along hosts nothing changes. Each total includes the
    // vCenter Server both editions require (6,243.75 for one year).
    let books = PricebookSet::bundled().expect("bundled");
    let e = vsphere_estate(&books);
    let plan = SweepPlan::new(&e, &books, &["hosts=1..2", "cores_per_socket=6..7"]).expect("plan");
    assert_eq!(plan.len(), 4);
    assert_eq!(plan.values_at(1), vec![dec("1"), dec("7")]);
    assert_eq!(plan.values_at(2), vec![dec("2"), dec("6")]);
    let s = plan.run(&books);
    let texts: Vec<&str> = s.crossovers.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts,
        vec![
            "at 1 host: above 6 cores per CPU, Enterprise Plus beats Enterprise (14,981.25 vs \
             20,618.75)",
            "at 2 hosts: above 6 cores per CPU, Enterprise Plus beats Enterprise (23,718.75 vs \
             34,993.75)",
        ]
    );
    let table = String::from_utf8(s.render(Format::Table).unwrap()).expect("UTF-8");
    assert!(table.contains("hosts \\ cores_per_socket"), "{table}");
}

#[test]
fn sweep_ranges_are_checked() {
    let books = PricebookSet::bundled().expect("bundled");
    let e = vsphere_estate(&books);
    let err = |specs: &[&str]| {
        SweepPlan::new(&e, &books, specs)
            .map_err(one)
            .expect_err("refused")
    };
    assert_eq!(
        err(&["hosts=1..20000"]).message,
        "the sweep has 20,000 points; at most 10,000 are allowed"
    );
    assert_eq!(
        err(&["hosts=1..200", "cores_per_socket=1..100"]).message,
        "the sweep has 20,000 points; at most 10,000 are allowed"
    );
    assert_eq!(
        err(&["hosts=0..4"]).message,
        "0 is out of range for prod.hosts"
    );
    assert_eq!(
        err(&["hosts=4..2"]).message,
        "prod.hosts=4..2: the start 4 is above the end 2"
    );
    assert!(err(&["hosts=1..4:0.5"]).message.contains("whole"));
    assert!(err(&["hosts"]).message.contains("no `=`"));
    assert!(
        err(&["hosts=1..4", "hosts=2..3"])
            .message
            .contains("varied twice")
    );
    assert!(
        err(&["hosts=1..2", "years=1..2", "vms=1..2"])
            .message
            .contains("not 3")
    );
    // Decimals take 10 steps by default: 0.05, 0.07, …, 0.25 is 11 values.
    let plan = SweepPlan::new(&e, &books, &["kwh_price=0.05..0.25"]).expect("kwh");
    assert_eq!(plan.dimensions()[0].step, dec("0.02"));
    assert_eq!(plan.len(), 11);
    assert_eq!(plan.dimensions()[0].values[10], dec("0.25"));
}

#[test]
fn sensitivity_ranks_inputs_by_swing() {
    // Perpetual over 3 years: total = 2 sockets × p + 3 years × 2 × 20 % × p = 3.2 p = 3,200.
    // hosts 1: −10 % rounds to 1, at least −1 → 0, below the minimum 1 → stays 1 (3,200);
    //   +10 % rounds to 1, at least +1 → 2 hosts: 6,400. Swing 3,200.
    // sockets 2 → 1 and 3: 1,600 and 4,800. Swing 3,200 (a tie: hosts comes first).
    // price 1,000 → 900 and 1,100: 3.2 × 900 = 2,880, 3.2 × 1,100 = 3,520. Swing 640.
    // SnS 20 % → 18 % and 22 %: 2,000 + 6 × 1,000 × 0.18 = 3,080, + 6 × 220 = 3,320. Swing 240.
    // cores 4 → 3 and 5: per-socket, no cap: no change.
    let books = two_models();
    let e = parsed(&books, &estate_text(3, ONE_HOST, &[PERP, SUB]));
    let options = Options {
        scenario: Some("Perpetual".into()),
        ..Options::default()
    };
    let s = sensitivity(&e, &books, &options).expect("sensitivity");
    assert_eq!(s.base, dec("3200"));
    let ranked: Vec<(&str, Decimal)> = s
        .inputs
        .iter()
        .map(|i| (i.input.as_str(), i.swing))
        .collect();
    assert_eq!(
        ranked,
        vec![
            ("c.hosts", dec("3200")),
            ("c.sockets_per_host", dec("3200")),
            ("t/perp", dec("640")),
            ("t/sns", dec("240")),
            ("c.cores_per_socket", dec("0")),
        ]
    );
    let hosts = &s.inputs[0];
    assert_eq!((hosts.low, hosts.high), (dec("1"), dec("2")));
    assert_eq!(
        (hosts.low_total, hosts.high_total),
        (dec("3200"), dec("6400"))
    );
    assert_eq!(s.inputs[2].kind, InputKind::Price);
    assert_eq!(
        (s.inputs[2].low, s.inputs[2].high),
        (dec("900"), dec("1100"))
    );
    assert_eq!(s.inputs[3].unit.as_deref(), Some("%"));

    // Against Subscription (3 × 2 × 500 = 3,000): the difference is 200.
    // perp price: 2,880 − 3,000 = −120 and 3,520 − 3,000 = 520: swing 640.
    // sub price 450 and 550: 3,200 − 2,700 = 500 and 3,200 − 3,300 = −100: swing 600.
    // SnS: 80 and 320: swing 240. hosts: 1 host 200, 2 hosts 400: swing 200; sockets 100 and 300.
    let options = Options {
        scenario: Some("Perpetual".into()),
        vs: Some("Subscription".into()),
        ..Options::default()
    };
    let s = sensitivity(&e, &books, &options).expect("sensitivity");
    assert_eq!(s.base, dec("200"));
    assert_eq!(s.measure, "difference");
    let ranked: Vec<(&str, Decimal)> = s
        .inputs
        .iter()
        .map(|i| (i.input.as_str(), i.swing))
        .collect();
    assert_eq!(
        ranked,
        vec![
            ("t/perp", dec("640")),
            ("t/sub", dec("600")),
            ("t/sns", dec("240")),
            ("c.hosts", dec("200")),
            ("c.sockets_per_host", dec("200")),
            ("c.cores_per_socket", dec("0")),
        ]
    );
    let table = String::from_utf8(s.render(Format::Table).unwrap()).expect("UTF-8");
    assert!(table.lines().all(|l| l.chars().count() <= 100), "{table}");
    assert!(table.contains("Perpetual − Subscription"), "{table}");
}

#[test]
fn sensitivity_refuses_bad_options() {
    let books = two_models();
    let e = parsed(&books, &estate_text(3, ONE_HOST, &[PERP, SUB]));
    let run = |scenario: Option<&str>, vs: Option<&str>, percent: &str| {
        sensitivity(
            &e,
            &books,
            &Options {
                scenario: scenario.map(str::to_owned),
                vs: vs.map(str::to_owned),
                percent: dec(percent),
            },
        )
    };
    assert!(run(Some("Perpetual"), None, "0").is_err());
    assert!(run(Some("Perpetual"), None, "101").is_err());
    assert!(run(Some("Perpetual"), Some("Perpetual"), "10").is_err());
    assert_eq!(
        run(Some("perpetual"), None, "10")
            .map_err(one)
            .expect_err("case")
            .message,
        "unknown scenario `perpetual`"
    );
    // Without --scenario: the best-ranked one (Subscription, 3,000 < 3,200), said in a note.
    let s = run(None, None, "10").expect("default");
    assert_eq!(s.scenario, "Subscription");
    assert!(s.notes[0].contains("best-ranked"));
}

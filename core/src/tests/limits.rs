//! Extreme but valid input (issue 13): a count that would outgrow its declared range over the
//! horizon is refused by name and year, never clamped and never a panic; in a what-if it is
//! an error naming the point.

use super::*;
use crate::analysis::sensitivity::{Options, sensitivity};
use crate::analysis::sweep::SweepPlan;
use crate::diag::Diagnostics;
use crate::estate::{Estate, Field};

/// A per-VM edition at 10.00.
fn per_vm() -> PricebookSet {
    book(
        r#"
[[edition]]
id = "vm"
name = "Per VM"
metric = { kind = "per-vm" }
term = "perpetual"
price = { amount = "10.00", source = "test", confidence = "P" }
"#,
    )
}

fn growing(growth: &str, years: u32, vms: u32, extra: &str) -> String {
    estate(
        "2020-01-01",
        &format!("hosts = 2\nsockets_per_host = 2\ncores_per_socket = 8\nvms = {vms}"),
        &format!("[costs]\nvm_growth_per_year = {growth}\n{extra}"),
        "edition = \"t/vm\"",
    )
    .replace("years = 3", &format!("years = {years}"))
}

fn refused(books: &PricebookSet, text: &str) -> Diagnostics {
    match parse_estate(&SourceFile::new("estate.toml", text), books) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(d) => d,
    }
}

#[test]
fn growth_beyond_the_vms_a_cluster_may_state_is_refused_at_the_growth_with_its_year() {
    let books = per_vm();
    // 10 a year (×11) over 30 years: the case that overflowed Decimal and panicked.
    let text = growing("10", 30, 100, "");
    let d = refused(&books, &text);
    assert_eq!(d.0.len(), 1, "{d}");
    let p = &d.0[0];
    assert_eq!(p.field, "costs.vm_growth_per_year");
    assert_eq!(
        p.line,
        text.lines()
            .position(|l| l.starts_with("vm_growth"))
            .unwrap()
            + 1
    );
    // 100 × 11^6 = 177,156,100 in year 7: the first year over 100,000,000.
    assert!(
        p.message.contains("177,156,100 VMs in year 7")
            && p.message.contains("more than the 100,000,000"),
        "{}",
        p.message
    );
    // Just within: 100 × 11^5 = 16,105,100 VMs in year 6 is priced.
    let q = quote_of(&books, &growing("10", 6, 100, ""));
    assert_eq!(only(&q).years.len(), 6);
    assert!(only(&q).compliant);
}

#[test]
fn hosts_added_by_density_beyond_the_hosts_a_cluster_may_state_are_refused() {
    let books = per_vm();
    // 50,000,000 VMs at 10 per host need 5,000,000 hosts in year 1: it was clamped to u32 and
    // called compliant before.
    let text = growing("0", 3, 50_000_000, "vms_per_host = 10");
    let d = refused(&books, &text);
    assert_eq!(d.0.len(), 1, "{d}");
    assert_eq!(d.0[0].field, "costs.vms_per_host");
    assert!(
        d.0[0].message.contains("5,000,000 hosts in year 1")
            && d.0[0].message.contains("1,000,000"),
        "{}",
        d.0[0].message
    );
}

#[test]
fn an_estate_built_without_the_reader_is_not_compliant_rather_than_clamped() {
    let books = per_vm();
    let mut e: Estate =
        parse_estate(&SourceFile::new("e", growing("0", 30, 100, "")), &books).expect("valid");
    e.costs.as_mut().expect("costs").vm_growth_per_year = Some(dec("10"));
    let q = quote(&e, &books);
    let s = only(&q);
    assert!(!s.compliant);
    assert_eq!(codes(s), vec![ProblemCode::OutOfRange]);
}

#[test]
fn what_ifs_refuse_a_point_that_outgrows_a_range_and_name_it() {
    let books = per_vm();
    let e = parse_estate(&SourceFile::new("e", growing("0.5", 10, 1, "")), &books).expect("valid");
    // Each value is within its field's range; 10 a year over 30 years is not.
    let err = SweepPlan::new(
        &e,
        &books,
        &["vm_growth_per_year=0..10:5", "years=1..30:29"],
    )
    .expect_err("refused");
    assert_eq!(err.0.len(), 1, "{err}");
    assert!(
        err.0[0]
            .message
            .starts_with("at the point costs.vm_growth_per_year = 5, years = 30: cluster `c`"),
        "{}",
        err.0[0].message
    );
    // Setting one field checks the whole estate.
    let mut changed = e.clone();
    let years = Field::parse("years", &e, &books).expect("field");
    assert!(years.set(&mut changed, dec("30")).is_ok());
    let growth = Field::parse("vm_growth_per_year", &e, &books).expect("field");
    let d = growth.set(&mut changed, dec("10")).expect_err("refused");
    assert_eq!(d.0[0].field, "costs.vm_growth_per_year");
    // Sensitivity: +100 % of 5 a year over 30 years is refused by name, not measured as 0.
    let mut big = e.clone();
    big.years = 12;
    big.costs.as_mut().expect("costs").vm_growth_per_year = Some(dec("4"));
    let d = sensitivity(
        &big,
        &books,
        &Options {
            percent: dec("100"),
            ..Options::default()
        },
    )
    .expect_err("refused");
    assert!(
        d.0[0]
            .message
            .starts_with("at costs.vm_growth_per_year = 8: "),
        "{}",
        d.0[0].message
    );
}

/// The edges of one declared field: its lowest and highest allowed values (an open end moved
/// inside by one unit of its last digit); an unbounded field gets a large and the largest
/// Decimal.
fn edges(b: crate::estate::Bounds) -> Vec<Decimal> {
    let step = if b.integer {
        Decimal::ONE
    } else {
        dec("0.001")
    };
    let low = if b.low_open { b.low + step } else { b.low };
    let high = match b.high {
        Some(h) if b.high_open => vec![h - step],
        Some(h) => vec![h],
        None => vec![dec("1000000000000000"), Decimal::MAX],
    };
    std::iter::once(low).chain(high).collect()
}

/// Every declared numeric input of the example estate (from the declaration, never a hand
/// list), with `[costs]` given so that every opex line is priced.
fn every_field() -> (Estate, PricebookSet, Vec<Field>) {
    let books = PricebookSet::bundled().expect("bundled");
    let mut e = parse_estate(&crate::example_estate(), &books).expect("example");
    e.clusters[0].windows_vms = Some(40);
    e.clusters[0].vm_ram_gb = Some(dec("4"));
    let mut fields = vec![Field::Years];
    fields.extend(
        crate::estate::ClusterField::ALL
            .iter()
            .map(|&field| Field::Cluster { cluster: 0, field }),
    );
    fields.extend(
        crate::estate::CostField::ALL
            .iter()
            .map(|&f| Field::Cost(f)),
    );
    fields.push(Field::Discount("vmware".into()));
    for f in &fields {
        if f.get(&e).is_none() {
            let b = f.bounds();
            let typical = edges(b)[0].max(Decimal::ONE).min(edges(b)[1]);
            f.set(&mut e, typical).expect("a typical value");
        }
    }
    (e, books, fields)
}

/// Quotes `e` and checks what every quote promises: totals are the sums of their lines and
/// years. A refused value must name a field.
fn quote_or_refusal(e: &Estate, books: &PricebookSet, set: Result<(), Diagnostics>, what: &str) {
    match set {
        Ok(()) => {
            let q = quote(e, books);
            for s in &q.scenarios {
                let lines: Decimal = s.lines.iter().map(|l| l.amount).sum();
                assert_eq!(s.total, lines, "{what}: total = Σ lines in {}", s.name);
                let years: Decimal = s.years.iter().map(|y| y.total).sum();
                assert_eq!(s.total, years, "{what}: total = Σ years in {}", s.name);
            }
        }
        Err(d) => {
            assert!(!d.0.is_empty(), "{what}: a refusal says why");
            for p in &d.0 {
                assert!(!p.field.is_empty() && !p.message.is_empty(), "{what}: {p}");
            }
        }
    }
}

#[test]
fn every_input_at_each_edge_of_its_range_quotes_or_is_refused_by_name() {
    let (base, books, fields) = every_field();
    for f in &fields {
        for v in edges(f.bounds()) {
            let mut e = base.clone();
            let what = format!("{} = {v}", f.name(&base));
            let set = f.set(&mut e, v);
            quote_or_refusal(&e, &books, set, &what);
        }
    }
}

#[test]
fn every_pair_of_inputs_at_their_highest_quotes_or_is_refused_by_name() {
    let (base, books, fields) = every_field();
    let high = |f: &Field| edges(f.bounds()).last().copied().unwrap_or_default();
    for (i, a) in fields.iter().enumerate() {
        for b in &fields[i + 1..] {
            let mut e = base.clone();
            let what = format!("{} and {} at their highest", a.name(&base), b.name(&base));
            let set = a
                .put(&mut e, high(a))
                .and_then(|()| b.put(&mut e, high(b)))
                .and_then(|()| Field::check_estate(&e));
            quote_or_refusal(&e, &books, set, &what);
        }
    }
    // All at once.
    let mut e = base.clone();
    let set = fields
        .iter()
        .try_for_each(|f| f.put(&mut e, high(f)))
        .and_then(|()| Field::check_estate(&e));
    quote_or_refusal(&e, &books, set, "every input at its highest");
}

#[test]
fn a_line_beyond_what_a_quote_can_add_up_is_a_problem_not_a_panic() {
    // The highest price per core on the most cores, escalated 100 % a year for 30 years:
    // year 30 is 65,536,000,000 cores × 1,000,000,000.00 × 2^29, beyond 10^20.
    let books = book(
        r#"
[[edition]]
id = "core"
name = "Per core"
metric = { kind = "per-core" }
term = "subscription"
price = { amount = "1000000000", source = "test", confidence = "P" }
"#,
    );
    let text = estate(
        "2020-01-01",
        "hosts = 1000000\nsockets_per_host = 64\ncores_per_socket = 1024",
        "[costs]\nescalation_per_year = 1",
        "edition = \"t/core\"",
    )
    .replace("years = 3", "years = 30");
    let q = quote_of(&books, &text);
    let s = only(&q);
    assert!(!s.compliant);
    assert!(
        codes(s).contains(&ProblemCode::OutOfRange),
        "{:?}",
        s.problems
    );
    assert!(
        s.problems.iter().any(|p| p.message.contains("in year 30")
            && p.message.contains("100,000,000,000,000,000,000.00")),
        "{:?}",
        s.problems
    );
    // A price above the ceiling is refused by the pricebook reader, at the amount.
    let file = SourceFile::new(
        "t.toml",
        format!(
            "{HEAD}[[edition]]\nid = \"x\"\nname = \"X\"\nmetric = {{ kind = \"per-core\" }}\nterm = \"perpetual\"\nprice = {{ amount = \"1000000000.01\", source = \"test\", confidence = \"P\" }}\n"
        ),
    );
    let d = parse_pricebook(&file, "test").expect_err("refused");
    assert!(
        d.0.iter()
            .any(|p| p.field.ends_with("amount") && p.message.contains("beyond")),
        "{d}"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Any in-range value of every declared input at once (each drawn between its edges):
    /// a quote whose totals add up, or a refusal naming a field; never a panic.
    #[test]
    fn any_values_within_the_declared_ranges_quote_or_are_refused(
        picks in proptest::collection::vec(0u32..=1000, 32)
    ) {
        let (base, books, fields) = every_field();
        let mut e = base.clone();
        let mut set = Ok(());
        for (f, pick) in fields.iter().zip(picks.iter().cycle()) {
            let b = f.bounds();
            let ends = edges(b);
            let (low, high) = (ends[0], ends[ends.len() - 1]);
            let mut v = low + (high - low) * Decimal::from(*pick) / Decimal::from(1000);
            if b.integer {
                v = v.floor();
            }
            set = set.and_then(|()| f.put(&mut e, v.normalize()));
        }
        let set = set.and_then(|()| Field::check_estate(&e));
        quote_or_refusal(&e, &books, set, &format!("{picks:?}"));
    }
}

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

//! `uncertainty` (issue 17): determinism, ordered bands, shares that add up, zero width where
//! every price is primary, the estate's `[uncertainty]` read, refused and written back.

use super::*;
use crate::Estate;
use crate::analysis::uncertainty::{Options, Ranges, uncertainty};
use crate::estate::{Field, write_estate};

fn bundled() -> PricebookSet {
    PricebookSet::bundled().expect("bundled pricebooks are valid")
}

fn estate(name: &str, text: &str) -> Estate {
    parse_estate(&SourceFile::new(name, text), &bundled()).expect("a valid estate")
}

fn exit() -> Estate {
    estate(
        "exit.toml",
        include_str!("../../../examples/exit-2026.toml"),
    )
}

fn run(e: &Estate, draws: u32, seed: u64) -> Ranges {
    uncertainty(e, &bundled(), Options { draws, seed }).expect("drawn")
}

fn refused(text: &str) -> crate::Diagnostics {
    parse_estate(&SourceFile::new("u.toml", text), &bundled()).expect_err("refused")
}

#[test]
fn one_seed_gives_the_same_result_and_another_seed_other_draws() {
    let e = exit();
    let a = run(&e, 500, 7);
    assert_eq!(a, run(&e, 500, 7));
    let b = run(&e, 500, 8);
    assert_ne!(
        a.scenarios
            .iter()
            .map(|s| s.range.total)
            .collect::<Vec<_>>(),
        b.scenarios
            .iter()
            .map(|s| s.range.total)
            .collect::<Vec<_>>(),
        "another seed pairs the strata differently"
    );
    // Same strata, other pairing: each figure's own range is drawn alike.
    assert_eq!(a.inputs, b.inputs);
}

#[test]
fn bands_are_ordered_and_hold_the_quoted_total_and_the_shares_add_up() {
    for e in [exit(), estate("acme.toml", &crate::example_estate().text)] {
        let r = run(&e, 2_000, 1);
        let mut draws = 0;
        for s in &r.scenarios {
            for b in [s.range.total, s.range.npv] {
                assert!(b.p10 <= b.p50 && b.p50 <= b.p90, "{}: {b:?}", s.name);
            }
            draws += s.range.cheapest_draws;
            if !s.compliant {
                assert_eq!(
                    s.range.cheapest_draws, 0,
                    "{} is never the cheapest",
                    s.name
                );
            }
        }
        if r.scenarios.iter().any(|s| s.compliant) {
            assert_eq!(draws, r.draws, "every draw has one cheapest");
            let p: Decimal = r.scenarios.iter().map(|s| s.range.p_cheapest).sum();
            assert_eq!(p, Decimal::ONE);
        }
        let shares: Decimal = r.drivers.iter().map(|d| d.share).sum();
        assert!(
            r.drivers.is_empty() || (shares - Decimal::ONE).abs() <= Decimal::new(5, 2),
            "{shares}"
        );
    }
}

#[test]
fn a_scenario_priced_only_from_primary_sources_has_zero_width() {
    // The 2009 example's free editions and, with every width at 0, every scenario.
    let e = estate("acme.toml", &crate::example_estate().text);
    let r = run(&e, 1_000, 3);
    let q = quote(&e, &bundled());
    for (s, sq) in r.scenarios.iter().zip(&q.scenarios) {
        let all_p = sq
            .lines
            .iter()
            .all(|l| l.source.confidence == crate::pricebook::Confidence::P);
        if all_p {
            assert_eq!(
                (s.range.total.p10, s.range.total.p90),
                (s.quoted, s.quoted),
                "{}",
                s.name
            );
        }
    }
    let text = format!(
        "{}\n[uncertainty]\nP = 0\nS = 0\nW = 0\nC = 0\nUNVERIFIED = 0\n",
        crate::example_estate().text
    );
    let r = run(&estate("still.toml", &text), 200, 1);
    assert!(r.inputs.is_empty());
    for s in &r.scenarios {
        assert_eq!(
            (s.range.total.p10, s.range.total.p50, s.range.total.p90),
            (s.quoted, s.quoted, s.quoted)
        );
    }
}

#[test]
fn an_input_range_is_drawn_within_itself_and_drives_the_spread() {
    let text = format!(
        "{}\n[uncertainty]\nS = 0\nW = 0\n\n[uncertainty.inputs]\nhosts = {{ low = 6, high = 10 }}\n",
        crate::example_estate().text
    );
    let e = estate("hosts.toml", &text);
    let u = e.uncertainty.as_ref().expect("[uncertainty]");
    assert_eq!(u.inputs.len(), 1);
    assert_eq!(u.inputs[0].field.name(&e), "prod.hosts");
    let r = run(&e, 500, 2);
    let drawn = &r.inputs.last().expect("hosts").input;
    assert_eq!(drawn, "prod.hosts");
    // The totals follow the host count: the band of a paid scenario spans 6 to 10 hosts.
    let books = bundled();
    let at = |hosts: u32| {
        let mut changed = e.clone();
        Field::parse("hosts", &e, &books)
            .expect("hosts")
            .set(&mut changed, Decimal::from(hosts))
            .expect("in range");
        quote(&changed, &books).scenarios[1].total
    };
    let s = &r.scenarios[1];
    assert!(
        at(6) <= s.range.total.p10 && s.range.total.p90 <= at(10),
        "{s:?}"
    );
    assert_eq!(
        r.drivers.first().map(|d| d.input.as_str()),
        Some("prod.hosts")
    );
}

#[test]
fn bad_ranges_are_refused_at_their_place() {
    let base = crate::example_estate().text;
    let d = refused(&format!(
        "{base}\n[uncertainty.inputs]\nhostz = {{ low = 1, high = 2 }}\n"
    ));
    assert!(
        d.0[0].help.as_deref().unwrap_or("").contains("hosts"),
        "{d:?}"
    );
    let d = refused(&format!(
        "{base}\n[uncertainty.inputs]\nhosts = {{ low = 9, high = 2 }}\n"
    ));
    assert_eq!(d.0[0].message, "low 9 is above high 2");
    let d = refused(&format!(
        "{base}\n[uncertainty.inputs]\nhosts = {{ low = 0, high = 2 }}\n"
    ));
    assert_eq!(d.0[0].field, "uncertainty.inputs.hosts");
    let d = refused(&format!(
        "{base}\n[uncertainty.inputs]\nhosts = {{ low = 1 }}\n"
    ));
    assert_eq!(d.0[0].field, "uncertainty.inputs.hosts.high");
    let d = refused(&format!(
        "{base}\n[uncertainty.inputs]\nyears = {{ low = 1, high = 2 }}\n"
    ));
    assert_eq!(d.0[0].message, "the horizon is not drawn");
    let d = refused(&format!("{base}\n[uncertainty]\nW = 2\n"));
    assert_eq!(d.0[0].field, "uncertainty.W");
    let d = refused(&format!("{base}\n[uncertainty]\nw = 0.1\n"));
    assert!(d.0[0].help.as_deref().unwrap_or("").contains('W'), "{d:?}");
    for d in [0, crate::analysis::uncertainty::MAX_DRAWS + 1] {
        let e = estate("acme.toml", &base);
        let err = uncertainty(&e, &bundled(), Options { draws: d, seed: 1 }).expect_err("draws");
        assert_eq!(err.0[0].field, "--draws");
    }
}

#[test]
fn the_uncertainty_table_is_written_back_as_read() {
    let text = format!(
        "{}\n[uncertainty]\nW = \"0.2\"\n\n[uncertainty.inputs]\n\"prod.vms\" = {{ low = 80, high = 120 }}\n",
        crate::example_estate().text
    );
    let e = estate("w.toml", &text);
    let again = estate("again.toml", &write_estate(&e));
    assert_eq!(again.uncertainty, e.uncertainty);
    assert!(
        write_estate(&e)
            .contains("[uncertainty.inputs]\n\"prod.vms\" = { low = \"80\", high = \"120\" }")
    );
}

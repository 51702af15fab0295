//! The compiled evaluator (`hypercost_core::eval`) against `quote`: on random points of real
//! estates (the examples, every golden case, the schedule fixtures), each scenario's total,
//! years, NPV and compliance, and every line's amount where the point is evaluated on a plan,
//! equal `quote` of the changed estate and pricebooks exactly. Points change estate fields
//! (structural and arithmetic), pricebook figures, or both, in an order that reuses plans
//! compiled at other points.

use std::sync::LazyLock;

use hypercost_core::estate::{CostField, Field};
use hypercost_core::eval::{Evaluator, PriceAt, Var, prices_used};
use hypercost_core::{Estate, SourceFile, example_estate, parse_estate, quote};
use proptest::prelude::*;
use proptest::test_runner::TestRng;
use rust_decimal::Decimal;

use crate::support::{BOOKS, golden_cases, tests_dir};

/// Every estate the property runs on, read once.
static ESTATES: LazyLock<Vec<Estate>> = LazyLock::new(|| {
    // The golden cases first: the embedded example's (`acme-2009`) sorts first.
    let mut files: Vec<_> = golden_cases().into_iter().map(|c| c.estate).collect();
    files.extend([
        tests_dir().join("fixtures/schedule/twenty-moves-emea.toml"),
        tests_dir().join("fixtures/schedule/twenty-moves-americas.toml"),
    ]);
    files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("estate");
            parse_estate(&SourceFile::new(p.display().to_string(), text), &BOOKS)
                .unwrap_or_else(|e| panic!("{}: {e:?}", p.display()))
        })
        .collect()
});

/// The variables a point may change: every field the estate sets, the horizon, the
/// arithmetic `[costs]` figures (set or not) and every pricebook figure its quote uses.
fn variables(estate: &Estate) -> Vec<Var> {
    let mut out: Vec<Var> = Field::all_set(estate).into_iter().map(Var::Field).collect();
    out.push(Var::Field(Field::Years));
    for f in [
        CostField::DiscountRate,
        CostField::EscalationPerYear,
        CostField::Pue,
        CostField::KwhPrice,
        CostField::AdminPerHostYear,
    ] {
        let v = Var::Field(Field::Cost(f));
        if !out.contains(&v) {
            out.push(v);
        }
    }
    let q = quote(estate, &BOOKS);
    out.extend(prices_used(&q, &BOOKS).into_iter().map(Var::Price));
    out
}

/// A value for `var` near its value in `estate`, within the reader's range (or a price).
fn value(var: &Var, estate: &Estate, rng: &mut TestRng) -> Decimal {
    let step = |rng: &mut TestRng, n: i64| rng.random_range(-n..=n);
    match var {
        Var::Field(f) => {
            let b = f.bounds();
            let now = f.get(estate).unwrap_or_default();
            let v = if b.integer {
                now + Decimal::from(step(rng, 3))
            } else if now.is_zero() || now < Decimal::ONE {
                Decimal::new(rng.random_range(0..=60), 2)
            } else {
                (now * Decimal::new(100 + step(rng, 40), 2)).round_dp(2)
            };
            // One value in eight is outside the reader's range: refused alike on every path.
            match rng.random_range(0..16) {
                0 => b.low - Decimal::ONE,
                1 => b.high.map_or(b.low - Decimal::ONE, |h| h + Decimal::ONE),
                _ => b.clamp(v).unwrap_or(now),
            }
        }
        Var::Price(at) => {
            let now = at.value(&BOOKS).unwrap_or_default();
            // A free figure is given a price too (a fuzz finding: a free edition's figure
            // moved its lines on a kept plan, where the engine prices it at 0 whatever it is).
            if now.is_zero() {
                Decimal::from(rng.random_range(0..500))
            } else {
                (now * Decimal::new(100 + step(rng, 50), 2)).round_dp(2)
            }
        }
    }
}

/// Checks one point: the evaluator's outcome (and lines, on a plan) against the full quote.
fn check(ev: &mut Evaluator<'_>, point: &[(Var, Decimal)]) -> Result<(), TestCaseError> {
    let changed = ev.changed(point);
    let got = ev.evaluate(point).cloned();
    let (estate, books) = match changed {
        Ok(c) => c,
        Err(_) => {
            prop_assert!(got.is_err(), "a refused point is refused: {point:?}");
            return Ok(());
        }
    };
    let got = got.expect("a valid point evaluates");
    let q = quote(&estate, books.as_ref().unwrap_or(&BOOKS));
    prop_assert_eq!(got.scenarios.len(), q.scenarios.len());
    for (k, (g, s)) in got.scenarios.iter().zip(&q.scenarios).enumerate() {
        prop_assert_eq!(g.total, s.total, "{} at {:?}", s.name, point);
        prop_assert_eq!(got.npv(k), Some(s.npv), "{} NPV at {:?}", s.name, point);
        prop_assert_eq!(g.compliant, s.compliant, "{} at {:?}", s.name, point);
        let years: Vec<Decimal> = s.years.iter().map(|y| y.total).collect();
        prop_assert_eq!(&g.years, &years, "{} years at {:?}", s.name, point);
    }
    let best = q
        .ranking
        .iter()
        .find(|r| r.compliant)
        .and_then(|r| q.scenarios.iter().position(|s| s.name == r.scenario));
    prop_assert_eq!(got.cheapest(), best);
    if let Some(lines) = ev.lines_at(point) {
        for (l, s) in lines.iter().zip(&q.scenarios) {
            let expected: Vec<Decimal> = s.lines.iter().map(|l| l.amount).collect();
            prop_assert_eq!(l, &expected, "{} lines at {:?}", s.name, point);
        }
    }
    Ok(())
}

/// Points over `vars`, each a random subset of them with random values.
fn points(vars: &[Var], estate: &Estate, rng: &mut TestRng, n: usize) -> Vec<Vec<(Var, Decimal)>> {
    // A few values per variable, so points repeat structural values and reuse plans.
    let choices: Vec<Vec<Decimal>> = vars
        .iter()
        .map(|v| (0..3).map(|_| value(v, estate, rng)).collect())
        .collect();
    (0..n)
        .map(|_| {
            let k = rng.random_range(1..=3usize.min(vars.len()));
            let mut point: Vec<(Var, Decimal)> = Vec::new();
            for _ in 0..k {
                let i = rng.random_range(0..vars.len());
                if point.iter().any(|(v, _)| *v == vars[i]) {
                    continue;
                }
                let v = choices[i][rng.random_range(0..3)];
                point.push((vars[i].clone(), v));
            }
            point
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 250, ..ProptestConfig::default() })]

    /// 250 cases × 40 points: 10,000 (estate, point) pairs, each equal to `quote`.
    #[test]
    fn compiled_evaluation_is_the_quote_of_the_changed_estate(
        which in 0usize..64,
        seed in any::<u64>(),
        prices_only in any::<bool>(),
    ) {
        let estate = &ESTATES[which % ESTATES.len()];
        let mut rng = TestRng::from_seed(
            proptest::test_runner::RngAlgorithm::ChaCha,
            &{
                let mut s = [0u8; 32];
                s[..8].copy_from_slice(&seed.to_le_bytes());
                s
            },
        );
        let mut vars = variables(estate);
        if prices_only {
            vars.retain(|v| matches!(v, Var::Price(_)) || matches!(v, Var::Field(Field::Cost(_))));
        }
        prop_assume!(!vars.is_empty());
        let mut ev = Evaluator::new(estate, &BOOKS);
        for point in points(&vars, estate, &mut rng, 40) {
            check(&mut ev, &point)?;
        }
    }
}

/// A sweep of an arithmetic figure is evaluated on the base plan, never quoted again; a
/// structural one compiles one plan per value and reuses it across the other axis.
#[test]
fn arithmetic_points_reuse_the_plan_and_structural_ones_compile_once_per_value() {
    let estate = &ESTATES[0];
    let example = parse_estate(&example_estate(), &BOOKS).expect("the example parses");
    assert_eq!(
        estate.name, example.name,
        "ESTATES[0] is the embedded example"
    );
    let mut ev = Evaluator::new(estate, &BOOKS);
    let discount = Var::Field(Field::Discount("vmware".into()));
    for k in 0..50 {
        let point = [(discount.clone(), Decimal::new(k, 2))];
        check(&mut ev, &point).expect("equal");
    }
    assert_eq!(ev.stats().quoted, 0, "{:?}", ev.stats());
    assert_eq!(ev.stats().evaluated, 50);
    let hosts = Var::Field(Field::parse("hosts", estate, &BOOKS).expect("hosts"));
    for h in 4..8 {
        for k in 0..10 {
            let point = [
                (hosts.clone(), Decimal::from(h)),
                (discount.clone(), Decimal::new(k, 2)),
            ];
            check(&mut ev, &point).expect("equal");
        }
    }
    assert_eq!(ev.stats().quoted, 4, "one full quote per host count");
    // A price the quote uses, varied: arithmetic.
    let price = prices_used(&quote(estate, &BOOKS), &BOOKS)
        .into_iter()
        .find(|p| matches!(p, PriceAt::Item(..)))
        .expect("an item price");
    let before = ev.stats().quoted;
    for k in 1..20 {
        check(
            &mut ev,
            &[(Var::Price(price.clone()), Decimal::from(k * 100))],
        )
        .expect("equal");
    }
    assert_eq!(ev.stats().quoted, before, "{price:?} is arithmetic");
    // An arithmetic figure outside the reader's range is refused as the reader refuses it,
    // never evaluated on a plan (a fuzz finding: a discount of 1.5 was priced).
    for bad in [Decimal::new(15, 1), Decimal::new(-1, 0)] {
        let err = ev
            .evaluate(&[(discount.clone(), bad)])
            .expect_err("out of range");
        assert!(err.0[0].message.contains("out of range"), "{err:?}");
    }
}

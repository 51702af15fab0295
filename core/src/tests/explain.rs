//! `explain`: every line's amount recomputed from its structured steps equals the quote's,
//! to the cent; the words carry the same arithmetic; filters and unknown names.

use super::*;
use crate::analysis::explain::{Explanation, explain};
use crate::example_estate;
use crate::money::round_line;
use crate::render::{Format, Report};

fn bundled() -> PricebookSet {
    PricebookSet::bundled().expect("bundled pricebooks are valid")
}

fn explained(estate_text: &str) -> (Quote, Explanation) {
    let books = bundled();
    let e = parse_estate(&SourceFile::new("e.toml", estate_text), &books).expect("valid");
    let q = quote(&e, &books);
    let x = explain(&q, None, None).expect("no filter");
    (q, x)
}

/// Redoes every line from the explanation's own numbers: quantity × unit price, each step's
/// factor in order, one rounding; and the sums.
fn check(q: &Quote, x: &Explanation) {
    assert!(x.disagreements.is_empty(), "{:?}", x.disagreements);
    assert_eq!(x.scenarios.len(), q.scenarios.len());
    for (s, sx) in q.scenarios.iter().zip(&x.scenarios) {
        assert_eq!(s.lines.len(), sx.lines.len());
        for (l, lx) in s.lines.iter().zip(&sx.lines) {
            let mut running = lx.quantity * lx.unit_price;
            assert_eq!(running, lx.list);
            for (i, step) in lx.steps.iter().enumerate() {
                assert_eq!(step.step as usize, i + 1);
                assert_eq!(step.before, running);
                running *= Decimal::ONE - step.percent / Decimal::ONE_HUNDRED;
                assert_eq!(step.after, running);
            }
            assert_eq!(round_line(running), l.amount, "{}: {}", s.name, lx.rounding);
            assert_eq!(lx.amount, l.amount);
            if let Some(fx) = &lx.fx {
                assert_eq!(fx.unit_price * fx.rate, lx.unit_price);
            }
        }
        for (y, yx) in s.years.iter().zip(&sx.years) {
            assert_eq!(y.total, yx.total);
            let sum: Decimal = yx
                .lines
                .iter()
                .map(|n| sx.lines[*n as usize - 1].amount)
                .sum();
            assert_eq!(sum, y.total);
        }
        assert_eq!(sx.total.total, s.total);
    }
}

#[test]
fn every_line_of_the_example_recomputes_to_the_cent() {
    let (q, x) = explained(&example_estate().text);
    check(&q, &x);
    let text = String::from_utf8(x.render(Format::Table).unwrap()).unwrap();
    assert!(
        text.contains("round(16 × 620.00 × (1 − 50 %)) = round(4,960.00) = 4,960.00"),
        "{text}"
    );
    assert!(text.contains("9,920.00 × (1 − 50 %) = 4,960.00"));
    // Year 1: the upgrades, the Nexus 1000V, the vCenter Server the edition requires, and the
    // first year's SnS on both (4,995 × 25 % = 1,248.75).
    assert!(text.contains(
        "year 1      [1] + [2] + [3] + [4] + [5] + [6] = 0.00 + 4,960.00 + 11,120.00 + 4,995.00 +"
    ));
    assert!(text.contains("13,980.00 + 1,248.75 = 36,303.75"), "{text}");
    assert!(text.contains("✓ every amount above was recomputed"));
}

#[test]
fn the_cross_era_case_with_currency_conversion_recomputes_to_the_cent() {
    let (q, x) = explained(include_str!(
        "../../../tests/cases/eras-2009-2025/estate.toml"
    ));
    check(&q, &x);
    let converted = x
        .scenarios
        .iter()
        .flat_map(|s| &s.lines)
        .find_map(|l| l.fx.as_ref())
        .expect("the Proxmox lines are converted from EUR");
    assert_eq!(
        converted.arithmetic,
        "EUR 540.00 × 1.08 USD/EUR (rate of 2025-06-02) = USD 583.20"
    );
}

/// Promotion, negotiated discount and escalation stack in one order, each shown with the
/// running amount; an uplift is a negative percent off.
#[test]
fn stacked_steps_are_shown_in_order_with_the_running_amount() {
    let text = example_estate().text.replace(
        "[[owned]]",
        "[costs]\nvendor_discount = { vmware = \"0.10\" }\nescalation_per_year = \"0.03\"\n\n[[owned]]",
    );
    let (q, x) = explained(&text);
    check(&q, &x);
    let s = &x.scenarios[0];
    let upgrade = s
        .lines
        .iter()
        .find(|l| l.item.ends_with("/enterprise-to-enterprise-plus"))
        .unwrap();
    let kinds: Vec<_> = upgrade.steps.iter().map(|s| s.kind).collect();
    use crate::quote::StepKind;
    assert_eq!(kinds, vec![StepKind::Promotion, StepKind::Negotiated]);
    assert_eq!(upgrade.amount, dec("4464.00"), "9,920 × 0.5 × 0.9");
    assert_eq!(
        upgrade.rounding,
        "round(16 × 620.00 × (1 − 50 %) × (1 − 10 %)) = round(4,464.00) = 4,464.00"
    );
    let year3 = s
        .lines
        .iter()
        .find(|l| l.kind == LineKind::Support && l.year == 3)
        .unwrap();
    assert_eq!(year3.steps[1].kind, StepKind::Escalation);
    assert_eq!(year3.steps[1].percent, dec("-6.09"), "1.03² − 1");
    assert_eq!(
        year3.rounding,
        "round(16 × 873.75 × (1 − 10 %) × (1 + 6.09 %)) = round(13,348.2438) = 13,348.24"
    );
}

#[test]
fn filters_keep_one_scenario_or_one_cluster_and_unknown_names_are_errors() {
    let books = bundled();
    let e = parse_estate(&example_estate(), &books).unwrap();
    let q = quote(&e, &books);
    let name = "XenServer 5.5 free";
    let x = explain(&q, Some(name), None).unwrap();
    assert_eq!(x.scenarios.len(), 1);
    assert_eq!(x.scenarios[0].name, name);
    let x = explain(&q, None, Some("prod")).unwrap();
    assert_eq!(x.scenarios.len(), q.scenarios.len());
    assert!(x.scenarios.iter().all(|s| s.scope.is_some()));
    assert!(x.disagreements.is_empty());
    let err = explain(&q, Some("XenServer 5.5"), None)
        .unwrap_err()
        .summary();
    assert!(err.contains("no scenario `XenServer 5.5`"), "{err}");
    assert!(
        err.contains("valid scenarios: Enterprise Plus + Nexus 1000V"),
        "{err}"
    );
    let err = explain(&q, None, Some("prd")).unwrap_err().summary();
    assert!(err.contains("did you mean `prod`?"), "{err}");
}

#[test]
fn json_carries_money_as_strings_and_is_deterministic() {
    let (_, x) = explained(&example_estate().text);
    let a = x.render(Format::Json).unwrap();
    let (_, y) = explained(&example_estate().text);
    assert_eq!(a, y.render(Format::Json).unwrap());
    let v: serde_json::Value = serde_json::from_slice(&a).unwrap();
    let line = &v["scenarios"][0]["lines"][1];
    assert_eq!(line["amount"], "4960.00");
    assert_eq!(line["unit_price"], "620.00");
    assert_eq!(line["steps"][0]["percent"], "50");
    assert_eq!(line["steps"][0]["kind"], "promotion");
    assert_eq!(
        v["scenarios"][0]["total"]["total"], "66761.25",
        "58,020 + vCenter 8,741.25"
    );
}

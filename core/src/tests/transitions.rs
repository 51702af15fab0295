//! Contracts and moves over time (issue 15): dated payments, bridge renewals, dual running,
//! migration labour by month. Each expected figure is derived here from the bundled prices it
//! names: VVF $190 per core-year on 1 year, $135 on 3 [W]; Azure Local $10 per core-month [S].

use super::*;
use crate::date::Date;
use crate::estate::write_estate;

fn bundled() -> PricebookSet {
    PricebookSet::bundled().expect("bundled pricebooks are valid")
}

/// One 2 × 16-core host cluster `c` (32 cores, `vms` VMs) under a VVF contract ending `ends`,
/// bought 2026-01-01 in EMEA (no 72-core minimum) over `years`, one scenario with `plan`.
fn under_contract(years: u32, ends: &str, contract_extra: &str, costs: &str, plan: &str) -> String {
    format!(
        "format = 1\nname = \"t\"\ncurrency = \"USD\"\npurchase_date = 2026-01-01\nyears = {years}\nregion = \"emea\"\n\
         [[cluster]]\nname = \"c\"\nhosts = 1\nsockets_per_host = 2\ncores_per_socket = 16\nvms = 100\n\
         [[contract]]\nname = \"K\"\nitem = \"vmware-vcf-2024/vvf\"\nclusters = [\"c\"]\nends = {ends}\n{contract_extra}\n\
         [costs]\n{costs}\n\
         [[scenario]]\nname = \"s\"\n[[scenario.plan]]\ncluster = \"c\"\n{plan}\n"
    )
}

fn item_lines<'a>(s: &'a ScenarioQuote, item: &str) -> Vec<&'a Line> {
    s.lines.iter().filter(|l| &*l.item == item).collect()
}

fn day(t: &str) -> Option<Date> {
    Some(Date::parse(t).expect("date"))
}

/// A move that needs 14 months of VVF after the contract ends: the shortest term covering
/// 14 months is 3 years, so three yearly payments are committed (those in the horizon), at
/// $135; the move's target is paid from its start.
#[test]
fn a_bridge_longer_than_a_year_takes_the_shortest_covering_term() {
    let q = quote_of(
        &bundled(),
        &under_contract(
            3,
            "2026-03-31",
            "",
            "",
            "edition = \"microsoft-azure-local-2025/azure-local\"\nstart = 2026-02-01\nmigration_months = 16",
        ),
    );
    let s = only(&q);
    let vvf = item_lines(s, "vmware-vcf-2024/vvf");
    // From 2026-04-01 to the move's end on 2027-05-31: 14 months → a 3-year term.
    let cores = dec("32");
    assert_eq!(vvf.len(), 3, "{vvf:#?}");
    for (l, (year, due)) in
        vvf.iter()
            .zip([(1, "2026-04-01"), (2, "2027-04-01"), (3, "2028-04-01")])
    {
        assert_eq!(
            (l.year, l.due, l.amount),
            (year, day(due), cores * dec("135"))
        );
        assert!(
            l.rule.0.contains("14 months, 1 × 3-year term"),
            "{}",
            l.rule.0
        );
    }
    let azure = item_lines(s, "microsoft-azure-local-2025/azure-local");
    assert_eq!(azure.len(), 3);
    assert_eq!(
        (azure[0].due, azure[0].amount),
        (day("2026-02-01"), cores * dec("120"))
    );
}

/// The contract's own price replaces list for its renewals, marked as the estate's figure.
#[test]
fn a_contract_price_prices_its_renewal() {
    let q = quote_of(
        &bundled(),
        &under_contract(
            2,
            "2026-06-30",
            "price_per_unit_year = \"150.00\"",
            "",
            "edition = \"vmware-vcf-2024/vvf\"\nterm_years = 1",
        ),
    );
    let s = only(&q);
    let vvf = item_lines(s, "vmware-vcf-2024/vvf");
    assert_eq!(vvf.len(), 2);
    assert_eq!(vvf[0].due, day("2026-07-01"));
    assert_eq!(vvf[0].amount, dec("32") * dec("150"));
    assert_eq!(
        vvf[0].source.confidence,
        crate::pricebook::Confidence::Estate
    );
    assert!(vvf[0].source.source.contains("contract `K`"));
}

/// A contract that ended before the purchase date is renewed late, from the purchase date,
/// and the rule says so; one ending after the horizon costs nothing in it.
#[test]
fn late_and_far_contracts() {
    let q = quote_of(
        &bundled(),
        &under_contract(
            1,
            "2025-09-30",
            "",
            "",
            "edition = \"vmware-vcf-2024/vvf\"\nterm_years = 1",
        ),
    );
    let s = only(&q);
    let vvf = item_lines(s, "vmware-vcf-2024/vvf");
    assert_eq!((vvf.len(), vvf[0].due), (1, day("2026-01-01")));
    assert!(
        vvf[0]
            .rule
            .0
            .contains("late: it ended before the purchase date"),
        "{}",
        vvf[0].rule.0
    );
    // The late-renewal surcharge, 20 % on the first year [W, the book's sources]: 32 cores ×
    // $190 × 1.2.
    assert_eq!(vvf[0].amount, dec("32") * dec("190") * dec("1.2"));
    assert!(
        s.notes
            .iter()
            .any(|n| n.contains("late-renewal-20") && n.contains("after its contract ended")),
        "{:?}",
        s.notes
    );
    // Renewed on time, the same renewal pays list.
    let q = quote_of(
        &bundled(),
        &under_contract(
            1,
            "2025-12-31",
            "",
            "",
            "edition = \"vmware-vcf-2024/vvf\"\nterm_years = 1",
        ),
    );
    assert_eq!(
        item_lines(only(&q), "vmware-vcf-2024/vvf")[0].amount,
        dec("32") * dec("190")
    );
    let q = quote_of(
        &bundled(),
        &under_contract(2, "2029-12-31", "", "", "edition = \"vmware-vcf-2024/vvf\""),
    );
    assert_eq!(
        only(&q).total,
        Decimal::ZERO,
        "covered for the whole horizon"
    );
}

/// Labour is whole VMs a month: 100 VMs over 6 months from 2026-11-01 move 17, 17, 17, 17, 16,
/// 16 — November and December in year 1, the rest in year 2 — and add up to 100 × $350.
#[test]
fn labour_moves_whole_vms_each_month_across_the_year_end() {
    let q = quote_of(
        &bundled(),
        &under_contract(
            2,
            "2026-03-31",
            "",
            "migration_per_vm = \"350.00\"",
            "edition = \"microsoft-azure-local-2025/azure-local\"\nstart = 2026-11-01\nmigration_months = 6",
        ),
    );
    let s = only(&q);
    let labour = item_lines(s, "costs/migration");
    let moved: Vec<(u32, Option<Date>, Decimal)> =
        labour.iter().map(|l| (l.year, l.due, l.quantity)).collect();
    assert_eq!(
        moved,
        vec![
            (1, day("2026-11-01"), dec("17")),
            (1, day("2026-12-01"), dec("17")),
            (2, day("2027-01-01"), dec("17")),
            (2, day("2027-02-01"), dec("17")),
            (2, day("2027-03-01"), dec("16")),
            (2, day("2027-04-01"), dec("16")),
        ]
    );
    let total: Decimal = labour.iter().map(|l| l.amount).sum();
    assert_eq!(total, dec("100") * dec("350"));
    // Dual running: VVF is renewed from 2026-04-01 on a 3-year term (the move ends 2027-04-30,
    // 13 months on), both payments in the horizon; Azure Local from 2026-11-01.
    let vvf = item_lines(s, "vmware-vcf-2024/vvf");
    assert_eq!(
        vvf.iter().map(|l| l.due).collect::<Vec<_>>(),
        vec![day("2026-04-01"), day("2027-04-01")]
    );
}

/// A perpetual edition bought on a move's start in year 2: the licence falls on the start,
/// support on its anniversaries, nothing in year 1.
#[test]
fn a_perpetual_move_buys_on_its_start() {
    let text = "format = 1\nname = \"t\"\ncurrency = \"USD\"\npurchase_date = 2025-06-02\nyears = 3\n\
        [[cluster]]\nname = \"c\"\nhosts = 1\nsockets_per_host = 1\ncores_per_socket = 16\nvms = 4\n\
        [[scenario]]\nname = \"s\"\n[[scenario.plan]]\ncluster = \"c\"\n\
        edition = \"microsoft-windows-server-2025/datacenter\"\nsupport = \"software-assurance\"\nstart = 2026-09-01\n";
    let q = quote_of(&bundled(), text);
    let s = only(&q);
    let l: Vec<(u32, Option<Date>, LineKind)> =
        s.lines.iter().map(|l| (l.year, l.due, l.kind)).collect();
    assert_eq!(
        l,
        vec![
            (2, day("2026-09-01"), LineKind::Licence),
            (2, day("2026-09-01"), LineKind::Support),
            (3, day("2027-09-01"), LineKind::Support),
        ]
    );
    // $6,771 per 16 cores [W]; SA 25 % a year [W].
    assert_eq!(s.lines[0].amount, dec("6771"));
    assert_eq!(s.years[0].total, Decimal::ZERO);
}

/// Contracts and moves are input: each problem is reported at its place.
#[test]
fn contract_errors_name_their_place() {
    let text = "format = 1\nname = \"t\"\ncurrency = \"USD\"\npurchase_date = 2026-01-01\nyears = 1\n\
        [[cluster]]\nname = \"c\"\nhosts = 1\nsockets_per_host = 1\ncores_per_socket = 16\n\
        [[contract]]\nname = \"perpetual\"\nitem = \"microsoft-windows-server-2025/datacenter\"\nclusters = [\"c\"]\nends = 2026-06-30\n\
        [[contract]]\nname = \"a\"\nitem = \"vmware-vcf-2024/vvf\"\nclusters = [\"c\", \"x\"]\nends = 2026-06-30\n\
        [[contract]]\nname = \"b\"\nitem = \"vmware-vcf-2024/vvf\"\nclusters = [\"c\"]\nends = 2026-06-30\n\
        [[scenario]]\nname = \"s\"\n[[scenario.plan]]\ncluster = \"c\"\nedition = \"vmware-vcf-2024/vvf\"\nmigration_months = 121\n";
    let d = parse_estate(&SourceFile::new("e.toml", text), &bundled()).unwrap_err();
    let got: Vec<(&str, &str)> =
        d.0.iter()
            .map(|d| (d.field.as_str(), d.message.as_str()))
            .collect();
    assert!(got.contains(&("contract[0].item", "microsoft-windows-server-2025/datacenter is a perpetual licence, not a subscription a contract renews")), "{got:?}");
    assert!(
        got.contains(&("contract[1].clusters", "unknown cluster `x`")),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "contract[2].item",
            "cluster `c` already has a contract for vmware-vcf-2024/vvf"
        )),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|(f, _)| *f == "scenario[0].plan[0].migration_months"),
        "{got:?}"
    );
}

/// Contracts, starts and migration months are written back as read.
#[test]
fn transitions_round_trip_through_the_writer() {
    let text = under_contract(
        3,
        "2026-03-31",
        "price_per_unit_year = \"150.5\"",
        "migration_per_vm = \"350.00\"\nswing_hosts = 2\nhardware_per_host = \"9000\"",
        "edition = \"microsoft-azure-local-2025/azure-local\"\nstart = 2026-04-01\nmigration_months = 6",
    );
    let books = bundled();
    let e = parse_estate(&SourceFile::new("e.toml", text), &books).expect("valid");
    assert_eq!(e.contracts.len(), 1);
    assert_eq!(e.scenarios[0].plans[0].start, day("2026-04-01"));
    let again =
        parse_estate(&SourceFile::new("w.toml", write_estate(&e)), &books).expect("reads back");
    assert_eq!(again, e);
}

/// Renewals starting the same day are one order: in the Americas VVF's 72-core minimum [S,
/// pricing-facts §14] applies to their sum. Two 32-core clusters leaving one contract both
/// need a bridge from 2026-04-01: 64 cores ordered, so 8 more; a cluster whose move starts
/// later renews the same day too, still one order.
#[test]
fn renewals_on_one_day_are_one_order() {
    let text = "format = 1\nname = \"t\"\ncurrency = \"USD\"\npurchase_date = 2026-01-01\nyears = 1\nregion = \"americas\"\n\
        [[cluster]]\nname = \"a\"\nhosts = 1\nsockets_per_host = 2\ncores_per_socket = 16\nvms = 10\n\
        [[cluster]]\nname = \"b\"\nhosts = 1\nsockets_per_host = 2\ncores_per_socket = 16\nvms = 10\n\
        [[contract]]\nname = \"K\"\nitem = \"vmware-vcf-2024/vvf\"\nclusters = [\"a\", \"b\"]\nends = 2026-03-31\n\
        [[scenario]]\nname = \"s\"\n\
        [[scenario.plan]]\ncluster = \"a\"\nedition = \"microsoft-azure-local-2025/azure-local\"\nstart = 2026-03-01\nmigration_months = 2\n\
        [[scenario.plan]]\ncluster = \"b\"\nedition = \"microsoft-azure-local-2025/azure-local\"\nstart = 2026-03-01\nmigration_months = 5\n";
    let q = quote_of(&bundled(), text);
    let s = only(&q);
    let vvf = item_lines(s, "vmware-vcf-2024/vvf");
    let cores: Vec<Decimal> = vvf.iter().map(|l| l.quantity).collect();
    // Bridges of 32 + 32 cores on 2026-04-01 (1-year term, $190) and one top-up of 72 − 64.
    assert_eq!(cores, vec![dec("32"), dec("32"), dec("8")], "{vvf:#?}");
    assert!(vvf.iter().all(|l| l.due == day("2026-04-01")));
    assert_eq!(
        vvf.iter().map(|l| l.amount).sum::<Decimal>(),
        dec("72") * dec("190")
    );
}

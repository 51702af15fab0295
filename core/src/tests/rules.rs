//! Terms, support, features, add-ons, upgrade paths, promotions, end of sale and limits.

use super::*;

const CL: &str =
    "hosts = 2\nsockets_per_host = 2\ncores_per_socket = 4\nram_gb_per_host = 64\nvms = 10";

/// A book with a perpetual edition, a subscription edition and two support plans.
fn terms_book(first_year: &str) -> PricebookSet {
    book(&format!(
        r#"
[[edition]]
id = "perp"
name = "Perpetual"
metric = {{ kind = "per-socket" }}
term = "perpetual"
price = {{ amount = "2245.00", source = "list", confidence = "P" }}

[[edition]]
id = "sub"
name = "Subscription"
metric = {{ kind = "per-socket" }}
term = "subscription"
price = {{ amount = "600.00", source = "list", confidence = "W" }}

[[support]]
id = "pct"
name = "Percent plan"
first_year = "{first_year}"
rate = {{ percent = "25", source = "model", confidence = "S" }}

[[support]]
id = "fixed"
name = "Fixed plan"
first_year = "optional"
price = {{ amount = "99.99", source = "list", confidence = "P" }}
covers = ["perp"]
"#
    ))
}

#[test]
fn perpetual_licence_with_percentage_support_every_year() {
    // 4 CPUs × 2,245 = 8,980 in year 1; support 4 × 561.25 = 2,245 per year × 3.
    let q = quote_of(
        &terms_book("mandatory"),
        &estate(
            "2020-01-01",
            CL,
            "",
            "edition = \"t/perp\"\nsupport = \"pct\"",
        ),
    );
    let s = only(&q);
    assert_eq!(lines(s, LineKind::Licence)[0].amount, dec("8980.00"));
    let sup = lines(s, LineKind::Support);
    assert_eq!(sup.len(), 3);
    assert!(
        sup.iter()
            .all(|l| l.unit_price == dec("561.25") && l.amount == dec("2245.00"))
    );
    assert_eq!(
        sup[0].rule.0,
        "4 CPU licences of perp × 25 % of 2,245.00 list per year"
    );
    assert_eq!(
        s.years.iter().map(|y| y.total).collect::<Vec<_>>(),
        vec![dec("11225.00"), dec("2245.00"), dec("2245.00")]
    );
}

#[test]
fn fixed_price_support_per_unit_per_year() {
    let q = quote_of(
        &terms_book("mandatory"),
        &estate(
            "2020-01-01",
            CL,
            "",
            "edition = \"t/perp\"\nsupport = \"fixed\"",
        ),
    );
    let sup = lines(only(&q), LineKind::Support)
        .into_iter()
        .map(|l| l.amount)
        .collect::<Vec<_>>();
    assert_eq!(sup, vec![dec("399.96"); 3], "4 × 99.99");
}

#[test]
fn mandatory_first_year_support_missing_is_non_compliant() {
    let q = quote_of(
        &terms_book("mandatory"),
        &estate("2020-01-01", CL, "", "edition = \"t/perp\""),
    );
    let s = only(&q);
    assert_eq!(codes(s), vec![ProblemCode::SupportRequired]);
    assert!(s.problems[0].message.contains("choose support = pct"));
    let q = quote_of(
        &terms_book("optional"),
        &estate("2020-01-01", CL, "", "edition = \"t/perp\""),
    );
    assert!(only(&q).compliant, "optional support may be left out");
}

#[test]
fn subscription_is_paid_every_year_and_takes_no_support() {
    let q = quote_of(
        &terms_book("mandatory"),
        &estate(
            "2020-01-01",
            CL,
            "",
            "edition = \"t/sub\"\nsupport = \"pct\"",
        ),
    );
    let s = only(&q);
    assert!(lines(s, LineKind::Support).is_empty());
    let subs = lines(s, LineKind::Subscription);
    assert_eq!(
        subs.iter().map(|l| l.year).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert_eq!(s.total, dec("7200.00"), "4 × 600 × 3");
}

/// A VMware-like book with aliases, features and an add-on in a second book.
fn feature_books() -> PricebookSet {
    let base = parse_pricebook(
        &SourceFile::new(
            "base.toml",
            format!(
                "{HEAD}{}",
                r#"
[aliases]
vmotion = "live-migration"
vds = "distributed-switch"

[[edition]]
id = "ent"
name = "Enterprise"
features = ["vmotion", "ha"]
features_unverified = ["power-management"]
metric = { kind = "per-socket" }
term = "perpetual"
price = { amount = "2875.00", source = "list", confidence = "P" }
limits = { max_ram_gb_per_host = 256, source = "list" }

[[edition]]
id = "entplus"
name = "Enterprise Plus"
features = ["vmotion", "ha", "vds"]
metric = { kind = "per-socket" }
term = "perpetual"
price = { amount = "3495.00", source = "list", confidence = "P" }
"#
            ),
        ),
        "test",
    )
    .unwrap();
    let addon = parse_pricebook(
        &SourceFile::new(
            "addon.toml",
            r#"format = 1
id = "switch"
name = "Switch vendor"
vendor = "switchco"
currency = "USD"

[[addon]]
id = "vswitch"
name = "Virtual switch"
requires = ["distributed-switch"]
metric = { kind = "per-socket" }
term = "perpetual"
price = { amount = "695.00", source = "seed", confidence = "S" }
"#,
        ),
        "test",
    )
    .unwrap();
    PricebookSet::from_books([base, addon])
}

#[test]
fn needs_are_matched_through_vendor_aliases() {
    let cl = "hosts = 2\nsockets_per_host = 2\ncores_per_socket = 4\nneeds = [\"vmotion\", \"ha\"]";
    let q = quote_of(
        &feature_books(),
        &estate("2020-01-01", cl, "", "edition = \"t/ent\""),
    );
    assert!(only(&q).compliant, "{:?}", only(&q).problems);
}

#[test]
fn a_missing_feature_names_the_editions_that_have_it() {
    let cl =
        "hosts = 2\nsockets_per_host = 2\ncores_per_socket = 4\nneeds = [\"distributed-switch\"]";
    let q = quote_of(
        &feature_books(),
        &estate("2020-01-01", cl, "", "edition = \"t/ent\""),
    );
    let s = only(&q);
    assert_eq!(codes(s), vec![ProblemCode::MissingFeature]);
    assert_eq!(
        s.problems[0].message,
        "needs distributed-switch, which Enterprise lacks (editions of t with it: entplus)"
    );
}

#[test]
fn an_unverified_feature_satisfies_a_need_with_a_note() {
    let cl =
        "hosts = 2\nsockets_per_host = 2\ncores_per_socket = 4\nneeds = [\"power-management\"]";
    let q = quote_of(
        &feature_books(),
        &estate("2020-01-01", cl, "", "edition = \"t/ent\""),
    );
    let s = only(&q);
    assert!(s.compliant);
    assert!(
        s.notes
            .iter()
            .any(|n| n.contains("power-management on Enterprise is our modelling choice"))
    );
}

#[test]
fn addon_licenses_every_cpu_and_requires_its_feature() {
    let cl = "hosts = 8\nsockets_per_host = 2\ncores_per_socket = 4";
    let ok = quote_of(
        &feature_books(),
        &estate(
            "2020-01-01",
            cl,
            "",
            "edition = \"t/entplus\"\naddons = [\"switch/vswitch\"]",
        ),
    );
    let s = only(&ok);
    assert!(s.compliant);
    let addon = s.lines.iter().find(|l| l.item == "switch/vswitch").unwrap();
    assert_eq!((addon.quantity, addon.amount), (dec("16"), dec("11120.00")));
    let bad = quote_of(
        &feature_books(),
        &estate(
            "2020-01-01",
            cl,
            "",
            "edition = \"t/ent\"\naddons = [\"switch/vswitch\"]",
        ),
    );
    let s = only(&bad);
    assert_eq!(codes(s), vec![ProblemCode::AddonPrerequisite]);
    assert_eq!(
        s.problems[0].message,
        "Virtual switch requires distributed-switch, which Enterprise lacks"
    );
    assert!(
        s.lines.iter().any(|l| l.item == "switch/vswitch"),
        "still priced"
    );
}

#[test]
fn per_host_ram_limit_names_the_editions_allowing_it() {
    let cl = "hosts = 2\nsockets_per_host = 2\ncores_per_socket = 4\nram_gb_per_host = 512";
    let q = quote_of(
        &feature_books(),
        &estate("2020-01-01", cl, "", "edition = \"t/ent\""),
    );
    let s = only(&q);
    assert_eq!(codes(s), vec![ProblemCode::HostLimit]);
    assert!(s.problems[0].message.ends_with(
        "at most 256 GB RAM per host; these hosts have 512 GB (editions allowing it: entplus)"
    ));
    let q = quote_of(
        &feature_books(),
        &estate(
            "2020-01-01",
            "hosts = 2\nsockets_per_host = 2\ncores_per_socket = 4",
            "",
            "edition = \"t/ent\"",
        ),
    );
    assert!(
        only(&q)
            .notes
            .iter()
            .any(|n| n.contains("RAM per host not given"))
    );
}

/// Old licences (2 CPUs each) → new edition (free, active support) → top edition (paid, promo).
fn upgrade_books() -> PricebookSet {
    let old = parse_pricebook(
        &SourceFile::new(
            "old.toml",
            r#"format = 1
id = "old"
name = "Old"
vendor = "acme"
currency = "USD"

[[edition]]
id = "ent"
name = "Old Enterprise"
metric = { kind = "per-processors", processors = 2 }
term = "perpetual"
price = { amount = "5750.00", source = "old list", confidence = "S" }
"#,
        ),
        "test",
    )
    .unwrap();
    let new = parse_pricebook(
        &SourceFile::new(
            "new.toml",
            format!(
                "{HEAD}{}",
                r#"
on_sale_from = 2009-05-21

[[edition]]
id = "ent"
name = "Enterprise"
metric = { kind = "per-socket" }
term = "perpetual"
price = { amount = "2875.00", source = "list", confidence = "P" }
end_of_sale = 2009-12-15

[[edition]]
id = "entplus"
name = "Enterprise Plus"
metric = { kind = "per-socket" }
term = "perpetual"
price = { amount = "3495.00", source = "list", confidence = "P" }

[[upgrade]]
id = "from-old"
name = "Old Enterprise → Enterprise"
from = "old/ent"
to = "ent"
units_per_licence = 2
requires_active_support = true
price = { amount = "0.00", source = "KB", confidence = "P" }

[[upgrade]]
id = "ent-to-plus"
name = "Enterprise → Enterprise Plus"
from = "t/ent"
to = "entplus"
requires_active_support = true
price = { amount = "620.00", source = "derived", confidence = "S" }

[[promotion]]
id = "half"
name = "Half-price upgrade"
applies_to = "ent-to-plus"
discount = { percent = "50", source = "seed", confidence = "S" }
valid_until = 2009-12-14
"#
            ),
        ),
        "test",
    )
    .unwrap();
    PricebookSet::from_books([old, new])
}

const OWNED_8: &str = "[[owned]]\nlicence = \"old/ent\"\nquantity = 8\nsupport_active = true\n";
const CL_8X2: &str = "hosts = 8\nsockets_per_host = 2\ncores_per_socket = 4";

#[test]
fn upgrade_paths_chain_and_map_units() {
    // 8 old licences × 2 CPUs = 16 → Enterprise (free) → Enterprise Plus 16 × 620 × 50 %.
    let q = quote_of(
        &upgrade_books(),
        &estate(
            "2009-11-02",
            CL_8X2,
            OWNED_8,
            "edition = \"t/entplus\"\nuse_owned = true",
        ),
    );
    let s = only(&q);
    let up = lines(s, LineKind::Upgrade);
    assert_eq!(up.len(), 2);
    assert_eq!(
        (up[0].item.as_str(), up[0].quantity, up[0].amount),
        ("t/from-old", dec("16"), dec("0.00"))
    );
    assert_eq!(
        up[0].rule.0,
        "8 owned old/ent × 2 per licence = 16 t/ent (active support)"
    );
    assert_eq!(
        (up[1].item.as_str(), up[1].quantity, up[1].amount),
        ("t/ent-to-plus", dec("16"), dec("4960.00"))
    );
    assert_eq!(up[1].discounts[0].percent, dec("50"));
    assert!(lines(s, LineKind::Licence).is_empty(), "nothing bought new");
    assert!(s.compliant, "{:?}", s.problems);
}

#[test]
fn a_promotion_outside_its_window_is_a_note_not_a_discount() {
    let q = quote_of(
        &upgrade_books(),
        &estate(
            "2009-12-15",
            CL_8X2,
            OWNED_8,
            "edition = \"t/entplus\"\nuse_owned = true",
        ),
    );
    let s = only(&q);
    assert_eq!(lines(s, LineKind::Upgrade)[1].amount, dec("9920.00"));
    assert!(s.notes.iter().any(|n| n.contains("\"Half-price upgrade\" (50 % off t/ent-to-plus) is valid until 2009-12-14; the purchase date 2009-12-15 is outside it")), "{:?}", s.notes);
}

#[test]
fn owned_licences_short_of_the_cluster_are_topped_up_new_and_surplus_reported() {
    // 3 old licences = 6 CPUs of 16: 10 bought new.
    let owned3 = OWNED_8.replace("quantity = 8", "quantity = 3");
    let q = quote_of(
        &upgrade_books(),
        &estate(
            "2009-11-02",
            CL_8X2,
            &owned3,
            "edition = \"t/ent\"\nuse_owned = true",
        ),
    );
    let s = only(&q);
    let new = lines(s, LineKind::Licence);
    assert_eq!(new[0].quantity, dec("10"));
    assert!(
        new[0]
            .rule
            .0
            .ends_with("6 from owned licences, 10 bought new"),
        "{}",
        new[0].rule.0
    );
    // 12 old licences = 24 CPUs: 8 used (16 CPUs), 4 reported as surplus.
    let owned12 = OWNED_8.replace("quantity = 8", "quantity = 12");
    let q = quote_of(
        &upgrade_books(),
        &estate(
            "2009-11-02",
            CL_8X2,
            &owned12,
            "edition = \"t/ent\"\nuse_owned = true",
        ),
    );
    assert!(
        only(&q)
            .notes
            .iter()
            .any(|n| n == "4 of 12 owned old/ent are not used in this scenario (surplus)"),
        "{:?}",
        only(&q).notes
    );
}

#[test]
fn an_upgrade_path_needing_active_support_is_refused_without_it() {
    let lapsed = OWNED_8.replace("support_active = true", "support_active = false");
    let q = quote_of(
        &upgrade_books(),
        &estate(
            "2009-11-02",
            CL_8X2,
            &lapsed,
            "edition = \"t/entplus\"\nuse_owned = true",
        ),
    );
    let s = only(&q);
    assert_eq!(
        lines(s, LineKind::Licence)[0].quantity,
        dec("16"),
        "bought new instead"
    );
    assert!(
        s.notes
            .iter()
            .any(|n| n.contains("requires active support"))
    );
}

#[test]
fn end_of_sale_stops_new_purchases_not_upgrades() {
    let q = quote_of(
        &upgrade_books(),
        &estate("2009-12-15", CL_8X2, "", "edition = \"t/ent\""),
    );
    let s = only(&q);
    assert_eq!(codes(s), vec![ProblemCode::EndOfSale]);
    assert_eq!(
        s.problems[0].message,
        "Enterprise reached end of sale on 2009-12-15; it cannot be bought new on 2009-12-15"
    );
    let q = quote_of(
        &upgrade_books(),
        &estate("2009-12-14", CL_8X2, "", "edition = \"t/ent\""),
    );
    assert!(only(&q).compliant, "the day before is fine");
    let q = quote_of(
        &upgrade_books(),
        &estate(
            "2009-12-20",
            CL_8X2,
            OWNED_8,
            "edition = \"t/ent\"\nuse_owned = true",
        ),
    );
    assert!(
        only(&q).compliant,
        "owned licences may still be upgraded into it"
    );
}

#[test]
fn buying_before_the_book_is_on_sale_is_non_compliant() {
    let q = quote_of(
        &upgrade_books(),
        &estate("2009-01-01", CL_8X2, "", "edition = \"t/entplus\""),
    );
    assert_eq!(codes(only(&q)), vec![ProblemCode::NotOnSale]);
}

#[test]
fn an_unknown_price_is_a_problem_never_a_silent_zero() {
    let b = book(
        r#"
[[edition]]
id = "x"
name = "Unpriced"
metric = { kind = "per-socket" }
term = "perpetual"
price = { source = "not found", confidence = "UNVERIFIED" }
"#,
    );
    let q = quote_of(&b, &estate("2020-01-01", CL, "", "edition = \"t/x\""));
    let s = only(&q);
    assert_eq!(codes(s), vec![ProblemCode::PriceUnknown]);
    assert_eq!(
        s.doubtful_lines, 1,
        "the quote says how many lines rest on unverified prices"
    );
    assert_eq!(
        (s.doubtful[0].item.as_str(), s.doubtful[0].confidence),
        ("t/x", crate::pricebook::Confidence::Unverified)
    );
}

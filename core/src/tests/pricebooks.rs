//! Pricebook validation (the path `pricebook check` will reuse) and the bundled books.

use super::*;
use crate::diag::Diagnostics;

fn errors(body: &str) -> Diagnostics {
    let file = SourceFile::new("bad.toml", format!("{HEAD}{body}"));
    match parse_pricebook(&file, "test") {
        Ok(_) => panic!("expected diagnostics for:\n{body}"),
        Err(d) => d,
    }
}

fn fields(d: &Diagnostics) -> Vec<(&str, usize)> {
    d.0.iter().map(|d| (d.field.as_str(), d.line)).collect()
}

const EDITION: &str = "[[edition]]\nid = \"e\"\nname = \"E\"\nmetric = { kind = \"per-socket\" }\nterm = \"perpetual\"\n";

#[test]
fn a_price_without_source_or_confidence_is_an_error() {
    let d = errors(&format!("{EDITION}price = {{ amount = \"1.00\" }}\n"));
    assert_eq!(
        fields(&d),
        vec![
            ("edition[0].price.source", 11),
            ("edition[0].price.confidence", 11)
        ]
    );
    assert!(d.0[0].message.contains("missing field `source`"));
}

#[test]
fn a_price_range_holds_its_amount_and_comes_whole() {
    let price = |extra: &str| {
        format!(
            "{EDITION}price = {{ amount = \"115.00\", source = \"x\", confidence = \"C\"{extra} }}\n"
        )
    };
    let d = errors(&price(", low = \"120\", high = \"130\""));
    assert_eq!(fields(&d), vec![("edition[0].price.low", 11)]);
    assert_eq!(d.0[0].help.as_deref(), Some("expected low ≤ amount ≤ high"));
    let d = errors(&price(", low = \"110\""));
    assert_eq!(fields(&d), vec![("edition[0].price.high", 11)]);
    let d = errors(&price(", low = \"-1\", high = \"120\""));
    assert_eq!(fields(&d), vec![("edition[0].price.low", 11)]);
    let file = SourceFile::new(
        "ok.toml",
        format!("{HEAD}{}", price(", low = \"110\", high = \"120\"")),
    );
    let book = parse_pricebook(&file, "test").expect("a valid range");
    assert_eq!(
        book.items[0].price.range,
        Some((Decimal::from(110), Decimal::from(120)))
    );
}

#[test]
fn an_unknown_confidence_mark_lists_the_valid_ones() {
    let d = errors(&format!(
        "{EDITION}price = {{ amount = \"1.00\", source = \"x\", confidence = \"p\" }}\n"
    ));
    assert_eq!(d.0[0].field, "edition[0].price.confidence");
    assert_eq!(
        d.0[0].help.as_deref(),
        Some(
            "did you mean `P`? valid marks (pricebooks/README.md, `Confidence marks`): P, S, W, C, UNVERIFIED"
        )
    );
}

#[test]
fn a_citation_shorthand_is_expanded_when_read_and_a_malformed_one_is_an_error() {
    let d = errors(&format!(
        "{EDITION}price = {{ amount = \"1.00\", source = \"MSVB:2009/a.md\", confidence = \"S\" }}\n"
    ));
    assert_eq!(fields(&d), vec![("edition[0].price.source", 11)]);
    assert!(
        d.0[0].message.contains("`MSVB:2009/a.md`"),
        "{}",
        d.0[0].message
    );
    assert!(
        d.0[0].message.contains("MSVB:{year}/{file}@{commit}"),
        "{}",
        d.0[0].message
    );
    assert!(
        d.0[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("shorthands.toml"))
    );
    // Every consumer sees the address: the bundled 4.0 book's Essentials price.
    let books = PricebookSet::bundled().expect("bundled books are valid");
    let item = books
        .books()
        .iter()
        .filter(|b| b.id.to_string() == "vmware-vsphere-4.0")
        .flat_map(|b| b.items.iter())
        .find(|i| i.id == "essentials")
        .expect("vSphere 4.0 Essentials");
    let source = &item.price.source;
    assert!(
        source.starts_with(
            "https://github.com/MicrosoftDocs/Virtualization-Documentation/blob/2850a0b2/\
             virtualization/community/team-blog/2009/20090504-"
        ),
        "{source}"
    );
}

#[test]
fn only_an_unverified_price_may_leave_out_its_amount() {
    let d = errors(&format!(
        "{EDITION}price = {{ source = \"x\", confidence = \"S\" }}\n"
    ));
    assert_eq!(d.0[0].field, "edition[0].price.amount");
}

#[test]
fn every_structural_problem_is_reported_at_once() {
    let body = r#"
[[edition]]
id = "e"
name = "E"
features = ["vmotoin"]
metric = { kind = "per-sockt" }
term = "forever"
price = { amount = "-1", source = "x", confidence = "P" }
colour = "red"

[[edition]]
id = "e"
name = "Duplicate"
metric = { kind = "per-socket", core_cap = 6 }
term = "perpetual"
price = { amount = "1", source = "x", confidence = "P" }

[[upgrade]]
id = "u"
name = "U"
from = "other/thing"
to = "missing"
price = { amount = "0", source = "x", confidence = "P" }

[[promotion]]
id = "p"
name = "P"
applies_to = "ghost"
discount = { percent = "150", source = "x", confidence = "S" }
"#;
    let d = errors(body);
    let got: Vec<&str> = d.0.iter().map(|d| d.field.as_str()).collect();
    assert_eq!(
        got,
        vec![
            "edition[0].features",
            "edition[0].metric.kind",
            "edition[0].term",
            "edition[0].price.amount",
            "edition[0].colour",
            "edition[1].id",
            "edition[1].metric.above_cap",
            "upgrade[0].to",
            "promotion[0].applies_to",
            "promotion[0].discount.percent",
        ]
    );
    assert!(
        d.0[0]
            .help
            .as_deref()
            .unwrap()
            .starts_with("valid features: live-migration,")
    );
    assert!(d.0[2].message.contains("unknown term `forever`"));
    assert!(d.0[4].message.contains("unknown field `colour`"));
    assert_eq!(
        (d.0[7].line, d.0[7].field.as_str()),
        (27, "upgrade[0].to"),
        "reported at the field, not the file"
    );
}

#[test]
fn bundled_pricebooks_parse_and_are_named_after_their_files() {
    let set = PricebookSet::bundled().unwrap();
    let ids = set.ids();
    assert!(ids.len() >= 5, "{ids:?}");
    for (stem, _) in crate::bundled::PRICEBOOKS {
        assert!(
            ids.contains(stem),
            "pricebooks/{stem}.toml must have id = \"{stem}\""
        );
    }
    for id in [
        "vmware-vi3",
        "vmware-vsphere-4.0",
        "cisco-nexus-1000v-2009",
        "citrix-xenserver-5.5",
        "microsoft-hyperv-2008r2",
    ] {
        assert!(ids.contains(&id), "the 2009 book {id} is bundled");
    }
    for b in set.books() {
        assert!(b.hash.starts_with("sha256:") && b.hash.len() == 7 + 64);
    }
}

#[test]
fn the_2009_books_carry_the_decisions_of_the_issue() {
    let set = PricebookSet::bundled().unwrap();
    let vs = set
        .get(&crate::PricebookId("vmware-vsphere-4.0".into()))
        .unwrap();
    let price = |id: &str| vs.item(id).unwrap().price.amount.unwrap();
    assert_eq!(
        [
            "standard",
            "advanced",
            "enterprise",
            "enterprise-plus",
            "essentials",
            "essentials-plus"
        ]
        .map(price),
        ["795", "2245", "2875", "3495", "995", "2995"].map(dec)
    );
    assert!(vs.support_plan("production").unwrap().first_year_mandatory);
    assert!(
        vs.support_plan("basic").is_some_and(
            |b| matches!(&b.basis, crate::pricebook::SupportBasis::Price(p) if p.amount.is_none())
        ),
        "Basic SnS is offered, with no verified figure: no amount"
    );
    assert_eq!(
        vs.item("enterprise").unwrap().end_of_sale,
        Some(crate::Date::new(2009, 12, 15).unwrap())
    );
    assert!(
        vs.item("enterprise-plus")
            .unwrap()
            .provides("distributed-switch")
    );
    assert!(
        !vs.item("enterprise")
            .unwrap()
            .provides("distributed-switch")
    );
}

/// The pricebook and item ids of issue 4 are part of the contract.
#[test]
fn the_later_era_books_carry_their_contract_ids() {
    let set = PricebookSet::bundled().unwrap();
    let expect: &[(&str, &[&str])] = &[
        (
            "vmware-vsphere-5.0",
            &[
                "essentials",
                "essentials-plus",
                "standard",
                "enterprise",
                "enterprise-plus",
                "hypervisor",
            ],
        ),
        (
            "vmware-vsphere-7",
            &[
                "standard",
                "enterprise-plus",
                "essentials",
                "essentials-plus",
            ],
        ),
        (
            "vmware-vcf-2024",
            &["vcf", "vvf", "vvs", "vvep", "vsep", "esxi-free"],
        ),
        (
            "microsoft-windows-server-2025",
            &["standard", "datacenter", "payg"],
        ),
        (
            "microsoft-azure-local-2025",
            &["azure-local", "windows-server-guests"],
        ),
        ("nutanix-nci-2025", &["pro", "ultimate"]),
        ("redhat-openshift-virt-2025", &["ove"]),
        ("xenserver-8", &["premium", "standard", "trial"]),
        (
            "proxmox-ve-2018",
            &["community", "basic", "standard", "premium"],
        ),
        (
            "microsoft-windows-server-2012r2",
            &["datacenter", "standard"],
        ),
        ("microsoft-windows-server-2022", &["standard", "datacenter"]),
        (
            "proxmox-ve-2025",
            &["community", "basic", "standard", "premium"],
        ),
    ];
    for (book, items) in expect {
        let b = set
            .get(&crate::PricebookId((*book).into()))
            .unwrap_or_else(|| panic!("{book} is bundled"));
        for item in *items {
            assert!(b.item(item).is_some(), "{book}/{item} exists");
        }
    }
    let vcf = set
        .get(&crate::PricebookId("vmware-vcf-2024".into()))
        .unwrap();
    let rule = vcf
        .rules
        .iter()
        .find(|r| matches!(r.kind, crate::pricebook::RuleKind::MinOrder { units: 72 }))
        .unwrap();
    assert!(rule.default_on && rule.from == Some(crate::Date::new(2025, 4, 10).unwrap()));
    let vvf = vcf.item("vvf").unwrap();
    assert_eq!(
        (vvf.default_term_years, vvf.terms()),
        (Some(3), vec![1, 3]),
        "the VVF figures once read as a conflict are its 1- and 3-year terms"
    );
    assert_eq!(vvf.price.confidence, crate::pricebook::Confidence::W);
    assert!(
        set.get(&crate::PricebookId("proxmox-ve-2025".into()))
            .unwrap()
            .uniform_edition
    );
}

/// A withdrawn end of sale needs the end of sale it withdraws, and must come before it.
#[test]
fn a_withdrawn_end_of_sale_is_checked_against_the_end_of_sale() {
    let price = "price = { amount = \"1.00\", source = \"x\", confidence = \"P\" }\n";
    let withdrawn =
        "end_of_sale_withdrawn = { on = 2009-10-15, source = \"t\", confidence = \"S\" }\n";
    let d = errors(&format!("{EDITION}{price}{withdrawn}"));
    assert_eq!(d.0.len(), 1, "{d:?}");
    assert_eq!(d.0[0].field, "edition[0].end_of_sale_withdrawn");
    assert!(d.0[0].message.contains("has no `end_of_sale`"), "{d:?}");

    let late = format!("{EDITION}{price}end_of_sale = 2009-10-15\n{withdrawn}");
    let d = errors(&late);
    assert_eq!(d.0[0].field, "edition[0].end_of_sale_withdrawn.on");
    assert_eq!(
        d.0[0].message,
        "the withdrawal (2009-10-15) is not before the end of sale it withdraws (2009-10-15)"
    );

    let missing = format!(
        "{EDITION}{price}end_of_sale = 2009-12-15\nend_of_sale_withdrawn = {{ on = 2009-10-15 }}\n"
    );
    let d = errors(&missing);
    assert_eq!(
        fields(&d).iter().map(|f| f.0).collect::<Vec<_>>(),
        vec![
            "edition[0].end_of_sale_withdrawn.source",
            "edition[0].end_of_sale_withdrawn.confidence"
        ]
    );
}

/// Term prices: with a default term, each term once, subscriptions only.
#[test]
fn term_prices_need_a_default_term_and_a_subscription() {
    let sub = "[[edition]]\nid = \"e\"\nname = \"E\"\nmetric = { kind = \"per-core\" }\nterm = \"subscription\"\nprice = { amount = \"135.00\", source = \"x\", confidence = \"W\" }\n";
    let one = "[[edition.term_price]]\nyears = 1\namount = \"190.00\"\nsource = \"y\"\nconfidence = \"W\"\n";
    let d = errors(&format!("{sub}{one}"));
    assert_eq!(d.0[0].field, "edition[0].default_term_years", "{d:?}");
    let d = errors(&format!("{sub}default_term_years = 1\n{one}"));
    assert_eq!(d.0[0].message, "the 1-year term is priced twice");
    let perpetual = sub.replace("subscription", "perpetual");
    let d = errors(&format!("{perpetual}default_term_years = 3\n{one}"));
    assert_eq!(d.0[0].message, "a perpetual item has no subscription terms");
    let d = errors(&format!(
        "{sub}default_term_years = 3\n{}",
        one.replace("amount = \"190.00\"\n", "")
    ));
    assert_eq!(d.0[0].field, "edition[0].term_price[0].amount", "{d:?}");
}

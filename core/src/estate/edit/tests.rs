//! Format-preserving edits: the example estate edited field by field, every placement rule,
//! the errors, and a property that `Set` of any integer reads back.

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::*;
use crate::estate::{example_estate, parse_estate};
use crate::pricebook::PricebookSet;
use crate::source::SourceFile;

fn set(path: &str, value: EditValue) -> Edit {
    Edit::Set {
        path: path.into(),
        value,
    }
}

fn remove(path: &str) -> Edit {
    Edit::Remove { path: path.into() }
}

fn text(s: &str) -> EditValue {
    EditValue::Text(s.into())
}

fn edit(doc: &str, edits: &[Edit]) -> String {
    match edit_text(doc, edits) {
        Ok(out) => out,
        Err(e) => panic!("edit failed: {e}"),
    }
}

fn example() -> String {
    example_estate().text
}

/// Lines of `b` not in `a` and of `a` not in `b`, in order: the visible diff.
fn changed_lines(a: &str, b: &str) -> (Vec<String>, Vec<String>) {
    let al: Vec<&str> = a.lines().collect();
    let bl: Vec<&str> = b.lines().collect();
    let gone = al
        .iter()
        .filter(|l| !bl.contains(l))
        .map(|l| l.to_string())
        .collect();
    let new = bl
        .iter()
        .filter(|l| !al.contains(l))
        .map(|l| l.to_string())
        .collect();
    (gone, new)
}

fn valid_estate(text: &str) -> crate::estate::Estate {
    let books = PricebookSet::bundled().expect("bundled pricebooks are valid");
    match parse_estate(&SourceFile::new("edited.toml", text), &books) {
        Ok(e) => e,
        Err(d) => panic!("edited estate is invalid: {d:?}\n{text}"),
    }
}

const TWO_CLUSTERS: &str = "format = 1\nname = \"two\"\ncurrency = \"USD\"\npurchase_date = 2009-11-02\nyears = 3\n\n\
# Production\n[[cluster]]\nname = \"prod\"\nhosts = 8\nsockets_per_host = 2\ncores_per_socket = 4\n\n\
# Disaster recovery\n[[cluster]]\nname = \"dr\"\nhosts = 2 # cold standby\nsockets_per_host = 2\ncores_per_socket = 4\n\n\
[[scenario]]\nname = \"a\"\n[[scenario.plan]]\ncluster = \"prod\"\nedition = \"vmware-vsphere-4.0/enterprise\"\n\
support = \"production\"\n[[scenario.plan]]\ncluster = \"dr\"\nedition = \"vmware-vsphere-4.0/enterprise\"\n\
support = \"production\"\n\n[[scenario]]\nname = \"b\"\n[[scenario.plan]]\ncluster = \"prod\"\n\
edition = \"citrix-xenserver-5.5/free\"\n\
[[scenario.plan]]\ncluster = \"dr\"\nedition = \"citrix-xenserver-5.5/free\"\n";

#[test]
fn set_hosts_changes_only_that_number() {
    let before = example();
    let after = edit(&before, &[set("cluster[0].hosts", EditValue::Integer(6))]);
    assert_eq!(after, before.replacen("hosts = 8", "hosts = 6", 1));
    let (gone, new) = changed_lines(&before, &after);
    assert_eq!(gone, ["hosts = 8"]);
    assert_eq!(new, ["hosts = 6"]);
    assert!(after.contains("quantity = 8                 # VI3 licences cover 2 CPUs each"));
    assert!(after.starts_with("# The 2009 decision from the seed article"));
    assert_eq!(valid_estate(&after).clusters[0].hosts, 6);
}

#[test]
fn trailing_comment_stays_on_the_line() {
    let after = edit(
        &example(),
        &[set("owned[0].quantity", EditValue::Integer(10))],
    );
    assert!(after.contains("quantity = 10                 # VI3 licences cover 2 CPUs each"));
    valid_estate(&after);
}

#[test]
fn missing_key_goes_after_the_tables_last_line() {
    let after = edit(
        &example(),
        &[set(
            "cluster[0].vm_ram_gb",
            EditValue::Decimal(Decimal::new(45, 1)),
        )],
    );
    assert!(
        after.contains(
            "needs = [\"live-migration\", \"ha\", \"distributed-switch\"]\nvm_ram_gb = 4.5\n\n[[owned]]"
        ),
        "{after}"
    );
    assert_eq!(
        valid_estate(&after).clusters[0].vm_ram_gb,
        Some(Decimal::new(45, 1))
    );
}

#[test]
fn missing_key_after_a_trailing_comment() {
    let doc = "[[cluster]]\nname = \"a\"\nhosts = 2 # cold standby\n# spare line\n\n[costs]\n";
    let after = edit(doc, &[set("cluster[0].vms", EditValue::Integer(7))]);
    assert_eq!(
        after,
        "[[cluster]]\nname = \"a\"\nhosts = 2 # cold standby\nvms = 7\n# spare line\n\n[costs]\n"
    );
}

#[test]
fn lists_are_replaced_whole() {
    let after = edit(
        &example(),
        &[
            set(
                "cluster[0].needs",
                EditValue::List(vec!["ha".into(), "live-migration".into()]),
            ),
            set("scenario[1].plan[0].addons", EditValue::List(vec![])),
            set(
                "scenario[0].plan[0].addons",
                EditValue::List(vec!["cisco-nexus-1000v-2009/nexus-1000v".into()]),
            ),
        ],
    );
    assert!(after.contains("needs = [\"ha\", \"live-migration\"]\n"));
    assert!(after.contains("support = \"production\"\nuse_owned = true\naddons = []\n"));
    let e = valid_estate(&after);
    assert_eq!(e.clusters[0].needs.len(), 2);
    assert!(e.scenarios[1].plans[0].addons.is_empty());
}

#[test]
fn remove_a_plans_support() {
    let before = example();
    let after = edit(&before, &[remove("scenario[0].plan[0].support")]);
    let (gone, new) = changed_lines(&before, &after);
    assert!(new.is_empty());
    assert!(gone.is_empty(), "the same line is in other plans");
    assert_eq!(before.lines().count(), after.lines().count() + 1);
    assert_eq!(valid_estate(&after).scenarios[0].plans[0].support, None);
    assert_eq!(
        valid_estate(&after).scenarios[1].plans[0]
            .support
            .as_deref(),
        Some("production")
    );
}

#[test]
fn remove_a_cluster_takes_its_comment_and_section() {
    let after = edit(
        TWO_CLUSTERS,
        &[
            remove("cluster[1]"),
            remove("scenario[0].plan[1]"),
            remove("scenario[1].plan[1]"),
        ],
    );
    assert!(!after.contains("Disaster"));
    assert!(!after.contains("\"dr\""));
    assert!(after.contains("# Production\n[[cluster]]\nname = \"prod\"\nhosts = 8\nsockets_per_host = 2\ncores_per_socket = 4\n\n[[scenario]]"), "{after}");
    assert!(!after.contains("\n\n\n"));
    let e = valid_estate(&after);
    assert_eq!(e.clusters.len(), 1);
    assert_eq!(e.scenarios[0].plans.len(), 1);
}

#[test]
fn remove_a_scenario_takes_its_plans() {
    let after = edit(TWO_CLUSTERS, &[remove("scenario[0]")]);
    let e = valid_estate(&after);
    assert_eq!(e.scenarios.len(), 1);
    assert_eq!(e.scenarios[0].name, "b");
    assert_eq!(e.scenarios[0].plans.len(), 2);
    assert!(after.ends_with("edition = \"citrix-xenserver-5.5/free\"\n"));
    // The last one: no blank lines left dangling at the end.
    let after = edit(TWO_CLUSTERS, &[remove("scenario[1]")]);
    assert!(after.ends_with("support = \"production\"\n"), "{after:?}");
    assert_eq!(valid_estate(&after).scenarios.len(), 1);
}

#[test]
fn append_a_cluster_and_a_plan_inside_its_scenario() {
    let dr = vec![
        ("name".to_owned(), text("dr")),
        ("hosts".to_owned(), EditValue::Integer(2)),
        ("sockets_per_host".to_owned(), EditValue::Integer(2)),
        ("cores_per_socket".to_owned(), EditValue::Integer(4)),
    ];
    let plan = |scenario: usize| Edit::Append {
        array: format!("scenario[{scenario}].plan"),
        fields: vec![
            ("cluster".to_owned(), text("dr")),
            ("edition".to_owned(), text("citrix-xenserver-5.5/free")),
        ],
    };
    let edits: Vec<Edit> = std::iter::once(Edit::Append {
        array: "cluster".into(),
        fields: dr,
    })
    .chain((0..5).map(plan))
    .collect();
    let after = edit(&example(), &edits);
    assert!(
        after.contains("\"distributed-switch\"]\n\n[[cluster]]\nname = \"dr\"\nhosts = 2\nsockets_per_host = 2\ncores_per_socket = 4\n\n[[owned]]"),
        "{after}"
    );
    assert!(after.contains(
        "use_owned = true\n\n[[scenario.plan]]\ncluster = \"dr\"\nedition = \"citrix-xenserver-5.5/free\"\n\n[[scenario]]\nname = \"Enterprise Plus, VMware"
    ), "{after}");
    let e = valid_estate(&after);
    assert_eq!(e.clusters.len(), 2);
    assert!(
        e.scenarios
            .iter()
            .all(|s| s.plans.len() == 2 && s.plans[1].cluster == 1)
    );
}

#[test]
fn append_a_missing_array_and_set_a_missing_section() {
    let doc = "a = 1\n";
    let out = edit(
        doc,
        &[
            Edit::Append {
                array: "owned".into(),
                fields: vec![("quantity".into(), EditValue::Integer(3))],
            },
            set("costs.kwh_price", EditValue::Decimal(Decimal::new(12, 2))),
            set(
                "costs.vendor_discount.vmware",
                EditValue::Decimal(Decimal::new(1, 1)),
            ),
        ],
    );
    assert_eq!(
        out,
        "a = 1\n\n[[owned]]\nquantity = 3\n\n[costs]\nkwh_price = 0.12\nvendor_discount.vmware = 0.1\n"
    );
    // A section implied only by its sub-section gets its own header at the end.
    let out = edit(
        "[costs.fx]\nEUR = 1.4\n",
        &[set("costs.pue", EditValue::Decimal(Decimal::ONE))],
    );
    assert_eq!(out, "[costs.fx]\nEUR = 1.4\n\n[costs]\npue = 1\n");
    // A dotted table gets a dotted key in its section.
    let out = edit(
        "[costs]\nfx.EUR = 1.4\n# end\n",
        &[set("costs.fx.GBP", EditValue::Decimal(Decimal::TWO))],
    );
    assert_eq!(out, "[costs]\nfx.EUR = 1.4\nfx.GBP = 2\n# end\n");
}

#[test]
fn quoted_decimals_stay_quoted() {
    let out = edit(
        "[costs]\nhardware_per_host = \"7097.00\"\n",
        &[set(
            "costs.hardware_per_host",
            EditValue::Decimal(Decimal::new(650_000, 2)),
        )],
    );
    assert_eq!(out, "[costs]\nhardware_per_host = \"6500.00\"\n");
}

const INLINE_PLANS: &str = "format = 1\nname = \"inline\"\ncurrency = \"USD\"\npurchase_date = 2009-11-02\nyears = 3\n\n\
[[cluster]]\nname = \"prod\"\nhosts = 3\nsockets_per_host = 2\ncores_per_socket = 4\n\n\
[[scenario]]\nname = \"s\"\nplan = [{ cluster = \"prod\", edition = \"vmware-vsphere-4.0/enterprise\", support = \"production\" }]\n";

#[test]
fn inline_table_plans() {
    let out = edit(
        INLINE_PLANS,
        &[set("scenario[0].plan[0].use_owned", EditValue::Bool(true))],
    );
    assert!(
        out.contains("support = \"production\", use_owned = true }]"),
        "{out}"
    );
    assert!(valid_estate(&out).scenarios[0].plans[0].use_owned);

    let out = edit(INLINE_PLANS, &[remove("scenario[0].plan[0].support")]);
    assert!(
        out.contains(
            "plan = [{ cluster = \"prod\", edition = \"vmware-vsphere-4.0/enterprise\" }]"
        ),
        "{out}"
    );
    let out = edit(INLINE_PLANS, &[remove("scenario[0].plan[0].cluster")]);
    assert!(out.contains("plan = [{ edition = "), "{out}");

    let out = edit(
        INLINE_PLANS,
        &[Edit::Append {
            array: "scenario[0].plan".into(),
            fields: vec![
                ("cluster".into(), text("prod")),
                ("edition".into(), text("x/y")),
            ],
        }],
    );
    assert!(
        out.contains("\"production\" }, { cluster = \"prod\", edition = \"x/y\" }]"),
        "{out}"
    );
    let out = edit(&out, &[remove("scenario[0].plan[0]")]);
    assert!(
        out.contains("plan = [{ cluster = \"prod\", edition = \"x/y\" }]"),
        "{out}"
    );
    let out = edit(&out, &[remove("scenario[0].plan[0]")]);
    assert!(out.contains("plan = []"), "{out}");
}

#[test]
fn multi_line_arrays() {
    let doc = "needs = [\n  \"a\",\n  \"b\", # keep\n]\nplan = [\n  { x = 1 },\n]\n";
    let out = edit(doc, &[remove("needs[0]")]);
    assert_eq!(
        out,
        "needs = [\n  \"b\", # keep\n]\nplan = [\n  { x = 1 },\n]\n"
    );
    let out = edit(
        doc,
        &[Edit::Append {
            array: "plan".into(),
            fields: vec![("x".into(), EditValue::Integer(2))],
        }],
    );
    assert_eq!(
        out,
        "needs = [\n  \"a\",\n  \"b\", # keep\n]\nplan = [\n  { x = 1 },\n  { x = 2 },\n]\n"
    );
    let out = edit(doc, &[remove("needs")]);
    assert_eq!(out, "plan = [\n  { x = 1 },\n]\n");
}

#[test]
fn strings_are_escaped_and_read_back() {
    for s in [
        "plain",
        "quote \" and backslash \\",
        "tab\tnew\nline\r",
        "bell \u{7} del \u{7f} nul \u{0}",
        "émoji 🚀 [[cluster]] # not a comment",
        "\"\"\"",
        "",
    ] {
        let out = edit(&example(), &[set("name", text(s))]);
        assert_eq!(valid_estate(&out).name, s);
        let out = edit(&out, &[set("cluster[0].hosts", EditValue::Integer(4))]);
        assert_eq!(valid_estate(&out).name, s);
    }
}

#[test]
fn multi_line_strings_and_brackets_in_strings_do_not_confuse_sections() {
    let doc = "name = \"\"\"\n[[cluster]]\n# x\n\"\"\"\n\n[[cluster]]\nname = \"[[cluster]]\"\nhosts = 1\n";
    let out = edit(doc, &[set("cluster[0].vms", EditValue::Integer(5))]);
    assert_eq!(out, format!("{doc}vms = 5\n"));
    let out = edit(doc, &[remove("cluster[0]")]);
    assert_eq!(out, "name = \"\"\"\n[[cluster]]\n# x\n\"\"\"\n");
}

#[test]
fn dates_and_bools() {
    let out = edit(
        &example(),
        &[set(
            "purchase_date",
            EditValue::Date(Date::new(2010, 1, 31).unwrap()),
        )],
    );
    assert!(out.contains("\npurchase_date = 2010-01-31\n"));
    valid_estate(&out);
    // A key of a [[scenario]] goes before its [[scenario.plan]] sub-tables, where it belongs.
    let out = edit(
        &example(),
        &[set(
            "scenario[1].purchase_date",
            EditValue::Date(Date::new(2009, 6, 1).unwrap()),
        )],
    );
    assert!(out.contains(
        "name = \"Enterprise Plus, VMware distributed switch (upgrade)\"\npurchase_date = 2009-06-01\n[[scenario.plan]]"
    ), "{out}");
    let e = valid_estate(&out);
    assert_eq!(
        e.scenarios[1].purchase_date,
        Some(Date::new(2009, 6, 1).unwrap())
    );
    let out = edit(
        &out,
        &[
            set("scenario[1].purchase_date", EditValue::Bool(false)),
            remove("scenario[1].purchase_date"),
        ],
    );
    assert_eq!(out, example());
    // A whole section and its sub-sections.
    let doc = "a = 1\n\n[costs]\npue = 1.5\n\n[[cluster]]\nname = \"x\"\n\n[costs.fx]\nEUR = 1.4\n";
    assert_eq!(
        edit(doc, &[remove("costs")]),
        "a = 1\n\n[[cluster]]\nname = \"x\"\n"
    );
    assert_eq!(edit("t = { a = 1 }\n", &[remove("t.a")]), "t = {}\n");
}

#[test]
fn windows_line_endings_are_kept() {
    let crlf = example().replace('\n', "\r\n");
    let out = edit(
        &crlf,
        &[
            set("cluster[0].windows_vms", EditValue::Integer(10)),
            Edit::Append {
                array: "scenario[4].plan".into(),
                fields: vec![("cluster".into(), text("prod"))],
            },
            remove("scenario[0].plan[0].addons"),
        ],
    );
    assert!(!out.replace("\r\n", "").contains('\n'), "{out:?}");
    assert!(out.contains("windows_vms = 10\r\n"));
    assert!(out.ends_with("hyper-v-server\"\r\n\r\n[[scenario.plan]]\r\ncluster = \"prod\"\r\n"));
}

#[test]
fn errors_name_the_path_and_the_problem() {
    let doc = example();
    let err = |e: Edit| edit_text(&doc, &[e]).unwrap_err();
    assert!(matches!(
        err(set("cluster[0]hosts", EditValue::Integer(1))),
        EditError::BadPath { .. }
    ));
    assert!(matches!(
        err(set("", EditValue::Integer(1))),
        EditError::BadPath { .. }
    ));
    assert!(matches!(
        err(set("cluster[x].hosts", EditValue::Integer(1))),
        EditError::BadPath { .. }
    ));
    let e = err(set("cluster[3].hosts", EditValue::Integer(1)));
    assert_eq!(
        e.to_string(),
        "`cluster[3].hosts`: index 3 is out of range: `cluster` has 1 element(s)"
    );
    let e = err(set("cluster.hosts", EditValue::Integer(1)));
    assert!(e.to_string().contains("is an array: give an index"), "{e}");
    let e = err(set("years.x", EditValue::Integer(1)));
    assert!(
        e.to_string().contains("`years` is a integer, not a table"),
        "{e}"
    );
    let e = err(set("cluster[0]", EditValue::Integer(1)));
    assert!(matches!(e, EditError::WrongKind { .. }), "{e}");
    let e = err(remove("cluster[0].nothing"));
    assert!(matches!(e, EditError::NotFound { .. }), "{e}");
    let e = err(set("rule[0].reason", text("x")));
    assert!(matches!(e, EditError::NotFound { .. }), "{e}");
    let e = err(Edit::Append {
        array: "cluster[0].needs".into(),
        fields: vec![],
    });
    assert!(e.to_string().contains("list of values"), "{e}");

    let broken = doc.replace("years = 3", "years = = 3");
    let e = edit_text(&broken, &[set("years", EditValue::Integer(4))]).unwrap_err();
    assert!(
        e.to_string().starts_with("fix the TOML first: line 13: "),
        "{e}"
    );
    // A duplicate key made by an edit is caught by the safety net.
    let e = err(Edit::Append {
        array: "cluster".into(),
        fields: vec![
            ("a".into(), EditValue::Integer(1)),
            ("a".into(), EditValue::Integer(2)),
        ],
    });
    assert!(matches!(e, EditError::Rejected { .. }), "{e}");
}

#[test]
fn json_shapes() {
    let edits: Vec<Edit> = serde_json::from_str(
        r#"[{"set": "cluster[0].hosts", "value": {"integer": 6}},
            {"set": "costs.kwh_price", "value": {"decimal": "0.12"}},
            {"set": "purchase_date", "value": {"date": "2009-11-02"}},
            {"set": "cluster[0].needs", "value": {"list": ["ha"]}},
            {"remove": "scenario[0].plan[0].support"},
            {"append": "cluster", "fields": [["name", {"text": "dr"}], ["hosts", {"integer": 2}]]}]"#,
    )
    .unwrap();
    assert_eq!(edits[0], set("cluster[0].hosts", EditValue::Integer(6)));
    assert_eq!(
        edits[1],
        set("costs.kwh_price", EditValue::Decimal(Decimal::new(12, 2)))
    );
    assert_eq!(edits[4], remove("scenario[0].plan[0].support"));
    assert!(
        matches!(&edits[5], Edit::Append { array, fields } if array == "cluster" && fields.len() == 2)
    );
    assert!(serde_json::from_str::<EditValue>(r#"{"decimal": 0.12}"#).is_err());
    assert!(serde_json::from_str::<EditValue>(r#"{"date": "2009-02-30"}"#).is_err());
    assert!(serde_json::from_str::<Edit>(r#"{"remove": "x", "value": {"integer": 1}}"#).is_err());
}

#[test]
fn nothing_panics_on_odd_input() {
    for doc in [
        "",
        "\n",
        "# only a comment",
        "a = 1",
        "[t]",
        "x = [\n]\n",
        "t = {}\n",
    ] {
        for path in ["a", "t.k", "x", "x[0]", "t[0]", "a.b.c", "\"q k\".v"] {
            let _ = edit_text(doc, &[set(path, EditValue::Integer(1))]);
            let _ = edit_text(doc, &[remove(path)]);
            let _ = edit_text(
                doc,
                &[Edit::Append {
                    array: path.into(),
                    fields: vec![("k".into(), text("v"))],
                }],
            );
        }
    }
    assert_eq!(edit("", &[set("a", EditValue::Integer(1))]), "a = 1\n");
    assert_eq!(
        edit("# c", &[set("a", EditValue::Integer(1))]),
        "a = 1\n# c"
    );
    assert_eq!(
        edit("t = {}\n", &[set("t.k", EditValue::Integer(1))]),
        "t = { k = 1 }\n"
    );
    assert_eq!(
        edit("[t]", &[set("t.k", EditValue::Integer(1))]),
        "[t]\nk = 1\n"
    );
    assert_eq!(
        edit("a = 1", &[set("\"q k\".v", EditValue::Integer(1))]),
        "a = 1\n\n[\"q k\"]\nv = 1\n"
    );
}

proptest! {
    #[test]
    fn set_hosts_reads_back(n in any::<i64>(), comment in "[ a-z#]{0,8}") {
        let doc = example().replace("hosts = 8", &format!("hosts = 8 #{comment}"));
        let out = edit_text(&doc, &[set("cluster[0].hosts", EditValue::Integer(n))]).unwrap();
        let tree = DeTable::parse(&out).unwrap();
        let hosts = tree.get_ref()["cluster"].get_ref().as_array().unwrap()[0]
            .get_ref().as_table().unwrap()["hosts"].get_ref().as_integer().unwrap().as_str().to_owned();
        prop_assert_eq!(hosts, n.to_string());
        let comment_line = format!("hosts = {n} #{comment}");
        prop_assert!(out.contains(&comment_line));
        if (1..=100_000).contains(&n) {
            prop_assert_eq!(u64::from(valid_estate(&out).clusters[0].hosts), n.unsigned_abs());
        }
    }
}

//! `hypercost pricebook diff A B [--estate FILE]`: what changed between two books, and what
//! that does to an estate's quote, with the arithmetic done by hand.

use std::path::{Path, PathBuf};

use hypercost_core::pricebook::diff;
use hypercost_core::{PricebookId, SourceFile, parse_pricebook};

use crate::support::{BOOKS, Scratch, arg, cli, edit, repo_root};

fn vsphere_4_text() -> String {
    std::fs::read_to_string(repo_root().join("pricebooks/vmware-vsphere-4.0.toml"))
        .expect("the bundled vSphere 4.0 book")
}

/// `text` without its `[[promotion]]` table (up to the next array of tables or the end).
fn without_promotion(text: &str) -> String {
    let start = text
        .find("[[promotion]]")
        .expect("the book has a promotion");
    let end = text[start + 1..]
        .find("\n[[")
        .map_or(text.len(), |i| start + 1 + i + 1);
    assert_eq!(
        text.matches("[[promotion]]").count(),
        1,
        "one promotion in vSphere 4.0"
    );
    format!("{}{}", &text[..start], &text[end..])
}

/// vSphere 4.0 with Enterprise Plus at 2,999.00 (list 3,495.00) and the 50 % upgrade promotion
/// removed, under the same id.
fn cheaper_ep_without_promotion() -> String {
    let text = edit(
        &vsphere_4_text(),
        "amount = \"3495.00\"",
        "amount = \"2999.00\"",
    );
    without_promotion(&text)
}

fn write(dir: &Scratch, name: &str, text: &str) -> PathBuf {
    dir.write(name, text)
}

fn example() -> String {
    repo_root()
        .join("examples/acme-2009.toml")
        .to_str()
        .expect("UTF-8 path")
        .to_owned()
}

/// The lines of a diff listing that name a change (`~`, `+`, `-`), continuation lines joined.
fn change_lines(out: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for l in out.lines() {
        if l.starts_with("~ ") || l.starts_with("+ ") || l.starts_with("- ") {
            lines.push(l.to_owned());
        } else if let Some(rest) = l.strip_prefix("    ")
            && let Some(last) = lines.last_mut()
        {
            last.push(' ');
            last.push_str(rest);
        } else if l.is_empty() {
            break;
        }
    }
    lines
}

#[test]
fn a_cheaper_edition_and_a_removed_promotion_are_exactly_the_changes() {
    let dir = Scratch::new();
    let b = write(&dir, "b.toml", &cheaper_ep_without_promotion());
    let run = cli(&["pricebook", "diff", "vmware-vsphere-4.0", arg(&b)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = run.out();
    let head: Vec<&str> = out.lines().take(3).collect();
    assert_eq!(
        head,
        [
            "A: vmware-vsphere-4.0 (<bundled>)".to_owned(),
            format!("B: vmware-vsphere-4.0 ({})", b.display()),
            "2 differences".to_owned(),
        ]
    );
    let lines = change_lines(&out);
    assert_eq!(lines.len(), 2, "{out}");
    assert_eq!(
        lines[0],
        "~ edition enterprise-plus: price: 3,495.00 → 2,999.00"
    );
    assert!(
        lines[1].starts_with(
            "- promotion enterprise-plus-upgrade-2009: Enterprise Plus upgrade promotion, 50 % off"
        ),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].ends_with("50 % off enterprise-to-enterprise-plus until 2009-12-14 [S]"),
        "{}",
        lines[1]
    );
    assert!(out.lines().all(|l| l.chars().count() <= 100), "{out}");

    // The same through the core: exactly two changes, in book order.
    let a = BOOKS
        .get(&PricebookId("vmware-vsphere-4.0".into()))
        .expect("bundled");
    let b_book = parse_pricebook(
        &SourceFile::new("b.toml", cheaper_ep_without_promotion()),
        "b.toml",
    )
    .expect("the edited copy is valid");
    let changes = diff(a, &b_book);
    let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "edition enterprise-plus: price",
            "promotion enterprise-plus-upgrade-2009"
        ]
    );
    assert!(changes[1].is_removed());
}

/// The totals block of one scenario in the `--estate` output.
fn scenario_block<'a>(out: &'a str, name: &str) -> &'a str {
    let start = out
        .find(&format!("\n{name}\n"))
        .unwrap_or_else(|| panic!("scenario `{name}` in:\n{out}"));
    let rest = &out[start + 1..];
    let end = rest.find("\n\n").unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn with_the_example_estate_the_enterprise_plus_totals_fall_by_992() {
    // The example owns 8 VI3 Enterprise licences (2 CPUs each) with active SnS and UPGRADES all
    // 16 CPUs to Enterprise Plus: VI3 → Enterprise free, Enterprise → Enterprise Plus at 620.00
    // per CPU, half price under the promotion. No Enterprise Plus licence is bought at list, so
    // the list price only matters through SnS, 25 % of list per CPU per year:
    //   SnS with A: 16 × 25 % × 3,495.00 = 16 × 873.75 = 13,980.00 a year, × 3 = 41,940.00
    //   SnS with B: 16 × 25 % × 2,999.00 = 16 × 749.75 = 11,996.00 a year, × 3 = 35,988.00
    //                                                                   change: −5,952.00
    //   upgrade with A: 16 × 620.00 × (1 − 50 %) =  4,960.00
    //   upgrade with B: 16 × 620.00 (no promotion) = 9,920.00          change: +4,960.00
    //   net: −5,952.00 + 4,960.00 = −992.00 for each Enterprise Plus scenario:
    //   (each total includes the vCenter Server the editions require, 4,995 + 3 × 1,248.75 =
    //   8,741.25, the same with A and B)
    //   with the Nexus 1000V: 66,761.25 → 65,769.25, −992 ÷ 66,761.25 = −1.4858… % → −1.49 %
    //   with VMware's switch: 55,641.25 → 54,649.25, −992 ÷ 55,641.25 = −1.7828… % → −1.78 %
    // Staying on Enterprise (SnS on 2,875.00) and the free hypervisors do not change.
    let dir = Scratch::new();
    let b = write(&dir, "b.toml", &cheaper_ep_without_promotion());
    let estate = example();
    let run = cli(&[
        "pricebook",
        "diff",
        "vmware-vsphere-4.0",
        arg(&b),
        "--estate",
        &estate,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = run.out();
    let expect = |name: &str, a: &str, b: &str, d: &str| {
        let block = scenario_block(&out, name);
        let lines: Vec<String> = block
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(
            lines[1..4],
            [
                format!("total with A {a} USD"),
                format!("total with B {b} USD"),
                format!("difference {d}"),
            ],
            "{block}"
        );
        block.to_owned()
    };
    let nexus = expect(
        "Enterprise Plus + Nexus 1000V (upgrade)",
        "66,761.25",
        "65,769.25",
        "-992.00 USD (-1.49 %)",
    );
    expect(
        "Enterprise Plus, VMware distributed switch (upgrade)",
        "55,641.25",
        "54,649.25",
        "-992.00 USD (-1.78 %)",
    );
    let stay = expect(
        "Stay on Enterprise (free VI3 upgrade)",
        "43,241.25",
        "43,241.25",
        "0.00 USD (0.00 %)",
    );
    expect("XenServer 5.5 free", "0.00", "0.00", "0.00 USD");
    assert!(
        nexus.contains("compliance    unchanged (compliant)"),
        "{nexus}"
    );
    assert!(
        stay.contains("compliance    unchanged (NOT COMPLIANT)"),
        "{stay}"
    );
    assert!(out.lines().all(|l| l.chars().count() <= 100), "{out}");

    // B in A's place is what `quote --pricebook b.toml` prices (same id, so it replaces A).
    let direct = cli(&["quote", &estate, "--pricebook", arg(&b), "--format", "json"]);
    assert_eq!(direct.code, 0, "{}", direct.stderr);
    let q: serde_json::Value = serde_json::from_slice(&direct.stdout).expect("JSON");
    assert_eq!(q["scenarios"][0]["total"], "65769.25");
    assert_eq!(q["scenarios"][1]["total"], "54649.25");
}

#[test]
fn a_book_with_another_id_is_put_in_place_of_a_under_a_s_id() {
    let dir = Scratch::new();
    let text = edit(
        &cheaper_ep_without_promotion(),
        "id = \"vmware-vsphere-4.0\"",
        "id = \"acme-negotiated-vsphere\"",
    );
    let b = write(&dir, "negotiated.toml", &text);
    let estate = example();
    let run = cli(&[
        "pricebook",
        "diff",
        "vmware-vsphere-4.0",
        arg(&b),
        "--estate",
        &estate,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = run.out();
    let lines = change_lines(&out);
    assert_eq!(
        lines[0],
        "~ id: vmware-vsphere-4.0 → acme-negotiated-vsphere"
    );
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        out.contains("its id rewritten to vmware-vsphere-4.0"),
        "{out}"
    );
    let block = scenario_block(&out, "Enterprise Plus, VMware distributed switch (upgrade)");
    assert!(block.contains("54,649.25"), "{block}");
}

#[test]
fn two_identical_books_have_no_differences() {
    let file = repo_root().join("pricebooks/vmware-vsphere-4.0.toml");
    for (a, b) in [
        ("vmware-vsphere-4.0", "vmware-vsphere-4.0"),
        ("vmware-vsphere-4.0", arg(&file)),
    ] {
        let run = cli(&["pricebook", "diff", a, b]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let out = run.out();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        assert_eq!(lines[2], "no differences", "{out}");
    }
}

#[test]
fn an_unknown_id_exits_2_naming_the_valid_ids() {
    let run = cli(&[
        "pricebook",
        "diff",
        "vmware-vsphere-4.0",
        "vmware-vsphere-4.1",
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr
            .contains("unknown pricebook `vmware-vsphere-4.1`"),
        "{}",
        run.stderr
    );
    for id in BOOKS.ids() {
        assert!(run.stderr.contains(id), "`{id}` in: {}", run.stderr);
    }
}

#[test]
fn a_bad_pricebook_file_exits_2_with_its_line_and_field() {
    let dir = Scratch::new();
    let text = edit(
        &vsphere_4_text(),
        "amount = \"3495.00\"",
        "amont = \"3495.00\"",
    );
    let b = write(&dir, "bad.toml", &text);
    let run = cli(&["pricebook", "diff", "vmware-vsphere-4.0", arg(&b)]);
    assert_eq!(run.code, 2);
    let reports = run.reports();
    assert!(
        reports.iter().any(|r| r.field.ends_with(".price.amont")
            && r.file == b.display().to_string()
            && r.line > 0),
        "{}",
        run.stderr
    );
    let missing = cli(&[
        "pricebook",
        "diff",
        "vmware-vsphere-4.0",
        "no/such/book.toml",
    ]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("cannot read no/such/book.toml"),
        "{}",
        missing.stderr
    );
}

#[test]
fn an_estate_that_no_longer_reads_with_b_exits_2_after_the_diff() {
    // B drops the `production` support plan, which the example's vSphere plans choose.
    let dir = Scratch::new();
    let text = vsphere_4_text();
    let start = text.find("[[support]]").expect("the support plan");
    let end = start + 1 + text[start + 1..].find("\n[[").expect("a table follows") + 1;
    let text = format!("{}{}", &text[..start], &text[end..]);
    let b = write(&dir, "no-support.toml", &text);
    let estate = example();
    let run = cli(&[
        "pricebook",
        "diff",
        "vmware-vsphere-4.0",
        arg(&b),
        "--estate",
        &estate,
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let out = run.out();
    assert!(
        change_lines(&out)
            .iter()
            .any(|l| l.starts_with("- support production: ")),
        "{out}"
    );
    assert!(
        run.stderr
            .contains("with vmware-vsphere-4.0 in place of vmware-vsphere-4.0"),
        "{}",
        run.stderr
    );
    assert!(
        run.reports()
            .iter()
            .any(|r| r.message.contains("unknown support plan `production`")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_path_is_a_valid_a_too() {
    let dir = Scratch::new();
    let b = write(&dir, "b.toml", &cheaper_ep_without_promotion());
    let a: &Path = &repo_root().join("pricebooks/vmware-vsphere-4.0.toml");
    let run = cli(&["pricebook", "diff", arg(&b), arg(a)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = change_lines(&run.out());
    assert_eq!(
        lines[0],
        "~ edition enterprise-plus: price: 2,999.00 → 3,495.00"
    );
    assert!(lines[1].starts_with("+ promotion enterprise-plus-upgrade-2009: "));
}

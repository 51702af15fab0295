//! The command line in-process: formats, `-o`, `-`, `--pricebook`, help, version, exit codes,
//! determinism, and the arithmetic of the JSON contract recomputed from its strings.

use std::io::ErrorKind;
use std::str::FromStr;

use hypercost_core::{Format, example_estate, parse_estate, quote, render};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::support::{BOOKS, FailingWriter, Scratch, arg, cli, cli_with_stdin, repo_root};

/// `"69900.00"`: digits, a point, exactly two decimals.
fn is_money(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let Some((int, frac)) = digits.split_once('.') else {
        return false;
    };
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.len() == 2
        && frac.bytes().all(|b| b.is_ascii_digit())
        && s != "-0.00"
}

/// A JSON money string as a [`Decimal`], checking its form.
#[track_caller]
fn money(v: &Value) -> Decimal {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("money is a string: {v}"));
    assert!(is_money(s), "money `{s}` has exactly two decimals");
    Decimal::from_str(s).expect("money is a decimal")
}

/// Checks the JSON quote's shape and arithmetic; returns it parsed.
#[track_caller]
pub(crate) fn check_quote_json(bytes: &[u8]) -> Value {
    let q: Value = serde_json::from_slice(bytes).expect("quote JSON parses");
    assert_eq!(q["format"], 1);
    assert!(
        q["engine"]
            .as_str()
            .is_some_and(|e| e.starts_with("hypercost-core "))
    );
    assert!(q["currency"].as_str().is_some_and(|c| c.len() == 3));
    let horizon = q["years"].as_u64().expect("years") as usize;
    let scenarios = q["scenarios"].as_array().expect("scenarios");
    assert!(!scenarios.is_empty());
    for s in scenarios {
        let name = s["name"].as_str().expect("scenario name");
        let total = money(&s["total"]);
        let lines = s["lines"].as_array().expect("lines");
        let years = s["years"].as_array().expect("years");
        assert_eq!(years.len(), horizon, "{name}: one total per year");
        let mut sum_lines = Decimal::ZERO;
        for l in lines {
            let amount = money(&l["amount"]);
            sum_lines += amount;
            let unit = l["unit_price"].as_str().expect("unit price");
            let (_, frac) = unit.split_once('.').expect("unit price has decimals");
            assert!(
                frac.len() >= 2,
                "unit price `{unit}` has at least two decimals"
            );
            Decimal::from_str(unit).expect("unit price is a decimal");
            Decimal::from_str(l["quantity"].as_str().expect("quantity is a string"))
                .expect("quantity is a decimal");
            let kind = l["kind"].as_str().expect("kind");
            assert!(
                [
                    "licence",
                    "upgrade",
                    "support",
                    "subscription",
                    "hardware",
                    "power",
                    "facilities",
                    "admin",
                    "migration"
                ]
                .contains(&kind),
                "{name}: unknown line kind {kind}"
            );
            let year = l["year"].as_u64().expect("year") as usize;
            assert!((1..=horizon).contains(&year), "{name}: line year {year}");
            for key in ["cluster", "item", "name", "rule", "source", "confidence"] {
                assert!(
                    l[key].as_str().is_some_and(|v| !v.is_empty()),
                    "{name}: line without {key}: {l}"
                );
            }
        }
        assert_eq!(
            total, sum_lines,
            "{name}: total equals the sum of its lines"
        );
        let mut sum_years = Decimal::ZERO;
        for (i, y) in years.iter().enumerate() {
            assert_eq!(y["year"].as_u64(), Some(i as u64 + 1));
            let yt = money(&y["total"]);
            let of_year: Decimal = lines
                .iter()
                .filter(|l| l["year"].as_u64() == Some(i as u64 + 1))
                .map(|l| money(&l["amount"]))
                .sum();
            assert_eq!(yt, of_year, "{name}: year {} equals its lines", i + 1);
            sum_years += yt;
        }
        assert_eq!(
            total, sum_years,
            "{name}: total equals the sum of its years"
        );
        let compliant = s["compliant"].as_bool().expect("compliant");
        let problems = s["problems"].as_array().expect("problems");
        assert_eq!(
            compliant,
            problems.is_empty(),
            "{name}: compliant iff no problems"
        );
    }
    // Ranking: every scenario once, ranks 1..n, compliant first, then by total.
    let ranking = q["ranking"].as_array().expect("ranking");
    assert_eq!(ranking.len(), scenarios.len());
    for (i, r) in ranking.iter().enumerate() {
        assert_eq!(r["rank"].as_u64(), Some(i as u64 + 1));
        let s = scenarios
            .iter()
            .find(|s| s["name"] == r["scenario"])
            .expect("ranked scenario exists");
        assert_eq!(r["total"], s["total"]);
        assert_eq!(r["compliant"], s["compliant"]);
    }
    for pair in ranking.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let (ca, cb) = (a["compliant"] == true, b["compliant"] == true);
        assert!(ca >= cb, "compliant scenarios rank first");
        if ca == cb {
            assert!(money(&a["total"]) <= money(&b["total"]), "then by total");
        }
    }
    q
}

/// The estate path of the bundled example in the repository.
fn example_path() -> String {
    arg(&repo_root().join("examples/acme-2009.toml")).to_owned()
}

#[test]
fn example_quote_as_table() {
    let run = cli(&["quote"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    let out = run.out();
    assert!(out.starts_with("Acme 2009 vSphere 4 decision · USD · purchase 2009-11-02 · 3 years"));
    for name in [
        "Enterprise Plus + Nexus 1000V (upgrade)",
        "Enterprise Plus, VMware distributed switch (upgrade)",
        "Stay on Enterprise (free VI3 upgrade)",
        "XenServer 5.5 free",
        "Hyper-V Server 2008 R2 (free)",
    ] {
        assert!(out.contains(name), "the table shows scenario {name}");
    }
    // Issue 3 point 6: the table reads well in 100 columns. Only an unbreakable word (a long
    // source URL on a line of its own) may be wider.
    for line in out.lines() {
        assert!(
            line.chars().count() <= 100 || !line.trim().contains(' '),
            "line wider than 100 columns: {line}"
        );
    }
}

#[test]
fn example_quote_as_json() {
    let run = cli(&["quote", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    let q = check_quote_json(&run.stdout);
    assert_eq!(q["estate"], "Acme 2009 vSphere 4 decision");
    assert_eq!(q["currency"], "USD");
    assert_eq!(q["purchase_date"], "2009-11-02");
    assert_eq!(q["scenarios"].as_array().map(Vec::len), Some(5));
    for b in q["pricebooks"].as_array().expect("pricebooks") {
        assert!(b["hash"].as_str().is_some_and(|h| h.starts_with("sha256:")));
    }
    // Two public figures, by hand (issue 3, "Done when"):
    // Nexus 1000V, 8 hosts × 2 sockets = 16 CPUs × $695.00 = $11,120.00 (seed article);
    // Enterprise → Enterprise Plus, 16 CPUs × $620.00 × 50 % = $4,960.00 before 2009-12-15.
    let lines = q["scenarios"][0]["lines"].as_array().expect("lines");
    let nexus = lines
        .iter()
        .find(|l| l["item"] == "cisco-nexus-1000v-2009/nexus-1000v")
        .expect("a Nexus 1000V line");
    assert_eq!(nexus["quantity"], "16");
    assert_eq!(nexus["unit_price"], "695.00");
    assert_eq!(nexus["amount"], "11120.00");
    let upgrade = lines
        .iter()
        .find(|l| l["item"] == "vmware-vsphere-4.0/enterprise-to-enterprise-plus")
        .expect("an Enterprise Plus upgrade line");
    assert_eq!(upgrade["quantity"], "16");
    assert_eq!(upgrade["amount"], "4960.00");
}

#[test]
fn example_from_the_repository_equals_the_embedded_one() {
    let embedded = cli(&["quote", "--format", "json"]);
    let from_file = cli(&["quote", &example_path(), "--format", "json"]);
    assert_eq!(from_file.code, 0, "{}", from_file.stderr);
    assert_eq!(embedded.stdout, from_file.stdout);
}

#[test]
fn cli_json_equals_the_core_render() {
    let estate = parse_estate(&example_estate(), &BOOKS).expect("the example is valid");
    let q = quote(&estate, &BOOKS);
    for (format, flag) in [(Format::Json, "json"), (Format::Table, "table")] {
        let run = cli(&["quote", "--format", flag]);
        assert_eq!(run.code, 0);
        assert_eq!(
            run.stdout,
            render(&q, format).expect("renders"),
            "{flag}: CLI and core agree"
        );
    }
}

#[test]
fn output_file_gets_the_same_bytes_as_stdout() {
    let dir = Scratch::new();
    for format in ["table", "json"] {
        let out = dir.path().join(format!("quote.{format}"));
        let to_file = cli(&["quote", "--format", format, "-o", arg(&out)]);
        assert_eq!(to_file.code, 0, "{}", to_file.stderr);
        assert!(to_file.stdout.is_empty(), "-o leaves stdout empty");
        let to_stdout = cli(&["quote", "--format", format]);
        let written = std::fs::read(&out).expect("-o wrote the file");
        assert_eq!(written, to_stdout.stdout, "{format}");
        // --output is the long form; it overwrites.
        let again = cli(&["quote", "--format", format, "--output", arg(&out)]);
        assert_eq!(again.code, 0);
        assert_eq!(std::fs::read(&out).expect("rewritten"), to_stdout.stdout);
    }
}

#[test]
fn dash_reads_the_estate_from_stdin() {
    let text = std::fs::read(repo_root().join("examples/acme-2009.toml")).expect("example");
    for format in ["table", "json"] {
        let from_stdin = cli_with_stdin(&["quote", "-", "--format", format], &text);
        assert_eq!(from_stdin.code, 0, "{}", from_stdin.stderr);
        let embedded = cli(&["quote", "--format", format]);
        assert_eq!(from_stdin.stdout, embedded.stdout, "{format}");
    }
}

/// An estate that buys vSphere 4.0 Enterprise Plus new: 2 hosts × 2 sockets = 4 CPUs.
const NEW_ENTERPRISE_PLUS: &str = r#"format = 1
name = "Override test"
currency = "USD"
purchase_date = 2009-11-02
years = 1

[[cluster]]
name = "prod"
hosts = 2
sockets_per_host = 2
cores_per_socket = 4

[[scenario]]
name = "Enterprise Plus, new"
[[scenario.plan]]
cluster = "prod"
edition = "vmware-vsphere-4.0/enterprise-plus"
"#;

fn licence_line(q: &Value) -> &Value {
    q["scenarios"][0]["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .find(|l| l["kind"] == "licence" && l["item"] == "vmware-vsphere-4.0/enterprise-plus")
        .expect("an Enterprise Plus licence line")
}

#[test]
fn pricebook_override_replaces_a_bundled_price_and_says_so() {
    let dir = Scratch::new();
    let estate = dir.write("estate.toml", NEW_ENTERPRISE_PLUS);
    let bundled = std::fs::read_to_string(repo_root().join("pricebooks/vmware-vsphere-4.0.toml"))
        .expect("bundled book");
    assert_eq!(bundled.matches("amount = \"3495.00\"").count(), 1);
    let negotiated = bundled.replace("amount = \"3495.00\"", "amount = \"2999.00\"");
    let book = dir.write("my-negotiated.toml", negotiated);

    let list = cli(&["quote", arg(&estate), "--format", "json"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    let list = check_quote_json(&list.stdout);
    assert_eq!(licence_line(&list)["unit_price"], "3495.00");
    assert_eq!(licence_line(&list)["amount"], "13980.00"); // 4 CPUs × $3,495.00
    assert!(
        list["notes"]
            .as_array()
            .expect("notes")
            .iter()
            .all(|n| !n.as_str().unwrap_or("").contains("replaces"))
    );

    let run = cli(&[
        "quote",
        arg(&estate),
        "--format",
        "json",
        "--pricebook",
        arg(&book),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let q = check_quote_json(&run.stdout);
    assert_eq!(licence_line(&q)["unit_price"], "2999.00");
    assert_eq!(licence_line(&q)["amount"], "11996.00"); // 4 CPUs × $2,999.00
    let notes: Vec<&str> = q["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("vmware-vsphere-4.0")
            && n.contains("replaces")
            && n.contains(arg(&book))),
        "a note names the replaced book and the file: {notes:?}"
    );
    let used = q["pricebooks"]
        .as_array()
        .expect("pricebooks")
        .iter()
        .find(|b| b["id"] == "vmware-vsphere-4.0")
        .expect("vSphere book used");
    assert_eq!(used["origin"], arg(&book));
    let bundled_hash = list["pricebooks"]
        .as_array()
        .expect("pricebooks")
        .iter()
        .find(|b| b["id"] == "vmware-vsphere-4.0")
        .expect("vSphere book used")["hash"]
        .clone();
    assert_ne!(
        used["hash"], bundled_hash,
        "the content hash follows the content"
    );

    // The table says it too.
    let table = cli(&["quote", arg(&estate), "--pricebook", arg(&book)]);
    assert_eq!(table.code, 0);
    assert!(table.out().contains("replaces"), "{}", table.out());
}

#[test]
fn an_extra_pricebook_with_a_new_id_adds_to_the_bundled_ones() {
    let dir = Scratch::new();
    let bundled = std::fs::read_to_string(repo_root().join("pricebooks/vmware-vsphere-4.0.toml"))
        .expect("bundled book");
    let renamed = bundled
        .replace("id = \"vmware-vsphere-4.0\"", "id = \"acme-vsphere-deal\"")
        .replace("amount = \"3495.00\"", "amount = \"1000.00\"")
        // Its upgrade paths name the bundled book's items; drop them from the copy.
        .replace(
            "from = \"vmware-vsphere-4.0/enterprise\"",
            "from = \"acme-vsphere-deal/enterprise\"",
        );
    let book = dir.write("acme-vsphere-deal.toml", renamed);
    let estate = dir.write(
        "estate.toml",
        NEW_ENTERPRISE_PLUS.replace(
            "vmware-vsphere-4.0/enterprise-plus",
            "acme-vsphere-deal/enterprise-plus",
        ),
    );
    let run = cli(&[
        "quote",
        arg(&estate),
        "--format",
        "json",
        "--pricebook",
        arg(&book),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let q = check_quote_json(&run.stdout);
    let ids: Vec<&str> = q["pricebooks"]
        .as_array()
        .expect("pricebooks")
        .iter()
        .filter_map(|b| b["id"].as_str())
        .collect();
    assert!(ids.contains(&"acme-vsphere-deal"), "{ids:?}");
    assert_eq!(q["scenarios"][0]["lines"][0]["unit_price"], "1000.00");
}

#[test]
fn help_and_version_exit_0() {
    for args in [
        &["--help"][..],
        &["-h"],
        &["help"],
        &["quote", "--help"],
        &["help", "quote"],
    ] {
        let run = cli(args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(
            run.out().contains("Usage: hypercost"),
            "{args:?}: {}",
            run.out()
        );
    }
    for args in [&["--version"][..], &["-V"]] {
        let run = cli(args);
        assert_eq!(run.code, 0, "{args:?}");
        assert_eq!(
            run.out(),
            format!("hypercost {}\n", env!("CARGO_PKG_VERSION"))
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &[][..],
        &["frobnicate"],
        &["quote", "--frobnicate"],
        &["--frobnicate"],
        &["quote", "--format", "xml"],
        &["quote", "--format"],
        &["quote", "-o"],
        &["quote", "a.toml", "b.toml"],
    ] {
        let run = cli(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}");
        assert!(!run.stderr.is_empty(), "{args:?}: says what is wrong");
    }
    let run = cli(&["quote", "--format", "xml"]);
    assert!(
        run.stderr.contains("table") && run.stderr.contains("json"),
        "{}",
        run.stderr
    );
}

#[test]
fn writing_to_a_directory_exits_1() {
    let dir = Scratch::new();
    let run = cli(&["quote", "-o", arg(dir.path())]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("cannot write"), "{}", run.stderr);
    assert!(run.stderr.contains(arg(dir.path())), "{}", run.stderr);
}

#[test]
fn writing_into_a_missing_directory_exits_1() {
    let dir = Scratch::new();
    let out = dir.path().join("no/such/dir/quote.json");
    let run = cli(&["quote", "-o", arg(&out)]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

#[test]
fn a_failing_stdout_exits_1_and_a_closed_pipe_exits_0() {
    let mut stderr = Vec::new();
    let code = hypercost::run(
        ["hypercost", "quote"],
        &mut &b""[..],
        &mut FailingWriter(ErrorKind::Other),
        &mut stderr,
        false,
    );
    assert_eq!(code, 1, "{}", String::from_utf8_lossy(&stderr));
    assert!(String::from_utf8_lossy(&stderr).contains("cannot write"));

    let mut stderr = Vec::new();
    let code = hypercost::run(
        ["hypercost", "quote"],
        &mut &b""[..],
        &mut FailingWriter(ErrorKind::BrokenPipe),
        &mut stderr,
        false,
    );
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&stderr));
}

#[test]
fn output_is_deterministic() {
    for format in ["table", "json"] {
        let a = cli(&["quote", "--format", format]);
        let b = cli(&["quote", "--format", format]);
        assert_eq!(a.code, 0);
        assert_eq!(a.stdout, b.stdout, "{format}");
    }
    // Errors too.
    let dir = Scratch::new();
    let bad = dir.write("bad.toml", "format = 2\nhosts = 0\n[[cluster]]\nname = 1\n");
    let a = cli(&["quote", arg(&bad)]);
    let b = cli(&["quote", arg(&bad)]);
    assert_eq!(a.code, 2);
    assert_eq!(a.stderr, b.stderr);
}

#[test]
fn colour_is_only_used_when_asked() {
    let dir = Scratch::new();
    let bad = dir.write("bad.toml", "format = 2\n");
    let path = arg(&bad);
    let run = cli(&["quote", path]);
    assert!(
        !run.stderr.contains('\u{1b}'),
        "no escape codes without colour"
    );
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let code = hypercost::run(
        ["hypercost", "quote", path],
        &mut &b""[..],
        &mut stdout,
        &mut stderr,
        true,
    );
    assert_eq!(code, 2);
    assert!(
        String::from_utf8_lossy(&stderr).contains('\u{1b}'),
        "colour when asked"
    );
}

#[test]
fn as_of_outside_the_priced_years_is_refused() {
    let run = cli(&["quote", "--as-of", "1800-01-01"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("outside the years hypercost prices"),
        "{}",
        run.stderr
    );
    let run = cli(&["quote", "--as-of", "2009-12-15"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

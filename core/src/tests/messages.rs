//! One error, one message, at the right line (issue 13): duplicates are refused at the second
//! occurrence and name the first; a bad value is not also reported as missing.

use super::*;
use crate::diag::Diagnostics;

/// The example estate's text.
fn example() -> String {
    crate::example_estate().text
}

fn refused(text: &str) -> Diagnostics {
    let books = PricebookSet::bundled().expect("bundled");
    match parse_estate(&SourceFile::new("estate.toml", text), &books) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(d) => d,
    }
}

/// 1-based line of the `n`th (0-based) line containing `needle`.
fn line_of(text: &str, needle: &str, n: usize) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .nth(n)
        .map(|(i, _)| i + 1)
        .expect("the needle")
}

#[test]
fn the_same_add_on_twice_in_a_plan_is_refused_at_the_second() {
    let text = example().replacen(
        "addons = [\"cisco-nexus-1000v-2009/nexus-1000v\"]",
        "addons = [\"cisco-nexus-1000v-2009/nexus-1000v\",\n  \"cisco-nexus-1000v-2009/nexus-1000v\"]",
        1,
    );
    let d = refused(&text);
    assert_eq!(d.0.len(), 1, "{d}");
    let p = &d.0[0];
    assert_eq!(p.field, "scenario[0].plan[0].addons");
    assert_eq!(p.line, line_of(&text, "cisco-nexus", 1));
    assert!(p.message.contains("listed twice"), "{p}");
    let first = line_of(&text, "cisco-nexus", 0);
    assert!(
        p.help
            .as_deref()
            .is_some_and(|h| h.contains(&format!("line {first}"))),
        "{p}"
    );
}

#[test]
fn a_duplicate_cluster_or_scenario_name_is_reported_at_the_second_and_names_the_first() {
    let text = example().replacen(
        "[[owned]]",
        "[[cluster]]\nname = \"prod\"\nhosts = 2\nsockets_per_host = 2\ncores_per_socket = 4\n\n[[owned]]",
        1,
    );
    let d = refused(&text);
    let p =
        d.0.iter()
            .find(|p| p.message.contains("duplicate cluster"))
            .expect("reported");
    assert_eq!(p.line, line_of(&text, "name = \"prod\"", 1));
    let first = line_of(&text, "name = \"prod\"", 0);
    assert!(
        p.help
            .as_deref()
            .is_some_and(|h| h.contains(&format!("line {first}"))),
        "{p}"
    );
}

fn refused_book(body: &str) -> Diagnostics {
    let file = SourceFile::new("t.toml", format!("{HEAD}{body}"));
    match parse_pricebook(&file, "test") {
        Ok(_) => panic!("accepted:\n{body}"),
        Err(d) => d,
    }
}

const EDITION: &str = "[[edition]]\nid = \"perp\"\nname = \"Perpetual\"\nmetric = { kind = \"per-socket\" }\nterm = \"perpetual\"\nprice = { amount = \"100.00\", source = \"t\", confidence = \"P\" }\n";

#[test]
fn a_bad_percent_is_one_error_at_the_percent() {
    for bad in ["\"abc\"", "\"250\""] {
        let d = refused_book(&format!(
            "{EDITION}\n[[support]]\nid = \"s\"\nname = \"S\"\nfirst_year = \"optional\"\nrate = {{ percent = {bad}, source = \"t\", confidence = \"S\" }}\n"
        ));
        assert_eq!(d.0.len(), 1, "{bad}: {d}");
        assert_eq!(d.0[0].field, "support[0].rate.percent", "{d}");
    }
}

#[test]
fn a_duplicate_id_is_reported_at_the_later_one_naming_the_earlier() {
    // The support plan comes first in the file but is read after the editions.
    let text = format!(
        "[[support]]\nid = \"perp\"\nname = \"S\"\nfirst_year = \"optional\"\nrate = {{ percent = \"20\", source = \"t\", confidence = \"S\" }}\n\n{EDITION}"
    );
    let d = refused_book(&text);
    let p =
        d.0.iter()
            .find(|p| p.message.starts_with("duplicate id"))
            .expect("reported");
    let full = format!("{HEAD}{text}");
    assert_eq!(p.line, line_of(&full, "id = \"perp\"", 1), "{p}");
    assert!(
        p.message
            .contains(&format!("line {}", line_of(&full, "id = \"perp\"", 0))),
        "{p}"
    );
}

#[test]
fn a_bad_exchange_rate_is_not_also_a_missing_rate() {
    // A EUR book in a USD estate with a rate that is not a number: one error, at the rate.
    let books = PricebookSet::bundled().expect("bundled");
    let eur = books
        .books()
        .iter()
        .find(|b| {
            b.currency == "EUR"
                && b.items
                    .iter()
                    .any(|i| i.role == crate::pricebook::ItemRole::Edition)
        })
        .expect("a EUR book");
    let edition = eur
        .items
        .iter()
        .find(|i| i.role == crate::pricebook::ItemRole::Edition)
        .expect("an edition");
    let text = format!(
        "format = 1\nname = \"t\"\ncurrency = \"USD\"\npurchase_date = {}\nyears = 3\n\n[costs]\nfx = {{ EUR = \"abc\" }}\nfx_date = 2025-01-01\n\n[[cluster]]\nname = \"c\"\nhosts = 2\nsockets_per_host = 2\ncores_per_socket = 8\nvms = 10\nvm_ram_gb = 4\n\n[[scenario]]\nname = \"s\"\n[[scenario.plan]]\ncluster = \"c\"\nedition = \"{}/{}\"\n",
        eur.on_sale_from
            .map_or_else(|| "2025-06-01".to_owned(), |d| d.to_string()),
        eur.id,
        edition.id
    );
    let d = refused(&text);
    assert!(
        d.0.iter().all(|p| !p.message.contains("rate is given")),
        "{d}"
    );
    assert!(d.0.iter().any(|p| p.field == "costs.fx.EUR"), "{d}");
}

#[test]
fn a_nul_byte_is_said_to_be_one_once() {
    let text = example().replace("hosts = 8", "hosts = 8\0");
    let d = refused(&text);
    assert_eq!(d.0.len(), 1, "{d}");
    assert!(
        d.0[0].message.starts_with("a NUL byte is not allowed"),
        "{d}"
    );
    assert_eq!(d.0[0].line, line_of(&text, "hosts = 8", 0));
    let text = example().replace("name = \"prod\"", "name = \"pr\0od\"");
    assert_eq!(refused(&text).0.len(), 1);
}

#[test]
fn a_huge_value_is_not_echoed_whole_and_a_thousand_errors_are_summarised() {
    let long = "x".repeat(200_000);
    let text = example().replacen("cluster = \"prod\"", &format!("cluster = \"{long}\""), 1);
    let d = refused(&text);
    assert!(
        d.0.iter()
            .all(|p| p.message.len() < 400 && p.help.as_ref().is_none_or(|h| h.len() < 2000)),
        "{:?}",
        d.0.iter().map(|p| p.message.len()).collect::<Vec<_>>()
    );
    assert!(d.0.iter().any(|p| p.message.contains(" … ")), "{d}");
    // 1,000 clusters with a bad field each: the first 50, and how many more.
    let mut text = example();
    for i in 0..1000 {
        text.push_str(&format!("\n[[cluster]]\nname = \"b{i}\"\nhosts = 0\nsockets_per_host = 2\ncores_per_socket = 4\n"));
    }
    let d = refused(&text);
    assert_eq!(d.0.len(), crate::diag::SHOWN + 1);
    let last = d.0.last().expect("the summary");
    assert!(
        last.message.contains("more problems are not shown"),
        "{last}"
    );
    assert!(!last.located());
}

#[test]
fn a_baseline_given_by_a_word_of_its_name_suggests_the_names_with_it() {
    let books = PricebookSet::bundled().expect("bundled");
    let e = parse_estate(&crate::example_estate(), &books).expect("example");
    let q = quote(&e, &books);
    let d = crate::analysis::compare::compare(&q, Some("xenserver")).expect_err("a word");
    let help = d.0[0].help.clone().unwrap_or_default();
    assert!(
        help.starts_with("did you mean `XenServer 5.5 free`?"),
        "{help}"
    );
}

#[test]
fn cheapest_with_nothing_to_search_says_why_on_each_cluster() {
    use crate::analysis::cheapest::{Search, cheapest};
    let books = PricebookSet::bundled().expect("bundled");
    let text = example().replace("currency = \"USD\"", "currency = \"EUR\"");
    // The example's USD books need a rate in a EUR estate: read it without its scenarios.
    let text = text[..text.find("[[owned]]").expect("owned")].to_owned()
        + "[[scenario]]\nname = \"x\"\n[[scenario.plan]]\ncluster = \"prod\"\nedition = \"proxmox-ve-2025/no-subscription\"\n";
    let Ok(e) = parse_estate(&SourceFile::new("e.toml", text.clone()), &books) else {
        panic!("{text}")
    };
    let search = Search {
        vendors: vec!["vmware".into()],
        top: 3,
    };
    let c = cheapest(&e, &books, &search).expect("a search");
    let s = &c.clusters[0];
    assert_eq!(s.options, 0);
    assert!(
        s.notes.iter().any(
            |n| n.starts_with("no option was searched: not searched: vmware")
                && n.contains("no USD → EUR rate")
        ),
        "{:?}",
        s.notes
    );
    // The table says the reasons are in the notes, not "below" where there are none.
    let table = crate::render::Report::render(&c, crate::Format::Table).expect("a table");
    let table = String::from_utf8(table).expect("UTF-8");
    assert!(
        table.contains("No option was searched: see the notes above."),
        "{table}"
    );
    assert!(!table.contains("reasons are below"), "{table}");
}

#[test]
fn thousands_of_broken_lines_are_read_in_linear_time() {
    // 20,000 lines with a NUL each (a binary file read as text): one pass, 50 shown.
    let text = "name = \"x\0\"\n".repeat(20_000);
    let started = std::time::Instant::now();
    let d = refused(&text);
    assert_eq!(d.0.len(), crate::diag::SHOWN + 1);
    assert!(
        d.0[SHOWN_LAST].message.contains("19950 more problems"),
        "{}",
        d.0[SHOWN_LAST]
    );
    // A UTF-16 file read as text: a NUL after every character of one long line.
    let utf16: String = "x\0".repeat(100_000);
    assert_eq!(refused(&utf16).0.len(), 1);
    // Quadratic was minutes in a debug build; linear is well under a second.
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

const SHOWN_LAST: usize = crate::diag::SHOWN;

/// Fuzz finding: an empty (or spaced) key gave a problem with an empty field path and the
/// message "unknown field `` at the top level". Keys that are not bare are quoted as TOML.
#[test]
fn a_key_that_is_not_bare_is_named_quoted() {
    let d = refused("\"\" = 1\n\"a b\" = 2\n");
    let unknown: Vec<_> =
        d.0.iter()
            .filter(|e| e.message.starts_with("unknown field"))
            .collect();
    assert_eq!(unknown.len(), 2, "{d}");
    assert_eq!(unknown[0].field, "\"\"");
    assert_eq!(unknown[0].message, "unknown field `\"\"` at the top level");
    assert_eq!(unknown[1].field, "\"a b\"");
}

/// Fuzz finding: a whole number past i128 was dropped without a word, and the estate was
/// refused with no problem at all. It is an error at the field like any other out of range.
#[test]
fn a_number_too_large_for_any_integer_is_an_error_at_its_field() {
    let text = example().replace(
        "cores_per_socket = 4",
        &format!("cores_per_socket = {}", "9".repeat(45)),
    );
    let d = refused(&text);
    assert_eq!(d.errors().count(), 1, "{d}");
    assert_eq!(d.0[0].field, "cluster[0].cores_per_socket");
    assert!(
        d.0[0].message.ends_with("is beyond what hypercost accepts"),
        "{d}"
    );
}

/// Fuzz finding: `cluster = []` was read as an estate of no clusters, which the writer then
/// wrote without any `[[cluster]]` and the reader refused. An empty list is an error.
#[test]
fn empty_cluster_and_scenario_lists_are_errors() {
    let d = refused(
        "format = 1\nname = \"x\"\ncurrency = \"USD\"\npurchase_date = 2009-06-01\nyears = 3\ncluster = []\nscenario = []\n",
    );
    let fields: Vec<&str> = d.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["cluster", "scenario"], "{d}");
    assert_eq!(d.0[0].message, "`cluster` is empty");
    assert_eq!(d.0[0].line, 6);
}

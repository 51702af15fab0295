//! Property tests: nothing panics on any input, and every quote adds up.
//!
//! * (a) arbitrary text and bytes, and TOML-shaped noise, as an estate and as a pricebook;
//! * (b) the example estate (and the vSphere 4.0 book) mutated at random: numbers, strings,
//!   deleted, duplicated and swapped lines;
//! * (c) structured random estates over the bundled editions, add-ons and owned licences, and
//!   the monotonicity of licence cost in the number of hosts.
//!
//! Whenever an input parses, it is quoted and rendered, and the quote is checked: every
//! scenario total equals the sum of its lines and of its years, each year equals its lines,
//! and every amount is rounded to cents (scale 2). The JSON is re-checked from its strings.

use std::sync::LazyLock;

use hypercost_core::diag::Severity;
use hypercost_core::pricebook::{ItemRole, VmRights};
use hypercost_core::quote::LineKind;
use hypercost_core::{
    Estate, Format, ItemRef, PricebookSet, Quote, SourceFile, example_estate, parse_estate, quote,
    render,
};
use proptest::prelude::*;
use proptest::sample::{Index, select, subsequence};
use rust_decimal::Decimal;

use crate::cli::check_quote_json;
use crate::support::{BOOKS, repo_root};

/// Cases per property: enough to find shallow bugs, few enough to keep the suite fast.
/// `PROPTEST_CASES=N` overrides it for a longer hunt.
const CASES: u32 = 256;

fn config() -> ProptestConfig {
    let default = ProptestConfig::default();
    ProptestConfig {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            default.cases
        } else {
            CASES
        },
        ..default
    }
}

/// Quotes an estate and checks every invariant of the result; panics (fails) otherwise.
fn check_quote(estate: &Estate, books: &PricebookSet) -> Quote {
    let q = quote(estate, books);
    if let Err(e) = q.check_arithmetic(estate.scenarios.len()) {
        panic!("{e}");
    }
    let _ = render(&q, Format::Table).expect("renders");
    check_quote_json(&render(&q, Format::Json).expect("renders"));
    crate::xlsx::check_quantity_formulas(&q);
    q
}

/// Parses an estate; when it parses, quotes and checks it. Never panics on its own.
fn parse_and_check(text: String, books: &PricebookSet) -> bool {
    let file = SourceFile::new("fuzz.toml", text);
    match parse_estate(&file, books) {
        Ok(estate) => {
            check_quote(&estate, books);
            true
        }
        Err(d) => {
            assert!(d.has_errors(), "a refused estate has at least one error");
            // The note saying how many more problems were left out has no place of its own.
            for e in d.0.iter().filter(|e| e.severity != Severity::Omitted) {
                assert!(e.line >= 1 && e.column >= 1, "{e}");
                assert!(
                    e.span.start <= file.text.len() && e.span.end <= file.text.len(),
                    "{e}"
                );
                assert!(!e.field.is_empty(), "{e}");
            }
            false
        }
    }
}

// ---------------------------------------------------------------------------------------------
// (a) arbitrary input

/// Field names of estates and pricebooks, so that noise sometimes reaches the validators.
const KEYS: &[&str] = &[
    "format",
    "name",
    "currency",
    "purchase_date",
    "years",
    "hosts",
    "sockets_per_host",
    "cores_per_socket",
    "ram_gb_per_host",
    "vms",
    "vm_ram_gb",
    "needs",
    "licence",
    "quantity",
    "support_active",
    "cluster",
    "edition",
    "support",
    "addons",
    "use_owned",
    "hardware_per_host",
    "vendor_discount",
    "id",
    "vendor",
    "metric",
    "kind",
    "core_cap",
    "above_cap",
    "term",
    "price",
    "amount",
    "source",
    "confidence",
    "features",
    "requires",
    "percent",
    "from",
    "to",
    "units_per_licence",
    "valid_until",
    "max_hosts",
    "processors",
    "on_sale_from",
    "end_of_sale",
];

const HEADERS: &[&str] = &[
    "[[cluster]]",
    "[[owned]]",
    "[[scenario]]",
    "[[scenario.plan]]",
    "[costs]",
    "[[edition]]",
    "[edition.price]",
    "[[addon]]",
    "[[support]]",
    "[support.rate]",
    "[[upgrade]]",
    "[[promotion]]",
    "[aliases]",
    "[edition.limits]",
];

fn toml_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        (-3i64..70).prop_map(|n| n.to_string()),
        "\"[a-z0-9./ -]{0,20}\"",
        select(vocabulary()).prop_map(|w| format!("\"{w}\"")),
        Just("true".to_owned()),
        Just("2009-11-02".to_owned()),
        Just("\"12.345\"".to_owned()),
        Just("1e400".to_owned()),
        Just("[\"ha\", 3]".to_owned()),
        Just("{ kind = \"per-socket\", core_cap = 0 }".to_owned()),
    ]
}

fn toml_line() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (select(KEYS), toml_value()).prop_map(|(k, v)| format!("{k} = {v}")),
        1 => select(HEADERS).prop_map(str::to_owned),
        1 => "\\PC{0,30}",
    ]
}

fn toml_like() -> impl Strategy<Value = String> {
    prop::collection::vec(toml_line(), 0..40).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_text_as_estate_never_panics(text in any::<String>()) {
        parse_and_check(text, &BOOKS);
    }

    #[test]
    fn arbitrary_bytes_as_estate_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        parse_and_check(String::from_utf8_lossy(&bytes).into_owned(), &BOOKS);
    }

    #[test]
    fn toml_shaped_noise_as_estate_never_panics(text in toml_like()) {
        parse_and_check(text, &BOOKS);
    }

    #[test]
    fn arbitrary_text_as_pricebook_never_panics(text in any::<String>()) {
        let _ = PricebookSet::load(&[SourceFile::new("fuzz.toml", text)]);
    }

    #[test]
    fn arbitrary_bytes_as_pricebook_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let _ = PricebookSet::load(&[SourceFile::new("fuzz.toml", text)]);
    }

    #[test]
    fn toml_shaped_noise_as_pricebook_never_panics(text in toml_like()) {
        let text = format!("format = 1\nid = \"fuzz\"\nname = \"x\"\nvendor = \"x\"\ncurrency = \"USD\"\n{text}");
        if let Ok(loaded) = PricebookSet::load(&[SourceFile::new("fuzz.toml", text)]) {
            parse_and_check(example_estate().text, &loaded.set);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// (b) mutated estates and pricebooks

/// Words that mean something to an estate: item references, features, plans, near misses.
fn vocabulary() -> Vec<String> {
    static WORDS: LazyLock<Vec<String>> = LazyLock::new(|| {
        let mut words: Vec<String> = Vec::new();
        for b in BOOKS.books() {
            words.push(b.id.0.clone());
            for i in &b.items {
                words.push(format!("{}/{}", b.id, i.id));
            }
            for s in &b.support {
                words.push(s.id.clone());
            }
            for u in &b.upgrades {
                words.push(format!("{}/{}", b.id, u.id));
            }
        }
        words.extend(BOOKS.feature_words().into_iter().map(str::to_owned));
        words.extend(
            [
                "prod",
                "dev",
                "",
                " ",
                "USD",
                "EUR",
                "usd",
                "2009-02-29",
                "2009-11-02",
                "-1",
                "0.1",
                "1e30",
                "vmware-vsphere-4.0/",
                "/enterprise",
                "a/b/c",
                "basic",
                "P",
                "Q",
                "vmware-vsphere-4.0/enterprize-plus",
            ]
            .map(str::to_owned),
        );
        words
    });
    WORDS.clone()
}

/// TOML basic-string escaping, so random text stays one string.
fn toml_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

#[derive(Clone, Debug)]
enum Mutation {
    /// Replace the n-th run of digits (with its sign) by a number.
    Number(usize, i64),
    /// Replace the contents of the n-th double-quoted string.
    Str(usize, String),
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
}

fn interesting_i64() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(0),
        Just(-1),
        Just(1),
        Just(i64::MAX),
        Just(i64::MIN),
        Just(30),
        Just(31),
        Just(64),
        Just(65),
        Just(1_000_000),
        Just(1_000_001),
        -100i64..1000,
        any::<i64>(),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<usize>(), interesting_i64()).prop_map(|(i, n)| Mutation::Number(i, n)),
        3 => (
            any::<usize>(),
            prop_oneof![
                select(vocabulary()),
                "[a-z0-9./-]{0,24}",
                any::<String>().prop_map(|s| toml_escape(&s)),
            ]
        )
            .prop_map(|(i, s)| Mutation::Str(i, s)),
        1 => any::<usize>().prop_map(Mutation::DeleteLine),
        1 => any::<usize>().prop_map(Mutation::DuplicateLine),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
    ]
}

/// Byte ranges of every run of ASCII digits, with a leading `-` when there is one.
fn number_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = if i > 0 && b[i - 1] == b'-' { i - 1 } else { i };
            let mut end = i;
            while end < b.len() && b[end].is_ascii_digit() {
                end += 1;
            }
            out.push(start..end);
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// Byte ranges of the contents of double-quoted strings (pairs of quotes on one line).
fn string_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let quotes: Vec<usize> = line.match_indices('"').map(|(i, _)| offset + i).collect();
        for pair in quotes.chunks_exact(2) {
            out.push(pair[0] + 1..pair[1]);
        }
        offset += line.len();
    }
    out
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    match m {
        Mutation::Number(i, n) => {
            let spans = number_spans(text);
            if spans.is_empty() {
                return text.to_owned();
            }
            let r = spans[i % spans.len()].clone();
            format!("{}{n}{}", &text[..r.start], &text[r.end..])
        }
        Mutation::Str(i, s) => {
            let spans = string_spans(text);
            if spans.is_empty() {
                return text.to_owned();
            }
            let r = spans[i % spans.len()].clone();
            format!("{}{s}{}", &text[..r.start], &text[r.end..])
        }
        Mutation::DeleteLine(i) if !lines.is_empty() => {
            lines.remove(i % lines.len());
            lines.join("\n") + "\n"
        }
        Mutation::DuplicateLine(i) if !lines.is_empty() => {
            let at = i % lines.len();
            lines.insert(at, lines[at]);
            lines.join("\n") + "\n"
        }
        Mutation::SwapLines(a, b) if !lines.is_empty() => {
            let (a, b) = (a % lines.len(), b % lines.len());
            lines.swap(a, b);
            lines.join("\n") + "\n"
        }
        _ => text.to_owned(),
    }
}

/// The example estate without its comment-only lines, so that mutations land on data.
fn example_data() -> String {
    example_estate()
        .text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The bundled vSphere 4.0 book without its comment-only lines.
fn vsphere_book_data() -> String {
    std::fs::read_to_string(repo_root().join("pricebooks/vmware-vsphere-4.0.toml"))
        .expect("the vSphere 4.0 book")
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mutated_example_estates_never_panic_and_add_up(
        mutations in prop::collection::vec(mutation(), 1..=3)
    ) {
        let mut text = example_data();
        for m in &mutations {
            text = apply(&text, m);
        }
        parse_and_check(text, &BOOKS);
    }

    #[test]
    fn mutated_vsphere_books_never_panic_and_add_up(
        mutations in prop::collection::vec(mutation(), 1..=3)
    ) {
        let mut text = vsphere_book_data();
        for m in &mutations {
            text = apply(&text, m);
        }
        let file = SourceFile::new("vmware-vsphere-4.0.toml", text);
        if let Ok(loaded) = PricebookSet::load(&[file]) {
            parse_and_check(example_estate().text, &loaded.set);
        }
    }
}

#[test]
fn the_unmutated_inputs_parse() {
    assert!(parse_and_check(example_data(), &BOOKS));
    let file = SourceFile::new("vmware-vsphere-4.0.toml", vsphere_book_data());
    let loaded = PricebookSet::load(&[file]).expect("the book without comments loads");
    assert!(parse_and_check(example_estate().text, &loaded.set));
}

#[test]
fn the_mutation_operators_do_what_they_say() {
    let text = "a = 12\nb = \"x\"\nc = -3\n";
    assert_eq!(number_spans(text).len(), 2);
    assert_eq!(&text[number_spans(text)[1].clone()], "-3");
    assert_eq!(&text[string_spans(text)[0].clone()], "x");
    let i = 0;
    assert_eq!(
        apply(text, &Mutation::Number(i, -7)),
        "a = -7\nb = \"x\"\nc = -3\n"
    );
    assert_eq!(
        apply(text, &Mutation::Str(i, "y".into())),
        "a = 12\nb = \"y\"\nc = -3\n"
    );
    assert_eq!(apply(text, &Mutation::DeleteLine(i)), "b = \"x\"\nc = -3\n");
}

// ---------------------------------------------------------------------------------------------
// (c) structured random estates

#[derive(Clone, Debug)]
struct GenCluster {
    hosts: u32,
    sockets: u32,
    cores: u32,
    ram: Option<u32>,
    vms: u32,
    needs: Vec<&'static str>,
}

#[derive(Clone, Debug)]
struct GenPlan {
    edition: String,
    /// Picks one of the edition's book's support plans, if it has any.
    support: Option<Index>,
    addons: Vec<String>,
    use_owned: bool,
}

#[derive(Clone, Debug)]
struct GenEstate {
    date: &'static str,
    years: u32,
    clusters: Vec<GenCluster>,
    owned: Vec<(String, u32, bool)>,
    /// One plan per cluster per scenario.
    scenarios: Vec<Vec<GenPlan>>,
}

fn refs_of(role: ItemRole) -> Vec<String> {
    let mut out = Vec::new();
    for b in BOOKS.books() {
        for i in b.items.iter().filter(|i| i.role == role) {
            out.push(format!("{}/{}", b.id, i.id));
        }
    }
    out
}

/// Licences an estate may own: every edition of every book that an upgrade path starts from.
fn owned_refs() -> Vec<String> {
    let mut out: Vec<String> = BOOKS
        .books()
        .iter()
        .flat_map(|b| b.upgrades.iter().map(|u| u.from.to_string()))
        .collect();
    out.sort();
    out.dedup();
    out
}

fn gen_cluster() -> impl Strategy<Value = GenCluster> {
    (
        1u32..=1000,
        1u32..=8,
        1u32..=64,
        prop::option::of(1u32..=2048),
        0u32..=5000,
        subsequence(hypercost_core::feature::tags(), 0..=4),
    )
        .prop_map(|(hosts, sockets, cores, ram, vms, needs)| GenCluster {
            hosts,
            sockets,
            cores,
            ram,
            vms,
            needs,
        })
}

fn gen_plan() -> impl Strategy<Value = GenPlan> {
    let addons = refs_of(ItemRole::AddOn);
    let n = addons.len();
    (
        select(refs_of(ItemRole::Edition)),
        prop::option::of(any::<Index>()),
        subsequence(addons, 0..=n),
        any::<bool>(),
    )
        .prop_map(|(edition, support, addons, use_owned)| GenPlan {
            edition,
            support,
            addons,
            use_owned,
        })
}

fn gen_estate() -> impl Strategy<Value = GenEstate> {
    (
        select(vec![
            "2008-06-01",
            "2009-05-21",
            "2009-11-02",
            "2009-12-14",
            "2009-12-15",
            "2010-07-01",
        ]),
        1u32..=5,
        prop::collection::vec(gen_cluster(), 1..=5),
        prop::collection::vec((select(owned_refs()), 1u32..=64, any::<bool>()), 0..=2),
    )
        .prop_flat_map(|(date, years, clusters, owned)| {
            let n = clusters.len();
            (
                Just(date),
                Just(years),
                Just(clusters),
                Just(owned),
                prop::collection::vec(prop::collection::vec(gen_plan(), n), 1..=4),
            )
        })
        .prop_map(|(date, years, clusters, owned, scenarios)| GenEstate {
            date,
            years,
            clusters,
            owned,
            scenarios,
        })
}

fn quoted_list(items: &[impl AsRef<str>]) -> String {
    let inner: Vec<String> = items
        .iter()
        .map(|s| format!("\"{}\"", s.as_ref()))
        .collect();
    format!("[{}]", inner.join(", "))
}

impl GenEstate {
    fn render(&self) -> String {
        let mut t = format!(
            "format = 1\nname = \"Generated\"\ncurrency = \"USD\"\npurchase_date = {}\nyears = {}\n",
            self.date, self.years
        );
        for (i, c) in self.clusters.iter().enumerate() {
            t.push_str(&format!(
                "\n[[cluster]]\nname = \"c{i}\"\nhosts = {}\nsockets_per_host = {}\ncores_per_socket = {}\nvms = {}\nvm_ram_gb = \"4\"\nneeds = {}\n",
                c.hosts,
                c.sockets,
                c.cores,
                c.vms,
                quoted_list(&c.needs)
            ));
            if let Some(ram) = c.ram {
                t.push_str(&format!("ram_gb_per_host = {ram}\n"));
            }
        }
        for (licence, quantity, active) in &self.owned {
            t.push_str(&format!(
                "\n[[owned]]\nlicence = \"{licence}\"\nquantity = {quantity}\nsupport_active = {active}\n"
            ));
        }
        // Books priced in EUR need the estate's own rate; this also exercises conversion.
        // Per-user and per-device add-ons need the counts: the VMs, and 3 devices per cluster.
        let users: u32 = self.clusters.iter().map(|c| c.vms).sum();
        t.push_str(&format!(
            "\n[costs]\nfx = {{ EUR = \"1.0837\" }}\nfx_date = 2025-06-02\nusers = {users}\ndevices = {}\n",
            self.clusters.len() * 3
        ));
        for (j, plans) in self.scenarios.iter().enumerate() {
            t.push_str(&format!("\n[[scenario]]\nname = \"s{j}\"\n"));
            for (i, p) in plans.iter().enumerate() {
                t.push_str(&format!(
                    "[[scenario.plan]]\ncluster = \"c{i}\"\nedition = \"{}\"\naddons = {}\nuse_owned = {}\n",
                    p.edition,
                    quoted_list(&p.addons),
                    p.use_owned
                ));
                let book = ItemRef::parse(&p.edition)
                    .ok()
                    .and_then(|r| BOOKS.get(&r.book).cloned())
                    .expect("generated editions exist");
                if let Some(pick) = p.support
                    && !book.support.is_empty()
                {
                    let plan = &book.support[pick.index(book.support.len())];
                    t.push_str(&format!("support = \"{}\"\n", plan.id));
                }
            }
        }
        t
    }
}

/// Licence and upgrade spending of each scenario.
fn licence_and_upgrade(q: &Quote) -> Vec<Decimal> {
    q.scenarios
        .iter()
        .map(|s| {
            s.lines
                .iter()
                .filter(|l| matches!(l.kind, LineKind::Licence | LineKind::Upgrade))
                .map(|l| l.amount)
                .sum()
        })
        .collect()
}

/// Editions that license VMs per host in whole licensings (`VmRights::PerLicence`): spreading
/// a fixed number of VMs over one more host can legitimately need fewer licensings (100 VMs,
/// 4 per licensing: 6 hosts × ceil(17 / 4) = 30, 7 hosts × ceil(15 / 4) = 28).
fn licenses_vms_per_host(edition: &str) -> bool {
    ItemRef::parse(edition)
        .ok()
        .and_then(|r| BOOKS.item(&r).map(|(_, i)| i.vm_rights.clone()))
        .flatten()
        .is_some_and(|v| matches!(v, VmRights::PerLicence { .. }))
}

#[track_caller]
fn parse_generated(text: &str) -> Estate {
    parse_estate(&SourceFile::new("generated.toml", text), &BOOKS)
        .unwrap_or_else(|d| panic!("a generated estate is valid:\n{d}\n{text}"))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn structured_estates_quote_and_add_up(e in gen_estate()) {
        let text = e.render();
        let estate = parse_generated(&text);
        check_quote(&estate, &BOOKS);
    }

    #[test]
    fn adding_a_host_never_lowers_licence_and_upgrade_cost(e in gen_estate(), which in any::<Index>()) {
        let before = check_quote(&parse_generated(&e.render()), &BOOKS);
        let mut bigger = e.clone();
        let c = which.index(bigger.clusters.len());
        bigger.clusters[c].hosts += 1;
        let after = check_quote(&parse_generated(&bigger.render()), &BOOKS);
        let (b, a) = (licence_and_upgrade(&before), licence_and_upgrade(&after));
        for (s, plans) in e.scenarios.iter().enumerate() {
            if licenses_vms_per_host(&plans[c].edition) {
                continue;
            }
            prop_assert!(
                a[s] >= b[s],
                "scenario s{s}: one more host in c{c} lowers licence + upgrade cost {} → {}\n{}",
                b[s], a[s], e.render()
            );
        }
    }
}

/// Guards against vacuous properties: enough mutated inputs must still parse for the engine
/// invariants above to be exercised at all.
#[test]
fn enough_mutated_inputs_stay_valid_to_exercise_the_engine() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let estates = prop::collection::vec(mutation(), 1..=3);
    let books = prop::collection::vec(mutation(), 1..=3);
    let (mut estate_ok, mut book_ok) = (0, 0);
    const N: usize = 200;
    for _ in 0..N {
        let mut text = example_data();
        for m in &estates.new_tree(&mut runner).expect("a value").current() {
            text = apply(&text, m);
        }
        estate_ok += usize::from(parse_and_check(text, &BOOKS));
        let mut text = vsphere_book_data();
        for m in &books.new_tree(&mut runner).expect("a value").current() {
            text = apply(&text, m);
        }
        let file = SourceFile::new("vmware-vsphere-4.0.toml", text);
        if let Ok(loaded) = PricebookSet::load(&[file]) {
            book_ok += 1;
            parse_and_check(example_estate().text, &loaded.set);
        }
    }
    eprintln!("valid after mutation: {estate_ok}/{N} estates, {book_ok}/{N} pricebooks");
    assert!(
        estate_ok >= N / 20,
        "only {estate_ok}/{N} mutated estates parse"
    );
    assert!(
        book_ok >= N / 20,
        "only {book_ok}/{N} mutated pricebooks load"
    );
}

/// Every input the coverage-guided fuzzer ever crashed on (`fuzz/artifacts/regressions/`,
/// named `TARGET-what.ext`), replayed here on stable so a fixed finding stays fixed without
/// nightly: estates are read, quoted, rendered and checked like any other.
#[test]
fn fuzz_regressions_stay_fixed() {
    let dir = repo_root().join("fuzz/artifacts/regressions");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).expect("the regressions folder") {
        let path = entry.expect("an entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with("estate-") {
            let text = String::from_utf8_lossy(&std::fs::read(&path).expect("read")).into_owned();
            parse_and_check(text, &BOOKS);
            replayed += 1;
        }
    }
    assert!(
        replayed >= 2,
        "the committed estate regressions were replayed"
    );
}

//! Tests of the hardware catalogue reader: the bundled file reads, and every problem is
//! reported at its field and line with what would be valid.

use rust_decimal::Decimal;

use super::{Catalogue, bundled, parse_catalogue};
use crate::diag::Diagnostics;
use crate::pricebook::Confidence;
use crate::source::SourceFile;

/// A valid catalogue; each test breaks one thing in it.
const GOOD: &str = r#"format = 1
id = "t"
name = "Test catalogue"
currency = "USD"

[[cpu]]
id = "16c"
name = "Sixteen"
cores = 16
watts = 200
price = "1214.00"
source = "a list"
confidence = "W"

[[cpu]]
id = "32c"
name = "Thirty-two"
cores = 32
watts = 280
price = "3694.00"
source = "a list"
confidence = "W"

[[server]]
id = "2s-2u"
name = "Two sockets"
sockets = 2
base_price = "6000.00"
watts = 150
max_ram_gb = 4096
source = "an estimate"
confidence = "UNVERIFIED"

[ram]
price_per_gb = "6.00"
sizes_gb = [256, 512, 1024]
source = "an estimate"
confidence = "UNVERIFIED"
"#;

fn parse(text: &str) -> Result<Catalogue, Diagnostics> {
    parse_catalogue(&SourceFile::new("hw.toml", text))
}

/// The diagnostics of a text that must not read.
#[track_caller]
fn errors(text: &str) -> Diagnostics {
    match parse(text) {
        Ok(k) => panic!("expected problems, read {k:?}"),
        Err(d) => d,
    }
}

/// `GOOD` with the only occurrence of `from` replaced by `to`.
#[track_caller]
fn edit(from: &str, to: &str) -> String {
    assert_eq!(GOOD.matches(from).count(), 1, "`{from}` occurs once");
    GOOD.replacen(from, to, 1)
}

/// The 1-based line of the only line of `text` holding `needle`.
#[track_caller]
fn line_of(text: &str, needle: &str) -> usize {
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(lines.len(), 1, "`{needle}` is on one line");
    lines[0]
}

/// The one problem of `text`: its field and line, and that its message (with the help)
/// contains each of `words`.
#[track_caller]
fn one_problem(text: &str, field: &str, line: usize, words: &[&str]) {
    let d = errors(text);
    assert_eq!(d.0.len(), 1, "one problem:\n{d}");
    let p = &d.0[0];
    assert_eq!((p.field.as_str(), p.line), (field, line), "{d}");
    assert_eq!(p.file, "hw.toml");
    let said = format!("{} {}", p.message, p.help.as_deref().unwrap_or_default());
    for w in words {
        assert!(said.contains(w), "`{w}` not in: {said}");
    }
}

#[test]
fn a_valid_catalogue_reads_field_by_field() {
    let k = parse(GOOD).expect("GOOD reads");
    assert_eq!((k.id.as_str(), k.currency.as_str()), ("t", "USD"));
    assert_eq!(k.cpus.len(), 2);
    let cpu = &k.cpus[1];
    assert_eq!((cpu.id.as_str(), cpu.cores, cpu.watts), ("32c", 32, 280));
    assert_eq!(cpu.price, Decimal::new(369_400, 2));
    assert_eq!(cpu.confidence, Confidence::W);
    let s = &k.servers[0];
    assert_eq!((s.sockets, s.watts, s.max_ram_gb), (2, 150, 4096));
    assert_eq!(s.base_price, Decimal::new(600_000, 2));
    assert_eq!(s.confidence, Confidence::Unverified);
    assert_eq!(k.ram.sizes_gb, vec![256, 512, 1024]);
    assert_eq!(k.ram.price_per_gb, Decimal::new(600, 2));
}

/// The bundled file reads, is named after its file, and covers what reshape compares: every
/// core count from 8 to 128, one- and two-socket servers, RAM sizes that fit them; every price
/// that is not from a list says so.
#[test]
fn the_bundled_catalogue_reads_and_covers_the_shapes() {
    let k = bundled().unwrap_or_else(|d| panic!("the bundled catalogue reads:\n{d}"));
    assert_eq!(k.id, crate::bundled::HARDWARE.0);
    let cores: Vec<u32> = k.cpus.iter().map(|c| c.cores).collect();
    for n in [8, 16, 24, 32, 48, 64, 96, 128] {
        assert!(cores.contains(&n), "a {n}-core CPU: {cores:?}");
    }
    let sockets: Vec<u32> = k.servers.iter().map(|s| s.sockets).collect();
    assert!(sockets.contains(&1) && sockets.contains(&2), "{sockets:?}");
    for s in &k.servers {
        assert!(k.ram.sizes_gb[0] <= s.max_ram_gb, "{} holds a size", s.id);
        assert_eq!(
            s.confidence,
            Confidence::Unverified,
            "{} is an estimate",
            s.id
        );
    }
    assert_eq!(k.ram.confidence, Confidence::Unverified);
    for c in &k.cpus {
        assert!(
            c.confidence.is_doubtful(),
            "{}: recalled, not re-checked",
            c.id
        );
        assert!(c.source.contains("not re-checked"), "{}", c.id);
    }
}

#[test]
fn a_price_without_source_or_confidence_is_an_error() {
    let text = edit(
        "price = \"1214.00\"\nsource = \"a list\"\nconfidence = \"W\"\n",
        "price = \"1214.00\"\n",
    );
    let d = errors(&text);
    let got: Vec<(&str, usize)> = d.0.iter().map(|p| (p.field.as_str(), p.line)).collect();
    let at = line_of(&text, "\"16c\"") - 1;
    assert_eq!(
        got,
        vec![("cpu[0].source", at), ("cpu[0].confidence", at)],
        "{d}"
    );
    assert!(d.0[0].message.contains("missing field `source`"), "{d}");
}

#[test]
fn an_unknown_confidence_mark_lists_the_valid_ones() {
    let text = edit(
        "confidence = \"W\"\n\n[[cpu]]",
        "confidence = \"w\"\n\n[[cpu]]",
    );
    one_problem(
        &text,
        "cpu[0].confidence",
        line_of(&text, "\"w\""),
        &[
            "unknown confidence mark `w`",
            "P",
            "S",
            "W",
            "C",
            "UNVERIFIED",
        ],
    );
    // An estate's own mark is not a catalogue's.
    let text = edit(
        "confidence = \"W\"\n\n[[cpu]]",
        "confidence = \"ESTATE\"\n\n[[cpu]]",
    );
    one_problem(
        &text,
        "cpu[0].confidence",
        line_of(&text, "ESTATE"),
        &["ESTATE"],
    );
}

#[test]
fn a_duplicate_id_names_the_first_line() {
    let text = edit("id = \"32c\"", "id = \"16c\"");
    let first = line_of(GOOD, "id = \"16c\"");
    let second = line_of(GOOD, "id = \"32c\"");
    one_problem(
        &text,
        "cpu[1].id",
        second,
        &["duplicate id `16c`", &format!("line {first}"), "CPU"],
    );
    // The same id may name a CPU and a server: they are told apart by their kind.
    parse(&edit("id = \"2s-2u\"", "id = \"16c\"")).expect("ids are unique per kind");
}

#[test]
fn an_invalid_id_is_an_error() {
    let text = edit("id = \"2s-2u\"", "id = \"2S 2U\"");
    one_problem(
        &text,
        "server[0].id",
        line_of(&text, "2S 2U"),
        &["not a valid id"],
    );
}

#[test]
fn sizes_must_be_ascending_positive_and_present() {
    let text = edit("[256, 512, 1024]", "[256, 1024, 512]");
    one_problem(
        &text,
        "ram.sizes_gb[2]",
        line_of(&text, "sizes_gb"),
        &["512 GB after 1024 GB", "strictly ascending"],
    );
    let text = edit("[256, 512, 1024]", "[256, 256]");
    one_problem(
        &text,
        "ram.sizes_gb[1]",
        line_of(&text, "sizes_gb"),
        &["ascending"],
    );
    let text = edit("[256, 512, 1024]", "[]");
    one_problem(
        &text,
        "ram.sizes_gb",
        line_of(&text, "sizes_gb"),
        &["empty"],
    );
    let text = edit("[256, 512, 1024]", "[0, 512, 2000000]");
    let d = errors(&text);
    let got: Vec<&str> = d.0.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(got, vec!["ram.sizes_gb[0]", "ram.sizes_gb[2]"], "{d}");
    assert!(
        d.0[1]
            .help
            .as_deref()
            .unwrap_or_default()
            .contains("1 to 1048576"),
        "{d}"
    );
    let text = edit("[256, 512, 1024]", "\"256\"");
    one_problem(
        &text,
        "ram.sizes_gb",
        line_of(&text, "sizes_gb"),
        &["array"],
    );
    let text = edit("[256, 512, 1024]", "[256, \"512\"]");
    one_problem(
        &text,
        "ram.sizes_gb[1]",
        line_of(&text, "sizes_gb"),
        &["wrong type"],
    );
    let text = edit("sizes_gb = [256, 512, 1024]\n", "");
    one_problem(
        &text,
        "ram.sizes_gb",
        line_of(&text, "[ram]"),
        &["missing field `sizes_gb`"],
    );
}

#[test]
fn a_price_must_be_a_number_above_zero_and_within_bounds() {
    for (bad, words) in [
        ("\"0\"", &["must be more than 0", "above 0"][..]),
        ("\"0.00\"", &["must be more than 0"]),
        ("\"-5.00\"", &["-5.00 must be more than 0"]),
        ("-5", &["must be more than 0"]),
        ("\"abc\"", &["`abc` is not a decimal number"]),
        (
            "\"1000000000.01\"",
            &["beyond what hypercost accepts", "1,000,000,000"],
        ),
        ("\"1e99\"", &["not a decimal number"]),
        ("true", &["wrong type"]),
    ] {
        let text = edit("price = \"3694.00\"", &format!("price = {bad}"));
        one_problem(
            &text,
            "cpu[1].price",
            line_of(&text, &format!("price = {bad}")),
            words,
        );
    }
    let text = edit("base_price = \"6000.00\"", "base_price = \"0\"");
    one_problem(
        &text,
        "server[0].base_price",
        line_of(&text, "base_price"),
        &["more than 0"],
    );
    let text = edit("price_per_gb = \"6.00\"", "price_per_gb = \"-1\"");
    one_problem(
        &text,
        "ram.price_per_gb",
        line_of(&text, "price_per_gb"),
        &["more than 0"],
    );
    let text = edit("price_per_gb = \"6.00\"\n", "");
    one_problem(
        &text,
        "ram.price_per_gb",
        line_of(&text, "[ram]"),
        &["missing field"],
    );
}

#[test]
fn an_unknown_key_is_an_error_with_the_valid_ones() {
    let text = edit("cores = 16", "cores = 16\ncorez = 16");
    one_problem(
        &text,
        "cpu[0].corez",
        line_of(&text, "corez"),
        &["unknown field `corez`", "cores"],
    );
    let text = edit("max_ram_gb", "max_ram");
    let d = errors(&text);
    let got: Vec<&str> = d.0.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(
        got,
        vec!["server[0].max_ram_gb", "server[0].max_ram"],
        "{d}"
    );
    let text = edit("currency = \"USD\"", "currency = \"USD\"\nvendor = \"x\"");
    one_problem(
        &text,
        "vendor",
        line_of(&text, "vendor"),
        &["unknown field `vendor` at the top level"],
    );
    let text = format!("{GOOD}notes = [\"x\"]\n");
    one_problem(
        &text,
        "ram.notes",
        line_of(&text, "notes"),
        &["unknown field `notes` in `ram`"],
    );
}

#[test]
fn counts_out_of_range_are_errors_with_their_bounds() {
    for (from, to, field, bound) in [
        ("cores = 16", "cores = 0", "cpu[0].cores", "1 to 1024"),
        ("cores = 16", "cores = 1025", "cpu[0].cores", "1 to 1024"),
        ("watts = 200", "watts = 5001", "cpu[0].watts", "0 to 5000"),
        ("watts = 200", "watts = -1", "cpu[0].watts", "0 to 5000"),
        ("sockets = 2", "sockets = 0", "server[0].sockets", "1 to 16"),
        (
            "sockets = 2",
            "sockets = 17",
            "server[0].sockets",
            "1 to 16",
        ),
        (
            "watts = 150",
            "watts = 10001",
            "server[0].watts",
            "0 to 10000",
        ),
        (
            "max_ram_gb = 4096",
            "max_ram_gb = 0",
            "server[0].max_ram_gb",
            "1 to 1048576",
        ),
        (
            "max_ram_gb = 4096",
            "max_ram_gb = 1048577",
            "server[0].max_ram_gb",
            "1 to 1048576",
        ),
        (
            "cores = 16",
            "cores = 99999999999999999999999999999999999999999",
            "cpu[0].cores",
            "1 to 1024",
        ),
        (
            "cores = 16",
            "cores = 16.5",
            "cpu[0].cores",
            "not a whole number",
        ),
    ] {
        let text = edit(from, to);
        one_problem(&text, field, line_of(&text, to), &[bound]);
    }
    // The bounds themselves are valid.
    let text = edit("cores = 16", "cores = 1024").replacen("watts = 200", "watts = 0", 1);
    parse(&text).expect("bounds are inclusive");
}

#[test]
fn a_catalogue_needs_a_cpu_a_server_and_ram() {
    let start = GOOD.find("[[cpu]]").expect("a cpu");
    let end = GOOD.find("[[server]]").expect("a server");
    let no_cpu = format!("{}{}", &GOOD[..start], &GOOD[end..]);
    one_problem(&no_cpu, "cpu", 1, &["missing field `cpu`", "[[cpu]]"]);
    let empty = edit("currency = \"USD\"", "currency = \"USD\"\nserver = []");
    let empty = empty.replace("[[server]]\nid = \"2s-2u\"", "[[nothing]]\nid = \"2s-2u\"");
    let d = errors(&empty);
    assert!(
        d.0.iter()
            .any(|p| p.field == "server" && p.message.contains("empty")),
        "{d}"
    );
    let end_ram = GOOD.find("[ram]").expect("ram");
    one_problem(&GOOD[..end_ram], "ram", 1, &["missing field `ram`"]);
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = edit("format = 1", "format = 2")
        .replacen("currency = \"USD\"", "currency = \"usd\"", 1)
        .replacen("cores = 32", "cores = 0", 1)
        .replacen(
            "confidence = \"UNVERIFIED\"\n\n[ram]",
            "confidence = \"?\"\n\n[ram]",
            1,
        )
        .replacen("[256, 512, 1024]", "[512, 256]", 1);
    let d = errors(&text);
    let got: Vec<&str> = d.0.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(
        got,
        vec![
            "format",
            "currency",
            "cpu[1].cores",
            "server[0].confidence",
            "ram.sizes_gb[1]"
        ],
        "{d}"
    );
}

/// Nothing panics on a broken file: every prefix of the bundled catalogue is read (most are
/// refused), and so is the text with each line dropped.
#[test]
fn no_prefix_or_dropped_line_panics() {
    let text = crate::bundled::HARDWARE.1;
    for (at, _) in text.char_indices().step_by(7) {
        let _ = parse(&text[..at]);
    }
    let lines: Vec<&str> = text.lines().collect();
    for skip in 0..lines.len() {
        let without: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, l)| *l)
            .collect();
        let _ = parse(&without.join("\n"));
    }
}

//! What every fuzz target checks, written once. A target turns its bytes into an input, calls
//! the core, and hands each result here; a broken invariant panics, which libFuzzer reports as
//! a crash with the input that caused it.
//!
//! Invariants of a quote ([`check_quote`]): every scenario's total is the sum of its lines and
//! of its years, each year the sum of its lines, amounts in cents; every format of the registry
//! renders (text formats as UTF-8); the JSON re-parses and validates against the committed
//! `core/schema/quote.schema.json` and states the same totals; the CSV's amounts add up to them
//! per scenario; the workbook is written without falling back to its error sheet.
//! Invariants of an estate ([`check_estate_text`]): a refusal has at least one error, each at
//! a place inside the text; an accepted estate is written by `write_estate` as text that reads
//! back equal, and quotes.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::LazyLock;

use hypercost_core::estate::write_estate;
use hypercost_core::render::csv::safe_text;
use hypercost_core::diag::Severity;
use hypercost_core::{
    Diagnostics, Estate, Format, PricebookSet, Quote, Report, SourceFile, parse_estate, quote,
    render,
};
use rust_decimal::Decimal;
use serde_json::Value;

/// The bundled pricebooks, loaded once per process.
pub static BOOKS: LazyLock<PricebookSet> =
    LazyLock::new(|| PricebookSet::bundled().expect("the bundled pricebooks load"));

/// The estates targets start from (examples and golden cases), by file name. The same
/// files seed the `estate` corpus (`fuzz/seed`).
pub const ESTATES: &[(&str, &str)] = &[
    (
        "acme-2009.toml",
        include_str!("../../examples/acme-2009.toml"),
    ),
    (
        "eras-2009-2025.toml",
        include_str!("../../tests/cases/eras-2009-2025/estate.toml"),
    ),
    (
        "tco-3-year.toml",
        include_str!("../../tests/cases/tco-3-year/estate.toml"),
    ),
    (
        "exit-2026.toml",
        include_str!("../../examples/exit-2026.toml"),
    ),
];

/// One of [`ESTATES`], chosen by a fuzzed number.
pub fn base_estate(pick: u8) -> (&'static str, &'static str) {
    ESTATES[usize::from(pick) % ESTATES.len()]
}

/// The committed quote schema, compiled once.
static QUOTE_SCHEMA: LazyLock<jsonschema::Validator> = LazyLock::new(|| {
    let schema: Value = serde_json::from_str(include_str!("../../core/schema/quote.schema.json"))
        .expect("the committed quote schema is JSON");
    jsonschema::validator_for(&schema).expect("the quote schema compiles")
});

/// Fuzzed bytes as text, as a reader of a file would see them after decoding.
pub fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// A refusal is a real one: at least one error, each placed inside the file it names (the
/// note saying how many more were left out is no problem and has no place).
pub fn check_refusal(d: &Diagnostics, file: &SourceFile) {
    assert!(d.has_errors(), "a refusal has at least one error: {d}");
    let omitted = d.0.iter().filter(|e| e.severity == Severity::Omitted).count();
    assert!(omitted <= 1, "one note for what was left out: {d}");
    if omitted == 1 {
        assert_eq!(d.errors().count(), hypercost_core::diag::SHOWN, "{d}");
    }
    for e in d.0.iter().filter(|e| e.severity != Severity::Omitted) {
        assert!(!e.field.is_empty(), "a diagnostic names its field: {e}");
        if e.file == file.name {
            assert!(e.line >= 1 && e.column >= 1, "placed at a line: {e}");
            assert!(
                e.span.start <= e.span.end && e.span.end <= file.text.len(),
                "span {:?} inside the text of {} bytes: {e}",
                e.span,
                file.text.len()
            );
        }
    }
}

/// Reads estate text; a valid estate is written back, re-read, quoted and checked. Returns it.
pub fn check_estate_text(name: &str, text: &str, books: &PricebookSet) -> Option<Estate> {
    check_estate_text_with(name, text, books, check_quote)
}

/// [`check_estate_text`] with the quote checked by `check` ([`check_totals`] where a target
/// quotes too often to render every format each time).
pub fn check_estate_text_with(
    name: &str,
    text: &str,
    books: &PricebookSet,
    check: fn(&Estate, &Quote),
) -> Option<Estate> {
    let file = SourceFile::new(name, text);
    match parse_estate(&file, books) {
        Ok(estate) => {
            check_round_trip(&estate, books);
            check(&estate, &quote(&estate, books));
            Some(estate)
        }
        Err(d) => {
            check_refusal(&d, &file);
            None
        }
    }
}

/// `write_estate` gives text the reader accepts and reads back to an equal estate.
pub fn check_round_trip(estate: &Estate, books: &PricebookSet) -> String {
    let written = write_estate(estate);
    let back = parse_estate(&SourceFile::new("written.toml", written.as_str()), books)
        .unwrap_or_else(|d| {
            panic!("the writer's estate is refused:\n{d}\n--- written:\n{written}")
        });
    assert_eq!(
        &back, estate,
        "the writer's estate reads back different:\n{written}"
    );
    written
}

/// Every invariant of a quote of `estate`, and of each of its renderings.
pub fn check_quote(estate: &Estate, q: &Quote) {
    check_totals(estate, q);
    let mut rendered = Vec::new();
    for &format in q.formats() {
        let bytes = render(q, format)
            .unwrap_or_else(|e| panic!("a quote that prices gives no {format}: {e}"));
        if format == Format::Xlsx {
            assert!(bytes.starts_with(b"PK\x03\x04"), "an xlsx is a zip");
        } else if !format.is_binary() {
            assert!(std::str::from_utf8(&bytes).is_ok(), "{format} is UTF-8");
        }
        rendered.push((format, bytes));
    }
    let of = |wanted: Format| {
        rendered
            .iter()
            .find(|(f, _)| *f == wanted)
            .map(|(_, b)| b.as_slice())
            .unwrap_or_else(|| panic!("a quote renders as {wanted}"))
    };
    let totals = check_json(q, of(Format::Json));
    check_csv(&totals, of(Format::Csv));
}

/// The quote's arithmetic: totals are the sums of their lines and years, amounts in cents,
/// compliant exactly when no problem is reported. Cheap: for targets that quote many times.
pub fn check_totals(estate: &Estate, q: &Quote) {
    if let Err(e) = q.check_arithmetic(estate.scenarios.len()) {
        panic!("{e}");
    }
}

/// The JSON re-parses, validates against the quote schema and states the quote's totals;
/// returns the totals by scenario name as the CSV writes it.
fn check_json(q: &Quote, bytes: &[u8]) -> BTreeMap<String, Decimal> {
    let v: Value = serde_json::from_slice(bytes).expect("the quote JSON parses");
    let errors: Vec<String> = QUOTE_SCHEMA
        .iter_errors(&v)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "the quote JSON breaks its schema: {errors:#?}"
    );
    let scenarios = v["scenarios"].as_array().expect("scenarios");
    assert_eq!(scenarios.len(), q.scenarios.len());
    let mut totals = BTreeMap::new();
    for (s, j) in q.scenarios.iter().zip(scenarios) {
        assert_eq!(j["name"].as_str(), Some(s.name.as_str()));
        let total = money(&j["total"]);
        assert_eq!(total, s.total, "{}: the JSON total", s.name);
        let lines: Decimal = j["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| money(&l["amount"]))
            .sum();
        assert_eq!(total, lines, "{}: JSON total = Σ JSON lines", s.name);
        *totals.entry(safe_text(&s.name)).or_insert(Decimal::ZERO) += total;
    }
    totals
}

/// The CSV's amounts, summed per scenario, are the JSON totals.
fn check_csv(json_totals: &BTreeMap<String, Decimal>, bytes: &[u8]) {
    let mut reader = csv::Reader::from_reader(bytes);
    let header = reader.headers().expect("a CSV header").clone();
    let amount = header
        .iter()
        .position(|h| h.starts_with("amount"))
        .expect("an amount column");
    let mut sums: BTreeMap<String, Decimal> = BTreeMap::new();
    for record in reader.records() {
        let record = record.expect("a CSV row parses");
        let cell = record.get(amount).expect("every row has the amount column");
        let value = Decimal::from_str(cell).unwrap_or_else(|_| panic!("amount `{cell}`"));
        *sums
            .entry(record.get(0).unwrap_or_default().to_owned())
            .or_insert(Decimal::ZERO) += value;
    }
    for (name, total) in json_totals {
        let csv = sums.get(name).copied().unwrap_or_default();
        assert_eq!(csv, *total, "{name}: Σ CSV amounts = JSON total");
    }
    for name in sums.keys() {
        assert!(
            json_totals.contains_key(name),
            "CSV scenario {name} is in the JSON"
        );
    }
}

/// A JSON money string (`"1234.50"`).
fn money(v: &Value) -> Decimal {
    let text = v
        .as_str()
        .unwrap_or_else(|| panic!("money is a string: {v}"));
    Decimal::from_str(text).unwrap_or_else(|_| panic!("money `{text}`"))
}

/// Renders a result in every format it claims, and re-parses its JSON.
pub fn check_report(report: &dyn Report) {
    for &format in report.formats() {
        let bytes = report
            .render(format)
            .unwrap_or_else(|e| panic!("{} claims {format}: {e}", report.kind()));
        if format == Format::Json {
            let _: Value = serde_json::from_slice(&bytes).expect("the JSON parses");
        } else if !format.is_binary() {
            assert!(std::str::from_utf8(&bytes).is_ok(), "{format} is UTF-8");
        }
    }
}

//! The XLSX workbook (`render(&quote, Format::Xlsx).expect("renders")`): it agrees with the engine to the cent.
//!
//! Fast, always:
//! * every line's quantity formula evaluates to its quantity (golden cases here; every fuzz
//!   estate through [`check_quantity_formulas`], called by `fuzz::check_quote`);
//! * each golden case's workbook opens (calamine) and every cached quantity, unit price,
//!   amount, yearly total, cumulative, present value, total, NPV and cost per VM-year equals the
//!   engine's JSON to the cent; every input is a defined name; a quantity cell is a formula
//!   exactly when its row gives no reason for a value; the bytes are deterministic.
//!
//! Slow, with `HYPERCOST_LIBREOFFICE=1` (set by `scripts/test`, which installs LibreOffice):
//! * real LibreOffice, with a dedicated profile that recalculates every formula on load,
//!   converts each golden case's workbook to CSV per sheet, and every amount and total equals
//!   the engine's to the cent;
//! * the recalculation is real: the cross-era case with `hosts_prod` edited from 4 to 6 inside
//!   the file (its cached results left at 4 hosts) comes out equal to `quote` of the estate with
//!   6 hosts, and a deliberately wrong cached amount comes out corrected — while a profile that
//!   never recalculates shows the stale caches;
//! * one workbook is converted to PDF (and to PNG pages with `pdftoppm`, when installed) in
//!   `/tmp/hypercost-xlsx-pages/`, for a person to look at.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use hypercost_core::estate::ClusterField;
use hypercost_core::money::{discount_factor, money_text};
use hypercost_core::quote::{ALL_CLUSTERS, Expr, Input, Line, StepOrigin};
use hypercost_core::render::xlsx::{self, LINES_HEADER_ROW};
use hypercost_core::{
    Estate, Format, Quote, SourceFile, example_estate, parse_estate, quote, render,
};
use rust_decimal::Decimal;

use crate::support::{BOOKS, Case, Scratch, golden_cases};

// ---------------------------------------------------------------------------------------------
// Helpers

/// Every golden case: its name, estate and quote.
fn golden() -> Vec<(String, Estate, Quote)> {
    let cases = golden_cases();
    assert!(cases.len() >= 3, "the golden cases exist: {cases:?}");
    cases
        .into_iter()
        .map(|Case { name, estate, .. }| {
            let text = std::fs::read_to_string(estate).expect("estate.toml");
            let estate = parse_estate(&SourceFile::new("estate.toml", text), &BOOKS)
                .unwrap_or_else(|d| panic!("{name}: {d}"));
            let q = quote(&estate, &BOOKS);
            (name, estate, q)
        })
        .collect()
}

/// The golden estates with their numbers varied (hosts, sockets, cores, VMs, growth, density,
/// rates, discounts): deterministic from `seed`, within the estate reader's bounds.
fn varied(seed: u64) -> (String, Quote) {
    let cases = golden();
    let mut state = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    let mut next = |n: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % n
    };
    let (name, estate, _) = &cases[next(cases.len() as u64) as usize];
    let mut e = estate.clone();
    let d = |s: &str| -> Decimal { s.parse().expect("a decimal") };
    for c in &mut e.clusters {
        c.hosts = 1 + next(64) as u32;
        c.sockets_per_host = 1 + next(4) as u32;
        c.cores_per_socket = 2 + next(47) as u32;
        let vms = next(2_000) as u32;
        c.vms = Some(vms);
        c.windows_vms = c.windows_vms.map(|_| vms * next(5) as u32 / 4);
    }
    let costs = e.costs.get_or_insert_with(Default::default);
    costs.discount_rate = Some(d(["0", "0.03", "0.08", "0.125"][next(4) as usize]));
    costs.escalation_per_year = Some(d(["0", "0.03", "0.05", "0.075"][next(4) as usize]));
    costs.vm_growth_per_year = Some(d(["0", "0", "0.1", "0.25"][next(4) as usize]));
    costs.vms_per_host = [None, Some(12), Some(30)][next(3) as usize];
    let off = ["0", "0.1", "0.15", "0.235"][next(4) as usize];
    costs.vendor_discount.insert("vmware".into(), d(off));
    (format!("{name} varied #{seed}"), quote(&e, &BOOKS))
}

/// Every line that carries a quantity formula evaluates it, with the quote's own inputs, to its
/// quantity; every line's unit price formula and discount factors evaluate to its unit price and
/// factor, and the amount is their product rounded once ([`check_line_formulas`]). Called for
/// every fuzz estate by `fuzz::check_quote`.
pub(crate) fn check_quantity_formulas(q: &Quote) -> usize {
    let mut n = 0;
    for s in &q.scenarios {
        for l in &s.lines {
            check_line_formulas(q, &s.name, l);
            let Some(f) = &l.quantity_formula else {
                continue;
            };
            n += 1;
            // A scenario-wide line has no cluster to be a formula of: a number (one vCenter
            // instance) or estate-wide counts (`[costs] users` for client access licences).
            assert!(
                l.cluster != ALL_CLUSTERS
                    || f.inputs()
                        .iter()
                        .all(|i| !matches!(i, Input::Cluster { .. })),
                "{}: a scenario-wide line's formula names no cluster, not `{f}`",
                s.name
            );
            let value = q.inputs.eval(f);
            assert_eq!(
                value,
                Some(l.quantity),
                "{}: {} {} in year {}: `{f}` evaluates to {value:?}, the quantity is {}",
                s.name,
                l.cluster,
                l.item,
                l.year,
                l.quantity
            );
        }
    }
    n
}

/// A line's unit price formula gives its unit price, the product of its steps' factors gives
/// its discount factor, and `round(quantity × unit price × factor)` over those trees gives its
/// amount, all in exact decimals.
fn check_line_formulas(q: &Quote, scenario: &str, l: &Line) {
    let at = format!("{scenario}: {} {} in year {}", l.cluster, l.item, l.year);
    let unit = l
        .unit_formula
        .as_ref()
        .unwrap_or_else(|| panic!("{at}: every line's unit price is a formula"));
    assert_eq!(
        q.inputs.eval(unit),
        Some(l.unit_price),
        "{at}: `{unit}` is the unit price"
    );
    let factor = l.factor().unwrap_or(Expr::num(1));
    let expected = discount_factor(l.discounts.iter().map(|d| &d.percent));
    assert_eq!(q.inputs.eval(&factor), Some(expected), "{at}: `{factor}`");
    let quantity = l
        .quantity_formula
        .as_deref()
        .cloned()
        .unwrap_or(Expr::num(l.quantity));
    let amount = Expr::round2(quantity * Expr::clone(unit) * factor);
    assert_eq!(q.inputs.eval(&amount), Some(l.amount), "{at}: `{amount}`");
}

fn xlsx_of(q: &Quote) -> Vec<u8> {
    render(q, Format::Xlsx).expect("a workbook")
}

fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("the workbook opens")
}

fn text(d: Option<&Data>) -> String {
    match d {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// A sheet as rows of text cells (LibreOffice CSV or calamine), for locating tables.
type Grid = Vec<Vec<String>>;

fn grid_of(range: &calamine::Range<Data>) -> Grid {
    let (h, w) = range.get_size();
    (0..h)
        .map(|r| (0..w).map(|c| text(range.get((r, c)))).collect())
        .collect()
}

/// The row index of the first row whose leading cells are `heads`.
fn find_row(grid: &Grid, heads: &[&str]) -> usize {
    grid.iter()
        .position(|r| {
            heads
                .iter()
                .enumerate()
                .all(|(i, h)| r.get(i).map(String::as_str) == Some(*h))
        })
        .unwrap_or_else(|| panic!("a row starting {heads:?}"))
}

/// The column letter of a 0-based column (A–Z are enough here).
fn letter(col: usize) -> char {
    char::from(b'A' + u8::try_from(col).expect("a small column"))
}

fn col(grid: &Grid, header_row: usize, starts: &str) -> usize {
    grid[header_row]
        .iter()
        .position(|h| h.starts_with(starts))
        .unwrap_or_else(|| panic!("a column {starts:?} in {:?}", grid[header_row]))
}

/// A grid cell as a decimal rounded to cents (LibreOffice writes raw values).
fn money_at(grid: &Grid, row: usize, col: usize) -> Decimal {
    let cell = grid[row][col].trim();
    let d: Decimal = cell
        .parse()
        .unwrap_or_else(|_| panic!("row {row} column {col}: {cell:?} is not a number"));
    d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// Checks the *Lines* and *Summary* grids (values as numbers) against the quote: every line's
/// amount, every year's total, cumulative and present value, every scenario's total, NPV and
/// cost per VM-year, to the cent. Returns the problems.
fn compare(case: &str, q: &Quote, lines: &Grid, summary: &Grid) -> Vec<String> {
    let mut problems = Vec::new();
    let mut check = |what: String, got: Decimal, want: Decimal| {
        if got != want {
            problems.push(format!(
                "{case}: {what}: workbook {got}, engine {}",
                money_text(want)
            ));
        }
    };
    let h = LINES_HEADER_ROW as usize;
    assert_eq!(lines[h][0], "#", "{case}: the Lines header row");
    let amount = col(lines, h, "Amount");
    let quantity = col(lines, h, "Quantity");
    let mut row = h + 1;
    for s in &q.scenarios {
        for (i, l) in s.lines.iter().enumerate() {
            let what = format!(
                "{} line {} ({} {}, year {})",
                s.name,
                i + 1,
                l.cluster,
                l.item,
                l.year
            );
            check(
                format!("{what} amount"),
                money_at(lines, row, amount),
                l.amount,
            );
            check(
                format!("{what} quantity"),
                money_at(lines, row, quantity),
                l.quantity,
            );
            row += 1;
        }
    }
    let top = find_row(summary, &["#", "Scenario", "Rank"]);
    let (total, npv, per_vm_col) = (
        col(summary, top, "Total"),
        col(summary, top, "NPV"),
        col(summary, top, "Cost per VM-year"),
    );
    let years = find_row(summary, &["#", "Scenario", "Year"]);
    let (year, year_total, cumulative, pv) = (
        col(summary, years, "Year"),
        col(summary, years, "Total"),
        col(summary, years, "Cumulative"),
        col(summary, years, "Present value"),
    );
    for (si, s) in q.scenarios.iter().enumerate() {
        let r = (top + 1..top + 1 + q.scenarios.len())
            .find(|r| summary[*r][0] == (si + 1).to_string())
            .unwrap_or_else(|| panic!("{case}: scenario {} in the ranked table", si + 1));
        check(
            format!("{} total", s.name),
            money_at(summary, r, total),
            s.total,
        );
        check(format!("{} NPV", s.name), money_at(summary, r, npv), s.npv);
        if let Some(per_vm) = s.cost_per_vm_year {
            check(
                format!("{} cost per VM-year", s.name),
                money_at(summary, r, per_vm_col),
                per_vm,
            );
        }
        for y in &s.years {
            let r = years + 1 + si * q.years as usize + (y.year as usize - 1);
            assert_eq!(
                summary[r][year],
                y.year.to_string(),
                "{case}: the year table's layout"
            );
            let at = |what: &str| format!("{} year {} {what}", s.name, y.year);
            check(at("total"), money_at(summary, r, year_total), y.total);
            check(
                at("cumulative"),
                money_at(summary, r, cumulative),
                y.cumulative,
            );
            check(
                at("present value"),
                money_at(summary, r, pv),
                y.present_value,
            );
        }
    }
    problems
}

/// A quote's sheets read back from the workbook's cached values (no recalculation).
fn cached_grids(bytes: &[u8]) -> (Grid, Grid) {
    let mut wb = open(bytes);
    let lines = grid_of(&wb.worksheet_range(xlsx::LINES).expect("Lines"));
    let summary = grid_of(&wb.worksheet_range(xlsx::SUMMARY).expect("Summary"));
    (lines, summary)
}

// ---------------------------------------------------------------------------------------------
// Fast checks

#[test]
fn every_quantity_formula_evaluates_to_its_quantity_in_every_golden_case() {
    for (name, _, q) in golden() {
        let n = check_quantity_formulas(&q);
        assert!(n > 0, "{name}: some lines carry a quantity formula");
    }
}

#[test]
fn every_line_of_the_example_and_the_golden_cases_evaluates_its_formulas_to_its_numbers() {
    let example = parse_estate(&example_estate(), &BOOKS).expect("the example is valid");
    let mut quotes = vec![("example".to_owned(), quote(&example, &BOOKS))];
    quotes.extend(golden().into_iter().map(|(name, _, q)| (name, q)));
    let (mut negotiated, mut escalated, mut converted) = (0, 0, 0);
    for (name, q) in &quotes {
        let lines = q.scenarios.iter().flat_map(|s| &s.lines);
        assert!(lines.clone().count() > 0, "{name}: lines");
        check_quantity_formulas(q);
        for l in lines {
            let unit = l.unit_formula.as_ref().expect("a unit price formula");
            let inputs = unit.inputs();
            converted += usize::from(inputs.iter().any(|i| matches!(i, Input::Fx(_))));
            for d in &l.discounts {
                match &d.origin {
                    StepOrigin::Negotiated { .. } => negotiated += 1,
                    StepOrigin::Escalation { .. } => escalated += 1,
                    _ => {}
                }
            }
        }
    }
    // The typed steps and conversions are exercised, not only plain list prices.
    assert!(negotiated > 0 && escalated > 0, "{negotiated} {escalated}");
    assert!(converted > 0, "a line in another currency");
}

#[test]
fn the_workbook_code_reads_typed_inputs_not_citation_text() {
    let root = crate::support::repo_root().join("core/src/render");
    let mut files = vec![root.join("xlsx.rs")];
    let dir = std::fs::read_dir(root.join("xlsx")).expect("render/xlsx/");
    files.extend(dir.map(|e| e.expect("an entry").path()));
    assert!(
        files.len() > 3,
        "the workbook is split by concern: {files:?}"
    );
    for f in files {
        let text = std::fs::read_to_string(&f).expect("a source file");
        for banned in ["strip_prefix(", "\"costs/", "\"estate [costs]"] {
            assert!(
                !text.contains(banned),
                "{}: `{banned}` — the workbook names cells from typed inputs",
                f.display()
            );
        }
    }
}

#[test]
fn the_cross_era_case_is_all_formulas_and_the_example_explains_its_values() {
    let cases = golden();
    let (_, _, eras) = cases
        .iter()
        .find(|(n, ..)| n == "eras-2009-2025")
        .expect("the cross-era case");
    for s in &eras.scenarios {
        for l in &s.lines {
            assert!(
                l.quantity_formula.is_some(),
                "{}: {} has a formula",
                s.name,
                l.item
            );
        }
    }
    let (_, _, acme) = cases
        .iter()
        .find(|(n, ..)| n == "acme-2009")
        .expect("the example");
    let s = &acme.scenarios[0];
    let upgrade = s
        .lines
        .iter()
        .find(|l| l.item.contains("enterprise-to-enterprise-plus"));
    assert!(
        upgrade.is_some_and(|l| l.quantity_formula.is_none()),
        "an upgrade from owned licences is a value"
    );
    let support = s
        .lines
        .iter()
        .find(|l| l.item.ends_with("/production"))
        .expect("SnS");
    assert_eq!(
        support
            .quantity_formula
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("hosts × sockets_per_host × ceil(cores_per_socket / 12)"),
        "support on the units held is a formula even when they were upgraded"
    );
    let f = support.quantity_formula.as_ref().expect("a formula");
    let prod = |field| Input::cluster(0, field);
    assert_eq!(
        f.inputs(),
        [
            &prod(ClusterField::Hosts),
            &prod(ClusterField::SocketsPerHost),
            &prod(ClusterField::CoresPerSocket)
        ]
    );
    let names = |i: &Input| format!("{i}_prod");
    assert_eq!(
        f.excel(&names),
        "hosts_prod*sockets_per_host_prod*CEILING(cores_per_socket_prod/12,1)"
    );
}

#[test]
fn every_cached_figure_equals_the_engine_to_the_cent() {
    let mut problems = Vec::new();
    for (name, _, q) in golden() {
        let bytes = xlsx_of(&q);
        assert!(bytes.starts_with(b"PK"), "{name}: an XLSX is a zip");
        let (lines, summary) = cached_grids(&bytes);
        problems.extend(compare(&name, &q, &lines, &summary));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn cells_are_formulas_over_named_inputs_unless_the_row_says_why() {
    for (name, _, q) in golden() {
        let bytes = xlsx_of(&q);
        let mut wb = open(&bytes);
        let names: BTreeMap<String, String> = wb.defined_names().iter().cloned().collect();
        for c in &q.inputs.clusters {
            for field in ["hosts", "sockets_per_host", "cores_per_socket"] {
                let n = format!("{field}_{}", c.name);
                assert!(
                    names
                        .get(&n)
                        .is_some_and(|r| r.starts_with("Assumptions!$C$")),
                    "{name}: {n} is a named input: {names:?}"
                );
            }
        }
        assert!(names.contains_key("discount_rate"), "{name}: {names:?}");
        let values = grid_of(&wb.worksheet_range(xlsx::LINES).expect("Lines"));
        let formulas = wb.worksheet_formula(xlsx::LINES).expect("Lines formulas");
        let h = LINES_HEADER_ROW as usize;
        let (qty, unit, amount, why) = (
            col(&values, h, "Quantity"),
            col(&values, h, "Unit price"),
            col(&values, h, "Amount"),
            col(&values, h, "Why a value"),
        );
        let formula = |r: usize, c: usize| {
            formulas
                .get_value((r as u32, c as u32))
                .cloned()
                .unwrap_or_default()
        };
        let mut row = h + 1;
        let mut with_formulas = 0;
        for s in &q.scenarios {
            for l in &s.lines {
                let at = format!("{name}: {} {} year {}", s.name, l.item, l.year);
                let f = formula(row, qty);
                let reason = &values[row][why];
                assert_eq!(
                    f.is_empty(),
                    !reason.is_empty(),
                    "{at}: quantity formula {f:?}, why a value {reason:?}"
                );
                assert_eq!(f.is_empty(), l.quantity_formula.is_none(), "{at}: {f:?}");
                if !f.is_empty() {
                    with_formulas += 1;
                    // A formula reads named inputs, unless it is a number (one instance).
                    let number = matches!(l.quantity_formula.as_deref(), Some(Expr::Num(_)));
                    assert!(number || f.contains("_"), "{at}: {f} reads named inputs");
                }
                let u = formula(row, unit);
                assert!(
                    u.starts_with("price_")
                        || u.contains("watts")
                        || Input::of_cost_name(&format!("costs.{}", u.trim_end_matches("/12")))
                            .is_some(),
                    "{at}: the unit price is a named input: {u:?}"
                );
                assert_eq!(
                    formula(row, amount),
                    format!(
                        "ROUND({q}{n}*{u}{n}*{f}{n},2)",
                        q = letter(qty),
                        u = letter(unit),
                        f = letter(col(&values, h, "Factor")),
                        n = row + 1
                    ),
                    "{at}"
                );
                row += 1;
            }
        }
        assert!(with_formulas > 0, "{name}");
        let summary = wb
            .worksheet_formula(xlsx::SUMMARY)
            .expect("Summary formulas");
        let sumifs = summary
            .used_cells()
            .filter(|(_, _, f)| f.starts_with("SUMIFS(Lines!"))
            .count();
        let years: usize = q.scenarios.iter().map(|s| s.years.len()).sum();
        assert_eq!(sumifs, years, "{name}: a SUMIFS per scenario per year");
    }
}

#[test]
fn the_workbook_is_deterministic_and_the_sheets_are_in_order() {
    let cases = golden();
    let (_, _, q) = &cases[0];
    let a = xlsx_of(q);
    assert_eq!(a, xlsx_of(q), "the same quote gives the same bytes");
    let wb = open(&a);
    assert_eq!(
        wb.sheet_names(),
        [xlsx::SUMMARY, xlsx::LINES, xlsx::ASSUMPTIONS, xlsx::SOURCES]
    );
}

#[test]
fn varied_estates_keep_their_formulas_and_cache_the_engines_cents() {
    let mut problems = Vec::new();
    let mut formulas = 0;
    for seed in 0..24 {
        let (name, q) = varied(seed);
        formulas += check_quantity_formulas(&q);
        let bytes = xlsx_of(&q);
        let (lines, summary) = cached_grids(&bytes);
        problems.extend(compare(&name, &q, &lines, &summary));
        // Every engine formula made it into the sheet as a formula (none fell back to a value).
        let mut wb = open(&bytes);
        let cells = wb.worksheet_formula(xlsx::LINES).expect("Lines formulas");
        let h = LINES_HEADER_ROW as usize;
        let qty = col(&lines, h, "Quantity");
        let written = (h + 1..lines.len())
            .filter(|r| {
                cells
                    .get_value((*r as u32, qty as u32))
                    .is_some_and(|f| !f.is_empty())
            })
            .count();
        let recorded = q
            .scenarios
            .iter()
            .flat_map(|s| &s.lines)
            .filter(|l| l.quantity_formula.is_some())
            .count();
        assert_eq!(
            written, recorded,
            "{name}: every quantity formula is written"
        );
    }
    assert!(
        formulas > 100,
        "the variations exercise the formulas: {formulas}"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn sources_list_every_price_with_its_confidence_and_pricebook_hash() {
    for (name, _, q) in golden() {
        let mut wb = open(&xlsx_of(&q));
        let sources = grid_of(&wb.worksheet_range(xlsx::SOURCES).expect("Sources"));
        let flat: Vec<&String> = sources.iter().flatten().collect();
        for b in &q.pricebooks {
            assert!(flat.iter().any(|c| **c == b.hash), "{name}: {} hash", b.id);
        }
        for s in &q.scenarios {
            for l in s.lines.iter().filter(|l| !l.item.starts_with("costs/")) {
                // An item priced per term has one row per term price: the line's row is the
                // one of its item with its confidence and source.
                let rows: Vec<_> = sources
                    .iter()
                    .filter(|r| r.first().is_some_and(|f| *f == l.item))
                    .collect();
                assert!(!rows.is_empty(), "{name}: {} on Sources", l.item);
                let confidence = l.source.confidence.mark().to_owned();
                let source = l.source.source.to_string();
                assert!(
                    rows.iter()
                        .any(|row| row.contains(&confidence) && row.contains(&source)),
                    "{name}: no row of {} with [{confidence}] {source}: {rows:?}",
                    l.item
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Editing a workbook the way a user would: a changed input cell, a wrong cached value

fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("an entry");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("read an entry");
            (f.name().expect("a UTF-8 entry name").to_string(), data)
        })
        .collect()
}

fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(name.as_str(), options)
            .expect("start an entry");
        w.write_all(data).expect("write an entry");
    }
    w.finish().expect("finish the zip").into_inner()
}

fn entry<'a>(entries: &'a mut [(String, Vec<u8>)], name: &str) -> &'a mut Vec<u8> {
    &mut entries
        .iter_mut()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} in the workbook"))
        .1
}

/// The worksheet file of a sheet: rust_xlsxwriter writes `sheetN.xml` in tab order.
fn sheet_file(entries: &mut [(String, Vec<u8>)], sheet: &str) -> String {
    let wb = String::from_utf8(entry(entries, "xl/workbook.xml").clone()).expect("UTF-8");
    let tabs: Vec<&str> = wb
        .split("<sheet name=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    let i = tabs.iter().position(|t| *t == sheet).expect("the sheet");
    format!("xl/worksheets/sheet{}.xml", i + 1)
}

/// Replaces the value cached in one cell (`C12`) of a sheet, keeping its formula if any.
fn set_cell(entries: &mut [(String, Vec<u8>)], sheet: &str, cell: &str, value: &str) {
    let file = sheet_file(entries, sheet);
    let xml = String::from_utf8(entry(entries, &file).clone()).expect("UTF-8");
    let start = xml
        .find(&format!("<c r=\"{cell}\""))
        .unwrap_or_else(|| panic!("{sheet}!{cell}"));
    let end = start + xml[start..].find("</c>").expect("the cell ends");
    let v = start + xml[start..end].find("<v>").expect("a cached value");
    let v_end = v + xml[v..end].find("</v>").expect("the value ends");
    let edited = format!("{}<v>{value}{}", &xml[..v], &xml[v_end..]);
    *entry(entries, &file) = edited.into_bytes();
}

/// The cell a defined name points at: `hosts_prod` → (`Assumptions`, `C12`).
fn named_cell(entries: &mut [(String, Vec<u8>)], name: &str) -> (String, String) {
    let wb = String::from_utf8(entry(entries, "xl/workbook.xml").clone()).expect("UTF-8");
    let tag = format!("<definedName name=\"{name}\">");
    let at = wb.find(&tag).unwrap_or_else(|| panic!("{name} is defined")) + tag.len();
    let target = &wb[at..at + wb[at..].find('<').expect("the name ends")];
    let (sheet, cell) = target.split_once('!').expect("Sheet!$C$12");
    (sheet.to_owned(), cell.replace('$', ""))
}

/// The workbook with one named input's cell changed and every cached result left as it was.
fn with_input(bytes: &[u8], name: &str, value: &str) -> Vec<u8> {
    let mut entries = unzip(bytes);
    let (sheet, cell) = named_cell(&mut entries, name);
    set_cell(&mut entries, &sheet, &cell, value);
    rezip(&entries)
}

#[test]
fn an_edited_input_keeps_its_stale_caches_until_recalculated() {
    let cases = golden();
    let (_, estate, q4) = cases
        .iter()
        .find(|(n, ..)| n == "eras-2009-2025")
        .expect("the cross-era case");
    assert_eq!(estate.clusters[0].hosts, 4);
    let edited = with_input(&xlsx_of(q4), "hosts_prod", "6");
    let mut wb = open(&edited);
    let a = grid_of(&wb.worksheet_range(xlsx::ASSUMPTIONS).expect("Assumptions"));
    let row = a
        .iter()
        .find(|r| r[1] == "hosts_prod")
        .expect("the hosts row");
    assert_eq!(row[2], "6", "the input cell changed");
    let (lines, summary) = cached_grids(&edited);
    assert!(
        compare("edited", q4, &lines, &summary).is_empty(),
        "caches are still 4 hosts"
    );
}

// ---------------------------------------------------------------------------------------------
// LibreOffice

/// True when the slow LibreOffice checks should run; otherwise says why they skip.
#[allow(clippy::print_stderr, reason = "a skipped test says why")]
fn libreoffice(test: &str) -> bool {
    if std::env::var_os("HYPERCOST_LIBREOFFICE").is_some_and(|v| v == "1") {
        assert!(
            Command::new("soffice").arg("--version").output().is_ok(),
            "HYPERCOST_LIBREOFFICE=1 but `soffice` is not installed (scripts/test installs it)"
        );
        return true;
    }
    eprintln!(
        "{test}: skipped: set HYPERCOST_LIBREOFFICE=1 with LibreOffice installed (scripts/test does)"
    );
    false
}

/// How a LibreOffice profile treats the formulas of an XLSX it loads.
#[derive(Clone, Copy, PartialEq)]
enum Recalc {
    /// `OOXMLRecalcMode` 0: recalculate every formula on load.
    Always,
    /// `OOXMLRecalcMode` 1: show the cached results.
    Never,
}

/// A LibreOffice user profile of its own (each concurrent `soffice` needs one) whose
/// `registrymodifications.xcu` sets how XLSX and ODF formulas are recalculated on load.
struct Office {
    profile: Scratch,
}

impl Office {
    fn new(recalc: Recalc) -> Office {
        let mode = if recalc == Recalc::Always { 0 } else { 1 };
        let profile = Scratch::new();
        profile.write(
            "user/registrymodifications.xcu",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
</oor:items>
"#
            ),
        );
        Office { profile }
    }

    /// `soffice --headless --convert-to FILTER --outdir OUT FILES…` with this profile.
    fn convert(&self, files: &[PathBuf], filter: &str, out: &Path) {
        let run = Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                self.profile.path().display()
            ))
            .args([
                "--headless",
                "--norestore",
                "--nologo",
                "--convert-to",
                filter,
            ])
            .arg("--outdir")
            .arg(out)
            .args(files)
            .output()
            .expect("soffice runs");
        assert!(
            run.status.success(),
            "soffice failed: {}\n{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
    }

    /// Each workbook's sheets as CSV grids of raw values (not as shown), by sheet name.
    fn sheets(&self, files: &[PathBuf], out: &Path) -> Vec<BTreeMap<String, Grid>> {
        // 44 comma, 34 quote, 76 UTF-8, from line 1, …, 9th: false = raw values, not as shown;
        // 12th: -1 = every sheet to its own file, FILE-SHEET.csv.
        let filter =
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1";
        self.convert(files, filter, out);
        files
            .iter()
            .map(|f| {
                let stem = f
                    .file_stem()
                    .expect("a stem")
                    .to_string_lossy()
                    .into_owned();
                [xlsx::SUMMARY, xlsx::LINES, xlsx::ASSUMPTIONS, xlsx::SOURCES]
                    .iter()
                    .map(|sheet| {
                        let path = out.join(format!("{stem}-{sheet}.csv"));
                        let text = std::fs::read_to_string(&path)
                            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                        (sheet.to_string(), parse_csv(&text))
                    })
                    .collect()
            })
            .collect()
    }
}

/// A CSV of LibreOffice's (quoted fields with doubled quotes, no newlines in fields here
/// except inside quotes) as rows of cells.
fn parse_csv(text: &str) -> Grid {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            ('\r', false) => {}
            (c, _) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

#[test]
fn libreoffice_recalculates_every_golden_case_to_the_engines_cents() {
    if !libreoffice("libreoffice_recalculates_every_golden_case_to_the_engines_cents") {
        return;
    }
    let dir = Scratch::new();
    let cases = golden();
    let files: Vec<PathBuf> = cases
        .iter()
        .map(|(name, _, q)| dir.write(&format!("{name}.xlsx"), xlsx_of(q)))
        .collect();
    let out = dir.path().join("csv");
    let sheets = Office::new(Recalc::Always).sheets(&files, &out);
    let mut problems = Vec::new();
    for ((name, _, q), sheets) in cases.iter().zip(&sheets) {
        problems.extend(compare(
            name,
            q,
            &sheets[xlsx::LINES],
            &sheets[xlsx::SUMMARY],
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn libreoffice_agrees_with_the_engine_on_varied_estates() {
    if !libreoffice("libreoffice_agrees_with_the_engine_on_varied_estates") {
        return;
    }
    let dir = Scratch::new();
    let quotes: Vec<(String, Quote)> = (100..112).map(varied).collect();
    let files: Vec<PathBuf> = quotes
        .iter()
        .enumerate()
        .map(|(i, (_, q))| dir.write(&format!("varied-{i}.xlsx"), xlsx_of(q)))
        .collect();
    let sheets = Office::new(Recalc::Always).sheets(&files, &dir.path().join("csv"));
    let mut problems = Vec::new();
    for ((name, q), sheets) in quotes.iter().zip(&sheets) {
        problems.extend(compare(
            name,
            q,
            &sheets[xlsx::LINES],
            &sheets[xlsx::SUMMARY],
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn libreoffice_really_recalculates_an_edited_input_and_a_wrong_cache() {
    if !libreoffice("libreoffice_really_recalculates_an_edited_input_and_a_wrong_cache") {
        return;
    }
    let cases = golden();
    let (_, estate, q4) = cases
        .iter()
        .find(|(n, ..)| n == "eras-2009-2025")
        .expect("the cross-era case");
    let mut six = estate.clone();
    six.clusters[0].hosts = 6;
    let q6 = quote(&six, &BOOKS);
    assert_ne!(
        q4.scenarios[0].total, q6.scenarios[0].total,
        "6 hosts cost more"
    );

    // Hosts 4 → 6 in the Assumptions cell; every cached result still says 4 hosts.
    let dir = Scratch::new();
    let hosts = dir.write("hosts.xlsx", with_input(&xlsx_of(q4), "hosts_prod", "6"));
    // The example with its first amount's cached result deliberately wrong.
    let (_, _, acme) = cases
        .iter()
        .find(|(n, ..)| n == "acme-2009")
        .expect("the example");
    let mut entries = unzip(&xlsx_of(acme));
    let amount_col = xlsx::LINE_COLUMNS
        .iter()
        .position(|c| *c == "Amount")
        .expect("an Amount column");
    let first = format!("{}{}", letter(amount_col), LINES_HEADER_ROW + 2);
    set_cell(&mut entries, xlsx::LINES, &first, "12345.67");
    let wrong = dir.write("wrong.xlsx", rezip(&entries));
    let files = [hosts, wrong];

    let never = Office::new(Recalc::Never).sheets(&files, &dir.path().join("never"));
    let always = Office::new(Recalc::Always).sheets(&files, &dir.path().join("always"));

    // Without recalculation the caches show through: 4 hosts, and the wrong amount.
    let stale = compare(
        "never/hosts",
        q4,
        &never[0][xlsx::LINES],
        &never[0][xlsx::SUMMARY],
    );
    assert!(stale.is_empty(), "{}", stale.join("\n"));
    let h = LINES_HEADER_ROW as usize;
    let amount = col(&never[1][xlsx::LINES], h, "Amount");
    assert_eq!(
        money_at(&never[1][xlsx::LINES], h + 1, amount),
        "12345.67".parse().expect("d")
    );

    // Recalculated on load: the totals of `quote` with 6 hosts, and the true amount.
    let fresh = compare(
        "always/hosts",
        &q6,
        &always[0][xlsx::LINES],
        &always[0][xlsx::SUMMARY],
    );
    assert!(fresh.is_empty(), "{}", fresh.join("\n"));
    let fixed = compare(
        "always/wrong",
        acme,
        &always[1][xlsx::LINES],
        &always[1][xlsx::SUMMARY],
    );
    assert!(fixed.is_empty(), "{}", fixed.join("\n"));
    assert_eq!(
        money_at(&always[1][xlsx::LINES], h + 1, amount),
        acme.scenarios[0].lines[0].amount
    );
}

#[test]
fn libreoffice_prints_a_workbook_to_pdf_pages() {
    if !libreoffice("libreoffice_prints_a_workbook_to_pdf_pages") {
        return;
    }
    let out = PathBuf::from("/tmp/hypercost-xlsx-pages");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).expect("mkdir");
    let cases = golden();
    let mut files = Vec::new();
    for (name, _, q) in &cases {
        if name == "tco-3-year" || name == "eras-2009-2025" {
            let path = out.join(format!("{name}.xlsx"));
            std::fs::write(&path, xlsx_of(q)).expect("write the workbook");
            files.push(path);
        }
    }
    Office::new(Recalc::Always).convert(&files, "pdf", &out);
    for f in &files {
        let pdf = f.with_extension("pdf");
        let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("{}: {e}", pdf.display()));
        assert!(bytes.starts_with(b"%PDF"), "{}", pdf.display());
        let pages = String::from_utf8_lossy(&bytes)
            .matches("/Type /Page\n")
            .count()
            + String::from_utf8_lossy(&bytes)
                .matches("/Type/Page/")
                .count();
        eprintln!("{}: {} bytes, ~{pages} pages", pdf.display(), bytes.len());
        let stem = pdf
            .file_stem()
            .expect("a stem")
            .to_string_lossy()
            .into_owned();
        match Command::new("pdftoppm")
            .args(["-png", "-r", "70"])
            .arg(&pdf)
            .arg(out.join(&stem))
            .status()
        {
            Ok(status) => assert!(status.success(), "pdftoppm {}", pdf.display()),
            Err(_) => {
                eprintln!("pdftoppm is not installed: no PNG pages (apt-get install poppler-utils)")
            }
        }
    }
    eprintln!("pages to look at: {}", out.display());
}

//! `hypercost reshape` as an HTML page and as a workbook (issue 16), on
//! `tests/fixtures/reshape/one-cluster.toml` (one cluster, VVF and Proxmox): every option's
//! total and why, the crossover chart with a line, legend entry and tooltips per edition, and
//! a workbook whose totals and crossover figures are the JSON's. With `HYPERCOST_CHROMIUM=1`
//! headless Chromium screenshots the page (kept in `HYPERCOST_CHROMIUM_OUT` when set).

use std::path::{Path, PathBuf};

use calamine::{Data, Reader as _};
use hypercost_core::money::grouped;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::html::{CHROMIUM, chromium, escape, png_size, self_containment_problems};
use crate::support::{Run, Scratch, arg, cli, tests_dir};

fn fixture() -> PathBuf {
    tests_dir().join("fixtures/reshape/one-cluster.toml")
}

fn reshape(extra: &[&str]) -> Run {
    let estate = fixture();
    let mut args = vec!["reshape", arg(&estate)];
    args.extend_from_slice(extra);
    let run = cli(&args);
    assert_eq!(run.code, 0, "{extra:?}: {}", run.stderr);
    run
}

fn json() -> Value {
    serde_json::from_slice(&reshape(&["--format", "json"]).stdout).expect("JSON")
}

fn money(v: &Value) -> Decimal {
    v.as_str()
        .expect("money is text")
        .parse()
        .expect("a decimal")
}

/// The cluster's options as the JSON lists them: baselines, then options.
fn options(j: &Value) -> Vec<&Value> {
    let c = &j["clusters"][0];
    let list = |key: &str| c[key].as_array().expect("a list").iter();
    list("baseline").chain(list("options")).collect()
}

#[test]
fn the_page_has_every_option_and_a_crossover_line_per_edition() {
    let j = json();
    let page = reshape(&["--format", "html"]).out();
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    assert!(page.trim_end().ends_with("</html>"));
    let problems = self_containment_problems(&page);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(page.contains("<h1>reshape demo</h1>"));
    assert!(
        page.contains("vcpu_per_core 4 (default)"),
        "the sizing used"
    );
    for n in j["notes"].as_array().expect("notes") {
        assert!(page.contains(&escape(n.as_str().expect("a note"))));
    }

    // Every option: its exact total (as the JSON writes it and as people read it) and why.
    let all = options(&j);
    assert_eq!(all.len(), 8, "2 baselines, 3 shapes for each of 2 editions");
    for o in &all {
        let total = money(&o["total"]);
        let cell = format!(
            "data-total=\"{}\">{}<",
            o["total"].as_str().expect("total"),
            grouped(total)
        );
        assert!(page.contains(&cell), "{cell}");
        let why = escape(o["why"].as_str().expect("why"));
        assert!(page.contains(&why), "{why}");
    }
    assert!(
        page.contains("<th scope=\"col\">Edition</th>"),
        "real table headers"
    );
    assert!(page.contains("<caption"));

    // One chart: a line per edition, each point a marker whose tooltip is its exact total,
    // a legend entry per edition, and a summary for those who cannot see it.
    assert_eq!(page.matches("<svg class=\"hc-svg\"").count(), 1);
    assert!(page.contains("role=\"img\" aria-labelledby=\"crossover-1-title crossover-1-desc\""));
    let crossover = j["clusters"][0]["crossover"].as_array().expect("crossover");
    assert_eq!(crossover.len(), 2);
    assert_eq!(
        page.matches("<polyline ").count(),
        crossover.len(),
        "no gaps here"
    );
    let legend = &page[page.find("<ul class=\"hc-legend\"").expect("a legend")..];
    let legend = &legend[..legend.find("</ul>").expect("the legend ends")];
    for e in crossover {
        let edition = e["edition"].as_str().expect("edition");
        assert!(
            legend.contains(&format!("<span>{edition}</span>")),
            "{legend}"
        );
        for p in e["points"].as_array().expect("points") {
            let tip = format!(
                "<title>{edition} — {} cores per CPU: {} USD</title>",
                p["cores_per_socket"],
                grouped(money(&p["total"]))
            );
            assert!(page.contains(&tip), "{tip}");
        }
    }
    for cores in [8, 16, 24, 32, 48, 64, 96, 128, 192] {
        assert!(
            page.contains(&format!(">{cores}</text>")),
            "x label {cores}"
        );
    }
    assert!(page.contains("Cores per CPU (evenly spaced, not to scale)"));
    assert!(
        page.contains(
            "proxmox-ve-2025/standard costs less than vmware-vcf-2024/vvf at every core count"
        ),
        "the summary says who wins"
    );
    assert!(
        page.contains("vmware-vcf-2024/vvf is cheapest with 24 cores per CPU (199,340.72 USD)")
    );
    // `-o FILE.html` writes the same page.
    let scratch = Scratch::new();
    let file = scratch.path().join("report.html");
    reshape(&["-o", arg(&file)]);
    assert_eq!(std::fs::read_to_string(&file).expect("written"), page);
}

fn cell(d: Option<&Data>) -> String {
    d.map(ToString::to_string).unwrap_or_default()
}

#[test]
fn the_workbook_holds_the_options_and_the_crossover_as_the_json_has_them() {
    let j = json();
    let scratch = Scratch::new();
    let book = scratch.path().join("reshape.xlsx");
    reshape(&["-o", arg(&book)]);
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&book).expect("a workbook");
    assert_eq!(wb.sheet_names(), vec!["Reshape", "Crossover"]);

    // The CSV's columns, one row per option, baselines first; totals equal the JSON's.
    let rows = wb.worksheet_range("Reshape").expect("Reshape");
    let csv = String::from_utf8(reshape(&["--format", "csv"]).stdout).expect("CSV");
    let header: Vec<&str> = csv.lines().next().expect("a header").split(',').collect();
    let width = header.len();
    let got: Vec<String> = (0..width).map(|c| cell(rows.get((0, c)))).collect();
    assert_eq!(got, header);
    let total_at = header.iter().position(|h| *h == "total").expect("total");
    let kind_at = header.iter().position(|h| *h == "kind").expect("kind");
    let all = options(&j);
    assert_eq!(rows.height(), all.len() + 1);
    for (r, o) in all.iter().enumerate() {
        let total = match rows.get((r + 1, total_at)) {
            Some(Data::Float(f)) => f.to_string().parse::<Decimal>().expect("a number"),
            other => panic!("row {r}: the total is no number: {other:?}"),
        };
        assert_eq!(total, money(&o["total"]), "row {r}");
        let kind = if o["server"] == "current" {
            "baseline"
        } else {
            "option"
        };
        assert_eq!(cell(rows.get((r + 1, kind_at))), kind);
    }

    // Rows are core counts, columns editions, figures the crossover's.
    let cross = wb.worksheet_range("Crossover").expect("Crossover");
    let crossover = j["clusters"][0]["crossover"].as_array().expect("crossover");
    assert_eq!(cell(cross.get((0, 1))), "cores per CPU");
    for (k, e) in crossover.iter().enumerate() {
        assert_eq!(
            cell(cross.get((0, k + 2))),
            e["edition"].as_str().expect("edition")
        );
        for (r, p) in e["points"].as_array().expect("points").iter().enumerate() {
            assert_eq!(cell(cross.get((r + 1, 0))), "prod");
            assert_eq!(
                cell(cross.get((r + 1, 1))),
                p["cores_per_socket"].to_string()
            );
            let figure: Decimal = cell(cross.get((r + 1, k + 2))).parse().expect("a number");
            assert_eq!(figure, money(&p["total"]));
        }
    }

    // The same result gives the same bytes, and `--format xlsx -o` agrees with the extension.
    let again = scratch.path().join("again.xlsx");
    reshape(&["--format", "xlsx", "-o", arg(&again)]);
    assert_eq!(
        std::fs::read(&book).expect("book"),
        std::fs::read(&again).expect("again")
    );
}

/// The page in real headless Chromium at desktop and phone widths (look at the PNGs: the
/// legend, the chart's labels and the options table).
#[test]
fn chromium_shows_the_reshape_page() {
    if std::env::var_os("HYPERCOST_CHROMIUM").is_none_or(|v| v != "1") {
        eprintln!("skipped: set HYPERCOST_CHROMIUM=1 to open the page in headless Chromium");
        return;
    }
    assert!(Path::new(CHROMIUM).is_file(), "{CHROMIUM} is missing");
    let scratch = Scratch::new();
    let out = std::env::var_os("HYPERCOST_CHROMIUM_OUT")
        .map_or_else(|| scratch.path().to_path_buf(), PathBuf::from);
    std::fs::create_dir_all(&out).expect("the output folder");
    let page = out.join("reshape.html");
    reshape(&["-o", arg(&page)]);
    for (name, size) in [("reshape", "1280,1900"), ("reshape-phone", "390,2400")] {
        let png = out.join(format!("{name}.png"));
        let _ = std::fs::remove_file(&png);
        chromium(
            &scratch.path().join(format!("profile-{name}")),
            &[
                format!("--screenshot={}", png.display()),
                format!("--window-size={size}"),
            ],
            &page,
        );
        let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("no {name}.png: {e}"));
        let (w, h) = png_size(&bytes);
        assert!(w >= 390 && h >= 1900, "{name}.png is {w}×{h}");
        assert!(bytes.len() > 60_000, "{name}.png is nearly empty");
    }
    eprintln!("reshape page and screenshots in {}", out.display());
}

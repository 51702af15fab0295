//! The HTML report: every golden case renders as one self-contained document (no resource
//! from the network, no script) holding every total and every line amount, text is escaped,
//! and — with `HYPERCOST_CHROMIUM=1`, as `scripts/test` runs it — real headless Chromium
//! screenshots the example report and prints it to PDF.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hypercost_core::money::grouped;
use hypercost_core::{Format, Quote, SourceFile, example_estate, parse_estate, quote, render};

use crate::support::{BOOKS, Scratch, golden_cases};

fn quote_of(file: &SourceFile) -> Quote {
    let estate = parse_estate(file, &BOOKS)
        .unwrap_or_else(|d| panic!("{} does not parse: {d:?}", file.name));
    quote(&estate, &BOOKS)
}

fn html(q: &Quote) -> String {
    String::from_utf8(render(q, Format::Html).expect("renders")).expect("the report is UTF-8")
}

/// Every golden case's estate, quoted.
fn golden_quotes() -> Vec<(String, Quote)> {
    let cases: Vec<PathBuf> = golden_cases().into_iter().map(|c| c.estate).collect();
    assert!(!cases.is_empty(), "no golden case found");
    cases
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("the estate reads");
            let name = p.display().to_string();
            (name.clone(), quote_of(&SourceFile::new(name, text)))
        })
        .collect()
}

/// Every start tag's name and its text (`<a href="#x">` → `("a", "<a href=\"#x\">")`).
fn start_tags(html: &str) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        let name: String = tag[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ':')
            .collect::<String>()
            .to_ascii_lowercase();
        if !name.is_empty() {
            out.push((name, tag));
        }
        rest = &rest[end..];
    }
    out
}

/// The problems that would make the page load something or run something.
pub(crate) fn self_containment_problems(html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let lower = html.to_ascii_lowercase();
    for needle in [
        "src=",
        "srcset=",
        "@import",
        "url(",
        "<link",
        "<script",
        "<base",
        "javascript:",
    ] {
        if lower.contains(needle) {
            problems.push(format!("the page contains `{needle}`"));
        }
    }
    for (name, tag) in start_tags(html) {
        if matches!(
            name.as_str(),
            "img" | "iframe" | "object" | "embed" | "video" | "audio" | "source" | "image" | "use"
        ) {
            problems.push(format!("the page embeds a resource: {tag}"));
        }
        let lower_tag = tag.to_ascii_lowercase();
        if name != "a" && lower_tag.contains("href=") {
            problems.push(format!("only links may have an address: {tag}"));
        }
        if name == "a" && !(lower_tag.contains("href=\"#") || lower_tag.contains("href=\"http")) {
            problems.push(format!("a link to neither an anchor nor a web page: {tag}"));
        }
        if event_handler(&lower_tag) {
            problems.push(format!("an event handler: {tag}"));
        }
    }
    problems
}

/// Whether a tag carries an `on…=` attribute.
fn event_handler(tag: &str) -> bool {
    tag.split_whitespace().any(|attr| {
        attr.starts_with("on")
            && attr
                .split_once('=')
                .is_some_and(|(name, _)| name.chars().all(|c| c.is_ascii_alphabetic()))
    })
}

/// The text of every element whose start tag contains `marker`, in document order.
fn cells_marked<'a>(html: &'a str, marker: &str) -> Vec<&'a str> {
    html.match_indices(marker)
        .filter_map(|(at, _)| {
            let after = &html[at..];
            let start = after.find('>')? + 1;
            let end = after[start..].find('<')?;
            Some(&after[start..start + end])
        })
        .collect()
}

#[test]
fn every_golden_case_is_one_self_contained_document_with_every_figure() {
    for (case, q) in golden_quotes() {
        let page = html(&q);
        assert!(page.starts_with("<!DOCTYPE html>"), "{case}: no doctype");
        assert!(
            page.trim_end().ends_with("</html>"),
            "{case}: not one document"
        );
        for tag in ["<html", "<head>", "<body>", "<main", "<style>"] {
            assert_eq!(
                page.matches(tag).count(),
                1,
                "{case}: `{tag}` is not there once"
            );
        }
        let problems = self_containment_problems(&page);
        assert!(problems.is_empty(), "{case}:\n{}", problems.join("\n"));

        // Every line amount, in order, in the amount column of the line items.
        let expected: Vec<String> = q
            .scenarios
            .iter()
            .flat_map(|s| s.lines.iter().map(|l| grouped(l.amount)))
            .collect();
        assert_eq!(
            cells_marked(&page, "hc-amount\""),
            expected,
            "{case}: line amounts"
        );
        assert_eq!(
            page.matches("<svg class=\"hc-svg\"").count(),
            2,
            "{case}: the yearly and the cumulative chart"
        );
        for s in &q.scenarios {
            for figure in [s.total, s.npv] {
                assert!(page.contains(&grouped(figure)), "{case}: {}", s.name);
            }
            if let Some(v) = s.cost_per_vm_year {
                assert!(page.contains(&grouped(v)), "{case}: {} per VM-year", s.name);
            }
            for y in &s.years {
                for figure in [y.total, y.cumulative, y.present_value] {
                    let cell = format!(">{}<", grouped(figure));
                    assert!(page.contains(&cell), "{case}: {} year {}", s.name, y.year);
                }
            }
            for p in &s.problems {
                assert!(
                    page.contains(&escape(&p.message)),
                    "{case}: problem {}",
                    p.message
                );
            }
        }
        for r in &q.ranking {
            assert!(page.contains(&format!(">{}<", grouped(r.total))), "{case}");
        }
        for p in &q.pricebooks {
            assert!(page.contains(&p.hash), "{case}: hash of {}", p.id);
        }
        for a in &q.assumptions {
            assert!(
                page.contains(&escape(&a.name)),
                "{case}: assumption {}",
                a.name
            );
        }
    }
}

/// Text as askama escapes it.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

#[test]
fn the_report_is_deterministic() {
    let q = quote_of(&example_estate());
    assert_eq!(
        render(&q, Format::Html).expect("renders"),
        render(&q, Format::Html).expect("renders")
    );
}

const HOSTILE: &str = r#"
format = 1
name = "Acme & \"Sons\" <b>bold</b>"
currency = "USD"
purchase_date = 2009-11-02
years = 2

[[cluster]]
name = "prod"
hosts = 2
sockets_per_host = 2
cores_per_socket = 4
needs = ["distributed-switch"]

[[scenario]]
name = "<script>alert(1)</script>"
[[scenario.plan]]
cluster = "prod"
edition = "citrix-xenserver-5.5/free"
"#;

#[test]
fn text_is_escaped_everywhere() {
    let q = quote_of(&SourceFile::new("hostile.toml", HOSTILE));
    assert!(!q.scenarios.first().expect("one scenario").compliant);
    let page = html(&q);
    assert!(!page.to_ascii_lowercase().contains("<script"), "{page}");
    assert!(!page.contains("<b>"), "the estate name is escaped");
    let name = "&#60;script&#62;alert(1)&#60;/script&#62;";
    // Ranking, legend, both charts' tooltips, the section heading and its table captions.
    assert!(page.matches(name).count() >= 5, "{page}");
    assert!(page.contains("Acme &#38; &#34;Sons&#34; &#60;b&#62;bold&#60;/b&#62;"));
    assert!(self_containment_problems(&page).is_empty());
}

#[test]
fn fragments_are_the_document() {
    let q = quote_of(&example_estate());
    let page = html(&q);
    let parts = hypercost_core::render::html::parts(&q);
    assert_eq!(parts.scenarios.len(), q.scenarios.len());
    for part in [
        &parts.header,
        &parts.ranking,
        &parts.charts,
        &parts.reference,
    ]
    .into_iter()
    .chain(&parts.scenarios)
    {
        assert!(page.contains(part.as_str()), "a part is not in the page");
    }
    assert!(hypercost_core::render::html::STYLE.contains("@media print"));
}

// ---------------------------------------------------------------------------------------------
// Real headless Chromium (HYPERCOST_CHROMIUM=1)

pub(crate) const CHROMIUM: &str = "/usr/bin/chromium";

/// Runs Chromium headless on `page` with `extra` arguments, within two minutes.
pub(crate) fn chromium(profile: &Path, extra: &[String], page: &Path) {
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-default-apps",
            "--disable-extensions",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
            "--hide-scrollbars",
            "--mute-audio",
            // No name resolves: the page has nothing to fetch, and Chromium itself stays home.
            "--host-resolver-rules=MAP * ~NOTFOUND",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = child.try_wait().expect("chromium runs") {
            assert!(status.success(), "chromium exited with {status}");
            return;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within two minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The width and height of a PNG, from its header.
pub(crate) fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let word = |at: usize| {
        u32::from_be_bytes(
            bytes[at..at + 4]
                .try_into()
                .expect("four bytes of the header"),
        )
    };
    (word(16), word(20))
}

/// Screenshots the example report at desktop and phone widths, and every golden case at
/// desktop width, and prints the example to PDF. The files stay in `HYPERCOST_CHROMIUM_OUT`
/// when that is set, so a person can look at them.
#[test]
fn chromium_renders_and_prints_the_reports() {
    if std::env::var_os("HYPERCOST_CHROMIUM").is_none_or(|v| v != "1") {
        eprintln!("skipped: set HYPERCOST_CHROMIUM=1 to open the report in headless Chromium");
        return;
    }
    assert!(
        Path::new(CHROMIUM).is_file(),
        "{CHROMIUM} is missing: scripts/test installs Debian's chromium"
    );
    let scratch = Scratch::new();
    let out = std::env::var_os("HYPERCOST_CHROMIUM_OUT")
        .map_or_else(|| scratch.path().to_path_buf(), PathBuf::from);
    std::fs::create_dir_all(&out).expect("the output folder");

    let example = quote_of(&example_estate());
    let mut shots = vec![
        ("example".to_owned(), example.clone(), "1280,2400"),
        ("example-phone".to_owned(), example.clone(), "390,2400"),
    ];
    for (path, q) in golden_quotes() {
        let case = Path::new(&path)
            .parent()
            .and_then(Path::file_name)
            .map_or("case".into(), |n| n.to_string_lossy().into_owned());
        shots.push((case, q, "1280,2400"));
    }
    for (name, q, size) in &shots {
        let page = out.join(format!("{name}.html"));
        std::fs::write(&page, render(q, Format::Html).expect("renders")).expect("write the report");
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
        assert!(w >= 390 && h >= 2000, "{name}.png is {w}×{h}");
        // A blank page compresses to a few kilobytes; text, tables and charts do not.
        assert!(
            bytes.len() > 60_000,
            "{name}.png is nearly empty: {} bytes",
            bytes.len()
        );
    }

    let page = out.join("example.html");
    let pdf = out.join("example.pdf");
    let _ = std::fs::remove_file(&pdf);
    chromium(
        &scratch.path().join("profile-pdf"),
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".to_owned(),
        ],
        &page,
    );
    let bytes = std::fs::read(&pdf).expect("the PDF is written");
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    // The summary, a page or more per scenario, then the reference pages.
    let pages = bytes.windows(11).filter(|w| w == b"/Type /Page").count()
        - bytes.windows(12).filter(|w| w == b"/Type /Pages").count();
    assert!(
        pages > example.scenarios.len() + 1,
        "{pages} pages for {} scenarios",
        example.scenarios.len()
    );
    eprintln!("reports, screenshots and PDF in {}", out.display());
}

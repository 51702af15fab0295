//! The browser calculator in real headless Chromium, driven over WebDriver (chromedriver).
//!
//! `scripts/test` builds the page (`scripts/web build`) and sets `HYPERCOST_WEB_DIST` to
//! `web/dist`; without it these tests say they are skipped. Every figure the page shows is
//! compared with the CLI run in-process on the same estate text, so "the numbers are the
//! CLI's, byte for byte" is checked, not assumed.

mod a11y;
mod webdriver;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hypercost_core::example_estate;
use serde_json::{Value, json};

use crate::support::cli_with_stdin;
use webdriver::{Browser, Server};

/// `web/dist` when `scripts/test` (or a person) built it and asked for these tests.
fn dist() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("HYPERCOST_WEB_DIST")?);
    assert!(
        dir.join("index.html").is_file() && dir.join("hypercost_bg.wasm").is_file(),
        "HYPERCOST_WEB_DIST={} has no built page: run `bash scripts/web build`",
        dir.display()
    );
    Some(dir)
}

/// The CLI's `quote --format F` of `estate` text (standard input), which must succeed.
fn cli_quote(estate: &str, format: &str) -> Vec<u8> {
    let run = cli_with_stdin(&["quote", "-", "--format", format], estate.as_bytes());
    assert!(run.code <= 1, "the CLI failed: {}", run.stderr);
    run.stdout
}

/// Scenario name → total (plain decimal text) from the CLI's JSON.
fn cli_totals(estate: &str) -> BTreeMap<String, String> {
    let v: Value = serde_json::from_slice(&cli_quote(estate, "json")).expect("CLI JSON");
    per_scenario(&v, "/total")
}

/// Scenario name → the figure at `pointer` in each scenario of a quote's JSON (`/total`,
/// `/range/total/p10`).
fn per_scenario(quote: &Value, pointer: &str) -> BTreeMap<String, String> {
    quote["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .map(|s| {
            let figure = s.pointer(pointer).and_then(Value::as_str);
            (
                s["name"].as_str().expect("name").to_owned(),
                figure.unwrap_or_else(|| panic!("{pointer}")).to_owned(),
            )
        })
        .collect()
}

/// Scenario name → total as the page's ranking table shows it (`data-total`).
fn page_totals(b: &Browser) -> BTreeMap<String, String> {
    page_ranking(b, "total")
}

/// Scenario name → a figure of its row in the page's ranking (`data-<figure>`, empty when
/// the row has none).
fn page_ranking(b: &Browser, figure: &str) -> BTreeMap<String, String> {
    let v = b.js(
        "return [...document.querySelectorAll('#summary tr[data-scenario]')]
           .map(r => [r.dataset.scenario, r.querySelector(`[data-${arguments[0]}]`)?.dataset[arguments[0]] ?? '']);",
        &[json!(figure)],
    );
    v.as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r[0].as_str().expect("name").to_owned(),
                r[1].as_str().expect("total").to_owned(),
            )
        })
        .collect()
}

/// Waits until the page has priced `text` (the engine's last input equals it).
fn wait_priced(b: &Browser, what: &str) {
    b.wait_for(
        "window.hypercost && window.hypercost.last && window.hypercost.last.ok \
         && document.getElementById('toml').value === window.hypercost.toml",
        what,
    );
}

fn wait_file(dir: &Path, name: &str) -> Vec<u8> {
    let path = dir.join(name);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(bytes) = std::fs::read(&path)
            && !bytes.is_empty()
            && !dir.join(format!("{name}.crdownload")).exists()
        {
            return bytes;
        }
        if Instant::now() > deadline {
            let seen: Vec<_> = std::fs::read_dir(dir)
                .map(|d| d.flatten().map(|e| e.file_name()).collect())
                .unwrap_or_default();
            panic!("no download {} (folder holds {seen:?})", path.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Sets the form control whose `data-field` is `field` to `value` and fires `event`, as a
/// person's typing (`input`) or choosing (`change`) does.
fn fill(b: &Browser, field: &str, value: &str, event: &str) {
    b.js(
        "const i = document.querySelector(`[data-field=\"${arguments[0]}\"]`);
         i.value = arguments[1]; i.dispatchEvent(new Event(arguments[2], { bubbles: true }));",
        &[json!(field), json!(value), json!(event)],
    );
}

/// Replaces the TOML editor's text, as pasting into it does.
fn type_toml(b: &Browser, text: &str) {
    b.js(
        "const t = document.getElementById('toml');
         t.value = arguments[0]; t.dispatchEvent(new Event('input', { bubbles: true }));",
        &[json!(text)],
    );
}

/// With `HYPERCOST_CHROMIUM_OUT`, a 1366 × 1400 screenshot named `name` with the element
/// `selector` scrolled into view, for a person to look at.
fn shoot(b: &Browser, name: &str, selector: &str) {
    if let Some(dir) = std::env::var_os("HYPERCOST_CHROMIUM_OUT").map(PathBuf::from) {
        b.set_size(1366, 1400);
        b.js(
            "document.querySelector(arguments[0]).scrollIntoView();",
            &[json!(selector)],
        );
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        std::fs::write(dir.join(name), b.screenshot()).expect("write");
    }
}

fn severe(console: &[Value]) -> Vec<String> {
    console
        .iter()
        .filter(|e| e["level"] == "SEVERE")
        .map(|e| e["message"].to_string())
        .collect()
}

/// Fails on any severe message in the browser's console so far.
fn assert_no_console_errors(b: &Browser) {
    let errors = severe(&b.console());
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

/// Waits until the service worker keeps the page's files, then takes the network away.
fn go_offline(b: &Browser, server: &Server) {
    b.wait_for(
        "window.hypercost.offlineReady === true && navigator.serviceWorker.controller !== null",
        "the page's files to be kept for offline use",
    );
    server.go_offline();
}

/// The built page open in a fresh headless Chromium, started (WebAssembly compiled, the first
/// estate priced), with its own download folder and server.
struct Page {
    downloads: tempfile::TempDir,
    server: Server,
    b: Browser,
}

/// Opens the page, or says the browser tests are skipped when the page was not built for them.
#[allow(
    clippy::print_stderr,
    reason = "a skipped test says so, as the #[test]s do"
)]
fn open_page() -> Option<Page> {
    let Some(dist) = dist() else {
        eprintln!("skipped: set HYPERCOST_WEB_DIST (scripts/test builds web/dist and sets it)");
        return None;
    };
    let downloads = tempfile::tempdir().expect("temp dir");
    let server = Server::start(&dist);
    let b = Browser::start(downloads.path());
    b.goto(&format!("{}/", server.origin));
    b.wait_for(
        "document.body.dataset.ready === 'true'",
        "the page to start",
    );
    Some(Page {
        downloads,
        server,
        b,
    })
}

#[test]
fn the_calculator_in_headless_chromium_agrees_with_the_cli() {
    let Some(Page {
        downloads,
        server,
        b,
    }) = open_page()
    else {
        return;
    };
    let example = example_estate().text;

    // 1. The page opens on the example, with its results, no console error and nothing
    //    fetched from anywhere but this server.
    wait_priced(&b, "the example to be priced");
    assert_eq!(
        b.js("return document.getElementById('toml').value;", &[]),
        json!(example),
        "the page opens on the embedded example"
    );
    let errors = severe(&b.console());
    assert!(errors.is_empty(), "console errors on load: {errors:?}");
    let origins = b.js(
        "return performance.getEntries().map(e => e.name).filter(n => /^[a-z]+:/.test(n));",
        &[],
    );
    for url in origins.as_array().expect("entries") {
        let url = url.as_str().expect("url");
        assert!(
            url.starts_with(&server.origin) || url.starts_with("blob:") || url.starts_with("data:"),
            "the page fetched {url}, which is not this server"
        );
    }
    let requested = server.requests.lock().expect("log").clone();
    for want in [
        "/",
        "/app.js",
        "/hypercost.js",
        "/hypercost_bg.wasm",
        "/report.css",
    ] {
        assert!(
            requested.iter().any(|r| r == want),
            "{want} not requested: {requested:?}"
        );
    }
    assert!(
        !requested.iter().any(|r| r.contains("full")),
        "the workbook writer is fetched only for a workbook: {requested:?}"
    );

    // 2. The example's totals in the DOM equal `hypercost quote --format json`.
    let cli = cli_totals(&example);
    assert_eq!(cli.len(), 5, "the example has five scenarios");
    assert_eq!(page_totals(&b), cli, "example totals: page vs CLI");
    // The seed's figure, as a sanity anchor: Enterprise Plus + Nexus 1000V over 3 years
    // (58,020.00) with the vCenter Server the edition requires (8,741.25).
    assert_eq!(cli["Enterprise Plus + Nexus 1000V (upgrade)"], "66761.25");

    // 3. Changing the host count in the form updates the totals to the CLI's figure for that
    //    change, and the TOML text changes only there (its comments survive).
    fill(&b, "cluster[0].hosts", "6", "input");
    let six = example.replacen("hosts = 8\n", "hosts = 6\n", 1);
    assert_ne!(six, example);
    b.wait_for(
        &format!("document.getElementById('toml').value === {}", json!(six)),
        "the TOML text to follow the form",
    );
    wait_priced(&b, "the 6-host estate to be priced");
    let cli6 = cli_totals(&six);
    assert_ne!(cli6, cli, "6 hosts cost less than 8");
    assert_eq!(page_totals(&b), cli6, "6-host totals: page vs CLI");

    // A value the reader refuses, typed in the form, is flagged at that field with what is
    // valid; typing a good value clears it.
    fill(&b, "cluster[0].hosts", "0", "input");
    b.wait_for(
        "document.querySelector('[data-field=\"cluster[0].hosts\"]').getAttribute('aria-invalid') === 'true'",
        "the form field to be flagged",
    );
    let said = b.js(
        "return document.querySelector('[data-field=\"cluster[0].hosts\"]').closest('.field').textContent;",
        &[],
    );
    assert!(
        said.as_str().unwrap_or_default().contains("from 1 to"),
        "the field says what is valid: {said}"
    );
    fill(&b, "cluster[0].hosts", "6", "input");
    wait_priced(&b, "the 6-host estate again");
    assert_eq!(
        b.js(
            "return document.querySelectorAll('[aria-invalid=\"true\"]').length;",
            &[]
        ),
        json!(0)
    );

    // Costs beyond licences, typed in the form's TCO fields, land in a new `[costs]` table and
    // price as the CLI prices that text.
    b.js(
        "document.querySelector('details.costs').open = true;
         for (const [k, v] of [['watts_per_host', '400'], ['kwh_price', '0.12']]) {
           const i = document.querySelector(`[data-field=\"costs.${k}\"]`);
           i.value = v; i.dispatchEvent(new Event('input', { bubbles: true }));
         }",
        &[],
    );
    b.wait_for(
        "document.getElementById('toml').value.includes('kwh_price = 0.12')",
        "the costs to reach the TOML",
    );
    wait_priced(&b, "the estate with power costs");
    let with_power = b.js("return document.getElementById('toml').value;", &[]);
    let with_power = with_power.as_str().expect("text").to_owned();
    assert!(
        with_power.starts_with(&six),
        "the costs are appended: {with_power}"
    );
    let cli_power = cli_totals(&with_power);
    assert_ne!(cli_power, cli6, "power costs money");
    assert_eq!(page_totals(&b), cli_power, "TCO totals: page vs CLI");
    type_toml(&b, &six);
    wait_priced(&b, "the 6-host estate once more");

    // Renaming a cluster in the form renames it in every plan that names it, so the estate
    // still reads, and prices as before.
    fill(&b, "cluster[0].name", "production", "change");
    b.wait_for(
        "document.getElementById('toml').value.includes('name = \"production\"')",
        "the rename to reach the TOML",
    );
    wait_priced(&b, "the renamed estate");
    let renamed = six.replace("\"prod\"", "\"production\"");
    assert_eq!(
        b.js("return document.getElementById('toml').value;", &[]),
        json!(renamed),
        "the cluster and the five plans naming it are renamed, nothing else"
    );
    assert_eq!(page_totals(&b), cli6);
    type_toml(&b, &six);
    wait_priced(&b, "the 6-host estate again");

    // Adding a cluster gives it a plan in every scenario (the engine's `estate::Change`), so
    // the estate still prices; removing it again gives back the text, byte for byte.
    b.js(
        "[...document.querySelectorAll('button.add')].find(x => x.textContent.includes('Add a cluster')).click();",
        &[],
    );
    b.wait_for(
        "document.getElementById('toml').value.includes('name = \"cluster\"')",
        "the new cluster to reach the TOML",
    );
    wait_priced(&b, "the estate with a second cluster");
    let two = b.js("return document.getElementById('toml').value;", &[]);
    let two = two.as_str().expect("text").to_owned();
    assert_eq!(
        page_totals(&b),
        cli_totals(&two),
        "two clusters: page vs CLI"
    );
    b.js(
        "[...document.querySelectorAll('button.remove')].find(x => x.textContent.includes('Remove cluster cluster')).click();",
        &[],
    );
    b.wait_for(
        "!document.getElementById('toml').value.includes('name = \"cluster\"')",
        "the removal to reach the TOML",
    );
    wait_priced(&b, "the estate without the second cluster");
    assert_eq!(
        b.js("return document.getElementById('toml').value;", &[]),
        json!(six),
        "adding then removing a cluster leaves the text as it was"
    );

    // A cheapest option added as a scenario (`estate::Change::AddScenarioWith`): the new
    // scenario prices as the CLI prices the text, and the status names it.
    b.wait_for(
        "[...document.querySelectorAll('#cheapest-body button')].some(x => x.textContent === 'Add as scenario')",
        "the cheapest options",
    );
    // The search re-runs 250 ms after the text changes and redraws its panel: on a loaded
    // machine a click can land on a button that was just replaced. Click again (at most every
    // 2 s, far longer than the change takes) until the scenario reaches the text.
    b.wait_for(
        "(() => { if (document.getElementById('toml').value.includes('name = \"Cheapest for prod: ')) return true; \
         const now = Date.now(); \
         if (!window.hcClickedAt || now - window.hcClickedAt > 2000) { \
           const add = [...document.querySelectorAll('#cheapest-body button')].find(x => x.textContent === 'Add as scenario'); \
           if (add) { add.click(); window.hcClickedAt = now; } } \
         return false; })()",
        "the cheapest option to reach the TOML",
    );
    wait_priced(&b, "the estate with the cheapest option as a scenario");
    let with_cheapest = b.js("return document.getElementById('toml').value;", &[]);
    let with_cheapest = with_cheapest.as_str().expect("text").to_owned();
    assert!(with_cheapest.starts_with(&six), "the scenario is appended");
    assert_eq!(
        page_totals(&b),
        cli_totals(&with_cheapest),
        "added scenario: page vs CLI"
    );
    let said = b.js("return document.getElementById('status').textContent;", &[]);
    assert!(
        said.as_str()
            .is_some_and(|t| t.contains("Added the scenario “Cheapest for prod: ")),
        "{said}"
    );
    type_toml(&b, &six);
    wait_priced(&b, "the 6-host estate after the cheapest scenario");

    // A scenario bought on its own date, after the upgrade promotion ended (2009-12-14): the
    // date lands in that scenario and it prices as the CLI prices the text.
    fill(&b, "scenario[0].purchase_date", "2009-12-20", "change");
    b.wait_for(
        "document.getElementById('toml').value.includes('purchase_date = 2009-12-20')",
        "the scenario's date to reach the TOML",
    );
    wait_priced(&b, "the later purchase");
    let later = b.js("return document.getElementById('toml').value;", &[]);
    let later = later.as_str().expect("text").to_owned();
    let cli_later = cli_totals(&later);
    let first = "Enterprise Plus + Nexus 1000V (upgrade)";
    assert_ne!(cli_later[first], cli6[first], "the promotion is over");
    assert_eq!(page_totals(&b), cli_later, "own purchase date: page vs CLI");
    type_toml(&b, &six);
    wait_priced(&b, "the 6-host estate after the date");

    // 4. A malformed TOML edit shows its line, inline, and the page keeps the last results.
    let years_line = six
        .lines()
        .position(|l| l.starts_with("years = "))
        .expect("a years line")
        + 1;
    let broken = six.replacen("years = 3", "years = = 3", 1);
    b.js("document.getElementById('tab-toml').click();", &[]);
    type_toml(&b, &broken);
    b.wait_for(
        "document.querySelector('#toml-errors [data-line]') !== null",
        "the syntax error to be shown",
    );
    let shown = b.js(
        "return [...document.querySelectorAll('#toml-errors [data-line]')].map(e => e.dataset.line);",
        &[],
    );
    assert!(
        shown
            .as_array()
            .expect("lines")
            .contains(&json!(years_line.to_string())),
        "the error names line {years_line}: {shown}"
    );
    let text = b.js(
        "return document.getElementById('toml-errors').textContent;",
        &[],
    );
    assert!(
        text.as_str().unwrap_or_default().contains("years"),
        "the error names the field: {text}"
    );
    assert_eq!(
        b.js("return document.getElementById('stale').hidden;", &[]),
        json!(false),
        "the last good results stay, marked stale"
    );
    assert_eq!(page_totals(&b), cli6, "results are not blanked by an error");

    // 5. A share link carries the whole estate and restores it exactly, in a fresh page.
    let shared = format!("# shared ünïcode ✓\n{six}");
    type_toml(&b, &shared);
    wait_priced(&b, "the shared estate to be priced");
    b.js("document.getElementById('share').click();", &[]);
    b.wait_for(
        "location.hash.startsWith('#estate=')",
        "the share link in the address bar",
    );
    let link = b.js("return location.href;", &[]);
    let link = link.as_str().expect("href").to_owned();
    assert!(
        link.len() < shared.len() * 2,
        "the link is compressed ({} chars for {} bytes)",
        link.len(),
        shared.len()
    );
    b.goto("about:blank");
    b.goto(&link);
    b.wait_for("document.body.dataset.ready === 'true'", "the shared page");
    wait_priced(&b, "the shared estate to be restored");
    assert_eq!(
        b.js("return document.getElementById('toml').value;", &[]),
        json!(shared),
        "the share link restores the estate exactly"
    );
    // In-page links (skip link, "Results ↓", the report's anchors) keep the estate in the URL.
    b.js(
        "document.querySelector('.to-results').click(); document.querySelector('.skip').click();
         document.querySelector('#summary a[href^=\"#\"]').click();",
        &[],
    );
    assert_eq!(
        b.js("return location.href;", &[]),
        json!(link),
        "the link survives"
    );
    assert_eq!(page_totals(&b), cli6);

    // 6. Downloaded JSON and CSV bytes equal the CLI's for the same estate.
    for format in ["json", "csv"] {
        b.js(
            "document.querySelector(`[data-download=\"${arguments[0]}\"]`).click();",
            &[json!(format)],
        );
        let name = format!("acme-2009-vsphere-4-decision-quote.{format}");
        let got = wait_file(downloads.path(), &name);
        assert_eq!(
            got,
            cli_quote(&shared, format),
            "downloaded {format} equals `hypercost quote --format {format}`"
        );
    }
    // The workbook comes from the second module, fetched only now, and is the CLI's to the
    // byte (its creation date is the estate's, not the clock's).
    b.js(
        "document.querySelector('[data-download=\"xlsx\"]').click();",
        &[],
    );
    let xlsx = wait_file(downloads.path(), "acme-2009-vsphere-4-decision-quote.xlsx");
    let cli_xlsx = downloads.path().join("cli.xlsx");
    let path = cli_xlsx.display().to_string();
    let run = cli_with_stdin(&["quote", "-", "-o", &path], shared.as_bytes());
    assert!(run.code <= 1, "{}", run.stderr);
    assert_eq!(
        xlsx,
        std::fs::read(&cli_xlsx).expect("the CLI's workbook"),
        "downloaded XLSX equals `hypercost quote -o FILE.xlsx`"
    );
    let requested = server.requests.lock().expect("log").clone();
    assert!(
        requested.iter().any(|r| r == "/hypercost_full_bg.wasm"),
        "the workbook writer was fetched on demand: {requested:?}"
    );

    // 7. Nothing went wrong in the console along the way.
    assert_no_console_errors(&b);

    // 8. Offline: once opened, the page and a share link open again with the network gone (the
    // service worker answers from its cache), and price the same.
    go_offline(&b, &server);
    b.goto("about:blank");
    b.goto(&link);
    b.wait_for(
        "document.body.dataset.ready === 'true'",
        "the page, offline",
    );
    wait_priced(&b, "the shared estate, offline");
    assert_eq!(
        b.js("return document.getElementById('toml').value;", &[]),
        json!(shared),
        "offline, the share link restores the estate"
    );
    assert_eq!(page_totals(&b), cli6, "offline totals equal the CLI's");

    let errors = severe(&b.console());
    assert!(errors.is_empty(), "console errors offline: {errors:?}");
}

/// The page at a phone's width: nothing wider than the screen, every control labelled. The
/// screenshots stay in `HYPERCOST_CHROMIUM_OUT` when set, for a person to look at; the time to
/// recompute the example is printed for BENCHMARKS.md.
#[test]
fn the_calculator_fits_a_phone_and_labels_every_control() {
    let Some(Page {
        downloads: _downloads, // kept alive for the page
        server: _server,       // kept alive for the page
        b,
    }) = open_page()
    else {
        return;
    };
    wait_priced(&b, "the example");

    let unlabelled = b.js(
        "return [...document.querySelectorAll('input, select, textarea, button')]
           .filter(e => !e.hidden && e.type !== 'hidden')
           .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                        && !(e.tagName === 'BUTTON' && e.textContent.trim()))
           .map(e => e.outerHTML.slice(0, 120));",
        &[],
    );
    assert_eq!(unlabelled, json!([]), "controls without a label");

    // What if: hosts of prod from 2 to 12 — every cell is the CLI's sweep of the same estate.
    b.js(
        "const f = document.getElementById('whatif-field');
         f.value = 'prod.hosts'; f.dispatchEvent(new Event('change', { bubbles: true }));
         for (const [k, v] of [['from', '2'], ['to', '12'], ['step', '2']]) {
           const i = document.getElementById(`whatif-${k}`);
           i.value = v; i.dispatchEvent(new Event('input', { bubbles: true }));
         }",
        &[],
    );
    b.wait_for(
        "[...document.querySelectorAll('#whatif-body tbody tr')].map(r => r.dataset.value).join() === '2,4,6,8,10,12'",
        "the what-if table for 2..12 step 2",
    );
    let page_sweep = b.js(
        "return [...document.querySelectorAll('#whatif-body tbody tr')].map(r =>
           [r.dataset.value, ...[...r.querySelectorAll('[data-total]')].map(c => c.dataset.total)]);",
        &[],
    );
    let run = cli_with_stdin(
        &[
            "sweep",
            "-",
            "--vary",
            "prod.hosts=2..12:2",
            "--format",
            "json",
        ],
        example_estate().text.as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let cli: Value = serde_json::from_slice(&run.stdout).expect("sweep JSON");
    let cli_rows: Vec<Value> = cli["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| {
            let mut row = vec![p["values"][0].clone()];
            row.extend(
                p["totals"]
                    .as_array()
                    .expect("totals")
                    .iter()
                    .map(|t| t["total"].clone()),
            );
            Value::from(row)
        })
        .collect();
    assert_eq!(
        page_sweep,
        Value::from(cli_rows),
        "what-if: page vs `hypercost sweep`"
    );

    // The Form/TOML tabs follow the ARIA tabs pattern: arrow keys move between them.
    let tabs = b.js(
        "const f = document.getElementById('tab-form');
         f.focus();
         f.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
         const after = [document.activeElement.id, document.getElementById('pane-toml').hidden];
         document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true }));
         return [...after, document.activeElement.id, document.getElementById('pane-form').hidden];",
        &[],
    );
    assert_eq!(tabs, json!(["tab-toml", false, "tab-form", false]));

    // Recompute time of the example in the page: the engine call alone and with the redraw.
    let timing = b.js(
        "const h = window.hypercost, runs = 40, engine = [], form = [], full = [];
         for (let i = 0; i < runs; i++) {
           let t = performance.now(); h.engine.evaluate(h.toml, ''); engine.push(performance.now() - t);
           // Each timing includes the layout the browser must do before it can paint.
           t = performance.now(); h.recompute('form'); document.body.offsetHeight; form.push(performance.now() - t);
           t = performance.now(); h.recompute('toml'); document.body.offsetHeight; full.push(performance.now() - t);
         }
         const med = a => a.sort((x, y) => x - y)[a.length >> 1];
         return { engine: med(engine), form: med(form), full: med(full), ready: h.readyMs };",
        &[],
    );
    eprintln!("recompute of the example in Chromium (median of 40): {timing}");
    let full = timing["full"].as_f64().expect("ms");
    assert!(full > 0.0, "the timing ran");

    let out = std::env::var_os("HYPERCOST_CHROMIUM_OUT").map(PathBuf::from);
    for (width, height) in [(1366, 900), (1366, 4200), (390, 844)] {
        b.set_size(width, height);
        std::thread::sleep(Duration::from_millis(300));
        let overflow = b.js(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            &[],
        );
        assert!(
            overflow.as_i64().unwrap_or(1) <= 0,
            "the page is wider than a {width}px screen by {overflow}px"
        );
        let png = b.screenshot();
        assert!(png.starts_with(b"\x89PNG"), "a screenshot");
        if let Some(dir) = &out {
            std::fs::create_dir_all(dir).expect("screenshot folder");
            std::fs::write(dir.join(format!("calculator-{width}x{height}.png")), &png)
                .expect("write");
        }
    }
    assert_no_console_errors(&b);
}

/// An inventory chosen in the page becomes the same estate text as `hypercost import` writes
/// (bar the file's path, which a page does not know), and prices as the CLI prices it: an
/// RVTools workbook (read by the module fetched for workbooks) and the CSV set of the same export.
#[test]
fn the_calculator_imports_an_inventory_like_the_cli() {
    let Some(Page {
        downloads,
        server: _server, // kept alive for the page
        b,
    }) = open_page()
    else {
        return;
    };
    wait_priced(&b, "the example");
    b.js(
        "document.getElementById('import-box').open = true;
         document.getElementById('import-date').value = '2026-11-20';
         document.getElementById('import-fx').value = 'EUR=1.09';",
        &[],
    );
    let fixtures = crate::support::tests_dir().join("fixtures/import");
    let workbook = fixtures.join("rvtools-4x.xlsx");
    let folder = fixtures.join("rvtools-4x");
    let tabs: Vec<PathBuf> = ["vHost", "vInfo", "vMetaData"]
        .iter()
        .map(|t| folder.join(format!("RVTools_tab{t}.csv")))
        .collect();

    let cli = |path: &Path| {
        let p = path.display().to_string();
        let run = cli_with_stdin(
            &[
                "import",
                "rvtools",
                &p,
                "--date",
                "2026-11-20",
                "--fx",
                "EUR=1.09",
            ],
            b"",
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.out()
    };
    let want = cli(&workbook).replace(&format!("`{}`", workbook.display()), "`rvtools-4x.xlsx`");
    b.upload("#import-file", std::slice::from_ref(&workbook));
    b.wait_for(
        "document.getElementById('toml').value.includes('rvtools-4x.xlsx')",
        "the workbook to be imported",
    );
    wait_priced(&b, "the imported estate");
    assert_eq!(
        b.js("return document.getElementById('toml').value;", &[]),
        json!(want),
        "the page's import of the workbook equals `hypercost import rvtools`"
    );
    assert_eq!(
        page_totals(&b),
        cli_totals(&want),
        "imported estate: page vs CLI"
    );
    let said = b.js(
        "return document.getElementById('import-result').textContent;",
        &[],
    );
    assert!(
        said.as_str()
            .unwrap_or_default()
            .contains("16-core-per-CPU floor: 176"),
        "the summary gives the hand-counted 176: {said}"
    );

    // The CSV set of the same export gives the same clusters (its header comment names the
    // CSV files rather than the sheets).
    b.upload("#import-file", &tabs);
    b.wait_for(
        "document.getElementById('toml').value.includes('RVTools CSV export')",
        "the CSV set to be imported",
    );
    wait_priced(&b, "the CSV-set estate");
    assert_eq!(
        page_totals(&b),
        cli_totals(&want),
        "CSV set: same totals as the workbook"
    );

    // A file that is no inventory is refused in the import panel, and the estate stays.
    let junk = downloads.path().join("junk.csv");
    std::fs::write(&junk, "a,b\n1,2\n").expect("write");
    b.upload("#import-file", &[junk]);
    b.wait_for(
        "document.querySelector('#import-result .errors') !== null",
        "the refusal",
    );
    assert_eq!(
        page_totals(&b),
        cli_totals(&want),
        "a refused import changes nothing"
    );
    if let Some(dir) = std::env::var_os("HYPERCOST_CHROMIUM_OUT").map(PathBuf::from) {
        b.set_size(1366, 1800);
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        std::fs::write(dir.join("calculator-import.png"), b.screenshot()).expect("write");
    }
    assert_no_console_errors(&b);
}

/// A 2026 exit estate edited in the form: the region (the engine's list, "not stated" first)
/// and a VVF plan's term (the edition's terms, its default labelled) are written into the text
/// with nothing else moved, and priced as the CLI prices that text. The figures follow the
/// engine's facts: 2 hosts × 1 CPU × 16 cores = 32 cores; VVF is $135 per core-year on its
/// default 3-year term and $190 on 1 year; with no region the 72-core minimum applies, in EMEA
/// it does not. A VCF plan (not sold on terms) offers no term; vsan_tib is a cluster field.
#[test]
fn the_form_sets_the_region_and_a_plans_term_on_a_2026_estate() {
    let Some(Page {
        downloads: _downloads, // kept alive for the page
        server: _server,       // kept alive for the page
        b,
    }) = open_page()
    else {
        return;
    };
    wait_priced(&b, "the example");
    let estate = "format = 1\n# A 2026 exit estate: VVF against VCF.\nname = \"exit 2026\"\n\
                  currency = \"USD\"\npurchase_date = 2026-01-15\nyears = 1\n\n\
                  [[cluster]]\nname = \"prod\"\nhosts = 2\nsockets_per_host = 1\ncores_per_socket = 16\n\n\
                  [[scenario]]\nname = \"VVF\"\n[[scenario.plan]]\ncluster = \"prod\"\n\
                  edition = \"vmware-vcf-2024/vvf\" # the subscription we are offered\n\n\
                  [[scenario]]\nname = \"VCF\"\n[[scenario.plan]]\ncluster = \"prod\"\n\
                  edition = \"vmware-vcf-2024/vcf\"\n";
    type_toml(&b, estate);
    wait_priced(&b, "the 2026 estate");
    let (cores, minimum) = (2 * 16, 72);
    let (three_year, one_year) = (135, 190);
    let before = cli_totals(estate);
    assert_eq!(before["VVF"], format!("{}.00", minimum * three_year));
    assert_eq!(page_totals(&b), before, "2026 estate: page vs CLI");

    let options = |field: &str| {
        b.js(
            "const s = document.querySelector(`[data-field=\"${arguments[0]}\"]`);
             return s ? [...s.options].map(o => [o.value, o.text, o.selected]) : null;",
            &[json!(field)],
        )
    };
    assert_eq!(
        options("region"),
        json!([
            ["", "not stated", true],
            ["americas", "americas", false],
            ["emea", "emea", false],
            ["apj", "apj", false]
        ])
    );
    let term = "scenario[0].plan[0].term_years";
    assert_eq!(
        options(term),
        json!([["1", "1 year", false], ["3", "3 years (default)", true]])
    );
    assert_eq!(
        options("scenario[1].plan[0].term_years"),
        Value::Null,
        "VCF is not sold on terms: no term to choose"
    );
    let vsan = b.js(
        "return document.querySelector('[data-field=\"cluster[0].vsan_tib\"]').closest('.field').textContent;",
        &[],
    );
    assert!(
        vsan.as_str()
            .is_some_and(|t| t.contains("vSAN capacity") && t.contains("TiB")),
        "{vsan}"
    );

    fill(&b, "region", "emea", "change");
    b.wait_for(
        "document.getElementById('toml').value.includes('region = \"emea\"')",
        "the region to reach the TOML",
    );
    wait_priced(&b, "the estate in EMEA");
    fill(&b, term, "1", "change");
    b.wait_for(
        "document.getElementById('toml').value.includes('term_years = 1')",
        "the term to reach the TOML",
    );
    wait_priced(&b, "the estate on a 1-year VVF term");
    let text = b.js("return document.getElementById('toml').value;", &[]);
    let text = text.as_str().expect("text").to_owned();
    assert_eq!(
        text.replacen("region = \"emea\"\n", "", 1)
            .replacen("term_years = 1\n", "", 1),
        estate,
        "the two lines are added, nothing else moves: {text}"
    );
    assert!(
        text.contains(
            "edition = \"vmware-vcf-2024/vvf\" # the subscription we are offered\nterm_years = 1\n"
        ),
        "the term is the VVF plan's: {text}"
    );
    let after = cli_totals(&text);
    assert_eq!(after["VVF"], format!("{}.00", cores * one_year));
    assert_eq!(page_totals(&b), after, "EMEA, 1-year VVF: page vs CLI");
    assert_ne!(after["VCF"], before["VCF"], "EMEA drops VCF's minimum too");

    shoot(&b, "calculator-2026.png", "[data-field=\"region\"]");
    assert_no_console_errors(&b);
}

/// A pricebook rule switched for one scenario in the form: each scenario lists the rules of
/// its editions' books in force on its date, ticked as the engine applies them. Unticking the
/// 72-core minimum order in the VVF scenario appends a `[[scenario.rule]]` with its reason to
/// that scenario only; VVF then bills its 32 real cores (2 hosts × 1 CPU × 16) at $135 instead
/// of 72, VCF keeps the minimum, and the page prices as the CLI does.
#[test]
fn the_form_switches_a_rule_for_one_scenario() {
    let Some(Page {
        downloads: _downloads,
        server: _server,
        b,
    }) = open_page()
    else {
        return;
    };
    wait_priced(&b, "the example");
    let estate = "format = 1\nname = \"exit 2026\"\ncurrency = \"USD\"\npurchase_date = 2026-01-15\n\
                  years = 1\n\n[[cluster]]\nname = \"prod\"\nhosts = 2\nsockets_per_host = 1\n\
                  cores_per_socket = 16\n\n[[scenario]]\nname = \"VVF\"\n[[scenario.plan]]\n\
                  cluster = \"prod\"\nedition = \"vmware-vcf-2024/vvf\"\n\n[[scenario]]\nname = \"VCF\"\n\
                  [[scenario.plan]]\ncluster = \"prod\"\nedition = \"vmware-vcf-2024/vcf\"\n";
    type_toml(&b, estate);
    wait_priced(&b, "the 2026 estate");
    let (cores, minimum, vvf) = (2 * 16, 72, 135);
    let before = cli_totals(estate);
    assert_eq!(before["VVF"], format!("{}.00", minimum * vvf));
    let rule = "vmware-vcf-2024/min-order-72";
    let boxes = b.js(
        "return [...document.querySelectorAll(`[data-rule=\"${arguments[0]}\"]`)]
           .map(x => [x.closest('fieldset.scenario').querySelector('legend').textContent, x.checked,
                      x.closest('.rule').textContent]);",
        &[json!(rule)],
    );
    let boxes = boxes.as_array().expect("boxes");
    assert_eq!(boxes.len(), 2, "one box per scenario: {boxes:?}");
    for bx in boxes {
        assert_eq!(bx[1], true, "in force by default: {bx}");
        assert!(
            bx[2].as_str().is_some_and(|t| t
                .contains("Minimum order of 72 cores per product (americas, apj only)")
                && t.contains("in force unless switched off")),
            "{bx}"
        );
    }
    b.js(
        "const x = document.querySelector(`[data-rule=\"${arguments[0]}\"]`);
         x.checked = false; x.dispatchEvent(new Event('change', { bubbles: true }));",
        &[json!(rule)],
    );
    b.wait_for(
        "document.getElementById('toml').value.includes('[[scenario.rule]]')",
        "the switch to reach the TOML",
    );
    wait_priced(&b, "VVF without the minimum");
    let text = b.js("return document.getElementById('toml').value;", &[]);
    let text = text.as_str().expect("text").to_owned();
    let (vvf_part, vcf_part) = text.split_once("name = \"VCF\"").expect("two scenarios");
    assert!(
        vvf_part.contains(&format!(
            "[[scenario.rule]]\nrule = \"{rule}\"\nenabled = false\nreason = \"switched off for this scenario\""
        )),
        "the switch is the VVF scenario's: {text}"
    );
    assert!(!vcf_part.contains("scenario.rule"), "{text}");
    let after = cli_totals(&text);
    assert_eq!(after["VVF"], format!("{}.00", cores * vvf));
    assert_eq!(after["VCF"], before["VCF"], "VCF keeps the minimum");
    assert_eq!(page_totals(&b), after, "page vs CLI");
    let state = b.js(
        "return [...document.querySelectorAll(`[data-rule=\"${arguments[0]}\"]`)].map(x => x.checked);",
        &[json!(rule)],
    );
    assert_eq!(state, json!([false, true]));
    assert!(
        b.js(
            "return document.querySelector('[data-field=\"scenario[0].rule[0].reason\"]').value;",
            &[]
        ) == json!("switched off for this scenario"),
        "the reason is editable in the form"
    );
    shoot(&b, "calculator-rules.png", "fieldset.rules");
    assert_no_console_errors(&b);
}

/// Contracts and moves in the form: the transition case's contract shows with its item,
/// clusters and end; a plan's migration months edited in the form reach the text and price as
/// the CLI prices it; "Find the cheapest schedule" draws the Gantt (one bar per move, the
/// contract's end marked) and "Use this schedule" writes the start the CLI's `schedule`
/// chooses; an estate without contracts gets one from "+ Add a contract".
#[test]
fn the_form_edits_contracts_and_moves_and_schedules_them() {
    let Some(Page {
        downloads: _downloads,
        server: _server,
        b,
    }) = open_page()
    else {
        return;
    };
    wait_priced(&b, "the example");
    let estate = std::fs::read_to_string(
        crate::support::tests_dir().join("cases/transition-2026/estate.toml"),
    )
    .expect("the case");
    type_toml(&b, &estate);
    wait_priced(&b, "the transition case");
    assert_eq!(
        page_totals(&b),
        cli_totals(&estate),
        "as written: page vs CLI"
    );
    let contract = b.js(
        "const f = document.querySelector('fieldset.contracts fieldset.contract');
         return [f.querySelector('legend').textContent,
                 f.querySelector('[data-field=\"contract[0].item\"]').value,
                 f.querySelector('[data-field=\"contract[0].ends\"]').value,
                 [...f.querySelectorAll('[data-field=\"contract[0].clusters\"] input:checked')].map(x => x.value)];",
        &[],
    );
    assert_eq!(
        contract,
        json!([
            "Contract VVF 2023-2026",
            "vmware-vcf-2024/vvf",
            "2026-03-31",
            ["prod", "dev"]
        ])
    );
    // Scenario 3 moves prod from 2026-01-01 over 3 months; make it 4: the move now ends on
    // 2026-04-30, after the contract, so a bridge renewal appears.
    let months = "scenario[2].plan[0].migration_months";
    fill(&b, months, "4", "input");
    b.wait_for(
        "document.getElementById('toml').value.includes('migration_months = 4')",
        "the months to reach the TOML",
    );
    wait_priced(&b, "four months of migration");
    let text = b.js("return document.getElementById('toml').value;", &[]);
    let text = text.as_str().expect("text").to_owned();
    assert_eq!(
        text.replacen("migration_months = 4", "migration_months = 3", 1),
        estate,
        "one value changed, nothing else"
    );
    let after = cli_totals(&text);
    assert_eq!(page_totals(&b), after, "4 months: page vs CLI");
    assert_ne!(
        after["Move prod before the agreement ends"], "234520.00",
        "the bridge renewal is paid"
    );
    // The schedule of scenario 2, as the CLI finds it.
    let cli = crate::support::cli_with_stdin(
        &[
            "schedule",
            "-",
            "--scenario",
            "Renew 1 year, move prod from April",
            "--format",
            "json",
        ],
        text.as_bytes(),
    );
    assert_eq!(cli.code, 0, "{}", cli.stderr);
    let chosen: Value = serde_json::from_slice(&cli.stdout).expect("JSON");
    let start = chosen["schedule"][0]["start"]
        .as_str()
        .expect("start")
        .to_owned();
    b.js(
        "[...document.querySelectorAll('fieldset.scenario')][1].querySelector('.schedule button').click();",
        &[],
    );
    b.wait_for(
        "document.querySelector('.schedule-result svg.hc-gantt') !== null",
        "the Gantt chart",
    );
    let gantt = b.js(
        "const g = document.querySelector('.schedule-result svg.hc-gantt');
         return [g.querySelectorAll('rect').length, g.innerHTML.includes('contract ends 2026-03-31')];",
        &[],
    );
    assert_eq!(gantt, json!([1, true]));
    shoot(&b, "calculator-schedule.png", ".schedule-result");
    b.js(
        "document.querySelector('.schedule-result button').click();",
        &[],
    );
    b.wait_for(
        &format!("document.getElementById('toml').value.includes('start = {start}')"),
        "the chosen start in the TOML",
    );
    wait_priced(&b, "the chosen schedule");
    let text = b.js("return document.getElementById('toml').value;", &[]);
    let scheduled = cli_totals(text.as_str().expect("text"));
    assert_eq!(
        scheduled["Renew 1 year, move prod from April"],
        chosen["total"].as_str().expect("total")
    );
    assert_eq!(page_totals(&b), scheduled, "scheduled: page vs CLI");
    // An estate without contracts gets one from the form.
    let plain = "format = 1\nname = \"p\"\ncurrency = \"USD\"\npurchase_date = 2026-01-15\nyears = 1\n\n\
                 [[cluster]]\nname = \"prod\"\nhosts = 2\nsockets_per_host = 1\ncores_per_socket = 16\n\n\
                 [[scenario]]\nname = \"VVF\"\n[[scenario.plan]]\ncluster = \"prod\"\nedition = \"vmware-vcf-2024/vvf\"\n";
    type_toml(&b, plain);
    wait_priced(&b, "an estate without contracts");
    b.js(
        "[...document.querySelectorAll('fieldset.contracts > button')].at(-1).click();",
        &[],
    );
    b.wait_for(
        "document.getElementById('toml').value.includes('[[contract]]')",
        "the contract in the TOML",
    );
    wait_priced(&b, "the added contract");
    let text = b.js("return document.getElementById('toml').value;", &[]);
    let text = text.as_str().expect("text");
    assert!(
        text.contains("[[contract]]\nname = \"Contract 1\"\nitem = \"vmware-vcf-2024/vvf\"\nclusters = [\"prod\"]\nends = 2026-01-15\n"),
        "{text}"
    );
    assert_eq!(
        page_totals(&b),
        cli_totals(text),
        "with a contract: page vs CLI"
    );
    assert_no_console_errors(&b);
}

/// The CLI's `reshape --format json` of `estate` text: per edition, the cheapest total of its
/// shapes (the options are sorted by total) and the total of the hosts as they are.
fn cli_reshape(estate: &str) -> Value {
    let run = cli_with_stdin(&["reshape", "-", "--format", "json"], estate.as_bytes());
    assert_eq!(run.code, 0, "the CLI failed: {}", run.stderr);
    let v: Value = serde_json::from_slice(&run.stdout).expect("reshape JSON");
    let cluster = &v["clusters"][0];
    let mut best = BTreeMap::new();
    for o in cluster["options"].as_array().expect("options") {
        let edition = o["edition"].as_str().expect("edition").to_owned();
        best.entry(edition).or_insert_with(|| o["total"].clone());
    }
    let baseline: BTreeMap<String, Value> = cluster["baseline"]
        .as_array()
        .expect("baseline")
        .iter()
        .map(|o| {
            (
                o["edition"].as_str().expect("edition").to_owned(),
                o["total"].clone(),
            )
        })
        .collect();
    let points: usize = cluster["crossover"]
        .as_array()
        .expect("crossover")
        .iter()
        .map(|c| c["points"].as_array().map_or(0, Vec::len))
        .sum();
    json!({ "best": best, "baseline": baseline, "lines": cluster["crossover"].as_array().map(Vec::len), "points": points })
}

/// What the page's reshape panel shows for its first cluster, in [`cli_reshape`]'s shape.
fn page_reshape(b: &Browser) -> Value {
    b.js(
        "const c = document.querySelector('#reshape-body .reshape-cluster');
         const rows = [...c.querySelectorAll('tbody tr[data-edition]')];
         const best = {}, baseline = {};
         for (const r of rows) {
           const t = r.querySelector('[data-total]'), base = r.querySelector('[data-baseline]');
           if (t) best[r.dataset.edition] = t.dataset.total;
           if (base) baseline[r.dataset.edition] = base.dataset.baseline;
         }
         const chart = c.querySelector('.reshape-crossover svg.hc-svg');
         return { best, baseline,
                  lines: chart.querySelectorAll('polyline').length,
                  points: chart.querySelectorAll('path').length };",
        &[],
    )
}

/// "Reshape the hosts" finds each edition's cheapest host shape as `hypercost reshape` does
/// (fetching the full engine), shows the report's crossover chart (one line per edition), lists
/// what reshaping lacks as problems, and the form's `[sizing]` fields change what it finds.
#[test]
fn the_reshape_panel_finds_the_clis_host_shapes_and_draws_the_crossover() {
    let Some(Page {
        downloads: _downloads,
        server: _server,
        b,
    }) = open_page()
    else {
        return;
    };
    wait_priced(&b, "the example");
    let estate = std::fs::read_to_string(
        crate::support::tests_dir().join("fixtures/reshape/one-cluster.toml"),
    )
    .expect("the fixture");
    type_toml(&b, &estate);
    wait_priced(&b, "the reshape estate");
    let button = b.js(
        "const r = document.getElementById('reshape-run');
         r.focus();
         return [r.tagName, r.textContent, document.activeElement === r, r.closest('[hidden]') === null];",
        &[],
    );
    assert_eq!(
        button,
        json!(["BUTTON", "Find the best host shapes", true, true]),
        "a visible button, reachable from the keyboard"
    );
    b.js("document.getElementById('reshape-run').click();", &[]);
    b.wait_for(
        "document.querySelector('#reshape-body .reshape-cluster .reshape-crossover svg.hc-svg') !== null",
        "the reshape tables and chart",
    );
    let cli = cli_reshape(&estate);
    assert_eq!(cli["lines"], 2, "two editions: {cli}");
    assert_eq!(page_reshape(&b), cli, "reshape: page vs CLI");
    let chart = b.js(
        "const s = document.querySelector('#reshape-body .reshape-crossover svg.hc-svg');
         return [s.getAttribute('role'), !!s.getAttribute('aria-labelledby'),
                 document.querySelectorAll('#reshape-body .hc-legend li').length,
                 [...document.querySelectorAll('#reshape-body thead th[scope=col]')]
                   .filter((t) => !t.closest('.reshape-crossover')).length,
                 document.querySelectorAll('#reshape-body details.reshape-why').length];",
        &[],
    );
    assert_eq!(chart, json!(["img", true, 2, 8, 2]));
    b.js(
        "document.querySelector('#reshape-body details.reshape-why').open = true;",
        &[],
    );
    shoot(&b, "calculator-reshape.png", "#reshape");

    // `[sizing]` from the form: no spare host gives other shapes, as the CLI finds them.
    fill(&b, "sizing.spare_hosts", "0", "input");
    b.wait_for(
        "document.getElementById('toml').value.includes('[sizing]\\nspare_hosts = 0')",
        "the sizing in the TOML",
    );
    wait_priced(&b, "no spare host");
    b.wait_for(
        "!document.getElementById('reshape-stale').hidden",
        "the shapes marked as found for the text before",
    );
    let text = b.js("return document.getElementById('toml').value;", &[]);
    let text = text.as_str().expect("text").to_owned();
    b.js("document.getElementById('reshape-run').click();", &[]);
    b.wait_for(
        "document.getElementById('reshape-stale').hidden \
         && document.querySelector('#reshape-body .reshape-crossover svg.hc-svg') !== null",
        "the shapes of the new text",
    );
    let spare0 = cli_reshape(&text);
    assert_ne!(spare0["best"], cli["best"], "the sizing changes the shapes");
    assert_eq!(page_reshape(&b), spare0, "no spare host: page vs CLI");

    // Without `vcpus` the cluster has no workload to size: the problem is listed, named.
    type_toml(&b, &estate.replacen("vcpus = 800\n", "", 1));
    wait_priced(&b, "no vCPUs");
    b.js("document.getElementById('reshape-run').click();", &[]);
    b.wait_for(
        "document.querySelector('#reshape-body .errors li') !== null",
        "the reshape's problems",
    );
    let problems = b.js(
        "return [...document.querySelectorAll('#reshape-body .errors li')].map(l => l.textContent);",
        &[],
    );
    assert!(
        problems.as_array().is_some_and(
            |p| p.len() == 1 && p[0].as_str().is_some_and(|t| t.contains("prod.vcpus"))
        ),
        "{problems}"
    );
    assert_no_console_errors(&b);
}

/// Asked to, the page draws each total's P10–P90, again once typing stops after an edit: the
/// figures are the CLI's `quote --ranges --draws 2000`, every ranked scenario gets its error
/// bar and the cumulative chart its fans.
#[test]
fn the_page_draws_the_clis_ranges_after_typing_stops() {
    let Some(Page { b, .. }) = open_page() else {
        return;
    };
    let example = example_estate().text;
    wait_priced(&b, "the example to be priced");
    assert!(
        b.js(
            "return document.querySelectorAll('#summary .hc-errorbar').length;",
            &[]
        ) == json!(0),
        "no ranges until asked"
    );
    b.js("document.getElementById('ranges-on').click();", &[]);
    let ranged = |estate: &str| -> BTreeMap<String, String> {
        let run = cli_with_stdin(
            &[
                "quote", "-", "--format", "json", "--ranges", "--draws", "2000",
            ],
            estate.as_bytes(),
        );
        let v: Value = serde_json::from_slice(&run.stdout).expect("CLI JSON");
        per_scenario(&v, "/range/total/p10")
    };
    let page_ranges = |b: &Browser| page_ranking(b, "p10");
    b.wait_for(
        "document.querySelectorAll('#summary .hc-errorbar').length === 5",
        "the ranges to be drawn",
    );
    assert_eq!(
        page_ranges(&b),
        ranged(&example),
        "P10 of each total: page vs CLI"
    );
    assert_eq!(
        b.js(
            "return document.querySelectorAll('#charts .hc-fan').length;",
            &[]
        ),
        json!(5),
        "a fan per scenario on the cumulative chart"
    );
    assert!(
        b.js(
            "return document.querySelector('.ranges-note').textContent;",
            &[]
        )
        .as_str()
        .is_some_and(|t| t.contains("2,000 draws")),
        "the note says how many draws"
    );
    shoot(&b, "calculator-ranges.png", "#summary");
    fill(&b, "cluster[0].hosts", "6", "input");
    let six = example.replacen("hosts = 8\n", "hosts = 6\n", 1);
    b.wait_for(
        "document.querySelectorAll('#summary .hc-errorbar').length === 5 && window.hypercost.toml.includes('hosts = 6')",
        "the ranges of the edited estate",
    );
    let want = ranged(&six);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while page_ranges(&b) != want && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(page_ranges(&b), want, "P10 at 6 hosts: page vs CLI");
}

/// The README's command for the page is one `scripts/web` knows, and CI builds and tests the
/// page (so this module is never silently skipped there).
#[test]
fn the_readme_serves_the_page_and_ci_tests_it() {
    let root = crate::support::repo_root();
    let read = |p: &str| std::fs::read_to_string(root.join(p)).expect("readable");
    assert!(read("README.md").contains("\nbash scripts/web serve\n"));
    let web = read("scripts/web");
    assert!(
        web.contains("  serve)") && web.contains("  build)"),
        "scripts/web build|serve"
    );
    let test = read("scripts/test");
    assert!(test.contains("bash scripts/web build"));
    assert!(test.contains("export HYPERCOST_WEB_DIST="));
    assert!(read(".gitignore").lines().any(|l| l == "/web/dist/"));
}

/// The example picker: it lists every `examples/*.toml` (by its estate's name, in file order),
/// each loads into the calculator — form and text — and prices as the CLI prices that file;
/// with the network gone the service worker still serves every example.
#[test]
fn the_example_picker_loads_every_example_as_the_cli_prices_it() {
    let Some(Page { server, b, .. }) = open_page() else {
        return;
    };
    wait_priced(&b, "the default example to be priced");
    b.wait_for(
        "!document.getElementById('examples').hidden",
        "the example picker to be listed",
    );
    let options = b.js(
        "return [...document.querySelectorAll('#example-pick option')].map(o => [o.value, o.textContent]);",
        &[],
    );
    let options: Vec<(String, String)> = options
        .as_array()
        .expect("options")
        .iter()
        .map(|o| {
            (
                o[0].as_str().expect("file").to_owned(),
                o[1].as_str().expect("label").to_owned(),
            )
        })
        .collect();
    let files: Vec<PathBuf> = crate::support::examples();
    let names: Vec<String> = files
        .iter()
        .map(|f| {
            f.file_name()
                .expect("a name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        options.iter().map(|(f, _)| f.clone()).collect::<Vec<_>>(),
        names,
        "the picker lists examples/*.toml in file order"
    );

    // Each in turn, the last first, so that every choice changes the estate.
    let load = |b: &Browser, file: &str, text: &str| {
        b.js(
            "window.__example = arguments[1];
             document.getElementById('example-pick').value = arguments[0];
             document.getElementById('example-load').click();",
            &[json!(file), json!(text)],
        );
        b.wait_for(
            "document.getElementById('toml').value === window.__example \
             && window.hypercost.toml === window.__example && window.hypercost.last?.ok",
            "the chosen example to be priced",
        );
    };
    for ((file, label), path) in options.iter().zip(&files).rev() {
        let text = std::fs::read_to_string(path).expect("the example reads");
        load(&b, file, &text);
        let cli: Value = serde_json::from_slice(&cli_quote(&text, "json")).expect("CLI JSON");
        assert_eq!(
            cli["estate"].as_str(),
            Some(label.as_str()),
            "{file}: the picker names the estate"
        );
        assert_eq!(page_totals(&b), cli_totals(&text), "{file}: totals");
        // The form shows this estate too: its first cluster's name and host count.
        let first = &cli["inputs"]["clusters"][0];
        let form = b.js(
            "const f = (k) => document.querySelector(`[data-field=\"${k}\"]`)?.value;
             return [f('cluster[0].name'), f('cluster[0].hosts')];",
            &[],
        );
        assert_eq!(
            (form[0].as_str(), form[1].as_str().map(str::to_owned)),
            (
                first["name"].as_str(),
                first["hosts"].as_u64().map(|h| h.to_string())
            ),
            "{file}: the form shows the example's first cluster"
        );
        if file.starts_with("small-office") {
            shoot(&b, "examples-picker.png", "#estate-title");
        }
    }
    assert_no_console_errors(&b);

    // Offline: the service worker kept the list and every file it names.
    go_offline(&b, &server);
    let (file, _) = &options[1];
    let text = std::fs::read_to_string(&files[1]).expect("the example reads");
    load(&b, file, &text);
    assert_eq!(page_totals(&b), cli_totals(&text), "{file} offline: totals");
}

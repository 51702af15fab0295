//! Accessibility of the browser calculator, checked by machine rather than by eye.
//!
//! axe-core (Deque's rules engine, npm `axe-core`, pinned in `scripts/test`) is injected into
//! the page over WebDriver and run on each state a person meets: the example priced, an estate
//! with an error, the import panel open, the "How was this computed?" dialog. No violation of
//! impact serious or critical may remain; each one found is listed with its rule, nodes and help
//! page so that whoever broke it can fix it. Then the page is used with the keyboard alone —
//! real key presses (WebDriver Actions), not synthetic events — through the downloads, the
//! Form/TOML tabs, a number of the form and the import panel.

use std::path::PathBuf;

use hypercost_core::example_estate;
use serde_json::{Value, json};

use super::webdriver::{Browser, Key};
use super::{Page, cli_quote, cli_totals, open_page, page_totals, shoot, wait_file, wait_priced};

/// The environment variable naming axe-core's `axe.min.js`; `scripts/test` installs the pinned
/// package and sets it.
const AXE_VAR: &str = "HYPERCOST_AXE";

/// The impacts that fail the test: axe's two highest of four (minor, moderate, serious,
/// critical). The lower two are printed, not failed.
const FAILING: [&str; 2] = ["serious", "critical"];

/// How many of a violation's elements are listed: the rest are alike (one rule, one cause).
const NODES_SHOWN: usize = 8;

/// axe-core's source. Browser tests were asked for (the page is built), so a missing axe is
/// a broken setup, never a reason to skip.
fn axe_source() -> String {
    let path = std::env::var_os(AXE_VAR)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            panic!(
                "{AXE_VAR} is unset: the browser tests need axe-core's axe.min.js \
             (scripts/test installs the pinned npm package axe-core and sets {AXE_VAR})"
            )
        });
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{AXE_VAR}={} is not readable ({e}): run scripts/test, or `npm install --prefix DIR \
             axe-core@VERSION` with the version scripts/test pins",
            path.display()
        )
    })
}

/// Runs axe on the whole page as it is now, and fails listing every violation of a
/// [`FAILING`] impact (all violations are printed, so the lesser ones are seen too).
#[allow(
    clippy::print_stderr,
    reason = "violations below the failing impacts are reported, not failed"
)]
fn assert_accessible(b: &Browser, axe: &str, state: &str) {
    if b.js("return typeof window.axe;", &[]) != json!("object") {
        // An executed script runs as WebDriver's function, outside the page's CSP.
        b.js(&format!("{axe}\nreturn window.axe.version;"), &[]);
    }
    let violations = b.js_async(
        "const done = arguments[arguments.length - 1];
         axe.run(document, { resultTypes: ['violations'] })
           .then((r) => done(r.violations.map((v) => ({
             id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
             nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`.replace(/\\s+/g, ' ')),
           }))))
           .catch((e) => done({ error: String(e) }));",
        &[],
    );
    let list = violations
        .as_array()
        .unwrap_or_else(|| panic!("axe did not run on {state}: {violations}"));
    let said = |v: &Value| {
        let all = v["nodes"].as_array().map_or(&[][..], Vec::as_slice);
        let mut nodes: Vec<String> = all
            .iter()
            .take(NODES_SHOWN)
            .map(|n| format!("    - {}", n.as_str().unwrap_or_default()))
            .collect();
        if all.len() > NODES_SHOWN {
            nodes.push(format!("    - … and {} more", all.len() - NODES_SHOWN));
        }
        format!(
            "  [{}] {}: {} ({})\n{}",
            v["impact"].as_str().unwrap_or("?"),
            v["id"].as_str().unwrap_or("?"),
            v["help"].as_str().unwrap_or_default(),
            v["url"].as_str().unwrap_or_default(),
            nodes.join("\n")
        )
    };
    let failing: Vec<String> = list
        .iter()
        .filter(|v| FAILING.contains(&v["impact"].as_str().unwrap_or_default()))
        .map(said)
        .collect();
    for v in list {
        eprintln!("axe on {state}:\n{}", said(v));
    }
    assert!(
        failing.is_empty(),
        "axe-core finds {} serious or critical violation(s) on {state}:\n{}",
        failing.len(),
        failing.join("\n")
    );
}

/// The four states a person meets first pass axe-core: the example priced, an estate with an
/// error typed in the TOML text, the import panel open and the "How was this computed?" dialog.
#[test]
fn axe_core_finds_no_serious_violation_in_the_calculator() {
    let Some(Page { b, .. }) = open_page() else {
        return;
    };
    let axe = axe_source();
    wait_priced(&b, "the example");
    assert_accessible(&b, &axe, "the calculator with the example");
    shoot(&b, "a11y-example.png", "body");

    // An error: the estate reads, but a value is out of range; and one that does not read.
    let example = example_estate().text;
    let zero = example.replacen("hosts = 8\n", "hosts = 0\n", 1);
    assert_ne!(zero, example);
    b.js("document.getElementById('tab-toml').click();", &[]);
    super::type_toml(&b, &zero);
    b.wait_for(
        "!document.getElementById('stale').hidden && document.querySelector('#toml-errors li') !== null",
        "the error to be shown",
    );
    assert_accessible(&b, &axe, "an estate with hosts = 0 typed in the TOML text");
    shoot(&b, "a11y-error.png", "body");
    super::type_toml(&b, &zero.replacen("years = 3", "years = = 3", 1));
    b.wait_for(
        "document.querySelector('#toml-errors [data-line]') !== null",
        "the syntax error to be shown",
    );
    assert_accessible(&b, &axe, "an estate that does not read (years = = 3)");
    super::type_toml(&b, &example);
    wait_priced(&b, "the example again");
    b.js("document.getElementById('tab-form').click();", &[]);

    // The import panel, open, and after it refused a file.
    b.js("document.getElementById('import-box').open = true;", &[]);
    assert_accessible(&b, &axe, "the import panel open");
    let dir = tempfile::tempdir().expect("temp dir");
    let junk = dir.path().join("notes.csv");
    std::fs::write(&junk, "this,is\nnot,an inventory\n").expect("write");
    b.upload("#import-file", &[junk]);
    b.wait_for(
        "document.querySelector('#import-result .errors') !== null",
        "the refusal",
    );
    assert_accessible(&b, &axe, "the import panel with a refused file");
    shoot(&b, "a11y-import.png", "#import-box");

    // The explanation dialog, modal over the page.
    b.js("document.querySelector('button.explain').click();", &[]);
    b.wait_for("document.getElementById('explain').open", "the explanation");
    assert_accessible(&b, &axe, "the \"How was this computed?\" dialog");
    shoot(&b, "a11y-explain.png", "#explain");
    b.js("document.getElementById('explain').close();", &[]);

    // A phone's width: tables scroll sideways there, so each scrolling box must take the focus.
    b.set_size(390, 844);
    assert_accessible(&b, &axe, "the calculator at a phone's width (390 px)");
}

/// Presses Tab until the focus is on an element matching `css`, at most `limit` times, and
/// fails naming every element the focus passed through: `css` must be reachable by Tab from
/// where the focus is. Every stop on the way must show that it has the focus (an outline, or the
/// editor's inset ring), or a keyboard user is lost.
fn tab_to(b: &Browser, css: &str, limit: usize) {
    let mut passed = Vec::new();
    let mut unmarked = Vec::new();
    for _ in 0..limit {
        b.keys(&Key::TAB.to_string());
        let here = b.js(
            "const a = document.activeElement, s = getComputedStyle(a);
             // A date input's own buttons hold the focus inside it: :focus-within, not :focus.
             const marked = (a.matches(':focus-visible') || a.matches(':focus-within'))
               && ((s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none');
             return [a.matches(arguments[0]),
                     a.id ? `#${a.id}` : `${a.tagName.toLowerCase()} ${(a.dataset.field ?? a.textContent).trim().slice(0, 40)}`,
                     marked];",
            &[json!(css)],
        );
        let name = here[1].as_str().unwrap_or_default().to_owned();
        if here[2] != json!(true) {
            unmarked.push(name.clone());
        }
        if here[0] == json!(true) {
            assert!(
                unmarked.is_empty(),
                "no visible focus on {unmarked:?} (on the way to {css})"
            );
            return;
        }
        passed.push(name);
    }
    panic!("{css} is not reached by {limit} Tabs; the focus went through {passed:?}");
}

/// `document.activeElement` matches `css`.
fn focused(b: &Browser, css: &str) -> bool {
    b.js(
        "return document.activeElement.matches(arguments[0]);",
        &[json!(css)],
    ) == json!(true)
}

/// The calculator used with the keyboard alone, from the top of the page: a download by Tab
/// and Enter, the Form/TOML tabs by the arrow keys (the ARIA tabs pattern), a number of the form
/// stepped with the arrow key and re-priced, the import panel opened, entered and closed with
/// Escape, the focus coming back, and the same for the explanation dialog.
#[test]
fn the_calculator_works_from_the_keyboard_alone() {
    let Some(Page { downloads, b, .. }) = open_page() else {
        return;
    };
    let example = example_estate().text;
    wait_priced(&b, "the example");

    // The first Tab shows the skip link; the downloads follow the share button.
    tab_to(&b, "a.skip", 1);
    tab_to(&b, "[data-download=\"json\"]", 5);
    shoot(&b, "a11y-keys-download.png", "body");
    b.keys(&Key::ENTER.to_string());
    let name = "acme-2009-vsphere-4-decision-quote.json";
    assert_eq!(
        wait_file(downloads.path(), name),
        cli_quote(&example, "json"),
        "Enter on JSON downloads `hypercost quote --format json`"
    );
    tab_to(&b, "[data-download=\"toml\"]", 3);
    b.keys(&Key::ENTER.to_string());
    assert_eq!(
        wait_file(downloads.path(), "acme-2009-vsphere-4-decision.toml"),
        example.as_bytes(),
        "Enter on Estate downloads the estate file"
    );

    // The tabs: one stop in the Tab order (the selected tab); the arrows, Home and End select.
    tab_to(&b, "#tab-form", 3);
    let tabs = |b: &Browser| {
        b.js(
            "return [document.activeElement.id,
                     document.getElementById('tab-toml').getAttribute('aria-selected'),
                     document.getElementById('pane-toml').hidden,
                     document.getElementById('pane-form').hidden];",
            &[],
        )
    };
    b.keys(&Key::RIGHT.to_string());
    assert_eq!(tabs(&b), json!(["tab-toml", "true", false, true]), "→");
    shoot(&b, "a11y-keys-tabs.png", ".estate");
    b.keys(&Key::RIGHT.to_string());
    assert_eq!(
        tabs(&b),
        json!(["tab-form", "false", true, false]),
        "→ wraps"
    );
    b.keys(&Key::END.to_string());
    assert_eq!(tabs(&b), json!(["tab-toml", "true", false, true]), "End");
    b.keys(&Key::HOME.to_string());
    assert_eq!(tabs(&b), json!(["tab-form", "false", true, false]), "Home");
    b.keys(&Key::LEFT.to_string());
    assert_eq!(
        tabs(&b),
        json!(["tab-toml", "true", false, true]),
        "← wraps"
    );
    // Tab leaves the tab list for its panel: the TOML text.
    b.keys(&Key::TAB.to_string());
    assert!(
        focused(&b, "#toml"),
        "Tab from the TOML tab enters the text"
    );
    b.chord(&[Key::SHIFT, Key::TAB]);
    assert!(focused(&b, "#tab-toml"), "Shift+Tab returns to the tab");
    b.keys(&Key::LEFT.to_string());
    assert_eq!(tabs(&b), json!(["tab-form", "false", true, false]), "←");

    // The form: step the hosts up with the arrow key; the text and the totals follow.
    tab_to(&b, "[data-field=\"cluster[0].hosts\"]", 30);
    b.keys(&Key::UP.to_string());
    let nine = example.replacen("hosts = 8\n", "hosts = 9\n", 1);
    b.wait_for(
        &format!("document.getElementById('toml').value === {}", json!(nine)),
        "the TOML text to follow the arrow key",
    );
    wait_priced(&b, "the 9-host estate");
    assert_eq!(page_totals(&b), cli_totals(&nine), "9 hosts: page vs CLI");
    assert!(
        focused(&b, "[data-field=\"cluster[0].hosts\"]"),
        "re-pricing leaves the focus where it was"
    );
    shoot(
        &b,
        "a11y-keys-form.png",
        "[data-field=\"cluster[0].hosts\"]",
    );

    // The import panel: Enter opens it and the focus moves in; Escape closes it and the focus
    // comes back to its summary.
    tab_to(&b, "#import-box > summary", 200);
    b.keys(&Key::ENTER.to_string());
    b.wait_for(
        "document.getElementById('import-box').open \
         && document.getElementById('import-box').contains(document.activeElement) \
         && document.activeElement.tagName !== 'SUMMARY'",
        "the focus in the open import panel",
    );
    assert!(
        focused(&b, "#import-kind"),
        "the first control has the focus"
    );
    shoot(&b, "a11y-keys-import.png", "#import-box");
    tab_to(&b, "#import-file", 8);
    b.keys(&Key::ESCAPE.to_string());
    b.wait_for(
        "!document.getElementById('import-box').open",
        "Escape to close the import panel",
    );
    assert!(
        focused(&b, "#import-box > summary"),
        "the focus returns to the panel's summary"
    );

    // The explanation, a modal dialog: Enter opens it with the focus inside, Escape closes it
    // and the focus returns to the button that opened it.
    tab_to(&b, "button.explain", 300);
    let opener = b.js("return document.activeElement.closest('section').id;", &[]);
    b.keys(&Key::ENTER.to_string());
    b.wait_for(
        "document.getElementById('explain').open \
         && document.getElementById('explain').contains(document.activeElement)",
        "the focus in the explanation dialog",
    );
    b.keys(&Key::ESCAPE.to_string());
    b.wait_for(
        "!document.getElementById('explain').open",
        "Escape to close the explanation",
    );
    assert_eq!(
        b.js(
            "const a = document.activeElement;
             return a.matches('button.explain') ? a.closest('section').id : a.outerHTML.slice(0, 80);",
            &[]
        ),
        opener,
        "the focus returns to the button that opened the dialog"
    );
}

/// CI installs the axe-core these checks need, at one exact version, tells the tests where it
/// is, and the README says what is checked.
#[test]
fn ci_installs_a_pinned_axe_core_and_the_readme_says_what_is_checked() {
    let root = crate::support::repo_root();
    let read = |p: &str| std::fs::read_to_string(root.join(p)).expect("readable");
    let script = read("scripts/test");
    let pin = script
        .lines()
        .find_map(|l| l.strip_prefix("AXE_VERSION="))
        .expect("AXE_VERSION= in scripts/test");
    assert!(
        pin.split('.').count() == 3 && pin.split('.').all(|n| n.parse::<u32>().is_ok()),
        "axe-core is pinned to an exact version, not {pin}"
    );
    assert!(
        script.contains("\"axe-core@$AXE_VERSION\""),
        "installed at the pin"
    );
    assert!(
        script.contains(&format!("export {AXE_VAR}=")),
        "scripts/test tells the tests where axe-core is"
    );
    let readme = read("README.md");
    assert!(
        readme.contains("axe-core") && readme.contains("keyboard alone"),
        "the README says what the accessibility checks are"
    );
}

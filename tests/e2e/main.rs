//! End-to-end tests of hypercost across crates: one test binary.
//!
//! * `errors` — every kind of bad input exits 2 naming file, line, field and what is valid;
//! * `first_hour` — `init` writes estates that quote (every `--compare` short name),
//!   completions and man pages generate and render, exit codes by the one rule, `--quiet`,
//!   `NO_COLOR`;
//! * `cli` — formats, `-o`, `-`, `--pricebook`, help, version, exit codes, determinism;
//! * `formats` — every command × every format: written as asked (by `--format` or `-o`'s
//!   extension) or refused with exit 2 naming what the result renders as;
//! * `golden` — every `examples/<case>.toml` and `tests/cases/<case>/estate.toml` quoted and
//!   compared with `tests/cases/<case>/quote.json` and `quote.txt`
//!   (`HYPERCOST_BLESS=1` rewrites them);
//! * `fuzz` — property tests: nothing panics, every total is the sum of its lines;
//! * `tidy` — the README's commands and output match CI and the code; file headers; the one
//!   mechanism that runs a page's commands and holds its output blocks to them;
//! * `guide` — the user guide (`docs/`): every page's commands run and show their real output,
//!   the index links every page in order, every link resolves;
//! * `schema` — `hypercost schema`: the committed schemas are current and declare every key;
//! * `pricing` — every pricing command notes a replaced pricebook and takes `--as-of`;
//! * `diff` — `hypercost pricebook diff`, with an estate's quote before and after;
//! * `cheapest` — the 2009 acceptance searches, rejections in words, `-o FILE.toml`;
//! * `explain` — every line redone by hand from the explanation equals the quote's;
//! * `whatif` — `compare`, `sweep` and `sensitivity`: break-even by hand, crossovers, exit
//!   codes; properties: every sweep point is a quote, a scenario against itself has zero deltas;
//! * `browser` — the browser calculator in real headless Chromium over WebDriver, against the
//!   CLI (with `HYPERCOST_WEB_DIST`, which `scripts/test` sets after building the page);
//! * `html` — the HTML report: self-contained, every figure, escaped; with `HYPERCOST_CHROMIUM=1`
//!   real headless Chromium screenshots it and prints it to PDF.
//! * `import_rvtools` — RVTools workbooks and CSV folders → estates, field by field, with
//!   hand counts under the 16-core floor; the cluster-CSV round trip; reader fuzzing
//!   (`HYPERCOST_BLESS=1` rewrites the `.xlsx` fixtures from their CSV folders).
//! * `inputs` — `import rvtools -` (workbook or tab CSV on standard input); a zip bomb refused.
//! * `outputs` — `-o` never overwrites an input; names are inert in Markdown, HTML, every
//!   CSV and the workbook, which is valid for hostile names or the command fails.
//! * `reshape` — `hypercost reshape` on the golden case: the written estate re-prices through
//!   `quote`; bad workload, catalogue and edition refused at their place.
//! * `reshape_report` — `reshape` as an HTML page (options, crossover chart with its legend,
//!   tooltips and figures) and as a workbook whose totals are the JSON's; with
//!   `HYPERCOST_CHROMIUM=1` headless Chromium screenshots the page.
//! * `xlsx` — the XLSX workbook: cached figures equal the engine's, quantity formulas evaluate
//!   to the quantity (golden and fuzz estates); with `HYPERCOST_LIBREOFFICE=1` real LibreOffice
//!   recalculates every formula and agrees to the cent, also after an input is edited.

#![allow(
    clippy::disallowed_methods,
    reason = "end-to-end tests read and write files and read HYPERCOST_BLESS"
)]

mod browser;
mod cheapest;
mod cli;
mod diff;
mod errors;
mod eval;
mod explain;
mod exports;
mod first_hour;
mod formats;
mod fuzz;
mod golden;
mod guide;
mod hardware;
mod html;
mod import;
mod import_rvtools;
mod inputs;
mod limits;
mod outputs;
mod pricing;
mod reshape;
mod reshape_report;
mod schedule;
mod schema;
mod support;
mod tidy;
mod whatif;
mod xlsx;

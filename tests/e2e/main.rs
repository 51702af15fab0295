//! End-to-end tests of hypercost across crates: one test binary.
//!
//! * `errors` — every kind of bad input exits 2 naming file, line, field and what is valid;
//! * `cli` — formats, `-o`, `-`, `--pricebook`, help, version, exit codes, determinism;
//! * `golden` — `tests/cases/<case>/` compared with `quote.json` and `quote.txt`
//!   (`HYPERCOST_BLESS=1` rewrites them);
//! * `fuzz` — property tests: nothing panics, every total is the sum of its lines;
//! * `tidy` — the README's commands and output match CI and the code; file headers;
//! * `schema` — `hypercost schema`: the committed schemas are current and declare every key;
//! * `diff` — `hypercost pricebook diff`, with an estate's quote before and after.

#![allow(
    clippy::disallowed_methods,
    reason = "end-to-end tests read and write files and read HYPERCOST_BLESS"
)]

mod cli;
mod diff;
mod errors;
mod fuzz;
mod golden;
mod schema;
mod support;
mod tidy;

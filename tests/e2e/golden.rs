//! Golden cases: every folder `tests/cases/<case>/` with an `estate.toml` is quoted by the CLI
//! in-process, and the output is compared byte for byte with the files beside it:
//!
//! * `quote.json` — `hypercost quote estate.toml --format json`
//! * `quote.txt`  — `hypercost quote estate.toml --format table`
//!
//! A case may also hold `NOTES.md` (the hand computation of its figures); the runner leaves it
//! alone. A case holding `hardware.toml` (a catalogue) is also reshaped against it:
//!
//! * `reshape.json` — `hypercost reshape estate.toml --hardware hardware.toml --format json`
//! * `reshape.txt`  — the same as a table
//!
//! A case whose estate has an `[uncertainty]` table is also drawn (10,000 draws, seed 1):
//!
//! * `uncertainty.json` — `hypercost uncertainty estate.toml --format json`
//! * `uncertainty.txt`  — the same as a table
//!
//! Adding a case is a data-only change: the runner discovers folders by listing them.
//!
//! Bless mode: `HYPERCOST_BLESS=1 cargo test -p hypercost-tests golden` (re)writes the
//! expected files from the current output instead of comparing. Review the diff before
//! committing it: the JSON is the product contract.

use std::path::{Path, PathBuf};

use crate::cli::check_quote_json;
use crate::support::{cli, line_diff, tests_dir};

/// The expected outputs of one case: file name and `--format` value.
const OUTPUTS: [(&str, &str); 2] = [("quote.json", "json"), ("quote.txt", "table")];

/// The expected `reshape` outputs of a case with a `hardware.toml`.
const RESHAPE_OUTPUTS: [(&str, &str); 2] = [("reshape.json", "json"), ("reshape.txt", "table")];

/// The expected `uncertainty` outputs of a case whose estate has `[uncertainty]`.
const UNCERTAINTY_OUTPUTS: [(&str, &str); 2] =
    [("uncertainty.json", "json"), ("uncertainty.txt", "table")];

fn bless() -> bool {
    std::env::var_os("HYPERCOST_BLESS").is_some_and(|v| v == "1")
}

/// Every case folder holding an `estate.toml`, sorted by name.
fn cases() -> Vec<PathBuf> {
    let root = tests_dir().join("cases");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", root.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| p.join("estate.toml").is_file())
        .collect();
    out.sort();
    out
}

/// Runs one case; returns the problems found (empty when it matches or was blessed).
fn run_case(case: &Path, bless: bool) -> Vec<String> {
    let name = case
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let estate = case.join("estate.toml");
    let estate = estate.to_str().expect("case paths are UTF-8");
    let mut problems = Vec::new();
    let hardware = case.join("hardware.toml");
    let hardware = hardware.to_str().expect("case paths are UTF-8");
    let reshaped = case.join("hardware.toml").is_file();
    let drawn = std::fs::read_to_string(estate)
        .is_ok_and(|t| t.lines().any(|l| l.trim() == "[uncertainty]"));
    let runs = OUTPUTS
        .iter()
        .map(|(file, format)| (*file, *format, "quote"))
        .chain(
            RESHAPE_OUTPUTS
                .iter()
                .filter(|_| reshaped)
                .map(|(file, format)| (*file, *format, "reshape")),
        )
        .chain(
            UNCERTAINTY_OUTPUTS
                .iter()
                .filter(|_| drawn)
                .map(|(file, format)| (*file, *format, "uncertainty")),
        );
    for (file, format, command) in runs {
        let run = match command {
            "reshape" => cli(&[
                "reshape",
                estate,
                "--hardware",
                hardware,
                "--format",
                format,
            ]),
            other => cli(&[other, estate, "--format", format]),
        };
        if run.code != 0 {
            problems.push(format!(
                "{name}/{file}: `hypercost {command} estate.toml --format {format}` exited {}:\n{}",
                run.code, run.stderr
            ));
            continue;
        }
        if format == "json" && command == "quote" {
            check_quote_json(&run.stdout);
        }
        let expected_path = case.join(file);
        if bless {
            std::fs::write(&expected_path, &run.stdout)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", expected_path.display()));
            continue;
        }
        let Ok(expected) = std::fs::read(&expected_path) else {
            problems.push(format!(
                "{name}/{file} is missing; create it with HYPERCOST_BLESS=1 cargo test -p hypercost-tests golden"
            ));
            continue;
        };
        if expected != run.stdout {
            let expected = String::from_utf8_lossy(&expected);
            let actual = String::from_utf8_lossy(&run.stdout);
            problems.push(format!(
                "{name}/{file} differs from the output (- expected, + actual):\n{}",
                line_diff(&expected, &actual)
            ));
        }
    }
    problems
}

#[test]
fn golden_cases() {
    let cases = cases();
    assert!(
        cases.iter().any(|c| c.ends_with("acme-2009-example")),
        "the acme-2009-example case exists: {cases:?}"
    );
    let bless = bless();
    let mut problems = Vec::new();
    for case in &cases {
        problems.extend(run_case(case, bless));
    }
    assert!(
        problems.is_empty(),
        "{} golden mismatch(es) in {} case(s); if the change is intended, re-run with \
         HYPERCOST_BLESS=1 and review the diff.\n\n{}",
        problems.len(),
        cases.len(),
        problems.join("\n")
    );
}

/// Each example estate in `examples/` and the golden case that pins its output: the case's
/// `estate.toml` is a byte copy, so the hand computation in the case's NOTES.md is the
/// example's.
const EXAMPLE_CASES: [(&str, &str); 2] = [
    ("acme-2009.toml", "acme-2009-example"),
    ("exit-2026.toml", "exit-2026"),
];

#[test]
fn each_example_is_a_golden_case() {
    for (example, case) in EXAMPLE_CASES {
        let case_estate = std::fs::read(tests_dir().join("cases").join(case).join("estate.toml"))
            .unwrap_or_else(|e| panic!("the {case} case: {e}"));
        let example_estate = std::fs::read(tests_dir().join("../examples").join(example))
            .unwrap_or_else(|e| panic!("examples/{example}: {e}"));
        assert_eq!(
            case_estate, example_estate,
            "tests/cases/{case}/estate.toml is a copy of examples/{example}"
        );
    }
    let mut examples: Vec<String> = std::fs::read_dir(tests_dir().join("../examples"))
        .expect("examples/")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    examples.sort();
    let listed: Vec<&str> = EXAMPLE_CASES.iter().map(|(example, _)| *example).collect();
    assert_eq!(
        examples, listed,
        "every file of examples/ has its golden case"
    );
}

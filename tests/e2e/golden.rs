//! Golden cases: every example `examples/<case>.toml` and every folder `tests/cases/<case>/`
//! with an `estate.toml` is quoted by the CLI in-process, and the output is compared byte for
//! byte with the files in `tests/cases/<case>/` (an example's estate stays in `examples/`,
//! never copied; see `support::golden_cases`):
//!
//! * `quote.json` — `hypercost quote ESTATE --format json`
//! * `quote.txt`  — `hypercost quote ESTATE --format table`
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
//! Adding a case is a data-only change: the runner discovers examples and folders by listing
//! them. An example's case folder must also hold `NOTES.md`, the hand derivation of its figures.
//!
//! Bless mode: `HYPERCOST_BLESS=1 cargo test -p hypercost-tests golden` (re)writes the
//! expected files from the current output instead of comparing. Review the diff before
//! committing it: the JSON is the product contract.

use crate::cli::check_quote_json;
use crate::support::{self, Case, cli, examples, line_diff};

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

/// Runs one case; returns the problems found (empty when it matches or was blessed).
fn run_case(case: &Case, bless: bool) -> Vec<String> {
    let name = &case.name;
    let estate = case.estate.to_str().expect("case paths are UTF-8");
    let mut problems = Vec::new();
    let hardware = case.dir.join("hardware.toml");
    let hardware = hardware.to_str().expect("case paths are UTF-8");
    let reshaped = case.dir.join("hardware.toml").is_file();
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
                "{name}/{file}: `hypercost {command} {estate} --format {format}` exited {}:\n{}",
                run.code, run.stderr
            ));
            continue;
        }
        if format == "json" && command == "quote" {
            check_quote_json(&run.stdout);
        }
        let expected_path = case.dir.join(file);
        if bless {
            std::fs::create_dir_all(&case.dir)
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", case.dir.display()));
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
    let cases = support::golden_cases();
    assert!(
        cases.iter().any(|c| c.name == "acme-2009"),
        "the embedded example's case exists: {cases:?}"
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

/// Every example is a golden case with its hand computation beside it, and its file says
/// what it models before anything else (a comment block opens it).
#[test]
fn each_example_has_its_notes_and_says_what_it_models() {
    let examples = examples();
    assert!(examples.len() >= 5, "the gallery: {examples:?}");
    let cases = support::golden_cases();
    for example in examples {
        let case = cases
            .iter()
            .find(|c| c.estate == example)
            .unwrap_or_else(|| panic!("{} is a golden case", example.display()));
        assert!(
            case.dir.join("NOTES.md").is_file(),
            "tests/cases/{}/NOTES.md derives {}'s figures by hand",
            case.name,
            example.display()
        );
        let text = std::fs::read_to_string(&example).expect("the example reads");
        let opening = text.lines().take_while(|l| l.starts_with('#')).count();
        assert!(
            opening >= 3,
            "{} opens with a comment saying what it models and why ({opening} comment lines)",
            example.display()
        );
    }
}

/// An example made by `hypercost import` names the command in its opening comment block, and
/// the rest of the file is exactly what that command writes today (the inventory read again,
/// `-o` replaced by standard output; the command's `--date` keeps the provenance date fixed).
#[test]
fn an_imported_example_is_what_its_import_command_writes() {
    let root = support::repo_root();
    let mut checked = 0;
    for example in examples() {
        let text = std::fs::read_to_string(&example).expect("the example reads");
        let Some((opening, written)) = text.split_once("\n\n") else {
            continue;
        };
        let Some(command) = opening
            .lines()
            .filter_map(|l| {
                l.trim_start_matches('#')
                    .trim()
                    .strip_prefix("hypercost import ")
            })
            .next()
        else {
            continue;
        };
        let words: Vec<&str> = command.split_whitespace().collect();
        let out = words
            .iter()
            .position(|w| *w == "-o")
            .and_then(|at| words.get(at + 1))
            .expect("the command writes the example with -o");
        assert_eq!(
            root.join(out),
            example,
            "the command in {} writes that file",
            example.display()
        );
        let mut args = vec!["import".to_owned()];
        let mut rest = words.iter();
        while let Some(word) = rest.next() {
            match *word {
                "-o" => {
                    rest.next();
                }
                w if w.starts_with("examples/") => args.push(root.join(w).display().to_string()),
                w => args.push(w.to_owned()),
            }
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = cli(&args);
        assert_eq!(run.code, 0, "hypercost import {command}: {}", run.stderr);
        // The provenance names the inventory as given: relative to the repository's root.
        let imported = run.out().replace(&format!("{}/", root.display()), "");
        assert!(
            written == imported,
            "{} is no longer what `hypercost import {command}` writes (- file, + import):\n{}",
            example.display(),
            line_diff(written, &imported)
        );
        checked += 1;
    }
    assert!(checked >= 1, "the gallery has an import walk-through");
}

/// The README's gallery lists every example once, with its hand computation, and each figure
/// it shows in bold is in that example's quote; its import command is the one the example
/// names (and `an_imported_example_is_what_its_import_command_writes` runs).
#[test]
fn the_readme_gallery_lists_every_example_with_real_figures() {
    let root = support::repo_root();
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let start = readme
        .find("\n## Example gallery\n")
        .expect("the README has an `## Example gallery` section");
    let rest = &readme[start + 1..];
    let section = &rest[..rest[1..].find("\n## ").map_or(rest.len(), |at| at + 1)];
    let mut openings = String::new();
    for example in examples() {
        let file = example.file_name().expect("a name").to_string_lossy();
        let stem = example.file_stem().expect("a stem").to_string_lossy();
        let rows: Vec<&str> = section
            .lines()
            .filter(|l| l.starts_with("| [examples/") && l.contains(&format!("](examples/{file})")))
            .collect();
        let [row] = rows[..] else {
            panic!("one gallery row for examples/{file}: {rows:?}");
        };
        assert!(
            row.contains(&format!("(tests/cases/{stem}/NOTES.md)")),
            "{file}'s row links its NOTES.md: {row}"
        );
        let run = cli(&["quote", example.to_str().expect("UTF-8 path")]);
        assert_eq!(run.code, 0, "{file}: {}", run.stderr);
        let out = run.out();
        let figures: Vec<&str> = row.split("**").skip(1).step_by(2).collect();
        assert!(!figures.is_empty(), "{file}'s row shows a figure in bold");
        for figure in figures {
            assert!(
                out.contains(figure),
                "{file}: `{figure}` is not in its quote"
            );
        }
        let text = std::fs::read_to_string(&example).expect("the example reads");
        openings.push_str(text.split_once("\n\n").map_or("", |(o, _)| o));
    }
    for line in section
        .lines()
        .filter(|l| l.starts_with("hypercost import "))
    {
        assert!(
            openings.contains(line),
            "the README's `{line}` is the command an example names"
        );
    }
}

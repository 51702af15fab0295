//! Tidy checks (rust-analyzer style): the docs tell the truth about the code and CI.

use std::path::{Path, PathBuf};

use crate::support::cli;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The README's fenced blocks of the given language.
fn blocks<'a>(text: &'a str, lang: &str) -> Vec<&'a str> {
    let fence = format!("```{lang}\n");
    text.split(&fence)
        .skip(1)
        .filter_map(|rest| rest.split_once("\n```").map(|(body, _)| body))
        .collect()
}

#[test]
fn the_readme_test_command_is_what_ci_runs() {
    let readme = read("README.md");
    let quick = blocks(&readme, "sh")[0];
    let commands: Vec<&str> = quick
        .lines()
        .map(|l| l.split('#').next().unwrap_or_default().trim())
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        commands,
        vec![
            "cargo run --release -p hypercost -- quote",
            "bash scripts/test"
        ],
        "the README's first block holds the two set-up commands"
    );
    let ci = read(".ci/run");
    assert!(
        ci.lines().any(|l| l.trim() == "exec bash scripts/test"),
        ".ci/run must call the README's test command:\n{ci}"
    );
}

#[test]
fn the_readme_shows_the_real_output_of_the_example() {
    let readme = read("README.md");
    let run = cli(&["quote"]);
    assert_eq!(run.code, 0);
    let out = String::from_utf8(run.stdout).unwrap();
    let shown = blocks(&readme, "text");
    assert!(shown.len() >= 2, "the README shows the example's output");
    for block in &shown[..2] {
        assert!(
            out.contains(block),
            "README output is stale; regenerate this block from `hypercost quote`:\n{block}"
        );
    }
}

#[test]
fn every_rust_file_starts_with_a_doc_comment() {
    let mut missing = Vec::new();
    for dir in [
        "core/src",
        "core/benches",
        "core/build.rs",
        "cli/src",
        "tests/e2e",
        "tests/src",
    ] {
        visit(&root().join(dir), &mut missing);
    }
    assert!(
        missing.is_empty(),
        "files without a leading `//!` line: {missing:?}"
    );
}

fn visit(path: &Path, missing: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .expect("a readable source folder")
            .map(|e| e.expect("a readable entry").path())
            .collect();
        entries.sort();
        for e in entries {
            visit(&e, missing);
        }
    } else if path.extension().is_some_and(|x| x == "rs") {
        let text = std::fs::read_to_string(path).expect("a readable source file");
        if !text.starts_with("//!") {
            missing.push(path.to_owned());
        }
    }
}

#[test]
fn no_analysis_imports_a_renderer() {
    let mut files = vec![root().join("core/src/analysis.rs")];
    let dir = root().join("core/src/analysis");
    for entry in std::fs::read_dir(&dir).expect("core/src/analysis") {
        files.push(entry.expect("an entry").path());
    }
    assert!(files.len() > 5, "the analyses: {files:?}");
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable");
        for import in ["crate::render", "render::", "super::super::render"] {
            assert!(
                !text.contains(import),
                "{} mentions `{import}`: analyses compute, renderers (which import them) render",
                f.display()
            );
        }
    }
}

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

/// The README's section under `heading`: from that line to the next `## ` heading.
fn section<'a>(text: &'a str, heading: &str) -> &'a str {
    let start = text
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("the README has the section `{heading}`"));
    let rest = &text[start + 1..];
    let end = rest[1..].find("\n## ").map_or(rest.len(), |at| at + 1);
    &rest[..end]
}

/// The 2026 example's section gives one command, and the ranking it shows is that command's
/// real output.
#[test]
fn the_readme_shows_the_real_output_of_the_2026_example() {
    let readme = read("README.md");
    let section = section(&readme, "## A 2026 example: leaving VMware");
    let commands = blocks(section, "sh");
    assert_eq!(commands.len(), 1, "one command in the section:\n{section}");
    let words: Vec<&str> = commands[0].split_whitespace().collect();
    let [hypercost, quote, estate] = words[..] else {
        panic!("`hypercost quote ESTATE` expected: {}", commands[0]);
    };
    assert_eq!((hypercost, quote), ("hypercost", "quote"));
    let estate = root().join(estate);
    let run = cli(&["quote", estate.to_str().expect("a UTF-8 path")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = String::from_utf8(run.stdout).expect("UTF-8 output");
    let shown = blocks(section, "text");
    assert!(
        !shown.is_empty(),
        "the section shows the output:\n{section}"
    );
    for block in shown {
        assert!(
            out.contains(block),
            "README output is stale; regenerate this block from `{}`:\n{block}",
            commands[0]
        );
    }
}

/// Splits one shell command line into words, honouring double quotes (the README's commands
/// quote scenario names).
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for ch in line.chars() {
        match ch {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            _ => word.push(ch),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// The section's one command block runs (each `.toml` argument from the repository's root),
/// and every block it shows is the commands' real output; returns how many blocks it shows.
pub(crate) fn section_shows_real_output(heading: &str) -> usize {
    let readme = read("README.md");
    let section = section(&readme, heading);
    let commands = blocks(section, "sh");
    assert_eq!(commands.len(), 1, "one command block:\n{section}");
    let mut out = String::new();
    for line in commands[0].lines() {
        let words = shell_words(line);
        assert_eq!(
            words.first().map(String::as_str),
            Some("hypercost"),
            "{line}"
        );
        let args: Vec<String> = words[1..]
            .iter()
            .map(|w| {
                if w.ends_with(".toml") {
                    root().join(w).display().to_string()
                } else {
                    w.clone()
                }
            })
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = cli(&args);
        assert_eq!(run.code, 0, "{line}: {}", run.stderr);
        out.push_str(&String::from_utf8(run.stdout).expect("UTF-8 output"));
    }
    let shown = blocks(section, "text");
    for block in &shown {
        assert!(
            out.contains(block),
            "README output is stale; regenerate this block from the section's commands:\n{block}"
        );
    }
    shown.len()
}

/// The contracts section's commands run, and every block it shows is their real output.
#[test]
fn the_readme_shows_the_real_output_of_the_contracts_example() {
    let shown =
        section_shows_real_output("## Contracts and moves: renew, move, or both — and when");
    assert_eq!(shown, 2, "the ranking and the schedule");
}

/// The reshape section's command runs, and the shapes it shows are its real output.
#[test]
fn the_readme_shows_the_real_output_of_the_reshape_example() {
    let shown = section_shows_real_output(
        "## Reshape: the host shape that costs least under each licensing regime",
    );
    assert_eq!(shown, 1, "the app cluster's shapes");
}

/// The uncertainty section's command runs, and the ranges it shows are its real output.
#[test]
fn the_readme_shows_the_real_output_of_the_uncertainty_example() {
    let shown = section_shows_real_output("## Uncertainty: how sure is the answer?");
    assert_eq!(shown, 1, "the totals over the draws and what moves the gap");
}

#[test]
fn every_rust_file_starts_with_a_doc_comment() {
    let mut files = Vec::new();
    for dir in [
        "core/src",
        "core/benches",
        "core/build.rs",
        "cli/src",
        "web/src",
        "tests/e2e",
        "tests/src",
    ] {
        rust_files(&root().join(dir), &mut files);
    }
    let missing: Vec<&PathBuf> = files
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).expect("a readable source file");
            !text.starts_with("//!")
        })
        .collect();
    assert!(
        missing.is_empty(),
        "files without a leading `//!` line: {missing:?}"
    );
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

/// The Rust files of a folder, recursively, sorted.
fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .expect("a readable source folder")
            .map(|e| e.expect("a readable entry").path())
            .collect();
        entries.sort();
        for e in entries {
            rust_files(&e, out);
        }
    } else if path.extension().is_some_and(|x| x == "rs") {
        out.push(path.to_owned());
    }
}

/// A source file's text without its unit tests: the test folder `tests/`, `tests.rs`, and
/// everything from a `#[cfg(test)]` module on.
fn non_test_source(src: &Path, path: &Path) -> Option<String> {
    let is_test = path
        .strip_prefix(src)
        .unwrap_or(path)
        .components()
        .any(|c| c.as_os_str() == "tests" || c.as_os_str() == "tests.rs");
    if is_test {
        return None;
    }
    let text = std::fs::read_to_string(path).expect("a readable source file");
    Some(match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => text[..at].to_owned(),
        None => text,
    })
}

/// The top-level modules of `core/src` that `text` refers to through `crate::` paths, the
/// crate root's re-exports (`crate::Quote`) resolved to the module they come from.
fn crate_refs(text: &str, modules: &[String], reexports: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    let mut add = |name: &str| {
        let name = name.trim();
        if modules.iter().any(|m| m == name) {
            out.push(name.to_owned());
        } else if let Some((_, m)) = reexports.iter().find(|(n, _)| n == name) {
            out.push(m.clone());
        }
    };
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or_default();
            for part in inner.split(',') {
                add(part.split("::").next().unwrap_or_default());
            }
        } else {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            add(&rest[..end]);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The layers hold: no import cycle between the top-level modules of `core/src` (inputs →
/// engine → quote → analysis → render), whatever folder a module's files are in.
#[test]
fn core_modules_form_no_cycle() {
    let src = root().join("core/src");
    let lib = read("core/src/lib.rs");
    let modules: Vec<String> = lib
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("pub mod ")
                .or(l.trim().strip_prefix("mod "))
        })
        .map(|m| m.trim_end_matches(';').to_owned())
        .filter(|m| m != "tests")
        .collect();
    let mut reexports = Vec::new();
    for line in lib.lines() {
        if let Some(rest) = line.strip_prefix("pub use ") {
            let (module, names) = rest.split_once("::").expect("pub use module::name");
            for n in names
                .trim_end_matches(';')
                .trim_matches(|c| c == '{' || c == '}')
                .split(',')
            {
                reexports.push((n.trim().to_owned(), module.to_owned()));
            }
        }
    }
    assert!(modules.len() > 10, "{modules:?}");
    let mut edges: Vec<(String, String)> = Vec::new();
    for m in &modules {
        let mut files = vec![src.join(format!("{m}.rs"))];
        rust_files(&src.join(m), &mut files);
        for f in files.iter().filter(|f| f.exists()) {
            let Some(text) = non_test_source(&src, f) else {
                continue;
            };
            // Doc links are not imports.
            let code: String = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            for to in crate_refs(&code, &modules, &reexports) {
                if &to != m && !edges.contains(&(m.clone(), to.clone())) {
                    edges.push((m.clone(), to));
                }
            }
        }
    }
    // Depth-first search for a path back to where it started.
    fn cycle_from(
        start: &str,
        at: &str,
        edges: &[(String, String)],
        path: &mut Vec<String>,
    ) -> bool {
        for (_, to) in edges.iter().filter(|(from, _)| from == at) {
            if to == start {
                path.push(to.clone());
                return true;
            }
            if path.contains(to) {
                continue;
            }
            path.push(to.clone());
            if cycle_from(start, to, edges, path) {
                return true;
            }
            path.pop();
        }
        false
    }
    let mut cycles = Vec::new();
    for m in &modules {
        let mut path = vec![m.clone()];
        if cycle_from(m, m, &edges, &mut path) {
            cycles.push(path.join(" → "));
        }
    }
    assert!(
        cycles.is_empty(),
        "import cycles between core modules:\n{}",
        cycles.join("\n")
    );
}

/// Pricing behaviour is chosen by data: no source file of the core, the CLI or the web API
/// names a pricebook, vendor or item of the bundled books, or a vendor's brand, outside
/// comments and tests. The importers alone may name brands: the inventories they read are
/// the vendors' own export formats (RVTools' "VMware Tools" column).
#[test]
fn no_source_names_a_pricebook_vendor_or_item() {
    let set = hypercost_core::PricebookSet::bundled().expect("bundled books");
    let mut words: Vec<String> = set.ids().iter().map(|s| s.to_string()).collect();
    for b in set.books() {
        words.push(format!("\"{}\"", b.vendor));
        // Distinctive item ids (`enterprise-plus`, `nexus-1000v`); one-word ids such as
        // `datacenter` or `starter` are also words of the file formats.
        let distinctive = |id: &str| id.contains('-') || id.chars().any(|c| c.is_ascii_digit());
        words.extend(
            b.items
                .iter()
                .filter(|i| distinctive(&i.id))
                .map(|i| format!("\"{}\"", i.id)),
        );
    }
    let brands = [
        "vsphere",
        "vmware",
        "nexus",
        "xenserver",
        "hyper-v",
        "citrix",
        "microsoft",
        "cisco",
        "proxmox",
        "nutanix",
        "red hat",
        "openshift",
        "broadcom",
    ];
    let mut files = Vec::new();
    for dir in ["core/src", "cli/src", "web/src"] {
        rust_files(&root().join(dir), &mut files);
    }
    assert!(files.len() > 40, "{} files", files.len());
    let mut found = Vec::new();
    let mut read = 0;
    for f in &files {
        // Test folders are named relative to the repository, whose own path may hold `tests`.
        let Some(text) = non_test_source(&root(), f) else {
            continue;
        };
        read += 1;
        let importer = f.starts_with(root().join("core/src/import"));
        for (n, line) in text.lines().enumerate() {
            let code = if line.trim_start().starts_with("//") {
                ""
            } else {
                line.split(" // ").next().unwrap_or_default()
            };
            let lower = code.to_lowercase();
            let brand = brands.iter().filter(|_| !importer).copied();
            if let Some(w) = words
                .iter()
                .map(String::as_str)
                .chain(brand)
                .find(|w| lower.contains(&w.to_lowercase()))
            {
                found.push(format!(
                    "{}:{}: `{w}` in {}",
                    f.display(),
                    n + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(read > 40, "only {read} non-test files read");
    assert!(
        found.is_empty(),
        "vendor or pricebook literals in code:\n{}",
        found.join("\n")
    );
}

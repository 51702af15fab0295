//! Tidy checks (rust-analyzer style): the docs tell the truth about the code and CI.

use std::path::{Path, PathBuf};

use crate::support::cli;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// One fenced block of a Markdown page: its info string (`text`, `sh`, `toml file=PATH`) and
/// its body, without the fences.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fenced<'a> {
    pub(crate) info: &'a str,
    pub(crate) body: &'a str,
}

impl Fenced<'_> {
    /// The block's language: the first word of its info string.
    pub(crate) fn lang(&self) -> &str {
        self.info.split_whitespace().next().unwrap_or_default()
    }

    /// The value of `KEY=VALUE` in the info string, if given.
    fn attribute(&self, key: &str) -> Option<&str> {
        self.info
            .split_whitespace()
            .find_map(|w| w.strip_prefix(key)?.strip_prefix('='))
    }
}

/// Every fenced block of a Markdown text, in order. A block opens with a line starting
/// with three backticks and closes at the next line that is three backticks alone.
pub(crate) fn fenced(text: &str) -> Vec<Fenced<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("```") {
        let at_line_start = open == 0 || rest[..open].ends_with('\n');
        let after = &rest[open + 3..];
        let Some((info, body_on)) = after.split_once('\n') else {
            break;
        };
        if !at_line_start {
            rest = after;
            continue;
        }
        let (body, tail) = if let Some(body) = body_on.strip_prefix("```") {
            // An empty block.
            (&body_on[..0], body)
        } else {
            match body_on.split_once("\n```") {
                Some(split) => split,
                None => break,
            }
        };
        out.push(Fenced {
            info: info.trim(),
            body,
        });
        rest = tail;
    }
    out
}

/// A Markdown text's fenced blocks of the given language.
fn blocks<'a>(text: &'a str, lang: &str) -> Vec<&'a str> {
    fenced(text)
        .into_iter()
        .filter(|b| b.lang() == lang)
        .map(|b| b.body)
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
    let shown = section_shows_real_output("## A 2026 example: leaving VMware");
    assert_eq!(shown, 1, "the ranking");
}

/// Splits one shell command line into words, honouring double and single quotes (the docs'
/// commands quote scenario names), and returns the comment after an unquoted `#` apart.
fn shell_words(line: &str) -> (Vec<String>, &str) {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut comment = "";
    for (at, ch) in line.char_indices() {
        match (ch, quote) {
            ('"' | '\'', None) => quote = Some(ch),
            (c, Some(q)) if c == q => quote = None,
            ('#', None) if word.is_empty() => {
                comment = &line[at + 1..];
                break;
            }
            (' ', None) => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            _ => word.push(ch),
        }
    }
    assert!(quote.is_none(), "an unclosed quote in `{line}`");
    if !word.is_empty() {
        words.push(word);
    }
    (words, comment.trim())
}

/// The exit code a command's comment declares (`# exits 2`), else 0.
fn expected_exit(comment: &str) -> u8 {
    let mut words = comment.split_whitespace();
    while let Some(w) = words.next() {
        if w == "exits" {
            let code = words.next().unwrap_or_default();
            return code
                .trim_end_matches(|c: char| !c.is_ascii_digit())
                .parse()
                .unwrap_or_else(|_| panic!("`# exits N` takes a number: `{comment}`"));
        }
    }
    0
}

/// What one `sh` block printed and wrote: per command its standard output, its standard
/// error and the text of every text file it wrote with `-o`, each searched on its own so a
/// shown block cannot straddle two of them.
#[derive(Default)]
struct Printed {
    parts: Vec<String>,
}

/// The outcome of running a page's commands.
pub(crate) struct Checked {
    /// How many commands ran.
    pub(crate) commands: usize,
    /// How many blocks were compared with the real output (or file).
    pub(crate) shown: usize,
    /// Each file a command wrote with `-o`, by the name the page gives it, and where it is.
    pub(crate) written: Vec<(String, PathBuf)>,
    /// The folder the written files are in; removed when this is dropped.
    _scratch: crate::support::Scratch,
}

/// A path's file name as text.
fn file_name(path: &Path) -> Option<&str> {
    path.file_name().and_then(|n| n.to_str())
}

/// Runs a Markdown page's commands and holds every output block it shows against them: the
/// one mechanism for the README and the user guide (`docs/README.md` states it for readers).
///
/// * Every line of a ```` ```sh ```` block is one `hypercost …` command (after an unquoted
///   `#` a comment; `# exits N` declares a non-zero exit code, checked like the default 0).
///   Commands run in order, in-process.
/// * A word with a `/` or a `.` that names a path from the repository's root is given as that
///   path: the pages are read from a clone's root.
/// * `-o NAME` (a bare file name, one the repository's root does not hold) writes into a
///   temporary folder; a later command's word `NAME` means that file.
/// * A ```` ```text ```` block must be a contiguous part of what the commands of the nearest
///   `sh` block before it printed on standard output or standard error, or wrote as text with
///   `-o` (the temporary folder and repository paths shown as the page wrote them).
/// * A fenced block whose info string says `file=PATH` must be a contiguous part of that file
///   (from the repository's root, or one a command wrote).
pub(crate) fn page_shows_real_output(origin: &str, page: &str) -> Checked {
    let scratch = crate::support::Scratch::new();
    let mut written: Vec<(String, PathBuf)> = Vec::new();
    // The text of each text file written, as the page would show it.
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut last: Option<Printed> = None;
    let mut commands = 0;
    let mut shown = 0;
    for block in fenced(page) {
        if block.lang() == "sh" {
            let mut printed = Printed::default();
            for line in block.body.lines().filter(|l| !l.trim().is_empty()) {
                let (words, comment) = shell_words(line);
                if words.is_empty() {
                    continue;
                }
                assert_eq!(
                    words[0], "hypercost",
                    "{origin}: a command starts with `hypercost`: `{line}`"
                );
                commands += 1;
                // (absolute path given, word the page wrote), to show paths as the page did.
                let mut paths: Vec<(String, String)> = Vec::new();
                let mut outputs: Vec<PathBuf> = Vec::new();
                let mut args: Vec<String> = Vec::new();
                for (i, w) in words.iter().enumerate().skip(1) {
                    let after_output = matches!(words[i - 1].as_str(), "-o" | "--output");
                    let path = if after_output {
                        assert!(
                            !w.contains('/') && !w.contains('\\') && !root().join(w).exists(),
                            "{origin}: `-o {w}` names a bare file the repository's root does not hold: `{line}`"
                        );
                        let path = scratch.path().join(w);
                        written.retain(|(name, _)| name != w);
                        written.push((w.clone(), path.clone()));
                        outputs.push(path.clone());
                        Some(path)
                    } else if let Some((_, path)) = written.iter().find(|(name, _)| name == w) {
                        Some(path.clone())
                    } else if !w.starts_with('-')
                        && (w.contains('/') || w.contains('.'))
                        && root().join(w).exists()
                    {
                        Some(root().join(w))
                    } else {
                        None
                    };
                    match path {
                        Some(path) => {
                            let given = path.display().to_string();
                            paths.push((given.clone(), w.clone()));
                            args.push(given);
                        }
                        None => args.push(w.clone()),
                    }
                }
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let run = cli(&args);
                assert_eq!(
                    run.code,
                    expected_exit(comment),
                    "{origin}: `{line}` exits {}:\n{}",
                    run.code,
                    run.stderr
                );
                // Longest first, so a folder never replaces part of a file in it.
                paths.sort_by_key(|(given, _)| std::cmp::Reverse(given.len()));
                let as_written = |text: String| {
                    let mut text = text.replace(&format!("{}/", scratch.path().display()), "");
                    for (given, word) in &paths {
                        text = text.replace(given.as_str(), word);
                    }
                    text
                };
                printed.parts.push(as_written(
                    String::from_utf8(run.stdout).expect("UTF-8 output"),
                ));
                printed.parts.push(as_written(run.stderr));
                for path in outputs.iter().filter(|_| run.code == 0) {
                    let bytes = std::fs::read(path).unwrap_or_else(|e| {
                        panic!("{origin}: `{line}` wrote no {}: {e}", path.display())
                    });
                    if let Ok(text) = String::from_utf8(bytes) {
                        let text = as_written(text);
                        texts.retain(|(name, _)| Some(name.as_str()) != file_name(path));
                        texts.push((file_name(path).unwrap_or_default().to_owned(), text.clone()));
                        printed.parts.push(text);
                    }
                }
            }
            last = Some(printed);
        } else if let Some(file) = block.attribute("file") {
            let text = match texts.iter().find(|(name, _)| name == file) {
                Some((_, text)) => text.clone(),
                None => std::fs::read_to_string(root().join(file))
                    .unwrap_or_else(|e| panic!("{origin}: `file={file}`: {e}")),
            };
            assert!(
                text.contains(block.body),
                "{origin}: this block is not part of {file}; copy it from the file again:\n{}",
                block.body
            );
            shown += 1;
        } else if block.lang() == "text" {
            let printed = last.as_ref().unwrap_or_else(|| {
                panic!(
                    "{origin}: a `text` block follows the `sh` block it shows:\n{}",
                    block.body
                )
            });
            assert!(
                printed.parts.iter().any(|part| part.contains(block.body)),
                "{origin}: output is stale; regenerate this block from the commands of the `sh` block before it:\n{}",
                block.body
            );
            shown += 1;
        }
    }
    Checked {
        commands,
        shown,
        written,
        _scratch: scratch,
    }
}

/// The README section's one command block runs, and every block it shows is the commands'
/// real output; returns how many blocks it shows.
pub(crate) fn section_shows_real_output(heading: &str) -> usize {
    let readme = read("README.md");
    let section = section(&readme, heading);
    assert_eq!(
        blocks(section, "sh").len(),
        1,
        "one command block:\n{section}"
    );
    page_shows_real_output(&format!("README.md, {heading}"), section).shown
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

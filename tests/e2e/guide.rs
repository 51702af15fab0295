//! The user guide (`docs/`) tells the truth: every page's commands run and every output it
//! shows is their real output (the README's mechanism, `tidy::page_shows_real_output`), the
//! index links every page in order, and every link of the guide resolves.

use std::path::{Path, PathBuf};

use calamine::Reader as _;

use crate::support::repo_root;
use crate::tidy::{fenced, page_shows_real_output};

/// The guide's folder.
fn docs() -> PathBuf {
    repo_root().join("docs")
}

/// The task pages, `docs/NN-*.md`, in their order (by file name).
fn pages() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(docs())
        .expect("docs/")
        .map(|e| e.expect("an entry").path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "md")
                && p.file_name().is_some_and(|n| n != "README.md")
        })
        .collect();
    out.sort();
    out
}

/// The file name of a path, as text.
fn name(path: &Path) -> String {
    path.file_name()
        .expect("a file name")
        .to_string_lossy()
        .into_owned()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every page runs its commands, shows their real output, and shows some; every workbook a
/// page writes has the sheets the page names.
#[test]
fn every_page_shows_the_real_output_of_its_commands() {
    let pages = pages();
    assert!(pages.len() >= 7, "a page per task: {pages:?}");
    let mut workbooks = 0;
    for page in &pages {
        let origin = format!("docs/{}", name(page));
        let text = read(page);
        // An indented fence (in a list item) would not be run: the pages keep them flush left.
        let indented: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with(' ') && l.trim_start().starts_with("```"))
            .collect();
        assert!(
            indented.is_empty(),
            "{origin}: indented fences {indented:?}"
        );
        let checked = page_shows_real_output(&origin, &text);
        assert!(checked.commands > 0, "{origin} runs no command");
        assert!(checked.shown > 0, "{origin} shows no output");
        for (file, path) in checked.written.iter().filter(|(f, _)| f.ends_with(".xlsx")) {
            workbooks += 1;
            let book: calamine::Xlsx<_> = calamine::open_workbook(path)
                .unwrap_or_else(|e| panic!("{origin}: {file} is not a workbook: {e}"));
            let sheets = book.sheet_names();
            assert!(!sheets.is_empty(), "{origin}: {file} has sheets");
            for sheet in sheets {
                assert!(
                    text.contains(&format!("*{sheet}*")),
                    "{origin}: the page names {file}'s sheet *{sheet}*"
                );
            }
        }
    }
    assert!(
        workbooks > 0,
        "the guide writes a workbook and names its sheets"
    );
}

/// The index's own commands (none today) and blocks hold too, and its convention is the
/// mechanism's: it names the temporary folder and the `# exits N` comment.
#[test]
fn the_index_states_the_convention_the_test_applies() {
    let index = read(&docs().join("README.md"));
    for words in [
        "temporary folder",
        "# exits 2",
        "```text",
        "file=",
        "repository's root",
    ] {
        assert!(
            index.contains(words),
            "docs/README.md states the convention (`{words}`)"
        );
    }
    page_shows_real_output("docs/README.md", &index);
}

/// The targets of a Markdown text's links `[…](target)`, outside fenced blocks.
fn links(text: &str) -> Vec<String> {
    let mut prose = text.to_owned();
    for block in fenced(text) {
        prose = prose.replacen(block.body, "", 1);
    }
    let mut out = Vec::new();
    for (at, _) in prose.match_indices("](") {
        let rest = &prose[at + 2..];
        if let Some(end) = rest.find(')') {
            out.push(rest[..end].to_owned());
        }
    }
    out
}

/// GitHub's anchor for a heading: lower case, spaces to `-`, punctuation dropped.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a Markdown file's headings.
fn anchors(text: &str) -> Vec<String> {
    let mut prose = text.to_owned();
    for block in fenced(text) {
        prose = prose.replacen(block.body, "", 1);
    }
    prose
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| anchor(l.trim_start_matches('#')))
        .collect()
}

/// The index links every page, in the pages' order, and each page links back to it.
#[test]
fn the_index_links_every_page_in_order() {
    let index = read(&docs().join("README.md"));
    let mut linked: Vec<String> = Vec::new();
    for target in links(&index) {
        let file = target.split('#').next().unwrap_or_default().to_owned();
        if !file.contains('/') && file.ends_with(".md") && !linked.contains(&file) {
            linked.push(file);
        }
    }
    let pages: Vec<String> = pages().iter().map(|p| name(p)).collect();
    assert_eq!(
        linked, pages,
        "docs/README.md links each page once, in order"
    );
    for page in &pages {
        let text = read(&docs().join(page));
        assert!(
            links(&text).iter().any(|l| l == "README.md"),
            "docs/{page} links back to the index"
        );
    }
    let readme = read(&repo_root().join("README.md"));
    assert!(
        links(&readme).iter().any(|l| l == "docs/README.md"),
        "the README links the guide"
    );
}

/// Every relative link of the guide (and the README's link to it) names a file that exists,
/// and a `#fragment` a heading of that file.
#[test]
fn every_guide_link_resolves() {
    let mut files = vec![docs().join("README.md")];
    files.extend(pages());
    let mut checked = 0;
    let mut broken = Vec::new();
    for file in &files {
        let text = read(file);
        for target in links(&text) {
            if target.starts_with("http://") || target.starts_with("https://") {
                continue;
            }
            let (path, fragment) = target.split_once('#').unwrap_or((&target, ""));
            let resolved = if path.is_empty() {
                file.clone()
            } else {
                file.parent().expect("a folder").join(path)
            };
            checked += 1;
            if !resolved.exists() {
                broken.push(format!("{}: {target} (no such file)", name(file)));
            } else if !fragment.is_empty() {
                let headings = anchors(&read(&resolved));
                if !headings.iter().any(|h| h == fragment) {
                    broken.push(format!("{}: {target} (no such heading)", name(file)));
                }
            }
        }
    }
    assert!(checked > 20, "only {checked} links checked");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// The mechanism fails on a shown block that is not the real output: a page whose output block
/// has one figure changed is refused.
#[test]
fn an_altered_output_block_is_refused() {
    let page = read(&pages()[0]);
    let block = fenced(&page)
        .into_iter()
        .find(|b| b.lang() == "text" && b.body.contains('5'))
        .expect("the first page shows a figure")
        .body;
    let altered = page.replacen(block, &block.replacen('5', "6", 1), 1);
    assert_ne!(altered, page);
    let outcome = std::panic::catch_unwind(|| page_shows_real_output("altered page", &altered));
    let message = outcome.err().expect("an altered block is refused");
    let message = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(message.contains("output is stale"), "{message}");
}

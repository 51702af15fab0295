//! Shared helpers: run the CLI in-process, write temporary inputs, read miette reports back.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use hypercost_core::PricebookSet;
use tempfile::TempDir;

/// The bundled pricebooks, parsed once per test binary.
pub(crate) static BOOKS: LazyLock<PricebookSet> =
    LazyLock::new(|| PricebookSet::bundled().expect("bundled pricebooks are valid"));

/// The package directory of these tests (`<repo>/tests`).
pub(crate) fn tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The repository root.
pub(crate) fn repo_root() -> PathBuf {
    tests_dir()
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The example estates, `examples/*.toml`, sorted by name.
pub(crate) fn examples() -> Vec<PathBuf> {
    let dir = repo_root().join("examples");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    out.sort();
    out
}

/// One golden case: its name, the estate it quotes and the folder of its expected outputs.
#[derive(Clone, Debug)]
pub(crate) struct Case {
    pub(crate) name: String,
    pub(crate) estate: PathBuf,
    pub(crate) dir: PathBuf,
}

/// Every golden case, sorted by name: each example `examples/NAME.toml` is the case
/// `tests/cases/NAME/` (its estate is read where it is, never copied, so the example and the
/// case cannot drift), and every other folder of `tests/cases/` holds its own `estate.toml`.
/// A case with both, or a folder with neither, is refused: each estate lives in one place.
pub(crate) fn golden_cases() -> Vec<Case> {
    let root = tests_dir().join("cases");
    let mut out: Vec<Case> = examples()
        .into_iter()
        .map(|estate| {
            let name = estate
                .file_stem()
                .expect("an example has a name")
                .to_string_lossy()
                .into_owned();
            let dir = root.join(&name);
            assert!(
                !dir.join("estate.toml").exists(),
                "tests/cases/{name}/estate.toml would copy examples/{name}.toml: remove it"
            );
            Case { name, estate, dir }
        })
        .collect();
    for entry in std::fs::read_dir(&root).expect("tests/cases") {
        let dir = entry.expect("a directory entry").path();
        let name = dir
            .file_name()
            .expect("a case has a name")
            .to_string_lossy()
            .into_owned();
        let estate = dir.join("estate.toml");
        if estate.is_file() {
            out.push(Case { name, estate, dir });
        } else {
            assert!(
                out.iter().any(|c| c.name == name),
                "tests/cases/{name}/ has no estate.toml and no example examples/{name}.toml"
            );
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// What one in-process run of the CLI produced.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) code: u8,
    pub(crate) stdout: Vec<u8>,
    pub(crate) stderr: String,
}

impl Run {
    /// Standard output as text.
    pub(crate) fn out(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("stdout is UTF-8")
    }

    /// Every miette report on standard error.
    pub(crate) fn reports(&self) -> Vec<Report> {
        parse_reports(&self.stderr)
    }
}

/// Runs `hypercost ARGS…` in-process with `stdin` as standard input, without colour.
pub(crate) fn cli_with_stdin(args: &[&str], stdin: &[u8]) -> Run {
    let mut argv = vec!["hypercost"];
    argv.extend_from_slice(args);
    let mut input = stdin;
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let code = hypercost::run(argv, &mut input, &mut stdout, &mut stderr, false);
    Run {
        code,
        stdout,
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `hypercost ARGS…` in-process with empty standard input.
pub(crate) fn cli(args: &[&str]) -> Run {
    cli_with_stdin(args, b"")
}

/// A temporary directory holding input files; removed when dropped.
pub(crate) struct Scratch {
    dir: TempDir,
}

impl Scratch {
    pub(crate) fn new() -> Scratch {
        Scratch {
            dir: tempfile::Builder::new()
                .prefix("hypercost-e2e-")
                .tempdir()
                .expect("a temporary directory"),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `bytes` to `name` inside the directory and returns the full path.
    pub(crate) fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent directory");
        }
        std::fs::write(&path, bytes).expect("write a scratch file");
        path
    }
}

/// A path as the `&str` the CLI gets.
pub(crate) fn arg(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// One miette report as the CLI prints it without colour (a problem in an option or argument
/// has no snippet: its title is `OPTION: message`, read here as field and message):
///
/// ```text
///   × cluster[0].hostz: unknown field `hostz` in `cluster[0]`
///     ╭─[estate.toml:10:1]
///  …
///   help: did you mean `hosts`? valid fields: …
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Report {
    /// `×` for an error, `⚠` for a warning.
    pub(crate) mark: char,
    pub(crate) field: String,
    pub(crate) message: String,
    pub(crate) file: String,
    pub(crate) line: usize,
    pub(crate) column: usize,
    /// The help text with its wrapped lines joined again (empty when there is none).
    pub(crate) help: String,
}

/// Joins a wrapped continuation line to what came before: a line broken after a hyphen
/// (`citrix-` / `xenserver-5.5`) joins without a space.
fn join_wrapped(acc: &mut String, next: &str) {
    if !(acc.is_empty() || acc.ends_with('-')) {
        acc.push(' ');
    }
    acc.push_str(next);
}

/// Reads every report out of the CLI's standard error.
pub(crate) fn parse_reports(stderr: &str) -> Vec<Report> {
    #[derive(PartialEq)]
    enum In {
        Nothing,
        Title,
        Body,
        Help,
    }
    let mut out: Vec<Report> = Vec::new();
    let mut title = String::new();
    let mut state = In::Nothing;
    for line in stderr.lines() {
        let mark = line
            .strip_prefix("  ")
            .and_then(|l| l.chars().next())
            .filter(|c| *c == '×' || *c == '⚠');
        if let Some(mark) = mark
            && line[2 + mark.len_utf8()..].starts_with(' ')
        {
            title = line[2 + mark.len_utf8() + 1..].to_owned();
            out.push(Report {
                mark,
                field: String::new(),
                message: String::new(),
                file: String::new(),
                line: 0,
                column: 0,
                help: String::new(),
            });
            state = In::Title;
            continue;
        }
        let Some(r) = out.last_mut() else { continue };
        match state {
            In::Title => {
                if let Some(rest) = line.strip_prefix("  │ ") {
                    join_wrapped(&mut title, rest.trim());
                    continue;
                }
                let (field, message) = title.split_once(": ").unwrap_or((&title, ""));
                r.field = field.to_owned();
                r.message = message.to_owned();
                state = In::Body;
                if let Some(at) = header(line) {
                    (r.file, r.line, r.column) = at;
                } else if let Some(help) = line.trim_start().strip_prefix("help: ") {
                    // A problem in an option has no snippet: its help follows the title.
                    r.help = help.trim().to_owned();
                    state = In::Help;
                }
            }
            In::Body => {
                if r.line == 0
                    && let Some(at) = header(line)
                {
                    (r.file, r.line, r.column) = at;
                } else if let Some(help) = line.trim_start().strip_prefix("help: ") {
                    r.help = help.trim().to_owned();
                    state = In::Help;
                }
            }
            In::Help => {
                if line.starts_with("        ") && !line.trim().is_empty() {
                    join_wrapped(&mut r.help, line.trim());
                } else {
                    state = In::Nothing;
                }
            }
            In::Nothing => {}
        }
    }
    if state == In::Title
        && let Some(r) = out.last_mut()
    {
        let (field, message) = title.split_once(": ").unwrap_or((&title, ""));
        r.field = field.to_owned();
        r.message = message.to_owned();
    }
    out
}

/// `FILE:LINE:COL` out of a snippet header `╭─[FILE:LINE:COL]`.
fn header(line: &str) -> Option<(String, usize, usize)> {
    let start = line.find("╭─[")? + "╭─[".len();
    let end = line.rfind(']')?;
    let inner = &line[start..end];
    let (rest, col) = inner.rsplit_once(':')?;
    let (file, line_no) = rest.rsplit_once(':')?;
    Some((file.to_owned(), line_no.parse().ok()?, col.parse().ok()?))
}

/// The 1-based line of the only occurrence of `needle` in `text`.
#[track_caller]
pub(crate) fn line_of(text: &str, needle: &str) -> usize {
    let found: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "`{needle}` should be on exactly one line of the test input, found on {found:?}"
    );
    found[0]
}

/// `text` with the only occurrence of `from` replaced by `to`.
#[track_caller]
pub(crate) fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` should occur exactly once in the test input"
    );
    text.replacen(from, to, 1)
}

/// A writer that fails every write with the given error kind.
pub(crate) struct FailingWriter(pub(crate) io::ErrorKind);

impl Write for FailingWriter {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::Error::new(self.0, "test writer refuses"))
    }

    fn flush(&mut self) -> io::Result<()> {
        Err(io::Error::new(self.0, "test writer refuses"))
    }
}

/// A line diff of two texts for failure messages: the differing region with three lines of
/// context, `-` for expected and `+` for actual, with 1-based line numbers.
pub(crate) fn line_diff(expected: &str, actual: &str) -> String {
    const CONTEXT: usize = 3;
    const MAX: usize = 40;
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let prefix = e.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let suffix = e[prefix..]
        .iter()
        .rev()
        .zip(a[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let mut out = String::new();
    let from = prefix.saturating_sub(CONTEXT);
    out.push_str(&format!(
        "@@ first difference at line {} (expected {} lines, got {}) @@\n",
        prefix + 1,
        e.len(),
        a.len()
    ));
    for (i, l) in e.iter().enumerate().take(prefix).skip(from) {
        out.push_str(&format!("  {:>5} | {l}\n", i + 1));
    }
    let e_end = e.len() - suffix;
    let a_end = a.len() - suffix;
    for (i, l) in e.iter().enumerate().take(e_end).skip(prefix).take(MAX) {
        out.push_str(&format!("- {:>5} | {l}\n", i + 1));
    }
    if e_end - prefix > MAX {
        out.push_str(&format!(
            "- … {} more expected lines\n",
            e_end - prefix - MAX
        ));
    }
    for (i, l) in a.iter().enumerate().take(a_end).skip(prefix).take(MAX) {
        out.push_str(&format!("+ {:>5} | {l}\n", i + 1));
    }
    if a_end - prefix > MAX {
        out.push_str(&format!("+ … {} more actual lines\n", a_end - prefix - MAX));
    }
    for (i, l) in a.iter().enumerate().skip(a_end).take(CONTEXT) {
        out.push_str(&format!("  {:>5} | {l}\n", i + 1));
    }
    if expected.ends_with('\n') != actual.ends_with('\n') {
        out.push_str("(the texts differ in their final newline)\n");
    }
    out
}

#[test]
fn report_parser_reads_wrapped_titles_headers_and_help() {
    let stderr = "  × scenario[0].plan[0].edition: pricebook vmware-vsphere-4.0 prices in USD, but the estate is in
  │ EUR
    ╭─[cur.toml:19:11]
 18 │ cluster = \"prod\"
 19 │ edition = \"vmware-vsphere-4.0/enterprise-plus\"
    ·           ──────────────────┬─────────────────
    ·                             ╰── scenario[0].plan[0].edition
    ╰────
  help: did you mean `vmware-vsphere-4.0`? valid pricebooks: cisco-nexus-1000v-2009, citrix-
        xenserver-5.5, microsoft-hyperv-2008r2

  × TOML syntax: invalid TOML: x
   ╭─[d1.toml:4:17]
 4 │ purchase_date = 2009-02-30
   ╰────

hypercost: 2 problems in cur.toml; nothing was written
";
    let r = parse_reports(stderr);
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].field, "scenario[0].plan[0].edition");
    assert_eq!(
        r[0].message,
        "pricebook vmware-vsphere-4.0 prices in USD, but the estate is in EUR"
    );
    assert_eq!(
        (r[0].file.as_str(), r[0].line, r[0].column),
        ("cur.toml", 19, 11)
    );
    assert_eq!(
        r[0].help,
        "did you mean `vmware-vsphere-4.0`? valid pricebooks: cisco-nexus-1000v-2009, \
         citrix-xenserver-5.5, microsoft-hyperv-2008r2"
    );
    assert_eq!(r[1].field, "TOML syntax");
    assert_eq!((r[1].line, r[1].column), (4, 17));
    assert_eq!(r[1].help, "");
}

#[test]
fn line_diff_shows_the_first_difference_with_context() {
    let d = line_diff("a\nb\nc\nd\ne\n", "a\nb\nX\nd\ne\n");
    assert!(d.contains("first difference at line 3"), "{d}");
    assert!(d.contains("-     3 | c"), "{d}");
    assert!(d.contains("+     3 | X"), "{d}");
    assert!(d.contains("      2 | b"), "{d}");
}

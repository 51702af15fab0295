//! The first hour of a new user: `hypercost init` writes an estate that quotes (with every
//! `--compare` short name its help lists), completions and man pages generate and render,
//! every command class exits by the one rule `--help` states, `--quiet` silences all but
//! errors, and `NO_COLOR` is honoured.

use std::process::{Command, Stdio};

use hypercost::{EXIT_FAILURE, EXIT_INPUT, EXIT_OK, color_wanted, exit_codes_text};
use hypercost_core::init::short_names;

use crate::support::{BOOKS, Scratch, arg, cli, repo_root};

/// The short names `init --help` lists after `short names (`.
fn listed_short_names() -> Vec<String> {
    let help = cli(&["init", "--help"]);
    assert_eq!(help.code, EXIT_OK);
    let text = help.out().split_whitespace().collect::<Vec<_>>().join(" ");
    let list = text
        .split_once("short names (")
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(list, _)| list.to_owned())
        .unwrap_or_else(|| panic!("`init --help` lists the short names:\n{text}"));
    list.split(", ").map(str::to_owned).collect()
}

#[test]
fn init_with_no_options_writes_an_estate_that_quotes_and_never_overwrites_it() {
    let dir = Scratch::new();
    let path = dir.path().join("x.toml");
    let file = arg(&path);
    let run = cli(&["init", "-o", file]);
    assert_eq!(run.code, EXIT_OK, "{}", run.stderr);
    assert!(
        run.stderr.contains("next: hypercost quote"),
        "{}",
        run.stderr
    );
    let written = std::fs::read_to_string(&path).expect("written");
    let quote = cli(&["quote", file]);
    assert_eq!(quote.code, EXIT_OK, "{}\n{written}", quote.stderr);
    assert!(quote.out().contains("Scenarios ranked"));
    // Every key line of the file is explained by a comment above it (first of its kind).
    assert!(written.lines().filter(|l| l.starts_with('#')).count() > 20);
    // A second init to the same file is refused and leaves it alone; --force replaces it.
    let again = cli(&["init", "-o", file, "--hosts", "9"]);
    assert_eq!(again.code, EXIT_INPUT);
    assert!(again.stderr.contains("--force"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(&path).expect("kept"), written);
    let forced = cli(&["init", "-o", file, "--hosts", "9", "--force"]);
    assert_eq!(forced.code, EXIT_OK, "{}", forced.stderr);
    assert!(
        std::fs::read_to_string(&path)
            .expect("replaced")
            .contains("hosts = 9")
    );
}

#[test]
fn every_short_name_the_help_lists_quotes() {
    let listed = listed_short_names();
    // The help's list is the pricebooks' declaration, not a second list.
    assert_eq!(listed, short_names(&BOOKS));
    assert!(listed.len() >= 5, "{listed:?}");
    let dir = Scratch::new();
    for short in &listed {
        let path = dir.path().join(format!("{short}.toml"));
        let file = arg(&path);
        for extra in [&[][..], &["--windows-vms", "20", "--currency", "EUR"][..]] {
            let mut args = vec!["init", "--compare", short, "-o", file, "--force"];
            args.extend_from_slice(extra);
            let run = cli(&args);
            assert_eq!(run.code, EXIT_OK, "{args:?}: {}", run.stderr);
            let quote = cli(&["quote", file, "--format", "json"]);
            assert_eq!(quote.code, EXIT_OK, "{args:?}: {}", quote.stderr);
            let q: serde_json::Value = serde_json::from_slice(&quote.stdout).expect("JSON");
            assert_eq!(q["scenarios"].as_array().map(Vec::len), Some(1), "{short}");
        }
    }
    // Several at once, and an edition id beside a short name.
    let run = cli(&[
        "init",
        "--compare",
        &format!("{},{}", listed[0], "vmware-vcf-2024/vvep"),
        "--date",
        "2026-03-01",
    ]);
    assert_eq!(run.code, EXIT_OK, "{}", run.stderr);
    assert_eq!(
        run.out().lines().filter(|l| *l == "[[scenario]]").count(),
        2
    );
}

#[test]
fn bad_init_values_exit_2_naming_the_option() {
    for (args, option) in [
        (&["init", "--hosts", "0"][..], "--hosts"),
        (&["init", "--sockets", "65"][..], "--sockets"),
        (&["init", "--years", "31"][..], "--years"),
        (&["init", "--needs", "teleport"][..], "--needs"),
        (&["init", "--compare", "nope"][..], "--compare"),
        (&["init", "--currency", "GBP"][..], "--currency"),
        (&["init", "--date", "2026-13-01"][..], "--date"),
        (&["init", "--hosts", "many"][..], "--hosts"),
    ] {
        let run = cli(args);
        assert_eq!(run.code, EXIT_INPUT, "{args:?}");
        assert!(run.stdout.is_empty(), "{args:?}: nothing written");
        assert!(run.stderr.contains(option), "{args:?}: {}", run.stderr);
    }
    // Every problem at once.
    let run = cli(&["init", "--hosts", "0", "--compare", "nope"]);
    assert!(run.stderr.contains("--hosts") && run.stderr.contains("nope"));
}

#[test]
fn completions_generate_for_every_shell_and_name_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = cli(&["completions", shell]);
        assert_eq!(run.code, EXIT_OK, "{shell}: {}", run.stderr);
        let script = run.out();
        for command in [
            "quote",
            "init",
            "import",
            "rvtools",
            "completions",
            "compare",
        ] {
            assert!(script.contains(command), "{shell} completes `{command}`");
        }
    }
    assert_eq!(cli(&["completions", "tcsh"]).code, EXIT_INPUT);
    // bash itself reads the script, when it is installed.
    if let Ok(bash) = which("bash") {
        let dir = Scratch::new();
        let script = dir.write("hypercost.bash", cli(&["completions", "bash"]).stdout);
        let status = Command::new(bash)
            .args(["-n", arg(&script)])
            .status()
            .expect("bash runs");
        assert!(status.success(), "bash -n accepts the completion script");
    }
}

/// The path of a program on `PATH`.
fn which(program: &str) -> Result<std::path::PathBuf, String> {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join(program))
                .find(|p| p.is_file())
        })
        .ok_or_else(|| format!("{program} is not installed"))
}

/// A roff page as text: `man -l` if installed, else `groff -man -Tutf8`; `None` (with a
/// message) when neither is.
#[allow(clippy::print_stderr, reason = "a skipped check says so")]
fn render_man(page: &[u8]) -> Option<String> {
    let (program, args): (&str, &[&str]) = if which("man").is_ok() {
        ("man", &["-l", "-"])
    } else if which("groff").is_ok() {
        ("groff", &["-man", "-Tutf8"])
    } else {
        eprintln!("skipped: neither man nor groff is installed (apt-get install man-db)");
        return None;
    };
    let mut child = Command::new(program)
        .args(args)
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the renderer starts");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(page).expect("page written");
    }
    let out = child.wait_with_output().expect("the renderer ends");
    assert!(
        out.status.success(),
        "{program} renders the page: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let errors = String::from_utf8_lossy(&out.stderr);
    assert!(
        !errors.contains("warning") && !errors.contains("error"),
        "{errors}"
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn man_pages_render_with_man() {
    let page = cli(&["man"]);
    assert_eq!(page.code, EXIT_OK, "{}", page.stderr);
    assert!(page.out().starts_with(".ie") || page.out().contains(".TH"));
    if let Some(text) = render_man(&page.stdout) {
        assert!(text.contains("hypercost"), "{text}");
        assert!(
            text.contains("Exit codes"),
            "the page states the exit codes"
        );
        assert!(
            text.contains("hypercost-init"),
            "the page lists the commands"
        );
    }
    let sub = cli(&["man", "import", "rvtools"]);
    assert_eq!(sub.code, EXIT_OK, "{}", sub.stderr);
    if let Some(text) = render_man(&sub.stdout) {
        assert!(text.contains("hypercost-import-rvtools"), "{text}");
        assert!(text.contains("--hosts"), "{text}");
    }
    let unknown = cli(&["man", "import", "nope"]);
    assert_eq!(unknown.code, EXIT_INPUT);
    assert!(unknown.stderr.contains("rvtools"), "{}", unknown.stderr);
}

/// Every command's path below `cmd`, `cmd` itself included, as its page name.
fn page_names(cmd: &clap::Command, prefix: &str, out: &mut Vec<String>) {
    let name = if prefix.is_empty() {
        cmd.get_name().to_owned()
    } else {
        format!("{prefix}-{}", cmd.get_name())
    };
    for sub in cmd.get_subcommands() {
        page_names(sub, &name, out);
    }
    out.push(name);
}

#[test]
fn man_dir_writes_a_page_per_command() {
    let dir = tempfile::tempdir().expect("temp dir");
    let man1 = dir.path().join("share/man/man1");
    let run = cli(&["man", "--dir", man1.to_str().expect("UTF-8 path")]);
    assert_eq!(run.code, EXIT_OK, "{}", run.stderr);
    let mut want = Vec::new();
    page_names(&hypercost::command(), "", &mut want);
    let mut got: Vec<String> = std::fs::read_dir(&man1)
        .expect("the folder was made")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    got.sort();
    let mut want: Vec<String> = want.iter().map(|n| format!("{n}.1")).collect();
    want.sort();
    assert_eq!(got, want, "one page per command, nested ones too");
    assert!(
        run.stderr
            .contains(&format!("wrote {} man pages", want.len())),
        "{}",
        run.stderr
    );
    let quote = std::fs::read(man1.join("hypercost-quote.1")).expect("the quote page");
    if let Some(text) = render_man(&quote) {
        assert!(text.contains("--format"), "{text}");
    }
    // A folder that cannot be made (a file is in the way) cannot be written: exit 1.
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "x").expect("write");
    let run = cli(&[
        "man",
        "--dir",
        blocker.join("man1").to_str().expect("UTF-8"),
    ]);
    assert_eq!(run.code, EXIT_FAILURE, "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot write the man pages"),
        "{}",
        run.stderr
    );
    // A page and --dir at once is refused.
    let both = cli(&["man", "quote", "--dir", "x"]);
    assert_eq!(both.code, EXIT_INPUT, "{}", both.stderr);
}

#[test]
fn the_exit_codes_are_stated_once_in_help_and_readme() {
    let help = cli(&["--help"]);
    assert!(help.out().contains(&exit_codes_text()), "{}", help.out());
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README");
    assert!(
        readme.contains(&format!("```text\n{}```", exit_codes_text())),
        "the README shows the exit codes as `--help` states them:\n{}",
        exit_codes_text()
    );
}

#[test]
fn every_command_class_exits_by_the_rule() {
    let dir = Scratch::new();
    let bad = dir.write("bad.toml", "format = 1\nname = 3\n");
    let bad_book = dir.write("book.toml", "format = 1\n");
    let bad_csv = dir.write("hosts.csv", "no,such,columns\n1,2,3\n");
    let missing = dir.path().join("no-such-folder");
    let out = |name: &str| missing.join(name).display().to_string();
    let example = repo_root().join("examples/acme-2009.toml");
    let cases: Vec<(Vec<String>, u8)> = vec![
        (vec!["quote".into(), arg(&bad).into()], EXIT_INPUT),
        (
            vec!["quote".into(), "-o".into(), out("q.json")],
            EXIT_FAILURE,
        ),
        (
            vec!["quote".into(), "--format".into(), "xlsx".into()],
            EXIT_INPUT,
        ),
        (
            vec!["sweep".into(), "--vary".into(), "nothing=1..2".into()],
            EXIT_INPUT,
        ),
        (
            vec!["compare".into(), "-o".into(), out("c.csv")],
            EXIT_FAILURE,
        ),
        (
            vec!["pricebook".into(), "check".into(), arg(&bad_book).into()],
            EXIT_INPUT,
        ),
        (
            vec!["import".into(), "hosts".into(), arg(&bad_csv).into()],
            EXIT_INPUT,
        ),
        (
            vec![
                "export".into(),
                "cluster-csv".into(),
                example.display().to_string(),
                "-o".into(),
                out("c.csv"),
            ],
            EXIT_FAILURE,
        ),
        (
            vec!["schema".into(), "estate".into(), "-o".into(), out("s.json")],
            EXIT_FAILURE,
        ),
        (
            vec!["init".into(), "-o".into(), out("x.toml")],
            EXIT_FAILURE,
        ),
        (vec!["init".into(), "--vms".into(), "-1".into()], EXIT_INPUT),
        (vec!["completions".into(), "nosh".into()], EXIT_INPUT),
        (vec!["man".into(), "nope".into()], EXIT_INPUT),
        (vec!["no-such-command".into()], EXIT_INPUT),
        (vec!["--help".into()], EXIT_OK),
        (vec!["--version".into()], EXIT_OK),
    ];
    for (args, code) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = cli(&args);
        assert_eq!(run.code, code, "{args:?}: {}", run.stderr);
        if code != EXIT_OK {
            assert!(
                !run.stderr.is_empty(),
                "{args:?} says why on standard error"
            );
        }
    }
}

#[test]
fn quiet_silences_notes_and_warnings_but_not_errors() {
    let dir = Scratch::new();
    let path = dir.path().join("q.toml");
    let loud = cli(&["init", "-o", arg(&path)]);
    assert!(!loud.stderr.is_empty(), "init says what to do next");
    let quiet = cli(&["init", "-o", arg(&path), "--force", "--quiet"]);
    assert_eq!(quiet.code, EXIT_OK);
    assert_eq!(quiet.stderr, "", "--quiet: nothing on standard error");
    // An import's warnings (unknown columns) go too; the estate is written all the same.
    let workbook = repo_root().join("tests/fixtures/import/rvtools-4x.xlsx");
    let estate = dir.path().join("i.toml");
    let args = [
        "import",
        "rvtools",
        arg(&workbook),
        "--date",
        "2026-11-25",
        "-o",
        arg(&estate),
    ];
    let warned = cli(&args);
    assert_eq!(warned.code, EXIT_OK, "{}", warned.stderr);
    assert!(
        warned.stderr.contains("unknown columns"),
        "{}",
        warned.stderr
    );
    let silent = cli(&[&args[..], &["-q"]].concat());
    assert_eq!(silent.code, EXIT_OK);
    assert_eq!(silent.stderr, "");
    // Errors are never silenced.
    let error = cli(&["-q", "init", "--hosts", "0"]);
    assert_eq!(error.code, EXIT_INPUT);
    assert!(error.stderr.contains("--hosts"), "{}", error.stderr);
}

#[test]
fn no_color_is_honoured() {
    use std::ffi::OsStr;
    assert!(color_wanted(true, None));
    assert!(
        color_wanted(true, Some(OsStr::new(""))),
        "an empty NO_COLOR is unset"
    );
    assert!(!color_wanted(true, Some(OsStr::new("1"))));
    assert!(
        !color_wanted(false, None),
        "never colour for a file or pipe"
    );
    // The colour decision reaches every report: clap's and miette's.
    for args in [&["quote", "--hosts"][..], &["init", "--hosts", "0"][..]] {
        let run = |color: bool| {
            let mut stderr = Vec::new();
            let mut argv = vec!["hypercost"];
            argv.extend_from_slice(args);
            hypercost::run(argv, &mut &b""[..], &mut Vec::new(), &mut stderr, color);
            String::from_utf8(stderr).expect("UTF-8")
        };
        assert!(run(true).contains('\u{1b}'), "{args:?}: colour when wanted");
        assert!(!run(false).contains('\u{1b}'), "{args:?}: none otherwise");
    }
}

/// The README's `init` section runs, and the lines it shows are its real output.
#[test]
fn the_readme_shows_the_real_output_of_init() {
    let shown = crate::tidy::section_shows_real_output("## Start your own estate");
    assert_eq!(shown, 2, "the header and the cluster");
}

//! Outputs that cannot hurt: `-o` never writes over an input, and every text a spreadsheet,
//! a wiki or a browser opens carries user names inert; a workbook is valid or the command
//! fails with the reason.

use crate::support::{Scratch, arg, cli, repo_root};

/// The hand-computed 3-year case, an estate every pricing command reads.
fn estate_text() -> String {
    std::fs::read_to_string(repo_root().join("tests/cases/tco-3-year/estate.toml"))
        .expect("the case estate")
}

#[test]
fn o_never_writes_over_a_file_the_command_read() {
    let dir = Scratch::new();
    let estate = dir.write("estate.toml", estate_text());
    let hosts = dir.write(
        "hosts.csv",
        "VMHOST,CLUSTER,NUM_CPU_SOCKETS,NUM_CPU_CORES_PER_SOCKET\ne1,c,2,16\n",
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(&estate, dir.path().join("link.toml")).expect("symlink");
    let e = arg(&estate);
    let h = arg(&hosts);
    let dotted = format!("{}/./estate.toml", arg(dir.path()));
    let link = dir.path().join("link.toml");
    // The arguments, the output as given, the input it would overwrite.
    let mut cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (vec!["quote", e, "-o", e], e, e),
        (vec!["quote", e, "-o", e, "--format", "json"], e, e),
        (
            vec!["quote", e, "--format", "csv", "-o", &dotted],
            &dotted,
            e,
        ),
        (vec!["compare", e, "-f", "md", "-o", e], e, e),
        (vec!["explain", e, "-f", "json", "-o", e], e, e),
        (vec!["cheapest", e, "-o", e], e, e),
        (vec!["export", "cluster-csv", e, "-o", e], e, e),
        (vec!["import", "hosts", h, "-o", h], h, h),
    ];
    #[cfg(unix)]
    cases.push((
        vec!["quote", e, "-f", "json", "-o", arg(&link)],
        arg(&link),
        e,
    ));
    let before = std::fs::read(&estate).expect("estate");
    let hosts_before = std::fs::read(&hosts).expect("hosts");
    for (args, output, read) in cases {
        let run = cli(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        let r = &run.reports()[0];
        assert_eq!(r.field, "-o", "{args:?}");
        // miette wraps long titles: compare without the spaces it breaks lines at.
        let message = r.message.replace(' ', "");
        assert!(
            message.contains(&format!("writing{output}wouldoverwrite"))
                && message.contains(&format!("{read},afilethiscommandreads")),
            "{args:?}: both paths are named: {}",
            r.message
        );
        assert_eq!(std::fs::read(&estate).expect("estate"), before, "{args:?}");
        assert_eq!(
            std::fs::read(&hosts).expect("hosts"),
            hosts_before,
            "{args:?}: the hosts file is intact"
        );
    }
    // A pricebook given with --pricebook is an input too.
    let book = dir.write(
        "mine.toml",
        std::fs::read(repo_root().join("pricebooks/cisco-nexus-1000v-2009.toml")).expect("a book"),
    );
    let before_book = std::fs::read(&book).expect("book");
    let run = cli(&[
        "quote",
        e,
        "--pricebook",
        arg(&book),
        "-f",
        "json",
        "-o",
        arg(&book),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(std::fs::read(&book).expect("book"), before_book);
    // A new file beside the inputs is fine.
    let out = dir.path().join("quote.json");
    let run = cli(&["quote", e, "-o", arg(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(out.is_file());
}

#[test]
fn a_fixed_output_refuses_another_formats_extension() {
    let dir = Scratch::new();
    let estate = dir.write("estate.toml", estate_text());
    let out = dir.path().join("clusters.json");
    for (args, ext) in [
        (
            vec!["export", "cluster-csv", arg(&estate), "-o", arg(&out)],
            ".csv",
        ),
        (vec!["schema", "estate", "-o", arg(&estate)], ".json"),
    ] {
        let run = cli(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.reports()[0].help.contains(ext), "{}", run.stderr);
    }
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_to_string(&estate).expect("estate"),
        estate_text()
    );
}

/// An estate of two clusters and two scenarios, every name given.
fn named_estate(estate: &str, clusters: [&str; 2], scenarios: [&str; 2]) -> String {
    // A JSON string is a TOML basic string.
    let q = |s: &str| serde_json::Value::String(s.to_owned()).to_string();
    let mut text = format!(
        "format = 1\nname = {}\ncurrency = \"USD\"\npurchase_date = 2009-06-01\nyears = 3\n",
        q(estate)
    );
    for c in clusters {
        text.push_str(&format!(
            "\n[[cluster]]\nname = {}\nhosts = 4\nsockets_per_host = 2\ncores_per_socket = 4\n\
             ram_gb_per_host = 64\nvms = 40\n",
            q(c)
        ));
    }
    for s in scenarios {
        text.push_str(&format!("\n[[scenario]]\nname = {}\n", q(s)));
        for c in clusters {
            text.push_str(&format!(
                "[[scenario.plan]]\ncluster = {}\nedition = \"vmware-vsphere-4.0/enterprise-plus\"\n\
                 support = \"production\"\n",
                q(c)
            ));
        }
    }
    text
}

/// Names a workbook has tripped on, or might: Excel's limits on defined names (255
/// characters, no cell references, a letter first), sheet-name characters, apostrophes,
/// formula-like text, names alike once cut or folded to ASCII.
const HOSTILE: &[&str] = &[
    "[prod]:*?/\\",
    "'quoted'",
    "History",
    "=HYPERLINK(\"http://evil.example\",\"x\")",
    "A1",
    "R1C1",
    "rc",
    "日本",
    "Zürich",
    "1st floor",
    "<script>alert(1)</script>",
];

#[test]
fn hostile_names_give_a_valid_workbook() {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let dir = Scratch::new();
    let long = "x".repeat(300);
    let (long_a, long_b) = (format!("{long}a"), format!("{long}b"));
    let mut cases: Vec<[&str; 2]> = HOSTILE.iter().map(|n| [*n, "prod"]).collect();
    cases.push([&long_a, &long_b]);
    cases.push(["日本", "中国"]);
    for [a, b] in cases {
        let estate = dir.write("estate.toml", named_estate(a, [a, b], [a, b]));
        let out = dir.path().join("quote.xlsx");
        let run = cli(&["quote", arg(&estate), "-o", arg(&out)]);
        assert_eq!(run.code, 0, "{a:?}: {}", run.stderr);
        let bytes = std::fs::read(&out).expect("written");
        let mut wb: Xlsx<_> =
            open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("the workbook opens");
        assert_eq!(
            wb.sheet_names(),
            ["Summary", "Lines", "Assumptions", "Sources"],
            "{a:?}"
        );
        let names = wb.defined_names().to_vec();
        assert!(
            names.iter().any(|(n, _)| n.starts_with("hosts_")),
            "{a:?}: every input has its name: {names:?}"
        );
        // Excel's own names (`_xlnm._FilterDatabase`) aside.
        for (n, _) in names.iter().filter(|(n, _)| !n.starts_with("_xlnm.")) {
            assert!(
                n.len() <= 255 && n.starts_with(|c: char| c.is_ascii_alphabetic()),
                "{n}"
            );
        }
        let summary = wb.worksheet_range("Summary").expect("Summary reads");
        let a1 = summary.get_value((0, 0)).cloned().unwrap_or(Data::Empty);
        assert!(
            matches!(&a1, Data::String(s) if !s.contains("cannot write")),
            "{a:?}: A1 is a title, not an error: {a1:?}"
        );
        let lines = wb.worksheet_range("Lines").expect("Lines reads");
        assert!(
            lines
                .rows()
                .any(|r| r.iter().any(|c| *c == Data::String(a.to_owned()))),
            "{a:?}: the name is on Lines as text"
        );
    }
}

/// Names that run, link or break a table when a wiki, a browser or a spreadsheet opens them.
const ACTIVE: [&str; 2] = [
    "<script>alert(1)</script> | `x` [click](http://evil.example)",
    "=HYPERLINK(\"http://evil.example\",\"x\")",
];

#[test]
fn names_are_inert_in_markdown_html_and_every_csv() {
    let dir = Scratch::new();
    let img = "<img src=x onerror=alert(1)>";
    let estate = dir.write(
        "estate.toml",
        named_estate(
            img,
            [ACTIVE[0], ACTIVE[1]],
            ["+cmd|' /C calc'!A0", "@SUM(1)"],
        ),
    );
    let e = arg(&estate);
    for command in ["quote", "compare", "explain"] {
        let run = cli(&[command, e, "--format", "md"]);
        assert_eq!(run.code, 0, "{command}: {}", run.stderr);
        let md = run.out();
        for raw in ["<script", "<img", "`x`", "[click]"] {
            assert!(!md.contains(raw), "{command}: {raw} is raw in\n{md}");
        }
        assert!(!md.replace("\\]", "").contains("](http"), "a link: {md}");
        if command != "compare" {
            // Compare names scenarios only; the others show the clusters too.
            assert!(
                md.contains("&lt;script&gt;") && md.contains("\\`x\\`"),
                "{md}"
            );
        }
        // Every row of a table has as many cells as its header: no name adds a column.
        let mut width = None;
        for line in md.lines() {
            if !line.starts_with('|') {
                width = None;
                continue;
            }
            let cells = line.replace("\\|", "").matches('|').count();
            assert_eq!(*width.get_or_insert(cells), cells, "{command}: {line}");
        }
    }
    let html = cli(&["quote", e, "--format", "html"]).out();
    assert!(
        !html.contains("<script>alert") && !html.contains("<img src=x"),
        "html escapes"
    );
    assert!(
        html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "askama escapes"
    );
    // Every CSV hypercost writes: no text cell starts as a formula.
    let csvs = [
        cli(&["quote", e, "--format", "csv"]),
        cli(&["compare", e, "--format", "csv"]),
        cli(&["explain", e, "--format", "csv"]),
        cli(&["export", "cluster-csv", e]),
    ];
    for run in csvs {
        assert_eq!(run.code, 0, "{}", run.stderr);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(run.stdout.as_slice());
        let mut names = 0;
        for record in reader.records() {
            for cell in record.expect("a CSV record").iter() {
                let numeric = cell.parse::<rust_decimal::Decimal>().is_ok();
                assert!(
                    numeric || !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "a cell runs as a formula: {cell}"
                );
                names +=
                    usize::from(cell.starts_with(['\'']) && cell[1..].starts_with(['=', '+', '@']));
            }
        }
        assert!(names > 0, "the names are there, neutralised");
    }
}

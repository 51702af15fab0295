//! Every command × every format: `--format F` or `-o FILE.ext` writes that format (JSON
//! parses, CSV has its header, …) or exits 2 naming the formats the result renders as; never a
//! silent table. An unknown extension without `--format` exits 2 naming the known ones.

use hypercost_core::Format;
use serde_json::Value;

use crate::support::{Scratch, arg, cli};

/// Each command's arguments (on the embedded example) and the formats it writes.
const COMMANDS: &[(&[&str], &[&str])] = &[
    (&["quote"], &["table", "json", "csv", "md", "html", "xlsx"]),
    (&["compare"], &["table", "json", "csv", "md"]),
    (
        &["sweep", "--vary", "prod.hosts=2..3"],
        &["table", "json", "csv", "md"],
    ),
    (
        &["sensitivity", "--by", "20"],
        &["table", "json", "csv", "md"],
    ),
    (
        &["uncertainty", "--draws", "50"],
        &["table", "json", "csv", "md"],
    ),
    (
        &["cheapest", "--vendor", "vmware", "--top", "1"],
        &["table", "json", "csv", "md"],
    ),
    (
        &["explain", "--cluster", "prod"],
        &["table", "json", "csv", "md"],
    ),
];

/// The first CSV column of each command's header.
fn csv_header(command: &str) -> &'static str {
    match command {
        "sweep" => "prod.hosts,scenario,",
        "sensitivity" => "rank,input,kind,",
        "cheapest" => "cluster,result,rank,",
        _ => "scenario,",
    }
}

/// Asserts `bytes` are `format`'s output of `command`.
fn check(command: &str, format: Format, bytes: &[u8]) {
    let what = format!("{command} as {format}");
    match format {
        Format::Json => {
            let v: Value = serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(v["format"], 1, "{what}");
        }
        Format::Csv => {
            let text = String::from_utf8(bytes.to_vec()).expect("CSV is UTF-8");
            assert!(text.starts_with(csv_header(command)), "{what}: {text}");
            assert!(text.contains("\r\n"), "{what}: CRLF records");
            let mut reader = csv::Reader::from_reader(bytes);
            let columns = reader.headers().expect("a header").len();
            let rows: Vec<_> = reader.records().map(|r| r.expect("a record")).collect();
            assert!(!rows.is_empty(), "{what}: rows");
            assert!(
                rows.iter().all(|r| r.len() == columns),
                "{what}: rectangular"
            );
        }
        Format::Markdown => {
            let text = String::from_utf8(bytes.to_vec()).expect("Markdown is UTF-8");
            assert!(text.contains("|---"), "{what}: a Markdown table\n{text}");
        }
        Format::Html => assert!(bytes.starts_with(b"<!DOCTYPE html>"), "{what}"),
        Format::Xlsx => assert!(bytes.starts_with(b"PK"), "{what}: a zip container"),
        Format::Table => {
            let text = String::from_utf8(bytes.to_vec()).expect("text");
            assert!(
                !text.starts_with('{') && !text.contains("|---"),
                "{what}: {text}"
            );
        }
    }
}

#[test]
fn every_command_writes_each_format_from_the_extension_or_refuses_it() {
    let dir = Scratch::new();
    for (args, supported) in COMMANDS {
        let command = args[0];
        for &format in Format::ALL {
            for ext in format.extensions() {
                let out = dir
                    .path()
                    .join(format!("{command}-{}.{ext}", format.name()));
                let mut argv = args.to_vec();
                argv.extend(["-o", arg(&out)]);
                let run = cli(&argv);
                if supported.contains(&format.name()) {
                    assert_eq!(run.code, 0, "{argv:?}: {}", run.stderr);
                    assert!(
                        run.stdout.is_empty(),
                        "{argv:?}: the output went to the file"
                    );
                    check(command, format, &std::fs::read(&out).expect("written"));
                } else {
                    assert_eq!(run.code, 2, "{argv:?}: refused");
                    assert!(!out.exists(), "{argv:?}: nothing written");
                    assert!(
                        run.stderr.contains(&format!(
                            "{command} cannot be written as {}; it renders as {}",
                            format.name(),
                            supported.join(", ")
                        )),
                        "{argv:?}: {}",
                        run.stderr
                    );
                }
            }
        }
    }
}

#[test]
fn every_command_writes_each_format_asked_for_on_standard_output_or_refuses_it() {
    for (args, supported) in COMMANDS {
        let command = args[0];
        for &format in Format::ALL {
            let mut argv = args.to_vec();
            argv.extend(["--format", format.name()]);
            let run = cli(&argv);
            if !supported.contains(&format.name()) {
                assert_eq!(run.code, 2, "{argv:?}");
                assert!(run.stdout.is_empty(), "{argv:?}");
                assert!(
                    run.stderr.contains("it renders as table, json"),
                    "{}",
                    run.stderr
                );
            } else if format.is_binary() {
                assert_eq!(run.code, 2, "{argv:?}: not onto a terminal");
                assert!(run.stderr.contains("-o FILE.xlsx"), "{}", run.stderr);
            } else {
                assert_eq!(run.code, 0, "{argv:?}: {}", run.stderr);
                check(command, format, &run.stdout);
            }
        }
    }
}

#[test]
fn the_named_cases_write_what_they_ask_for() {
    let dir = Scratch::new();
    let r = cli(&["explain", "--format", "csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.out()
            .starts_with("scenario,line,cluster,year,kind,item,name,quantity,")
    );

    let x = dir.path().join("x.json");
    let r = cli(&["compare", "-o", arg(&x)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_slice(&std::fs::read(&x).unwrap()).unwrap();
    assert_eq!(v["command"], "compare");

    let s = dir.path().join("s.csv");
    let r = cli(&["sensitivity", "-o", arg(&s)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(&s).unwrap();
    assert!(
        text.starts_with("rank,input,kind,unit,value,low,low total (USD),"),
        "{text}"
    );

    let m = dir.path().join("s.md");
    let r = cli(&["sweep", "--vary", "prod.hosts=2..4", "-o", arg(&m)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(&m).unwrap();
    assert!(
        text.starts_with("| prod.hosts | scenario | total (USD) |"),
        "{text}"
    );
    assert_eq!(
        text.lines().count(),
        2 + 3 * 5,
        "3 points × 5 scenarios: {text}"
    );

    let r = cli(&["explain", "--format", "html"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("explain cannot be written as html; it renders as table, json, csv, md"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_unknown_extension_exits_2_naming_the_known_ones_unless_the_format_is_given() {
    let dir = Scratch::new();
    let out = dir.path().join("out.xyz");
    for (args, _) in COMMANDS {
        let mut argv = args.to_vec();
        argv.extend(["-o", arg(&out)]);
        let run = cli(&argv);
        assert_eq!(run.code, 2, "{argv:?}");
        assert!(!out.exists(), "{argv:?}: nothing written");
        for ext in [".txt", ".json", ".csv", ".md", ".markdown", ".html", ".htm"] {
            assert!(
                run.stderr.contains(ext),
                "{argv:?} names {ext}: {}",
                run.stderr
            );
        }

        argv.extend(["--format", "json"]);
        let run = cli(&argv);
        assert_eq!(run.code, 0, "{argv:?}: {}", run.stderr);
        let v: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
        assert_eq!(v["format"], 1, "{argv:?}");
        std::fs::remove_file(&out).unwrap();
    }
}

#[test]
fn without_an_extension_or_a_format_the_output_is_the_table() {
    let dir = Scratch::new();
    let out = dir.path().join("report");
    let run = cli(&["explain", "-o", arg(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let file = std::fs::read(&out).unwrap();
    assert_eq!(file, cli(&["explain"]).stdout);
    assert!(
        String::from_utf8(file)
            .unwrap()
            .starts_with("How each number is made")
    );
}

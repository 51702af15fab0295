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

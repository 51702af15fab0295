//! Inputs that cannot hurt: `import rvtools -` reads a workbook or a tab CSV from standard
//! input, and a workbook that would inflate past `MAX_INPUT_BYTES` is refused before it is.

use hypercost_core::import::MAX_INPUT_BYTES;

use crate::support::{Scratch, arg, cli, cli_with_stdin, tests_dir};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(tests_dir().join("fixtures/import").join(name)).expect("a fixture")
}

#[test]
fn import_rvtools_reads_standard_input() {
    let by_file = cli(&[
        "import",
        "rvtools",
        arg(&tests_dir().join("fixtures/import/rvtools-4x.xlsx")),
        "--date",
        "2026-11-25",
    ]);
    assert_eq!(by_file.code, 0, "{}", by_file.stderr);
    let piped = cli_with_stdin(
        &["import", "rvtools", "-", "--date", "2026-11-25"],
        &fixture("rvtools-4x.xlsx"),
    );
    assert_eq!(piped.code, 0, "{}", piped.stderr);
    // The same clusters; only the file named in the header differs.
    let body = |out: String| -> String {
        out.lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("name ="))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(body(piped.out()), body(by_file.out()));
    // A tab CSV on standard input is told by its header.
    for (tab, read) in [("vHost", "6 host rows"), ("vInfo", "15 VM rows")] {
        let run = cli_with_stdin(
            &["import", "rvtools", "-", "--date", "2026-11-25"],
            &fixture(&format!("rvtools-4x/RVTools_tab{tab}.csv")),
        );
        assert_eq!(run.code, 0, "{tab}: {}", run.stderr);
        assert!(run.out().contains(read), "{tab}: {}", run.out());
    }
}

#[test]
fn a_workbook_that_would_inflate_past_the_limit_is_refused() {
    // The fixture with every part claiming 4 GiB in its zip directory: a zip bomb's shape
    // without its size.
    let mut bytes = fixture("rvtools-4x.xlsx");
    let huge = u32::MAX - 1;
    assert!(u64::from(huge) > MAX_INPUT_BYTES);
    let starts: Vec<usize> = bytes
        .windows(4)
        .enumerate()
        .filter(|(_, w)| *w == b"PK\x01\x02")
        .map(|(i, _)| i)
        .collect();
    for s in starts {
        bytes[s + 24..s + 28].copy_from_slice(&huge.to_le_bytes());
    }
    let dir = Scratch::new();
    let bomb = dir.write("bomb.xlsx", &bytes);
    let run = cli(&["import", "rvtools", arg(&bomb)]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("bomb.xlsx")
            && run.stderr.contains("inflates to more than 256 MiB")
            && run.stderr.contains("part `"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

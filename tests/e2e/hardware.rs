//! `hypercost hardware list|check`, end to end: the bundled catalogue is listed and passes the
//! check a user runs on a copy of it; a broken copy exits 2 naming the file, line and field;
//! `--hardware FILE` replaces the bundled catalogue.

use crate::support::{Scratch, arg, cli, edit, line_of, repo_root};

/// The bundled catalogue's text, the starting point a user copies.
fn bundled_text() -> String {
    std::fs::read_to_string(repo_root().join("hardware/servers-2026.toml"))
        .expect("the bundled catalogue")
}

#[test]
fn the_bundled_catalogue_passes_hardware_check() {
    let path = repo_root().join("hardware/servers-2026.toml");
    let run = cli(&["hardware", "check", arg(&path)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = run.out();
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.starts_with("ok: ") && out.contains("(servers-2026): "),
        "{out}"
    );
    assert!(out.contains("each with a source"), "{out}");
}

/// Every CPU, server and RAM price is listed with its mark and source, each table's header
/// words over their columns.
#[test]
fn hardware_list_shows_every_part_with_its_price_and_source() {
    let run = cli(&["hardware", "list"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = run.out();
    assert!(
        out.starts_with("servers-2026 (bundled), prices in USD\n"),
        "{out}"
    );
    let row = |start: &str| {
        out.lines()
            .find(|l| l.trim_start().starts_with(start))
            .unwrap_or_else(|| panic!("a row `{start}`:\n{out}"))
    };
    let cpu = row("32c ");
    for cell in [
        "AMD EPYC 9355 (32 cores)",
        " 32 ",
        " 280 ",
        "3,694.00",
        " W ",
        "not re-checked",
    ] {
        assert!(cpu.contains(cell), "`{cell}` in {cpu}");
    }
    let header = out
        .lines()
        .find(|l| l.trim_start().starts_with("id ") && l.contains("cores"))
        .expect("the CPU header");
    // Right-aligned numbers end where their header word ends.
    let end = |line: &str, text: &str| line.find(text).map(|at| at + text.len());
    assert_eq!(
        end(header, "price"),
        end(cpu, "3,694.00"),
        "{header}\n{cpu}"
    );
    assert_eq!(
        header.find("source"),
        cpu.find("AMD EPYC 9005"),
        "{header}\n{cpu}"
    );
    let server = row("2s-2u ");
    for cell in ["7,000.00", "UNVERIFIED", "6144"] {
        assert!(server.contains(cell), "`{cell}` in {server}");
    }
    assert!(out.contains("6.00 per GB [UNVERIFIED]"), "{out}");
    assert!(out.contains("sizes (GB): 128, 256,"), "{out}");
}

#[test]
fn hardware_list_takes_another_catalogue() {
    let dir = Scratch::new();
    let text = edit(
        &bundled_text(),
        "id = \"servers-2026\"",
        "id = \"my-quote\"",
    );
    let text = edit(&text, "price = \"3694.00\"", "price = \"3000.00\"");
    let path = dir.write("my.toml", text);
    let run = cli(&["hardware", "list", "--hardware", arg(&path)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = run.out();
    assert!(
        out.starts_with(&format!("my-quote ({}), prices in USD", arg(&path))),
        "{out}"
    );
    assert!(
        out.contains("3,000.00") && !out.contains("3,694.00"),
        "{out}"
    );
}

/// A broken catalogue exits 2 with every problem at its file, line and field; the good file
/// beside it still gets its `ok:` line.
#[test]
fn hardware_check_reports_every_problem_at_its_line() {
    let dir = Scratch::new();
    let text = edit(&bundled_text(), "cores = 48", "cores = 0");
    let text = edit(&text, "max_ram_gb = 3072", "max_ram = 3072");
    let bad = dir.write("bad.toml", &text);
    let good = repo_root().join("hardware/servers-2026.toml");
    let run = cli(&["hardware", "check", arg(&bad), arg(&good)]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.out().starts_with("ok: ") && run.out().contains("(servers-2026)"));
    let got: Vec<(String, String, usize)> = run
        .reports()
        .into_iter()
        .map(|r| (r.field, r.file, r.line))
        .collect();
    let file = arg(&bad).to_owned();
    let server = line_of(&text, "id = \"2s-1u\"") - 1;
    assert_eq!(
        got,
        vec![
            (
                "cpu[4].cores".to_owned(),
                file.clone(),
                line_of(&text, "cores = 0")
            ),
            ("server[1].max_ram_gb".to_owned(), file.clone(), server),
            (
                "server[1].max_ram".to_owned(),
                file,
                line_of(&text, "max_ram = 3072")
            ),
        ],
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("{}:{}:", arg(&bad), line_of(&text, "cores = 0")))
    );
}

#[test]
fn hardware_check_needs_a_file_and_refuses_a_missing_one() {
    assert_eq!(cli(&["hardware", "check"]).code, 2);
    let dir = Scratch::new();
    let missing = dir.path().join("nothing.toml");
    let run = cli(&["hardware", "check", arg(&missing)]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("cannot read"), "{}", run.stderr);
    let run = cli(&["hardware", "list", "--hardware", arg(&missing)]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

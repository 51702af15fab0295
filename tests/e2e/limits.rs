//! Extreme but valid input through the CLI (issue 13): growth × years that outgrows the VMs a
//! cluster may state is a refusal with exit 2 naming the input and the year, never a panic
//! (exit 101) or a clamped count.

use crate::support::{Scratch, arg, cli, repo_root};

#[test]
fn growth_ten_over_thirty_years_is_refused_not_a_panic() {
    let example =
        std::fs::read_to_string(repo_root().join("examples/acme-2009.toml")).expect("the example");
    let text = example.replace(
        "years = 3\n",
        "years = 30\n\n[costs]\nvm_growth_per_year = 10\n",
    );
    let dir = Scratch::new();
    let estate = dir.write("growth.toml", text);
    let run = cli(&["quote", arg(&estate)]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("costs.vm_growth_per_year")
            && run.stderr.contains("VMs in year 7")
            && run.stderr.contains("more than the 100,000,000"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_sweep_over_growth_and_years_names_the_first_point_it_cannot_price() {
    let example = repo_root().join("examples/acme-2009.toml");
    let run = cli(&[
        "sweep",
        arg(&example),
        "--vary",
        "vm_growth_per_year=0..10",
        "--vary",
        "years=1..30",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    // 96 VMs × 2^20 = 100,663,296 > 100,000,000 in year 21: the first point that outgrows.
    // (miette wraps the message; its parts are checked.)
    assert!(
        run.stderr
            .contains("at the point costs.vm_growth_per_year = 1,")
            && run.stderr.contains("100,663,296 VMs in year")
            && run.stderr.contains("1 problem in --vary"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_200_kb_line_is_not_echoed_whole() {
    let example =
        std::fs::read_to_string(repo_root().join("examples/acme-2009.toml")).expect("the example");
    let long = "x".repeat(200_000);
    let text = example.replace(
        "name = \"prod\"",
        &format!("name = \"prod\"\ngroup = \"{long}\"\nbad_field = 1"),
    );
    let dir = Scratch::new();
    let estate = dir.write("long.toml", text);
    let run = cli(&["quote", arg(&estate)]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.len() < 10_000, "{} bytes", run.stderr.len());
    assert!(
        run.stderr.contains("unknown field `bad_field`"),
        "{}",
        run.stderr
    );
}

/// A thousand bad host counts and a missing scenario: the first fifty are shown, the rest summarised, and the closing line
/// does not count the summary as a problem (it said "51 problems").
#[test]
fn a_thousand_errors_show_fifty_and_say_there_were_more() {
    let mut text = String::from(
        "format = 1\nname = \"many\"\ncurrency = \"USD\"\npurchase_date = 2026-01-01\nyears = 3\n",
    );
    for i in 0..1000 {
        text.push_str(&format!(
            "\n[[cluster]]\nname = \"c{i}\"\nhosts = 0\nsockets_per_host = 2\ncores_per_socket = 16\n"
        ));
    }
    let dir = Scratch::new();
    let estate = dir.write("many.toml", text);
    let run = cli(&["quote", arg(&estate)]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("951 more problems are not shown (1001 in all)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("hypercost: more than 50 problems in "),
        "{}",
        run.stderr.lines().last().unwrap_or_default()
    );
    assert!(
        run.stderr
            .contains("many.toml (the first 50 are shown); nothing was written"),
        "{}",
        run.stderr.lines().last().unwrap_or_default()
    );
    assert!(!run.stderr.contains("51 problems"), "{}", run.stderr);
}

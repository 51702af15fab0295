//! One error, one message, at the right line (issue 13): duplicates are refused at the second
//! occurrence and name the first; a bad value is not also reported as missing.

use super::*;
use crate::diag::Diagnostics;

/// The example estate's text.
fn example() -> String {
    crate::example_estate().text
}

fn refused(text: &str) -> Diagnostics {
    let books = PricebookSet::bundled().expect("bundled");
    match parse_estate(&SourceFile::new("estate.toml", text), &books) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(d) => d,
    }
}

/// 1-based line of the `n`th (0-based) line containing `needle`.
fn line_of(text: &str, needle: &str, n: usize) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .nth(n)
        .map(|(i, _)| i + 1)
        .expect("the needle")
}

#[test]
fn the_same_add_on_twice_in_a_plan_is_refused_at_the_second() {
    let text = example().replacen(
        "addons = [\"cisco-nexus-1000v-2009/nexus-1000v\"]",
        "addons = [\"cisco-nexus-1000v-2009/nexus-1000v\",\n  \"cisco-nexus-1000v-2009/nexus-1000v\"]",
        1,
    );
    let d = refused(&text);
    assert_eq!(d.0.len(), 1, "{d}");
    let p = &d.0[0];
    assert_eq!(p.field, "scenario[0].plan[0].addons");
    assert_eq!(p.line, line_of(&text, "cisco-nexus", 1));
    assert!(p.message.contains("listed twice"), "{p}");
    let first = line_of(&text, "cisco-nexus", 0);
    assert!(
        p.help
            .as_deref()
            .is_some_and(|h| h.contains(&format!("line {first}"))),
        "{p}"
    );
}

#[test]
fn a_duplicate_cluster_or_scenario_name_is_reported_at_the_second_and_names_the_first() {
    let text = example().replacen(
        "[[owned]]",
        "[[cluster]]\nname = \"prod\"\nhosts = 2\nsockets_per_host = 2\ncores_per_socket = 4\n\n[[owned]]",
        1,
    );
    let d = refused(&text);
    let p =
        d.0.iter()
            .find(|p| p.message.contains("duplicate cluster"))
            .expect("reported");
    assert_eq!(p.line, line_of(&text, "name = \"prod\"", 1));
    let first = line_of(&text, "name = \"prod\"", 0);
    assert!(
        p.help
            .as_deref()
            .is_some_and(|h| h.contains(&format!("line {first}"))),
        "{p}"
    );
}

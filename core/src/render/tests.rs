//! The format registry round-trips, and every result renders exactly the formats it lists.

use std::path::Path;

use super::{Format, Report};
use crate::analysis::{cheapest, compare, explain, sensitivity, sweep};
use crate::{PricebookSet, example_estate, parse_estate, quote};

#[test]
fn names_and_extensions_round_trip() {
    let mut names = Vec::new();
    for &f in Format::ALL {
        assert_eq!(Format::from_name(f.name()), Some(f), "{f}");
        assert!(!f.extensions().is_empty(), "{f} has an extension");
        for ext in f.extensions() {
            assert_eq!(Format::from_path(Path::new(&format!("out.{ext}"))), Some(f));
            let upper = format!("OUT.{}", ext.to_ascii_uppercase());
            assert_eq!(Format::from_path(Path::new(&upper)), Some(f), "any case");
            assert!(Format::known_extensions().contains(&format!(".{ext}")));
        }
        assert!(!names.contains(&f.name()), "{f} is named once");
        names.push(f.name());
    }
    assert_eq!(Format::from_path(Path::new("out.txt")), Some(Format::Table));
    assert_eq!(
        Format::from_path(Path::new("out.markdown")),
        Some(Format::Markdown)
    );
    assert_eq!(Format::from_path(Path::new("out.htm")), Some(Format::Html));
    assert_eq!(Format::from_path(Path::new("out.xyz")), None);
    assert_eq!(Format::from_path(Path::new("out")), None);
    assert_eq!(Format::from_name("markdown"), None, "the name is `md`");
    assert_eq!(Format::Markdown.name(), "md");
    assert!(!Format::Json.is_binary());
    #[cfg(feature = "xlsx")]
    assert!(Format::Xlsx.is_binary());
}

#[test]
fn every_result_renders_exactly_the_formats_it_lists() {
    let books = PricebookSet::bundled().unwrap();
    let estate = parse_estate(&example_estate(), &books).unwrap();
    let q = quote(&estate, &books);
    let plan = sweep::SweepPlan::new(&estate, &books, &["prod.hosts=2..3"]).unwrap();
    let search = cheapest::Search {
        vendors: vec!["vmware".into()],
        top: 1,
    };
    let options = sensitivity::Options {
        percent: 50.into(),
        ..sensitivity::Options::default()
    };
    let results: Vec<Box<dyn Report>> = vec![
        Box::new(q.clone()),
        Box::new(compare::compare(&q, None).unwrap()),
        Box::new(plan.run(&books)),
        Box::new(sensitivity::sensitivity(&estate, &books, &options).unwrap()),
        Box::new(cheapest::cheapest(&estate, &books, &search).unwrap()),
        Box::new(explain::explain(&q, None, Some("prod")).unwrap()),
    ];
    for r in &results {
        assert!(r.formats().contains(&Format::Table), "{}", r.kind());
        assert!(r.formats().contains(&Format::Json), "{}", r.kind());
        for &f in Format::ALL {
            match r.render(f) {
                Ok(bytes) => {
                    assert!(
                        r.formats().contains(&f),
                        "{} renders {f} unlisted",
                        r.kind()
                    );
                    assert!(!bytes.is_empty(), "{} as {f}", r.kind());
                }
                Err(e) => {
                    assert!(!r.formats().contains(&f), "{} lists {f}", r.kind());
                    let text = e.to_string();
                    assert!(text.starts_with(&format!("{} cannot be written as {f}", r.kind())));
                    assert!(text.ends_with(&Format::names(r.formats())), "{text}");
                }
            }
        }
        if r.formats().contains(&Format::Csv) {
            let csv = r.render(Format::Csv).unwrap();
            let md = String::from_utf8(r.render(Format::Markdown).unwrap()).unwrap();
            let first = csv.split(|b| *b == b'\r').next().unwrap();
            let columns = String::from_utf8(first.to_vec())
                .unwrap()
                .split(',')
                .count();
            if r.kind() != "quote" {
                let header = md.lines().next().unwrap();
                assert_eq!(header.matches(" | ").count() + 1, columns, "{}", r.kind());
            }
        }
    }
}

#[test]
fn a_refusal_names_what_the_result_renders() {
    let books = PricebookSet::bundled().unwrap();
    let estate = parse_estate(&example_estate(), &books).unwrap();
    let x = explain::explain(&quote(&estate, &books), None, None).unwrap();
    assert_eq!(
        x.render(Format::Html).unwrap_err().to_string(),
        "explain cannot be written as html; it renders as table, json, csv, md"
    );
}

//! `init_estate`: every option's estate reads back and quotes; bad values name their option.

use super::*;
use crate::estate::parse_estate;

fn books() -> PricebookSet {
    PricebookSet::bundled().expect("bundled books")
}

fn date(y: u16, m: u8, d: u8) -> Date {
    Date::new(y, m, d).expect("valid date")
}

fn read(text: &str, books: &PricebookSet) -> Estate {
    parse_estate(&SourceFile::new("init.toml", text), books).expect("the estate reads back")
}

#[test]
fn the_defaults_compare_every_starter_on_sale_and_explain_every_key() {
    let books = books();
    let text = init_estate(&InitOptions::new(date(2026, 3, 1)), &books).expect("writes");
    let estate = read(&text, &books);
    let on_sale: Vec<String> = books
        .starters()
        .into_iter()
        .filter(|s| not_on_sale(&books, &s.edition, date(2026, 3, 1)).is_none())
        .map(|s| s.scenario)
        .collect();
    let names: Vec<String> = estate.scenarios.iter().map(|s| s.name.clone()).collect();
    assert_eq!(names, on_sale);
    assert!(names.len() >= 5, "{names:?}");
    assert_eq!(estate.clusters[0].hosts, DEFAULT_HOSTS);
    assert_eq!(estate.years, DEFAULT_YEARS);
    // Every key line has a comment line above it the first time its table kind appears.
    let lines: Vec<&str> = text.lines().collect();
    let mut seen = std::collections::BTreeSet::new();
    let mut table = String::new();
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with('[') {
            table = (*line).to_owned();
        }
        if let Some((key, _)) = line.split_once(" = ")
            && !line.starts_with('#')
            && seen.insert(format!("{table}.{key}"))
        {
            assert!(
                lines[i - 1].starts_with("# "),
                "`{line}` has no comment above it:\n{text}"
            );
        }
    }
    // A book priced in another currency gets an illustrative rate, said so.
    let costs = estate.costs.expect("an fx rate for the EUR book");
    assert!(!costs.fx.is_empty());
    assert!(costs.fx_source.expect("source").contains("ILLUSTRATIVE"));
}

#[test]
fn every_short_name_resolves_to_a_scenario_that_reads_back() {
    let books = books();
    let shorts = short_names(&books);
    assert!(shorts.len() >= 5, "{shorts:?}");
    for short in &shorts {
        let o = InitOptions {
            compare: vec![short.clone()],
            windows_vms: 10,
            ..InitOptions::new(date(2026, 3, 1))
        };
        let text = init_estate(&o, &books).unwrap_or_else(|p| panic!("{short}: {p:?}"));
        let estate = read(&text, &books);
        assert_eq!(estate.scenarios.len(), 1, "{short}");
    }
}

#[test]
fn a_short_name_of_several_eras_picks_the_one_on_sale() {
    let books = books();
    let shared: Vec<StarterEdition> = books
        .starters()
        .into_iter()
        .filter(|s| s.short.is_some())
        .collect();
    // Data shows a short name two starters share; each date picks the one on sale.
    let Some((a, b)) = shared.iter().enumerate().find_map(|(i, a)| {
        shared[i + 1..]
            .iter()
            .find(|b| b.short == a.short && b.edition.book != a.edition.book)
            .map(|b| (a, b))
    }) else {
        panic!("the bundled books share no short name between eras");
    };
    let short = a.short.clone().expect("short");
    for s in [a, b] {
        let (book, _) = books.item(&s.edition).expect("edition");
        let day = book.on_sale_from.expect("a dated book");
        let (_, edition) = resolve(&books, &short, day).expect("resolves");
        assert_eq!(edition, s.edition, "{short} on {day}");
    }
}

#[test]
fn bad_values_name_their_option() {
    let books = books();
    let base = InitOptions::new(date(2026, 3, 1));
    let cases: Vec<(InitOptions, Input)> = vec![
        (
            InitOptions {
                hosts: 0,
                ..base.clone()
            },
            Input::Hosts,
        ),
        (
            InitOptions {
                sockets: 65,
                ..base.clone()
            },
            Input::Sockets,
        ),
        (
            InitOptions {
                cores: 0,
                ..base.clone()
            },
            Input::Cores,
        ),
        (
            InitOptions {
                ram_gb: 0,
                ..base.clone()
            },
            Input::RamGb,
        ),
        (
            InitOptions {
                years: 31,
                ..base.clone()
            },
            Input::Years,
        ),
        (
            InitOptions {
                needs: vec!["teleport".into()],
                ..base.clone()
            },
            Input::Needs,
        ),
        (
            InitOptions {
                compare: vec!["nope".into()],
                ..base.clone()
            },
            Input::Compare,
        ),
        (
            InitOptions {
                compare: vec!["no-book/x".into()],
                ..base.clone()
            },
            Input::Compare,
        ),
        (
            InitOptions {
                currency: "usd".into(),
                ..base.clone()
            },
            Input::Currency,
        ),
        (
            InitOptions {
                currency: "GBP".into(),
                ..base.clone()
            },
            Input::Currency,
        ),
        (
            InitOptions {
                date: date(2001, 1, 1),
                ..base.clone()
            },
            Input::Date,
        ),
    ];
    for (o, input) in cases {
        let problems = init_estate(&o, &books).expect_err(&format!("{input:?} refused"));
        assert!(
            problems.iter().all(|p| p.input == Some(input)),
            "{input:?}: {problems:?}"
        );
        assert!(problems.iter().all(|p| !p.message.is_empty()));
    }
    let twice = InitOptions {
        compare: vec!["vvf".into(), "vvf".into()],
        ..base
    };
    let p = init_estate(&twice, &books).expect_err("a platform named twice");
    assert_eq!(p[0].input, Some(Input::Compare));
}

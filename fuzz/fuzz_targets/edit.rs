//! `estate::edit_text` and `change_edits` on a valid seed estate, with fuzzed edits (paths,
//! values, cluster indices) and structural changes. An edit either fails with an error or
//! gives text that parses as TOML; the edits of a structural change always apply, and adding
//! or removing a cluster or adding a scenario keeps the estate valid. The result is checked as
//! an estate (refused cleanly, or quoted with its totals checked; rendering every format is
//! the `estate` target's work and made this one 7 runs a second).
#![no_main]

use std::sync::LazyLock;

use arbitrary::Arbitrary;
use hypercost_core::estate::{Change, ChosenPlan, Edit, EditValue, change_edits, edit_text};
use hypercost_core::{Date, SourceFile, parse_estate};
use hypercost_fuzz::{BOOKS, ESTATES, base_estate, check_estate_text_with, check_totals};
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

#[derive(Arbitrary, Debug)]
struct Input {
    base: u8,
    ops: Vec<Op>,
}

#[derive(Arbitrary, Debug)]
enum Op {
    Set(Path, Value),
    Remove(Path),
    Append(Path, Vec<(Key, Value)>),
    Change(FuzzChange),
}

/// A path of the base estate (every key and array in it), one with another index, or any text.
#[derive(Arbitrary, Debug)]
enum Path {
    Known(u16),
    Reindexed(u16, u8),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
enum Key {
    Known(u16),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
enum Value {
    Integer(i64),
    Decimal(i64, u8),
    Text(String),
    Word(u16),
    Bool(bool),
    Date(u16, u8, u8),
    List(Vec<u16>),
}

#[derive(Arbitrary, Debug)]
enum FuzzChange {
    AddCluster,
    RemoveCluster(u8),
    RenameCluster(u8, String),
    AddScenario,
    AddScenarioWith {
        name: String,
        cluster: u8,
        edition: u16,
        support: Option<u16>,
        addons: Vec<u16>,
        use_owned: bool,
    },
}

/// Every path of each base estate: keys (`cluster[0].hosts`, `costs.fx."EUR"`) and arrays.
static PATHS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut out = Vec::new();
    for (_, text) in ESTATES {
        let table: toml::Table = text.parse().expect("a base estate is TOML");
        walk(&table, "", &mut out);
    }
    out.sort();
    out.dedup();
    out
});

fn walk(table: &toml::Table, prefix: &str, out: &mut Vec<String>) {
    for (k, v) in table {
        let bare = !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let key = if bare { k.clone() } else { format!("{k:?}") };
        let path = if prefix.is_empty() {
            key
        } else {
            format!("{prefix}.{key}")
        };
        out.push(path.clone());
        match v {
            toml::Value::Table(t) => walk(t, &path, out),
            toml::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let toml::Value::Table(t) = item {
                        walk(t, &format!("{path}[{i}]"), out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Words an estate value may be: every edition, add-on and upgrade reference, support plan
/// id and feature word of the bundled books.
static WORDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut out = Vec::new();
    for b in BOOKS.books() {
        out.extend(b.items.iter().map(|i| format!("{}/{}", b.id, i.id)));
        out.extend(b.upgrades.iter().map(|u| format!("{}/{}", b.id, u.id)));
        out.extend(b.support.iter().map(|s| s.id.clone()));
    }
    out.extend(BOOKS.feature_words().into_iter().map(str::to_owned));
    out
});

fn pick(list: &[String], n: u16) -> String {
    list.get(usize::from(n) % list.len().max(1))
        .cloned()
        .unwrap_or_default()
}

impl Path {
    fn text(&self) -> String {
        match self {
            Path::Known(n) => pick(&PATHS, *n),
            Path::Reindexed(n, i) => {
                let p = pick(&PATHS, *n);
                match (p.find('['), p.find(']')) {
                    (Some(a), Some(b)) if a < b => format!("{}[{i}]{}", &p[..a], &p[b + 1..]),
                    _ => format!("{p}[{i}]"),
                }
            }
            Path::Raw(s) => s.clone(),
        }
    }
}

impl Key {
    fn text(&self) -> String {
        match self {
            Key::Known(n) => {
                let p = pick(&PATHS, *n);
                let last = p.rsplit('.').next().unwrap_or_default();
                last.split('[').next().unwrap_or_default().to_owned()
            }
            Key::Raw(s) => s.clone(),
        }
    }
}

impl Value {
    fn edit_value(&self) -> Option<EditValue> {
        Some(match self {
            Value::Integer(n) => EditValue::Integer(*n),
            Value::Decimal(m, s) => EditValue::Decimal(Decimal::try_new(*m, u32::from(*s)).ok()?),
            Value::Text(s) => EditValue::Text(s.clone()),
            Value::Word(n) => EditValue::Text(pick(&WORDS, *n)),
            Value::Bool(b) => EditValue::Bool(*b),
            Value::Date(y, m, d) => EditValue::Date(Date::new(*y, *m, *d).ok()?),
            Value::List(words) => EditValue::List(words.iter().map(|n| pick(&WORDS, *n)).collect()),
        })
    }
}

impl FuzzChange {
    fn change(&self) -> Change {
        match self {
            FuzzChange::AddCluster => Change::AddCluster,
            FuzzChange::RemoveCluster(i) => Change::RemoveCluster(usize::from(*i)),
            FuzzChange::RenameCluster(i, name) => {
                Change::RenameCluster(usize::from(*i), name.clone())
            }
            FuzzChange::AddScenario => Change::AddScenario,
            FuzzChange::AddScenarioWith {
                name,
                cluster,
                edition,
                support,
                addons,
                use_owned,
            } => Change::AddScenarioWith {
                name: name.clone(),
                cluster: format!("cluster{cluster}"),
                plan: ChosenPlan {
                    edition: pick(&WORDS, *edition),
                    support: support.map(|s| pick(&WORDS, s)),
                    addons: addons.iter().map(|a| pick(&WORDS, *a)).collect(),
                    use_owned: *use_owned,
                },
            },
        }
    }

    /// Changes that never make a valid estate invalid.
    fn keeps_valid(&self) -> bool {
        matches!(
            self,
            FuzzChange::AddCluster | FuzzChange::RemoveCluster(_) | FuzzChange::AddScenario
        )
    }
}

fn edited(text: &str, edit: Edit) -> Option<String> {
    let out = edit_text(text, std::slice::from_ref(&edit)).ok()?;
    if let Err(e) = out.parse::<toml::Table>() {
        panic!("{edit:?} gives text that is not TOML: {e}\n{out}");
    }
    Some(out)
}

fn apply(text: &str, op: &Op) -> Option<String> {
    match op {
        Op::Set(path, value) => edited(
            text,
            Edit::Set {
                path: path.text(),
                value: value.edit_value()?,
            },
        ),
        Op::Remove(path) => edited(text, Edit::Remove { path: path.text() }),
        Op::Append(array, fields) => {
            let fields = fields
                .iter()
                .map(|(k, v)| Some((k.text(), v.edit_value()?)))
                .collect::<Option<Vec<_>>>()?;
            edited(
                text,
                Edit::Append {
                    array: array.text(),
                    fields,
                },
            )
        }
        Op::Change(c) => {
            let estate = parse_estate(&SourceFile::new("e.toml", text), &BOOKS).ok()?;
            let mut change = c.change();
            if let Change::AddScenarioWith { cluster, .. } = &mut change {
                // The fuzzed number picks one of the estate's clusters, or one it does not have.
                let n: usize = cluster.trim_start_matches("cluster").parse().unwrap_or(0);
                if let Some(named) = estate.clusters.get(n) {
                    *cluster = named.name.clone();
                }
            }
            let edits = change_edits(&estate, &change).ok()?;
            let out = edit_text(text, &edits)
                .unwrap_or_else(|e| panic!("the edits of {change:?} do not apply: {e}\n{edits:?}"));
            if c.keeps_valid()
                && let Err(d) = parse_estate(&SourceFile::new("changed.toml", out.as_str()), &BOOKS)
            {
                panic!("{change:?} makes a valid estate invalid:\n{d}\n{out}");
            }
            Some(out)
        }
    }
}

fuzz_target!(|input: Input| {
    let (name, mut text) = {
        let (n, t) = base_estate(input.base);
        (n, t.to_owned())
    };
    for op in input.ops.iter().take(6) {
        if let Some(next) = apply(&text, op) {
            text = next;
        }
    }
    // Rendering is the `estate` target's work; here the edits are what is fuzzed.
    check_estate_text_with(name, &text, &BOOKS, check_totals);
});

//! `hypercost schema estate|pricebook|quote|hardware`: the committed schemas in `core/schema/`
//! are what the command prints (`HYPERCOST_BLESS=1` rewrites them), and they do not fall behind
//! the data: every key of every bundled pricebook and catalogue, of the example and golden
//! estates and of the golden quotes is declared in its schema.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::support::{Scratch, arg, cli, golden_cases, line_diff, repo_root, tests_dir};

/// Every kind the command prints, by its name.
const KINDS: [&str; hypercost_core::schema::SchemaKind::ALL.len()] = {
    let mut names = [""; hypercost_core::schema::SchemaKind::ALL.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = hypercost_core::schema::SchemaKind::ALL[i].name();
        i += 1;
    }
    names
};

fn bless() -> bool {
    std::env::var_os("HYPERCOST_BLESS").is_some_and(|v| v == "1")
}

fn committed(kind: &str) -> PathBuf {
    repo_root()
        .join("core/schema")
        .join(format!("{kind}.schema.json"))
}

/// The schema as the CLI prints it, parsed.
fn schema(kind: &str) -> Value {
    let run = cli(&["schema", kind]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_slice(&run.stdout).expect("the schema is JSON")
}

#[test]
fn the_committed_schemas_are_what_the_command_prints() {
    let mut problems = Vec::new();
    for kind in KINDS {
        let run = cli(&["schema", kind]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let text = run.out();
        assert!(
            text.ends_with("}\n"),
            "{kind}: pretty JSON with a final newline"
        );
        let path = committed(kind);
        if bless() {
            std::fs::create_dir_all(path.parent().expect("core/schema")).expect("mkdir");
            std::fs::write(&path, &text).expect("write the schema");
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(expected) if expected == text => {}
            Ok(expected) => problems.push(format!(
                "{} is stale (- committed, + printed):\n{}",
                path.display(),
                line_diff(&expected, &text)
            )),
            Err(e) => problems.push(format!("{}: {e}", path.display())),
        }
    }
    assert!(
        problems.is_empty(),
        "re-run with HYPERCOST_BLESS=1 and review the diff:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_schema_is_draft_2020_12_with_a_title() {
    for kind in KINDS {
        let s = schema(kind);
        assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
        assert!(s["title"].is_string(), "{kind}");
        assert!(s["description"].is_string(), "{kind}");
    }
}

#[test]
fn output_goes_to_a_file_with_dash_o() {
    let dir = Scratch::new();
    let out = dir.path().join("estate.schema.json");
    let run = cli(&["schema", "estate", "-o", arg(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert_eq!(
        std::fs::read(&out).expect("written"),
        cli(&["schema", "estate"]).stdout
    );
}

#[test]
fn an_unknown_schema_kind_exits_2_naming_the_valid_ones() {
    let run = cli(&["schema", "nonsense"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    for kind in KINDS {
        assert!(run.stderr.contains(kind), "{}", run.stderr);
    }
}

#[test]
fn the_toml_schemas_describe_the_readers_fields() {
    let estate = schema("estate");
    let cluster = resolve(&estate, &estate["$defs"]["Cluster"]);
    for key in ["vm_ram_gb", "windows_vms", "group", "needs"] {
        assert!(
            cluster["properties"][key]["description"].is_string(),
            "{key}"
        );
    }
    let costs = resolve(&estate, &estate["$defs"]["Costs"]);
    for key in ["fx", "fx_date", "fx_source"] {
        assert!(costs["properties"].get(key).is_some(), "{key}");
    }
    assert_eq!(costs["dependentRequired"]["fx"][0], "fx_date");
    let book = schema("pricebook");
    assert_eq!(book["properties"]["uniform_edition"]["type"], "boolean");
    let rule = resolve(&book, &book["$defs"]["Rule"]);
    assert_eq!(
        consts(&book, &rule["properties"]["kind"]),
        ["min-order", "core-cap", "surcharge", "discount", "capacity"]
    );
    for key in [
        "applies_to",
        "units",
        "cores",
        "above_cap",
        "percent",
        "from",
        "until",
        "default",
        "source",
        "confidence",
        "note",
    ] {
        assert!(
            rule["properties"][key]["description"].is_string(),
            "rule.{key}"
        );
    }
    assert_eq!(
        consts(&book, &book["$defs"]["Price"]["properties"]["confidence"]),
        ["P", "S", "W", "C", "UNVERIFIED"]
    );
    assert_eq!(
        consts(&book, &book["$defs"]["Edition"]["properties"]["term"]),
        ["perpetual", "subscription"]
    );
    assert_eq!(
        consts(&book, &book["$defs"]["Metric"]["properties"]["kind"]),
        [
            "per-socket",
            "per-core",
            "per-server",
            "per-processors",
            "per-vm",
            "per-instance",
            "per-user",
            "per-device",
            "per-tib",
            "per-vm-cores",
            "kit",
            "free"
        ]
    );
}

#[test]
fn money_in_the_quote_schema_is_a_string_with_two_decimals() {
    let q = schema("quote");
    let money = &q["$defs"]["Money"];
    assert_eq!(money["type"], "string");
    assert!(
        money["description"]
            .as_str()
            .expect("described")
            .contains("two decimals")
    );
    let pattern = money["pattern"].as_str().expect("a pattern");
    assert_eq!(pattern, r"^-?[0-9]+\.[0-9]{2}$");
    for def in ["ScenarioQuote", "Ranked", "YearTotal"] {
        assert_eq!(
            q["$defs"][def]["properties"]["total"]["$ref"], "#/$defs/Money",
            "{def}.total"
        );
    }
    assert_eq!(
        q["$defs"]["Line"]["properties"]["amount"]["$ref"],
        "#/$defs/Money"
    );
}

/// The values an enumeration allows, whether written as `enum` or as `oneOf` of `const`s.
fn consts<'a>(root: &'a Value, s: &'a Value) -> Vec<&'a str> {
    let s = resolve(root, s);
    if let Some(values) = s.get("enum").and_then(Value::as_array) {
        return values.iter().filter_map(Value::as_str).collect();
    }
    s.get("oneOf")
        .and_then(Value::as_array)
        .expect("an enumeration")
        .iter()
        .filter_map(|k| k["const"].as_str())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Drift: every key in the data is declared in the schema.

/// Follows `$ref`s (`#/$defs/Name`) until a schema that is not a reference.
fn resolve<'a>(root: &'a Value, mut s: &'a Value) -> &'a Value {
    for _ in 0..32 {
        match s.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let name = r.strip_prefix("#/$defs/").expect("local $defs references");
                s = &root["$defs"][name];
            }
            None => return s,
        }
    }
    panic!("a $ref cycle")
}

/// Every schema that applies to the same instance as `s`: itself (resolved) and its `allOf`,
/// `anyOf`, `oneOf` branches, recursively.
fn branches<'a>(root: &'a Value, s: &'a Value, out: &mut Vec<&'a Value>) {
    let s = resolve(root, s);
    out.push(s);
    for key in ["allOf", "anyOf", "oneOf"] {
        for b in s.get(key).and_then(Value::as_array).into_iter().flatten() {
            branches(root, b, out);
        }
    }
}

/// The schema of key `key` of an object described by `s`: a declared property (not `false`),
/// or a map's `additionalProperties`.
fn property<'a>(root: &'a Value, s: &'a Value, key: &str) -> Option<&'a Value> {
    let mut all = Vec::new();
    branches(root, s, &mut all);
    let declared = all.iter().find_map(|b| {
        b.get("properties")
            .and_then(|p| p.get(key))
            .filter(|p| **p != Value::Bool(false))
    });
    declared.or_else(|| {
        all.iter().find_map(|b| {
            b.get("additionalProperties")
                .filter(|a| a.is_object() || **a == Value::Bool(true))
        })
    })
}

/// The schema of an array's elements.
fn items<'a>(root: &'a Value, s: &'a Value) -> Option<&'a Value> {
    let mut all = Vec::new();
    branches(root, s, &mut all);
    all.iter().find_map(|b| b.get("items"))
}

/// Reports every key path of `value` that the schema `s` does not declare.
fn undeclared(root: &Value, s: &Value, value: &Value, path: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match property(root, s, k) {
                    Some(sub) => undeclared(root, sub, v, &p, out),
                    None => out.push(p),
                }
            }
        }
        Value::Array(list) => match items(root, s) {
            Some(sub) => {
                for (i, v) in list.iter().enumerate() {
                    undeclared(root, sub, v, &format!("{path}[{i}]"), out);
                }
            }
            None => out.push(format!("{path}[]")),
        },
        _ => {}
    }
}

/// A TOML file as JSON (dates become strings, as a JSON Schema validator sees them).
fn toml_as_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value: toml::Value =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    to_json(value)
}

fn to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(to_json).collect()),
        toml::Value::Table(t) => Value::Object(
            t.into_iter()
                .map(|(k, v)| (k, to_json(v)))
                .collect::<Map<_, _>>(),
        ),
    }
}

fn files_in(dir: &Path, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| keep(p))
        .collect();
    out.sort();
    out
}

/// The golden case folders' files with this name.
fn case_files(name: &str) -> Vec<PathBuf> {
    files_in(&tests_dir().join("cases"), |p| p.join(name).is_file())
        .into_iter()
        .map(|p| p.join(name))
        .collect()
}

fn check_all(kind: &str, files: &[(PathBuf, Value)]) {
    let root = schema(kind);
    let mut problems = Vec::new();
    for (path, value) in files {
        let mut missing = Vec::new();
        undeclared(&root, &root, value, "", &mut missing);
        for m in missing {
            problems.push(format!("{}: `{m}`", path.display()));
        }
    }
    assert!(
        problems.is_empty(),
        "keys the {kind} schema does not declare (add them to core/src/schema.rs, then bless):\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_key_of_every_bundled_pricebook_is_in_the_pricebook_schema() {
    let books: Vec<(PathBuf, Value)> = files_in(&repo_root().join("pricebooks"), |p| {
        p.extension().is_some_and(|x| x == "toml")
    })
    .into_iter()
    .map(|p| {
        let v = toml_as_json(&p);
        (p, v)
    })
    .collect();
    assert!(books.len() >= 5, "the bundled books: {books:?}");
    check_all("pricebook", &books);
}

#[test]
fn every_key_of_every_catalogue_is_in_the_hardware_schema() {
    let mut files: Vec<PathBuf> = files_in(&repo_root().join("hardware"), |p| {
        p.extension().is_some_and(|x| x == "toml")
    });
    files.push(tests_dir().join("cases/reshape-2026/hardware.toml"));
    files.push(tests_dir().join("fixtures/reshape/bench-200.toml"));
    let catalogues: Vec<(PathBuf, Value)> = files
        .into_iter()
        .map(|p| {
            let v = toml_as_json(&p);
            (p, v)
        })
        .collect();
    check_all("hardware", &catalogues);
}

/// `hypercost pricebook check` accepts every bundled book, one `ok:` line each, naming the
/// book's id (its file stem): what a user runs on a copy of a bundled book is green on the
/// original.
#[test]
fn every_bundled_pricebook_passes_pricebook_check() {
    let books = files_in(&repo_root().join("pricebooks"), |p| {
        p.extension().is_some_and(|x| x == "toml")
    });
    let paths: Vec<&str> = books
        .iter()
        .map(|p| p.to_str().expect("UTF-8 paths"))
        .collect();
    let mut args = vec!["pricebook", "check"];
    args.extend(&paths);
    let run = cli(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = run.out();
    for book in &books {
        let stem = book.file_stem().and_then(|s| s.to_str()).expect("a stem");
        assert!(
            out.lines()
                .any(|l| l.starts_with("ok: ") && l.contains(&format!("({stem}): "))),
            "no ok line for {stem}:\n{out}"
        );
    }
    assert_eq!(out.lines().count(), books.len(), "{out}");
}

/// `hypercost pricebook list`: one row per bundled book, and every header word starts where
/// its column does in the rows (the header once lacked the vendor column and sat 8 columns off).
#[test]
fn pricebook_list_has_a_row_per_book_under_its_header() {
    let run = cli(&["pricebook", "list"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = run.out();
    let mut lines = out.lines();
    let header = lines.next().expect("a header");
    let rows: Vec<&str> = lines.collect();
    let books = files_in(&repo_root().join("pricebooks"), |p| {
        p.extension().is_some_and(|x| x == "toml")
    });
    assert_eq!(rows.len(), books.len(), "{out}");
    let row = rows
        .iter()
        .find(|r| r.starts_with("vmware-vcf-2024 "))
        .expect("the VCF row");
    for (word, value) in [
        ("vendor", "vmware"),
        ("cur", "USD"),
        ("on sale", "from 2023-12-13"),
    ] {
        // Whole cells: a space before each (the id column is first).
        let at = |line: &str, text: &str| line.find(&format!(" {text}"));
        assert_eq!(at(header, word), at(row, value), "{word}:\n{header}\n{row}");
    }
}

#[test]
fn every_key_of_the_example_and_golden_estates_is_in_the_estate_schema() {
    let estates: Vec<PathBuf> = golden_cases().into_iter().map(|c| c.estate).collect();
    let estates: Vec<(PathBuf, Value)> = estates
        .into_iter()
        .map(|p| {
            let v = toml_as_json(&p);
            (p, v)
        })
        .collect();
    check_all("estate", &estates);
}

#[test]
fn every_key_of_every_golden_quote_is_in_the_quote_schema() {
    let quotes: Vec<(PathBuf, Value)> = case_files("quote.json")
        .into_iter()
        .map(|p| {
            let text = std::fs::read(&p).expect("a golden quote");
            (p, serde_json::from_slice(&text).expect("golden JSON"))
        })
        .collect();
    assert!(!quotes.is_empty());
    check_all("quote", &quotes);
}

#[test]
fn the_drift_check_finds_an_undeclared_key() {
    // The checker itself: a misspelt key, a key in a nested array of tables, an alias map entry.
    let root = schema("estate");
    let mut value = toml_as_json(&repo_root().join("examples/acme-2009.toml"));
    value["cluster"][0]["hostz"] = Value::from(8);
    value["scenario"][1]["plan"][0]["suport"] = Value::from("production");
    value["costs"] = serde_json::json!({ "fx": { "EUR": "1.08" }, "fx_date": "2025-06-02" });
    let mut missing = Vec::new();
    undeclared(&root, &root, &value, "", &mut missing);
    assert_eq!(
        missing,
        ["cluster[0].hostz", "scenario[1].plan[0].suport"],
        "map keys under `fx` are declared by additionalProperties"
    );
    let book_root = schema("pricebook");
    let mut book = toml_as_json(&repo_root().join("pricebooks/vmware-vsphere-4.0.toml"));
    book["edition"][0]["metric"]["cores_cap"] = Value::from(6);
    let mut missing = Vec::new();
    undeclared(&book_root, &book_root, &book, "", &mut missing);
    assert_eq!(missing, ["edition[0].metric.cores_cap"]);
}

/// The estate with one declared number set: a cluster field in the example's only cluster, a
/// cost field in a new `[costs]` table.
/// The example with `key = value` in table `table`: `cluster` (prod's), `costs` or `sizing`.
fn estate_with(table: &str, key: &str, value: &str) -> String {
    let example = hypercost_core::example_estate().text;
    if table != "cluster" {
        return format!("{example}\n[{table}]\n{key} = \"{value}\"\n");
    }
    let mut out = String::new();
    for line in example.lines() {
        if line.split('=').next().map(str::trim) == Some(key) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if line == "name = \"prod\"" {
            out.push_str(&format!("{key} = \"{value}\"\n"));
        }
    }
    out
}

/// Every declared estate number: the schema's type, bounds and default are the declaration's,
/// and the reader accepts a value exactly when the schema allows it, at and beyond each end.
#[test]
fn the_schema_and_the_reader_agree_on_every_declared_number() {
    use hypercost_core::estate::{Cluster, Costs, FieldSpec, InputTable, Sizing};
    use rust_decimal::Decimal;
    let books = hypercost_core::PricebookSet::bundled().expect("bundled books");
    let estate = schema("estate");
    let tables: [(&str, &str, Vec<&FieldSpec>); 3] = [
        ("Cluster", "cluster", Cluster::specs().collect()),
        ("Costs", "costs", Costs::specs().collect()),
        ("Sizing", "sizing", Sizing::specs().collect()),
    ];
    let mut checked = 0;
    for (def, cluster, specs) in tables {
        let props = &resolve(&estate, &estate["$defs"][def])["properties"];
        for spec in specs {
            let p = &props[spec.key];
            let key = spec.key;
            let want_type = if spec.bounds.integer {
                serde_json::json!("integer")
            } else {
                serde_json::json!(["string", "number"])
            };
            assert_eq!(p["type"], want_type, "{def}.{key} type");
            assert_eq!(
                p["default"],
                spec.default.map_or(Value::Null, |d| {
                    // Whole defaults are numbers; others (0.2) decimal text.
                    if d.fract().is_zero() {
                        Value::from(d.mantissa() as i64 / 10i64.pow(d.scale()))
                    } else {
                        Value::from(d.to_string())
                    }
                }),
                "{def}.{key} default"
            );
            let number = |k: &str| p[k].as_i64().map(Decimal::from);
            let (low, low_open) = match (number("minimum"), number("exclusiveMinimum")) {
                (Some(l), None) => (l, false),
                (None, Some(l)) => (l, true),
                other => panic!("{def}.{key}: one lower bound, got {other:?}"),
            };
            assert_eq!(
                (low, low_open),
                (spec.bounds.low, spec.bounds.low_open),
                "{def}.{key} low"
            );
            let high = match (number("maximum"), number("exclusiveMaximum")) {
                (Some(h), None) => Some((h, false)),
                (None, Some(h)) => Some((h, true)),
                (None, None) => None,
                other => panic!("{def}.{key}: one upper bound, got {other:?}"),
            };
            assert_eq!(high.map(|h| h.0), spec.bounds.high, "{def}.{key} high");
            let step = if spec.bounds.integer {
                Decimal::ONE
            } else {
                Decimal::new(1, 2)
            };
            let mut probes = vec![(low, !low_open), (low - step, false)];
            if let Some((h, open)) = high {
                probes.extend([(h, !open), (h + step, false)]);
            }
            for (value, allowed) in probes {
                let text = estate_with(cluster, key, &value.to_string());
                let text = if spec.bounds.integer {
                    text.replace(&format!("{key} = \"{value}\""), &format!("{key} = {value}"))
                } else {
                    text
                };
                let file = hypercost_core::SourceFile::new("probe.toml", &text);
                let read = hypercost_core::parse_estate(&file, &books);
                let refused_here = read
                    .as_ref()
                    .err()
                    .is_some_and(|d| d.0.iter().any(|p| p.field.ends_with(key)));
                assert_eq!(read.is_ok(), allowed, "{def}.{key} = {value}: {read:?}");
                assert_eq!(
                    refused_here, !allowed,
                    "{def}.{key} = {value} refused at its field"
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 4 * 15, "{checked} probes");
}

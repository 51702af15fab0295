//! Comments for an estate's text from the estate JSON Schema: above the first of each kind of
//! table and the first of each key in it, the schema's description; at the end of the first
//! block of each kind, the keys it could also have. The words are the schema's (and through it
//! the declarations' in `estate.rs`), so a key is explained the way `hypercost schema estate`
//! and editors explain it, and a new key is explained without an edit here.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::schema::{SchemaKind, json};

/// Comment lines are wrapped to this width, as the reports are to 100 columns.
const WIDTH: usize = 96;

/// `text` as `# ` comment lines of at most [`WIDTH`] columns (a longer word stays whole).
pub(super) fn wrap(text: &str) -> String {
    let mut out = String::new();
    let mut line = String::from("#");
    for word in text.split_whitespace() {
        if line.len() > 1 && line.len() + 1 + word.len() > WIDTH {
            out.push_str(&line);
            out.push('\n');
            line = String::from("#");
        }
        line.push(' ');
        line.push_str(word);
    }
    if line.len() > 1 {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The schema object a property leads to: its `$ref`, or its items' (an array of tables).
fn target<'a>(root: &'a Value, property: &'a Value) -> &'a Value {
    let reference = property
        .get("$ref")
        .or_else(|| property.get("items").and_then(|i| i.get("$ref")))
        .and_then(Value::as_str);
    match reference.and_then(|r| r.strip_prefix("#/$defs/")) {
        Some(name) => root.pointer(&format!("/$defs/{name}")).unwrap_or(property),
        None => property,
    }
}

/// The schema of the table at a dotted path (`scenario.plan`); the root for `""`.
fn table<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .filter(|p| !p.is_empty())
        .try_fold(root, |def, key| {
            Some(target(root, def.get("properties")?.get(key)?))
        })
}

/// The description of `key` in the table schema `def`.
fn description<'a>(def: &'a Value, key: &str) -> Option<&'a str> {
    def.get("properties")?
        .get(key)?
        .get("description")?
        .as_str()
}

/// How a key the block does not write would look: `[[owned]]` for an array of tables,
/// `[costs]` for a table, else the key.
fn shown(root: &Value, def: &Value, key: &str) -> String {
    let Some(property) = def.get("properties").and_then(|p| p.get(key)) else {
        return key.to_owned();
    };
    let is_table = |v: &Value| v.get("properties").is_some();
    match property.get("items") {
        Some(items) if is_table(target(root, items)) => format!("[[{key}]]"),
        _ if is_table(target(root, property)) => format!("[{key}]"),
        _ => key.to_owned(),
    }
}

/// The estate text with its comments (see the module doc).
pub(super) fn annotate(text: &str) -> String {
    let schema: Value = serde_json::from_str(&json(SchemaKind::Estate)).unwrap_or_default();
    let headers: BTreeSet<&str> = text
        .lines()
        .filter(|l| l.starts_with('['))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']'))
        .collect();
    let mut out = String::with_capacity(text.len() * 3);
    let mut path = String::new();
    let mut seen: BTreeSet<String> = BTreeSet::from([String::new()]);
    let mut first = true;
    let mut keys: Vec<String> = Vec::new();
    let mut open = true;
    // At the end of the first block of its kind: the keys it does not write.
    let finish = |out: &mut String, path: &str, keys: &[String], first: bool| {
        let Some(def) = table(&schema, path).filter(|_| first) else {
            return;
        };
        let child = |k: &str| {
            let full = if path.is_empty() {
                k.to_owned()
            } else {
                format!("{path}.{k}")
            };
            headers.contains(full.as_str())
        };
        let others: Vec<String> = def
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|p| p.keys())
            .filter(|k| !keys.contains(k) && !child(k))
            .map(|k| shown(&schema, def, k))
            .collect();
        if !others.is_empty() {
            out.push_str(&wrap(&format!(
                "Also possible here (`hypercost schema estate` explains each): {}.",
                others.join(", ")
            )));
        }
    };
    for line in text.lines() {
        if line.starts_with('[') {
            if open {
                finish(&mut out, &path, &keys, first);
            }
            path = line.trim_matches(|c| c == '[' || c == ']').to_owned();
            first = seen.insert(path.clone());
            keys.clear();
            open = true;
            let (parent, key) = path.rsplit_once('.').unwrap_or(("", path.as_str()));
            if first && let Some(d) = table(&schema, parent).and_then(|def| description(def, key)) {
                out.push_str(&wrap(d));
            }
        } else if line.trim().is_empty() {
            if open {
                finish(&mut out, &path, &keys, first);
                open = false;
            }
        } else if let Some((key, _)) = line.split_once(" = ") {
            let key = key.trim();
            if first && let Some(d) = table(&schema, &path).and_then(|def| description(def, key)) {
                out.push_str(&wrap(d));
            }
            keys.push(key.to_owned());
        }
        out.push_str(line);
        out.push('\n');
    }
    if open {
        finish(&mut out, &path, &keys, first);
    }
    out
}

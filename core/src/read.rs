//! Reading a spanned TOML tree while collecting every problem.
//!
//! serde with `deny_unknown_fields` stops at the first error; a user fixing an estate wants
//! all of them at once, each at its line and column. So the text is parsed into `toml`'s
//! spanned tree (`DeTable`), and this module walks it: each accessor records the key it was
//! asked for (to list valid fields and catch unknown ones), converts the value, and reports a
//! diagnostic naming the field path and what would be valid. Floats are read from their source
//! text, so `0.1` is exactly 0.1.

use std::ops::Range;

use rust_decimal::Decimal;
use toml::Spanned as TSpanned;
use toml::de::{DeTable, DeValue};

use crate::date::Date;
use crate::diag::{Collector, SHOWN, SYNTAX, help_for};
use crate::money::parse_decimal;
use crate::source::Spanned;

/// Parses TOML text. Syntax errors are reported, and the recovered tree is still returned so
/// that the problems elsewhere in the file are reported in the same run (the collector drops
/// follow-on problems on the broken lines).
pub(crate) fn parse_document<'i>(
    c: &mut Collector<'_>,
    text: &'i str,
) -> Option<TSpanned<DeTable<'i>>> {
    // A NUL or another control character is no TOML at all (a binary or UTF-16 file, a
    // corrupted copy): said once per line, as what it is, and nothing is read from the
    // garbled tree (its follow-ons would be noise).
    let mut control_lines = 0;
    let mut last_line = None;
    for (at, ch) in text
        .char_indices()
        .filter(|(_, ch)| ch.is_control() && !matches!(ch, '\t' | '\n' | '\r'))
    {
        let line = c.line(at);
        if last_line == Some(line) {
            continue;
        }
        last_line = Some(line);
        control_lines += 1;
        let what = if ch == '\0' {
            "a NUL byte".to_owned()
        } else {
            format!("the control character U+{:04X}", u32::from(ch))
        };
        // Naming the field reads the text before it: only for problems that will be shown.
        let field = (control_lines <= SHOWN)
            .then(|| syntax_field(text, at))
            .flatten()
            .unwrap_or_else(|| SYNTAX.to_owned());
        c.syntax_error(
            at..at + ch.len_utf8(),
            &field,
            format!("{what} is not allowed in a TOML file"),
            Some("the file may be binary, UTF-16 or damaged; save it as UTF-8 text".to_owned()),
        );
    }
    if control_lines > 0 {
        return None;
    }
    let (doc, errors) = DeTable::parse_recoverable(text);
    for (i, e) in errors.into_iter().enumerate() {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim();
        // Naming the field reads the text before it: only for problems that will be shown.
        let field = (i < SHOWN)
            .then(|| syntax_field(text, span.start))
            .flatten()
            .unwrap_or_else(|| SYNTAX.to_owned());
        let token = text.get(span.clone()).unwrap_or_default().trim();
        if message.contains("date") && !token.is_empty() {
            c.syntax_error(
                span.clone(),
                &field,
                format!("impossible date `{token}`: {message}"),
                Some("expected a date that exists, like 2009-11-02".to_owned()),
            );
        } else {
            c.syntax_error(
                span,
                &field,
                format!("invalid TOML: {message}"),
                Some("see the TOML syntax at https://toml.io".to_owned()),
            );
        }
    }
    Some(doc)
}

/// The field path of a syntax error's line, read from the text: `purchase_date`,
/// `cluster[1].hosts`. The tree cannot say, since the broken value is not in it.
fn syntax_field(text: &str, offset: usize) -> Option<String> {
    let start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next().unwrap_or_default();
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    if key.is_empty()
        || !key
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "_-.".contains(ch))
    {
        return None;
    }
    let mut table = String::new();
    for l in text[..start].lines().rev() {
        let l = l.trim();
        if let Some(name) = l
            .strip_prefix("[[")
            .and_then(|r| r.split_once("]]"))
            .map(|(n, _)| n.trim())
        {
            let header = format!("[[{name}]]");
            let index = text[..start]
                .lines()
                .filter(|x| x.trim().starts_with(&header))
                .count()
                .saturating_sub(1);
            table = format!("{name}[{index}].");
            break;
        }
        if let Some(name) = l
            .strip_prefix('[')
            .and_then(|r| r.split_once(']'))
            .map(|(n, _)| n.trim())
        {
            table = format!("{name}.");
            break;
        }
    }
    Some(format!("{table}{key}"))
}

/// Reads the required `currency`: an ISO 4217 code such as USD.
pub(crate) fn currency_code(
    c: &mut Collector<'_>,
    t: &mut Table<'_, '_>,
) -> Option<Spanned<String>> {
    let cur = t.req_string(c, "currency")?;
    if cur.value.len() != 3 || !cur.value.chars().all(|ch| ch.is_ascii_uppercase()) {
        c.error(
            cur.span.clone(),
            "currency",
            format!("`{}` is not an ISO 4217 currency code", cur.value),
            Some("expected three capital letters such as USD or EUR".into()),
        );
    }
    Some(cur)
}

/// Reads `format`, which must be 1; `what` names the file kind in messages.
pub(crate) fn format_version(c: &mut Collector<'_>, t: &mut Table<'_, '_>, what: &str) {
    match t.int(c, "format", 0, u64::MAX) {
        Some(f) if f.value != 1 => c.error(
            f.span,
            "format",
            format!("{what} format {} is not supported", f.value),
            Some("expected format = 1".into()),
        ),
        Some(_) => {}
        None if !t.has("format") => t.missing(
            c,
            "format",
            &format!("format = 1 (the {what} format version)"),
        ),
        None => {}
    }
}

/// One TOML table being read.
pub(crate) struct Table<'t, 'i> {
    inner: &'t DeTable<'i>,
    pub(crate) span: Range<usize>,
    pub(crate) path: String,
    known: Vec<&'static str>,
}

impl<'t, 'i> Table<'t, 'i> {
    pub(crate) fn root(doc: &'t TSpanned<DeTable<'i>>) -> Table<'t, 'i> {
        Table {
            inner: doc.get_ref(),
            span: 0..0,
            path: String::new(),
            known: Vec::new(),
        }
    }

    /// The path of a key of this table: `cluster[0].hosts`; a key that is not bare (empty,
    /// or with a space, dot or quote) is quoted as TOML writes it, so the path stays readable
    /// and never empty.
    pub(crate) fn field(&self, key: &str) -> String {
        let key = toml_key(key);
        if self.path.is_empty() {
            key.into_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    fn get(&mut self, key: &'static str) -> Option<&'t TSpanned<DeValue<'i>>> {
        if !self.known.contains(&key) {
            self.known.push(key);
        }
        self.inner.get(key)
    }

    /// A value as the tree holds it, read as a field (`finish` will not call it unknown), for
    /// a reader with its own checks (the catalogue's array of RAM sizes).
    pub(crate) fn value(&mut self, key: &'static str) -> Option<&'t TSpanned<DeValue<'i>>> {
        self.get(key)
    }

    /// A string value without reading it as a field (for cross-references before reading).
    pub(crate) fn peek_string(&self, key: &str) -> Option<String> {
        match self.inner.get(key)?.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => None,
        }
    }

    /// True when the table has the key, whatever its value.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.inner.contains_key(key)
    }

    /// Reports a missing required field.
    pub(crate) fn missing(&self, c: &mut Collector<'_>, key: &str, what: &str) {
        let at = if self.path.is_empty() {
            "the file".to_owned()
        } else {
            format!("`{}`", self.path)
        };
        c.error(
            self.span.clone(),
            &self.field(key),
            format!("missing field `{key}` in {at}"),
            Some(format!("expected {what}")),
        );
    }

    pub(crate) fn string(
        &mut self,
        c: &mut Collector<'_>,
        key: &'static str,
    ) -> Option<Spanned<String>> {
        let path = self.field(key);
        self.get(key).and_then(|v| as_string(c, v, &path))
    }

    pub(crate) fn req_string(
        &mut self,
        c: &mut Collector<'_>,
        key: &'static str,
    ) -> Option<Spanned<String>> {
        let v = self.string(c, key);
        if v.is_none() && !self.inner.contains_key(key) {
            self.missing(c, key, "a string");
        }
        v
    }

    /// A whole number within `min..=max`.
    pub(crate) fn int(
        &mut self,
        c: &mut Collector<'_>,
        key: &'static str,
        min: u64,
        max: u64,
    ) -> Option<Spanned<u64>> {
        let path = self.field(key);
        self.get(key).and_then(|v| as_int(c, v, &path, min, max))
    }

    pub(crate) fn req_int(
        &mut self,
        c: &mut Collector<'_>,
        key: &'static str,
        min: u64,
        max: u64,
    ) -> Option<Spanned<u64>> {
        let v = self.int(c, key, min, max);
        if v.is_none() && !self.inner.contains_key(key) {
            self.missing(c, key, &format!("a whole number from {min} to {max}"));
        }
        v
    }

    /// An exact decimal, written as a string (`"7097.00"`) or a number.
    pub(crate) fn decimal(
        &mut self,
        c: &mut Collector<'_>,
        key: &'static str,
    ) -> Option<Spanned<Decimal>> {
        let path = self.field(key);
        self.get(key).and_then(|v| as_decimal(c, v, &path))
    }

    pub(crate) fn date(
        &mut self,
        c: &mut Collector<'_>,
        key: &'static str,
    ) -> Option<Spanned<Date>> {
        let path = self.field(key);
        self.get(key).and_then(|v| as_date(c, v, &path))
    }

    pub(crate) fn req_date(
        &mut self,
        c: &mut Collector<'_>,
        key: &'static str,
    ) -> Option<Spanned<Date>> {
        let v = self.date(c, key);
        if v.is_none() && !self.inner.contains_key(key) {
            self.missing(c, key, "a date like 2009-11-02");
        }
        v
    }

    pub(crate) fn bool(
        &mut self,
        c: &mut Collector<'_>,
        key: &'static str,
    ) -> Option<Spanned<bool>> {
        let path = self.field(key);
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(Spanned::new(*b, v.span())),
            other => {
                wrong_type(c, v.span(), &path, "true or false", other);
                None
            }
        }
    }

    /// An array of strings; a non-string element is reported and skipped.
    pub(crate) fn strings(
        &mut self,
        c: &mut Collector<'_>,
        key: &'static str,
    ) -> Option<Vec<Spanned<String>>> {
        let path = self.field(key);
        let v = self.get(key)?;
        let DeValue::Array(items) = v.get_ref() else {
            wrong_type(c, v.span(), &path, "an array of strings", v.get_ref());
            return None;
        };
        Some(
            items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| as_string(c, item, &format!("{path}[{i}]")))
                .collect(),
        )
    }

    /// A sub-table (`[a.b]` or inline `{ … }`).
    pub(crate) fn table(
        &mut self,
        c: &mut Collector<'_>,
        key: &'static str,
    ) -> Option<Table<'t, 'i>> {
        let path = self.field(key);
        let v = self.get(key)?;
        Table::of_value(c, v, path)
    }

    /// [`Self::tables`] for an array that must hold at least one table: missing, or given as
    /// an empty array (`cluster = []`), it is an error saying what is expected.
    pub(crate) fn req_tables(
        &mut self,
        c: &mut Collector<'_>,
        key: &'static str,
        expected: &str,
    ) -> Vec<Table<'t, 'i>> {
        let out = self.tables(c, key);
        if out.is_empty() {
            match self.inner.get(key) {
                None => self.missing(c, key, expected),
                Some(v) if matches!(v.get_ref(), DeValue::Array(a) if a.is_empty()) => c.error(
                    v.span(),
                    &self.field(key),
                    format!("`{key}` is empty"),
                    Some(format!("expected {expected}")),
                ),
                // Another type is reported by `tables`.
                Some(_) => {}
            }
        }
        out
    }

    /// An array of tables (`[[cluster]]`), each with path `key[i]`.
    pub(crate) fn tables(
        &mut self,
        c: &mut Collector<'_>,
        key: &'static str,
    ) -> Vec<Table<'t, 'i>> {
        let path = self.field(key);
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            wrong_type(
                c,
                v.span(),
                &path,
                &format!("an array of tables ([[{key}]])"),
                v.get_ref(),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let item_path = format!("{path}[{i}]");
            match item.get_ref() {
                DeValue::Table(t) => out.push(Table {
                    inner: t,
                    span: item.span(),
                    path: item_path,
                    known: Vec::new(),
                }),
                other => wrong_type(c, item.span(), &item_path, "a table", other),
            }
        }
        out
    }

    /// A value that must be a table, as one (an entry of a table with free keys).
    pub(crate) fn of_value(
        c: &mut Collector<'_>,
        v: &'t TSpanned<DeValue<'i>>,
        path: String,
    ) -> Option<Table<'t, 'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(Table {
                inner: t,
                span: v.span(),
                path,
                known: Vec::new(),
            }),
            other => {
                wrong_type(c, v.span(), &path, "a table", other);
                None
            }
        }
    }

    /// The entries of a table with free keys (aliases, per-vendor discounts).
    pub(crate) fn entries(
        &mut self,
        c: &mut Collector<'_>,
        key: &'static str,
    ) -> Vec<(Spanned<String>, &'t TSpanned<DeValue<'i>>, String)> {
        let Some(t) = self.table(c, key) else {
            return Vec::new();
        };
        t.inner
            .iter()
            .map(|(k, v)| {
                let name = k.get_ref().to_string();
                let path = format!("{}.{name}", t.path);
                (Spanned::new(name, k.span()), v, path)
            })
            .collect()
    }

    /// Reports every key that no accessor asked for, with "did you mean".
    pub(crate) fn finish(self, c: &mut Collector<'_>) {
        for (k, _) in self.inner.iter() {
            let key: &str = k.get_ref();
            if !self.known.contains(&key) {
                let at = if self.path.is_empty() {
                    "at the top level".to_owned()
                } else {
                    format!("in `{}`", self.path)
                };
                c.error(
                    k.span(),
                    &self.field(key),
                    format!("unknown field `{}` {at}", toml_key(key)),
                    Some(help_for(key, &self.known, "fields")),
                );
            }
        }
    }
}

/// A key as TOML writes it: bare when it may be, else quoted (`""`, `"a b"`).
fn toml_key(key: &str) -> std::borrow::Cow<'_, str> {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        std::borrow::Cow::Borrowed(key)
    } else {
        std::borrow::Cow::Owned(format!("{key:?}"))
    }
}

pub(crate) fn as_string(
    c: &mut Collector<'_>,
    v: &TSpanned<DeValue<'_>>,
    path: &str,
) -> Option<Spanned<String>> {
    match v.get_ref() {
        DeValue::String(s) => Some(Spanned::new(s.to_string(), v.span())),
        other => {
            wrong_type(c, v.span(), path, "a string", other);
            None
        }
    }
}

pub(crate) fn as_int(
    c: &mut Collector<'_>,
    v: &TSpanned<DeValue<'_>>,
    path: &str,
    min: u64,
    max: u64,
) -> Option<Spanned<u64>> {
    let expected = || format!("a whole number from {min} to {max}");
    let n: i128 = match v.get_ref() {
        // TOML allows `1_000`; a number past i128 is refused like any other out of range.
        DeValue::Integer(i) => {
            match i128::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
                Ok(n) => n,
                Err(_) => {
                    c.error(
                        v.span(),
                        path,
                        format!("{} is beyond what hypercost accepts", i.as_str()),
                        Some(format!("expected {}", expected())),
                    );
                    return None;
                }
            }
        }
        DeValue::Float(f) => {
            c.error(
                v.span(),
                path,
                format!("`{}` is not a whole number", f.as_str()),
                Some(format!("expected {}", expected())),
            );
            return None;
        }
        other => {
            wrong_type(c, v.span(), path, &expected(), other);
            return None;
        }
    };
    if n < i128::from(min) || n > i128::from(max) {
        let why = if n <= 0 && min >= 1 {
            "must be positive"
        } else if n > i128::from(max) {
            "is beyond what hypercost accepts"
        } else {
            "is out of range"
        };
        c.error(
            v.span(),
            path,
            format!("{n} {why}"),
            Some(format!("expected {}", expected())),
        );
        return None;
    }
    u64::try_from(n).ok().map(|n| Spanned::new(n, v.span()))
}

pub(crate) fn as_decimal(
    c: &mut Collector<'_>,
    v: &TSpanned<DeValue<'_>>,
    path: &str,
) -> Option<Spanned<Decimal>> {
    let text = match v.get_ref() {
        DeValue::String(s) => s.to_string(),
        DeValue::Integer(i) if i.radix() == 10 => i.as_str().to_owned(),
        DeValue::Float(f) => f.as_str().to_owned(),
        other => {
            wrong_type(
                c,
                v.span(),
                path,
                "a decimal number like \"7097.00\"",
                other,
            );
            return None;
        }
    };
    match parse_decimal(&text) {
        Some(d) => Some(Spanned::new(d, v.span())),
        None => {
            c.error(
                v.span(),
                path,
                format!("`{text}` is not a decimal number"),
                Some("expected a number like \"7097.00\" or 0.1".to_owned()),
            );
            None
        }
    }
}

pub(crate) fn as_date(
    c: &mut Collector<'_>,
    v: &TSpanned<DeValue<'_>>,
    path: &str,
) -> Option<Spanned<Date>> {
    let result = match v.get_ref() {
        DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => Date::new(d.year, d.month, d.day),
            _ => Err(format!("`{dt}` has a time; give a date only")),
        },
        DeValue::String(s) => Date::parse(s),
        other => {
            wrong_type(c, v.span(), path, "a date like 2009-11-02", other);
            return None;
        }
    };
    match result {
        Ok(d) => Some(Spanned::new(d, v.span())),
        Err(why) => {
            c.error(
                v.span(),
                path,
                format!("impossible date: {why}"),
                Some("expected a date like 2009-11-02".to_owned()),
            );
            None
        }
    }
}

fn wrong_type(
    c: &mut Collector<'_>,
    span: Range<usize>,
    path: &str,
    expected: &str,
    found: &DeValue<'_>,
) {
    let found = match found {
        DeValue::String(s) => format!("the string \"{s}\""),
        DeValue::Integer(i) => format!("the number {}", i.as_str()),
        DeValue::Float(f) => format!("the number {}", f.as_str()),
        DeValue::Boolean(b) => format!("{b}"),
        DeValue::Datetime(d) => format!("the date {d}"),
        DeValue::Array(_) => "an array".to_owned(),
        DeValue::Table(_) => "a table".to_owned(),
    };
    c.error(
        span,
        path,
        format!("wrong type: found {found}"),
        Some(format!("expected {expected}")),
    );
}

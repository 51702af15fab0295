//! Format-preserving edits of estate TOML text.
//!
//! The browser calculator shows one estate twice: as a form and as the user's TOML text. A
//! change in the form must change *just that value* in the text, so the user's comments,
//! ordering and layout survive. [`edit_text`] therefore never re-serialises the document: it
//! parses the text into `toml`'s spanned tree (`DeTable`), finds the byte range to replace,
//! delete or insert at from the spans, and splices the text. Lines are scanned only where a
//! span cannot say (the end of a value's line, blank and comment lines around a table).
//!
//! Every edit is checked by parsing the result again: text that would not parse, a `Set`
//! whose value does not read back, or an `Append` that did not add one element, is an
//! [`EditError`] — never broken text. The module knows TOML, not the estate format: whether
//! the result is a valid estate is `parse_estate`'s business.
//!
//! Placement rules, in short:
//! - `Set` of an existing key replaces the value's bytes (a decimal written over a quoted
//!   decimal stays quoted). A missing key goes on a new line after the table's last
//!   key/value line (inline tables: `, key = value` after the last value). A missing table
//!   under the root (`costs.pue` without `[costs]`) becomes a `[costs]` section at the
//!   end of the document; deeper under a section it becomes a dotted key in that section.
//! - `Remove` of a key deletes its line(s); of an inline entry or element, it and one comma;
//!   of a `[[table]]` element (or a `[table]`), its section and every sub-section of it.
//! - `Append` to an array of tables adds a `[[...]]` block after the last element's
//!   sections (so a `[[scenario.plan]]` stays inside its scenario); to an inline array,
//!   `{ k = v }` after the last element; a missing top-level array starts at the end.

use std::ops::Range;

use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::write::{bare_or_quoted, quoted};
use crate::date::Date;
use crate::money::parse_decimal;
use crate::source::SourceFile;

/// An edit the estate editor could not make is an input problem of the edit's path. (The
/// editor keeps its own reasons, which its tests tell apart; every shell sees a diagnostic.)
impl From<EditError> for crate::diag::Diagnostic {
    fn from(e: EditError) -> crate::diag::Diagnostic {
        use EditError as E;
        let field = match &e {
            E::Syntax { .. } => crate::diag::SYNTAX.to_owned(),
            E::BadPath { path, .. }
            | E::NotFound { path, .. }
            | E::OutOfRange { path, .. }
            | E::WrongKind { path, .. }
            | E::Rejected { path, .. } => path.clone(),
        };
        crate::diag::Diagnostic::input(field, e.to_string(), None)
    }
}

#[cfg(test)]
mod tests;

/// A value to write into estate TOML. JSON: `{"integer": 6}`, `{"decimal": "0.12"}` (a
/// string, so no float ever carries money), `{"text": "x"}`, `{"bool": true}`,
/// `{"date": "2009-11-02"}`, `{"list": ["a", "b"]}`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum EditValue {
    /// A TOML integer.
    Integer(i64),
    /// An exact decimal, written as a TOML number of its exact text (or as a string where the
    /// value it replaces was a string).
    Decimal(#[serde(deserialize_with = "decimal_from_text")] Decimal),
    /// A basic string, escaped.
    Text(String),
    /// `true` or `false`.
    Bool(bool),
    /// A TOML local date.
    Date(#[serde(deserialize_with = "date_from_text")] Date),
    /// An array of strings (feature tags, add-ons).
    List(Vec<String>),
}

/// One edit. The JSON shape is told apart by its keys:
/// `{"set": "cluster[0].hosts", "value": {"integer": 6}}`, `{"remove": "cluster[1]"}`,
/// `{"append": "scenario[2].plan", "fields": [["cluster", {"text": "dr"}]]}`.
///
/// Paths are dotted keys with array indices: `years`, `cluster[0].needs`,
/// `scenario[1].plan[0].edition`, `costs.vendor_discount.vmware`; a key that is not bare may
/// be written in double quotes (`costs.fx."EUR"`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum Edit {
    /// Writes `value` at `path`, creating the key (and a missing section) when absent.
    Set {
        /// Where.
        #[serde(rename = "set")]
        path: String,
        /// What.
        value: EditValue,
    },
    /// Deletes the key, array element or table at `path`.
    Remove {
        /// Where.
        #[serde(rename = "remove")]
        path: String,
    },
    /// Adds a table with `fields`, in order, at the end of the array at `array`.
    Append {
        /// The array (`cluster`, `scenario[0].plan`).
        #[serde(rename = "append")]
        array: String,
        /// Keys and values of the new table.
        fields: Vec<(String, EditValue)>,
    },
}

impl Edit {
    fn path(&self) -> &str {
        match self {
            Edit::Set { path, .. } | Edit::Remove { path } => path,
            Edit::Append { array, .. } => array,
        }
    }
}

/// Why an edit was not made. Each message names the path and what went wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The text does not parse; no edit is attempted on it.
    #[error("fix the TOML first: line {line}: {message}")]
    Syntax {
        /// 1-based line of the error.
        line: usize,
        /// The parser's message.
        message: String,
    },
    /// The path is not written like `cluster[0].hosts`.
    #[error("`{path}` is not a path like cluster[0].hosts: {why}")]
    BadPath {
        /// The path given.
        path: String,
        /// What is wrong with it.
        why: String,
    },
    /// The path names nothing in the text (for `Remove`, or an indexed path for `Set`).
    #[error("`{path}`: {why}")]
    NotFound {
        /// The path given.
        path: String,
        /// Which part is missing.
        why: String,
    },
    /// An index past the end of an array.
    #[error("`{path}`: index {index} is out of range: `{array}` has {len} element(s)")]
    OutOfRange {
        /// The path given.
        path: String,
        /// The array.
        array: String,
        /// The index asked for.
        index: usize,
        /// The array's length.
        len: usize,
    },
    /// The path names something of the wrong kind (a table where a value was meant, …).
    #[error("`{path}`: {why}")]
    WrongKind {
        /// The path given.
        path: String,
        /// What was found and what was needed.
        why: String,
    },
    /// The edit was made but the result failed the check, so it was not kept.
    #[error("`{path}`: edit not applied, the result would be wrong: {why}")]
    Rejected {
        /// The path given.
        path: String,
        /// What the check found.
        why: String,
    },
}

/// Applies the edits in order and returns the new text; the first edit that cannot be made
/// is the error (the text is then unchanged). Never panics, whatever the input.
pub fn edit_text(text: &str, edits: &[Edit]) -> Result<String, EditError> {
    if let Err(e) = DeTable::parse(text) {
        let at = e.span().map_or(0, |s| s.start);
        let (line, _) = SourceFile::new("", text).line_col(at);
        return Err(EditError::Syntax {
            line,
            message: e.message().trim().to_owned(),
        });
    }
    let mut out = text.to_owned();
    for edit in edits {
        out = apply(&out, edit)?;
    }
    Ok(out)
}

/// One segment of a path: a key, or an index into the array before it.
#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

fn bare(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn parse_path(path: &str) -> Result<Vec<Seg>, EditError> {
    let bad = |why: &str| EditError::BadPath {
        path: path.to_owned(),
        why: why.to_owned(),
    };
    let mut segs = Vec::new();
    let mut rest = path;
    loop {
        if let Some(r) = rest.strip_prefix('"') {
            let end = r
                .find('"')
                .ok_or_else(|| bad("a quoted key has no closing quote"))?;
            if r[..end].contains('\\') {
                return Err(bad("quoted keys cannot hold escapes"));
            }
            segs.push(Seg::Key(r[..end].to_owned()));
            rest = &r[end + 1..];
        } else {
            let end = rest.find(|c| !bare(c)).unwrap_or(rest.len());
            if end == 0 {
                return Err(bad("expected a key (letters, digits, _ or -)"));
            }
            segs.push(Seg::Key(rest[..end].to_owned()));
            rest = &rest[end..];
        }
        while let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').ok_or_else(|| bad("`[` without `]`"))?;
            let n = r[..end]
                .parse::<usize>()
                .map_err(|_| bad("an index must be a whole number like [0]"))?;
            segs.push(Seg::Index(n));
            rest = &r[end + 1..];
        }
        if rest.is_empty() {
            return Ok(segs);
        }
        rest = rest
            .strip_prefix('.')
            .ok_or_else(|| bad("expected `.` or `[` after a key"))?;
    }
}

fn show(segs: &[Seg]) -> String {
    let mut s = String::new();
    for seg in segs {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(&bare_or_quoted(k));
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// How a table is written, read from the first byte of its span.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Root,
    /// `[name]` or an element `[[name]]`: its span is the header.
    Header,
    /// `{ … }`.
    Inline,
    /// Made by dotted keys (`a.b = 1`): its span is a key on a key/value line.
    Dotted,
    /// Made only by a sub-table header (`[costs.fx]` without `[costs]`).
    Implied,
}

/// Where a path led, and the tables around it.
#[derive(Clone)]
struct Ctx<'a, 'i> {
    /// The table holding the entry (None: the root).
    table: Option<&'a Spanned<DeValue<'i>>>,
    kind: Kind,
    /// The nearest table that owns its own text (root, header section or inline table).
    anchor: Option<&'a Spanned<DeValue<'i>>>,
    anchor_kind: Kind,
    /// Keys from the anchor to the table, for dotted keys.
    prefix: Vec<String>,
    /// Every key of the path so far, for `[header]` names.
    keys: Vec<String>,
    indexed: bool,
}

enum Loc<'a, 'i> {
    Entry {
        ctx: Ctx<'a, 'i>,
        key_span: Range<usize>,
        value: &'a Spanned<DeValue<'i>>,
    },
    Element {
        array: &'a Spanned<DeValue<'i>>,
        value: &'a Spanned<DeValue<'i>>,
        of_tables: bool,
    },
    Missing {
        ctx: Ctx<'a, 'i>,
        rest: Vec<String>,
    },
}

/// A parsed text with the spans of every header and of every key and value.
struct Doc<'i> {
    text: &'i str,
    root: Spanned<DeTable<'i>>,
    headers: Vec<Range<usize>>,
    content: Vec<Range<usize>>,
    eol: &'static str,
}

impl<'i> Doc<'i> {
    fn parse(text: &'i str) -> Result<Doc<'i>, String> {
        let root = DeTable::parse(text).map_err(|e| e.message().trim().to_owned())?;
        let mut doc = Doc {
            text,
            root,
            headers: Vec::new(),
            content: Vec::new(),
            eol: if text.contains("\r\n") { "\r\n" } else { "\n" },
        };
        let (mut headers, mut content) = (Vec::new(), Vec::new());
        doc.collect(doc.root.get_ref(), &mut headers, &mut content);
        headers.sort_by_key(|h| h.start);
        doc.headers = headers;
        doc.content = content;
        Ok(doc)
    }

    fn collect(
        &self,
        t: &DeTable<'_>,
        headers: &mut Vec<Range<usize>>,
        content: &mut Vec<Range<usize>>,
    ) {
        for (k, v) in t.iter() {
            content.push(k.span());
            self.collect_value(v, headers, content);
        }
    }

    fn collect_value(
        &self,
        v: &Spanned<DeValue<'_>>,
        headers: &mut Vec<Range<usize>>,
        content: &mut Vec<Range<usize>>,
    ) {
        content.push(v.span());
        match v.get_ref() {
            DeValue::Table(t) => {
                if self.byte(v.span().start) == Some(b'[') {
                    headers.push(v.span());
                }
                self.collect(t, headers, content);
            }
            DeValue::Array(a) => {
                for e in a.iter() {
                    self.collect_value(e, headers, content);
                }
            }
            _ => {}
        }
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.text.as_bytes().get(at).copied()
    }

    fn kind(&self, v: &Spanned<DeValue<'_>>) -> Kind {
        let start = v.span().start;
        match self.byte(start) {
            Some(b'{') => Kind::Inline,
            Some(b'[') => Kind::Header,
            _ if self.headers.iter().any(|h| h.contains(&start)) => Kind::Implied,
            _ => Kind::Dotted,
        }
    }

    fn is_table_array(&self, v: &Spanned<DeValue<'_>>) -> bool {
        match v.get_ref() {
            DeValue::Array(a) => a
                .first()
                .is_some_and(|e| e.get_ref().is_table() && self.byte(e.span().start) == Some(b'[')),
            _ => false,
        }
    }

    /// Follows a path through the tree.
    fn locate<'a>(&'a self, path: &str, segs: &[Seg]) -> Result<Loc<'a, 'i>, EditError> {
        let mut ctx = Ctx {
            table: None,
            kind: Kind::Root,
            anchor: None,
            anchor_kind: Kind::Root,
            prefix: Vec::new(),
            keys: Vec::new(),
            indexed: false,
        };
        let mut cur: Option<&'a Spanned<DeValue<'i>>> = None;
        let wrong = |i: usize, why: String| EditError::WrongKind {
            path: path.to_owned(),
            why: format!("`{}` {why}", show(&segs[..i])),
        };
        for (i, seg) in segs.iter().enumerate() {
            let last = i + 1 == segs.len();
            match seg {
                Seg::Key(k) => {
                    let table = match cur {
                        None => self.root.get_ref(),
                        Some(v) => match v.get_ref() {
                            DeValue::Table(t) => t,
                            DeValue::Array(_) => {
                                return Err(wrong(i, "is an array: give an index like [0]".into()));
                            }
                            other => {
                                return Err(wrong(
                                    i,
                                    format!("is a {}, not a table", other.type_str()),
                                ));
                            }
                        },
                    };
                    let Some((key, value)) = table.get_key_value(k.as_str()) else {
                        if segs[i..].iter().any(|s| matches!(s, Seg::Index(_))) {
                            return Err(EditError::NotFound {
                                path: path.to_owned(),
                                why: format!("there is no `{}`", show(&segs[..=i])),
                            });
                        }
                        let rest = segs[i..]
                            .iter()
                            .filter_map(|s| match s {
                                Seg::Key(k) => Some(k.clone()),
                                Seg::Index(_) => None,
                            })
                            .collect();
                        return Ok(Loc::Missing { ctx, rest });
                    };
                    if last {
                        return Ok(Loc::Entry {
                            ctx,
                            key_span: key.span(),
                            value,
                        });
                    }
                    ctx.keys.push(k.clone());
                    if value.get_ref().is_table() {
                        self.enter(&mut ctx, value, k);
                    }
                    cur = Some(value);
                }
                Seg::Index(n) => {
                    let Some((items, arr_value)) =
                        cur.and_then(|v| v.get_ref().as_array().map(|a| (a, v)))
                    else {
                        return Err(wrong(i, "is not an array".into()));
                    };
                    let Some(value) = items.get(*n) else {
                        return Err(EditError::OutOfRange {
                            path: path.to_owned(),
                            array: show(&segs[..i]),
                            index: *n,
                            len: items.len(),
                        });
                    };
                    if last {
                        return Ok(Loc::Element {
                            array: arr_value,
                            value,
                            of_tables: self.is_table_array(arr_value),
                        });
                    }
                    ctx.indexed = true;
                    if value.get_ref().is_table() {
                        self.enter(&mut ctx, value, "");
                    }
                    cur = Some(value);
                }
            }
        }
        Err(EditError::BadPath {
            path: path.to_owned(),
            why: "empty path".into(),
        })
    }

    fn enter<'a>(&self, ctx: &mut Ctx<'a, 'i>, table: &'a Spanned<DeValue<'i>>, key: &str) {
        let kind = self.kind(table);
        ctx.table = Some(table);
        ctx.kind = kind;
        if matches!(kind, Kind::Header | Kind::Inline) {
            ctx.anchor = Some(table);
            ctx.anchor_kind = kind;
            ctx.prefix.clear();
        } else {
            ctx.prefix.push(key.to_owned());
        }
    }

    fn line_start(&self, at: usize) -> usize {
        self.text
            .get(..at)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1)
    }

    /// Just past the newline ending the line that holds `at` (or the end of the text).
    fn line_end(&self, at: usize) -> usize {
        self.text
            .get(at..)
            .and_then(|t| t.find('\n'))
            .map_or(self.text.len(), |i| at + i + 1)
    }

    fn next_header(&self, after: usize) -> usize {
        self.headers
            .iter()
            .map(|h| h.start)
            .find(|s| *s > after)
            .unwrap_or(self.text.len())
    }

    /// The end of the last key or value in `from..to`.
    fn last_content(&self, from: usize, to: usize) -> Option<usize> {
        self.content
            .iter()
            .filter(|c| c.start >= from && c.start < to)
            .map(|c| c.end)
            .max()
    }

    /// The end of the last byte belonging to a value and everything under it.
    fn subtree_end(&self, v: &Spanned<DeValue<'_>>) -> usize {
        let mut end = v.span().end;
        match v.get_ref() {
            DeValue::Table(t) => {
                for (k, c) in t.iter() {
                    end = end.max(k.span().end).max(self.subtree_end(c));
                }
            }
            DeValue::Array(a) => {
                for e in a.iter() {
                    end = end.max(self.subtree_end(e));
                }
            }
            _ => {}
        }
        end
    }

    /// The bytes of a `[header]` section: comment lines attached above it, the header, its
    /// keys, and the blank lines after it.
    fn section(&self, header: &Range<usize>) -> Range<usize> {
        let before = self
            .content
            .iter()
            .filter(|c| c.start < header.start)
            .map(|c| c.end)
            .max()
            .unwrap_or(0);
        let mut start = self.line_start(header.start);
        while start > 0 {
            let prev = self.line_start(start - 1);
            let line = self.text.get(prev..start).unwrap_or_default().trim();
            if prev >= before && line.starts_with('#') {
                start = prev;
            } else {
                break;
            }
        }
        let next = self.next_header(header.start);
        let last = self.last_content(header.start, next).unwrap_or(header.end);
        let mut end = self.line_end(last);
        while end < self.text.len() {
            let after = self.line_end(end);
            if self
                .text
                .get(end..after)
                .unwrap_or_default()
                .trim()
                .is_empty()
                && after > end
            {
                end = after;
            } else {
                break;
            }
        }
        start..end
    }

    /// The byte ranges that removing `value` (at key `key`, in a section) deletes.
    fn removal(
        &self,
        key: Range<usize>,
        value: &Spanned<DeValue<'_>>,
        out: &mut Vec<Range<usize>>,
    ) {
        match value.get_ref() {
            DeValue::Table(t) => match self.kind(value) {
                Kind::Header => self.sections(value, out),
                Kind::Inline | Kind::Root => {
                    out.push(self.line_start(key.start)..self.line_end(value.span().end));
                }
                Kind::Dotted | Kind::Implied => {
                    for (k, c) in t.iter() {
                        self.removal(k.span(), c, out);
                    }
                }
            },
            DeValue::Array(a) if self.is_table_array(value) => {
                for e in a.iter() {
                    self.sections(e, out);
                }
            }
            _ => out.push(self.line_start(key.start)..self.line_end(value.span().end)),
        }
    }

    /// A header table's section and those of every table under it.
    fn sections(&self, table: &Spanned<DeValue<'_>>, out: &mut Vec<Range<usize>>) {
        out.push(self.section(&table.span()));
        if let DeValue::Table(t) = table.get_ref() {
            for (k, c) in t.iter() {
                self.removal(k.span(), c, out);
            }
        }
    }

    /// Deletes an entry or element of an inline table or array and one comma beside it.
    fn remove_inline(&self, container: Range<usize>, item: Range<usize>) -> String {
        let bytes = self.text.as_bytes();
        let ws = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
        let mut after = item.end;
        while after < container.end && ws(bytes[after]) {
            after += 1;
        }
        let mut before = item.start;
        while before > container.start && ws(bytes[before - 1]) {
            before -= 1;
        }
        let (mut start, mut end) = if bytes.get(after) == Some(&b',') {
            let mut end = after + 1;
            while matches!(bytes.get(end), Some(b' ' | b'\t')) {
                end += 1;
            }
            (item.start, end)
        } else if before > container.start && bytes[before - 1] == b',' {
            (before - 1, item.end)
        } else {
            (
                container.start + 1,
                container.end.saturating_sub(1).max(container.start + 1),
            )
        };
        // An element alone on its line takes the line with it.
        let ls = self.line_start(start);
        let rest_of_line = self.line_end(end);
        if self.text[ls..start].trim().is_empty()
            && self.text[end..rest_of_line].trim().is_empty()
            && rest_of_line > end
            && ls > container.start
        {
            start = ls;
            end = rest_of_line;
        }
        splice(self.text, start..end, "")
    }

    /// Inserts a `key = value` line after the last key/value line of a section (or the root).
    fn insert_line(&self, anchor: Option<&Spanned<DeValue<'_>>>, line: &str) -> String {
        let (from, to) = match anchor {
            None => (0, self.headers.first().map_or(self.text.len(), |h| h.start)),
            Some(h) => (h.span().start, self.next_header(h.span().start)),
        };
        let at = match self.last_content(from, to) {
            Some(end) => self.line_end(end),
            None => self.line_start(to),
        };
        let mut s = String::new();
        if at == self.text.len() && !self.text.is_empty() && !self.text.ends_with('\n') {
            s.push_str(self.eol);
        }
        s.push_str(line);
        s.push_str(self.eol);
        splice(self.text, at..at, &s)
    }

    /// Inserts `key = value` after the last value of an inline table.
    fn insert_inline(&self, table: Range<usize>, entry: &str) -> String {
        let inner = table.start + 1..table.end.saturating_sub(1);
        match self.last_content(inner.start, inner.end) {
            Some(end) => splice(self.text, end..end, &format!(", {entry}")),
            None => splice(self.text, inner, &format!(" {entry} ")),
        }
    }

    /// Inserts a block of lines at `at` (a line start), separated by blank lines.
    fn insert_block(&self, at: usize, lines: &[String]) -> String {
        let head = &self.text[..at];
        let mut s = String::new();
        if !head.is_empty() {
            if !head.ends_with('\n') {
                s.push_str(self.eol);
            }
            if !ends_with_blank_line(head) {
                s.push_str(self.eol);
            }
        }
        for line in lines {
            s.push_str(line);
            s.push_str(self.eol);
        }
        let tail = &self.text[at..];
        if !tail.is_empty() && !tail.lines().next().unwrap_or_default().trim().is_empty() {
            s.push_str(self.eol);
        }
        splice(self.text, at..at, &s)
    }
}

fn ends_with_blank_line(s: &str) -> bool {
    let Some(t) = s.strip_suffix('\n') else {
        return false;
    };
    let t = t.strip_suffix('\r').unwrap_or(t);
    t.rsplit('\n').next().unwrap_or_default().trim().is_empty()
}

fn splice(text: &str, range: Range<usize>, with: &str) -> String {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(&text[..range.start]);
    out.push_str(with);
    out.push_str(&text[range.end..]);
    out
}

fn dotted(keys: &[String]) -> String {
    keys.iter()
        .map(|k| bare_or_quoted(k))
        .collect::<Vec<_>>()
        .join(".")
}

/// A value as TOML text; `as_string` writes a decimal as a string (to keep the user's style).
fn value_text(v: &EditValue, as_string: bool) -> String {
    match v {
        EditValue::Integer(i) => i.to_string(),
        EditValue::Decimal(d) if as_string => quoted(&d.to_string()),
        EditValue::Decimal(d) => d.to_string(),
        EditValue::Text(s) => quoted(s),
        EditValue::Bool(b) => b.to_string(),
        EditValue::Date(d) => d.to_string(),
        EditValue::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|s| quoted(s))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// True when the parsed value reads as `want`.
fn reads_as(v: &DeValue<'_>, want: &EditValue) -> bool {
    match (v, want) {
        (DeValue::Integer(i), EditValue::Integer(n)) => {
            i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok() == Some(*n)
        }
        (DeValue::Integer(i), EditValue::Decimal(d)) => parse_decimal(i.as_str()) == Some(*d),
        (DeValue::Float(f), EditValue::Decimal(d)) => parse_decimal(f.as_str()) == Some(*d),
        (DeValue::String(s), EditValue::Decimal(d)) => parse_decimal(s) == Some(*d),
        (DeValue::String(s), EditValue::Text(t)) => s == t,
        (DeValue::Boolean(b), EditValue::Bool(w)) => b == w,
        (DeValue::Datetime(dt), EditValue::Date(d)) => {
            dt.time.is_none()
                && dt.offset.is_none()
                && dt
                    .date
                    .is_some_and(|x| (x.year, x.month, x.day) == (d.year, d.month, d.day))
        }
        (DeValue::Array(a), EditValue::List(items)) => {
            a.len() == items.len()
                && a.iter()
                    .zip(items)
                    .all(|(x, w)| x.get_ref().as_str() == Some(w.as_str()))
        }
        _ => false,
    }
}

fn apply(text: &str, edit: &Edit) -> Result<String, EditError> {
    let path = edit.path();
    let segs = parse_path(path)?;
    let doc = Doc::parse(text).map_err(|why| EditError::Rejected {
        path: path.to_owned(),
        why,
    })?;
    let out = match edit {
        Edit::Set { value, .. } => set(&doc, path, &segs, value)?,
        Edit::Remove { .. } => remove(&doc, path, &segs)?,
        Edit::Append { fields, .. } => append(&doc, path, &segs, fields)?,
    };
    check(&out, edit, &segs, &doc)?;
    Ok(out)
}

fn table_error(path: &str, what: &str) -> EditError {
    EditError::WrongKind {
        path: path.to_owned(),
        why: format!("is {what}: set its keys one by one"),
    }
}

fn set(doc: &Doc<'_>, path: &str, segs: &[Seg], value: &EditValue) -> Result<String, EditError> {
    let old = match doc.locate(path, segs)? {
        Loc::Entry { value: old, .. } | Loc::Element { value: old, .. } => old,
        Loc::Missing { ctx, rest } => return set_missing(doc, path, ctx, &rest, value),
    };
    if old.get_ref().is_table() || doc.is_table_array(old) {
        return Err(table_error(path, "a table"));
    }
    let quoted = matches!(value, EditValue::Decimal(_)) && old.get_ref().is_str();
    Ok(splice(doc.text, old.span(), &value_text(value, quoted)))
}

fn set_missing(
    doc: &Doc<'_>,
    path: &str,
    ctx: Ctx<'_, '_>,
    rest: &[String],
    value: &EditValue,
) -> Result<String, EditError> {
    let v = value_text(value, false);
    let Some((last, between)) = rest.split_last() else {
        return Err(EditError::BadPath {
            path: path.to_owned(),
            why: "empty path".into(),
        });
    };
    let mut relative = ctx.prefix.clone();
    relative.extend(rest.iter().cloned());
    let line = format!("{} = {v}", dotted(&relative));
    match (ctx.anchor_kind, ctx.kind) {
        (Kind::Inline, _) => {
            let span = ctx.anchor.map_or(0..0, |a| a.span());
            Ok(doc.insert_inline(span, &line))
        }
        // A missing section under the root, or one only implied by a sub-section header:
        // a new `[section]` at the end, where it cannot fall inside another section.
        (_, Kind::Root) if !between.is_empty() => {
            let header = format!("[{}]", dotted(between));
            Ok(doc.insert_block(
                doc.text.len(),
                &[header, format!("{} = {v}", bare_or_quoted(last))],
            ))
        }
        (_, Kind::Implied) if !ctx.indexed => {
            let mut keys = ctx.keys.clone();
            keys.extend(between.iter().cloned());
            let header = format!("[{}]", dotted(&keys));
            Ok(doc.insert_block(
                doc.text.len(),
                &[header, format!("{} = {v}", bare_or_quoted(last))],
            ))
        }
        (_, Kind::Implied) => Err(EditError::NotFound {
            path: path.to_owned(),
            why: "its table has no section of its own to add the key to".into(),
        }),
        _ => Ok(doc.insert_line(ctx.anchor, &line)),
    }
}

fn remove(doc: &Doc<'_>, path: &str, segs: &[Seg]) -> Result<String, EditError> {
    let mut ranges = Vec::new();
    match doc.locate(path, segs)? {
        Loc::Missing { .. } => {
            return Err(EditError::NotFound {
                path: path.to_owned(),
                why: "there is nothing there to remove".into(),
            });
        }
        Loc::Element {
            array,
            value,
            of_tables,
        } => {
            if !of_tables {
                return Ok(doc.remove_inline(array.span(), value.span()));
            }
            doc.sections(value, &mut ranges);
        }
        Loc::Entry {
            ctx,
            key_span,
            value,
        } => {
            if ctx.kind == Kind::Inline {
                let table = ctx.table.map_or(0..0, |t| t.span());
                return Ok(doc.remove_inline(table, key_span.start..value.span().end));
            }
            if ctx.anchor_kind == Kind::Inline {
                return Err(EditError::WrongKind {
                    path: path.to_owned(),
                    why: "is a dotted key inside an inline table; edit that table instead".into(),
                });
            }
            doc.removal(key_span, value, &mut ranges);
        }
    }
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(m) if r.start <= m.end => m.end = m.end.max(r.end),
            _ => merged.push(r),
        }
    }
    // What ends the document takes the blank lines before it too.
    if let Some(last) = merged.last_mut()
        && last.end == doc.text.len()
    {
        while last.start > 0 {
            let prev = doc.line_start(last.start - 1);
            if doc.text[prev..last.start].trim().is_empty() {
                last.start = prev;
            } else {
                break;
            }
        }
    }
    let mut out = doc.text.to_owned();
    for r in merged.iter().rev() {
        out = splice(&out, r.clone(), "");
    }
    Ok(out)
}

fn append(
    doc: &Doc<'_>,
    path: &str,
    segs: &[Seg],
    fields: &[(String, EditValue)],
) -> Result<String, EditError> {
    let lines: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{} = {}", bare_or_quoted(k), value_text(v, false)))
        .collect();
    let block = |keys: &[String], at: usize| {
        let mut all = vec![format!("[[{}]]", dotted(keys))];
        all.extend(lines.iter().cloned());
        doc.insert_block(at, &all)
    };
    match doc.locate(path, segs)? {
        Loc::Entry {
            ctx,
            key_span: _,
            value,
        } => {
            let DeValue::Array(items) = value.get_ref() else {
                return Err(EditError::WrongKind {
                    path: path.to_owned(),
                    why: format!("is a {}, not an array", value.get_ref().type_str()),
                });
            };
            if doc.is_table_array(value) {
                let last = items
                    .last()
                    .map_or(value.span().end, |e| doc.subtree_end(e));
                let mut keys = ctx.keys.clone();
                if let Some(Seg::Key(k)) = segs.last() {
                    keys.push(k.clone());
                }
                return Ok(block(&keys, doc.line_end(last)));
            }
            if items.iter().any(|e| !e.get_ref().is_table()) {
                return Err(EditError::WrongKind {
                    path: path.to_owned(),
                    why: "is a list of values, not of tables: set it with a list".into(),
                });
            }
            let table = format!("{{ {} }}", lines.join(", "));
            let table = if lines.is_empty() {
                "{}".to_owned()
            } else {
                table
            };
            let out = match items.last() {
                Some(e) => {
                    let end = e.span().end;
                    let multiline = doc.line_start(e.span().start) > value.span().start;
                    if multiline {
                        let ls = doc.line_start(e.span().start);
                        let indent: String = doc.text[ls..e.span().start]
                            .chars()
                            .take_while(|c| *c == ' ' || *c == '\t')
                            .collect();
                        splice(doc.text, end..end, &format!(",{}{indent}{table}", doc.eol))
                    } else {
                        splice(doc.text, end..end, &format!(", {table}"))
                    }
                }
                None => {
                    let at = value.span().end.saturating_sub(1);
                    splice(doc.text, at..at, &table)
                }
            };
            Ok(out)
        }
        Loc::Element { .. } => Err(EditError::WrongKind {
            path: path.to_owned(),
            why: "is an element; name the array to append to (like scenario[0].plan)".into(),
        }),
        Loc::Missing { ctx, rest } => {
            let at = match (ctx.kind, ctx.table) {
                (Kind::Root, _) => doc.text.len(),
                (Kind::Header, Some(t)) => doc.line_end(doc.subtree_end(t)),
                _ => {
                    return Err(EditError::WrongKind {
                        path: path.to_owned(),
                        why: "can only start an array of tables at the top level or in a [section]"
                            .into(),
                    });
                }
            };
            if rest.len() != 1 {
                return Err(EditError::NotFound {
                    path: path.to_owned(),
                    why: format!(
                        "there is no `{}` to hold the array",
                        dotted(&rest[..rest.len() - 1])
                    ),
                });
            }
            let mut keys = ctx.keys.clone();
            keys.extend(rest);
            Ok(block(&keys, at))
        }
    }
}

/// The safety net: the result parses, and the edit reads back as asked.
fn check(out: &str, edit: &Edit, segs: &[Seg], before: &Doc<'_>) -> Result<(), EditError> {
    let path = edit.path();
    let rejected = |why: String| EditError::Rejected {
        path: path.to_owned(),
        why,
    };
    let doc = Doc::parse(out).map_err(|e| rejected(format!("it would not parse: {e}")))?;
    match edit {
        Edit::Set { value, .. } => match doc.locate(path, segs) {
            Ok(Loc::Entry { value: v, .. } | Loc::Element { value: v, .. })
                if reads_as(v.get_ref(), value) =>
            {
                Ok(())
            }
            _ => Err(rejected("the value would not read back as written".into())),
        },
        Edit::Remove { .. } => Ok(()),
        Edit::Append { .. } => {
            let len = |d: &Doc<'_>| match d.locate(path, segs) {
                Ok(Loc::Entry { value, .. }) => value.get_ref().as_array().map(|a| a.len()),
                _ => None,
            };
            let old = len(before).unwrap_or(0);
            if len(&doc) == Some(old + 1) {
                Ok(())
            } else {
                Err(rejected("the array would not have gained one table".into()))
            }
        }
    }
}

fn decimal_from_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    let s = String::deserialize(d)?;
    parse_decimal(&s)
        .ok_or_else(|| serde::de::Error::custom(format!("`{s}` is not a decimal number")))
}

fn date_from_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let s = String::deserialize(d)?;
    Date::parse(&s).map_err(serde::de::Error::custom)
}

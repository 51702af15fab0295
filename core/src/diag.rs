//! Diagnostics: every input problem with its file, line, column, field path and what is valid.
//!
//! Parsing and validation collect *all* problems rather than stopping at the first, in the
//! manner of typst's `SourceDiagnostic`. Front ends only present them: the CLI as miette
//! reports, the web page as data. [`Diagnostic`] is the one type for input problems: a problem
//! in a file has a line and column; one in a command-line option or a request value (a sweep's
//! `FIELD=A..B`, a scenario name, an edit path) has none ([`Diagnostic::input`]), so the shells
//! report both the same way.

use std::cell::OnceCell;
use std::collections::HashSet;
use std::fmt;
use std::ops::Range;

use crate::source::SourceFile;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// The input cannot be used.
    Error,
    /// The input is used, but something deserves a look.
    Warning,
    /// Not a problem: says how many more problems were found than are listed (the first
    /// [`SHOWN`] are), so a count of errors never counts it.
    Omitted,
}

/// One problem in one input: a file, or an option or value the front end was given.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file's name as given to the core; for a problem outside any file, the option or
    /// argument it came from (`--vary`), which the front end fills in, or empty.
    pub file: String,
    /// Byte range in the file (`0..0` outside a file).
    pub span: Range<usize>,
    /// 1-based line of the span's start; 0 when the problem has no place in a file.
    pub line: usize,
    /// 1-based column (characters) of the span's start; 0 when there is no line.
    pub column: usize,
    /// Path of the offending field, e.g. `cluster[0].cores_per_socket`.
    pub field: String,
    /// What is wrong, lowercase, naming the offending value.
    pub message: String,
    /// What would be valid (values, ranges, "did you mean").
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error in an input that is not a file (a what-if spec, a scenario or vendor name, an
    /// edit path): no line or column. `field` names the offending value or what it was meant
    /// for; the front end names where it came from in [`Diagnostic::file`] (see
    /// [`Diagnostic::from_option`]).
    pub fn input(
        field: impl Into<String>,
        message: impl Into<String>,
        help: Option<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: String::new(),
            span: 0..0,
            line: 0,
            column: 0,
            field: field.into(),
            message: message.into(),
            help,
        }
    }

    /// The same problem, said to come from `option` (`--vary`) when it names no file yet.
    pub fn from_option(mut self, option: &str) -> Diagnostic {
        if self.file.is_empty() {
            self.file = option.to_owned();
        }
        self
    }

    /// True when the problem has a place in a file (a line to show).
    pub fn located(&self) -> bool {
        self.line > 0
    }

    /// The message and what would be valid, on one line: `unknown cluster `x`; valid
    /// clusters: prod` (for a short answer, where the field and place are already clear).
    pub fn summary(&self) -> String {
        match &self.help {
            Some(h) => format!("{}; {h}", self.message),
            None => self.message.clone(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Omitted => "note",
        };
        write!(f, "{sev}: ")?;
        if !self.file.is_empty() {
            write!(f, "{}:", self.file)?;
            if self.located() {
                write!(f, "{}:{}:", self.line, self.column)?;
            }
            f.write_str(" ")?;
        }
        write!(f, "{}: {}", self.field, self.message)?;
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Diagnostics {
        Diagnostics(vec![d])
    }
}

/// Every problem found in one or more inputs, in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// One [`Diagnostic::input`]: an error in an input that is not a file.
    pub fn input(
        field: impl Into<String>,
        message: impl Into<String>,
        help: Option<String>,
    ) -> Diagnostics {
        Diagnostic::input(field, message, help).into()
    }

    /// The same problems, said to come from `option` where they name no file yet (see
    /// [`Diagnostic::from_option`]).
    pub fn from_option(self, option: &str) -> Diagnostics {
        Diagnostics(self.0.into_iter().map(|d| d.from_option(option)).collect())
    }

    /// The same problems, each message prefixed with where in a what-if they arose
    /// (`at the point years = 30: …`), so an analysis names the point it cannot price.
    pub fn at_point(self, point: &str) -> Diagnostics {
        Diagnostics(
            self.0
                .into_iter()
                .map(|mut d| {
                    d.message = format!("at {point}: {}", d.message);
                    d
                })
                .collect(),
        )
    }

    /// The problems' [`Diagnostic::summary`] texts, one after another, for a one-line answer.
    pub fn summary(&self) -> String {
        self.0
            .iter()
            .map(Diagnostic::summary)
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// True when at least one diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Error)
    }

    /// Whether more problems were found than are listed (see [`Severity::Omitted`]).
    pub fn truncated(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Omitted)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Collects diagnostics for one source file.
pub(crate) struct Collector<'s> {
    pub(crate) file: &'s SourceFile,
    pub(crate) list: Vec<Diagnostic>,
    /// Lines with TOML syntax errors: problems reported there are follow-ons, not news.
    syntax_lines: Vec<usize>,
    /// Indices in `list` of the syntax errors themselves.
    syntax: Vec<usize>,
    /// The byte offset of each line's start, made on the first problem: every later problem
    /// finds its line by binary search instead of counting the text's newlines again.
    line_starts: OnceCell<Vec<usize>>,
}

/// The field path given to TOML syntax errors.
pub(crate) const SYNTAX: &str = "TOML syntax";

impl<'s> Collector<'s> {
    pub(crate) fn new(file: &'s SourceFile) -> Collector<'s> {
        Collector {
            file,
            list: Vec::new(),
            syntax_lines: Vec::new(),
            syntax: Vec::new(),
            line_starts: OnceCell::new(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset, as [`SourceFile::line_col`]
    /// says, in time proportional to the line's length rather than the file's.
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let text = &self.file.text;
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line(offset);
        let start = self.starts().get(line - 1).copied().unwrap_or(0);
        let column = text.get(start..offset).map_or(0, |t| t.chars().count()) + 1;
        (line, column)
    }

    /// The 1-based line of a byte offset, by binary search (no column: that counts the line).
    pub(crate) fn line(&self, offset: usize) -> usize {
        // The last line starting at or before the offset (the first always starts at 0).
        self.starts().partition_point(|&s| s <= offset).max(1)
    }

    fn starts(&self) -> &[usize] {
        let text = &self.file.text;
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    pub(crate) fn error(
        &mut self,
        span: Range<usize>,
        field: &str,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.push(Severity::Error, span, field, message.into(), help);
    }

    fn push(
        &mut self,
        severity: Severity,
        span: Range<usize>,
        field: &str,
        message: String,
        help: Option<String>,
    ) {
        let (line, column) = self.line_col(span.start);
        self.list.push(Diagnostic {
            severity,
            file: self.file.name.clone(),
            span,
            line,
            column,
            field: elide(field),
            message: elide(&message),
            help: help.as_deref().map(elide),
        });
    }

    pub(crate) fn syntax_error(
        &mut self,
        span: Range<usize>,
        field: &str,
        message: String,
        help: Option<String>,
    ) {
        let (line, _) = self.line_col(span.start);
        self.syntax_lines.push(line);
        self.syntax.push(self.list.len());
        self.push(Severity::Error, span, field, message, help);
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.list.iter().any(|d| d.severity == Severity::Error)
    }

    /// The diagnostics in file order (stable for equal offsets). After a syntax error, a
    /// missing field or a problem on a broken line is a follow-on and is left out.
    pub(crate) fn finish(mut self) -> Diagnostics {
        if !self.syntax_lines.is_empty() {
            let lines = std::mem::take(&mut self.syntax_lines);
            let syntax = std::mem::take(&mut self.syntax);
            // The recovered tree can hold a placeholder for a broken value, which the reader
            // then judges (`years: 0 must be positive`) at no useful place: a problem with the
            // field of a syntax error is a follow-on too.
            let fields: HashSet<String> = syntax
                .iter()
                .filter_map(|&i| self.list.get(i))
                .map(|d| d.field.clone())
                .filter(|f| f != SYNTAX)
                .collect();
            let lines: HashSet<usize> = lines.into_iter().collect();
            let syntax: HashSet<usize> = syntax.into_iter().collect();
            let mut reported_lines = HashSet::new();
            let mut i = 0;
            self.list.retain(|d| {
                let keep = if syntax.contains(&i) {
                    // One syntax error per line: the parser's second one is its own follow-on.
                    reported_lines.insert(d.line)
                } else {
                    !lines.contains(&d.line)
                        && !d.message.starts_with("missing field")
                        && !fields.contains(&d.field)
                };
                i += 1;
                keep
            });
        }
        self.list.sort_by_key(|d| d.span.start);
        let more = self.list.len().saturating_sub(SHOWN);
        if more > 0 {
            let all = self.list.len();
            self.list.truncate(SHOWN);
            self.list.push(Diagnostic {
                severity: Severity::Omitted,
                file: self.file.name.clone(),
                span: 0..0,
                line: 0,
                column: 0,
                field: String::new(),
                message: format!("{more} more problems are not shown ({all} in all)"),
                help: Some(format!("fix the first {SHOWN} and run again")),
            });
        }
        Diagnostics(self.list)
    }
}

/// The most problems reported from one file: past it, one more diagnostic says how many were
/// left out (a thousand of the same mistake help no one).
pub const SHOWN: usize = 50;

/// The longest value a message quotes whole, in characters.
const QUOTED: usize = 80;

/// `text` with every `quoted` value longer than [`QUOTED`] characters shortened to its start
/// and end around `…`, so a 200 KB name or line is not echoed whole.
pub(crate) fn elide(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(1024));
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        let n = part.chars().count();
        // Odd parts are inside backticks; a very long unquoted part is shortened too.
        if (i % 2 == 1 && n > QUOTED) || n > QUOTED * 4 {
            out.extend(part.chars().take(QUOTED / 2));
            out.push_str(" … ");
            out.extend(part.chars().skip(n - QUOTED / 4));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// The longest line a snippet shows whole, in bytes (about two screen widths).
pub const SNIPPET_LINE: usize = 240;

/// A file's text for showing a diagnostic's snippet: every line longer than
/// [`SNIPPET_LINE`] shortened around ` … ` (keeping the part the span points at), so a 200 KB
/// line is not echoed whole; line numbers are kept. Returns the text and the span moved into
/// it. Front ends show this rather than the file itself.
pub fn snippet_text(text: &str, span: Range<usize>) -> (String, Range<usize>) {
    let mut out = String::with_capacity(text.len().min(1 << 20));
    let mut moved = span.clone();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let (start, end) = (at, at + line.len());
        at = end;
        if line.len() <= SNIPPET_LINE {
            if (start..=end).contains(&span.start) {
                moved.start = out.len() + (span.start - start);
                moved.end = moved.start + span.len().min(end - span.start);
            }
            out.push_str(line);
            continue;
        }
        // Keep a window around the span's start when it is on this line, else the head.
        let focus = if (start..end).contains(&span.start) {
            span.start - start
        } else {
            0
        };
        let from = floor_boundary(line, focus.saturating_sub(SNIPPET_LINE / 3));
        let to = floor_boundary(line, (from + SNIPPET_LINE).min(line.len()));
        if from > 0 {
            out.push_str("… ");
        }
        if (start..end).contains(&span.start) {
            moved.start = out.len() + (span.start - start - from);
            moved.end = moved.start + span.len().min(to - (span.start - start).min(to));
        }
        out.push_str(&line[from..to]);
        if to < line.len() {
            out.push_str(" …");
            if line.ends_with('\n') {
                out.push('\n');
            }
        }
    }
    moved.end = moved.end.max(moved.start).min(out.len());
    moved.start = moved.start.min(moved.end);
    (out, moved)
}

/// The largest char boundary of `s` at or before `i`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// "did you mean …" for a misspelt word, from the candidates, by edit distance.
pub(crate) fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let len = word.chars().count();
    let limit = (len / 3).max(2);
    candidates
        .into_iter()
        // The distance is at least the difference in length: most candidates of a long list
        // are dismissed without computing it.
        .filter(|c| c.chars().count().abs_diff(len) <= limit)
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Help text: "did you mean `x`? valid: a, b, c" (the list shortened past 12 entries).
pub(crate) fn help_for(word: &str, valid: &[&str], what: &str) -> String {
    let mut help = String::new();
    if let Some(s) = did_you_mean(word, valid.iter().copied()) {
        help.push_str(&format!("did you mean `{s}`? "));
    }
    if valid.is_empty() {
        help.push_str(&format!("there are no {what}"));
    } else {
        // At most 12 names and about three lines of text, so a long list (two dozen
        // pricebooks) is cut here, readably, rather than elided mid-word by `elide`.
        let mut width = 0;
        let shown: Vec<&str> = valid
            .iter()
            .copied()
            .take(12)
            .enumerate()
            .take_while(|(i, v)| {
                width += v.len() + 2;
                *i == 0 || width <= 240
            })
            .map(|(_, v)| v)
            .collect();
        help.push_str(&format!("valid {what}: {}", shown.join(", ")));
        if valid.len() > shown.len() {
            help.push_str(&format!(", … ({} in all)", valid.len()));
        }
    }
    help
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snippet_shortens_long_lines_and_keeps_the_span_on_its_text() {
        let long = "x".repeat(200_000);
        let text = format!("a = 1\nname = \"{long}\"\nbad = oops\n");
        let at = text.find("oops").expect("oops");
        let (shown, span) = snippet_text(&text, at..at + 4);
        assert!(shown.len() < 1000, "{}", shown.len());
        assert_eq!(shown.lines().count(), 3, "line numbers are kept");
        assert_eq!(&shown[span], "oops");
        // A span on the long line itself points at its window.
        let at = text.find("xxx").expect("x") + 150_000;
        let (shown, span) = snippet_text(&text, at..at + 3);
        assert_eq!(&shown[span], "xxx");
        assert!(shown.contains("… "));
    }

    #[test]
    fn suggests_close_words_only() {
        let c = ["hosts", "sockets_per_host", "cores_per_socket"];
        assert_eq!(did_you_mean("hsots", c), Some("hosts"));
        assert_eq!(did_you_mean("cores_per_sockt", c), Some("cores_per_socket"));
        assert_eq!(did_you_mean("banana", c), None);
    }
}

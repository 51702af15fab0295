//! Diagnostics: every input problem with its file, line, column, field path and what is valid.
//!
//! Parsing and validation collect *all* problems rather than stopping at the first, in the
//! manner of typst's `SourceDiagnostic`. Front ends only present them: the CLI as miette
//! reports, the web page as data.

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
}

/// One problem in one input file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file's name as given to the core.
    pub file: String,
    /// Byte range in the file.
    pub span: Range<usize>,
    /// 1-based line of the span's start.
    pub line: usize,
    /// 1-based column (characters) of the span's start.
    pub column: usize,
    /// Path of the offending field, e.g. `cluster[0].cores_per_socket`.
    pub field: String,
    /// What is wrong, lowercase, naming the offending value.
    pub message: String,
    /// What would be valid (values, ranges, "did you mean").
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{sev}: {}:{}:{}: {}: {}",
            self.file, self.line, self.column, self.field, self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}

/// Every problem found in one or more inputs, in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// True when at least one diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Error)
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
        }
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
        let (line, column) = self.file.line_col(span.start);
        self.list.push(Diagnostic {
            severity,
            file: self.file.name.clone(),
            span,
            line,
            column,
            field: field.to_owned(),
            message,
            help,
        });
    }

    pub(crate) fn syntax_error(
        &mut self,
        span: Range<usize>,
        field: &str,
        message: String,
        help: Option<String>,
    ) {
        let (line, _) = self.file.line_col(span.start);
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
            let fields: Vec<String> = syntax
                .iter()
                .filter_map(|&i| self.list.get(i))
                .map(|d| d.field.clone())
                .filter(|f| f != SYNTAX)
                .collect();
            let mut reported_lines = Vec::new();
            let mut i = 0;
            self.list.retain(|d| {
                let keep = if syntax.contains(&i) {
                    // One syntax error per line: the parser's second one is its own follow-on.
                    let first = !reported_lines.contains(&d.line);
                    reported_lines.push(d.line);
                    first
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
        Diagnostics(self.list)
    }
}

/// "did you mean …" for a misspelt word, from the candidates, by edit distance.
pub(crate) fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
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
        let shown: Vec<&str> = valid.iter().copied().take(12).collect();
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
    fn suggests_close_words_only() {
        let c = ["hosts", "sockets_per_host", "cores_per_socket"];
        assert_eq!(did_you_mean("hsots", c), Some("hosts"));
        assert_eq!(did_you_mean("cores_per_sockt", c), Some("cores_per_socket"));
        assert_eq!(did_you_mean("banana", c), None);
    }
}

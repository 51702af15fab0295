//! Core diagnostics → miette reports. The only place miette appears.
//!
//! Every input problem the CLI refuses is reported here, the one way: a problem in a file
//! with its source lines and a label at the field; a problem in an option or argument
//! (`--vary`, `--baseline`, a file that cannot be read) with no location, titled by where it
//! came from.

use std::fmt;

use hypercost_core::{Diagnostic, Diagnostics, Severity, SourceFile, snippet_text};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

/// One core diagnostic with its source text, as miette wants it.
#[derive(Debug)]
struct Report {
    diagnostic: Diagnostic,
    source: NamedSource<String>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.diagnostic;
        // Without a source line to point at, the title says where the problem came from.
        let title = if d.located() || d.file.is_empty() {
            &d.field
        } else {
            &d.file
        };
        if title.is_empty() {
            f.write_str(&d.message)
        } else {
            write!(f, "{title}: {}", d.message)
        }
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Omitted => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.diagnostic
            .located()
            .then_some(&self.source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if !self.diagnostic.located() {
            return None;
        }
        let span = &self.diagnostic.span;
        let span = SourceSpan::new(span.start.into(), span.end.saturating_sub(span.start));
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.diagnostic.field.clone()),
            span,
        ))))
    }
}

/// Renders every diagnostic against the files it came from, then a one-line summary.
pub(crate) fn render(diagnostics: &Diagnostics, files: &[SourceFile], color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_break_words(false)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
    let mut out = String::new();
    for d in &diagnostics.0 {
        // Long lines are shortened for the snippet (the span moves with them).
        let (text, span) = files
            .iter()
            .find(|f| f.name == d.file)
            .map(|f| snippet_text(&f.text, d.span.clone()))
            .unwrap_or_default();
        let report = Report {
            diagnostic: Diagnostic { span, ..d.clone() },
            source: NamedSource::new(d.file.clone(), text),
        };
        let _ = handler.render_report(&mut out, &report);
        out.push('\n');
    }
    let n = diagnostics.errors().count();
    let mut names: Vec<&str> = diagnostics
        .0
        .iter()
        .map(|d| d.file.as_str())
        .filter(|f| !f.is_empty())
        .collect();
    names.dedup();
    let place = if names.is_empty() {
        String::new()
    } else {
        format!(" in {}", names.join(", "))
    };
    if diagnostics.truncated() {
        out.push_str(&format!(
            "hypercost: more than {n} problems{place} (the first {n} are shown); nothing was written\n"
        ));
    } else {
        out.push_str(&format!(
            "hypercost: {n} problem{}{place}; nothing was written\n",
            if n == 1 { "" } else { "s" },
        ));
    }
    out
}

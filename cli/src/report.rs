//! Core diagnostics → miette reports. The only place miette appears.

use std::fmt;

use hypercost_core::{Diagnostic, Diagnostics, Severity, SourceFile};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

/// One core diagnostic with its source text, as miette wants it.
#[derive(Debug)]
struct Report {
    diagnostic: Diagnostic,
    source: NamedSource<String>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.diagnostic.field, self.diagnostic.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
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
        let text = files
            .iter()
            .find(|f| f.name == d.file)
            .map(|f| f.text.clone())
            .unwrap_or_default();
        let report = Report {
            diagnostic: d.clone(),
            source: NamedSource::new(d.file.clone(), text),
        };
        let _ = handler.render_report(&mut out, &report);
        out.push('\n');
    }
    let n = diagnostics.errors().count();
    let mut names: Vec<&str> = diagnostics.0.iter().map(|d| d.file.as_str()).collect();
    names.dedup();
    out.push_str(&format!(
        "hypercost: {n} problem{} in {}; nothing was priced\n",
        if n == 1 { "" } else { "s" },
        names.join(", ")
    ));
    out
}
